"""Media mix model: channelwise vs pymc-marketing 0.19.2 (NUTS) vs a plain scipy MAP, one run.

    cargo build --release -p channelwise-benches --bin cw-mmm
    /work/venv-pymc/bin/python benches/compare/mmm.py [--channels 5,10,20] [--pymc-channels 5,10,20]
        [--chains 2 --draws 500 --tune 500 --cores 2] [--repeat 3] [--quick]

Data: `cw-mmm gen 208 C 42` (benches/src/lib.rs `synthetic_mmm`, the criterion bench's data) per
size, written once to benches/data/mmm_208x{C}_s42.csv and read by every tool: 208 weekly rows,
C channels (geometric adstock l_max 8 normalised, logistic saturation), controls price and promo,
a linear trend and yearly seasonality in the target.

The model everywhere: y/y_s = intercept + trend + Fourier(order 2, period 52.1775 weeks)
+ controls/max|control| + sum_c beta_c logistic(lam_c, geometric_adstock(alpha_c, x_c/max x_c))
+ N(0, sigma); the priors of pymc-marketing's MMM (Normal(0,2) intercept and controls, Beta(1,3)
alpha, Gamma(3,1) lam, HalfNormal(2) beta and sigma).

- channelwise, CLI: `cw-mmm fit <csv>`: `Mmm::default().yearly_seasonality(2)` with the two
  controls, Laplace intervals from 1000 draws, summary() (shares with 90% equal-tailed
  intervals) inside the timing; best of --repeat, in its own process.
- channelwise, Python: `channelwise.optimize.MMM(date=None, ...).fit(df)` + `summary()`, best of
  --repeat, from the installed package or else the in-tree build bindings-python/python (skipped,
  with the reason, when neither has it).
- pymc-marketing: `MMM(GeometricAdstock(l_max=8), LogisticSaturation(), yearly_seasonality=2)`
  with default priors, fitted by PyMC's NUTS (--chains/--draws/--tune/--cores, fixed seed), timed
  once (wall of fit(): model build, pytensor compilation and sampling; sampling alone as well).
  pymc-marketing has no trend term, so the trend enters as a third control t/(n-1) (the same
  regressor as channelwise's trend; prior Normal(0,2) instead of channelwise's Normal(0,1)); the
  controls are passed divided by their max |value|, as channelwise scales them. Its Fourier terms
  use day-of-year/365.25 of weekly dates (a rotation of channelwise's row-based basis) with a
  Laplace(0,1) prior (channelwise: Normal(0,1)).
- scipy: the same MAP objective (negative log posterior, channelwise's parameterisation: logit
  alpha, log lam/beta/sigma) in numpy with its analytic gradient, minimised by L-BFGS-B from the
  same 4 kinds of start, then the same Laplace approximation (Hessian by central differences of
  the gradient, 1000 draws) and the shares per draw: the "plain Python" floor.

Shares: each channel's contribution summed over the 208 rows over the sum of all channels'
(scale-free, so pymc's scaled channel_contribution gives the same shares as original units).
Writes benches/compare/results/mmm.json; `--report <json>` prints its tables again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

# one BLAS thread (before numpy loads): channelwise's fit runs on one thread, pymc's chains run one
# per process, and with a multithreaded OpenBLAS on a busy 2-core machine the scipy floor's small
# matrix products spun ~10x slower (91 s instead of 9 s at 20 channels). Override from outside.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.path.join(ROOT, "target", "release", "cw-mmm")
DATA = os.path.join(ROOT, "benches", "data")
RESULTS = os.path.join(HERE, "results")
ROWS, SEED, L_MAX, ORDER, PERIOD, DRAWS, LEVEL = 208, 42, 8, 2, 52.1775, 1000, 0.9


def cw(*args: str) -> dict:
    return json.loads(subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout)


def load(channels: int):
    """Generates (once) and reads the CSV of one size."""
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"mmm_{ROWS}x{channels}_s{SEED}.csv")
    truth = cw("gen", str(ROWS), str(channels), str(SEED), path)["shares"]
    raw = np.genfromtxt(path, delimiter=",", names=True)
    names = list(raw.dtype.names)
    chs = [c for c in names if c.startswith("channel_")]
    return path, {
        "y": raw["y"], "x": np.vstack([raw[c] for c in chs]), "channels": chs,
        "controls": np.vstack([raw["price"], raw["promo"]]), "truth": np.asarray(truth),
    }


def interval_hits(point, lo, hi):
    point, lo, hi = map(np.asarray, (point, lo, hi))
    return int(np.sum((point >= lo) & (point <= hi)))


# ----------------------------------------------------------------------------- scipy floor


class MapObjective:
    """channelwise's negative log posterior in its unconstrained coordinates, in numpy."""

    def __init__(self, d):
        y, x, z = d["y"], d["x"], d["controls"]
        n = len(y)
        self.ys = np.abs(y).max()
        self.y = y / self.ys
        xs = x / np.abs(x).max(axis=1, keepdims=True)
        self.C = xs.shape[0]
        lag = np.zeros((self.C, L_MAX, n))
        for k in range(L_MAX):
            lag[:, k, k:] = xs[:, : n - k]
        self.lag = lag
        t = np.arange(n, dtype=float)
        cols = [t / (n - 1)]
        for j in range(1, ORDER + 1):
            cols += [np.sin(2 * np.pi * j * t / PERIOD), np.cos(2 * np.pi * j * t / PERIOD)]
        cols += list(z / np.abs(z).max(axis=1, keepdims=True))
        self.F = np.column_stack(cols)  # trend, fourier, controls
        self.nf = self.F.shape[1]
        # prior scales of the linear terms: intercept N(0,2), trend N(0,1), fourier N(0,1), controls N(0,2)
        self.lin_sd = np.r_[2.0, 1.0, np.ones(2 * ORDER), 2.0 * np.ones(z.shape[0])]
        self.k = np.arange(L_MAX, dtype=float)
        self.np = 1 + self.nf + 3 * self.C + 1

    def split(self, u):
        lin = u[: 1 + self.nf]
        ch = u[1 + self.nf: -1].reshape(self.C, 3)
        alpha = 1 / (1 + np.exp(-ch[:, 0]))
        return lin, alpha, np.exp(ch[:, 1]), np.exp(ch[:, 2]), np.exp(u[-1])

    def weights(self, alpha):
        """Normalised geometric weights and their derivative in alpha, (..., L_MAX)."""
        a = alpha[..., None]
        p = a ** self.k
        dp = self.k * a ** np.maximum(self.k - 1, 0)
        s, ds = p.sum(-1, keepdims=True), dp.sum(-1, keepdims=True)
        return p / s, (dp * s - p * ds) / s**2

    def __call__(self, u):
        lin, alpha, lam, beta, sigma = self.split(u)
        w, dw = self.weights(alpha)
        ad = np.einsum("ck,ckt->ct", w, self.lag)
        dad = np.einsum("ck,ckt->ct", dw, self.lag)
        th = np.tanh(0.5 * lam[:, None] * ad)  # logistic saturation (1-e^-z)/(1+e^-z) = tanh(z/2)
        sech2 = 1 - th**2
        mu = lin[0] + self.F @ lin[1:] + (beta[:, None] * th).sum(0)
        e = self.y - mu
        n, s2 = len(e), sigma * sigma
        rss = e @ e
        f = n * np.log(sigma) + 0.5 * rss / s2
        dmu = -e / s2
        g_lin = np.r_[dmu.sum(), self.F.T @ dmu]
        common = dmu[None, :] * beta[:, None] * 0.5 * sech2
        g_alpha = (common * lam[:, None] * dad).sum(1)
        g_lam = (common * ad).sum(1)
        g_beta = (dmu[None, :] * th).sum(1)
        g_sigma = n / sigma - rss / (s2 * sigma)
        # priors (negative log densities without constants) and their derivatives
        f += 0.5 * np.sum((lin / self.lin_sd) ** 2)
        g_lin = g_lin + lin / self.lin_sd**2
        f += -2 * np.sum(np.log1p(-alpha))  # Beta(1, 3)
        g_alpha = g_alpha + 2 / (1 - alpha)
        f += np.sum(-2 * np.log(lam) + lam)  # Gamma(3, 1)
        g_lam = g_lam - 2 / lam + 1
        f += np.sum(beta**2) / 8 + sigma**2 / 8  # HalfNormal(2)
        g_beta = g_beta + beta / 4
        g_sigma = g_sigma + sigma / 4
        # chain rule to the unconstrained coordinates
        g_ch = np.column_stack([g_alpha * alpha * (1 - alpha), g_lam * lam, g_beta * beta]).ravel()
        return f, np.r_[g_lin, g_ch, g_sigma * sigma]

    def start(self, k, rng):
        c = np.tile([np.log(0.3 / 0.7), np.log(3.0), np.log(0.2)], self.C)
        u = np.r_[0.5 * self.y.mean(), np.zeros(self.nf), c, np.log(0.1)]
        pos = slice(1 + self.nf, None)  # transformed parameters; linear ones stay at the centre
        if k % 2 == 1:
            u[pos] += 0.75 * rng.standard_normal(3 * self.C + 1)
        elif k > 0:
            a = np.clip(rng.beta(1, 3, self.C), 0.02, 0.95)
            lam = np.clip(rng.gamma(3, 1, self.C), 0.3, 10)
            b = np.clip(np.abs(rng.normal(0, 2, self.C)), 0.01, 2)
            s = np.clip(abs(rng.normal(0, 2)), 0.01, 0.5)
            u[pos] = np.r_[np.column_stack([np.log(a / (1 - a)), np.log(lam), np.log(b)]).ravel(), np.log(s)]
        return u

    def shares(self, us):
        """Contribution shares per row of `us` (draws x params)."""
        us = np.atleast_2d(us)
        ch = us[:, 1 + self.nf: -1].reshape(len(us), self.C, 3)
        alpha, lam, beta = 1 / (1 + np.exp(-ch[..., 0])), np.exp(ch[..., 1]), np.exp(ch[..., 2])
        w, _ = self.weights(alpha)
        ad = np.einsum("dck,ckt->dct", w, self.lag)
        tot = (beta[..., None] * np.tanh(0.5 * lam[..., None] * ad)).sum(-1)
        return tot / tot.sum(-1, keepdims=True)


