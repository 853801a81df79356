"""Plots (matplotlib, optional: ``pip install 'channelwise[plot]'``): attribution credit, forecast
fan charts, decomposition panels, anomaly markers, response curves, media mix models, budget allocations, experiment effects, confidence sequences,
group-sequential bounds and the calibration of decisions' expected impacts."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np

from . import _frames

__all__ = ["credit", "forecast", "decomposition", "anomalies", "saturation", "mmm", "allocation", "effects",
           "confidence_sequence", "bounds", "calibration"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError(
            "channelwise.plot needs matplotlib, which is not installed: pip install 'channelwise[plot]'"
        ) from e
    return plt


def _series(cols: Dict[str, List[Any]], metric: str) -> Dict[str, Dict[str, Any]]:
    """{model: {"channel": [...], "y": [...], "lo": [...]|None, "hi": [...]|None}}."""
    if "model" in cols:  # long frame from compare()
        out: Dict[str, Dict[str, Any]] = {}
        for i, m in enumerate(cols["model"]):
            s = out.setdefault(m, {"channel": [], "y": [], "lo": [], "hi": []})
            s["channel"].append(cols["channel"][i])
            s["y"].append(cols[metric][i])
            for b in ("lo", "hi"):
                key = f"{metric}_{b}"
                s[b].append(cols[key][i] if key in cols else np.nan)
        return out
    if metric in cols:  # one model: markov(), shapley(), FittedMarkov.credit()
        lo, hi = cols.get(f"{metric}_lo"), cols.get(f"{metric}_hi")
        return {metric: {"channel": cols["channel"], "y": cols[metric], "lo": lo, "hi": hi}}
    suffix = f"_{metric}"  # heuristics(): <model>_<metric> columns
    models = [c[: -len(suffix)] for c in cols if c.endswith(suffix)]
    if not models:
        raise ValueError(f"no {metric!r} credit columns in {list(cols)}")
    return {m: {"channel": cols["channel"], "y": cols[m + suffix], "lo": None, "hi": None} for m in models}


def credit(df: Any, metric: str = "conversions", ax: Any = None, title: Optional[str] = None) -> Any:
    """Grouped bar chart of credit per channel and model, with interval whiskers where the
    frame has ``<metric>_lo``/``<metric>_hi`` columns (``ci=`` results).

    Takes any result of :mod:`channelwise.attribution` (pandas or polars); ``metric`` is
    ``"conversions"`` or ``"value"``. Returns the matplotlib Axes.
    """
    plt = _pyplot()
    series = _series(_frames.to_columns(df), metric)
    channels = list(dict.fromkeys(c for s in series.values() for c in s["channel"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(channels) * max(1, len(series)) ** 0.5), 4.0))
    x = np.arange(len(channels))
    width = 0.8 / max(1, len(series))
    for k, (model, s) in enumerate(series.items()):
        pos = {c: i for i, c in enumerate(s["channel"])}
        y = np.array([s["y"][pos[c]] if c in pos else 0.0 for c in channels], dtype=float)
        offset = x - 0.4 + width * (k + 0.5)
        err = None
        if s["lo"] is not None and s["hi"] is not None:
            lo = np.array([s["lo"][pos[c]] if c in pos else np.nan for c in channels], dtype=float)
            hi = np.array([s["hi"][pos[c]] if c in pos else np.nan for c in channels], dtype=float)
            if np.isfinite(lo).any():
                err = np.vstack([np.where(np.isfinite(lo), y - lo, 0.0), np.where(np.isfinite(hi), hi - y, 0.0)])
        ax.bar(offset, y, width, label=model, yerr=err, capsize=3 if err is not None else 0)
    ax.set_xticks(x)
    ax.set_xticklabels(channels, rotation=30, ha="right")
    ax.set_ylabel(f"credited {metric}")
    if len(series) > 1:
        ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def forecast(fitted: Any, h: int = 12, level: Any = (80, 95), ax: Any = None, title: Optional[str] = None) -> Any:
    """History and point forecasts of a :class:`channelwise.forecast.FittedEts`, with a fan of the
    prediction intervals (widest level palest). Returns the matplotlib Axes."""
    plt = _pyplot()
    f = fitted.forecast(h, level)
    y = fitted._y
    x_hist = y.history_index()
    x_future = y.future_index(len(f["mean"]))
    if y.index is None:
        x_future = np.arange(y.n, y.n + len(f["mean"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 4.0))
    ax.plot(x_hist, y.values(), color="black", lw=1.0, label="observed")
    levels = sorted({float(k[3:]) for k in f if k.startswith("lo-")}, reverse=True)
    for i, lv in enumerate(levels):
        lab = f"{lv:g}"
        ax.fill_between(
            x_future, f[f"lo-{lab}"], f[f"hi-{lab}"], color="tab:blue",
            alpha=0.15 + 0.2 * i / max(1, len(levels)), lw=0, label=f"{lab}% interval",
        )
    ax.plot(x_future, f["mean"], color="tab:blue", lw=1.5, label="forecast")
    ax.set_title(title or fitted.model)
    ax.legend(fontsize="small", loc="upper left")
    return ax


def decomposition(dec: Any, title: Optional[str] = None) -> Any:
    """One panel per component of a :class:`channelwise.forecast.Decomposition` (observed,
    trend, each seasonal, remainder). Returns the matplotlib Figure."""
    plt = _pyplot()
    panels = [("observed", dec._observed), ("trend", dec._trend)]
    panels += list(dec._seasonal.items())
    panels.append(("resid", dec._resid))
    x = dec._y.history_index()
    fig, axes = plt.subplots(len(panels), 1, sharex=True, figsize=(8.0, 1.6 * len(panels) + 0.6))
    for ax, (name, values) in zip(axes, panels):
        if name == "resid":
            ax.scatter(x, values, s=4, color="black")
            ax.axhline(0.0, color="grey", lw=0.8)
        else:
            ax.plot(x, values, color="black", lw=1.0)
        ax.set_ylabel(name, fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def anomalies(
    values: Any, indices: Any, x: Any = None, ax: Any = None, title: Optional[str] = None, band: Any = None
) -> Any:
    """A series with the points at ``indices`` marked in red; ``band`` is an optional
    ``(centre, lower, upper)`` drawn behind it (either bound may be ``None``). Returns the Axes."""
    plt = _pyplot()
    v = np.asarray(values, dtype=float)
    xs = np.arange(len(v)) if x is None else x
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 3.5))
    if band is not None:
        centre, lo, hi = band
        if lo is not None and hi is not None:
            ax.fill_between(xs, lo, hi, color="tab:blue", alpha=0.15, lw=0)
        ax.plot(xs, centre, color="tab:blue", lw=1.0, label="expected")
    ax.plot(xs, v, color="black", lw=1.0, label="observed")
    idx = np.asarray(indices, dtype=np.int64)
    if len(idx):
        xs_arr = np.asarray(xs)
        ax.scatter(xs_arr[idx], v[idx], color="tab:red", zorder=3, s=25, label=f"anomalies ({len(idx)})")
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def saturation(curve: Any, grid: Any = None, ax: Any = None, title: Optional[str] = None) -> Any:
    """A :class:`channelwise.optimize.Saturation`'s response over ``grid`` (default its
    ``default_grid()``) and, on the right axis, its marginal; the inflection of an S-curve
    marked. Returns the matplotlib Axes."""
    plt = _pyplot()
    x = curve.default_grid() if grid is None else np.asarray(grid, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.0))
    ax.plot(x, curve.value(x), color="tab:blue", lw=1.5, label="response")
    ax.set_xlabel("spend")
    ax.set_ylabel("response", color="tab:blue")
    right = ax.twinx()
    right.plot(x, curve.derivative(x), color="tab:orange", lw=1.0, ls="--", label="marginal")
    right.set_ylabel("marginal response", color="tab:orange")
    if curve.is_s_shaped:
        ax.axvline(curve.inflection, color="grey", lw=0.8, ls=":")
    ax.set_title(title or repr(curve))
    return ax


def mmm(fitted: Any, grid: Any = None, title: Optional[str] = None) -> Any:
    """A :class:`channelwise.optimize.FittedMMM` in two panels: the contributions stacked over
    time (the baseline of intercept, trend, seasonality and controls, then each channel) with
    the target and the fit, and each channel's steady-state response curve with its band
    (``grid`` as :meth:`FittedMMM.response_curves`). Returns the matplotlib Figure."""
    plt = _pyplot()
    parts = _frames.to_columns(fitted.contributions())
    date = fitted._columns.get("date") or "date"
    if fitted._dates is not None:
        x: Any = fitted._dates.pandas_index(date)
    else:
        x = np.arange(len(parts["fitted"]))
    channels, controls = fitted.channels, fitted.controls
    base = np.zeros(len(parts["fitted"]))
    for k in ["intercept", "trend", "seasonality", *controls]:
        base = base + np.asarray(parts[k], dtype=float)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9.0, 8.0))
    lower = base
    top.fill_between(x, 0.0, base, color="lightgrey", lw=0, label="baseline")
    colours = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["tab:blue"])
    for i, c in enumerate(channels):
        upper = lower + np.asarray(parts[c], dtype=float)
        top.fill_between(x, lower, upper, color=colours[i % len(colours)], alpha=0.8, lw=0, label=c)
        lower = upper
    top.plot(x, np.frombuffer(fitted._fit.target, dtype=np.float64), color="black", lw=1.0, label="actual")
    top.plot(x, parts["fitted"], color="black", lw=1.0, ls="--", label="fitted")
    top.set_ylabel("contribution")
    top.legend(fontsize="small", loc="upper left", ncol=2)
    curves = _frames.to_columns(fitted.response_curves(grid))
    for i, c in enumerate(channels):
        rows = [j for j, name in enumerate(curves["channel"]) if name == c]
        pick = lambda k: np.asarray([curves[k][j] for j in rows], dtype=float)  # noqa: E731
        colour = colours[i % len(colours)]
        bottom.fill_between(pick("spend"), pick("lo"), pick("hi"), color=colour, alpha=0.2, lw=0)
        bottom.plot(pick("spend"), pick("response"), color=colour, lw=1.5, label=c)
    bottom.set_xlabel("spend per period")
    bottom.set_ylabel(f"response per period ({fitted.level:.0%} band)")
    bottom.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def allocation(alloc: Any, grid: Any = None, title: Optional[str] = None) -> Any:
    """A :class:`channelwise.optimize.Allocation`: one panel per channel with its response curve,
    the chosen spend marked (a filled dot, and the bound that holds it in the legend) and the
    current spend where known (a hollow dot). ``grid``: spends shared by every channel, a dict
    of one per channel, or None (0 to twice the larger of spend and current spend). Returns the
    matplotlib Figure."""
    plt = _pyplot()
    cols = _frames.to_columns(alloc.table)
    n = len(cols["channel"])
    ncols = min(3, max(1, n))
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.4 * nrows), squeeze=False)
    for i, name in enumerate(cols["channel"]):
        ax = axes[i // ncols][i % ncols]
        curve = alloc.curves[name]
        spend = float(cols["spend"][i])
        cur = alloc.current.get(name)
        if isinstance(grid, dict):
            x = np.asarray(grid.get(name, []), dtype=float)
        elif grid is not None:
            x = np.asarray(grid, dtype=float)
        else:
            top = 2.0 * max(spend, cur or 0.0)
            x = curve.default_grid() if top <= 0 else np.linspace(0.0, top, 201)
        if x.size:
            ax.plot(x, curve.value(x), color="tab:blue", lw=1.5)
        ax.plot([spend], [float(cols["response"][i])], "o", color="tab:red",
                label=f"spend {spend:.4g} ({cols['bound'][i]})")
        ax.axvline(spend, color="tab:red", lw=0.8, ls=":")
        if cur is not None:
            ax.plot([cur], [float(curve.value(cur))], "o", mfc="none", color="black", label=f"current {cur:.4g}")
        ax.set_title(name)
        ax.set_xlabel("spend per period")
        ax.set_ylabel("response per period")
        ax.legend(fontsize="small")
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    c = alloc.certificate
    fig.suptitle(title or f"total spend {alloc.total_spend:.4g}, response {alloc.total_response:.4g} "
                 f"({c['method']}, gap <= {c['suboptimality']:.1g})")
    fig.tight_layout()
    return fig


def effects(table: Any, estimate: str = "estimate", lower: str = "ci_lower", upper: str = "ci_upper",
            xlabel: str = "effect", ax: Any = None, title: Optional[str] = None) -> Any:
    """A forest plot of experiment effects: per row of ``table`` (a comparison of ``arm`` against
    ``control``) the interval ``[lower, upper]`` with a dot at ``estimate`` and a line at 0.
    Returns the Axes."""
    plt = _pyplot()
    t = _frames.to_columns(table)
    labels = [f"{a} vs {c}" for a, c in zip(t["arm"], t["control"])]
    est = np.asarray(t[estimate], dtype=float)
    lo, hi = np.asarray(t[lower], dtype=float), np.asarray(t[upper], dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 1.0 + 0.5 * len(labels)))
    y = np.arange(len(labels))[::-1]
    ax.hlines(y, lo, hi, color="tab:blue", lw=2.0)
    ax.plot(est, y, "o", color="tab:blue")
    ax.axvline(0.0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_ylim(-0.75, len(labels) - 0.25)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def confidence_sequence(table: Any, ax: Any = None, title: Optional[str] = None) -> Any:
    """An always-valid confidence sequence over the looks of ``table`` (``look``, ``estimate``,
    ``ci_lower``, ``ci_upper``): the band, the estimate and 0. Returns the Axes."""
    plt = _pyplot()
    t = _frames.to_columns(table)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 4.0))
    x = t["look"]
    ax.fill_between(x, t["ci_lower"], t["ci_upper"], color="tab:blue", alpha=0.2, lw=0, label="confidence sequence")
    ax.plot(x, t["estimate"], color="tab:blue", marker="o" if len(x) < 40 else None, label="estimate")
    ax.axhline(0.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("look")
    ax.set_ylabel("effect")
    ax.legend(fontsize="small", loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def bounds(table: Any, two_sided: bool = True, ax: Any = None, title: Optional[str] = None) -> Any:
    """Group-sequential bounds: the z bound at each look's information fraction (mirrored below
    0 when two-sided). Returns the Axes."""
    plt = _pyplot()
    t = _frames.to_columns(table)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0))
    x, z = np.asarray(t["information"], dtype=float), np.asarray(t["z"], dtype=float)
    ax.plot(x, z, marker="o", color="tab:red", label="reject above")
    if two_sided:
        ax.plot(x, -z, marker="o", color="tab:red", label="reject below")
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set_xlim(0.0, 1.05)
    ax.set_xlabel("information fraction")
    ax.set_ylabel("z bound")
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def calibration(decisions: Any, ax: Any = None, title: Optional[str] = None) -> Any:
    """Expected against measured impact, one point per decision with an outcome (a frame of
    ``cw.decide.Engine.decisions()``), by decision type, the expected interval as a horizontal
    bar, and the line of perfect calibration (points below it: the producers promised too much)."""
    plt = _pyplot()
    cols = _frames.to_columns(decisions)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5))

    def known(a: Any) -> bool:
        return a is not None and not (isinstance(a, float) and np.isnan(a))

    rows = [i for i, a in enumerate(cols["actual"]) if known(a)]
    seen: List[float] = []
    for kind in sorted({cols["kind"][i] for i in rows}):
        idx = [i for i in rows if cols["kind"][i] == kind]
        x, y = (np.array([cols[c][i] for i in idx], dtype=float) for c in ("impact", "actual"))
        lo, hi = (np.array([cols[c][i] for i in idx], dtype=float) for c in ("impact_lo", "impact_hi"))
        ax.errorbar(x, y, xerr=[x - lo, hi - x], fmt="o", capsize=3, label=kind)
        seen += list(lo) + list(hi) + list(y)
    if seen:
        ends = [min(seen), max(seen)]
        ax.plot(ends, ends, "--", color="grey", lw=1, label="calibrated")
    ax.set_xlabel("expected impact")
    ax.set_ylabel("measured impact")
    ax.set_title(title or "Expected and measured impact of decisions")
    ax.legend()
    return ax
