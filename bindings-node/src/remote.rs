//! `decide.Engine`'s `...Async` calls reach the engine's JS adapter from a pool thread: each
//! adapter call is queued on a Node-API thread-safe function, runs on the JS thread, and the
//! pool thread waits for its answer while the JS thread is free. A method may return a promise:
//! the answer is sent when it settles. What the method gave is read on the JS thread
//! ([`settle`]) into plain Rust data, which crosses back over a channel.

#![allow(unsafe_code)]

use std::any::Any;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

use channelwise_js::decide::engine::{settle, Remote, Settled};
use channelwise_js::out::{emit, Out};
use channelwise_js::{Host, Kind, Shared};
use napi::sys;

use crate::host::Node;

/// What the JS thread is asked to do.
enum Request {
    /// Call `adapter[method](...args)` and send what it came to.
    Call {
        adapter: Shared,
        method: &'static str,
        args: Vec<Out>,
        read: bool,
        answer: Sender<Settled>,
    },
    /// Drop this value here, on the JS thread.
    Release(Box<dyn Any + Send>),
}

/// An engine's JS adapter, reachable from any thread for the length of one `...Async` call.
pub(crate) struct NodeRemote {
    tsfn: sys::napi_threadsafe_function,
    adapter: Mutex<Option<Shared>>,
}

// SAFETY: a thread-safe function is made to be called and released from any thread; the
// adapter (`Shared`, a Node-API reference) is only read and dropped on the JS thread, where the
// requests carrying it run.
unsafe impl Send for NodeRemote {}
// SAFETY: as above.
unsafe impl Sync for NodeRemote {}

impl NodeRemote {
    /// A remote for `adapter`, made on the JS thread of `env`. It holds the adapter strongly
    /// (the engine only weakly): an engine JS lets go of during the call still finishes it.
    pub(crate) fn new(env: sys::napi_env, adapter: &Shared) -> Option<Arc<NodeRemote>> {
        let h = Node { env };
        let adapter = h.reference(h.kept(adapter)?, true).ok()?;
        let name = h.make_string("channelwise.decide.Engine adapter").ok()?;
        let mut tsfn = ptr::null_mut();
        // SAFETY: live env; no JS function (the callback does the call); an unlimited queue and
        // one owner (this remote), released in `Drop`; `call_js` gets each request.
        let status = unsafe {
            sys::napi_create_threadsafe_function(
                env,
                ptr::null_mut(),
                ptr::null_mut(),
                name,
                0,
                1,
                ptr::null_mut(),
                None,
                ptr::null_mut(),
                Some(call_js),
                &mut tsfn,
            )
        };
        (status == sys::Status::napi_ok).then(|| {
            Arc::new(NodeRemote {
                tsfn,
                adapter: Mutex::new(Some(adapter)),
            })
        })
    }

    /// Queues `r` for the JS thread; gives it back if Node refuses it (shutting down).
    fn send(&self, r: Request) -> Result<(), Box<Request>> {
        let data = Box::into_raw(Box::new(r));
        // SAFETY: a live thread-safe function (released only in `Drop`); `data` is a leaked box
        // that `call_js` takes back.
        let status = unsafe {
            sys::napi_call_threadsafe_function(
                self.tsfn,
                data.cast::<c_void>(),
                sys::ThreadsafeFunctionCallMode::blocking,
            )
        };
        if status == sys::Status::napi_ok {
            Ok(())
        } else {
            // SAFETY: Node did not take `data`, so this is its only owner.
            Err(unsafe { Box::from_raw(data) })
        }
    }
}

impl Remote for NodeRemote {
    fn call(&self, method: &'static str, args: Vec<Out>, read: bool) -> Settled {
        let Some(adapter) = self.adapter.lock().ok().and_then(|a| a.clone()) else {
            return Settled::Gone;
        };
        let (answer, wait) = channel();
        if let Err(refused) = self.send(Request::Call {
            adapter,
            method,
            args,
            read,
            answer,
        }) {
            // dropping the adapter reference off the JS thread is not allowed: keep it
            std::mem::forget(refused);
            return Settled::Gone;
        }
        wait.recv().unwrap_or(Settled::Gone)
    }

    fn release(&self, x: Box<dyn Any + Send>) {
        if let Err(refused) = self.send(Request::Release(x)) {
            std::mem::forget(refused);
        }
    }
}

impl Drop for NodeRemote {
    fn drop(&mut self) {
        if let Some(adapter) = self.adapter.lock().ok().and_then(|mut a| a.take()) {
            if let Err(refused) = self.send(Request::Release(Box::new(adapter))) {
                std::mem::forget(refused);
            }
        }
        // SAFETY: this remote is the function's one owner and stops using it here; queued
        // requests still run.
        unsafe {
            sys::napi_release_threadsafe_function(
                self.tsfn,
                sys::ThreadsafeFunctionReleaseMode::release,
            )
        };
    }
}

