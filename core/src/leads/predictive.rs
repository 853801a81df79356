//! Predictive lead scores: a regularised logistic regression of conversion (label 1) on lead
//! features, optionally calibrated, with per-lead explanations and an evaluation.
//!
//! - **Fit**: scikit-learn's `LogisticRegression` objective with an L2, L1, elastic-net or no
//!   penalty ([`crate::glm::logistic`]); `class_weight: "balanced"` weights each row by
//!   `n / (2 n_class)` as scikit-learn does.
//! - **Calibration** (scikit-learn's `CalibratedClassifierCV` on a frozen model, fitted on the
//!   calibration rows given, else on the training rows): `"platt"` maps the logit `f` to
//!   `1 / (1 + e^{a f + b})` with `(a, b)` minimising the log-loss against Platt's smoothed
//!   targets `(n+ + 1) / (n+ + 2)` and `1 / (n- + 2)` (`_sigmoid_calibration`, solved here by
//!   Newton's method to rounding level); `"isotonic"` is `IsotonicRegression(out_of_bounds =
//!   "clip")` of the labels on the logit: equal logits pooled, pool-adjacent-violators, then
//!   linear interpolation between the fitted points and their end values beyond them.
//! - **Contributions**: lead `i`'s logit is `base_logit + sum_j coef_j (x_ij - reference_j)`,
//!   with `reference` the training rows' (unweighted) feature means and `base_logit` =
//!   `intercept + coef . reference`, the logit of an average lead. Each term is feature `j`'s contribution
//!   in log-odds; they add up to the lead's logit exactly (up to rounding). Calibration maps
//!   the logit monotonically afterwards, so contributions explain the ranking, not the
//!   calibrated probability's size.
//! - **Evaluation** ([`crate::stats::classification`]): ROC AUC, log-loss, Brier score and a
//!   reliability table of the calibrated probabilities against labels.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `penalty` | `"l2"` | `"l2"`, `"l1"`, `"none"` or `{"elasticnet": {"l1_ratio": r}}` | `r` in `[0, 1]` |
//! | `c` | 1.0 | inverse regularisation strength (scikit-learn's `C`) | `> 0` |
//! | `calibration` | `"none"` | `"none"`, `"platt"` or `"isotonic"` | |
//! | `class_weight` | `"none"` | `"none"` or `"balanced"` | |
//! | `max_iter` | 200 | Newton steps | `>= 1` |
//!
//! Features are a row-major matrix (`n` rows of `k` values, `k` = number of names, `n` =
//! number of labels); names must be distinct.
//!
//! ```
//! use channelwise::leads::predictive::{Calibration, LogisticScore};
//! use channelwise::stats::classification::Reliability;
//! let names = vec!["pages".to_string(), "demo".to_string()];
//! // 8 leads: pages viewed, demo requested; converted?
//! let x = [1.0, 0.0, 2.0, 0.0, 3.0, 1.0, 5.0, 1.0, 0.0, 0.0, 4.0, 0.0, 6.0, 1.0, 2.0, 1.0];
//! let y = [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0];
//! let model = LogisticScore::default().calibration(Calibration::Platt).fit(&x, &names, &y)?;
//! assert!(model.coefficient("pages").unwrap() > 0.0);
//! let p = model.predict_proba(&x)?;
//! assert!(p.iter().all(|p| (0.0..=1.0).contains(p)));
//! let why = model.contributions(&x)?;
//! let logit0 = why.base_logit + why.values[0] + why.values[1];
//! assert!((logit0 - model.decision(&x)?[0]).abs() < 1e-12);
//! let eval = model.evaluate(&x, &y, &Reliability::default())?;
//! assert!(eval.auc > 0.5);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::glm::logistic::{check_labels, sigmoid, softplus, LogisticRegression, Penalty};
use crate::stats::classification::{self, Reliability, ReliabilityBin};

