// Bad input never crashes: it throws an Error whose `code` is the core's kind code and whose
// message is the core's message. Panics surface as `code: 'internal'`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { attribution, journey, ERROR_CODES } = require('../index.js');
const native = require(process.env.CHANNELWISE_NATIVE || `../${require('../platform.js').nativeFileName()}`);

const good = { path: ['a>b', 'b', 'a'], conversions: [1, 1, 0], nulls: [0, 1, 1], value: [10, 20, 0] };

/** Asserts `fn` throws a plain Error with `code` (and a message matching `message`, if given). */
function throwsCode(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, `code ${err.code}, message: ${err.message}`);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

test('ERROR_CODES lists the core kinds', () => {
  assert.deepEqual(ERROR_CODES, [
    'out_of_range',
    'non_finite',
    'not_enough_data',
    'invalid_path',
    'invalid_record',
    'invalid_parameter',
    'length_mismatch',
    'not_converged',
    'io',
    'internal',
    'cancelled',
  ]);
  assert.ok(Object.isFrozen(ERROR_CODES));
});

test('core errors keep their code and message', () => {
  throwsCode(
    () => attribution.markov({ path: ['a > > b'], conversions: [1] }),
    'invalid_path',
    /^invalid path in row 0: empty channel name at position 2 of "a > > b"$/,
  );
  throwsCode(() => attribution.heuristics({ path: [''], conversions: [1] }), 'invalid_path');
  throwsCode(
    () => attribution.markov({ path: ['a'], conversions: [NaN] }),
    'non_finite',
    /^conversions\[0\] must be finite, got NaN$/,
  );
  throwsCode(() => attribution.shapley({ path: ['a'], conversions: new Float64Array([Infinity]) }), 'non_finite');
  throwsCode(
    () => attribution.markov({ path: ['a', 'b'], conversions: [1] }),
    'length_mismatch',
    /^length mismatch: conversions has 1 entries, expected 2$/,
  );
  throwsCode(() => attribution.heuristics({ path: ['a'], conversions: [1], nulls: [-1] }), 'out_of_range');
  throwsCode(() => attribution.markov({ path: [], conversions: [] }), 'not_enough_data');
  throwsCode(() => attribution.shapley({ path: [], conversions: [] }), 'not_enough_data');
  throwsCode(() => attribution.markov(good, { order: 0 }), 'out_of_range');
  throwsCode(() => attribution.markov(good, { ci: { replicates: 3 } }), 'out_of_range');
  throwsCode(() => attribution.heuristics(good, { uShaped: [0.7, 0.5] }), 'out_of_range');
  throwsCode(() => attribution.heuristics(good, { sep: '  ' }), 'invalid_parameter');
  throwsCode(() => journey.pathTable({ userId: ['u'], timestamp: [0], channel: ['a'] }, { userId: ['u'], timestamp: [1] }, { level: 'campaign' }), 'invalid_parameter');
});

