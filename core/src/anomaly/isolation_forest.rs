//! Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's parameters and score conventions.
//!
//! An isolation tree splits a random subsample of rows on a random feature at a uniform random
//! threshold between that feature's minimum and maximum in the node, until a row is alone, the
//! rows left are identical, or the depth reaches `ceil(log2(max_samples))`. Anomalies are isolated
//! in few splits, so their average path length over the forest is short. A row's path length in
//! one tree is the depth of the leaf it falls in plus `c(n)`, the average path length of an
//! unsuccessful search in a binary search tree of the `n` training rows left in that leaf
//! ([`average_path_length`]); its score is `-2^(-mean path / c(max_samples))`, in `[-1, 0]`, lower
//! meaning more abnormal: exactly scikit-learn's `IsolationForest.score_samples`.
//!
//! The trees themselves are not scikit-learn's (another random stream, f64 instead of f32), so
//! scores agree in distribution, not digit by digit; the shared vectors in
//! `tests/vectors/anomaly/iforest_*.json` compare ROC AUCs against labels instead.
//!
//! Data is a flat row-major `&[f64]` with `n_features` columns (what numpy and typed arrays hold);
//! [`IsolationForest::fit_rows`] and [`FittedIsolationForest::score_rows`] take `&[Vec<f64>]`.
//!
//! # Speed
//! Trees are flat arrays of 16-byte nodes in pre-order (the left child follows its parent), built
//! from seeded per-tree ChaCha8 streams (tree `t` uses stream `t` of `seed`) on rayon's pool, so
//! the forest is identical on any number of threads. For scoring the trees are compiled to a
//! layout whose leaves loop onto themselves, so 32 rows walk a tree in lockstep for a fixed number
//! of branch-free steps; rows go in chunks of 256 (rayon over chunks), every tree over a chunk
//! while the tree is hot in cache, with no allocation per row. Each row's path lengths are summed
//! in tree order, so scores are bit-identical on any number of threads.

use serde::{Deserialize, Serialize};

use rand::seq::index;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

/// Euler-Mascheroni constant, as `numpy.euler_gamma`.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// Rows scored together: every tree is walked over a chunk before the next tree.
const CHUNK_ROWS: usize = 256;

/// Marks a leaf in [`Node::feature`].
const LEAF: u32 = u32::MAX;

/// Average path length `c(n)` of an unsuccessful search in a binary search tree of `n` points,
/// as scikit-learn's `_average_path_length`.
///
/// `c(n) = 2 (ln(n - 1) + gamma) - 2 (n - 1) / n` for `n > 2` (the harmonic number approximated
/// by `ln + gamma`), `c(2) = 1`, and `c(0) = c(1) = 0`. Isolation forest adds it at each leaf for
/// the rows the leaf still holds, and normalises path lengths by `c(max_samples)`.
///
/// ```
/// use channelwise::anomaly::average_path_length;
/// assert_eq!(average_path_length(1), 0.0);
/// assert_eq!(average_path_length(2), 1.0);
/// assert!((average_path_length(256) - 10.244_770_920_119_917).abs() < 1e-12);
/// ```
pub fn average_path_length(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        _ => {
            let n = n as f64;
            2.0 * ((n - 1.0).ln() + EULER_GAMMA) - 2.0 * (n - 1.0) / n
        }
    }
}

/// How many rows each tree is grown from (scikit-learn's `max_samples`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum MaxSamples {
    /// `min(256, n_rows)`, the paper's recommendation.
    Auto,
    /// This many rows; more than the data has is clipped to `n_rows` (scikit-learn warns and
    /// clips the same way). Must be >= 1.
    Count(usize),
    /// This fraction of the rows, `max(1, floor(fraction * n_rows))`. Must be in (0, 1].
    Fraction(f64),
}

/// How the threshold between inliers and outliers ([`FittedIsolationForest::offset`]) is set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Contamination {
    /// Offset `-0.5`: a row is an outlier when its score is below `-0.5`, the paper's threshold.
    Auto,
    /// Expected fraction of outliers in the training data, in (0, 0.5]: the offset is that
    /// percentile of the training scores (numpy's linear interpolation), so about this fraction
    /// of training rows is flagged.
    Fraction(f64),
}

/// How many features each tree may split on (scikit-learn's `max_features`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum MaxFeatures {
    /// This many features, drawn without replacement per tree; in `1..=n_features`.
    Count(usize),
    /// `max(1, floor(fraction * n_features))` features; fraction in (0, 1].
    Fraction(f64),
}

