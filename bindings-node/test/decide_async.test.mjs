// decide.Engine's ...Async methods: the engine runs on a worker thread and awaits adapter
// methods that return promises (an adapter written with fetch), while the event loop stays free;
// promise rejections are vendor failures classified as thrown ones are; the synchronous methods
// refuse a promise by name; one call at a time per engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { stat } from 'node:fs/promises';

const require = createRequire(import.meta.url);
const { decide, platform } = require('../index.js');

const budget = (entity, from, to, confidence = 0.9) => ({ kind: 'budget', entity, from, to, confidence });
const rejectsCode = (p, code, pattern) =>
  assert.rejects(p, (e) => {
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });

/**
 * An adapter whose every method answers after `delayMs` through a promise, over a simulated
 * market; `fail(call, changes, inner)` may return an error to reject applyChanges with.
 */
function asyncAdapter(seed, { delayMs = 5, fail = () => null } = {}) {
  const inner = new platform.SimMarket({ seed });
  const log = [];
  let calls = 0;
  return {
    inner,
    log,
    async applyChanges(changes) {
      log.push(['applyChanges', ...changes.map((c) => c.key)]);
      await sleep(delayMs);
      const failure = fail(calls++, changes, inner);
      if (failure) throw failure;
      return inner.applyChanges(changes); // a PlatformResult, as a promise
    },
    async readEntity(entity) {
      log.push(['readEntity', entity]);
      await sleep(delayMs);
      const r = inner.readEntity(entity);
      if (!r.ok) throw Object.assign(new Error('read failed'), r.error);
      return r.value;
    },
    async readMetrics(query) {
      await sleep(delayMs);
      return inner.readMetrics(query);
    },
    async nowMs() {
      return this.inner.nowMs; // `this` is the adapter
    },
    async sleepUntil(atMs) {
      log.push(['sleepUntil', atMs]);
      inner.advanceMs(Math.max(0, atMs - inner.nowMs));
    },
  };
}

test('an adapter of promises: proposeAsync / executeAsync / rollbackAsync await it, the event loop stays free', async () => {
  const adapter = asyncAdapter(3);
  const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
  const d = await engine.proposeAsync(budget('search', 100, 110));
  assert.equal(d.status, 'approved');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const pending = engine.executeAsync(d.id);
  assert.ok(pending instanceof Promise);
  const outcome = await pending;
  clearInterval(timer);
  assert.deepEqual(outcome, { outcome: 'executed', verified: true });
  assert.ok(ticks > 0, 'timers ran while the engine waited for the adapter');
  assert.equal(adapter.inner.readEntity('search').value.dailyBudget, 110);
  assert.deepEqual(adapter.inner.applied.map((c) => c.key), [`${engine.storeId}/d${d.id}/s1`]);
  assert.deepEqual(await engine.observeAsync('search'), adapter.inner.readEntity('search').value);
  assert.deepEqual(await engine.rollbackAsync(d.id, 'ana'), { outcome: 'rolled_back', verified: true });
  assert.equal(adapter.inner.readEntity('search').value.dailyBudget, 100);
  // the synchronous methods that only touch the store work alongside
  assert.equal(engine.decision(d.id).status, 'rolled_back');
  assert.equal(engine.verify().entries, engine.audit().length);
  assert.deepEqual(await engine.runDueAsync(), []);
  assert.deepEqual(await engine.checkPerformanceAsync(), []);
});

