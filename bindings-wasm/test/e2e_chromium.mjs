// End-to-end test of the demo page in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). Serves bindings-wasm/ on 127.0.0.1, feeds the page the
// CSV of a shared vector, and checks the rendered numbers against the vector's expected values:
// the full-precision data-value of every cell, and the displayed text at its precision.
// Any request off 127.0.0.1 fails the test (everything must be local: no CDN). The forecast page
// (demo/forecast.html) gets an ETS vector's series and must show its model, mean and bounds. The
// media mix page (demo/mmm.html) fits its seeded example in a Web Worker and must show one
// finite row per channel with its intervals around it, the contribution stack and a banded
// response curve per channel; Cancel stops a long fit; bad uploads name the field. The budget
// page (demo/budget.html) allocates the media mix curves with a certificate, re-solves as the
// budget slider moves (the split spends each new budget), honours locks, bounds, the move limit
// and every scenario, solves S-curves to a proven bound, and shows the typed error of an
// infeasible setting; its numbers are checked against the same module in Node (the curves'
// values, moves between channels that must not gain, a brute-force grid).
//
//   node --test test/e2e_chromium.mjs        (CHROMIUM=/path/to/chrome to override)

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { serve } from '../demo/serve.mjs';
import { init as initWasm, optimize } from '../js/index.js';
import { exampleCsv, parseCsv, defaultRoles, buildData } from '../demo/mmm_data.js';

const vectors = new URL('../../tests/vectors/attribution/', import.meta.url);
const load = (f) => JSON.parse(readFileSync(new URL(f, vectors), 'utf8'));
// The committed screenshots (README) are rewritten only on request, so a test run leaves the tree
// clean: UPDATE_SCREENSHOT=1 bash bindings-wasm/test.sh rewrites all of them,
// UPDATE_SCREENSHOT=budget,mmm the named ones (screenshot, forecast, mmm, budget).
const updateShots = (process.env.UPDATE_SCREENSHOT ?? '').split(',').map((s) => s.trim());
const update = (name) => updateShots.includes('1') || updateShots.includes(name);
const screenshot = update('screenshot')
  ? fileURLToPath(new URL('../demo/screenshot.png', import.meta.url))
  : join(tmpdir(), `channelwise-demo-${process.pid}.png`);

/** The CSV of a vector's input table (RFC 4180 quoting). */
function csvOf(input) {
  const q = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = ['path,conversions,nulls,value'];
  input.path.forEach((p, i) => {
    lines.push([q(p), input.conversions[i], input.nulls?.[i] ?? 0, input.value?.[i] ?? 0].join(','));
  });
  return lines.join('\n') + '\n';
}

const { server, url } = await serve(0);
await initWasm(); // the same module in Node, to check the budget page's numbers (before any test runs)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
after(async () => {
  await browser.close();
  server.close();
});

const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
// The attribution runs with bootstrap intervals take ~25 s in single-threaded wasm on a loaded
// 2-core machine: wait up to 2 minutes rather than Playwright's 30 s default.
page.setDefaultTimeout(120_000);
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
const offsite = [];
await page.route('**/*', (route) => {
  const u = new URL(route.request().url());
  if (u.hostname === '127.0.0.1') return route.continue();
  offsite.push(u.href);
  return route.abort();
});

/** Reads every number cell of the results table: { model: { channel: { value, text } } }. */
async function readTable() {
  return page.$$eval('#results td[data-model]', (tds) => {
    const out = {};
    for (const td of tds) {
      (out[td.dataset.model] ??= {})[td.dataset.channel] = { value: Number(td.dataset.value), text: td.textContent };
    }
    return out;
  });
}

async function runWith(csv, order, ci = true) {
  await page.fill('#csv', csv);
  await page.setChecked('#ci', ci);
  await page.selectOption('#order', String(order));
  await page.click('#run');
  await page.waitForSelector('#results[data-state=done]');
  const status = await page.textContent('#status');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done', status);
  return readTable();
}

const shown = (x, digits) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function assertModel(table, model, channels, expected, tol, digits) {
  assert.ok(table[model], `no ${model} cells`);
  channels.forEach((ch, j) => {
    const got = table[model][ch];
    assert.ok(got, `${model}: no cell for ${ch}`);
    const want = expected[j];
    assert.ok(Math.abs(got.value - want) <= tol, `${model}[${ch}]: page ${got.value}, vector ${want}`);
    assert.equal(got.text, shown(want, digits), `${model}[${ch}] displayed`);
  });
}

test('page loads with the sample and no errors', async () => {
  await page.goto(url);
  await page.waitForSelector('#results[data-state=done]');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done');
  assert.ok((await page.$$('#chart svg rect[data-model]')).length > 0);
});

test('Markov order 1 on markov_synthetic8_o1_exact matches the vector', async () => {
  const v = load('markov_synthetic8_o1_exact.json');
  const t = await runWith(csvOf(v.input), 1, true);
  const tol = v.tolerance.abs + 1e-12;
  assertModel(t, 'markov', v.expected.channel, v.expected.conversions, tol, 2);
  assertModel(t, 'markov-removal-effect', v.expected.channel, v.expected.removal_effect, tol, 4);
  // whiskers drawn for Markov and Shapley bars: three lines (stem + caps) per bar
  const whiskers = await page.$$('#chart svg line.whisker');
  assert.ok(whiskers.length >= 3 * 2 * v.expected.channel.length, `${whiskers.length} whisker lines`);
  const bars = await page.$$eval('#chart rect[data-model=markov]', (rs) =>
    Object.fromEntries(rs.map((r) => [r.dataset.channel, Number(r.dataset.value)])));
  v.expected.channel.forEach((ch, j) => assert.ok(Math.abs(bars[ch] - v.expected.conversions[j]) <= tol, ch));
  await page.screenshot({ path: screenshot, fullPage: true });
});

test('changing the order to 2 matches markov_synthetic8_o2_exact', async () => {
  const v = load('markov_synthetic8_o2_exact.json');
  const t = await runWith(csvOf(v.input), 2, false);
  assertModel(t, 'markov', v.expected.channel, v.expected.conversions, v.tolerance.abs + 1e-12, 2);
});

test('heuristics and Shapley columns match their vectors', async () => {
  const h = load('heuristics_ca_data.json');
  const t = await runWith(csvOf(h.input), 1, false);
  const tol = h.tolerance.abs + 1e-12;
  for (const [model, key] of [['first-touch', 'first_touch_conversions'], ['last-touch', 'last_touch_conversions'],
    ['linear', 'linear_conversions'], ['u-shaped', 'u_shaped_conversions'], ['w-shaped', 'w_shaped_conversions']]) {
    if (h.expected[key]) assertModel(t, model, h.expected.channel, h.expected[key], tol, 2);
  }
  const s = load('shapley_subset_ca_data.json');
  const ts = await runWith(csvOf(s.input), 1, false);
  assertModel(ts, 'shapley', s.expected.channel, s.expected.conversions, s.tolerance.abs + 1e-12, 2);
});

