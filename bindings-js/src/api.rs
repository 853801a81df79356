//! The JS API itself: every function and class, declared once (the `api!` table), dispatched by id
//! ([`dispatch`]), described for the shared JS wrapper ([`crate::dts::surface`]) and in
//! TypeScript ([`crate::dts::generate`]).
//!
//! An export is a Rust function `fn<H: Host>(h: H, args: &[H::V]) -> Result<Job>`: it reads its
//! arguments on the JS thread and returns the work still to do, which the host runs right away
//! (sync calls), on a worker thread (Node's `...Async`), and turns into JS values with [`emit`](crate::out::emit).
//! Methods get their object's handle as `args[0]`.

use std::any::Any;
use std::sync::Arc;

use channelwise::progress::Monitor;
use channelwise::{Error, ErrorKind, Result};

use crate::host::Host;
use crate::out::{IntoOut, Out};
use crate::read;

/// The work of a call, after its arguments were read; long work reports to and stops by the
/// monitor (a default one for sync calls, the call's `Watch` for `...Async` calls).
pub type Job = Box<dyn FnOnce(&Monitor) -> Result<Out> + Send>;

/// Wraps the rest of a call as a [`Job`].
pub fn job<T: IntoOut + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<Job> {
    Ok(Box::new(move |_: &Monitor| f().map(IntoOut::into_out)))
}

/// Wraps the rest of a long call as a [`Job`] that reports progress and can be cancelled.
pub fn long_job<T: IntoOut + 'static>(
    f: impl FnOnce(&Monitor) -> Result<T> + Send + 'static,
) -> Result<Job> {
    Ok(Box::new(move |m: &Monitor| f(m).map(IntoOut::into_out)))
}

/// Argument `i` (`undefined` when not passed).
pub fn arg<H: Host>(h: H, a: &[H::V], i: usize) -> Result<H::V> {
    match a.get(i) {
        Some(v) => Ok(v.clone()),
        None => h.undefined().map_err(read::unwritable),
    }
}

/// The Rust object behind a method's `this` (`args[0]`), of type `T`.
pub fn this<H: Host, T: Any + Send + Sync>(h: H, a: &[H::V]) -> Result<Arc<T>> {
    let not_ours = || Error::InvalidParameter {
        field: "this".into(),
        value: "an object".into(),
        reason: format!("expected a channelwise {}", short_type::<T>()),
    };
    let shared = a
        .first()
        .and_then(|v| h.unwrap_handle(v))
        .ok_or_else(not_ours)?;
    shared.downcast::<T>().map_err(|_| not_ours())
}

/// The key of a boxed handle: the shared wrapper passes a class instance given as an argument
/// (where the declared type names a class) as `{ __channelwiseHandle: handle }`, since the
/// browser build's handles are plain numbers.
pub const HANDLE_KEY: &str = "__channelwiseHandle";

/// The Rust object of type `T` behind `v` when `v` is a boxed handle of one (see
/// [`HANDLE_KEY`]); `None` for any other value.
pub fn boxed<H: Host, T: Any + Send + Sync>(h: H, v: &H::V) -> Option<Arc<T>> {
    if h.kind(v) != crate::host::Kind::Object {
        return None;
    }
    let inner = h.get(v, HANDLE_KEY).ok()?;
    h.unwrap_handle(&inner)?.downcast::<T>().ok()
}

fn short_type<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// Whether this package has model travel (`toJSON()` / `fromJSON()` of fitted models and
/// bandits): the `json` cargo feature, on by default. A slim browser package may leave it out,
/// which drops serde's readers and writers of every model from the `.wasm`.
pub const MODEL_JSON: bool = cfg!(feature = "json");

/// `Err` naming the `json` module when this package was built without model travel (the calls
/// below then compile without their serde part, and the models' serde code is not linked).
#[cfg(not(feature = "json"))]
fn without_json() -> Error {
    Error::InvalidParameter {
        field: "module".into(),
        value: "json".into(),
        reason: "this package was built without it (model travel, toJSON() / fromJSON(): cargo \
                 feature json of channelwise-js); build with the feature on, or use the full package"
            .into(),
    }
}

/// A fitted model's JSON document, as a JS object tree (`toJSON()`): the envelope the Python
/// binding's `to_json()` writes, `{ model: tag, spec, fitted }`, where `fitted` is the core
/// model's serde form. `JSON.stringify` of it is a document Python's `from_json()` reads.
///
/// # Errors
/// `internal` if the model holds an integer beyond 2^53.
#[cfg(feature = "json")]
pub fn to_document<T: serde::Serialize>(tag: &'static str, spec: Out, model: &T) -> Result<Out> {
    Ok(Out::Object(vec![
        ("model".into(), Some(Out::String(tag.into()))),
        ("spec".into(), Some(spec)),
        ("fitted".into(), Some(crate::serde_js::to_out(model)?)),
    ]))
}

/// `to_document` without model travel: the error naming the `json` module.
#[cfg(not(feature = "json"))]
pub fn to_document<T: serde::Serialize>(_tag: &'static str, _spec: Out, _model: &T) -> Result<Out> {
    Err(without_json())
}

/// The fitted model in the document `v` (`fromJSON`; the wrapper parses text first): an object
/// whose `model` is `tag` and whose `fitted` part is the core model, as Python's `from_json()`
/// requires; `invalid_parameter` naming `json` otherwise (`what`: the model's name).
///
/// # Errors
/// `invalid_parameter` when `v` is not such a document or its model is damaged.
#[cfg(feature = "json")]
pub fn from_document<H: Host, T: serde::de::DeserializeOwned>(
    h: H,
    v: &H::V,
    tag: &str,
    what: &str,
) -> Result<T> {
    let not_ours = || Error::InvalidParameter {
        field: "json".into(),
        value: read::describe(h, v),
        reason: format!("not a channelwise {what} model (expected {{ model: \"{tag}\", fitted }})"),
    };
    if read::object(h, v, "json").is_err() {
        return Err(not_ours());
    }
    let model = read::get(h, v, "model", "json.model")?;
    if model
        .map(|m| read::string(h, &m, "json.model"))
        .transpose()
        .ok()
        .flatten()
        .as_deref()
        != Some(tag)
    {
        return Err(not_ours());
    }
    let fitted = read::get(h, v, "fitted", "json.fitted")?.ok_or_else(not_ours)?;
    crate::serde_js::from_js(h, &fitted)
}

/// `from_document` without model travel: the error naming the `json` module.
#[cfg(not(feature = "json"))]
pub fn from_document<H: Host, T: serde::de::DeserializeOwned>(_h: H, _v: &H::V, _tag: &str, _what: &str) -> Result<T> {
    Err(without_json())
}

/// Declares getter exports: `getter!(Class, fn_name, Type, |m| body)` reads `this` as an
/// `Arc<Class>` and returns `body` (of type `Type`) as the getter's value.
macro_rules! getter {
    ($class:ty, $name:ident, $ty:ty, |$m:ident| $body:expr) => {
        #[doc = concat!("The `", stringify!($name), "` getter of `", stringify!($class), "`.")]
        pub fn $name<H: $crate::host::Host>(
            h: H,
            a: &[H::V],
        ) -> channelwise::Result<$crate::api::Job> {
            let $m: std::sync::Arc<$class> = $crate::api::this(h, a)?;
            $crate::api::job(move || -> channelwise::Result<$ty> { Ok($body) })
        }
    };
}
pub(crate) use getter;

/// Declares `toJSON()` / `fromJSON(json)` exports for a fitted model whose document is
/// `{ model: TAG, spec: null, fitted }` (`fitted`: the core model's serde form), the document
/// Python's `to_json()` writes for it: `model_json!(Class, to_fn, from_fn, "tag", "what")`.
macro_rules! model_json {
    ($class:ty, $to:ident, $from:ident, $tag:literal, $what:literal) => {
        #[doc = concat!("`", stringify!($class), ".toJSON()`: `{ model: \"", $tag, "\", spec: null, fitted }`.")]
        pub fn $to<H: $crate::host::Host>(h: H, a: &[H::V]) -> channelwise::Result<$crate::api::Job> {
            let m: std::sync::Arc<$class> = $crate::api::this(h, a)?;
            $crate::api::job(move || $crate::api::to_document($tag, $crate::out::Out::Null, &*m))
        }
        #[doc = concat!("`", stringify!($class), ".fromJSON(json)`: a model from `toJSON()` here or Python's `to_json()`.")]
        pub fn $from<H: $crate::host::Host>(h: H, a: &[H::V]) -> channelwise::Result<$crate::api::Job> {
            let m: $class = $crate::api::from_document(h, &$crate::api::arg(h, a, 0)?, $tag, $what)?;
            $crate::api::job(move || Ok($crate::out::Handle(std::sync::Arc::new(m))))
        }
    };
}
pub(crate) use model_json;

/// A model's bare serde form as a JS object tree (no envelope): the `fitted` part of a
/// document ([`to_document`]), or a model whose Python counterpart writes it bare (`Bandit`).
///
/// # Errors
/// `internal` if the model holds an integer beyond 2^53.
pub fn to_json<T: serde::Serialize>(model: &T) -> Result<Out> {
    #[cfg(feature = "json")]
    return crate::serde_js::to_out(model);
    #[cfg(not(feature = "json"))]
    {
        let _ = model;
        Err(without_json())
    }
}

/// A model from its bare serde form (see [`to_json`]).
///
/// # Errors
/// `invalid_parameter` naming `json` when `v` is not such a document.
pub fn from_json<H: Host, T: serde::de::DeserializeOwned>(h: H, v: &H::V) -> Result<T> {
    #[cfg(feature = "json")]
    return crate::serde_js::from_js(h, v);
    #[cfg(not(feature = "json"))]
    {
        let _ = (h, v);
        Err(without_json())
    }
}

/// A field of an object in an [`Out`] tree.
pub fn out_field<'a>(out: &'a Out, key: &str) -> Option<&'a Out> {
    match out {
        Out::Object(fields) => fields
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_ref()),
        _ => None,
    }
}

/// `errorCodes()`.
fn error_codes<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    job(|| Ok(ErrorKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>()))
}

/// The error for `id` when its namespace is declared but was left out of this build (a slim
/// package built without that module's cargo feature); `None` when `id` is unknown.
fn left_out(id: &str) -> Option<Error> {
    let ns = DECLARED
        .iter()
        .filter(|ns| {
            id.strip_prefix(**ns)
                .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|ns| ns.len())?;
    let built = BUILT.contains(ns);
    (!built).then(|| Error::InvalidParameter {
        field: "module".into(),
        value: ns.replace('_', "."),
        reason: "this package was built without it (cargo feature of channelwise-js); \
                 build with the feature on, or use the full package"
            .into(),
    })
}

/// `version()`.
fn version<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    job(|| Ok(env!("CARGO_PKG_VERSION")))
}

/// One function or class member, as declared.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// `function`, `new`, `hidden` (a constructor users do not call: it throws), `method`,
    /// `getter` or `static`.
    pub kind: &'static str,
    /// The JS name.
    pub name: &'static str,
    /// Its TypeScript signature: `(a: A, b?: B): R` (a getter: the type).
    pub ts: &'static str,
    /// Its doc comment lines.
    pub doc: &'static [&'static str],
    /// Whether a `...Async` twin exists (runs on a worker thread in Node).
    pub also_async: bool,
    /// Whether the `...Async` twin takes `onProgress` and `signal` in its options (`long`).
    pub long: bool,
}

impl Member {
    /// Index of the `options` parameter, if the member takes one.
    pub fn options_arg(&self) -> Option<usize> {
        let params = self.ts.strip_prefix('(')?.split_once(')')?.0;
        params.split(", ").position(|p| p.starts_with("options"))
    }

    /// The parameters, `name: type` each (none for a getter).
    pub fn params(&self) -> Vec<&'static str> {
        if self.kind == "getter" {
            return Vec::new();
        }
        self.ts
            .strip_prefix('(')
            .and_then(|t| t.split_once(')'))
            .map_or_else(Vec::new, |(p, _)| {
                p.split(", ").filter(|x| !x.is_empty()).collect()
            })
    }

    /// Index of the `table: PathTableInput` parameter (or `journey.merge`'s `tables:
    /// PathTableInput[]`), if the member takes one.
    pub fn table_arg(&self) -> Option<usize> {
        let params = self.ts.strip_prefix('(')?.split_once(')')?.0;
        params.split(", ").position(|p| {
            p.starts_with("table: PathTableInput") || p.starts_with("tables: PathTableInput[]")
        })
    }

    /// The event-table parameters (`touchpoints: TouchpointColumns`, `conversions:
    /// ConversionColumns`): index and name, the prefix of their fields' names.
    pub fn event_args(&self) -> Vec<(usize, &'static str)> {
        let params = self.params().into_iter().enumerate();
        params
            .filter_map(|(i, p)| match p.split_once(": ")? {
                (name, "TouchpointColumns" | "ConversionColumns") => Some((i, name)),
                _ => None,
            })
            .collect()
    }

    /// The parameters that take a table as rows too: index, name (the prefix of their fields'
    /// names), the table's entry of [`ROW_TABLES`] and whether the parameter is a list of such
    /// tables (`journey.merge`'s `tables: PathTableInput[]`).
    pub fn row_args(&self) -> Vec<(usize, &'static str, &'static RowTable, bool)> {
        let params = self.params().into_iter().enumerate();
        params
            .filter_map(|(i, p)| {
                let (name, table, list) = row_param(p)?;
                Some((i, name.trim_end_matches('?'), table, list))
            })
            .collect()
    }

    /// Indexes of the `x: Matrix` parameter and of its `nFeatures`, if the member takes them.
    pub fn matrix_arg(&self) -> Option<(usize, usize)> {
        let params: Vec<&str> = self.ts.strip_prefix('(')?.split_once(')')?.0.split(", ").collect();
        let at = |name: &str| params.iter().position(|p| p.starts_with(name));
        Some((at("x: Matrix")?, at("nFeatures")?))
    }

    /// The declared return type.
    pub fn returns(&self) -> &'static str {
        match self.kind {
            "getter" => self.ts,
            _ => self.ts.rsplit_once("): ").map_or("void", |(_, r)| r),
        }
    }
}

/// The tables a caller may give as rows (`[{ userId: 'u1', timestamp: 1700000000, channel:
/// 'search' }, ...]`) as well as columns: the declared type, the type of one row, the columns a
/// row may have (a table's other keys, such as `LeadEvents.leads`, are the whole table's) and
/// the default of each number column that has one (a row that leaves it out, or gives `null`,
/// has the default; the column's own default when no row gives it). No columns: any key is a
/// column (lead attributes), a cell a row leaves out is missing. The shared wrapper turns
/// the rows into columns (`rowArgs` of [`crate::dts::surface`]); the `.d.ts` types such a
/// parameter `T | TRow[]`.
pub const ROW_TABLES: &[RowTable] = &[
    ("PathTableInput", "PathTableRow", crate::table::PATH_ROW_COLUMNS, &[("nulls", 0.0), ("value", 0.0)]),
    ("TouchpointColumns", "TouchpointRow", crate::table::TOUCH_COLUMNS, &[]),
    ("ConversionColumns", "ConversionRow", crate::table::CONVERSION_COLUMNS, &[("value", 0.0)]),
    ("ClvHistories", "ClvHistoryRow", crate::clv::ClvHistories::KEYS, &[("weights", 1.0)]),
    ("ClvPeriods", "ClvPeriodsRow", crate::clv::ClvPeriods::KEYS, &[("weights", 1.0)]),
    ("ClvSpend", "ClvSpendRow", crate::clv::ClvSpend::KEYS, &[("weights", 1.0)]),
    ("ClvCustomers", "ClvCustomerRow", crate::clv::ClvCustomers::KEYS, &[]),
    ("RfmLog", "RfmLogRow", crate::clv::RFM_LOG_COLUMNS, &[]),
    ("LeadEvents", "LeadEventRow", crate::leads::EVENT_ROW_COLUMNS, &[("value", 0.0)]),
    ("StageLog", "StageLogRow", crate::leads::STAGE_ROW_COLUMNS, &[]),
    ("LeadAttributes", "LeadAttributeRow", &[], &[]),
];

