//! The engine's state and its audit log, behind one [`Store`] trait.
//!
//! A store holds the rows the engine keeps between calls and between processes, and the audit
//! log. Every state change reaches it as one [`Tx`] (decisions, executions, the known state of
//! entities, flags such as the emergency stop, and the audit records that describe the change),
//! which a backend applies in a single database transaction: either all of it is there after a
//! crash, or none of it.
//!
//! | Table | Row | What it is for |
//! |---|---|---|
//! | decisions | [`DecisionRow`] | every decision with its status (pending, approved, executed, ...) |
//! | executions | [`ExecutionRow`] | one row per idempotency key sent to a platform: the counters behind the change-per-window and change-frequency guardrails, and the proof a key was sent |
//! | entities | [`EntityRow`] | the engine's last known state of each entity (the ledger the spend caps are checked against) |
//! | flags | name -> text | the emergency stop, anomaly days |
//! | channelwise_meta | name -> text | the store's [`Store::id`] |
//! | audit | [`AuditEntry`] | append-only, hash-chained |
//!
//! # The hash chain
//! Entry `n` (numbered from 1) carries `prev_hash`, the SHA-256 of entry `n - 1`'s canonical
//! bytes (32 zero bytes for entry 1), and its own `hash`, the SHA-256 of its canonical bytes:
//!
//! ```text
//! "channelwise-audit-v1\0" | seq (u64 BE) | at_ms (i64 BE) | decision (1 byte 0/1, then u64 BE)
//! | actor | action | detail (each u32 BE length, then UTF-8 bytes) | prev_hash (32 bytes)
//! ```
//!
//! [`verify_chain`] walks the entries in sequence order and names the first one that is wrong:
//! an entry whose content no longer matches its hash (edited), a gap in the numbers (deleted),
//! an entry that links to another than its predecessor (reordered), or an entry whose
//! predecessor was changed and re-hashed. A chain cannot show that its newest entries were cut
//! off or rewritten together with every hash after them: keep [`ChainSummary::head_hash`]
//! somewhere else (a ticket, a log line) and compare it with [`ChainSummary::anchored`].
//!
//! # Backends
//! [`open`] takes one string and picks the backend: a file path (or `:memory:`) for
//! [`SqliteStore`] (feature `sqlite`, on by default; nothing to install), a
//! `postgresql://...` url for `PgStore` (feature `postgres`), for several engine processes
//! sharing one store. Both pass the same test suite (`core/tests/decide_store.rs`,
//! `decide_engine.rs`, `decide_feedback.rs`, run on PostgreSQL when `CW_PG_URL` is set).
//!
//! ```text
//! decisions.db                                               SQLite file (WAL, synchronous=FULL)
//! postgresql://engine:secret@db:5432/marketing?schema=cw    PostgreSQL, tables in schema `cw`
//! ```
//!
//! # Several engines on one store
//! Every commit is serialised with every other commit on the store (SQLite's write lock, a
//! PostgreSQL advisory transaction lock), so a stop written by one process halts the next send
//! of every other ([`Tx::unless_flag`]) and the audit chain stays one gapless chain. An engine
//! executes or rolls back a decision only while it holds the store's execution lock
//! ([`Store::try_lock_execution`]: a PostgreSQL session advisory lock, an exclusive lock on
//! the SQLite file `<path>-lock`); another engine defers meanwhile. So two engines never send
//! the same stage twice, never both treat an execution still under way as one in doubt, and
//! never check the caps without the other's changes. The locks go with the connection: a
//! crashed engine blocks nobody. (`core/tests/decide_two_process.rs` races two processes over
//! one store.)
//!
//! # Schema versions
//! Each backend marks its store (SQLite: `PRAGMA application_id` and `user_version`;
//! PostgreSQL: the `channelwise_meta` table) and keeps its migrations as a list of DDL steps
//! ([`MIGRATIONS`], `PG_MIGRATIONS`): opening a store of an older version runs the missing
//! steps in one transaction; a store of a newer version, or a database of something else, is
//! refused with `invalid_parameter` naming it. Version 2 adds a unique index on the executions'
//! start order (every execution write reads its maximum).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

#[cfg(feature = "postgres")]
mod pg_tls;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "postgres")]
pub use postgres::{PgStore, PG_APPLICATION_ID, PG_MIGRATIONS, PG_SCHEMA_VERSION};
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteStore, APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};

