//! Properties of `platform::payloads` and `platform::metrics`: no builder or parser panics on
//! any JSON (arbitrary values, and near-valid events, conversions and report rows with any
//! field replaced); a batcher never puts more in a request than the vendor's limit (or the
//! asked batch size) and never loses, repeats or reorders an item; Google's date-time format
//! round-trips.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::platform::adapter::{Action, Change, Status};
use channelwise::platform::metrics::{self, Ga4ReportOptions, GoogleAdsOptions, MetaInsightsOptions};
use channelwise::platform::payloads::{batches, ga4, google_ads, meta};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Any JSON, a few levels deep, with keys the builders and parsers look for.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "data", "results", "rows", "events", "name", "params", "value", "spend", "actions", "action_type", "date_start",
            "date_stop", "campaign_id", "metrics", "costMicros", "segments", "date", "campaign", "id", "dimensionHeaders",
            "metricHeaders", "dimensionValues", "metricValues", "metadata", "user_data", "em", "client_user_agent", "items",
        ])
        .prop_map(String::from),
        "\\PC{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|x| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::from),
        "[0-9.\\-e]{0,12}".prop_map(Value::from),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// `base` with one field replaced by anything (or removed).
fn mutated(base: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = base.as_object().unwrap().keys().cloned().collect();
    (prop::sample::select(keys), prop::option::of(any_json())).prop_map(move |(k, v)| {
        let mut b = base.clone();
        match v {
            Some(v) => b[&k] = v,
            None => {
                b.as_object_mut().unwrap().remove(&k);
            }
        }
        b
    })
}

const NOW_MS: i64 = 1_700_000_000_000;

fn capi_event() -> Value {
    json!({"event_name": "Purchase", "event_time": 1_700_000_000, "event_id": "e", "action_source": "website",
           "event_source_url": "https://x.example/", "user_data": {"em": "a@b.co", "client_user_agent": "UA"},
           "custom_data": {"currency": "USD", "value": 1.5}})
}

fn click() -> Value {
    json!({"gclid": "g", "conversion_action": "customers/1/conversionActions/2", "conversion_date_time": "2026-03-01 12:32:45+01:00",
           "conversion_value": 2.0, "currency_code": "USD", "order_id": "o", "user_data": {"em": "a@b.co"}})
}

fn insights_row() -> Value {
    json!({"campaign_id": "1", "date_start": "2026-03-01", "date_stop": "2026-03-01", "spend": "1.5", "impressions": "10",
           "clicks": "2", "account_currency": "USD", "actions": [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "1"}]})
}

fn ads_row() -> Value {
    json!({"campaign": {"id": "1"}, "segments": {"date": "2026-03-01"}, "metrics": {"costMicros": "1500000", "clicks": "3"},
           "customer": {"currencyCode": "USD", "timeZone": "UTC"}})
}

fn ga4_row() -> Value {
    json!({"dimensionValues": [{"value": "20260301"}, {"value": "c"}], "metricValues": [{"value": "1.5"}]})
}

