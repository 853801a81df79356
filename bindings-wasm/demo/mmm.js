// The media mix page: read a weekly CSV (or make the seeded example), let the user say which
// column is the date, the outcome, a channel or a control, fit `optimize.MMM` in a Web Worker
// (`fitAsync`, with progress and Cancel), and show the channel table with 90% intervals, the
// diagnostics and warnings, the contribution stack over time and each channel's response curve
// with its band (inline SVG). Every number cell carries data-value (and data-lo / data-hi for
// the intervals) with the full-precision result; the e2e test reads them.

import { init, optimize } from '../js/index.js';
import { $, fmt, setStatus, errorText, el, niceStep, path, numCell, textCell, onUpload, boot } from './common.js';
import { exampleCsv, parseCsv, defaultRoles, buildData, csvPlace, ROLES } from './mmm_data.js';

// Okabe-Ito palette (colour-blind safe), one colour a channel; the baseline in grey.
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#1d2430'];
const BASELINE = '#c9ced6';
const LEVEL = 0.9;

let rolesKey = null; // the header the role pickers were made for
let running = null; // the AbortController of the fit under way

// ---------------------------------------------------------------------------------------------
// Columns and their roles

function drawRoles(header, roles) {
  const head = document.createElement('tr');
  const body = document.createElement('tr');
  textCell(head, 'Column');
  textCell(body, 'Role');
  header.forEach((name, j) => {
    const th = document.createElement('th');
    th.textContent = name;
    head.appendChild(th);
    const td = document.createElement('td');
    const select = document.createElement('select');
    select.dataset.column = name;
    select.setAttribute('aria-label', `role of column ${name}`);
    for (const r of ROLES) select.add(new Option(r, r, false, r === roles[j]));
    td.appendChild(select);
    body.appendChild(td);
  });
  $('roles').tHead.replaceChildren(head);
  $('roles').tBodies[0].replaceChildren(body);
}

const currentRoles = () => [...document.querySelectorAll('#roles select')].map((s) => s.value);

/** Parses the CSV; makes the role pickers again (with the defaults) when the header changed. */
function readTable() {
  const table = parseCsv($('csv').value);
  const key = table.header.join('\u0000');
  if (key !== rolesKey) {
    drawRoles(table.header, defaultRoles(table));
    rolesKey = key;
  }
  return table;
}

function options() {
  const uncertainty = $('uncertainty').value;
  const o = {
    adstock: $('adstock').value,
    lMax: Number($('lmax').value),
    saturation: $('saturation').value,
    yearlySeasonality: Number($('seasonality').value),
    uncertainty,
    level: LEVEL,
    seed: 0,
  };
  if (uncertainty === 'bootstrap') o.replicates = Number($('replicates').value);
  return o;
}

// ---------------------------------------------------------------------------------------------
// The channel table, diagnostics and warnings

const pct = (x, digits = 1) => `${fmt(100 * x, digits)}%`;

function metricCells(tr, r, key, channel, show) {
  const td = numCell(tr, r[key], { col: key, channel, lo: String(r[`${key}Lo`]), hi: String(r[`${key}Hi`]) });
  td.textContent = show(r[key]);
  textCell(tr, `${show(r[`${key}Lo`])} – ${show(r[`${key}Hi`])}`, 'ci');
}

