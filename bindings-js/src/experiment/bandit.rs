//! `experiment.Bandit`: the core's seeded, serialisable bandit (`experiment::bandit`) behind a
//! lock. Its `toJSON()` is the core's state document (the text `Bandit::to_json` writes and
//! Python's `Bandit.to_json()` returns), so a bandit saved in one stack resumes in another, bit
//! for bit.

use std::sync::{Arc, Mutex, MutexGuard};

use channelwise::experiment::bandit::{
    self as core, BanditSpec, BetaThompson, EpsilonGreedy, Feedback, GaussianThompson, Linear,
    Policy, Softmax, TopTwoThompson,
};
use channelwise::{Error, Result};
use serde_json::Value;

use crate::api::{arg, getter, job, this, Job};
use crate::decl::{Declared, FromJs};
use crate::host::{Host, Kind};
use crate::keys::{camel, map_keys, option_field, snake};
use crate::optimize::bids::Strings;
use crate::out::{Handle, Out};
use crate::{js_options, js_result, read};

/// `experiment.Bandit`.
pub struct Bandit(Mutex<core::Bandit>);

impl Bandit {
    fn lock(&self) -> MutexGuard<'_, core::Bandit> {
        // A call either checks everything before changing the bandit or changes nothing, so a
        // poisoned lock still guards a whole bandit.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The policy `name` with its default parameters (a linear policy's `dim` 0, to be given).
fn default_policy(name: &str) -> Option<Policy> {
    Some(match name {
        "beta_thompson" | "thompson" => BetaThompson::default().into(),
        "gaussian_thompson" => GaussianThompson::default().into(),
        "ucb1" => Policy::ucb1(),
        "epsilon_greedy" => EpsilonGreedy::default().into(),
        "softmax" => Softmax::default().into(),
        "lin_ucb" => Policy::LinUcb(Linear::new(0)),
        "lin_thompson" => Policy::LinThompson(Linear::new(0)),
        "top_two_thompson" => TopTwoThompson::default().into(),
        _ => return None,
    })
}

const POLICY_NAMES: &str = "'thompson' (= 'beta_thompson'), 'gaussian_thompson', 'ucb1', \
                            'epsilon_greedy', 'softmax', 'lin_ucb', 'lin_thompson', 'top_two_thompson'";

/// A policy: its name, or `{ name, ...parameters }` (camelCase), missing parameters at their
/// defaults.
pub struct PolicyArg(Policy);

impl FromJs for PolicyArg {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let (name, params) = if h.kind(v) == Kind::String {
            (read::string(h, v, field)?, serde_json::Map::new())
        } else {
            read::object(h, v, field)?;
            let tree = crate::keys::tree(h, v, field)?;
            let Value::Object(mut m) = map_keys(tree, snake) else {
                return Err(read::wrong(h, field, v, "a policy name or { name, ... }"));
            };
            let name = match m.remove("name") {
                Some(Value::String(s)) => s,
                _ => return Err(read::missing(&format!("{field}.name"))),
            };
            (name, m)
        };
        let unknown = |value: String, at: String| Error::InvalidParameter {
            field: at,
            value,
            reason: format!("expected one of {POLICY_NAMES}"),
        };
        let base = default_policy(&name).ok_or_else(|| {
            let at = if params.is_empty() && h.kind(v) == Kind::String {
                field.to_string()
            } else {
                format!("{field}.name")
            };
            unknown(name.clone(), at)
        })?;
        let Ok(Value::Object(mut tree)) = serde_json::to_value(base) else {
            return Err(Error::Internal("a policy serialises as an object".into()));
        };
        for (k, x) in params {
            // linear Thompson's `shared_draw` is left out of the serde form when false
            let known = tree.contains_key(&k) || (k == "shared_draw" && name == "lin_thompson");
            if !known {
                return Err(Error::InvalidParameter {
                    field: format!("{field}.{}", camel(&k)),
                    value: x.to_string(),
                    reason: format!("not a parameter of policy {name}"),
                });
            }
            tree.insert(k, x);
        }
        let tree = Value::Object(tree);
        crate::keys::from_tree(&tree, &map_keys(tree.clone(), camel), field).map(PolicyArg)
    }
    fn ts() -> String {
        "BanditPolicy".into()
    }
}

