// toJSON() / fromJSON() of the fitted isolation forest, logistic regression and bid model, run
// by both packages (bindings-node/test/models_json.test.mjs, bindings-wasm/test/models_json.test.mjs):
// a round trip gives the same numbers bit for bit, a damaged document throws `invalid_parameter`
// naming `json`, and a document written by Python (fixtures/*_python.json, made by
// fixtures/make_models_python.py) loads and gives the numbers Python gave. The documents JS
// writes for Python (fixtures/*_js.json) are made by fixtures/make_js_documents.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** Seeded rows: 60 points in 3 features, two of them far out. */
export function forestRows() {
  let s = 11;
  const u = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const rows = Array.from({ length: 60 }, () => [u(), u() * 2, u() - 0.5]);
  rows[5] = [4, 9, 3];
  rows[40] = [-3, -6, 2];
  return rows;
}

/** Seeded logistic data: 80 rows of 2 features, labels from a known model. */
export function logisticData() {
  let s = 5;
  const u = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  const x = Array.from({ length: 80 }, () => [u() * 4 - 2, u() * 2 - 1]);
  const y = x.map(([a, b]) => (u() < 1 / (1 + Math.exp(-(0.3 + 1.2 * a - 0.8 * b))) ? 1 : 0));
  return { x, y };
}

/** Outcome cells over device x daypart. */
export const BID_CELLS = [
  { context: ['mobile', 'evening'], clicks: 4000, conversions: 60, value: 3000 },
  { context: ['mobile', 'morning'], clicks: 3000, conversions: 30, value: 1500 },
  { context: ['desktop', 'evening'], clicks: 2000, conversions: 50, value: 2500 },
  { context: ['desktop', 'morning'], clicks: 1500, conversions: 30, value: 1500 },
  { context: ['tablet', 'evening'], clicks: 20, conversions: 2, value: 100 },
];
export const BID_CONTEXTS = [['desktop', 'evening'], ['tablet', 'morning'], ['tv', 'evening']];

