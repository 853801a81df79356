//! Seasonal-trend decomposition: STL (Cleveland et al. 1990), MSTL (Bandara, Hyndman & Bergmeir
//! 2021) and the strength measures of Wang, Smith & Hyndman (2006).
//!
//! [`Stl`] takes the parameters, defaults and validation rules of statsmodels 0.15
//! `statsmodels.tsa.seasonal.STL` and its `fit(inner_iter, outer_iter)`, and reproduces its
//! numbers to rounding (the shared vectors in `tests/vectors/forecast/stl_*.json` check 1e-8).
//! [`Mstl`] does the same for `statsmodels.tsa.seasonal.MSTL`. Both are deterministic: no seed.
//!
//! The decomposition is additive, `y = trend + seasonal + resid`, with `resid` computed as
//! `y - trend - seasonal`, so the three always add back to the data up to one rounding.
//!
//! ```
//! use channelwise::forecast::decompose::Stl;
//! let y: Vec<f64> = (0..48).map(|t| 10.0 + 0.5 * t as f64 + [3.0, -1.0, -2.0, 0.0][t % 4]).collect();
//! let d = Stl::new(4).fit(&y)?;
//! assert!(d.seasonal_strength()? > 0.99 && d.trend_strength()? > 0.99);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{check_range, Error, Result};
use crate::stats::check_finite;

/// Most passes of each STL loop (`inner_iter`, `outer_iter`) and of MSTL's `iterate`. The fit
/// settles in a handful (statsmodels' defaults are 2 to 15), and 2^53 passes ran for good
/// (found by mutating the Python vectors); statsmodels sets no bound.
pub const MAX_PASSES: usize = 100;

/// STL: Season-Trend decomposition by LOESS (Cleveland, Cleveland, McRae & Terpenning 1990).
///
/// Build with [`Stl::new`] and the consuming setters, then call [`Stl::fit`]. The inner loop
/// alternates a LOESS smooth of each cycle-subseries (the seasonal), a low-pass filter that
/// removes what leaked of the trend into it, and a LOESS smooth of the deseasonalised series
/// (the trend); the outer loop (robust fitting) reweights points by their residual with the
/// bisquare of `|resid| / (6 median |resid|)`.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `period` | (required) | Length of the seasonal cycle (12 for monthly data with a yearly cycle) | `>= 2`; the series needs `>= 2 * period` points |
/// | `seasonal` | 7 | LOESS window of the cycle-subseries smoother (`ns`) | odd, `>= 3` |
/// | `trend` | smallest odd integer `>= 1.5 period / (1 - 1.5 / seasonal)` | LOESS window of the trend smoother (`nt`) | odd, `>= 3`, `> period` |
/// | `low_pass` | smallest odd integer `> period` | LOESS window of the low-pass filter (`nl`) | odd, `>= 3`, `> period` |
/// | `seasonal_deg` | 1 | Degree of the seasonal LOESS | 0 or 1 |
/// | `trend_deg` | 1 | Degree of the trend LOESS | 0 or 1 |
/// | `low_pass_deg` | 1 | Degree of the low-pass LOESS | 0 or 1 |
/// | `robust` | false | Robust fitting: sets the default iteration counts below | bool |
/// | `seasonal_jump` | 1 | Fit the seasonal LOESS every `jump` points, interpolate linearly between | `>= 1` |
/// | `trend_jump` | 1 | The same for the trend LOESS | `>= 1` |
/// | `low_pass_jump` | 1 | The same for the low-pass LOESS | `>= 1` |
/// | `inner_iter` | 2 if `robust`, else 5 | Passes of the inner (seasonal/trend) loop | 1 to 100 |
/// | `outer_iter` | 15 if `robust`, else 0 | Robustness reweighting passes | 0 to 100 |
///
/// As in statsmodels, `robust` only picks the default iteration counts: an explicit
/// `outer_iter(k)` with `k > 0` reweights whatever `robust` says. [`StlDecomposition::weights`]
/// are all 1 when `outer_iter` is 0.
///
/// ```
/// use channelwise::forecast::decompose::Stl;
/// let y: Vec<f64> = (0..36).map(|t| (t as f64 * std::f64::consts::PI / 6.0).sin() + 0.1 * t as f64).collect();
/// let d = Stl::new(12).seasonal(7).robust(true).fit(&y)?;
/// assert_eq!(d.trend.len(), 36);
/// for i in 0..36 {
///     assert!((d.trend[i] + d.seasonal[i] + d.resid[i] - y[i]).abs() < 1e-12);
/// }
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stl {
    period: usize,
    seasonal: usize,
    trend: Option<usize>,
    low_pass: Option<usize>,
    seasonal_deg: usize,
    trend_deg: usize,
    low_pass_deg: usize,
    robust: bool,
    seasonal_jump: usize,
    trend_jump: usize,
    low_pass_jump: usize,
    inner_iter: Option<usize>,
    outer_iter: Option<usize>,
}

