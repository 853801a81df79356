//! Classical statistics: correlation (Pearson, Spearman, Kendall, lagged cross-correlation),
//! trend tests (Mann-Kendall, Theil-Sen) and scores of binary predictions (ROC AUC, log-loss,
//! Brier, reliability tables).
//!
//! Every function checks its input once: values must be finite ([`Error::NonFinite`] names
//! `x[i]` or `y[i]`), paired series must have equal length ([`Error::LengthMismatch`]), and a
//! series too short for the statistic is [`Error::NotEnoughData`]. No function returns NaN: where
//! a reference library would (a constant series has no correlation), channelwise returns a typed
//! error instead.
//!
//! P-values follow scipy.stats conventions so numbers can be checked against it; the shared
//! vectors under `tests/vectors/stats/` name the scipy and pymannkendall versions they come from.

pub mod classification;
pub mod correlation;
pub mod trend;

pub use correlation::{cross_correlation, kendall, pearson, spearman, Correlation, CrossCorrelation};
pub use trend::{mann_kendall, theil_sen, MannKendall, TheilSen, Trend};


use crate::error::{Error, Result};

/// Checks that every value of `xs` is finite, naming the first bad one as `field[i]`.
pub(crate) fn check_finite(field: &str, xs: &[f64]) -> Result<()> {
    match xs.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::NonFinite { field: format!("{field}[{i}]"), value: xs[i] }),
        None => Ok(()),
    }
}

/// Checks that `got` has the length of `expected`.
pub(crate) fn check_same_len(field: &str, expected: usize, got: usize) -> Result<()> {
    if expected != got {
        return Err(Error::LengthMismatch { field: field.into(), expected, got });
    }
    Ok(())
}

/// Checks that there are at least `required` items for `what`.
pub(crate) fn check_len(what: &str, required: usize, got: usize) -> Result<()> {
    if got < required {
        return Err(Error::NotEnoughData { what: what.into(), required, got });
    }
    Ok(())
}

/// Upper tail of the standard normal, `P(Z > z)`, accurate far into the tail (libm's `erfc`, ~1
/// ulp; statrs' erfc is off by ~1e-10 relative up to 0.19).
pub(crate) fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// Degrees of freedom from which [`student_t_sf`] uses Hill's expansion instead of statrs.
const HILL_DF: f64 = 1e4;

/// Upper tail of Student's t, `P(T > t)`, for `df > 0`.
///
/// statrs' cdf (its regularised incomplete beta) loses digits as `df` grows: 2e-9 relative at
/// `df = 2e6`, 3e-6 at 2e9, and `P = 1` for `t = 2` at 2e15 (a Welch test on two arms of 1e15
/// units). From `df = 1e4` this uses the asymptotic branch of Hill's algorithm (G. W. Hill,
/// "Algorithm 395: Student's t-distribution", CACM 13(10), 1970): the normal tail at
/// `y = sqrt(a ln(1 + t^2 / df))` (`a = df - 1/2`) with a rational correction in `y`. Against
/// mpmath's regularised incomplete beta at 60 digits it is within 1e-12 relative from `df = 1e4`
/// to 1e16, for `t` up to where the tail underflows (the test below).
pub(crate) fn student_t_sf(df: f64, t: f64) -> Result<f64> {
    let d = statrs::distribution::StudentsT::new(0.0, 1.0, df)
        .map_err(|e| Error::Internal(format!("t distribution with {df} degrees of freedom: {e}")))?;
    Ok(t_sf(&d, df, t))
}