/// Isolation forest parameters: configure, then [`fit`](IsolationForest::fit).
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `n_estimators` | 100 | number of trees | >= 1, and `n_estimators (2 max_samples - 1)` (the most nodes the forest can hold) at most `u32::MAX` |
/// | `max_samples` | [`MaxSamples::Auto`] (`min(256, n)`) | rows drawn per tree | count >= 1 (clipped to `n`), fraction in (0, 1] |
/// | `contamination` | [`Contamination::Auto`] (offset -0.5) | expected outlier fraction, sets the offset | fraction in (0, 0.5] |
/// | `max_features` | `Fraction(1.0)` (all) | features drawn per tree | count in `1..=n_features`, fraction in (0, 1] |
/// | `bootstrap` | `false` | draw rows with replacement (each tree then sees the distinct rows drawn, as scikit-learn's trees do) | bool |
/// | `seed` | 0 | ChaCha8 seed; tree `t` uses stream `t`, so results do not depend on thread count | any |
///
/// Differences from scikit-learn 1.9, all deliberate: data stays f64 (scikit-learn casts to
/// f32); a feature is constant in a node only when its minimum equals its maximum (scikit-learn
/// treats a range up to 1e-7 as constant, which ignores small-scale data); NaN and infinities are
/// rejected, in fitting and scoring, with the row and column named.
///
/// ```
/// use channelwise::anomaly::{Contamination, IsolationForest, MaxSamples};
/// // 200 points on a small grid and one far away, 2 features, row-major
/// let mut x: Vec<f64> = (0..200).flat_map(|i| [(i % 20) as f64 * 0.1, (i / 20) as f64 * 0.1]).collect();
/// x.extend([10.0, 10.0]);
/// let model = IsolationForest::default()
///     .n_estimators(100)
///     .max_samples(MaxSamples::Auto)
///     .contamination(Contamination::Fraction(0.01))
///     .seed(0)
///     .fit(&x, 2)?;
/// let scores = model.score_samples(&x, 2)?;
/// assert!(scores.iter().all(|s| (-1.0..=0.0).contains(s)));
/// let far = scores[200];
/// assert!(scores[..200].iter().all(|&s| s > far));
/// assert_eq!(model.predict(&[10.0, 10.0, 1.0, 0.5], 2)?, vec![-1, 1]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IsolationForest {
    n_estimators: usize,
    max_samples: MaxSamples,
    contamination: Contamination,
    max_features: MaxFeatures,
    bootstrap: bool,
    seed: u64,
}

impl Default for IsolationForest {
    fn default() -> Self {
        IsolationForest {
            n_estimators: 100,
            max_samples: MaxSamples::Auto,
            contamination: Contamination::Auto,
            max_features: MaxFeatures::Fraction(1.0),
            bootstrap: false,
            seed: 0,
        }
    }
}

/// One node of a flat tree. Internal: `x[feature] <= value` goes to the next node (pre-order),
/// else to `right`. Leaf (`feature == LEAF`): `value` is the path length, depth + `c(n_leaf)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Node {
    value: f64,
    feature: u32,
    right: u32,
}

/// The validated parameters and data shape of one fit.
struct Plan {
    n_rows: usize,
    n_features: usize,
    max_samples: usize,
    max_features: usize,
    max_depth: usize,
}