impl Stl {
    /// An STL decomposition with seasonal cycle `period` and every other parameter at its default
    /// (see the table on [`Stl`]). `period` is checked in [`Stl::fit`].
    ///
    /// ```
    /// let stl = channelwise::forecast::decompose::Stl::new(12);
    /// assert_eq!(stl.trend_window()?, 23);
    /// assert_eq!(stl.low_pass_window()?, 13);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn new(period: usize) -> Self {
        Stl {
            period,
            seasonal: 7,
            trend: None,
            low_pass: None,
            seasonal_deg: 1,
            trend_deg: 1,
            low_pass_deg: 1,
            robust: false,
            seasonal_jump: 1,
            trend_jump: 1,
            low_pass_jump: 1,
            inner_iter: None,
            outer_iter: None,
        }
    }

    /// Sets the seasonal cycle length.
    pub fn period(mut self, period: usize) -> Self {
        self.period = period;
        self
    }

    /// Sets the seasonal smoother window (odd, `>= 3`; default 7).
    pub fn seasonal(mut self, window: usize) -> Self {
        self.seasonal = window;
        self
    }

    /// Sets the trend smoother window (odd, `>= 3`, `> period`); `None` restores the default.
    pub fn trend(mut self, window: impl Into<Option<usize>>) -> Self {
        self.trend = window.into();
        self
    }

    /// Sets the low-pass filter window (odd, `>= 3`, `> period`); `None` restores the default.
    pub fn low_pass(mut self, window: impl Into<Option<usize>>) -> Self {
        self.low_pass = window.into();
        self
    }

    /// Sets the degree (0 or 1) of the seasonal LOESS.
    pub fn seasonal_deg(mut self, deg: usize) -> Self {
        self.seasonal_deg = deg;
        self
    }

    /// Sets the degree (0 or 1) of the trend LOESS.
    pub fn trend_deg(mut self, deg: usize) -> Self {
        self.trend_deg = deg;
        self
    }

    /// Sets the degree (0 or 1) of the low-pass LOESS.
    pub fn low_pass_deg(mut self, deg: usize) -> Self {
        self.low_pass_deg = deg;
        self
    }

    /// Robust fitting: with `true` the default iterations become 2 inner, 15 outer.
    pub fn robust(mut self, robust: bool) -> Self {
        self.robust = robust;
        self
    }

    /// Sets the seasonal LOESS jump (`>= 1`).
    pub fn seasonal_jump(mut self, jump: usize) -> Self {
        self.seasonal_jump = jump;
        self
    }

    /// Sets the trend LOESS jump (`>= 1`).
    pub fn trend_jump(mut self, jump: usize) -> Self {
        self.trend_jump = jump;
        self
    }

    /// Sets the low-pass LOESS jump (`>= 1`).
    pub fn low_pass_jump(mut self, jump: usize) -> Self {
        self.low_pass_jump = jump;
        self
    }

    /// Sets the inner-loop passes (`>= 1`); `None` restores the default (2 robust, 5 not).
    pub fn inner_iter(mut self, iter: impl Into<Option<usize>>) -> Self {
        self.inner_iter = iter.into();
        self
    }

    /// Sets the robustness passes (`>= 0`); `None` restores the default (15 robust, 0 not).
    pub fn outer_iter(mut self, iter: impl Into<Option<usize>>) -> Self {
        self.outer_iter = iter.into();
        self
    }

    /// The trend window [`Stl::fit`] uses: the one set, or statsmodels' default, the smallest odd
    /// integer `>= ceil(1.5 period / (1 - 1.5 / seasonal))`.
    ///
    /// # Errors
    /// As [`Stl::fit`] for `period`, `seasonal` and `trend`.
    ///
    /// ```
    /// use channelwise::forecast::decompose::Stl;
    /// assert_eq!(Stl::new(7).seasonal(13).trend_window()?, 13);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn trend_window(&self) -> Result<usize> {
        check_period(self.period)?;
        check_window("seasonal", self.seasonal, None)?;
        let nt = match self.trend {
            Some(t) => t,
            None => {
                let t = (1.5 * self.period as f64 / (1.0 - 1.5 / self.seasonal as f64)).ceil() as usize;
                t + usize::from(t % 2 == 0)
            }
        };
        check_window("trend", nt, Some(self.period))
    }

    /// The low-pass window [`Stl::fit`] uses: the one set, or the smallest odd integer `> period`.
    ///
    /// # Errors
    /// As [`Stl::fit`] for `period` and `low_pass`.
    pub fn low_pass_window(&self) -> Result<usize> {
        check_period(self.period)?;
        let nl = self.low_pass.unwrap_or_else(|| {
            let l = self.period + 1;
            l + usize::from(l % 2 == 0)
        });
        check_window("low_pass", nl, Some(self.period))
    }

    /// Validates every parameter against a series of length `n` and resolves the defaults.
    fn resolve(&self, n: usize) -> Result<Resolved> {
        check_period(self.period)?;
        check_window("seasonal", self.seasonal, None)?;
        let nt = self.trend_window()?;
        let nl = self.low_pass_window()?;
        for (field, deg) in
            [("seasonal_deg", self.seasonal_deg), ("trend_deg", self.trend_deg), ("low_pass_deg", self.low_pass_deg)]
        {
            if deg > 1 {
                return Err(Error::OutOfRange { field: field.into(), value: deg as f64, min: 0.0, max: 1.0 });
            }
        }
        for (field, jump) in
            [("seasonal_jump", self.seasonal_jump), ("trend_jump", self.trend_jump), ("low_pass_jump", self.low_pass_jump)]
        {
            if jump == 0 {
                return Err(Error::OutOfRange { field: field.into(), value: 0.0, min: 1.0, max: f64::INFINITY });
            }
        }
        let inner = self.inner_iter.unwrap_or(if self.robust { 2 } else { 5 });
        if inner == 0 || inner > MAX_PASSES {
            return Err(Error::OutOfRange { field: "inner_iter".into(), value: inner as f64, min: 1.0, max: MAX_PASSES as f64 });
        }
        let outer = self.outer_iter.unwrap_or(if self.robust { 15 } else { 0 });
        if outer > MAX_PASSES {
            return Err(Error::OutOfRange { field: "outer_iter".into(), value: outer as f64, min: 0.0, max: MAX_PASSES as f64 });
        }
        let required = self.period.saturating_mul(2);
        if n < required {
            return Err(Error::NotEnoughData {
                what: format!("STL with period {} (two full cycles)", self.period),
                required,
                got: n,
            });
        }
        Ok(Resolved {
            np: self.period,
            ns: self.seasonal,
            nt,
            nl,
            isdeg: self.seasonal_deg,
            itdeg: self.trend_deg,
            ildeg: self.low_pass_deg,
            nsjump: self.seasonal_jump,
            ntjump: self.trend_jump,
            nljump: self.low_pass_jump,
            inner,
            outer,
        })
    }

    /// Decomposes `y` into trend, seasonal and remainder.
    ///
    /// Values of any magnitude work: a series whose largest absolute value exceeds `2^500` is
    /// scaled by a power of two (exactly) before fitting and back after. A constant series
    /// decomposes into that constant as trend and zero seasonal and remainder, up to rounding
    /// (robust weights then follow the rounding noise, as in statsmodels, unless it is exactly 0).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `period < 2`, a window `< 3`, a degree above 1, a jump or
    /// `inner_iter` of 0; [`Error::InvalidParameter`] for an even window or a `trend`/`low_pass`
    /// window not larger than `period`; [`Error::NotEnoughData`] for fewer than `2 * period`
    /// values; [`Error::NonFinite`] naming the first NaN or infinite `y[i]`.
    ///
    /// ```
    /// use channelwise::forecast::decompose::Stl;
    /// let y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    /// assert_eq!(Stl::new(4).fit(&y).unwrap_err().kind().code(), "not_enough_data");
    /// assert_eq!(Stl::new(2).seasonal(8).fit(&y).unwrap_err().kind().code(), "invalid_parameter");
    /// assert_eq!(Stl::new(2).fit(&[1.0, f64::NAN, 2.0, 3.0]).unwrap_err().to_string(), "y[1] must be finite, got NaN");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit(&self, y: &[f64]) -> Result<StlDecomposition> {
        let p = self.resolve(y.len())?;
        check_finite("y", y)?;
        let (scaled, scale) = pow2_scaled(y);
        let data = scaled.as_deref().unwrap_or(y);
        let mut out = p.run(data);
        if let Some(s) = scale {
            for v in out.trend.iter_mut().chain(out.seasonal.iter_mut()) {
                *v *= s;
            }
        }
        out.resid = y.iter().zip(&out.trend).zip(&out.seasonal).map(|((y, t), s)| y - s - t).collect();
        check_output(&out.trend, &out.seasonal, &out.resid)?;
        Ok(out)
    }
}

