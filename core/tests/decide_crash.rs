//! Crash test of the SQLite store: a child process commits decisions with their audit entries
//! as fast as it can and is killed with SIGKILL at a random moment, over and over on the same
//! file. After each kill the store must open, its chain must verify, every entry whose commit the
//! child had acknowledged must be there, and every transaction must be whole (each audit entry's
//! decision row is there, with the status the entry says).
//!
//! The child is this test binary run again with `CW_CRASH_CHILD` set (test `crash_child`); it
//! acknowledges a commit by appending the last sequence number to a file and syncing it, after
//! `commit` returned. Kills: `CW_CRASH_KILLS` (default 1,000).
#![cfg(all(feature = "sqlite", unix))]
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use channelwise::decide::store::{AuditRecord, DecisionRow, ExecutionRow, SqliteStore, Store, Tx};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CHILD: &str = "CW_CRASH_CHILD";

/// The child: append transactions until killed.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD) else { return };
    let dir = Path::new(&dir);
    let mut store = SqliteStore::open(dir.join("store.db")).unwrap();
    let path = dir.join("acks");
    // a line the last kill cut short is dropped, so this child's first line starts a line of its
    // own (appended to the cut one, it would read as one long number)
    let before = std::fs::read(&path).unwrap_or_default();
    let whole = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if whole < before.len() {
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(whole as u64).unwrap();
    }
    let mut acks = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
    let mut id = store.max_decision_id().unwrap();
    loop {
        id += 1;
        let d = DecisionRow { id, status: "executed".into(), created_ms: id as i64, body: format!("{{\"id\":{id},\"pad\":\"{}\"}}", "x".repeat(200)) };
        let x = ExecutionRow { key: format!("d{id}/s1"), decision: id, step: 1, entity: "search".into(), state: "applied".into(), at_ms: id as i64, body: "{}".into() };
        let rec = |action: &str| AuditRecord { at_ms: id as i64, actor: "engine".into(), action: action.into(), decision: Some(id), detail: format!("{{\"status\":\"executed\",\"id\":{id}}}") };
        let tx = Tx { decisions: vec![d], executions: vec![x], flags: vec![("last".into(), Some(id.to_string()))], audit: vec![rec("send"), rec("applied")], ..Tx::default() };
        let entries = store.commit(tx).unwrap();
        let last = entries.last().unwrap().seq;
        // one write: `writeln!` writes the number and the newline apart
        acks.write_all(format!("{last}\n").as_bytes()).unwrap();
        acks.sync_data().unwrap();
    }
}

#[test]
fn sigkill_loses_no_acknowledged_entry() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let kills: usize = std::env::var("CW_CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let dir = std::env::temp_dir().join(format!("cw-decide-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let start = Instant::now();
    let (mut mid_write, mut acked_total, mut max_seq) = (0usize, 0u64, 0u64);
    for k in 0..kills {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD, &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.random_range(0..40_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        assert!(!status.success(), "kill {k}: the child ended on its own ({status})");

        let acks = std::fs::read_to_string(dir.join("acks")).unwrap_or_default();
        // a line without its newline was being written when the kill came: not acknowledged
        let acked: Vec<u64> = acks.split_inclusive('\n').filter(|l| l.ends_with('\n')).map(|l| l.trim().parse().unwrap()).collect();
        let store = SqliteStore::open(dir.join("store.db")).unwrap_or_else(|e| panic!("kill {k}: the store does not open: {e}"));
        let summary = store.verify().unwrap_or_else(|e| panic!("kill {k}: the chain does not verify: {e}"));
        let last_acked = acked.last().copied().unwrap_or(0);
        assert!(summary.head_seq >= last_acked, "kill {k}: entry {last_acked} was acknowledged, the store ends at {}", summary.head_seq);
        if acked.len() as u64 > acked_total {
            mid_write += 1;
        }
        acked_total = acked.len() as u64;
        // every transaction is whole: each new entry's decision and execution rows are there
        for e in store.audit(max_seq + 1, usize::MAX).unwrap() {
            let id = e.record.decision.unwrap();
            let d = store.decision(id).unwrap().unwrap_or_else(|| panic!("kill {k}: entry {} names decision {id}, which is missing", e.seq));
            assert_eq!(d.status, "executed");
            assert!(store.execution(&format!("d{id}/s1")).unwrap().is_some(), "kill {k}: decision {id} without its execution row");
        }
        let decisions = store.max_decision_id().unwrap();
        assert_eq!(summary.head_seq, 2 * decisions, "kill {k}: {decisions} decisions but {} audit entries", summary.head_seq);
        max_seq = summary.head_seq;
    }
    eprintln!(
        "decide crash: {kills} SIGKILLs, {mid_write} of them after the child had committed, {max_seq} audit entries ({acked_total} commits acknowledged), \
         none lost, chain verified after every kill ({:.1} s)",
        start.elapsed().as_secs_f64()
    );
    assert!(mid_write > kills / 4, "too few kills landed while the child was writing: {mid_write}");
    let _ = std::fs::remove_dir_all(&dir);
}
