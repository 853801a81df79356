"""The media mix model: the outcome over time regressed on each channel's spend, carried over
(adstock) and saturating, beside an intercept, a linear trend, Fourier seasonality and controls,
fitted by penalised maximum likelihood (the posterior mode) with Laplace or block-bootstrap
intervals.

``MMM(date="date", target="y", channels=[...], controls=[...], ...).fit(df)`` takes a pandas or
polars DataFrame (or a pyarrow Table, a dict of columns or records: a list of dicts, one per
row) and returns a :class:`FittedMMM`.
Results are pandas DataFrames, polars when the input was polars.

The date column (datetimes, dates, or strings pandas parses) becomes days since 1970-01-01, so
seasonality follows the calendar (a year of 365.25 days) and uneven gaps are kept; without one
(``date=None``) rows are evenly spaced, ``period`` rows a year (52.1775: weekly). Scaling follows
pymc-marketing's MMM: the target and each channel (and each control) are divided by their largest
absolute value, so parameters and priors read on a unit scale; contributions, ROAS and response
curves are in the data's own units.

>>> import numpy as np, pandas as pd
>>> import channelwise as cw
>>> rng = np.random.default_rng(0)
>>> tv = rng.uniform(0, 100, 104)
>>> df = pd.DataFrame({"date": pd.date_range("2024-01-07", periods=104, freq="W"), "tv": tv,
...                    "y": 100 + 0.4 * tv + rng.normal(0, 1, 104)})
>>> fit = cw.optimize.MMM(channels=["tv"], l_max=4, yearly_seasonality=0, uncertainty=None).fit(df)
>>> fit.diagnostics["r2"] > 0.9
True
>>> fit.summary().columns.tolist()[:5]
['channel', 'spend', 'contribution', 'contribution_lo', 'contribution_hi']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from .. import _channelwise as _cw
from .. import _frames
from .._progress import Progress
from .response import Saturation, _f64, _values

__all__ = ["MMM", "FittedMMM", "PRIORS"]

_MODEL = "channelwise.optimize.FittedMMM"
# column names of contributions(): no channel or control may take one
_RESERVED = ("intercept", "trend", "seasonality", "fitted")
_DAY_US = 86_400_000_000.0

PRIORS: Dict[str, Tuple[str, ...]] = {
    "flat": (),
    "normal": ("mu", "sigma"),
    "half_normal": ("sigma",),
    "gamma": ("alpha", "beta"),
    "beta": ("alpha", "beta"),
    "laplace": ("mu", "b"),
}
"""Prior distributions by name, with their parameters in the order the tuple form takes them
(gamma's ``beta`` is a rate; laplace is smoothed within 1e-3 of ``mu``)."""


def _prior(name: str, spec: Any) -> Tuple[str, str, List[float]]:
    """A prior in the tuple (``("normal", 0, 1)``), dict (``{"dist": "normal", "mu": 0,
    "sigma": 1}``) or bare-name (``"flat"``) form, as ``(name, dist, parameters in order)``."""

    def bad(reason: str) -> Exception:
        return _cw.InvalidParameterError(f"invalid priors.{name}: {json.dumps(repr(spec))} ({reason})")

    forms = "expected (dist, *params), {\"dist\": dist, **params} or \"flat\"; dists: " + ", ".join(PRIORS)
    if isinstance(spec, Mapping):
        named = dict(spec)
        dist = named.pop("dist", None)
        if dist not in PRIORS:
            raise bad(forms)
        if set(named) != set(PRIORS[dist]):
            raise bad(f"{dist} takes {', '.join(PRIORS[dist]) or 'no parameters'}")
        values = [named[k] for k in PRIORS[dist]]
    else:
        parts = (spec,) if isinstance(spec, str) else spec
        if not isinstance(parts, (tuple, list)) or not parts or not isinstance(parts[0], str) or parts[0] not in PRIORS:
            raise bad(forms)
        dist, values = parts[0], list(parts[1:])
        if len(values) != len(PRIORS[dist]):
            raise bad(f"{dist} takes {', '.join(PRIORS[dist]) or 'no parameters'}")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise bad("parameters must be numbers")
    return name, dist, [float(v) for v in values]


def _int(role: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{role}: expected an int, got {type(v).__qualname__}")
    return int(v)


def _names(role: str, v: Any) -> List[str]:
    if v is None:
        return []
    if isinstance(v, str) or not hasattr(v, "__iter__"):
        raise TypeError(f"{role}: expected a list of column names, got {type(v).__qualname__}")
    out = list(v)
    for c in out:
        if not isinstance(c, str):
            raise TypeError(f"{role}: expected column names (str), got {c!r}")
        if c in _RESERVED:
            raise _cw.InvalidParameterError(
                f"invalid {role}: {json.dumps(c)} (a name contributions() gives its own column: "
                f"{', '.join(_RESERVED)}; rename the column)"
            )
    return out


class _Dates:
    """A date column as the core's days (since 1970-01-01, float) and as the index results
    carry: UTC instants (``datetime64[us]``), the time zone they were given in, and whether
    they were dates or datetimes (polars)."""

    __slots__ = ("days", "instants", "tz", "is_date")

    def __init__(self, instants: np.ndarray, tz: Optional[str], is_date: bool) -> None:
        self.instants = instants.astype("datetime64[us]")
        self.days = self.instants.astype(np.int64) / _DAY_US
        self.tz, self.is_date = tz, is_date

    @classmethod
    def read(cls, data: Any, kind: str, name: str) -> "_Dates":
        """The column ``name`` of ``data`` (for pandas, also an index of that name)."""
        import pandas as pd

        if kind == _frames.PANDAS and not _frames.has_column(data, kind, name) and data.index.name == name:
            col: Any = pd.Series(data.index)
        elif not _frames.has_column(data, kind, name):
            raise _cw.InvalidParameterError(
                f"invalid date column: {json.dumps(name)} (not found in columns "
                f"{json.dumps(_frames.column_names(data, kind))}; pass date=None for evenly spaced rows)"
            )
        else:
            col = _frames.raw_column(data, kind, "date", name)
        is_date = False
        if kind == _frames.POLARS:
            dtype = col.dtype.__class__.__name__
            if dtype in ("Date", "Datetime"):
                is_date = dtype == "Date"
                tz = getattr(col.dtype, "time_zone", None)
                if tz is not None:
                    col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
                arr = col.cast(__import__("polars").Datetime("us")).to_numpy()
                return cls._checked(arr, name, tz, is_date)
            col = pd.Series(col.to_list())
        elif kind != _frames.PANDAS:  # numpy keeps its datetime64 (whose tolist() gives ints)
            col = pd.Series(col if isinstance(col, np.ndarray) else _frames.as_list(col, kind))
        if col.dtype.kind in "iufb":
            raise _cw.InvalidParameterError(
                f"invalid date column: {json.dumps(name)} (holds {col.dtype} numbers, not dates; "
                "pass date=None for evenly spaced rows)"
            )
        if not pd.api.types.is_datetime64_any_dtype(col.dtype):
            try:
                parsed = pd.to_datetime(col, errors="coerce")
            except ValueError:  # mixed UTC offsets: pandas 2 raises where pandas 3 gives objects
                parsed = col
            if not pd.api.types.is_datetime64_any_dtype(parsed.dtype):  # mixed offsets
                parsed = pd.to_datetime(col, errors="coerce", utc=True)
            bad = parsed.isna() & col.notna()
            if bad.any():
                row = int(np.argmax(bad.to_numpy()))
                raise _cw.InvalidRecordError(
                    f"invalid record at row {row}, column {name}: {json.dumps(repr(col.iloc[row]))} (not a date)"
                )
            col = parsed
        tz = getattr(col.dtype, "tz", None)
        if tz is not None:
            col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        return cls._checked(col.to_numpy(), name, None if tz is None else str(tz), is_date)

    @classmethod
    def _checked(cls, arr: np.ndarray, name: str, tz: Optional[str], is_date: bool) -> "_Dates":
        missing = np.isnat(arr)
        if missing.any():
            row = int(np.argmax(missing))
            raise _cw.InvalidRecordError(f"invalid record at row {row}, column {name}: \"NaT\" (missing date)")
        out = cls(arr, tz, is_date)
        back = np.diff(out.days) <= 0
        if back.any():  # the core says so too, naming `days[i]`; here it can name the column
            row = int(np.argmax(back)) + 1
            raise _cw.InvalidParameterError(
                f"invalid {name}[{row}]: {json.dumps(str(out.instants[row]))} "
                "(dates must increase row by row: sort the rows by date, one row a date)"
            )
        return out

    def to_json(self) -> Dict[str, Any]:
        import pandas as pd

        iso = [t.isoformat() + "Z" for t in pd.DatetimeIndex(self.instants)]
        return {"dates": iso, "tz": self.tz, "date_type": "date" if self.is_date else "datetime"}

    @classmethod
    def from_json(cls, d: Mapping[str, Any], n: int) -> Optional["_Dates"]:
        import pandas as pd

        dates = d.get("dates")
        if dates is None:
            return None
        tz, date_type = d.get("tz"), d.get("date_type", "datetime")
        if date_type not in ("date", "datetime"):
            raise _cw.InvalidParameterError(f"invalid json: {json.dumps(str(date_type))} (the stored date_type: expected \"date\" or \"datetime\")")
        if tz is not None:  # checked now, not when a result first needs its calendar
            try:
                if not isinstance(tz, str):  # pandas would read 5 as an offset of 5 seconds
                    raise TypeError(tz)
                pd.Timestamp(0, tz="UTC").tz_convert(tz)
            except Exception:  # pytz's and zoneinfo's unknown-zone errors
                raise _cw.InvalidParameterError(f"invalid json: {json.dumps(str(tz))} (the stored tz: not a time zone name)") from None
        try:
            idx = pd.to_datetime(pd.Series(dates), utc=True).dt.tz_localize(None)
            out = cls(idx.to_numpy(), tz, date_type == "date")
        except (TypeError, ValueError) as e:
            raise _cw.InvalidParameterError(f"invalid json: the stored dates: {e}") from None
        if len(out.days) != n:
            raise _cw.InvalidParameterError(f"invalid json: {len(out.days)} stored dates for {n} rows")
        return out

    def pandas_index(self, name: Optional[str]) -> Any:
        import pandas as pd

        idx = pd.DatetimeIndex(self.instants, name=name)
        return idx.tz_localize("UTC").tz_convert(self.tz) if self.tz else idx

    def polars_series(self, name: str) -> Any:
        import polars as pl

        s = pl.Series(name, self.instants)
        if self.is_date:
            return s.cast(pl.Date)
        return s.dt.replace_time_zone("UTC").dt.convert_time_zone(self.tz) if self.tz else s


@dataclass(frozen=True)
class MMM:
    """The media mix model's specification; :meth:`fit` returns a :class:`FittedMMM`.

    ================== ============== ================================================ ======================
    Name               Default        Meaning                                          Range
    ================== ============== ================================================ ======================
    date               ``"date"``     date column (or pandas index name); None: rows   column name or None
                                      evenly spaced
    target             ``"y"``        outcome column                                   column name
    channels           (required)     spend columns, one per channel                   >= 1 names
    controls           ``[]``         control columns (a coefficient each)             names
    adstock            geometric      carry-over kind (:class:`Adstock`)               geometric, delayed,
                                                                                       weibull_pdf, weibull_cdf
    l_max              8              lags                                             1 ..= rows
    normalize          True           adstock weights sum to 1                         bool
    saturation         logistic       curve kind (:class:`Saturation`)                 logistic, hill,
                                                                                       michaelis_menten, tanh,
                                                                                       power, log
    adstock_first      True           adstock, then saturation (else the reverse)      bool
    yearly_seasonality 0              Fourier order (0: none)                          0 ..= 50
    period             None (52.1775) rows per year without a date column              > 1
    trend              True           a linear trend                                   bool
    starts             4              optimiser starts (the first at the priors'       1 ..= 1000
                                      centres)
    uncertainty        ``"laplace"``  intervals: ``"laplace"``, ``"bootstrap"``, None  as listed
    draws              1000           Laplace draws                                    10 ..= 1e6
    replicates         200            bootstrap replicates                             10 ..= 1e5
    block              None           bootstrap block length (None: cube root of rows) 1 ..= rows
    level              0.9            interval coverage                                (0, 1)
    holdout            0              last rows held out for a time-ordered score      < rows / 2
    priors             None           replacements of default priors (below)           dict
    seed               0              starts, draws, bootstrap                         >= 0
    ================== ============== ================================================ ======================

    ``priors`` maps a parameter group to a prior: ``"intercept"``, ``"trend"``, ``"fourier"``,
    ``"control"``, ``"sigma"``, ``"adstock.<name>"``, ``"saturation.<name>"`` for every channel,
    or ``"<channel>.adstock.<name>"`` for one. A prior is a tuple ``("normal", mu, sigma)``, a
    dict ``{"dist": "normal", "mu": 0, "sigma": 1}`` or ``"flat"``; the distributions and their
    parameters are :data:`PRIORS` (``normal(mu, sigma)``, ``half_normal(sigma)``,
    ``gamma(alpha, beta)`` with rate ``beta``, ``beta(alpha, beta)``, ``laplace(mu, b)``,
    ``flat``). Defaults (pymc-marketing's where it has one): intercept Normal(0, 2), trend
    Normal(0, 1), fourier Normal(0, 1), control Normal(0, 2), sigma HalfNormal(2), adstock.alpha
    Beta(1, 3), saturation.lam (logistic) Gamma(3, 1), saturation.beta HalfNormal(2).

    Errors name the field: an unknown column is :class:`channelwise.InvalidParameterError`, a
    non-numeric one :class:`channelwise.InvalidRecordError` naming its row, NaN
    :class:`channelwise.NonFiniteError` (``spend.tv[3]``), negative spend and ``l_max`` longer
    than the series :class:`channelwise.OutOfRangeError`, fewer rows than parameters
    :class:`channelwise.NotEnoughDataError`, an unknown adstock or saturation
    :class:`channelwise.InvalidParameterError`.
    """

    date: Optional[str] = "date"
    target: str = "y"
    channels: Sequence[str] = ()
    controls: Sequence[str] = ()
    adstock: str = "geometric"
    l_max: int = 8
    normalize: bool = True
    saturation: str = "logistic"
    adstock_first: bool = True
    yearly_seasonality: int = 0
    period: Optional[float] = None
    trend: bool = True
    starts: int = 4
    uncertainty: Optional[str] = "laplace"
    draws: int = 1000
    replicates: int = 200
    block: Optional[int] = None
    level: float = 0.9
    holdout: int = 0
    priors: Optional[Mapping[str, Any]] = None
    seed: int = 0

    def fit(self, df: Any, progress: Any = False) -> "FittedMMM":
        """Fits the model to the rows of ``df`` (the GIL is released). ``progress=True`` shows
        a bar over the optimiser starts and bootstrap replicates (tqdm if installed), a callable
        gets ``(done, total)`` and may return ``False`` to stop
        (:class:`channelwise.CancelledError`); Ctrl-C stops the fit and raises
        ``KeyboardInterrupt``."""
        df, kind = _frames.table(df, "df")
        if kind == _frames.TABLE:
            raise TypeError("df: expected a DataFrame of the target, channel and control columns")
        channels, controls = _names("channels", self.channels), _names("controls", self.controls)
        if self.target in channels or self.target in controls:  # it would explain itself (R2 1)
            role = "channels" if self.target in channels else "controls"
            raise _cw.InvalidParameterError(f"invalid {role}: {json.dumps(self.target)} (it is the target)")
        for role, v in (("adstock", self.adstock), ("saturation", self.saturation)):
            if not isinstance(v, str):
                raise TypeError(f"{role}: expected a kind name (str), got {type(v).__qualname__}")
        if self.uncertainty is not None and not isinstance(self.uncertainty, str):
            raise TypeError(f"uncertainty: expected \"laplace\", \"bootstrap\" or None, got {self.uncertainty!r}")
        priors = self.priors or {}
        if not isinstance(priors, Mapping):
            raise TypeError(f"priors: expected a dict of parameter name to prior, got {type(priors).__qualname__}")
        dates = None if self.date is None else _Dates.read(df, kind, self.date)
        target = _frames.floats(df, kind, "target", self.target)
        spend = [_frames.floats(df, kind, "channel", c) for c in channels]
        values = [_frames.floats(df, kind, "control", c) for c in controls]
        with Progress(progress, "media mix model", "fits") as cb:
            fit = _cw.optimize_mmm_fit(
                target,
                channels,
                spend,
                controls,
                values,
                days=None if dates is None else dates.days.tobytes(),
                adstock=self.adstock,
                l_max=_int("l_max", self.l_max),
                normalize=_frames.flag("normalize", self.normalize),
                saturation=self.saturation,
                adstock_first=_frames.flag("adstock_first", self.adstock_first),
                yearly_seasonality=_int("yearly_seasonality", self.yearly_seasonality),
                period=None if self.period is None else _frames.real("period", self.period),
                trend=_frames.flag("trend", self.trend),
                starts=_int("starts", self.starts),
                uncertainty=self.uncertainty,
                draws=_int("draws", self.draws),
                replicates=_int("replicates", self.replicates),
                block=None if self.block is None else _int("block", self.block),
                level=_frames.real("level", self.level),
                holdout=_int("holdout", self.holdout),
                priors=[_prior(str(k), v) for k, v in priors.items()],
                seed=_int("seed", self.seed),
                progress=cb,
            )
        out_kind = _frames.POLARS if kind == _frames.POLARS else _frames.PANDAS
        return FittedMMM(fit, out_kind, {"date": self.date, "target": self.target}, dates)


class FittedMMM:
    """A fitted media mix model: per-channel summary with intervals, the additive parts of the
    fit over time, parameters, response curves, predictions and diagnostics.

    Parameters (:attr:`params`, the ``adstock_*`` / ``saturation_*`` columns of
    :meth:`summary`) are in scaled units (target and spend divided by their largest value);
    everything else is in the data's units. Intervals are the equal-tailed ``level`` interval of
    the Laplace or bootstrap draws (equal to the estimate without uncertainty).
    """

    def __init__(self, fit: Any, kind: str, columns: Dict[str, Any], dates: Optional[_Dates]) -> None:
        self._fit = fit
        self._kind = kind
        self._columns = dict(columns)
        self._dates = dates
        self._spec: Dict[str, Any] = json.loads(fit.spec_json)

    # -- stored models --------------------------------------------------------------------

    def to_json(self) -> str:
        """The fitted model as JSON: ``{"model": "channelwise.optimize.FittedMMM", "fitted":
        <the core's FittedMmm>, "columns": {"date", "target"}, "kind", "dates", "tz",
        "date_type"}``; :meth:`from_json` restores it without refitting (the same numbers, bit
        for bit). The JS packages read and write the same document.

        >>> import channelwise as cw
        >>> fit = cw.optimize.MMM(date=None, channels=["tv"], l_max=2, yearly_seasonality=0,
        ...                       uncertainty=None).fit({"tv": [1.0, 5, 2, 8, 3, 9, 4, 7, 0, 6] * 3,
        ...                                              "y": [10.0, 14, 11, 17, 12, 18, 13, 16, 9, 15] * 3})
        >>> again = cw.optimize.FittedMMM.from_json(fit.to_json())
        >>> again.contributions().equals(fit.contributions())
        True
        """
        doc: Dict[str, Any] = {
            "model": _MODEL,
            "fitted": json.loads(self._fit.to_json()),
            "columns": self._columns,
            "kind": self._kind,
        }
        if self._dates is not None:
            doc.update(self._dates.to_json())
        return json.dumps(doc, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> "FittedMMM":
        """Restores a model written by :meth:`to_json` (here or by the JS packages). A document
        with only ``model`` and ``fitted`` loads too: its results then have a RangeIndex and the
        column names default to ``date`` (when the model has a calendar) and ``y``. A damaged
        document raises :class:`channelwise.InvalidParameterError`."""
        d = _frames.stored_model(text, _MODEL, "media mix")
        fit = _cw.FittedMmm.from_json(json.dumps(d["fitted"]))
        columns = d.get("columns") or {}
        if not isinstance(columns, Mapping):
            raise _cw.InvalidParameterError("invalid json: columns is not an object")
        has_days = fit.days is not None
        date = columns.get("date", "date" if has_days else None)
        dates = _Dates.from_json(d, len(fit.target) // 8) if has_days else None
        kind = _frames.POLARS if d.get("kind") == _frames.POLARS else _frames.PANDAS
        return cls(fit, kind, {"date": date, "target": columns.get("target", "y")}, dates)

    # -- what the fit holds -----------------------------------------------------------------

    @property
    def channels(self) -> List[str]:
        return list(self._fit.channels)

    @property
    def controls(self) -> List[str]:
        return list(self._fit.controls)

    @property
    def spec(self) -> Dict[str, Any]:
        """The specification as the core stores it (``adstock``, ``l_max``, ``saturation``,
        ``level``, ``priors``, ``uncertainty``, ...)."""
        return json.loads(self._fit.spec_json)

    @property
    def level(self) -> float:
        return float(self._spec["level"])

    @property
    def diagnostics(self) -> Dict[str, Any]:
        """``r2``, ``nrmse`` (Robyn's), ``mape``, ``decomp_rssd`` (Robyn's DECOMP.RSSD),
        ``residual_acf1``, ``durbin_watson`` and ``holdout`` (``{rows, r2, nrmse, mape}`` when a
        holdout was asked for); ``None`` where a measure does not exist."""
        return json.loads(self._fit.diagnostics_json)

    @property
    def convergence(self) -> Dict[str, Any]:
        """``converged``, ``best_start``, ``starts_agreeing`` and ``runs`` (one dict per start:
        ``objective``, ``iterations``, ``grad_norm``, ``converged``)."""
        return json.loads(self._fit.convergence_json)

    @property
    def warnings(self) -> List[str]:
        """What the fit noticed: a channel that never spends, collinear channels, a flat
        posterior direction."""
        return list(self._fit.warnings)

    @property
    def params(self) -> Any:
        """Every parameter (scaled units) with its interval: columns ``name`` (``intercept``,
        ``trend``, ``fourier.sin1``, ``control.price``, ``tv.adstock.alpha``,
        ``tv.saturation.lam``, ..., ``sigma``), ``value``, ``lo``, ``hi``."""
        names, value, lo, hi = self._fit.params()
        return self._table({"name": names, "value": _f64(value), "lo": _f64(lo), "hi": _f64(hi)})

    # -- results ------------------------------------------------------------------------------

    def summary(self) -> Any:
        """A row per channel: ``channel``, ``spend`` (total), ``contribution`` (total),
        ``share`` (of all media contribution), ``roas`` (contribution per unit spent),
        ``mroas`` (extra contribution per extra unit when every row's spend grows by 1%), each
        with ``_lo`` / ``_hi``, then the curves at the mode: ``adstock_<param>`` and
        ``saturation_<param>`` (scaled units; NaN for a channel that never spends)."""
        rows = self._fit.summary()
        cols: Dict[str, Any] = {"channel": [r[0] for r in rows], "spend": np.array([r[1] for r in rows], dtype=float)}
        for k, name in enumerate(("contribution", "share", "roas", "mroas")):
            for j, suffix in enumerate(("", "_lo", "_hi")):
                cols[name + suffix] = np.array([r[2 + k][j] for r in rows], dtype=float)
        kinds = (("adstock", _cw.Adstock, 6), ("saturation", _cw.Saturation, 7))
        for prefix, native, at in kinds:
            for j, p in enumerate(native.kind_params(self._spec[prefix]) or []):
                cols[f"{prefix}_{p}"] = np.array([np.nan if r[at] is None else r[at][j] for r in rows], dtype=float)
        return self._table(cols)

    def contributions(self, interval: bool = False) -> Any:
        """The additive parts of the fit over the training rows, indexed by date (a ``date``
        column first for polars; a RangeIndex without dates): ``intercept``, ``trend``,
        ``seasonality``, a column per control, a column per channel, and ``fitted``, which they
        sum to exactly. With ``interval=True``, each channel also gets ``<channel>_lo`` and
        ``<channel>_hi``: its ``level`` band in each row, from the draws (equal to the
        contribution without uncertainty)."""
        frame = self._parts(self._fit.contributions(), self._dates)
        if not interval:
            return frame
        lo, hi = self._fit.contribution_bands()
        bands = {}
        for c, a, b in zip(self.channels, lo, hi):
            bands[f"{c}_lo"] = _f64(a)
            bands[f"{c}_hi"] = _f64(b)
        if self._kind == _frames.POLARS:
            import polars as pl

            return frame.with_columns([pl.Series(k, v) for k, v in bands.items()])
        for k, v in bands.items():
            frame[k] = v
        return frame

    def predict(self, df: Any) -> Any:
        """The additive parts (as :meth:`contributions`) for new rows: ``df`` has the fit's
        channel and control columns, and its date column when the fit had one (trend and
        seasonality continue on the calendar). The target column is not needed. Without dates,
        row 0 of ``df`` is row 0 of the training data, so predicting on the training frame
        reproduces the fit (other rows cannot continue the trend)."""
        df, kind = _frames.table(df, "df")
        spend = [_frames.floats(df, kind, "channel", c) for c in self.channels]
        values = [_frames.floats(df, kind, "control", c) for c in self.controls]
        dates = None
        if self._fit.days is not None:
            dates = _Dates.read(df, kind, self._columns.get("date") or "date")
        parts = self._fit.predict(spend, values, None if dates is None else dates.days.tobytes())
        return self._parts(parts, dates, _frames.POLARS if kind == _frames.POLARS else _frames.PANDAS)

    def response_curves(self, grid: Any = None) -> Any:
        """Each channel's steady-state response per period to the same spend every period
        (carry-over included), in the data's units, with ``level`` bands: a long DataFrame with
        ``channel``, ``spend``, ``response``, ``lo``, ``hi``, ``marginal``.

        ``grid`` is the spend per period: a sequence shared by every channel, a dict of one per
        channel, or None (51 points from 0 to 1.5 times each channel's largest spend)."""
        channels = self.channels
        if grid is None:
            top = {c: float(np.max(_f64(x), initial=0.0)) for c, x in zip(channels, self._fit.spend)}
            grid = {c: np.linspace(0.0, 1.5 * (top[c] or 1.0), 51) for c in channels}
        if isinstance(grid, Mapping):
            unknown = [c for c in grid if c not in channels]
            if unknown:
                raise _cw.InvalidParameterError(
                    f"invalid grid: {json.dumps(str(unknown[0]))} (not a channel; channels: {json.dumps(channels)})"
                )
            per = [(c, _values(f"grid.{c}", grid[c])[0]) for c in channels if c in grid]
        else:
            shared = _values("grid", grid)[0]
            per = [(None, shared)]
        cols: Dict[str, List[Any]] = {k: [] for k in ("channel", "spend", "response", "lo", "hi", "marginal")}
        for only, x in per:
            for name, resp, lo, hi, marg in self._fit.response_curves(x.tobytes()):
                if only is not None and name != only:
                    continue
                cols["channel"] += [name] * len(x)
                cols["spend"].append(x)
                for k, b in (("response", resp), ("lo", lo), ("hi", hi), ("marginal", marg)):
                    cols[k].append(_f64(b))
        out = {k: (v if k == "channel" else np.concatenate(v) if v else np.zeros(0)) for k, v in cols.items()}
        return self._table(out)

    def horizon_response(self, channel: str, plan: Any) -> Any:
        """Channel ``channel``'s contribution per period over a horizon when it spends ``plan``
        (a spend per period), with the carry-over of the training data's last periods: columns
        ``period`` (0, 1, ...), ``spend``, ``response`` (at the mode), ``lo``, ``hi`` (``level``
        interval of the draws)."""
        x = _values("plan", plan)[0]
        rows = np.array([_f64(b) for b in self._fit.horizon_response(channel, x.tobytes())])
        mode, draws = rows[0], rows[1:]
        a = (1.0 - self.level) / 2.0
        lo, hi = (np.quantile(draws, [a, 1.0 - a], axis=0) if len(draws) else (mode, mode))
        return self._table({"period": np.arange(len(x)), "spend": x, "response": mode, "lo": lo, "hi": hi})

    def steady_state_curve(self, channel: str) -> Optional[Saturation]:
        """Channel ``channel``'s steady-state response per period as a :class:`Saturation` of
        spend per period in the data's units (adstock gain and scales folded into its
        parameters); ``None`` for a channel that never spends."""
        s = self._fit.steady_state_curve(channel)
        return None if s is None else Saturation._wrap(s)

    def plot(self, grid: Any = None, title: Optional[str] = None) -> Any:
        """Two panels: the contribution stack over time (baseline, then each channel) against
        the target, and each channel's response curve with its band (matplotlib Figure)."""
        from .. import plot

        return plot.mmm(self, grid=grid, title=title)

    # -- frames ---------------------------------------------------------------------------------

    def _table(self, cols: Dict[str, Any]) -> Any:
        return _frames.frame(self._kind, cols)

    def _parts(self, parts: Any, dates: Optional[_Dates], kind: Optional[str] = None) -> Any:
        intercept, trend, seasonality, controls, channels, fitted = parts
        cols: Dict[str, Any] = {"intercept": _f64(intercept), "trend": _f64(trend), "seasonality": _f64(seasonality)}
        cols.update({c: _f64(v) for c, v in zip(self.controls, controls)})
        cols.update({c: _f64(v) for c, v in zip(self.channels, channels)})
        cols["fitted"] = _f64(fitted)
        name = self._columns.get("date") or "date"
        if (kind or self._kind) == _frames.POLARS:
            if dates is not None:
                cols = {name: dates.polars_series(name), **cols}
            return _frames.frame(_frames.POLARS, cols)
        import pandas as pd

        index = None if dates is None else dates.pandas_index(name)
        return pd.DataFrame(cols, index=index)

    def __repr__(self) -> str:
        d = self.diagnostics
        return (
            f"<FittedMMM channels={self.channels} adstock={self._spec['adstock']} "
            f"saturation={self._spec['saturation']} rows={len(self._fit.target) // 8} r2={d['r2']:.3f}>"
        )
