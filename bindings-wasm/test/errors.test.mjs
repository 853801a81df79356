// Bad input of every kind must come back as a coded JS Error, never as a trap: on wasm32 a Rust
// panic cannot unwind (see src/lib.rs), so the binding validates everything first. After all of
// it the instance must still work (no panic poisoned it).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { init, attribution, errorCodes, version, ERROR_CODES } from '../js/index.js';

await init();

const good = () => ({
  path: ['a>b', 'b', 'a>c>b', 'c'],
  conversions: [30, 20, 8, 1],
  nulls: [70, 80, 40, 60],
  value: [300, 180, 90, 5],
});

function throwsCode(fn, code, message) {
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
  assert.ok(err.message.length > 0);
  if (message) assert.equal(err.message, message);
  return err;
}

/** `fn` throws what user code (or the engine, for a revoked Proxy) threw, not a coded error. */
function rethrows(fn, message) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, `expected the user's error, got ${err}`);
  assert.equal(err.code, undefined, `expected the user's own error, got code ${err.code}: ${err.message}`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
}

const { heuristics, markov, shapley, orderedShapley, parsePathCsv, Markov, FittedMarkov } = attribution;
const fitWith = (table, options) => new Markov().fit(table, options);
const tableFns = { heuristics, markov, shapley, orderedShapley, fitWith };

test('ERROR_CODES matches the codes compiled into the .wasm', () => {
  assert.deepEqual([...ERROR_CODES], errorCodes());
});

test('bad tables, in every function', () => {
  for (const [name, fn] of Object.entries(tableFns)) {
    const t = (table, code) => throwsCode(() => fn(table, {}), code);
    for (const x of [null, undefined, 3, 'a>b', [], true, () => 1]) t(x, 'invalid_parameter');
    t({ ...good(), path: 'a>b' }, 'invalid_parameter');
    t({ ...good(), path: undefined }, 'invalid_parameter');
    t({ ...good(), path: ['a', 3, 'b', 'c'] }, 'invalid_parameter');
    t({ ...good(), conversions: undefined }, 'invalid_parameter');
    t({ ...good(), conversions: 'many' }, 'invalid_parameter');
    t({ ...good(), conversions: [1, '2', 3, 4] }, 'invalid_parameter');
    t({ ...good(), conversions: { length: 4 } }, 'invalid_parameter');
    t({ ...good(), conversions: new BigInt64Array(4) }, 'invalid_parameter');
    t({ ...good(), conversions: new DataView(new ArrayBuffer(32)) }, 'invalid_parameter');
    t({ ...good(), nulls: [1, 2, null, 4] }, 'invalid_parameter');
    t({ ...good(), conversions: [1, 2, 3] }, 'length_mismatch');
    t({ ...good(), value: new Float64Array(5) }, 'length_mismatch');
    t({ ...good(), conversions: [1, NaN, 3, 4] }, 'non_finite');
    t({ ...good(), value: Float64Array.of(1, Infinity, 3, 4) }, 'non_finite');
    t({ ...good(), nulls: [1, -2, 3, 4] }, 'out_of_range');
    t({ ...good(), path: ['a>b', '', 'b', 'c'] }, 'invalid_path');
    t({ ...good(), path: ['a>b', 'a > > b', 'b', 'c'] }, 'invalid_path');
    t({ ...good(), conversions: [0, 1, 1, 1] }, 'invalid_parameter'); // value on a 0-conversion row
    // user code that throws while we read the input (getters, Proxy traps, revoked proxies):
    // what it threw propagates as is, as in the Node addon and as JSON.stringify does
    const throwing = { ...good() };
    Object.defineProperty(throwing, 'path', { get() { throw new Error('boom'); } });
    rethrows(() => fn(throwing, {}), 'boom');
    rethrows(() => fn(new Proxy(good(), { get() { throw new Error('trap'); } }), {}), 'trap');
    const arr = ['a', 'b', 'c', 'd'];
    Object.defineProperty(arr, 2, { get() { throw new Error('element'); } });
    rethrows(() => fn({ ...good(), path: arr }, {}), 'element');
    rethrows(() => fn({ ...good(), path: new Proxy(['a', 'b', 'c', 'd'], { get() { throw new Error('len'); } }) }, {}), 'len');
    t({ ...good(), conversions: new Proxy(new Float64Array(4), {}) }, 'invalid_parameter');
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    rethrows(() => fn({ ...good(), path: proxy }, {}), /revoked/);
    rethrows(() => fn({ ...good(), conversions: proxy }, {}), /revoked/);
    rethrows(() => fn(proxy, {}), /revoked/);
    rethrows(() => fn(good(), proxy), /revoked/);
    rethrows(() => fn(good(), new Proxy({}, { ownKeys() { throw new Error('keys'); } })), 'keys');
    // options
    throwsCode(() => fn(good(), { sep: '' }), 'invalid_parameter');
    throwsCode(() => fn(good(), { sep: 5 }), 'invalid_parameter');
    throwsCode(() => fn(good(), { nope: 1 }), 'invalid_parameter');
    for (const o of ['x', 5, [], () => 1]) throwsCode(() => fn(good(), o), 'invalid_parameter');
    assert.ok(name);
  }
});