export function runModelJson(cw, name) {
  const { anomaly, glm, optimize } = cw;
  // What another build computed: the native builds (Node here, Python) agree to the last bit; the
  // WASM build's exp, ln and pow (Rust's libm, not the system's) round differently in the last
  // bits, so there it is to 1e-12 relative. A round trip within one build is exact everywhere.
  const same = (a, b, path) => {
    if (name !== 'wasm') return assert.deepEqual(a, b, path);
    if (typeof b === 'number') return assert.ok(Math.abs(a - b) <= 1e-12 * (1 + Math.abs(b)), `${path}: ${a} vs ${b}`);
    if (b === null || typeof b !== 'object') return assert.equal(a, b, path);
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(b)) same(a[k], b[k], `${path}.${k}`);
  };
  const invalid = (f, pattern = /json/) =>
    assert.throws(f, (e) => {
      assert.equal(e.code, 'invalid_parameter', e.message);
      assert.match(e.message, pattern);
      return true;
    });
  const roundTrip = (Class, fitted, tag) => {
    const doc = fitted.toJSON();
    assert.deepEqual(Object.keys(doc), ['model', 'spec', 'fitted']);
    assert.equal(doc.model, tag);
    assert.equal(doc.spec, null);
    assert.deepEqual(JSON.parse(JSON.stringify(fitted)), doc);
    const backs = [Class.fromJSON(doc), Class.fromJSON(JSON.stringify(doc))];
    for (const back of backs) assert.deepEqual(back.toJSON(), doc);
    invalid(() => Class.fromJSON({ ...doc, model: 'channelwise.other.Model' }));
    invalid(() => Class.fromJSON({ model: tag, spec: null }));
    invalid(() => Class.fromJSON({ model: tag, spec: null, fitted: {} }));
    // a cycle (which JSON.stringify refuses too) is refused, not followed until the stack overflows
    const cyclic = { ...doc.fitted };
    cyclic.self = cyclic;
    invalid(() => Class.fromJSON({ model: tag, spec: null, fitted: cyclic }), /cycle/);
    return backs;
  };

  test(`[${name}] FittedIsolationForest: the same forest after toJSON / fromJSON; Python's loads`, () => {
    const rows = forestRows();
    const fitted = new anomaly.IsolationForest({ nEstimators: 25, seed: 3 }).fit(rows);
    for (const back of roundTrip(anomaly.FittedIsolationForest, fitted, 'channelwise.anomaly.FittedIsolationForest')) {
      assert.deepEqual(back.scoreSamples(rows), fitted.scoreSamples(rows));
      assert.deepEqual(back.predict(rows), fitted.predict(rows));
      assert.equal(back.offset, fitted.offset);
    }
    // JS still writes the document Python's tests read (fixtures/make_js_documents.mjs)
    same(new anomaly.IsolationForest({ nEstimators: 20, seed: 9 }).fit(rows).toJSON(), fixture('iforest_js.json').document, 'iforest_js');
    const py = fixture('iforest_python.json');
    const m = anomaly.FittedIsolationForest.fromJSON(py.document);
    const { x, nFeatures } = py.input;
    same([...m.scoreSamples(x, nFeatures)], py.expected.scoreSamples, 'scoreSamples');
    same([...m.decisionFunction(x, nFeatures)], py.expected.decisionFunction, 'decisionFunction');
    assert.deepEqual([...m.predict(x, nFeatures)], py.expected.predict);
    // the frame's column names Python wrote travel through JS untouched; a count that does not
    // match the forest's features is a damaged document
    assert.deepEqual(py.document.fitted.feature_names, ['spend', 'clicks']);
    assert.deepEqual(m.toJSON().fitted.feature_names, ['spend', 'clicks']);
    invalid(() => anomaly.FittedIsolationForest.fromJSON({ ...py.document, fitted: { ...py.document.fitted, feature_names: ['spend'] } }), /feature_names/);
  });

  test(`[${name}] FittedLogistic: the same model after toJSON / fromJSON; Python's loads`, () => {
    const { x, y } = logisticData();
    const fitted = new glm.LogisticRegression({ c: 2 }).fit(x, y);
    for (const back of roundTrip(glm.FittedLogistic, fitted, 'channelwise.glm.FittedLogistic')) {
      assert.deepEqual(back.predictProba(x), fitted.predictProba(x));
      assert.deepEqual(back.coef, fitted.coef);
      assert.equal(back.intercept, fitted.intercept);
    }
    same(fitted.toJSON(), fixture('logistic_js.json').document, 'logistic_js');
    const py = fixture('logistic_python.json');
    const m = glm.FittedLogistic.fromJSON(py.document);
    same([...m.predictProba(py.input.x, py.input.nFeatures)], py.expected.predictProba, 'predictProba');
    assert.deepEqual(py.document.fitted.feature_names, ['visits', 'pages']);
    assert.deepEqual(m.toJSON().fitted.feature_names, ['visits', 'pages']);
    invalid(() => glm.FittedLogistic.fromJSON({ ...py.document, fitted: { ...py.document.fitted, feature_names: ['a', 'b', 'c'] } }), /feature_names/);
  });

  test(`[${name}] FittedBids: the same bids after toJSON / fromJSON (no cap too); Python's loads`, () => {
    for (const options of [{ factors: ['device', 'daypart'], target: { cpa: 40 } }, { factors: ['device', 'daypart'], target: { roas: 2 }, cap: 0.5, maxChange: 0.2 }]) {
      const fitted = new optimize.BidModel(options).fit(BID_CELLS);
      for (const back of roundTrip(optimize.FittedBids, fitted, 'channelwise.optimize.FittedBids')) {
        assert.deepEqual(back.multipliers(), fitted.multipliers());
        for (const c of BID_CONTEXTS) assert.deepEqual(back.bid(c, 0.3), fitted.bid(c, 0.3));
      }
      const doc = fitted.toJSON();
      // one factor's levels missing: refused naming them, not used half
      invalid(() => optimize.FittedBids.fromJSON({ ...doc, fitted: { ...doc.fitted, levels: doc.fitted.levels.slice(1) } }), /levels/);
    }
    const js = new optimize.BidModel({ factors: ['device', 'daypart'], target: { roas: 2 }, maxChange: 0.2 }).fit(BID_CELLS);
    same(js.toJSON(), fixture('bids_js.json').document, 'bids_js');
    const py = fixture('bids_python.json');
    const m = optimize.FittedBids.fromJSON(py.document);
    same(py.input.contexts.map((c) => m.bid(c, py.input.current)), py.expected.bids, 'bids');
    same(m.multipliers(), py.expected.multipliers, 'multipliers');
  });
}
