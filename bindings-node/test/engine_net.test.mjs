// A net over decide.Engine, which the mutation net (tests/js/mutate.mjs) leaves out for its store
// and adapter calls: seeded random sequences of every Engine method, with sensible arguments and
// now and then a hostile one (NaN, 1e300, 2^53, a Symbol, a BigInt, a function, 5000 characters,
// an extra argument, an unknown key), on the simulated market directly and through a JS adapter
// that now and then answers wrongly (a hostile value, a list cut short or doubled, a spoiled
// field, a throw), and through its `...Async` calls with an adapter of promises. Every call must
// return or throw an Error whose `code` is one of the core's kinds other than `internal`; no
// result may hold NaN; no promise may reject unhandled (the test runner fails on one); the audit
// chain must verify at the end. It found the unnamed places in settings documents
// (`keys::from_tree`), serde's untagged-enum message for a proposal's `from`, and a promise a
// synchronous call refused rejecting unhandled (fatal in Node by default; CHANGELOG 2026-12-06).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { decide, platform, ERROR_CODES } = require('../index.js');

const CODES = new Set(ERROR_CODES.filter((c) => c !== 'internal'));
const HOSTILE = [NaN, Infinity, -Infinity, -1, -0, 1e300, 2 ** 53, 2 ** 53 + 2, 2 ** 32, 0.5, 1e-300, '', 'x'.repeat(5000),
  null, undefined, {}, [], true, '2026-13-45', '\u0000', 'search', '💥', Symbol('s'), () => 1, 123n];

