//! Times `AutoEts` in-process for `benches/compare/ets.py`.
//!
//! Usage: `cw-ets <input.json>` with `{"season_length": 12, "series": [[..], ..]}`; prints
//! `{"models": [..], "aicc": [..], "seconds": [..]}` (seconds per series, best of 3 runs).
//! Set `RAYON_NUM_THREADS=1` for single-thread timings.

use std::time::Instant;

use channelwise::forecast::ets::AutoEts;
use serde_json::{json, Value};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: cw-ets <input.json>");
        std::process::exit(2)
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let m = v["season_length"].as_u64().unwrap_or(1) as usize;
    let series: Vec<Vec<f64>> = v["series"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_array().map(|x| x.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()).collect())
        .unwrap_or_default();
    let (mut models, mut aicc, mut secs) = (Vec::new(), Vec::new(), Vec::new());
    for y in &series {
        let mut best = f64::INFINITY;
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let fit = AutoEts::new(m).fit(y);
            best = best.min(t.elapsed().as_secs_f64());
            last = Some(fit);
        }
        match last {
            Some(Ok(f)) => {
                models.push(json!(f.model()));
                aicc.push(json!(f.aicc()));
            }
            Some(Err(e)) => {
                models.push(json!(format!("error: {e}")));
                aicc.push(Value::Null);
            }
            None => {}
        }
        secs.push(best);
    }
    println!("{}", json!({ "models": models, "aicc": aicc, "seconds": secs }));
}
