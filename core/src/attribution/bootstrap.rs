//! Bootstrap confidence intervals for attribution credit.
//!
//! Journeys are resampled with replacement: the table's conversions and nulls are cells of a
//! multinomial with the observed counts, redrawn with the same total number of journeys (a
//! row's value follows its conversions at the row's mean value per conversion). Each replicate
//! is attributed again; intervals are percentiles of the replicates' credit, scaled to the
//! observed totals, so they describe how surely the credit is *split*, not how many
//! conversions next month brings. Replicate `r` draws from ChaCha8 stream `r` of the seed, so
//! the answer does not depend on the number of threads.
//!
//! Every method has a `_with_progress` twin taking a [`Monitor`]: it reports after each
//! replicate and stops with [`Error::Cancelled`] when asked (see [`crate::progress`]).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};

use super::credit::{normalise_to, ChannelCredit};
use super::markov::{FittedMarkov, Markov};
use super::shapley::shapley;
use crate::error::{check_range, Error, Result};
use crate::journey::PathTable;
use crate::progress::{Monitor, Ticker};

/// Bootstrap specification.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `replicates` | 200 | resampled tables | >= 10 |
/// | `level` | 0.95 | two-sided percentile interval level | (0, 1) |
/// | `seed` | 0 | ChaCha8 seed | any |
///
/// ```
/// use channelwise::{attribution::{Bootstrap, Markov}, journey::PathTable};
/// let t = PathTable::from_strings(
///     &["a>b", "b", "a", "c>b"],
///     &[30.0, 20.0, 5.0, 8.0],
///     Some(&[70.0, 80.0, 95.0, 40.0]),
///     None,
///     ">",
/// )?;
/// let ci = Bootstrap::default().replicates(50).seed(1).markov(&Markov::default(), &t)?;
/// for i in 0..3 {
///     assert!(ci.conversions_lower[i] <= ci.estimate.conversions[i]);
///     assert!(ci.estimate.conversions[i] <= ci.conversions_upper[i]);
/// }
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    replicates: usize,
    level: f64,
    seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap { replicates: 200, level: 0.95, seed: 0 }
    }
}

/// Point estimates of credit with bootstrap intervals and standard errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditIntervals {
    /// Credit on the observed data.
    pub estimate: ChannelCredit,
    /// Lower end of each channel's conversions interval.
    pub conversions_lower: Vec<f64>,
    /// Upper end of each channel's conversions interval.
    pub conversions_upper: Vec<f64>,
    /// Bootstrap standard error of each channel's conversions.
    pub conversions_std_error: Vec<f64>,
    /// Lower end of each channel's value interval.
    pub value_lower: Vec<f64>,
    /// Upper end of each channel's value interval.
    pub value_upper: Vec<f64>,
    /// Bootstrap standard error of each channel's value.
    pub value_std_error: Vec<f64>,
    /// Interval level.
    pub level: f64,
    /// Replicates drawn.
    pub replicates: usize,
}

impl Bootstrap {
    /// Sets the number of replicates.
    pub fn replicates(mut self, replicates: usize) -> Self {
        self.replicates = replicates;
        self
    }

