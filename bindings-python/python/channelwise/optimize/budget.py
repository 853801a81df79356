"""Budget allocation over response curves: :func:`allocate` splits a budget over channels for the
most total response, within per-channel bounds, a maximum change from current spend and locked
channels, or answers the other planning questions (spend until the next unit returns a target,
the most spend that keeps a target ROAS, the least spend that reaches a response).

Concave curves are solved exactly (water-filling on the common marginal return, with a KKT
residual and a duality gap at rounding level); S-shaped Hill curves (``slope > 1``) by branch
and bound on concave envelopes to a proven gap. :attr:`Allocation.certificate` says which, and
how far from the optimum the answer can be at most.

Curves come from a fitted :class:`~channelwise.optimize.FittedMMM` (each channel's steady-state
curve, current spend its mean spend per period) or are given per channel, through
:class:`~channelwise.optimize.Saturation` or the factories here, in pymc-marketing's names:

======================================== ======================================================
Factory                                  Curve
======================================== ======================================================
``Hill(beta, half_saturation, slope)``   ``beta x^slope / (half_saturation^slope + x^slope)``
``Logistic(lam, beta)``                  ``beta (1 - e^{-lam x}) / (1 + e^{-lam x})``
``MichaelisMenten(alpha, lam)``          ``alpha x / (lam + x)``
``Tanh(b, c)``                           ``b tanh(x / (b c))``
``Power(a, b)``                          ``a x^b``
``Log(beta, lam)``                       ``beta ln(1 + lam x)``
``GeometricAdstock(alpha, l_max)``       carry-over ``alpha^l`` (``DelayedAdstock``,
                                         ``WeibullPDFAdstock``, ``WeibullCDFAdstock`` alike)
======================================== ======================================================

A curve factory given ``adstock=`` returns the *steady-state* curve: the response per period
when the same spend runs every period, the adstock's gain ``sum w`` folded into the spend scale
(:func:`steady_state`, as the media mix model does; with normalised weights the gain is 1).

Any curve parameter may be an array of posterior draws (the others numbers or arrays of the
same length; draw ``d`` of every channel is one joint sample): the factory then returns a
:class:`CurveDraws`, and :func:`allocate` maximises the mean response over the draws
(pymc-marketing's default) or, with ``objective=("cvar", a)``, the mean of the worst ``a``
share of draws. Adstock parameters are numbers.

>>> import channelwise as cw
>>> a = cw.optimize.allocate({"search": cw.optimize.MichaelisMenten(alpha=1.0, lam=1.0),
...                           "social": cw.optimize.MichaelisMenten(alpha=4.0, lam=1.0)}, budget=4.0)
>>> a.table[["channel", "spend", "bound"]].round(9).values.tolist()
[['search', 1.0, 'interior'], ['social', 3.0, 'interior']]
>>> a.certificate["kkt_residual"] < 1e-9
True
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from .. import _channelwise as _cw
from .. import _frames
from .response import Adstock, Saturation

__all__ = [
    "allocate",
    "Allocation",
    "CurveDraws",
    "steady_state",
    "Hill",
    "Logistic",
    "MichaelisMenten",
    "Tanh",
    "Power",
    "Log",
    "GeometricAdstock",
    "DelayedAdstock",
    "WeibullPDFAdstock",
    "WeibullCDFAdstock",
]

SCENARIOS = ("max_response", "target_roas", "target_marginal_roas", "min_spend_for_response")
"""What :func:`allocate` can solve for (``scenario=``)."""

_COLUMNS = ("channel", "spend", "response", "marginal_return", "bound")


def _invalid(field: str, value: Any, reason: str) -> Exception:
    return _cw.InvalidParameterError(f"invalid {field}: {json.dumps(str(value))} ({reason})")


def _param(field: str, v: Any) -> float:
    """A parameter that must be one number (adstocks)."""
    if isinstance(v, bool):
        raise TypeError(f"{field}: expected a number, got bool")
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return float(v)
    if hasattr(v, "__len__") or isinstance(v, np.ndarray):
        n = len(v) if hasattr(v, "__len__") else v.size
        raise _cw.InvalidParameterError(
            f"invalid {field}: \"an array of {n} values\" (adstock parameters are one number; "
            "posterior draws go on the curve's parameters)"
        )
    raise TypeError(f"{field}: expected a number, got {type(v).__qualname__}")


def _params_or_draws(kind: str, field: str, params: Mapping[str, Any]) -> Tuple[Dict[str, float], Optional[List[Dict[str, float]]]]:
    """Numbers, or arrays of draws of one length (numbers broadcast): the central parameters
    (each the median of its draws) and the list of per-draw parameters (None without arrays)."""
    arrays: Dict[str, np.ndarray] = {}
    nums: Dict[str, float] = {}
    for k, v in params.items():
        f = f"{field}.{k}"
        if isinstance(v, bool):
            raise TypeError(f"{f}: expected a number or an array of draws, got bool")
        if isinstance(v, (int, float, np.integer, np.floating)) or (isinstance(v, np.ndarray) and v.ndim == 0):
            nums[k] = float(v)
            continue
        if isinstance(v, (str, bytes, Mapping)) or not (hasattr(v, "__len__") or isinstance(v, np.ndarray)):
            raise TypeError(f"{f}: expected a number or an array of draws, got {type(v).__qualname__}")
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError) as e:  # a draw that is not a number
            raise _invalid(f, repr(v)[:60], f"draws are numbers ({e})") from None
        if a.ndim != 1 or a.size == 0:
            raise _invalid(f, f"an array of shape {a.shape}", "draws are a non-empty one-dimensional array")
        arrays[k] = a
    if not arrays:
        return nums, None
    n = {len(a) for a in arrays.values()}
    if len(n) > 1:
        first, *_ = arrays
        other = next(k for k in arrays if len(arrays[k]) != len(arrays[first]))
        raise _cw.LengthMismatchError(
            f"length mismatch: {field}.{other} has {len(arrays[other])} draws, expected {len(arrays[first])} (as {field}.{first})")
    d = n.pop()
    central = {k: (float(np.median(arrays[k])) if k in arrays else nums[k]) for k in params}
    draws = [{k: (float(arrays[k][i]) if k in arrays else nums[k]) for k in params} for i in range(d)]
    return central, draws


class CurveDraws:
    """A channel's response curve with posterior draws: :attr:`curve` (the central curve: each
    parameter's median over the draws, used by ``objective="curve"``) and :attr:`draws` (one
    :class:`Saturation` per draw, all of one kind). The curve factories return one when a
    parameter is an array; ``FittedMMM`` channels carry their Laplace draws.

    >>> import channelwise as cw
    >>> c = cw.optimize.MichaelisMenten(alpha=[1.0, 2.0, 3.0], lam=1.0)
    >>> len(c), c.curve.params
    (3, {'alpha': 2.0, 'lam': 1.0})
    """

    def __init__(self, draws: Sequence[Saturation], curve: Optional[Saturation] = None) -> None:
        draws = list(draws)
        if not draws:
            raise _invalid("draws", "[]", "at least one draw")
        if not all(isinstance(d, Saturation) for d in draws):
            bad = next(d for d in draws if not isinstance(d, Saturation))
            raise TypeError(f"draws: expected Saturation curves, got {type(bad).__qualname__}")
        kinds = {d.kind for d in draws}
        if len(kinds) > 1:
            raise _invalid("draws", sorted(map(str, kinds)), "every draw is a Saturation of one kind")
        if curve is not None and (not isinstance(curve, Saturation) or curve.kind not in kinds):
            # the rows would name one curve while the expected response used draws of another
            raise _invalid("curve", getattr(curve, "kind", curve), f"a Saturation of the draws' kind, {draws[0].kind}")
        if curve is None:
            names = draws[0].param_names
            curve = Saturation(draws[0].kind, **{k: float(np.median([d.params[k] for d in draws])) for k in names})
        self.curve = curve
        self.draws = draws

    @property
    def kind(self) -> str:
        return self.curve.kind

    def __len__(self) -> int:
        return len(self.draws)

    def __repr__(self) -> str:
        return f"<CurveDraws {self.kind} x {len(self.draws)} draws, central {self.curve.params}>"


# --- curves ---------------------------------------------------------------------------------


def steady_state(curve: Saturation, adstock: Optional[Adstock], adstock_first: bool = True) -> Saturation:
    """The response per period to the same spend ``x`` every period, as one
    :class:`Saturation` of ``x``: with ``adstock_first`` (the media mix model's default),
    ``S(g x)``, else ``g S(x)``, where ``g`` is the adstock's gain (``sum w``; 1 when the weights
    are normalised). The gain is folded into the curve's parameters as
    ``FittedMMM.steady_state_curve`` does (Hill ``kappa / g``, logistic ``lam g``, ...).

    >>> import channelwise as cw
    >>> a = cw.optimize.Adstock("geometric", l_max=4, normalize=False, alpha=0.5)
    >>> s = cw.optimize.steady_state(cw.optimize.Saturation("logistic", lam=1.0, beta=2.0), a)
    >>> s.params
    {'lam': 1.875, 'beta': 2.0}
    """
    if adstock is None:
        return curve
    if not isinstance(curve, Saturation):
        raise TypeError(f"curve: expected a Saturation, got {type(curve).__qualname__}")
    if not isinstance(adstock, Adstock):
        raise TypeError(f"adstock: expected an Adstock (e.g. cw.optimize.GeometricAdstock(...)), got {type(adstock).__qualname__}")
    g = adstock.gain
    k, outer = (g, 1.0) if adstock_first else (1.0, g)
    p = curve.params
    kind = curve.kind
    # outer * S(k x) as one curve of x (core/src/optimize/mmm.rs, steady_curve_at)
    if kind == "logistic":
        q = dict(lam=p["lam"] * k, beta=p["beta"] * outer)
    elif kind == "hill":
        q = dict(slope=p["slope"], kappa=p["kappa"] / k, beta=p["beta"] * outer)
    elif kind == "michaelis_menten":
        q = dict(alpha=p["alpha"] * outer, lam=p["lam"] / k)
    elif kind == "tanh":
        q = dict(b=p["b"] * outer, c=p["c"] / (k * outer))
    elif kind == "power":
        q = dict(a=p["a"] * outer * k ** p["b"], b=p["b"])
    elif kind == "log":
        q = dict(beta=p["beta"] * outer, lam=p["lam"] * k)
    else:  # a kind added to the core without a fold here
        raise _cw.InvalidParameterError(f"invalid saturation kind: {json.dumps(kind)} (no steady-state fold for it)")
    return Saturation(kind, **q)


def _curve(kind: str, adstock: Optional[Adstock], adstock_first: bool, **params: Any) -> Any:
    central, draws = _params_or_draws(kind, kind, params)
    s = steady_state(Saturation(kind, **central), adstock, adstock_first)
    if draws is None:
        return s
    return CurveDraws([steady_state(Saturation(kind, **d), adstock, adstock_first) for d in draws], s)


def Hill(beta: float, half_saturation: float, slope: float, adstock: Optional[Adstock] = None,
         adstock_first: bool = True) -> Saturation:  # noqa: N802
    """``beta x^slope / (half_saturation^slope + x^slope)`` (pymc-marketing's
    ``HillSaturation(slope, kappa=half_saturation, beta)``; an S-curve when ``slope > 1``).
    With ``adstock``, the steady-state curve (:func:`steady_state`)."""
    return _curve("hill", adstock, adstock_first, slope=slope, kappa=half_saturation, beta=beta)


def Logistic(lam: float, beta: float, adstock: Optional[Adstock] = None,
             adstock_first: bool = True) -> Saturation:  # noqa: N802
    """``beta (1 - e^{-lam x}) / (1 + e^{-lam x})`` (``LogisticSaturation``). With ``adstock``,
    the steady-state curve (:func:`steady_state`)."""
    return _curve("logistic", adstock, adstock_first, lam=lam, beta=beta)


def MichaelisMenten(alpha: float, lam: float, adstock: Optional[Adstock] = None,
                    adstock_first: bool = True) -> Saturation:  # noqa: N802
    """``alpha x / (lam + x)`` (``MichaelisMentenSaturation``). With ``adstock``, the
    steady-state curve (:func:`steady_state`)."""
    return _curve("michaelis_menten", adstock, adstock_first, alpha=alpha, lam=lam)


def Tanh(b: float, c: float, adstock: Optional[Adstock] = None,
         adstock_first: bool = True) -> Saturation:  # noqa: N802
    """``b tanh(x / (b c))`` (``TanhSaturation``). With ``adstock``, the steady-state curve."""
    return _curve("tanh", adstock, adstock_first, b=b, c=c)


def Power(a: float, b: float, adstock: Optional[Adstock] = None,
          adstock_first: bool = True) -> Saturation:  # noqa: N802
    """``a x^b``, ``b`` in (0, 1] (``RootSaturation(alpha=b, beta=a)``). With ``adstock``, the
    steady-state curve."""
    return _curve("power", adstock, adstock_first, a=a, b=b)


def Log(beta: float, lam: float, adstock: Optional[Adstock] = None,
        adstock_first: bool = True) -> Saturation:  # noqa: N802
    """``beta ln(1 + lam x)``. With ``adstock``, the steady-state curve."""
    return _curve("log", adstock, adstock_first, beta=beta, lam=lam)


def _adstock(kind: str, l_max: int, normalize: bool, **params: Any) -> Adstock:
    return Adstock(kind, l_max=l_max, normalize=normalize, **{k: _param(f"{kind}.{k}", v) for k, v in params.items()})


def GeometricAdstock(alpha: float, l_max: int = 8, normalize: bool = True) -> Adstock:  # noqa: N802
    """Weights ``alpha^l``, ``l = 0 .. l_max - 1`` (pymc-marketing's ``GeometricAdstock``)."""
    return _adstock("geometric", l_max, normalize, alpha=alpha)


def DelayedAdstock(alpha: float, theta: float, l_max: int = 8, normalize: bool = True) -> Adstock:  # noqa: N802
    """Weights ``alpha^((l - theta)^2)`` (``DelayedAdstock``)."""
    return _adstock("delayed", l_max, normalize, alpha=alpha, theta=theta)


def WeibullPDFAdstock(lam: float, k: float, l_max: int = 8, normalize: bool = True) -> Adstock:  # noqa: N802
    """Weibull density weights (``WeibullPDFAdstock``)."""
    return _adstock("weibull_pdf", l_max, normalize, lam=lam, k=k)


def WeibullCDFAdstock(lam: float, k: float, l_max: int = 8, normalize: bool = True) -> Adstock:  # noqa: N802
    """Weibull survival weights (``WeibullCDFAdstock``)."""
    return _adstock("weibull_cdf", l_max, normalize, lam=lam, k=k)


def _as_saturation(field: str, spec: Any) -> Any:
    """A curve given as a :class:`Saturation`, a :class:`CurveDraws` or a dict ``{"kind": ...,
    **params}`` (any parameter an array of draws)."""
    if isinstance(spec, (Saturation, CurveDraws)):
        return spec
    if isinstance(spec, Mapping):
        d = dict(spec)
        kind = d.pop("kind", None)
        if not isinstance(kind, str):
            raise _invalid(f"{field}.kind", kind, "a curve dict names its kind: {\"kind\": \"hill\", ...}")
        central, draws = _params_or_draws(kind, field, d)
        try:
            s = Saturation(kind, **central)
            return s if draws is None else CurveDraws([Saturation(kind, **p) for p in draws], s)
        except _cw.ChannelwiseError as e:  # name the channel, as the core's allocator does
            raise type(e)(str(e).replace("saturation.", f"{field}.saturation.", 1)) from None
    raise TypeError(
        f"{field}: expected a Saturation (cw.optimize.Hill(...), ...) or a dict {{\"kind\": ..., **params}}, "
        f"got {type(spec).__qualname__}"
    )


# --- the allocation -------------------------------------------------------------------------


class Allocation:
    """A solved allocation.

    - :attr:`table`: a DataFrame with a row per channel, in input order: ``channel``,
      ``spend``, ``response`` (at that spend), ``marginal_return`` (the next unit's return) and
      ``bound`` (what holds the spend: ``"interior"``, ``"lower"``, ``"upper"``,
      ``"max_change_down"``, ``"max_change_up"``, ``"locked"``). pandas, or polars when the
      model was fitted on polars; a pandas table also carries the certificate in
      ``table.attrs["certificate"]``. ``allocation["spend"]`` reads a column of it.
    - :attr:`certificate`: ``method`` (``"water-filling"``, exact for concave curves, or
      ``"branch and bound on concave envelopes"``), ``multiplier`` (the budget's shadow price:
      the common marginal return), ``kkt_residual`` and ``duality_gap`` (relative; rounding
      level for concave curves), ``upper_bound`` (a proven bound on the best total response),
      ``suboptimality`` (how far below it this allocation can be, relative) and ``nodes``.
    - :attr:`total_spend`, :attr:`total_response`.
    - :attr:`objective` (``"curve"``, ``"expected"`` or ``("cvar", a)``), :attr:`response_draws`
      (the split's total response under every draw; empty without draws) and :attr:`cvar` (the
      CVaR the ``("cvar", a)`` objective maximised, else None).
    - :meth:`plot`: each channel's response curve with the chosen spend marked.
    """

    objective: Any = "curve"
    response_draws: np.ndarray = np.empty(0)
    cvar: Optional[float] = None

    def __init__(self, rows: List[Tuple[Any, ...]], total_spend: float, total_response: float,
                 certificate: Dict[str, Any], curves: Dict[str, Saturation], current: Dict[str, Optional[float]],
                 kind: str) -> None:
        self.total_spend = float(total_spend)
        self.total_response = float(total_response)
        self.certificate = dict(certificate)
        self.curves = curves
        self.current = current
        cols: Dict[str, Any] = {
            "channel": [r[0] for r in rows],
            "spend": np.array([r[1] for r in rows], dtype=float),
            "response": np.array([r[2] for r in rows], dtype=float),
            "marginal_return": np.array([r[3] for r in rows], dtype=float),
            "bound": [r[4] for r in rows],
        }
        self.table = _frames.frame(kind, cols)
        if kind == _frames.PANDAS:
            self.table.attrs["certificate"] = dict(certificate)

    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    @property
    def spend(self) -> Dict[str, float]:
        """Spend by channel."""
        cols = _frames.to_columns(self.table)
        return dict(zip(cols["channel"], (float(v) for v in cols["spend"])))

    def plot(self, grid: Any = None, title: Optional[str] = None) -> Any:
        """Each channel's response curve (one panel each) with the chosen spend marked, and the
        current spend where it is known (matplotlib Figure). ``grid``: spends shared by every
        channel, a dict of one per channel, or None (0 to twice the larger of spend and current
        spend)."""
        from .. import plot

        return plot.allocation(self, grid=grid, title=title)

    def __repr__(self) -> str:
        c = self.certificate
        return (
            f"<Allocation total_spend={self.total_spend:.6g} total_response={self.total_response:.6g} "
            f"method={c['method']!r} suboptimality={c['suboptimality']:.2g}>\n{self.table}"
        )

    def _repr_html_(self) -> Optional[str]:
        html = getattr(self.table, "_repr_html_", None)
        return None if html is None else html()


def _per_channel(role: str, value: Any, names: List[str], check: Any) -> Dict[str, Any]:
    """A scalar for every channel or a dict by channel name (unknown names are an error)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise _invalid(role, unknown[0], f"not a channel; channels: {', '.join(names)}")
        return {k: check(f"{role}.{k}", v) for k, v in value.items()}
    v = check(role, value)
    return {n: v for n in names}


def _bound(field: str, v: Any) -> float:
    if isinstance(v, str) and v in ("Infinity", "inf"):
        return math.inf
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{field}: expected a number, got {type(v).__qualname__}")
    return float(v)


def _channels(curves: Any) -> Tuple[List[Dict[str, Any]], str]:
    """The channels as dicts ``name, curve, lower, upper, current, locked``, and the frame kind
    of the result."""
    from .mmm import FittedMMM

    if isinstance(curves, FittedMMM):
        out = [
            {"name": n, "curve": Saturation._wrap(s), "current": cur,
             "draws": [Saturation._wrap(d) for d in draws]}
            for n, s, cur, draws in curves._fit.budget_channels()
        ]
        if not out:
            raise _invalid("curves", "FittedMMM", "no channel of the model ever spent: there is no curve to allocate over")
        return out, curves._kind
    if isinstance(curves, Mapping):
        return [{"name": str(k), "curve": _as_saturation(str(k), v)} for k, v in curves.items()], _frames.PANDAS
    if isinstance(curves, (Saturation, str)) or not isinstance(curves, Sequence):
        raise TypeError(
            "curves: expected a FittedMMM, a dict of channel name -> curve, or a list of curves or of "
            f"channel dicts {{\"name\", \"curve\", \"lower\", \"upper\", \"current\", \"locked\"}}, got {type(curves).__qualname__}"
        )
    out = []
    for i, c in enumerate(curves):
        if isinstance(c, Mapping) and "curve" in c:
            extra = [k for k in c if k not in ("name", "curve", "lower", "upper", "current", "locked")]
            if extra:
                raise _invalid(f"curves[{i}].{extra[0]}", extra[0], "expected name, curve, lower, upper, current, locked")
            name = str(c.get("name", i))
            d = {"name": name, "curve": _as_saturation(name, c["curve"])}
            for k, check in (("lower", _bound), ("upper", _bound), ("current", _bound), ("locked", _frames.flag)):
                if c.get(k) is not None:
                    d[k] = check(f"{name}.{k}", c[k])
            out.append(d)
        elif isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], str):
            out.append({"name": c[0], "curve": _as_saturation(c[0], c[1])})
        else:
            out.append({"name": str(i), "curve": _as_saturation(f"curves[{i}]", c)})
    return out, _frames.PANDAS


def _max_change(v: Any) -> Optional[Tuple[str, float]]:
    if v is None:
        return None
    if isinstance(v, Mapping):
        if len(v) != 1 or next(iter(v)) not in ("relative", "absolute"):
            raise _invalid("max_change", dict(v), "expected {\"relative\": r} or {\"absolute\": a}")
        k, x = next(iter(v.items()))
        return k, _bound(f"max_change.{k}", x)
    if isinstance(v, tuple):
        if len(v) != 2 or v[0] not in ("relative", "absolute"):
            raise _invalid("max_change", v, "expected a fraction, (\"relative\", r) or (\"absolute\", a)")
        return v[0], _bound(f"max_change.{v[0]}", v[1])
    return "relative", _bound("max_change", v)


def _scenario(v: Any) -> Tuple[str, Optional[float]]:
    if isinstance(v, str):
        kind, value = v, None
    elif isinstance(v, Mapping):
        extra = [k for k in v if k not in ("kind", "value")]
        if extra:
            raise _invalid(f"scenario.{extra[0]}", extra[0], "expected kind, value")
        kind, value = v.get("kind"), v.get("value")
    elif isinstance(v, tuple) and len(v) == 2:
        kind, value = v
    else:
        raise _invalid("scenario", repr(v), "expected \"max_response\" or (kind, value), e.g. (\"target_roas\", 2.0)")
    if kind not in SCENARIOS:
        raise _invalid("scenario", kind, f"expected one of {', '.join(SCENARIOS)}")
    if kind == "max_response" and value is not None:
        raise _invalid("scenario", repr(v), "max_response takes no value: the budget is budget=")
    return kind, None if value is None else _bound(f"scenario.{kind}", value)


def allocate(
    curves: Any,
    budget: Optional[float] = None,
    spend_all: bool = True,
    lower: Any = None,
    upper: Any = None,
    current: Any = None,
    locked: Any = None,
    max_change: Any = None,
    scenario: Any = "max_response",
    tolerance: float = 1e-6,
    max_nodes: int = 10_000,
    objective: Any = None,
) -> Allocation:
    """Splits ``budget`` (spend per period) over the channels' response curves; returns an
    :class:`Allocation` (``.table``, ``.certificate``, ``.total_spend``, ``.total_response``,
    ``.plot()``).

    ============ =============== ===================================================================
    Name         Default         Meaning
    ============ =============== ===================================================================
    curves       (required)      a :class:`FittedMMM` (steady-state curves; current spend = mean
                                 spend per period), a dict name -> curve (:class:`Saturation`, a
                                 factory such as :func:`Hill`, or ``{"kind": ..., **params}``),
                                 or a list of curves (named ``"0"``, ``"1"``, ...), of
                                 ``(name, curve)`` pairs or of channel dicts ``{"name", "curve",
                                 "lower", "upper", "current", "locked"}``
    budget       None            total spend; required by ``"max_response"``, a cap otherwise
    spend_all    True            spend exactly the budget (False: at most)
    lower        0               least spend: a number for every channel or a dict by name
    upper        inf             most spend: likewise
    current      None            spend today (the model's mean spend): for ``max_change`` and
                                 ``locked``; likewise
    locked       False           keep today's spend: True for every channel or a dict by name
    max_change   None            move limit from current spend: a fraction (``0.2``: +/-20%, the
                                 same as ``("relative", 0.2)``) or ``("absolute", 500)``
    scenario     "max_response"  ``"max_response"``, ``("target_roas", r)`` (the most spend whose
                                 total response per unit spent is at least ``r``),
                                 ``("target_marginal_roas", m)`` (spend each channel until its
                                 next unit returns ``m``), ``("min_spend_for_response", y)``
    tolerance    1e-6            relative optimality gap at which S-curve branch and bound stops
    max_nodes    10000           branch-and-bound nodes (CVaR: Frank-Wolfe iterations) before it
                                 stops with the gap it proved
    objective    None            ``"curve"`` (each channel's curve; a :class:`CurveDraws`' central
                                 curve, a FittedMMM's posterior mode), ``"expected"`` (the mean
                                 total response over the draws, pymc-marketing's default) or
                                 ``("cvar", a)`` (the mean of the worst ``a`` share of draws, a in
                                 (0, 1]; max_response only). None: ``"expected"`` when a curve
                                 was given with draws, else ``"curve"`` (a FittedMMM's draws are
                                 used only when asked for)
    ============ =============== ===================================================================

    With draws, :attr:`Allocation.response_draws` is the total response of the chosen split
    under every draw (its distribution: ``np.quantile(a.response_draws, [0.05, 0.95])``) and
    :attr:`Allocation.cvar` the CVaR the ``"cvar"`` objective maximised; the rows' ``response``
    is then each channel's mean over its draws.

    Errors name the field: a budget the bounds cannot hold is
    :class:`channelwise.InvalidParameterError` naming ``budget`` and saying which constraint
    and by how much (``"the channels' least spend (lower bounds, locked channels, maximum
    change) sums to 7, 2 more than the budget"``), as is a budget past what the curves take at
    any marginal return above 1e-300 (``1e300`` on Michaelis-Menten curves: a sign of spend
    in other units than the curves'); a locked channel or a maximum change without
    a current spend names ``<channel>.current``; a negative or NaN bound
    :class:`channelwise.OutOfRangeError` / :class:`channelwise.NonFiniteError` naming
    ``<channel>.upper``; an unreachable target names ``target_roas`` / ``target_response``.
    """
    chans, kind = _channels(curves)
    names = [c["name"] for c in chans]
    overrides = {
        "lower": _per_channel("lower", lower, names, _bound),
        "upper": _per_channel("upper", upper, names, _bound),
        "current": _per_channel("current", current, names, _bound),
        "locked": _per_channel("locked", locked, names, _frames.flag),
    }
    rows = []
    for c in chans:
        n = c["name"]
        for k, by in overrides.items():
            if n in by:
                c[k] = by[n]
    given_draws = any(isinstance(c["curve"], CurveDraws) for c in chans)
    obj = _objective(objective, given_draws)
    for c in chans:
        n = c["name"]
        s = c["curve"]
        draws: List[Saturation] = []
        if isinstance(s, CurveDraws):
            s, draws = s.curve, s.draws
        elif obj[0] != "curve":
            draws = c.get("draws", [])
        if obj[0] == "curve":
            draws = []
        rows.append((n, s.kind, list(s.params.values()), c.get("lower", 0.0), c.get("upper", math.inf),
                     c.get("current"), c.get("locked", False), [list(d.params.values()) for d in draws]))
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, (int, np.integer)):
        raise TypeError(f"max_nodes: expected an int, got {type(max_nodes).__qualname__}")
    request = (rows, None if budget is None else _bound("budget", budget), _frames.flag("spend_all", spend_all),
               _max_change(max_change), _scenario(scenario), _bound("tolerance", tolerance), int(max_nodes), obj)
    out_rows, total_spend, total_response, cert, response_draws, cvar = _cw.optimize_allocate(*request)
    central = {c["name"]: (c["curve"].curve if isinstance(c["curve"], CurveDraws) else c["curve"]) for c in chans}
    a = Allocation(out_rows, total_spend, total_response, cert, central,
                   {c["name"]: c.get("current") for c in chans}, kind)
    a.objective = obj[0] if obj[1] is None else obj
    a.response_draws = np.asarray(response_draws, dtype=float)
    a.cvar = cvar
    a._request = request  # what cw.optimize.recommend solves again to pair moves with channels
    a._kind = kind
    return a


def _objective(v: Any, given_draws: bool) -> Tuple[str, Optional[float]]:
    if v is None:
        return ("expected", None) if given_draws else ("curve", None)
    if isinstance(v, str) and v in ("curve", "expected"):
        return v, None
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "cvar":
        return "cvar", _bound("objective.cvar", v[1])
    raise _invalid("objective", repr(v), "expected \"curve\", \"expected\" or (\"cvar\", level), e.g. (\"cvar\", 0.1)")
