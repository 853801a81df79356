"""Budgets over several periods with carry-over: :func:`plan` splits per-period budgets (or one
total) over channels *and* periods, when spend in one period keeps returning in the next ones
(adstock), spend before the first period still carries in, and periods weigh differently
(seasonality).

The response of a channel in period ``t`` is ``profile[t] * f(a_t)``, where ``a_t = sum_l w_l
x_(t-l)`` is its adstocked spend (the spend before the horizon, ``pre``, carried in), or, when
saturation comes first, ``profile[t] * sum_l w_l f(x_(t-l))``. With ``tail=True`` (the default)
the total also counts what the last periods' spend returns after the horizon (weighted as the
last period of ``profile``). With concave
curves the total is concave, so the plan is the global optimum; the certificate's ``gap`` (a
Frank-Wolfe gap) bounds how far below the optimum it can be.

Each channel is a :class:`Channel`: its curve (response per period to adstocked spend, built
*without* ``adstock=``: the factories fold an adstock into a steady-state curve, which is the
one-period view), its adstock beside it, and optionally ``pre``, bounds and the order. A dict
``{"curve": ..., "adstock": ..., "pre": [...]}`` works the same; a bare curve has no
carry-over. A fitted :class:`~channelwise.optimize.FittedMMM` gives its own channels (curve,
adstock at the mode, its last spends as ``pre``).

>>> import channelwise as cw
>>> o = cw.optimize
>>> channels = {
...     "tv": o.Channel(o.MichaelisMenten(alpha=500.0, lam=200.0),
...                     o.GeometricAdstock(alpha=0.6, l_max=6, normalize=False)),
...     "search": o.MichaelisMenten(alpha=300.0, lam=80.0),   # no carry-over
... }
>>> p = o.plan(channels, budgets=[400, 400, 400, 400], profile=[1, 1, 1.5, 1])
>>> p.certificate["suboptimality"] < 1e-6
True
>>> s = p.spend                   # channels x periods
>>> bool(s.loc["search", 2] > s.loc["search", 1])   # search spends into the sale week
True
>>> bool(s.loc["tv", 1] > s.loc["tv", 2])           # tv ahead of it, to carry into it
True
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Dict, List, Mapping, Optional

import numpy as np

from .. import _channelwise as _cw
from .. import _frames
from .budget import _invalid, _per_channel
from .response import Adstock, Saturation

__all__ = ["plan", "Plan", "Channel"]

_NO_CARRY = ("geometric", [0.0], 1, False)


def _number(field: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        if isinstance(v, np.ndarray) and v.ndim == 0:
            return float(v)
        raise TypeError(f"{field}: expected a number, got {type(v).__qualname__}")
    return float(v)


def _numbers(field: str, v: Any) -> List[float]:
    """A sequence of numbers (list, tuple, numpy array, pandas/polars Series); NaN passes through
    to the core, which names the entry."""
    if isinstance(v, (str, bytes, Mapping)) or not (hasattr(v, "__len__") or isinstance(v, np.ndarray)):
        raise TypeError(f"{field}: expected a sequence of numbers, got {type(v).__qualname__}")
    if hasattr(v, "to_numpy"):
        v = v.to_numpy()
    return [_number(f"{field}[{i}]", x) for i, x in enumerate(list(v))]


class Channel:
    """One channel of a multi-period plan.

    ========================= ========== ====================================================
    Name                      Default    Meaning
    ========================= ========== ====================================================
    ``curve``                 required   response per period to (adstocked) spend: a
                                         :class:`Saturation` or factory result *without*
                                         ``adstock=``, or a dict ``{"kind": ..., **params}``;
                                         concave (Hill ``slope <= 1``)
    ``adstock``               None       an :class:`Adstock` (``GeometricAdstock(...)``, ...);
                                         None: no carry-over
    ``pre``                   ``()``     spend in the periods before the horizon, oldest first
    ``lower``, ``upper``      0, inf     bounds on the spend in every period
    ``saturation_first``      False      saturate each period's spend, then carry it over
    ========================= ========== ====================================================
    """

    def __init__(self, curve: Any, adstock: Optional[Adstock] = None, pre: Any = (), lower: float = 0.0,
                 upper: float = math.inf, saturation_first: bool = False) -> None:
        if isinstance(curve, Mapping):
            d = dict(curve)
            kind = d.pop("kind", None)
            if not isinstance(kind, str):
                raise _invalid("curve.kind", kind, "a curve dict names its kind: {\"kind\": \"hill\", ...}")
            curve = Saturation(kind, **d)
        if not isinstance(curve, Saturation):
            raise TypeError(
                "curve: expected a Saturation (cw.optimize.MichaelisMenten(...), ...) or a dict "
                f"{{\"kind\": ..., **params}}, got {type(curve).__qualname__}"
                + (" (draws are not supported in a multi-period plan)" if type(curve).__name__ == "CurveDraws" else "")
            )
        if adstock is not None and not isinstance(adstock, Adstock):
            raise TypeError(f"adstock: expected an Adstock (cw.optimize.GeometricAdstock(...), ...), got {type(adstock).__qualname__}")
        self.curve = curve
        self.adstock = adstock
        self.pre = _numbers("pre", pre)
        self.lower = _number("lower", lower)
        self.upper = _number("upper", upper)
        self.saturation_first = bool(saturation_first)

    def _tuple(self, name: str) -> tuple:
        a = self.adstock
        ad = _NO_CARRY if a is None else (a.kind, list(a.params.values()), a.l_max, a.normalize)
        return (name, self.curve.kind, list(self.curve.params.values()), ad[0], ad[1], ad[2], ad[3],
                self.pre, self.lower, self.upper, self.saturation_first)

    def __repr__(self) -> str:
        a = "none" if self.adstock is None else f"{self.adstock.kind} {self.adstock.params} l_max={self.adstock.l_max}"
        return (f"<Channel {self.curve.kind} {self.curve.params}, adstock {a}, pre {len(self.pre)} periods, "
                f"bounds [{self.lower:g}, {self.upper:g}]{', saturation first' if self.saturation_first else ''}>")


def _as_channel(name: str, spec: Any) -> Channel:
    if isinstance(spec, Channel):
        return spec
    if isinstance(spec, Mapping) and "curve" in spec:
        known = {"curve", "adstock", "pre", "lower", "upper", "saturation_first"}
        extra = [k for k in spec if k not in known]
        if extra:
            raise _invalid(f"curves[{name!r}]", extra[0], f"unknown key; a channel dict takes {sorted(known)}")
        return Channel(**dict(spec))
    if isinstance(spec, (Saturation, Mapping)):
        return Channel(spec)
    raise TypeError(
        f"curves[{name!r}]: expected a cw.optimize.Channel, a dict {{\"curve\", \"adstock\", \"pre\", ...}} "
        f"or a curve, got {type(spec).__qualname__}"
    )


class Plan:
    """A solved multi-period plan.

    - :attr:`table`: a pandas DataFrame with a row per channel and period: ``channel``,
      ``period``, ``spend``, ``response`` (that channel's response counted in that period,
      weighted by the profile, with the carry-over from earlier periods and ``pre``).
    - :attr:`spend`: the spends as a DataFrame, a row per channel, a column per period.
    - :attr:`tail`: each channel's response after the last period (0 without ``tail``).
    - :attr:`total_response`: the table's responses plus the tail.
    - :attr:`certificate`: ``method``, ``gap`` (the optimum is at most this much above
      :attr:`total_response`), ``suboptimality`` (``gap / total_response``) and ``iterations``.
    - :meth:`plot`: spend per channel per period, stacked bars.
    """

    def __init__(self, channels: List[str], spend: List[List[float]], response: List[List[float]], total: float,
                 certificate: Dict[str, Any], periods: List[Any]) -> None:
        import pandas as pd

        h = len(periods)
        self.channels = list(channels)
        self.periods = list(periods)
        self.total_response = float(total)
        self.certificate = dict(certificate)
        self.tail = {c: (float(r[h]) if len(r) > h else 0.0) for c, r in zip(channels, response)}
        self.table = _frames.frame(_frames.PANDAS, {
            "channel": [c for c in channels for _ in range(h)],
            "period": [p for _ in channels for p in periods],
            "spend": np.array([v for s in spend for v in s], dtype=float),
            "response": np.array([v for r in response for v in r[:h]], dtype=float),
        })
        self.table.attrs["certificate"] = dict(certificate)
        self.spend = pd.DataFrame(np.array(spend, dtype=float).reshape(len(channels), h), index=pd.Index(channels, name="channel"),
                                  columns=pd.Index(periods, name="period"))

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """Spend per period as stacked bars, one colour per channel (matplotlib Figure)."""
        from ..plot import _pyplot

        plt = _pyplot()
        fig = None
        if ax is None:
            fig, ax = plt.subplots(figsize=(max(5.0, 0.8 * len(self.periods) + 2.5), 3.8))
        x = np.arange(len(self.periods))
        bottom = np.zeros(len(self.periods))
        for c in self.channels:
            v = self.spend.loc[c].to_numpy(dtype=float)
            ax.bar(x, v, bottom=bottom, label=c)
            bottom += v
        ax.set_xticks(x)
        ax.set_xticklabels([str(p) for p in self.periods])
        ax.set_xlabel("period")
        ax.set_ylabel("spend")
        ax.legend(fontsize="small")
        c = self.certificate
        ax.set_title(title or f"total response {self.total_response:.4g} (gap <= {c['suboptimality']:.1g} relative)")
        if fig is not None:
            fig.tight_layout()
        return fig if fig is not None else ax.figure

    def __repr__(self) -> str:
        c = self.certificate
        return (f"<Plan {len(self.channels)} channels x {len(self.periods)} periods total_response={self.total_response:.6g} "
                f"suboptimality={c['suboptimality']:.2g}>\n{self.spend}")


def plan(curves: Any, budgets: Any = None, total: Optional[float] = None, periods: Optional[int] = None,
         profile: Any = None, tail: bool = True, pre: Optional[Mapping[str, Any]] = None, lower: Any = None,
         upper: Any = None, tolerance: float = 1e-9, max_iter: int = 100_000) -> Plan:
    """Plans spend over several periods for the most total response (the core's
    ``optimize::budget::periods``).

    ============== ================ ========================================================
    Name           Default          Meaning
    ============== ================ ========================================================
    ``curves``     required         a :class:`FittedMMM`, or a dict channel name -> a
                                    :class:`Channel`, a channel dict ``{"curve", "adstock",
                                    "pre", "lower", "upper", "saturation_first"}`` or a bare
                                    curve (no carry-over)
    ``budgets``    (or ``total``)   spend in each period, exactly (a list, array, or a pandas
                                    Series whose index labels the periods)
    ``total``      -                spend over the whole horizon, split freely over
                                    ``periods`` periods
    ``periods``    -                the number of periods (with ``total``)
    ``profile``    all 1            weight of each period's response (seasonality)
    ``tail``       True             count the carry-over after the last period
    ``pre``        the channels'    dict channel -> spend before the horizon, oldest first
    ``lower``,     the channels'    per-period bounds: one number for every channel or a
    ``upper``                       dict by channel
    ``tolerance``  1e-9             relative Frank-Wolfe gap at which to stop
    ``max_iter``   100000           most gradient steps
    ============== ================ ========================================================

    Returns a :class:`Plan`. A plan that used all ``max_iter`` steps above ``tolerance`` warns
    (``RuntimeWarning``); one that stopped because no step improved the total in floating point
    reports its gap in the certificate (it can sit a little above ``tolerance`` on flat optima).

    Errors (typed, naming the field): ``InvalidParameterError`` for no channels, 0 periods,
    both or neither of ``budgets`` and ``total``, an S-shaped curve, or budgets the bounds
    cannot hold (naming the period and the shortfall); ``LengthMismatchError`` for a profile of
    the wrong length; ``OutOfRangeError`` / ``NonFiniteError`` for negative or NaN budgets,
    bounds, profile weights and ``pre`` (``budgets[2]``, ``tv.pre[0]``).
    """
    from .mmm import FittedMMM

    if isinstance(curves, FittedMMM):
        native = _cw.optimize_plan_channels(curves._fit)
        if not native:
            raise _invalid("curves", "FittedMMM", "no channel of the model ever spent: there is nothing to plan")
        base = {t[0]: t for t in native}
    elif isinstance(curves, Mapping):
        chans = {str(k): _as_channel(str(k), v) for k, v in curves.items()}
        base = {n: c._tuple(n) for n, c in chans.items()}
    else:
        raise TypeError(
            "curves: expected a FittedMMM or a dict of channel name -> cw.optimize.Channel(curve, adstock, pre=...), "
            f"got {type(curves).__qualname__}"
        )
    names = list(base)
    if pre is not None and not isinstance(pre, Mapping):
        raise TypeError("pre: expected a dict of channel name -> spend before the horizon (oldest first)")
    over = [(7, _per_channel("pre", pre, names, _numbers)), (8, _per_channel("lower", lower, names, _number)),
            (9, _per_channel("upper", upper, names, _number))]
    rows = []
    for n in names:
        t = list(base[n])
        for k, by in over:
            if n in by:
                t[k] = by[n]
        rows.append(tuple(t))

    labels: Optional[List[Any]] = None
    if (budgets is None) == (total is None):
        raise _invalid("budgets", "both" if budgets is not None else "neither",
                       "give per-period budgets=[...] or total=... with periods=...")
    if budgets is not None:
        if hasattr(budgets, "index") and hasattr(budgets, "to_numpy"):  # a pandas Series
            labels = list(budgets.index)
        b = _numbers("budgets", budgets)
        if periods is not None and int(periods) != len(b):
            raise _cw.LengthMismatchError(f"length mismatch: periods is {int(periods)}, budgets has {len(b)} entries")
        h, args = len(b), dict(budgets=b)
    else:
        if periods is None:
            raise _invalid("periods", None, "a total is split over periods=... periods")
        if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 0:
            raise _invalid("periods", periods, "a whole number >= 0")
        h, args = int(periods), dict(periods=int(periods), total=_number("total", total))
    prof = None if profile is None else _numbers("profile", profile)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 0:
        raise _invalid("max_iter", max_iter, "a whole number >= 0")
    names_out, spend, response, tot, cert = _cw.optimize_plan(
        rows, profile=prof, tail=bool(tail), tolerance=_number("tolerance", tolerance), max_iter=int(max_iter), **args)
    if cert["iterations"] >= max_iter and cert["suboptimality"] > tolerance:
        warnings.warn(
            f"the plan used all max_iter={max_iter} steps and stopped at a relative gap of {cert['suboptimality']:.2g}, "
            f"above tolerance={tolerance:g}: it may be up to that share below the optimum (raise max_iter)",
            RuntimeWarning, stacklevel=2)
    return Plan(names_out, spend, response, tot, cert, labels if labels is not None else list(range(h)))
