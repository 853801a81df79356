// optimize.*: curves, adstock and the media mix model (tests/js/optimize.mjs, shared with the
// WebAssembly build).
import { createRequire } from 'node:module';
import { runOptimize } from '../../tests/js/optimize.mjs';

const require = createRequire(import.meta.url);
runOptimize(require('../index.js'), 'node');
