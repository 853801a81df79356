"""Independent reference implementations of channelwise's attribution conventions.

This module is the *oracle* the Rust code in ``core/src/attribution/`` is checked against
(through the JSON vectors written by ``make_vectors.py``).  It deliberately shares no code
with channelwise and uses only numpy / scipy, written for clarity rather than speed.

Conventions (see /work/shared/DESIGN.md, "Attribution conventions"):

* A path string is split on ``sep`` and each token is whitespace-trimmed; an empty path or
  an empty token is an error.  A row is ``(path, conversions, nulls, value)`` where ``value``
  is the total value of the row's conversions.
* Heuristics count touches (a channel seen twice on a path gets two shares).
* Markov of order k follows ChannelAttribution (CA) 2.2.5, ``cypack/functions.cpp``
  ``markov_model_cpp``: states are sliding k-windows of the touch list (a path shorter than k
  is one state: the whole path), consecutive identical states are collapsed, plus
  ``(start)``, ``(conversion)`` and ``(null)``.  Every transition of a row is weighted by
  ``conversions + nulls`` of the row, except the last state's exits: ``-> (conversion)``
  weighted by conversions and ``-> (null)`` weighted by nulls.
* Removal effect ``RE(c) = 1 - P_{-c}(conv) / P(conv)`` where ``P_{-c}`` redirects every
  state *containing* c to ``(null)``.  Value removal effect uses the expected conversion value
  ``H(s)`` (reward ``mu(s)`` = mean value per conversion of rows ending in ``s``, paid on
  absorption into ``(conversion)`` from ``s``).  Credits are removal effects normalised to
  total conversions (value).
* Horizon ``None`` is the exact infinite-horizon answer, a sparse linear solve of
  ``(I - Q) h = r``.  An integer ``T`` is CA's ``max_step``: a journey may visit at most ``T``
  transient states and must reach ``(conversion)`` on transition ``T + 1`` at the latest
  (journeys that visit a (T+1)-th transient state are dropped).  ``"ca"`` is CA's default
  ``max_step``, see :func:`ca_default_max_step`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

# --------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------


class ReferenceError(ValueError):
    """Bad input; ``kind`` is the stable error code channelwise uses for the same input."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def split_path(path: str, sep: str = ">") -> list[str]:
    """Split ``path`` on ``sep`` and trim whitespace; empty path / empty token -> invalid_path."""
    if not isinstance(path, str) or path.strip() == "":
        raise ReferenceError("invalid_path", f"empty path {path!r}")
    tokens = [t.strip() for t in path.split(sep)]
    if any(t == "" for t in tokens):
        raise ReferenceError("invalid_path", f"empty channel name in {path!r}")
    return tokens


def _as_float(x) -> float:
    # The JSON vectors spell NaN as the string "NaN" (JSON has no NaN literal).
    return float("nan") if isinstance(x, str) and x.lower() == "nan" else float(x)


@dataclass
class Table:
    """Validated path table: token lists plus float columns, channels in first-seen order."""

    paths: list[list[str]]
    conversions: np.ndarray
    nulls: np.ndarray
    value: np.ndarray
    channels: list[str] = field(default_factory=list)

    @property
    def total_conversions(self) -> float:
        return float(self.conversions.sum())

    @property
    def total_value(self) -> float:
        return float(self.value.sum())


def make_table(path, conversions, nulls=None, value=None, sep: str = ">") -> Table:
    """Validate columns the way channelwise does and return a :class:`Table`."""
    n = len(path)
    cols = {"conversions": conversions, "nulls": nulls, "value": value}
    arrays = {}
    for name, col in cols.items():
        if col is None:
            arrays[name] = np.zeros(n)
            continue
        if len(col) != n:
            raise ReferenceError("length_mismatch", f"{name} has {len(col)} rows, path has {n}")
        arrays[name] = np.array([_as_float(x) for x in col], dtype=float)
    paths = [split_path(p, sep) for p in path]
    for name, arr in arrays.items():
        if not np.all(np.isfinite(arr)):
            raise ReferenceError("non_finite", f"{name} contains NaN or infinity")
        if np.any(arr < 0):
            raise ReferenceError("out_of_range", f"{name} contains a negative number")
    channels: list[str] = []
    seen = set()
    for p in paths:
        for c in p:
            if c not in seen:
                seen.add(c)
                channels.append(c)
    return Table(paths, arrays["conversions"], arrays["nulls"], arrays["value"], channels)


