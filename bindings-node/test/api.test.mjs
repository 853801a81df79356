// Shapes and behaviour of the JS API beyond the shared vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { synthetic } from './synthetic.mjs';

const require = createRequire(import.meta.url);
const { attribution, journey } = require('../index.js');

const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

test('arrays and Float64Array give the same answer; nulls and value are optional', () => {
  const t = synthetic(200);
  const plain = { path: t.path, conversions: [...t.conversions], nulls: [...t.nulls], value: [...t.value] };
  assert.deepEqual(attribution.markov(plain), attribution.markov(t));
  const rows = attribution.heuristics({ path: ['a>b', 'b'], conversions: [2, 1] });
  assert.deepEqual(rows.map((r) => [r.channel, r.linearConversions, r.linearValue]), [['a', 1, 0], ['b', 2, 0]]);
});

test('markov rows: credit sums to conversions; ci adds interval columns around the estimate', () => {
  const t = synthetic(500);
  const total = sum(t.conversions);
  const rows = attribution.markov(t, { order: 2 });
  close(sum(rows.map((r) => r.conversions)), total, 1e-6);
  assert.ok(!('conversionsLo' in rows[0]) || rows[0].conversionsLo === undefined);
  const ci = attribution.markov(t, { order: 2, ci: { replicates: 30, level: 0.9, seed: 7 } });
  for (const [i, r] of ci.entries()) {
    close(r.conversions, rows[i].conversions);
    assert.ok(r.conversionsLo <= r.conversions + 1e-9 && r.conversions <= r.conversionsHi + 1e-9);
    assert.ok(r.valueLo <= r.valueHi && r.conversionsStdError >= 0 && r.valueStdError >= 0);
  }
  assert.deepEqual(attribution.markov(t, { order: 2, ci: { replicates: 30, level: 0.9, seed: 7 } }), ci, 'same seed, same intervals');
});

test('separator, horizon and useNulls options reach the core', () => {
  const t = { path: ['a -> b', 'b', 'a'], conversions: [1, 1, 0], nulls: [0, 1, 1] };
  assert.deepEqual(attribution.markov(t, { sep: '->' }).map((r) => r.channel), ['a', 'b']);
  const fitted = new attribution.Markov({ horizon: 'ca' }).fit(t, { sep: '->' });
  assert.equal(typeof fitted.horizonSteps, 'number');
  assert.equal(new attribution.Markov().fit(t, { sep: '->' }).horizonSteps, null);
  assert.notDeepEqual(
    attribution.markov(t, { sep: '->', useNulls: false }),
    attribution.markov(t, { sep: '->', useNulls: true }),
  );
  assert.equal(attribution.markov(t, { sep: '->', horizon: 5 }).length, 2);
});

test('Markov class: fitted chain exposes transitions, removal effects and Shapley', () => {
  const t = { path: ['a>b', 'b', 'a'], conversions: [1, 1, 0], nulls: [0, 1, 1], value: [10, 20, 0] };
  const m = new attribution.Markov({ order: 1 });
  const f = m.fit(t);
  assert.ok(f instanceof attribution.FittedMarkov);
  assert.deepEqual(f.channels, ['a', 'b']);
  assert.equal(f.order, 1);
  assert.equal(f.nStates, 2);
  close(f.conversionProbability, 0.5);
  close(f.removalEffects[0], 1 - 1 / 3 / 0.5);
  assert.equal(f.removalEffectsValue.length, 2);
  const tr = f.transitions();
  assert.deepEqual(tr[0], { from: '(start)', to: 'a', probability: 0.5 });
  for (const from of new Set(tr.map((x) => x.from))) {
    close(sum(tr.filter((x) => x.from === from).map((x) => x.probability)), 1);
  }
  const exact = f.shapley();
  close(sum(exact.map((r) => r.conversions)), 2);
  const sampled = f.shapley({ method: 'sampled', permutations: 200, seed: 1 });
  assert.deepEqual(f.shapley({ method: 'sampled', permutations: 200, seed: 1 }), sampled);
  assert.ok(sampled.every((r) => r.conversionsStdError >= 0));
  assert.deepEqual(f.credit(), attribution.markov(t));
});

test('shapley, orderedShapley and heuristics agree on totals', () => {
  const t = synthetic(300);
  const total = sum(t.conversions);
  close(sum(attribution.shapley(t).map((r) => r.conversions)), total, 1e-6);
  const ordered = attribution.orderedShapley(t);
  const flat = attribution.shapley(t);
  ordered.forEach((r, i) => close(sum(r.conversions), flat[i].conversions, 1e-9));
  const h = attribution.heuristics(t, { uShaped: [0.5, 0.5], wShaped: [0.2, 0.2, 0.2] });
  for (const k of ['firstTouch', 'lastTouch', 'linear', 'uShaped', 'wShaped']) {
    close(sum(h.map((r) => r[`${k}Conversions`])), total, 1e-6);
  }
  const ci = attribution.shapley(t, { ci: { replicates: 20 } });
  assert.ok(ci.every((r) => r.conversionsLo <= r.conversionsHi));
});

test('journey.pathTable builds columns that attribution accepts', () => {
  const touchpoints = {
    userId: ['u1', 'u1', 'u2', 'u3', 'u3'],
    timestamp: new Float64Array([100, 50, 10, 0, 5]),
    channel: ['search', 'display', 'email', 'search', 'search'],
    campaign: [null, 'spring', null, 'brand', 'brand'],
    cost: [1.5, null, 0.2, 1, 1],
    eventId: ['t1', 't2', 't3', 't4', 't4'],
  };
  const conversions = { userId: ['u1', 'u3'], timestamp: [200, 6], value: [80, 5], eventId: ['o1', 'o2'] };
  const t = journey.pathTable(touchpoints, conversions);
  assert.deepEqual(t.path, ['display>search', 'email', 'search']);
  assert.ok(t.conversions instanceof Float64Array);
  assert.deepEqual([...t.conversions], [1, 0, 1]);
  assert.deepEqual([...t.nulls], [0, 1, 0]);
  assert.deepEqual([...t.value], [80, 0, 5]);
  assert.deepEqual(t.keyTouch, [null, null, null]);
  assert.equal(t.report.duplicatesDropped, 1);
  assert.equal(t.report.journeys, 3);
  assert.equal(attribution.markov(t).length, 3);
  const campaigns = journey.pathTable(touchpoints, conversions, { level: 'channel_campaign', sep: ' > ' });
  assert.deepEqual(campaigns.path[0], 'display | spring > search');
  const decay = attribution.timeDecay(touchpoints, conversions, { halfLifeSeconds: 50 });
  close(sum(decay.map((r) => r.conversions)), 2);
  assert.deepEqual(decay.map((r) => r.channel), ['display', 'email', 'search']);
});