/// Runs one request on the JS thread (`env` is null when Node is tearing the function down:
/// then nothing may touch JS, and what holds JS references is leaked, not dropped).
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    _js_cb: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    // SAFETY: `data` is the box `NodeRemote::send` leaked, handed over once.
    let request = unsafe { Box::from_raw(data.cast::<Request>()) };
    if env.is_null() {
        match *request {
            Request::Call {
                adapter, answer, ..
            } => {
                std::mem::forget(adapter);
                let _ = answer.send(Settled::Gone);
            }
            Request::Release(x) => std::mem::forget(x),
        }
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| match *request {
        Request::Release(x) => drop(x),
        Request::Call {
            adapter,
            method,
            args,
            read,
            answer,
        } => {
            let h = Node { env };
            if let Some(settled) = start(h, &adapter, method, args, read, answer.clone()) {
                let _ = answer.send(settled);
            }
            // what reading the answer threw (a throwing getter) is in the answer already; left
            // pending, Node would report it as an uncaught exception
            let _ = h.take_thrown();
        }
    }));
}

/// Calls the method; `Some` when it came to an answer at once, `None` when a promise will send
/// it.
fn start(
    h: Node,
    adapter: &Shared,
    method: &'static str,
    args: Vec<Out>,
    read: bool,
    answer: Sender<Settled>,
) -> Option<Settled> {
    let Some(obj) = h.kept(adapter) else {
        return Some(Settled::Gone);
    };
    let f = match h.get(&obj, method) {
        Ok(f) if h.kind(&f) == Kind::Function => f,
        Ok(_) => return Some(Settled::Missing),
        Err(_) => return Some(thrown(h)),
    };
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        match emit(h, a) {
            Ok(v) => values.push(v),
            Err(e) => {
                return Some(Settled::Value { tree: Err(e) })
            }
        }
    }
    let out = match h.call_method(&obj, &f, &values) {
        Ok(out) => out,
        Err(_) => return Some(thrown(h)),
    };
    let then = match h.kind(&out) {
        Kind::Object | Kind::Function => match h.get(&out, "then") {
            Ok(t) => Some(t),
            Err(_) => return Some(thrown(h)),
        },
        _ => None,
    };
    let Some(then) = then.filter(|t| h.kind(t) == Kind::Function) else {
        return Some(settle(h, true, &out, read));
    };
    let pending = Arc::new(Mutex::new(Some(answer)));
    let (Ok(on_fulfilled), Ok(on_rejected)) = (
        callback(h, &pending, true, read),
        callback(h, &pending, false, read),
    ) else {
        return Some(Settled::Gone);
    };
    if h.call_method(&out, &then, &[on_fulfilled, on_rejected])
        .is_err()
    {
        return Some(thrown(h));
    }
    None
}

/// What the pending exception stands for, taken.
fn thrown(h: Node) -> Settled {
    match h.take_thrown() {
        Some(e) => settle(h, false, &e, true),
        None => Settled::Threw {
            fields: None,
            message: Some("it threw".into()),
            describe: "an exception".into(),
        },
    }
}

/// The promise's answer, sent by whichever callback runs first.
struct Waiting {
    pending: Arc<Mutex<Option<Sender<Settled>>>>,
    fulfilled: bool,
    read: bool,
}

/// A JS function that sends `settle(value)` (`fulfilled`; the value read if `read`) or the
/// rejection to `pending`.
fn callback(
    h: Node,
    pending: &Arc<Mutex<Option<Sender<Settled>>>>,
    fulfilled: bool,
    read: bool,
) -> Result<sys::napi_value, String> {
    let data = Box::into_raw(Box::new(Waiting {
        pending: pending.clone(),
        fulfilled,
        read,
    }));
    let mut f = ptr::null_mut();
    // SAFETY: live env; `data` lives until the function's finaliser frees it.
    let status = unsafe {
        sys::napi_create_function(
            h.env,
            c"settled".as_ptr(),
            7,
            Some(on_settled),
            data.cast::<c_void>(),
            &mut f,
        )
    };
    if status != sys::Status::napi_ok {
        // SAFETY: no function took `data`.
        drop(unsafe { Box::from_raw(data) });
        return Err(format!("Node-API status {status}"));
    }
    // SAFETY: live env and function; the finaliser frees `data` once, when `f` is collected.
    let status = unsafe {
        sys::napi_add_finalizer(
            h.env,
            f,
            data.cast::<c_void>(),
            Some(free_waiting),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if status != sys::Status::napi_ok {
        return Err(format!("Node-API status {status}"));
    }
    Ok(f)
}

unsafe extern "C" fn free_waiting(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: the box `callback` leaked for this function, freed once.
    drop(unsafe { Box::from_raw(data.cast::<Waiting>()) });
}

unsafe extern "C" fn on_settled(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let mut argc = 1usize;
        let mut argv = [ptr::null_mut(); 1];
        let mut data = ptr::null_mut();
        // SAFETY: live env and callback info; out-pointers sized for one argument.
        let status = unsafe {
            sys::napi_get_cb_info(
                env,
                info,
                &mut argc,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                &mut data,
            )
        };
        if status != sys::Status::napi_ok || data.is_null() {
            return;
        }
        // SAFETY: `data` is the `Waiting` of this function, alive until its finaliser.
        let waiting = unsafe { &*data.cast::<Waiting>() };
        let Some(answer) = waiting.pending.lock().ok().and_then(|mut p| p.take()) else {
            return;
        };
        let h = Node { env };
        let value = if argc >= 1 && !argv[0].is_null() {
            argv[0]
        } else {
            match h.undefined() {
                Ok(u) => u,
                Err(_) => return,
            }
        };
        let _ = answer.send(settle(h, waiting.fulfilled, &value, waiting.read));
        // left pending, it would reject the promise `then` made, which nothing handles
        let _ = h.take_thrown();
    }));
    ptr::null_mut()
}