/// Every builder and parser on one JSON value; only that nothing panics matters.
fn run_all(v: &Value) {
    if let Ok(e) = serde_json::from_value::<meta::CapiEvent>(v.clone()) {
        let _ = meta::capi_requests(&[e], &meta::CapiOptions::new(NOW_MS));
    }
    if let Ok(p) = serde_json::from_value::<ga4::Ga4Payload>(v.clone()) {
        let _ = ga4::requests(&p, &ga4::Ga4Options::new(NOW_MS));
        let _ = ga4::body(&p, &ga4::Ga4Options::new(NOW_MS).ga360(true));
    }
    if let Ok(c) = serde_json::from_value::<google_ads::ClickConversion>(v.clone()) {
        let _ = google_ads::click_conversion_requests(&[c], &google_ads::UploadOptions::new("1"));
    }
    if let Ok(u) = serde_json::from_value(v.clone()) {
        let _ = google_ads::user_identifiers(&u, &Default::default());
    }
    if let Ok(c) = serde_json::from_value::<Change>(v.clone()) {
        let _ = meta::change_request(&c, "USD");
        let _ = google_ads::mutate_requests(&[c], Default::default());
    }
    let _ = metrics::meta_insights(v, &MetaInsightsOptions::new("UTC"));
    let _ = metrics::google_ads(v, &GoogleAdsOptions::default());
    let _ = metrics::ga4_run_report(v, &Ga4ReportOptions::default());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn nothing_panics_on_any_json(v in any_json()) {
        run_all(&v);
        run_all(&json!({ "data": [v.clone()], "results": [v.clone()], "rows": [v.clone()], "events": [v] }));
    }

    #[test]
    fn nothing_panics_on_near_valid_input(
        e in mutated(capi_event()), c in mutated(click()), r in mutated(insights_row()), a in mutated(ads_row()),
        g in mutated(ga4_row()), now in any::<i64>(),
    ) {
        if let Ok(e) = serde_json::from_value::<meta::CapiEvent>(e) {
            let _ = meta::capi_requests(&[e], &meta::CapiOptions::new(now));
        }
        if let Ok(c) = serde_json::from_value::<google_ads::ClickConversion>(c) {
            let _ = google_ads::click_conversion_requests(&[c], &google_ads::UploadOptions::new("1"));
        }
        let _ = metrics::meta_insights(&json!({"data": [r]}), &MetaInsightsOptions::new("UTC"));
        let _ = metrics::google_ads(&json!([{"results": [a]}]), &GoogleAdsOptions::default());
        let report = json!({"dimensionHeaders": [{"name": "date"}, {"name": "sessionCampaignId"}],
                            "metricHeaders": [{"name": "advertiserAdCost"}], "rows": [g], "metadata": {"currencyCode": "USD", "timeZone": "UTC"}});
        let _ = metrics::ga4_run_report(&report, &Ga4ReportOptions::default());
    }

    #[test]
    fn money_and_dates_never_panic(
        x in any::<f64>(), cur in "[A-Z]{3}|\\PC{0,4}", ms in prop_oneof![any::<i64>(), -70_000_000_000_000i64..260_000_000_000_000],
        off in prop_oneof![any::<i32>(), -840i32..=840], s in "\\PC{0,30}",
    ) {
        let _ = meta::to_minor_units(x, &cur);
        let _ = google_ads::to_micros(x);
        let _ = google_ads::parse_date_time(&s);
        if let Ok(text) = google_ads::format_date_time(ms, off) {
            // what is formatted parses back to the same second
            prop_assert_eq!(google_ads::parse_date_time(&text).unwrap(), ms.div_euclid(1000) * 1000);
        }
        for action in [Action::Budget { daily: x }, Action::Bid { amount: x }, Action::Status { status: Status::Paused }] {
            if let Ok(c) = Change::new("k", "customers/1/campaignBudgets/2", action) {
                let _ = meta::change_request(&c, &cur);
                let _ = google_ads::mutate_requests(&[c], Default::default());
            }
        }
    }

    #[test]
    fn batches_keep_every_item_once_in_order(n in 0usize..300, max in 1usize..40) {
        let items: Vec<usize> = (0..n).collect();
        let out = batches(&items, max).unwrap();
        prop_assert!(out.iter().all(|b| !b.is_empty() && b.len() <= max));
        prop_assert_eq!(out.concat(), items);
    }

    #[test]
    fn capi_requests_respect_the_limit(n in 0usize..2600, size in prop_oneof![Just(1000usize), 1usize..1001]) {
        let events: Vec<meta::CapiEvent> = (0..n)
            .map(|i| serde_json::from_value(json!({"event_name": "Lead", "event_time": 1_700_000_000, "event_id": format!("e{i}"),
                                                   "action_source": "system_generated", "user_data": {"fbp": "fb.1.1.1"}})).unwrap())
            .collect();
        let bodies = meta::capi_requests(&events, &meta::CapiOptions::new(NOW_MS).batch_size(size)).unwrap();
        let mut ids = Vec::new();
        for b in &bodies {
            let data = b["data"].as_array().unwrap();
            prop_assert!(!data.is_empty() && data.len() <= size && data.len() <= meta::MAX_EVENTS);
            ids.extend(data.iter().map(|e| e["event_id"].as_str().unwrap().to_string()));
        }
        prop_assert_eq!(ids, (0..n).map(|i| format!("e{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn ga4_requests_respect_the_limit(n in 0usize..200) {
        let events: Vec<Value> = (0..n).map(|i| json!({"name": "e", "params": {"i": i}})).collect();
        let p: ga4::Ga4Payload = serde_json::from_value(json!({"client_id": "1", "events": events})).unwrap();
        let bodies = ga4::requests(&p, &ga4::Ga4Options::new(NOW_MS)).unwrap();
        let mut seen = Vec::new();
        for b in &bodies {
            let evs = b["events"].as_array().unwrap();
            prop_assert!(!evs.is_empty() && evs.len() <= ga4::MAX_EVENTS);
            prop_assert_eq!(&b["client_id"], "1");
            seen.extend(evs.iter().map(|e| e["params"]["i"].as_u64().unwrap() as usize));
        }
        prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
    }

    #[test]
    fn google_requests_respect_the_limits(n in 0usize..2500, size in prop_oneof![Just(2000usize), 1usize..2001], k in 0usize..60) {
        let convs: Vec<google_ads::ClickConversion> = (0..n)
            .map(|i| serde_json::from_value(json!({"gclid": "g", "conversion_action": "customers/1/conversionActions/2",
                                                   "conversion_date_time": "2026-03-01 12:32:45+01:00", "order_id": format!("o{i}")})).unwrap())
            .collect();
        let reqs = google_ads::click_conversion_requests(&convs, &google_ads::UploadOptions::new("1").batch_size(size)).unwrap();
        let mut ids = Vec::new();
        for r in &reqs {
            let cs = r["body"]["conversions"].as_array().unwrap();
            prop_assert!(!cs.is_empty() && cs.len() <= size && cs.len() <= google_ads::MAX_CONVERSIONS);
            prop_assert_eq!(&r["body"]["partialFailure"], true);
            ids.extend(cs.iter().map(|c| c["orderId"].as_str().unwrap().to_string()));
        }
        prop_assert_eq!(ids, (0..n).map(|i| format!("o{i}")).collect::<Vec<_>>());
        // mutate: every key once, grouped by collection, each group in input order
        let changes: Vec<Change> = (0..k)
            .map(|i| {
                let (entity, action) = match i % 3 {
                    0 => (format!("customers/{}/campaignBudgets/{i}", i % 2), Action::Budget { daily: i as f64 }),
                    1 => (format!("customers/1/adGroups/{i}"), Action::Bid { amount: 0.01 + i as f64 }),
                    _ => (format!("customers/1/campaigns/{i}"), Action::Status { status: Status::Active }),
                };
                Change::new(format!("k{i}"), entity, action).unwrap()
            })
            .collect();
        let reqs = google_ads::mutate_requests(&changes, Default::default()).unwrap();
        let mut keys: Vec<usize> = Vec::new();
        for r in &reqs {
            let ks: Vec<usize> = r["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()[1..].parse().unwrap()).collect();
            prop_assert!(ks.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(ks.len(), r["body"]["operations"].as_array().unwrap().len());
            prop_assert!(ks.len() <= google_ads::MAX_OPERATIONS);
            keys.extend(ks);
        }
        keys.sort_unstable();
        prop_assert_eq!(keys, (0..k).collect::<Vec<_>>());
    }
}