def run_scipy(d, starts=4, draws=DRAWS):
    t0 = time.perf_counter()
    c0 = time.process_time()
    obj = MapObjective(d)
    rng = np.random.default_rng(0)
    best = None
    for k in range(starts):
        r = minimize(obj, obj.start(k, rng), jac=True, method="L-BFGS-B",
                     options={"maxiter": 20000, "maxcor": 50, "ftol": 1e-12, "gtol": 1e-7})
        if np.isfinite(r.fun) and (best is None or r.fun < best.fun):
            best = r
    u = best.x
    # Laplace: Hessian by central differences of the exact gradient, symmetrised
    p = len(u)
    h = 1e-5 * np.maximum(1.0, np.abs(u))
    H = np.empty((p, p))
    for i in range(p):
        e = np.zeros(p)
        e[i] = h[i]
        H[:, i] = (obj(u + e)[1] - obj(u - e)[1]) / (2 * h[i])
    H = 0.5 * (H + H.T)
    val, vec = np.linalg.eigh(H)
    val = np.maximum(val, 1e-8 * val.max())
    root = vec / np.sqrt(val)  # cov = vec diag(1/val) vec^T
    z = np.random.default_rng(1).standard_normal((draws, p))
    sh = obj.shares(u + z @ root.T)
    a = (1 - LEVEL) / 2
    out = {
        "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
        "objective": float(best.fun), "iterations": int(best.nit), "success": bool(best.success),
        "shares": obj.shares(u)[0].tolist(),
        "shares_lo": np.quantile(sh, a, axis=0).tolist(), "shares_hi": np.quantile(sh, 1 - a, axis=0).tolist(),
    }
    return out


