// Bad input for journey.pathTable, attribution.timeDecay, stats.* and forecast.* must come back
// as coded JS Errors (never a trap: see src/lib.rs), with the Node binding's codes; the
// RollingOrigin callback's own exceptions propagate unchanged. Also: the one-string path fast
// path of js/index.js falls back to per-element reading (same numbers, same errors) when a path
// contains its newline separator.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { init, attribution, journey, stats, forecast, ERROR_CODES } from '../js/index.js';

await init();

function throwsCode(fn, code) {
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
  return err;
}

const x = [1, 2, 3, 4, 5, 6];
const y = [2, 1, 4, 3, 6, 5];
const { metrics, RollingOrigin } = forecast;

test('stats: NaN, lengths, types, too short', () => {
  for (const f of [stats.pearson, stats.spearman, stats.kendall, (a, b) => stats.theilSen(a, b),
    (a, b) => stats.crossCorrelation(a, b, 1)]) {
    assert.equal(typeof f(x, y), 'object');
    assert.equal(typeof f(Float64Array.from(x), Float64Array.from(y)), 'object');
    throwsCode(() => f([1, NaN, 3, 4, 5, 6], y), 'non_finite');
    throwsCode(() => f(x, Float64Array.of(1, 2, 3, Infinity, 5, 6)), 'non_finite');
    throwsCode(() => f(x, [1, 2, 3]), 'length_mismatch');
    throwsCode(() => f([1], [2]), 'not_enough_data');
    throwsCode(() => f([3, 3, 3, 3], [1, 2, 3, 4]), 'not_enough_data');
    for (const bad of [undefined, null, 'abc', 5, {}, [1, '2', 3, 4, 5, 6], [1, null, 3, 4, 5, 6], new BigInt64Array(6), () => 1]) {
      throwsCode(() => f(bad, y), 'invalid_parameter');
      throwsCode(() => f(x, bad), 'invalid_parameter');
    }
  }
  assert.deepEqual(Object.keys(stats.pearson(x, y)), ['statistic', 'pValue', 'n']);
  throwsCode(() => stats.mannKendall([1, NaN, 3]), 'non_finite');
  throwsCode(() => stats.mannKendall([1, 2]), 'not_enough_data');
  throwsCode(() => stats.mannKendall('x'), 'invalid_parameter');
  throwsCode(() => stats.mannKendall(x, { alpha: 'a' }), 'invalid_parameter');
  throwsCode(() => stats.mannKendall(x, { alfa: 0.1 }), 'invalid_parameter');
  throwsCode(() => stats.mannKendall(x, { alpha: 2 }), 'out_of_range');
  throwsCode(() => stats.mannKendall(x, { alpha: NaN }), 'non_finite');
  throwsCode(() => stats.theilSen(x, y, { alpha: 0.7 }), 'out_of_range');
  throwsCode(() => stats.theilSen(x, y, 'a'), 'invalid_parameter');
  const mk = stats.mannKendall(x, { alpha: 0.05 });
  assert.deepEqual(Object.keys(mk), ['trend', 'h', 'p', 'z', 'tau', 's', 'varS', 'n']);
  assert.equal(mk.trend, 'increasing');
  assert.deepEqual(Object.keys(stats.theilSen(x, y)), ['slope', 'intercept', 'lowSlope', 'highSlope']);
  for (const lag of [-1, 1.5, '1', NaN, null, undefined]) {
    throwsCode(() => stats.crossCorrelation(x, y, lag), lag !== lag ? 'non_finite' : lag === -1 ? 'out_of_range' : 'invalid_parameter');
  }
  throwsCode(() => stats.crossCorrelation(x, y, 6), 'out_of_range');
  assert.deepEqual(stats.crossCorrelation(x, y, 2).lags, [-2, -1, 0, 1, 2]);
  // wasm32 memory bound: Theil-Sen keeps n (n - 1) / 2 slopes
  const big = new Float64Array(16385).map((_, i) => i);
  throwsCode(() => stats.theilSen(big, big), 'out_of_range');
});

