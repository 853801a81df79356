//! The SQLite store: files, schema versions, foreign files, tampering, atomic commits.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)]

use channelwise::decide::store::{AuditRecord, DecisionRow, SqliteStore, Store, Tx, SCHEMA_VERSION};
use channelwise::Error;

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("cw-decide-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rec(i: usize) -> AuditRecord {
    AuditRecord { at_ms: i as i64, actor: "engine".into(), action: "propose".into(), decision: Some(i as u64), detail: format!("{{\"i\":{i}}}") }
}

fn fill(store: &mut SqliteStore, n: usize) {
    for i in 1..=n {
        let d = DecisionRow { id: i as u64, status: "pending".into(), created_ms: i as i64, body: "{}".into() };
        store.commit(Tx { decisions: vec![d], audit: vec![rec(i)], ..Tx::default() }).unwrap();
    }
}

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn invalid_record(e: Error) -> (usize, String, String) {
    match e {
        Error::InvalidRecord { row, column, reason, .. } => (row, column, reason),
        e => panic!("expected invalid_record, got {e}"),
    }
}

#[test]
fn a_file_store_reopens_with_everything_and_uses_wal() {
    let d = dir("reopen");
    let p = d.join("decisions.db");
    let head = {
        let mut s = SqliteStore::open(&p).unwrap();
        fill(&mut s, 20);
        s.verify().unwrap()
    };
    let s = SqliteStore::open(&p).unwrap();
    assert_eq!(s.verify().unwrap(), head);
    assert_eq!(s.decisions(&["pending"]).unwrap().len(), 20);
    head.anchored(&s, 20, &head.head_hash).unwrap();
    let c = raw(&p);
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let v: i32 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn foreign_files_and_newer_schemas_are_typed_errors_naming_the_path() {
    let d = dir("foreign");
    let text = d.join("notes.txt");
    std::fs::write(&text, "this is not a database, it is a shopping list with enough bytes to fill a header page ..........").unwrap();
    let e = SqliteStore::open(&text).unwrap_err();
    assert_eq!(e.kind().code(), "invalid_parameter");
    assert!(e.to_string().contains("notes.txt") && e.to_string().contains("not a SQLite database"), "{e}");

    let other = d.join("other.db");
    raw(&other).execute_batch("CREATE TABLE t (x INTEGER);").unwrap();
    let e = SqliteStore::open(&other).unwrap_err();
    assert!(e.to_string().contains("other.db") && e.to_string().contains("not a channelwise store"), "{e}");

    let newer = d.join("newer.db");
    drop(SqliteStore::open(&newer).unwrap());
    raw(&newer).execute_batch("PRAGMA user_version = 99;").unwrap();
    let e = SqliteStore::open(&newer).unwrap_err();
    assert!(e.to_string().contains("newer.db") && e.to_string().contains("schema version 99"), "{e}");
}

#[test]
fn tampering_is_found_and_named() {
    let d = dir("tamper");
    let p = d.join("a.db");
    let fresh = |name: &str| {
        let q = d.join(name);
        std::fs::copy(&p, &q).unwrap();
        let c = raw(&q);
        c.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
        (q, c)
    };
    {
        let mut s = SqliteStore::open(&p).unwrap();
        fill(&mut s, 10);
        // checkpoint so a plain file copy holds everything
        drop(s);
    }
    let (q, c) = fresh("edited.db");
    c.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 4", []).unwrap();
    let (row, col, why) = invalid_record(SqliteStore::open(&q).unwrap().verify().unwrap_err());
    assert_eq!((row, col.as_str()), (4, "hash"));
    assert!(why.contains("edited"), "{why}");

    let (q, c) = fresh("deleted.db");
    c.execute("DELETE FROM audit WHERE seq = 6", []).unwrap();
    let (row, _, why) = invalid_record(SqliteStore::open(&q).unwrap().verify().unwrap_err());
    assert_eq!(row, 7);
    assert!(why.contains("entry 6 is missing"), "{why}");

    let (q, c) = fresh("reordered.db");
    c.execute_batch("UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;").unwrap();
    let (row, _, why) = invalid_record(SqliteStore::open(&q).unwrap().verify().unwrap_err());
    assert_eq!(row, 2);
    assert!(why.contains("entry 3 was moved to position 2 (reordered)"), "{why}");

    let (q, c) = fresh("truncated.db");
    c.execute("DELETE FROM audit WHERE seq > 8", []).unwrap();
    let s = SqliteStore::open(&q).unwrap();
    let summary = s.verify().unwrap(); // a cut tail is a sound chain ...
    let orig = SqliteStore::open(&p).unwrap().verify().unwrap();
    let e = summary.anchored(&s, 10, &orig.head_hash).unwrap_err(); // ... that an anchor catches
    assert!(e.to_string().contains("ends at entry 8"), "{e}");
}

#[test]
fn a_failed_commit_writes_nothing() {
    let d = dir("atomic");
    let p = d.join("a.db");
    let mut s = SqliteStore::open(&p).unwrap();
    fill(&mut s, 3);
    raw(&p).execute_batch("CREATE TRIGGER boom BEFORE INSERT ON flags BEGIN SELECT RAISE(ABORT, 'boom'); END;").unwrap();
    let d4 = DecisionRow { id: 4, status: "pending".into(), created_ms: 4, body: "{}".into() };
    let e = s.commit(Tx { decisions: vec![d4], flags: vec![("stop".into(), Some("ana".into()))], audit: vec![rec(4)], ..Tx::default() }).unwrap_err();
    assert_eq!(e.kind().code(), "io");
    assert!(e.to_string().contains("boom"));
    assert_eq!(s.decision(4).unwrap(), None);
    assert_eq!(s.verify().unwrap().entries, 3);
    assert_eq!(s.flag("stop").unwrap(), None);
}
