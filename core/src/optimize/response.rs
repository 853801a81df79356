//! Response curves: how spend carries over (adstock) and saturates, each with its value, its
//! derivative (the marginal return) and, where the marginal is monotone, the spend at which the
//! marginal equals a given value.
//!
//! Names and parameterisations follow pymc-marketing 0.19 (`pymc_marketing.mmm.transformers`);
//! Robyn's are converted in the table below.
//!
//! # Saturation
//!
//! | Kind | Value `f(x)` | pymc-marketing | Robyn | Conversion |
//! |---|---|---|---|---|
//! | [`Saturation::Logistic`] | `beta (1 - e^{-lam x}) / (1 + e^{-lam x})` | `LogisticSaturation(lam, beta)` | - | same |
//! | [`Saturation::Hill`] | `beta x^slope / (kappa^slope + x^slope)` | `HillSaturation(slope, kappa, beta)` | `saturation_hill(alpha, gamma)`: `x^alpha / (x^alpha + inflexion^alpha)`, `inflexion = (1 - gamma) min(x) + gamma max(x)` | `slope = alpha`, `kappa = inflexion`, `beta = 1` ([`Saturation::robyn_hill`]); `max(x) gamma` when `min(x) = 0` |
//! | [`Saturation::MichaelisMenten`] | `alpha x / (lam + x)` | `MichaelisMentenSaturation(alpha, lam)` | - | same |
//! | [`Saturation::Tanh`] | `b tanh(x / (b c))` | `TanhSaturation(b, c)` | - | same |
//! | [`Saturation::Power`] | `a x^b`, `b` in (0, 1] | `RootSaturation(alpha = b, beta = a)` | - | `a = beta`, `b = alpha` |
//! | [`Saturation::Log`] | `beta ln(1 + lam x)` | - | - | - |
//!
//! A Hill curve with `slope > 1` is S-shaped: its marginal rises to a peak at the inflection
//! `kappa ((slope - 1) / (slope + 1))^(1 / slope)` and falls after it; every other curve here is
//! concave on `x >= 0`, so its marginal falls from the start.
//!
//! # Adstock
//!
//! `adstock(x)_t = sum_{l=0}^{L-1} w_l x_{t-l}`: the lag weights `w` convolved with the spend,
//! trailing (pymc-marketing's `ConvMode.After`). Spend before the window (`pre`, oldest first)
//! carries into the first periods; pymc-marketing pads it with zeros, which equals `pre = []`.
//!
//! | Kind | Weights `w_l`, `l = 0..L-1` | pymc-marketing | Robyn |
//! |---|---|---|---|
//! | [`Adstock::Geometric`] | `alpha^l`, divided by their sum when `normalize` | `GeometricAdstock(alpha, l_max, normalize)` | `adstock_geometric(theta)`: the recursion `x_t + theta a_{t-1}`, untruncated = `alpha = theta`, `normalize = false`, `l_max` = the whole history |
//! | [`Adstock::Delayed`] | `alpha^((l - theta)^2)`, normalised or not | `DelayedAdstock(alpha, theta, l_max, normalize)` | - |
//! | [`Adstock::WeibullPdf`] | Weibull(shape `k`, scale `lam`) density at `l + 1`, min-max scaled to [0, 1] (the smallest weight is 0), then normalised or not | `WeibullPDFAdstock(lam, k, l_max, normalize)` | `adstock_weibull(shape, scale, type = "pdf")` (Robyn scales `scale` by the window length first) |
//! | [`Adstock::WeibullCdf`] | `prod_{j=1}^{l} exp(-(j / lam)^k)` (survival, cumulated), normalised or not | `WeibullCDFAdstock(lam, k, l_max - 1, normalize)`: pymc-marketing prepends a 1 and keeps `l_max + 1` weights; here `l_max` counts every weight, as for the other kinds | `type = "cdf"` (likewise) |

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A saturation curve: the response to (adstocked) spend `x >= 0`. See the [module
/// table](self) for the formulas and their pymc-marketing and Robyn names.
///
/// Build through the checked constructors ([`Saturation::logistic`], ...) or check a
/// deserialised one with [`Saturation::validate`].
///
/// ```
/// use channelwise::optimize::response::Saturation;
/// let s = Saturation::hill(2.0, 100.0, 50.0)?;
/// assert_eq!(s.value(100.0), 25.0); // half of beta at x = kappa
/// assert!(s.is_s_shaped());
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Saturation {
    /// `beta (1 - e^{-lam x}) / (1 + e^{-lam x})`.
    Logistic {
        /// Steepness, `> 0`.
        lam: f64,
        /// Ceiling, `>= 0`.
        beta: f64,
    },
    /// `beta x^slope / (kappa^slope + x^slope)`.
    Hill {
        /// Shape, `> 0` (`> 1`: S-curve).
        slope: f64,
        /// Spend at half the ceiling, `> 0`.
        kappa: f64,
        /// Ceiling, `>= 0`.
        beta: f64,
    },
    /// `alpha x / (lam + x)`.
    MichaelisMenten {
        /// Ceiling, `>= 0`.
        alpha: f64,
        /// Spend at half the ceiling, `> 0`.
        lam: f64,
    },
    /// `b tanh(x / (b c))`.
    Tanh {
        /// Ceiling, `> 0`.
        b: f64,
        /// Cost per unit of response at zero spend, `> 0`.
        c: f64,
    },
    /// `a x^b`.
    Power {
        /// Scale, `>= 0`.
        a: f64,
        /// Exponent in (0, 1].
        b: f64,
    },
    /// `beta ln(1 + lam x)`.
    Log {
        /// Scale, `>= 0`.
        beta: f64,
        /// Rate, `> 0`.
        lam: f64,
    },
}

/// The names of a saturation kind's parameters, in the order of [`Saturation::params`].
pub(crate) fn saturation_param_names(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "logistic" => &["lam", "beta"],
        "hill" => &["slope", "kappa", "beta"],
        "michaelis_menten" => &["alpha", "lam"],
        "tanh" => &["b", "c"],
        "power" => &["a", "b"],
        "log" => &["beta", "lam"],
        _ => return None,
    })
}