# --------------------------------------------------------------------------------------------
# Heuristics
# --------------------------------------------------------------------------------------------


def touch_shares(n_touch: int, rule: str, u=(0.4, 0.4), w=(0.3, 0.3, 0.3), key=None) -> np.ndarray:
    """Share of one conversion given to each touch position of a path with ``n_touch`` touches.

    * first / last: 1 to the first / last touch.
    * linear: 1/L each.
    * u_shaped (f, l): L=1 all to it; L=2 split f:l (half each for the default 40/40);
      L>=3 f to first, l to last, (1-f-l) spread evenly over the L-2 middle touches.
    * w_shaped (f, k, l): L<=3 equal split; L>=4 f to first, k to the key touch (index
      (L-1)//2 unless given), l to last, (1-f-k-l) spread over the L-3 others.
    """
    L = n_touch
    s = np.zeros(L)
    if rule == "first":
        s[0] = 1.0
    elif rule == "last":
        s[-1] = 1.0
    elif rule == "linear":
        s[:] = 1.0 / L
    elif rule == "u_shaped":
        f, l = u
        if L == 1:
            s[0] = 1.0
        elif L == 2:
            s[0], s[1] = f / (f + l), l / (f + l)
        else:
            s[1:-1] = (1.0 - f - l) / (L - 2)
            s[0], s[-1] = f, l
    elif rule == "w_shaped":
        f, k, l = w
        if L <= 3:
            s[:] = 1.0 / L
        else:
            ki = (L - 1) // 2 if key is None else key
            s[:] = (1.0 - f - k - l) / (L - 3)
            s[0], s[ki], s[-1] = f, k, l
    else:
        raise ValueError(rule)
    return s


HEURISTIC_RULES = ["first", "last", "linear", "u_shaped", "w_shaped"]
HEURISTIC_COLUMN = {"first": "first_touch", "last": "last_touch", "linear": "linear",
                    "u_shaped": "u_shaped", "w_shaped": "w_shaped"}


def heuristics(t: Table, u=(0.4, 0.4), w=(0.3, 0.3, 0.3)) -> dict[str, dict[str, float]]:
    """Per-column dict ``{column: {channel: credit}}`` for every heuristic rule."""
    out = {}
    for rule in HEURISTIC_RULES:
        conv = dict.fromkeys(t.channels, 0.0)
        val = dict.fromkeys(t.channels, 0.0)
        for p, c, v in zip(t.paths, t.conversions, t.value):
            for ch, share in zip(p, touch_shares(len(p), rule, u, w)):
                conv[ch] += share * c
                val[ch] += share * v
        out[HEURISTIC_COLUMN[rule] + "_conversions"] = conv
        out[HEURISTIC_COLUMN[rule] + "_value"] = val
    return out


# --------------------------------------------------------------------------------------------
# Markov chain of order k
# --------------------------------------------------------------------------------------------


def collapsed_states(path: list[str], order: int) -> list[tuple[str, ...]]:
    """k-windows of the touch list (whole path if shorter than k), consecutive repeats collapsed."""
    if len(path) < order:
        windows = [tuple(path)]
    else:
        windows = [tuple(path[i:i + order]) for i in range(len(path) - order + 1)]
    out = [windows[0]]
    for s in windows[1:]:
        if s != out[-1]:
            out.append(s)
    return out