function drawSummary(fit, rows) {
  const level = `${Math.round(LEVEL * 100)}%`;
  const cols = ['Spend', 'Avg spend / week', 'Contribution', `${level} interval`, 'Share of media', `${level} interval`,
    'ROAS', `${level} interval`, 'Marginal ROAS', `${level} interval`];
  const head = document.createElement('tr');
  head.innerHTML = '<th>Channel</th>' + cols.map((c) => `<th>${c}</th>`).join('');
  $('summary').tHead.replaceChildren(head);
  const body = $('summary').tBodies[0];
  body.replaceChildren();
  const money = (x) => fmt(x, 0);
  const ratio = (x) => fmt(x, 3);
  const summary = fit.summary();
  summary.forEach((r, i) => {
    const tr = document.createElement('tr');
    tr.dataset.channel = r.channel;
    const name = textCell(tr, '');
    name.innerHTML = `<span class="swatch" style="background:${COLORS[i % COLORS.length]}"></span>`;
    name.append(r.channel);
    numCell(tr, r.spend, { col: 'spend', channel: r.channel }, 0);
    numCell(tr, r.spend / rows, { col: 'avgSpend', channel: r.channel }, 0);
    metricCells(tr, r, 'contribution', r.channel, money);
    metricCells(tr, r, 'share', r.channel, pct);
    metricCells(tr, r, 'roas', r.channel, ratio);
    metricCells(tr, r, 'mroas', r.channel, ratio);
    body.appendChild(tr);
  });
  const spend = summary.reduce((a, r) => a + r.spend, 0);
  const contribution = summary.reduce((a, r) => a + r.contribution, 0);
  const foot = document.createElement('tr');
  textCell(foot, 'All media');
  numCell(foot, spend, { col: 'spend' }, 0);
  numCell(foot, spend / rows, { col: 'avgSpend' }, 0);
  numCell(foot, contribution, { col: 'contribution' }, 0);
  textCell(foot, '');
  textCell(foot, pct(1));
  textCell(foot, '');
  numCell(foot, contribution / spend, { col: 'roas' }, 3);
  for (let k = 0; k < 3; k += 1) textCell(foot, '');
  $('summary').tFoot.replaceChildren(foot);
  return summary;
}

function setNumber(id, x, show) {
  $(id).textContent = x === null || x === undefined ? 'n/a' : show(x);
  $(id).dataset.value = String(x);
}

function drawDiagnostics(fit) {
  const d = fit.diagnostics;
  setNumber('r2', d.r2, (x) => fmt(x, 3));
  setNumber('nrmse', d.nrmse, (x) => fmt(x, 3));
  setNumber('mape', d.mape, (x) => pct(x, 2));
  setNumber('rssd', d.decompRssd, (x) => fmt(x, 3));
  setNumber('dw', d.durbinWatson, (x) => fmt(x, 2));
  const c = fit.convergence;
  $('converged').textContent = c.converged
    ? `converged (${c.startsAgreeing} of ${c.runs.length} starts agree)`
    : `not converged: the best of ${c.runs.length} starts did not meet the tolerance`;
  $('converged').className = c.converged ? '' : 'warn';
  const items = fit.warnings.map((w) => {
    const li = document.createElement('li');
    li.textContent = w;
    return li;
  });
  $('warnings').replaceChildren(...items);
  $('warnings').dataset.count = String(items.length);
}

// ---------------------------------------------------------------------------------------------
// Charts

/** A y axis from `lo` to `hi` with gridlines; returns the scale. */
function yAxis(svg, lo, hi, { left, right, top, bottom, W, H }, ticks = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const step = niceStep(hi - lo, ticks);
  const y0 = Math.floor(lo / step) * step;
  const y1 = Math.ceil(hi / step) * step;
  const Y = (v) => top + (H - top - bottom) * (1 - (v - y0) / (y1 - y0));
  for (let v = y0; v <= y1 + step / 2; v += step) {
    el('line', { class: 'grid', x1: left, x2: W - right, y1: Y(v), y2: Y(v) }, svg);
    el('text', { x: left - 6, y: Y(v) + 4, 'text-anchor': 'end' }, svg, compact(v));
  }
  return Y;
}

