"""Bad input becomes a typed error naming the field; every input library works; polars in,
polars out; a panic becomes InternalError."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import pytest

import channelwise as cw
from channelwise._frames import to_columns

COLS = {
    "path": ["a>b", "b", "a>c", "c"],
    "conversions": [3.0, 1.0, 2.0, 0.0],
    "nulls": [1.0, 4.0, 2.0, 3.0],
    "value": [30.0, 10.0, 25.0, 0.0],
}


def test_error_classes_cover_every_kind():
    assert cw.ChannelwiseError.__mro__[1] is ValueError
    for code in cw.ERROR_CODES:
        name = "".join(p.title() for p in code.split("_")) + "Error"
        cls = getattr(cw, name)
        assert issubclass(cls, cw.ChannelwiseError) and cls.code == code
        assert cls.__module__ == "channelwise"
        assert name in cw.__all__


@pytest.mark.parametrize(
    "make",
    [
        lambda: pd.DataFrame(COLS),
        lambda: pl.DataFrame(COLS),
        lambda: pa.table(COLS),
        lambda: {k: np.asarray(v) for k, v in COLS.items()},
        lambda: dict(COLS),
        lambda: [dict(zip(COLS, row)) for row in zip(*COLS.values())],
    ],
    ids=["pandas", "polars", "arrow", "numpy-dict", "list-dict", "records"],
)
def test_every_input_kind_gives_the_same_numbers(make):
    want = to_columns(cw.attribution.markov(pd.DataFrame(COLS)))
    out = cw.attribution.markov(make())
    assert isinstance(out, pl.DataFrame) == isinstance(make(), pl.DataFrame)
    if not isinstance(out, pl.DataFrame):
        assert isinstance(out, pd.DataFrame)
    assert to_columns(out) == want


def test_records_are_read_as_pandas_reads_them():
    # a list of dicts, as a JSON API or a database driver gives rows: one column per key some
    # record has; a key a record lacks is missing there, as in pd.DataFrame(records)
    touches = [{"user_id": "u1", "timestamp": 0, "channel": "search", "campaign": "brand"},
               {"user_id": "u1", "timestamp": 60, "channel": "email"},
               {"user_id": "u2", "timestamp": 5, "channel": "social", "campaign": None}]
    bought = [{"user_id": "u1", "timestamp": 99, "value": 40.0}]
    kw = dict(level="channel_campaign")
    want = to_columns(cw.journey.path_table(pd.DataFrame(touches), pd.DataFrame(bought), **kw))
    assert to_columns(cw.journey.path_table(touches, bought, **kw)) == want
    assert want["path"] == ["search | brand>email", "social"]  # hand-derived: u1 bought, u2 did not
    # lead events, attributes and a stage log as records (attributes as CRM records give them)
    events = [{"lead": "ann", "timestamp": 0, "event": "visit"}, {"lead": "bob", "timestamp": 9, "event": "visit"}]
    attrs = [{"lead": "ann", "title": "VP"}, {"lead": "bob", "employees": 40.0}]
    config = {"attribute_rules": [{"name": "vp", "dimension": "demographic", "attribute": "title",
                                   "condition": {"op": "equals", "value": "VP"}, "points": 15}]}
    got = to_columns(cw.leads.score(events, config, as_of=10, attributes=attrs))
    assert got == to_columns(cw.leads.score(pd.DataFrame(events), config, as_of=10, attributes=pd.DataFrame(attrs)))
    assert got["fit"] == [15.0, 0.0]
    stages = [{"lead": "a", "timestamp": 0, "stage": "new"}, {"lead": "a", "timestamp": 3600, "stage": "qualified"}]
    assert cw.leads.lifecycle(stages, as_of=7200).current["stage"].tolist() == ["qualified"]
    # CLV: fit data and the transaction log
    f = [0, 0, 0, 1, 1, 2, 3, 0, 4, 1, 0, 2, 6, 0, 1, 0, 2, 0, 1, 0]
    r = [0, 0, 0, 5, 30, 12, 35, 0, 38, 2, 0, 20, 39, 0, 15, 0, 8, 0, 33, 0]
    hist = [{"frequency": a, "recency": b, "T": 40.0} for a, b in zip(f, r)]
    assert cw.clv.BetaGeo().fit(hist).params == cw.clv.BetaGeo().fit(pd.DataFrame(hist)).params
    log = [{"customer_id": "a", "date": "2024-01-01", "spend": 5.0}, {"customer_id": "a", "date": "2024-01-09", "spend": 7.0}]
    kw = dict(customer_id="customer_id", datetime="date", monetary_value="spend", observation_end="2024-02-01")
    assert to_columns(cw.clv.rfm(log, **kw)) == to_columns(cw.clv.rfm(pd.DataFrame(log), **kw))
    # journey.merge: frames, dicts of columns, records and Arrow tables alike
    columns = lambda recs, keys: {k: [r.get(k) for r in recs] for k in keys}  # noqa: E731 (no records: no table)
    part = lambda keep: to_columns(cw.journey.path_table(  # noqa: E731
        [t for t in touches if t["user_id"] in keep],
        columns([c for c in bought if c["user_id"] in keep], ("user_id", "timestamp", "value"))))
    u1, u2 = part({"u1"}), part({"u2"})
    whole = cw.journey.merge([pd.DataFrame(u1), pd.DataFrame(u2)])
    records = lambda cols: [dict(zip(cols, row)) for row in zip(*cols.values())]  # noqa: E731
    for a, b in [(u1, u2), (records(u1), records(u2)), (pa.table(u1), records(u2))]:
        assert to_columns(cw.journey.merge([a, b])) == to_columns(whole)
    assert to_columns(whole)["path"] == ["search>email", "social"]
    with pytest.raises(TypeError, match=r"^tables\[1\]\[1\]: expected a record"):
        cw.journey.merge([u1, [records(u2)[0], "x"]])
    # a record that is no dict is named by its row; a key a record lacks is a missing cell (but
    # see test_records_have_the_defaults_js_rows_have)
    with pytest.raises(TypeError, match=r"^table\[1\]: expected a record"):
        cw.attribution.markov([{"path": "a", "conversions": 1.0}, "b"])
    with pytest.raises(TypeError, match=r"^touchpoints\[3\]: expected a record"):
        cw.journey.path_table(touches + [["u3", 1, "x"]], bought)
    with pytest.raises(cw.NonFiniteError, match=r"^conversions\[1\] must be finite, got NaN"):
        cw.attribution.markov([{"path": "a", "conversions": 1.0, "nulls": 0.0}, {"path": "b", "nulls": 1.0}])
    # no records at all is no table: an empty table is given as columns; rows as tuples are no records
    with pytest.raises(TypeError, match=r"^table: expected .* or records \(a list of dicts\), got an empty list"):
        cw.attribution.markov([])
    with pytest.raises(TypeError, match=r"^touchpoints: expected .* got a list of tuple$"):
        cw.journey.path_table([("u1", 0, "search")], bought)


def test_records_have_the_defaults_js_rows_have():
    # A record that leaves out (or gives None for) a column with a default has the default, as
    # JS reads rows (`tests/js/api.mjs`): what the whole column's absence would say.
    short = [{"path": "a>b", "conversions": 1.0, "nulls": 2.0}, {"path": "b", "conversions": 1.0, "value": None}]
    full = pd.DataFrame({"path": ["a>b", "b"], "conversions": [1.0, 1.0], "nulls": [2.0, 0.0], "value": [0.0, 0.0]})
    assert to_columns(cw.attribution.markov(short)) == to_columns(cw.attribution.markov(full))
    # hand-derived: start->a 3/4, start->b 1/4, a->b 1, b->conversion 2/4, so P = 1/2; without a
    # 1/8, without b 0: removal effects 3/4 and 1, credit 2 x (3/4, 1) / (7/4) = (6/7, 8/7), as
    # the Node package gives for these rows
    assert to_columns(cw.attribution.markov(short))["conversions"] == pytest.approx([6 / 7, 8 / 7], abs=1e-12)
    # a conversion's value (and the whole value column) may be left out: zero
    touches = [{"user_id": "u1", "timestamp": 0, "channel": "a"}, {"user_id": "u2", "timestamp": 0, "channel": "b"}]
    got = to_columns(cw.journey.path_table(touches, [{"user_id": "u1", "timestamp": 10, "value": 5}, {"user_id": "u2", "timestamp": 10}]))
    assert (got["conversions"], got["value"]) == ([1.0, 1.0], [5.0, 0.0])
    got = to_columns(cw.journey.path_table(pd.DataFrame(touches), pd.DataFrame({"user_id": ["u1"], "timestamp": [10]})))
    assert (got["path"], got["conversions"], got["nulls"], got["value"]) == (["a", "b"], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0])
    with pytest.raises(cw.InvalidParameterError, match=r'conversions.value column: "amount"'):
        cw.journey.path_table(touches, [{"user_id": "u1", "timestamp": 10}], value="amount")
    # CLV weights (customers per row) default to 1, lead event values to 0
    f = [0, 0, 0, 1, 1, 2, 3, 0, 4, 1, 0, 2, 6, 0, 1, 0, 2, 0, 1, 0]
    r = [0, 0, 0, 5, 30, 12, 35, 0, 38, 2, 0, 20, 39, 0, 15, 0, 8, 0, 33, 0]
    hist = [{"frequency": a, "recency": b, "T": 40.0, **({"n": 3.0} if i % 4 == 0 else {})} for i, (a, b) in enumerate(zip(f, r))]
    want = cw.clv.BetaGeo().fit(pd.DataFrame(hist).fillna({"n": 1.0}), weights="n").params
    assert cw.clv.BetaGeo().fit(hist, weights="n").params == want != cw.clv.BetaGeo().fit(hist).params
    events = [{"lead": "ann", "timestamp": 0, "event": "buy", "amount": 30.0}, {"lead": "bob", "timestamp": 9, "event": "buy"}]
    config = {"event_rules": [{"name": "spend", "dimension": "intent", "event_type": "buy", "points": 0, "per_value": 1.0}]}
    assert to_columns(cw.leads.score(events, config, as_of=10, value="amount"))["total"] == [30.0, 0.0]
    # CLV predictions take records too, and give a Series as for the frame the records make
    fit = cw.clv.BetaGeo().fit(hist, weights="n")
    got = fit.p_alive(hist)
    assert isinstance(got, pd.Series) and got.tolist() == fit.p_alive(pd.DataFrame(hist)).tolist()
    assert fit.expected_purchases(13, hist).tolist() == fit.expected_purchases(13, pd.DataFrame(hist)).tolist()
    with pytest.raises(TypeError, match=r"^data\[1\]: expected a record"):
        fit.p_alive([hist[0], "x"])
    # a column without a default keeps the missing cell: an error naming it
    with pytest.raises(cw.NonFiniteError, match=r"frequency\[1\]"):
        cw.clv.BetaGeo().fit([{"frequency": 1, "recency": 5, "T": 40}, {"recency": 0, "T": 40}])


def test_polars_in_polars_out_everywhere():
    df = pl.DataFrame(COLS)
    for out in (
        cw.attribution.heuristics(df),
        cw.attribution.markov(df, ci=dict(replicates=20)),
        cw.attribution.shapley(df),
        cw.attribution.ordered_shapley(df),
        cw.attribution.compare(df),
        cw.attribution.compare(df, wide=True),
        cw.attribution.Markov().fit(df).transitions(),
    ):
        assert isinstance(out, pl.DataFrame)


def test_integer_and_nullable_columns():
    df = pd.DataFrame({"path": COLS["path"], "conversions": [3, 1, 2, 0]})
    df["conversions"] = df["conversions"].astype("Int64")
    out = cw.attribution.shapley(df)
    assert sum(out["conversions"]) == pytest.approx(6.0)


def test_custom_column_names_and_separator():
    df = pd.DataFrame({"p": ["a / b", "b"], "conv": [1.0, 1.0]})
    out = cw.attribution.shapley(df, path="p", conversions="conv", sep="/")
    assert list(out["channel"]) == ["a", "b"]


def test_missing_column_names_it():
    df = pd.DataFrame({"journey": ["a"], "conversions": [1.0]})
    with pytest.raises(cw.InvalidParameterError, match='path column: "path"') as e:
        cw.attribution.markov(df)
    assert e.value.code == "invalid_parameter"
    assert "journey" in str(e.value)
    # an optional column given explicitly must exist
    with pytest.raises(cw.InvalidParameterError, match='value column: "revenue"'):
        cw.attribution.markov(pd.DataFrame(COLS), value="revenue")
    with pytest.raises(cw.InvalidParameterError, match="conversions"):
        cw.attribution.heuristics(pl.DataFrame({"path": ["a"]}))


def test_nan_is_non_finite():
    df = pd.DataFrame({**COLS, "conversions": [3.0, math.nan, 2.0, 0.0]})
    with pytest.raises(cw.NonFiniteError, match=r"conversions\[1\] must be finite, got NaN"):
        cw.attribution.markov(df)
    with pytest.raises(cw.NonFiniteError):
        cw.attribution.shapley(pl.DataFrame({**COLS, "value": [None, 1.0, 2.0, 0.0]}))


def test_empty_frame_is_not_enough_data():
    empty = pd.DataFrame({"path": pd.Series([], dtype=str), "conversions": pd.Series([], dtype=float)})
    for f in (cw.attribution.markov, cw.attribution.shapley):
        with pytest.raises(cw.NotEnoughDataError):
            f(empty)
    with pytest.raises(cw.NotEnoughDataError):
        cw.attribution.markov(pl.DataFrame({"path": [], "conversions": []}, schema={"path": pl.String, "conversions": pl.Float64}))


def test_wrong_types():
    with pytest.raises(TypeError, match="DataFrame"):
        cw.attribution.markov(42)
    with pytest.raises(TypeError):
        cw.attribution.markov([("a", 1.0)])
    with pytest.raises(cw.InvalidRecordError, match="column conversions") as e:
        cw.attribution.markov(pd.DataFrame({"path": ["a", "b"], "conversions": ["1", "x"]}))
    assert "row 0" in str(e.value)
    with pytest.raises(cw.InvalidRecordError, match="row 1"):
        cw.attribution.markov({"path": ["a", "b"], "conversions": [1.0, "x"]})
    with pytest.raises(cw.InvalidPathError, match="row 1: expected a string"):
        cw.attribution.markov(pd.DataFrame({"path": ["a", None], "conversions": [1.0, 1.0]}))
    with pytest.raises(cw.InvalidPathError, match="row 0"):
        cw.attribution.markov({"path": [3], "conversions": [1.0]})
    with pytest.raises(cw.InvalidParameterError, match="horizon"):
        cw.attribution.markov(pd.DataFrame(COLS), horizon="forever")
    with pytest.raises(cw.InvalidParameterError, match="horizon"):
        cw.attribution.markov(pd.DataFrame(COLS), horizon=True)
    with pytest.raises(cw.OutOfRangeError, match="order"):
        cw.attribution.markov(pd.DataFrame(COLS), order=0)
    with pytest.raises(cw.InvalidParameterError, match="order"):
        cw.attribution.markov(pd.DataFrame(COLS), order="2")
    with pytest.raises(cw.InvalidParameterError, match="ci"):
        cw.attribution.markov(pd.DataFrame(COLS), ci={"reps": 3})
    with pytest.raises(cw.OutOfRangeError, match="replicates"):
        cw.attribution.shapley(pd.DataFrame(COLS), ci={"replicates": -1})
    with pytest.raises(cw.InvalidParameterError, match="method"):
        cw.attribution.Markov().fit(pd.DataFrame(COLS)).shapley(method="magic")
    with pytest.raises(cw.InvalidParameterError, match="models"):
        cw.attribution.compare(pd.DataFrame(COLS), models=["last_click"])


def test_a_lone_surrogate_in_an_event_column_is_named():
    # pyo3's bare UnicodeEncodeError named no column and no row
    bought = {"user_id": ["a"], "timestamp": [3], "value": [1.0]}
    lone = re.escape(r'''invalid record at row 1, column touchpoints.user_id: "'\\ud800' (str)" (a lone surrogate: not Unicode text)''')
    with pytest.raises(cw.InvalidRecordError, match=lone):
        cw.journey.path_table({"user_id": ["a", "\ud800"], "timestamp": [0, 1], "channel": ["x", "y"]}, bought)
    with pytest.raises(cw.InvalidRecordError, match=r"row 1, column touchpoints\.campaign: .*\(a lone surrogate: not Unicode text\)"):
        cw.journey.path_table({"user_id": ["a", "b"], "timestamp": [0, 1], "channel": ["x", "y"], "campaign": [None, "\udc00"]}, bought)


def test_length_mismatch_from_a_dict():
    with pytest.raises(cw.LengthMismatchError, match="conversions has 1 entries, expected 2"):
        cw.attribution.markov({"path": ["a", "b"], "conversions": [1.0]})


def test_invalid_path_and_separator():
    with pytest.raises(cw.InvalidPathError, match="empty channel name"):
        cw.attribution.heuristics({"path": ["a>>b"], "conversions": [1.0]})
    with pytest.raises(cw.InvalidParameterError, match="sep"):
        cw.attribution.heuristics({"path": ["a"], "conversions": [1.0]}, sep=" ")


def test_panic_becomes_internal_error():
    from channelwise import _channelwise

    with pytest.raises(cw.InternalError, match="boom") as e:
        _channelwise._panic_for_tests("boom")
    assert e.value.code == "internal"
    # the interpreter is still fine afterwards
    assert len(cw.attribution.shapley(pd.DataFrame(COLS))) == 3


def test_gil_is_released_during_core_work():
    import threading

    rng = np.random.default_rng(0)
    ch = np.array(list("abcdefgh"))
    paths = [">".join(rng.choice(ch, size=rng.integers(1, 6))) for _ in range(3000)]
    df = pd.DataFrame({"path": paths, "conversions": rng.integers(0, 5, 3000).astype(float),
                       "nulls": rng.integers(0, 5, 3000).astype(float)})
    results = []
    threads = [threading.Thread(target=lambda: results.append(cw.attribution.markov(df, order=2))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    assert all(to_columns(r) == to_columns(results[0]) for r in results)


def test_ci_columns_and_bounds():
    out = cw.attribution.markov(pd.DataFrame(COLS), ci=dict(replicates=50, level=0.9, seed=3))
    for c in ("conversions_lo", "conversions_hi", "value_lo", "value_hi"):
        assert c in out.columns
    assert (out["conversions_lo"] <= out["conversions"] + 1e-12).all()
    assert (out["conversions"] <= out["conversions_hi"] + 1e-12).all()
    again = cw.attribution.markov(pd.DataFrame(COLS), ci=dict(replicates=50, level=0.9, seed=3))
    assert to_columns(out) == to_columns(again), "same seed, same numbers"
    assert "conversions_lo" in cw.attribution.shapley(pd.DataFrame(COLS), ci=True).columns


def test_fitted_markov_api_and_json_round_trip():
    m = cw.attribution.Markov(order=1, horizon="ca").fit(pd.DataFrame(COLS))
    assert 0 < m.conversion_probability < 1
    assert list(m.removal_effects) == list(m.credit()["removal_effect"])
    assert set(m.transitions().columns) == {"from", "to", "probability"}
    s = m.shapley(method="sampled", permutations=200, seed=1)
    assert sum(s["conversions"]) == pytest.approx(6.0)
    assert "P(conversion)" in m.summary()
    back = cw.attribution.FittedMarkov.from_json(m.to_json())
    assert to_columns(back.credit()) == to_columns(m.credit())
    assert back.horizon_steps == m.horizon_steps
    assert back.transitions().equals(m.transitions())
    assert back.conversion_probability == m.conversion_probability


def test_fitted_markov_json_damaged_is_a_typed_error():
    m = cw.attribution.Markov().fit(pd.DataFrame(COLS))
    doc = json.loads(m.to_json())
    doc["fitted"]["chain"]["col"][0] = 10_000
    with pytest.raises(cw.InvalidParameterError, match="fitted_markov"):
        cw.attribution.FittedMarkov.from_json(json.dumps(doc))
    with pytest.raises(cw.InvalidParameterError, match="json"):
        cw.attribution.FittedMarkov.from_json("{not json")
    with pytest.raises(cw.InvalidParameterError):
        cw.attribution.FittedMarkov.from_json('{"model": "something else"}')


def test_compare_long_and_wide():
    long = cw.attribution.compare(pd.DataFrame(COLS), ci=dict(replicates=20))
    assert set(long["model"]) == set(cw.attribution.MODELS)
    for model, g in long.groupby("model"):
        assert g["conversions"].sum() == pytest.approx(6.0), model
    assert long.loc[long["model"] == "linear", "conversions_lo"].isna().all()
    assert long.loc[long["model"] == "markov", "conversions_lo"].notna().all()
    wide = cw.attribution.compare(pd.DataFrame(COLS), wide=True)
    assert list(wide.columns) == ["channel", *cw.attribution.MODELS]


def test_ordered_shapley_sums_to_shapley():
    o = cw.attribution.ordered_shapley(pd.DataFrame(COLS))
    s = cw.attribution.shapley(pd.DataFrame(COLS)).set_index("channel")["conversions"]
    assert o.groupby("channel")["conversions"].sum().to_dict() == pytest.approx(s.to_dict())


def test_plot(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    df = pd.DataFrame(COLS)
    ax = cw.plot.credit(cw.attribution.compare(df, ci=dict(replicates=20)))
    assert len(ax.patches) == len(cw.attribution.MODELS) * 3
    cw.plot.credit(cw.attribution.heuristics(pl.DataFrame(COLS)), metric="value")
    ax = cw.attribution.Markov().fit(df).plot()
    ax.figure.savefig(tmp_path / "markov.png")
    assert (tmp_path / "markov.png").stat().st_size > 0


def test_plot_without_matplotlib_says_how_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_matplotlib(name, *a, **k):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"pip install 'channelwise\[plot\]'"):
        cw.plot.credit(cw.attribution.shapley(pd.DataFrame(COLS)))


def test_journeys_from_frames_datetimes_and_strings():
    t = pd.DataFrame({
        "user_id": ["u1", "u1", "u2"],
        "timestamp": pd.to_datetime(["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"]),
        "channel": ["search", "email", "display"],
    })
    c = pd.DataFrame({"user_id": ["u1"], "timestamp": ["2026-01-03T00:00:00Z"], "value": [50.0]})
    j = cw.journey.build(t, c, lookback=pd.Timedelta(days=7))
    assert len(j) == 2 and j.report["conversions"] == 1
    table = cw.journey.path_table(t, c)
    assert list(table.columns) == ["path", "conversions", "nulls", "value"]
    assert set(table["path"]) == {"search>email", "display"}
    # the compiled table goes straight into attribution
    h = cw.attribution.heuristics(j.table)
    assert h["linear_conversions"].sum() == pytest.approx(1.0)
    td = cw.attribution.time_decay(t, c, half_life=pd.Timedelta(days=1))
    assert td["conversions"].sum() == pytest.approx(1.0)
    pt = cw.journey.path_table(pl.from_pandas(t), pl.from_pandas(c))
    assert isinstance(pt, pl.DataFrame)


def test_journey_errors():
    t = {"user_id": ["u"], "timestamp": [0], "channel": ["a"]}
    with pytest.raises(cw.InvalidParameterError, match="timestamp"):
        cw.journey.build({"user_id": ["u"], "channel": ["a"]}, {"user_id": ["u"], "timestamp": [1], "value": [1.0]})
    with pytest.raises(cw.InvalidRecordError, match="not-a-time"):
        cw.journey.build(t, {"user_id": ["u"], "timestamp": ["not-a-time"], "value": [1.0]})
    with pytest.raises(cw.InvalidParameterError, match="level"):
        cw.journey.build(t, {"user_id": ["u"], "timestamp": [1], "value": [1.0]}, level="campaign")
    with pytest.raises(cw.InvalidRecordError, match="row 0"):
        cw.journey.build({**t, "timestamp": [math.nan]}, {"user_id": ["u"], "timestamp": [1], "value": [1.0]})


# Path columns travel two ways: Arrow-backed strings (pandas `str`, polars, pyarrow) as buffers,
# anything else item by item. Both must give the same table, and the same precise errors.

ROUTES = {
    "pandas-str": lambda c: pd.DataFrame(c),
    "pandas-object": lambda c: pd.DataFrame(c).astype({"path": object}),
    "polars": lambda c: pl.DataFrame(c),
    # two chunks, the second a slice (nonzero offset into its buffers)
    "arrow-chunked": lambda c: pa.Table.from_batches(
        pa.table(c).slice(0, 1).to_batches() + pa.table(c).slice(1).to_batches()
    ),
    "arrow-string-view": lambda c: pa.table({**c, "path": pa.array(c["path"], type=pa.string_view())}),
    "arrow-large-string": lambda c: pa.table({**c, "path": pa.array(c["path"], type=pa.large_string())}),
    # int64 / bool / float32 counts: read in place or cast, same numbers
    "pandas-int-counts": lambda c: pd.DataFrame(c).astype(
        {k: t for k, t in (("conversions", "int64"), ("nulls", "float32")) if k in c and not any(map(math.isnan, c[k]))}
    ),
    "list-dict": lambda c: dict(c),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_path_routes_agree_including_newlines_and_unicode(route):
    cols = {
        "path": ["a>b", "b\n>é", "a > c\n", "c>ü>b", "b"],
        "conversions": [3.0, 1.0, 2.0, 0.0, 1.0],
        "nulls": [1.0, 4.0, 2.0, 3.0, 0.0],
        "value": [30.0, 10.0, 25.0, 0.0, 5.0],
    }
    from channelwise import _frames

    assert to_columns(cw.attribution.markov(ROUTES[route](cols))) == to_columns(cw.attribution.markov(cols))
    table, _ = _frames.path_table(ROUTES[route](cols))
    assert table.to_columns()[0] == ["a>b", "b>é", "a>c", "c>ü>b", "b"]  # channels are trimmed


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_path_routes_report_the_same_errors(route):
    bad = {"path": ["a", "a>\n>b"], "conversions": [1.0, 1.0]}
    with pytest.raises(cw.InvalidPathError) as e:
        cw.attribution.markov(ROUTES[route](bad))
    assert str(e.value) == 'invalid path in row 1: empty channel name at position 2 of "a>\\n>b"'
    nan = {"path": ["a", "b"], "conversions": [1.0, math.nan]}
    with pytest.raises(cw.NonFiniteError, match=r"conversions\[1\] must be finite"):
        cw.attribution.markov(ROUTES[route](nan))


def test_arrow_paths_and_numeric_columns_are_read_in_place():
    from channelwise import _frames

    df = pd.DataFrame({"path": ["a>b", "b"] * 50, "conversions": np.arange(100), "value": np.arange(100.0)})
    chunks = _frames.arrow_chunks(df["path"])
    assert chunks is not None
    for text, offsets in chunks:
        assert text.dtype == np.uint8 and not text.flags.owndata  # a view of the Arrow buffer
        assert offsets.dtype in (np.int32, np.int64) and not offsets.flags.owndata
        assert not text.flags.writeable and not offsets.flags.writeable
    conv = _frames.numbers(df, _frames.PANDAS, "conversions", "conversions")
    assert conv.dtype == np.int64 and not conv.flags.writeable  # pandas 3 hands out read-only views
    assert np.shares_memory(conv, df["conversions"].to_numpy())
    assert np.shares_memory(_frames.numbers(df, _frames.PANDAS, "value", "value"), df["value"].to_numpy())
    assert _frames.numbers({"c": [True, False]}, _frames.MAPPING, "c", "c").dtype == np.float64
    # the caller's writable array is copied (it is read without the GIL), a read-only one is not
    mine = np.arange(4.0)
    got = _frames.numbers({"c": mine}, _frames.MAPPING, "c", "c")
    assert not np.shares_memory(got, mine) and list(got) == list(mine)
    frozen = np.arange(4.0)
    frozen.flags.writeable = False
    assert np.shares_memory(_frames.numbers({"c": frozen}, _frames.MAPPING, "c", "c"), frozen)


def test_arrow_text_that_is_not_utf8_is_a_typed_error():
    # pyarrow does not check buffers handed to from_buffers; the core checks each new name
    offsets = pa.py_buffer(np.array([0, 3, 9], dtype=np.int32).tobytes())
    arr = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(b"a>bb>\xffc>a")])
    with pytest.raises(cw.InvalidPathError) as e:
        cw.attribution.markov(pa.table({"path": arr, "conversions": [1.0, 1.0]}))
    assert str(e.value) == 'invalid path in row 1: channel name at position 2 of "b>\ufffdc>a" is not valid UTF-8'


def test_malformed_arrow_offsets_are_internal_errors_not_crashes():
    from channelwise import _channelwise

    text = np.frombuffer(b"a>bc", dtype=np.uint8)
    for offsets in ([0, 5], [2, 1], [-1, 2], []):
        with pytest.raises(cw.InternalError, match="offsets"):
            _channelwise.PathTable.from_arrow([(text, np.array(offsets, dtype=np.int64))], np.ones(1))


def test_missing_and_non_str_paths_keep_their_messages():
    # a missing value in an Arrow-backed column falls back to the item-by-item read
    for df in (
        pd.DataFrame({"path": ["a", None], "conversions": [1.0, 1.0]}),
        pl.DataFrame({"path": ["a", None], "conversions": [1.0, 1.0]}),
        pa.table({"path": ["a", None], "conversions": [1.0, 1.0]}),
    ):
        with pytest.raises(cw.InvalidPathError, match="row 1: expected a string"):
            cw.attribution.markov(df)
    with pytest.raises(cw.InvalidPathError, match=r"row 2: expected a string, got b'c' \(bytes\)"):
        cw.attribution.markov({"path": ["a", "b", b"c"], "conversions": [1.0, 1.0, 1.0]})
    with pytest.raises(cw.InvalidPathError, match=r"row 1: expected a string, got 7 \(int\)"):
        cw.attribution.markov(pd.DataFrame({"path": ["a", 7], "conversions": [1.0, 1.0]}, dtype=object))
    # a non-string Arrow column is read item by item too
    with pytest.raises(cw.InvalidPathError, match=r"row 0: expected a string, got 1 \(int\)"):
        cw.attribution.markov(pa.table({"path": [1, 2], "conversions": [1.0, 1.0]}))


def test_markov_ci_reuses_the_fit_and_matches_the_separate_bootstrap():
    from channelwise import _channelwise, _frames

    df = pd.DataFrame(COLS)
    out = cw.attribution.markov(df, ci=dict(replicates=40, seed=5))
    table, _ = _frames.path_table(df)
    d = _channelwise.markov_intervals(table, 1, None, True, replicates=40, seed=5)
    for k in ("conversions", "conversions_lo", "conversions_hi", "value_lo", "value_hi"):
        assert list(out[k]) == d[k]
    with pytest.raises(cw.OutOfRangeError, match="replicates"):
        cw.attribution.markov(df, ci=dict(replicates=3))


# Found by the mutation net (tests/mutate.py): each was a TypeError / KeyError / RecursionError /
# silent truncation from inside a wrapper, or a polars error passed on.
def test_a_scalar_where_a_column_belongs_names_the_column():
    with pytest.raises(TypeError, match=r'conversions column "conversions": expected a list or 1-D array of values, got float 1.5'):
        cw.attribution.markov({"path": ["a>b", "b"], "conversions": 1.5})
    with pytest.raises(TypeError, match=r'timestamp column "timestamp": expected a list'):
        cw.journey.build({"user_id": ["u"], "timestamp": 7, "channel": ["a"]},
                         {"user_id": ["u"], "timestamp": [9], "value": [1.0]})


@pytest.mark.parametrize("bad", [2**64, -(2**63) - 1, 1e300, 2.0**63])
def test_timestamps_past_64_bits_are_invalid_records_not_wrapped(bad):
    # 2^64 recursed until RecursionError; 1e300 and 2^63 as floats wrapped to -2^63 silently
    with pytest.raises(cw.InvalidRecordError, match=r"row 1, column timestamp: .*unix seconds"):
        cw.journey.build({"user_id": ["u", "u"], "timestamp": [0, bad], "channel": ["a", "b"]},
                         {"user_id": ["u"], "timestamp": [9], "value": [1.0]})


def test_lead_arguments_are_named():
    events = {"lead": [1, 1, 2], "timestamp": [0, 60, 120], "event": ["visit", "signup", "visit"]}
    with pytest.raises(TypeError, match=r"^event_types: expected a list, got float"):
        cw.leads.funnel(events, ["visit", "signup"], event_types=1.5)
    with pytest.raises(TypeError, match=r"^event_types\[1\]: expected a string or a number, got list"):
        cw.leads.funnel(events, ["visit", "signup"], event_types=["visit", []])
    with pytest.raises(TypeError, match=r"^leads: expected a list, got int"):
        cw.leads.funnel(events, ["visit", "signup"], leads=3)
    with pytest.raises(TypeError, match=r"^exclusions\[0\]: expected a dict, got float"):
        cw.leads.funnel(events, ["visit", "signup"], exclusions=[0.5])
    with pytest.raises(cw.InvalidRecordError, match=r"row 1, column lead: .*a lead id is a string or a number"):
        cw.leads.funnel({**events, "lead": [1, {}, 2]}, ["visit", "signup"])
    # a whole number of seconds: 1.5 was truncated to 1, NaN was Python's ValueError
    for bad in (1.5, math.nan, math.inf):
        with pytest.raises(cw.InvalidParameterError, match=r"invalid window_seconds = .*: expected a whole number"):
            cw.leads.funnel(events, ["visit", "signup"], window_seconds=bad)
    assert cw.leads.funnel(events, ["visit", "signup"], window_seconds=300.0)["count"].tolist() == \
        cw.leads.funnel(events, ["visit", "signup"], window_seconds=300)["count"].tolist()
    with pytest.raises(TypeError, match=r"^periods: expected a whole number, got str"):
        cw.leads.health(events, 200, periods="8")


def test_mixed_lead_ids_build_a_polars_frame():
    events = pl.DataFrame({"lead": [0, 1, 1], "timestamp": [0, 86400, 2 * 86400], "event": ["visit"] * 3})
    out = cw.leads.health(events, 30 * 86400, leads=[0, 1, 2.5], periods=3)
    assert isinstance(out, pl.DataFrame) and out["lead"].to_list() == [0.0, 1.0, 2.5]


def test_128_bit_polars_integers_are_read_as_numbers():
    x = pl.Series([1, 2, 2**64, 4], dtype=pl.Int128)
    r = cw.anomaly.residual_alerts(x, [1.0] * 4, [0.0] * 4, [5.0] * 4)
    assert len(r) == 1 and r["index"].to_list() == [2]


def test_decomposition_passes_are_bounded_and_periods_named():
    y = [50 + [0, 2, 1][t % 3] + [0, 1, 3, 1, 0, -1, -2][t % 7] for t in range(84)]
    with pytest.raises(cw.OutOfRangeError, match="iterate"):
        cw.forecast.mstl(y, [3, 7], iterate=2**53)  # ran for good
    with pytest.raises(cw.OutOfRangeError, match="outer_iter"):
        cw.forecast.stl(y, 7, outer_iter=101)
    with pytest.raises(TypeError, match=r"^periods: expected a list, got float"):
        cw.forecast.mstl(y, 1.5)


def test_dict_arguments_are_named():
    row = pd.DataFrame([{"kind": "budget", "entity": "search", "from_": 100, "to": 300, "confidence": 0.9}]).iloc[0]
    assert cw.decide.risk(row)["level"] == "high"  # a pandas row is a proposal (it was "truth value ambiguous")
    with pytest.raises(TypeError, match=r"^rule: expected a dict, got str"):
        cw.decide.risk(kind="budget", entity="search", from_=100, to=300, confidence=0.9, rule="x")
    with pytest.raises(TypeError, match=r"^step: expected a dict, got int"):
        cw.decide.check_guardrails(7)
    with pytest.raises(TypeError, match=r"^payload: expected a dict, got list"):
        cw.platform.ga4_body([1])
    with pytest.raises(TypeError, match=r"^error: expected a dict, got int"):
        cw.platform.classify(1, 0)
    with pytest.raises(TypeError, match=r"^conversion_action_types: expected a list, got int"):
        cw.platform.meta_insights({"data": []}, time_zone="UTC", conversion_action_types=-1)


def test_draws_that_are_not_numbers_are_named():
    curve = {"kind": "michaelis_menten", "alpha": [1.0, 2.0], "lam": "x"}
    with pytest.raises(TypeError, match=r"tv\.lam: expected a number or an array of draws, got str"):
        cw.optimize.allocate([{"name": "tv", "curve": curve}], budget=10.0)
    with pytest.raises(cw.InvalidParameterError, match=r"tv\.lam.*draws are numbers"):
        cw.optimize.allocate([{"name": "tv", "curve": {**curve, "lam": [1.0, "x"]}}], budget=10.0)


def _w_shaped(out):
    return dict(zip(out["channel"], [round(x, 12) for x in out["w_shaped_conversions"]]))


@pytest.mark.parametrize("lib", ["pandas", "polars", "dict"])
def test_a_path_table_frame_keeps_its_w_shaped_key_touches(lib):
    # one user: s e d x y, the lead created at e (touch 1), a purchase after y
    t = pd.DataFrame({"user_id": ["a"] * 5, "timestamp": [1, 2, 3, 4, 5], "channel": ["s", "e", "d", "x", "y"]})
    c = pd.DataFrame({"user_id": ["a", "a"], "timestamp": [2, 6], "value": [0.0, 10.0], "type": ["lead", "purchase"]})
    pt = cw.journey.path_table(t, c, lead_kind="lead")
    assert pt["key_touch"].tolist() == [1]
    df = {"pandas": pt, "polars": pl.from_pandas(pt), "dict": to_columns(pt)}[lib]
    # W-shaped (the Heuristics doc): 0.3 to first, key and last, the other 0.1 split over d and x
    keyed = {"s": 0.3, "e": 0.3, "d": 0.05, "x": 0.05, "y": 0.3}
    middle = {"s": 0.3, "e": 0.05, "d": 0.3, "x": 0.05, "y": 0.3}
    assert _w_shaped(cw.attribution.heuristics(df)) == keyed
    assert _w_shaped(cw.attribution.heuristics(cw.journey.build(t, c, lead_kind="lead").table)) == keyed
    assert _w_shaped(cw.attribution.heuristics(df, key_touch=None)) == middle
    wide = cw.attribution.compare(df, models=("w_shaped",), wide=True)
    assert dict(zip(wide["channel"], [round(x, 12) for x in wide["w_shaped"]])) == keyed
    merged = cw.journey.merge([pt])
    assert _w_shaped(cw.attribution.heuristics(merged)) == keyed
    # a missing key is the middle touch; a renamed column is read by its name
    assert _w_shaped(cw.attribution.heuristics(pt.assign(key_touch=pd.array([None], dtype="Int64")))) == middle
    assert _w_shaped(cw.attribution.heuristics(pt.rename(columns={"key_touch": "k"}), key_touch="k")) == keyed


def test_bad_key_touches_are_named():
    table = pd.DataFrame({"path": ["a>b>c>d"], "conversions": [1.0]})
    with pytest.raises(cw.InvalidRecordError, match=r'row 0, column key_touch: "4" \(expected the index of a touch of the path \(0 to 3\), or none\)'):
        cw.attribution.heuristics(table.assign(key_touch=[4]))
    with pytest.raises(cw.InvalidRecordError, match=r"row 0, column k: \"1.5\""):
        cw.attribution.heuristics(table.assign(k=[1.5]), key_touch="k")
    with pytest.raises(cw.InvalidRecordError, match="column key_touch"):
        cw.attribution.heuristics(table.assign(key_touch=[-1]))
    with pytest.raises(cw.InvalidParameterError, match="invalid key_touch column: \"nope\""):
        cw.attribution.heuristics(table, key_touch="nope")


def test_a_channel_holding_the_separator_is_refused_not_split():
    # "tv>radio" joined with ">" would read back as two channels
    t = pd.DataFrame({"user_id": ["u", "u"], "timestamp": [1, 2], "channel": ["tv>radio", "search"]})
    c = pd.DataFrame({"user_id": ["u"], "timestamp": [3], "value": [1.0]})
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid sep: ">" \(channel "tv>radio" contains it'):
        cw.journey.path_table(t, c)
    piped = cw.journey.path_table(t, c, sep=" | ")
    assert piped["path"].tolist() == ["tv>radio | search"]
    assert sorted(cw.attribution.heuristics(piped, sep="|")["channel"]) == ["search", "tv>radio"]
    # the compiled table needs no separator at all
    assert sorted(cw.attribution.heuristics(cw.journey.build(t, c).table)["channel"]) == ["search", "tv>radio"]


def test_a_missing_id_or_label_is_refused_by_row():
    # A missing lead, customer, arm, level or event must not become one: str() made it "nan" or
    # "<NA>", pandas' NaN made each row its own lead, and None pooled rows into one lead.
    ev = pd.DataFrame({"lead": ["a", None, None, "b"], "timestamp": [0, 10, 20, 30], "event": ["visit", "visit", "signup", "visit"]})
    for frame in (ev, ev.assign(lead=pd.array([1, None, None, 2], dtype="Int64")), pl.from_pandas(ev)):
        with pytest.raises(cw.InvalidRecordError, match=r"^invalid record at row 1, column lead: .* \(a missing lead id"):
            cw.leads.funnel(frame, ["visit", "signup"])
    with pytest.raises(cw.InvalidRecordError, match=r"^invalid record at row 2, column event: .* \(a missing event type"):
        cw.leads.funnel(ev.assign(lead="a", event=["visit", "visit", None, "visit"]), ["visit", "signup"])
    with pytest.raises(cw.InvalidRecordError, match=r"^invalid record at row 1, column stage: .* \(a missing stage"):
        cw.leads.lifecycle({"lead": ["a", "a"], "timestamp": [0, 9], "stage": ["new", None]}, as_of=10)
    with pytest.raises(cw.InvalidRecordError, match=r"^invalid record at row 1, column customer_id: .* \(a missing customer id"):
        cw.clv.rfm(pd.DataFrame({"customer_id": ["a", None], "date": ["2024-01-01", "2024-01-02"]}))
    arms = pd.DataFrame({"arm": ["ctl", "B", np.nan], "n": [100] * 3, "successes": [10, 20, 30]})
    with pytest.raises(cw.InvalidRecordError, match=r"^invalid record at row 2, column arm: .* \(a missing arm name"):
        cw.experiment.ztest(arms)
    cells = pd.DataFrame({"device": ["mobile", "desktop", "mobile", None], "hour": [1, 2, 2, 1],
                          "clicks": [1000] * 4, "conversions": [10, 50, 20, 40], "value": [100, 500, 200, 400]})
    with pytest.raises(cw.InvalidRecordError, match=r"^invalid record at row 3, column device: .* \(a missing level"):
        cw.optimize.BidModel(["device", "hour"], ("cpa", 20.0)).fit(cells)
    # a whole float is the whole number's level (an int column with a missing cell comes back float)
    m = cw.optimize.BidModel(["device", "hour"], ("cpa", 20.0)).fit(cells.assign(device="desktop"))
    assert m.bid({"device": "desktop", "hour": 2.0}).bid == m.bid({"device": "desktop", "hour": 2}).bid
    got = m.bids(pd.DataFrame({"device": ["desktop"], "hour": [2.0]}))["bid"].tolist()
    assert got == [m.bid({"device": "desktop", "hour": 2}).bid]
    with pytest.raises(cw.InvalidRecordError, match=r"column hour: .* \(a missing level"):
        m.bids(pd.DataFrame({"device": ["desktop", "desktop"], "hour": [2, np.nan]}))


def test_missing_attributes_are_missing_whatever_the_frame():
    # "" = missing for text, NaN for numbers, whatever the library marks it with (NaN in pandas
    # 3's strings, pd.NA in Int64, None in polars); before, NaN was the text "nan" and an Int64
    # column with a missing cell became text
    ev = pd.DataFrame({"lead": ["a", "b", "c"], "timestamp": [0, 0, 0], "event": ["visit"] * 3})
    cfg = {"attribute_rules": [
        {"name": "small", "dimension": "firmographic", "attribute": "employees", "condition": {"op": "below", "value": 200}, "points": 1},
        {"name": "no_country", "dimension": "demographic", "attribute": "country", "condition": {"op": "missing"}, "points": 5}]}
    att = pd.DataFrame({"lead": ["a", "b", "c"], "employees": pd.array([500, 100, None], dtype="Int64"), "country": ["US", "DE", None]})
    want = [0.0, 1.0, 5.0]
    for frame in (att, att.astype({"country": object}), pl.from_pandas(att), {"lead": ["a", "b", "c"], "employees": [500, 100, None], "country": ["US", "DE", None]}):
        assert list(cw.leads.score(ev, cfg, as_of=0, attributes=frame)["total"]) == want


def test_durations_are_whole_seconds_never_truncated():
    tp = {"user_id": ["u"], "timestamp": [0], "channel": ["a"]}
    cv = {"user_id": ["u"], "timestamp": [10], "value": [1.0]}
    # before: 0.5 s became 0 (the conversion unattributed), 150.9 s became 150
    for bad in (0.5, 150.9, pd.Timedelta(seconds=1.5)):
        with pytest.raises(cw.InvalidParameterError, match=r"^invalid lookback: .* \(expected whole seconds\)"):
            cw.journey.build(tp, cv, lookback=bad)
    for bad in (pd.NaT, np.timedelta64("NaT"), float("nan")):
        with pytest.raises(cw.NonFiniteError, match=r"^lookback must be finite"):
            cw.journey.build(tp, cv, lookback=bad)
    with pytest.raises(cw.OutOfRangeError, match=r"^session_gap must be in"):
        cw.journey.build(tp, cv, session_gap=2**70)
    for ok in (30, 30.0, np.int32(30), pd.Timedelta(seconds=30), np.timedelta64(30, "s")):
        assert cw.journey.build(tp, cv, lookback=ok).report["conversions"] == 1


def test_heuristic_shares_are_checked_in_compare_as_in_heuristics():
    df = pd.DataFrame({"path": ["a>b", "b"], "conversions": [1.0, 2.0]})
    for call in (cw.attribution.heuristics, lambda d, **kw: cw.attribution.compare(d, models=["u_shaped"], **kw)):
        with pytest.raises(cw.InvalidParameterError, match=r"expected 2 and 3 shares"):
            call(df, u_shaped=(0.4, 0.4, 0.2))
        with pytest.raises(cw.InvalidParameterError, match=r"expected 2 and 3 shares"):
            call(df, u_shaped=(0.4,))
        with pytest.raises(TypeError, match=r"^u_shaped\[1\]: expected a number, got str"):
            call(df, u_shaped=(0.4, "0.4"))


def test_a_frame_is_read_by_its_column_names_where_position_would_mislead():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = (X["a"] + 0.5 * rng.normal(size=200) > 0).astype(int)
    # glm and the isolation forest read a matrix by position: a frame with its columns swapped
    # or renamed is refused (as scikit-learn refuses it), not scored as the fit's columns
    g = cw.glm.LogisticRegression().fit(X, y)
    forest = cw.anomaly.IsolationForest(seed=0).fit(pl.from_pandas(X))
    assert g.feature_names_in_ == forest.feature_names_in_ == ["a", "b"]
    for swapped in (X[["b", "a"]], X.rename(columns={"a": "z"})):
        with pytest.raises(cw.InvalidParameterError, match=r'^invalid x: \[".*"\] \(the fit\'s columns were \["a", "b"\], in that order\)'):
            g.predict_proba(swapped)
        with pytest.raises(cw.InvalidParameterError, match=r"the fit's columns were"):
            forest.predict(swapped)
    # the names travel in the JSON: after from_json a swapped frame is still refused, and a
    # frame in the fit's order scores as before
    g2 = cw.glm.FittedLogistic.from_json(g.to_json())
    forest2 = cw.anomaly.FittedIsolationForest.from_json(forest.to_json())
    assert g2.feature_names_in_ == forest2.feature_names_in_ == ["a", "b"]
    assert json.loads(g.to_json())["fitted"]["feature_names"] == ["a", "b"]
    with pytest.raises(cw.InvalidParameterError, match=r'the fit.s columns were \["a", "b"\]'):
        g2.predict_proba(X[["b", "a"]])
    with pytest.raises(cw.InvalidParameterError, match=r"the fit's columns were"):
        forest2.score_samples(X[["b", "a"]])
    assert g2.predict_proba(X).tolist() == g.predict_proba(X).tolist()
    assert forest2.score_samples(X).tolist() == forest.score_samples(X).tolist()
    # fitted on a matrix: no names written, none after loading
    plain = cw.glm.LogisticRegression().fit(X.to_numpy(), y)
    assert "feature_names" not in json.loads(plain.to_json())["fitted"]
    assert cw.glm.FittedLogistic.from_json(plain.to_json()).feature_names_in_ is None
    # names of another count than the features: a damaged document
    doc = json.loads(g.to_json())
    doc["fitted"]["feature_names"] = ["a"]
    with pytest.raises(cw.InvalidParameterError, match=r"json"):
        cw.glm.FittedLogistic.from_json(json.dumps(doc))
    # a matrix without names is read by position, as before
    assert g.predict_proba(X.to_numpy()).tolist() == g.predict_proba(X).tolist()
    assert forest.predict(X.to_numpy()).tolist() == forest.predict(X).tolist()
    # two columns of one name: refused where a column is looked up by name, by position in a matrix
    twice = pd.DataFrame([["a>b", 1.0, 2.0], ["b", 3.0, 4.0]], columns=["path", "conversions", "conversions"])
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid conversions column: "conversions" \(2 columns have that name\)'):
        cw.attribution.heuristics(twice)
    assert cw.anomaly.IsolationForest().fit(pd.DataFrame(np.zeros((5, 2)), columns=["a", "a"])).n_features_in_ == 2
    # a pandas label that is no string is found by its text, or by itself
    labelled = pd.DataFrame({0: ["a>b", "b"], 1: [1.0, 2.0]})
    want = to_columns(cw.attribution.heuristics({"path": ["a>b", "b"], "conversions": [1.0, 2.0]}))
    assert to_columns(cw.attribution.heuristics(labelled, path="0", conversions="1")) == want
    assert to_columns(cw.attribution.heuristics(labelled, path=0, conversions=1)) == want


def test_a_series_out_of_time_order_is_refused():
    # fitted in row order, a reversed series was forecast backwards in time (freq -1D)
    idx = pd.date_range("2024-01-01", periods=30, freq="D")
    y = pd.Series(np.arange(30.0) + np.sin(np.arange(30)), index=idx)
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid y\.index\[1\]: "2024-01-29 00:00:00" \(the times must increase'):
        cw.forecast.Ets().fit(y[::-1])
    with pytest.raises(cw.InvalidParameterError, match=r"^invalid y\.index\[30\]"):
        cw.forecast.AutoEts().fit(pd.concat([y, y.tail(1)]))
    with pytest.raises(cw.InvalidParameterError, match=r"^invalid y\.index"):
        cw.forecast.stl(y.sample(frac=1, random_state=0), period=7)
    assert cw.forecast.Ets().fit(y.sample(frac=1, random_state=0).sort_index()).aicc == cw.forecast.Ets().fit(y).aicc
    # fit_many: a time twice in one series was one more step of it
    df = pd.DataFrame({"unique_id": "a", "ds": idx, "y": y.to_numpy()})
    for frame in (pd.concat([df, df.tail(1)]), pl.from_pandas(pd.concat([df, df.tail(1)]))):
        with pytest.raises(cw.InvalidParameterError, match=r"^invalid data\.ds: \"2024-01-30 00:00:00\" \(series 'a' has two rows at that time\)"):
            cw.forecast.AutoEts().fit_many(frame)


def test_lead_and_arm_tables_name_the_callers_columns_and_refuse_text_counts():
    ev = pd.DataFrame({"lead": ["a", "a", "b"], "timestamp": [0, 10, 20], "event": ["visit", "buy", "visit"], "amount": [0.0, np.nan, 0.0]})
    with pytest.raises(cw.InvalidRecordError, match=r'^invalid record at row 1, column amount: "NaN" \(must be finite\)'):
        cw.leads.cohorts(ev, period="day", value="amount")
    # a lead twice in attributes: which row would count? (it was a length mismatch naming neither)
    att = pd.DataFrame({"lead": ["a", "b", "a"], "country": ["US", "DE", "FR"]})
    with pytest.raises(cw.InvalidRecordError, match=r'^invalid record at row 2, column lead: "a" \(a lead listed twice in attributes, first at row 0\)'):
        cw.leads.score(ev.drop(columns="amount"), {}, as_of=30, attributes=att)
    # a count given as text (a CSV's string column) is refused, not read as its number
    arms = pd.DataFrame({"arm": ["ctl", "b"], "n": ["100", "100"], "successes": [10, 20]})
    with pytest.raises(cw.InvalidParameterError, match=r"^invalid ctl\.n: '100' \(expected a number\)"):
        cw.experiment.ztest(arms)
