"""cw.clv: the user-facing API on CDNOW (the shared vectors' data), errors, JSON, plots."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import channelwise as cw
from conftest import VECTORS

CLV = VECTORS / "clv"


def _vector(name):
    return json.loads((CLV / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def cdnow():
    import pandas as pd

    v = _vector("gamma_gamma_fit_cdnow")
    h = _vector("bg_nbd_fit_cdnow")["input"]
    df = pd.DataFrame({"frequency": h["frequency"], "recency": h["recency"], "T": h["T"]})
    df["monetary_value"] = v["input"]["monetary_value"]
    return df


def test_readme_bg_nbd_on_cdnow(cdnow):
    # START: readme-python-clv
    bgf = cw.clv.BetaGeo().fit(cdnow, frequency="frequency", recency="recency", T="T")
    bgf.params  # {'r': 0.2426, 'alpha': 4.4135, 'a': 0.7929, 'b': 2.4258}
    alive = bgf.p_alive(cdnow)  # a pandas Series on cdnow's index
    next_quarter = bgf.expected_purchases(13, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    buyers = cdnow[cdnow["frequency"] > 0]
    ggf = cw.clv.GammaGamma().fit(buyers, frequency="frequency", monetary_value="monetary_value")
    value = ggf.clv(bgf, buyers, months=12, discount_rate=0.01, freq="W")
    # END: readme-python-clv
    want = _vector("bg_nbd_fit_cdnow")["expected"]
    for k in ("r", "alpha", "a", "b"):
        assert bgf.params[k] == pytest.approx(want[k], rel=1e-6)
    assert bgf.log_likelihood == pytest.approx(want["log_likelihood"], rel=1e-9)
    assert all(0 < s < 1 for s in bgf.std_errors.values())
    assert bgf.diagnostics["total_weight"] == len(cdnow)
    assert list(alive.index) == list(cdnow.index) and ((alive > 0) & (alive <= 1)).all()
    assert alive[cdnow["frequency"] == 0].eq(1.0).all()
    assert next_quarter.name == "expected_purchases" and (next_quarter >= 0).all()
    g = _vector("gamma_gamma_fit_cdnow")["expected"]
    assert ggf.params["p"] == pytest.approx(g["p"], rel=1e-6)
    assert list(value.index) == list(buyers.index) and (value > 0).all()


def test_predictions_match_lifetimes_vector_from_every_input_kind():
    import polars as pl

    v = _vector("bg_nbd_predict_cdnow")
    p = {k: v["params"][k] for k in ("r", "alpha", "a", "b")}
    m = cw.clv.BetaGeoParams(**p)
    inp = v["input"]
    want = v["expected"]["p_alive"]
    as_list = m.p_alive(inp["frequency"], inp["recency"], inp["T"])
    assert isinstance(as_list, np.ndarray)
    np.testing.assert_allclose(as_list, want, rtol=1e-9, atol=1e-12)
    pl_out = m.p_alive(pl.DataFrame({k: inp[k] for k in ("frequency", "recency", "T")}))
    assert isinstance(pl_out, pl.Series) and pl_out.to_list() == as_list.tolist()
    one = m.p_alive(inp["frequency"][3], inp["recency"][3], inp["T"][3])
    assert one[0] == as_list[3]
    probs = m.probability_of_purchases(range(11), v["params"]["t"])
    np.testing.assert_allclose(probs, v["expected"]["probability_of_purchases"], rtol=1e-9, atol=1e-12)
    assert m.probability_of_purchases(2, v["params"]["t"]) == probs[2]


def test_pareto_and_sbg_fits():
    h = _vector("pareto_nbd_fit_cdnow")
    fit = cw.clv.ParetoNbd().fit({k: h["input"][k] for k in ("frequency", "recency", "T")})
    assert set(fit.params) == {"r", "alpha", "s", "beta"}
    assert fit.params["s"] == pytest.approx(h["expected"]["s"], rel=2e-6)
    assert isinstance(fit, cw.clv.ParetoNbdParams)
    s = _vector("sbg_fit_regular")
    sbg = cw.clv.ShiftedBetaGeo().fit(s["input"]["survivors"])
    assert sbg.params["alpha"] == pytest.approx(s["expected"]["alpha"], rel=1e-6)
    surv = sbg.survival(12)
    assert len(surv) == 13 and surv[0] == 1.0 and np.all(np.diff(surv) < 0)
    assert np.all(np.diff(sbg.retention(12)) > 0)
    assert sbg.log_likelihood_of(s["input"]["survivors"]) == pytest.approx(sbg.log_likelihood, rel=1e-12)


def test_rfm_from_pandas_and_polars_datetimes():
    import pandas as pd
    import polars as pl

    v = _vector("rfm_summary_W")
    inp = v["input"]
    when = pd.to_datetime(inp["datetime"], unit="s")
    log = pd.DataFrame({"customer_id": inp["customer_id"], "date": when, "spend": inp["monetary_value"]})
    out = cw.clv.rfm(log, monetary_value="spend", freq="W")
    assert list(out.columns) == ["customer_id", "frequency", "recency", "T", "monetary_value"]
    assert out["customer_id"].tolist() == v["expected"]["customer_id"]
    np.testing.assert_allclose(out["T"], v["expected"]["T"])
    plo = cw.clv.rfm(pl.from_pandas(log), monetary_value="spend", freq="W")
    assert isinstance(plo, pl.DataFrame) and plo["frequency"].to_list() == out["frequency"].tolist()
    no_spend = cw.clv.rfm(log, freq="W")
    assert "monetary_value" not in no_spend.columns
    c = cw.clv.calibration_and_holdout(log, "2014-09-01", monetary_value="spend", freq="W", observation_end="2014-12-31")
    assert {"frequency_cal", "T_cal", "frequency_holdout", "duration_holdout"} <= set(c.columns)


def test_mbg_nbd_on_cdnow(cdnow):
    mbg = cw.clv.ModifiedBetaGeo().fit(cdnow)  # lifetimes' ModifiedBetaGeoFitter
    mbg.params  # {'r': 0.5248, 'alpha': 6.1830, 'a': 0.8914, 'b': 1.6140}
    never_back = mbg.p_alive(0, 0, cdnow["T"].max())  # below 1: she may have left at once
    want = _vector("mbg_nbd_fit_cdnow")["expected"]
    for k in ("r", "alpha", "a", "b"):
        assert mbg.params[k] == pytest.approx(want[k], rel=1e-6)
    assert mbg.log_likelihood == pytest.approx(want["log_likelihood"], rel=1e-9)
    # MBG/NBD's one-off dropout at the first purchase: a customer who never came back is alive
    # with probability 1 / (1 + a/b ((alpha+T)/alpha)^r) < b/(a+b), the chance she stayed at once
    p, age = mbg.params, cdnow["T"].max()
    assert never_back[0] == pytest.approx(1 / (1 + p["a"] / p["b"] * ((p["alpha"] + age) / p["alpha"]) ** p["r"]), rel=1e-12)
    assert never_back[0] < p["b"] / (p["a"] + p["b"])
    # the same parameters read as BG/NBD would call her alive for sure
    assert cw.clv.BetaGeoParams(**p).p_alive(0, 0, 39.0)[0] == 1.0
    probs = mbg.probability_of_purchases(range(200), 39.0)
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert float(np.arange(200) @ probs) == pytest.approx(mbg.expected_purchases_unconditional(39.0), rel=1e-9)
    again = cw.clv.FittedModifiedBetaGeo.from_json(mbg.to_json())
    assert again.params == mbg.params and again.std_errors == mbg.std_errors
    with pytest.raises(cw.InvalidParameterError):
        cw.clv.FittedBetaGeo.from_json(mbg.to_json())  # another model's document
    # Gamma-Gamma's CLV takes it as it takes BG/NBD
    buyers = cdnow[cdnow["frequency"] > 0]
    value = cw.clv.GammaGamma().fit(buyers).clv(mbg, buyers, months=12, discount_rate=0.01, freq="W")
    assert (value > 0).all()
    with pytest.raises(cw.OutOfRangeError, match=r"recency\[0\]"):
        cw.clv.ModifiedBetaGeo().fit({"frequency": [1.0], "recency": [3.0], "T": [2.0]})


def test_json_round_trip_is_exact(cdnow):
    fit = cw.clv.BetaGeo().fit(cdnow)
    again = cw.clv.FittedBetaGeo.from_json(fit.to_json())
    assert again.params == fit.params and again.std_errors == fit.std_errors
    assert again.log_likelihood == fit.log_likelihood and again.diagnostics == fit.diagnostics
    assert again.p_alive(cdnow).tolist() == fit.p_alive(cdnow).tolist()
    gg = cw.clv.GammaGamma().fit(cdnow[cdnow["frequency"] > 0])
    assert cw.clv.FittedGammaGamma.from_json(gg.to_json()).params == gg.params
    with pytest.raises(cw.InvalidParameterError):
        cw.clv.FittedParetoNbd.from_json(fit.to_json())  # another model's document
    doc = json.loads(fit.to_json())
    doc["fitted"]["params"]["r"] = -1.0
    with pytest.raises(cw.InvalidParameterError, match="json"):
        cw.clv.FittedBetaGeo.from_json(json.dumps(doc))
    with pytest.raises(cw.InvalidParameterError):
        cw.clv.FittedBetaGeo.from_json("{not json")


def test_errors_name_field_and_value():
    with pytest.raises(cw.OutOfRangeError, match=r"recency\[1\] must be in \[0, 8\], got 9") as e:
        cw.clv.BetaGeo().fit({"frequency": [1, 2], "recency": [3, 9], "T": [5, 8]})
    assert e.value.code == "out_of_range"
    with pytest.raises(cw.InvalidParameterError, match="frequency 0 has recency 0"):
        cw.clv.BetaGeoParams(r=0.2, alpha=4, a=0.8, b=2.4).p_alive([0], [2], [5])
    with pytest.raises(cw.OutOfRangeError, match="alpha"):
        cw.clv.BetaGeoParams(r=0.2, alpha=-4, a=0.8, b=2.4)
    with pytest.raises(cw.InvalidParameterError, match="expected"):
        cw.clv.ParetoNbdParams(r=1, alpha=1, a=1, b=1)
    with pytest.raises(cw.OutOfRangeError, match=r"monetary_value\[1\]"):
        cw.clv.GammaGamma().fit({"frequency": [1, 2, 3], "monetary_value": [10.0, 0.0, 5.0]})
    with pytest.raises(cw.NonFiniteError, match=r"T\[0\]"):
        cw.clv.BetaGeo().fit({"frequency": [1], "recency": [1], "T": [math.nan]})
    with pytest.raises(cw.InvalidParameterError, match="column"):
        cw.clv.BetaGeo().fit({"frequency": [1], "recency": [1]})
    with pytest.raises(cw.InvalidParameterError, match="freq"):
        cw.clv.GammaGammaParams(6.25, 3.74, 15.44).clv(cw.clv.BetaGeoParams(r=0.2, alpha=4, a=0.8, b=2.4), [1], [1], [2], [10.0], freq="Q")
    with pytest.raises(cw.OutOfRangeError, match=r"survivors\[2\]"):
        cw.clv.ShiftedBetaGeo().fit([1000, 800, 900])
    with pytest.raises(cw.NotEnoughDataError):
        cw.clv.rfm({"customer_id": [], "date": []})
    with pytest.raises(TypeError):
        cw.clv.GammaGammaParams(6.25, 3.74, 15.44).clv("bg", [1], [1], [2], [10.0])


def test_column_names_with_a_table_are_used_and_data_beside_it_refused():
    # clv() read the default columns whatever was named (found by an audit); arrays given beside
    # a table were ignored
    import pandas as pd

    bg = cw.clv.BetaGeoParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    gg = cw.clv.GammaGammaParams(6.25, 3.74, 15.44)
    df = pd.DataFrame({"frequency": [1, 3], "recency": [10, 20], "T": [38, 38], "monetary_value": [20.0, 35.0],
                       "spend": [500.0, 40.0], "rec2": [30, 5], "age": [100, 60]})
    renamed = df.rename(columns={"monetary_value": "m", "recency": "r"}).assign(T=df["T"])
    base = gg.clv(bg, df)
    assert gg.clv(bg, renamed.rename(columns={"T": "t"}), recency="r", T="t", monetary_value="m").tolist() == base.tolist()
    by_hand = gg.clv(bg, df["frequency"].to_numpy(), df["rec2"].to_numpy(), df["age"].to_numpy(), df["spend"].to_numpy())
    assert gg.clv(bg, df, recency="rec2", T="age", monetary_value="spend").tolist() == by_hand.tolist()
    assert gg.clv(bg, df, monetary_value="spend").tolist() != base.tolist()
    with pytest.raises(TypeError, match=r"monetary_value: with a table, expected a column name"):
        gg.clv(bg, df, monetary_value=[1.0, 2.0])
    with pytest.raises(TypeError, match=r"recency: with a table"):
        bg.p_alive(df, recency=df["rec2"])


def test_sbg_curves_past_the_periods_cap_and_with_large_shapes():
    # 2**32 - 1 periods asked for 34 GB and aborted the interpreter; large shapes gave S(1) > 1
    p = cw.clv.ShiftedBetaGeoParams(0.7, 1.2)
    with pytest.raises(cw.OutOfRangeError, match=r"periods must be in \[0, 10000000\], got 4294967295"):
        p.survival(2**32 - 1)
    s = cw.clv.ShiftedBetaGeoParams(1e14, 3e14).survival(4)
    np.testing.assert_allclose(np.asarray(s), 0.75 ** np.arange(5), rtol=1e-9)


def test_numbers_given_as_text_or_bools_are_type_errors():
    # float() read "0.243" and True (a 100% monthly discount rate); JS refused them (an audit)
    bg = cw.clv.BetaGeoParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    gg = cw.clv.GammaGammaParams(6.25, 3.74, 15.44)
    calls = {
        "r": lambda: cw.clv.BetaGeoParams(r="0.243", alpha=4.414, a=0.793, b=2.426),
        "alpha": lambda: cw.clv.ShiftedBetaGeoParams(True, 1.2),
        "q": lambda: cw.clv.GammaGammaParams(6.25, "3.74", 15.44),
        "discount_rate": lambda: gg.clv(bg, [1], [10], [38], [20.0], discount_rate=True),
        "t": lambda: bg.expected_purchases("10", [2], [30], [38]),
        r"t\[1\]": lambda: bg.expected_purchases_unconditional([1, "2"]),
        "p1": lambda: cw.experiment.power(p1=True, p2=0.1, power=0.8),
        "effect_size": lambda: cw.experiment.cuped_effect_size(np.bool_(True), 0.5),
    }
    for role, call in calls.items():
        with pytest.raises(TypeError, match=rf"^{role}: expected a number"):
            call()


def test_penalizer_fits_customers_who_hardly_differ():
    """lifetimes' remedy: without a penalty the fit says there is no maximum and points to it; with
    one it lands on the exact optimum of lifetimes' own penalised objective (the shared vector)."""
    v = _vector("bg_nbd_fit_no_heterogeneity_penalized")
    df = {k: v["input"][k] for k in ("frequency", "recency", "T")}
    with pytest.raises(cw.NotConvergedError, match="a penalizer_coef such as 0.001 keeps them finite"):
        cw.clv.BetaGeo().fit(df)
    spec = cw.clv.BetaGeo(penalizer_coef=v["params"]["penalizer_coef"])
    assert repr(spec) == "BetaGeo(max_iter=2000, collapse=True, penalizer_coef=0.001)"
    fit = spec.fit(df)
    for k in ("r", "alpha", "a", "b"):
        assert fit.params[k] == pytest.approx(v["expected"][k], rel=1e-6)
    assert fit.log_likelihood == pytest.approx(v["expected"]["log_likelihood"], rel=1e-6)
    assert cw.clv.FittedBetaGeo.from_json(fit.to_json()).params == fit.params
    with pytest.raises(cw.OutOfRangeError, match=r"penalizer_coef must be in \[0, inf\], got -0.1"):
        cw.clv.ParetoNbd(penalizer_coef=-0.1).fit(df)
    with pytest.raises(cw.NonFiniteError, match="penalizer_coef"):
        cw.clv.ShiftedBetaGeo(penalizer_coef=math.nan).fit([1000, 631, 468, 382])
    with pytest.raises(TypeError, match="penalizer_coef"):
        cw.clv.GammaGamma(penalizer_coef="0.01")


