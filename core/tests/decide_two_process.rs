//! Two engine processes on one store never execute a decision twice.
//!
//! The parent proposes `CAMPAIGNS x STEPS` approved budget decisions, then starts two child
//! processes (this test binary again, test `race_child`, with `CW_RACE_CHILD` set) that wait for
//! one start signal and then both run `Engine::run_due` over the same store until nothing is due.
//! Each child's platform is its own simulated market wrapped in an adapter that appends the
//! idempotency key of every change it applies to the child's log file: a stage sent by both
//! processes would be in both logs. Every key must be in exactly one log, every decision
//! executed, and the audit chain must verify with one `send` and one `applied` per decision.
//! Runs on a SQLite file (WAL) and, when `CW_PG_URL` is set, on PostgreSQL.
#![cfg(all(feature = "sqlite", unix))]
#![allow(clippy::unwrap_used)]

#[path = "common/stores.rs"]
mod stores;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use channelwise::decide::decision::{DecisionStatus, Proposal};
use channelwise::decide::engine::{Engine, ExecOutcome, Platform};
use channelwise::decide::policy::{Guardrails, Policy};
use channelwise::decide::store;
use channelwise::platform::adapter::{ApplyChanges, Change, ChangeResult, EntityState, MetricsQuery, MetricsRow, Outcome, PlatformError, ReadMetrics};
use channelwise::platform::sim::{SimCampaign, SimConfig, SimMarket};
use stores::Backend;

const CHILD: &str = "CW_RACE_CHILD";
const CAMPAIGNS: usize = 40;
const STEPS: usize = 3;

fn market() -> SimMarket {
    let base = SimConfig::default();
    let curve = base.campaigns[0].curve;
    let campaigns = (0..CAMPAIGNS).map(|i| SimCampaign::new(format!("c{i}"), 100.0, curve)).collect();
    SimMarket::new(SimConfig { seed: 7, campaigns, ..base }).unwrap()
}

fn policy() -> Policy {
    // only the race is under test: no vendor frequency or window limit defers a step
    Policy { guardrails: Guardrails { change_frequency: None, max_window_change: None, ..Guardrails::default() }, ..Policy::default() }
}

/// A simulated market that logs the key of every change it applies.
struct Logged {
    market: SimMarket,
    log: std::fs::File,
}

impl ApplyChanges for Logged {
    fn apply_changes(&mut self, changes: &[Change]) -> Result<Vec<ChangeResult>, PlatformError> {
        let out = self.market.apply_changes(changes)?;
        for r in &out {
            if matches!(r.outcome, Outcome::Applied { .. }) {
                writeln!(self.log, "{}", r.key).unwrap();
            }
        }
        self.log.sync_data().unwrap();
        Ok(out)
    }

    fn read_entity(&mut self, entity: &str) -> Result<EntityState, PlatformError> {
        self.market.read_entity(entity)
    }
}

impl ReadMetrics for Logged {
    fn read_metrics(&mut self, query: &MetricsQuery) -> Result<Vec<MetricsRow>, PlatformError> {
        self.market.read_metrics(query)
    }
}

impl Platform for Logged {
    fn now_ms(&self) -> i64 {
        self.market.now_ms()
    }

    fn sleep_until(&mut self, at_ms: i64) {
        Platform::sleep_until(&mut self.market, at_ms);
    }
}

/// The child: wait for the start signal, then run everything due until nothing is.
#[test]
fn race_child() {
    let Ok(spec) = std::env::var(CHILD) else { return };
    let dir = PathBuf::from(std::env::var("CW_RACE_DIR").unwrap());
    let me = std::env::var("CW_RACE_ME").unwrap();
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log_path(&dir, &me)).unwrap();
    let mut engine = Engine::new(store::open(&spec).unwrap(), Logged { market: market(), log }, policy()).unwrap();
    while !dir.join("go").exists() {
        std::thread::sleep(Duration::from_micros(200));
    }
    let start = Instant::now();
    let (mut executed, mut deferred, mut unchanged) = (0usize, 0usize, 0usize);
    loop {
        let due = engine.run_due().unwrap();
        if due.is_empty() {
            break;
        }
        let before = executed;
        for (_, o) in due {
            match o {
                ExecOutcome::Executed { .. } => executed += 1,
                ExecOutcome::Deferred { .. } => deferred += 1,
                ExecOutcome::Unchanged { .. } => unchanged += 1,
                o => panic!("child {me}: {o:?}"),
            }
        }
        if executed == before {
            std::thread::sleep(Duration::from_micros(500)); // the other engine holds the lock
        }
        assert!(start.elapsed() < Duration::from_secs(120), "child {me}: still running after 120 s");
    }
    println!("RACE {me} executed={executed} deferred={deferred} unchanged={unchanged}");
}

