"""Experiments: A/B tests from sufficient statistics, Bayesian comparisons, power and sample size,
CUPED, sequential tests and bandits (the core's ``experiment``).

An **arm** is a dict of sufficient statistics, as a warehouse query returns them: ``{"n",
"successes"}`` for a conversion metric, ``{"n", "sum", "sum_squares"}`` for a continuous one,
``{"n", "mean", "variance"}`` (per-unit variance; :class:`Cuped` arms carry ``unadjusted_mean``
too), or raw values (a list, numpy array or Series; 0/1 outcomes for the conversion tests).
Every test compares B (treatment) with A (control): ``ztest(a, b)``. Pass one table instead (a
DataFrame or dict of columns with a row per arm: ``arm`` and the statistics, or a dict of
``{name: arm}``) and every arm is compared with ``control`` (default the first): a row per
comparison.

======================= =========================================================================
Function                What it returns
======================= =========================================================================
:func:`ztest`           pooled two-proportion z-test (statsmodels' ``proportions_ztest``), Wald
                        interval: a :class:`Comparison`
:func:`welch`           Welch's t-test (scipy's ``ttest_ind(equal_var=False)``): a :class:`Comparison`
:func:`chisq`           chi-square of k conversion arms: :class:`ChiSquare`
:func:`bayes`           gbstats' effect model (flat or Gaussian prior): posterior, chance to win,
                        risk of each choice: a :class:`Comparison`
:func:`beta_binomial`   exact beta-binomial chance to beat control and expected losses
:func:`power`           statsmodels' ``NormalIndPower``: the one of ``effect_size``, ``nobs1``,
                        ``power`` left ``None``
:func:`cuped`           CUPED with a pre-period covariate (theta pooled): :class:`Cuped`, whose
                        adjusted arms go into any test
:func:`sequential`      gbstats' always-valid confidence sequence, a row per look:
                        :class:`ConfidenceSequence`
:func:`group_sequential` Lan-DeMets alpha-spending bounds (``ldbounds``): :class:`Bounds`
:class:`Bandit`         Thompson sampling, UCB1, epsilon-greedy, softmax, LinUCB, linear
                        Thompson, top-two Thompson: seeded, serialisable (:meth:`Bandit.to_json`
                        is the core's document, which the JS bindings read too)
======================= =========================================================================

Effects are absolute (``abs_*``: ``mean - mean_control``) and relative (``rel_*``:
``mean / mean_control - 1``, delta method, as gbstats). ``alternative`` is ``"two_sided"``
(``"two-sided"`` too), ``"larger"`` (B > A) or ``"smaller"``. Bad input raises a
:class:`channelwise.ChannelwiseError` naming the field and value (``b.successes must be in [0,
10], got 11``). ``.plot()`` needs matplotlib.

>>> import channelwise as cw
>>> r = cw.experiment.ztest({"n": 1000, "successes": 100}, {"n": 1000, "successes": 130})
>>> round(float(r["statistic"][0]), 4), round(float(r["p_value"][0]), 4)
(2.1027, 0.0355)
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from . import _channelwise as _cw
from . import _frames

__all__ = ["ztest", "welch", "chisq", "bayes", "beta_binomial", "power", "proportion_effectsize", "cuped",
           "cuped_effect_size", "sequential", "group_sequential", "Bandit", "Comparison", "ChiSquare", "Cuped",
           "ConfidenceSequence", "Bounds"]

_STATS = {"proportion": ("n", "successes"), "moments": ("n", "sum", "sum_squares"), "summary": ("n", "mean", "variance")}
_EFFECT = ("estimate", "std_error", "ci_lower", "ci_upper", "p_value")
NAN = math.nan


def _number(role: str, v: Any) -> float:
    # text is no count: float("100") would read a string column of a CSV without a word
    if isinstance(v, (bool, str, bytes)) or v is None:
        raise _cw.InvalidParameterError(f"invalid {role}: {v!r} (expected a number)")
    try:
        return float(v)
    except (TypeError, ValueError):
        raise _cw.InvalidParameterError(f"invalid {role}: {v!r} (expected a number)") from None


def _arm(name: str, x: Any, conversions: bool) -> Tuple[str, str, bytes]:
    """An arm as the compiled module takes it: ``(kind, name, float64 bytes)``."""
    if isinstance(x, Mapping):
        for raw in ("values", "outcomes"):
            if raw in x:
                return _arm(name, x[raw], conversions)
        kind = ("proportion" if "successes" in x else "moments" if "sum" in x or "sum_squares" in x
                else "summary" if "mean" in x or "variance" in x else None)
        if kind is None:
            raise _cw.InvalidParameterError(
                f"invalid {name}: {sorted(map(str, x))} (expected the keys n and successes; n, sum and sum_squares; "
                "or n, mean and variance)")
        missing = [k for k in _STATS[kind] if k not in x]
        if missing:
            raise _cw.InvalidParameterError(f"invalid {name}.{missing[0]}: missing (a {kind} arm has {', '.join(_STATS[kind])})")
        nums = [_number(f"{name}.{k}", x[k]) for k in _STATS[kind]]
        if kind == "summary":
            u = x.get("unadjusted_mean")
            nums.append(NAN if u is None else _number(f"{name}.unadjusted_mean", u))
        return kind, name, np.asarray(nums, dtype=np.float64).tobytes()
    return ("outcomes" if conversions else "values"), name, _frames.series(name, x)


def _kind(x: Any) -> Optional[str]:
    """The library of a table, ``None`` for anything that is not one."""
    try:
        return _frames.kind_of(x)
    except TypeError:
        return None


def _is_table(x: Any, arm: str) -> bool:
    kind = _kind(x)
    return kind in (_frames.PANDAS, _frames.POLARS, _frames.ARROW) or (isinstance(x, Mapping) and arm in x)


def _named_arms(arms: Any, arm: str) -> Tuple[List[Tuple[str, Any]], str]:
    """``[(name, arm)]`` from a table with a row per arm or a dict ``{name: arm}``, and the
    library to answer in."""
    if _is_table(arms, arm):
        kind = _kind(arms)
        cols = _frames.to_columns(arms)
        if arm not in cols:
            raise _cw.InvalidParameterError(f"invalid arm: {arm!r} (no such column; columns are {list(cols)})")
        names = _frames.labels(list(cols[arm]), arm, "arm name")
        stats = [c for c in cols if c != arm]
        rows = [{c: cols[c][i] for c in stats} for i in range(len(names))]
        return list(zip(names, rows)), (_frames.POLARS if kind == _frames.POLARS else _frames.PANDAS)
    if isinstance(arms, Mapping):
        return [(str(k), v) for k, v in arms.items()], _frames.PANDAS
    if isinstance(arms, Sequence) and not isinstance(arms, (str, bytes)):
        return [(f"arms[{i}]", v) for i, v in enumerate(arms)], _frames.PANDAS
    raise TypeError(f"arms: expected a DataFrame with a row per arm, a dict {{name: arm}} or a list of arms, "
                    f"got {type(arms).__qualname__}")


def _pairs(a: Any, b: Any, control: Optional[str], arm: str) -> Tuple[List[Tuple[str, Any, str, Any]], str]:
    """``[(control name, control arm, name, arm)]``: one pair for ``a, b``, else every arm of
    the table ``a`` against ``control``."""
    if b is not None:
        return [("a", a, "b", b)], _frames.PANDAS
    named, kind = _named_arms(a, arm)
    if len(named) < 2:
        raise _cw.NotEnoughDataError(f"not enough data for a comparison: need at least 2 arms, got {len(named)}")
    names = [n for n, _ in named]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise _cw.InvalidParameterError(f"invalid {arm}: {dup!r} (listed twice)")
    c = names[0] if control is None else str(control)
    if c not in names:
        raise _cw.InvalidParameterError(f"invalid control: {c!r} (not an arm: {names})")
    base = dict(named)[c]
    return [(c, base, n, x) for n, x in named if n != c], kind


def _alternative(alternative: str) -> str:
    return "two_sided" if alternative == "two-sided" else alternative


def _given(**options: Any) -> str:
    return _frames.json_text("options", {k: v for k, v in options.items() if v is not None})


class Comparison:
    """A test's result: :attr:`table`, a row per comparison of ``arm`` with ``control`` (``n``,
    ``n_control``, ``mean``, ``mean_control`` and the test's columns), :attr:`method`,
    :meth:`plot`. ``result[...]`` and ``len`` go to the table."""

    def __init__(self, method: str, table: Any, relative: Optional[bool] = None) -> None:
        self.method = method
        self.table = table
        self.relative = relative

    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def plot(self, effect: Optional[str] = None, ax: Any = None, title: Optional[str] = None) -> Any:
        """Effect intervals, a row per comparison (``effect="relative"`` or ``"absolute"`` for
        the z- and t-tests, relative by default; the credible interval for :func:`bayes`), or the
        posterior densities of the rates for :func:`beta_binomial`. Returns the Axes."""
        from . import plot

        if self.method == "beta_binomial":
            return self._posteriors(ax, title)
        if self.method == "bayes":
            label = "relative effect" if self.relative else "absolute effect"
            return plot.effects(self.table, xlabel=f"{label} (posterior)", ax=ax, title=title or "bayes")
        if effect not in (None, "relative", "absolute"):
            raise _cw.InvalidParameterError(f'invalid effect: {effect!r} (expected "relative" or "absolute")')
        cols = _frames.to_columns(self.table)
        if effect is None:
            effect = "relative" if all(np.isfinite(cols["rel_estimate"])) else "absolute"
        p = "rel" if effect == "relative" else "abs"
        return plot.effects(self.table, f"{p}_estimate", f"{p}_ci_lower", f"{p}_ci_upper", xlabel=f"{effect} effect",
                            ax=ax, title=title or self.method)

    def _posteriors(self, ax: Any, title: Optional[str]) -> Any:
        from .plot import _pyplot

        plt = _pyplot()
        t = _frames.to_columns(self.table)
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.0))
        shapes = {t["control"][0]: (t["posterior_alpha_control"][0], t["posterior_beta_control"][0])}
        shapes.update({a: (x, y) for a, x, y in zip(t["arm"], t["posterior_alpha"], t["posterior_beta"])})
        means = [x / (x + y) for x, y in shapes.values()]
        sds = [math.sqrt(x * y / ((x + y) ** 2 * (x + y + 1))) for x, y in shapes.values()]
        lo = max(0.0, min(m - 5 * s for m, s in zip(means, sds)))
        hi = min(1.0, max(m + 5 * s for m, s in zip(means, sds)))
        grid = np.linspace(lo, hi, 400)[1:-1] if hi > lo else np.linspace(1e-6, 1 - 1e-6, 400)
        for name, (x, y) in shapes.items():
            log_beta = math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)
            ax.plot(grid, np.exp((x - 1) * np.log(grid) + (y - 1) * np.log1p(-grid) - log_beta), label=name)
        ax.set_xlabel("conversion rate (posterior)")
        ax.set_ylabel("density")
        ax.legend(fontsize="small")
        ax.set_title(title or "beta-binomial posteriors")
        return ax

    def __repr__(self) -> str:
        return f"<Comparison {self.method} rows={len(self)}>\n{self.table}"


def _compare(method: str, a: Any, b: Any, control: Optional[str], arm: str, conversions: bool, run: Any,
             columns: Any, relative: Optional[bool] = None) -> Comparison:
    pairs, kind = _pairs(a, b, control, arm)
    rows: List[Dict[str, Any]] = []
    for cname, carm, name, x in pairs:
        doc = json.loads(run(_arm(cname, carm, conversions), _arm(name, x, conversions)))
        row = {"arm": name, "control": cname, "n": doc["b"]["n"], "n_control": doc["a"]["n"],
               "mean": doc["b"]["mean"], "mean_control": doc["a"]["mean"]}
        row.update(columns(doc["result"]))
        rows.append(row)
    table = _frames.frame(kind, {k: [r[k] for r in rows] for k in rows[0]})
    return Comparison(method, table, relative)


def _effects(r: Dict[str, Any]) -> Dict[str, float]:
    out = {}
    for prefix, key in (("abs", "absolute"), ("rel", "relative")):
        e = r.get(key) or {}
        for f in _EFFECT:
            v = e.get(f)
            out[f"{prefix}_{f}"] = NAN if v is None else v
    return out


def ztest(a: Any, b: Any = None, *, control: Optional[str] = None, alpha: Optional[float] = None,
          alternative: str = "two_sided", arm: str = "arm") -> Comparison:
    """The pooled two-proportion z-test of ``b`` against ``a`` (statsmodels'
    ``proportions_ztest``; the intervals are the unpooled Wald intervals of
    ``confint_proportions_2indep``, coverage ``1 - alpha``, default 0.05). Arms are ``{"n",
    "successes"}`` or 0/1 outcomes. The table has ``statistic`` (z), ``p_value``, ``abs_*`` and
    ``rel_*`` (``estimate``, ``std_error``, ``ci_lower``, ``ci_upper``, ``p_value``); ``mean``
    and ``mean_control`` are the conversion rates."""
    alt = _alternative(alternative)
    return _compare("ztest", a, b, control, arm, True, lambda x, y: _cw.experiment_ztest(x, y, alpha, alt),
                    lambda r: {"statistic": r["z"], "p_value": r["p_value"], **_effects(r)})


def welch(a: Any, b: Any = None, *, control: Optional[str] = None, alpha: Optional[float] = None,
          alternative: str = "two_sided", arm: str = "arm") -> Comparison:
    """Welch's t-test of ``b`` against ``a`` with Welch-Satterthwaite degrees of freedom (scipy's
    ``ttest_ind(equal_var=False)``; the relative effect as gbstats' ``TwoSidedTTest``). Any arm
    kind. The table has ``statistic`` (t), ``df``, ``p_value``, ``abs_*`` and ``rel_*``."""
    alt = _alternative(alternative)
    return _compare("welch", a, b, control, arm, False, lambda x, y: _cw.experiment_welch(x, y, alpha, alt),
                    lambda r: {"statistic": r["t"], "df": r["df"], "p_value": r["p_value"], **_effects(r)})


def bayes(a: Any, b: Any = None, *, control: Optional[str] = None, relative: Optional[bool] = None,
          inverse: Optional[bool] = None, prior: Any = None, prior_relative: Optional[bool] = None,
          alpha: Optional[float] = None, arm: str = "arm") -> Comparison:
    """gbstats' Bayesian effect model of ``b`` against ``a``: the effect (relative by default,
    ``relative=False`` for absolute) is normal with the frequentist mean and variance, combined
    with a flat prior (``prior=None``) or a Gaussian one (``{"mean": m, "variance": v}`` or ``(m,
    v)``, on the relative effect unless ``prior_relative=False``). ``inverse=True`` when lower is
    better. The table has the posterior ``estimate``, ``std_dev``, the credible interval
    ``ci_lower`` / ``ci_upper`` (``1 - alpha``), ``chance_to_win`` and the expected loss of each
    choice, ``risk_control`` and ``risk_treatment``."""
    if isinstance(prior, (tuple, list)):
        prior = {"mean": prior[0], "variance": prior[1]} if len(prior) == 2 else prior
    options = {k: v for k, v in dict(alpha=alpha, relative=relative, inverse=inverse,
                                     prior_relative=prior_relative).items() if v is not None}
    if prior is not None:
        options["prior"] = dict(prior) if isinstance(prior, Mapping) else prior
    text = _frames.json_text("options", options)

    def columns(r: Dict[str, Any]) -> Dict[str, Any]:
        out = {"estimate": r["mean"]}
        out.update({k: r[k] for k in ("std_dev", "ci_lower", "ci_upper", "chance_to_win", "risk_control", "risk_treatment")})
        return out

    return _compare("bayes", a, b, control, arm, False, lambda x, y: _cw.experiment_bayes(x, y, text), columns,
                    relative=True if relative is None else relative)


def beta_binomial(a: Any, b: Any = None, *, control: Optional[str] = None, prior_alpha: Optional[float] = None,
                  prior_beta: Optional[float] = None, arm: str = "arm") -> Comparison:
    """The exact beta-binomial comparison of conversion arms with a ``Beta(prior_alpha,
    prior_beta)`` prior (default ``Beta(1, 1)``): ``chance_to_beat_control`` (Evan Miller's closed
    form), the expected loss of choosing the control (``loss_choosing_control``) or the arm
    (``loss_choosing_arm``), and the posterior shapes. At least one posterior shape must be a
    whole number (an integer prior with counts)."""
    prior = _given(alpha=prior_alpha, beta=prior_beta)

    def columns(r: Dict[str, Any]) -> Dict[str, Any]:
        return {"chance_to_beat_control": r["chance_to_beat_a"], "loss_choosing_control": r["loss_choosing_a"],
                "loss_choosing_arm": r["loss_choosing_b"], "posterior_alpha": r["posterior_b"][0],
                "posterior_beta": r["posterior_b"][1], "posterior_alpha_control": r["posterior_a"][0],
                "posterior_beta_control": r["posterior_a"][1]}

    return _compare("beta_binomial", a, b, control, arm, True, lambda x, y: _cw.experiment_beta_binomial(x, y, prior),
                    columns)


class ChiSquare(NamedTuple):
    """The chi-square test of k arms (scipy's ``chi2_contingency(correction=False)``)."""

    statistic: float
    df: float
    p_value: float


def chisq(arms: Any, *, arm: str = "arm") -> ChiSquare:
    """The chi-square test that k conversion arms share one rate: ``arms`` is a table with a row
    per arm (``arm``, ``n``, ``successes``), a dict ``{name: arm}`` or a list of arms."""
    named, _ = _named_arms(arms, arm)
    return ChiSquare(*_cw.experiment_chi_square([_arm(n, x, True) for n, x in named]))


def proportion_effectsize(p1: float, p2: float) -> float:
    """Cohen's h, ``2 asin(sqrt(p1)) - 2 asin(sqrt(p2))`` (statsmodels' ``proportion_effectsize``)."""
    return _cw.experiment_proportion_effectsize(_frames.real("p1", p1), _frames.real("p2", p2))


def power(effect_size: Optional[float] = None, nobs1: Optional[float] = None, power: Optional[float] = None, *,
          p1: Optional[float] = None, p2: Optional[float] = None, alpha: Optional[float] = None,
          ratio: Optional[float] = None, alternative: str = "two_sided") -> float:
    """statsmodels' ``NormalIndPower().solve_power``: leave exactly one of ``effect_size``,
    ``nobs1`` (units in the first arm; the second has ``ratio * nobs1``) and ``power`` as ``None``
    and get it back (sample sizes unrounded, as statsmodels). ``p1`` and ``p2`` give the effect
    size of two conversion rates (Cohen's h, :func:`proportion_effectsize`). ``alpha`` defaults
    to 0.05, ``ratio`` to 1. For CUPED, pass ``cuped_effect_size(d, rho)`` as the effect size."""
    if p1 is not None or p2 is not None:
        if p1 is None or p2 is None or effect_size is not None:
            raise _cw.InvalidParameterError("invalid p1, p2: give both (and no effect_size)")
        effect_size = proportion_effectsize(p1, p2)
    unknown = [k for k, v in (("effect_size", effect_size), ("nobs1", nobs1), ("power", power)) if v is None]
    if len(unknown) != 1:
        raise _cw.InvalidParameterError(
            f"invalid {', '.join(unknown) or 'effect_size, nobs1, power'}: leave exactly one of effect_size, nobs1 and "
            "power as None (the one to solve for)")
    options = _given(alpha=alpha, ratio=ratio, alternative=_alternative(alternative))
    num = [None if v is None else _number(k, v) for k, v in (("effect_size", effect_size), ("nobs1", nobs1), ("power", power))]
    return _cw.experiment_power(unknown[0], num[0], num[1], num[2], options)


def cuped_effect_size(effect_size: float, rho: float) -> float:
    """The standardised effect a CUPED test sees for ``effect_size`` when the pre-period
    covariate correlates ``rho`` with the metric: ``d / sqrt(1 - rho^2)`` (feed it to :func:`power`)."""
    return _cw.experiment_cuped_effect_size(_frames.real("effect_size", effect_size), _frames.real("rho", rho))


_CUPED = ("n", "sum", "sum_squares", "pre_sum", "pre_sum_squares", "sum_products")


class Cuped:
    """CUPED-adjusted arms: :attr:`theta` (pooled ``cov(post, pre) / var(pre)``),
    :attr:`correlation`, :attr:`a` and :attr:`b` (``{"n", "mean", "variance",
    "unadjusted_mean"}``, arms every test takes), :attr:`table` (a row per arm), and
    :meth:`welch`, :meth:`bayes`, :meth:`sequential` on the adjusted arms."""

    def __init__(self, doc: Dict[str, Any]) -> None:
        self.theta = doc["theta"]
        self.correlation = doc["correlation"]
        self.a, self.b = doc["a"], doc["b"]
        self.table = _frames.frame(_frames.PANDAS, {
            "arm": ["a", "b"], **{k: [self.a.get(k), self.b.get(k)] for k in ("n", "mean", "variance", "unadjusted_mean")}})

    def welch(self, **options: Any) -> Comparison:
        """:func:`welch` of the adjusted arms."""
        return welch(self.a, self.b, **options)

    def bayes(self, **options: Any) -> Comparison:
        """:func:`bayes` of the adjusted arms."""
        return bayes(self.a, self.b, **options)

    def sequential(self, **options: Any) -> "ConfidenceSequence":
        """One look of :func:`sequential` with the adjusted arms."""
        return sequential(self.a, self.b, **options)

    def __repr__(self) -> str:
        return f"<Cuped theta={self.theta:.6g} correlation={self.correlation:.4f}>\n{self.table}"


def cuped(a: Mapping[str, float], b: Mapping[str, float]) -> Cuped:
    """CUPED with a pre-period covariate (gbstats' regression adjustment, one theta pooled over
    both arms): each arm is ``{"n", "sum", "sum_squares", "pre_sum", "pre_sum_squares",
    "sum_products"}`` (the metric, the same metric before the experiment, and their product)."""
    def arm(name: str, x: Mapping[str, float]) -> bytes:
        if not isinstance(x, Mapping):
            raise TypeError(f"{name}: expected a dict with {', '.join(_CUPED)}, got {type(x).__qualname__}")
        missing = [k for k in _CUPED if k not in x]
        if missing:
            raise _cw.InvalidParameterError(f"invalid {name}.{missing[0]}: missing (a CUPED arm has {', '.join(_CUPED)})")
        return np.asarray([_number(f"{name}.{k}", x[k]) for k in _CUPED], dtype=np.float64).tobytes()

    return Cuped(json.loads(_cw.experiment_cuped(arm("a", a), arm("b", b))))


class ConfidenceSequence:
    """An always-valid confidence sequence: :attr:`table`, a row per look (``look``, ``n``,
    ``n_control``, ``mean``, ``mean_control``, ``estimate``, ``std_error``, ``ci_lower``,
    ``ci_upper``, ``p_value``, ``significant``), valid however often it is looked at;
    :meth:`plot` draws it over the looks."""

    def __init__(self, table: Any, alpha: float, relative: bool) -> None:
        self.table = table
        self.alpha = alpha
        self.relative = relative

    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """The sequence over the looks (band), the estimate and 0. Returns the Axes."""
        from . import plot

        what = "relative" if self.relative else "absolute"
        ax = plot.confidence_sequence(self.table, ax=ax, title=title or f"{100 * (1 - self.alpha):g}% confidence sequence")
        ax.set_ylabel(f"{what} effect")
        return ax

    def __repr__(self) -> str:
        return f"<ConfidenceSequence looks={len(self)}>\n{self.table}"


def _looks(x: Any, role: str) -> Tuple[List[Any], Optional[List[Any]], str]:
    """The cumulative arm at each look, the look labels of a table's ``look`` column, the kind."""
    kind = _kind(x)
    if kind in (_frames.PANDAS, _frames.POLARS, _frames.ARROW) or (
            isinstance(x, Mapping) and any(isinstance(v, (list, tuple, np.ndarray)) for k, v in x.items() if k == "n")):
        cols = _frames.to_columns(x)
        labels = cols.pop("look", None)
        n = len(next(iter(cols.values()))) if cols else 0
        return [{c: cols[c][i] for c in cols} for i in range(n)], labels, (_frames.POLARS if kind == _frames.POLARS else _frames.PANDAS)
    if isinstance(x, Mapping):
        return [x], None, _frames.PANDAS
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, Mapping) for v in x):
        return list(x), None, _frames.PANDAS
    return [x], None, _frames.PANDAS  # raw values: one look


