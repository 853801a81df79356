// leads.* shared by the Node binding and the WebAssembly build: funnels, cohort tables, rule-based
// scores, lifecycle stages and journey health over event columns with string ids (the numbers
// against brute force are the shared vectors' job: tests/vectors/leads/), ids and event names
// interned and given back, the README example, and bad input named by its field.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// A predictive lead score fitted in Python: FittedLogisticScore.to_json() and what Python predicts
// for some rows (written by bindings-python/tests/test_leads_predictive.py).
const PYTHON_SCORE = JSON.parse(readFileSync(new URL('./fixtures/leads_predictive_python.json', import.meta.url), 'utf8'));
// One fitted in JS for Python to read (fixtures/make_leads_predictive_js.mjs): JS must still write it.
const JS_SCORE = JSON.parse(readFileSync(new URL('./fixtures/leads_predictive_js.json', import.meta.url), 'utf8'));

const DAY = 86400;

/**
 * Registers the tests.
 * @param {{ leads: object }} api the binding
 * @param {string} name `'node'` or `'wasm'`, for test titles
 */
export function runLeads({ leads }, name) {
  const coded = (fn, code, pattern) => assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });

  // January 2026: ann and bob visit and sign up, ann buys in February; February: cy and dee visit,
  // dee buys in March.
  const jan5 = Date.UTC(2026, 0, 5) / 1000;
  const events = {
    lead: ['ann', 'ann', 'ann', 'bob', 'bob', 'cy', 'dee', 'dee'],
    timestamp: [jan5, jan5 + 300, jan5 + 36 * DAY, jan5 + 15 * DAY, jan5 + 15 * DAY + 1800, jan5 + 28 * DAY, jan5 + 29 * DAY, jan5 + 57 * DAY],
    event: ['visit', 'signup', 'purchase', 'visit', 'signup', 'visit', 'visit', 'purchase'],
    value: [0, 0, 120, 0, 0, 0, 0, 80],
  };

  test(`[${name}] the README example: funnel, cohorts, scores`, () => {
    // START: leads_js
    // events: one row per event; lead ids may be strings or numbers, timestamps unix seconds
    const funnel = leads.funnel(events, { steps: ['visit', 'signup', 'purchase'], windowSeconds: 60 * DAY });
    funnel.steps.map((s) => `${s.step} ${s.count}`); // ['visit 4', 'signup 2', 'purchase 1']

    const cohorts = leads.cohorts(events, { period: 'month', conversionEvent: 'purchase', revenueEvent: 'purchase' });
    cohorts.map((c) => [c.cohort, c.size, Array.from(c.retentionOn)]); // [['2026-01', 2, [1, 0.5, 0]], ['2026-02', 2, [1, 0.5]]]

    const scores = leads.score(events, {
      attributeRules: [{ name: 'vp', dimension: 'demographic', attribute: 'title',
        condition: { op: 'one_of', values: ['VP', 'CMO'] }, points: 15 }],
      eventRules: [{ name: 'visits', dimension: 'engagement', eventType: 'visit', points: 5 },
        { name: 'buys', dimension: 'intent', eventType: 'purchase', points: 20 }],
      grades: { thresholds: [10, 20, 30, 40] },
    }, jan5 + 60 * DAY, { lead: ['ann', 'bob', 'eve'], title: ['VP', 'analyst', 'CMO'] });
    scores.map((s) => `${s.lead} ${s.total} ${s.grade}`); // ['ann 40 A+', 'bob 5 D', 'eve 15 C', 'cy 5 D', 'dee 25 B']
    // END: leads_js
    assert.deepEqual(funnel.steps.map((s) => s.count), [4, 2, 1]);
    assert.deepEqual(funnel.leads, ['ann', 'bob', 'cy', 'dee']);
    assert.deepEqual(funnel.furthestStep, [3, 2, 1, 1]); // dee bought without signing up
    assert.deepEqual(funnel.steps.map((s) => s.conversionRate), [1, 0.5, 0.25]);
    assert.equal(funnel.steps[0].medianSecondsFromPrevious, null);
    assert.equal(funnel.steps[1].medianSecondsFromPrevious, (300 + 1800) / 2);
    assert.deepEqual(cohorts.map((c) => [c.cohort, c.size, Array.from(c.retentionOn)]), [['2026-01', 2, [1, 0.5, 0]], ['2026-02', 2, [1, 0.5]]]);
    assert.deepEqual(cohorts.map((c) => Array.from(c.conversion)), [[0, 0.5, 0.5], [0, 0.5]]);
    assert.deepEqual(cohorts.map((c) => Array.from(c.revenue)), [[0, 120, 0], [0, 80]]);
    assert.ok(cohorts[0].retentionOn instanceof Float64Array);
    assert.equal(cohorts[0].periodStart, Date.UTC(2026, 0, 1) / 1000);
    assert.deepEqual(scores.map((s) => `${s.lead} ${s.total} ${s.grade}`), ['ann 40 A+', 'bob 5 D', 'eve 15 C', 'cy 5 D', 'dee 25 B']);
    assert.deepEqual(scores[0].rules, { vp: 15, visits: 5, buys: 20 });
    assert.equal(scores[0].intent, 20);
    assert.equal(scores[2].lastActivity, null); // eve: attributes only
    assert.equal(scores[0].lastActivity, jan5 + 36 * DAY);
  });

  test(`[${name}] lead attributes may come as rows, as CRM records do: the same scores as columns`, () => {
    const config = {
      attributeRules: [
        { name: 'vp', dimension: 'demographic', attribute: 'title', condition: { op: 'one_of', values: ['VP', 'CMO'] }, points: 15 },
        { name: 'big', dimension: 'firmographic', attribute: 'employees', condition: { op: 'at_least', value: 100 }, points: 10 },
      ],
      eventRules: [{ name: 'visits', dimension: 'engagement', eventType: 'visit', points: 5 }],
    };
    const asOf = jan5 + 60 * DAY;
    // any key is an attribute; a record without one has it missing (bob has no title, eve no size)
    const records = [{ lead: 'ann', title: 'VP', employees: 500 }, { lead: 'bob', employees: 50 }, { lead: 'eve', title: 'CMO', employees: null }];
    const columns = { lead: ['ann', 'bob', 'eve'], title: ['VP', null, 'CMO'], employees: [500, 50, null] };
    const fromRows = leads.score(events, config, asOf, records);
    assert.deepEqual(fromRows, leads.score(events, config, asOf, columns));
    // hand-derived: ann VP + 500 staff + a visit; bob a visit; eve CMO; cy and dee a visit each
    assert.deepEqual(fromRows.map((s) => [s.lead, s.fit, s.total]), [['ann', 25, 30], ['bob', 0, 5], ['eve', 15, 15], ['cy', 0, 5], ['dee', 0, 5]]);
    // a bad record is named by row, and so is a bad cell or a missing lead id
    coded(() => leads.score(events, config, asOf, [records[0], 'bob']), 'invalid_parameter', /^invalid attributes\[1\]: "bob" \(expected a row: an object\)/);
    coded(() => leads.score(events, config, asOf, [records[0], { employees: 3 }]), 'invalid_parameter', /^invalid attributes\[1\]\.lead: "undefined"/);
    coded(() => leads.score(events, config, asOf, [records[0], { lead: 'bob', employees: [3] }]), 'invalid_parameter', /^invalid attributes\[1\]\.employees: /);
    return leads.scoreAsync(events, config, asOf, records).then((s) => assert.deepEqual(s, fromRows));
  });

  test(`[${name}] numeric ids, a vocabulary and the full lead list; weeks`, () => {
    const e = { lead: Float64Array.from([7, 7, 3]), timestamp: [0, 8 * DAY, 0], event: ['visit', 'visit', 'visit'], leads: [3, 7, 11], eventTypes: ['visit', 'signup'] };
    const f = leads.funnel(e, { steps: ['visit', 'signup'] });
    assert.deepEqual(f.leads, [3, 7, 11]);
    assert.deepEqual(f.furthestStep, [1, 1, 0]);
    const w = leads.cohorts(e, { period: 'week' });
    assert.deepEqual(w.map((c) => c.cohort), ['1969-12-29']); // the ISO week of 1970-01-01 starts on Monday
    assert.deepEqual(w[0].active, [2, 1]);
  });

  test(`[${name}] lifecycle: stages, transitions with reasons, time in stage; a forbidden move`, () => {
    const log = {
      lead: ['a', 'a', 'b', 'a', 'b'],
      timestamp: [0, 3600, 100, 7200, 5000],
      stage: ['new', 'contacted', 'qualified', 'customer', 'opportunity'],
      reason: [null, 'call', '', 'signed', null],
    };
    const l = leads.lifecycle(log, { asOf: 10000 });
    assert.deepEqual(l.leads, ['a', 'b']);
    assert.deepEqual(l.current, ['customer', 'opportunity']);
    assert.deepEqual(l.transitions.map((t) => [t.lead, t.from, t.to, t.reason]), [
      ['a', null, 'new', null], ['a', 'new', 'contacted', 'call'], ['b', null, 'qualified', null],
      ['a', 'contacted', 'customer', 'signed'], ['b', 'qualified', 'opportunity', null]]);
    assert.deepEqual(Array.from(l.timeInStage.contacted), [3600, 0]);
    assert.deepEqual(Array.from(l.timeInStage.opportunity), [0, 5000]);
    assert.equal(l.asOf, 10000);
    const q = l.summary.find((s) => s.stage === 'qualified');
    assert.deepEqual([q.entered, q.exited, q.current, q.medianSeconds], [1, 1, 0, 4900]);
    assert.equal(l.summary.find((s) => s.stage === 'engaged').medianSeconds, null);
    assert.equal(leads.lifecycle(log).asOf, 7200); // default: the latest transition
    coded(() => leads.lifecycle({ lead: ['a', 'a'], timestamp: [0, 1], stage: ['qualified', 'new'] }), 'invalid_record', /row 1, column log\.stage: "qualified -> new"/);
    const custom = leads.lifecycle({ lead: [1, 1, 1], timestamp: [0, 5, 9], stage: ['open', 'lost', 'open'] },
      { stages: ['open', 'won', 'lost'], transitions: [['open', 'won'], ['open', 'lost'], ['lost', 'open']] });
    assert.deepEqual(custom.current, ['open']);
    assert.equal(custom.summary[0].entered, 2);
    coded(() => leads.lifecycle({ lead: ['a'], timestamp: [0], stage: ['new'] }, { stages: ['new', 'new'] }), 'invalid_parameter', /options\.stages\[1\]/);
    coded(() => leads.lifecycle({ lead: ['a'], timestamp: [0], stage: ['new'] }, { transitions: [['new']] }), 'length_mismatch', /options\.transitions\[0\]/);
    coded(() => leads.lifecycle({ lead: ['a'], timestamp: [0], stage: ['new'], stages: ['new'] }), 'invalid_parameter', /^invalid log\.stages: "stages" \(unknown column; expected one of lead, timestamp, stage, reason, leads\)/);
  });

  test(`[${name}] health: rising beats fading; P(alive) by id`, () => {
    const lead = [];
    const timestamp = [];
    for (let w = 0; w < 8; w++) {
      for (let k = 0; k <= w; k++) { lead.push('up'); timestamp.push(w * 7 * DAY + 1); }
      for (let k = 0; k < 8 - w; k++) { lead.push('down'); timestamp.push(w * 7 * DAY + 1); }
    }
    lead.push('gone');
    timestamp.push(0);
    const e = { lead, timestamp, event: lead.map(() => 'visit') };
    const h = leads.health(e, 8 * 7 * DAY);
    const by = Object.fromEntries(h.map((r) => [r.lead, r]));
    assert.equal(by.up.trend, 'increasing');
    assert.equal(by.down.trend, 'decreasing');
    assert.ok(by.up.score > by.down.score);
    assert.equal(by.up.slope, 1);
    assert.deepEqual(Array.from(by.down.activity), [8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(by.gone.churnSource, 'recency');
    const p = leads.health(e, 8 * 7 * DAY, { pAlive: { gone: 0.95 } });
    const gone = p.find((r) => r.lead === 'gone');
    assert.equal(gone.churnSource, 'p_alive');
    assert.ok(Math.abs(gone.churnRisk - 0.05) < 1e-12);
    assert.equal(p.find((r) => r.lead === 'up').churnSource, 'recency');
    coded(() => leads.health(e, 0, { pAlive: { nobody: 0.5 } }), 'invalid_parameter', /options\.pAlive\.nobody/);
    coded(() => leads.health(e, 0, { periods: 2 }), 'invalid_parameter', /options\.periods/);
    coded(() => leads.health(e, 0, { pAlive: [1.5, 0, 0] }), 'out_of_range', /pAlive\[0\]/);
    coded(() => leads.health(e, 0, { recencyHalfLifeDays: -1 }), 'invalid_parameter', /options\.recencyHalfLifeDays/);
  });

  test(`[${name}] bad input is typed and names its field`, () => {
    coded(() => leads.funnel(events, { steps: ['visit', 'signup'], windowSecond: 5 }), 'invalid_parameter', /funnel\.windowSecond/);
    coded(() => leads.funnel(events, { steps: ['visit', 'signup'], windowSeconds: 0 }), 'invalid_parameter', /funnel\.windowSeconds/);
    coded(() => leads.funnel(events, { steps: ['visit', 'signup'], order: 'sideways' }), 'invalid_parameter', /funnel\.order.*'strict'/);
    coded(() => leads.funnel(events, { steps: ['visit', 'refund'] }), 'invalid_parameter', /refund/);
    coded(() => leads.funnel(events, { steps: ['visit', 'signup'], exclusions: [{ eventType: 'purchase', fromStep: 0 }] }), 'invalid_parameter', /funnel\.exclusions\[0\]\.toStep/);
    coded(() => leads.funnel({ ...events, timestamp: events.timestamp.slice(1) }, { steps: ['visit', 'signup'] }), 'length_mismatch', /events\.timestamp/);
    coded(() => leads.funnel({ ...events, vaule: events.timestamp }, { steps: ['visit', 'signup'] }), 'invalid_parameter', /^invalid events\.vaule: "vaule" \(unknown column; expected one of lead, timestamp, event, value, leads, eventTypes\)/);
    coded(() => leads.funnel({ ...events, lead: [...events.lead.slice(1), { id: 1 }] }, { steps: ['visit', 'signup'] }), 'invalid_parameter', /events\.lead\[7\]/);
    coded(() => leads.funnel({ ...events, eventTypes: ['visit', 'signup'] }, { steps: ['visit', 'signup'] }), 'invalid_record', /row 2, column events\.event: "purchase"/);
    coded(() => leads.funnel({ ...events, leads: ['ann', 'bob'] }, { steps: ['visit', 'signup'] }), 'invalid_record', /row 5, column events\.lead: "cy"/);
    coded(() => leads.funnel({ ...events, value: [0, 0, NaN, 0, 0, 0, 0, 0] }, { steps: ['visit', 'signup'] }), 'invalid_record', /events\.value/);
    coded(() => leads.funnel({ ...events, colour: [] }, { steps: ['visit', 'signup'] }), 'invalid_parameter', /events\.colour/);
    coded(() => leads.cohorts(events, { period: 'fortnight' }), 'invalid_parameter', /options\.period/);
    coded(() => leads.cohorts(events, { conversionEvent: 'refund' }), 'invalid_parameter', /refund/);
    coded(() => leads.score(events, { grades: { thresholds: [30, 20, 40, 50] } }, 0), 'invalid_parameter', /config\.grades\.thresholds/);
    coded(() => leads.score(events, { eventRules: [{ name: 'r', dimension: 'intent', eventType: 'webinar', points: 1 }] }, 0), 'invalid_parameter', /config\.eventRules\[0\]\.eventType/);
    coded(() => leads.score(events, { evntRules: [] }, 0), 'invalid_parameter', /config.*evntRules/);
    coded(() => leads.score(events, { eventRules: [{ name: 'r', dimension: 'intent', eventType: 'visit', points: 'many' }] }, 0), 'invalid_parameter', /^invalid config\.eventRules\[0\]\.points: "many"/);
    // a NaN in a settings document is named where it is (read as JSON's null, it was reported
    // as "null", a value never written)
    coded(() => leads.score(events, { eventRules: [{ name: 'r', dimension: 'intent', eventType: 'visit', points: NaN }] }, 0), 'non_finite', /^config\.eventRules\[0\]\.points must be finite, got NaN$/);
    coded(() => leads.score(events, {}, 'yesterday'), 'invalid_parameter', /asOf/);
    coded(() => leads.score(events, {}, 0, { lead: ['ann'], size: [1, 2] }), 'length_mismatch', /attributes\.size/);
    coded(() => leads.score(events, {}, 0, { lead: ['ann', 'ann'] }), 'invalid_record', /attributes\.lead/);
    coded(() => leads.score(events, { dailyCaps: { webinar: 5 } }, 0), 'invalid_parameter', /config\.dailyCaps/);
  });

  test(`[${name}] the README example: a predictive lead score`, () => {
    // START: leads_predictive_js
    // lead features as columns (or rows with featureNames); converted: 0 or 1
    const x = { pages: [1, 2, 3, 5, 0, 4, 6, 2, 7, 1, 3, 8], demo: [0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1] };
    const converted = [0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1];
    const model = new leads.LogisticScore({ c: 1, calibration: 'platt' }).fit(x, converted);
    model.coef; // { pages: ..., demo: ... } log-odds per unit
    const p = model.predictProba(x); // Float64Array of calibrated P(conversion)
    const { auc, brier, reliability } = model.evaluate(x, converted);
    const why = model.contributions(x); // why.base + sum of why.values[i] = the logit of lead i
    const saved = JSON.stringify(model.toJSON()); // Python's cw.leads.FittedLogisticScore.from_json reads it
    // END: leads_predictive_js
    assert.ok(model.coef.demo > 0 && model.coef.pages > 0);
    assert.ok(p instanceof Float64Array && p.every((v) => v >= 0 && v <= 1));
    assert.ok(auc > 0.8 && brier < 0.25 && reliability.reduce((a, b) => a + b.count, 0) === converted.length);
    const logit = model.decisionFunction(x);
    why.values.forEach((r, i) => assert.ok(Math.abs(r.reduce((a, b) => a + b, why.base) - logit[i]) < 1e-12));
    assert.deepEqual(Array.from(leads.FittedLogisticScore.fromJSON(saved).predictProba(x)), Array.from(p));
    // rows with featureNames, and a flat Float64Array with nFeatures, fit the same model
    const rows = x.pages.map((v, i) => [v, x.demo[i]]);
    const byRows = new leads.LogisticScore({ c: 1, calibration: 'platt' }).fit(rows, converted, { featureNames: ['pages', 'demo'] });
    assert.deepEqual(byRows.coef, model.coef);
    assert.deepEqual(Array.from(byRows.predictProba(Float64Array.from(rows.flat()))), Array.from(p));
    // a columns object is read by name, in any key order
    assert.deepEqual(Array.from(model.predictProba({ demo: x.demo, pages: x.pages })), Array.from(p));
    const m = leads.metrics(converted, p, { nBins: 4, strategy: 'quantile' });
    assert.equal(m.auc, auc);
  });

  test(`[${name}] a score fitted in Python predicts the same in JS`, () => {
    const fx = PYTHON_SCORE;
    const model = leads.FittedLogisticScore.fromJSON(fx.document);
    assert.deepEqual(model.featureNames, fx.feature_names);
    assert.deepEqual(Array.from(model.predictProba(fx.x)), fx.expected.proba);
    assert.deepEqual(Array.from(model.decisionFunction(fx.x)), fx.expected.logit);
    const why = model.contributions(fx.x);
    assert.equal(why.base, fx.expected.base);
    assert.deepEqual(why.values.map((r) => Array.from(r)), fx.expected.contributions);
    // and JS writes back the document Python wrote (spec aside: a loaded model has none)
    const back = model.toJSON();
    assert.deepEqual(back.fitted, fx.document.fitted);
    assert.equal(back.model, fx.document.model);
    // the document JS wrote for Python is still what JS writes
    const n = JS_SCORE.x.pages.length;
    const y = Array.from({ length: n }, (_, i) => (0.4 * JS_SCORE.x.pages[i] + 2 * JS_SCORE.x.demo[i] - 0.5 * JS_SCORE.x.daysIdle[i] + ((i * 3) % 7) / 2 > 2.5 ? 1 : 0));
    const js = new leads.LogisticScore({ penalty: 'elasticnet', l1Ratio: 0.3, c: 2, calibration: 'isotonic' }).fit(JS_SCORE.x, y);
    // (to rounding: the WASM build's matrix products round differently from the native ones)
    const near = (a, b, path) => {
      if (typeof b === 'number') return assert.ok(Math.abs(a - b) <= 1e-12 * (1 + Math.abs(b)), `${path}: ${a} vs ${b}`);
      if (b === null || typeof b !== 'object') return assert.equal(a, b, path);
      assert.deepEqual(Object.keys(a), Object.keys(b), path);
      for (const k of Object.keys(b)) near(a[k], b[k], `${path}.${k}`);
    };
    near(JSON.parse(JSON.stringify(js.toJSON())), JS_SCORE.document, 'document');
    const refit = new leads.LogisticScore({ c: 0.5, calibration: 'platt', classWeight: 'balanced' });
    assert.deepEqual(refit.fit([[1, 0], [2, 1], [0, 0], [3, 1]], [0, 1, 0, 1], { featureNames: ['a', 'b'] }).toJSON().spec,
      { penalty: 'l2', C: 0.5, l1_ratio: null, class_weight: 'balanced', calibration: 'platt', max_iter: 200 });
  });

  test(`[${name}] predictive lead score: bad input is typed and named`, () => {
    const x = { a: [1, 2, 3, 4], b: [0, 1, 0, 1] };
    const y = [0, 1, 0, 1];
    coded(() => new leads.LogisticScore({ c: 0 }).fit(x, y), 'out_of_range', /options\.c\b/);
    coded(() => new leads.LogisticScore({ penalty: 'elasticnet', l1Ratio: 2 }).fit(x, y), 'out_of_range', /options\.l1Ratio/);
    coded(() => new leads.LogisticScore({ penalty: 'elasticnet' }), 'invalid_parameter', /options\.l1Ratio/);
    coded(() => new leads.LogisticScore({ penalty: 'l3' }), 'invalid_parameter', /options\.penalty/);
    coded(() => new leads.LogisticScore({ calibration: 'beta' }), 'invalid_parameter', /options\.calibration/);
    coded(() => new leads.LogisticScore({ classWeight: 'heavy' }), 'invalid_parameter', /options\.classWeight/);
    coded(() => new leads.LogisticScore({ C: 1 }), 'invalid_parameter', /options\.C/);
    coded(() => new leads.LogisticScore().fit(x, [0, 1, 2, 1]), 'invalid_parameter', /y\[2\]/);
    coded(() => new leads.LogisticScore().fit({ a: [1, NaN, 3, 4] }, y), 'non_finite', /x\[1\]\[0\]/);
    coded(() => new leads.LogisticScore().fit({ a: [1, 2, 3], b: [0, 1, 0, 1] }, y), 'length_mismatch', /x\.b/);
    coded(() => new leads.LogisticScore().fit([[1, 2], [3, 4]], [0, 1], { featureNames: ['a', 'a'] }), 'invalid_parameter', /options\.featureNames\[1\]/);
    coded(() => new leads.LogisticScore().fit([[1, 2], [3, 4]], [0, 1], { featureNames: ['a'] }), 'length_mismatch', /options\.featureNames/);
    coded(() => new leads.LogisticScore().fit(x, y, { featureNames: ['a', 'b'], colour: 1 }), 'invalid_parameter', /options\.colour/);
    coded(() => new leads.LogisticScore({ calibration: 'platt' }).fit(x, y, { calibration: { x: [[1]], y: [1] } }), 'length_mismatch', /options\.calibration\.x/);
    coded(() => new leads.LogisticScore({ calibration: 'platt' }).fit(x, y, { calibration: { x, y, weights: y } }), 'invalid_parameter', /^invalid options\.calibration\.weights: .*unknown column; expected one of x, y/);
    const fit = new leads.LogisticScore().fit(x, y);
    coded(() => fit.predictProba({ a: [1] }), 'invalid_parameter', /model's feature/);
    coded(() => fit.evaluate(x, [0, 0, 0, 0]), 'not_enough_data', /\by\b/);
    coded(() => fit.evaluate(x, y, { nBins: 0 }), 'out_of_range', /options\.nBins/);
    coded(() => leads.FittedLogisticScore.fromJSON({ model: 'channelwise.clv.BetaGeo', fitted: {} }), 'invalid_parameter', /json/);
    coded(() => leads.FittedLogisticScore.fromJSON('{"model": "channelwise.leads.LogisticScore", "fitted": {"coef": 1}}'), 'invalid_parameter', /json/);
    coded(() => new leads.FittedLogisticScore(), 'invalid_parameter', /FittedLogisticScore/);
  });

  if (typeof leads.funnelAsync === 'function') {
    test(`[${name}] funnelAsync gives what funnel gives`, async () => {
      const f = await leads.funnelAsync(events, { steps: ['visit', 'signup'] });
      assert.deepEqual(f, leads.funnel(events, { steps: ['visit', 'signup'] }));
      await assert.rejects(leads.scoreAsync(events, { grades: { thresholds: [3, 2, 1, 0] } }, 0), (e) => e.code === 'invalid_parameter');
    });
  }
}
