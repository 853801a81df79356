//! Rust results into JS values: [`Out`], a small value tree every result converts into, and
//! [`emit`], which builds it with a [`Host`]. Results are computed without the engine (on a
//! worker thread for the `...Async` calls) and become JS values on the JS thread.

use std::borrow::Cow;

use channelwise::Result;

use crate::host::{Host, Shared};
use crate::read::unwritable;

/// A result on its way to JS.
pub enum Out {
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
    /// A number.
    Number(f64),
    /// A boolean.
    Boolean(bool),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Out>),
    /// A plain object; `None` fields are left out (optional keys).
    Object(Vec<(Cow<'static, str>, Option<Out>)>),
    /// A `Float64Array`.
    F64s(Vec<f64>),
    /// An `Int8Array`.
    I8s(Vec<i8>),
    /// An opaque handle to a Rust value (a fitted model).
    Handle(Shared),
}

/// Builds the JS value of `out`.
pub fn emit<H: Host>(h: H, out: Out) -> Result<H::V> {
    let v = match out {
        Out::Undefined => h.undefined(),
        Out::Null => h.null(),
        Out::Number(x) => h.make_number(x),
        Out::Boolean(b) => h.make_boolean(b),
        Out::String(s) => h.make_string(&s),
        Out::Array(items) => {
            let items = items
                .into_iter()
                .map(|x| emit(h, x))
                .collect::<Result<Vec<_>>>()?;
            h.make_array(items)
        }
        Out::Object(fields) => {
            let (mut names, mut values) = (
                Vec::with_capacity(fields.len()),
                Vec::with_capacity(fields.len()),
            );
            for (k, v) in fields {
                if let Some(v) = v {
                    names.push(k);
                    values.push(emit(h, v)?);
                }
            }
            h.make_object(names.iter().map(|k| k.as_ref()).zip(values).collect())
        }
        Out::F64s(xs) => h.make_f64_array(&xs),
        Out::I8s(xs) => h.make_i8_array(&xs),
        Out::Handle(x) => h.handle(x),
    };
    v.map_err(unwritable)
}

/// A Rust value that becomes a JS value, with its TypeScript type.
pub trait IntoOut {
    /// The value as an [`Out`].
    fn into_out(self) -> Out;
    /// Its TypeScript type (`number`, `Float64Array`, `MarkovRow[]`).
    fn ts() -> String;
    /// `Some` for a value that may be left out of an object (`key?: T`); `Opt` overrides it.
    fn field(self) -> Option<Out>
    where
        Self: Sized,
    {
        Some(self.into_out())
    }
    /// Whether an object field of this type is optional (`key?:`).
    fn optional() -> bool {
        false
    }
}

/// `IntoOut` for plain values: the `Out` they become and their TypeScript type.
macro_rules! into_out_by {
    ($($t:ty => |$x:ident| $out:expr, $ts:literal;)*) => {$(
        impl IntoOut for $t {
            fn into_out(self) -> Out {
                let $x = self;
                $out
            }
            fn ts() -> String {
                $ts.into()
            }
        }
    )*};
}

into_out_by! {
    f64 => |x| Out::Number(x), "number";
    usize => |x| Out::Number(x as f64), "number";
    i64 => |x| Out::Number(x as f64), "number";
    bool => |x| Out::Boolean(x), "boolean";
    String => |x| Out::String(x), "string";
    &'static str => |x| Out::String(x.into()), "string";
    F64s => |x| Out::F64s(x.0), "Float64Array";
    I8s => |x| Out::I8s(x.0), "Int8Array";
}

impl<T: IntoOut> IntoOut for Vec<T> {
    fn into_out(self) -> Out {
        Out::Array(self.into_iter().map(IntoOut::into_out).collect())
    }
    fn ts() -> String {
        let t = T::ts();
        if t.contains(' ') {
            format!("({t})[]")
        } else {
            format!("{t}[]")
        }
    }
}

/// A value that may be `null` (`T | null`).
pub struct Nullable<T>(pub Option<T>);

impl<T: IntoOut> IntoOut for Nullable<T> {
    fn into_out(self) -> Out {
        self.0.map_or(Out::Null, IntoOut::into_out)
    }
    fn ts() -> String {
        format!("{} | null", T::ts())
    }
}

/// A field that is present only sometimes (`key?: T`); `None` leaves the key out.
pub struct Opt<T>(pub Option<T>);

impl<T: IntoOut> IntoOut for Opt<T> {
    fn into_out(self) -> Out {
        self.0.map_or(Out::Undefined, IntoOut::into_out)
    }
    fn ts() -> String {
        T::ts()
    }
    fn field(self) -> Option<Out> {
        self.0.map(IntoOut::into_out)
    }
    fn optional() -> bool {
        true
    }
}

/// A `Float64Array`.
pub struct F64s(pub Vec<f64>);

/// An `Int8Array`.
pub struct I8s(pub Vec<i8>);

/// A handle to a Rust value (a fitted model or spec); the `api!` table's signature says which
/// class it is.
pub struct Handle(pub Shared);

impl IntoOut for Handle {
    fn into_out(self) -> Out {
        Out::Handle(self.0)
    }
    fn ts() -> String {
        "unknown".into()
    }
}

impl IntoOut for Out {
    fn into_out(self) -> Out {
        self
    }
    fn ts() -> String {
        "unknown".into()
    }
}