def sequential(a: Any, b: Any, *, alpha: Optional[float] = None, tuning: Optional[float] = None,
               relative: Optional[bool] = None, looks: Optional[Sequence[Any]] = None) -> ConfidenceSequence:
    """gbstats' always-valid confidence sequence (``SequentialTwoSidedTTest``: a Gaussian
    mixture tuned to ``tuning``, default 5000, the total sample size where it is tightest) of
    ``b`` against ``a``: peeking at every look keeps the error rate at ``alpha`` (default 0.05).
    ``a`` and ``b`` are one arm each, or the cumulative arm at each look: lists of arms, or
    tables with a row per look (and an optional ``look`` column, e.g. the date; ``looks=`` names
    them otherwise). The effect is relative unless ``relative=False``."""
    la, labels_a, kind = _looks(a, "a")
    lb, labels_b, _ = _looks(b, "b")
    if len(la) != len(lb):
        raise _cw.LengthMismatchError(f"length mismatch: b has {len(lb)} entries, expected {len(la)}")
    if labels_a is not None and labels_b is not None:  # pair the looks by label, not by row
        at = {}
        for role, labels_x in (("a", labels_a), ("b", labels_b)):
            seen: Dict[Any, int] = {}
            for i, t in enumerate(labels_x):
                if t in seen:
                    raise _cw.InvalidRecordError(f"invalid record at row {i}, column look: {json.dumps(str(t))} ({role} has this look at row {seen[t]} too)")
                seen[t] = i
            at[role] = seen
        missing = next((t for t in labels_a if t not in at["b"]), None)
        if missing is not None:
            raise _cw.InvalidParameterError(f"invalid b.look: {json.dumps(str(missing))} (a has this look and b has not; the arms need the same looks)")
        lb = [lb[at["b"][t]] for t in labels_a]
    labels = list(looks) if looks is not None else labels_a or labels_b or list(range(1, len(la) + 1))
    if len(labels) != len(la):
        raise _cw.LengthMismatchError(f"length mismatch: looks has {len(labels)} entries, expected {len(la)}")
    text = _given(alpha=alpha, tuning=tuning, relative=relative)
    rows = []
    for i, (x, y) in enumerate(zip(la, lb)):
        names = ("a", "b") if len(la) == 1 else (f"a[{i}]", f"b[{i}]")
        doc = json.loads(_cw.experiment_sequential(_arm(names[0], x, False), _arm(names[1], y, False), text))
        r = doc["result"]
        rows.append({"look": labels[i], "n": doc["b"]["n"], "n_control": doc["a"]["n"], "mean": doc["b"]["mean"],
                     "mean_control": doc["a"]["mean"], **{k: r[k] for k in _EFFECT}})
    a_ = 0.05 if alpha is None else alpha
    for r in rows:
        r["significant"] = r["p_value"] < a_
    table = _frames.frame(kind, {k: [r[k] for r in rows] for k in rows[0]})
    return ConfidenceSequence(table, a_, True if relative is None else relative)


