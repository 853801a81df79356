//! The channelwise tour: one end-to-end run on a seeded synthetic event log.
//!
//! `cargo run --release --example tour` writes a synthetic touchpoint and conversion log (CSV,
//! shuffled, with duplicate event ids, the way real exports arrive), reads it back, builds
//! journeys, and prints every attribution model's credit side by side, with bootstrap
//! intervals for the Markov and Shapley credit. The generator knows the true incremental lift of
//! each channel, so the output also shows which models find it.
//!
//! Then a year of daily spend and conversions (weekly pattern, growth, noise, and five injected
//! incidents: tracking outages, a runaway budget, a bot burst): AutoETS picks a model and
//! forecasts the next four weeks with 80% and 95% intervals (scored on a held-out month first),
//! STL measures the weekly pattern, Mann-Kendall and Theil-Sen the growth, and three detectors
//! (seasonal hybrid ESD, forecast-residual alerts, isolation forest) are scored against the
//! incidents the generator injected.
//!
//! Last, a media mix model: the same year split over four channels whose spend is flighted, each
//! with a known carry-over and saturation; the MMM finds what each channel returns (contribution,
//! ROAS, marginal ROAS, with 90% intervals) beside the truth, and its steady-state curves split
//! next month's budget (each channel within 30% of today) with an optimality certificate, and the
//! moves are printed as recommendations with reasons, beside a risk-averse (CVaR) split. The moves
//! then go through the decision engine on a simulated market of the four campaigns: the policy
//! approves a small one, a person the others, a campaign cap blocks one, one is rolled back, and
//! the hash-chained audit log is verified.
//!
//! Then the users as leads: an explainable rule score as of day 45 (top leads with their reasons,
//! and how each temperature bought afterwards), a calibrated predictive score judged on held-out
//! leads beside it, a funnel and weekly cohorts; and the converters'
//! repeat purchases: BG/NBD and Gamma-Gamma, the most valuable customers and the frequent buyers
//! slipping away. Last, two creatives on the social visits: an A/B test (z-test, Bayesian chance
//! to beat, an always-valid confidence sequence read weekly) and a Thompson bandit on the same
//! traffic.

use std::fmt::Write as _;
use std::path::PathBuf;

use channelwise::attribution::{
    shapley, Bootstrap, ChannelCredit, Heuristics, Horizon, Markov, ShapleyMethod, ShapleySampler, TimeDecay,
};
use channelwise::anomaly::robust::SeasonalEsd;
use channelwise::anomaly::{Contamination, IsolationForest};
use channelwise::forecast::decompose::Stl;
use channelwise::forecast::ets::AutoEts;
use channelwise::forecast::metrics;
use channelwise::journey::{ConversionCsv, JourneyBuilder, TouchpointCsv};
use channelwise::stats;
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
    // The same table part by part, as a log past memory (JourneyStream::read_sorted over CSV
    // rows) or a Spark task (cw.spark) builds it: users sorted, 500 at a time.
    let (mut t_sorted, mut c_sorted) = (touches.clone(), conversions.clone());
    t_sorted.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    c_sorted.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    let mut stream = JourneyBuilder::new().lookback(30 * DAY).session_gap(1800).stream();
    stream.read_sorted(t_sorted.into_iter().map(Ok), c_sorted.into_iter().map(Ok), 500)?;
    let (parts, _) = stream.finish()?;
    let whole = table.canonical()?;
    let counts_equal = parts.channels() == whole.channels() && parts.conversions() == whole.conversions() && parts.nulls() == whole.nulls();
    let value_gap = parts.values().iter().zip(whole.values()).map(|(a, b)| (a - b).abs() / b.abs().max(1.0)).fold(0.0, f64::max);
    println!(
        "built again 500 users at a time: {} rows, counts equal to the whole table's: {counts_equal}, values within {value_gap:.1e} (the order of the additions)\n",
        parts.len()
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
    forecasts_and_anomalies(seed)?;
    media_mix(seed)?;
    leads(&dir)?;
    customer_value(&dir, seed)?;
    creatives(&dir, seed)?;
    Ok(())
}

