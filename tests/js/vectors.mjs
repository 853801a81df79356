// The one JS runner of the shared vectors, used by the Node binding (bindings-node/test/) and
// the WebAssembly build (bindings-wasm/test/), which expose the same names and shapes. It walks
// EVERY file under <repo>/tests/vectors/ (attribution, journey, stats, forecast) with the
// semantics of the Rust runners (core/tests/vectors_*.rs): "NaN"/"Infinity"/"-Infinity" strings
// in inputs are numbers, numbers are compared with |got - want| <= abs + rel * |want|, and
// `expected.error` is compared with the thrown `code`. Path-table and series vectors run twice:
// columns as plain arrays and as Float64Arrays.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Registers one node:test per vector file.
 * @param {{ attribution, journey, stats, forecast, errorCodes: () => string[] }} api the binding
 */
export function runVectors({ attribution, journey, stats, forecast, errorCodes }) {
  // CHANNELWISE_VECTORS points the runner at another folder (used to check the runner itself).
  const root = process.env.CHANNELWISE_VECTORS ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

  function walk(dir) {
    return readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const p = join(dir, name);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
  }

  const NON_FINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

  /** A vector number: a JSON number or one of the non-finite strings. */
  function num(v) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v];
    throw new Error(`not a number: ${JSON.stringify(v)}`);
  }

  const nums = (v) => (v === undefined ? undefined : v.map(num));
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

  // ---------------------------------------------------------------------------------------------
  // attribution.* on path tables

  function table(input, typed) {
    const col = (v) => (v === undefined ? undefined : typed ? Float64Array.from(nums(v)) : nums(v));
    return {
      path: input.path,
      conversions: col(input.conversions),
      nulls: col(input.nulls),
      value: col(input.value),
    };
  }

  function markovSpec(params) {
    return {
      order: params.order ?? 1,
      horizon: params.horizon ?? null,
      useNulls: params.use_nulls ?? true,
    };
  }

  /** Runs one attribution vector: `{ channels, columns: {snake_name: values}, scalars }`. */
  function runAttribution(fn, input, params, typed) {
    const t = table(input, typed);
    const sep = input.sep ?? '>';
    const rowsToColumns = (rows, names) => ({
      channels: rows.map((r) => r.channel),
      columns: Object.fromEntries(names.map((n) => [n, rows.map((r) => r[camel(n)])])),
      scalars: {},
    });
    switch (fn) {
      case 'attribution.heuristics': {
        const options = { sep };
        if (params.u_shaped) options.uShaped = nums(params.u_shaped);
        if (params.w_shaped) options.wShaped = nums(params.w_shaped);
        const names = ['first_touch', 'last_touch', 'linear', 'u_shaped', 'w_shaped'].flatMap((m) => [
          `${m}_conversions`,
          `${m}_value`,
        ]);
        return rowsToColumns(attribution.heuristics(t, options), names);
      }
      case 'attribution.markov': {
        const spec = markovSpec(params);
        const names = ['removal_effect', 'removal_effect_value', 'conversions', 'value'];
        const got = rowsToColumns(attribution.markov(t, { ...spec, sep }), names);
        // The class gives the same credit and the scalar the vectors check.
        const fitted = new attribution.Markov(spec).fit(t, { sep });
        assert.deepEqual(fitted.credit(), attribution.markov(t, { ...spec, sep }));
        got.scalars.conversion_probability = fitted.conversionProbability;
        return got;
      }
      case 'attribution.shapley': {
        const game = params.game ?? 'subset';
        let rows;
        if (game === 'subset') {
          rows = attribution.shapley(t, { sep });
        } else if (game === 'markov') {
          const fitted = new attribution.Markov(markovSpec(params)).fit(t, { sep });
          const method = params.method ?? 'exact';
          rows = fitted.shapley(
            method === 'exact' ? { method } : { method, permutations: params.permutations, seed: params.seed },
          );
        } else {
          throw new Error(`unknown game ${game}`);
        }
        return rowsToColumns(rows, ['conversions', 'value']);
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  function checkAttribution(v, typed) {
    const tol = v.tolerance ?? {};
    const abs = tol.abs === undefined ? 0 : num(tol.abs);
    const rel = tol.rel === undefined ? 0 : num(tol.rel);
    const close = (g, e) => Math.abs(g - e) <= abs + rel * Math.abs(e);
    const got = runAttribution(v.function, v.input, v.params ?? {}, typed);
    const want = v.expected;
    assert.ok(Array.isArray(want.channel), 'expected.channel missing');
    let checked = 0;
    for (const [key, col] of Object.entries(want)) {
      if (key === 'channel') continue;
      if (key in got.scalars) {
        const g = got.scalars[key];
        const e = num(col);
        assert.ok(close(g, e), `${key}: got ${g}, expected ${e}`);
        checked += 1;
        continue;
      }
      const gcol = got.columns[key];
      assert.ok(gcol, `no column ${key}`);
      assert.equal(col.length, want.channel.length, `${key}: ${col.length} values for ${want.channel.length} channels`);
      want.channel.forEach((ch, j) => {
        const i = got.channels.indexOf(ch);
        assert.ok(i >= 0, `channel ${ch} missing`);
        const g = gcol[i];
        const e = num(col[j]);
        assert.ok(close(g, e), `${key}[${ch}]: got ${g}, expected ${e} (tol abs ${abs}, rel ${rel})`);
        checked += 1;
      });
    }
    assert.equal(got.channels.length, want.channel.length, 'channel count');
    assert.ok(checked > 0, 'vector checks nothing');
    return checked;
  }

  // ---------------------------------------------------------------------------------------------
  // journey.* and attribution.time_decay on event columns

  const optional = (col) => (col === undefined ? undefined : col);

  function events(input) {
    const t = input.touchpoints;
    const c = input.conversions;
    return [
      {
        userId: t.user_id,
        timestamp: t.timestamp,
        channel: t.channel,
        campaign: optional(t.campaign),
        cost: optional(t.cost),
        eventId: optional(t.event_id),
      },
      {
        userId: c.user_id,
        timestamp: c.timestamp,
        value: optional(c.value),
        eventId: optional(c.event_id),
        type: optional(c.type),
      },
    ];
  }

  function journeyOptions(params) {
    const o = {};
    if (params.lookback !== undefined) o.lookback = params.lookback;
    o.sessionGap = params.session_gap ?? null;
    if (params.level !== undefined) o.level = params.level;
    if (params.lead_kind !== undefined) o.leadKind = params.lead_kind;
    return o;
  }

  function checkJourney(v) {
    const abs = v.tolerance?.abs ?? 1e-9;
    const params = v.params ?? {};
    const [touches, conversions] = events(v.input);
    const want = v.expected;
    const near = (name, g, w) => assert.ok(Math.abs(g - w) <= abs, `${name}: got ${g}, want ${w}`);
    const columns = (got) => {
      for (const [name, values] of Object.entries(got)) {
        if (!(name in want)) continue;
        assert.equal(want[name].length, values.length, `${name} length`);
        values.forEach((g, i) => near(`${name}[${i}]`, g, want[name][i]));
      }
    };
    if (v.function === 'journey.path_table') {
      const t = journey.pathTable(touches, conversions, journeyOptions(params));
      const keyed = 'key_touch' in want;
      const rows = [];
      t.path.forEach((path, i) => {
        const key = keyed ? t.keyTouch[i] : null;
        const r = rows.find((x) => x.path === path && x.key === key);
        if (r) {
          r.c += t.conversions[i];
          r.n += t.nulls[i];
          r.v += t.value[i];
        } else {
          rows.push({ path, key, c: t.conversions[i], n: t.nulls[i], v: t.value[i] });
        }
      });
      const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
      rows.sort((a, b) => cmp(a.path, b.path) || cmp(a.key ?? -1, b.key ?? -1));
      assert.deepEqual(rows.map((r) => r.path), want.path, 'paths');
      if (keyed) assert.deepEqual(rows.map((r) => r.key), want.key_touch, 'key_touch');
      columns({ conversions: rows.map((r) => r.c), nulls: rows.map((r) => r.n), value: rows.map((r) => r.v) });
      for (const [k, w] of Object.entries(want.report ?? {})) {
        const g = t.report[camel(k)];
        assert.equal(typeof g, 'number', `report has no field ${k}`);
        assert.ok(Math.abs(g - w) <= 1e-9, `report.${k}: got ${g}, want ${w}`);
      }
    } else if (v.function === 'attribution.time_decay') {
      const options = journeyOptions(params);
      if (params.half_life_seconds !== undefined) options.halfLifeSeconds = params.half_life_seconds;
      const rows = attribution.timeDecay(touches, conversions, options);
      assert.deepEqual(rows.map((r) => r.channel), want.channel, 'channels');
      columns({ conversions: rows.map((r) => r.conversions), value: rows.map((r) => r.value) });
    } else {
      throw new Error(`unknown function ${v.function}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // stats.* and forecast.* on series: named results, as core/tests/vectors_stats.rs names them

  /** The rolling-origin vectors' named models, as JS callbacks (the Rust runner defines them in
   * its closure too: the core has no baseline models). */
  function baseline(name) {
    if (name === 'naive') return (train, h) => new Array(h).fill(train[train.length - 1]);
    if (name === 'mean') return (train, h) => new Array(h).fill(train.reduce((a, b) => a + b, 0) / train.length);
    throw new Error(`unknown rolling-origin model ${name}`);
  }

  /** Runs one stats/forecast vector; `typed` passes series as Float64Array instead of arrays. */
  function runSeries(fn, input, params, typed) {
    const s = (key) => {
      assert.ok(Array.isArray(input[key]), `input.${key} missing`);
      const xs = nums(input[key]);
      return typed ? new Float64Array(xs) : xs;
    };
    const m = forecast.metrics;
    const value = (v) => ({ value: v });
    switch (fn) {
      case 'stats.pearson':
      case 'stats.spearman':
      case 'stats.kendall': {
        const r = stats[fn.slice(6)](s('x'), s('y'));
        return { statistic: r.statistic, p_value: r.pValue, n: r.n };
      }
      case 'stats.cross_correlation':
        return stats.crossCorrelation(s('x'), s('y'), params.max_lag);
      case 'stats.mann_kendall': {
        const r = stats.mannKendall(s('x'), { alpha: num(params.alpha) });
        return { ...r, var_s: r.varS };
      }
      case 'stats.theil_sen': {
        const r = stats.theilSen(s('x'), s('y'), { alpha: num(params.alpha) });
        return { slope: r.slope, intercept: r.intercept, low_slope: r.lowSlope, high_slope: r.highSlope };
      }
      case 'forecast.mae':
      case 'forecast.rmse':
      case 'forecast.mape':
      case 'forecast.smape':
        return value(m[fn.slice(9)](s('actual'), s('predicted')));
      case 'forecast.mase':
        return value(m.mase(s('actual'), s('predicted'), s('insample'), { m: params.m }));
      case 'forecast.coverage':
        return value(m.coverage(s('actual'), s('lower'), s('upper')));
      case 'forecast.winkler':
        return value(m.winkler(s('actual'), s('lower'), s('upper'), num(params.alpha)));
      case 'forecast.rolling_origin': {
        const cv = new forecast.RollingOrigin(params.initial, params.horizon, params.step);
        const r = cv.evaluate(s('y'), baseline(params.model));
        assert.equal(r.errors.length, r.origins.length, 'one row of errors per fold');
        return r;
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  function checkSeries(v, typed) {
    const tol = v.tolerance ?? {};
    const abs = tol.abs === undefined ? 0 : num(tol.abs);
    const rel = tol.rel === undefined ? 0 : num(tol.rel);
    const near = (key, g, w) => {
      assert.equal(typeof g, 'number', `${key}: got ${g}`);
      assert.ok(Number.isFinite(g) && Math.abs(g - w) <= abs + rel * Math.abs(w), `${key}: got ${g}, expected ${w} (tol abs ${abs}, rel ${rel})`);
    };
    const got = runSeries(v.function, v.input, v.params ?? {}, typed);
    let checked = 0;
    for (const [key, want] of Object.entries(v.expected)) {
      assert.ok(key in got, `no result ${key}`);
      const g = got[key];
      if (Array.isArray(want)) {
        assert.equal(g.length, want.length, `${key}: got ${g.length} values, expected ${want.length}`);
        want.forEach((w, i) => near(`${key}[${i}]`, g[i], num(w)));
        checked += want.length;
      } else if (typeof want === 'boolean' || (typeof want === 'string' && !(want in NON_FINITE))) {
        assert.equal(g, want, key);
        checked += 1;
      } else {
        near(key, g, num(want));
        checked += 1;
      }
    }
    assert.ok(checked > 0, 'vector checks nothing');
    return checked;
  }

  const isSeries = (fn) => fn.startsWith('stats.') || fn.startsWith('forecast.');

  // ---------------------------------------------------------------------------------------------

  const files = walk(root).filter((p) => p.endsWith('.json'));

  test('the vector folder holds attribution, journey, stats and forecast vectors', () => {
    for (const dir of ['attribution', 'journey', 'stats', 'forecast']) {
      assert.ok(files.some((f) => f.includes(`${join('vectors', dir)}`)), `no ${dir} vectors`);
    }
    assert.ok(files.length >= 10, `only ${files.length} vectors found under ${root}`);
  });

  for (const file of files) {
    const name = relative(root, file);
    test(`vector ${name}`, () => {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      assert.ok(typeof v.source === 'string' && v.source.length > 0, 'vector names no source');
      // Series and path-table vectors run twice: from number[] and from Float64Array.
      const runs = isSeries(v.function)
        ? [() => checkSeries(v, false), () => checkSeries(v, true)]
        : v.function.startsWith('journey.') || v.function === 'attribution.time_decay'
          ? [() => checkJourney(v)]
          : [() => checkAttribution(v, false), () => checkAttribution(v, true)];
      const kind = v.expected?.error;
      for (const run of runs) {
        if (kind !== undefined) {
          assert.throws(run, (err) => {
            assert.ok(err instanceof Error, 'throws an Error');
            assert.equal(err.code, kind, `expected error ${kind}, got ${err.code} (${err.message})`);
            assert.ok(errorCodes().includes(err.code));
            return true;
          });
        } else {
          run();
        }
      }
    });
  }
}
