// A slim browser package (bindings-wasm/build.sh --modules attribution): the modules it kept
// give the full package's numbers, a module it left out (model travel, `json`, among them)
// throws a typed error naming it, and its .wasm is smaller. test.sh builds it into CW_SLIM_PKG and runs this file.
//
//   bash bindings-wasm/build.sh --modules attribution --out /tmp/slim
//   CW_SLIM_PKG=/tmp/slim node --test bindings-wasm/test/slim.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const slim = process.env.CW_SLIM_PKG;
if (!slim) throw new Error('set CW_SLIM_PKG to the output of bindings-wasm/build.sh --modules attribution --out DIR');

// The package as users get it: js/ beside the slim pkg/.
const pkgRoot = mkdtempSync(join(tmpdir(), 'cw-slim-'));
cpSync(join(here, '..', 'js'), join(pkgRoot, 'js'), { recursive: true });
cpSync(slim, join(pkgRoot, 'pkg'), { recursive: true });
const cw = await import(pathToFileURL(join(pkgRoot, 'js', 'index.js')).href);
await cw.init();
const full = await import('../js/index.js');
await full.init();

const table = {
  path: ['search > display', 'email', 'search > email', 'display'],
  conversions: new Float64Array([30, 10, 25, 0]),
  nulls: new Float64Array([70, 90, 25, 100]),
};

test('the modules it kept give the full package\'s numbers', () => {
  assert.deepEqual(cw.attribution.markov(table, { order: 1 }), full.attribution.markov(table, { order: 1 }));
  assert.deepEqual(cw.attribution.heuristics(table), full.attribution.heuristics(table));
  const v = JSON.parse(readFileSync(join(here, '..', '..', 'tests', 'vectors', 'attribution', 'markov_synthetic8_o1_exact.json'), 'utf8'));
  const { sep, ...input } = v.input; // the vector's separator is an option, not a column
  const rows = cw.attribution.markov(input, { order: 1, sep });
  v.expected.channel.forEach((ch, j) => {
    assert.ok(Math.abs(rows.find((r) => r.channel === ch).conversions - v.expected.conversions[j]) <= 1e-9, ch);
  });
  // journey and stats are always in
  assert.equal(cw.stats.pearson([1, 2, 3, 4], [2, 4, 5, 9]).r, full.stats.pearson([1, 2, 3, 4], [2, 4, 5, 9]).r);
});

test('a module it left out throws a typed error naming the module', () => {
  const leftOut = [
    ['optimize', () => cw.optimize.allocate([{ name: 'tv', curve: { kind: 'logistic', lam: 1, beta: 1 } }], { budget: 1 })],
    ['forecast', () => new cw.forecast.AutoEts({ seasonLength: 1 })],
    ['forecast.metrics', () => cw.forecast.metrics.mae([1], [1])],
    ['anomaly', () => cw.anomaly.mad([1, 2, 3, 100])],
    ['clv', () => cw.clv.rfm({ customer: ['a'], time: [0] })],
    ['experiment', () => new cw.experiment.Bandit({ policy: 'ucb1', arms: ['a'] })],
    ['decide', () => cw.decide.assessRisk({ kind: 'budget', entity: 'a', from: 1, to: 2, confidence: 1 })],
    // model travel is a module of its own (`json`), left out unless listed
    ['json', () => new cw.attribution.Markov().fit(table).toJSON()],
    ['json', () => JSON.stringify(new cw.attribution.Markov().fit(table))],
    ['json', () => cw.attribution.FittedMarkov.fromJSON(new full.attribution.Markov().fit(table).toJSON())],
  ];
  for (const [module, call] of leftOut) {
    assert.throws(call, (e) => {
      assert.equal(e.code, 'invalid_parameter', `${module}: ${e.message}`);
      assert.match(e.message, new RegExp(`module.*${module.replace('.', '\\.')}`), module);
      assert.match(e.message, /built without it/);
      return true;
    }, module);
  }
});

test('without model travel, a fitted model still works and a long call runs in place', async () => {
  const fitted = new cw.attribution.Markov().fit(table);
  assert.deepEqual(fitted.credit(), new full.attribution.Markov().fit(table).credit());
  const rows = await cw.attribution.markovAsync(table, { ci: { replicates: 20, seed: 3 } });
  assert.deepEqual(rows, full.attribution.markov(table, { ci: { replicates: 20, seed: 3 } }));
});

test('its .wasm is smaller than the full package\'s', () => {
  const size = statSync(join(slim, 'channelwise_wasm_bg.wasm')).size;
  const fullSize = statSync(join(here, '..', 'pkg', 'channelwise_wasm_bg.wasm')).size;
  assert.ok(size < 0.75 * fullSize, `slim ${size} bytes against full ${fullSize}`);
});
