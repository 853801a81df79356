//! Markov-chain attribution of any order, solved exactly.
//!
//! The chain is ChannelAttribution's: the states of a path are its sliding windows of `order`
//! touches (a path shorter than `order` is one state), consecutive identical states collapsed,
//! plus `(start)`, `(conversion)` and `(null)`. Every row adds its conversions + nulls to each
//! transition along its path, its conversions to `last -> (conversion)` and its nulls to
//! `last -> (null)`.
//!
//! The removal effect of a channel is `1 - P_{-c}(conversion) / P(conversion)`, where `P_{-c}`
//! turns every state containing the channel into `(null)`. That is also the probability that a
//! converting journey visits the channel, which is what ChannelAttribution estimates by
//! simulation. Here it is solved, not simulated:
//!
//! - [`Horizon::Infinite`]: the absorbing-chain answer, `(I - Q) h = r`, by Gauss-Seidel sweeps
//!   (ordered so an acyclic chain converges in one sweep) to machine precision;
//! - [`Horizon::Steps`]`(T)`: the answer when a journey that has passed `T` channel states
//!   without absorbing is dropped, which is what ChannelAttribution's simulation with
//!   `max_step = T` converges to; [`Horizon::ChannelAttributionDefault`] uses its default
//!   `T` = longest collapsed path + 1.
//!
//! Value credit uses the expected conversion value of each last state (total value of rows
//! ending there over their conversions), as ChannelAttribution draws it.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::credit::{normalise_to, ChannelCredit};
use crate::error::{Error, Result};
use crate::journey::PathTable;

/// How far a journey may run through the chain before it is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Horizon {
    /// No cap: the exact absorbing-chain probabilities.
    #[default]
    Infinite,
    /// Journeys that pass this many channel states without converting or dropping out are
    /// discarded (ChannelAttribution's `max_step`). At least 1.
    Steps(usize),
    /// ChannelAttribution's default `max_step`: the longest collapsed state path among rows
    /// that enter the chain, + 1 (with `use_nulls = false`, only converting rows count).
    ChannelAttributionDefault,
}

/// Markov-chain attribution: the specification.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `order` | 1 | touches per state | 1 ..= 64 |
/// | `horizon` | [`Horizon::Infinite`] | exact answer, or ChannelAttribution's step cap | `Steps(T)`, T >= 1 |
/// | `use_nulls` | `true` | whether non-converting journeys enter the chain | |
///
/// ```
/// use channelwise::{attribution::Markov, journey::PathTable};
/// let t = PathTable::from_strings(
///     &["a>b", "b", "a"],
///     &[1.0, 1.0, 0.0],
///     Some(&[0.0, 1.0, 1.0]),
///     Some(&[10.0, 20.0, 0.0]),
///     ">",
/// )?;
/// let m = Markov::default().fit(&t)?;
/// // start -> a (2/4), b (2/4); a -> b (1/2), null (1/2); b -> conv (2/3), null (1/3)
/// assert!((m.conversion_probability() - 0.5).abs() < 1e-15);
/// // without a: only start -> b survives: P = 1/2 * 2/3 = 1/3
/// assert!((m.removal_effects()[0] - (1.0 - (1.0 / 3.0) / 0.5)).abs() < 1e-15);
/// assert!((m.credit().total_conversions() - 2.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Markov {
    order: usize,
    horizon: Horizon,
    use_nulls: bool,
}

impl Default for Markov {
    fn default() -> Self {
        Markov { order: 1, horizon: Horizon::Infinite, use_nulls: true }
    }
}

/// Largest supported order (windows longer than any real journey are pointless).
pub const MAX_ORDER: usize = 64;

/// Gauss-Seidel sweeps before giving up on the exact solve.
const MAX_SWEEPS: usize = 200_000;

impl Markov {
    /// Sets the order (touches per state).
    pub fn order(mut self, order: usize) -> Self {
        self.order = order;
        self
    }

    /// Sets the horizon.
    pub fn horizon(mut self, horizon: Horizon) -> Self {
        self.horizon = horizon;
        self
    }

    /// Sets whether nulls enter the chain.
    pub fn use_nulls(mut self, use_nulls: bool) -> Self {
        self.use_nulls = use_nulls;
        self
    }

