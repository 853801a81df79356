//! `leads.LogisticScore` / `leads.FittedLogisticScore` / `leads.metrics`: the predictive lead
//! score (the core's `leads::predictive`) and its evaluation (`stats::classification`).
//!
//! Features are a matrix as `glm` takes it (rows `number[][] | Float64Array[]`, or flat
//! row-major with `nFeatures`) named by `featureNames`, or a columns object
//! `{ pages: Numbers, demo: Numbers }` named by its keys. A fitted model reads a columns object
//! by its feature names, in any key order. Core field names in errors are renamed to the JS
//! ones (`features[2][1]` -> `x[2][1]`, `c` -> `options.c`).

use std::borrow::Cow;
use std::sync::Arc;

use channelwise::glm::logistic::Penalty;
use channelwise::leads::predictive::{
    Calibration, Calibrator, ClassWeight, FittedLogisticScore, LogisticScore,
};
use channelwise::stats::classification::{self, BinStrategy, Reliability, ReliabilityBin};
use channelwise::{Error, Result};

use crate::api::{arg, from_document, job, this, to_document, Job};
use crate::host::{Host, Kind, Typed};
use crate::keys::camel;
use crate::optimize::renamed;
use crate::out::{F64s, Handle, Out};
use crate::{js_options, js_result, read};

/// The tag of the document Python's `FittedLogisticScore.to_json()` writes.
const TAG: &str = "channelwise.leads.LogisticScore";

js_options! {
    /// Predictive lead score settings (scikit-learn's names, camelCase).
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `penalty` | `'l2'` | `'l2'`, `'l1'`, `'elasticnet'` or `'none'` | |
    /// | `c` | `1` | inverse regularisation strength (scikit-learn's `C`) | `> 0` |
    /// | `l1Ratio` | | the elastic net's L1 share (required by `'elasticnet'`) | `[0, 1]` |
    /// | `classWeight` | `'none'` | `'none'` or `'balanced'` (rows weigh `n / (2 n_class)`) | |
    /// | `calibration` | `'none'` | `'none'`, `'platt'` (alias `'sigmoid'`) or `'isotonic'` | |
    /// | `maxIter` | `200` | most Newton steps | `>= 1` |
    pub struct LogisticScoreOptions {
        /// `'l2'` (default), `'l1'`, `'elasticnet'` or `'none'`.
        penalty: String,
        /// Inverse regularisation strength, `> 0` (default 1).
        c: f64,
        /// The elastic net's L1 share in `[0, 1]` (with `penalty: 'elasticnet'`).
        l1Ratio: f64,
        /// `'none'` (default) or `'balanced'`.
        classWeight: String,
        /// `'none'` (default), `'platt'` (`'sigmoid'`) or `'isotonic'`.
        calibration: String,
        /// Most Newton steps (default 200).
        maxIter: usize,
    }
}

js_options! {
    /// Reliability table settings (scikit-learn's `calibration_curve`).
    pub struct ReliabilityOptions {
        /// Number of bins (default 5).
        nBins: usize,
        /// `'uniform'` (default) or `'quantile'` bin edges.
        strategy: String,
    }
}

js_result! {
    /// One non-empty bin of a reliability table.
    pub struct ReliabilityRow {
        /// The bin's index among all `nBins`.
        bin: usize,
        /// Lower edge.
        lower: f64,
        /// Upper edge.
        upper: f64,
        /// Rows in the bin.
        count: usize,
        /// Their share of positives (scikit-learn's `prob_true`).
        fractionPositive: f64,
        /// Their mean predicted probability (`prob_pred`).
        meanPredicted: f64,
    }
}

js_result! {
    /// How calibrated probabilities rank and fit labels.
    pub struct ScoreEvaluation {
        /// Rows.
        n: usize,
        /// Rows with label 1.
        positives: usize,
        /// ROC AUC (ties count half).
        auc: f64,
        /// Mean log-loss (probabilities clipped as scikit-learn does).
        logLoss: f64,
        /// Brier score.
        brier: f64,
        /// The reliability table (non-empty bins).
        reliability: Vec<ReliabilityRow>,
    }
}

