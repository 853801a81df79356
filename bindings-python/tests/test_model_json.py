"""Stored models: ``to_json`` / ``from_json`` of cw.anomaly.FittedIsolationForest,
cw.glm.FittedLogistic and cw.optimize.FittedBids (``{"model", "spec", "fitted"}``, the document
the JS packages read and write), the restored model predicting bit for bit, damaged documents as
InvalidParameterError naming ``json``, and the cross-stack fixtures: ``<name>_python.json``
(written by tests/js/fixtures/make_models_python.py, which this file imports for its data and
outputs) and ``<name>_js.json`` (written by the JS side) load here and give exactly their
``expected``."""

import importlib.util
import json
import pathlib

import numpy as np
import pytest

import channelwise as cw

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "js" / "fixtures"
_spec = importlib.util.spec_from_file_location("make_models_python", FIXTURES / "make_models_python.py")
maker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(maker)

NAMES = list(maker.MODELS)


def _same(got, expected):
    """Exactly the same outputs: each numeric list element for element (float equality), the
    rest (bids, multipliers) as equal structures."""
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        if all(isinstance(v, (int, float)) for v in want):
            np.testing.assert_array_equal(np.asarray(got[key], dtype=np.float64), np.asarray(want, dtype=np.float64))
        else:
            assert got[key] == want, key


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_predicts_bit_for_bit(name):
    tag, cls = maker.MODELS[name]
    model, given = maker.fit(name)
    text = model.to_json()
    doc = json.loads(text)
    assert set(doc) == {"model", "spec", "fitted"}
    assert doc["model"] == tag
    back = cls.from_json(text)
    assert isinstance(back, cls)
    _same(maker.outputs(name, back, given), maker.outputs(name, model, given))
    assert json.loads(back.to_json()) == doc


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("spec", [None, "absent", {"unknown": 1, "kind": "nonsense"}, [1, 2]])
def test_a_document_without_the_python_spec_loads(name, spec):
    _, cls = maker.MODELS[name]
    model, given = maker.fit(name)
    doc = json.loads(model.to_json())
    if spec == "absent":
        del doc["spec"]
    else:
        doc["spec"] = spec
    back = cls.from_json(json.dumps(doc))
    _same(maker.outputs(name, back, given), maker.outputs(name, model, given))


def _damaged(doc, how):
    if how == "wrong tag":
        doc["model"] = "channelwise.attribution.Markov"
    elif how == "missing fitted":
        del doc["fitted"]
    elif how == "fitted key removed":
        del doc["fitted"][next(iter(doc["fitted"]))]
    elif how == "fitted not an object":
        doc["fitted"] = [1, 2, 3]
    elif how == "not json":
        return "{not json"
    return json.dumps(doc)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("how", ["wrong tag", "missing fitted", "fitted key removed", "fitted not an object", "not json"])
def test_a_damaged_document_is_invalid_json(name, how):
    _, cls = maker.MODELS[name]
    model, _ = maker.fit(name)
    with pytest.raises(cw.InvalidParameterError, match="json"):
        cls.from_json(_damaged(json.loads(model.to_json()), how))


def test_a_malformed_tree_is_invalid_json():
    model, _ = maker.fit("iforest")
    doc = json.loads(model.to_json())
    doc["fitted"]["trees"][0][0]["right"] = 0  # points backwards: the core's check refuses it
    with pytest.raises(cw.InvalidParameterError, match="json"):
        cw.anomaly.FittedIsolationForest.from_json(json.dumps(doc))


def test_bids_keep_their_factors_and_frame_library():
    pl = pytest.importorskip("polars")
    cells = pl.DataFrame({"device": ["mobile", "desktop"], "clicks": [100, 80], "conversions": [3, 4],
                          "value": [90.0, 120.0]})
    model = cw.optimize.BidModel(["device"], target=("cpa", 40.0), cap=2.0).fit(cells)
    doc = json.loads(model.to_json())
    assert doc["spec"] == {"kind": "polars"}
    back = cw.optimize.FittedBids.from_json(json.dumps(doc))
    assert back.factors == ["device"]
    assert isinstance(back.multipliers(), pl.DataFrame)
    assert back.multipliers().equals(model.multipliers())
    assert back.bid({"device": "desktop"}) == model.bid({"device": "desktop"})
    doc["spec"] = None  # as JS writes it: pandas frames
    js = cw.optimize.FittedBids.from_json(json.dumps(doc))
    assert js.factors == ["device"] and not isinstance(js.multipliers(), pl.DataFrame)
    np.testing.assert_array_equal(js.multipliers()["multiplier"].to_numpy(), model.multipliers()["multiplier"].to_numpy())


def _fixture(name, side):
    path = FIXTURES / f"{name}_{side}.json"
    if not path.exists():
        pytest.skip(f"{path.name} is not there yet: the JS side writes it (same layout as {name}_python.json)")
    return json.loads(path.read_text())


@pytest.mark.parametrize("side", ["python", "js"])
@pytest.mark.parametrize("name", NAMES)
def test_fixture_loads_and_gives_its_expected(name, side):
    tag, cls = maker.MODELS[name]
    f = _fixture(name, side)
    assert f["document"]["model"] == tag
    model = cls.from_json(json.dumps(f["document"]))
    _same(maker.outputs(name, model, f["input"]), f["expected"])