# ----------------------------------------------------------------------------- channelwise Python


def run_cw_python(d, repeat):
    """channelwise.optimize.MMM through the Python binding, if it exists yet."""
    try:
        import channelwise  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.path.join(ROOT, "bindings-python", "python"))
    try:
        import channelwise
        import channelwise.optimize as opt
        MMM = opt.MMM
    except (ImportError, AttributeError) as e:
        return {"skipped": f"{type(e).__name__}: {e}"}
    import pandas as pd
    df = pd.DataFrame({"y": d["y"], **dict(zip(d["channels"], d["x"])), "price": d["controls"][0], "promo": d["controls"][1]})
    try:
        best, summary = float("inf"), None
        for _ in range(repeat):
            t0 = time.perf_counter()
            # no date column: rows are weeks, 52.1775 a year, as for the CLI
            fit = MMM(date=None, target="y", channels=d["channels"], controls=["price", "promo"],
                      yearly_seasonality=ORDER).fit(df)
            summary = fit.summary()
            best = min(best, time.perf_counter() - t0)
        return {"seconds": best, "shares": [float(v) for v in summary["share"]],
                "shares_lo": [float(v) for v in summary["share_lo"]], "shares_hi": [float(v) for v in summary["share_hi"]],
                "module": os.path.relpath(channelwise.__file__, ROOT) if channelwise.__file__.startswith(ROOT) else channelwise.__file__}
    except Exception as e:  # the binding's API is not settled yet: report, do not stop
        return {"skipped": f"call failed: {type(e).__name__}: {e}"}


