//! Frequentist A/B tests from sufficient statistics per arm: the pooled two-proportion z-test,
//! Welch's t-test with Welch-Satterthwaite degrees of freedom, and the chi-square test of k arms.
//!
//! An arm is either a [`Proportion`] (`n` units, `successes` of them converted) or [`Moments`]
//! of a metric (`n`, `sum`, `sum_squares`), which a warehouse query returns directly
//! (`COUNT(*)`, `SUM(x)`, `SUM(x*x)`); [`Moments::from_values`] and
//! [`Proportion::from_outcomes`] build them from raw arrays. Either turns into a validated
//! [`Summary`] (`n`, mean, variance) that every test of the module takes.
//!
//! Effects are of B (treatment) against A (control): absolute `mean_b - mean_a` and relative
//! `mean_b / mean_a - 1` with the delta-method variance
//! `var_b / (mean_a^2 n_b) + var_a mean_b^2 / (mean_a^4 n_a)` (GrowthBook's gbstats).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `alpha` | 0.05 | significance level; intervals have coverage `1 - alpha` (always two-sided) | (0, 1) |
//! | `alternative` | `two_sided` | the alternative of the p-values: `two_sided`, `larger` (B > A), `smaller` (B < A) | |
//!
//! Conventions follow the references the shared vectors come from: [`ztest`] is statsmodels'
//! `proportions_ztest` (pooled variance) with the Wald interval of `confint_proportions_2indep`
//! (unpooled); [`welch`] is scipy's `ttest_ind(equal_var=False)` for the absolute effect and
//! gbstats' `TwoSidedTTest` for the relative one (t with the Welch degrees of freedom);
//! [`chi_square`] is scipy's `chi2_contingency(correction=False)` on the k x 2 table.
//!
//! ```
//! use channelwise::experiment::ab::{welch, ztest, Moments, Proportion, TestOptions};
//! let opts = TestOptions::default();
//! let z = ztest(Proportion::new(1000.0, 100.0), Proportion::new(1000.0, 130.0), &opts)?;
//! assert!((z.z - 2.1027).abs() < 1e-4 && z.p_value < 0.05); // statsmodels: 2.10274
//! let a = Moments::from_values(&[1.0, 2.0, 3.0, 4.0])?.summary("a")?;
//! let b = Moments::from_values(&[2.0, 4.0, 6.0, 8.0, 10.0])?.summary("b")?;
//! let t = welch(&a, &b, &opts)?;
//! assert!(t.df > 5.0 && t.df < 6.0);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use crate::error::{check_range, Error, Result};
use crate::stats::{normal_sf, student_t_isf, student_t_sf};

/// An arm of a conversion metric: `n` units, `successes` of them converted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// Units in the arm (users, sessions), at least 1.
    pub n: f64,
    /// Units that converted, in `[0, n]`.
    pub successes: f64,
}

impl Proportion {
    /// An arm of `n` units with `successes` conversions (checked when used).
    pub fn new(n: f64, successes: f64) -> Self {
        Proportion { n, successes }
    }

    /// Counts 0/1 outcomes.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `outcomes[i]` for a value other than 0 or 1.
    ///
    /// ```
    /// use channelwise::experiment::ab::Proportion;
    /// assert_eq!(Proportion::from_outcomes(&[1.0, 0.0, 1.0])?, Proportion::new(3.0, 2.0));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn from_outcomes(outcomes: &[f64]) -> Result<Self> {
        let mut successes = 0.0;
        for (i, &y) in outcomes.iter().enumerate() {
            if y != 0.0 && y != 1.0 {
                return Err(Error::param(format!("outcomes[{i}]"), y, "an outcome is 0 or 1"));
            }
            successes += y;
        }
        Ok(Proportion { n: outcomes.len() as f64, successes })
    }

    /// Checks the counts and returns `n`, the rate `p` and the Bernoulli variance `p (1 - p)`
    /// (gbstats' `ProportionStatistic`, no `n / (n - 1)` correction).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] or [`Error::NonFinite`] naming `{arm}.n` (below 1) or
    /// `{arm}.successes` (outside `[0, n]`).
    pub fn summary(&self, arm: &str) -> Result<Summary> {
        let n = check_range(format!("{arm}.n"), self.n, 1.0, f64::INFINITY)?;
        let s = check_range(format!("{arm}.successes"), self.successes, 0.0, n)?;
        let p = s / n;
        Ok(Summary::new(n, p, p * (1.0 - p)))
    }
}

