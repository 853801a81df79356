// The JS API of channelwise, shared by the Node addon and the browser module.
//
// Both packages' Rust side exposes one entry point, `call(id, args)` (and Node's
// `callAsync(id, args)` on a worker thread). `surface.json`, generated from the declarations in
// Rust (bindings-js/src/api.rs), lists the namespaces, functions and classes; `build` turns it
// into the public API: `attribution.markov(table, options)`, `new attribution.Markov(spec)
// .fit(table)`, ... There is no per-function code here: a function declared in Rust appears in
// both packages.
//
// Classes hold a handle to the Rust object in a private WeakMap; `toJSON()` gives a fitted
// model's JSON document as an object (so `JSON.stringify(model)` is the text Python's to_json
// writes) and `fromJSON(doc)` takes it back, as that object or as text.
//
// This file is the one source; the Node build copies it to bindings-node/api.cjs (CommonJS) and
// the browser build to bindings-wasm/js/api.js, with surface.json beside each
// (scripts/sync_js_api.mjs).

/**
 * Builds the public API.
 * @param {object} backend
 * @param {(id: string, args: unknown[], member: object) => unknown} backend.call
 * @param {(id: string, args: unknown[], member: object, watch?: unknown, made?: unknown[]) => Promise<unknown>} backend.callAsync
 *   `made`: for a method, a copy of the arguments its object was constructed with, if any
 *   `watch` (from `call('progress.watch')`) receives a long call's progress and can cancel it
 * @param {(watch: unknown) => object | undefined} [backend.read] a long call's progress, where the
 *   backend runs it elsewhere (the browser's worker); default: the watch's
 * @param {(watch: unknown) => boolean} [backend.cancel] cancels such a call; default: the watch
 * @param {(handle: unknown) => void} [backend.release] frees a handle once its object is collected
 * @param {{ errorCodes: string[], namespaces: object[] }} surface bindings-js/js/surface.json
 * @returns {Record<string, object>} one object per namespace, and `ERROR_CODES`
 */
