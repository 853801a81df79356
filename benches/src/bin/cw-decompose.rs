//! The channelwise side of `benches/compare/decompose.py`: reads a series (one number per line,
//! or a JSON array), fits STL or MSTL `--repeat` times in-process and prints JSON with the best
//! and all fit times (seconds, excluding reading) and the components of the last fit.
//!
//! `cw-decompose <file> --method stl|mstl [--period P] [--periods P1,P2] [--robust] [--repeat R]`

use std::process::ExitCode;
use std::time::Instant;

use channelwise::forecast::decompose::{Mstl, Stl};
use serde_json::{json, Value};

fn read_series(file: &str) -> Result<Vec<f64>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"));
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.parse::<f64>().map_err(|e| format!("{file}: {l:?}: {e}")))
        .collect()
}

fn run(args: &[String]) -> Result<Value, String> {
    let file = args.first().ok_or("usage: cw-decompose <file> --method stl|mstl [--period P] [--periods P1,P2] [--robust] [--repeat R]")?;
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let method = flag("--method").unwrap_or_else(|| "stl".into());
    let robust = args.iter().any(|a| a == "--robust");
    let repeat: usize = flag("--repeat").map_or(Ok(5), |s| s.parse()).map_err(|e| format!("--repeat: {e}"))?;
    let y = read_series(file)?;
    let mut times = Vec::with_capacity(repeat.max(1));
    let result = match method.as_str() {
        "stl" => {
            let period: usize = flag("--period").ok_or("--period missing")?.parse().map_err(|e| format!("--period: {e}"))?;
            let stl = Stl::new(period).robust(robust);
            let mut last = None;
            for _ in 0..repeat.max(1) {
                let t = Instant::now();
                let d = stl.fit(&y).map_err(|e| e.to_string())?;
                times.push(t.elapsed().as_secs_f64());
                last = Some(d);
            }
            let d = last.ok_or("no fit")?;
            json!({ "trend": d.trend, "seasonal": d.seasonal, "resid": d.resid, "weights": d.weights })
        }
        "mstl" => {
            let periods: Vec<usize> = flag("--periods")
                .ok_or("--periods missing")?
                .split(',')
                .map(|s| s.trim().parse::<usize>().map_err(|e| format!("--periods: {e}")))
                .collect::<Result<_, _>>()?;
            let m = Mstl::new(&periods).stl(Stl::new(2).robust(robust));
            let mut last = None;
            for _ in 0..repeat.max(1) {
                let t = Instant::now();
                let d = m.fit(&y).map_err(|e| e.to_string())?;
                times.push(t.elapsed().as_secs_f64());
                last = Some(d);
            }
            let d = last.ok_or("no fit")?;
            let mut o = json!({ "trend": d.trend, "resid": d.resid });
            for (p, s) in d.periods.iter().zip(&d.seasonal) {
                o[format!("seasonal_{p}")] = json!(s);
            }
            o
        }
        other => return Err(format!("unknown --method {other:?}")),
    };
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(json!({ "n": y.len(), "seconds": best, "seconds_all": times, "result": result }))
}

fn main() -> ExitCode {
    channelwise_benches::cli_main("cw-decompose", run)
}
