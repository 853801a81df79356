//! `anomaly.*`: the isolation forest (spec `IsolationForest`, fitted `FittedIsolationForest`,
//! scikit-learn's parameters and score signs), the robust detectors (MAD, Hampel, generalized
//! and seasonal ESD) and forecast-residual alerts, following the core's `anomaly` module.
//!
//! A matrix is rows (`number[][]` or `Float64Array[]`) or a flat row-major
//! `number[] | Float64Array` with `nFeatures` ([`read::matrix`]); scoring a flat matrix defaults
//! to the training data's column count.

use std::sync::Arc;

use channelwise::anomaly::residual::{residual_alerts, ResidualAlert as CoreAlert};
use channelwise::anomaly::robust::{
    self, Direction, Esd, EsdResult, Hampel, MadDetector, SeasonalEsd,
};
use channelwise::anomaly::{
    average_path_length as core_apl, Contamination, FittedIsolationForest, IsolationForest,
    MaxFeatures, MaxSamples,
};
use channelwise::{Error, Result};

use crate::api::{arg, getter, job, this, Job};
use crate::decl::{Declared, FromJs};
use crate::host::{Host, Kind};
use crate::out::{F64s, Handle, I8s, IntoOut, Out};
use crate::read::{self, wrong};
use crate::{js_options, js_result};

/// `type Matrix`, the matrix argument of the isolation forest.
pub const MATRIX_DECLARATION: &str = "\
/** A matrix: rows (`number[][]` or `Float64Array[]`), or flat row-major `number[] | Float64Array` with `nFeatures`. */
export type Matrix = Numbers[] | Numbers;
";

// ---------------------------------------------------------------------------------------------
// Isolation forest

/// Most trees in a 32-bit build (the browser's wasm32): each tree holds up to `2 maxSamples`
/// nodes, and a 32-bit address space ends at 4 GiB, where an allocation failure is a trap (an
/// abort), not an error. 64-bit builds take the core's range (>= 1).
const MAX_ESTIMATORS_32BIT: usize = 10_000;

/// `maxSamples`: `'auto'`, a whole number (count) or `{ fraction }`.
pub struct MaxSamplesOption(pub MaxSamples);

impl FromJs for MaxSamplesOption {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        const EXPECTED: &str = "'auto', a whole number (count) or { fraction }";
        match h.kind(v) {
            Kind::String if read::string(h, v, field)? == "auto" => {
                Ok(MaxSamplesOption(MaxSamples::Auto))
            }
            Kind::Number => Ok(MaxSamplesOption(MaxSamples::Count(read::size(
                h, v, field,
            )?))),
            Kind::Object if !read::is_array(h, v, field)? => {
                let f = required_key(h, v, field, "fraction")?;
                Ok(MaxSamplesOption(MaxSamples::Fraction(read::number(
                    h,
                    &f,
                    &format!("{field}.fraction"),
                )?)))
            }
            _ => Err(wrong(h, field, v, EXPECTED)),
        }
    }
    fn ts() -> String {
        "'auto' | number | { fraction: number }".into()
    }
}

/// `contamination`: `'auto'` or a number in (0, 0.5].
pub struct ContaminationOption(pub Contamination);

impl FromJs for ContaminationOption {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        match h.kind(v) {
            Kind::String if read::string(h, v, field)? == "auto" => {
                Ok(ContaminationOption(Contamination::Auto))
            }
            // NaN and out-of-range fractions go to the core, which names them.
            Kind::Number => Ok(ContaminationOption(Contamination::Fraction(h.number(v)))),
            _ => Err(wrong(h, field, v, "'auto' or a number in (0, 0.5]")),
        }
    }
    fn ts() -> String {
        "'auto' | number".into()
    }
}

/// `maxFeatures`: a number in (0, 1] (fraction) or `{ count }`.
pub struct MaxFeaturesOption(pub MaxFeatures);

