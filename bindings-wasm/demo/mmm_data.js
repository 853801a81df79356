// The media mix page's data, without the DOM: a CSV reader, the seeded example data set, the
// default role of each column, and the `MMMData` the binding fits (cells kept as the binding
// should see them, so that its errors name the field: `data.channels.tv[3] must be finite`).

import { codedError } from './common.js';

/** A seeded uniform in [0, 1) (a 32-bit LCG: the same data in every browser). */
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The example: `weeks` weekly rows from 2023-01-01 with TV (flighted bursts, long carry-over),
 * search (always on, seasonal) and social (short flights), a promo flag as a control, and sales
 * built from a base, a trend, a yearly wave, each channel's geometric adstock and logistic
 * saturation, the promo lift and Gaussian noise. Returns the CSV text.
 */
export function exampleCsv(weeks = 104, seed = 42) {
  const u = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  // flighting: runs of weeks on and off, with a level drawn per run
  const flights = (onWeeks, offWeeks, level) => {
    const x = new Array(weeks).fill(0);
    let t = Math.floor(u() * offWeeks[1]);
    while (t < weeks) {
      const on = onWeeks[0] + Math.floor(u() * (onWeeks[1] - onWeeks[0] + 1));
      const amount = level[0] + u() * (level[1] - level[0]);
      for (let k = 0; k < on && t < weeks; k += 1, t += 1) x[t] = Math.round(amount * (0.85 + 0.3 * u()));
      t += offWeeks[0] + Math.floor(u() * (offWeeks[1] - offWeeks[0] + 1));
    }
    return x;
  };
  const season = (t) => Math.sin((2 * Math.PI * t) / 52.1775);
  const tv = flights([3, 8], [2, 6], [9000, 16000]);
  const search = Array.from({ length: weeks }, (_, t) => Math.round(3000 + 900 * season(t + 6) + 600 * u()));
  const social = flights([2, 4], [1, 5], [2500, 6000]);
  const promo = Array.from({ length: weeks }, () => (u() < 0.12 ? 1 : 0));
  const effect = (x, alpha, lam, beta, lMax = 8) => {
    const w = Array.from({ length: lMax }, (_, l) => alpha ** l);
    const sw = w.reduce((a, b) => a + b, 0);
    const max = Math.max(...x);
    return x.map((_, t) => {
      let a = 0;
      for (let l = 0; l < lMax && l <= t; l += 1) a += (w[l] / sw) * (x[t - l] / max);
      const e = Math.exp(-lam * a);
      return (beta * (1 - e)) / (1 + e);
    });
  };
  const ctv = effect(tv, 0.6, 4, 26000);
  const csearch = effect(search, 0.2, 2, 14000);
  const csocial = effect(social, 0.35, 3, 9000);
  const lines = ['date,tv,search,social,promo,sales'];
  for (let t = 0; t < weeks; t += 1) {
    const date = new Date(Date.UTC(2023, 0, 1 + 7 * t)).toISOString().slice(0, 10);
    const sales = 60000 + 45 * t + 5000 * season(t) + 1500 * Math.cos((4 * Math.PI * t) / 52.1775)
      + ctv[t] + csearch[t] + csocial[t] + 4000 * promo[t] + 1200 * normal();
    lines.push([date, tv[t], search[t], social[t], promo[t], Math.round(sales)].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Reads CSV text (RFC 4180 quoting; comma, semicolon or tab, whichever the header line uses):
 * `{ header, rows, lines }`, `lines[i]` the 1-based line of data row `i`. Blank lines are
 * skipped; a row with another number of fields than the header is `invalid_record`.
 */
export function parseCsv(text) {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length]);
  const delim = counts.sort((a, b) => b[1] - a[1])[0][0];
  const records = [];
  let field = '';
  let record = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0].trim() !== '') records.push({ fields: record, line: start });
    record = [];
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delim) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      start = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw codedError('invalid_record', `line ${start}: a quoted field is never closed`);
  if (field !== '' || record.length > 0) endRecord();
  if (records.length === 0) throw codedError('invalid_record', 'the CSV is empty: give a header line and one row per period');
  const header = records[0].fields.map((h) => h.trim());
  header.forEach((h, j) => {
    if (h === '') throw codedError('invalid_record', `line ${records[0].line}: column ${j + 1} has no name`);
    const k = header.indexOf(h);
    if (k !== j) throw codedError('invalid_record', `line ${records[0].line}: column "${h}" appears twice (columns ${k + 1} and ${j + 1})`);
  });
  if (header.length < 2) {
    throw codedError('invalid_record', `line ${records[0].line}: the header has ${header.length} column; give a date or outcome column and one per channel`);
  }
  const body = records.slice(1);
  for (const r of body) {
    if (r.fields.length !== header.length) {
      throw codedError('invalid_record', `line ${r.line}: ${r.fields.length} fields, the header has ${header.length} (${header.join(', ')})`);
    }
  }
  return { header, rows: body.map((r) => r.fields.map((f) => f.trim())), lines: body.map((r) => r.line) };
}