/// The budget moves taken through the decision engine on a simulated market of the four
/// channels (each a campaign on its steady-state curve): the policy approves the small moves,
/// a person the large ones; a campaign cap blocks one; one is rolled back; the audit log is
/// verified.
fn decisions(
    channels: &[channelwise::optimize::budget::ChannelBudget],
    moves: &[channelwise::optimize::recommend::Recommendation],
) -> Result<(), Box<dyn std::error::Error>> {
    use channelwise::decide::decision::{DecisionStatus, Proposal, RiskRule};
    use channelwise::decide::engine::{Engine, ExecOutcome};
    use channelwise::decide::policy::{Guardrails, Policy};
    use channelwise::decide::store::SqliteStore;
    use channelwise::platform::sim::{SimCampaign, SimConfig, SimMarket};
    use std::collections::BTreeMap;
    let campaigns: Vec<SimCampaign> =
        channels.iter().map(|c| SimCampaign::new(c.name.clone(), c.current.unwrap_or(0.0), c.curve)).collect();
    let market = SimMarket::new(SimConfig { campaigns, ..SimConfig::default() })?;
    let daily: f64 = channels.iter().filter_map(|c| c.current).sum::<f64>();
    // the largest increase meets a campaign cap set at +10% of its spend today
    let capped = moves.iter().filter(|r| r.to > r.from).max_by(|a, b| (a.to - a.from).total_cmp(&(b.to - b.from)));
    let mut caps = BTreeMap::new();
    if let Some(r) = capped {
        caps.insert(r.target.clone(), (1.1 * r.from).round());
    }
    // this account spends about 4,250 a day: a move on up to 1,200 of it may be low risk
    let policy = Policy {
        risk: RiskRule { low_spend: 1200.0, ..RiskRule::default() },
        guardrails: Guardrails { account_daily_cap: Some((1.02 * daily).round()), campaign_daily_cap: caps.clone(), ..Guardrails::default() },
        ..Policy::default()
    };
    let path = std::env::temp_dir().join(format!("channelwise-tour-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut engine = Engine::new(SqliteStore::open(&path)?, market, policy)?;
    for c in channels {
        engine.observe(&c.name)?;
    }
    println!(
        "\nDecisions on a simulated market of the four campaigns (a SQLite store; account cap {:.0} a day{}):",
        (1.02 * daily).round(),
        caps.iter().map(|(k, v)| format!(", {k} capped at {v:.0}")).collect::<String>()
    );
    // decreases first, so the account cap holds between steps
    let mut order: Vec<_> = moves.iter().collect();
    order.sort_by(|a, b| (a.to - a.from).total_cmp(&(b.to - b.from)));
    let mut executed = Vec::new();
    for r in order {
        let d = engine.propose(
            Proposal::budget(&r.target, r.from, r.to)
                .confidence(r.confidence)
                .impact("conversions_per_day", r.impact.value, r.impact.lo, r.impact.hi)
                .reason(&r.reason),
        )?;
        let mut how = format!("{:?} risk", d.risk.level);
        if d.status == DecisionStatus::Pending {
            engine.approve(d.id, "ana")?;
            how.push_str(", approved by ana");
        } else {
            how.push_str(", approved by the policy");
        }
        let outcome = match engine.execute(d.id)? {
            ExecOutcome::Executed { verified } => {
                executed.push(d.id);
                format!("executed{}", if verified { ", read back" } else { "" })
            }
            ExecOutcome::Blocked { guardrail, reason } => format!("blocked by {guardrail}: {reason}"),
            other => format!("{other:?}"),
        };
        println!("  #{} {} {:.0} -> {:.0} ({how}): {outcome}", d.id, r.target, r.from, r.to);
    }
    // a person takes the last executed move back: the campaign holds its earlier budget again
    if let Some(&last) = executed.last() {
        let d = engine.decision(last)?;
        engine.rollback(last, "ana")?;
        let now = engine.observe(&d.proposal.entity)?;
        println!("  #{last} rolled back by ana: {} is at {:.0} a day again", d.proposal.entity, now.daily_budget);
    }
    let chain = engine.verify()?;
    println!("  audit log: {} entries, hash chain verified (head {}...)", chain.entries, &chain.head_hash[..12]);
    drop(engine);
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// Two creatives on the event log's social visits: each visit sees one (true sign-up rates 4.0%
/// and 4.8%, known only to the generator); a fixed 50/50 A/B test read at the end and weekly
/// with an always-valid confidence sequence, then a Thompson bandit on the same visits.
fn creatives(dir: &std::path::Path, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    use channelwise::experiment::ab::{ztest, Proportion, TestOptions};
    use channelwise::experiment::bandit::{Bandit, BetaThompson};
    use channelwise::experiment::bayes::{beta_binomial, BetaPrior};
    use channelwise::experiment::sequential::Sequential;
    const RATES: [f64; 2] = [0.040, 0.048];
    const NAMES: [&str; 2] = ["A (current)", "B (new)"];
    // the social touches' days, in time order: one visit each
    let mut days: Vec<i64> = std::fs::read_to_string(dir.join("touchpoints.csv"))?
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f.get(2) == Some(&"social")).then(|| f[1].parse::<i64>().ok().map(|t| t / DAY)).flatten()
        })
        .collect();
    days.sort_unstable();
    let first = days.first().copied().ok_or("no social visits")?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xC4EA);
    println!(
        "\nTwo creatives on the {} social visits ({} days): true sign-up rates {:.1}% and {:.1}% (the test does not know them).",
        days.len(),
        days.last().map_or(0, |d| d - first + 1),
        100.0 * RATES[0],
        100.0 * RATES[1]
    );

    // A 50/50 test, read every week with the confidence sequence, which may be read at any look
    let seq = Sequential::default().relative(false);
    let (mut n, mut won) = ([0.0f64; 2], [0.0f64; 2]);
    let mut decided: Option<(i64, f64, f64)> = None;
    for (i, &d) in days.iter().enumerate() {
        let arm = usize::from(rng.random::<f64>() < 0.5);
        n[arm] += 1.0;
        won[arm] += f64::from(u8::from(rng.random::<f64>() < RATES[arm]));
        let week_ends = days.get(i + 1).is_none_or(|&next| (next - first) / 7 != (d - first) / 7);
        if week_ends && decided.is_none() && n.iter().all(|&k| k >= 2.0) && won.iter().all(|&w| w > 0.0) {
            let (a, b) = (Proportion::new(n[0], won[0]).summary("a")?, Proportion::new(n[1], won[1]).summary("b")?);
            let look = seq.look(&a, &b)?;
            if look.ci_lower > 0.0 || look.ci_upper < 0.0 {
                decided = Some(((d - first) / 7 + 1, look.ci_lower, look.ci_upper));
            }
        }
    }
    let (a, b) = (Proportion::new(n[0], won[0]), Proportion::new(n[1], won[1]));
    let z = ztest(a, b, &TestOptions::default())?;
    let bayes = beta_binomial(a, b, BetaPrior::default())?;
    for k in 0..2 {
        println!("  {:<12} {:>6} visits, {:>4} sign-ups ({:.2}%)", NAMES[k], n[k], won[k], 100.0 * won[k] / n[k]);
    }
    println!(
        "  fixed-horizon z-test at the end: B - A = {:+.2} points, 95% CI [{:+.2}, {:+.2}], p = {:.4}; relative lift {:+.1}%",
        100.0 * z.absolute.estimate,
        100.0 * z.absolute.ci_lower,
        100.0 * z.absolute.ci_upper,
        z.p_value,
        z.relative.map_or(f64::NAN, |r| 100.0 * r.estimate)
    );
    println!(
        "  Bayesian (Beta(1, 1) priors): P(B beats A) = {:.4}, expected loss choosing B {:.4} points, choosing A {:.3}",
        bayes.chance_to_beat_a,
        100.0 * bayes.loss_choosing_b,
        100.0 * bayes.loss_choosing_a
    );
    match decided {
        Some((week, lo, hi)) => println!(
            "  read weekly with the always-valid confidence sequence: decided in week {week} (B - A in [{:+.2}, {:+.2}] points), safe to peek",
            100.0 * lo,
            100.0 * hi
        ),
        None => println!("  read weekly with the always-valid confidence sequence: not decided by the last week"),
    }

    // A Thompson bandit on the same visits: traffic moves to the better creative as it learns
    let mut bandit = Bandit::new(BetaThompson::default(), &["A", "B"], seed)?;
    let (mut shown, mut signups) = ([0usize; 2], 0.0);
    for _ in &days {
        let arm = usize::from(bandit.choose()? == "B");
        let reward = f64::from(u8::from(rng.random::<f64>() < RATES[arm]));
        bandit.update(["A", "B"][arm], reward)?;
        shown[arm] += 1;
        signups += reward;
    }
    let even = days.len() as f64 * (RATES[0] + RATES[1]) / 2.0;
    let weights = bandit.weights(None, None, 10_000)?;
    println!(
        "  Thompson bandit on the same visits: B shown {:.0}% of the time, {signups:.0} sign-ups against {even:.0} expected from a 50/50 split; \
         next visit goes to B with probability {:.2}",
        100.0 * shown[1] as f64 / days.len() as f64,
        weights.iter().find(|w| w.arm == "B").map_or(0.0, |w| w.weight)
    );
    Ok(())
}

