// FittedEts.toJSON() / fromJSON(): round trips and Python-written documents (tests/js/ets_json.mjs).
import { createRequire } from 'node:module';
import { runEtsJson } from '../../tests/js/ets_json.mjs';

const require = createRequire(import.meta.url);
const { forecast, attribution } = require('../index.js');

runEtsJson({ forecast, attribution });
