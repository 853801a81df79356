//! The store backends the decide tests run on: SQLite always, PostgreSQL when `CW_PG_URL` names
//! a server (and the crate is built with `--features postgres`). A test is written once as a
//! `fn(&dyn Backend)` and listed in [`on_every_store!`], which makes one `#[test]` per backend.
//!
//! `CW_REQUIRE_PG=1` turns a missing `CW_PG_URL` (or a build without the feature) into a failed
//! test, so CI cannot skip the PostgreSQL half silently (`scripts/test.sh` sets it).

#![allow(dead_code, unreachable_pub)] // each test crate uses part of it

use channelwise::decide::store::{self, AuditEntry, DecisionRow, ExecutionRow, Store};

/// One backend: where its stores live and how to reach under the store's API (tampering,
/// fixtures written by an older version).
pub trait Backend {
    /// `"sqlite"` or `"postgres"`.
    fn name(&self) -> &'static str;
    /// The spec ([`store::open`]) of a new, empty store of its own for `tag` (a lowercase word).
    fn fresh(&self, tag: &str) -> String;
    /// Open the store at `spec`.
    fn open(&self, spec: &str) -> Box<dyn Store + Send> {
        store::open(spec).unwrap_or_else(|e| panic!("{}: open {spec}: {e}", self.name()))
    }
    /// Run SQL directly on the store's database (its tables resolve unqualified).
    fn sql(&self, spec: &str, sql: &str) -> Result<(), String>;
    /// SQL that drops the audit table's append-only triggers.
    fn unguard_sql(&self) -> &'static str;
    /// SQL that makes every insert into `flags` fail with "boom".
    fn sabotage_flags_sql(&self) -> &'static str;
    /// SQL that marks the store with schema version `v`.
    fn set_version_sql(&self, v: i64) -> String;
    /// The store's schema version as marked in the database.
    fn version(&self, spec: &str) -> i64;
    /// The schema version this build writes.
    fn current_version(&self) -> i64;
    /// Whether the store has an index named `name`.
    fn has_index(&self, spec: &str, name: &str) -> bool;
    /// Write a store at `spec` with the version 1 DDL only (marked as version 1) and these rows,
    /// as channelwise 0.1 wrote them.
    fn write_v1(&self, spec: &str, decisions: &[DecisionRow], executions: &[ExecutionRow], audit: &[AuditEntry]);
}

/// SQLite files in a temp dir of this process.
pub struct Sqlite;

fn temp_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("cw-decide-stores-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl Backend for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn fresh(&self, tag: &str) -> String {
        let p = temp_dir().join(format!("{tag}.db"));
        for suffix in ["", "-wal", "-shm", "-lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
        p.display().to_string()
    }

    fn sql(&self, spec: &str, sql: &str) -> Result<(), String> {
        rusqlite::Connection::open(spec).and_then(|c| c.execute_batch(sql)).map_err(|e| e.to_string())
    }

    fn unguard_sql(&self) -> &'static str {
        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
    }

    fn sabotage_flags_sql(&self) -> &'static str {
        "CREATE TRIGGER boom BEFORE INSERT ON flags BEGIN SELECT RAISE(ABORT, 'boom'); END;"
    }

    fn set_version_sql(&self, v: i64) -> String {
        format!("PRAGMA user_version = {v};")
    }

    fn version(&self, spec: &str) -> i64 {
        rusqlite::Connection::open(spec).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
    }

    fn current_version(&self) -> i64 {
        i64::from(store::SCHEMA_VERSION)
    }

    fn has_index(&self, spec: &str, name: &str) -> bool {
        let c = rusqlite::Connection::open(spec).unwrap();
        c.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1", [name], |r| r.get::<_, i64>(0)).unwrap() == 1
    }

    fn write_v1(&self, spec: &str, decisions: &[DecisionRow], executions: &[ExecutionRow], audit: &[AuditEntry]) {
        use rusqlite::params;
        let mut c = rusqlite::Connection::open(spec).unwrap();
        let t = c.transaction().unwrap();
        t.execute_batch(store::MIGRATIONS[0]).unwrap();
        t.execute_batch(&format!("PRAGMA application_id = {}; PRAGMA user_version = 1;", store::APPLICATION_ID)).unwrap();
        for d in decisions {
            t.execute("INSERT INTO decisions (id, status, created_ms, body) VALUES (?1, ?2, ?3, ?4)", params![d.id as i64, d.status, d.created_ms, d.body]).unwrap();
        }
        for (i, x) in executions.iter().enumerate() {
            t.execute(
                "INSERT INTO executions (key, decision, step, entity, state, at_ms, body, started) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![x.key, x.decision as i64, i64::from(x.step), x.entity, x.state, x.at_ms, x.body, i as i64 + 1],
            )
            .unwrap();
        }
        for e in audit {
            let r = &e.record;
            t.execute(
                "INSERT INTO audit (seq, at_ms, actor, action, decision, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![e.seq as i64, r.at_ms, r.actor, r.action, r.decision.map(|d| d as i64), r.detail, &e.prev_hash[..], &e.hash[..]],
            )
            .unwrap();
        }
        t.commit().unwrap();
    }
}

/// Schemas of the database `CW_PG_URL` names, one per test (`t<pid>_<tag>`).
#[cfg(feature = "postgres")]
pub struct Postgres {
    url: String,
}

