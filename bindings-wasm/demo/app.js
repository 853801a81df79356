// The demo page: parse a path CSV with the core's reader, run heuristics, Markov and Shapley,
// draw a grouped bar chart (inline SVG) with bootstrap whiskers and a table of the numbers.
// Every number cell carries data-value with the full-precision result (the e2e test reads it).

import { init, attribution } from '../js/index.js';
import { $, fmt, setStatus, errorText, el, niceStep, onUpload, boot } from './common.js';

const SAMPLE = `path,conversions,nulls,value
search > display > search,42,118,4620
search,55,240,5390
display > social > search,18,96,2010
email,31,60,2480
social > email,12,88,1130
display,6,210,640
search > email > direct,24,31,2890
direct,20,44,2300
social,4,150,380
display > search > email,15,70,1720
`;

// Models in the chart, in bar order; colours from the Okabe-Ito palette (colour-blind safe).
const MODELS = [
  { key: 'firstTouch', label: 'First touch', color: '#56B4E9' },
  { key: 'lastTouch', label: 'Last touch', color: '#009E73' },
  { key: 'linear', label: 'Linear', color: '#E69F00' },
  { key: 'markov', label: 'Markov', color: '#0072B2', ci: true },
  { key: 'shapley', label: 'Shapley', color: '#D55E00', ci: true },
];

/** Runs the three model families; returns one record per channel. */
function compute() {
  const sep = $('sep').value || '>';
  const table = attribution.parsePathCsv($('csv').value, { sep, delimiter: $('delimiter').value });
  const order = Number($('order').value);
  const ci = $('ci').checked ? { replicates: Number($('replicates').value), level: 0.95, seed: 0 } : null;
  const t0 = performance.now();
  const heur = attribution.heuristics(table, { sep });
  const fitted = new attribution.Markov({ order }).fit(table, { sep });
  const markovRows = attribution.markov(table, { sep, order, ci });
  const markov = { conversionProbability: fitted.conversionProbability, nStates: fitted.nStates, credit: markovRows };
  const shap = attribution.shapley(table, { sep, ci });
  const ms = performance.now() - t0;
  const channels = heur.map((h, i) => ({
    channel: h.channel,
    heuristics: h,
    markov: markov.credit[i],
    shapley: shap[i],
  }));
  return { table, channels, markov, ms, order, ci };
}

/** Credit of `model` for one channel record, for the metric `m` ("conversions" | "value"). */
function credit(rec, model, m) {
  const M = m === 'value' ? 'Value' : 'Conversions';
  if (model === 'markov' || model === 'shapley') {
    const r = rec[model];
    return { x: r[m], lo: r[`${m}Lo`], hi: r[`${m}Hi`] };
  }
  return { x: rec.heuristics[`${model}${M}`] };
}

function drawChart(res, metric) {
  const W = 1040, H = 380, left = 64, right = 12, top = 40, bottom = 56;
  const n = res.channels.length;
  let max = 0;
  for (const rec of res.channels) {
    for (const m of MODELS) {
      const c = credit(rec, m.key, metric);
      max = Math.max(max, c.x, c.hi ?? 0);
    }
  }
  if (!(max > 0)) max = 1;
  const step = niceStep(max, 5);
  const ymax = Math.ceil(max / step) * step;
  const y = (v) => top + (H - top - bottom) * (1 - v / ymax);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  el('title', {}, svg, `Credited ${metric} per channel and model`);
  for (let v = 0; v <= ymax + step / 2; v += step) {
    el('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }, svg);
    el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, svg, fmt(v, step < 1 ? 2 : 0));
  }
  el('text', { x: 14, y: (top + H - bottom) / 2, transform: `rotate(-90 14 ${(top + H - bottom) / 2})`,
    'text-anchor': 'middle', class: 'label' }, svg, `credited ${metric}`);
  el('line', { class: 'axis', x1: left, x2: W - right, y1: y(0), y2: y(0) }, svg);
  // legend
  let lx = left;
  for (const m of MODELS) {
    el('rect', { x: lx, y: 12, width: 12, height: 12, rx: 2, fill: m.color }, svg);
    el('text', { x: lx + 17, y: 22, class: 'label' }, svg, m.label);
    lx += 26 + m.label.length * 7.2;
  }
  if (res.ci) {
    el('line', { class: 'whisker', x1: lx + 6, x2: lx + 6, y1: 11, y2: 25 }, svg);
    el('text', { x: lx + 14, y: 22, class: 'label' }, svg, `${Math.round(res.ci.level * 100)}% bootstrap interval`);
  }
  const groupW = (W - left - right) / Math.max(n, 1);
  const barW = Math.min(22, (groupW * 0.8) / MODELS.length);
  res.channels.forEach((rec, i) => {
    const gx = left + i * groupW + (groupW - barW * MODELS.length) / 2;
    MODELS.forEach((m, j) => {
      const c = credit(rec, m.key, metric);
      const x = gx + j * barW;
      const bar = el('rect', {
        x: x + 1, y: y(Math.max(c.x, 0)), width: barW - 2, height: Math.max(0, y(0) - y(Math.max(c.x, 0))),
        fill: m.color, 'data-model': m.key, 'data-channel': rec.channel, 'data-value': String(c.x),
      }, svg);
      const range = c.lo === undefined ? '' : ` [${fmt(c.lo)}, ${fmt(c.hi)}]`;
      el('title', {}, bar, `${rec.channel}, ${m.label}: ${fmt(c.x)}${range}`);
      if (c.lo !== undefined) {
        const cx = x + barW / 2;
        el('line', { class: 'whisker', x1: cx, x2: cx, y1: y(c.hi), y2: y(c.lo) }, svg);
        el('line', { class: 'whisker', x1: cx - 3, x2: cx + 3, y1: y(c.hi), y2: y(c.hi) }, svg);
        el('line', { class: 'whisker', x1: cx - 3, x2: cx + 3, y1: y(c.lo), y2: y(c.lo) }, svg);
      }
    });
    el('text', { x: left + (i + 0.5) * groupW, y: H - bottom + 18, 'text-anchor': 'middle', class: 'label' },
      svg, rec.channel);
  });
  el('text', { x: W - right, y: H - 10, 'text-anchor': 'end' }, svg,
    `Markov order ${res.order}, P(conversion) = ${fmt(res.markov.conversionProbability, 4)}, ${res.markov.nStates} states`);
  $('chart').replaceChildren(svg);
}