fn check_period(period: usize) -> Result<()> {
    if period < 2 {
        return Err(Error::OutOfRange { field: "period".into(), value: period as f64, min: 2.0, max: f64::INFINITY });
    }
    Ok(())
}

/// An odd window `>= 3`, larger than `period` when given.
fn check_window(field: &str, w: usize, period: Option<usize>) -> Result<usize> {
    if w < 3 {
        return Err(Error::OutOfRange { field: field.into(), value: w as f64, min: 3.0, max: f64::INFINITY });
    }
    if w % 2 == 0 {
        return Err(Error::param(field, w, "must be an odd integer"));
    }
    if let Some(p) = period {
        if w <= p {
            return Err(Error::param(field, w, format!("must be larger than the period ({p})")));
        }
    }
    Ok(w)
}

/// `y` times an exact power of two when its magnitude could overflow intermediate sums.
fn pow2_scaled(y: &[f64]) -> (Option<Vec<f64>>, Option<f64>) {
    let m = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if m <= 2f64.powi(500) {
        return (None, None);
    }
    let (down, up) = (2f64.powi(-520), 2f64.powi(520));
    (Some(y.iter().map(|v| v * down).collect()), Some(up))
}

/// The components must be finite (they are for finite input below `2^500 * 2^520`).
fn check_output(trend: &[f64], seasonal: &[f64], resid: &[f64]) -> Result<()> {
    check_finite("trend", trend)?;
    check_finite("seasonal", seasonal)?;
    check_finite("resid", resid)
}

/// The result of [`Stl::fit`]: `y = trend + seasonal + resid`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StlDecomposition {
    /// Trend component.
    pub trend: Vec<f64>,
    /// Seasonal component.
    pub seasonal: Vec<f64>,
    /// Remainder, `y - trend - seasonal`.
    pub resid: Vec<f64>,
    /// Robustness weights of the last reweighting pass (all 1 without one), in `[0, 1]`.
    pub weights: Vec<f64>,
}

impl StlDecomposition {
    /// Seasonal strength `max(0, 1 - Var(resid) / Var(seasonal + resid))`; see [`seasonal_strength`].
    ///
    /// # Errors
    /// As [`seasonal_strength`] (cannot fail on a decomposition from [`Stl::fit`]).
    pub fn seasonal_strength(&self) -> Result<f64> {
        seasonal_strength(&self.seasonal, &self.resid)
    }

    /// Trend strength `max(0, 1 - Var(resid) / Var(trend + resid))`; see [`trend_strength`].
    ///
    /// # Errors
    /// As [`trend_strength`] (cannot fail on a decomposition from [`Stl::fit`]).
    pub fn trend_strength(&self) -> Result<f64> {
        trend_strength(&self.trend, &self.resid)
    }
}

