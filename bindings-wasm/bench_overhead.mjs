// Times attribution.markov(table, { order: 1 }) of the WebAssembly build in Node, for the
// cross-stack overhead comparison (benches/compare). The CSV is read and parsed before timing;
// the best of 3 runs is reported.
//
//   node bindings-wasm/bench_overhead.mjs benches/data/paths_100000_12ch_s0.csv [sep]
//   -> {"stack": "wasm", "seconds": 0.123}

import { readFileSync } from 'node:fs';

import { init, attribution } from './js/index.js';

const [file, sep = '>'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench_overhead.mjs <paths.csv> [sep]');
  process.exit(2);
}
await init();
const table = attribution.parsePathCsv(readFileSync(file, 'utf8'), { sep });
let best = Infinity;
for (let i = 0; i < 3; i += 1) {
  const t0 = process.hrtime.bigint();
  const rows = attribution.markov(table, { order: 1, sep });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (rows.length === 0) throw new Error('no channels credited');
  best = Math.min(best, seconds);
}
console.log(JSON.stringify({ stack: 'wasm', seconds: best }));
