"""Customer lifetime value: buy-till-you-die models of repeat purchasing (:class:`BetaGeo`,
:class:`ModifiedBetaGeo`, :class:`ParetoNbd`; :class:`BetaGeoBetaBinom` at discrete
opportunities), spend per transaction (:class:`GammaGamma`), contractual retention
(:class:`ShiftedBetaGeo`) and the RFM summary they are fitted on (:func:`rfm`,
:func:`calibration_and_holdout`), with Fader and Hardie's parameter names and lifetimes' column
names: ``frequency`` (repeat purchases), ``recency`` (time of the last purchase since the first),
``T`` (age), ``monetary_value`` (mean repeat spend), in the time unit you chose.

Fits are exact maximum likelihood (analytic gradients, L-BFGS then Newton), with standard errors
from the observed information; customers sharing a history are fitted as one weighted row.

>>> import channelwise as cw
>>> df = {"frequency": [0, 1, 4, 2, 0, 7], "recency": [0, 5, 30, 12, 0, 35], "T": [38, 38, 38, 36, 30, 37]}
>>> fit = cw.clv.BetaGeo().fit(df)
>>> sorted(fit.params)
['a', 'alpha', 'b', 'r']
>>> bool(0 < fit.p_alive(4, 30, 38)[0] <= 1)
True

================== ======= ======================================================== =======
Name               Default Meaning                                                  Range
================== ======= ======================================================== =======
``max_iter``       2000    L-BFGS iterations before the Newton polish               ``>= 1``
``collapse``       True    fit customers sharing ``(frequency, recency, T)`` as one
                           row
``penalizer_coef`` 0.0     lifetimes' L2 penalty on the parameters (below)          ``>= 0``
================== ======= ======================================================== =======

``penalizer_coef`` is lifetimes': the fit minimises the mean negative log-likelihood plus
``penalizer_coef`` times the sum of the squared parameters, with ``alpha`` (and Pareto/NBD's
``beta``) in units of the largest ``T`` as lifetimes fits them; Pareto/NBD divides the total by
the mean weight instead, as lifetimes does. It keeps the parameters finite where the likelihood
alone has no maximum (customers who hardly differ, a fit that raises
:class:`NotConvergedError`). ``log_likelihood`` stays the data's; the standard errors are the
penalised curvature. The same numbers as ``lifetimes.BetaGeoFitter(penalizer_coef=...)``.

Predictions take columns (numpy arrays, lists, pandas or polars Series, or scalars) or, in
place of ``frequency``, a DataFrame with the columns named ``frequency``, ``recency``, ``T``
(and ``monetary_value``); pandas in gives a pandas Series on the input's index, polars a polars
Series, anything else a numpy array. A model at known parameters (a published table, another
tool's fit) is :class:`BetaGeoParams` and friends: the same predictions without a fit.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _channelwise as _cw
from . import _frames

__all__ = [
    "BetaGeo",
    "BetaGeoParams",
    "FittedBetaGeo",
    "ModifiedBetaGeo",
    "ModifiedBetaGeoParams",
    "FittedModifiedBetaGeo",
    "BetaGeoBetaBinom",
    "BetaGeoBetaBinomParams",
    "FittedBetaGeoBetaBinom",
    "ParetoNbd",
    "ParetoNbdParams",
    "FittedParetoNbd",
    "GammaGamma",
    "GammaGammaParams",
    "FittedGammaGamma",
    "ShiftedBetaGeo",
    "ShiftedBetaGeoParams",
    "FittedShiftedBetaGeo",
    "rfm",
    "calibration_and_holdout",
    "ln_hyp2f1",
]

_TABLE_KINDS = (_frames.PANDAS, _frames.POLARS, _frames.ARROW, _frames.MAPPING)


def _table_kind(x: Any) -> Optional[str]:
    """The kind of a table, or None for a series, array, list or scalar. Records (a list of
    dicts) are a table, read as ``pd.DataFrame(records)`` reads them (see :class:`_Columns`)."""
    if isinstance(x, list) and x and isinstance(x[0], Mapping):
        return _frames.MAPPING
    if isinstance(x, (list, tuple, np.ndarray, int, float, np.integer, np.floating)):
        return None
    t = type(x)
    if t.__module__.split(".")[0] in ("pandas", "polars") and t.__name__ in ("Series", "Index"):
        return None
    try:
        kind = _frames.kind_of(x)
    except TypeError:
        return None
    return kind if kind in _TABLE_KINDS else None


class _Columns:
    """Columns handed to the compiled module, and how to give results back: a Series on the
    input's index (pandas), a polars Series, or a numpy array."""

    def __init__(self, roles: Sequence[str], values: Sequence[Any], table: Any = None) -> None:
        self.bytes: Dict[str, bytes] = {}
        self.kind = _frames.PANDAS
        self.index: Any = None
        kind = _table_kind(table) if table is not None else None
        if isinstance(table, list) and kind is not None:  # records: as the pandas frame they make
            import pandas as pd

            table, kind = pd.DataFrame(_frames.table(table, "data")[0]), _frames.PANDAS
        if kind is not None:
            for role, name in zip(roles, values):
                self.bytes[role] = _frames.floats(table, kind, role, name)
            self.kind = _frames.POLARS if kind == _frames.POLARS else _frames.PANDAS
            self.index = table.index if kind == _frames.PANDAS else None
            self.numpy = kind not in (_frames.PANDAS, _frames.POLARS)
            return
        first: Optional[_frames.SeriesInput] = None
        for role, v in zip(roles, values):
            if v is None:
                raise TypeError(f"{role}: a column is required")
            if np.isscalar(v) and not isinstance(v, (str, bytes)):
                v = [v]
            s = _frames.SeriesInput(role, v)
            self.bytes[role] = s.data
            if first is None:
                first = s
        assert first is not None
        self.kind, self.index = first.kind, first.index
        t = type(values[0])
        self.numpy = t.__module__.split(".")[0] not in ("pandas", "polars")

    def wrap(self, data: bytes, name: str) -> Any:
        arr = np.frombuffer(data, dtype=np.float64)
        if self.numpy:
            return arr
        if self.kind == _frames.POLARS:
            import polars as pl

            return pl.Series(name, arr)
        import pandas as pd

        return pd.Series(arr, index=self.index, name=name)