const numeric = (s) => s !== '' && Number.isFinite(Number(s));
const OUTCOME_EXACT = /^(sales|revenue|y|conversions?|target|outcome|kpi|orders|signups)$/i;
const OUTCOME_LIKE = /sales|revenue|conversion|orders|signups|outcome|target|kpi/i;
const CONTROL_LIKE = /price|promo|holiday|event|discount|competit|temperature|weather|control|covid/i;
export const ROLES = ['date', 'outcome', 'channel', 'control', 'ignore'];

/**
 * The default role of each column: the first column is the date (unless all its cells are
 * numbers and its name is not date-like), the outcome is a column named like sales / revenue /
 * y / conversions (else the first numeric column), columns named like price or promo are
 * controls, the other numeric columns channels, the rest ignored.
 */
export function defaultRoles({ header, rows }) {
  const isNumeric = header.map((_, j) => rows.length > 0 && rows.every((r) => numeric(r[j])));
  const roles = header.map(() => 'ignore');
  if (!isNumeric[0] || /date|week|day|period|time/i.test(header[0])) roles[0] = 'date';
  const free = (j) => roles[j] === 'ignore';
  let outcome = header.findIndex((h, j) => free(j) && OUTCOME_EXACT.test(h));
  if (outcome < 0) outcome = header.findIndex((h, j) => free(j) && OUTCOME_LIKE.test(h));
  if (outcome < 0) outcome = header.findIndex((_, j) => free(j) && isNumeric[j]);
  if (outcome >= 0) roles[outcome] = 'outcome';
  header.forEach((h, j) => {
    if (free(j) && isNumeric[j]) roles[j] = CONTROL_LIKE.test(h) ? 'control' : 'channel';
  });
  return roles;
}

/** A cell as the binding should see it: a number, NaN / ±Infinity, or the text itself. */
function cellValue(s) {
  if (s === '' || /^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  const x = Number(s);
  return Number.isFinite(x) ? x : s;
}

/**
 * The `MMMData` of the table under `roles`, and the row labels (the dates, else 1, 2, ...).
 * Dates go as ISO strings when every cell is `YYYY-MM-DD`, else as day numbers when every cell
 * parses as a date, else as they are (the binding then names the first bad one).
 */
export function buildData({ header, rows }, roles) {
  const pick = (role) => header.filter((_, j) => roles[j] === role);
  const outcomes = pick('outcome');
  if (outcomes.length !== 1) {
    throw codedError('invalid_parameter', `choose exactly one outcome column (now ${outcomes.length === 0 ? 'none' : outcomes.join(', ')})`);
  }
  const dates = pick('date');
  if (dates.length > 1) throw codedError('invalid_parameter', `choose at most one date column (now ${dates.join(', ')})`);
  if (pick('channel').length === 0) throw codedError('invalid_parameter', 'choose at least one channel column');
  const col = (name) => rows.map((r) => cellValue(r[header.indexOf(name)]));
  const group = (role) => Object.fromEntries(pick(role).map((name) => [name, col(name)]));
  const data = { target: col(outcomes[0]), channels: group('channel') };
  if (pick('control').length > 0) data.controls = group('control');
  let labels = rows.map((_, i) => String(i + 1));
  if (dates.length === 1) {
    const raw = rows.map((r) => r[header.indexOf(dates[0])]);
    if (raw.every((s) => /^\d{4}-\d{2}-\d{2}$/.test(s))) {
      data.days = raw;
    } else {
      const ms = raw.map((s) => Date.parse(s));
      data.days = ms.every(Number.isFinite) ? ms.map((m) => Math.round(m / 864e5)) : raw;
    }
    labels = raw;
  }
  return { data, labels, outcome: outcomes[0] };
}

/**
 * Where a binding message's field sits in the CSV: ` (CSV line 7, column "tv")` for
 * `data.channels.tv[5]`, '' when the message names no cell.
 */
export function csvPlace(message, { header, lines }, roles) {
  const m = /data\.(?:(channels|controls)\.(.+?)|(target)|(days))\[(\d+)\]/.exec(message ?? '');
  if (!m) return '';
  const role = { channels: 'channel', controls: 'control', target: 'outcome', days: 'date' }[m[1] ?? m[3] ?? m[4]];
  const name = m[2] ?? header.find((_, j) => roles[j] === role);
  const line = lines[Number(m[5])];
  return line === undefined || name === undefined ? '' : ` (CSV line ${line}, column "${name}")`;
}