/// An arm of a continuous metric as sufficient statistics: `n`, `sum` and `sum_squares`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Units in the arm, at least 2 for a variance.
    pub n: f64,
    /// Sum of the metric over the units.
    pub sum: f64,
    /// Sum of the squared metric, at least `sum^2 / n` (up to rounding).
    pub sum_squares: f64,
}

impl Moments {
    /// The sufficient statistics of `n`, `sum` and `sum_squares` (checked when used).
    pub fn new(n: f64, sum: f64, sum_squares: f64) -> Self {
        Moments { n, sum, sum_squares }
    }

    /// Sums raw values. For a test on raw values, [`Summary::from_values`] is exact where
    /// these sums are not: `sum_squares - sum^2 / n` cancels when the mean is far from 0
    /// compared with the spread (1e8 + noise of 3 keeps about one digit).
    ///
    /// # Errors
    /// [`Error::NonFinite`] naming `values[i]`.
    pub fn from_values(values: &[f64]) -> Result<Self> {
        crate::stats::check_finite("values", values)?;
        let (sum, sum_squares) = values.iter().fold((0.0, 0.0), |(s, q), &x| (s + x, q + x * x));
        Ok(Moments { n: values.len() as f64, sum, sum_squares })
    }

    /// Checks the sums and returns `n`, the mean and the sample variance
    /// `(sum_squares - sum^2 / n) / (n - 1)`.
    ///
    /// A variance below zero by no more than rounding (`1e-9` of `sum_squares`, as when the sums
    /// were rounded by a warehouse) is taken as 0; a larger negative one is an error.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] or [`Error::NonFinite`] naming `{arm}.n` (below 2), `{arm}.sum`,
    /// or `{arm}.sum_squares` (below `sum^2 / n`, the bound in the message).
    ///
    /// ```
    /// use channelwise::experiment::ab::Moments;
    /// let s = Moments::new(3.0, 6.0, 14.0).summary("a")?;
    /// assert_eq!((s.mean, s.variance), (2.0, 1.0));
    /// let e = Moments::new(3.0, 6.0, 11.0).summary("b").unwrap_err();
    /// assert_eq!(e.to_string(), "b.sum_squares must be in [12, inf], got 11");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn summary(&self, arm: &str) -> Result<Summary> {
        let n = check_range(format!("{arm}.n"), self.n, 2.0, f64::INFINITY)?;
        let sum = check_range(format!("{arm}.sum"), self.sum, f64::MIN, f64::MAX)?;
        let ss = check_range(format!("{arm}.sum_squares"), self.sum_squares, 0.0, f64::INFINITY)?;
        let floor = sum * sum / n;
        if floor.is_infinite() {
            // sum^2 / n past f64: the variance check (and the variance) would be lost in inf
            let most = (f64::MAX * n).sqrt();
            return Err(Error::OutOfRange { field: format!("{arm}.sum"), value: sum, min: -most, max: most });
        }
        let mut centred = ss - floor;
        if centred < 0.0 {
            if centred < -1e-9 * ss.max(floor) {
                return Err(Error::OutOfRange { field: format!("{arm}.sum_squares"), value: ss, min: floor, max: f64::INFINITY });
            }
            centred = 0.0;
        }
        Ok(Summary::new(n, sum / n, centred / (n - 1.0)))
    }
}

/// A validated arm: unit count, mean and per-unit variance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Units.
    pub n: f64,
    /// Mean of the metric per unit.
    pub mean: f64,
    /// Variance of the metric per unit (the variance of the mean is `variance / n`).
    pub variance: f64,
    /// The mean before a regression adjustment ([`super::cuped`]), which relative effects divide
    /// by and the delta method uses (gbstats' `unadjusted_mean`); `None` when `mean` is
    /// unadjusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unadjusted_mean: Option<f64>,
}

