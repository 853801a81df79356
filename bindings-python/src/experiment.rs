//! `cw.experiment`: A/B tests, Bayesian comparisons, power, CUPED, sequential tests and bandits
//! (the core's `experiment`).
//!
//! An arm crosses as `(kind, name, float64 bytes)`: `"proportion"` (`n`, `successes`),
//! `"moments"` (`n`, `sum`, `sum_squares`), `"summary"` (`n`, `mean`, `variance`,
//! `unadjusted_mean` or NaN), `"values"` (raw metric values) or `"outcomes"` (raw 0/1). Each is
//! checked under its name before a test runs, so an error names the arm the user called it
//! (`control.successes`). Results are the core's serde JSON, with the arms' summaries beside
//! them; the bandit's state is the core's serde document, which every binding reads.

use channelwise::experiment::ab::{self, Alternative, Moments, Proportion, Summary, TestOptions};
use channelwise::experiment::bandit::{
    Bandit, BanditSpec, BetaThompson, EpsilonGreedy, Feedback, GaussianThompson, Linear, Policy,
    Softmax, TopTwoThompson, Ucb1,
};
use channelwise::experiment::bayes::{self, BetaPrior, EffectBayes};
use channelwise::experiment::cuped::{self, CupedArm};
use channelwise::experiment::power::{self, NormalIndPower};
use channelwise::experiment::sequential::{GroupSequential, Sequential};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::{json, Value};

use crate::columns::{check_len, document, f64s, invalid, to_json};
use crate::error::{core, guard};
use crate::platform::choice;

/// An arm from the Python layer: `(kind, name, float64 bytes)`.
type ArmIn<'py> = (String, String, Bound<'py, PyBytes>);

/// `field` of an error prefixed with the arm's name (`outcomes[3]` -> `b.outcomes[3]`).
fn named(arm: &str, e: Error) -> Error {
    let join = |f: String| format!("{arm}.{f}");
    match e {
        Error::InvalidParameter {
            field,
            value,
            reason,
        } => Error::InvalidParameter {
            field: join(field),
            value,
            reason,
        },
        Error::NonFinite { field, value } => Error::NonFinite {
            field: join(field),
            value,
        },
        other => other,
    }
}

/// The arm's numbers, exactly `want` of them for the fixed-size kinds.
fn numbers(arm: &ArmIn<'_>, want: usize) -> PyResult<Vec<f64>> {
    let xs = core(f64s(&arm.1, arm.2.as_bytes()))?;
    if want > 0 && xs.len() != want {
        return core(Err(Error::Internal(format!(
            "arm {}: {} numbers for kind {}, expected {want}",
            arm.1,
            xs.len(),
            arm.0
        ))));
    }
    Ok(xs)
}

/// A conversion arm: `proportion` counts or 0/1 `outcomes`, checked under its name.
fn proportion(arm: &ArmIn<'_>) -> PyResult<Proportion> {
    let name = arm.1.as_str();
    let p = match arm.0.as_str() {
        "proportion" => {
            let x = numbers(arm, 2)?;
            Proportion::new(x[0], x[1])
        }
        "outcomes" => {
            core(Proportion::from_outcomes(&numbers(arm, 0)?).map_err(|e| named(name, e)))?
        }
        other => {
            return core(Err(invalid(
                name,
                other,
                "this test takes conversions: n and successes, or 0/1 outcomes",
            )))
        }
    };
    core(p.summary(name))?;
    Ok(p)
}

