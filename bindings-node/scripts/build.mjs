// Builds the native addon with cargo and copies it next to index.js as
// channelwise.<platform>-<arch>[-<libc>].node, the name index.js loads.
//
//   node scripts/build.mjs [--debug] [--features f1,f2]
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import platform from '../platform.js';

const { nativeFileName } = platform;

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const debug = args.includes('--debug');
const fi = args.indexOf('--features');
const features = fi >= 0 ? ['--features', args[fi + 1]] : [];

execFileSync('node', [join(here, '..', 'scripts', 'sync_js_api.mjs')], { stdio: 'inherit' });

const cargo = ['build', '-p', 'channelwise-node', ...(debug ? [] : ['--release']), ...features];
execFileSync('cargo', cargo, { cwd: here, stdio: 'inherit' });

const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: here, encoding: 'utf8' }));
const lib = { linux: 'libchannelwise_node.so', darwin: 'libchannelwise_node.dylib', win32: 'channelwise_node.dll' }[process.platform]
  ?? 'libchannelwise_node.so';
const from = join(meta.target_directory, debug ? 'debug' : 'release', lib);
const to = join(here, nativeFileName());
copyFileSync(from, to);
console.log(`copied ${from} -> ${to}`);
