// channelwise for the browser and Node: the ES module users import.
//
// wasm-bindgen exports flat functions (no nested namespaces); this wrapper groups them as
// `attribution.*`, `journey.*`, `stats.*`, `forecast.*` and `anomaly.*` with the names and shapes of the Node
// binding (`heuristics`, `markov`, `shapley`, `orderedShapley`, `timeDecay`, `Markov` /
// `FittedMarkov`; `journey.pathTable`; `stats.pearson`, ...; `forecast.metrics.*`,
// `forecast.RollingOrigin`, `forecast.AutoEts` / `Ets` / `FittedEts`, `forecast.stl` / `mstl`;
// `anomaly.IsolationForest`, `anomaly.mad`, ...), plus `attribution.parsePathCsv`. Errors from Rust
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
  'invalid_record', 'invalid_parameter', 'length_mismatch', 'not_converged', 'io', 'internal',
  'cancelled']);

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

const FITTED_ETS = Symbol('FittedEts');

/** A private copy of an options object (later changes by the caller do not change a spec). */
const copyOptions = (o) => (o !== null && typeof o === 'object' && !Array.isArray(o) ? { ...o } : o);

/**
 * A fitted ETS model (made by `new Ets(options).fit(y)` or `new AutoEts(options).fit(y)`).
 * Getters return copies; series are Float64Arrays.
 */
export class FittedEts {
  #model;
  #info;

  constructor(token, model) {
    if (token !== FITTED_ETS) {
      throw codedError('invalid_parameter', 'invalid FittedEts: "new FittedEts()" (a fitted model is made by ' +
        'new forecast.Ets(options).fit(y) or new forecast.AutoEts(options).fit(y))');
    }
    this.#model = model;
    this.#info = call(() => model.info());
  }

