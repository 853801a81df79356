//! Multi-armed and contextual bandits with seeded, serialisable state.
//!
//! A [`Bandit`] holds a [`Policy`], its arms (named by strings) and a seeded random stream. It
//! answers "which arm gets the next impression?" ([`Bandit::choose`], or
//! [`Bandit::choose_with`] for a context and the arms available at this request), takes rewards
//! by arm whenever they arrive ([`Bandit::update`], [`Bandit::update_batch`]: a conversion seen
//! hours later is credited to its arm, not to a decision number), and gives traffic weights
//! ([`Bandit::weights`]). Arms come and go ([`Bandit::add_arm`], [`Bandit::remove_arm`]).
//!
//! | Policy | Parameters | Rewards | Context |
//! |---|---|---|---|
//! | [`BetaThompson`] | `alpha` 1, `beta` 1 | [0, 1] | no |
//! | [`GaussianThompson`] | `mean` 0, `count` 1, `shape` 1, `rate` 1 | any | no |
//! | [`Ucb1`] | `alpha` 1 | any | no |
//! | [`EpsilonGreedy`] | `epsilon` 0.1, `decay` 0 | any | no |
//! | [`Softmax`] | `tau` 1 | any | no |
//! | [`Linear`] as [`Policy::LinUcb`] / [`Policy::LinThompson`] | `dim`, `alpha` 1, `l2` 1, `shared_draw` false | any | `dim` numbers |
//! | [`TopTwoThompson`] | `alpha` 1, `beta` 1, `leader` 0.5, `floor` 0 | [0, 1] | no |
//!
//! Each policy's page has its table (Name | Default | Meaning | Range). "Any" reward means finite
//! with `|r| <= 1e100` ([`VALUE_LIMIT`], so sums of squares stay finite); contexts obey the same
//! limit. The bandit itself ([`BanditSpec`]):
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `policy` | (required) | the policy and its parameters | see above |
//! | `discount` | 1 | every reward first multiplies every arm's statistics by this (non-stationary arms; 1 keeps everything) | (0, 1] |
//! | `seed` | 0 | seed of the decision stream | any `u64` |
//!
//! **Determinism.** Decisions draw from ChaCha8 seeded by `seed`, through samplers built on
//! [`libm`], so the same seed, arms and calls give the same choices on every platform and in every
//! binding. Ties are broken uniformly at random from the same stream. [`Bandit::weights`] runs its
//! simulations on a second stream of the seed and leaves the decision stream untouched.
//!
//! **Order of updates.** Every policy keeps sums per arm (count, sum, sum of squares; `X'X` and
//! `X'y` for the linear ones), so without discounting a batch of rewards gives the same state in
//! any order up to rounding (exactly, for 0/1 rewards), and a batch equals the same rewards one by
//! one. With `discount < 1` the order matters, as it should: later rewards weigh more.
//!
//! **Serialisation.** A bandit serialises (serde; [`Bandit::to_json`]) with its random stream's
//! position and resumes bit for bit:
//!
//! ```json
//! {"format":1,"policy":{"name":"ucb1","alpha":1.0},"discount":1.0,"decisions":2,"updates":1,
//!  "rng":{"seed":7,"stream":0,"word_pos":2},
//!  "arms":[{"id":"a","n":1.0,"sum":1.0,"sum_sq":1.0},{"id":"b","n":0.0,"sum":0.0,"sum_sq":0.0}]}
//! ```
//! Linear policies add `"xtx"` (row-major `dim x dim`) and `"xty"` to each arm.
//!
//! ```
//! use channelwise::experiment::bandit::{Bandit, Policy};
//! let mut b = Bandit::new(Policy::thompson(), &["red", "blue"], 42)?;
//! for _ in 0..200 {
//!     let arm = b.choose()?;
//!     let reward = if arm == "blue" { 1.0 } else { 0.0 };
//!     b.update(&arm, reward)?;
//! }
//! let saved = b.to_json()?;
//! let mut resumed = Bandit::from_json(&saved)?;
//! assert_eq!(resumed.choose()?, b.choose()?);
//! assert!(b.summary().iter().any(|s| s.arm == "blue" && s.count > 150.0));
//! # Ok::<(), channelwise::Error>(())
//! ```