js_result! {
    /// Per-lead contributions to the logit: `base + sum_j values[i][j] = logit[i]`.
    pub struct ScoreContributions {
        /// The features, the columns of each `values` row.
        featureNames: Vec<String>,
        /// The logit of the reference (training-mean) lead.
        base: f64,
        /// One row per lead: `coef_j (x_ij - reference_j)` per feature.
        values: Vec<F64s>,
        /// Each lead's logit (uncalibrated).
        logit: F64s,
    }
}

/// A fitted score and the settings it was fitted with (`None` when loaded from JSON).
pub struct FittedScore {
    m: FittedLogisticScore,
    spec: Option<LogisticScore>,
}

/// The core's field names as the JS caller wrote them.
fn js_field(f: &str) -> Option<String> {
    Some(match f {
        "c" | "l1_ratio" | "max_iter" | "n_bins" => format!("options.{}", camel(f)),
        "feature_names" => "options.featureNames".into(),
        _ if f.starts_with("feature_names[") => {
            format!("options.featureNames{}", &f["feature_names".len()..])
        }
        _ if f.starts_with("calibration.features") => format!(
            "options.calibration.x{}",
            &f["calibration.features".len()..]
        ),
        _ if f.starts_with("calibration.") => format!("options.{f}"),
        _ if f.starts_with("features") => format!("x{}", &f["features".len()..]),
        _ => return None,
    })
}

fn invalid(field: &str, value: &str, reason: &str) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

/// The value `choices` pairs with `value`; `invalid_parameter` naming `field` otherwise.
fn choose<T: Copy>(field: &str, value: &str, choices: &[(&str, T)]) -> Result<T> {
    choices
        .iter()
        .find(|(name, _)| *name == value)
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|(n, _)| format!("'{n}'")).collect();
            invalid(
                field,
                value,
                &format!("expected one of {}", names.join(", ")),
            )
        })
}

/// The penalty named `name` (`'elasticnet'` takes `l1_ratio`, from `field_ratio`).
pub(crate) fn penalty(
    name: &str,
    l1_ratio: Option<f64>,
    field: &str,
    field_ratio: &str,
) -> Result<Penalty> {
    match (name, l1_ratio) {
        ("elasticnet", Some(l1_ratio)) => Ok(Penalty::ElasticNet { l1_ratio }),
        ("elasticnet", None) => Err(invalid(
            field_ratio,
            "undefined",
            "penalty 'elasticnet' needs l1Ratio in [0, 1]",
        )),
        // 'elasticnet' without a ratio was answered above; listed here for the message
        _ => choose(
            field,
            name,
            &[
                ("l2", Penalty::L2),
                ("l1", Penalty::L1),
                ("none", Penalty::None),
                ("elasticnet", Penalty::L2),
            ],
        ),
    }
}

/// `new leads.LogisticScore(options?)`.
pub fn score_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = LogisticScoreOptions::read(h, &arg(h, a, 0)?, "options")?;
    let mut s = LogisticScore::default();
    if let Some(c) = o.c {
        s = s.c(c);
    }
    if let Some(p) = o.penalty {
        s = s.penalty(penalty(
            &p,
            o.l1Ratio,
            "options.penalty",
            "options.l1Ratio",
        )?);
    }
    if let Some(w) = o.classWeight {
        s = s.class_weight(choose(
            "options.classWeight",
            &w,
            &[
                ("none", ClassWeight::None),
                ("balanced", ClassWeight::Balanced),
            ],
        )?);
    }
    if let Some(c) = o.calibration {
        let choices = [
            ("none", Calibration::None),
            ("platt", Calibration::Platt),
            ("sigmoid", Calibration::Platt),
            ("isotonic", Calibration::Isotonic),
        ];
        s = s.calibration(choose("options.calibration", &c, &choices)?);
    }
    if let Some(n) = o.maxIter {
        s = s.max_iter(n);
    }
    job(move || Ok(Handle(Arc::new(s))))
}

/// Whether `x` is a columns object (a plain object, not an array or typed array).
fn is_columns<H: Host>(h: H, x: &H::V) -> Result<bool> {
    Ok(h.kind(x) == Kind::Object
        && !read::is_array(h, x, "x")?
        && !matches!(h.typed_numbers(x), Ok(Typed::Numbers(_) | Typed::Other(_))))
}

