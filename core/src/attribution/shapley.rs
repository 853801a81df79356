//! Shapley-value attribution: closed form, by touch position, exact enumeration and sampling.
//!
//! For the *subset game*, `v(S)` = conversions of journeys whose set of channels lies inside
//! `S`, the Shapley value has a closed form: each journey's conversions are split equally over
//! its distinct channels ([`shapley`]). [`ordered_shapley`] splits each channel's share further
//! over the positions where it touched the journey. For any other characteristic function —
//! e.g. the Markov chain's conversion probability with a subset of channels,
//! [`FittedMarkov::conversion_probability_with`](super::FittedMarkov::conversion_probability_with)
//! — use [`shapley_exact`] (all `2^n` coalitions, n <= 20) or [`ShapleySampler`] (seeded
//! permutation sampling with standard errors).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::credit::ChannelCredit;
use super::markov::FittedMarkov;
use crate::error::{Error, Result};
use crate::journey::PathTable;
use crate::progress::{Monitor, Ticker};

/// Largest number of players [`shapley_exact`] enumerates (2^20 coalitions).
pub const MAX_EXACT_PLAYERS: usize = 20;

/// Shapley credit of the subset game: each row's conversions and value split equally over its
/// distinct channels.
///
/// ```
/// use channelwise::{attribution::shapley, journey::PathTable};
/// let t = PathTable::from_strings(&["a>b>a", "b"], &[4.0, 1.0], None, Some(&[40.0, 5.0]), ">")?;
/// let s = shapley(&t)?;
/// assert_eq!(s.conversions, [2.0, 3.0]);
/// assert_eq!(s.value, [20.0, 25.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
///
/// # Errors
/// [`Error::NotEnoughData`] for an empty table.
pub fn shapley(table: &PathTable) -> Result<ChannelCredit> {
    non_empty(table, "Shapley attribution")?;
    let mut out = ChannelCredit::zeros(table.channels());
    let mut seen = vec![u32::MAX; table.n_channels()];
    let mut distinct = Vec::new();
    for (row, (path, conv, _, val)) in table.rows().enumerate() {
        distinct.clear();
        for &c in path {
            if seen[c as usize] != row as u32 {
                seen[c as usize] = row as u32;
                distinct.push(c);
            }
        }
        let k = distinct.len() as f64;
        for &c in &distinct {
            out.conversions[c as usize] += conv / k;
            out.value[c as usize] += val / k;
        }
    }
    Ok(out)
}

/// Shapley credit split by touch position: `conversions[c][j]` is what channel `c` earned at
/// position `j` (0-based) of the journeys. Row sums equal [`shapley`]'s credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderedCredit {
    /// Channel names.
    pub channels: Vec<String>,
    /// Per channel, credited conversions by touch position.
    pub conversions: Vec<Vec<f64>>,
    /// Per channel, credited value by touch position.
    pub value: Vec<Vec<f64>>,
}

/// Ordered Shapley: each row's conversions split equally over its distinct channels, and each
/// channel's share split equally over the positions where it touched the row.
///
/// ```
/// use channelwise::{attribution::ordered_shapley, journey::PathTable};
/// let t = PathTable::from_strings(&["a>b>a"], &[4.0], None, None, ">")?;
/// let o = ordered_shapley(&t)?;
/// assert_eq!(o.conversions[0], [1.0, 0.0, 1.0]); // a: half of 4, over positions 0 and 2
/// assert_eq!(o.conversions[1], [0.0, 2.0, 0.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
///
/// # Errors
/// [`Error::NotEnoughData`] for an empty table.
pub fn ordered_shapley(table: &PathTable) -> Result<OrderedCredit> {
    non_empty(table, "ordered Shapley attribution")?;
    let (n, l) = (table.n_channels(), table.max_path_len());
    let mut conv = vec![vec![0.0; l]; n];
    let mut value = vec![vec![0.0; l]; n];
    let mut touches = vec![0u32; n];
    for (path, c, _, v) in table.rows() {
        let mut distinct = 0u32;
        for &ch in path {
            if touches[ch as usize] == 0 {
                distinct += 1;
            }
            touches[ch as usize] += 1;
        }
        let distinct = f64::from(distinct);
        for (j, &ch) in path.iter().enumerate() {
            let share = 1.0 / distinct / f64::from(touches[ch as usize]);
            conv[ch as usize][j] += c * share;
            value[ch as usize][j] += v * share;
        }
        for &ch in path {
            touches[ch as usize] = 0;
        }
    }
    Ok(OrderedCredit { channels: table.channels().to_vec(), conversions: conv, value })
}