function cell(tr, x, model, channel, digits = 2) {
  const td = document.createElement('td');
  td.textContent = fmt(x, digits);
  td.dataset.model = model;
  td.dataset.channel = channel;
  td.dataset.value = String(x);
  tr.appendChild(td);
}

function ciCell(tr, r, m) {
  const td = document.createElement('td');
  td.className = 'ci';
  td.textContent = r[`${m}Lo`] === undefined ? '' : `${fmt(r[`${m}Lo`])} – ${fmt(r[`${m}Hi`])}`;
  tr.appendChild(td);
}

function drawTable(res, metric) {
  const M = metric === 'value' ? 'Value' : 'Conversions';
  const cols = [
    ['First touch', '#56B4E9'], ['Last touch', '#009E73'], ['Linear', '#E69F00'], ['U-shaped', null],
    ['W-shaped', null], ['Markov removal effect', null], ['Markov', '#0072B2'], ['Markov interval', null],
    ['Shapley', '#D55E00'], ['Shapley interval', null],
  ];
  const head = document.createElement('tr');
  head.innerHTML = `<th>Channel (${metric})</th>` + cols.map(([c, color]) =>
    `<th>${color ? `<span class="swatch" style="background:${color}"></span>` : ''}${c}</th>`).join('');
  $('results').tHead.replaceChildren(head);
  const body = $('results').tBodies[0];
  body.replaceChildren();
  const totals = new Array(7).fill(0);
  for (const rec of res.channels) {
    const tr = document.createElement('tr');
    const th = document.createElement('td');
    th.textContent = rec.channel;
    tr.appendChild(th);
    const h = rec.heuristics;
    const vals = [h[`firstTouch${M}`], h[`lastTouch${M}`], h[`linear${M}`], h[`uShaped${M}`], h[`wShaped${M}`]];
    ['first-touch', 'last-touch', 'linear', 'u-shaped', 'w-shaped'].forEach((k, j) => cell(tr, vals[j], k, rec.channel));
    const re = metric === 'value' ? rec.markov.removalEffectValue : rec.markov.removalEffect;
    cell(tr, re, 'markov-removal-effect', rec.channel, 4);
    cell(tr, rec.markov[metric], 'markov', rec.channel);
    ciCell(tr, rec.markov, metric);
    cell(tr, rec.shapley[metric], 'shapley', rec.channel);
    ciCell(tr, rec.shapley, metric);
    body.appendChild(tr);
    [...vals, rec.markov[metric], rec.shapley[metric]].forEach((v, j) => { totals[j] += v; });
  }
  const foot = document.createElement('tr');
  const t = totals.map((v) => `<td>${fmt(v)}</td>`);
  foot.innerHTML = `<td>Total</td>${t.slice(0, 5).join('')}<td></td>${t[5]}<td></td>${t[6]}<td></td>`;
  $('results').tFoot.replaceChildren(foot);
}

let last = null;

function render() {
  if (!last) return;
  const metric = $('metric').value;
  drawChart(last, metric);
  drawTable(last, metric);
}

function run() {
  try {
    setStatus('running', 'Computing...');
    $('results').dataset.state = 'running';
    last = compute();
    render();
    const rows = last.table.path.length;
    const conv = last.table.conversions.reduce((a, b) => a + b, 0);
    setStatus('done', `${rows.toLocaleString('en-US')} paths, ${last.channels.length} channels, ` +
      `${fmt(conv)} conversions; computed in ${fmt(last.ms, 0)} ms` +
      (last.ci ? ` (with ${last.ci.replicates} bootstrap replicates per model)` : '') + '.');
    $('results').dataset.state = 'done';
  } catch (e) {
    setStatus('error', errorText(e));
    $('results').dataset.state = 'error';
  }
}

$('csv').value = SAMPLE;
$('run').addEventListener('click', run);
$('metric').addEventListener('change', render);
for (const id of ['order', 'ci', 'delimiter']) $(id).addEventListener('change', run);
onUpload($('file'), $('csv'), run);

await boot(init, run);
