/**
 * Finite-difference gradient checking. Runs `f` on a float64 reference backend,
 * compares central differences with the tape's gradients, and reports the worst
 * element. Exported so users can check their own regularizers and layers.
 */
import { ReferenceBackend } from '../backend/reference/reference-backend.js';
import { withBackend } from '../backend/select.js';
import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from './grad.js';

export interface GradCheckResult {
  /** Largest |fd − ad| / (atol + rtol·|ad|) over all elements (≤ 1 passes). */
  worst: number;
  maxAbsDiff: number;
  where: { input: number; index: number; numeric: number; analytic: number } | null;
  ok: boolean;
}

/**
 * Checks d f(inputs) / d inputs by central differences (step eps) in float64.
 * `f` receives float64-backed copies of `inputs` and must return a scalar.
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly (readonly [readonly number[], ArrayLike<number>])[],
  opts: { eps?: number; rtol?: number; atol?: number } = {},
): GradCheckResult {
  const eps = opts.eps ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-7;
  const be = new ReferenceBackend({ float64: true });
  return withBackend(be, () => {
    const xs = inputs.map(([shape, vals]) => new Tensor(shape, 'float32', Float64Array.from(vals)));
    const { grads } = valueAndGrad(() => f(...xs), xs);
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