/// [`student_t_sf`] on a checked distribution `d` of `df` degrees of freedom.
fn t_sf(d: &statrs::distribution::StudentsT, df: f64, t: f64) -> f64 {
    use statrs::distribution::ContinuousCDF;
    if df < HILL_DF {
        return d.cdf(-t);
    }
    let a = df - 0.5;
    let b = 48.0 * a * a;
    // ln(1 + x) by Goldberg's rewrite (a few ulps, and no log1p in the browser build)
    let x = t * t / df;
    let u = 1.0 + x;
    let y = a * if u == 1.0 { x } else { u.ln() * (x / (u - 1.0)) };
    let y = (((((-0.4 * y - 3.3) * y - 24.0) * y - 85.5) / (0.8 * y * y + 100.0 + b) + y + 3.0) / b + 1.0) * y.sqrt();
    normal_sf(if t < 0.0 { -y } else { y })
}

/// Upper quantile of Student's t: the `t > 0` with `P(T > t) = tail`, for `0 < tail < 1/2` and
/// `df > 0`.
///
/// statrs' `inverse_cdf` is off by ~2e-6 relative at `df = 1e6` and panics inside `inv_beta_reg`
/// for tails below ~1e-200 (seen at `df = 1`). Here one and two degrees of freedom use the closed
/// forms; otherwise a safeguarded Newton on `ln P(T < -t) = ln tail` in `ln t` (bisection whenever
/// a step leaves the bracket) refines the normal quantile against statrs' cdf, which holds 1e-12
/// relative up to `df = 1e3` and 1e-10 at `df = 1e6`. Checked against mpmath's regularised
/// incomplete beta at 60 digits for `df` in 3..1e6 and tails 1e-1..1e-307 (1e-12 relative up to
/// `df = 1e3`, the cdf's accuracy beyond).
pub(crate) fn student_t_isf(df: f64, tail: f64) -> Result<f64> {
    use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};
    if !(tail > 0.0 && tail < 0.5) {
        return Err(Error::Internal(format!("t quantile asked for tail {tail}, outside (0, 0.5)")));
    }
    if df == 1.0 {
        return Ok(1.0 / (std::f64::consts::PI * tail).tan());
    }
    if df == 2.0 {
        return Ok((1.0 - 2.0 * tail) / (2.0 * tail * (1.0 - tail)).sqrt());
    }
    let d = StudentsT::new(0.0, 1.0, df)
        .map_err(|e| Error::Internal(format!("t distribution with {df} degrees of freedom: {e}")))?;
    let ln_tail = tail.ln();
    // g(u) = ln P(T < -e^u) - ln tail falls from ln(1/2) - ln tail > 0 at u = -inf
    let g = |u: f64| {
        let t = u.exp();
        let f = t_sf(&d, df, t);
        (f.ln() - ln_tail, -t * d.pdf(t) / f)
    };
    let (mut lo, mut hi) = (-40.0_f64, 0.0_f64);
    while g(hi).0 > 0.0 && hi < 709.0 {
        lo = hi;
        hi = (2.0 * hi).clamp(1.0, 709.0);
    }
    let z = -Normal::standard().inverse_cdf(tail);
    let mut u = if z > 0.0 { z.ln().clamp(lo, hi) } else { 0.5 * (lo + hi) };
    for _ in 0..200 {
        let (v, dv) = g(u);
        if v == 0.0 {
            break;
        }
        if v > 0.0 {
            lo = u;
        } else {
            hi = u;
        }
        let mut next = u - v / dv;
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        let done = (next - u).abs() <= 1e-15 * u.abs().max(1.0);
        u = next;
        if done {
            break;
        }
    }
    Ok(u.exp())
}

/// Median of a slice sorted ascending (mean of the middle two for even length). `None` if empty.
pub(crate) fn median_sorted(xs: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    // halves first: the mean of two huge values must not overflow
    Some(if n % 2 == 1 { xs[n / 2] } else { 0.5 * xs[n / 2 - 1] + 0.5 * xs[n / 2] })
}

/// Median of finite values (copies and sorts). `None` if empty.
pub(crate) fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    sort_f64(&mut v);
    median_sorted(&v)
}

