// The forecast page: parse a series (one number per line, or date,value CSV), fit AutoETS,
// draw the history and a fan chart of the prediction intervals (inline SVG), and list the
// anomalies of the history: forecast-residual alerts and the seasonal hybrid ESD.
// Every number cell carries data-value with the full-precision result (the e2e test reads it).

import { init, forecast, anomaly } from '../js/index.js';
import {
  $, fmt, setStatus, errorText, codedError, el, niceStep, path, numCell, textCell, onUpload, boot,
} from './common.js';

// An illustrative monthly series (six years, yearly season) to start from.
const SAMPLE_VALUES = [15136, 16733, 20016, 17708, 18019, 19227, 22893, 23739, 21133, 22591, 26786, 29740,
  15028, 17977, 20008, 21354, 19498, 22125, 25817, 28779, 20960, 22254, 24139, 29082, 13855, 16081, 21262,
  19619, 20001, 20121, 25312, 24982, 21373, 23003, 23855, 29542, 15063, 17410, 19988, 20377, 20426, 22522,
  25052, 24780, 20988, 22900, 25040, 30655, 14864, 16897, 21073, 19658, 20226, 21987, 24640, 29314, 23133,
  21744, 23668, 31013, 14720, 16500, 19765, 19960, 19895, 21430, 30345, 24870, 22560, 25155, 28466, 32060];
const SAMPLE = 'date,sales\n' + SAMPLE_VALUES.map((v, i) => {
  const y = 1980 + Math.floor(i / 12);
  const m = String((i % 12) + 1).padStart(2, '0');
  return `${y}-${m}-01,${v}`;
}).join('\n') + '\n';

// Okabe-Ito palette (colour-blind safe).
const COLOR = { history: '#1d2430', mean: '#0072B2', band: '#56B4E9', alert: '#D55E00', esd: '#CC79A7' };

/** `{ y: number[], dates: Date[] | null }` from the text (one value per line or date,value). */
export function parseSeries(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const y = [];
  const labels = [];
  lines.forEach((line, i) => {
    const parts = line.split(/[,;\t]/).map((p) => p.trim().replace(/^"|"$/g, ''));
    const raw = parts[parts.length - 1];
    const v = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(v)) {
      if (i === 0 && y.length === 0) return; // a header line
      throw codedError('invalid_record', `line ${i + 1}: "${line}" has no finite number as its last field`);
    }
    y.push(v);
    labels.push(parts.length > 1 ? parts[0] : null);
  });
  let dates = null;
  if (labels.length > 0 && labels.every((l) => l !== null)) {
    const ds = labels.map((l) => new Date(`${l}${/^\d{4}-\d{2}(-\d{2})?$/.test(l) ? 'T00:00:00Z' : ''}`));
    if (ds.every((d) => !Number.isNaN(d.getTime()))) dates = ds;
  }
  return { y, dates };
}

/** Dates continuing `dates` for `h` steps: whole months when the spacing is monthly. */
function futureDates(dates, h) {
  if (!dates || dates.length < 2) return null;
  const n = dates.length;
  const gaps = dates.slice(1).map((d, i) => d - dates[i]).sort((a, b) => a - b);
  const gap = gaps[Math.floor(gaps.length / 2)];
  const day = 86400000;
  const last = dates[n - 1];
  return Array.from({ length: h }, (_, k) => {
    if (gap >= 28 * day && gap <= 31 * day) {
      return new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + k + 1, last.getUTCDate()));
    }
    return new Date(last.getTime() + gap * (k + 1));
  });
}

const dateLabel = (d) => d.toISOString().slice(0, 10);

function parseLevels(text) {
  const levels = text.split(/[ ,;]+/).filter((s) => s.length > 0).map(Number);
  if (levels.length === 0) throw codedError('invalid_parameter', 'give at least one interval level, e.g. 80, 95');
  return levels;
}

function compute() {
  const { y, dates } = parseSeries($('series').value);
  const seasonLength = Number($('season').value);
  const h = Number($('horizon').value);
  const levels = parseLevels($('levels').value);
  const alertLevel = Number($('alertLevel').value);
  const t0 = performance.now();
  const fit = new forecast.AutoEts({ seasonLength }).fit(y);
  const fc = fit.predict(h, { level: levels });
  const alerts = fit.alerts({ level: alertLevel });
  let esd = null;
  let esdNote = '';
  try {
    esd = seasonLength >= 2
      ? { ...anomaly.seasonalEsd(y, { period: seasonLength, maxAnoms: 0.1, alpha: 0.05 }), method: 'seasonal ESD' }
      : { ...anomaly.esd(y, { maxAnoms: 0.1, alpha: 0.05 }), method: 'generalized ESD' };
  } catch (e) {
    esdNote = ` (ESD not run: ${e.code ?? 'error'}: ${e.message})`;
  }
  const ms = performance.now() - t0;
  const labels = dates ? dates.map(dateLabel) : y.map((_, i) => String(i));
  const future = futureDates(dates, h);
  const futureLabels = future ? future.map(dateLabel) : Array.from({ length: h }, (_, k) => String(y.length + k));
  return { y, labels, futureLabels, fit, fc, alerts, alertLevel, esd, esdNote, ms, h };
}

