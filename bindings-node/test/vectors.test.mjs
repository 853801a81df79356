// Every shared vector against the Node binding; the runner is tests/js/vectors.mjs, shared with
// the WebAssembly build (the two expose the same names and shapes).
import { createRequire } from 'node:module';

import { runVectors } from '../../tests/js/vectors.mjs';

const require = createRequire(import.meta.url);
const { attribution, journey, stats, forecast, anomaly, optimize, glm, clv, leads, platform, experiment, decide, ERROR_CODES } = require('../index.js');

runVectors({ attribution, journey, stats, forecast, anomaly, optimize, glm, clv, leads, platform, experiment, decide, errorCodes: () => ERROR_CODES });
