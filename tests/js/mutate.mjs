// Bad input, found by mutation: every call the shared vectors make (tests/js/vectors.mjs) is made
// again a few times first, each time with ONE value somewhere in its arguments replaced (a
// number by NaN, an infinity, 1e300, -1, 2^53, ...; any value by null, a string, an empty array
// or object; a key removed; an array cut short or doubled). Each such call must either succeed or
// throw an Error whose `code` is one of the core's kinds other than `internal`: a panic, an
// `internal` error or a plain TypeError from the JS wrapper is a bug, reported with the call's id,
// where the value was replaced and the arguments. Seeded, so a run is the same every time.
//
// Both packages run it (bindings-node/test/mutate.test.mjs, bindings-wasm/test/mutate.test.mjs),
// ~6 s in Node and ~11 s in the browser build, with the same seed, so the same mutated calls:
//
//   runVectors(mutating(api, { seed: 1 }))
//   checkTheNet()   // the net itself catches an untyped error
//
// It found (and the core now types or bounds): Welch degrees of freedom overflowing to NaN
// (variances past 1e154) and a NaN relative effect reaching statrs' t cdf, which panics; BG/NBD
// and Pareto/NBD fits of histories past double precision ("internal" errors); a reliability
// table allocating every one of 2^32 bins, 2^32 isolation trees, lead-health series and plans of
// 2^32 periods (aborts); a CLV over 2^32 months (ran for good); a Meta budget of 2^53 minor units written and then refused by the
// JS reader; a non-object `json.series` and a null `inputs` reaching the engine's TypeError.
// Objects that change as they are used are forked for it: a mutated call of a `SimMarket` or
// `Bandit` method runs on a copy (`FORK`), so the original goes on as its caller made it
// (`sessions` drives both through a life of calls). It found a Thompson `weights` of 2^32 draws
// (ran for hours) and a market clock moved 2^53 ms (simulated 285,000 years of days).
// What is left out: `...Async` variants (the same readers as the sync call), call-backs' own
// results, and `decide.Engine` (its store and adapter calls).

/** Left alone entirely, construction included (its store and adapter calls). */
const UNBUILT = new Set(['Engine']);
/** Objects that change as they are used, and how each is forked: its mutated method calls run on the fork. */
const FORK = {
  SimMarket: (m) => m.clone(),
  Bandit: (b) => b.constructor.fromJSON(b.toJSON()),
};

/** Replacement values: numbers at and past the edges, and values of the wrong type. */
const NUMBERS = [NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1.5, 1e300, -1e300, 1e-300, 2 ** 53, 2 ** 32];
const OTHERS = [null, undefined, true, '', 'x', [], {}, [NaN], { x: 1 }];

/**
 * The package `api`, with every function and method made to run mutated copies of each call
 * first. The mutated calls' failures throw an AssertionError-like Error from the wrapped call.
 * @param {object} api the package's namespaces (`{ attribution, journey, ... }`) and extras
 * @param {{ seed?: number, perCall?: number, perId?: number }} options mutations per call (8),
 *   calls mutated per function id (10)
 */
