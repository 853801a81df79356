//! Mergeable aggregates (issue 17): a log split by user, built part by part and summed, gives
//! exactly the table (and the RFM summary) built from the whole log in one go, whatever the
//! split and the order of the parts.
#![allow(clippy::unwrap_used)]

use channelwise::attribution::Markov;
use channelwise::clv::rfm::{merge, summary, Period, RfmOptions, RfmStream};
use channelwise::journey::{Conversion, ConversionCsv, JourneyBuilder, PathTable, Touchpoint, TouchpointCsv};
use proptest::prelude::*;

const CHANNELS: [&str; 5] = ["search", "email", "display", "social", "direct"];

/// A seeded event log: touches and conversions of up to 12 users, with whole-number values (so
/// that sums are exact in any order; see `journey::merge`), some duplicate event ids, leads.
fn log() -> impl Strategy<Value = (Vec<Touchpoint>, Vec<Conversion>)> {
    let touch = (0..12u8, 0..400i64, 0..CHANNELS.len(), proptest::option::of(0..6u8));
    let conv = (0..12u8, 0..400i64, 0..500u32, any::<bool>(), proptest::option::of(0..6u8));
    (proptest::collection::vec(touch, 1..60), proptest::collection::vec(conv, 0..20)).prop_map(|(ts, cs)| {
        let touches = ts
            .into_iter()
            .map(|(u, t, c, e)| {
                let mut tp = Touchpoint::new(format!("u{u}"), t, CHANNELS[c]);
                // event ids repeat only within a user (copies of one event)
                tp.event_id = e.map(|e| format!("t{u}-{e}"));
                tp
            })
            .collect();
        let conversions = cs
            .into_iter()
            .map(|(u, t, v, lead, e)| {
                let mut c = Conversion::new(format!("u{u}"), t, f64::from(v));
                c.kind = lead.then(|| "lead".to_string());
                c.event_id = e.map(|e| format!("c{u}-{e}"));
                c
            })
            .collect();
        (touches, conversions)
    })
}