/// Any arm as a checked `Summary` (n, mean, variance).
fn summary(arm: &ArmIn<'_>) -> PyResult<Summary> {
    let name = arm.1.as_str();
    match arm.0.as_str() {
        "proportion" | "outcomes" => core(proportion(arm)?.summary(name)),
        "moments" => {
            let x = numbers(arm, 3)?;
            core(Moments::new(x[0], x[1], x[2]).summary(name))
        }
        "values" => {
            core(Summary::from_values(&numbers(arm, 0)?, name))
        }
        "summary" => {
            let x = numbers(arm, 4)?;
            let unadjusted_mean = (!x[3].is_nan()).then_some(x[3]);
            Ok(Summary {
                n: x[0],
                mean: x[1],
                variance: x[2],
                unadjusted_mean,
            })
        }
        other => core(Err(invalid(
            name,
            other,
            "expected proportion, outcomes, moments, values or summary",
        ))),
    }
}

fn test_options(alpha: Option<f64>, alternative: &str) -> PyResult<TestOptions> {
    let alt: Alternative = choice(
        "alternative",
        alternative,
        "\"two_sided\", \"larger\", \"smaller\"",
    )?;
    let o = TestOptions::default().alternative(alt);
    Ok(alpha.map_or(o, |a| o.alpha(a)))
}

/// `{"a": summary, "b": summary, "result": ...}` as JSON.
fn with_arms<R: serde::Serialize>(a: &Summary, b: &Summary, result: R) -> PyResult<String> {
    core(to_json(&json!({ "a": a, "b": b, "result": result })))
}

/// The pooled two-proportion z-test of B against A (`ZTest` JSON with the arms' summaries).
#[pyfunction]
#[pyo3(signature = (a, b, alpha, alternative))]
fn experiment_ztest(
    a: ArmIn<'_>,
    b: ArmIn<'_>,
    alpha: Option<f64>,
    alternative: &str,
) -> PyResult<String> {
    guard(|| {
        let (pa, pb) = (proportion(&a)?, proportion(&b)?);
        let r = core(ab::ztest(pa, pb, &test_options(alpha, alternative)?))?;
        with_arms(&core(pa.summary(&a.1))?, &core(pb.summary(&b.1))?, r)
    })
}

/// Welch's t-test of B against A (`WelchTest` JSON with the arms' summaries).
#[pyfunction]
#[pyo3(signature = (a, b, alpha, alternative))]
fn experiment_welch(
    a: ArmIn<'_>,
    b: ArmIn<'_>,
    alpha: Option<f64>,
    alternative: &str,
) -> PyResult<String> {
    guard(|| {
        let (sa, sb) = (summary(&a)?, summary(&b)?);
        let r = core(ab::welch(&sa, &sb, &test_options(alpha, alternative)?))?;
        with_arms(&sa, &sb, r)
    })
}

/// The chi-square test of k conversion arms: `(statistic, df, p_value)`.
#[pyfunction]
fn experiment_chi_square(arms: Vec<ArmIn<'_>>) -> PyResult<(f64, f64, f64)> {
    guard(|| {
        let ps = arms.iter().map(proportion).collect::<PyResult<Vec<_>>>()?;
        let r = core(ab::chi_square(&ps))?;
        Ok((r.statistic, r.df, r.p_value))
    })
}

/// The exact beta-binomial comparison (`BetaBinomial` JSON with the arms' summaries).
#[pyfunction]
#[pyo3(signature = (a, b, prior))]
fn experiment_beta_binomial(a: ArmIn<'_>, b: ArmIn<'_>, prior: &str) -> PyResult<String> {
    guard(|| {
        let (pa, pb) = (proportion(&a)?, proportion(&b)?);
        let prior: BetaPrior = document("prior", prior)?;
        let r = core(bayes::beta_binomial(pa, pb, prior))?;
        with_arms(&core(pa.summary(&a.1))?, &core(pb.summary(&b.1))?, r)
    })
}

/// The arms' summaries and the spec `S` read from the options JSON, through `f`; the result
/// with the summaries, as JSON.
fn on_summaries<S: serde::de::DeserializeOwned, R: serde::Serialize>(
    a: &ArmIn<'_>,
    b: &ArmIn<'_>,
    options: &str,
    f: impl FnOnce(&S, &Summary, &Summary) -> channelwise::Result<R>,
) -> PyResult<String> {
    let (sa, sb) = (summary(a)?, summary(b)?);
    let spec: S = document("options", options)?;
    with_arms(&sa, &sb, core(f(&spec, &sa, &sb))?)
}

