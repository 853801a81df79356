//! `cw.decide`: the decision engine (the core's `decide::engine::Engine`) over a store named by
//! one string and a platform that is either the native simulated market or a Python object.
//!
//! Proposals, policies, decisions, outcomes and audit entries cross as the core's serde JSON;
//! the Python layer (`python/channelwise/decide.py`) turns them into dicts and DataFrames.
//!
//! A Python adapter is reached through the Python layer's shim, whose methods answer
//! `(True, value JSON)` or `(False, PlatformError JSON)`: a vendor failure (an exception the
//! adapter raised) is data the engine classifies and retries, like the simulated market's. A
//! Python error raised by the shim itself (a return value of the wrong shape, a
//! `KeyboardInterrupt`) is kept, the adapter is not called again during that engine call, and
//! the error is raised unchanged once the engine has returned (whatever the engine recorded up
//! to there stays recorded: at worst a change in doubt, resent under the same key by the next
//! `execute`).

use std::cell::{Cell, RefCell};
use std::sync::{Mutex, TryLockError};
use std::thread::ThreadId;

use channelwise::decide::decision::{DecisionKind, Proposal, RiskLevel, RiskRule, Value as DValue};
use channelwise::decide::engine::{Engine, Platform};
use channelwise::decide::policy::{check, Guardrails, Policy, StepCheck};
use channelwise::decide::store::{self, Store};
use channelwise::platform::adapter::{
    ApplyChanges, Change, ChangeResult, Date, EntityState, MetricsQuery, MetricsRow, PlatformError,
    ReadMetrics,
};
use channelwise::platform::sim::SimMarket;
use channelwise::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::columns::{document, invalid, to_json};
use crate::error::{core, guard};
use crate::platform::PySimMarket;

/// Where the engine's changes go.
enum Adapter {
    /// The native simulated market, shared with its Python wrapper (no Python call).
    Sim(Py<PySimMarket>),
    /// The Python layer's shim around a user's adapter object.
    Python(Py<PyAny>),
}

/// The engine's [`Platform`]: the adapter, and the Python error that ended this call, if any.
struct PyPlatform {
    adapter: Adapter,
    fatal: RefCell<Option<PyErr>>,
    /// The last time the adapter gave (answered again if its clock fails).
    last_now: Cell<i64>,
}

/// What the engine sees once a Python error has ended the call: an adapter failure (not
/// retried; the adapter may have acted, so its change stays in doubt). Never the cause the
/// user sees: the Python error itself is raised.
fn halted() -> PlatformError {
    PlatformError::Adapter {
        message: "the adapter raised a Python error; it is raised once this call returns".into(),
    }
}

impl PyPlatform {
    fn failed(&self) -> bool {
        self.fatal.borrow().is_some()
    }

    fn keep(&self, e: PyErr) {
        let mut f = self.fatal.borrow_mut();
        if f.is_none() {
            *f = Some(e);
        }
    }

    /// `f` on the native market, borrowed for the call.
    fn sim<R>(&self, m: &Py<PySimMarket>, f: impl FnOnce(&mut SimMarket) -> R) -> Option<R> {
        if self.failed() {
            return None;
        }
        let r = Python::attach(|py| -> PyResult<R> {
            let mut g = m.bind(py).try_borrow_mut()?;
            Ok(f(&mut g.0))
        });
        r.map_err(|e| self.keep(e)).ok()
    }

    /// The shim's `method(arg)`: `(ok, text)` read as `T` or as a [`PlatformError`].
    fn shim<T: DeserializeOwned>(
        &self,
        obj: &Py<PyAny>,
        method: &str,
        arg: String,
        what: &str,
    ) -> Result<T, PlatformError> {
        if self.failed() {
            return Err(halted());
        }
        let r = Python::attach(|py| -> PyResult<Result<T, PlatformError>> {
            let (ok, text): (bool, String) =
                obj.bind(py).call_method1(method, (arg,))?.extract()?;
            if ok {
                return serde_json::from_str::<T>(&text).map(Ok).map_err(|e| {
                    pyo3::exceptions::PyTypeError::new_err(format!(
                        "adapter.{method}() returned a value that is not {what}: {e}"
                    ))
                });
            }
            Ok(Err(serde_json::from_str::<PlatformError>(&text)
                .unwrap_or_else(|e| PlatformError::Transport {
                    message: format!("{text} (not a PlatformError: {e})"),
                })))
        });
        r.unwrap_or_else(|e| {
            self.keep(e);
            Err(halted())
        })
    }
}

