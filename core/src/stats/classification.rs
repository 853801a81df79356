//! Scores of probabilistic binary predictions with scikit-learn's semantics: ROC AUC
//! (`roc_auc_score`, ties counted half), log-loss (`log_loss`, probabilities clipped to
//! `[eps, 1 - eps]`), the Brier score (`brier_score_loss`) and a reliability table
//! (`calibration_curve`, with the count of each bin).
//!
//! Labels are 0 or 1 ([`Error::InvalidParameter`] names `y[i]`), probabilities finite and in
//! `[0, 1]` ([`Error::NonFinite`] / [`Error::OutOfRange`] name `proba[i]`), both of one length.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `n_bins` | 5 | reliability bins (scikit-learn's default) | `>= 1` |
//! | `strategy` | `"uniform"` | `"uniform"`: equal-width bins on `[0, 1]`; `"quantile"`: edges at the quantiles of the probabilities (numpy's linear percentile) | |
//!
//! ```
//! use channelwise::stats::classification::{auc, brier, Reliability};
//! let y = [0.0, 0.0, 1.0, 1.0];
//! let p = [0.1, 0.4, 0.35, 0.8];
//! assert_eq!(auc(&y, &p)?, 0.75);
//! assert!((brier(&y, &p)? - 0.158125).abs() < 1e-12);
//! let table = Reliability::default().n_bins(2).table(&y, &p)?;
//! assert_eq!(table.iter().map(|b| b.count).collect::<Vec<_>>(), vec![3, 1]);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stats::{check_len, check_same_len};

/// Checks labels (0 or 1) and probabilities (finite, in `[0, 1]`) of one length `>= 1`.
fn check(y: &[f64], proba: &[f64]) -> Result<()> {
    check_same_len("proba", y.len(), proba.len())?;
    check_len("a classification score (rows)", 1, y.len())?;
    if let Some(i) = y.iter().position(|&v| v != 0.0 && v != 1.0) {
        return Err(Error::param(format!("y[{i}]"), y[i], "labels must be 0 or 1"));
    }
    for (i, &p) in proba.iter().enumerate() {
        crate::error::check_range(format!("proba[{i}]"), p, 0.0, 1.0)?;
    }
    Ok(())
}

/// Area under the ROC curve of `score` against labels `y` (0 or 1): the probability that a
/// random positive scores above a random negative, ties counted half (scikit-learn's
/// `roc_auc_score`). `score` may be any finite number (a probability or a logit).
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NonFinite`] (`score[i]`), [`Error::InvalidParameter`]
/// (`y[i]`), [`Error::NotEnoughData`] naming `y` when a class is missing.
pub fn auc(y: &[f64], score: &[f64]) -> Result<f64> {
    check_same_len("score", y.len(), score.len())?;
    crate::stats::check_finite("score", score)?;
    if let Some(i) = y.iter().position(|&v| v != 0.0 && v != 1.0) {
        return Err(Error::param(format!("y[{i}]"), y[i], "labels must be 0 or 1"));
    }
    let pos = y.iter().filter(|&&v| v == 1.0).count();
    let neg = y.len() - pos;
    if pos == 0 || neg == 0 {
        let what = if pos == 0 { "y (positive labels for an AUC)" } else { "y (negative labels for an AUC)" };
        return Err(Error::NotEnoughData { what: what.into(), required: 1, got: 0 });
    }
    // Mann-Whitney: the positives' mid-ranks
    let mut order: Vec<usize> = (0..y.len()).collect();
    super::sort_indices(&mut order, score);
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mid * order[i..=j].iter().filter(|&&r| y[r] == 1.0).count() as f64;
        i = j + 1;
    }
    let (p, n) = (pos as f64, neg as f64);
    Ok((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Mean negative log-likelihood of labels `y` under probabilities `proba`, each clipped to
/// `[eps, 1 - eps]` with `eps` the machine epsilon (scikit-learn's `log_loss`).
///
/// # Errors
/// As [`brier`].
pub fn log_loss(y: &[f64], proba: &[f64]) -> Result<f64> {
    check(y, proba)?;
    let eps = f64::EPSILON;
    let sum: f64 = y.iter().zip(proba).map(|(&t, &p)| {
        let p = p.clamp(eps, 1.0 - eps);
        -(if t == 1.0 { p.ln() } else { (1.0 - p).ln() })
    }).sum();
    Ok(sum / y.len() as f64)
}

/// Mean squared difference between probabilities and labels (scikit-learn's
/// `brier_score_loss`).
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotEnoughData`] for no rows, [`Error::InvalidParameter`]
/// for a label other than 0 or 1 (`y[i]`), [`Error::NonFinite`] or [`Error::OutOfRange`] for a
/// probability outside `[0, 1]` (`proba[i]`).
pub fn brier(y: &[f64], proba: &[f64]) -> Result<f64> {
    check(y, proba)?;
    Ok(y.iter().zip(proba).map(|(t, p)| (p - t) * (p - t)).sum::<f64>() / y.len() as f64)
}

