//! What a JS engine must offer: the [`Host`] trait, implemented once by each package.
//!
//! Everything else in this crate (readers, results, the API itself) is written against it, so
//! the Node addon (`bindings-node/src/host.rs`, Node-API) and the browser module
//! (`bindings-wasm/src/host.rs`, wasm-bindgen) differ only in these primitives.
//!
//! Reading methods return `Err(reason)` when the engine threw (a getter, a Proxy trap, a revoked
//! Proxy). The reader then stops with an error naming the field; a host that can (both do)
//! keeps the thrown value and rethrows it as is at the boundary, as `JSON.stringify` would.

use std::any::Any;
use std::sync::Arc;

/// A fitted model or spec kept on the Rust side; JS holds an opaque handle to it.
pub type Shared = Arc<dyn Any + Send + Sync>;

/// The JS type of a value (`typeof`, with `null` apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Boolean,
    /// A number (NaN and infinities included).
    Number,
    /// A string.
    String,
    /// A symbol.
    Symbol,
    /// A function.
    Function,
    /// A bigint.
    BigInt,
    /// Any other object (arrays, typed arrays, plain objects, proxies).
    Object,
}

/// What [`Host::typed_numbers`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    /// Not a typed array (nor a DataView).
    No,
    /// A typed array of numbers (any but the BigInt ones), as `f64`s (exact for every kind).
    Numbers(Vec<f64>),
    /// A view that holds no plain numbers: `BigInt64Array`, `BigUint64Array`, `DataView`.
    Other(&'static str),
}

/// The primitives of one JS engine. `Copy`: a host is a handle to the engine of the current
/// call (the Node-API `env`, or nothing in the browser).
pub trait Host: Copy + 'static {
    /// A JS value of this engine.
    type V: Clone + 'static;

    /// The value's type.
    fn kind(self, v: &Self::V) -> Kind;
    /// `Array.isArray(v)`.
    fn is_array(self, v: &Self::V) -> Result<bool, String>;
    /// The numbers of a typed array.
    fn typed_numbers(self, v: &Self::V) -> Result<Typed, String>;
    /// The bytes of a `Uint8Array` (a Node `Buffer` is one), copied as they are; `None` for any
    /// other value (other typed arrays included).
    fn bytes(self, v: &Self::V) -> Result<Option<Vec<u8>>, String>;
    /// The engine's clock: milliseconds since the Unix epoch (`Date.now()`). The core reads no
    /// clock; a binding that defaults "now" asks the host.
    fn now_ms(self) -> f64;
    /// A number's value (only called on [`Kind::Number`]).
    fn number(self, v: &Self::V) -> f64;
    /// A boolean's value (only called on [`Kind::Boolean`]).
    fn boolean(self, v: &Self::V) -> bool;
    /// A string's text (only called on [`Kind::String`]); `Err` ([`LONE_SURROGATE`]) for one
    /// holding a lone surrogate, which UTF-8 cannot hold.
    fn string(self, v: &Self::V) -> Result<String, String>;
    /// Appends a string's UTF-8 to `out`; `Ok(false)` (nothing appended) if `v` is no string.
    fn append_utf8(self, v: &Self::V, out: &mut Vec<u8>) -> Result<bool, String> {
        if self.kind(v) != Kind::String {
            return Ok(false);
        }
        out.extend_from_slice(self.string(v)?.as_bytes());
        Ok(true)
    }
    /// `obj[key]`.
    fn get(self, obj: &Self::V, key: &str) -> Result<Self::V, String>;
    /// An array's `length`.
    fn length(self, arr: &Self::V) -> Result<u32, String>;
    /// `arr[i]`.
    fn element(self, arr: &Self::V, i: u32) -> Result<Self::V, String>;
    /// The object's own enumerable string keys.
    fn keys(self, obj: &Self::V) -> Result<Vec<String>, String>;
    /// The Rust value behind a handle made by [`Host::handle`], if `v` is one.
    fn unwrap_handle(self, v: &Self::V) -> Option<Shared>;
    /// Calls the JS function `f` with `args` (`this` undefined) and gives what it returned;
    /// `Err` if it threw (the host keeps the thrown value and rethrows it as is).
    fn call_function(self, f: &Self::V, args: &[Self::V]) -> Result<Self::V, String>;
    /// Calls `f` with `this` set to `obj` (an adapter's method); otherwise as
    /// [`Host::call_function`].
    fn call_method(self, obj: &Self::V, f: &Self::V, args: &[Self::V]) -> Result<Self::V, String>;
    /// What the last [`Host::call_function`] / [`Host::call_method`] threw, taken: the caller
    /// handles it (a JS adapter's failure becomes data), so it is not rethrown at the boundary.
    /// `None` when nothing is kept.
    fn take_thrown(self) -> Option<Self::V>;
    /// Refers to `v` beyond the current call (a JS adapter an engine calls later), until the
    /// returned `Shared` is dropped (on the JS thread). The reference is weak where the engine
    /// has a garbage collector (Node): the shared wrapper keeps a constructor's arguments alive
    /// as long as the object it made, so the value lives as long as that object, and a cycle
    /// through both (an adapter holding its engine) can be collected.
    ///
    /// # Errors
    /// A host that cannot keep values across calls (the browser build: no engine there) says
    /// why.
    fn keep(self, v: &Self::V) -> Result<Shared, String> {
        let _ = v;
        Err("this build keeps no JS values across calls".into())
    }
    /// The value kept by [`Host::keep`], in the current call.
    fn kept(self, k: &Shared) -> Option<Self::V> {
        let _ = k;
        None
    }
    /// A way to call the methods of a value kept by [`Host::keep`] from another thread, on the
    /// JS thread, awaiting the promises they return (`decide.Engine`'s `...Async` methods in
    /// Node). `None` where the host has no other threads (the browser build).
    #[cfg(feature = "engine")]
    fn remote(self, k: &Shared) -> Option<std::sync::Arc<dyn crate::decide::engine::Remote>> {
        let _ = k;
        None
    }
    /// Marks `promise`, which an adapter returned to a synchronous engine call that refuses it,
    /// as handled (`promise.then(undefined, () => {})`): its rejection, if it comes, then raises
    /// no `unhandledRejection`, which ends a Node process by default. The promise's own
    /// `...Async` awaiters are unaffected. A no-op where no adapter is called (the browser).
    fn ignore_rejection(self, promise: &Self::V) {
        let _ = promise;
    }

    /// `undefined`.
    fn undefined(self) -> Result<Self::V, String>;
    /// `null`.
    fn null(self) -> Result<Self::V, String>;
    /// A number.
    fn make_number(self, x: f64) -> Result<Self::V, String>;
    /// A boolean.
    fn make_boolean(self, b: bool) -> Result<Self::V, String>;
    /// A string.
    fn make_string(self, s: &str) -> Result<Self::V, String>;
    /// An array of `items`.
    fn make_array(self, items: Vec<Self::V>) -> Result<Self::V, String>;
    /// A plain object with `fields`, in order.
    fn make_object(self, fields: Vec<(&str, Self::V)>) -> Result<Self::V, String>;
    /// A `Float64Array` copy of `xs`.
    fn make_f64_array(self, xs: &[f64]) -> Result<Self::V, String>;
    /// An `Int8Array` copy of `xs`.
    fn make_i8_array(self, xs: &[i8]) -> Result<Self::V, String>;
    /// An opaque handle to `x` (freed when JS lets go of it).
    fn handle(self, x: Shared) -> Result<Self::V, String>;
}