/// The statements both SQL backends run as written (SQLite reads `$1` as parameter 1 too).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql {
    pub(super) const READ_FLAG: &str = "SELECT value FROM flags WHERE name = $1";
    pub(super) const INSERT_DECISION: &str = "INSERT INTO decisions (id, status, created_ms, body) VALUES ($1, $2, $3, $4)";
    pub(super) const WRITE_DECISION: &str = "INSERT INTO decisions (id, status, created_ms, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body";
    pub(super) const WRITE_EXECUTION: &str = "INSERT INTO executions (key, decision, step, entity, state, at_ms, body, started)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(started), 0) + 1 FROM executions))
     ON CONFLICT (key) DO UPDATE SET state = excluded.state, body = excluded.body";
    pub(super) const WRITE_ENTITY: &str = "INSERT INTO entities (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = excluded.body";
    pub(super) const WRITE_FLAG: &str = "INSERT INTO flags (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
    pub(super) const DELETE_FLAG: &str = "DELETE FROM flags WHERE name = $1";
    pub(super) const AUDIT_HEAD: &str = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
    pub(super) const APPEND_AUDIT: &str = "INSERT INTO audit (seq, at_ms, actor, action, decision, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    pub(super) const READ_DECISION: &str = "SELECT id, status, created_ms, body FROM decisions WHERE id = $1";
    pub(super) const DECISIONS: &str = "SELECT id, status, created_ms, body FROM decisions ORDER BY id";
    pub(super) const MAX_DECISION: &str = "SELECT max(id) FROM decisions";
    pub(super) const STORE_ID: &str = "SELECT value FROM channelwise_meta WHERE name = 'store_id'";
    pub(super) const MAX_AUDIT: &str = "SELECT max(seq) FROM audit";
    pub(super) const READ_EXECUTION: &str = "SELECT key, decision, step, entity, state, at_ms, body FROM executions WHERE key = $1";
    pub(super) const EXECUTIONS_OF: &str = "SELECT key, decision, step, entity, state, at_ms, body FROM executions WHERE entity = $1 ORDER BY started";
    pub(super) const EXECUTIONS: &str = "SELECT key, decision, step, entity, state, at_ms, body FROM executions ORDER BY started";
    pub(super) const EXECUTIONS_IN_STATE: &str = "SELECT key, decision, step, entity, state, at_ms, body FROM executions WHERE state = $1 ORDER BY started";
    pub(super) const READ_ENTITY: &str = "SELECT id, body FROM entities WHERE id = $1";
    pub(super) const ENTITIES: &str = "SELECT id, body FROM entities ORDER BY id";
    pub(super) const READ_AUDIT: &str = "SELECT seq, at_ms, actor, action, decision, detail, prev_hash, hash FROM audit WHERE seq >= $1 ORDER BY seq LIMIT $2";
}

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Open the store a binding or a configuration names: `"postgresql://..."` or `"postgres://..."`
/// for a PostgreSQL server (feature `postgres`), anything else as a SQLite file path
/// (`":memory:"` for one that lives as long as the value; feature `sqlite`).
///
/// # Errors
/// `invalid_parameter` (field `store`, value `spec`) when the backend it names was left out of
/// this build, or when the store is not a channelwise store or is newer than this version; `io`
/// when the database cannot be reached or opened.
pub fn open(spec: &str) -> Result<Box<dyn Store + Send>> {
    let server = spec.starts_with("postgresql://") || spec.starts_with("postgres://");
    #[cfg(feature = "postgres")]
    if server {
        return Ok(Box::new(PgStore::open(spec)?));
    }
    #[cfg(not(feature = "postgres"))]
    if server {
        return Err(Error::param("store", redact_url(spec), "this build has no PostgreSQL store (cargo feature `postgres`)"));
    }
    #[cfg(feature = "sqlite")]
    {
        Ok(Box::new(SqliteStore::open(spec)?))
    }
    #[cfg(not(feature = "sqlite"))]
    {
        Err(Error::param("store", spec, "this build has no SQLite store (cargo feature `sqlite`)"))
    }
}