    fn validate(&self, table: &PathTable) -> Result<()> {
        if self.order == 0 || self.order > MAX_ORDER {
            return Err(Error::OutOfRange {
                field: "order".into(),
                value: self.order as f64,
                min: 1.0,
                max: MAX_ORDER as f64,
            });
        }
        if let Horizon::Steps(0) = self.horizon {
            return Err(Error::OutOfRange { field: "horizon".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        if table.is_empty() {
            return Err(Error::NotEnoughData { what: "Markov attribution (path rows)".into(), required: 1, got: 0 });
        }
        // Every count is finite, but their sums may not be (two rows of 1e308): the chain's
        // probabilities would then be inf / inf, NaN credit passed on as numbers.
        // (nulls are >= 0, so conversions + nulls is infinite whenever conversions is)
        let (journeys, value) = (table.total_conversions() + table.total_nulls(), table.total_value());
        match (journeys.is_finite(), value.is_finite()) {
            (true, true) => Ok(()),
            (false, _) => Err(Error::NonFinite { field: "the table's total of conversions + nulls".into(), value: journeys }),
            (true, false) => Err(Error::NonFinite { field: "the table's total value".into(), value }),
        }
    }

    /// Builds the chain and solves it: removal effects and credit for every channel.
    ///
    /// A table whose conversions are all zero gives all-zero removal effects and credit.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for an order outside 1..=64 or a zero step cap;
    /// [`Error::NotEnoughData`] for an empty table; [`Error::NonFinite`] when the table's counts
    /// or values add up past `f64::MAX`; [`Error::NotConverged`] if the exact solve fails to
    /// converge (a chain whose journeys cycle almost surely forever).
    pub fn fit(&self, table: &PathTable) -> Result<FittedMarkov> {
        self.validate(table)?;
        let chain = Chain::build(table, self.order);
        let nulls: Vec<f64>;
        let nulls_used = if self.use_nulls {
            table.nulls()
        } else {
            nulls = vec![0.0; table.len()];
            &nulls
        };
        let steps = match self.horizon {
            Horizon::Infinite => None,
            Horizon::Steps(t) => Some(t),
            Horizon::ChannelAttributionDefault => Some(chain.longest_entering(table.conversions(), nulls_used) + 1),
        };
        let probs = chain.weights(table.conversions(), nulls_used, table.values()).probabilities(&chain);
        let solved = chain.solve_all(&probs, steps)?;
        let credit = ChannelCredit {
            channels: table.channels().to_vec(),
            conversions: normalise_to(&solved.removal_effects, table.total_conversions()),
            value: normalise_to(&solved.removal_effects_value, table.total_value()),
        };
        Ok(FittedMarkov {
            spec: *self,
            steps,
            channels: table.channels().to_vec(),
            totals: (table.total_conversions(), table.total_value()),
            chain,
            probs,
            solved,
            credit,
        })
    }
}

/// A fitted Markov chain with its removal effects and credit.
///
/// Serialises with serde (the chain's structure, transition probabilities and results), so a fitted model can be
/// stored as JSON and restored without refitting. Deserialising checks that the stored chain is
/// consistent (indices in range, lengths aligned, probabilities in [0, 1]), so a damaged or
/// hand-edited document is an error, never a model that fails later.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "FittedMarkovData")]
pub struct FittedMarkov {
    spec: Markov,
    steps: Option<usize>,
    channels: Vec<String>,
    totals: (f64, f64),
    chain: Chain,
    probs: Probabilities,
    solved: Solved,
    credit: ChannelCredit,
}

/// The serialised fields of [`FittedMarkov`], checked by `TryFrom` before they become a model.
#[derive(Deserialize)]
struct FittedMarkovData {
    spec: Markov,
    steps: Option<usize>,
    channels: Vec<String>,
    totals: (f64, f64),
    chain: Chain,
    probs: Probabilities,
    solved: Solved,
    credit: ChannelCredit,
}

impl TryFrom<FittedMarkovData> for FittedMarkov {
    type Error = Error;

    fn try_from(d: FittedMarkovData) -> Result<Self> {
        let bad = |reason: String| Error::InvalidParameter {
            field: "fitted_markov".into(),
            value: "(serialised model)".into(),
            reason,
        };
        let (c, p, k) = (&d.chain, &d.probs, d.channels.len());
        let offsets_ok = |ptr: &[usize], len: usize, end: usize| {
            ptr.len() == len && ptr.first() == Some(&0) && ptr.windows(2).all(|w| w[0] <= w[1]) && ptr.last() == Some(&end)
        };
        if !(1..=MAX_ORDER).contains(&d.spec.order) {
            return Err(bad(format!("order {} outside 1..={MAX_ORDER}", d.spec.order)));
        }
        if !offsets_ok(&c.state_ptr, c.n + 1, c.state_touches.len()) || c.state_touches.iter().any(|&t| t as usize >= k) {
            return Err(bad("state table inconsistent with the channels".into()));
        }
        if c.channel_states.len() != k || c.channel_states.iter().flatten().any(|&s| s as usize >= c.n) {
            return Err(bad("channel states inconsistent with the chain".into()));
        }
        if !offsets_ok(&c.row_ptr, c.n + 2, c.col.len()) || c.col.iter().any(|&s| s as usize >= c.n) {
            return Err(bad("transition rows inconsistent with the states".into()));
        }
        if !offsets_ok(&c.path_ptr, c.path_last.len() + 1, c.path_edges.len())
            || c.path_edges.iter().any(|&e| e as usize >= c.col.len())
            || c.path_last.iter().any(|&s| s as usize >= c.n)
        {
            return Err(bad("path rows inconsistent with the transitions".into()));
        }
        let unit = |xs: &[f64]| xs.iter().all(|x| (0.0..=1.0).contains(x));
        if p.edge.len() != c.col.len()
            || [&p.conv, &p.null, &p.conv_value].iter().any(|v| v.len() != c.n)
            || !unit(&p.edge)
            || !unit(&p.conv)
            || !unit(&p.null)
            || p.conv_value.iter().any(|x| !x.is_finite() || *x < 0.0)
        {
            return Err(bad("transition probabilities inconsistent with the chain".into()));
        }
        let s = &d.solved;
        let cr = &d.credit;
        if s.removal_effects.len() != k
            || s.removal_effects_value.len() != k
            || cr.channels != d.channels
            || cr.conversions.len() != k
            || cr.value.len() != k
            || !d.totals.0.is_finite()
            || !d.totals.1.is_finite()
        {
            return Err(bad("results inconsistent with the channels".into()));
        }
        Ok(FittedMarkov {
            spec: d.spec,
            steps: d.steps,
            channels: d.channels,
            totals: d.totals,
            chain: d.chain,
            probs: d.probs,
            solved: d.solved,
            credit: d.credit,
        })
    }
}

/// One transition of the chain, as probabilities out of `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// Source state (`"(start)"` or the state's channels joined by `","`).
    pub from: String,
    /// Target state (a channel state, `"(conversion)"` or `"(null)"`).
    pub to: String,
    /// Transition probability.
    pub probability: f64,
}

impl FittedMarkov {
    /// Channel names, in table order.
    pub fn channels(&self) -> &[String] {
        &self.channels
    }

    /// The order the chain was fitted with.
    pub fn order(&self) -> usize {
        self.spec.order
    }

    /// The step cap used (`None` for the exact infinite-horizon answer).
    pub fn horizon_steps(&self) -> Option<usize> {
        self.steps
    }

    /// Number of channel states (excluding start, conversion and null).
    pub fn n_states(&self) -> usize {
        self.chain.n
    }

    /// Total conversions and value of the table the chain was fitted on.
    pub fn totals(&self) -> (f64, f64) {
        self.totals
    }

    /// Probability that a journey from `(start)` converts (within the horizon).
    pub fn conversion_probability(&self) -> f64 {
        self.solved.p_conv
    }

    /// Removal effect of each channel: the share of conversions lost without it, in [0, 1].
    pub fn removal_effects(&self) -> &[f64] {
        &self.solved.removal_effects
    }

    /// Removal effect of each channel on conversion value.
    pub fn removal_effects_value(&self) -> &[f64] {
        &self.solved.removal_effects_value
    }

    /// Credited conversions and value: removal effects scaled to the table's totals.
    pub fn credit(&self) -> &ChannelCredit {
        &self.credit
    }

    /// `(P(conversion), expected value)` from `(start)` with only the channels where
    /// `active[c]` is true: every state containing an inactive channel becomes `(null)`.
    ///
    /// This is the Markov game of [`shapley_exact`](super::shapley_exact) and
    /// [`ShapleySampler`](super::ShapleySampler).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] if `active` does not have one entry per channel;
    /// [`Error::NotConverged`] as in [`Markov::fit`].
    pub fn conversion_probability_with(&self, active: &[bool]) -> Result<(f64, f64)> {
        if active.len() != self.channels.len() {
            return Err(Error::LengthMismatch {
                field: "active".into(),
                expected: self.channels.len(),
                got: active.len(),
            });
        }
        let mut removed = vec![false; self.chain.n];
        for (c, &on) in active.iter().enumerate() {
            if !on {
                for &s in &self.chain.channel_states[c] {
                    removed[s as usize] = true;
                }
            }
        }
        let mut h = Values::zeros(self.chain.n);
        self.chain.absorb(&self.probs, Some(&removed), self.steps, &mut h)
    }

    /// The transition matrix as a list of nonzero transitions, rows in state order.
    pub fn transitions(&self) -> Vec<Transition> {
        let c = &self.chain;
        let p = &self.probs;
        let mut out = Vec::with_capacity(c.col.len() + 2 * c.n);
        for row in (0..=c.n).map(|r| if r == 0 { c.n } else { r - 1 }) {
            let from = self.state_label(row);
            for e in c.row_ptr[row]..c.row_ptr[row + 1] {
                if p.edge[e] > 0.0 {
                    out.push(Transition {
                        from: from.clone(),
                        to: self.state_label(c.col[e] as usize),
                        probability: p.edge[e],
                    });
                }
            }
            if row < c.n {
                for (to, prob) in [("(conversion)", p.conv[row]), ("(null)", p.null[row])] {
                    if prob > 0.0 {
                        out.push(Transition { from: from.clone(), to: to.into(), probability: prob });
                    }
                }
            }
        }
        out
    }

    fn state_label(&self, s: usize) -> String {
        if s == self.chain.n {
            return "(start)".into();
        }
        let ids = &self.chain.state_touches[self.chain.state_ptr[s]..self.chain.state_ptr[s + 1]];
        let names: Vec<&str> = ids.iter().map(|&i| self.channels[i as usize].as_str()).collect();
        names.join(",")
    }

    /// Number of path rows the chain was fitted on.
    pub fn n_rows(&self) -> usize {
        self.chain.path_last.len()
    }

    /// Refits the same chain structure with new per-row counts (bootstrap replicates).
    pub(crate) fn refit_counts(&self, conversions: &[f64], nulls: &[f64], values: &[f64]) -> Result<Solved> {
        let zeros;
        let nulls = if self.spec.use_nulls {
            nulls
        } else {
            zeros = vec![0.0; nulls.len()];
            &zeros
        };
        let p = self.chain.weights(conversions, nulls, values).probabilities(&self.chain);
        self.chain.solve_all(&p, self.steps)
    }
}

/// Removal effects of one solve.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Solved {
    pub(crate) p_conv: f64,
    pub(crate) removal_effects: Vec<f64>,
    pub(crate) removal_effects_value: Vec<f64>,
}

/// The structure of the chain: states, transitions (CSR) and each row's edges.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Chain {
    /// Number of channel states; index `n` is `(start)`.
    n: usize,
    /// The touches of each state.
    state_ptr: Vec<usize>,
    state_touches: Vec<u32>,
    /// For each channel, the states containing it.
    channel_states: Vec<Vec<u32>>,
    /// CSR over rows `0..=n` (row `n` = start); targets are channel states.
    row_ptr: Vec<usize>,
    col: Vec<u32>,
    /// For each path row, the indices (into `col`) of its transitions, and its last state.
    path_ptr: Vec<usize>,
    path_edges: Vec<u32>,
    path_last: Vec<u32>,
}

