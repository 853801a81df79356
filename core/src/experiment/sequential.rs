//! Sequential tests that stay valid when the data are looked at again and again.
//!
//! **Always-valid intervals** ([`Sequential`], gbstats 0.8's `SequentialTwoSidedTTest`): the
//! Gaussian-mixture confidence sequence of Waudby-Smith et al. (2023, eq. 9 with the mixing
//! parameter of eq. 161 tuned to an expected total sample size). With `N = n_a + n_b`, the
//! effect's variance `v` (absolute, or relative by the delta method) and
//! `rho = sqrt((-2 ln alpha + ln(1 - 2 ln alpha)) / tuning)`, the interval is the estimate plus or
//! minus `sqrt(v N) sqrt(2 (N rho^2 + 1) ln(sqrt(N rho^2 + 1) / alpha) / (N rho)^2)` and the
//! p-value is `min(1, 1 / e)` with the e-value
//! `e = exp(rho^2 N est^2 / (2 v (N rho^2 + 1))) / sqrt(N rho^2 + 1)`.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `alpha` | 0.05 | the sequence covers `1 - alpha` at all looks at once | (0, 1) |
//! | `tuning` | 5000 | the total sample size `N` at which the interval is tightest | (0, inf) |
//! | `relative` | true | relative effect (else absolute) | |
//!
//! **Group-sequential bounds** ([`GroupSequential`]): Lan-DeMets alpha spending for a planned
//! number of looks at information fractions `t_1 < ... < t_K <= 1`, as R's `ldbounds` (and
//! Spotify's `confidence`, which ports it). Spending functions: O'Brien-Fleming-like
//! `2 - 2 Phi(z_{1 - a/2} / sqrt(t))` per side with `a` the per-side alpha, and the power family
//! `a t^rho`. The bound `c_k` on the z statistic solves
//! `P(no crossing before look k, crossing at k) = spent(t_k) - spent(t_{k-1})` under the null,
//! computed by the Armitage-McPherson-Rowe recursion on a Simpson grid (step 0.0025, error far
//! below 1e-8). Two-sided bounds are symmetric, each side spending half of `alpha`.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `alpha` | 0.05 | total type I error | (0, 1) |
//! | `two_sided` | true | symmetric bounds (else one upper bound) | |
//! | `spending` | `o_brien_fleming` | `o_brien_fleming` or `{ "power": { "rho": r } }` | rho in (0, inf) |
//!
//! ```
//! use channelwise::experiment::sequential::GroupSequential;
//! let b = GroupSequential::default().bounds(&[0.2, 0.4, 0.6, 0.8, 1.0])?;
//! // 4.8769 3.3570 2.6803 2.2898 2.0310 to four decimals
//! assert!((b.z[0] - 4.8769).abs() < 1e-4 && (b.z[4] - 2.0310).abs() < 1e-4);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::ab::{check_open_unit, checked_effect, normal_isf, Summary};
use crate::error::{check_range, Error, Result};
use crate::optimize::response::falling_root;
use crate::stats::normal_sf;

/// gbstats' sequential two-sided t-test; see the table in the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sequential {
    /// Error rate over all looks.
    pub alpha: f64,
    /// The total sample size the mixture is tuned to.
    pub tuning: f64,
    /// Relative effect (else absolute).
    pub relative: bool,
}

impl Default for Sequential {
    fn default() -> Self {
        Sequential { alpha: 0.05, tuning: 5000.0, relative: true }
    }
}

/// An always-valid interval and p-value at one look.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SequentialLook {
    /// The effect estimate.
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Lower end of the confidence sequence at this look.
    pub ci_lower: f64,
    /// Upper end.
    pub ci_upper: f64,
    /// Always-valid p-value.
    pub p_value: f64,
}

impl Sequential {
    /// Sets `alpha`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets the tuning sample size.
    pub fn tuning(mut self, tuning: f64) -> Self {
        self.tuning = tuning;
        self
    }