/// `url` with the password (in the user info or a `password=` parameter) replaced by `***`.
///
/// ```
/// use channelwise::decide::store::redact_url;
/// assert_eq!(redact_url("postgresql://ana:s3cret@db:5432/x?password=p&schema=s"), "postgresql://ana:***@db:5432/x?password=***&schema=s");
/// ```
pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (auth, host) = match rest.rfind('@') {
                Some(at) => (Some(&rest[..at]), &rest[at..]),
                None => (None, rest),
            };
            match auth.and_then(|a| a.split_once(':')) {
                Some((user, _)) => format!("{scheme}://{user}:***{host}"),
                None => base.to_string(),
            }
        }
        None => base.to_string(),
    };
    if let Some(q) = query {
        let parts: Vec<String> = q
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => p.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    out
}

/// One decision as stored: its id, status and creation time as columns (for queries), the
/// whole decision as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRow {
    /// Decision id, from 1.
    pub id: u64,
    /// Status code, e.g. `"pending"`.
    pub status: String,
    /// When it was proposed (ms since the epoch).
    pub created_ms: i64,
    /// The decision as JSON.
    pub body: String,
}

/// One idempotency key sent (or about to be sent) to a platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionRow {
    /// The idempotency key, unique in the store.
    pub key: String,
    /// The decision it belongs to.
    pub decision: u64,
    /// Stage of a staged rollout (from 1); 0 for a rollback.
    pub step: u32,
    /// The entity changed.
    pub entity: String,
    /// `"started"` (sent, outcome not known yet), `"applied"` or `"failed"`.
    pub state: String,
    /// When it was started (ms since the epoch).
    pub at_ms: i64,
    /// Details as JSON (the change, the state before, the read-back).
    pub body: String,
}

/// The engine's last known state of an entity, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRow {
    /// Entity id.
    pub id: String,
    /// The state as JSON.
    pub body: String,
}

/// An audit record before it is chained: what happened, when, by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// Who: a named person, or `"engine"`.
    pub actor: String,
    /// What, e.g. `"propose"`, `"approve"`, `"execute"`, `"stop"`.
    pub action: String,
    /// The decision concerned, if one.
    pub decision: Option<u64>,
    /// Details as JSON.
    pub detail: String,
}

/// An audit entry: a record with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Sequence number, from 1, without gaps.
    pub seq: u64,
    /// The record.
    #[serde(flatten)]
    pub record: AuditRecord,
    /// SHA-256 of the previous entry's canonical bytes (zeros for entry 1).
    #[serde(with = "hex32")]
    pub prev_hash: Hash,
    /// SHA-256 of this entry's canonical bytes.
    #[serde(with = "hex32")]
    pub hash: Hash,
}

impl AuditEntry {
    /// Chain `record` after an entry whose hash is `prev_hash`, as number `seq`.
    ///
    /// ```
    /// use channelwise::decide::store::{AuditEntry, AuditRecord};
    /// let r = AuditRecord { at_ms: 0, actor: "ana".into(), action: "stop".into(), decision: None, detail: "{}".into() };
    /// let first = AuditEntry::chain(1, r.clone(), [0; 32]);
    /// let second = AuditEntry::chain(2, r, first.hash);
    /// assert!(first.hash_matches() && second.prev_hash == first.hash);
    /// ```
    pub fn chain(seq: u64, record: AuditRecord, prev_hash: Hash) -> Self {
        let hash = entry_hash(seq, &record, &prev_hash);
        AuditEntry { seq, record, prev_hash, hash }
    }

    /// The canonical bytes that are hashed (see the [module docs](self)).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical(self.seq, &self.record, &self.prev_hash)
    }

    /// Whether `hash` is the SHA-256 of the entry's canonical bytes.
    pub fn hash_matches(&self) -> bool {
        entry_hash(self.seq, &self.record, &self.prev_hash) == self.hash
    }
}

fn canonical(seq: u64, r: &AuditRecord, prev: &Hash) -> Vec<u8> {
    let mut b = Vec::with_capacity(96 + r.actor.len() + r.action.len() + r.detail.len());
    b.extend_from_slice(b"channelwise-audit-v1\0");
    b.extend_from_slice(&seq.to_be_bytes());
    b.extend_from_slice(&r.at_ms.to_be_bytes());
    match r.decision {
        Some(d) => {
            b.push(1);
            b.extend_from_slice(&d.to_be_bytes());
        }
        None => b.push(0),
    }
    for s in [&r.actor, &r.action, &r.detail] {
        // lengths above u32::MAX cannot be stored by any backend; saturate rather than panic
        b.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes());
        b.extend_from_slice(s.as_bytes());
    }
    b.extend_from_slice(prev);
    b
}

