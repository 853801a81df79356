// decide.Engine in Node: end to end on the simulated market (auto-approved, approved by a named
// person, blocked by a cap, rolled back, the audit chain verified), a JS adapter with injected
// failures (retried under the same idempotency key, applied once), a store file reopened by a
// second engine, the emergency stop, and bad inputs with their codes and fields. The pure rules
// (decide.assessRisk, checkGuardrails, ...) run in both packages through the shared vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { decide, platform } = require('../index.js');

const logged = [];
const console = { log: (...args) => logged.push(args.map(String).join(' ')) };

const dir = mkdtempSync(join(tmpdir(), 'channelwise-decide-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name) => join(dir, name);

const budget = (entity, from, to, confidence = 0.9) => ({ kind: 'budget', entity, from, to, confidence });
const throwsCode = (f, code, pattern) =>
  assert.throws(f, (e) => {
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });

// START: readme-js-decide
import { decide as cwDecide, platform as cwPlatform } from 'channelwise';

// A seeded simulated market (search at 100/day, social at 150/day); a real one is an object
// with applyChanges / readEntity / readMetrics calling Meta's or Google's API
const market = new cwPlatform.SimMarket({ seed: 7 });
const engine = new cwDecide.Engine({
  store: ':memory:', // or a SQLite file, 'decisions.db'; or 'postgresql://...'
  policy: { guardrails: { accountDailyCap: 300 } },
  adapters: market,
});
engine.observe('social'); // the account cap sums the entities the engine knows

const small = engine.propose({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9, reasons: ['marginal ROAS 2.1'] });
console.log(small.status, small.risk.level); // approved low (auto-approved by the policy)
console.log(engine.execute(small.id).outcome); // executed

const big = engine.propose({ kind: 'budget', entity: 'search', from: 110, to: 160, confidence: 0.9 });
console.log(big.status); // pending (a 45% change waits for a person)
engine.approve(big.id, 'ana');
console.log(engine.execute(big.id).reason); // account daily budget would be 310.00, above the cap of 300.00

engine.rollback(small.id, 'ana'); // search is back at 100
console.log(engine.verify().entries === engine.audit().length); // true: the hash chain holds
// END: readme-js-decide

test('README decide example: auto-approved, approved by a person, blocked by the cap, rolled back, verified', () => {
  assert.deepEqual(logged, ['approved low', 'executed', 'pending', 'account daily budget would be 310.00, above the cap of 300.00', 'true']);
  assert.equal(cwDecide, decide);
  const d = engine.decision(big.id);
  assert.equal(d.status, 'blocked');
  assert.equal(d.approver, 'ana');
  assert.equal(engine.decision(small.id).status, 'rolled_back');
  const search = market.readEntity('search');
  assert.ok(search.ok);
  assert.equal(search.value.dailyBudget, 100);
  // applied once each: the change and its rollback, under their idempotency keys
  assert.deepEqual(market.applied.map((c) => c.key), [`${engine.storeId}/d${small.id}/s1`, `${engine.storeId}/d${small.id}/rollback`]);
  const audit = engine.audit();
  for (let i = 1; i < audit.length; i++) assert.equal(audit[i].prevHash, audit[i - 1].hash, `entry ${audit[i].seq}`);
  assert.deepEqual(audit.map((e) => e.seq), audit.map((_, i) => i + 1));
  const actions = audit.map((e) => e.action);
  for (const a of ['propose', 'approve']) assert.ok(actions.includes(a), `${a} in ${actions}`);
  assert.ok(audit.some((e) => e.actor === 'ana' && e.action === 'approve' && e.decision === big.id));
  assert.equal(engine.verify().headHash, audit[audit.length - 1].hash);
  assert.equal(engine.policy.guardrails.accountDailyCap, 300);
  assert.equal(engine.policy.risk.lowChange, 0.2);
});

/** A JS adapter over a simulated market, with failures injected by `fail(kind, changes)`. */
function jsAdapter(seed, fail) {
  const inner = new platform.SimMarket({ seed });
  const sent = [];
  let calls = 0;
  const adapter = {
    inner,
    sent,
    applyChanges(changes) {
      sent.push(...changes.map((c) => c.key));
      const thrown = fail(calls++, changes, inner);
      if (thrown) throw thrown;
      return inner.applyChanges(changes); // a PlatformResult is accepted as it is
    },
    readEntity(entity) {
      const r = inner.readEntity(entity);
      if (!r.ok) throw Object.assign(new Error('read failed'), r.error);
      return r.value; // a plain value too
    },
    readMetrics(query) {
      return inner.readMetrics(query);
    },
    nowMs() {
      return this.inner.nowMs; // `this` is the adapter
    },
    sleepUntil(atMs) {
      inner.advanceMs(Math.max(0, atMs - inner.nowMs));
    },
  };
  return adapter;
}

test('a JS adapter: a lost answer is retried under the same key and applied once', () => {
  // the first call applies the change, then its answer is lost (a socket error)
  const adapter = jsAdapter(3, (call, changes, inner) => {
    if (call > 0) return null;
    inner.applyChanges(changes);
    return new Error('socket hang up');
  });
  const engine = new decide.Engine({ store: ':memory:', adapters: adapter });
  const d = engine.propose(budget('search', 100, 110));
  assert.deepEqual(engine.execute(d.id), { outcome: 'executed', verified: true });
  assert.deepEqual(adapter.sent, [`${engine.storeId}/d${d.id}/s1`, `${engine.storeId}/d${d.id}/s1`]);
  assert.equal(adapter.inner.applied.length, 1, 'applied once');
  assert.equal(adapter.inner.readEntity('search').value.dailyBudget, 110);
  assert.deepEqual(engine.execute(d.id), { outcome: 'unchanged', status: 'executed' });
  assert.equal(adapter.sent.length, 2, 'an executed decision is not sent again');
  assert.ok(engine.verify().entries > 3);
});

test('a JS adapter: a thrown message is kept; a thrown PlatformError kind is classified', () => {
  // always a transient failure: retried, then left in doubt or failed, with the adapter's message
  const flaky = jsAdapter(4, () => new Error('ECONNRESET from the vendor'));
  const engine = new decide.Engine({ store: ':memory:', adapters: flaky });
  const d = engine.propose(budget('search', 100, 110));
  const o = engine.execute(d.id);
  assert.ok(['in_doubt', 'failed'].includes(o.outcome), JSON.stringify(o));
  assert.match(o.error, /ECONNRESET from the vendor/);
  assert.ok(flaky.sent.length > 1, 'retried');
  assert.ok(flaky.sent.every((k) => k === `${engine.storeId}/d${d.id}/s1`), 'always the same key');
  assert.ok(engine.audit().some((e) => JSON.stringify(e.detail).includes('ECONNRESET from the vendor')), 'in the audit log');

  // a thrown Meta "invalid parameter" (code 100) is the vendor's refusal of the whole call: not
  // retried, nothing applied, so the decision fails (a throw with no answer stays in doubt)
  const refusing = jsAdapter(5, () => Object.assign(new Error('Invalid parameter'), { kind: 'meta', code: 100 }));
  const engine2 = new decide.Engine({ store: ':memory:', adapters: refusing });
  const d2 = engine2.propose(budget('search', 100, 110));
  assert.deepEqual(engine2.execute(d2.id), { outcome: 'failed', error: 'Meta error 100: Invalid parameter' });
  assert.equal(refusing.sent.length, 1, 'given up at once');
  assert.equal(engine2.decision(d2.id).status, 'failed');

  // an item the vendor refused for good is a result, not a throw: the decision fails
  const items = jsAdapter(8, () => null);
  items.applyChanges = (changes) => {
    items.sent.push(...changes.map((c) => c.key));
    return changes.map((c) => ({ key: c.key, entity: c.entity, outcome: { status: 'failed', error: { kind: 'meta', code: 100, message: 'Invalid parameter' } } }));
  };
  const engine3 = new decide.Engine({ store: ':memory:', adapters: items });
  const d3 = engine3.propose(budget('search', 100, 110));
  assert.deepEqual(engine3.execute(d3.id), { outcome: 'failed', error: 'Meta error 100: Invalid parameter' });
  assert.equal(engine3.decision(d3.id).status, 'failed');
});

test('a JS adapter that breaks its contract makes the call throw naming the method', () => {
  const broken = {
    applyChanges: () => [],
    readEntity: () => ({ entity: 'search', dailyBudget: 'lots' }),
    readMetrics: () => [],
    nowMs: () => 1_767_600_000_000,
  };
  const engine = new decide.Engine({ store: ':memory:', adapters: broken });
  throwsCode(() => engine.propose(budget('search', 100, 110)), 'invalid_parameter', /adapters\.readEntity\(\)/);
  // one that applies the change and answers nonsense may have acted: the call throws, not
  // retried, and the decision is left in doubt (not failed) until executed again
  const applying = jsAdapter(9, () => null);
  applying.applyChanges = (changes) => {
    applying.sent.push(...changes.map((c) => c.key));
    applying.inner.applyChanges(changes);
    return { applied: true };
  };
  const engine4 = new decide.Engine({ store: ':memory:', adapters: applying });
  const d4 = engine4.propose(budget('search', 100, 110));
  throwsCode(() => engine4.execute(d4.id), 'invalid_parameter', /adapters\.applyChanges\(\)/);
  assert.equal(applying.sent.length, 1, 'not retried');
  assert.equal(engine4.decision(d4.id).status, 'executing');
  assert.ok(engine4.audit().some((e) => e.action === 'in_doubt' && JSON.stringify(e.detail).includes('adapter')), 'in doubt, as an adapter failure');
  // an adapter calling back into its own engine is refused, not a deadlock
  const reentrant = jsAdapter(6, () => null);
  let inner;
  reentrant.readMetrics = () => inner.pending();
  const original = reentrant.readEntity.bind(reentrant);
  reentrant.readEntity = (id) => {
    assert.throws(() => inner.pending(), (e) => e.code === 'invalid_parameter' && /engine/.test(e.message));
    return original(id);
  };
  inner = new decide.Engine({ store: ':memory:', adapters: reentrant });
  assert.equal(inner.propose(budget('search', 100, 110)).status, 'approved');
  // another engine (with a JS adapter of its own) may be used from inside an adapter method
  const other = new decide.Engine({ store: ':memory:', adapters: jsAdapter(7, () => null) });
  const outer = jsAdapter(8, () => null);
  const read = outer.readEntity.bind(outer);
  outer.readEntity = (id) => {
    assert.equal(other.observe('social').dailyBudget, 150);
    return read(id);
  };
  const first = new decide.Engine({ store: ':memory:', adapters: outer });
  assert.equal(first.observe('search').dailyBudget, 100);
  assert.equal(first.execute(first.propose(budget('search', 100, 105)).id).outcome, 'executed');
});

test('a store file is reopened by a second engine, which carries on', () => {
  const path = file('shared.db');
  const market = new platform.SimMarket({ seed: 9 });
  const first = new decide.Engine({ store: path, adapters: market });
  const d = first.propose(budget('search', 100, 140));
  assert.equal(d.status, 'pending');
  const second = new decide.Engine({ store: path, adapters: market });
  assert.deepEqual(second.pending().map((x) => x.id), [d.id]);
  second.approve(d.id, 'bo');
  assert.equal(second.execute(d.id).outcome, 'executed');
  assert.equal(first.decision(d.id).status, 'executed');
  assert.equal(second.verify().entries, first.verify().entries);
  assert.match(first.storeId, /^[0-9a-f]{16}$/);
  assert.equal(second.storeId, first.storeId, 'one store, one id');
});

test('a second store on the same market sends keys of its own, so its change is applied', () => {
  // a recreated database (or another environment) numbers its decisions from 1 again; with the
  // first store's keys the market would take its change as a replay of the first's
  const market = new platform.SimMarket({ seed: 9 });
  const first = new decide.Engine({ store: file('first.db'), adapters: market });
  assert.equal(first.execute(first.propose(budget('search', 100, 110)).id).outcome, 'executed');
  const second = new decide.Engine({ store: file('second.db'), adapters: market });
  const d = second.propose(budget('search', 110, 115));
  assert.equal(d.id, 1);
  assert.deepEqual(second.execute(d.id), { outcome: 'executed', verified: true });
  assert.equal(market.readEntity('search').value.dailyBudget, 115);
  assert.notEqual(second.storeId, first.storeId);
  assert.deepEqual(market.applied.map((c) => c.key), [`${first.storeId}/d1/s1`, `${second.storeId}/d1/s1`]);
});

test('the emergency stop cancels, refuses new work until a named person resumes', () => {
  const market = new platform.SimMarket({ seed: 11 });
  const engine = new decide.Engine({ store: ':memory:', adapters: market });
  const approved = engine.propose(budget('search', 100, 105));
  const pending = engine.propose(budget('search', 100, 140));
  assert.deepEqual(engine.stop('ana', 'incident 42').sort(), [approved.id, pending.id].sort());
  assert.equal(engine.stopped().by, 'ana');
  assert.equal(engine.decision(approved.id).status, 'cancelled');
  assert.notEqual(engine.execute(approved.id).outcome, 'executed');
  throwsCode(() => engine.propose(budget('search', 100, 105)), 'invalid_parameter', /emergency stop by ana/);
  assert.equal(market.applied.length, 0, 'nothing sent');
  throwsCode(() => engine.resume(' '), 'invalid_parameter', /by/);
  engine.resume('bo');
  assert.equal(engine.stopped(), null);
  const again = engine.propose(budget('search', 100, 105));
  assert.equal(engine.execute(again.id).outcome, 'executed');
  assert.ok(engine.audit().some((e) => e.action === 'stop' && e.actor === 'ana'));
});

test('bad inputs: typed errors naming the field', () => {
  const market = new platform.SimMarket({ seed: 13 });
  const engine = new decide.Engine({ store: ':memory:', policy: { ttlMs: 60_000 }, adapters: market });
  // unknown and expired approvals
  throwsCode(() => engine.approve(999, 'ana'), 'invalid_parameter', /decision/);
  const d = engine.propose(budget('search', 100, 140));
  market.advanceMs(120_000);
  throwsCode(() => engine.approve(d.id, 'ana'), 'invalid_parameter', /decision.*expired/);
  assert.equal(engine.decision(d.id).status, 'expired');
  throwsCode(() => engine.approve(d.id, ''), 'invalid_parameter', /approver/);
  // a negative budget, an unknown entity
  throwsCode(() => engine.propose(budget('search', 100, -5)), 'out_of_range', /proposal\.to/);
  throwsCode(() => engine.propose(budget('nowhere', 100, 105)), 'invalid_parameter', /entity/);
  throwsCode(() => engine.propose({ kind: 'budget', entity: 'search', from: 1, to: 2 }), 'invalid_parameter', /proposal\.confidence/);
  throwsCode(() => engine.propose({ ...budget('search', 1, 2), confidance: 1 }), 'invalid_parameter', /proposal\.confidance.*unknown key/);
  // a file that is not a channelwise store
  const junk = file('junk.db');
  writeFileSync(junk, 'this is not a database, just some text long enough to look like a header\n'.repeat(20));
  assert.throws(() => new decide.Engine({ store: junk, adapters: market }), (e) => {
    assert.ok(['invalid_parameter', 'io'].includes(e.code), `${e.code}: ${e.message}`);
    assert.match(e.message, /store/);
    return true;
  });
  // unknown or bad policy keys, options and adapters
  throwsCode(() => new decide.Engine({ store: ':memory:', policy: { guardrails: { accountDailyCapp: 1 } }, adapters: market }), 'invalid_parameter', /options\.policy\.guardrails\.accountDailyCapp/);
  throwsCode(() => new decide.Engine({ store: ':memory:', policy: { risk: { lowChange: 0.9 } }, adapters: market }), 'out_of_range', /options\.policy\.risk\.lowChange/);
  throwsCode(() => new decide.Engine({ store: ':memory:', adapters: market, dryRun: true }), 'invalid_parameter', /dryRun/);
  throwsCode(() => new decide.Engine({ store: ':memory:', adapters: { applyChanges() {}, readEntity() {} } }), 'invalid_parameter', /options\.adapters\.readMetrics/);
  throwsCode(() => new decide.Engine({ store: ':memory:', adapters: 7 }), 'invalid_parameter', /options\.adapters/);
  throwsCode(() => new decide.Engine({ adapters: market }), 'invalid_parameter', /options\.store/);
  // a server that cannot be reached: io naming the store, the password redacted
  throwsCode(() => new decide.Engine({ store: 'postgresql://u:secret@127.0.0.1:1/x', adapters: market }), 'io', /store postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/);
});

test('the pure rules in Node: risk, stages, guardrails, policy defaults', () => {
  assert.equal(decide.assessRisk(budget('search', 100, 300)).level, 'high');
  const r = decide.assessRisk({ kind: 'bid', entity: 'a', from: 1, to: 1.05, confidence: 0.95 });
  assert.equal(r.spend, Infinity);
  assert.equal(decide.riskLevel(0.1, 100, 0.9), 'low');
  assert.deepEqual(decide.stages(null, 100, 300), [150, 300]);
  assert.equal(decide.autoApproves({ autoApprove: null }, 'low'), false);
  const p = decide.validatePolicy({ guardrails: { campaignDailyCap: { search_us: 100 } } });
  assert.deepEqual(p.guardrails.campaignDailyCap, { search_us: 100 }, 'ids keep their spelling');
  assert.equal(p.ttlMs, 86_400_000);
  const v = decide.checkGuardrails({ campaignDailyCap: { search_us: 150 } }, { entity: 'search_us', kind: 'budget', current: 100, target: 160, exposures: { search_us: { dailyBudget: 100, active: true } } });
  assert.deepEqual(v, { verdict: 'block', guardrail: 'campaign_daily_cap', reason: 'search_us daily budget would be 160.00, above its cap of 150.00' });
  // without exposures, a budget step's own entity is at `current`: a decrease passes the cap
  assert.deepEqual(decide.checkGuardrails({ defaultCampaignDailyCap: 150 }, { entity: 'a', kind: 'budget', current: 200, target: 170 }), { verdict: 'pass' });
  assert.equal(decide.checkGuardrails({ defaultCampaignDailyCap: 150 }, { entity: 'a', kind: 'budget', current: 100, target: 170 }).guardrail, 'campaign_daily_cap');
  assert.deepEqual(decide.capsBreach({ defaultCampaignDailyCap: 200 }, { a: { dailyBudget: 250, active: true } }).guardrail, 'campaign_daily_cap');
  assert.equal(decide.capsBreach(null, { a: { dailyBudget: 250, active: true } }), null);
  assert.equal(decide.performanceBreach({ minRoas: 2 }, { spend: 800, conversions: 10, value: 1200 }), 'ROAS 1.50 below 2.00 over 7 days (spend 800.00, 10 conversions)');
  throwsCode(() => decide.checkGuardrails(null, { entity: 'a', kind: 'budget', current: 1, target: 2, exposures: { a: { dailyBudget: -1, active: true } } }), 'out_of_range', /step\.exposures\.a\.dailyBudget/);
  throwsCode(() => decide.assessRisk(budget('a', 1, 2), { lowChange: 0.9 }), 'out_of_range', /rule\.lowChange/);
});

test('runDue, the anomaly gate, rollbackSince, outcomes and calibration', () => {
  const market = new platform.SimMarket({ seed: 17 });
  const engine = new decide.Engine({ store: ':memory:', adapters: market });
  const t0 = market.nowMs;
  const a = engine.propose(budget('search', 100, 105));
  const b = engine.propose(budget('social', 150, 160));
  const due = engine.runDue();
  assert.deepEqual(due.map((r) => [r.id, r.outcome]).sort(), [[a.id, 'executed'], [b.id, 'executed']]);
  // a budget increase on a flagged day is blocked by the anomaly gate
  engine.flagAnomaly(market.today, 'ana', 'spend spike on search');
  const c = engine.propose(budget('search', 105, 110));
  const blocked = engine.execute(c.id);
  assert.equal(blocked.outcome, 'blocked');
  assert.equal(blocked.guardrail, 'anomaly_gate');
  assert.match(blocked.reason, /spend spike on search/);
  // everything since t0 undone, newest first
  const undone = engine.rollbackSince(t0, 'ana');
  assert.deepEqual(undone.map((r) => r.outcome), ['rolled_back', 'rolled_back']);
  assert.equal(market.readEntity('search').value.dailyBudget, 100);
  assert.equal(market.readEntity('social').value.dailyBudget, 150);
  // the next day (no flag), an outcome after the decision's window (7 days), then the
  // calibration of its type
  market.stepDay();
  const d = engine.propose(budget('search', 100, 104));
  assert.equal(engine.execute(d.id).outcome, 'executed');
  throwsCode(() => engine.recordOutcome(d.id, 2, 'holdout', 'ana'), 'invalid_parameter', /decision/);
  market.advanceMs(8 * 86_400_000);
  assert.equal(engine.recordOutcome(d.id, 2, 'holdout', 'ana').outcome.actual, 2);
  const [cal] = engine.calibration();
  assert.equal(cal.kind, 'budget');
  assert.equal(cal.n, 1);
  assert.deepEqual(engine.checkPerformance(), [], 'no performance guard, nothing to pause');
  // a pause with no spend at stake: unknown spend reads back as Infinity (high risk, pending)
  const pause = engine.propose({ kind: 'status', entity: 'social', from: 'active', to: 'paused', confidence: 0.9 });
  assert.equal(pause.status, 'pending');
  const stored = engine.decisions().find((x) => x.id === pause.id);
  assert.equal(stored.risk.spend, Infinity);
  assert.equal(stored.risk.level, 'high');
});

// PostgreSQL: runs when CW_PG_URL names a server (scripts/test.sh starts one with
// scripts/postgres.sh); CW_REQUIRE_PG=1 makes a missing server a failure, as in the core suite.
const pg = process.env.CW_PG_URL;
test('a PostgreSQL store: two engines on one store share decisions, the stop and the chain', { skip: !pg && process.env.CW_REQUIRE_PG !== '1' && 'CW_PG_URL not set' }, () => {
  assert.ok(pg, 'CW_REQUIRE_PG=1 but CW_PG_URL is not set');
  const schema = `cw_node_${process.pid}`;
  const store = `${pg}${pg.includes('?') ? '&' : '?'}schema=${schema}`;
  const marketA = new platform.SimMarket({ seed: 11 });
  const a = new decide.Engine({ store, adapters: marketA });
  const d = a.propose(budget('search', 100, 140)); // a 40% change: one stage, waits for a person
  assert.equal(d.status, 'pending');
  const b = new decide.Engine({ store, adapters: new platform.SimMarket({ seed: 11 }) });
  assert.deepEqual(b.pending().map((x) => x.id), [d.id]); // the second engine sees it
  b.approve(d.id, 'ana');
  assert.equal(b.execute(d.id).outcome, 'executed');
  assert.equal(a.execute(d.id).outcome, 'unchanged', 'executed once across both engines');
  assert.equal(marketA.applied.length, 0);
  b.stop('ana', 'incident');
  throwsCode(() => a.propose(budget('social', 150, 160)), 'invalid_parameter', /stop/);
  assert.equal(a.verify().entries, b.audit().length);
});