fn non_empty(table: &PathTable, what: &str) -> Result<()> {
    if table.is_empty() {
        return Err(Error::NotEnoughData { what: format!("{what} (path rows)"), required: 1, got: 0 });
    }
    Ok(())
}

/// Exact Shapley values of the game `v` over `n` players, by enumerating all `2^n` coalitions.
///
/// `v` receives a membership mask (`mask[i]` = player `i` is in the coalition) and must be
/// deterministic. Coalitions are evaluated in parallel with the `parallel` feature.
///
/// ```
/// use channelwise::attribution::shapley_exact;
/// // glove game: player 0 holds a left glove, players 1 and 2 right gloves
/// let v = |m: &[bool]| -> channelwise::Result<f64> { Ok(if m[0] && (m[1] || m[2]) { 1.0 } else { 0.0 }) };
/// let phi = shapley_exact(3, v)?;
/// assert!((phi[0] - 2.0 / 3.0).abs() < 1e-12 && (phi[1] - 1.0 / 6.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for `n` = 0 or above [`MAX_EXACT_PLAYERS`]; [`Error::NonFinite`] if
/// `v` returns NaN or infinity; any error `v` returns.
pub fn shapley_exact<F>(n: usize, v: F) -> Result<Vec<f64>>
where
    F: Fn(&[bool]) -> Result<f64> + Sync,
{
    Ok(exact_games(n, |m| v(m).map(|x| [x]), &Monitor::new())?.into_iter().map(|[x]| x).collect())
}

/// [`shapley_exact`] for `K` games evaluated together (one call per coalition gives all `K`
/// values, e.g. conversion probability and expected value from one Markov solve).
fn exact_games<const K: usize, F>(n: usize, v: F, monitor: &Monitor) -> Result<Vec<[f64; K]>>
where
    F: Fn(&[bool]) -> Result<[f64; K]> + Sync,
{
    if n == 0 || n > MAX_EXACT_PLAYERS {
        return Err(Error::OutOfRange {
            field: "players".into(),
            value: n as f64,
            min: 1.0,
            max: MAX_EXACT_PLAYERS as f64,
        });
    }
    let ticker = Ticker::start(monitor, "exact Shapley values", "coalitions", 1usize << n)?;
    let eval = |mask: usize| -> Result<[f64; K]> {
        ticker.check()?;
        let m: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
        let x = finite(v(&m)?, || format!("v(coalition {mask:#b})"))?;
        ticker.tick()?;
        Ok(x)
    };
    #[cfg(feature = "parallel")]
    let values: Vec<[f64; K]> = {
        use rayon::prelude::*;
        (0..1usize << n).into_par_iter().map(eval).collect::<Result<_>>()?
    };
    #[cfg(not(feature = "parallel"))]
    let values: Vec<[f64; K]> = (0..1usize << n).map(eval).collect::<Result<_>>()?;
    ticker.finish()?;
    // weight(|S|) = |S|! (n - |S| - 1)! / n!
    let mut weight = vec![0.0; n];
    for (s, w) in weight.iter_mut().enumerate() {
        *w = 1.0 / (n as f64 * binomial(n - 1, s));
    }
    let mut phi = vec![[0.0; K]; n];
    for (mask, vs) in values.iter().enumerate() {
        let size = mask.count_ones() as usize;
        for (i, p) in phi.iter_mut().enumerate() {
            if mask >> i & 1 == 0 {
                let with = &values[mask | 1 << i];
                for k in 0..K {
                    p[k] += weight[size] * (with[k] - vs[k]);
                }
            }
        }
    }
    Ok(phi)
}