test('forecast.metrics: NaN, lengths, types, too short', () => {
  const a = [1, 2, 3, 4];
  const p = [1.5, 2, 2.5, 4];
  for (const f of [metrics.mae, metrics.rmse, metrics.mape, metrics.smape]) {
    assert.equal(typeof f(a, p), 'number');
    assert.equal(f(a, p), f(Float64Array.from(a), Float64Array.from(p)));
    throwsCode(() => f([1, NaN, 3, 4], p), 'non_finite');
    throwsCode(() => f(a, [1, 2]), 'length_mismatch');
    throwsCode(() => f([], []), 'not_enough_data');
    for (const bad of [undefined, null, 'abc', 3, { length: 4 }, [1, '2', 3, 4], new DataView(new ArrayBuffer(8))]) {
      throwsCode(() => f(bad, p), 'invalid_parameter');
      throwsCode(() => f(a, bad), 'invalid_parameter');
    }
  }
  throwsCode(() => metrics.mape([1, 0], [1, 1]), 'invalid_record');
  throwsCode(() => metrics.mase(a, p, [2, 2, 2]), 'invalid_parameter');
  throwsCode(() => metrics.mase(a, p, [1, 2], { m: 2 }), 'not_enough_data');
  throwsCode(() => metrics.mase(a, p, [1, 2], { m: 2 ** 32 - 1 }), 'not_enough_data');
  throwsCode(() => metrics.mase(a, p, [1, 2], { m: 2 ** 32 }), 'out_of_range');
  throwsCode(() => metrics.mase(a, p, [1, 2, 4], { m: 0 }), 'out_of_range');
  throwsCode(() => metrics.mase(a, p, [1, 2, 4], { m: 1.5 }), 'invalid_parameter');
  throwsCode(() => metrics.mase(a, p, [1, 2, 4], { n: 1 }), 'invalid_parameter');
  throwsCode(() => metrics.mase(a, p, 'x'), 'invalid_parameter');
  assert.ok(Math.abs(metrics.mase(a, p, [1, 2, 4], { m: 1 }) - 0.25 / 1.5) < 1e-12);
  const lo = [0, 1, 2, 3];
  const hi = [2, 3, 4, 5];
  assert.equal(metrics.coverage(a, lo, hi), 1);
  throwsCode(() => metrics.coverage(a, hi, lo), 'out_of_range');
  throwsCode(() => metrics.coverage(a, lo, [1]), 'length_mismatch');
  throwsCode(() => metrics.coverage(a, lo, [2, 3, NaN, 5]), 'non_finite');
  assert.equal(typeof metrics.winkler(a, lo, hi, 0.05), 'number');
  throwsCode(() => metrics.winkler(a, lo, hi, 1), 'invalid_parameter');
  throwsCode(() => metrics.winkler(a, lo, hi, '0.05'), 'invalid_parameter');
  throwsCode(() => metrics.winkler(a, lo, hi, NaN), 'non_finite');
  assert.equal(metrics.RollingOrigin, RollingOrigin);
});