impl Summary {
    /// The summary of raw values, `arm` naming them in errors: the mean, and the sample variance
    /// by the corrected two-pass formula (Chan, Golub and LeVeque 1983), exact to rounding
    /// whatever the values' offset from 0, where the sums of [`Moments`] cancel.
    ///
    /// # Errors
    /// [`Error::NonFinite`] naming `{arm}[i]`; [`Error::OutOfRange`] naming `{arm}.n` for fewer
    /// than 2 values.
    ///
    /// ```
    /// use channelwise::experiment::ab::Summary;
    /// let s = Summary::from_values(&[1e8 + 1.0, 1e8 + 2.0, 1e8 + 3.0], "a")?;
    /// assert_eq!((s.mean, s.variance), (1e8 + 2.0, 1.0));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn from_values(values: &[f64], arm: &str) -> Result<Summary> {
        crate::stats::check_finite(arm, values)?;
        let n = check_range(format!("{arm}.n"), values.len() as f64, 2.0, f64::INFINITY)?;
        let mut mean = values.iter().sum::<f64>() / n;
        if !mean.is_finite() {
            mean = values.iter().map(|x| x / n).sum(); // the sum past f64::MAX (values near it)
        }
        let (d, d2) = values.iter().fold((0.0, 0.0), |(s, q), &x| (s + (x - mean), q + (x - mean) * (x - mean)));
        let mean = mean + d / n;
        Ok(Summary::new(n, mean, ((d2 - d * d / n) / (n - 1.0)).max(0.0)))
    }

    /// An unadjusted summary of `n` units with `mean` and per-unit `variance`.
    pub fn new(n: f64, mean: f64, variance: f64) -> Self {
        Summary { n, mean, variance, unadjusted_mean: None }
    }

    /// The mean before any regression adjustment.
    pub fn raw_mean(&self) -> f64 {
        self.unadjusted_mean.unwrap_or(self.mean)
    }
}

/// The alternative hypothesis of a p-value, for the effect of B against A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alternative {
    /// B differs from A.
    #[default]
    TwoSided,
    /// B is larger than A.
    Larger,
    /// B is smaller than A.
    Smaller,
}

impl Alternative {
    /// The p-value of a statistic `x` whose null distribution has survival function `sf`
    /// (symmetric about 0).
    pub(crate) fn p_value(self, x: f64, sf: impl Fn(f64) -> f64) -> f64 {
        match self {
            Alternative::TwoSided => (2.0 * sf(x.abs())).min(1.0),
            Alternative::Larger => sf(x),
            Alternative::Smaller => sf(-x),
        }
    }
}

/// Options of the frequentist tests; see the table in the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TestOptions {
    /// Significance level; intervals cover `1 - alpha`.
    pub alpha: f64,
    /// Alternative of the p-values.
    pub alternative: Alternative,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions { alpha: 0.05, alternative: Alternative::TwoSided }
    }
}

impl TestOptions {
    /// Sets `alpha`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets the alternative.
    pub fn alternative(mut self, alternative: Alternative) -> Self {
        self.alternative = alternative;
        self
    }
}

/// Checks that a level (`alpha`, `power`) lies strictly inside (0, 1).
pub(crate) fn check_open_unit(field: &str, value: f64) -> Result<f64> {
    check_range(field, value, 0.0, 1.0)?;
    if value == 0.0 || value == 1.0 {
        return Err(Error::OutOfRange { field: field.into(), value, min: f64::MIN_POSITIVE, max: 1.0 - f64::EPSILON / 2.0 });
    }
    Ok(value)
}

/// Upper quantile of the standard normal: the `z` with `P(Z > z) = tail`.
pub(crate) fn normal_isf(tail: f64) -> f64 {
    -Normal::standard().inverse_cdf(tail)
}

/// An effect of B against A with its standard error, interval and p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// Point estimate.
    pub estimate: f64,
    /// Standard error of the estimate.
    pub std_error: f64,
    /// Lower end of the two-sided `1 - alpha` interval.
    pub ci_lower: f64,
    /// Upper end of the interval.
    pub ci_upper: f64,
    /// P-value of `estimate / std_error` under the test's alternative.
    pub p_value: f64,
}

impl Effect {
    /// An effect from estimate and standard error, with the quantile `q` of the interval and the
    /// survival function `sf` of the reference distribution.
    fn new(estimate: f64, std_error: f64, q: f64, alternative: Alternative, sf: impl Fn(f64) -> f64) -> Effect {
        let p_value = alternative.p_value(estimate / std_error, sf);
        Effect { estimate, std_error, ci_lower: estimate - q * std_error, ci_upper: estimate + q * std_error, p_value }
    }
}

