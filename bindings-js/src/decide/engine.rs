//! `decide.Engine` (Node only): the core's decision engine over a store (`"decisions.db"`,
//! `":memory:"`, `"postgresql://..."` in a build with the core's `postgres` feature) and
//! adapters: a `platform.SimMarket` (native, no callbacks) or a JS object whose methods the
//! engine calls synchronously on the JS thread, inside the engine's own call:
//!
//! | Method | Returns | Required |
//! |---|---|---|
//! | `applyChanges(changes: Change[])` | `ChangeResult[]` (one per change, in order) | yes |
//! | `readEntity(entity: string)` | `EntityState` | yes |
//! | `readMetrics(query: MetricsQuery)` | `MetricsRow[]` | yes |
//! | `nowMs()` | ms since the epoch | no (default `Date.now()`) |
//! | `sleepUntil(atMs: number)` | anything | no (default: the thread sleeps until then) |
//!
//! A method may also return a `PlatformResult` (`{ ok: true, value }` or `{ ok: false, error }`,
//! as `platform.SimMarket`'s do). What it throws is a vendor failure the engine classifies and
//! retries by the policy (never a panic, never lost): a thrown value whose `kind` is a
//! `PlatformError` kind (`'timeout'`, `'transport'`, `'http'`, `'meta'`, `'google_ads'`) is read
//! as that error with its other properties (`throw Object.assign(new Error('quota'), { kind:
//! 'http', status: 429, retryAfterMs: 60000 })`); anything else is transient, a `'transport'`
//! failure carrying its `message`. A refusal the vendor answered (an HTTP 4xx, a Meta or
//! Google Ads error the policy gives up on) applied nothing: the decision is `failed`, as for a
//! `ChangeResult` with `outcome: { status: 'failed', error }`. Anything else thrown (or `{ ok:
//! false }`: a timeout, a 5xx, a transport failure) is an answer that never came: the change
//! may have been applied, so after the retries the decision is left `in_doubt` (executing it
//! again resends the same key; a refused resend is settled by reading the entity back), with
//! the message in the outcome and the audit log. A result of the wrong shape is the adapter's
//! bug: the engine sees kind `'adapter'` (not retried, and in doubt, since the adapter may
//! have acted) and the engine's call then throws `invalid_parameter` naming the method and
//! the field.
//!
//! The browser build has no store: there `new decide.Engine(...)` throws `invalid_parameter`
//! (field `decide.Engine`) saying so. An adapter method that calls back into its own engine
//! gets `invalid_parameter` (field `engine`: busy) instead of a deadlock.

pub use imp::*;

#[cfg(not(feature = "engine"))]
mod imp {
    use channelwise::{Error, Result};

    use crate::api::Job;
    use crate::host::Host;

    fn node_only() -> Error {
        Error::InvalidParameter {
            field: "decide.Engine".into(),
            value: "this package".into(),
            reason: "the decision engine keeps its state in a store (SQLite or PostgreSQL) and runs in Node only (the channelwise package); in the browser, use decide's policy and risk functions".into(),
        }
    }

    macro_rules! node_only {
        ($($name:ident),*) => {$(
            #[doc = concat!("`decide.Engine`'s `", stringify!($name), "`: throws (Node only).")]
            pub fn $name<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
                Err(node_only())
            }
        )*};
    }

    node_only!(
        engine_new,
        engine_propose,
        engine_pending,
        engine_decisions,
        engine_decision,
        engine_approve,
        engine_reject,
        engine_execute,
        engine_run_due,
        engine_stop,
        engine_resume,
        engine_stopped,
        engine_rollback,
        engine_rollback_since,
        engine_audit,
        engine_verify,
        engine_record_outcome,
        engine_calibration,
        engine_flag_anomaly,
        engine_check_performance,
        engine_observe,
        engine_policy
    );
}

#[cfg(feature = "engine")]
mod imp {
    use std::cell::RefCell;
    use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

