// channelwise for the browser and Node: the ES module users import.
//
// The API is declared once in Rust (bindings-js) and built here by the shared wrapper (api.js)
// from one wasm export, `call`: `attribution.*`, `journey.*`, `stats.*`, `forecast.*`,
// `anomaly.*` and `optimize.*` with the names and shapes of the Node binding (`heuristics`, `markov`, `shapley`, `orderedShapley`, `timeDecay`, `Markov` /
// `FittedMarkov`; `journey.pathTable`; `stats.pearson`, ...; `forecast.metrics.*`,
// `forecast.RollingOrigin`, `forecast.AutoEts` / `Ets` / `FittedEts`, `forecast.stl` / `mstl`;
// `anomaly.IsolationForest`, `anomaly.mad`, ...; `optimize.Saturation`, `Adstock`, `MMM` /
// `FittedMMM`), plus `attribution.parsePathCsv`. Errors from Rust
// are already JS Errors with `code` = the core's kind code (src/error.rs) and pass through as
// they are. A trap (a Rust panic: wasm32 cannot unwind) becomes an Error with code "internal",
// and the instance is marked unusable.
//
//   import { init, attribution } from 'channelwise-wasm';
//   await init();   // browser: fetches the .wasm next to the glue; Node: reads it from disk
//   const rows = attribution.markov({ path: ['a>b', 'b'], conversions: [1, 2] }, { order: 1 });

import wbgInit, * as wasm from '../pkg/channelwise_wasm.js';
import { build } from './api.js';
import SURFACE from './surface.js';
import { wellFormed } from './text.js';

let ready = null;
let instantiated = false;
let poisoned = null;
/** What user callbacks threw (a `WebAssembly.RuntimeError` among them is theirs, not a trap). */
const userThrew = new WeakSet();

/**
 * A user callback as Rust calls it (`RollingOrigin.evaluate`'s `fitPredict`): what it throws
 * comes back out of Rust unchanged; an object it throws is remembered, so that `call` does not
 * take a `WebAssembly.RuntimeError` thrown by user code for a trap of this instance.
 */
const userCallback = (f) => function callback(...args) {
  try {
    return f.apply(this, args);
  } catch (e) {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) userThrew.add(e);
    throw e;
  }
};

function codedError(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

/** The compiled module, kept so that a Web Worker running a long call instantiates it again. */
let compiled = null;

/** `source` (URL, string, Request, Response, bytes, WebAssembly.Module or a promise of one) compiled. */
async function compile(source) {
  let input = await source;
  if (input instanceof WebAssembly.Module) return input;
  if (typeof input === 'string' || input instanceof URL || (typeof Request === 'function' && input instanceof Request)) {
    input = await fetch(input);
  }
  if (typeof Response === 'function' && input instanceof Response) {
    const type = input.headers.get('content-type') ?? '';
    if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(input);
    }
    input = await input.arrayBuffer();
  }
  return WebAssembly.compile(input);
}

/**
 * Loads and instantiates the WebAssembly module once; later calls return the same promise.
 * `source` is a URL, Response, bytes or a WebAssembly.Module; by default the browser fetches
 * `channelwise_wasm_bg.wasm` beside the glue and Node reads it.
 */
