"""Plots of attribution results (matplotlib, optional: ``pip install 'channelwise[plot]'``)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np

from . import _frames

__all__ = ["credit"]


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
