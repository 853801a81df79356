//! Forecast variances: analytic for Hyndman et al. (2008) classes 1-3 (ch. 6), as R's
//! `forecast.ets`; other models (additive error with multiplicative season) are simulated.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use super::engine::{simulate_path, Kind, Smoothing, State};
use super::{ErrorType, SeasonType, TrendType};

/// Paths simulated when no analytic variance exists (R and statsforecast use 5000).
pub(crate) const N_SIM: usize = 5000;

/// Largest season length for the class-3 matrix recursion (its matrices are (2m)^2).
const CLASS3_MAX_M: usize = 24;

/// `c_j = alpha + beta (phi + ... + phi^j) + gamma [j mod m == 0]`, `j = 1..h-1`.
fn cvals(kind: Kind, sm: &Smoothing, h: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(h);
    let mut phisum = 0.0;
    let mut pow = 1.0;
    for j in 1..=h {
        pow *= sm.phi;
        phisum += pow;
        let mut c = sm.alpha;
        if kind.trend != TrendType::None {
            c += sm.beta * phisum;
        }
        if kind.season != SeasonType::None && j % kind.m == 0 {
            c += sm.gamma;
        }
        out.push(c);
    }
    out
}

/// Analytic forecast variances, or `None` when the model has none (simulate instead).
pub(crate) fn analytic_variance(kind: Kind, sm: &Smoothing, st: &State, mean: &[f64], sigma2: f64) -> Option<Vec<f64>> {
    let h = mean.len();
    match (kind.error, kind.season) {
        (ErrorType::Additive, SeasonType::Multiplicative) => None,
        (ErrorType::Additive, _) => {
            // class 1: sigma2 (1 + sum_{j<h} c_j^2)
            let c = cvals(kind, sm, h);
            let mut acc = 1.0;
            let mut out = Vec::with_capacity(h);
            for ci in &c {
                out.push(sigma2 * acc);
                acc += ci * ci;
            }
            Some(out)
        }
        (ErrorType::Multiplicative, SeasonType::Multiplicative) => {
            if kind.m > CLASS3_MAX_M {
                None
            } else {
                Some(class3(kind, sm, st, h, sigma2))
            }
        }
        (ErrorType::Multiplicative, _) => {
            // class 2: theta_h = mu_h^2 + sigma2 sum_{j<h} c_j^2 theta_{h-j}
            let c = cvals(kind, sm, h);
            let mut theta = vec![0.0; h];
            for k in 0..h {
                let mut s = 0.0;
                for j in 0..k {
                    s += c[j] * c[j] * theta[k - 1 - j];
                }
                theta[k] = mean[k] * mean[k] + sigma2 * s;
            }
            Some((0..h).map(|k| ((1.0 + sigma2) * theta[k] - mean[k] * mean[k]).max(0.0)).collect())
        }
    }
}

/// Dense row-major matrix product `a (r x k) * b (k x c)`.
fn mul(a: &[f64], b: &[f64], r: usize, k: usize, c: usize) -> Vec<f64> {
    let mut out = vec![0.0; r * c];
    for i in 0..r {
        for l in 0..k {
            let x = a[i * k + l];
            if x != 0.0 {
                for j in 0..c {
                    out[i * c + j] += x * b[l * c + j];
                }
            }
        }
    }
    out
}

fn transpose(a: &[f64], r: usize, c: usize) -> Vec<f64> {
    let mut out = vec![0.0; r * c];
    for i in 0..r {
        for j in 0..c {
            out[j * r + i] = a[i * c + j];
        }
    }
    out
}

fn kron(a: &[f64], ar: usize, ac: usize, b: &[f64], br: usize, bc: usize) -> Vec<f64> {
    let (r, c) = (ar * br, ac * bc);
    let mut out = vec![0.0; r * c];
    for i in 0..ar {
        for j in 0..ac {
            for k in 0..br {
                for l in 0..bc {
                    out[(i * br + k) * c + j * bc + l] = a[i * ac + j] * b[k * bc + l];
                }
            }
        }
    }
    out
}

/// `a M b^T` for square `m`.
fn sandwich(a: &[f64], m: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    mul(&mul(a, m, d, d, d), &transpose(b, d, d), d, d, d)
}

