"""cw.leads.LogisticScore (the core's leads::predictive): fits from pandas, polars and numpy,
contributions that add up to the logit, evaluation and reliability table, the JSON round trip
(the document JS reads: tests/js/fixtures/leads_predictive_python.json, and the one JS wrote:
leads_predictive_js.json), typed errors, the
reliability diagram and scikit-learn's coefficients when it is installed."""

import json
import math
import pathlib

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw

FIXTURE = pathlib.Path(__file__).resolve().parents[2] / "tests" / "js" / "fixtures" / "leads_predictive_python.json"


def _leads(n=400, seed=7):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "pages": rng.poisson(3, n).astype(float),
        "emails": rng.poisson(1.5, n).astype(float),
        "demo": (rng.random(n) < 0.2).astype(float),
        "days_idle": rng.exponential(3, n).round(2),
    })
    z = -1.5 + 0.3 * X["pages"] + 0.2 * X["emails"] + 1.5 * X["demo"] - 0.3 * X["days_idle"]
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    return X, y


def test_readme_leads_example():
    # START: readme-python-leads
    import pandas as pd
    import channelwise as cw

    # rule-based: points for events and attributes, grades and temperature, with the breakdown
    events = pd.DataFrame({
        "lead": ["ann", "ann", "bob", "cy", "cy", "cy"],
        "timestamp": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-02-01", "2026-03-03", "2026-03-04", "2026-03-05"]),
        "event": ["visit", "demo", "visit", "visit", "visit", "demo"],
    })
    config = {
        "event_rules": [{"name": "visits", "dimension": "engagement", "event_type": "visit", "points": 5},
                        {"name": "demo", "dimension": "intent", "event_type": "demo", "points": 30}],
        "grades": {"thresholds": [10, 20, 30, 40]},
    }
    rules = cw.leads.score(events, config, as_of=pd.Timestamp("2026-03-10"))
    print(rules[["lead", "total", "grade", "temperature"]])

    # predictive: a calibrated logistic regression of conversion on lead features
    X = pd.DataFrame({"pages": [1, 2, 3, 5, 0, 4, 6, 2, 7, 1, 3, 8],
                      "demo": [0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]})
    converted = [0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1]
    model = cw.leads.LogisticScore(C=1.0, calibration="platt").fit(X, converted)
    print(model.coef_, model.evaluate(X, converted)["auc"])
    why = model.contributions(X)  # log-odds per feature + base; each row adds up to the logit
    print(why.drop(columns="base").iloc[0].sort_values(ascending=False))
    # END: readme-python-leads
    assert rules.set_index("lead").loc["cy", "total"] > rules.set_index("lead").loc["bob", "total"]
    assert model.coef_["demo"] > 0 and model.coef_["pages"] > 0
    assert model.evaluate(X, converted)["auc"] > 0.8
    assert np.allclose(why.sum(axis=1), model.decision_function(X))


def test_fit_predict_contributions_numpy_pandas_polars_agree():
    X, y = _leads()
    spec = cw.leads.LogisticScore(C=0.5, calibration="isotonic")
    a = spec.fit(X, y)
    b = spec.fit(pl.from_pandas(X), y.tolist())
    c = spec.fit(X.to_numpy(), y, feature_names=list(X.columns))
    assert a.coef_ == b.coef_ == c.coef_
    assert list(a.coef_) == ["pages", "emails", "demo", "days_idle"]
    p = a.predict_proba(X)
    assert isinstance(p, pd.Series) and p.index.equals(X.index) and ((p >= 0) & (p <= 1)).all()
    pp = b.predict_proba(pl.from_pandas(X))
    assert isinstance(pp, pl.Series)
    assert np.array_equal(np.asarray(p), pp.to_numpy())
    assert np.array_equal(np.asarray(p), c.predict_proba(X.to_numpy()))
    # columns are read by name: a frame in another column order gives the same answer
    assert np.array_equal(np.asarray(p), np.asarray(a.predict_proba(X[X.columns[::-1]])))
    why = a.contributions(X)
    assert list(why.columns) == list(X.columns) + ["base"]
    assert np.allclose(why.sum(axis=1), a.decision_function(X), atol=1e-12)
    assert why["base"].iloc[0] == pytest.approx(a.base_logit_)
    assert type(b.contributions(pl.from_pandas(X))).__module__.startswith("polars")
    # the reference lead is the mean of the training rows
    assert a.reference_ == pytest.approx(X.mean().to_dict())


