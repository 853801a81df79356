//! [`SqliteStore`]: the embedded store (rusqlite with SQLite compiled in).
//!
//! A file (or `:memory:` for tests) in WAL mode with `synchronous=FULL`, so a commit that has
//! returned survives a crash of the process or of the machine. The file is marked as a
//! channelwise store by `PRAGMA application_id` ([`APPLICATION_ID`]) and carries its schema
//! version in `PRAGMA user_version` ([`SCHEMA_VERSION`]); opening runs the migrations from the
//! file's version up to this one, in one transaction. Triggers refuse `UPDATE` and `DELETE` on
//! the audit table; someone who drops them is caught by the hash chain.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{chain_after, hash_column, sql, AuditEntry, AuditRecord, DecisionRow, EntityRow, ExecutionRow, Store, Tx};
use crate::{Error, Result};

/// `PRAGMA application_id` of a channelwise store: the bytes `"cwds"`.
pub const APPLICATION_ID: i32 = 0x6377_6473;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 3;

/// The migrations, in order: entry `i` takes a store from version `i` to `i + 1`. Version 1 is
/// the first schema; version 2 indexes executions by start order, which every execution write
/// reads (`max(started) + 1`, a scan of the table without it) and every listing sorts by;
/// version 3 gives the store its id ([`Store::id`]: 8 bytes of SQLite's `randomblob`, seeded
/// from the operating system), empty for a store that has sent keys already.
pub const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    r"
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX decisions_status ON decisions (status, id);
CREATE TABLE executions (
    key TEXT PRIMARY KEY,
    decision INTEGER NOT NULL,
    step INTEGER NOT NULL,
    entity TEXT NOT NULL,
    state TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    started INTEGER NOT NULL
);
CREATE INDEX executions_entity ON executions (entity, started);
CREATE INDEX executions_state ON executions (state, started);
CREATE TABLE entities (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE flags (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    decision INTEGER,
    detail TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
",
    r"
CREATE UNIQUE INDEX executions_started ON executions (started);
",
    r"
CREATE TABLE channelwise_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO channelwise_meta (name, value)
    SELECT 'store_id', CASE WHEN EXISTS (SELECT 1 FROM executions) THEN '' ELSE lower(hex(randomblob(8))) END;
",
];

/// The embedded SQLite store.
///
/// A file (or `:memory:` for tests) in WAL mode with `synchronous=FULL`, so a commit that has
/// returned survives a crash of the process or of the machine. The file is marked as a
/// channelwise store by `PRAGMA application_id` ([`APPLICATION_ID`]) and carries its schema
/// version in `PRAGMA user_version` ([`SCHEMA_VERSION`]); opening runs the migrations from the
/// file's version up to this one, in one transaction. Triggers refuse `UPDATE` and `DELETE` on
/// the audit table; someone who drops them is caught by the hash chain ([`Store::verify`]).
///
/// ```
/// use channelwise::decide::store::{AuditRecord, SqliteStore, Store, Tx};
/// let mut store = SqliteStore::open(":memory:")?;
/// let rec = AuditRecord { at_ms: 0, actor: "ana".into(), action: "stop".into(), decision: None, detail: "{}".into() };
/// let entries = store.commit(Tx { flags: vec![("stop".into(), Some("ana".into()))], audit: vec![rec], ..Tx::default() })?;
/// assert_eq!(entries[0].seq, 1);
/// assert_eq!(store.flag("stop")?.as_deref(), Some("ana"));
/// assert_eq!(store.verify()?.entries, 1);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The execution lock while held: an exclusive transaction on the file `<path>-lock`.
    exec_lock: Option<Connection>,
}

fn io(path: &Path, what: &str, e: rusqlite::Error) -> Error {
    Error::Io(format!("store {}: {what}: {e}", path.display()))
}

