//! The ETS recursions (Hyndman et al. 2008, Table 2.1 / R `forecast` `etscalc`): one-step
//! forecasts, state updates, the concentrated likelihood, point forecasts and simulation.
//!
//! Seasonal states live in a ring buffer of length `m` (`ring[k]` is the factor applied at the
//! next step when `k == pos`), so a step costs O(1) whatever the season length (R and
//! statsforecast shift all `m` states each step).

use serde::{Deserialize, Serialize};

use super::{ErrorType, SeasonType, TrendType};

/// Guard for divisions by a state near zero (R's `TOL`).
const TOL: f64 = 1e-10;
/// Stand-in for a division by (almost) zero (R's `HUGE_N`).
const HUGE: f64 = 1e10;

/// Smoothing parameters with the components' neutral values filled in (beta 0 without trend,
/// gamma 0 without season, phi 1 without damping).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Smoothing {
    pub(crate) alpha: f64,
    pub(crate) beta: f64,
    pub(crate) gamma: f64,
    pub(crate) phi: f64,
}

/// The model's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Kind {
    pub(crate) error: ErrorType,
    pub(crate) trend: TrendType,
    pub(crate) season: SeasonType,
    /// Season length (1 when `season` is `None`).
    pub(crate) m: usize,
}

impl Kind {
    pub(crate) fn has_trend(self) -> bool {
        self.trend != TrendType::None
    }
    pub(crate) fn has_season(self) -> bool {
        self.season != SeasonType::None
    }
}

/// A state: level, trend and the seasonal ring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) l: f64,
    pub(crate) b: f64,
    /// Seasonal factors; `ring[pos]` is applied at the next step. Empty without season.
    pub(crate) ring: Vec<f64>,
    pub(crate) pos: usize,
}

impl State {
    /// The seasonal state applied `i` steps ahead (`i = 0` is the next step).
    #[inline]
    pub(crate) fn season_ahead(&self, i: usize) -> f64 {
        self.ring[(self.pos + i) % self.ring.len()]
    }

    /// Seasonal states in R's order: most recent first (`s[m-1]` is applied next).
    pub(crate) fn seasonal_r_order(&self) -> Vec<f64> {
        let m = self.ring.len();
        (0..m).map(|j| self.ring[(self.pos + 2 * m - 1 - j) % m]).collect()
    }
}

/// One-step forecast from `st`, and the quantities the update needs.
#[inline(always)]
fn one_step(kind: Kind, sm: &Smoothing, st: &State) -> (f64, f64, f64, f64) {
    let (q, phib) = match kind.trend {
        TrendType::None => (st.l, 0.0),
        _ => (st.l + sm.phi * st.b, sm.phi * st.b),
    };
    let s_old = if kind.has_season() { st.ring[st.pos] } else { 0.0 };
    let f = match kind.season {
        SeasonType::None => q,
        SeasonType::Additive => q + s_old,
        SeasonType::Multiplicative => q * s_old,
    };
    (f, q, phib, s_old)
}

/// Updates `st` with observation `y` (the one-step quantities from [`one_step`]).
#[inline(always)]
fn update(kind: Kind, sm: &Smoothing, st: &mut State, y: f64, q: f64, phib: f64, s_old: f64) {
    let p = match kind.season {
        SeasonType::None => y,
        SeasonType::Additive => y - s_old,
        SeasonType::Multiplicative => {
            if s_old.abs() < TOL {
                HUGE
            } else {
                y / s_old
            }
        }
    };
    let l = q + sm.alpha * (p - q);
    if kind.has_trend() {
        let r = l - st.l;
        st.b = phib + (sm.beta / sm.alpha) * (r - phib);
    }
    if kind.has_season() {
        let t = match kind.season {
            SeasonType::Additive => y - q,
            _ => {
                if q.abs() < TOL {
                    HUGE
                } else {
                    y / q
                }
            }
        };
        st.ring[st.pos] = s_old + sm.gamma * (t - s_old);
        st.pos += 1;
        if st.pos == st.ring.len() {
            st.pos = 0;
        }
    }
    st.l = l;
}

