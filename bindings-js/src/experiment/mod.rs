//! `experiment.*`: A/B statistics (the core's `experiment::{ab, bayes, power, cuped,
//! sequential}`) and the seeded, serialisable bandit ([`bandit`]).
//!
//! An arm is its sufficient statistics, as a warehouse query gives them: `{ n, successes }` for
//! a conversion metric, `{ n, sum, sumSquares }` for a continuous one, `{ n, mean, variance }`
//! for a summary made elsewhere (`experiment.cuped`'s adjusted arms), or the raw values
//! (`number[] | Float64Array`; 0/1 outcomes where a proportion is needed). A bad count or sum
//! is the core's error naming the arm's field as JS writes it (`a.sumSquares`), a bad option
//! `options.<name>`.

pub mod bandit;

use channelwise::experiment::ab::{self, Alternative, Moments, Proportion, Summary, TestOptions};
use channelwise::experiment::bayes::{self, BetaPrior, EffectBayes};
use channelwise::experiment::cuped;
use channelwise::experiment::power::{self, NormalIndPower};
use channelwise::experiment::sequential::{GroupSequential, Sequential, Spending};
use channelwise::{Error, Result};

use crate::api::{arg, job, Job};
use crate::decl::{Choices, Declared, FromJs, Named};
use crate::host::{Host, Kind};
use crate::keys::{camel, option_field};
use crate::out::Nullable;
use crate::{js_options, js_result, read};

// ---- arms ------------------------------------------------------------------------------------

/// The keys an arm object may have.
const ARM_KEYS: &[&str] = &[
    "n",
    "successes",
    "sum",
    "sumSquares",
    "mean",
    "variance",
    "unadjustedMean",
];

/// An arm as given: counts, sums, a summary or raw values.
pub enum Arm {
    /// `{ n, successes }`.
    Proportion(Proportion),
    /// `{ n, sum, sumSquares }`.
    Moments(Moments),
    /// `{ n, mean, variance, unadjustedMean? }`.
    Summary(Summary),
    /// Raw values.
    Values(Vec<f64>),
}

impl FromJs for Arm {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if h.kind(v) == Kind::Object && (read::is_array(h, v, field)? || is_typed(h, v)) {
            return read::numbers(h, v, field).map(Arm::Values);
        }
        let obj = read::options(h, v, field, ARM_KEYS)?
            .ok_or_else(|| read::wrong(h, field, v, "an arm: { n, successes }, { n, sum, sumSquares }, { n, mean, variance } or its values"))?;
        let num = |key: &str| -> Result<Option<f64>> {
            read::get(h, &obj, key, &format!("{field}.{key}"))?
                .map(|x| read::number(h, &x, &format!("{field}.{key}")))
                .transpose()
        };
        let need = |key: &str| -> Result<f64> {
            num(key)?.ok_or_else(|| read::missing(&format!("{field}.{key}")))
        };
        let n = need("n")?;
        let given: Vec<&str> = ARM_KEYS[1..]
            .iter()
            .copied()
            .filter(|k| num(k).is_ok_and(|x| x.is_some()))
            .collect();
        match given.as_slice() {
            ["successes"] => Ok(Arm::Proportion(Proportion::new(n, need("successes")?))),
            ["sum", "sumSquares"] => Ok(Arm::Moments(Moments::new(n, need("sum")?, need("sumSquares")?))),
            ["mean", "variance"] | ["mean", "variance", "unadjustedMean"] => Ok(Arm::Summary(Summary {
                n,
                mean: need("mean")?,
                variance: need("variance")?,
                unadjusted_mean: num("unadjustedMean")?,
            })),
            _ => Err(Error::InvalidParameter {
                field: field.into(),
                value: format!("{{ n{} }}", given.iter().map(|k| format!(", {k}")).collect::<String>()),
                reason: "expected { n, successes }, { n, sum, sumSquares } or { n, mean, variance[, unadjustedMean] }".into(),
            }),
        }
    }
    fn ts() -> String {
        "Arm".into()
    }
}

/// Whether `v` is a typed array (a `Float64Array` of values).
fn is_typed<H: Host>(h: H, v: &H::V) -> bool {
    matches!(h.typed_numbers(v), Ok(crate::host::Typed::Numbers(_)))
}

