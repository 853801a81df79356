//! The Node-API implementation of [`channelwise_js::Host`]: the only place this addon touches
//! JS values directly.
//!
//! Every function here is one or two raw Node-API calls. They run on the JS thread, inside an
//! export, with the `env` of that call and values that are handles of the current scope (napi-rs
//! opens a handle scope per call). A call that fails leaves the engine's exception pending (a
//! throwing getter, a Proxy trap): the reader reports the field, and at the boundary napi-rs
//! finds the exception pending and lets the user's own error propagate as is.

#![allow(unsafe_code)]

use std::ffi::{c_void, CString};
use std::ptr;

use channelwise_js::{Host, Kind, Shared, Typed};
use napi::sys;

/// The engine of the current call.
#[derive(Clone, Copy)]
pub(crate) struct Node {
    pub(crate) env: sys::napi_env,
}

/// Tags the externals this addon makes, so a foreign external is never read as ours.
const TAG: sys::napi_type_tag = sys::napi_type_tag {
    lower: 0x6368_616e_6e65_6c77,
    upper: 0x6973_652d_6a73_0001,
};

fn check(status: sys::napi_status) -> Result<(), String> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else if status == sys::Status::napi_pending_exception {
        Err("reading it threw".into())
    } else {
        Err(format!("Node-API status {status}"))
    }
}

unsafe extern "C" fn drop_shared(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the `Box<Shared>` leaked in `handle`, and Node calls this finaliser once.
    drop(unsafe { Box::from_raw(data.cast::<Shared>()) });
}

impl Node {
    fn typeof_(self, v: sys::napi_value) -> i32 {
        let mut t = 0;
        // SAFETY: live env and value (module docs); `t` is a valid out-pointer.
        let s = unsafe { sys::napi_typeof(self.env, v, &mut t) };
        if s == sys::Status::napi_ok {
            t
        } else {
            -1
        }
    }

    fn flag(
        self,
        f: unsafe extern "C" fn(sys::napi_env, sys::napi_value, *mut bool) -> sys::napi_status,
        v: sys::napi_value,
    ) -> Result<bool, String> {
        let mut b = false;
        // SAFETY: live env and value; `b` is a valid out-pointer.
        check(unsafe { f(self.env, v, &mut b) })?;
        Ok(b)
    }

    fn made(
        self,
        f: impl FnOnce(*mut sys::napi_value) -> sys::napi_status,
    ) -> Result<sys::napi_value, String> {
        let mut out = ptr::null_mut();
        check(f(&mut out))?;
        Ok(out)
    }

    /// A reference to `v` that lasts until the returned `Shared` is dropped (on the JS thread):
    /// `strong`, it keeps `v` alive; weak, it reads as gone once `v` is collected.
    pub(crate) fn reference(self, v: sys::napi_value, strong: bool) -> Result<Shared, String> {
        let mut r = ptr::null_mut();
        // SAFETY: live env and value; valid out-pointer. Deleted by `Kept::drop`.
        check(unsafe { sys::napi_create_reference(self.env, v, u32::from(strong), &mut r) })?;
        Ok(std::sync::Arc::new(Kept { env: self.env, r }))
    }