/// How the model's probabilities are calibrated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calibration {
    /// The logistic model's own probabilities.
    #[default]
    None,
    /// Platt's sigmoid on the logit.
    Platt,
    /// Isotonic regression on the logit.
    Isotonic,
}

/// Row weights by class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// Every row weighs 1.
    #[default]
    None,
    /// Rows of class `c` weigh `n / (2 n_c)`, so both classes weigh the same in total.
    Balanced,
}

/// A predictive lead score's settings (see the [module table](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticScore {
    /// The penalty on the coefficients.
    pub penalty: Penalty,
    /// Inverse regularisation strength.
    pub c: f64,
    /// Probability calibration.
    pub calibration: Calibration,
    /// Row weights by class.
    pub class_weight: ClassWeight,
    /// Most Newton steps.
    pub max_iter: usize,
}

impl Default for LogisticScore {
    fn default() -> Self {
        LogisticScore { penalty: Penalty::L2, c: 1.0, calibration: Calibration::None, class_weight: ClassWeight::None, max_iter: 200 }
    }
}

/// The fitted calibration map from logit to probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibrator {
    /// `P = sigmoid(logit)`.
    None,
    /// `P = 1 / (1 + e^{a logit + b})` (scikit-learn's `a_`, `b_`; `a < 0` for a useful score).
    Platt {
        /// Slope.
        a: f64,
        /// Offset.
        b: f64,
    },
    /// Linear interpolation through `(x[i], y[i])` (logits increasing, probabilities
    /// non-decreasing), `y[0]` below `x[0]` and the last `y` beyond the last `x`.
    Isotonic {
        /// Logits of the fitted points (scikit-learn's `X_thresholds_`).
        x: Vec<f64>,
        /// Probabilities at them (`y_thresholds_`).
        y: Vec<f64>,
    },
}

impl Calibrator {
    /// The calibrated probability of a logit.
    pub fn apply(&self, logit: f64) -> f64 {
        match self {
            Calibrator::None => sigmoid(logit),
            Calibrator::Platt { a, b } => sigmoid(-(a * logit + b)),
            Calibrator::Isotonic { x, y } => {
                let last = x.len() - 1;
                if logit <= x[0] || last == 0 {
                    return y[0];
                }
                if logit >= x[last] {
                    return y[last];
                }
                // scipy's interp1d: the interval from searchsorted(x, logit) (left)
                let hi = x.partition_point(|&v| v < logit).clamp(1, last);
                let lo = hi - 1;
                let slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
                (slope * (logit - x[lo]) + y[lo]).clamp(0.0, 1.0)
            }
        }
    }
}

/// A fitted predictive lead score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedLogisticScore {
    feature_names: Vec<String>,
    coef: Vec<f64>,
    intercept: f64,
    reference: Vec<f64>,
    calibrator: Calibrator,
    iterations: usize,
}

/// Per-lead contributions to the logit (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contributions {
    /// The feature names, the columns of `values`.
    pub feature_names: Vec<String>,
    /// The logit of the reference (mean) lead.
    pub base_logit: f64,
    /// Row-major `n x k`: `coef_j (x_ij - reference_j)`.
    pub values: Vec<f64>,
    /// Each lead's logit, `base_logit + sum_j values[i][j]`.
    pub logit: Vec<f64>,
}

/// How well calibrated probabilities rank and fit labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Rows.
    pub n: usize,
    /// Rows with label 1.
    pub positives: usize,
    /// ROC AUC.
    pub auc: f64,
    /// Mean log-loss.
    pub log_loss: f64,
    /// Brier score.
    pub brier: f64,
    /// The reliability table (non-empty bins).
    pub reliability: Vec<ReliabilityBin>,
}

