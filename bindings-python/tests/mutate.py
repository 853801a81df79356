"""Bad input, found by mutation: the Python twin of tests/js/mutate.mjs.

Every call the shared vectors make (test_vectors.py) into a public function or method of
channelwise is made again a few times first, each time with ONE value somewhere in its arguments
replaced: a number by NaN, an infinity, 1e300, -1, 2^53, 2^64, ...; any value by None, a string,
an empty list or dict; a dict key removed; a list, array, Series or DataFrame cut short or
doubled; a DataFrame cell replaced or a column dropped (pandas and polars). Each such call must
return, or raise

- a ``ChannelwiseError`` whose ``code`` is not ``internal``, or
- a ``TypeError`` / ``ValueError`` / ``OverflowError`` that channelwise raised on purpose (the
  innermost frame is a ``raise`` in the package) or that pyo3 raised naming the argument
  (its note ``while processing 'n'``), or that Python raised for a call that does not fit the
  signature (``missing 1 required positional argument: 'x'``).

Anything else (a Rust panic, ``InternalError``, a ``KeyError`` or ``AttributeError`` from a
wrapper, a pandas or polars error passed on, a plain ``TypeError`` from inside a wrapper, a
call slower than ``SLOW`` seconds) fails the original call with a message naming the call, the
value replaced and the arguments. Seeded: a run is the same every time.

    with mutating(cw, seed=1):      # patches the package's functions and classes in place
        ...                          # run the vectors

Objects that change as they are used are forked for it: a mutated call of a ``SimMarket`` or
``Bandit`` method runs on a copy (``FORK``), so the original goes on as its caller made it.
Left out: ``Engine`` and ``Adapter`` (they open a store), calls that take a call-back, ``plot``
and ``spark``.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import os
import random
import re
import sys
import time
import traceback
import types

import numpy as np

# Left alone entirely, construction included (an engine opens its store).
UNBUILT = {"Engine", "Adapter", "DecideEngine"}
# Objects that change as they are used, and how each is forked: a mutated method call runs on
# the fork, not on the caller's object.
FORK = {"SimMarket": lambda m: m.copy(), "Bandit": lambda b: type(b).from_json(b.to_json())}
SKIP_MODULES = {"plot", "spark"}
NUMBERS = [math.nan, math.inf, -math.inf, -1, 0, -0.0, 0.5, 1.5, 1e300, -1e300, 1e-300, 2**53, 2**32, 2**64]
OTHERS = [None, True, "", "x", [], {}, [math.nan], {"x": 1}]
# A mutated call slower than this is a finding: bad input should be refused, not worked on.
SLOW = 20.0
# CW_MUTATE_TRACE=file: each mutated call is written there before it runs (to find an abort).
TRACE = os.environ.get("CW_MUTATE_TRACE")


# Python's own errors for a call that does not fit the signature: they name the argument.
SIGNATURE = re.compile(r"missing \d+ required (positional|keyword-only) argument|got an unexpected keyword argument|"
                       r"takes (from )?\d+ (to \d+ )?positional arguments? but|got multiple values for argument")


class NetError(AssertionError):
    """A mutated call failed in a way a user should never see."""


def _is_pandas(v, name):
    return type(v).__module__.startswith("pandas") and type(v).__name__ == name


def _is_polars(v, name):
    return type(v).__module__.startswith("polars") and type(v).__name__ == name


def _copy(v, depth=0):
    """A copy of the lists, tuples, dicts, arrays and frames in `v`; anything else shared."""
    if depth > 8:
        return v
    if isinstance(v, list):
        return [_copy(x, depth + 1) for x in v]
    if isinstance(v, tuple) and not hasattr(v, "_fields"):
        return tuple(_copy(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return {k: _copy(x, depth + 1) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return v.copy()
    if _is_pandas(v, "DataFrame") or _is_pandas(v, "Series"):
        return v.copy()
    if _is_polars(v, "DataFrame") or _is_polars(v, "Series"):
        return v.clone()
    return v


class Net:
    def __init__(self, codes, seed=1, per_call=8, per_id=10, package="channelwise"):
        self.rng = random.Random(seed)
        self.codes = set(codes) - {"internal"}
        self.per_call = per_call
        self.per_id = per_id
        self.package = package
        self.seen = {}
        self.inside = False
        self.mutated = 0

    # -- where a value may be replaced ---------------------------------------------------------
    def _places(self, v, out, depth=0):
        """`(container, key)` pairs: list / array / Series indices, dict keys, frame columns."""
        if depth > 6:
            return out
        r = self.rng
        if isinstance(v, (list, np.ndarray)) or _is_pandas(v, "Series") or _is_polars(v, "Series"):
            n = len(v)
            for i in sorted({0, n - 1, r.randrange(n)}) if n else []:
                out.append((v, i))
                if isinstance(v, list):
                    self._places(v[i], out, depth + 1)
        elif isinstance(v, dict):
            for k in list(v):
                out.append((v, k))
                self._places(v[k], out, depth + 1)
        elif _is_pandas(v, "DataFrame") or _is_polars(v, "DataFrame"):
            for c in list(v.columns):
                out.append((v, c))
        return out

    def _value(self, old):
        r = self.rng
        if isinstance(old, (int, float)) and not isinstance(old, bool) or r.random() < 0.5:
            return r.choice(NUMBERS)
        return _copy(r.choice(OTHERS))

    def _resized(self, old):
        """`old` cut short or doubled (list, array, Series, frame)."""
        r = self.rng
        n = len(old)
        cut = r.random() < 0.5
        k = r.randrange(n) if cut else None
        if isinstance(old, list):
            return old[:k] if cut else old + old
        if isinstance(old, np.ndarray):
            return old[:k].copy() if cut else np.concatenate([old, old])
        if _is_pandas(old, "Series") or _is_pandas(old, "DataFrame"):
            import pandas as pd

            return old.iloc[:k].copy() if cut else pd.concat([old, old], ignore_index=True)
        import polars as pl

        return old.head(k) if cut else pl.concat([old, old])

    def _set_cell(self, frame_or_series, col, i, value):
        """A frame (or Series) with cell `i` of column `col` set to `value`; the column's dtype
        widens as needed (object in pandas, strict=False in polars)."""
        if _is_pandas(frame_or_series, "DataFrame"):
            import pandas as pd

            cells = frame_or_series[col].tolist()
            cells[i] = value
            frame_or_series[col] = pd.Series(cells, index=frame_or_series.index, dtype=object)
            return frame_or_series
        import polars as pl

        cells = frame_or_series[col].to_list()
        cells[i] = value
        return frame_or_series.with_columns(pl.Series(col, cells, strict=False))

    def mutate(self, args, kwargs):
        """`(args, kwargs, what)` with one value replaced, or None when there is nothing to change."""
        root = [list(_copy(args)), _copy(kwargs)]
        places = self._places(root[0], []) + self._places(root[1], [])
        if not places:
            return None
        r = self.rng
        parent, key = r.choice(places)
        old = parent.iloc[key] if _is_pandas(parent, "Series") else parent[key]
        is_frame = _is_pandas(parent, "DataFrame") or _is_polars(parent, "DataFrame")
        x = r.random()
        if is_frame:
            n = len(parent)
            if x < 0.15 or n == 0:
                new = parent.drop(columns=[key]) if _is_pandas(parent, "DataFrame") else parent.drop(key)
                what = f"drop column {key!r}"
            elif x < 0.3:
                new = self._resized(parent)
                what = f"rows {n} -> {len(new)}"
            else:
                i = r.randrange(n)
                value = self._value(parent[key][i] if _is_polars(parent, "DataFrame") else parent[key].iloc[i])
                new = self._set_cell(parent, key, i, value)
                what = f"{key}[{i}] = {value!r}"
            self._replace(root, parent, new)
            return root[0], root[1], what
        if isinstance(parent, np.ndarray):
            value = r.choice(NUMBERS)
            try:
                parent.flat[key] = value
            except (OverflowError, ValueError, TypeError):
                return None  # the array's dtype cannot hold it (an int array and NaN)
            return root[0], root[1], f"[{key}] = {value!r}"
        if _is_pandas(parent, "Series") or _is_polars(parent, "Series"):
            value = self._value(None)
            if _is_pandas(parent, "Series"):
                import pandas as pd

                cells = parent.tolist()
                cells[key] = value
                new = pd.Series(cells, index=parent.index, name=parent.name, dtype=object)
            else:
                import polars as pl

                cells = parent.to_list()
                cells[key] = value
                new = pl.Series(parent.name, cells, strict=False)
            self._replace(root, parent, new)
            return root[0], root[1], f"[{key}] = {value!r}"
        if x < 0.1 and isinstance(parent, dict):
            del parent[key]
            return root[0], root[1], f"del [{key!r}]"
        sized = isinstance(old, (list, np.ndarray)) or any(
            f(old, n) for f in (_is_pandas, _is_polars) for n in ("Series", "DataFrame"))
        if x < 0.2 and sized and len(old) > 0:
            parent[key] = self._resized(old)
            return root[0], root[1], f"[{key!r}]: length {len(old)} -> {len(parent[key])}"
        parent[key] = self._value(old)
        return root[0], root[1], f"[{key!r}] = {parent[key]!r}"

    @staticmethod
    def _replace(root, old, new):
        """Puts `new` where `old` stands in the argument tree `root` (frames are not edited in place)."""

        def walk(v, depth=0):
            if depth > 8:
                return False
            items = enumerate(v) if isinstance(v, list) else v.items() if isinstance(v, dict) else ()
            for k, x in list(items):
                if x is old:
                    v[k] = new
                    return True
                if isinstance(x, (list, dict)) and walk(x, depth + 1):
                    return True
            return False

        walk(root)

    # -- what a mutated call may do ------------------------------------------------------------
    def acceptable(self, e):
        import channelwise as cw

        if isinstance(e, cw.ChannelwiseError):
            return e.code in self.codes
        if isinstance(e, cw.platform.PlatformCallError):
            return True  # the simulated vendor's own refusal (code 100: unknown entity, bad time range)
        if isinstance(e, (TypeError, ValueError, OverflowError)):
            notes = " ".join(getattr(e, "__notes__", ()))
            if "while processing '" in notes or SIGNATURE.search(str(e)):
                return True  # pyo3 or Python naming the argument it could not take
            tb = traceback.extract_tb(e.__traceback__)
            if tb:
                last = tb[-1]
                return f"/{self.package}/" in last.filename and (last.line or "").lstrip().startswith("raise")
        return False

    def check(self, name, args, kwargs, run, depth=2):
        # only calls a user makes: not the package's own calls (a wrapper building its result)
        caller = sys._getframe(depth).f_globals.get("__name__", "")
        if caller == self.package or caller.startswith(self.package + "."):
            return
        if self.inside or any(callable(a) and not inspect.isclass(a) and not hasattr(a, "__self__") for a in args):
            return
        sig = ",".join(type(a).__name__ for a in args)
        key = f"{name}({sig})"
        n = self.seen.get(key, 0)
        if n >= self.per_id:
            return
        self.seen[key] = n + 1
        self.inside = True
        try:
            for _ in range(self.per_call):
                m = self.mutate(args, kwargs)
                if m is None:
                    return
                a, k, what = m
                self.mutated += 1
                if TRACE:  # the call about to run, for a crash that takes the process with it
                    with open(TRACE, "a") as log:
                        log.write(f"{name} with {what}; arguments {_show(a, k)}\n")
                start = time.perf_counter()
                try:
                    run(a, k)
                except BaseException as e:  # noqa: BLE001: a panic is a BaseException
                    if isinstance(e, (KeyboardInterrupt, SystemExit, NetError)):
                        raise
                    if not self.acceptable(e):
                        where = traceback.extract_tb(e.__traceback__)
                        at = f" at {where[-1].filename}:{where[-1].lineno}" if where else ""
                        code = f" (code {e.code})" if getattr(e, "code", None) else ""
                        raise NetError(f"{name} with {what} raised {type(e).__name__}{code}: {str(e)[:300]}{at}; "
                                       f"arguments {_show(a, k)}") from e
                took = time.perf_counter() - start
                if took > SLOW:
                    raise NetError(f"{name} with {what} took {took:.1f} s; arguments {_show(a, k)}")
        finally:
            self.inside = False


def _show(args, kwargs):
    text = f"{args!r} {kwargs!r}".replace("\n", " ")
    return text[:400]


def _wrap_function(net, name, f):
    def wrapped(*args, **kwargs):
        net.check(name, args, kwargs, lambda a, k: f(*a, **k))
        return f(*args, **kwargs)

    wrapped.__wrapped__ = f
    return wrapped


def _wrap_method(net, name, f, kind, fork=None):
    if kind == "static":
        def wrapped(*args, **kwargs):
            net.check(name, args, kwargs, lambda a, k: f(*a, **k))
            return f(*args, **kwargs)

        return staticmethod(wrapped)
    if kind == "class":
        def wrapped(cls, *args, **kwargs):
            net.check(name, args, kwargs, lambda a, k: f(cls, *a, **k))
            return f(cls, *args, **kwargs)

        return classmethod(wrapped)
    if kind == "init":
        def wrapped(self, *args, **kwargs):
            # a mutated construction: a fresh object of the same class (its __init__ is this one)
            net.check(name, args, kwargs, lambda a, k: type(self)(*a, **k))
            return f(self, *args, **kwargs)

        return wrapped

    def wrapped(self, *args, **kwargs):
        # a stateful object's mutated calls change a fork of it
        net.check(name, args, kwargs, lambda a, k: f(fork(self) if fork else self, *a, **k))
        return f(self, *args, **kwargs)

    return wrapped


def _public_modules(cw):
    seen = {}
    todo = [cw]
    while todo:
        m = todo.pop()
        for n in dir(m):
            v = getattr(m, n)
            if (isinstance(v, types.ModuleType) and v.__name__.startswith(cw.__name__ + ".")
                    and not any(p.startswith("_") for p in v.__name__.split(".")[1:])
                    and v.__name__.split(".")[1] not in SKIP_MODULES and v.__name__ not in seen):
                seen[v.__name__] = v
                todo.append(v)
    return list(seen.values())


@contextlib.contextmanager
def mutating(cw, seed=1, per_call=8, per_id=10):
    """Patches every public function and class method of the package `cw` (in place, restored on
    exit) to run mutated copies of each call first; yields the `Net` (its `mutated` count)."""
    net = Net(cw.ERROR_CODES, seed=seed, per_call=per_call, per_id=per_id, package=cw.__name__)
    undo = []
    done = set()
    try:
        for mod in _public_modules(cw):
            for n, v in list(vars(mod).items()):
                if n.startswith("_"):
                    continue
                if inspect.isfunction(v) and v.__module__.startswith(cw.__name__ + ".") and v not in done:
                    done.add(v)
                    short = f"{mod.__name__.split('.', 1)[1]}.{n}"
                    # every module that imported it by name gets the wrapped one
                    w = _wrap_function(net, short, v)
                    for other in _public_modules(cw):
                        if vars(other).get(n) is v:
                            undo.append((other, n, v))
                            setattr(other, n, w)
                elif (inspect.isclass(v) and v.__module__.startswith(cw.__name__ + ".")
                      and not issubclass(v, BaseException) and v not in done and v.__name__ not in UNBUILT
                      and not hasattr(v, "_fields")):
                    done.add(v)
                    for m, raw in list(vars(v).items()):
                        if m.startswith("_") and m not in ("__init__", "__call__"):
                            continue
                        label = f"{v.__name__}.{'new' if m == '__init__' else m}"
                        if isinstance(raw, staticmethod):
                            new = _wrap_method(net, label, raw.__func__, "static")
                        elif isinstance(raw, classmethod):
                            new = _wrap_method(net, label, raw.__func__, "class")
                        elif inspect.isfunction(raw):
                            new = _wrap_method(net, label, raw, "init" if m == "__init__" else "method", FORK.get(v.__name__))
                        else:
                            continue
                        undo.append((v, m, raw))
                        setattr(v, m, new)
        yield net
    finally:
        for owner, n, v in reversed(undo):
            setattr(owner, n, v)