@dataclass
class Chain:
    """Absorbing chain over transient states 0..n-1 (start, conversion, null kept implicit)."""

    states: list[tuple[str, ...]]      # transient states (k-windows)
    channels: list[str]                # every channel of the input table
    p0: np.ndarray                     # P(start -> s)
    Q: sp.csr_matrix                   # P(s -> s') among transient states
    r: np.ndarray                      # P(s -> conversion)
    mu: np.ndarray                     # mean value per conversion of rows whose last state is s
    total_conversions: float
    total_value: float
    ca_max_step: int                   # CA's default max_step on this input

    def mask_without(self, channels_removed) -> np.ndarray:
        """1.0 for states that contain none of ``channels_removed``, else 0.0."""
        rem = set(channels_removed)
        return np.array([0.0 if rem.intersection(s) else 1.0 for s in self.states])


def ca_default_max_step(t: Table, order: int, use_nulls: bool) -> int:
    """CA 2.2.5's default ``max_step`` (``max_step=None`` -> ``max_npassi``).

    Read off ``markov_model_cpp``: for every row passed to the C++ (with ``var_null=None`` the
    Python wrapper first drops rows with zero conversions) ``npassi`` counts the collapsed
    states plus one for the end token, and one more when the row has neither conversions nor
    (used) nulls (the end token then sets no exit flag).  The default is the maximum.
    """
    best = 0
    for p, c, n in zip(t.paths, t.conversions, t.nulls):
        if not use_nulls and c <= 0:
            continue  # dropped by the Python wrapper: Data = Data[Data[var_conv] > 0]
        m = len(collapsed_states(p, order))
        nn = n if use_nulls else 0.0
        npassi = m + 1 + (1 if (c <= 0 and nn <= 0) else 0)
        best = max(best, npassi)
    return best


def build_chain(t: Table, order: int = 1, use_nulls: bool = True) -> Chain:
    """Count transitions exactly as described in the module docstring and normalise rows."""
    index: dict[tuple[str, ...], int] = {}
    rows, cols, wts = [], [], []            # transient -> transient weights
    start_w: dict[int, float] = {}
    conv_w: dict[int, float] = {}
    null_w: dict[int, float] = {}
    val_at: dict[int, float] = {}           # value of rows ending in s (for mu)
    cnv_at: dict[int, float] = {}           # conversions of rows ending in s (for mu)
    for p, c, n, v in zip(t.paths, t.conversions, t.nulls, t.value):
        n = n if use_nulls else 0.0
        w = c + n
        if w <= 0:
            continue
        ids = []
        for s in collapsed_states(p, order):
            if s not in index:
                index[s] = len(index)
            ids.append(index[s])
        start_w[ids[0]] = start_w.get(ids[0], 0.0) + w
        for a, b in zip(ids[:-1], ids[1:]):
            rows.append(a)
            cols.append(b)
            wts.append(w)
        last = ids[-1]
        conv_w[last] = conv_w.get(last, 0.0) + c
        null_w[last] = null_w.get(last, 0.0) + n
        if c > 0:
            val_at[last] = val_at.get(last, 0.0) + v
            cnv_at[last] = cnv_at.get(last, 0.0) + c
    n_s = len(index)
    W = sp.coo_matrix((wts, (rows, cols)), shape=(n_s, n_s)).tocsr()  # duplicates summed
    conv = np.zeros(n_s)
    null = np.zeros(n_s)
    for s, x in conv_w.items():
        conv[s] = x
    for s, x in null_w.items():
        null[s] = x
    out_sum = np.asarray(W.sum(axis=1)).ravel() + conv + null
    inv = np.divide(1.0, out_sum, out=np.zeros(n_s), where=out_sum > 0)
    Q = (sp.diags(inv) @ W).tocsr()
    r = conv * inv
    p0 = np.zeros(n_s)
    for s, x in start_w.items():
        p0[s] = x
    if p0.sum() > 0:
        p0 /= p0.sum()
    mu = np.zeros(n_s)
    for s, x in cnv_at.items():
        mu[s] = val_at[s] / x
    states = [None] * n_s
    for s, i in index.items():
        states[i] = s
    return Chain(states, list(t.channels), p0, Q, r, mu, t.total_conversions, t.total_value,
                 ca_default_max_step(t, order, use_nulls))