/// Every saturation kind, by name.
pub const SATURATION_KINDS: [&str; 6] = ["logistic", "hill", "michaelis_menten", "tanh", "power", "log"];

/// `v` finite and in `[min, max]` (`(min, max]` when `open_min`), else `non_finite` / `out_of_range` naming `field`.
pub(crate) fn check(field: &str, v: f64, min: f64, max: f64, open_min: bool) -> Result<()> {
    if !v.is_finite() {
        return Err(Error::NonFinite { field: field.into(), value: v });
    }
    if v < min || v > max || (open_min && v == min) {
        return Err(Error::OutOfRange { field: field.into(), value: v, min, max });
    }
    Ok(())
}

const INF: f64 = f64::INFINITY;

impl Saturation {
    /// `beta (1 - e^{-lam x}) / (1 + e^{-lam x})`.
    ///
    /// # Errors
    /// `out_of_range` unless `lam > 0` and `beta >= 0`; `non_finite` for NaN or infinity.
    pub fn logistic(lam: f64, beta: f64) -> Result<Self> {
        let s = Saturation::Logistic { lam, beta };
        s.validate()?;
        Ok(s)
    }

    /// `beta x^slope / (kappa^slope + x^slope)`.
    ///
    /// # Errors
    /// `out_of_range` unless `slope > 0`, `kappa > 0` and `beta >= 0`.
    pub fn hill(slope: f64, kappa: f64, beta: f64) -> Result<Self> {
        let s = Saturation::Hill { slope, kappa, beta };
        s.validate()?;
        Ok(s)
    }

    /// Robyn's `saturation_hill(x, alpha, gamma)` as a [`Saturation::Hill`]: `slope = alpha`,
    /// `kappa = (1 - gamma) min(x) + gamma max(x)` over the spend series `x` Robyn takes its
    /// range from, `beta = 1`.
    ///
    /// # Errors
    /// `out_of_range` unless `alpha > 0`, `gamma` in (0, 1] and the inflexion is positive;
    /// `not_enough_data` for an empty `x`; `non_finite` for NaN spend.
    pub fn robyn_hill(alpha: f64, gamma: f64, x: &[f64]) -> Result<Self> {
        check("gamma", gamma, 0.0, 1.0, true)?;
        check_spend("x", x)?;
        if x.is_empty() {
            return Err(Error::NotEnoughData { what: "Robyn's Hill inflexion".into(), required: 1, got: 0 });
        }
        let (lo, hi) = x.iter().fold((INF, -INF), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let inflexion = (1.0 - gamma) * lo + gamma * hi;
        check("inflexion", inflexion, 0.0, INF, true)?;
        Self::hill(alpha, inflexion, 1.0)
    }

    /// `alpha x / (lam + x)`.
    ///
    /// # Errors
    /// `out_of_range` unless `alpha >= 0` and `lam > 0`.
    pub fn michaelis_menten(alpha: f64, lam: f64) -> Result<Self> {
        let s = Saturation::MichaelisMenten { alpha, lam };
        s.validate()?;
        Ok(s)
    }

    /// `b tanh(x / (b c))`.
    ///
    /// # Errors
    /// `out_of_range` unless `b > 0` and `c > 0`.
    pub fn tanh(b: f64, c: f64) -> Result<Self> {
        let s = Saturation::Tanh { b, c };
        s.validate()?;
        Ok(s)
    }

    /// `a x^b`.
    ///
    /// # Errors
    /// `out_of_range` unless `a >= 0` and `b` in (0, 1].
    pub fn power(a: f64, b: f64) -> Result<Self> {
        let s = Saturation::Power { a, b };
        s.validate()?;
        Ok(s)
    }

    /// `beta ln(1 + lam x)`.
    ///
    /// # Errors
    /// `out_of_range` unless `beta >= 0` and `lam > 0`.
    pub fn log(beta: f64, lam: f64) -> Result<Self> {
        let s = Saturation::Log { beta, lam };
        s.validate()?;
        Ok(s)
    }

    /// A curve of kind `kind` (`"logistic"`, `"hill"`, `"michaelis_menten"`, `"tanh"`,
    /// `"power"`, `"log"`) from its parameters in the order of [`Saturation::param_names`].
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown kind, `length_mismatch` for the wrong number of
    /// parameters, and the constructor's errors.
    pub fn from_params(kind: &str, p: &[f64]) -> Result<Self> {
        let names = saturation_param_names(kind).ok_or_else(|| Error::InvalidParameter {
            field: "saturation".into(),
            value: kind.into(),
            reason: format!("expected one of {}", SATURATION_KINDS.join(", ")),
        })?;
        if p.len() != names.len() {
            return Err(Error::LengthMismatch { field: "saturation parameters".into(), got: p.len(), expected: names.len() });
        }
        let s = Self::unchecked(kind, p);
        s.validate()?;
        Ok(s)
    }

    /// `kind` with parameters `p` (right kind and count), not checked.
    pub(crate) fn unchecked(kind: &str, p: &[f64]) -> Self {
        match kind {
            "logistic" => Saturation::Logistic { lam: p[0], beta: p[1] },
            "hill" => Saturation::Hill { slope: p[0], kappa: p[1], beta: p[2] },
            "michaelis_menten" => Saturation::MichaelisMenten { alpha: p[0], lam: p[1] },
            "tanh" => Saturation::Tanh { b: p[0], c: p[1] },
            "power" => Saturation::Power { a: p[0], b: p[1] },
            _ => Saturation::Log { beta: p[0], lam: p[1] },
        }
    }

    /// The parameter names of kind `kind`, in the order [`Saturation::from_params`] takes
    /// them; `None` for an unknown kind.
    pub fn kind_params(kind: &str) -> Option<&'static [&'static str]> {
        saturation_param_names(kind)
    }

