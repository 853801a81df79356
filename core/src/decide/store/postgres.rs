//! [`PgStore`]: the PostgreSQL store, for several engine processes sharing one store (its
//! docs say how to connect, where the tables live and what the locks guarantee).

use std::cell::RefCell;
use std::str::FromStr;

use postgres::{Client, NoTls, Transaction};
use sha2::{Digest, Sha256};

use super::pg_tls::{self, SslMode};
use super::{chain_after, hash_column, sql, redact_url, AuditEntry, AuditRecord, DecisionRow, EntityRow, ExecutionRow, Store, Tx};
use crate::{Error, Result};

/// The value of `application_id` in `channelwise_meta`.
pub const PG_APPLICATION_ID: &str = "cwds";

/// The schema version this build writes (`schema_version` in `channelwise_meta`).
pub const PG_SCHEMA_VERSION: i32 = 3;

/// The migrations, in order: entry `i` takes a store from version `i` to `i + 1`. Version 1 is
/// the first schema; version 2 indexes executions by start order, which every execution write
/// reads (`max(started) + 1`) and every listing sorts by; version 3 gives the store its id
/// ([`Store::id`]: 16 hex digits of an MD5 of the server's `random()`, clock and backend pid),
/// empty for a store that has sent keys already.
pub const PG_MIGRATIONS: [&str; PG_SCHEMA_VERSION as usize] = [
    r"
CREATE TABLE decisions (
    id bigint PRIMARY KEY,
    status text NOT NULL,
    created_ms bigint NOT NULL,
    body text NOT NULL
);
CREATE INDEX decisions_status ON decisions (status, id);
CREATE TABLE executions (
    key text PRIMARY KEY,
    decision bigint NOT NULL,
    step integer NOT NULL,
    entity text NOT NULL,
    state text NOT NULL,
    at_ms bigint NOT NULL,
    body text NOT NULL,
    started bigint NOT NULL
);
CREATE INDEX executions_entity ON executions (entity, started);
CREATE INDEX executions_state ON executions (state, started);
CREATE TABLE entities (id text PRIMARY KEY, body text NOT NULL);
CREATE TABLE flags (name text PRIMARY KEY, value text NOT NULL);
CREATE TABLE audit (
    seq bigint PRIMARY KEY,
    at_ms bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    decision bigint,
    detail text NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL
);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
",
    r"
CREATE UNIQUE INDEX executions_started ON executions (started);
",
    r"
INSERT INTO channelwise_meta (name, value)
    SELECT 'store_id', CASE WHEN EXISTS (SELECT 1 FROM executions) THEN ''
        ELSE substr(md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text), 1, 16) END;
",
];