function drawChart(res) {
  const W = 1040, H = 400, left = 70, right = 16, top = 34, bottom = 44;
  const { y, fc } = res;
  const n = y.length;
  const total = n + fc.mean.length;
  const all = [...y, ...fc.mean];
  for (const iv of fc.intervals) all.push(...iv.lower, ...iv.upper);
  let lo = Math.min(...all.filter(Number.isFinite));
  let hi = Math.max(...all.filter(Number.isFinite));
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const step = niceStep(hi - lo);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const X = (i) => left + ((W - left - right) * i) / Math.max(total - 1, 1);
  const Y = (v) => top + (H - top - bottom) * (1 - (v - lo) / (hi - lo));
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  el('title', {}, svg, `History and ${res.fit.model} forecast with prediction intervals`);
  const digits = step < 1 ? 2 : 0;
  for (let v = lo; v <= hi + step / 2; v += step) {
    el('line', { class: 'grid', x1: left, x2: W - right, y1: Y(v), y2: Y(v) }, svg);
    el('text', { x: left - 6, y: Y(v) + 4, 'text-anchor': 'end' }, svg, fmt(v, digits));
  }
  const labels = [...res.labels, ...res.futureLabels];
  const every = Math.max(1, Math.ceil(total / 10));
  for (let i = 0; i < total; i += every) {
    el('text', { x: X(i), y: H - bottom + 16, 'text-anchor': 'middle' }, svg, labels[i]);
  }
  el('line', { class: 'axis', x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }, svg);
  el('line', { class: 'divider', x1: X(n - 0.5), x2: X(n - 0.5), y1: top, y2: H - bottom }, svg);
  // bands, widest level first so the narrower ones sit on top
  const order = fc.intervals.map((iv, i) => i).sort((a, b) => fc.intervals[b].level - fc.intervals[a].level);
  order.forEach((i, k) => {
    const iv = fc.intervals[i];
    const up = Array.from(iv.upper, (v, j) => [X(n + j), Y(v)]);
    const down = Array.from(iv.lower, (v, j) => [X(n + j), Y(v)]).reverse();
    el('path', {
      d: `${path([[X(n - 1), Y(y[n - 1])], ...up])}${path(down).replace(/^M/, 'L')}Z`,
      fill: COLOR.band, 'fill-opacity': String(0.22 + 0.22 * k), class: 'band', 'data-level': String(iv.level),
    }, svg);
  });
  el('path', { d: path(y.map((v, i) => [X(i), Y(v)])), fill: 'none', stroke: COLOR.history, 'stroke-width': 1.4, class: 'history' }, svg);
  el('path', {
    d: path([[X(n - 1), Y(y[n - 1])], ...Array.from(fc.mean, (v, j) => [X(n + j), Y(v)])]),
    fill: 'none', stroke: COLOR.mean, 'stroke-width': 2, class: 'mean',
  }, svg);
  for (const a of res.alerts) {
    const c = el('circle', { cx: X(a.index), cy: Y(a.actual), r: 5, fill: 'none', stroke: COLOR.alert, 'stroke-width': 2, class: 'alert', 'data-index': String(a.index) }, svg);
    el('title', {}, c, a.reason);
  }
  for (const a of res.esd?.anomalies ?? []) {
    const s = 5;
    const cx = X(a.index), cy = Y(a.value);
    const m = el('path', { d: `M${cx - s},${cy - s}L${cx + s},${cy + s}M${cx - s},${cy + s}L${cx + s},${cy - s}`, stroke: COLOR.esd, 'stroke-width': 2, class: 'esd', 'data-index': String(a.index) }, svg);
    el('title', {}, m, `${res.esd.method}: ${fmt(a.value)} (expected ${fmt(a.expected)})`);
  }
  // legend
  let lx = left;
  const legend = [['line', COLOR.history, 'history'], ['line', COLOR.mean, `forecast (${res.fit.model})`],
    ...order.map((i, k) => ['band', COLOR.band, `${fc.intervals[i].level}% interval`, 0.22 + 0.22 * k]),
    ['circle', COLOR.alert, `outside the ${res.alertLevel}% one-step interval`], ['cross', COLOR.esd, res.esd?.method ?? 'ESD']];
  for (const [kind, color, label, opacity] of legend) {
    if (kind === 'line') el('line', { x1: lx, x2: lx + 16, y1: 16, y2: 16, stroke: color, 'stroke-width': 2 }, svg);
    if (kind === 'band') el('rect', { x: lx, y: 10, width: 16, height: 12, fill: color, 'fill-opacity': opacity }, svg);
    if (kind === 'circle') el('circle', { cx: lx + 8, cy: 16, r: 5, fill: 'none', stroke: color, 'stroke-width': 2 }, svg);
    if (kind === 'cross') el('path', { d: `M${lx + 3},11L${lx + 13},21M${lx + 3},21L${lx + 13},11`, stroke: color, 'stroke-width': 2 }, svg);
    el('text', { x: lx + 21, y: 20, class: 'label' }, svg, label);
    lx += 34 + label.length * 6.6;
  }
  $('chart').replaceChildren(svg);
}