def test_heavy_buyers_do_not_overflow():
    v = _vector("bg_nbd_predict_heavy_buyers")
    m = cw.clv.BetaGeoParams(**{k: v["params"][k] for k in ("r", "alpha", "a", "b")})
    e = m.expected_purchases(39.0, v["input"]["frequency"], v["input"]["recency"], v["input"]["T"])
    np.testing.assert_allclose(e, v["expected"]["expected_purchases"], rtol=1e-10, atol=1e-12)
    ln, sign = cw.clv.ln_hyp2f1(800.0, 800.0, 900.0, 0.9)
    assert ln > 1000 and math.isfinite(ln) and sign == 1.0


def test_plot_heatmaps(cdnow):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    fit = cw.clv.BetaGeo().fit(cdnow)
    fig = fit.plot(max_frequency=10, t=4)
    alive, expect = (np.ma.filled(ax.images[0].get_array().astype(float), np.nan) for ax in fig.axes[:2])
    assert alive.shape == (11, int(cdnow["T"].max()) + 1)
    assert np.isnan(alive[0, 1]) and alive[0, 0] == 1.0  # frequency 0: recency 0 only
    assert np.nanmax(alive) <= 1.0 and np.nanmin(expect) >= 0.0
    again = cw.clv.FittedBetaGeo.from_json(fit.to_json())
    assert again.plot().axes[0].images[0].get_array().shape[0] == int(cdnow["frequency"].max()) + 1
    with pytest.raises(cw.InvalidParameterError, match="max_frequency"):
        cw.clv.BetaGeoParams(r=0.2, alpha=4, a=0.8, b=2.4).plot()