/// Runs the filter over `y` from `st` (updated in place to the final state), writing one-step
/// forecasts into `fitted` and innovations into `e` when given, and returns the criterion
/// `n log(sum e^2) + 2 sum log|f|` (the last term for multiplicative errors only), which is
/// -2 log-likelihood up to a constant (R `etscalc`, statsforecast `ets.calc`).
pub(crate) fn filter(
    kind: Kind,
    sm: &Smoothing,
    y: &[f64],
    st: &mut State,
    fitted: Option<&mut [f64]>,
    e_out: Option<&mut [f64]>,
) -> f64 {
    // One copy of the loop per model class, with the class's components as constants, so the
    // per-step `match`es on the components compile away (the filter is most of a fit's time).
    use ErrorType as E;
    use SeasonType as S;
    use TrendType as T;
    macro_rules! classes {
        ($(($e:ident, $t:ident, $s:ident)),*) => {
            match (kind.error, kind.trend, kind.season) {
                $((E::$e, T::$t, S::$s) => filter_class(
                    Kind { error: E::$e, trend: T::$t, season: S::$s, m: kind.m }, sm, y, st, fitted, e_out,
                ),)*
            }
        };
    }
    classes!(
        (Additive, None, None), (Additive, None, Additive), (Additive, None, Multiplicative),
        (Additive, Additive, None), (Additive, Additive, Additive), (Additive, Additive, Multiplicative),
        (Additive, AdditiveDamped, None), (Additive, AdditiveDamped, Additive),
        (Additive, AdditiveDamped, Multiplicative),
        (Multiplicative, None, None), (Multiplicative, None, Additive), (Multiplicative, None, Multiplicative),
        (Multiplicative, Additive, None), (Multiplicative, Additive, Additive),
        (Multiplicative, Additive, Multiplicative), (Multiplicative, AdditiveDamped, None),
        (Multiplicative, AdditiveDamped, Additive), (Multiplicative, AdditiveDamped, Multiplicative)
    )
}

/// The body of [`filter`], inlined into each model class's copy.
#[inline(always)]
fn filter_class(
    kind: Kind,
    sm: &Smoothing,
    y: &[f64],
    st: &mut State,
    mut fitted: Option<&mut [f64]>,
    mut e_out: Option<&mut [f64]>,
) -> f64 {
    let mut sse = 0.0;
    let mut slog = 0.0;
    // sum log|f| as the log of running products (one `ln` per block instead of per step: the
    // log was a quarter of the fit time); a block is closed before the product can leave
    // [1e-150, 1e150], so it never overflows or underflows.
    let mut prod = 1.0f64;
    for (t, &yt) in y.iter().enumerate() {
        let (f, q, phib, s_old) = one_step(kind, sm, st);
        let e = match kind.error {
            ErrorType::Additive => yt - f,
            ErrorType::Multiplicative => {
                let f0 = if f.abs() < TOL { f + TOL } else { f };
                (yt - f) / f0
            }
        };
        if let Some(fv) = fitted.as_deref_mut() {
            fv[t] = f;
        }
        if let Some(ev) = e_out.as_deref_mut() {
            ev[t] = e;
        }
        sse += e * e;
        if kind.error == ErrorType::Multiplicative {
            let a = f.abs();
            let a = if a > 0.0 { a } else { a + 1e-8 };
            if (1e-75..=1e75).contains(&a) && (1e-75..=1e75).contains(&prod) {
                prod *= a;
            } else {
                slog += prod.ln() + a.ln();
                prod = 1.0;
            }
        }
        update(kind, sm, st, yt, q, phib, s_old);
    }
    if prod != 1.0 {
        slog += prod.ln();
    }
    let n = y.len() as f64;
    let mut lik = if sse > 0.0 { n * sse.ln() } else { n * (sse + 1e-8).ln() };
    if kind.error == ErrorType::Multiplicative {
        lik += 2.0 * slog;
    }
    lik
}

/// Point forecasts for `h` steps from the final state.
pub(crate) fn point_forecast(kind: Kind, phi: f64, st: &State, h: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(h);
    let mut phistar = phi;
    let mut phipow = phi;
    for i in 0..h {
        let mut f = match kind.trend {
            TrendType::None => st.l,
            _ => st.l + phistar * st.b,
        };
        match kind.season {
            SeasonType::None => {}
            SeasonType::Additive => f += st.season_ahead(i),
            SeasonType::Multiplicative => f *= st.season_ahead(i),
        }
        out.push(f);
        phipow *= phi;
        phistar += phipow;
    }
    out
}

/// Simulates one future path of length `errors.len()` with the given innovations.
pub(crate) fn simulate_path(kind: Kind, sm: &Smoothing, st: &State, errors: &[f64], out: &mut [f64]) {
    let mut st = st.clone();
    for (i, &e) in errors.iter().enumerate() {
        let (f, q, phib, s_old) = one_step(kind, sm, &st);
        let y = match kind.error {
            ErrorType::Additive => f + e,
            ErrorType::Multiplicative => f * (1.0 + e),
        };
        out[i] = y;
        update(kind, sm, &mut st, y, q, phib, s_old);
    }
}

/// Bounds on the smoothing parameters (R's `lower`/`upper` defaults).
pub(crate) const LOWER: [f64; 4] = [1e-4, 1e-4, 1e-4, 0.8];
/// Upper bounds on alpha, beta, gamma, phi.
pub(crate) const UPPER: [f64; 4] = [0.9999, 0.9999, 0.9999, 0.98];