/** mulberry32: a seeded stream in [0, 1). */
function stream(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nanAt(v, path = 'result', seen = new Set()) {
  if (typeof v === 'number') return Number.isNaN(v) ? path : null;
  if (!v || typeof v !== 'object' || seen.has(v)) return null;
  seen.add(v);
  for (const [k, x] of Object.entries(v)) {
    const p = nanAt(x, `${path}.${k}`, seen);
    if (p) return p;
  }
  return null;
}

const show = (a) => {
  const plain = (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : ['bigint', 'symbol', 'function'].includes(typeof v) ? typeof v : v);
  return JSON.stringify(a, plain)?.slice(0, 200);
};

/**
 * One seed's life of an engine: what went wrong, and how many calls returned / threw. With
 * `async`, the `...Async` twin of a call is awaited where there is one, and the adapter answers
 * through promises (a spoiled answer, or a rejection).
 */
async function life(seed, { steps, rate, withAdapter, async: asyncCalls = false }) {
  const r = stream(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const maybe = (good) => (r() < rate ? pick(HOSTILE) : good);
  const num = (lo, hi) => maybe(lo + r() * (hi - lo));
  const person = () => maybe(pick(['ana', 'bo', 'cy']));
  const ids = [];
  // mostly a decision in the state the call needs (as last seen), else any id or a made-up one
  const status = new Map();
  const id = (...wanted) => {
    const fit = [...status].filter(([, s]) => wanted.includes(s)).map(([k]) => k);
    return maybe(fit.length && r() < 0.85 ? pick(fit) : ids.length && r() < 0.8 ? pick(ids) : Math.floor(r() * 50));
  };
  const proposal = () => {
    const kind = maybe(pick(['budget', 'bid', 'status', 'budget']));
    const value = () => (kind === 'status' ? maybe(pick(['active', 'paused'])) : num(0, 400));
    const p = { kind, entity: maybe(pick(['search', 'social', 'search', 'social', 'display'])), from: value(), to: value(), confidence: num(0, 1) };
    if (r() < 0.3) p.impact = maybe({ metric: maybe('conversions/day'), mean: num(-100, 100), lo: num(-200, -100), hi: num(100, 200) });
    if (r() < 0.3) p.reasons = maybe([maybe('because'), maybe('again')]);
    if (r() < 0.2) p.ttlMs = maybe(Math.floor(r() * 1e9));
    if (r() < 0.1) p[pick(['extra', 'Kind', 'from_'])] = 1;
    return r() < 0.03 ? pick(HOSTILE) : p;
  };
  const market = new platform.SimMarket({ seed });
  const spoil = (v) => {
    const k = r();
    if (k < 0.25) return pick(HOSTILE);
    if (k < 0.5 && Array.isArray(v)) return r() < 0.5 ? v.slice(1) : [...v, ...v];
    if (k < 0.7 && v && typeof v === 'object') {
      const w = structuredClone(v);
      const walk = (o) => Object.keys(o).forEach((key) => (r() < 0.3 ? (o[key] = pick(HOSTILE)) : o[key] && typeof o[key] === 'object' && walk(o[key])));
      walk(w);
      return w;
    }
    if (k < 0.85) throw r() < 0.5 ? new Error('adapter broke') : pick(HOSTILE);
    return v;
  };
  const spoiling = (f) => (...a) => (r() < 0.2 ? spoil(f(...a)) : f(...a));
  const now = asyncCalls ? (f) => async (...a) => { await null; return spoiling(f)(...a); } : spoiling;
  const adapters = withAdapter
    ? {
        applyChanges: now((c) => market.applyChanges(c)),
        readEntity: now((e) => market.readEntity(e)),
        readMetrics: now((q) => market.readMetrics(q)),
        nowMs: now(() => market.nowMs),
        sleepUntil: asyncCalls ? async () => {} : () => {},
      }
    : market;
  const policy = r() < 0.5 ? {} : { guardrails: { accountDailyCap: num(100, 2000), maxChangePerStep: num(0.1, 2) }, autoApprove: maybe(pick(['low', 'medium', 'none'])) };
  const failures = [];
  const count = { returned: {}, threw: 0 };
  const typed = (call, args, e) => {
    if (!(e instanceof Error) || !CODES.has(e.code)) failures.push(`seed ${seed} ${call}(${show(args)}): ${e?.code} ${e?.message ?? String(e)}`);
  };
  let engine;
  try {
    engine = new decide.Engine({ store: ':memory:', policy, adapters });
  } catch (e) {
    typed('new Engine', [policy], e);
    engine = new decide.Engine({ store: ':memory:', adapters });
  }
  const calls = {
    propose: () => [proposal()],
    approve: () => [id('pending'), person()],
    reject: () => [id('pending'), person(), maybe('no')],
    execute: () => [id('approved')],
    runDue: () => [],
    stop: () => [person(), maybe('why')],
    resume: () => [person()],
    rollback: () => [id('executed', 'executing'), person()],
    rollbackSince: () => [maybe(Math.floor(r() * 2e12)), person()],
    recordOutcome: () => [id('executed'), num(-100, 100), maybe(pick(['holdout', 'pre-post'])), person()],
    calibration: () => [],
    flagAnomaly: () => [maybe(pick(['2026-12-06', '2026-12-05'])), person(), maybe('spike')],
    checkPerformance: () => [],
    observe: () => [maybe(pick(['search', 'social']))],
    decision: () => [id()],
    pending: () => [],
    decisions: () => [],
    stopped: () => [],
    audit: () => [],
    // not the engine's: days pass on the market, so measurement windows end and outcomes come due
    daysPass: () => [1 + Math.floor(r() * 8)],
  };
  // a life that gets somewhere: proposals, approvals and executions more often than stops
  const WEIGHT = { propose: 18, approve: 9, execute: 9, recordOutcome: 9, runDue: 6, rollback: 2, resume: 6, daysPass: 6, stop: 1 };
  const names = Object.keys(calls).flatMap((c) => Array(WEIGHT[c] ?? 3).fill(c));
  for (let step = 0; step < steps; step++) {
    const call = pick(names);
    const args = calls[call]();
    if (r() < 0.05) args.push(pick(HOSTILE));
    try {
      const twin = asyncCalls && typeof engine[`${call}Async`] === 'function' ? `${call}Async` : call;
      const out = call === 'daysPass' ? market.runDays(...args) : await engine[twin](...args);
      count.returned[call] = (count.returned[call] ?? 0) + 1;
      // the decisions it touched, and their state now (execute answers with an outcome)
      const touched = (Array.isArray(out) ? out : [out]).map((d) => d?.id).concat(ids.includes(args[0]) ? [args[0]] : []);
      for (const k of touched.filter((k) => typeof k === 'number')) {
        if (!ids.includes(k)) ids.push(k);
        status.set(k, engine.decision(k).status);
      }
      const at = nanAt(out);
      if (at) failures.push(`seed ${seed} ${call}(${show(args)}): NaN at ${at}`);
    } catch (e) {
      count.threw += 1;
      if (process.env.NET_DEBUG) console.error(call, String(e?.message).slice(0, 120));
      typed(call, args, e);
    }
  }
  try {
    assert.equal(engine.verify().entries, engine.audit().length);
  } catch (e) {
    failures.push(`seed ${seed} verify: ${e.code} ${e.message}`);
  }
  return { failures, count };
}

for (const [name, opts] of [
  ['on the simulated market', { steps: 300, rate: 0.06, withAdapter: false }],
  ['through a JS adapter that answers wrongly now and then', { steps: 300, rate: 0.03, withAdapter: true }],
  ['...Async through an adapter of promises that answers wrongly now and then', { steps: 300, rate: 0.03, withAdapter: true, async: true }],
]) {
  test(`decide.Engine ${name}: every call returns or throws a typed error, no NaN, the chain verifies`, async () => {
    const returned = {};
    let threw = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const { failures, count } = await life(seed, opts);
      assert.deepEqual(failures, []);
      for (const [k, n] of Object.entries(count.returned)) returned[k] = (returned[k] ?? 0) + n;
      threw += count.threw;
    }
    // the net reached the engine's work, not only its argument checks (with an adapter of
    // promises, the synchronous calls that ask it, approve among them, refuse by design)
    const reached = opts.async ? ['propose', 'execute', 'rollback', 'observe'] : ['propose', 'approve', 'execute', 'rollback', 'recordOutcome', 'observe'];
    for (const call of reached) {
      assert.ok(returned[call] > 0, `no ${call} returned: ${JSON.stringify(returned)}`);
    }
    assert.ok(threw > 0, 'no hostile value was refused');
  });
}