impl IsolationForest {
    /// The defaults (see the table on [`IsolationForest`]); same as `IsolationForest::default()`.
    ///
    /// ```
    /// assert_eq!(channelwise::anomaly::IsolationForest::new(), Default::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of trees (default 100). Validated in `fit`: must be >= 1.
    ///
    /// ```
    /// let f = channelwise::anomaly::IsolationForest::default().n_estimators(10);
    /// assert!(f.fit(&[1.0, 2.0, 3.0], 1).is_ok());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn n_estimators(mut self, n: usize) -> Self {
        self.n_estimators = n;
        self
    }

    /// Rows drawn per tree (default [`MaxSamples::Auto`]).
    ///
    /// ```
    /// use channelwise::anomaly::{IsolationForest, MaxSamples};
    /// let m = IsolationForest::default().max_samples(MaxSamples::Count(1000)).fit(&[1.0, 2.0, 3.0], 1)?;
    /// assert_eq!(m.max_samples(), 3); // clipped to the rows available
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn max_samples(mut self, m: MaxSamples) -> Self {
        self.max_samples = m;
        self
    }

    /// Expected outlier fraction, which sets the offset (default [`Contamination::Auto`]).
    ///
    /// ```
    /// use channelwise::anomaly::{Contamination, IsolationForest};
    /// let x: Vec<f64> = (0..100).map(f64::from).collect();
    /// let m = IsolationForest::default().contamination(Contamination::Fraction(0.1)).fit(&x, 1)?;
    /// let flagged = m.is_outlier(&x, 1)?.iter().filter(|&&o| o).count();
    /// assert!((9..=11).contains(&flagged));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn contamination(mut self, c: Contamination) -> Self {
        self.contamination = c;
        self
    }

    /// Features drawn per tree (default all, `MaxFeatures::Fraction(1.0)`).
    ///
    /// ```
    /// use channelwise::anomaly::{IsolationForest, MaxFeatures};
    /// let m = IsolationForest::default().max_features(MaxFeatures::Fraction(0.5)).fit(&[1.0, 2.0, 3.0, 4.0], 2)?;
    /// assert_eq!(m.max_features(), 1);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn max_features(mut self, m: MaxFeatures) -> Self {
        self.max_features = m;
        self
    }

    /// Draw each tree's rows with replacement (default `false`).
    ///
    /// ```
    /// let m = channelwise::anomaly::IsolationForest::default().bootstrap(true).fit(&[1.0, 2.0, 3.0], 1)?;
    /// assert_eq!(m.n_estimators(), 100);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn bootstrap(mut self, b: bool) -> Self {
        self.bootstrap = b;
        self
    }

    /// Seed of the random streams (default 0). Same seed, same data: same forest, same scores.
    ///
    /// ```
    /// use channelwise::anomaly::IsolationForest;
    /// let x = [0.0, 1.0, 5.0, 1.5, 0.2];
    /// let a = IsolationForest::default().seed(7).fit(&x, 1)?.score_samples(&x, 1)?;
    /// let b = IsolationForest::default().seed(7).fit(&x, 1)?.score_samples(&x, 1)?;
    /// assert_eq!(a, b);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Grows the forest on `x`, a flat row-major matrix of `n_features` columns.
    ///
    /// With a contamination fraction, the training rows are scored once more to place the offset.
    ///
    /// # Errors
    /// - [`Error::OutOfRange`] for `n_features = 0`, `n_estimators = 0`, `MaxSamples::Count(0)`,
    ///   `MaxFeatures::Count` outside `1..=n_features`, or a fraction above its range (a fraction
    ///   of exactly 0 is [`Error::InvalidParameter`]; a NaN one [`Error::NonFinite`]);
    /// - [`Error::NotEnoughData`] for no rows;
    /// - [`Error::InvalidParameter`] naming `n_estimators` when the forest could hold more than
    ///   `u32::MAX` nodes (`n_estimators (2 max_samples - 1)`), checked before a tree is grown;
    /// - [`Error::LengthMismatch`] if `x.len()` is not a multiple of `n_features`;
    /// - [`Error::NonFinite`] naming the first NaN or infinity as `x[row r, column c]`.
    ///
    /// ```
    /// use channelwise::anomaly::IsolationForest;
    /// let x = [0.0, 0.0, 0.1, 0.2, 0.2, 0.1, 9.0, 9.0]; // 4 rows, 2 features
    /// let m = IsolationForest::default().fit(&x, 2)?;
    /// assert_eq!((m.n_features(), m.max_samples(), m.offset()), (2, 4, -0.5));
    /// let e = IsolationForest::default().fit(&[0.0, f64::NAN], 1).unwrap_err();
    /// assert_eq!(e.to_string(), "x[row 1, column 0] must be finite, got NaN");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit(&self, x: &[f64], n_features: usize) -> Result<FittedIsolationForest> {
        let plan = self.plan(x, n_features)?;
        let build = |t: usize| self.grow_tree(x, &plan, t);
        #[cfg(feature = "parallel")]
        let trees: Vec<Vec<Node>> = {
            use rayon::prelude::*;
            (0..self.n_estimators).into_par_iter().map(build).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let trees: Vec<Vec<Node>> = (0..self.n_estimators).map(build).collect();

        debug_assert!(u32::try_from(trees.iter().map(Vec::len).sum::<usize>()).is_ok(), "plan bounds the nodes");
        let mut model = FittedIsolationForest {
            compiled: Compiled::new(&trees),
            trees,
            n_features,
            max_samples: plan.max_samples,
            max_features: plan.max_features,
            max_depth: plan.max_depth,
            offset: -0.5,
            feature_names: None,
        };
        if let Contamination::Fraction(c) = self.contamination {
            let mut scores = vec![0.0; plan.n_rows];
            model.score_into(x, &mut scores);
            model.offset = numpy_percentile(&mut scores, c);
        }
        Ok(model)
    }

    /// [`fit`](Self::fit) on a slice of rows, all of the same length.
    ///
    /// # Errors
    /// As [`fit`](Self::fit); [`Error::LengthMismatch`] naming `rows[i]` if a row's length differs
    /// from the first row's.
    ///
    /// ```
    /// let rows = vec![vec![0.0, 1.0], vec![0.1, 1.1], vec![8.0, -3.0]];
    /// let m = channelwise::anomaly::IsolationForest::default().fit_rows(&rows)?;
    /// assert_eq!(m.score_rows(&rows)?.len(), 3);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit_rows(&self, rows: &[Vec<f64>]) -> Result<FittedIsolationForest> {
        let (x, n_features) = flatten_rows(rows)?;
        self.fit(&x, n_features)
    }

    /// Validates the parameters against the data and resolves the counts.
    fn plan(&self, x: &[f64], n_features: usize) -> Result<Plan> {
        if self.n_estimators == 0 {
            return Err(out_of_range("n_estimators", 0.0, 1.0, f64::INFINITY));
        }
        if let Contamination::Fraction(c) = self.contamination {
            check_fraction("contamination", c, 0.5)?;
        }
        let n_rows = check_matrix(x, n_features)?;
        let max_samples = match self.max_samples {
            MaxSamples::Auto => n_rows.min(256),
            MaxSamples::Count(0) => return Err(out_of_range("max_samples", 0.0, 1.0, f64::INFINITY)),
            MaxSamples::Count(m) => m.min(n_rows),
            MaxSamples::Fraction(f) => fraction_of("max_samples", f, n_rows)?,
        };
        // node indices are u32: a tree holds at most 2 max_samples - 1 nodes
        if max_samples > (u32::MAX / 2) as usize {
            return Err(out_of_range("max_samples", max_samples as f64, 1.0, f64::from(u32::MAX / 2)));
        }
        // ... and so does the forest. Checked before any tree is grown: 2^32 trees once asked
        // for 100 GB and aborted the process (found by mutating the JS vectors).
        let most = self.n_estimators as u128 * (2 * max_samples as u128 - 1);
        if most > u128::from(u32::MAX) {
            // (the count as f64: a u128 Display would add its own formatting code to the .wasm)
            let reason = format!("with max_samples {max_samples}, the forest could hold {} nodes, more than u32::MAX", most as f64);
            return Err(Error::param("n_estimators", self.n_estimators, reason));
        }
        let max_features = match self.max_features {
            MaxFeatures::Count(m) if m == 0 || m > n_features => {
                return Err(out_of_range("max_features", m as f64, 1.0, n_features as f64))
            }
            MaxFeatures::Count(m) => m,
            MaxFeatures::Fraction(f) => fraction_of("max_features", f, n_features)?,
        };
        // ceil(log2(max(max_samples, 2)))
        let max_depth = (usize::BITS - (max_samples.max(2) - 1).leading_zeros()) as usize;
        Ok(Plan { n_rows, n_features, max_samples, max_features, max_depth })
    }

    /// Grows tree `t` from ChaCha8 stream `t` of the seed.
    fn grow_tree(&self, x: &[f64], plan: &Plan, t: usize) -> Vec<Node> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(t as u64);
        let features: Vec<u32> = if plan.max_features == plan.n_features {
            (0..plan.n_features as u32).collect()
        } else {
            let mut f: Vec<u32> =
                index::sample(&mut rng, plan.n_features, plan.max_features).into_iter().map(|i| i as u32).collect();
            crate::stats::sort_ids(&mut f, &mut u32::cmp);
            f
        };
        let mut rows: Vec<usize> = if self.bootstrap {
            // scikit-learn passes bootstrap draws as sample weights: a tree sees each drawn row once
            let mut r: Vec<usize> = (0..plan.max_samples).map(|_| rng.random_range(0..plan.n_rows)).collect();
            crate::stats::sort_by_f64_key(&mut r, |&i| i as f64); // exact below 2^53
            r.dedup();
            r
        } else if plan.max_samples == plan.n_rows {
            (0..plan.n_rows).collect()
        } else {
            index::sample(&mut rng, plan.n_rows, plan.max_samples).into_vec()
        };
        let mut grower = Grower {
            x,
            n_features: plan.n_features,
            max_depth: plan.max_depth,
            nodes: Vec::with_capacity(2 * rows.len()),
            scratch: Vec::with_capacity(features.len()),
            rng,
        };
        grower.grow(&mut rows, &features, 0);
        grower.nodes.shrink_to_fit();
        grower.nodes
    }
}