    /// The kind's name, as [`Saturation::from_params`] takes it.
    pub fn kind(&self) -> &'static str {
        match self {
            Saturation::Logistic { .. } => "logistic",
            Saturation::Hill { .. } => "hill",
            Saturation::MichaelisMenten { .. } => "michaelis_menten",
            Saturation::Tanh { .. } => "tanh",
            Saturation::Power { .. } => "power",
            Saturation::Log { .. } => "log",
        }
    }

    /// The parameters' names, in the order of [`Saturation::params`].
    pub fn param_names(&self) -> &'static [&'static str] {
        saturation_param_names(self.kind()).unwrap_or(&[])
    }

    /// The parameters, in the order of [`Saturation::param_names`].
    pub fn params(&self) -> Vec<f64> {
        match *self {
            Saturation::Logistic { lam, beta } => vec![lam, beta],
            Saturation::Hill { slope, kappa, beta } => vec![slope, kappa, beta],
            Saturation::MichaelisMenten { alpha, lam } => vec![alpha, lam],
            Saturation::Tanh { b, c } => vec![b, c],
            Saturation::Power { a, b } => vec![a, b],
            Saturation::Log { beta, lam } => vec![beta, lam],
        }
    }

    /// `output * f(input * x)` as a curve of `x` (the same kind): a curve fitted on scaled
    /// spend and response, in user units.
    pub fn rescaled(&self, input: f64, output: f64) -> Saturation {
        let (k, o) = (input, output);
        match *self {
            Saturation::Logistic { lam, beta } => Saturation::Logistic { lam: lam * k, beta: beta * o },
            Saturation::Hill { slope, kappa, beta } => Saturation::Hill { slope, kappa: kappa / k, beta: beta * o },
            Saturation::MichaelisMenten { alpha, lam } => Saturation::MichaelisMenten { alpha: alpha * o, lam: lam / k },
            Saturation::Tanh { b, c } => Saturation::Tanh { b: b * o, c: c / (k * o) },
            Saturation::Power { a, b } => Saturation::Power { a: a * o * k.powf(b), b },
            Saturation::Log { beta, lam } => Saturation::Log { beta: beta * o, lam: lam * k },
        }
    }

    /// Checks every parameter's range (for a curve built without the constructors).
    ///
    /// # Errors
    /// `out_of_range` or `non_finite` naming the parameter (`saturation.lam`).
    pub fn validate(&self) -> Result<()> {
        let pos = |n: &str, v: f64| check(&format!("saturation.{n}"), v, 0.0, INF, true);
        let nonneg = |n: &str, v: f64| check(&format!("saturation.{n}"), v, 0.0, INF, false);
        match *self {
            Saturation::Logistic { lam, beta } => {
                pos("lam", lam)?;
                nonneg("beta", beta)
            }
            Saturation::Hill { slope, kappa, beta } => {
                pos("slope", slope)?;
                pos("kappa", kappa)?;
                nonneg("beta", beta)
            }
            Saturation::MichaelisMenten { alpha, lam } => {
                nonneg("alpha", alpha)?;
                pos("lam", lam)
            }
            Saturation::Tanh { b, c } => {
                pos("b", b)?;
                pos("c", c)
            }
            Saturation::Power { a, b } => {
                nonneg("a", a)?;
                check("saturation.b", b, 0.0, 1.0, true)
            }
            Saturation::Log { beta, lam } => {
                nonneg("beta", beta)?;
                pos("lam", lam)
            }
        }
    }

    /// True for a Hill curve with `slope > 1`, whose marginal rises before it falls.
    pub fn is_s_shaped(&self) -> bool {
        matches!(*self, Saturation::Hill { slope, .. } if slope > 1.0)
    }

    /// The spend where the marginal peaks: the inflection of an S-curve, 0 otherwise.
    pub fn inflection(&self) -> f64 {
        match *self {
            Saturation::Hill { slope, kappa, .. } if slope > 1.0 => {
                kappa * ((slope - 1.0) / (slope + 1.0)).powf(1.0 / slope)
            }
            _ => 0.0,
        }
    }

    /// The response at spend `x >= 0` (not checked; see [`Saturation::values`]).
    pub fn value(&self, x: f64) -> f64 {
        match *self {
            Saturation::Logistic { lam, beta } => {
                // (1 - e)/(1 + e) = tanh(lam x / 2), exact to the last bit for small lam x.
                beta * (0.5 * lam * x).tanh()
            }
            Saturation::Hill { slope, kappa, beta } => {
                if x == 0.0 {
                    return 0.0;
                }
                // x^s / (k^s + x^s) = 1 / (1 + (k/x)^s): no overflow for large x.
                beta / (1.0 + (kappa / x).powf(slope))
            }
            Saturation::MichaelisMenten { alpha, lam } => alpha * x / (lam + x),
            Saturation::Tanh { b, c } => b * (x / (b * c)).tanh(),
            Saturation::Power { a, b } => a * x.powf(b),
            Saturation::Log { beta, lam } => beta * (lam * x).ln_1p(),
        }
    }

    /// The marginal response `f'(x)` at spend `x >= 0` (`+inf` at 0 for a Hill curve with
    /// `slope < 1` and a power curve with `b < 1`).
    pub fn derivative(&self, x: f64) -> f64 {
        match *self {
            Saturation::Logistic { lam, beta } => {
                // d/dx tanh(lam x/2) = lam/2 sech^2(lam x/2)
                let c = (0.5 * lam * x).cosh();
                if c.is_infinite() {
                    0.0
                } else {
                    beta * 0.5 * lam / (c * c)
                }
            }
            Saturation::Hill { slope, kappa, beta } => {
                if x == 0.0 {
                    return if slope < 1.0 {
                        INF
                    } else if slope == 1.0 {
                        beta / kappa
                    } else {
                        0.0
                    };
                }
                // f = beta / (1 + r), r = (k/x)^s; f' = beta s r / (x (1 + r)^2)
                let r = (kappa / x).powf(slope);
                if r.is_infinite() {
                    return 0.0;
                }
                beta * slope * r / (x * (1.0 + r) * (1.0 + r))
            }
            Saturation::MichaelisMenten { alpha, lam } => alpha * lam / ((lam + x) * (lam + x)),
            Saturation::Tanh { b, c } => {
                let ch = (x / (b * c)).cosh();
                if ch.is_infinite() {
                    0.0
                } else {
                    1.0 / (c * ch * ch)
                }
            }
            Saturation::Power { a, b } => {
                if b == 1.0 {
                    a
                } else if x == 0.0 {
                    if a == 0.0 {
                        0.0
                    } else {
                        INF
                    }
                } else {
                    a * b * x.powf(b - 1.0)
                }
            }
            Saturation::Log { beta, lam } => beta * lam / (1.0 + lam * x),
        }
    }

    /// The largest marginal over `x >= 0` (`+inf` when it is unbounded at 0).
    pub fn max_marginal(&self) -> f64 {
        self.derivative(self.inflection())
    }

    /// The spend at which the marginal equals `m`, on the falling branch (after the inflection
    /// of an S-curve): 0 when `m` is at least the largest marginal (no spend is worth `m`),
    /// `+inf` when the marginal never falls to `m` (`m <= 0`, or a linear power curve with
    /// `m < a`). A NaN `m` gives NaN.
    pub fn inverse_marginal(&self, m: f64) -> f64 {
        if m.is_nan() {
            return f64::NAN;
        }
        let peak = self.max_marginal();
        if m >= peak {
            return if m > peak { 0.0 } else { self.inflection() };
        }
        if m <= 0.0 {
            return INF;
        }
        let x = match *self {
            Saturation::Logistic { lam, beta } => {
                // f' = 2 beta lam u / (1 + u)^2, u = e^{-lam x}: the root u in (0, 1].
                let bl = beta * lam;
                let u = m / ((bl - m) + (bl * (bl - 2.0 * m)).max(0.0).sqrt());
                -u.ln() / lam
            }
            Saturation::MichaelisMenten { alpha, lam } => (alpha * lam / m).sqrt() - lam,
            Saturation::Tanh { b, c } => {
                // sech^2(x/(bc)) = m c
                b * c * (1.0 / (m * c).sqrt()).acosh()
            }
            // a linear curve (b = 1) never falls to m < a
            Saturation::Power { b: 1.0, .. } => INF,
            Saturation::Power { a, b } => (m / (a * b)).powf(1.0 / (b - 1.0)),
            Saturation::Log { beta, lam } => (beta * lam / m - 1.0) / lam,
            Saturation::Hill { slope, kappa, beta } => {
                if slope == 1.0 {
                    (beta * kappa / m).sqrt() - kappa
                } else {
                    self.falling_root(m)
                }
            }
        };
        x.max(0.0)
    }

    /// The root of `f'(x) = m` on `[inflection, inf)`, where `f'` falls.
    fn falling_root(&self, m: f64) -> f64 {
        falling_root(|x| self.derivative(x) - m, self.inflection())
    }

    /// The response at every spend in `x`.
    ///
    /// # Errors
    /// `non_finite` for NaN or infinite spend, `out_of_range` for negative spend (`x[3]`).
    pub fn values(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.validate()?;
        check_spend("x", x)?;
        Ok(x.iter().map(|&v| self.value(v)).collect())
    }

    /// The marginal response at every spend in `x`.
    ///
    /// # Errors
    /// As [`Saturation::values`].
    pub fn derivatives(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.validate()?;
        check_spend("x", x)?;
        Ok(x.iter().map(|&v| self.derivative(v)).collect())
    }

    /// The spend at which the marginal equals each `m` ([`Saturation::inverse_marginal`]).
    ///
    /// # Errors
    /// `non_finite` for a NaN in `m`.
    pub fn inverse_marginals(&self, m: &[f64]) -> Result<Vec<f64>> {
        self.validate()?;
        for (i, &v) in m.iter().enumerate() {
            if v.is_nan() {
                return Err(Error::NonFinite { field: format!("m[{i}]"), value: v });
            }
        }
        Ok(m.iter().map(|&v| self.inverse_marginal(v)).collect())
    }

    /// `df/dp` for each parameter `p` in the order of [`Saturation::params`], at spend `x`.
    pub(crate) fn param_gradient(&self, x: f64, out: &mut [f64]) {
        match *self {
            Saturation::Logistic { lam, beta } => {
                let t = (0.5 * lam * x).tanh();
                out[0] = beta * 0.5 * x * (1.0 - t * t);
                out[1] = t;
            }
            Saturation::Hill { slope, kappa, beta } => {
                if x == 0.0 {
                    out[..3].fill(0.0);
                    return;
                }
                let r = (kappa / x).powf(slope);
                let g = 1.0 / (1.0 + r);
                if r.is_infinite() {
                    out[..3].fill(0.0);
                    return;
                }
                // f = beta g; dg/dr = -g^2; dr/ds = r ln(k/x); dr/dk = s r / k
                out[0] = -beta * g * g * r * (kappa / x).ln();
                out[1] = -beta * g * g * slope * r / kappa;
                out[2] = g;
            }
            Saturation::MichaelisMenten { alpha, lam } => {
                out[0] = x / (lam + x);
                out[1] = -alpha * x / ((lam + x) * (lam + x));
            }
            Saturation::Tanh { b, c } => {
                let z = x / (b * c);
                let t = z.tanh();
                let s2 = 1.0 - t * t;
                out[0] = t - z * s2;
                out[1] = -b * z / c * s2;
            }
            Saturation::Power { a, b } => {
                let p = if x == 0.0 { 0.0 } else { x.powf(b) };
                out[0] = p;
                out[1] = if x == 0.0 { 0.0 } else { a * p * x.ln() };
            }
            Saturation::Log { beta, lam } => {
                out[0] = (lam * x).ln_1p();
                out[1] = beta * x / (1.0 + lam * x);
            }
        }
    }
}