/// The event log's users as leads: an explainable rule score as of day 45 for the leads that
/// have not bought yet, a funnel, weekly cohorts, and how the hot leads did afterwards.
fn leads(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use channelwise::leads::cohort::{Cohorts, Period};
    use channelwise::leads::funnel::{Funnel, RelativeTo, StepOrder};
    use channelwise::leads::predictive::{Calibration, LogisticScore};
    use channelwise::stats::classification::Reliability;
    use channelwise::leads::scoring::{self, Attributes, DecayMode, Dimension, EventRule, ScoringConfig};
    use channelwise::leads::EventLog;
    use std::collections::HashMap;
    // event types: the channels, then "purchase"
    let mut types: Vec<String> = CHANNELS.iter().map(|c| c.0.to_string()).collect();
    types.push("purchase".into());
    let (mut users, mut index): (Vec<String>, HashMap<String, u32>) = (Vec::new(), HashMap::new());
    let (mut lead, mut ts, mut kind, mut value) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (file, is_touch) in [("touchpoints.csv", true), ("conversions.csv", false)] {
        for line in std::fs::read_to_string(dir.join(file))?.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let next = users.len() as u32;
            let id = *index.entry(f[0].to_string()).or_insert_with(|| {
                users.push(f[0].to_string());
                next
            });
            lead.push(id);
            ts.push(f[1].parse::<i64>()?);
            if is_touch {
                kind.push(CHANNELS.iter().position(|c| c.0 == f[2]).ok_or("unknown channel")? as u32);
                value.push(0.0);
            } else {
                kind.push(CHANNELS.len() as u32);
                value.push(f[2].parse::<f64>()?);
            }
        }
    }
    let log = EventLog::new(users.len(), types, &lead, &ts, &kind, Some(&value))?;
    let start = 1_767_225_600i64;
    let as_of = start + 45 * DAY;
    // points per touch by what the channel says about intent; email capped at 10 a day;
    // activity halves every 14 days of silence
    let mut config = ScoringConfig::default().decay(14.0, DecayMode::Inactivity).daily_cap("email", 10.0).grades([10.0, 20.0, 30.0, 45.0], scoring::Basis::Total).temperature([10.0, 25.0], scoring::Basis::Activity);
    for (channel, dimension, points) in [
        ("search", Dimension::Intent, 8.0),
        ("direct", Dimension::Intent, 10.0),
        ("retargeting", Dimension::Intent, 4.0),
        ("email", Dimension::Engagement, 6.0),
        ("video", Dimension::Engagement, 5.0),
        ("social", Dimension::Behavioural, 4.0),
        ("display", Dimension::Behavioural, 1.0),
        ("affiliate", Dimension::Behavioural, 2.0),
    ] {
        config = config.event_rule(EventRule::new(channel, dimension, channel, points));
    }
    let started = std::time::Instant::now();
    let scores = scoring::score(&config, &Attributes::new(users.len()), &log, as_of)?;
    let took = started.elapsed();
    // who had bought by day 45, and who bought later
    let (mut bought_by, mut bought_after) = (vec![false; users.len()], vec![false; users.len()]);
    for i in 0..lead.len() {
        if kind[i] as usize == CHANNELS.len() {
            let slot = if ts[i] <= as_of { &mut bought_by } else { &mut bought_after };
            slot[lead[i] as usize] = true;
        }
    }
    let open: Vec<usize> = (0..users.len()).filter(|&i| !bought_by[i] && scores.last_activity[i].is_some()).collect();
    let mut order = open.clone();
    order.sort_by(|&a, &b| scores.total[b].total_cmp(&scores.total[a]).then(a.cmp(&b)));
    println!(
        "\nLeads: {} users, {} without a purchase by day 45, scored in {:.1} ms (8 rules on touches, email capped at 10 points a day, 14-day half-life of silence). Top leads, with reasons:",
        users.len(),
        open.len(),
        took.as_secs_f64() * 1e3
    );
    for &i in order.iter().take(4) {
        let e = scores.explain(i).ok_or("no such lead")?;
        let mut reasons: Vec<(String, f64)> = e.rules.iter().filter(|r| r.1 != 0.0).cloned().collect();
        reasons.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let reasons: Vec<String> = reasons.iter().take(3).map(|(n, p)| format!("{n} {p:+.1}")).collect();
        println!(
            "  {}: {:.1} points, grade {}, {}; {}",
            users[i],
            e.total,
            e.grade.as_str(),
            e.temperature.as_str(),
            reasons.join(", ")
        );
    }
    let mut by_temp: Vec<(usize, usize)> = vec![(0, 0); 3];
    for &i in &open {
        let t = match scores.temperature[i].as_str() {
            "hot" => 0,
            "warm" => 1,
            _ => 2,
        };
        by_temp[t].0 += 1;
        by_temp[t].1 += usize::from(bought_after[i]);
    }
    let rate = |(n, k): (usize, usize)| 100.0 * k as f64 / n.max(1) as f64;
    println!(
        "  bought after day 45: hot {:.1}% of {}, warm {:.1}% of {}, cold {:.1}% of {}",
        rate(by_temp[0]),
        by_temp[0].0,
        rate(by_temp[1]),
        by_temp[1].0,
        rate(by_temp[2]),
        by_temp[2].0
    );
    // a predictive score of the same question: touches per channel by day 45 and days of
    // silence -> bought afterwards; fitted on half of the open leads, judged on the other half
    // beside the rule score
    let k = CHANNELS.len() + 1;
    let mut x = vec![0.0; open.len() * k];
    let row_of: HashMap<usize, usize> = open.iter().enumerate().map(|(r, &l)| (l, r)).collect();
    for i in 0..lead.len() {
        if let (Some(&r), true) = (row_of.get(&(lead[i] as usize)), ts[i] <= as_of && (kind[i] as usize) < CHANNELS.len()) {
            x[r * k + kind[i] as usize] += 1.0;
        }
    }
    for (r, &l) in open.iter().enumerate() {
        x[r * k + CHANNELS.len()] = scores.last_activity[l].map_or(0.0, |t| (as_of - t) as f64 / DAY as f64);
    }
    let mut names: Vec<String> = CHANNELS.iter().map(|c| format!("{}_touches", c.0)).collect();
    names.push("days_silent".into());
    let y: Vec<f64> = open.iter().map(|&l| f64::from(u8::from(bought_after[l]))).collect();
    let half = |parity: usize| -> (Vec<f64>, Vec<f64>, Vec<usize>) {
        let rows: Vec<usize> = (0..open.len()).filter(|r| r % 2 == parity).collect();
        (rows.iter().flat_map(|&r| x[r * k..(r + 1) * k].to_vec()).collect(), rows.iter().map(|&r| y[r]).collect(), rows)
    };
    let ((x_fit, y_fit, _), (x_test, y_test, test_rows)) = (half(0), half(1));
    let model = LogisticScore::default().calibration(Calibration::Platt).fit(&x_fit, &names, &y_fit)?;
    let eval = model.evaluate(&x_test, &y_test, &Reliability::default())?;
    let rule_test: Vec<f64> = test_rows.iter().map(|&r| scores.total[open[r]]).collect();
    println!(
        "  predictive score (logistic regression on touches per channel and days of silence, Platt-calibrated), on held-out leads: AUC {:.3} (the rule score's {:.3}), Brier {:.4}",
        eval.auc,
        stats::classification::auc(&y_test, &rule_test)?,
        eval.brier
    );
    let p = model.predict_proba(&x_test)?;
    let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).ok_or("no held-out leads")?;
    let why = model.contributions(&x_test[best * k..(best + 1) * k])?;
    let mut top: Vec<(usize, f64)> = why.values.iter().copied().enumerate().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    let reasons: Vec<String> = top.iter().take(3).map(|&(j, v)| format!("{} = {:.1} ({v:+.2})", names[j], x_test[best * k + j])).collect();
    println!("    most likely buyer {}: P = {:.2}; what moves its log-odds most from the average lead's: {}", users[open[test_rows[best]]], p[best], reasons.join(", "));
    let f = Funnel::new(&["search", "email", "purchase"]).order(StepOrder::Sequential).window_seconds(30 * DAY).relative_to(RelativeTo::Previous).run(&log)?;
    let steps: Vec<String> = (0..f.steps.len())
        .map(|k| {
            let median = f.median_seconds_from_previous[k].map_or(String::new(), |s| format!(", median {:.1} days", s / DAY as f64));
            format!("{} {} ({:.0}%{median})", f.steps[k], f.counts[k], 100.0 * f.conversion_rate[k])
        })
        .collect();
    println!("  funnel within 30 days, each step relative to the one before: {}", steps.join(" -> "));
    let c = Cohorts::new(Period::Week).conversion_event("purchase").revenue_event("purchase").run(&log)?;
    println!("  weekly cohorts by first touch: share converted by week since acquisition (cumulative value per lead at week 4)");
    for row in c.cohorts.iter().take(4) {
        let conv: Vec<String> = row.conversion.iter().take(5).map(|v| format!("{:>5.1}%", 100.0 * v)).collect();
        let value = row.cumulative_value_per_customer.get(4).copied().unwrap_or(f64::NAN);
        println!("    {:<12} {:>5} leads {}  ({value:.1})", row.label, row.size, conv.join(" "));
    }
    Ok(())
}

