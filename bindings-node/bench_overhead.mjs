// Times attribution.markov(table, { order: 1 }) on a path CSV (argv[2]; columns path,
// conversions, nulls, value). The CSV is parsed into columns before timing; the timed call
// includes reading the JS columns into Rust (the binding's overhead on top of the core's solve).
// Prints {"stack": "node", "seconds": s}, the best of 3 calls.
//
//   node bindings-node/bench_overhead.mjs benches/data/paths_100000_12ch_s42.csv
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { attribution } = require('./index.js');

/**
 * Splits RFC 4180 CSV text into rows of fields (quoted fields may hold commas, quotes and
 * newlines). Fields are slices of the text, as CSV libraries (csv-parse, papaparse) and
 * JSON.parse give them: building each one character by character (`field += c`) would hand the
 * binding a million deep rope strings that V8 must flatten on every read, which no real input
 * looks like.
 */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field;
    if (text[i] === '"') {
      let j = i + 1;
      let quoted = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new Error('unterminated quoted field');
        quoted += text.slice(j, q);
        if (text[q + 1] === '"') {
          quoted += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = quoted;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      if (i === n) row.push('');
    } else {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function readTable(file) {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const [p, c, n, v] = ['path', 'conversions', 'nulls', 'value'].map(col);
  const numbers = (i) => Float64Array.from(rows, (r) => Number(r[i]));
  return { path: rows.map((r) => r[p]), conversions: numbers(c), nulls: numbers(n), value: numbers(v) };
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench_overhead.mjs PATHS.csv');
  process.exit(2);
}
const table = readTable(file);
let best = Infinity;
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  attribution.markov(table, { order: 1 });
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
}
console.log(JSON.stringify({ stack: 'node', seconds: best }));
