"""cw.leads: funnels, cohorts, scores, lifecycles and health from DataFrames (the values against brute force are the
shared vectors' job: tests/vectors/leads/), datetimes in, polars in -> polars out, plots, and bad
input named by its field."""

import datetime as dt

import pandas as pd
import polars as pl
import pytest

import channelwise as cw

EVENTS = pd.DataFrame({
    "lead": ["ann", "ann", "ann", "bob", "bob", "cy", "dee", "dee"],
    "timestamp": pd.to_datetime([
        "2026-01-05 10:00", "2026-01-05 10:05", "2026-02-10 09:00", "2026-01-20 12:00",
        "2026-01-20 12:30", "2026-02-02 08:00", "2026-02-03 08:00", "2026-03-03 08:00"], utc=True),
    "event": ["visit", "signup", "purchase", "visit", "signup", "visit", "visit", "purchase"],
    "value": [0.0, 0.0, 120.0, 0.0, 0.0, 0.0, 0.0, 80.0],
})


def test_funnel_counts_each_lead_once_at_its_furthest_step():
    f = cw.leads.funnel(EVENTS, ["visit", "signup", "purchase"], window_seconds=60 * 86400)
    assert f["count"].tolist() == [4, 2, 1]  # dee purchased without signing up: sequential order
    assert f["conversion_rate"].tolist() == pytest.approx([1.0, 0.5, 0.25])
    assert dict(zip(f.leads, f.furthest_step)) == {"ann": 3, "bob": 2, "cy": 1, "dee": 1}  # steps reached
    any_order = cw.leads.funnel(EVENTS, ["visit", "purchase"], order="any", window_seconds=60 * 86400)
    assert any_order["count"].tolist() == [4, 2]
    short = cw.leads.funnel(EVENTS, ["visit", "signup"], window_seconds=60 * 10)
    assert short["count"].tolist() == [4, 1]  # bob signed up 30 minutes later
    out = cw.leads.funnel(pl.from_pandas(EVENTS), ["visit", "signup"])
    assert type(out.table).__module__.startswith("polars")


def test_cohorts_by_month():
    t = cw.leads.cohorts(EVENTS, period="month", acquisition_event="visit", conversion_event="purchase",
                         revenue_event="purchase", value="value", as_of=dt.datetime(2026, 3, 31))
    assert t["cohort"].tolist() == ["2026-01", "2026-02"]
    assert t["size"].tolist() == [2, 2]
    assert len(t) == 2 and t.period == "month"
    jan = t.table.iloc[0]
    assert jan["revenue"][:2] == [0.0, 120.0]  # ann's purchase a month after her visit
    assert all(a >= b for a, b in zip(jan["retention_on_or_after"], jan["retention_on"]))


def test_scores_with_breakdown():
    config = {
        "attribute_rules": [{"name": "vp", "dimension": "demographic", "attribute": "title",
                             "condition": {"op": "one_of", "values": ["VP", "CMO"]}, "points": 15}],
        "event_rules": [{"name": "visits", "dimension": "engagement", "event_type": "visit", "points": 5},
                        {"name": "buys", "dimension": "intent", "event_type": "purchase", "points": 20}],
        "grades": {"thresholds": [10, 20, 30, 40]},
    }
    attrs = pd.DataFrame({"lead": ["ann", "bob", "cy", "dee", "eve"], "title": ["VP", "analyst", "CMO", "", "VP"]})
    s = cw.leads.score(EVENTS, config, as_of=dt.datetime(2026, 3, 10), attributes=attrs)
    assert s["lead"].tolist() == ["ann", "bob", "cy", "dee", "eve"]  # eve has no events
    row = s.set_index("lead").loc["ann"]
    assert row["fit"] == 15 and row["activity"] == 25 and row["total"] == 40 and row["grade"] == "A+"
    assert row["rules"] == {"vp": 15.0, "visits": 5.0, "buys": 20.0}
    assert s.set_index("lead").loc["eve", "activity"] == 0


def test_cohort_matrix_and_heatmap():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    t = cw.leads.cohorts(EVENTS, period="month", acquisition_event="visit", conversion_event="purchase",
                         revenue_event="purchase", value="value", as_of=dt.datetime(2026, 3, 31))
    m = t.matrix("retention_on")
    assert m.shape == (2, 3) and m[1, 2] != m[1, 2]  # the February cohort has no third month: NaN
    assert m[0, 0] == 1.0
    ax = t.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    assert [tl.get_text() for tl in ax.get_yticklabels()] == ["2026-01", "2026-02"]
    assert "100%" in [x.get_text() for x in ax.texts]  # annotated as percentages
    ax = cw.leads.cohorts(pl.from_pandas(EVENTS), value="value").plot("cumulative_value_per_customer", annotate=False)
    assert not ax.texts
    with pytest.raises(ValueError, match="metric"):
        t.plot("profit")
    import matplotlib.pyplot as plt

    plt.close("all")


