// experiment.*: A/B statistics and the seeded, serialisable bandit (tests/js/experiment.mjs,
// shared with the WebAssembly build).
import { createRequire } from 'node:module';
import { runExperiment } from '../../tests/js/experiment.mjs';

const require = createRequire(import.meta.url);
runExperiment(require('../index.js'), 'node');