test('a bad CSV shows the coded error', async () => {
  await page.fill('#csv', 'path,conversions\na>>b,1\n');
  await page.click('#run');
  await page.waitForSelector('#status[data-state=error]');
  assert.match(await page.textContent('#status'), /^invalid_record: invalid record at row 1, column path/);
});

// ---------------------------------------------------------------------------------------------
// The forecast page (demo/forecast.html): AutoETS fan chart and anomalies.

const forecastVectors = new URL('../../tests/vectors/forecast/', import.meta.url);
const loadForecast = (f) => JSON.parse(readFileSync(new URL(f, forecastVectors), 'utf8'));
const forecastShot = update('forecast')
  ? fileURLToPath(new URL('../demo/forecast.png', import.meta.url))
  : join(tmpdir(), `channelwise-forecast-${process.pid}.png`);

/** Feeds the forecast page a vector's series and options; returns its cells by column. */
async function forecastWith(v) {
  await page.fill('#series', v.input.y.join('\n') + '\n');
  await page.fill('#season', String(v.params.season_length));
  await page.fill('#horizon', String(v.params.h));
  await page.fill('#levels', v.params.levels.join(', '));
  await page.click('#run');
  await page.waitForSelector('#forecast[data-state=done]');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done', await page.textContent('#status'));
  return page.$$eval('#forecast td[data-col]', (tds) => {
    const out = {};
    for (const td of tds) (out[td.dataset.col] ??= [])[Number(td.dataset.step)] = { value: Number(td.dataset.value), text: td.textContent };
    return out;
  });
}

function assertColumn(cells, col, want, tol) {
  assert.ok(cells[col], `no ${col} cells`);
  assert.equal(cells[col].length, want.length, `${col}: ${cells[col].length} cells`);
  want.forEach((w, i) => {
    const g = cells[col][i];
    assert.ok(Math.abs(g.value - w) <= tol.abs + tol.rel * Math.abs(w), `${col}[${i}]: page ${g.value}, vector ${w}`);
    assert.equal(g.text, shown(g.value, 2), `${col}[${i}] displayed`);
  });
}

test('forecast page loads from the attribution page with its sample, no errors', async () => {
  await page.goto(url);
  await page.click('nav a[href="forecast.html"]');
  await page.waitForSelector('#forecast[data-state=done]');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done', await page.textContent('#status'));
  assert.match(await page.textContent('#model'), /^ETS\([AM],(N|A|Ad),[NAM]\)$/);
  assert.equal(await page.$$eval('#chart svg path.band', (ps) => ps.length), 2);
  assert.ok(await page.$('nav a[href="index.html"]'));
});

test('AutoETS on ets_auto_synthetic_trend_season: model, AICc, mean and 80/95 bounds match the vector', async () => {
  const v = loadForecast('ets_auto_synthetic_trend_season.json');
  const tol = { abs: v.tolerance.abs ?? 0, rel: v.tolerance.rel ?? 0 };
  const cells = await forecastWith(v);
  assert.equal(await page.getAttribute('#model', 'data-value'), v.expected.model);
  assert.equal(await page.textContent('#model'), v.expected.model);
  const aicc = Number(await page.getAttribute('#aicc', 'data-value'));
  assert.ok(Math.abs(aicc - v.expected.aicc) <= tol.abs + tol.rel * Math.abs(v.expected.aicc), `aicc ${aicc}`);
  assertColumn(cells, 'mean', v.expected.mean, tol);
  for (const lv of v.params.levels) {
    assertColumn(cells, `lo-${lv}`, v.expected[`lo_${lv}`], tol);
    assertColumn(cells, `hi-${lv}`, v.expected[`hi_${lv}`], tol);
  }
  // the chart draws one band per level, the mean line and the history
  const bands = await page.$$eval('#chart svg path.band', (ps) => ps.map((p) => Number(p.dataset.level)));
  assert.deepEqual(bands.sort((a, b) => a - b), [...v.params.levels].sort((a, b) => a - b));
  assert.ok(await page.$('#chart svg path.mean'));
  assert.ok(await page.$('#chart svg path.history'));
});

test('AutoETS on ets_auto_wineind: the model and mean match; anomalies are marked with reasons', async () => {
  const v = loadForecast('ets_auto_wineind.json');
  const tol = { abs: v.tolerance.abs ?? 0, rel: v.tolerance.rel ?? 0 };
  const cells = await forecastWith(v);
  assert.equal(await page.textContent('#model'), v.expected.model);
  assertColumn(cells, 'mean', v.expected.mean, tol);
  const rows = await page.$$eval('#anomalies tbody tr[data-method]', (trs) => trs.map((tr) => ({
    method: tr.dataset.method,
    index: Number(tr.dataset.index),
    value: Number(tr.querySelector('td[data-col=value]').dataset.value),
    reason: tr.querySelector('td.reason').textContent,
  })));
  assert.ok(rows.some((r) => r.method === 'forecast residual'), 'no forecast-residual alert listed');
  for (const r of rows) {
    assert.equal(r.value, v.input.y[r.index], `row ${r.index}: value is the observation`);
    assert.ok(r.reason.length > 20, `row ${r.index}: no reason`);
    const mark = r.method === 'forecast residual' ? 'circle.alert' : 'path.esd';
    assert.ok(await page.$(`#chart svg ${mark}[data-index="${r.index}"]`), `no ${mark} marker at ${r.index}`);
  }
  const residual = rows.filter((r) => r.method === 'forecast residual');
  assert.ok(residual.every((r) => /^observed .* the 95% interval/.test(r.reason)), residual[0]?.reason);
  await page.screenshot({ path: forecastShot, fullPage: true });
});

test('forecast page: a bad series shows the coded error', async () => {
  await page.fill('#series', '1\n2\n3\n');
  await page.fill('#season', '1');
  await page.click('#run');
  await page.waitForSelector('#status[data-state=error]');
  assert.match(await page.textContent('#status'), /^not_enough_data: /);
  await page.fill('#series', '1\n2\nabc\n4\n');
  await page.click('#run');
  await page.waitForSelector('#status[data-state=error]');
  assert.match(await page.textContent('#status'), /^invalid_record: line 3/);
});