    /// Sets whether the effect is relative.
    pub fn relative(mut self, relative: bool) -> Self {
        self.relative = relative;
        self
    }

    /// The interval and p-value of B against A with the data so far.
    ///
    /// # Errors
    /// `alpha` outside (0, 1) or `tuning` not positive; summaries as [`super::ab::welch`];
    /// [`Error::InvalidParameter`] naming `a.mean` for a relative effect over a control mean of
    /// 0, `variance` when both arms have none.
    ///
    /// ```
    /// use channelwise::experiment::ab::Summary;
    /// use channelwise::experiment::sequential::Sequential;
    /// let (a, b) = (Summary::new(2000.0, 10.0, 16.0), Summary::new(2000.0, 10.4, 16.0));
    /// let look = Sequential::default().relative(false).look(&a, &b)?;
    /// assert!(look.ci_lower > 0.0 || look.p_value >= 0.05);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn look(&self, a: &Summary, b: &Summary) -> Result<SequentialLook> {
        let alpha = check_open_unit("alpha", self.alpha)?;
        let tuning = check_range("tuning", self.tuning, f64::MIN_POSITIVE, f64::MAX)?;
        let (a, b, estimate, se) = checked_effect(a, b, self.relative)?;
        let n = a.n + b.n;
        let la = -2.0 * alpha.ln();
        let rho2 = (la + (la + 1.0).ln()) / tuning;
        let nr1 = n * rho2 + 1.0;
        let width = se * (2.0 * nr1 * (nr1.sqrt() / alpha).ln() / (n * rho2)).sqrt();
        // ln e = rho^2 N est^2 / (2 v (N rho^2 + 1)) - ln sqrt(N rho^2 + 1)
        let z2 = (estimate / se).powi(2);
        let ln_e = rho2 * n * z2 / (2.0 * nr1) - 0.5 * nr1.ln();
        Ok(SequentialLook { estimate, std_error: se, ci_lower: estimate - width, ci_upper: estimate + width, p_value: (-ln_e).exp().min(1.0) })
    }
}

/// A Lan-DeMets spending function.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spending {
    /// `2 - 2 Phi(z_{1 - a/2} / sqrt(t))` per side (`ldbounds` type 1).
    #[default]
    OBrienFleming,
    /// `a t^rho` per side (`ldbounds` type 3; rho 1 is Pocock-like).
    Power {
        /// The exponent, above 0.
        rho: f64,
    },
}

impl Spending {
    /// Alpha of one side spent by information fraction `t`.
    fn spent(self, side_alpha: f64, t: f64) -> f64 {
        match self {
            Spending::OBrienFleming => 2.0 * normal_sf(normal_isf(side_alpha / 2.0) / t.sqrt()),
            Spending::Power { rho } => side_alpha * t.powf(rho),
        }
    }
}

/// Group-sequential bounds by alpha spending; see the table in the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupSequential {
    /// Total type I error.
    pub alpha: f64,
    /// Symmetric two-sided bounds (else one upper bound).
    pub two_sided: bool,
    /// The spending function.
    pub spending: Spending,
}

impl Default for GroupSequential {
    fn default() -> Self {
        GroupSequential { alpha: 0.05, two_sided: true, spending: Spending::OBrienFleming }
    }
}

/// The bounds of [`GroupSequential::bounds`], one entry per look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    /// Information fractions of the looks.
    pub information: Vec<f64>,
    /// Critical |z| (upper z when one-sided) at each look.
    pub z: Vec<f64>,
    /// Nominal p-value of each bound: `P(Z > z)` per side, doubled when two-sided.
    pub nominal_alpha: Vec<f64>,
    /// Cumulative alpha spent by each look (both sides).
    pub spent: Vec<f64>,
}

