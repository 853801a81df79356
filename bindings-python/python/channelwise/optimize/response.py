"""Response curves: how spend saturates (:class:`Saturation`) and carries over (:class:`Adstock`),
in pymc-marketing 0.19's names and parameterisations, Robyn's converted.

=================== ============================================== ===================================
Saturation kind     Value ``f(x)``                                 pymc-marketing
=================== ============================================== ===================================
``logistic``        ``beta (1 - e^{-lam x}) / (1 + e^{-lam x})``   ``LogisticSaturation(lam, beta)``
``hill``            ``beta x^slope / (kappa^slope + x^slope)``     ``HillSaturation(slope, kappa, beta)``
``michaelis_menten`` ``alpha x / (lam + x)``                        ``MichaelisMentenSaturation``
``tanh``            ``b tanh(x / (b c))``                          ``TanhSaturation(b, c)``
``power``           ``a x^b``, ``b`` in (0, 1]                     ``RootSaturation(alpha=b, beta=a)``
``log``             ``beta ln(1 + lam x)``                         -
=================== ============================================== ===================================

Robyn's ``saturation_hill(alpha, gamma)`` is :meth:`Saturation.robyn_hill` (``slope = alpha``,
``kappa = (1 - gamma) min(x) + gamma max(x)``, ``beta = 1``).

============== ============================================ ================================
Adstock kind   Weights ``w_l``, ``l = 0 .. l_max - 1``      pymc-marketing
============== ============================================ ================================
``geometric``  ``alpha^l``                                  ``GeometricAdstock(alpha)``
``delayed``    ``alpha^((l - theta)^2)``                    ``DelayedAdstock(alpha, theta)``
``weibull_pdf`` Weibull(``k``, ``lam``) density at ``l + 1``, ``WeibullPDFAdstock(lam, k)``
               min-max scaled to [0, 1]
``weibull_cdf`` ``prod_{j<=l} exp(-(j / lam)^k)``            ``WeibullCDFAdstock(lam, k)`` (its
                                                            ``l_max`` counts one weight fewer)
============== ============================================ ================================

Robyn's ``adstock_geometric(theta)`` is ``Adstock("geometric", alpha=theta, normalize=False,
l_max=len(x))``. Weights are divided by their sum when ``normalize`` (the default, as
pymc-marketing's).

>>> import channelwise as cw
>>> s = cw.optimize.Saturation("hill", slope=2, kappa=100, beta=1)
>>> s.value([0, 100, 200]).round(3).tolist()
[0.0, 0.5, 0.8]
>>> cw.optimize.Adstock("geometric", l_max=3, normalize=False, alpha=0.5).apply([8, 0, 0]).tolist()
[8.0, 4.0, 2.0]
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .. import _channelwise as _cw
from .. import _frames

__all__ = ["Saturation", "Adstock"]


def _number(role: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{role}: expected a number, got {type(v).__qualname__}")
    return float(v)


def _ordered(what: str, kind: Any, names: Optional[List[str]], params: Dict[str, Any]) -> List[float]:
    """The keyword parameters of a ``kind`` in the core's order; an unknown or missing name is
    :class:`channelwise.InvalidParameterError` naming it. An unknown kind gives ``[]``, which
    the core refuses with its own message."""
    if not isinstance(kind, str):
        raise TypeError(f"kind: expected a string such as \"logistic\", got {type(kind).__qualname__}")
    if names is None:
        return []
    for k in params:
        if k not in names:
            raise _cw.InvalidParameterError(
                f"invalid {what}.{k}: {json.dumps(repr(params[k]))} "
                f"(a {kind} {what} takes {', '.join(names)})"
            )
    for k in names:
        if k not in params:
            raise _cw.InvalidParameterError(
                f"invalid {what}.{k}: \"missing\" (a {kind} {what} takes {', '.join(names)})"
            )
    return [_number(f"{what}.{k}", params[k]) for k in names]


def _values(role: str, x: Any) -> "tuple[np.ndarray, Any]":
    """``x`` as contiguous float64 (flattened), and how to shape a result like it: a number
    gives a numpy scalar back, an n-d array an array of its shape."""
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return np.array([float(x)]), lambda out: out[0]
    if isinstance(x, np.ndarray) and x.ndim != 1:
        shape = x.shape
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        return flat, lambda out: out.reshape(shape)
    return np.frombuffer(_frames.series(role, x), dtype=np.float64), lambda out: out


def _f64(b: bytes) -> np.ndarray:
    """float64 bytes as a numpy array of its own (writeable)."""
    return np.frombuffer(b, dtype=np.float64).copy()


class _Curve:
    """What :class:`Saturation` and :class:`Adstock` share: a native curve with a kind and
    named parameters."""

    _native: Any

    @property
    def kind(self) -> str:
        """The kind's name, as the constructor takes it."""
        return self._native.kind

    @property
    def params(self) -> Dict[str, float]:
        """The parameters by name, in the kind's order (for an adstock the continuous ones;
        ``l_max`` and ``normalize`` are attributes)."""
        return dict(zip(self._native.param_names, self._native.params))


