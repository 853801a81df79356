// Every Node test again, with each value a call returns checked against the type the `.d.ts`
// declares for it (tests/js/shapes.mjs): every key declared, every required key present, every
// value of its declared type. The generated types agree by construction; this is what holds the
// hand-written ones (the core's serde forms in `platform`, `experiment`, `decide`) to the code.
//
// How: the package is built here from the addon, the shared wrapper and the surface, as
// index.js does, but with the addon's `call` and `callAsync` recording what they return; that
// package is put in the require cache as index.js (and so as `channelwise`), and the other test
// files are loaded into this process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checker, parseDts, returnType } from '../../tests/js/shapes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { nativeFileName } = require('../platform.js');
const native = require(process.env.CHANNELWISE_NATIVE || join(here, '..', nativeFileName()));
const surface = require('../surface.json');
const decl = parseDts(readFileSync(join(here, '..', 'index.d.ts'), 'utf8'));
const check = checker(decl);

// Where each call id's member is declared: its namespace's path and class.
const where = new Map();
for (const ns of surface.namespaces) {
  for (const f of ns.functions) where.set(`${ns.name}.${f.name}`, { path: ns.path ?? [ns.name], cls: null, name: f.name });
  for (const c of ns.classes) {
    for (const m of c.members) where.set(`${ns.name}.${c.name}.${m.name}`, { path: ns.path ?? [ns.name], cls: c.name, name: m.name });
  }
}

// Values with every default filled in: each optional key declared must be there too, so a key the
// `.d.ts` declares but the code dropped is found.
const COMPLETE = new Set(['decide.validatePolicy', 'decide.Engine.policy', 'platform.SimMarket.config']);
const problems = [];
const seen = new Map();
function record(id, member, value) {
  // A constructor or a member returning a class gives a handle here (the wrapper makes the
  // instance); internal calls (progress) have no declaration.
  if (member.returns !== null || member.kind === 'new' || member.kind === 'hidden' || !where.has(id)) return value;
  const w = where.get(id);
  const t = returnType(decl, w.path, w.cls, w.name);
  if (t === null) problems.push(`${id}: no declared return type`);
  else {
    const found = check(value, t, w.cls ? `${w.cls}.${w.name}()` : `${w.path.join('.')}.${w.name}()`, null, COMPLETE.has(id));
    if (found.length > 0) problems.push(`${id}: ${found.slice(0, 3).join('; ')}`);
  }
  seen.set(id, (seen.get(id) ?? 0) + 1);
  return value;
}

const api = require('../api.cjs').build(
  {
    call: (id, args, member) => record(id, member, native.call(id, args)),
    callAsync: (id, args, member, watch) => native.callAsync(id, args, watch).then((v) => record(id, member, v)),
  },
  surface,
);
const exported = { ERROR_CODES: api.ERROR_CODES };
for (const [k, v] of Object.entries(api)) if (k !== 'ERROR_CODES') exported[k] = Object.freeze(v);
const index = require.resolve('../index.js');
require.cache[index] = { id: index, filename: index, loaded: true, exports: exported, children: [], paths: [] };

test('the checker finds what it is for', () => {
  const t = { kind: 'ref', name: 'ChainSummary', args: [] };
  assert.deepEqual(check({ entries: 1, headSeq: 1, headHash: 'ab' }, t, 'x'), []);
  assert.match(check({ entries: 1, headSeq: 1, headHash: 'ab', extra: 2 }, t, 'x')[0], /^x\.extra: not declared/);
  assert.match(check({ entries: 1, headSeq: 1 }, t, 'x')[0], /^x\.headHash: declared, but missing/);
  assert.match(check({ entries: '1', headSeq: 1, headHash: 'ab' }, t, 'x')[0], /^x\.entries: "1" is not number/);
  const verdict = { kind: 'ref', name: 'Verdict', args: [] };
  assert.deepEqual(check({ verdict: 'defer', guardrail: 'g', reason: 'r', untilMs: 5 }, verdict, 'v'), []);
  assert.equal(check({ verdict: 'defer', guardrail: 'g', reason: 'r' }, verdict, 'v').length > 0, true);
  const result = { kind: 'ref', name: 'PlatformResult', args: [{ kind: 'array', of: { kind: 'ref', name: 'MetricsRow', args: [] } }] };
  assert.equal(check({ ok: true, value: [{ entity: 'a' }] }, result, 'r').length > 0, true);
  assert.deepEqual(check({ ok: false, error: { kind: 'timeout' } }, result, 'r'), []);
  assert.equal(check(new Float64Array(2), { kind: 'ref', name: 'Numbers', args: [] }, 'n').length, 0);
  assert.equal(check([1, 'a'], { kind: 'ref', name: 'Numbers', args: [] }, 'n').length > 0, true);
});

const self = basename(fileURLToPath(import.meta.url));
for (const f of readdirSync(here).filter((f) => f.endsWith('.test.mjs') && f !== self && f !== 'types.test.mjs').sort()) {
  await import(join(here, f));
}

// Registered last, so it runs once every test above has.
test('every result has its declared type', (t) => {
  const checked = [...where.keys()].filter((id) => seen.has(id));
  t.diagnostic(`${checked.length} of ${where.size} members checked, ${[...seen.values()].reduce((a, b) => a + b, 0)} results`);
  assert.deepEqual([...new Set(problems)], [], `results unlike their declared types (${checked.length} members checked)`);
  assert.ok(checked.length >= 150, `only ${checked.length} members were called`);
});