/// The relative effect `(mean_b - mean_a) / raw_mean_a` and its delta-method standard error
/// `sqrt(var_b / (u_a^2 n_b) + var_a u_b^2 / (u_a^4 n_a))` with the unadjusted means `u`
/// (gbstats' `frequentist_diff` and `frequentist_variance`), or `None` when a control mean is 0.
pub(crate) fn relative_effect(a: &Summary, b: &Summary) -> Option<(f64, f64)> {
    let (ua, ub) = (a.raw_mean(), b.raw_mean());
    if a.mean == 0.0 || ua == 0.0 {
        return None;
    }
    // sqrt(var_b / n_b + var_a / n_a (u_b / u_a)^2) / |u_a|: the same number, without the
    // fourth power of u_a, which overflows (inf / inf = NaN) for means past 1e77.
    let ratio = ub / ua;
    let va = a.variance / a.n;
    let from_a = if va == 0.0 { 0.0 } else { va * (ratio * ratio) };
    let se = (b.variance / b.n + from_a).sqrt() / ua.abs();
    Some(((b.mean - a.mean) / ua, se))
}

/// `(estimate, std_error)` when both are finite numbers; otherwise the effect is past double
/// precision (means of 1e308, a control mean of 1e-300) and `invalid_parameter` names `field`
/// and its `value`. (Found by the JS mutation tests: a NaN statistic reached statrs' t cdf,
/// which panics.)
fn finite_effect(field: &str, value: f64, what: &str, (estimate, se): (f64, f64)) -> Result<(f64, f64)> {
    if estimate.is_finite() && se.is_finite() {
        Ok((estimate, se))
    } else {
        Err(Error::param(field, value, format!("the {what} is past double precision (estimate {estimate}, standard error {se})")))
    }
}

/// [`finite_effect`] of the relative effect, naming the control mean.
fn finite_relative(a: &Summary, b: &Summary) -> Result<Option<(f64, f64)>> {
    relative_effect(a, b).map(|e| finite_effect("a.mean", a.mean, "relative effect", e)).transpose()
}

/// The absolute effect `mean_b - mean_a` and its standard error `sqrt(var_a/n_a + var_b/n_b)`.
pub(crate) fn absolute_effect(a: &Summary, b: &Summary) -> (f64, f64) {
    (b.mean - a.mean, (a.variance / a.n + b.variance / b.n).sqrt())
}

/// The effect of B against A, relative or absolute, with its standard error, after checking
/// both summaries: what the effect model and the sequential test start from.
pub(crate) fn checked_effect(a: &Summary, b: &Summary, relative: bool) -> Result<(Summary, Summary, f64, f64)> {
    let (a, b) = (check_summary("a", a)?, check_summary("b", b)?);
    let (estimate, se) = if relative {
        finite_relative(&a, &b)?.ok_or_else(|| Error::param("a.mean", a.mean, "a relative effect divides by the control mean"))?
    } else {
        finite_effect("b.mean", b.mean, "difference of the means", absolute_effect(&a, &b))?
    };
    if se == 0.0 {
        return Err(Error::param("variance", "0 in both arms", "the effect has no spread"));
    }
    Ok((a, b, estimate, se))
}

/// The result of [`ztest`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZTest {
    /// Pooled z statistic `(p_b - p_a) / sqrt(p (1 - p) (1/n_a + 1/n_b))`.
    pub z: f64,
    /// P-value of `z` under the alternative.
    pub p_value: f64,
    /// Conversion rate of A.
    pub rate_a: f64,
    /// Conversion rate of B.
    pub rate_b: f64,
    /// `p_b - p_a` with the unpooled (Wald) standard error, interval and p-value.
    pub absolute: Effect,
    /// `p_b / p_a - 1` by the delta method with normal quantiles; `None` when `p_a = 0`.
    pub relative: Option<Effect>,
}