    /// `(element type, length, data)` of `v`, which the caller checked is a typed array.
    fn typed_info(
        self,
        v: sys::napi_value,
    ) -> Result<(sys::napi_typedarray_type, usize, *mut c_void), String> {
        let (mut kind, mut len, mut data) = (0, 0usize, ptr::null_mut::<c_void>());
        // SAFETY: `v` is a typed array (checked by the caller); the out-pointers are valid; the
        // array buffer and offset are not asked for (null).
        check(unsafe {
            sys::napi_get_typedarray_info(
                self.env,
                v,
                &mut kind,
                &mut len,
                &mut data,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        })?;
        Ok((kind, len, data))
    }

    /// A string's UTF-16 code units, as they are (lone surrogates kept).
    fn utf16(self, v: sys::napi_value) -> Result<Vec<u16>, String> {
        let mut n = 0usize;
        // SAFETY: live env and string; a null buffer asks only for the length, written to `n`.
        check(unsafe { sys::napi_get_value_string_utf16(self.env, v, ptr::null_mut(), 0, &mut n) })?;
        let mut units = vec![0u16; n + 1];
        // SAFETY: `units` has room for the `n` units and the NUL Node-API writes after them.
        check(unsafe { sys::napi_get_value_string_utf16(self.env, v, units.as_mut_ptr(), n + 1, &mut n) })?;
        units.truncate(n);
        Ok(units)
    }

    fn array_buffer(self, bytes: usize) -> Result<(sys::napi_value, *mut c_void), String> {
        let mut data = ptr::null_mut();
        // SAFETY: live env; out-pointers valid; Node allocates `bytes` bytes at `data`.
        let ab = self
            .made(|out| unsafe { sys::napi_create_arraybuffer(self.env, bytes, &mut data, out) })?;
        Ok((ab, data))
    }
}

impl Host for Node {
    type V = sys::napi_value;

    fn kind(self, v: &Self::V) -> Kind {
        use sys::ValueType as T;
        match self.typeof_(*v) {
            T::napi_undefined => Kind::Undefined,
            T::napi_null => Kind::Null,
            T::napi_boolean => Kind::Boolean,
            T::napi_number => Kind::Number,
            T::napi_string => Kind::String,
            T::napi_symbol => Kind::Symbol,
            T::napi_function => Kind::Function,
            T::napi_bigint => Kind::BigInt,
            _ => Kind::Object,
        }
    }

    fn is_array(self, v: &Self::V) -> Result<bool, String> {
        self.flag(sys::napi_is_array, *v)
    }

    fn typed_numbers(self, v: &Self::V) -> Result<Typed, String> {
        if !self.flag(sys::napi_is_typedarray, *v)? {
            return Ok(if self.flag(sys::napi_is_dataview, *v)? {
                Typed::Other("DataView")
            } else {
                Typed::No
            });
        }
        let (kind, len, data) = self.typed_info(*v)?;
        macro_rules! read {
            ($t:ty) => {{
                if len == 0 || data.is_null() {
                    Vec::new()
                } else {
                    // SAFETY: Node reports `len` elements of the array's type at `data` (aligned
                    // for it: typed arrays require it), alive for this call; copied out at once.
                    unsafe { std::slice::from_raw_parts(data.cast::<$t>(), len) }
                        .iter()
                        .map(|&x| x as f64)
                        .collect()
                }
            }};
        }
        use sys::TypedarrayType as T;
        Ok(Typed::Numbers(match kind {
            T::float64_array => read!(f64),
            T::float32_array => read!(f32),
            T::int8_array => read!(i8),
            T::uint8_array | T::uint8_clamped_array => read!(u8),
            T::int16_array => read!(i16),
            T::uint16_array => read!(u16),
            T::int32_array => read!(i32),
            T::uint32_array => read!(u32),
            T::bigint64_array => return Ok(Typed::Other("BigInt64Array")),
            T::biguint64_array => return Ok(Typed::Other("BigUint64Array")),
            _ => return Ok(Typed::Other("typed array")),
        }))
    }

    fn bytes(self, v: &Self::V) -> Result<Option<Vec<u8>>, String> {
        if !self.flag(sys::napi_is_typedarray, *v)? {
            return Ok(None);
        }
        let (kind, len, data) = self.typed_info(*v)?;
        if kind != sys::TypedarrayType::uint8_array {
            return Ok(None);
        }
        if len == 0 || data.is_null() {
            return Ok(Some(Vec::new()));
        }
        // SAFETY: Node reports `len` bytes at `data`, alive for this call; copied out at once.
        Ok(Some(
            unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }.to_vec(),
        ))
    }