/// Media channels of the year: name, mean daily spend, retention (geometric adstock, normalised,
/// 10 days), logistic steepness and ceiling (conversions per day at saturation).
const MEDIA: [(&str, f64, f64, f64, f64); 4] = [
    ("search", 1800.0, 0.1, 3.0, 40.0),
    ("social", 1000.0, 0.4, 2.0, 25.0),
    ("video", 700.0, 0.7, 1.5, 30.0),
    ("display", 500.0, 0.3, 1.0, 6.0),
];

/// Fits a media mix model to a year of daily spend over [`MEDIA`] and prints what each channel
/// returns beside the generator's truth.
fn media_mix(seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    use channelwise::optimize::mmm::{Mmm, MmmData};
    use channelwise::optimize::response::{Adstock, Saturation};
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x3e3e);
    let days = 365;
    let weekly = [1.12, 1.08, 1.05, 1.0, 0.96, 0.86, 0.93];
    let mut data = MmmData::new(Vec::new());
    let mut media = vec![0.0; days];
    let mut truth = Vec::new();
    for &(name, mean, alpha, lam, ceiling) in &MEDIA {
        // flighting: two- to four-week bursts on and off
        let mut on = true;
        let mut left = 0;
        let spend: Vec<f64> = (0..days)
            .map(|_| {
                if left == 0 {
                    on = !on || rng.random::<f64>() < 0.3;
                    left = rng.random_range(14..29);
                }
                left -= 1;
                let level = if on { mean * 1.6 } else { mean * 0.25 };
                (level * rng.random_range(0.7..1.3) * 100.0).round() / 100.0
            })
            .collect();
        let max = spend.iter().fold(0.0f64, |m, v| m.max(*v));
        let ad = Adstock::geometric(alpha, 10, true)?.apply(&spend.iter().map(|v| v / max).collect::<Vec<_>>(), &[])?;
        let curve = Saturation::logistic(lam, ceiling)?;
        // the outcome below scales media by the weekday factor too, so the truth does
        let contrib: f64 = ad
            .iter()
            .zip(media.iter_mut())
            .enumerate()
            .map(|(t, (&a, m))| {
                let c = curve.value(a);
                *m += c;
                c * weekly[t % 7]
            })
            .sum();
        truth.push((contrib, contrib / spend.iter().sum::<f64>()));
        data = data.channel(name, spend);
    }
    data.target = (0..days)
        .map(|t| (60.0 * (1.0 + 0.0008 * t as f64) + media[t]) * weekly[t % 7] + 4.0 * (rng.random::<f64>() - 0.5) * 2.0)
        .collect();
    // day of week as controls (Monday is the baseline)
    for (d, name) in ["tue", "wed", "thu", "fri", "sat", "sun"].iter().enumerate() {
        data = data.control(*name, (0..days).map(|t| f64::from(u8::from(t % 7 == d + 1))).collect());
    }
    let data = data.days((0..days).map(|t| 20_454.0 + t as f64).collect()); // 2026-01-01 onward
    let started = std::time::Instant::now();
    let fit = Mmm::default().l_max(10).yearly_seasonality(2).fit(&data)?;
    let took = started.elapsed();
    let d = fit.diagnostics();
    println!(
        "\nMedia mix: {days} days x {} channels, day-of-week controls, yearly seasonality; fitted with 90% Laplace \
         intervals in {:.0} ms (R2 {:.3}, NRMSE {:.3}, {} of {} starts agree).",
        MEDIA.len(),
        took.as_secs_f64() * 1e3,
        d.r2,
        d.nrmse,
        fit.convergence().starts_agreeing,
        fit.convergence().runs.len()
    );
    println!("  {:<8} {:>9} {:>26} {:>9} {:>20} {:>9}  {:>10}", "channel", "spend", "conversions [90%]", "true", "per 1000 [90%]", "true", "next 1000");
    for (row, (true_contrib, true_roas)) in fit.summary().iter().zip(&truth) {
        println!(
            "  {:<8} {:>9.0} {:>8.0} [{:>6.0}, {:>6.0}] {:>9.0} {:>6.1} [{:>4.1}, {:>4.1}] {:>9.1}  {:>10.1}",
            row.channel,
            row.spend,
            row.contribution.value,
            row.contribution.lo,
            row.contribution.hi,
            true_contrib,
            1e3 * row.roas.value,
            1e3 * row.roas.lo,
            1e3 * row.roas.hi,
            1e3 * true_roas,
            1e3 * row.mroas.value,
        );
    }
    println!("  (per 1000: conversions per 1000 spent; next 1000: marginal ROAS, what 1% more spend every day returns per 1000)");
    for w in fit.warnings() {
        println!("  note: {w}");
    }
    next_month_budget(&fit)
}

