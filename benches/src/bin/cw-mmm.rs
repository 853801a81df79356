//! The media mix model for `benches/compare/mmm.py`.
//!
//! ```text
//! cw-mmm gen <rows> <channels> <seed> <out.csv>
//!     writes synthetic_mmm(rows, channels, seed) as CSV (week, y, channel_.., price, promo);
//!     prints {"shares": [true share per channel]}
//! cw-mmm fit <data.csv> [--repeat 3] [--draws 1000] [--seasonality 2] [--starts 4]
//!     every column named channel_* is a channel, price and promo (when present) controls,
//!     y the target; fits Mmm::default().yearly_seasonality(2) with Laplace intervals,
//!     best of --repeat; prints JSON: seconds, cpu_seconds, shares with intervals, ...
//! ```
//! `--draws 0` fits the point only (no intervals).

use std::time::Instant;

use channelwise::optimize::mmm::{Mmm, MmmData, Uncertainty};
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match args.first().map(String::as_str) {
        Some("gen") => generate(&args[1..]),
        Some("fit") => fit(&args[1..]),
        _ => Err("usage: cw-mmm gen <rows> <channels> <seed> <out.csv> | cw-mmm fit <data.csv> [--repeat N] [--draws N] [--seasonality K] [--starts N]".into()),
    };
    match out {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("cw-mmm: {e}");
            std::process::exit(2)
        }
    }
}

fn generate(a: &[String]) -> Result<serde_json::Value, String> {
    let num = |i: usize| a.get(i).and_then(|s| s.parse::<usize>().ok()).ok_or(format!("argument {} must be a number", i + 1));
    let (rows, channels, seed) = (num(0)?, num(1)?, num(2)?);
    let path = a.get(3).ok_or("missing <out.csv>")?;
    let (d, shares) = channelwise_benches::synthetic_mmm(rows, channels, seed as u64);
    let mut csv = String::from("week,y");
    for name in d.channels.iter().chain(&d.controls) {
        csv.push(',');
        csv.push_str(name);
    }
    csv.push('\n');
    for t in 0..rows {
        // `{}` prints the shortest representation that reads back to the same f64
        csv.push_str(&format!("{t},{}", d.target[t]));
        for v in d.spend.iter().chain(&d.control_values) {
            csv.push_str(&format!(",{}", v[t]));
        }
        csv.push('\n');
    }
    std::fs::write(path, csv).map_err(|e| format!("{path}: {e}"))?;
    Ok(json!({ "rows": rows, "channels": d.channels, "shares": shares }))
}

fn read_csv(path: &str) -> Result<MmmData, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty CSV")?.split(',').collect();
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); header.len()];
    for (i, line) in lines.enumerate() {
        for (j, cell) in line.split(',').enumerate() {
            let v = cell.trim().parse::<f64>().map_err(|e| format!("{path} row {}: column {}: {e}", i + 1, header.get(j).unwrap_or(&"?")))?;
            cols.get_mut(j).ok_or("ragged row")?.push(v);
        }
    }
    let col = |name: &str| header.iter().position(|h| *h == name);
    let y = col("y").ok_or("no column y")?;
    let mut data = MmmData::new(cols[y].clone());
    for (j, h) in header.iter().enumerate() {
        if h.starts_with("channel_") {
            data = data.channel(*h, cols[j].clone());
        }
    }
    for c in ["price", "promo"] {
        if let Some(j) = col(c) {
            data = data.control(c, cols[j].clone());
        }
    }
    Ok(data)
}

fn fit(a: &[String]) -> Result<serde_json::Value, String> {
    let path = a.first().ok_or("missing <data.csv>")?;
    let flag = |name: &str, default: usize| -> Result<usize, String> {
        match a.iter().position(|s| s == name) {
            Some(i) => a.get(i + 1).and_then(|s| s.parse().ok()).ok_or(format!("{name} needs a number")),
            None => Ok(default),
        }
    };
    let (repeat, draws, order, starts) = (flag("--repeat", 3)?, flag("--draws", 1000)?, flag("--seasonality", 2)?, flag("--starts", 4)?);
    let data = read_csv(path)?;
    let uncertainty = if draws == 0 { Uncertainty::None } else { Uncertainty::Laplace { draws } };
    let spec = Mmm::default().yearly_seasonality(order).starts(starts).uncertainty(uncertainty);
    let (mut best, mut cpu_best, mut all) = (f64::INFINITY, f64::INFINITY, Vec::new());
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let c0 = cpu_seconds();
        let t = Instant::now();
        let f = spec.fit(&data).map_err(|e| e.to_string())?;
        let summary = f.summary(); // the shares and their intervals are part of the job
        let s = t.elapsed().as_secs_f64();
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            cpu_best = cpu_best.min(b - a);
        }
        best = best.min(s);
        all.push(s);
        last = Some((f, summary));
    }
    let (f, summary) = last.ok_or("no run")?;
    let conv = f.convergence();
    Ok(json!({
        "rows": data.target.len(), "channels": data.channels, "controls": data.controls,
        "seconds": best, "all_seconds": all,
        "cpu_seconds": if cpu_best.is_finite() { Some(cpu_best) } else { None },
        "draws": f.draws().len(), "level": 0.9,
        "shares": summary.iter().map(|s| s.share.value).collect::<Vec<_>>(),
        "shares_lo": summary.iter().map(|s| s.share.lo).collect::<Vec<_>>(),
        "shares_hi": summary.iter().map(|s| s.share.hi).collect::<Vec<_>>(),
        "contributions": summary.iter().map(|s| s.contribution.value).collect::<Vec<_>>(),
        "params": f.param_names().iter().zip(f.params()).map(|(n, e)| (n.clone(), json!(e.value))).collect::<serde_json::Map<_, _>>(),
        "converged": conv.converged, "starts_agreeing": conv.starts_agreeing, "runs": conv.runs,
        "objective": conv.runs.get(conv.best_start).map(|r| r.objective),
        "r2": f.diagnostics().r2, "warnings": f.warnings(),
    }))
}

/// User + system CPU time of this process (all threads), from `/proc/self/stat` (Linux; clock
/// ticks of 1/100 s). `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
