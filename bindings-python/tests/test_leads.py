"""cw.leads: funnels, cohorts and scores from DataFrames (the values against brute force are the
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
    jan = t.iloc[0]
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