fn entry_hash(seq: u64, r: &AuditRecord, prev: &Hash) -> Hash {
    Sha256::digest(canonical(seq, r, prev)).into()
}

/// Lowercase hex of a digest.
pub fn hex(h: &Hash) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash as a backend stored it; a stored value of another length than 32 bytes becomes a
/// digest that matches nothing, so [`verify_chain`] names the entry.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn hash_column(v: &[u8]) -> Hash {
    let mut h = [0u8; 32];
    for (o, b) in h.iter_mut().zip(v.iter()) {
        *o = *b;
    }
    if v.len() != 32 {
        h[0] ^= 0xff;
    }
    h
}

/// `records` chained after the newest entry `head` (its number and stored hash; `None` for an
/// empty log): what a backend appends.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn chain_after(head: Option<(i64, &[u8])>, records: Vec<AuditRecord>) -> Vec<AuditEntry> {
    let (mut seq, mut prev) = head.map_or((0u64, [0u8; 32]), |(s, h)| (s as u64, hash_column(h)));
    records
        .into_iter()
        .map(|rec| {
            seq += 1;
            let entry = AuditEntry::chain(seq, rec, prev);
            prev = entry.hash;
            entry
        })
        .collect()
}

fn unhex(s: &str) -> Option<Hash> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(h: &super::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(h))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Hash, D::Error> {
        let s = String::deserialize(d)?;
        super::unhex(&s).ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
    }
}

/// What [`verify_chain`] found in a sound chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainSummary {
    /// Entries checked.
    pub entries: u64,
    /// Sequence number of the newest entry (0 when empty).
    pub head_seq: u64,
    /// Hash of the newest entry, lowercase hex (zeros when empty).
    pub head_hash: String,
}

impl ChainSummary {
    /// Check that an anchor kept elsewhere (`seq` and `hash` of an entry as they were read
    /// once) is still the chain's entry `seq`: catches a tail cut off or rewritten as a whole.
    ///
    /// # Errors
    /// `invalid_record` (row = `seq`, column `hash`) when the chain is shorter than `seq` or
    /// the entry there has another hash.
    pub fn anchored(&self, store: &dyn Store, seq: u64, hash: &str) -> Result<()> {
        let bad = |reason: String| Error::InvalidRecord { row: seq as usize, column: "hash".into(), value: hash.into(), reason };
        if seq > self.head_seq {
            return Err(bad(format!("the audit log ends at entry {}: entries up to {seq} were removed", self.head_seq)));
        }
        let got = store.audit(seq, 1)?;
        match got.first() {
            Some(e) if e.seq == seq && hex(&e.hash) == hash => Ok(()),
            Some(e) => Err(bad(format!("audit entry {seq} now has hash {}: the chain was rewritten from there", hex(&e.hash)))),
            None => Err(bad(format!("audit entry {seq} is missing"))),
        }
    }
}

