//! The bandit's random stream: ChaCha8 from a `u64` seed, stored as seed + word position so a
//! saved bandit resumes bit for bit, with samplers written on [`libm`] so the same seed gives the
//! same draws on every platform (native, wasm32) rather than on whatever `ln` the system provides.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// 2^-53: the spacing of the 53-bit uniforms.
const TWO_M53: f64 = 1.0 / 9_007_199_254_740_992.0;

/// A seeded ChaCha8 stream that serialises as `{ "seed", "stream", "word_pos" }`.
#[derive(Debug, Clone)]
pub(crate) struct Stream {
    seed: u64,
    rng: ChaCha8Rng,
}

/// The stored form of a [`Stream`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StreamState {
    /// The seed given to `ChaCha8Rng::seed_from_u64`.
    pub(crate) seed: u64,
    /// The ChaCha stream (0 for decisions, 1 for the traffic weights' simulations).
    pub(crate) stream: u64,
    /// 32-bit words consumed so far (ChaCha8's 68-bit counter; a `u64` covers 2^64 words).
    pub(crate) word_pos: u64,
}

impl Stream {
    /// Stream `stream` of `seed`, at its start.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Stream { seed, rng }
    }

    /// The state to store.
    ///
    /// # Errors
    /// [`Error::Internal`] past 2^64 words (about 10^19 draws), which a bandit never reaches.
    pub(crate) fn state(&self) -> Result<StreamState> {
        let word_pos = u64::try_from(self.rng.get_word_pos())
            .map_err(|_| Error::Internal("bandit random stream beyond 2^64 words".into()))?;
        Ok(StreamState { seed: self.seed, stream: self.rng.get_stream(), word_pos })
    }

    /// The stream a stored state describes, positioned where it was.
    pub(crate) fn from_state(s: StreamState) -> Self {
        let mut out = Stream::new(s.seed, s.stream);
        out.rng.set_word_pos(u128::from(s.word_pos));
        out
    }

    /// Uniform on the open interval (0, 1): 53 random bits, centred in their cell.
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) * TWO_M53
    }

    /// Uniform index in `0..k` (`k >= 1`).
    pub(crate) fn index(&mut self, k: usize) -> usize {
        ((self.uniform() * k as f64) as usize).min(k.saturating_sub(1))
    }

    /// Standard normal by Marsaglia's polar method (`sqrt` is exact, `ln` is libm's).
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s < 1.0 && s > 0.0 {
                return u * (-2.0 * libm::log(s) / s).sqrt();
            }
        }
    }

    /// The logarithm of a Gamma(`shape`, 1) draw (`shape > 0`), by Marsaglia and Tsang (2000);
    /// for `shape < 1`, Gamma(shape + 1) times U^(1/shape), kept in logs so small shapes do not
    /// underflow to 0.
    pub(crate) fn ln_gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let boost = libm::log(self.uniform()) / shape;
            return self.ln_gamma(shape + 1.0) + boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            if libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
                return libm::log(d) + libm::log(v);
            }
        }
    }

    /// A Beta(`a`, `b`) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), formed from logs.
    pub(crate) fn beta(&mut self, a: f64, b: f64) -> f64 {
        let lx = self.ln_gamma(a);
        let ly = self.ln_gamma(b);
        let d = ly - lx;
        if d.is_nan() {
            return 0.5;
        }
        1.0 / (1.0 + libm::exp(d))
    }
}

impl PartialEq for Stream {
    fn eq(&self, other: &Self) -> bool {
        self.seed == other.seed && self.rng == other.rng
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_mid_stream() {
        let mut a = Stream::new(7, 0);
        for _ in 0..13 {
            a.normal();
        }
        let mut b = Stream::from_state(a.state().unwrap());
        assert_eq!(a, b);
        for _ in 0..100 {
            assert_eq!(a.uniform().to_bits(), b.uniform().to_bits());
        }
        assert_ne!(Stream::new(7, 1).uniform(), Stream::new(7, 0).uniform());
    }

    #[test]
    fn moments_of_the_samplers() {
        let mut s = Stream::new(1, 0);
        let n = 200_000;
        let (mut m, mut m2) = (0.0, 0.0);
        for _ in 0..n {
            let z = s.normal();
            m += z;
            m2 += z * z;
        }
        assert!((m / n as f64).abs() < 0.01 && (m2 / n as f64 - 1.0).abs() < 0.01);
        for shape in [0.3, 1.0, 4.5] {
            let mean: f64 = (0..n).map(|_| libm::exp(s.ln_gamma(shape))).sum::<f64>() / n as f64;
            assert!((mean / shape - 1.0).abs() < 0.02, "gamma({shape}) mean {mean}");
        }
        let mean: f64 = (0..n).map(|_| s.beta(2.0, 6.0)).sum::<f64>() / n as f64;
        assert!((mean - 0.25).abs() < 0.003, "beta mean {mean}");
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[s.index(3)] += 1;
        }
        assert!(counts.iter().all(|&c| (9_500..10_500).contains(&c)), "{counts:?}");
    }
}