impl Arm {
    /// The arm as a validated summary (`name`: `a` or `b`, for errors).
    fn summary(&self, name: &str) -> Result<Summary> {
        match self {
            Arm::Proportion(p) => p.summary(name),
            Arm::Moments(m) => m.summary(name),
            Arm::Summary(s) => Ok(*s),
            Arm::Values(xs) => Summary::from_values(xs, name),
        }
    }

    /// The arm as conversion counts (`name`: for errors).
    fn proportion(&self, name: &str) -> Result<Proportion> {
        match self {
            Arm::Proportion(p) => Ok(*p),
            Arm::Values(xs) => Proportion::from_outcomes(xs).map_err(|e| {
                crate::optimize::renamed(e, |f| Some(f.replacen("outcomes", name, 1)))
            }),
            _ => Err(Error::InvalidParameter {
                field: name.into(),
                value: "sums".into(),
                reason: "expected conversion counts { n, successes } or 0/1 outcomes".into(),
            }),
        }
    }
}

/// The two arms `a` and `b` (arguments 0 and 1).
fn arms<H: Host>(h: H, a: &[H::V]) -> Result<(Arm, Arm)> {
    Ok((
        Arm::from_js(h, &arg(h, a, 0)?, "a")?,
        Arm::from_js(h, &arg(h, a, 1)?, "b")?,
    ))
}

/// A core error named as JS writes it: an option `options.<camel>`, an arm's field in
/// camelCase (`a.sum_squares` -> `a.sumSquares`).
fn js_error(e: Error, keys: &[&str]) -> Error {
    option_field(e, keys, |f| Some(camel(f)))
}

impl Choices for Alternative {
    const TS: &'static str = "'two_sided' | 'larger' | 'smaller'";
}

// ---- results ---------------------------------------------------------------------------------

js_result! {
    /// An effect of B against A with its interval and p-value.
    pub struct Effect {
        /// The estimate (absolute: `meanB - meanA`; relative: `meanB / meanA - 1`).
        estimate: f64,
        /// Its standard error (the delta method's for a relative effect).
        stdError: f64,
        /// Lower end of the two-sided `1 - alpha` interval (whatever the `alternative`).
        ciLower: f64,
        /// Upper end.
        ciUpper: f64,
        /// The p-value under `alternative`.
        pValue: f64,
    }
}

impl From<ab::Effect> for Effect {
    fn from(e: ab::Effect) -> Self {
        Effect {
            estimate: e.estimate,
            stdError: e.std_error,
            ciLower: e.ci_lower,
            ciUpper: e.ci_upper,
            pValue: e.p_value,
        }
    }
}

js_result! {
    /// The pooled two-proportion z-test (statsmodels' `proportions_ztest`).
    pub struct ZTestResult {
        /// The z statistic (pooled standard error).
        z: f64,
        /// Its p-value.
        pValue: f64,
        /// A's conversion rate.
        rateA: f64,
        /// B's conversion rate.
        rateB: f64,
        /// `rateB - rateA` (unpooled standard error for the interval).
        absolute: Effect,
        /// `rateB / rateA - 1` by the delta method (gbstats); `null` when `rateA` is 0.
        relative: Nullable<Effect>,
    }
}

js_result! {
    /// Welch's unequal-variance t-test (scipy's `ttest_ind(equal_var=False)`).
    pub struct WelchResult {
        /// The t statistic.
        t: f64,
        /// Welch-Satterthwaite degrees of freedom.
        df: f64,
        /// Its p-value.
        pValue: f64,
        /// `meanB - meanA`.
        absolute: Effect,
        /// `meanB / meanA - 1` by the delta method; `null` when A's mean is 0.
        relative: Nullable<Effect>,
    }
}

js_result! {
    /// Pearson's chi-square test of k arms' conversion rates (scipy's `chi2_contingency`
    /// without continuity correction).
    pub struct ChiSquareResult {
        /// The statistic.
        statistic: f64,
        /// Degrees of freedom, `k - 1`.
        df: f64,
        /// Its p-value.
        pValue: f64,
    }
}