/// Checks a feature matrix of `n` rows against `k` names; `what` names it in errors.
fn check_features(what: &str, x: &[f64], n: usize, k: usize) -> Result<()> {
    if x.len() != n * k {
        return Err(Error::LengthMismatch { field: what.into(), got: x.len(), expected: n * k });
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite { field: format!("{what}[{}][{}]", i / k, i % k), value: x[i] });
    }
    Ok(())
}

/// Platt's `(a, b)`: the minimiser of `sum_i [ln(1 + e^{r_i}) - t_i r_i]`, `r_i = -(a f_i +
/// b)`, with the smoothed targets `t_i`, by Newton's method with a line search.
fn platt(f: &[f64], y: &[f64]) -> (f64, f64) {
    let n1 = y.iter().filter(|&&v| v > 0.0).count() as f64;
    let n0 = y.len() as f64 - n1;
    let t: Vec<f64> = y.iter().map(|&v| if v > 0.0 { (n1 + 1.0) / (n1 + 2.0) } else { 1.0 / (n0 + 2.0) }).collect();
    let loss = |a: f64, b: f64| -> f64 { f.iter().zip(&t).map(|(fi, ti)| { let r = -(a * fi + b); softplus(r) - ti * r }).sum() };
    let (mut a, mut b) = (0.0, ((n0 + 1.0) / (n1 + 1.0)).ln());
    let mut cur = loss(a, b);
    for _ in 0..100 {
        // gradient and Hessian in (a, b): d loss / d a = sum (t - p) f with p = sigmoid(r)
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (fi, ti) in f.iter().zip(&t) {
            let p = sigmoid(-(a * fi + b));
            let (r, s) = (ti - p, p * (1.0 - p));
            ga += r * fi;
            gb += r;
            haa += s * fi * fi;
            hab += s * fi;
            hbb += s;
        }
        let det = haa * hbb - hab * hab;
        let (da, db) = if det > 1e-12 * haa * hbb && det > 0.0 {
            ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det)
        } else if hbb > 0.0 {
            // constant logits: only the offset is identified
            (0.0, gb / hbb)
        } else {
            break;
        };
        let mut s = 1.0;
        let mut accepted = false;
        while s > 1e-10 {
            let next = loss(a - s * da, b - s * db);
            if next <= cur {
                a -= s * da;
                b -= s * db;
                cur = next;
                accepted = true;
                break;
            }
            s *= 0.5;
        }
        if !accepted || (s * da).abs().max((s * db).abs()) <= 1e-15 * (1.0 + a.abs().max(b.abs())) {
            break;
        }
    }
    (a, b)
}