/// Parameter `p` (`name: T`, `name?: T | null`, `name: T[]`) if `T` is a table of
/// [`ROW_TABLES`]: its name as declared (`?` kept), the table's entry and whether it is a list
/// of such tables.
pub fn row_param(p: &str) -> Option<(&str, &'static RowTable, bool)> {
    let (name, ty) = p.split_once(": ")?;
    let ty = ty.strip_suffix(" | null").unwrap_or(ty);
    let (ty, list) = ty.strip_suffix("[]").map_or((ty, false), |t| (t, true));
    Some((name, ROW_TABLES.iter().find(|t| t.0 == ty)?, list))
}

/// An entry of [`ROW_TABLES`]: type, row type, a row's columns, number columns' defaults.
pub type RowTable = (&'static str, &'static str, &'static [&'static str], &'static [(&'static str, f64)]);

/// A class, as declared.
#[derive(Debug, Clone, Copy)]
pub struct Class {
    /// The JS name.
    pub name: &'static str,
    /// Its doc comment lines.
    pub doc: &'static [&'static str],
    /// Constructor, methods, getters and static methods.
    pub members: &'static [Member],
}

/// A namespace (`attribution`, `journey`, ...), as declared.
#[derive(Debug, Clone, Copy)]
pub struct Namespace {
    /// The Rust name, which prefixes its export ids. `_` nests: `forecast_metrics` is
    /// `forecast.metrics` in JS (declared after `forecast`).
    pub name: &'static str,
    /// Its doc comment lines.
    pub doc: &'static [&'static str],
    /// Its functions.
    pub functions: &'static [Member],
    /// Its classes.
    pub classes: &'static [Class],
    /// Classes declared in another namespace, exposed here too (`forecast.metrics.RollingOrigin`
    /// is `forecast.RollingOrigin`).
    pub also: &'static [&'static str],
}

impl Namespace {
    /// Where it sits in JS: `["forecast", "metrics"]` for `forecast_metrics`.
    pub fn path(&self) -> Vec<&'static str> {
        self.name.split('_').collect()
    }

    /// Whether it sits inside another namespace.
    pub fn is_nested(&self) -> bool {
        self.name.contains('_')
    }
}