/// Transition weights (sums of counts) aligned with a [`Chain`].
#[derive(Debug, Clone)]
struct Weights {
    edge: Vec<f64>,
    conv: Vec<f64>,
    null: Vec<f64>,
    value: Vec<f64>,
}

/// Transition probabilities; `conv_value[s]` is `P(s -> conversion) * mean value at s`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Probabilities {
    edge: Vec<f64>,
    conv: Vec<f64>,
    null: Vec<f64>,
    conv_value: Vec<f64>,
}

/// Absorption values per channel state: conversion probability and expected value.
#[derive(Debug, Clone)]
struct Values {
    conv: Vec<f64>,
    value: Vec<f64>,
}

impl Values {
    fn zeros(n: usize) -> Self {
        Values { conv: vec![0.0; n], value: vec![0.0; n] }
    }
}

impl Chain {
    fn build(table: &PathTable, order: usize) -> Chain {
        // Pass 1: intern states (windows of the flat touch buffer) and record each row's
        // collapsed state sequence. Order 1 maps channel ids through a dense table.
        let mut index: FxHashMap<&[u32], u32> = FxHashMap::default();
        let mut dense = vec![u32::MAX; if order == 1 { table.n_channels() } else { 0 }];
        let mut state_ptr = vec![0usize];
        let mut state_touches: Vec<u32> = Vec::new();
        let mut seq_ptr = Vec::with_capacity(table.len() + 1);
        seq_ptr.push(0usize);
        let mut seq: Vec<u32> = Vec::with_capacity(table.len() * 4);
        for row in 0..table.len() {
            let path = table.path(row);
            let n_windows = if path.len() < order { 1 } else { path.len() - order + 1 };
            let before = seq.len();
            for i in 0..n_windows {
                let w = &path[i..(i + order).min(path.len())];
                let id = if order == 1 {
                    let slot = &mut dense[w[0] as usize];
                    if *slot == u32::MAX {
                        *slot = (state_ptr.len() - 1) as u32;
                        state_touches.push(w[0]);
                        state_ptr.push(state_touches.len());
                    }
                    *slot
                } else {
                    let next = index.len() as u32;
                    *index.entry(w).or_insert_with(|| {
                        state_touches.extend_from_slice(w);
                        state_ptr.push(state_touches.len());
                        next
                    })
                };
                if seq.len() == before || seq[seq.len() - 1] != id {
                    seq.push(id);
                }
            }
            seq_ptr.push(seq.len());
        }
        drop(index);
        let n = state_ptr.len() - 1;
        let start = n as u32;

        let mut channel_states = vec![Vec::new(); table.n_channels()];
        for s in 0..n {
            let mut chs: Vec<u32> = state_touches[state_ptr[s]..state_ptr[s + 1]].to_vec();
            crate::stats::sort_ids(&mut chs, &mut u32::cmp);
            chs.dedup();
            for c in chs {
                channel_states[c as usize].push(s as u32);
            }
        }

        // Pass 2: number distinct transitions as first seen (dense table when the state space
        // is small, hash map otherwise), then renumber them in CSR (from, to) order.
        let mut edges = EdgeIndex::new(n);
        let mut path_edges: Vec<u32> = Vec::with_capacity(seq.len());
        let mut path_ptr = Vec::with_capacity(table.len() + 1);
        path_ptr.push(0usize);
        let mut path_last = Vec::with_capacity(table.len());
        for row in 0..table.len() {
            let s = &seq[seq_ptr[row]..seq_ptr[row + 1]];
            path_edges.push(edges.id(start, s[0]));
            for w in s.windows(2) {
                path_edges.push(edges.id(w[0], w[1]));
            }
            path_ptr.push(path_edges.len());
            path_last.push(s[s.len() - 1]);
        }
        let pairs = edges.into_pairs();
        let mut order_of: Vec<u32> = (0..pairs.len() as u32).collect();
        crate::stats::sort_ids(&mut order_of, &mut |&a, &b| pairs[a as usize].cmp(&pairs[b as usize]));
        let mut remap = vec![0u32; pairs.len()];
        let mut row_ptr = vec![0usize; n + 2];
        let mut col = Vec::with_capacity(pairs.len());
        for (new_id, &old) in order_of.iter().enumerate() {
            let (from, to) = pairs[old as usize];
            remap[old as usize] = new_id as u32;
            row_ptr[from as usize + 1] += 1;
            col.push(to);
        }
        for r in 0..=n {
            row_ptr[r + 1] += row_ptr[r];
        }
        for e in &mut path_edges {
            *e = remap[*e as usize];
        }
        Chain { n, state_ptr, state_touches, channel_states, row_ptr, col, path_ptr, path_edges, path_last }
    }

