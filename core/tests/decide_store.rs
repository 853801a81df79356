//! The stores, SQLite and PostgreSQL (when `CW_PG_URL` is set; see `common/stores.rs`), through
//! one suite: reopening, foreign and newer schemas, a store written by schema version 1,
//! tampering, atomic commits, the stop flag and duplicate ids, the execution lock.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)]

#[path = "common/stores.rs"]
mod stores;

use channelwise::decide::store::{AuditEntry, AuditRecord, DecisionRow, ExecutionRow, Store, Tx};
use channelwise::Error;
use stores::Backend;

fn rec(i: usize) -> AuditRecord {
    AuditRecord { at_ms: i as i64, actor: "engine".into(), action: "propose".into(), decision: Some(i as u64), detail: format!("{{\"i\":{i}}}") }
}

fn fill(store: &mut dyn Store, n: usize) {
    let from = store.max_decision_id().unwrap() as usize;
    for i in from + 1..=from + n {
        let d = DecisionRow { id: i as u64, status: "pending".into(), created_ms: i as i64, body: "{}".into() };
        store.commit(Tx { decisions: vec![d], audit: vec![rec(i)], ..Tx::default() }).unwrap();
    }
}

fn invalid_record(e: Error) -> (usize, String, String) {
    match e {
        Error::InvalidRecord { row, column, reason, .. } => (row, column, reason),
        e => panic!("expected invalid_record, got {e}"),
    }
}

fn a_store_reopens_with_everything(b: &dyn Backend) {
    let spec = b.fresh("reopen");
    let head = {
        let mut s = b.open(&spec);
        fill(&mut s, 20);
        s.verify().unwrap()
    };
    let s = b.open(&spec);
    assert_eq!(s.verify().unwrap(), head);
    assert_eq!(s.decisions(&["pending"]).unwrap().len(), 20);
    assert_eq!(s.decisions(&["pending", "approved"]).unwrap().len(), 20);
    assert!(s.decisions(&["approved"]).unwrap().is_empty());
    head.anchored(&s, 20, &head.head_hash).unwrap();
    assert_eq!(b.version(&spec), b.current_version());
}

fn rows_round_trip_and_commits_are_conditional(b: &dyn Backend) {
    let spec = b.fresh("rows");
    let mut s = b.open(&spec);
    let d = DecisionRow { id: 1, status: "pending".into(), created_ms: 3, body: "{\"a\":1}".into() };
    let x = ExecutionRow { key: "d1/s1".into(), decision: 1, step: 1, entity: "search".into(), state: "started".into(), at_ms: 4, body: "{}".into() };
    let a = s.commit(Tx { decisions: vec![d.clone()], executions: vec![x.clone()], audit: vec![rec(1), rec(2)], ..Tx::default() }).unwrap();
    assert_eq!(a.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(a[1].prev_hash, a[0].hash);
    let x2 = ExecutionRow { state: "applied".into(), ..x.clone() };
    let y = ExecutionRow { key: "d1/s0".into(), step: 0, entity: "social".into(), ..x.clone() };
    let d2 = DecisionRow { status: "executed".into(), ..d.clone() };
    s.commit(Tx { decisions: vec![d2.clone()], executions: vec![x2.clone(), y.clone()], audit: vec![rec(3)], ..Tx::default() }).unwrap();
    assert_eq!(s.decision(1).unwrap(), Some(d2));
    assert_eq!(s.execution("d1/s1").unwrap(), Some(x2.clone()));
    assert_eq!(s.executions(None).unwrap(), vec![x2.clone(), y.clone()], "in the order they were started");
    assert_eq!(s.executions(Some("social")).unwrap(), vec![y.clone()]);
    assert_eq!(s.executions_in_state("applied").unwrap(), vec![x2]);
    assert_eq!(s.executions_in_state("started").unwrap(), vec![y]);
    assert_eq!(s.max_decision_id().unwrap(), 1);
    assert_eq!(s.audit(2, 1).unwrap()[0].seq, 2);
    // a new decision whose id is taken fails the commit, audit entry included
    let e = s.commit(Tx { new_decisions: vec![d], audit: vec![rec(4)], ..Tx::default() }).unwrap_err();
    assert_eq!(e.kind().code(), "io", "{e}");
    assert_eq!(s.verify().unwrap().entries, 3);
    // a transaction conditional on a flag that is set writes nothing
    s.commit(Tx { flags: vec![("stop".into(), Some("ana".into()))], ..Tx::default() }).unwrap();
    let d5 = DecisionRow { id: 5, status: "pending".into(), created_ms: 5, body: "{}".into() };
    let e = s.commit(Tx { new_decisions: vec![d5.clone()], audit: vec![rec(5)], unless_flag: Some("stop".into()), ..Tx::default() }).unwrap_err();
    assert_eq!(e.to_string(), "invalid stop: \"ana\" (is set: nothing of this transaction was written)");
    assert_eq!((s.max_decision_id().unwrap(), s.verify().unwrap().entries), (1, 3));
    // ... set by another connection too, and cleared
    let mut other = b.open(&spec);
    other.commit(Tx { flags: vec![("stop".into(), None)], ..Tx::default() }).unwrap();
    s.commit(Tx { new_decisions: vec![d5], audit: vec![rec(5)], unless_flag: Some("stop".into()), ..Tx::default() }).unwrap();
    assert_eq!((other.max_decision_id().unwrap(), other.verify().unwrap().entries), (5, 4));
    assert_eq!(s.entity("x").unwrap(), None);
    assert_eq!(s.flag("stop").unwrap(), None);
}

fn foreign_and_newer_schemas_are_refused_by_name(b: &dyn Backend) {
    let other = b.fresh("foreign");
    b.sql(&other, "CREATE TABLE t (x INTEGER);").unwrap();
    let e = channelwise::decide::store::open(&other).map(|_| ()).unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("foreign") && e.to_string().contains("not a channelwise store"), "{e}");

    let newer = b.fresh("newer");
    drop(b.open(&newer));
    b.sql(&newer, &b.set_version_sql(99)).unwrap();
    let e = channelwise::decide::store::open(&newer).map(|_| ()).unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("newer") && e.to_string().contains("schema version 99"), "{e}");
}