def test_bg_bb_on_the_donations():
    import pandas as pd

    v = _vector("bg_bb_fit_donations")
    donors = pd.DataFrame({k: v["input"][k] for k in ("frequency", "recency", "n_periods", "weights")})
    bb = cw.clv.BetaGeoBetaBinom().fit(donors, weights="weights")  # lifetimes' BetaGeoBetaBinomFitter
    for k in ("alpha", "beta", "gamma", "delta"):
        assert bb.params[k] == pytest.approx(v["expected"][k], rel=1e-8)
    # Fader, Hardie & Shang (2010): 1.204, 0.750, 0.657, 2.783, LL -33,225.6
    assert [round(bb.params[k], 3) for k in ("alpha", "beta", "gamma", "delta")] == [1.204, 0.750, 0.657, 2.783]
    assert round(bb.log_likelihood, 1) == -33225.6
    alive = bb.p_alive(donors)  # a pandas Series on the table's index
    assert list(alive.index) == list(donors.index) and alive.name == "p_alive"
    # gave at the last drive: alive for sure; gave three drives ago: probably gone
    assert alive[(donors.frequency == 3) & (donors.recency == 6)].iloc[0] == pytest.approx(1.0, abs=1e-15)
    assert alive[(donors.frequency == 3) & (donors.recency == 3)].iloc[0] < 0.5
    later = bb.p_alive(donors, m_periods=5)
    assert (later <= alive + 1e-15).all()
    nxt = bb.expected_purchases(5, donors)
    # the donors' total over the next five drives is the sum of the weighted rows
    assert float((nxt * donors.weights).sum()) > 0
    probs = bb.probability_of_purchases(range(7), 6)
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    assert float(np.arange(7) @ probs) == pytest.approx(bb.expected_purchases_unconditional(6), rel=1e-12)
    assert bb.log_likelihood_of(donors, weights=donors.weights) == pytest.approx(bb.log_likelihood, rel=1e-12)
    again = cw.clv.FittedBetaGeoBetaBinom.from_json(bb.to_json())
    assert again.params == bb.params and again.diagnostics == bb.diagnostics
    with pytest.raises(cw.InvalidParameterError, match=r"frequency\[1\]"):
        cw.clv.BetaGeoBetaBinom().fit({"frequency": [1, 3], "recency": [1, 2], "n_periods": [6, 6]})
    with pytest.raises(cw.OutOfRangeError, match=r"recency\[0\]"):
        bb.p_alive([1], [7], [6])
    with pytest.raises(cw.InvalidParameterError, match="m_periods"):
        bb.p_alive(donors, m_periods=-1)
    with pytest.raises(cw.OutOfRangeError, match="m_periods"):
        bb.expected_purchases(2**40, donors)  # past the compiled module's 32-bit counts
    with pytest.raises(cw.OutOfRangeError, match=r"^n must be in \[0, 4294967295\], got 8589934592"):
        cw.clv.BetaGeoParams(r=0.243, alpha=4.414, a=0.793, b=2.426).probability_of_purchases(2**33, 1.0)


