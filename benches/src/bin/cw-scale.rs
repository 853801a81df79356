//! How far one machine goes: journeys from a user-sorted CSV event log of N events, built by
//! `JourneyStream::read_sorted` (a batch of users in memory at a time) or, for comparison, read
//! whole and built in one go (`TouchpointCsv::read` + `JourneyBuilder::build`). The log is
//! generated on the fly as CSV text (seeded, no disk), so the timing covers CSV parsing and
//! journey building. Prints JSON: events, seconds, events per second, peak resident memory
//! (VmHWM) and the table's size.
//!
//! `cw-scale --events 10000000 --mode stream|memory [--batch 10000] [--max-touches 17] [--seed 7]`
//!
//! Run each mode in its own process (peak memory is per process); `benches/compare/scale.py`
//! runs the table in the README.

use std::io::Read;
use std::process::ExitCode;
use std::time::Instant;

use channelwise::journey::{ConversionCsv, JourneyBuilder, TouchpointCsv};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

const CHANNELS: [&str; 8] = ["search", "email", "display", "social", "direct", "affiliate", "video", "podcast"];

/// A user's events, drawn from a generator seeded by (seed, user): the touch and the conversion
/// logs draw the same user identically, each writing its part.
struct User {
    touches: Vec<(i64, usize)>,
    conversions: Vec<(i64, u32)>,
}

fn user(seed: u64, u: u64, max_touches: usize) -> User {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ u.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let n = 1 + rng.random_range(0..max_touches);
    let start = rng.random_range(0..60 * 86_400i64);
    let mut t = start;
    let touches = (0..n)
        .map(|_| {
            t += rng.random_range(60..3 * 86_400);
            (t, rng.random_range(0..CHANNELS.len()))
        })
        .collect();
    let conversions = (0..rng.random_range(0..3u32)).map(|_| (start + rng.random_range(0..40 * 86_400), rng.random_range(1..20_000))).collect();
    User { touches, conversions }
}

/// CSV text of the touches (or the conversions) of users 0.., in user order.
struct Log {
    seed: u64,
    max_touches: usize,
    users: u64,
    next: u64,
    touches: bool,
    buf: Vec<u8>,
    pos: usize,
}

impl Log {
    fn new(seed: u64, max_touches: usize, users: u64, touches: bool) -> Self {
        let header = if touches { "user_id,timestamp,channel\n" } else { "user_id,timestamp,value\n" };
        Log { seed, max_touches, users, next: 0, touches, buf: header.as_bytes().to_vec(), pos: 0 }
    }
}

impl Read for Log {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        use std::io::Write;
        while self.pos == self.buf.len() && self.next < self.users {
            self.buf.clear();
            self.pos = 0;
            for _ in 0..256 {
                if self.next == self.users {
                    break;
                }
                let u = user(self.seed, self.next, self.max_touches);
                if self.touches {
                    for (ts, c) in u.touches {
                        writeln!(self.buf, "u{:010},{ts},{}", self.next, CHANNELS[c])?;
                    }
                } else {
                    for (ts, v) in u.conversions {
                        writeln!(self.buf, "u{:010},{ts},{}.{:02}", self.next, v / 100, v % 100)?;
                    }
                }
                self.next += 1;
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Peak resident memory of this process in MB (Linux `VmHWM`), or `None` elsewhere.
fn peak_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn run(args: &[String]) -> Result<serde_json::Value, String> {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let events: u64 = flag("--events").map_or(Ok(1_000_000), |s| s.parse()).map_err(|e| format!("--events: {e}"))?;
    let batch: usize = flag("--batch").map_or(Ok(10_000), |s| s.parse()).map_err(|e| format!("--batch: {e}"))?;
    let seed: u64 = flag("--seed").map_or(Ok(7), |s| s.parse()).map_err(|e| format!("--seed: {e}"))?;
    let mode = flag("--mode").unwrap_or_else(|| "stream".into());
    // Up to `--max-touches` touches per user (uniform; default 17, so 9 on average: nearly every
    // path is distinct) and 1 conversion on average. A small maximum bounds the distinct paths,
    // which shows the memory of the batch alone.
    let max_touches: usize = flag("--max-touches").map_or(Ok(17), |s| s.parse()).map_err(|e| format!("--max-touches: {e}"))?;
    if max_touches == 0 {
        return Err("--max-touches: at least 1".into());
    }
    let users = (events / (max_touches as u64 / 2 + 2)).max(1);
    let b = JourneyBuilder::new();
    let t0 = Instant::now();
    let (table, report) = match mode.as_str() {
        "stream" => {
            let mut s = b.stream();
            let t = TouchpointCsv::default().rows(Log::new(seed, max_touches, users, true)).map_err(|e| e.to_string())?;
            let c = ConversionCsv::default().rows(Log::new(seed, max_touches, users, false)).map_err(|e| e.to_string())?;
            s.read_sorted(t, c, batch).map_err(|e| e.to_string())?;
            s.finish().map_err(|e| e.to_string())?
        }
        "memory" => {
            let t = TouchpointCsv::default().read(Log::new(seed, max_touches, users, true)).map_err(|e| e.to_string())?;
            let c = ConversionCsv::default().read(Log::new(seed, max_touches, users, false)).map_err(|e| e.to_string())?;
            let j = b.build(&t, &c).map_err(|e| e.to_string())?;
            (j.path_table().canonical().map_err(|e| e.to_string())?, j.report().clone())
        }
        m => return Err(format!("--mode: {m:?} is not stream or memory")),
    };
    let secs = t0.elapsed().as_secs_f64();
    let counted = (0..users).map(|u| user(seed, u, max_touches)).fold(0u64, |a, u| a + (u.touches.len() + u.conversions.len()) as u64);
    Ok(json!({
        "mode": mode,
        "events": counted,
        "users": users,
        "max_touches": max_touches,
        "batch_users": if mode == "stream" { Some(batch) } else { None },
        "seconds": secs,
        "events_per_second": counted as f64 / secs,
        "peak_mb": peak_mb(),
        "paths": table.len(),
        "journeys": report.journeys,
        "conversions": report.conversions,
        "total_conversions": table.total_conversions(),
        "total_value": table.total_value(),
    }))
}

fn main() -> ExitCode {
    channelwise_benches::cli_main("cw-scale", run)
}