def test_lifecycle_from_a_transitions_table():
    tr = pd.DataFrame({
        "lead": ["a", "a", "b", "a", "b"],
        "timestamp": [0, 3600, 100, 7200, 5000],
        "stage": ["new", "contacted", "qualified", "customer", "opportunity"],
        "reason": [None, "call", "", "signed", None],
    })
    lc = cw.leads.lifecycle(tr, as_of=10_000)
    assert lc.leads == ["a", "b"] and lc.as_of == 10_000
    assert lc.current["stage"].tolist() == ["customer", "opportunity"]
    assert lc.current["since"].tolist() == [7200, 5000]
    missing = lambda col: [None if pd.isna(x) else x for x in lc.transitions[col]]  # noqa: E731
    assert missing("from_stage") == [None, "new", None, "contacted", "qualified"]  # None: the entry
    assert missing("reason") == [None, "call", None, "signed", None]
    assert lc.time_in_stage["contacted"].tolist() == [3600.0, 0.0]
    q = lc.summary.set_index("stage").loc["qualified"]
    assert (q["entered"], q["exited"], q["current"], q["median_seconds"]) == (1, 1, 0, 4900.0)
    assert cw.leads.lifecycle(tr).as_of == 7200  # default: the latest transition
    # a custom machine with a way back, from polars
    custom = cw.leads.lifecycle(pl.DataFrame({"lead": [1, 1, 1], "timestamp": [0, 5, 9], "stage": ["open", "lost", "open"]}),
                                stages=["open", "won", "lost"], allowed=[("open", "won"), ("open", "lost"), ("lost", "open")])
    assert type(custom.summary).__module__.startswith("polars")
    assert custom.summary["entered"].to_list() == [2, 0, 1]
    with pytest.raises(cw.InvalidRecordError, match=r"row 1, column stage: \"qualified -> new\""):
        cw.leads.lifecycle({"lead": ["a", "a"], "timestamp": [0, 1], "stage": ["qualified", "new"]})
    with pytest.raises(cw.InvalidParameterError, match=r"stages\[1\]"):
        cw.leads.lifecycle(tr, stages=["new", "new"])


def test_health_rising_fading_and_p_alive():
    day = 86400
    rows = []
    for w in range(8):
        rows += [("up", w * 7 * day + 1)] * (w + 1) + [("down", w * 7 * day + 1)] * (8 - w)
    rows.append(("gone", 0))
    ev = pd.DataFrame({"lead": [r[0] for r in rows], "timestamp": [r[1] for r in rows], "event": "visit"})
    h = cw.leads.health(ev, as_of=8 * 7 * day).set_index("lead")
    assert h.loc["up", "trend"] == "increasing" and h.loc["down", "trend"] == "decreasing"
    assert h.loc["up", "score"] > h.loc["down", "score"]
    assert h.loc["up", "slope"] == 1.0 and h.loc["down", "activity"] == [8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    assert h.loc["gone", "churn_source"] == "recency"
    p = cw.leads.health(ev, as_of=8 * 7 * day, p_alive=pd.Series({"gone": 0.95})).set_index("lead")
    assert p.loc["gone", "churn_source"] == "p_alive" and p.loc["gone", "churn_risk"] == pytest.approx(0.05)
    assert p.loc["up", "churn_source"] == "recency"
    aligned = cw.leads.health(ev, as_of=8 * 7 * day, p_alive=[0.5, float("nan"), 0.5], leads=["up", "down", "gone"])
    assert aligned["churn_source"].tolist() == ["p_alive", "recency", "p_alive"]
    out = cw.leads.health(pl.from_pandas(ev), as_of=dt.datetime(1970, 2, 26, tzinfo=dt.timezone.utc))
    assert type(out).__module__.startswith("polars")
    with pytest.raises(TypeError, match="leads="):
        cw.leads.health(ev, as_of=0, p_alive=[0.5, 0.5, 0.5])
    with pytest.raises(cw.InvalidParameterError, match="nobody"):
        cw.leads.health(ev, as_of=0, p_alive={"nobody": 0.5})
    with pytest.raises(cw.InvalidParameterError, match="periods"):
        cw.leads.health(ev, as_of=0, periods=2)
    with pytest.raises(cw.OutOfRangeError, match=r"p_alive\[0\]"):
        cw.leads.health(ev, as_of=0, p_alive={"up": 1.5})


def test_funnel_plot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    fig = cw.leads.funnel(EVENTS, ["visit", "signup", "purchase"]).plot()
    assert isinstance(fig, matplotlib.figure.Figure)


def test_bad_input_is_typed_and_named():
    with pytest.raises(cw.NotEnoughDataError, match=r"funnel steps"):
        cw.leads.funnel(EVENTS, ["visit"])
    with pytest.raises(cw.InvalidParameterError, match=r"refund"):
        cw.leads.funnel(EVENTS, ["visit", "refund"])
    with pytest.raises(cw.ChannelwiseError, match=r"thresholds"):
        cw.leads.score(EVENTS, {"grades": {"thresholds": [30, 20, 40, 50]}}, as_of=0)
    with pytest.raises(cw.InvalidParameterError, match=r"period|cohorts"):
        cw.leads.cohorts(EVENTS, period="fortnight")
    with pytest.raises(TypeError, match=r"as_of"):
        cw.leads.score(EVENTS, {}, as_of="yesterday")