    use channelwise::decide::decision::Decision;
    use channelwise::decide::engine::{Engine as CoreEngine, ExecOutcome, Platform};
    use channelwise::decide::store::{self, AuditEntry, Store};
    use channelwise::platform::adapter::{
        ApplyChanges, Change, ChangeResult, Date, EntityState, MetricsQuery, MetricsRow,
        PlatformError, ReadMetrics,
    };
    use channelwise::{Error, Result};
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use crate::api::{arg, boxed, job, this, Job};
    use crate::decide::{at, read_policy, read_proposal, to_js};
    use crate::host::{Host, Kind, Shared};
    use crate::keys::{map_keys, snake};
    use crate::out::{Handle, Out};
    use crate::platform::SimMarket;
    use crate::read;

    // ---- the adapters --------------------------------------------------------------------------

    /// The engine's platform: a simulated market shared with JS, or a JS object kept alive by the
    /// engine and called through [`CALLS`] during each engine call.
    pub enum Bridge {
        /// A `platform.SimMarket`.
        Sim(Arc<SimMarket>),
        /// A JS adapter object (kept by the host).
        Js(Shared),
    }

    /// The calls a JS adapter answers, on the JS thread, during one engine call.
    trait Calls {
        fn apply_changes(
            &mut self,
            changes: &[Change],
        ) -> std::result::Result<Vec<ChangeResult>, PlatformError>;
        fn read_entity(&mut self, entity: &str) -> std::result::Result<EntityState, PlatformError>;
        fn read_metrics(
            &mut self,
            query: &MetricsQuery,
        ) -> std::result::Result<Vec<MetricsRow>, PlatformError>;
        fn now_ms(&mut self) -> i64;
        fn sleep_until(&mut self, at_ms: i64);
        /// The first broken contract (a result of the wrong shape), taken.
        fn broken(&mut self) -> Option<Error>;
    }

    thread_local! {
        /// The JS adapter of the engine call running on this (the JS) thread.
        static CALLS: RefCell<Option<Box<dyn Calls>>> = const { RefCell::new(None) };
    }

    /// Runs `f` on the JS adapter in scope, taken out of [`CALLS`] meanwhile: an adapter method
    /// may then use another engine (which installs its own adapter) without a borrow conflict.
    fn with_calls<T>(f: impl FnOnce(&mut dyn Calls) -> T, none: impl FnOnce() -> T) -> T {
        let taken = CALLS.with(|c| c.try_borrow_mut().ok().and_then(|mut slot| slot.take()));
        match taken {
            Some(mut calls) => {
                let out = f(calls.as_mut());
                CALLS.with(|c| {
                    if let Ok(mut slot) = c.try_borrow_mut() {
                        *slot = Some(calls);
                    }
                });
                out
            }
            None => none(),
        }
    }

    fn no_adapter() -> PlatformError {
        PlatformError::Transport {
            message: "no JS adapter in scope (an engine used outside its call)".into(),
        }
    }

    impl ApplyChanges for Bridge {
        fn apply_changes(
            &mut self,
            changes: &[Change],
        ) -> std::result::Result<Vec<ChangeResult>, PlatformError> {
            match self {
                Bridge::Sim(m) => m.lock().apply_changes(changes),
                Bridge::Js(_) => with_calls(|c| c.apply_changes(changes), || Err(no_adapter())),
            }
        }

        fn read_entity(&mut self, entity: &str) -> std::result::Result<EntityState, PlatformError> {
            match self {
                Bridge::Sim(m) => m.lock().read_entity(entity),
                Bridge::Js(_) => with_calls(|c| c.read_entity(entity), || Err(no_adapter())),
            }
        }
    }

    impl ReadMetrics for Bridge {
        fn read_metrics(
            &mut self,
            query: &MetricsQuery,
        ) -> std::result::Result<Vec<MetricsRow>, PlatformError> {
            match self {
                Bridge::Sim(m) => m.lock().read_metrics(query),
                Bridge::Js(_) => with_calls(|c| c.read_metrics(query), || Err(no_adapter())),
            }
        }
    }

    impl Platform for Bridge {
        fn now_ms(&self) -> i64 {
            match self {
                Bridge::Sim(m) => m.lock().now_ms(),
                Bridge::Js(_) => with_calls(|c| c.now_ms(), wall_clock),
            }
        }