def test_evaluate_and_metrics():
    X, y = _leads()
    fit = cw.leads.LogisticScore(calibration="platt").fit(X, y)
    ev = fit.evaluate(X, y, n_bins=5)
    assert set(ev) >= {"auc", "log_loss", "brier", "n", "positives"}
    assert 0.5 < ev["auc"] <= 1 and ev["n"] == len(y) and ev["positives"] == int(y.sum())
    rel = ev.reliability
    assert list(rel.columns) == ["bin", "lower", "upper", "count", "fraction_positive", "mean_predicted"]
    assert rel["count"].sum() == len(y)
    same = cw.leads.metrics(y, fit.predict_proba(X), n_bins=5)
    assert same["auc"] == ev["auc"] and same["brier"] == ev["brier"]
    q = cw.leads.metrics(y, fit.predict_proba(X), n_bins=4, strategy="quantile")
    assert len(q.reliability) <= 4


def test_json_round_trip_and_js_fixture():
    X, y = _leads()
    for cal in (None, "platt", "isotonic"):
        fit = cw.leads.LogisticScore(penalty="elasticnet", l1_ratio=0.5, C=0.3, calibration=cal).fit(X, y)
        again = cw.leads.FittedLogisticScore.from_json(fit.to_json())
        assert again.to_json() == fit.to_json()
        assert np.array_equal(np.asarray(again.predict_proba(X)), np.asarray(fit.predict_proba(X)))
        assert again.get_params()["l1_ratio"] == 0.5
    doc = json.loads(fit.to_json())
    assert doc["model"] == "channelwise.leads.LogisticScore" and doc["fitted"]["calibrator"]["method"] == "isotonic"
    with pytest.raises(cw.InvalidParameterError, match="json"):
        cw.leads.FittedLogisticScore.from_json('{"model": "channelwise.leads.LogisticScore", "fitted": {"coef": 1}}')
    with pytest.raises(cw.InvalidParameterError):
        cw.leads.FittedLogisticScore.from_json('{"model": "channelwise.clv.BetaGeo", "fitted": {}}')
    # the document JS reads (tests/js/leads.mjs): it must predict what Python predicts, bit for bit
    fit = cw.leads.LogisticScore(C=0.5, calibration="platt", class_weight="balanced").fit(X, y)
    rows = X.head(20)
    want = {
        "about": "Written by bindings-python/tests/test_leads_predictive.py (test_json_round_trip_and_js_fixture): "
                 "cw.leads.LogisticScore(C=0.5, calibration='platt', class_weight='balanced').fit(X, y) on 400 "
                 "seeded leads; FittedLogisticScore.to_json() and, for the rows in `x`, predict_proba, "
                 "decision_function and contributions. JS must load `document` and give exactly `expected`.",
        "document": json.loads(fit.to_json()),
        "feature_names": list(X.columns),
        "x": rows.to_numpy().tolist(),
        "expected": {
            "proba": np.asarray(fit.predict_proba(rows)).tolist(),
            "logit": np.asarray(fit.decision_function(rows)).tolist(),
            "base": fit.base_logit_,
            "contributions": fit.contributions(rows).drop(columns="base").to_numpy().tolist(),
        },
    }
    text = json.dumps(want, indent=1) + "\n"
    if not FIXTURE.exists() or FIXTURE.read_text() != text:
        FIXTURE.write_text(text)


def test_a_score_fitted_in_js_predicts_the_same_in_python():
    fx = json.loads((FIXTURE.parent / "leads_predictive_js.json").read_text())
    fit = cw.leads.FittedLogisticScore.from_json(json.dumps(fx["document"]))
    assert fit.get_params()["l1_ratio"] == 0.3 and fit.calibrator_["method"] == "isotonic"
    X = pd.DataFrame(fx["x"])
    assert np.asarray(fit.predict_proba(X)).tolist() == fx["expected"]["proba"]
    assert np.asarray(fit.decision_function(X)).tolist() == fx["expected"]["logit"]
    why = fit.contributions(X)
    assert why["base"].iloc[0] == fx["expected"]["base"]
    assert why.drop(columns="base").to_numpy().tolist() == fx["expected"]["contributions"]
    # Python writes back the core part JS wrote
    assert json.loads(fit.to_json())["fitted"] == fx["document"]["fitted"]