/// Builds one tree depth-first into a flat pre-order node array.
struct Grower<'a> {
    x: &'a [f64],
    n_features: usize,
    max_depth: usize,
    nodes: Vec<Node>,
    scratch: Vec<u32>,
    rng: ChaCha8Rng,
}

impl Grower<'_> {
    fn leaf(&mut self, depth: usize, n: usize) {
        self.nodes.push(Node { value: depth as f64 + average_path_length(n), feature: LEAF, right: 0 });
    }

    /// Min and max of feature `f` over `rows`.
    fn range(&self, rows: &[usize], f: usize) -> (f64, f64) {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &r in rows {
            let v = self.x[r * self.n_features + f];
            lo = lo.min(v);
            hi = hi.max(v);
        }
        (lo, hi)
    }

    fn grow(&mut self, rows: &mut [usize], features: &[u32], depth: usize) {
        let n = rows.len();
        if depth >= self.max_depth || n <= 1 {
            return self.leaf(depth, n);
        }
        // Draw features without replacement until one is not constant here (constant ones do
        // not use up the draw, as in scikit-learn's random splitter).
        self.scratch.clear();
        self.scratch.extend_from_slice(features);
        let mut left = self.scratch.len();
        let split = loop {
            if left == 0 {
                break None;
            }
            let j = self.rng.random_range(0..left);
            let f = self.scratch[j] as usize;
            let (lo, hi) = self.range(rows, f);
            if hi > lo {
                break Some((f, lo, hi));
            }
            self.scratch.swap(j, left - 1);
            left -= 1;
        };
        let Some((f, lo, hi)) = split else {
            return self.leaf(depth, n); // all rows identical on the tree's features
        };
        let u: f64 = self.rng.random(); // [0, 1)
        // a convex combination cannot overflow, unlike lo + (hi - lo) u
        let mut threshold = lo * (1.0 - u) + hi * u;
        if !(lo..hi).contains(&threshold) {
            threshold = lo;
        }
        let mut k = 0;
        for i in 0..n {
            if self.x[rows[i] * self.n_features + f] <= threshold {
                rows.swap(i, k);
                k += 1;
            }
        }
        // lo <= threshold < hi: both sides hold at least one row
        let me = self.nodes.len();
        self.nodes.push(Node { value: threshold, feature: f as u32, right: 0 });
        let (l, r) = rows.split_at_mut(k);
        self.grow(l, features, depth + 1);
        self.nodes[me].right = self.nodes.len() as u32;
        self.grow(r, features, depth + 1);
    }
}

/// A fitted isolation forest: scores, decisions and predictions for new rows.
///
/// Serialises to JSON (serde) with its trees; deserialising checks the tree structure.
///
/// ```
/// use channelwise::anomaly::IsolationForest;
/// let x: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin()).chain([25.0]).collect();
/// let m = IsolationForest::default().seed(1).fit(&x, 1)?;
/// let d = m.decision_function(&x, 1)?;
/// let s = m.score_samples(&x, 1)?;
/// assert!((d[50] - (s[50] - m.offset())).abs() < 1e-15);
/// assert_eq!(m.predict(&x, 1)?[50], -1);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FittedRepr")]
pub struct FittedIsolationForest {
    trees: Vec<Vec<Node>>,
    n_features: usize,
    max_samples: usize,
    max_features: usize,
    max_depth: usize,
    offset: f64,
    /// The names of the features, when the data had them
    /// ([`FittedIsolationForest::with_feature_names`]): they travel with the JSON, so a frame
    /// scored after loading is checked against them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    feature_names: Option<Vec<String>>,
    /// The trees laid out for scoring (derived from `trees`, not serialised).
    #[serde(skip)]
    compiled: Compiled,
}

/// One node of the scoring layout: `x[feature] <= threshold` goes to the next node, else to
/// `right`. A leaf has threshold -inf and `right` = itself, so a walk of fixed length stays on it
/// and rows can walk a tree in lockstep without branches.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Step {
    threshold: f64,
    feature: u32,
    right: u32,
}

