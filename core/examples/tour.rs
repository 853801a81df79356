//! The channelwise tour: one end-to-end run on a seeded synthetic event log.
//!
//! `cargo run --release --example tour` writes a synthetic touchpoint and conversion log (CSV,
//! shuffled, with duplicate event ids, the way real exports arrive), reads it back, builds
//! journeys, and prints every attribution model's credit side by side, with bootstrap
//! intervals for the Markov and Shapley credit. The generator knows the true incremental lift of
//! each channel, so the output also shows which models find it. Later modules (forecasts,
//! anomalies, budgets, decisions) join the tour as they land.

use std::fmt::Write as _;
use std::path::PathBuf;

use channelwise::attribution::{
    shapley, Bootstrap, ChannelCredit, Heuristics, Horizon, Markov, ShapleyMethod, ShapleySampler, TimeDecay,
};
use channelwise::journey::{ConversionCsv, JourneyBuilder, TouchpointCsv};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Channels, their share of touches, their true lift on conversion probability, and whether
/// they tend to appear just before conversion (retargeting-like: seen late, little lift).
const CHANNELS: [(&str, f64, f64, bool); 8] = [
    ("search", 0.22, 0.060, false),
    ("display", 0.18, 0.010, false),
    ("social", 0.16, 0.025, false),
    ("email", 0.12, 0.040, false),
    ("video", 0.10, 0.030, false),
    ("affiliate", 0.08, 0.015, false),
    ("retargeting", 0.09, 0.004, true),
    ("direct", 0.05, 0.020, true),
];

const DAY: i64 = 86_400;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2026u64);
    let dir = write_event_log(seed, 30_000)?;
    println!("channelwise tour (seed {seed}); event log in {}\n", dir.display());

    // 1. Events -> journeys -> path table.
    let touches = TouchpointCsv::default().read_path(dir.join("touchpoints.csv"))?;
    let conversions = ConversionCsv::default().read_path(dir.join("conversions.csv"))?;
    let journeys = JourneyBuilder::new().lookback(30 * DAY).session_gap(1800).build(&touches, &conversions)?;
    let r = journeys.report();
    println!(
        "{} touchpoints, {} conversion events -> {} journeys ({} converting); {} duplicate events dropped, \
         {} touches merged within sessions, {} touches outside the 30-day lookback, {} conversions with no touch",
        touches.len(),
        conversions.len(),
        r.journeys,
        r.conversions,
        r.duplicates_dropped,
        r.touches_collapsed,
        r.touches_outside_lookback,
        r.unattributed_conversions
    );
    let table = journeys.path_table();
    println!(
        "path table: {} distinct paths, {} channels, {:.0} conversions worth {:.0}\n",
        table.len(),
        table.n_channels(),
        table.total_conversions(),
        table.total_value()
    );

    // 2. Every model.
    let h = Heuristics::default().fit(&table)?;
    let decay = TimeDecay::default().fit(&journeys)?;
    let m1 = Markov::default().fit(&table)?;
    let m2 = Markov::default().order(2).fit(&table)?;
    let m1_ca = Markov::default().horizon(Horizon::ChannelAttributionDefault).fit(&table)?;
    let sh = shapley(&table)?;
    let sh_markov = m1.shapley(ShapleyMethod::Sampled(ShapleySampler::default().permutations(400).seed(seed)))?;
    let boot = Bootstrap::default().replicates(200).seed(seed);
    let m1_ci = boot.markov(&Markov::default(), &table)?;
    let sh_ci = boot.shapley(&table)?;

    let models: [(&str, &ChannelCredit); 11] = [
        ("first", &h.first_touch),
        ("last", &h.last_touch),
        ("linear", &h.linear),
        ("U", &h.u_shaped),
        ("W", &h.w_shaped),
        ("decay7d", &decay),
        ("markov1", m1.credit()),
        ("mk1-CA", m1_ca.credit()),
        ("markov2", m2.credit()),
        ("shapley", &sh),
        ("shap-mk", &sh_markov.credit),
    ];
    println!("Credited conversions by model (markov1 and shapley with 95% bootstrap intervals, 200 replicates):");
    let mut header = format!("{:<12}", "channel");
    for (name, _) in &models {
        let _ = write!(header, "{name:>9}");
    }
    let _ = write!(header, "{:>20}{:>20}{:>10}", "markov1 95% CI", "shapley 95% CI", "true lift");
    println!("{header}");
    for (i, ch) in table.channels().iter().enumerate() {
        let mut line = format!("{ch:<12}");
        for (_, credit) in &models {
            let x = credit.get(ch).map_or(0.0, |(c, _)| c);
            let _ = write!(line, "{x:>9.1}");
        }
        let ci = |lo: &[f64], hi: &[f64]| format!("[{:.1}, {:.1}]", lo[i], hi[i]);
        let lift = CHANNELS.iter().find(|c| c.0 == ch).map_or(0.0, |c| c.2);
        let _ = write!(
            line,
            "{:>20}{:>20}{:>10.3}",
            ci(&m1_ci.conversions_lower, &m1_ci.conversions_upper),
            ci(&sh_ci.conversions_lower, &sh_ci.conversions_upper),
            lift
        );
        println!("{line}");
    }
    println!(
        "\nMarkov order 1: P(conversion) = {:.4} exact, {:.4} with ChannelAttribution's step cap of {} states; \
         order 2 has {} states.",
        m1.conversion_probability(),
        m1_ca.conversion_probability(),
        m1_ca.horizon_steps().unwrap_or(0),
        m2.n_states()
    );
    println!("Removal effects (order 1):");
    for (ch, re) in m1.channels().iter().zip(m1.removal_effects()) {
        println!("  {ch:<12} {re:.4}");
    }
    let late_share = |c: &ChannelCredit| {
        let late: f64 = CHANNELS.iter().filter(|x| x.3).filter_map(|x| c.get(x.0)).map(|(v, _)| v).sum();
        100.0 * late / c.total_conversions().max(f64::MIN_POSITIVE)
    };
    println!(
        "\nRetargeting and direct appear just before conversion but carry little true lift: last touch gives \
         them {:.0}% of the credit, linear {:.0}%, Markov {:.0}%, Shapley {:.0}%.",
        late_share(&h.last_touch),
        late_share(&h.linear),
        late_share(m1.credit()),
        late_share(&sh)
    );
    Ok(())
}

