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
