// README example of experiments in JS: an A/B test and a bandit. Kept between the START/END
// markers (scripts/sync_readme.py copies it into README.md); it runs at this module's top level,
// `console` shadowed to capture what it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const logged = [];
const console = { log: (...args) => logged.push(args.map(String).join(' ')) };

// START: readme-js-experiment
import { experiment } from 'channelwise';

// Is B really better? Each arm's conversions, as a warehouse query gives them
const a = { n: 10_000, successes: 500 };
const b = { n: 10_000, successes: 570 };
const z = experiment.ztest(a, b);
console.log(`lift ${(100 * z.relative.estimate).toFixed(1)}%, p = ${z.pValue.toFixed(3)}`); // lift 14.0%, p = 0.028
const bayes = experiment.bayes(a, b);
console.log(`chance to win ${(100 * bayes.chanceToWin).toFixed(1)}%`); // chance to win 98.0%
const { nobs1 } = experiment.power({ p1: 0.05, p2: 0.055, power: 0.8 });
console.log(`${Math.ceil(nobs1)} users per arm to see 5% -> 5.5%`); // 31218 users per arm ...

// Which creative gets the next impression? A seeded bandit (it runs in the browser too)
const bandit = new experiment.Bandit({ policy: 'thompson', arms: ['red', 'blue'], seed: 7 });
for (let i = 0; i < 2000; i++) {
  const arm = bandit.choose();
  const clicked = i % 100 < (arm === 'blue' ? 6 : 3); // blue's click rate is twice red's
  bandit.update(arm, clicked ? 1 : 0); // rewards may arrive later: updateBatch([{ arm, reward }])
}
console.log(bandit.summary().map((s) => `${s.arm}: ${s.count} shown`).join(', ')); // red: 156 shown, blue: 1844 shown
const saved = JSON.stringify(bandit); // the state document Python's to_json() writes too
console.log(experiment.Bandit.fromJSON(saved).choose() === bandit.choose()); // true
// END: readme-js-experiment

test('README experiment example: a significant lift, a bandit that favours blue and resumes', () => {
  // what the comments say
  assert.deepEqual(logged, ['lift 14.0%, p = 0.028', 'chance to win 98.0%', '31218 users per arm to see 5% -> 5.5%', 'red: 156 shown, blue: 1844 shown', 'true']);
  assert.ok(z.pValue < 0.05 && bayes.chanceToWin > 0.95, `${z.pValue} ${bayes.chanceToWin}`);
  const [red, blue] = bandit.summary();
  assert.ok(blue.count > red.count, `${red.count} red, ${blue.count} blue`);
});
