// toJSON() / fromJSON() of FittedIsolationForest, FittedLogistic and FittedBids in the
// WebAssembly build, and the documents Python writes for them (tests/js/models_json.mjs).
import * as cw from '../js/index.js';
import { runModelJson } from '../../tests/js/models_json.mjs';

await cw.init();
runModelJson(cw, 'wasm');
