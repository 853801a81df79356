// The README example, kept between the START/END markers; README.md must show it verbatim.
// It runs at this module's top level (an ES module, so `import` and top-level `await` work as
// they do for a reader); `console` is shadowed to capture what it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const logged = [];
const console = { log: (...args) => logged.push(args.join(' ')) };

// START: readme-node
import { attribution } from 'channelwise';

const table = {
  path: ['search > display', 'email', 'search > email', 'display'],
  conversions: [30, 10, 25, 0],
  nulls: [70, 90, 25, 100],
  value: [3000, 800, 2600, 0],
};
const credit = attribution.markov(table, { order: 1 });
console.log(credit.map((r) => `${r.channel}: ${r.conversions.toFixed(1)}`).join(', '));
// search: 18.9, display: 21.3, email: 24.8
const asRows = table.path.map((path, i) => ({ path, conversions: table.conversions[i], nulls: table.nulls[i], value: table.value[i] }));
const sameCredit = attribution.markov(asRows, { order: 1 }); // a table may come as rows too: equal to credit
const withCi = await attribution.markovAsync(table, { ci: { replicates: 200, seed: 1 } });
console.log(withCi[0].conversionsLo <= withCi[0].conversions); // true
// END: readme-node

// START: readme-node-forecast
import { forecast, anomaly } from 'channelwise';

const week = [1.1, 1.05, 1, 1, 0.95, 0.85, 0.9];
const y = Float64Array.from({ length: 364 }, (_, t) => 200 * week[t % 7] * (1 + t / 1000) + 5 * Math.sin(t));
y[300] *= 0.3; // a tracking outage
const model = await new forecast.AutoEts({ seasonLength: 7 }).fitAsync(y); // off the main thread
const { mean, intervals } = model.predict(28, { level: [80, 95] });
console.log(model.model, mean[0].toFixed(1), intervals[1].lower[0].toFixed(1), intervals[1].upper[0].toFixed(1));
for (const a of model.alerts({ level: 99 })) console.log(a.reason); // observed 61.6 is below ...
const { seasonalStrength } = forecast.stl(y, { period: 7, robust: true });
const esd = anomaly.seasonalEsd(y, { period: 7, maxAnoms: 0.02 });
const rows = Array.from(y, (v, t) => [v, week[t % 7]]);
const forest = new anomaly.IsolationForest({ contamination: 0.01, seed: 0 }).fit(rows);
const flagged = forest.predict(rows).reduce((out, p, i) => (p < 0 ? [...out, i] : out), []);
// END: readme-node-forecast

// START: readme-js-travel
import { attribution as cwa } from 'channelwise';

// A fitted model travels as JSON: the document Python's to_json() writes and from_json() reads.
const chain = new cwa.Markov({ order: 2 }).fit(table);
const text = JSON.stringify(chain); // toJSON(); store it, send it, load it in a notebook
const again = cwa.FittedMarkov.fromJSON(text); // or a document written by Python
console.log(again.credit()[0].conversions === chain.credit()[0].conversions); // true

// Long work reports progress and can be cancelled (in the browser it runs in a Web Worker).
const controller = new AbortController(); // controller.abort() rejects with code 'cancelled'
const long = await cwa.markovAsync(table, {
  ci: { replicates: 2000, seed: 1 },
  onProgress: ({ done, total, stage }) => console.log(`${done} of ${total} ${stage}`),
  signal: controller.signal,
});
// END: readme-js-travel

// START: readme-js-mmm
import { optimize } from 'channelwise';

// Two years of weekly sales and spend per channel (number[] or Float64Array).
const tv = Array.from({ length: 104 }, (_, t) => 100 * Math.sin(t * 0.7) ** 2);
const search = Array.from({ length: 104 }, (_, t) => 20 + ((t * 7) % 11));
const sales = tv.map((x, t) => 1000 + (300 * x) / (80 + x) + 2 * search[t] + 20 * Math.sin((2 * Math.PI * t) / 52));

const mmm = new optimize.MMM({ lMax: 4, yearlySeasonality: 1, seed: 1 }); // Laplace intervals
const fit = await mmm.fitAsync({ target: sales, channels: { tv, search } }, {
  onProgress: ({ done, total }) => {}, // optimiser starts (and bootstrap replicates) done
});
for (const r of fit.summary()) {
  const pct = (v) => `${(100 * v).toFixed(0)}%`;
  console.log(`${r.channel}: ${pct(r.share)} [${pct(r.shareLo)}, ${pct(r.shareHi)}], ROAS ${r.roas.toFixed(2)}, marginal ${r.mroas.toFixed(2)}`);
}
// tv: 61% [57%, 69%], ROAS 1.92, marginal 0.99      (the truth: 66%, ROAS 2.00)
// search: 39% [31%, 43%], ROAS 2.47, marginal 2.04
const curve = fit.steadyStateCurve('tv'); // a Saturation of weekly spend, for budgeting
console.log(curve.inverseMarginal(0.5)[0].toFixed(0)); // 97: weekly TV spend where a dollar returns 0.5
const stored = optimize.FittedMMM.fromJSON(JSON.stringify(fit)); // the same model, no refit
// END: readme-js-mmm