def _column(role: str, v: Any) -> str:
    """The column of ``role`` in a table: ``v`` when it names one, ``role`` when not given; data
    beside a table is a ``TypeError`` (it was ignored, and the table's column used)."""
    if v is None:
        return role
    if not isinstance(v, str):
        raise TypeError(f"{role}: with a table, expected a column name (str) or None, got {type(v).__qualname__}")
    return v


def _histories(frequency: Any, recency: Any, T: Any) -> _Columns:
    if _table_kind(frequency) is not None:
        names = ("frequency", _column("recency", recency), _column("T", T))
        return _Columns(("frequency", "recency", "T"), names, table=frequency)
    return _Columns(("frequency", "recency", "T"), (frequency, recency, T))


def _count(role: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
        raise _cw.InvalidParameterError(f"invalid {role} = {v!r}: expected a whole number >= 1")
    return int(v)


def _fit_columns(data: Any, roles: Sequence[str], names: Sequence[Any], weights: Any) -> Tuple[Dict[str, bytes], Optional[bytes]]:
    data, kind = _frames.table(data, "data", [(weights, 1.0)])
    cols = {role: _frames.floats(data, kind, role, name) for role, name in zip(roles, names)}
    w = None if weights is None else _frames.floats(data, kind, "weights", weights)
    return cols, w


def _grid_of(cols: Dict[str, bytes]) -> Dict[str, float]:
    f = np.frombuffer(cols["frequency"], dtype=np.float64)
    t = np.frombuffer(cols["T"], dtype=np.float64)
    return {"max_frequency": float(f.max()), "max_T": float(t.max())}


class _Spec:
    _model = ""

    def __init__(self, max_iter: int = 2000, collapse: bool = True, penalizer_coef: float = 0.0) -> None:
        self.max_iter = _count("max_iter", max_iter)
        self.collapse = bool(collapse)
        self.penalizer_coef = _frames.real("penalizer_coef", penalizer_coef)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_iter={self.max_iter!r}, collapse={self.collapse!r}, penalizer_coef={self.penalizer_coef!r})"


# ---- purchase models ---------------------------------------------------------------------------


