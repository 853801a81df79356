//! The Rust example on the README's front page (copied there by `scripts/sync_readme.py`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

#[test]
fn readme_rust() -> Result<(), channelwise::Error> {
    // START: readme-rust
    use channelwise::attribution::{shapley, Bootstrap, Heuristics, Horizon, Markov};
    use channelwise::journey::PathTable;

    let table = PathTable::from_strings(
        &["search > display > email", "display", "search > email", "email"],
        &[12.0, 3.0, 9.0, 4.0],                 // conversions
        Some(&[40.0, 60.0, 21.0, 30.0]),         // journeys that did not convert
        Some(&[1200.0, 240.0, 990.0, 300.0]),    // conversion value
        ">",
    )?;
    let heuristics = Heuristics::default().fit(&table)?;     // first, last, linear, U, W
    let markov = Markov::default().order(1).fit(&table)?;   // exact removal effects
    let ca_like = Markov::default().horizon(Horizon::ChannelAttributionDefault).fit(&table)?;
    let shap = shapley(&table)?;
    let ci = Bootstrap::default().replicates(200).seed(7).markov(&Markov::default(), &table)?;
    for (i, ch) in table.channels().iter().enumerate() {
        println!(
            "{ch:8} last {:5.1}  markov {:5.1} [{:5.1}, {:5.1}]  shapley {:5.1}",
            heuristics.last_touch.conversions[i], markov.credit().conversions[i],
            ci.conversions_lower[i], ci.conversions_upper[i], shap.conversions[i],
        );
    }
    assert!((markov.credit().total_conversions() - 28.0).abs() < 1e-9);
    assert!(ca_like.conversion_probability() <= markov.conversion_probability());
    // END: readme-rust
    Ok(())
}

#[test]
fn readme_rust_forecast() -> Result<(), channelwise::Error> {
    // START: readme-rust-forecast
    use channelwise::anomaly::robust::SeasonalEsd;
    use channelwise::anomaly::{Contamination, IsolationForest};
    use channelwise::forecast::decompose::Stl;
    use channelwise::forecast::ets::AutoEts;

    // Four years of monthly conversions with a yearly pattern, growth, and one bad month.
    let mut y: Vec<f64> = (0..48)
        .map(|t| (200.0 + 3.0 * t as f64) * (1.0 + 0.3 * (t as f64 * std::f64::consts::PI / 6.0).sin()))
        .map(|v| v + (v * 7.3).sin() * 6.0) // deterministic noise
        .collect();
    y[30] *= 0.4; // a tracking outage

    let model = AutoEts::new(12).fit(&y)?; // AICc over the admissible ETS models
    let next = model.forecast(6, &[80.0, 95.0])?; // mean and intervals, six months ahead
    println!("{} AICc {:.1}: next month {:.0} [{:.0}, {:.0}] (95%)",
        model.model(), model.aicc(), next.mean[0], next.lower[1][0], next.upper[1][0]);

    let stl = Stl::new(12).robust(true).fit(&y)?; // statsmodels' STL
    println!("seasonal strength {:.2}", stl.seasonal_strength()?);

    let esd = SeasonalEsd::new(12).max_anoms(0.05).detect(&y)?; // Twitter's seasonal hybrid ESD
    for alert in model.alerts(99.0)? { // points outside the one-step 99% interval, and why
        println!("month {}: {}", alert.index, alert.reason);
    }

    let rows: Vec<f64> = y.iter().enumerate().flat_map(|(t, v)| [t as f64 % 12.0, *v]).collect();
    let forest = IsolationForest::default().contamination(Contamination::Fraction(0.05)).seed(0).fit(&rows, 2)?;
    let scores = forest.score_samples(&rows, 2)?; // scikit-learn's sign: lower is more abnormal
    // END: readme-rust-forecast
    assert!(esd.esd.indices().contains(&30), "{:?}", esd.esd.indices());
    assert!(model.alerts(99.0)?.iter().any(|a| a.index == 30));
    assert!(next.lower[1][0] < next.mean[0] && next.mean[0] < next.upper[1][0]);
    let lowest = (0..scores.len()).min_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap();
    assert_eq!(lowest, 30);
    Ok(())
}

#[test]
fn readme_rust_mmm() -> Result<(), channelwise::Error> {
    // START: readme-rust-mmm
    use channelwise::optimize::mmm::{Mmm, MmmData};
    use channelwise::optimize::response::{Adstock, Saturation};

    // Two years of weekly spend on two channels, and sales they drove through a carry-over and a
    // saturating curve (made up here; yours come from your books).
    let tv: Vec<f64> = (0..104).map(|t| if t % 8 < 4 { 900.0 } else { 150.0 }).collect();
    let search: Vec<f64> = (0..104).map(|t| 300.0 + 120.0 * (t as f64 * 0.9).sin()).collect();
    let tv_carried = Adstock::geometric(0.5, 4, true)?.apply(&tv, &[])?; // half carries to next week
    let tv_curve = Saturation::hill(1.0, 600.0, 3000.0)?; // half of 3000 at 600 a week
    let sales: Vec<f64> = (0..104)
        .map(|t| 5000.0 + tv_curve.value(tv_carried[t]) + 2.5 * search[t] + 60.0 * (t as f64 * 2.3).sin())
        .collect();

    let data = MmmData::new(sales).channel("tv", tv).channel("search", search);
    let fit = Mmm::default() // geometric adstock (l_max 8), logistic curves, pymc-marketing's priors
        .l_max(4)
        .yearly_seasonality(2)
        .fit(&data)?; // MAP from 4 seeded starts, 90% Laplace intervals
    for row in fit.summary() {
        println!("{}: {:.0} sales [{:.0}, {:.0}], ROAS {:.2}, marginal ROAS {:.2}",
            row.channel, row.contribution.value, row.contribution.lo, row.contribution.hi,
            row.roas.value, row.mroas.value);
    }
    // What another 100 a week on tv returns once carry-over settles (for the budget allocator):
    let curve: Saturation = fit.steady_state_curve("tv")?.expect("tv spends");
    println!("tv: {:.0} sales a week at 500, {:.0} at 600", curve.value(500.0), curve.value(600.0));
    // END: readme-rust-mmm
    assert!(fit.diagnostics().r2 > 0.9, "{:?}", fit.diagnostics());
    Ok(())
}

