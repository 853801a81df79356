//! `decide.Engine` (Node only): the core's decision engine over a store (`"decisions.db"`,
//! `":memory:"`, `"postgresql://..."` in a build with the core's `postgres` feature) and
//! adapters: a `platform.SimMarket` (native, no callbacks) or a JS object whose methods the
//! engine calls on the JS thread:
//!
//! | Method | Returns | Required |
//! |---|---|---|
//! | `applyChanges(changes: Change[])` | `ChangeResult[]` (one per change, in order) | yes |
//! | `readEntity(entity: string)` | `EntityState` | yes |
//! | `readMetrics(query: MetricsQuery)` | `MetricsRow[]` | yes |
//! | `nowMs()` | ms since the epoch | no (default `Date.now()`) |
//! | `sleepUntil(atMs: number)` | anything | no (default: the thread sleeps until then) |
//!
//! A synchronous engine method calls them in place, inside its own call, so they must answer
//! synchronously (a returned promise is refused, naming the method). The methods that reach the
//! adapter also have an `...Async` form (`on_engine`): the engine runs on a thread of its own
//! (not one of libuv's few pool threads, which the adapter's own I/O may need), each
//! adapter call is sent to the JS thread through the host's `Remote` (Node: a thread-safe
//! function), and a promise it returns is awaited, so an adapter written with `fetch` works and
//! the event loop stays free. What a method gives is read on the JS thread (`settle`) and
//! crosses back as plain data; the engine, which holds the adapter's reference, is released on
//! the JS thread.
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
//! (field `decide.Engine`) saying so. One call at a time per engine: an adapter method that
//! calls back into its own engine, or a call made while an `...Async` one runs, gets
//! `invalid_parameter` (field `engine`: busy) instead of a deadlock or a queue.

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
        engine_policy,
        engine_store_id
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
    /// engine and called through `CALLS` during each engine call.
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
                Bridge::Sim(m) => m.lock().wait_until(at_ms),
                Bridge::Js(_) => with_calls(|c| c.sleep_until(at_ms), || ()),
            }
        }
    }

    /// Records an adapter's broken contract in `slot` (the first one is kept); the engine sees
    /// an adapter failure (not retried, and no proof that nothing was applied).
    fn broke(slot: &mut Option<Error>, e: Error) -> PlatformError {
        let message = e.to_string();
        slot.get_or_insert(e);
        PlatformError::Adapter { message }
    }

    /// The error of an optional adapter method (`nowMs`, `sleepUntil`) that failed with `p`.
    fn threw(method: &str, p: &PlatformError) -> Error {
        Error::InvalidParameter {
            field: format!("adapters.{method}()"),
            value: "a function".into(),
            reason: format!("it threw: {p}"),
        }
    }

    /// Sleeps this thread `ms` (nothing when negative): the wait of an adapter with no
    /// `sleepUntil`.
    fn sleep_for(ms: i64) {
        if let Ok(ms) = u64::try_from(ms) {
            std::thread::sleep(std::time::Duration::from_millis(ms));
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
            broke(&mut self.broken, e)
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
            if is_thenable(h, &out) {
                h.ignore_rejection(&out);
                return Err(self.bad(awaited(&field)));
            }
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
            platform_error_of(m)
        }
    }

    /// The `PlatformError` whose fields (snake_case keys, `kind` among them) are `m`; keys a
    /// kind does not have (an Error's `stack`, a `message` of a timeout) are left out.
    fn platform_error_of(m: serde_json::Map<String, Value>) -> Option<PlatformError> {
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

    /// Whether `v` is a promise (or any object with a `then` method).
    fn is_thenable<H: Host>(h: H, v: &H::V) -> bool {
        matches!(h.kind(v), Kind::Object | Kind::Function)
            && h.get(v, "then").is_ok_and(|t| h.kind(&t) == Kind::Function)
    }

    /// The error of a method that returned a promise to a synchronous engine call.
    fn awaited(field: &str) -> Error {
        Error::InvalidParameter {
            field: field.into(),
            value: "a Promise".into(),
            reason: "a synchronous engine call cannot wait for it: call the method's ...Async form (executeAsync, runDueAsync, ...), which awaits the adapter's promises".into(),
        }
    }

    /// A JS value read as the core's `T` with camelCase keys, named `field` when it does not fit.
    fn camel_doc<H: Host, T: DeserializeOwned>(h: H, v: &H::V, field: &str) -> Result<T> {
        let tree = crate::keys::tree(h, v, field)?;
        crate::keys::from_tree(&map_keys(tree.clone(), snake), &tree, field)
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
                Ok(v) if is_thenable(h, &v) => {
                    h.ignore_rejection(&v);
                    self.bad(awaited("adapters.nowMs()"));
                    h.now_ms() as i64
                }
                Ok(v) => match read::integer(h, &v, "adapters.nowMs()") {
                    Ok(t) => t,
                    Err(e) => {
                        self.bad(e);
                        h.now_ms() as i64
                    }
                },
                Err(reason) => {
                    let p = self.thrown(&reason);
                    self.bad(threw("nowMs", &p));
                    h.now_ms() as i64
                }
            }
        }

        fn sleep_until(&mut self, at_ms: i64) {
            let h = self.h;
            let Some(f) = self.method("sleepUntil") else {
                sleep_for(at_ms.saturating_sub(self.now_ms()));
                return;
            };
            let Ok(arg) = h.make_number(at_ms as f64) else {
                return;
            };
            match h.call_method(&self.obj, &f, &[arg]) {
                Ok(v) if is_thenable(h, &v) => {
                    h.ignore_rejection(&v);
                    self.bad(awaited("adapters.sleepUntil()"));
                }
                Ok(_) => {}
                Err(reason) => {
                    let p = self.thrown(&reason);
                    self.bad(threw("sleepUntil", &p));
                }
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

    /// `decide.Engine`: the core engine behind a lock (JS holds a shared handle), and its JS
    /// adapter, if it has one, for the `...Async` calls that reach it from another thread.
    pub struct Engine {
        core: Mutex<Core>,
        js: Option<Shared>,
    }

    /// The core engine of `e`, or `busy` while another call holds it.
    fn lock(e: &Engine) -> Result<MutexGuard<'_, Core>> {
        match e.core.try_lock() {
            Ok(g) => Ok(g),
            // a panic inside a call poisons the lock; the store holds the state, carry on
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(TryLockError::WouldBlock) => Err(busy()),
        }
    }

    /// Puts `calls` in [`CALLS`] for this thread until the returned scope drops; `None` when an
    /// adapter is in scope already (an adapter calling back into an engine call).
    fn install(calls: Box<dyn Calls>) -> Option<Scope> {
        CALLS.with(|c| match c.try_borrow_mut() {
            Ok(mut slot) if slot.is_none() => {
                *slot = Some(calls);
                Some(Scope)
            }
            _ => None,
        })
    }

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
        let mut core = lock(&e)?;
        let scope = match &e.js {
            None => None,
            Some(kept) => {
                let obj = h
                    .kept(kept)
                    .ok_or_else(|| Error::Internal("the engine's adapter object is gone".into()))?;
                let calls = JsCalls {
                    h,
                    obj,
                    broken: None,
                };
                Some(install(Box::new(calls)).ok_or_else(busy)?)
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

    /// Runs `f` on the engine of `this` (`a[0]`) and gives its result. A synchronous call runs
    /// it now, on the JS thread, the adapter's methods called in place ([`with_engine`]). An
    /// `...Async` call ([`crate::deferred`]) runs it in the returned job on another thread (one of
    /// its own: [`crate::waits_on_js`]), the
    /// adapter's methods called on the JS thread through the host's [`Remote`] and their
    /// promises awaited; the JS thread is free meanwhile.
    fn on_engine<H: Host>(
        h: H,
        a: &[H::V],
        f: impl FnOnce(&mut Core) -> Result<Out> + Send + 'static,
    ) -> Result<Job> {
        if !crate::deferred() {
            let out = with_engine(h, a, f)?;
            return job(move || Ok(out));
        }
        let e: Arc<Engine> = this(h, a)?;
        let remote = match &e.js {
            None => None,
            Some(kept) => {
                let r = h.remote(kept).ok_or_else(|| {
                    Error::Internal(
                        "this package cannot call a JS adapter from another thread".into(),
                    )
                })?;
                crate::waits_on_js();
                Some(r)
            }
        };
        job(move || {
            let r = {
                let mut core = lock(&e)?;
                let scope = match &remote {
                    None => None,
                    Some(r) => {
                        let calls = AsyncCalls {
                            remote: r.clone(),
                            broken: None,
                        };
                        Some(install(Box::new(calls)).ok_or_else(busy)?)
                    }
                };
                let r = f(&mut core);
                let broken = with_calls(|c| c.broken(), || None);
                drop(scope);
                broken.map_or(r, Err)
            };
            // the engine holds the adapter, which only the JS thread may release
            if let Some(remote) = remote {
                remote.release(Box::new(e));
            }
            r
        })
    }

    /// An adapter's methods, called from another thread: each call runs on the JS thread, waits
    /// for a promise the method returns, and is read there ([`settle`]). Implemented by the
    /// host (Node: a thread-safe function).
    pub trait Remote: Send + Sync {
        /// `adapter[method](...args)` on the JS thread, awaited; blocks until it settles. With
        /// `read` false, what it gave is not read (`sleepUntil`'s, which may be anything).
        fn call(&self, method: &'static str, args: Vec<Out>, read: bool) -> Settled;
        /// Drops `x` on the JS thread (a value holding JS references), after the calls so far.
        fn release(&self, x: Box<dyn std::any::Any + Send>);
    }

    /// What an adapter method called through a [`Remote`] came to, read on the JS thread.
    pub enum Settled {
        /// The adapter has no such method.
        Missing,
        /// It returned, or its promise fulfilled with, this value.
        Value {
            /// The value as a tree (its keys as JS has them).
            tree: Result<Value>,
        },
        /// It threw, or its promise rejected with, this value.
        Threw {
            /// Its own enumerable properties, when it is an object.
            fields: Option<serde_json::Map<String, Value>>,
            /// Its `message` (an `Error`'s), or the value itself when it is a string.
            message: Option<String>,
            /// How it reads in an error message.
            describe: String,
        },
        /// The JS thread could not run it (Node is shutting down).
        Gone,
    }

    /// Reads `v`, what an adapter method gave (`fulfilled`; read only if `read`) or threw, on
    /// the JS thread.
    pub fn settle<H: Host>(h: H, fulfilled: bool, v: &H::V, read: bool) -> Settled {
        if fulfilled {
            let tree = match h.kind(v) {
                _ if !read => Ok(Value::Null),
                Kind::Undefined => Ok(Value::Null),
                _ => crate::serde_js::from_js(h, v),
            };
            return Settled::Value { tree };
        }
        let fields = (h.kind(v) == Kind::Object)
            .then(|| {
                let mut m = serde_json::Map::new();
                for key in h.keys(v).ok()? {
                    let Ok(x) = h.get(v, &key) else { continue };
                    if matches!(h.kind(&x), Kind::Undefined | Kind::Function) {
                        continue;
                    }
                    if let Ok(x) = crate::serde_js::from_js::<H, Value>(h, &x) {
                        m.insert(snake(&key), x);
                    }
                }
                Some(m)
            })
            .flatten();
        let text = |m: H::V| {
            (h.kind(&m) == Kind::String)
                .then(|| h.string(&m).ok())
                .flatten()
        };
        let message = match h.kind(v) {
            Kind::Object => h.get(v, "message").ok().and_then(text),
            Kind::String => text(v.clone()),
            _ => None,
        };
        Settled::Threw {
            fields,
            message,
            describe: read::describe(h, v),
        }
    }

    /// A JS adapter during one `...Async` engine call, reached from the thread the call
    /// runs on.
    struct AsyncCalls {
        remote: Arc<dyn Remote>,
        broken: Option<Error>,
    }

    impl AsyncCalls {
        /// Records the adapter's broken contract (see [`JsCalls::bad`]).
        fn bad(&mut self, e: Error) -> PlatformError {
            broke(&mut self.broken, e)
        }

        /// `adapters.name(args)`, its value (or its `PlatformResult`'s) read as `T`; `None` when
        /// the adapter has no such method.
        fn call<T: DeserializeOwned>(
            &mut self,
            name: &'static str,
            args: Vec<Out>,
        ) -> Option<std::result::Result<T, PlatformError>> {
            let field = format!("adapters.{name}()");
            let tree = match self.remote.call(name, args, name != "sleepUntil") {
                Settled::Missing => return None,
                Settled::Gone => {
                    return Some(Err(self.bad(Error::Internal(format!(
                        "{field}: the JS thread is gone (Node is shutting down)"
                    )))))
                }
                Settled::Threw {
                    fields,
                    message,
                    describe,
                } => return Some(Err(failure(fields, message, describe))),
                Settled::Value { tree } => tree,
            };
            let tree = match tree {
                Ok(t) => t,
                Err(e) => {
                    let e = crate::optimize::renamed(e, |_| Some(field.clone()));
                    return Some(Err(self.bad(e)));
                }
            };
            // a PlatformResult: { ok, value } or { ok: false, error }
            let value = match tree {
                Value::Object(mut o) if matches!(o.get("ok"), Some(Value::Bool(_))) => {
                    if o.get("ok") == Some(&Value::Bool(true)) {
                        o.remove("value").unwrap_or(Value::Null)
                    } else {
                        let error = o.remove("error").unwrap_or(Value::Null);
                        let text = error.to_string();
                        let fields = match error {
                            Value::Object(m) => {
                                Some(m.into_iter().map(|(k, v)| (snake(&k), v)).collect())
                            }
                            _ => None,
                        };
                        return Some(Err(failure(fields, None, text)));
                    }
                }
                other => other,
            };
            Some(
                crate::keys::from_tree(&map_keys(value.clone(), snake), &value, &field)
                    .map_err(|e| self.bad(e)),
            )
        }

        fn required<T: DeserializeOwned>(
            &mut self,
            name: &'static str,
            args: Vec<Out>,
        ) -> std::result::Result<T, PlatformError> {
            self.call(name, args).unwrap_or_else(|| {
                Err(self.bad(Error::InvalidParameter {
                    field: format!("adapters.{name}"),
                    value: "missing".into(),
                    reason: "the adapter has no such method".into(),
                }))
            })
        }

        fn arg<T: serde::Serialize + ?Sized>(
            &mut self,
            x: &T,
        ) -> std::result::Result<Out, PlatformError> {
            crate::keys::to_camel(x).map_err(|e| self.bad(e))
        }
    }

    /// The failure a thrown (or rejected, or `{ ok: false }`) value stands for: the
    /// `PlatformError` its `kind` names, else a transport failure carrying its message.
    fn failure(
        fields: Option<serde_json::Map<String, Value>>,
        message: Option<String>,
        describe: String,
    ) -> PlatformError {
        let known = fields.and_then(|mut m| {
            if !matches!(m.get("kind"), Some(Value::String(_))) {
                return None;
            }
            if let Some(text) = &message {
                m.entry("message")
                    .or_insert_with(|| Value::String(text.clone()));
            }
            platform_error_of(m)
        });
        known.unwrap_or_else(|| PlatformError::Transport {
            message: message.unwrap_or(describe),
        })
    }

    impl Calls for AsyncCalls {
        fn apply_changes(
            &mut self,
            changes: &[Change],
        ) -> std::result::Result<Vec<ChangeResult>, PlatformError> {
            let arg = self.arg(changes)?;
            let results: Vec<ChangeResult> = self.required("applyChanges", vec![arg])?;
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
            self.required("readEntity", vec![Out::String(entity.into())])
        }

        fn read_metrics(
            &mut self,
            query: &MetricsQuery,
        ) -> std::result::Result<Vec<MetricsRow>, PlatformError> {
            let arg = self.arg(query)?;
            self.required("readMetrics", vec![arg])
        }

        fn now_ms(&mut self) -> i64 {
            match self.call::<f64>("nowMs", Vec::new()) {
                None => wall_clock(),
                Some(Ok(t))
                    if t.is_finite() && t.fract() == 0.0 && t.abs() <= 9_007_199_254_740_991.0 =>
                {
                    t as i64
                }
                Some(Ok(t)) => {
                    self.bad(Error::InvalidParameter {
                        field: "adapters.nowMs()".into(),
                        value: read::js_number(t),
                        reason: "expected a whole number of ms since the epoch".into(),
                    });
                    wall_clock()
                }
                Some(Err(p)) => {
                    if !matches!(p, PlatformError::Adapter { .. }) {
                        self.bad(threw("nowMs", &p));
                    }
                    wall_clock()
                }
            }
        }

        fn sleep_until(&mut self, at_ms: i64) {
            match self.call::<Value>("sleepUntil", vec![Out::Number(at_ms as f64)]) {
                // this thread may sleep: the JS thread is not held up
                None => {
                    sleep_for(at_ms.saturating_sub(self.now_ms()));
                }
                Some(Ok(_)) => {}
                Some(Err(p)) => {
                    if !matches!(p, PlatformError::Adapter { .. }) {
                        self.bad(threw("sleepUntil", &p));
                    }
                }
            }
        }

        fn broken(&mut self) -> Option<Error> {
            self.broken.take()
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
        let js = match &bridge {
            Bridge::Js(kept) => Some(kept.clone()),
            Bridge::Sim(_) => None,
        };
        let store = store::open(&spec).map_err(|e| at(e, "options"))?;
        let core = CoreEngine::new(store, bridge, policy).map_err(|e| at(e, "options.policy"))?;
        let engine = Engine {
            core: Mutex::new(core),
            js,
        };
        job(move || Ok(Handle(Arc::new(engine))))
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
        on_engine(h, a, move |e| decision_out(&e.propose(p)?))
    }

    /// `Engine.pending()`.
    pub fn engine_pending<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| decisions_out(&e.pending()?))
    }

    /// `Engine.decisions()`.
    pub fn engine_decisions<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| decisions_out(&e.decisions()?))
    }

    /// `Engine.decision(id)`.
    pub fn engine_decision<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let id = id(h, a, 1)?;
        on_engine(h, a, move |e| decision_out(&e.decision(id)?))
    }

    /// `Engine.approve(id, approver)`.
    pub fn engine_approve<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (id, who) = (id(h, a, 1)?, text(h, a, 2, "approver")?);
        on_engine(h, a, move |e| decision_out(&e.approve(id, &who)?))
    }

    /// `Engine.reject(id, approver, reason)`.
    pub fn engine_reject<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (id, who, why) = (
            id(h, a, 1)?,
            text(h, a, 2, "approver")?,
            text(h, a, 3, "reason")?,
        );
        on_engine(h, a, move |e| decision_out(&e.reject(id, &who, &why)?))
    }

    /// `Engine.execute(id)`.
    pub fn engine_execute<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let id = id(h, a, 1)?;
        on_engine(h, a, move |e| to_js(&e.execute(id)?))
    }

    /// `Engine.runDue()`.
    pub fn engine_run_due<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| outcomes_out(&e.run_due()?))
    }

    /// `Engine.stop(by, reason)`.
    pub fn engine_stop<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (by, why) = (text(h, a, 1, "by")?, text(h, a, 2, "reason")?);
        on_engine(h, a, move |e| {
            let ids = e.stop(&by, &why)?;
            Ok(Out::Array(
                ids.into_iter().map(|i| Out::Number(i as f64)).collect(),
            ))
        })
    }

    /// `Engine.resume(by)`.
    pub fn engine_resume<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let by = text(h, a, 1, "by")?;
        on_engine(h, a, move |e| e.resume(&by).map(|()| Out::Undefined))
    }

    /// `Engine.stopped()`.
    pub fn engine_stopped<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| match e.stopped()? {
            Some(s) => to_js(&s),
            None => Ok(Out::Null),
        })
    }

    /// `Engine.rollback(id, by)`.
    pub fn engine_rollback<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let (id, by) = (id(h, a, 1)?, text(h, a, 2, "by")?);
        on_engine(h, a, move |e| to_js(&e.rollback(id, &by)?))
    }

    /// `Engine.rollbackSince(sinceMs, by)`.
    pub fn engine_rollback_since<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let since = read::integer(h, &arg(h, a, 1)?, "sinceMs")?;
        let by = text(h, a, 2, "by")?;
        on_engine(h, a, move |e| outcomes_out(&e.rollback_since(since, &by)?))
    }

    /// `Engine.audit()`.
    pub fn engine_audit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| {
            Ok(Out::Array(e.audit()?.iter().map(audit_out).collect()))
        })
    }

    /// `Engine.verify()`.
    pub fn engine_verify<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| to_js(&e.verify()?))
    }

    /// `Engine.recordOutcome(id, actual, method, by)`.
    pub fn engine_record_outcome<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let id = id(h, a, 1)?;
        let actual = read::number(h, &arg(h, a, 2)?, "actual")?;
        let (method, by) = (text(h, a, 3, "method")?, text(h, a, 4, "by")?);
        on_engine(h, a, move |e| {
            decision_out(&e.record_outcome(id, actual, &method, &by)?)
        })
    }

    /// `Engine.calibration()`.
    pub fn engine_calibration<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| to_js(&e.calibration()?))
    }

    /// `Engine.flagAnomaly(day, by, reason)`.
    pub fn engine_flag_anomaly<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let day_text = text(h, a, 1, "day")?;
        let day: Date = day_text.parse().map_err(|e| at(e, ""))?;
        let (by, why) = (text(h, a, 2, "by")?, text(h, a, 3, "reason")?);
        on_engine(h, a, move |e| {
            e.flag_anomaly(day, &by, &why).map(|()| Out::Undefined)
        })
    }

    /// `Engine.checkPerformance()`.
    pub fn engine_check_performance<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        on_engine(h, a, |e| decisions_out(&e.check_performance()?))
    }

    /// `Engine.observe(entity)`.
    pub fn engine_observe<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let entity = text(h, a, 1, "entity")?;
        on_engine(h, a, move |e| to_js(&e.observe(&entity)?))
    }

    /// `Engine.storeId` (getter).
    pub fn engine_store_id<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let e: Arc<Engine> = this(h, a)?;
        let out = lock(&e)?.store_id().to_string();
        job(move || Ok(out))
    }

    /// `Engine.policy` (getter).
    pub fn engine_policy<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
        let e: Arc<Engine> = this(h, a)?;
        let out = to_js(lock(&e)?.policy())?;
        job(move || Ok(out))
    }
}