class _PurchaseParams:
    """Predictions of a repeat-purchase model at its parameters."""

    _model = ""
    _names: Tuple[str, ...] = ()

    def __init__(self, **params: float) -> None:
        missing = [k for k in self._names if k not in params]
        extra = [k for k in params if k not in self._names]
        if missing or extra:
            raise _cw.InvalidParameterError(
                f"invalid parameters {sorted(params)!r}: expected {list(self._names)!r}"
            )
        self._p = [_frames.real(k, params[k]) for k in self._names]
        _cw.clv_check_params(self._model, self._p)  # a bad parameter raises here

    @property
    def params(self) -> Dict[str, float]:
        """The parameters by Fader and Hardie's names."""
        return dict(zip(self._names, self._p))

    def p_alive(self, frequency: Any, recency: Any = None, T: Any = None) -> Any:
        """Probability that each customer is still alive given her history (1 for frequency 0).

        Raises :class:`OutOfRangeError` for recency outside ``[0, T]`` or a negative
        frequency, :class:`InvalidParameterError` for a fractional frequency or frequency 0 with
        recency > 0, :class:`NonFiniteError` naming the column and row (``recency[3]``)."""
        c = _histories(frequency, recency, T)
        b = c.bytes
        return c.wrap(_cw.clv_p_alive(self._model, self._p, b["frequency"], b["recency"], b["T"]), "p_alive")

    def expected_purchases(self, t: float, frequency: Any, recency: Any = None, T: Any = None) -> Any:
        """Expected repeat purchases of each customer in the next ``t`` time units given her
        history (lifetimes' ``conditional_expected_number_of_purchases_up_to_time``)."""
        c = _histories(frequency, recency, T)
        b = c.bytes
        data = _cw.clv_expected_purchases(self._model, self._p, _frames.real("t", t), b["frequency"], b["recency"], b["T"])
        return c.wrap(data, "expected_purchases")

    def expected_purchases_unconditional(self, t: Any) -> Any:
        """Expected repeat purchases of a new customer in ``t`` time units (a number, or an
        array for a sequence of ``t``)."""
        if np.isscalar(t):
            return _cw.clv_expected_purchases_unconditional(self._model, self._p, _frames.real("t", t))
        return np.array([_cw.clv_expected_purchases_unconditional(self._model, self._p, _frames.real(f"t[{i}]", x)) for i, x in enumerate(t)])

    def log_likelihood_of(self, frequency: Any, recency: Any = None, T: Any = None, weights: Any = None) -> float:
        """The log-likelihood of these histories at the parameters (weighted sum)."""
        c = _histories(frequency, recency, T)
        b = c.bytes
        w = None if weights is None else _frames.series("weights", weights)
        return _cw.clv_log_likelihood(self._model, self._p, b["frequency"], b["recency"], b["T"], w)

    def plot(self, max_frequency: Optional[int] = None, max_T: Optional[float] = None, t: float = 1.0, title: Optional[str] = None) -> Any:
        """P(alive) and expected purchases in the next ``t`` heatmaps by frequency (rows) and
        recency (columns) for customers of age ``max_T`` (lifetimes'
        ``plot_probability_alive_matrix`` and ``plot_frequency_recency_matrix``). The defaults
        are the largest frequency and age of the data fitted. Returns the matplotlib Figure."""
        grid = getattr(self, "_grid", None) or {}
        mf = grid.get("max_frequency") if max_frequency is None else max_frequency
        mt = grid.get("max_T") if max_T is None else max_T
        if mf is None or mt is None:
            raise _cw.InvalidParameterError("invalid plot grid: give max_frequency and max_T (no fitted data to take them from)")
        return _heatmaps(self, int(mf), float(mt), float(t), title)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
        return f"{type(self).__name__}({inner})"


class _BetaGeoFamily(_PurchaseParams):
    """What BG/NBD and MBG/NBD share: their parameters and the distribution of purchases."""

    _names = ("r", "alpha", "a", "b")

    def probability_of_purchases(self, n: Any, t: float) -> Any:
        """Probability that a new customer makes exactly ``n`` repeat purchases in ``t`` time
        units (lifetimes' ``probability_of_n_purchases_up_to_time``); an array for a sequence
        of ``n``."""
        if n is None or np.isscalar(n):
            return _cw.clv_probability_of_purchases(self._model, self._p, _whole("n", n), _frames.real("t", t))
        return np.array([_cw.clv_probability_of_purchases(self._model, self._p, _whole(f"n[{i}]", k), float(t))
                         for i, k in enumerate(_frames.items("n", n))])


class BetaGeoParams(_BetaGeoFamily):
    """The BG/NBD model at parameters ``r, alpha`` (Gamma purchase rate) and ``a, b`` (Beta
    dropout probability): ``BetaGeoParams(r=0.243, alpha=4.414, a=0.793, b=2.426)``."""

    _model = "bg_nbd"


class ModifiedBetaGeoParams(_BetaGeoFamily):
    """The MBG/NBD model (Batislam, Denizel & Filiztekin 2007; lifetimes'
    ``ModifiedBetaGeoFitter``) at parameters ``r, alpha`` (Gamma purchase rate) and ``a, b``
    (Beta dropout probability, at the first purchase too, so P(alive) is below 1 also for
    frequency 0)."""

    _model = "mbg_nbd"


class ParetoNbdParams(_PurchaseParams):
    """The Pareto/NBD model at parameters ``r, alpha`` (Gamma purchase rate) and ``s, beta``
    (Gamma dropout rate)."""

    _model = "pareto_nbd"
    _names = ("r", "alpha", "s", "beta")


