// toJSON() / fromJSON() of FittedIsolationForest, FittedLogistic and FittedBids, and the
// documents Python writes for them (tests/js/models_json.mjs, shared with the browser build).
import { createRequire } from 'node:module';
import { runModelJson } from '../../tests/js/models_json.mjs';

const require = createRequire(import.meta.url);
runModelJson(require('../index.js'), 'node');