/// Writes `touchpoints.csv` and `conversions.csv` for `users` users into a fresh folder.
fn write_event_log(seed: u64, users: usize) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = 1_767_225_600i64; // 2026-01-01T00:00:00Z
    let mut touch_rows = Vec::new();
    let mut conv_rows = Vec::new();
    let cdf: Vec<f64> = CHANNELS.iter().scan(0.0, |s, c| {
        *s += c.1;
        Some(*s)
    }).collect();
    let pick = |rng: &mut ChaCha8Rng, late: Option<bool>| loop {
        let u: f64 = rng.random::<f64>() * cdf[cdf.len() - 1];
        let i = cdf.iter().position(|&x| u <= x).unwrap_or(CHANNELS.len() - 1);
        if late.is_none_or(|l| CHANNELS[i].3 == l) {
            return i;
        }
    };
    for u in 0..users {
        let user = format!("u{u:06}");
        let n = rng.random_range(1..=6);
        let mut t = start + rng.random_range(0..60 * DAY);
        let mut seen = [false; CHANNELS.len()];
        let mut path = Vec::new();
        for _ in 0..n {
            let c = pick(&mut rng, Some(false));
            seen[c] = true;
            path.push((t, c));
            t += rng.random_range(600..4 * DAY);
        }
        let p = 1.0 - seen.iter().zip(&CHANNELS).filter(|(s, _)| **s).map(|(_, c)| 1.0 - c.2 * 3.0).product::<f64>();
        let converts = rng.random::<f64>() < p;
        // Late channels show up mostly right before a conversion (and sometimes without one).
        if (converts && rng.random::<f64>() < 0.6) || rng.random::<f64>() < 0.1 {
            let c = pick(&mut rng, Some(true));
            path.push((t, c));
            t += rng.random_range(60..3600);
        }
        for (k, &(ts, c)) in path.iter().enumerate() {
            let id = format!("t{u}-{k}");
            touch_rows.push(format!("{user},{ts},{},cmp-{},{:.2},{id}", CHANNELS[c].0, k % 3, rng.random_range(0.1..3.0)));
            if rng.random::<f64>() < 0.01 {
                // an export that repeats a row: same event id, dropped by the journey builder
                touch_rows.push(format!("{user},{ts},{},cmp-{},0.00,{id}", CHANNELS[c].0, k % 3));
            }
        }
        if converts {
            let value: f64 = 40.0 + 160.0 * rng.random::<f64>().powi(2);
            conv_rows.push(format!("{user},{t},{value:.2},c{u},purchase"));
        }
    }
    touch_rows.shuffle(&mut rng);
    conv_rows.shuffle(&mut rng);
    let dir = std::env::temp_dir().join(format!("channelwise-tour-{seed}"));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("touchpoints.csv"),
        format!("user_id,timestamp,channel,campaign,cost,event_id\n{}\n", touch_rows.join("\n")),
    )?;
    std::fs::write(
        dir.join("conversions.csv"),
        format!("user_id,timestamp,value,event_id,type\n{}\n", conv_rows.join("\n")),
    )?;
    Ok(dir)
}
