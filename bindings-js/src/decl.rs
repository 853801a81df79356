//! Declaring the JS API once: option objects ([`js_options!`](crate::js_options)) and result
//! objects ([`js_result!`](crate::js_result)) are Rust structs whose reader, JS conversion and
//! TypeScript declaration come from the one declaration.

use channelwise::{Error, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::host::Host;
use crate::read;

/// A value read from JS, with its TypeScript type.
pub trait FromJs: Sized {
    /// Reads `v`, given as `field` (for messages).
    ///
    /// # Errors
    /// `invalid_parameter` for a value of the wrong type; the core's range errors otherwise.
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self>;
    /// Its TypeScript type.
    fn ts() -> String;
}

/// A type with a TypeScript declaration of its own (`export interface ...`).
pub trait Declared {
    /// The declaration, with its doc comment.
    fn declaration() -> String;
}

/// `/** ... */` from `///` lines, indented by `indent`.
pub fn doc_comment(lines: &[&str], indent: &str) -> String {
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => {
            let mut s = format!("{indent}/**\n");
            for l in many {
                if l.is_empty() {
                    s.push_str(&format!("{indent} *\n"));
                } else {
                    s.push_str(&format!("{indent} * {l}\n"));
                }
            }
            s.push_str(&format!("{indent} */\n"));
            s
        }
    }
}

/// `export interface name { ... }` with its doc comment; `fields` are `(doc lines, "key: T")`.
pub fn interface(doc: &[&str], name: &str, fields: &[(&[&str], String)]) -> String {
    let mut s = doc_comment(doc, "");
    s.push_str(&format!("export interface {name} {{\n"));
    for (doc, field) in fields {
        s.push_str(&doc_comment(doc, "  "));
        s.push_str(&format!("  {field};\n"));
    }
    s.push_str("}\n");
    s
}

/// `FromJs` for types read by one reader of [`read`], with their TypeScript type.
macro_rules! from_js_by {
    ($($t:ty => $read:path, $ts:literal;)*) => {$(
        impl FromJs for $t {
            fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
                $read(h, v, field)
            }
            fn ts() -> String {
                $ts.into()
            }
        }
    )*};
}

from_js_by! {
    f64 => read::number, "number";
    bool => read::boolean, "boolean";
    String => read::string, "string";
    usize => read::size, "number";
    u64 => read::unsigned, "number";
    i64 => read::integer, "number";
    Vec<f64> => read::numbers, "Numbers";
    Vec<usize> => read::sizes, "number[]";
}

/// Exactly `N` numbers (a `length_mismatch` naming the field otherwise).
pub struct Fixed<const N: usize>(pub [f64; N]);

impl<const N: usize> FromJs for Fixed<N> {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let xs = read::numbers(h, v, field)?;
        <[f64; N]>::try_from(xs.as_slice())
            .map(Fixed)
            .map_err(|_| Error::LengthMismatch {
                field: field.into(),
                expected: N,
                got: xs.len(),
            })
    }
    fn ts() -> String {
        "number[]".into()
    }
}

/// A time: whole unix seconds or a `Date` ([`read::time`]).
pub struct Time(pub i64);

impl FromJs for Time {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::time(h, v, field).map(Time)
    }
    fn ts() -> String {
        "number | Date".into()
    }
}

/// One number or a list of them (`number | Numbers`), as a list.
pub struct OneOrMany(pub Vec<f64>);

impl FromJs for OneOrMany {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        match h.kind(v) {
            crate::host::Kind::Number => Ok(OneOrMany(vec![h.number(v)])),
            crate::host::Kind::Object => read::numbers(h, v, field).map(OneOrMany),
            _ => Err(read::wrong(h, field, v, "a number or an array of numbers")),
        }
    }
    fn ts() -> String {
        "number | Numbers".into()
    }
}

/// A string naming one value of a core enum (its serde name).
pub struct Named<T>(pub T);

/// The TypeScript union of a [`Named`] enum.
pub trait Choices: DeserializeOwned {
    /// `'a' | 'b'`.
    const TS: &'static str;
}

impl<T: Choices> FromJs for Named<T> {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let s = read::string(h, v, field)?;
        serde_json::from_value(Value::String(s.clone()))
            .map(Named)
            .map_err(|_| Error::InvalidParameter {
                field: field.into(),
                value: s,
                reason: format!("expected {}", T::TS.replace(" | ", ", ")),
            })
    }
    fn ts() -> String {
        T::TS.into()
    }
}

