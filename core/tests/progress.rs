//! Progress and cancellation of the long computations: reports are monotone and complete, a
//! stop gives `Cancelled` with the right counts and no result, a monitor never changes the
//! numbers, and the answer does not depend on the thread count.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use channelwise::attribution::{Bootstrap, Heuristics, Markov, ShapleyMethod, ShapleySampler};
use channelwise::forecast::ets::AutoEts;
use channelwise::journey::PathTable;
use channelwise::progress::{CancelToken, Monitor, Progress};
use channelwise::{Error, ErrorKind};
use proptest::prelude::*;

fn table() -> PathTable {
    PathTable::from_strings(
        &["a>b", "b", "a", "c>b", "c", "a>c>b", "d>a", "d"],
        &[30.0, 20.0, 5.0, 8.0, 1.0, 12.0, 4.0, 2.0],
        Some(&[70.0, 80.0, 95.0, 40.0, 60.0, 30.0, 20.0, 50.0]),
        Some(&[300.0, 180.0, 50.0, 90.0, 5.0, 150.0, 40.0, 20.0]),
        ">",
    )
    .unwrap()
}

/// A monitor that records every report and says stop at the first report with `done >= stop`.
fn recorder(stop: usize) -> (Monitor, Arc<Mutex<Vec<Progress>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = Arc::clone(&log);
    let m = Monitor::new().on_progress(move |p: Progress| {
        l.lock().unwrap().push(p);
        if p.done >= stop {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    (m, log)
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
}

/// Reports start at 0, strictly increase, end at `total`, all with `total` and `stage`.
fn check_complete(log: &[Progress], total: usize, stage: &str) {
    assert_eq!(log.first().map(|p| p.done), Some(0), "{log:?}");
    assert_eq!(log.last().map(|p| p.done), Some(total), "{log:?}");
    assert!(log.windows(2).all(|w| w[0].done < w[1].done), "{log:?}");
    assert!(log.iter().all(|p| p.total == total && p.stage == stage));
    assert!(log.len() <= 1002, "{} reports", log.len());
}

/// Every long call, run with a monitor: its result and its reports.
type Run = Box<dyn Fn(&Monitor) -> Result<String, Error> + Sync>;

/// Each long computation, its plain twin's answer (as a debug string, exact bits) and its total
/// units and stage.
fn calls() -> Vec<(&'static str, Run, String, usize, &'static str)> {
    let t = Arc::new(table());
    let b = Bootstrap::default().replicates(120).seed(3);
    let fitted = Arc::new(Markov::default().fit(&t).unwrap());
    let sampler = ShapleySampler::default().permutations(300).seed(5);
    let ys: Arc<Vec<Vec<f64>>> =
        Arc::new((0..12).map(|s| (0..36).map(|t| 20.0 + s as f64 + ((t * (s + 1)) % 5) as f64 + 0.3 * t as f64).collect()).collect());
    let game = |m: &[bool]| -> channelwise::Result<f64> {
        let s: f64 = m.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| (i + 1) as f64).sum();
        Ok(s * s)
    };
    let linear = |t: &PathTable| Ok(Heuristics::default().fit(t)?.linear);
    let mut out: Vec<(&'static str, Run, String, usize, &'static str)> = Vec::new();
    {
        let t = Arc::clone(&t);
        let plain = format!("{:?}", b.markov(&Markov::default(), &t).unwrap());
        out.push(("markov", Box::new(move |m| Ok(format!("{:?}", b.markov_with_progress(&Markov::default(), &t, m)?))), plain, 120, "replicates"));
    }
    {
        let (t, f) = (Arc::clone(&t), Arc::clone(&fitted));
        let plain = format!("{:?}", b.fitted_markov(&f, &t).unwrap());
        out.push(("fitted_markov", Box::new(move |m| Ok(format!("{:?}", b.fitted_markov_with_progress(&f, &t, m)?))), plain, 120, "replicates"));
    }
    {
        let t = Arc::clone(&t);
        let plain = format!("{:?}", b.shapley(&t).unwrap());
        out.push(("shapley", Box::new(move |m| Ok(format!("{:?}", b.shapley_with_progress(&t, m)?))), plain, 120, "replicates"));
    }
    {
        let t = Arc::clone(&t);
        let plain = format!("{:?}", b.custom(&t, linear).unwrap());
        out.push(("custom", Box::new(move |m| Ok(format!("{:?}", b.custom_with_progress(&t, linear, m)?))), plain, 120, "replicates"));
    }
    {
        let plain = format!("{:?}", sampler.estimate(6, game).unwrap());
        out.push(("sampler", Box::new(move |m| Ok(format!("{:?}", sampler.estimate_with_progress(6, game, m)?))), plain, 300, "permutations"));
    }
    {
        let f = Arc::clone(&fitted);
        let method = ShapleyMethod::Sampled(sampler);
        let plain = format!("{:?}", f.shapley(method).unwrap());
        out.push(("markov_shapley_sampled", Box::new(move |m| Ok(format!("{:?}", f.shapley_with_progress(method, m)?))), plain, 300, "permutations"));
    }
    {
        let f = Arc::clone(&fitted);
        let plain = format!("{:?}", f.shapley(ShapleyMethod::Exact).unwrap());
        out.push(("markov_shapley_exact", Box::new(move |m| Ok(format!("{:?}", f.shapley_with_progress(ShapleyMethod::Exact, m)?))), plain, 16, "coalitions"));
    }
    {
        let ys = Arc::clone(&ys);
        let plain = format!("{:?}", AutoEts::new(5).fit_many(&ys).unwrap());
        out.push(("fit_many", Box::new(move |m| Ok(format!("{:?}", AutoEts::new(5).fit_many_with_progress(&ys, m)?))), plain, 12, "series"));
    }
    out
}

#[test]
fn reports_are_complete_and_numbers_bit_identical_on_any_thread_count() {
    for (name, run, plain, total, stage) in calls() {
        for threads in [1, 2, 4] {
            let (m, log) = recorder(usize::MAX);
            let got = pool(threads).install(|| run(&m)).unwrap();
            assert_eq!(got, plain, "{name} on {threads} threads");
            check_complete(&log.lock().unwrap(), total, stage);
        }
    }
}

#[test]
fn a_stop_after_k_units_is_cancelled_with_the_right_counts() {
    for (name, run, _, total, stage) in calls() {
        for k in [0, 1, total / 2, total - 1, total] {
            // one thread: the count is exact
            let (m, log) = recorder(k);
            let e = pool(1).install(|| run(&m)).unwrap_err();
            let Error::Cancelled { done, total: t, ref unit, .. } = e else { panic!("{name}: {e}") };
            assert_eq!((done, t, unit.as_str()), (k, total, stage), "{name}, stop at {k}");
            assert_eq!(log.lock().unwrap().last().unwrap().done, k);
            // several threads: the count is the one in the report that said stop, and that
            // report was the last
            let (m, log) = recorder(k);
            let e = pool(4).install(|| run(&m)).unwrap_err();
            let Error::Cancelled { done, .. } = e else { panic!("{name}: {e}") };
            let log = log.lock().unwrap();
            assert_eq!(log.last().unwrap().done, done, "{name}");
            assert!(done >= k && done <= total, "{name}: stop at {k}, cancelled at {done}");
            assert_eq!(log.iter().filter(|p| p.done >= k).count(), 1, "{name}: reports after the stop");
        }
    }
}

#[test]
fn a_token_cancels_from_another_thread() {
    // A game slow enough (about 5 ms a permutation) that the run lasts seconds; the token is
    // cancelled from this thread once the run has reported some progress.
    let token = CancelToken::new();
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let s2 = Arc::clone(&seen);
    let m = Monitor::new().cancel_token(token.clone()).on_progress(move |p: Progress| {
        s2.store(p.done, std::sync::atomic::Ordering::Relaxed);
        ControlFlow::Continue(())
    });
    let slow = |mask: &[bool]| -> channelwise::Result<f64> {
        std::thread::sleep(std::time::Duration::from_millis(1));
        Ok(mask.iter().filter(|b| **b).count() as f64)
    };
    let e = std::thread::scope(|s| {
        let h = s.spawn(|| ShapleySampler::default().permutations(2000).estimate_with_progress(4, slow, &m));
        while seen.load(std::sync::atomic::Ordering::Relaxed) < 4 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        token.cancel();
        h.join().unwrap()
    })
    .unwrap_err();
    let Error::Cancelled { done, total, .. } = e else { panic!("{e}") };
    assert!(done >= 4 && done < total / 2, "{done}");
    // a token cancelled before the call: nothing runs
    let e = Bootstrap::default().shapley_with_progress(&table(), &m).unwrap_err();
    assert_eq!(e.to_string(), "bootstrap intervals cancelled after 0 of 200 replicates");
}

#[test]
fn fit_many_is_fit_per_series_and_keeps_bad_series_apart() {
    let good: Vec<f64> = (0..40).map(|t| 10.0 + (t % 4) as f64 + 0.2 * t as f64).collect();
    let series: Vec<Vec<f64>> = vec![good.clone(), vec![1.0, 2.0], vec![1.0, f64::NAN, 2.0, 3.0, 4.0], good[..20].to_vec()];
    let spec = AutoEts::new(4);
    let fits = spec.fit_many(&series).unwrap();
    assert_eq!(fits.len(), 4);
    for (y, f) in series.iter().zip(&fits) {
        assert_eq!(format!("{f:?}"), format!("{:?}", spec.fit(y))); // NaN != NaN in the error
    }
    assert_eq!(fits[1].as_ref().unwrap_err().kind(), ErrorKind::NotEnoughData);
    assert_eq!(fits[2].as_ref().unwrap_err().kind(), ErrorKind::NonFinite);
    // specification errors are the call's, before any series
    assert_eq!(AutoEts::new(0).fit_many(&series).unwrap_err().kind(), ErrorKind::OutOfRange);
    assert_eq!(AutoEts::new(1).model("ZZM").fit_many(&series).unwrap_err().kind(), ErrorKind::InvalidParameter);
    assert!(AutoEts::new(4).fit_many::<Vec<f64>>(&[]).unwrap().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For any size and stop point: reports strictly increase from 0, there are at most ~1000,
    /// and a stop at `k` (one thread) cancels at exactly `k`, else the run completes with the
    /// plain answer.
    #[test]
    fn sampler_reports_and_stops(permutations in 2usize..5000, stop in 0usize..6000, seed in any::<u64>()) {
        let game = |m: &[bool]| -> channelwise::Result<f64> { Ok(m.iter().filter(|b| **b).count() as f64 + f64::from(u8::from(m[0] && m[1]))) };
        let sampler = ShapleySampler::default().permutations(permutations).seed(seed);
        let (m, log) = recorder(stop);
        let got = pool(1).install(|| sampler.estimate_with_progress(3, game, &m));
        let log = log.lock().unwrap();
        prop_assert!(log.windows(2).all(|w| w[0].done < w[1].done));
        prop_assert!(log.len() <= 1002);
        prop_assert_eq!(log[0].done, 0);
        let step = permutations.div_ceil(1000);
        if stop <= permutations && (stop % step == 0 || stop == permutations) {
            prop_assert_eq!(got.unwrap_err(), Error::Cancelled { what: "sampled Shapley values".into(), done: stop, total: permutations, unit: "permutations".into() });
        } else if stop <= permutations {
            // between two reports: stopped at the first report past `stop`
            let Err(Error::Cancelled { done, .. }) = got else { panic!("{got:?}") };
            prop_assert!(done > stop && done < stop + step + 1);
        } else {
            prop_assert_eq!(got.unwrap(), sampler.estimate(3, game).unwrap());
            prop_assert_eq!(log.last().unwrap().done, permutations);
        }
    }
}