/// Features as a flat row-major matrix and their names: a columns object (read in `order` when
/// given, else in key order) or a matrix named by `names` (else `order`, else `x0, x1, ...`).
fn features<H: Host>(
    h: H,
    x: &H::V,
    n_features: &H::V,
    names: Option<Vec<String>>,
    order: Option<&[String]>,
) -> Result<(Vec<f64>, Vec<String>)> {
    if is_columns(h, x)? {
        let keys = h.keys(x).map_err(|e| read::unreadable("x", e))?;
        let names: Vec<String> = match order {
            Some(o) => o.to_vec(),
            None => names.unwrap_or(keys),
        };
        let mut cols = Vec::with_capacity(names.len());
        for name in &names {
            let field = format!("x.{name}");
            let col = read::get(h, x, name, &field)?
                .ok_or_else(|| invalid("x", name, "the model's feature is not a column of x"))?;
            let col = read::numbers(h, &col, &field)?;
            if let Some(first) = cols.first().map(Vec::len) {
                read::check_len(&field, col.len(), first)?;
            }
            cols.push(col);
        }
        let n = cols.first().map_or(0, Vec::len);
        let flat = (0..n)
            .flat_map(|i| cols.iter().map(move |c| c[i]))
            .collect();
        return Ok((flat, names));
    }
    let default_k = names.as_ref().map(Vec::len).or(order.map(<[String]>::len));
    let (flat, k) = read::matrix(h, x, n_features, default_k)?;
    let names = names
        .or_else(|| order.map(<[String]>::to_vec))
        .unwrap_or_else(|| (0..k).map(|j| format!("x{j}")).collect());
    Ok((flat, names))
}

/// `LogisticScore.fit(x, y, options?)`.
pub fn score_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<LogisticScore> = this(h, a)?;
    let o = read::options(
        h,
        &arg(h, a, 3)?,
        "options",
        &["featureNames", "nFeatures", "calibration"],
    )?;
    let opt = |k: &str| -> Result<H::V> {
        match &o {
            Some(obj) => Ok(read::get(h, obj, k, &format!("options.{k}"))?
                .map_or_else(|| h.undefined().map_err(read::unwritable), Ok)?),
            None => h.undefined().map_err(read::unwritable),
        }
    };
    let names = read::given(h, opt("featureNames")?)
        .map(|v| read::strings(h, &v, "options.featureNames"))
        .transpose()?;
    let (x, names) = features(h, &arg(h, a, 1)?, &opt("nFeatures")?, names, None)?;
    let y = read::numbers(h, &arg(h, a, 2)?, "y")?;
    let cal = match read::given(h, opt("calibration")?) {
        Some(c) => {
            read::columns(h, &c, "options.calibration", &["x", "y"])?;
            let cx = read::require(h, &c, "x", "options.calibration.x")?;
            let cy = read::require(h, &c, "y", "options.calibration.y")?;
            let undefined = h.undefined().map_err(read::unwritable)?;
            let (cx, _) = features(h, &cx, &undefined, None, Some(&names))?;
            Some((cx, read::numbers(h, &cy, "options.calibration.y")?))
        }
        None => None,
    };
    job(move || {
        let m = match &cal {
            Some((cx, cy)) => spec.fit_calibrated(&x, &names, &y, cx, cy),
            None => spec.fit(&x, &names, &y),
        }
        .map_err(|e| renamed(e, js_field))?;
        Ok(Handle(Arc::new(FittedScore {
            m,
            spec: Some((*spec).clone()),
        })))
    })
}

/// `new FittedLogisticScore()`: not for direct use.
pub fn fitted_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(invalid(
        "FittedLogisticScore",
        "new FittedLogisticScore()",
        "a fitted score is made by new leads.LogisticScore(options).fit(x, y) or FittedLogisticScore.fromJSON(json)",
    ))
}