// START: readme-js-allocate
// Next week's budget over the model's steady-state curves (current spend: the mean per week),
// each channel at most 20% from today's spend
const plan = optimize.allocate(fit, { budget: 80, maxChange: { relative: 0.2 } });
for (const r of plan.rows) console.log(`${r.channel}: ${r.spend.toFixed(1)} (${r.bound}), next dollar returns ${r.marginal.toFixed(2)}`);
// tv: 50.0 (interior), next dollar returns 1.58
// search: 30.0 (maxChangeUp), next dollar returns 1.85
console.log(plan.certificate.method, plan.certificate.kktResidual < 1e-9); // water-filling true
// Or curves given one by one (an optimize.Saturation or a plain object), with bounds
const curves = [
  { name: 'tv', curve: { kind: 'logistic', lam: 0.01, beta: 400 }, upper: 300 },
  { name: 'search', curve: new optimize.Saturation({ kind: 'hill', slope: 1, kappa: 150, beta: 300 }) },
  { name: 'social', curve: { kind: 'michaelis_menten', alpha: 150, lam: 80 }, lower: 10 },
];
const target = optimize.allocate(curves, { scenario: { kind: 'targetRoas', value: 1.5 } }); // the most spend at ROAS 1.5
// END: readme-js-allocate

// lifetimes' CDNOW sample (2,357 customers, weeks), from the shared CLV vectors
const vector = (name) => JSON.parse(readFileSync(new URL(`../../tests/vectors/clv/${name}.json`, import.meta.url), 'utf8'));
const cdnow = { ...vector('bg_nbd_fit_cdnow').input, monetaryValue: vector('gamma_gamma_fit_cdnow').input.monetary_value };

// START: readme-js-clv
import { clv } from 'channelwise';

