//! `anomaly.*`: the isolation forest, the robust detectors (MAD, Hampel, generalized and
//! seasonal ESD) and forecast-residual alerts (the core's [`channelwise::anomaly`]), with the
//! Node binding's names and shapes.
//!
//! A fitted forest lives in the wasm instance as [`ForestModel`], wrapped by the JS class
//! `FittedIsolationForest` in `js/index.js`. Matrices are `number[][]` rows or a flat row-major
//! `number[] | Float64Array` with `nFeatures` columns.

use channelwise::anomaly::residual::residual_alerts;
use channelwise::anomaly::robust::{
    self, Direction, Esd, EsdResult, Hampel, MadDetector, SeasonalEsd,
};
use channelwise::anomaly::{
    average_path_length, Contamination, FittedIsolationForest, IsolationForest, MaxFeatures,
    MaxSamples,
};
use channelwise::Error;
use js_sys::{Int8Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{self, given, Opts};
use crate::error::{guard, invalid, Result};
use crate::ets::{alerts_js, f64s, level_option};
use crate::values::{array, set, set_num, JsResult};

/// Most trees: each holds up to `2 max_samples` nodes, and wasm32 memory ends at 4 GiB, where
/// an allocation failure is a trap, not an error.
const MAX_ESTIMATORS: usize = 10_000;

type NumResult = std::result::Result<f64, JsValue>;

fn indices(xs: &[usize]) -> JsValue {
    array(xs.iter().map(|&i| JsValue::from_f64(i as f64)))
}

// ---------------------------------------------------------------------------------------------
// Isolation forest

const FOREST_KEYS: &[&str] = &[
    "nEstimators",
    "maxSamples",
    "contamination",
    "maxFeatures",
    "bootstrap",
    "seed",
];

/// `{ fraction }` (the only key) at `field`.
fn fraction_object(v: &JsValue, field: &'static str) -> Result<f64> {
    let o = Opts::new(v, field, &["fraction"])?;
    o.number("fraction")?.ok_or_else(|| {
        invalid(
            format!("{field}.fraction"),
            &JsValue::UNDEFINED,
            "required, but missing",
        )
    })
}

fn forest_spec(options: &JsValue) -> Result<IsolationForest> {
    let o = Opts::new(options, "options", FOREST_KEYS)?;
    let mut f = IsolationForest::default();
    if let Some(n) = o.size("nEstimators")? {
        if n > MAX_ESTIMATORS {
            return Err(Error::OutOfRange {
                field: "options.nEstimators".into(),
                value: n as f64,
                min: 1.0,
                max: MAX_ESTIMATORS as f64,
            });
        }
        f = f.n_estimators(n);
    }
    if let Some(v) = o.get("maxSamples")? {
        let field = o.field("maxSamples");
        let m = if v.as_string().as_deref() == Some("auto") {
            MaxSamples::Auto
        } else if v.as_f64().is_some() {
            MaxSamples::Count(convert::size(&v, &field)?)
        } else if v.is_object() {
            MaxSamples::Fraction(fraction_object(&v, "options.maxSamples")?)
        } else {
            return Err(invalid(
                field,
                &v,
                "expected 'auto', a whole count or { fraction }",
            ));
        };
        f = f.max_samples(m);
    }
    if let Some(v) = o.get("contamination")? {
        let c = if v.as_string().as_deref() == Some("auto") {
            Contamination::Auto
        } else if let Some(x) = v.as_f64() {
            Contamination::Fraction(x)
        } else {
            return Err(invalid(
                o.field("contamination"),
                &v,
                "expected 'auto' or a fraction in (0, 0.5]",
            ));
        };
        f = f.contamination(c);
    }
    if let Some(v) = o.get("maxFeatures")? {
        let m = if let Some(x) = v.as_f64() {
            MaxFeatures::Fraction(x)
        } else if v.is_object() {
            let c = Opts::new(&v, "options.maxFeatures", &["count"])?;
            let n = c.size("count")?.ok_or_else(|| {
                invalid(
                    "options.maxFeatures.count",
                    &JsValue::UNDEFINED,
                    "required, but missing",
                )
            })?;
            MaxFeatures::Count(n)
        } else {
            return Err(invalid(
                o.field("maxFeatures"),
                &v,
                "expected a fraction in (0, 1] or { count }",
            ));
        };
        f = f.max_features(m);
    }
    if let Some(b) = o.boolean("bootstrap")? {
        f = f.bootstrap(b);
    }
    if let Some(seed) = o.unsigned("seed")? {
        f = f.seed(seed);
    }
    Ok(f)
}

/// A matrix from `number[][]` rows, or a flat row-major column with `nFeatures` columns.
fn matrix(x: &JsValue, n_features: &JsValue) -> Result<(Vec<f64>, usize)> {
    let nf = given(n_features.clone())
        .map(|v| convert::size(&v, "nFeatures"))
        .transpose()?;
    if convert::array(x, "x")? {
        let rows = convert::elements(x, "x")?;
        let nested = rows.first().is_some_and(|r| {
            convert::array(r, "x[0]").unwrap_or(false) || js_sys::ArrayBuffer::is_view(r)
        });
        if nested {
            let mut flat = Vec::new();
            let mut width = None;
            for (i, r) in rows.iter().enumerate() {
                let row = convert::column(r, &format!("x[{i}]"))?;
                let w = *width.get_or_insert(row.len());
                if row.len() != w {
                    return Err(Error::LengthMismatch {
                        field: format!("x[{i}]"),
                        expected: w,
                        got: row.len(),
                    });
                }
                flat.extend_from_slice(&row);
            }
            let w = width.unwrap_or(0);
            if let Some(nf) = nf {
                if nf != w {
                    return Err(Error::LengthMismatch {
                        field: "nFeatures".into(),
                        expected: w,
                        got: nf,
                    });
                }
            }
            return Ok((flat, w));
        }
    }
    let flat = convert::column(x, "x")?;
    match nf {
        Some(nf) => Ok((flat, nf)),
        None if flat.is_empty() => Ok((flat, 1)),
        None => Err(invalid(
            "nFeatures",
            &JsValue::UNDEFINED,
            "required with a flat row-major x (or pass x as number[][] rows)",
        )),
    }
}

/// Validates `new anomaly.IsolationForest(options)` without data.
#[wasm_bindgen(js_name = anomalyIsolationForestSpec)]
pub fn anomaly_isolation_forest_spec(options: JsValue) -> std::result::Result<(), JsValue> {
    guard(|| forest_spec(&options).map(|_| ()))
}

/// `new anomaly.IsolationForest(options).fit(x, nFeatures?)`.
#[wasm_bindgen(js_name = anomalyIsolationForestFit)]
pub fn anomaly_isolation_forest_fit(
    options: JsValue,
    x: JsValue,
    n_features: JsValue,
) -> std::result::Result<ForestModel, JsValue> {
    guard(|| {
        let spec = forest_spec(&options)?;
        let (x, nf) = matrix(&x, &n_features)?;
        Ok(ForestModel {
            fit: spec.fit(&x, nf)?,
        })
    })
}

/// A fitted isolation forest held in the wasm instance (wrapped by `FittedIsolationForest`).
#[wasm_bindgen]
pub struct ForestModel {
    fit: FittedIsolationForest,
}

#[wasm_bindgen]
impl ForestModel {
    /// scikit-learn's `score_samples`: in `[-1, 0]`, lower is more abnormal.
    #[wasm_bindgen(js_name = scoreSamples)]
    pub fn score_samples(&self, x: JsValue, n_features: JsValue) -> JsResult {
        guard(|| {
            let (x, nf) = matrix(&x, &n_features)?;
            Ok(f64s(&self.fit.score_samples(&x, nf)?))
        })
    }

    /// `scoreSamples - offset`: negative for outliers.
    #[wasm_bindgen(js_name = decisionFunction)]
    pub fn decision_function(&self, x: JsValue, n_features: JsValue) -> JsResult {
        guard(|| {
            let (x, nf) = matrix(&x, &n_features)?;
            Ok(f64s(&self.fit.decision_function(&x, nf)?))
        })
    }

    /// `1` inlier, `-1` outlier, as an `Int8Array`.
    pub fn predict(&self, x: JsValue, n_features: JsValue) -> JsResult {
        guard(|| {
            let (x, nf) = matrix(&x, &n_features)?;
            Ok(Int8Array::from(self.fit.predict(&x, nf)?.as_slice()).into())
        })
    }

    /// `{ offset, nFeatures, nEstimators, maxSamples, maxFeatures, maxDepth }`.
    pub fn info(&self) -> JsValue {
        let f = &self.fit;
        let o = Object::new();
        set_num(&o, "offset", f.offset());
        set_num(&o, "nFeatures", f.n_features() as f64);
        set_num(&o, "nEstimators", f.n_estimators() as f64);
        set_num(&o, "maxSamples", f.max_samples() as f64);
        set_num(&o, "maxFeatures", f.max_features() as f64);
        set_num(&o, "maxDepth", f.max_depth() as f64);
        o.into()
    }
}

/// `c(n)`, the average path length of an unsuccessful BST search (scikit-learn's).
#[wasm_bindgen(js_name = anomalyAveragePathLength)]
pub fn anomaly_average_path_length(n: JsValue) -> NumResult {
    guard(|| Ok(average_path_length(convert::size(&n, "n")?)))
}

// ---------------------------------------------------------------------------------------------
// Robust detectors

/// The normal-consistent MAD of `x`.
#[wasm_bindgen(js_name = anomalyMad)]
pub fn anomaly_mad(x: JsValue) -> NumResult {
    guard(|| robust::mad(&convert::column(&x, "x")?))
}

/// Robust z-scores: `{ median, mad, scale, scores, outliers, nOutliers }`.
#[wasm_bindgen(js_name = anomalyMadOutliers)]
pub fn anomaly_mad_outliers(x: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["threshold"])?;
        let mut d = MadDetector::new();
        if let Some(t) = o.number("threshold")? {
            d = d.threshold(t);
        }
        let r = d.detect(&convert::column(&x, "x")?)?;
        let out = Object::new();
        set_num(&out, "median", r.median);
        set_num(&out, "mad", r.mad);
        set_num(&out, "scale", r.scale);
        set(&out, "scores", &f64s(&r.scores));
        set(&out, "outliers", &indices(&r.outliers));
        set_num(&out, "nOutliers", r.outliers.len() as f64);
        Ok(out.into())
    })
}

