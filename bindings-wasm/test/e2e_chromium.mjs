// End-to-end test of the demo page in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). Serves bindings-wasm/ on 127.0.0.1, feeds the page the
// CSV of a shared vector, and checks the rendered numbers against the vector's expected values:
// the full-precision data-value of every cell, and the displayed text at its precision.
// Any request off 127.0.0.1 fails the test (everything must be local: no CDN). The forecast page
// (demo/forecast.html) gets an ETS vector's series and must show its model, mean and bounds. The
// media mix page (demo/mmm.html) fits its seeded example in a Web Worker and must show one
// finite row per channel with its intervals around it, the contribution stack and a banded
// response curve per channel; Cancel stops a long fit; bad uploads name the field.
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

const vectors = new URL('../../tests/vectors/attribution/', import.meta.url);
const load = (f) => JSON.parse(readFileSync(new URL(f, vectors), 'utf8'));
// The committed screenshot (README) is rewritten only on request, so a test run leaves the tree
// clean: UPDATE_SCREENSHOT=1 bash bindings-wasm/test.sh
const screenshot = process.env.UPDATE_SCREENSHOT === '1'
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
const forecastShot = process.env.UPDATE_SCREENSHOT === '1'
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
    // Cancel: an abort after 150 ms rejects with `cancelled` at once, long before the work ends.
    const ac = new AbortController();
    const c0 = performance.now();
    setTimeout(() => ac.abort(), 150);
    let cancelled = null;
    try {
      await cw.attribution.markovAsync(table, { order: 2, ci: { replicates: 100000 }, signal: ac.signal });
    } catch (e) {
      cancelled = { code: e.code, message: e.message, ms: performance.now() - c0 };
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
  assert.ok(r.ticks >= 3, `the page's timers ran ${r.ticks} times during a ${r.ms.toFixed(0)} ms call`);
  assert.equal(r.cancelled?.code, 'cancelled', JSON.stringify(r.cancelled));
  assert.match(r.cancelled.message, /^markov cancelled after \d+ of 100000 replicates$/);
  assert.ok(r.cancelled.ms < 5000, `cancelled after ${r.cancelled.ms} ms`);
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

const mmmShot = process.env.UPDATE_SCREENSHOT === '1'
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
  const t0 = Date.now();
  await page.click('#cancel');
  await page.waitForSelector('#status[data-state=cancelled]');
  assert.ok(Date.now() - t0 < 5000, `cancelled after ${Date.now() - t0} ms`);
  assert.match(await page.textContent('#status'), /^Cancelled \((media mix model )?fit cancelled after \d+ of 100004 starts and replicates\)/);
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

test('everything was local and nothing logged an error', () => {
  assert.deepEqual(offsite, []);
  assert.deepEqual(problems, []);
  assert.ok(statSync(screenshot).size > 0);
  assert.ok(statSync(forecastShot).size > 0);
  assert.ok(statSync(mmmShot).size > 0);
});
