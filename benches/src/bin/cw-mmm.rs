//! `cw-mmm <rows> <channels> <seed>`: writes the synthetic MMM data set as JSON (for probes).
fn main() {
    let a: Vec<usize> = std::env::args().skip(1).map(|s| s.parse().unwrap_or(0)).collect();
    let (d, shares) = channelwise_benches::synthetic_mmm(a[0], a[1], a[2] as u64);
    println!("{}", serde_json::json!({"data": d, "shares": shares}));
}
