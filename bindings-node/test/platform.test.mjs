// platform.*: PII hashing, webhooks, the simulated market and the error classifier
// (tests/js/platform.mjs, shared with the WebAssembly build).
import { createRequire } from 'node:module';
import { runPlatform } from '../../tests/js/platform.mjs';

const require = createRequire(import.meta.url);
runPlatform(require('../index.js'), 'node');