export function build(backend, surface) {
  const { release } = backend;
  /**
   * `backend.call`, handing over first (`backend.stashJoined(field, text)`, where the backend
   * has it) each all-string column of the member's event tables as one string (see
   * `eventColumns`). Only synchronous calls do: what is handed over is for the next call.
   */
  const call = backend.stashJoined
    ? (id, args, m) => {
        const [a, joined] = eventColumns(m, args);
        for (const [field, text] of joined) backend.stashJoined(field, text);
        return backend.call(id, a, m);
      }
    : backend.call;
  const TOKEN = Symbol('channelwise');
  const classes = new Map();
  const registry = release && typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(release) : null;

  const coded = (code, message) => Object.assign(new Error(message), { code });

  /** Every class instance's handle, whatever its class (see `withHandles`). */
  const instances = new WeakMap();
  // A handle boxed in an object with this one key (bindings-js `api::HANDLE_KEY`): the browser
  // build's handles are numbers, which a plain number given by mistake must not pass for.
  const handleOf = (x) => (x !== null && typeof x === 'object' && instances.has(x) ? { __channelwiseHandle: instances.get(x) } : x);
  /**
   * The arguments with each instance given where the member's declared type names a class
   * (`m.handleArgs`: `channels: FittedMMM | AllocationChannel[]`) replaced by its boxed handle,
   * there or one level down, as a property of an object in an array (`[{ curve: saturation }]`)
   * or an element of such a property's array (`[{ draws: [saturation, ...] }]`), or a property
   * of a plain inputs object (`{ channels: fitted, bids: model }`, walked as above below it),
   * so the Rust side can read it. Other arguments are not walked.
   */
  const withHandles = (m, args) => {
    if (!m.handleArgs || m.handleArgs.length === 0) return args;
    const boxed = (x) => x !== null && typeof x === 'object' && instances.has(x);
    const inArray = (v) =>
      v.map((e) => {
        if (e === null || typeof e !== 'object' || Array.isArray(e) || boxed(e)) return handleOf(e);
        const entries = Object.entries(e);
        const inside = (x) => boxed(x) || (Array.isArray(x) && x.some(boxed));
        return entries.some(([, x]) => inside(x)) ? Object.fromEntries(entries.map(([k, x]) => [k, Array.isArray(x) ? x.map(handleOf) : handleOf(x)])) : e;
      });
    const a = args.slice();
    for (const i of m.handleArgs) {
      const v = a[i];
      if (Array.isArray(v)) a[i] = inArray(v);
      else if (v !== null && typeof v === 'object' && !boxed(v) && Object.getPrototypeOf(v) === Object.prototype) {
        // an inputs object (`{ channels: fitted, bids: model }`): its properties, one level each
        a[i] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? inArray(x) : handleOf(x)]));
      } else a[i] = handleOf(v);
    }
    return a;
  };

  /**
   * The arguments of member `m` with each table given as rows (`m.rowArgs`: `[index, name,
   * columns, defaults, list?]`, `list` for a list of tables, each of which may come as rows; a
   * table as rows is an array such as `[{ userId: 'u1', timestamp: 1700000000, channel:
   * 'search' }]`) as the object of columns Rust reads: one array per column some row has, with
   * the column's default (`defaults`) where a row has none or `null`, else `undefined` (a bad
   * cell is named by row and column, `touchpoints[3].channel`: see `byRow`). A later row that is
   * no object, or a key that is not one of `columns` (any key is, where there are none: lead
   * attributes), is an error naming the row (`touchpoints[3].chanel`). An array whose first item
   * is no object (`[]` too) is left for Rust to refuse, as before tables could come as rows: an
   * empty table is given as columns.
   */
  const withRows = (m, args) => {
    if (!m.rowArgs) return args;
    let a = args; // copied only when a table comes as rows
    for (const [i, name, columns, defaults, list] of m.rowArgs) {
      const v = a[i];
      let t;
      if (!list) t = asColumns(v, name, columns, defaults);
      else if (Array.isArray(v)) t = v.map((x, k) => asColumns(x, `${name}[${k}]`, columns, defaults)); // `tables[1][3].path`
      if (t === undefined || t === v || (list && t.every((x, k) => x === v[k]))) continue;
      if (a === args) a = args.slice();
      a[i] = t;
    }
    return a;
  };
  /** Table `rows` (named `name`) as its object of columns, if it is rows (see `withRows`); else as it is. */
  const asColumns = (rows, name, columns, defaults) => {
    if (!Array.isArray(rows) || !isRow(rows[0])) return rows;
    const n = rows.length;
    const cols = {};
    for (let r = 0; r < n; r++) {
      const row = rows[r];
      if (!isRow(row)) {
        const shown = typeof row === 'string' ? row.slice(0, 40) : Array.isArray(row) ? 'an array' : String(row);
        throw coded('invalid_parameter', `invalid ${name}[${r}]: "${shown}" (expected a row: an object${columns.length ? ` of ${columns.join(', ')}` : ''})`);
      }
      for (const k in row) {
        if (cols[k] === undefined) {
          if (columns.length && !columns.includes(k)) throw coded('invalid_parameter', `invalid ${name}[${r}].${k}: "${k}" (unknown column; expected one of ${columns.join(', ')})`);
          cols[k] = new Array(n).fill(defaults[k]);
        }
        cols[k][r] = row[k] ?? defaults[k];
      }
    }
    return cols;
  };
  const isRow = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
  /**
   * Error `e` of a call of member `m` on `args`, a cell of a table given as rows named as the rows
   * were written (`touchpoints[3].channel`), not as Rust read their columns
   * (`touchpoints.channel[3]`, or `channel[3]` where Rust gives no table name, which is read so
   * only for a member with one such table, of named columns). Only channelwise's own errors are
   * renamed.
   */
  const byRow = (m, args, e) => {
    if (!m.rowArgs || !surface.errorCodes.includes(e?.code) || typeof e.message !== 'string') return e;
    for (const [i, name, columns, , list] of m.rowArgs) {
      const tables = list ? (Array.isArray(args[i]) ? Array.from(args[i], (t, k) => [t, `${name}[${k}]`]) : []) : [[args[i], name]];
      for (const [rows, tableName] of tables) {
        if (!Array.isArray(rows) || !isRow(rows[0])) continue;
        const prefix = tableName.replace(/[[\]]/g, '\\$&');
        const table = m.rowArgs.length === 1 && !list && columns.length ? `(?:${prefix}\\.)?` : `${prefix}\\.`;
        const cell = new RegExp(`(?<![\\w.])${table}(${columns.join('|') || '\\w+'})\\[(\\d+)\\]`, 'g');
        const message = e.message.replace(cell, `${tableName}[$2].$1`);
        if (typeof e.stack === 'string') e.stack = e.stack.replace(e.message, message);
        e.message = message;
      }
    }
    return e;
  };
  /**
   * The arguments with the `Date`s of each table's `timestamp` or `datetime` column (a table
   * of `m.rowArgs`, as columns by now) as unix seconds, the fraction of a second dropped, as
   * Python reads datetimes. A `Date` is recognised across realms (an iframe's too). Text in such
   * a column is an error naming its cell and saying to make it a `Date`: whether a time without
   * an offset is UTC or local is the caller's to say.
   */
  const withDates = (m, args) => {
    if (!m.rowArgs) return args;
    let a = args; // copied only when a column has a Date
    for (const [i, name, columns] of m.rowArgs) {
      const t = a[i];
      if (t === null || typeof t !== 'object' || Array.isArray(t)) continue;
      for (const k of ['timestamp', 'datetime']) {
        const col = columns.includes(k) ? t[k] : undefined;
        const odd = Array.isArray(col) ? col.findIndex((x) => typeof x !== 'number') : -1;
        if (odd < 0) continue;
        // text is refused with the way out: JS's own Date reads it as the caller means it
        const text = col.findIndex((x) => typeof x === 'string');
        if (text >= 0) throw coded('invalid_parameter', `invalid ${name}.${k}[${text}]: "${col[text].slice(0, 40)}" (expected unix seconds or a Date; new Date(text) reads text)`);
        if (!col.some(isDate)) continue;
        if (a === args) a = args.slice();
        a[i] = { ...a[i], [k]: col.map((x) => (isDate(x) ? Math.floor(x.getTime() / 1000) : x)) };
      }
    }
    return a;
  };
  /**
   * A `Map` argument, a class instance with getters, or a built-in object (a `RegExp`, a `Set`)
   * given as options is refused: Rust reads an object's own keys, and their settings are none of
   * them (they were lost, and the defaults used, silently).
   */
  const plainObjects = (m, args) => {
    args.forEach((v, i) => {
      const what = i === m.optionsArg ? 'options' : `argument ${i + 1}`;
      if (v instanceof Map) throw coded('invalid_parameter', `invalid ${what}: "a Map" (expected a plain object; Object.fromEntries(map) makes one)`);
      const proto = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.getPrototypeOf(v) : null;
      if (i === m.optionsArg && proto !== null && Object.getPrototypeOf(proto) !== null && builtIn(proto.constructor)) {
        throw coded('invalid_parameter', `invalid options: "a ${proto.constructor.name}" (expected a plain object)`);
      }
      const got = getters(v);
      if (got.length) throw coded('invalid_parameter', `invalid ${what}: "a ${v.constructor?.name || 'class instance'}" (expected a plain object: its getters ${got.join(', ')} are not own keys; { ${got[0]}: x.${got[0]}, ... } makes one)`);
    });
    return args;
  };
  /**
   * The getters on `v`'s prototypes below the root one (`Object.prototype`, of any realm), where
   * `v` is an object of a class written in JS (not a built-in such as a `Set` or an
   * `ArrayBuffer`, which Rust names as the wrong type, nor a channelwise instance).
   */
  const getters = (v) => {
    const out = [];
    if (v === null || typeof v !== 'object' || instances.has(v)) return out;
    const proto = Object.getPrototypeOf(v);
    if (proto === null || builtIn(proto.constructor)) return out;
    for (let p = proto; p !== null && Object.getPrototypeOf(p) !== null; p = Object.getPrototypeOf(p)) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get) out.push(k);
    }
    return out;
  };
  /** The arguments as Rust reads them: tables given as rows turned into columns, `Date`s into seconds, instances into handles. */
  const prepare = (m, args) => withHandles(m, withDates(m, withRows(m, plainObjects(m, args))));
  /** `go(prepare(m, args))`, what it throws as `byRow` names it. */
  const run = (m, args, go) => {
    try {
      return go(prepare(m, args));
    } catch (e) {
      throw byRow(m, args, e);
    }
  };
  /** `run` for the `...Async` calls: an error in the arguments as a rejected promise. */
  const prepared = (m, args, then) => {
    let a;
    try {
      a = prepare(m, args);
    } catch (e) {
      return Promise.reject(e);
    }
    return then(a).catch((e) => {
      throw byRow(m, args, e);
    });
  };

  /**
   * A class instance around a handle the Rust side returned; for a member returning many, an
   * array of them, or the first item's error (`{ error: { code, message } }`) thrown once all
   * are back.
   */
  const finish = (member, value) => {
    if (member.returns === null || (value === null && !member.many)) return value;
    const C = classes.get(member.returns);
    if (!member.many) return new C(TOKEN, value);
    const failed = value.find((x) => x !== null && typeof x === 'object' && 'error' in x);
    if (failed !== undefined) throw coded(failed.error.code, failed.error.message);
    return value.map((x) => new C(TOKEN, x));
  };

  const INTERNAL = { kind: 'function', name: 'progress', returns: null, tableArg: null, matrixArg: null, optionsArg: null };

  /**
   * The `...Async` call of member `m`. A long one (`m.long`) takes `onProgress` and `signal` in
   * its options: they are taken out before the options reach Rust, a `Watch` is made for the
   * call, `onProgress` is called from a 50 ms timer while the call runs (and once at the end),
   * and an abort cancels the watch, which stops the core between units of work: the promise
   * rejects with code `cancelled`, never with a partial result.
   */
  function callAsync(id, args, m, made) {
    if (!m.long || m.optionsArg === null) return backend.callAsync(id, args, m, undefined, made);
    const i = m.kind === 'method' ? m.optionsArg + 1 : m.optionsArg;
    const o = args[i];
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return backend.callAsync(id, args, m, undefined, made);
    let onProgress;
    let signal;
    let rest;
    try {
      ({ onProgress, signal, ...rest } = o);
    } catch (e) {
      return Promise.reject(e);
    }
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
      return Promise.reject(coded('invalid_parameter', `invalid options.onProgress: "${typeof onProgress}" (expected a function)`));
    }
    const isSignal = (x) => typeof x === 'object' && typeof x.aborted === 'boolean' && typeof x.addEventListener === 'function';
    if (signal !== undefined && signal !== null && !isSignal(signal)) {
      return Promise.reject(coded('invalid_parameter', `invalid options.signal: "${typeof signal}" (expected an AbortSignal)`));
    }
    const a = args.slice();
    a[i] = rest;
    if (!onProgress && !signal) return backend.callAsync(id, a, m, undefined, made);
    if (signal?.aborted) return Promise.reject(coded('cancelled', `${m.name} cancelled before it started`));
    const watch = call('progress.watch', [], INTERNAL);
    let last = -1;
    let thrown;
    const tick = () => {
      if (!onProgress || thrown !== undefined) return;
      const p = backend.read?.(watch) ?? call('progress.read', [watch], INTERNAL);
      if (p.total > 0 && p.done !== last) {
        last = p.done;
        try {
          onProgress(p);
        } catch (e) {
          // What the callback throws stops the call and is what the promise rejects with.
          thrown = e;
          cancel();
        }
      }
    };
    const cancel = () => backend.cancel?.(watch) || call('progress.cancel', [watch], INTERNAL);
    const onAbort = () => cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = onProgress ? setInterval(tick, 50) : null;
    const done = () => {
      if (timer !== null) clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    return backend.callAsync(id, a, m, watch, made).then(
      (v) => {
        done();
        tick();
        if (thrown !== undefined) throw thrown;
        return v;
      },
      (e) => {
        done();
        throw thrown !== undefined ? thrown : e;
      },
    );
  }

  /** `fromJSON` takes the document as the object `toJSON()` gave or as its JSON text. */
  const jsonArgs = (member, args) => {
    if (member.name !== 'fromJSON' || typeof args[0] !== 'string') return args;
    let doc;
    try {
      doc = JSON.parse(args[0]);
    } catch (e) {
      throw coded('invalid_parameter', `invalid json: ${JSON.stringify(args[0].slice(0, 40))} (${e.message})`);
    }
    return [doc, ...args.slice(1)];
  };

  function makeClass(ns, spec) {
    const base = `${ns}.${spec.name}`;
    const handles = new WeakMap();
    const made = new WeakMap();
    // The arguments each object was constructed with, alive as long as the object: the Rust side
    // refers to what it keeps from them (decide.Engine's adapter) weakly, so an adapter that
    // holds its engine does not keep both alive for good.
    const madeWith = new WeakMap();
    const ctor = spec.members.find((m) => m.kind === 'new' || m.kind === 'hidden');
    const C = class {
      constructor(...args) {
        const handle = args[0] === TOKEN ? args[1] : run(ctor, args, (a) => call(`${base}.constructor`, a, ctor));
        if (args[0] !== TOKEN) {
          // A private copy of what the object was made with, so that a backend can make it again
          // elsewhere (the browser's worker); none if the arguments cannot be copied.
          try {
            made.set(this, structuredClone(args));
          } catch {
            /* not cloneable: the object stays on this thread */
          }
        }
        if (args[0] !== TOKEN) madeWith.set(this, args);
        handles.set(this, handle);
        instances.set(this, handle);
        registry?.register(this, handle);
      }
    };
    Object.defineProperty(C, 'name', { value: spec.name });
    const self = (obj) => {
      const h = handles.get(obj);
      if (h === undefined) throw coded('invalid_parameter', `invalid this: "${typeof obj}" (expected a channelwise ${spec.name})`);
      return h;
    };
    for (const m of spec.members) {
      const id = `${base}.${m.name}`;
      if (m.kind === 'method') {
        C.prototype[m.name] = function method(...args) {
          const h = self(this);
          return finish(m, run(m, args, (a) => call(id, [h, ...a], m)));
        };
        if (m.hasAsync) {
          C.prototype[`${m.name}Async`] = function methodAsync(...args) {
            let h;
            try {
              h = self(this);
            } catch (e) {
              return Promise.reject(e);
            }
            return prepared(m, args, (a) => callAsync(id, [h, ...a], m, made.get(this))).then((v) => finish(m, v));
          };
        }
      } else if (m.kind === 'getter') {
        Object.defineProperty(C.prototype, m.name, {
          get() {
            return call(id, [self(this)], m);
          },
          configurable: true,
        });
      } else if (m.kind === 'static') {
        C[m.name] = (...args) => finish(m, run(m, jsonArgs(m, args), (a) => call(id, a, m)));
      }
    }
    return C;
  }

  const api = {};
  const built = [];
  for (const ns of surface.namespaces) {
    const obj = {};
    for (const c of ns.classes) {
      const C = makeClass(ns.name, c);
      classes.set(c.name, C);
      obj[c.name] = C;
    }
    for (const f of ns.functions) {
      const id = `${ns.name}.${f.name}`;
      obj[f.name] = (...args) => finish(f, run(f, args, (a) => call(id, a, f)));
      if (f.hasAsync) obj[`${f.name}Async`] = (...args) => prepared(f, args, (a) => callAsync(id, a, f)).then((v) => finish(f, v));
    }
    // `name` prefixes the ids; `path` is where it sits: ['forecast', 'metrics'] nests it under
    // `forecast` (declared before it). A nested namespace is frozen here, the top ones by the package.
    const path = ns.path ?? [ns.name];
    if (path.length === 1) {
      api[path[0]] = obj;
    } else {
      path.slice(0, -1).reduce((o, k) => o[k], api)[path[path.length - 1]] = obj;
    }
    built.push([obj, ns, path.length > 1]);
  }
  // Classes declared in one namespace and exposed in another (`forecast.metrics.RollingOrigin`).
  for (const [obj, ns, isNested] of built) {
    for (const name of ns.also ?? []) obj[name] = classes.get(name);
    if (isNested) Object.freeze(obj);
  }
  api.ERROR_CODES = Object.freeze([...surface.errorCodes]);
  return api;
}