impl FromJs for MaxFeaturesOption {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        match h.kind(v) {
            Kind::Number => Ok(MaxFeaturesOption(MaxFeatures::Fraction(h.number(v)))),
            Kind::Object if !read::is_array(h, v, field)? => {
                let c = required_key(h, v, field, "count")?;
                Ok(MaxFeaturesOption(MaxFeatures::Count(read::size(
                    h,
                    &c,
                    &format!("{field}.count"),
                )?)))
            }
            _ => Err(wrong(
                h,
                field,
                v,
                "a number in (0, 1] (fraction) or { count }",
            )),
        }
    }
    fn ts() -> String {
        "number | { count: number }".into()
    }
}

/// `obj[key]` of the one-key object `obj` at `field` (`{ fraction }`, `{ count }`).
fn required_key<H: Host>(h: H, obj: &H::V, field: &str, key: &str) -> Result<H::V> {
    let inner = format!("{field}.{key}");
    let obj = read::options(h, obj, field, &[key])?.ok_or_else(|| read::missing(&inner))?;
    read::require(h, &obj, key, &inner)
}

js_options! {
    /// Isolation forest parameters (scikit-learn's, camelCase).
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `nEstimators` | `100` | trees | `>= 1` (at most 10000 in the browser build: wasm32 memory) |
    /// | `maxSamples` | `'auto'` | rows per tree: `'auto'` = min(256, n), a count, or `{ fraction }` | count `>= 1` (capped at n); fraction in (0, 1] |
    /// | `contamination` | `'auto'` | share of outliers setting `offset`: `'auto'` = -0.5 | (0, 0.5] |
    /// | `maxFeatures` | `1.0` | features per tree: a fraction, or `{ count }` | fraction in (0, 1]; count in 1..=nFeatures |
    /// | `bootstrap` | `false` | draw rows with replacement | `boolean` |
    /// | `seed` | `0` | random seed | whole number `>= 0` |
    pub struct IsolationForestOptions {
        /// Trees (default 100).
        nEstimators: usize,
        /// Rows per tree: `'auto'` (min(256, n), default), a whole count (clipped to n), or
        /// `{ fraction }` in (0, 1].
        maxSamples: MaxSamplesOption,
        /// `'auto'` (offset -0.5, default) or the expected outlier share in (0, 0.5].
        contamination: ContaminationOption,
        /// Features per tree: a fraction in (0, 1] (default 1.0) or `{ count }`.
        maxFeatures: MaxFeaturesOption,
        /// Draw rows with replacement (default false).
        bootstrap: bool,
        /// Seed, a whole number >= 0 (default 0).
        seed: u64,
    }
}

fn forest_spec(o: IsolationForestOptions) -> Result<IsolationForest> {
    let mut s = IsolationForest::default();
    if let Some(n) = o.nEstimators {
        if cfg!(target_pointer_width = "32") && n > MAX_ESTIMATORS_32BIT {
            return Err(Error::OutOfRange {
                field: "options.nEstimators".into(),
                value: n as f64,
                min: 1.0,
                max: MAX_ESTIMATORS_32BIT as f64,
            });
        }
        s = s.n_estimators(n);
    }
    if let Some(MaxSamplesOption(m)) = o.maxSamples {
        s = s.max_samples(m);
    }
    if let Some(ContaminationOption(c)) = o.contamination {
        s = s.contamination(c);
    }
    if let Some(MaxFeaturesOption(m)) = o.maxFeatures {
        s = s.max_features(m);
    }
    if let Some(b) = o.bootstrap {
        s = s.bootstrap(b);
    }
    if let Some(seed) = o.seed {
        s = s.seed(seed);
    }
    Ok(s)
}

/// `new anomaly.IsolationForest(options?)`.
pub fn forest_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec = forest_spec(IsolationForestOptions::read(h, &arg(h, a, 0)?, "options")?)?;
    job(move || Ok(Handle(Arc::new(spec))))
}

