// forecast.AutoEts / Ets / FittedEts, forecast.stl / mstl and anomaly.* in the WebAssembly
// build: shapes (Float64Array series, null for absent parameters), agreement between entry
// points, and bad input of every kind as coded JS Errors, never a trap (see src/lib.rs). The
// numbers themselves are checked against the shared vectors by test/vectors.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { init, forecast, anomaly, attribution, ERROR_CODES } from '../js/index.js';

await init();

function throwsCode(fn, code, pattern) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${code}, got a result`);
  assert.ok(err instanceof Error, `not an Error: ${err}`);
  assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
  assert.ok(ERROR_CODES.includes(err.code));
  if (pattern) assert.match(err.message, pattern);
  return err;
}

// 6 years of a monthly series with trend and season (positive).
const y = Array.from({ length: 72 }, (_, t) => 100 + 0.8 * t + 12 * Math.sin((2 * Math.PI * t) / 12) + ((t * 37) % 11) / 3);
const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 0.5, Math.cos(i * 1.3) * 0.5]);
rows.push([8, -8]);

test('AutoEts: getters, params with nulls, predict and alerts shapes', () => {
  const fit = new forecast.AutoEts({ seasonLength: 12 }).fit(y);
  assert.match(fit.model, /^ETS\([AM],(N|A|Ad),[NAM]\)$/);
  for (const k of ['aic', 'aicc', 'bic', 'logLik', 'sigma2']) assert.ok(Number.isFinite(fit[k]), k);
  assert.ok(Number.isInteger(fit.nParams) && fit.nParams > 0);
  assert.equal(fit.seasonLength, 12);
  for (const k of ['fitted', 'residuals', 'innovations']) {
    assert.ok(fit[k] instanceof Float64Array, k);
    assert.equal(fit[k].length, y.length, k);
  }
  fit.residuals.forEach((r, i) => assert.ok(Math.abs(r - (y[i] - fit.fitted[i])) < 1e-9));
  const p = fit.params;
  assert.deepEqual(Object.keys(p).sort(), ['alpha', 'beta', 'gamma', 'initialLevel', 'initialSeasonal', 'initialTrend', 'phi']);
  p.alpha = 99; // a copy
  assert.notEqual(fit.params.alpha, 99);
  const f = fit.predict(6, { level: [80, 95] });
  assert.ok(f.mean instanceof Float64Array && f.mean.length === 6);
  assert.deepEqual(f.intervals.map((i) => i.level), [80, 95]);
  for (let h = 0; h < 6; h += 1) {
    assert.ok(f.intervals[1].lower[h] <= f.intervals[0].lower[h] && f.intervals[0].upper[h] <= f.intervals[1].upper[h]);
  }
  assert.equal(typeof f.simulated, 'boolean');
  assert.deepEqual(fit.predict(3).intervals.map((i) => i.level), [80, 95], 'default levels');
  assert.deepEqual(fit.predict(3, { level: 90 }).intervals.map((i) => i.level), [90], 'one level as a number');
  assert.equal(fit.predict(0).mean.length, 0);
  assert.match(fit.summary(), /^ETS\(/);
  assert.equal(String(fit), fit.summary());
});

test('Ets: fixed components; a non-seasonal model has null beta/gamma/phi/initialSeasonal', () => {
  const fit = new forecast.Ets({ error: 'A', trend: 'N', season: 'N' }).fit(y);
  assert.equal(fit.model, 'ETS(A,N,N)');
  const p = fit.params;
  assert.equal(p.beta, null);
  assert.equal(p.gamma, null);
  assert.equal(p.phi, null);
  assert.equal(p.initialTrend, null);
  assert.equal(p.initialSeasonal, null);
  const damped = new forecast.Ets({ error: 'M', trend: 'A', damped: true, season: 'M', seasonLength: 12 }).fit(Float64Array.from(y));
  assert.equal(damped.model, 'ETS(M,Ad,M)');
  assert.ok(Array.isArray(damped.params.initialSeasonal) && damped.params.initialSeasonal.length === 12);
  assert.ok(damped.params.phi > 0.7);
});

test('AutoEts: options are copied; same seed same numbers; alerts find a spike', () => {
  const options = { seasonLength: 12 };
  const spec = new forecast.AutoEts(options);
  options.seasonLength = 0;
  const a = spec.fit(y);
  const b = new forecast.AutoEts({ seasonLength: 12, seed: 0 }).fit(y);
  assert.deepEqual(a.predict(4), b.predict(4));
  const spiky = y.slice();
  spiky[40] += 200;
  const alerts = new forecast.AutoEts({ seasonLength: 12 }).fit(spiky).alerts();
  const hit = alerts.find((x) => x.index === 40);
  assert.ok(hit, JSON.stringify(alerts));
  assert.equal(hit.direction, 'above');
  assert.equal(hit.level, 95);
  assert.match(hit.reason, /^observed .* is above the 95% interval/);
});

test('ETS bad input: coded errors', () => {
  const auto = (o, data = y) => new forecast.AutoEts(o).fit(data);
  for (const o of [3, 'ZZZ', [1], () => 1, true]) throwsCode(() => new forecast.AutoEts(o), 'invalid_parameter');
  throwsCode(() => new forecast.AutoEts({ seasonlength: 12 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => new forecast.AutoEts({ ic: 'hqc' }), 'invalid_parameter', /options\.ic/);
  throwsCode(() => new forecast.AutoEts({ seasonLength: -1 }), 'out_of_range');
  throwsCode(() => new forecast.AutoEts({ seasonLength: 1.5 }), 'invalid_parameter');
  throwsCode(() => new forecast.AutoEts({ seasonLength: '12' }), 'invalid_parameter');
  throwsCode(() => new forecast.AutoEts({ damped: 'yes' }), 'invalid_parameter');
  throwsCode(() => new forecast.AutoEts({ seed: -1 }), 'out_of_range');
  throwsCode(() => auto({ model: 'ZZZZ' }), 'invalid_parameter', /model/);
  throwsCode(() => auto({ model: 'AMN' }), 'invalid_parameter');
  throwsCode(() => auto({ seasonLength: 0 }), 'out_of_range');
  throwsCode(() => auto({}, [1, 2, NaN, 4, 5, 6]), 'non_finite', /y\[2\]/);
  throwsCode(() => auto({}, [1, 2, 3]), 'not_enough_data');
  throwsCode(() => auto({}, []), 'not_enough_data');
  throwsCode(() => auto({}, 'abc'), 'invalid_parameter');
  throwsCode(() => auto({}, [1, '2', 3, 4]), 'invalid_parameter', /y\[1\]/);
  throwsCode(() => auto({}, null), 'invalid_parameter');
  throwsCode(() => new forecast.Ets({ error: 'X' }), 'invalid_parameter', /options\.error/);
  throwsCode(() => new forecast.Ets({ trend: 'M' }), 'invalid_parameter');
  throwsCode(() => new forecast.Ets({ trend: 'N', damped: true }), 'invalid_parameter', /damped/);
  throwsCode(() => new forecast.Ets({ season: 'A' }).fit(y), 'invalid_parameter');
  throwsCode(() => new forecast.Ets({ error: 'M' }).fit([1, 2, 0, 4, 5, 6, 7]), 'invalid_record');
  const fit = auto({ seasonLength: 12 });
  throwsCode(() => fit.predict(-1), 'out_of_range');
  throwsCode(() => fit.predict(1.5), 'invalid_parameter');
  throwsCode(() => fit.predict('3'), 'invalid_parameter');
  throwsCode(() => fit.predict(5000), 'out_of_range', /^h must be in/);
  throwsCode(() => fit.predict(3, { level: [100] }), 'out_of_range', /levels\[0\]/);
  throwsCode(() => fit.predict(3, { level: [NaN] }), 'non_finite');
  throwsCode(() => fit.predict(3, { level: new Array(65).fill(90) }), 'out_of_range');
  throwsCode(() => fit.predict(3, { levels: [80] }), 'invalid_parameter', /unknown option/);
  throwsCode(() => fit.alerts({ level: 0 }), 'out_of_range', /^level/);
  throwsCode(() => fit.alerts({ level: 'high' }), 'invalid_parameter');
  throwsCode(() => new forecast.FittedEts(), 'invalid_parameter');
});

test('stl and mstl: shapes, additivity, single-period mstl equals stl', () => {
  const d = forecast.stl(y, { period: 12 });
  for (const k of ['trend', 'seasonal', 'resid', 'weights']) {
    assert.ok(d[k] instanceof Float64Array && d[k].length === y.length, k);
  }
  y.forEach((v, i) => assert.ok(Math.abs(d.trend[i] + d.seasonal[i] + d.resid[i] - v) < 1e-9));
  assert.ok(d.seasonalStrength > 0.5 && d.seasonalStrength <= 1);
  assert.ok(d.trendStrength > 0.5 && d.trendStrength <= 1);
  assert.equal(forecast.seasonalStrength(d.seasonal, d.resid), d.seasonalStrength);
  assert.equal(forecast.trendStrength(d.trend, d.resid), d.trendStrength);
  const m = forecast.mstl(y, { periods: [12, 4], robust: true });
  assert.deepEqual(m.periods, [4, 12]);
  assert.equal(m.windows.length, 2);
  assert.equal(m.seasonal.length, 2);
  assert.ok(m.seasonal.every((s) => s instanceof Float64Array && s.length === y.length));
  assert.equal(m.seasonalStrengths.length, 2);
  y.forEach((v, i) => assert.ok(Math.abs(m.trend[i] + m.seasonal[0][i] + m.seasonal[1][i] + m.resid[i] - v) < 1e-9));
  const one = forecast.mstl(y, { periods: [12], windows: [7] });
  const stl = forecast.stl(y, { period: 12, seasonal: 7 });
  one.trend.forEach((t, i) => assert.ok(Math.abs(t - stl.trend[i]) < 1e-9));
  const logged = forecast.mstl(y, { periods: [12], lmbda: 0 });
  logged.observed.forEach((o, i) => assert.ok(Math.abs(o - Math.log(y[i])) < 1e-12));
});

test('stl and mstl bad input: coded errors', () => {
  throwsCode(() => forecast.stl(y), 'invalid_parameter', /options\.period/);
  throwsCode(() => forecast.stl(y, {}), 'invalid_parameter', /options\.period/);
  throwsCode(() => forecast.stl(y, { period: 1 }), 'out_of_range');
  throwsCode(() => forecast.stl(y, { period: 12, seasonal: 8 }), 'invalid_parameter');
  throwsCode(() => forecast.stl(y, { period: 12, seasonalJump: 0 }), 'out_of_range');
  throwsCode(() => forecast.stl(y, { period: 12, trendDeg: 2 }), 'out_of_range');
  throwsCode(() => forecast.stl(y, { period: 12, robust: 1 }), 'invalid_parameter');
  throwsCode(() => forecast.stl(y, { period: 12, window: 7 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => forecast.stl(y, { period: 40 }), 'not_enough_data');
  throwsCode(() => forecast.stl([...y.slice(0, 30), Infinity, ...y.slice(31)], { period: 12 }), 'non_finite', /y\[30\]/);
  throwsCode(() => forecast.stl(y, { period: 2 ** 40 }), 'out_of_range');
  // windows longer than the series are allowed (as statsmodels); the largest wasm32 counts run
  for (const key of ['trend', 'lowPass', 'seasonal', 'seasonalJump', 'trendJump']) {
    assert.equal(forecast.stl(y, { period: 12, [key]: 2 ** 32 - 1 }).trend.length, y.length, key);
  }
  throwsCode(() => forecast.stl(y, { period: 2 ** 31 }), 'not_enough_data');
  throwsCode(() => forecast.mstl(y), 'invalid_parameter', /options\.periods/);
  throwsCode(() => forecast.mstl(y, { periods: 12 }), 'invalid_parameter');
  throwsCode(() => forecast.mstl(y, { periods: [] }), 'not_enough_data');
  throwsCode(() => forecast.mstl(y, { periods: [12, 4], windows: [7] }), 'length_mismatch');
  throwsCode(() => forecast.mstl(y, { periods: [40] }), 'not_enough_data');
  throwsCode(() => forecast.mstl(y, { periods: [12], period: 12 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => forecast.mstl(y, { periods: [12], seasonal: 7 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => forecast.mstl(y, { periods: [12, 4], iterate: 0 }), 'out_of_range');
  throwsCode(() => forecast.mstl([1, -1, ...y.slice(2)], { periods: [12], lmbda: 0.5 }), 'out_of_range');
  throwsCode(() => forecast.mstl(y, { periods: [12], lmbda: NaN }), 'non_finite');
  throwsCode(() => forecast.seasonalStrength([1, 2], [1]), 'length_mismatch');
});

test('IsolationForest: rows, flat Float64Array and plain flat array agree; predict is Int8Array', () => {
  const spec = new anomaly.IsolationForest({ seed: 3, contamination: 0.05 });
  const fromRows = spec.fit(rows);
  const flat = Float64Array.from(rows.flat());
  const fromFlat = spec.fit(flat, 2);
  const fromPlain = spec.fit(rows.flat(), 2);
  assert.deepEqual(fromRows.scoreSamples(rows), fromFlat.scoreSamples(flat, 2));
  assert.deepEqual(fromRows.scoreSamples(rows), fromPlain.scoreSamples(rows, 2));
  assert.equal(fromRows.offset, fromFlat.offset);
  assert.ok(fromRows.offset < 0 && fromRows.offset > -1);
  const s = fromRows.scoreSamples(rows);
  assert.ok(s instanceof Float64Array && s.every((v) => v >= -1 && v <= 0));
  assert.equal(s.indexOf(Math.min(...s)), rows.length - 1);
  const d = fromRows.decisionFunction(rows);
  d.forEach((v, i) => assert.ok(Math.abs(v - (s[i] - fromRows.offset)) < 1e-15));
  const p = fromRows.predict(rows);
  assert.ok(p instanceof Int8Array);
  assert.equal(p[rows.length - 1], -1);
  assert.ok(p.every((v, i) => v === (d[i] < 0 ? -1 : 1)));
  assert.equal(fromRows.nFeatures, 2);
  assert.equal(fromRows.nEstimators, 100);
  assert.equal(fromRows.maxSamples, rows.length);
  assert.equal(new anomaly.IsolationForest({ maxSamples: { fraction: 0.5 } }).fit(rows).maxSamples, 30);
  assert.equal(new anomaly.IsolationForest({ maxFeatures: { count: 1 } }).fit(rows).maxFeatures, 1);
  assert.equal(new anomaly.IsolationForest().fit(rows).offset, -0.5);
  assert.equal(anomaly.averagePathLength(2), 1);
  assert.ok(Math.abs(anomaly.averagePathLength(256) - 10.244770920119917) < 1e-12);
});

test('IsolationForest bad input: coded errors', () => {
  const F = (o) => new anomaly.IsolationForest(o);
  throwsCode(() => F({ nEstimators: 0 }).fit(rows), 'out_of_range');
  throwsCode(() => F({ nEstimators: 20000 }), 'out_of_range', /nEstimators/);
  throwsCode(() => F({ nEstimators: 2.5 }), 'invalid_parameter');
  throwsCode(() => F({ maxSamples: 'all' }), 'invalid_parameter', /maxSamples/);
  throwsCode(() => F({ maxSamples: 0.5 }), 'invalid_parameter');
  throwsCode(() => F({ maxSamples: { fraction: 1.5 } }).fit(rows), 'out_of_range');
  throwsCode(() => F({ maxSamples: { frac: 0.5 } }), 'invalid_parameter', /unknown option/);
  throwsCode(() => F({ maxSamples: {} }), 'invalid_parameter', /fraction/);
  throwsCode(() => F({ contamination: 0.7 }).fit(rows), 'out_of_range');
  throwsCode(() => F({ contamination: 0 }).fit(rows), 'invalid_parameter');
  throwsCode(() => F({ contamination: NaN }).fit(rows), 'non_finite');
  throwsCode(() => F({ contamination: 'some' }), 'invalid_parameter');
  throwsCode(() => F({ maxFeatures: { count: 3 } }).fit(rows), 'out_of_range');
  throwsCode(() => F({ maxFeatures: 'all' }), 'invalid_parameter');
  throwsCode(() => F({ bootstrap: 'no' }), 'invalid_parameter');
  throwsCode(() => F({ trees: 10 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => F().fit([]), 'not_enough_data');
  throwsCode(() => F().fit([[1, 2], [3]]), 'length_mismatch', /x\[1\]/);
  throwsCode(() => F().fit([[1, 2], [3, NaN]]), 'non_finite', /row 1, column 1/);
  throwsCode(() => F().fit([[1, 2], [3, '4']]), 'invalid_parameter', /x\[1\]\[1\]/);
  throwsCode(() => F().fit([1, 2, 3, 4]), 'invalid_parameter', /nFeatures/);
  throwsCode(() => F().fit([1, 2, 3], 2), 'length_mismatch');
  throwsCode(() => F().fit([1, 2, 3, 4], 0), 'out_of_range');
  throwsCode(() => F().fit([[1, 2], [3, 4]], 3), 'length_mismatch', /nFeatures/);
  throwsCode(() => F().fit('x'), 'invalid_parameter');
  throwsCode(() => F().fit(null), 'invalid_parameter');
  const m = F().fit(rows);
  throwsCode(() => m.scoreSamples([[1, 2, 3]]), 'length_mismatch');
  throwsCode(() => m.predict([1, 2, 3], 3), 'length_mismatch');
  throwsCode(() => m.decisionFunction([[Infinity, 1]]), 'non_finite');
  throwsCode(() => new anomaly.FittedIsolationForest(), 'invalid_parameter');
  throwsCode(() => anomaly.averagePathLength(-1), 'out_of_range');
  throwsCode(() => anomaly.averagePathLength('3'), 'invalid_parameter');
});

test('robust detectors: shapes and defaults', () => {
  const x = [10, 11, 9, 10.5, 9.5, 30, 10.2, 9.8, 10.1, 9.9, 10.3, 9.7];
  const r = anomaly.madOutliers(x);
  assert.deepEqual(r.outliers, [5]);
  assert.equal(r.outliers.length, 1);
  assert.ok(r.scores instanceof Float64Array);
  assert.equal(anomaly.mad(x), r.mad);
  const h = anomaly.hampel(x);
  assert.ok(h.outliers.includes(5));
  assert.equal(h.isOutlier.length, x.length);
  assert.ok(h.filtered[5] < 20);
  const e = anomaly.esd(x);
  assert.deepEqual(e.indices, [5]);
  assert.equal(e.anomalies[0].value, 30);
  assert.ok(e.statistics instanceof Float64Array && e.criticalValues instanceof Float64Array);
  const seasonal = Array.from({ length: 70 }, (_, t) => [5, 7, 6, 9, 8, 3, 2][t % 7] + 0.01 * t);
  seasonal[30] += 20;
  const s = anomaly.seasonalEsd(seasonal, { period: 7 });
  assert.equal(s.anomalies[0].index, 30);
  assert.ok(s.seasonal instanceof Float64Array && s.resid instanceof Float64Array);
  assert.equal(typeof s.median, 'number');
  const a = anomaly.residualAlerts({ actual: [250, 310], expected: [255, 265.2], lower: [230, 240.1], upper: [280, 290.3] }, { level: 95 });
  assert.equal(a.length, 1);
  assert.equal(a[0].reason, 'observed 310.0 is above the 95% interval [240.1, 290.3] around 265.2 (z = 3.5)');
});

test('robust detectors bad input: coded errors', () => {
  throwsCode(() => anomaly.mad([]), 'not_enough_data');
  throwsCode(() => anomaly.mad([1, NaN]), 'non_finite', /x\[1\]/);
  throwsCode(() => anomaly.mad('1,2'), 'invalid_parameter');
  throwsCode(() => anomaly.madOutliers([1, 2], { threshold: -1 }), 'out_of_range');
  throwsCode(() => anomaly.madOutliers([1, 2], { threshold: '3' }), 'invalid_parameter');
  throwsCode(() => anomaly.madOutliers([1, 2], { cutoff: 3 }), 'invalid_parameter', /unknown option/);
  throwsCode(() => anomaly.hampel([1, 2], { halfWindow: 0 }), 'out_of_range');
  throwsCode(() => anomaly.hampel([1, 2], { halfWindow: -2 }), 'out_of_range');
  throwsCode(() => anomaly.hampel([1, 2], { nSigmas: NaN }), 'non_finite');
  throwsCode(() => anomaly.hampel([], {}), 'not_enough_data');
  throwsCode(() => anomaly.esd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { direction: 'up' }), 'invalid_parameter', /direction/);
  throwsCode(() => anomaly.esd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { maxAnoms: 0.6 }), 'out_of_range');
  throwsCode(() => anomaly.esd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { alpha: 1 }), 'invalid_parameter');
  throwsCode(() => anomaly.esd([1, 2], {}), 'not_enough_data');
  throwsCode(() => anomaly.seasonalEsd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 'invalid_parameter', /options\.period/);
  throwsCode(() => anomaly.seasonalEsd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { period: 1 }), 'out_of_range');
  throwsCode(() => anomaly.seasonalEsd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { period: 7 }), 'not_enough_data');
  const ok = { actual: [1, 2], expected: [1, 2], lower: [0, 1], upper: [2, 3] };
  throwsCode(() => anomaly.residualAlerts(ok, { level: 100 }), 'out_of_range');
  throwsCode(() => anomaly.residualAlerts({ ...ok, upper: [2] }), 'length_mismatch');
  throwsCode(() => anomaly.residualAlerts({ ...ok, actual: [1, NaN] }), 'non_finite', /actual\[1\]/);
  throwsCode(() => anomaly.residualAlerts({ ...ok, expected: [5, 2] }), 'out_of_range', /expected\[0\]/);
  throwsCode(() => anomaly.residualAlerts({ ...ok, lower: undefined }), 'invalid_parameter', /series\.lower/);
  throwsCode(() => anomaly.residualAlerts({ ...ok, extra: [1] }), 'invalid_parameter', /unknown option/);
  throwsCode(() => anomaly.residualAlerts(null), 'invalid_parameter');
  throwsCode(() => anomaly.residualAlerts([1, 2]), 'invalid_parameter');
});

test('after all the bad input the instance still works (no trap poisoned it)', () => {
  const rows2 = attribution.markov({ path: ['a>b', 'b'], conversions: [1, 2] }, { order: 1 });
  assert.equal(rows2.length, 2);
  assert.match(new forecast.AutoEts().fit(y).model, /^ETS/);
});

test('garbage of every JS type into every option and input of the new names never traps', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const junk = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 60, '', 'x', 'auto', 'M', [],
    [1, 2], [[1, 2]], {}, { fraction: 0.5 }, { count: 1 }, new Float64Array(2), new Uint8Array(3),
    Symbol('s'), 10n, () => 0, new Date(0), new Map(), Object.create(null), proxy, new Proxy([], {}),
    new Proxy({}, { get() { throw new Error('trap'); } })];
  const show = (x) => { try { return String(x); } catch { return typeof x; } };
  const coded = (what, f) => {
    try {
      f();
    } catch (e) {
      // what the junk itself threw (a revoked Proxy, the throwing trap) propagates as is, as in
      // the Node addon (the shared API; see errors.test.mjs)
      if (e instanceof Error && e.code === undefined && (/revoked/.test(e.message) || e.message === 'trap')) return;
      assert.ok(ERROR_CODES.includes(e.code), `${what}: ${e.code} ${e.message}`);
      assert.notEqual(e.code, 'internal', `${what}: ${e.message}`);
    }
  };
  const short = y.slice(0, 30);
  // base options plus the junk's keys; junk that cannot be spread (revoked or throwing proxies,
  // primitives) goes to the binding as the whole options argument
  const plus = (base, o) => {
    if (o === null || typeof o !== 'object') return o === undefined ? base : o;
    try { return { ...base, ...o }; } catch { return o; }
  };
  const fit = new forecast.AutoEts({ seasonLength: 4 }).fit(short);
  const forest = new anomaly.IsolationForest({ nEstimators: 5 }).fit(rows);
  const cases = [
    ['AutoEts', ['seasonLength', 'model', 'damped', 'restrict', 'ic', 'seed'], (o, s) => new forecast.AutoEts(o).fit(s ?? short)],
    ['Ets', ['error', 'trend', 'damped', 'season', 'seasonLength', 'seed'], (o, s) => new forecast.Ets(o).fit(s ?? short)],
    ['predict', ['level'], (o, s) => fit.predict(s ?? 3, o)],
    ['alerts', ['level'], (o) => fit.alerts(o)],
    ['stl', ['period', 'seasonal', 'trend', 'lowPass', 'seasonalDeg', 'robust', 'seasonalJump', 'innerIter', 'outerIter'],
      (o, s) => forecast.stl(s ?? short, plus({ period: 4 }, o))],
    ['mstl', ['periods', 'windows', 'iterate', 'lmbda', 'trendDeg', 'lowPassJump'], (o, s) => forecast.mstl(s ?? short, plus({ periods: [4] }, o))],
    ['IsolationForest', ['nEstimators', 'maxSamples', 'contamination', 'maxFeatures', 'bootstrap', 'seed'],
      (o, s) => new anomaly.IsolationForest(plus({ nEstimators: 5 }, o)).fit(s ?? rows)],
    ['scoreSamples', [], (_o, s) => forest.scoreSamples(s ?? rows, s)],
    ['madOutliers', ['threshold'], (o, s) => anomaly.madOutliers(s ?? short, o)],
    ['hampel', ['halfWindow', 'nSigmas'], (o, s) => anomaly.hampel(s ?? short, o)],
    ['esd', ['maxAnoms', 'alpha', 'direction'], (o, s) => anomaly.esd(s ?? short, o)],
    ['seasonalEsd', ['period', 'maxAnoms', 'alpha', 'direction'], (o, s) => anomaly.seasonalEsd(s ?? short, plus({ period: 4 }, o))],
    ['residualAlerts', ['level'], (o, s) => anomaly.residualAlerts(s ?? { actual: [1], expected: [1], lower: [0], upper: [2] }, o)],
    ['averagePathLength', [], (_o, s) => anomaly.averagePathLength(s)],
    ['mad', [], (_o, s) => anomaly.mad(s)],
  ];
  let calls = 0;
  for (const [name, keys, f] of cases) {
    for (const j of junk) {
      for (const k of keys) {
        coded(`${name} ${k}=${show(j)}`, () => f({ [k]: j }));
        calls += 1;
      }
      coded(`${name} options=${show(j)}`, () => f(j));
      coded(`${name} input=${show(j)}`, () => f(undefined, j));
      calls += 2;
    }
  }
  assert.ok(calls > 500, `${calls} calls`);
  assert.match(new forecast.AutoEts({ seasonLength: 4 }).fit(short).model, /^ETS/);
});