/// A bracket `[lo, hi]` of a root of `g`, with `g(lo) > 0 >= g(hi)` (`lo < hi`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bracket {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) glo: f64,
    pub(crate) ghi: f64,
}

/// Narrows `b` by the Illinois variant of regula falsi (superlinear, always bracketed) for at most
/// `max_iter` evaluations of `g`, stopping early when `done(&b)` holds before a step or `g` hits
/// exactly 0 (then `lo = hi` = that point). Each step replaces the end whose value has the sign of
/// `g` at the secant point (the midpoint when the secant is not strictly inside); an end kept
/// twice in a row has its value halved. `g` may fail: its error is returned. Shared by the
/// curves' inverse marginals, the allocator's water level and the CVaR line search.
pub(crate) fn illinois<E>(
    b: &mut Bracket,
    max_iter: usize,
    mut g: impl FnMut(f64) -> std::result::Result<f64, E>,
    mut done: impl FnMut(&Bracket) -> bool,
) -> std::result::Result<(), E> {
    let mut side = 0i8;
    for _ in 0..max_iter {
        if done(b) {
            break;
        }
        let secant = b.glo > b.ghi && b.glo.is_finite() && b.ghi.is_finite();
        let mut x = if secant { (b.lo * b.ghi - b.hi * b.glo) / (b.ghi - b.glo) } else { 0.5 * (b.lo + b.hi) };
        if !(x > b.lo && x < b.hi) {
            x = 0.5 * (b.lo + b.hi);
        }
        let gx = g(x)?;
        if gx == 0.0 {
            *b = Bracket { lo: x, hi: x, glo: 0.0, ghi: 0.0 };
            break;
        }
        if gx > 0.0 {
            (b.lo, b.glo) = (x, gx);
            if side == 1 {
                b.ghi *= 0.5; // Illinois: halve the stale end
            }
            side = 1;
        } else {
            (b.hi, b.ghi) = (x, gx);
            if side == -1 {
                b.glo *= 0.5;
            }
            side = -1;
        }
    }
    Ok(())
}