def absorption(ch: Chain, keep: np.ndarray | None = None, horizon=None) -> tuple[float, float]:
    """(P(conversion), expected conversion value) from (start).

    ``keep`` is a 0/1 mask over transient states; removed states go to (null).  ``horizon``
    ``None`` solves ``(I - Q') h = r'`` exactly with ``scipy.sparse.linalg.spsolve`` where
    ``Q' = diag(keep) Q`` and ``r' = keep * r``; an integer ``T`` sums the probability of
    converting after exactly j transient states, j = 1..T, by explicit iteration
    ``x_{j+1} = (x_j Q) * keep`` with ``x_1 = p0 * keep``.
    """
    n = len(ch.states)
    if keep is None:
        keep = np.ones(n)
    rk = ch.r * keep
    rv = rk * ch.mu
    if horizon is None:
        A = (sp.identity(n, format="csc") - sp.diags(keep) @ ch.Q).tocsc()
        sol = spsolve(A, np.column_stack([rk, rv]))
        sol = np.asarray(sol).reshape(n, 2)
        return float(ch.p0 @ sol[:, 0]), float(ch.p0 @ sol[:, 1])
    T = int(horizon)
    QT = ch.Q.T.tocsr()
    x = ch.p0 * keep
    pc = pv = 0.0
    for _ in range(T):
        pc += float(x @ rk)
        pv += float(x @ rv)
        x = (QT @ x) * keep
    return pc, pv


def resolve_horizon(ch: Chain, horizon):
    if horizon == "ca":
        return ch.ca_max_step
    return horizon


def markov(t: Table, order: int = 1, horizon=None, use_nulls: bool = True) -> dict:
    """Removal effects and credits; returns a dict of column dicts plus scalars."""
    ch = build_chain(t, order, use_nulls)
    T = resolve_horizon(ch, horizon)
    P, H = absorption(ch, None, T)
    re, rev = {}, {}
    for c in t.channels:
        Pc, Hc = absorption(ch, ch.mask_without([c]), T)
        re[c] = 1.0 - Pc / P if P > 0 else 0.0
        rev[c] = 1.0 - Hc / H if H > 0 else 0.0
    s, sv = sum(re.values()), sum(rev.values())
    conv = {c: (re[c] / s * ch.total_conversions if s > 0 else 0.0) for c in t.channels}
    val = {c: (rev[c] / sv * ch.total_value if sv > 0 else 0.0) for c in t.channels}
    return {"removal_effect": re, "removal_effect_value": rev, "conversions": conv, "value": val,
            "conversion_probability": P, "expected_value": H, "max_step": T, "chain": ch}


# --------------------------------------------------------------------------------------------
# Shapley by brute force over all 2^n coalitions
# --------------------------------------------------------------------------------------------


def shapley_bruteforce(n: int, v) -> np.ndarray:
    """Shapley values of the game ``v(mask)`` (mask: int bitset over n players), n <= 12.

    phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! * (v(S+i) - v(S)).
    """
    if n > 12:
        raise ValueError("brute force is for n <= 12")
    vals = np.array([v(m) for m in range(1 << n)], dtype=float)
    fact = [math.factorial(k) for k in range(n + 1)]
    phi = np.zeros(n)
    for i in range(n):
        bit = 1 << i
        for m in range(1 << n):
            if m & bit:
                continue
            s = bin(m).count("1")
            phi[i] += fact[s] * fact[n - s - 1] / fact[n] * (vals[m | bit] - vals[m])
    return phi


def shapley_subset(t: Table) -> dict:
    """Subset game v(S) = conversions (value) of rows whose distinct channel set is within S."""
    n = len(t.channels)
    pos = {c: i for i, c in enumerate(t.channels)}
    row_mask = np.array([sum(1 << pos[c] for c in set(p)) for p in t.paths], dtype=np.int64)

    def game(col):
        col = np.asarray(col, dtype=float)

        def v(m):  # rows whose channel set has no bit outside m
            return float(col[(row_mask & ~m) == 0].sum())
        return v

    phi_c = shapley_bruteforce(n, game(t.conversions))
    phi_v = shapley_bruteforce(n, game(t.value))
    return {"conversions": dict(zip(t.channels, phi_c)), "value": dict(zip(t.channels, phi_v))}