/// Every tree's steps in one array, with each tree's root, depth and leaf values.
#[derive(Debug, Clone, PartialEq, Default)]
struct Compiled {
    steps: Vec<Step>,
    /// Path length at a leaf (0 for internal nodes), indexed like `steps`.
    leaf_value: Vec<f64>,
    /// (root index, depth) per tree.
    roots: Vec<(usize, usize)>,
}

impl Compiled {
    fn new(trees: &[Vec<Node>]) -> Self {
        let total = trees.iter().map(Vec::len).sum();
        let mut c = Compiled { steps: Vec::with_capacity(total), leaf_value: Vec::with_capacity(total), roots: Vec::new() };
        for tree in trees {
            let root = c.steps.len();
            let mut depth = vec![0usize; tree.len()];
            let mut max_depth = 0;
            for (i, n) in tree.iter().enumerate() {
                let at = root + i;
                if n.feature == LEAF {
                    c.steps.push(Step { threshold: f64::NEG_INFINITY, feature: 0, right: at as u32 });
                    c.leaf_value.push(n.value);
                    max_depth = max_depth.max(depth[i]);
                } else {
                    c.steps.push(Step { threshold: n.value, feature: n.feature, right: (root + n.right as usize) as u32 });
                    c.leaf_value.push(0.0);
                    depth[i + 1] = depth[i] + 1;
                    depth[n.right as usize] = depth[i] + 1;
                }
            }
            c.roots.push((root, max_depth));
        }
        c
    }
}

/// The serialised form, checked before it becomes a [`FittedIsolationForest`].
#[derive(Deserialize)]
struct FittedRepr {
    trees: Vec<Vec<Node>>,
    n_features: usize,
    max_samples: usize,
    max_features: usize,
    max_depth: usize,
    offset: f64,
    #[serde(default)]
    feature_names: Option<Vec<String>>,
}

impl TryFrom<FittedRepr> for FittedIsolationForest {
    type Error = Error;

    fn try_from(r: FittedRepr) -> Result<Self> {
        let bad = |reason: String| Err(Error::param("trees", "<serialised forest>", reason));
        if r.trees.is_empty() || r.n_features == 0 || !r.offset.is_finite() || u32::try_from(r.n_features).is_err() {
            return bad("empty forest, no features or non-finite offset".into());
        }
        for (t, nodes) in r.trees.iter().enumerate() {
            if nodes.is_empty() {
                return bad(format!("tree {t} has no nodes"));
            }
            for (i, n) in nodes.iter().enumerate() {
                let ok = n.value.is_finite()
                    && (n.feature == LEAF
                        || ((n.feature as usize) < r.n_features
                            && i + 1 < nodes.len()
                            && (n.right as usize) > i + 1
                            && (n.right as usize) < nodes.len()));
                if !ok {
                    return bad(format!("tree {t}, node {i} is malformed"));
                }
            }
        }
        let total: usize = r.trees.iter().map(Vec::len).sum();
        if u32::try_from(total).is_err() {
            return bad(format!("{total} nodes in all, more than u32 indexes"));
        }
        if let Some(names) = &r.feature_names {
            crate::check_feature_names(names, r.n_features)?;
        }
        Ok(FittedIsolationForest {
            compiled: Compiled::new(&r.trees),
            trees: r.trees,
            n_features: r.n_features,
            max_samples: r.max_samples,
            max_features: r.max_features,
            max_depth: r.max_depth,
            offset: r.offset,
            feature_names: r.feature_names,
        })
    }
}

