// The JS API tests shared with the Node addon (tests/js/api.mjs), against the WebAssembly build.
import * as cw from '../js/index.js';
import { runApi } from '../../tests/js/api.mjs';

await cw.init();
runApi(cw, 'wasm');
