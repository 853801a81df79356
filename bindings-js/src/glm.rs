//! `glm.*`: the regularised logistic regression (spec `LogisticRegression`, fitted
//! `FittedLogistic`, scikit-learn's objective), following the core's `glm` module.
//!
//! A matrix is rows (`number[][]` or `Float64Array[]`) or a flat row-major
//! `number[] | Float64Array` with `nFeatures` ([`read::matrix`], the isolation forest's reader);
//! predicting on a flat matrix defaults to the fit's column count. The core's field names are
//! renamed to what the JS caller wrote (`sample_weight[2]` -> `sampleWeight[2]`, `c` ->
//! `options.c`).

use std::sync::Arc;

use channelwise::glm::logistic::{FittedLogistic, LogisticRegression, Penalty};
use channelwise::{Error, Result};

use crate::api::{arg, getter, job, this, Job};
use crate::host::Host;
use crate::js_options;
use crate::keys::camel;
use crate::optimize::renamed;
use crate::out::{F64s, Handle};
use crate::read;

js_options! {
    /// Logistic regression parameters (scikit-learn's, camelCase).
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `c` | `1` | inverse regularisation strength (scikit-learn's `C`) | `> 0` |
    /// | `penalty` | `'l2'` | `'l2'`, `'l1'`, `'elasticnet'` or `'none'` (maximum likelihood) | |
    /// | `l1Ratio` | | the L1 share of the elastic net (scikit-learn's `l1_ratio`; required by and only read for `'elasticnet'`) | `[0, 1]` |
    /// | `fitIntercept` | `true` | fit an unpenalised intercept | `boolean` |
    pub struct LogisticOptions {
        /// Inverse regularisation strength, `> 0` (default 1).
        c: f64,
        /// `'l2'` (default), `'l1'`, `'elasticnet'` or `'none'`.
        penalty: String,
        /// The elastic net's L1 share in `[0, 1]` (with `penalty: 'elasticnet'`).
        l1Ratio: f64,
        /// Fit an unpenalised intercept (default true).
        fitIntercept: bool,
    }
}

/// The core's field names as the JS caller wrote them.
fn js_field(f: &str) -> Option<String> {
    if f == "c" {
        return Some("options.c".into());
    }
    if f == "l1_ratio" {
        return Some("options.l1Ratio".into());
    }
    if f == "n_features" || f.starts_with("sample_weight") {
        return Some(camel(f));
    }
    None
}

/// `new glm.LogisticRegression(options?)`.
pub fn logistic_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = LogisticOptions::read(h, &arg(h, a, 0)?, "options")?;
    let mut s = LogisticRegression::default();
    if let Some(c) = o.c {
        s = s.c(c);
    }
    if let Some(p) = o.penalty {
        s = s.penalty(match p.as_str() {
            "l2" => Penalty::L2,
            "l1" => Penalty::L1,
            "none" => Penalty::None,
            "elasticnet" => match o.l1Ratio {
                Some(l1_ratio) => Penalty::ElasticNet { l1_ratio },
                None => {
                    return Err(Error::InvalidParameter {
                        field: "options.l1Ratio".into(),
                        value: "undefined".into(),
                        reason: "penalty 'elasticnet' needs l1Ratio in [0, 1]".into(),
                    })
                }
            },
            _ => {
                return Err(Error::InvalidParameter {
                    field: "options.penalty".into(),
                    value: p,
                    reason: "expected 'l2', 'l1', 'elasticnet' or 'none'".into(),
                })
            }
        });
    }
    if let Some(b) = o.fitIntercept {
        s = s.fit_intercept(b);
    }
    job(move || Ok(Handle(Arc::new(s))))
}

/// `LogisticRegression.fit(x, y, sampleWeight?, nFeatures?)`.
pub fn logistic_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<LogisticRegression> = this(h, a)?;
    let (x, k) = read::matrix(h, &arg(h, a, 1)?, &arg(h, a, 4)?, None)?;
    let y = read::numbers(h, &arg(h, a, 2)?, "y")?;
    let w = read::given(h, arg(h, a, 3)?)
        .map(|v| read::numbers(h, &v, "sampleWeight"))
        .transpose()?;
    job(move || {
        let m = spec
            .fit(&x, k, &y, w.as_deref())
            .map_err(|e| renamed(e, js_field))?;
        Ok(Handle(Arc::new(m)))
    })
}

/// `new FittedLogistic()`: not for direct use.
pub fn fitted_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "FittedLogistic".into(),
        value: "new FittedLogistic()".into(),
        reason: "a fitted model is made by new glm.LogisticRegression(options).fit(x, y)".into(),
    })
}

/// `FittedLogistic.predictProba(x, nFeatures?)`: `P(y = 1)` per row.
pub fn fitted_predict_proba<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedLogistic> = this(h, a)?;
    let (x, k) = read::matrix(h, &arg(h, a, 1)?, &arg(h, a, 2)?, Some(m.coef().len()))?;
    job(move || {
        Ok(F64s(
            m.predict_proba(&x, k).map_err(|e| renamed(e, js_field))?,
        ))
    })
}

getter!(FittedLogistic, fitted_coef, F64s, |m| F64s(
    m.coef().to_vec()
));
getter!(FittedLogistic, fitted_intercept, f64, |m| m.intercept());
getter!(FittedLogistic, fitted_iterations, usize, |m| m.iterations());
crate::api::model_json!(
    FittedLogistic,
    fitted_to_json,
    fitted_from_json,
    "channelwise.glm.FittedLogistic",
    "LogisticRegression"
);