/// Sorts `v` ascending in [`f64::total_cmp`] order (numeric order for finite values, `-0.0`
/// before `0.0`). Unstable, which is exact here: values equal under `total_cmp` have the same bits.
///
/// Every sort of numbers in the crate goes through this function, and every sort of indices by
/// a numeric key through [`sort_indices`]: each comparator closure is a type of its own, so each
/// `sort_by(|a, b| ...)` call site compiles its own copy of the standard library's sort, 2 to
/// 8 KB each in the WebAssembly build.
pub(crate) fn sort_f64(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

/// Sorts the indices `idx` stably by `key[i]` in [`f64::total_cmp`] order: ties keep their order
/// in `idx`. For descending order pass negated keys: negation reverses `total_cmp` exactly, so
/// ties still keep their order. For `-0.0 == 0.0` (numpy's order), pass `x + 0.0`, which is
/// `0.0` for both zeros.
pub(crate) fn sort_indices(idx: &mut [usize], key: &[f64]) {
    idx.sort_by(|&a, &b| key[a].total_cmp(&key[b]));
}

/// Sorts ids (`u32`) by `cmp`, unstably, with one comparator type (a `dyn` closure), so that
/// every such sort shares one instance of the sort (see [`sort_f64`]).
pub(crate) fn sort_ids(ids: &mut [u32], cmp: &mut dyn FnMut(&u32, &u32) -> std::cmp::Ordering) {
    ids.sort_unstable_by(cmp);
}

/// Sorts `v` stably by `key(item)` in [`f64::total_cmp`] order, through [`sort_indices`] (see
/// [`sort_f64`] for why).
pub(crate) fn sort_by_f64_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> f64) {
    let keys: Vec<f64> = v.iter().map(key).collect();
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &keys);
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sorts `v` and returns the number of strict inversions (pairs `i < j` with `v[i] > v[j]`).
pub(crate) fn count_inversions(v: &mut [f64], buf: &mut Vec<f64>) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut inv = {
        let (l, r) = v.split_at_mut(mid);
        count_inversions(l, buf) + count_inversions(r, buf)
    };
    buf.clear();
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        if v[j] < v[i] {
            inv += (mid - i) as u64;
            buf.push(v[j]);
            j += 1;
        } else {
            buf.push(v[i]);
            i += 1;
        }
    }
    buf.extend_from_slice(&v[i..mid]);
    buf.extend_from_slice(&v[j..n]);
    v.copy_from_slice(buf);
    inv
}

/// Tie statistics of the run lengths of a sorted sequence: `(sum t(t-1)/2, sum t(t-1)(t-2),
/// sum t(t-1)(2t+5))`, the last two in floating point as scipy does (they grow as n^3).
pub(crate) fn tie_stats(sorted: impl Iterator<Item = f64>) -> (u64, f64, f64) {
    let mut out = (0u64, 0.0, 0.0);
    let mut add = |t: u64| {
        if t > 1 {
            let tf = t as f64;
            out.0 += t * (t - 1) / 2;
            out.1 += tf * (tf - 1.0) * (tf - 2.0);
            out.2 += tf * (tf - 1.0) * (2.0 * tf + 5.0);
        }
    };
    let mut prev: Option<f64> = None;
    let mut run = 0u64;
    for v in sorted {
        if prev == Some(v) {
            run += 1;
        } else {
            add(run);
            run = 1;
            prev = Some(v);
        }
    }
    add(run);
    out
}


#[cfg(test)]
mod t_tail_tests {
    use super::*;

