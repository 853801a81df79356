// The JS API tests both packages run (bindings-node/test/shared.test.mjs and
// bindings-wasm/test/shared.test.mjs): one file, so the Node addon and the browser module are
// proven to behave the same. Package-only behaviour (Node's worker threads, the browser's
// trap handling) stays in each package's own tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Registers the shared API tests.
 * @param {object} cw the package: `{ attribution, journey, stats, ERROR_CODES, ... }`
 * @param {string} name `'node'` or `'wasm'`, for test titles
 */
export function runApi(cw, name) {
  const { attribution, journey, stats, ERROR_CODES } = cw;
  const good = () => ({ path: ['a>b', 'b', 'a>c>b', 'c'], conversions: [30, 20, 8, 1], nulls: [70, 80, 40, 60], value: [300, 180, 90, 5] });

  function throwsCode(fn, code, message) {
    assert.throws(fn, (err) => {
      assert.ok(err instanceof Error, `not an Error: ${err}`);
      assert.equal(err.code, code, `code ${err.code}, message: ${err.message}`);
      if (typeof message === 'string') assert.equal(err.message, message);
      else if (message) assert.match(err.message, message);
      return true;
    });
  }

  test(`[${name}] ERROR_CODES is the core's list, frozen`, () => {
    assert.deepEqual(ERROR_CODES.slice(0, 10), ['out_of_range', 'non_finite', 'not_enough_data', 'invalid_path',
      'invalid_record', 'invalid_parameter', 'length_mismatch', 'not_converged', 'io', 'internal']);
    assert.ok(Object.isFrozen(ERROR_CODES));
  });

  test(`[${name}] errors: code = the core's kind, field and value named, message unchanged`, async () => {
    throwsCode(() => attribution.markov(good(), { order: 0 }), 'out_of_range', 'order must be in [1, 64], got 0');
    throwsCode(() => attribution.markov(good(), { order: 1.5 }), 'invalid_parameter', /^invalid options\.order: "1\.5"/);
    // a number shown as JS writes it, not digit by digit
    throwsCode(() => attribution.markov(good(), { order: 1e300 }), 'invalid_parameter', /^invalid options\.order: "1e\+300"/);
    throwsCode(() => attribution.markov(good(), { order: 1e-7 }), 'invalid_parameter', /^invalid options\.order: "1e-7"/);
    throwsCode(() => attribution.markov(good(), { usenulls: false }), 'invalid_parameter',
      'invalid options.usenulls: "usenulls" (unknown option; expected one of sep, order, horizon, useNulls, ci)');
    throwsCode(() => attribution.markov({ path: ['a', 7], conversions: [1, 1] }), 'invalid_parameter', 'invalid path[1]: "7" (expected a string)');
    throwsCode(() => attribution.markov({ path: ['a'], conversions: [NaN] }), 'non_finite', 'conversions[0] must be finite, got NaN');
    throwsCode(() => attribution.markov(), 'invalid_parameter', 'invalid table: "undefined" (expected an object)');
    throwsCode(() => stats.kendall('1,2,3', [1, 2, 3]), 'invalid_parameter', 'invalid x: "1,2,3" (expected an array of numbers or a Float64Array)');
    throwsCode(() => new attribution.FittedMarkov(), 'invalid_parameter', /Markov/);
    // a Map has no own keys: its settings were lost, and the defaults used, silently
    throwsCode(() => attribution.markov(good(), new Map([['order', 2]])), 'invalid_parameter',
      'invalid options: "a Map" (expected a plain object; Object.fromEntries(map) makes one)');
    throwsCode(() => attribution.markov(new Map([['path', ['a']]])), 'invalid_parameter', /^invalid argument 1: "a Map"/);
    throwsCode(() => new attribution.Markov({ order: 2 }).fit(new Map()), 'invalid_parameter', /^invalid argument 1: "a Map"/);
    throwsCode(() => new attribution.Markov(new Map([['order', 2]])), 'invalid_parameter', /^invalid argument 1: "a Map"/);
    await assert.rejects(attribution.markovAsync(good(), new Map()), (e) => e.code === 'invalid_parameter' && /^invalid options: "a Map"/.test(e.message));
    // so are a class's getters: { order: 2 } was read as {}, and order 1 used
    class Settings {
      get order() { return 2; }
      get useNulls() { return false; }
    }
    throwsCode(() => attribution.markov(good(), new Settings()), 'invalid_parameter',
      'invalid options: "a Settings" (expected a plain object: its getters order, useNulls are not own keys; { order: x.order, ... } makes one)');
    throwsCode(() => new attribution.Markov(new Settings()), 'invalid_parameter', /^invalid argument 1: "a Settings"/);
    // a class's own fields are own keys: read as they are
    class Fields {
      order = 2;
    }
    assert.deepEqual(attribution.markov(good(), new Fields()), attribution.markov(good(), { order: 2 }));
    // a built-in is the wrong type, as Rust says: its getters (a Set's size) are no settings
    throwsCode(() => stats.kendall(new Set([1, 2, 3]), [1, 2, 3]), 'invalid_parameter', 'invalid x: "an object" (expected an array of numbers or a Float64Array)');
    throwsCode(() => attribution.markov(good(), /x/), 'invalid_parameter', 'invalid options: "a RegExp" (expected a plain object)');
    throwsCode(() => attribution.markov(good(), new Set()), 'invalid_parameter', 'invalid options: "a Set" (expected a plain object)');
    // a plain object of another realm (a vm context, an iframe) is plain: its root's __proto__ is no setting
    assert.deepEqual(attribution.markov(good(), runInNewContext('({ order: 2 })')), attribution.markov(good(), { order: 2 }));
  });

  test(`[${name}] what user code throws while the input is read propagates as is`, () => {
    const boom = new TypeError('getter says no');
    const table = { ...good() };
    Object.defineProperty(table, 'conversions', { get() { throw boom; } });
    assert.throws(() => attribution.markov(table), (e) => e === boom);
    const opts = new Proxy({}, { ownKeys() { throw boom; } });
    assert.throws(() => attribution.markov(good(), opts), (e) => e === boom);
  });

  test(`[${name}] every typed array of numbers is a column; BigInt arrays are named`, () => {
    const plain = attribution.markov(good());
    const t = good();
    assert.deepEqual(attribution.markov({ ...t, conversions: Int32Array.from(t.conversions), nulls: Float32Array.from(t.nulls) }), plain);
    throwsCode(() => attribution.markov({ ...t, conversions: new BigInt64Array(4) }), 'invalid_parameter', /BigInt64Array/);
  });

  test(`[${name}] ...Async variants resolve to the sync result and reject with the code`, async () => {
    const t = good();
    assert.deepEqual(await attribution.markovAsync(t, { order: 2 }), attribution.markov(t, { order: 2 }));
    assert.deepEqual(await attribution.heuristicsAsync(t), attribution.heuristics(t));
    const fitted = await new attribution.Markov({ order: 2 }).fitAsync(t);
    assert.ok(fitted instanceof attribution.FittedMarkov);
    assert.deepEqual(fitted.credit(), new attribution.Markov({ order: 2 }).fit(t).credit());
    let p;
    assert.doesNotThrow(() => { p = attribution.markovAsync({ path: ['a'], conversions: [NaN] }); });
    await assert.rejects(p, (e) => e.code === 'non_finite');
  });

  test(`[${name}] long ...Async calls take onProgress and an AbortSignal`, async () => {
    const t = good();
    const opts = { order: 2, ci: { replicates: 40, seed: 2 } };
    const reports = [];
    const rows = await attribution.markovAsync(t, { ...opts, onProgress: (p) => reports.push(p) });
    assert.deepEqual(rows, attribution.markov(t, opts), 'same numbers with a progress callback');
    assert.ok(reports.length >= 1);
    assert.deepEqual(reports.at(-1), { done: 40, total: 40, stage: 'replicates' });
    const sh = [];
    await attribution.shapleyAsync(t, { ci: { replicates: 20 }, onProgress: (p) => sh.push(p.stage) });
    assert.equal(sh.at(-1), 'replicates');
    // An aborted signal: the typed cancelled error, no result.
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(attribution.markovAsync(t, { ...opts, signal: ac.signal }), (e) => e.code === 'cancelled');
    // The callbacks are checked; they are not options of the synchronous call.
    await assert.rejects(attribution.markovAsync(t, { onProgress: 3 }), (e) => e.code === 'invalid_parameter' && /onProgress/.test(e.message));
    await assert.rejects(attribution.markovAsync(t, { signal: {} }), (e) => e.code === 'invalid_parameter' && /signal/.test(e.message));
    throwsCode(() => attribution.markov(t, { onProgress: () => {} }), 'invalid_parameter', /unknown option/);
    // What onProgress throws stops the call and is what the promise rejects with.
    const boom = new Error('stop here');
    await assert.rejects(attribution.markovAsync(t, { ...opts, onProgress: () => { throw boom; } }), (e) => e === boom);
    // A fitted chain's sampled Shapley reports permutations.
    const fitted = new attribution.Markov().fit(t);
    const perm = [];
    const s = await fitted.shapleyAsync({ method: 'sampled', permutations: 50, seed: 1, onProgress: (p) => perm.push(p) });
    assert.deepEqual(s, fitted.shapley({ method: 'sampled', permutations: 50, seed: 1 }));
    assert.deepEqual(perm.at(-1), { done: 50, total: 50, stage: 'permutations' });
  });

  test(`[${name}] AutoEts.fitMany fits many series, reports one unit per series, names a failing one`, async () => {
    const ys = Array.from({ length: 9 }, (_, s) => Array.from({ length: 32 }, (_, t) => 50 + s + 10 * Math.sin(t / 2) + ((t * 7) % 5)));
    const spec = new cw.forecast.AutoEts({ seasonLength: 4 });
    const fits = spec.fitMany(ys);
    assert.equal(fits.length, 9);
    fits.forEach((f, i) => {
      assert.ok(f instanceof cw.forecast.FittedEts);
      assert.deepEqual(f.toJSON(), spec.fit(ys[i]).toJSON(), `series ${i} as fitted alone`);
    });
    const reports = [];
    const again = await spec.fitManyAsync(ys, { onProgress: (p) => reports.push(p) });
    assert.deepEqual(again.map((f) => f.aicc), fits.map((f) => f.aicc));
    assert.deepEqual(reports.at(-1), { done: 9, total: 9, stage: 'series' });
    throwsCode(() => spec.fitMany([...ys, [1, 2]]), 'not_enough_data', /^series\[9\]: not enough data/);
    throwsCode(() => spec.fitMany([ys[0], 'x']), 'invalid_parameter', /^invalid series\[1\]/);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(spec.fitManyAsync(ys, { signal: ac.signal }), (e) => e.code === 'cancelled');
  });

  test(`[${name}] a fitted Markov chain travels as JSON: to and from Python's document`, () => {
    const t = good();
    const fitted = new attribution.Markov({ order: 2 }).fit(t);
    const doc = fitted.toJSON();
    assert.equal(doc.model, 'channelwise.attribution.Markov');
    assert.deepEqual(doc.spec, { order: 2, horizon: null, use_nulls: true });
    const text = JSON.stringify(fitted);
    for (const back of [attribution.FittedMarkov.fromJSON(text), attribution.FittedMarkov.fromJSON(doc)]) {
      assert.deepEqual(back.credit(), fitted.credit());
      assert.deepEqual(back.transitions(), fitted.transitions());
      assert.equal(JSON.stringify(back), text);
    }
    // Written by Python: `cw.attribution.Markov(order=2).fit(df).to_json()` on this table
    // (channelwise Python binding; the `output` key is Python's DataFrame library, ignored here).
    const py = readFileSync(join(here, 'fixtures', 'markov_order2_python.json'), 'utf8');
    const fromPy = attribution.FittedMarkov.fromJSON(py);
    assert.deepEqual(fromPy.credit(), fitted.credit());
    const { output, ...pyDoc } = JSON.parse(py);
    assert.equal(output, 'pandas');
    assert.deepEqual(pyDoc, doc, 'the document JS writes is the one Python writes');
    // The document Python's test reads (bindings-python/tests/test_js_documents.py) is still
    // what JS writes.
    const jsFx = JSON.parse(readFileSync(join(here, 'fixtures', 'markov_order2_js.json'), 'utf8'));
    assert.deepEqual(jsFx.document, doc);
    assert.deepEqual(jsFx.credit, fitted.credit());
    // Damaged documents are invalid_parameter naming json.
    throwsCode(() => attribution.FittedMarkov.fromJSON('{x'), 'invalid_parameter', /^invalid json/);
    throwsCode(() => attribution.FittedMarkov.fromJSON({ model: 'channelwise.forecast.FittedEts', fitted: {} }), 'invalid_parameter', /not a channelwise Markov model/);
    throwsCode(() => attribution.FittedMarkov.fromJSON({ ...doc, fitted: { ...doc.fitted, chain: 3 } }), 'invalid_parameter', /^invalid json/);
  });

  test(`[${name}] the ETS document Python's test reads is still what JS writes`, () => {
    const fx = JSON.parse(readFileSync(join(here, 'fixtures', 'ets_js.json'), 'utf8'));
    const y = fx.document.series.values;
    const fit = new cw.forecast.Ets({ error: 'A', trend: 'A', season: 'M', seasonLength: 12, seed: 3 }).fit(y);
    assert.deepEqual(fit.toJSON(), fx.document);
    assert.deepEqual([...fit.predict(fx.h, { level: fx.level }).mean], fx.expected.mean);
  });

  test(`[${name}] parsePathCsv and journey.pathTable feed attribution in both packages`, () => {
    const t = attribution.parsePathCsv('path,conversions,nulls,value\n"a>b",30,70,300\nb,20,80,180\n', { sep: '>' });
    assert.ok(t.conversions instanceof Float64Array);
    assert.equal(attribution.markov(t).length, 2);
    const pt = journey.pathTable({ userId: ['u', 'u'], timestamp: [0, 10], channel: ['a', 'b'] }, { userId: ['u'], timestamp: [20], value: [5] });
    assert.deepEqual(pt.path, ['a>b']);
    assert.equal(pt.report.journeys, 1);
  });

  test(`[${name}] a path table keeps its W-shaped key touches on the way back, and a misspelt column is an error`, () => {
    // one user: s e d x y, the lead created at e (touch 1), a purchase after y
    const touches = { userId: ['a', 'a', 'a', 'a', 'a'], timestamp: [1, 2, 3, 4, 5], channel: ['s', 'e', 'd', 'x', 'y'] };
    const conversions = { userId: ['a', 'a'], timestamp: [2, 6], value: [0, 10], type: ['lead', 'purchase'] };
    const pt = journey.pathTable(touches, conversions, { leadKind: 'lead' });
    assert.deepEqual([pt.path, pt.keyTouch], [['s>e>d>x>y'], [1]]);
    // W-shaped (the Heuristics doc): 0.3 to first, key and last, the other 0.1 split over d and x
    const w = (t) => Object.fromEntries(attribution.heuristics(t).map((r) => [r.channel, Math.round(r.wShapedConversions * 1e12) / 1e12]));
    assert.deepEqual(w(pt), { s: 0.3, e: 0.3, d: 0.05, x: 0.05, y: 0.3 });
    // without the key the middle touch (d) takes the key's share, as before
    assert.deepEqual(w({ path: pt.path, conversions: pt.conversions }), { s: 0.3, e: 0.05, d: 0.3, x: 0.05, y: 0.3 });
    assert.deepEqual(w({ path: pt.path, conversions: pt.conversions, keyTouch: [null] }), { s: 0.3, e: 0.05, d: 0.3, x: 0.05, y: 0.3 });
    const merged = journey.merge([pt]);
    assert.deepEqual(merged.keyTouch, [1]);
    assert.deepEqual(w(merged), w(pt));
    const table = { path: ['a>b>c>d'], conversions: [1] };
    throwsCode(() => attribution.heuristics({ ...table, vaule: [5] }), 'invalid_parameter',
      'invalid table.vaule: "vaule" (unknown column; expected one of path, conversions, nulls, value, keyTouch, report)');
    throwsCode(() => attribution.markov({ ...table, keyTouch: [4] }), 'invalid_record',
      'invalid record at row 0, column keyTouch: "4" (expected the index of a touch of the path (0 to 3), or none)');
    throwsCode(() => attribution.heuristics({ ...table, keyTouch: [1, 2] }), 'length_mismatch', /keyTouch/);
    for (const bad of [-1, 0.5, NaN]) throwsCode(() => attribution.heuristics({ ...table, keyTouch: [bad] }), 'invalid_record', /^invalid record at row 0, column keyTouch: /);
    throwsCode(() => attribution.heuristics({ ...table, keyTouch: ['1'] }), 'invalid_parameter', 'invalid keyTouch[0]: "1" (expected a number)');
    throwsCode(() => journey.merge([table, { ...table, keyTouch: [9] }]), 'invalid_record', /^invalid record at row 0, column tables\[1\]\.keyTouch: "9"/);
    // a channel name holding the separator would read back as two channels: refused, naming it
    const tv = { userId: ['u', 'u'], timestamp: [1, 2], channel: ['tv>radio', 'search'] };
    const bought = { userId: ['u'], timestamp: [3], value: [1] };
    throwsCode(() => journey.pathTable(tv, bought), 'invalid_parameter', /^invalid options\.sep: .*channel "tv>radio" contains it/);
    const piped = journey.pathTable(tv, bought, { sep: ' | ' });
    assert.deepEqual(piped.path, ['tv>radio | search']);
    assert.deepEqual(attribution.heuristics(piped, { sep: '|' }).map((r) => r.channel).sort(), ['search', 'tv>radio']);
    assert.deepEqual(journey.merge([piped], { sep: '|' }).path, ['tv>radio|search']);
    // event tables name an unknown column too
    throwsCode(() => journey.pathTable({ ...touches, campagin: ['q', 'q', 'q', 'q', 'q'] }, conversions), 'invalid_parameter',
      'invalid touchpoints.campagin: "campagin" (unknown column; expected one of userId, timestamp, channel, campaign, cost, eventId)');
    throwsCode(() => journey.pathTable(touches, { ...conversions, vaule: [1, 2] }), 'invalid_parameter', /^invalid conversions\.vaule: "vaule" \(unknown column/);
  });

  test(`[${name}] a table may come as rows: the same results as its columns, each bad row named`, async () => {
    const columns = {
      userId: ['a', 'a', 'b', 'b', 'c'], timestamp: [1, 2, 1, 3, 4], channel: ['search', 'email', 'social', 'search', 'email'],
      campaign: ['brand', null, null, 'generic', null], cost: [1.5, null, null, 2, null],
    };
    const touches = columns.userId.map((userId, i) => {
      // a row leaves out what it has none of
      const row = { userId, timestamp: columns.timestamp[i], channel: columns.channel[i] };
      if (columns.campaign[i] !== null) row.campaign = columns.campaign[i];
      if (columns.cost[i] !== null) row.cost = columns.cost[i];
      return row;
    });
    const bought = { userId: ['a', 'c'], timestamp: [5, 6], value: [10, 4] };
    const boughtRows = [{ userId: 'a', timestamp: 5, value: 10 }, { userId: 'c', timestamp: 6, value: 4 }];
    const copy = JSON.stringify(touches);
    const opts = { level: 'channel_campaign' };
    const pt = journey.pathTable(columns, bought, opts);
    assert.deepEqual(journey.pathTable(touches, boughtRows, opts), pt);
    assert.deepEqual(journey.pathTable(columns, boughtRows, opts), pt);
    assert.equal(JSON.stringify(touches), copy); // the rows are left as they were
    assert.deepEqual(attribution.timeDecay(touches, boughtRows), attribution.timeDecay(columns, bought));
    // a path table as rows, into every attribution model
    const rows = good().path.map((path, i) => ({ path, conversions: good().conversions[i], nulls: good().nulls[i], value: good().value[i] }));
    assert.deepEqual(attribution.heuristics(rows), attribution.heuristics(good()));
    assert.deepEqual(attribution.markov(rows, { order: 2 }), attribution.markov(good(), { order: 2 }));
    assert.deepEqual(new attribution.Markov().fit(rows).removalEffects, new attribution.Markov().fit(good()).removalEffects);
    // a row that leaves out (or gives null for) a count has its default, 0; keyTouch has none
    const sparse = [{ path: 'a>b', conversions: 1, keyTouch: 1 }, { path: 'b', conversions: 0, nulls: 2, value: null }, { path: 'a>c>b', conversions: 2, value: 5 }];
    assert.deepEqual(attribution.heuristics(sparse),
      attribution.heuristics({ path: ['a>b', 'b', 'a>c>b'], conversions: [1, 0, 2], nulls: [0, 2, 0], value: [0, 0, 5], keyTouch: [1, null, null] }));
    // no rows, or an array of no objects, is refused by Rust as before tables could come as rows;
    // an empty table is given as columns
    throwsCode(() => journey.pathTable([], boughtRows), 'invalid_parameter', /^invalid touchpoints: "an array"/);
    throwsCode(() => attribution.markov([1, 2]), 'invalid_parameter', /^invalid table: "an array"/);
    assert.deepEqual(journey.pathTable({ userId: [], timestamp: [], channel: [] }, { userId: [], timestamp: [] }).path, []);
    // bad rows are named by row; bad cells by column and row, as Rust reads the columns
    throwsCode(() => journey.pathTable([touches[0], 'search'], bought), 'invalid_parameter',
      'invalid touchpoints[1]: "search" (expected a row: an object of userId, timestamp, channel, campaign, cost, eventId)');
    throwsCode(() => attribution.heuristics([rows[0], null]), 'invalid_parameter', /^invalid table\[1\]: "null" \(expected a row/);
    throwsCode(() => journey.pathTable([touches[0], { ...touches[1], chanel: 'x' }], bought), 'invalid_parameter',
      'invalid touchpoints[1].chanel: "chanel" (unknown column; expected one of userId, timestamp, channel, campaign, cost, eventId)');
    throwsCode(() => attribution.heuristics([{ ...rows[0], report: {} }]), 'invalid_parameter', /^invalid table\[0\]\.report: "report" \(unknown column; expected one of path, conversions, nulls, value, keyTouch\)/);
    // a bad cell by row and column, as the rows were written (Rust reads columns: touchpoints.channel[1])
    throwsCode(() => journey.pathTable([touches[0], { userId: 'a', timestamp: 3 }], bought), 'invalid_parameter',
      'invalid touchpoints[1].channel: "undefined" (expected a string)');
    throwsCode(() => journey.pathTable(touches, [boughtRows[0], { userId: 'c', timestamp: 6, value: '4' }]), 'invalid_parameter',
      'invalid conversions[1].value: "4" (expected a number)');
    throwsCode(() => journey.pathTable([touches[0], { ...touches[1], cost: NaN }], bought), 'non_finite', 'touchpoints[1].cost must be finite, got NaN');
    // a path table's cells, which Rust names without the table's name
    throwsCode(() => attribution.markov([rows[0], { ...rows[1], path: 7 }]), 'invalid_parameter', 'invalid table[1].path: "7" (expected a string)');
    throwsCode(() => attribution.markov([rows[0], { ...rows[1], conversions: -1 }]), 'out_of_range', 'table[1].conversions must be in [0, inf], got -1');
    throwsCode(() => new attribution.Markov().fit([rows[0], { ...rows[1], nulls: NaN }]), 'non_finite', 'table[1].nulls must be finite, got NaN');
    // given as columns, the same cells keep Rust's names
    throwsCode(() => attribution.markov({ path: ['a', 'b'], conversions: [1, -1] }), 'out_of_range', 'conversions[1] must be in [0, inf], got -1');
    // an ...Async call rejects (never throws) on a bad row
    let promise;
    assert.doesNotThrow(() => { promise = attribution.markovAsync([rows[0], 7]); });
    await assert.rejects(promise, (e) => e.code === 'invalid_parameter' && /^invalid table\[1\]: "7"/.test(e.message));
    await assert.rejects(attribution.markovAsync([rows[0], { ...rows[1], conversions: -1 }]),
      (e) => e.code === 'out_of_range' && e.message === 'table[1].conversions must be in [0, inf], got -1');
  });

  test(`[${name}] CLV and lead tables may come as rows too`, () => {
    const params = new cw.clv.BetaGeoParams({ r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 });
    const histories = { frequency: [0, 2, 5], recency: [0, 10, 30], T: [38, 38, 38] };
    const historyRows = [{ frequency: 0, recency: 0, T: 38 }, { frequency: 2, recency: 10, T: 38 }, { frequency: 5, recency: 30, T: 38 }];
    assert.deepEqual([...params.pAlive(historyRows)], [...params.pAlive(histories)]);
    const log = [{ customerId: 'a', datetime: 0, monetaryValue: 1 }, { customerId: 'a', datetime: 7 * 86400, monetaryValue: 3 }];
    assert.deepEqual(cw.clv.rfm(log), cw.clv.rfm({ customerId: ['a', 'a'], datetime: [0, 7 * 86400], monetaryValue: [1, 3] }));
    throwsCode(() => params.pAlive([historyRows[0], { frequency: 5, recency: 50, T: 38 }]), 'out_of_range', 'data[1].recency must be in [0, 38], got 50');
    throwsCode(() => cw.clv.rfm([log[0], { ...log[1], datetime: 'x' }]), 'invalid_parameter', 'invalid log[1].datetime: "x" (expected unix seconds or a Date; new Date(text) reads text)');
    const events = { lead: ['ann', 'ann', 'bob'], timestamp: [0, 60, 0], event: ['visit', 'signup', 'visit'] };
    const eventRows = [{ lead: 'ann', timestamp: 0, event: 'visit' }, { lead: 'ann', timestamp: 60, event: 'signup' }, { lead: 'bob', timestamp: 0, event: 'visit' }];
    const steps = { steps: ['visit', 'signup'] };
    assert.deepEqual(cw.leads.funnel(eventRows, steps), cw.leads.funnel(events, steps));
    throwsCode(() => cw.leads.funnel([eventRows[0], { ...eventRows[1], timestamp: NaN }], steps), 'non_finite', 'events[1].timestamp must be finite, got NaN');
    // `leads` is the whole table's list, not a cell of a row
    throwsCode(() => cw.leads.funnel([{ ...eventRows[0], leads: 'ann' }], steps), 'invalid_parameter',
      'invalid events[0].leads: "leads" (unknown column; expected one of lead, timestamp, event, value)');
  });

  test(`[${name}] timestamps may be Dates: their unix seconds, the fraction of a second dropped`, () => {
    const at = (iso) => new Date(iso);
    const secs = (iso) => Date.parse(iso) / 1000;
    // hand-converted: 2024-01-01T00:00:00Z is 1704067200; 10:00:00.900 drops its .9 second
    assert.equal(secs('2024-01-01T00:00:00Z'), 1704067200);
    const touches = { userId: ['u', 'u', 'v'], timestamp: [at('2024-01-01T00:00:00Z'), at('2024-01-01T10:00:00.900Z'), 1704067200], channel: ['a', 'b', 'a'] };
    const bought = { userId: ['u'], timestamp: [at('2024-01-02T00:00:00Z')], value: [5] };
    const plain = {
      touches: { userId: ['u', 'u', 'v'], timestamp: [1704067200, 1704103200, 1704067200], channel: ['a', 'b', 'a'] },
      bought: { userId: ['u'], timestamp: [1704153600], value: [5] },
    };
    const want = journey.pathTable(plain.touches, plain.bought);
    assert.deepEqual(journey.pathTable(touches, bought), want);
    // as rows, and a Date of another realm (an iframe's)
    const other = runInNewContext("new Date('2024-01-02T00:00:00Z')");
    assert.ok(!(other instanceof Date));
    const rows = touches.userId.map((userId, i) => ({ userId, timestamp: touches.timestamp[i], channel: touches.channel[i] }));
    assert.deepEqual(journey.pathTable(rows, [{ userId: 'u', timestamp: other, value: 5 }]), want);
    assert.deepEqual(touches.timestamp[0], at('2024-01-01T00:00:00Z')); // the caller's columns are left as they were
    // time-decay credit depends on every second: 10:00:00.900 is read as 10:00:00 exactly
    assert.deepEqual(attribution.timeDecay(touches, bought, { halfLifeSeconds: 3600 }), attribution.timeDecay(plain.touches, plain.bought, { halfLifeSeconds: 3600 }));
    assert.notDeepEqual(attribution.timeDecay(touches, bought, { halfLifeSeconds: 3600 }),
      attribution.timeDecay({ ...plain.touches, timestamp: [1704067200, 1704103201, 1704067200] }, plain.bought, { halfLifeSeconds: 3600 }));
    // text is refused, named by its cell, with the way out
    throwsCode(() => journey.pathTable({ ...touches, timestamp: [0, '2024-01-01T10:00:00', 0] }, bought), 'invalid_parameter',
      'invalid touchpoints.timestamp[1]: "2024-01-01T10:00:00" (expected unix seconds or a Date; new Date(text) reads text)');
    throwsCode(() => journey.pathTable([rows[0], { ...rows[1], timestamp: '1704103200' }], bought), 'invalid_parameter',
      /^invalid touchpoints\[1\]\.timestamp: "1704103200" \(expected unix seconds or a Date/);
    // an invalid Date is named as a non-finite cell
    throwsCode(() => journey.pathTable({ ...touches, timestamp: [at('x'), 0, 0] }, bought), 'non_finite', 'touchpoints.timestamp[0] must be finite, got NaN');
    throwsCode(() => journey.pathTable([rows[0], { ...rows[1], timestamp: at('x') }], bought), 'non_finite', 'touchpoints[1].timestamp must be finite, got NaN');
    // the CLV log and lead tables too
    const log = { customerId: ['a', 'a'], datetime: [at('2024-01-01'), at('2024-01-08')], monetaryValue: [1, 3] };
    assert.deepEqual(cw.clv.rfm(log), cw.clv.rfm({ ...log, datetime: [secs('2024-01-01'), secs('2024-01-08')] }));
    const events = { lead: ['ann', 'ann'], timestamp: [at('2024-01-01'), at('2024-01-03')], event: ['visit', 'signup'] };
    const steps = { steps: ['visit', 'signup'] };
    assert.deepEqual(cw.leads.funnel(events, steps), cw.leads.funnel({ ...events, timestamp: [secs('2024-01-01'), secs('2024-01-03')] }, steps));
    assert.deepEqual(cw.leads.funnel(events, steps).steps[1].medianSecondsFromPrevious, 2 * 86400);
    // and every single time: asOf, calibrationEnd, observationEnd
    const asOf = at('2024-01-10T12:00:00.250Z');
    const asOfSecs = secs('2024-01-10T12:00:00Z');
    const config = { eventRules: [{ name: 'visits', dimension: 'engagement', eventType: 'visit', points: 5 }], decay: { halfLifeDays: 7, mode: 'event_age' } };
    assert.deepEqual(cw.leads.score(events, config, asOf), cw.leads.score(events, config, asOfSecs));
    assert.deepEqual(cw.leads.health(events, asOf), cw.leads.health(events, asOfSecs));
    assert.deepEqual(cw.leads.cohorts(events, { asOf }), cw.leads.cohorts(events, { asOf: asOfSecs }));
    const stages = { lead: ['a', 'a'], timestamp: [at('2024-01-01'), at('2024-01-02')], stage: ['new', 'qualified'] };
    assert.deepEqual(cw.leads.lifecycle(stages, { asOf }), cw.leads.lifecycle({ ...stages, timestamp: [secs('2024-01-01'), secs('2024-01-02')] }, { asOf: asOfSecs }));
    assert.equal(cw.leads.lifecycle(stages, { asOf }).asOf, asOfSecs);
    assert.deepEqual(cw.clv.calibrationAndHoldout(log, at('2024-01-05')), cw.clv.calibrationAndHoldout(log, secs('2024-01-05')));
    assert.deepEqual(cw.clv.rfm(log, { observationEnd: asOf }), cw.clv.rfm(log, { observationEnd: asOfSecs }));
    throwsCode(() => cw.leads.score(events, config, at('x')), 'non_finite', 'asOf must be finite, got NaN');
    throwsCode(() => cw.clv.rfm(log, { observationEnd: {} }), 'invalid_parameter', 'invalid options.observationEnd: "an object" (expected a number)');
  });

  test(`[${name}] journey.pathTable reads every event column, missing entries and any text`, () => {
    // users, channels and campaigns in several scripts (one holding U+FFFD itself); null
    // campaigns, event ids and types are missing entries
    const touches = {
      userId: ['é', 'e', 'é', 'e', '\uFFFDx'],
      timestamp: [0, 1, 2, 3, 4],
      channel: ['📧', 'search', 'search', 'search', 'b'],
      campaign: ['q1', null, undefined, 'x', null],
      cost: [1, null, 2, undefined, 0],
      eventId: ['t1', null, 't3', 't1', null],
    };
    const conversions = {
      userId: ['é', 'e', '\uFFFDx', 'e'],
      timestamp: [9, 9, 9, 0],
      value: [5, 7, 1, 0],
      eventId: [null, 'c2', null, undefined],
      type: [null, 'purchase', undefined, 'lead'],
    };
    const pt = journey.pathTable(touches, conversions, { level: 'channel_campaign', leadKind: 'lead' });
    // users in order of name; 'e' keeps one touch (its copy of t1 is the later one), 'é' two
    assert.deepEqual(pt.path, ['search', '📧 | q1>search', 'b']);
    assert.deepEqual([...pt.conversions], [1, 1, 1]);
    assert.deepEqual([...pt.value], [7, 5, 1]);
    assert.deepEqual([pt.report.duplicatesDropped, pt.report.leads, pt.report.journeys], [1, 1, 3]);
    // a newline inside a cell (the browser build then reads that column cell by cell)
    const nl = journey.pathTable({ userId: ['a\nb', 'a', 'a\nb'], timestamp: [0, 1, 2], channel: ['x', 'y', 'z'] }, { userId: ['a\nb'], timestamp: [3], value: [2] });
    assert.deepEqual([nl.path, [...nl.conversions]], [['y', 'x>z'], [0, 1]]);
    const bad = (cols) => () => journey.pathTable({ ...touches, ...cols }, conversions);
    throwsCode(bad({ userId: ['é', 'e', 7, 'e', 'x'] }), 'invalid_parameter', 'invalid touchpoints.userId[2]: "7" (expected a string)');
    throwsCode(bad({ userId: ['é', 'e', null, 'e', 'x'] }), 'invalid_parameter', 'invalid touchpoints.userId[2]: "null" (expected a string)');
    throwsCode(bad({ channel: 'search' }), 'invalid_parameter', 'invalid touchpoints.channel: "search" (expected an array of strings)');
    throwsCode(bad({ campaign: ['q1', null, 3, 'x', null] }), 'invalid_parameter', 'invalid touchpoints.campaign[2]: "3" (expected a string)');
    throwsCode(bad({ campaign: ['q1'] }), 'length_mismatch', /touchpoints\.campaign/);
    throwsCode(bad({ cost: [1, null, 'x', 0, 0] }), 'invalid_parameter', 'invalid touchpoints.cost[2]: "x" (expected a number)');
    throwsCode(bad({ timestamp: [0, 1, 2.5, 3, 4] }), 'invalid_record', /timestamp/);
    throwsCode(() => journey.pathTable(touches, { ...conversions, type: [null, 2, null, null] }), 'invalid_parameter', 'invalid conversions.type[1]: "2" (expected a string)');
    // a lone surrogate is no Unicode text: read as U+FFFD it merged '\uD800x' with '\uFFFDx'
    const lone = 'invalid touchpoints.userId[4]: "<unreadable>" (a lone surrogate: not Unicode text)';
    throwsCode(bad({ userId: ['é', 'e', 'é', 'e', '\uD800x'] }), 'invalid_parameter', lone);
    throwsCode(bad({ userId: ['é', 'e', 'é', null, '\uD800x'] }), 'invalid_parameter', /^invalid touchpoints\.userId\[3\]: "null"/);
    throwsCode(bad({ channel: ['📧', 'search', 'search', 'a\uDC00', 'b'] }), 'invalid_parameter', 'invalid touchpoints.channel[3]: "<unreadable>" (a lone surrogate: not Unicode text)');
    throwsCode(() => journey.pathTable(touches, { ...conversions, userId: ['é', 'e', '📧\uD83D', 'e'] }), 'invalid_parameter',
      'invalid conversions.userId[2]: "<unreadable>" (a lone surrogate: not Unicode text)');
    throwsCode(() => attribution.markov({ path: ['a>b', 'a>\uDFFF', 'b'], conversions: [1, 1, 0] }), 'invalid_parameter',
      'invalid path[1]: "<unreadable>" (a lone surrogate: not Unicode text)');
    // a pair is one character, U+FFFD itself is text: both read as they are
    assert.deepEqual(attribution.markov({ path: ['\uD83D\uDCE7>\uFFFD', '\uFFFD'], conversions: [1, 1] }).map((r) => r.channel).sort(), ['📧', '\uFFFD'].sort());
  });

  test(`[${name}] a hole in an event column is what undefined there is, never an empty string`, () => {
    // before, `every` skipped holes and `join('\n')` wrote them as "": a touch moved to user "",
    // a duplicate dropped, a conversion lost
    const T = { userId: ['u', 'u', 'v'], timestamp: [0, 10, 5], channel: ['a', 'b', 'c'] };
    const C = { userId: ['u', 'v'], timestamp: [20, 30], value: [5, 7] };
    // eslint-disable-next-line no-sparse-arrays
    throwsCode(() => journey.pathTable({ ...T, userId: ['u', , 'v'] }, C), 'invalid_parameter', 'invalid touchpoints.userId[1]: "undefined" (expected a string)');
    // eslint-disable-next-line no-sparse-arrays
    throwsCode(() => journey.pathTable({ ...T, channel: ['a', , 'c'] }, C), 'invalid_parameter', 'invalid touchpoints.channel[1]: "undefined" (expected a string)');
    // eslint-disable-next-line no-sparse-arrays
    throwsCode(() => journey.pathTable({ ...T, timestamp: [0, , 5] }, C), 'invalid_parameter', 'invalid touchpoints.timestamp[1]: "undefined" (expected a number)');
    const whole = journey.pathTable(T, C);
    // eslint-disable-next-line no-sparse-arrays
    const holes = journey.pathTable({ ...T, eventId: [, , 'e3'] }, { ...C, eventId: [, ,] });
    assert.deepEqual([holes.path, [...holes.conversions], holes.report.duplicatesDropped], [whole.path, [...whole.conversions], 0]);
    assert.deepEqual([...whole.conversions], [1, 1]);
    // a hole in merge's list of tables is named as undefined is, not a TypeError of the wrapper
    const t = { path: ['a'], conversions: [1] };
    // eslint-disable-next-line no-sparse-arrays
    throwsCode(() => journey.merge([t, , t]), 'invalid_parameter', /^invalid tables\[1\]\.table: "undefined" \(expected an object\)$/);
    throwsCode(() => journey.merge([t, undefined, t]), 'invalid_parameter', /^invalid tables\[1\]\.table: "undefined" \(expected an object\)$/);
    throwsCode(() => journey.merge([[{ path: 'a', conversions: 1 }], , { ...t, conversions: [-1] }]), 'invalid_parameter', /^invalid tables\[1\]\.table: "undefined" \(expected an object\)$/); // eslint-disable-line no-sparse-arrays
    // glm's fit has y and sampleWeight between x and nFeatures: a missing y is named as y
    if (cw.glm) {
      const fit = (...a) => () => new cw.glm.LogisticRegression().fit(...a);
      throwsCode(fit([[1, 2], [3, 4]]), 'invalid_parameter', /^invalid y: "undefined"/);
      throwsCode(fit([[1, 2], [3, 4]], 2), 'invalid_parameter', /^invalid y: "2"/);
    }
  });

  test(`[${name}] journey.merge: tables of disjoint users add up to the whole log's table`, () => {
    // two users, then a third, built apart and merged; the same three built together
    const touches = { userId: ['u1', 'u1', 'u2', 'u3', 'u3'], timestamp: [0, 10, 5, 1, 2], channel: ['search', 'email', 'search', 'email', 'search'] };
    const conversions = { userId: ['u1', 'u3'], timestamp: [20, 9], value: [40, 15] };
    const pick = (cols, keep) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.filter((_, i) => keep(cols.userId[i]))]));
    const a = journey.pathTable(pick(touches, (u) => u !== 'u3'), pick(conversions, (u) => u !== 'u3'));
    const b = journey.pathTable(pick(touches, (u) => u === 'u3'), pick(conversions, (u) => u === 'u3'));
    const merged = journey.merge([b, a]);
    const whole = journey.merge([journey.pathTable(touches, conversions)]);
    assert.deepEqual(merged, whole);
    assert.deepEqual(merged.path, ['email>search', 'search', 'search>email']);
    assert.deepEqual([...merged.conversions], [1, 0, 1]);
    assert.deepEqual([...merged.nulls], [0, 1, 0]);
    assert.deepEqual([...merged.value], [15, 0, 40]);
    assert.deepEqual(attribution.markov(merged), attribution.markov(whole));
    // channels are matched by name, rows by path; separators may differ from the default
    const c = journey.merge([{ path: ['x|y', 'y'], conversions: [1, 2] }, { path: ['y', 'x | y'], conversions: [3, 4], nulls: [1, 0] }], { sep: '|' });
    assert.deepEqual(c.path, ['x|y', 'y']);
    assert.deepEqual([...c.conversions], [5, 5]);
    assert.deepEqual([...c.nulls], [0, 1]);
    // each table's own paths, whichever way each reaches Rust (the browser hands each plain table's
    // paths over joined, a table whose path holds a newline one by one): equal-length tables, so a
    // mix-up would not be caught by a length check
    const rowsOf = (t) => Object.fromEntries(t.path.map((p, i) => [p, [t.conversions[i], t.nulls[i], t.value[i]]]));
    const three = [
      { path: ['a>b', 'b'], conversions: [1, 0], nulls: [0, 1], value: [5, 0] },
      { path: ['c', 'a\nz'], conversions: [2, 1] },
      { path: ['b', 'c>a'], conversions: [0, 3], nulls: [2, 0] },
    ];
    const want = { 'a>b': [1, 0, 5], 'a\nz': [1, 0, 0], b: [0, 3, 0], c: [2, 0, 0], 'c>a': [3, 0, 0] };
    assert.deepEqual(rowsOf(journey.merge(three)), want);
    assert.deepEqual(rowsOf(journey.merge([three[2], three[0], three[1]])), want);
    throwsCode(() => journey.merge([three[0], { path: ['b', 7], conversions: [1, 1] }]), 'invalid_parameter', 'invalid tables[1].path[1]: "7" (expected a string)');
    // each table of the list may come as rows, and is named by table and row
    const asRows = (t) => t.path.map((path, r) => Object.fromEntries(Object.keys(t).map((k) => [k, k === 'path' ? path : t[k][r]])));
    assert.deepEqual(rowsOf(journey.merge([asRows(three[0]), three[1], asRows(three[2])])), want);
    throwsCode(() => journey.merge([three[0], [{ path: 'b', conversions: 1 }, { path: 'c', conversions: NaN }]]), 'non_finite', 'tables[1][1].conversions must be finite, got NaN');
    throwsCode(() => journey.merge([three[0], [{ path: 'b', conversions: 1 }, { path: 7, conversions: 1 }]]), 'invalid_parameter', 'invalid tables[1][1].path: "7" (expected a string)');
    throwsCode(() => journey.merge([asRows(three[0]), [{ path: 'b', convertions: 1 }]]), 'invalid_parameter', /^invalid tables\[1\]\[0\]\.convertions: "convertions" \(unknown column/);
    // given as columns, the same cell keeps Rust's name
    throwsCode(() => journey.merge([three[0], { path: ['b', 'c'], conversions: [1, NaN] }]), 'non_finite', 'tables[1].conversions[1] must be finite, got NaN');
    throwsCode(() => journey.merge([]), 'not_enough_data');
    throwsCode(() => journey.merge([good(), { path: ['a'], conversions: [NaN] }]), 'non_finite', 'tables[1].conversions[0] must be finite, got NaN');
    throwsCode(() => journey.merge([good(), { path: ['a>>b'], conversions: [1] }]), 'invalid_path', /tables\[1\]: /);
    throwsCode(() => journey.merge(good()), 'invalid_parameter', /^invalid tables/);
    throwsCode(() => journey.merge([good()], { sep: '>', order: 1 }), 'invalid_parameter', /options\.order/);
  });

  test(`[${name}] clv: lifetimes' penalizerCoef fits customers who hardly differ, as Python does`, () => {
    const v = JSON.parse(readFileSync(join(here, '..', 'vectors', 'clv', 'bg_nbd_fit_no_heterogeneity_penalized.json'), 'utf8'));
    const data = { frequency: v.input.frequency, recency: v.input.recency, T: v.input.T };
    throwsCode(() => new cw.clv.BetaGeo().fit(data), 'not_converged', /a penalizer_coef such as 0\.001 keeps them finite/);
    const fit = new cw.clv.BetaGeo({ penalizerCoef: v.params.penalizer_coef }).fit(data);
    for (const k of ['r', 'alpha', 'a', 'b']) assert.ok(Math.abs(fit.params[k] / v.expected[k] - 1) < 1e-6, `${k}: ${fit.params[k]}`);
    assert.deepEqual(cw.clv.FittedBetaGeo.fromJSON(JSON.stringify(fit)).params, fit.params);
    throwsCode(() => new cw.clv.ParetoNbd({ penalizerCoef: -0.1 }).fit(data), 'out_of_range', 'options.penalizerCoef must be in [0, inf], got -0.1');
    throwsCode(() => new cw.clv.ShiftedBetaGeo({ penalizerCoef: NaN }).fit([1000, 631, 468]), 'non_finite', /options\.penalizerCoef/);
    throwsCode(() => new cw.clv.GammaGamma({ penalizerCoef: '0.01' }), 'invalid_parameter', /options\.penalizerCoef/);
  });

  test(`[${name}] clv: MBG/NBD fits CDNOW as lifetimes' ModifiedBetaGeoFitter, travels as JSON and feeds clv()`, () => {
    const v = JSON.parse(readFileSync(join(here, '..', 'vectors', 'clv', 'mbg_nbd_fit_cdnow.json'), 'utf8'));
    const data = { frequency: v.input.frequency, recency: v.input.recency, T: v.input.T };
    const fit = new cw.clv.ModifiedBetaGeo().fit(data);
    for (const k of ['r', 'alpha', 'a', 'b']) assert.ok(Math.abs(fit.params[k] / v.expected[k] - 1) < 1e-6, `${k}: ${fit.params[k]}`);
    // a customer who never came back may have left at once: alive below b / (a + b)
    const { a, b } = fit.params;
    const [never] = fit.pAlive({ frequency: [0], recency: [0], T: [38] });
    assert.ok(never > 0 && never < b / (a + b), `${never}`);
    assert.deepEqual([...new cw.clv.BetaGeoParams(fit.params).pAlive({ frequency: [0], recency: [0], T: [38] })], [1]);
    const again = cw.clv.FittedModifiedBetaGeo.fromJSON(JSON.stringify(fit));
    assert.deepEqual(again.params, fit.params);
    assert.deepEqual(again.stdErrors, fit.stdErrors);
    throwsCode(() => cw.clv.FittedBetaGeo.fromJSON(JSON.stringify(fit)), 'invalid_parameter');
    const gg = new cw.clv.GammaGammaParams({ p: 6.25, q: 3.74, v: 15.44 });
    const value = gg.clv(fit, { frequency: [2, 5], recency: [30, 35], T: [38, 38], monetaryValue: [20, 35] }, { freq: 'W' });
    assert.ok(value[0] > 0 && value[1] > value[0], `${[...value]}`);
    throwsCode(() => new cw.clv.ModifiedBetaGeo().fit({ frequency: [1], recency: [3], T: [2] }), 'out_of_range', /recency\[0\]/);
    throwsCode(() => new cw.clv.ModifiedBetaGeoParams({ r: 0.5, alpha: -1, a: 1, b: 1 }), 'out_of_range', /alpha/);
  });

  test(`[${name}] clv: BG/BB fits the donations to the paper's estimates, travels as JSON, names its columns`, () => {
    const v = JSON.parse(readFileSync(join(here, '..', 'vectors', 'clv', 'bg_bb_fit_donations.json'), 'utf8'));
    const donors = { frequency: v.input.frequency, recency: v.input.recency, nPeriods: v.input.n_periods, weights: v.input.weights };
    const fit = new cw.clv.BetaGeoBetaBinom().fit(donors);
    // Fader, Hardie & Shang (2010): 1.204, 0.750, 0.657, 2.783, LL -33,225.6
    assert.deepEqual(['alpha', 'beta', 'gamma', 'delta'].map((k) => fit.params[k].toFixed(3)), ['1.204', '0.750', '0.657', '2.783']);
    assert.equal(fit.logLikelihood.toFixed(1), '-33225.6');
    const [now, gone] = fit.pAlive({ frequency: [3, 3], recency: [6, 3], nPeriods: [6, 6] });
    assert.ok(Math.abs(now - 1) < 1e-15 && gone < 0.5, `${now} ${gone}`);
    const [later] = fit.pAlive({ frequency: [3], recency: [6], nPeriods: [6] }, 5);
    assert.ok(later < now);
    const probs = fit.probabilityOfPurchases([0, 1, 2, 3, 4, 5, 6], 6);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const again = cw.clv.FittedBetaGeoBetaBinom.fromJSON(fit.toJSON());
    assert.deepEqual(again.params, fit.params);
    throwsCode(() => fit.pAlive({ frequency: [1], recency: [1], nPeriods: [6.5] }), 'invalid_parameter', /nPeriods\[0\]/);
    throwsCode(() => fit.pAlive({ frequency: [3], recency: [2], nPeriods: [6] }), 'invalid_parameter', /frequency\[0\]/);
    throwsCode(() => fit.expectedPurchases(-1, donors), 'out_of_range', /mPeriods/);
    throwsCode(() => new cw.clv.BetaGeoBetaBinom().fit({ frequency: [1], recency: [1] }), 'invalid_parameter', /nPeriods/);
  });

  test(`[${name}] clv: a misspelt column is named, not left out`, () => {
    // A histories table or a transaction log with a key that is not one of its columns is an
    // error naming it; before, `monetaryvalue` left the log's values out of the RFM summary.
    throwsCode(() => new cw.clv.BetaGeo().fit({ frequency: [1], recency: [1], T: [2], weight: [1] }), 'invalid_parameter',
      'invalid data.weight: "weight" (unknown column; expected one of frequency, recency, T, weights)');
    throwsCode(() => new cw.clv.GammaGamma().fit({ frequency: [1], monetary_value: [5] }), 'invalid_parameter', /^invalid data\.monetary_value: .*unknown column/);
    const log = { customerId: ['a', 'a'], datetime: [0, 7 * 86400] };
    assert.deepEqual([...cw.clv.rfm({ ...log, monetaryValue: [1, 3] }).monetaryValue], [3]);
    throwsCode(() => cw.clv.rfm({ ...log, monetaryvalue: [1, 3] }), 'invalid_parameter',
      'invalid log.monetaryvalue: "monetaryvalue" (unknown column; expected one of customerId, datetime, monetaryValue)');
  });

  test(`[${name}] a wrong value deep in a settings document is named by its place, as JS wrote it`, () => {
    const { decide } = cw;
    const proposal = { kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 };
    throwsCode(() => decide.assessRisk({ ...proposal, ttlMs: 1.5 }), 'invalid_parameter', 'invalid proposal.ttlMs: "1.5" (invalid type: floating point `1.5`, expected i64)');
    throwsCode(() => decide.assessRisk({ ...proposal, reasons: ['ok', 3] }), 'invalid_parameter', /^invalid proposal\.reasons\[1\]: "3"/);
    // of two entries refused with the same words, the first (not the list around them)
    throwsCode(() => decide.assessRisk({ ...proposal, reasons: ['ok', 3, 3] }), 'invalid_parameter', /^invalid proposal\.reasons\[1\]: "3"/);
    throwsCode(() => decide.assessRisk({ ...proposal, kind: 'budgett' }), 'invalid_parameter', /^invalid proposal\.kind: "budgett" \(unknown variant/);
    throwsCode(() => decide.assessRisk({ ...proposal, from: null }), 'invalid_parameter', 'invalid proposal.from: "null" (expected a number (money), a status or a targeting or creative id)');
    throwsCode(() => decide.assessRisk({ ...proposal, impact: { value: 1 } }), 'invalid_parameter', 'invalid proposal.impact.metric: "undefined" (required, but missing)');
    // an id map's keys stay as given: the entity `search_brand` is not renamed `searchBrand`
    throwsCode(() => decide.capsBreach({}, { search_brand: { dailyBudget: 'x', active: true } }), 'invalid_parameter', /^invalid exposures\.search_brand\.dailyBudget: "x"/);
    // a large id map is searched by halving; the first bad entry in serde's (sorted) order, and a
    // later twin of it further down does not hide it
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`c${String(i).padStart(3, '0')}`, { dailyBudget: 10, active: true }]));
    many.c321 = { dailyBudget: 'x', active: true };
    many.c400 = { dailyBudget: 'x', active: true };
    throwsCode(() => decide.capsBreach({}, many), 'invalid_parameter', /^invalid exposures\.c321\.dailyBudget: "x"/);
    throwsCode(() => decide.capsBreach({ campaignDailyCap: { search: '100' } }, {}), 'invalid_parameter', /^invalid guardrails\.campaignDailyCap\.search: "100"/);
  });
}
