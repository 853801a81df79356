// The one JS runner of the shared vectors, used by the Node binding (bindings-node/test/) and
// the WebAssembly build (bindings-wasm/test/), which expose the same names and shapes. It walks
// EVERY file under <repo>/tests/vectors/ (attribution, journey, stats, forecast, anomaly, clv, leads,
// optimize, platform, experiment, decide) with the
// semantics of the Rust runners (core/tests/vectors_*.rs): "NaN"/"Infinity"/"-Infinity" strings
// in inputs are numbers, numbers are compared with |got - want| <= abs + rel * |want|, and
// `expected.error` is compared with the thrown `code`. Path-table and series vectors run twice:
// columns as plain arrays and as Float64Arrays (isolation forest matrices: as rows, number[][],
// and as a flat row-major Float64Array with nFeatures). Multi-period plans (`optimize.plan`) run
// from plain objects and number[], then from Saturation/Adstock instances and Float64Array.
// Budget vectors (`optimize.allocate`) run
// with their curves as plain objects and as `optimize.Saturation` instances. Media mix model
// vectors (`optimize.mmm`, core/tests/vectors_mmm.rs) fit `new optimize.MMM(options).fit(data)`
// with the columns as arrays and as Float64Arrays and are compared by their `"check": "within"`
// rule: each channel's `summary()[i].share` lies inside [share_lo[i], share_hi[i]] (the
// reference's interval) and within tolerance.abs of share[i] (its mean).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Registers one node:test per vector file.
 * @param {{ attribution, journey, stats, forecast, anomaly, optimize, errorCodes: () => string[] }} api the binding
 */