    /// Longest collapsed state path among rows that enter the chain (positive conversions or
    /// nulls): ChannelAttribution's default step cap is this + 1. (ChannelAttribution also
    /// counts rows with zero conversions and zero nulls, at their length + 2; such rows carry
    /// no journeys, so channelwise leaves them out.)
    fn longest_entering(&self, conversions: &[f64], nulls: &[f64]) -> usize {
        (0..self.path_last.len())
            .filter(|&r| conversions[r] + nulls[r] > 0.0)
            .map(|r| self.path_ptr[r + 1] - self.path_ptr[r])
            .max()
            .unwrap_or(0)
    }

    fn weights(&self, conversions: &[f64], nulls: &[f64], values: &[f64]) -> Weights {
        let mut w = Weights {
            edge: vec![0.0; self.col.len()],
            conv: vec![0.0; self.n],
            null: vec![0.0; self.n],
            value: vec![0.0; self.n],
        };
        for row in 0..self.path_last.len() {
            let (c, nl) = (conversions[row], nulls[row]);
            let total = c + nl;
            if total == 0.0 {
                continue;
            }
            for &e in &self.path_edges[self.path_ptr[row]..self.path_ptr[row + 1]] {
                w.edge[e as usize] += total;
            }
            let last = self.path_last[row] as usize;
            w.conv[last] += c;
            w.null[last] += nl;
            w.value[last] += values[row];
        }
        w
    }