/// The rows of `x` (argument 1, `nFeatures` argument 2) in the fitted model's columns.
fn rows<H: Host>(h: H, a: &[H::V], m: &FittedScore) -> Result<Vec<f64>> {
    Ok(features(
        h,
        &arg(h, a, 1)?,
        &arg(h, a, 2)?,
        None,
        Some(m.m.feature_names()),
    )?
    .0)
}

/// `FittedLogisticScore.predictProba(x, nFeatures?)`: calibrated `P(conversion)` per row.
pub fn predict_proba<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedScore> = this(h, a)?;
    let x = rows(h, a, &m)?;
    job(move || {
        Ok(F64s(
            m.m.predict_proba(&x).map_err(|e| renamed(e, js_field))?,
        ))
    })
}

/// `FittedLogisticScore.decisionFunction(x, nFeatures?)`: the logit per row.
pub fn decision<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedScore> = this(h, a)?;
    let x = rows(h, a, &m)?;
    job(move || Ok(F64s(m.m.decision(&x).map_err(|e| renamed(e, js_field))?)))
}

/// `FittedLogisticScore.contributions(x, nFeatures?)`.
pub fn contributions<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedScore> = this(h, a)?;
    let x = rows(h, a, &m)?;
    job(move || {
        let c = m.m.contributions(&x).map_err(|e| renamed(e, js_field))?;
        let k = c.feature_names.len();
        Ok(ScoreContributions {
            values: c.values.chunks_exact(k).map(|r| F64s(r.to_vec())).collect(),
            featureNames: c.feature_names,
            base: c.base_logit,
            logit: F64s(c.logit),
        })
    })
}

fn reliability<H: Host>(h: H, v: &H::V) -> Result<Reliability> {
    let o = ReliabilityOptions::read(h, v, "options")?;
    let mut r = Reliability::default();
    if let Some(n) = o.nBins {
        r = r.n_bins(n);
    }
    if let Some(s) = o.strategy {
        r = r.strategy(choose(
            "options.strategy",
            &s,
            &[
                ("uniform", BinStrategy::Uniform),
                ("quantile", BinStrategy::Quantile),
            ],
        )?);
    }
    Ok(r)
}

fn table(bins: Vec<ReliabilityBin>) -> Vec<ReliabilityRow> {
    bins.into_iter()
        .map(|b| ReliabilityRow {
            bin: b.bin,
            lower: b.lower,
            upper: b.upper,
            count: b.count,
            fractionPositive: b.fraction_positive,
            meanPredicted: b.mean_predicted,
        })
        .collect()
}

/// `FittedLogisticScore.evaluate(x, y, options?)` (a flat `x` takes the fit's column count).
pub fn evaluate<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedScore> = this(h, a)?;
    let undefined = h.undefined().map_err(read::unwritable)?;
    let (x, _) = features(
        h,
        &arg(h, a, 1)?,
        &undefined,
        None,
        Some(m.m.feature_names()),
    )?;
    let y = read::numbers(h, &arg(h, a, 2)?, "y")?;
    let rel = reliability(h, &arg(h, a, 3)?)?;
    job(move || {
        let e =
            m.m.evaluate(&x, &y, &rel)
                .map_err(|e| renamed(e, js_field))?;
        Ok(ScoreEvaluation {
            n: e.n,
            positives: e.positives,
            auc: e.auc,
            logLoss: e.log_loss,
            brier: e.brier,
            reliability: table(e.reliability),
        })
    })
}

/// `leads.metrics(y, proba, options?)`: AUC, log-loss, Brier and reliability table.
pub fn metrics<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let y = read::numbers(h, &arg(h, a, 0)?, "y")?;
    let p = read::numbers(h, &arg(h, a, 1)?, "proba")?;
    let rel = reliability(h, &arg(h, a, 2)?)?;
    job(move || {
        let rename = |e| renamed(e, js_field);
        Ok(ScoreEvaluation {
            n: y.len(),
            positives: y.iter().filter(|&&v| v == 1.0).count(),
            auc: classification::auc(&y, &p).map_err(rename)?,
            logLoss: classification::log_loss(&y, &p).map_err(rename)?,
            brier: classification::brier(&y, &p).map_err(rename)?,
            reliability: table(rel.table(&y, &p).map_err(rename)?),
        })
    })
}