js_result! {
    /// The exact beta-binomial comparison (numerical integration, not simulation).
    pub struct BetaBinomialResult {
        /// A's posterior Beta parameters `[alpha, beta]`.
        posteriorA: Vec<f64>,
        /// B's posterior Beta parameters.
        posteriorB: Vec<f64>,
        /// P(rate B > rate A).
        chanceToBeatA: f64,
        /// Expected loss of choosing A: `E[max(rateB - rateA, 0)]`.
        lossChoosingA: f64,
        /// Expected loss of choosing B.
        lossChoosingB: f64,
    }
}

js_result! {
    /// gbstats' Bayesian effect: the posterior of B's effect against A.
    pub struct BayesResult {
        /// Posterior mean of the effect.
        mean: f64,
        /// Posterior standard deviation.
        stdDev: f64,
        /// Lower end of the `1 - alpha` credible interval.
        ciLower: f64,
        /// Upper end.
        ciUpper: f64,
        /// P(effect > 0) (`< 0` with `inverse`).
        chanceToWin: f64,
        /// Expected loss of keeping A.
        riskControl: f64,
        /// Expected loss of shipping B.
        riskTreatment: f64,
    }
}

js_result! {
    /// A solved power analysis (statsmodels' `NormalIndPower.solve_power`).
    pub struct PowerResult {
        /// Which quantity was solved for: `'effectSize'`, `'nobs1'` or `'power'`.
        solved: String,
        /// Cohen's effect size (`proportionEffectsize(p1, p2)` when rates were given).
        effectSize: f64,
        /// Units in arm A.
        nobs1: f64,
        /// Units in arm B, `nobs1 * ratio`.
        nobs2: f64,
        /// The power.
        power: f64,
    }
}

js_result! {
    /// An arm summarised: units, mean and per-unit variance.
    pub struct ArmSummary {
        /// Units.
        n: f64,
        /// Mean per unit (CUPED-adjusted for `experiment.cuped`).
        mean: f64,
        /// Variance per unit.
        variance: f64,
        /// The mean before adjustment, which relative effects divide by (absent when `mean`
        /// is unadjusted).
        unadjustedMean: crate::out::Opt<f64>,
    }
}

impl From<Summary> for ArmSummary {
    fn from(s: Summary) -> Self {
        ArmSummary {
            n: s.n,
            mean: s.mean,
            variance: s.variance,
            unadjustedMean: crate::out::Opt(s.unadjusted_mean),
        }
    }
}

js_result! {
    /// Both arms adjusted by CUPED with one pooled theta: pass `a` and `b` on to `welch`,
    /// `bayes` or `sequential`.
    pub struct CupedResult {
        /// The pooled regression coefficient of the metric on its pre-period covariate.
        theta: f64,
        /// The pooled correlation of metric and covariate (the variance shrinks by `1 - r^2`).
        correlation: f64,
        /// A, adjusted.
        a: ArmSummary,
        /// B, adjusted.
        b: ArmSummary,
    }
}

js_result! {
    /// An always-valid look (gbstats' mixture confidence sequence): valid at every peek.
    pub struct SequentialResult {
        /// The effect (relative by default).
        estimate: f64,
        /// Its standard error.
        stdError: f64,
        /// Lower end of the confidence sequence.
        ciLower: f64,
        /// Upper end.
        ciUpper: f64,
        /// The always-valid p-value.
        pValue: f64,
    }
}

js_result! {
    /// One look of a group-sequential design (Lan-DeMets alpha spending).
    pub struct GroupSequentialLook {
        /// Information fraction at the look, in (0, 1].
        information: f64,
        /// The z bound to cross.
        z: f64,
        /// The nominal alpha of the bound (one side).
        nominalAlpha: f64,
        /// Alpha spent up to and including the look (both sides when two-sided).
        spent: f64,
    }
}

// ---- frequentist -----------------------------------------------------------------------------

js_options! {
    /// Options of the frequentist tests.
    pub struct AbTestOptions {
        /// Significance level in (0, 1) (default 0.05).
        alpha: f64,
        /// `'two_sided'` (default), `'larger'` (B > A) or `'smaller'`.
        alternative: Named<Alternative>,
    }
}

impl AbTestOptions {
    fn core(&self) -> TestOptions {
        let d = TestOptions::default();
        d.alpha(self.alpha.unwrap_or(d.alpha))
            .alternative(self.alternative.as_ref().map_or(d.alternative, |a| a.0))
    }
}