mod linear;
mod policy;
mod stream;

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use self::policy::{BetaThompson, EpsilonGreedy, GaussianThompson, Linear, Policy, Softmax, TopTwoThompson, Ucb1, MAX_DIM};
use self::linear::Factor;
use self::stream::{Stream, StreamState};
use crate::error::check_range;
use crate::{Error, Result};

/// The largest magnitude of a reward or a context value.
pub const VALUE_LIMIT: f64 = 1e100;

/// Version of the serialised form.
const FORMAT: u32 = 1;

/// Challengers top-two Thompson sampling draws before taking the runner-up of its last draw.
const CHALLENGER_TRIES: usize = 64;

/// A bandit's settings, checked once by [`BanditSpec::build`].
///
/// ```
/// use channelwise::experiment::bandit::{BanditSpec, EpsilonGreedy};
/// let b = BanditSpec::new(EpsilonGreedy::default().decay(0.01)).discount(0.99).seed(3).build(&["a", "b"])?;
/// assert_eq!(b.arms().collect::<Vec<_>>(), ["a", "b"]);
/// assert!(BanditSpec::new(EpsilonGreedy::default()).discount(0.0).build(&["a"]).is_err());
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BanditSpec {
    /// The policy and its parameters.
    pub policy: Policy,
    /// Discount of every arm's statistics at each reward, in (0, 1].
    pub discount: f64,
    /// Seed of the decision stream.
    pub seed: u64,
}

impl BanditSpec {
    /// A bandit with `policy`, no discounting and seed 0.
    pub fn new(policy: impl Into<Policy>) -> Self {
        BanditSpec { policy: policy.into(), discount: 1.0, seed: 0 }
    }

    /// Sets the discount.
    pub fn discount(mut self, discount: f64) -> Self {
        self.discount = discount;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// A bandit over `arms` (possibly none yet: add them with [`Bandit::add_arm`]).
    ///
    /// # Errors
    /// The policy's parameter errors ([`Policy::validate`]); [`Error::OutOfRange`] for a
    /// `discount` outside (0, 1]; [`Error::InvalidParameter`] for an empty or repeated arm id.
    pub fn build(self, arms: &[&str]) -> Result<Bandit> {
        self.policy.validate()?;
        check_discount(self.discount)?;
        let mut b = Bandit {
            policy: self.policy,
            discount: self.discount,
            decisions: 0,
            updates: 0,
            rng: Stream::new(self.seed, 0),
            arms: Vec::with_capacity(arms.len()),
            factors: Vec::with_capacity(arms.len()),
            scratch: Vec::new(),
        };
        for id in arms {
            b.add_arm(id)?;
        }
        Ok(b)
    }
}

fn check_discount(discount: f64) -> Result<()> {
    check_range("discount", discount, 0.0, 1.0)?;
    if discount == 0.0 {
        return Err(Error::param("discount", discount, "must be greater than 0"));
    }
    Ok(())
}

/// One arm's statistics (discounted when the bandit discounts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Arm {
    id: String,
    n: f64,
    sum: f64,
    sum_sq: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    xtx: Vec<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    xty: Vec<f64>,
}

impl Arm {
    fn mean(&self) -> f64 {
        if self.n > 0.0 {
            self.sum / self.n
        } else {
            0.0
        }
    }
}

/// A reward for an arm, with the context of its decision for the linear policies.
///
/// ```
/// use channelwise::experiment::bandit::Feedback;
/// let f = Feedback::new("a", 1.0);
/// assert!(f.context.is_none());
/// let x = [0.5, 1.0];
/// assert_eq!(Feedback::with_context("b", &x, 0.0).context, Some(&x[..]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feedback<'a> {
    /// The arm the reward belongs to.
    pub arm: &'a str,
    /// The reward.
    pub reward: f64,
    /// The decision's context (linear policies only).
    pub context: Option<&'a [f64]>,
}

impl<'a> Feedback<'a> {
    /// A reward without context.
    pub fn new(arm: &'a str, reward: f64) -> Self {
        Feedback { arm, reward, context: None }
    }

    /// A reward with the context its decision was made in.
    pub fn with_context(arm: &'a str, context: &'a [f64], reward: f64) -> Self {
        Feedback { arm, reward, context: Some(context) }
    }
}

/// An arm's share of traffic, from [`Bandit::weights`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmWeight {
    /// The arm.
    pub arm: String,
    /// Its probability of being chosen at the next decision.
    pub weight: f64,
}