/// gbstats' effect model of B against A under the `EffectBayes` JSON (`EffectPosterior` JSON
/// with the arms' summaries).
#[pyfunction]
fn experiment_bayes(a: ArmIn<'_>, b: ArmIn<'_>, options: &str) -> PyResult<String> {
    guard(|| on_summaries(&a, &b, options, EffectBayes::fit))
}

/// One look of the always-valid confidence sequence under the `Sequential` JSON
/// (`SequentialLook` JSON with the arms' summaries).
#[pyfunction]
fn experiment_sequential(a: ArmIn<'_>, b: ArmIn<'_>, options: &str) -> PyResult<String> {
    guard(|| on_summaries(&a, &b, options, Sequential::look))
}

/// Lan-DeMets group-sequential bounds at the information fractions (`Bounds` JSON) under the
/// `GroupSequential` JSON.
#[pyfunction]
fn experiment_group_sequential(information: &[u8], options: &str) -> PyResult<String> {
    guard(|| {
        let t = core(f64s("information", information))?;
        let spec: GroupSequential = document("options", options)?;
        core(to_json(&core(spec.bounds(&t))?))
    })
}

/// statsmodels' `NormalIndPower` solved for `solve` (`"power"`, `"nobs1"` or `"effect_size"`)
/// from the other two, under the `NormalIndPower` JSON.
#[pyfunction]
#[pyo3(signature = (solve, effect_size, nobs1, power, options))]
fn experiment_power(
    solve: &str,
    effect_size: Option<f64>,
    nobs1: Option<f64>,
    power: Option<f64>,
    options: &str,
) -> PyResult<f64> {
    guard(|| {
        let p: NormalIndPower = document("options", options)?;
        let need = |field: &str, v: Option<f64>| {
            v.ok_or_else(|| {
                PyErr::from(crate::error::PyChannelwiseError(invalid(
                    field,
                    "None",
                    format!("needed to solve for {solve}"),
                )))
            })
        };
        match solve {
            "power" => core(p.power(need("effect_size", effect_size)?, need("nobs1", nobs1)?)),
            "nobs1" => core(p.nobs1(need("effect_size", effect_size)?, need("power", power)?)),
            "effect_size" => core(p.effect_size(need("nobs1", nobs1)?, need("power", power)?)),
            other => core(Err(invalid(
                "solve",
                other,
                "expected \"power\", \"nobs1\" or \"effect_size\"",
            ))),
        }
    })
}

/// Cohen's h between two proportions.
#[pyfunction]
fn experiment_proportion_effectsize(p1: f64, p2: f64) -> PyResult<f64> {
    guard(|| core(power::proportion_effectsize(p1, p2)))
}

/// The standardised effect a CUPED test sees for `effect_size` at covariate correlation `rho`.
#[pyfunction]
fn experiment_cuped_effect_size(effect_size: f64, rho: f64) -> PyResult<f64> {
    guard(|| core(cuped::effect_size(effect_size, rho)))
}

/// CUPED with one pooled theta: each arm is `n, sum, sum_squares, pre_sum, pre_sum_squares,
/// sum_products` as float64 bytes; the `Cuped` JSON.
#[pyfunction]
fn experiment_cuped(a: &[u8], b: &[u8]) -> PyResult<String> {
    guard(|| {
        let arm = |field: &str, bytes: &[u8]| -> PyResult<CupedArm> {
            let x = core(f64s(field, bytes))?;
            let [n, sum, sum_squares, pre_sum, pre_sum_squares, sum_products] = x[..] else {
                return core(Err(Error::Internal(format!(
                    "{field}: {} numbers, expected 6",
                    x.len()
                ))));
            };
            Ok(CupedArm {
                n,
                sum,
                sum_squares,
                pre_sum,
                pre_sum_squares,
                sum_products,
            })
        };
        core(to_json(&core(cuped::adjust(&arm("a", a)?, &arm("b", b)?))?))
    })
}