test('a long ...Async call runs in a Web Worker: the page stays live, onProgress reports, abort cancels', async () => {
  await page.goto(new URL('forecast.html', url).href);
  const r = await page.evaluate(async () => {
    const cw = await import('/js/index.js');
    await cw.init();
    const n = 20000;
    const kinds = ['a>b', 'b>c', 'a>c>b', 'c', 'd>a'];
    const path = Array.from({ length: n }, (_, i) => kinds[i % 5] + (i % 7 ? '>e' : ''));
    const table = { path, conversions: path.map((_, i) => i % 3), nulls: path.map((_, i) => 1 + (i % 4)) };
    const opts = { order: 2, ci: { replicates: 300, seed: 1 } };
    // Progress, the page's own timers running meanwhile, and the same numbers as on this thread.
    const reports = [];
    let ticks = 0;
    const timer = setInterval(() => { ticks += 1; }, 5);
    const t0 = performance.now();
    const rows = await cw.attribution.markovAsync(table, { ...opts, onProgress: (p) => reports.push({ ...p }) });
    const ms = performance.now() - t0;
    clearInterval(timer);
    const same = JSON.stringify(rows) === JSON.stringify(cw.attribution.markov(table, opts));
    // Cancel: an abort at the first report rejects with `cancelled`, the worker stopped mid-way.
    const ac = new AbortController();
    let first = null;
    const onProgress = (p) => {
      first ??= { ...p };
      ac.abort();
    };
    let cancelled = null;
    try {
      await cw.attribution.markovAsync(table, { order: 2, ci: { replicates: 100000 }, signal: ac.signal, onProgress });
    } catch (e) {
      cancelled = { code: e.code, message: e.message, first };
    }
    // A fitted chain's sampled Shapley goes to the worker as its JSON document.
    const fitted = new cw.attribution.Markov({ order: 1 }).fit(table);
    const sh = await fitted.shapleyAsync({ method: 'sampled', permutations: 200, seed: 3, onProgress: () => {} });
    const shSame = JSON.stringify(sh) === JSON.stringify(fitted.shapley({ method: 'sampled', permutations: 200, seed: 3 }));
    // Many-series AutoETS: the spec is made again in the worker, the fitted models come back as
    // their JSON documents.
    const ys = Array.from({ length: 6 }, (_, s) => Array.from({ length: 32 }, (_, t) => 50 + s + 10 * Math.sin(t / 2) + ((t * 7) % 5)));
    const spec = new cw.forecast.AutoEts({ seasonLength: 4 });
    const manyReports = [];
    let workers = 0;
    const PageWorker = window.Worker;
    window.Worker = class extends PageWorker {
      constructor(...a) {
        super(...a);
        workers += 1;
      }
    };
    const many = await spec.fitManyAsync(ys, { onProgress: (p) => manyReports.push(p.done) });
    window.Worker = PageWorker;
    const manySame = many.every((f, i) => f instanceof cw.forecast.FittedEts && JSON.stringify(f) === JSON.stringify(spec.fit(ys[i])));
    let manyError = null;
    try {
      await spec.fitManyAsync([...ys, [1, 2]], { onProgress: () => {} });
    } catch (e) {
      manyError = { code: e.code, message: e.message };
    }
    return { reports, ticks, ms, same, cancelled, shSame, manySame, manyLast: manyReports.at(-1), manyError, workers };
  });
  assert.equal(r.workers, 1, 'fitManyAsync ran in a Web Worker');
  assert.ok(r.manySame, 'fitManyAsync in the worker equals fitting each series on the page');
  assert.equal(r.manyLast, 6);
  assert.equal(r.manyError?.code, 'not_enough_data', JSON.stringify(r.manyError));
  assert.match(r.manyError.message, /^series\[6\]: /);
  assert.ok(r.same, 'worker result equals the same-thread result');
  assert.ok(r.shSame, 'sampled Shapley in the worker equals the same-thread result');
  assert.ok(r.reports.length >= 2, `progress reports: ${JSON.stringify(r.reports)}`);
  assert.equal(r.reports.at(-1).done, 300);
  assert.ok(r.reports.every((p, i) => i === 0 || p.done > r.reports[i - 1].done), 'progress only goes up');
  assert.ok(r.ticks >= 1, `the page's timers ran ${r.ticks} times during a ${r.ms.toFixed(0)} ms call`);
  assert.equal(r.cancelled?.code, 'cancelled', JSON.stringify(r.cancelled));
  const stopped = /^markov cancelled after (\d+) of 100000 replicates$/.exec(r.cancelled.message);
  assert.ok(stopped, r.cancelled.message);
  assert.ok(r.cancelled.first.done < r.cancelled.first.total, `the report came mid-way: ${JSON.stringify(r.cancelled.first)}`);
  assert.ok(Number(stopped[1]) < 100000, `the worker stopped mid-way, at ${stopped[1]}`);
});

test('MMM.fitAsync runs in a Web Worker: the spec is made again there, the fit comes back as its JSON document', async () => {
  const r = await page.evaluate(async () => {
    const cw = await import('/js/index.js');
    await cw.init();
    const n = 80;
    const tv = Array.from({ length: n }, (_, t) => 100 * Math.sin(t * 0.7) ** 2);
    const search = Array.from({ length: n }, (_, t) => 20 + ((t * 7) % 11));
    const data = { target: tv.map((x, t) => 500 + (300 * x) / (80 + x) + 2 * search[t]), channels: { tv, search: Float64Array.from(search) } };
    const spec = new cw.optimize.MMM({ lMax: 4, uncertainty: 'bootstrap', replicates: 40, seed: 2 });
    const reports = [];
    let workers = 0;
    const PageWorker = window.Worker;
    window.Worker = new Proxy(PageWorker, { construct: (W, a) => (workers += 1, new W(...a)) });
    const fit = await spec.fitAsync(data, { onProgress: (p) => reports.push(p.done) });
    // cancelled once it has started: the worker is terminated
    const ac = new AbortController();
    const slow = new cw.optimize.MMM({ lMax: 4, uncertainty: 'bootstrap', replicates: 100000 });
    setTimeout(() => ac.abort(), 100);
    let cancelled = null;
    try {
      await slow.fitAsync(data, { signal: ac.signal });
    } catch (e) {
      cancelled = e.code;
    }
    window.Worker = PageWorker;
    return {
      workers,
      isFitted: fit instanceof cw.optimize.FittedMMM,
      same: JSON.stringify(fit) === JSON.stringify(spec.fit(data)),
      last: reports.at(-1),
      cancelled,
    };
  });
  assert.equal(r.workers, 2, 'both fits ran in a Web Worker');
  assert.ok(r.isFitted);
  assert.ok(r.same, 'the fit in the worker equals the fit on the page');
  assert.equal(r.last, 4 + 40);
  assert.equal(r.cancelled, 'cancelled');
});

