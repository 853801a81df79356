// Runs every shared vector under tests/vectors/attribution/ against the WebAssembly build, with
// the semantics of the Rust runner core/tests/vectors_attribution.rs: "NaN"/"Infinity" strings
// in inputs, tolerance |got - want| <= abs + rel * |want|, `expected.error` compared with
// `err.code`, channels matched by name, scalars (conversion_probability) from FittedMarkov.
// Each vector runs twice: columns as plain arrays and as Float64Arrays.
//
//   node --test test/        (after wasm-bindgen wrote pkg/; test.sh does both)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

import { init, attribution, errorCodes } from '../js/index.js';

await init();

const dir = new URL('../../tests/vectors/attribution/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function num(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

function markovSpec(params) {
  return { order: params.order ?? 1, horizon: params.horizon ?? null, useNulls: params.use_nulls ?? true };
}

/** Calls the binding; returns { channels, columns: {camelKey: number[]}, scalars }. */
function run(fn, input, params, typed) {
  const col = (xs) => (xs === undefined ? undefined : typed ? Float64Array.from(xs.map(num)) : xs.map(num));
  const table = {
    path: input.path,
    conversions: col(input.conversions),
    nulls: col(input.nulls),
    value: col(input.value),
  };
  const sep = input.sep ?? '>';
  const byChannel = (rows) => {
    const channels = rows.map((r) => r.channel);
    const columns = {};
    for (const r of rows) {
      for (const [k, v] of Object.entries(r)) {
        if (k !== 'channel') (columns[k] ??= []).push(v);
      }
    }
    return { channels, columns };
  };
  switch (fn) {
    case 'attribution.heuristics': {
      const opts = { sep };
      if (params.u_shaped) opts.uShaped = params.u_shaped.map(num);
      if (params.w_shaped) opts.wShaped = params.w_shaped.map(num);
      return { ...byChannel(attribution.heuristics(table, opts)), scalars: {} };
    }
    case 'attribution.markov': {
      // Both entry points: the function (rows) and the class (rows + chain scalars).
      const rows = attribution.markov(table, { sep, ...markovSpec(params) });
      const fit = new attribution.Markov(markovSpec(params)).fit(table, { sep });
      assert.deepEqual(fit.credit(), rows);
      return { ...byChannel(rows), scalars: { conversionProbability: fit.conversionProbability } };
    }
    case 'attribution.shapley': {
      const game = params.game ?? 'subset';
      if (game === 'subset') return { ...byChannel(attribution.shapley(table, { sep })), scalars: {} };
      if (game !== 'markov') throw new Error(`unknown game ${game}`);
      const fit = new attribution.Markov(markovSpec(params)).fit(table, { sep });
      const method = params.method ?? 'exact';
      const opts = method === 'sampled' ? { method, permutations: params.permutations, seed: params.seed } : { method };
      return { ...byChannel(fit.shapley(opts)), scalars: {} };
    }
    default:
      throw new Error(`no runner for function ${JSON.stringify(fn)}`);
  }
}

function check(v, typed) {
  assert.ok(typeof v.source === 'string' && v.source.length > 0, 'vector names no source');
  const expected = v.expected;
  let got;
  let err;
  try {
    got = run(v.function, v.input, v.params ?? {}, typed);
  } catch (e) {
    err = e;
  }
  if (typeof expected.error === 'string') {
    assert.ok(err, `expected error ${expected.error}, got a result`);
    assert.ok(err instanceof Error, 'errors are Error instances');
    assert.equal(err.code, expected.error, `expected error ${expected.error}, got ${err.code} (${err.message})`);
    assert.ok(errorCodes().includes(err.code));
    return 1;
  }
  if (err) throw new Error(`unexpected error ${err.code}: ${err.message}`);
  const abs = v.tolerance?.abs === undefined ? 0 : num(v.tolerance.abs);
  const rel = v.tolerance?.rel === undefined ? 0 : num(v.tolerance.rel);
  const close = (g, e) => Math.abs(g - e) <= abs + rel * Math.abs(e);
  const want = expected.channel;
  assert.ok(Array.isArray(want), 'expected.channel missing');
  let checked = 0;
  for (const [key, col] of Object.entries(expected)) {
    if (key === 'channel') continue;
    const k = camel(key);
    if (k in got.scalars) {
      const [g, e] = [got.scalars[k], num(col)];
      assert.ok(close(g, e), `${key}: got ${g}, expected ${e}`);
      checked += 1;
      continue;
    }
    const gcol = got.columns[k];
    assert.ok(gcol, `no column ${key} (${k})`);
    assert.equal(col.length, want.length, `${key}: ${col.length} values for ${want.length} channels`);
    want.forEach((ch, j) => {
      const i = got.channels.indexOf(ch);
      assert.ok(i >= 0, `channel ${ch} missing`);
      const [g, e] = [gcol[i], num(col[j])];
      assert.ok(close(g, e), `${key}[${ch}]: got ${g}, expected ${e} (tol abs ${abs}, rel ${rel})`);
      checked += 1;
    });
  }
  assert.equal(got.channels.length, want.length, `got ${got.channels.length} channels, expected ${want.length}`);
  assert.ok(checked > 0, 'vector checks nothing');
  return checked;
}

test('the vector folder is not empty', () => {
  assert.ok(files.length > 0, `no vectors in ${dir}`);
});

for (const f of files) {
  const v = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
  test(`${f} (arrays)`, () => { check(v, false); });
  test(`${f} (Float64Array)`, () => { check(v, true); });
}

// parsePathCsv with the core's reader gives the same table, hence the same numbers.
test('parsePathCsv round trip reproduces a Markov vector', () => {
  const v = JSON.parse(readFileSync(new URL('markov_synthetic8_o1_exact.json', dir), 'utf8'));
  const { path, conversions, nulls, value } = v.input;
  const q = (s) => `"${s.replaceAll('"', '""')}"`;
  const csv = ['path,conversions,nulls,value',
    ...path.map((p, i) => [q(p), conversions[i], nulls[i], value[i]].join(','))].join('\n');
  const table = attribution.parsePathCsv(csv, { sep: '>' });
  assert.ok(table.conversions instanceof Float64Array);
  assert.equal(table.path.length, path.length);
  const rows = attribution.markov(table, { order: 1 });
  v.expected.channel.forEach((ch, j) => {
    const r = rows.find((x) => x.channel === ch);
    assert.ok(Math.abs(r.conversions - v.expected.conversions[j]) <= 1e-9, ch);
    assert.ok(Math.abs(r.removalEffect - v.expected.removal_effect[j]) <= 1e-9, ch);
  });
});