/// An arm's statistics, from [`Bandit::summary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmSummary {
    /// The arm.
    pub arm: String,
    /// Rewards received (discounted: a sum of weights when the bandit discounts).
    pub count: f64,
    /// Mean reward (0 before any).
    pub mean: f64,
}

/// A bandit: a policy, its arms' statistics and a seeded random stream. Built by
/// [`BanditSpec::build`] or [`Bandit::new`]; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct Bandit {
    policy: Policy,
    discount: f64,
    decisions: u64,
    updates: u64,
    rng: Stream,
    arms: Vec<Arm>,
    /// Cached Cholesky factors of the linear policies, parallel to `arms` (not serialised: a
    /// factor recomputed from the same sums is the same to the bit).
    factors: Vec<Option<Factor>>,
    /// Per-decision scores and context-length work space, reused to avoid allocation.
    scratch: Vec<f64>,
}

impl PartialEq for Bandit {
    /// Equal stored state (the caches are left out).
    fn eq(&self, other: &Self) -> bool {
        self.policy == other.policy
            && self.discount.to_bits() == other.discount.to_bits()
            && self.decisions == other.decisions
            && self.updates == other.updates
            && self.rng == other.rng
            && self.arms == other.arms
    }
}

impl Bandit {
    /// A bandit with `policy` over `arms`, no discounting, seeded with `seed`.
    ///
    /// # Errors
    /// As [`BanditSpec::build`].
    pub fn new(policy: impl Into<Policy>, arms: &[&str], seed: u64) -> Result<Self> {
        BanditSpec::new(policy).seed(seed).build(arms)
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The discount.
    pub fn discount(&self) -> f64 {
        self.discount
    }

    /// Decisions made so far.
    pub fn decisions(&self) -> u64 {
        self.decisions
    }

    /// Rewards received so far.
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// The arms, in the order they were added.
    pub fn arms(&self) -> impl Iterator<Item = &str> + '_ {
        self.arms.iter().map(|a| a.id.as_str())
    }

    /// Each arm's count and mean reward, in arm order.
    pub fn summary(&self) -> Vec<ArmSummary> {
        self.arms.iter().map(|a| ArmSummary { arm: a.id.clone(), count: a.n, mean: a.mean() }).collect()
    }

    /// Adds an arm with no rewards yet (the prior).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `id` is empty or already an arm.
    pub fn add_arm(&mut self, id: &str) -> Result<()> {
        if id.is_empty() {
            return Err(Error::param("arm", id, "an arm id must not be empty"));
        }
        if self.position(id).is_some() {
            return Err(Error::param("arm", id, "already an arm of this bandit"));
        }
        let d = self.policy.dim();
        self.arms.push(Arm { id: id.to_owned(), n: 0.0, sum: 0.0, sum_sq: 0.0, xtx: vec![0.0; d * d], xty: vec![0.0; d] });
        self.factors.push(None);
        Ok(())
    }

    /// Removes an arm and its statistics; later rewards for it are refused as unknown.
    ///
    /// ```
    /// use channelwise::experiment::bandit::{Bandit, Policy};
    /// let mut b = Bandit::new(Policy::ucb1(), &["a", "b"], 0)?;
    /// b.remove_arm("a")?;
    /// b.add_arm("c")?;
    /// assert_eq!(b.arms().collect::<Vec<_>>(), ["b", "c"]);
    /// assert!(b.update("a", 1.0).is_err());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `id` is not an arm.
    pub fn remove_arm(&mut self, id: &str) -> Result<()> {
        let i = self.find("arm", id)?;
        self.arms.remove(i);
        self.factors.remove(i);
        Ok(())
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.arms.iter().position(|a| a.id == id)
    }

    fn find(&self, field: &str, id: &str) -> Result<usize> {
        self.position(id).ok_or_else(|| Error::param(field, id, "not an arm of this bandit"))
    }

    /// Chooses among all arms (context-free policies).
    ///
    /// # Errors
    /// As [`Bandit::choose_with`].
    pub fn choose(&mut self) -> Result<String> {
        self.choose_with(None, None)
    }

