// The budget page: response curves per channel (the media mix example's steady-state curves,
// fitted in this page, or stated Hill S-curves), a weekly budget slider, per-channel min / max /
// lock, a move limit from today's spend and a scenario; every change calls `optimize.allocate`
// again (at most once per animation frame) and shows the allocation, its certificate and the
// optimum on each curve. Every number cell carries data-value with the full-precision result;
// the e2e test reads them, and #alloc's data-budget / data-solves / data-ms say which solve
// is on the page and how long the `optimize.allocate` call took (data-pending while a solve waits
// for its frame).

import { init, optimize } from '../js/index.js';
import { $, fmt, setStatus, errorText, el, niceStep, path, numCell, textCell, boot } from './common.js';
import { exampleCsv, parseCsv, defaultRoles, buildData } from './mmm_data.js';

// Okabe-Ito palette, as on the media mix page.
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#1d2430'];
/** Branch and bound stops at this relative gap (the API's default, passed explicitly). */
const TOLERANCE = 1e-6;
/** What "exact" means for water-filling: the issue's bound on KKT residual and duality gap. */
const EXACT = 1e-9;
/** The media mix page's default settings, without intervals (only the mode's curves are used). */
const MMM_OPTIONS = { adstock: 'geometric', lMax: 8, saturation: 'logistic', yearlySeasonality: 2, uncertainty: 'none', seed: 0 };
/** Illustrative S-curves: Hill `beta x^slope / (kappa^slope + x^slope)`, spend and response per week. */
const HILL = [
  { name: 'tv', curve: { kind: 'hill', slope: 2.5, kappa: 12000, beta: 40000 }, current: 9000 },
  { name: 'search', curve: { kind: 'hill', slope: 1, kappa: 4000, beta: 16000 }, current: 5000 },
  { name: 'social', curve: { kind: 'hill', slope: 1.8, kappa: 5000, beta: 12000 }, current: 3000 },
  { name: 'display', curve: { kind: 'hill', slope: 3, kappa: 6000, beta: 9000 }, current: 3000 },
];

/**
 * The curves in use: { kind, note, channels: [{ name, curve (spec), current, sat (optimize.Saturation),
 * todayResponse, base (axis length) }], todayResponse, todaySpend }.
 */
let source = null;
const times = []; // the last solve times, ms
let solves = 0;
let frame = 0;

const money = (x) => fmt(x, 0);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
/** `x` with a sign, and no "-0" for what rounds to zero. */
const signed = (x, digits) => {
  const t = fmt(x, digits);
  return /^-?[0.,]+$/.test(t) ? fmt(0, digits) : `${x > 0 ? '+' : ''}${t}`;
};

