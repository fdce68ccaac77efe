import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complementRows, correctedResampledTTest, incompleteBeta, logGamma, repeatedStratifiedKFold, studentTCdf, studentTQuantile } from './stats.js';

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('logGamma, incomplete beta and Student t against published values', () => {
  close(logGamma(5), Math.log(24), 1e-12, 'lnΓ(5)');
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12, 'lnΓ(0.5)');
  close(incompleteBeta(0.5, 2, 2), 0.5, 1e-12, 'I_0.5(2,2)');
  close(incompleteBeta(0.3, 1, 1), 0.3, 1e-12, 'I_x(1,1) = x');
  // Two-sided 95 % critical values of t (standard tables).
  const table: [number, number][] = [[1, 12.7062047], [2, 4.30265273], [4, 2.77644511], [9, 2.26215716], [29, 2.04522964], [1000, 1.96233908]];
  for (const [df, q] of table) close(studentTQuantile(0.975, df), q, 2e-7, `t(0.975, ${df})`);
  close(studentTCdf(2, 10), 0.963305982, 1e-8, 'P(T10 ≤ 2)');
  close(studentTCdf(-1, 1), 0.25, 1e-12, 'Cauchy CDF at −1');
  close(studentTQuantile(0.025, 9), -2.26215716, 2e-7, 'lower quantile');
  assert.throws(() => studentTQuantile(1, 3), /p must be in \(0, 1\)/);
});

test('corrected resampled t-test: the Nadeau–Bengio variance and interval', () => {
  const d = [0.02, 0.01, 0.03, 0.0, 0.015, 0.025, 0.005, 0.02, 0.01, 0.015];
  const r = correctedResampledTTest(d, { nTrain: 900, nTest: 100 });
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const s2 = d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1);
  const se = Math.sqrt((1 / 10 + 100 / 900) * s2);
  close(r.mean, mean, 1e-15, 'mean');
  close(r.se, se, 1e-15, 'se');
  close(r.ci[0], mean - 2.26215716 * se, 1e-8, 'lower');
  close(r.ci[1], mean + 2.26215716 * se, 1e-8, 'upper');
  assert.equal(r.df, 9);
  assert.equal(r.significant, true);
  close(r.p, 2 * (1 - studentTCdf(mean / se, 9)), 1e-15, 'p');
  // The correction widens the interval: the naive one (1/J) would call a noisier difference significant.
  const noisy = [0.03, 0.0, 0.025, 0.005, 0.02, 0.0, 0.015, -0.005, 0.03, 0.005];
  const corrected = correctedResampledTTest(noisy, { nTrain: 900, nTest: 100 });
  const m = noisy.reduce((s, v) => s + v, 0) / 10;
  const naiveSe = Math.sqrt(noisy.reduce((s, v) => s + (v - m) ** 2, 0) / 9 / 10);
  assert.ok(m - 2.26215716 * naiveSe > 0, 'naive test says significant');
  assert.equal(corrected.significant, false, 'corrected test does not');
  assert.throws(() => correctedResampledTTest([0.1], { nTrain: 9, nTest: 1 }), /at least 2 paired differences/);
  assert.throws(() => correctedResampledTTest([0.1, NaN], { nTrain: 9, nTest: 1 }), /finite/);
  const zero = correctedResampledTTest([0.01, 0.01, 0.01], { nTrain: 9, nTest: 1 });
  assert.equal(zero.significant, true);
  assert.equal(zero.p, 0);
});

test('repeated stratified k-fold: every row once per repetition, class proportions kept, seeded', () => {
  const labels = Array.from({ length: 103 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const reps = repeatedStratifiedKFold(103, 5, 3, 7, labels);
  assert.equal(reps.length, 3);
  for (const folds of reps) {
    const seen = new Int32Array(103);
    for (const f of folds) {
      for (const i of f) seen[i]!++;
      const ones = Array.from(f).filter((i) => labels[i] === 1).length;
      assert.ok(Math.abs(ones / f.length - 31 / 103) < 0.06, `fold keeps the class share: ${ones}/${f.length}`);
      assert.ok(f.length === 20 || f.length === 21);
      assert.equal(complementRows(103, f).length, 103 - f.length);
    }
    assert.ok(seen.every((c) => c === 1));
  }
  assert.notDeepEqual(reps[0], reps[1], 'repetitions shuffle differently');
  assert.deepEqual(repeatedStratifiedKFold(103, 5, 3, 7, labels), reps, 'same seed, same folds');
  assert.throws(() => repeatedStratifiedKFold(3, 5, 1, 0), /need at least k = 5 rows/);
});
