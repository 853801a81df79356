// Every shared vector against the WebAssembly build (the runner is tests/js/vectors.mjs, shared
// with the Node binding), plus WASM-only checks.
//
//   node --test test/        (after wasm-bindgen wrote pkg/; test.sh does both)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { init, attribution, journey, stats, forecast, anomaly, optimize, glm, clv, leads, platform, experiment, decide, errorCodes } from '../js/index.js';
import { runVectors } from '../../tests/js/vectors.mjs';

await init();
runVectors({ attribution, journey, stats, forecast, anomaly, optimize, glm, clv, leads, platform, experiment, decide, errorCodes });

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'vectors');

// parsePathCsv with the core's reader gives the same table, hence the same numbers.
test('parsePathCsv round trip reproduces a Markov vector', () => {
  const v = JSON.parse(readFileSync(join(root, 'attribution', 'markov_synthetic8_o1_exact.json'), 'utf8'));
  const { path, conversions, nulls, value } = v.input;
  const q = (s) => `"${s.replaceAll('"', '""')}"`;
  const csv = ['path,conversions,nulls,value',
    ...path.map((p, i) => [q(p), conversions[i], nulls[i], value[i]].join(','))].join('\n');
  const t = attribution.parsePathCsv(csv, { sep: '>' });
  assert.ok(t.conversions instanceof Float64Array);
  assert.equal(t.path.length, path.length);
  const rows = attribution.markov(t, { order: 1 });
  v.expected.channel.forEach((ch, j) => {
    const r = rows.find((x) => x.channel === ch);
    assert.ok(Math.abs(r.conversions - v.expected.conversions[j]) <= 1e-9, ch);
    assert.ok(Math.abs(r.removalEffect - v.expected.removal_effect[j]) <= 1e-9, ch);
  });
});