test('wrong types and missing fields are invalid_parameter naming the field', () => {
  throwsCode(() => attribution.markov(), 'invalid_parameter', /^invalid table: "undefined" \(expected an object\)$/);
  throwsCode(() => attribution.markov(null), 'invalid_parameter');
  throwsCode(() => attribution.markov([1, 2]), 'invalid_parameter', /an array/);
  throwsCode(() => attribution.markov({ conversions: [1] }), 'invalid_parameter', /^invalid path: "undefined" \(required, but missing\)$/);
  throwsCode(() => attribution.markov({ path: ['a'] }), 'invalid_parameter', /conversions/);
  throwsCode(() => attribution.markov({ path: 'a>b', conversions: [1] }), 'invalid_parameter', /^invalid path: "a>b" \(expected an array of strings\)$/);
  throwsCode(() => attribution.markov({ path: ['a', 7], conversions: [1, 1] }), 'invalid_parameter', /^invalid path\[1\]: "7" \(expected a string\)$/);
  throwsCode(() => attribution.markov({ path: ['a'], conversions: ['1'] }), 'invalid_parameter', /conversions\[0\]/);
  throwsCode(() => attribution.markov({ path: ['a'], conversions: [null] }), 'invalid_parameter', /conversions\[0\]/);
  // Any typed array of numbers converts to f64 exactly, so it is read (as in the browser build);
  // BigInt arrays are not numbers and are named in the error.
  assert.deepEqual(attribution.markov({ path: ['a'], conversions: new Int32Array([1]) }), attribution.markov({ path: ['a'], conversions: [1] }));
  throwsCode(() => attribution.markov({ path: ['a'], conversions: new BigInt64Array([1n]) }), 'invalid_parameter', /BigInt64Array/);
  throwsCode(() => attribution.markov({ path: ['a'], conversions: 1 }), 'invalid_parameter');
  throwsCode(() => attribution.markov(good, { order: 1.5 }), 'invalid_parameter', /options\.order/);
  throwsCode(() => attribution.markov(good, { order: '2' }), 'invalid_parameter', /options\.order/);
  throwsCode(() => attribution.markov(good, { order: -1 }), 'out_of_range', /options\.order/);
  throwsCode(() => attribution.markov(good, { horizon: 'forever' }), 'invalid_parameter', /options\.horizon/);
  throwsCode(() => attribution.markov(good, { useNulls: 1 }), 'invalid_parameter', /options\.useNulls/);
  throwsCode(() => attribution.markov(good, { use_nulls: false }), 'invalid_parameter', /unknown option/);
  throwsCode(() => attribution.markov(good, { ci: 'yes' }), 'invalid_parameter', /options\.ci/);
  throwsCode(() => attribution.markov(good, { ci: { seed: -1 } }), 'out_of_range', /options\.ci\.seed/);
  throwsCode(() => attribution.markov(good, 'order 2'), 'invalid_parameter', /options/);
  throwsCode(() => attribution.heuristics(good, { uShaped: [0.4] }), 'length_mismatch', /options\.uShaped/);
  throwsCode(() => new attribution.Markov({ order: 'x' }), 'invalid_parameter');
  throwsCode(() => new attribution.Markov().fit(good).shapley({ method: 'magic' }), 'invalid_parameter', /options\.method/);
  throwsCode(() => new attribution.FittedMarkov(), 'invalid_parameter', /Markov/);
  throwsCode(() => attribution.timeDecay({ userId: ['u'], timestamp: [1.5], channel: ['a'] }, { userId: [], timestamp: [] }), 'invalid_record');
  throwsCode(() => attribution.timeDecay({ userId: ['u'], timestamp: [NaN], channel: ['a'] }, { userId: [], timestamp: [] }), 'non_finite');
  throwsCode(() => journey.pathTable({ userId: ['u'], timestamp: [1, 2], channel: ['a'] }, { userId: [], timestamp: [] }), 'length_mismatch');
  throwsCode(() => journey.pathTable({ userId: ['u'], timestamp: [1], channel: ['a'], campaign: [3] }, { userId: [], timestamp: [] }), 'invalid_parameter', /touchpoints\.campaign\[0\]/);
  throwsCode(() => journey.pathTable({ userId: ['u'], timestamp: [0], channel: ['a'], cost: [-2] }, { userId: ['u'], timestamp: [1] }), 'out_of_range');
});

test('a throwing getter in the input propagates as is', () => {
  const boom = new TypeError('getter says no');
  const table = {
    get path() {
      throw boom;
    },
    conversions: [1],
  };
  assert.throws(() => attribution.markov(table), (err) => err === boom);
});

test('a panic is caught and reported as internal, and the addon keeps working', { skip: !native._panicForTesting && 'built without the `testing` feature' }, () => {
  throwsCode(() => native._panicForTesting('boom'), 'internal', /^internal error \(please report\): panic in channelwise-node: boom$/);
  assert.equal(attribution.markov(good).length, 2);
});