impl ApplyChanges for PyPlatform {
    fn apply_changes(&mut self, changes: &[Change]) -> Result<Vec<ChangeResult>, PlatformError> {
        match &self.adapter {
            Adapter::Sim(m) => self
                .sim(m, |s| s.apply_changes(changes))
                .unwrap_or_else(|| Err(halted())),
            Adapter::Python(o) => {
                let text =
                    serde_json::to_string(changes).map_err(|e| PlatformError::Transport {
                        message: e.to_string(),
                    })?;
                self.shim(o, "apply_changes", text, "a list of change results")
            }
        }
    }

    fn read_entity(&mut self, entity: &str) -> Result<EntityState, PlatformError> {
        match &self.adapter {
            Adapter::Sim(m) => self
                .sim(m, |s| s.read_entity(entity))
                .unwrap_or_else(|| Err(halted())),
            Adapter::Python(o) => {
                self.shim(o, "read_entity", entity.to_string(), "an entity state")
            }
        }
    }
}

impl ReadMetrics for PyPlatform {
    fn read_metrics(&mut self, query: &MetricsQuery) -> Result<Vec<MetricsRow>, PlatformError> {
        match &self.adapter {
            Adapter::Sim(m) => self
                .sim(m, |s| s.read_metrics(query))
                .unwrap_or_else(|| Err(halted())),
            Adapter::Python(o) => {
                let text = serde_json::to_string(query).map_err(|e| PlatformError::Transport {
                    message: e.to_string(),
                })?;
                self.shim(o, "read_metrics", text, "a list of metrics rows")
            }
        }
    }
}

impl Platform for PyPlatform {
    fn now_ms(&self) -> i64 {
        if self.failed() {
            return self.last_now.get();
        }
        let r = Python::attach(|py| -> PyResult<i64> {
            match &self.adapter {
                Adapter::Sim(m) => Ok(m.bind(py).try_borrow()?.0.now_ms()),
                Adapter::Python(o) => o.bind(py).call_method0("now_ms")?.extract(),
            }
        });
        match r {
            Ok(t) => {
                self.last_now.set(t);
                t
            }
            Err(e) => {
                self.keep(e);
                self.last_now.get()
            }
        }
    }

    fn sleep_until(&mut self, at_ms: i64) {
        if self.failed() {
            return;
        }
        let r = match &self.adapter {
            Adapter::Sim(m) => {
                self.sim(m, |s| Platform::sleep_until(s, at_ms));
                Ok(())
            }
            Adapter::Python(o) => {
                Python::attach(|py| o.bind(py).call_method1("sleep_until", (at_ms,)).map(|_| ()))
            }
        };
        if let Err(e) = r {
            self.keep(e);
        }
    }
}

type Inner = Engine<Box<dyn Store + Send>, PyPlatform>;

/// The decision engine; the Python layer's `cw.decide.Engine` wraps it.
#[pyclass(name = "DecideEngine", module = "channelwise._channelwise")]
struct PyEngine {
    engine: Mutex<Inner>,
    /// The thread inside a call, to refuse an adapter calling back into its own engine.
    owner: Mutex<Option<ThreadId>>,
}

/// Clears the owner when a call ends, however it ends.
struct Owned<'a>(&'a Mutex<Option<ThreadId>>);

impl Drop for Owned<'_> {
    fn drop(&mut self) {
        if let Ok(mut o) = self.0.lock() {
            *o = None;
        }
    }
}

/// The value of a JSON document at a dotted path, for error messages.
fn at(v: &Value, path: &[String]) -> String {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .map_or_else(String::new, |x| x.to_string().chars().take(80).collect())
}

/// `x` nested in objects along `path`.
fn nest(path: &[String], x: &Value) -> Value {
    path.iter().rev().fold(x.clone(), |inner, k| {
        Value::Object([(k.clone(), inner)].into_iter().collect())
    })
}