/// The root of a falling `g` on `[start, inf)` (`g(start) > 0`): a bracket found by doubling,
/// then [`illinois`] to the last bit; `+inf` when `g` stays positive. Shared by the curves' and
/// the allocator's inverse marginals, and the experiments' sample sizes and sequential bounds.
pub(crate) fn falling_root(g: impl Fn(f64) -> f64, start: f64) -> f64 {
    let mut lo = start;
    let mut hi = if lo > 0.0 { 2.0 * lo } else { 1.0 };
    while g(hi) > 0.0 {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return INF;
        }
    }
    let mut b = Bracket { lo, hi, glo: g(lo).min(f64::MAX), ghi: g(hi) };
    let Ok(()) = illinois(&mut b, 400, |x| Ok::<f64, std::convert::Infallible>(g(x)), |b| b.hi - b.lo <= 4.0 * f64::EPSILON * b.hi);
    // the end whose value is nearer 0
    if g(b.lo).abs() <= g(b.hi).abs() {
        b.lo
    } else {
        b.hi
    }
}

/// Spend must be finite and `>= 0`.
pub(crate) fn check_spend(field: &str, x: &[f64]) -> Result<()> {
    for (i, &v) in x.iter().enumerate() {
        if !v.is_finite() {
            return Err(Error::NonFinite { field: format!("{field}[{i}]"), value: v });
        }
        if v < 0.0 {
            return Err(Error::OutOfRange { field: format!("{field}[{i}]"), value: v, min: 0.0, max: INF });
        }
    }
    Ok(())
}

/// Carry-over of spend into later periods: lag weights convolved with the spend. See the
/// [module table](self).
///
/// ```
/// use channelwise::optimize::response::Adstock;
/// let a = Adstock::geometric(0.5, 3, false)?;
/// assert_eq!(a.weights(), vec![1.0, 0.5, 0.25]);
/// // 8 spent the period before the window carries in: 8 * 0.5, then 8 * 0.25
/// assert_eq!(a.apply(&[0.0, 0.0, 0.0], &[8.0])?, vec![4.0, 2.0, 0.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adstock {
    /// `w_l = alpha^l`.
    Geometric {
        /// Retention per period, in [0, 1].
        alpha: f64,
        /// Number of lags, `>= 1`.
        l_max: usize,
        /// Divide the weights by their sum.
        normalize: bool,
    },
    /// `w_l = alpha^((l - theta)^2)`: the peak `theta` periods after the spend.
    Delayed {
        /// Retention, in [0, 1].
        alpha: f64,
        /// Delay of the peak, in [0, l_max - 1].
        theta: f64,
        /// Number of lags, `>= 1`.
        l_max: usize,
        /// Divide the weights by their sum.
        normalize: bool,
    },
    /// Weibull density at `l + 1`, min-max scaled to [0, 1].
    WeibullPdf {
        /// Scale, `> 0`.
        lam: f64,
        /// Shape, `> 0`.
        k: f64,
        /// Number of lags, `>= 2`.
        l_max: usize,
        /// Divide the weights by their sum.
        #[serde(default)]
        normalize: bool,
    },
    /// Weibull survival, cumulated: weights starting at 1.
    WeibullCdf {
        /// Scale, `> 0`.
        lam: f64,
        /// Shape, `> 0`.
        k: f64,
        /// Number of lags, `>= 1`.
        l_max: usize,
        /// Divide the weights by their sum.
        #[serde(default)]
        normalize: bool,
    },
}

/// Every adstock kind, by name.
pub const ADSTOCK_KINDS: [&str; 4] = ["geometric", "delayed", "weibull_pdf", "weibull_cdf"];

/// The most lags an adstock may have (a guard against a runaway allocation).
pub const MAX_L_MAX: usize = 100_000;

impl Adstock {
    /// Geometric decay `alpha^l`, `l = 0..l_max-1`.
    ///
    /// # Errors
    /// `out_of_range` unless `alpha` is in [0, 1] and `l_max` in 1..=100000.
    pub fn geometric(alpha: f64, l_max: usize, normalize: bool) -> Result<Self> {
        let a = Adstock::Geometric { alpha, l_max, normalize };
        a.validate()?;
        Ok(a)
    }

