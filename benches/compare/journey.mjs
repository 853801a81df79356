// Times journey.pathTable over an event log in Node, through the Node addon or the WebAssembly
// build, for benches/compare/journey.py (which writes the two CSVs, runs this, and checks the
// table written to OUT against its own). The CSVs are plain `user_id,timestamp,channel` and
// `user_id,timestamp,value` with a header and no quoting (the generator writes none), split
// into columns before timing, as a CSV library would hand them over.
//
// The same log is then timed as rows (`[{ userId, timestamp, channel }]`, as a database driver
// hands them over), which the shared wrapper turns into columns inside the call; the table must
// be the same, or this exits 1.
//
//   node benches/compare/journey.mjs node|wasm TOUCHES.csv CONVERSIONS.csv LOOKBACK OUT.json [REPEAT]
//   -> {"stack": "node", "seconds": 0.123, "rowsSeconds": 0.2, "rows": 90000, "mergeSeconds": 0.01}
//      (best of REPEAT calls, default 3; `mergeSeconds`: journey.merge of the table's two halves,
//      which must give the table back, sorted by path)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [stack, touchesCsv, conversionsCsv, lookback, out, repeat = '3'] = process.argv.slice(2);
if (!['node', 'wasm'].includes(stack) || !out) {
  console.error('usage: node journey.mjs node|wasm TOUCHES.csv CONVERSIONS.csv LOOKBACK OUT.json [REPEAT]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let cw;
if (stack === 'node') {
  cw = createRequire(import.meta.url)(join(root, 'bindings-node', 'index.js'));
} else {
  cw = await import(join(root, 'bindings-wasm', 'js', 'index.js'));
  await cw.init();
}

/** The columns of a header-plus-rows CSV without quoting; `numeric` columns as Float64Array. */
function columns(file, numeric) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const names = lines[0].split(',');
  const rows = lines.slice(1).filter((l) => l.length > 0);
  const cols = names.map((name) => (numeric.includes(name) ? new Float64Array(rows.length) : new Array(rows.length)));
  rows.forEach((line, r) => {
    line.split(',').forEach((x, c) => {
      cols[c][r] = numeric.includes(names[c]) ? Number(x) : x;
    });
  });
  return Object.fromEntries(names.map((name, c) => [name, cols[c]]));
}

const t = columns(touchesCsv, ['timestamp']);
const c = columns(conversionsCsv, ['timestamp', 'value']);
const touches = { userId: t.user_id, timestamp: t.timestamp, channel: t.channel };
const conversions = { userId: c.user_id, timestamp: c.timestamp, value: c.value };
/** Best seconds of `repeat` calls of `pathTable` on these tables, and the last table. */
function timed(tp, cv) {
  let best = Infinity;
  let table;
  for (let i = 0; i < Number(repeat); i += 1) {
    const t0 = performance.now();
    table = cw.journey.pathTable(tp, cv, { lookback: Number(lookback) });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return [best, table];
}
const rowsOf = (cols) => Array.from(cols.userId, (_, i) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v[i]])));
const [best, table] = timed(touches, conversions);
const [rowsBest, rowsTable] = timed(rowsOf(touches), rowsOf(conversions));
if (JSON.stringify(rowsTable) !== JSON.stringify(table)) {
  console.error('journey.mjs: the table from rows differs from the table from columns');
  process.exit(1);
}
// journey.merge of the table's two halves gives the table back (its rows are distinct paths),
// rows sorted by path as merge sorts them
const whole = JSON.stringify(cw.journey.merge([table]));
const half = table.path.length >> 1;
const part = (from, to) => Object.fromEntries(['path', 'conversions', 'nulls', 'value', 'keyTouch'].map((k) => [k, Array.from(table[k].slice(from, to))]));
const halves = [part(0, half), part(half, table.path.length)];
let mergeBest = Infinity;
for (let i = 0; i < Number(repeat); i += 1) {
  const t0 = performance.now();
  const merged = cw.journey.merge(halves);
  mergeBest = Math.min(mergeBest, (performance.now() - t0) / 1000);
  if (JSON.stringify(merged) !== whole) {
    console.error('journey.mjs: merging the two halves does not give the table back');
    process.exit(1);
  }
}
writeFileSync(out, JSON.stringify({
  path: table.path,
  conversions: Array.from(table.conversions),
  nulls: Array.from(table.nulls),
  value: Array.from(table.value),
}));
console.log(JSON.stringify({ stack, seconds: best, rowsSeconds: rowsBest, rows: table.path.length, mergeSeconds: mergeBest }));