export function init(source) {
  if (!ready) {
    ready = (async () => {
      let input = source;
      if (input === undefined && typeof process !== 'undefined' && process.versions?.node) {
        const { readFile } = await import('node:fs/promises');
        input = await readFile(new URL('../pkg/channelwise_wasm_bg.wasm', import.meta.url));
      }
      compiled = await compile(input ?? new URL('../pkg/channelwise_wasm_bg.wasm', import.meta.url));
      await wbgInit({ module_or_path: compiled });
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
    if (table === null || typeof table !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(table))) return [table, undefined];
    const out = { ...table }; // other columns as they are (keyTouch; a misspelt one for Rust to name)
    const path = out.path;
    if (!Array.isArray(path)) return [table, undefined];
    const n = path.length;
    for (let i = 0; i < n; i += 1) {
      if (typeof path[i] !== 'string') return [table, undefined];
    }
    for (const k of ['conversions', 'nulls', 'value']) if (k in out) out[k] = numbersColumn(out[k]);
    // A keyTouch of nulls only (what pathTable and parsePathCsv give without leads) says what
    // its absence says; left out, Rust does not read it null by null (0.09 s per 1M rows here).
    const keys = out.keyTouch;
    if (Array.isArray(keys) && keys.length === n && keys.every((k) => k === null || k === undefined)) delete out.keyTouch;
    const text = path.join('\n');
    // a lone surrogate would be encoded as U+FFFD: read path by path, Rust names it
    if (!wellFormed(text)) return [table, undefined];
    return [out, utf8.encode(text)];
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


/**
 * A matrix as Rust takes it: `number[][]` rows of numbers, all equally long, become one flat
 * Float64Array and their width `nFeatures` (one copy across the boundary instead of one per
 * value); anything else goes to Rust as it is, which reports it precisely.
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

/**
 * One call of the shared API (bindings-js): the table argument, if any (each table of
 * `journey.merge`'s list), goes through the fast path (its paths as one UTF-8 buffer, handed
 * over just before the call), and so does a matrix
 * argument (`x: Matrix`, then `nFeatures`: rows as one flat Float64Array).
 */
function sharedCall(id, args, member) {
  return sharedCallWith(id, args, member, (a) => wasm.call(id, a));
}

/** `sharedCall`, the last step (`run(args)`) given. */
function sharedCallWith(id, args, member, run) {
  let a = args;
  const joined = []; // [field, utf8]
  const t = member.tableArg;
  if (t !== null && t !== undefined) {
    const i = member.kind === 'method' ? t + 1 : t;
    const fast = (table, field) => {
      const [out, paths] = fastTable(table);
      if (paths !== undefined) joined.push([field, paths]);
      return out;
    };
    a = a.slice();
    // journey.merge's list of tables, each through the fast path (`tables[1].path`)
    a[i] = Array.isArray(a[i]) ? a[i].map((x, k) => fast(x, `tables[${k}].path`)) : fast(a[i], 'path');
  }
  const m = member.matrixArg; // [x, nFeatures]: glm's fit has y and sampleWeight between them
  if (m) {
    const [i, n] = m.map((k) => (member.kind === 'method' ? k + 1 : k));
    a = a.slice();
    [a[i], a[n]] = fastMatrix(a[i], a[n]);
  }
  if (a.some((x) => typeof x === 'function')) a = a.map((x) => (typeof x === 'function' ? userCallback(x) : x));
  return call(() => {
    for (const [field, paths] of joined) wasm.stashJoined(field, paths);
    return run(a);
  });
}

// ---------------------------------------------------------------------------------------------
// Long calls in a Web Worker: in a browser, a long `...Async` call (bootstrap intervals, sampled
// Shapley) runs on a worker of its own with a second instance of the module, so the page stays
// responsive, `onProgress` sees the worker's reports as they come, and an `AbortSignal`
// terminates the worker: the promise rejects with code `cancelled` at once. Without `Worker`
// (Node, tests) the call runs on this thread and reports at the end.

/** Running worker jobs by watch: `{ progress, cancel }`. */
const workerJobs = new Map();

/** Whether this package has model travel (a slim package may leave out the `json` module). */
let modelJson;

/** Whether objects of class `cls` (`attribution.FittedMarkov`) cross to a worker as JSON. */
function hasJson(cls) {
  modelJson ??= sharedCall('modelJson', [], PLAIN);
  return modelJson && SURFACE_MEMBERS.has(`${cls}.toJSON`) && SURFACE_MEMBERS.has(`${cls}.fromJSON`);
}

/**
 * Whether long call `id` can go to a worker here: there are workers, and what crosses is plain
 * data or has a JSON document (a fitted model a method runs on or returns), or a method's object
 * can be made again from the arguments it was constructed with (a spec such as `AutoEts`).
 */
function canUseWorker(id, member, made) {
  if (typeof Worker !== 'function' || compiled === null || typeof window !== 'object') return false;
  if (member.returns !== null && !hasJson(`${CLASS_NS.get(member.returns)}.${member.returns}`)) return false;
  return member.kind !== 'method' || hasJson(id.slice(0, id.lastIndexOf('.'))) || made !== undefined;
}

/**
 * The work for the worker: the id, the arguments, and a method's object as its JSON document or
 * as the arguments it was constructed with (`made`).
 */
function workerJob(id, args, member, made) {
  if (member.kind !== 'method') return { id, args, from: null, doc: null };
  const base = id.slice(0, id.lastIndexOf('.'));
  if (!hasJson(base)) return { id, args: args.slice(1), from: `${base}.constructor`, doc: made };
  const doc = sharedCall(`${base}.toJSON`, [args[0]], PLAIN);
  return { id, args: args.slice(1), from: `${base}.fromJSON`, doc: [doc] };
}

function inWorker(id, args, member, watch, made) {
  return new Promise((resolve, reject) => {
    const job = workerJob(id, args, member, made);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const state = { progress: { done: 0, total: 0, stage: '' } };
    // The last report stays readable until the wrapper's final onProgress has seen it.
    const finish = () => {
      worker.terminate();
      setTimeout(() => workerJobs.delete(watch), 0);
    };
    state.cancel = () => {
      const { done, total, stage } = state.progress;
      finish();
      reject(codedError('cancelled', `${member.name} cancelled after ${done} of ${total} ${stage || 'units'}`));
    };
    workerJobs.set(watch, state);
    worker.onmessage = ({ data }) => {
      if (data.progress) {
        state.progress = data.progress;
      } else if ('result' in data) {
        finish();
        try {
          const back = (doc) => sharedCall(`${CLASS_NS.get(member.returns)}.${member.returns}.fromJSON`, [doc], PLAIN);
          resolve(member.returns === null ? data.result : mapHandles(member, data.result, back));
        } catch (e) {
          reject(e);
        }
      } else if (data.error) {
        finish();
        reject(data.error.code ? codedError(data.error.code, data.error.message) : Object.assign(new Error(data.error.message), { name: data.error.name }));
      }
    };
    worker.onerror = (e) => {
      finish();
      reject(codedError('internal', `channelwise worker failed: ${e.message}`));
    };
    try {
      worker.postMessage({ module: compiled, job });
    } catch (e) {
      finish();
      reject(e);
    }
  });
}

/**
 * Runs a worker job in this (worker's) instance, reporting progress to `report`; used by
 * js/worker.js only.
 */
export function _runInWorker(job, report) {
  const args = job.from === null ? job.args : [sharedCall(job.from, job.doc, PLAIN), ...job.args];
  const member = { ...(SURFACE_MEMBERS.get(job.id) ?? PLAIN), kind: job.from === null ? 'function' : 'method' };
  const result = sharedCallWith(job.id, args, member, (a) => wasm.callReporting(job.id, a, report));
  // Fitted models come back to the page as their JSON documents.
  return member.returns === null ? result : mapHandles(member, result, (h) => sharedCall(`${CLASS_NS.get(member.returns)}.${member.returns}.toJSON`, [h], PLAIN));
}

/** A member's result with each class handle mapped by `f` (errors of a many-result kept). */
function mapHandles(member, result, f) {
  if (!member.many) return f(result);
  return result.map((x) => (x !== null && typeof x === 'object' && 'error' in x ? x : f(x)));
}

const PLAIN = { kind: 'function', tableArg: null, matrixArg: null, returns: null };
const SURFACE_MEMBERS = new Map();
/** The namespace of each class, by name. */
const CLASS_NS = new Map();
for (const ns of SURFACE.namespaces) {
  for (const c of ns.classes) CLASS_NS.set(c.name, ns.name);
  for (const f of ns.functions) SURFACE_MEMBERS.set(`${ns.name}.${f.name}`, f);
  for (const c of ns.classes) for (const m of c.members) SURFACE_MEMBERS.set(`${ns.name}.${c.name}.${m.name}`, m);
}

const shared = build(
  {
    call: sharedCall,
    stashJoined: (field, text) => wasm.stashJoined(field, utf8.encode(text)),
    callAsync: (id, args, member, watch, made) => {
      if (member.long && watch !== undefined && canUseWorker(id, member, made)) return inWorker(id, args, member, watch, made);
      // No worker: the promise settles with the same call, run now (reporting to the watch).
      return new Promise((resolve) => {
        resolve(watch === undefined
          ? sharedCall(id, args, member)
          : sharedCallWith(id, args, member, (a) => wasm.callWatched(id, a, watch)));
      });
    },
    read: (watch) => workerJobs.get(watch)?.progress,
    cancel: (watch) => {
      const job = workerJobs.get(watch);
      if (job === undefined) return false;
      job.cancel();
      return true;
    },
    release: (handle) => {
      if (instantiated && !poisoned) {
        try { wasm.release(handle); } catch { /* the instance is gone */ }
      }
    },
  },
  SURFACE,
);

/** Multi-touch attribution over a path table `{ path, conversions, nulls?, value? }`. */
export const attribution = Object.freeze(shared.attribution);
export const { Markov, FittedMarkov } = shared.attribution;

/** Journeys: from event columns to path tables. */
export const journey = Object.freeze(shared.journey);

/** Classical statistics: correlation and trend tests. Series are `number[] | Float64Array`. */
export const stats = Object.freeze(shared.stats);

/**
 * Forecasting: ETS (`Ets`, `AutoEts` -> `FittedEts`), decomposition (`stl`, `mstl`, strengths),
 * accuracy metrics (`metrics.*`) and rolling-origin evaluation (`RollingOrigin`).
 */
export const forecast = Object.freeze(shared.forecast);
export const { RollingOrigin, Ets, AutoEts, FittedEts } = shared.forecast;

/** Anomaly detection: isolation forest, robust detectors and forecast-residual alerts. */
export const anomaly = Object.freeze(shared.anomaly);
export const { IsolationForest, FittedIsolationForest } = shared.anomaly;

/** Generalised linear models: `LogisticRegression` -> `FittedLogistic`. */
export const glm = Object.freeze(shared.glm);
export const { LogisticRegression, FittedLogistic } = shared.glm;

/**
 * Customer lifetime value: `BetaGeo`, `ParetoNbd`, `GammaGamma`, `ShiftedBetaGeo` -> `Fitted*`;
 * `*Params` at known parameters; `rfm`, `calibrationAndHoldout`.
 */
export const clv = Object.freeze(shared.clv);

/**
 * Leads: `funnel`, `cohorts`, `score`, `lifecycle`, `health` over an event log
 * `{ lead, timestamp, event, value? }`.
 */
export const leads = Object.freeze(shared.leads);

/**
 * Response curves and the media mix model: `Saturation`, `Adstock`, `MMM` -> `FittedMMM`; bids:
 * `BidModel` -> `FittedBids`.
 */
export const optimize = Object.freeze(shared.optimize);
export const { Saturation, Adstock, MMM, FittedMMM, BidModel, FittedBids } = shared.optimize;

/**
 * Platforms, sans I/O: PII normalised and hashed as Meta and Google document it, webhook
 * signatures, the seeded simulated ad market (`platform.SimMarket`) and `platform.classify`.
 */
export const platform = Object.freeze(shared.platform);

/**
 * Experiments: `ztest`, `welch`, `chisq`, `betaBinomial`, `bayes`, `power`, `cuped`,
 * `sequential`, `groupSequential` over arms' sufficient statistics, and `Bandit` (seeded,
 * serialisable bandits: one can run in the page and resume elsewhere from its `toJSON()`).
 */
export const experiment = Object.freeze(shared.experiment);

/**
 * Decisions, the pure rules: `assessRisk`, `riskLevel`, `autoApproves`, `stages`,
 * `validatePolicy`, `checkGuardrails`, `capsBreach`, `performanceBreach`. `decide.Engine` needs a
 * store and runs in Node only: here its constructor throws `invalid_parameter`.
 */
export const decide = Object.freeze(shared.decide);

/** The channelwise version this module was built from. */
export const version = () => sharedCall('version', [], PLAIN);

/** Every `code` a channelwise error can carry, as compiled into the .wasm. */
export const errorCodes = () => sharedCall('errorCodes', [], PLAIN);

/** Every `code` a channelwise error can carry, in the core's order (tested against the .wasm). */
export const ERROR_CODES = shared.ERROR_CODES;
