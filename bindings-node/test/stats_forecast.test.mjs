// stats.* and forecast.* beyond the shared vectors: arrays and Float64Array agree, bad input
// throws a coded Error naming the field, and the rolling-origin callback is called as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { stats, forecast } = require('../index.js');

const X = [1, 3, 2, 5, 4, 7, 6, 8];
const Y = [2, 1, 4, 3, 6, 5, 8, 7];

function throwsCode(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, `code ${err.code}, message: ${err.message}`);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

test('number[] and Float64Array give the same answers', () => {
  const f = (xs) => new Float64Array(xs);
  for (const name of ['pearson', 'spearman', 'kendall']) {
    assert.deepEqual(stats[name](f(X), Y), stats[name](X, Y));
  }
  assert.deepEqual(stats.mannKendall(f(X)), stats.mannKendall(X));
  assert.deepEqual(stats.theilSen(X, f(Y), { alpha: 0.1 }), stats.theilSen(X, Y, { alpha: 0.1 }));
  assert.equal(forecast.metrics.rmse(f(X), Y), forecast.metrics.rmse(X, Y));
});

test('result shapes', () => {
  const k = stats.kendall(X, Y);
  assert.deepEqual(Object.keys(k).sort(), ['n', 'pValue', 'statistic']);
  assert.equal(k.n, 8);
  const c = stats.crossCorrelation(X, Y, 2);
  assert.deepEqual(c.lags, [-2, -1, 0, 1, 2]);
  assert.ok(Math.abs(c.values[2] - stats.pearson(X, Y).statistic) < 1e-12);
  const mk = stats.mannKendall(X);
  assert.equal(mk.trend, 'increasing');
  assert.equal(mk.h, true);
  assert.equal(typeof mk.varS, 'number');
  const ts = stats.theilSen([0, 1, 2, 3, 4, 5, 6, 7], X);
  assert.ok(ts.lowSlope <= ts.slope && ts.slope <= ts.highSlope);
  assert.equal(forecast.metrics.mase([5, 6], [4, 4], [1, 3, 2, 4], { m: 1 }), forecast.metrics.mase([5, 6], [4, 4], [1, 3, 2, 4]));
  assert.equal(forecast.metrics.RollingOrigin, forecast.RollingOrigin);
  assert.ok(Object.isFrozen(forecast) && Object.isFrozen(forecast.metrics));
});

test('NaN and infinities are non_finite naming the field', () => {
  throwsCode(() => stats.kendall(X, [2, 1, NaN, 3, 6, 5, 8, 7]), 'non_finite', /^y\[2\] must be finite, got NaN$/);
  throwsCode(() => stats.pearson(new Float64Array([1, Infinity, 3]), [1, 2, 3]), 'non_finite', /x\[1\]/);
  throwsCode(() => stats.mannKendall([1, 2, -Infinity, 4]), 'non_finite', /x\[2\]/);
  throwsCode(() => forecast.metrics.mae([1], [NaN]), 'non_finite', /predicted\[0\]/);
  throwsCode(() => forecast.metrics.mase([1], [1], [1, NaN, 2]), 'non_finite', /insample\[1\]/);
  throwsCode(() => new forecast.RollingOrigin(2, 1).evaluate([1, 2, NaN], (t, h) => [0]), 'non_finite', /y\[2\]/);
});

test('length mismatch, too short, degenerate', () => {
  throwsCode(() => stats.kendall([1, 2, 3], [1, 2]), 'length_mismatch', /^length mismatch: y has 2 entries, expected 3$/);
  throwsCode(() => forecast.metrics.rmse([1, 2], [1]), 'length_mismatch', /predicted/);
  throwsCode(() => forecast.metrics.coverage([1, 2], [0, 0], [3]), 'length_mismatch', /upper/);
  throwsCode(() => stats.pearson([1, 2], [2, 1]), 'not_enough_data');
  throwsCode(() => stats.kendall([], []), 'not_enough_data');
  throwsCode(() => stats.spearman([1, 1, 1], [1, 2, 3]), 'not_enough_data');
  throwsCode(() => stats.mannKendall([1, 2]), 'not_enough_data');
  throwsCode(() => forecast.metrics.mae([], []), 'not_enough_data');
  throwsCode(() => forecast.metrics.mape([1, 0], [1, 1]), 'invalid_record', /row 1, column actual/);
  throwsCode(() => forecast.metrics.mase([1], [1], [2, 2, 2]), 'invalid_parameter', /insample/);
  throwsCode(() => new forecast.RollingOrigin(3, 2).evaluate([1, 2, 3, 4], (t, h) => [0, 0]), 'not_enough_data');
});