/// The Hampel filter: `{ filtered, outliers, nOutliers, isOutlier, medians, scales }`.
#[wasm_bindgen(js_name = anomalyHampel)]
pub fn anomaly_hampel(x: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["halfWindow", "nSigmas"])?;
        let k = o.size("halfWindow")?.unwrap_or(3);
        let t = o.number("nSigmas")?.unwrap_or(3.0);
        let r = Hampel::new(k, t).detect(&convert::column(&x, "x")?)?;
        let out = Object::new();
        set(&out, "filtered", &f64s(&r.filtered));
        set(&out, "outliers", &indices(&r.outliers));
        set_num(&out, "nOutliers", r.outliers.len() as f64);
        set(
            &out,
            "isOutlier",
            &array(r.is_outlier.iter().map(|&b| JsValue::from_bool(b))),
        );
        set(&out, "medians", &f64s(&r.medians));
        set(&out, "scales", &f64s(&r.scales));
        Ok(out.into())
    })
}

/// `{ maxAnoms, alpha, direction }` (+ `period` for the seasonal test).
struct EsdOptions {
    max_anoms: f64,
    alpha: f64,
    direction: Direction,
}

fn esd_options(o: &Opts) -> Result<EsdOptions> {
    Ok(EsdOptions {
        max_anoms: o.number("maxAnoms")?.unwrap_or(0.1),
        alpha: o.number("alpha")?.unwrap_or(0.05),
        direction: match o.string("direction")? {
            Some(d) => d.parse()?,
            None => Direction::Both,
        },
    })
}

