// Bad input found by mutation (tests/js/mutate.mjs): every call of the shared vectors, made again
// with one value replaced, must succeed or throw a typed error, against the Node addon.
import { createRequire } from 'node:module';

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { checkTheNet, mutating, sessions } from '../../tests/js/mutate.mjs';
import { runVectors } from '../../tests/js/vectors.mjs';

const require = createRequire(import.meta.url);
const cw = require('../index.js');
runVectors(mutating({ ...cw, errorCodes: () => cw.ERROR_CODES }, { seed: 1 }));
checkTheNet(test, assert);
sessions(test, assert, mutating({ ...cw, errorCodes: () => cw.ERROR_CODES }, { seed: 1 }));