fn a_version_1_store_opens_migrated(b: &dyn Backend) {
    let spec = b.fresh("version_one");
    let decisions: Vec<DecisionRow> = (1..=4).map(|i| DecisionRow { id: i, status: if i < 3 { "executed" } else { "pending" }.into(), created_ms: i as i64, body: format!("{{\"id\":{i}}}") }).collect();
    let executions: Vec<ExecutionRow> = (1..=2)
        .map(|i| ExecutionRow { key: format!("d{i}/s1"), decision: i, step: 1, entity: "search".into(), state: "applied".into(), at_ms: 10 + i as i64, body: "{}".into() })
        .collect();
    let mut audit: Vec<AuditEntry> = Vec::new();
    for i in 1..=6 {
        let prev = audit.last().map_or([0; 32], |e| e.hash);
        audit.push(AuditEntry::chain(i, rec(i as usize), prev));
    }
    b.write_v1(&spec, &decisions, &executions, &audit);
    assert_eq!(b.version(&spec), 1);
    assert!(!b.has_index(&spec, "executions_started"));

    let mut s = b.open(&spec);
    assert_eq!(b.version(&spec), b.current_version());
    assert!(b.has_index(&spec, "executions_started"));
    assert_eq!(s.decisions(&[]).unwrap(), decisions);
    assert_eq!(s.executions(None).unwrap(), executions);
    assert_eq!(s.audit(1, usize::MAX).unwrap(), audit);
    assert_eq!(s.verify().unwrap().head_hash, channelwise::decide::store::hex(&audit[5].hash));
    // it had sent keys without an id, so it keeps them: no decision changes its keys midway
    assert_eq!(s.id().unwrap(), "");
    // and it carries on: the next execution comes after the old ones, the chain continues
    let x = ExecutionRow { key: "d3/s1".into(), decision: 3, ..executions[0].clone() };
    s.commit(Tx { executions: vec![x.clone()], audit: vec![rec(7)], ..Tx::default() }).unwrap();
    assert_eq!(s.executions(Some("search")).unwrap().last(), Some(&x));
    assert_eq!(s.verify().unwrap().entries, 7);
}

fn a_store_gets_an_id_of_its_own(b: &dyn Backend) {
    // new stores, and old ones that never sent a key, draw 16 random hex digits; every handle
    // on one store reads the same id, and reopening keeps it
    let hex = |id: &str| id.len() == 16 && id.bytes().all(|c| c.is_ascii_hexdigit());
    let (one, two) = (b.fresh("id_one"), b.fresh("id_two"));
    let id = b.open(&one).id().unwrap();
    assert!(hex(&id), "{id}");
    assert_eq!(b.open(&one).id().unwrap(), id);
    let other = b.open(&two).id().unwrap();
    assert!(hex(&other) && other != id, "{id} {other}");
    let unused = b.fresh("id_unused_v1");
    b.write_v1(&unused, &[], &[], &[]);
    assert!(hex(&b.open(&unused).id().unwrap()));
}