/// A policy by name with the core's defaults, then the given parameters (JSON object) over them.
fn policy(name: &str, params: &str) -> PyResult<Policy> {
    let given: serde_json::Map<String, Value> = document("params", params)?;
    let base: Policy = match name {
        "beta_thompson" | "thompson" => BetaThompson::default().into(),
        "gaussian_thompson" => GaussianThompson::default().into(),
        "ucb1" => Ucb1::default().into(),
        "epsilon_greedy" => EpsilonGreedy::default().into(),
        "softmax" => Softmax::default().into(),
        "top_two_thompson" => TopTwoThompson::default().into(),
        "lin_ucb" | "lin_thompson" => {
            let Some(dim) = given.get("dim").and_then(Value::as_u64) else {
                let got = given.get("dim").map_or("None".into(), Value::to_string);
                return core(Err(invalid(
                    "dim",
                    got,
                    "a linear policy needs the context length, a whole number",
                )));
            };
            let l = Linear::new(usize::try_from(dim).unwrap_or(usize::MAX));
            if name == "lin_ucb" {
                Policy::LinUcb(l)
            } else {
                Policy::LinThompson(l)
            }
        }
        other => {
            return core(Err(invalid(
                "policy",
                other,
                "expected one of \"thompson\" (beta_thompson), \"gaussian_thompson\", \"ucb1\", \
                 \"epsilon_greedy\", \"softmax\", \"lin_ucb\", \"lin_thompson\", \"top_two_thompson\"",
            )))
        }
    };
    let mut v = core(serde_json::to_value(base).map_err(|e| Error::Internal(e.to_string())))?;
    if let Value::Object(fields) = &mut v {
        fields.extend(given);
    }
    core(serde_json::from_value(v).map_err(|e| invalid("policy", name, e.to_string())))
}

/// A multi-armed or contextual bandit (the core's `Bandit`); the Python layer's `Bandit` wraps it.
#[pyclass(name = "Bandit", module = "channelwise._channelwise")]
struct PyBandit(Bandit);

/// `Vec<&str>` views of owned strings.
fn strs(xs: &[String]) -> Vec<&str> {
    xs.iter().map(String::as_str).collect()
}

#[pymethods]
impl PyBandit {
    /// A bandit with the named policy and its parameters (JSON object) over `arms`.
    #[new]
    fn new(
        policy_name: &str,
        params: &str,
        arms: Vec<String>,
        seed: u64,
        discount: f64,
    ) -> PyResult<Self> {
        guard(|| {
            let spec = BanditSpec::new(policy(policy_name, params)?)
                .seed(seed)
                .discount(discount);
            Ok(PyBandit(core(spec.build(&strs(&arms)))?))
        })
    }

    /// The arm for the next decision.
    #[pyo3(signature = (context=None, available=None))]
    fn choose(
        &mut self,
        context: Option<Vec<f64>>,
        available: Option<Vec<String>>,
    ) -> PyResult<String> {
        guard(|| {
            let avail = available.as_deref().map(strs);
            core(self.0.choose_with(context.as_deref(), avail.as_deref()))
        })
    }

    /// One reward for `arm` (with its decision's context for the linear policies).
    #[pyo3(signature = (arm, reward, context=None))]
    fn update(&mut self, arm: &str, reward: f64, context: Option<Vec<f64>>) -> PyResult<()> {
        guard(|| {
            core(self.0.update_batch(&[Feedback {
                arm,
                reward,
                context: context.as_deref(),
            }]))
        })
    }

