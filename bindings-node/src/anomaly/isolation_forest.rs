//! `anomaly.IsolationForest` / `anomaly.FittedIsolationForest` (scikit-learn's parameters and
//! score signs) and `anomaly.averagePathLength`.
//!
//! A matrix is `number[][]` (rows) or a flat row-major `number[] | Float64Array` with
//! `nFeatures` (scoring a flat matrix defaults to the training data's column count).

use channelwise::anomaly::{
    average_path_length as core_apl, Contamination, FittedIsolationForest, IsolationForest,
    MaxFeatures, MaxSamples,
};
use channelwise::Error;
use napi::bindgen_prelude::{AsyncTask, Float64Array, Int8Array, Object, Unknown};
use napi::ValueType;
use napi_derive::napi;

use crate::convert::{self, opt};
use crate::error::{guard, run, Result};
use crate::task::Compute;

const OPTIONS: &[&str] = &[
    "nEstimators",
    "maxSamples",
    "contamination",
    "maxFeatures",
    "bootstrap",
    "seed",
];

/// `maxSamples`: `'auto'`, a whole number (count) or `{ fraction }`.
fn max_samples(v: Unknown<'_>, field: &str) -> channelwise::Result<MaxSamples> {
    match v.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::String => match convert::string(v, field)?.as_str() {
            "auto" => Ok(MaxSamples::Auto),
            other => Err(Error::InvalidParameter {
                field: field.into(),
                value: other.into(),
                reason: "expected 'auto', a whole number (count) or { fraction }".into(),
            }),
        },
        ValueType::Number => Ok(MaxSamples::Count(convert::size(v, field)?)),
        _ => {
            let o = convert::options(Some(v), field, &["fraction"])?;
            let inner = format!("{field}.fraction");
            let f = convert::get(o.as_ref(), "fraction", &inner)?.ok_or_else(|| {
                Error::InvalidParameter {
                    field: inner.clone(),
                    value: "undefined".into(),
                    reason: "expected 'auto', a whole number (count) or { fraction }".into(),
                }
            })?;
            Ok(MaxSamples::Fraction(convert::number(f, &inner)?))
        }
    }
}

/// `contamination`: `'auto'` or a number in (0, 0.5].
fn contamination(v: Unknown<'_>, field: &str) -> channelwise::Result<Contamination> {
    if v.get_type().ok() == Some(ValueType::String) {
        return match convert::string(v, field)?.as_str() {
            "auto" => Ok(Contamination::Auto),
            other => Err(Error::InvalidParameter {
                field: field.into(),
                value: other.into(),
                reason: "expected 'auto' or a number in (0, 0.5]".into(),
            }),
        };
    }
    Ok(Contamination::Fraction(convert::number(v, field)?))
}

/// `maxFeatures`: a number in (0, 1] (fraction) or `{ count }`.
fn max_features(v: Unknown<'_>, field: &str) -> channelwise::Result<MaxFeatures> {
    if v.get_type().ok() == Some(ValueType::Number) {
        return Ok(MaxFeatures::Fraction(convert::number(v, field)?));
    }
    let o = convert::options(Some(v), field, &["count"])?;
    let inner = format!("{field}.count");
    let c = convert::get(o.as_ref(), "count", &inner)?.ok_or_else(|| Error::InvalidParameter {
        field: inner.clone(),
        value: "undefined".into(),
        reason: "expected a number in (0, 1] (fraction) or { count }".into(),
    })?;
    Ok(MaxFeatures::Count(convert::size(c, &inner)?))
}

fn spec(opts: Option<&Object<'_>>) -> channelwise::Result<IsolationForest> {
    let mut s = IsolationForest::default();
    if let Some(n) = opt(opts, "nEstimators", convert::size)? {
        s = s.n_estimators(n);
    }
    if let Some(m) = opt(opts, "maxSamples", max_samples)? {
        s = s.max_samples(m);
    }
    if let Some(c) = opt(opts, "contamination", contamination)? {
        s = s.contamination(c);
    }
    if let Some(m) = opt(opts, "maxFeatures", max_features)? {
        s = s.max_features(m);
    }
    if let Some(b) = opt(opts, "bootstrap", convert::boolean)? {
        s = s.bootstrap(b);
    }
    if let Some(seed) = opt(opts, "seed", convert::unsigned)? {
        s = s.seed(seed);
    }
    Ok(s)
}

/// Isolation forest spec: `new IsolationForest({ nEstimators, maxSamples, contamination,
/// maxFeatures, bootstrap, seed }).fit(x, nFeatures?)`.
#[napi(js_name = "IsolationForest", namespace = "anomaly")]
pub struct JsIsolationForest {
    spec: IsolationForest,
}