    /// Solves the full chain and the chain without each channel.
    fn solve_all(&self, p: &Probabilities, steps: Option<usize>) -> Result<Solved> {
        let mut full = Values::zeros(self.n);
        let (p_conv, v_conv) = self.absorb(p, None, steps, &mut full)?;
        let n_channels = self.channel_states.len();
        if p_conv <= 0.0 {
            return Ok(Solved {
                p_conv,
                removal_effects: vec![0.0; n_channels],
                removal_effects_value: vec![0.0; n_channels],
            });
        }
        let one = |c: usize| -> Result<(f64, f64)> {
            let mut removed = vec![false; self.n];
            for &s in &self.channel_states[c] {
                removed[s as usize] = true;
            }
            // Warm start from the full solution: removal only lowers absorption values.
            let mut h = full.clone();
            for &s in &self.channel_states[c] {
                h.conv[s as usize] = 0.0;
                h.value[s as usize] = 0.0;
            }
            let (pc, vc) = self.absorb(p, Some(&removed), steps, &mut h)?;
            let re = (1.0 - pc / p_conv).clamp(0.0, 1.0);
            let rv = if v_conv > 0.0 { (1.0 - vc / v_conv).clamp(0.0, 1.0) } else { 0.0 };
            Ok((re, rv))
        };
        #[cfg(feature = "parallel")]
        let res: Vec<Result<(f64, f64)>> = {
            use rayon::prelude::*;
            (0..n_channels).into_par_iter().map(one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let res: Vec<Result<(f64, f64)>> = (0..n_channels).map(one).collect();
        let mut removal_effects = Vec::with_capacity(n_channels);
        let mut removal_effects_value = Vec::with_capacity(n_channels);
        for r in res {
            let (a, b) = r?;
            removal_effects.push(a);
            removal_effects_value.push(b);
        }
        Ok(Solved { p_conv, removal_effects, removal_effects_value })
    }

    /// Absorption from `(start)`: `(P(conversion), expected value)`. `h` is the starting guess
    /// (infinite horizon) and receives the per-state solution.
    fn absorb(
        &self,
        p: &Probabilities,
        removed: Option<&[bool]>,
        steps: Option<usize>,
        h: &mut Values,
    ) -> Result<(f64, f64)> {
        let is_removed = |s: usize| removed.is_some_and(|r| r[s]);
        match steps {
            None => self.gauss_seidel(p, &is_removed, h)?,
            Some(t) => {
                // g_j = r + Q g_{j-1}, g_0 = 0; a journey at its first state may take T more
                // transitions (T channel states in all before absorbing).
                let mut cur = Values::zeros(self.n);
                let mut next = Values::zeros(self.n);
                for _ in 0..t {
                    let mut changed = false;
                    for s in 0..self.n {
                        if is_removed(s) {
                            continue;
                        }
                        let (mut a, mut b) = (p.conv[s], p.conv_value[s]);
                        for e in self.row_ptr[s]..self.row_ptr[s + 1] {
                            let t = self.col[e] as usize;
                            a += p.edge[e] * cur.conv[t];
                            b += p.edge[e] * cur.value[t];
                        }
                        // below half an ulp, a further step cannot move any value
                        let tiny = |new: f64, old: f64| (new - old).abs() <= 0.5 * f64::EPSILON * new.abs();
                        changed |= !tiny(a, cur.conv[s]) || !tiny(b, cur.value[s]);
                        next.conv[s] = a;
                        next.value[s] = b;
                    }
                    std::mem::swap(&mut cur, &mut next);
                    // Once a step moves no value by half an ulp, later steps cannot either (every
                    // state with transitions lies on a path that absorbs, so the increments shrink
                    // geometrically): stop, so a huge cap costs no more than the exact answer.
                    if !changed {
                        break;
                    }
                }
                *h = cur;
            }
        }
        let (mut pc, mut pv) = (0.0, 0.0);
        for e in self.row_ptr[self.n]..self.row_ptr[self.n + 1] {
            let t = self.col[e] as usize;
            if !is_removed(t) {
                pc += p.edge[e] * h.conv[t];
                pv += p.edge[e] * h.value[t];
            }
        }
        Ok((pc, pv))
    }

    /// Gauss-Seidel on `h = r + Q h`, sweeping states from last interned to first (journeys
    /// mostly move to later-interned states, so acyclic chains converge in one sweep).
    fn gauss_seidel(&self, p: &Probabilities, is_removed: &dyn Fn(usize) -> bool, h: &mut Values) -> Result<()> {
        let mut residual = f64::INFINITY;
        for _sweep in 0..MAX_SWEEPS {
            let (mut dc, mut dv, mut maxc, mut maxv) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            for s in (0..self.n).rev() {
                if is_removed(s) {
                    continue;
                }
                let (mut a, mut b) = (p.conv[s], p.conv_value[s]);
                for e in self.row_ptr[s]..self.row_ptr[s + 1] {
                    let t = self.col[e] as usize;
                    a += p.edge[e] * h.conv[t];
                    b += p.edge[e] * h.value[t];
                }
                dc = dc.max((a - h.conv[s]).abs());
                dv = dv.max((b - h.value[s]).abs());
                maxc = maxc.max(a);
                maxv = maxv.max(b);
                h.conv[s] = a;
                h.value[s] = b;
            }
            if dc <= 4.0 * f64::EPSILON * maxc && dv <= 4.0 * f64::EPSILON * maxv {
                return Ok(());
            }
            residual = dc.max(if maxv > 0.0 { dv / maxv } else { 0.0 });
        }
        Err(Error::NotConverged { what: "Markov absorbing-chain solve".into(), iterations: MAX_SWEEPS, residual })
    }
}

/// Numbers distinct `(from, to)` transitions in the order first seen.
enum EdgeIndex {
    /// `ids[from * n + to]`, for state spaces up to a few million cells.
    Dense { n: usize, ids: Vec<u32>, pairs: Vec<(u32, u32)> },
    Sparse { ids: FxHashMap<u64, u32>, pairs: Vec<(u32, u32)> },
}

impl EdgeIndex {
    /// An index for `n` channel states plus start (rows `0..=n`, columns `0..n`).
    fn new(n: usize) -> Self {
        match (n + 1).checked_mul(n) {
            Some(cells) if cells <= 1 << 22 => EdgeIndex::Dense { n, ids: vec![u32::MAX; cells], pairs: Vec::new() },
            _ => EdgeIndex::Sparse { ids: FxHashMap::default(), pairs: Vec::new() },
        }
    }

    fn id(&mut self, from: u32, to: u32) -> u32 {
        match self {
            EdgeIndex::Dense { n, ids, pairs } => {
                let slot = &mut ids[from as usize * *n + to as usize];
                if *slot == u32::MAX {
                    *slot = pairs.len() as u32;
                    pairs.push((from, to));
                }
                *slot
            }
            EdgeIndex::Sparse { ids, pairs } => {
                let key = (u64::from(from) << 32) | u64::from(to);
                *ids.entry(key).or_insert_with(|| {
                    pairs.push((from, to));
                    (pairs.len() - 1) as u32
                })
            }
        }
    }

    fn into_pairs(self) -> Vec<(u32, u32)> {
        match self {
            EdgeIndex::Dense { pairs, .. } | EdgeIndex::Sparse { pairs, .. } => pairs,
        }
    }
}

impl Weights {
    fn probabilities(&self, c: &Chain) -> Probabilities {
        let mut p = Probabilities {
            edge: vec![0.0; self.edge.len()],
            conv: vec![0.0; c.n],
            null: vec![0.0; c.n],
            conv_value: vec![0.0; c.n],
        };
        for row in 0..=c.n {
            let range = c.row_ptr[row]..c.row_ptr[row + 1];
            let mut out: f64 = self.edge[range.clone()].iter().sum();
            if row < c.n {
                out += self.conv[row] + self.null[row];
            }
            if out <= 0.0 {
                continue;
            }
            for e in range {
                p.edge[e] = self.edge[e] / out;
            }
            if row < c.n {
                p.conv[row] = self.conv[row] / out;
                p.null[row] = self.null[row] / out;
                p.conv_value[row] = self.value[row] / out;
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn t(paths: &[&str], conv: &[f64], nulls: &[f64]) -> PathTable {
        let vals: Vec<f64> = conv.iter().enumerate().map(|(i, c)| c * (10.0 + i as f64)).collect();
        PathTable::from_strings(paths, conv, Some(nulls), Some(&vals), ">").unwrap()
    }

    #[test]
    fn totals_past_f64_max_are_an_error_not_nan_credit() {
        let big = |conv: &[f64], nulls: &[f64]| PathTable::from_strings(&["a>b", "b"], conv, Some(nulls), None, ">").unwrap();
        let e = Markov::default().fit(&big(&[1e308, 1e308], &[0.0, 0.0])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        assert_eq!(e.to_string(), "the table's total of conversions + nulls must be finite, got inf");
        let e = Markov::default().fit(&big(&[1e308, 0.0], &[0.0, 1e308])).unwrap_err();
        assert_eq!(e.to_string(), "the table's total of conversions + nulls must be finite, got inf");
        let vals = [1e308, 1e308];
        let t = PathTable::from_strings(&["a>b", "b"], &[1.0, 1.0], None, Some(&vals), ">").unwrap();
        let e = Markov::default().fit(&t).unwrap_err();
        assert_eq!(e.to_string(), "the table's total value must be finite, got inf");
        // large but finite: credit adds up to the total
        let m = Markov::default().fit(&big(&[1e307, 1e307], &[0.0, 0.0])).unwrap();
        assert!(m.credit().conversions.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn single_channel_gets_everything() {
        let m = Markov::default().fit(&t(&["a", "a>a"], &[3.0, 1.0], &[1.0, 0.0])).unwrap();
        assert_eq!(m.removal_effects(), [1.0]);
        assert!((m.credit().conversions[0] - 4.0).abs() < 1e-12);
        assert!((m.conversion_probability() - 0.8).abs() < 1e-15);
    }

    #[test]
    fn cycles_solve_exactly() {
        // a -> b -> a loops: start->a (1), a->b (1/2), a->conv (1/2)... check against the
        // closed form of a two-state cycle.
        let m = Markov::default().fit(&t(&["a>b>a", "a"], &[1.0, 1.0], &[0.0, 1.0])).unwrap();
        // weights: start->a 3; a->b 1, a->conv 2 (rows end at a), a->null 1; b->a 1.
        // h_a = 2/4 + 1/4 h_b, h_b = h_a  => h_a = 2/3
        assert!((m.conversion_probability() - 2.0 / 3.0).abs() < 1e-15);
        // without b: h_a = 1/2
        assert!((m.removal_effects()[1] - (1.0 - 0.5 / (2.0 / 3.0))).abs() < 1e-15);
    }

    #[test]
    fn higher_order_states_are_windows() {
        let m = Markov::default().order(2).fit(&t(&["a>b>c", "a"], &[1.0, 0.0], &[0.0, 1.0])).unwrap();
        // states: "a,b", "b,c", "a"
        assert_eq!(m.n_states(), 3);
        let tr = m.transitions();
        assert!(tr.iter().any(|x| x.from == "a,b" && x.to == "b,c" && x.probability == 1.0));
        assert!(tr.iter().any(|x| x.from == "(start)" && x.to == "a" && x.probability == 0.5));
        // every channel on the only converting path is essential
        assert_eq!(m.removal_effects(), [1.0, 1.0, 1.0]);
    }

    #[test]
    fn truncated_horizon() {
        // a -> b -> a -> ... cycle; with T = 1 only journeys converting at their first state count.
        let table = t(&["a>b>a", "a"], &[1.0, 1.0], &[0.0, 1.0]);
        let m = Markov::default().horizon(Horizon::Steps(1)).fit(&table).unwrap();
        assert!((m.conversion_probability() - 0.5).abs() < 1e-15);
        let m3 = Markov::default().horizon(Horizon::Steps(3)).fit(&table).unwrap();
        // a(conv 1/2) + a b a (1/4 * 1/2)
        assert!((m3.conversion_probability() - (0.5 + 0.125)).abs() < 1e-15);
        let ca = Markov::default().horizon(Horizon::ChannelAttributionDefault).fit(&table).unwrap();
        assert_eq!(ca.horizon_steps(), Some(4));
        // Rows that do not enter the chain do not set the cap (a null-only long row when nulls
        // are ignored, as ChannelAttribution drops it).
        let t2 = t(&["a>b>a>b>a", "a"], &[0.0, 1.0], &[1.0, 1.0]);
        let spec = Markov::default().horizon(Horizon::ChannelAttributionDefault);
        assert_eq!(spec.fit(&t2).unwrap().horizon_steps(), Some(6));
        assert_eq!(spec.use_nulls(false).fit(&t2).unwrap().horizon_steps(), Some(2));
    }

    #[test]
    fn zero_conversions_zero_credit() {
        let m = Markov::default().fit(&t(&["a>b"], &[0.0], &[3.0])).unwrap();
        assert_eq!(m.removal_effects(), [0.0, 0.0]);
        assert_eq!(m.credit().conversions, [0.0, 0.0]);
    }

    #[test]
    fn bad_spec() {
        let table = t(&["a"], &[1.0], &[0.0]);
        assert_eq!(Markov::default().order(0).fit(&table).unwrap_err().kind(), ErrorKind::OutOfRange);
        let e = Markov::default().horizon(Horizon::Steps(0)).fit(&table).unwrap_err();
        assert_eq!(e.to_string(), "horizon must be in [1, inf], got 0");
        let empty = PathTable::from_strings::<&str>(&[], &[], None, None, ">").unwrap();
        assert_eq!(Markov::default().fit(&empty).unwrap_err().kind(), ErrorKind::NotEnoughData);
    }

    #[test]
    fn deserialising_a_damaged_model_is_an_error() {
        let t = PathTable::from_strings(&["a > b", "b"], &[1.0, 1.0], Some(&[1.0, 0.0]), Some(&[2.0, 3.0]), ">").unwrap();
        let m = Markov::default().fit(&t).unwrap();
        let mut v: serde_json::Value = serde_json::to_value(&m).unwrap();
        v["chain"]["col"][0] = serde_json::json!(99);
        let e = serde_json::from_value::<FittedMarkov>(v.clone()).unwrap_err();
        assert!(e.to_string().contains("fitted_markov"), "{e}");
        let mut v2: serde_json::Value = serde_json::to_value(&m).unwrap();
        v2["probs"]["conv"][0] = serde_json::json!(1.5);
        assert!(serde_json::from_value::<FittedMarkov>(v2).is_err());
        let mut v3: serde_json::Value = serde_json::to_value(&m).unwrap();
        v3["channels"] = serde_json::json!(["a"]);
        assert!(serde_json::from_value::<FittedMarkov>(v3).is_err());
    }

    #[test]
    fn serde_round_trip_keeps_the_model() {
        let table = t(&["a>b", "b>c", "c"], &[2.0, 1.0, 1.0], &[1.0, 2.0, 3.0]);
        let m = Markov::default().order(2).fit(&table).unwrap();
        let json = serde_json::to_string(&m).unwrap();
        let back: FittedMarkov = serde_json::from_str(&json).unwrap();
        assert_eq!(back.removal_effects(), m.removal_effects());
        assert_eq!(back.transitions(), m.transitions());
        assert_eq!(back.conversion_probability_with(&[true, false, true]).unwrap(), m.conversion_probability_with(&[true, false, true]).unwrap());
    }

    #[test]
    fn subset_probability_matches_removal() {
        let table = t(&["a>b", "b>c", "c", "a>c"], &[2.0, 1.0, 1.0, 0.0], &[1.0, 2.0, 3.0, 1.0]);
        let m = Markov::default().fit(&table).unwrap();
        let (p, _) = m.conversion_probability_with(&[true, false, true]).unwrap();
        assert!((1.0 - p / m.conversion_probability() - m.removal_effects()[1]).abs() < 1e-14);
        let (all, _) = m.conversion_probability_with(&[true; 3]).unwrap();
        assert!((all - m.conversion_probability()).abs() < 1e-15);
        assert_eq!(m.conversion_probability_with(&[true]).unwrap_err().kind(), ErrorKind::LengthMismatch);
    }
}