/// Class 3 (multiplicative error and season) variances by the recursion of Hyndman et al.
/// (2008, sec. 6.4), as R's `class3`, with the mean matrix updated every step.
fn class3(kind: Kind, sm: &Smoothing, st: &State, h: usize, s2: f64) -> Vec<f64> {
    let m = kind.m;
    let p1 = if kind.trend == TrendType::None { 1 } else { 2 };
    let (f1, g1): (Vec<f64>, Vec<f64>) = if p1 == 1 {
        (vec![1.0], vec![sm.alpha])
    } else {
        (vec![1.0, 1.0, 0.0, sm.phi], vec![sm.alpha, sm.alpha, sm.beta, sm.beta])
    };
    let mut f2 = vec![0.0; m * m];
    f2[m - 1] = 1.0;
    for i in 1..m {
        f2[i * m + i - 1] = 1.0;
    }
    let mut g2 = vec![0.0; m * m];
    g2[m - 1] = sm.gamma;
    let lt: Vec<f64> = if p1 == 1 { vec![st.l] } else { vec![st.l, st.b] };
    let seas = st.seasonal_r_order();
    // Mh (p1 x m) = lt * seas^T
    let mut mh: Vec<f64> = lt.iter().flat_map(|a| seas.iter().map(move |s| a * s)).collect();
    let d = p1 * m;
    let mut vh = vec![0.0; d * d];
    let mut h21 = vec![0.0; d];
    for k in 0..p1 {
        h21[(m - 1) * p1 + k] = 1.0;
    }
    let f21 = kron(&f2, m, m, &f1, p1, p1);
    let g21 = kron(&g2, m, m, &g1, p1, p1);
    let k1 = kron(&g2, m, m, &f1, p1, p1);
    let k2 = kron(&f2, m, m, &g1, p1, p1);
    let kk: Vec<f64> = k1.iter().zip(&k2).map(|(a, b)| a + b).collect();
    let (f2t, g2t) = (transpose(&f2, m, m), transpose(&g2, m, m));
    let mut var = Vec::with_capacity(h);
    for _ in 0..h {
        // mu = H1 Mh H2^T: sum over trend rows of the last column
        let mu: f64 = (0..p1).map(|r| mh[r * m + m - 1]).sum();
        let hv: f64 = (0..d).map(|i| h21[i] * (0..d).map(|j| vh[i * d + j] * h21[j]).sum::<f64>()).sum();
        var.push(((1.0 + s2) * hv + s2 * mu * mu).max(0.0));
        // vec(Mh), column-major
        let vec_m: Vec<f64> = (0..m).flat_map(|c| (0..p1).map(move |r| (r, c))).map(|(r, c)| mh[r * m + c]).collect();
        let vm = &vec_m;
        let outer: Vec<f64> = (0..d).flat_map(|i| vm.iter().map(move |b| vm[i] * b)).collect();
        let a = sandwich(&f21, &vh, &f21, d);
        let b = sandwich(&f21, &vh, &g21, d);
        let c = sandwich(&g21, &vh, &f21, d);
        let vo: Vec<f64> = vh.iter().zip(&outer).map(|(v, o)| v + o).collect();
        let e = sandwich(&kk, &vo, &kk, d);
        let v3: Vec<f64> = vh.iter().zip(&outer).map(|(v, o)| 3.0 * v + 2.0 * o).collect();
        let g = sandwich(&g21, &v3, &g21, d);
        vh = (0..d * d).map(|i| a[i] + s2 * (b[i] + c[i] + e[i] + s2 * g[i])).collect();
        let t1 = mul(&mul(&f1, &mh, p1, p1, m), &f2t, p1, m, m);
        let t2 = mul(&mul(&g1, &mh, p1, p1, m), &g2t, p1, m, m);
        mh = t1.iter().zip(&t2).map(|(x, y)| x + s2 * y).collect();
    }
    var
}

/// Simulated forecast paths (`N_SIM` x `h`, row-major), seeded.
pub(crate) fn simulate(kind: Kind, sm: &Smoothing, st: &State, h: usize, sigma2: f64, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sd = sigma2.max(0.0).sqrt();
    let normal = Normal::new(0.0, sd).unwrap_or_else(|_| Normal::new(0.0, 0.0).expect("N(0, 0) is valid"));
    let mut paths = vec![0.0; N_SIM * h];
    let mut e = vec![0.0; h];
    for path in paths.chunks_mut(h.max(1)) {
        for v in e.iter_mut() {
            *v = normal.sample(&mut rng);
        }
        simulate_path(kind, sm, st, &e, path);
    }
    paths
}

/// Linear-interpolation quantile (numpy's default, R type 7) of sorted values.
pub(crate) fn quantile_sorted(v: &[f64], p: f64) -> f64 {
    let pos = p * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (pos - lo as f64) * (v[hi] - v[lo])
}
