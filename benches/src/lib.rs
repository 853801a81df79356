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

/// A seeded weekly media-mix data set: `rows` weeks, `channels` channels with geometric
/// adstock and logistic curves of known parameters, two controls and yearly seasonality.
/// Returns the data and each channel's true share of the media contribution.
pub fn synthetic_mmm(rows: usize, channels: usize, seed: u64) -> (channelwise::optimize::mmm::MmmData, Vec<f64>) {
    use channelwise::optimize::mmm::MmmData;
    use channelwise::optimize::response::{Adstock, Saturation};
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = MmmData::new(Vec::new());
    let mut media = vec![0.0; rows];
    let mut totals = Vec::new();
    for c in 0..channels {
        let level = rng.random_range(20.0..200.0);
        let spend: Vec<f64> = (0..rows)
            .map(|t| {
                let on = rng.random::<f64>() < 0.85;
                if on { level * (0.5 + rng.random::<f64>()) * (1.0 + 0.3 * ((t as f64) / 9.0 + c as f64).sin()) } else { 0.0 }
            })
            .collect();
        let alpha = rng.random_range(0.1..0.7);
        let lam = rng.random_range(1.0..4.0);
        let beta = rng.random_range(0.05..0.25);
        let max = spend.iter().fold(0.0f64, |m, v| m.max(*v));
        let scaled: Vec<f64> = spend.iter().map(|v| v / max).collect();
        let a = Adstock::Geometric { alpha, l_max: 8, normalize: true };
        let s = Saturation::Logistic { lam, beta };
        let ad = a.apply(&scaled, &[]).unwrap_or_default();
        let contrib: Vec<f64> = ad.iter().map(|&v| 1000.0 * s.value(v)).collect();
        totals.push(contrib.iter().sum::<f64>());
        for (m, v) in media.iter_mut().zip(&contrib) {
            *m += v;
        }
        data = data.channel(format!("channel_{c:02}"), spend);
    }
    let price: Vec<f64> = (0..rows).map(|_| rng.random_range(9.0..11.0)).collect();
    let promo: Vec<f64> = (0..rows).map(|_| f64::from(u8::from(rng.random::<f64>() < 0.1))).collect();
    let y: Vec<f64> = (0..rows)
        .map(|t| {
            let season = 60.0 * (2.0 * std::f64::consts::PI * t as f64 / 52.1775).sin() + 25.0 * (4.0 * std::f64::consts::PI * t as f64 / 52.1775).cos();
            let noise: f64 = rng.random_range(-1.0..1.0) + rng.random_range(-1.0..1.0) + rng.random_range(-1.0..1.0);
            1000.0 + 0.5 * t as f64 + season - 20.0 * (price[t] - 10.0) + 40.0 * promo[t] + media[t] + 15.0 * noise
        })
        .collect();
    data.target = y;
    let data = data.control("price", price).control("promo", promo);
    let all: f64 = totals.iter().sum();
    (data, totals.iter().map(|t| t / all).collect())
}

/// A seeded budget-allocation problem: `channels` channels with upper bounds, and a budget of
/// 30% of their sum. `s_curve = false`: concave curves in turn logistic, Michaelis-Menten and
/// Hill with slope in [0.3, 1]; `s_curve = true`: S-shaped Hill curves, slope in [2, 4].
/// Scales (`kappa`, `lam`, 2/`lam` of a logistic) in [50, 500], ceilings in [100, 1000], upper
/// bounds 2-5 scales, a lower bound of 5% of the upper on every fourth channel. Same seed,
/// same problem.
pub fn synthetic_budget(channels: usize, s_curve: bool, seed: u64) -> (Vec<channelwise::optimize::budget::ChannelBudget>, f64) {
    use channelwise::optimize::budget::ChannelBudget;
    use channelwise::optimize::response::Saturation;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(channels);
    let mut most = 0.0;
    for c in 0..channels {
        let scale: f64 = rng.random_range(50.0..500.0);
        let top: f64 = rng.random_range(100.0..1000.0);
        let curve = if s_curve {
            Saturation::Hill { slope: rng.random_range(2.0..4.0), kappa: scale, beta: top }
        } else {
            match c % 3 {
                0 => Saturation::Logistic { lam: 2.0 / scale, beta: top },
                1 => Saturation::MichaelisMenten { alpha: top, lam: scale },
                _ => Saturation::Hill { slope: rng.random_range(0.3..1.0), kappa: scale, beta: top },
            }
        };
        let upper = scale * rng.random_range(2.0..5.0);
        let lower = if c % 4 == 3 { 0.05 * upper } else { 0.0 };
        most += upper;
        out.push(ChannelBudget::new(format!("channel_{c:05}"), curve).lower(lower).upper(upper));
    }
    (out, 0.3 * most)
}

/// The `main` of the comparison CLIs (`cw-attribution`, `cw-scale`, ...): runs `run` on the
/// arguments, prints its JSON on success, or `name: error` on stderr with a failing exit code.
pub fn cli_main(name: &str, run: fn(&[String]) -> Result<serde_json::Value, String>) -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(v) => {
            println!("{v}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
