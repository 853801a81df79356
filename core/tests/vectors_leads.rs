//! Runs every shared vector under `tests/vectors/leads/` (funnels and cohorts by brute force from
//! the documented semantics, hand-derived lead scores; written by
//! `benches/compare/make_leads_vectors.py`) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::leads::{cohort::Cohorts, funnel::Funnel, scoring, EventLog};
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

/// The event log of a vector: `n_leads`, `event_types`, columns `lead`, `timestamp`, `event`
/// (names) and optionally `value`.
struct Log {
    n_leads: usize,
    types: Vec<String>,
    lead: Vec<u32>,
    ts: Vec<i64>,
    ty: Vec<u32>,
    value: Option<Vec<f64>>,
}

impl Log {
    fn read(v: &Value) -> Log {
        let types: Vec<String> = v["event_types"].as_array().expect("event_types").iter().map(|t| t.as_str().unwrap().to_string()).collect();
        let ints = |k: &str| v[k].as_array().expect(k).iter().map(|x| x.as_i64().expect("an integer")).collect::<Vec<i64>>();
        let ty = v["event"]
            .as_array()
            .expect("event")
            .iter()
            .map(|e| types.iter().position(|t| Some(t.as_str()) == e.as_str()).expect("event in event_types") as u32)
            .collect();
        Log {
            n_leads: v["n_leads"].as_u64().expect("n_leads") as usize,
            lead: ints("lead").into_iter().map(|l| l as u32).collect(),
            ts: ints("timestamp"),
            ty,
            value: v.get("value").and_then(Value::as_array).map(|a| a.iter().map(num).collect()),
            types,
        }
    }

    fn events(&self) -> channelwise::Result<EventLog<'_>> {
        EventLog::new(self.n_leads, self.types.clone(), &self.lead, &self.ts, &self.ty, self.value.as_deref())
    }
}

fn object(v: Value) -> Map<String, Value> {
    v.as_object().expect("an object").clone()
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    match function {
        "leads.funnel" => {
            let log = Log::read(input);
            let f: Funnel = serde_json::from_value(params["funnel"].clone()).expect("a funnel");
            let r = f.run(&log.events()?)?;
            let medians: Vec<f64> = r.median_seconds_from_previous.iter().map(|m| m.unwrap_or(-1.0)).collect();
            Ok(object(json!({
                "counts": r.counts, "conversion_rate": r.conversion_rate, "drop_off": r.drop_off,
                "median_seconds_from_previous": medians, "furthest_step": r.furthest_step,
            })))
        }
        "leads.cohorts" => {
            let log = Log::read(input);
            let c: Cohorts = serde_json::from_value(params["cohorts"].clone()).expect("cohorts");
            let t = c.run(&log.events()?)?;
            let flat = |f: &dyn Fn(&channelwise::leads::cohort::CohortRow) -> Vec<f64>| t.cohorts.iter().flat_map(f).collect::<Vec<f64>>();
            let labels: Vec<&str> = t.cohorts.iter().map(|r| r.label.as_str()).collect();
            Ok(object(json!({
                "labels": labels.join(","),
                "sizes": t.cohorts.iter().map(|r| r.size).collect::<Vec<_>>(),
                "row_lengths": t.cohorts.iter().map(|r| r.active.len()).collect::<Vec<_>>(),
                "retention_on": flat(&|r| r.retention_on.clone()),
                "retention_on_or_after": flat(&|r| r.retention_on_or_after.clone()),
                "conversion": flat(&|r| r.conversion.clone()),
                "revenue": flat(&|r| r.revenue.clone()),
                "cumulative_value_per_customer": flat(&|r| r.cumulative_value_per_customer.clone()),
            })))
        }
        "leads.score" => {
            let log = Log::read(&input["log"]);
            let cfg: scoring::ScoringConfig = serde_json::from_value(params["config"].clone()).expect("a scoring config");
            let mut attrs = scoring::Attributes::new(log.n_leads);
            if let Some(cols) = input["attributes"].get("numeric").and_then(Value::as_object) {
                for (k, v) in cols {
                    attrs = attrs.numeric(k.clone(), v.as_array().unwrap().iter().map(num).collect())?;
                }
            }
            if let Some(cols) = input["attributes"].get("categorical").and_then(Value::as_object) {
                for (k, v) in cols {
                    let vals: Vec<&str> = v.as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
                    attrs = attrs.categorical(k.clone(), &vals)?;
                }
            }
            let as_of = input["as_of"].as_i64().expect("as_of");
            let s = scoring::score(&cfg, &attrs, &log.events()?, as_of)?;
            let join = |v: Vec<&str>| v.join(",");
            Ok(object(json!({
                "total": s.total, "fit": s.fit, "activity": s.activity, "rules": s.rules,
                "dimensions": s.dimensions.iter().flatten().copied().collect::<Vec<f64>>(),
                "grade": join(s.grade.iter().map(|g| g.as_str()).collect()),
                "temperature": join(s.temperature.iter().map(|t| t.as_str()).collect()),
            })))
        }
        other => panic!("no runner for function {other:?}"),
    }
}

#[test]
fn every_leads_vector_passes() {
    run_dir("leads", |f| check_vector(f, run, compare));
}