// ---------------------------------------------------------------------------------------------
// The media mix page (demo/mmm.html): the seeded example, fitted with MMM.fitAsync.

const mmmShot = update('mmm')
  ? fileURLToPath(new URL('../demo/mmm.png', import.meta.url))
  : join(tmpdir(), `channelwise-mmm-${process.pid}.png`);

/** Clicks Fit and waits for the table to be drawn again (or the error / cancel line). */
async function mmmFit(until = '#summary[data-state=done]') {
  await page.$eval('#summary', (t) => { t.dataset.state = 'stale'; });
  await page.click('#run');
  await page.waitForSelector(until);
}

/** The channel rows: { channel: { col: { value, lo, hi } } } from data-value / data-lo / data-hi. */
async function mmmRows() {
  return page.$$eval('#summary tbody tr[data-channel]', (trs) => Object.fromEntries(trs.map((tr) => [
    tr.dataset.channel,
    Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, {
      value: Number(td.dataset.value),
      lo: td.dataset.lo === undefined ? null : Number(td.dataset.lo),
      hi: td.dataset.hi === undefined ? null : Number(td.dataset.hi),
    }])),
  ])));
}

test('media mix page loads from the forecast page, fits its example, no errors', async () => {
  await page.goto(new URL('forecast.html', url).href);
  await page.click('nav a[href="mmm.html"]');
  await page.waitForSelector('#summary[data-state=done]');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done', await page.textContent('#status'));
  assert.ok(await page.$('nav a[href="index.html"]'));
  assert.ok(await page.$('nav a[href="forecast.html"]'));
});

test('media mix: the example fitted in a Web Worker gives a finite row per channel inside its intervals, a stack and banded curves', async () => {
  await page.click('#example');
  // the default roles: first column the date, sales the outcome, promo a control, the rest channels
  const roles = await page.$$eval('#roles select', (ss) => Object.fromEntries(ss.map((s) => [s.dataset.column, s.value])));
  assert.deepEqual(roles, { date: 'date', tv: 'channel', search: 'channel', social: 'channel', promo: 'control', sales: 'outcome' });
  await page.selectOption('#adstock', 'geometric');
  await page.fill('#lmax', '8');
  await page.selectOption('#saturation', 'logistic');
  await page.fill('#seasonality', '2');
  await page.selectOption('#uncertainty', 'laplace');
  let workers = 0;
  page.on('worker', () => { workers += 1; });
  await mmmFit();
  assert.equal(workers, 1, 'the fit ran in a Web Worker');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'done', await page.textContent('#status'));
  assert.match(await page.textContent('#progress'), /^4 of 4 optimiser starts done$/);
  // the spend columns of the CSV on the page
  const lines = (await page.inputValue('#csv')).trim().split('\n');
  const header = lines[0].split(',');
  assert.equal(lines.length - 1, 104);
  const spend = (ch) => lines.slice(1).reduce((a, l) => a + Number(l.split(',')[header.indexOf(ch)]), 0);
  const rows = await mmmRows();
  const channels = ['tv', 'search', 'social'];
  assert.deepEqual(Object.keys(rows), channels);
  let share = 0;
  for (const ch of channels) {
    const r = rows[ch];
    assert.equal(r.spend.value, spend(ch), `${ch} spend`);
    assert.ok(Math.abs(r.avgSpend.value - spend(ch) / 104) < 1e-9, `${ch} average spend`);
    for (const col of ['contribution', 'share', 'roas', 'mroas']) {
      const { value, lo, hi } = r[col];
      assert.ok([value, lo, hi].every(Number.isFinite), `${ch} ${col}: ${value} [${lo}, ${hi}]`);
      assert.ok(lo <= value && value <= hi, `${ch} ${col}: ${value} outside [${lo}, ${hi}]`);
      assert.ok(lo < hi, `${ch} ${col}: an empty interval [${lo}, ${hi}]`);
    }
    assert.ok(r.contribution.value > 0 && r.roas.value > 0, `${ch}: no effect`);
    share += r.share.value;
  }
  assert.ok(Math.abs(share - 1) < 1e-9, `shares sum to ${share}`);
  // the intervals are shown as text beside each value
  assert.equal(await page.$$eval('#summary tbody td.ci', (tds) => tds.filter((td) => /^-?[\d,.]+%? – -?[\d,.]+%?$/.test(td.textContent)).length), 4 * channels.length);
  // diagnostics: finite, and the example (built by the model's own form) is fitted well
  const diag = {};
  for (const id of ['r2', 'nrmse', 'mape', 'rssd']) diag[id] = Number(await page.getAttribute(`#${id}`, 'data-value'));
  assert.ok(Object.values(diag).every(Number.isFinite), JSON.stringify(diag));
  assert.ok(diag.r2 > 0.9 && diag.r2 <= 1, `R² ${diag.r2}`);
  assert.ok(diag.nrmse > 0 && diag.nrmse < 0.1 && diag.mape < 0.05, JSON.stringify(diag));
  assert.equal(await page.textContent('#r2'), shown(diag.r2, 3));
  // the contribution stack: the baseline and one layer per channel, the fit and 104 actuals
  const layers = await page.$$eval('#stack svg path.layer', (ps) => ps.map((p) => p.dataset.channel));
  assert.deepEqual(layers, ['baseline', ...channels]);
  assert.ok(await page.$('#stack svg path.fitted'));
  assert.equal((await page.$$('#stack svg circle.actual')).length, 104);
  // the response curves: per channel a shaded band with area, its curve, the average spend marked
  const bands = await page.$$eval('#curves svg path.band', (ps) => ps.map((p) => {
    const b = p.getBBox();
    return { channel: p.dataset.channel, points: Number(p.dataset.points), w: b.width, h: b.height, fill: p.getAttribute('fill'), segments: (p.getAttribute('d').match(/L/g) ?? []).length };
  }));
  assert.deepEqual(bands.map((b) => b.channel), channels);
  for (const b of bands) {
    assert.ok(b.w > 100 && b.h > 20, `${b.channel}: band bbox ${b.w} x ${b.h}`);
    assert.equal(b.segments, 2 * b.points - 1, `${b.channel}: the band goes along both edges`);
    assert.notEqual(b.fill, 'none');
  }
  assert.equal((await page.$$('#curves svg path.curve')).length, channels.length);
  const avg = await page.$$eval('#curves svg line.avg-spend', (ls) => ls.map((l) => Number(l.dataset.value)));
  assert.deepEqual(avg, channels.map((ch) => rows[ch].avgSpend.value));
  await page.screenshot({ path: mmmShot, fullPage: true });
});