def _whole(role: str, v: Any) -> int:
    """A count the compiled module takes as a 32-bit unsigned integer."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
        raise _cw.InvalidParameterError(f"invalid {role} = {v!r}: expected a whole number >= 0")
    if v > 2**32 - 1:
        raise _cw.OutOfRangeError(f"{role} must be in [0, 4294967295], got {v}")
    return int(v)


class _Fitted:
    """What every fitted CLV model has: standard errors, log-likelihood, diagnostics, JSON (the
    parameter class after it in the bases gives ``_model``, ``_names`` and the predictions)."""

    _model: str
    _names: Tuple[str, ...]

    def _load(self, doc: Dict[str, Any], grid: Optional[Dict[str, float]]) -> None:
        self._doc = doc
        self._grid = grid
        self._p = [float(doc["params"][k]) for k in self._names]

    @property
    def std_errors(self) -> Dict[str, float]:
        """Standard errors of the parameters (inverse observed information; ``inf`` where it is
        singular)."""
        return {k: float(self._doc["std_errors"][k]) for k in self._names}

    @property
    def log_likelihood(self) -> float:
        """The maximised log-likelihood (sum over customers; the data's, without the penalty of a
        ``penalizer_coef``)."""
        return float(self._doc["log_likelihood"])

    @property
    def diagnostics(self) -> Dict[str, Any]:
        """How the fit ended: ``lbfgs_iterations``, ``newton_iterations``, ``grad_norm``,
        ``rows`` (distinct histories fitted), ``total_weight`` (customers)."""
        return dict(self._doc["diagnostics"])

    def summary(self) -> Any:
        """A DataFrame (pandas) of the parameters: ``param``, ``estimate``, ``std_error``."""
        return _frames.frame(
            _frames.PANDAS,
            {"param": list(self._names), "estimate": self._p, "std_error": [self.std_errors[k] for k in self._names]},
        )

    def to_json(self) -> str:
        """The fitted model as JSON (the core's form inside ``{"model", "fitted"}``, the
        document JS's ``toJSON()`` writes); :meth:`from_json` restores it bit for bit."""
        doc: Dict[str, Any] = {"model": f"channelwise.clv.{type(self).__name__}", "fitted": self._doc}
        if self._grid is not None:
            doc["grid"] = self._grid
        return json.dumps(doc)

    @classmethod
    def from_json(cls, text: str) -> Any:
        """Restores a model written by :meth:`to_json` (here or in JS); a damaged document
        raises :class:`InvalidParameterError`."""
        d = _frames.stored_model(text, f"channelwise.clv.{cls.__name__}", cls.__name__)
        fitted = json.loads(_cw.clv_load(cls._model, json.dumps(d["fitted"])))
        grid = d.get("grid")
        if grid is not None and not (
            isinstance(grid, dict) and all(isinstance(grid.get(k), (int, float)) for k in ("max_frequency", "max_T"))
        ):
            raise _cw.InvalidParameterError("invalid json: the stored plot grid")
        obj = cls.__new__(cls)
        obj._load(fitted, grid)
        return obj

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.6g}" for k, v in zip(self._names, self._p))
        return f"{type(self).__name__}({inner}, log_likelihood={self.log_likelihood:.6g})"


class FittedBetaGeo(_Fitted, BetaGeoParams):
    """A fitted BG/NBD model: ``params``, ``std_errors``, ``log_likelihood``, ``diagnostics``
    and every prediction of :class:`BetaGeoParams`."""


class FittedModifiedBetaGeo(_Fitted, ModifiedBetaGeoParams):
    """A fitted MBG/NBD model: ``params``, ``std_errors``, ``log_likelihood``, ``diagnostics``
    and every prediction of :class:`ModifiedBetaGeoParams`."""


class FittedParetoNbd(_Fitted, ParetoNbdParams):
    """A fitted Pareto/NBD model: ``params``, ``std_errors``, ``log_likelihood``,
    ``diagnostics`` and every prediction of :class:`ParetoNbdParams`."""


class _PurchaseSpec(_Spec):
    _fitted: Any = None

    def fit(
        self,
        data: Any,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        weights: Optional[str] = None,
    ) -> Any:
        """Fits to a table (pandas, polars, pyarrow, a dict of columns or records) of customers'
        ``frequency``, ``recency`` and ``T`` (column names by keyword), with an optional
        ``weights`` column (customers per row).

        Raises :class:`OutOfRangeError` (negative frequency, recency outside ``[0, T]``),
        :class:`InvalidParameterError` (fractional frequency; frequency 0 with recency > 0; a
        missing column), :class:`NonFiniteError`, :class:`LengthMismatchError`, each naming the
        column and row; :class:`NotEnoughDataError` for no customers or none with a repeat purchase;
        :class:`NotConvergedError` when the likelihood has no interior maximum (customers who
        all buy at one rate, say; its message names where the fit ended)."""
        cols, w = _fit_columns(data, ("frequency", "recency", "T"), (frequency, recency, T), weights)
        text = _cw.clv_purchases_fit(
            self._model, cols["frequency"], cols["recency"], cols["T"], w, self.max_iter, self.collapse, self.penalizer_coef
        )
        obj = self._fitted.__new__(self._fitted)
        obj._load(json.loads(text), _grid_of(cols))
        return obj


class BetaGeo(_PurchaseSpec):
    """The BG/NBD model (Fader, Hardie & Lee 2005); :meth:`fit` returns a :class:`FittedBetaGeo`."""

    _model = "bg_nbd"
    _fitted = FittedBetaGeo


class ModifiedBetaGeo(_PurchaseSpec):
    """The MBG/NBD model (Batislam, Denizel & Filiztekin 2007): BG/NBD where a customer may also
    drop out right after her first purchase, lifetimes' ``ModifiedBetaGeoFitter``; :meth:`fit`
    returns a :class:`FittedModifiedBetaGeo`."""

    _model = "mbg_nbd"
    _fitted = FittedModifiedBetaGeo


