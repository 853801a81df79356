"""Runs EVERY shared vector under tests/vectors/ through the public Python API.

Same semantics as the Rust runners (core/tests/vectors_attribution.rs, vectors_journey.rs):
"NaN"/"Infinity"/"-Infinity" strings are floats, numbers match within abs + rel * |expected|,
channels are matched by name, `expected.error` is the kind code of the raised error.
Attribution vectors run from a dict of lists and, when the columns have equal lengths (a
DataFrame cannot hold ragged columns), from pandas and polars and as records (a list of dicts)
too; so do the journey, lead and CLV fit and RFM vectors. Stats, forecast and
anomaly vectors (core/tests/vectors_stats.rs, vectors_ets.rs, vectors_decompose.rs,
vectors_iforest.rs) run from lists, numpy arrays, pandas and polars Series (isolation forest
matrices: flat with n_features, numpy 2-D, list of rows, pandas and polars DataFrames); their
results are named fields (`statistic`, `p_value`, `lags`, `values`, ...) compared number by
number, strings and booleans exactly. Optimize vectors (core/tests/vectors_optimize.rs: response
curves and adstock) run from lists, numpy arrays, pandas and polars Series through
`cw.optimize.Saturation` / `Adstock`; as in Rust, an expected infinity matches only itself.
Budget vectors (`optimize.allocate`) run through `cw.optimize.allocate` twice: from a list of
channel dicts (the vector's own form) and from a dict of name -> curve with the bounds, current
spend and locks as keyword dicts by name. Platform payload and metrics vectors
(core/tests/vectors_platform.rs) run through cw.platform's builders and report readers (metrics
back from pandas and polars frames) and are compared leaf by leaf as the Rust runner does.
Experiment vectors (core/tests/vectors_experiment.rs) run through cw.experiment from the arm
dicts and from pandas and polars tables with a row per arm (raw values from lists and numpy).
Decide vectors (core/tests/vectors_decide.rs) run through cw.decide.risk, stages, auto_approves and
check_guardrails from the vector's dicts. An expected error's `field` must be named in the message.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import polars as pl
import pytest

import channelwise as cw
from channelwise._frames import to_columns
from conftest import VECTORS

FILES = sorted(VECTORS.rglob("*.json"))
# Modules the Python binding runs; a vector of any other module is skipped, loudly, until bound.
BOUND = ("attribution.", "journey.", "stats.", "forecast.", "anomaly.", "optimize.", "glm.", "clv.", "leads.", "platform.",
         "experiment.", "decide.")
SERIES = ("stats.", "forecast.", "anomaly.", "optimize.", "glm.", "clv.", "leads.")
# CLV histories run from a dict of lists, pandas and polars DataFrames (fits) and from lists,
# numpy arrays, pandas and polars Series (predictions); RFM logs from pandas and polars.
CLV_KINDS = ("dict", "pandas", "polars")
GLM_KINDS = ("rows", "numpy", "pandas", "polars")
SERIES_KINDS = ("list", "numpy", "pandas", "polars")
MATRIX_KINDS = ("flat", "numpy", "rows", "pandas", "polars")


def _num(x):
    if isinstance(x, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[x]
    return float(x)


def _load(f):
    v = json.loads(f.read_text())
    assert v.get("source"), f"{f.name}: every vector names its source"
    return v


def _cases():
    for f in FILES:
        v = _load(f)
        fn = v["function"]
        kinds = ["dict"]
        if fn == "anomaly.average_path_length":
            kinds = ["list"]
        elif fn == "optimize.allocate":
            kinds = ["channels", "keywords"]
        elif fn == "optimize.plan":
            kinds = ["channel", "dicts"]
        elif fn in ("optimize.mmm", "optimize.bids"):
            kinds = ["pandas", "polars", "records"]
        elif fn == "glm.logistic":
            kinds = list(GLM_KINDS)
        elif fn == "leads.predictive":
            kinds = ["numpy", "pandas", "polars"]  # feature matrices as the glm vectors run them
        elif fn == "leads.predictive_metrics":
            kinds = list(SERIES_KINDS)
        elif fn.startswith("leads."):
            kinds = ["dict", "pandas", "polars", "records"]
        elif fn.startswith("platform.webhook."):
            kinds = ["str", "bytes"]  # the body (and a signer's secret) as str and as bytes
        elif fn.startswith("platform.metrics."):
            kinds = ["pandas", "polars"]  # the metrics frame's backend
        elif fn.startswith("experiment."):
            kinds = _experiment_kinds(v)
        elif fn.startswith("clv."):
            kinds = ["list"] if fn in ("clv.hyp2f1", "clv.sbg.predict") else list(CLV_KINDS)
            if fn.startswith("clv.rfm."):
                kinds = ["pandas", "polars"]
            if fn.startswith("clv.rfm.") or fn.endswith(".fit") and fn != "clv.sbg.fit":
                kinds.append("records")  # tables only: a list is a column to the predictions
            if len({len(c) for c in v.get("input", {}).values() if isinstance(c, list)}) > 1:
                kinds = ["dict"]  # ragged columns: no DataFrame can hold them
        elif fn == "anomaly.isolation_forest":
            kinds = list(MATRIX_KINDS)
        elif fn.startswith(SERIES):
            kinds = list(SERIES_KINDS)
        elif fn.startswith("attribution.") and "path" in v.get("input", {}):
            inp = v["input"]
            lens = {len(inp[k]) for k in ("path", "conversions", "nulls", "value") if k in inp}
            if len(lens) == 1:
                kinds += ["pandas", "polars", "records"]
        elif "touchpoints" in v.get("input", {}):
            kinds += ["pandas", "polars", "records"]
        for k in kinds:
            yield pytest.param(f, k, id=f"{f.parent.name}/{f.stem}[{k}]")


def _frame(columns, kind):
    if kind == "records":  # a list of dicts, as a JSON API or a database driver gives rows
        if not any(len(c) for c in columns.values()):
            pytest.skip("no rows: an empty table is given as columns, not as records")
        return [dict(zip(columns, row)) for row in zip(*columns.values())]
    if kind == "pandas":
        import pandas as pd

        return pd.DataFrame(columns)
    if kind == "polars":
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    return columns


def _path_input(inp, kind):
    cols = {"path": list(inp["path"]), "conversions": [_num(x) for x in inp["conversions"]]}
    for k in ("nulls", "value"):
        if k in inp:
            cols[k] = [_num(x) for x in inp[k]]
    return _frame(cols, kind), inp.get("sep", ">")


def _markov_args(params):
    return dict(
        order=params.get("order", 1),
        horizon=params.get("horizon"),
        use_nulls=params.get("use_nulls", True),
    )


def _run_attribution(fn, inp, params, kind):
    df, sep = _path_input(inp, kind)
    scalars = {}
    if fn == "attribution.heuristics":
        kw = {}
        if "u_shaped" in params:
            kw["u_shaped"] = tuple(_num(x) for x in params["u_shaped"])
        if "w_shaped" in params:
            kw["w_shaped"] = tuple(_num(x) for x in params["w_shaped"])
        out = cw.attribution.heuristics(df, sep=sep, **kw)
    elif fn == "attribution.markov":
        fitted = cw.attribution.Markov(**_markov_args(params)).fit(df, sep=sep)
        scalars["conversion_probability"] = fitted.conversion_probability
        out = cw.attribution.markov(df, sep=sep, **_markov_args(params))
        assert to_columns(out) == to_columns(fitted.credit())
    elif fn == "attribution.shapley":
        game = params.get("game", "subset")
        if game == "subset":
            out = cw.attribution.shapley(df, sep=sep)
        elif game == "markov":
            fitted = cw.attribution.Markov(**_markov_args(params)).fit(df, sep=sep)
            out = fitted.shapley(
                method=params.get("method", "exact"),
                permutations=params.get("permutations", 1000),
                seed=params.get("seed", 0),
            )
        else:
            pytest.fail(f"unknown shapley game {game!r}")
    else:
        pytest.fail(f"no Python runner for attribution function {fn!r}")
    if kind == "polars":
        assert type(out).__module__.startswith("polars"), "polars in, polars out"
    elif kind == "pandas":
        assert type(out).__module__.startswith("pandas")
    return to_columns(out), scalars


def _events(inp, kind):
    t = dict(inp["touchpoints"])
    c = dict(inp["conversions"])
    c["value"] = [_num(x) for x in c["value"]]
    if "cost" in t:
        t["cost"] = [math.nan if x is None else _num(x) for x in t["cost"]]
    return _frame(t, kind), _frame(c, kind)


def _journey_args(params):
    kw = {"lookback": params.get("lookback", 30 * 86400), "session_gap": params.get("session_gap")}
    if "level" in params:
        kw["level"] = params["level"]
    if "lead_kind" in params:
        kw["lead_kind"] = params["lead_kind"]
    return kw


def _run_journey(fn, inp, params, kind):
    t, c = _events(inp, kind)
    j = cw.journey.build(t, c, **_journey_args(params))
    if fn == "attribution.time_decay":
        half = params.get("half_life_seconds", 7 * 86400)
        return to_columns(j.time_decay(half)), j
    if fn == "journey.path_table":
        return to_columns(j.path_table()), j
    pytest.fail(f"no Python runner for journey function {fn!r}")


def _series(values, kind):
    xs = [_num(x) for x in values]
    if kind == "numpy":
        import numpy as np

        return np.asarray(xs, dtype=np.float64)
    if kind == "pandas":
        import pandas as pd

        return pd.Series(xs)
    if kind == "polars":
        import polars as pl

        return pl.Series(xs, dtype=pl.Float64)
    return xs


def _baseline(name):
    """The named models of the rolling-origin vectors, as Python callables (as the Rust runner
    defines them in its closure: the core has no baseline models)."""
    if name == "naive":
        return lambda train, h: [train[-1]] * h
    if name == "mean":
        return lambda train, h: [float(train.mean())] * h
    pytest.fail(f"unknown rolling-origin model {name!r}")


def _leads_frame(log, kind):
    """A vector's event log as a table of the given kind: lead, timestamp, event (and value)."""
    cols = {"lead": [int(x) for x in log["lead"]], "timestamp": [int(t) for t in log["timestamp"]], "event": list(log["event"])}
    if "value" in log:
        cols["value"] = [_num(x) for x in log["value"]]
    if kind in ("pandas", "polars", "records"):
        return _frame(cols, kind)
    return cols