#[napi(namespace = "anomaly")]
impl JsIsolationForest {
    /// A spec; defaults `nEstimators: 100`, `maxSamples: 'auto'` (min(256, rows)),
    /// `contamination: 'auto'` (offset -0.5), `maxFeatures: 1.0`, `bootstrap: false`, `seed: 0`.
    #[napi(constructor)]
    pub fn new(options: Option<Unknown<'_>>) -> Result<Self> {
        guard(|| {
            let opts = convert::options(options, "options", OPTIONS)?;
            Ok(JsIsolationForest {
                spec: spec(opts.as_ref())?,
            })
        })
    }

    /// Grows the forest on `x` (rows, or flat row-major with `nFeatures`).
    #[napi]
    pub fn fit(
        &self,
        x: Unknown<'_>,
        n_features: Option<Unknown<'_>>,
    ) -> Result<JsFittedIsolationForest> {
        guard(|| {
            let (x, k) = convert::matrix(x, n_features, None)?;
            Ok(JsFittedIsolationForest {
                inner: self.spec.fit(&x, k)?,
            })
        })
    }

    /// [`fit`](Self::fit) on a pool thread.
    #[napi(js_name = "fitAsync")]
    pub fn fit_async(
        &self,
        x: Unknown<'_>,
        n_features: Option<Unknown<'_>>,
    ) -> AsyncTask<Compute<JsFittedIsolationForest>> {
        let spec = self.spec;
        AsyncTask::new(Compute::new(run(|| {
            let (x, k) = convert::matrix(x, n_features, None)?;
            Ok(move || {
                Ok(JsFittedIsolationForest {
                    inner: spec.fit(&x, k)?,
                })
            })
        })))
    }
}

/// A fitted isolation forest (made by `IsolationForest.fit`).
#[napi(js_name = "FittedIsolationForest", namespace = "anomaly")]
pub struct JsFittedIsolationForest {
    inner: FittedIsolationForest,
}

impl JsFittedIsolationForest {
    fn read(
        &self,
        x: Unknown<'_>,
        n_features: Option<Unknown<'_>>,
    ) -> channelwise::Result<(Vec<f64>, usize)> {
        convert::matrix(x, n_features, Some(self.inner.n_features()))
    }
}

#[napi(namespace = "anomaly")]
impl JsFittedIsolationForest {
    /// Not for direct use: a fitted forest comes from `IsolationForest.fit`.
    #[napi(constructor)]
    pub fn new() -> Result<Self> {
        guard(|| {
            Err(Error::InvalidParameter {
                field: "FittedIsolationForest".into(),
                value: "new FittedIsolationForest()".into(),
                reason: "a fitted forest is made by new IsolationForest(options).fit(x)".into(),
            })
        })
    }

    /// scikit-learn's `score_samples`: in [-1, 0], lower is more abnormal.
    #[napi(js_name = "scoreSamples")]
    pub fn score_samples(
        &self,
        x: Unknown<'_>,
        n_features: Option<Unknown<'_>>,
    ) -> Result<Float64Array> {
        guard(|| {
            let (x, k) = self.read(x, n_features)?;
            Ok(Float64Array::new(self.inner.score_samples(&x, k)?))
        })
    }

    /// `scoreSamples - offset`: negative for outliers.
    #[napi(js_name = "decisionFunction")]
    pub fn decision_function(
        &self,
        x: Unknown<'_>,
        n_features: Option<Unknown<'_>>,
    ) -> Result<Float64Array> {
        guard(|| {
            let (x, k) = self.read(x, n_features)?;
            Ok(Float64Array::new(self.inner.decision_function(&x, k)?))
        })
    }

    /// `1` for an inlier, `-1` for an outlier (decision function below 0).
    #[napi]
    pub fn predict(&self, x: Unknown<'_>, n_features: Option<Unknown<'_>>) -> Result<Int8Array> {
        guard(|| {
            let (x, k) = self.read(x, n_features)?;
            Ok(Int8Array::new(self.inner.predict(&x, k)?))
        })
    }

    /// Threshold on the scores: -0.5 for `contamination: 'auto'`, else the contamination
    /// percentile of the training scores.
    #[napi(getter)]
    pub fn offset(&self) -> Result<f64> {
        guard(|| Ok(self.inner.offset()))
    }
}

/// `c(n)`: the average path length of an unsuccessful binary-search-tree search among `n`
/// points (the isolation forest's normaliser).
#[napi(namespace = "anomaly", js_name = "averagePathLength")]
pub fn average_path_length(n: Unknown<'_>) -> Result<f64> {
    guard(|| Ok(core_apl(convert::size(n, "n")?)))
}