/// Walk `entries` (in the order the store returns them, by sequence number) and check the
/// chain.
///
/// # Errors
/// `invalid_record` naming the entry (`row` = its sequence number) and what is wrong:
/// column `hash` (its content was edited), `seq` (entries before it were deleted, or it was
/// moved: "reordered"), `prev_hash` (its predecessor was edited and re-hashed).
///
/// ```
/// use channelwise::decide::store::{verify_chain, AuditEntry, AuditRecord};
/// let r = |a: &str| AuditRecord { at_ms: 0, actor: "engine".into(), action: a.into(), decision: None, detail: "{}".into() };
/// let e1 = AuditEntry::chain(1, r("propose"), [0; 32]);
/// let mut e2 = AuditEntry::chain(2, r("approve"), e1.hash);
/// assert_eq!(verify_chain(vec![e1.clone(), e2.clone()])?.entries, 2);
/// e2.record.actor = "mallory".into();
/// let err = verify_chain(vec![e1, e2]).unwrap_err();
/// assert!(err.to_string().contains("audit entry 2 was edited"));
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn verify_chain(entries: impl IntoIterator<Item = AuditEntry>) -> Result<ChainSummary> {
    let entries: Vec<AuditEntry> = entries.into_iter().collect();
    let by_hash: BTreeMap<Hash, u64> = entries.iter().map(|e| (e.hash, e.seq)).collect();
    let bad = |seq: u64, column: &str, value: String, reason: String| Error::InvalidRecord { row: seq as usize, column: column.into(), value, reason };
    let mut prev: Hash = [0; 32];
    let mut expected = 1u64;
    for (pos, e) in entries.iter().enumerate() {
        let moved_from = by_hash.get(&e.prev_hash).copied().filter(|&m| m.saturating_add(1) != e.seq);
        if e.seq != expected {
            if e.seq > expected && !e.hash_matches() {
                // the entry's own number was changed: it is a moved entry, not a gap
            } else if e.seq > expected {
                let reason = if expected + 1 == e.seq {
                    format!("audit entry {expected} is missing (deleted)")
                } else {
                    format!("audit entries {expected} to {} are missing (deleted)", e.seq - 1)
                };
                return Err(bad(e.seq, "seq", e.seq.to_string(), reason));
            } else {
                return Err(bad(e.seq, "seq", e.seq.to_string(), format!("audit entry at position {} repeats number {} (reordered)", pos + 1, e.seq)));
            }
        }
        if !e.hash_matches() {
            // an entry whose number alone was changed still hashes right under its true number
            let last = entries.last().map_or(0, |l| l.seq).max(entries.len() as u64) + 1;
            if let Some(orig) = (1..=last).find(|&s| s != e.seq && AuditEntry::chain(s, e.record.clone(), e.prev_hash).hash == e.hash) {
                return Err(bad(e.seq, "seq", e.seq.to_string(), format!("audit entry {orig} was moved to position {} (reordered)", e.seq)));
            }
            return Err(bad(e.seq, "hash", hex(&e.hash), format!("audit entry {} was edited: its content no longer matches its hash", e.seq)));
        }
        if e.prev_hash != prev {
            let reason = match moved_from {
                Some(m) => format!("audit entry {} links to entry {m}, not to entry {} (reordered)", e.seq, e.seq - 1),
                None => format!("audit entry {} was edited after entry {} was written: its hash is not entry {}'s prev_hash", e.seq.saturating_sub(1), e.seq, e.seq),
            };
            return Err(bad(e.seq, "prev_hash", hex(&e.prev_hash), reason));
        }
        prev = e.hash;
        expected = e.seq + 1;
    }
    Ok(ChainSummary { entries: entries.len() as u64, head_seq: expected - 1, head_hash: hex(&prev) })
}

/// One state change and its audit records, applied by a [`Store`] in one transaction.
///
/// Rows replace the rows of the same key (decision id, idempotency key, entity id, flag
/// name), except `new_decisions`, which must be new; a flag set to `None` is removed. Audit records are appended, chained, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tx {
    /// New decisions: inserted, and a decision of the same id already stored fails the whole
    /// commit (two writers never overwrite each other's new decision).
    pub new_decisions: Vec<DecisionRow>,
    /// Decisions to write.
    pub decisions: Vec<DecisionRow>,
    /// Executions to write.
    pub executions: Vec<ExecutionRow>,
    /// Entity states to write.
    pub entities: Vec<EntityRow>,
    /// Flags to set (`Some`) or clear (`None`).
    pub flags: Vec<(String, Option<String>)>,
    /// Audit records to append.
    pub audit: Vec<AuditRecord>,
    /// Commit only if this flag is not set, checked inside the transaction (so a stop written
    /// by another process sharing the store halts a send that had not committed yet).
    pub unless_flag: Option<String>,
}

impl Tx {
    /// Whether the transaction changes nothing.
    pub fn is_empty(&self) -> bool {
        self.new_decisions.is_empty() && self.decisions.is_empty() && self.executions.is_empty() && self.entities.is_empty() && self.flags.is_empty() && self.audit.is_empty()
    }
}

/// Where the engine keeps its state and its audit log.
///
/// A backend applies each [`Tx`] atomically and durably (when `commit` returns, a crash does
/// not lose it), keeps the audit log append-only, and numbers entries from 1 without gaps.
pub trait Store {
    /// Apply `tx` in one transaction; the audit entries it appended, chained.
    ///
    /// # Errors
    /// `invalid_parameter` (field = the flag's name, value = its value) when
    /// [`Tx::unless_flag`] is set in the store; `io` when the database fails. Nothing of `tx`
    /// is written then.
    fn commit(&mut self, tx: Tx) -> Result<Vec<AuditEntry>>;

    /// One decision.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn decision(&self, id: u64) -> Result<Option<DecisionRow>>;