/// `x` if every entry is finite, else [`Error::NonFinite`] naming `field()`.
fn finite<const K: usize>(x: [f64; K], field: impl FnOnce() -> String) -> Result<[f64; K]> {
    match x.iter().find(|v| !v.is_finite()) {
        Some(&bad) => Err(Error::NonFinite { field: field(), value: bad }),
        None => Ok(x),
    }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Permutation-sampling Shapley estimator (Castro, Gómez & Tejada 2009), seeded.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `permutations` | 1000 | random player orders sampled | >= 2 |
/// | `seed` | 0 | seed of the ChaCha8 stream; permutation `i` uses stream `i`, so results do not depend on thread count | any |
///
/// ```
/// use channelwise::attribution::ShapleySampler;
/// let v = |m: &[bool]| -> channelwise::Result<f64> { Ok(if m[0] && (m[1] || m[2]) { 1.0 } else { 0.0 }) };
/// let est = ShapleySampler::default().permutations(4000).seed(7).estimate(3, v)?;
/// assert!((est.values[0] - 2.0 / 3.0).abs() < 4.0 * est.std_errors[0] + 1e-9);
/// // efficiency holds exactly for every sample
/// assert!((est.values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShapleySampler {
    permutations: usize,
    seed: u64,
}

impl Default for ShapleySampler {
    fn default() -> Self {
        ShapleySampler { permutations: 1000, seed: 0 }
    }
}

/// Sampled Shapley values with their standard errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapleyEstimate {
    /// Estimated Shapley value per player.
    pub values: Vec<f64>,
    /// Standard error of each estimate (sample sd of marginal contributions / sqrt(m)).
    pub std_errors: Vec<f64>,
    /// Permutations sampled.
    pub permutations: usize,
}