impl SqliteStore {
    /// Open (or create) the store at `path`; `":memory:"` for one that lives as long as the
    /// value.
    ///
    /// # Errors
    /// `invalid_parameter` (field `store`, value the path) when the file is not a SQLite
    /// database, is a database of something else, or was written by a newer channelwise
    /// (schema version above [`SCHEMA_VERSION`]); `io` when it cannot be opened or migrated.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let not_ours = |reason: String| Error::param("store", path.display(), reason);
        let mut conn = Connection::open(&path).map_err(|e| io(&path, "open", e))?;
        let pragma = |conn: &Connection, name: &str| -> Result<i64> {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                    not_ours("not a SQLite database, so not a channelwise store".into())
                }
                e => io(&path, name, e),
            })
        };
        let app = pragma(&conn, "application_id")?;
        let version = pragma(&conn, "user_version")?;
        if app != i64::from(APPLICATION_ID) {
            let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(|e| io(&path, "read schema", e))?;
            if app != 0 || version != 0 || tables != 0 {
                return Err(not_ours(format!("a SQLite database of something else (application_id {app:#x}, {tables} schema objects), not a channelwise store")));
            }
        }
        if version > i64::from(SCHEMA_VERSION) {
            return Err(not_ours(format!("schema version {version} was written by a newer channelwise; this one reads up to version {SCHEMA_VERSION}")));
        }
        if version < 0 {
            return Err(not_ours(format!("schema version {version} is not a channelwise version")));
        }
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| io(&path, "journal_mode", e))?;
        let memory = mode.eq_ignore_ascii_case("memory");
        if !memory && !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Io(format!("store {}: could not switch to WAL mode (journal_mode is {mode})", path.display())));
        }
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;").map_err(|e| io(&path, "pragmas", e))?;
        if version < i64::from(SCHEMA_VERSION) {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| io(&path, "migrate", e))?;
            for (v, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql).map_err(|e| io(&path, &format!("migration to version {}", v + 1), e))?;
            }
            tx.execute_batch(&format!("PRAGMA application_id={APPLICATION_ID}; PRAGMA user_version={SCHEMA_VERSION};")).map_err(|e| io(&path, "mark", e))?;
            tx.commit().map_err(|e| io(&path, "migrate", e))?;
        }
        Ok(SqliteStore { conn, path, exec_lock: None })
    }

    /// The path given to [`SqliteStore::open`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, what: &str) -> impl Fn(rusqlite::Error) -> Error + '_ + use<'_> {
        let what = what.to_string();
        move |e| io(&self.path, &what, e)
    }
}

fn decision_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DecisionRow> {
    Ok(DecisionRow { id: r.get::<_, i64>(0)? as u64, status: r.get(1)?, created_ms: r.get(2)?, body: r.get(3)? })
}

fn execution_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExecutionRow> {
    Ok(ExecutionRow {
        key: r.get(0)?,
        decision: r.get::<_, i64>(1)? as u64,
        step: r.get::<_, i64>(2)? as u32,
        entity: r.get(3)?,
        state: r.get(4)?,
        at_ms: r.get(5)?,
        body: r.get(6)?,
    })
}


impl Store for SqliteStore {
    fn commit(&mut self, tx: Tx) -> Result<Vec<AuditEntry>> {
        let path = self.path.clone();
        let path = &path;
        let e = |what: &'static str| move |err: rusqlite::Error| io(path, what, err);
        let t = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(e("begin"))?;
        if let Some(name) = &tx.unless_flag {
            let set: Option<String> = t.query_row(sql::READ_FLAG, params![name], |r| r.get(0)).optional().map_err(e("read flag"))?;
            if let Some(value) = set {
                return Err(Error::param(name.as_str(), value, "is set: nothing of this transaction was written"));
            }
        }
        for d in &tx.new_decisions {
            t.execute(sql::INSERT_DECISION, params![d.id as i64, d.status, d.created_ms, d.body])
                .map_err(e("insert new decision"))?;
        }
        for d in &tx.decisions {
            t.execute(
                sql::WRITE_DECISION,
                params![d.id as i64, d.status, d.created_ms, d.body],
            )
            .map_err(e("write decision"))?;
        }
        for x in &tx.executions {
            t.execute(
                sql::WRITE_EXECUTION,
                params![x.key, x.decision as i64, i64::from(x.step), x.entity, x.state, x.at_ms, x.body],
            )
            .map_err(e("write execution"))?;
        }
        for en in &tx.entities {
            t.execute(sql::WRITE_ENTITY, params![en.id, en.body])
                .map_err(e("write entity"))?;
        }
        for (name, value) in &tx.flags {
            match value {
                Some(v) => t.execute(sql::WRITE_FLAG, params![name, v]),
                None => t.execute(sql::DELETE_FLAG, params![name]),
            }
            .map_err(e("write flag"))?;
        }
        let mut out = Vec::new();
        if !tx.audit.is_empty() {
            let head: Option<(i64, Vec<u8>)> = t.query_row(sql::AUDIT_HEAD, [], |r| Ok((r.get(0)?, r.get(1)?))).optional().map_err(e("read audit head"))?;
            out = chain_after(head.as_ref().map(|(s, h)| (*s, &h[..])), tx.audit);
            for entry in &out {
                let r = &entry.record;
                let row = params![entry.seq as i64, r.at_ms, r.actor, r.action, r.decision.map(|d| d as i64), r.detail, &entry.prev_hash[..], &entry.hash[..]];
                t.execute(sql::APPEND_AUDIT, row).map_err(e("append audit"))?;
            }
        }
        t.commit().map_err(e("commit"))?;
        Ok(out)
    }

