// platform.* in the WebAssembly build: PII hashing, webhooks, the simulated market and the error
// classifier (tests/js/platform.mjs, shared with the Node binding).
import { init, platform } from '../js/index.js';
import { runPlatform } from '../../tests/js/platform.mjs';

await init();
runPlatform({ platform }, 'wasm');
