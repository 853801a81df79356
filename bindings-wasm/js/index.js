// channelwise for the browser and Node: the ES module users import.
//
// wasm-bindgen exports flat functions (no nested namespaces); this wrapper groups them as
// `attribution.*`, `journey.*`, `stats.*` and `forecast.*` with the names and shapes of the Node
// binding (`heuristics`, `markov`, `shapley`, `orderedShapley`, `timeDecay`, `Markov` /
// `FittedMarkov`; `journey.pathTable`; `stats.pearson`, ...; `forecast.metrics.*`,
// `forecast.RollingOrigin`), plus `attribution.parsePathCsv`. Errors from Rust
// are already JS Errors with `code` = the core's kind code (src/error.rs) and pass through as
// they are. A trap (a Rust panic: wasm32 cannot unwind) becomes an Error with code "internal",
// and the instance is marked unusable.
//
//   import { init, attribution } from 'channelwise-wasm';
//   await init();   // browser: fetches the .wasm next to the glue; Node: reads it from disk
//   const rows = attribution.markov({ path: ['a>b', 'b'], conversions: [1, 2] }, { order: 1 });

import wbgInit, * as wasm from '../pkg/channelwise_wasm.js';

/** Every `code` a channelwise error can carry, in the core's order (tested against the .wasm). */
export const ERROR_CODES = Object.freeze(['out_of_range', 'non_finite', 'not_enough_data', 'invalid_path',
  'invalid_record', 'invalid_parameter', 'length_mismatch', 'not_converged', 'io', 'internal']);

let ready = null;
let instantiated = false;
let poisoned = null;
/** Values a user callback threw during the current call: passed through, never read as a trap. */
const userThrew = new Set();

function codedError(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

/**
 * Loads and instantiates the WebAssembly module once; later calls return the same promise.
 * `source` is anything wasm-bindgen's init takes (URL, Response, bytes, WebAssembly.Module);
 * by default the browser fetches `channelwise_wasm_bg.wasm` beside the glue and Node reads it.
 */
export function init(source) {
  if (!ready) {
    ready = (async () => {
      let input = source;
      if (input === undefined && typeof process !== 'undefined' && process.versions?.node) {
        const { readFile } = await import('node:fs/promises');
        input = await readFile(new URL('../pkg/channelwise_wasm_bg.wasm', import.meta.url));
      }
      await wbgInit(input === undefined ? undefined : { module_or_path: input });
      instantiated = true;
    })();
    ready.catch(() => { ready = null; });
  }
  return ready;
}

export default init;

/** Calls into wasm: refuses before init and after a trap; turns a trap into code "internal". */
function call(fn, ...args) {
  if (!instantiated) {
    throw codedError('internal', 'channelwise-wasm is not initialised: await init() first');
  }
  if (poisoned) throw codedError('internal', poisoned);
  try {
    return fn(...args);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError && !userThrew.has(e)) {
      let detail = e.message;
      try { detail = wasm.takePanicMessage() ?? detail; } catch { /* instance unusable */ }
      poisoned = `internal error (please report): ${detail}; the WebAssembly instance is no ` +
        'longer usable, reload the module';
      throw codedError('internal', poisoned);
    }
    throw e;
  }
}

/**
 * The table as the wasm exports take it: `[table, joined]`. Crossing the boundary costs per
 * value, so when `table.path` is a plain array of strings the paths go over as ONE UTF-8 byte
 * array, `path.join('\n')` encoded by TextEncoder (faster than wasm-bindgen's string copy; Rust uses it only if it splits into exactly `path.length` rows: a path
 * containing a newline makes it fall back to reading the paths one by one, with the same errors),
 * and a `number[]` column of numbers becomes a Float64Array (one copy). Anything else (getters
 * that throw, proxies, wrong types) goes to Rust as it is, which reports it precisely.
 */
const utf8 = new TextEncoder();