        fn sleep_until(&mut self, at_ms: i64) {
            match self {
                Bridge::Sim(m) => {
                    let mut m = m.lock();
                    let now = m.now_ms();
                    m.advance_ms(at_ms.saturating_sub(now));
                }
                Bridge::Js(_) => with_calls(|c| c.sleep_until(at_ms), || ()),
            }
        }
    }

    fn wall_clock() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    /// A JS adapter object during one engine call.
    struct JsCalls<H: Host> {
        h: H,
        obj: H::V,
        broken: Option<Error>,
    }

    impl<H: Host> JsCalls<H> {
        /// `obj[name]` if it is a function.
        fn method(&self, name: &str) -> Option<H::V> {
            let f = self.h.get(&self.obj, name).ok()?;
            (self.h.kind(&f) == Kind::Function).then_some(f)
        }

        /// Records the adapter's broken contract; the engine sees an adapter failure (not
        /// retried, and no proof that nothing was applied).
        fn bad(&mut self, e: Error) -> PlatformError {
            let message = e.to_string();
            self.broken.get_or_insert(e);
            PlatformError::Adapter { message }
        }

        /// Calls `adapters.name(args)` and reads its value (or its `PlatformResult`) as `T`.
        fn call<T: DeserializeOwned>(
            &mut self,
            name: &str,
            args: &[H::V],
        ) -> std::result::Result<T, PlatformError> {
            let h = self.h;
            let field = format!("adapters.{name}()");
            let Some(f) = self.method(name) else {
                return Err(self.bad(Error::InvalidParameter {
                    field: format!("adapters.{name}"),
                    value: "missing".into(),
                    reason: "the adapter has no such method".into(),
                }));
            };
            let out = match h.call_method(&self.obj, &f, args) {
                Ok(out) => out,
                Err(reason) => return Err(self.thrown(&reason)),
            };
            // a PlatformResult: { ok, value } or { ok: false, error }
            let ok = (h.kind(&out) == Kind::Object)
                .then(|| h.get(&out, "ok").ok())
                .flatten()
                .filter(|v| h.kind(v) == Kind::Boolean);
            let value = match ok {
                Some(ok) if h.boolean(&ok) => h
                    .get(&out, "value")
                    .map_err(|e| self.bad(read::unreadable(&format!("{field}.value"), e)))?,
                Some(_) => {
                    let e = h
                        .get(&out, "error")
                        .map_err(|e| self.bad(read::unreadable(&format!("{field}.error"), e)))?;
                    return Err(self.platform_error(&e).unwrap_or_else(|| {
                        PlatformError::Transport {
                            message: read::describe(h, &e),
                        }
                    }));
                }
                None => out,
            };
            camel_doc(h, &value, &field).map_err(|e| self.bad(e))
        }

        /// The failure a throw stands for (the thrown value taken from the engine: handled here).
        fn thrown(&mut self, reason: &str) -> PlatformError {
            let h = self.h;
            let Some(e) = h.take_thrown() else {
                return PlatformError::Transport {
                    message: reason.into(),
                };
            };
            if let Some(p) = self.platform_error(&e) {
                return p;
            }
            let message = match h.kind(&e) {
                Kind::Object => h
                    .get(&e, "message")
                    .ok()
                    .filter(|m| h.kind(m) == Kind::String)
                    .and_then(|m| h.string(&m).ok()),
                Kind::String => h.string(&e).ok(),
                _ => None,
            };
            PlatformError::Transport {
                message: message.unwrap_or_else(|| read::describe(h, &e)),
            }
        }

        /// `e` as a `PlatformError` when its `kind` says it is one.
        fn platform_error(&self, e: &H::V) -> Option<PlatformError> {
            let h = self.h;
            if h.kind(e) != Kind::Object {
                return None;
            }
            let kind = h
                .get(e, "kind")
                .ok()
                .filter(|k| h.kind(k) == Kind::String)?;
            let mut m = serde_json::Map::new();
            m.insert("kind".into(), Value::String(h.string(&kind).ok()?));
            for key in h.keys(e).ok()?.into_iter().chain(["message".to_string()]) {
                let Ok(x) = h.get(e, &key) else { continue };
                if matches!(h.kind(&x), Kind::Undefined | Kind::Function)
                    || m.contains_key(&snake(&key))
                {
                    continue;
                }
                let v: Value = crate::serde_js::from_js(h, &x).ok()?;
                m.insert(snake(&key), v);
            }
            // keys a kind does not have (an Error's `stack`, a `message` of a timeout) are left out
            let mut tries = vec![Value::Object(m.clone())];
            let kept: serde_json::Map<String, Value> = m
                .into_iter()
                .filter(|(k, _)| !matches!(k.as_str(), "stack" | "name" | "cause"))
                .collect();
            tries.push(Value::Object(kept.clone()));
            tries.push(Value::Object(
                kept.into_iter().filter(|(k, _)| k != "message").collect(),
            ));
            tries
                .into_iter()
                .find_map(|t| serde_json::from_value(t).ok())
        }
    }