/// The smallest part of `given` that `T` refuses (every field of `T` has a default, so a
/// document of one key along a path is a whole `T`).
fn culprit<T: DeserializeOwned>(prefix: &[String], v: &Value) -> Option<(Vec<String>, String)> {
    let Value::Object(m) = v else { return None };
    for (k, x) in m {
        let mut p = prefix.to_vec();
        p.push(k.clone());
        if let Err(e) = serde_json::from_value::<T>(nest(&p, x)) {
            return Some(culprit::<T>(&p, x).unwrap_or_else(|| {
                let msg = e.to_string();
                // a required field missing is a fault of the object holding it
                if msg.starts_with("missing field") {
                    p.pop();
                }
                (p, msg)
            }));
        }
    }
    None
}

/// The first key of `given` that did not survive the round trip through `T`: unknown.
fn unknown_key(
    path: &mut Vec<String>,
    given: &Value,
    back: &Value,
) -> Option<(String, Vec<String>)> {
    let (Value::Object(g), Value::Object(b)) = (given, back) else {
        return None;
    };
    for (k, v) in g {
        path.push(k.clone());
        match b.get(k) {
            None => return Some((k.clone(), b.keys().cloned().collect())),
            Some(bv) => {
                if let Some(found) = unknown_key(path, v, bv) {
                    return Some(found);
                }
            }
        }
        path.pop();
    }
    None
}

/// A settings document read as `T`, naming the field of a wrong value (`policy.ttl_ms`) and
/// refusing a key `T` does not have (serde would ignore it: a misspelt cap would be no cap).
fn strict<T: DeserializeOwned + serde::Serialize>(
    root: &str,
    text: &str,
) -> channelwise::Result<T> {
    let given: Value = serde_json::from_str(text).map_err(|e| {
        invalid(
            root,
            text.chars().take(80).collect::<String>(),
            e.to_string(),
        )
    })?;
    let t: T =
        serde_json::from_value(given.clone()).map_err(|e| match culprit::<T>(&[], &given) {
            Some((p, msg)) => {
                let field = std::iter::once(root.to_string())
                    .chain(p.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(".");
                invalid(field, at(&given, &p), msg)
            }
            None => invalid(
                root,
                text.chars().take(80).collect::<String>(),
                e.to_string(),
            ),
        })?;
    let back = serde_json::to_value(&t)
        .map_err(|e| Error::Internal(format!("serialising {root}: {e}")))?;
    let mut path = Vec::new();
    if let Some((key, expected)) = unknown_key(&mut path, &given, &back) {
        let field = std::iter::once(root.to_string())
            .chain(path)
            .collect::<Vec<_>>()
            .join(".");
        return Err(invalid(
            field,
            key,
            format!("unknown key (expected one of {})", expected.join(", ")),
        ));
    }
    Ok(t)
}

impl PyEngine {
    /// Runs `f` on the engine: one call at a time (another thread waits without the GIL), an
    /// adapter calling back into its own engine is refused, and a Python error kept by the
    /// platform is raised in place of the result.
    fn with<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Inner) -> channelwise::Result<T>,
    ) -> PyResult<T> {
        guard(|| {
            let me = std::thread::current().id();
            let mut g = loop {
                match self.engine.try_lock() {
                    Ok(g) => break g,
                    Err(TryLockError::Poisoned(p)) => break p.into_inner(),
                    Err(TryLockError::WouldBlock) => {
                        if self.owner.lock().map(|o| *o == Some(me)).unwrap_or(false) {
                            return Err(PyRuntimeError::new_err(
                                "this Engine is in a call already: an adapter must not call back into the engine that calls it",
                            ));
                        }
                        py.detach(|| {
                            let _wait = self.engine.lock();
                        });
                    }
                }
            };
            if let Ok(mut o) = self.owner.lock() {
                *o = Some(me);
            }
            let _owned = Owned(&self.owner);
            g.platform().fatal.borrow_mut().take();
            let r = f(&mut g);
            if let Some(e) = g.platform().fatal.borrow_mut().take() {
                return Err(e);
            }
            core(r)
        })
    }

    fn json<T: serde::Serialize>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Inner) -> channelwise::Result<T>,
    ) -> PyResult<String> {
        self.with(py, |e| to_json(&f(e)?))
    }
}