    /// Delayed decay `alpha^((l - theta)^2)`.
    ///
    /// # Errors
    /// `out_of_range` unless `alpha` is in [0, 1], `theta` in [0, l_max - 1] and `l_max` in
    /// 1..=100000.
    pub fn delayed(alpha: f64, theta: f64, l_max: usize, normalize: bool) -> Result<Self> {
        let a = Adstock::Delayed { alpha, theta, l_max, normalize };
        a.validate()?;
        Ok(a)
    }

    /// Weibull density weights.
    ///
    /// # Errors
    /// `out_of_range` unless `lam > 0`, `k > 0` and `l_max` in 2..=100000.
    pub fn weibull_pdf(lam: f64, k: f64, l_max: usize, normalize: bool) -> Result<Self> {
        let a = Adstock::WeibullPdf { lam, k, l_max, normalize };
        a.validate()?;
        Ok(a)
    }

    /// Weibull survival weights.
    ///
    /// # Errors
    /// `out_of_range` unless `lam > 0`, `k > 0` and `l_max` in 1..=100000.
    pub fn weibull_cdf(lam: f64, k: f64, l_max: usize, normalize: bool) -> Result<Self> {
        let a = Adstock::WeibullCdf { lam, k, l_max, normalize };
        a.validate()?;
        Ok(a)
    }

    /// An adstock of kind `kind` (`"geometric"`, `"delayed"`, `"weibull_pdf"`,
    /// `"weibull_cdf"`) from its continuous parameters in the order of
    /// [`Adstock::param_names`] (`alpha`; `alpha, theta`; `lam, k`).
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown kind, `length_mismatch` for the wrong number of
    /// parameters, and the constructor's errors.
    pub fn from_params(kind: &str, p: &[f64], l_max: usize, normalize: bool) -> Result<Self> {
        let template = match kind {
            "geometric" => Adstock::Geometric { alpha: 0.0, l_max, normalize },
            "delayed" => Adstock::Delayed { alpha: 0.0, theta: 0.0, l_max, normalize },
            "weibull_pdf" => Adstock::WeibullPdf { lam: 1.0, k: 1.0, l_max, normalize },
            "weibull_cdf" => Adstock::WeibullCdf { lam: 1.0, k: 1.0, l_max, normalize },
            _ => {
                return Err(Error::InvalidParameter {
                    field: "adstock".into(),
                    value: kind.into(),
                    reason: format!("expected one of {}", ADSTOCK_KINDS.join(", ")),
                })
            }
        };
        let want = template.param_names().len();
        if p.len() != want {
            return Err(Error::LengthMismatch { field: "adstock parameters".into(), got: p.len(), expected: want });
        }
        let a = template.with_params(p);
        a.validate()?;
        Ok(a)
    }