    /// Rewards for `arms` (float64 bytes), with contexts as `dim` float64s per reward (row-major
    /// bytes) for the linear policies; all checked before any is applied.
    #[pyo3(signature = (arms, rewards, contexts=None))]
    fn update_batch(
        &mut self,
        py: Python<'_>,
        arms: Vec<String>,
        rewards: &[u8],
        contexts: Option<&[u8]>,
    ) -> PyResult<()> {
        guard(|| {
            let r = core(f64s("rewards", rewards))?;
            core(check_len("rewards", r.len(), arms.len()))?;
            let x = core(contexts.map(|c| f64s("contexts", c)).transpose())?;
            let dim = self.0.policy().dim().max(1);
            if let Some(x) = &x {
                core(check_len("contexts", x.len(), arms.len() * dim))?;
            }
            let feedback: Vec<Feedback<'_>> = arms
                .iter()
                .zip(&r)
                .enumerate()
                .map(|(i, (arm, &reward))| Feedback {
                    arm,
                    reward,
                    context: x.as_ref().map(|x| &x[i * dim..(i + 1) * dim]),
                })
                .collect();
            let b = &mut self.0;
            core(py.detach(|| b.update_batch(&feedback)))
        })
    }

    /// Each available arm's probability of the next decision: `(arms, weights)`.
    #[pyo3(signature = (context=None, available=None, draws=10_000))]
    fn weights(
        &self,
        py: Python<'_>,
        context: Option<Vec<f64>>,
        available: Option<Vec<String>>,
        draws: usize,
    ) -> PyResult<(Vec<String>, Vec<f64>)> {
        guard(|| {
            let avail = available.as_deref().map(strs);
            let b = &self.0;
            let w = core(py.detach(|| b.weights(context.as_deref(), avail.as_deref(), draws)))?;
            Ok(w.into_iter().map(|w| (w.arm, w.weight)).unzip())
        })
    }

    /// Every arm's (discounted) count and mean reward: `(arms, counts, means)`.
    fn summary(&self) -> (Vec<String>, Vec<f64>, Vec<f64>) {
        let s = self.0.summary();
        (
            s.iter().map(|a| a.arm.clone()).collect(),
            s.iter().map(|a| a.count).collect(),
            s.iter().map(|a| a.mean).collect(),
        )
    }

    /// Adds an arm with no rewards yet.
    fn add_arm(&mut self, arm: &str) -> PyResult<()> {
        guard(|| core(self.0.add_arm(arm)))
    }

    /// Removes an arm and its statistics.
    fn remove_arm(&mut self, arm: &str) -> PyResult<()> {
        guard(|| core(self.0.remove_arm(arm)))
    }

    /// The arms, in order.
    #[getter]
    fn arms(&self) -> Vec<String> {
        self.0.arms().map(str::to_owned).collect()
    }

    /// The policy and its parameters as the core's JSON.
    #[getter]
    fn policy(&self) -> PyResult<String> {
        guard(|| core(to_json(self.0.policy())))
    }

    /// The discount.
    #[getter]
    fn discount(&self) -> f64 {
        self.0.discount()
    }

    /// Decisions made.
    #[getter]
    fn decisions(&self) -> u64 {
        self.0.decisions()
    }

    /// Rewards taken.
    #[getter]
    fn updates(&self) -> u64 {
        self.0.updates()
    }

    /// The state as the core's serde document (every binding reads it).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(self.0.to_json()))
    }

    /// A bandit from [`Self::to_json`]'s text, resuming bit for bit.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        guard(|| Ok(PyBandit(core(Bandit::from_json(text))?)))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(experiment_ztest, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_welch, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_chi_square, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_beta_binomial, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_bayes, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_sequential, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_group_sequential, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_power, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_proportion_effectsize, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_cuped_effect_size, m)?)?;
    m.add_function(wrap_pyfunction!(experiment_cuped, m)?)?;
    m.add_class::<PyBandit>()?;
    Ok(())
}