/// `IsolationForest.fit(x, nFeatures?)`.
pub fn forest_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<IsolationForest> = this(h, a)?;
    let (x, k) = read::matrix(h, &arg(h, a, 1)?, &arg(h, a, 2)?, None)?;
    job(move || Ok(Handle(Arc::new(spec.fit(&x, k)?))))
}

/// `new FittedIsolationForest()`: not for direct use.
pub fn fitted_forest_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "FittedIsolationForest".into(),
        value: "new FittedIsolationForest()".into(),
        reason: "a fitted forest is made by new anomaly.IsolationForest(options).fit(x), or FittedIsolationForest.fromJSON(json)".into(),
    })
}

/// The fitted forest of a method call and its matrix argument (`x`, `nFeatures`).
fn scoring<H: Host>(h: H, a: &[H::V]) -> Result<(Arc<FittedIsolationForest>, Vec<f64>, usize)> {
    let m: Arc<FittedIsolationForest> = this(h, a)?;
    let (x, k) = read::matrix(h, &arg(h, a, 1)?, &arg(h, a, 2)?, Some(m.n_features()))?;
    Ok((m, x, k))
}

/// `FittedIsolationForest.scoreSamples(x, nFeatures?)`.
pub fn fitted_forest_score_samples<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (m, x, k) = scoring(h, a)?;
    job(move || Ok(F64s(m.score_samples(&x, k)?)))
}

/// `FittedIsolationForest.decisionFunction(x, nFeatures?)`.
pub fn fitted_forest_decision_function<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (m, x, k) = scoring(h, a)?;
    job(move || Ok(F64s(m.decision_function(&x, k)?)))
}

/// `FittedIsolationForest.predict(x, nFeatures?)`.
pub fn fitted_forest_predict<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (m, x, k) = scoring(h, a)?;
    job(move || Ok(I8s(m.predict(&x, k)?)))
}

crate::api::model_json!(
    FittedIsolationForest,
    fitted_forest_to_json,
    fitted_forest_from_json,
    "channelwise.anomaly.FittedIsolationForest",
    "IsolationForest"
);

getter!(FittedIsolationForest, fitted_forest_offset, f64, |m| m
    .offset());
getter!(
    FittedIsolationForest,
    fitted_forest_n_features,
    usize,
    |m| m.n_features()
);
getter!(
    FittedIsolationForest,
    fitted_forest_n_estimators,
    usize,
    |m| m.n_estimators()
);
getter!(
    FittedIsolationForest,
    fitted_forest_max_samples,
    usize,
    |m| m.max_samples()
);
getter!(
    FittedIsolationForest,
    fitted_forest_max_features,
    usize,
    |m| m.max_features()
);
getter!(FittedIsolationForest, fitted_forest_max_depth, usize, |m| m
    .max_depth());

/// `anomaly.averagePathLength(n)`.
pub fn average_path_length<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let n = read::size(h, &arg(h, a, 0)?, "n")?;
    job(move || Ok(core_apl(n)))
}

// ---------------------------------------------------------------------------------------------
// Robust detectors

js_result! {
    /// Robust z-scores and the points beyond the threshold.
    pub struct MadOutliers {
        /// Median of the series.
        median: f64,
        /// Normal-consistent MAD (may be 0).
        mad: f64,
        /// What the scores divide by: `mad`, or when it is 0 the mean absolute deviation about
        /// the median times sqrt(pi / 2) (0 for a constant series).
        scale: f64,
        /// `(x - median) / scale` for every point.
        scores: F64s,
        /// Indices with `|score| > threshold`, ascending.
        outliers: Vec<usize>,
    }
}

js_result! {
    /// What the Hampel filter finds.
    pub struct HampelResult {
        /// The series with each outlier replaced by its window median.
        filtered: F64s,
        /// Outlier indices, ascending.
        outliers: Vec<usize>,
        /// Outlier flag per point.
        isOutlier: Vec<bool>,
        /// Rolling (truncated-window) median per point.
        medians: F64s,
        /// Rolling normal-consistent MAD per point.
        scales: F64s,
    }
}

