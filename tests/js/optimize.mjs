// optimize.* shared by the Node binding and the WebAssembly build: response curves and adstock,
// and a media mix model fitted to a small seeded synthetic data set (two channels with known
// carry-over and saturation): shares, contributions that add up to the fit, toJSON / fromJSON,
// fitAsync with progress and cancellation, and bad input named by its field; budget allocation
// (optimize.allocate) over the fitted model and over curves given one by one: water-filling by
// hand, bounds, move limits and locks, every scenario, S-curves, and infeasible budgets.

import { test } from 'node:test';
import assert from 'node:assert/strict';

/** A seeded uniform in [0, 1) (a 32-bit LCG: the same data in every engine). */
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Weekly rows: TV (heavy carry-over) and search (little), each adstocked and saturated by the
 * binding's own curves, plus a base, a trend, a yearly wave and noise.
 */
export function synthetic(optimize, n = 80, seed = 7) {
  const u = uniform(seed);
  const tv = Float64Array.from({ length: n }, () => 100 * u());
  const search = Array.from({ length: n }, (_, t) => 20 + 15 * Math.abs(Math.sin(t / 5)) + 10 * u());
  const part = (x, adstock, curve) => {
    const max = Math.max(...x);
    return curve.value(new optimize.Adstock(adstock).apply(Array.from(x, (v) => v / max)));
  };
  const ctv = part(tv, { kind: 'geometric', alpha: 0.6, lMax: 6 }, new optimize.Saturation({ kind: 'logistic', lam: 2, beta: 40 }));
  const cs = part(search, { kind: 'geometric', alpha: 0.2, lMax: 6 }, new optimize.Saturation({ kind: 'logistic', lam: 3, beta: 25 }));
  const target = Array.from({ length: n }, (_, t) => 100 + 0.05 * t + 8 * Math.sin((2 * Math.PI * t) / 52.1775) + ctv[t] + cs[t] + 2 * (u() - 0.5));
  return { target, channels: { tv, search } };
}

/**
 * Registers the tests.
 * @param {{ optimize: object, glm?: object }} api the binding
 * @param {string} name `'node'` or `'wasm'`, for test titles
 */