class ParetoNbd(_PurchaseSpec):
    """The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987); :meth:`fit` returns a
    :class:`FittedParetoNbd`."""

    _model = "pareto_nbd"
    _fitted = FittedParetoNbd


# ---- BG/BB -------------------------------------------------------------------------------------


def _periods(frequency: Any, recency: Any, n_periods: Any) -> _Columns:
    roles = ("frequency", "recency", "n_periods")
    if _table_kind(frequency) is not None:
        names = ("frequency", _column("recency", recency), _column("n_periods", n_periods))
        return _Columns(roles, names, table=frequency)
    return _Columns(roles, (frequency, recency, n_periods))


class BetaGeoBetaBinomParams:
    """The BG/BB model (Fader, Hardie & Shang 2010) at parameters ``alpha, beta`` (Beta
    transaction probability per opportunity while alive) and ``gamma, delta`` (Beta dropout
    probability per opportunity): ``BetaGeoBetaBinomParams(1.204, 0.750, 0.657, 2.783)``.

    Histories are lifetimes' ``frequency`` (transactions after the first), ``recency`` (the
    opportunity of the last one) and ``n_periods`` (opportunities after the first), as columns or
    a DataFrame with those columns."""

    _model = "bg_bb"
    _names = ("alpha", "beta", "gamma", "delta")

    def __init__(self, alpha: float, beta: float, gamma: float, delta: float) -> None:
        self._p = [_frames.real(k, v) for k, v in (("alpha", alpha), ("beta", beta), ("gamma", gamma), ("delta", delta))]
        _cw.clv_check_params(self._model, self._p)

    @property
    def params(self) -> Dict[str, float]:
        """The parameters by Fader, Hardie and Shang's names."""
        return dict(zip(self._names, self._p))

    def p_alive(self, frequency: Any, recency: Any = None, n_periods: Any = None, m_periods: int = 0) -> Any:
        """Probability that each customer is alive at opportunity ``n_periods + m_periods``
        (lifetimes' ``conditional_probability_alive``; ``m_periods = 0``: alive now)."""
        c = _periods(frequency, recency, n_periods)
        b = c.bytes
        data = _cw.clv_bg_bb_predict("p_alive", self._p, _whole("m_periods", m_periods), b["frequency"], b["recency"], b["n_periods"])
        return c.wrap(data, "p_alive")

    def expected_purchases(self, m_periods: int, frequency: Any, recency: Any = None, n_periods: Any = None) -> Any:
        """Expected transactions of each customer in the next ``m_periods`` opportunities given
        her history (lifetimes' ``conditional_expected_number_of_purchases_up_to_time``)."""
        c = _periods(frequency, recency, n_periods)
        b = c.bytes
        data = _cw.clv_bg_bb_predict("expected_purchases", self._p, _whole("m_periods", m_periods), b["frequency"], b["recency"], b["n_periods"])
        return c.wrap(data, "expected_purchases")

    def expected_purchases_unconditional(self, n_periods: Any) -> Any:
        """Expected transactions of a new customer in her first ``n_periods`` opportunities
        (eq. 9; an array for a sequence)."""
        if np.isscalar(n_periods):
            return _cw.clv_bg_bb_new_customer("unconditional", self._p, 0, _whole("n_periods", n_periods))
        return np.array([_cw.clv_bg_bb_new_customer("unconditional", self._p, 0, _whole(f"n_periods[{i}]", k))
                         for i, k in enumerate(_frames.items("n_periods", n_periods))])

    def probability_of_purchases(self, x: Any, n_periods: int) -> Any:
        """Probability that a new customer makes exactly ``x`` transactions in her first
        ``n_periods`` opportunities (eq. 7; an array for a sequence of ``x``)."""
        n = _whole("n_periods", n_periods)
        if x is None or np.isscalar(x):
            return _cw.clv_bg_bb_new_customer("probability", self._p, _whole("x", x), n)
        return np.array([_cw.clv_bg_bb_new_customer("probability", self._p, _whole(f"x[{i}]", k), n)
                         for i, k in enumerate(_frames.items("x", x))])

    def log_likelihood_of(self, frequency: Any, recency: Any = None, n_periods: Any = None, weights: Any = None) -> float:
        """The log-likelihood of these histories at the parameters (weighted sum)."""
        c = _periods(frequency, recency, n_periods)
        b = c.bytes
        w = None if weights is None else _frames.series("weights", weights)
        return _cw.clv_log_likelihood(self._model, self._p, b["frequency"], b["recency"], b["n_periods"], w)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
        return f"{type(self).__name__}({inner})"


class FittedBetaGeoBetaBinom(_Fitted, BetaGeoBetaBinomParams):
    """A fitted BG/BB model: ``params``, ``std_errors``, ``log_likelihood``, ``diagnostics``
    and every prediction of :class:`BetaGeoBetaBinomParams`."""