js_options! {
    /// A bandit's settings.
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `policy` | `'thompson'` | the policy's name, or `{ name, ...parameters }` | see `BanditPolicy` |
    /// | `arms` | `[]` | arm ids (add more with `addArm`) | distinct, non-empty |
    /// | `seed` | 0 | seed of the decision stream | whole number >= 0 |
    /// | `discount` | 1 | every reward first multiplies every arm's statistics by this (non-stationary arms) | (0, 1] |
    pub struct BanditOptions {
        /// The policy: `'thompson'` (default, Beta-Bernoulli), `'ucb1'`, ... or
        /// `{ name: 'lin_ucb', dim: 3, alpha: 0.5 }`.
        policy: PolicyArg,
        /// Arm ids.
        arms: Strings,
        /// Seed of the decision stream (default 0): same seed, same choices, in every stack.
        seed: u64,
        /// Discount in (0, 1] (default 1: no discounting).
        discount: f64,
    }
}

/// `new experiment.Bandit(options)`.
pub fn bandit_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = BanditOptions::read(h, &arg(h, a, 0)?, "options")?;
    let policy = o.policy.map_or_else(Policy::thompson, |p| p.0);
    let arms = o.arms.map_or_else(Vec::new, |s| s.0);
    let spec = BanditSpec::new(policy)
        .seed(o.seed.unwrap_or(0))
        .discount(o.discount.unwrap_or(1.0));
    job(move || {
        let ids: Vec<&str> = arms.iter().map(String::as_str).collect();
        let b = spec.build(&ids).map_err(|e| {
            crate::optimize::renamed(e, |f| {
                Some(match f {
                    "discount" => "options.discount".into(),
                    "arm" => "options.arms".into(),
                    f => format!("options.policy.{}", camel(f)),
                })
            })
        })?;
        Ok(Handle(Arc::new(Bandit(Mutex::new(b)))))
    })
}

/// A context: `undefined` / `null` for none.
fn context<H: Host>(h: H, v: &H::V, field: &str) -> Result<Option<Vec<f64>>> {
    read::given(h, v.clone())
        .map(|x| read::numbers(h, &x, field))
        .transpose()
}

/// `Bandit.choose(context?, available?)`.
pub fn bandit_choose<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    let x = context(h, &arg(h, a, 1)?, "context")?;
    let available = read::given(h, arg(h, a, 2)?)
        .map(|v| read::strings(h, &v, "available"))
        .transpose()?;
    job(move || {
        let ids: Option<Vec<&str>> = available
            .as_ref()
            .map(|v| v.iter().map(String::as_str).collect());
        b.lock().choose_with(x.as_deref(), ids.as_deref())
    })
}

/// `Bandit.update(arm, reward, context?)`.
pub fn bandit_update<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    let arm = read::string(h, &arg(h, a, 1)?, "arm")?;
    let reward = read::number(h, &arg(h, a, 2)?, "reward")?;
    let x = context(h, &arg(h, a, 3)?, "context")?;
    job(move || {
        let f = match &x {
            Some(x) => Feedback::with_context(&arm, x, reward),
            None => Feedback::new(&arm, reward),
        };
        b.lock().update_batch(&[f])?;
        Ok(Out::Undefined)
    })
}

js_options! {
    /// A reward for an arm, whenever it arrives, with the context of its decision (linear
    /// policies).
    pub struct BanditFeedback {
        /// The arm.
        arm: String = required,
        /// The reward (in [0, 1] for the Beta-Bernoulli policies).
        reward: f64 = required,
        /// The decision's context.
        context: Vec<f64>,
    }
}

