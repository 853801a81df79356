//! Criterion benchmarks of attribution: `attribution/<model>/<size>`, and of building the path
//! table from strings (`path_table/from_strings/<size>`, `path_table/push_utf8/<size>`: what
//! every binding does with the columns it is handed).
//!
//! `cargo bench -p channelwise-benches --bench attribution` (set `CW_BENCH_SIZES=10000,100000`
//! to skip the 1M case on a busy machine).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::attribution::{shapley, Bootstrap, Heuristics, Markov};
use channelwise::journey::{PathTable, PathTableBuilder};
use channelwise_benches::synthetic_table;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn sizes() -> Vec<usize> {
    std::env::var("CW_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

fn attribution(c: &mut Criterion) {
    let mut g = c.benchmark_group("attribution");
    g.sample_size(10);
    for n in sizes() {
        let table = synthetic_table(n, 16, 42);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("heuristics", n), &table, |b, t| {
            b.iter(|| {
                let h = Heuristics::default().fit(t).expect("valid table");
                assert!(h.linear.total_conversions() > 0.0);
                h
            })
        });
        g.bench_with_input(BenchmarkId::new("shapley", n), &table, |b, t| {
            b.iter(|| shapley(t).expect("valid table"))
        });
        for order in 1..=3 {
            g.bench_with_input(BenchmarkId::new(format!("markov_o{order}"), n), &table, |b, t| {
                b.iter(|| {
                    let m = Markov::default().order(order).fit(t).expect("valid table");
                    assert!(m.conversion_probability() > 0.0);
                    m
                })
            });
        }
        if n <= 100_000 {
            g.bench_with_input(BenchmarkId::new("markov_bootstrap_100", n), &table, |b, t| {
                b.iter(|| Bootstrap::default().replicates(100).markov(&Markov::default(), t).expect("valid table"))
            });
        }
    }
    g.finish();
}

fn path_table(c: &mut Criterion) {
    let mut g = c.benchmark_group("path_table");
    g.sample_size(10);
    for n in sizes() {
        let t = synthetic_table(n, 16, 42);
        let paths: Vec<String> = (0..t.len()).map(|r| t.path_string(r, " > ")).collect();
        let (conv, nulls, values) = (t.conversions(), t.nulls(), t.values());
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("from_strings", n), &paths, |b, p| {
            b.iter(|| PathTable::from_strings(p, conv, Some(nulls), Some(values), ">").expect("valid paths"))
        });
        // Arrow-style: all paths in one buffer, unchecked UTF-8 (the Python and WASM route)
        let text = paths.concat();
        let mut ends = Vec::with_capacity(n);
        let mut end = 0;
        for p in &paths {
            end += p.len();
            ends.push(end);
        }
        g.bench_with_input(BenchmarkId::new("push_utf8", n), &text, |b, text| {
            b.iter(|| {
                let mut builder = PathTableBuilder::with_separator(">").expect("valid separator");
                builder.reserve(n);
                let mut start = 0;
                for (i, &end) in ends.iter().enumerate() {
                    builder.push_utf8(&text.as_bytes()[start..end], conv[i], nulls[i], values[i]).expect("valid path");
                    start = end;
                }
                builder.finish()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, attribution, path_table);
criterion_main!(benches);