class BetaGeoBetaBinom(_Spec):
    """The BG/BB model (Fader, Hardie & Shang 2010; lifetimes' ``BetaGeoBetaBinomFitter``) of
    transactions at discrete opportunities; :meth:`fit` returns a
    :class:`FittedBetaGeoBetaBinom`."""

    _model = "bg_bb"

    def fit(self, data: Any, frequency: str = "frequency", recency: str = "recency", n_periods: str = "n_periods", weights: Optional[str] = None) -> FittedBetaGeoBetaBinom:
        """Fits to a table (pandas, polars, pyarrow, a dict of columns or records) of customers'
        ``frequency``, ``recency`` and ``n_periods`` (column names by keyword), with an
        optional ``weights`` column (customers per row).

        Raises :class:`OutOfRangeError` (a negative count, recency above ``n_periods``),
        :class:`InvalidParameterError` (a fractional count, frequency above recency, frequency 0
        with recency > 0), :class:`NonFiniteError`, :class:`LengthMismatchError`, each naming the
        column and row; :class:`NotEnoughDataError` without a repeat transaction;
        :class:`NotConvergedError` without an interior maximum."""
        cols, w = _fit_columns(data, ("frequency", "recency", "n_periods"), (frequency, recency, n_periods), weights)
        text = _cw.clv_purchases_fit(self._model, cols["frequency"], cols["recency"], cols["n_periods"], w, self.max_iter, self.collapse, self.penalizer_coef)
        obj = FittedBetaGeoBetaBinom.__new__(FittedBetaGeoBetaBinom)
        obj._load(json.loads(text), None)
        return obj


# ---- Gamma-Gamma -------------------------------------------------------------------------------


class GammaGammaParams:
    """The Gamma-Gamma spend model at parameters ``p, q, v``."""

    _model = "gamma_gamma"
    _names = ("p", "q", "v")

    def __init__(self, p: float, q: float, v: float) -> None:
        self._p = [_frames.real(k, x) for k, x in (("p", p), ("q", q), ("v", v))]
        _cw.clv_check_params(self._model, self._p)

    @property
    def params(self) -> Dict[str, float]:
        """The parameters by name."""
        return dict(zip(self._names, self._p))

    def _spend_cols(self, frequency: Any, monetary_value: Any) -> _Columns:
        if _table_kind(frequency) is not None:
            return _Columns(("frequency", "monetary_value"), ("frequency", _column("monetary_value", monetary_value)), table=frequency)
        return _Columns(("frequency", "monetary_value"), (frequency, monetary_value))

    def expected_spend(self, frequency: Any, monetary_value: Any = None) -> Any:
        """Expected spend per transaction of each customer given her repeat purchases and their
        mean value (lifetimes' ``conditional_expected_average_profit``; the population mean for
        frequency 0). Raises :class:`OutOfRangeError` for ``q <= 1``."""
        c = self._spend_cols(frequency, monetary_value)
        return c.wrap(_cw.clv_expected_spend(self._p, c.bytes["frequency"], c.bytes["monetary_value"]), "expected_spend")

    def clv(
        self,
        model: _PurchaseParams,
        frequency: Any,
        recency: Any = None,
        T: Any = None,
        monetary_value: Any = None,
        months: int = 12,
        discount_rate: float = 0.01,
        freq: str = "D",
    ) -> Any:
        """Discounted customer lifetime value over ``months`` months with purchase model
        ``model`` (a fitted or given BG/NBD or Pareto/NBD), lifetimes'
        ``customer_lifetime_value``: ``freq`` is the model's time unit (``"H"``, ``"D"``,
        ``"W"``, ``"M"``), ``discount_rate`` per month."""
        if not isinstance(model, _PurchaseParams):
            raise TypeError(f"model: expected a BG/NBD or Pareto/NBD model, got {type(model).__qualname__}")
        if _table_kind(frequency) is not None:
            roles = ("frequency", "recency", "T", "monetary_value")
            c = _Columns(roles, ["frequency"] + [_column(r, v) for r, v in zip(roles[1:], (recency, T, monetary_value))], table=frequency)
        else:
            c = _Columns(("frequency", "recency", "T", "monetary_value"), (frequency, recency, T, monetary_value))
        b = c.bytes
        data = _cw.clv_customer_lifetime_value(
            self._p, model._model, model._p, b["frequency"], b["recency"], b["T"], b["monetary_value"],
            _whole("months", months), _frames.real("discount_rate", discount_rate), freq,
        )
        return c.wrap(data, "clv")

    customer_lifetime_value = clv

    def __repr__(self) -> str:
        return "GammaGammaParams(" + ", ".join(f"{k}={v:.6g}" for k, v in self.params.items()) + ")"


class FittedGammaGamma(_Fitted, GammaGammaParams):
    """A fitted Gamma-Gamma model: ``params``, ``std_errors``, ``log_likelihood``,
    ``diagnostics``, :meth:`expected_spend` and :meth:`clv`."""