    /// The continuous parameter names of kind `kind`, in the order [`Adstock::from_params`]
    /// takes them; `None` for an unknown kind.
    pub fn kind_params(kind: &str) -> Option<&'static [&'static str]> {
        Some(match kind {
            "geometric" => &["alpha"],
            "delayed" => &["alpha", "theta"],
            "weibull_pdf" | "weibull_cdf" => &["lam", "k"],
            _ => return None,
        })
    }

    /// The kind's name.
    pub fn kind(&self) -> &'static str {
        match self {
            Adstock::Geometric { .. } => "geometric",
            Adstock::Delayed { .. } => "delayed",
            Adstock::WeibullPdf { .. } => "weibull_pdf",
            Adstock::WeibullCdf { .. } => "weibull_cdf",
        }
    }

    /// `l_max` as given.
    pub fn l_max(&self) -> usize {
        match *self {
            Adstock::Geometric { l_max, .. }
            | Adstock::Delayed { l_max, .. }
            | Adstock::WeibullPdf { l_max, .. }
            | Adstock::WeibullCdf { l_max, .. } => l_max,
        }
    }

    /// Whether the weights are divided by their sum.
    pub fn normalize(&self) -> bool {
        match *self {
            Adstock::Geometric { normalize, .. }
            | Adstock::Delayed { normalize, .. }
            | Adstock::WeibullPdf { normalize, .. }
            | Adstock::WeibullCdf { normalize, .. } => normalize,
        }
    }

    /// The continuous parameters' names, in the order of [`Adstock::params`].
    pub fn param_names(&self) -> &'static [&'static str] {
        Self::kind_params(self.kind()).unwrap_or(&[])
    }

    /// The continuous parameters.
    pub fn params(&self) -> Vec<f64> {
        match *self {
            Adstock::Geometric { alpha, .. } => vec![alpha],
            Adstock::Delayed { alpha, theta, .. } => vec![alpha, theta],
            Adstock::WeibullPdf { lam, k, .. } | Adstock::WeibullCdf { lam, k, .. } => vec![lam, k],
        }
    }

    /// The same kind and `l_max` with continuous parameters `p` (not checked).
    pub(crate) fn with_params(&self, p: &[f64]) -> Self {
        match *self {
            Adstock::Geometric { l_max, normalize, .. } => Adstock::Geometric { alpha: p[0], l_max, normalize },
            Adstock::Delayed { l_max, normalize, .. } => Adstock::Delayed { alpha: p[0], theta: p[1], l_max, normalize },
            Adstock::WeibullPdf { l_max, normalize, .. } => Adstock::WeibullPdf { lam: p[0], k: p[1], l_max, normalize },
            Adstock::WeibullCdf { l_max, normalize, .. } => Adstock::WeibullCdf { lam: p[0], k: p[1], l_max, normalize },
        }
    }

    /// Checks every parameter's range, and that some weight is not zero.
    ///
    /// # Errors
    /// `out_of_range` or `non_finite` naming the parameter (`adstock.alpha`);
    /// `invalid_parameter` (`adstock`) when every weight is zero (a delayed peak between lags
    /// with `alpha = 0`, or Weibull weights that underflow): no spend would carry into any lag,
    /// and a steady-state curve would divide by the zero gain.
    pub fn validate(&self) -> Result<()> {
        self.checked_weights().map(drop)
    }

    /// The weights, once the parameters are checked and some weight is not zero.
    fn checked_weights(&self) -> Result<Vec<f64>> {
        self.validate_ranges()?;
        let w = self.weights();
        if w.iter().all(|&v| v == 0.0) {
            let p = self.param_names().iter().zip(self.params()).map(|(n, v)| format!("{n}={v}"));
            return Err(Error::InvalidParameter {
                field: "adstock".into(),
                value: format!("{}({})", self.kind(), p.collect::<Vec<_>>().join(", ")),
                reason: "every lag weight is zero, so no spend carries into any lag".into(),
            });
        }
        Ok(w)
    }

    fn validate_ranges(&self) -> Result<()> {
        let lmax = |l: usize, min: usize| {
            if l < min || l > MAX_L_MAX {
                Err(Error::OutOfRange { field: "adstock.l_max".into(), value: l as f64, min: min as f64, max: MAX_L_MAX as f64 })
            } else {
                Ok(())
            }
        };
        match *self {
            Adstock::Geometric { alpha, l_max, .. } => {
                check("adstock.alpha", alpha, 0.0, 1.0, false)?;
                lmax(l_max, 1)
            }
            Adstock::Delayed { alpha, theta, l_max, .. } => {
                check("adstock.alpha", alpha, 0.0, 1.0, false)?;
                lmax(l_max, 1)?;
                check("adstock.theta", theta, 0.0, (l_max - 1) as f64, false)
            }
            Adstock::WeibullPdf { lam, k, l_max, .. } => {
                check("adstock.lam", lam, 0.0, INF, true)?;
                check("adstock.k", k, 0.0, INF, true)?;
                lmax(l_max, 2)
            }
            Adstock::WeibullCdf { lam, k, l_max, .. } => {
                check("adstock.lam", lam, 0.0, INF, true)?;
                check("adstock.k", k, 0.0, INF, true)?;
                lmax(l_max, 1)
            }
        }
    }

    /// The lag weights `w_0, ..., w_{l_max - 1}`.
    pub fn weights(&self) -> Vec<f64> {
        let mut w = Vec::new();
        self.weights_into(&mut w);
        w
    }

    pub(crate) fn weights_into(&self, w: &mut Vec<f64>) {
        w.clear();
        match *self {
            Adstock::Geometric { alpha, l_max, normalize } => {
                let mut p = 1.0;
                for _ in 0..l_max {
                    w.push(p);
                    p *= alpha;
                }
                if normalize {
                    normalise(w);
                }
            }
            Adstock::Delayed { alpha, theta, l_max, normalize } => {
                w.extend((0..l_max).map(|l| {
                    let d = l as f64 - theta;
                    alpha.powf(d * d)
                }));
                if normalize {
                    normalise(w);
                }
            }
            Adstock::WeibullPdf { lam, k, l_max, normalize } => {
                w.extend((1..=l_max).map(|t| {
                    let z = t as f64 / lam;
                    // log density, as pm.Weibull.logp, then exp
                    ((k / lam).ln() + (k - 1.0) * z.ln() - z.powf(k)).exp()
                }));
                let (lo, hi) = w.iter().fold((INF, -INF), |(lo, hi), &v| (lo.min(v), hi.max(v)));
                let span = hi - lo;
                for v in w.iter_mut() {
                    *v = if span > 0.0 { (*v - lo) / span } else { 0.0 };
                }
                if normalize {
                    normalise(w);
                }
            }
            Adstock::WeibullCdf { lam, k, l_max, normalize } => {
                let mut p = 1.0;
                w.push(p);
                for t in 1..l_max {
                    p *= (-(t as f64 / lam).powf(k)).exp();
                    w.push(p);
                }
                if normalize {
                    normalise(w);
                }
            }
        }
    }

    /// The steady-state gain `sum w`: adstocked spend per period when the same spend runs
    /// every period.
    pub fn gain(&self) -> f64 {
        self.weights().iter().sum()
    }

    /// The adstocked series of `x`, with `pre` (oldest first) the spend before the window,
    /// whose carry-over reaches into the first periods.
    ///
    /// # Errors
    /// The parameter errors of [`Adstock::validate`]; `non_finite` / `out_of_range` for NaN or
    /// negative spend (`x[2]`, `pre[0]`).
    pub fn apply(&self, x: &[f64], pre: &[f64]) -> Result<Vec<f64>> {
        let w = self.checked_weights()?;
        check_spend("x", x)?;
        check_spend("pre", pre)?;
        let mut out = vec![0.0; x.len()];
        convolve(&w, x, pre, &mut out);
        Ok(out)
    }
}

fn normalise(w: &mut [f64]) {
    let s: f64 = w.iter().sum();
    if s > 0.0 {
        w.iter_mut().for_each(|v| *v /= s);
    }
}

/// `out_t = sum_l w_l z_{t-l}` with `z` = `pre ++ x`, indices before `pre` zero.
pub(crate) fn convolve(w: &[f64], x: &[f64], pre: &[f64], out: &mut [f64]) {
    let p = pre.len();
    for (t, o) in out.iter_mut().enumerate() {
        let mut s = 0.0;
        for (l, &wl) in w.iter().enumerate() {
            let i = t + p;
            if l > i {
                break;
            }
            let j = i - l;
            s += wl * if j >= p { x[j - p] } else { pre[j] };
        }
        *o = s;
    }
}