test('core messages reach JS unchanged', () => {
  throwsCode(() => heuristics({ path: ['a > > b'], conversions: [1] }), 'invalid_path',
    'invalid path in row 0: empty channel name at position 2 of "a > > b"');
  throwsCode(() => markov(good(), { order: 0 }), 'out_of_range', 'order must be in [1, 64], got 0');
  throwsCode(() => markov(good(), { usenulls: false }), 'invalid_parameter',
    'invalid options.usenulls: "usenulls" (unknown option; expected one of sep, order, horizon, useNulls, ci)');
});

test('bad Markov options, function and class', () => {
  const viaClass = (opts) => {
    const { ci, ...spec } = opts;
    if (ci !== undefined) return markov(good(), opts);
    return new Markov(spec).fit(good());
  };
  for (const fn of [(o) => markov(good(), o), viaClass]) {
    const t = (opts, code) => throwsCode(() => fn(opts), code);
    t({ order: 0 }, 'out_of_range');
    t({ order: 65 }, 'out_of_range');
    t({ order: -3 }, 'out_of_range');
    t({ order: 1e300 }, 'invalid_parameter');
    t({ order: 1.5 }, 'invalid_parameter');
    t({ order: '2' }, 'invalid_parameter');
    t({ order: NaN }, 'non_finite');
    t({ horizon: 0 }, 'out_of_range');
    t({ horizon: -1 }, 'out_of_range');
    t({ horizon: 2.5 }, 'invalid_parameter');
    t({ horizon: Infinity }, 'non_finite');
    t({ horizon: 'CA' }, 'invalid_parameter');
    t({ horizon: {} }, 'invalid_parameter');
    t({ useNulls: 'yes' }, 'invalid_parameter');
    t({ ci: 'yes' }, 'invalid_parameter');
    t({ ci: { replicates: 3 } }, 'out_of_range');
    t({ ci: { replicates: 2.5 } }, 'invalid_parameter');
    t({ ci: { level: 1 } }, 'out_of_range');
    t({ ci: { level: 'high' } }, 'invalid_parameter');
    t({ ci: { level: NaN } }, 'non_finite');
    t({ ci: { seed: -1 } }, 'out_of_range');
    t({ ci: { sead: 1 } }, 'invalid_parameter');
  }
  throwsCode(() => markov({ ...good(), conversions: [1.5, 2, 3, 4] }, { ci: true }), 'invalid_parameter');
  throwsCode(() => markov({ path: [], conversions: [] }), 'not_enough_data');
  throwsCode(() => new Markov({ order: 2, sep: '>' }), 'invalid_parameter');
  throwsCode(() => new Markov().fit(good(), { order: 2 }), 'invalid_parameter');
  throwsCode(() => new FittedMarkov(), 'invalid_parameter');
});