/** Whether `f` is an engine's own function (its source reads `[native code]`), of any realm. */
const builtIn = (f) => typeof f === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f));
/** Whether `x` is a `Date`, of this realm or another. */
const isDate = (x) => x !== null && typeof x === 'object' && Object.prototype.toString.call(x) === '[object Date]';

/** Whether `col` is an array whose every cell, holes included (which `every` skips), is a `type`. */
const every = (col, type) => {
  if (!Array.isArray(col)) return false;
  for (let i = 0; i < col.length; i += 1) if (typeof col[i] !== type) return false;
  return true;
};

/** No lone surrogate in `t` (`isWellFormed` where the engine has it: Node 20+, browsers since 2023). */
const wellFormed = (t) => (t.isWellFormed ? t.isWellFormed() : !/\p{Cs}/u.test(t));

/** The columns an event table (`touchpoints`, `conversions`) may have; its string ones. */
const EVENT_KEYS = ['userId', 'timestamp', 'channel', 'campaign', 'cost', 'eventId', 'value', 'type'];
const EVENT_TEXT = new Set(['userId', 'channel', 'campaign', 'eventId', 'type']);

/**
 * The arguments of member `m` with its event tables (`m.eventArgs`: `[index, name]`) read once
 * into plain objects of their columns (a `number[]` of numbers as a Float64Array: one copy
 * across), and `[field, text]` for each column that is an array of
 * strings only: `column.join('\n')`, which crosses to Rust as one string instead of one per row
 * (`touchpoints.userId`). Rust uses it only if it splits into exactly the column's rows (a
 * newline inside a cell: read cell by cell). A table that is no plain object, or whose reading
 * throws, goes to Rust as it is, which reports it precisely (an unknown column too).
 */
function eventColumns(m, args) {
  if (!m.eventArgs) return [args, []];
  const a = args.slice();
  const joined = [];
  for (const [e, name] of m.eventArgs) {
    const i = m.kind === 'method' ? e + 1 : e;
    const cols = a[i];
    try {
      if (cols === null || typeof cols !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(cols))) continue;
      const out = { ...cols }; // other keys as they are, for Rust to name
      const texts = [];
      for (const key of EVENT_KEYS) {
        const col = out[key];
        if (col === undefined) continue;
        const numbers = !EVENT_TEXT.has(key) && every(col, 'number');
        out[key] = numbers ? Float64Array.from(col) : col;
        const text = EVENT_TEXT.has(key) && every(col, 'string') ? col.join('\n') : '';
        // a lone surrogate would cross as U+FFFD: read cell by cell, Rust names it
        if (text && wellFormed(text)) texts.push([`${name}.${key}`, text]);
      }
      a[i] = out;
      joined.push(...texts);
    } catch {
      // left as it is
    }
  }
  return [a, joined];
}