/// A response curve sampled on a spend grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// The spend grid.
    pub spend: Vec<f64>,
    /// The response at each spend.
    pub response: Vec<f64>,
    /// The marginal response at each spend.
    pub marginal: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num_deriv(f: impl Fn(f64) -> f64, x: f64) -> f64 {
        let h = 1e-6 * x.abs().max(1e-3);
        (f(x + h) - f(x - h)) / (2.0 * h)
    }

    fn all() -> Vec<Saturation> {
        vec![
            Saturation::logistic(0.8, 3.0).unwrap(),
            Saturation::hill(0.7, 2.0, 5.0).unwrap(),
            Saturation::hill(1.0, 2.0, 5.0).unwrap(),
            Saturation::hill(2.5, 2.0, 5.0).unwrap(),
            Saturation::michaelis_menten(4.0, 1.5).unwrap(),
            Saturation::tanh(2.0, 0.5).unwrap(),
            Saturation::power(2.0, 0.5).unwrap(),
            Saturation::power(2.0, 1.0).unwrap(),
            Saturation::log(1.5, 0.7).unwrap(),
        ]
    }

    #[test]
    fn derivative_and_param_gradient_match_differences() {
        for s in all() {
            for &x in &[0.3, 1.0, 2.7, 9.0] {
                let d = num_deriv(|v| s.value(v), x);
                assert!((s.derivative(x) - d).abs() < 1e-6 * (1.0 + d.abs()), "{s:?} at {x}");
                let p = s.params();
                let mut g = vec![0.0; p.len()];
                s.param_gradient(x, &mut g);
                for i in 0..p.len() {
                    let f = |v: f64| {
                        let mut q = p.clone();
                        q[i] = v;
                        Saturation::unchecked(s.kind(), &q).value(x)
                    };
                    let d = num_deriv(f, p[i]);
                    assert!((g[i] - d).abs() < 1e-6 * (1.0 + d.abs()), "{s:?} param {i} at {x}: {} vs {d}", g[i]);
                }
            }
        }
    }

    #[test]
    fn inverse_marginal_inverts_the_falling_branch() {
        for s in all() {
            if matches!(s, Saturation::Power { b, .. } if b == 1.0) {
                assert_eq!(s.inverse_marginal(1.0), INF);
                assert_eq!(s.inverse_marginal(3.0), 0.0);
                continue;
            }
            let x0 = s.inflection();
            for &x in &[x0 + 0.5, x0 + 2.0, x0 + 7.0] {
                let m = s.derivative(x);
                let back = s.inverse_marginal(m);
                assert!((back - x).abs() < 1e-8 * (1.0 + x), "{s:?}: {back} vs {x}");
            }
            assert_eq!(s.inverse_marginal(0.0), INF);
            assert_eq!(s.inverse_marginal(s.max_marginal() * 2.0), 0.0);
        }
    }

    #[test]
    fn rescaled_is_the_scaled_curve() {
        for s in all() {
            let r = s.rescaled(0.25, 40.0);
            for x in [0.0, 1.0, 7.5, 30.0] {
                let want = 40.0 * s.value(0.25 * x);
                assert!((r.value(x) - want).abs() <= 1e-12 * want.abs().max(1.0), "{s:?} at {x}");
            }
        }
    }

    #[test]
    fn robyn_hill_converts() {
        let s = Saturation::robyn_hill(2.0, 0.5, &[0.0, 10.0, 4.0]).unwrap();
        assert_eq!(s, Saturation::Hill { slope: 2.0, kappa: 5.0, beta: 1.0 });
        assert_eq!(s.value(5.0), 0.5);
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = Saturation::logistic(-1.0, 1.0).unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range");
        assert!(e.to_string().contains("saturation.lam"));
        let e = Saturation::from_params("cubic", &[1.0]).unwrap_err();
        assert!(e.to_string().contains("cubic"));
        let e = Adstock::geometric(1.5, 4, true).unwrap_err();
        assert!(e.to_string().contains("adstock.alpha"));
        let e = Adstock::geometric(0.5, 0, true).unwrap_err();
        assert!(e.to_string().contains("adstock.l_max"));
        let e = Adstock::geometric(0.5, 3, true).unwrap().apply(&[1.0, f64::NAN], &[]).unwrap_err();
        assert!(e.to_string().contains("x[1]"));
        let e = Saturation::hill(2.0, 1.0, 1.0).unwrap().values(&[-1.0]).unwrap_err();
        assert!(e.to_string().contains("x[0]"));
        // every weight zero: the peak between lags with alpha 0 (0^(0.25) = 0 at each lag),
        // Weibull densities that all underflow (equal, so the min-max scale gives zeros)
        for e in [Adstock::delayed(0.0, 1.5, 4, true).unwrap_err(), Adstock::weibull_pdf(1e-6, 50.0, 8, true).unwrap_err()] {
            assert_eq!(e.kind().code(), "invalid_parameter");
            assert!(e.to_string().contains("every lag weight is zero"), "{e}");
        }
        let e = Adstock::from_params("delayed", &[0.0, 1.5], 4, false).unwrap_err();
        assert!(e.to_string().contains("delayed(alpha=0, theta=1.5)"), "{e}");
        // a lag that is hit exactly keeps its weight: 0^0 = 1
        assert_eq!(Adstock::delayed(0.0, 1.0, 4, false).unwrap().weights(), [0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn carry_over_equals_the_longer_series() {
        let a = Adstock::delayed(0.6, 1.5, 5, true).unwrap();
        let pre = [3.0, 0.0, 7.0];
        let x = [1.0, 2.0, 0.0, 4.0];
        let long: Vec<f64> = pre.iter().chain(&x).copied().collect();
        let full = a.apply(&long, &[]).unwrap();
        let with_pre = a.apply(&x, &pre).unwrap();
        for (u, v) in full[3..].iter().zip(&with_pre) {
            assert!((u - v).abs() < 1e-15);
        }
    }

    #[test]
    fn weibull_weights() {
        let w = Adstock::weibull_cdf(2.0, 1.0, 3, false).unwrap().weights();
        assert_eq!(w.len(), 3);
        assert!((w[1] - (-0.5f64).exp()).abs() < 1e-15);
        let w = Adstock::weibull_pdf(3.0, 2.0, 6, false).unwrap().weights();
        assert!(w.contains(&1.0) && w.contains(&0.0));
    }
}
