//! The policies' parameters: one plain struct per policy with its defaults and consuming setters,
//! checked once when the bandit is built (and again when a stored bandit is read).

use serde::{Deserialize, Serialize};

use crate::error::check_range;
use crate::{Error, Result};

/// Consuming setters `fn field(self, value) -> Self` for a parameter struct.
macro_rules! setters {
    ($t:ident { $($(#[$doc:meta])* $f:ident: $ty:ty),* $(,)? }) => {
        impl $t {$(
            $(#[$doc])*
            pub fn $f(mut self, $f: $ty) -> Self {
                self.$f = $f;
                self
            }
        )*}
    };
}

/// The largest context length a linear policy takes (each arm stores a `dim x dim` matrix).
pub const MAX_DIM: usize = 1024;

/// Checks that `value` is finite and greater than 0.
fn positive(field: &str, value: f64) -> Result<()> {
    check_range(field, value, 0.0, f64::INFINITY)?;
    if value == 0.0 {
        return Err(Error::param(field, value, "must be greater than 0"));
    }
    Ok(())
}

/// Beta-Bernoulli Thompson sampling: each arm's success rate has a Beta posterior; a decision
/// draws once from each and plays the largest draw (mabwiser's `ThompsonSampling`, whose prior is
/// Beta(1, 1)). Rewards must lie in [0, 1]; a reward `r` adds `r` successes and `1 - r` failures.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `alpha` | 1 | prior successes of every arm | (0, inf) |
/// | `beta` | 1 | prior failures of every arm | (0, inf) |
///
/// ```
/// use channelwise::experiment::bandit::BetaThompson;
/// let p = BetaThompson::default().alpha(2.0).beta(8.0);
/// assert_eq!((p.alpha, p.beta), (2.0, 8.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BetaThompson {
    /// Prior successes.
    pub alpha: f64,
    /// Prior failures.
    pub beta: f64,
}

impl Default for BetaThompson {
    fn default() -> Self {
        BetaThompson { alpha: 1.0, beta: 1.0 }
    }
}

setters!(BetaThompson {
    /// Sets the prior successes.
    alpha: f64,
    /// Sets the prior failures.
    beta: f64,
});

impl BetaThompson {
    fn validate(&self) -> Result<()> {
        positive("alpha", self.alpha)?;
        positive("beta", self.beta)
    }
}

/// Gaussian Thompson sampling with unknown mean and variance: each arm's rewards are Normal with a
/// Normal-Gamma prior (mean `mean`, worth `count` observations; precision Gamma(`shape`, rate
/// `rate`)); a decision draws a precision, then a mean, for each arm and plays the largest mean.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `mean` | 0 | prior mean reward | finite |
/// | `count` | 1 | observations the prior mean is worth | (0, inf) |
/// | `shape` | 1 | shape of the precision's Gamma prior | (0, inf) |
/// | `rate` | 1 | rate of the precision's Gamma prior (about shape x the prior variance) | (0, inf) |
///
/// ```
/// use channelwise::experiment::bandit::GaussianThompson;
/// let p = GaussianThompson::default().mean(10.0).rate(25.0);
/// assert_eq!((p.mean, p.count, p.shape, p.rate), (10.0, 1.0, 1.0, 25.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaussianThompson {
    /// Prior mean reward.
    pub mean: f64,
    /// Observations the prior mean is worth.
    pub count: f64,
    /// Shape of the precision's Gamma prior.
    pub shape: f64,
    /// Rate of the precision's Gamma prior.
    pub rate: f64,
}

impl Default for GaussianThompson {
    fn default() -> Self {
        GaussianThompson { mean: 0.0, count: 1.0, shape: 1.0, rate: 1.0 }
    }
}

setters!(GaussianThompson {
    /// Sets the prior mean.
    mean: f64,
    /// Sets the observations the prior mean is worth.
    count: f64,
    /// Sets the shape of the precision's prior.
    shape: f64,
    /// Sets the rate of the precision's prior.
    rate: f64,
});

impl GaussianThompson {
    fn validate(&self) -> Result<()> {
        check_range("mean", self.mean, -f64::MAX, f64::MAX)?;
        positive("count", self.count)?;
        positive("shape", self.shape)?;
        positive("rate", self.rate)
    }
}

/// UCB1: play the arm with the largest `mean + alpha * sqrt(2 ln N / n)` (N decisions rewarded
/// so far, n of them on the arm); arms never rewarded come first (mabwiser's `UCB1` scores them 0
/// instead, so it may never try an arm).
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `alpha` | 1 | weight of the exploration bonus | [0, inf) |
///
/// ```
/// use channelwise::experiment::bandit::Ucb1;
/// assert_eq!(Ucb1::default().alpha(0.5).alpha, 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ucb1 {
    /// Weight of the exploration bonus.
    pub alpha: f64,
}

impl Default for Ucb1 {
    fn default() -> Self {
        Ucb1 { alpha: 1.0 }
    }
}

setters!(Ucb1 {
    /// Sets the weight of the exploration bonus.
    alpha: f64,
});

impl Ucb1 {
    fn validate(&self) -> Result<()> {
        check_range("alpha", self.alpha, 0.0, f64::MAX).map(drop)
    }
}

/// Epsilon-greedy with decay: at decision `t` (0, 1, ...) explore, uniformly over the available
/// arms, with probability `epsilon / (1 + decay * t)`, else play the best mean (arms never
/// rewarded count as mean 0, as in mabwiser). `decay = 0` is mabwiser's `EpsilonGreedy`.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `epsilon` | 0.1 | probability of exploring at the first decision | [0, 1] |
/// | `decay` | 0 | how fast exploration fades: epsilon / (1 + decay t) | [0, inf) |
///
/// ```
/// use channelwise::experiment::bandit::EpsilonGreedy;
/// let p = EpsilonGreedy::default().epsilon(0.2).decay(0.01);
/// assert_eq!(p.epsilon_at(100), 0.1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpsilonGreedy {
    /// Probability of exploring at the first decision.
    pub epsilon: f64,
    /// Decay of the exploration probability.
    pub decay: f64,
}

