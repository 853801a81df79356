//! The channelwise side of `benches/compare/iforest.py`: reads a matrix of little-endian f64
//! (row-major, as `numpy.ndarray.astype('<f8').tofile` writes it), fits an isolation forest and
//! scores the same rows, timing each step in-process; prints JSON and optionally writes the scores
//! (raw f64) for the script to compute AUCs.
//!
//! `cw-iforest <x.f64> --n-features K [--n-estimators 100] [--max-samples auto|N|0.F]
//!  [--contamination auto|F] [--seed S] [--repeat R] [--scores-out scores.f64]`
//!
//! Timings are the best of `--repeat` runs (default 1): wall clock per step, and the process CPU
//! time (all threads, from `/proc/self/stat`, 10 ms ticks) of fit + score, which is what to
//! compare on a machine shared with other jobs. Threads: rayon's pool, set with
//! `RAYON_NUM_THREADS`.

use std::process::ExitCode;
use std::time::Instant;

use channelwise::anomaly::{Contamination, IsolationForest, MaxSamples};
use serde_json::{json, Value};

fn run(args: &[String]) -> Result<Value, String> {
    let file = args.first().ok_or("usage: cw-iforest <x.f64> --n-features K [options]")?;
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let parse = |name: &str, default: &str| -> Result<String, String> { Ok(flag(name).unwrap_or_else(|| default.into())) };
    let nf: usize = parse("--n-features", "")?.parse().map_err(|e| format!("--n-features: {e}"))?;
    let n_estimators: usize = parse("--n-estimators", "100")?.parse().map_err(|e| format!("--n-estimators: {e}"))?;
    let seed: u64 = parse("--seed", "0")?.parse().map_err(|e| format!("--seed: {e}"))?;
    let repeat: usize = parse("--repeat", "1")?.parse().map_err(|e| format!("--repeat: {e}"))?;
    let max_samples = match parse("--max-samples", "auto")?.as_str() {
        "auto" => MaxSamples::Auto,
        s if s.contains('.') => MaxSamples::Fraction(s.parse().map_err(|e| format!("--max-samples: {e}"))?),
        s => MaxSamples::Count(s.parse().map_err(|e| format!("--max-samples: {e}"))?),
    };
    let contamination = match parse("--contamination", "auto")?.as_str() {
        "auto" => Contamination::Auto,
        s => Contamination::Fraction(s.parse().map_err(|e| format!("--contamination: {e}"))?),
    };

    let t0 = Instant::now();
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let x: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("chunks_exact(8) yields 8 bytes")))
        .collect();
    let load = t0.elapsed().as_secs_f64();

    let forest = IsolationForest::default()
        .n_estimators(n_estimators)
        .max_samples(max_samples)
        .contamination(contamination)
        .seed(seed);
    let (mut fit_s, mut score_s, mut cpu_s) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let c0 = cpu_seconds();
        let t = Instant::now();
        let model = forest.fit(&x, nf).map_err(|e| e.to_string())?;
        fit_s = fit_s.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let scores = model.score_samples(&x, nf).map_err(|e| e.to_string())?;
        score_s = score_s.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            cpu_s = cpu_s.min(b - a);
        }
        last = Some((model, scores));
    }
    let (model, scores) = last.ok_or("no run")?;
    if let Some(out) = flag("--scores-out") {
        let raw: Vec<u8> = scores.iter().flat_map(|s| s.to_le_bytes()).collect();
        std::fs::write(&out, raw).map_err(|e| format!("{out}: {e}"))?;
    }
    let n_flagged = scores.iter().filter(|&&s| s - model.offset() < 0.0).count();
    Ok(json!({
        "rows": x.len() / nf.max(1), "n_features": nf, "load_seconds": load,
        "fit_seconds": fit_s, "score_seconds": score_s, "total_seconds": fit_s + score_s,
        "cpu_seconds": if cpu_s.is_finite() { Some(cpu_s) } else { None },
        "offset": model.offset(), "n_flagged": n_flagged, "max_samples": model.max_samples(),
        "rayon_num_threads": std::env::var("RAYON_NUM_THREADS").ok(),
    }))
}

/// User + system CPU time of this process (all threads), from `/proc/self/stat` (Linux; clock
/// ticks of 1/100 s). `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() -> ExitCode {
    channelwise_benches::cli_main("cw-iforest", run)
}
