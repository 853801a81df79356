// forecast.Ets / AutoEts / FittedEts and forecast.stl / mstl beyond the shared vectors: shapes
// and types of results, defaults, arrays and Float64Array agree, async equals sync, and bad
// input throws (or rejects with) a coded Error naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { forecast, ERROR_CODES } = require('../index.js');

/** Quarterly-ish series: trend + season of 4 + deterministic noise. */
const Y = Array.from({ length: 40 }, (_, t) => 50 + 0.8 * t + [6, -2, -7, 3][t % 4] + Math.sin(t * 1.7));

function throwsCode(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, `code ${err.code}, message: ${err.message}`);
    assert.ok(ERROR_CODES.includes(err.code));
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

test('AutoEts fits a seasonal model and exposes every documented getter', () => {
  const fit = new forecast.AutoEts({ seasonLength: 4 }).fit(Y);
  assert.match(fit.model, /^ETS\([AM],(N|A|Ad),[NAM]\)$/);
  for (const k of ['aic', 'aicc', 'bic', 'logLik', 'sigma2', 'nParams']) assert.equal(typeof fit[k], 'number', k);
  assert.ok(fit.aicc >= fit.aic);
  for (const k of ['fitted', 'residuals', 'innovations']) {
    assert.ok(fit[k] instanceof Float64Array, k);
    assert.equal(fit[k].length, Y.length, k);
  }
  fit.residuals.forEach((r, i) => assert.ok(Math.abs(r - (Y[i] - fit.fitted[i])) < 1e-9));
  const p = fit.params;
  assert.deepEqual(Object.keys(p).sort(), ['alpha', 'beta', 'gamma', 'initialLevel', 'initialSeasonal', 'initialTrend', 'phi']);
  assert.ok(p.alpha > 0 && p.alpha < 1);
  assert.ok(Array.isArray(p.initialSeasonal) && p.initialSeasonal.length === 4, 'seasonal model has 4 initial states');
});

test('absent components are null in params', () => {
  const fit = new forecast.Ets().fit(Y);
  assert.equal(fit.model, 'ETS(A,N,N)');
  const p = fit.params;
  assert.equal(p.beta, null);
  assert.equal(p.gamma, null);
  assert.equal(p.phi, null);
  assert.equal(p.initialTrend, null);
  assert.equal(p.initialSeasonal, null);
  const damped = new forecast.Ets({ error: 'A', trend: 'A', damped: true, season: 'A', seasonLength: 4 }).fit(Y);
  assert.equal(damped.model, 'ETS(A,Ad,A)');
  assert.equal(typeof damped.params.phi, 'number');
  assert.equal(typeof damped.params.beta, 'number');
});

test('predict: default levels, order kept, intervals nest and widen', () => {
  const fit = new forecast.Ets({ error: 'A', trend: 'A', season: 'A', seasonLength: 4 }).fit(Y);
  const p = fit.predict(8);
  assert.deepEqual(Object.keys(p).sort(), ['intervals', 'mean', 'simulated']);
  assert.ok(p.mean instanceof Float64Array && p.mean.length === 8);
  assert.deepEqual(p.intervals.map((i) => i.level), [80, 95]);
  const [i80, i95] = p.intervals;
  for (let h = 0; h < 8; h++) {
    assert.ok(i95.lower[h] <= i80.lower[h] && i80.lower[h] <= p.mean[h] && p.mean[h] <= i80.upper[h] && i80.upper[h] <= i95.upper[h]);
  }
  assert.ok(i95.upper[7] - i95.lower[7] > i95.upper[0] - i95.lower[0]);
  assert.equal(p.simulated, false);
  const q = fit.predict(3, { level: [99, 50] });
  assert.deepEqual(q.intervals.map((i) => i.level), [99, 50]);
  assert.deepEqual(fit.predict(3, { level: 90 }).intervals.map((i) => i.level), [90]);
  assert.deepEqual(fit.predict(3, { level: [] }).intervals, []);
  assert.equal(fit.predict(0).mean.length, 0);
});