test('forecast.RollingOrigin: arguments, callback errors, coded forecast errors', () => {
  const cv = new RollingOrigin(3, 2);
  assert.deepEqual([cv.initial, cv.horizon, cv.step], [3, 2, 1]);
  assert.equal(cv.nFolds(10), 6);
  assert.equal(cv.nFolds(4), 0);
  throwsCode(() => cv.nFolds(-1), 'out_of_range');
  throwsCode(() => cv.nFolds('10'), 'invalid_parameter');
  throwsCode(() => new RollingOrigin(0, 2), 'out_of_range');
  throwsCode(() => new RollingOrigin(3, 0), 'out_of_range');
  throwsCode(() => new RollingOrigin(3, 2, 0), 'out_of_range');
  throwsCode(() => new RollingOrigin(3.5, 2), 'invalid_parameter');
  throwsCode(() => new RollingOrigin('3', 2), 'invalid_parameter');
  throwsCode(() => new RollingOrigin(), 'invalid_parameter');
  throwsCode(() => new RollingOrigin(NaN, 2), 'non_finite');
  throwsCode(() => new RollingOrigin(2 ** 32 - 1, 2), 'out_of_range'); // initial + horizon wraps on wasm32
  const y = [1, 2, 3, 4, 5, 6, 7, 8];
  const naive = (train, h) => new Array(h).fill(train[train.length - 1]);
  const seen = [];
  const r = cv.evaluate(y, (train, h) => {
    assert.ok(train instanceof Float64Array);
    seen.push([train.length, h]);
    return naive(train, h);
  });
  assert.deepEqual(seen, [[3, 2], [4, 2], [5, 2], [6, 2]]);
  assert.deepEqual(r.origins, [3, 4, 5, 6]);
  assert.deepEqual(r.mae, [1, 2]);
  assert.deepEqual(Object.keys(r), ['origins', 'errors', 'mae', 'rmse']);
  assert.deepEqual(cv.evaluate(Float64Array.from(y), (t, h) => Float64Array.from(naive(t, h))), r);
  // the training window is a copy: writing to it changes nothing
  assert.deepEqual(cv.evaluate(y, (t, h) => { const f = naive(t, h); t.fill(99); return f; }), r);
  // the callback's own exception propagates unchanged, and stops the evaluation
  const boom = new TypeError('model failed');
  let calls = 0;
  assert.throws(() => cv.evaluate(y, () => { calls += 1; throw boom; }), (e) => e === boom);
  assert.equal(calls, 1);
  assert.throws(() => cv.evaluate(y, () => { throw 'a string'; }), (e) => e === 'a string');
  const trapLike = new WebAssembly.RuntimeError('not ours');
  assert.throws(() => cv.evaluate(y, () => { throw trapLike; }), (e) => e === trapLike);
  // coded errors for bad forecasts
  throwsCode(() => cv.evaluate(y, () => [1]), 'length_mismatch');
  throwsCode(() => cv.evaluate(y, () => [1, NaN]), 'non_finite');
  throwsCode(() => cv.evaluate(y, () => [1, '2']), 'invalid_parameter');
  throwsCode(() => cv.evaluate(y, () => undefined), 'invalid_parameter');
  // reading a forecast that throws (a Proxy trap) passes the thrown value through, as is
  const trap = new Error('trap');
  assert.throws(() => cv.evaluate(y, () => new Proxy([1, 2], { get() { throw trap; } })), (e) => e === trap);
  throwsCode(() => cv.evaluate(y, 'naive'), 'invalid_parameter');
  throwsCode(() => cv.evaluate(y), 'invalid_parameter');
  throwsCode(() => cv.evaluate([1, 2, 3, 4], naive), 'not_enough_data');
  throwsCode(() => cv.evaluate([1, NaN, 3, 4, 5, 6], naive), 'non_finite');
  throwsCode(() => cv.evaluate('y', naive), 'invalid_parameter');
  // re-entrant: the callback may call channelwise itself
  const nested = cv.evaluate(y, (t, h) => {
    assert.equal(metrics.mae([1, 2], [1, 2]), 0);
    return naive(t, h);
  });
  assert.deepEqual(nested, r);
  // the instance is intact after all of it
  assert.equal(metrics.mae([1, 2], [2, 4]), 1.5);
});

const touches = () => ({
  userId: ['u1', 'u1', 'u2', 'u2', 'u3'],
  timestamp: [0, 100, 0, 50, 10],
  channel: ['search', 'email', 'display', 'search', 'email'],
});
const convs = () => ({ userId: ['u1', 'u2'], timestamp: [200, 100], value: [10, 20] });

