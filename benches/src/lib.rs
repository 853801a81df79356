//! Shared pieces of the channelwise benchmarks: a seeded generator of path tables.

use channelwise::journey::{PathTable, PathTableBuilder};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashSet;

/// `n` distinct paths over `channels` channels (lengths 1-10, Zipf-like channel popularity),
/// with conversions and nulls that depend on the channels touched. Same seed, same table.
pub fn synthetic_table(n: usize, channels: usize, seed: u64) -> PathTable {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut b = PathTableBuilder::new();
    for c in 0..channels {
        b.intern(&format!("channel_{c:02}"));
    }
    // Zipf(1) popularity as a cumulative table.
    let w: Vec<f64> = (1..=channels).map(|k| 1.0 / k as f64).collect();
    let total: f64 = w.iter().sum();
    let cdf: Vec<f64> = w.iter().scan(0.0, |s, x| { *s += x / total; Some(*s) }).collect();
    let lift: Vec<f64> = (0..channels).map(|c| 0.02 + 0.06 * ((c * 7 % channels) as f64 / channels as f64)).collect();
    let mut seen: FxHashSet<Vec<u32>> = FxHashSet::default();
    let mut path = Vec::with_capacity(10);
    while seen.len() < n {
        path.clear();
        let len = rng.random_range(1..=10);
        for _ in 0..len {
            let u: f64 = rng.random();
            let c = cdf.iter().position(|&x| u <= x).unwrap_or(channels - 1);
            path.push(c as u32);
        }
        if !seen.insert(path.clone()) {
            continue;
        }
        let p: f64 = 1.0 - path.iter().map(|&c| 1.0 - lift[c as usize]).product::<f64>();
        let journeys = rng.random_range(1..=40u32);
        let conv = (0..journeys).filter(|_| rng.random::<f64>() < p).count() as f64;
        let nulls = f64::from(journeys) - conv;
        let value = conv * rng.random_range(20.0..120.0);
        // The generator only produces valid rows; push_ids cannot fail here.
        if b.push_ids(&path, conv, nulls, value, None).is_err() {
            unreachable!("generated rows are valid");
        }
    }
    b.finish()
}