    /// A JS value read as the core's `T` with camelCase keys, named `field` when it does not fit.
    fn camel_doc<H: Host, T: DeserializeOwned>(h: H, v: &H::V, field: &str) -> Result<T> {
        let tree: Value = crate::serde_js::from_js(h, v)
            .map_err(|e| crate::optimize::renamed(e, |_| Some(field.to_string())))?;
        serde_json::from_value(map_keys(tree, snake)).map_err(|e| Error::InvalidParameter {
            field: field.into(),
            value: read::describe(h, v),
            reason: e.to_string(),
        })
    }

    impl<H: Host> Calls for JsCalls<H> {
        fn apply_changes(
            &mut self,
            changes: &[Change],
        ) -> std::result::Result<Vec<ChangeResult>, PlatformError> {
            let arg = self.arg(changes)?;
            let results: Vec<ChangeResult> = self.call("applyChanges", &[arg])?;
            if results.len() != changes.len() {
                return Err(self.bad(Error::LengthMismatch {
                    field: "adapters.applyChanges() results".into(),
                    expected: changes.len(),
                    got: results.len(),
                }));
            }
            Ok(results)
        }

        fn read_entity(&mut self, entity: &str) -> std::result::Result<EntityState, PlatformError> {
            let arg = self
                .h
                .make_string(entity)
                .map_err(|e| self.bad(read::unwritable(e)))?;
            self.call("readEntity", &[arg])
        }

        fn read_metrics(
            &mut self,
            query: &MetricsQuery,
        ) -> std::result::Result<Vec<MetricsRow>, PlatformError> {
            let arg = self.arg(query)?;
            self.call("readMetrics", &[arg])
        }

        fn now_ms(&mut self) -> i64 {
            let h = self.h;
            let Some(f) = self.method("nowMs") else {
                return h.now_ms() as i64;
            };
            match h.call_method(&self.obj, &f, &[]).map_err(|r| r.to_string()) {
                Ok(v) => match read::integer(h, &v, "adapters.nowMs()") {
                    Ok(t) => t,
                    Err(e) => {
                        self.bad(e);
                        h.now_ms() as i64
                    }
                },
                Err(reason) => {
                    let p = self.thrown(&reason);
                    self.bad(Error::InvalidParameter {
                        field: "adapters.nowMs()".into(),
                        value: "a function".into(),
                        reason: format!("it threw: {p}"),
                    });
                    h.now_ms() as i64
                }
            }
        }

        fn sleep_until(&mut self, at_ms: i64) {
            let h = self.h;
            let Some(f) = self.method("sleepUntil") else {
                let wait = at_ms.saturating_sub(self.now_ms());
                if let Ok(ms) = u64::try_from(wait) {
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                }
                return;
            };
            let Ok(arg) = h.make_number(at_ms as f64) else {
                return;
            };
            if let Err(reason) = h.call_method(&self.obj, &f, &[arg]) {
                let p = self.thrown(&reason);
                self.bad(Error::InvalidParameter {
                    field: "adapters.sleepUntil()".into(),
                    value: "a function".into(),
                    reason: format!("it threw: {p}"),
                });
            }
        }

        fn broken(&mut self) -> Option<Error> {
            self.broken.take()
        }
    }

    impl<H: Host> JsCalls<H> {
        /// A core value as its camelCase JS form.
        fn arg<T: serde::Serialize + ?Sized>(
            &mut self,
            x: &T,
        ) -> std::result::Result<H::V, PlatformError> {
            let h = self.h;
            crate::keys::to_camel(x)
                .and_then(|o| crate::out::emit(h, o))
                .map_err(|e| self.bad(e))
        }
    }