test('bad heuristic and Shapley options', () => {
  const h = (opts, code) => throwsCode(() => heuristics(good(), opts), code);
  h({ uShaped: [0.6, 0.6] }, 'out_of_range');
  h({ uShaped: [0.4] }, 'length_mismatch');
  h({ wShaped: [0.3, 0.3] }, 'length_mismatch');
  h({ uShaped: 'x' }, 'invalid_parameter');
  h({ uShaped: [NaN, 0.1] }, 'non_finite');
  h({ wShaped: [0.3, '0.3', 0.3] }, 'invalid_parameter');
  h({ wShaped: [-0.1, 0.3, 0.3] }, 'out_of_range');
  throwsCode(() => shapley(good(), { ci: { replicates: 1 } }), 'out_of_range');
  throwsCode(() => shapley(good(), { game: 'markov' }), 'invalid_parameter');
  const fit = new Markov().fit(good());
  const s = (opts, code) => throwsCode(() => fit.shapley(opts), code);
  s({ method: 'nope' }, 'invalid_parameter');
  s({ method: 'sampled', permutations: 1 }, 'out_of_range');
  s({ method: 'sampled', permutations: -1 }, 'out_of_range');
  s({ method: 'sampled', seed: 0.5 }, 'invalid_parameter');
  s({ methd: 'exact' }, 'invalid_parameter');
  s('exact', 'invalid_parameter');
  const wide = { path: Array.from({ length: 21 }, (_, i) => `c${i}`), conversions: new Float64Array(21).fill(1) };
  throwsCode(() => new Markov().fit(wide).shapley(), 'out_of_range');
});

test('bad CSV input', () => {
  const t = (text, opts, code) => throwsCode(() => parsePathCsv(text, opts), code);
  for (const x of [undefined, null, 5, ['a'], {}]) t(x, {}, 'invalid_parameter');
  t('path,conversions\na>b,1\n', { delimiter: '::' }, 'invalid_parameter');
  t('path,conversions\na>b,1\n', { delimiter: 5 }, 'invalid_parameter');
  t('path,conversions\na>b,1\n', { sep: '' }, 'invalid_parameter');
  t('path,conversions\na>b,1\n', { separator: ';' }, 'invalid_parameter');
  t('path,nulls\na>b,1\n', {}, 'invalid_parameter');
  t('', {}, 'invalid_parameter');
  t('path,conversions\na>>b,1\n', {}, 'invalid_record');
  t('path,conversions\na>b,many\n', {}, 'invalid_record');
  t('path,conversions\na>b,NaN\n', {}, 'invalid_record');
  t('path,conversions\na>b,-1\n', {}, 'invalid_record');
  t('path,conversions,value\na>b,0,5\n', {}, 'invalid_record');
  t('path,conversions\na>b,1,7\n', {}, 'invalid_record');
  t('path,conversions\n"a>b,1\n', {}, 'invalid_record');
});

