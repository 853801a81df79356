// experiment.* in the WebAssembly build: A/B statistics and the seeded, serialisable bandit a
// page can run client-side (tests/js/experiment.mjs, shared with the Node binding).
import { init, experiment } from '../js/index.js';
import { runExperiment } from '../../tests/js/experiment.mjs';

await init();
runExperiment({ experiment }, 'wasm');
