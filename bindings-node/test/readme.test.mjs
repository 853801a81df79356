// The README example, kept between the START/END markers; README.md must show it verbatim.
// It runs at this module's top level (an ES module, so `import` and top-level `await` work as
// they do for a reader); `console` is shadowed to capture what it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const logged = [];
const console = { log: (...args) => logged.push(args.join(' ')) };

// START: readme-node
import { attribution } from 'channelwise';

const table = {
  path: ['search > display', 'email', 'search > email', 'display'],
  conversions: [30, 10, 25, 0],
  nulls: [70, 90, 25, 100],
  value: [3000, 800, 2600, 0],
};
const credit = attribution.markov(table, { order: 1 });
console.log(credit.map((r) => `${r.channel}: ${r.conversions.toFixed(1)}`).join(', '));
// search: 18.9, display: 21.3, email: 24.8
const withCi = await attribution.markovAsync(table, { ci: { replicates: 200, seed: 1 } });
console.log(withCi[0].conversionsLo <= withCi[0].conversions); // true
// END: readme-node

test('README example prints the credit', () => {
  assert.deepEqual(logged, ['search: 18.9, display: 21.3, email: 24.8', 'true']);
});

test('README.md shows the example verbatim', () => {
  const self = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const snippet = self.split('// START: readme-node\n')[1].split('// END: readme-node')[0].trimEnd();
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(snippet), `README.md lacks the example:\n${snippet}`);
});