impl FittedIsolationForest {
    /// Anomaly score of each row, scikit-learn's `score_samples`: `-2^(-E[h] / c(max_samples))`
    /// with `E[h]` the mean path length over the trees. In `[-1, 0]`; lower is more abnormal;
    /// around `-0.5` and above is normal. (With `max_samples = 1`, `c = 0` and every score is
    /// `-0.5`, as in scikit-learn.)
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] if `n_features` differs from the training data's or `x.len()`
    /// is not a multiple of it; [`Error::NotEnoughData`] for no rows; [`Error::NonFinite`] naming
    /// `x[row r, column c]`.
    ///
    /// ```
    /// use channelwise::anomaly::IsolationForest;
    /// let x = [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 50.0];
    /// let m = IsolationForest::default().fit(&x, 1)?;
    /// let s = m.score_samples(&[1.0, 50.0], 1)?;
    /// assert!(s[1] < s[0]);
    /// assert_eq!(m.score_samples(&[1.0, 2.0], 2).unwrap_err().kind().code(), "length_mismatch");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn score_samples(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>> {
        let n_rows = self.check_input(x, n_features)?;
        let mut out = vec![0.0; n_rows];
        self.score_into(x, &mut out);
        Ok(out)
    }

    /// `score_samples - offset`: negative for outliers, as scikit-learn's `decision_function`.
    ///
    /// # Errors
    /// As [`score_samples`](Self::score_samples).
    ///
    /// ```
    /// let m = channelwise::anomaly::IsolationForest::default().fit(&[0.0, 0.1, 0.2, 9.0], 1)?;
    /// assert!(m.decision_function(&[9.0], 1)?[0] < m.decision_function(&[0.1], 1)?[0]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn decision_function(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>> {
        let mut s = self.score_samples(x, n_features)?;
        for v in &mut s {
            *v -= self.offset;
        }
        Ok(s)
    }

    /// `1` for an inlier, `-1` for an outlier (decision function below 0), as scikit-learn.
    ///
    /// # Errors
    /// As [`score_samples`](Self::score_samples).
    ///
    /// ```
    /// let m = channelwise::anomaly::IsolationForest::default().fit(&[0.0, 0.1, 0.2, 0.15, 0.05, 30.0], 1)?;
    /// assert_eq!(m.predict(&[0.1, 30.0], 1)?, vec![1, -1]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn predict(&self, x: &[f64], n_features: usize) -> Result<Vec<i8>> {
        Ok(self.decision_function(x, n_features)?.into_iter().map(|d| if d < 0.0 { -1 } else { 1 }).collect())
    }

    /// `true` where [`predict`](Self::predict) says `-1` (decision function below 0).
    ///
    /// # Errors
    /// As [`score_samples`](Self::score_samples).
    ///
    /// ```
    /// let m = channelwise::anomaly::IsolationForest::default().fit(&[0.0, 0.1, 0.2, 0.15, 0.05, 30.0], 1)?;
    /// assert_eq!(m.is_outlier(&[0.1, 30.0], 1)?, vec![false, true]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn is_outlier(&self, x: &[f64], n_features: usize) -> Result<Vec<bool>> {
        Ok(self.decision_function(x, n_features)?.into_iter().map(|d| d < 0.0).collect())
    }

    /// [`score_samples`](Self::score_samples) on a slice of rows.
    ///
    /// # Errors
    /// As [`score_samples`](Self::score_samples); [`Error::LengthMismatch`] naming `rows[i]` for
    /// rows of unequal length.
    ///
    /// ```
    /// let m = channelwise::anomaly::IsolationForest::default().fit_rows(&[vec![0.0], vec![1.0], vec![0.5]])?;
    /// assert_eq!(m.score_rows(&[vec![0.5]])?.len(), 1);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn score_rows(&self, rows: &[Vec<f64>]) -> Result<Vec<f64>> {
        let (x, n_features) = flatten_rows(rows)?;
        self.score_samples(&x, n_features)
    }

    /// Threshold on [`score_samples`](Self::score_samples): `-0.5` for
    /// [`Contamination::Auto`], else the contamination percentile of the training scores.
    ///
    /// ```
    /// assert_eq!(channelwise::anomaly::IsolationForest::default().fit(&[1.0, 2.0], 1)?.offset(), -0.5);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// Number of features of the training data (and of any data scored).
    ///
    /// ```
    /// assert_eq!(channelwise::anomaly::IsolationForest::default().fit(&[1.0, 2.0], 2)?.n_features(), 2);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The forest with the names of its features (a frame's columns), kept in its JSON.
    ///
    /// # Errors
    /// `length_mismatch` (field `feature_names`) for another count than `n_features`.
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        crate::check_feature_names(&names, self.n_features)?;
        self.feature_names = Some(names);
        Ok(self)
    }

    /// The names of the features, when it was given them.
    pub fn feature_names(&self) -> Option<&[String]> {
        self.feature_names.as_deref()
    }

    /// Number of trees.
    ///
    /// ```
    /// let m = channelwise::anomaly::IsolationForest::default().n_estimators(3).fit(&[1.0, 2.0], 1)?;
    /// assert_eq!(m.n_estimators(), 3);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn n_estimators(&self) -> usize {
        self.trees.len()
    }

    /// Rows each tree was grown from, resolved (scikit-learn's `max_samples_`).
    ///
    /// ```
    /// assert_eq!(channelwise::anomaly::IsolationForest::default().fit(&[1.0; 300], 1)?.max_samples(), 256);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn max_samples(&self) -> usize {
        self.max_samples
    }

    /// Features each tree could split on, resolved.
    ///
    /// ```
    /// assert_eq!(channelwise::anomaly::IsolationForest::default().fit(&[1.0; 30], 3)?.max_features(), 3);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn max_features(&self) -> usize {
        self.max_features
    }

    /// Depth limit of the trees, `ceil(log2(max(max_samples, 2)))`.
    ///
    /// ```
    /// assert_eq!(channelwise::anomaly::IsolationForest::default().fit(&[1.0; 300], 1)?.max_depth(), 8);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Checks scoring input: same feature count as training, whole rows, finite values.
    fn check_input(&self, x: &[f64], n_features: usize) -> Result<usize> {
        if n_features != self.n_features {
            return Err(Error::LengthMismatch { field: "n_features".into(), expected: self.n_features, got: n_features });
        }
        check_matrix(x, n_features)
    }

    /// Writes the scores of the rows of `x` (already validated) into `out`.
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        let nf = self.n_features;
        let denominator = self.trees.len() as f64 * average_path_length(self.max_samples);
        let chunk = |(c, o): (usize, &mut [f64])| {
            let rows = &x[c * CHUNK_ROWS * nf..(c * CHUNK_ROWS + o.len()) * nf];
            self.compiled.path_sums(rows, nf, o);
            for v in o.iter_mut() {
                // scikit-learn: a ratio of 1 when the denominator is 0 (max_samples = 1)
                let ratio = if denominator != 0.0 { *v / denominator } else { 1.0 };
                *v = -(-ratio).exp2();
            }
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            out.par_chunks_mut(CHUNK_ROWS).enumerate().for_each(chunk);
        }
        #[cfg(not(feature = "parallel"))]
        out.chunks_mut(CHUNK_ROWS).enumerate().for_each(chunk);
    }
}

