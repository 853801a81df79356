// channelwise for the browser and Node: the ES module users import.
//
// wasm-bindgen exports flat functions (no nested namespaces); this wrapper groups them as
// `attribution.*` with the names and shapes of the Node binding (`heuristics`, `markov`,
// `shapley`, `orderedShapley`, `Markov` / `FittedMarkov`), plus `parsePathCsv`. Errors from Rust
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
    if (e instanceof WebAssembly.RuntimeError) {
      let detail = e.message;
      try { detail = wasm.takePanicMessage() ?? detail; } catch { /* instance unusable */ }
      poisoned = `internal error (please report): ${detail}; the WebAssembly instance is no ` +
        'longer usable, reload the module';
      throw codedError('internal', poisoned);
    }
    throw e;
  }
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
    return call(wasm.attributionMarkovShapley, this.#fit.table, this.#spec, { sep: this.#sep }, options);
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
    const fit = call(wasm.attributionMarkovFit, table, this.#spec, options);
    const sep = options?.sep ?? '>';
    return new FittedMarkov(FITTED, fit, this.#spec, sep);
  }
}

/** Multi-touch attribution over a path table `{ path, conversions, nulls?, value? }`. */
export const attribution = Object.freeze({
  heuristics: (table, options) => call(wasm.attributionHeuristics, table, options),
  markov: (table, options) => call(wasm.attributionMarkov, table, options),
  shapley: (table, options) => call(wasm.attributionShapley, table, options),
  orderedShapley: (table, options) => call(wasm.attributionOrderedShapley, table, options),
  parsePathCsv: (text, options) => call(wasm.attributionParsePathCsv, text, options),
  Markov,
  FittedMarkov,
});

/** The channelwise version this module was built from. */
export const version = () => call(wasm.version);

/** Every `code` a channelwise error can carry, as compiled into the .wasm. */
export const errorCodes = () => call(wasm.errorCodes);
