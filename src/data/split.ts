/**
 * Seeded, stratified splits: train/validation/test and k-fold indices. Every
 * split is a pure function of `(n, labels, fractions, seed)` through the
 * project's `Rng`, so the same seed gives the same split on every machine.
 *
 * Stratified means each class keeps (up to rounding) its share in every part:
 * the rows of each class are shuffled, and each part takes from every class
 * a count fixed by largest-remainder rounding, so the part sizes are exactly
 * `round(n · fraction)`. Without labels (regression) the rows are shuffled
 * once and cut.
 */
import { Rng } from '../random.js';
import { DataError } from './data-error.js';

/** Row indices of a train / validation / test split. */
export interface Split {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

/** Options of `trainValTestSplit`. */
export interface SplitOptions {
  /** Fraction of rows for validation, in [0, 1). */
  readonly validation: number;
  /** Fraction of rows for the held-out test set, in [0, 1). */
  readonly test: number;
  /** Seed of the shuffle. */
  readonly seed: number;
  /** Class label of every row; given, the split is stratified. */
  readonly labels?: ArrayLike<number>;
}

/** One fold of k-fold cross-validation. */
export interface Fold {
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/** Options of `kFold`. */
export interface KFoldOptions {
  readonly seed: number;
  /** Class label of every row; given, the folds are stratified. */
  readonly labels?: ArrayLike<number>;
}

function checkLabels(n: number, labels: ArrayLike<number> | undefined, fn: string): void {
  if (labels !== undefined && labels.length !== n) {
    throw new RangeError(`${fn}: labels has ${labels.length} entries but n = ${n}`);
  }
}

/** Row indices grouped by class (one group when unlabelled), each group shuffled. */
function shuffledGroups(n: number, labels: ArrayLike<number> | undefined, rng: Rng): number[][] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels ? labels[i]! : 0;
    let g = byClass.get(c);
    if (!g) byClass.set(c, (g = []));
    g.push(i);
  }
  const groups = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  for (const g of groups) rng.shuffle(g);
  return groups;
}

/** Splits `total` items into per-group counts proportional to `sizes` (largest remainder). */
function apportion(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum === 0) return sizes.map(() => 0);
  const quotas = sizes.map((s) => (s * total) / sum);
  const counts = quotas.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return counts;
}

/**
 * A seeded (stratified when `labels` are given) train / validation / test
 * split. Sizes: `test = round(n·test)`, `validation = round(n·validation)`,
 * train the rest. Each part is returned in shuffled order.
 *
 * @throws RangeError for fractions outside [0, 1) or summing to ≥ 1.
 * @throws DataError when the data are too few to leave a training row.
 * @example
 * const s = trainValTestSplit(178, { validation: 0.15, test: 0.15, seed: 42, labels });
 * // s.train.length = 124, s.validation.length = 27, s.test.length = 27
 */
export function trainValTestSplit(n: number, options: SplitOptions): Split {
  const { validation, test, seed, labels } = options;
  for (const [name, f] of [['validation', validation], ['test', test]] as const) {
    if (!(f >= 0 && f < 1)) throw new RangeError(`trainValTestSplit: ${name} fraction must be in [0, 1), got ${f}`);
  }
  if (validation + test >= 1) {
    throw new RangeError(`trainValTestSplit: validation + test must be < 1, got ${validation} + ${test}`);
  }
  checkLabels(n, labels, 'trainValTestSplit');
  const nTest = Math.round(n * test);
  const nVal = Math.round(n * validation);
  if (n - nTest - nVal < 1) {
    throw new DataError(`${n} rows are too few for a ${validation} validation and ${test} test split: no training row is left`);
  }
  const rng = new Rng(seed);
  const groups = shuffledGroups(n, labels, rng);
  const testCounts = apportion(groups.map((g) => g.length), nTest);
  const valCounts = apportion(groups.map((g, i) => g.length - testCounts[i]!), nVal);
  // Typed parts filled by index: no `push(...slice)`, whose argument count
  // overflows the call stack for a few hundred thousand rows.
  const train = new Int32Array(n - nTest - nVal);
  const val = new Int32Array(nVal);
  const tst = new Int32Array(nTest);
  let [a, b, c] = [0, 0, 0];
  groups.forEach((g, i) => {
    const t = testCounts[i]!;
    const v = valCounts[i]!;
    for (let j = 0; j < g.length; j++) {
      if (j < t) tst[c++] = g[j]!;
      else if (j < t + v) val[b++] = g[j]!;
      else train[a++] = g[j]!;
    }
  });
  for (const part of [train, val, tst]) rng.shuffle(part);
  return { train, validation: val, test: tst };
}

/**
 * Seeded (stratified when `labels` are given) k-fold cross-validation: every
 * row is in the validation part of exactly one fold; fold sizes differ by at
 * most one, and so do the per-class counts of the folds.
 *
 * @throws RangeError when `k` is not an integer in [2, n].
 * @example
 * const folds = kFold(569, 5, { seed: 1, labels });
 * // folds[i].validation.length is 113 or 114; folds[i].train has the rest
 */
export function kFold(n: number, k: number, options: KFoldOptions): Fold[] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`kFold: k must be an integer in [2, n=${n}], got ${k}`);
  checkLabels(n, options.labels, 'kFold');
  const rng = new Rng(options.seed);
  const order = shuffledGroups(n, options.labels, rng).flat();
  const fold = new Int32Array(n);
  // Dealing the class-grouped order round-robin balances classes and sizes.
  order.forEach((row, pos) => (fold[row] = pos % k));
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const validation: number[] = [];
    for (const row of order) (fold[row] === f ? validation : train).push(row);
    const t = Int32Array.from(train);
    rng.shuffle(t);
    folds.push({ train: t, validation: Int32Array.from(validation).sort() });
  }
  return folds;
}

/**
 * Copies the rows `indices` of a `[rows, cols]` row-major matrix.
 *
 * @example
 * const xTrain = gatherRows(table.features, table.cols, split.train);
 */
export function gatherRows<T extends Float32Array | Int32Array>(x: T, cols: number, indices: ArrayLike<number>): T {
  const out = new (x.constructor as new (n: number) => T)(indices.length * cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!(r >= 0 && (r + 1) * cols <= x.length)) throw new RangeError(`gatherRows: row index ${r} out of range`);
    out.set(x.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return out;
}