    fn now_ms(self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }

    fn number(self, v: &Self::V) -> f64 {
        let mut x = f64::NAN;
        // SAFETY: live env and value (a number, checked by the caller); valid out-pointer.
        let _ = unsafe { sys::napi_get_value_double(self.env, *v, &mut x) };
        x
    }

    fn boolean(self, v: &Self::V) -> bool {
        let mut b = false;
        // SAFETY: as for `number`.
        let _ = unsafe { sys::napi_get_value_bool(self.env, *v, &mut b) };
        b
    }

    fn string(self, v: &Self::V) -> Result<String, String> {
        let mut out = Vec::new();
        if !self.append_utf8(v, &mut out)? {
            return Err("not a string".into());
        }
        String::from_utf8(out).map_err(|e| e.to_string())
    }

    /// One Node-API call into the buffer's spare room in the usual case (napi-rs's `String`
    /// makes two, plus an allocation, a copy and a free per string): for a million paths that
    /// was most of the binding's overhead.
    fn append_utf8(self, v: &Self::V, out: &mut Vec<u8>) -> Result<bool, String> {
        const SLACK: usize = 256;
        let value = *v;
        let env = self.env;
        let write = |out: &mut Vec<u8>, room: usize| -> Result<Option<usize>, String> {
            out.reserve(room);
            let filled = out.len();
            let spare = out.spare_capacity_mut();
            let room = spare.len();
            let mut written = 0usize;
            // SAFETY: `spare` is writable memory of `room` bytes owned by `out`; Node-API writes
            // at most `room - 1` bytes of UTF-8 plus a NUL into it and reports the count
            // (excluding the NUL) in `written`.
            let status = unsafe {
                sys::napi_get_value_string_utf8(
                    env,
                    value,
                    spare.as_mut_ptr().cast(),
                    room,
                    &mut written,
                )
            };
            if status == sys::Status::napi_string_expected {
                return Ok(None);
            }
            check(status)?;
            // SAFETY: the first `written` spare bytes were just initialised by Node-API.
            unsafe { out.set_len(filled + written.min(room.saturating_sub(1))) };
            Ok(Some(written))
        };
        let start = out.len();
        let Some(written) = write(out, SLACK)? else {
            return Ok(false);
        };
        // V8 never splits a character, so a write that left 4 bytes or more unused is complete;
        // otherwise ask for the exact length and write again if it was cut short.
        if written + 4 >= out.capacity() - start {
            let mut need = 0usize;
            // SAFETY: a null buffer asks Node-API only for the length, written to `need`.
            check(unsafe {
                sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut need)
            })?;
            if need > written {
                out.truncate(start);
                write(out, need + 1)?;
            }
        }
        // V8 writes a lone surrogate as U+FFFD (EF BF BD): only then are the code units read
        // (the lead byte is looked for first, by memchr). The browser build checks a string
        // before it crosses instead (bindings-wasm/js/text.js).
        let text = &out[start..];
        if text.contains(&0xEF)
            && text.windows(3).any(|w| w == [0xEF, 0xBF, 0xBD])
            && char::decode_utf16(self.utf16(value)?).any(|c| c.is_err())
        {
            out.truncate(start);
            return Err(channelwise_js::host::LONE_SURROGATE.into());
        }
        Ok(true)
    }

    fn get(self, obj: &Self::V, key: &str) -> Result<Self::V, String> {
        let key = CString::new(key).map_err(|e| e.to_string())?;
        // SAFETY: live env and object; `key` is NUL-terminated; valid out-pointer.
        self.made(|out| unsafe { sys::napi_get_named_property(self.env, *obj, key.as_ptr(), out) })
    }

    fn length(self, arr: &Self::V) -> Result<u32, String> {
        let mut n = 0;
        // SAFETY: live env and array; valid out-pointer.
        check(unsafe { sys::napi_get_array_length(self.env, *arr, &mut n) })?;
        Ok(n)
    }

    fn element(self, arr: &Self::V, i: u32) -> Result<Self::V, String> {
        // SAFETY: live env and array; valid out-pointer.
        self.made(|out| unsafe { sys::napi_get_element(self.env, *arr, i, out) })
    }

    fn keys(self, obj: &Self::V) -> Result<Vec<String>, String> {
        use sys::{KeyCollectionMode, KeyConversion, KeyFilter};
        // SAFETY: live env and object; valid out-pointer.
        let names = self.made(|out| unsafe {
            sys::napi_get_all_property_names(
                self.env,
                *obj,
                KeyCollectionMode::own_only,
                KeyFilter::enumerable | KeyFilter::skip_symbols,
                KeyConversion::numbers_to_strings,
                out,
            )
        })?;
        (0..self.length(&names)?)
            .map(|i| self.string(&self.element(&names, i)?))
            .collect()
    }

    fn unwrap_handle(self, v: &Self::V) -> Option<Shared> {
        if self.typeof_(*v) != sys::ValueType::napi_external {
            return None;
        }
        let mut ours = false;
        // SAFETY: live env and value; `TAG` outlives the call; valid out-pointer.
        let s = unsafe { sys::napi_check_object_type_tag(self.env, *v, &TAG, &mut ours) };
        if s != sys::Status::napi_ok || !ours {
            return None;
        }
        let mut data = ptr::null_mut();
        // SAFETY: `v` is an external this addon made (tagged), whose data is a `Box<Shared>`
        // that lives until the external is collected, which cannot happen during this call.
        let s = unsafe { sys::napi_get_value_external(self.env, *v, &mut data) };
        if s != sys::Status::napi_ok || data.is_null() {
            return None;
        }
        // SAFETY: as above; the Arc is cloned, not moved out.
        Some(unsafe { &*data.cast::<Shared>() }.clone())
    }

    fn call_function(self, f: &Self::V, args: &[Self::V]) -> Result<Self::V, String> {
        let this = self.undefined()?;
        // SAFETY: live env, function and argument values of this scope; `args` holds
        // `args.len()` values; valid out-pointer. A throw leaves the exception pending.
        self.made(|out| unsafe {
            sys::napi_call_function(self.env, this, *f, args.len(), args.as_ptr(), out)
        })
        .map_err(|e| {
            if e == "reading it threw" {
                "it threw".into()
            } else {
                e
            }
        })
    }

    fn call_method(self, obj: &Self::V, f: &Self::V, args: &[Self::V]) -> Result<Self::V, String> {
        // SAFETY: live env, receiver, function and argument values of this scope; `args` holds
        // `args.len()` values; valid out-pointer. A throw leaves the exception pending.
        self.made(|out| unsafe {
            sys::napi_call_function(self.env, *obj, *f, args.len(), args.as_ptr(), out)
        })
        .map_err(|e| {
            if e == "reading it threw" {
                "it threw".into()
            } else {
                e
            }
        })
    }

    fn ignore_rejection(self, promise: &Self::V) {
        let mut noop = ptr::null_mut();
        // SAFETY: live env; `ignore` takes no data and touches nothing; valid out-pointer.
        let made = unsafe {
            sys::napi_create_function(self.env, c"ignored".as_ptr(), 7, Some(ignore), ptr::null_mut(), &mut noop)
        };
        let then = self.get(promise, "then").ok().filter(|t| self.kind(t) == Kind::Function);
        if let (sys::Status::napi_ok, Some(then), Ok(undefined)) = (made, then, self.undefined()) {
            if self.call_method(promise, &then, &[undefined, noop]).is_err() {
                // a thenable whose `then` threw: nothing to mark, and nothing left pending
                let _ = self.take_thrown();
            }
        }
    }

    fn take_thrown(self) -> Option<Self::V> {
        let mut pending = false;
        // SAFETY: live env; valid out-pointer.
        let s = unsafe { sys::napi_is_exception_pending(self.env, &mut pending) };
        if s != sys::Status::napi_ok || !pending {
            return None;
        }
        // SAFETY: live env; valid out-pointer. Clears the pending exception.
        self.made(|out| unsafe { sys::napi_get_and_clear_last_exception(self.env, out) })
            .ok()
    }

    fn keep(self, v: &Self::V) -> Result<Shared, String> {
        // weak: the shared wrapper keeps a constructor's arguments alive with the object it
        // made, so a cycle through them (an adapter holding its engine) can still be collected
        self.reference(*v, false)
    }

    fn remote(
        self,
        k: &Shared,
    ) -> Option<std::sync::Arc<dyn channelwise_js::decide::engine::Remote>> {
        crate::remote::NodeRemote::new(self.env, k)
            .map(|r| r as std::sync::Arc<dyn channelwise_js::decide::engine::Remote>)
    }

    fn kept(self, k: &Shared) -> Option<Self::V> {
        let k = k.downcast_ref::<Kept>()?;
        // SAFETY: live env; `k.r` is a live reference made by `reference`; valid out-pointer.
        // A weak one whose value was collected gives null.
        self.made(|out| unsafe { sys::napi_get_reference_value(self.env, k.r, out) })
            .ok()
            .filter(|v| !v.is_null())
    }

    fn undefined(self) -> Result<Self::V, String> {
        // SAFETY: live env; valid out-pointer.
        self.made(|out| unsafe { sys::napi_get_undefined(self.env, out) })
    }

    fn null(self) -> Result<Self::V, String> {
        // SAFETY: live env; valid out-pointer.
        self.made(|out| unsafe { sys::napi_get_null(self.env, out) })
    }

    fn make_number(self, x: f64) -> Result<Self::V, String> {
        // SAFETY: live env; valid out-pointer.
        self.made(|out| unsafe { sys::napi_create_double(self.env, x, out) })
    }

    fn make_boolean(self, b: bool) -> Result<Self::V, String> {
        // SAFETY: live env; valid out-pointer.
        self.made(|out| unsafe { sys::napi_get_boolean(self.env, b, out) })
    }

    fn make_string(self, s: &str) -> Result<Self::V, String> {
        // SAFETY: live env; `s` is valid UTF-8 of `s.len()` bytes; valid out-pointer.
        self.made(|out| unsafe {
            sys::napi_create_string_utf8(self.env, s.as_ptr().cast(), s.len() as isize, out)
        })
    }

    fn make_array(self, items: Vec<Self::V>) -> Result<Self::V, String> {
        // SAFETY: live env; valid out-pointer.
        let arr = self.made(|out| unsafe {
            sys::napi_create_array_with_length(self.env, items.len(), out)
        })?;
        for (i, v) in items.into_iter().enumerate() {
            // SAFETY: live env, array and value of this scope.
            check(unsafe { sys::napi_set_element(self.env, arr, i as u32, v) })?;
        }
        Ok(arr)
    }

    fn make_object(self, fields: Vec<(&str, Self::V)>) -> Result<Self::V, String> {
        // SAFETY: live env; valid out-pointer.
        let obj = self.made(|out| unsafe { sys::napi_create_object(self.env, out) })?;
        for (k, v) in fields {
            let key = CString::new(k).map_err(|e| e.to_string())?;
            // SAFETY: live env, object and value; `key` is NUL-terminated.
            check(unsafe { sys::napi_set_named_property(self.env, obj, key.as_ptr(), v) })?;
        }
        Ok(obj)
    }

    fn make_f64_array(self, xs: &[f64]) -> Result<Self::V, String> {
        let (ab, data) = self.array_buffer(std::mem::size_of_val(xs))?;
        if !xs.is_empty() {
            // SAFETY: Node allocated `size_of_val(xs)` bytes at `data` (8-aligned: ArrayBuffers
            // are), which nothing else references yet.
            unsafe { ptr::copy_nonoverlapping(xs.as_ptr(), data.cast::<f64>(), xs.len()) };
        }
        // SAFETY: live env and array buffer; valid out-pointer.
        self.made(|out| unsafe {
            sys::napi_create_typedarray(
                self.env,
                sys::TypedarrayType::float64_array,
                xs.len(),
                ab,
                0,
                out,
            )
        })
    }

    fn make_i8_array(self, xs: &[i8]) -> Result<Self::V, String> {
        let (ab, data) = self.array_buffer(xs.len())?;
        if !xs.is_empty() {
            // SAFETY: as in `make_f64_array`, for `xs.len()` bytes.
            unsafe { ptr::copy_nonoverlapping(xs.as_ptr(), data.cast::<i8>(), xs.len()) };
        }
        // SAFETY: live env and array buffer; valid out-pointer.
        self.made(|out| unsafe {
            sys::napi_create_typedarray(
                self.env,
                sys::TypedarrayType::int8_array,
                xs.len(),
                ab,
                0,
                out,
            )
        })
    }

    fn handle(self, x: Shared) -> Result<Self::V, String> {
        let data = Box::into_raw(Box::new(x));
        // SAFETY: live env; `data` is a leaked Box that `drop_shared` frees when the external
        // is collected; valid out-pointer.
        let made = self.made(|out| unsafe {
            sys::napi_create_external(
                self.env,
                data.cast(),
                Some(drop_shared),
                ptr::null_mut(),
                out,
            )
        });
        let v = match made {
            Ok(v) => v,
            Err(e) => {
                // SAFETY: the external was not made, so nothing else owns `data`.
                drop(unsafe { Box::from_raw(data) });
                return Err(e);
            }
        };
        // SAFETY: live env and external; `TAG` outlives the call.
        check(unsafe { sys::napi_type_tag_object(self.env, v, &TAG) })?;
        Ok(v)
    }
}