  /** The model's name, e.g. `"ETS(M,Ad,M)"`. */
  get model() { return this.#info.model; }

  /** Akaike information criterion. */
  get aic() { return this.#info.aic; }

  /** Small-sample corrected AIC (Infinity when n <= nParams + 1). */
  get aicc() { return this.#info.aicc; }

  /** Bayesian information criterion. */
  get bic() { return this.#info.bic; }

  /** Log-likelihood (R / statsforecast convention). */
  get logLik() { return this.#info.logLik; }

  /** Innovation variance, SSE / (n - nParams - 1). */
  get sigma2() { return this.#info.sigma2; }

  /** Parameters counted in the criteria (smoothing, initial states, variance). */
  get nParams() { return this.#info.nParams; }

  /** The season length used (1 for a non-seasonal model). */
  get seasonLength() { return this.#info.seasonLength; }

  /** Whether the initial seasonal states were kept at the heuristic (season length > 24). */
  get seasonalStatesFixed() { return this.#info.seasonalStatesFixed; }

  /** `{ alpha, beta, gamma, phi, initialLevel, initialTrend, initialSeasonal }`, null for absent. */
  get params() {
    const p = this.#info.params;
    return { ...p, initialSeasonal: p.initialSeasonal === null ? null : p.initialSeasonal.slice() };
  }

  /** One-step-ahead in-sample forecasts. */
  get fitted() { return call(() => this.#model.fitted()); }

  /** Response residuals `y - fitted`. */
  get residuals() { return call(() => this.#model.residuals()); }

  /** Innovations: `y - fitted` (additive error) or `(y - fitted) / fitted` (multiplicative). */
  get innovations() { return call(() => this.#model.innovations()); }

  /**
   * Point forecasts for `h` steps and intervals at each level (percent, default [80, 95]):
   * `{ mean, intervals: [{ level, lower, upper }], simulated }`.
   */
  predict(h, options) { return call(() => this.#model.predict(h, options)); }

  /** In-sample points outside the one-step interval at `level` (default 95), with reasons. */
  alerts(options) { return call(() => this.#model.alerts(options)); }

  /** One line: model, smoothing parameters, AICc and sigma2. */
  summary() { return this.#info.summary; }

  toString() { return this.#info.summary; }
}

/** One ETS model with fixed components: `new Ets({ error, trend, damped, season, seasonLength, seed })`. */
export class Ets {
  #options;

  constructor(options) {
    call(wasm.forecastEtsSpec, options);
    this.#options = copyOptions(options);
  }

  /** Fits by maximum likelihood. */
  fit(y) { return new FittedEts(FITTED_ETS, call(wasm.forecastEtsFit, this.#options, y)); }
}

/** Automatic ETS by information criterion: `new AutoEts({ seasonLength, model, damped, restrict, ic, seed })`. */
export class AutoEts {
  #options;

  constructor(options) {
    call(wasm.forecastAutoEtsSpec, options);
    this.#options = copyOptions(options);
  }

  /** Fits every admissible candidate and keeps the best. */
  fit(y) { return new FittedEts(FITTED_ETS, call(wasm.forecastAutoEtsFit, this.#options, y)); }
}

/**
 * Forecasting: ETS (`Ets`, `AutoEts`), decomposition (`stl`, `mstl`, strengths), accuracy
 * metrics (`metrics.*`) and rolling-origin evaluation (`RollingOrigin`).
 */
export const forecast = Object.freeze({
  Ets,
  AutoEts,
  FittedEts,
  stl: (y, options) => call(wasm.forecastStl, y, options),
  mstl: (y, options) => call(wasm.forecastMstl, y, options),
  seasonalStrength: (seasonal, resid) => call(wasm.forecastSeasonalStrength, seasonal, resid),
  trendStrength: (trend, resid) => call(wasm.forecastTrendStrength, trend, resid),
  metrics,
  RollingOrigin,
});

/**
 * A matrix as the wasm exports take it: `number[][]` rows of numbers, all equally long, become
 * one flat Float64Array (one copy across the boundary); anything else goes to Rust as it is,
 * which reports it precisely.
 */
function fastMatrix(x, nFeatures) {
  try {
    if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0])) return [x, nFeatures];
    const w = x[0].length;
    if (nFeatures !== undefined && nFeatures !== null && nFeatures !== w) return [x, nFeatures];
    const flat = new Float64Array(x.length * w);
    for (let i = 0; i < x.length; i += 1) {
      const r = x[i];
      if (!Array.isArray(r) || r.length !== w) return [x, nFeatures];
      for (let j = 0; j < w; j += 1) {
        const v = r[j];
        if (typeof v !== 'number') return [x, nFeatures];
        flat[i * w + j] = v;
      }
    }
    return [flat, w];
  } catch {
    return [x, nFeatures];
  }
}

const FITTED_FOREST = Symbol('FittedIsolationForest');

/** A fitted isolation forest (made by `new IsolationForest(options).fit(x, nFeatures?)`). */
export class FittedIsolationForest {
  #model;
  #info;

  constructor(token, model) {
    if (token !== FITTED_FOREST) {
      throw codedError('invalid_parameter', 'invalid FittedIsolationForest: "new FittedIsolationForest()" ' +
        '(a fitted forest is made by new anomaly.IsolationForest(options).fit(x))');
    }
    this.#model = model;
    this.#info = call(() => model.info());
  }

  /** scikit-learn's `score_samples`: in [-1, 0], lower is more abnormal. */
  scoreSamples(x, nFeatures) { return call(() => this.#model.scoreSamples(...fastMatrix(x, nFeatures))); }

  /** `scoreSamples - offset`: negative for outliers. */
  decisionFunction(x, nFeatures) { return call(() => this.#model.decisionFunction(...fastMatrix(x, nFeatures))); }

  /** `1` inlier, `-1` outlier (Int8Array). */
  predict(x, nFeatures) { return call(() => this.#model.predict(...fastMatrix(x, nFeatures))); }

  /** Threshold on the scores: -0.5 for contamination 'auto', else that percentile of the training scores. */
  get offset() { return this.#info.offset; }

  /** Columns of the training data (and of any data scored). */
  get nFeatures() { return this.#info.nFeatures; }

  /** Number of trees. */
  get nEstimators() { return this.#info.nEstimators; }

  /** Rows each tree was grown from, resolved. */
  get maxSamples() { return this.#info.maxSamples; }

  /** Features each tree could split on, resolved. */
  get maxFeatures() { return this.#info.maxFeatures; }

  /** Depth limit of the trees. */
  get maxDepth() { return this.#info.maxDepth; }
}

/**
 * Isolation forest (scikit-learn's parameters and score sign):
 * `new IsolationForest({ nEstimators, maxSamples, contamination, maxFeatures, bootstrap, seed })`.
 */
export class IsolationForest {
  #options;

  constructor(options) {
    call(wasm.anomalyIsolationForestSpec, options);
    this.#options = copyOptions(options);
  }

  /** Grows the forest on `x` (`number[][]` rows, or flat row-major with `nFeatures`). */
  fit(x, nFeatures) {
    const [m, nf] = fastMatrix(x, nFeatures);
    return new FittedIsolationForest(FITTED_FOREST, call(wasm.anomalyIsolationForestFit, this.#options, m, nf));
  }
}

/** Anomaly detection: isolation forest, robust detectors and forecast-residual alerts. */
export const anomaly = Object.freeze({
  IsolationForest,
  FittedIsolationForest,
  averagePathLength: (n) => call(wasm.anomalyAveragePathLength, n),
  mad: (x) => call(wasm.anomalyMad, x),
  madOutliers: (x, options) => call(wasm.anomalyMadOutliers, x, options),
  hampel: (x, options) => call(wasm.anomalyHampel, x, options),
  esd: (x, options) => call(wasm.anomalyEsd, x, options),
  seasonalEsd: (x, options) => call(wasm.anomalySeasonalEsd, x, options),
  residualAlerts: (series, options) => call(wasm.anomalyResidualAlerts, series, options),
});

/** The channelwise version this module was built from. */
export const version = () => call(wasm.version);

/** Every `code` a channelwise error can carry, as compiled into the .wasm. */
export const errorCodes = () => call(wasm.errorCodes);