    /// Chooses among the arms available at this request, in the given context (for the linear
    /// policies; `None` for the others). `available = None` means every arm.
    ///
    /// ```
    /// use channelwise::experiment::bandit::{Bandit, Linear, Policy};
    /// let mut b = Bandit::new(Policy::LinThompson(Linear::new(2)), &["a", "b", "c"], 1)?;
    /// let arm = b.choose_with(Some(&[1.0, 0.5]), Some(&["b", "c"]))?;
    /// assert!(arm == "b" || arm == "c");
    /// b.update_with_context(&arm, &[1.0, 0.5], 1.0)?;
    /// assert!(b.choose_with(Some(&[1.0]), None).is_err());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown or repeated id in `available`, or a context
    /// given to a context-free policy; [`Error::NotEnoughData`] if no arm is available;
    /// [`Error::LengthMismatch`] for a context of the wrong length (or none for a linear policy);
    /// [`Error::NonFinite`] / [`Error::OutOfRange`] for a context value that is not finite or
    /// beyond [`VALUE_LIMIT`]; [`Error::OutOfRange`] if top-two's `floor` times the arms available
    /// exceeds 1.
    pub fn choose_with(&mut self, context: Option<&[f64]>, available: Option<&[&str]>) -> Result<String> {
        let cands = self.candidates(available)?;
        let x = self.check_context("context", context)?;
        self.check_floor(cands.len())?;
        for &i in &cands {
            if self.factors[i].is_none() {
                if let Some(l2) = self.l2() {
                    let a = &self.arms[i];
                    self.factors[i] = Some(Factor::new(&a.xtx, &a.xty, l2, &a.id)?);
                }
            }
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let pick = pick(&self.policy, &self.arms, &self.factors, &cands, x, self.decisions, &mut self.rng, &mut scratch, true);
        self.scratch = scratch;
        self.decisions += 1;
        Ok(self.arms[pick].id.clone())
    }

    fn l2(&self) -> Option<f64> {
        match self.policy {
            Policy::LinUcb(p) | Policy::LinThompson(p) => Some(p.l2),
            _ => None,
        }
    }

    fn candidates(&self, available: Option<&[&str]>) -> Result<Vec<usize>> {
        let cands: Vec<usize> = match available {
            None => (0..self.arms.len()).collect(),
            Some(ids) => {
                let mut out = Vec::with_capacity(ids.len());
                for (j, id) in ids.iter().enumerate() {
                    let i = self.position(id).ok_or_else(|| Error::param(format!("available[{j}]"), id, "not an arm of this bandit"))?;
                    if out.contains(&i) {
                        return Err(Error::param(format!("available[{j}]"), id, "listed twice"));
                    }
                    out.push(i);
                }
                out
            }
        };
        if cands.is_empty() {
            return Err(Error::NotEnoughData { what: "arms available for a decision".into(), required: 1, got: 0 });
        }
        Ok(cands)
    }

    fn check_context<'c>(&self, field: &str, context: Option<&'c [f64]>) -> Result<Option<&'c [f64]>> {
        let d = self.policy.dim();
        match context {
            None if d == 0 => Ok(None),
            None => Err(Error::LengthMismatch { field: field.into(), expected: d, got: 0 }),
            Some(x) if d == 0 => Err(Error::param(field, format!("{} values", x.len()), format!("policy {} takes no context", self.policy.name()))),
            Some(x) if x.len() != d => Err(Error::LengthMismatch { field: field.into(), expected: d, got: x.len() }),
            Some(x) => {
                for (j, &v) in x.iter().enumerate() {
                    if !(v.is_finite() && v.abs() <= VALUE_LIMIT) {
                        check_range(format!("{field}[{j}]"), v, -VALUE_LIMIT, VALUE_LIMIT)?;
                    }
                }
                Ok(Some(x))
            }
        }
    }

    fn check_floor(&self, k: usize) -> Result<()> {
        if let Policy::TopTwoThompson(p) = self.policy {
            if p.floor * k as f64 > 1.0 {
                return Err(Error::OutOfRange { field: "floor".into(), value: p.floor, min: 0.0, max: 1.0 / k as f64 });
            }
        }
        Ok(())
    }

    /// Records a reward for `arm` (context-free policies).
    ///
    /// # Errors
    /// As [`Bandit::update_batch`].
    pub fn update(&mut self, arm: &str, reward: f64) -> Result<()> {
        self.update_batch(&[Feedback::new(arm, reward)])
    }

    /// Records a reward for `arm` chosen in `context` (linear policies).
    ///
    /// # Errors
    /// As [`Bandit::update_batch`].
    pub fn update_with_context(&mut self, arm: &str, context: &[f64], reward: f64) -> Result<()> {
        self.update_batch(&[Feedback::with_context(arm, context, reward)])
    }

    /// Records rewards in the order given, each credited to its arm whenever it arrives (delayed
    /// rewards need no record of the decisions). The whole batch is checked before any of it is
    /// applied: on an error the bandit is unchanged.
    ///
    /// ```
    /// use channelwise::experiment::bandit::{Bandit, Feedback, Policy};
    /// let mut one = Bandit::new(Policy::thompson(), &["a", "b"], 0)?;
    /// let mut batch = one.clone();
    /// one.update("b", 1.0)?;
    /// one.update("a", 0.0)?;
    /// batch.update_batch(&[Feedback::new("a", 0.0), Feedback::new("b", 1.0)])?;
    /// assert_eq!(one.summary(), batch.summary());
    /// assert!(batch.update_batch(&[Feedback::new("a", 1.0), Feedback::new("a", 2.0)]).is_err());
    /// assert_eq!(one.summary(), batch.summary());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown arm or a context given to a context-free policy;
    /// [`Error::NonFinite`] for a reward or context value that is NaN or infinite;
    /// [`Error::OutOfRange`] for a reward outside [0, 1] under a Bernoulli policy
    /// ([`Policy::is_bernoulli`]), or beyond [`VALUE_LIMIT`]; [`Error::LengthMismatch`] for a
    /// context of the wrong length. Fields are named `reward`, `arm`, `context[j]` for a single
    /// update and `feedback[i].reward`, ... in a batch.
    pub fn update_batch(&mut self, feedback: &[Feedback<'_>]) -> Result<()> {
        let single = feedback.len() == 1;
        let mut arms = Vec::with_capacity(feedback.len());
        for (i, f) in feedback.iter().enumerate() {
            let name = |what: &str| if single { what.to_owned() } else { format!("feedback[{i}].{what}") };
            let arm = self.position(f.arm).ok_or_else(|| Error::param(name("arm"), f.arm, "not an arm of this bandit"))?;
            let r = f.reward;
            let (lo, hi) = if self.policy.is_bernoulli() { (0.0, 1.0) } else { (-VALUE_LIMIT, VALUE_LIMIT) };
            if !(r >= lo && r <= hi) {
                check_range(name("reward"), r, lo, hi)?;
            }
            if f.context.is_some() || self.policy.dim() > 0 {
                self.check_context(&name("context"), f.context)?;
            }
            arms.push(arm);
        }
        for (f, &i) in feedback.iter().zip(&arms) {
            self.apply(i, f.reward, f.context);
        }
        Ok(())
    }

    fn apply(&mut self, i: usize, r: f64, x: Option<&[f64]>) {
        let g = self.discount;
        if g < 1.0 {
            for a in &mut self.arms {
                a.n *= g;
                a.sum *= g;
                a.sum_sq *= g;
                a.xtx.iter_mut().chain(a.xty.iter_mut()).for_each(|v| *v *= g);
            }
            self.factors.iter_mut().for_each(|f| *f = None);
        }
        let a = &mut self.arms[i];
        a.n += 1.0;
        a.sum += r;
        a.sum_sq += r * r;
        if let Some(x) = x {
            let d = x.len();
            for (j, &xj) in x.iter().enumerate() {
                for (k, &xk) in x.iter().enumerate() {
                    a.xtx[j * d + k] += xj * xk;
                }
                a.xty[j] += r * xj;
            }
        }
        self.factors[i] = None;
        self.updates += 1;
    }

    /// Most simulated decisions [`Bandit::weights`] runs for a Thompson policy: ten million,
    /// a standard error below 1.6e-4 on every weight (about a second per three arms).
    pub const MAX_DRAWS: usize = 10_000_000;

    /// Each available arm's probability of being chosen at the next decision, in the order of
    /// `available` (or of the arms). Exact for UCB1, epsilon-greedy, softmax and LinUCB (ties
    /// split evenly); for the Thompson policies the share of `draws` simulated decisions, run on
    /// a second stream of the seed (same state, same weights; the decision stream is untouched).
    /// Top-two Thompson's weights are `floor + (1 - k floor) p_i`, so none is below `floor`.
    ///
    /// ```
    /// use channelwise::experiment::bandit::{Bandit, TopTwoThompson};
    /// let mut b = Bandit::new(TopTwoThompson::default().floor(0.1), &["a", "b", "c"], 0)?;
    /// for _ in 0..50 {
    ///     b.update("a", 1.0)?;
    ///     b.update("b", 0.0)?;
    /// }
    /// let w = b.weights(None, None, 10_000)?;
    /// assert!(w.iter().all(|w| w.weight >= 0.1));
    /// assert!((w.iter().map(|w| w.weight).sum::<f64>() - 1.0).abs() < 1e-12);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Bandit::choose_with`]; [`Error::OutOfRange`] if `draws` is 0 or above
    /// [`Bandit::MAX_DRAWS`] for a Thompson policy.
    pub fn weights(&self, context: Option<&[f64]>, available: Option<&[&str]>, draws: usize) -> Result<Vec<ArmWeight>> {
        let cands = self.candidates(available)?;
        let x = self.check_context("context", context)?;
        self.check_floor(cands.len())?;
        let mut factors = self.factors.clone();
        if let Some(l2) = self.l2() {
            for &i in &cands {
                if factors[i].is_none() {
                    let a = &self.arms[i];
                    factors[i] = Some(Factor::new(&a.xtx, &a.xty, l2, &a.id)?);
                }
            }
        }
        let k = cands.len();
        let mut scratch = Vec::new();
        let mut w = vec![0.0; k];
        let even_ties = |scores: &[f64], w: &mut [f64], mass: f64| {
            let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let ties = scores.iter().filter(|&&s| s == best).count() as f64;
            for (wi, &s) in w.iter_mut().zip(scores) {
                if s == best {
                    *wi += mass / ties;
                }
            }
        };
        match self.policy {
            Policy::Ucb1(p) => {
                let scores = ucb1_scores(&p, &self.arms, &cands);
                even_ties(&scores, &mut w, 1.0);
            }
            Policy::EpsilonGreedy(p) => {
                let eps = p.epsilon_at(self.decisions);
                let scores: Vec<f64> = cands.iter().map(|&i| self.arms[i].mean()).collect();
                w.iter_mut().for_each(|wi| *wi = eps / k as f64);
                even_ties(&scores, &mut w, 1.0 - eps);
            }
            Policy::Softmax(p) => {
                softmax(&p, &self.arms, &cands, &mut w);
            }
            Policy::LinUcb(p) => {
                let x = x.ok_or_else(|| Error::Internal("LinUCB without a checked context".into()))?;
                let mut s = vec![0.0; p.dim];
                let scores: Vec<f64> = cands.iter().map(|&i| lin_ucb(&p, factors[i].as_ref(), x, &mut s)).collect();
                even_ties(&scores, &mut w, 1.0);
            }
            Policy::BetaThompson(_) | Policy::GaussianThompson(_) | Policy::LinThompson(_) | Policy::TopTwoThompson(_) => {
                if draws == 0 || draws > Self::MAX_DRAWS {
                    return Err(Error::OutOfRange { field: "draws".into(), value: draws as f64, min: 1.0, max: Self::MAX_DRAWS as f64 });
                }
                let mut rng = Stream::new(self.rng.state()?.seed, 1);
                let mut counts = vec![0usize; self.arms.len()];
                for _ in 0..draws {
                    counts[pick(&self.policy, &self.arms, &factors, &cands, x, self.decisions, &mut rng, &mut scratch, false)] += 1;
                }
                let floor = if let Policy::TopTwoThompson(p) = self.policy { p.floor } else { 0.0 };
                let share = 1.0 - k as f64 * floor;
                for (wi, &i) in w.iter_mut().zip(&cands) {
                    *wi = floor + share * counts[i] as f64 / draws as f64;
                }
            }
        }
        Ok(cands.iter().zip(w).map(|(&i, weight)| ArmWeight { arm: self.arms[i].id.clone(), weight }).collect())
    }

    /// The bandit as JSON (see the [module docs](self) for its shape); floats round-trip exactly.
    ///
    /// # Errors
    /// [`Error::Internal`] if serialisation fails (it does not for a valid bandit).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(format!("bandit to JSON: {e}")))
    }

    /// A bandit read back from [`Bandit::to_json`]'s output, checked as [`BanditSpec::build`]
    /// checks a new one.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `state`) for text that is not a stored bandit, with the
    /// parser's or the check's reason.
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| Error::param("state", format!("line {} column {}", e.line(), e.column()), e.to_string()))
    }
}

