// optimize.* in the WebAssembly build: curves, adstock and the media mix model
// (tests/js/optimize.mjs, shared with the Node binding).
import { init, optimize, glm } from '../js/index.js';
import { runOptimize } from '../../tests/js/optimize.mjs';

await init();
runOptimize({ optimize, glm }, 'wasm');