/// The PostgreSQL store, for several engine processes sharing one store.
///
/// # Connecting
/// A libpq-style url, `postgresql://user:password@host:port/database`, with one parameter of
/// channelwise's own, `schema` (default `channelwise`): the PostgreSQL schema (namespace) whose
/// tables hold the store, created when missing. Two schemas of one database are two separate
/// stores (the tests give each test its own), and a store's tables never mix with the
/// database's other tables. Every other parameter is the driver's (`connect_timeout`,
/// `application_name`, `options`, ...). Connections are TCP, TLS over TCP, or a Unix socket
/// (`host=` a directory, percent-encoded in the url). TLS follows libpq's `sslmode`
/// (`disable`; `prefer`, the default, and `require`: encrypted, the certificate unchecked;
/// `verify-ca`: its chain checked against `sslrootcert`, a PEM file of trusted roots;
/// `verify-full`: its host name too; `sslrootcert=system`: the operating system's roots, with
/// `verify-full`), over rustls:
/// `postgresql://engine@db.example.com/marketing?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem`. Errors show the url with its password replaced by
/// `***`.
///
/// ```text
/// postgresql://engine:secret@db.internal:5432/marketing?schema=channelwise_prod
/// ```
///
/// # Tables and guarantees
/// The tables of the [store](super) plus `channelwise_meta` (name -> value: `application_id`
/// = `cwds`, `schema_version`), which marks the schema as a channelwise store. A schema that
/// holds other tables but no marker, or a store of a newer schema version, is refused; an
/// older one is migrated on open, in one transaction, under the store's lock.
///
/// - Each [`Store::commit`] is one transaction that first takes the store's transaction-level
///   advisory lock (`pg_advisory_xact_lock`), so commits of every process are serialised: the
///   [`Tx::unless_flag`] check sees a stop committed by any other process before it, and audit
///   entries are numbered without gaps, each linked to its predecessor (the sequence number is
///   also the primary key: two writers could never both write entry `n`).
/// - A commit returns once PostgreSQL has committed (with the server's default
///   `synchronous_commit=on`, that is after its WAL reached disk).
/// - Triggers refuse `UPDATE`, `DELETE` and `TRUNCATE` on the audit table; someone who drops
///   them is caught by the hash chain ([`Store::verify`]).
/// - The execution lock ([`Store::try_lock_execution`]) is a session-level advisory lock held
///   by one engine while it executes or rolls back a decision: a second engine on the same store
///   defers instead of sending the same stage again, and the lock goes with the connection when
///   its process dies, so a crashed engine never blocks the others.
///
/// ```no_run
/// use channelwise::decide::store::{PgStore, Store};
/// let store = PgStore::open("postgresql://engine@127.0.0.1:5432/marketing?schema=cw_test")?;
/// assert_eq!(store.schema(), "cw_test");
/// println!("{} audit entries", store.verify()?.entries);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub struct PgStore {
    client: RefCell<Client>,
    url: String,
    schema: String,
    /// The advisory lock keys of this store: (commits, executions).
    keys: (i64, i64),
    locked: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("url", &self.url).field("schema", &self.schema).finish_non_exhaustive()
    }
}

/// The url without channelwise's `schema` parameter, and the schema.
/// The url without channelwise's own query parameters, and their values (percent-decoded):
/// `schema`, `sslmode` and `sslrootcert` (the driver does not know libpq's `verify-ca` /
/// `verify-full` nor root files: see `pg_tls`).
fn split_params(url: &str) -> (String, [Option<String>; 3]) {
    const OURS: [&str; 3] = ["schema", "sslmode", "sslrootcert"];
    let mut found: [Option<String>; 3] = Default::default();
    let Some((base, q)) = url.split_once('?') else { return (url.to_string(), found) };
    let rest: Vec<&str> = q
        .split('&')
        .filter(|p| match p.split_once('=').and_then(|(k, v)| Some((OURS.iter().position(|o| *o == k)?, v))) {
            Some((i, v)) => {
                found[i] = Some(percent_decoded(v));
                false
            }
            None => !p.is_empty(),
        })
        .collect();
    let url = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
    (url, found)
}