fn tampering_is_found_and_named(b: &dyn Backend) {
    let tampered = |tag: &str, sql: &str| {
        let spec = b.fresh(tag);
        fill(&mut b.open(&spec), 10);
        // the triggers refuse it ...
        let refused = b.sql(&spec, sql).unwrap_err();
        assert!(refused.contains("append-only"), "{refused}");
        // ... until someone drops them
        b.sql(&spec, b.unguard_sql()).unwrap();
        b.sql(&spec, sql).unwrap();
        (spec.clone(), b.open(&spec).verify())
    };
    let (_, r) = tampered("edited", "UPDATE audit SET actor = 'mallory' WHERE seq = 4");
    let (row, col, why) = invalid_record(r.unwrap_err());
    assert_eq!((row, col.as_str()), (4, "hash"));
    assert!(why.contains("edited"), "{why}");

    let (_, r) = tampered("deleted", "DELETE FROM audit WHERE seq = 6");
    let (row, _, why) = invalid_record(r.unwrap_err());
    assert_eq!(row, 7);
    assert!(why.contains("entry 6 is missing"), "{why}");

    let (_, r) = tampered("reordered", "UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;");
    let (row, _, why) = invalid_record(r.unwrap_err());
    assert_eq!(row, 2);
    assert!(why.contains("entry 3 was moved to position 2 (reordered)"), "{why}");

    let (spec, r) = tampered("truncated", "DELETE FROM audit WHERE seq > 8");
    let summary = r.unwrap(); // a cut tail is a sound chain ...
    let orig = {
        let p = b.fresh("untouched");
        let mut s = b.open(&p);
        fill(&mut s, 10);
        s.verify().unwrap()
    };
    let e = summary.anchored(&b.open(&spec), 10, &orig.head_hash).unwrap_err(); // ... that an anchor catches
    assert!(e.to_string().contains("ends at entry 8"), "{e}");
}

fn a_failed_commit_writes_nothing(b: &dyn Backend) {
    let spec = b.fresh("atomic");
    let mut s = b.open(&spec);
    fill(&mut s, 3);
    b.sql(&spec, b.sabotage_flags_sql()).unwrap();
    let d4 = DecisionRow { id: 4, status: "pending".into(), created_ms: 4, body: "{}".into() };
    let e = s.commit(Tx { decisions: vec![d4], flags: vec![("stop".into(), Some("ana".into()))], audit: vec![rec(4)], ..Tx::default() }).unwrap_err();
    assert_eq!(e.kind().code(), "io");
    assert!(e.to_string().contains("boom"), "{e}");
    assert_eq!(s.decision(4).unwrap(), None);
    assert_eq!(s.verify().unwrap().entries, 3);
    assert_eq!(s.flag("stop").unwrap(), None);
}