def test_bad_input_is_typed_and_named():
    X, y = _leads(40)
    with pytest.raises(cw.OutOfRangeError, match=r"\bc\b"):
        cw.leads.LogisticScore(C=0).fit(X, y)
    with pytest.raises(cw.OutOfRangeError, match="l1_ratio"):
        cw.leads.LogisticScore(penalty="elasticnet", l1_ratio=1.5).fit(X, y)
    with pytest.raises(cw.InvalidParameterError, match="l1_ratio"):
        cw.leads.LogisticScore(penalty="elasticnet")
    with pytest.raises(cw.InvalidParameterError, match="penalty"):
        cw.leads.LogisticScore(penalty="l3")
    with pytest.raises(cw.InvalidParameterError, match="calibration"):
        cw.leads.LogisticScore(calibration="beta")
    with pytest.raises(cw.InvalidParameterError, match="class_weight"):
        cw.leads.LogisticScore(class_weight={0: 1})
    bad = y.copy()
    bad[3] = 2
    with pytest.raises(cw.InvalidParameterError, match=r"y\[3\]"):
        cw.leads.LogisticScore().fit(X, bad)
    arr = X.to_numpy().copy()
    arr[2, 1] = np.nan
    with pytest.raises(cw.NonFiniteError, match=r"features\[2\]\[1\]"):
        cw.leads.LogisticScore().fit(arr, y, feature_names=list(X.columns))
    with pytest.raises(cw.LengthMismatchError, match="feature_names"):
        cw.leads.LogisticScore().fit(X.to_numpy(), y, feature_names=["a", "b"])
    with pytest.raises(cw.LengthMismatchError):
        cw.leads.LogisticScore().fit(X, y[:-1])
    fit = cw.leads.LogisticScore().fit(X, y)
    with pytest.raises(cw.InvalidParameterError, match="demo"):
        fit.predict_proba(X.drop(columns="demo"))
    with pytest.raises(cw.NotEnoughDataError, match=r"\by\b"):
        fit.evaluate(X, np.zeros(len(y)))
    with pytest.raises(cw.OutOfRangeError, match="n_bins"):
        fit.evaluate(X, y, n_bins=0)
    with pytest.raises(cw.InvalidParameterError, match="both"):
        cw.leads.LogisticScore(calibration="platt").fit(X, y, X_calibration=X)


def test_calibration_on_held_out_rows():
    X, y = _leads(600)
    fit = cw.leads.LogisticScore(calibration="platt").fit(X[:400], y[:400], X_calibration=X[400:], y_calibration=y[400:])
    on_train = cw.leads.LogisticScore(calibration="platt").fit(X[:400], y[:400])
    assert fit.coef_ == on_train.coef_
    assert fit.calibrator_ != on_train.calibrator_ and fit.calibrator_["a"] < 0


def test_reliability_plot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    X, y = _leads()
    fit = cw.leads.LogisticScore(calibration="isotonic").fit(X, y)
    ax = fit.plot(X, y, n_bins=5)
    assert ax.get_xlabel() == "mean predicted probability" and len(ax.lines) == 2


def test_coefficients_equal_scikit_learn():
    sk = pytest.importorskip("sklearn.linear_model")
    metrics = pytest.importorskip("sklearn.metrics")
    X, y = _leads(1000)
    for penalty, kw in (("l2", {}), ("l1", {"solver": "saga"}), (None, {})):
        ref = sk.LogisticRegression(C=0.7, penalty=penalty, tol=1e-12, max_iter=100000, **kw).fit(X.to_numpy(), y)
        fit = cw.leads.LogisticScore(penalty=penalty, C=0.7).fit(X, y)
        assert np.allclose(list(fit.coef_.values()), ref.coef_[0], atol=1e-6), penalty
        assert math.isclose(fit.intercept_, ref.intercept_[0], abs_tol=1e-6)
        p = ref.predict_proba(X.to_numpy())[:, 1]
        ev = fit.evaluate(X, y)
        assert math.isclose(ev["auc"], metrics.roc_auc_score(y, p), abs_tol=1e-9)
        assert math.isclose(ev["brier"], metrics.brier_score_loss(y, p), abs_tol=1e-6)
