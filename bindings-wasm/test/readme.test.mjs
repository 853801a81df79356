// The README example for the browser build, kept between the START/END markers
// (scripts/sync_readme.py copies it into README.md). The same table as the Node example, so the
// README shows both stacks print the same credit.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const logged = [];
const console = { log: (...args) => logged.push(args.join(' ')) };

// START: readme-wasm
import { init, attribution } from 'channelwise-wasm';

await init(); // in a browser this fetches channelwise_wasm_bg.wasm next to the module
const table = {
  path: ['search > display', 'email', 'search > email', 'display'],
  conversions: new Float64Array([30, 10, 25, 0]),
  nulls: new Float64Array([70, 90, 25, 100]),
  value: new Float64Array([3000, 800, 2600, 0]),
};
const credit = attribution.markov(table, { order: 1 });
console.log(credit.map((r) => `${r.channel}: ${r.conversions.toFixed(1)}`).join(', '));
// search: 18.9, display: 21.3, email: 24.8
try {
  attribution.markov({ ...table, path: ['search >> email', 'email', 'display', 'email'] });
} catch (e) {
  console.log(e.code); // invalid_path
}
// END: readme-wasm

test('README example prints the same credit as the Node example', () => {
  assert.deepEqual(logged, ['search: 18.9, display: 21.3, email: 24.8', 'invalid_path']);
});