/// Grid step on the z scale of the recursion.
const STEP: f64 = 0.01;
/// Lower end of the continuation region of a one-sided design (`P(Z < -12)` is below 1e-32).
const FLOOR: f64 = -12.0;
/// The least gap between two looks, as a share of the later one's information. The conditional
/// spread of `Z_k` given `Z_{k-1}` is `sqrt(1 - t_{k-1} / t_k)`: at this gap 0.1, ten grid steps,
/// and the bounds are within about 1e-8 of the exact ones (a two-look design against the
/// bivariate normal integral by scipy quad: 1.0e-8 off at this gap, 3e-10 at a gap of 0.17). At a gap of 1e-4 the spread is 1.4 steps and the second
/// bound was 0.013 too high; at 1e-3, 2e-6.
const MIN_GAP: f64 = 0.01;

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// A Simpson grid on `[lo, hi]`: points and weights.
fn simpson(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let m = (((hi - lo) / STEP).ceil() as usize).max(2).next_multiple_of(2);
    let h = (hi - lo) / m as f64;
    (0..=m)
        .map(|i| {
            let w = if i == 0 || i == m { 1.0 } else if i % 2 == 1 { 4.0 } else { 2.0 };
            (lo + h * i as f64, w * h / 3.0)
        })
        .unzip()
}

impl GroupSequential {
    /// Sets `alpha`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets two-sided (else one-sided upper) bounds.
    pub fn two_sided(mut self, two_sided: bool) -> Self {
        self.two_sided = two_sided;
        self
    }

    /// Sets the spending function.
    pub fn spending(mut self, spending: Spending) -> Self {
        self.spending = spending;
        self
    }

