// index.d.ts type-checks the documented usage (test/types-check.ts) with TypeScript's strict mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(pkg, 'node_modules', 'typescript', 'bin', 'tsc');

test('index.d.ts type-checks the documented calls', { skip: !existsSync(tsc) && 'typescript not installed (npm ci)' }, () => {
  const r = spawnSync(process.execPath, [tsc, '-p', join(pkg, 'test', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test("the browser package's index.d.ts (the shared api.d.ts plus init) type-checks too", { skip: !existsSync(tsc) && 'typescript not installed (npm ci)' }, () => {
  const wasmTypes = join(pkg, '..', 'bindings-wasm', 'js', 'index.d.ts');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', wasmTypes], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