#[pymethods]
impl PyEngine {
    /// An engine over the store `store` (a SQLite path, `":memory:"` or a `postgresql://` url)
    /// under the `Policy` JSON `policy`, acting through `adapter`: a native `SimMarket` or the
    /// Python layer's shim.
    #[new]
    fn new(
        py: Python<'_>,
        store: String,
        policy: &str,
        adapter: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(|| {
            let policy: Policy = core(strict("policy", policy))?;
            core(policy.validate())?;
            let adapter = match adapter.cast::<PySimMarket>() {
                Ok(m) => Adapter::Sim(m.clone().unbind()),
                Err(_) => Adapter::Python(adapter.clone().unbind()),
            };
            let s = core(py.detach(|| store::open(&store)))?;
            let platform = PyPlatform {
                adapter,
                fatal: RefCell::new(None),
                last_now: Cell::new(0),
            };
            let engine = core(Engine::new(s, platform, policy))?;
            Ok(PyEngine {
                engine: Mutex::new(engine),
                owner: Mutex::new(None),
            })
        })
    }

    /// The policy in force, as JSON.
    #[getter]
    fn policy(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |e| to_json(e.policy()))
    }

    /// The store's id, the first part of every idempotency key the engine sends.
    #[getter]
    fn store_id(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |e| Ok(e.store_id().to_string()))
    }

    /// Proposes the `Proposal` JSON: the decision JSON.
    fn propose(&self, py: Python<'_>, proposal: &str) -> PyResult<String> {
        let p: Proposal = document("proposal", proposal)?;
        self.json(py, |e| e.propose(p))
    }

    /// One decision, as JSON.
    fn decision(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        self.json(py, |e| e.decision(id))
    }

    /// Every decision (`pending_only`: those waiting for a person), as a JSON list.
    fn decisions(&self, py: Python<'_>, pending_only: bool) -> PyResult<String> {
        self.json(py, |e| {
            if pending_only {
                e.pending()
            } else {
                e.decisions()
            }
        })
    }

    /// Approves a pending decision: the decision JSON.
    fn approve(&self, py: Python<'_>, id: u64, approver: &str) -> PyResult<String> {
        self.json(py, |e| e.approve(id, approver))
    }

    /// Rejects a pending decision: the decision JSON.
    fn reject(&self, py: Python<'_>, id: u64, approver: &str, reason: &str) -> PyResult<String> {
        self.json(py, |e| e.reject(id, approver, reason))
    }

    /// Takes an approved decision one stage further: the `ExecOutcome` JSON.
    fn execute(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        self.json(py, |e| e.execute(id))
    }

    /// Executes every due decision: JSON list of `[id, outcome]`.
    fn run_due(&self, py: Python<'_>) -> PyResult<String> {
        self.json(py, |e| e.run_due())
    }

    /// The emergency stop: the ids cancelled.
    fn stop(&self, py: Python<'_>, by: &str, reason: &str) -> PyResult<Vec<u64>> {
        self.with(py, |e| e.stop(by, reason))
    }

    /// Clears the emergency stop.
    fn resume(&self, py: Python<'_>, by: &str) -> PyResult<()> {
        self.with(py, |e| e.resume(by))
    }

    /// The emergency stop as JSON (`None` when not stopped).
    fn stopped(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.with(py, |e| e.stopped()?.map(|s| to_json(&s)).transpose())
    }

    /// Rolls a decision back: the `ExecOutcome` JSON.
    fn rollback(&self, py: Python<'_>, id: u64, by: &str) -> PyResult<String> {
        self.json(py, |e| e.rollback(id, by))
    }

    /// Rolls back every stage started at or after `since_ms`: JSON list of `[id, outcome]`.
    fn rollback_since(&self, py: Python<'_>, since_ms: i64, by: &str) -> PyResult<String> {
        self.json(py, |e| e.rollback_since(since_ms, by))
    }

    /// Up to `limit` audit entries from number `from_seq` on, as a JSON list.
    fn audit(&self, py: Python<'_>, from_seq: u64, limit: usize) -> PyResult<String> {
        self.json(py, |e| e.audit_log(from_seq, limit))
    }

    /// Verifies the hash chain (and, given an anchor, that entry `seq` still has hash `hash`):
    /// the `ChainSummary` JSON.
    #[pyo3(signature = (anchor=None))]
    fn verify(&self, py: Python<'_>, anchor: Option<(u64, String)>) -> PyResult<String> {
        self.json(py, |e| {
            let s = e.verify()?;
            if let Some((seq, hash)) = &anchor {
                let store: &dyn Store = &**e.store();
                s.anchored(store, *seq, hash)?;
            }
            Ok(s)
        })
    }

    /// Records an executed decision's measured outcome: the decision JSON.
    fn record_outcome(
        &self,
        py: Python<'_>,
        id: u64,
        actual: f64,
        method: &str,
        by: &str,
    ) -> PyResult<String> {
        self.json(py, |e| e.record_outcome(id, actual, method, by))
    }

    /// The calibration per decision type, as a JSON list.
    fn calibration(&self, py: Python<'_>) -> PyResult<String> {
        self.json(py, |e| e.calibration())
    }

    /// Flags `day` (`YYYY-MM-DD`) for the anomaly gate.
    fn flag_anomaly(&self, py: Python<'_>, day: &str, by: &str, reason: &str) -> PyResult<()> {
        let d: Date = core(day.parse())?;
        self.with(py, |e| e.flag_anomaly(d, by, reason))
    }

    /// Proposes the pauses the performance guard calls for: a JSON list of decisions.
    fn check_performance(&self, py: Python<'_>) -> PyResult<String> {
        self.json(py, |e| e.check_performance())
    }

    /// The engine's known state of an entity (read once from the platform), as JSON.
    fn observe(&self, py: Python<'_>, entity: &str) -> PyResult<String> {
        self.json(py, |e| e.observe(entity))
    }
}

