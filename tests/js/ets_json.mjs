// FittedEts.toJSON() / FittedEts.fromJSON(json), shared by the Node binding and the WebAssembly
// build: a model goes to JSON and back with the same forecasts, bit for bit; a document written
// by the Python binding (fixtures/ets_python.json: its `document` is `FittedEts.to_json()` of a
// fit to a plain list, `expected` the Python forecasts of that model) loads and forecasts the
// same numbers; the document JS writes is the one Python writes for a plain list (model tag,
// core model, series with no index); damaged documents are coded errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/ets_python.json', import.meta.url), 'utf8'));

/**
 * Registers the tests.
 * @param {{ forecast: object, attribution: object }} api the binding
 */
export function runEtsJson({ forecast, attribution }) {
  const y = Array.from({ length: 48 }, (_, t) => 100 + 0.8 * t + 12 * Math.sin((2 * Math.PI * t) / 12) + ((t * 37) % 11) / 3);

  const coded = (fn, code, pattern) => assert.throws(fn, (e) => {
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });

  test('toJSON / fromJSON: the same model and forecasts, from the object and from its text', () => {
    for (const fit of [
      new forecast.AutoEts({ seasonLength: 12 }).fit(y),
      new forecast.Ets({ error: 'M', trend: 'A', damped: true, season: 'M', seasonLength: 12, seed: 3 }).fit(y),
    ]) {
      const doc = fit.toJSON();
      const text = JSON.stringify(fit);
      assert.equal(text, JSON.stringify(doc));
      for (const again of [forecast.FittedEts.fromJSON(doc), forecast.FittedEts.fromJSON(text)]) {
        assert.ok(again instanceof forecast.FittedEts);
        for (const k of ['model', 'aic', 'aicc', 'bic', 'logLik', 'sigma2', 'nParams', 'seasonLength', 'seasonalStatesFixed']) {
          assert.equal(again[k], fit[k], k);
        }
        assert.deepEqual(again.params, fit.params);
        assert.deepEqual(again.fitted, fit.fitted);
        assert.deepEqual(again.predict(8, { level: [50, 80, 95] }), fit.predict(8, { level: [50, 80, 95] }));
        assert.deepEqual(again.alerts({ level: 80 }), fit.alerts({ level: 80 }));
        assert.equal(again.summary(), fit.summary());
        assert.equal(JSON.stringify(again), text);
      }
    }
  });

  test('toJSON writes the document Python writes for a plain list', () => {
    const doc = new forecast.Ets({ trend: 'A' }).fit(y).toJSON();
    assert.deepEqual(Object.keys(doc), ['model', 'fitted', 'series']);
    assert.equal(doc.model, 'channelwise.forecast.FittedEts');
    assert.deepEqual(doc.series, { values: y, kind: 'pandas', name: null, index: null });
    const py = FIXTURE.document;
    assert.deepEqual(Object.keys(doc), Object.keys(py));
    assert.deepEqual(Object.keys(doc.series), Object.keys(py.series));
    assert.deepEqual(Object.keys(doc.fitted).sort(), Object.keys(py.fitted).sort());
  });

  test('a document written by Python loads and forecasts the same numbers', () => {
    for (const doc of [FIXTURE.document, JSON.stringify(FIXTURE.document)]) {
      const fit = forecast.FittedEts.fromJSON(doc);
      assert.equal(fit.model, FIXTURE.expected.model);
      const p = fit.predict(FIXTURE.h, { level: FIXTURE.level });
      assert.deepEqual([...p.mean], FIXTURE.expected.mean);
      FIXTURE.level.forEach((lv, i) => {
        assert.equal(p.intervals[i].level, lv);
        assert.deepEqual([...p.intervals[i].lower], FIXTURE.expected[`lo-${lv}`], `lo-${lv}`);
        assert.deepEqual([...p.intervals[i].upper], FIXTURE.expected[`hi-${lv}`], `hi-${lv}`);
      });
      assert.deepEqual([...fit.fitted], FIXTURE.expected.fitted);
      // and back out: the same document (the core part bit for bit)
      assert.deepEqual(JSON.parse(JSON.stringify(fit)), FIXTURE.document);
    }
  });

  test('fromJSON: damaged or foreign documents are invalid_parameter', () => {
    const good = FIXTURE.document;
    coded(() => forecast.FittedEts.fromJSON('{'), 'invalid_parameter', /json/);
    coded(() => forecast.FittedEts.fromJSON('[]'), 'invalid_parameter', /not a channelwise ETS model/);
    coded(() => forecast.FittedEts.fromJSON(null), 'invalid_parameter', /not a channelwise ETS model/);
    coded(() => forecast.FittedEts.fromJSON(3), 'invalid_parameter', /not a channelwise ETS model/);
    coded(() => forecast.FittedEts.fromJSON({ ...good, model: 'channelwise.attribution.Markov' }), 'invalid_parameter', /not a channelwise ETS model/);
    coded(() => forecast.FittedEts.fromJSON(good.fitted), 'invalid_parameter', /not a channelwise ETS model/);
    coded(() => forecast.FittedEts.fromJSON({ model: good.model }), 'invalid_parameter', /not a channelwise ETS model/);
    coded(() => forecast.FittedEts.fromJSON({ ...good, fitted: { ...good.fitted, sigma2: 'x' } }), 'invalid_parameter', /json/);
    coded(() => forecast.FittedEts.fromJSON({ ...good, series: { ...good.series, values: good.series.values.slice(1) } }),
      'invalid_parameter', /stored series has/);
    coded(() => forecast.FittedEts.fromJSON({ ...good, series: {} }), 'invalid_parameter', /no values/);
    // a series that is not an object (found by mutation: it reached the engine's TypeError)
    coded(() => forecast.FittedEts.fromJSON({ ...good, series: 5 }), 'invalid_parameter', /^invalid json\.series: "5" \(expected an object\)$/);
    coded(() => forecast.FittedEts.fromJSON({ ...good, series: 'x' }), 'invalid_parameter', /^invalid json\.series: /);
    const markov = new attribution.Markov().fit({ path: ['a>b', 'b'], conversions: [1, 2] });
    coded(() => forecast.FittedEts.fromJSON(markov.toJSON()), 'invalid_parameter');
  });
}
