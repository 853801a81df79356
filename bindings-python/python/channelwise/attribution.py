"""Multi-touch attribution over a path table.

Every function takes a path table as a pandas or polars DataFrame, a pyarrow Table, a dict of
columns, records (a list of dicts, one per row: ``[{"path": "a>b", "conversions": 3}, ...]``,
read as ``pd.DataFrame(records)`` reads them) or a :class:`channelwise.PathTable` (e.g.
``Journeys.table``, which keeps W-shaped key
touches; a frame's ``key_touch`` column, as :func:`channelwise.journey.path_table` writes it,
keeps them for :func:`heuristics` and :func:`compare`). Column names are keyword arguments
(``path``, ``conversions``, ``nulls``, ``value``) and ``sep`` splits the path strings. Results
are pandas DataFrames, or polars for polars input.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from . import _channelwise as _cw
from . import _frames
from ._progress import Progress

__all__ = [
    "heuristics",
    "markov",
    "Markov",
    "FittedMarkov",
    "shapley",
    "ordered_shapley",
    "time_decay",
    "compare",
    "HEURISTIC_MODELS",
    "MODELS",
]

HEURISTIC_MODELS = ("first_touch", "last_touch", "linear", "u_shaped", "w_shaped")
MODELS = HEURISTIC_MODELS + ("markov", "shapley")

Horizon = Union[None, int, str]
CI = Union[None, bool, Dict[str, Any]]


def _bootstrap_args(ci: CI) -> Optional[Dict[str, Any]]:
    """``None``/``False`` -> no intervals; ``True`` -> defaults; a dict -> those settings."""
    if ci is None or ci is False:
        return None
    if ci is True:
        return {}
    if isinstance(ci, dict):
        unknown = set(ci) - {"replicates", "level", "seed"}
        if unknown:
            raise _cw.InvalidParameterError(
                f"invalid ci: {json.dumps(sorted(unknown))} (allowed keys: replicates, level, seed)"
            )
        return dict(ci)
    raise _cw.InvalidParameterError(
        f"invalid ci: {json.dumps(repr(ci))} (expected None, True or a dict of replicates, level, seed)"
    )


def _interval_columns(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: d[k] for k in ("conversions_lo", "conversions_hi", "value_lo", "value_hi")}


def heuristics(
    df: Any,
    path: str = "path",
    conversions: str = "conversions",
    nulls: Optional[str] = "nulls",
    value: Optional[str] = "value",
    sep: str = ">",
    u_shaped: Tuple[float, float] = (0.4, 0.4),
    w_shaped: Tuple[float, float, float] = (0.3, 0.3, 0.3),
    key_touch: Optional[str] = "key_touch",
) -> Any:
    """First touch, last touch, linear, U-shaped and W-shaped credit, one row per channel.

    Columns: ``channel`` and ``<model>_conversions``, ``<model>_value`` for each model in
    :data:`HEURISTIC_MODELS`. ``u_shaped`` is (first, last), ``w_shaped`` (first, key, last).
    W-shaped's key is the row's ``key_touch`` (the column :func:`channelwise.journey.path_table`
    writes with ``lead_kind``; missing: the middle touch), read when the frame has it.
    """
    table, kind = _frames.path_table(df, path, conversions, nulls, value, sep, key_touch)
    return _frames.frame(kind, _cw.heuristics(table, *_shares(u_shaped, w_shaped)))


def _shares(u_shaped: Any, w_shaped: Any) -> Tuple[float, ...]:
    """The U-shaped (first, last) and W-shaped (first, key, last) shares as five floats, each
    a real number (:func:`_frames.real`), or an error naming the argument."""
    u = tuple(_frames.items("u_shaped", u_shaped))
    w = tuple(_frames.items("w_shaped", w_shaped))
    if len(u) != 2 or len(w) != 3:
        raise _cw.InvalidParameterError(
            f"invalid u_shaped/w_shaped: {json.dumps([repr(u), repr(w)])} (expected 2 and 3 shares)"
        )
    return tuple(_frames.real(f"{name}[{i}]", x) for name, xs in (("u_shaped", u), ("w_shaped", w)) for i, x in enumerate(xs))


class FittedMarkov:
    """A fitted Markov chain: credit, transitions, removal effects, Shapley of the chain.

    Made by :meth:`Markov.fit`; :meth:`from_json` restores one from :meth:`to_json`.
    """

    def __init__(self, spec: "Markov", fitted: Any, kind: str) -> None:
        self.spec = spec
        self._fitted = fitted
        self._kind = kind

    @property
    def channels(self) -> list:
        """Channel names, in the order of the arrays below."""
        return self._fitted.channels

    @property
    def conversion_probability(self) -> float:
        """Probability that a journey from start converts (within the horizon)."""
        return self._fitted.conversion_probability

    @property
    def removal_effects(self) -> np.ndarray:
        """Removal effect of each channel (order of :attr:`channels`)."""
        return np.asarray(self._fitted.removal_effects)

    @property
    def removal_effects_value(self) -> np.ndarray:
        """Removal effect of each channel on conversion value."""
        return np.asarray(self._fitted.removal_effects_value)

    @property
    def n_states(self) -> int:
        """Number of channel states of the chain."""
        return self._fitted.n_states

    @property
    def horizon_steps(self) -> Optional[int]:
        """The step cap used, ``None`` for the exact answer."""
        return self._fitted.horizon_steps

    def credit(self) -> Any:
        """Columns ``channel, removal_effect, removal_effect_value, conversions, value``."""
        d = self._fitted.credit()
        cols = {k: d[k] for k in ("channel", "removal_effect", "removal_effect_value", "conversions", "value")}
        return _frames.frame(self._kind, cols)

    def transitions(self) -> Any:
        """Nonzero transition probabilities: columns ``from, to, probability``."""
        f, t, p = self._fitted.transitions()
        return _frames.frame(self._kind, {"from": f, "to": t, "probability": p})

    def shapley(self, method: str = "exact", permutations: int = 1000, seed: int = 0, progress: Any = False) -> Any:
        """Shapley credit of the chain's game (conversion probability with a subset of channels).

        ``method="exact"`` enumerates all coalitions (up to 20 channels); ``"sampled"`` draws
        ``permutations`` seeded orders and reports standard errors. Columns ``channel,
        conversions, value, conversions_std_error, value_std_error``. ``progress=True`` shows a
        bar (tqdm if installed), a callable gets ``(done, total)``; Ctrl-C stops the work.
        """
        unit = "permutations" if method == "sampled" else "coalitions"
        with Progress(progress, "Markov Shapley", unit) as cb:
            d = self._fitted.shapley(method, permutations, seed, progress=cb)
        keys = ("channel", "conversions", "value", "conversions_std_error", "value_std_error")
        return _frames.frame(self._kind, {k: d[k] for k in keys})

    def summary(self) -> str:
        """A plain-text report: the spec, the chain and the credit."""
        total_c, total_v = self._fitted.totals
        d = self._fitted.credit()
        width = max([len("channel")] + [len(c) for c in d["channel"]])
        lines = [
            f"Markov attribution: order {self.spec.order}, horizon "
            f"{'exact (infinite)' if self.horizon_steps is None else f'{self.horizon_steps} steps'}, "
            f"nulls {'used' if self.spec.use_nulls else 'ignored'}",
            f"{len(self.channels)} channels, {self.n_states} states, "
            f"P(conversion) = {self.conversion_probability:.6f}",
            f"total conversions {total_c:g}, total value {total_v:g}",
            "",
            f"{'channel':<{width}}  {'removal':>9}  {'conversions':>12}  {'value':>12}",
        ]
        for i, ch in enumerate(d["channel"]):
            lines.append(
                f"{ch:<{width}}  {d['removal_effect'][i]:>9.4f}  {d['conversions'][i]:>12.4f}  {d['value'][i]:>12.4f}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return repr(self._fitted)

    def to_json(self) -> str:
        """The fitted model as JSON: the spec and the core's fitted chain (structure, transition
        probabilities and results), so :meth:`from_json` restores it without refitting."""
        return json.dumps(
            {
                "model": "channelwise.attribution.Markov",
                "spec": self.spec._params(),
                "output": self._kind,
                "fitted": json.loads(self._fitted.to_json()),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "FittedMarkov":
        """Restores a model written by :meth:`to_json`; a damaged document raises
        :class:`InvalidParameterError`."""
        d = _frames.stored_model(text, "channelwise.attribution.Markov", "Markov")
        fitted = _cw.FittedMarkov.from_json(json.dumps(d["fitted"]))
        spec = Markov(**d.get("spec", {}))
        return cls(spec, fitted, d.get("output", _frames.PANDAS))

    def plot(self, metric: str = "conversions", ax: Any = None) -> Any:
        """Bar chart of the credit (needs matplotlib); returns the Axes."""
        from .plot import credit

        return credit(self.credit(), metric=metric, ax=ax, title=f"Markov order {self.spec.order}")


class Markov:
    """Markov-chain attribution, the specification: ``Markov(order, horizon, use_nulls).fit(df)``.

    ============  =======  =====================================================
    Name          Default  Meaning
    ============  =======  =====================================================
    order         1        touches per state, 1..=64
    horizon       None     None: exact absorbing-chain answer; an int T: drop
                           journeys after T states (ChannelAttribution's
                           ``max_step``); ``"ca"``: ChannelAttribution's default
    use_nulls     True     whether non-converting journeys enter the chain
    ============  =======  =====================================================
    """

    def __init__(self, order: int = 1, horizon: Horizon = None, use_nulls: bool = True) -> None:
        self.order = order
        self.horizon = horizon
        self.use_nulls = use_nulls

    def _params(self) -> Dict[str, Any]:
        return {"order": self.order, "horizon": self.horizon, "use_nulls": self.use_nulls}

    def __repr__(self) -> str:
        return f"Markov(order={self.order!r}, horizon={self.horizon!r}, use_nulls={self.use_nulls!r})"

    def fit(
        self,
        df: Any,
        path: str = "path",
        conversions: str = "conversions",
        nulls: Optional[str] = "nulls",
        value: Optional[str] = "value",
        sep: str = ">",
    ) -> FittedMarkov:
        """Fits the chain to a path table; returns a :class:`FittedMarkov`."""
        table, kind = _frames.path_table(df, path, conversions, nulls, value, sep)
        fitted = _cw.markov_fit(table, _int("order", self.order), self.horizon, bool(self.use_nulls))
        return FittedMarkov(self, fitted, kind)


def _int(field: str, x: Any) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise _cw.InvalidParameterError(f"invalid {field}: {json.dumps(repr(x))} (expected an int)")
    return int(x)


def markov(
    df: Any,
    order: int = 1,
    horizon: Horizon = None,
    use_nulls: bool = True,
    path: str = "path",
    conversions: str = "conversions",
    nulls: Optional[str] = "nulls",
    value: Optional[str] = "value",
    sep: str = ">",
    ci: CI = None,
    progress: Any = False,
) -> Any:
    """Markov removal-effect attribution, one row per channel.

    Columns ``channel, removal_effect, removal_effect_value, conversions, value``; with ``ci``
    (``True`` or ``dict(replicates=200, level=0.95, seed=0)``) also ``conversions_lo,
    conversions_hi, value_lo, value_hi`` from a seeded bootstrap over journeys.
    ``progress=True`` shows a bar over the replicates (tqdm if installed, else a plain counter
    on stderr), a callable gets ``(done, total)`` and may return ``False`` to stop
    (:class:`channelwise.CancelledError`); Ctrl-C stops the bootstrap and raises
    ``KeyboardInterrupt``.
    """
    table, kind = _frames.path_table(df, path, conversions, nulls, value, sep)
    fitted = Markov(order, horizon, use_nulls).fit(table)
    fitted._kind = kind
    out = fitted.credit()
    boot = _bootstrap_args(ci)
    if boot is None:
        Progress(progress, "", "")  # checks the argument
        return out
    with Progress(progress, "bootstrap", "replicates") as cb:
        d = fitted._fitted.intervals(table, **boot, progress=cb)  # re-weights the chain just fitted
    cols = _frames.to_columns(out)
    cols.update(_interval_columns(d))
    return _frames.frame(kind, cols)


def shapley(
    df: Any,
    path: str = "path",
    conversions: str = "conversions",
    nulls: Optional[str] = "nulls",
    value: Optional[str] = "value",
    sep: str = ">",
    ci: CI = None,
    progress: Any = False,
) -> Any:
    """Shapley credit of the subset game (each journey split equally over its distinct channels).

    Columns ``channel, conversions, value`` (+ ``conversions_lo, conversions_hi, value_lo,
    value_hi`` with ``ci``; ``progress`` as in :func:`markov`). For the Markov game use
    ``Markov(...).fit(df).shapley()``.
    """
    table, kind = _frames.path_table(df, path, conversions, nulls, value, sep)
    boot = _bootstrap_args(ci)
    if boot is None:
        Progress(progress, "", "")  # checks the argument
        return _frames.frame(kind, _cw.shapley(table))
    with Progress(progress, "bootstrap", "replicates") as cb:
        d = _cw.shapley_intervals(table, **boot, progress=cb)
    cols = {k: d[k] for k in ("channel", "conversions", "value")}
    cols.update(_interval_columns(d))
    return _frames.frame(kind, cols)


def ordered_shapley(
    df: Any,
    path: str = "path",
    conversions: str = "conversions",
    nulls: Optional[str] = "nulls",
    value: Optional[str] = "value",
    sep: str = ">",
) -> Any:
    """Shapley credit split by touch position, long format: ``channel, position, conversions,
    value`` (0-based positions; summing over positions gives :func:`shapley`)."""
    table, kind = _frames.path_table(df, path, conversions, nulls, value, sep)
    d = _cw.ordered_shapley(table)
    rows: Dict[str, list] = {"channel": [], "position": [], "conversions": [], "value": []}
    for ch, conv, val in zip(d["channel"], d["conversions"], d["value"]):
        for j, (c, v) in enumerate(zip(conv, val)):
            rows["channel"].append(ch)
            rows["position"].append(j)
            rows["conversions"].append(c)
            rows["value"].append(v)
    return _frames.frame(kind, rows)


def time_decay(
    touchpoints: Any,
    conversions: Any,
    half_life: Any = 7 * 86_400,
    **journey_args: Any,
) -> Any:
    """Time-decay credit from event logs: each touch weighs ``2^(-dt / half_life)``.

    ``half_life`` is seconds or a timedelta; the other arguments are those of
    :func:`channelwise.journey.build`. Columns ``channel, conversions, value``.
    """
    from .journey import build

    return build(touchpoints, conversions, **journey_args).time_decay(half_life)


def compare(
    df: Any,
    models: Sequence[str] = MODELS,
    order: int = 1,
    horizon: Horizon = None,
    use_nulls: bool = True,
    path: str = "path",
    conversions: str = "conversions",
    nulls: Optional[str] = "nulls",
    value: Optional[str] = "value",
    sep: str = ">",
    u_shaped: Tuple[float, float] = (0.4, 0.4),
    w_shaped: Tuple[float, float, float] = (0.3, 0.3, 0.3),
    ci: CI = None,
    wide: bool = False,
    key_touch: Optional[str] = "key_touch",
) -> Any:
    """Every model side by side, parsing the table once.

    Long format (default): ``channel, model, conversions, value`` and, with ``ci``,
    ``conversions_lo, conversions_hi, value_lo, value_hi`` (NaN for the heuristics, which have
    no sampling model). ``wide=True``: one row per channel, one column of credited conversions
    per model. Plot either with :func:`channelwise.plot.credit`. ``key_touch`` as in
    :func:`heuristics`.
    """
    table, kind = _frames.path_table(df, path, conversions, nulls, value, sep, key_touch)
    unknown = [m for m in models if m not in MODELS]
    if unknown or not models:
        raise _cw.InvalidParameterError(
            f"invalid models: {json.dumps(list(unknown or models))} (choose from {', '.join(MODELS)})"
        )
    boot = _bootstrap_args(ci)
    long: Dict[str, list] = {"channel": [], "model": [], "conversions": [], "value": []}
    if boot is not None:
        for k in ("conversions_lo", "conversions_hi", "value_lo", "value_hi"):
            long[k] = []

    def add(model: str, d: Dict[str, Any], prefix: str = "") -> None:
        for i, ch in enumerate(d["channel"]):
            long["channel"].append(ch)
            long["model"].append(model)
            long["conversions"].append(d[f"{prefix}conversions"][i])
            long["value"].append(d[f"{prefix}value"][i])
            if boot is not None:
                for k in ("conversions_lo", "conversions_hi", "value_lo", "value_hi"):
                    long[k].append(d[k][i] if k in d else float("nan"))

    if any(m in HEURISTIC_MODELS for m in models):
        h = _cw.heuristics(table, *_shares(u_shaped, w_shaped))
        for m in HEURISTIC_MODELS:
            if m in models:
                add(m, h, f"{m}_")
    if "markov" in models:
        if boot is None:
            d = _cw.markov_fit(table, _int("order", order), horizon, bool(use_nulls)).credit()
        else:
            d = _cw.markov_intervals(table, _int("order", order), horizon, bool(use_nulls), **boot)
        add("markov", d)
    if "shapley" in models:
        add("shapley", _cw.shapley(table) if boot is None else _cw.shapley_intervals(table, **boot))
    if not wide:
        return _frames.frame(kind, long)
    channels = list(dict.fromkeys(long["channel"]))
    cols: Dict[str, list] = {"channel": channels}
    for m in models:
        by_channel = {c: x for c, mm, x in zip(long["channel"], long["model"], long["conversions"]) if mm == m}
        cols[m] = [by_channel.get(c, 0.0) for c in channels]
    return _frames.frame(kind, cols)