    /// Sets the interval level.
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    fn validate(&self, table: &PathTable) -> Result<()> {
        if self.replicates < 10 {
            return Err(Error::OutOfRange {
                field: "replicates".into(),
                value: self.replicates as f64,
                min: 10.0,
                max: f64::INFINITY,
            });
        }
        check_range("level", self.level, f64::MIN_POSITIVE, 1.0 - f64::EPSILON)?;
        for (row, (c, n)) in table.conversions().iter().zip(table.nulls()).enumerate() {
            for (field, x) in [("conversions", c), ("nulls", n)] {
                if x.fract() != 0.0 || *x > 2f64.powi(52) {
                    return Err(Error::param(
                        format!("{field}[{row}]"),
                        x,
                        "the bootstrap resamples journeys, so counts must be whole numbers",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Intervals for Markov credit. The chain's structure is built once; replicates only
    /// re-weight it.
    ///
    /// # Errors
    /// As [`Markov::fit`]; [`Error::OutOfRange`] for fewer than 10 replicates or a level outside
    /// (0, 1); [`Error::InvalidParameter`] for fractional counts.
    pub fn markov(&self, spec: &Markov, table: &PathTable) -> Result<CreditIntervals> {
        self.markov_with_progress(spec, table, &Monitor::new())
    }

    /// [`Bootstrap::markov`], reporting each replicate to `monitor` and stopping when it asks.
    ///
    /// # Errors
    /// As [`Bootstrap::markov`]; [`Error::Cancelled`] when stopped.
    pub fn markov_with_progress(&self, spec: &Markov, table: &PathTable, monitor: &Monitor) -> Result<CreditIntervals> {
        self.validate(table)?;
        self.markov_replicates(&spec.fit(table)?, table, monitor)
    }

    /// Intervals for an already fitted Markov model; `table` must be the one it was fitted on.
    ///
    /// ```
    /// use channelwise::{attribution::{Bootstrap, Markov}, journey::PathTable};
    /// let t = PathTable::from_strings(&["a>b", "b"], &[30.0, 20.0], Some(&[70.0, 80.0]), None, ">")?;
    /// let m = Markov::default().fit(&t)?;
    /// let ci = Bootstrap::default().replicates(20).fitted_markov(&m, &t)?;
    /// assert_eq!(ci.estimate, *m.credit());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Bootstrap::markov`]; [`Error::LengthMismatch`] if `table` has a different number of
    /// rows than the model was fitted on.
    pub fn fitted_markov(&self, fitted: &FittedMarkov, table: &PathTable) -> Result<CreditIntervals> {
        self.fitted_markov_with_progress(fitted, table, &Monitor::new())
    }

    /// [`Bootstrap::fitted_markov`], reporting each replicate to `monitor` and stopping when it
    /// asks.
    ///
    /// # Errors
    /// As [`Bootstrap::fitted_markov`]; [`Error::Cancelled`] when stopped.
    pub fn fitted_markov_with_progress(&self, fitted: &FittedMarkov, table: &PathTable, monitor: &Monitor) -> Result<CreditIntervals> {
        self.validate(table)?;
        if table.len() != fitted.n_rows() {
            return Err(Error::LengthMismatch { field: "table rows".into(), expected: fitted.n_rows(), got: table.len() });
        }
        self.markov_replicates(fitted, table, monitor)
    }

    /// The Markov replicates, once settings and table are validated.
    fn markov_replicates(&self, fitted: &FittedMarkov, table: &PathTable, monitor: &Monitor) -> Result<CreditIntervals> {
        let (tc, tv) = (table.total_conversions(), table.total_value());
        self.run(table, fitted.credit().clone(), monitor, |c, n, v| {
            let s = fitted.refit_counts(c, n, v)?;
            Ok((normalise_to(&s.removal_effects, tc), normalise_to(&s.removal_effects_value, tv)))
        })
    }

    /// Intervals for the closed-form Shapley credit ([`shapley`]).
    ///
    /// # Errors
    /// As [`Bootstrap::markov`] and [`shapley`].
    pub fn shapley(&self, table: &PathTable) -> Result<CreditIntervals> {
        self.custom(table, shapley)
    }

    /// [`Bootstrap::shapley`], reporting each replicate to `monitor` and stopping when it asks.
    ///
    /// # Errors
    /// As [`Bootstrap::shapley`]; [`Error::Cancelled`] when stopped.
    pub fn shapley_with_progress(&self, table: &PathTable, monitor: &Monitor) -> Result<CreditIntervals> {
        self.custom_with_progress(table, shapley, monitor)
    }

    /// Intervals for any model: `model` is run on every resampled table.
    ///
    /// ```
    /// use channelwise::{attribution::{Bootstrap, Heuristics}, journey::PathTable};
    /// let t = PathTable::from_strings(&["a>b", "b"], &[10.0, 5.0], Some(&[5.0, 5.0]), None, ">")?;
    /// let ci = Bootstrap::default().custom(&t, |t| Ok(Heuristics::default().fit(t)?.linear))?;
    /// assert_eq!(ci.replicates, 200);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Bootstrap::markov`], and any error of `model`.
    pub fn custom<F>(&self, table: &PathTable, model: F) -> Result<CreditIntervals>
    where
        F: Fn(&PathTable) -> Result<ChannelCredit> + Sync,
    {
        self.custom_with_progress(table, model, &Monitor::new())
    }

    /// [`Bootstrap::custom`], reporting each replicate to `monitor` and stopping when it asks.
    ///
    /// ```
    /// use channelwise::{attribution::{Bootstrap, Heuristics}, journey::PathTable};
    /// use channelwise::progress::{CancelToken, Monitor};
    /// let t = PathTable::from_strings(&["a>b", "b"], &[10.0, 5.0], Some(&[5.0, 5.0]), None, ">")?;
    /// let token = CancelToken::new();
    /// let monitor = Monitor::new().cancel_token(token.clone());
    /// let stop_early = token.clone();
    /// let e = Bootstrap::default()
    ///     .custom_with_progress(&t, move |t| { stop_early.cancel(); Ok(Heuristics::default().fit(t)?.linear) }, &monitor)
    ///     .unwrap_err();
    /// assert_eq!(e.kind().code(), "cancelled");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Bootstrap::custom`]; [`Error::Cancelled`] when stopped.
    pub fn custom_with_progress<F>(&self, table: &PathTable, model: F, monitor: &Monitor) -> Result<CreditIntervals>
    where
        F: Fn(&PathTable) -> Result<ChannelCredit> + Sync,
    {
        self.validate(table)?;
        let estimate = model(table)?;
        let (tc, tv) = (table.total_conversions(), table.total_value());
        self.run(table, estimate, monitor, |c, n, v| {
            let t = table.with_counts(c.to_vec(), n.to_vec(), v.to_vec())?;
            let credit = model(&t)?;
            Ok((normalise_to(&credit.conversions, tc), normalise_to(&credit.value, tv)))
        })
    }

    fn run<F>(&self, table: &PathTable, estimate: ChannelCredit, monitor: &Monitor, replicate: F) -> Result<CreditIntervals>
    where
        F: Fn(&[f64], &[f64], &[f64]) -> Result<(Vec<f64>, Vec<f64>)> + Sync,
    {
        let ticker = Ticker::start(monitor, "bootstrap intervals", "replicates", self.replicates)?;
        let one = |r: usize| -> Result<(Vec<f64>, Vec<f64>)> {
            ticker.check()?;
            let (c, n, v) = resample(table, self.seed, r as u64)?;
            let out = replicate(&c, &n, &v)?;
            ticker.tick()?;
            Ok(out)
        };
        #[cfg(feature = "parallel")]
        let reps: Vec<(Vec<f64>, Vec<f64>)> = {
            use rayon::prelude::*;
            (0..self.replicates).into_par_iter().map(one).collect::<Result<_>>()?
        };
        #[cfg(not(feature = "parallel"))]
        let reps: Vec<(Vec<f64>, Vec<f64>)> = (0..self.replicates).map(one).collect::<Result<_>>()?;
        ticker.finish()?;

        let k = estimate.channels.len();
        let alpha = (1.0 - self.level) / 2.0;
        let summarise = |get: &dyn Fn(&Replicate) -> &Vec<f64>| {
            let (mut lo, mut hi, mut se) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
            let mut xs = Vec::with_capacity(reps.len());
            for ch in 0..k {
                xs.clear();
                xs.extend(reps.iter().map(|r| get(r)[ch]));
                crate::stats::sort_f64(&mut xs);
                lo[ch] = quantile(&xs, alpha);
                hi[ch] = quantile(&xs, 1.0 - alpha);
                let m = xs.iter().sum::<f64>() / xs.len() as f64;
                se[ch] = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt();
            }
            (lo, hi, se)
        };
        let (conversions_lower, conversions_upper, conversions_std_error) = summarise(&|r| &r.0);
        let (value_lower, value_upper, value_std_error) = summarise(&|r| &r.1);
        Ok(CreditIntervals {
            estimate,
            conversions_lower,
            conversions_upper,
            conversions_std_error,
            value_lower,
            value_upper,
            value_std_error,
            level: self.level,
            replicates: self.replicates,
        })
    }
}

/// One replicate's credited conversions and value per channel.
type Replicate = (Vec<f64>, Vec<f64>);

/// Multinomial redraw of every row's conversions and nulls with the observed total journeys,
/// by sequential conditional binomials.
fn resample(table: &PathTable, seed: u64, stream: u64) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    let total = table.total_conversions() + table.total_nulls();
    let mut left_n = total as u64;
    let mut left_mass = total;
    let mut draw = |k: f64| -> Result<f64> {
        if k <= 0.0 || left_n == 0 {
            left_mass -= k;
            return Ok(0.0);
        }
        let p = (k / left_mass).clamp(0.0, 1.0);
        left_mass -= k;
        let b = Binomial::new(left_n, p).map_err(|e| Error::Internal(format!("binomial({left_n}, {p}): {e}")))?;
        let x = b.sample(&mut rng);
        left_n -= x;
        Ok(x as f64)
    };
    let n = table.len();
    let (mut c, mut nl, mut v) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for row in 0..n {
        let c0 = table.conversions()[row];
        let cs = draw(c0)?;
        let ns = draw(table.nulls()[row])?;
        c.push(cs);
        nl.push(ns);
        v.push(if c0 > 0.0 { table.values()[row] * cs / c0 } else { 0.0 });
    }
    Ok((c, nl, v))
}

/// Linear-interpolation quantile (type 7) of sorted data.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (i, frac) = (h.floor() as usize, h - h.floor());
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn table() -> PathTable {
        PathTable::from_strings(
            &["a>b", "b", "a", "c>b", "c"],
            &[30.0, 20.0, 5.0, 8.0, 1.0],
            Some(&[70.0, 80.0, 95.0, 40.0, 60.0]),
            Some(&[300.0, 180.0, 50.0, 90.0, 5.0]),
            ">",
        )
        .unwrap()
    }

    #[test]
    fn resample_keeps_total_journeys() {
        let t = table();
        let (c, n, v) = resample(&t, 5, 3).unwrap();
        let total: f64 = c.iter().chain(&n).sum();
        assert_eq!(total, t.total_conversions() + t.total_nulls());
        assert!(v.iter().zip(&c).all(|(v, c)| *c > 0.0 || *v == 0.0));
    }

    #[test]
    fn same_seed_same_intervals_different_seed_different() {
        let t = table();
        let b = Bootstrap::default().replicates(30);
        let x = b.seed(4).markov(&Markov::default(), &t).unwrap();
        let y = b.seed(4).markov(&Markov::default(), &t).unwrap();
        let z = b.seed(5).markov(&Markov::default(), &t).unwrap();
        assert_eq!(x, y);
        assert_ne!(x.conversions_lower, z.conversions_lower);
    }

    #[test]
    fn markov_fast_path_equals_generic_path() {
        let t = table();
        let b = Bootstrap::default().replicates(20).seed(9);
        let fast = b.markov(&Markov::default(), &t).unwrap();
        let slow = b.custom(&t, |t| Ok(Markov::default().fit(t)?.credit().clone())).unwrap();
        for (a, s) in fast.conversions_upper.iter().zip(&slow.conversions_upper) {
            assert!((a - s).abs() < 1e-9);
        }
    }

    #[test]
    fn intervals_cover_the_truth_for_shapley() {
        // Channel "c" gets 8/2 + 1 = 5 conversions on the observed data.
        let t = table();
        let ci = Bootstrap::default().replicates(400).seed(2).shapley(&t).unwrap();
        let c = 2;
        assert!(ci.conversions_lower[c] < 5.0 && 5.0 < ci.conversions_upper[c]);
        assert!(ci.conversions_std_error[c] > 0.0);
    }

    /// Independent reference: the closed-form Shapley credit of a channel is
    /// `total_conversions * A / B` with `A = sum_k w_k X_k` (w_k: the channel's share of cell k)
    /// and `B = sum_k u_k X_k` (u_k = 1 for conversion cells), where the cell counts X are
    /// multinomial(N, p). The delta method gives its standard error from the multinomial
    /// covariance `Cov(X_k, X_l) = N (p_k [k = l] - p_k p_l)`; the bootstrap's must agree.
    #[test]
    fn shapley_standard_error_matches_the_delta_method() {
        let t = table();
        let ci = Bootstrap::default().replicates(2000).seed(11).shapley(&t).unwrap();
        // cells: conversions then nulls of each row; channel weights from the closed form
        let shares: [[f64; 3]; 5] = [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 1.0]];
        let mut cells = Vec::new(); // (count, w per channel, u)
        for (r, share) in shares.iter().enumerate() {
            cells.push((t.conversions()[r], *share, 1.0));
            cells.push((t.nulls()[r], [0.0; 3], 0.0));
        }
        let n: f64 = cells.iter().map(|c| c.0).sum();
        let tc = t.total_conversions();
        for ch in 0..3 {
            let p = |c: &(f64, [f64; 3], f64)| c.0 / n;
            let (ea, eb) = (
                cells.iter().map(|c| c.1[ch] * p(c)).sum::<f64>(),
                cells.iter().map(|c| c.2 * p(c)).sum::<f64>(),
            );
            let var_a = n * (cells.iter().map(|c| c.1[ch].powi(2) * p(c)).sum::<f64>() - ea * ea);
            let var_b = n * (cells.iter().map(|c| c.2 * p(c)).sum::<f64>() - eb * eb);
            let cov = n * (cells.iter().map(|c| c.1[ch] * c.2 * p(c)).sum::<f64>() - ea * eb);
            let r = ea / eb;
            let var_share = (var_a - 2.0 * r * cov + r * r * var_b) / (n * eb).powi(2);
            let se = tc * var_share.sqrt();
            let got = ci.conversions_std_error[ch];
            assert!((got / se - 1.0).abs() < 0.1, "channel {ch}: bootstrap se {got}, delta method {se}");
        }
    }

    #[test]
    fn bad_settings() {
        let t = table();
        let e = Bootstrap::default().replicates(3).shapley(&t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let e = Bootstrap::default().level(1.0).shapley(&t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let frac = PathTable::from_strings(&["a"], &[1.5], None, None, ">").unwrap();
        let e = Bootstrap::default().shapley(&frac).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert!(e.to_string().contains("conversions[0]"), "{e}");
    }
}
