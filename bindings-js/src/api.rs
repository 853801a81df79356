//! The JS API itself: every function and class, declared once ([`api!`]), dispatched by id
//! ([`dispatch`]), described for the shared JS wrapper ([`crate::dts::surface`]) and in
//! TypeScript ([`crate::dts::generate`]).
//!
//! An export is a Rust function `fn<H: Host>(h: H, args: &[H::V]) -> Result<Job>`: it reads its
//! arguments on the JS thread and returns the work still to do, which the host runs right away
//! (sync calls), on a worker thread (Node's `...Async`), and turns into JS values with [`emit`](crate::out::emit).
//! Methods get their object's handle as `args[0]`.

use std::any::Any;
use std::sync::Arc;

use channelwise::{Error, ErrorKind, Result};

use crate::host::Host;
use crate::out::{IntoOut, Out};
use crate::read;

/// The work of a call, after its arguments were read.
pub type Job = Box<dyn FnOnce() -> Result<Out> + Send>;

/// Wraps the rest of a call as a [`Job`].
pub fn job<T: IntoOut + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<Job> {
    Ok(Box::new(move || f().map(IntoOut::into_out)))
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

fn short_type<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// A fitted model as JSON text (the document the Python binding's `to_json()` writes).
pub fn to_json<T: serde::Serialize>(model: &T) -> Result<String> {
    serde_json::to_string(model).map_err(|e| Error::Internal(format!("serialising: {e}")))
}

/// A fitted model from JSON text; a damaged document is `invalid_parameter` naming `json`.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str::<T>(text).map_err(|e| Error::InvalidParameter {
        field: "json".into(),
        value: text.chars().take(40).collect(),
        reason: e.to_string(),
    })
}

/// `errorCodes()`.
fn error_codes<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    job(|| Ok(ErrorKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>()))
}

/// `version()`.
fn version<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    job(|| Ok(env!("CARGO_PKG_VERSION")))
}

/// One function or class member, as declared.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// `function`, `new`, `method`, `getter` or `static`.
    pub kind: &'static str,
    /// The JS name.
    pub name: &'static str,
    /// Its TypeScript signature: `(a: A, b?: B): R` (a getter: the type).
    pub ts: &'static str,
    /// Its doc comment lines.
    pub doc: &'static [&'static str],
    /// Whether a `...Async` twin exists (runs on a worker thread in Node).
    pub also_async: bool,
}

impl Member {
    /// Index of the `table: PathTableInput` parameter, if the member takes one.
    pub fn table_arg(&self) -> Option<usize> {
        let params = self.ts.strip_prefix('(')?.split_once(')')?.0;
        params
            .split(", ")
            .position(|p| p.starts_with("table: PathTableInput"))
    }

    /// The declared return type.
    pub fn returns(&self) -> &'static str {
        match self.kind {
            "getter" => self.ts,
            _ => self.ts.rsplit_once("): ").map_or("void", |(_, r)| r),
        }
    }
}

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
    /// The JS name.
    pub name: &'static str,
    /// Its doc comment lines.
    pub doc: &'static [&'static str],
    /// Its functions.
    pub functions: &'static [Member],
    /// Its classes.
    pub classes: &'static [Class],
}

/// Declares the JS API: namespaces of functions and classes, each member with its TypeScript
/// signature and the Rust function behind it. Generates [`dispatch`] and [`NAMESPACES`].
macro_rules! api {
    (
        $(
            $(#[doc = $nsdoc:literal])*
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
            }
        )*
    ) => {
        /// Runs the export `id` (`"attribution.markov"`, `"attribution.Markov.fit"`): its
        /// arguments are read now, the rest is the returned [`Job`]. `None` for an unknown id.
        pub fn dispatch<H: Host>(h: H, id: &str, a: &[H::V]) -> Option<Result<Job>> {
            Some(match id {
                "errorCodes" => error_codes(h, a),
                "version" => version(h, a),
                $(
                    $( concat!(stringify!($ns), ".", stringify!($fname)) => $ff(h, a), )*
                    $( $( concat!(stringify!($ns), ".", stringify!($cname), ".", stringify!($mname)) => $mf(h, a), )* )*
                )*
                _ => return None,
            })
        }

        /// Every namespace of the API, in declaration order.
        pub const NAMESPACES: &[Namespace] = &[ $(
            Namespace {
                name: stringify!($ns),
                doc: &[$($nsdoc),*],
                functions: &[ $( Member {
                    kind: "function",
                    name: stringify!($fname),
                    ts: $fts,
                    doc: &[$($fdoc),*],
                    also_async: api!(@async $fasync),
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
                    }, )* ],
                }, )* ],
            },
        )* ];
    };
    (@async sync) => { false };
    (@async both) => { true };
    (@kind new) => { "new" };
    (@kind method) => { "method" };
    (@kind getter) => { "getter" };
    (@kind statics) => { "static" };
}

use crate::{attribution as attr, journey, stats};

api! {
    /// Multi-touch attribution over a path table `{ path, conversions, nulls?, value? }`:
    /// heuristics, Markov chains, Shapley values, time decay.
    namespace attribution {
        /// Rule-based credit (first/last touch, linear, U- and W-shaped), one row per channel.
        fn heuristics "(table: PathTableInput, options?: HeuristicsOptions | null): HeuristicRow[]" both => attr::heuristics;
        /// Markov-chain removal effects and credit, one row per channel (with bootstrap
        /// intervals when `ci` is given).
        fn markov "(table: PathTableInput, options?: MarkovOptions | null): MarkovRow[]" both => attr::markov;
        /// Closed-form Shapley credit of the subset game, one row per channel.
        fn shapley "(table: PathTableInput, options?: ShapleyOptions | null): CreditRow[]" both => attr::shapley_credit;
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
            new constructor "()" sync => attr::fitted_markov_new;
            /// Removal effects and credit, one row per channel.
            method credit "(): MarkovRow[]" sync => attr::fitted_markov_credit;
            /// The nonzero transitions, rows in state order.
            method transitions "(): TransitionRow[]" sync => attr::fitted_markov_transitions;
            /// Shapley credit of the Markov game (`{ method: "exact" | "sampled", permutations, seed }`).
            method shapley "(options?: MarkovShapleyOptions | null): CreditRow[]" both => attr::fitted_markov_shapley;
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

    // ---- anomaly (its own block; keep edits to other blocks out) ----
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
        journey::BuildReport::declaration(),
        journey::PathTableColumns::declaration(),
        // ---- stats types ----
        stats::TREND_TS.to_string(),
        stats::Correlation::declaration(),
        stats::CrossCorrelation::declaration(),
        stats::MannKendall::declaration(),
        stats::TheilSen::declaration(),
        stats::AlphaOption::declaration(),
        // ---- forecast types ----
        // ---- anomaly types ----
    ]
}