/// Splits next month's daily budget (the year's mean) over the fitted curves, each channel
/// moving at most 30% from its mean daily spend, and prints the moves with the certificate.
fn next_month_budget(fit: &channelwise::optimize::mmm::FittedMmm) -> Result<(), Box<dyn std::error::Error>> {
    use channelwise::optimize::budget::{Allocate, MaxChange};
    let channels = fit.budget_channels();
    let daily: f64 = channels.iter().filter_map(|c| c.current).sum();
    let started = std::time::Instant::now();
    let plan = Allocate::budget(daily).max_change(MaxChange::Relative(0.3)).solve(&channels)?;
    let took = started.elapsed();
    let before: f64 = channels.iter().map(|c| c.curve.value(c.current.unwrap_or(0.0))).sum();
    println!(
        "\nNext month: the same {daily:.0} a day, each channel within 30% of today (steady-state curves; solved in {:.2} ms):",
        took.as_secs_f64() * 1e3
    );
    println!("  {:<8} {:>9} {:>9} {:>11} {:>14}  held by", "channel", "today", "plan", "conv/day", "next 1000");
    for (row, c) in plan.rows.iter().zip(&channels) {
        println!(
            "  {:<8} {:>9.0} {:>9.0} {:>11.1} {:>14.2}  {:?}",
            row.channel,
            c.current.unwrap_or(0.0),
            row.spend,
            row.response,
            1e3 * row.marginal,
            row.bound
        );
    }
    let cert = &plan.certificate;
    println!(
        "  {:.1} conversions a day instead of {before:.1} (+{:.1}%); {}: every free channel returns {:.2} per 1000 at the margin, KKT residual {:.1e}, duality gap {:.1e}.",
        plan.total_response,
        100.0 * (plan.total_response / before - 1.0),
        cert.method,
        1e3 * cert.multiplier,
        cert.kkt_residual,
        cert.duality_gap
    );
    // the same moves as recommendations: impact with its 90% interval over the MMM's draws,
    // the share of draws in which the move helps, and the reason
    use channelwise::optimize::recommend::{budget_moves, Guardrails};
    let guard = Guardrails { max_budget_change: Some(0.3), min_change: 0.02, ..Default::default() };
    println!("Recommendations (each within 30% of today):");
    let moves = budget_moves(&channels, &plan, &guard)?;
    for r in &moves {
        println!("  [{:.0}% sure] {}", 100.0 * r.confidence, r.reason);
    }
    decisions(&channels, &moves)?;
    // guarding the worst tenth of the model's draws instead of the mode's curves
    let safe = Allocate::budget(daily).max_change(MaxChange::Relative(0.3)).cvar(0.1).solve(&channels)?;
    let worst_tenth = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        let k = (v.len() as f64 * 0.1).max(1.0);
        v.iter().take(k.ceil() as usize).enumerate().map(|(i, x)| x * (k - i as f64).min(1.0)).sum::<f64>() / k
    };
    println!(
        "Risk-averse (CVaR at 10% over the model's {} draws): the worst tenth of draws averages {:.2} conversions a day with this split against {:.2} with the plan above (proven within {:.1e}); spend {}.",
        safe.response_draws.len(),
        safe.cvar.unwrap_or(f64::NAN),
        worst_tenth(&plan.response_draws),
        safe.certificate.suboptimality,
        safe.rows.iter().map(|r| format!("{} {:.0}", r.channel, r.spend)).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Repeat purchases after each converter's first order, from a BG/NBD process with known
/// parameters (weekly rates), then what channelwise's CLV models recover and who is slipping.
fn customer_value(dir: &std::path::Path, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    use channelwise::clv::bg_bb::BetaGeoBetaBinom;
    use channelwise::clv::bg_nbd::BetaGeo;
    use channelwise::clv::gamma_gamma::GammaGamma;
    use channelwise::clv::mbg_nbd::ModifiedBetaGeo;
    use channelwise::clv::rfm::{summary, Period, RfmOptions};
    use channelwise::clv::Freq;
    use rand_distr::{Beta, Distribution, Exp, Gamma};
    let (r, alpha, a, b): (f64, f64, f64, f64) = (0.25, 4.0, 0.8, 2.5); // lambda ~ Gamma(r, rate alpha) per week, p ~ Beta(a, b)
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xc1f);
    let text = std::fs::read_to_string(dir.join("conversions.csv"))?;
    let end = 1_767_225_600i64 + 365 * DAY; // a year after the log starts
    let (mut ids, mut ts, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (user, t0, v0) = (f[0].to_string(), f[1].parse::<i64>()?, f[2].parse::<f64>()?);
        let lambda = Gamma::new(r, 1.0 / alpha)?.sample(&mut rng);
        let p = Beta::new(a, b)?.sample(&mut rng);
        let mut t = t0 as f64;
        ids.push(user.clone());
        ts.push(t0);
        values.push(v0);
        loop {
            t += Exp::new(lambda.max(1e-12))?.sample(&mut rng) * 7.0 * DAY as f64;
            if t >= end as f64 {
                break;
            }
            ids.push(user.clone());
            ts.push(t as i64);
            values.push(v0 * Gamma::new(20.0, 1.0 / 20.0)?.sample(&mut rng));
            if rng.random::<f64>() < p {
                break;
            }
        }
    }
    let opts = RfmOptions { freq: Period::Week, observation_end: Some(end), ..RfmOptions::default() };
    let rfm = summary(&ids, &ts, Some(&values), &opts)?;
    let started = std::time::Instant::now();
    let bg = BetaGeo::default().fit(&rfm.frequency, &rfm.recency, &rfm.t, None)?;
    let took = started.elapsed();
    let q = &bg.params;
    println!(
        "
Customers: {} converters, {} orders over the year -> BG/NBD in {:.1} ms: r {:.3} (true {r}), alpha {:.2} ({alpha}), a {:.2} ({a}), b {:.2} ({b}); log-likelihood {:.1}.",
        rfm.customer_id.len(),
        ids.len(),
        took.as_secs_f64() * 1e3,
        q.r,
        q.alpha,
        q.a,
        q.b,
        bg.log_likelihood
    );
    let alive = q.p_alive(&rfm.frequency, &rfm.recency, &rfm.t)?;
    // the same customers under MBG/NBD, where one may also leave at her first order
    let mbg = ModifiedBetaGeo::default().fit(&rfm.frequency, &rfm.recency, &rfm.t, None)?;
    let once: Vec<usize> = (0..rfm.frequency.len()).filter(|&i| rfm.frequency[i] == 0.0).collect();
    let mbg_alive = mbg.params.p_alive(&rfm.frequency, &rfm.recency, &rfm.t)?;
    println!(
        "  MBG/NBD (a customer may leave at her first order too) on the same: log-likelihood {:.1}; P(alive) of the {} one-order customers averages {:.2} (BG/NBD: 1).",
        mbg.log_likelihood,
        once.len(),
        once.iter().map(|&i| mbg_alive[i]).sum::<f64>() / once.len().max(1) as f64
    );
    // each week an opportunity to order (BG/BB): the weekly summary's counts are its histories
    let bb = BetaGeoBetaBinom::default().fit(&rfm.frequency, &rfm.recency, &rfm.t, None)?;
    let next = bb.params.expected_purchases(4, &rfm.frequency, &rfm.recency, &rfm.t)?;
    let next_bg = q.expected_purchases(4.0, &rfm.frequency, &rfm.recency, &rfm.t)?;
    println!(
        "  BG/BB, each week an opportunity: a live customer orders in {:.1}% of her weeks and leaves with {:.1}% a week (Beta means); {:.0} repeat orders expected in the next 4 weeks (BG/NBD: {:.0}).",
        100.0 * bb.params.alpha / (bb.params.alpha + bb.params.beta),
        100.0 * bb.params.gamma / (bb.params.gamma + bb.params.delta),
        next.iter().sum::<f64>(),
        next_bg.iter().sum::<f64>()
    );
    let repeat: Vec<usize> = (0..rfm.frequency.len()).filter(|&i| rfm.frequency[i] > 0.0).collect();
    let pick = |v: &[f64]| repeat.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let (f, rc, t, m) = (pick(&rfm.frequency), pick(&rfm.recency), pick(&rfm.t), pick(&rfm.monetary_value));
    let gg = GammaGamma::default().fit(&f, &m, None)?;
    let clv = gg.params.customer_lifetime_value(q, &f, &rc, &t, &m, 12, 0.01, Freq::Week)?;
    let mut order: Vec<usize> = (0..repeat.len()).collect();
    order.sort_by(|&x, &y| clv[y].total_cmp(&clv[x]));
    println!("  most valuable (12-month CLV, 1% a month discount; Gamma-Gamma p {:.2}, q {:.2}, v {:.1}):", gg.params.p, gg.params.q, gg.params.v);
    for &k in order.iter().take(3) {
        let i = repeat[k];
        println!("    {}: {:.0} repeat weeks, last {:.0} weeks after the first, P(alive) {:.2}, {:.0} a order -> {:.0}", rfm.customer_id[i], f[k], rc[k], alive[i], m[k], clv[k]);
    }
    // at risk: frequent buyers the model thinks have probably left
    let mut risk: Vec<usize> = repeat.iter().copied().filter(|&i| rfm.frequency[i] >= 3.0 && alive[i] < 0.5).collect();
    risk.sort_by(|&x, &y| (rfm.frequency[y] * rfm.monetary_value[y]).total_cmp(&(rfm.frequency[x] * rfm.monetary_value[x])));
    println!("  at risk ({} frequent buyers with P(alive) < 0.5), the largest:", risk.len());
    for &i in risk.iter().take(3) {
        println!(
            "    {}: {:.0} repeat weeks, silent for the last {:.0} of {:.0} weeks -> P(alive) {:.2}",
            rfm.customer_id[i],
            rfm.frequency[i],
            rfm.t[i] - rfm.recency[i],
            rfm.t[i],
            alive[i]
        );
    }
    Ok(())
}