/// Declares the JS API: namespaces of functions and classes, each member with its TypeScript
/// signature and the Rust function behind it. Generates [`dispatch`] and [`NAMESPACES`].
macro_rules! api {
    (
        $(
            $(#[doc = $nsdoc:literal])*
            $(#[cfg($nscfg:meta)])?
            namespace $ns:ident {
                $( $(#[doc = $fdoc:literal])* fn $fname:ident $fts:literal $fasync:ident => $ff:path; )*
                classes {
                    $(
                        $(#[doc = $cdoc:literal])*
                        class $cname:ident {
                            $( $(#[doc = $mdoc:literal])* $mkind:ident $mname:ident $mts:literal $masync:ident => $mf:path; )*
                        }
                    )*
                }
                $( also { $( $also:ident ),* $(,)? } )?
            }
        )*
    ) => {
        /// Runs the export `id` (`"attribution.markov"`, `"attribution.Markov.fit"`): its
        /// arguments are read now, the rest is the returned [`Job`]. `None` for an unknown id.
        pub fn dispatch<H: Host>(h: H, id: &str, a: &[H::V]) -> Option<Result<Job>> {
            match id {
                "errorCodes" => return Some(error_codes(h, a)),
                "version" => return Some(version(h, a)),
                "modelJson" => return Some(job(|| Ok(MODEL_JSON))),
                "progress.watch" => return Some(crate::progress::watch(h, a)),
                "progress.read" => return Some(crate::progress::read(h, a)),
                "progress.cancel" => return Some(crate::progress::cancel(h, a)),
                _ => {}
            }
            $(
                $(#[cfg($nscfg)])?
                match id {
                    $( concat!(stringify!($ns), ".", stringify!($fname)) => return Some($ff(h, a)), )*
                    $( $( concat!(stringify!($ns), ".", stringify!($cname), ".", stringify!($mname)) => return Some($mf(h, a)), )* )*
                    _ => {}
                }
            )*
            left_out(id).map(Err)
        }

        /// Every namespace the `api!` table declares, whether or not its cargo feature is on.
        const DECLARED: &[&str] = &[ $( stringify!($ns), )* ];

        /// The namespaces built into this package (their cargo features on). Kept apart from
        /// [`NAMESPACES`] so that the runtime never reads the declarations' signatures and doc
        /// text, which the `.wasm` then leaves out (only the `.d.ts` generator needs them).
        const BUILT: &[&str] = &[ $( $(#[cfg($nscfg)])? stringify!($ns), )* ];

        /// Every namespace of the API, in declaration order.
        pub const NAMESPACES: &[Namespace] = &[ $(
            $(#[cfg($nscfg)])?
            Namespace {
                name: stringify!($ns),
                doc: &[$($nsdoc),*],
                functions: &[ $( Member {
                    kind: "function",
                    name: stringify!($fname),
                    ts: $fts,
                    doc: &[$($fdoc),*],
                    also_async: api!(@async $fasync),
                    long: api!(@long $fasync),
                }, )* ],
                classes: &[ $( Class {
                    name: stringify!($cname),
                    doc: &[$($cdoc),*],
                    members: &[ $( Member {
                        kind: api!(@kind $mkind),
                        name: stringify!($mname),
                        ts: $mts,
                        doc: &[$($mdoc),*],
                        also_async: api!(@async $masync),
                        long: api!(@long $masync),
                    }, )* ],
                }, )* ],
                also: &[ $( $( stringify!($also), )* )? ],
            },
        )* ];
    };
    (@async sync) => { false };
    (@async both) => { true };
    (@async long) => { true };
    (@long sync) => { false };
    (@long both) => { false };
    (@long long) => { true };
    (@kind new) => { "new" };
    (@kind hidden) => { "hidden" };
    (@kind method) => { "method" };
    (@kind getter) => { "getter" };
    (@kind statics) => { "static" };
}

use crate::{attribution as attr, journey, stats};

api! {
    /// Multi-touch attribution over a path table `{ path, conversions, nulls?, value? }`:
    /// heuristics, Markov chains, Shapley values, time decay.
    #[cfg(feature = "attribution")]
    namespace attribution {
        /// Rule-based credit (first/last touch, linear, U- and W-shaped), one row per channel.
        fn heuristics "(table: PathTableInput, options?: HeuristicsOptions | null): HeuristicRow[]" both => attr::heuristics;
        /// Markov-chain removal effects and credit, one row per channel (with bootstrap
        /// intervals when `ci` is given).
        fn markov "(table: PathTableInput, options?: MarkovOptions | null): MarkovRow[]" long => attr::markov;
        /// Closed-form Shapley credit of the subset game, one row per channel.
        fn shapley "(table: PathTableInput, options?: ShapleyOptions | null): CreditRow[]" long => attr::shapley_credit;
        /// Shapley credit split by touch position, one row per channel.
        fn orderedShapley "(table: PathTableInput, options?: SepOption | null): OrderedRow[]" sync => attr::ordered;
        /// Time-decay credit from event columns (it needs timestamps, so it takes events, not a
        /// table), one row per channel.
        fn timeDecay "(touchpoints: TouchpointColumns, conversions: ConversionColumns, options?: TimeDecayOptions | null): CreditRow[]" sync => attr::time_decay;
        /// Reads a path CSV (header `path,conversions[,nulls][,value]`) into table columns,
        /// channel names trimmed and re-joined with `sep`.
        fn parsePathCsv "(text: string, options?: PathCsvOptions | null): PathTableData" sync => attr::parse_path_csv;
        classes {
        /// Markov-chain attribution spec: `new Markov({ order, horizon, useNulls }).fit(table)`.
        class Markov {
            /// A spec; every option has a default (order 1, exact horizon, nulls used).
            new constructor "(spec?: MarkovSpec | null)" sync => attr::markov_new;
            /// Builds and solves the chain on `table` (`options.sep` splits the paths).
            method fit "(table: PathTableInput, options?: SepOption | null): FittedMarkov" both => attr::markov_fit;
        }
        /// A fitted Markov chain (made by `new Markov(spec).fit(table)` or
        /// `FittedMarkov.fromJSON(json)`).
        class FittedMarkov {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => attr::fitted_markov_new;
            /// Removal effects and credit, one row per channel.
            method credit "(): MarkovRow[]" sync => attr::fitted_markov_credit;
            /// The nonzero transitions, rows in state order.
            method transitions "(): TransitionRow[]" sync => attr::fitted_markov_transitions;
            /// Shapley credit of the Markov game (`{ method: "exact" | "sampled", permutations, seed }`).
            method shapley "(options?: MarkovShapleyOptions | null): CreditRow[]" long => attr::fitted_markov_shapley;
            /// The fitted chain as a JSON document (the one Python's `FittedMarkov.to_json()`
            /// writes): `JSON.stringify(fitted)` gives its text.
            method toJSON "(): object" sync => attr::fitted_markov_to_json;
            /// A chain from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
            /// document throws `invalid_parameter`.
            statics fromJSON "(json: string | object): FittedMarkov" sync => attr::fitted_markov_from_json;
            /// Channel names, in table order.
            getter channels "string[]" sync => attr::fitted_markov_channels;
            /// The order the chain was fitted with.
            getter order "number" sync => attr::fitted_markov_order;
            /// The step cap used, or `null` for the exact infinite-horizon answer.
            getter horizonSteps "number | null" sync => attr::fitted_markov_horizon_steps;
            /// Number of channel states (excluding start, conversion and null).
            getter nStates "number" sync => attr::fitted_markov_n_states;
            /// Probability that a journey from `(start)` converts (within the horizon).
            getter conversionProbability "number" sync => attr::fitted_markov_conversion_probability;
            /// Removal effect of each channel, in `channels` order.
            getter removalEffects "number[]" sync => attr::fitted_markov_removal_effects;
            /// Removal effect of each channel on value, in `channels` order.
            getter removalEffectsValue "number[]" sync => attr::fitted_markov_removal_effects_value;
        }
        }
    }

    /// Journeys: from event columns to path tables.
    namespace journey {
        /// Groups touchpoint and conversion columns into journeys and aggregates them to
        /// path-table columns (one row per distinct path and key touch).
        fn pathTable "(touchpoints: TouchpointColumns, conversions: ConversionColumns, options?: JourneyOptions | null): PathTableColumns" sync => journey::path_table;
        /// Sums path tables built from disjoint sets of users (a log split by user and built
        /// part by part, in workers or as chunks arrive) into the table of the whole log: one
        /// row per distinct path, rows sorted by path (channel names in order), channels
        /// matched by name. Counts are exact; values too when they are whole numbers (e.g.
        /// cents). Key touches are not read. Errors name the table: `tables[1].conversions[3]`.
        fn merge "(tables: PathTableInput[], options?: MergeOptions | null): PathTableData" sync => journey::merge;
        classes {}
    }

    // ---- stats (its own block; keep edits to other blocks out) ----
    /// Classical statistics. Values must be finite (`non_finite` names `x[i]` / `y[i]`), paired
    /// series equally long (`length_mismatch`), and a series too short or constant for the
    /// statistic is `not_enough_data` (where scipy gives NaN).
    namespace stats {
        /// Pearson's product-moment correlation (`scipy.stats.pearsonr`).
        fn pearson "(x: Numbers, y: Numbers): Correlation" sync => stats::pearson;
        /// Spearman's rank correlation (`scipy.stats.spearmanr`).
        fn spearman "(x: Numbers, y: Numbers): Correlation" sync => stats::spearman;
        /// Kendall's tau-b (`scipy.stats.kendalltau`).
        fn kendall "(x: Numbers, y: Numbers): Correlation" sync => stats::kendall;
        /// Correlation of `x[t + k]` with `y[t]` for `k = -maxLag..=maxLag` (R's `ccf`).
        fn crossCorrelation "(x: Numbers, y: Numbers, maxLag: number): CrossCorrelation" sync => stats::cross_correlation;
        /// The Mann-Kendall trend test (`pymannkendall.original_test`).
        fn mannKendall "(x: Numbers, options?: AlphaOption | null): MannKendall" sync => stats::mann_kendall;
        /// Theil-Sen slope of `y` against `x` (`scipy.stats.theilslopes`); `alpha` in (0, 0.5].
        /// In the browser build at most 16 384 points (`out_of_range`): it keeps every pairwise
        /// slope in wasm32's 4 GiB.
        fn theilSen "(x: Numbers, y: Numbers, options?: AlphaOption | null): TheilSen" sync => stats::theil_sen;
        classes {}
    }

    // ---- forecast (its own block; keep edits to other blocks out) ----
    /// Forecasting: accuracy metrics (`forecast.metrics`), rolling-origin evaluation, ETS models
    /// and seasonal decomposition. Series are `number[] | Float64Array`; values must be finite
    /// (`non_finite` names `y[i]`).
    #[cfg(feature = "forecast")]
    namespace forecast {
        /// STL decomposition (statsmodels' `STL`). `not_enough_data` below `2 * period` values;
        /// `out_of_range` / `invalid_parameter` for bad windows, degrees or jumps.
        ///
        /// @example
        /// const d = forecast.stl(y, { period: 12, robust: true });
        /// d.seasonalStrength; // in [0, 1]
        fn stl "(y: Numbers, options: StlOptions): StlDecomposition" sync => crate::forecast::decompose::stl;
        /// MSTL decomposition for several seasonal periods (statsmodels' `MSTL`).
        ///
        /// @example
        /// const d = forecast.mstl(hourly, { periods: [24, 168] });
        /// d.seasonal[1]; // the weekly component
        fn mstl "(y: Numbers, options: MstlOptions): MstlDecomposition" sync => crate::forecast::decompose::mstl;
        /// `max(0, 1 - var(resid) / var(seasonal + resid))` (Hyndman's F_S).
        fn seasonalStrength "(seasonal: Numbers, resid: Numbers): number" sync => crate::forecast::decompose::seasonal_strength;
        /// `max(0, 1 - var(resid) / var(trend + resid))` (F_T).
        fn trendStrength "(trend: Numbers, resid: Numbers): number" sync => crate::forecast::decompose::trend_strength;
        classes {
        /// Rolling-origin (time-series) cross-validation: fold `i` trains on
        /// `y[0 .. initial + i * step]` and tests on the next `horizon` points. Each argument is
        /// at least 1 (`out_of_range`).
        class RollingOrigin {
            /// A scheme; `step` defaults to 1.
            new constructor "(initial: number, horizon: number, step?: number | null)" sync => crate::forecast::metrics::rolling_origin_new;
            /// Length of the first training window.
            getter initial "number" sync => crate::forecast::metrics::rolling_origin_initial;
            /// Forecast steps evaluated per fold.
            getter horizon "number" sync => crate::forecast::metrics::rolling_origin_horizon;
            /// How far the origin moves between folds.
            getter step "number" sync => crate::forecast::metrics::rolling_origin_step;
            /// Number of folds for a series of length `n` (0 if `n < initial + horizon`).
            method nFolds "(n: number): number" sync => crate::forecast::metrics::rolling_origin_n_folds;
            /// Calls `fitPredict(train, horizon)` synchronously on every fold (`train` is a copy)
            /// and collects the errors. An exception it throws propagates unchanged; a wrong number
            /// of forecasts is `length_mismatch`, a non-finite one `non_finite` (`forecast[h]`); a
            /// series shorter than `initial + horizon` is `not_enough_data`.
            method evaluate "(y: Numbers, fitPredict: FitPredict): RollingOriginErrors" sync => crate::forecast::metrics::rolling_origin_evaluate;
        }
        /// One ETS model with fixed components.
        ///
        /// @example
        /// const fit = new forecast.Ets({ error: 'M', trend: 'A', damped: true, season: 'M', seasonLength: 12 }).fit(y);
        class Ets {
            /// Bad options throw (`invalid_parameter`: an unknown key, a letter outside its set,
            /// `damped` without a trend).
            new constructor "(options?: EtsOptions | null)" sync => crate::forecast::ets::ets_new;
            /// Fits by maximum likelihood. `non_finite` names `y[i]`; `invalid_record` the first
            /// `y[i] <= 0` of a multiplicative model; `not_enough_data` below 4 values or too few
            /// for the parameters; `invalid_parameter` a season with `seasonLength: 1`.
            method fit "(y: Numbers): FittedEts" both => crate::forecast::ets::ets_fit;
        }
        /// Automatic ETS: fits every admissible candidate, keeps the lowest information criterion.
        ///
        /// @example
        /// const fit = new forecast.AutoEts({ seasonLength: 4 }).fit([30, 21, 29, 31, 40, 48, 53, 47, 37, 39, 31, 29]);
        /// fit.predict(4).mean; // Float64Array(4)
        class AutoEts {
            /// Bad options throw (`invalid_parameter`).
            new constructor "(options?: AutoEtsOptions | null)" sync => crate::forecast::ets::auto_ets_new;
            /// Fits every candidate; `invalid_parameter` for a malformed or excluded `model`, else
            /// as `Ets.fit`.
            method fit "(y: Numbers): FittedEts" both => crate::forecast::ets::auto_ets_fit;
            /// Fits every series on its own (in parallel in Node), as `fit` would one by one;
            /// a series that cannot be fitted throws its error (its code, the message naming
            /// the series) once all are done.
            method fitMany "(series: Numbers[], options?: FitManyOptions | null): FittedEts[]" long => crate::forecast::ets::auto_ets_fit_many;
        }
        /// A fitted ETS model (from `Ets.fit`, `AutoEts.fit` or `FittedEts.fromJSON`).
        ///
        /// @example
        /// const fit = new forecast.AutoEts({ seasonLength: 12 }).fit(y);
        /// fit.model; // 'ETS(M,A,M)'
        /// const { mean, intervals } = fit.predict(12, { level: [80, 95] });
        class FittedEts {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::forecast::ets::fitted_new;
            /// Forecasts `h` steps ahead with intervals at `options.level` (default `[80, 95]`).
            /// In the browser build `h` is at most 4096 and `level` holds at most 64 levels
            /// (`out_of_range`).
            method predict "(h: number, options?: PredictOptions | null): EtsPrediction" sync => crate::forecast::ets::fitted_predict;
            /// In-sample points outside the one-step-ahead interval at `options.level` (default 95).
            method alerts "(options?: AlertOptions | null): ResidualAlert[]" sync => crate::forecast::ets::fitted_alerts;
            /// One line: model, smoothing parameters and criteria.
            method summary "(): string" sync => crate::forecast::ets::fitted_summary;
            /// The same line as `summary()`.
            method toString "(): string" sync => crate::forecast::ets::fitted_summary;
            /// The fitted model as a JSON document (the one Python's `FittedEts.to_json()` writes,
            /// series included): `JSON.stringify(fitted)` gives its text.
            method toJSON "(): object" sync => crate::forecast::ets::fitted_to_json;
            /// A model from `toJSON()` (object or text) or from Python's `to_json()`: the same
            /// forecasts, bit for bit; a damaged document throws `invalid_parameter`.
            statics fromJSON "(json: string | object): FittedEts" sync => crate::forecast::ets::fitted_from_json;
            /// The model's name, e.g. `'ETS(M,Ad,M)'`.
            getter model "string" sync => crate::forecast::ets::fitted_model;
            /// Akaike information criterion.
            getter aic "number" sync => crate::forecast::ets::fitted_aic;
            /// Small-sample corrected AIC (`Infinity` when `n <= nParams + 1`).
            getter aicc "number" sync => crate::forecast::ets::fitted_aicc;
            /// Bayesian information criterion.
            getter bic "number" sync => crate::forecast::ets::fitted_bic;
            /// Log-likelihood (R / statsforecast convention).
            getter logLik "number" sync => crate::forecast::ets::fitted_log_lik;
            /// Innovation variance, `SSE / (n - nParams - 1)`.
            getter sigma2 "number" sync => crate::forecast::ets::fitted_sigma2;
            /// Parameters counted in the criteria (smoothing, initial states, variance).
            getter nParams "number" sync => crate::forecast::ets::fitted_n_params;
            /// The season length used (1 for a non-seasonal model).
            getter seasonLength "number" sync => crate::forecast::ets::fitted_season_length;
            /// Whether the initial seasonal states were kept at the heuristic (season length > 24).
            getter seasonalStatesFixed "boolean" sync => crate::forecast::ets::fitted_seasonal_states_fixed;
            /// Smoothing parameters and initial states (a fresh copy per read).
            getter params "EtsParams" sync => crate::forecast::ets::fitted_params;
            /// One-step-ahead in-sample forecasts.
            getter fitted "Float64Array" sync => crate::forecast::ets::fitted_fitted;
            /// `y - fitted`.
            getter residuals "Float64Array" sync => crate::forecast::ets::fitted_residuals;
            /// Residuals (additive error) or relative residuals (multiplicative error).
            getter innovations "Float64Array" sync => crate::forecast::ets::fitted_innovations;
        }
        }
    }

    /// Forecast accuracy. Every metric takes `actual` first; lengths must match, values be
    /// finite, and none returns NaN (MAPE at a zero actual is `invalid_record`, MASE on a flat
    /// history `invalid_parameter`). Percentage metrics are fractions (0.05 is 5%).
    #[cfg(feature = "forecast")]
    namespace forecast_metrics {
        /// Mean absolute error.
        fn mae "(actual: Numbers, predicted: Numbers): number" sync => crate::forecast::metrics::mae;
        /// Root mean squared error.
        fn rmse "(actual: Numbers, predicted: Numbers): number" sync => crate::forecast::metrics::rmse;
        /// Mean absolute percentage error, a fraction.
        fn mape "(actual: Numbers, predicted: Numbers): number" sync => crate::forecast::metrics::mape;
        /// Symmetric MAPE in [0, 2]: `mean 2|a - p| / (|a| + |p|)` (M3/M4 without the factor 100).
        fn smape "(actual: Numbers, predicted: Numbers): number" sync => crate::forecast::metrics::smape;
        /// MAE over the in-sample MAE of the seasonal naive forecast of period `m` (default 1).
        fn mase "(actual: Numbers, predicted: Numbers, insample: Numbers, options?: MaseOptions | null): number" sync => crate::forecast::metrics::mase;
        /// Fraction of actuals inside `[lower, upper]` (ends included).
        fn coverage "(actual: Numbers, lower: Numbers, upper: Numbers): number" sync => crate::forecast::metrics::coverage;
        /// Mean Winkler score of `1 - alpha` intervals (`alpha` in (0, 1), e.g. 0.05 for 95%).
        fn winkler "(actual: Numbers, lower: Numbers, upper: Numbers, alpha: number): number" sync => crate::forecast::metrics::winkler;
        classes {}
        also { RollingOrigin }
    }

    // ---- anomaly (its own block; keep edits to other blocks out) ----
    /// Anomaly detection. Series are `number[] | Float64Array`; values must be finite
    /// (`non_finite` names `x[i]`), and an empty series is `not_enough_data`.
    #[cfg(feature = "anomaly")]
    namespace anomaly {
        /// `c(n)`, the average path length of an unsuccessful BST search among `n` points (0 for
        /// n <= 1), the isolation forest's normaliser.
        fn averagePathLength "(n: number): number" sync => crate::anomaly::average_path_length;
        /// Normal-consistent median absolute deviation (`1.4826 * median |x - median(x)|`).
        fn mad "(x: Numbers): number" sync => crate::anomaly::mad;
        /// Robust z-scores `(x - median) / MAD` and the points with `|z| > threshold` (default
        /// 3.5, Iglewicz and Hoaglin; `out_of_range` if negative).
        fn madOutliers "(x: Numbers, options?: MadOutliersOptions | null): MadOutliers" sync => crate::anomaly::mad_outliers;
        /// The Hampel filter: points further than `nSigmas` (default 3) rolling MADs from the
        /// median of the `2 halfWindow + 1` window (default half window 3, >= 1).
        fn hampel "(x: Numbers, options?: HampelOptions | null): HampelResult" sync => crate::anomaly::hampel;
        /// Rosner's generalized ESD test (`invalid_parameter` for a bad `direction`, `maxAnoms`
        /// of 0 or `alpha` of 0 or 1; `out_of_range` beyond their ranges); at least 3 values.
        fn esd "(x: Numbers, options?: EsdOptions | null): EsdTest" sync => crate::anomaly::esd;
        /// Seasonal hybrid ESD (Twitter's AnomalyDetection): ESD on `x - seasonal - median`, the
        /// seasonal component from a robust STL of cycle `period` (>= 2, at least two cycles).
        fn seasonalEsd "(x: Numbers, options: SeasonalEsdOptions): SeasonalEsdTest" sync => crate::anomaly::seasonal_esd;
        /// Actuals outside `[lower, upper]` at `level` percent (default 95), each with a score
        /// and a reason. `length_mismatch` for series of different lengths.
        fn residualAlerts "(series: ResidualSeries, options?: AlertOptions | null): ResidualAlert[]" sync => crate::anomaly::residual_alerts_fn;
        classes {
        /// Isolation forest (Liu, Ting and Zhou 2008; scikit-learn's parameters and score
        /// signs): `new IsolationForest({ nEstimators, seed }).fit(rows).predict(rows)`.
        class IsolationForest {
            /// A spec; bad options throw `invalid_parameter` (ranges are checked by `fit`).
            new constructor "(options?: IsolationForestOptions | null)" sync => crate::anomaly::forest_new;
            /// Grows the forest on `x` (rows, or flat row-major with `nFeatures`):
            /// `not_enough_data` for no rows, `length_mismatch` for ragged rows, `non_finite`
            /// naming `x[row r, column c]`, `out_of_range` for parameters outside their range.
            method fit "(x: Matrix, nFeatures?: number | null): FittedIsolationForest" both => crate::anomaly::forest_fit;
        }
        /// A fitted isolation forest (made by `new IsolationForest(options).fit(x)` or
        /// `FittedIsolationForest.fromJSON(json)`). Scoring takes rows, or a flat matrix with
        /// `nFeatures` (default: the training data's); another column count is `length_mismatch`.
        class FittedIsolationForest {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::anomaly::fitted_forest_new;
            /// scikit-learn's `score_samples`: in [-1, 0], lower is more abnormal.
            method scoreSamples "(x: Matrix, nFeatures?: number | null): Float64Array" sync => crate::anomaly::fitted_forest_score_samples;
            /// `scoreSamples - offset`: negative for outliers.
            method decisionFunction "(x: Matrix, nFeatures?: number | null): Float64Array" sync => crate::anomaly::fitted_forest_decision_function;
            /// `1` for an inlier, `-1` for an outlier (decision function below 0).
            method predict "(x: Matrix, nFeatures?: number | null): Int8Array" sync => crate::anomaly::fitted_forest_predict;
            /// The fitted forest (trees included) as a JSON document, the one Python's
            /// `FittedIsolationForest.to_json()` writes: `JSON.stringify(fitted)` gives its text.
            method toJSON "(): object" sync => crate::anomaly::fitted_forest_to_json;
            /// A forest from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
            /// document throws `invalid_parameter`.
            statics fromJSON "(json: string | object): FittedIsolationForest" sync => crate::anomaly::fitted_forest_from_json;
            /// Threshold on the scores: -0.5 with `contamination: 'auto'`, else the training
            /// scores' contamination percentile.
            getter offset "number" sync => crate::anomaly::fitted_forest_offset;
            /// Columns of the training data (and of any data scored).
            getter nFeatures "number" sync => crate::anomaly::fitted_forest_n_features;
            /// Number of trees.
            getter nEstimators "number" sync => crate::anomaly::fitted_forest_n_estimators;
            /// Rows each tree was grown from, resolved.
            getter maxSamples "number" sync => crate::anomaly::fitted_forest_max_samples;
            /// Features each tree could split on, resolved.
            getter maxFeatures "number" sync => crate::anomaly::fitted_forest_max_features;
            /// Depth limit of the trees.
            getter maxDepth "number" sync => crate::anomaly::fitted_forest_max_depth;
        }
        }
    }

    // ---- glm (its own block; keep edits to other blocks out) ----
    /// Generalised linear models, shared by bids and lead scores.
    #[cfg(feature = "glm")]
    namespace glm {
        classes {
        /// L2-regularised logistic regression on scikit-learn's objective
        /// (`C sum_i w_i logloss_i + 0.5 ||beta||^2`, the intercept unpenalised), solved by
        /// Newton's method to scikit-learn's converged coefficients.
        ///
        /// @example
        /// const fit = new glm.LogisticRegression({ c: 1 }).fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
        /// fit.coef; // Float64Array [...]
        /// fit.predictProba([[1.5]]); // Float64Array [P(y = 1)]
        class LogisticRegression {
            /// A spec; a penalty other than `'l2'` or `'none'` or a bad option type throws
            /// `invalid_parameter` (`c` is checked by `fit`, naming `options.c`).
            new constructor "(options?: LogisticOptions | null)" sync => crate::glm::logistic_new;
            /// Fits to `x` (rows, or flat row-major with `nFeatures`), labels `y` (0 or 1) and
            /// optional non-negative `sampleWeight`: `invalid_parameter` naming `y[i]` for another
            /// label, `non_finite` naming `x[r][c]`, `length_mismatch` for ragged rows or lengths
            /// that disagree, `not_converged` for separable data without a penalty.
            method fit "(x: Matrix, y: Numbers, sampleWeight?: Numbers | null, nFeatures?: number | null): FittedLogistic" sync => crate::glm::logistic_fit;
        }
        /// A fitted logistic regression (from `LogisticRegression.fit`).
        class FittedLogistic {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::glm::fitted_new;
            /// `P(y = 1)` per row of `x` (rows, or flat with `nFeatures`, default the fit's).
            method predictProba "(x: Matrix, nFeatures?: number | null): Float64Array" sync => crate::glm::fitted_predict_proba;
            /// The coefficients, one per feature.
            getter coef "Float64Array" sync => crate::glm::fitted_coef;
            /// The intercept (0 without one).
            getter intercept "number" sync => crate::glm::fitted_intercept;
            /// Newton steps taken.
            getter iterations "number" sync => crate::glm::fitted_iterations;
            /// The fitted model as a JSON document, the one Python's `FittedLogistic.to_json()`
            /// writes: `JSON.stringify(fitted)` gives its text.
            method toJSON "(): object" sync => crate::glm::fitted_to_json;
            /// A model from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
            /// document throws `invalid_parameter`.
            statics fromJSON "(json: string | object): FittedLogistic" sync => crate::glm::fitted_from_json;
        }
        }
    }

    // ---- clv (its own block; keep edits to other blocks out) ----
    /// Customer lifetime value with Fader and Hardie's parameter names and lifetimes' columns:
    /// `frequency` (repeat purchases), `recency` (time of the last purchase since the first), `T`
    /// (age), `monetaryValue` (mean repeat spend), in the time unit you chose. Bad histories are
    /// `out_of_range` / `invalid_parameter` / `non_finite` naming the column and row
    /// (`recency[3]`); a likelihood without an interior maximum is `not_converged`.
    #[cfg(feature = "clv")]
    namespace clv {
        /// One row per customer from a transaction log `{ customerId, datetime (unix seconds or
        /// `Date`s), monetaryValue? }` (lifetimes' `summary_data_from_transaction_data`).
        ///
        /// @example
        /// const s = clv.rfm({ customerId: ['a', 'a', 'b'], datetime: [0, 172800, 86400] });
        /// s.frequency; // Float64Array [1, 0]
        fn rfm "(log: RfmLog, options?: RfmSummaryOptions | null): RfmSummary" sync => crate::clv::rfm_summary;
        /// The calibration summary up to `calibrationEnd` (unix seconds or a `Date`) and the holdout counts
        /// (lifetimes' `calibration_and_holdout_data`).
        fn calibrationAndHoldout "(log: RfmLog, calibrationEnd: number | Date, options?: RfmSummaryOptions | null): CalibrationHoldout" sync => crate::clv::calibration_and_holdout;
        /// `ln |2F1(a, b; c; z)|` and its sign for `0 <= z < 1` and `c` not a pole (0 or a negative
        /// integer), in log space.
        fn lnHyp2f1 "(a: number, b: number, c: number, z: number): LnHyp2f1" sync => crate::clv::ln_hyp2f1_fn;
        classes {
        /// The BG/NBD model (Fader, Hardie & Lee 2005), fitted by exact maximum likelihood.
        ///
        /// @example
        /// const fit = new clv.BetaGeo().fit({ frequency, recency, T });
        /// fit.params; // { r, alpha, a, b }
        /// fit.pAlive({ frequency: [4], recency: [30], T: [38] }); // Float64Array [...]
        class BetaGeo {
            /// A spec (`maxIter`, `collapse`).
            new constructor "(options?: ClvFitOptions | null)" sync => crate::clv::bg_new;
            /// Fits to customers' histories (optional `weights`: customers per row).
            method fit "(data: ClvHistories): FittedBetaGeo" both => crate::clv::bg_fit;
        }
        /// The BG/NBD model at known parameters.
        class BetaGeoParams {
            /// Parameters must be positive and finite (`out_of_range` / `non_finite`).
            new constructor "(params: BetaGeoValues)" sync => crate::clv::bg_params_new;
            /// P(alive) of each customer (1 for frequency 0).
            method pAlive "(data: ClvHistories): Float64Array" sync => crate::clv::p_alive;
            /// Expected repeat purchases of each customer in the next `t` time units.
            method expectedPurchases "(t: number, data: ClvHistories): Float64Array" sync => crate::clv::expected_purchases;
            /// Expected repeat purchases of a new customer in `t` time units.
            method expectedPurchasesUnconditional "(t: number): number" sync => crate::clv::expected_purchases_unconditional;
            /// Probability of exactly `n` repeat purchases of a new customer in `t` (an array for
            /// an array of `n`).
            method probabilityOfPurchases "(n: number | number[], t: number): number | Float64Array" sync => crate::clv::probability_of_purchases;
            /// The log-likelihood of histories at these parameters (weighted sum).
            method logLikelihoodOf "(data: ClvHistories): number" sync => crate::clv::log_likelihood_of;
            /// The parameters by name.
            getter params "BetaGeoValues" sync => crate::clv::params;
        }
        /// A fitted BG/NBD model: every prediction of `BetaGeoParams`, with standard errors.
        class FittedBetaGeo {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::clv::fitted_new;
            /// P(alive) of each customer (1 for frequency 0).
            method pAlive "(data: ClvHistories): Float64Array" sync => crate::clv::p_alive;
            /// Expected repeat purchases of each customer in the next `t` time units.
            method expectedPurchases "(t: number, data: ClvHistories): Float64Array" sync => crate::clv::expected_purchases;
            /// Expected repeat purchases of a new customer in `t` time units.
            method expectedPurchasesUnconditional "(t: number): number" sync => crate::clv::expected_purchases_unconditional;
            /// Probability of exactly `n` repeat purchases of a new customer in `t`.
            method probabilityOfPurchases "(n: number | number[], t: number): number | Float64Array" sync => crate::clv::probability_of_purchases;
            /// The log-likelihood of histories at the fitted parameters.
            method logLikelihoodOf "(data: ClvHistories): number" sync => crate::clv::log_likelihood_of;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::clv::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedBetaGeo" sync => crate::clv::bg_from_json;
            /// Maximum-likelihood parameters.
            getter params "BetaGeoValues" sync => crate::clv::params;
            /// Their standard errors (`Infinity` where the information is singular).
            getter stdErrors "BetaGeoValues" sync => crate::clv::std_errors;
            /// The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`).
            getter logLikelihood "number" sync => crate::clv::log_likelihood;
            /// How the fit ended.
            getter diagnostics "ClvDiagnostics" sync => crate::clv::fit_diagnostics;
        }
        /// The MBG/NBD model (Batislam, Denizel & Filiztekin 2007; lifetimes'
        /// `ModifiedBetaGeoFitter`): BG/NBD where a customer may also drop out right after her
        /// first purchase.
        ///
        /// @example
        /// const fit = new clv.ModifiedBetaGeo().fit({ frequency, recency, T });
        /// fit.pAlive({ frequency: [0], recency: [0], T: [38] }); // below 1: she may have left at once
        class ModifiedBetaGeo {
            /// A spec (`maxIter`, `collapse`, `penalizerCoef`).
            new constructor "(options?: ClvFitOptions | null)" sync => crate::clv::mbg_new;
            /// Fits to customers' histories (optional `weights`: customers per row).
            method fit "(data: ClvHistories): FittedModifiedBetaGeo" both => crate::clv::mbg_fit;
        }
        /// The MBG/NBD model at known parameters.
        class ModifiedBetaGeoParams {
            /// Parameters must be positive and finite (`out_of_range` / `non_finite`).
            new constructor "(params: BetaGeoValues)" sync => crate::clv::mbg_params_new;
            /// P(alive) of each customer (below 1 also for frequency 0).
            method pAlive "(data: ClvHistories): Float64Array" sync => crate::clv::p_alive;
            /// Expected repeat purchases of each customer in the next `t` time units.
            method expectedPurchases "(t: number, data: ClvHistories): Float64Array" sync => crate::clv::expected_purchases;
            /// Expected repeat purchases of a new customer in `t` time units.
            method expectedPurchasesUnconditional "(t: number): number" sync => crate::clv::expected_purchases_unconditional;
            /// Probability of exactly `n` repeat purchases of a new customer in `t` (an array for
            /// an array of `n`).
            method probabilityOfPurchases "(n: number | number[], t: number): number | Float64Array" sync => crate::clv::probability_of_purchases;
            /// The log-likelihood of histories at these parameters (weighted sum).
            method logLikelihoodOf "(data: ClvHistories): number" sync => crate::clv::log_likelihood_of;
            /// The parameters by name.
            getter params "BetaGeoValues" sync => crate::clv::params;
        }
        /// A fitted MBG/NBD model: every prediction of `ModifiedBetaGeoParams`, with standard errors.
        class FittedModifiedBetaGeo {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::clv::fitted_new;
            /// P(alive) of each customer (below 1 also for frequency 0).
            method pAlive "(data: ClvHistories): Float64Array" sync => crate::clv::p_alive;
            /// Expected repeat purchases of each customer in the next `t` time units.
            method expectedPurchases "(t: number, data: ClvHistories): Float64Array" sync => crate::clv::expected_purchases;
            /// Expected repeat purchases of a new customer in `t` time units.
            method expectedPurchasesUnconditional "(t: number): number" sync => crate::clv::expected_purchases_unconditional;
            /// Probability of exactly `n` repeat purchases of a new customer in `t`.
            method probabilityOfPurchases "(n: number | number[], t: number): number | Float64Array" sync => crate::clv::probability_of_purchases;
            /// The log-likelihood of histories at the fitted parameters.
            method logLikelihoodOf "(data: ClvHistories): number" sync => crate::clv::log_likelihood_of;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::clv::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedModifiedBetaGeo" sync => crate::clv::mbg_from_json;
            /// Maximum-likelihood parameters.
            getter params "BetaGeoValues" sync => crate::clv::params;
            /// Their standard errors (`Infinity` where the information is singular).
            getter stdErrors "BetaGeoValues" sync => crate::clv::std_errors;
            /// The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`).
            getter logLikelihood "number" sync => crate::clv::log_likelihood;
            /// How the fit ended.
            getter diagnostics "ClvDiagnostics" sync => crate::clv::fit_diagnostics;
        }
        /// The BG/BB model (Fader, Hardie & Shang 2010; lifetimes' `BetaGeoBetaBinomFitter`) of
        /// transactions at discrete opportunities (yearly donation drives, weekly orders).
        ///
        /// @example
        /// const fit = new clv.BetaGeoBetaBinom().fit({ frequency, recency, nPeriods, weights });
        /// fit.params; // { alpha, beta, gamma, delta }
        /// fit.pAlive({ frequency: [3], recency: [3], nPeriods: [6] }); // Float64Array [0.4...]
        class BetaGeoBetaBinom {
            /// A spec (`maxIter`, `collapse`, `penalizerCoef`).
            new constructor "(options?: ClvFitOptions | null)" sync => crate::clv::bb_new;
            /// Fits to customers' histories (optional `weights`: customers per row).
            method fit "(data: ClvPeriods): FittedBetaGeoBetaBinom" both => crate::clv::bb_fit;
        }
        /// The BG/BB model at known parameters.
        class BetaGeoBetaBinomParams {
            /// Parameters must be positive and finite (`out_of_range` / `non_finite`).
            new constructor "(params: BetaGeoBetaBinomValues)" sync => crate::clv::bb_params_new;
            /// P(alive) of each customer at opportunity `nPeriods + mPeriods` (default 0: now).
            method pAlive "(data: ClvPeriods, mPeriods?: number | null): Float64Array" sync => crate::clv::bb_p_alive;
            /// Expected transactions of each customer in the next `mPeriods` opportunities.
            method expectedPurchases "(mPeriods: number, data: ClvPeriods): Float64Array" sync => crate::clv::bb_expected_purchases;
            /// Expected transactions of a new customer in her first `nPeriods` opportunities.
            method expectedPurchasesUnconditional "(nPeriods: number): number" sync => crate::clv::bb_expected_purchases_unconditional;
            /// Probability of exactly `x` transactions of a new customer in `nPeriods` (an array
            /// for an array of `x`).
            method probabilityOfPurchases "(x: number | number[], nPeriods: number): number | Float64Array" sync => crate::clv::bb_probability_of_purchases;
            /// The log-likelihood of histories at these parameters (weighted sum).
            method logLikelihoodOf "(data: ClvPeriods): number" sync => crate::clv::bb_log_likelihood_of;
            /// The parameters by name.
            getter params "BetaGeoBetaBinomValues" sync => crate::clv::params;
        }
        /// A fitted BG/BB model: every prediction of `BetaGeoBetaBinomParams`, with standard errors.
        class FittedBetaGeoBetaBinom {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::clv::fitted_new;
            /// P(alive) of each customer at opportunity `nPeriods + mPeriods` (default 0: now).
            method pAlive "(data: ClvPeriods, mPeriods?: number | null): Float64Array" sync => crate::clv::bb_p_alive;
            /// Expected transactions of each customer in the next `mPeriods` opportunities.
            method expectedPurchases "(mPeriods: number, data: ClvPeriods): Float64Array" sync => crate::clv::bb_expected_purchases;
            /// Expected transactions of a new customer in her first `nPeriods` opportunities.
            method expectedPurchasesUnconditional "(nPeriods: number): number" sync => crate::clv::bb_expected_purchases_unconditional;
            /// Probability of exactly `x` transactions of a new customer in `nPeriods`.
            method probabilityOfPurchases "(x: number | number[], nPeriods: number): number | Float64Array" sync => crate::clv::bb_probability_of_purchases;
            /// The log-likelihood of histories at the fitted parameters.
            method logLikelihoodOf "(data: ClvPeriods): number" sync => crate::clv::bb_log_likelihood_of;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::clv::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedBetaGeoBetaBinom" sync => crate::clv::bb_from_json;
            /// Maximum-likelihood parameters.
            getter params "BetaGeoBetaBinomValues" sync => crate::clv::params;
            /// Their standard errors (`Infinity` where the information is singular).
            getter stdErrors "BetaGeoBetaBinomValues" sync => crate::clv::std_errors;
            /// The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`).
            getter logLikelihood "number" sync => crate::clv::log_likelihood;
            /// How the fit ended.
            getter diagnostics "ClvDiagnostics" sync => crate::clv::fit_diagnostics;
        }
        /// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).
        class ParetoNbd {
            /// A spec (`maxIter`, `collapse`).
            new constructor "(options?: ClvFitOptions | null)" sync => crate::clv::pareto_new;
            /// Fits to customers' histories.
            method fit "(data: ClvHistories): FittedParetoNbd" both => crate::clv::pareto_fit;
        }
        /// The Pareto/NBD model at known parameters.
        class ParetoNbdParams {
            /// Parameters must be positive and finite.
            new constructor "(params: ParetoNbdValues)" sync => crate::clv::pareto_params_new;
            /// P(alive) of each customer.
            method pAlive "(data: ClvHistories): Float64Array" sync => crate::clv::p_alive;
            /// Expected repeat purchases of each customer in the next `t` time units.
            method expectedPurchases "(t: number, data: ClvHistories): Float64Array" sync => crate::clv::expected_purchases;
            /// Expected repeat purchases of a new customer in `t` time units.
            method expectedPurchasesUnconditional "(t: number): number" sync => crate::clv::expected_purchases_unconditional;
            /// The log-likelihood of histories at these parameters.
            method logLikelihoodOf "(data: ClvHistories): number" sync => crate::clv::log_likelihood_of;
            /// The parameters by name.
            getter params "ParetoNbdValues" sync => crate::clv::params;
        }
        /// A fitted Pareto/NBD model.
        class FittedParetoNbd {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::clv::fitted_new;
            /// P(alive) of each customer.
            method pAlive "(data: ClvHistories): Float64Array" sync => crate::clv::p_alive;
            /// Expected repeat purchases of each customer in the next `t` time units.
            method expectedPurchases "(t: number, data: ClvHistories): Float64Array" sync => crate::clv::expected_purchases;
            /// Expected repeat purchases of a new customer in `t` time units.
            method expectedPurchasesUnconditional "(t: number): number" sync => crate::clv::expected_purchases_unconditional;
            /// The log-likelihood of histories at the fitted parameters.
            method logLikelihoodOf "(data: ClvHistories): number" sync => crate::clv::log_likelihood_of;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::clv::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedParetoNbd" sync => crate::clv::pareto_from_json;
            /// Maximum-likelihood parameters.
            getter params "ParetoNbdValues" sync => crate::clv::params;
            /// Their standard errors.
            getter stdErrors "ParetoNbdValues" sync => crate::clv::std_errors;
            /// The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`).
            getter logLikelihood "number" sync => crate::clv::log_likelihood;
            /// How the fit ended.
            getter diagnostics "ClvDiagnostics" sync => crate::clv::fit_diagnostics;
        }
        /// The Gamma-Gamma model of spend per transaction.
        class GammaGamma {
            /// A spec (`maxIter`, `collapse`).
            new constructor "(options?: ClvFitOptions | null)" sync => crate::clv::gg_new;
            /// Fits to repeat buyers' `frequency` and `monetaryValue` (`out_of_range` for a repeat
            /// buyer's zero spend).
            method fit "(data: ClvSpend): FittedGammaGamma" both => crate::clv::gg_fit;
        }
        /// The Gamma-Gamma model at known parameters.
        class GammaGammaParams {
            /// Parameters must be positive and finite.
            new constructor "(params: GammaGammaValues)" sync => crate::clv::gg_params_new;
            /// Expected spend per transaction of each customer.
            method expectedSpend "(data: ClvSpend): Float64Array" sync => crate::clv::expected_spend;
            /// Discounted CLV over `options.months` with a BG/NBD or Pareto/NBD `model`.
            method clv "(model: BetaGeoParams | FittedBetaGeo | ModifiedBetaGeoParams | FittedModifiedBetaGeo | ParetoNbdParams | FittedParetoNbd, data: ClvCustomers, options?: ClvValueOptions | null): Float64Array" sync => crate::clv::clv;
            /// The parameters by name.
            getter params "GammaGammaValues" sync => crate::clv::params;
        }
        /// A fitted Gamma-Gamma model.
        class FittedGammaGamma {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::clv::fitted_new;
            /// Expected spend per transaction of each customer.
            method expectedSpend "(data: ClvSpend): Float64Array" sync => crate::clv::expected_spend;
            /// Discounted CLV over `options.months` with a BG/NBD or Pareto/NBD `model`.
            method clv "(model: BetaGeoParams | FittedBetaGeo | ModifiedBetaGeoParams | FittedModifiedBetaGeo | ParetoNbdParams | FittedParetoNbd, data: ClvCustomers, options?: ClvValueOptions | null): Float64Array" sync => crate::clv::clv;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::clv::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedGammaGamma" sync => crate::clv::gg_from_json;
            /// Maximum-likelihood parameters.
            getter params "GammaGammaValues" sync => crate::clv::params;
            /// Their standard errors.
            getter stdErrors "GammaGammaValues" sync => crate::clv::std_errors;
            /// The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`).
            getter logLikelihood "number" sync => crate::clv::log_likelihood;
            /// How the fit ended.
            getter diagnostics "ClvDiagnostics" sync => crate::clv::fit_diagnostics;
        }
        /// The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007).
        class ShiftedBetaGeo {
            /// A spec (`maxIter`).
            new constructor "(options?: SbgFitOptions | null)" sync => crate::clv::sbg_new;
            /// Fits to a cohort's survivor counts `n_0, ..., n_T` (`out_of_range` for a count
            /// above the previous one).
            method fit "(survivors: Numbers): FittedShiftedBetaGeo" sync => crate::clv::sbg_fit;
        }
        /// The sBG model at known parameters.
        class ShiftedBetaGeoParams {
            /// Parameters must be positive and finite.
            new constructor "(params: ShiftedBetaGeoValues)" sync => crate::clv::sbg_params_new;
            /// `S(0), ..., S(periods)`.
            method survival "(periods: number): Float64Array" sync => crate::clv::survival;
            /// `r_1, ..., r_periods`.
            method retention "(periods: number): Float64Array" sync => crate::clv::retention;
            /// The log-likelihood of survivor counts at these parameters.
            method logLikelihoodOf "(survivors: Numbers): number" sync => crate::clv::sbg_log_likelihood_of;
            /// The parameters by name.
            getter params "ShiftedBetaGeoValues" sync => crate::clv::params;
        }
        /// A fitted sBG model.
        class FittedShiftedBetaGeo {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::clv::fitted_new;
            /// `S(0), ..., S(periods)`.
            method survival "(periods: number): Float64Array" sync => crate::clv::survival;
            /// `r_1, ..., r_periods`.
            method retention "(periods: number): Float64Array" sync => crate::clv::retention;
            /// The log-likelihood of survivor counts at the fitted parameters.
            method logLikelihoodOf "(survivors: Numbers): number" sync => crate::clv::sbg_log_likelihood_of;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::clv::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedShiftedBetaGeo" sync => crate::clv::sbg_from_json;
            /// Maximum-likelihood parameters.
            getter params "ShiftedBetaGeoValues" sync => crate::clv::params;
            /// Their standard errors.
            getter stdErrors "ShiftedBetaGeoValues" sync => crate::clv::std_errors;
            /// The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`).
            getter logLikelihood "number" sync => crate::clv::log_likelihood;
            /// How the fit ended.
            getter diagnostics "ClvDiagnostics" sync => crate::clv::fit_diagnostics;
        }
        }
    }

    // ---- leads (its own block; keep edits to other blocks out) ----
    /// Leads: funnels, cohort tables, rule-based scores, lifecycle stages and journey health over
    /// an event log `{ lead, timestamp (unix seconds), event, value? }`. Lead ids (strings or
    /// numbers) come back as given; options are camelCase, enum values snake_case (`'one_of'`).
    /// Bad input is a typed error naming the field (`events.timestamp[3]`, `funnel.windowSeconds`,
    /// `config.eventRules[0].eventType`, `log.stage` for a move the stage machine forbids).
    #[cfg(feature = "leads")]
    namespace leads {
        /// A conversion funnel (PostHog's semantics: each lead counted once, at the furthest
        /// step any attempt reached within `windowSeconds` of its first step).
        ///
        /// @example
        /// const events = { lead: ['ann', 'ann', 'bob', 'bob', 'cy'], timestamp: [0, 60, 0, 500, 0],
        ///   event: ['visit', 'signup', 'visit', 'signup', 'visit'] };
        /// const f = leads.funnel(events, { steps: ['visit', 'signup'], windowSeconds: 300 });
        /// f.steps.map((s) => s.count); // [3, 1]
        fn funnel "(events: LeadEvents, funnel: FunnelOptions): Funnel" both => crate::leads::funnel;
        /// Acquisition cohorts by calendar period (UTC): retention, conversion and revenue by
        /// period since acquisition, one row per cohort (later cohorts have shorter rows).
        ///
        /// @example
        /// const rows = leads.cohorts(events, { period: 'week', conversionEvent: 'purchase' });
        /// rows[0].retentionOn; // Float64Array [1, 0.4, ...]
        fn cohorts "(events: LeadEvents, options?: CohortOptions | null): CohortRow[]" both => crate::leads::cohorts;
        /// Rule-based scores as of `asOf` (unix seconds or a `Date`): one row per lead (the attributes'
        /// leads in order, then leads only seen in events), with grade, temperature and the
        /// points of every dimension and rule.
        ///
        /// @example
        /// const s = leads.score(events, {
        ///   eventRules: [{ name: 'demo', dimension: 'intent', eventType: 'demo', points: 30 }],
        ///   attributeRules: [{ name: 'vp', dimension: 'demographic', attribute: 'title',
        ///     condition: { op: 'one_of', values: ['VP', 'CMO'] }, points: 15 }],
        /// }, asOf, { lead: ['ann', 'bob'], title: ['VP', 'Intern'] });
        /// s[0].total; // 45 if ann booked a demo
        fn score "(events: LeadEvents, config: ScoringConfig, asOf: number | Date, attributes?: LeadAttributes | null): LeadScore[]" both => crate::leads::score;
        /// Replays stage transitions through a stage machine (a move it does not allow is
        /// `invalid_record` naming the row, `log.stage` and `"from -> to"`): current stage,
        /// every transition, time in stage per lead and a summary per stage.
        ///
        /// @example
        /// const l = leads.lifecycle({ lead: ['a', 'a'], timestamp: [0, 3600], stage: ['new', 'qualified'] },
        ///   { asOf: 7200 });
        /// l.current; // ['qualified']
        /// l.timeInStage.new; // Float64Array [3600]
        fn lifecycle "(log: StageLog, options?: LifecycleOptions | null): Lifecycle" sync => crate::leads::lifecycle;
        /// Journey health as of `asOf`: the Mann-Kendall trend and Theil-Sen slope of each
        /// lead's activity per period, its churn risk (`1 - pAlive` or from recency) and a
        /// health score in [0, 100] with its status.
        ///
        /// @example
        /// const h = leads.health(events, asOf, { periodDays: 7, periods: 8 });
        /// h.filter((r) => r.status === 'critical').map((r) => r.lead);
        fn health "(events: LeadEvents, asOf: number | Date, options?: HealthOptions | null): LeadHealth[]" both => crate::leads::health;
        /// ROC AUC (ties half), log-loss, Brier score and reliability table of probabilities
        /// `proba` against 0/1 labels `y` (scikit-learn's metrics and `calibration_curve`).
        ///
        /// @example
        /// const m = leads.metrics([0, 1, 1, 0], [0.2, 0.7, 0.6, 0.4], { nBins: 5 });
        /// m.auc; // 1
        fn metrics "(y: Numbers, proba: Numbers, options?: ReliabilityOptions | null): ScoreEvaluation" sync => crate::leads::predictive::metrics;
        classes {
        /// The predictive lead score: a regularised logistic regression of conversion on lead
        /// features (scikit-learn's objective and names), optionally calibrated (Platt or
        /// isotonic), with per-lead contributions that add up to the logit.
        ///
        /// @example
        /// const x = { pages: [1, 2, 3, 5, 0, 4, 6, 2], demo: [0, 0, 1, 1, 0, 0, 1, 1] };
        /// const fit = new leads.LogisticScore({ calibration: 'platt' }).fit(x, [0, 0, 1, 1, 0, 0, 1, 1]);
        /// fit.coef.demo; // > 0
        /// fit.predictProba(x); // Float64Array of P(conversion)
        /// fit.contributions(x).values[0]; // log-odds per feature of the first lead
        class LogisticScore {
            /// Settings (`LogisticScoreOptions`); a bad penalty, class weight or calibration
            /// name throws `invalid_parameter` naming the option (`c` is checked by `fit`).
            new constructor "(options?: LogisticScoreOptions | null)" sync => crate::leads::predictive::score_new;
            /// Fits to features `x` (a columns object named by its keys, or a matrix with
            /// `featureNames`) and 0/1 labels `y`: `out_of_range` naming `options.c` or
            /// `options.l1Ratio`, `non_finite` naming `x[i][j]`, `invalid_parameter` naming
            /// `y[i]` or a repeated `options.featureNames[j]`, `length_mismatch` for shapes
            /// that disagree, `not_converged` for separable data without a penalty.
            method fit "(x: Features, y: Numbers, options?: LogisticScoreFitOptions | null): FittedLogisticScore" sync => crate::leads::predictive::score_fit;
        }
        /// A fitted predictive lead score (from `LogisticScore.fit` or `fromJSON`).
        class FittedLogisticScore {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::leads::predictive::fitted_new;
            /// Calibrated `P(conversion)` per row (a columns object is read by feature name; a
            /// flat matrix defaults to the fit's column count).
            method predictProba "(x: Features, nFeatures?: number | null): Float64Array" sync => crate::leads::predictive::predict_proba;
            /// The logit (uncalibrated) per row.
            method decisionFunction "(x: Features, nFeatures?: number | null): Float64Array" sync => crate::leads::predictive::decision;
            /// Per-lead contributions `coef_j (x_ij - mean_j)` and the base logit; each row adds
            /// up to the lead's logit.
            method contributions "(x: Features, nFeatures?: number | null): ScoreContributions" sync => crate::leads::predictive::contributions;
            /// AUC, log-loss, Brier score and reliability table of `x` against 0/1 labels `y`
            /// (`not_enough_data` naming `y` when a class is missing).
            method evaluate "(x: Features, y: Numbers, options?: ReliabilityOptions | null): ScoreEvaluation" sync => crate::leads::predictive::evaluate;
            /// The fitted model as the JSON document Python's `to_json()` writes.
            method toJSON "(): object" sync => crate::leads::predictive::to_json;
            /// A model from `toJSON()` (object or text) or Python's `to_json()`.
            statics fromJSON "(json: string | object): FittedLogisticScore" sync => crate::leads::predictive::from_json;
            /// The coefficients (log-odds per unit) by feature name.
            getter coef "{ [feature: string]: number }" sync => crate::leads::predictive::coef;
            /// The intercept.
            getter intercept "number" sync => crate::leads::predictive::intercept;
            /// The logit of the reference (training-mean) lead.
            getter baseLogit "number" sync => crate::leads::predictive::base_logit;
            /// The features, in column order.
            getter featureNames "string[]" sync => crate::leads::predictive::feature_names;
            /// Newton steps the fit took.
            getter iterations "number" sync => crate::leads::predictive::iterations;
        }
        }
    }

    // ---- experiment (its own block; keep edits to other blocks out) ----
    /// A/B statistics and bandits. An arm is `{ n, successes }`, `{ n, sum, sumSquares }`,
    /// `{ n, mean, variance }` or its raw values; tests compare B against A. Successes above
    /// `n`, `n` below 1 (2 for a variance), a sum of squares below `sum^2 / n` and options out of
    /// range (`alpha` outside (0, 1)) are `out_of_range` naming the field (`b.successes`,
    /// `options.alpha`).
    #[cfg(feature = "experiment")]
    namespace experiment {
        /// The pooled two-proportion z-test (statsmodels' `proportions_ztest`), with absolute
        /// and relative (delta method, as gbstats) effects and intervals.
        ///
        /// @example
        /// const r = experiment.ztest({ n: 5000, successes: 500 }, { n: 5000, successes: 560 });
        /// r.pValue; r.relative.estimate; // 0.12
        fn ztest "(a: ProportionArm, b: ProportionArm, options?: AbTestOptions | null): ZTestResult" sync => crate::experiment::ztest;
        /// Welch's unequal-variance t-test (scipy's `ttest_ind(equal_var=False)`), with absolute
        /// and relative effects.
        fn welch "(a: Arm, b: Arm, options?: AbTestOptions | null): WelchResult" sync => crate::experiment::welch;
        /// Pearson's chi-square test that k arms convert at one rate.
        fn chisq "(arms: ProportionArm[]): ChiSquareResult" sync => crate::experiment::chi_square;
        /// Exact beta-binomial P(B > A) and expected loss of choosing each arm.
        fn betaBinomial "(a: ProportionArm, b: ProportionArm, options?: BetaBinomialOptions | null): BetaBinomialResult" sync => crate::experiment::beta_binomial;
        /// gbstats' Bayesian effect model (flat or Gaussian prior, relative or absolute):
        /// posterior, chance to win, risk of each choice.
        fn bayes "(a: Arm, b: Arm, options?: BayesOptions | null): BayesResult" sync => crate::experiment::bayes;
        /// Power and sample size (statsmodels' `NormalIndPower`): give two of `effectSize` (or
        /// `p1` and `p2`), `nobs1` and `power`; the third is solved for.
        ///
        /// @example
        /// experiment.power({ p1: 0.12, p2: 0.10, power: 0.8 }).nobs1; // 3834.6 per arm
        fn power "(options: PowerOptions): PowerResult" sync => crate::experiment::power;
        /// Cohen's h of two proportions (statsmodels' `proportion_effectsize`).
        fn proportionEffectsize "(p1: number, p2: number): number" sync => crate::experiment::proportion_effect_size;
        /// CUPED with a pre-period covariate, theta pooled across arms (gbstats): the adjusted
        /// arms to pass to `welch`, `bayes` or `sequential`.
        fn cuped "(a: CupedArm, b: CupedArm): CupedResult" sync => crate::experiment::cuped;
        /// The effect size CUPED gives for power: `effectSize / sqrt(1 - rho^2)`.
        fn cupedEffectSize "(effectSize: number, rho: number): number" sync => crate::experiment::cuped_effect_size;
        /// An always-valid look (gbstats' mixture confidence sequence): peeking at every look
        /// keeps the false-positive rate at `alpha`.
        fn sequential "(a: Arm, b: Arm, options?: SequentialOptions | null): SequentialResult" sync => crate::experiment::sequential;
        /// Group-sequential bounds by Lan-DeMets alpha spending at the looks' information
        /// fractions (increasing, the last at most 1), one row per look.
        fn groupSequential "(information: Numbers, options?: GroupSequentialOptions | null): GroupSequentialLook[]" sync => crate::experiment::group_sequential;
        classes {
        /// A multi-armed or contextual bandit with seeded, serialisable state: the same seed,
        /// arms and calls give the same choices in every stack.
        ///
        /// @example
        /// const b = new experiment.Bandit({ policy: 'thompson', arms: ['red', 'blue'], seed: 42 });
        /// const arm = b.choose();
        /// b.update(arm, 1);
        /// const saved = JSON.stringify(b); // resumes with experiment.Bandit.fromJSON(saved)
        class Bandit {
            /// A bandit; a bad policy name or parameter, repeated arm or discount outside
            /// (0, 1] throws naming it (`options.policy.alpha`).
            new constructor "(options?: BanditOptions | null)" sync => crate::experiment::bandit::bandit_new;
            /// The arm for the next impression, among `available` (default all), in `context`
            /// (linear policies: `dim` numbers).
            method choose "(context?: Numbers | null, available?: string[] | null): string" sync => crate::experiment::bandit::bandit_choose;
            /// Records a reward for `arm` (whenever it arrives), with its decision's context for
            /// the linear policies; in [0, 1] for the Beta-Bernoulli policies.
            method update "(arm: string, reward: number, context?: Numbers | null): void" sync => crate::experiment::bandit::bandit_update;
            /// Records rewards in order; all are checked before any is applied (an error
            /// names `feedback[i].reward` and leaves the bandit unchanged).
            method updateBatch "(feedback: BanditFeedback[]): void" sync => crate::experiment::bandit::bandit_update_batch;
            /// Each available arm's probability of being chosen next (exact, or from `draws`
            /// simulated decisions for the Thompson policies; the decision stream is untouched).
            method weights "(options?: WeightsOptions | null): ArmWeight[]" sync => crate::experiment::bandit::bandit_weights;
            /// Each arm's reward count and mean, in arm order.
            method summary "(): BanditArm[]" sync => crate::experiment::bandit::bandit_summary;
            /// Adds an arm with no rewards yet.
            method addArm "(arm: string): void" sync => crate::experiment::bandit::bandit_add_arm;
            /// Removes an arm and its statistics.
            method removeArm "(arm: string): void" sync => crate::experiment::bandit::bandit_remove_arm;
            /// The state document (the core's, which Python's `to_json()` writes):
            /// `JSON.stringify(bandit)` gives its text.
            method toJSON "(): object" sync => crate::experiment::bandit::bandit_to_json;
            /// A bandit from `toJSON()` (object or text) or Python's `to_json()`, resuming bit
            /// for bit; a damaged document throws `invalid_parameter`.
            statics fromJSON "(json: string | object): Bandit" sync => crate::experiment::bandit::bandit_from_json;
            /// The arms, in the order they were added.
            getter arms "string[]" sync => crate::experiment::bandit::bandit_arms;
            /// The policy and its parameters (`{ name, ... }`).
            getter policy "object" sync => crate::experiment::bandit::bandit_policy;
            /// The discount.
            getter discount "number" sync => crate::experiment::bandit::bandit_discount;
            /// Decisions made so far.
            getter decisions "number" sync => crate::experiment::bandit::bandit_decisions;
            /// Rewards received so far.
            getter updates "number" sync => crate::experiment::bandit::bandit_updates;
        }
        }
    }

    // ---- platform (its own block; keep edits to other blocks out) ----
    /// Platforms, sans I/O: customer data normalised and SHA-256 hashed as Meta and Google
    /// document it (errors name the field, never the value), webhook signatures checked over the
    /// raw body in constant time, a seeded simulated ad market behind the adapter's calls, and
    /// the classifier of vendor errors. A vendor failure is data (`PlatformResult`: `{ ok: false,
    /// error }`), to classify and retry; bad input of the caller's own throws with its `code`.
    #[cfg(feature = "platform")]
    namespace platform {
        /// The normalised text of one customer-data value, before hashing (`'em'`, `'ph'`,
        /// `'fn'`, ...; `options.vendor` `'meta'` by default).
        ///
        /// @example
        /// platform.normalize('ph', '+1 (650) 555-1212'); // '16505551212'
        fn normalize "(field: string, value: string, options?: PiiOptions | null): string" sync => crate::platform::normalize;
        /// SHA-256 (64 lowercase hex digits) of the normalised value; an already hashed value
        /// passes through.
        fn hash "(field: string, value: string, options?: PiiOptions | null): string" sync => crate::platform::hash;
        /// Every field hashed, under the same keys (lists stay lists, Meta only).
        ///
        /// @example
        /// platform.hashUserData({ em: 'Jane@Example.com', ph: '+1 650 555 1212' });
        fn hashUserData "(userData: UserData, options?: PiiOptions | null): UserData" sync => crate::platform::hash_user_data;
        /// Whether the signature header matches the raw body (`false` for a wrong secret, a
        /// changed byte or a stale timestamp); a header that cannot be parsed throws
        /// `invalid_parameter` naming the header.
        ///
        /// @example
        /// platform.verifyWebhook({ scheme: 'shopify', secret, body: rawBody, header: req.headers['x-shopify-hmac-sha256'] });
        fn verifyWebhook "(request: WebhookRequest): boolean" sync => crate::platform::verify_webhook;
        /// A timestamped (Stripe-style) header's verdict, which of signature and window failed
        /// (`request.scheme` must be `'timestamped'`).
        fn checkTimestamped "(request: WebhookRequest): TimestampedVerdict" sync => crate::platform::check_timestamped;
        /// The header value a sender attaches (for tests and simulators).
        fn signWebhook "(request: WebhookSignRequest): string" sync => crate::platform::sign_webhook;
        /// Retry, back off or give up on a vendor failure seen at `nowMs`.
        ///
        /// @example
        /// platform.classify({ kind: 'meta', code: 17 }, Date.now()); // { action: 'back_off', minWaitMs: 60000 }
        fn classify "(error: PlatformError, nowMs: number, classifier?: ClassifierOptions | null): Disposition" sync => crate::platform::classify;
        /// Conversions API request bodies `{ data: [...] }` (at most `batchSize` events each,
        /// 1000 by default): every event checked as Meta checks it (an event more than 7 days
        /// before `nowMs` makes Meta refuse the whole request, so it throws naming
        /// `events[i].event_time`), `user_data` normalised and hashed. `POST` each body to
        /// `/<pixel id>/events`.
        ///
        /// @example
        /// const [body] = platform.metaCapiEvents([{ event_name: 'Purchase', event_time: 1767225600, event_id: 'order-17',
        ///   action_source: 'website', event_source_url: 'https://shop.example/thanks',
        ///   user_data: { em: 'jane@example.com', client_user_agent: ua }, custom_data: { currency: 'USD', value: 42.5 } }]);
        fn metaCapiEvents "(events: CapiEvent[], options?: CapiOptions | null): VendorBody[]" sync => crate::platform::payloads::meta_capi_events;
        /// The Marketing API request applying a budget, bid or status change to a campaign or
        /// ad set whose account bills in `currency`: `{ key, method: 'POST', path, body }`,
        /// amounts in the currency's minor unit (USD cents, JPY yen; Meta's currency table).
        fn metaChangeRequest "(change: Change, currency: string): VendorRequest" sync => crate::platform::payloads::meta_change_request;
        /// GA4 Measurement Protocol `/mp/collect` bodies, the payload's events split 25 to a
        /// body, each checked as GA4 checks it (names, reserved names, lengths, 72-hour
        /// timestamps, 130 kB).
        fn ga4Requests "(payload: Ga4Payload, options?: Ga4Options | null): VendorBody[]" sync => crate::platform::payloads::ga4_requests;
        /// The payload as one `/mp/collect` body (more than 25 events throws).
        fn ga4Body "(payload: Ga4Payload, options?: Ga4Options | null): VendorBody" sync => crate::platform::payloads::ga4_body;
        /// Google Ads `uploadClickConversions` requests `{ path, body }` (at most `batchSize`
        /// conversions each, 2000 by default, `partialFailure: true`), `user_data` as hashed
        /// `userIdentifiers`.
        fn googleAdsClickConversions "(conversions: ClickConversion[], options: ClickConversionOptions): VendorRequest[]" sync => crate::platform::payloads::google_ads_click_conversions;
        /// One person's `userIdentifiers` for enhanced conversions and Customer Match (email,
        /// E.164 phone and address, hashed).
        fn googleAdsUserIdentifiers "(userData: UserData, options?: GoogleEmailOption | null): VendorBody[]" sync => crate::platform::payloads::google_ads_user_identifiers;
        /// Customer Match `create` operations, one per user.
        fn googleAdsCustomerMatch "(users: UserData[], options?: GoogleEmailOption | null): VendorBody[]" sync => crate::platform::payloads::google_ads_customer_match;
        /// Google Ads `mutate` requests `{ path, keys, body }` for budget (`amountMicros`), bid
        /// (`cpcBidMicros`) and status changes, one per customer and resource type, each with
        /// its update mask.
        fn googleAdsMutate "(changes: Change[], options?: MutateOptions | null): VendorRequest[]" sync => crate::platform::payloads::google_ads_mutate;
        /// `ms` (since the epoch) as Google Ads writes a date-time at the account's UTC offset:
        /// `'yyyy-mm-dd hh:mm:ss+hh:mm'`.
        fn googleAdsDateTime "(ms: number, offsetMinutes: number): string" sync => crate::platform::payloads::google_ads_date_time;
        /// The ms since the epoch of a Google Ads date-time (`'2024-03-01 12:32:45-08:00'`).
        fn googleAdsParseDateTime "(text: string): number" sync => crate::platform::payloads::google_ads_parse_date_time;
        /// A Meta Insights API response (`time_increment=1`; one page or a list of pages) as
        /// daily metrics rows, numbers from Meta's strings, conversions and value summed over
        /// `conversionActionTypes`; a malformed field throws naming its path (`data[3].spend`).
        fn metaInsights "(response: object, options: MetaInsightsOptions): MetricsReport" sync => crate::platform::payloads::meta_insights;
        /// A Google Ads `searchStream` (list of batches) or `search` response as daily metrics
        /// rows, spend from `costMicros`.
        fn googleAdsMetrics "(response: object, options?: GoogleAdsMetricsOptions | null): MetricsReport" sync => crate::platform::payloads::google_ads_metrics;
        /// A GA4 Data API `runReport` response (with the entity and `date` dimensions) as daily
        /// metrics rows.
        fn ga4RunReport "(response: object, options?: Ga4ReportOptions | null): MetricsReport" sync => crate::platform::payloads::ga4_run_report;
        classes {
        /// A seeded simulated ad market: campaigns on response curves with weekly seasonality,
        /// noise, reporting delay, rate limits and injected faults; the same seed gives the
        /// same market. Its clock moves only when told.
        ///
        /// @example
        /// const m = new platform.SimMarket({ seed: 7 });
        /// m.runDays(14);
        /// const r = m.readMetrics({ from: '2026-01-05', to: '2026-01-18' });
        /// if (r.ok) r.value.length; // 28
        class SimMarket {
            /// A market at the start of `config.start` (camelCase keys; every key optional).
            new constructor "(config?: SimConfig | null)" sync => crate::platform::sim_new;
            /// Moves to the next midnight, simulating the day that ends. A market simulates at
            /// most 36525 days (100 years) and its clock stays within the years 1 to 9999:
            /// moving past either is `out_of_range` and leaves the market as it was.
            method stepDay "(): void" sync => crate::platform::sim_step_day;
            /// `stepDay()` `n` times (`out_of_range` naming `n` past the market's end).
            method runDays "(n: number): void" sync => crate::platform::sim_run_days;
            /// Moves the clock forward by `ms`, simulating every day whose end is passed
            /// (`out_of_range` naming `ms` past the market's end).
            method advanceMs "(ms: number): void" sync => crate::platform::sim_advance_ms;
            /// A fork of the market: the same state, clock and random streams, so it answers as
            /// this one would from here on (two plans tried from the same day).
            method clone "(): SimMarket" sync => crate::platform::sim_clone;
            /// Daily metrics as the platform reports them now (late conversions still missing;
            /// faults and rate limits apply).
            method readMetrics "(query: MetricsQuery): PlatformResult<MetricsRow[]>" sync => crate::platform::sim_read_metrics;
            /// Every conversion however late its report, without faults or rate limits.
            method trueMetrics "(query: MetricsQuery): MetricsRow[]" sync => crate::platform::sim_true_metrics;
            /// Applies a batch: one result per change (items fail separately); a key seen
            /// before is not applied again.
            method applyChanges "(changes: Change[]): PlatformResult<ChangeResult[]>" sync => crate::platform::sim_apply_changes;
            /// The entity as the platform holds it now, to verify a change.
            method readEntity "(id: string): PlatformResult<EntityState>" sync => crate::platform::sim_read_entity;
            /// Now, ms since the epoch.
            getter nowMs "number" sync => crate::platform::sim_now_ms;
            /// The current day, `'YYYY-MM-DD'` (not yet simulated).
            getter today "string" sync => crate::platform::sim_today;
            /// Every change applied, in order (once per key).
            getter applied "AppliedChange[]" sync => crate::platform::sim_applied;
            /// Every fault that fired, in order.
            getter faultLog "FaultEvent[]" sync => crate::platform::sim_fault_log;
            /// The settings in force, defaults filled in.
            getter config "SimConfig" sync => crate::platform::sim_config;
        }
        }
    }

    // ---- optimize (its own block; keep edits to other blocks out) ----
    /// Response curves, adstock and the media mix model, in pymc-marketing's parameterisations
    /// (Robyn's Hill through `Saturation.robynHill`). Spend is `number[] | Float64Array`, finite
    /// and `>= 0` (`non_finite` / `out_of_range` name `x[i]`).
    #[cfg(feature = "optimize")]
    namespace optimize {
        /// Splits a budget (spend per period) over response curves for the most total response,
        /// within per-channel bounds, a maximum change from current spend and locked channels,
        /// or solves another `scenario`. `channels`: a `FittedMMM` (its steady-state curves,
        /// current spend its mean spend per period) or an array of channels. Concave curves
        /// are solved exactly (KKT residual and duality gap at rounding level), S-shaped Hill
        /// curves by branch and bound to a proven gap (`certificate.suboptimality`). A budget
        /// the bounds cannot hold, or one past what the curves take at any marginal return
        /// above 1e-300, is `invalid_parameter` naming `options.budget` and the constraint; bad
        /// bounds and draws of another kind than the curve name the channel
        /// (`channels[1].upper`, `channels[1].draws[3]`).
        ///
        /// @example
        /// const plan = optimize.allocate([
        ///   { name: 'search', curve: { kind: 'michaelis_menten', alpha: 1, lam: 1 } },
        ///   { name: 'social', curve: { kind: 'michaelis_menten', alpha: 4, lam: 1 } },
        /// ], { budget: 4 });
        /// plan.rows.map((r) => r.spend); // [1, 3]: equal marginal returns
        fn allocate "(channels: FittedMMM | AllocationChannel[], options?: AllocateOptions | null): Allocation" sync => crate::optimize::budget::allocate;
        /// Plans spend over several periods when spend keeps returning in later periods
        /// (adstock): per-period `budgets` (or a `total` over `periods`), spend before the
        /// horizon carried in (`pre`), a seasonal `profile`, the carry-over after the last
        /// period counted (`tail`). Concave curves: the optimum is global, within
        /// `certificate.gap` (a Frank-Wolfe gap). `channels`: a `FittedMMM` (its curves,
        /// adstock and last spends) or an array of channels. Errors name the field
        /// (`channels[1].pre[2]`, `options.profile`, `options.budgets[0]`).
        ///
        /// @example
        /// const p = optimize.plan([
        ///   { name: 'tv', curve: { kind: 'michaelis_menten', alpha: 500, lam: 200 },
        ///     adstock: { kind: 'geometric', alpha: 0.6, lMax: 6, normalize: false } },
        ///   { name: 'search', curve: { kind: 'michaelis_menten', alpha: 300, lam: 80 } },
        /// ], { budgets: [400, 400, 400, 400], profile: [1, 1, 1.5, 1] });
        /// p.spend[1][2] > p.spend[1][1]; // search spends into the sale week
        fn plan "(channels: FittedMMM | PlanChannel[], options: PlanOptions): Plan" sync => crate::optimize::periods::plan;
        /// Recommendations from whatever `inputs` holds, in the order budget, bids, targeting,
        /// creatives: budget moves from the allocation of `inputs.channels` (each with its
        /// current spend) under `inputs.allocate`, with a 90% interval and a confidence from the
        /// curve draws; bid changes for `inputs.contexts` from the `inputs.bids` model; segments
        /// converting worse than the rest (two-proportion z-test, Holm-corrected); creatives
        /// whose click-through rate falls (Mann-Kendall). None steps outside `guardrails` (a
        /// clipped change says so in `clipped` and its `reason`).
        ///
        /// @example
        /// const recs = optimize.recommend({
        ///   channels: [
        ///     { name: 'search', curve: { kind: 'michaelis_menten', alpha: 1, lam: 1 }, current: 2 },
        ///     { name: 'social', curve: { kind: 'michaelis_menten', alpha: 4, lam: 1 }, current: 2 },
        ///   ],
        ///   allocate: { budget: 4 },
        /// }, { maxBudgetChange: 0.3 });
        /// recs.map((r) => [r.target, r.to]); // [['search', 1.4], ['social', 2.6]]: held to 30%
        fn recommend "(inputs: RecommendInputs & { channels?: FittedMMM | AllocationChannel[]; bids?: FittedBids }, guardrails?: Guardrails | null): Recommendation[]" sync => crate::optimize::recommend::recommend;
        /// The insights digest over a metrics table (per channel, per period, oldest first),
        /// ranked by money at stake: significant period-over-period changes in conversions per
        /// unit spent, Mann-Kendall trends in cost per conversion, an anomalous last period
        /// (robust z-score), and one channel's spend moving with another's conversions
        /// (Pearson, Holm-corrected); each one sentence with its numbers and test.
        fn insights "(metrics: ChannelMetricsInput[], options?: InsightsOptions | null): Insight[]" sync => crate::optimize::recommend::insights;
        classes {
        /// A saturation curve: the response to (adstocked) spend `x >= 0`.
        ///
        /// | kind | value `f(x)` | parameters |
        /// |---|---|---|
        /// | `'logistic'` | `beta (1 - e^(-lam x)) / (1 + e^(-lam x))` | `lam > 0`, `beta >= 0` |
        /// | `'hill'` | `beta x^slope / (kappa^slope + x^slope)` | `slope > 0` (`> 1`: S-curve), `kappa > 0`, `beta >= 0` |
        /// | `'michaelis_menten'` | `alpha x / (lam + x)` | `alpha >= 0`, `lam > 0` |
        /// | `'tanh'` | `b tanh(x / (b c))` | `b > 0`, `c > 0` |
        /// | `'power'` | `a x^b` | `a >= 0`, `b` in (0, 1] |
        /// | `'log'` | `beta ln(1 + lam x)` | `beta >= 0`, `lam > 0` |
        ///
        /// @example
        /// const s = new optimize.Saturation({ kind: 'hill', slope: 2, kappa: 100, beta: 50 });
        /// s.value([0, 100, 200]); // Float64Array [0, 25, 40]
        class Saturation {
            /// A curve; an unknown kind or key is `invalid_parameter`, a parameter out of its
            /// range `out_of_range` naming it (`options.kappa`).
            new constructor "(options: SaturationSpec)" sync => crate::optimize::response::saturation_new;
            /// Robyn's `saturation_hill(x, alpha, gamma)` as a Hill curve: `slope = alpha`,
            /// `kappa = (1 - gamma) min(x) + gamma max(x)`, `beta = 1` (`gamma` in (0, 1]).
            statics robynHill "(alpha: number, gamma: number, x: Numbers): Saturation" sync => crate::optimize::response::saturation_robyn_hill;
            /// The response at each spend.
            method value "(x: number | Numbers): Float64Array" sync => crate::optimize::response::saturation_value;
            /// The marginal response `f'(x)` at each spend (`Infinity` at 0 for a Hill curve with
            /// `slope < 1` and a power curve with `b < 1`).
            method derivative "(x: number | Numbers): Float64Array" sync => crate::optimize::response::saturation_derivative;
            /// The spend at which the marginal equals each `m`, on the falling branch: 0 when no
            /// spend is worth `m`, `Infinity` when the marginal never falls to `m`.
            method inverseMarginal "(m: number | Numbers): Float64Array" sync => crate::optimize::response::saturation_inverse_marginal;
            /// The kind, e.g. `'hill'`.
            getter kind "string" sync => crate::optimize::response::saturation_kind;
            /// The parameters by name, e.g. `{ slope, kappa, beta }`.
            getter params "Record<string, number>" sync => crate::optimize::response::saturation_params;
            /// The curve as the object the constructor takes.
            getter spec "SaturationSpec" sync => crate::optimize::response::saturation_spec;
            /// Whether the marginal rises before it falls (a Hill curve with `slope > 1`).
            getter isSShaped "boolean" sync => crate::optimize::response::saturation_is_s_shaped;
            /// The spend where the marginal peaks: the inflection of an S-curve, 0 otherwise.
            getter inflection "number" sync => crate::optimize::response::saturation_inflection;
        }
        /// Carry-over: `apply(x)[t] = sum_l weights[l] x[t - l]`, spend before the window (`pre`,
        /// oldest first) carrying into the first periods.
        ///
        /// | kind | weight `w_l`, `l = 0..lMax-1` | parameters |
        /// |---|---|---|
        /// | `'geometric'` | `alpha^l` | `alpha` in [0, 1] |
        /// | `'delayed'` | `alpha^((l - theta)^2)` | `alpha` in [0, 1], `theta` in [0, lMax - 1] |
        /// | `'weibull_pdf'` | Weibull density at `l + 1`, min-max scaled | `lam > 0`, `k > 0`, `lMax >= 2` |
        /// | `'weibull_cdf'` | Weibull survival, cumulated | `lam > 0`, `k > 0` |
        ///
        /// `lMax` defaults to 8; `normalize` (default `true`, pymc-marketing's) divides the
        /// weights by their sum. Robyn's geometric adstock with `theta` is
        /// `{ kind: 'geometric', alpha: theta, lMax: <the series length>, normalize: false }`.
        class Adstock {
            /// An adstock; an unknown kind or key is `invalid_parameter`, a parameter out of its
            /// range `out_of_range` naming it (`options.lMax`).
            new constructor "(options: AdstockSpec)" sync => crate::optimize::response::adstock_new;
            /// The lag weights `w_0, ..., w_(lMax-1)`.
            method weights "(): Float64Array" sync => crate::optimize::response::adstock_weights;
            /// The adstocked series of `x`, `pre` the spend before it (oldest first).
            method apply "(x: Numbers, pre?: Numbers | null): Float64Array" sync => crate::optimize::response::adstock_apply;
            /// The kind, e.g. `'geometric'`.
            getter kind "string" sync => crate::optimize::response::adstock_kind;
            /// The continuous parameters by name, e.g. `{ alpha }`.
            getter params "Record<string, number>" sync => crate::optimize::response::adstock_params;
            /// The number of lags.
            getter lMax "number" sync => crate::optimize::response::adstock_l_max;
            /// Whether the weights are divided by their sum.
            getter normalize "boolean" sync => crate::optimize::response::adstock_normalize;
            /// The adstock as the object the constructor takes.
            getter spec "AdstockSpec" sync => crate::optimize::response::adstock_spec;
            /// The steady-state gain `sum w`: adstocked spend per period when the same spend runs
            /// every period.
            getter gain "number" sync => crate::optimize::response::adstock_gain;
        }
        /// The media mix model: the outcome regressed on each channel's spend, carried over
        /// (adstock) and saturating, beside an intercept, a trend, Fourier seasonality and
        /// controls; fitted by penalised maximum likelihood (the posterior mode under
        /// pymc-marketing's priors) with Laplace or bootstrap intervals.
        ///
        /// @example
        /// const fit = new optimize.MMM({ lMax: 6, seed: 1 }).fit({ target: sales, channels: { tv, search } });
        /// fit.summary(); // [{ channel: 'tv', share, shareLo, shareHi, roas, mroas, ... }, ...]
        class MMM {
            /// A spec; bad option types throw `invalid_parameter` (ranges are checked by `fit`).
            new constructor "(options?: MMMOptions | null)" sync => crate::optimize::mmm::mmm_new;
            /// Fits the model to `data`: `out_of_range` / `non_finite` naming the column and row
            /// (`data.channels.tv[3]`) or the option (`options.lMax`), `length_mismatch` for
            /// columns of different lengths, `not_enough_data` for fewer rows than parameters.
            method fit "(data: MMMData, options?: MMMFitOptions | null): FittedMMM" long => crate::optimize::mmm::mmm_fit;
        }
        /// Bids from predicted conversion probability: `bid = P(conversion | context) x value
        /// per conversion / target ROAS` (or `x target CPA`). Each factor's levels get
        /// multipliers from an L2-regularised logistic regression of conversion on click
        /// (`glm.LogisticRegression`, scikit-learn's objective) over the outcome cells, shrunk
        /// toward 1 for thin levels (`c` sets how much data it takes); floors, caps and a maximum
        /// change from the current bid apply last.
        ///
        /// @example
        /// const model = new optimize.BidModel({ factors: ['device', 'daypart'], target: { roas: 4 } })
        ///   .fit([{ context: ['mobile', 'evening'], clicks: 4000, conversions: 60, value: 3000 }, ...]);
        /// model.bid(['desktop', 'evening'], 0.25); // { bid, probability, factors, limitedBy, explanation, ... }
        class BidModel {
            /// A spec; a missing `factors` or `target`, or a bad option type, throws
            /// `invalid_parameter` (ranges are checked by `fit`, naming `options.cap`).
            new constructor "(options: BidModelOptions)" sync => crate::optimize::bids::bid_model_new;
            /// Estimates the multipliers from outcome cells: `invalid_parameter` for a context
            /// of the wrong length or conversions above clicks (`cells[2].conversions`), or no
            /// conversions at all; `out_of_range` / `non_finite` for negative or NaN counts.
            method fit "(cells: BidCell[]): FittedBids" sync => crate::optimize::bids::bid_model_fit;
        }
        /// A fitted bid model (from `BidModel.fit`).
        class FittedBids {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::optimize::bids::fitted_new;
            /// Every level's multiplier, factor by factor (levels in first-seen order).
            method multipliers "(): BidLevel[]" sync => crate::optimize::bids::fitted_multipliers;
            /// The bid for a context (one level per factor; a level never seen counts as
            /// average), moving from `current` at most by `maxChange`; its factors multiply out
            /// to `probability / baseProbability`.
            method bid "(context: string[], current?: number | null): BidResult" sync => crate::optimize::bids::fitted_bid;
            /// The fitted model as a JSON document, the one Python's `FittedBids.to_json()`
            /// writes: `JSON.stringify(fitted)` gives its text.
            method toJSON "(): object" sync => crate::optimize::bids::fitted_to_json;
            /// A model from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
            /// document (levels not one list per factor, a negative count, ...) throws
            /// `invalid_parameter`.
            statics fromJSON "(json: string | object): FittedBids" sync => crate::optimize::bids::fitted_from_json;
        }
        /// A fitted media mix model (from `MMM.fit` or `FittedMMM.fromJSON`).
        class FittedMMM {
            /// Not for direct use: throws `invalid_parameter`.
            hidden constructor "()" sync => crate::optimize::mmm::fitted_new;
            /// One row per channel: contribution, share, ROAS and marginal ROAS with `level`
            /// intervals, and the fitted curves.
            method summary "(): MMMChannelSummary[]" sync => crate::optimize::mmm::fitted_summary;
            /// The additive parts of the fit over the training rows.
            method contributions "(): MMMContributions" sync => crate::optimize::mmm::fitted_contributions;
            /// Each channel's contribution band in each training row, from the draws.
            method contributionBands "(): MMMContributionBands" sync => crate::optimize::mmm::fitted_contribution_bands;
            /// Every parameter at the mode with its interval.
            method params "(): MMMParam[]" sync => crate::optimize::mmm::fitted_params;
            /// Every channel's steady-state response curve over `grid` (spend per period).
            method responseCurves "(grid: Numbers): MMMResponseCurve[]" sync => crate::optimize::mmm::fitted_response_curves;
            /// The parts and predictions for new rows (the fit's channels and controls).
            method predict "(data: MMMNewData): MMMContributions" sync => crate::optimize::mmm::fitted_predict;
            /// Channel `channel`'s contribution per period when it spends `plan`, with the
            /// carry-over of the training data's last periods.
            method horizonResponse "(channel: string, plan: Numbers): MMMHorizonResponse" sync => crate::optimize::mmm::fitted_horizon_response;
            /// Channel `channel`'s steady-state response to spend per period (original units) as
            /// one curve, for budget allocation; `null` for a channel that never spends.
            method steadyStateCurve "(channel: string): Saturation | null" sync => crate::optimize::mmm::fitted_steady_state_curve;
            /// Every spending channel as `optimize.allocate` takes it: its steady-state curve and,
            /// as `current`, its mean spend per period (add bounds, then allocate).
            method budgetChannels "(): MMMBudgetChannel[]" sync => crate::optimize::budget::fitted_budget_channels;
            /// The fitted model as a JSON document (the one Python's `FittedMMM.to_json()`
            /// writes, data included): `JSON.stringify(fitted)` gives its text.
            method toJSON "(): object" sync => crate::optimize::mmm::fitted_to_json;
            /// A model from `toJSON()` (object or text) or from Python's `to_json()`: the same
            /// numbers, bit for bit; a damaged document throws `invalid_parameter`.
            statics fromJSON "(json: string | object): FittedMMM" sync => crate::optimize::mmm::fitted_from_json;
            /// Fit diagnostics.
            getter diagnostics "MMMDiagnostics" sync => crate::optimize::mmm::fitted_diagnostics;
            /// How the optimiser ended.
            getter convergence "MMMConvergence" sync => crate::optimize::mmm::fitted_convergence;
            /// What the fit noticed (a channel that never spends, collinear channels, a flat
            /// posterior direction).
            getter warnings "string[]" sync => crate::optimize::mmm::fitted_warnings;
            /// Channel names, in data order.
            getter channels "string[]" sync => crate::optimize::mmm::fitted_channels;
            /// Control names, in data order.
            getter controls "string[]" sync => crate::optimize::mmm::fitted_controls;
        }
        }
    }
    // ---- decide (its own block; keep edits to other blocks out) ----
    /// Decisions: the engine's pure rules (risk levels, auto-approval, staged rollout,
    /// guardrail verdicts) in Node and the browser, and `decide.Engine` (Node only), which
    /// proposes, approves, executes through the adapters, stops, rolls back and audits.
    /// Settings and decisions are the core's documents with camelCase keys; an unknown key
    /// throws `invalid_parameter` naming it (`policy.guardrails.accountDailyCapp`), a value out
    /// of range the core's error naming its field as JS writes it (`policy.risk.lowChange`).
    #[cfg(feature = "decide")]
    namespace decide {
        /// The risk of a proposal: relative change, daily spend at stake and confidence, and the
        /// level the rule gives them (default rule: the core's `RiskRule` table).
        ///
        /// @example
        /// decide.assessRisk({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 }).level; // 'low'
        fn assessRisk "(proposal: Proposal, rule?: RiskRule | null): Risk" sync => crate::decide::assess_risk;
        /// The level for a relative change, a daily spend at stake and a confidence.
        fn riskLevel "(change: number, spend: number, confidence: number, rule?: RiskRule | null): RiskLevel" sync => crate::decide::risk_level;
        /// Whether the policy approves a decision of this risk without a person.
        fn autoApproves "(policy: Policy | null, level: RiskLevel): boolean" sync => crate::decide::auto_approves;
        /// The value after each stage of a change: `[to]`, or for a money change above
        /// `stageAbove`, `[from + firstStage (to - from)` (to cents)`, to]`.
        ///
        /// @example
        /// decide.stages(null, 100, 300); // [150, 300]
        fn stages "(policy: Policy | null, from: DecisionValue, to: DecisionValue): DecisionValue[]" sync => crate::decide::stages;
        /// The policy with every default filled in, after checking every setting.
        fn validatePolicy "(policy: Policy | null): Required<Policy>" sync => crate::decide::validate_policy;
        /// The verdict of the guardrails on one step: pass, block (with the guardrail and the
        /// numbers) or defer (the vendor's change frequency).
        ///
        /// @example
        /// decide.checkGuardrails({ accountDailyCap: 300 }, { entity: 'search', kind: 'budget', current: 100, target: 180,
        ///   exposures: { search: { dailyBudget: 100, active: true }, social: { dailyBudget: 150, active: true } } });
        /// // { verdict: 'block', guardrail: 'account_daily_cap', reason: 'account daily budget would be 330.00, above the cap of 300.00' }
        fn checkGuardrails "(guardrails: DecideGuardrails | null, step: GuardrailStep): Verdict" sync => crate::decide::check_guardrails;
        /// The first daily cap these exposures (entity id -> daily budget and status) breach, or
        /// `null`.
        fn capsBreach "(guardrails: DecideGuardrails | null, exposures: { [entity: string]: Exposure }): { guardrail: string; reason: string } | null" sync => crate::decide::caps_breach;
        /// Why this performance breaches the guard (ROAS or CPA over the lookback), or `null`
        /// (also when the sample is too small to judge).
        fn performanceBreach "(guard: PerformanceGuard | null, performance: Performance): string | null" sync => crate::decide::performance_breach;
        classes {
        /// The decision engine (Node only: the browser build throws `invalid_parameter` naming
        /// `decide.Engine`). Its state and hash-chained audit log live in `store` (a SQLite
        /// file, `':memory:'`, or a `postgresql://` url in a build with PostgreSQL); it acts
        /// through `adapters`: a `platform.SimMarket`, or an object whose methods it calls (see
        /// `DecideAdapter`: a thrown error is a vendor failure, classified and retried by the
        /// policy). The methods that reach the adapter (`propose`, `execute`, `runDue`,
        /// `rollback`, `rollbackSince`, `checkPerformance`, `observe`) have an `...Async` form:
        /// it runs on a worker thread, leaves the event loop free, and awaits adapter methods
        /// that return promises (`fetch`-based adapters; `sleepUntil` may return one too). The
        /// other forms are synchronous and call the adapter in place, so there its methods must
        /// answer synchronously. One call at a time per engine: a call made while another runs
        /// (an adapter calling back into its engine, or two `...Async` calls at once) throws
        /// `invalid_parameter` naming `engine` (busy); await each call before the next.
        ///
        /// @example
        /// const engine = new decide.Engine({ store: ':memory:', adapters: {
        ///   async applyChanges(changes) { return (await fetch(url, { method: 'POST', body: JSON.stringify(changes) })).json(); },
        ///   async readEntity(id) { return (await fetch(`${url}/${id}`)).json(); },
        ///   async readMetrics(query) { return []; },
        /// } });
        /// const d = await engine.proposeAsync({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 });
        /// await engine.executeAsync(d.id); // { outcome: 'executed', verified: true }
        ///
        /// @example
        /// const market = new platform.SimMarket({ seed: 7 });
        /// const engine = new decide.Engine({ store: 'decisions.db', policy: { guardrails: { accountDailyCap: 300 } }, adapters: market });
        /// const d = engine.propose({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 });
        /// if (d.status === 'approved') engine.execute(d.id); // { outcome: 'executed', verified: true }
        /// engine.verify(); // { entries, headSeq, headHash }
        class Engine {
            /// Opens (or creates) the store and checks the policy; `invalid_parameter` names a bad
            /// option (`options.policy.ttlMs`), a store that is not a channelwise store
            /// (`options.store`), or adapters that are neither kind.
            new constructor "(options: EngineOptions<SimMarket | DecideAdapter>)" sync => crate::decide::engine::engine_new;
            /// Proposes a change: approved by the policy when its risk allows, else pending. The
            /// risk is the higher of the change from `from` and from the value last seen.
            method propose "(proposal: Proposal): Decision" both => crate::decide::engine::engine_propose;
            /// The decisions waiting for a person.
            method pending "(): Decision[]" sync => crate::decide::engine::engine_pending;
            /// Every decision, oldest first.
            method decisions "(): Decision[]" sync => crate::decide::engine::engine_decisions;
            /// One decision (`invalid_parameter` naming `decision` for an unknown id).
            method decision "(id: number): Decision" sync => crate::decide::engine::engine_decision;
            /// Approves a pending decision as a named person; an unknown, not pending or expired
            /// decision throws `invalid_parameter` naming `decision`.
            method approve "(id: number, approver: string): Decision" sync => crate::decide::engine::engine_approve;
            /// Rejects a pending decision as a named person, saying why.
            method reject "(id: number, approver: string, reason: string): Decision" sync => crate::decide::engine::engine_reject;
            /// Takes an approved decision one stage further: guardrails, the adapter's apply with
            /// its idempotency key and retries, read-back.
            method execute "(id: number): ExecOutcome" both => crate::decide::engine::engine_execute;
            /// Executes every approved decision that is due (and the next stage of staged ones).
            method runDue "(): (ExecOutcome & { id: number })[]" both => crate::decide::engine::engine_run_due;
            /// The emergency stop: cancels every pending and approved decision and refuses new
            /// ones until `resume`; the ids cancelled.
            method stop "(by: string, reason: string): number[]" sync => crate::decide::engine::engine_stop;
            /// Clears the emergency stop, as a named person.
            method resume "(by: string): void" sync => crate::decide::engine::engine_resume;
            /// The emergency stop, if set.
            method stopped "(): StopState | null" sync => crate::decide::engine::engine_stopped;
            /// Restores the value the entity had before the decision's first stage.
            method rollback "(id: number, by: string): ExecOutcome" both => crate::decide::engine::engine_rollback;
            /// Undoes every stage started at or after `sinceMs`, newest first.
            method rollbackSince "(sinceMs: number, by: string): (ExecOutcome & { id: number })[]" both => crate::decide::engine::engine_rollback_since;
            /// The whole audit log, oldest first (each entry carries the SHA-256 of the previous).
            method audit "(): AuditEntry[]" sync => crate::decide::engine::engine_audit;
            /// Checks the hash chain; an edited, deleted or reordered entry throws naming it.
            method verify "(): ChainSummary" sync => crate::decide::engine::engine_verify;
            /// Records what an executed decision brought, after its window.
            method recordOutcome "(id: number, actual: number, method: string, by: string): Decision" sync => crate::decide::engine::engine_record_outcome;
            /// Expected against measured impact, per decision type.
            method calibration "(): Calibration[]" sync => crate::decide::engine::engine_calibration;
            /// Flags a day (`'YYYY-MM-DD'`) for the anomaly gate.
            method flagAnomaly "(day: string, by: string, reason: string): void" sync => crate::decide::engine::engine_flag_anomaly;
            /// Proposes a pause of every entity that breaches the performance guard.
            method checkPerformance "(): Decision[]" both => crate::decide::engine::engine_check_performance;
            /// The engine's known state of an entity (read from the platform once, then kept).
            method observe "(entity: string): EntityState" both => crate::decide::engine::engine_observe;
            /// The policy in force, defaults filled in.
            getter policy "Required<Policy>" sync => crate::decide::engine::engine_policy;
            /// The store's id: 16 random hex digits the database drew when the store was created,
            /// the same for every process on the store. Every idempotency key the engine sends
            /// starts with it (`${storeId}/d${id}/s${stage}`), so a second store on the same ad
            /// account never sends a key the platform already applied. Empty for a store that
            /// sent keys before stores had ids (its keys stay `d${id}/s${stage}`).
            getter storeId "string" sync => crate::decide::engine::engine_store_id;
        }
        }
    }
}

/// The TypeScript declarations of every option and result type, in a stable order.
pub fn declarations() -> Vec<String> {
    use crate::decl::Declared;
    vec![
        attr::CiOptions::declaration(),
        attr::HeuristicsOptions::declaration(),
        attr::MarkovOptions::declaration(),
        attr::MarkovSpec::declaration(),
        attr::SepOption::declaration(),
        attr::ShapleyOptions::declaration(),
        attr::MarkovShapleyOptions::declaration(),
        attr::TimeDecayOptions::declaration(),
        attr::PathCsvOptions::declaration(),
        attr::HeuristicRow::declaration(),
        attr::MarkovRow::declaration(),
        attr::CreditRow::declaration(),
        attr::OrderedRow::declaration(),
        attr::TransitionRow::declaration(),
        attr::PathTableData::declaration(),
        journey::JourneyOptions::declaration(),
        journey::MergeOptions::declaration(),
        journey::BuildReport::declaration(),
        journey::PathTableColumns::declaration(),
        crate::progress::ProgressReport::declaration(),
        // ---- stats types ----
        stats::TREND_TS.to_string(),
        stats::Correlation::declaration(),
        stats::CrossCorrelation::declaration(),
        stats::MannKendall::declaration(),
        stats::TheilSen::declaration(),
        stats::AlphaOption::declaration(),
        // ---- forecast types ----
        crate::forecast::ets::FitManyOptions::declaration(),
        crate::forecast::metrics::MaseOptions::declaration(),
        crate::forecast::metrics::RollingOriginErrors::declaration(),
        crate::forecast::metrics::FIT_PREDICT_TS.to_string(),
        crate::forecast::ets::EtsOptions::declaration(),
        crate::forecast::ets::AutoEtsOptions::declaration(),
        crate::forecast::ets::PredictOptions::declaration(),
        crate::forecast::ets::EtsParams::declaration(),
        crate::forecast::ets::EtsInterval::declaration(),
        crate::forecast::ets::EtsPrediction::declaration(),
        crate::forecast::decompose::StlOptions::declaration(),
        crate::forecast::decompose::MstlOptions::declaration(),
        crate::forecast::decompose::StlDecomposition::declaration(),
        crate::forecast::decompose::MstlDecomposition::declaration(),
        // ---- anomaly types ----
        crate::anomaly::MATRIX_DECLARATION.to_string(),
        crate::anomaly::IsolationForestOptions::declaration(),
        crate::anomaly::MadOutliersOptions::declaration(),
        crate::anomaly::HampelOptions::declaration(),
        crate::anomaly::ESD_DIRECTION_DECLARATION.to_string(),
        crate::anomaly::EsdOptions::declaration(),
        crate::anomaly::seasonal_esd_options_declaration(),
        crate::anomaly::AlertOptions::declaration(),
        crate::anomaly::ResidualSeries::declaration(),
        crate::anomaly::MadOutliers::declaration(),
        crate::anomaly::HampelResult::declaration(),
        crate::anomaly::EsdAnomaly::declaration(),
        crate::anomaly::EsdTest::declaration(),
        crate::anomaly::SeasonalEsdTest::declaration(),
        crate::anomaly::ResidualAlert::declaration(),
        // ---- optimize types ----
        crate::optimize::response::SaturationSpec::declaration(),
        crate::optimize::response::AdstockSpec::declaration(),
    ]
    .into_iter()
    .chain(crate::optimize::mmm::declarations())
    .chain(crate::optimize::budget::declarations())
    .chain(crate::optimize::periods::declarations())
    .chain(crate::optimize::recommend::declarations())
    .chain(crate::optimize::bids::declarations())
    .chain([crate::glm::LogisticOptions::declaration()])
    .chain(crate::clv::declarations())
    // ---- leads types ----
    .chain(crate::leads::declarations())
    .chain(crate::leads::predictive::declarations())
    // ---- platform types ----
    .chain(crate::platform::declarations())
    // ---- experiment types ----
    .chain(crate::experiment::declarations())
    // ---- decide types ----
    .chain(crate::decide::declarations())
    .collect()
}