def test_predictions_stay_in_bounds_over_random_parameters():
    """A seeded fuzz of the models' predictions over parameters log-uniform across many decades
    (it found BG/NBD expectations of -1e10 at r = 400, Pareto/NBD ones above the never-drop-out
    rate and BG/BB NaNs): every prediction is finite and within its bounds, or a typed refusal
    (a series too long, named by its horizon), never an internal error."""
    import random

    rng = random.Random(20261208)
    lu = lambda lo, hi: 10 ** rng.uniform(lo, hi)  # noqa: E731

    def check(f, lo, hi):
        try:
            v = np.atleast_1d(np.asarray(f(), dtype=float))
        except cw.InvalidParameterError as e:
            assert "too far for the 2F1 series" in str(e), e
            return
        assert np.all(np.isfinite(v)) and np.all(v >= lo) and np.all(v <= hi * (1 + 1e-9)), (v, lo, hi)

    for _ in range(300):
        r, alpha, a, b = lu(-4, 5), lu(-4, 6), lu(-4, 4), lu(-4, 4)
        T = lu(-2, 4)
        x = float(rng.choice([0, 1, 2, 5, 30, 300]))
        tx = 0.0 if x == 0 else rng.uniform(0, T)
        h = lu(-3, 5)
        for P in (cw.clv.BetaGeoParams, cw.clv.ModifiedBetaGeoParams):
            p = P(r=r, alpha=alpha, a=a, b=b)
            check(lambda: p.p_alive([x], [tx], [T]), 0, 1)
            check(lambda: p.expected_purchases(h, [x], [tx], [T]), 0, (r + x) / (alpha + T) * h)
            check(lambda: p.expected_purchases_unconditional(h), 0, r / alpha * h)
        q = cw.clv.ParetoNbdParams(r=r, alpha=alpha, s=a, beta=b)
        check(lambda: q.p_alive([x], [tx], [T]), 0, 1)
        check(lambda: q.expected_purchases(h, [x], [tx], [T]), 0, (r + x) / (alpha + T) * h)
        check(lambda: q.expected_purchases_unconditional(h), 0, r / alpha * h)
        g = cw.clv.BetaGeoBetaBinomParams(alpha=lu(-3, 5), beta=lu(-3, 5), gamma=lu(-3, 5), delta=lu(-3, 5))
        n = rng.choice([1, 6, 30, 200])
        k = rng.randint(0, n)
        last = 0 if k == 0 else rng.randint(k, n)
        m = rng.choice([1, 5, 50, 500])
        check(lambda: g.p_alive([k], [last], [n], m), 0, 1)
        check(lambda: g.expected_purchases(m, [k], [last], [n]), 0, m)
        check(lambda: g.probability_of_purchases([k], n), 0, 1)