function fastTable(table) {
  try {
    if (table === null || typeof table !== 'object' || Array.isArray(table)) return [table, undefined];
    const path = table.path;
    if (!Array.isArray(path)) return [table, undefined];
    const n = path.length;
    for (let i = 0; i < n; i += 1) {
      if (typeof path[i] !== 'string') return [table, undefined];
    }
    const out = {
      path,
      conversions: numbersColumn(table.conversions),
      nulls: numbersColumn(table.nulls),
      value: numbersColumn(table.value),
    };
    return [out, utf8.encode(path.join('\n'))];
  } catch {
    return [table, undefined];
  }
}

/** A `number[]` of numbers as a Float64Array; anything else unchanged (Rust checks it). */
function numbersColumn(col) {
  if (!Array.isArray(col)) return col;
  const n = col.length;
  for (let i = 0; i < n; i += 1) {
    if (typeof col[i] !== 'number') return col;
  }
  return Float64Array.from(col);
}

/** Calls a table export `fn(table, joined, ...rest)` through the fast path. */
function withTable(fn, table, ...rest) {
  const [t, joined] = fastTable(table);
  return call(fn, t, joined, ...rest);
}

const FITTED = Symbol('FittedMarkov');

/** A fitted Markov chain (made by `new Markov(spec).fit(table)`). */
export class FittedMarkov {
  #fit;
  #spec;
  #sep;

  constructor(token, fit, spec, sep) {
    if (token !== FITTED) {
      throw codedError('invalid_parameter', 'invalid FittedMarkov: "new FittedMarkov()" (a fitted chain ' +
        'is made by new Markov(options).fit(table))');
    }
    this.#fit = fit;
    this.#spec = spec;
    this.#sep = sep;
  }