export function mutating(api, { seed = 1, perCall = 8, perId = 10 } = {}) {
  const mask = (1n << 64n) - 1n;
  let s = ((BigInt(seed) * 0x9e3779b97f4a7c15n + 0x2545f4914f6cdd1dn) & mask) || 1n;
  const rnd = () => {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    return Number(s >> 11n) / 2 ** 53;
  };
  const pick = (a) => a[Math.floor(rnd() * a.length)];

  const classes = new Set();
  const target = new WeakMap(); // proxy -> the real object
  const seen = new Map(); // id -> calls mutated so far
  let inside = false;
  const codes = new Set(api.ERROR_CODES ?? api.errorCodes?.() ?? []);
  codes.delete('internal');

  const isPlain = (v) => v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

  /** A copy of the arguments' arrays, typed arrays and plain objects; anything else shared. */
  function copy(v, depth = 0) {
    if (depth > 8) return v;
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    if (ArrayBuffer.isView(v)) return v.slice();
    if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x, depth + 1)]));
    return v;
  }

  /** The places in `v` a value may be replaced at: `[parent, key]` pairs. */
  function places(v, out, depth = 0) {
    if (depth > 6) return out;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const n = v.length;
      for (const i of n ? [...new Set([0, n - 1, Math.floor(rnd() * n)])] : []) {
        out.push([v, i]);
        if (!ArrayBuffer.isView(v)) places(v[i], out, depth + 1);
      }
    } else if (isPlain(v)) {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        places(v[k], out, depth + 1);
      }
    }
    return out;
  }

  /** `[mutated arguments, what was done]`, or null when there is nothing to change. */
  function mutate(args) {
    const a = copy(args);
    const all = places(a, []);
    if (all.length === 0) return null;
    const [parent, key] = pick(all);
    const r = rnd();
    const old = parent[key];
    let what;
    if (ArrayBuffer.isView(parent)) {
      parent[key] = pick(NUMBERS);
      what = `[${key}] = ${parent[key]}`;
    } else if (r < 0.1 && isPlain(parent)) {
      delete parent[key];
      what = `delete .${key}`;
    } else if (r < 0.2 && (Array.isArray(old) || ArrayBuffer.isView(old)) && old.length > 0) {
      parent[key] = rnd() < 0.5 ? old.slice(0, Math.floor(rnd() * old.length)) : (Array.isArray(old) ? [...old, ...old] : old);
      what = `${String(key)}: length ${old.length} -> ${parent[key].length}`;
    } else if (typeof old === 'number' || r < 0.6) {
      parent[key] = pick(NUMBERS);
      what = `${String(key)} = ${parent[key]}`;
    } else {
      parent[key] = copy(pick(OTHERS));
      what = `${String(key)} = ${JSON.stringify(parent[key]) ?? 'undefined'}`;
    }
    return [a, what];
  }

  const show = (a) => {
    try {
      return JSON.stringify(a, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : ArrayBuffer.isView(v) ? Array.from(v) : v)).slice(0, 400);
    } catch {
      return '(not printable)';
    }
  };

  /** Runs up to `perCall` mutated copies of `run(args)`; throws on the first untyped failure. */
  function check(id, args, run) {
    if (inside || args.some((x) => typeof x === 'function')) return;
    const n = seen.get(id) ?? 0;
    if (n >= perId) return;
    seen.set(id, n + 1);
    inside = true;
    try {
      for (let i = 0; i < perCall; i += 1) {
        const m = mutate(args);
        if (!m) return;
        try {
          run(m[0]);
        } catch (e) {
          if (e instanceof Error && codes.has(e.code)) continue;
          const got = e instanceof Error ? `${e.constructor.name}${e.code ? ` (code ${e.code})` : ''}: ${e.message}` : `a thrown ${typeof e}`;
          throw new Error(`${id} with ${m[1]} threw ${got}; arguments ${show(m[0])}`);
        }
      }
    } finally {
      inside = false;
    }
  }

  const unwrap = (v, depth = 0) => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function') && target.has(v)) return target.get(v);
    if (depth > 3) return v;
    if (Array.isArray(v)) return v.map((x) => unwrap(x, depth + 1));
    if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x, depth + 1)]));
    return v;
  };
  const wrapOut = (v) => (v !== null && typeof v === 'object' && classes.has(v.constructor) ? instance(v) : v);

  function instance(obj) {
    const cls = obj.constructor.name;
    const p = new Proxy(obj, {
      get(t, k) {
        const v = Reflect.get(t, k, t);
        if (typeof v !== 'function' || k === 'constructor' || typeof k === 'symbol' || String(k).endsWith('Async')) return v;
        return (...args) => {
          const a = unwrap(args);
          const fork = FORK[cls];
          if (!UNBUILT.has(cls)) check(`${cls}.${String(k)}`, a, (m) => v.apply(fork ? fork(t) : t, m));
          return wrapOut(v.apply(t, a));
        };
      },
    });
    target.set(p, obj);
    return p;
  }

  function klass(C, name) {
    classes.add(C);
    const p = new Proxy(C, {
      construct(t, args) {
        const a = unwrap(args);
        if (!UNBUILT.has(name)) check(`new ${name}`, a, (m) => Reflect.construct(t, m));
        return instance(Reflect.construct(t, a));
      },
      get(t, k) {
        const v = Reflect.get(t, k, t);
        if (typeof v !== 'function' || k === 'prototype' || typeof k === 'symbol' || String(k).endsWith('Async')) return v;
        return (...args) => {
          const a = unwrap(args);
          check(`${name}.${String(k)}`, a, (m) => v.apply(t, m));
          return wrapOut(v.apply(t, a));
        };
      },
    });
    target.set(p, C);
    return p;
  }

  function namespace(ns, path) {
    const out = {};
    for (const [k, v] of Object.entries(ns)) {
      if (typeof v === 'function' && /^[A-Z]/.test(k)) out[k] = klass(v, k);
      else if (typeof v === 'function') {
        out[k] = k.endsWith('Async')
          ? v
          : (...args) => {
            const a = unwrap(args);
            check(`${path}.${k}`, a, (m) => v(...m));
            return wrapOut(v(...a));
          };
      } else if (isPlain(v) || (v !== null && typeof v === 'object' && Object.isFrozen(v))) out[k] = namespace(v, `${path}.${k}`);
      else out[k] = v;
    }
    return out;
  }

  const wrapped = {};
  for (const [k, v] of Object.entries(api)) {
    wrapped[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? namespace(v, k) : v;
  }
  return wrapped;
}

