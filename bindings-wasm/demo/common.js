// Helpers shared by the demo pages (attribution, forecast, media mix): element lookup, number
// formatting, the status line, inline-SVG elements, axis steps and table cells.

export const $ = (id) => document.getElementById(id);
export const SVG = 'http://www.w3.org/2000/svg';

/** `x` with `digits` decimals and thousands separators (non-finite numbers as themselves). */
export const fmt = (x, digits = 2) => (Number.isFinite(x)
  ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  : String(x));

/** Sets the `#status` line: `state` goes to its data-state (the e2e test waits on it). */
export function setStatus(state, text) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = text;
}

/** The text of an error for the status line: `code: message` for the binding's coded errors. */
export const errorText = (e) => (e?.code ? `${e.code}: ${e.message}` : String(e));

/** An Error with a `code`, like the binding's. */
export function codedError(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

/** An SVG element `name` with `attrs`, appended to `parent`, holding `text`. */
export function el(name, attrs = {}, parent = null, text = null) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

/** A round axis step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` ticks over `span`. */
export function niceStep(span, ticks = 6) {
  const raw = span / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/** An SVG path through `[x, y]` points. */
export const path = (pts) => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`).join('');

/** A number cell: the text at `digits`, the full precision in data-value, `attrs` as data-*. */
export function numCell(tr, x, attrs, digits = 2) {
  const td = document.createElement('td');
  td.textContent = fmt(x, digits);
  td.dataset.value = String(x);
  for (const [k, v] of Object.entries(attrs)) td.dataset[k] = v;
  tr.appendChild(td);
  return td;
}

/** A text cell with an optional class. */
export function textCell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

/** Reads the file chosen in `input` into `textarea`, then calls `then`. */
export function onUpload(input, textarea, then) {
  input.addEventListener('change', async (ev) => {
    const f = ev.target.files?.[0];
    if (!f) return;
    textarea.value = await f.text();
    then();
  });
}

/** Loads the WebAssembly module with `init`, then calls `start`; a failure goes to the status line. */
export async function boot(init, start) {
  try {
    await init();
  } catch (e) {
    setStatus('error', `could not load the WebAssembly module: ${e.message}`);
    return;
  }
  await start();
}