/** 12,500 as 12.5k. */
function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${fmt(v / 1e6, a % 1e6 === 0 ? 0 : 1)}M`;
  if (a >= 1e4) return `${fmt(v / 1e3, a % 1e3 === 0 ? 0 : 1)}k`;
  return fmt(v, Number.isInteger(v) || a >= 100 ? 0 : 2);
}

const niceCeil = (x, ticks = 4) => {
  const s = niceStep(Math.max(x, 1), ticks);
  return Math.ceil(x / s) * s;
};

function curveText(spec) {
  const p = (x) => (Math.abs(x) < 0.01 ? x.toExponential(3) : fmt(x, Math.abs(x) >= 100 ? 0 : 2));
  if (spec.kind === 'logistic') return `logistic: λ ${p(spec.lam)}, β ${p(spec.beta)}`;
  if (spec.kind === 'hill') return `Hill: slope ${p(spec.slope)}, κ ${p(spec.kappa)}, β ${p(spec.beta)}`;
  return `${spec.kind}: ${Object.entries(spec).filter(([k]) => k !== 'kind').map(([k, v]) => `${k} ${p(v)}`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Curve sources

function mmmSource() {
  const table = parseCsv(exampleCsv());
  const built = buildData(table, defaultRoles(table));
  const t0 = performance.now();
  const fit = new optimize.MMM(MMM_OPTIONS).fit(built.data);
  const ms = performance.now() - t0;
  return {
    kind: 'mmm',
    channels: fit.budgetChannels(),
    note: `The media mix page's example (104 seeded weeks of TV, search and social spend and sales), fitted `
      + `here with that page's default settings (geometric adstock over 8 weeks, logistic saturation; ${fmt(ms, 0)} ms). `
      + 'Each curve is the channel\'s steady state: weekly sales when the same amount is spent every week, carry-over '
      + 'included (FittedMMM.budgetChannels()); today\'s spend is its average weekly spend.',
  };
}

function hillSource() {
  return {
    kind: 'hill',
    channels: HILL.map((c) => ({ ...c, curve: { ...c.curve } })),
    note: 'Illustrative curves, not fitted: Hill β·x^slope / (κ^slope + x^slope) with the parameters below '
      + '(κ is the spend at half the maximum response β). TV, social and display need weight before they work '
      + '(slope > 1: S-curves, solved by branch and bound); search is concave.',
  };
}

function useSource(kind) {
  const s = kind === 'hill' ? hillSource() : mmmSource();
  const todaySpend = sum(s.channels.map((c) => c.current));
  const max = niceCeil(3 * todaySpend, 4);
  const step = niceStep(max, 400);
  s.todaySpend = todaySpend;
  s.channels.forEach((c) => {
    c.sat = new optimize.Saturation(c.curve);
    c.todayResponse = c.sat.value(c.current)[0];
    // the axis: 2.5 x today's spend, or where the curve gives 90% of what the whole slider would
    const grid = Array.from({ length: 201 }, (_, k) => (max * k) / 200);
    const v = c.sat.value(grid);
    const k90 = v.findIndex((y) => y >= 0.9 * v[200]);
    c.base = Math.max(2.5 * c.current, grid[Math.max(k90, 1)]);
    c.axis = null;
  });
  s.todayResponse = sum(s.channels.map((c) => c.todayResponse));
  source = s;
  const b = $('budget');
  b.max = String(max);
  b.step = String(step);
  b.value = String(Math.round(todaySpend / step) * step);
  $('current-total').textContent = `today: ${money(todaySpend)} a week for ${money(s.todayResponse)} ${s.kind === 'mmm' ? 'sales' : 'response'} a week`;
  $('source-note').textContent = s.note;
  drawConstraints();
  setTarget();
}

/** A table row for channel `name` (the `i`-th), its first cell the name with its colour. */
function channelRow(name, i) {
  const tr = document.createElement('tr');
  tr.dataset.channel = name;
  const td = textCell(tr, '');
  td.innerHTML = `<span class="swatch" style="background:${COLORS[i % COLORS.length]}"></span>`;
  td.append(name);
  return tr;
}

function drawConstraints() {
  const head = document.createElement('tr');
  head.innerHTML = '<th>Channel</th><th>Curve</th><th>Today / week</th><th>Min / week</th><th>Max / week</th><th>Lock at today</th>';
  $('constraints').tHead.replaceChildren(head);
  const rows = source.channels.map((c, i) => {
    const tr = channelRow(c.name, i);
    textCell(tr, curveText(c.curve), 'curve').title = JSON.stringify(c.curve);
    numCell(tr, c.current, { col: 'current', channel: c.name }, 0);
    for (const [key, label] of [['lower', 'min'], ['upper', 'max']]) {
      const td = document.createElement('td');
      const input = document.createElement('input');
      Object.assign(input, { type: 'number', min: '0', step: 'any', placeholder: key === 'lower' ? '0' : 'none' });
      input.dataset.channel = c.name;
      input.dataset.bound = key;
      input.setAttribute('aria-label', `${c.name} ${label} spend per week`);
      td.appendChild(input);
      tr.appendChild(td);
    }
    const td = document.createElement('td');
    const lock = document.createElement('input');
    lock.type = 'checkbox';
    lock.dataset.channel = c.name;
    lock.dataset.bound = 'locked';
    lock.setAttribute('aria-label', `lock ${c.name} at today's spend`);
    td.appendChild(lock);
    tr.appendChild(td);
    return tr;
  });
  $('constraints').tBodies[0].replaceChildren(...rows);
}

// ---------------------------------------------------------------------------------------------
// The problem as the page's controls state it

const TARGETS = {
  maxResponse: null,
  targetRoas: { label: 'Target ROAS', step: '0.1', start: (s) => Math.round(10 * s.todayResponse / s.todaySpend) / 10 },
  targetMarginalRoas: { label: 'Target marginal return', step: '0.05', start: () => 1 },
  minSpendForResponse: { label: 'Target response / week', step: '100', start: (s) => Math.round(s.todayResponse / 100) * 100 },
};

/** Fills the target field with a sensible start for the scenario (today's ROAS, response...). */
function setTarget() {
  const t = TARGETS[$('scenario').value];
  const input = $('target');
  input.disabled = !t;
  $('spendAll').disabled = Boolean(t);
  $('target-label').firstChild.textContent = t ? `${t.label} ` : 'Target ';
  input.step = t ? t.step : 'any';
  input.value = t ? String(t.start(source)) : '';
}

/** A blank number field is "not set"; anything else is passed on as typed (the API checks it). */
function numberOf(input) {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

function problem() {
  const channels = source.channels.map((c) => {
    const ch = { name: c.name, curve: c.curve, current: c.current };
    const get = (bound) => document.querySelector(`#constraints input[data-channel="${c.name}"][data-bound="${bound}"]`);
    const lower = numberOf(get('lower'));
    const upper = numberOf(get('upper'));
    if (lower !== undefined) ch.lower = lower;
    if (upper !== undefined) ch.upper = upper;
    if (get('locked').checked) ch.locked = true;
    return ch;
  });
  const kind = $('scenario').value;
  const options = { budget: Number($('budget').value), tolerance: TOLERANCE };
  if (kind === 'maxResponse') options.spendAll = $('spendAll').checked;
  else options.scenario = { kind, value: numberOf($('target')) ?? NaN };
  const mc = numberOf($('maxChange'));
  if (mc !== undefined) options.maxChange = { relative: mc / 100 };
  return { channels, options };
}

/** Each channel's allowed window as the controls set it (for the shading on the chart). */
function windowOf(ch) {
  if (ch.locked) return [ch.current, ch.current];
  const mc = numberOf($('maxChange'));
  let lo = ch.lower ?? 0;
  let hi = ch.upper ?? Infinity;
  if (mc !== undefined && mc >= 0) {
    lo = Math.max(lo, ch.current * (1 - mc / 100));
    hi = Math.min(hi, ch.current * (1 + mc / 100));
  }
  return [lo, hi];
}

const FIELDS = { lower: 'its Min', upper: 'its Max', current: 'today\'s spend', curve: 'its curve', maxChange: 'the max change' };

/** Where a coded error's field is on the page: `channels[1].lower` is search's Min. */
function place(message) {
  const m = /channels\[(\d+)\]\.(\w+)/.exec(message);
  if (m && source.channels[Number(m[1])]) return ` (${source.channels[Number(m[1])].name}: ${FIELDS[m[2]] ?? m[2]})`;
  if (/options\.budget/.test(message)) return ' (the budget slider)';
  if (/options\.scenario\.value/.test(message)) return ' (the target)';
  if (/options\.maxChange/.test(message)) return ' (the max change)';
  return '';
}

// ---------------------------------------------------------------------------------------------
// Solving

function schedule() {
  if (frame) return;
  $('alloc').dataset.pending = 'true';
  frame = requestAnimationFrame(() => {
    frame = 0;
    solve();
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function solve() {
  delete $('alloc').dataset.pending;
  const { channels, options } = problem();
  $('budget-value').textContent = `${money(options.budget)} / week`;
  const t0 = performance.now();
  let a = null;
  let error = null;
  try {
    a = optimize.allocate(channels, options);
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  solves += 1;
  times.push(ms);
  if (times.length > 200) times.shift();
  const alloc = $('alloc');
  alloc.dataset.budget = String(options.budget);
  alloc.dataset.solves = String(solves);
  alloc.dataset.ms = String(ms);
  if (error) {
    clearResults();
    drawCurves(channels, null);
    alloc.dataset.state = 'error';
    setStatus('error', errorText(error) + place(error.message ?? ''));
    return;
  }
  const d0 = performance.now();
  drawAllocation(a, channels);
  drawCertificate(a.certificate);
  drawCurves(channels, a);
  const drawn = performance.now() - d0;
  alloc.dataset.state = 'done';
  setStatus('done', `Solved in ${fmt(ms, 2)} ms (optimize.allocate; median ${fmt(median(times), 2)} ms over the last `
    + `${times.length} solve${times.length === 1 ? '' : 's'}), drawn in ${fmt(drawn, 1)} ms.`);
}

function clearResults() {
  for (const part of ['tHead', 'tFoot']) $('alloc')[part].replaceChildren();
  $('alloc').tBodies[0].replaceChildren();
  $('certificate').tBodies[0].replaceChildren();
  $('totals').replaceChildren();
  $('verdict').textContent = '';
  delete $('verdict').dataset.ok;
}

const BOUNDS = {
  interior: 'none: at the common marginal return',
  lower: 'its min',
  upper: 'its max',
  maxChangeDown: 'max change (down)',
  maxChangeUp: 'max change (up)',
  locked: 'locked',
};

function drawAllocation(a, channels) {
  const head = document.createElement('tr');
  head.innerHTML = ['Channel', 'Spend / week', 'Change vs today', 'Response / week', 'ROAS', 'Marginal return (next $1)', 'Held by']
    .map((c) => `<th>${c}</th>`).join('');
  $('alloc').tHead.replaceChildren(head);
  const rows = a.rows.map((r, i) => {
    const c = source.channels[i];
    const tr = channelRow(r.channel, i);
    numCell(tr, r.spend, { col: 'spend', channel: r.channel }, 0);
    const change = r.spend - c.current;
    const td = numCell(tr, change, { col: 'change', channel: r.channel }, 0);
    td.textContent = `${signed(change, 0)}${c.current > 0 ? ` (${signed(100 * change / c.current, 1)}%)` : ''}`;
    td.className = change > 0.5 ? 'up' : change < -0.5 ? 'down' : '';
    numCell(tr, r.response, { col: 'response', channel: r.channel }, 0);
    numCell(tr, r.spend > 0 ? r.response / r.spend : NaN, { col: 'roas', channel: r.channel }, 2).textContent = r.spend > 0 ? fmt(r.response / r.spend, 2) : '–';
    numCell(tr, r.marginal, { col: 'marginal', channel: r.channel }, 3);
    const held = r.bound === 'lower' ? `its min (${money(channels[i].lower ?? 0)})`
      : r.bound === 'upper' ? `its max (${money(channels[i].upper)})` : BOUNDS[r.bound] ?? r.bound;
    const b = textCell(tr, held, `bound${r.bound === 'interior' ? '' : ' held'}`);
    b.dataset.col = 'bound';
    b.dataset.value = r.bound;
    return tr;
  });
  $('alloc').tBodies[0].replaceChildren(...rows);
  const foot = document.createElement('tr');
  textCell(foot, 'Total');
  numCell(foot, a.totalSpend, { col: 'spend' }, 0);
  const dSpend = a.totalSpend - source.todaySpend;
  numCell(foot, dSpend, { col: 'change' }, 0).textContent = signed(dSpend, 0);
  numCell(foot, a.totalResponse, { col: 'response' }, 0);
  numCell(foot, a.totalSpend > 0 ? a.totalResponse / a.totalSpend : NaN, { col: 'roas' }, 2);
  numCell(foot, a.certificate.multiplier, { col: 'marginal' }, 3);
  textCell(foot, '');
  $('alloc').tFoot.replaceChildren(foot);
  // the headline: against today's split
  const dResp = a.totalResponse - source.todayResponse;
  const unit = source.kind === 'mmm' ? 'sales' : 'response';
  const todayAtBudget = source.todaySpend > 0 ? source.todayResponse / source.todaySpend : NaN;
  $('totals').innerHTML = '';
  const strong = (x) => {
    const s = document.createElement('strong');
    s.textContent = x;
    return s;
  };
  $('totals').append('Spend ', strong(money(a.totalSpend)), ' a week for ', strong(money(a.totalResponse)), ` ${unit} a week (ROAS `,
    strong(fmt(a.totalResponse / a.totalSpend, 2)), `); today's split: ${money(source.todaySpend)} for ${money(source.todayResponse)} `
    + `(ROAS ${fmt(todayAtBudget, 2)}), so ${signed(dResp, 0)} ${unit} `
    + `(${signed(100 * dResp / source.todayResponse, 1)}%) for ${signed(dSpend, 0)} spend.`);
}

function drawCertificate(c) {
  const sci = (x) => (x === 0 ? '0' : Math.abs(x) < 1e-3 ? x.toExponential(2) : fmt(x, 6));
  const exact = c.method === 'water-filling';
  const rows = [
    ['method', 'Method', c.method, exact ? 'concave curves: the exact optimum' : 'S-shaped curves: the global optimum to a proven gap'],
    ['multiplier', 'Marginal return of the budget', fmt(c.multiplier, 4), 'the shadow price: what one more $1 of budget would add (0 when the budget does not bind)'],
    ['kktResidual', 'KKT residual', sci(c.kktResidual), 'largest violation of the optimality conditions, relative to the multiplier'],
    ['dualityGap', 'Duality gap', sci(c.dualityGap), exact ? 'dual value minus the total response, relative' : 'of the concave-envelope relaxation (the bound below is the proof)'],
    ['upperBound', 'Proven upper bound', money(c.upperBound), 'no split within these constraints gives more response'],
    ['suboptimality', 'Suboptimality', sci(c.suboptimality), 'how far below the upper bound this split can be, relative'],
    ['nodes', 'Nodes', String(c.nodes), exact ? '1 for concave curves' : 'branch-and-bound subproblems solved'],
  ];
  $('certificate').tBodies[0].replaceChildren(...rows.map(([key, label, text, note]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = label;
    tr.appendChild(th);
    const td = textCell(tr, text);
    td.dataset.key = key;
    td.dataset.value = String(c[key]);
    textCell(tr, note, 'note');
    return tr;
  }));
  const ok = exact ? c.kktResidual <= EXACT && c.dualityGap <= EXACT : c.suboptimality <= TOLERANCE;
  $('verdict').dataset.ok = String(ok);
  $('verdict').textContent = exact
    ? (ok ? `optimal: KKT residual and duality gap ≤ ${EXACT.toExponential(0)}` : 'the certificate does not meet 1e-9')
    : (ok ? `optimal to within ${sci(c.suboptimality)} (tolerance ${TOLERANCE.toExponential(0)}), proved by ${c.nodes} node${c.nodes === 1 ? '' : 's'}`
      : `within ${sci(c.suboptimality)} of the proven bound (tolerance ${TOLERANCE.toExponential(0)} not reached)`);
}

// ---------------------------------------------------------------------------------------------
// The chart: each channel's curve, its allowed window, today's spend and the optimum

function drawCurves(channels, a) {
  const n = source.channels.length;
  const cols = Math.min(4, n);
  const panels = Math.ceil(n / cols);
  const W = 1160;
  const PW = Math.floor(W / cols), PH = 270, H = PH * panels + 30;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  el('title', {}, svg, 'Response per week against spend per week per channel, with today\'s spend, the allowed window and the optimum');
  let lx = 60;
  for (const [kind, label] of [['dot', 'optimum'], ['tangent', 'marginal return at the optimum'], ['today', 'today\'s spend'], ['window', 'allowed by min / max / max change / lock']]) {
    if (kind === 'dot') el('circle', { cx: lx + 8, cy: 14, r: 4, fill: '#1d2430' }, svg);
    else if (kind === 'window') el('rect', { x: lx, y: 8, width: 16, height: 12, class: 'window' }, svg);
    else el('line', { x1: lx, x2: lx + 16, y1: 14, y2: 14, class: kind }, svg);
    el('text', { x: lx + 21, y: 18, class: 'label' }, svg, label);
    lx += 34 + label.length * 6.4;
  }
  source.channels.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    const r = a?.rows[i];
    const g = el('g', { transform: `translate(${(i % cols) * PW} ${Math.floor(i / cols) * PH + 30})`, class: 'panel', 'data-channel': c.name }, svg);
    const box = { left: 54, right: 14, top: 26, bottom: 40 };
    // the axis grows (never shrinks while the page is on one source) to hold the optimum
    const want = niceCeil(Math.max(c.base, r ? 1.08 * r.spend : 0, c.axis ?? 0));
    if (want !== c.axis) {
      c.axis = want;
      c.grid = Array.from({ length: 121 }, (_, k) => (want * k) / 120);
      c.values = c.sat.value(c.grid);
    }
    const xmax = c.axis;
    const ymax = niceCeil(Math.max(...c.values) * 1.04);
    const X = (x) => box.left + ((PW - box.left - box.right) * Math.min(x, xmax)) / xmax;
    const Y = (y) => box.top + (PH - box.top - box.bottom) * (1 - y / ymax);
    const ys = niceStep(ymax, 4);
    for (let y = 0; y <= ymax + ys / 2; y += ys) {
      el('line', { class: 'grid', x1: box.left, x2: PW - box.right, y1: Y(y), y2: Y(y) }, g);
      el('text', { x: box.left - 6, y: Y(y) + 4, 'text-anchor': 'end' }, g, compact(y));
    }
    const xs = niceStep(xmax, 4);
    for (let x = 0; x <= xmax + xs / 2; x += xs) el('text', { x: X(x), y: PH - box.bottom + 15, 'text-anchor': 'middle' }, g, compact(x));
    el('text', { x: (box.left + PW - box.right) / 2, y: PH - 8, 'text-anchor': 'middle' }, g, 'spend per week');
    const [lo, hi] = windowOf(channels[i]);
    if (lo > 0 || hi < Infinity) {
      const x0 = X(lo);
      el('rect', { class: 'window', x: x0, y: box.top, width: Math.max(X(Math.min(hi, xmax)) - x0, 1.5), height: Y(0) - box.top, 'data-lo': String(lo), 'data-hi': String(hi) }, g);
    }
    el('line', { class: 'axis', x1: box.left, x2: PW - box.right, y1: Y(0), y2: Y(0) }, g);
    el('path', { d: path(c.grid.map((x, k) => [X(x), Y(c.values[k])])), fill: 'none', stroke: color, 'stroke-width': 2, class: 'curve', 'data-channel': c.name }, g);
    el('line', { class: 'today', x1: X(c.current), x2: X(c.current), y1: box.top, y2: Y(0), 'data-value': String(c.current) }, g);
    el('circle', { cx: X(c.current), cy: Y(c.todayResponse), r: 3.5, fill: '#fff', stroke: '#9aa3b2', 'stroke-width': 1.5, class: 'today-point' }, g);
    const label = el('text', { x: box.left, y: 14, class: 'label' }, g, c.name);
    label.setAttribute('fill', color);
    if (!r) return;
    label.textContent = `${c.name}: ${compact(r.spend)}/wk → ${compact(r.response)}/wk`;
    // the tangent: slope = the marginal return, over a fifth of the axis either side
    const dx = xmax / 5;
    const t0 = Math.max(0, r.spend - dx);
    const t1 = Math.min(xmax, r.spend + dx);
    el('line', { class: 'tangent', x1: X(t0), x2: X(t1), y1: Y(r.response + r.marginal * (t0 - r.spend)), y2: Y(r.response + r.marginal * (t1 - r.spend)) }, g);
    el('line', { class: 'drop', x1: X(r.spend), x2: X(r.spend), y1: Y(r.response), y2: Y(0), stroke: color }, g);
    const dot = el('circle', {
      cx: X(r.spend), cy: Y(r.response), r: 5, fill: color, stroke: '#1d2430', 'stroke-width': 1.5, class: 'optimum',
      'data-channel': c.name, 'data-spend': String(r.spend), 'data-response': String(r.response), 'data-bound': r.bound,
    }, g);
    el('title', {}, dot, `${c.name}: ${money(r.spend)} a week -> ${money(r.response)} a week; the next $1 returns ${fmt(r.marginal, 3)}; held by ${BOUNDS[r.bound] ?? r.bound}`);
  });
  $('curves').replaceChildren(svg);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function start(kind) {
  try {
    useSource(kind);
  } catch (e) {
    clearResults();
    $('alloc').dataset.state = 'error';
    setStatus('error', errorText(e));
    return;
  }
  solve();
}

$('source').addEventListener('change', () => start($('source').value));
$('scenario').addEventListener('change', () => {
  setTarget();
  schedule();
});
for (const id of ['budget', 'target', 'maxChange', 'spendAll']) $(id).addEventListener('input', schedule);
$('constraints').addEventListener('input', schedule);
$('constraints').addEventListener('change', schedule);

await boot(init, async () => {
  setStatus('running', 'Fitting the media mix example...');
  await new Promise((r) => setTimeout(r, 0)); // let the status paint before the fit
  start($('source').value);
});