js_result! {
    /// One anomaly of an ESD test.
    pub struct EsdAnomaly {
        /// Index in the series.
        index: usize,
        /// The observed value.
        value: f64,
        /// What the test expected there (centre, plus seasonal and median for the seasonal test).
        expected: f64,
        /// The statistic of the step that removed it.
        score: f64,
        /// The ESD step (0-based) that removed it.
        step: usize,
    }
}

js_result! {
    /// A generalized ESD test's result.
    pub struct EsdTest {
        /// The anomalies, by ascending index.
        anomalies: Vec<EsdAnomaly>,
        /// Their indices, ascending.
        indices: Vec<usize>,
        /// Number of anomalies.
        nAnomalies: usize,
        /// Statistic `R_i` of each step run.
        statistics: F64s,
        /// Critical value `lambda_i` of each step run.
        criticalValues: F64s,
        /// Index removed at each step run (anomalous or not).
        removed: Vec<usize>,
    }
}

js_result! {
    /// The seasonal ESD test's result: the ESD test on the residual, and what was removed.
    pub struct SeasonalEsdTest {
        /// The anomalies, by ascending index (values are the series').
        anomalies: Vec<EsdAnomaly>,
        /// Their indices, ascending.
        indices: Vec<usize>,
        /// Number of anomalies.
        nAnomalies: usize,
        /// Statistic `R_i` of each step run.
        statistics: F64s,
        /// Critical value `lambda_i` of each step run.
        criticalValues: F64s,
        /// Index removed at each step run (anomalous or not).
        removed: Vec<usize>,
        /// The seasonal component removed.
        seasonal: F64s,
        /// Median of the series.
        median: f64,
        /// `x - seasonal - median`, the series tested.
        resid: F64s,
    }
}

/// `type EsdDirection`, the `direction` option of the ESD tests.
pub const ESD_DIRECTION_DECLARATION: &str = "\
/** Which side of the centre counts: above (`'pos'`), below (`'neg'`) or both. */
export type EsdDirection = 'pos' | 'neg' | 'both';
";

/// `direction`: `'pos'`, `'neg'` or `'both'` (the core parses it and names a bad one).
pub struct EsdDirection(pub Direction);

impl FromJs for EsdDirection {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        Ok(EsdDirection(read::string(h, v, field)?.parse()?))
    }
    fn ts() -> String {
        "EsdDirection".into()
    }
}

js_options! {
    /// Options of `anomaly.madOutliers`.
    pub struct MadOutliersOptions {
        /// `|z|` above which a point is an outlier (default 3.5, Iglewicz and Hoaglin; >= 0).
        threshold: f64,
    }
}

js_options! {
    /// Options of `anomaly.hampel`.
    pub struct HampelOptions {
        /// Half window: the window is `2 halfWindow + 1` points (default 3, >= 1).
        halfWindow: usize,
        /// Rolling MADs from the window median beyond which a point is an outlier (default 3).
        nSigmas: f64,
    }
}

js_options! {
    /// ESD options (Twitter AnomalyDetection's names, camelCase).
    pub struct EsdOptions {
        /// Largest anomalous share, in (0, 0.5] (default 0.1).
        maxAnoms: f64,
        /// Significance level, in (0, 1) (default 0.05).
        alpha: f64,
        /// Which side of the centre counts (default `'both'`).
        direction: EsdDirection,
    }
}

js_options! {
    /// Options of `anomaly.seasonalEsd`: the ESD options and the seasonal cycle.
    pub struct SeasonalEsdOptions {
        /// Seasonal cycle (>= 2; the series needs two cycles). Required.
        period: usize,
        /// Largest anomalous share, in (0, 0.5] (default 0.1).
        maxAnoms: f64,
        /// Significance level, in (0, 1) (default 0.05).
        alpha: f64,
        /// Which side of the centre counts (default `'both'`).
        direction: EsdDirection,
    }
}