test('media mix: Cancel aborts a long fit at once and keeps the previous results', async () => {
  await page.selectOption('#uncertainty', 'bootstrap');
  await page.fill('#replicates', '100000');
  await page.$eval('#summary', (t) => { t.dataset.state = 'stale'; });
  await page.click('#run');
  await page.waitForFunction(() => Number(document.getElementById('progress').dataset.done) > 4);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'running');
  assert.ok(await page.isDisabled('#run'));
  await page.click('#cancel');
  await page.waitForSelector('#status[data-state=cancelled]');
  const stopped = /^Cancelled \((media mix model )?fit cancelled after (\d+) of 100004 starts and replicates\)/.exec(await page.textContent('#status'));
  assert.ok(stopped, await page.textContent('#status'));
  assert.ok(Number(stopped[2]) < 100004, `the fit stopped mid-way, at ${stopped[2]}`);
  assert.ok(await page.isEnabled('#run'));
  assert.ok(await page.isDisabled('#cancel'));
  assert.equal((await page.$$('#summary tbody tr[data-channel]')).length, 3);
  await page.selectOption('#uncertainty', 'laplace');
});

test('media mix: a bad upload or paste shows the error naming the field, never a blank page', async () => {
  await page.selectOption('#uncertainty', 'laplace');
  const good = (await page.inputValue('#csv')).trim().split('\n');
  const edit = (line, col, value) => good.map((l, i) => {
    if (i !== line) return l;
    const f = l.split(',');
    f[good[0].split(',').indexOf(col)] = value;
    return f.join(',');
  }).join('\n') + '\n';
  const expectError = async (pattern) => {
    await page.waitForSelector('#status[data-state=error]');
    const text = await page.textContent('#status');
    assert.match(text, pattern);
    assert.equal(await page.getAttribute('#summary', 'data-state'), 'error');
    assert.equal((await page.$$('#summary tbody tr')).length, 0, 'stale results cleared');
    assert.ok(await page.isVisible('h1'));
  };
  // an upload with a word among the numbers: the binding names data.channels.tv[2], the page the CSV cell
  await page.setInputFiles('#file', { name: 'weekly.csv', mimeType: 'text/csv', buffer: Buffer.from(edit(3, 'tv', 'lots')) });
  await expectError(/^invalid_parameter: invalid data\.channels\.tv\[2\]: "lots" \(expected a number\) \(CSV line 4, column "tv"\)$/);
  await page.fill('#csv', edit(5, 'social', 'NaN'));
  await mmmFit('#status[data-state=error]');
  await expectError(/^non_finite: data\.channels\.social\[4\] must be finite, got NaN \(CSV line 6, column "social"\)$/);
  await page.fill('#csv', edit(2, 'search', '-250'));
  await mmmFit('#status[data-state=error]');
  await expectError(/^out_of_range: data\.channels\.search\[1\] must be in \[0, inf\], got -250 \(CSV line 3, column "search"\)$/);
  await page.fill('#csv', edit(9, 'sales', ''));
  await mmmFit('#status[data-state=error]');
  await expectError(/^non_finite: data\.target\[8\] must be finite, got NaN \(CSV line 10, column "sales"\)$/);
  await page.fill('#csv', good.join('\n').replace(/\n(2023-01-15),[^\n]*/, '\n$1,5,6'));
  await mmmFit('#status[data-state=error]');
  await expectError(/^invalid_record: line 4: 3 fields, the header has 6 \(date, tv, search, social, promo, sales\)$/);
  await page.fill('#csv', 'just one column\n1\n');
  await mmmFit('#status[data-state=error]');
  await expectError(/^invalid_record: line 1: the header has 1 column/);
  // the page recovers: the example fits again
  await page.click('#example');
  await mmmFit();
  assert.equal((await page.$$('#summary tbody tr[data-channel]')).length, 3);
});

// ---------------------------------------------------------------------------------------------
// The budget page (demo/budget.html): optimize.allocate over the media mix example's curves and
// over stated S-curves, re-solved on every change. Its numbers are checked with the same module
// in Node: each response is the curve's value at the spend, moving spend between two channels
// never gains, and on S-curves no point of a brute-force grid beats the page's split.

const budgetShot = update('budget')
  ? fileURLToPath(new URL('../demo/budget.png', import.meta.url))
  : join(tmpdir(), `channelwise-budget-${process.pid}.png`);

/** Everything the budget page shows, at full precision (data-value and friends). */
async function budgetState() {
  return page.evaluate(() => {
    const alloc = document.getElementById('alloc');
    const cells = (sel, num = (td) => Number(td.dataset.value)) => Object.fromEntries([...document.querySelectorAll(sel)]
      .map((td) => [td.dataset.col ?? td.dataset.key, num(td)]));
    const rows = Object.fromEntries([...alloc.querySelectorAll('tbody tr[data-channel]')].map((tr) => [tr.dataset.channel,
      cells(`#alloc tbody tr[data-channel="${tr.dataset.channel}"] td[data-col]`, (td) => (td.dataset.col === 'bound' ? td.dataset.value : Number(td.dataset.value)))]));
    const verdict = document.getElementById('verdict');
    return {
      state: alloc.dataset.state,
      budget: Number(alloc.dataset.budget),
      solves: Number(alloc.dataset.solves),
      ms: Number(alloc.dataset.ms),
      status: document.getElementById('status').textContent,
      rows,
      total: cells('#alloc tfoot td[data-col]'),
      cert: cells('#certificate td[data-key]', (td) => (td.dataset.key === 'method' ? td.dataset.value : Number(td.dataset.value))),
      ok: verdict.dataset.ok,
      verdict: verdict.textContent,
      optima: Object.fromEntries([...document.querySelectorAll('#curves circle.optimum')].map((c) => [c.dataset.channel, Number(c.dataset.spend)])),
      curves: Object.fromEntries([...document.querySelectorAll('#constraints tbody tr[data-channel]')].map((tr) => [tr.dataset.channel, {
        curve: JSON.parse(tr.querySelector('td.curve').title),
        current: Number(tr.querySelector('td[data-col=current]').dataset.value),
      }])),
    };
  });
}

/** Runs `act` (an edit of the page's controls) and waits until the page has solved it. */
async function budgetAfter(act) {
  const before = Number(await page.getAttribute('#alloc', 'data-solves'));
  await act();
  await page.waitForFunction((n) => {
    const a = document.getElementById('alloc');
    return Number(a.dataset.solves) > n && !a.dataset.pending;
  }, before);
  return budgetState();
}