/// `experiment.ztest(a, b, options?)`.
pub fn ztest<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = arms(h, a)?;
    let options = AbTestOptions::read(h, &arg(h, a, 2)?, "options")?.core();
    job(move || {
        let (pa, pb) = (x.proportion("a")?, y.proportion("b")?);
        let r = ab::ztest(pa, pb, &options).map_err(|e| js_error(e, AbTestOptions::KEYS))?;
        Ok(ZTestResult {
            z: r.z,
            pValue: r.p_value,
            rateA: r.rate_a,
            rateB: r.rate_b,
            absolute: r.absolute.into(),
            relative: Nullable(r.relative.map(Effect::from)),
        })
    })
}

/// `experiment.welch(a, b, options?)`.
pub fn welch<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = arms(h, a)?;
    let options = AbTestOptions::read(h, &arg(h, a, 2)?, "options")?.core();
    job(move || {
        let r = summaries(&x, &y)
            .and_then(|(sa, sb)| ab::welch(&sa, &sb, &options))
            .map_err(|e| js_error(e, AbTestOptions::KEYS))?;
        Ok(WelchResult {
            t: r.t,
            df: r.df,
            pValue: r.p_value,
            absolute: r.absolute.into(),
            relative: Nullable(r.relative.map(Effect::from)),
        })
    })
}

fn summaries(x: &Arm, y: &Arm) -> Result<(Summary, Summary)> {
    Ok((x.summary("a")?, y.summary("b")?))
}

/// `experiment.chisq(arms)`.
pub fn chi_square<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let list = arg(h, a, 0)?;
    let n = read::array_len(h, &list, "arms", "an array of arms { n, successes }")?;
    let arms = (0..n)
        .map(|i| {
            let name = format!("arms[{i}]");
            Arm::from_js(h, &read::element(h, &list, i, &name)?, &name)?.proportion(&name)
        })
        .collect::<Result<Vec<_>>>()?;
    job(move || {
        let r = ab::chi_square(&arms).map_err(|e| js_error(e, &[]))?;
        Ok(ChiSquareResult {
            statistic: r.statistic,
            df: r.df,
            pValue: r.p_value,
        })
    })
}

// ---- Bayesian --------------------------------------------------------------------------------

/// A Beta prior `{ alpha, beta }`.
pub struct BetaPriorJs(BetaPrior);

impl FromJs for BetaPriorJs {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let obj =
            read::options(h, v, field, &["alpha", "beta"])?.ok_or_else(|| read::missing(field))?;
        let d = BetaPrior::default();
        let get = |k: &str, default: f64| -> Result<f64> {
            let name = format!("{field}.{k}");
            read::get(h, &obj, k, &name)?.map_or(Ok(default), |x| read::number(h, &x, &name))
        };
        Ok(BetaPriorJs(BetaPrior {
            alpha: get("alpha", d.alpha)?,
            beta: get("beta", d.beta)?,
        }))
    }
    fn ts() -> String {
        "{ alpha?: number; beta?: number }".into()
    }
}

js_options! {
    /// Options of `experiment.betaBinomial`.
    pub struct BetaBinomialOptions {
        /// The Beta prior of both rates, whole numbers >= 1 (default `{ alpha: 1, beta: 1 }`).
        prior: BetaPriorJs,
    }
}

/// `experiment.betaBinomial(a, b, options?)`.
pub fn beta_binomial<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = arms(h, a)?;
    let prior = BetaBinomialOptions::read(h, &arg(h, a, 2)?, "options")?
        .prior
        .map_or_else(BetaPrior::default, |p| p.0);
    job(move || {
        let r = bayes::beta_binomial(x.proportion("a")?, y.proportion("b")?, prior)
            .map_err(|e| js_error(e, BetaBinomialOptions::KEYS))?;
        Ok(BetaBinomialResult {
            posteriorA: r.posterior_a.to_vec(),
            posteriorB: r.posterior_b.to_vec(),
            chanceToBeatA: r.chance_to_beat_a,
            lossChoosingA: r.loss_choosing_a,
            lossChoosingB: r.loss_choosing_b,
        })
    })
}

