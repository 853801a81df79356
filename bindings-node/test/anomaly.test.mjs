// anomaly.* beyond the shared vectors: the isolation forest's matrix forms agree (rows, flat
// Float64Array, flat number[]), seeds are deterministic, async equals sync; the robust
// detectors' result shapes; and bad input throws (or rejects with) a coded Error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { anomaly, ERROR_CODES } = require('../index.js');

function throwsCode(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, `code ${err.code}, message: ${err.message}`);
    assert.ok(ERROR_CODES.includes(err.code));
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

/** 60 points near the origin in 3-d plus two far away (rows 60, 61). */
const ROWS = [
  ...Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(1.3 * i), Math.sin(0.7 * i + 1)]),
  [8, 8, 8],
  [-9, 7, -8],
];
const FLAT = Float64Array.from(ROWS.flat());

test('IsolationForest: rows, flat Float64Array and flat number[] agree', () => {
  const spec = new anomaly.IsolationForest({ nEstimators: 50, seed: 4 });
  const a = spec.fit(ROWS);
  const b = spec.fit(FLAT, 3);
  const c = spec.fit(ROWS.flat(), 3);
  const typedRows = spec.fit(ROWS.map((r) => Float64Array.from(r)));
  assert.deepEqual(typedRows.scoreSamples(ROWS), a.scoreSamples(ROWS));
  const s = a.scoreSamples(ROWS);
  assert.ok(s instanceof Float64Array && s.length === ROWS.length);
  assert.deepEqual(b.scoreSamples(FLAT, 3), s);
  assert.deepEqual(c.scoreSamples(ROWS), s);
  // Scoring a flat matrix defaults to the training column count.
  assert.deepEqual(a.scoreSamples(FLAT), s);
  assert.ok(s.every((v) => v >= -1 && v <= 0));
  assert.ok(s[60] < Math.min(...s.slice(0, 60)) && s[61] < Math.min(...s.slice(0, 60)), 'far points score lowest');
});

test('IsolationForest: decision function, predict and offset follow scikit-learn', () => {
  const auto = new anomaly.IsolationForest({ seed: 1 }).fit(ROWS);
  assert.equal(auto.offset, -0.5);
  const d = auto.decisionFunction(ROWS);
  const s = auto.scoreSamples(ROWS);
  d.forEach((v, i) => assert.ok(Math.abs(v - (s[i] + 0.5)) < 1e-15));
  const p = auto.predict(ROWS);
  assert.ok(p instanceof Int8Array);
  p.forEach((v, i) => assert.equal(v, d[i] < 0 ? -1 : 1));
  assert.equal(p[60], -1);
  const c = new anomaly.IsolationForest({ contamination: 0.05, seed: 1 }).fit(ROWS);
  assert.notEqual(c.offset, -0.5);
  assert.equal(Array.from(c.predict(ROWS)).filter((v) => v === -1).length, Math.ceil((ROWS.length - 1) * 0.05));
  const opts = new anomaly.IsolationForest({ maxSamples: { fraction: 0.5 }, maxFeatures: { count: 2 }, bootstrap: true, seed: 2 }).fit(ROWS);
  assert.equal(opts.scoreSamples([[0, 0, 0]]).length, 1);
  const counted = new anomaly.IsolationForest({ maxSamples: 16, maxFeatures: 0.5, seed: 2 }).fit(ROWS);
  assert.equal(counted.predict([[0, 0, 0], [9, 9, 9]]).length, 2);
});