/// `Bandit.updateBatch(feedback)`: all checked before any is applied.
pub fn bandit_update_batch<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    let list = arg(h, a, 1)?;
    let n = read::array_len(
        h,
        &list,
        "feedback",
        "an array of { arm, reward, context? }",
    )?;
    let items = (0..n)
        .map(|i| {
            let name = format!("feedback[{i}]");
            let f = BanditFeedback::read(h, &read::element(h, &list, i, &name)?, &name)?;
            Ok((
                f.arm.unwrap_or_default(),
                f.reward.unwrap_or(f64::NAN),
                f.context,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    job(move || {
        let feedback: Vec<Feedback<'_>> = items
            .iter()
            .map(|(arm, r, x)| match x {
                Some(x) => Feedback::with_context(arm, x, *r),
                None => Feedback::new(arm, *r),
            })
            .collect();
        b.lock().update_batch(&feedback)?;
        Ok(Out::Undefined)
    })
}

js_options! {
    /// Options of `Bandit.weights`.
    pub struct WeightsOptions {
        /// The context of the next decision (linear policies).
        context: Vec<f64>,
        /// The arms available (default: all).
        available: Strings,
        /// Simulated decisions for the Thompson policies (default 10000; 1 to 10000000).
        draws: usize,
    }
}

js_result! {
    /// An arm's share of the next decision.
    pub struct ArmWeight {
        /// The arm.
        arm: String,
        /// Its probability of being chosen.
        weight: f64,
    }
}

js_result! {
    /// An arm's statistics.
    pub struct BanditArm {
        /// The arm.
        arm: String,
        /// Rewards received (a sum of weights when the bandit discounts).
        count: f64,
        /// Mean reward (0 before any).
        mean: f64,
    }
}

/// `Bandit.weights(options?)`.
pub fn bandit_weights<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    let o = WeightsOptions::read(h, &arg(h, a, 1)?, "options")?;
    job(move || {
        let ids: Option<Vec<&str>> = o
            .available
            .as_ref()
            .map(|s| s.0.iter().map(String::as_str).collect());
        let w = b
            .lock()
            .weights(
                o.context.as_deref(),
                ids.as_deref(),
                o.draws.unwrap_or(10_000),
            )
            .map_err(|e| option_field(e, WeightsOptions::KEYS, |_| None))?;
        Ok(w.into_iter()
            .map(|w| ArmWeight {
                arm: w.arm,
                weight: w.weight,
            })
            .collect::<Vec<_>>())
    })
}

/// `Bandit.summary()`.
pub fn bandit_summary<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    job(move || {
        Ok(b.lock()
            .summary()
            .into_iter()
            .map(|s| BanditArm {
                arm: s.arm,
                count: s.count,
                mean: s.mean,
            })
            .collect::<Vec<_>>())
    })
}

/// `Bandit.addArm(id)`.
pub fn bandit_add_arm<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    let id = read::string(h, &arg(h, a, 1)?, "arm")?;
    job(move || b.lock().add_arm(&id).map(|()| Out::Undefined))
}

/// `Bandit.removeArm(id)`.
pub fn bandit_remove_arm<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    let id = read::string(h, &arg(h, a, 1)?, "arm")?;
    job(move || b.lock().remove_arm(&id).map(|()| Out::Undefined))
}

/// `Bandit.toJSON()`: the core's state document.
pub fn bandit_to_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: Arc<Bandit> = this(h, a)?;
    job(move || crate::api::to_json(&*b.lock()))
}

/// `Bandit.fromJSON(json)`.
pub fn bandit_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let b: core::Bandit = crate::api::from_json(h, &arg(h, a, 0)?)?;
    job(move || Ok(Handle(Arc::new(Bandit(Mutex::new(b))))))
}

getter!(Bandit, bandit_arms, Vec<String>, |b| b
    .lock()
    .arms()
    .map(String::from)
    .collect());
getter!(Bandit, bandit_policy, Out, |b| crate::keys::to_camel(
    b.lock().policy()
)?);
getter!(Bandit, bandit_discount, f64, |b| b.lock().discount());
getter!(Bandit, bandit_decisions, f64, |b| b.lock().decisions()
    as f64);
getter!(Bandit, bandit_updates, f64, |b| b.lock().updates() as f64);

const BANDIT_TS: &str = "\
/** A bandit policy: its name with default parameters, or the name with parameters (camelCase; missing ones at their defaults). */
export type BanditPolicy =
  | 'thompson' | 'beta_thompson' | 'gaussian_thompson' | 'ucb1' | 'epsilon_greedy' | 'softmax' | 'top_two_thompson'
  | { name: 'thompson' | 'beta_thompson'; alpha?: number; beta?: number }
  | { name: 'gaussian_thompson'; mean?: number; count?: number; shape?: number; rate?: number }
  | { name: 'ucb1'; alpha?: number }
  | { name: 'epsilon_greedy'; epsilon?: number; decay?: number }
  | { name: 'softmax'; tau?: number }
  | { name: 'lin_ucb'; dim: number; alpha?: number; l2?: number }
  | { name: 'lin_thompson'; dim: number; alpha?: number; l2?: number; sharedDraw?: boolean }
  | { name: 'top_two_thompson'; alpha?: number; beta?: number; leader?: number; floor?: number };
";

/// The TypeScript declarations of `experiment.Bandit`.
pub fn declarations() -> Vec<String> {
    vec![
        BANDIT_TS.to_string(),
        BanditOptions::declaration(),
        BanditFeedback::declaration(),
        WeightsOptions::declaration(),
        ArmWeight::declaration(),
        BanditArm::declaration(),
    ]
}