    // ---- the engine ------------------------------------------------------------------------------

    type Core = CoreEngine<Box<dyn Store + Send>, Bridge>;

    /// `decide.Engine`: the core engine behind a lock (JS holds a shared handle).
    pub struct Engine(Mutex<Core>);

    /// The JS adapter of one engine call, in scope until dropped.
    struct Scope;

    impl Drop for Scope {
        fn drop(&mut self) {
            CALLS.with(|c| {
                if let Ok(mut slot) = c.try_borrow_mut() {
                    *slot = None;
                }
            });
        }
    }

    fn busy() -> Error {
        Error::InvalidParameter {
            field: "engine".into(),
            value: "busy".into(),
            reason: "an adapter called back into its own engine during one of its calls".into(),
        }
    }

    /// Runs `f` on the engine of `this` (`a[0]`), with its JS adapter in scope; an adapter's
    /// broken contract is the call's error.
    fn with_engine<H: Host, T>(
        h: H,
        a: &[H::V],
        f: impl FnOnce(&mut Core) -> Result<T>,
    ) -> Result<T> {
        let e: Arc<Engine> = this(h, a)?;
        let mut core: MutexGuard<'_, Core> = match e.0.try_lock() {
            Ok(g) => g,
            // a panic inside a call poisons the lock; the store holds the state, carry on
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return Err(busy()),
        };
        let scope = match &core.platform() {
            Bridge::Sim(_) => None,
            Bridge::Js(kept) => {
                let obj = h
                    .kept(kept)
                    .ok_or_else(|| Error::Internal("the engine's adapter object is gone".into()))?;
                let installed = CALLS.with(|c| match c.try_borrow_mut() {
                    Ok(mut slot) if slot.is_none() => {
                        *slot = Some(Box::new(JsCalls {
                            h,
                            obj,
                            broken: None,
                        }));
                        true
                    }
                    _ => false,
                });
                if !installed {
                    return Err(busy());
                }
                Some(Scope)
            }
        };
        let r = f(&mut core);
        let broken = with_calls(|c| c.broken(), || None);
        drop(scope);
        match broken {
            Some(e) => Err(e),
            None => r,
        }
    }

    /// `new decide.Engine({ store, policy, adapters })`.
    pub fn engine_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let Some(o) = read::options(
            h,
            &arg(h, a, 0)?,
            "options",
            &["store", "policy", "adapters"],
        )?
        else {
            return Err(read::missing("options"));
        };
        let spec = read::string(
            h,
            &read::require(h, &o, "store", "options.store")?,
            "options.store",
        )?;
        let policy = read_policy(
            h,
            &h.get(&o, "policy")
                .map_err(|e| read::unreadable("options.policy", e))?,
            "options.policy",
        )?;
        let adapters = read::require(h, &o, "adapters", "options.adapters")?;
        let bridge = if let Some(m) = boxed::<H, SimMarket>(h, &adapters) {
            Bridge::Sim(m)
        } else if h.kind(&adapters) == Kind::Object {
            for m in ["applyChanges", "readEntity", "readMetrics"] {
                let f = h
                    .get(&adapters, m)
                    .map_err(|e| read::unreadable(&format!("options.adapters.{m}"), e))?;
                if h.kind(&f) != Kind::Function {
                    return Err(read::wrong(
                        h,
                        &format!("options.adapters.{m}"),
                        &f,
                        "a function (the adapter's method)",
                    ));
                }
            }
            Bridge::Js(h.keep(&adapters).map_err(|e| Error::InvalidParameter {
                field: "options.adapters".into(),
                value: "an object".into(),
                reason: e,
            })?)
        } else {
            return Err(read::wrong(h, "options.adapters", &adapters, "a platform.SimMarket or an adapter object { applyChanges, readEntity, readMetrics }"));
        };
        let store = store::open(&spec).map_err(|e| at(e, "options"))?;
        let core = CoreEngine::new(store, bridge, policy).map_err(|e| at(e, "options.policy"))?;
        job(move || Ok(Handle(Arc::new(Engine(Mutex::new(core))))))
    }

    fn id<H: Host>(h: H, a: &[H::V], i: usize) -> Result<u64> {
        read::unsigned(h, &arg(h, a, i)?, "id")
    }

    fn text<H: Host>(h: H, a: &[H::V], i: usize, field: &str) -> Result<String> {
        read::string(h, &arg(h, a, i)?, field)
    }

    /// A decision as JS sees it (camelCase; `risk.spend` `Infinity` when unknown).
    fn decision_out(d: &Decision) -> Result<Out> {
        let mut out = to_js(d)?;
        if let Out::Object(fields) = &mut out {
            for (k, v) in fields.iter_mut() {
                if k == "risk" {
                    if let Some(Out::Object(risk)) = v {
                        for (rk, rv) in risk.iter_mut() {
                            if rk == "spend" {
                                *rv = Some(Out::Number(d.risk.spend));
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn decisions_out(ds: &[Decision]) -> Result<Out> {
        ds.iter()
            .map(decision_out)
            .collect::<Result<Vec<_>>>()
            .map(Out::Array)
    }

    fn outcomes_out(xs: &[(u64, ExecOutcome)]) -> Result<Out> {
        xs.iter()
            .map(|(id, o)| {
                let mut out = to_js(o)?;
                if let Out::Object(fields) = &mut out {
                    fields.insert(0, ("id".into(), Some(Out::Number(*id as f64))));
                }
                Ok(out)
            })
            .collect::<Result<Vec<_>>>()
            .map(Out::Array)
    }

    fn audit_out(e: &AuditEntry) -> Out {
        let r = &e.record;
        let detail = serde_json::from_str::<Value>(&r.detail)
            .ok()
            .and_then(|v| to_js(&v).ok())
            .unwrap_or_else(|| Out::String(r.detail.clone()));
        Out::Object(vec![
            ("seq".into(), Some(Out::Number(e.seq as f64))),
            ("atMs".into(), Some(Out::Number(r.at_ms as f64))),
            ("actor".into(), Some(Out::String(r.actor.clone()))),
            ("action".into(), Some(Out::String(r.action.clone()))),
            (
                "decision".into(),
                Some(r.decision.map_or(Out::Null, |d| Out::Number(d as f64))),
            ),
            ("detail".into(), Some(detail)),
            (
                "prevHash".into(),
                Some(Out::String(store::hex(&e.prev_hash))),
            ),
            ("hash".into(), Some(Out::String(store::hex(&e.hash)))),
        ])
    }

    /// `Engine.propose(proposal)`.
    pub fn engine_propose<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let p = read_proposal(h, &arg(h, a, 1)?, "proposal")?;
        let d = with_engine(h, a, |e| e.propose(p))?;
        let out = decision_out(&d)?;
        job(move || Ok(out))
    }

    /// `Engine.pending()`.
    pub fn engine_pending<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let out = decisions_out(&with_engine(h, a, |e| e.pending())?)?;
        job(move || Ok(out))
    }

    /// `Engine.decisions()`.
    pub fn engine_decisions<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let out = decisions_out(&with_engine(h, a, |e| e.decisions())?)?;
        job(move || Ok(out))
    }

    /// `Engine.decision(id)`.
    pub fn engine_decision<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let id = id(h, a, 1)?;
        let out = decision_out(&with_engine(h, a, |e| e.decision(id))?)?;
        job(move || Ok(out))
    }

    /// `Engine.approve(id, approver)`.
    pub fn engine_approve<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (id, who) = (id(h, a, 1)?, text(h, a, 2, "approver")?);
        let out = decision_out(&with_engine(h, a, |e| e.approve(id, &who))?)?;
        job(move || Ok(out))
    }

    /// `Engine.reject(id, approver, reason)`.
    pub fn engine_reject<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (id, who, why) = (
            id(h, a, 1)?,
            text(h, a, 2, "approver")?,
            text(h, a, 3, "reason")?,
        );
        let out = decision_out(&with_engine(h, a, |e| e.reject(id, &who, &why))?)?;
        job(move || Ok(out))
    }

    /// `Engine.execute(id)`.
    pub fn engine_execute<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let id = id(h, a, 1)?;
        let out = to_js(&with_engine(h, a, |e| e.execute(id))?)?;
        job(move || Ok(out))
    }

    /// `Engine.runDue()`.
    pub fn engine_run_due<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let out = outcomes_out(&with_engine(h, a, |e| e.run_due())?)?;
        job(move || Ok(out))
    }

    /// `Engine.stop(by, reason)`.
    pub fn engine_stop<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (by, why) = (text(h, a, 1, "by")?, text(h, a, 2, "reason")?);
        let ids = with_engine(h, a, |e| e.stop(&by, &why))?;
        job(move || {
            Ok(Out::Array(
                ids.into_iter().map(|i| Out::Number(i as f64)).collect(),
            ))
        })
    }

    /// `Engine.resume(by)`.
    pub fn engine_resume<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let by = text(h, a, 1, "by")?;
        with_engine(h, a, |e| e.resume(&by))?;
        job(|| Ok(Out::Undefined))
    }

    /// `Engine.stopped()`.
    pub fn engine_stopped<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let s = with_engine(h, a, |e| e.stopped())?;
        let out = match s {
            Some(s) => to_js(&s)?,
            None => Out::Null,
        };
        job(move || Ok(out))
    }

    /// `Engine.rollback(id, by)`.
    pub fn engine_rollback<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (id, by) = (id(h, a, 1)?, text(h, a, 2, "by")?);
        let out = to_js(&with_engine(h, a, |e| e.rollback(id, &by))?)?;
        job(move || Ok(out))
    }

    /// `Engine.rollbackSince(sinceMs, by)`.
    pub fn engine_rollback_since<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let since = read::integer(h, &arg(h, a, 1)?, "sinceMs")?;
        let by = text(h, a, 2, "by")?;
        let out = outcomes_out(&with_engine(h, a, |e| e.rollback_since(since, &by))?)?;
        job(move || Ok(out))
    }

    /// `Engine.audit()`.
    pub fn engine_audit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let entries = with_engine(h, a, |e| e.audit())?;
        job(move || Ok(Out::Array(entries.iter().map(audit_out).collect())))
    }

    /// `Engine.verify()`.
    pub fn engine_verify<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let out = to_js(&with_engine(h, a, |e| e.verify())?)?;
        job(move || Ok(out))
    }

    /// `Engine.recordOutcome(id, actual, method, by)`.
    pub fn engine_record_outcome<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let id = id(h, a, 1)?;
        let actual = read::number(h, &arg(h, a, 2)?, "actual")?;
        let (method, by) = (text(h, a, 3, "method")?, text(h, a, 4, "by")?);
        let out = decision_out(&with_engine(h, a, |e| {
            e.record_outcome(id, actual, &method, &by)
        })?)?;
        job(move || Ok(out))
    }

    /// `Engine.calibration()`.
    pub fn engine_calibration<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let out = to_js(&with_engine(h, a, |e| e.calibration())?)?;
        job(move || Ok(out))
    }

    /// `Engine.flagAnomaly(day, by, reason)`.
    pub fn engine_flag_anomaly<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let day_text = text(h, a, 1, "day")?;
        let day: Date = day_text.parse().map_err(|e| at(e, ""))?;
        let (by, why) = (text(h, a, 2, "by")?, text(h, a, 3, "reason")?);
        with_engine(h, a, |e| e.flag_anomaly(day, &by, &why))?;
        job(|| Ok(Out::Undefined))
    }

    /// `Engine.checkPerformance()`.
    pub fn engine_check_performance<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let out = decisions_out(&with_engine(h, a, |e| e.check_performance())?)?;
        job(move || Ok(out))
    }

    /// `Engine.observe(entity)`.
    pub fn engine_observe<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let entity = text(h, a, 1, "entity")?;
        let out = to_js(&with_engine(h, a, |e| e.observe(&entity))?)?;
        job(move || Ok(out))
    }

    /// `Engine.policy` (getter).
    pub fn engine_policy<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let e: Arc<Engine> = this(h, a)?;
        let out = {
            let core = match e.0.try_lock() {
                Ok(g) => g,
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
                Err(TryLockError::WouldBlock) => return Err(busy()),
            };
            to_js(core.policy())?
        };
        job(move || Ok(out))
    }
}