/// The pooled two-proportion z-test of B against A.
///
/// # Errors
/// Bad counts (see [`Proportion::summary`]); `alpha` outside (0, 1); [`Error::InvalidParameter`]
/// naming `successes` when both arms convert all or none of their units (no variance).
///
/// ```
/// use channelwise::experiment::ab::{ztest, Proportion, TestOptions};
/// let r = ztest(Proportion::new(5000.0, 500.0), Proportion::new(5000.0, 560.0), &TestOptions::default())?;
/// assert!((r.absolute.estimate - 0.012).abs() < 1e-12);
/// assert!(r.relative.unwrap().estimate > 0.119);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn ztest(a: Proportion, b: Proportion, options: &TestOptions) -> Result<ZTest> {
    let alpha = check_open_unit("alpha", options.alpha)?;
    let (sa, sb) = (a.summary("a")?, b.summary("b")?);
    let pooled = (a.successes + b.successes) / (sa.n + sb.n);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / sa.n + 1.0 / sb.n)).sqrt();
    if se0 == 0.0 {
        let value = format!("{} of {} and {} of {}", a.successes, a.n, b.successes, b.n);
        return Err(Error::param("successes", value, "both arms convert all or none of their units: the z statistic is undefined"));
    }
    let diff = sb.mean - sa.mean;
    let z = diff / se0;
    let q = normal_isf(alpha / 2.0);
    let se = (sa.variance / sa.n + sb.variance / sb.n).sqrt();
    let absolute = Effect::new(diff, se, q, options.alternative, normal_sf);
    let relative = finite_relative(&sa, &sb)?.map(|(est, se)| Effect::new(est, se, q, options.alternative, normal_sf));
    Ok(ZTest { z, p_value: options.alternative.p_value(z, normal_sf), rate_a: sa.mean, rate_b: sb.mean, absolute, relative })
}

/// The result of [`welch`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WelchTest {
    /// `(mean_b - mean_a) / sqrt(var_a / n_a + var_b / n_b)`.
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// P-value of `t` under the alternative.
    pub p_value: f64,
    /// `mean_b - mean_a`, interval from Student's t with `df`.
    pub absolute: Effect,
    /// `mean_b / mean_a - 1` by the delta method, t with the same `df` (gbstats); `None` when
    /// `mean_a = 0`.
    pub relative: Option<Effect>,
}

/// Welch's unequal-variance t-test of B against A.
///
/// # Errors
/// `alpha` outside (0, 1); [`Error::NotEnoughData`] for an arm of fewer than 2 units;
/// [`Error::InvalidParameter`] naming `variance` when both arms have zero variance.
pub fn welch(a: &Summary, b: &Summary, options: &TestOptions) -> Result<WelchTest> {
    let alpha = check_open_unit("alpha", options.alpha)?;
    let (sa, sb) = (check_summary("a", a)?, check_summary("b", b)?);
    let (va, vb) = (sa.variance / sa.n, sb.variance / sb.n);
    if va + vb == 0.0 {
        return Err(Error::param("variance", "0 in both arms", "the t statistic is undefined"));
    }
    // Welch-Satterthwaite, on the variances scaled by the larger one: the same number, and no
    // overflow to inf / inf for variances past 1e154.
    let m = va.max(vb);
    let (ua, ub) = (va / m, vb / m);
    let df = (ua + ub).powi(2) / (ua * ua / (sa.n - 1.0) + ub * ub / (sb.n - 1.0));
    let q = student_t_isf(df, alpha / 2.0)?;
    // the t tail holds its digits at any df (statrs' alone gave P = 1 at 2e15)
    student_t_sf(df, 0.0)?;
    let sf = |x: f64| student_t_sf(df, x).unwrap_or(f64::NAN);
    let (diff, se) = finite_effect("b.mean", sb.mean, "difference of the means", (sb.mean - sa.mean, (va + vb).sqrt()))?;
    let absolute = Effect::new(diff, se, q, options.alternative, sf);
    let relative = finite_relative(&sa, &sb)?.map(|(est, se)| Effect::new(est, se, q, options.alternative, sf));
    Ok(WelchTest { t: diff / se, df, p_value: absolute.p_value, absolute, relative })
}

/// Checks a hand-built [`Summary`] (at least 2 units, finite mean, variance >= 0).
pub(crate) fn check_summary(arm: &str, s: &Summary) -> Result<Summary> {
    check_range(format!("{arm}.n"), s.n, 2.0, f64::INFINITY)?;
    check_range(format!("{arm}.mean"), s.mean, f64::MIN, f64::MAX)?;
    check_range(format!("{arm}.variance"), s.variance, 0.0, f64::MAX)?;
    if let Some(u) = s.unadjusted_mean {
        check_range(format!("{arm}.unadjusted_mean"), u, f64::MIN, f64::MAX)?;
    }
    Ok(*s)
}