    fn decision(&self, id: u64) -> Result<Option<DecisionRow>> {
        self.conn
            .query_row(sql::READ_DECISION, params![id as i64], decision_row)
            .optional()
            .map_err(self.err("read decision"))
    }

    fn decisions(&self, statuses: &[&str]) -> Result<Vec<DecisionRow>> {
        let mut stmt = self.conn.prepare_cached(sql::DECISIONS).map_err(self.err("read decisions"))?;
        let rows = stmt.query_map([], decision_row).map_err(self.err("read decisions"))?;
        let mut out = Vec::new();
        for r in rows {
            let r = r.map_err(self.err("read decisions"))?;
            if statuses.is_empty() || statuses.contains(&r.status.as_str()) {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn max_decision_id(&self) -> Result<u64> {
        let m: Option<i64> = self.conn.query_row(sql::MAX_DECISION, [], |r| r.get(0)).map_err(self.err("read decisions"))?;
        Ok(m.unwrap_or(0).max(0) as u64)
    }

    fn id(&self) -> Result<String> {
        self.conn.query_row(sql::STORE_ID, [], |r| r.get(0)).map_err(self.err("read store id"))
    }

    fn audit_head(&self) -> Result<u64> {
        let m: Option<i64> = self.conn.query_row(sql::MAX_AUDIT, [], |r| r.get(0)).map_err(self.err("read audit head"))?;
        Ok(m.unwrap_or(0).max(0) as u64)
    }

    fn execution(&self, key: &str) -> Result<Option<ExecutionRow>> {
        self.conn
            .query_row(sql::READ_EXECUTION, params![key], execution_row)
            .optional()
            .map_err(self.err("read execution"))
    }

    fn executions(&self, entity: Option<&str>) -> Result<Vec<ExecutionRow>> {
        let statement = match entity {
            Some(_) => sql::EXECUTIONS_OF,
            None => sql::EXECUTIONS,
        };
        let mut stmt = self.conn.prepare_cached(statement).map_err(self.err("read executions"))?;
        let rows = match entity {
            Some(id) => stmt.query_map(params![id], execution_row),
            None => stmt.query_map([], execution_row),
        }
        .map_err(self.err("read executions"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err("read executions"))
    }

    fn executions_in_state(&self, state: &str) -> Result<Vec<ExecutionRow>> {
        let mut stmt = self.conn.prepare_cached(sql::EXECUTIONS_IN_STATE).map_err(self.err("read executions"))?;
        let rows = stmt.query_map(params![state], execution_row).map_err(self.err("read executions"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err("read executions"))
    }

    fn entity(&self, id: &str) -> Result<Option<EntityRow>> {
        self.conn
            .query_row(sql::READ_ENTITY, params![id], |r| Ok(EntityRow { id: r.get(0)?, body: r.get(1)? }))
            .optional()
            .map_err(self.err("read entity"))
    }

    fn entities(&self) -> Result<Vec<EntityRow>> {
        let mut stmt = self.conn.prepare_cached(sql::ENTITIES).map_err(self.err("read entities"))?;
        let rows = stmt.query_map([], |r| Ok(EntityRow { id: r.get(0)?, body: r.get(1)? })).map_err(self.err("read entities"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err("read entities"))
    }

    fn flag(&self, name: &str) -> Result<Option<String>> {
        self.conn.query_row(sql::READ_FLAG, params![name], |r| r.get(0)).optional().map_err(self.err("read flag"))
    }

    /// A file store's lock is an exclusive transaction on the SQLite file `<path>-lock` (a lock
    /// the operating system drops with the process); `:memory:` needs none.
    fn try_lock_execution(&mut self) -> Result<bool> {
        let memory = self.path.as_os_str().is_empty() || self.path.as_os_str() == ":memory:";
        if memory || self.exec_lock.is_some() {
            return Ok(true);
        }
        let mut lock_path = self.path.clone().into_os_string();
        lock_path.push("-lock");
        let lock_path = PathBuf::from(lock_path);
        let c = Connection::open(&lock_path).map_err(|e| io(&lock_path, "open the execution lock", e))?;
        match c.execute_batch("PRAGMA busy_timeout=0; BEGIN EXCLUSIVE;") {
            Ok(()) => {
                self.exec_lock = Some(c);
                Ok(true)
            }
            Err(rusqlite::Error::SqliteFailure(f, _)) if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Ok(false),
            Err(e) => Err(io(&lock_path, "take the execution lock", e)),
        }
    }

    fn unlock_execution(&mut self) -> Result<()> {
        match self.exec_lock.take() {
            Some(c) => c.execute_batch("ROLLBACK").map_err(|e| io(&self.path, "release the execution lock", e)),
            None => Ok(()),
        }
    }

    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(sql::READ_AUDIT)
            .map_err(self.err("read audit"))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![i64::try_from(from_seq).unwrap_or(i64::MAX), limit], |r| {
                Ok(AuditEntry {
                    seq: r.get::<_, i64>(0)? as u64,
                    record: AuditRecord {
                        at_ms: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        decision: r.get::<_, Option<i64>>(4)?.map(|d| d as u64),
                        detail: r.get(5)?,
                    },
                    prev_hash: hash_column(&r.get::<_, Vec<u8>>(6)?),
                    hash: hash_column(&r.get::<_, Vec<u8>>(7)?),
                })
            })
            .map_err(self.err("read audit"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err("read audit"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(action: &str) -> AuditRecord {
        AuditRecord { at_ms: 5, actor: "engine".into(), action: action.into(), decision: Some(1), detail: "{}".into() }
    }

    #[test]
    fn rows_round_trip_and_chain() {
        let mut s = SqliteStore::open(":memory:").unwrap();
        let d = DecisionRow { id: 1, status: "pending".into(), created_ms: 3, body: "{}".into() };
        let x = ExecutionRow { key: "d1/s1".into(), decision: 1, step: 1, entity: "search".into(), state: "started".into(), at_ms: 4, body: "{}".into() };
        let a = s.commit(Tx { decisions: vec![d.clone()], executions: vec![x.clone()], audit: vec![rec("propose"), rec("execute")], ..Tx::default() }).unwrap();
        assert_eq!(a.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(a[1].prev_hash, a[0].hash);
        let x2 = ExecutionRow { state: "applied".into(), ..x.clone() };
        let d2 = DecisionRow { status: "executed".into(), ..d.clone() };
        s.commit(Tx { decisions: vec![d2.clone()], executions: vec![x2.clone()], audit: vec![rec("applied")], ..Tx::default() }).unwrap();
        assert_eq!(s.decision(1).unwrap(), Some(d2));
        assert_eq!(s.execution("d1/s1").unwrap(), Some(x2.clone()));
        assert_eq!(s.executions_in_state("applied").unwrap(), vec![x2]);
        assert!(s.executions_in_state("started").unwrap().is_empty());
        assert_eq!(s.decisions(&["pending"]).unwrap(), vec![]);
        assert_eq!(s.max_decision_id().unwrap(), 1);
        assert_eq!(s.verify().unwrap().entries, 3);
        assert_eq!(s.audit(2, 1).unwrap()[0].record.action, "execute");
        // a new decision whose id is taken fails the commit, audit entry included
        let e = s.commit(Tx { new_decisions: vec![d], audit: vec![rec("propose")], ..Tx::default() }).unwrap_err();
        assert!(e.to_string().contains("UNIQUE"), "{e}");
        assert_eq!(s.verify().unwrap().entries, 3);
        // a transaction conditional on a flag that is set writes nothing
        s.commit(Tx { flags: vec![("stop".into(), Some("ana".into()))], ..Tx::default() }).unwrap();
        let d5 = DecisionRow { id: 5, status: "pending".into(), created_ms: 5, body: "{}".into() };
        let e = s.commit(Tx { new_decisions: vec![d5], audit: vec![rec("propose")], unless_flag: Some("stop".into()), ..Tx::default() }).unwrap_err();
        assert_eq!(e.to_string(), "invalid stop: \"ana\" (is set: nothing of this transaction was written)");
        assert_eq!((s.max_decision_id().unwrap(), s.verify().unwrap().entries), (1, 3));
    }

    #[test]
    fn audit_rows_cannot_be_updated_or_deleted() {
        let mut s = SqliteStore::open(":memory:").unwrap();
        s.commit(Tx { audit: vec![rec("propose")], ..Tx::default() }).unwrap();
        let e = s.conn.execute("UPDATE audit SET actor = 'x'", []).unwrap_err();
        assert!(e.to_string().contains("append-only"));
        assert!(s.conn.execute("DELETE FROM audit", []).is_err());
    }
}
