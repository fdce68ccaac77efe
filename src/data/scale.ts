/**
 * Standardization: `x' = (x - mean) / std` per feature column, with mean and
 * std fitted on the training rows only (so no statistic of the validation or
 * test rows leaks into training) and saved with the model as JSON.
 */
import { DataError } from './data-error.js';

/** JSON form of a fitted `StandardScaler`. */
export interface StandardScalerJSON {
  readonly className: 'StandardScaler';
  readonly mean: number[];
  readonly std: number[];
}

/**
 * Per-column standardization. `std` is the population standard deviation
 * (divide by n, as scikit-learn's `StandardScaler`); a constant column gets
 * std 1, so it maps to 0 instead of dividing by zero.
 *
 * @example
 * const s = StandardScaler.fit(features, cols, split.train);
 * const xTrain = s.transform(gatherRows(features, cols, split.train), cols);
 * const restored = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
 */
export class StandardScaler {
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: readonly number[], std: readonly number[]) {
    if (mean.length !== std.length) {
      throw new RangeError(`StandardScaler: mean has ${mean.length} columns but std has ${std.length}`);
    }
    std.forEach((s, j) => {
      if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`StandardScaler: std[${j}] must be finite and > 0, got ${s}`);
      if (!Number.isFinite(mean[j]!)) throw new RangeError(`StandardScaler: mean[${j}] must be finite, got ${mean[j]}`);
    });
    this.mean = [...mean];
    this.std = [...std];
  }

  /** Number of columns the scaler was fitted on. */
  get cols(): number {
    return this.mean.length;
  }

  /**
   * Fits mean and std of each column of `x` (`[rows, cols]` row-major) over
   * the rows listed in `rows` (all rows when omitted), in float64.
   *
   * @throws RangeError when `x.length` is not a multiple of `cols` or no row is selected.
   */
  static fit(x: Float32Array, cols: number, rows?: ArrayLike<number>): StandardScaler {
    if (!Number.isInteger(cols) || cols < 1 || x.length % cols !== 0) {
      throw new RangeError(`StandardScaler.fit: x has ${x.length} values, not a multiple of cols=${cols}`);
    }
    const total = x.length / cols;
    const n = rows ? rows.length : total;
    if (n === 0) throw new RangeError('StandardScaler.fit: no rows to fit on');
    const row = (i: number): number => (rows ? rows[i]! : i);
    const mean = new Array<number>(cols).fill(0);
    const min = new Array<number>(cols).fill(Infinity);
    const max = new Array<number>(cols).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const r = row(i);
      if (!(r >= 0 && r < total)) throw new RangeError(`StandardScaler.fit: row index ${r} out of range [0, ${total})`);
      for (let j = 0; j < cols; j++) {
        const v = x[r * cols + j]!;
        mean[j]! += v;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    for (let j = 0; j < cols; j++) mean[j] = mean[j]! / n;
    const sq = new Array<number>(cols).fill(0);
    for (let i = 0; i < n; i++) {
      const r = row(i);
      for (let j = 0; j < cols; j++) {
        const d = x[r * cols + j]! - mean[j]!;
        sq[j]! += d * d;
      }
    }
    // A constant column (min === max) gets std 1 exactly: summing rounding can
    // leave a 1e-17 "std" that would blow the column up.
    const std = sq.map((s, j) => (min[j] === max[j] ? 1 : Math.sqrt(s / n) || 1));
    const exactMean = mean.map((m, j) => (min[j] === max[j] ? min[j]! : m));
    return new StandardScaler(exactMean, std);
  }

  /**
   * Returns a standardized copy of `x` (`[rows, cols]`, same column layout as
   * at fit time).
   *
   * @throws DataError when `cols` differs from the fitted column count.
   */
  transform(x: Float32Array, cols: number): Float32Array {
    if (cols !== this.cols || x.length % cols !== 0) {
      throw new DataError(`scaler: data has ${cols} feature columns (${x.length} values) but the scaler was fitted on ${this.cols}`);
    }
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i += cols) {
      for (let j = 0; j < cols; j++) out[i + j] = (x[i + j]! - this.mean[j]!) / this.std[j]!;
    }
    return out;
  }

  /** JSON form, restored by `fromJSON`. */
  toJSON(): StandardScalerJSON {
    return { className: 'StandardScaler', mean: [...this.mean], std: [...this.std] };
  }

  /**
   * Restores a scaler from `toJSON()` output, validating it.
   *
   * @throws DataError when the JSON is not a valid scaler.
   */
  static fromJSON(json: unknown): StandardScaler {
    const j = json as Partial<StandardScalerJSON> | null;
    const isNums = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === 'number');
    if (!j || j.className !== 'StandardScaler' || !isNums(j.mean) || !isNums(j.std)) {
      throw new DataError('scaler JSON must be {className: "StandardScaler", mean: number[], std: number[]}');
    }
    try {
      return new StandardScaler(j.mean, j.std);
    } catch (e) {
      throw new DataError(`invalid scaler JSON: ${(e as Error).message}`);
    }
  }
}
