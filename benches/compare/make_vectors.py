"""Write tests/vectors/attribution/*.json deterministically.

    /opt/cwvenv/bin/python benches/compare/make_vectors.py [--out tests/vectors/attribution]

Expected numbers come from ChannelAttribution 2.2.5 (run offline, pip) where CA computes the
quantity, and otherwise from benches/compare/reference.py (exact sparse solve, explicit
truncated iteration, brute-force coalitions).  Each vector's "source" says which.  Nothing
here imports channelwise.  Every random input uses a fixed seed; CA's simulation uses fixed
seeds too, so re-running reproduces the files byte for byte (given the pinned versions).

Schema (shared by every stack's runner):
  {"function", "source", "input": {"path", "conversions", "nulls", "value", "sep"},
   "params", "expected": {"channel": [...], <column>: [...], ...}, "tolerance": {"abs", "rel"}}
  check |got - exp| <= abs + rel * |exp|, channels matched by name.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys

import numpy as np
import pandas as pd
import scipy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CA_VERSION = "2.2.5"
SCIPY = f"scipy {scipy.__version__}"
EXACT_SRC = (f"benches/compare/reference.py exact absorbing-chain solve ({SCIPY} "
             "scipy.sparse.linalg.spsolve of (I-Q)h=r per removal)")
TRUNC_SRC = ("benches/compare/reference.py truncated horizon: explicit T-step iteration "
             "x_{j+1}=(x_j Q)*keep, P_T = sum_{j=1..T} x_j.r (at most T transient states before "
             "conversion = CA max_step T)")
BRUTE_SRC = "benches/compare/reference.py brute-force Shapley over all 2^n coalitions"
EXACT_TOL = {"abs": 1e-9, "rel": 0.0}


def ca_data(n_rows: int = 2000) -> pd.DataFrame:
    """CA's bundled Data.csv (cypack/data/Data.csv in the 2.2.5 wheel), first n_rows rows."""
    import ChannelAttribution  # noqa: F401  (only to locate site-packages)

    site = os.path.dirname(os.path.dirname(ChannelAttribution.__file__))
    df = pd.read_csv(os.path.join(site, "cypack", "data", "Data.csv"), sep=";")
    df = df.head(n_rows)
    return pd.DataFrame({"path": df.path, "conversions": df.total_conversions,
                         "nulls": df.total_null, "value": df.total_conversion_value})


def synthetic(n_paths: int, n_channels: int, seed: int, max_len: int = 6) -> pd.DataFrame:
    """Seeded small path table, Zipf-ish channel popularity, integer counts (CA needs ints)."""
    rng = np.random.default_rng(seed)
    chans = ["search", "social", "email", "display", "video", "affiliate", "direct",
             "referral", "tv", "radio", "print", "podcast"][:n_channels]
    pop = 1.0 / np.arange(1, n_channels + 1) ** 0.8
    pop /= pop.sum()
    lift = rng.uniform(0.05, 0.4, n_channels)
    paths = set()
    rows = []
    while len(rows) < n_paths:
        L = int(rng.integers(1, max_len + 1))
        idx = rng.choice(n_channels, L, p=pop)
        p = ">".join(chans[i] for i in idx)
        if p in paths:
            continue
        paths.add(p)
        n_users = int(rng.integers(1, 30))
        pc = 1 - np.prod(1 - lift[np.unique(idx)])
        conv = int(rng.binomial(n_users, pc))
        rows.append((p, conv, n_users - conv, round(conv * float(rng.uniform(5, 80)), 2)))
    return pd.DataFrame(rows, columns=["path", "conversions", "nulls", "value"])


# --------------------------------------------------------------------------------------------
# JSON output
# --------------------------------------------------------------------------------------------