test('journey.pathTable and attribution.timeDecay: results and bad input', () => {
  const t = journey.pathTable(touches(), convs());
  assert.deepEqual(Object.keys(t), ['path', 'conversions', 'nulls', 'value', 'keyTouch', 'report']);
  assert.ok(t.conversions instanceof Float64Array);
  assert.equal(t.report.journeys, 3);
  assert.deepEqual(t.keyTouch, [null, null, null]);
  assert.ok(t.path.includes('search>email'));
  assert.ok(journey.pathTable(touches(), convs(), { sep: ' > ' }).path.includes('search > email'));
  // the result feeds attribution.* directly
  assert.equal(attribution.markov(t).length, 3);
  const td = attribution.timeDecay(touches(), convs(), { halfLifeSeconds: 3600 });
  assert.deepEqual(Object.keys(td[0]), ['channel', 'conversions', 'value']);
  assert.ok(Math.abs(td.reduce((s, r) => s + r.conversions, 0) - 2) < 1e-12);
  for (const fn of [(a, b, o) => journey.pathTable(a, b, o), (a, b, o) => attribution.timeDecay(a, b, o)]) {
    throwsCode(() => fn({ ...touches(), timestamp: [0, 100, NaN, 50, 10] }, convs()), 'non_finite');
    throwsCode(() => fn({ ...touches(), timestamp: [0, 100.5, 0, 50, 10] }, convs()), 'invalid_record');
    throwsCode(() => fn({ ...touches(), channel: ['a', 'b'] }, convs()), 'length_mismatch');
    throwsCode(() => fn({ ...touches(), cost: [1, 2] }, convs()), 'length_mismatch');
    throwsCode(() => fn({ ...touches(), cost: [1, null, 2, -1, 0] }, convs()), 'out_of_range');
    throwsCode(() => fn({ ...touches(), channel: ['a', '', 'b', 'c', 'd'] }, convs()), 'invalid_record');
    throwsCode(() => fn(touches(), { ...convs(), value: [1, NaN] }), 'non_finite');
    throwsCode(() => fn(touches(), { ...convs(), value: [1] }), 'length_mismatch');
    throwsCode(() => fn(touches(), { ...convs(), timestamp: [1] }), 'length_mismatch');
    for (const bad of [undefined, null, 5, 'x', [], () => 1]) {
      throwsCode(() => fn(bad, convs()), 'invalid_parameter');
      throwsCode(() => fn(touches(), bad), 'invalid_parameter');
    }
    for (const bad of [undefined, null, 5, 'x', {}, () => 1]) {
      throwsCode(() => fn({ ...touches(), userId: bad }, convs()), 'invalid_parameter');
      throwsCode(() => fn({ ...touches(), timestamp: bad }, convs()), 'invalid_parameter');
      throwsCode(() => fn(touches(), { ...convs(), userId: bad }), 'invalid_parameter');
    }
    throwsCode(() => fn({ ...touches(), userId: ['u1', 2, 'u2', 'u2', 'u3'] }, convs()), 'invalid_parameter');
    throwsCode(() => fn({ ...touches(), campaign: ['a', 3, null, null, null] }, convs()), 'invalid_parameter');
    throwsCode(() => fn(touches(), { ...convs(), type: 'lead' }), 'invalid_parameter');
    throwsCode(() => fn(touches(), convs(), { lookback: -1 }), 'out_of_range');
    throwsCode(() => fn(touches(), convs(), { lookback: 1.5 }), 'invalid_parameter');
    throwsCode(() => fn(touches(), convs(), { sessionGap: -1 }), 'out_of_range');
    throwsCode(() => fn(touches(), convs(), { level: 'campaign' }), 'invalid_parameter');
    throwsCode(() => fn(touches(), convs(), { leadKind: 3 }), 'invalid_parameter');
    throwsCode(() => fn(touches(), convs(), { lookbak: 10 }), 'invalid_parameter');
    throwsCode(() => fn(touches(), convs(), 'x'), 'invalid_parameter');
    const throwing = touches();
    Object.defineProperty(throwing, 'channel', { get() { throw new Error('boom'); } });
    // what a getter throws propagates as is (as in the Node addon)
    assert.throws(() => fn(throwing, convs()), (e) => e.message === 'boom' && e.code === undefined);
  }
  throwsCode(() => attribution.timeDecay(touches(), convs(), { halfLifeSeconds: 0 }), 'invalid_parameter');
  throwsCode(() => attribution.timeDecay(touches(), convs(), { halfLifeSeconds: '1' }), 'invalid_parameter');
  throwsCode(() => attribution.timeDecay(touches(), convs(), { sep: '>' }), 'invalid_parameter');
  throwsCode(() => journey.pathTable(touches(), convs(), { halfLifeSeconds: 1 }), 'invalid_parameter');
  throwsCode(() => journey.pathTable(touches(), convs(), { sep: 5 }), 'invalid_parameter');
});

