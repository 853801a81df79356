// The JS API tests shared with the browser build (tests/js/api.mjs), against this addon.
import { createRequire } from 'node:module';
import { runApi } from '../../tests/js/api.mjs';

const require = createRequire(import.meta.url);
runApi(require('../index.js'), 'node');