    /// Decisions, oldest first; only those with one of `statuses` unless it is empty.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn decisions(&self, statuses: &[&str]) -> Result<Vec<DecisionRow>>;

    /// The largest decision id stored (0 when none).
    ///
    /// # Errors
    /// `io` when the database fails.
    fn max_decision_id(&self) -> Result<u64>;

    /// The store's id: 16 random hex digits drawn by the database when the store was created,
    /// the same for every process that opens it. The engine puts it in front of its
    /// idempotency keys (`{id}/d{decision}/s{stage}`), so a second store on the same ad account
    /// (a recreated database, another environment) never sends a key of the first's, which
    /// the platform would take as a replay and not apply. It is empty for a store that had
    /// sent keys before ids existed (schema version 2 or older), whose decisions keep their
    /// keys (`d{decision}/s{stage}`).
    ///
    /// # Errors
    /// `io` when the database fails.
    fn id(&self) -> Result<String>;

    /// One execution by idempotency key.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn execution(&self, key: &str) -> Result<Option<ExecutionRow>>;

    /// Executions, in the order they were started; of one entity, or all.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn executions(&self, entity: Option<&str>) -> Result<Vec<ExecutionRow>>;

    /// Executions in one state (`"started"`: the keys whose outcome is not known), in the order
    /// they were started.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn executions_in_state(&self, state: &str) -> Result<Vec<ExecutionRow>> {
        Ok(self.executions(None)?.into_iter().filter(|x| x.state == state).collect())
    }

    /// The known state of an entity.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn entity(&self, id: &str) -> Result<Option<EntityRow>>;

    /// Every known entity, by id.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn entities(&self) -> Result<Vec<EntityRow>>;

    /// A flag's value.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn flag(&self, name: &str) -> Result<Option<String>>;

    /// Up to `limit` audit entries from number `from_seq` on, in order.
    ///
    /// # Errors
    /// `io` when the database fails.
    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditEntry>>;

    /// The number of the newest audit entry (0 when the log is empty).
    ///
    /// # Errors
    /// `io` when the database fails.
    fn audit_head(&self) -> Result<u64>;

    /// Check the whole audit chain ([`verify_chain`]).
    ///
    /// # Errors
    /// As [`verify_chain`]; `io` when the database fails.
    fn verify(&self) -> Result<ChainSummary> {
        verify_chain(self.audit(1, usize::MAX)?)
    }

    /// Take the store's execution lock without waiting: `true` when this value holds it now
    /// (also when it held it already), `false` when another engine sharing the store does. The
    /// engine holds it while it executes or rolls back a decision, so two engines on one store
    /// never send the same stage twice (nor check guardrails against each other's half-done
    /// changes). A lock held by a process that dies is released with it. The default, for a
    /// store only one value can open, always grants it.
    ///
    /// # Errors
    /// `io` when the lock cannot be asked for.
    fn try_lock_execution(&mut self) -> Result<bool> {
        Ok(true)
    }

    /// Release the execution lock (nothing when not held).
    ///
    /// # Errors
    /// `io` when the database fails.
    fn unlock_execution(&mut self) -> Result<()> {
        Ok(())
    }
}

