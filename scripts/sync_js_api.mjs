// Copies the shared JS wrapper (bindings-js/js/api.mjs), the surface it reads and the .d.ts
// (bindings-js/js/surface.json and index.d.ts, generated from the Rust declarations) into both
// packages: ES modules for the browser (bindings-wasm/js/api.js, surface.js, api.d.ts) and
// CommonJS for Node (bindings-node/api.cjs, surface.json, index.d.ts). The copies are build
// outputs (git-ignored); the package builds run this.
//
//   node scripts/sync_js_api.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = readFileSync(join(root, 'bindings-js', 'js', 'api.mjs'), 'utf8');
const banner = '// Generated from bindings-js/js/api.mjs by scripts/sync_js_api.mjs: edit that file.\n';
writeFileSync(join(root, 'bindings-wasm', 'js', 'api.js'), banner + src);
const cjs = src.replace(/^export function build\(/m, 'function build(');
if (cjs === src) throw new Error('sync_js_api: `export function build(` not found');
writeFileSync(join(root, 'bindings-node', 'api.cjs'), `'use strict';\n${banner}${cjs}\nmodule.exports = { build };\n`);
const surface = readFileSync(join(root, 'bindings-js', 'js', 'surface.json'), 'utf8');
writeFileSync(join(root, 'bindings-node', 'surface.json'), surface);
writeFileSync(join(root, 'bindings-wasm', 'js', 'surface.js'), `${banner}export default ${surface.trimEnd()};\n`);
const dts = readFileSync(join(root, 'bindings-js', 'js', 'index.d.ts'), 'utf8');
writeFileSync(join(root, 'bindings-node', 'index.d.ts'), dts);
writeFileSync(join(root, 'bindings-wasm', 'js', 'api.d.ts'), dts);
console.log('sync_js_api: wrote bindings-wasm/js/{api.js,surface.js,api.d.ts} and bindings-node/{api.cjs,surface.json,index.d.ts}');