def _predictive_x(rows, names, kind):
    """A predictive vector's feature rows in the runner's kind: a DataFrame named by the vector's
    feature names, else (numpy, or a shape or names no DataFrame holds) a 2-D array or ragged
    rows, with ``feature_names`` passed alongside."""
    import numpy as np

    rows = [[_num(v) for v in r] for r in rows]
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        return rows  # ragged: only rows can state it; the binding reports the length mismatch
    if kind == "numpy" or len(set(names)) != len(names) or widths != {len(names)}:
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), widths.pop() if widths else len(names))
    cols = {n: [r[j] for r in rows] for j, n in enumerate(names)}
    return pd.DataFrame(cols) if kind == "pandas" else pl.DataFrame(cols)


def _reliability_out(out, table):
    t = to_columns(table)
    for k in ("bin", "count", "fraction_positive", "mean_predicted"):
        out[f"reliability_{k}"] = [float(x) for x in t[k]]
    return out


def _run_predictive(fn, inp, params, kind):
    """leads.predictive / leads.predictive_metrics (core/tests/vectors_leads/leads_predictive.rs):
    fit (calibrated on held-out rows when given), explain and evaluate the evaluation rows."""
    rel = params["reliability"]
    if fn == "leads.predictive_metrics":
        ev = cw.leads.metrics(_series(inp["y"], kind), _series(inp["proba"], kind), n_bins=rel["n_bins"],
                              strategy=rel["strategy"])
        if kind == "polars":
            assert type(ev.reliability).__module__.startswith("polars"), "polars in, polars out"
        return _reliability_out({k: ev[k] for k in ("auc", "log_loss", "brier")}, ev.reliability)
    s = params["score"]
    pen = s.get("penalty", "l2")
    l1_ratio = None
    if isinstance(pen, dict):
        l1_ratio, pen = _num(pen["elasticnet"]["l1_ratio"]), "elasticnet"
    cal = s.get("calibration", "none")
    spec = cw.leads.LogisticScore(penalty=None if pen == "none" else pen, C=_num(s.get("c", 1.0)), l1_ratio=l1_ratio,
                                  class_weight=None if s.get("class_weight", "none") == "none" else s["class_weight"],
                                  calibration=None if cal == "none" else cal)
    names = list(inp["feature_names"])
    x = _predictive_x(inp["features"], names, kind)
    named = isinstance(x, (pd.DataFrame, pl.DataFrame))
    kw = {} if named else {"feature_names": names}
    if "calibration" in inp:
        kw["X_calibration"] = _predictive_x(inp["calibration"]["features"], names, kind)
        kw["y_calibration"] = [_num(v) for v in inp["calibration"]["y"]]
    fit = spec.fit(x, [_num(v) for v in inp["y"]], **kw)
    xe = _predictive_x(inp["evaluation"]["features"], names, kind)
    ye = [_num(v) for v in inp["evaluation"]["y"]]
    why = fit.contributions(xe)
    logit = fit.decision_function(xe)
    cols = to_columns(why)
    assert list(cols) == names + ["base"], list(cols)
    if kind == "polars" and named:
        assert type(why).__module__.startswith("polars"), "polars in, polars out"
    n = len(cols["base"])
    for i in range(min(n, 50)):  # rows add up to the logit
        assert abs(sum(cols[c][i] for c in names) + cols["base"][i] - float(logit[i])) < 1e-9
    ev = fit.evaluate(xe, ye, n_bins=rel["n_bins"], strategy=rel["strategy"])
    out = {
        "coef": [fit.coef_[c] for c in names], "intercept": fit.intercept_, "reference": [fit.reference_[c] for c in names],
        "base_logit": fit.base_logit_, "proba": [float(p) for p in fit.predict_proba(xe)],
        "logit": [float(z) for z in logit], "contributions": [cols[c][i] for i in range(n) for c in names],
        "auc": ev["auc"], "log_loss": ev["log_loss"], "brier": ev["brier"],
    }
    if fit.calibrator_["method"] == "platt":
        out["platt_a"], out["platt_b"] = fit.calibrator_["a"], fit.calibrator_["b"]
    again = cw.leads.FittedLogisticScore.from_json(fit.to_json())
    assert again.to_json() == fit.to_json() and list(again.predict_proba(xe)) == list(fit.predict_proba(xe))
    return _reliability_out(out, ev.reliability)


def _run_leads(fn, inp, params, kind):
    """Runs one leads vector through cw.leads, named as core/tests/vectors_leads.rs names them."""
    if fn.startswith("leads.predictive"):
        return _run_predictive(fn, inp, params, kind)
    if fn == "leads.score":
        log = inp["log"]
        leads = list(range(log["n_leads"]))
        attrs = {"lead": leads}
        for group in ("numeric", "categorical"):
            for k, vals in (inp.get("attributes", {}).get(group) or {}).items():
                attrs[k] = [_num(x) for x in vals] if group == "numeric" else list(vals)
        out = cw.leads.score(_leads_frame(log, kind), params["config"], inp["as_of"], attributes=attrs,
                             value="value" if "value" in log else None,
                             event_types=log["event_types"])
        c = to_columns(out)
        assert c["lead"] == leads
        dims = ("demographic", "behavioural", "firmographic", "engagement", "intent")
        return {
            "total": c["total"], "fit": c["fit"], "activity": c["activity"],
            "rules": [x for r in c["rules"] for x in r.values()],
            "dimensions": [c[d][i] for i in range(len(leads)) for d in dims],
            "grade": ",".join(c["grade"]), "temperature": ",".join(c["temperature"]),
        }
    if fn == "leads.lifecycle":
        return _run_lifecycle(inp, params, kind)
    if fn == "leads.health":
        log = inp["log"]
        leads = list(range(log["n_leads"]))
        cfg = dict(params["health"])
        pa = None if "p_alive" not in inp else {i: _num(p) for i, p in enumerate(inp["p_alive"])}
        out = cw.leads.health(_leads_frame(log, kind), inp["as_of"], p_alive=pa, leads=leads,
                              event_types=log["event_types"], **cfg)
        c = to_columns(out)
        assert c["lead"] == leads
        return {"activity": [x for r in c["activity"] for x in r], "tau": c["tau"], "p_value": c["p_value"],
                "slope": c["slope"], "churn_risk": c["churn_risk"], "score": c["score"],
                "last_activity": [-1 if t is None or (isinstance(t, float) and math.isnan(t)) else t for t in c["last_activity"]],
                "trend": ",".join(c["trend"]), "status": ",".join(c["status"]), "churn_source": ",".join(c["churn_source"])}
    leads = list(range(inp["n_leads"]))
    events = _leads_frame(inp, kind)
    if fn == "leads.funnel":
        f = dict(params["funnel"])
        steps = f.pop("steps")
        r = cw.leads.funnel(events, steps, leads=leads, event_types=inp["event_types"], **f)
        c = to_columns(r.table)
        assert c["step"] == list(steps)
        return {"counts": c["count"], "conversion_rate": c["conversion_rate"], "drop_off": c["drop_off"],
                "median_seconds_from_previous": [-1.0 if math.isnan(m) else m for m in c["median_seconds_from_previous"]],
                "furthest_step": r.furthest_step}
    if fn == "leads.cohorts":
        cfg = dict(params["cohorts"])
        t = cw.leads.cohorts(events, leads=leads, event_types=inp["event_types"], value="value" if "value" in inp else None, **cfg)
        assert len(t) == len(t.table)
        c = to_columns(t.table)
        flat = lambda k: [x for row in c[k] for x in row]  # noqa: E731
        return {"labels": ",".join(c["cohort"]), "sizes": c["size"], "row_lengths": [len(r) for r in c["active"]],
                "retention_on": flat("retention_on"), "retention_on_or_after": flat("retention_on_or_after"),
                "conversion": flat("conversion"), "revenue": flat("revenue"),
                "cumulative_value_per_customer": flat("cumulative_value_per_customer")}
    raise AssertionError(f"no runner for {fn}")