/// Python's `get_params()` form of the settings (the document's `spec`).
fn spec_out(s: &LogisticScore) -> Out {
    let (penalty, l1_ratio) = match s.penalty {
        Penalty::L2 => (Out::String("l2".into()), Out::Null),
        Penalty::L1 => (Out::String("l1".into()), Out::Null),
        Penalty::None => (Out::Null, Out::Null),
        Penalty::ElasticNet { l1_ratio } => {
            (Out::String("elasticnet".into()), Out::Number(l1_ratio))
        }
    };
    let name = |c: Calibration| match c {
        Calibration::None => Out::Null,
        Calibration::Platt => Out::String("platt".into()),
        Calibration::Isotonic => Out::String("isotonic".into()),
    };
    let field = |k: &'static str, v: Out| (Cow::Borrowed(k), Some(v));
    Out::Object(vec![
        field("penalty", penalty),
        field("C", Out::Number(s.c)),
        field("l1_ratio", l1_ratio),
        field(
            "class_weight",
            if s.class_weight == ClassWeight::Balanced {
                Out::String("balanced".into())
            } else {
                Out::Null
            },
        ),
        field("calibration", name(s.calibration)),
        field("max_iter", Out::Number(s.max_iter as f64)),
    ])
}

/// `FittedLogisticScore.toJSON()`: the document Python's `to_json()` writes.
pub fn to_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedScore> = this(h, a)?;
    job(move || to_document(TAG, m.spec.as_ref().map_or(Out::Null, spec_out), &m.m))
}

/// `FittedLogisticScore.fromJSON(json)`: a model from `toJSON()` or Python's `to_json()`.
pub fn from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: FittedLogisticScore = from_document(h, &arg(h, a, 0)?, TAG, "LogisticScore")?;
    if let Calibrator::Isotonic { x, y } = m.calibrator() {
        if x.is_empty() || x.len() != y.len() {
            return Err(invalid(
                "json",
                "the document",
                "an isotonic calibrator needs as many x as y, at least one",
            ));
        }
    }
    if m.coef().len() != m.feature_names().len() || m.reference().len() != m.coef().len() {
        return Err(invalid(
            "json",
            "the document",
            "coef, reference and feature_names differ in length",
        ));
    }
    job(move || Ok(Handle(Arc::new(FittedScore { m, spec: None }))))
}

crate::api::getter!(FittedScore, coef, Out, |m| Out::Object(
    m.m.feature_names()
        .iter()
        .zip(m.m.coef())
        .map(|(n, c)| (Cow::Owned(n.clone()), Some(Out::Number(*c))))
        .collect()
));
crate::api::getter!(FittedScore, intercept, f64, |m| m.m.intercept());
crate::api::getter!(FittedScore, base_logit, f64, |m| m.m.base_logit());
crate::api::getter!(FittedScore, feature_names, Vec<String>, |m| m
    .m
    .feature_names()
    .to_vec());
crate::api::getter!(FittedScore, iterations, usize, |m| m.m.iterations());

/// The TypeScript declarations of this module's option and result types.
pub fn declarations() -> Vec<String> {
    use crate::decl::Declared;
    vec![
        LogisticScoreOptions::declaration(),
        ReliabilityOptions::declaration(),
        ReliabilityRow::declaration(),
        ScoreEvaluation::declaration(),
        ScoreContributions::declaration(),
        crate::decl::interface(
            &[" Options of `LogisticScore.fit`."],
            "LogisticScoreFitOptions",
            &[
                (&[" Feature names of a matrix `x` (default `x0, x1, ...`); a columns object is named by its keys."], "featureNames?: string[] | null".into()),
                (&[" Columns of a flat row-major `x` (default `featureNames.length`)."], "nFeatures?: number | null".into()),
                (&[" Held-out rows to fit the calibration on (default: the training rows)."], "calibration?: { x: Features; y: Numbers } | null".into()),
            ],
        ),
        "/** Lead features: a matrix (rows, or flat row-major with `nFeatures`) or columns by name. */\nexport type Features = Matrix | { [feature: string]: Numbers };".into(),
    ]
}