js_options! {
    /// A Gaussian prior on the effect.
    pub struct GaussianPrior {
        /// Prior mean of the effect.
        mean: f64 = required,
        /// Prior variance, above 0.
        variance: f64 = required,
    }
}

js_options! {
    /// Options of `experiment.bayes` (gbstats' `EffectBayesianABTest`).
    pub struct BayesOptions {
        /// 1 - the credible interval's mass (default 0.05).
        alpha: f64,
        /// A relative effect `meanB / meanA - 1` (default `true`) or absolute.
        relative: bool,
        /// Lower is better: chance to win is P(effect < 0) (default `false`).
        inverse: bool,
        /// A Gaussian prior on the effect; flat when absent or `null` (default).
        prior: GaussianPrior,
        /// Whether the prior is on the relative scale (default `true`).
        priorRelative: bool,
    }
}

/// `experiment.bayes(a, b, options?)`.
pub fn bayes<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = arms(h, a)?;
    let o = BayesOptions::read(h, &arg(h, a, 2)?, "options")?;
    let d = EffectBayes::default();
    let model = EffectBayes {
        alpha: o.alpha.unwrap_or(d.alpha),
        relative: o.relative.unwrap_or(d.relative),
        inverse: o.inverse.unwrap_or(d.inverse),
        prior: o.prior.map(|p| bayes::GaussianPrior {
            mean: p.mean.unwrap_or(0.0),
            variance: p.variance.unwrap_or(0.0),
        }),
        prior_relative: o.priorRelative.unwrap_or(d.prior_relative),
    };
    job(move || {
        let e = summaries(&x, &y)
            .and_then(|(sa, sb)| model.fit(&sa, &sb))
            .map_err(|e| js_error(e, BayesOptions::KEYS))?;
        Ok(BayesResult {
            mean: e.mean,
            stdDev: e.std_dev,
            ciLower: e.ci_lower,
            ciUpper: e.ci_upper,
            chanceToWin: e.chance_to_win,
            riskControl: e.risk_control,
            riskTreatment: e.risk_treatment,
        })
    })
}

// ---- power -----------------------------------------------------------------------------------

js_options! {
    /// A power analysis: give all but one of `effectSize` (or the rates `p1` and `p2`),
    /// `nobs1` and `power`; the missing one is solved for.
    pub struct PowerOptions {
        /// Cohen's effect size (`d` for means; `h` for proportions).
        effectSize: f64,
        /// A's conversion rate (with `p2`, instead of `effectSize`: Cohen's h).
        p1: f64,
        /// B's conversion rate.
        p2: f64,
        /// Units in arm A.
        nobs1: f64,
        /// The power, in (0, 1).
        power: f64,
        /// Significance level in (0, 1) (default 0.05).
        alpha: f64,
        /// `nobs2 / nobs1` (default 1).
        ratio: f64,
        /// `'two_sided'` (default), `'larger'` or `'smaller'`.
        alternative: Named<Alternative>,
    }
}

/// `experiment.power(options)`.
pub fn power<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = PowerOptions::read(h, &arg(h, a, 0)?, "options")?;
    let d = NormalIndPower::default();
    let p = NormalIndPower::default()
        .alpha(o.alpha.unwrap_or(d.alpha))
        .ratio(o.ratio.unwrap_or(d.ratio))
        .alternative(o.alternative.as_ref().map_or(d.alternative, |x| x.0));
    let rates = match (o.p1, o.p2, o.effectSize) {
        (None, None, _) => None,
        (Some(p1), Some(p2), None) => Some((p1, p2)),
        (_, _, Some(_)) => {
            return Err(Error::InvalidParameter {
                field: "options.effectSize".into(),
                value: "given with p1, p2".into(),
                reason: "give the effect size or the two rates, not both".into(),
            })
        }
        _ => {
            return Err(read::missing(if o.p1.is_none() {
                "options.p1"
            } else {
                "options.p2"
            }))
        }
    };
    let (nobs1, target) = (o.nobs1, o.power);
    let given_effect = o.effectSize;
    job(move || {
        let fail = |e| js_error(e, PowerOptions::KEYS);
        let effect = match rates {
            Some((p1, p2)) => Some(power::proportion_effectsize(p1, p2).map_err(fail)?),
            None => given_effect,
        };
        let (solved, effect, nobs1, pw) = match (effect, nobs1, target) {
            (Some(es), Some(n), None) => ("power", es, n, p.power(es, n).map_err(fail)?),
            (Some(es), None, Some(pw)) => ("nobs1", es, p.nobs1(es, pw).map_err(fail)?, pw),
            (None, Some(n), Some(pw)) => ("effectSize", p.effect_size(n, pw).map_err(fail)?, n, pw),
            _ => {
                return Err(Error::InvalidParameter {
                    field: "options".into(),
                    value: format!("{} of effectSize, nobs1, power", [effect.is_some(), nobs1.is_some(), target.is_some()].iter().filter(|&&g| g).count()),
                    reason: "give exactly two of effectSize (or p1 and p2), nobs1 and power: the third is solved for".into(),
                })
            }
        };
        Ok(PowerResult {
            solved: solved.into(),
            effectSize: effect,
            nobs1,
            nobs2: nobs1 * p.ratio,
            power: pw,
        })
    })
}