/// Option `key` of the options object `obj` at `path` (`options.order`), read as a `T`; `None`
/// when absent, `undefined` or `null`. Not inlined: one copy per option type, shared by every
/// options struct (the browser build's size).
#[inline(never)]
pub fn field<H: Host, T: FromJs>(h: H, obj: &H::V, path: &str, key: &str) -> Result<Option<T>> {
    let name = format!("{path}.{key}");
    read::get(h, obj, key, &name)?
        .map(|x| T::from_js(h, &x, &name))
        .transpose()
}

/// Declares a result object: the struct, its conversion to a JS object and its TypeScript
/// interface. Field names are the JS names (camelCase); `Opt<T>` fields are optional keys.
#[macro_export]
macro_rules! js_result {
    ($(#[doc = $doc:literal])* pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[doc = $doc])*
        #[allow(non_snake_case)]
        pub struct $name { $( $(#[doc = $fdoc])* pub $field: $ty ),* }

        impl $crate::out::IntoOut for $name {
            fn into_out(self) -> $crate::out::Out {
                $crate::out::Out::Object(vec![
                    $( (::std::borrow::Cow::Borrowed(stringify!($field)), $crate::out::IntoOut::field(self.$field)) ),*
                ])
            }
            fn ts() -> String {
                stringify!($name).into()
            }
        }

        impl $crate::decl::Declared for $name {
            fn declaration() -> String {
                $crate::decl::interface(&[$($doc),*], stringify!($name), &[$((
                    &[$($fdoc),*],
                    format!(
                        "{}{}: {}",
                        stringify!($field),
                        if <$ty as $crate::out::IntoOut>::optional() { "?" } else { "" },
                        <$ty as $crate::out::IntoOut>::ts()
                    ),
                )),*])
            }
        }
    };
}

/// Declares an options object: the struct (every field optional), its reader (unknown keys
/// rejected, each field named `<path>.<key>` in messages; `undefined` and `null` mean "not
/// given") and its TypeScript interface. Field names are the JS names, in the order the
/// "expected one of" message lists them; `key: T = required` marks an option that must be
/// given (`invalid_parameter` "required, but missing" otherwise, and no `?` in TypeScript).
/// `js_options! { columns /// ... pub struct ... }` declares a table of columns instead: the
/// same, but an unknown key is an "unknown column".
#[macro_export]
macro_rules! js_options {
    (columns $($t:tt)*) => { $crate::js_options!(@read table $($t)*); };
    (@read $reader:ident $(#[doc = $doc:literal])* pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty $(= $req:ident)? ),* $(,)? }) => {
        $(#[doc = $doc])*
        #[allow(non_snake_case)]
        #[derive(Default)]
        pub struct $name { $( $(#[doc = $fdoc])* pub $field: Option<$ty> ),* }

        impl $name {
            /// The JS names of the options, in declaration order.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Reads the options object `v` (`undefined`/`null`: all defaults) at `path`.
            ///
            /// # Errors
            /// `invalid_parameter` for an unknown key or a value of the wrong type.
            pub fn read<H: $crate::host::Host>(h: H, v: &H::V, path: &str) -> channelwise::Result<Self> {
                #[allow(unused_variables)] // an options object with no fields (only its keys checked)
                let Some(obj) = $crate::read::$reader(h, v, path, Self::KEYS)? else {
                    return Ok(Self::default());
                };
                let o = Self { $(
                    $field: $crate::decl::field::<H, $ty>(h, &obj, path, stringify!($field))?,
                )* };
                $( if stringify!($($req)?) == "required" && o.$field.is_none() {
                    return Err($crate::read::missing(&format!("{path}.{}", stringify!($field))));
                } )*
                Ok(o)
            }
        }

        impl $crate::decl::FromJs for $name {
            fn from_js<H: $crate::host::Host>(h: H, v: &H::V, field: &str) -> channelwise::Result<Self> {
                Self::read(h, v, field)
            }
            fn ts() -> String {
                stringify!($name).into()
            }
        }

        impl $crate::decl::Declared for $name {
            fn declaration() -> String {
                $crate::decl::interface(&[$($doc),*], stringify!($name), &[$((
                    &[$($fdoc),*],
                    if stringify!($($req)?) == "required" {
                        format!("{}: {}", stringify!($field), <$ty as $crate::decl::FromJs>::ts())
                    } else {
                        format!("{}?: {} | null", stringify!($field), <$ty as $crate::decl::FromJs>::ts())
                    },
                )),*])
            }
        }
    };
    ($($t:tt)*) => { $crate::js_options!(@read options $($t)*); };
}