def _num(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        return int(x) if x.is_integer() and abs(x) < 2**53 else x
    return x


def input_of(df: pd.DataFrame, sep=">") -> dict:
    return {"path": list(df.path), "conversions": [_num(x) for x in df.conversions],
            "nulls": [_num(x) for x in df.nulls], "value": [_num(x) for x in df.value],
            "sep": sep}


def expected_of(channels, columns: dict, **scalars) -> dict:
    out = {"channel": list(channels)}
    for col, d in columns.items():
        out[col] = [float(d[c]) for c in channels]
    for k, v in scalars.items():
        out[k] = float(v)
    return out


def dumps(obj) -> str:
    s = json.dumps(obj, indent=2, ensure_ascii=False)
    # put arrays of scalars on one line
    return re.sub(r"\[\s*([^\[\]{}]*?)\s*\]",
                  lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", s) + "\n"


class Writer:
    def __init__(self, out):
        self.out = out
        self.written = []
        os.makedirs(out, exist_ok=True)

    def __call__(self, name, function, source, df_or_input, params, expected, tol):
        inp = df_or_input if isinstance(df_or_input, dict) else input_of(df_or_input)
        obj = {"function": function, "source": source, "input": inp, "params": params,
               "expected": expected, "tolerance": tol}
        with open(os.path.join(self.out, name + ".json"), "w") as f:
            f.write(dumps(obj))
        self.written.append(name)


def table(df):
    return R.make_table(list(df.path), list(df.conversions), list(df.nulls), list(df.value))


# --------------------------------------------------------------------------------------------
# ChannelAttribution runs
# --------------------------------------------------------------------------------------------


def ca_heuristics(df) -> dict:
    import ChannelAttribution as ca

    with contextlib.redirect_stdout(io.StringIO()):
        h = ca.heuristic_models(df, "path", "conversions", var_value="value", flg_pro=False)
    h = h.set_index("channel_name")
    cols = {"first_touch_conversions": "first_touch_conversions",
            "first_touch_value": "first_touch_value",
            "last_touch_conversions": "last_touch_conversions",
            "last_touch_value": "last_touch_value",
            "linear_conversions": "linear_touch_conversions",
            "linear_value": "linear_touch_value"}
    return {ours: h[theirs].to_dict() for ours, theirs in cols.items()}


def ca_markov(df, order, nsim, seed, use_nulls=True):
    import ChannelAttribution as ca

    with contextlib.redirect_stdout(io.StringIO()) as log:
        r = ca.markov_model(df, "path", "conversions", var_value="value",
                            var_null="nulls" if use_nulls else None, order=order,
                            nsim_start=nsim, out_more=True, ncore=1, seed=seed,
                            flg_pro=False, verbose=True)
    re_ = r["removal_effects"].set_index("channel_name")
    res = r["result"].set_index("channel_name")
    steps = int(log.getvalue().split("maximum number of steps (")[-1].split(")")[0])
    return {"removal_effect": re_.removal_effects_conversion.to_dict(),
            "removal_effect_value": re_.removal_effects_conversion_value.to_dict(),
            "conversions": res.total_conversions.to_dict(),
            "value": res.total_conversion_value.to_dict()}, steps


# --------------------------------------------------------------------------------------------
# Vector sets
# --------------------------------------------------------------------------------------------

HAND_HEUR = pd.DataFrame({
    "path": ["a", "a>b", "b > c > a", "a>b>c>d", "c>a>c>b>d", " d >d"],
    "conversions": [1, 2, 1, 3, 1, 2], "nulls": [0, 1, 2, 0, 1, 1],
    "value": [10, 30, 5, 60, 7.5, 11]})


def heuristic_vectors(w: Writer):
    def one(name, df, what):
        t = table(df)
        ref = R.heuristics(t)
        ca = ca_heuristics(df)
        for col, d in ca.items():  # CA and the reference must agree before CA is quoted
            for c in t.channels:
                assert abs(d[c] - ref[col][c]) <= 1e-9 * max(1, abs(d[c])), (name, col, c)
        cols = dict(ca)
        cols.update({k: v for k, v in ref.items() if k.startswith(("u_shaped", "w_shaped"))})
        w(name, "attribution.heuristics",
          f"first/last/linear: ChannelAttribution {CA_VERSION} heuristic_models (pip, run "
          f"offline) on {what}; u_shaped/w_shaped (CA has none): benches/compare/reference.py "
          "touch shares (U 40/20/40: L=1 all, L=2 half each, L>=3 0.4/0.2 spread/0.4; W: L<=3 "
          "equal, L>=4 0.3 first, 0.3 key index (L-1)//2, 0.3 last, 0.1 spread over the rest). "
          "Reference first/last/linear agree with CA to 1e-9. Integer conversions (CA casts "
          "conversions to unsigned long, truncating fractions).",
          df, {}, expected_of(t.channels, cols), EXACT_TOL)

    one("heuristics_hand", HAND_HEUR, "a 6-row hand table (whitespace around tokens, repeated "
        "touches; by hand e.g. linear a = 1 + 2/2 + 1/3 + 3/4 + 1/5 = 3.2833..., U-shaped a = 1 + "
        "1 + 0.4 + 1.2 + 0.2/3 = 3.6666...)")
    one("heuristics_ca_data", ca_data(), "the first 2000 rows of CA's bundled Data.csv "
        "(cypack/data/Data.csv; columns total_conversions, total_null, total_conversion_value)")

    df = HAND_HEUR
    t = table(df)
    u, wsh = (0.3, 0.5), (0.2, 0.4, 0.25)
    ref = R.heuristics(t, u=u, w=wsh)
    cols = {k: v for k, v in ref.items() if k.startswith(("u_shaped", "w_shaped"))}
    w("heuristics_custom_shares", "attribution.heuristics",
      "benches/compare/reference.py touch shares with custom shares: U (first 0.3, last 0.5): "
      "L=1 all, L=2 split first:last = 0.375:0.625, L>=3 0.3 first, 0.5 last, 0.2 over the "
      "middle; W (0.2, 0.4, 0.25): L<=3 equal, L>=4 0.2 first, 0.4 at index (L-1)//2, 0.25 "
      "last, 0.15 over the others. E.g. U-shaped a = 1 + 2*0.375 + 0.5 + 3*0.3 + 0.2/3 = "
      "3.21666...",
      df, {"u_shaped": list(u), "w_shaped": list(wsh)}, expected_of(t.channels, cols),
      EXACT_TOL)


MARKOV_COLS = ["removal_effect", "removal_effect_value", "conversions", "value"]


def markov_expected(t, order, horizon, use_nulls):
    res = R.markov(t, order, horizon, use_nulls)
    return expected_of(t.channels, {c: res[c] for c in MARKOV_COLS},
                       conversion_probability=res["conversion_probability"]), res


HAND_MARKOV = {
    "markov_hand_chain_o1": (
        pd.DataFrame({"path": ["a>b", "a", "b"], "conversions": [1, 0, 1], "nulls": [0, 1, 1],
                      "value": [10, 0, 4]}), 1, None, True,
        "hand derivation: start->a 2/4, start->b 2/4; a->b 1/2, a->null 1/2; b->conv 2/3, "
        "b->null 1/3. h(b)=2/3, h(a)=1/3, P(conv)=1/2. Without a: 1/3 -> RE(a)=1/3; without b: "
        "0 -> RE(b)=1. Credits (total 2): a 0.5, b 1.5. mu(b)=(10+4)/2=7 so value REs equal "
        "conversion REs; value credits (total 14): a 3.5, b 10.5. Confirmed by " + EXACT_SRC),
    "markov_hand_loop_o1": (
        pd.DataFrame({"path": ["a>b>a", "b"], "conversions": [1, 0], "nulls": [0, 1],
                      "value": [5, 0]}), 1, None, True,
        "hand derivation: start->a 1/2, start->b 1/2; a->b 1/2, a->conv 1/2; b->a 1/2, "
        "b->null 1/2. h(a)=1/2+h(b)/2, h(b)=h(a)/2 -> h(a)=2/3, h(b)=1/3, P(conv)=1/2. Without "
        "a: 0 -> RE(a)=1; without b: h(a)=1/2, P=1/4 -> RE(b)=1/2. Credits (total 1): a 2/3, "
        "b 1/3; value (total 5): a 10/3, b 5/3. Confirmed by " + EXACT_SRC),
    "markov_hand_loop_o1_T2": (
        pd.DataFrame({"path": ["a>b>a", "b"], "conversions": [1, 0], "nulls": [0, 1],
                      "value": [5, 0]}), 1, 2, True,
        "hand derivation, horizon T=2 (at most 2 transient states, conversion by transition 3): "
        "converting journeys start>a>conv (1/4) and start>b>a>conv (1/8): P=3/8, RE(a)=1, "
        "RE(b)=(1/8)/(3/8)=1/3. Credits (total 1): a 3/4, b 1/4; value (total 5): 3.75, 1.25. "
        "CA 2.2.5 markov_model(max_step=2, nsim_start=1e6) gives RE(b)=0.3312 (benches/compare/"
        "verify_ca.py). Confirmed by " + TRUNC_SRC),
    "markov_hand_loop_o1_ca": (
        pd.DataFrame({"path": ["a>b>a", "b"], "conversions": [1, 0], "nulls": [0, 1],
                      "value": [5, 0]}), 1, "ca", True,
        "hand derivation, horizon 'ca' = CA default max_step = longest collapsed path (3) + 1 = "
        "4: converting journeys start>(b>)?a(>b>a)*>conv with <= 4 states: 1/4 + 1/8 + 1/16 + "
        "1/32 = 15/32; those avoiding b: 1/4 -> RE(b) = 1 - 8/15 = 7/15, RE(a)=1. Credits (total "
        "1): a 15/22, b 7/22. CA 2.2.5 markov_model(nsim_start=1e6, seeds 0/100/200) gives "
        "RE(b)=0.4662 and reports max steps 4 (verify_ca.py). Confirmed by " + TRUNC_SRC),
    "markov_hand_o2": (
        pd.DataFrame({"path": ["a>b>c", "a>b", "c"], "conversions": [1, 0, 1],
                      "nulls": [0, 1, 0], "value": [6, 0, 2]}), 2, None, True,
        "hand derivation, order 2: states [a b], [b c], and [c] (path shorter than 2 is one "
        "state). start->[a b] 2/3, start->[c] 1/3; [a b]->[b c] 1/2, ->null 1/2; [b c]->conv 1; "
        "[c]->conv 1. P(conv)=1/3+1/3=2/3. Without a ([a b] removed): 1/3 -> RE(a)=1/2; without b "
        "([a b],[b c]): 1/3 -> RE(b)=1/2; without c ([b c],[c]): 0 -> RE(c)=1. Credits (total 2): "
        "a 0.5, b 0.5, c 1. Value: mu([b c])=6, mu([c])=2, H=1/3*6+1/3*2=8/3; without a or b "
        "H=2/3 -> REv=3/4; without c REv=1; value credits (total 8): a 2.4, b 2.4, c 3.2. "
        "Confirmed by " + EXACT_SRC),
    "markov_hand_o3_collapse": (
        pd.DataFrame({"path": ["a>a>a>a>b", "b>a"], "conversions": [1, 0], "nulls": [0, 2],
                      "value": [4, 0]}), 3, None, True,
        "hand derivation, order 3: a>a>a>a>b has windows [a a a],[a a a],[a a b], collapsed to "
        "[a a a],[a a b]; b>a is one short state [b a]. start->[a a a] 1/3, start->[b a] 2/3; "
        "[a a a]->[a a b] 1; [a a b]->conv 1; [b a]->null 1. P(conv)=1/3. Removing a or b kills "
        "[a a b] ([a a b] contains both): RE(a)=RE(b)=1; credits (total 1) 0.5 each; value "
        "(total 4) 2 each. Confirmed by " + EXACT_SRC),
    "markov_hand_o3_collapse_no_nulls": (
        pd.DataFrame({"path": ["a>a>a>a>b", "b>a"], "conversions": [1, 0], "nulls": [0, 2],
                      "value": [4, 0]}), 3, None, False,
        "as markov_hand_o3_collapse with use_nulls=false: nulls treated as 0, so the row b>a "
        "has zero weight and start->[a a a] 1: P(conv)=1, RE(a)=RE(b)=1, credits 0.5/0.5, "
        "value 2/2. Confirmed by " + EXACT_SRC),
}


def markov_vectors(w: Writer):
    for name, (df, order, horizon, use_nulls, src) in HAND_MARKOV.items():
        t = table(df)
        exp, _ = markov_expected(t, order, horizon, use_nulls)
        w(name, "attribution.markov", src, df,
          {"order": order, "horizon": horizon, "use_nulls": use_nulls}, exp, EXACT_TOL)

    data = ca_data()
    t = table(data)
    what = "the first 2000 rows of ChannelAttribution 2.2.5's bundled Data.csv"
    for order in (1, 2, 3):
        exp, _ = markov_expected(t, order, None, True)
        w(f"markov_ca_data_o{order}_exact", "attribution.markov",
          f"{EXACT_SRC}, order {order}, on {what}", data,
          {"order": order, "horizon": None, "use_nulls": True}, exp, EXACT_TOL)
    exp, _ = markov_expected(t, 1, None, False)
    w("markov_ca_data_o1_exact_no_nulls", "attribution.markov",
      f"{EXACT_SRC}, order 1, use_nulls=false (rows' nulls treated as 0), on {what}", data,
      {"order": 1, "horizon": None, "use_nulls": False}, exp, EXACT_TOL)
    for order, T in ((1, 3), (2, 5), (3, 4)):
        exp, _ = markov_expected(t, order, T, True)
        w(f"markov_ca_data_o{order}_T{T}", "attribution.markov",
          f"{TRUNC_SRC}, order {order}, T={T}, on {what}", data,
          {"order": order, "horizon": T, "use_nulls": True}, exp, EXACT_TOL)
    for order in (1, 2):
        exp, res = markov_expected(t, order, "ca", True)
        w(f"markov_ca_data_o{order}_ca_horizon", "attribution.markov",
          f"{TRUNC_SRC}, order {order}, horizon 'ca' = CA's default max_step = longest "
          f"collapsed state path + 1 = {res['max_step']} here, on {what}", data,
          {"order": order, "horizon": "ca", "use_nulls": True}, exp, EXACT_TOL)

    syn = synthetic(2000, 8, seed=20240601)
    ts = table(syn)
    for order in (1, 2, 3):
        exp, _ = markov_expected(ts, order, None, True)
        w(f"markov_synthetic8_o{order}_exact", "attribution.markov",
          f"{EXACT_SRC}, order {order}, on a seeded synthetic table (make_vectors.synthetic(2000, "
          "8, seed=20240601): 2000 distinct paths, 8 channels, lengths 1-6)", syn,
          {"order": order, "horizon": None, "use_nulls": True}, exp, EXACT_TOL)

    ca_sim_vectors(w)


def ca_sim_vectors(w: Writer):
    """Expected straight from CA's simulation, horizon 'ca', with a Monte-Carlo tolerance."""
    nsim, seed = 1e7, 0
    for order, (n, k, s) in ((1, (60, 5, 7)), (2, (60, 5, 11))):
        df = synthetic(n, k, seed=s, max_len=5)
        t = table(df)
        got, steps = ca_markov(df, order, nsim, seed)
        ref = R.markov(t, order, "ca", True)
        assert steps == ref["max_step"], (steps, ref["max_step"])
        # Tolerance: CA reports one fold of nsim/nfold = 1e6 journeys.  The binomial SE of a
        # removal effect p is sqrt(p(1-p)/n_conv) with n_conv = P(conv)*1e6 converting
        # journeys; allow 6 SE on the largest p(1-p) (0.25), plus 2% relative for the credits
        # (normalised ratios of such estimates) and the value columns (value drawn per
        # conversion from the last state's empirical value distribution adds variance).
        n_conv = ref["conversion_probability"] * nsim / 10
        tol_abs = round(float(6 * np.sqrt(0.25 / n_conv)), 4)
        tol = {"abs": tol_abs, "rel": 0.02}
        worst = 0.0
        for col in MARKOV_COLS:
            for c in t.channels:
                e, r = got[col][c], ref[col][c]
                assert abs(e - r) <= tol["abs"] + tol["rel"] * abs(e), (order, col, c, e, r)
                worst = max(worst, abs(e - r) / (tol["abs"] + tol["rel"] * abs(e)))
        exp = expected_of(t.channels, got, conversion_probability=ref["conversion_probability"])
        w(f"markov_ca_sim_o{order}", "attribution.markov",
          f"ChannelAttribution {CA_VERSION} markov_model(order={order}, nsim_start=1e7, "
          f"seed={seed}, nfold=10, ncore=1, max_step=None, out_more=True) run offline via pip, "
          f"on make_vectors.synthetic({n}, {k}, seed={s}, max_len=5); columns removal_effects_"
          "conversion, removal_effects_conversion_value, total_conversions, total_conversion_"
          f"value. CA used max_step={steps} (= longest collapsed path + 1), i.e. horizon 'ca'. "
          "Monte-Carlo tolerance: CA reports one fold of nsim/nfold=1e6 journeys, so abs = 6 "
          "binomial SE at p=0.5 for P(conv)*1e6 converting journeys, plus rel 0.02 for credits "
          "and values; the exact truncated reference (reference.py) lies within "
          f"{worst:.2f} of this tolerance. conversion_probability (CA does not report it) is "
          "from reference.py's truncated iteration, tol 1e-9 would apply.",
          df, {"order": order, "horizon": "ca", "use_nulls": True}, exp, tol)


def shapley_vectors(w: Writer):
    for name, df, what in (
            ("shapley_subset_hand", HAND_HEUR, "the 6-row hand table of heuristics_hand"),
            ("shapley_subset_ca_data", ca_data(), "the first 2000 rows of CA 2.2.5's bundled "
             "Data.csv (12 channels, 4096 coalitions)")):
        t = table(df)
        brute = R.shapley_subset(t)
        closed = R.shapley_subset_closed_form(t)
        for col in ("conversions", "value"):
            for c in t.channels:
                assert abs(brute[col][c] - closed[col][c]) <= 1e-9 * max(1, abs(closed[col][c]))
        w(name, "attribution.shapley",
          f"{BRUTE_SRC} of the subset game v(S) = conversions (value) of rows whose distinct "
          f"channel set lies in S, on {what}; equals the closed form (each row split equally over "
          "its distinct channels) to 1e-9",
          df, {"game": "subset"}, expected_of(t.channels, brute), EXACT_TOL)

    for name, df, what in (
            ("shapley_markov_hand", HAND_MARKOV["markov_hand_chain_o1"][0],
             "the table of markov_hand_chain_o1 (by hand: v({a})=0, v({b})=2*(1/2*... )"),
            ("shapley_markov_synthetic8", synthetic(300, 8, seed=99),
             "make_vectors.synthetic(300, 8, seed=99)")):
        t = table(df)
        res = R.shapley_markov(t, 1, True, None)
        if name == "shapley_markov_hand":
            # by hand: P=1/2; only b: P = 1/2*2/3 = 1/3 -> v({b}) = 2*(1/3)/(1/2) = 4/3;
            # only a: P = 0 -> v({a}) = 0; v({a,b}) = 2.  phi_a = (0 + (2-4/3))/2 = 1/3,
            # phi_b = (4/3 + 2)/2 = 5/3.  Value (mu(b)=7 everywhere): x7 -> 7/3, 35/3.
            assert abs(res["conversions"]["a"] - 1 / 3) < 1e-12
            assert abs(res["value"]["b"] - 35 / 3) < 1e-12
            what = ("the table of markov_hand_chain_o1. By hand: P(conv)=1/2; with only b "
                    "P=1/2*2/3=1/3 so v({b})=2*(1/3)/(1/2)=4/3; with only a P=0; v({a,b})=2. "
                    "phi_a=(0+(2-4/3))/2=1/3, phi_b=(4/3+2)/2=5/3; value (mu(b)=7) 7/3, 35/3")
        w(name, "attribution.shapley",
          f"{BRUTE_SRC} of the order-1 Markov game v(S) = total * P_S(conv) / P(conv) (exact "
          f"infinite-horizon chain, {SCIPY} spsolve; P_S removes every state with a channel "
          "outside S; value game uses the expected conversion value H_S the same way), on "
          f"{what}. Credits sum to total conversions / value.",
          df, {"game": "markov", "order": 1, "method": "exact"},
          expected_of(t.channels, {k: res[k] for k in ("conversions", "value")}), EXACT_TOL)


def error_vectors(w: Writer):
    base = {"path": ["a>b", "b"], "conversions": [1, 2], "nulls": [0, 1], "value": [3.0, 4.0],
            "sep": ">"}
    cases = {
        "invalid_path": [("empty_path", {"path": ["a>b", ""]}, "an empty path string"),
                         ("empty_token", {"path": ["a>>b", "b"]}, "an empty token in a>>b")],
        "non_finite": [("nan_conversions", {"conversions": [1, "NaN"]},
                        "NaN conversions (JSON has no NaN literal: the string \"NaN\" in the "
                        "input array stands for a floating-point NaN; runners must convert it)")],
        "out_of_range": [("negative_nulls", {"nulls": [0, -1]}, "negative nulls")],
        "length_mismatch": [("length_mismatch", {"value": [3.0]},
                             "value has 1 entry for 2 paths")],
    }
    for kind, items in cases.items():
        for slug, patch, what in items:
            inp = dict(base, **patch)
            # the reference must reject it with the same kind
            try:
                R.make_table(inp["path"], inp["conversions"], inp["nulls"], inp["value"])
                raise AssertionError(slug)
            except R.ReferenceError as e:
                assert e.kind == kind, (slug, e.kind)
            for fn, params in (("heuristics", {}),
                               ("markov", {"order": 1, "horizon": None, "use_nulls": True})):
                w(f"error_{fn}_{slug}", f"attribution.{fn}",
                  f"input validation convention (DESIGN.md): {what} must fail with kind "
                  f"'{kind}' before any computation; reference.py make_table raises the same kind",
                  inp, params, {"error": kind}, {"abs": 0.0, "rel": 0.0})


def main():
    ap = argparse.ArgumentParser(description="write tests/vectors/attribution/*.json")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "vectors", "attribution"))
    args = ap.parse_args()
    w = Writer(args.out)
    heuristic_vectors(w)
    markov_vectors(w)
    shapley_vectors(w)
    error_vectors(w)
    for n in w.written:
        size = os.path.getsize(os.path.join(args.out, n + ".json"))
        print(f"{n}.json  {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