/// The `SeasonalEsdOptions` interface, `period` required (the macro declares every option
/// optional).
pub fn seasonal_esd_options_declaration() -> String {
    SeasonalEsdOptions::declaration().replace("period?: number | null;", "period: number;")
}

fn esd_test(r: EsdResult) -> EsdTest {
    EsdTest {
        indices: r.indices(),
        anomalies: r
            .anomalies
            .iter()
            .map(|a| EsdAnomaly {
                index: a.index,
                value: a.value,
                expected: a.expected,
                score: a.score,
                step: a.step,
            })
            .collect(),
        nAnomalies: r.n_anomalies,
        statistics: F64s(r.statistics),
        criticalValues: F64s(r.critical_values),
        removed: r.removed,
    }
}

/// `anomaly.mad(x)`.
pub fn mad<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let x = read::numbers(h, &arg(h, a, 0)?, "x")?;
    job(move || robust::mad(&x))
}

/// `anomaly.madOutliers(x, options?)`.
pub fn mad_outliers<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = MadOutliersOptions::read(h, &arg(h, a, 1)?, "options")?;
    let x = read::numbers(h, &arg(h, a, 0)?, "x")?;
    let mut spec = MadDetector::new();
    if let Some(t) = o.threshold {
        spec = spec.threshold(t);
    }
    job(move || {
        let r = spec.detect(&x)?;
        Ok(MadOutliers {
            median: r.median,
            mad: r.mad,
            scale: r.scale,
            scores: F64s(r.scores),
            outliers: r.outliers,
        })
    })
}

/// `anomaly.hampel(x, options?)`.
pub fn hampel<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = HampelOptions::read(h, &arg(h, a, 1)?, "options")?;
    let x = read::numbers(h, &arg(h, a, 0)?, "x")?;
    let spec = Hampel::new(o.halfWindow.unwrap_or(3), o.nSigmas.unwrap_or(3.0));
    job(move || {
        let r = spec.detect(&x)?;
        Ok(HampelResult {
            filtered: F64s(r.filtered),
            outliers: r.outliers,
            isOutlier: r.is_outlier,
            medians: F64s(r.medians),
            scales: F64s(r.scales),
        })
    })
}

/// `anomaly.esd(x, options?)`.
pub fn esd<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = EsdOptions::read(h, &arg(h, a, 1)?, "options")?;
    let x = read::numbers(h, &arg(h, a, 0)?, "x")?;
    let spec = Esd::new()
        .max_anoms(o.maxAnoms.unwrap_or(0.1))
        .alpha(o.alpha.unwrap_or(0.05))
        .direction(o.direction.map_or(Direction::Both, |d| d.0));
    job(move || Ok(esd_test(spec.detect(&x)?)))
}