    /// `(df, t, P(T > t))`: mpmath 1.3's regularised incomplete beta at 60 digits,
    /// `betainc(df/2, 1/2, 0, df/(df + t^2), regularized=True) / 2`.
    const MPMATH: [(f64, f64, f64); 55] = [
        (30.0, 0.5, 0.31036150244256366),
        (30.0, 2.0, 0.02731252248149155),
        (30.0, 5.0, 1.1648342733503898e-05),
        (30.0, 12.0, 2.790092707599628e-13),
        (30.0, 30.0, 3.125895815304444e-24),
        (1000.0, 0.5, 0.3085925404169374),
        (1000.0, 2.0, 0.02288517324662582),
        (1000.0, 5.0, 3.3836281823243153e-07),
        (1000.0, 12.0, 2.1620286933872636e-31),
        (1000.0, 30.0, 7.687343722021741e-142),
        (3000.0, 0.5, 0.3085558745160099),
        (3000.0, 2.0, 0.02279513153547398),
        (3000.0, 5.0, 3.03126357190883e-07),
        (3000.0, 12.0, 9.704785017110085e-33),
        (3000.0, 30.0, 1.841683249662423e-173),
        (10000.0, 0.5, 0.3085430396616167),
        (10000.0, 2.0, 0.02276363033071772),
        (10000.0, 5.0, 2.9151633068313237e-07),
        (10000.0, 12.0, 2.9898898039056625e-33),
        (10000.0, 30.0, 1.0221635237127853e-189),
        (30000.0, 0.5, 0.30853937239010865),
        (30000.0, 2.0, 0.022754631266618107),
        (30000.0, 5.0, 2.882658343294651e-07),
        (30000.0, 12.0, 2.1154561312869463e-33),
        (30000.0, 30.0, 3.7269369212001526e-195),
        (100000.0, 0.5, 0.308538088827209),
        (100000.0, 2.0, 0.022751481728753232),
        (100000.0, 5.0, 2.8713508393208365e-07),
        (100000.0, 12.0, 1.8722529059781755e-33),
        (100000.0, 30.0, 3.6892684361111166e-197),
        (1000000.0, 0.5, 0.30853759373618567),
        (1000000.0, 2.0, 0.022750266925659603),
        (1000000.0, 5.0, 2.866998935445371e-07),
        (1000000.0, 12.0, 1.785842562382545e-33),
        (1000000.0, 30.0, 6.010047116831719e-198),
        (100000000.0, 0.5, 0.30853753927608896),
        (100000000.0, 2.0, 0.022750133297953376),
        (100000000.0, 5.0, 2.866520550633643e-07),
        (100000000.0, 12.0, 1.7765754821344812e-33),
        (100000000.0, 30.0, 4.916682142941633e-198),
        (2000000000.0, 0.5, 0.308537538753492),
        (2000000000.0, 2.0, 0.022750132015667914),
        (2000000000.0, 5.0, 2.8665159603838685e-07),
        (2000000000.0, 12.0, 1.7764867804682147e-33),
        (2000000000.0, 30.0, 4.907211860450145e-198),
        (1000000000000.0, 0.5, 0.3085375387260419),
        (1000000000000.0, 2.0, 0.022750131948314184),
        (1000000000000.0, 5.0, 2.8665157192751227e-07),
        (1000000000000.0, 12.0, 1.7764821214144483e-33),
        (1000000000000.0, 30.0, 4.906714922964663e-198),
        (1e+16, 0.5, 0.3085375387259869),
        (1e+16, 2.0, 0.02275013194817922),
        (1e+16, 5.0, 2.8665157187919873e-07),
        (1e+16, 12.0, 1.7764821120786127e-33),
        (1e+16, 30.0, 4.906713927247769e-198),
    ];

    #[test]
    fn the_t_tail_keeps_its_digits_at_any_df() {
        for (df, t, want) in MPMATH {
            let got = student_t_sf(df, t).unwrap();
            let tol = if df < HILL_DF { 1e-11 } else { 1e-12 };
            assert!((got / want - 1.0).abs() < tol, "df {df}, t {t}: {got} vs {want}");
            // symmetric, and the quantile inverts it
            let up = student_t_sf(df, -t).unwrap();
            assert!((up - (1.0 - want)).abs() < 2e-12, "df {df}, t -{t}: {up} vs {}", 1.0 - want);
            if want > 1e-300 && want < 0.5 {
                let q = student_t_isf(df, want).unwrap();
                assert!((q / t - 1.0).abs() < 1e-10, "isf at df {df}: {q} vs {t}");
            }
        }
    }
}