/// Strength of a component `c` against the remainder `r`: `max(0, 1 - Var(r) / Var(c + r))`,
/// 0 when `Var(c + r)` is 0.
fn strength(field: &str, c: &[f64], r: &[f64]) -> Result<f64> {
    crate::stats::check_same_len("resid", c.len(), r.len())?;
    if c.len() < 2 {
        return Err(Error::NotEnoughData { what: format!("{field} strength"), required: 2, got: c.len() });
    }
    check_finite(field, c)?;
    check_finite("resid", r)?;
    let sum: Vec<f64> = c.iter().zip(r).map(|(a, b)| a + b).collect();
    let (vr, vs) = (variance(r), variance(&sum));
    if vs.is_nan() || vs <= 0.0 || !vs.is_finite() || !vr.is_finite() {
        return Ok(0.0);
    }
    Ok((1.0 - vr / vs).max(0.0))
}

/// Population variance (the ddof cancels in the strength ratios), two-pass.
fn variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().map(|v| v / n).sum::<f64>();
    x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n
}

/// Seasonal strength (Wang, Smith & Hyndman 2006; Hyndman & Athanasopoulos, FPP3 4.3):
/// `F_S = max(0, 1 - Var(R) / Var(S + R))`, in `[0, 1]`; near 1 for a strongly seasonal series.
///
/// When `Var(S + R)` is 0 (nothing varies), the strength is 0.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::NotEnoughData`] for fewer than 2 values;
/// [`Error::NonFinite`] naming `seasonal[i]` or `resid[i]`.
///
/// ```
/// use channelwise::forecast::decompose::seasonal_strength;
/// let s = [1.0, -1.0, 1.0, -1.0];
/// let r = [0.1, 0.0, -0.1, 0.0];
/// let f = seasonal_strength(&s, &r)?;
/// assert!((f - (1.0 - 0.005 / 1.005)).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn seasonal_strength(seasonal: &[f64], resid: &[f64]) -> Result<f64> {
    strength("seasonal", seasonal, resid)
}

/// Trend strength (Wang, Smith & Hyndman 2006; FPP3 4.3): `F_T = max(0, 1 - Var(R) / Var(T + R))`.
///
/// When `Var(T + R)` is 0, the strength is 0.
///
/// # Errors
/// As [`seasonal_strength`], naming `trend[i]`.
///
/// ```
/// use channelwise::forecast::decompose::trend_strength;
/// assert_eq!(trend_strength(&[1.0, 2.0, 3.0], &[0.0, 0.0, 0.0])?, 1.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn trend_strength(trend: &[f64], resid: &[f64]) -> Result<f64> {
    strength("trend", trend, resid)
}

/// STL parameters with defaults resolved, validated for one series.
#[derive(Debug, Clone, Copy)]
struct Resolved {
    np: usize,
    ns: usize,
    nt: usize,
    nl: usize,
    isdeg: usize,
    itdeg: usize,
    ildeg: usize,
    nsjump: usize,
    ntjump: usize,
    nljump: usize,
    inner: usize,
    outer: usize,
}

/// Scratch buffers of one STL run, allocated once.
struct Work {
    /// `y - trend`, then `y - seasonal`, then the fit for the robustness weights (length n).
    detrended: Vec<f64>,
    /// Cycle-subseries smooths, extended one cycle at each end (length n + 2 np).
    cycle: Vec<f64>,
    /// Moving averages of `cycle` (length n + 2 np).
    ma1: Vec<f64>,
    ma2: Vec<f64>,
    /// Low-pass of the cycle smooths (length n).
    low: Vec<f64>,
    /// LOESS weights (length n + 2 np).
    w: Vec<f64>,
    /// One cycle-subseries, its weights and its smooth (with one extra point at each end).
    sub: Vec<f64>,
    sub_rw: Vec<f64>,
    sub_fit: Vec<f64>,
}

impl Resolved {
    fn run(&self, y: &[f64]) -> StlDecomposition {
        let n = y.len();
        let ext = n + 2 * self.np;
        let k_max = n / self.np + 1;
        let mut wk = Work {
            detrended: vec![0.0; n],
            cycle: vec![0.0; ext],
            ma1: vec![0.0; ext],
            ma2: vec![0.0; ext],
            low: vec![0.0; n],
            w: vec![0.0; ext],
            sub: vec![0.0; k_max],
            sub_rw: vec![1.0; k_max],
            sub_fit: vec![0.0; k_max + 2],
        };
        let mut trend = vec![0.0; n];
        let mut seasonal = vec![0.0; n];
        let mut rw = vec![1.0; n];
        let mut use_rw = false;
        let mut k = 0;
        loop {
            self.inner_loop(y, use_rw, &rw, &mut seasonal, &mut trend, &mut wk);
            k += 1;
            if k > self.outer {
                break;
            }
            for i in 0..n {
                wk.detrended[i] = trend[i] + seasonal[i];
            }
            robustness_weights(y, &wk.detrended, &mut rw);
            use_rw = true;
        }
        StlDecomposition { trend, seasonal, resid: Vec::new(), weights: rw }
    }

