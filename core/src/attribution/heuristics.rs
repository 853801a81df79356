//! Rule-based attribution: first touch, last touch, linear, U-shaped and W-shaped.
//!
//! All rules count *touches*, as ChannelAttribution does: linear gives `1/L` of a journey to
//! each of its `L` touches, so a channel touched twice gets `2/L`. Time decay needs timestamps
//! and lives in [`TimeDecay`](super::TimeDecay).

use serde::{Deserialize, Serialize};

use super::credit::ChannelCredit;
use crate::error::{check_range, Error, Result};
use crate::journey::PathTable;

/// Parameters of the position-based rules.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `u_first`, `u_last` | 0.4, 0.4 | U-shaped share of the first and last touch (paths of 3+ touches; the middle touches share the rest) | each in [0, 1], sum <= 1 |
/// | `w_first`, `w_key`, `w_last` | 0.3, 0.3, 0.3 | W-shaped share of first, key (lead-creation) and last touch (paths of 4+ touches; the others share the rest) | each in [0, 1], sum <= 1 |
///
/// Short paths follow the usual conventions: U-shaped gives a 1-touch path all to it and a
/// 2-touch path `u_first : u_last` (half each by default); W-shaped splits paths of up to 3
/// touches equally. W-shaped's key touch is the row's [`PathTable::key_touch`] when that is a
/// middle touch, else index `(L-1)/2`.
///
/// ```
/// use channelwise::{attribution::Heuristics, journey::PathTable};
/// let t = PathTable::from_strings(&["a>b>c>d>e"], &[10.0], None, Some(&[100.0]), ">")?;
/// let h = Heuristics::default().fit(&t)?;
/// assert_eq!(h.first_touch.conversions, [10.0, 0.0, 0.0, 0.0, 0.0]);
/// assert_eq!(h.linear.conversions, [2.0; 5]);
/// let w = [3.0, 0.5, 3.0, 0.5, 3.0];
/// assert!(h.w_shaped.conversions.iter().zip(w).all(|(a, b)| (a - b).abs() < 1e-12));
/// let u = &h.u_shaped.conversions;
/// assert!((u[0] - 4.0).abs() < 1e-12 && (u[2] - 2.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Heuristics {
    u_first: f64,
    u_last: f64,
    w_first: f64,
    w_key: f64,
    w_last: f64,
}

impl Default for Heuristics {
    fn default() -> Self {
        Heuristics { u_first: 0.4, u_last: 0.4, w_first: 0.3, w_key: 0.3, w_last: 0.3 }
    }
}

/// Credit of every rule-based model, channel order as in the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeuristicCredit {
    /// All credit to the first touch.
    pub first_touch: ChannelCredit,
    /// All credit to the last touch.
    pub last_touch: ChannelCredit,
    /// Equal credit to every touch.
    pub linear: ChannelCredit,
    /// Position-based 40/20/40 (configurable).
    pub u_shaped: ChannelCredit,
    /// Position-based 30/30/30 + 10 (configurable).
    pub w_shaped: ChannelCredit,
}

impl Heuristics {
    /// Sets the U-shaped shares of first and last touch.
    pub fn u_shaped(mut self, first: f64, last: f64) -> Self {
        self.u_first = first;
        self.u_last = last;
        self
    }

    /// Sets the W-shaped shares of first, key and last touch.
    pub fn w_shaped(mut self, first: f64, key: f64, last: f64) -> Self {
        self.w_first = first;
        self.w_key = key;
        self.w_last = last;
        self
    }

    fn validate(&self) -> Result<()> {
        for (f, v) in [
            ("u_first", self.u_first),
            ("u_last", self.u_last),
            ("w_first", self.w_first),
            ("w_key", self.w_key),
            ("w_last", self.w_last),
        ] {
            check_range(f, v, 0.0, 1.0)?;
        }
        let u = self.u_first + self.u_last;
        if u > 1.0 + 1e-12 {
            return Err(Error::OutOfRange { field: "u_first + u_last".into(), value: u, min: 0.0, max: 1.0 });
        }
        if self.u_first + self.u_last == 0.0 {
            return Err(Error::param("u_first + u_last", 0, "a 2-touch path needs a positive first or last share"));
        }
        let w = self.w_first + self.w_key + self.w_last;
        if w > 1.0 + 1e-12 {
            return Err(Error::OutOfRange { field: "w_first + w_key + w_last".into(), value: w, min: 0.0, max: 1.0 });
        }
        Ok(())
    }