class GammaGamma(_Spec):
    """The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b); :meth:`fit`
    returns a :class:`FittedGammaGamma`."""

    def fit(
        self,
        data: Any,
        frequency: str = "frequency",
        monetary_value: str = "monetary_value",
        weights: Optional[str] = None,
    ) -> FittedGammaGamma:
        """Fits to repeat buyers' ``frequency`` and mean repeat spend ``monetary_value`` (rows
        with frequency 0 are ignored). Raises :class:`OutOfRangeError` for a repeat buyer with
        zero or negative spend (``monetary_value[4]``)."""
        cols, w = _fit_columns(data, ("frequency", "monetary_value"), (frequency, monetary_value), weights)
        text = _cw.clv_gamma_gamma_fit(cols["frequency"], cols["monetary_value"], w, self.max_iter, self.collapse, self.penalizer_coef)
        obj = FittedGammaGamma.__new__(FittedGammaGamma)
        obj._load(json.loads(text), None)
        return obj


# ---- shifted-beta-geometric ----------------------------------------------------------------------


class ShiftedBetaGeoParams:
    """The shifted-beta-geometric model at ``alpha, beta`` (Fader & Hardie 2007)."""

    _model = "sbg"
    _names = ("alpha", "beta")

    def __init__(self, alpha: float, beta: float) -> None:
        self._p = [_frames.real("alpha", alpha), _frames.real("beta", beta)]
        _cw.clv_check_params(self._model, self._p)

    @property
    def params(self) -> Dict[str, float]:
        """The parameters by name."""
        return dict(zip(self._names, self._p))

    def survival(self, periods: int) -> np.ndarray:
        """``S(0), S(1), ..., S(periods)``: the share of a cohort still active."""
        return np.frombuffer(_cw.clv_sbg_curves(self._p[0], self._p[1], _whole("periods", periods))[0], dtype=np.float64)

    def retention(self, periods: int) -> np.ndarray:
        """``r_1, ..., r_periods``: each period's retention rate ``S(t) / S(t - 1)``."""
        return np.frombuffer(_cw.clv_sbg_curves(self._p[0], self._p[1], _whole("periods", periods))[1], dtype=np.float64)

    def log_likelihood_of(self, survivors: Any) -> float:
        """The log-likelihood of survivor counts at the parameters."""
        return _cw.clv_sbg_log_likelihood(self._p[0], self._p[1], _frames.series("survivors", survivors))

    def __repr__(self) -> str:
        return f"ShiftedBetaGeoParams(alpha={self._p[0]:.6g}, beta={self._p[1]:.6g})"


class FittedShiftedBetaGeo(_Fitted, ShiftedBetaGeoParams):
    """A fitted sBG model: ``params``, ``std_errors``, ``log_likelihood``, ``diagnostics``,
    :meth:`survival` and :meth:`retention`."""


class ShiftedBetaGeo:
    """The shifted-beta-geometric model of contractual retention; :meth:`fit` returns a
    :class:`FittedShiftedBetaGeo`."""

    def __init__(self, max_iter: int = 2000, penalizer_coef: float = 0.0) -> None:
        self.max_iter = _count("max_iter", max_iter)
        self.penalizer_coef = _frames.real("penalizer_coef", penalizer_coef)

    def __repr__(self) -> str:
        return f"ShiftedBetaGeo(max_iter={self.max_iter!r}, penalizer_coef={self.penalizer_coef!r})"

    def fit(self, survivors: Any) -> FittedShiftedBetaGeo:
        """Fits to a cohort's survivor counts ``n_0, n_1, ..., n_T``. Raises
        :class:`OutOfRangeError` for a count above the previous one (``survivors[3]``),
        :class:`NotEnoughDataError` for fewer than two counts."""
        text = _cw.clv_sbg_fit(_frames.series("survivors", survivors), self.max_iter, self.penalizer_coef)
        obj = FittedShiftedBetaGeo.__new__(FittedShiftedBetaGeo)
        obj._load(json.loads(text), None)
        return obj


# ---- RFM -------------------------------------------------------------------------------------


def _instant(role: str, v: Any) -> Optional[int]:
    if v is None:
        return None
    if isinstance(v, bool):
        raise _cw.InvalidParameterError(f"invalid {role}: {v!r} (expected a timestamp)")
    raw = _frames.timestamps({role: [v]}, _frames.MAPPING, role, role)
    return int(np.frombuffer(raw, dtype=np.int64)[0])


def _log(transactions: Any, customer_id: str, datetime: str, monetary_value: Optional[str]) -> Tuple[Any, list, bytes, Optional[bytes]]:
    transactions, kind = _frames.table(transactions, "transactions")
    ids = _frames.labels(_frames.strings(transactions, kind, "customer_id", customer_id), customer_id, "customer id")
    ts = _frames.timestamps(transactions, kind, "datetime", datetime)
    m = None if monetary_value is None else _frames.floats(transactions, kind, "monetary_value", monetary_value)
    return kind, ids, ts, m