impl Default for EpsilonGreedy {
    fn default() -> Self {
        EpsilonGreedy { epsilon: 0.1, decay: 0.0 }
    }
}

setters!(EpsilonGreedy {
    /// Sets the probability of exploring at the first decision.
    epsilon: f64,
    /// Sets the decay.
    decay: f64,
});

impl EpsilonGreedy {
    /// The probability of exploring at decision `t` (counting from 0).
    pub fn epsilon_at(&self, t: u64) -> f64 {
        self.epsilon / (1.0 + self.decay * t as f64)
    }

    fn validate(&self) -> Result<()> {
        check_range("epsilon", self.epsilon, 0.0, 1.0)?;
        check_range("decay", self.decay, 0.0, f64::MAX).map(drop)
    }
}

/// Softmax (Boltzmann) exploration: play arm `i` with probability proportional to
/// `exp(mean_i / tau)` (arms never rewarded count as mean 0). mabwiser's `Softmax` instead draws a
/// Dirichlet with these probabilities as concentrations and plays its largest component.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `tau` | 1 | temperature: larger explores more | (0, inf) |
///
/// ```
/// use channelwise::experiment::bandit::Softmax;
/// assert_eq!(Softmax::default().tau(0.1).tau, 0.1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Softmax {
    /// Temperature.
    pub tau: f64,
}

impl Default for Softmax {
    fn default() -> Self {
        Softmax { tau: 1.0 }
    }
}

setters!(Softmax {
    /// Sets the temperature.
    tau: f64,
});

impl Softmax {
    fn validate(&self) -> Result<()> {
        positive("tau", self.tau)
    }
}

/// A linear policy's parameters: per arm a ridge regression of reward on a context of `dim`
/// numbers, `A = X'X + l2 I`, `theta = A^-1 X'y` (mabwiser's `LinUCB` / `LinTS`, `scale=False`).
///
/// With [`Policy::LinUcb`] an arm scores `x'theta + alpha sqrt(x' A^-1 x)`; with
/// [`Policy::LinThompson`] it scores `x'theta~` for a draw `theta~ ~ N(theta, alpha^2 A^-1)`, made
/// as `theta + alpha L^-T z` from the Cholesky factor `A = L L'` and standard normals `z` (the
/// Cholesky route mabwiser found reproducible across platforms).
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `dim` | (required) | length of every context | 1 ..= 1024 |
/// | `alpha` | 1 | exploration: width of the bonus or of the draw | [0, inf) |
/// | `l2` | 1 | ridge penalty (prior precision of the coefficients) | (0, inf) |
/// | `shared_draw` | false | linear Thompson only: one `z` for all arms at a decision, not one per arm | bool |
///
/// `shared_draw = true` is what mabwiser 2.7.4's `LinTS` does in effect (each arm's model holds
/// its own deep copy of one random generator, all at the same state, so every arm draws the same
/// normals); it explores less than independent draws, which helps when `alpha` overstates the
/// noise (`benches/compare/README.md`). The default draws each arm's posterior independently.
///
/// ```
/// use channelwise::experiment::bandit::Linear;
/// let p = Linear::new(5).alpha(0.5);
/// assert_eq!((p.dim, p.alpha, p.l2), (5, 0.5, 1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    /// Length of every context.
    pub dim: usize,
    /// Exploration.
    pub alpha: f64,
    /// Ridge penalty.
    pub l2: f64,
    /// Linear Thompson only: one normal vector for all arms at a decision.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared_draw: bool,
}