test('garbage of every JS type never traps', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const junk = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 60, '', 'x', 'ca', [],
    [1, 2], ['a'], {}, { path: 1 }, new Float64Array(2), new Uint8Array(3), Symbol('s'), 10n,
    () => 0, new Date(0), new Map(), Object.create(null), proxy, new Proxy([], {})];
  const keys = ['sep', 'order', 'horizon', 'useNulls', 'ci', 'uShaped', 'wShaped', 'method',
    'permutations', 'seed', 'delimiter'];
  const show = (x) => { try { return String(x); } catch { return typeof x; } };
  const coded = (what, f) => {
    try {
      f();
    } catch (e) {
      // a revoked Proxy is the engine's own TypeError, passed through; everything else is coded
      if (e instanceof TypeError && /revoked/.test(e.message)) return;
      assert.ok(ERROR_CODES.includes(e.code), `${what}: ${e.code} ${e.message}`);
      assert.notEqual(e.code, 'internal', `${what}: ${e.message}`);
    }
  };
  let calls = 0;
  const fit = new Markov().fit(good());
  for (const fn of [heuristics, markov, shapley, orderedShapley, fitWith, (t, o) => new Markov(o).fit(t),
    (_t, o) => fit.shapley(o)]) {
    for (const j of junk) {
      for (const k of keys) {
        coded(`${k}=${show(j)}`, () => fn(good(), { [k]: j }));
        calls += 1;
      }
      coded(`options=${show(j)}`, () => fn(good(), j));
      for (const col of ['path', 'conversions', 'nulls', 'value']) {
        coded(`${col}=${show(j)}`, () => fn({ ...good(), [col]: j }, {}));
        calls += 1;
      }
      coded(`table=${show(j)}`, () => fn(j, {}));
    }
  }
  for (const j of junk) coded(`csv ${show(j)}`, () => parsePathCsv(j, { delimiter: j, sep: j }));
  assert.ok(calls > 1000);
  // The instance is intact: a good call still answers.
  const rows = markov(good(), { order: 1, ci: { replicates: 20, seed: 3 } });
  assert.equal(rows.length, 3);
  assert.ok(rows.every((r) => r.conversionsLo <= r.conversions && r.conversions <= r.conversionsHi));
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test('results: shapes, typed arrays, classes and intervals', () => {
  const t = good();
  const typed = { ...t, conversions: Float64Array.from(t.conversions), nulls: Int32Array.from(t.nulls) };
  assert.deepEqual(markov(typed, { order: 2 }), markov(t, { order: 2 }));
  const fit = new Markov({ horizon: 'ca' }).fit(t);
  assert.ok(fit instanceof FittedMarkov);
  assert.equal(typeof fit.conversionProbability, 'number');
  assert.equal(typeof fit.horizonSteps, 'number');
  assert.deepEqual(fit.channels, ['a', 'b', 'c']);
  assert.equal(fit.removalEffects.length, 3);
  assert.ok(fit.transitions().some((r) => r.from === '(start)' && r.probability > 0));
  assert.equal(new Markov().fit(t).horizonSteps, null);
  // the spec is copied: mutating the options afterwards changes nothing
  const spec = { order: 1 };
  const m = new Markov(spec);
  spec.order = 99;
  assert.equal(m.fit(t).order, 1);
  const h = heuristics(t);
  assert.deepEqual(Object.keys(h[0]), ['channel', 'firstTouchConversions', 'firstTouchValue',
    'lastTouchConversions', 'lastTouchValue', 'linearConversions', 'linearValue',
    'uShapedConversions', 'uShapedValue', 'wShapedConversions', 'wShapedValue']);
  const s = shapley(t, { ci: { replicates: 50, seed: 1 } });
  assert.deepEqual(Object.keys(s[0]), ['channel', 'conversions', 'value', 'conversionsLo',
    'conversionsHi', 'conversionsStdError', 'valueLo', 'valueHi', 'valueStdError']);
  assert.ok(Math.abs(s.reduce((a, r) => a + r.conversions, 0) - 59) < 1e-9);
  assert.deepEqual(Object.keys(markov(t)[0]), ['channel', 'removalEffect', 'removalEffectValue', 'conversions', 'value']);
  const sampled = fit.shapley({ method: 'sampled', permutations: 50, seed: 2 });
  assert.ok(sampled.every((r) => r.conversionsStdError >= 0));
  const o = orderedShapley(t);
  assert.ok(Array.isArray(o[0].conversions));
  // same seed, same numbers
  assert.deepEqual(markov(t, { ci: { replicates: 30, seed: 9 } }), markov(t, { ci: { replicates: 30, seed: 9 } }));
});