/// The result of [`chi_square`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChiSquare {
    /// Pearson's statistic over the k x 2 table of successes and failures.
    pub statistic: f64,
    /// Degrees of freedom, `k - 1`.
    pub df: f64,
    /// Upper-tail p-value.
    pub p_value: f64,
}

/// Pearson's chi-square test that k arms share one conversion rate (no continuity correction;
/// with two arms the statistic is the square of [`ztest`]'s `z`).
///
/// # Errors
/// [`Error::NotEnoughData`] for fewer than 2 arms; bad counts naming `arms[i].n` or
/// `arms[i].successes`; [`Error::InvalidParameter`] naming `successes` when no arm or every arm
/// converts.
///
/// ```
/// use channelwise::experiment::ab::{chi_square, Proportion};
/// let arms = [Proportion::new(100.0, 10.0), Proportion::new(100.0, 20.0), Proportion::new(100.0, 15.0)];
/// let r = chi_square(&arms)?;
/// assert_eq!(r.df, 2.0);
/// assert!((r.statistic - 3.9216).abs() < 1e-4);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn chi_square(arms: &[Proportion]) -> Result<ChiSquare> {
    crate::stats::check_len("a chi-square test of arms", 2, arms.len())?;
    let mut total = (0.0, 0.0);
    for (i, arm) in arms.iter().enumerate() {
        let s = arm.summary(&format!("arms[{i}]"))?;
        total = (total.0 + s.n, total.1 + arm.successes);
    }
    let p = total.1 / total.0;
    if p == 0.0 || p == 1.0 {
        return Err(Error::param("successes", format!("{} of {}", total.1, total.0), "no arm or every arm converts: the test is undefined"));
    }
    let statistic: f64 = arms
        .iter()
        .map(|arm| {
            let (e1, e0) = (arm.n * p, arm.n * (1.0 - p));
            let (o1, o0) = (arm.successes, arm.n - arm.successes);
            (o1 - e1).powi(2) / e1 + (o0 - e0).powi(2) / e0
        })
        .sum();
    let df = (arms.len() - 1) as f64;
    let d = ChiSquared::new(df).map_err(|e| Error::Internal(format!("chi-square with {df} degrees of freedom: {e}")))?;
    Ok(ChiSquare { statistic, df, p_value: d.sf(statistic) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Welch-Satterthwaite degrees of freedom do not depend on the metric's scale, and
    /// variances past 1e154 (whose squares overflow) give the same test as small ones (found by
    /// the JS mutation tests: it was an internal error, "t with NaN degrees of freedom").
    #[test]
    fn welch_is_scale_free_up_to_the_largest_variances() {
        let o = TestOptions::default();
        let small = welch(&Summary::new(3000.0, 2.0, 16.0), &Summary::new(2900.0, 2.3, 15.0), &o).unwrap();
        for c in [1e150f64, 1e200, 1e290] {
            let big = welch(&Summary::new(3000.0, 2.0 * c.sqrt(), 16.0 * c), &Summary::new(2900.0, 2.3 * c.sqrt(), 15.0 * c), &o).unwrap();
            assert!((big.df - small.df).abs() <= 1e-12 * small.df, "{c}: {} vs {}", big.df, small.df);
            assert!((big.t - small.t).abs() <= 1e-9 * small.t.abs(), "{c}: {} vs {}", big.t, small.t);
            assert!((big.p_value - small.p_value).abs() <= 1e-9, "{c}");
        }
        let huge = welch(&Summary::new(3000.0, 2.0, 1e300), &Summary::new(2900.0, 2.3, 15.0), &o).unwrap();
        assert!((huge.df - 2999.0).abs() < 1e-6 && huge.p_value.is_finite(), "{huge:?}");
        // 1e300 units with a mean of 6e-300: var_a / n_a underflows to 0 while u_b / u_a
        // overflows (0 x inf was NaN, and statrs' t cdf panicked on it)
        let r = welch(&Summary::new(1e300, 6e-300, 3.6e-299), &Summary::new(3.0, 2.0, 4.0), &o).unwrap();
        assert!(r.p_value.is_finite() && r.relative.unwrap().p_value.is_finite(), "{r:?}");
        // an effect past double precision is refused, naming the mean
        let e = welch(&Summary::new(3.0, -1.7e308, 1.0), &Summary::new(3.0, 1.7e308, 1.0), &o).unwrap_err();
        assert!(e.to_string().starts_with("invalid b.mean:") && e.to_string().contains("difference of the means is past double precision"), "{e}");
        let e = welch(&Summary::new(3.0, 1e-300, 1.0), &Summary::new(3.0, 1e10, 1.0), &o).unwrap_err();
        assert!(e.to_string().starts_with("invalid a.mean:") && e.to_string().contains("relative effect is past double precision"), "{e}");
    }

    /// Raw values far from 0 (costs in micros, timestamps): the test of `x + 1e8` is the test of
    /// `x`. Through `Moments`' sums it was not (t 2.38 against 7.78 at 1e8, found by an audit).
    #[test]
    fn raw_values_far_from_zero_give_the_test_of_the_shifted_values() {
        let o = TestOptions::default();
        let a: Vec<f64> = (0..1000).map(|i| f64::from(i % 10)).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 1.0).collect();
        let base = welch(&Summary::from_values(&a, "a").unwrap(), &Summary::from_values(&b, "b").unwrap(), &o).unwrap();
        // by hand: both variances 8.25 * 1000 / 999, difference 1: t = 1 / sqrt(2 * 8.2583 / 1000)
        assert!((base.t - 1.0 / (2.0 * 8.25 * 1000.0 / 999.0 / 1000.0f64).sqrt()).abs() < 1e-12, "{base:?}");
        for shift in [1e8, 1e10, 1e12] {
            let s = |xs: &[f64], arm| Summary::from_values(&xs.iter().map(|x| x + shift).collect::<Vec<_>>(), arm).unwrap();
            let t = welch(&s(&a, "a"), &s(&b, "b"), &o).unwrap().t;
            assert!((t - base.t).abs() <= 1e-6 * base.t, "{shift}: {t} vs {}", base.t);
        }
        assert_eq!(Summary::from_values(&[1.0, f64::NAN], "b").unwrap_err().to_string(), "b[1] must be finite, got NaN");
        assert!(Summary::from_values(&[1.0], "a").unwrap_err().to_string().starts_with("a.n must be in [2"));
        assert_eq!(Summary::from_values(&[1.5e308, 1.5e308], "a").unwrap().mean, 1.5e308);
        // sums whose sum^2 / n overflows: refused, not a variance of 0
        let e = Moments::new(10.0, 1e200, 1e300).summary("a").unwrap_err();
        assert!(e.to_string().starts_with("a.sum must be in"), "{e}");
    }

    #[test]
    fn bad_counts_name_field_and_value() {
        let e = Proportion::new(10.0, 11.0).summary("b").unwrap_err();
        assert_eq!(e.to_string(), "b.successes must be in [0, 10], got 11");
        let e = Proportion::new(0.0, 0.0).summary("a").unwrap_err();
        assert_eq!(e.to_string(), "a.n must be in [1, inf], got 0");
        let e = Moments::new(-3.0, 1.0, 1.0).summary("a").unwrap_err();
        assert_eq!(e.to_string(), "a.n must be in [2, inf], got -3");
        let e = ztest(Proportion::new(10.0, 1.0), Proportion::new(10.0, 2.0), &TestOptions::default().alpha(1.0)).unwrap_err();
        assert!(e.to_string().starts_with("alpha must be in"), "{e}");
    }

    #[test]
    fn rounding_level_negative_variance_is_zero() {
        // 3 x 0.1: sum_squares - sum^2/n is about -1e-17 in floating point
        let m = Moments::new(3.0, 0.3, 0.03 - 1e-15);
        assert_eq!(m.summary("a").unwrap().variance, 0.0);
        assert!(Moments::new(3.0, 0.3, 0.029).summary("a").is_err());
    }

    #[test]
    fn two_arm_chi_square_is_z_squared() {
        let (a, b) = (Proportion::new(1234.0, 150.0), Proportion::new(1100.0, 171.0));
        let z = ztest(a, b, &TestOptions::default()).unwrap();
        let c = chi_square(&[a, b]).unwrap();
        assert!((c.statistic - z.z * z.z).abs() < 1e-10 * c.statistic);
        assert!((c.p_value - z.p_value).abs() < 1e-10);
    }
}