// cdnow: columns { frequency, recency, T, monetaryValue }, one entry per customer
const { frequency, recency, T, monetaryValue } = cdnow;
const bgf = new clv.BetaGeo().fit({ frequency, recency, T });
console.log(Object.entries(bgf.params).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '));
// r 0.2426, alpha 4.4135, a 0.7929, b 2.4258
const alive = bgf.pAlive({ frequency, recency, T }); // Float64Array: P(alive) of each customer
const nextQuarter = bgf.expectedPurchases(13, { frequency, recency, T });
const repeat = frequency.flatMap((f, i) => (f > 0 ? [i] : []));
const buyers = Object.fromEntries(Object.entries(cdnow).map(([k, col]) => [k, repeat.map((i) => col[i])]));
const ggf = new clv.GammaGamma().fit({ frequency: buyers.frequency, monetaryValue: buyers.monetaryValue });
const value = ggf.clv(bgf, buyers, { months: 12, discountRate: 0.01, freq: 'W' }); // 12-month CLV
// END: readme-js-clv

// An incoming Shopify orders/create webhook, as a Node server receives it (signed here with the
// app's secret, as Shopify would)
import { platform as cwp } from 'channelwise';

const SHOPIFY_SECRET = 'shpss_example_secret';
const incoming = Buffer.from('{"id":820982911946154508,"email":" Jon@Example.com","phone":"+1 (650) 555-1212","total_price":"598.94"}');
const headers = { 'x-shopify-hmac-sha256': cwp.signWebhook({ scheme: 'shopify', secret: SHOPIFY_SECRET, body: incoming }) };

// START: readme-js-platform
import { platform } from 'channelwise';

// Verify the raw body before parsing it (Express: express.raw({ type: 'application/json' }))
function onOrder(rawBody, headers) {
  const ok = platform.verifyWebhook({
    scheme: 'shopify', // or 'meta' (X-Hub-Signature-256), 'timestamped' (t=...,v1=..., Stripe-style)
    secret: SHOPIFY_SECRET,
    body: rawBody, // the Buffer exactly as received: a re-serialised body fails
    header: headers['x-shopify-hmac-sha256'],
  });
  if (!ok) return { status: 401 };
  const order = JSON.parse(rawBody.toString('utf8'));
  // Customer data for Meta's Conversions API: normalised as Meta documents it, then SHA-256
  const userData = platform.hashUserData({ em: order.email, ph: order.phone }, { vendor: 'meta' });
  return { status: 200, userData }; // { em: '<64 hex>', ph: '<64 hex>' }, never the raw values
}
const answer = onOrder(incoming, headers);
console.log(answer.status, platform.normalize('ph', '+1 (650) 555-1212')); // 200 16505551212
const tampered = Buffer.from(incoming.toString().replace('598.94', '0.01'));
console.log(onOrder(tampered, headers).status); // 401
// END: readme-js-platform

test('README forecasting example finds the outage', () => {
  assert.ok(mean.length === 28 && intervals.length === 2);
  assert.ok(logged.some((l) => /^observed .* below the 99% interval/.test(l)), logged.join('\n'));
  assert.ok(seasonalStrength > 0.5);
  assert.ok(Array.from(esd.anomalies, (a) => a.index).includes(300));
  assert.ok(flagged.includes(300), `flagged ${flagged}`);
});

test('README JSON and progress example: same credit back, progress up to 2000 replicates', () => {
  assert.ok(logged.includes('true'));
  assert.ok(logged.includes('2000 of 2000 replicates'), logged.join('\n'));
  assert.equal(long.length, 3);
});

test('README media mix example: shares add up, the stored model predicts the same', () => {
  const rows = fit.summary();
  assert.ok(Math.abs(rows[0].share + rows[1].share - 1) < 1e-12);
  assert.ok(rows.every((r) => r.shareLo <= r.shareHi));
  assert.deepEqual(stored.contributions(), fit.contributions());
  assert.ok(logged.includes('tv: 61% [57%, 69%], ROAS 1.92, marginal 0.99'), logged.join('\n'));
  assert.ok(logged.includes('search: 39% [31%, 43%], ROAS 2.47, marginal 2.04'), logged.join('\n'));
  assert.ok(logged.includes('97'), logged.join('\n'));
  assert.ok(curve instanceof optimize.Saturation);
});

test('README allocation example: the budget spent within 20% of today, a certificate, the ROAS target met', () => {
  assert.ok(Math.abs(plan.totalSpend - 80) < 1e-9);
  const today = fit.budgetChannels();
  plan.rows.forEach((r, i) => assert.ok(Math.abs(r.spend - today[i].current) <= 0.2 * today[i].current * (1 + 1e-12)));
  assert.ok(logged.includes('tv: 50.0 (interior), next dollar returns 1.58'), logged.join('\n'));
  assert.ok(logged.includes('search: 30.0 (maxChangeUp), next dollar returns 1.85'), logged.join('\n'));
  assert.ok(logged.includes('water-filling true'), logged.join('\n'));
  assert.ok(Math.abs(target.totalResponse / target.totalSpend - 1.5) < 1e-9);
  assert.ok(target.rows[0].spend <= 300 && target.rows[2].spend >= 10);
});

test('README CLV example: the exact CDNOW estimates, P(alive) in (0, 1], a positive value per buyer', () => {
  assert.ok(logged.includes('r 0.2426, alpha 4.4135, a 0.7929, b 2.4258'), logged.join('\n'));
  const want = vector('bg_nbd_fit_cdnow').expected;
  for (const k of ['r', 'alpha', 'a', 'b']) assert.ok(Math.abs(bgf.params[k] / want[k] - 1) < 1e-6, k);
  assert.equal(alive.length, cdnow.frequency.length);
  assert.ok(alive.every((p) => p > 0 && p <= 1));
  assert.ok(nextQuarter.every((x) => x >= 0));
  assert.equal(value.length, repeat.length);
  assert.ok(value.every((v) => v > 0));
  assert.ok(Math.abs(ggf.params.p / vector('gamma_gamma_fit_cdnow').expected.p - 1) < 1e-6);
});

test('README platform example: a genuine body passes, a tampered one does not, PII hashed', () => {
  assert.ok(logged.includes('200 16505551212'), logged.join('\n'));
  assert.ok(logged.includes('401'), logged.join('\n'));
  assert.equal(answer.userData.em, cwp.hash('em', 'jon@example.com'));
  assert.equal(answer.userData.ph, cwp.hash('ph', '16505551212'));
  assert.ok(Object.values(answer.userData).every((h) => /^[0-9a-f]{64}$/.test(h)));
});

test('README example prints the credit', () => {
  assert.deepEqual(logged.slice(0, 2), ['search: 18.9, display: 21.3, email: 24.8', 'true']);
  assert.deepEqual(sameCredit, credit);
});

test('README.md shows the example verbatim', () => {
  const self = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const snippet = self.split('// START: readme-node\n')[1].split('// END: readme-node')[0].trimEnd();
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(snippet), `README.md lacks the example:\n${snippet}`);
});
