// FittedEts.toJSON() / fromJSON() in the WebAssembly build: round trips and Python-written
// documents (tests/js/ets_json.mjs).
import { init, forecast, attribution } from '../js/index.js';
import { runEtsJson } from '../../tests/js/ets_json.mjs';

await init();
runEtsJson({ forecast, attribution });