class Saturation(_Curve):
    """A saturation curve: the response to spend ``x >= 0`` (see the module table).

    ``Saturation(kind, **params)`` takes the kind's parameters by name: ``logistic(lam, beta)``,
    ``hill(slope, kappa, beta)``, ``michaelis_menten(alpha, lam)``, ``tanh(b, c)``,
    ``power(a, b)``, ``log(beta, lam)``. An unknown kind or parameter name is
    :class:`channelwise.InvalidParameterError`; a value outside its range
    :class:`channelwise.OutOfRangeError` naming it (``saturation.lam``); NaN
    :class:`channelwise.NonFiniteError`.

    :meth:`value`, :meth:`derivative` and :meth:`inverse_marginal` take a number, a list, a numpy
    array or a pandas/polars Series and return numpy (a number gives a numpy scalar). Spend must
    be finite and ``>= 0`` (the error names ``x[i]``).

    >>> import channelwise as cw
    >>> s = cw.optimize.Saturation("logistic", lam=2.0, beta=10.0)
    >>> round(float(s.value(1.0)), 6), s.is_s_shaped
    (7.615942, False)
    >>> float(s.inverse_marginal(s.derivative(1.0))) == 1.0
    True
    """

    def __init__(self, kind: str, **params: float) -> None:
        names = _cw.Saturation.kind_params(kind) if isinstance(kind, str) else None
        self._native = _cw.Saturation(kind, _ordered("saturation", kind, names, params))

    @classmethod
    def _wrap(cls, native: Any) -> "Saturation":
        s = cls.__new__(cls)
        s._native = native
        return s

    @classmethod
    def robyn_hill(cls, alpha: float, gamma: float, x: Any) -> "Saturation":
        """Robyn's ``saturation_hill(x, alpha, gamma)`` as a Hill curve: ``slope = alpha``,
        ``kappa = (1 - gamma) min(x) + gamma max(x)`` over the spend series ``x``, ``beta = 1``.

        >>> import channelwise as cw
        >>> cw.optimize.Saturation.robyn_hill(2.0, 0.5, [0.0, 10.0, 4.0]).params
        {'slope': 2.0, 'kappa': 5.0, 'beta': 1.0}
        """
        return cls._wrap(
            _cw.Saturation.robyn_hill(_number("alpha", alpha), _number("gamma", gamma), _frames.series("x", x))
        )

    @property
    def is_s_shaped(self) -> bool:
        """True for a Hill curve with ``slope > 1``, whose marginal rises before it falls."""
        return self._native.is_s_shaped

    @property
    def inflection(self) -> float:
        """The spend where the marginal peaks: ``kappa ((slope - 1) / (slope + 1))^(1 / slope)``
        for an S-curve, 0 otherwise."""
        return self._native.inflection

    @property
    def max_marginal(self) -> float:
        """The largest marginal over ``x >= 0`` (``inf`` when it is unbounded at 0)."""
        return self._native.max_marginal

    def value(self, x: Any) -> Any:
        """The response at spend ``x``."""
        flat, shape = _values("x", x)
        return shape(_f64(self._native.values(flat.tobytes())))

    def derivative(self, x: Any) -> Any:
        """The marginal response ``f'(x)`` (``inf`` at 0 for a Hill curve with ``slope < 1`` and
        a power curve with ``b < 1``)."""
        flat, shape = _values("x", x)
        return shape(_f64(self._native.derivatives(flat.tobytes())))

    def inverse_marginal(self, m: Any) -> Any:
        """The spend at which the marginal equals ``m``, on the falling branch (after the
        inflection of an S-curve): 0 when ``m`` exceeds every marginal, ``inf`` when the
        marginal never falls to ``m`` (``m <= 0``). NaN is :class:`channelwise.NonFiniteError`."""
        flat, shape = _values("m", m)
        return shape(_f64(self._native.inverse_marginals(flat.tobytes())))

    def default_grid(self, points: int = 101) -> np.ndarray:
        """``points`` spends from 0 to where the curve has flattened: the first doubling of spend
        at which the elasticity ``x f'(x) / f(x)`` is below 0.1 (1 for a power curve, whose
        elasticity never falls)."""
        x = max(self.inflection, 1e-9)
        for _ in range(200):
            v, d = float(self.value(x)), float(self.derivative(x))
            if v > 0 and x * d < 0.1 * v:
                break
            x *= 2.0
        else:
            x = 1.0
        return np.linspace(0.0, x, points)

    def curve(self, grid: Any = None) -> Any:
        """The curve on ``grid`` (spends; default :meth:`default_grid`) as a DataFrame with
        columns ``spend``, ``response``, ``marginal`` (polars when ``grid`` is a polars Series).

        >>> import channelwise as cw
        >>> cw.optimize.Saturation("tanh", b=2.0, c=0.5).curve([0.0, 1.0]).columns.tolist()
        ['spend', 'response', 'marginal']
        """
        kind = _frames.series_kind(grid) if grid is not None else _frames.PANDAS
        x = self.default_grid() if grid is None else _values("grid", grid)[0]
        return _frames.frame(kind, {"spend": x, "response": self.value(x), "marginal": self.derivative(x)})

    def plot(self, grid: Any = None, ax: Any = None, title: Optional[str] = None) -> Any:
        """The response and (right axis) the marginal over ``grid`` (matplotlib Axes)."""
        from .. import plot

        return plot.saturation(self, grid=grid, ax=ax, title=title)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Saturation) and self.kind == other.kind and self.params == other.params

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"Saturation({self.kind!r}, {args})"


