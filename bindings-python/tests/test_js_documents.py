"""Fitted models written by the JS packages (Node and the browser, `toJSON()`) load here and give
the numbers JS gave: the other half of the round trip tests/js/api.mjs and tests/js/ets_json.mjs
check from the JS side (documents written by Python load in JS). The fixtures are written by
tests/js/fixtures/make_js_documents.mjs."""

import json
import os

import numpy as np
import pandas as pd

import channelwise as cw

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "js", "fixtures")


def load(name):
    with open(os.path.join(FIXTURES, name), encoding="utf8") as f:
        return json.load(f)


def test_markov_written_by_js_loads_and_gives_the_js_credit():
    fx = load("markov_order2_js.json")
    fitted = cw.attribution.FittedMarkov.from_json(json.dumps(fx["document"]))
    credit = fitted.credit
    credit = credit() if callable(credit) else credit
    got = {r["channel"]: r for r in credit.to_dict("records")}
    for row in fx["credit"]:
        assert got[row["channel"]]["conversions"] == row["conversions"]
        assert got[row["channel"]]["removal_effect"] == row["removalEffect"]
    # Python's own fit of the same table writes the same document (but its `output` key).
    mine = json.loads(cw.attribution.Markov(order=2).fit(pd.DataFrame(fx["table"])).to_json())
    mine.pop("output")
    assert mine == fx["document"]


def test_ets_written_by_js_loads_and_forecasts_the_js_numbers():
    fx = load("ets_js.json")
    fit = cw.forecast.FittedEts.from_json(json.dumps(fx["document"]))
    assert fit.model == fx["expected"]["model"]
    f = fit.forecast(fx["h"], level=fx["level"])
    np.testing.assert_array_equal(np.asarray(f["mean"]), fx["expected"]["mean"])
    for i, lv in enumerate(fx["level"]):
        np.testing.assert_array_equal(np.asarray(f[f"lo-{lv}"]), fx["expected"]["lower"][i])
        np.testing.assert_array_equal(np.asarray(f[f"hi-{lv}"]), fx["expected"]["upper"][i])
    np.testing.assert_array_equal(np.asarray(fit.fitted), fx["expected"]["fitted"])