test('alerts flag an in-sample spike, with a reason', () => {
  const y = Y.slice();
  y[30] += 40;
  const fit = new forecast.Ets({ trend: 'A', season: 'A', seasonLength: 4 }).fit(y);
  const alerts = fit.alerts();
  const a = alerts.find((x) => x.index === 30);
  assert.ok(a, `no alert at 30: ${JSON.stringify(alerts)}`);
  assert.deepEqual(Object.keys(a).sort(), ['actual', 'direction', 'expected', 'index', 'level', 'lower', 'reason', 'score', 'upper']);
  assert.equal(a.direction, 'above');
  assert.equal(a.level, 95);
  assert.equal(a.actual, y[30]);
  assert.ok(a.score > 0 && a.reason.length > 0);
  assert.ok(fit.alerts({ level: 50 }).length >= alerts.length);
});

test('number[] and Float64Array give the same model', () => {
  const a = new forecast.AutoEts({ seasonLength: 4 }).fit(Y);
  const b = new forecast.AutoEts({ seasonLength: 4 }).fit(new Float64Array(Y));
  assert.equal(a.model, b.model);
  assert.equal(a.aicc, b.aicc);
  assert.deepEqual(a.predict(4), b.predict(4));
});

test('fitAsync resolves to the same fit and rejects (never throws) on bad input', async () => {
  const spec = new forecast.AutoEts({ seasonLength: 4, ic: 'aic' });
  const [a, b] = await Promise.all([spec.fitAsync(Y), new forecast.Ets({ trend: 'A' }).fitAsync(new Float64Array(Y))]);
  assert.ok(a instanceof forecast.FittedEts && b instanceof forecast.FittedEts);
  assert.equal(a.model, spec.fit(Y).model);
  assert.deepEqual(a.predict(5), spec.fit(Y).predict(5));
  assert.equal(b.model, 'ETS(A,A,N)');
  let p;
  assert.doesNotThrow(() => {
    p = spec.fitAsync([1, NaN, 2, 3, 4]);
  });
  await assert.rejects(p, { code: 'non_finite', message: 'y[1] must be finite, got NaN' });
  await assert.rejects(spec.fitAsync('abc'), { code: 'invalid_parameter' });
  await assert.rejects(new forecast.Ets().fitAsync([1, 2]), { code: 'not_enough_data' });
});

test('the same seed gives the same simulated intervals', () => {
  // Multiplicative error with multiplicative season has no analytic variance: intervals simulate.
  const y = Y.map((v) => v + 20);
  const a = new forecast.Ets({ error: 'M', trend: 'A', season: 'M', seasonLength: 4, seed: 7 }).fit(y).predict(6);
  const b = new forecast.Ets({ error: 'M', trend: 'A', season: 'M', seasonLength: 4, seed: 7 }).fit(y).predict(6);
  assert.deepEqual(a, b);
});