    fn inner_loop(&self, y: &[f64], use_rw: bool, rw: &[f64], seasonal: &mut [f64], trend: &mut [f64], wk: &mut Work) {
        let n = y.len();
        let np = self.np;
        let rwo = if use_rw { Some(rw) } else { None };
        for _ in 0..self.inner {
            for i in 0..n {
                wk.detrended[i] = y[i] - trend[i];
            }
            self.cycle_subseries(rwo, wk);
            // low-pass: moving averages of lengths np, np, 3, then LOESS
            moving_average(&wk.cycle, n + 2 * np, np, &mut wk.ma1);
            moving_average(&wk.ma1, n + np + 1, np, &mut wk.ma2);
            moving_average(&wk.ma2, n + 2, 3, &mut wk.ma1);
            smooth(&wk.ma1[..n], self.nl, self.ildeg, self.nljump, None, &mut wk.low, &mut wk.w);
            for i in 0..n {
                seasonal[i] = wk.cycle[np + i] - wk.low[i];
                wk.detrended[i] = y[i] - seasonal[i];
            }
            smooth(&wk.detrended, self.nt, self.itdeg, self.ntjump, rwo, trend, &mut wk.w);
        }
    }

    /// Smooths each cycle-subseries of `wk.detrended` and extends it one point at each end,
    /// writing the `n + 2 np` values into `wk.cycle`.
    fn cycle_subseries(&self, rw: Option<&[f64]>, wk: &mut Work) {
        let n = wk.detrended.len();
        let np = self.np;
        let ns = self.ns;
        for j in 0..np {
            let k = (n - (j + 1)) / np + 1;
            for i in 0..k {
                wk.sub[i] = wk.detrended[i * np + j];
            }
            if let Some(rw) = rw {
                for i in 0..k {
                    wk.sub_rw[i] = rw[i * np + j];
                }
            }
            let srw = rw.map(|_| &wk.sub_rw[..k]);
            let sub = &wk.sub[..k];
            smooth(sub, ns, self.isdeg, self.nsjump, srw, &mut wk.sub_fit[1..=k], &mut wk.w);
            let nright = ns.min(k);
            wk.sub_fit[0] =
                local_fit(sub, k, ns, self.isdeg, 0.0, 1, nright, &mut wk.w, srw).unwrap_or(wk.sub_fit[1]);
            let nleft = if k + 1 > ns { k - ns + 1 } else { 1 };
            wk.sub_fit[k + 1] =
                local_fit(sub, k, ns, self.isdeg, (k + 1) as f64, nleft, k, &mut wk.w, srw).unwrap_or(wk.sub_fit[k]);
            for m in 0..k + 2 {
                wk.cycle[m * np + j] = wk.sub_fit[m];
            }
        }
    }
}

/// Bisquare robustness weights of the residuals `y - fit`, scaled by 6 times their median.
fn robustness_weights(y: &[f64], fit: &[f64], rw: &mut [f64]) {
    let n = y.len();
    for i in 0..n {
        rw[i] = (y[i] - fit[i]).abs();
    }
    // the two middle order statistics (equal for odd n): 6 * median |resid|
    let mut part = rw.to_vec();
    let (lower, hi, _) = part.select_nth_unstable_by(n / 2, f64::total_cmp);
    let hi = *hi;
    let lo = if n % 2 == 0 { lower.iter().copied().fold(f64::NEG_INFINITY, f64::max) } else { hi };
    let cmad = 3.0 * (hi + lo);
    if cmad == 0.0 {
        rw.fill(1.0);
        return;
    }
    let (c9, c1) = (0.999 * cmad, 0.001 * cmad);
    for r in rw.iter_mut() {
        *r = if *r <= c1 {
            1.0
        } else if *r <= c9 {
            let u = *r / cmad;
            let v = 1.0 - u * u;
            v * v
        } else {
            0.0
        };
    }
}

/// Moving average of window `len` over the first `n` values of `x`, into `ave[..n - len + 1]`.
fn moving_average(x: &[f64], n: usize, len: usize, ave: &mut [f64]) {
    let flen = len as f64;
    let mut v: f64 = x[..len].iter().sum();
    ave[0] = v / flen;
    for j in 1..n - len + 1 {
        v += x[j + len - 1] - x[j - 1];
        ave[j] = v / flen;
    }
}

/// LOESS fit at abscissa `xs` (1-based, may lie outside `1..=n`) from points `nleft..=nright`
/// (1-based) of `y`, tricube weights over half-width `h` (widened when the window exceeds the
/// series), degree 0 or 1. `None` when every weight is 0.
#[allow(clippy::too_many_arguments)]
fn local_fit(
    y: &[f64],
    n: usize,
    len: usize,
    deg: usize,
    xs: f64,
    nleft: usize,
    nright: usize,
    w: &mut [f64],
    rw: Option<&[f64]>,
) -> Option<f64> {
    let range = n as f64 - 1.0;
    let mut h = (xs - nleft as f64).max(nright as f64 - xs);
    if len > n {
        h += ((len - n) / 2) as f64;
    }
    let (h9, h1) = (0.999 * h, 0.001 * h);
    let mut a = 0.0;
    for j in nleft..=nright {
        let r = (j as f64 - xs).abs();
        let mut wj = 0.0;
        if r <= h9 {
            wj = if r <= h1 {
                1.0
            } else {
                let q = r / h;
                let t = 1.0 - q * q * q;
                t * t * t
            };
            if let Some(rw) = rw {
                wj *= rw[j - 1];
            }
            a += wj;
        }
        w[j - 1] = wj;
    }
    if a <= 0.0 {
        return None;
    }
    for wj in &mut w[nleft - 1..nright] {
        *wj /= a;
    }
    if h > 0.0 && deg > 0 {
        let mut a = 0.0;
        for j in nleft..=nright {
            a += w[j - 1] * j as f64;
        }
        let mut b = xs - a;
        let mut c = 0.0;
        for j in nleft..=nright {
            let d = j as f64 - a;
            c += w[j - 1] * d * d;
        }
        if c.sqrt() > 0.001 * range {
            b /= c;
            for j in nleft..=nright {
                w[j - 1] *= b * (j as f64 - a) + 1.0;
            }
        }
    }
    let mut ys = 0.0;
    for j in nleft..=nright {
        ys += w[j - 1] * y[j - 1];
    }
    Some(ys)
}