/// `experiment.proportionEffectsize(p1, p2)`: Cohen's h.
pub fn proportion_effect_size<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let p1 = read::number(h, &arg(h, a, 0)?, "p1")?;
    let p2 = read::number(h, &arg(h, a, 1)?, "p2")?;
    job(move || power::proportion_effectsize(p1, p2))
}

// ---- CUPED -----------------------------------------------------------------------------------

js_options! {
    /// An arm's sums over units for CUPED: the metric `y`, its pre-period covariate `x`.
    pub struct CupedArm {
        /// Units, at least 2.
        n: f64 = required,
        /// Sum of `y`.
        sum: f64 = required,
        /// Sum of `y^2`.
        sumSquares: f64 = required,
        /// Sum of `x`.
        preSum: f64 = required,
        /// Sum of `x^2`.
        preSumSquares: f64 = required,
        /// Sum of `x y`.
        sumProducts: f64 = required,
    }
}

fn cuped_arm<H: Host>(h: H, v: &H::V, name: &str) -> Result<cuped::CupedArm> {
    let o = CupedArm::read(h, v, name)?;
    let f = |x: Option<f64>| x.unwrap_or(f64::NAN); // required: read refused them missing
    Ok(cuped::CupedArm {
        n: f(o.n),
        sum: f(o.sum),
        sum_squares: f(o.sumSquares),
        pre_sum: f(o.preSum),
        pre_sum_squares: f(o.preSumSquares),
        sum_products: f(o.sumProducts),
    })
}

/// `experiment.cuped(a, b)`.
pub fn cuped<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let x = cuped_arm(h, &arg(h, a, 0)?, "a")?;
    let y = cuped_arm(h, &arg(h, a, 1)?, "b")?;
    job(move || {
        let c = cuped::adjust(&x, &y).map_err(|e| js_error(e, &[]))?;
        Ok(CupedResult {
            theta: c.theta,
            correlation: c.correlation,
            a: c.a.into(),
            b: c.b.into(),
        })
    })
}

/// `experiment.cupedEffectSize(effectSize, rho)`: the effect size after CUPED removes the
/// share `rho^2` of the variance, for `power`.
pub fn cuped_effect_size<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let es = read::number(h, &arg(h, a, 0)?, "effectSize")?;
    let rho = read::number(h, &arg(h, a, 1)?, "rho")?;
    job(move || cuped::effect_size(es, rho).map_err(|e| js_error(e, &[])))
}

// ---- sequential ------------------------------------------------------------------------------

js_options! {
    /// Options of `experiment.sequential` (gbstats' `SequentialTwoSidedTTest`).
    pub struct SequentialOptions {
        /// Significance level in (0, 1) (default 0.05).
        alpha: f64,
        /// The expected sample size (both arms) the sequence is tightest at (default 5000).
        tuning: f64,
        /// A relative effect (default `true`) or absolute.
        relative: bool,
    }
}