test('path strings: newlines, unicode and cons strings read exactly; a bad element keeps its index', () => {
  let built = '';
  for (const c of 'a>b') built += c; // a rope (cons string), as CSV parsers build them
  const rows = attribution.markov({ path: [built, 'b\n>é', 'a > c\n', 'c>ü>b'], conversions: [3, 1, 2, 1], nulls: [1, 4, 2, 0] });
  assert.deepEqual(rows.map((r) => r.channel), ['a', 'b', 'é', 'c', 'ü']);
  const flat = attribution.markov({ path: ['a>b', 'b>é', 'a>c', 'c>ü>b'], conversions: [3, 1, 2, 1], nulls: [1, 4, 2, 0] });
  assert.deepEqual(rows, flat);
  throwsCode(() => attribution.markov({ path: ['a', 'a>\n>b'], conversions: [1, 1] }), 'invalid_path', /^invalid path in row 1: empty channel name at position 2 of "a>\\n>b"$/);
  throwsCode(() => attribution.markov({ path: ['a', 'b', null], conversions: [1, 1, 1] }), 'invalid_parameter', /^invalid path\[2\]: "null" \(expected a string\)$/);
  throwsCode(() => attribution.markov({ path: ['a', new String('b')], conversions: [1, 1] }), 'invalid_parameter', /^invalid path\[1\]: "an object" \(expected a string\)$/);
  throwsCode(() => attribution.markov({ path: ['a', 'b'], conversions: [1, NaN] }), 'non_finite', /conversions\[1\]/);
});

test('large tables (read and parsed in overlapping chunks) keep every row and the error order', () => {
  const n = 50_000; // several chunks of 16384 rows
  const path = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a>b' : i % 3 === 1 ? 'b' : 'c>a'));
  const conversions = Float64Array.from({ length: n }, (_, i) => i % 2);
  const heur = attribution.heuristics({ path, conversions });
  const total = heur.reduce((s, r) => s + r.linearConversions, 0);
  assert.ok(Math.abs(total - n / 2) < 1e-6, `every row counted: ${total}`);
  // an invalid path early and a non-string late: the type error wins, as if all were read first
  const bad = path.slice();
  bad[5] = 'a>>b';
  throwsCode(() => attribution.markov({ path: bad, conversions }), 'invalid_path', /row 5/);
  bad[40_000] = 7;
  throwsCode(() => attribution.markov({ path: bad, conversions }), 'invalid_parameter', /path\[40000\]/);
  // a bad count column with a non-string path: the path error wins
  throwsCode(() => attribution.markov({ path: bad, conversions: 'x' }), 'invalid_parameter', /path\[40000\]/);
  throwsCode(() => attribution.markov({ path, conversions: conversions.subarray(1) }), 'length_mismatch');
});

test('path strings of any length and script cross intact (one-call read with an exact-length retry)', () => {
  // names around the 256-byte first read, multi-byte characters on the boundary, and U+FFFD
  // itself (how V8 writes a lone surrogate, which is refused: the code units are then read)
  const long = (k, ch) => ch.repeat(k);
  const names = [long(251, 'x'), long(252, 'é'), long(300, '€'), long(1000, 'y'), 'a\uFFFDb', long(300, '\uFFFD'), '😀'.repeat(70)];
  for (const name of names) {
    const path = [`${name}>b`, `b > ${name}`, 'b'];
    const rows = attribution.heuristics({ path, conversions: [1, 1, 1] });
    const channels = rows.map((r) => r.channel).sort();
    assert.deepEqual(channels, [name, 'b'].sort());
  }
  // a lone surrogate, short or past the first read, and nothing of it left in the buffer
  const lone = (row) => new RegExp(`^invalid path\\[${row}\\]: "<unreadable>" \\(a lone surrogate: not Unicode text\\)$`);
  throwsCode(() => attribution.heuristics({ path: ['a\uD800b', 'b'], conversions: [1, 1] }), 'invalid_parameter', lone(0));
  throwsCode(() => attribution.heuristics({ path: ['b', `${long(300, 'é')}\uDBFF`], conversions: [1, 1] }), 'invalid_parameter', lone(1));
  // many short strings in one chunk buffer after a long one: offsets stay right
  const path = [long(5000, 'z'), ...Array.from({ length: 2000 }, (_, i) => `c${i % 7}>d`)];
  const rows = attribution.heuristics({ path, conversions: new Float64Array(path.length).fill(1) });
  assert.equal(rows.length, 9);
});