/// LOESS smooth of all of `y` (window `len`, degree `deg`), fitted every `njump` points and
/// linearly interpolated between; where a fit has no weight the data value is kept.
// Index loops mirror the windows of the published algorithm (1-based positions `i + 1`).
#[allow(clippy::needless_range_loop)]
fn smooth(y: &[f64], len: usize, deg: usize, njump: usize, rw: Option<&[f64]>, ys: &mut [f64], w: &mut [f64]) {
    let n = y.len();
    if n < 2 {
        if n == 1 {
            ys[0] = y[0];
        }
        return;
    }
    let fit = |i: usize, nleft: usize, nright: usize, w: &mut [f64]| {
        local_fit(y, n, len, deg, (i + 1) as f64, nleft, nright, w, rw).unwrap_or(y[i])
    };
    let newnj = njump.min(n - 1);
    let (mut nleft, mut nright);
    if len >= n {
        nleft = 1;
        nright = n;
        let mut i = 0;
        while i < n {
            ys[i] = fit(i, nleft, nright, w);
            i += newnj;
        }
    } else if newnj == 1 {
        let nsh = (len + 2) / 2;
        nleft = 1;
        nright = len;
        for i in 0..n {
            if i + 1 > nsh && nright != n {
                nleft += 1;
                nright += 1;
            }
            ys[i] = fit(i, nleft, nright, w);
        }
    } else {
        let nsh = len.div_ceil(2);
        nleft = 1;
        nright = len;
        let mut i = 0;
        while i < n {
            if i + 1 < nsh {
                nleft = 1;
                nright = len;
            } else if i + 1 > n - nsh {
                nleft = n - len + 1;
                nright = n;
            } else {
                nleft = i + 1 - nsh + 1;
                nright = len + i + 1 - nsh;
            }
            ys[i] = fit(i, nleft, nright, w);
            i += newnj;
        }
    }
    if newnj == 1 {
        return;
    }
    let mut i = 0;
    while i < n - newnj {
        let delta = (ys[i + newnj] - ys[i]) / newnj as f64;
        for j in i + 1..i + newnj {
            ys[j] = ys[i] + delta * (j - i) as f64;
        }
        i += newnj;
    }
    let k = ((n - 1) / newnj) * newnj + 1;
    if k != n {
        ys[n - 1] = fit(n - 1, nleft, nright, w);
        if k != n - 1 {
            let delta = (ys[n - 1] - ys[k - 1]) / (n - k) as f64;
            for j in k..n {
                ys[j] = ys[k - 1] + delta * (j + 1 - k) as f64;
            }
        }
    }
}

/// MSTL: STL for several seasonal periods (Bandara, Hyndman & Bergmeir 2021), as statsmodels
/// 0.15 `statsmodels.tsa.seasonal.MSTL`.
///
/// Periods are sorted ascending (with their windows). Each pass of `iterate` re-fits, for every
/// period in turn, an STL of the series with the other seasonal components removed; the trend
/// and robustness weights are those of the last STL fit. With a single period `iterate` is 1.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `periods` | (required) | Seasonal cycle lengths, e.g. `[24, 168]` for hourly data | each `>= 2` and `< n / 2` |
/// | `windows` | `7 + 4 i`, `i = 1, 2, ...` (11, 15, ...) | Seasonal smoother window per period (after sorting) | odd, `>= 3`; as many as periods |
/// | `iterate` | 2 | Passes over the seasonal components | 1 to 100 |
/// | `lmbda` | none | Box-Cox `lambda` applied to `y` first (`ln y` at 0) | finite; `y > 0` |
/// | `stl` | `Stl` defaults | Template for the other STL parameters (`trend`, `low_pass`, degrees, jumps, `robust`, iterations); its `period` and `seasonal` are ignored | see [`Stl`] |
///
/// Differences from statsmodels: a period `>= n / 2` is an error here (statsmodels drops it
/// with a warning), and `lmbda = "auto"` is not offered.
///
/// ```
/// use channelwise::forecast::decompose::Mstl;
/// let y: Vec<f64> = (0..240)
///     .map(|t| 50.0 + (t as f64 * std::f64::consts::TAU / 12.0).sin() + 2.0 * ((t % 5) as f64))
///     .collect();
/// let d = Mstl::new(&[12, 5]).fit(&y)?;
/// assert_eq!(d.periods, vec![5, 12]);
/// assert_eq!(d.seasonal.len(), 2);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mstl {
    periods: Vec<usize>,
    windows: Option<Vec<usize>>,
    iterate: usize,
    lmbda: Option<f64>,
    stl: Stl,
}

impl Mstl {
    /// An MSTL decomposition for the given seasonal periods, other parameters at their defaults.
    pub fn new(periods: &[usize]) -> Self {
        Mstl { periods: periods.to_vec(), windows: None, iterate: 2, lmbda: None, stl: Stl::new(2) }
    }

    /// Sets the seasonal windows, one per period in the order given to [`Mstl::new`].
    pub fn windows(mut self, windows: &[usize]) -> Self {
        self.windows = Some(windows.to_vec());
        self
    }

