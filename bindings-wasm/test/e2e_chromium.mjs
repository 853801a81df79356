// End-to-end test of the demo page in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). Serves bindings-wasm/ on 127.0.0.1, feeds the page the
// CSV of a shared vector, and checks the rendered numbers against the vector's expected values:
// the full-precision data-value of every cell, and the displayed text at its precision.
// Any request off 127.0.0.1 fails the test (everything must be local: no CDN).
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

test('everything was local and nothing logged an error', () => {
  assert.deepEqual(offsite, []);
  assert.deepEqual(problems, []);
  assert.ok(statSync(screenshot).size > 0);
});