/// Why a JS string holding a lone surrogate is refused. An engine writes one as U+FFFD in
/// UTF-8, so the hosts read a string's code units only where its UTF-8 holds U+FFFD.
pub const LONE_SURROGATE: &str = "a lone surrogate: not Unicode text";

thread_local! {
    /// String columns of the running call's arguments, joined by the JS wrapper.
    static JOINED: std::cell::RefCell<Vec<(String, Vec<u8>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Hands over string column `field` (`path`, `touchpoints.userId`) of the next call's
/// arguments as `column.join("\n")` in UTF-8: one copy across the boundary instead of one per
/// row. The JS wrappers make these (`eventColumns` in `js/api.mjs`, and the browser's
/// `fastTable`) for arrays that hold only strings; the reader uses one only if it splits into
/// as many rows as the column has, so a string holding a newline is read one by one.
pub fn stash_joined(field: String, utf8: Vec<u8>) {
    JOINED.with(|j| j.borrow_mut().push((field, utf8)));
}

/// The joined column `field`, taken, if one was handed over ([`stash_joined`]).
pub fn take_joined(field: &str) -> Option<Vec<u8>> {
    JOINED.with(|j| {
        let mut j = j.borrow_mut();
        let i = j.iter().position(|(f, _)| f == field)?;
        Some(j.swap_remove(i).1)
    })
}

/// Drops what was handed over and not read: each call's columns are for that call only, whether
/// it read them or failed first. The hosts call this after every call.
pub fn clear_joined() {
    JOINED.with(|j| j.borrow_mut().clear());
}