/// The stored form of a [`Bandit`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State<'a> {
    format: u32,
    policy: Policy,
    discount: f64,
    decisions: u64,
    updates: u64,
    rng: StreamState,
    arms: Cow<'a, [Arm]>,
}

impl Serialize for Bandit {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let rng = self.rng.state().map_err(serde::ser::Error::custom)?;
        State { format: FORMAT, policy: self.policy, discount: self.discount, decisions: self.decisions, updates: self.updates, rng, arms: Cow::Borrowed(&self.arms) }
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Bandit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = State::deserialize(d)?;
        Bandit::from_state(s).map_err(serde::de::Error::custom)
    }
}

impl Bandit {
    fn from_state(s: State<'_>) -> Result<Self> {
        if s.format != FORMAT {
            return Err(Error::param("format", s.format, format!("this version reads format {FORMAT}")));
        }
        s.policy.validate()?;
        check_discount(s.discount)?;
        let d = s.policy.dim();
        let arms = s.arms.into_owned();
        for (i, a) in arms.iter().enumerate() {
            if a.id.is_empty() || arms[..i].iter().any(|b| b.id == a.id) {
                return Err(Error::param(format!("arms[{i}].id"), &a.id, "empty or repeated"));
            }
            check_range(format!("arms[{i}].n"), a.n, 0.0, f64::MAX)?;
            check_range(format!("arms[{i}].sum"), a.sum, -f64::MAX, f64::MAX)?;
            check_range(format!("arms[{i}].sum_sq"), a.sum_sq, 0.0, f64::MAX)?;
            if a.xtx.len() != d * d {
                return Err(Error::LengthMismatch { field: format!("arms[{i}].xtx"), expected: d * d, got: a.xtx.len() });
            }
            if a.xty.len() != d {
                return Err(Error::LengthMismatch { field: format!("arms[{i}].xty"), expected: d, got: a.xty.len() });
            }
            if let Some(v) = a.xtx.iter().chain(&a.xty).find(|v| !v.is_finite()) {
                return Err(Error::NonFinite { field: format!("arms[{i}].xtx"), value: *v });
            }
        }
        Ok(Bandit {
            policy: s.policy,
            discount: s.discount,
            decisions: s.decisions,
            updates: s.updates,
            rng: Stream::from_state(s.rng),
            factors: vec![None; arms.len()],
            arms,
            scratch: Vec::new(),
        })
    }
}