test('a rejected promise is a vendor failure: classified, retried under one key through an async sleepUntil', async () => {
  // a lost answer (the change applied, then a socket error): retried, applied once
  const lost = asyncAdapter(4, {
    fail: (call, changes, inner) => {
      if (call > 0) return null;
      inner.applyChanges(changes);
      return new Error('socket hang up');
    },
  });
  const engine = new decide.Engine({ store: ':memory:', adapters: lost });
  const d = await engine.proposeAsync(budget('search', 100, 110));
  assert.deepEqual(await engine.executeAsync(d.id), { outcome: 'executed', verified: true });
  const sent = lost.log.filter((x) => x[0] === 'applyChanges');
  assert.deepEqual(sent, [['applyChanges', `${engine.storeId}/d${d.id}/s1`], ['applyChanges', `${engine.storeId}/d${d.id}/s1`]]);
  assert.ok(lost.log.some((x) => x[0] === 'sleepUntil'), 'waited through the adapter');
  // what sleepUntil gives is not read: a timer handle (cyclic, like setTimeout's) is fine
  const timers = asyncAdapter(4, { fail: (call) => (call === 0 ? new Error('socket hang up') : null) });
  timers.sleepUntil = (atMs) => {
    timers.inner.advanceMs(Math.max(0, atMs - timers.inner.nowMs));
    const handle = { atMs };
    handle.self = handle;
    return handle;
  };
  const engineT = new decide.Engine({ store: ':memory:', adapters: timers });
  const dT = await engineT.proposeAsync(budget('search', 100, 110));
  assert.deepEqual(await engineT.executeAsync(dT.id), { outcome: 'executed', verified: true });
  assert.equal(lost.inner.applied.length, 1, 'applied once');

  // a rejection with a PlatformError kind the vendor answered: not retried, the decision fails
  const refusing = asyncAdapter(5, { fail: () => Object.assign(new Error('Invalid parameter'), { kind: 'meta', code: 100 }) });
  const engine2 = new decide.Engine({ store: ':memory:', adapters: refusing });
  const d2 = await engine2.proposeAsync(budget('search', 100, 110));
  assert.deepEqual(await engine2.executeAsync(d2.id), { outcome: 'failed', error: 'Meta error 100: Invalid parameter' });
  assert.equal(refusing.log.filter((x) => x[0] === 'applyChanges').length, 1);
  assert.equal(engine2.decision(d2.id).status, 'failed');

  // { ok: false, error } from a promise: a 503 for the whole call, retried, then in doubt
  const unavailable = asyncAdapter(6);
  unavailable.applyChanges = async () => ({ ok: false, error: { kind: 'http', status: 503 } });
  const engine3 = new decide.Engine({ store: ':memory:', adapters: unavailable });
  const d3 = await engine3.proposeAsync(budget('search', 100, 110));
  assert.deepEqual(await engine3.executeAsync(d3.id), { outcome: 'in_doubt', error: 'HTTP 503' });
  assert.equal(engine3.decision(d3.id).status, 'executing');
});

test('a broken async adapter: the call rejects naming the method; the change it may have made stays in doubt', async () => {
  const adapter = asyncAdapter(7);
  adapter.applyChanges = async (changes) => {
    adapter.inner.applyChanges(changes);
    return { applied: true };
  };
  const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
  const d = await engine.proposeAsync(budget('search', 100, 110));
  await rejectsCode(engine.executeAsync(d.id), 'invalid_parameter', /adapters\.applyChanges\(\)/);
  assert.equal(engine.decision(d.id).status, 'executing');
  assert.ok(engine.audit().some((e) => e.action === 'in_doubt' && e.detail.error.kind === 'adapter'));

  const wrong = asyncAdapter(8);
  wrong.readEntity = async () => ({ entity: 'search', dailyBudget: 'lots' });
  const engine2 = new decide.Engine({ store: ':memory:', adapters: wrong });
  await rejectsCode(engine2.observeAsync('search'), 'invalid_parameter', /adapters\.readEntity\(\)/);
  // an async method that rejects with a non-Error value: a transport failure carrying it
  const odd = asyncAdapter(9);
  odd.readEntity = () => Promise.reject('vendor down'); // eslint-disable-line prefer-promise-reject-errors
  const engine3 = new decide.Engine({ store: ':memory:', adapters: odd });
  await rejectsCode(engine3.observeAsync('search'), 'io', /transport: vendor down/);
});

test('the synchronous methods refuse a promise by name; one call at a time per engine', async () => {
  const adapter = asyncAdapter(9, { delayMs: 50 });
  const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
  assert.throws(() => engine.propose(budget('search', 100, 110)), (e) =>
    e.code === 'invalid_parameter' && /adapters\.readEntity\(\)/.test(e.message) && /Async/.test(e.message));
  const d = await engine.proposeAsync(budget('search', 100, 110));
  // while executeAsync waits for the adapter, the engine is busy: another call is refused, not queued
  const first = engine.executeAsync(d.id);
  await sleep(10);
  assert.throws(() => engine.decisions(), (e) => e.code === 'invalid_parameter' && /busy/.test(e.message));
  await rejectsCode(engine.observeAsync('search'), 'invalid_parameter', /busy/);
  assert.deepEqual(await first, { outcome: 'executed', verified: true });
  assert.equal(engine.decisions().length, 1);
  // a SimMarket engine has ...Async methods too (no JS adapter: nothing to await)
  const market = new platform.SimMarket({ seed: 3 });
  const simEngine = new decide.Engine({ store: ':memory:', adapters: market });
  const d2 = await simEngine.proposeAsync(budget('social', 150, 160));
  assert.deepEqual(await simEngine.executeAsync(d2.id), { outcome: 'executed', verified: true });
});