class Bounds:
    """Group-sequential bounds: :attr:`table`, a row per look (``look``, ``information``, ``z``
    (reject when the z statistic is beyond it), ``nominal_alpha``, ``spent`` (alpha spent so
    far)); :meth:`plot`."""

    def __init__(self, doc: Dict[str, Any], two_sided: bool) -> None:
        self.two_sided = two_sided
        k = len(doc["z"])
        self.table = _frames.frame(_frames.PANDAS, {"look": list(range(1, k + 1)), "information": doc["information"],
                                                    "z": doc["z"], "nominal_alpha": doc["nominal_alpha"], "spent": doc["spent"]})

    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """The z bounds against the information fraction. Returns the Axes."""
        from . import plot

        return plot.bounds(self.table, self.two_sided, ax=ax, title=title or "group-sequential bounds")

    def __repr__(self) -> str:
        return f"<Bounds looks={len(self)}>\n{self.table}"


def group_sequential(information: Any, *, alpha: Optional[float] = None, two_sided: Optional[bool] = None,
                     spending: Any = "obrien_fleming", rho: Optional[float] = None) -> Bounds:
    """Lan-DeMets alpha-spending bounds at the planned looks' information fractions
    (increasing, in (0, 1]), as R's ``ldbounds`` and Spotify's ``confidence``: ``spending``
    ``"obrien_fleming"`` (O'Brien-Fleming-like, the default) or ``"power"`` (``alpha * t^rho``;
    ``rho=1`` is Pocock-like). ``alpha`` (default 0.05) is the total; two-sided bounds (the
    default) spend half on each side."""
    if isinstance(spending, str) and spending in ("obrien_fleming", "o_brien_fleming"):
        if rho is not None:
            raise _cw.InvalidParameterError(f"invalid rho: {rho!r} (only the power spending function takes rho)")
        spend: Any = "o_brien_fleming"
    elif spending == "power":
        spend = {"power": {"rho": rho}}
    elif isinstance(spending, Mapping):
        spend = dict(spending)
    else:
        raise _cw.InvalidParameterError(f'invalid spending: {spending!r} (expected "obrien_fleming" or "power")')
    text = _given(alpha=alpha, two_sided=two_sided, spending=spend)
    doc = json.loads(_cw.experiment_group_sequential(_frames.series("information", information), text))
    return Bounds(doc, True if two_sided is None else two_sided)


