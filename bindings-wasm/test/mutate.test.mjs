// Bad input found by mutation (tests/js/mutate.mjs): every call of the shared vectors, made again
// with one value replaced, must succeed or throw a typed error, against the WebAssembly build.
import * as cw from '../js/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { checkTheNet, mutating, sessions } from '../../tests/js/mutate.mjs';
import { runVectors } from '../../tests/js/vectors.mjs';

await cw.init();
runVectors(mutating({ ...cw }, { seed: 1 }));
checkTheNet(test, assert);
sessions(test, assert, mutating({ ...cw }, { seed: 1 }));