const setBudget = (v) => budgetAfter(() => page.$eval('#budget', (b, x) => {
  b.value = String(x);
  b.dispatchEvent(new Event('input', { bubbles: true }));
}, v));
const setField = (sel, v) => budgetAfter(() => page.fill(sel, String(v)));
const bound = (ch, which) => `#constraints input[data-channel="${ch}"][data-bound="${which}"]`;

/** A fresh budget page (no setting left over from an earlier test). */
async function openBudget() {
  await page.goto(new URL('budget.html', url).href);
  await page.waitForSelector('#alloc[data-state=done]');
}

const rel = (a, b) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** The checks every solved split must pass: it spends the budget, and the certificate holds. */
function assertSplit(s, { budget = s.budget, spendAll = true } = {}) {
  assert.equal(s.state, 'done', s.status);
  const rows = Object.values(s.rows);
  const spent = rows.reduce((a, r) => a + r.spend, 0);
  if (spendAll) assert.ok(rel(spent, budget) <= 1e-9, `spends ${spent}, budget ${budget}`);
  assert.ok(rel(s.total.spend, spent) <= 1e-12, 'total spend');
  assert.ok(rel(s.total.response, rows.reduce((a, r) => a + r.response, 0)) <= 1e-12, 'total response');
  for (const [ch, r] of Object.entries(s.rows)) {
    const want = new optimize.Saturation(s.curves[ch].curve).value(r.spend)[0];
    assert.ok(rel(r.response, want) <= 1e-9, `${ch}: response ${r.response}, the curve gives ${want}`);
    assert.equal(s.optima[ch], r.spend, `${ch}: the optimum marked on its curve`);
  }
  assert.equal(s.ok, 'true', s.verdict);
  if (s.cert.method === 'water-filling') {
    assert.ok(s.cert.kktResidual <= 1e-9 && s.cert.dualityGap <= 1e-9, JSON.stringify(s.cert));
    for (const [ch, r] of Object.entries(s.rows)) {
      if (r.bound === 'interior') assert.ok(rel(r.marginal, s.cert.multiplier) <= 1e-9, `${ch}: marginal ${r.marginal} vs ${s.cert.multiplier}`);
    }
  } else {
    assert.equal(s.cert.method, 'branch and bound on concave envelopes');
    assert.ok(s.cert.suboptimality <= 1e-6, JSON.stringify(s.cert));
    assert.ok(s.cert.upperBound >= s.total.response * (1 - 1e-12), 'the bound is above the split');
  }
}

/** Moving `step` of spend from one channel to another, both free to move, must not gain. */
function assertNoGainingMove(s, step) {
  const names = Object.keys(s.rows);
  const f = (ch, x) => new optimize.Saturation(s.curves[ch].curve).value(x)[0];
  for (const a of names) {
    for (const b of names) {
      const ra = s.rows[a];
      const rb = s.rows[b];
      if (a === b || ra.spend < step || ra.bound !== 'interior' || rb.bound !== 'interior') continue;
      const gain = f(a, ra.spend - step) + f(b, rb.spend + step) - ra.response - rb.response;
      assert.ok(gain <= 1e-9 * s.total.response, `moving ${step} from ${a} to ${b} gains ${gain}`);
    }
  }
}