  /** Removal effects and credit, one row per channel. */
  credit() { return this.#fit.credit.map((r) => ({ ...r })); }

  /** The nonzero transitions, rows in state order. */
  transitions() { return this.#fit.transitions.map((r) => ({ ...r })); }

  /** Shapley credit of the Markov game (`{ method: "exact" | "sampled", permutations, seed }`). */
  shapley(options) {
    return withTable(wasm.attributionMarkovShapley, this.#fit.table, this.#spec, { sep: this.#sep }, options);
  }

  /** Channel names, in table order. */
  get channels() { return [...this.#fit.channels]; }

  /** The order the chain was fitted with. */
  get order() { return this.#fit.order; }

  /** The step cap used, or `null` for the exact answer. */
  get horizonSteps() { return this.#fit.horizonSteps; }

  /** Number of channel states. */
  get nStates() { return this.#fit.nStates; }

  /** Probability that a journey from `(start)` converts (within the horizon). */
  get conversionProbability() { return this.#fit.conversionProbability; }

  /** Removal effect of each channel, in `channels` order. */
  get removalEffects() { return [...this.#fit.removalEffects]; }

  /** Removal effect of each channel on value, in `channels` order. */
  get removalEffectsValue() { return [...this.#fit.removalEffectsValue]; }
}

/** Markov-chain attribution spec: `new Markov({ order, horizon, useNulls }).fit(table)`. */
export class Markov {
  #spec;

  constructor(options) {
    call(wasm.attributionMarkovSpec, options);
    const o = options ?? {};
    // A private copy: later changes to `options` do not change the spec.
    this.#spec = { order: o.order, horizon: o.horizon, useNulls: o.useNulls };
  }

  /** Builds and solves the chain on `table` (`options.sep` splits the paths). */
  fit(table, options) {
    const fit = withTable(wasm.attributionMarkovFit, table, this.#spec, options);
    const sep = options?.sep ?? '>';
    return new FittedMarkov(FITTED, fit, this.#spec, sep);
  }
}

/** Multi-touch attribution over a path table `{ path, conversions, nulls?, value? }`. */
export const attribution = Object.freeze({
  heuristics: (table, options) => withTable(wasm.attributionHeuristics, table, options),
  markov: (table, options) => withTable(wasm.attributionMarkov, table, options),
  shapley: (table, options) => withTable(wasm.attributionShapley, table, options),
  orderedShapley: (table, options) => withTable(wasm.attributionOrderedShapley, table, options),
  timeDecay: (touchpoints, conversions, options) =>
    call(wasm.attributionTimeDecay, touchpoints, conversions, options),
  parsePathCsv: (text, options) => call(wasm.attributionParsePathCsv, text, options),
  Markov,
  FittedMarkov,
});

/** Journeys: from event columns to path tables. */
export const journey = Object.freeze({
  pathTable: (touchpoints, conversions, options) =>
    call(wasm.journeyPathTable, touchpoints, conversions, options),
});

/** Classical statistics: correlation and trend tests. Series are `number[] | Float64Array`. */
export const stats = Object.freeze({
  pearson: (x, y) => call(wasm.statsPearson, x, y),
  spearman: (x, y) => call(wasm.statsSpearman, x, y),
  kendall: (x, y) => call(wasm.statsKendall, x, y),
  crossCorrelation: (x, y, maxLag) => call(wasm.statsCrossCorrelation, x, y, maxLag),
  mannKendall: (x, options) => call(wasm.statsMannKendall, x, options),
  theilSen: (x, y, options) => call(wasm.statsTheilSen, x, y, options),
});

/**
 * Rolling-origin (time-series) cross-validation: fold `i` trains on `y[0 .. initial + i * step]`
 * and tests on the next `horizon` points.
 */
export class RollingOrigin {
  #initial;
  #horizon;
  #step;

  constructor(initial, horizon, step) {
    [this.#initial, this.#horizon, this.#step] = call(wasm.forecastRollingOrigin, initial, horizon, step);
  }

  /** Length of the first training window. */
  get initial() { return this.#initial; }

  /** Forecast steps evaluated per fold. */
  get horizon() { return this.#horizon; }

  /** How far the origin moves between folds. */
  get step() { return this.#step; }

  /** Number of folds for a series of length `n` (0 if `n < initial + horizon`). */
  nFolds(n) {
    return call(wasm.forecastRollingOriginFolds, this.#initial, this.#horizon, this.#step, n);
  }

  /**
   * Calls `fitPredict(train, horizon)` synchronously on every fold (`train` a Float64Array copy)
   * and collects the errors; an exception it throws propagates unchanged.
   */
  evaluate(y, fitPredict) {
    if (typeof fitPredict !== 'function') {
      return call(wasm.forecastRollingOriginEvaluate, this.#initial, this.#horizon, this.#step, y, fitPredict);
    }
    // What the callback throws comes back out of Rust unchanged; remember it so that `call` does
    // not take a WebAssembly.RuntimeError thrown by user code for a trap of this instance.
    const f = (train, horizon) => {
      try {
        return fitPredict(train, horizon);
      } catch (e) {
        userThrew.add(e);
        throw e;
      }
    };
    try {
      return call(wasm.forecastRollingOriginEvaluate, this.#initial, this.#horizon, this.#step, y, f);
    } finally {
      userThrew.clear();
    }
  }
}

/** Forecast accuracy metrics; every one takes `actual` first. */
const metrics = Object.freeze({
  mae: (actual, predicted) => call(wasm.forecastMae, actual, predicted),
  rmse: (actual, predicted) => call(wasm.forecastRmse, actual, predicted),
  mape: (actual, predicted) => call(wasm.forecastMape, actual, predicted),
  smape: (actual, predicted) => call(wasm.forecastSmape, actual, predicted),
  mase: (actual, predicted, insample, options) => call(wasm.forecastMase, actual, predicted, insample, options),
  coverage: (actual, lower, upper) => call(wasm.forecastCoverage, actual, lower, upper),
  winkler: (actual, lower, upper, alpha) => call(wasm.forecastWinkler, actual, lower, upper, alpha),
  RollingOrigin,
});

/** Forecasting: `forecast.metrics.*` and rolling-origin evaluation (`forecast.RollingOrigin`). */
export const forecast = Object.freeze({ metrics, RollingOrigin });

/** The channelwise version this module was built from. */
export const version = () => call(wasm.version);

/** Every `code` a channelwise error can carry, as compiled into the .wasm. */
export const errorCodes = () => call(wasm.errorCodes);