test('parameters out of range', () => {
  throwsCode(() => stats.crossCorrelation(X, Y, X.length), 'out_of_range', /max_lag/);
  throwsCode(() => stats.crossCorrelation(X, Y, -1), 'out_of_range', /maxLag/);
  throwsCode(() => stats.mannKendall(X, { alpha: 1.5 }), 'out_of_range', /alpha/);
  throwsCode(() => forecast.metrics.winkler([1], [0], [2], 1), 'invalid_parameter', /alpha/);
  throwsCode(() => forecast.metrics.coverage([1], [2], [1]), 'out_of_range', /upper\[0\]/);
  throwsCode(() => forecast.metrics.mase([1], [1], [1, 2], { m: 0 }), 'out_of_range', /^m must be/);
  throwsCode(() => new forecast.RollingOrigin(0, 1), 'out_of_range', /initial/);
  throwsCode(() => new forecast.RollingOrigin(1, 0), 'out_of_range', /horizon/);
  throwsCode(() => new forecast.RollingOrigin(1, 1, 0), 'out_of_range', /step/);
});

test('wrong types are invalid_parameter naming the field', () => {
  throwsCode(() => stats.kendall(), 'invalid_parameter', /^invalid x: "undefined"/);
  throwsCode(() => stats.kendall('1,2,3', Y), 'invalid_parameter', /^invalid x: "1,2,3" \(expected an array of numbers or a Float64Array\)$/);
  throwsCode(() => stats.kendall(X, [1, 2, '3']), 'invalid_parameter', /^invalid y\[2\]: "3" \(expected a number\)$/);
  throwsCode(() => stats.kendall(X, [1, null, 3]), 'invalid_parameter', /y\[1\]/);
  // any typed array of numbers is read (exactly, as f64), as in the browser build; BigInt ones are not
  assert.deepEqual(stats.pearson(new Int32Array([1, 2, 3]), [1, 2, 4]), stats.pearson([1, 2, 3], [1, 2, 4]));
  throwsCode(() => stats.pearson(new BigInt64Array([1n, 2n, 3n]), [1, 2, 3]), 'invalid_parameter', /BigInt64Array/);
  throwsCode(() => stats.crossCorrelation(X, Y, 1.5), 'invalid_parameter', /maxLag/);
  throwsCode(() => stats.crossCorrelation(X, Y, '2'), 'invalid_parameter', /maxLag/);
  throwsCode(() => stats.mannKendall(X, { alpha: '0.05' }), 'invalid_parameter', /options\.alpha/);
  throwsCode(() => stats.theilSen(X, Y, { level: 0.9 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => forecast.metrics.winkler([1], [0], [2]), 'invalid_parameter', /alpha/);
  throwsCode(() => forecast.metrics.mase([1], [1], [1, 2], { seasonality: 7 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => new forecast.RollingOrigin('5', 1), 'invalid_parameter', /initial/);
  throwsCode(() => new forecast.RollingOrigin(2, 1).evaluate(X, 'naive'), 'invalid_parameter', /fitPredict/);
  throwsCode(() => new forecast.RollingOrigin(2, 1).evaluate(X), 'invalid_parameter', /fitPredict/);
});

test('rolling origin: callback per fold, copies of the training window, errors by horizon', () => {
  const seen = [];
  const cv = new forecast.RollingOrigin(4, 2, 2);
  assert.deepEqual([cv.initial, cv.horizon, cv.step, cv.nFolds(10), cv.nFolds(5)], [4, 2, 2, 3, 0]);
  const y = Float64Array.from({ length: 10 }, (_, i) => i);
  const r = cv.evaluate(y, (train, h) => {
    assert.ok(train instanceof Float64Array);
    seen.push([train.length, h]);
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    train[0] = 1e9; // a copy: the series is not modified
    return new Float64Array(h).fill(mean);
  });
  assert.deepEqual(seen, [[4, 2], [6, 2], [8, 2]]);
  assert.equal(y[0], 0);
  assert.deepEqual(r.origins, [4, 6, 8]);
  assert.deepEqual(r.errors[0], [2.5, 3.5]); // ramp: mean of 0..n-1 is (n-1)/2
  assert.equal(r.mae.length, 2);
  assert.equal(new forecast.RollingOrigin(4, 2).step, 1);
});

test('rolling origin: the callback\'s own exception propagates unchanged; bad forecasts are coded', () => {
  const cv = new forecast.RollingOrigin(2, 2);
  const mine = new RangeError('model failed');
  let calls = 0;
  assert.throws(() => cv.evaluate(X, () => { calls += 1; throw mine; }), (err) => err === mine);
  assert.equal(calls, 1, 'stops at the first throw');
  throwsCode(() => cv.evaluate(X, () => [1]), 'length_mismatch', /^length mismatch: forecast has 1 entries, expected 2$/);
  throwsCode(() => cv.evaluate(X, () => [1, NaN]), 'non_finite', /^forecast\[1\] must be finite, got NaN$/);
  throwsCode(() => cv.evaluate(X, () => [1, 'x']), 'invalid_parameter', /forecast\[1\]/);
  throwsCode(() => cv.evaluate(X, () => undefined), 'invalid_parameter', /forecast/);
  // the binding keeps working, and the callback may call back into channelwise
  const r = cv.evaluate(X, (t, h) => new Array(h).fill(forecast.metrics.mae([t[0]], [0])));
  assert.equal(r.origins.length, X.length - 3);
});