function drawForecastTable(res) {
  const { fc } = res;
  const cols = ['mean', ...fc.intervals.flatMap((iv) => [`lo-${iv.level}`, `hi-${iv.level}`])];
  const head = document.createElement('tr');
  head.innerHTML = '<th>Step</th><th>Period</th>' + cols.map((c) => `<th>${c}</th>`).join('');
  $('forecast').tHead.replaceChildren(head);
  const body = $('forecast').tBodies[0];
  body.replaceChildren();
  for (let j = 0; j < fc.mean.length; j += 1) {
    const tr = document.createElement('tr');
    textCell(tr, String(j + 1));
    textCell(tr, res.futureLabels[j]);
    numCell(tr, fc.mean[j], { col: 'mean', step: String(j) });
    for (const iv of fc.intervals) {
      numCell(tr, iv.lower[j], { col: `lo-${iv.level}`, step: String(j) });
      numCell(tr, iv.upper[j], { col: `hi-${iv.level}`, step: String(j) });
    }
    body.appendChild(tr);
  }
}

function drawAnomalyTable(res) {
  const head = document.createElement('tr');
  head.innerHTML = '<th>Index</th><th>Period</th><th>Method</th><th>Value</th><th>Expected</th><th>Score</th><th class="reason">Reason</th>';
  $('anomalies').tHead.replaceChildren(head);
  const rows = [
    ...res.alerts.map((a) => ({
      index: a.index, method: 'forecast residual', value: a.actual, expected: a.expected, score: a.score, reason: a.reason,
    })),
    ...(res.esd?.anomalies ?? []).map((a) => ({
      index: a.index,
      method: res.esd.method,
      value: a.value,
      expected: a.expected,
      score: a.score,
      reason: `${fmt(a.value)} is ${fmt(a.score)} robust standard deviations (median and MAD of the ` +
        `${res.esd.method === 'seasonal ESD' ? 'seasonally adjusted remainder' : 'series'}) from ` +
        `${fmt(a.expected)}; removed at ESD step ${a.step + 1} of ${res.esd.statistics.length}, ` +
        `over the critical value ${fmt(res.esd.criticalValues[a.step], 3)}`,
    })),
  ].sort((a, b) => a.index - b.index || a.method.localeCompare(b.method));
  const body = $('anomalies').tBodies[0];
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.method = r.method;
    tr.dataset.index = String(r.index);
    textCell(tr, String(r.index));
    textCell(tr, res.labels[r.index]);
    textCell(tr, r.method);
    numCell(tr, r.value, { col: 'value' });
    numCell(tr, r.expected, { col: 'expected' });
    numCell(tr, r.score, { col: 'score' });
    textCell(tr, r.reason, 'reason');
    body.appendChild(tr);
  }
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = textCell(tr, 'No anomalies found.');
    td.colSpan = 7;
    body.appendChild(tr);
  }
}

function setNumber(id, x, digits) {
  $(id).textContent = fmt(x, digits);
  $(id).dataset.value = String(x);
}

function run() {
  try {
    setStatus('running', 'Computing...');
    $('forecast').dataset.state = 'running';
    const res = compute();
    $('model').textContent = res.fit.model;
    $('model').dataset.value = res.fit.model;
    setNumber('aicc', res.fit.aicc, 2);
    setNumber('sigma2', res.fit.sigma2, 6);
    $('simulated').textContent = res.fc.simulated ? ' (intervals from 5000 simulated paths)' : '';
    drawChart(res);
    drawForecastTable(res);
    drawAnomalyTable(res);
    const nEsd = res.esd?.anomalies.length ?? 0;
    setStatus('done', `${res.y.length.toLocaleString('en-US')} observations, ${res.h}-step forecast; ` +
      `${res.alerts.length} forecast-residual alert${res.alerts.length === 1 ? '' : 's'}, ` +
      `${nEsd} ESD anomal${nEsd === 1 ? 'y' : 'ies'}${res.esdNote}; computed in ${fmt(res.ms, 0)} ms.`);
    $('forecast').dataset.state = 'done';
  } catch (e) {
    setStatus('error', errorText(e));
    $('forecast').dataset.state = 'error';
  }
}

$('series').value = SAMPLE;
$('run').addEventListener('click', run);
for (const id of ['season', 'horizon', 'levels', 'alertLevel']) $(id).addEventListener('change', run);
onUpload($('file'), $('series'), run);

await boot(init, run);