/// The ESD fields: `{ anomalies, indices, nAnomalies, statistics, criticalValues, removed }`.
fn esd_object(r: &EsdResult) -> Object {
    let out = Object::new();
    let anomalies = r.anomalies.iter().map(|a| {
        let o = Object::new();
        set_num(&o, "index", a.index as f64);
        set_num(&o, "value", a.value);
        set_num(&o, "expected", a.expected);
        set_num(&o, "score", a.score);
        set_num(&o, "step", a.step as f64);
        JsValue::from(o)
    });
    set(&out, "anomalies", &array(anomalies));
    set(&out, "indices", &indices(&r.indices()));
    set_num(&out, "nAnomalies", r.n_anomalies as f64);
    set(&out, "statistics", &f64s(&r.statistics));
    set(&out, "criticalValues", &f64s(&r.critical_values));
    set(&out, "removed", &indices(&r.removed));
    out
}

/// The generalized ESD test (Rosner 1983).
#[wasm_bindgen(js_name = anomalyEsd)]
pub fn anomaly_esd(x: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["maxAnoms", "alpha", "direction"])?;
        let e = esd_options(&o)?;
        let r = Esd::new()
            .max_anoms(e.max_anoms)
            .alpha(e.alpha)
            .direction(e.direction)
            .detect(&convert::column(&x, "x")?)?;
        Ok(esd_object(&r).into())
    })
}