/// scikit-learn's `IsotonicRegression(increasing=True)` fitted points of `y` on `x` (unit
/// weights): sorted by `(x, y)`, equal `x` pooled to their mean, pool-adjacent-violators, and
/// the interior points of flat runs dropped.
fn isotonic(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    // by (x, y): a stable sort by y, then one by x
    crate::stats::sort_indices(&mut order, y);
    crate::stats::sort_indices(&mut order, x);
    // unique x: (x, mean y, weight)
    let mut ux: Vec<f64> = Vec::new();
    let mut uy: Vec<f64> = Vec::new();
    let mut uw: Vec<f64> = Vec::new();
    for &i in &order {
        match ux.last() {
            Some(&last) if last == x[i] => {
                let j = uy.len() - 1;
                uy[j] += y[i];
                uw[j] += 1.0;
            }
            _ => {
                ux.push(x[i]);
                uy.push(y[i]);
                uw.push(1.0);
            }
        }
    }
    for (s, w) in uy.iter_mut().zip(&uw) {
        *s /= w;
    }
    // pool adjacent violators over blocks (mean, weight, length)
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(ux.len());
    for (&v, &w) in uy.iter().zip(&uw) {
        blocks.push((v, w, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 >= blocks[blocks.len() - 1].0 {
            let Some((v2, w2, l2)) = blocks.pop() else { break };
            let j = blocks.len() - 1;
            let (v1, w1, l1) = blocks[j];
            blocks[j] = ((v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, l1 + l2);
        }
    }
    let fitted: Vec<f64> = blocks.iter().flat_map(|&(v, _, l)| std::iter::repeat_n(v, l)).collect();
    // keep the first and last point and every point whose value differs from a neighbour's
    let m = fitted.len();
    let keep = |i: usize| i == 0 || i + 1 == m || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1];
    let idx: Vec<usize> = (0..m).filter(|&i| keep(i)).collect();
    (idx.iter().map(|&i| ux[i]).collect(), idx.iter().map(|&i| fitted[i]).collect())
}

impl LogisticScore {
    /// Sets the penalty.
    pub fn penalty(mut self, p: Penalty) -> Self {
        self.penalty = p;
        self
    }

    /// Sets the inverse regularisation strength.
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }

    /// Sets the calibration.
    pub fn calibration(mut self, c: Calibration) -> Self {
        self.calibration = c;
        self
    }

    /// Sets the class weights.
    pub fn class_weight(mut self, w: ClassWeight) -> Self {
        self.class_weight = w;
        self
    }

    /// Sets the most Newton steps.
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Fits to `x` (row-major, one column per name in `feature_names`) and labels `y` (0 or
    /// 1), calibrating on the same rows.
    ///
    /// # Errors
    /// `out_of_range` for `c <= 0`, `l1_ratio` outside `[0, 1]` or `max_iter = 0`;
    /// `length_mismatch` naming `feature_names` or `features` when the matrix is not `n x k`;
    /// `non_finite` naming `features[i][j]`; `invalid_parameter` for a label other than 0 or 1
    /// (`y[i]`) or a repeated name (`feature_names[j]`); `not_enough_data` for no rows or no
    /// features; `not_converged` when the fit has no finite optimum (no penalty, separable).
    pub fn fit(&self, x: &[f64], feature_names: &[String], y: &[f64]) -> Result<FittedLogisticScore> {
        self.fit_inner(x, feature_names, y, None)
    }

    /// As [`LogisticScore::fit`], calibrating on separate rows `x_cal`, `y_cal` (held out from
    /// the training rows, as scikit-learn's `CalibratedClassifierCV` on a frozen model).
    ///
    /// # Errors
    /// As [`LogisticScore::fit`], with `calibration.features[i][j]`, `calibration.y[i]` naming
    /// bad calibration input.
    pub fn fit_calibrated(&self, x: &[f64], feature_names: &[String], y: &[f64], x_cal: &[f64], y_cal: &[f64]) -> Result<FittedLogisticScore> {
        self.fit_inner(x, feature_names, y, Some((x_cal, y_cal)))
    }

    fn fit_inner(&self, x: &[f64], names: &[String], y: &[f64], cal: Option<(&[f64], &[f64])>) -> Result<FittedLogisticScore> {
        let (n, k) = (y.len(), names.len());
        if n == 0 {
            return Err(Error::NotEnoughData { what: "a predictive lead score (rows)".into(), required: 1, got: 0 });
        }
        if k == 0 {
            return Err(Error::NotEnoughData { what: "a predictive lead score (feature_names)".into(), required: 1, got: 0 });
        }
        if x.len() != n * k && x.len() % n == 0 {
            return Err(Error::LengthMismatch { field: "feature_names".into(), got: k, expected: x.len() / n });
        }
        check_features("features", x, n, k)?;
        for (j, name) in names.iter().enumerate() {
            if names[..j].contains(name) {
                return Err(Error::param(format!("feature_names[{j}]"), name, "feature names must be unique"));
            }
        }
        check_labels(n, y, None)?;
        let weights = match self.class_weight {
            ClassWeight::None => None,
            ClassWeight::Balanced => {
                let n1 = y.iter().filter(|&&v| v == 1.0).count() as f64;
                let n0 = n as f64 - n1;
                Some(y.iter().map(|&v| n as f64 / (2.0 * if v == 1.0 { n1 } else { n0 })).collect::<Vec<f64>>())
            }
        };
        let fit = LogisticRegression::default().c(self.c).penalty(self.penalty).max_iter(self.max_iter).fit(x, k, y, weights.as_deref())?;
        let mut reference = vec![0.0; k];
        for row in x.chunks_exact(k) {
            for (r, v) in reference.iter_mut().zip(row) {
                *r += v;
            }
        }
        reference.iter_mut().for_each(|r| *r /= n as f64);
        let mut model = FittedLogisticScore {
            feature_names: names.to_vec(),
            coef: fit.coef().to_vec(),
            intercept: fit.intercept(),
            reference,
            calibrator: Calibrator::None,
            iterations: fit.iterations(),
        };
        if self.calibration != Calibration::None {
            let (xc, yc) = match cal {
                Some((xc, yc)) => {
                    if yc.is_empty() {
                        return Err(Error::NotEnoughData { what: "calibration rows".into(), required: 1, got: 0 });
                    }
                    check_features("calibration.features", xc, yc.len(), k)?;
                    check_labels(yc.len(), yc, None).map_err(|e| match e {
                        Error::InvalidParameter { field, value, reason } => Error::InvalidParameter { field: format!("calibration.{field}"), value, reason },
                        other => other,
                    })?;
                    (xc, yc)
                }
                None => (x, y),
            };
            let f: Vec<f64> = xc.chunks_exact(k).map(|row| model.logit(row)).collect();
            model.calibrator = match self.calibration {
                Calibration::Platt => {
                    let (a, b) = platt(&f, yc);
                    Calibrator::Platt { a, b }
                }
                _ => {
                    let (x, y) = isotonic(&f, yc);
                    Calibrator::Isotonic { x, y }
                }
            };
        }
        Ok(model)
    }
}

impl FittedLogisticScore {
    /// The feature names, in column order.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The coefficients (log-odds per unit), in column order.
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The coefficient of a named feature.
    pub fn coefficient(&self, name: &str) -> Option<f64> {
        self.feature_names.iter().position(|n| n == name).map(|j| self.coef[j])
    }

    /// The intercept.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The training means of the features: the reference lead of the contributions.
    pub fn reference(&self) -> &[f64] {
        &self.reference
    }

    /// The logit of the reference lead, `intercept + coef . reference`.
    pub fn base_logit(&self) -> f64 {
        self.logit(&self.reference)
    }

    /// The calibration map.
    pub fn calibrator(&self) -> &Calibrator {
        &self.calibrator
    }

    /// Newton steps the fit took.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    fn logit(&self, row: &[f64]) -> f64 {
        self.intercept + row.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>()
    }

    /// Rows of `x` (row-major, the fit's columns): `length_mismatch` or `non_finite` naming
    /// `features`.
    fn rows(&self, x: &[f64]) -> Result<usize> {
        let k = self.coef.len();
        if x.len() % k != 0 {
            return Err(Error::LengthMismatch { field: "features".into(), got: x.len(), expected: (x.len() / k + 1) * k });
        }
        check_features("features", x, x.len() / k, k)?;
        Ok(x.len() / k)
    }

    /// The logit (linear predictor, uncalibrated) of each row.
    ///
    /// # Errors
    /// `length_mismatch` when `x` is not a whole number of rows; `non_finite` naming
    /// `features[i][j]`.
    pub fn decision(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.rows(x)?;
        Ok(x.chunks_exact(self.coef.len()).map(|row| self.logit(row)).collect())
    }

    /// The calibrated `P(conversion)` of each row, in `[0, 1]`.
    ///
    /// # Errors
    /// As [`FittedLogisticScore::decision`].
    pub fn predict_proba(&self, x: &[f64]) -> Result<Vec<f64>> {
        Ok(self.decision(x)?.into_iter().map(|z| self.calibrator.apply(z)).collect())
    }

    /// Each row's contributions `coef_j (x_ij - reference_j)` to its logit (see the
    /// [module docs](self)).
    ///
    /// # Errors
    /// As [`FittedLogisticScore::decision`].
    pub fn contributions(&self, x: &[f64]) -> Result<Contributions> {
        self.rows(x)?;
        let k = self.coef.len();
        let base_logit = self.base_logit();
        let mut values = Vec::with_capacity(x.len());
        let mut logit = Vec::with_capacity(x.len() / k);
        for row in x.chunks_exact(k) {
            values.extend(row.iter().zip(&self.coef).zip(&self.reference).map(|((v, c), r)| c * (v - r)));
            logit.push(self.logit(row));
        }
        Ok(Contributions { feature_names: self.feature_names.clone(), base_logit, values, logit })
    }

    /// AUC, log-loss, Brier score and reliability table of the calibrated probabilities of
    /// `x` against labels `y`.
    ///
    /// # Errors
    /// As [`FittedLogisticScore::decision`]; `length_mismatch` when `y` has not one label per
    /// row; `invalid_parameter` (`y[i]`) for a label other than 0 or 1; `not_enough_data`
    /// naming `y` when a class is missing (no AUC); `out_of_range` for `n_bins = 0`.
    pub fn evaluate(&self, x: &[f64], y: &[f64], reliability: &Reliability) -> Result<Evaluation> {
        let n = self.rows(x)?;
        if y.len() != n {
            return Err(Error::LengthMismatch { field: "y".into(), got: y.len(), expected: n });
        }
        if reliability.n_bins == 0 {
            return Err(Error::OutOfRange { field: "n_bins".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        let p = self.predict_proba(x)?;
        Ok(Evaluation {
            n,
            positives: y.iter().filter(|&&v| v == 1.0).count(),
            auc: classification::auc(y, &p)?,
            log_loss: classification::log_loss(y, &p)?,
            brier: classification::brier(y, &p)?,
            reliability: reliability.table(y, &p)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators_and_interpolates() {
        let (x, y) = isotonic(&[0.0, 1.0, 2.0, 3.0, 3.0], &[0.0, 1.0, 0.0, 1.0, 1.0]);
        // (1, 2) pool to 0.5; 3 is a tie of two ones
        assert_eq!(x, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(y, vec![0.0, 0.5, 0.5, 1.0]);
        let c = Calibrator::Isotonic { x, y };
        assert_eq!(c.apply(-5.0), 0.0);
        assert_eq!(c.apply(0.5), 0.25);
        assert_eq!(c.apply(9.0), 1.0);
    }

    #[test]
    fn platt_on_constant_logits_fits_the_smoothed_rate() {
        let (a, b) = platt(&[1.0, 1.0, 1.0, 1.0], &[1.0, 0.0, 0.0, 0.0]);
        let p = sigmoid(-(a + b));
        // the mean target: (1 * 2/3 + 3 * 1/5) / 4
        assert!((p - (2.0 / 3.0 + 0.6) / 4.0).abs() < 1e-12, "{a} {b} {p}");
    }

    #[test]
    fn bad_input_is_named() {
        let names = vec!["a".to_string(), "b".to_string()];
        let e = LogisticScore::default().fit(&[1.0, 2.0, 3.0, f64::NAN], &names, &[0.0, 1.0]).unwrap_err();
        assert!(e.to_string().contains("features[1][1]"), "{e}");
        let e = LogisticScore::default().fit(&[1.0, 2.0], &names[..1], &[0.0]).unwrap_err();
        assert!(e.to_string().contains("feature_names"), "{e}");
        let dup = vec!["a".to_string(), "a".to_string()];
        let e = LogisticScore::default().fit(&[1.0, 2.0], &dup, &[0.0]).unwrap_err();
        assert!(e.to_string().contains("feature_names[1]"), "{e}");
    }
}