    /// Sets the number of passes over the seasonal components (default 2).
    pub fn iterate(mut self, iterate: usize) -> Self {
        self.iterate = iterate;
        self
    }

    /// Applies a Box-Cox transform with this `lambda` before decomposing (`None`: no transform).
    pub fn lmbda(mut self, lmbda: impl Into<Option<f64>>) -> Self {
        self.lmbda = lmbda.into();
        self
    }

    /// Sets the STL parameters shared by every component (its `period` and `seasonal` ignored).
    pub fn stl(mut self, template: Stl) -> Self {
        self.stl = template;
        self
    }

    /// Decomposes `y` into a trend, one seasonal component per period and a remainder.
    ///
    /// # Errors
    /// [`Error::NotEnoughData`] for no period or a period with `2 * period >= n`;
    /// [`Error::LengthMismatch`] if `windows` and `periods` differ in length; [`Error::OutOfRange`]
    /// for `iterate` of 0; [`Error::NonFinite`] for a non-finite `y[i]` or `lmbda`;
    /// [`Error::OutOfRange`] naming `y[i]` if `lmbda` is set and `y[i] <= 0`; and every error of
    /// [`Stl::fit`] for the per-period STL parameters.
    ///
    /// ```
    /// use channelwise::forecast::decompose::Mstl;
    /// let y = vec![1.0; 30];
    /// let e = Mstl::new(&[4, 15]).fit(&y).unwrap_err();
    /// assert_eq!(e.kind().code(), "not_enough_data");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit(&self, y: &[f64]) -> Result<MstlDecomposition> {
        let n = y.len();
        if self.periods.is_empty() {
            return Err(Error::NotEnoughData { what: "MSTL periods".into(), required: 1, got: 0 });
        }
        let windows: Vec<usize> = match &self.windows {
            Some(w) => {
                crate::stats::check_same_len("windows", self.periods.len(), w.len())?;
                w.clone()
            }
            None => (1..=self.periods.len()).map(|i| 7 + 4 * i).collect(),
        };
        let mut pw: Vec<(usize, usize)> = self.periods.iter().copied().zip(windows).collect();
        // (through the crate's shared sort: a few entries, not worth a sort instance of their own)
        if self.windows.is_some() {
            crate::stats::sort_by_f64_key(&mut pw, |e| e.1 as f64);
            crate::stats::sort_by_f64_key(&mut pw, |e| e.0 as f64); // by (period, window)
        } else {
            // statsmodels sorts the periods only; default windows stay in order
            let mut ps: Vec<usize> = self.periods.clone();
            crate::stats::sort_by_f64_key(&mut ps, |&p| p as f64);
            for (slot, p) in pw.iter_mut().zip(ps) {
                slot.0 = p;
            }
        }
        for &(p, _) in &pw {
            check_period(p)?;
            if p.saturating_mul(2) >= n {
                return Err(Error::NotEnoughData {
                    what: format!("MSTL with period {p} (more than two full cycles)"),
                    required: p.saturating_mul(2).saturating_add(1),
                    got: n,
                });
            }
        }
        if self.iterate == 0 || self.iterate > MAX_PASSES {
            return Err(Error::OutOfRange { field: "iterate".into(), value: self.iterate as f64, min: 1.0, max: MAX_PASSES as f64 });
        }
        check_finite("y", y)?;
        let observed = match self.lmbda {
            None => y.to_vec(),
            Some(l) => box_cox(y, l)?,
        };
        let iterate = if pw.len() == 1 { 1 } else { self.iterate };
        let specs: Vec<Stl> =
            pw.iter().map(|&(p, w)| self.stl.clone().period(p).seasonal(w)).collect();
        for s in &specs {
            s.resolve(n)?;
        }
        let mut seasonal = vec![vec![0.0; n]; pw.len()];
        let mut deseas = observed.clone();
        let mut last: Option<StlDecomposition> = None;
        for _ in 0..iterate {
            for (i, spec) in specs.iter().enumerate() {
                for (d, s) in deseas.iter_mut().zip(&seasonal[i]) {
                    *d += s;
                }
                let r = spec.fit(&deseas)?;
                for (d, s) in deseas.iter_mut().zip(&r.seasonal) {
                    *d -= s;
                }
                seasonal[i].clone_from(&r.seasonal);
                last = Some(r);
            }
        }
        let last = last.ok_or_else(|| Error::Internal("MSTL ran no STL fit".into()))?;
        let resid: Vec<f64> = deseas.iter().zip(&last.trend).map(|(d, t)| d - t).collect();
        check_finite("resid", &resid)?;
        Ok(MstlDecomposition {
            periods: pw.iter().map(|p| p.0).collect(),
            windows: pw.iter().map(|p| p.1).collect(),
            observed,
            trend: last.trend,
            seasonal,
            resid,
            weights: last.weights,
        })
    }
}

/// Box-Cox transform as `scipy.stats.boxcox(y, lmbda)`.
fn box_cox(y: &[f64], lmbda: f64) -> Result<Vec<f64>> {
    check_range("lmbda", lmbda, f64::MIN, f64::MAX)?;
    if let Some(i) = y.iter().position(|v| *v <= 0.0) {
        return Err(Error::OutOfRange { field: format!("y[{i}]"), value: y[i], min: f64::MIN_POSITIVE, max: f64::INFINITY });
    }
    let out: Vec<f64> = if lmbda == 0.0 {
        y.iter().map(|v| v.ln()).collect()
    } else {
        y.iter().map(|v| (v.powf(lmbda) - 1.0) / lmbda).collect()
    };
    check_finite("box-cox(y)", &out)?;
    Ok(out)
}

