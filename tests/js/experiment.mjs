// experiment.* shared by the Node binding and the WebAssembly build: A/B tests over sufficient
// statistics (the reference numbers are the shared vectors' job: tests/vectors/experiment/),
// the identities between them, errors that name the field as JS writes it, and the seeded,
// serialisable bandit (same seed, same choices; toJSON/fromJSON resumes bit for bit; a state
// document written by the Rust core loads).

import { test } from 'node:test';
import assert from 'node:assert/strict';

/**
 * Registers the tests.
 * @param {{ experiment: object }} api the binding
 * @param {string} name `'node'` or `'wasm'`, for test titles
 */
export function runExperiment({ experiment }, name) {
  const coded = (fn, code, field) => assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (field !== undefined) assert.ok(e.message.includes(field), `names ${field}: ${e.message}`);
    return true;
  });
  const close = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs ${want}`);

  test(`[${name}] z-test: counts, 0/1 outcomes and a Float64Array give one answer`, () => {
    const a = { n: 5000, successes: 500 };
    const b = { n: 5000, successes: 560 };
    const r = experiment.ztest(a, b);
    // the pooled statistic, written out
    const p = 1060 / 10000;
    close(r.z, 0.012 / Math.sqrt(p * (1 - p) * (2 / 5000)), 1e-12, 'z');
    assert.ok(r.pValue > 0.05 && r.pValue < 0.052, `p ${r.pValue}`);
    assert.equal(r.rateA, 0.1);
    close(r.absolute.estimate, 0.012, 1e-15, 'absolute');
    close(r.relative.estimate, 0.12, 1e-12, 'relative');
    assert.ok(r.absolute.ciLower < 0.012 && r.absolute.ciUpper > 0.012);
    const outcomes = (n, k) => Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
    assert.deepEqual(experiment.ztest(outcomes(5000, 500), Float64Array.from(outcomes(5000, 560))), r);
    const one = experiment.ztest(a, b, { alternative: 'larger' });
    close(one.pValue, r.pValue / 2, 1e-15, 'one-sided p');
    // the interval stays two-sided (as statsmodels' confint)
    assert.equal(one.absolute.ciUpper, r.absolute.ciUpper);
  });

  test(`[${name}] Welch: sums and raw values agree; relative effect null over a zero control`, () => {
    const xa = [3.1, 2.7, 4.4, 5.0, 3.9, 4.1];
    const xb = Float64Array.from([4.2, 5.1, 3.8, 6.0, 5.5, 4.9, 5.2]);
    const sums = (xs) => ({ n: xs.length, sum: xs.reduce((s, x) => s + x, 0), sumSquares: xs.reduce((s, x) => s + x * x, 0) });
    const r = experiment.welch(xa, xb);
    const s = experiment.welch(sums(xa), sums(Array.from(xb)));
    for (const k of ['t', 'df', 'pValue']) close(r[k], s[k], 1e-12, k);
    assert.ok(r.df > 5 && r.df < 11, `Welch-Satterthwaite df ${r.df}`);
    const zero = experiment.welch({ n: 10, mean: 0, variance: 1 }, { n: 10, mean: 0.5, variance: 1 });
    assert.equal(zero.relative, null);
    close(zero.absolute.estimate, 0.5, 1e-15, 'absolute');
    // raw values far from 0 (micros, timestamps): the test of the shifted values; their sums
    // cancelled before (t 2.38 against 7.78 at 1e8)
    const a0 = Array.from({ length: 1000 }, (_, i) => i % 10);
    const base = experiment.welch(a0, a0.map((x) => x + 1)).t;
    close(base, 1 / Math.sqrt((2 * 8.25) / 999), 1e-12, 'by hand');
    for (const shift of [1e8, 1e10]) close(experiment.welch(a0.map((x) => x + shift), a0.map((x) => x + 1 + shift)).t, base, 1e-6 * base, `shift ${shift}`);
  });

  test(`[${name}] chance to beat A of (A, B) and of (B, A) sum to 1; the posterior adds the counts`, () => {
    const a = { n: 400, successes: 52 };
    const b = { n: 380, successes: 40 };
    const ab = experiment.betaBinomial(a, b);
    const ba = experiment.betaBinomial(b, a);
    close(ab.chanceToBeatA + ba.chanceToBeatA, 1, 1e-9, 'sum');
    assert.deepEqual(ab.posteriorA, [53, 349]);
    assert.deepEqual(experiment.betaBinomial(a, b, { prior: { alpha: 3, beta: 20 } }).posteriorB, [43, 360]);
    close(ab.lossChoosingA, ba.lossChoosingB, 1e-12, 'loss');
    const e = experiment.bayes(a, b, { relative: false });
    const f = experiment.bayes(b, a, { relative: false });
    close(e.chanceToWin + f.chanceToWin, 1, 1e-12, 'gbstats chance to win');
    assert.ok(e.ciLower < e.mean && e.mean < e.ciUpper);
    const tight = experiment.bayes(a, b, { prior: { mean: 0, variance: 0.001 } });
    assert.ok(Math.abs(tight.mean) < Math.abs(experiment.bayes(a, b).mean), 'a tight prior shrinks the effect');
  });

  test(`[${name}] power: solving for each quantity inverts the others`, () => {
    const n = experiment.power({ p1: 0.12, p2: 0.1, power: 0.8 });
    assert.equal(n.solved, 'nobs1');
    close(n.effectSize, experiment.proportionEffectsize(0.12, 0.1), 0, 'effect size');
    const p = experiment.power({ effectSize: n.effectSize, nobs1: n.nobs1 });
    assert.equal(p.solved, 'power');
    close(p.power, 0.8, 1e-9, 'power');
    const d = experiment.power({ nobs1: n.nobs1, power: 0.8 });
    close(d.effectSize, n.effectSize, 1e-9, 'effect size');
    const r = experiment.power({ effectSize: 0.1, power: 0.8, ratio: 2 });
    close(r.nobs2, 2 * r.nobs1, 1e-9, 'nobs2');
    assert.ok(r.nobs1 < experiment.power({ effectSize: 0.1, power: 0.8 }).nobs1);
    // CUPED with correlation 0.5 needs 3/4 of the units
    const cupedD = experiment.cupedEffectSize(0.1, 0.5);
    close(experiment.power({ effectSize: cupedD, power: 0.8 }).nobs1, 0.75 * experiment.power({ effectSize: 0.1, power: 0.8 }).nobs1, 1e-6, 'CUPED units');
  });

  test(`[${name}] CUPED arms feed welch, bayes and sequential; the variance shrinks`, () => {
    const arm = (n, mean, pre, rho) => {
      // sums of y = mean + e, x = pre + rho e + sqrt(1 - rho^2) u, with e, u unit deterministic noise
      let s = { n, sum: 0, sumSquares: 0, preSum: 0, preSumSquares: 0, sumProducts: 0 };
      for (let i = 0; i < n; i++) {
        const e = Math.sin(i * 12.9898) * 1.7;
        const u = Math.cos(i * 78.233) * 1.7;
        const y = mean + e;
        const x = pre + rho * e + Math.sqrt(1 - rho * rho) * u;
        s = { n, sum: s.sum + y, sumSquares: s.sumSquares + y * y, preSum: s.preSum + x, preSumSquares: s.preSumSquares + x * x, sumProducts: s.sumProducts + x * y };
      }
      return s;
    };
    const a = arm(400, 10, 8, 0.8);
    const b = arm(420, 10.3, 8, 0.8);
    const c = experiment.cuped(a, b);
    assert.ok(c.correlation > 0.5, `correlation ${c.correlation}`);
    const raw = experiment.welch({ n: a.n, sum: a.sum, sumSquares: a.sumSquares }, { n: b.n, sum: b.sum, sumSquares: b.sumSquares });
    const adjusted = experiment.welch(c.a, c.b);
    assert.ok(adjusted.absolute.stdError < raw.absolute.stdError, 'CUPED narrows the interval');
    assert.ok(experiment.bayes(c.a, c.b).stdDev > 0);
    const look = experiment.sequential(c.a, c.b, { tuning: 2000 });
    assert.ok(look.ciLower < look.estimate && look.estimate < look.ciUpper);
    assert.ok(look.pValue >= 0 && look.pValue <= 1);
  });

  test(`[${name}] group-sequential bounds: one row per look, alpha spent by the last`, () => {
    const rows = experiment.groupSequential([0.25, 0.5, 0.75, 1], { alpha: 0.05 });
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => r.information), [0.25, 0.5, 0.75, 1]);
    rows.slice(1).forEach((r, i) => assert.ok(r.z < rows[i].z && r.spent > rows[i].spent, 'O\'Brien-Fleming bounds fall as spending rises'));
    close(rows[3].spent, 0.05, 1e-9, 'spent');
    const pocock = experiment.groupSequential(Float64Array.from([0.5, 1]), { spending: { power: { rho: 1 } }, twoSided: false, alpha: 0.025 });
    close(pocock[1].spent, 0.025, 1e-9, 'one-sided spent');
  });

  test(`[${name}] A/B bad input: typed errors naming the field as JS writes it`, () => {
    coded(() => experiment.ztest({ n: 10, successes: 3 }, { n: 10, successes: 11 }), 'out_of_range', 'b.successes');
    coded(() => experiment.ztest({ n: 0, successes: 0 }, { n: 10, successes: 1 }), 'out_of_range', 'a.n');
    coded(() => experiment.ztest({ n: 10, successes: 3 }, { n: 10, successes: 4 }, { alpha: 1.5 }), 'out_of_range', 'options.alpha');
    coded(() => experiment.ztest({ n: 10, successes: 3 }, { n: 10, sum: 4, sumSquares: 9 }), 'invalid_parameter', 'b');
    coded(() => experiment.ztest([1, 0, 2], [1, 0]), 'invalid_parameter', 'a[2]');
    coded(() => experiment.welch({ n: 3, sum: 6, sumSquares: 11 }, { n: 3, sum: 6, sumSquares: 14 }), 'out_of_range', 'a.sumSquares');
    coded(() => experiment.welch({ n: 3, sum: 6, sum_squares: 14 }, { n: 3, sum: 6, sumSquares: 14 }), 'invalid_parameter', 'a.sum_squares');
    coded(() => experiment.welch({ n: 3, sum: 6 }, { n: 3, sum: 6, sumSquares: 14 }), 'invalid_parameter', 'a');
    coded(() => experiment.welch([1, NaN, 2], [1, 2, 3]), 'non_finite', 'a[1]');
    coded(() => experiment.welch([1, 2], [1, 2], { alternative: 'bigger' }), 'invalid_parameter', 'options.alternative');
    coded(() => experiment.welch([1, 2], [1, 2], { alpah: 0.1 }), 'invalid_parameter', 'options.alpah');
    coded(() => experiment.chisq([{ n: 10, successes: 1 }]), 'not_enough_data');
    coded(() => experiment.bayes({ n: 100, successes: 10 }, { n: 100, successes: 13 }, { prior: { mean: 0, variance: -1 } }), 'out_of_range', 'options.prior.variance');
    coded(() => experiment.bayes({ n: 100, successes: 0 }, { n: 100, successes: 3 }), 'invalid_parameter', 'a.mean');
    coded(() => experiment.betaBinomial({ n: 10, successes: 2 }, { n: 10, successes: 1 }, { prior: { alpha: 0.5, beta: 0.5 } }), 'invalid_parameter', 'options.prior');
    coded(() => experiment.power({ effectSize: 0.1, power: 1 }), 'out_of_range', 'options.power');
    coded(() => experiment.power({ effectSize: 0.1, nobs1: 100, alpha: 0 }), 'out_of_range', 'options.alpha');
    coded(() => experiment.power({ effectSize: 0.1, nobs1: 100, power: 0.8 }), 'invalid_parameter', 'options');
    coded(() => experiment.power({ p1: 0.1, power: 0.8 }), 'invalid_parameter', 'options.p2');
    coded(() => experiment.sequential({ n: 100, successes: 10 }, { n: 100, successes: 13 }, { tuning: 0 }), 'out_of_range', 'options.tuning');
    coded(() => experiment.groupSequential([0.5, 0.4, 1]), 'out_of_range', 'information[1]');
    coded(() => experiment.groupSequential([0.5, 1], { spending: 'pocock' }), 'invalid_parameter', 'options.spending');
    coded(() => experiment.cuped({ n: 10, sum: 1 }, { n: 10 }), 'invalid_parameter', 'a.sumSquares');
  });

  test(`[${name}] Bandit: the same seed makes the same choices; Thompson learns the better arm`, () => {
    const run = (seed) => {
      const b = new experiment.Bandit({ policy: 'thompson', arms: ['red', 'blue'], seed });
      const chosen = [];
      for (let i = 0; i < 300; i++) {
        const arm = b.choose();
        chosen.push(arm);
        b.update(arm, arm === 'blue' ? 1 : 0);
      }
      return { b, chosen };
    };
    const one = run(42);
    assert.deepEqual(run(42).chosen, one.chosen);
    assert.notDeepEqual(run(43).chosen, one.chosen);
    const blue = one.b.summary().find((s) => s.arm === 'blue');
    assert.ok(blue.count > 250, `blue played ${blue.count} times`);
    assert.equal(blue.mean, 1);
    assert.equal(one.b.decisions, 300);
    assert.equal(one.b.updates, 300);
    assert.deepEqual(one.b.arms, ['red', 'blue']);
    assert.deepEqual(one.b.policy, { name: 'beta_thompson', alpha: 1, beta: 1 });
  });

  test(`[${name}] Bandit: toJSON/fromJSON resume bit for bit, from the object or its text`, () => {
    const b = new experiment.Bandit({ policy: { name: 'gaussian_thompson', mean: 1 }, arms: ['a', 'b', 'c'], seed: 9, discount: 0.99 });
    for (let i = 0; i < 50; i++) b.update(b.choose(), Math.sin(i));
    const text = JSON.stringify(b);
    const doc = JSON.parse(text);
    assert.equal(doc.format, 1);
    assert.equal(doc.policy.name, 'gaussian_thompson');
    const fromText = experiment.Bandit.fromJSON(text);
    const fromObject = experiment.Bandit.fromJSON(b.toJSON());
    assert.deepEqual(fromText.toJSON(), b.toJSON());
    for (let i = 0; i < 40; i++) {
      const arm = b.choose();
      assert.equal(fromText.choose(), arm);
      assert.equal(fromObject.choose(), arm);
      for (const x of [b, fromText, fromObject]) x.update(arm, Math.cos(i));
    }
    assert.deepEqual(fromText.summary(), b.summary());
    assert.deepEqual(JSON.parse(JSON.stringify(fromObject)), JSON.parse(JSON.stringify(b)));
    coded(() => experiment.Bandit.fromJSON('{"format":2}'), 'invalid_parameter', 'json');
    coded(() => experiment.Bandit.fromJSON({ ...doc, arms: [{ id: 'a', n: -1, sum: 0, sum_sq: 0 }] }), 'invalid_parameter');
    coded(() => experiment.Bandit.fromJSON('not json'), 'invalid_parameter');
  });

  test(`[${name}] Bandit: a state document as the Rust core writes it loads and resumes`, () => {
    // The core's documented form (core/src/experiment/bandit/mod.rs): UCB1 after one reward on
    // `a`; `b` was never played, so UCB1 must play it next.
    const rust = '{"format":1,"policy":{"name":"ucb1","alpha":1.0},"discount":1.0,"decisions":2,"updates":1,'
      + '"rng":{"seed":7,"stream":0,"word_pos":2},'
      + '"arms":[{"id":"a","n":1.0,"sum":1.0,"sum_sq":1.0},{"id":"b","n":0.0,"sum":0.0,"sum_sq":0.0}]}';
    const b = experiment.Bandit.fromJSON(rust);
    assert.deepEqual(b.arms, ['a', 'b']);
    assert.equal(b.decisions, 2);
    assert.deepEqual(b.summary(), [{ arm: 'a', count: 1, mean: 1 }, { arm: 'b', count: 0, mean: 0 }]);
    assert.deepEqual(b.weights(), [{ arm: 'a', weight: 0 }, { arm: 'b', weight: 1 }]);
    assert.equal(b.choose(), 'b');
    assert.deepEqual(JSON.parse(JSON.stringify(experiment.Bandit.fromJSON(rust))), JSON.parse(rust));
  });

  test(`[${name}] Bandit: batches, delayed rewards, available arms, contexts and traffic weights`, () => {
    const one = new experiment.Bandit({ policy: 'ucb1', arms: ['a', 'b'] });
    const batch = new experiment.Bandit({ policy: 'ucb1', arms: ['a', 'b'] });
    one.update('b', 0.5);
    one.update('a', 2);
    batch.updateBatch([{ arm: 'b', reward: 0.5 }, { arm: 'a', reward: 2 }]);
    assert.deepEqual(batch.summary(), one.summary());
    // a bad item anywhere: nothing applied
    coded(() => batch.updateBatch([{ arm: 'a', reward: 1 }, { arm: 'a', reward: NaN }]), 'non_finite', 'feedback[1].reward');
    assert.deepEqual(batch.summary(), one.summary());
    assert.equal(batch.updates, 2);
    coded(() => batch.updateBatch([{ arm: 'a' }]), 'invalid_parameter', 'feedback[0].reward');
    // only some arms available
    for (let i = 0; i < 20; i++) assert.equal(one.choose(null, ['b']), 'b');
    coded(() => one.choose(null, ['z']), 'invalid_parameter', 'available[0]');
    coded(() => one.choose(null, []), 'not_enough_data');
    // arms come and go
    one.addArm('c');
    one.removeArm('a');
    assert.deepEqual(one.arms, ['b', 'c']);
    coded(() => one.update('a', 1), 'invalid_parameter', 'arm');
    coded(() => one.addArm('b'), 'invalid_parameter', 'arm');
    // a Bernoulli policy takes rewards in [0, 1]
    const t = new experiment.Bandit({ policy: { name: 'top_two_thompson', floor: 0.1 }, arms: ['x', 'y', 'z'], seed: 1 });
    coded(() => t.update('x', 2), 'out_of_range', 'reward');
    for (let i = 0; i < 30; i++) t.updateBatch([{ arm: 'x', reward: 1 }, { arm: 'y', reward: 0 }]);
    const w = t.weights({ draws: 5000 });
    close(w.reduce((s, x) => s + x.weight, 0), 1, 1e-12, 'weights');
    assert.ok(w.every((x) => x.weight >= 0.1 - 1e-15), JSON.stringify(w));
    assert.equal(w[0].arm, 'x');
    assert.ok(w[0].weight > w[1].weight);
    // contextual: LinUCB needs `dim` numbers
    const lin = new experiment.Bandit({ policy: { name: 'lin_ucb', dim: 2, alpha: 0.5 }, arms: ['p', 'q'], seed: 3 });
    for (let i = 0; i < 60; i++) {
      const x = [1, i % 2];
      const arm = lin.choose(x);
      lin.update(arm, arm === (x[1] ? 'q' : 'p') ? 1 : 0, Float64Array.from(x));
    }
    assert.equal(lin.choose([1, 1]), 'q');
    assert.equal(lin.choose([1, 0]), 'p');
    coded(() => lin.choose([1]), 'length_mismatch', 'context');
    coded(() => lin.choose(), 'length_mismatch', 'context');
    coded(() => lin.update('p', 1), 'length_mismatch', 'context');
    coded(() => one.choose([1, 2]), 'invalid_parameter', 'context');
  });

  test(`[${name}] Bandit bad settings: typed errors naming the option`, () => {
    assert.deepEqual(new experiment.Bandit({ arms: ['a'] }).policy, { name: 'beta_thompson', alpha: 1, beta: 1 });
    assert.deepEqual(new experiment.Bandit().arms, []);
    coded(() => new experiment.Bandit({ policy: 'ucb2' }), 'invalid_parameter', 'options.policy');
    coded(() => new experiment.Bandit({ policy: { name: 'ucb1', alhpa: 1 } }), 'invalid_parameter', 'options.policy.alhpa');
    coded(() => new experiment.Bandit({ policy: { name: 'epsilon_greedy', epsilon: 1.5 } }), 'out_of_range', 'options.policy.epsilon');
    coded(() => new experiment.Bandit({ policy: { name: 'lin_thompson' } }), 'out_of_range', 'options.policy.dim');
    coded(() => new experiment.Bandit({ policy: 'softmax', discount: 0 }), 'invalid_parameter', 'options.discount');
    coded(() => new experiment.Bandit({ policy: 'softmax', arms: ['a', 'a'] }), 'invalid_parameter', 'options.arms');
    coded(() => new experiment.Bandit({ policy: 'softmax', seed: -1 }), 'out_of_range', 'options.seed');
    coded(() => new experiment.Bandit({ policy: 'softmax', sead: 1 }), 'invalid_parameter', 'options.sead');
    const t = new experiment.Bandit({ policy: 'thompson', arms: ['a'] });
    coded(() => t.weights({ draws: 0 }), 'out_of_range', 'options.draws');
  });
}