def _run_lifecycle(inp, params, kind):
    """A lifecycle vector through cw.leads.lifecycle, from a table of transitions."""
    cols = {"lead": list(inp["lead"]), "timestamp": list(inp["timestamp"]), "stage": list(inp["stage"])}
    if "reason" in inp:
        cols["reason"] = list(inp["reason"])
    leads = list(range(inp["n_leads"]))
    cfg = params.get("config", {})
    allowed = [tuple(p) for p in cfg["transitions"]] if "transitions" in cfg else None
    lc = cw.leads.lifecycle(_frame(cols, kind), stages=cfg.get("stages"), allowed=allowed, as_of=params["as_of"], leads=leads)
    stages = lc.stages
    cur = to_columns(lc.current)
    tr = to_columns(lc.transitions)
    tis = to_columns(lc.time_in_stage)
    summ = to_columns(lc.summary)
    assert tr["reason"] == [r or None for r in inp.get("reason", [None] * len(inp["lead"]))]
    idx = lambda s: -1 if s is None else stages.index(s)  # noqa: E731
    none = lambda x: -1.0 if math.isnan(x) else x  # noqa: E731
    return {"current_stage": [idx(s) for s in cur["stage"]], "from_stage": [idx(s) for s in tr["from_stage"]],
            "seconds": [tis[s][i] for i in range(len(leads)) for s in stages], "entered": summ["entered"],
            "exited": summ["exited"], "in_stage": summ["current"],
            "median_seconds": [none(x) for x in summ["median_seconds"]], "mean_seconds": [none(x) for x in summ["mean_seconds"]]}


def _run_series(fn, inp, params, kind):
    """Runs one stats/forecast vector: its named results, as the Rust runner names them."""
    if fn.startswith("leads."):
        return _run_leads(fn, inp, params, kind)
    arg = lambda key: _series(inp[key], kind)  # noqa: E731
    if fn in ("stats.pearson", "stats.spearman", "stats.kendall"):
        r = getattr(cw.stats, fn.split(".")[1])(arg("x"), arg("y"))
        assert isinstance(r, cw.stats.Correlation)
        return r._asdict()
    if fn == "stats.cross_correlation":
        out = cw.stats.cross_correlation(arg("x"), arg("y"), params["max_lag"])
        if kind == "polars":
            assert type(out).__module__.startswith("polars"), "polars in, polars out"
        cols = to_columns(out)
        return {"lags": cols["lag"], "values": cols["value"]}
    if fn == "stats.mann_kendall":
        return cw.stats.mann_kendall(arg("x"), alpha=_num(params["alpha"]))._asdict()
    if fn == "stats.theil_sen":
        return cw.stats.theil_sen(arg("x"), arg("y"), alpha=_num(params["alpha"]))._asdict()
    if fn.startswith("optimize."):
        return _run_optimize(fn, inp, params, kind)
    if fn == "glm.logistic":
        return _logistic(inp, params, kind)
    if fn.startswith("clv."):
        return _run_clv(fn, inp, params, kind)
    if fn.startswith("anomaly.") or fn in ("forecast.auto_ets", "forecast.stl", "forecast.mstl", "forecast.strength"):
        return _run_new(fn, inp, params, kind)
    m = cw.forecast.metrics
    name = fn.split(".")[1]
    if name in ("mae", "rmse", "mape", "smape"):
        return {"value": getattr(m, name)(arg("actual"), arg("predicted"))}
    if name == "mase":
        return {"value": m.mase(arg("actual"), arg("predicted"), arg("insample"), m=params["m"])}
    if name == "coverage":
        return {"value": m.coverage(arg("actual"), arg("lower"), arg("upper"))}
    if name == "winkler":
        return {"value": m.winkler(arg("actual"), arg("lower"), arg("upper"), _num(params["alpha"]))}
    if name == "rolling_origin":
        cv = cw.forecast.RollingOrigin(params["initial"], params["horizon"], params["step"])
        r = cv.evaluate(arg("y"), _baseline(params["model"]))
        assert r.errors.shape == (len(r.origins), params["horizon"])
        return {"origins": r.origins.tolist(), "mae": r.mae.tolist(), "rmse": r.rmse.tolist()}
    pytest.fail(f"no Python runner for function {fn!r}")