/// `%XX` escapes decoded (a path in `sslrootcert`); a malformed one is kept as written.
fn percent_decoded(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(x)) => {
                out.push(x);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn lock_key(tag: &str, schema: &str) -> i64 {
    let h = Sha256::new().chain_update(b"channelwise-store-lock\0").chain_update(tag.as_bytes()).chain_update(schema.as_bytes()).finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    i64::from_be_bytes(b)
}

fn decision_row(r: &postgres::Row) -> std::result::Result<DecisionRow, postgres::Error> {
    Ok(DecisionRow { id: r.try_get::<_, i64>(0)? as u64, status: r.try_get(1)?, created_ms: r.try_get(2)?, body: r.try_get(3)? })
}

fn execution_row(r: &postgres::Row) -> std::result::Result<ExecutionRow, postgres::Error> {
    Ok(ExecutionRow {
        key: r.try_get(0)?,
        decision: r.try_get::<_, i64>(1)? as u64,
        step: r.try_get::<_, i32>(2)? as u32,
        entity: r.try_get(3)?,
        state: r.try_get(4)?,
        at_ms: r.try_get(5)?,
        body: r.try_get(6)?,
    })
}

fn audit_row(r: &postgres::Row) -> std::result::Result<AuditEntry, postgres::Error> {
    Ok(AuditEntry {
        seq: r.try_get::<_, i64>(0)? as u64,
        record: AuditRecord {
            at_ms: r.try_get(1)?,
            actor: r.try_get(2)?,
            action: r.try_get(3)?,
            decision: r.try_get::<_, Option<i64>>(4)?.map(|d| d as u64),
            detail: r.try_get(5)?,
        },
        prev_hash: hash_column(r.try_get::<_, &[u8]>(6)?),
        hash: hash_column(r.try_get::<_, &[u8]>(7)?),
    })
}


fn valid_schema(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(f) if f.is_ascii_lowercase() || f == '_') && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') && s.len() <= 63
}

