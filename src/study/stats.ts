/**
 * Statistics for comparing regularization regimes soundly on resampled
 * splits (docs/semantics.md, "Comparing regimes"):
 *
 * - Student's t distribution: CDF through the regularized incomplete beta
 *   function (continued fraction, Lentz's method) and its quantile by
 *   bisection refined with Newton steps — accurate to ~1e-10, enough for
 *   confidence intervals.
 * - The corrected resampled t-test (Nadeau & Bengio, "Inference for the
 *   Generalization Error", Machine Learning 52, 2003): J paired differences
 *   from J train/test resamples share training data, so their plain variance
 *   underestimates the variance of the mean; the correction multiplies it by
 *   (1/J + n_test/n_train) instead of 1/J. For r repetitions of k-fold
 *   cross-validation J = r·k and n_test/n_train = 1/(k − 1) — Bouckaert &
 *   Frank's corrected repeated k-fold test ("Evaluating the Replicability of
 *   Significance Tests for Comparing Learning Algorithms", PAKDD 2004).
 * - Repeated stratified k-fold splits, seeded.
 *
 * Plain numbers only: no tensors, no Node built-ins (runs in browsers).
 */
import { Rng } from '../random.js';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; |error| < 1e-13 for x ≥ 0.5). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0, x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`studentTCdf: degrees of freedom must be > 0, got ${df}`);
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (0 < p < 1). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The result of a paired comparison over resamples. */
export interface PairedTest {
  /** Mean of the paired differences (regime − baseline). */
  mean: number;
  /** Standard error after the resampling correction. */
  se: number;
  /** Lower and upper bounds of the two-sided confidence interval. */
  ci: [number, number];
  /** t statistic and its degrees of freedom (J − 1). */
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** True when the interval excludes 0. */
  significant: boolean;
}

/**
 * The corrected resampled t-test on paired differences d_1 … d_J (one per
 * resample, regime minus baseline on the same split): variance of the mean
 * (1/J + nTest/nTrain) · s², df = J − 1. `level` is the confidence level
 * (default 0.95).
 * @example correctedResampledTTest([0.01, 0.02, -0.005, 0.015, 0.01], { nTrain: 900, nTest: 100 })
 */
export function correctedResampledTTest(diffs: readonly number[], opts: { nTrain: number; nTest: number; level?: number }): PairedTest {
  const J = diffs.length;
  if (J < 2) throw new Error(`correctedResampledTTest: needs at least 2 paired differences, got ${J}`);
  for (const d of diffs) if (!Number.isFinite(d)) throw new Error(`correctedResampledTTest: differences must be finite numbers, got ${d}`);
  const { nTrain, nTest } = opts;
  if (!(nTrain > 0 && nTest > 0)) throw new Error(`correctedResampledTTest: nTrain and nTest must be > 0, got ${nTrain} and ${nTest}`);
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`correctedResampledTTest: level must be in (0, 1), got ${level}`);
  let mean = 0;
  for (const d of diffs) mean += d;
  mean /= J;
  let ss = 0;
  for (const d of diffs) ss += (d - mean) * (d - mean);
  const variance = ss / (J - 1);
  const se = Math.sqrt((1 / J + nTest / nTrain) * variance);
  const df = J - 1;
  const q = studentTQuantile(1 - (1 - level) / 2, df);
  const t = se > 0 ? mean / se : mean === 0 ? 0 : Math.sign(mean) * Infinity;
  const p = se > 0 ? 2 * (1 - studentTCdf(Math.abs(t), df)) : mean === 0 ? 1 : 0;
  const ci: [number, number] = [mean - q * se, mean + q * se];
  return { mean, se, ci, t, df, p, significant: ci[0] > 0 || ci[1] < 0 };
}

/**
 * r × k stratified folds: for each repetition, the rows of each class are
 * shuffled (seeded) and dealt round-robin into k folds, so every fold keeps
 * the class proportions. Returns, per repetition and fold, the test rows
 * (sorted); the training rows are the others. `labels` null: plain k-fold.
 */
export function repeatedStratifiedKFold(n: number, k: number, r: number, seed: number, labels?: ArrayLike<number> | null): Int32Array[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`repeatedStratifiedKFold: k must be an integer ≥ 2, got ${k}`);
  if (!Number.isInteger(r) || r < 1) throw new Error(`repeatedStratifiedKFold: r must be an integer ≥ 1, got ${r}`);
  if (!Number.isInteger(n) || n < k) throw new Error(`repeatedStratifiedKFold: need at least k = ${k} rows, got ${n}`);
  if (labels && labels.length !== n) throw new Error(`repeatedStratifiedKFold: ${labels.length} labels for ${n} rows`);
  const root = new Rng(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels ? labels[i]! : 0;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(i);
  }
  const classes = [...groups.keys()].sort((a, b) => a - b);
  const out: Int32Array[][] = [];
  for (let rep = 0; rep < r; rep++) {
    const rng = root.split();
    const folds: number[][] = Array.from({ length: k }, () => []);
    let next = 0;
    for (const c of classes) {
      const rows = groups.get(c)!;
      const order = rng.permutation(rows.length);
      for (let j = 0; j < order.length; j++) {
        folds[next]!.push(rows[order[j]!]!);
        next = (next + 1) % k;
      }
    }
    out.push(folds.map((f) => Int32Array.from(f).sort()));
  }
  return out;
}

/** The rows of 0 … n−1 not in `test` (sorted), for a fold's training part. */
export function complementRows(n: number, test: Int32Array): Int32Array {
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const out = new Int32Array(n - test.length);
  let o = 0;
  for (let i = 0; i < n; i++) if (!inTest[i]) out[o++] = i;
  return out;
}
