// The ...Async exports compute on libuv's pool: same numbers as the sync calls, the main thread
// stays free, and errors reject (never throw synchronously) with the core's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { synthetic } from './synthetic.mjs';

const require = createRequire(import.meta.url);
const { attribution } = require('../index.js');

const table = synthetic(3000);

test('async results equal the sync results', async () => {
  const opts = { order: 2, ci: { replicates: 20, seed: 3 } };
  assert.deepEqual(await attribution.markovAsync(table, opts), attribution.markov(table, opts));
  assert.deepEqual(await attribution.heuristicsAsync(table), attribution.heuristics(table));
  assert.deepEqual(await attribution.shapleyAsync(table, { ci: true }), attribution.shapley(table, { ci: true }));
});

test('markovAsync leaves the main thread free while it computes', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const rows = await attribution.markovAsync(table, { order: 2, ci: { replicates: 100 } });
  clearInterval(timer);
  assert.equal(rows.length, 8);
  assert.ok(ticks > 0, 'no timer fired while the chain was solved: the work ran on the main thread');
});

test('several tasks run concurrently and each resolves to its own answer', async () => {
  const orders = [1, 2, 3];
  const results = await Promise.all(orders.map((order) => attribution.markovAsync(table, { order })));
  results.forEach((rows, i) => assert.deepEqual(rows, attribution.markov(table, { order: orders[i] })));
});

test('bad input rejects with the core code, never throws synchronously', async () => {
  let p;
  assert.doesNotThrow(() => {
    p = attribution.markovAsync({ path: ['a'], conversions: [NaN] });
  });
  await assert.rejects(p, (err) => err instanceof Error && err.code === 'non_finite' && err.message === 'conversions[0] must be finite, got NaN');
  await assert.rejects(attribution.markovAsync(undefined), { code: 'invalid_parameter' });
  await assert.rejects(attribution.markovAsync({ path: [], conversions: [] }), { code: 'not_enough_data' });
  await assert.rejects(attribution.shapleyAsync({ path: ['a>'], conversions: [1] }), { code: 'invalid_path' });
  await assert.rejects(attribution.heuristicsAsync({ path: ['a'], conversions: [1] }, { uShaped: [2, 0] }), { code: 'out_of_range' });
});

test('Ets/AutoEts/IsolationForest fitAsync leave the main thread free', async () => {
  const { forecast, anomaly } = require('../index.js');
  const rows = Array.from({ length: 20000 }, (_, i) => [Math.sin(i), Math.cos(i * 0.37), (i % 97) / 97]);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const y = Array.from({ length: 600 }, (_, t) => 100 + 0.1 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + Math.sin(t * 1.3));
  const [forest, ets] = await Promise.all([
    new anomaly.IsolationForest({ nEstimators: 300, seed: 1 }).fitAsync(rows),
    new forecast.AutoEts({ seasonLength: 12 }).fitAsync(y),
  ]);
  clearInterval(timer);
  assert.equal(forest.predict(rows.slice(0, 5)).length, 5);
  assert.match(ets.model, /^ETS\(/);
  assert.ok(ticks > 0, 'no timer fired while fitting: the work ran on the main thread');
});

test('onProgress reports while the pool thread works, and an abort stops the core mid-way', async () => {
  const big = synthetic(20000);
  const reports = [];
  const rows = await attribution.markovAsync(big, { order: 2, ci: { replicates: 300, seed: 1 }, onProgress: (p) => reports.push(p.done) });
  assert.equal(rows.length, 8);
  assert.ok(reports.every((d, i) => i === 0 || d > reports[i - 1]), 'progress only goes up');
  assert.equal(reports.at(-1), 300);
  // The abort comes from the first report: progress arrives while the core works, and the core
  // stops where it is. Nothing here depends on how fast the machine is.
  const ac = new AbortController();
  const seen = [];
  await assert.rejects(
    attribution.markovAsync(big, {
      order: 2,
      ci: { replicates: 100000 },
      signal: ac.signal,
      onProgress: (p) => {
        seen.push(p);
        ac.abort();
      },
    }),
    (e) => {
      const m = /^bootstrap intervals cancelled after (\d+) of 100000 replicates$/.exec(e.message);
      assert.equal(e.code, 'cancelled');
      assert.ok(m, e.message);
      assert.ok(Number(m[1]) >= seen[0].done && Number(m[1]) < 100000, `stopped at ${m[1]}, first report ${seen[0].done}`);
      return true;
    },
  );
  assert.ok(seen[0].done < seen[0].total, `the report came mid-way: ${JSON.stringify(seen[0])}`);
});
