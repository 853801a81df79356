//! The channelwise side of `benches/compare/attribution.py`: reads a path CSV
//! (`path,conversions,nulls,value`), runs one model and prints JSON with the credit and the
//! seconds spent loading and modelling, so the script can time both and compare numbers.
//!
//! `cw-attribution <csv> --model heuristics|markov|shapley [--order K] [--horizon inf|ca|T]`
//!
//! `--from-columns` is the native baseline of `benches/compare/overhead.py`: the CSV is read
//! into plain columns first (untimed), then `PathTable::from_strings` + the model are timed
//! (best of 3), which is exactly the work a binding does with the columns it is handed.

use std::process::ExitCode;
use std::time::Instant;

use channelwise::attribution::{shapley, ChannelCredit, Heuristics, Horizon, Markov};
use channelwise::journey::{PathCsv, PathTable};
use serde_json::{json, Value};

fn credit_json(c: &ChannelCredit) -> Value {
    json!({ "channel": c.channels, "conversions": c.conversions, "value": c.value })
}

fn run(args: &[String]) -> Result<Value, String> {
    let file = args.first().ok_or("usage: cw-attribution <csv> --model heuristics|markov|shapley [--order K] [--horizon inf|ca|T]")?;
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let model = flag("--model").unwrap_or_else(|| "markov".into());
    let order: usize = flag("--order").map_or(Ok(1), |s| s.parse()).map_err(|e| format!("--order: {e}"))?;
    let horizon = match flag("--horizon").as_deref() {
        None | Some("inf") => Horizon::Infinite,
        Some("ca") => Horizon::ChannelAttributionDefault,
        Some(t) => Horizon::Steps(t.parse().map_err(|e| format!("--horizon: {e}"))?),
    };
    if args.iter().any(|a| a == "--from-columns") {
        return from_columns(file, order, horizon);
    }
    let t0 = Instant::now();
    let table = PathCsv::default().read_path(file).map_err(|e| e.to_string())?;
    let load = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let result = match model.as_str() {
        "heuristics" => {
            let h = Heuristics::default().fit(&table).map_err(|e| e.to_string())?;
            json!({ "first_touch": credit_json(&h.first_touch), "last_touch": credit_json(&h.last_touch),
                    "linear": credit_json(&h.linear), "u_shaped": credit_json(&h.u_shaped),
                    "w_shaped": credit_json(&h.w_shaped) })
        }
        "markov" => {
            let m = Markov::default().order(order).horizon(horizon).fit(&table).map_err(|e| e.to_string())?;
            json!({ "credit": credit_json(m.credit()), "removal_effect": m.removal_effects(),
                    "removal_effect_value": m.removal_effects_value(),
                    "conversion_probability": m.conversion_probability(), "states": m.n_states(),
                    "horizon_steps": m.horizon_steps() })
        }
        "shapley" => credit_json(&shapley(&table).map_err(|e| e.to_string())?),
        other => return Err(format!("unknown --model {other:?}")),
    };
    let model_s = t1.elapsed().as_secs_f64();
    Ok(json!({ "rows": table.len(), "load_seconds": load, "model_seconds": model_s, "result": result }))
}

fn from_columns(file: &str, order: usize, horizon: Horizon) -> Result<Value, String> {
    let t = PathCsv::default().read_path(file).map_err(|e| e.to_string())?;
    let paths: Vec<String> = (0..t.len()).map(|r| t.path_string(r, ">")).collect();
    let (c, n, v) = (t.conversions().to_vec(), t.nulls().to_vec(), t.values().to_vec());
    drop(t);
    let mut best = f64::INFINITY;
    let mut p_conv = 0.0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let table = PathTable::from_strings(&paths, &c, Some(&n), Some(&v), ">").map_err(|e| e.to_string())?;
        let m = Markov::default().order(order).horizon(horizon).fit(&table).map_err(|e| e.to_string())?;
        best = best.min(t0.elapsed().as_secs_f64());
        p_conv = m.conversion_probability();
    }
    Ok(json!({ "stack": "rust", "seconds": best, "rows": paths.len(), "conversion_probability": p_conv }))
}

fn main() -> ExitCode {
    channelwise_benches::cli_main("cw-attribution", run)
}