/// A boxed store is a store (what [`open`] returns, and what the bindings hold).
impl<T: Store + ?Sized> Store for Box<T> {
    fn commit(&mut self, tx: Tx) -> Result<Vec<AuditEntry>> {
        (**self).commit(tx)
    }
    fn decision(&self, id: u64) -> Result<Option<DecisionRow>> {
        (**self).decision(id)
    }
    fn decisions(&self, statuses: &[&str]) -> Result<Vec<DecisionRow>> {
        (**self).decisions(statuses)
    }
    fn max_decision_id(&self) -> Result<u64> {
        (**self).max_decision_id()
    }
    fn id(&self) -> Result<String> {
        (**self).id()
    }
    fn execution(&self, key: &str) -> Result<Option<ExecutionRow>> {
        (**self).execution(key)
    }
    fn executions(&self, entity: Option<&str>) -> Result<Vec<ExecutionRow>> {
        (**self).executions(entity)
    }
    fn executions_in_state(&self, state: &str) -> Result<Vec<ExecutionRow>> {
        (**self).executions_in_state(state)
    }
    fn entity(&self, id: &str) -> Result<Option<EntityRow>> {
        (**self).entity(id)
    }
    fn entities(&self) -> Result<Vec<EntityRow>> {
        (**self).entities()
    }
    fn flag(&self, name: &str) -> Result<Option<String>> {
        (**self).flag(name)
    }
    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditEntry>> {
        (**self).audit(from_seq, limit)
    }
    fn audit_head(&self) -> Result<u64> {
        (**self).audit_head()
    }
    fn verify(&self) -> Result<ChainSummary> {
        (**self).verify()
    }
    fn try_lock_execution(&mut self) -> Result<bool> {
        (**self).try_lock_execution()
    }
    fn unlock_execution(&mut self) -> Result<()> {
        (**self).unlock_execution()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(i: u64) -> AuditRecord {
        AuditRecord { at_ms: i as i64, actor: "engine".into(), action: format!("a{i}"), decision: Some(i), detail: "{}".into() }
    }

    fn chain(n: u64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 1..=n {
            let prev = out.last().map_or([0; 32], |e| e.hash);
            out.push(AuditEntry::chain(i, rec(i), prev));
        }
        out
    }

    fn err(entries: Vec<AuditEntry>) -> (usize, String, String) {
        match verify_chain(entries).unwrap_err() {
            Error::InvalidRecord { row, column, reason, .. } => (row, column, reason),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn sound_chain_verifies() {
        let s = verify_chain(chain(5)).unwrap();
        assert_eq!((s.entries, s.head_seq), (5, 5));
        assert_eq!(s.head_hash, hex(&chain(5)[4].hash));
        assert_eq!(verify_chain(Vec::new()).unwrap().head_seq, 0);
    }

    #[test]
    fn edit_delete_reorder_are_named() {
        let mut c = chain(5);
        c[2].record.detail = "{\"x\":1}".into();
        let (row, col, why) = err(c);
        assert_eq!((row, col.as_str()), (3, "hash"));
        assert!(why.contains("entry 3 was edited"), "{why}");

        let mut c = chain(5);
        c.remove(2);
        let (row, col, why) = err(c);
        assert_eq!((row, col.as_str()), (4, "seq"));
        assert!(why.contains("entry 3 is missing"), "{why}");

        // rows 3 and 4 exchanged, their numbers rewritten to fit the position
        let mut c = chain(5);
        c.swap(2, 3);
        c[2].seq = 3;
        c[3].seq = 4;
        let (row, _, why) = err(c);
        assert_eq!(row, 3);
        assert!(why.contains("reordered"), "{why}");

        // an edit re-hashed: the next entry's link breaks
        let mut c = chain(5);
        c[1].record.actor = "mallory".into();
        c[1] = AuditEntry::chain(2, c[1].record.clone(), c[1].prev_hash);
        let (row, col, why) = err(c);
        assert_eq!((row, col.as_str()), (3, "prev_hash"));
        assert!(why.contains("entry 2 was edited"), "{why}");
    }

    #[test]
    #[cfg(feature = "sqlite")]
    fn open_names_the_backend() {
        let mut s = open(":memory:").unwrap();
        assert_eq!(s.max_decision_id().unwrap(), 0);
        let rec = AuditRecord { at_ms: 1, actor: "t".into(), action: "a".into(), decision: None, detail: "{}".into() };
        s.commit(Tx { audit: vec![rec], ..Tx::default() }).unwrap();
        assert_eq!(s.verify().unwrap().entries, 1);
        #[cfg(not(feature = "postgres"))]
        match open("postgresql://localhost/x") {
            Err(Error::InvalidParameter { field, value, .. }) => assert_eq!((field.as_str(), value.as_str()), ("store", "postgresql://localhost/x")),
            _ => panic!("a postgres url without the feature must be refused"),
        }
        // with the feature, the url reaches the PostgreSQL store (nothing listens on port 1)
        #[cfg(feature = "postgres")]
        match open("postgresql://ana:s3cret@127.0.0.1:1/x?connect_timeout=2") {
            Err(e @ Error::Io(_)) => assert!(e.to_string().contains("ana:***@127.0.0.1:1") && !e.to_string().contains("s3cret"), "{e}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("nothing listens on port 1"),
        }
    }

    #[test]
    fn json_round_trip() {
        let e = chain(1).remove(0);
        let j = serde_json::to_string(&e).unwrap();
        assert!(j.contains("\"prev_hash\":\"0000"));
        let back: AuditEntry = serde_json::from_str(&j).unwrap();
        assert_eq!(back, e);
    }
}