/// The seasonal hybrid ESD (Twitter's AnomalyDetection): the ESD fields plus `{ seasonal,
/// median, resid }`.
#[wasm_bindgen(js_name = anomalySeasonalEsd)]
pub fn anomaly_seasonal_esd(x: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(
            &options,
            "options",
            &["period", "maxAnoms", "alpha", "direction"],
        )?;
        let period = o.size("period")?.ok_or_else(|| {
            invalid(
                "options.period",
                &JsValue::UNDEFINED,
                "required, but missing",
            )
        })?;
        let e = esd_options(&o)?;
        let r = SeasonalEsd::new(period)
            .max_anoms(e.max_anoms)
            .alpha(e.alpha)
            .direction(e.direction)
            .detect(&convert::column(&x, "x")?)?;
        let out = esd_object(&r.esd);
        set(&out, "seasonal", &f64s(&r.seasonal));
        set_num(&out, "median", r.median);
        set(&out, "resid", &f64s(&r.resid));
        Ok(out.into())
    })
}

/// Actuals outside `[lower, upper]`: `[{ index, actual, expected, lower, upper, level, score,
/// direction, reason }]`.
#[wasm_bindgen(js_name = anomalyResidualAlerts)]
pub fn anomaly_residual_alerts(series: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let s = Opts::new(&series, "series", &["actual", "expected", "lower", "upper"])?;
        let col = |key: &str| -> Result<Vec<f64>> {
            let v = s.get(key)?.ok_or_else(|| {
                invalid(s.field(key), &JsValue::UNDEFINED, "required, but missing")
            })?;
            convert::column(&v, key)
        };
        if given(series.clone()).is_none() {
            return Err(invalid(
                "series",
                &series,
                "expected { actual, expected, lower, upper }",
            ));
        }
        let (a, e, l, u) = (
            col("actual")?,
            col("expected")?,
            col("lower")?,
            col("upper")?,
        );
        let level = level_option(&options)?;
        Ok(alerts_js(&residual_alerts(&a, &e, &l, &u, level)?))
    })
}