/// UCB1 scores of `cands`: untried arms +inf, else `mean + alpha sqrt(2 ln N / n)` with N the
/// rewards of all arms (at least 1).
fn ucb1_scores(p: &Ucb1, arms: &[Arm], cands: &[usize]) -> Vec<f64> {
    let total: f64 = arms.iter().map(|a| a.n).sum::<f64>().max(1.0);
    let ln = 2.0 * libm::log(total);
    cands.iter().map(|&i| {
        let a = &arms[i];
        if a.n > 0.0 { a.mean() + p.alpha * (ln / a.n).sqrt() } else { f64::INFINITY }
    }).collect()
}

/// Softmax probabilities of `cands` into `w`.
fn softmax(p: &Softmax, arms: &[Arm], cands: &[usize], w: &mut [f64]) {
    let best = cands.iter().map(|&i| arms[i].mean()).fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for (wi, &i) in w.iter_mut().zip(cands) {
        *wi = libm::exp((arms[i].mean() - best) / p.tau);
        total += *wi;
    }
    w.iter_mut().for_each(|wi| *wi /= total);
}

fn lin_ucb(p: &Linear, f: Option<&Factor>, x: &[f64], scratch: &mut [f64]) -> f64 {
    f.map_or(f64::NEG_INFINITY, |f| f.mean(x) + p.alpha * f.width(x, scratch))
}