_U64 = 2**64


def _arm_name(role: str, x: Any) -> str:
    """An arm name: a string, or a whole number written as one (``TypeError`` naming ``role``
    for None, a float, a list ...: never ``"None"`` or ``"nan"`` as a name)."""
    if isinstance(x, (str, np.str_)):
        return str(x)
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return str(int(x))
    raise TypeError(f"{role}: expected an arm name (a string), got {type(x).__qualname__} {repr(x)[:60]}")


def _arm_names(role: str, xs: Any) -> List[str]:
    return [_arm_name(f"{role}[{i}]", x) for i, x in enumerate(_frames.items(role, xs))]


class Bandit:
    """A multi-armed or contextual bandit with seeded, serialisable state (the core's ``Bandit``).

    ============================ ====================================== ========== ===========
    ``policy``                   parameters (defaults)                  rewards    context
    ============================ ====================================== ========== ===========
    ``"thompson"``               ``alpha=1, beta=1`` (Beta prior)       [0, 1]     no
    ``"gaussian_thompson"``      ``mean=0, count=1, shape=1, rate=1``   any        no
    ``"ucb1"``                   ``alpha=1``                            any        no
    ``"epsilon_greedy"``         ``epsilon=0.1, decay=0``               any        no
    ``"softmax"``                ``tau=1``                              any        no
    ``"lin_ucb"``                ``dim`` (required), ``alpha=1, l2=1``  any        ``dim`` numbers
    ``"lin_thompson"``           ``dim``, ``alpha=1, l2=1``,            any        ``dim`` numbers
                                 ``shared_draw=False``
    ``"top_two_thompson"``       ``alpha=1, beta=1, leader=0.5,         [0, 1]     no
                                 floor=0``
    ============================ ====================================== ========== ===========

    ``discount`` in (0, 1] shrinks every arm's statistics at each reward (non-stationary arms);
    ``seed`` (0 to 2^64 - 1) fixes every decision: same seed, same arms and calls, same choices,
    in every binding. Rewards arrive whenever they do (:meth:`update`, :meth:`update_batch`),
    credited to their arm. :meth:`to_json` is the core's state document, which
    :meth:`from_json` (and the JS ``Bandit.fromJson``) resumes bit for bit; pickling uses it.
    """

    def __init__(self, policy: Any = "thompson", arms: Sequence[str] = (), seed: int = 0, discount: float = 1.0,
                 **params: Any) -> None:
        if isinstance(policy, Mapping):
            params = {**{k: v for k, v in policy.items() if k != "name"}, **params}
            policy = policy.get("name")
        if not isinstance(policy, str):
            raise _cw.InvalidParameterError(f"invalid policy: {policy!r} (expected a policy name)")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise _cw.InvalidParameterError(f"invalid seed: {seed!r} (expected a whole number)")
        if not 0 <= int(seed) < _U64:
            raise _cw.OutOfRangeError(f"seed must be in [0, {_U64 - 1}], got {seed}")
        self._b = _cw.Bandit(policy, _frames.json_text("params", params), _arm_names("arms", arms), int(seed),
                             _number("discount", discount))

    @classmethod
    def _of(cls, native: Any) -> "Bandit":
        b = cls.__new__(cls)
        b._b = native
        return b

    @staticmethod
    def _context(context: Any) -> Optional[List[float]]:
        if context is None:
            return None
        return np.frombuffer(_frames.series("context", context), dtype=np.float64).tolist()

    @staticmethod
    def _available(available: Optional[Sequence[str]]) -> Optional[List[str]]:
        return None if available is None else _arm_names("available", available)

    def choose(self, context: Any = None, available: Optional[Sequence[str]] = None) -> str:
        """The arm for the next decision, among ``available`` (default every arm); linear
        policies need the decision's ``context`` (``dim`` numbers)."""
        return self._b.choose(self._context(context), self._available(available))

    def update(self, arm: str, reward: float, context: Any = None) -> None:
        """Credits ``reward`` to ``arm`` (with its decision's ``context`` for the linear policies);
        a Bernoulli policy takes rewards in [0, 1]."""
        self._b.update(_arm_name("arm", arm), _number("reward", reward), self._context(context))

    def update_batch(self, arms: Any, rewards: Any = None, contexts: Any = None, *, arm: str = "arm",
                     reward: str = "reward", context: str = "context") -> None:
        """Credits many rewards at once, all checked before any is applied (a batch equals the
        same rewards one by one): ``arms`` and ``rewards`` as sequences (``contexts`` a 2-D
        array, a row per reward), or one table (DataFrame or dict of columns) with columns
        ``arm``, ``reward`` and, for the linear policies, ``context`` (a list per row)."""
        if rewards is None:
            if _kind(arms) is None:
                raise TypeError("update_batch: give rewards, or one table with arm and reward columns")
            cols = _frames.to_columns(arms)
            for c in (arm, reward):
                if c not in cols:
                    raise _cw.InvalidParameterError(f"invalid {c}: no such column (columns are {list(cols)})")
            arms, rewards, contexts = cols[arm], cols[reward], cols.get(context, contexts)
        names = _arm_names("arms", arms)
        ctx = None
        if contexts is not None:
            try:
                x = np.asarray(contexts, dtype=np.float64)
            except (TypeError, ValueError):  # ragged rows, or a row that is not numbers
                raise TypeError("contexts: expected a 2-D array of numbers (a row per reward, each of dim numbers)") from None
            if x.ndim != 2:
                raise TypeError(f"contexts: expected a 2-D array (a row per reward), got shape {x.shape}")
            ctx = np.ascontiguousarray(x).tobytes()
        self._b.update_batch(names, _frames.series("rewards", rewards), ctx)

    def weights(self, context: Any = None, available: Optional[Sequence[str]] = None, draws: int = 10_000) -> Any:
        """Each available arm's probability of the next decision: a DataFrame with ``arm`` and
        ``weight`` (exact for UCB1, epsilon-greedy, softmax and LinUCB; for the Thompson policies
        the share of ``draws`` simulated decisions, 1 to 10,000,000, on a second stream that
        leaves the decisions untouched; top-two Thompson never below its ``floor``)."""
        if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 0 <= int(draws) < _U64:
            raise _cw.OutOfRangeError(f"draws must be a whole number in [1, 10000000], got {draws!r}")
        names, w = self._b.weights(self._context(context), self._available(available), int(draws))
        return _frames.frame(_frames.PANDAS, {"arm": names, "weight": w})

    def summary(self) -> Any:
        """A DataFrame with every arm's (discounted) reward ``count`` and ``mean``."""
        names, counts, means = self._b.summary()
        return _frames.frame(_frames.PANDAS, {"arm": names, "count": counts, "mean": means})

    def add_arm(self, arm: str) -> None:
        """Adds an arm with no rewards yet."""
        self._b.add_arm(_arm_name("arm", arm))

    def remove_arm(self, arm: str) -> None:
        """Removes an arm and its statistics."""
        self._b.remove_arm(_arm_name("arm", arm))

    @property
    def arms(self) -> List[str]:
        """The arms, in order."""
        return self._b.arms

    @property
    def policy(self) -> Dict[str, Any]:
        """The policy and its parameters, as the core's JSON (``{"name": "beta_thompson", "alpha": 1.0, ...}``)."""
        return json.loads(self._b.policy)

    @property
    def discount(self) -> float:
        return self._b.discount

    @property
    def decisions(self) -> int:
        """Decisions made so far."""
        return self._b.decisions

    @property
    def updates(self) -> int:
        """Rewards taken so far."""
        return self._b.updates

    def to_json(self) -> str:
        """The state (policy, arms' statistics, the random stream's position) as the core's JSON
        document, which every binding reads."""
        return self._b.to_json()

    @classmethod
    def from_json(cls, text: str) -> "Bandit":
        """A bandit from :meth:`to_json`'s text (from any binding), resuming bit for bit."""
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8")
        return cls._of(_cw.Bandit.from_json(text))

    def __reduce__(self) -> Any:
        return (Bandit.from_json, (self.to_json(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bandit) and self._b == other._b

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Bandit(policy={self.policy['name']!r}, arms={self.arms}, decisions={self.decisions}, "
                f"updates={self.updates})")