/// The node after `at` for value `v`: `at + 1` if `v <= threshold`, else `right`; computed
/// with masks, not a branch (the branch is a coin flip the CPU mispredicts half the time).
#[inline(always)]
// Keep this spelling: with `v > threshold` (or a multiply-select) LLVM emits a branch again and
// scoring 100k x 10 rows goes from ~0.11 s to ~0.55 s on one thread (benches/compare/iforest.py).
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn next(at: usize, s: Step, v: f64) -> usize {
    let go_right = usize::from(!(v <= s.threshold));
    ((at + 1) & go_right.wrapping_sub(1)) | (s.right as usize & go_right.wrapping_neg())
}

/// Rows walked through a tree in lockstep: independent walks overlap their memory latency.
/// Measured on 100k x 10 (`benches/compare/iforest.py`, one thread): 32 and 16 lanes score in
/// ~0.15 s, 8 and 4 lanes in ~0.5 s (the codegen changes), a branchy one-row walk in ~0.8 s.
const LANES: usize = 32;

impl Compiled {
    /// Sum over trees of each row's path length, in tree order (the same sum on every thread
    /// count). `out` has one entry per row of `rows`.
    fn path_sums(&self, rows: &[f64], nf: usize, out: &mut [f64]) {
        out.fill(0.0);
        let steps = &self.steps[..];
        for &(root, depth) in &self.roots {
            let mut blocks = out.chunks_exact_mut(LANES);
            let mut r0 = 0;
            for o in &mut blocks {
                let mut at = [root; LANES];
                for _ in 0..depth {
                    for (l, a) in at.iter_mut().enumerate() {
                        let s = steps[*a];
                        let v = rows[(r0 + l) * nf + s.feature as usize];
                        *a = next(*a, s, v);
                    }
                }
                for (v, a) in o.iter_mut().zip(at) {
                    *v += self.leaf_value[a];
                }
                r0 += LANES;
            }
            for (l, v) in blocks.into_remainder().iter_mut().enumerate() {
                let row = &rows[(r0 + l) * nf..(r0 + l + 1) * nf];
                let mut a = root;
                for _ in 0..depth {
                    let s = steps[a];
                    a = next(a, s, row[s.feature as usize]);
                }
                *v += self.leaf_value[a];
            }
        }
    }
}

/// numpy's `np.percentile(scores, 100 * c)` with the default linear method, in numpy's
/// arithmetic (`q = 100 c / 100`, virtual index `(n - 1) q`, numpy's two-sided lerp), so the
/// offset sits where scikit-learn would put it for the same scores. Reorders `scores`.
fn numpy_percentile(scores: &mut [f64], c: f64) -> f64 {
    let n = scores.len();
    let q = (100.0 * c) / 100.0;
    let virtual_index = (n - 1) as f64 * q;
    let prev = virtual_index.floor() as usize;
    if prev + 1 >= n {
        return scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    let (_, &mut a, upper) = scores.select_nth_unstable_by(prev, f64::total_cmp);
    let b = upper.iter().copied().fold(f64::INFINITY, f64::min);
    let t = virtual_index - prev as f64;
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

fn out_of_range(field: &str, value: f64, min: f64, max: f64) -> Error {
    Error::OutOfRange { field: field.into(), value, min, max }
}

/// Checks a fraction in (0, max].
fn check_fraction(field: &str, f: f64, max: f64) -> Result<()> {
    if !f.is_finite() {
        return Err(Error::NonFinite { field: field.into(), value: f });
    }
    if f == 0.0 {
        return Err(Error::param(field, f, format!("must be in (0, {max}]")));
    }
    if !(0.0..=max).contains(&f) {
        return Err(out_of_range(field, f, 0.0, max));
    }
    Ok(())
}

/// `max(1, floor(f * n))` for a fraction `f` in (0, 1].
fn fraction_of(field: &str, f: f64, n: usize) -> Result<usize> {
    check_fraction(field, f, 1.0)?;
    Ok(((f * n as f64) as usize).clamp(1, n))
}

/// Checks a flat row-major matrix and returns its row count.
fn check_matrix(x: &[f64], n_features: usize) -> Result<usize> {
    if n_features == 0 {
        return Err(out_of_range("n_features", 0.0, 1.0, f64::from(u32::MAX - 1)));
    }
    if n_features >= LEAF as usize {
        return Err(out_of_range("n_features", n_features as f64, 1.0, f64::from(u32::MAX - 1)));
    }
    if x.len() % n_features != 0 {
        return Err(Error::LengthMismatch {
            field: format!("x (row-major with n_features = {n_features})"),
            expected: x.len() / n_features * n_features,
            got: x.len(),
        });
    }
    let n_rows = x.len() / n_features;
    if n_rows == 0 {
        return Err(Error::NotEnoughData { what: "isolation forest (rows of x)".into(), required: 1, got: 0 });
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            field: format!("x[row {}, column {}]", i / n_features, i % n_features),
            value: x[i],
        });
    }
    Ok(n_rows)
}