# ----------------------------------------------------------------------------- pymc-marketing


def run_pymc(d, a):
    import arviz as az
    import pandas as pd
    import pymc_marketing
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation

    n = len(d["y"])
    z = d["controls"] / np.abs(d["controls"]).max(axis=1, keepdims=True)
    df = pd.DataFrame({"date": pd.date_range("2021-01-04", periods=n, freq="W-MON"),
                       **dict(zip(d["channels"], d["x"])),
                       "price": z[0], "promo": z[1], "trend": np.arange(n) / (n - 1)})
    y = pd.Series(d["y"], name="y")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c0 = time.process_time()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mmm = MMM(date_column="date", channel_columns=d["channels"], control_columns=["price", "promo", "trend"],
                  adstock=GeometricAdstock(l_max=L_MAX), saturation=LogisticSaturation(), yearly_seasonality=ORDER)
        idata = mmm.fit(X=df, y=y, chains=a.chains, draws=a.draws, tune=a.tune, cores=a.cores,
                        random_seed=SEED, progressbar=False)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - c0 + (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    post = idata.posterior
    tot = post["channel_contribution"].sum("date")
    share = (tot / tot.sum("channel")).stack(sample=("chain", "draw")).transpose("sample", "channel").values
    hdi = np.array([az.hdi(share[:, c], hdi_prob=LEVEL) for c in range(share.shape[1])])
    a_ = (1 - LEVEL) / 2
    free = [v.name for v in mmm.model.free_RVs if v.name in post]
    summ = az.summary(idata, var_names=free, kind="diagnostics")
    return {
        "version": pymc_marketing.__version__, "seconds": wall, "cpu_seconds": cpu,
        "sampling_seconds": float(post.attrs.get("sampling_time", float("nan"))),
        "settings": {"chains": a.chains, "draws": a.draws, "tune": a.tune, "cores": a.cores, "random_seed": SEED},
        "shares_mean": share.mean(0).tolist(),
        "shares_hdi_lo": hdi[:, 0].tolist(), "shares_hdi_hi": hdi[:, 1].tolist(),
        "shares_et_lo": np.quantile(share, a_, axis=0).tolist(), "shares_et_hi": np.quantile(share, 1 - a_, axis=0).tolist(),
        "divergences": int(idata.sample_stats["diverging"].sum()),
        "r_hat_max": float(summ["r_hat"].max()), "ess_bulk_min": float(summ["ess_bulk"].min()),
        "ess_tail_min": float(summ["ess_tail"].min()),
        "posterior_mean": {k: np.asarray(post[k].mean(("chain", "draw"))).round(5).tolist() for k in free},
    }


# ----------------------------------------------------------------------------- main


def fmt(x, spec=".2f"):
    return "-" if x is None or (isinstance(x, float) and not np.isfinite(x)) else format(x, spec)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--channels", default="5,10,20")
    ap.add_argument("--pymc-channels", default=None, help="sizes pymc runs on (default: all; 'none' for none)")
    ap.add_argument("--chains", type=int, default=2)
    ap.add_argument("--draws", type=int, default=500)
    ap.add_argument("--tune", type=int, default=500)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="5 channels, pymc 1 chain x 200/200")
    ap.add_argument("--out", default=os.path.join(RESULTS, "mmm.json"))
    ap.add_argument("--report", metavar="JSON", help="print the tables of an earlier run's results file and stop")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as f:
            saved = json.load(f)
        report(saved["meta"], saved["results"])
        return
    if a.quick:
        a.channels, a.chains, a.draws, a.tune = "5", 1, 200, 200
    if not os.path.exists(BIN):
        raise SystemExit(f"build first: cargo build --release -p channelwise-benches --bin cw-mmm ({BIN})")
    sizes = [int(s) for s in a.channels.split(",")]
    pymc_sizes = sizes if a.pymc_channels is None else ([] if a.pymc_channels == "none" else [int(s) for s in a.pymc_channels.split(",")])

    results = []
    for c in sizes:
        path, d = load(c)
        print(f"== {ROWS} x {c} channels ({path})", file=sys.stderr, flush=True)
        r = {"rows": ROWS, "channels": c, "data": os.path.relpath(path, ROOT), "truth_shares": d["truth"].tolist()}
        r["channelwise"] = cw("fit", path, "--repeat", str(a.repeat), "--draws", str(DRAWS), "--seasonality", str(ORDER))
        r["channelwise_python"] = run_cw_python(d, a.repeat)
        r["scipy"] = run_scipy(d)
        print(f"   channelwise {r['channelwise']['seconds']:.3f} s, scipy {r['scipy']['seconds']:.2f} s",
              file=sys.stderr, flush=True)
        if c in pymc_sizes:
            r["pymc"] = run_pymc(d, a)
            print(f"   pymc {r['pymc']['seconds']:.1f} s (sampling {r['pymc']['sampling_seconds']:.1f} s)",
                  file=sys.stderr, flush=True)
        # agreement
        cw_sh = np.asarray(r["channelwise"]["shares"])
        ag = {"cw_vs_truth_max_abs": float(np.abs(cw_sh - d["truth"]).max()),
              "cw_vs_scipy_max_abs": float(np.abs(cw_sh - r["scipy"]["shares"]).max()),
              "cw_truth_in_cw_interval": interval_hits(d["truth"], r["channelwise"]["shares_lo"], r["channelwise"]["shares_hi"])}
        if "shares" in r["channelwise_python"]:
            ag["cw_cli_vs_python_max_abs"] = float(np.abs(cw_sh - r["channelwise_python"]["shares"]).max())
        if "pymc" in r:
            p = r["pymc"]
            ag.update({
                "cw_in_pymc_hdi": interval_hits(cw_sh, p["shares_hdi_lo"], p["shares_hdi_hi"]),
                "cw_in_pymc_et": interval_hits(cw_sh, p["shares_et_lo"], p["shares_et_hi"]),
                "pymc_mean_in_cw_interval": interval_hits(p["shares_mean"], r["channelwise"]["shares_lo"], r["channelwise"]["shares_hi"]),
                "cw_vs_pymc_mean_max_abs": float(np.abs(cw_sh - p["shares_mean"]).max()),
                "pymc_vs_truth_max_abs": float(np.abs(np.asarray(p["shares_mean"]) - d["truth"]).max()),
                "truth_in_pymc_hdi": interval_hits(d["truth"], p["shares_hdi_lo"], p["shares_hdi_hi"]),
            })
        r["agreement"] = ag
        results.append(r)

    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    meta = {"command": " ".join([os.path.basename(sys.executable), *sys.argv]), "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d %H:%M"),
            "numpy": np.__version__, "scipy": scipy.__version__,
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
            "settings": {"repeat": a.repeat, "chains": a.chains, "draws": a.draws, "tune": a.tune, "cores": a.cores}}
    with open(a.out, "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    report(meta, results)
    print(f"wrote {os.path.relpath(a.out, ROOT)}", file=sys.stderr)


def report(meta: dict, results: list) -> None:
    st = meta["settings"]
    print(f"\nMMM fit with intervals, {ROWS} weekly rows, 2 controls + trend, yearly seasonality order {ORDER}; "
          f"channelwise best of {st['repeat']} (Laplace, {DRAWS} draws, 4 starts), scipy once (L-BFGS-B, 4 starts, "
          f"Laplace {DRAWS} draws), pymc-marketing once (NUTS, {st['chains']} chains x {st['draws']} draws + "
          f"{st['tune']} tune, cores={st['cores']}, random_seed={SEED})\n")
    print("| channels | channelwise s (CPU) | cw Python s | scipy s | pymc s (sampling; CPU) | scipy/cw | pymc/cw "
          "| pymc/cw CPU | cw share in pymc 90% HDI | pymc mean in cw 90% | max abs share diff cw-pymc "
          "| pymc r_hat max, min ESS bulk, divergences |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        c, s = r["channelwise"], r["scipy"]
        py = r["channelwise_python"]
        p, g = r.get("pymc"), r["agreement"]
        cells = [str(r["channels"]), f"{c['seconds']:.3f} ({fmt(c['cpu_seconds'])})",
                 f"{py['seconds']:.3f}" if "seconds" in py else "-", f"{s['seconds']:.2f}",
                 f"{p['seconds']:.1f} ({p['sampling_seconds']:.1f}; {p['cpu_seconds']:.0f})" if p else "-",
                 f"{s['seconds'] / c['seconds']:.0f}x", f"{p['seconds'] / c['seconds']:.0f}x" if p else "-",
                 f"{p['cpu_seconds'] / c['cpu_seconds']:.0f}x" if p and c.get("cpu_seconds") else "-",
                 f"{g['cw_in_pymc_hdi']}/{r['channels']}" if p else "-",
                 f"{g['pymc_mean_in_cw_interval']}/{r['channels']}" if p else "-",
                 f"{g['cw_vs_pymc_mean_max_abs']:.3f}" if p else "-",
                 f"{p['r_hat_max']:.3f}, {p['ess_bulk_min']:.0f}, {p['divergences']}" if p else "-"]
        print("| " + " | ".join(cells) + " |")
    print()
    for r in results:
        g = r["agreement"]
        print(f"{r['channels']} channels: cw CPU {fmt(r['channelwise']['cpu_seconds'])} s; scipy objective "
              f"{r['scipy']['objective']:.4f} vs channelwise {r['channelwise']['objective']:.4f}; max |share diff| "
              f"cw-scipy {g['cw_vs_scipy_max_abs']:.4f}, cw-truth {g['cw_vs_truth_max_abs']:.3f} "
              f"(truth in cw 90%: {g['cw_truth_in_cw_interval']}/{r['channels']})"
              + (f", CLI vs Python {g['cw_cli_vs_python_max_abs']:.1e}" if "cw_cli_vs_python_max_abs" in g else "")
              + (f"; pymc CPU {r['pymc']['cpu_seconds']:.0f} s, pymc mean-truth {g['pymc_vs_truth_max_abs']:.3f} "
                 f"(truth in pymc HDI: {g['truth_in_pymc_hdi']}/{r['channels']}), cw in pymc equal-tailed "
                 f"{g['cw_in_pymc_et']}/{r['channels']}, min ESS bulk {r['pymc']['ess_bulk_min']:.0f}"
                 if "pymc" in r else ""))
        if "skipped" in r["channelwise_python"]:
            print(f"   channelwise Python: skipped ({r['channelwise_python']['skipped']})")
    for r in results:
        if "pymc" not in r:
            continue
        p, c = r["pymc"], r["channelwise"]
        print(f"\nshares, {r['channels']} channels: channel | truth | channelwise [90%] | pymc mean [90% HDI]")
        for i, name in enumerate(c["channels"]):
            print(f"  {name} | {r['truth_shares'][i]:.3f} | {c['shares'][i]:.3f} [{c['shares_lo'][i]:.3f}, "
                  f"{c['shares_hi'][i]:.3f}] | {p['shares_mean'][i]:.3f} [{p['shares_hdi_lo'][i]:.3f}, "
                  f"{p['shares_hdi_hi'][i]:.3f}]")
    print(f"\nload average {meta['load_average']:.1f} on {meta['cpus']} cores at the end; numpy {meta['numpy']}, "
          f"scipy {meta['scipy']}")


if __name__ == "__main__":
    main()