/// Days of the year with an injected incident, and what happened.
const INCIDENTS: [(usize, &str); 5] = [
    (97, "tracking outage: conversions at 25%"),
    (180, "runaway budget: spend x3, no extra conversions"),
    (243, "bot burst: conversions x2.2"),
    (318, "tracking outage: conversions at 30%"),
    (319, "tracking outage: conversions at 30%"),
];

/// A year of daily spend and conversions with a weekly pattern, growth and the [`INCIDENTS`].
fn daily_series(seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let weekly = [1.12, 1.08, 1.05, 1.0, 0.96, 0.86, 0.93]; // Monday .. Sunday
    let (mut spend, mut conv) = (Vec::with_capacity(365), Vec::with_capacity(365));
    for t in 0..365 {
        let noise = |rng: &mut ChaCha8Rng, sd: f64| (sd * (rng.random::<f64>() + rng.random::<f64>() - 1.0) * 2.45).exp();
        let s = 4000.0 * (1.0 + 0.0012 * t as f64) * weekly[t % 7] * noise(&mut rng, 0.04);
        let mut c = s / 25.0 * weekly[t % 7] * noise(&mut rng, 0.05);
        let mut s = s;
        match t {
            97 => c *= 0.25,
            180 => s *= 3.0,
            243 => c *= 2.2,
            318 | 319 => c *= 0.3,
            _ => {}
        }
        spend.push((s * 100.0).round() / 100.0);
        conv.push(c.round());
    }
    (spend, conv)
}