test('budget page loads from the attribution page and allocates the media mix curves with a certificate', async () => {
  await page.goto(url);
  await page.click('nav a[href="budget.html"]');
  await page.waitForSelector('#alloc[data-state=done]');
  for (const href of ['index.html', 'forecast.html', 'mmm.html']) assert.ok(await page.$(`nav a[href="${href}"]`), href);
  const s = await budgetState();
  assert.deepEqual(Object.keys(s.rows), ['tv', 'search', 'social']);
  // the curves are the media mix example's steady-state curves, as Node fits them
  const table = parseCsv(exampleCsv());
  const fit = new optimize.MMM({ adstock: 'geometric', lMax: 8, saturation: 'logistic', yearlySeasonality: 2, uncertainty: 'none', seed: 0 })
    .fit(buildData(table, defaultRoles(table)).data);
  const chans = fit.budgetChannels();
  for (const c of chans) {
    const got = s.curves[c.name];
    assert.equal(got.curve.kind, 'logistic');
    for (const k of ['lam', 'beta']) assert.ok(rel(got.curve[k], c.curve[k]) <= 1e-6, `${c.name}.${k}: ${got.curve[k]} vs ${c.curve[k]}`);
    assert.ok(rel(got.current, c.current) <= 1e-12, `${c.name} today`);
  }
  // the default budget: today's total to the slider's step, spent in full, exactly
  const today = chans.reduce((a, c) => a + c.current, 0);
  const step = Number(await page.getAttribute('#budget', 'step'));
  assert.equal(s.budget, Math.round(today / step) * step);
  assertSplit(s);
  assert.equal(s.cert.method, 'water-filling');
  assert.equal(s.cert.nodes, 1);
  assert.deepEqual(Object.values(s.rows).map((r) => r.bound), ['interior', 'interior', 'interior']);
  assertNoGainingMove(s, 1e-3 * s.budget);
  // the page asked what Node asks
  const direct = optimize.allocate(Object.entries(s.curves).map(([name, c]) => ({ name, curve: c.curve, current: c.current })), { budget: s.budget, tolerance: 1e-6, spendAll: true });
  direct.rows.forEach((r) => assert.ok(rel(s.rows[r.channel].spend, r.spend) <= 1e-9, r.channel));
  assert.match(s.status, /^Solved in \d+\.\d\d ms \(optimize\.allocate; median/);
  assert.ok(Number.isFinite(s.ms) && s.ms >= 0);
  assert.match(s.verdict, /^optimal: KKT residual and duality gap ≤ 1e-9$/);
  assert.equal((await page.$$('#curves svg path.curve')).length, 3);
  assert.equal((await page.$$('#curves svg g.panel line.tangent')).length, 3);
});

test('budget: the slider re-solves live, and each split spends the new budget', async (t) => {
  const step = Number(await page.getAttribute('#budget', 'step'));
  const times = [];
  await page.focus('#budget');
  let want = Number(await page.inputValue('#budget'));
  for (let k = 0; k < 12; k += 1) {
    const s = await budgetAfter(() => page.keyboard.press(k < 8 ? 'ArrowRight' : 'ArrowLeft'));
    want += k < 8 ? step : -step;
    assert.equal(s.budget, want, 'the solve is of the slider\'s new value');
    assert.equal(await page.textContent('#budget-value'), `${shown(want, 0)} / week`);
    assertSplit(s);
    times.push(s.ms);
  }
  // big moves: a fraction of today's spend, and the slider's end
  for (const v of [2000, 6000, 25000, Number(await page.getAttribute('#budget', 'max'))]) {
    const s = await setBudget(v);
    assert.equal(s.budget, v);
    assertSplit(s);
    assertNoGainingMove(s, 1e-3 * v);
    times.push(s.ms);
  }
  // a burst of moves: the last one is on the page
  await page.focus('#budget');
  for (let k = 0; k < 20; k += 1) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((v) => Number(document.getElementById('alloc').dataset.budget) === v, Number(await page.inputValue('#budget')));
  const last = await budgetState();
  assertSplit(last);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  t.diagnostic(`optimize.allocate per slider move (3 concave channels, Chromium): median ${median.toFixed(2)} ms, max ${sorted.at(-1).toFixed(2)} ms over ${times.length} solves`);
  assert.ok(median < 50, `median solve ${median} ms`);
});

test('budget: locks, bounds, the move limit and every scenario', async () => {
  await openBudget();
  await setBudget(14000);
  // a lock keeps today's spend
  let s = await budgetAfter(() => page.check(bound('tv', 'locked')));
  assertSplit(s);
  assert.equal(s.rows.tv.spend, s.curves.tv.current);
  assert.equal(s.rows.tv.bound, 'locked');
  s = await budgetAfter(() => page.uncheck(bound('tv', 'locked')));
  // a max below the unbounded optimum binds
  const free = s.rows.search.spend;
  s = await setField(bound('search', 'upper'), Math.round(free / 2));
  assertSplit(s);
  assert.equal(s.rows.search.spend, Math.round(free / 2));
  assert.equal(s.rows.search.bound, 'upper');
  assert.match(await page.textContent('#alloc tr[data-channel=search] td[data-col=bound]'), /^its max \(/);
  s = await setField(bound('search', 'upper'), '');
  // a min above it too
  s = await setField(bound('social', 'lower'), 4000);
  assertSplit(s);
  assert.equal(s.rows.social.spend, 4000);
  assert.equal(s.rows.social.bound, 'lower');
  s = await setField(bound('social', 'lower'), '');
  // at most 30% away from today's spend, with a budget 30% above today's total: the limit binds
  await setBudget(16000);
  s = await setField('#maxChange', 30);
  assertSplit(s);
  for (const [ch, r] of Object.entries(s.rows)) {
    const c = s.curves[ch].current;
    assert.ok(Math.abs(r.spend - c) <= 0.3 * c * (1 + 1e-12), `${ch}: ${r.spend} vs today ${c}`);
  }
  assert.ok(Object.values(s.rows).some((r) => r.bound === 'maxChangeUp'), JSON.stringify(s.rows));
  const windows = await page.$$eval('#curves svg g.panel rect.window', (rs) => rs.map((r) => [Number(r.dataset.lo), Number(r.dataset.hi)]));
  assert.deepEqual(windows, Object.values(s.curves).map((c) => [c.current * (1 - 0.3), c.current * (1 + 0.3)]));
  await page.screenshot({ path: budgetShot, fullPage: true });
  s = await setField('#maxChange', '');
  // target ROAS: the most spend (up to the budget) whose split returns the target
  await setBudget(20000);
  s = await budgetAfter(() => page.selectOption('#scenario', 'targetRoas'));
  assert.ok(await page.isDisabled('#spendAll'));
  s = await setField('#target', 2.8);
  assertSplit(s, { spendAll: false });
  assert.ok(rel(s.total.response / s.total.spend, 2.8) <= 1e-9, `ROAS ${s.total.response / s.total.spend}`);
  assert.ok(s.total.spend < 20000);
  // the least spend for today's response (the default target): less than today's spend
  s = await budgetAfter(() => page.selectOption('#scenario', 'minSpendForResponse'));
  const target = Number(await page.inputValue('#target'));
  assertSplit(s, { spendAll: false });
  assert.ok(rel(s.total.response, target) <= 1e-9, `response ${s.total.response} vs ${target}`);
  const cheaper = optimize.allocate(Object.entries(s.curves).map(([name, c]) => ({ name, curve: c.curve })), { budget: s.total.spend * (1 - 1e-6) });
  assert.ok(cheaper.totalResponse < target, 'a smaller budget does not reach the target');
  // spend until the next $1 returns 1.5
  s = await budgetAfter(() => page.selectOption('#scenario', 'targetMarginalRoas'));
  s = await setField('#target', 1.5);
  assertSplit(s, { spendAll: false });
  for (const r of Object.values(s.rows)) assert.ok(rel(r.marginal, 1.5) <= 1e-9, `marginal ${r.marginal}`);
  s = await budgetAfter(() => page.selectOption('#scenario', 'maxResponse'));
  assertSplit(s);
});

test('budget: infeasible settings show the typed error, never a broken page, and it recovers', async () => {
  await openBudget();
  const s0 = await setBudget(12000);
  assertSplit(s0);
  const expectError = async (s, pattern) => {
    assert.equal(s.state, 'error');
    assert.equal(await page.getAttribute('#status', 'data-state'), 'error');
    assert.match(s.status, pattern);
    assert.deepEqual(s.rows, {}, 'stale rows cleared');
    assert.deepEqual(s.cert, {}, 'stale certificate cleared');
    assert.equal((await page.$$('#curves svg path.curve')).length, 3, 'the curves stay');
    assert.equal((await page.$$('#curves svg circle.optimum')).length, 0, 'no optimum marked');
    assert.ok(await page.isVisible('h1'));
  };
  // minimums above the budget
  let s = await setField(bound('tv', 'lower'), 30000);
  await expectError(s, /^invalid_parameter: invalid options\.budget: "12000" \(the channels' least spend .*sums to 30000, 18000 more than the budget\) \(the budget slider\)$/);
  // moving the slider keeps the error until the bounds fit
  s = await setBudget(30000);
  assertSplit(s);
  assert.equal(s.rows.tv.spend, 30000);
  s = await setBudget(12000);
  assert.equal(s.state, 'error');
  s = await setField(bound('tv', 'lower'), '');
  assertSplit(s);
  // min above max: the channel and the field are named
  await page.fill(bound('search', 'upper'), '3000');
  s = await setField(bound('search', 'lower'), 5000);
  await expectError(s, /^invalid_parameter: invalid channels\[1\]\.lower: "5000" \(above the upper bound 3000\) \(search: its Min\)$/);
  await page.fill(bound('search', 'upper'), '');
  s = await setField(bound('search', 'lower'), '');
  assertSplit(s);
  // a negative max
  s = await setField(bound('social', 'upper'), -1);
  await expectError(s, /^out_of_range: channels\[2\]\.upper must be in \[0, inf\], got -1 \(social: its Max\)$/);
  s = await setField(bound('social', 'upper'), '');
  // no move allowed, but a budget other than today's total
  s = await setField('#maxChange', 0);
  await expectError(s, /^invalid_parameter: invalid options\.budget: "12000" \(the channels' (most|least) spend/);
  s = await setField('#maxChange', '');
  // an unreachable target ROAS
  await budgetAfter(() => page.selectOption('#scenario', 'targetRoas'));
  s = await setField('#target', 50);
  await expectError(s, /^invalid_parameter: invalid options\.scenario\.value: "50" \(unreachable: the best ROAS is .*\) \(the target\)$/);
  s = await budgetAfter(() => page.selectOption('#scenario', 'maxResponse'));
  assertSplit(s);
});

test('budget: S-curves are solved by branch and bound to a proven bound, and no grid point beats them', async (t) => {
  await openBudget();
  let s = await budgetAfter(() => page.selectOption('#source', 'hill'));
  assert.deepEqual(Object.keys(s.rows), ['tv', 'search', 'social', 'display']);
  assert.equal(s.budget, 20000);
  assertSplit(s);
  assert.equal(s.cert.method, 'branch and bound on concave envelopes');
  assert.match(s.verdict, /^optimal to within .* \(tolerance 1e-6\), proved by \d+ nodes?$/);
  // brute force on a 200-step grid: no split of the budget on it gives more
  const check = (st) => {
    const names = Object.keys(st.rows);
    const B = st.budget;
    const h = 200;
    const n = Math.round(B / h);
    const grid = Array.from({ length: n + 1 }, (_, k) => k * h);
    const v = names.map((ch) => new optimize.Saturation(st.curves[ch].curve).value(grid));
    let best = -Infinity;
    for (let a = 0; a <= n; a += 1) {
      for (let b = 0; a + b <= n; b += 1) {
        for (let c = 0; a + b + c <= n; c += 1) best = Math.max(best, v[0][a] + v[1][b] + v[2][c] + v[3][n - a - b - c]);
      }
    }
    assert.ok(best <= st.total.response * (1 + 1e-9), `the grid finds ${best} > ${st.total.response}`);
    assert.ok(best >= st.total.response * 0.99, `the grid's best ${best} is far below ${st.total.response}`);
  };
  check(s);
  // a small budget goes to one channel: S-curves are not worth starting with little money
  s = await setBudget(4000);
  assertSplit(s);
  check(s);
  assert.ok(Object.values(s.rows).filter((r) => r.spend === 0).length >= 2, JSON.stringify(s.rows));
  s = await setBudget(10000);
  assertSplit(s);
  check(s);
  const times = [];
  for (let v = 2000; v <= 60000; v += 2000) times.push((await setBudget(v)).ms);
  times.sort((a, b) => a - b);
  t.diagnostic(`optimize.allocate per slider move (4 Hill channels, 3 S-shaped, branch and bound, Chromium): median ${times[15].toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms over ${times.length} budgets 2,000-60,000`);
  s = await budgetAfter(() => page.selectOption('#source', 'mmm'));
  assertSplit(s);
});

// A slim package (CW_SLIM_PKG: build.sh --modules attribution, so without model travel) in a page
// of its own whose pkg/ .wasm is the slim one: a long call on plain data still runs in a Web
// Worker; one on a fitted model, which would cross as its JSON document, runs in the page.
test('a slim package without model travel: plain long calls in a worker, a fitted model\'s in the page', async (t) => {
  const slim = process.env.CW_SLIM_PKG;
  if (!slim) {
    t.skip('CW_SLIM_PKG not set (test.sh sets it)');
    return;
  }
  const wasm = readFileSync(join(slim, 'channelwise_wasm_bg.wasm'));
  const slimPage = await browser.newPage();
  slimPage.on('pageerror', (e) => problems.push(`slim page error: ${e.message}`));
  await slimPage.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== '127.0.0.1') {
      offsite.push(u.href);
      return route.abort();
    }
    if (u.pathname === '/pkg/channelwise_wasm_bg.wasm') return route.fulfill({ body: wasm, contentType: 'application/wasm' });
    return route.continue();
  });
  // counts the Web Workers the page starts
  await slimPage.addInitScript(() => {
    const Base = window.Worker;
    window.workersStarted = 0;
    window.Worker = function Counted(...a) {
      window.workersStarted += 1;
      return new Base(...a);
    };
  });
  await slimPage.goto(new URL('forecast.html', url).href);
  const r = await slimPage.evaluate(async () => {
    const cw = await import('/js/index.js');
    await cw.init();
    const table = { path: ['a>b', 'b>c', 'a>c>b', 'c', 'd>a'], conversions: [3, 1, 2, 4, 1], nulls: [5, 6, 2, 3, 8] };
    const opts = { ci: { replicates: 50, seed: 2 } };
    const rows = await cw.attribution.markovAsync(table, { ...opts, onProgress: () => {} });
    const plainWorkers = window.workersStarted;
    const fitted = new cw.attribution.Markov().fit(table);
    const sampled = { method: 'sampled', permutations: 100, seed: 5 };
    const sh = await fitted.shapleyAsync({ ...sampled, onProgress: () => {} });
    let travel = null;
    try {
      fitted.toJSON();
    } catch (e) {
      travel = { code: e.code, message: e.message };
    }
    let forecast = null;
    try {
      cw.forecast.metrics.mae([1], [1]);
    } catch (e) {
      forecast = e.code;
    }
    return {
      plainWorkers,
      fittedWorkers: window.workersStarted - plainWorkers,
      same: JSON.stringify(rows) === JSON.stringify(cw.attribution.markov(table, opts)),
      shSame: JSON.stringify(sh) === JSON.stringify(fitted.shapley(sampled)),
      travel,
      forecast,
    };
  });
  await slimPage.close();
  assert.equal(r.forecast, 'invalid_parameter', 'the slim .wasm was served');
  assert.equal(r.plainWorkers, 1, 'markovAsync ran in a Web Worker');
  assert.ok(r.same, 'the worker result equals the same-thread result');
  assert.equal(r.fittedWorkers, 0, 'a fitted chain cannot cross as JSON: shapleyAsync ran in the page');
  assert.ok(r.shSame, 'in-page sampled Shapley equals the sync call');
  assert.equal(r.travel?.code, 'invalid_parameter', JSON.stringify(r.travel));
  assert.match(r.travel.message, /module.*json.*built without it/);
});

test('everything was local and nothing logged an error', () => {
  assert.deepEqual(offsite, []);
  assert.deepEqual(problems, []);
  assert.ok(statSync(screenshot).size > 0);
  assert.ok(statSync(forecastShot).size > 0);
  assert.ok(statSync(mmmShot).size > 0);
  assert.ok(statSync(budgetShot).size > 0);
});