test('IsolationForest: the same seed gives the same forest, another seed another', () => {
  const a = new anomaly.IsolationForest({ seed: 11 }).fit(ROWS).scoreSamples(ROWS);
  const b = new anomaly.IsolationForest({ seed: 11 }).fit(ROWS).scoreSamples(ROWS);
  const c = new anomaly.IsolationForest({ seed: 12 }).fit(ROWS).scoreSamples(ROWS);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('IsolationForest.fitAsync resolves to the same forest and rejects on bad input', async () => {
  const spec = new anomaly.IsolationForest({ seed: 5 });
  const fitted = await spec.fitAsync(FLAT, 3);
  assert.ok(fitted instanceof anomaly.FittedIsolationForest);
  assert.deepEqual(fitted.scoreSamples(ROWS), spec.fit(ROWS).scoreSamples(ROWS));
  let p;
  assert.doesNotThrow(() => {
    p = spec.fitAsync([[1, 2], [3, NaN]]);
  });
  await assert.rejects(p, { code: 'non_finite', message: 'x[row 1, column 1] must be finite, got NaN' });
  await assert.rejects(spec.fitAsync([]), { code: 'not_enough_data' });
  await assert.rejects(spec.fitAsync(FLAT), { code: 'invalid_parameter' });
});

test('FittedIsolationForest toJSON / fromJSON: the same forest after load', () => {
  const fitted = new anomaly.IsolationForest({ nEstimators: 30, contamination: 0.05, maxFeatures: { count: 2 }, seed: 7 }).fit(ROWS);
  const doc = fitted.toJSON();
  assert.equal(typeof doc, 'object');
  const text = JSON.stringify(fitted);
  assert.deepEqual(JSON.parse(text), doc);
  for (const back of [anomaly.FittedIsolationForest.fromJSON(doc), anomaly.FittedIsolationForest.fromJSON(text)]) {
    assert.ok(back instanceof anomaly.FittedIsolationForest);
    assert.deepEqual(back.scoreSamples(ROWS), fitted.scoreSamples(ROWS));
    assert.deepEqual(back.decisionFunction(FLAT, 3), fitted.decisionFunction(FLAT, 3));
    assert.deepEqual(back.predict(ROWS), fitted.predict(ROWS));
    for (const k of ['offset', 'nFeatures', 'nEstimators', 'maxSamples', 'maxFeatures', 'maxDepth']) {
      assert.equal(back[k], fitted[k], k);
    }
    assert.deepEqual(back.toJSON(), doc);
  }
  throwsCode(() => anomaly.FittedIsolationForest.fromJSON({ trees: 1 }), 'invalid_parameter', /json/);
  throwsCode(() => anomaly.FittedIsolationForest.fromJSON('{"trees": '), 'invalid_parameter', /json/);
  throwsCode(() => anomaly.FittedIsolationForest.fromJSON(42), 'invalid_parameter');
});

test('IsolationForest bad input', () => {
  throwsCode(() => new anomaly.IsolationForest({ nEstimators: 0 }).fit(ROWS), 'out_of_range', /n_estimators/);
  throwsCode(() => new anomaly.IsolationForest({ nEstimators: -1 }), 'out_of_range', /options\.nEstimators/);
  throwsCode(() => new anomaly.IsolationForest({ n_estimators: 10 }), 'invalid_parameter', /options\.n_estimators/);
  throwsCode(() => new anomaly.IsolationForest({ maxSamples: 0.5 }), 'invalid_parameter', /options\.maxSamples/);
  throwsCode(() => new anomaly.IsolationForest({ maxSamples: 'all' }), 'invalid_parameter', /options\.maxSamples/);
  throwsCode(() => new anomaly.IsolationForest({ maxSamples: {} }), 'invalid_parameter', /options\.maxSamples\.fraction/);
  throwsCode(() => new anomaly.IsolationForest({ maxSamples: { fraction: 2 } }).fit(ROWS), 'out_of_range');
  throwsCode(() => new anomaly.IsolationForest({ maxSamples: 0 }).fit(ROWS), 'out_of_range');
  throwsCode(() => new anomaly.IsolationForest({ contamination: 0.6 }).fit(ROWS), 'out_of_range', /contamination/);
  throwsCode(() => new anomaly.IsolationForest({ contamination: 0 }).fit(ROWS), 'invalid_parameter', /contamination/);
  throwsCode(() => new anomaly.IsolationForest({ contamination: NaN }).fit(ROWS), 'non_finite');
  throwsCode(() => new anomaly.IsolationForest({ contamination: 'some' }), 'invalid_parameter', /options\.contamination/);
  throwsCode(() => new anomaly.IsolationForest({ maxFeatures: { count: 4 } }).fit(ROWS), 'out_of_range');
  throwsCode(() => new anomaly.IsolationForest({ maxFeatures: { count: 1.5 } }), 'invalid_parameter', /options\.maxFeatures\.count/);
  throwsCode(() => new anomaly.IsolationForest({ maxFeatures: '1' }), 'invalid_parameter', /options\.maxFeatures/);
  throwsCode(() => new anomaly.IsolationForest({ bootstrap: 'no' }), 'invalid_parameter', /options\.bootstrap/);
  throwsCode(() => new anomaly.IsolationForest({ seed: 0.5 }), 'invalid_parameter', /options\.seed/);
  const spec = new anomaly.IsolationForest();
  throwsCode(() => spec.fit([]), 'not_enough_data');
  throwsCode(() => spec.fit(new Float64Array(0), 2), 'not_enough_data');
  throwsCode(() => spec.fit([[1, 2], [3]]), 'length_mismatch', /x\[1\]/);
  throwsCode(() => spec.fit([1, 2, 3], 2), 'length_mismatch');
  throwsCode(() => spec.fit([1, 2, 3], 0), 'out_of_range', /n_features/);
  throwsCode(() => spec.fit([[1, 2], [3, 4]], 3), 'length_mismatch', /nFeatures/);
  throwsCode(() => spec.fit(FLAT), 'invalid_parameter', /nFeatures/);
  throwsCode(() => spec.fit([[1, 2], [3, Infinity]]), 'non_finite', /x\[row 1, column 1\]/);
  throwsCode(() => spec.fit([[1, 2], ['3', 4]]), 'invalid_parameter', /x\[1\]\[0\]/);
  throwsCode(() => spec.fit([[1, 2], 3]), 'invalid_parameter', /x\[1\]/);
  throwsCode(() => spec.fit('x'), 'invalid_parameter');
  throwsCode(() => spec.fit(FLAT, -3), 'out_of_range', /nFeatures/);
  throwsCode(() => spec.fit(FLAT, '3'), 'invalid_parameter', /nFeatures/);
  const fitted = spec.fit(ROWS);
  throwsCode(() => fitted.scoreSamples([[1, 2]]), 'length_mismatch');
  throwsCode(() => fitted.decisionFunction([1, 2], 2), 'length_mismatch');
  throwsCode(() => fitted.predict([]), 'not_enough_data');
  throwsCode(() => fitted.predict([[NaN, 0, 0]]), 'non_finite');
  throwsCode(() => new anomaly.FittedIsolationForest(), 'invalid_parameter', /FittedIsolationForest/);
});

test('averagePathLength is c(n)', () => {
  assert.equal(anomaly.averagePathLength(0), 0);
  assert.equal(anomaly.averagePathLength(1), 0);
  assert.equal(anomaly.averagePathLength(2), 1);
  assert.ok(Math.abs(anomaly.averagePathLength(256) - 10.244770920119917) < 1e-12);
  throwsCode(() => anomaly.averagePathLength(-1), 'out_of_range');
  throwsCode(() => anomaly.averagePathLength(2.5), 'invalid_parameter');
  throwsCode(() => anomaly.averagePathLength('2'), 'invalid_parameter');
});

const SPIKY = Array.from({ length: 40 }, (_, i) => 10 + Math.sin(i));
SPIKY[7] = 30;
SPIKY[25] = -15;

test('mad and madOutliers', () => {
  assert.ok(Math.abs(anomaly.mad([1, 2, 3, 4, 100]) - 1 / 0.6744897501960817) < 1e-15);
  const r = anomaly.madOutliers(SPIKY);
  assert.deepEqual(Object.keys(r).sort(), ['mad', 'median', 'outliers', 'scale', 'scores']);
  assert.deepEqual(r.outliers, [7, 25]);
  assert.ok(r.scores instanceof Float64Array && r.scores.length === SPIKY.length);
  assert.equal(r.mad, anomaly.mad(SPIKY));
  assert.deepEqual(anomaly.madOutliers(new Float64Array(SPIKY), { threshold: 3.5 }), r);
  assert.ok(anomaly.madOutliers(SPIKY, { threshold: 100 }).outliers.length === 0);
});

test('hampel', () => {
  const r = anomaly.hampel([1, 1.1, 0.9, 8, 1, 1.2, 0.8], { halfWindow: 2 });
  assert.deepEqual(r.outliers, [3]);
  assert.deepEqual(r.isOutlier, [false, false, false, true, false, false, false]);
  assert.equal(r.filtered[3], 1.1);
  assert.ok(r.filtered instanceof Float64Array && r.medians instanceof Float64Array && r.scales instanceof Float64Array);
  assert.deepEqual(anomaly.hampel(SPIKY), anomaly.hampel(SPIKY, { halfWindow: 3, nSigmas: 3 }));
});

test('esd and seasonalEsd', () => {
  const r = anomaly.esd(SPIKY);
  assert.deepEqual(r.indices, [7, 25]);
  assert.equal(r.nAnomalies, 2);
  assert.deepEqual(r.anomalies.map((a) => a.index), [7, 25]);
  assert.deepEqual(Object.keys(r.anomalies[0]).sort(), ['expected', 'index', 'score', 'step', 'value']);
  assert.equal(r.anomalies[0].value, 30);
  assert.ok(r.statistics instanceof Float64Array && r.criticalValues instanceof Float64Array);
  assert.equal(r.statistics.length, r.removed.length);
  assert.deepEqual(anomaly.esd(SPIKY, { direction: 'pos' }).indices, [7]);
  assert.deepEqual(anomaly.esd(SPIKY, { direction: 'neg' }).indices, [25]);
  const seasonal = Array.from({ length: 48 }, (_, i) => 20 + 5 * [1, 3, -2, -2][i % 4] + 0.1 * Math.sin(i));
  seasonal[21] += 25;
  const s = anomaly.seasonalEsd(seasonal, { period: 4 });
  assert.deepEqual(s.indices, [21]);
  assert.ok(s.seasonal instanceof Float64Array && s.resid instanceof Float64Array && s.seasonal.length === 48);
  assert.equal(typeof s.median, 'number');
});

test('residualAlerts', () => {
  const rows = anomaly.residualAlerts({ actual: [1, 9, -5], expected: [1, 1, 1], lower: [0, 0, 0], upper: [2, 2, 2] }, { level: 80 });
  assert.deepEqual(rows.map((r) => [r.index, r.direction, r.level]), [[1, 'above', 80], [2, 'below', 80]]);
  assert.ok(rows[0].score > 0 && rows[1].score < 0);
  assert.match(rows[0].reason, /above/);
  assert.equal(anomaly.residualAlerts({ actual: [5], expected: [1], lower: [0], upper: [2] })[0].level, 95);
});

test('robust detectors: bad input', () => {
  throwsCode(() => anomaly.mad([]), 'not_enough_data');
  throwsCode(() => anomaly.mad([1, NaN]), 'non_finite', /x\[1\]/);
  throwsCode(() => anomaly.mad('1,2'), 'invalid_parameter', /invalid x/);
  throwsCode(() => anomaly.madOutliers(SPIKY, { threshold: -1 }), 'out_of_range', /threshold/);
  throwsCode(() => anomaly.madOutliers(SPIKY, { threshold: '3' }), 'invalid_parameter', /options\.threshold/);
  throwsCode(() => anomaly.madOutliers(SPIKY, { cutoff: 3 }), 'invalid_parameter', /options\.cutoff/);
  throwsCode(() => anomaly.hampel(SPIKY, { halfWindow: 0 }), 'out_of_range');
  throwsCode(() => anomaly.hampel(SPIKY, { halfWindow: 1.5 }), 'invalid_parameter', /options\.halfWindow/);
  throwsCode(() => anomaly.hampel(SPIKY, { nSigmas: NaN }), 'non_finite');
  throwsCode(() => anomaly.hampel([], {}), 'not_enough_data');
  throwsCode(() => anomaly.esd(SPIKY, { direction: 'up' }), 'invalid_parameter', /direction/);
  throwsCode(() => anomaly.esd(SPIKY, { direction: 1 }), 'invalid_parameter', /options\.direction/);
  throwsCode(() => anomaly.esd(SPIKY, { maxAnoms: 0 }), 'invalid_parameter', /max_anoms/);
  throwsCode(() => anomaly.esd(SPIKY, { maxAnoms: 0.6 }), 'out_of_range', /max_anoms/);
  throwsCode(() => anomaly.esd(SPIKY, { alpha: 1 }), 'invalid_parameter', /alpha/);
  throwsCode(() => anomaly.esd([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12], {}), 'non_finite');
  throwsCode(() => anomaly.seasonalEsd(SPIKY), 'invalid_parameter', /options\.period/);
  throwsCode(() => anomaly.seasonalEsd(SPIKY, { period: 1 }), 'out_of_range');
  throwsCode(() => anomaly.seasonalEsd(SPIKY.slice(0, 10), { period: 7 }), 'not_enough_data');
  throwsCode(() => anomaly.residualAlerts({ actual: [1], expected: [1], lower: [0] }), 'invalid_parameter', /upper/);
  throwsCode(() => anomaly.residualAlerts({ actual: [1, 2], expected: [1], lower: [0], upper: [2] }), 'length_mismatch');
  throwsCode(() => anomaly.residualAlerts({ actual: [NaN], expected: [1], lower: [0], upper: [2] }), 'non_finite');
  throwsCode(() => anomaly.residualAlerts({ actual: [1], expected: [1], lower: [0], upper: [2] }, { level: 100 }), 'out_of_range');
  throwsCode(() => anomaly.residualAlerts([1, 2]), 'invalid_parameter', /series/);
});