/// How the reliability table places its bin edges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStrategy {
    /// Equal widths on `[0, 1]`.
    #[default]
    Uniform,
    /// Edges at the `i / n_bins` quantiles of the probabilities (numpy's linear percentile).
    Quantile,
}

/// Settings of a reliability table (see the [module table](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reliability {
    /// Number of bins.
    pub n_bins: usize,
    /// Bin edges: uniform or quantile.
    pub strategy: BinStrategy,
}

impl Default for Reliability {
    fn default() -> Self {
        Reliability { n_bins: 5, strategy: BinStrategy::Uniform }
    }
}

/// One non-empty bin of a reliability table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// The bin's index among all `n_bins` (empty bins are left out of the table).
    pub bin: usize,
    /// Lower edge (a probability falls in the first bin whose upper edge is `>=` it).
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Rows in the bin.
    pub count: usize,
    /// Share of them with label 1 (`prob_true` of scikit-learn).
    pub fraction_positive: f64,
    /// Their mean probability (`prob_pred`).
    pub mean_predicted: f64,
}

/// numpy's `percentile(v, q)` with the default linear method, `q` in percent, `v` sorted.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let virtual_index = (q / 100.0) * (n - 1) as f64;
    let lo = virtual_index.floor().clamp(0.0, (n - 1) as f64);
    let i = lo as usize;
    let j = (i + 1).min(n - 1);
    let t = virtual_index - lo;
    let (a, b) = (sorted[i], sorted[j]);
    // numpy's _lerp: from the nearer end
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

impl Reliability {
    /// Sets the number of bins.
    pub fn n_bins(mut self, n: usize) -> Self {
        self.n_bins = n;
        self
    }

    /// Sets the bin strategy.
    pub fn strategy(mut self, s: BinStrategy) -> Self {
        self.strategy = s;
        self
    }