test('a promise a synchronous call refused does not reject unhandled (fatal in Node by default)', async () => {
  const unhandled = [];
  const note = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', note);
  try {
    const market = new platform.SimMarket({ seed: 4 });
    const failing = (what) => async () => {
      await sleep(5);
      throw new Error(`${what} failed`);
    };
    const adapter = { applyChanges: failing('apply'), readEntity: failing('read'), readMetrics: failing('metrics'), nowMs: async () => market.nowMs, sleepUntil: async () => {} };
    const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
    assert.throws(() => engine.observe('search'), (e) => e.code === 'invalid_parameter' && /adapters\.readEntity\(\)/.test(e.message));
    assert.throws(() => engine.propose(budget('search', 100, 110)), (e) => e.code === 'invalid_parameter');
    // the ...Async form still sees the rejection
    await rejectsCode(engine.observeAsync('search'), 'io', /read failed/);
    await sleep(50);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', note);
  }
});

test('an engine dropped by JS while its ...Async call runs finishes the call', async () => {
  const adapter = asyncAdapter(10, { delayMs: 20 });
  const run = async () => {
    const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
    const d = await engine.proposeAsync(budget('search', 100, 110));
    return engine.executeAsync(d.id); // the engine is unreachable once this returns
  };
  const pending = run();
  if (global.gc) global.gc();
  assert.deepEqual(await pending, { outcome: 'executed', verified: true });
});

test('more engines waiting at once than libuv has pool threads: adapters that use the pool still answer', { timeout: 30_000 }, async () => {
  // each adapter call awaits a file system call, which runs on libuv's pool (4 threads by
  // default): engine calls that held pool threads while waiting would starve it and hang
  const n = 8;
  const engines = Array.from({ length: n }, (_, i) => {
    const adapter = asyncAdapter(20 + i, { delayMs: 1 });
    for (const m of ['applyChanges', 'readEntity', 'readMetrics']) {
      const inner = adapter[m].bind(adapter);
      adapter[m] = async (x) => {
        await stat(import.meta.filename ?? new URL(import.meta.url).pathname);
        return inner(x);
      };
    }
    return new decide.Engine({ store: ':memory:', adapters: adapter });
  });
  const proposed = await Promise.all(engines.map((e) => e.proposeAsync(budget('search', 100, 110))));
  const outcomes = await Promise.all(engines.map((e, i) => e.executeAsync(proposed[i].id)));
  assert.deepEqual(outcomes, Array(n).fill({ outcome: 'executed', verified: true }));
});

test('the engine refers to its adapter weakly: an adapter holding its engine lets both be collected', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const collect = async (refs) => {
    for (let i = 0; i < 20 && refs.some((r) => r.deref() !== undefined); i++) {
      await new Promise(setImmediate);
      gc();
    }
  };
  /** A synchronous adapter over a fresh market. */
  const syncAdapter = (seed) => {
    const inner = new platform.SimMarket({ seed });
    return {
      applyChanges: (changes) => inner.applyChanges(changes),
      readEntity: (id) => inner.readEntity(id),
      readMetrics: (q) => inner.readMetrics(q),
    };
  };
  // an engine whose adapter only the engine holds keeps it: calls after a collection still work
  const engine = new decide.Engine({ store: ':memory:', adapters: syncAdapter(12) });
  const d = engine.propose(budget('search', 100, 110));
  await collect([new WeakRef({})]);
  gc();
  assert.deepEqual(engine.execute(d.id), { outcome: 'executed', verified: true });
  assert.deepEqual(await engine.observeAsync('search'), engine.observe('search'));
  // an adapter that holds its engine (a cycle through the native side) is collected with it
  const made = () => {
    const adapter = syncAdapter(13);
    adapter.engine = new decide.Engine({ store: ':memory:', adapters: adapter });
    adapter.engine.propose(budget('search', 100, 110));
    return [new WeakRef(adapter), new WeakRef(adapter.engine)];
  };
  const refs = made();
  await collect(refs);
  assert.equal(refs[0].deref(), undefined, 'the adapter was collected');
  assert.equal(refs[1].deref(), undefined, 'the engine was collected');
});

test('an async answer whose getter throws is an adapter failure naming the method, not an uncaught exception', async () => {
  const adapter = asyncAdapter(14);
  const hostile = { entity: 'search', dailyBudget: 100, status: 'active' };
  Object.defineProperty(hostile, 'bid', { enumerable: true, get() { throw new Error('boom'); } });
  adapter.readEntity = async () => hostile;
  const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
  await rejectsCode(engine.observeAsync('search'), 'invalid_parameter', /adapters\.readEntity\(\)/);
  // and a thenable whose `then` getter throws
  adapter.readEntity = () => Object.defineProperty({}, 'then', { get() { throw new Error('no then'); } });
  await rejectsCode(engine.observeAsync('search'), 'io', /no then/);
  await sleep(20); // an uncaught exception or unhandled rejection would fail the run by now
});