/// R's `check.param` with `bounds = "both"`: the usual region (each parameter in its bounds,
/// beta <= alpha, gamma <= 1 - alpha) and the admissible (forecastable) region.
pub(crate) fn check_params(kind: Kind, sm: &Smoothing, damped: bool) -> bool {
    let (a, b, g, p) = (sm.alpha, sm.beta, sm.gamma, sm.phi);
    if !(LOWER[0]..=UPPER[0]).contains(&a) {
        return false;
    }
    if kind.has_trend() && (!(LOWER[1]..=UPPER[1]).contains(&b) || b > a) {
        return false;
    }
    if kind.has_season() && (!(LOWER[2]..=UPPER[2]).contains(&g) || g > 1.0 - a) {
        return false;
    }
    if damped && !(LOWER[3]..=UPPER[3]).contains(&p) {
        return false;
    }
    admissible(kind, a, b, g, p)
}

/// Hyndman et al. (2008, ch. 10) admissible region; the seasonal case checks that the
/// characteristic polynomial has no root outside the unit circle (Schur-Cohn test).
pub(crate) fn admissible(kind: Kind, alpha: f64, beta: f64, gamma: f64, phi: f64) -> bool {
    if !(0.0..=1.0 + 1e-8).contains(&phi) {
        return false;
    }
    if !kind.has_season() {
        if alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi {
            return false;
        }
        if kind.has_trend() && (beta < alpha * (phi - 1.0) || beta > (1.0 + phi) * (2.0 - alpha)) {
            return false;
        }
        return true;
    }
    let m = kind.m as f64;
    if kind.m <= 1 {
        return true;
    }
    let beta = if kind.has_trend() { beta } else { 0.0 };
    if gamma < (1.0 - 1.0 / phi - alpha).max(0.0) || gamma > 1.0 + 1.0 / phi - alpha {
        return false;
    }
    if alpha < 1.0 - 1.0 / phi - gamma * (1.0 - m + phi + phi * m) / (2.0 * phi * m) {
        return false;
    }
    if beta < -(1.0 - phi) * (gamma / m + alpha) {
        return false;
    }
    // P(z) = phi(1-a-g) + (a+b-a phi+g-1) z + sum_{k=2}^{m-1} (a+b-a phi) z^k + (a+b-phi) z^m + z^(m+1)
    let mut c = Vec::with_capacity(kind.m + 2);
    c.push(phi * (1.0 - alpha - gamma));
    c.push(alpha + beta - alpha * phi + gamma - 1.0);
    for _ in 2..kind.m {
        c.push(alpha + beta - alpha * phi);
    }
    c.push(alpha + beta - phi);
    c.push(1.0);
    roots_within(&c, 1.0 + 1e-10)
}

/// Whether every root of `sum c[i] z^i` lies strictly inside the circle of radius `r`
/// (Schur-Cohn-Jury reduction on `P(r z)`).
pub(crate) fn roots_within(c: &[f64], r: f64) -> bool {
    let mut a: Vec<f64> = c.iter().enumerate().map(|(i, v)| v * r.powi(i as i32)).collect();
    while a.len() > 1 && a[a.len() - 1] == 0.0 {
        a.pop();
    }
    let mut next = Vec::with_capacity(a.len());
    while a.len() > 1 {
        let d = a.len() - 1;
        let (a0, ad) = (a[0], a[d]);
        if a0.abs().partial_cmp(&ad.abs()) != Some(std::cmp::Ordering::Less) {
            return false;
        }
        next.clear();
        for i in 0..d {
            next.push(ad * a[i + 1] - a0 * a[d - 1 - i]);
        }
        let lead = next[d - 1];
        if !lead.is_finite() || lead == 0.0 {
            return false;
        }
        for v in next.iter_mut() {
            *v /= lead.abs();
        }
        std::mem::swap(&mut a, &mut next);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schur_cohn_matches_known_roots() {
        // (z - 0.5)(z + 0.9) = z^2 + 0.4 z - 0.45
        assert!(roots_within(&[-0.45, 0.4, 1.0], 1.0));
        // (z - 1.1)(z - 0.2) = z^2 - 1.3 z + 0.22
        assert!(!roots_within(&[0.22, -1.3, 1.0], 1.0));
        // complex pair with modulus 0.95: z^2 + 0.9025
        assert!(roots_within(&[0.9025, 0.0, 1.0], 1.0));
        assert!(!roots_within(&[1.1025, 0.0, 1.0], 1.0));
        assert!(roots_within(&[3.0], 1.0));
    }

    #[test]
    fn usual_seasonal_parameters_are_admissible() {
        let kind = Kind { error: ErrorType::Additive, trend: TrendType::Additive, season: SeasonType::Additive, m: 12 };
        assert!(admissible(kind, 0.3, 0.05, 0.1, 1.0));
        assert!(!admissible(kind, 0.3, 0.05, 1.9, 1.0));
    }
}