#[cfg(feature = "postgres")]
impl Postgres {
    fn schema_of(spec: &str) -> &str {
        spec.rsplit_once("schema=").map_or("channelwise", |(_, s)| s)
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap_or_else(|e| panic!("connect to CW_PG_URL: {e}"))
    }

    fn with_schema(&self, spec: &str) -> postgres::Client {
        let mut c = self.client();
        let schema = Self::schema_of(spec);
        c.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"; SET search_path TO \"{schema}\"")).unwrap();
        c
    }
}

#[cfg(feature = "postgres")]
impl Backend for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn fresh(&self, tag: &str) -> String {
        let schema = format!("t{}_{tag}", std::process::id());
        self.client().batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE")).unwrap();
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}schema={schema}", self.url)
    }

    fn sql(&self, spec: &str, sql: &str) -> Result<(), String> {
        self.with_schema(spec).batch_execute(sql).map_err(|e| e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_string()))
    }

    fn unguard_sql(&self) -> &'static str {
        "DROP TRIGGER audit_no_update ON audit; DROP TRIGGER audit_no_truncate ON audit;"
    }

    fn sabotage_flags_sql(&self) -> &'static str {
        "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
         CREATE TRIGGER boom BEFORE INSERT ON flags FOR EACH ROW EXECUTE FUNCTION boom();"
    }

    fn set_version_sql(&self, v: i64) -> String {
        format!("UPDATE channelwise_meta SET value = '{v}' WHERE name = 'schema_version'")
    }

    fn version(&self, spec: &str) -> i64 {
        let v: String = self.with_schema(spec).query_one("SELECT value FROM channelwise_meta WHERE name = 'schema_version'", &[]).unwrap().get(0);
        v.parse().unwrap()
    }

    fn current_version(&self) -> i64 {
        i64::from(store::PG_SCHEMA_VERSION)
    }

    fn has_index(&self, spec: &str, name: &str) -> bool {
        let schema = Self::schema_of(spec).to_string();
        let n: i64 = self.client().query_one("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname = $2", &[&schema, &name]).unwrap().get(0);
        n == 1
    }

    fn write_v1(&self, spec: &str, decisions: &[DecisionRow], executions: &[ExecutionRow], audit: &[AuditEntry]) {
        let schema = Self::schema_of(spec).to_string();
        let mut c = self.client();
        let mut t = c.transaction().unwrap();
        t.batch_execute(&format!("CREATE SCHEMA \"{schema}\"; SET LOCAL search_path TO \"{schema}\";")).unwrap();
        t.batch_execute("CREATE TABLE channelwise_meta (name text PRIMARY KEY, value text NOT NULL)").unwrap();
        t.batch_execute(store::PG_MIGRATIONS[0]).unwrap();
        t.execute("INSERT INTO channelwise_meta VALUES ('application_id', $1), ('schema_version', '1')", &[&store::PG_APPLICATION_ID]).unwrap();
        for d in decisions {
            t.execute("INSERT INTO decisions (id, status, created_ms, body) VALUES ($1, $2, $3, $4)", &[&(d.id as i64), &d.status, &d.created_ms, &d.body]).unwrap();
        }
        for (i, x) in executions.iter().enumerate() {
            t.execute(
                "INSERT INTO executions (key, decision, step, entity, state, at_ms, body, started) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[&x.key, &(x.decision as i64), &(x.step as i32), &x.entity, &x.state, &x.at_ms, &x.body, &(i as i64 + 1)],
            )
            .unwrap();
        }
        for e in audit {
            let r = &e.record;
            t.execute(
                "INSERT INTO audit (seq, at_ms, actor, action, decision, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[&(e.seq as i64), &r.at_ms, &r.actor, &r.action, &r.decision.map(|d| d as i64), &r.detail, &&e.prev_hash[..], &&e.hash[..]],
            )
            .unwrap();
        }
        t.commit().unwrap();
    }
}

/// Whether the PostgreSQL half must run (`CW_REQUIRE_PG=1`).
pub fn pg_required() -> bool {
    std::env::var("CW_REQUIRE_PG").is_ok_and(|v| v == "1")
}

/// The PostgreSQL backend when `CW_PG_URL` is set; `None` (the test is skipped) otherwise,
/// unless `CW_REQUIRE_PG=1`, which fails the test.
#[cfg(feature = "postgres")]
pub fn postgres() -> Option<Postgres> {
    match std::env::var("CW_PG_URL") {
        Ok(url) if !url.is_empty() => Some(Postgres { url }),
        _ => {
            assert!(!pg_required(), "CW_REQUIRE_PG=1 but CW_PG_URL is not set: the PostgreSQL tests cannot run");
            eprintln!("CW_PG_URL not set: PostgreSQL half skipped");
            None
        }
    }
}

/// One `#[test]` per backend for each listed `fn(&dyn Backend)`: `sqlite::<name>` and
/// `postgres::<name>`.
#[macro_export]
macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&super::stores::Sqlite)
            })*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(pg) = super::stores::postgres() {
                    super::$name(&pg)
                }
            })*
        }
        #[cfg(not(feature = "postgres"))]
        mod postgres {
            #[test]
            fn built_with_the_feature() {
                assert!(!super::stores::pg_required(), "CW_REQUIRE_PG=1 but this test binary was built without --features postgres");
            }
        }
    };
}