/// Forecasts the daily series and flags its anomalies, scoring each detector on the injected
/// incidents.
fn forecasts_and_anomalies(seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    let (spend, conv) = daily_series(seed);
    let n = conv.len();
    println!("\nDaily series: {n} days of spend and conversions, weekly pattern, growth, 5 injected incidents.");

    // Forecast accuracy on the last four weeks, held out.
    let (train, test) = conv.split_at(n - 28);
    let held = AutoEts::new(7).fit(train)?;
    let f = held.forecast(28, &[80.0, 95.0])?;
    let naive: Vec<f64> = (0..28).map(|h| train[train.len() - 7 + h % 7]).collect();
    println!(
        "Held-out month: AutoETS chose {} (AICc {:.1}); MASE {:.3} vs {:.3} for the seasonal naive; \
         MAPE {:.1}%; 80% interval covers {:.0}% of days, 95% covers {:.0}%.",
        held.model(),
        held.aicc(),
        metrics::mase(test, &f.mean, train, 7)?,
        metrics::mase(test, &naive, train, 7)?,
        100.0 * metrics::mape(test, &f.mean)?,
        100.0 * metrics::coverage(test, &f.lower[0], &f.upper[0])?,
        100.0 * metrics::coverage(test, &f.lower[1], &f.upper[1])?,
    );

    // The next four weeks, from the whole year.
    let full = AutoEts::new(7).fit(&conv)?;
    let next = full.forecast(28, &[80.0, 95.0])?;
    println!("Next four weeks ({}): conversions per week, mean [80%] [95%] (daily bounds summed):", full.model());
    for w in 0..4 {
        let sum = |v: &[f64]| v[w * 7..w * 7 + 7].iter().sum::<f64>();
        println!(
            "  week {}: {:>7.0}  [{:.0}, {:.0}]  [{:.0}, {:.0}]",
            w + 1,
            sum(&next.mean),
            sum(&next.lower[0]),
            sum(&next.upper[0]),
            sum(&next.lower[1]),
            sum(&next.upper[1])
        );
    }

    // Structure: weekly pattern and growth.
    let stl = Stl::new(7).robust(true).fit(&conv)?;
    let days: Vec<f64> = (0..n).map(|t| t as f64).collect();
    let mk = stats::mann_kendall(&spend, 0.05)?;
    let ts = stats::theil_sen(&days, &spend, 0.05)?;
    println!(
        "STL (period 7, robust): seasonal strength {:.2}, trend strength {:.2}. Spend trend: Mann-Kendall {} \
         (p = {:.1e}), Theil-Sen slope {:.2}/day, 95% CI [{:.2}, {:.2}].",
        stl.seasonal_strength()?,
        stl.trend_strength()?,
        mk.trend.as_str(),
        mk.p,
        ts.slope,
        ts.low_slope,
        ts.high_slope
    );

    // Detectors, each scored against the injected incidents.
    let truth: Vec<usize> = INCIDENTS.iter().map(|i| i.0).collect();
    let sesd = SeasonalEsd::new(7).max_anoms(0.02).alpha(0.05).detect(&conv)?;
    let alerts = full.alerts(99.0)?;
    let cpa: Vec<f64> = spend.iter().zip(&conv).map(|(s, c)| s / c.max(1.0)).collect();
    let rows: Vec<f64> = (0..n).flat_map(|t| [spend[t].ln(), conv[t].max(1.0).ln(), cpa[t].ln()]).collect();
    let forest = IsolationForest::default()
        .n_estimators(200)
        .contamination(Contamination::Fraction(5.0 / 365.0))
        .seed(seed)
        .fit(&rows, 3)?;
    let flagged_forest: Vec<usize> =
        forest.predict(&rows, 3)?.iter().enumerate().filter(|&(_, &p)| p < 0).map(|(i, _)| i).collect();
    let detectors: [(&str, Vec<usize>); 3] = [
        ("seasonal hybrid ESD (conversions)", sesd.esd.indices()),
        ("AutoETS residual alerts, 99% (conversions)", alerts.iter().map(|a| a.index).collect()),
        ("isolation forest (log spend, conversions, CPA)", flagged_forest),
    ];
    println!("Anomalies: {} injected on days {:?}.", truth.len(), truth);
    for (name, found) in &detectors {
        let hits = found.iter().filter(|d| truth.contains(d)).count();
        println!(
            "  {name:<48} flagged {:>2} days, {hits} of them injected (precision {:.0}%, recall {:.0}%): {found:?}",
            found.len(),
            100.0 * hits as f64 / found.len().max(1) as f64,
            100.0 * hits as f64 / truth.len() as f64,
        );
    }
    println!("Why, in the forecast's words (AutoETS one-step alerts at 99%):");
    for a in alerts.iter().filter(|a| truth.contains(&a.index)) {
        let what = INCIDENTS.iter().find(|i| i.0 == a.index).map_or("", |i| i.1);
        println!("  day {:>3}: {} [{what}]", a.index, a.reason);
    }
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