/// Flattens rows of equal length into a row-major matrix and its column count.
fn flatten_rows(rows: &[Vec<f64>]) -> Result<(Vec<f64>, usize)> {
    let Some(first) = rows.first() else {
        return Err(Error::NotEnoughData { what: "isolation forest (rows)".into(), required: 1, got: 0 });
    };
    let n_features = first.len();
    let mut x = Vec::with_capacity(rows.len() * n_features);
    for (i, r) in rows.iter().enumerate() {
        if r.len() != n_features {
            return Err(Error::LengthMismatch { field: format!("rows[{i}]"), expected: n_features, got: r.len() });
        }
        x.extend_from_slice(r);
    }
    Ok((x, n_features))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n * 2).map(|_| rng.random::<f64>() - 0.5).collect()
    }

    #[test]
    fn average_path_length_matches_sklearn() {
        // sklearn 1.9.1 _average_path_length([3, 10, 256, 100000])
        assert_eq!(average_path_length(0), 0.0);
        assert!((average_path_length(3) - 1.207392357589623).abs() < 1e-15);
        assert!((average_path_length(10) - 3.748880484475505).abs() < 1e-14);
    }

    #[test]
    fn max_depth_is_ceil_log2() {
        for (m, d) in [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (256, 8), (257, 9)] {
            let x = vec![0.0; m];
            let f = IsolationForest::default().n_estimators(1).max_samples(MaxSamples::Count(m)).fit(&x, 1).unwrap();
            assert_eq!(f.max_depth(), d, "m = {m}");
        }
    }

    #[test]
    fn percentile_follows_numpy() {
        // np.percentile([1, 2, 3, 4, 5], 10) = 1.4; np.percentile(range(10), 35) = 3.15
        assert!((numpy_percentile(&mut [5.0, 3.0, 1.0, 2.0, 4.0], 0.1) - 1.4).abs() < 1e-15);
        let mut v: Vec<f64> = (0..10).map(f64::from).rev().collect();
        assert!((numpy_percentile(&mut v, 0.35) - 3.15).abs() < 1e-12);
        assert_eq!(numpy_percentile(&mut [2.0], 0.5), 2.0);
    }

    #[test]
    fn trees_are_well_formed() {
        let x = blob(500, 1);
        let m = IsolationForest::default().n_estimators(20).fit(&x, 2).unwrap();
        for t in &m.trees {
            let leaves = t.iter().filter(|n| n.feature == LEAF).count();
            assert_eq!(t.len(), 2 * leaves - 1);
        }
        let json = serde_json::to_string(&m).unwrap();
        let back: FittedIsolationForest = serde_json::from_str(&json).unwrap();
        // serde_json may round the last bit of a float; the structure is kept exactly
        let (a, b) = (m.score_samples(&x, 2).unwrap(), back.score_samples(&x, 2).unwrap());
        assert!(a.iter().zip(&b).all(|(a, b)| (a - b).abs() < 1e-12));
        let broken = json.replacen("\"right\":2", "\"right\":0", 1);
        assert!(serde_json::from_str::<FittedIsolationForest>(&broken).is_err());
        // feature names, when given, are checked and travel; absent ones are not written
        assert!(!json.contains("feature_names") && m.feature_names().is_none());
        assert!(m.clone().with_feature_names(vec!["a".into()]).unwrap_err().to_string().contains("feature_names"));
        let named = m.with_feature_names(vec!["spend".into(), "clicks".into()]).unwrap();
        let json = serde_json::to_string(&named).unwrap();
        let back: FittedIsolationForest = serde_json::from_str(&json).unwrap();
        assert_eq!(back.feature_names().unwrap(), ["spend", "clicks"]);
        let e = serde_json::from_str::<FittedIsolationForest>(&json.replace(",\"clicks\"", "")).unwrap_err();
        assert!(e.to_string().contains("feature_names has 1 entries, expected 2"), "{e}");
    }

    #[test]
    fn bootstrap_and_feature_subsets_run() {
        let x = blob(300, 2);
        let m = IsolationForest::default()
            .bootstrap(true)
            .max_features(MaxFeatures::Count(1))
            .max_samples(MaxSamples::Fraction(0.5))
            .fit(&x, 2)
            .unwrap();
        assert_eq!((m.max_samples(), m.max_features()), (150, 1));
        assert!(m.score_samples(&x, 2).unwrap().iter().all(|s| (-1.0..=0.0).contains(s)));
    }

    #[test]
    fn single_sample_trees_score_minus_half() {
        let m = IsolationForest::default().max_samples(MaxSamples::Count(1)).fit(&[1.0, 2.0, 3.0], 1).unwrap();
        assert_eq!(m.score_samples(&[0.0, 5.0], 1).unwrap(), vec![-0.5, -0.5]);
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let err = |f: IsolationForest, nf: usize| f.fit(&x, nf).unwrap_err();
        let d = IsolationForest::default();
        assert_eq!(err(d.n_estimators(0), 1).to_string(), "n_estimators must be in [1, inf], got 0");
        let e = err(d.n_estimators(1 << 32), 1).to_string();
        assert!(e.starts_with("invalid n_estimators: \"4294967296\" (with max_samples"), "{e}");
        assert_eq!(err(d.contamination(Contamination::Fraction(0.6)), 1).kind(), crate::ErrorKind::OutOfRange);
        assert_eq!(err(d.contamination(Contamination::Fraction(0.0)), 1).kind(), crate::ErrorKind::InvalidParameter);
        assert_eq!(err(d.max_samples(MaxSamples::Fraction(f64::NAN)), 1).kind(), crate::ErrorKind::NonFinite);
        assert_eq!(err(d.max_features(MaxFeatures::Count(3)), 2).to_string(), "max_features must be in [1, 2], got 3");
        assert_eq!(err(d, 3).kind(), crate::ErrorKind::LengthMismatch);
        assert_eq!(err(d, 0).kind(), crate::ErrorKind::OutOfRange);
        assert_eq!(d.fit(&[], 2).unwrap_err().kind(), crate::ErrorKind::NotEnoughData);
        assert_eq!(d.fit_rows(&[vec![1.0], vec![]]).unwrap_err().to_string(), "length mismatch: rows[1] has 0 entries, expected 1");
    }
}