/// A Normal-Gamma posterior draw of the arm's mean.
fn gaussian_draw(p: &GaussianThompson, a: &Arm, rng: &mut Stream) -> f64 {
    let kn = p.count + a.n;
    let mn = (p.count * p.mean + a.sum) / kn;
    let (ss, dev) = if a.n > 0.0 {
        let m = a.sum / a.n;
        ((a.sum_sq - a.sum * m).max(0.0), m - p.mean)
    } else {
        (0.0, 0.0)
    };
    let rate = p.rate + 0.5 * ss + p.count * a.n * dev * dev / (2.0 * kn);
    let ln_precision = rng.ln_gamma(p.shape + 0.5 * a.n) - libm::log(rate);
    let sd = libm::exp(-0.5 * (libm::log(kn) + ln_precision));
    mn + sd * rng.normal()
}

/// Index (into `cands`) of the largest score, ties broken uniformly from `rng`; NaN never wins.
fn argmax(scores: &[f64], rng: &mut Stream) -> usize {
    let mut best = 0;
    let mut ties = 0usize;
    for (j, &s) in scores.iter().enumerate() {
        let b = scores[best];
        if s > b || (b.is_nan() && !s.is_nan()) {
            best = j;
            ties = 1;
        } else if s == b {
            ties += 1;
            if ties > 1 && rng.index(ties) == 0 {
                best = j;
            }
        }
    }
    best
}

