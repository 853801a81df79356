// decide.* in the WebAssembly build: the pure rules (risk, stages, guardrails) give the numbers
// the shared vectors check (test/vectors.test.mjs); decide.Engine needs a store and runs in Node
// only, so here its constructor throws a typed error saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, decide, platform } from '../js/index.js';

await init();

test('the pure rules run in the browser build', () => {
  const r = decide.assessRisk({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 });
  assert.deepEqual({ ...r }, { level: 'low', change: 0.1, spend: 110, confidence: 0.9 });
  assert.deepEqual(decide.stages(null, 100, 300), [150, 300]);
  const v = decide.checkGuardrails({ accountDailyCap: 300 }, {
    entity: 'search', kind: 'budget', current: 100, target: 180,
    exposures: { search: { dailyBudget: 100, active: true }, social: { dailyBudget: 150, active: true } },
  });
  assert.deepEqual(v, { verdict: 'block', guardrail: 'account_daily_cap', reason: 'account daily budget would be 330.00, above the cap of 300.00' });
  assert.throws(() => decide.validatePolicy({ guardrails: { accountDailyCapp: 1 } }), (e) => e.code === 'invalid_parameter' && /policy\.guardrails\.accountDailyCapp/.test(e.message));
});

test('decide.Engine throws: it needs a store and runs in Node only', () => {
  const market = new platform.SimMarket({ seed: 1 });
  assert.throws(() => new decide.Engine({ store: ':memory:', adapters: market }), (e) => {
    assert.equal(e.code, 'invalid_parameter');
    assert.match(e.message, /decide\.Engine/);
    assert.match(e.message, /Node only/);
    return true;
  });
});