test('ETS bad input: wrong types, NaN, empty, too short, bad letters, bad options', () => {
  throwsCode(() => new forecast.Ets({ error: 'X' }), 'invalid_parameter', /options\.error/);
  throwsCode(() => new forecast.Ets({ trend: 'Ad' }), 'invalid_parameter', /options\.trend/);
  throwsCode(() => new forecast.Ets({ trend: 'M' }), 'invalid_parameter', /options\.trend/);
  throwsCode(() => new forecast.Ets({ season: 'Z' }), 'invalid_parameter', /options\.season/);
  throwsCode(() => new forecast.Ets({ damped: true }), 'invalid_parameter', /options\.damped/);
  throwsCode(() => new forecast.Ets({ damped: 'yes' }), 'invalid_parameter', /options\.damped/);
  throwsCode(() => new forecast.Ets({ season_length: 4 }), 'invalid_parameter', /options\.season_length/);
  throwsCode(() => new forecast.Ets({ seasonLength: -1 }), 'out_of_range', /options\.seasonLength/);
  throwsCode(() => new forecast.Ets({ seasonLength: 1.5 }), 'invalid_parameter', /options\.seasonLength/);
  throwsCode(() => new forecast.Ets({ seed: -3 }), 'out_of_range', /options\.seed/);
  throwsCode(() => new forecast.Ets('A'), 'invalid_parameter', /options/);
  throwsCode(() => new forecast.AutoEts({ ic: 'hqic' }), 'invalid_parameter', /options\.ic/);
  throwsCode(() => new forecast.AutoEts({ model: 'AMN' }).fit(Y), 'invalid_parameter', /model/);
  throwsCode(() => new forecast.AutoEts({ model: 7 }), 'invalid_parameter', /options\.model/);
  throwsCode(() => new forecast.AutoEts({ seasonLength: 0 }).fit(Y), 'out_of_range');
  throwsCode(() => new forecast.Ets({ season: 'A' }).fit(Y), 'invalid_parameter', /season/);
  throwsCode(() => new forecast.AutoEts().fit([]), 'not_enough_data');
  throwsCode(() => new forecast.AutoEts().fit([1, 2, 3]), 'not_enough_data');
  throwsCode(() => new forecast.AutoEts().fit([1, 2, Infinity, 4, 5]), 'non_finite', /y\[2\]/);
  throwsCode(() => new forecast.AutoEts().fit([1, 2, '3', 4, 5]), 'invalid_parameter', /y\[2\]/);
  // Any typed array of numbers reads (the shared readers); BigInt arrays do not.
  throwsCode(() => new forecast.AutoEts().fit(new BigInt64Array(8)), 'invalid_parameter', /BigInt64Array/);
  throwsCode(() => new forecast.AutoEts().fit(undefined), 'invalid_parameter', /invalid y:/);
  throwsCode(() => new forecast.Ets({ error: 'M' }).fit([1, 2, 0, 3, 4, 5]), 'invalid_record');
  throwsCode(() => new forecast.FittedEts(), 'invalid_parameter', /FittedEts/);
  const fit = new forecast.Ets().fit(Y);
  throwsCode(() => fit.predict(-1), 'out_of_range', /^h/);
  throwsCode(() => fit.predict(1.5), 'invalid_parameter', /invalid h:/);
  throwsCode(() => fit.predict('3'), 'invalid_parameter', /invalid h:/);
  throwsCode(() => fit.predict(3, { level: [100] }), 'out_of_range', /levels\[0\]/);
  throwsCode(() => fit.predict(3, { level: [80, 0] }), 'out_of_range', /levels\[1\]/);
  throwsCode(() => fit.predict(3, { level: NaN }), 'non_finite');
  throwsCode(() => fit.predict(3, { level: '95' }), 'invalid_parameter', /options\.level/);
  throwsCode(() => fit.predict(3, { levels: [95] }), 'invalid_parameter', /options\.levels/);
  throwsCode(() => fit.alerts({ level: 100 }), 'out_of_range', /^level/);
  throwsCode(() => fit.alerts({ level: [95] }), 'invalid_parameter', /options\.level/);
});

test('stl: documented fields, strengths in [0, 1], typed and plain input agree', () => {
  const d = forecast.stl(Y, { period: 4 });
  assert.deepEqual(Object.keys(d).sort(), ['resid', 'seasonal', 'seasonalStrength', 'trend', 'trendStrength', 'weights']);
  for (const k of ['trend', 'seasonal', 'resid', 'weights']) {
    assert.ok(d[k] instanceof Float64Array && d[k].length === Y.length, k);
  }
  Y.forEach((v, i) => assert.ok(Math.abs(d.trend[i] + d.seasonal[i] + d.resid[i] - v) < 1e-9));
  assert.ok(d.weights.every((w) => w === 1), 'non-robust weights are 1');
  assert.ok(d.seasonalStrength > 0.8 && d.seasonalStrength <= 1);
  assert.ok(d.trendStrength > 0.8 && d.trendStrength <= 1);
  assert.deepEqual(forecast.stl(new Float64Array(Y), { period: 4 }), d);
  const r = forecast.stl(Y, { period: 4, seasonal: 9, trend: 11, lowPass: 5, robust: true, seasonalJump: 2, innerIter: 2, outerIter: 3 });
  assert.ok(r.weights.some((w) => w < 1), 'robust weights vary');
});