def _rfm_frame(kind: str, cols: Dict[str, Any], keep_monetary: bool) -> Any:
    out: Dict[str, Any] = {}
    for k, v in cols.items():
        if k.startswith("monetary_value") and not keep_monetary:
            continue
        out[k] = v if k == "customer_id" else (np.frombuffer(v, dtype=np.float64) if isinstance(v, bytes) else v)
    return _frames.frame(_frames.POLARS if kind == _frames.POLARS else _frames.PANDAS, out)


def rfm(
    transactions: Any,
    customer_id: str = "customer_id",
    datetime: str = "date",
    monetary_value: Optional[str] = None,
    freq: str = "D",
    freq_multiplier: float = 1.0,
    observation_end: Any = None,
) -> Any:
    """One row per customer from a transaction log, lifetimes'
    ``summary_data_from_transaction_data``: ``customer_id``, ``frequency`` (purchase periods
    after the first), ``recency``, ``T`` and, with ``monetary_value``, the mean spend of the
    repeat periods. ``freq`` is ``"H"``, ``"D"`` or ``"W"`` (weeks from Monday); datetimes are
    pandas/polars/numpy datetimes (UTC), ISO strings or unix seconds; ``observation_end``
    defaults to the latest transaction. Customer ids become strings, rows sorted by id.

    Raises :class:`NotEnoughDataError` for an empty log, :class:`NonFiniteError` for a NaN
    spend (``monetary_value[5]``), :class:`InvalidParameterError` for another ``freq``."""
    kind, ids, ts, m = _log(transactions, customer_id, datetime, monetary_value)
    cols = _cw.clv_rfm_summary(ids, ts, m, freq, _frames.real("freq_multiplier", freq_multiplier), _instant("observation_end", observation_end))
    return _rfm_frame(kind, cols, monetary_value is not None)


def calibration_and_holdout(
    transactions: Any,
    calibration_end: Any,
    customer_id: str = "customer_id",
    datetime: str = "date",
    monetary_value: Optional[str] = None,
    freq: str = "D",
    freq_multiplier: float = 1.0,
    observation_end: Any = None,
) -> Any:
    """The calibration summary up to ``calibration_end`` (``frequency_cal``, ``recency_cal``,
    ``T_cal``, ``monetary_value_cal``) and the holdout's ``frequency_holdout``,
    ``monetary_value_holdout`` and ``duration_holdout`` per customer seen in calibration
    (lifetimes' ``calibration_and_holdout_data``). Raises :class:`OutOfRangeError` when
    ``calibration_end`` is not before the observation end."""
    kind, ids, ts, m = _log(transactions, customer_id, datetime, monetary_value)
    cal = _instant("calibration_end", calibration_end)
    if cal is None:
        raise _cw.InvalidParameterError("invalid calibration_end: None (expected a timestamp)")
    cols = _cw.clv_rfm_calibration_and_holdout(ids, ts, m, cal, freq, _frames.real("freq_multiplier", freq_multiplier), _instant("observation_end", observation_end))
    cols["duration_holdout"] = np.full(len(cols["customer_id"]), cols["duration_holdout"])
    return _rfm_frame(kind, cols, monetary_value is not None)


def ln_hyp2f1(a: float, b: float, c: float, z: float) -> Tuple[float, float]:
    """``(ln |2F1(a, b; c; z)|, sign)`` for ``0 <= z < 1`` and ``c`` not a pole (0 or a negative
    integer: ``InvalidParameterError``), in log space (no overflow for the parameters of customers
    with hundreds of purchases)."""
    return _cw.clv_ln_hyp2f1(*(_frames.real(k, x) for k, x in (("a", a), ("b", b), ("c", c), ("z", z))))


# ---- plots -------------------------------------------------------------------------------------


def _heatmaps(model: _PurchaseParams, max_frequency: int, max_T: float, t: float, title: Optional[str]) -> Any:
    from .plot import _pyplot

    plt = _pyplot()
    freqs = np.arange(max_frequency + 1, dtype=np.float64)
    recs = np.arange(int(np.floor(max_T)) + 1, dtype=np.float64)
    F, R = np.meshgrid(freqs, recs, indexing="ij")
    valid = ~((F == 0) & (R > 0))  # frequency 0 has recency 0 only
    f, r = F[valid], R[valid]
    age = np.full(len(f), float(max_T))
    alive = np.full(F.shape, np.nan)
    expect = np.full(F.shape, np.nan)
    alive[valid] = model.p_alive(f, r, age)
    expect[valid] = model.expected_purchases(t, f, r, age)
    fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.5))
    panels = ((alive, "P(alive)", "RdYlGn"), (expect, f"expected purchases in the next {t:g}", "viridis"))
    for ax, (z, label, cmap) in zip(axes, panels):
        im = ax.imshow(z, origin="lower", aspect="auto", cmap=cmap, extent=(-0.5, recs[-1] + 0.5, -0.5, freqs[-1] + 0.5))
        ax.set_xlabel("recency")
        ax.set_ylabel("frequency")
        ax.set_title(label)
        fig.colorbar(im, ax=ax)
    fig.suptitle(title or f"{type(model).__name__}: customers of age {max_T:g}")
    fig.tight_layout()
    return fig