export function runOptimize({ optimize, glm }, name) {
  const { Saturation, Adstock, MMM, FittedMMM } = optimize;

  const coded = (fn, code, pattern) => assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
  const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

  test(`[${name}] Saturation: values, marginals and their inverse, from numbers and arrays`, () => {
    const s = new Saturation({ kind: 'hill', slope: 2, kappa: 100, beta: 50 });
    assert.deepEqual([...s.value([0, 100])], [0, 25]);
    assert.ok(s.value(100) instanceof Float64Array);
    assert.deepEqual(s.value(100), s.value(new Float64Array([100])));
    assert.equal(s.kind, 'hill');
    assert.deepEqual(s.params, { slope: 2, kappa: 100, beta: 50 });
    assert.deepEqual(s.spec, { kind: 'hill', slope: 2, kappa: 100, beta: 50 });
    assert.ok(s.isSShaped);
    near(s.inflection, 100 * Math.sqrt(1 / 3), 1e-12, 'inflection');
    const x = [80, 150, 400];
    const back = s.inverseMarginal(s.derivative(x));
    x.forEach((v, i) => near(back[i], v, 1e-8, `inverseMarginal(derivative(${v}))`));
    assert.deepEqual([...s.inverseMarginal([0, 1e9])], [Infinity, 0]);
    const log = new Saturation({ kind: 'michaelis_menten', alpha: 10, lam: 5 });
    assert.equal(log.isSShaped, false);
    assert.equal(log.inflection, 0);
    assert.deepEqual(new Saturation(log.spec).value(x), log.value(x));
    // Robyn's Hill: kappa = (1 - gamma) min + gamma max, beta 1
    const r = Saturation.robynHill(2, 0.5, [0, 10, 4]);
    assert.ok(r instanceof Saturation);
    assert.deepEqual(r.spec, { kind: 'hill', slope: 2, kappa: 5, beta: 1 });
  });

  test(`[${name}] Adstock: weights, carry-over from before the window, gain, defaults`, () => {
    const a = new Adstock({ kind: 'geometric', alpha: 0.5, lMax: 3, normalize: false });
    assert.deepEqual([...a.weights()], [1, 0.5, 0.25]);
    assert.deepEqual([...a.apply([0, 0, 0], [8])], [4, 2, 0]);
    assert.deepEqual(a.apply([1, 2, 3]), a.apply(new Float64Array([1, 2, 3]), null));
    assert.equal(a.gain, 1.75);
    assert.deepEqual(a.spec, { kind: 'geometric', alpha: 0.5, lMax: 3, normalize: false });
    const d = new Adstock({ kind: 'delayed', alpha: 0.6, theta: 1.5 });
    assert.equal(d.lMax, 8);
    assert.equal(d.normalize, true);
    assert.deepEqual(d.params, { alpha: 0.6, theta: 1.5 });
    near(d.gain, 1, 1e-12, 'normalised gain');
  });

  test(`[${name}] curves: bad input is coded and names the field`, () => {
    coded(() => new Saturation({ kind: 'gompertz', beta: 1 }), 'invalid_parameter', /options\.kind.*logistic, hill/);
    coded(() => new Saturation({ kind: 'hill', slope: 2, kapa: 1, beta: 1 }), 'invalid_parameter', /^invalid options\.kapa: .*unknown option; expected one of kind, slope, kappa, beta/);
    coded(() => new Saturation({ kind: 'hill', slope: 2, beta: 1 }), 'invalid_parameter', /options\.kappa.*required/);
    coded(() => new Saturation({ kind: 'hill', slope: 2, kappa: -1, beta: 1 }), 'out_of_range', /^options\.kappa must be in/);
    coded(() => new Saturation({ kind: 'hill', slope: 2, kappa: NaN, beta: 1 }), 'non_finite', /^options\.kappa must be finite/);
    coded(() => new Saturation({ kind: 'logistic', lam: '1', beta: 1 }), 'invalid_parameter', /options\.lam/);
    coded(() => new Saturation(), 'invalid_parameter', /options/);
    coded(() => Saturation.robynHill(0, 0.5, [1, 2]), 'out_of_range', /^alpha must be in/);
    const s = new Saturation({ kind: 'tanh', b: 1, c: 0.5 });
    coded(() => s.value([1, -1]), 'out_of_range', /^x\[1\]/);
    coded(() => s.value([1, NaN]), 'non_finite', /^x\[1\]/);
    coded(() => s.value('1'), 'invalid_parameter', /x/);
    coded(() => new Adstock({ kind: 'geometric', alpha: 0.5, lMax: 0 }), 'out_of_range', /^options\.lMax must be in/);
    coded(() => new Adstock({ kind: 'geometric', alpha: 1.5 }), 'out_of_range', /^options\.alpha must be in/);
    coded(() => new Adstock({ kind: 'geometric', alpha: 0.5, l_max: 4 }), 'invalid_parameter', /options\.l_max.*expected one of kind, alpha, lMax, normalize/);
    coded(() => new Adstock({ kind: 'geometric', alpha: 0.5 }).apply([1], [NaN]), 'non_finite', /^pre\[0\]/);
    // every lag weight zero (Weibull densities that all underflow; a delayed peak between lags at alpha 0)
    coded(() => new Adstock({ kind: 'weibull_pdf', lam: 1e-6, k: 50 }), 'invalid_parameter', /weibull_pdf\(lam=0\.000001, k=50\).*every lag weight is zero/);
    coded(() => new Adstock({ kind: 'delayed', alpha: 0, theta: 1.5, lMax: 4 }), 'invalid_parameter', /every lag weight is zero/);
  });

  const data = synthetic(optimize);
  const options = { lMax: 6, yearlySeasonality: 1, draws: 200, seed: 1 };
  const fit = new MMM(options).fit(data);

  test(`[${name}] MMM: shares in [0, 1] summing to 1, parts summing to the fit, curves`, () => {
    assert.ok(fit instanceof FittedMMM);
    assert.deepEqual(fit.channels, ['tv', 'search']);
    assert.deepEqual(fit.controls, []);
    const rows = fit.summary();
    assert.deepEqual(rows.map((r) => r.channel), ['tv', 'search']);
    let total = 0;
    for (const r of rows) {
      for (const k of ['share', 'shareLo', 'shareHi']) assert.ok(r[k] >= 0 && r[k] <= 1, `${r.channel} ${k} = ${r[k]}`);
      for (const k of ['contribution', 'share', 'roas', 'mroas']) assert.ok(r[`${k}Lo`] <= r[`${k}Hi`], `${r.channel} ${k} interval`);
      assert.equal(r.adstock.kind, 'geometric');
      assert.equal(r.saturation.kind, 'logistic');
      near(r.spend, Array.from(data.channels[r.channel]).reduce((a, b) => a + b, 0), 1e-12, 'spend');
      total += r.share;
    }
    near(total, 1, 1e-12, 'shares');
    const c = fit.contributions();
    assert.deepEqual(Object.keys(c.channels), ['tv', 'search']);
    c.fitted.forEach((f, t) => {
      const sum = c.intercept[t] + c.trend[t] + c.seasonality[t] + c.channels.tv[t] + c.channels.search[t];
      near(sum, f, 1e-12, `row ${t}`);
    });
    near(c.channels.tv.reduce((a, b) => a + b, 0), rows[0].contribution, 1e-9, 'tv contribution');
    const bands = fit.contributionBands(); // each channel's band in each row, from the draws
    assert.deepEqual(Object.keys(bands.lo), ['tv', 'search']);
    assert.ok(bands.lo.tv instanceof Float64Array && bands.hi.tv.length === c.channels.tv.length);
    assert.ok(bands.lo.tv.every((v, t) => v <= bands.hi.tv[t]));
    assert.ok(fit.diagnostics.r2 > 0.8, JSON.stringify(fit.diagnostics));
    assert.equal(fit.diagnostics.holdout, null);
    assert.equal(typeof fit.convergence.converged, 'boolean');
    assert.equal(fit.convergence.runs.length, 4);
    assert.ok(Array.isArray(fit.warnings));
    const params = fit.params();
    assert.deepEqual([params[0].name, params.at(-1).name], ['intercept', 'sigma']);
    assert.ok(params.some((p) => p.name === 'tv.adstock.alpha'));
    const grid = [0, 25, 50, 100];
    const curves = fit.responseCurves(grid);
    assert.deepEqual(curves.map((r) => r.channel), ['tv', 'search']);
    assert.deepEqual([...curves[0].spend], grid);
    const steady = fit.steadyStateCurve('tv');
    assert.ok(steady instanceof Saturation);
    steady.value(grid).forEach((v, i) => near(v, curves[0].response[i], 1e-9, `steady state at ${grid[i]}`));
    const h = fit.horizonResponse('search', new Array(40).fill(30));
    assert.equal(h.response.length, 40);
    assert.equal(h.draws.length, 200);
    near(h.response[39], fit.steadyStateCurve('search').value(30)[0], 1e-9, 'a long plan reaches the steady state');
    coded(() => fit.horizonResponse('radio', [1]), 'invalid_parameter', /radio/);
  });

  test(`[${name}] MMM: toJSON / fromJSON predict the same numbers, bit for bit`, () => {
    const doc = fit.toJSON();
    assert.deepEqual(Object.keys(doc), ['model', 'fitted']);
    assert.equal(doc.model, 'channelwise.optimize.FittedMMM');
    const text = JSON.stringify(fit);
    assert.equal(text, JSON.stringify(doc));
    const future = { channels: { tv: [50, 0, 80, 20], search: new Float64Array([30, 30, 10, 0]) } };
    // Python's document carries more keys (columns, kind, dates), which are ignored here
    const python = { ...JSON.parse(text), columns: { date: null, target: 'y' }, kind: 'pandas' };
    for (const again of [FittedMMM.fromJSON(doc), FittedMMM.fromJSON(text), FittedMMM.fromJSON(python)]) {
      assert.ok(again instanceof FittedMMM);
      assert.deepEqual(again.predict(future), fit.predict(future));
      assert.deepEqual(again.summary(), fit.summary());
      assert.deepEqual(again.contributions(), fit.contributions());
      assert.deepEqual(again.diagnostics, fit.diagnostics);
      assert.equal(JSON.stringify(again), text);
    }
    const p = fit.predict({ ...future, target: [1, 2, 3, 4] });
    assert.equal(p.fitted.length, 4);
    coded(() => FittedMMM.fromJSON('{'), 'invalid_parameter', /json/);
    coded(() => FittedMMM.fromJSON({ ...doc, model: 'channelwise.forecast.FittedEts' }), 'invalid_parameter', /not a channelwise media mix model/);
    coded(() => FittedMMM.fromJSON({ model: doc.model }), 'invalid_parameter', /not a channelwise media mix model/);
    coded(() => FittedMMM.fromJSON({ ...doc, fitted: { ...doc.fitted, theta: 'x' } }), 'invalid_parameter', /json/);
    const short = JSON.parse(text);
    short.fitted.draws[3].pop();
    coded(() => FittedMMM.fromJSON(short), 'invalid_parameter', /every draw/);
    coded(() => new FittedMMM(), 'invalid_parameter', /MMM/);
  });

  test(`[${name}] MMM.fitAsync: the same model, onProgress called, an aborted signal is 'cancelled'`, async () => {
    const reports = [];
    const spec = new MMM(options);
    const again = await spec.fitAsync(data, { onProgress: (p) => reports.push({ ...p }) });
    assert.ok(again instanceof FittedMMM);
    assert.equal(JSON.stringify(again), JSON.stringify(fit));
    assert.ok(reports.length >= 1, 'onProgress was called');
    assert.deepEqual(reports.at(-1), { done: 4, total: 4, stage: 'starts' });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(spec.fitAsync(data, { signal: ac.signal }), (e) => e.code === 'cancelled');
    if (name === 'node') {
      // Node runs it on a worker thread: an abort once it has started stops the core between
      // bootstrap replicates (the browser's Web Worker route is tested in Chromium)
      const boot = new MMM({ lMax: 6, uncertainty: 'bootstrap', replicates: 100000 });
      const stop = new AbortController();
      const running = boot.fitAsync(data, { signal: stop.signal });
      setTimeout(() => stop.abort(), 20);
      await assert.rejects(running, (e) => e.code === 'cancelled' && /^media mix model fit cancelled after \d+ of 100004 starts and replicates$/.test(e.message));
    }
  });

  test(`[${name}] MMM: bad data and options are coded and name the field`, () => {
    const spec = new MMM({ lMax: 4, uncertainty: 'none' });
    const tv = Array.from(data.channels.tv);
    coded(() => spec.fit({ ...data, channels: { tv: tv.map((v, i) => (i === 3 ? NaN : v)) } }), 'non_finite', /^data\.channels\.tv\[3\] must be finite/);
    coded(() => spec.fit({ ...data, channels: { tv: tv.map((v, i) => (i === 3 ? -1 : v)) } }), 'out_of_range', /^data\.channels\.tv\[3\]/);
    coded(() => spec.fit({ ...data, channels: { tv: tv.slice(1) } }), 'length_mismatch', /data\.channels\.tv/);
    coded(() => spec.fit({ ...data, channels: { tv: tv.map(String) } }), 'invalid_parameter', /^invalid data\.channels\.tv\[0\]/);
    coded(() => spec.fit({ ...data, target: data.target.map((v, i) => (i === 5 ? Infinity : v)) }), 'non_finite', /^data\.target\[5\]/);
    coded(() => spec.fit({ ...data, controls: { price: [1, 2] } }), 'length_mismatch', /data\.controls\.price/);
    coded(() => spec.fit({ ...data, days: data.target.map((_, i) => 100 - i) }), 'invalid_parameter', /^invalid data\.days\[1\]/);
    coded(() => spec.fit({ ...data, days: ['2024-01-07', 'soon'] }), 'invalid_parameter', /data\.days\[1\]/);
    coded(() => spec.fit({ ...data, spend: {} }), 'invalid_parameter', /^invalid data\.spend: "spend" \(unknown column; expected one of target, channels, controls, days\)/);
    coded(() => spec.fit({ target: data.target }), 'invalid_parameter', /data\.channels.*required/);
    coded(() => new MMM({ lMax: 100 }).fit(data), 'out_of_range', /^options\.lMax must be in/);
    coded(() => new MMM({ yearlySeasonality: 60 }).fit(data), 'out_of_range', /^options\.yearlySeasonality/);
    coded(() => new MMM({ uncertainty: 'laplace', draws: 2 }).fit(data), 'out_of_range', /^options\.draws/);
    coded(() => new MMM({ l_max: 4 }), 'invalid_parameter', /options\.l_max.*unknown option/);
    coded(() => new MMM({ adstock: 'wavy' }), 'invalid_parameter', /options\.adstock.*'geometric'/);
    coded(() => new MMM({ uncertainty: 'none', draws: 100 }), 'invalid_parameter', /options\.draws.*only with uncertainty 'laplace'/);
    coded(() => new MMM({ priors: { 'tv.adstock.alpha': { dist: 'normal', mu: 0 } } }), 'invalid_parameter', /options\.priors\.tv\.adstock\.alpha\.sigma.*required/);
    coded(() => new MMM({ priors: { intercept: { dist: 'cauchy' } } }), 'invalid_parameter', /options\.priors\.intercept\.dist/);
    coded(() => new MMM({ priors: { 'saturation.kappa': { dist: 'flat' } } }).fit(data), 'invalid_parameter', /^invalid options\.priors: "saturation\.kappa"/);
    coded(() => new MMM({ priors: { trend: { dist: 'half_normal', sigma: -1 } } }).fit(data), 'out_of_range', /^options\.priors\.trend\.sigma/);
    coded(() => fit.predict({ channels: { tv: [1] } }), 'invalid_parameter', /^invalid data: /);
  });

  test(`[${name}] MMM: priors, controls and a calendar of ISO dates or day numbers`, () => {
    const n = data.target.length;
    const day0 = Date.UTC(2022, 0, 2) / 864e5;
    const days = Array.from({ length: n }, (_, t) => day0 + 7 * t);
    const iso = days.map((d) => new Date(d * 864e5).toISOString().slice(0, 10));
    const controls = { price: Array.from({ length: n }, (_, t) => 10 + (t % 4)) };
    const spec = new MMM({
      lMax: 4,
      uncertainty: 'none',
      yearlySeasonality: 1,
      priors: { 'saturation.lam': { dist: 'gamma', alpha: 3, beta: 1 }, 'tv.adstock.alpha': { dist: 'beta', alpha: 2, beta: 2 } },
    });
    const a = spec.fit({ ...data, controls, days });
    const b = spec.fit({ ...data, controls, days: iso });
    assert.deepEqual(a.summary(), b.summary());
    assert.deepEqual(a.controls, ['price']);
    assert.deepEqual(Object.keys(a.contributions().controls), ['price']);
    const next = { channels: { tv: [10, 20], search: [5, 5] }, controls: { price: [11, 12] }, days: ['2023-07-02', '2023-07-09'] };
    assert.equal(a.predict(next).fitted.length, 2);
    coded(() => a.predict({ ...next, days: undefined }), 'invalid_parameter', /data\.days/);
    assert.ok(a.params().every((p) => p.lo === p.value && p.hi === p.value), 'no uncertainty: intervals are the point');
  });

  // ---- budget allocation ----

  const mm = (alpha, lam) => ({ kind: 'michaelis_menten', alpha, lam });

  test(`[${name}] allocate: a FittedMMM's steady-state curves, the budget spent, a certificate`, () => {
    const mean = (x) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;
    const budget = mean(data.channels.tv) + mean(data.channels.search);
    const withDraws = optimize.allocate(fit, { budget });
    assert.deepEqual(Object.keys(withDraws), ['rows', 'totalSpend', 'totalResponse', 'certificate', 'responseDraws']);
    // the model's Laplace draws give the split's response distribution; the objective is the mode's curve
    assert.ok(withDraws.responseDraws.length > 0);
    const { responseDraws, ...a } = withDraws;
    near(responseDraws.reduce((t, v) => t + v, 0) / responseDraws.length, a.totalResponse, 0.2, 'draws centre on the mode');
    assert.deepEqual(a.rows.map((r) => r.channel), ['tv', 'search']);
    near(a.rows.reduce((t, r) => t + r.spend, 0), budget, 1e-12, 'spend');
    near(a.totalSpend, budget, 1e-12, 'totalSpend');
    const c = a.certificate;
    assert.deepEqual(Object.keys(c), ['method', 'multiplier', 'kktResidual', 'dualityGap', 'upperBound', 'suboptimality', 'nodes']);
    assert.equal(c.method, 'water-filling');
    assert.ok(c.kktResidual < 1e-9 && c.dualityGap < 1e-9, JSON.stringify(c));
    for (const r of a.rows) {
      near(r.response, fit.steadyStateCurve(r.channel).value(r.spend)[0], 1e-12, `${r.channel} response`);
      if (r.bound === 'interior') near(r.marginal, c.multiplier, 1e-9, `${r.channel} marginal`);
    }
    // budgetChannels: the same channels as plain objects, current = mean spend per period
    const chans = fit.budgetChannels();
    assert.deepEqual(chans.map((x) => x.name), ['tv', 'search']);
    near(chans[0].current, mean(data.channels.tv), 1e-12, 'current');
    assert.deepEqual(chans[0].curve, fit.steadyStateCurve('tv').spec);
    const { responseDraws: none, ...plain } = optimize.allocate(chans, { budget });
    assert.equal(none.length, 0);
    assert.deepEqual(plain, a);
    // a move limit around the mean spend
    const b = optimize.allocate(fit, { budget, maxChange: { relative: 0.05 } });
    for (const [i, r] of b.rows.entries()) assert.ok(Math.abs(r.spend - chans[i].current) <= 0.05 * chans[i].current * (1 + 1e-12));
    // the Saturation objects themselves are curves too
    const { responseDraws: _, ...viaClass } = optimize.allocate(chans.map((x) => ({ ...x, curve: fit.steadyStateCurve(x.name) })), { budget });
    assert.deepEqual(viaClass, a);
    // the mean over the model's draws, and a CVaR
    const expected = optimize.allocate(fit, { budget, objective: 'expected' });
    near(expected.totalResponse, expected.responseDraws.reduce((t, v) => t + v, 0) / expected.responseDraws.length, 1e-9, 'expected = mean of draws');
    const averse = optimize.allocate(fit, { budget, objective: { kind: 'cvar', level: 0.1 } });
    assert.ok(averse.cvar <= expected.totalResponse && averse.certificate.suboptimality <= 1e-6, JSON.stringify(averse.certificate));
  });

  test(`[${name}] allocate: posterior draws, the expected response and CVaR`, () => {
    // search is safe, social better on average and riskier: 40 joint draws from a fixed LCG
    let s = 7;
    const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const draws = Array.from({ length: 40 }, () => [mm(90 + 20 * u(), 40), mm(40 + 160 * u(), 40)]);
    const chans = [
      { name: 'search', curve: mm(100, 40), draws: draws.map((d) => d[0]) },
      { name: 'social', curve: mm(120, 40), draws: draws.map((d) => new Saturation(d[1])) },
    ];
    const mean = optimize.allocate(chans, { budget: 100 }); // draws given: 'expected' by default
    assert.equal(mean.responseDraws.length, 40);
    near(mean.totalResponse, mean.responseDraws.reduce((t, v) => t + v, 0) / 40, 1e-9, 'mean');
    const averse = optimize.allocate(chans, { budget: 100, objective: { kind: 'cvar', level: 0.1 } });
    const worst4 = Array.from(averse.responseDraws).sort((x, y) => x - y).slice(0, 4);
    near(averse.cvar, worst4.reduce((t, v) => t + v, 0) / 4, 1e-9, 'cvar is the mean of the worst 10%');
    assert.ok(averse.rows[1].spend < mean.rows[1].spend, 'less on the risky channel');
    // a grid over the split finds no better CVaR (it is concave in the split)
    const value = (c, x) => (c.alpha * x) / (c.lam + x);
    for (let x = 0; x <= 100; x += 0.5) {
      const t = draws.map((d) => value(d[0], x) + value(d[1], 100 - x)).sort((p, q) => p - q).slice(0, 4);
      assert.ok(t.reduce((a, b) => a + b, 0) / 4 <= averse.cvar * (1 + 1e-9), `x = ${x}`);
    }
    const central = optimize.allocate(chans, { budget: 100, objective: 'curve' });
    assert.equal(central.cvar, undefined);
    assert.throws(() => optimize.allocate(chans, { budget: 100, objective: { kind: 'cvar', level: 2 } }), (e) => e.code === 'out_of_range' && /options\.objective\.level/.test(e.message));
    assert.throws(() => optimize.allocate(chans, { budget: 100, objective: 'median' }), (e) => e.code === 'invalid_parameter' && /options\.objective/.test(e.message));
    assert.throws(() => optimize.allocate([chans[0], { ...chans[1], draws: chans[1].draws.slice(1) }], { budget: 100 }), (e) => e.code === 'length_mismatch');
    // a draw of another kind than the channel's curve (the rows would name one, the response come from the other)
    const logistic = { kind: 'logistic', lam: 0.01, beta: 100 };
    coded(() => optimize.allocate([chans[0], { ...chans[1], draws: [chans[1].draws[0], logistic, ...chans[1].draws.slice(2)] }], { budget: 100 }),
      'invalid_parameter', /^invalid channels\[1\]\.draws\[1\]: "logistic" \(expected a draw of the curve's kind, michaelis_menten\)/);
  });

  test(`[${name}] allocate: water-filling by hand, bounds, move limits and locks`, () => {
    // alpha_i / (1 + x_i)^2 = lambda, x_1 + x_2 = 4: x = (1, 3), lambda = 1/4
    const a = optimize.allocate([{ name: 'search', curve: mm(1, 1) }, { name: 'social', curve: new Saturation(mm(4, 1)) }], { budget: 4 });
    near(a.rows[0].spend, 1, 1e-12, 'search');
    near(a.rows[1].spend, 3, 1e-12, 'social');
    near(a.certificate.multiplier, 0.25, 1e-12, 'multiplier');
    near(a.totalResponse, 3.5, 1e-12, 'response');
    assert.deepEqual(a.rows.map((r) => r.bound), ['interior', 'interior']);
    const chans = [
      { name: 'a', curve: mm(1, 1), current: 2 },
      { name: 'b', curve: mm(4, 1), current: 2, upper: 2.5 },
      { name: 'c', curve: mm(9, 1), current: 1, locked: true },
    ];
    const b = optimize.allocate(chans, { budget: 5, maxChange: { relative: 0.5 } });
    assert.deepEqual(b.rows.map((r) => r.bound), [b.rows[0].bound, 'upper', 'locked']);
    assert.equal(b.rows[2].spend, 1);
    near(b.totalSpend, 5, 1e-12, 'total');
    assert.ok(b.rows[0].spend >= 1 && b.rows[0].spend <= 3);
    const c = optimize.allocate(chans, { budget: 5, maxChange: { absolute: 0.25 } });
    assert.ok(c.rows.every((r, i) => Math.abs(r.spend - chans[i].current) <= 0.25 + 1e-12));
    assert.ok(c.rows.slice(0, 2).every((r) => ['interior', 'maxChangeUp', 'maxChangeDown'].includes(r.bound)));
    // at most: the curves do not want the whole budget within their bounds
    const d = optimize.allocate([{ name: 'a', curve: mm(1, 1), upper: 3 }, { name: 'b', curve: mm(4, 1), upper: 3 }], { budget: 100, spendAll: false });
    near(d.totalSpend, 6, 1e-12, 'at most');
    assert.deepEqual(d.rows.map((r) => r.bound), ['upper', 'upper']);
    // S-curves: branch and bound to a proven gap
    const s = optimize.allocate([
      { name: 'tv', curve: { kind: 'hill', slope: 10, kappa: 4, beta: 3 } },
      { name: 'search', curve: { kind: 'hill', slope: 12, kappa: 6, beta: 2 } },
      { name: 'social', curve: mm(3, 2) },
    ], { budget: 9, tolerance: 1e-9 });
    assert.equal(s.certificate.method, 'branch and bound on concave envelopes');
    assert.ok(s.certificate.suboptimality <= 1e-9 && s.certificate.nodes > 1, JSON.stringify(s.certificate));
  });

  test(`[${name}] allocate: every scenario`, () => {
    const chans = [{ name: 'a', curve: mm(1, 1) }, { name: 'b', curve: mm(4, 1) }];
    const m = optimize.allocate(chans, { scenario: { kind: 'targetMarginalRoas', value: 0.25 } });
    near(m.rows[0].spend, 1, 1e-9, 'a');
    near(m.rows[1].spend, 3, 1e-9, 'b');
    m.rows.forEach((r) => near(r.marginal, 0.25, 1e-9, 'marginal'));
    const capped = optimize.allocate(chans, { budget: 2, scenario: { kind: 'targetMarginalRoas', value: 0.25 } });
    assert.ok(capped.totalSpend <= 2 + 1e-9);
    const r = optimize.allocate(chans, { scenario: { kind: 'targetRoas', value: 0.6 } });
    near(r.totalResponse / r.totalSpend, 0.6, 1e-9, 'roas');
    const q = optimize.allocate(chans, { scenario: { kind: 'minSpendForResponse', value: 2.5 } });
    near(q.totalResponse, 2.5, 1e-9, 'response');
    near(optimize.allocate(chans, { budget: q.totalSpend, scenario: { kind: 'maxResponse' } }).totalResponse, 2.5, 1e-9, 'same split');
  });

  test(`[${name}] allocate: infeasible budgets and bad input are coded and name the field`, () => {
    const chans = [{ name: 'a', curve: mm(1, 1) }, { name: 'b', curve: mm(4, 1) }];
    const alloc = (o, c = chans) => () => optimize.allocate(c, o);
    coded(alloc({ budget: 2 }, [{ ...chans[0], lower: 1 }, { ...chans[1], lower: 2 }]), 'invalid_parameter', /^invalid options\.budget: .*least spend .* sums to 3, 1 more than the budget/);
    coded(alloc({ budget: 10 }, chans.map((c) => ({ ...c, upper: 1 }))), 'invalid_parameter', /^invalid options\.budget: .*most spend .* less than the budget/);
    coded(alloc({}), 'invalid_parameter', /^invalid options\.budget: .*needs a budget/);
    coded(alloc({ budget: 2 }, [{ ...chans[0], locked: true }, chans[1]]), 'invalid_parameter', /^invalid channels\[0\]\.current: .*locked channel/);
    coded(alloc({ budget: 2, maxChange: { relative: 0.1 } }, [{ ...chans[0], current: 1 }, chans[1]]), 'invalid_parameter', /^invalid channels\[1\]\.current: .*maximum change/);
    coded(alloc({ scenario: { kind: 'targetRoas', value: 50 } }), 'invalid_parameter', /^invalid options\.scenario\.value: .*unreachable/);
    coded(alloc({ budget: 2 }, [{ ...chans[0], upper: -1 }, chans[1]]), 'out_of_range', /^channels\[0\]\.upper/);
    coded(alloc({ budget: 2 }, [chans[0], { ...chans[1], lower: NaN }]), 'non_finite', /^channels\[1\]\.lower/);
    coded(alloc({ budget: -1 }), 'out_of_range', /^options\.budget/);
    // past every multiplier a float holds (was ~9.5e151 spent and the rest left silently)
    coded(alloc({ budget: 1e300 }), 'invalid_parameter', /^invalid options\.budget: "1e\+?300" \(more than the curves can take: past 9\.48\d*e\+?151 /);
    coded(alloc({ budget: 2, budjet: 3 }), 'invalid_parameter', /options\.budjet.*unknown option/);
    coded(alloc({ budget: 2 }, [{ ...chans[0], uper: 3 }, chans[1]]), 'invalid_parameter', /channels\[0\]\.uper.*unknown option/);
    coded(alloc({ budget: 2 }, [{ curve: mm(1, 1) }]), 'invalid_parameter', /channels\[0\]\.name.*required/);
    coded(alloc({ budget: 2 }, [{ name: 'a', curve: mm(1, -1) }]), 'out_of_range', /^channels\[0\]\.curve\.lam/);
    coded(alloc({ budget: 2 }, [{ name: 'a', curve: 3 }]), 'invalid_parameter', /channels\[0\]\.curve/);
    coded(alloc({ budget: 2 }, [chans[0], { ...chans[0] }]), 'invalid_parameter', /^invalid channels: "a" \(a name appears twice/);
    coded(alloc({ budget: 2 }, []), 'invalid_parameter', /nothing to allocate/);
    coded(alloc({ budget: 2 }, { a: mm(1, 1) }), 'invalid_parameter', /channels.*FittedMMM or an array/);
    coded(alloc({ budget: 2, scenario: { kind: 'target_roas', value: 1 } }), 'invalid_parameter', /options\.scenario\.kind.*'maxResponse'/);
    coded(alloc({ scenario: { kind: 'targetRoas' } }), 'invalid_parameter', /options\.scenario\.value.*required/);
    coded(alloc({ budget: 2, maxChange: { relative: 0.1, absolute: 1 } }), 'invalid_parameter', /options\.maxChange.*exactly one/);
    coded(alloc({ budget: 2, maxChange: { percent: 1 } }), 'invalid_parameter', /options\.maxChange\.percent.*unknown option/);
    coded(alloc({ budget: 2, maxNodes: 0 }), 'out_of_range', /options\.maxNodes/);
    coded(() => optimize.allocate(fit, { budget: 1, maxChange: { absolute: 0 } }), 'invalid_parameter', /^invalid options\.budget: .*sums to .*more than the budget/);
  });

  // ---- optimize.plan: several periods with carry-over (numbers checked by the shared vectors) ----
  const tvPlan = { name: 'tv', curve: mm(60, 40), adstock: { kind: 'geometric', alpha: 0.6, lMax: 4, normalize: false } };
  const searchPlan = { name: 'search', curve: mm(30, 10) };

  test(`[${name}] plan: beats a grid, holds every budget, counts the tail, carries pre-spend in`, () => {
    const p = optimize.plan([tvPlan, searchPlan], { budgets: [40, 30] });
    assert.deepEqual(Object.keys(p), ['channels', 'spend', 'response', 'tail', 'totalResponse', 'certificate']);
    assert.deepEqual(Object.keys(p.certificate), ['method', 'gap', 'suboptimality', 'iterations']);
    assert.ok(p.certificate.suboptimality <= 1e-9, JSON.stringify(p.certificate));
    for (const t of [0, 1]) near(p.spend[0][t] + p.spend[1][t], [40, 30][t], 1e-12, `period ${t}`);
    // a grid over tv's two spends (search takes the rest); tv's tail: 3 more periods
    const f = (x, lam, alpha) => (alpha * x) / (lam + x);
    let best = 0;
    for (let i = 0; i <= 400; i++) {
      for (let j = 0; j <= 400; j++) {
        const a = (40 * i) / 400, b = (30 * j) / 400;
        const ad = [a, 0.6 * a + b, 0.36 * a + 0.6 * b, 0.216 * a + 0.36 * b, 0.216 * b];
        best = Math.max(best, ad.reduce((t, v) => t + f(v, 40, 60), 0) + f(40 - a, 10, 30) + f(30 - b, 10, 30));
      }
    }
    assert.ok(p.totalResponse >= best - 1e-9, `${p.totalResponse} < grid ${best}`);
    assert.equal(p.tail[1], 0);
    near(p.response.flatMap((r) => Array.from(r)).reduce((a, b) => a + b, 0) + p.tail[0], p.totalResponse, 1e-12, 'total');
    const noTail = optimize.plan([tvPlan, searchPlan], { budgets: [40, 30], tail: false });
    assert.ok(noTail.spend[0][1] < p.spend[0][1] && noTail.tail[0] === 0);
    const withPre = optimize.plan([{ ...tvPlan, pre: [50, 50] }, searchPlan], { budgets: Float64Array.of(40, 30) });
    assert.ok(withPre.totalResponse > p.totalResponse);
    // a total split freely does at least as well; bounds hold in every period
    const free = optimize.plan([tvPlan, searchPlan], { total: 70, periods: 2, profile: [1, 2] });
    const fixed = optimize.plan([tvPlan, searchPlan], { budgets: [35, 35], profile: [1, 2] });
    assert.ok(free.totalResponse >= fixed.totalResponse * (1 - 1e-12));
    const bounded = optimize.plan([{ ...tvPlan, upper: 15 }, { ...searchPlan, lower: 20 }], { budgets: [35, 35] });
    for (const t of [0, 1]) assert.ok(bounded.spend[0][t] <= 15 + 1e-12 && bounded.spend[1][t] >= 20 - 1e-12);
    // class instances are channels' curves and adstocks too
    const viaClass = optimize.plan([{ ...tvPlan, curve: new Saturation(tvPlan.curve), adstock: new Adstock(tvPlan.adstock) }, searchPlan], { budgets: [40, 30] });
    assert.deepEqual(viaClass, p);
  });

  test(`[${name}] plan: a FittedMMM plans its own channels`, () => {
    const p = optimize.plan(fit, { budgets: [60, 60, 60] });
    assert.deepEqual(p.channels, ['tv', 'search']);
    assert.ok(p.certificate.suboptimality <= 1e-6, JSON.stringify(p.certificate));
    for (let t = 0; t < 3; t++) near(p.spend[0][t] + p.spend[1][t], 60, 1e-12, `period ${t}`);
  });

  test(`[${name}] plan: bad input is coded and names the field`, () => {
    const plan = (o, c = [tvPlan, searchPlan]) => () => optimize.plan(c, o);
    coded(plan({ budgets: [40, -5] }), 'out_of_range', /^options\.budgets\[1\]/);
    coded(plan({ budgets: [40, 30, 30], profile: [1, 1.2] }), 'length_mismatch', /options\.profile/);
    coded(plan({ budgets: [40, 30] }, [tvPlan, { ...searchPlan, pre: [1, 2, NaN] }]), 'non_finite', /^channels\[1\]\.pre\[2\]/);
    coded(plan({ total: 100, periods: 0 }), 'invalid_parameter', /options\.periods/);
    coded(plan({ total: 100 }), 'invalid_parameter', /options\.periods.*required/);
    coded(plan({ budgets: [1], total: 1 }), 'invalid_parameter', /options\.budgets/);
    coded(plan({ budgets: [1, 2], periods: 3 }), 'length_mismatch', /options\.periods/);
    coded(plan({ budgets: [1, 10] }, [{ ...tvPlan, lower: 2 }, { ...searchPlan, lower: 2 }]), 'invalid_parameter', /^invalid options\.budgets\[0\]: .*lower bounds sum to 4/);
    coded(plan({ budgets: [1] }, [{ ...tvPlan, curve: { kind: 'hill', slope: 2, kappa: 5, beta: 10 } }]), 'invalid_parameter', /channels\[0\]\.curve/);
    coded(plan({ budgets: [1] }, [{ ...tvPlan, adstock: { kind: 'geometric', alpha: 2 } }]), 'out_of_range', /channels\[0\]\.adstock\.alpha/);
    coded(plan({ budgets: [1] }, [{ ...tvPlan, upper: -1 }]), 'invalid_parameter', /channels\[0\]\.upper/);
    coded(plan({ budgets: [1], budjet: 3 }), 'invalid_parameter', /options\.budjet.*unknown option/);
    coded(plan({ budgets: [1] }, [{ ...tvPlan, carry: 1 }]), 'invalid_parameter', /channels\[0\]\.carry.*unknown option/);
    coded(plan({ budgets: [1] }, { tv: tvPlan }), 'invalid_parameter', /channels.*FittedMMM or an array/);
  });

  // ---- bids (optimize.BidModel -> FittedBids) and glm.LogisticRegression ----
  const cells = [
    { context: ['mobile', 'evening'], clicks: 4000, conversions: 60, value: 3000 },
    { context: ['mobile', 'morning'], clicks: 3000, conversions: 30, value: 1500 },
    { context: ['desktop', 'evening'], clicks: 2000, conversions: 50, value: 2500 },
    { context: ['desktop', 'morning'], clicks: 1500, conversions: 30, value: 1500 },
    { context: ['tablet', 'evening'], clicks: 20, conversions: 2, value: 100 },
  ];
  const factors = ['device', 'daypart'];

  test(`[${name}] recommend: budget moves, bids, targeting and creatives within the guardrails`, () => {
    const chans = [
      { name: 'search', curve: mm(1, 1), current: 2 },
      { name: 'social', curve: new Saturation(mm(4, 1)), current: 2 },
    ];
    // the allocation by hand is x = (1, 3); the moves and their impacts follow from it
    const recs = optimize.recommend({ channels: chans, allocate: { budget: 4 } });
    assert.deepEqual(recs.map((r) => [r.kind, r.target, r.from]), [['budget', 'search', 2], ['budget', 'social', 2]]);
    near(recs[0].to, 1, 1e-9, 'search');
    near(recs[1].to, 3, 1e-9, 'social');
    near(recs[1].impact, 3 - 8 / 3, 1e-9, 'social impact');
    assert.ok(recs.every((r) => !r.clipped && r.reason.includes(r.target)));
    // a 30% guardrail clips both and says so
    const held = optimize.recommend({ channels: chans, allocate: { budget: 4 } }, { maxBudgetChange: 0.3 });
    for (const r of held) assert.ok(r.clipped && Math.abs(r.to - r.from) <= 0.3 * r.from + 1e-12, JSON.stringify(r));
    // a FittedMMM's channels work the same (current = mean spend)
    // no inputs at all (found by mutation: null reached the engine's TypeError)
    for (const missing of [null, undefined]) coded(() => optimize.recommend(missing), 'invalid_parameter', /^invalid inputs: "undefined" \(required, but missing\)$/);
    coded(() => optimize.recommend(5), 'invalid_parameter', /^invalid inputs: "5"/);
    const fromFit = optimize.recommend({ channels: fit, allocate: { budget: 2 * fit.budgetChannels()[0].current } }, { minChange: 0 });
    assert.deepEqual(fromFit.map((r) => r.target), ['tv', 'search']);
    // bids, segments and creatives together
    const model = new optimize.BidModel({ factors, target: { cpa: 40 } }).fit(cells);
    const days = 28;
    const others = optimize.recommend({
      bids: model,
      contexts: [{ context: ['mobile', 'evening'], current: 0.5 }, { context: ['desktop', 'morning'], current: 0.5 }],
      segments: [
        { name: 'a', clicks: 5000, conversions: 150, cost: 2500 },
        { name: 'b', clicks: 5000, conversions: 140, cost: 2500 },
        { name: 'c', clicks: 5000, conversions: 40, cost: 2500 },
      ],
      creatives: [
        { name: 'tired', impressions: Array(days).fill(10000), clicks: Array.from({ length: days }, (_, d) => 300 - 8 * d) },
        { name: 'fresh', impressions: Array(days).fill(10000), clicks: Array.from({ length: days }, (_, d) => 200 + (d % 3)) },
      ],
    }, { maxBidChange: 0.5 });
    const bids = others.filter((r) => r.kind === 'bid');
    assert.equal(bids.length, 2);
    for (const r of bids) {
      const want = model.bid(r.target.split(' / '), 0.5).bid;
      near(r.to, Math.min(Math.max(want, 0.25), 0.75), 1e-12, r.target);
    }
    assert.deepEqual(others.filter((r) => r.kind === 'targeting').map((r) => r.target), ['c']);
    assert.deepEqual(others.filter((r) => r.kind === 'creative').map((r) => r.target), ['tired']);
    // bad input names the field
    coded(() => optimize.recommend({ channels: chans.map(({ current, ...c }) => c), allocate: { budget: 4 } }), 'invalid_parameter', /current/);
    coded(() => optimize.recommend({ segments: [] }, { minChange: 2 }), 'out_of_range', /guardrails\.minChange/);
    coded(() => optimize.recommend({ segmentz: [] }), 'invalid_parameter', /segmentz/);
    coded(() => optimize.recommend({ creatives: [{ name: 'x', impressions: [1, 2, 3], clicks: [1, 2] }] }), 'length_mismatch');
  });

  test(`[${name}] insights: ranked by money, each with its test`, () => {
    const n = 8;
    const metrics = [
      { channel: 'search', spend: Array(n).fill(1000), conversions: Array.from({ length: n }, (_, p) => (p === n - 1 ? 40 : 100)), value: Array.from({ length: n }, (_, p) => (p === n - 1 ? 800 : 2000)) },
      { channel: 'social', spend: Array(n).fill(1000), conversions: Array(n).fill(50), value: Array(n).fill(1000) },
    ];
    const out = optimize.insights(metrics);
    assert.ok(out.length >= 1);
    for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].money >= out[i].money);
    assert.ok(out[0].channels.includes('search') && out[0].pValue < 0.05 && out[0].sentence.length > 20);
    coded(() => optimize.insights(metrics.map((m) => ({ ...m, spend: m.spend.slice(0, 3), conversions: m.conversions.slice(0, 3), value: m.value.slice(0, 3) }))), 'not_enough_data');
    coded(() => optimize.insights(metrics, { alpha: 2 }), 'out_of_range', /options\.alpha/);
  });

  test(`[${name}] BidModel: a fit, multipliers, explanations that multiply out, thin levels shrunk`, () => {
    const fit = new optimize.BidModel({ factors, target: { cpa: 40 } }).fit(cells);
    const levels = fit.multipliers();
    assert.deepEqual(levels.map((l) => `${l.factor}=${l.level}`), ['device=mobile', 'device=desktop', 'device=tablet', 'daypart=evening', 'daypart=morning']);
    assert.equal(levels[0].clicks, 7000);
    assert.equal(levels[0].conversions, 90);
    const b = fit.bid(['desktop', 'evening']);
    const product = b.factors.reduce((p, f) => p * f.multiplier, 1);
    near(product, b.probability / b.baseProbability, 1e-12, 'factors multiply out');
    near(b.bid, 40 * b.probability, 1e-12, 'bid = P x CPA');
    assert.equal(b.limitedBy, 'none');
    assert.match(b.explanation, /device=desktop x/);
    const tablet = levels.find((l) => l.level === 'tablet');
    const raw = (2 / 20) / (172 / 10520);
    assert.ok(tablet.multiplier > 1 && tablet.multiplier < 0.75 * raw, `tablet ${tablet.multiplier}`); // 20 clicks earn far less than 6x
    const strong = new optimize.BidModel({ factors, target: { cpa: 40 }, c: 0.001 }).fit(cells).multipliers().find((l) => l.level === 'tablet');
    assert.ok(Math.abs(strong.multiplier - 1) < Math.abs(tablet.multiplier - 1), 'less c, nearer 1');
    // ROAS target: bid = P x value per conversion / ROAS
    const r = new optimize.BidModel({ factors, target: { roas: 4 } }).fit(cells).bid(['mobile', 'morning']);
    near(r.valuePerConversion, 8600 / 172, 1e-12, 'value per conversion');
    near(r.bid, (r.probability * r.valuePerConversion) / 4, 1e-12, 'bid = P x value / ROAS');
  });

  test(`[${name}] BidModel: an unseen level counts as average`, () => {
    const fit = new optimize.BidModel({ factors, target: { cpa: 40 } }).fit(cells);
    const b = fit.bid(['tv', 'evening']);
    assert.equal(b.factors[0].multiplier, 1);
    assert.equal(b.factors[0].clicks, 0);
    assert.match(b.explanation, /never seen/);
  });

  test(`[${name}] BidModel: floors, caps and the maximum change hold the bid and say so`, () => {
    const fit = new optimize.BidModel({ factors, target: { roas: 2 }, floor: 0.1, cap: 0.5, maxChange: 0.2 }).fit(cells);
    let b = fit.bid(['desktop', 'evening'], 0.2);
    assert.ok(b.unclamped > 0.24);
    assert.equal(b.limitedBy, 'maxChange');
    near(b.bid, 0.24, 1e-12, 'held to +20%');
    b = fit.bid(['desktop', 'evening'], 2);
    assert.equal(b.limitedBy, 'cap');
    assert.equal(b.bid, 0.5);
    assert.match(b.explanation, /cap/);
    const low = new optimize.BidModel({ factors, target: { roas: 100 }, floor: 0.1 }).fit(cells).bid(['mobile', 'morning']);
    assert.equal(low.limitedBy, 'floor');
    assert.equal(low.bid, 0.1);
  });

  test(`[${name}] BidModel: bad input is coded and names the field`, () => {
    const bad = (i, patch) => cells.map((c, j) => (j === i ? { ...c, ...patch } : c));
    const model = new optimize.BidModel({ factors, target: { cpa: 1 } });
    coded(() => model.fit(bad(2, { conversions: 5000 })), 'invalid_parameter', /cells\[2\]\.conversions/);
    coded(() => model.fit(bad(1, { context: ['mobile'] })), 'invalid_parameter', /cells\[1\]\.context/);
    coded(() => model.fit(bad(3, { clicks: -1 })), 'out_of_range', /cells\[3\]\.clicks/);
    coded(() => model.fit(bad(0, { clicks: undefined })), 'invalid_parameter', /cells\[0\]\.clicks/);
    coded(() => new optimize.BidModel({ factors, target: { roas: 0 } }).fit(cells), 'out_of_range', /options\.target/);
    coded(() => new optimize.BidModel({ factors, target: { cpa: 1 }, floor: 2, cap: 1 }).fit(cells), 'invalid_parameter', /options\.cap/);
    coded(() => new optimize.BidModel({ factors, target: { cpa: 1 }, maxChange: -1 }).fit(cells), 'out_of_range', /options\.maxChange/);
    coded(() => new optimize.BidModel({ factors, target: { roas: 1, cpa: 1 } }), 'invalid_parameter', /options\.target/);
    coded(() => new optimize.BidModel({ factors }), 'invalid_parameter', /options\.target/);
    const fit = model.fit(cells);
    coded(() => fit.bid(['mobile']), 'invalid_parameter', /context/);
    coded(() => fit.bid(['mobile', 'evening'], -1), 'out_of_range', /current/);
  });

  if (glm) {
    test(`[${name}] glm.LogisticRegression: rows or flat, coef, intercept, predictProba, l1 and elastic net; bad input named`, () => {
      const x = [[0], [1], [2], [3], [4], [5]];
      const y = [0, 0, 1, 0, 1, 1];
      const fit = new glm.LogisticRegression().fit(x, y);
      assert.ok(fit.coef instanceof Float64Array && fit.coef[0] > 0);
      assert.equal(typeof fit.intercept, 'number');
      const p = fit.predictProba([[2.5]]);
      assert.ok(p[0] > 0.3 && p[0] < 0.7);
      const flat = new glm.LogisticRegression().fit(Float64Array.from([0, 1, 2, 3, 4, 5]), y, null, 1);
      assert.deepEqual(Array.from(flat.coef), Array.from(fit.coef));
      const weighted = new glm.LogisticRegression({ c: 10, fitIntercept: false }).fit(x, y, [1, 1, 1, 1, 1, 2]);
      assert.equal(weighted.intercept, 0);
      coded(() => new glm.LogisticRegression().fit(x, [0, 0, 1, 0, 2, 1]), 'invalid_parameter', /y\[4\]/);
      coded(() => new glm.LogisticRegression().fit([[0], [NaN]], [0, 1]), 'non_finite', /x\[1\]\[0\]/);
      coded(() => new glm.LogisticRegression({ c: 0 }).fit(x, y), 'out_of_range', /options\.c/);
      coded(() => new glm.LogisticRegression().fit(x, y, [1, 1, 1, 1, 1, -1]), 'out_of_range', /sampleWeight\[5\]/);
      // scikit-learn's L1 and elastic-net penalties: a strong lasso zeroes the coefficient
      const lasso = new glm.LogisticRegression({ penalty: 'l1', c: 0.01 }).fit(x, y);
      assert.equal(lasso.coef[0], 0);
      assert.ok(new glm.LogisticRegression({ penalty: 'l1' }).fit(x, y).coef[0] > 0);
      const net = new glm.LogisticRegression({ penalty: 'elasticnet', l1Ratio: 0.5 }).fit(x, y);
      assert.ok(net.coef[0] > 0);
      const ridge = new glm.LogisticRegression({ penalty: 'elasticnet', l1Ratio: 0 }).fit(x, y);
      assert.ok(Math.abs(ridge.coef[0] - fit.coef[0]) < 1e-12, 'l1Ratio 0 is the L2 penalty');
      coded(() => new glm.LogisticRegression({ penalty: 'elasticnet' }), 'invalid_parameter', /options\.l1Ratio/);
      coded(() => new glm.LogisticRegression({ penalty: 'elasticnet', l1Ratio: 1.5 }).fit(x, y), 'out_of_range', /options\.l1Ratio/);
      coded(() => new glm.LogisticRegression({ penalty: 'l3' }), 'invalid_parameter', /options\.penalty/);
      coded(() => new glm.LogisticRegression({ penalty: 'none' }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]), 'not_converged');
      coded(() => fit.predictProba([[1, 2]]), 'length_mismatch', /nFeatures/);
    });
  }
}