    /// The bounds at information fractions `information` (increasing, in (0, 1]).
    ///
    /// # Errors
    /// `alpha` outside (0, 1); `spending.rho` not positive; [`Error::NotEnoughData`] for no look;
    /// [`Error::OutOfRange`] naming `information[k]` outside (0, 1] or not above the look before;
    /// [`Error::InvalidParameter`] naming `information[k]` when it is less than 1% above the look
    /// before (closer looks are one look, and the recursion's grid cannot resolve them).
    pub fn bounds(&self, information: &[f64]) -> Result<Bounds> {
        let alpha = check_open_unit("alpha", self.alpha)?;
        if let Spending::Power { rho } = self.spending {
            check_range("spending.rho", rho, f64::MIN_POSITIVE, f64::MAX)?;
        }
        crate::stats::check_len("group-sequential bounds", 1, information.len())?;
        let mut prev = 0.0;
        for (k, &t) in information.iter().enumerate() {
            check_range(format!("information[{k}]"), t, prev, 1.0)?;
            if t == prev {
                return Err(Error::OutOfRange { field: format!("information[{k}]"), value: t, min: prev + f64::EPSILON, max: 1.0 });
            }
            if t - prev < MIN_GAP * t {
                let reason = format!("less than 1% above information[{}] = {prev}: looks this close are one look (merge them), and the recursion cannot resolve them", k - 1);
                return Err(Error::param(format!("information[{k}]"), t, reason));
            }
            prev = t;
        }
        let sides = if self.two_sided { 2.0 } else { 1.0 };
        let side_alpha = alpha / sides;
        let (mut z, mut nominal, mut spent) = (Vec::new(), Vec::new(), Vec::new());
        // density of Z_{k-1} on the continuation region, on a grid
        let mut grid: Option<(Vec<f64>, Vec<f64>, Vec<f64>)> = None;
        let mut spent_before = 0.0;
        for (k, &t) in information.iter().enumerate() {
            let target = sides * self.spending.spent(side_alpha, t) - spent_before;
            // crossing probability at this look for a bound c
            let cross = |c: f64| -> f64 {
                match &grid {
                    None => sides * normal_sf(c),
                    Some((x, w, h)) => {
                        let tp = information[k - 1];
                        let (st, sp, sd) = (t.sqrt(), tp.sqrt(), (t - tp).sqrt());
                        x.iter()
                            .zip(w)
                            .zip(h)
                            .map(|((&x, &w), &h)| {
                                let up = normal_sf((c * st - x * sp) / sd);
                                let down = if self.two_sided { normal_sf((c * st + x * sp) / sd) } else { 0.0 };
                                w * h * (up + down)
                            })
                            .sum()
                    }
                }
            };
            let c = if target <= 0.0 {
                f64::INFINITY
            } else {
                // cross falls in c: where it comes down to target, on c > 0
                falling_root(|c| cross(c) - target, 0.0)
            };
            spent_before += if c.is_finite() { cross(c) } else { 0.0 };
            z.push(c);
            nominal.push(sides * normal_sf(c));
            spent.push(spent_before);
            // the density at this look on the new continuation region
            if k + 1 < information.len() {
                let hi = if c.is_finite() { c } else { -FLOOR };
                let lo = if self.two_sided { -hi } else { FLOOR };
                let (xs, ws) = simpson(lo, hi);
                let hs: Vec<f64> = match &grid {
                    None => xs.iter().map(|&x| normal_pdf(x)).collect(),
                    Some((x0, w0, h0)) => {
                        let tp = information[k - 1];
                        let (st, sp, sd) = (t.sqrt(), tp.sqrt(), (t - tp).sqrt());
                        xs.iter()
                            .map(|&x| {
                                let s: f64 = x0.iter().zip(w0).zip(h0).map(|((&y, &w), &h)| w * h * normal_pdf((x * st - y * sp) / sd)).sum();
                                s * st / sd
                            })
                            .collect()
                    }
                };
                grid = Some((xs, ws, hs));
            }
        }
        Ok(Bounds { information: information.to_vec(), z, nominal_alpha: nominal, spent })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five equally spaced looks, 0.05 two-sided, O'Brien-Fleming-like spending: the bounds of
    /// nested scipy quad and the Gauss-Legendre recursion in make_experiment_vectors.py.
    #[test]
    fn exact_bounds() {
        let t = [0.2, 0.4, 0.6, 0.8, 1.0];
        let b = GroupSequential::default().bounds(&t).unwrap();
        let want = [4.876884948790762, 3.357011921574649, 2.6802800645449993, 2.2898167677119643, 2.03103204331007];
        for (got, want) in b.z.iter().zip(want) {
            assert!((got - want).abs() < 1e-8, "{got} vs {want}");
        }
        assert!((b.spent[4] - 0.05).abs() < 1e-9);
        let one = GroupSequential::default().two_sided(false).alpha(0.025).bounds(&t).unwrap();
        for (x, y) in one.z.iter().zip(&b.z) {
            assert!((x - y).abs() < 1e-6, "one-sided 0.025 and two-sided 0.05 nearly agree");
        }
    }

    #[test]
    fn information_must_increase() {
        let e = GroupSequential::default().bounds(&[0.5, 0.5]).unwrap_err();
        assert!(e.to_string().starts_with("information[1] must be in"), "{e}");
        assert!(GroupSequential::default().bounds(&[0.5, 1.2]).is_err());
        // looks 1e-8 apart gave a second bound 6e-4 above the exact one (1e-4 apart: 0.013)
        let e = GroupSequential::default().bounds(&[0.5, 0.500_000_01, 1.0]).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter");
        assert!(e.to_string().starts_with("invalid information[1]: \"0.50000001\" (less than 1% above information[0] = 0.5"), "{e}");
        // 1% apart is a design: within about 1e-8 of the exact two-look bound, 2.3982595344305593
        // (scipy quad of P(Z1 < c1, Z2 > c2) with Z2 = r Z1 + s W, brentq to 1e-12; one-sided
        // 0.025, alpha * t spending)
        let b = GroupSequential::default().alpha(0.025).two_sided(false).spending(Spending::Power { rho: 1.0 }).bounds(&[0.5, 0.51]).unwrap();
        assert!((b.z[1] - 2.398_259_534_430_559_3).abs() < 2e-8, "{:?}", b.z);
    }
}