/**
 * Registers a test that the net catches what it is for: a function that throws a TypeError on
 * a non-finite number, wrapped by `mutating`, fails with a message naming the call and the value.
 */
export function checkTheNet(test, assert) {
  test('mutation net: an untyped error from a mutated call fails the call, naming it', () => {
    const strict = (x) => {
      if (typeof x.n !== 'number' || !Number.isFinite(x.n)) throw new TypeError('boom');
      return x.n;
    };
    const typed = (x) => {
      if (typeof x.n !== 'number' || !Number.isFinite(x.n)) throw Object.assign(new Error('bad n'), { code: 'non_finite' });
      return x.n;
    };
    const api = { ERROR_CODES: ['non_finite', 'internal'], ns: { strict, typed } };
    const w = mutating(api, { seed: 3, perCall: 20 });
    assert.equal(w.ns.typed({ n: 2 }), 2);
    assert.throws(() => w.ns.strict({ n: 2 }), /^Error: ns\.strict with .+ threw TypeError: boom; arguments /);
  });
}

/**
 * Registers the lives of the stateful objects (a bandit of each policy, a simulated market),
 * to be run against a `mutating` api: every call is also made mutated on a fork.
 */
export function sessions(test, assert, api) {
  const { experiment, platform } = api;
  const policies = ['thompson', 'gaussian_thompson', 'top_two_thompson', 'ucb1', 'epsilon_greedy', 'softmax',
    { name: 'lin_ucb', dim: 2 }, { name: 'lin_thompson', dim: 2 }];
  for (const policy of policies) {
    const name = typeof policy === 'string' ? policy : policy.name;
    test(`mutation net: a ${name} bandit's life`, () => {
      const b = new experiment.Bandit({ policy, arms: ['a', 'b'], seed: 3 });
      const ctx = typeof policy === 'string' ? undefined : [1, 0.5];
      for (let i = 0; i < 12; i++) b.update(b.choose(ctx), i % 3 === 0 ? 1 : 0, ctx);
      b.addArm('c');
      b.updateBatch([{ arm: 'a', reward: 1, context: ctx }, { arm: 'c', reward: 0, context: ctx }]);
      const w = b.weights({ context: ctx, draws: 200 });
      assert.ok(Math.abs(w.reduce((s, x) => s + x.weight, 0) - 1) < 1e-9);
      assert.ok(['a', 'c'].includes(b.choose(ctx, ['a', 'c'])));
      b.removeArm('b');
      assert.equal(b.summary().length, 2);
      const back = experiment.Bandit.fromJSON(b.toJSON());
      assert.equal(back.choose(ctx), b.choose(ctx));
    });
  }
  test('mutation net: a simulated market\'s life', () => {
    const m = new platform.SimMarket({ seed: 5 });
    m.runDays(7);
    m.advanceMs(3_600_000);
    m.stepDay();
    const r = m.readMetrics({ from: '2026-01-05', to: '2026-01-12' });
    assert.ok(r.ok);
    assert.equal(r.value.length, 2 * 8);
    assert.equal(m.trueMetrics({ from: '2026-01-05', to: '2026-01-12', entities: ['search'] }).length, 8);
    const out = m.applyChanges([
      { key: 'k1', entity: 'search', action: { kind: 'budget', daily: 120 } },
      { key: 'k2', entity: 'social', action: { kind: 'status', status: 'paused' } },
    ]);
    assert.ok(out.ok);
    const e = m.readEntity('search');
    assert.ok(e.ok);
    assert.equal(e.value.dailyBudget, 120);
    const fork = m.clone();
    fork.runDays(2);
    assert.equal(m.today, '2026-01-13');
    assert.equal(fork.today, '2026-01-15');
  });
}
