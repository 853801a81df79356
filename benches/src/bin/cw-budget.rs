//! The channelwise side of `benches/compare/budget.py`: writes a seeded allocation problem as
//! JSON, or solves one and prints the time and the objective.
//!
//! `cw-budget gen <channels> <concave|s_curve> <seed> <out.json>` writes
//! `{"channels": [...], "params": {"budget": ...}}` in the shape of the `optimize.allocate`
//! vectors (`benches/src/lib.rs` `synthetic_budget`, the criterion bench's problems).
//!
//! `cw-budget solve <problem.json> [--repeat 3] [--tolerance 1e-6] [--spend-out spend.json]`
//! reads such a problem (after reading and building the channels, untimed), solves it
//! `--repeat` times and prints JSON: the best wall time in seconds, the total response and spend,
//! branch-and-bound nodes, the certificate's KKT residual and proven suboptimality.

use std::process::ExitCode;
use std::time::Instant;

use channelwise::optimize::budget::{Allocate, ChannelBudget};
use channelwise::optimize::response::Saturation;
use channelwise_benches::synthetic_budget;
use serde_json::{json, Value};

fn num(v: &Value) -> Result<f64, String> {
    match v {
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        v => v.as_f64().ok_or_else(|| format!("not a number: {v}")),
    }
}

fn curve_json(s: &Saturation) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("kind".into(), json!(s.kind()));
    for (n, p) in s.param_names().iter().zip(s.params()) {
        m.insert((*n).into(), json!(p));
    }
    Value::Object(m)
}

fn channels(v: &Value) -> Result<Vec<ChannelBudget>, String> {
    let list = v["channels"].as_array().ok_or("channels missing")?;
    list.iter()
        .map(|c| {
            let cv = &c["curve"];
            let kind = cv["kind"].as_str().ok_or("curve.kind missing")?;
            let names = Saturation::kind_params(kind).ok_or(format!("unknown curve kind {kind}"))?;
            let p = names.iter().map(|n| num(&cv[*n])).collect::<Result<Vec<_>, _>>()?;
            let s = Saturation::from_params(kind, &p).map_err(|e| e.to_string())?;
            Ok(ChannelBudget::new(c["name"].as_str().unwrap_or("?"), s).lower(num(&c["lower"])?).upper(num(&c["upper"])?))
        })
        .collect()
}

fn run(args: &[String]) -> Result<Value, String> {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    match args.first().map(String::as_str) {
        Some("gen") => {
            let [n, kind, seed, out] = [1, 2, 3, 4].map(|i| args.get(i).cloned().unwrap_or_default());
            let n: usize = n.parse().map_err(|e| format!("channels: {e}"))?;
            let seed: u64 = seed.parse().map_err(|e| format!("seed: {e}"))?;
            let (ch, budget) = synthetic_budget(n, kind == "s_curve", seed);
            let chans: Vec<Value> = ch
                .iter()
                .map(|c| json!({ "name": c.name, "curve": curve_json(&c.curve), "lower": c.lower, "upper": c.upper }))
                .collect();
            let problem = json!({ "channels": chans, "params": { "budget": budget, "spend_all": true } });
            std::fs::write(&out, problem.to_string()).map_err(|e| format!("{out}: {e}"))?;
            Ok(json!({ "channels": n, "budget": budget, "file": out }))
        }
        Some("solve") => {
            let file = args.get(1).ok_or("usage: cw-budget solve <problem.json>")?;
            let repeat: usize = flag("--repeat").unwrap_or_else(|| "3".into()).parse().map_err(|e| format!("--repeat: {e}"))?;
            let tol: f64 = flag("--tolerance").unwrap_or_else(|| "1e-6".into()).parse().map_err(|e| format!("--tolerance: {e}"))?;
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            let ch = channels(&v)?;
            let budget = num(&v["params"]["budget"])?;
            let spec = Allocate::budget(budget).tolerance(tol);
            let mut best = f64::INFINITY;
            let mut last = None;
            for _ in 0..repeat.max(1) {
                let t = Instant::now();
                let a = spec.solve(&ch).map_err(|e| e.to_string())?;
                best = best.min(t.elapsed().as_secs_f64());
                last = Some(a);
            }
            let a = last.ok_or("no run")?;
            if let Some(out) = flag("--spend-out") {
                let spend: Vec<f64> = a.rows.iter().map(|r| r.spend).collect();
                std::fs::write(&out, json!(spend).to_string()).map_err(|e| format!("{out}: {e}"))?;
            }
            Ok(json!({
                "channels": ch.len(), "seconds": best, "repeat": repeat,
                "total_response": a.total_response, "total_spend": a.total_spend,
                "method": a.certificate.method, "nodes": a.certificate.nodes,
                "kkt_residual": a.certificate.kkt_residual, "suboptimality": a.certificate.suboptimality,
            }))
        }
        _ => Err("usage: cw-budget gen <channels> <concave|s_curve> <seed> <out.json> | cw-budget solve <problem.json> [--repeat R] [--tolerance T] [--spend-out F]".into()),
    }
}

fn main() -> ExitCode {
    channelwise_benches::cli_main("cw-budget", run)
}