fn concurrent_writers_keep_one_gapless_chain(b: &dyn Backend) {
    let spec = b.fresh("writers");
    drop(b.open(&spec));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let s = spec.clone();
            std::thread::spawn(move || {
                let mut store = channelwise::decide::store::open(&s).unwrap();
                for i in 0..25 {
                    let r = AuditRecord { at_ms: i, actor: format!("w{t}"), action: "write".into(), decision: None, detail: "{}".into() };
                    let x = ExecutionRow { key: format!("w{t}/{i}"), decision: t, step: 1, entity: "e".into(), state: "applied".into(), at_ms: i, body: "{}".into() };
                    store.commit(Tx { executions: vec![x], audit: vec![r.clone(), r], ..Tx::default() }).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = b.open(&spec);
    let summary = s.verify().unwrap();
    assert_eq!((summary.entries, summary.head_seq), (200, 200));
    assert_eq!(s.executions(None).unwrap().len(), 100);
}

fn one_engine_at_a_time_holds_the_execution_lock(b: &dyn Backend) {
    let spec = b.fresh("exec_lock");
    let mut a = b.open(&spec);
    let mut c = b.open(&spec);
    assert!(a.try_lock_execution().unwrap());
    assert!(a.try_lock_execution().unwrap(), "held already");
    assert!(!c.try_lock_execution().unwrap(), "held by the other connection");
    // commits go on while it is held
    fill(&mut c, 1);
    a.unlock_execution().unwrap();
    assert!(c.try_lock_execution().unwrap());
    drop(c); // a closed connection (a dead process) lets it go (a server notices in a moment)
    let t = std::time::Instant::now();
    while !a.try_lock_execution().unwrap() {
        assert!(t.elapsed().as_secs() < 10, "the lock of a closed connection was not released");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    a.unlock_execution().unwrap();
}

on_every_store!(
    a_store_reopens_with_everything,
    rows_round_trip_and_commits_are_conditional,
    foreign_and_newer_schemas_are_refused_by_name,
    a_version_1_store_opens_migrated,
    a_store_gets_an_id_of_its_own,
    tampering_is_found_and_named,
    a_failed_commit_writes_nothing,
    concurrent_writers_keep_one_gapless_chain,
    one_engine_at_a_time_holds_the_execution_lock,
);

#[test]
fn sqlite_files_that_are_not_stores_and_wal() {
    use channelwise::decide::store::SqliteStore;
    let spec = stores::Sqlite.fresh("notes");
    let text = spec.replace(".db", ".txt");
    std::fs::write(&text, "this is not a database, it is a shopping list with enough bytes to fill a header page ..........").unwrap();
    let e = SqliteStore::open(&text).unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("notes.txt") && e.to_string().contains("not a SQLite database"), "{e}");
    drop(SqliteStore::open(&spec).unwrap());
    let c = rusqlite::Connection::open(&spec).unwrap();
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_urls_are_checked_and_never_show_a_password() {
    use channelwise::decide::store::PgStore;
    let e = PgStore::open("postgresql://ana:s3cret@127.0.0.1:5432/x?schema=Bad-Name").unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("lowercase identifier") && !e.to_string().contains("s3cret"), "{e}");
    let e = PgStore::open("postgresql://ana:s3cret@127.0.0.1:1/x?connect_timeout=2").unwrap_err();
    assert_eq!(e.kind().code(), "io");
    assert!(e.to_string().contains("ana:***@127.0.0.1:1") && e.to_string().contains("connect") && !e.to_string().contains("s3cret"), "{e}");
    let Some(pg) = stores::postgres() else { return };
    let spec = pg.fresh("schema_of");
    let s = PgStore::open(&spec).unwrap();
    assert_eq!(s.schema(), spec.rsplit_once("schema=").unwrap().1);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_tls_follows_libpq_sslmode() {
    use channelwise::decide::store::PgStore;
    // refused before any connection: a mode libpq does not have, roots that cannot be read
    let e = PgStore::open("postgresql://ana:s3cret@127.0.0.1:1/x?sslmode=verify").unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("sslmode \"verify\"") && !e.to_string().contains("s3cret"), "{e}");
    let e = PgStore::open("postgresql://ana@127.0.0.1:1/x?sslmode=verify-full&sslrootcert=/nonexistent/root.pem").unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("sslrootcert /nonexistent/root.pem"), "{e}");
    // the system's roots (libpq 16's `sslrootcert=system`) vouch for names: no weaker mode
    let e = PgStore::open("postgresql://ana@127.0.0.1:1/x?sslmode=require&sslrootcert=system").unwrap_err();
    assert!(e.to_string().contains("use sslmode=verify-full"), "{e}");
    let Some(pg) = stores::postgres() else { return };
    let Ok(ca) = std::env::var("CW_PG_CA") else {
        assert!(!stores::pg_required(), "CW_REQUIRE_PG=1 but CW_PG_CA is not set: start the server with scripts/postgres.sh");
        return;
    };
    let spec = pg.fresh("tls");
    let with = |extra: &str| format!("{spec}&{extra}");
    let encrypted = |url: &str| PgStore::open(url).unwrap_or_else(|e| panic!("{url}: {e}")).encrypted().unwrap();
    assert!(!encrypted(&with("sslmode=disable")));
    // prefer (the default) and require: encrypted, though nothing vouches for the certificate
    assert!(encrypted(&spec));
    assert!(encrypted(&with("sslmode=require")));
    // verified against the CA that signed it (the url's 127.0.0.1 is in the certificate)
    let ca_q = format!("sslrootcert={}", ca.replace('/', "%2F"));
    assert!(encrypted(&with(&format!("sslmode=verify-full&{ca_q}"))));
    assert!(encrypted(&with(&format!("sslmode=verify-ca&{ca_q}"))));
    // a host name the certificate does not list: verify-ca passes, verify-full refuses
    let (_, port_db) = spec.split_once("127.0.0.1:").unwrap();
    let renamed = format!("postgresql://postgres@not-in-the-cert.invalid:{port_db}&hostaddr=127.0.0.1");
    assert!(encrypted(&format!("{renamed}&sslmode=verify-ca&{ca_q}")));
    let e = PgStore::open(&format!("{renamed}&sslmode=verify-full&{ca_q}")).unwrap_err();
    assert_eq!(e.kind().code(), "io");
    assert!(e.to_string().contains("not valid for name \"not-in-the-cert.invalid\""), "{e}");
    // roots that did not sign it (the server's own certificate is no CA): refused
    let dir = std::path::Path::new(&ca).parent().unwrap();
    let e = PgStore::open(&with(&format!("sslmode=verify-ca&sslrootcert={}", dir.join("server.pem").display()))).unwrap_err();
    assert_eq!(e.kind().code(), "io", "{e}");
    assert!(e.to_string().contains("invalid peer certificate"), "{e}");
    // the system's roots do not hold the throwaway CA: refused at the handshake (or, on a machine
    // with no trusted roots at all, before connecting); never read as a file named "system"
    let e = PgStore::open(&with("sslrootcert=system")).unwrap_err();
    assert!(e.to_string().contains("invalid peer certificate") || e.to_string().contains("no trusted roots found"), "{e}");
}