def _roc_auc(score, labels):
    """ROC AUC of ``score`` (higher = more anomalous) against 0/1 labels: Mann-Whitney with tied
    scores averaged (as sklearn.metrics.roc_auc_score and the Rust runner)."""
    order = sorted(range(len(score)), key=lambda i: score[i])
    rank_sum_pos, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and score[order[j + 1]] == score[order[i]]:
            j += 1
        mid = (i + j) / 2.0 + 1.0
        rank_sum_pos += mid * sum(1 for k in order[i : j + 1] if labels[k] == 1)
        i = j + 1
    n_pos = sum(1 for lab in labels if lab == 1)
    n_neg = len(labels) - n_pos
    return (rank_sum_pos - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def _matrix(flat, nf, kind):
    """A flat row-major matrix in the runner's input kind; ``(x, n_features kwarg)``."""
    xs = [_num(v) for v in flat]
    if kind == "flat" or nf <= 0 or len(xs) % nf:
        # a shape no 2-D container can hold (no columns, ragged): only the flat form states it
        if kind in ("numpy", "pandas", "polars") and nf > 0 and len(xs) % nf:
            rows = [xs[i : i + nf] for i in range(0, len(xs), nf)]
            return rows, None  # ragged rows: the binding reports the length mismatch
        return xs, nf
    import numpy as np

    arr = np.asarray(xs, dtype=np.float64).reshape(-1, nf)
    if kind == "numpy":
        return arr, None
    if kind == "rows":
        return arr.tolist(), None
    cols = {f"f{j}": arr[:, j] for j in range(nf)}
    if kind == "pandas":
        import pandas as pd

        return pd.DataFrame(cols), None
    import polars as pl

    return pl.DataFrame(cols), None


def _forest(params):
    ms = params["max_samples"]
    if "max_samples_fraction" in params:
        ms = _num(params["max_samples_fraction"])
    cont = params["contamination"]
    if cont != "auto":
        cont = _num(cont)
    return cw.anomaly.IsolationForest(
        n_estimators=params["n_estimators"],
        max_samples=ms,
        contamination=cont,
        max_features=_num(params.get("max_features_fraction", 1.0)),
        bootstrap=params["bootstrap"],
        seed=params["seed"],
    )


def _stl_kwargs(p, skip=()):
    keys = ("seasonal", "trend", "low_pass", "seasonal_deg", "trend_deg", "low_pass_deg", "robust",
            "seasonal_jump", "trend_jump", "low_pass_jump", "inner_iter", "outer_iter")
    return {k: p[k] for k in keys if k in p and k not in skip}


def _run_new(fn, inp, params, kind):
    """ETS, decomposition and anomaly vectors, named as the Rust runners name their results."""
    p = params
    if fn == "forecast.auto_ets":
        y = _series(inp["y"], kind)
        levels = [_num(v) for v in p["levels"]]
        fit = cw.forecast.AutoEts(season_length=p["season_length"], model=p["model"], damped=p["damped"]).fit(y)
        f = fit.predict(p["h"], level=levels)
        cols = to_columns(f)
        if kind == "polars":
            assert type(f).__module__.startswith("polars"), "polars in, polars out"
        out = {"model": fit.model, "aicc": fit.aicc, "aic": fit.aic, "bic": fit.bic, "loglik": fit.loglik,
               "sigma2": fit.sigma2, "alpha": fit.params["alpha"], "mean": cols["mean"]}
        for lv in levels:
            # the vectors name levels as the Rust f64 prints them ("lo_80"), columns as statsforecast
            out[f"lo_{lv:g}"] = cols[f"lo-{lv:g}"]
            out[f"hi_{lv:g}"] = cols[f"hi-{lv:g}"]
        return out
    if fn in ("forecast.stl", "forecast.strength"):
        d = cw.forecast.stl(_series(inp["y"], kind), p["period"], **_stl_kwargs(p))
        if fn == "forecast.strength":
            return {"seasonal_strength": d.seasonal_strength, "trend_strength": d.trend_strength}
        return {k: list(getattr(d, k)) for k in ("trend", "seasonal", "resid", "weights")}
    if fn == "forecast.mstl":
        kw = _stl_kwargs(p, skip=("seasonal",))
        for k in ("windows", "iterate"):
            if k in p:
                kw[k] = p[k]
        if "lmbda" in p:
            kw["lmbda"] = _num(p["lmbda"])
        d = cw.forecast.mstl(_series(inp["y"], kind), p["periods"], **kw)
        out = {"trend": list(d.trend), "resid": list(d.resid), "weights": list(d.weights)}
        out.update(to_columns(d.seasonal))
        return out
    if fn == "anomaly.isolation_forest":
        x, nf = _matrix(inp["x"], inp["n_features"], kind)
        model = _forest(p).fit(x, n_features=nf)
        if "x_score" in inp:
            model.score_samples([_num(v) for v in inp["x_score"]], n_features=inp["n_features_score"])
        neg = [-s for s in model.score_samples(x, n_features=nf).tolist()]
        flagged = int((model.decision_function(x, n_features=nf) < 0).sum())
        assert flagged == int((model.predict(x, n_features=nf) == -1).sum())
        return {"auc": _roc_auc(neg, inp["labels"]), "n_flagged": flagged, "offset": model.offset_}
    if fn == "anomaly.average_path_length":
        return {"value": [cw.anomaly.average_path_length(n) for n in inp["n"]]}
    if fn == "anomaly.residual_alerts":
        a = cw.anomaly.residual_alerts(*(_series(inp[k], kind) for k in ("actual", "expected", "lower", "upper")),
                                       level=_num(p["level"]))
        cols = to_columns(a)
        return {"index": cols["index"], "score": cols["score"],
                "direction": [1.0 if d == "above" else -1.0 for d in cols["direction"]]}
    x = _series(inp.get("x", inp.get("y")), kind)
    if fn == "anomaly.mad":
        r = cw.anomaly.mad_outliers(x, threshold=_num(p["threshold"]))
        if len(inp["x"]) and all(v not in ("NaN", "Infinity", "-Infinity") for v in inp["x"]):
            assert cw.anomaly.mad(x) == r.mad
        return {"median": r.median, "mad": r.mad, "scale": r.scale, "scores": list(r.scores),
                "outliers": r.outliers.tolist(), "n_outliers": len(r.outliers)}
    if fn == "anomaly.hampel":
        r = cw.anomaly.hampel(x, half_window=p["half_window"], n_sigmas=_num(p["n_sigmas"]))
        return {"filtered": list(r.filtered), "outliers": r.outliers.tolist(), "n_outliers": len(r.outliers),
                "medians": list(r.medians), "scales": list(r.scales)}
    if fn in ("anomaly.esd", "anomaly.seasonal_esd"):
        kw = dict(max_anoms=_num(p["max_anoms"]), alpha=_num(p["alpha"]), direction=p["direction"])
        r = cw.anomaly.esd(x, **kw) if fn == "anomaly.esd" else cw.anomaly.seasonal_esd(x, p["period"], **kw)
        out = {"indices": r.indices.tolist(), "n_anomalies": r.n_anomalies, "statistics": r.statistics.tolist(),
               "critical_values": r.critical_values.tolist(), "removed": r.removed.tolist()}
        if r.seasonal is not None:
            out["seasonal"] = list(r.seasonal)
            out["median"] = r.median
        return out
    pytest.fail(f"no Python runner for function {fn!r}")


def _allocate(inp, params, kind):
    """A budget vector through `cw.optimize.allocate`: `spend` per channel (input order) and the
    totals. `kind` "channels" passes the vector's channel dicts as they are; "keywords" passes
    a dict of name -> curve and every bound, current spend and lock by keyword."""
    chans = inp["channels"]
    curves = [dict(c["curve"]) for c in chans]
    for c in curves:
        for k, v in c.items():
            if k != "kind":
                c[k] = _num(v)
    for c, ch in zip(curves, chans):
        # posterior draws: each parameter an array over the draws (the factories' form)
        if ch.get("draws"):
            for k in c:
                if k != "kind":
                    c[k] = [_num(d[k]) for d in ch["draws"]]
    p = params
    kw = dict(
        budget=None if p.get("budget") is None else _num(p["budget"]),
        spend_all=p.get("spend_all", True),
        max_change=None if p.get("max_change") is None else {k: _num(v) for k, v in p["max_change"].items()},
        scenario={k: (v if k == "kind" else _num(v)) for k, v in (p.get("scenario") or {"kind": "max_response"}).items()},
        tolerance=_num(p.get("tolerance", 1e-6)),
    )
    obj = p.get("objective")
    if obj is not None:
        kw["objective"] = ("cvar", _num(obj["level"])) if obj["kind"] == "cvar" else obj["kind"]
    if kind == "channels":
        given = []
        for c, curve in zip(chans, curves):
            d = {"name": c["name"], "curve": curve}
            for k in ("lower", "upper", "current"):
                if c.get(k) is not None:
                    d[k] = _num(c[k])
            if "locked" in c:
                d["locked"] = c["locked"]
            given.append(d)
        a = cw.optimize.allocate(given, **kw)
    else:
        by = lambda k, f: {c["name"]: f(c[k]) for c in chans if c.get(k) is not None}  # noqa: E731
        a = cw.optimize.allocate(
            {c["name"]: curve for c, curve in zip(chans, curves)},
            lower=by("lower", _num), upper=by("upper", _num), current=by("current", _num),
            locked=by("locked", bool), **kw,
        )
    cols = to_columns(a.table)
    assert cols["channel"] == [c["name"] for c in chans]
    assert abs(sum(cols["spend"]) - a.total_spend) <= 1e-9 * max(1.0, a.total_spend)
    out = {"spend": cols["spend"], "total_response": a.total_response, "total_spend": a.total_spend}
    if a.cvar is not None:
        out["cvar"] = a.cvar
    return out


def _plan(inp, params, kind):
    """A multi-period vector through `cw.optimize.plan`: `spend[channel][period]` and the total.
    `kind` "channel" passes `cw.optimize.Channel` objects with lists; "dicts" passes channel
    dicts with `pre` and the bounds as keyword dicts by name, budgets as a pandas Series and the
    profile as a numpy array."""
    import numpy as np
    import pandas as pd

    def parts(c):
        curve = {k: (v if k == "kind" else _num(v)) for k, v in c["curve"].items()}
        ad = {k: (v if k in ("kind", "l_max", "normalize") else _num(v)) for k, v in c["adstock"].items()}
        akind = ad.pop("kind")
        return cw.optimize.Saturation(curve.pop("kind"), **curve), cw.optimize.Adstock(akind, **ad)

    chans = inp["channels"]
    kw = dict(tail=params.get("tail", True), tolerance=_num(params.get("tolerance", 1e-9)))
    prof = params.get("profile")
    if "budgets" in params:
        b = [_num(x) for x in params["budgets"]]
        kw["budgets"] = pd.Series(b, index=[f"w{t}" for t in range(len(b))]) if kind == "dicts" else b
    else:
        kw["periods"], kw["total"] = params["periods"], _num(params["total"])
    if prof is not None:
        kw["profile"] = np.array([_num(x) for x in prof]) if kind == "dicts" else [_num(x) for x in prof]
    if kind == "channel":
        given = {}
        for c in chans:
            s, a = parts(c)
            given[c["name"]] = cw.optimize.Channel(s, a, pre=[_num(x) for x in c["pre"]], lower=_num(c["lower"]),
                                                   upper=_num(c["upper"]), saturation_first=c["saturation_first"])
        p = cw.optimize.plan(given, **kw)
    else:
        given = {}
        for c in chans:
            s, a = parts(c)
            given[c["name"]] = {"curve": s, "adstock": a, "saturation_first": c["saturation_first"]}
        p = cw.optimize.plan(given, pre={c["name"]: [_num(x) for x in c["pre"]] for c in chans},
                             lower={c["name"]: _num(c["lower"]) for c in chans},
                             upper={c["name"]: _num(c["upper"]) for c in chans}, **kw)
    assert p.channels == [c["name"] for c in chans]
    # the table, the wide spends and the total agree
    assert abs(p.table["response"].sum() + sum(p.tail.values()) - p.total_response) <= 1e-9 * max(1.0, abs(p.total_response))
    return {"spend": p.spend.to_numpy().tolist(), "total_response": p.total_response}


def _run_optimize(fn, inp, params, kind):
    """Response-curve vectors, named as core/tests/vectors_optimize.rs names its results."""
    if fn == "optimize.allocate":
        return _allocate(inp, params, kind)
    if fn == "optimize.plan":
        return _plan(inp, params, kind)
    if fn == "optimize.bids":
        return _bids(inp, params, kind)
    p = {k: (v if k in ("kind", "l_max", "normalize") else _num(v)) for k, v in params.items()}
    kind_name = p.pop("kind")
    if fn == "optimize.saturation":
        if kind_name == "robyn_hill":
            s = cw.optimize.Saturation.robyn_hill(p["alpha"], p["gamma"], _series(inp["x_fit"], kind))
        else:
            s = cw.optimize.Saturation(kind_name, **p)
        x = _series(inp["x"], kind)
        out = {"value": s.value(x).tolist(), "derivative": s.derivative(x).tolist()}
        if "m" in inp:
            out["inverse_marginal"] = s.inverse_marginal(_series(inp["m"], kind)).tolist()
        return out
    if fn == "optimize.adstock":
        l_max, normalize = p.pop("l_max"), p.pop("normalize", False)
        a = cw.optimize.Adstock(kind_name, l_max=l_max, normalize=normalize, **p)
        pre = _series(inp["pre"], kind) if "pre" in inp else None
        return {"value": a.apply(_series(inp["x"], kind), pre=pre).tolist(), "weights": a.weights.tolist()}
    pytest.fail(f"no Python runner for function {fn!r}")


def _logistic(inp, params, kind):
    """glm.logistic: coefficients, intercept and P(y = 1) on the training rows."""
    rows = [[_num(v) for v in r] for r in inp["x"]]
    if len({len(r) for r in rows}) > 1:
        x = rows  # ragged: only rows can state it; the binding reports the length mismatch
    else:
        x, nf = _matrix([v for r in rows for v in r], len(rows[0]) if rows else 0, kind)
        assert nf is None
    w = inp.get("sample_weight")
    spec = cw.glm.LogisticRegression(
        c=_num(params["c"]),
        penalty=None if params["penalty"] == "none" else params["penalty"],
        fit_intercept=params["fit_intercept"],
        l1_ratio=_num(params["l1_ratio"]) if "l1_ratio" in params else None,
    )
    fit = spec.fit(x, [_num(v) for v in inp["y"]], None if w is None else [_num(v) for v in w])
    p = fit.predict_proba(x)
    assert p.ndim == 1 and fit.predict_proba2(x).shape == (len(p), 2)
    return {"coef": fit.coef_.tolist(), "intercept": fit.intercept_, "proba": p.tolist()}


def _clv_columns(inp, names, kind):
    """CLV input columns as a table of ``kind`` ("dict", "pandas", "polars")."""
    return _frame({k: [_num(x) for x in inp[k]] for k in names if k in inp}, kind)


def _clv_series(inp, name, kind):
    """A prediction column in the form that matches a table ``kind``: a list for "dict",
    else that library's Series (numpy for "dict" would be covered by the list route)."""
    return _series(inp[name], {"dict": "list", "pandas": "pandas", "polars": "polars"}[kind])


def _run_clv(fn, inp, params, kind):
    """clv.* vectors through `cw.clv`, named as core/tests/vectors_clv.rs names its results."""
    p = lambda k: _num(params[k])  # noqa: E731
    hist = ("frequency", "recency", "T")
    pen = _num(params.get("penalizer_coef", 0.0))  # lifetimes' penalizer, where the vector sets one
    specs = {"bg_nbd": cw.clv.BetaGeo, "mbg_nbd": cw.clv.ModifiedBetaGeo, "pareto_nbd": cw.clv.ParetoNbd}
    family = {"bg_nbd": cw.clv.BetaGeoParams, "mbg_nbd": cw.clv.ModifiedBetaGeoParams}
    model = fn.split(".")[1]
    if fn.endswith(".fit") and model in specs:
        spec = specs[model](penalizer_coef=pen)
        df = _clv_columns(inp, hist + ("weights",), kind)
        fit = spec.fit(df, weights="weights" if "weights" in inp else None)
        assert set(fit.std_errors) == set(fit.params)
        again = type(fit).from_json(fit.to_json())
        assert again.params == fit.params and again.log_likelihood == fit.log_likelihood
        return {**fit.params, "log_likelihood": fit.log_likelihood, "std_errors": [fit.std_errors[k] for k in fit.params]}
    if fn.endswith(".predict") and model in specs:
        if model in family:
            m = family[model](**{k: p(k) for k in ("r", "alpha", "a", "b")})
        else:
            m = cw.clv.ParetoNbdParams(**{k: p(k) for k in ("r", "alpha", "s", "beta")})
        f, r, t = (_clv_series(inp, k, kind) for k in hist)
        out = {"p_alive": list(m.p_alive(f, r, t))}
        df = _clv_columns(inp, hist, kind)
        assert list(m.p_alive(df)) == out["p_alive"], "a DataFrame gives the same as its columns"
        if "horizon" in params:
            out["expected_purchases"] = list(m.expected_purchases(p("horizon"), f, r, t))
            out["expected_purchases_unconditional"] = m.expected_purchases_unconditional(p("t"))
        if "n_max" in params:
            out["probability_of_purchases"] = list(m.probability_of_purchases(range(params["n_max"] + 1), p("t")))
        rows = zip(*(inp[k] for k in hist))
        out["log_likelihood"] = [m.log_likelihood_of([_num(a)], [_num(b)], [_num(c)]) for a, b, c in rows]
        return out
    if fn == "clv.bg_bb.fit":
        df = _clv_columns(inp, ("frequency", "recency", "n_periods", "weights"), kind)
        fit = cw.clv.BetaGeoBetaBinom(penalizer_coef=pen).fit(df, weights="weights" if "weights" in inp else None)
        again = cw.clv.FittedBetaGeoBetaBinom.from_json(fit.to_json())
        assert again.params == fit.params and again.std_errors == fit.std_errors
        return {**fit.params, "log_likelihood": fit.log_likelihood, "std_errors": [fit.std_errors[k] for k in fit.params]}
    if fn == "clv.bg_bb.predict":
        m = cw.clv.BetaGeoBetaBinomParams(*(p(k) for k in ("alpha", "beta", "gamma", "delta")))
        f, r, n = (_clv_series(inp, k, kind) for k in ("frequency", "recency", "n_periods"))
        mp, np_ = params["m_periods"], params["n_periods"]
        out = {"p_alive": list(m.p_alive(f, r, n, m_periods=mp)),
               "expected_purchases": list(m.expected_purchases(mp, f, r, n)),
               "expected_purchases_unconditional": m.expected_purchases_unconditional(np_),
               "probability_of_purchases": list(m.probability_of_purchases(range(np_ + 1), np_))}
        df = _clv_columns(inp, ("frequency", "recency", "n_periods"), kind)
        assert list(m.p_alive(df, m_periods=mp)) == out["p_alive"], "a DataFrame gives the same as its columns"
        return out
    if fn == "clv.gamma_gamma.fit":
        df = _clv_columns(inp, ("frequency", "monetary_value", "weights"), kind)
        fit = cw.clv.GammaGamma(penalizer_coef=pen).fit(df, weights="weights" if "weights" in inp else None)
        again = cw.clv.FittedGammaGamma.from_json(fit.to_json())
        assert again.params == fit.params
        return {**fit.params, "log_likelihood": fit.log_likelihood, "std_errors": [fit.std_errors[k] for k in fit.params]}
    if fn == "clv.gamma_gamma.predict":
        gg = cw.clv.GammaGammaParams(p("p"), p("q"), p("v"))
        bg = cw.clv.BetaGeoParams(**{k: _num(v) for k, v in params["bg"].items()})
        f, r, t, m = (_clv_series(inp, k, kind) for k in hist + ("monetary_value",))
        clv = gg.clv(bg, f, r, t, m, months=params["months"], discount_rate=p("discount_rate"), freq=params["freq"])
        df = _clv_columns(inp, hist + ("monetary_value",), kind)
        assert list(gg.clv(bg, df, months=params["months"], discount_rate=p("discount_rate"), freq=params["freq"])) == list(clv)
        return {"expected_spend": list(gg.expected_spend(f, m)), "clv": list(clv)}
    if fn == "clv.sbg.fit":
        fit = cw.clv.ShiftedBetaGeo(penalizer_coef=pen).fit(_series(inp["survivors"], "numpy" if kind == "dict" else kind))
        return {**fit.params, "log_likelihood": fit.log_likelihood, "std_errors": [fit.std_errors[k] for k in fit.params]}
    if fn == "clv.sbg.predict":
        m = cw.clv.ShiftedBetaGeoParams(p("alpha"), p("beta"))
        return {"survival": list(m.survival(params["periods"])), "retention": list(m.retention(params["periods"]))}
    if fn in ("clv.rfm.summary", "clv.rfm.calibration_and_holdout"):
        log = _frame({"id": inp["customer_id"], "when": inp["datetime"], "spend": [_num(x) for x in inp["monetary_value"]]}, kind)
        kw = dict(customer_id="id", datetime="when", monetary_value="spend", freq=params["freq"],
                  freq_multiplier=_num(params.get("freq_multiplier", 1.0)), observation_end=params.get("observation_end"))
        if fn == "clv.rfm.summary":
            out = to_columns(cw.clv.rfm(log, **kw))
        else:
            out = to_columns(cw.clv.calibration_and_holdout(log, params["calibration_end"], **kw))
            assert len(set(out["duration_holdout"])) == 1
            out["duration_holdout"] = out["duration_holdout"][0]
        return out
    if fn == "clv.hyp2f1":
        r = [cw.clv.ln_hyp2f1(*(_num(inp[k][i]) for k in "abcz")) for i in range(len(inp["a"]))]
        return {"ln_value": [v[0] for v in r], "sign": [v[1] for v in r]}
    pytest.fail(f"no Python runner for function {fn!r}")


def _bids(inp, params, kind):
    """optimize.bids: the multipliers (first-seen order, factor by factor), each query's bid and
    probability."""
    factors, cells = inp["factors"], inp["cells"]
    cols = {f: [c["context"][j] for c in cells] for j, f in enumerate(factors)}
    for k in ("clicks", "conversions", "value"):
        cols[k] = [_num(c[k]) for c in cells]
    t = params["target"]
    target = ("roas", _num(t["roas"])) if "roas" in t else ("cpa", _num(t["cpa"]))
    cap = _num(params["cap"])
    mc = params.get("max_change")
    model = cw.optimize.BidModel(
        factors, target=target, c=_num(params["c"]), floor=_num(params["floor"]),
        cap=None if math.isinf(cap) else cap, max_change=None if mc is None else _num(mc),
    ).fit(_frame(cols, kind))
    mult = to_columns(model.multipliers())
    bids = [model.bid(q["context"], current=q.get("current")) for q in inp["queries"]]
    # the DataFrame form agrees with one bid at a time
    table = to_columns(model.bids(_frame({f: [q["context"][j] for q in inp["queries"]] for j, f in enumerate(factors)}, kind),
                                  current=[q.get("current") for q in inp["queries"]]))
    assert table["bid"] == [b.bid for b in bids]
    return {"multiplier": mult["multiplier"], "bid": [b.bid for b in bids], "probability": [b.probability for b in bids]}


def _mmm(inp, params, kind):
    """A media mix model vector: `cw.optimize.MMM` with the vector's params fitted to a DataFrame
    of target, channels and controls; the channel names and point shares of `summary()`."""
    channels, controls = list(inp["channels"]), list(inp.get("controls", {}))
    assert "y" not in channels + controls
    cols = {"y": [_num(x) for x in inp["target"]]}
    for group in ("channels", "controls"):
        for name, xs in inp.get(group, {}).items():
            cols[name] = [_num(x) for x in xs]
    p = dict(params)
    for k in ("period", "level"):
        if k in p:
            p[k] = _num(p[k])
    model = cw.optimize.MMM(date=None, target="y", channels=channels, controls=controls, **p)
    s = to_columns(model.fit(_frame(cols, kind)).summary())
    return [str(c) for c in s["channel"]], [float(x) for x in s["share"]]


def _check_within(v, names, shares):
    """The "within" rule: share[i] inside [share_lo[i], share_hi[i]] and within tolerance.abs of
    the reference mean share[i] (as core/tests/vectors_mmm.rs)."""
    assert v.get("check") == "within", f"check {v.get('check')!r}: this runner knows 'within'"
    exp, tol = v["expected"], v.get("tolerance", {})
    abs_, rel = _num(tol.get("abs", 0.0)), _num(tol.get("rel", 0.0))
    assert names == list(v["input"]["channels"]), f"channels {names}"
    mean, lo, hi = ([_num(x) for x in exp[k]] for k in ("share", "share_lo", "share_hi"))
    assert len(shares) == len(mean) == len(lo) == len(hi)
    bad = [
        f"{n}: share {s:.4f}, reference mean {m:.4f} [{a:.4f}, {b:.4f}]"
        for n, s, m, a, b in zip(names, shares, mean, lo, hi)
        if not (a <= s <= b and _close(s, m, abs_, rel))
    ]
    assert not bad, f"outside the interval or further than abs {abs_} from the mean: {bad}"


def _run_platform(fn, inp, params, kind):
    """platform.* (core/tests/vectors_platform.rs) through cw.platform: PII from the vector's
    strings and dicts; webhooks with the body as str or bytes (a binary ``body_base64`` as bytes
    both times) and the vector's ``now``."""
    import base64

    g = (params.get("options") or {}).get("google_email", "documentation")
    if fn == "platform.pii.normalize":
        return {"normalized": cw.platform.normalize(inp["field"], inp["value"], vendor=inp["vendor"], google_email=g)}
    if fn == "platform.pii.hash":
        return {"hash": cw.platform.hash(inp["field"], inp["value"], vendor=inp["vendor"], google_email=g)}
    if fn == "platform.pii.hash_user_data":
        return cw.platform.hash_user_data(inp["user_data"], vendor=inp["vendor"], google_email=g)
    if "body_base64" in inp:
        body = base64.b64decode(inp["body_base64"])
    else:
        body = inp["body"].encode() if kind == "bytes" else inp["body"]
    secret = inp["secret"].encode() if kind == "bytes" else inp["secret"]
    scheme = inp.get("scheme", {})
    if fn == "platform.webhook.verify":
        tol = scheme.get("tolerance_seconds", 300)
        return {"valid": cw.platform.verify_webhook(scheme["scheme"], secret=secret, body=body, header=inp["header"],
                                                    now=inp["now"], tolerance=tol)}
    if fn == "platform.webhook.check_timestamped":
        return {"verdict": cw.platform.check_timestamped(secret=secret, body=body, header=inp["header"], now=inp["now"],
                                                         tolerance=inp.get("tolerance_seconds"))}
    if fn == "platform.webhook.sign":
        return {"header": cw.platform.sign_webhook(scheme["scheme"], secret=secret, body=body, t=inp["t"])}
    raise AssertionError(f"no runner for {fn}")


def _sizes(requests, items):
    return {"sizes": [len(items(r)) for r in requests], "requests": requests}


def _metrics_rows(df, kind):
    """A metrics frame back as the core's Report: one time zone, rows with ISO dates."""
    cols = to_columns(df)
    if kind == "polars":
        assert type(df).__module__.startswith("polars"), "backend='polars' gives polars"
    zones = set(cols.pop("time_zone"))
    assert len(zones) <= 1, f"one time zone per report, got {zones}"
    cols["date"] = [d.date().isoformat() if hasattr(d, "date") else d.isoformat() for d in cols["date"]]
    rows = [dict(zip(cols, vals)) for vals in zip(*cols.values())]
    return {"time_zone": zones.pop() if zones else None, "rows": rows}


def _run_platform_payloads(fn, inp, params, kind):
    """platform.payloads.* and platform.metrics.* (core/tests/vectors_platform.rs run_payloads):
    the vector's params are the keyword arguments of the cw.platform function of the same core
    call; metrics come back as pandas and polars DataFrames and are read back as rows."""
    p = dict(params)
    g = (p.pop("options", None) or {}).get("google_email")
    if fn == "platform.payloads.meta_capi":
        requests = cw.platform.meta_capi_events(inp["events"], **p)
        out = _sizes(requests, lambda r: r["data"])
        out["event_ids"] = [e.get("event_id") for r in requests for e in r["data"]]
        return out
    if fn == "platform.payloads.meta_change":
        return {"request": cw.platform.meta_change_request(inp["change"], inp["currency"])}
    if fn == "platform.payloads.ga4_mp":
        if p.pop("split", True):
            return _sizes(cw.platform.ga4_requests(inp["payload"], **p), lambda r: r["events"])
        return _sizes([cw.platform.ga4_body(inp["payload"], **p)], lambda r: r["events"])
    if fn == "platform.payloads.google_ads_click_conversions":
        requests = cw.platform.google_ads_click_conversions(inp["conversions"], google_email=g, **p)
        return _sizes(requests, lambda r: r["body"]["conversions"])
    if fn == "platform.payloads.google_ads_user_identifiers":
        return {"user_identifiers": cw.platform.google_ads_user_identifiers(inp["user_data"], google_email=g)}
    if fn == "platform.payloads.google_ads_customer_match":
        return {"operations": cw.platform.google_ads_customer_match(inp["users"], google_email=g)}
    if fn == "platform.payloads.google_ads_mutate":
        return {"requests": cw.platform.google_ads_mutate(inp["changes"], **p)}
    if fn == "platform.payloads.google_ads_date_time":
        formatted = cw.platform.google_ads_date_time(inp["ms"], inp["offset_minutes"])
        return {"formatted": formatted, "parsed_ms": cw.platform.google_ads_parse_date_time(formatted)}
    readers = {"platform.metrics.meta_insights": cw.platform.meta_insights,
               "platform.metrics.google_ads": cw.platform.google_ads_metrics,
               "platform.metrics.ga4_run_report": cw.platform.ga4_run_report}
    if fn in readers:
        return _metrics_rows(readers[fn](inp["response"], backend=kind, **p), kind)
    raise AssertionError(f"no runner for {fn}")


def _same(got, want, path, abs_, rel):
    """As the Rust runner's `same`: numbers within the tolerance when either is a float, integers,
    strings, booleans and nulls exactly, objects with the same keys; returns the leaves checked."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), f"{path}: keys {sorted(got)}, expected {sorted(want)}"
        return sum(_same(got[k], w, f"{path}.{k}", abs_, rel) for k, w in want.items())
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: {got!r}, expected {len(want)} items"
        return max(1, sum(_same(g, w, f"{path}[{i}]", abs_, rel) for i, (g, w) in enumerate(zip(got, want))))
    numbers = (int, float)
    if (isinstance(want, float) or isinstance(got, float)) and isinstance(want, numbers) and isinstance(got, numbers) \
            and not isinstance(got, bool) and not isinstance(want, bool):
        assert _close(float(got), float(want), abs_, rel), f"{path}: got {got!r}, expected {want!r} (abs {abs_}, rel {rel})"
        return 1
    assert type(got) is type(want) and got == want, f"{path}: got {got!r}, expected {want!r}"
    return 1


def _check_nested(v, got):
    tol = v.get("tolerance") or {}
    abs_, rel = _num(tol.get("abs", 0.0)), _num(tol.get("rel", 0.0))
    checked = 0
    for key, want in v["expected"].items():
        assert key in got, f"no result {key} in {sorted(got)}"
        checked += _same(got[key], want, key, abs_, rel)
    assert checked > 0, "vector checks nothing"


def _experiment_kinds(v):
    """Two-arm tests and chi-square run from the vector's arm dicts and from a pandas and a polars
    table with a row per arm; raw-value arms from lists and numpy arrays."""
    inp = v["input"]
    arms = inp.get("arms") or [inp[k] for k in ("a", "b") if k in inp]
    if v["function"] in ("experiment.cuped", "experiment.power", "experiment.group_sequential"):
        return ["dict"]
    if any("values" in a for a in arms):
        return ["list", "numpy"]
    return ["dict", "pandas", "polars"]


def _experiment_arms(inp, kind):
    """``(a, b)`` for ztest(a, b), or ``(table, None)`` with a row per arm for ztest(table)."""
    import numpy as np

    a, b = inp["a"], inp["b"]
    if kind in ("list", "numpy"):
        raw = (lambda x: np.asarray(x["values"], dtype=float)) if kind == "numpy" else (lambda x: list(x["values"]))
        return raw(a), raw(b)
    if kind == "dict":
        return a, b
    return _frame({"arm": ["a", "b"], **{k: [a[k], b[k]] for k in a}}, kind), None


def _polars_out(out, kind):
    if kind in ("pandas", "polars"):
        assert type(out.table).__module__.startswith(kind), f"{kind} in, {kind} out"
    cols = to_columns(out.table)
    return {k: v[0] for k, v in cols.items()}


def _run_experiment(fn, inp, params, kind):
    """experiment.* (core/tests/vectors_experiment.rs) through cw.experiment, results renamed to
    the vector's fields."""
    X = cw.experiment
    p = dict(params)
    if fn == "experiment.chisq":
        arms = inp["arms"]
        if kind != "dict":
            arms = _frame({"arm": [f"arm{i}" for i in range(len(arms))], **{k: [a[k] for a in arms] for k in arms[0]}}, kind)
        return X.chisq(arms)._asdict()
    if fn == "experiment.power":
        solve = p.pop("solve")
        kw = {k: inp[k] for k in ("effect_size", "nobs1", "power", "p1", "p2") if k in inp}
        assert solve not in kw, "the vector gives the value to solve for"
        out = {"value": X.power(**kw, **p)}
        if "p1" in inp:
            out["effect_size"] = X.proportion_effectsize(inp["p1"], inp["p2"])
        return out
    if fn == "experiment.group_sequential":
        spending = p.pop("spending", None)
        if isinstance(spending, dict):
            p.update(spending="power", rho=spending["power"]["rho"])
        elif spending is not None:
            p["spending"] = spending
        b = X.group_sequential(inp["information"], **p)
        return {k: list(v) for k, v in to_columns(b.table).items()}
    if fn == "experiment.cuped":
        c = X.cuped(inp["a"], inp["b"])
        out = {"theta": c.theta, "mean_a": c.a["mean"], "variance_a": c.a["variance"], "mean_b": c.b["mean"],
               "variance_b": c.b["variance"]}
        relative = p.get("relative", True)
        test = p["test"]
        if test == "welch":
            r = _polars_out(c.welch(), kind)
            e = "rel" if relative else "abs"
            out.update(mean=r[f"{e}_estimate"], std_dev=r[f"{e}_std_error"], ci_lower=r[f"{e}_ci_lower"],
                       ci_upper=r[f"{e}_ci_upper"], p_value=r[f"{e}_p_value"])
        elif test == "bayes":
            r = _polars_out(c.bayes(relative=relative), kind)
            out.update({k: r[k] for k in ("std_dev", "ci_lower", "ci_upper", "chance_to_win", "risk_control", "risk_treatment")})
            out["mean"] = r["estimate"]
        else:
            r = _polars_out(c.sequential(relative=relative, tuning=p.get("tuning")), kind)
            out.update({k: r[k] for k in ("ci_lower", "ci_upper", "p_value")}, mean=r["estimate"], std_dev=r["std_error"])
        return out
    a, b = _experiment_arms(inp, kind)
    if fn == "experiment.ztest":
        r = _polars_out(X.ztest(a, b, **p), kind)
        return {**r, "z": r["statistic"], "rate_a": r["mean_control"], "rate_b": r["mean"]}
    if fn == "experiment.welch":
        r = _polars_out(X.welch(a, b, **p), kind)
        return {**r, "t": r["statistic"]}
    if fn == "experiment.bayes_binomial":
        prior = p.get("prior", {})
        r = _polars_out(X.beta_binomial(a, b, prior_alpha=prior.get("alpha"), prior_beta=prior.get("beta")), kind)
        return {"chance_to_beat_a": r["chance_to_beat_control"], "loss_choosing_a": r["loss_choosing_control"],
                "loss_choosing_b": r["loss_choosing_arm"],
                "posterior_a": [r["posterior_alpha_control"], r["posterior_beta_control"]],
                "posterior_b": [r["posterior_alpha"], r["posterior_beta"]]}
    if fn == "experiment.gbstats_effect":
        r = _polars_out(X.bayes(a, b, **p), kind)
        return {**r, "mean": r["estimate"]}
    if fn == "experiment.sequential":
        # one look: ConfidenceSequence of a single row; a table input is one look per row, so
        # the two arms go in as their own one-row tables
        if b is None:
            rows = to_columns(a)
            one = lambda i: _frame({k: [v[i]] for k, v in rows.items() if k != "arm"}, kind)
            a, b = one(0), one(1)
        return _polars_out(X.sequential(a, b, **p), kind)
    raise AssertionError(f"no runner for {fn}")


def _run_decide(fn, inp, params, kind):
    """decide.* (core/tests/vectors_decide.rs) through cw.decide's rule functions: the risk of a
    proposal dict under a rule, staged values, auto-approval and guardrail verdicts (the step as
    the vector writes the core's StepCheck)."""
    if fn == "decide.risk":
        return cw.decide.risk(inp["proposal"], rule=inp.get("rule"))
    if fn == "decide.stages":
        return {"stages": cw.decide.stages(inp["from"], inp["to"], policy=inp.get("policy"))}
    if fn == "decide.auto_approves":
        return {"approved": cw.decide.auto_approves(inp["level"], policy=inp.get("policy"))}
    if fn == "decide.guardrails":
        return cw.decide.check_guardrails(inp["step"], inp["guardrails"])
    raise AssertionError(f"unknown function {fn}")


def _check_error_field(v, err):
    """The error names the vector's field; a PII error never shows a value."""
    field = v["expected"].get("field")
    if field:
        assert field in str(err), f"the error names {field}: {err}"
    if v["function"].startswith("platform.pii."):
        inp = v["input"]
        raw = [inp["value"]] if "value" in inp else [
            x for val in inp["user_data"].values() for x in (val if isinstance(val, list) else [val])]
        shown = f"{err} {err!r}"
        assert not [r for r in raw if len(r.strip()) >= 4 and r.strip() in shown], f"a PII error shows its value: {shown}"


def _check_named(v, got):
    exp = v["expected"]
    tol = v.get("tolerance", {})
    abs_, rel = _num(tol.get("abs", 0.0)), _num(tol.get("rel", 0.0))

    def near(key, g, w):
        g, w = float(g), _num(w)
        # an infinity matches only itself (the marginal at 0 of x^0.5), as in the Rust runners
        ok = g == w or (math.isfinite(g) and _close(g, w, abs_, rel))
        assert ok, f"{key}: got {g!r}, expected {w!r} (abs {abs_}, rel {rel})"

    checked = 0
    for key, want in exp.items():
        assert key in got, f"no result {key} in {sorted(got)}"
        g = got[key]
        if isinstance(want, list) and want and isinstance(want[0], str) and want[0] not in ("NaN", "Infinity", "-Infinity"):
            assert list(g) == want, f"{key}: got {list(g)[:5]}..., expected {want[:5]}..."  # ids: exactly
            checked += 1
        elif isinstance(want, list):
            if want and isinstance(want[0], list):  # nested (a plan's spend[channel][period]): flattened
                assert [len(r) for r in g] == [len(r) for r in want], f"{key}: shape differs"
                g, want = [x for r in g for x in r], [x for r in want for x in r]
            assert len(g) == len(want), f"{key}: got {len(g)} values, expected {len(want)}"
            for i, (gi, wi) in enumerate(zip(g, want)):
                near(f"{key}[{i}]", gi, wi)
                checked += 1
        elif isinstance(want, (bool, str)) and not (isinstance(want, str) and want in ("NaN", "Infinity", "-Infinity")):
            assert type(g) is type(want) and g == want, f"{key}: got {g!r}, expected {want!r}"
            checked += 1
        else:
            near(key, g, want)
            checked += 1
    assert checked > 0, "vector checks nothing"


def _close(got, want, abs_, rel):
    return abs(got - want) <= abs_ + rel * abs(want)


def _check_attribution(v, got, scalars):
    exp = v["expected"]
    tol = v.get("tolerance", {})
    abs_, rel = _num(tol.get("abs", 0.0)), _num(tol.get("rel", 0.0))
    want_ch = exp["channel"]
    assert sorted(got["channel"]) == sorted(want_ch), "channels"
    checked = 0
    for key, col in exp.items():
        if key == "channel":
            continue
        if key in scalars:
            assert _close(scalars[key], _num(col), abs_, rel), f"{key}: got {scalars[key]}, expected {col}"
            checked += 1
            continue
        assert key in got, f"no column {key} in {list(got)}"
        assert len(col) == len(want_ch)
        for ch, e in zip(want_ch, col):
            g = got[key][got["channel"].index(ch)]
            assert _close(g, _num(e), abs_, rel), f"{key}[{ch}]: got {g}, expected {e} (abs {abs_}, rel {rel})"
            checked += 1
    assert checked > 0, "vector checks nothing"


def _check_path_table(v, got, journeys):
    exp = v["expected"]
    abs_ = _num(v.get("tolerance", {}).get("abs", 1e-9))
    keyed = "key_touch" in exp
    rows = {}
    for i, p in enumerate(got["path"]):
        key = (p, got["key_touch"][i] if keyed else None)
        r = rows.setdefault(key, [0.0, 0.0, 0.0])
        r[0] += got["conversions"][i]
        r[1] += got["nulls"][i]
        r[2] += got["value"][i]
    order = sorted(rows, key=lambda k: (k[0], -1 if k[1] is None else k[1]))
    assert [k[0] for k in order] == exp["path"], "paths"
    if keyed:
        assert [k[1] for k in order] == exp["key_touch"], "key_touch"
    for j, name in enumerate(("conversions", "nulls", "value")):
        if name in exp:
            for k, w in zip(order, exp[name]):
                assert abs(rows[k][j] - _num(w)) <= abs_, f"{name}[{k}]"
    for k, w in exp.get("report", {}).items():
        assert abs(journeys.report[k] - _num(w)) <= 1e-9, f"report.{k}"


def _check_time_decay(v, got):
    exp = v["expected"]
    abs_ = _num(v.get("tolerance", {}).get("abs", 1e-9))
    assert got["channel"] == exp["channel"]
    for name in ("conversions", "value"):
        for g, w in zip(got[name], exp[name]):
            assert abs(g - _num(w)) <= abs_, name


def test_vectors_exist():
    assert FILES, f"no vectors under {VECTORS}"
    assert any(f.parent.name == "attribution" for f in FILES)
    assert {"stats", "forecast"} <= {f.parent.name for f in FILES}


# Modules whose core lands before its bindings, each with the issue that binds it; their
# vectors run in the Rust core (core/tests/vectors_<module>.rs) and are skipped here by name.
PENDING: dict = {}


def test_every_vector_is_bound():
    unbound = sorted({_load(f)["function"] for f in FILES
                      if not _load(f)["function"].startswith(BOUND) and not _load(f)["function"].startswith(tuple(PENDING))})
    assert not unbound, f"vectors of unbound functions: {unbound}"


@pytest.mark.parametrize("path, kind", list(_cases()))
def test_vector(path, kind):
    v = _load(path)
    fn = v["function"]
    if not fn.startswith(BOUND):
        pytest.skip(f"UNBOUND MODULE: {fn} ({path.name}) has no Python binding yet")
    waiting = [reason for prefix, reason in PENDING.items() if fn.startswith(prefix)]
    if waiting:
        pytest.skip(waiting[0])
    params = v.get("params") or {}
    want_error = v["expected"].get("error")
    journey_input = "touchpoints" in v.get("input", {})
    nested = fn.startswith(("platform.payloads.", "platform.metrics."))
    if nested:
        run = _run_platform_payloads
    elif fn.startswith("experiment."):
        run = _run_experiment
    elif fn.startswith("decide."):
        run = _run_decide
    elif fn.startswith("platform."):
        run = _run_platform
    elif fn.startswith(SERIES):
        run = _run_series
    elif journey_input:
        run = _run_journey
    else:
        run = _run_attribution
    if want_error:
        with pytest.raises(cw.ChannelwiseError) as info:
            run(fn, v.get("input", {}), params, kind)
        assert info.value.code == want_error, f"expected {want_error}, got {info.value.code}: {info.value}"
        assert type(info.value).code == want_error
        if fn.startswith(("platform.", "experiment.", "decide.")):
            _check_error_field(v, info.value)
        return
    if fn == "optimize.mmm":
        _check_within(v, *_mmm(v["input"], params, kind))
        return
    if nested:
        _check_nested(v, run(fn, v["input"], params, kind))
        return
    if fn.startswith(SERIES) or fn.startswith(("platform.", "experiment.", "decide.")):
        _check_named(v, run(fn, v.get("input", {}), params, kind))
        return
    got, extra = run(fn, v["input"], params, kind)
    if not journey_input:
        _check_attribution(v, got, extra)
    elif fn == "journey.path_table":
        _check_path_table(v, got, extra)
    else:
        _check_time_decay(v, got)
