// optimize.* in the WebAssembly build: curves, adstock and the media mix model
// (tests/js/optimize.mjs, shared with the Node binding).
import { init, optimize, glm } from '../js/index.js';
import { runOptimize } from '../../tests/js/optimize.mjs';

await init();
runOptimize({ optimize, glm }, 'wasm');

// wasm32 memory ends at 4 GiB, where a failed allocation is a trap that ends the instance: a
// horizon response of 10,001 rows (the mode and 10,000 draws) x 100,000 periods (8 GB) is a
// typed error asked for before any row is made, and the instance goes on working.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('FittedMMM.horizonResponse past wasm32 memory: invalid_parameter naming plan, the instance still usable', () => {
  const tv = Float64Array.from({ length: 60 }, (_, i) => (i * 37) % 100);
  const y = Float64Array.from(tv, (v, i) => 100 + 0.5 * v + ((i * 13) % 7));
  const fit = new optimize.MMM({ lMax: 4, yearlySeasonality: 0, draws: 10000 }).fit({ target: y, channels: { tv } });
  assert.throws(() => fit.horizonResponse('tv', new Float64Array(100000).fill(50)), (e) => {
    assert.equal(e.code, 'invalid_parameter', e.message);
    assert.match(e.message, /^invalid plan: "rows x periods = 10001 x 100000" \(they need 8\.0 GB of memory/);
    assert.match(e.message, /there is a row for the mode and each draw: pass a shorter plan, or fit with fewer draws\)$/);
    return true;
  });
  const r = fit.horizonResponse('tv', new Float64Array(3).fill(50));
  assert.equal(r.draws.length, 10000);
  assert.equal(r.response.length, 3);
  assert.equal(fit.contributions().fitted.length, 60);
});