/// `experiment.sequential(a, b, options?)`.
pub fn sequential<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = arms(h, a)?;
    let o = SequentialOptions::read(h, &arg(h, a, 2)?, "options")?;
    let d = Sequential::default();
    let s = Sequential::default()
        .alpha(o.alpha.unwrap_or(d.alpha))
        .tuning(o.tuning.unwrap_or(d.tuning))
        .relative(o.relative.unwrap_or(d.relative));
    job(move || {
        let l = summaries(&x, &y)
            .and_then(|(sa, sb)| s.look(&sa, &sb))
            .map_err(|e| js_error(e, SequentialOptions::KEYS))?;
        Ok(SequentialResult {
            estimate: l.estimate,
            stdError: l.std_error,
            ciLower: l.ci_lower,
            ciUpper: l.ci_upper,
            pValue: l.p_value,
        })
    })
}

/// A spending function: `'o_brien_fleming'` or `{ power: { rho } }`.
pub struct SpendingJs(Spending);

impl FromJs for SpendingJs {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        crate::serde_js::from_js(h, v)
            .map(SpendingJs)
            .map_err(|e| match e {
                Error::InvalidParameter { reason, .. } => Error::InvalidParameter {
                    field: field.into(),
                    value: read::describe(h, v),
                    reason: format!(
                        "expected 'o_brien_fleming' or {{ power: {{ rho }} }} ({reason})"
                    ),
                },
                e => e,
            })
    }
    fn ts() -> String {
        "'o_brien_fleming' | { power: { rho: number } }".into()
    }
}

js_options! {
    /// Options of `experiment.groupSequential` (R's `ldbounds`, Spotify's `confidence`).
    pub struct GroupSequentialOptions {
        /// Total alpha (both sides when two-sided), in (0, 1) (default 0.05).
        alpha: f64,
        /// Two symmetric bounds (default `true`) or one upper bound.
        twoSided: bool,
        /// Lan-DeMets spending: `'o_brien_fleming'` (default) or `{ power: { rho } }`
        /// (`alpha t^rho`; rho 1 is Pocock-like).
        spending: SpendingJs,
    }
}

/// `experiment.groupSequential(information, options?)`.
pub fn group_sequential<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let t = read::numbers(h, &arg(h, a, 0)?, "information")?;
    let o = GroupSequentialOptions::read(h, &arg(h, a, 1)?, "options")?;
    let d = GroupSequential::default();
    let g = GroupSequential::default()
        .alpha(o.alpha.unwrap_or(d.alpha))
        .two_sided(o.twoSided.unwrap_or(d.two_sided))
        .spending(o.spending.map_or(d.spending, |s| s.0));
    job(move || {
        let b = g
            .bounds(&t)
            .map_err(|e| js_error(e, GroupSequentialOptions::KEYS))?;
        Ok((0..b.z.len())
            .map(|i| GroupSequentialLook {
                information: b.information[i],
                z: b.z[i],
                nominalAlpha: b.nominal_alpha[i],
                spent: b.spent[i],
            })
            .collect::<Vec<_>>())
    })
}

// ---- declarations ----------------------------------------------------------------------------

const EXPERIMENT_TS: &str = "\
/** Conversion counts of an arm, or its 0/1 outcomes. */
export type ProportionArm = { n: number; successes: number } | Numbers;
/** An arm: conversion counts, sums of a metric (`sumSquares`: the sum of squares), a summary made elsewhere (an `experiment.cuped` arm), or the raw values. */
export type Arm =
  | { n: number; successes: number }
  | { n: number; sum: number; sumSquares: number }
  | { n: number; mean: number; variance: number; unadjustedMean?: number }
  | Numbers;
";

/// The TypeScript declarations of `experiment.*`.
pub fn declarations() -> Vec<String> {
    vec![
        EXPERIMENT_TS.to_string(),
        AbTestOptions::declaration(),
        Effect::declaration(),
        ZTestResult::declaration(),
        WelchResult::declaration(),
        ChiSquareResult::declaration(),
        BetaBinomialOptions::declaration(),
        BetaBinomialResult::declaration(),
        GaussianPrior::declaration(),
        BayesOptions::declaration(),
        BayesResult::declaration(),
        PowerOptions::declaration(),
        PowerResult::declaration(),
        CupedArm::declaration(),
        ArmSummary::declaration(),
        CupedResult::declaration(),
        SequentialOptions::declaration(),
        SequentialResult::declaration(),
        GroupSequentialOptions::declaration(),
        GroupSequentialLook::declaration(),
    ]
    .into_iter()
    .chain(bandit::declarations())
    .collect()
}