def shapley_subset_closed_form(t: Table) -> dict:
    """Closed form of the subset game: each row split equally over its distinct channels."""
    conv = dict.fromkeys(t.channels, 0.0)
    val = dict.fromkeys(t.channels, 0.0)
    for p, c, v in zip(t.paths, t.conversions, t.value):
        d = set(p)
        for ch in d:
            conv[ch] += c / len(d)
            val[ch] += v / len(d)
    return {"conversions": conv, "value": val}


def shapley_markov(t: Table, order: int = 1, use_nulls: bool = True, horizon=None) -> dict:
    """Markov game: v(S) = total * P_S / P where P_S keeps only states whose channels are all in S.

    (v normalised by the full chain so that credits sum to total conversions / value; the
    raw game P_S * total differs by the constant factor P, Shapley being linear in v.)
    """
    ch = build_chain(t, order, use_nulls)
    T = resolve_horizon(ch, horizon)
    n = len(t.channels)
    P, H = absorption(ch, None, T)
    cache = {}

    def absorb(m):
        if m not in cache:
            outside = [c for i, c in enumerate(t.channels) if not (m >> i) & 1]
            cache[m] = absorption(ch, ch.mask_without(outside), T) if m else (0.0, 0.0)
        return cache[m]

    phi_c = shapley_bruteforce(n, lambda m: absorb(m)[0] / P * ch.total_conversions)
    phi_v = shapley_bruteforce(n, lambda m: absorb(m)[1] / H * ch.total_value)
    return {"conversions": dict(zip(t.channels, phi_c)), "value": dict(zip(t.channels, phi_v)),
            "conversion_probability": P}


# --------------------------------------------------------------------------------------------
# Monte-Carlo check of the truncated chain (independent of CA's code; used in tests only)
# --------------------------------------------------------------------------------------------


def simulate(ch: Chain, max_step: int, nsim: int, seed: int) -> tuple[np.ndarray, float]:
    """Simulate journeys as CA does; returns (fraction of converting journeys visiting each
    channel, P(conv)).  Slow pure-numpy loop over steps, vectorised over journeys."""
    rng = np.random.default_rng(seed)
    n = len(ch.states)
    Qd = ch.Q.toarray()
    # absorbing columns: n = conversion, n+1 = null
    P = np.zeros((n, n + 2))
    P[:, :n] = Qd
    P[:, n] = ch.r
    P[:, n + 1] = 1.0 - Qd.sum(axis=1) - ch.r
    cum = np.cumsum(P, axis=1)
    pos = {c: i for i, c in enumerate(ch.channels)}
    contains = np.zeros((n, len(ch.channels)), bool)
    for i, s in enumerate(ch.states):
        for c in s:
            contains[i, pos[c]] = True
    state = np.searchsorted(np.cumsum(ch.p0), rng.random(nsim), side="right").clip(0, n - 1)
    visited = contains[state].copy()
    alive = np.ones(nsim, bool)
    converted = np.zeros(nsim, bool)
    steps = np.ones(nsim, int)
    while alive.any():
        idx = np.nonzero(alive)[0]
        u = rng.random(len(idx))
        nxt = (cum[state[idx]] < u[:, None]).sum(axis=1).clip(0, n + 1)
        conv = nxt == n
        null = nxt == n + 1
        converted[idx[conv]] = True
        alive[idx[conv | null]] = False
        go = idx[~(conv | null)]
        nx = nxt[~(conv | null)]
        steps[go] += 1
        state[go] = nx
        visited[go] |= contains[nx]
        alive[go[steps[go] > max_step]] = False
    k = converted.sum()
    return visited[converted].sum(axis=0) / max(k, 1), k / nsim


if __name__ == "__main__":  # tiny smoke test
    tb = make_table(["a>b>a", "b"], [1, 0], [0, 1], [1, 0])
    for T in (1, 2, 3, 4, None, "ca"):
        res = markov(tb, 1, T)
        print(T, res["max_step"], res["conversion_probability"], res["removal_effect"])
