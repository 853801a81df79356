//! Runs every shared vector under `tests/vectors/leads/` (funnels and cohorts by brute force from
//! the documented semantics, hand-derived lead scores, lifecycle replays by brute force, journey
//! health from pymannkendall's formulas and scipy's Theil-Sen; written by
//! `benches/compare/make_leads_vectors.py`) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;
mod leads_predictive;

use channelwise::leads::{cohort::Cohorts, funnel::Funnel, health::Health, lifecycle::StageMachine, scoring, EventLog};
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
        "leads.lifecycle" => {
            let m: StageMachine = match params.get("config") {
                Some(c) => serde_json::from_value(c.clone()).expect("a stage config"),
                None => StageMachine::default(),
            };
            let ints = |k: &str| input[k].as_array().expect(k).iter().map(|x| x.as_i64().expect("an integer")).collect::<Vec<i64>>();
            let strs = |k: &str| input.get(k).and_then(Value::as_array).map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect::<Vec<String>>());
            let lead: Vec<u32> = ints("lead").into_iter().map(|l| l as u32).collect();
            let stage = strs("stage").expect("stage");
            let reason = strs("reason");
            let n = input["n_leads"].as_u64().expect("n_leads") as usize;
            let h = m.replay(n, &lead, &ints("timestamp"), &stage, reason.as_deref())?;
            let t = h.time_in_stage(params["as_of"].as_i64().expect("as_of"))?;
            let idx = |s: Option<usize>| s.map_or(-1, |s| s as i64);
            let none = |x: Option<f64>| x.unwrap_or(-1.0);
            Ok(object(json!({
                "current_stage": h.current.iter().map(|&c| idx(c)).collect::<Vec<_>>(),
                "from_stage": h.transitions.iter().map(|x| idx(x.from)).collect::<Vec<_>>(),
                "seconds": t.seconds,
                "entered": t.summary.iter().map(|s| s.entered).collect::<Vec<_>>(),
                "exited": t.summary.iter().map(|s| s.exited).collect::<Vec<_>>(),
                "in_stage": t.summary.iter().map(|s| s.current).collect::<Vec<_>>(),
                "median_seconds": t.summary.iter().map(|s| none(s.median_seconds)).collect::<Vec<_>>(),
                "mean_seconds": t.summary.iter().map(|s| none(s.mean_seconds)).collect::<Vec<_>>(),
            })))
        }
        "leads.health" => {
            let log = Log::read(&input["log"]);
            let h: Health = serde_json::from_value(params["health"].clone()).expect("health settings");
            let p_alive: Option<Vec<f64>> = input.get("p_alive").and_then(Value::as_array).map(|a| a.iter().map(num).collect());
            let r = h.run(&log.events()?, input["as_of"].as_i64().expect("as_of"), p_alive.as_deref())?;
            let name = |v: Value| v.as_str().unwrap_or_default().to_string();
            let join = |f: &dyn Fn(&channelwise::leads::health::LeadHealth) -> Value| r.leads.iter().map(|x| name(f(x))).collect::<Vec<_>>().join(",");
            Ok(object(json!({
                "activity": r.leads.iter().flat_map(|x| x.activity.clone()).collect::<Vec<f64>>(),
                "tau": r.leads.iter().map(|x| x.tau).collect::<Vec<_>>(),
                "p_value": r.leads.iter().map(|x| x.p_value).collect::<Vec<_>>(),
                "slope": r.leads.iter().map(|x| x.slope).collect::<Vec<_>>(),
                "churn_risk": r.leads.iter().map(|x| x.churn_risk).collect::<Vec<_>>(),
                "score": r.leads.iter().map(|x| x.score).collect::<Vec<_>>(),
                "last_activity": r.leads.iter().map(|x| x.last_activity.unwrap_or(-1)).collect::<Vec<_>>(),
                "trend": join(&|x| json!(x.trend)),
                "status": join(&|x| json!(x.status)),
                "churn_source": join(&|x| json!(x.churn_source)),
            })))
        }
        f if f.starts_with("leads.predictive") => leads_predictive::run(f, input, params),
        other => panic!("no runner for function {other:?}"),
    }
}

#[test]
fn every_leads_vector_passes() {
    run_dir("leads", |f| check_vector(f, run, compare));
}