    /// The non-empty bins of `proba` against labels `y`, as scikit-learn's `calibration_curve`
    /// (a probability `p` goes to bin `#{inner edges < p}`), with their counts and edges.
    ///
    /// # Errors
    /// As [`brier`]; [`Error::OutOfRange`] for `n_bins = 0`.
    pub fn table(&self, y: &[f64], proba: &[f64]) -> Result<Vec<ReliabilityBin>> {
        if self.n_bins == 0 {
            return Err(Error::OutOfRange { field: "n_bins".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        check(y, proba)?;
        let nb = self.n_bins;
        // numpy's linspace(0, 1, nb + 1): i * (1 / nb), the last exactly 1. Edges are computed
        // when needed, never all of them: memory stays O(n) whatever `n_bins` (2^32 bins once
        // asked for 34 GB, and the allocation failure aborts the process).
        let step = 1.0 / nb as f64;
        let grid = |i: usize| if i == nb { 1.0 } else { i as f64 * step };
        let sorted = match self.strategy {
            BinStrategy::Uniform => Vec::new(),
            BinStrategy::Quantile => {
                let mut sorted = proba.to_vec();
                super::sort_f64(&mut sorted);
                sorted
            }
        };
        let edge = |i: usize| match self.strategy {
            BinStrategy::Uniform => grid(i),
            BinStrategy::Quantile => percentile(&sorted, grid(i) * 100.0),
        };
        // the bin of p: how many inner edges (1..nb, non-decreasing) lie below it
        let bin_of = |p: f64| {
            let (mut lo, mut hi) = (1, nb);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if edge(mid) < p {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo - 1
        };
        // The non-empty bins in order: bins rise with p, so walk the rows sorted by p (the shared
        // index sort: no map, one sort instance). Then sum in row order, as scikit-learn does.
        let mut order: Vec<usize> = (0..proba.len()).collect();
        super::sort_indices(&mut order, proba);
        let mut slot = vec![0usize; proba.len()];
        let mut table: Vec<ReliabilityBin> = Vec::new();
        for &i in &order {
            let b = bin_of(proba[i]);
            if table.last().is_none_or(|last| last.bin != b) {
                let (lower, upper) = (edge(b), edge(b + 1));
                table.push(ReliabilityBin { bin: b, lower, upper, count: 0, fraction_positive: 0.0, mean_predicted: 0.0 });
            }
            slot[i] = table.len() - 1;
        }
        for (i, (&t, &p)) in y.iter().zip(proba).enumerate() {
            let bin = &mut table[slot[i]];
            bin.count += 1;
            bin.fraction_positive += t;
            bin.mean_predicted += p;
        }
        for bin in &mut table {
            bin.fraction_positive /= bin.count as f64;
            bin.mean_predicted /= bin.count as f64;
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_half_and_needs_both_classes() {
        assert_eq!(auc(&[0.0, 1.0], &[0.5, 0.5]).unwrap(), 0.5);
        assert_eq!(auc(&[0.0, 1.0, 1.0], &[0.2, 0.2, 0.9]).unwrap(), 0.75);
        let e = auc(&[1.0, 1.0], &[0.2, 0.3]).unwrap_err();
        assert_eq!(e.kind().code(), "not_enough_data");
        assert!(e.to_string().contains('y'));
    }

    #[test]
    fn log_loss_clips_and_names_bad_probabilities() {
        let l = log_loss(&[1.0], &[0.0]).unwrap();
        assert!((l + f64::EPSILON.ln()).abs() < 1e-12);
        let e = brier(&[1.0, 0.0], &[0.5, 1.5]).unwrap_err();
        assert!(e.to_string().contains("proba[1]"));
        let e = Reliability::default().n_bins(0).table(&[1.0], &[0.5]).unwrap_err();
        assert!(e.to_string().contains("n_bins"));
        // bins cost nothing until a probability falls in them (found by the JS mutation tests:
        // n_bins = 2^32 asked for 34 GB and aborted the Node process)
        for strategy in [BinStrategy::Uniform, BinStrategy::Quantile] {
            let t = Reliability::default().n_bins(1 << 32).strategy(strategy).table(&[0.0, 1.0, 1.0], &[0.1, 0.5, 0.9]).unwrap();
            assert_eq!(t.len(), 3);
            assert!(t.windows(2).all(|w| w[0].bin < w[1].bin && w[0].upper <= w[1].lower), "{t:?}");
        }
    }

    #[test]
    fn quantile_bins_follow_numpy_percentiles() {
        let y = [0.0, 1.0, 0.0, 1.0, 1.0];
        let p = [0.1, 0.2, 0.3, 0.4, 0.5];
        let t = Reliability::default().n_bins(2).strategy(BinStrategy::Quantile).table(&y, &p).unwrap();
        // median 0.3: (0.1, 0.2, 0.3) then (0.4, 0.5)
        assert_eq!(t.iter().map(|b| b.count).collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(t[1].fraction_positive, 1.0);
    }
}