test('garbage of every JS type never traps in the new functions', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const junk = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 60, '', 'x', [], [1, 2], ['a'],
    {}, new Float64Array(2), new Uint8Array(3), Symbol('s'), 10n, () => 0, new Date(0), new Map(),
    Object.create(null), proxy, new Proxy([], {})];
  const coded = (f) => {
    try {
      f();
    } catch (e) {
      if (e instanceof Error && e.code === undefined) return; // a user callback's own throw
      assert.ok(ERROR_CODES.includes(e.code), `${e.code} ${e.message}`);
      assert.notEqual(e.code, 'internal', e.message);
    }
  };
  const cv = new RollingOrigin(2, 1);
  for (const j of junk) {
    for (const f of [stats.pearson, stats.spearman, stats.kendall, metrics.mae, metrics.rmse, metrics.mape, metrics.smape]) {
      coded(() => f(j, x));
      coded(() => f(x, j));
    }
    coded(() => stats.crossCorrelation(x, y, j));
    coded(() => stats.mannKendall(j, j));
    coded(() => stats.mannKendall(x, { alpha: j }));
    coded(() => stats.theilSen(x, y, { alpha: j }));
    coded(() => metrics.mase(x, y, j, { m: j }));
    coded(() => metrics.coverage(j, x, y));
    coded(() => metrics.winkler(x, x, x, j));
    coded(() => new RollingOrigin(j, j, j));
    coded(() => cv.nFolds(j));
    coded(() => cv.evaluate(j, () => [1]));
    coded(() => cv.evaluate(x, () => j));
    coded(() => cv.evaluate(x, j));
    coded(() => journey.pathTable(j, j, j));
    coded(() => journey.pathTable({ ...touches(), channel: j }, { ...convs(), value: j }));
    coded(() => attribution.timeDecay(touches(), convs(), { halfLifeSeconds: j, level: j }));
    for (const key of ['userId', 'timestamp', 'channel', 'campaign', 'cost', 'eventId']) {
      coded(() => journey.pathTable({ ...touches(), [key]: j }, convs()));
    }
    for (const key of ['userId', 'timestamp', 'value', 'eventId', 'type']) {
      coded(() => attribution.timeDecay(touches(), { ...convs(), [key]: j }));
    }
  }
  assert.equal(stats.pearson([1, 2, 3], [1, 2, 4]).n, 3);
});

test('fast path: a path containing a newline falls back to per-element reading', () => {
  const base = {
    path: ['a>b', 'b', 'a>c>b', 'c'],
    conversions: [30, 20, 8, 1],
    nulls: [70, 80, 40, 60],
    value: [300, 180, 90, 5],
  };
  // "\n" inside paths: more rows after the join than paths, so Rust reads the paths one by one;
  // the newlines are whitespace around channel names (trimmed), so the numbers equal those of
  // the plain table.
  const nl = { ...base, path: base.path.map((p) => p.replaceAll('>', '\n>\n')) };
  assert.deepEqual(attribution.markov(nl), attribution.markov(base));
  assert.deepEqual(attribution.heuristics(nl), attribution.heuristics(base));
  assert.deepEqual(new attribution.Markov().fit(nl).shapley(), new attribution.Markov().fit(base).shapley());
  // A newline in a channel name with another sep: one row, channel names keep their inner "\n"
  const inner = { path: ['x\ny>z', 'z'], conversions: [1, 2] };
  assert.deepEqual(attribution.shapley(inner).map((r) => r.channel), ['x\ny', 'z']);
  // The join can't hide a length mismatch: 2 paths with a newline = 3 rows after the join, and 3
  // conversions would match them, but the binding still sees 2 paths and reports it.
  throwsCode(() => attribution.markov({ path: ['a\nb', 'c'], conversions: [1, 1, 1] }), 'length_mismatch');
  throwsCode(() => attribution.markov({ path: ['a', 'b', 'c'], conversions: [1, 1] }), 'length_mismatch');
  // errors keep their row numbers on both paths
  const e1 = throwsCode(() => attribution.markov({ path: ['a', 'a > > b'], conversions: [1, 1] }), 'invalid_path');
  const e2 = throwsCode(() => attribution.markov({ path: ['a\n', 'a > > b'], conversions: [1, 1] }), 'invalid_path');
  assert.match(e1.message, /row 1/);
  assert.equal(e2.message, e1.message); // 'a\n' trims to 'a': the fallback reports the same row
  // an empty path, an empty table and unicode cross either way (a lone surrogate is refused
  // either way: tests/js/api.mjs)
  throwsCode(() => attribution.markov({ path: ['a', ''], conversions: [1, 1] }), 'invalid_path');
  throwsCode(() => attribution.markov({ path: [], conversions: [] }), 'not_enough_data');
  const uni = { path: ['é>😀', '😀', 'é'], conversions: [1, 2, 3] };
  assert.deepEqual(attribution.shapley(uni).map((r) => r.channel), ['é', '😀']);
  const viaProxy = { ...uni, path: new Proxy(uni.path, {}) };
  assert.deepEqual(attribution.shapley(viaProxy), attribution.shapley(uni));
  // number[] columns become Float64Arrays only when every element is a number
  throwsCode(() => attribution.markov({ ...base, conversions: [30, '20', 8, 1] }), 'invalid_parameter');
  throwsCode(() => attribution.markov({ ...base, path: ['a>b', 7, 'b', 'c'] }), 'invalid_parameter');
  // the caller's table is not modified
  const copy = structuredClone(base);
  attribution.markov(base);
  assert.deepEqual(base, copy);
});