/** 12,500 as 12.5k, 2,300,000 as 2.3M. */
function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${fmt(v / 1e6, a % 1e6 === 0 ? 0 : 1)}M`;
  if (a >= 1e4) return `${fmt(v / 1e3, a % 1e3 === 0 ? 0 : 1)}k`;
  return fmt(v, Number.isInteger(v) || a >= 100 ? 0 : 2);
}

/** A closed area between `upper` and `lower` (arrays of [x, y], same xs). */
const area = (upper, lower) => `${path(upper)}${path([...lower].reverse()).replace(/^M/, 'L')}Z`;

function legend(svg, entries, x, y) {
  let lx = x;
  for (const [kind, color, label] of entries) {
    if (kind === 'line') el('line', { x1: lx, x2: lx + 16, y1: y - 4, y2: y - 4, stroke: color, 'stroke-width': 2 }, svg);
    else if (kind === 'dot') el('circle', { cx: lx + 8, cy: y - 4, r: 2.5, fill: color }, svg);
    else el('rect', { x: lx, y: y - 10, width: 16, height: 12, fill: color, 'fill-opacity': kind === 'band' ? 0.3 : 0.85 }, svg);
    el('text', { x: lx + 21, y, class: 'label' }, svg, label);
    lx += 34 + label.length * 6.6;
  }
}

function drawStack(fit, built) {
  const W = 1160, H = 360;
  const box = { W, H, left: 64, right: 16, top: 34, bottom: 40 };
  const c = fit.contributions();
  const n = c.fitted.length;
  const baseline = Array.from({ length: n }, (_, t) => c.intercept[t] + c.trend[t] + c.seasonality[t]
    + Object.values(c.controls).reduce((a, s) => a + s[t], 0));
  const layers = [{ name: 'baseline', part: 'baseline', values: baseline, color: BASELINE }, ...fit.channels.map((ch, i) => ({
    name: ch, part: 'channel', values: Array.from(c.channels[ch]), color: COLORS[i % COLORS.length],
  }))];
  const actual = Array.from(built.data.target);
  const cum = [new Array(n).fill(0)];
  for (const l of layers) cum.push(l.values.map((v, t) => cum.at(-1)[t] + v));
  const all = [...cum.flat(), ...actual].filter(Number.isFinite);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  el('title', {}, svg, 'Outcome per week: baseline and each channel\'s contribution, stacked, with the actual outcome');
  const Y = yAxis(svg, Math.min(0, ...all), Math.max(...all), box);
  const X = (t) => box.left + ((W - box.left - box.right) * t) / Math.max(n - 1, 1);
  const every = Math.max(1, Math.ceil(n / 9));
  for (let t = 0; t < n; t += every) el('text', { x: X(t), y: H - box.bottom + 16, 'text-anchor': 'middle' }, svg, built.labels[t]);
  layers.forEach((l, k) => {
    const lower = cum[k].map((v, t) => [X(t), Y(v)]);
    const upper = cum[k + 1].map((v, t) => [X(t), Y(v)]);
    const p = el('path', { d: area(upper, lower), fill: l.color, 'fill-opacity': 0.85, class: 'layer', 'data-part': l.part, 'data-channel': l.name }, svg);
    const total = l.values.reduce((a, b) => a + b, 0);
    el('title', {}, p, `${l.name}: ${fmt(total, 0)} in total`);
  });
  el('line', { class: 'axis', x1: box.left, x2: W - box.right, y1: Y(0), y2: Y(0) }, svg);
  el('path', { d: path(Array.from(c.fitted, (v, t) => [X(t), Y(v)])), fill: 'none', stroke: '#1d2430', 'stroke-width': 1.3, class: 'fitted' }, svg);
  for (let t = 0; t < n; t += 1) {
    if (Number.isFinite(actual[t])) el('circle', { cx: X(t), cy: Y(actual[t]), r: 2.2, fill: '#1d2430', class: 'actual' }, svg);
  }
  legend(svg, [...layers.map((l) => ['box', l.color, l.name]), ['line', '#1d2430', 'fitted'],
    ['dot', '#1d2430', `actual ${built.outcome}`]], box.left, 20);
  $('stack').replaceChildren(svg);
}

function drawCurves(fit, b, summary) {
  const rows = b.data.target.length;
  const channels = fit.channels;
  const cols = Math.min(3, channels.length);
  const panels = Math.ceil(channels.length / cols);
  const PW = 380, PH = 270, W = PW * cols + 20, H = PH * panels + 30;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  el('title', {}, svg, 'Steady-state response per week against spend per week, with the interval band and the average weekly spend');
  legend(svg, [['line', '#1d2430', 'response at the mode'], ['band', '#1d2430', `${Math.round(LEVEL * 100)}% band`],
    ['line', '#9aa3b2', 'average weekly spend']], 64, 18);
  channels.forEach((ch, i) => {
    const color = COLORS[i % COLORS.length];
    const avg = summary[i].spend / rows;
    const g = el('g', { transform: `translate(${(i % cols) * PW + 10} ${Math.floor(i / cols) * PH + 30})`, class: 'panel', 'data-channel': ch }, svg);
    const box = { W: PW, H: PH, left: 58, right: 14, top: 26, bottom: 40 };
    // the grid: up to the largest weekly spend or 2.5 times the average, whichever is more
    const most = Math.max(2.5 * avg, ...b.data.channels[ch].filter(Number.isFinite), 1);
    const step = niceStep(most, 4);
    const max = Math.ceil(most / step) * step;
    const grid = Array.from({ length: 61 }, (_, k) => (max * k) / 60);
    const [curve] = fit.responseCurves([...grid, avg]).filter((r) => r.channel === ch);
    const m = grid.length;
    const ys = [...curve.lo, ...curve.hi, ...curve.response].filter(Number.isFinite);
    const Y = yAxis(g, 0, Math.max(...ys), box, 4);
    const X = (x) => box.left + ((PW - box.left - box.right) * x) / max;
    for (let x = 0; x <= max + step / 2; x += step) {
      el('text', { x: X(x), y: PH - box.bottom + 15, 'text-anchor': 'middle' }, g, compact(x));
    }
    el('text', { x: (box.left + PW - box.right) / 2, y: PH - 8, 'text-anchor': 'middle' }, g, 'spend per week');
    el('text', { x: box.left, y: 14, class: 'label' }, g, ch).setAttribute('fill', color);
    el('line', { class: 'axis', x1: box.left, x2: PW - box.right, y1: Y(0), y2: Y(0) }, g);
    const at = (arr) => grid.map((x, k) => [X(x), Y(arr[k])]);
    el('path', {
      d: area(at(curve.hi), at(curve.lo)), fill: color, 'fill-opacity': 0.25, class: 'band', 'data-channel': ch,
      'data-points': String(m),
    }, g);
    el('path', { d: path(at(curve.response)), fill: 'none', stroke: color, 'stroke-width': 2, class: 'curve', 'data-channel': ch }, g);
    const r = curve.response[m];
    el('line', { class: 'avg-spend', x1: X(avg), x2: X(avg), y1: box.top, y2: Y(0), 'data-value': String(avg) }, g);
    const dot = el('circle', { cx: X(avg), cy: Y(r), r: 4, fill: color, stroke: '#fff', 'stroke-width': 1.5, class: 'avg-point' }, g);
    el('title', {}, dot, `${ch}: average ${fmt(avg, 0)} a week -> ${fmt(r, 0)} a week ` +
      `[${fmt(curve.lo[m], 0)}, ${fmt(curve.hi[m], 0)}], marginal ${fmt(curve.marginal[m], 3)}`);
    el('text', { x: Math.min(X(avg) + 6, PW - box.right - 150), y: box.top + 12 }, g,
      `avg ${compact(avg)}/wk → ${compact(r)}/wk`);
  });
  $('curves').replaceChildren(svg);
}

let last = null;

function clearResults(state) {
  for (const id of ['stack', 'curves', 'warnings']) $(id).replaceChildren();
  for (const part of ['tHead', 'tFoot']) $('summary')[part].replaceChildren();
  $('summary').tBodies[0].replaceChildren();
  for (const id of ['r2', 'nrmse', 'mape', 'rssd', 'dw']) {
    $(id).textContent = '–';
    $(id).dataset.value = '';
  }
  $('converged').textContent = '';
  $('summary').dataset.state = state;
}

function render(fit, b) {
  last = { fit, built: b };
  const rows = b.data.target.length;
  const summary = drawSummary(fit, rows);
  drawDiagnostics(fit);
  drawStack(fit, b);
  drawCurves(fit, b, summary);
  const u = options().uncertainty;
  $('level-note').textContent = u === 'none' ? '(no intervals)' : `(${Math.round(LEVEL * 100)}% intervals, ${u === 'laplace' ? 'Laplace draws' : 'block bootstrap'})`;
}

// ---------------------------------------------------------------------------------------------
// Fitting

function showProgress(p) {
  const what = p.stage === 'starts' ? 'optimiser starts' : p.stage || 'steps';
  $('progress').textContent = p.total > 0 ? `${p.done} of ${p.total} ${what} done` : '';
  $('progress').dataset.done = String(p.done);
}

async function fit() {
  if (running) return;
  let table = null;
  let roles = null;
  let b = null;
  let spec = null;
  try {
    table = readTable();
    roles = currentRoles();
    b = buildData(table, roles);
    spec = new optimize.MMM(options());
  } catch (e) {
    clearResults('error');
    setStatus('error', errorText(e));
    return;
  }
  const ac = new AbortController();
  running = ac;
  $('run').disabled = true;
  $('cancel').disabled = false;
  $('summary').dataset.state = 'running';
  $('progress').textContent = '';
  setStatus('running', `Fitting ${Object.keys(b.data.channels).length} channels on ${b.data.target.length} weeks (in a Web Worker)...`);
  const t0 = performance.now();
  try {
    const fitted = await spec.fitAsync(b.data, { signal: ac.signal, onProgress: showProgress });
    const ms = performance.now() - t0;
    render(fitted, b);
    const nw = fitted.warnings.length;
    setStatus('done', `${b.data.target.length} weeks, ${fitted.channels.length} channels` +
      `${fitted.controls.length ? `, ${fitted.controls.length} control${fitted.controls.length === 1 ? '' : 's'}` : ''}` +
      ` (outcome ${b.outcome}); fitted in ${fmt(ms, 0)} ms; ${nw} warning${nw === 1 ? '' : 's'}.`);
    $('summary').dataset.state = 'done';
  } catch (e) {
    if (e.code === 'cancelled') {
      setStatus('cancelled', `Cancelled (${e.message}); the results below are from the previous fit.`);
      $('summary').dataset.state = last ? 'done' : 'empty';
    } else {
      clearResults('error');
      last = null;
      setStatus('error', errorText(e) + csvPlace(e.message, table, roles));
    }
  } finally {
    running = null;
    $('run').disabled = false;
    $('cancel').disabled = true;
  }
}

function loadExample() {
  $('csv').value = exampleCsv();
  rolesKey = null;
  try {
    readTable();
    setStatus('ready', 'Example loaded: press Fit.');
  } catch (e) {
    setStatus('error', errorText(e));
  }
}

/** After an edit or an upload: new role pickers when the header changed (errors wait for Fit). */
function refreshRoles() {
  try {
    readTable();
  } catch {
    // shown when the user presses Fit
  }
}

let typing = null;
$('csv').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(refreshRoles, 300);
});
onUpload($('file'), $('csv'), () => {
  refreshRoles();
  fit();
});
$('example').addEventListener('click', loadExample);
const bootstrapOnly = () => { $('replicates').disabled = $('uncertainty').value !== 'bootstrap'; };
$('uncertainty').addEventListener('change', bootstrapOnly);
bootstrapOnly();
$('run').addEventListener('click', fit);
$('cancel').addEventListener('click', () => running?.abort());

await boot(init, async () => {
  loadExample();
  await fit();
});
