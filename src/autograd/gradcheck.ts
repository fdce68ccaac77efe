/**
 * Finite-difference gradient checking. Runs `f` on a float64 reference backend,
 * compares central differences with the tape's gradients, and reports the worst
 * element. Exported so users can check their own regularizers and layers.
 */
import { ReferenceBackend } from '../backend/reference/reference-backend.js';
import { withBackend } from '../backend/select.js';
import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from './grad.js';
import { Rng } from '../random.js';

/** Outcome of `gradCheck`: the worst element relative to the bound, and where it is. */
export interface GradCheckResult {
  /** Largest |fd − ad| / (atol + rtol·|ad|) over all elements (≤ 1 passes). */
  worst: number;
  /** Largest |fd − ad|. */
  maxAbsDiff: number;
  /** The worst element: input number and flat index (input −1 and the direction number in directional mode). */
  where: { input: number; index: number; numeric: number; analytic: number } | null;
  /** worst ≤ 1. */
  ok: boolean;
}

/** Step, tolerances and mode of `gradCheck`. */
export interface GradCheckOptions {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Relative tolerance (default 1e-5): passes when |fd − ad| ≤ atol + rtol·|ad|. */
  rtol?: number;
  /** Absolute tolerance (default 1e-7). */
  atol?: number;
  /**
   * Check this many random directions v instead of every element:
   * (f(x + εv) − f(x − εv)) / 2ε against ⟨∇f, v⟩. Two evaluations per direction,
   * so big inputs stay cheap. `where.index` is then the direction number.
   */
  directions?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
}

/**
 * Checks d f(inputs) / d inputs by central differences (step eps) in float64.
 * `f` receives float64-backed copies of `inputs` and must return a scalar.
 *
 * @example
 * const r = gradCheck((x) => sum(tanh(x)), [[[2, 3], [0.1, -0.4, 0.3, 1.2, -2, 0.5]]]);
 * if (!r.ok) throw new Error(`worst ${r.worst} at ${JSON.stringify(r.where)}`);
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly (readonly [readonly number[], ArrayLike<number>])[],
  opts: GradCheckOptions = {},
): GradCheckResult {
  const eps = opts.eps ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-7;
  const be = new ReferenceBackend({ float64: true });
  return withBackend(be, () => {
    const xs = inputs.map(([shape, vals]) => new Tensor(shape, 'float32', Float64Array.from(vals)));
    const { grads } = valueAndGrad(() => f(...xs), xs);
    if (opts.directions !== undefined) return directional(f, xs, grads, eps, rtol, atol, opts.directions, opts.seed ?? 0);
    let worst = 0;
    let maxAbsDiff = 0;
    let where: GradCheckResult['where'] = null;
    xs.forEach((x, k) => {
      const d = x.data as Float64Array;
      const g = grads[k]!.data;
      for (let i = 0; i < d.length; i++) {
        const orig = d[i]!;
        d[i] = orig + eps;
        const fp = f(...xs).item();
        d[i] = orig - eps;
        const fm = f(...xs).item();
        d[i] = orig;
        const numeric = (fp - fm) / (2 * eps);
        const analytic = g[i]!;
        const diff = Math.abs(numeric - analytic);
        const score = diff / (atol + rtol * Math.abs(analytic));
        if (!(score <= worst)) {
          worst = Number.isNaN(score) ? Infinity : score;
          where = { input: k, index: i, numeric, analytic };
        }
        maxAbsDiff = Math.max(maxAbsDiff, diff);
      }
    });
    return { worst, maxAbsDiff, where, ok: worst <= 1 };
  });
}

/** Random-direction variant of the check (see `GradCheckOptions.directions`). */
function directional(
  f: (...xs: Tensor[]) => Tensor,
  xs: Tensor[],
  grads: Tensor[],
  eps: number,
  rtol: number,
  atol: number,
  count: number,
  seed: number,
): GradCheckResult {
  const rng = new Rng(seed);
  let worst = 0;
  let maxAbsDiff = 0;
  let where: GradCheckResult['where'] = null;
  const orig = xs.map((x) => Float64Array.from(x.data));
  for (let r = 0; r < count; r++) {
    const dirs = xs.map((x) => Float64Array.from({ length: x.size }, () => rng.normal()));
    let analytic = 0;
    dirs.forEach((v, k) => {
      const g = grads[k]!.data;
      for (let i = 0; i < v.length; i++) analytic += g[i]! * v[i]!;
    });
    const shift = (sign: number): number => {
      xs.forEach((x, k) => {
        const d = x.data as Float64Array;
        for (let i = 0; i < d.length; i++) d[i] = orig[k]![i]! + sign * eps * dirs[k]![i]!;
      });
      return f(...xs).item();
    };
    const numeric = (shift(1) - shift(-1)) / (2 * eps);
    xs.forEach((x, k) => (x.data as Float64Array).set(orig[k]!));
    const diff = Math.abs(numeric - analytic);
    const score = diff / (atol + rtol * Math.abs(analytic));
    if (!(score <= worst)) {
      worst = Number.isNaN(score) ? Infinity : score;
      where = { input: -1, index: r, numeric, analytic };
    }
    maxAbsDiff = Math.max(maxAbsDiff, diff);
  }
  return { worst, maxAbsDiff, where, ok: worst <= 1 };
}