setters!(Linear {
    /// Sets the exploration.
    alpha: f64,
    /// Sets the ridge penalty.
    l2: f64,
    /// Sets whether linear Thompson draws one normal vector for all arms.
    shared_draw: bool,
});

impl Linear {
    /// A linear policy on contexts of `dim` numbers, with `alpha = 1` and `l2 = 1`.
    pub fn new(dim: usize) -> Self {
        Linear { dim, alpha: 1.0, l2: 1.0, shared_draw: false }
    }

    fn validate(&self) -> Result<()> {
        if self.dim == 0 || self.dim > MAX_DIM {
            return Err(Error::OutOfRange { field: "dim".into(), value: self.dim as f64, min: 1.0, max: MAX_DIM as f64 });
        }
        check_range("alpha", self.alpha, 0.0, f64::MAX)?;
        positive("l2", self.l2)
    }
}

/// Top-two Thompson sampling (Russo 2020) on Beta-Bernoulli posteriors, for traffic weights:
/// draw from the posteriors; with probability `leader` play the arm with the largest draw, else
/// draw again until another arm leads and play that challenger. Every available arm keeps at least
/// `floor` of the traffic: with probability `k * floor` (k arms available) the decision is
/// uniform, so each arm's weight is `floor + (1 - k floor) p_i`. Rewards must lie in [0, 1].
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `alpha` | 1 | prior successes of every arm | (0, inf) |
/// | `beta` | 1 | prior failures of every arm | (0, inf) |
/// | `leader` | 0.5 | probability of playing the leader rather than a challenger | [0, 1] |
/// | `floor` | 0 | least share of traffic of every available arm | [0, 1 / arms available] |
///
/// ```
/// use channelwise::experiment::bandit::TopTwoThompson;
/// let p = TopTwoThompson::default().floor(0.05);
/// assert_eq!((p.leader, p.floor), (0.5, 0.05));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopTwoThompson {
    /// Prior successes.
    pub alpha: f64,
    /// Prior failures.
    pub beta: f64,
    /// Probability of playing the leader.
    pub leader: f64,
    /// Least share of traffic of every available arm.
    pub floor: f64,
}

impl Default for TopTwoThompson {
    fn default() -> Self {
        TopTwoThompson { alpha: 1.0, beta: 1.0, leader: 0.5, floor: 0.0 }
    }
}

setters!(TopTwoThompson {
    /// Sets the prior successes.
    alpha: f64,
    /// Sets the prior failures.
    beta: f64,
    /// Sets the probability of playing the leader.
    leader: f64,
    /// Sets the least share of traffic of every available arm.
    floor: f64,
});

impl TopTwoThompson {
    fn validate(&self) -> Result<()> {
        positive("alpha", self.alpha)?;
        positive("beta", self.beta)?;
        check_range("leader", self.leader, 0.0, 1.0)?;
        check_range("floor", self.floor, 0.0, 1.0).map(drop)
    }
}

/// A bandit policy and its parameters. Serialises with a `"name"` tag:
/// `{"name": "ucb1", "alpha": 1.0}`.
///
/// ```
/// use channelwise::experiment::bandit::{Linear, Policy};
/// assert_eq!(Policy::from(Linear::new(3)).dim(), 3);
/// assert!(Policy::thompson().is_bernoulli());
/// assert_eq!(Policy::ucb1().name(), "ucb1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Policy {
    /// Beta-Bernoulli Thompson sampling.
    BetaThompson(BetaThompson),
    /// Normal-Gamma Thompson sampling.
    GaussianThompson(GaussianThompson),
    /// UCB1.
    Ucb1(Ucb1),
    /// Epsilon-greedy with decay.
    EpsilonGreedy(EpsilonGreedy),
    /// Softmax exploration.
    Softmax(Softmax),
    /// LinUCB.
    LinUcb(Linear),
    /// Linear Thompson sampling.
    LinThompson(Linear),
    /// Top-two Thompson sampling with a traffic floor.
    TopTwoThompson(TopTwoThompson),
}

impl Policy {
    /// Beta-Bernoulli Thompson sampling with a Beta(1, 1) prior.
    pub fn thompson() -> Self {
        Policy::BetaThompson(BetaThompson::default())
    }