fn race(b: &dyn Backend) {
    let spec = b.fresh("race");
    let dir = std::env::temp_dir().join(format!("cw-decide-race-{}-{}", std::process::id(), b.name()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut parent = Engine::new(b.open(&spec), market(), policy()).unwrap();
    let mut keys = Vec::new();
    // every process reads the one id of the store they share
    let id = parent.store().id().unwrap();
    for i in 0..CAMPAIGNS {
        for s in 0..STEPS {
            let from = 100.0 + 5.0 * s as f64;
            let d = parent.propose(Proposal::budget(format!("c{i}"), from, from + 5.0).confidence(0.9)).unwrap();
            assert_eq!(d.status, DecisionStatus::Approved);
            keys.push(format!("{id}/d{}/s1", d.id));
        }
    }
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let children: Vec<_> = ["a", "b"]
        .iter()
        .map(|me| {
            Command::new(&exe)
                .args(["--exact", "race_child", "--nocapture", "--test-threads=1"])
                .env(CHILD, &spec)
                .env("CW_RACE_DIR", &dir)
                .env("CW_RACE_ME", me)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap()
        })
        .collect();
    std::fs::write(dir.join("go"), "").unwrap();
    let mut figures = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(out.status.success(), "a child failed ({}): {text}", out.status);
        // libtest writes "test race_child ... " before the child's own line
        figures.extend(text.lines().filter_map(|l| l.split_once("RACE ")).map(|(_, f)| f.to_string()));
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut seen: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let logs: Vec<(&str, String)> = ["a", "b"].iter().map(|me| (*me, std::fs::read_to_string(log_path(&dir, me)).unwrap_or_default())).collect();
    for (me, text) in &logs {
        for key in text.lines() {
            seen.entry(key.to_string()).or_default().push(me);
        }
    }
    for k in &keys {
        let by = seen.get(k).cloned().unwrap_or_default();
        assert_eq!(by.len(), 1, "key {k} applied by {by:?} ({})", b.name());
    }
    assert_eq!(seen.len(), keys.len(), "keys applied that no decision has: {seen:?}");
    let store = b.open(&spec);
    let decisions = store.decisions(&[]).unwrap();
    assert!(decisions.iter().all(|d| d.status == "executed"), "{:?}", decisions.iter().map(|d| &d.status).collect::<Vec<_>>());
    store.verify().unwrap();
    let audit = store.audit(1, usize::MAX).unwrap();
    let count = |a: &str| audit.iter().filter(|e| e.record.action == a).count();
    assert_eq!((count("send"), count("applied")), (keys.len(), keys.len()));
    let per = |me: &str| logs.iter().find(|l| l.0 == me).map_or(0, |l| l.1.lines().count());
    eprintln!(
        "decide race ({}): 2 processes, {} decisions, each key applied once ({} by a, {} by b; {}), {} audit entries verified, {seconds:.1} s",
        b.name(),
        keys.len(),
        per("a"),
        per("b"),
        figures.join("; "),
        audit.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn log_path(dir: &Path, me: &str) -> PathBuf {
    dir.join(format!("{me}.log"))
}

#[test]
fn sqlite_two_processes_execute_each_decision_once() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    race(&stores::Sqlite);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_two_processes_execute_each_decision_once() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    if let Some(pg) = stores::postgres() {
        race(&pg);
    }
}

#[cfg(not(feature = "postgres"))]
#[test]
fn postgres_built_with_the_feature() {
    assert!(!stores::pg_required(), "CW_REQUIRE_PG=1 but this test binary was built without --features postgres");
}
