// leads.* in the WebAssembly build: funnels, cohorts, scores, lifecycle and health
// (tests/js/leads.mjs, shared with the Node binding).
import { init, leads } from '../js/index.js';
import { runLeads } from '../../tests/js/leads.mjs';

await init();
runLeads({ leads }, 'wasm');

// wasm32 memory ends at 4 GiB, where a failed allocation is a trap that ends the instance: a
// stage machine keeps a flag per [from, to] pair, so 70,000 stages ask for 4.9 GB. That is a
// typed error naming stages, and the instance goes on working.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('leads.lifecycle with stages x stages past wasm32 memory: invalid_parameter naming stages', () => {
  const stages = Array.from({ length: 70000 }, (_, i) => `s${i}`);
  const log = { lead: ['a', 'a'], timestamp: [0, 1], stage: ['s0', 's1'] };
  assert.throws(() => leads.lifecycle(log, { stages }), (e) => {
    assert.equal(e.code, 'invalid_parameter', e.message);
    assert.match(e.message, /^invalid options\.stages: "stages x stages = 70000 x 70000" \(they need 4\.9 GB of memory/);
    return true;
  });
  assert.deepEqual(leads.lifecycle(log, { stages: stages.slice(0, 3) }).current, ['s1']);
});