impl PgStore {
    /// Connect to the store at `url` (see [`PgStore`]), creating or migrating its
    /// schema.
    ///
    /// # Errors
    /// `invalid_parameter` (field `store`, value the url with its password redacted) when the
    /// url does not parse, names a schema that is not a lowercase identifier, or the schema
    /// holds other tables and no channelwise marker, or a store of a newer schema version;
    /// `io` when the server cannot be reached or a statement fails.
    pub fn open(url: &str) -> Result<Self> {
        let shown = redact_url(url);
        let (conn_url, [schema, sslmode, sslrootcert]) = split_params(url);
        let schema = schema.unwrap_or_else(|| "channelwise".into());
        if !valid_schema(&schema) {
            return Err(Error::param("store", &shown, format!("schema {schema:?} must be a lowercase identifier (a-z, 0-9, _; at most 63 bytes)")));
        }
        let mode = match sslmode.as_deref() {
            // libpq 16: the system's roots make verify-full the default
            None if sslrootcert.as_deref() == Some("system") => SslMode::VerifyFull,
            None => SslMode::Prefer,
            Some(m) => SslMode::parse(m).ok_or_else(|| Error::param("store", &shown, format!("sslmode {m:?} is not one of disable, allow, prefer, require, verify-ca, verify-full")))?,
        };
        let mut config = postgres::Config::from_str(&conn_url).map_err(|e| Error::param("store", &shown, format!("not a PostgreSQL url: {e}")))?;
        config.ssl_mode(mode.driver());
        let connected = match pg_tls::client_config(mode, sslrootcert.as_deref(), &shown)? {
            None => config.connect(NoTls),
            Some(tls) => config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls)),
        };
        // the driver's message ("error performing TLS handshake") with its causes (rustls's
        // "invalid peer certificate: UnknownIssuer"), so a refused certificate says why
        let client = connected.map_err(|e| {
            let mut why = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                why = format!("{why}: {c}");
                cause = c.source();
            }
            Error::Io(format!("store {shown}: connect: {why}"))
        })?;
        let keys = (lock_key("commit", &schema), lock_key("execute", &schema));
        let mut store = PgStore { client: RefCell::new(client), url: shown, schema, keys, locked: false };
        store.migrate()?;
        Ok(store)
    }

    /// The PostgreSQL schema holding the store's tables.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// Whether this store's connection is encrypted (TLS; PostgreSQL's `pg_stat_ssl`).
    ///
    /// # Errors
    /// `io` when the statement fails.
    pub fn encrypted(&self) -> Result<bool> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)", &[])
            .map_err(|e| Error::Io(format!("store {}: {e}", self.url)))?;
        row.try_get(0).map_err(|e| Error::Io(format!("store {}: {e}", self.url)))
    }

    /// The url, its password redacted.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn io(&self, what: &str) -> impl Fn(postgres::Error) -> Error + '_ + use<'_> {
        let what = what.to_string();
        move |e| Error::Io(format!("store {} (schema {}): {what}: {}", self.url, self.schema, pg_message(&e)))
    }

    fn migrate(&mut self) -> Result<()> {
        let url = self.url.clone();
        let schema = self.schema.clone();
        let io = |what: &str, e: postgres::Error| Error::Io(format!("store {url} (schema {schema}): {what}: {}", pg_message(&e)));
        let not_ours = |reason: String| Error::param("store", &url, reason);
        let client = self.client.get_mut();
        client.batch_execute(&format!("SET search_path TO \"{schema}\"")).map_err(|e| io("set search_path", e))?;
        let mut t = client.transaction().map_err(|e| io("begin", e))?;
        t.execute("SELECT pg_advisory_xact_lock($1)", &[&self.keys.0]).map_err(|e| io("lock", e))?;
        t.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"")).map_err(|e| io("create schema", e))?;
        let tables: Vec<String> = t
            .query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", &[&schema])
            .map_err(|e| io("read schema", e))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let version: i32 = if tables.is_empty() {
            0
        } else if tables.iter().any(|t| t == "channelwise_meta") {
            let meta: Vec<(String, String)> =
                t.query("SELECT name, value FROM channelwise_meta", &[]).map_err(|e| io("read channelwise_meta", e))?.iter().map(|r| (r.get(0), r.get(1))).collect();
            let get = |k: &str| meta.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            if get("application_id").as_deref() != Some(PG_APPLICATION_ID) {
                return Err(not_ours(format!("schema {schema}: channelwise_meta has application_id {:?}, not {PG_APPLICATION_ID:?}: not a channelwise store", get("application_id"))));
            }
            let v = get("schema_version").unwrap_or_default();
            let v: i32 = v.parse().map_err(|_| not_ours(format!("schema {schema}: schema version {v:?} is not a channelwise version")))?;
            if v > PG_SCHEMA_VERSION {
                return Err(not_ours(format!("schema {schema}: schema version {v} was written by a newer channelwise; this one reads up to version {PG_SCHEMA_VERSION}")));
            }
            if v < 1 {
                return Err(not_ours(format!("schema {schema}: schema version {v} is not a channelwise version")));
            }
            v
        } else {
            return Err(not_ours(format!("schema {schema} holds {} other tables ({}) and no channelwise_meta: not a channelwise store", tables.len(), tables.join(", "))));
        };
        if version < PG_SCHEMA_VERSION {
            if version == 0 {
                t.batch_execute("CREATE TABLE channelwise_meta (name text PRIMARY KEY, value text NOT NULL)").map_err(|e| io("create channelwise_meta", e))?;
            }
            for (v, sql) in PG_MIGRATIONS.iter().enumerate().skip(version as usize) {
                t.batch_execute(sql).map_err(|e| io(&format!("migration to version {}", v + 1), e))?;
            }
            mark(&mut t, PG_SCHEMA_VERSION).map_err(|e| io("mark", e))?;
        }
        t.commit().map_err(|e| io("migrate", e))
    }
}

/// Write the channelwise marker and `version` into `channelwise_meta`.
fn mark(t: &mut Transaction<'_>, version: i32) -> std::result::Result<(), postgres::Error> {
    let upsert = "INSERT INTO channelwise_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
    t.execute(upsert, &[&"application_id", &PG_APPLICATION_ID])?;
    t.execute(upsert, &[&"schema_version", &version.to_string()])?;
    Ok(())
}

/// The server's message with its detail, or the driver's.
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{} ({d})", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}