/// The rejection handler of [`Host::ignore_rejection`]: does nothing, returns `undefined`.
unsafe extern "C" fn ignore(_env: sys::napi_env, _info: sys::napi_callback_info) -> sys::napi_value {
    ptr::null_mut()
}

/// A JS value referred to across calls (a decision engine's adapter object): a Node-API
/// reference, strong or weak, deleted when the last Rust owner lets go.
struct Kept {
    env: sys::napi_env,
    r: sys::napi_ref,
}

// SAFETY: a `Kept` is only made, read and dropped on the JS thread: its owner (a decision
// engine behind a JS handle) is used by synchronous exports, dropped by the handle's finaliser,
// which Node runs on the JS thread, and in `...Async` calls reached only through a
// `remote::NodeRemote`, which reads it and hands it back for dropping on the JS thread.
// `Send + Sync` are needed only to sit in a `Shared` (the handles' common type).
unsafe impl Send for Kept {}
// SAFETY: as above.
unsafe impl Sync for Kept {}

impl Drop for Kept {
    fn drop(&mut self) {
        // SAFETY: `env` is the env the reference was made in (it outlives the addon's objects)
        // and `r` was not deleted before; see the `Send` note for the thread.
        unsafe { sys::napi_delete_reference(self.env, self.r) };
    }
}

/// A raw JS value crossing the napi-rs boundary untouched (arguments in, results out).
pub struct Raw(pub(crate) sys::napi_value);

impl napi::bindgen_prelude::TypeName for Raw {
    fn type_name() -> &'static str {
        "unknown"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

impl napi::bindgen_prelude::ToNapiValue for Raw {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        Ok(val.0)
    }
}

impl napi::bindgen_prelude::FromNapiValue for Raw {
    unsafe fn from_napi_value(_env: sys::napi_env, v: sys::napi_value) -> napi::Result<Self> {
        Ok(Raw(v))
    }
}

impl napi::bindgen_prelude::ValidateNapiValue for Raw {}