    /// Computes every rule's credit.
    ///
    /// A table with zero conversions gives all-zero credit.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] / [`Error::NonFinite`] if a share is outside [0, 1] or the shares of
    /// one rule sum to more than 1.
    pub fn fit(&self, table: &PathTable) -> Result<HeuristicCredit> {
        self.validate()?;
        let n = table.n_channels();
        let mut acc = [(); 5].map(|_| (vec![0.0; n], vec![0.0; n]));
        let mut add = |model: usize, ch: u32, share: f64, conv: f64, val: f64| {
            let (c, v) = &mut acc[model];
            c[ch as usize] += share * conv;
            v[ch as usize] += share * val;
        };
        for row in 0..table.len() {
            let (path, conv, _, val) = (table.path(row), table.conversions()[row], 0.0, table.values()[row]);
            if conv == 0.0 && val == 0.0 {
                continue;
            }
            let l = path.len();
            let (first, last) = (path[0], path[l - 1]);
            add(0, first, 1.0, conv, val);
            add(1, last, 1.0, conv, val);
            let lin = 1.0 / l as f64;
            for &ch in path {
                add(2, ch, lin, conv, val);
            }
            // U-shaped
            match l {
                1 => add(3, first, 1.0, conv, val),
                2 => {
                    let s = self.u_first + self.u_last;
                    add(3, first, self.u_first / s, conv, val);
                    add(3, last, self.u_last / s, conv, val);
                }
                _ => {
                    add(3, first, self.u_first, conv, val);
                    add(3, last, self.u_last, conv, val);
                    let mid = (1.0 - self.u_first - self.u_last) / (l - 2) as f64;
                    for &ch in &path[1..l - 1] {
                        add(3, ch, mid, conv, val);
                    }
                }
            }
            // W-shaped
            if l <= 3 {
                for &ch in path {
                    add(4, ch, lin, conv, val);
                }
            } else {
                let key = match table.key_touch(row) {
                    Some(k) if k > 0 && k < l - 1 => k,
                    _ => (l - 1) / 2,
                };
                let rest = (1.0 - self.w_first - self.w_key - self.w_last) / (l - 3) as f64;
                for (i, &ch) in path.iter().enumerate() {
                    let share = if i == 0 {
                        self.w_first
                    } else if i == l - 1 {
                        self.w_last
                    } else if i == key {
                        self.w_key
                    } else {
                        rest
                    };
                    add(4, ch, share, conv, val);
                }
            }
        }
        let channels = table.channels();
        let [f, la, li, u, w] = acc.map(|(conversions, value)| ChannelCredit {
            channels: channels.to_vec(),
            conversions,
            value,
        });
        Ok(HeuristicCredit { first_touch: f, last_touch: la, linear: li, u_shaped: u, w_shaped: w })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn table(paths: &[&str], conv: &[f64]) -> PathTable {
        let vals: Vec<f64> = conv.iter().map(|c| c * 10.0).collect();
        PathTable::from_strings(paths, conv, None, Some(&vals), ">").unwrap()
    }

    #[test]
    fn short_paths_follow_conventions() {
        let t = table(&["a", "a>b", "a>b>c"], &[1.0, 1.0, 1.0]);
        let h = Heuristics::default().fit(&t).unwrap();
        // U: a gets 1 + 0.5 + 0.4, b 0.5 + 0.2, c 0.4
        let u = &h.u_shaped.conversions;
        assert!((u[0] - 1.9).abs() < 1e-12 && (u[1] - 0.7).abs() < 1e-12 && (u[2] - 0.4).abs() < 1e-12);
        // W: equal splits up to 3 touches
        let w = &h.w_shaped.conversions;
        assert!((w[0] - (1.0 + 0.5 + 1.0 / 3.0)).abs() < 1e-12);
        assert!((h.w_shaped.value[2] - 10.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn repeated_touches_count_each_time() {
        let t = table(&["a>b>a"], &[3.0]);
        let h = Heuristics::default().fit(&t).unwrap();
        assert_eq!(h.linear.conversions, [2.0, 1.0]);
        assert_eq!(h.first_touch.conversions, [3.0, 0.0]);
        assert_eq!(h.last_touch.conversions, [3.0, 0.0]);
    }

    #[test]
    fn key_touch_moves_w_middle_share() {
        let mut b = crate::journey::PathTableBuilder::new();
        for c in ["a", "b", "c", "d", "e"] {
            b.intern(c);
        }
        b.push_ids(&[0, 1, 2, 3, 4], 10.0, 0.0, 0.0, Some(3)).unwrap();
        let h = Heuristics::default().fit(&b.finish()).unwrap();
        let want = [3.0, 0.5, 0.5, 3.0, 3.0];
        assert!(h.w_shaped.conversions.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn custom_weights_validated() {
        let t = table(&["a"], &[1.0]);
        let e = Heuristics::default().u_shaped(0.7, 0.5).fit(&t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        assert!(e.to_string().starts_with("u_first + u_last must be in [0, 1], got 1.2"), "{e}");
        let e = Heuristics::default().w_shaped(f64::NAN, 0.1, 0.1).fit(&t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        let h = Heuristics::default().u_shaped(0.5, 0.5).fit(&table(&["a>b>c"], &[1.0])).unwrap();
        assert_eq!(h.u_shaped.conversions, [0.5, 0.0, 0.5]);
    }

    #[test]
    fn zero_conversions_zero_credit() {
        let t = PathTable::from_strings(&["a>b"], &[0.0], Some(&[5.0]), None, ">").unwrap();
        let h = Heuristics::default().fit(&t).unwrap();
        assert_eq!(h.linear.conversions, [0.0, 0.0]);
    }
}