/// Checks the `Proposal` JSON without an engine (so a batch is refused whole before any of it
/// is proposed).
#[pyfunction]
fn decide_check_proposal(proposal: &str) -> PyResult<()> {
    guard(|| {
        let p: Proposal = document("proposal", proposal)?;
        core(p.validate())
    })
}

/// The `Policy` JSON with every default filled in (checked as the engine checks it).
#[pyfunction]
fn decide_policy(policy: &str) -> PyResult<String> {
    guard(|| {
        let p: Policy = core(strict("policy", policy))?;
        core(p.validate())?;
        core(to_json(&p))
    })
}

/// The risk of the `Proposal` JSON under the `RiskRule` JSON: the `Risk` JSON (an unknown
/// spend is `null`).
#[pyfunction]
fn decide_risk(proposal: &str, rule: &str) -> PyResult<String> {
    guard(|| {
        let p: Proposal = document("proposal", proposal)?;
        let r: RiskRule = core(strict("risk", rule))?;
        core(to_json(&core(r.assess(&p))?))
    })
}

/// The value after each stage of a change from `from` to `to` (JSON values) under the policy.
#[pyfunction]
fn decide_stages(policy: &str, from: &str, to: &str) -> PyResult<String> {
    guard(|| {
        let p: Policy = core(strict("policy", policy))?;
        core(p.validate())?;
        let (a, b): (DValue, DValue) = (document("from", from)?, document("to", to)?);
        core(to_json(&p.stages(&a, &b)))
    })
}

/// Whether the policy approves a decision of risk `level` without a person.
#[pyfunction]
fn decide_auto_approves(policy: &str, level: &str) -> PyResult<bool> {
    guard(|| {
        let p: Policy = core(strict("policy", policy))?;
        core(p.validate())?;
        let l: RiskLevel =
            crate::platform::choice("level", level, "\"low\", \"medium\", \"high\"")?;
        Ok(p.auto_approves(l))
    })
}

/// The guardrails' verdict on one step: the `Verdict` JSON.
#[pyfunction]
fn decide_check(guardrails: &str, step: &str) -> PyResult<String> {
    guard(|| {
        let g: Guardrails = core(strict("guardrails", guardrails))?;
        core(g.validate())?;
        let mut s: StepCheck = document("step", step)?;
        // a budget step whose entity has no exposure: its own budget is `current`, active (the
        // core's check would otherwise take it as 0, so any budget would raise spend); as the
        // JS binding's checkGuardrails does
        if let (Some(DecisionKind::Budget), Some(DValue::Money(b))) = (s.kind, &s.current) {
            let b = *b;
            s.exposures.entry(s.entity.clone()).or_insert((b, true));
        }
        core(to_json(&check(&g, &s)))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decide_risk, m)?)?;
    m.add_function(wrap_pyfunction!(decide_stages, m)?)?;
    m.add_function(wrap_pyfunction!(decide_auto_approves, m)?)?;
    m.add_function(wrap_pyfunction!(decide_check, m)?)?;
    m.add_function(wrap_pyfunction!(decide_check_proposal, m)?)?;
    m.add_function(wrap_pyfunction!(decide_policy, m)?)?;
    m.add_class::<PyEngine>()?;
    Ok(())
}