/// One decision: the arm index (into `arms`) the policy plays among `cands`. `floor` off leaves
/// out top-two's uniform share (the weights add it exactly). Factors of the candidates of a
/// linear policy are present.
#[allow(clippy::too_many_arguments)]
fn pick(policy: &Policy, arms: &[Arm], factors: &[Option<Factor>], cands: &[usize], x: Option<&[f64]>, t: u64, rng: &mut Stream, scores: &mut Vec<f64>, floor: bool) -> usize {
    scores.clear();
    let k = cands.len();
    let j = match policy {
        Policy::BetaThompson(p) => {
            scores.extend(cands.iter().map(|&i| beta_draw(p.alpha, p.beta, &arms[i], rng)));
            argmax(scores, rng)
        }
        Policy::GaussianThompson(p) => {
            scores.extend(cands.iter().map(|&i| gaussian_draw(p, &arms[i], rng)));
            argmax(scores, rng)
        }
        Policy::Ucb1(p) => {
            scores.extend(ucb1_scores(p, arms, cands));
            argmax(scores, rng)
        }
        Policy::EpsilonGreedy(p) => {
            if rng.uniform() < p.epsilon_at(t) {
                rng.index(k)
            } else {
                scores.extend(cands.iter().map(|&i| arms[i].mean()));
                argmax(scores, rng)
            }
        }
        Policy::Softmax(p) => {
            scores.resize(k, 0.0);
            softmax(p, arms, cands, scores);
            let u = rng.uniform();
            let mut acc = 0.0;
            scores.iter().position(|&w| {
                acc += w;
                u < acc
            }).unwrap_or(k - 1)
        }
        Policy::LinUcb(p) => {
            let x = x.unwrap_or(&[]);
            let mut s = vec![0.0; p.dim];
            scores.extend(cands.iter().map(|&i| lin_ucb(p, factors[i].as_ref(), x, &mut s)));
            argmax(scores, rng)
        }
        Policy::LinThompson(p) => {
            let x = x.unwrap_or(&[]);
            let mut z = vec![0.0; p.dim];
            let mut work = vec![0.0; p.dim];
            for (n, &i) in cands.iter().enumerate() {
                if n == 0 || !p.shared_draw {
                    z.iter_mut().for_each(|v| *v = rng.normal());
                }
                work.copy_from_slice(&z);
                scores.push(factors[i].as_ref().map_or(f64::NEG_INFINITY, |f| f.drawn(x, p.alpha, &mut work)));
            }
            argmax(scores, rng)
        }
        Policy::TopTwoThompson(p) => {
            if floor && p.floor > 0.0 && rng.uniform() < p.floor * k as f64 {
                rng.index(k)
            } else {
                scores.extend(cands.iter().map(|&i| beta_draw(p.alpha, p.beta, &arms[i], rng)));
                let leader = argmax(scores, rng);
                if k == 1 || rng.uniform() < p.leader {
                    leader
                } else {
                    let mut challenger = leader;
                    for _ in 0..CHALLENGER_TRIES {
                        scores.clear();
                        scores.extend(cands.iter().map(|&i| beta_draw(p.alpha, p.beta, &arms[i], rng)));
                        challenger = argmax(scores, rng);
                        if challenger != leader {
                            break;
                        }
                    }
                    if challenger == leader {
                        scores[leader] = f64::NEG_INFINITY;
                        challenger = argmax(scores, rng);
                    }
                    challenger
                }
            }
        }
    };
    cands[j]
}

fn beta_draw(alpha: f64, beta: f64, a: &Arm, rng: &mut Stream) -> f64 {
    rng.beta(alpha + a.sum, beta + (a.n - a.sum).max(0.0))
}