/// The result of [`Mstl::fit`]: `observed = trend + sum(seasonal) + resid`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MstlDecomposition {
    /// Seasonal periods, ascending (the order of [`MstlDecomposition::seasonal`]).
    pub periods: Vec<usize>,
    /// Seasonal window used for each period.
    pub windows: Vec<usize>,
    /// The series decomposed: `y`, or its Box-Cox transform when `lmbda` is set.
    pub observed: Vec<f64>,
    /// Trend component (from the last STL fit).
    pub trend: Vec<f64>,
    /// One seasonal component per period, in the order of `periods`.
    pub seasonal: Vec<Vec<f64>>,
    /// Remainder.
    pub resid: Vec<f64>,
    /// Robustness weights of the last STL fit.
    pub weights: Vec<f64>,
}

impl MstlDecomposition {
    /// The seasonal component of `period`, if it is one of the periods.
    ///
    /// ```
    /// use channelwise::forecast::decompose::Mstl;
    /// let y: Vec<f64> = (0..60).map(|t| ((t % 3) + (t % 7)) as f64).collect();
    /// let d = Mstl::new(&[7, 3]).fit(&y)?;
    /// assert!(d.seasonal_for(7).is_some() && d.seasonal_for(5).is_none());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn seasonal_for(&self, period: usize) -> Option<&[f64]> {
        self.periods.iter().position(|p| *p == period).map(|i| self.seasonal[i].as_slice())
    }

    /// Seasonal strength of each component against the remainder, in the order of `periods`.
    ///
    /// # Errors
    /// As [`seasonal_strength`] (cannot fail on a decomposition from [`Mstl::fit`]).
    pub fn seasonal_strengths(&self) -> Result<Vec<f64>> {
        self.seasonal.iter().map(|s| seasonal_strength(s, &self.resid)).collect()
    }

    /// Trend strength against the remainder.
    ///
    /// # Errors
    /// As [`trend_strength`] (cannot fail on a decomposition from [`Mstl::fit`]).
    pub fn trend_strength(&self) -> Result<f64> {
        trend_strength(&self.trend, &self.resid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_past_the_bound_are_out_of_range() {
        let y: Vec<f64> = (0..120).map(|t| 10.0 + ((t % 12) as f64) + 0.01 * t as f64).collect();
        let field = |e: Error| match e {
            Error::OutOfRange { field, value, max, .. } => (field, value, max),
            other => panic!("expected out_of_range, got {other:?}"),
        };
        let big = 1usize << 53;
        assert_eq!(field(Stl::new(12).inner_iter(big).fit(&y).unwrap_err()), ("inner_iter".into(), big as f64, 100.0));
        assert_eq!(field(Stl::new(12).outer_iter(101).fit(&y).unwrap_err()), ("outer_iter".into(), 101.0, 100.0));
        assert_eq!(field(Mstl::new(&[12, 5]).iterate(big).fit(&y).unwrap_err()), ("iterate".into(), big as f64, 100.0));
        assert!(Stl::new(12).inner_iter(MAX_PASSES).outer_iter(MAX_PASSES).fit(&y).is_ok());
        assert!(Mstl::new(&[12, 5]).iterate(MAX_PASSES).fit(&y).is_ok());
    }

    #[test]
    fn default_windows_follow_statsmodels() {
        assert_eq!(Stl::new(12).trend_window().unwrap(), 23);
        assert_eq!(Stl::new(4).trend_window().unwrap(), 9);
        assert_eq!(Stl::new(12).low_pass_window().unwrap(), 13);
        assert_eq!(Stl::new(7).low_pass_window().unwrap(), 9);
    }

    #[test]
    fn validation_names_the_field() {
        let y = vec![1.0; 40];
        let e = Stl::new(1).fit(&y).unwrap_err();
        assert_eq!(e.to_string(), "period must be in [2, inf], got 1");
        let e = Stl::new(4).seasonal(6).fit(&y).unwrap_err();
        assert!(e.to_string().contains("seasonal"));
        let e = Stl::new(4).trend(3).fit(&y).unwrap_err();
        assert!(e.to_string().contains("trend"));
        let e = Stl::new(4).low_pass_deg(2).fit(&y).unwrap_err();
        assert!(e.to_string().contains("low_pass_deg"));
        let e = Stl::new(4).trend_jump(0).fit(&y).unwrap_err();
        assert!(e.to_string().contains("trend_jump"));
    }

    #[test]
    fn constant_series() {
        let d = Stl::new(4).robust(true).fit(&[5.0; 20]).unwrap();
        assert!(d.trend.iter().all(|t| (t - 5.0).abs() < 1e-12));
        assert!(d.seasonal.iter().all(|s| s.abs() < 1e-12));
        assert!(d.weights.iter().all(|w| (0.0..=1.0).contains(w)));
    }

    #[test]
    fn huge_values_scale_exactly() {
        let y: Vec<f64> = (0..24).map(|t| ((t % 4) as f64 + 0.1 * t as f64) * 1e300).collect();
        let d = Stl::new(4).fit(&y).unwrap();
        let small: Vec<f64> = y.iter().map(|v| v * 2f64.powi(-520)).collect();
        let e = Stl::new(4).fit(&small).unwrap();
        for i in 0..24 {
            assert_eq!(d.trend[i], e.trend[i] * 2f64.powi(520));
        }
    }
}