export function runVectors({ attribution, journey, stats, forecast, anomaly, optimize, glm, clv, leads, platform, experiment, decide, errorCodes }) {
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

  /** The vector's path table as columns (`typed`: numbers as Float64Array), or as rows
   * (`typed === 'rows'`: one object per row, without the columns the vector leaves out). */
  function table(input, typed) {
    const col = (v) => (v === undefined ? undefined : typed === true ? Float64Array.from(nums(v)) : nums(v));
    const t = {
      path: input.path,
      conversions: col(input.conversions),
      nulls: col(input.nulls),
      value: col(input.value),
    };
    return typed === 'rows' ? asRows(t) : t;
  }

  /** A table's columns as rows, the columns left out (`undefined`) in no row. */
  function asRows(cols) {
    const given = Object.entries(cols).filter(([, c]) => c !== undefined && c !== null);
    return Array.from(given[0][1], (_, i) => Object.fromEntries(given.map(([k, c]) => [k, c[i]])));
  }

  /** Whether a vector's tables can be given as rows: one row at least, each column as long. */
  function rowable(columns) {
    const lengths = Object.values(columns).filter((c) => c !== undefined && c !== null).map((c) => c.length);
    return lengths.length > 0 && lengths[0] > 0 && lengths.every((n) => n === lengths[0]);
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

  function checkJourney(v, byRows = false) {
    const abs = v.tolerance?.abs ?? 1e-9;
    const params = v.params ?? {};
    const [touches, conversions] = events(v.input).map((t) => (byRows ? asRows(t) : t));
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
  // stats.*, forecast.* and anomaly.* on series: named results, as the Rust runners name them
  // (core/tests/vectors_stats.rs, vectors_ets.rs, vectors_decompose.rs, vectors_iforest.rs)

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
      case 'forecast.auto_ets': {
        // core/tests/vectors_ets.rs: AutoEts(season_length).model(..).damped(..), then
        // forecast(h, levels); results by name, intervals as lo_<level> / hi_<level>.
        const fit = new forecast.AutoEts({
          seasonLength: params.season_length,
          model: params.model,
          damped: params.damped ?? null,
        }).fit(s('y'));
        const levels = nums(params.levels);
        const f = fit.predict(params.h, { level: levels });
        assert.equal(f.intervals.length, levels.length, 'one interval per level');
        assert.equal(typeof f.simulated, 'boolean', 'simulated is a boolean');
        assert.equal(fit.fitted.length, input.y.length, 'one fitted value per observation');
        const out = {
          model: fit.model,
          aicc: fit.aicc,
          aic: fit.aic,
          bic: fit.bic,
          loglik: fit.logLik,
          sigma2: fit.sigma2,
          alpha: fit.params.alpha,
          mean: f.mean,
        };
        f.intervals.forEach((iv, i) => {
          assert.equal(iv.level, levels[i], 'intervals come in the order of the levels');
          out[`lo_${iv.level}`] = iv.lower;
          out[`hi_${iv.level}`] = iv.upper;
        });
        return out;
      }
      case 'forecast.stl':
      case 'forecast.strength': {
        // core/tests/vectors_decompose.rs: Stl::new(period) with the optional STL fields.
        const r = forecast.stl(s('y'), { period: params.period, ...stlOptions(params) });
        if (fn === 'forecast.strength') return { seasonal_strength: r.seasonalStrength, trend_strength: r.trendStrength };
        return { trend: r.trend, seasonal: r.seasonal, resid: r.resid, weights: r.weights };
      }
      case 'forecast.mstl': {
        const options = { periods: params.periods, ...stlOptions(params) };
        if (params.windows !== undefined) options.windows = params.windows;
        if (params.iterate !== undefined) options.iterate = params.iterate;
        if (params.lmbda !== undefined) options.lmbda = num(params.lmbda);
        const r = forecast.mstl(s('y'), options);
        assert.equal(r.seasonal.length, r.periods.length, 'one seasonal component per period');
        const out = { trend: r.trend, resid: r.resid, weights: r.weights };
        Array.from(r.periods).forEach((per, i) => {
          out[`seasonal_${per}`] = r.seasonal[i];
        });
        return out;
      }
      case 'anomaly.mad': {
        const x = s('x');
        const r = anomaly.madOutliers(x, { threshold: num(params.threshold) });
        const m = anomaly.mad(x);
        assert.ok(Math.abs(m - r.mad) <= 1e-12 * (1 + Math.abs(r.mad)), `mad(x) ${m} differs from madOutliers(x).mad ${r.mad}`);
        const outliers = Array.from(r.outliers);
        return { median: r.median, mad: r.mad, scale: r.scale, scores: r.scores, outliers, n_outliers: outliers.length };
      }
      case 'anomaly.hampel': {
        const r = anomaly.hampel(s('x'), { halfWindow: params.half_window, nSigmas: num(params.n_sigmas) });
        const outliers = Array.from(r.outliers);
        return { filtered: r.filtered, outliers, n_outliers: outliers.length, medians: r.medians, scales: r.scales };
      }
      case 'anomaly.esd': {
        const r = anomaly.esd(s('x'), { maxAnoms: num(params.max_anoms), alpha: num(params.alpha), direction: params.direction });
        return esdResult(r);
      }
      case 'anomaly.seasonal_esd': {
        const r = anomaly.seasonalEsd(s('x'), {
          period: params.period,
          maxAnoms: num(params.max_anoms),
          alpha: num(params.alpha),
          direction: params.direction,
        });
        return { ...esdResult(r), seasonal: r.seasonal, median: r.median };
      }
      case 'anomaly.residual_alerts': {
        const alerts = anomaly.residualAlerts(
          { actual: s('actual'), expected: s('expected'), lower: s('lower'), upper: s('upper') },
          { level: num(params.level) },
        );
        return {
          index: alerts.map((a) => a.index),
          score: alerts.map((a) => a.score),
          direction: alerts.map((a) => {
            assert.ok(a.direction === 'above' || a.direction === 'below', `direction ${a.direction}`);
            return a.direction === 'above' ? 1 : -1;
          }),
        };
      }
      case 'anomaly.average_path_length':
        return { value: input.n.map((n) => anomaly.averagePathLength(n)) };
      case 'anomaly.isolation_forest':
        return isolationForest(input, params, typed);
      case 'optimize.saturation': {
        // core/tests/vectors_optimize.rs: the kind's parameters by name (Robyn's Hill from
        // alpha, gamma and the series x_fit); value, derivative and the inverse marginal.
        const curve = params.kind === 'robyn_hill'
          ? optimize.Saturation.robynHill(num(params.alpha), num(params.gamma), s('x_fit'))
          : new optimize.Saturation(curveSpec(params));
        const out = { value: curve.value(s('x')), derivative: curve.derivative(s('x')) };
        if (input.m !== undefined) out.inverse_marginal = curve.inverseMarginal(s('m'));
        return out;
      }
      case 'optimize.adstock': {
        const adstock = new optimize.Adstock({ normalize: false, ...curveSpec(params) });
        const pre = input.pre === undefined ? undefined : s('pre');
        return { value: adstock.apply(s('x'), pre), weights: adstock.weights() };
      }
      case 'optimize.allocate':
        return allocate(input, params, typed);
      case 'optimize.bids':
        return bids(input, params);
      case 'optimize.plan':
        return plan(input, params, typed);
      case 'glm.logistic':
        return logistic(input, params, typed);
      default:
        if (fn.startsWith('clv.')) return runClv(fn, input, params, typed);
        if (fn.startsWith('leads.')) return runLeads(fn, input, params, typed);
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /**
   * A budget vector through `optimize.allocate`: the vector's channels with their curves as
   * plain objects, and (the second run, `asClass`) as `optimize.Saturation` instances; the
   * options in camelCase (scenario kinds too). Spend per channel in input order and the totals.
   */
  function allocate(input, params, asClass) {
    const channels = input.channels.map((c) => {
      const out = { name: c.name, curve: curveSpec(c.curve) };
      if (asClass) {
        // a kind the core does not know stays an object: its error is the constructor's then
        try {
          out.curve = new optimize.Saturation(out.curve);
        } catch {
          /* the allocator reports it */
        }
      }
      for (const k of ['lower', 'upper', 'current']) if (c[k] !== undefined && c[k] !== null) out[k] = num(c[k]);
      if (c.locked !== undefined) out.locked = c.locked;
      if (c.draws) out.draws = c.draws.map((d) => (asClass ? new optimize.Saturation(curveSpec(d)) : curveSpec(d)));
      return out;
    });
    const options = { spendAll: params.spend_all ?? true, tolerance: num(params.tolerance ?? 1e-6) };
    if (params.budget !== undefined && params.budget !== null) options.budget = num(params.budget);
    if (params.max_change) {
      options.maxChange = Object.fromEntries(Object.entries(params.max_change).map(([k, v]) => [k, num(v)]));
    }
    if (params.scenario) {
      options.scenario = { kind: camel(params.scenario.kind) };
      if (params.scenario.value !== undefined) options.scenario.value = num(params.scenario.value);
    }
    if (params.objective) {
      options.objective = params.objective.kind === 'cvar' ? { kind: 'cvar', level: num(params.objective.level) } : params.objective.kind;
    }
    const a = optimize.allocate(channels, options);
    assert.deepEqual(a.rows.map((r) => r.channel), input.channels.map((c) => c.name));
    const spent = a.rows.reduce((t, r) => t + r.spend, 0);
    assert.ok(Math.abs(spent - a.totalSpend) <= 1e-9 * Math.max(1, a.totalSpend), 'rows sum to totalSpend');
    const out = { spend: a.rows.map((r) => r.spend), total_response: a.totalResponse, total_spend: a.totalSpend };
    if (a.cvar !== null && a.cvar !== undefined) out.cvar = a.cvar;
    return out;
  }

  /**
   * A multi-period vector through `optimize.plan`: the vector's channels with curve and adstock
   * as plain objects and `pre` as number[], or (the second run, `asClass`) as
   * `optimize.Saturation` / `optimize.Adstock` instances with `pre` and the budgets as
   * Float64Array. Spend per channel per period and the total.
   */
  function plan(input, params, asClass) {
    const arr = (xs) => (asClass ? Float64Array.from(nums(xs)) : nums(xs));
    const channels = input.channels.map((c) => {
      const out = { name: c.name, curve: curveSpec(c.curve), adstock: curveSpec(c.adstock) };
      if (asClass) {
        out.curve = new optimize.Saturation(out.curve);
        out.adstock = new optimize.Adstock(out.adstock);
      }
      out.pre = arr(c.pre);
      out.lower = num(c.lower);
      out.upper = num(c.upper);
      out.saturationFirst = c.saturation_first;
      return out;
    });
    const options = { tail: params.tail, tolerance: num(params.tolerance) };
    if (params.budgets !== undefined) options.budgets = arr(params.budgets);
    else Object.assign(options, { periods: params.periods, total: num(params.total) });
    if (params.profile !== null && params.profile !== undefined) options.profile = arr(params.profile);
    const p = optimize.plan(channels, options);
    assert.deepEqual(p.channels, input.channels.map((c) => c.name));
    const counted = p.response.reduce((t, r) => t + r.reduce((a, b) => a + b, 0), 0) + p.tail.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(counted - p.totalResponse) <= 1e-9 * Math.max(1, Math.abs(p.totalResponse)), 'responses and tail sum to the total');
    return { spend: p.spend, total_response: p.totalResponse };
  }

  /** A curve's object from a vector's snake_case params: `kind`, booleans and whole `l_max` as
   * they are, every other value a number (`"NaN"` included). */
  function curveSpec(params) {
    const o = {};
    for (const [k, v] of Object.entries(params)) {
      o[camel(k)] = k === 'kind' || typeof v === 'boolean' || k === 'l_max' ? v : num(v);
    }
    return o;
  }

  /** STL options from a vector's snake_case params (absent = default; `period` and MSTL's own
   * fields are handled by the caller). */
  function stlOptions(params) {
    const names = [
      'seasonal', 'trend', 'low_pass', 'seasonal_deg', 'trend_deg', 'low_pass_deg', 'robust',
      'seasonal_jump', 'trend_jump', 'low_pass_jump', 'inner_iter', 'outer_iter',
    ];
    const o = {};
    for (const n of names) if (params[n] !== undefined) o[camel(n)] = params[n];
    return o;
  }

  function esdResult(r) {
    assert.equal(r.anomalies.length, r.nAnomalies, 'one anomaly object per anomaly');
    assert.deepEqual(Array.from(r.anomalies, (a) => a.index), Array.from(r.indices), 'indices are the anomalies\' indices');
    return {
      indices: Array.from(r.indices),
      n_anomalies: r.nAnomalies,
      statistics: r.statistics,
      critical_values: r.criticalValues,
      removed: Array.from(r.removed),
    };
  }

  /** ROC AUC of `score` (higher = more anomalous) against 0/1 labels: Mann-Whitney with tied
   * scores averaged (as sklearn.metrics.roc_auc_score and core/tests/vectors_iforest.rs). */
  function rocAuc(score, labels) {
    const order = Array.from(score.keys()).sort((a, b) => score[a] - score[b]);
    let rankSumPos = 0;
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && score[order[j + 1]] === score[order[i]]) j += 1;
      const midRank = (i + j) / 2 + 1;
      for (let k = i; k <= j; k += 1) if (labels[order[k]] === 1) rankSumPos += midRank;
      i = j + 1;
    }
    const nPos = labels.filter((l) => l === 1).length;
    const nNeg = labels.length - nPos;
    return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
  }

  /** A flat row-major matrix as the binding takes it: `typed` gives `[Float64Array, nFeatures]`,
   * otherwise rows (`number[][]`, a short last row when the length is not a multiple) without
   * nFeatures. With no columns there are no rows to make, so it stays flat. */
  function matrix(flat, nFeatures, typed) {
    const xs = nums(flat);
    if (typed || nFeatures === 0) return [Float64Array.from(xs), nFeatures];
    const rows = [];
    for (let i = 0; i < xs.length; i += nFeatures) rows.push(xs.slice(i, i + nFeatures));
    return [rows];
  }

  function isolationForest(input, params, typed) {
    const options = {
      nEstimators: params.n_estimators,
      maxSamples: params.max_samples_fraction !== undefined ? { fraction: num(params.max_samples_fraction) } : params.max_samples,
      contamination: params.contamination === 'auto' ? 'auto' : num(params.contamination),
      bootstrap: params.bootstrap,
      seed: params.seed,
    };
    if (params.max_features_fraction !== undefined) options.maxFeatures = num(params.max_features_fraction);
    const x = matrix(input.x, input.n_features, typed);
    const model = new anomaly.IsolationForest(options).fit(...x);
    if (input.x_score !== undefined) model.scoreSamples(...matrix(input.x_score, input.n_features_score, typed));
    const scores = model.scoreSamples(...x);
    const decision = model.decisionFunction(...x);
    const predicted = model.predict(...x);
    assert.ok(predicted instanceof Int8Array, 'predict gives an Int8Array');
    let nFlagged = 0;
    decision.forEach((d, i) => {
      assert.ok(Math.abs(d - (scores[i] - model.offset)) <= 1e-12, 'decision = score - offset');
      assert.equal(predicted[i], d < 0 ? -1 : 1, 'predict is -1 exactly where the decision is negative');
      if (d < 0) nFlagged += 1;
    });
    return { auc: rocAuc(Array.from(scores, (v) => -v), input.labels), n_flagged: nFlagged, offset: model.offset };
  }

  /**
   * glm.logistic (core/tests/vectors_glm.rs): coefficients, intercept and P(y = 1) on the
   * training rows; rows (number[][] or Float64Array[]) and, when not ragged, the flat form with
   * nFeatures agree.
   */
  function logistic(input, params, typed) {
    const rows = input.x.map((r) => (typed ? Float64Array.from(nums(r)) : nums(r)));
    const y = typed ? Float64Array.from(nums(input.y)) : nums(input.y);
    const w = input.sample_weight === undefined ? null : nums(input.sample_weight);
    const spec = new glm.LogisticRegression({
      c: num(params.c),
      penalty: params.penalty,
      fitIntercept: params.fit_intercept,
      l1Ratio: params.l1_ratio === undefined ? undefined : num(params.l1_ratio),
    });
    const fit = spec.fit(rows, y, w);
    const proba = fit.predictProba(rows);
    assert.ok(proba instanceof Float64Array && fit.coef instanceof Float64Array);
    const k = rows[0].length;
    const flat = rows.flatMap((r) => Array.from(r));
    const again = spec.fit(typed ? Float64Array.from(flat) : flat, y, w, k);
    assert.deepEqual(Array.from(again.coef), Array.from(fit.coef), 'flat + nFeatures fits the same model');
    assert.deepEqual(Array.from(again.predictProba(flat)), Array.from(proba), 'flat scoring defaults to the fit\'s columns');
    return { coef: Array.from(fit.coef), intercept: fit.intercept, proba: Array.from(proba) };
  }

  /**
   * optimize.bids (core/tests/vectors_optimize.rs): the level multipliers in first-seen order,
   * then each query's bid and probability.
   */
  function bids(input, params) {
    const t = params.target;
    const options = {
      factors: input.factors,
      target: t.roas !== undefined ? { roas: num(t.roas) } : { cpa: num(t.cpa) },
      c: num(params.c),
      floor: num(params.floor),
      cap: num(params.cap),
    };
    if (params.max_change !== null && params.max_change !== undefined) options.maxChange = num(params.max_change);
    const fit = new optimize.BidModel(options).fit(input.cells.map((c) => ({
      context: c.context, clicks: num(c.clicks), conversions: num(c.conversions), value: num(c.value),
    })));
    const levels = fit.multipliers();
    const out = input.queries.map((q) => fit.bid(q.context, q.current));
    for (const b of out) {
      const product = b.factors.reduce((p, f) => p * f.multiplier, 1);
      assert.ok(Math.abs(product - b.probability / b.baseProbability) <= 1e-12 * product, 'factors multiply out');
    }
    return { multiplier: levels.map((l) => l.multiplier), bid: out.map((b) => b.bid), probability: out.map((b) => b.probability) };
  }

  /**
   * clv.* (core/tests/vectors_clv.rs): fits through the specs (with a toJSON/fromJSON round trip),
   * predictions through the `*Params` classes, RFM through `clv.rfm` / `clv.calibrationAndHoldout`;
   * results named as the Rust runner names them.
   */
  function runClv(fn, input, params, typed) {
    const col = (k) => (input[k] === undefined ? undefined : typed ? Float64Array.from(nums(input[k])) : nums(input[k]));
    const p = (k) => num(params[k]);
    const hist = () => ({ frequency: col('frequency'), recency: col('recency'), T: col('T') });
    const fitted = (fit, cls) => {
      const again = cls.fromJSON(JSON.stringify(fit));
      assert.deepEqual(again.params, fit.params, 'toJSON/fromJSON keeps the parameters');
      assert.deepEqual(Object.keys(fit.stdErrors), Object.keys(fit.params));
      return { ...fit.params, log_likelihood: fit.logLikelihood, std_errors: Object.keys(fit.params).map((k) => fit.stdErrors[k]) };
    };
    // lifetimes' penalizer, where the vector sets one
    const pen = params.penalizer_coef === undefined ? {} : { penalizerCoef: num(params.penalizer_coef) };
    switch (fn) {
      case 'clv.bg_nbd.fit':
        return fitted(new clv.BetaGeo(pen).fit({ ...hist(), weights: col('weights') }), clv.FittedBetaGeo);
      case 'clv.mbg_nbd.fit':
        return fitted(new clv.ModifiedBetaGeo(pen).fit({ ...hist(), weights: col('weights') }), clv.FittedModifiedBetaGeo);
      case 'clv.pareto_nbd.fit':
        return fitted(new clv.ParetoNbd(pen).fit({ ...hist(), weights: col('weights') }), clv.FittedParetoNbd);
      case 'clv.bg_bb.fit':
        return fitted(
          new clv.BetaGeoBetaBinom(pen).fit({ frequency: col('frequency'), recency: col('recency'), nPeriods: col('n_periods'), weights: col('weights') }),
          clv.FittedBetaGeoBetaBinom,
        );
      case 'clv.bg_bb.predict': {
        const m = new clv.BetaGeoBetaBinomParams({ alpha: p('alpha'), beta: p('beta'), gamma: p('gamma'), delta: p('delta') });
        const data = { frequency: col('frequency'), recency: col('recency'), nPeriods: col('n_periods') };
        const xs = Array.from({ length: params.n_periods + 1 }, (_, i) => i);
        const probs = Array.from(m.probabilityOfPurchases(xs, params.n_periods));
        assert.equal(m.probabilityOfPurchases(1, params.n_periods), probs[1], 'one x gives the same as an array');
        return {
          p_alive: Array.from(m.pAlive(data, params.m_periods)),
          expected_purchases: Array.from(m.expectedPurchases(params.m_periods, data)),
          expected_purchases_unconditional: m.expectedPurchasesUnconditional(params.n_periods),
          probability_of_purchases: probs,
        };
      }
      case 'clv.gamma_gamma.fit':
        return fitted(new clv.GammaGamma(pen).fit({ frequency: col('frequency'), monetaryValue: col('monetary_value'), weights: col('weights') }), clv.FittedGammaGamma);
      case 'clv.sbg.fit':
        return fitted(new clv.ShiftedBetaGeo(pen).fit(col('survivors')), clv.FittedShiftedBetaGeo);
      case 'clv.bg_nbd.predict':
      case 'clv.mbg_nbd.predict':
      case 'clv.pareto_nbd.predict': {
        const family = { 'clv.bg_nbd.predict': clv.BetaGeoParams, 'clv.mbg_nbd.predict': clv.ModifiedBetaGeoParams }[fn];
        const m = family
          ? new family({ r: p('r'), alpha: p('alpha'), a: p('a'), b: p('b') })
          : new clv.ParetoNbdParams({ r: p('r'), alpha: p('alpha'), s: p('s'), beta: p('beta') });
        const out = { p_alive: Array.from(m.pAlive(hist())) };
        if (params.horizon !== undefined) {
          out.expected_purchases = Array.from(m.expectedPurchases(p('horizon'), hist()));
          out.expected_purchases_unconditional = m.expectedPurchasesUnconditional(p('t'));
        }
        if (params.n_max !== undefined) {
          const ns = Array.from({ length: params.n_max + 1 }, (_, i) => i);
          out.probability_of_purchases = Array.from(m.probabilityOfPurchases(ns, p('t')));
          assert.equal(m.probabilityOfPurchases(1, p('t')), out.probability_of_purchases[1], 'one n gives the same as an array');
        }
        const x = nums(input.frequency), r = nums(input.recency), t = nums(input.T);
        out.log_likelihood = x.map((_, i) => m.logLikelihoodOf({ frequency: [x[i]], recency: [r[i]], T: [t[i]] }));
        return out;
      }
      case 'clv.gamma_gamma.predict': {
        const gg = new clv.GammaGammaParams({ p: p('p'), q: p('q'), v: p('v') });
        const b = params.bg;
        const bg = new clv.BetaGeoParams({ r: num(b.r), alpha: num(b.alpha), a: num(b.a), b: num(b.b) });
        const data = { ...hist(), monetaryValue: col('monetary_value') };
        const value = gg.clv(bg, data, { months: params.months, discountRate: p('discount_rate'), freq: params.freq });
        return { expected_spend: Array.from(gg.expectedSpend({ frequency: data.frequency, monetaryValue: data.monetaryValue })), clv: Array.from(value) };
      }
      case 'clv.sbg.predict': {
        const m = new clv.ShiftedBetaGeoParams({ alpha: p('alpha'), beta: p('beta') });
        return { survival: Array.from(m.survival(params.periods)), retention: Array.from(m.retention(params.periods)) };
      }
      case 'clv.rfm.summary':
      case 'clv.rfm.calibration_and_holdout': {
        const log = { customerId: input.customer_id, datetime: col('datetime'), monetaryValue: col('monetary_value') };
        const options = { freq: params.freq, freqMultiplier: num(params.freq_multiplier ?? 1) };
        if (params.observation_end !== undefined) options.observationEnd = params.observation_end;
        if (fn === 'clv.rfm.summary') {
          const s = clv.rfm(log, options);
          return { customer_id: s.customerId, frequency: Array.from(s.frequency), recency: Array.from(s.recency), T: Array.from(s.T), monetary_value: Array.from(s.monetaryValue) };
        }
        const c = clv.calibrationAndHoldout(log, params.calibration_end, options);
        return {
          customer_id: c.customerId, frequency_cal: Array.from(c.frequencyCal), recency_cal: Array.from(c.recencyCal), T_cal: Array.from(c.TCal),
          monetary_value_cal: Array.from(c.monetaryValueCal), frequency_holdout: Array.from(c.frequencyHoldout),
          monetary_value_holdout: Array.from(c.monetaryValueHoldout), duration_holdout: c.durationHoldout,
        };
      }
      case 'clv.hyp2f1':
      {
        const r = input.a.map((_, i) => clv.lnHyp2f1(num(input.a[i]), num(input.b[i]), num(input.c[i]), num(input.z[i])));
        return { ln_value: r.map((v) => v.value), sign: r.map((v) => v.sign) };
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /**
   * leads.predictive / leads.predictive_metrics (core/tests/vectors_leads/leads_predictive.rs):
   * fit (calibrated on held-out rows when given), explain and evaluate the evaluation rows.
   * Features run as rows (number[][]) with featureNames and, `typed`, as a columns object of
   * Float64Arrays (a flat Float64Array with nFeatures where no columns object holds the shape).
   */
  function runPredictive(fn, input, params, typed) {
    const rel = { nBins: params.reliability.n_bins, strategy: params.reliability.strategy };
    const col = (xs) => (typed ? Float64Array.from(nums(xs)) : nums(xs));
    const reliability = (out, table) => {
      out.reliability_bin = table.map((b) => b.bin);
      out.reliability_count = table.map((b) => b.count);
      out.reliability_fraction_positive = table.map((b) => b.fractionPositive);
      out.reliability_mean_predicted = table.map((b) => b.meanPredicted);
      return out;
    };
    if (fn === 'leads.predictive_metrics') {
      const m = leads.metrics(col(input.y), col(input.proba), rel);
      return reliability({ auc: m.auc, log_loss: m.logLoss, brier: m.brier }, m.reliability);
    }
    const names = input.feature_names;
    // [x, extra fit options]: rows + featureNames, or (typed) columns / flat + nFeatures
    const features = (rows) => {
      rows = rows.map((r) => nums(r));
      const widths = new Set(rows.map((r) => r.length));
      if (!typed) return [rows, { featureNames: names }];
      if (widths.size === 1 && widths.has(names.length) && new Set(names).size === names.length) {
        return [Object.fromEntries(names.map((n, j) => [n, Float64Array.from(rows, (r) => r[j])])), {}];
      }
      const k = widths.size === 1 ? [...widths][0] : names.length;
      return [Float64Array.from(rows.flat()), { featureNames: names, nFeatures: k }];
    };
    const s = params.score;
    const penalty = typeof s.penalty === 'object' ? 'elasticnet' : (s.penalty ?? 'l2');
    const options = { penalty, c: num(s.c ?? 1), calibration: s.calibration ?? 'none', classWeight: s.class_weight ?? 'none' };
    if (penalty === 'elasticnet') options.l1Ratio = num(s.penalty.elasticnet.l1_ratio);
    const [x, fitOptions] = features(input.features);
    if (input.calibration !== undefined) fitOptions.calibration = { x: features(input.calibration.features)[0], y: col(input.calibration.y) };
    const fit = new leads.LogisticScore(options).fit(x, col(input.y), fitOptions);
    const [xe] = features(input.evaluation.features);
    const ye = col(input.evaluation.y);
    const why = fit.contributions(xe);
    const logit = fit.decisionFunction(xe);
    assert.deepEqual(why.featureNames, names);
    why.values.forEach((r, i) => assert.ok(Math.abs(r.reduce((a, b) => a + b, why.base) - logit[i]) < 1e-9, `contributions of row ${i} add up`));
    const ev = fit.evaluate(xe, ye, rel);
    const doc = fit.toJSON();
    const again = leads.FittedLogisticScore.fromJSON(JSON.stringify(doc));
    assert.deepEqual(Array.from(again.predictProba(xe)), Array.from(fit.predictProba(xe)), 'the JSON round trip predicts the same');
    const out = {
      coef: names.map((n) => fit.coef[n]), intercept: fit.intercept, reference: doc.fitted.reference, base_logit: fit.baseLogit,
      proba: Array.from(fit.predictProba(xe)), logit: Array.from(logit), contributions: why.values.flatMap((r) => Array.from(r)),
      auc: ev.auc, log_loss: ev.logLoss, brier: ev.brier,
    };
    if (doc.fitted.calibrator.method === 'platt') Object.assign(out, { platt_a: doc.fitted.calibrator.a, platt_b: doc.fitted.calibrator.b });
    return reliability(out, ev.reliability);
  }

  /**
   * leads.* (core/tests/vectors_leads.rs): the vector's log as event columns (lead indices as
   * ids, its `event_types` as the vocabulary, every lead listed so results come in index order),
   * settings with camelCase keys (the keys of `daily_caps` are event names and stay); results
   * named and flattened as the Rust runner names them.
   */
  function runLeads(fn, input, params, typed) {
    if (fn.startsWith('leads.predictive')) return runPredictive(fn, input, params, typed);
    const col = (xs) => (typed ? Float64Array.from(nums(xs)) : nums(xs));
    const ids = (n) => Array.from({ length: n }, (_, i) => i);
    const events = (log) => {
      const e = { lead: col(log.lead), timestamp: col(log.timestamp), event: log.event, leads: ids(log.n_leads), eventTypes: log.event_types };
      if (log.value !== undefined) e.value = col(log.value);
      return e;
    };
    const camelKeys = (v, keep = false) => {
      if (Array.isArray(v)) return v.map((x) => camelKeys(x));
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [keep ? k : camel(k), camelKeys(x, !keep && k === 'daily_caps')]));
    };
    switch (fn) {
      case 'leads.funnel': {
        const f = leads.funnel(events(input), camelKeys(params.funnel));
        assert.deepEqual(f.leads, ids(input.n_leads), 'leads in the order given');
        return {
          counts: f.steps.map((s) => s.count), conversion_rate: f.steps.map((s) => s.conversionRate), drop_off: f.steps.map((s) => s.dropOff),
          median_seconds_from_previous: f.steps.map((s) => s.medianSecondsFromPrevious ?? -1), furthest_step: f.furthestStep,
        };
      }
      case 'leads.cohorts': {
        const rows = leads.cohorts(events(input), camelKeys(params.cohorts));
        const flat = (k) => rows.flatMap((r) => Array.from(r[k]));
        return {
          labels: rows.map((r) => r.cohort).join(','), sizes: rows.map((r) => r.size), row_lengths: rows.map((r) => r.active.length),
          retention_on: flat('retentionOn'), retention_on_or_after: flat('retentionOnOrAfter'), conversion: flat('conversion'),
          revenue: flat('revenue'), cumulative_value_per_customer: flat('cumulativeValuePerCustomer'),
        };
      }
      case 'leads.score': {
        const log = input.log;
        const attrs = { lead: ids(log.n_leads) };
        for (const group of ['numeric', 'categorical']) {
          for (const [k, vals] of Object.entries(input.attributes?.[group] ?? {})) attrs[k] = group === 'numeric' ? col(vals) : vals;
        }
        const rows = leads.score(events(log), camelKeys(params.config), input.as_of, attrs);
        assert.deepEqual(rows.map((r) => r.lead), ids(log.n_leads), 'leads in the order given');
        const names = [...(params.config.attribute_rules ?? []), ...(params.config.event_rules ?? [])].map((r) => r.name);
        const dims = ['demographic', 'behavioural', 'firmographic', 'engagement', 'intent'];
        return {
          total: rows.map((r) => r.total), fit: rows.map((r) => r.fit), activity: rows.map((r) => r.activity),
          rules: rows.flatMap((r) => names.map((n) => r.rules[n])), dimensions: rows.flatMap((r) => dims.map((d) => r[d])),
          grade: rows.map((r) => r.grade).join(','), temperature: rows.map((r) => r.temperature).join(','),
        };
      }
      case 'leads.lifecycle': {
        const log = { lead: col(input.lead), timestamp: col(input.timestamp), stage: input.stage, leads: ids(input.n_leads) };
        if (input.reason !== undefined) log.reason = input.reason;
        const l = leads.lifecycle(log, { ...camelKeys(params.config ?? {}), asOf: params.as_of });
        const idx = (s) => (s === null ? -1 : l.stages.indexOf(s));
        assert.deepEqual(l.transitions.map((x) => x.reason), (input.reason ?? input.lead.map(() => '')).map((r) => r || null), 'reasons kept');
        return {
          current_stage: l.current.map(idx), from_stage: l.transitions.map((x) => idx(x.from)),
          seconds: l.leads.flatMap((_, i) => l.stages.map((s) => l.timeInStage[s][i])),
          entered: l.summary.map((s) => s.entered), exited: l.summary.map((s) => s.exited), in_stage: l.summary.map((s) => s.current),
          median_seconds: l.summary.map((s) => s.medianSeconds ?? -1), mean_seconds: l.summary.map((s) => s.meanSeconds ?? -1),
        };
      }
      case 'leads.health': {
        const options = camelKeys(params.health);
        if (input.p_alive !== undefined) options.pAlive = typed ? Float64Array.from(nums(input.p_alive)) : nums(input.p_alive).map((p) => (Number.isNaN(p) ? null : p));
        const rows = leads.health(events(input.log), input.as_of, options);
        const pick = (k) => rows.map((r) => r[k]);
        return {
          activity: rows.flatMap((r) => Array.from(r.activity)), tau: pick('tau'), p_value: pick('pValue'), slope: pick('slope'),
          churn_risk: pick('churnRisk'), score: pick('score'), last_activity: rows.map((r) => r.lastActivity ?? -1),
          trend: pick('trend').join(','), status: pick('status').join(','), churn_source: pick('churnSource').join(','),
        };
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /**
   * platform.* (core/tests/vectors_platform.rs): PII through `platform.normalize` / `hash` /
   * `hashUserData`, webhooks through `platform.verifyWebhook` / `checkTimestamped` /
   * `signWebhook`. Bodies run twice: as a string (or, for a binary `body_base64`, a Uint8Array)
   * and as a Uint8Array of the same bytes (`typed`); `now` is always the vector's.
   */
  function runPlatform(fn, input, params, typed) {
    const utf8 = new TextEncoder();
    const body = input.body_base64 !== undefined
      ? Uint8Array.from(atob(input.body_base64), (c) => c.charCodeAt(0))
      : typed ? utf8.encode(input.body) : input.body;
    const pii = { vendor: input.vendor, googleEmail: params.options?.google_email };
    // The vectors' scheme objects: { scheme, tolerance_seconds } (null: no window, JS Infinity).
    const tol = (t) => (t === null ? Infinity : t);
    const scheme = input.scheme ?? {};
    const toleranceSeconds = 'tolerance_seconds' in scheme ? tol(scheme.tolerance_seconds) : undefined;
    switch (fn) {
      case 'platform.pii.normalize':
        return { normalized: platform.normalize(input.field, input.value, pii) };
      case 'platform.pii.hash':
        return { hash: platform.hash(input.field, input.value, pii) };
      case 'platform.pii.hash_user_data':
        return platform.hashUserData(input.user_data, pii);
      case 'platform.webhook.verify':
        return { valid: platform.verifyWebhook({ scheme: scheme.scheme, secret: input.secret, body, header: input.header, now: input.now, toleranceSeconds }) };
      case 'platform.webhook.check_timestamped':
        return { verdict: platform.checkTimestamped({ scheme: 'timestamped', secret: input.secret, body, header: input.header, now: input.now, toleranceSeconds: tol(input.tolerance_seconds ?? null) }) };
      case 'platform.webhook.sign':
        return { header: platform.signWebhook({ scheme: scheme.scheme, secret: typed ? utf8.encode(input.secret) : input.secret, body, t: input.t }) };
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /** Object keys snake_case -> camelCase, at every depth (option objects). */
  const camelDeep = (v) => {
    if (Array.isArray(v)) return v.map(camelDeep);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelDeep(x)]));
  };

  /**
   * Vendor request bodies and report rows (core/tests/vectors_platform.rs, `run_payloads`):
   * the vendor's data passed as the vector writes it (the vendor's own field names), options in
   * camelCase; bodies with the size of each (events, conversions or `data`).
   */
  function runPayloads(fn, input, params) {
    const sized = (requests, list) => ({ sizes: requests.map((r) => (list(r) ?? []).length), requests });
    const pii = { googleEmail: params.options?.google_email };
    switch (fn) {
      case 'platform.payloads.meta_capi': {
        const bodies = platform.metaCapiEvents(input.events, camelDeep(params));
        return { ...sized(bodies, (r) => r.data), event_ids: bodies.flatMap((b) => b.data.map((e) => e.event_id)) };
      }
      case 'platform.payloads.meta_change':
        return { request: platform.metaChangeRequest(input.change, input.currency) };
      case 'platform.payloads.ga4_mp': {
        const { split = true, ...rest } = params;
        const options = camelDeep(rest);
        return sized(split ? platform.ga4Requests(input.payload, options) : [platform.ga4Body(input.payload, options)], (r) => r.events);
      }
      case 'platform.payloads.google_ads_click_conversions':
        return sized(platform.googleAdsClickConversions(input.conversions, camelDeep(params)), (r) => r.body.conversions);
      case 'platform.payloads.google_ads_user_identifiers':
        return { user_identifiers: platform.googleAdsUserIdentifiers(input.user_data, pii) };
      case 'platform.payloads.google_ads_customer_match':
        return { operations: platform.googleAdsCustomerMatch(input.users, pii) };
      case 'platform.payloads.google_ads_mutate':
        return { requests: platform.googleAdsMutate(input.changes, camelDeep(params)) };
      case 'platform.payloads.google_ads_date_time': {
        const formatted = platform.googleAdsDateTime(input.ms, input.offset_minutes);
        return { parsed_ms: platform.googleAdsParseDateTime(formatted), formatted };
      }
      case 'platform.metrics.meta_insights':
      case 'platform.metrics.google_ads':
      case 'platform.metrics.ga4_run_report': {
        const read = { meta_insights: platform.metaInsights, google_ads: platform.googleAdsMetrics, ga4_run_report: platform.ga4RunReport };
        const r = read[fn.slice('platform.metrics.'.length)](input.response, camelDeep(params));
        assert.deepEqual(Object.keys(r).sort(), ['rows', 'timeZone']);
        return { time_zone: r.timeZone, rows: r.rows };
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /**
   * experiment.* (core/tests/vectors_experiment.rs): arms as `{ n, successes }`,
   * `{ n, sum, sumSquares }` or their values (as plain arrays, and as Float64Arrays when
   * `typed`), results under the vector's names.
   */
  function runExperiment(fn, input, params, typed) {
    const arm = (v) => {
      if (v.values !== undefined) return typed ? Float64Array.from(nums(v.values)) : nums(v.values);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), num(x)]));
    };
    const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
    const testOptions = defined({ alpha: params.alpha, alternative: params.alternative });
    const effects = (r) => {
      const out = {};
      for (const [prefix, e] of [['abs', r.absolute], ['rel', r.relative]]) {
        if (e === null) continue;
        Object.assign(out, { [`${prefix}_estimate`]: e.estimate, [`${prefix}_std_error`]: e.stdError, [`${prefix}_ci_lower`]: e.ciLower, [`${prefix}_ci_upper`]: e.ciUpper, [`${prefix}_p_value`]: e.pValue });
      }
      return out;
    };
    const posterior = (e) => ({ mean: e.mean, std_dev: e.stdDev, ci_lower: e.ciLower, ci_upper: e.ciUpper, chance_to_win: e.chanceToWin, risk_control: e.riskControl, risk_treatment: e.riskTreatment });
    const look = (l, estimate) => ({ [estimate]: l.estimate, std_dev: l.stdError, std_error: l.stdError, ci_lower: l.ciLower, ci_upper: l.ciUpper, p_value: l.pValue });
    const seq = defined({ alpha: params.alpha, tuning: params.tuning, relative: params.relative });
    switch (fn) {
      case 'experiment.ztest': {
        const r = experiment.ztest(arm(input.a), arm(input.b), testOptions);
        return { z: r.z, p_value: r.pValue, rate_a: r.rateA, rate_b: r.rateB, ...effects(r) };
      }
      case 'experiment.welch': {
        const r = experiment.welch(arm(input.a), arm(input.b), testOptions);
        return { t: r.t, df: r.df, p_value: r.pValue, ...effects(r) };
      }
      case 'experiment.chisq': {
        const r = experiment.chisq(input.arms.map(arm));
        return { statistic: r.statistic, df: r.df, p_value: r.pValue };
      }
      case 'experiment.power': {
        const solve = camel(params.solve);
        const given = defined({ effectSize: input.effect_size, p1: input.p1, p2: input.p2, nobs1: input.nobs1, power: input.power });
        delete given[solve];
        const r = experiment.power({ ...given, ...defined({ alpha: params.alpha, ratio: params.ratio, alternative: params.alternative }) });
        assert.equal(r.solved, solve);
        return { value: r[solve], effect_size: r.effectSize };
      }
      case 'experiment.bayes_binomial': {
        const r = experiment.betaBinomial(arm(input.a), arm(input.b), defined({ prior: params.prior }));
        return { posterior_a: r.posteriorA, posterior_b: r.posteriorB, chance_to_beat_a: r.chanceToBeatA, loss_choosing_a: r.lossChoosingA, loss_choosing_b: r.lossChoosingB };
      }
      case 'experiment.gbstats_effect':
        return posterior(experiment.bayes(arm(input.a), arm(input.b), camelDeep(defined({ alpha: params.alpha, relative: params.relative, inverse: params.inverse, prior: params.prior, prior_relative: params.prior_relative }))));
      case 'experiment.cuped': {
        const c = experiment.cuped(camelDeep(input.a), camelDeep(input.b));
        const out = { theta: c.theta, mean_a: c.a.mean, variance_a: c.a.variance, mean_b: c.b.mean, variance_b: c.b.variance };
        const relative = params.relative ?? true;
        switch (params.test) {
          case 'welch': {
            const t = experiment.welch(c.a, c.b);
            const e = relative ? t.relative : t.absolute;
            return { ...out, mean: e.estimate, std_dev: e.stdError, ci_lower: e.ciLower, ci_upper: e.ciUpper, p_value: e.pValue };
          }
          case 'bayes':
            return { ...out, ...posterior(experiment.bayes(c.a, c.b, { relative })) };
          case 'sequential':
            return { ...out, ...look(experiment.sequential(c.a, c.b, seq), 'mean') };
          default:
            throw new Error(`unknown test ${params.test}`);
        }
      }
      case 'experiment.sequential':
        return look(experiment.sequential(arm(input.a), arm(input.b), seq), 'estimate');
      case 'experiment.group_sequential': {
        const info = typed ? Float64Array.from(nums(input.information)) : nums(input.information);
        const rows = experiment.groupSequential(info, defined({ alpha: params.alpha, twoSided: params.two_sided, spending: params.spending }));
        assert.deepEqual(rows.map((r) => r.information), Array.from(info));
        return { z: rows.map((r) => r.z), nominal_alpha: rows.map((r) => r.nominalAlpha), spent: rows.map((r) => r.spent) };
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /**
   * `got` equals `want` at every leaf (the Rust runners' rule): numbers within the tolerance,
   * everything else exactly, objects with the same keys, arrays of the same length. Returns how
   * many leaves it checked.
   */
  function same(got, want, path, abs, rel) {
    if (typeof want === 'number' || (typeof want === 'string' && want in NON_FINITE && typeof got === 'number')) {
      const w = num(want);
      assert.equal(typeof got, 'number', `${path}: got ${JSON.stringify(got)}, expected ${w}`);
      assert.ok(got === w || (Number.isFinite(got) && Math.abs(got - w) <= abs + rel * Math.abs(w)), `${path}: got ${got}, expected ${w} (tol abs ${abs}, rel ${rel})`);
      return 1;
    }
    if (Array.isArray(want)) {
      assert.ok(Array.isArray(got) || ArrayBuffer.isView(got), `${path}: got ${JSON.stringify(got)}, expected an array`);
      assert.equal(got.length, want.length, `${path}: ${got.length} items, expected ${want.length}`);
      return Math.max(1, want.reduce((n, w, i) => n + same(got[i], w, `${path}[${i}]`, abs, rel), 0));
    }
    if (want !== null && typeof want === 'object') {
      assert.ok(got !== null && typeof got === 'object', `${path}: got ${JSON.stringify(got)}, expected an object`);
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${path}: keys differ`);
      return Object.entries(want).reduce((n, [k, w]) => n + same(got[k], w, `${path}.${k}`, abs, rel), 0);
    }
    assert.equal(got, want, path);
    return 1;
  }

  /** A payload, metrics or experiment vector: every expected field compared in depth. */
  function checkDeep(v, typed) {
    const tol = v.tolerance ?? {};
    const abs = tol.abs === undefined ? 0 : num(tol.abs);
    const rel = tol.rel === undefined ? 0 : num(tol.rel);
    const got = (v.function.startsWith('experiment.') ? runExperiment : runPayloads)(v.function, v.input ?? {}, v.params ?? {}, typed);
    let checked = 0;
    for (const [key, want] of Object.entries(v.expected)) {
      assert.ok(key in got, `no result ${key}`);
      checked += same(got[key], want, key, abs, rel);
    }
    assert.ok(checked > 0, 'vector checks nothing');
    return checked;
  }

  /** An experiment error names the vector's field as JS writes it (`a.sumSquares`, `options.alpha`). */
  function checkExperimentError(v, err) {
    const field = v.expected.field;
    if (field === undefined) return;
    const names = [field, camel(field)];
    assert.ok(names.some((f) => err.message.includes(f)), `the error names ${field}: ${err.message}`);
  }

  /**
   * A decide error names the vector's field as JS writes it: the core's `risk.low_change` (a
   * threshold's place in a policy) is `rule.lowChange` in `decide.assessRisk(proposal, rule)`, so
   * its last segment in camelCase is what must appear.
   */
  function checkDecideError(v, err) {
    const field = v.expected.field;
    if (field === undefined) return;
    const last = camel(field.split('.').pop());
    assert.ok([field, camel(field), last].some((f) => err.message.includes(f)), `the error names ${field}: ${err.message}`);
  }

  /** A platform error names the field the vector gives, and a PII error never its value. */
  function checkPlatformError(v, err) {
    const field = v.expected.field;
    // an option's field as JS writes it (`batch_size` is `options.batchSize`)
    if (field !== undefined) assert.ok([field, camel(field)].some((f) => err.message.includes(f)), `the error names ${field}: ${err.message}`);
    if (v.function.startsWith('platform.pii.')) {
      const raw = v.input.value !== undefined ? [v.input.value] : Object.values(v.input.user_data).flat();
      for (const r of raw) assert.ok(r.trim().length < 4 || !err.message.includes(r.trim()), `a PII error shows its value: ${err.message}`);
    }
  }

  function checkSeries(v, typed) {
    const tol = v.tolerance ?? {};
    const abs = tol.abs === undefined ? 0 : num(tol.abs);
    const rel = tol.rel === undefined ? 0 : num(tol.rel);
    const near = (key, g, w) => {
      assert.equal(typeof g, 'number', `${key}: got ${g}`);
      // an infinity matches only itself (a marginal at 0 of x^0.5), as in the Rust runners
      assert.ok(g === w || (Number.isFinite(g) && Math.abs(g - w) <= abs + rel * Math.abs(w)), `${key}: got ${g}, expected ${w} (tol abs ${abs}, rel ${rel})`);
    };
    const got = (v.function.startsWith('platform.') ? runPlatform : runSeries)(v.function, v.input ?? {}, v.params ?? {}, typed);
    let checked = 0;
    for (let [key, want] of Object.entries(v.expected)) {
      assert.ok(key in got, `no result ${key}`);
      let g = got[key];
      if (Array.isArray(want) && Array.isArray(want[0])) {
        // nested (a plan's spend[channel][period]): same shape, then compared flat
        assert.deepEqual(Array.from(g, (r) => r.length), want.map((r) => r.length), `${key}: shape differs`);
        g = Array.from(g).flatMap((r) => Array.from(r));
        want = want.flat();
      }
      if (Array.isArray(want) && typeof want[0] === 'string' && !(want[0] in NON_FINITE)) {
        assert.deepEqual(Array.from(g), want, `${key}: ids differ`); // customer ids: exactly
        checked += 1;
      } else if (Array.isArray(want)) {
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

  /**
   * A media mix model vector: `optimize.MMM` with the vector's params (camelCase) fitted to its
   * target, channels and controls (no days: rows are weeks), compared by the "within" rule.
   */
  function checkMmm(v, typed) {
    assert.equal(v.check, 'within', `check ${v.check}: this runner knows 'within'`);
    const col = (xs) => (typed ? Float64Array.from(nums(xs)) : nums(xs));
    const cols = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, xs]) => [k, col(xs)]));
    const options = {};
    for (const [k, p] of Object.entries(v.params ?? {})) options[camel(k)] = typeof p === 'string' && !(p in NON_FINITE) ? p : typeof p === 'boolean' ? p : num(p);
    const fit = new optimize.MMM(options).fit({ target: col(v.input.target), channels: cols(v.input.channels), controls: cols(v.input.controls) });
    const summary = fit.summary();
    const names = Object.keys(v.input.channels);
    assert.deepEqual(summary.map((r) => r.channel), names, 'channels in input order');
    const tol = v.tolerance ?? {};
    const abs = tol.abs === undefined ? 0 : num(tol.abs);
    const rel = tol.rel === undefined ? 0 : num(tol.rel);
    const [mean, lo, hi] = ['share', 'share_lo', 'share_hi'].map((k) => nums(v.expected[k]));
    assert.equal(mean.length, names.length);
    const bad = summary.filter((r, i) => !(r.share >= lo[i] && r.share <= hi[i] && Math.abs(r.share - mean[i]) <= abs + rel * Math.abs(mean[i])));
    assert.deepEqual(bad.map((r) => {
      const i = names.indexOf(r.channel);
      return `${r.channel}: share ${r.share.toFixed(4)}, reference mean ${mean[i].toFixed(4)} [${lo[i].toFixed(4)}, ${hi[i].toFixed(4)}]`;
    }), [], `outside the interval or further than abs ${abs} from the mean`);
    return 2 * names.length;
  }

  /**
   * decide.* (core/tests/vectors_decide.rs): the vector's snake_case documents given with
   * camelCase keys, except the ids keying `campaign_daily_cap`, `campaign_lifetime_cap`,
   * `exposures` and `lifetime_spend`; results under the vector's names.
   */
  const ID_MAPS = ['campaign_daily_cap', 'campaign_lifetime_cap', 'exposures', 'lifetime_spend'];
  function camelDoc(v, ids = false) {
    if (Array.isArray(v)) return v.map((x) => camelDoc(x));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [ids ? k : camel(k), camelDoc(x, !ids && ID_MAPS.includes(k))]));
  }

  function runDecide(fn, input) {
    switch (fn) {
      case 'decide.risk': {
        const r = decide.assessRisk(camelDoc(input.proposal), input.rule === undefined ? null : camelDoc(input.rule));
        return { level: r.level, change: r.change, spend: r.spend, confidence: r.confidence };
      }
      case 'decide.stages':
        return { stages: decide.stages(input.policy === undefined ? null : camelDoc(input.policy), input.from, input.to) };
      case 'decide.auto_approves':
        return { approved: decide.autoApproves(input.policy === undefined ? null : camelDoc(input.policy), input.level) };
      case 'decide.guardrails': {
        const v = decide.checkGuardrails(camelDoc(input.guardrails), camelDoc(input.step));
        return { verdict: v.verdict, guardrail: v.guardrail, reason: v.reason, until_ms: v.untilMs };
      }
      default:
        throw new Error(`no runner for function ${JSON.stringify(fn)}`);
    }
  }

  /** A decide vector: every expected field compared in depth (a verdict's reason only where given). */
  function checkDecide(v) {
    const tol = v.tolerance ?? {};
    const abs = tol.abs === undefined ? 0 : num(tol.abs);
    const rel = tol.rel === undefined ? 0 : num(tol.rel);
    const got = runDecide(v.function, v.input ?? {});
    let checked = 0;
    for (const [key, want] of Object.entries(v.expected)) {
      assert.ok(key in got && got[key] !== undefined, `no result ${key}`);
      checked += same(got[key], want, key, abs, rel);
    }
    assert.ok(checked > 0, 'vector checks nothing');
    return checked;
  }

  const isSeries = (fn) => ['stats.', 'forecast.', 'anomaly.', 'optimize.', 'glm.', 'clv.', 'leads.', 'platform.'].some((p) => fn.startsWith(p));

  // ---------------------------------------------------------------------------------------------

  const files = walk(root).filter((p) => p.endsWith('.json'));

  test('the vector folder holds attribution, journey, stats, forecast, anomaly, optimize and glm vectors', () => {
    for (const dir of ['attribution', 'journey', 'stats', 'forecast', 'anomaly', 'optimize', 'glm']) {
      assert.ok(files.some((f) => f.includes(`${join('vectors', dir)}`)), `no ${dir} vectors`);
    }
    assert.ok(files.length >= 10, `only ${files.length} vectors found under ${root}`);
  });

  // Modules whose core lands before its bindings, with the issue that binds them: the Rust core
  // runs their vectors (core/tests/vectors_<module>.rs); here they are skipped by name.
  const pending = {};
  for (const file of files) {
    const name = relative(root, file);
    const fn = JSON.parse(readFileSync(file, 'utf8')).function;
    const waiting = Object.keys(pending).find((p) => fn.startsWith(p));
    test(`vector ${name}`, { skip: waiting ? pending[waiting] : false }, () => {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      assert.ok(typeof v.source === 'string' && v.source.length > 0, 'vector names no source');
      // Series and path-table vectors run twice: from number[] and from Float64Array.
      const deep = ['platform.payloads.', 'platform.metrics.', 'experiment.'].some((p) => v.function.startsWith(p));
      const runs = v.function === 'optimize.mmm'
        ? [() => checkMmm(v, false), () => checkMmm(v, true)]
        : v.function.startsWith('decide.')
        ? [() => checkDecide(v)]
        : deep
        ? [() => checkDeep(v, false), ...(v.function.startsWith('experiment.') ? [() => checkDeep(v, true)] : [])]
        : isSeries(v.function)
        ? [() => checkSeries(v, false), () => checkSeries(v, true)]
        : v.function.startsWith('journey.') || v.function === 'attribution.time_decay'
          ? [() => checkJourney(v)]
          : [() => checkAttribution(v, false), () => checkAttribution(v, true)];
      const kind = v.expected?.error;
      // Path-table and event-table vectors run once more with their tables as rows (an array of
      // objects; the wrapper turns them into columns): the same expected numbers. Not the error
      // vectors: a row without a count has its default, where a column with a hole is an error.
      if (v.function.startsWith('journey.') || v.function === 'attribution.time_decay') {
        const [t, c] = events(v.input);
        if (kind === undefined && rowable(t) && rowable(c)) runs.push(() => checkJourney(v, true));
      } else if (kind === undefined && v.function.startsWith('attribution.') && rowable(table(v.input, false))) {
        runs.push(() => checkAttribution(v, 'rows'));
      }
      for (const run of runs) {
        if (kind !== undefined) {
          assert.throws(run, (err) => {
            assert.ok(err instanceof Error, 'throws an Error');
            assert.equal(err.code, kind, `expected error ${kind}, got ${err.code} (${err.message})`);
            assert.ok(errorCodes().includes(err.code));
            if (v.function.startsWith('platform.')) checkPlatformError(v, err);
            if (v.function.startsWith('experiment.')) checkExperimentError(v, err);
            if (v.function.startsWith('decide.')) checkDecideError(v, err);
            return true;
          });
        } else {
          run();
        }
      }
    });
  }
}