impl ShapleySampler {
    /// Sets the number of permutations.
    pub fn permutations(mut self, m: usize) -> Self {
        self.permutations = m;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Estimates the Shapley values of `v` over `n` players.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for fewer than 2 permutations or `n` = 0; [`Error::NonFinite`] if
    /// `v` returns NaN or infinity; any error `v` returns.
    pub fn estimate<F>(&self, n: usize, v: F) -> Result<ShapleyEstimate>
    where
        F: Fn(&[bool]) -> Result<f64> + Sync,
    {
        self.estimate_with_progress(n, v, &Monitor::new())
    }

    /// [`ShapleySampler::estimate`], reporting each permutation to `monitor` and stopping when
    /// it asks (see [`crate::progress`]); the numbers are the same as without a monitor.
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use channelwise::{attribution::ShapleySampler, progress::{Monitor, Progress}};
    /// let v = |m: &[bool]| -> channelwise::Result<f64> { Ok(m.iter().filter(|b| **b).count() as f64) };
    /// let stop = Monitor::new().on_progress(|p: Progress| if p.done >= 100 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) });
    /// let e = ShapleySampler::default().estimate_with_progress(3, v, &stop).unwrap_err();
    /// // 100 on one thread; with several, the first report at or past 100 (one can be skipped)
    /// let channelwise::Error::Cancelled { done, total, .. } = e else { panic!("{e}") };
    /// assert!(done >= 100 && done < total && total == 1000);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`ShapleySampler::estimate`]; [`Error::Cancelled`] when stopped.
    pub fn estimate_with_progress<F>(&self, n: usize, v: F, monitor: &Monitor) -> Result<ShapleyEstimate>
    where
        F: Fn(&[bool]) -> Result<f64> + Sync,
    {
        let (values, std_errors) = self.estimate_games(n, |m| v(m).map(|x| [x]), monitor)?;
        Ok(ShapleyEstimate {
            values: values.into_iter().map(|[x]| x).collect(),
            std_errors: std_errors.into_iter().map(|[x]| x).collect(),
            permutations: self.permutations,
        })
    }

    /// [`ShapleySampler::estimate`] for `K` games evaluated together on the same permutations:
    /// per player, the estimates and their standard errors.
    fn estimate_games<const K: usize, F>(&self, n: usize, v: F, monitor: &Monitor) -> Result<Estimates<K>>
    where
        F: Fn(&[bool]) -> Result<[f64; K]> + Sync,
    {
        if self.permutations < 2 {
            return Err(Error::OutOfRange {
                field: "permutations".into(),
                value: self.permutations as f64,
                min: 2.0,
                max: f64::INFINITY,
            });
        }
        if n == 0 {
            return Err(Error::OutOfRange { field: "players".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        let ticker = Ticker::start(monitor, "sampled Shapley values", "permutations", self.permutations)?;
        let checked = |m: &[bool]| finite(v(m)?, || "v(coalition)".into());
        let empty = checked(&vec![false; n])?;
        let one = |i: usize| -> Result<Vec<[f64; K]>> {
            ticker.check()?;
            let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
            rng.set_stream(i as u64);
            let mut order: Vec<usize> = (0..n).collect();
            order.shuffle(&mut rng);
            let mut mask = vec![false; n];
            let mut prev = empty;
            let mut marginal = vec![[0.0; K]; n];
            for &p in &order {
                mask[p] = true;
                let cur = checked(&mask)?;
                for k in 0..K {
                    marginal[p][k] = cur[k] - prev[k];
                }
                prev = cur;
            }
            ticker.tick()?;
            Ok(marginal)
        };
        #[cfg(feature = "parallel")]
        let samples: Vec<Vec<[f64; K]>> = {
            use rayon::prelude::*;
            (0..self.permutations).into_par_iter().map(one).collect::<Result<_>>()?
        };
        #[cfg(not(feature = "parallel"))]
        let samples: Vec<Vec<[f64; K]>> = (0..self.permutations).map(one).collect::<Result<_>>()?;
        ticker.finish()?;
        let m = self.permutations as f64;
        let mut values = vec![[0.0; K]; n];
        let mut std_errors = vec![[0.0; K]; n];
        for i in 0..n {
            for k in 0..K {
                let mean = samples.iter().map(|s| s[i][k]).sum::<f64>() / m;
                let var = samples.iter().map(|s| (s[i][k] - mean).powi(2)).sum::<f64>() / (m - 1.0);
                values[i][k] = mean;
                std_errors[i][k] = (var / m).sqrt();
            }
        }
        Ok((values, std_errors))
    }
}

/// Per player, the estimates of `K` games and their standard errors.
type Estimates<const K: usize> = (Vec<[f64; K]>, Vec<[f64; K]>);

/// How to compute Shapley values of the Markov game.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShapleyMethod {
    /// Enumerate every coalition (up to [`MAX_EXACT_PLAYERS`] channels).
    Exact,
    /// Sample permutations.
    Sampled(ShapleySampler),
}

/// Shapley credit of a general game, with standard errors when sampled (zeros when exact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapleyCredit {
    /// Credited conversions and value.
    pub credit: ChannelCredit,
    /// Standard error of each channel's credited conversions.
    pub conversions_std_error: Vec<f64>,
    /// Standard error of each channel's credited value.
    pub value_std_error: Vec<f64>,
}

impl FittedMarkov {
    /// Shapley credit of the Markov game: `v(S)` = conversion probability (and expected value)
    /// with only the channels in `S`, scaled to the table's totals.
    ///
    /// ```
    /// use channelwise::{attribution::{Markov, ShapleyMethod}, journey::PathTable};
    /// let t = PathTable::from_strings(&["a>b", "b", "a"], &[1.0, 1.0, 0.0], Some(&[0.0, 1.0, 1.0]), None, ">")?;
    /// let s = Markov::default().fit(&t)?.shapley(ShapleyMethod::Exact)?;
    /// assert!((s.credit.total_conversions() - 2.0).abs() < 1e-12);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`shapley_exact`] and [`ShapleySampler::estimate`].
    pub fn shapley(&self, method: ShapleyMethod) -> Result<ShapleyCredit> {
        self.shapley_with_progress(method, &Monitor::new())
    }

    /// [`FittedMarkov::shapley`], reporting each coalition (exact) or permutation (sampled) to
    /// `monitor` and stopping when it asks (see [`crate::progress`]).
    ///
    /// ```
    /// use channelwise::{attribution::{Markov, ShapleyMethod, ShapleySampler}, journey::PathTable};
    /// use channelwise::progress::{CancelToken, Monitor};
    /// let t = PathTable::from_strings(&["a>b", "b", "a"], &[1.0, 1.0, 0.0], Some(&[0.0, 1.0, 1.0]), None, ">")?;
    /// let fit = Markov::default().fit(&t)?;
    /// let method = ShapleyMethod::Sampled(ShapleySampler::default().permutations(200));
    /// let s = fit.shapley_with_progress(method, &Monitor::new())?;
    /// assert_eq!(s, fit.shapley(method)?);
    /// let token = CancelToken::new();
    /// token.cancel();
    /// let e = fit.shapley_with_progress(method, &Monitor::new().cancel_token(token)).unwrap_err();
    /// assert_eq!(e.kind().code(), "cancelled");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`FittedMarkov::shapley`]; [`Error::Cancelled`] when stopped.
    pub fn shapley_with_progress(&self, method: ShapleyMethod, monitor: &Monitor) -> Result<ShapleyCredit> {
        let n = self.channels().len();
        let (total_c, total_v) = self.totals();
        let (p_all, v_all) = self.conversion_probability_with(&vec![true; n])?;
        let scale = |x: f64, all: f64, total: f64| if all > 0.0 { x / all * total } else { 0.0 };
        // One solve per coalition gives both games: conversion probability and expected value.
        let games = |m: &[bool]| self.conversion_probability_with(m).map(|(c, v)| [c, v]);
        let (phi, se) = match method {
            ShapleyMethod::Exact => (exact_games(n, games, monitor)?, vec![[0.0; 2]; n]),
            ShapleyMethod::Sampled(s) => s.estimate_games(n, games, monitor)?,
        };
        let c: Vec<f64> = phi.iter().map(|x| x[0]).collect();
        let v: Vec<f64> = phi.iter().map(|x| x[1]).collect();
        let sc: Vec<f64> = se.iter().map(|x| x[0]).collect();
        let sv: Vec<f64> = se.iter().map(|x| x[1]).collect();
        let credit = ChannelCredit {
            channels: self.channels().to_vec(),
            conversions: c.iter().map(|&x| scale(x, p_all, total_c)).collect(),
            value: v.iter().map(|&x| scale(x, v_all, total_v)).collect(),
        };
        Ok(ShapleyCredit {
            credit,
            conversions_std_error: sc.iter().map(|&x| scale(x, p_all, total_c)).collect(),
            value_std_error: sv.iter().map(|&x| scale(x, v_all, total_v)).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all coalitions of the subset game equals the closed form.
    #[test]
    fn closed_form_equals_enumeration() {
        let paths = ["a>b>c", "b", "c>a", "a>a>d", "d>b>c>a"];
        let conv = [3.0, 1.0, 2.0, 5.0, 4.0];
        let t = PathTable::from_strings(&paths, &conv, None, None, ">").unwrap();
        let sets: Vec<Vec<u32>> = (0..t.len()).map(|r| t.path(r).to_vec()).collect();
        let v = |m: &[bool]| -> Result<f64> {
            Ok(sets.iter().zip(conv).filter(|(s, _)| s.iter().all(|&c| m[c as usize])).map(|(_, c)| c).sum())
        };
        let exact = shapley_exact(t.n_channels(), v).unwrap();
        let closed = shapley(&t).unwrap();
        for (a, b) in exact.iter().zip(&closed.conversions) {
            assert!((a - b).abs() < 1e-12, "{exact:?} vs {:?}", closed.conversions);
        }
    }

    #[test]
    fn ordered_rows_sum_to_shapley() {
        let t = PathTable::from_strings(&["a>b>a>c", "c>c", "b"], &[4.0, 2.0, 1.0], None, Some(&[8.0, 2.0, 1.0]), ">")
            .unwrap();
        let o = ordered_shapley(&t).unwrap();
        let s = shapley(&t).unwrap();
        for c in 0..3 {
            assert!((o.conversions[c].iter().sum::<f64>() - s.conversions[c]).abs() < 1e-12);
            assert!((o.value[c].iter().sum::<f64>() - s.value[c]).abs() < 1e-12);
        }
    }

    #[test]
    fn sampler_is_deterministic_and_unbiased() {
        let w = [1.0, 2.0, 3.0, 4.0];
        let v = |m: &[bool]| -> Result<f64> {
            let s: f64 = m.iter().zip(w).filter(|(b, _)| **b).map(|(_, x)| x).sum();
            Ok(s * s)
        };
        let a = ShapleySampler::default().seed(3).estimate(4, v).unwrap();
        let b = ShapleySampler::default().seed(3).estimate(4, v).unwrap();
        assert_eq!(a, b);
        let exact = shapley_exact(4, v).unwrap();
        for ((est, se), truth) in a.values.iter().zip(&a.std_errors).zip(&exact) {
            assert!((est - truth).abs() < 5.0 * se + 1e-9);
        }
        assert!(shapley_exact(21, v).is_err());
        assert!(ShapleySampler::default().permutations(1).estimate(4, v).is_err());
        let nan = |_: &[bool]| -> Result<f64> { Ok(f64::NAN) };
        assert_eq!(shapley_exact(2, nan).unwrap_err().kind(), crate::ErrorKind::NonFinite);
    }
}