impl Store for PgStore {
    fn commit(&mut self, tx: Tx) -> Result<Vec<AuditEntry>> {
        let shown = format!("store {} (schema {})", self.url, self.schema);
        let e = |what: &'static str| {
            let shown = shown.clone();
            move |err: postgres::Error| Error::Io(format!("{shown}: {what}: {}", pg_message(&err)))
        };
        let key = self.keys.0;
        let client = self.client.get_mut();
        let mut t = client.transaction().map_err(e("begin"))?;
        // every commit of every process on this store, one at a time
        t.execute("SELECT pg_advisory_xact_lock($1)", &[&key]).map_err(e("lock"))?;
        if let Some(name) = &tx.unless_flag {
            let set = t.query_opt(sql::READ_FLAG, &[name]).map_err(e("read flag"))?;
            if let Some(row) = set {
                let value: String = row.get(0);
                return Err(Error::param(name.as_str(), value, "is set: nothing of this transaction was written"));
            }
        }
        for d in &tx.new_decisions {
            t.execute(sql::INSERT_DECISION, &[&(d.id as i64), &d.status, &d.created_ms, &d.body])
                .map_err(e("insert new decision"))?;
        }
        for d in &tx.decisions {
            t.execute(
                sql::WRITE_DECISION,
                &[&(d.id as i64), &d.status, &d.created_ms, &d.body],
            )
            .map_err(e("write decision"))?;
        }
        for x in &tx.executions {
            t.execute(
                sql::WRITE_EXECUTION,
                &[&x.key, &(x.decision as i64), &(x.step as i32), &x.entity, &x.state, &x.at_ms, &x.body],
            )
            .map_err(e("write execution"))?;
        }
        for en in &tx.entities {
            t.execute(sql::WRITE_ENTITY, &[&en.id, &en.body])
                .map_err(e("write entity"))?;
        }
        for (name, value) in &tx.flags {
            match value {
                Some(v) => t.execute(sql::WRITE_FLAG, &[name, v]),
                None => t.execute(sql::DELETE_FLAG, &[name]),
            }
            .map_err(e("write flag"))?;
        }
        let mut out = Vec::new();
        if !tx.audit.is_empty() {
            let head = t.query_opt(sql::AUDIT_HEAD, &[]).map_err(e("read audit head"))?;
            out = chain_after(head.as_ref().map(|r| (r.get::<_, i64>(0), r.get::<_, &[u8]>(1))), tx.audit);
            for entry in &out {
                let r = &entry.record;
                let row: [&(dyn postgres::types::ToSql + Sync); 8] =
                    [&(entry.seq as i64), &r.at_ms, &r.actor, &r.action, &r.decision.map(|d| d as i64), &r.detail, &&entry.prev_hash[..], &&entry.hash[..]];
                t.execute(sql::APPEND_AUDIT, &row).map_err(e("append audit"))?;
            }
        }
        t.commit().map_err(e("commit"))?;
        Ok(out)
    }

    fn decision(&self, id: u64) -> Result<Option<DecisionRow>> {
        let row = self.client.borrow_mut().query_opt(sql::READ_DECISION, &[&(id as i64)]).map_err(self.io("read decision"))?;
        row.as_ref().map(decision_row).transpose().map_err(self.io("read decision"))
    }

    fn decisions(&self, statuses: &[&str]) -> Result<Vec<DecisionRow>> {
        let rows = if statuses.is_empty() {
            self.client.borrow_mut().query(sql::DECISIONS, &[])
        } else {
            self.client.borrow_mut().query("SELECT id, status, created_ms, body FROM decisions WHERE status = ANY($1) ORDER BY id", &[&statuses])
        }
        .map_err(self.io("read decisions"))?;
        rows.iter().map(decision_row).collect::<std::result::Result<_, _>>().map_err(self.io("read decisions"))
    }

    fn max_decision_id(&self) -> Result<u64> {
        let row = self.client.borrow_mut().query_one(sql::MAX_DECISION, &[]).map_err(self.io("read decisions"))?;
        let m: Option<i64> = row.try_get(0).map_err(self.io("read decisions"))?;
        Ok(m.unwrap_or(0).max(0) as u64)
    }

    fn id(&self) -> Result<String> {
        let row = self.client.borrow_mut().query_one(sql::STORE_ID, &[]).map_err(self.io("read store id"))?;
        row.try_get(0).map_err(self.io("read store id"))
    }

    fn audit_head(&self) -> Result<u64> {
        let row = self.client.borrow_mut().query_one(sql::MAX_AUDIT, &[]).map_err(self.io("read audit head"))?;
        let m: Option<i64> = row.try_get(0).map_err(self.io("read audit head"))?;
        Ok(m.unwrap_or(0).max(0) as u64)
    }

    fn execution(&self, key: &str) -> Result<Option<ExecutionRow>> {
        let row = self.client.borrow_mut().query_opt(sql::READ_EXECUTION, &[&key]).map_err(self.io("read execution"))?;
        row.as_ref().map(execution_row).transpose().map_err(self.io("read execution"))
    }

    fn executions(&self, entity: Option<&str>) -> Result<Vec<ExecutionRow>> {
        let rows = match entity {
            Some(id) => self.client.borrow_mut().query(sql::EXECUTIONS_OF, &[&id]),
            None => self.client.borrow_mut().query(sql::EXECUTIONS, &[]),
        }
        .map_err(self.io("read executions"))?;
        rows.iter().map(execution_row).collect::<std::result::Result<_, _>>().map_err(self.io("read executions"))
    }

    fn executions_in_state(&self, state: &str) -> Result<Vec<ExecutionRow>> {
        let rows = self.client.borrow_mut().query(sql::EXECUTIONS_IN_STATE, &[&state]).map_err(self.io("read executions"))?;
        rows.iter().map(execution_row).collect::<std::result::Result<_, _>>().map_err(self.io("read executions"))
    }

    fn entity(&self, id: &str) -> Result<Option<EntityRow>> {
        let row = self.client.borrow_mut().query_opt(sql::READ_ENTITY, &[&id]).map_err(self.io("read entity"))?;
        row.map(|r| Ok(EntityRow { id: r.try_get(0)?, body: r.try_get(1)? })).transpose().map_err(self.io("read entity"))
    }

    fn entities(&self) -> Result<Vec<EntityRow>> {
        let rows = self.client.borrow_mut().query(sql::ENTITIES, &[]).map_err(self.io("read entities"))?;
        rows.iter().map(|r| Ok(EntityRow { id: r.try_get(0)?, body: r.try_get(1)? })).collect::<std::result::Result<_, _>>().map_err(self.io("read entities"))
    }

    fn flag(&self, name: &str) -> Result<Option<String>> {
        let row = self.client.borrow_mut().query_opt(sql::READ_FLAG, &[&name]).map_err(self.io("read flag"))?;
        row.map(|r| r.try_get(0)).transpose().map_err(self.io("read flag"))
    }

    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditEntry>> {
        let from = i64::try_from(from_seq).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .borrow_mut()
            .query(sql::READ_AUDIT, &[&from, &limit])
            .map_err(self.io("read audit"))?;
        rows.iter().map(audit_row).collect::<std::result::Result<_, _>>().map_err(self.io("read audit"))
    }

    fn try_lock_execution(&mut self) -> Result<bool> {
        if self.locked {
            return Ok(true);
        }
        let row = self.client.borrow_mut().query_one("SELECT pg_try_advisory_lock($1)", &[&self.keys.1]).map_err(self.io("take the execution lock"))?;
        self.locked = row.try_get(0).map_err(self.io("take the execution lock"))?;
        Ok(self.locked)
    }

    fn unlock_execution(&mut self) -> Result<()> {
        if !self.locked {
            return Ok(());
        }
        self.client.borrow_mut().execute("SELECT pg_advisory_unlock($1)", &[&self.keys.1]).map_err(self.io("release the execution lock"))?;
        self.locked = false;
        Ok(())
    }
}