#[test]
fn readme_rust_budget() -> Result<(), channelwise::Error> {
    // START: readme-rust-budget
    use channelwise::optimize::budget::periods::{ChannelPlan, Horizon};
    use channelwise::optimize::budget::{Allocate, ChannelBudget, MaxChange};
    use channelwise::optimize::response::{Adstock, Saturation};

    // Weekly response curves (from an MMM's steady_state_curve, or entered by hand).
    let channels = [
        ChannelBudget::new("tv", Saturation::hill(1.0, 600.0, 3000.0)?).current(500.0),
        ChannelBudget::new("search", Saturation::logistic(0.004, 2500.0)?).current(300.0).upper(900.0),
        ChannelBudget::new("social", Saturation::hill(2.5, 250.0, 900.0)?).current(200.0), // S-curve
    ];
    let plan = Allocate::budget(1000.0).max_change(MaxChange::Relative(0.5)).solve(&channels)?;
    for row in &plan.rows {
        println!("{}: {:.0} -> {:.0} a week, marginal return {:.2} ({:?})",
            row.channel, channels.iter().find(|c| c.name == row.channel).and_then(|c| c.current).unwrap_or(0.0),
            row.spend, row.marginal, row.bound);
    }
    let cert = &plan.certificate; // how far from the global optimum this split can be
    println!("{}: {:.0} a week, at most {:.1e} below the optimum", cert.method, plan.total_response, cert.suboptimality);

    // Four weeks with carry-over: week 3 is a sale week (responses count 1.5x).
    let weekly = [
        ChannelPlan::new("tv", Saturation::michaelis_menten(3000.0, 600.0)?, Adstock::geometric(0.6, 6, false)?)
            .pre(vec![500.0; 5]), // last weeks' tv still carries in
        ChannelPlan::new("search", Saturation::michaelis_menten(2500.0, 500.0)?, Adstock::geometric(0.0, 1, false)?),
    ];
    let month = Horizon::per_period(vec![800.0; 4]).profile(vec![1.0, 1.0, 1.5, 1.0]).solve(&weekly)?;
    println!("tv by week {:?}; within {:.1e} of the best plan", month.spend[0], month.certificate.suboptimality);
    // END: readme-rust-budget
    assert!((plan.total_spend - 1000.0).abs() < 1e-9);
    assert!(cert.suboptimality <= 1e-6);
    assert!(month.certificate.suboptimality <= 1e-9);
    Ok(())
}

#[test]
fn readme_rust_bids_recommend() -> Result<(), channelwise::Error> {
    // START: readme-rust-bids
    use channelwise::optimize::bids::{BidModel, Cell, Target};
    use channelwise::optimize::recommend::{targeting, Guardrails, Segment};

    // Clicks, conversions and value per context; a thin cell (tablet) is shrunk toward average.
    let cells = [
        Cell::new(&["mobile", "evening"], 4000.0, 60.0, 3000.0),
        Cell::new(&["mobile", "morning"], 3000.0, 30.0, 1500.0),
        Cell::new(&["desktop", "evening"], 2000.0, 50.0, 2500.0),
        Cell::new(&["desktop", "morning"], 1500.0, 30.0, 1500.0),
        Cell::new(&["tablet", "evening"], 20.0, 2.0, 100.0),
    ];
    let bids = BidModel::new(&["device", "daypart"], Target::Roas(4.0)).max_change(0.2).fit(&cells)?;
    let bid = bids.bid(&["desktop", "evening"], Some(0.25))?;
    println!("{}", bid.explanation); // P(conversion) x value / target, factor by factor, and what held it

    // Segments converting significantly worse than the rest (z-test, Holm-corrected), with reasons.
    let segments = [
        Segment { name: "lookalike".into(), clicks: 5000.0, conversions: 250.0, cost: 5000.0 },
        Segment { name: "retarget".into(), clicks: 5000.0, conversions: 240.0, cost: 5000.0 },
        Segment { name: "broad".into(), clicks: 4000.0, conversions: 80.0, cost: 4000.0 },
    ];
    for r in targeting(&segments, &Guardrails::default())? {
        println!("[{:.0}% sure] {}", 100.0 * r.confidence, r.reason);
    }
    // END: readme-rust-bids
    assert!(bid.bid <= 0.25 * 1.2 + 1e-12);
    assert_eq!(targeting(&segments, &Guardrails::default())?.len(), 1);
    Ok(())
}