class Adstock(_Curve):
    """Carry-over: lag weights convolved with spend, trailing (see the module table).

    ``Adstock(kind, l_max=8, normalize=True, **params)``: ``geometric(alpha)``,
    ``delayed(alpha, theta)``, ``weibull_pdf(lam, k)``, ``weibull_cdf(lam, k)``.
    ``normalize`` divides the weights by their sum (pymc-marketing's default). Errors as
    :class:`Saturation`'s, naming ``adstock.alpha``, ``adstock.l_max``.

    >>> import channelwise as cw
    >>> a = cw.optimize.Adstock("geometric", l_max=3, normalize=False, alpha=0.5)
    >>> a.weights.tolist(), a.gain
    ([1.0, 0.5, 0.25], 1.75)
    >>> a.apply([0.0, 0.0, 0.0], pre=[8.0]).tolist()  # 8 spent before the window carries in
    [4.0, 2.0, 0.0]
    """

    def __init__(self, kind: str, l_max: int = 8, normalize: bool = True, **params: float) -> None:
        if isinstance(l_max, bool) or not isinstance(l_max, (int, np.integer)):
            raise TypeError(f"l_max: expected an int, got {type(l_max).__qualname__}")
        names = _cw.Adstock.kind_params(kind) if isinstance(kind, str) else None
        self._native = _cw.Adstock(kind, _ordered("adstock", kind, names, params), int(l_max), _frames.flag("normalize", normalize))

    @property
    def l_max(self) -> int:
        return self._native.l_max

    @property
    def normalize(self) -> bool:
        return self._native.normalize

    @property
    def weights(self) -> np.ndarray:
        """The lag weights ``w_0 .. w_{l_max - 1}`` (numpy)."""
        return _f64(self._native.weights)

    @property
    def gain(self) -> float:
        """``sum w``: adstocked spend per period when the same spend runs every period."""
        return self._native.gain

    def apply(self, x: Any, pre: Optional[Sequence[float]] = None) -> np.ndarray:
        """The adstocked series of ``x`` (numpy), with ``pre`` the spend before the window
        (oldest first), whose carry-over reaches into the first periods. NaN or negative spend
        is an error naming ``x[i]`` / ``pre[i]``."""
        xs = _frames.series("x", x)
        ps = b"" if pre is None else _frames.series("pre", pre)
        return _f64(self._native.apply(xs, ps))

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Adstock({self.kind!r}, l_max={self.l_max}, normalize={self.normalize}{args})"