    /// UCB1 with `alpha = 1`.
    pub fn ucb1() -> Self {
        Policy::Ucb1(Ucb1::default())
    }

    /// The policy's name, as in its serialised `"name"` tag.
    pub fn name(&self) -> &'static str {
        match self {
            Policy::BetaThompson(_) => "beta_thompson",
            Policy::GaussianThompson(_) => "gaussian_thompson",
            Policy::Ucb1(_) => "ucb1",
            Policy::EpsilonGreedy(_) => "epsilon_greedy",
            Policy::Softmax(_) => "softmax",
            Policy::LinUcb(_) => "lin_ucb",
            Policy::LinThompson(_) => "lin_thompson",
            Policy::TopTwoThompson(_) => "top_two_thompson",
        }
    }

    /// The context length a decision needs: 0 for the context-free policies.
    pub fn dim(&self) -> usize {
        match self {
            Policy::LinUcb(p) | Policy::LinThompson(p) => p.dim,
            _ => 0,
        }
    }

    /// Whether rewards must lie in [0, 1] (the Beta-Bernoulli policies).
    pub fn is_bernoulli(&self) -> bool {
        matches!(self, Policy::BetaThompson(_) | Policy::TopTwoThompson(_))
    }

    /// Checks every parameter against its range.
    ///
    /// # Errors
    /// [`Error::OutOfRange`], [`Error::NonFinite`] or [`Error::InvalidParameter`] naming the first
    /// parameter out of its range (see each policy's table).
    pub fn validate(&self) -> Result<()> {
        match self {
            Policy::BetaThompson(p) => p.validate(),
            Policy::GaussianThompson(p) => p.validate(),
            Policy::Ucb1(p) => p.validate(),
            Policy::EpsilonGreedy(p) => p.validate(),
            Policy::Softmax(p) => p.validate(),
            Policy::LinUcb(p) | Policy::LinThompson(p) => p.validate(),
            Policy::TopTwoThompson(p) => p.validate(),
        }
    }
}

macro_rules! from_params {
    ($($t:ident => $v:ident),*) => {$(
        impl From<$t> for Policy {
            fn from(p: $t) -> Self {
                Policy::$v(p)
            }
        }
    )*};
}
from_params!(BetaThompson => BetaThompson, GaussianThompson => GaussianThompson, Ucb1 => Ucb1,
    EpsilonGreedy => EpsilonGreedy, Softmax => Softmax, TopTwoThompson => TopTwoThompson);

/// A [`Linear`] parameter set becomes [`Policy::LinUcb`]; use [`Policy::LinThompson`] for
/// linear Thompson sampling.
impl From<Linear> for Policy {
    fn from(p: Linear) -> Self {
        Policy::LinUcb(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn bounds_name_field_and_value() {
        let e = Policy::from(EpsilonGreedy::default().epsilon(1.5)).validate().unwrap_err();
        assert_eq!(e.to_string(), "epsilon must be in [0, 1], got 1.5");
        let e = Policy::from(EpsilonGreedy::default().epsilon(-0.1)).validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let e = Policy::from(Softmax::default().tau(0.0)).validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert!(e.to_string().contains("tau"));
        let e = Policy::from(BetaThompson::default().beta(f64::NAN)).validate().unwrap_err();
        assert_eq!(e.to_string(), "beta must be finite, got NaN");
        let e = Policy::LinThompson(Linear::new(0)).validate().unwrap_err();
        assert_eq!(e.to_string(), "dim must be in [1, 1024], got 0");
        assert!(Policy::LinThompson(Linear::new(1024)).validate().is_ok());
        assert!(Policy::from(Linear::new(2).l2(0.0)).validate().is_err());
        assert!(Policy::from(Ucb1::default().alpha(0.0)).validate().is_ok());
        assert!(Policy::from(TopTwoThompson::default().leader(1.01)).validate().is_err());
        assert!(Policy::from(TopTwoThompson::default().floor(1.0)).validate().is_ok());
        assert!(Policy::from(GaussianThompson::default().mean(f64::INFINITY)).validate().is_err());
    }

    #[test]
    fn serialises_with_a_name_tag() {
        let p = Policy::from(EpsilonGreedy::default().decay(0.5));
        let s = serde_json::to_string(&p).unwrap();
        assert_eq!(s, r#"{"name":"epsilon_greedy","epsilon":0.1,"decay":0.5}"#);
        assert_eq!(serde_json::from_str::<Policy>(&s).unwrap(), p);
        assert!(serde_json::from_str::<Policy>(r#"{"name":"ucb1","alpha":1,"beta":2}"#).is_err());
    }
}