/// The events of the users that `part` maps to `p`.
fn part_of(touches: &[Touchpoint], conversions: &[Conversion], part: &[usize], p: usize) -> (Vec<Touchpoint>, Vec<Conversion>) {
    let user = |id: &str| id[1..].parse::<usize>().unwrap();
    (
        touches.iter().filter(|t| part[user(&t.user_id)] == p).cloned().collect(),
        conversions.iter().filter(|c| part[user(&c.user_id)] == p).cloned().collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Journeys built part by part (any split of the users, parts in any order) sum to the
    /// canonical table and the report of the whole log, and attribution on the two agrees.
    #[test]
    fn journeys_by_part_sum_to_the_whole((touches, conversions) in log(), part in proptest::collection::vec(0..4usize, 12),
                                         order in Just([0usize, 1, 2, 3]).prop_shuffle(), session in proptest::option::of(0..30i64),
                                         lookback in 50..500i64) {
        let b = JourneyBuilder::new().lookback(lookback).session_gap(session).lead_kind("lead");
        let whole = b.build(&touches, &conversions).unwrap();
        let mut s = b.stream();
        for &p in &order {
            let (t, c) = part_of(&touches, &conversions, &part, p);
            s.push(&t, &c).unwrap();
        }
        let (table, report) = s.finish().unwrap();
        let expected = whole.path_table().canonical().unwrap();
        prop_assert_eq!(&table, &expected);
        prop_assert_eq!(&report, whole.report());
        if table.total_conversions() > 0.0 {
            let m = Markov::default();
            let (a, e) = (m.fit(&table).unwrap(), m.fit(&expected).unwrap());
            prop_assert_eq!(a.credit(), e.credit());
        }
    }

    /// Merging tables (rows split among them arbitrarily, each with its own channel ids) is the
    /// canonical form of the whole, in any order; canonical is idempotent.
    #[test]
    fn merged_tables_equal_the_whole(rows in proptest::collection::vec((proptest::collection::vec(0..CHANNELS.len(), 1..5), 0..5u32, 0..5u32, 0..400u32, 0..3usize), 1..40)) {
        let mk = |rs: &[&(Vec<usize>, u32, u32, u32, usize)]| {
            let paths: Vec<String> = rs.iter().map(|r| r.0.iter().map(|&c| CHANNELS[c]).collect::<Vec<_>>().join(">")).collect();
            let conv: Vec<f64> = rs.iter().map(|r| f64::from(r.1 + 1)).collect();
            let nulls: Vec<f64> = rs.iter().map(|r| f64::from(r.2)).collect();
            let value: Vec<f64> = rs.iter().map(|r| f64::from(r.3)).collect();
            PathTable::from_strings(&paths, &conv, Some(&nulls), Some(&value), ">").unwrap()
        };
        let all: Vec<_> = rows.iter().collect();
        let whole = mk(&all).canonical().unwrap();
        let parts: Vec<PathTable> = (0..3).map(|p| all.iter().filter(|r| r.4 == p).copied().collect::<Vec<_>>()).filter(|rs| !rs.is_empty()).map(|rs| mk(&rs)).collect();
        prop_assert_eq!(&PathTable::merge(&parts).unwrap(), &whole);
        prop_assert_eq!(&PathTable::merge(parts.iter().rev()).unwrap(), &whole);
        prop_assert_eq!(&whole.canonical().unwrap(), &whole);
    }

    /// RFM summaries of any split of the customers merge to the summary of the whole log, for
    /// any spend values (each customer's row is computed whole in one part).
    #[test]
    fn rfm_by_part_equals_the_whole(tx in proptest::collection::vec((0..10u8, 0..(60 * 86_400i64), 0.0..500.0f64), 1..80),
                                    part in proptest::collection::vec(0..3usize, 10), week in any::<bool>(), end_day in 20..70i64) {
        let ids: Vec<String> = tx.iter().map(|t| format!("c{}", t.0)).collect();
        let ts: Vec<i64> = tx.iter().map(|t| t.1).collect();
        let spend: Vec<f64> = tx.iter().map(|t| t.2).collect();
        let freq = if week { Period::Week } else { Period::Day };
        let opts = RfmOptions { freq, observation_end: Some(end_day * 86_400), ..RfmOptions::default() };
        let whole = summary(&ids, &ts, Some(&spend), &opts);
        let mut s = RfmStream::new(&opts).unwrap();
        for p in (0..3).rev() {
            let keep: Vec<usize> = (0..tx.len()).filter(|&i| part[tx[i].0 as usize] == p).collect();
            let pick_s: Vec<&str> = keep.iter().map(|&i| ids[i].as_str()).collect();
            let pick_t: Vec<i64> = keep.iter().map(|&i| ts[i]).collect();
            let pick_m: Vec<f64> = keep.iter().map(|&i| spend[i]).collect();
            s.push(&pick_s, &pick_t, Some(&pick_m)).unwrap();
        }
        match (whole, s.finish()) {
            (Ok(w), Ok(p)) => prop_assert_eq!(p, w),
            (Err(w), Err(p)) => prop_assert_eq!(w.kind(), p.kind()),
            (w, p) => prop_assert!(false, "whole {w:?} but parts {p:?}"),
        }
    }
    /// A log sorted by user, read from CSV a few users at a time, gives the table of the whole
    /// log built in memory.
    #[test]
    fn sorted_csv_read_in_batches_equals_the_whole((mut touches, mut conversions) in log(), batch in 1..6usize) {
        touches.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        conversions.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        let b = JourneyBuilder::new().lookback(200).lead_kind("lead");
        let whole = b.build(&touches, &conversions).unwrap();
        let mut t = String::from("user_id,timestamp,channel,event_id\n");
        for x in &touches {
            t += &format!("{},{},{},{}\n", x.user_id, x.timestamp, x.channel, x.event_id.as_deref().unwrap_or(""));
        }
        let mut c = String::from("user_id,timestamp,value,event_id,type\n");
        for x in &conversions {
            c += &format!("{},{},{},{},{}\n", x.user_id, x.timestamp, x.value, x.event_id.as_deref().unwrap_or(""), x.kind.as_deref().unwrap_or(""));
        }
        let mut s = b.stream();
        s.read_sorted(TouchpointCsv::default().rows(t.as_bytes()).unwrap(), ConversionCsv::default().rows(c.as_bytes()).unwrap(), batch).unwrap();
        let (table, report) = s.finish().unwrap();
        prop_assert_eq!(table, whole.path_table().canonical().unwrap());
        prop_assert_eq!(&report, whole.report());
    }
}

#[test]
fn an_unsorted_log_is_refused_at_its_row() {
    let t = "user_id,timestamp,channel\nb,0,search\na,1,email\n";
    let c = "user_id,timestamp,value\n";
    let mut s = JourneyBuilder::new().stream();
    let e = s.read_sorted(TouchpointCsv::default().rows(t.as_bytes()).unwrap(), ConversionCsv::default().rows(c.as_bytes()).unwrap(), 10).unwrap_err();
    assert_eq!(e.to_string(), "invalid record at row 2, column touchpoints.user_id: \"a\" (the log is not sorted by user: \"a\" comes after \"b\")");
    let bad = "user_id,timestamp,channel\na,0,search\nb,soon,email\n";
    let e = JourneyBuilder::new().stream().read_sorted(TouchpointCsv::default().rows(bad.as_bytes()).unwrap(), ConversionCsv::default().rows(c.as_bytes()).unwrap(), 10).unwrap_err();
    assert!(e.to_string().starts_with("invalid record at row 2, column timestamp: \"soon\""), "{e}");
}


#[test]
fn a_customer_split_over_two_parts_is_refused() {
    let opts = RfmOptions { observation_end: Some(10 * 86_400), ..RfmOptions::default() };
    let a = summary(&["x", "y"], &[0, 86_400], None, &opts).unwrap();
    let b = summary(&["y"], &[5 * 86_400], None, &opts).unwrap();
    let e = merge(&[a, b]).unwrap_err();
    assert_eq!(e.to_string(), "invalid customer_id: \"y\" (in two parts (0 and 1): every transaction of a customer must be summarised in one part)");
    let e = RfmStream::new(&RfmOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("invalid observation_end: \"None\" (required when"), "{e}");
}

#[test]
fn an_overflowing_sum_names_the_path() {
    let t = PathTable::from_strings(&["a>b", "a > b"], &[f64::MAX, f64::MAX], None, None, ">").unwrap();
    let e = t.canonical().unwrap_err();
    assert_eq!(e.kind(), channelwise::ErrorKind::NonFinite);
    assert!(e.to_string().contains("conversions of path \"a > b\""), "{e}");
}