test('mstl: one seasonal component per period, ascending', () => {
  const y = Array.from({ length: 120 }, (_, t) => 10 + Math.sin((2 * Math.PI * t) / 4) + 3 * Math.sin((2 * Math.PI * t) / 12) + 0.01 * t);
  const d = forecast.mstl(y, { periods: [12, 4] });
  assert.deepEqual(d.periods, [4, 12]);
  assert.equal(d.seasonal.length, 2);
  assert.ok(d.seasonal.every((s) => s instanceof Float64Array && s.length === y.length));
  assert.equal(d.seasonalStrengths.length, 2);
  y.forEach((v, i) => assert.ok(Math.abs(d.trend[i] + d.seasonal[0][i] + d.seasonal[1][i] + d.resid[i] - v) < 1e-9));
  const w = forecast.mstl(new Float64Array(y), { periods: [12, 4], windows: [11, 7], iterate: 3, lmbda: 1, robust: true });
  assert.equal(w.trend.length, y.length);
});

test('stl / mstl bad input', () => {
  throwsCode(() => forecast.stl(Y), 'invalid_parameter', /options\.period/);
  throwsCode(() => forecast.stl(Y, {}), 'invalid_parameter', /options\.period/);
  throwsCode(() => forecast.stl(Y, { period: '4' }), 'invalid_parameter', /options\.period/);
  throwsCode(() => forecast.stl(Y, { period: 4, low_pass: 5 }), 'invalid_parameter', /options\.low_pass/);
  throwsCode(() => forecast.stl(Y, { period: 1 }), 'out_of_range', /period/);
  throwsCode(() => forecast.stl(Y, { period: 4, seasonal: 8 }), 'invalid_parameter', /seasonal/);
  throwsCode(() => forecast.stl(Y, { period: 4, robust: 1 }), 'invalid_parameter', /options\.robust/);
  throwsCode(() => forecast.stl(Y, { period: 4, trendDeg: 2 }), 'out_of_range');
  throwsCode(() => forecast.stl(Y, { period: 4, seasonalJump: 0 }), 'out_of_range');
  throwsCode(() => forecast.stl([1, 2, 3, 4, 5], { period: 4 }), 'not_enough_data');
  throwsCode(() => forecast.stl([], { period: 2 }), 'not_enough_data');
  throwsCode(() => forecast.stl([1, 2, NaN, 4, 5, 6, 7, 8], { period: 2 }), 'non_finite', /y\[2\]/);
  throwsCode(() => forecast.stl(null, { period: 2 }), 'invalid_parameter', /invalid y:/);
  throwsCode(() => forecast.mstl(Y), 'invalid_parameter', /options\.periods/);
  throwsCode(() => forecast.mstl(Y, { periods: 4 }), 'invalid_parameter', /options\.periods/);
  throwsCode(() => forecast.mstl(Y, { periods: [4, 2.5] }), 'invalid_parameter', /options\.periods\[1\]/);
  throwsCode(() => forecast.mstl(Y, { periods: [] }), 'not_enough_data');
  throwsCode(() => forecast.mstl(Y, { periods: [4], windows: [7, 9] }), 'length_mismatch');
  throwsCode(() => forecast.mstl(Y, { periods: [4], seasonal: 7 }), 'invalid_parameter', /options\.seasonal/);
  throwsCode(() => forecast.mstl(Y, { periods: [4], iterate: 0 }), 'out_of_range');
  throwsCode(() => forecast.mstl(Y, { periods: [30] }), 'not_enough_data');
  throwsCode(() => forecast.mstl([...Y.slice(0, 20), -1, ...Y.slice(21)], { periods: [4], lmbda: 0.5 }), 'out_of_range');
  throwsCode(() => forecast.mstl(Y, { periods: [4], lmbda: NaN }), 'non_finite');
});