/// `anomaly.seasonalEsd(x, options)`.
pub fn seasonal_esd<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = SeasonalEsdOptions::read(h, &arg(h, a, 1)?, "options")?;
    let period = o.period.ok_or_else(|| read::missing("options.period"))?;
    let x = read::numbers(h, &arg(h, a, 0)?, "x")?;
    let spec = SeasonalEsd::new(period)
        .max_anoms(o.maxAnoms.unwrap_or(0.1))
        .alpha(o.alpha.unwrap_or(0.05))
        .direction(o.direction.map_or(Direction::Both, |d| d.0));
    job(move || {
        let r = spec.detect(&x)?;
        let e = esd_test(r.esd);
        Ok(SeasonalEsdTest {
            anomalies: e.anomalies,
            indices: e.indices,
            nAnomalies: e.nAnomalies,
            statistics: e.statistics,
            criticalValues: e.criticalValues,
            removed: e.removed,
            seasonal: F64s(r.seasonal),
            median: r.median,
            resid: F64s(r.resid),
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Forecast-residual alerts

/// `'above'` or `'below'`.
pub struct AlertDirection(pub &'static str);

impl IntoOut for AlertDirection {
    fn into_out(self) -> Out {
        Out::String(self.0.into())
    }
    fn ts() -> String {
        "'above' | 'below'".into()
    }
}

js_result! {
    /// One actual outside its prediction interval.
    pub struct ResidualAlert {
        /// Position in the series.
        index: usize,
        /// The observed value.
        actual: f64,
        /// The expected (forecast) value.
        expected: f64,
        /// Lower bound of the interval.
        lower: f64,
        /// Upper bound of the interval.
        upper: f64,
        /// Interval level in percent.
        level: f64,
        /// Standardised residual (signed; infinite when the crossed side has zero width).
        score: f64,
        /// Which side of the interval the actual is on.
        direction: AlertDirection,
        /// A sentence saying why, e.g. `observed 310 is above the 95% interval [240.1, 290.3] around 265.2 (z = 3.4)`.
        reason: String,
    }
}

/// The core's alerts as JS rows (also what `FittedEts.alerts` returns).
pub fn alert_rows(alerts: Vec<CoreAlert>) -> Vec<ResidualAlert> {
    alerts
        .into_iter()
        .map(|a| ResidualAlert {
            index: a.index,
            actual: a.actual,
            expected: a.expected,
            lower: a.lower,
            upper: a.upper,
            level: a.level,
            score: a.score,
            direction: AlertDirection(a.direction.as_str()),
            reason: a.reason,
        })
        .collect()
}

js_options! {
    /// Options of `anomaly.residualAlerts` (and of `FittedEts.alerts`).
    pub struct AlertOptions {
        /// Interval level in percent, strictly between 0 and 100 (default 95).
        level: f64,
    }
}

/// The series of `residualAlerts`: `{ actual, expected, lower, upper }`, all required.
pub struct ResidualSeries {
    /// The observed values.
    pub actual: Vec<f64>,
    /// The expected (forecast) values.
    pub expected: Vec<f64>,
    /// Lower bounds of the intervals.
    pub lower: Vec<f64>,
    /// Upper bounds of the intervals.
    pub upper: Vec<f64>,
}

impl FromJs for ResidualSeries {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        const KEYS: &[&str] = &["actual", "expected", "lower", "upper"];
        read::object(h, v, field)?;
        let s = read::options(h, v, field, KEYS)?.ok_or_else(|| read::missing(field))?;
        let col = |key: &str| {
            let f = format!("{field}.{key}");
            read::numbers(h, &read::require(h, &s, key, &f)?, &f)
        };
        Ok(ResidualSeries {
            actual: col("actual")?,
            expected: col("expected")?,
            lower: col("lower")?,
            upper: col("upper")?,
        })
    }
    fn ts() -> String {
        "ResidualSeries".into()
    }
}

impl Declared for ResidualSeries {
    fn declaration() -> String {
        "\
/** The series of `residualAlerts`, all of one length. */
export interface ResidualSeries {
  /** The observed values. */
  actual: Numbers;
  /** The expected (forecast) values; each must lie in its interval. */
  expected: Numbers;
  /** Lower bounds of the intervals. */
  lower: Numbers;
  /** Upper bounds of the intervals. */
  upper: Numbers;
}
"
        .into()
    }
}

/// `anomaly.residualAlerts(series, options?)`.
pub fn residual_alerts_fn<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = AlertOptions::read(h, &arg(h, a, 1)?, "options")?;
    let s = ResidualSeries::from_js(h, &arg(h, a, 0)?, "series")?;
    let level = o.level.unwrap_or(95.0);
    job(move || {
        Ok(alert_rows(residual_alerts(
            &s.actual,
            &s.expected,
            &s.lower,
            &s.upper,
            level,
        )?))
    })
}
