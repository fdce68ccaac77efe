/**
 * Fused loss reductions: one op (one forward kernel pass, one backward pass)
 * where the plain composition records five or six ops. Small models spend
 * most of a training step in per-op overhead (issue 18), and the loss is the
 * same few ops every step.
 */
import { getBackend } from '../backend/select.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';

/**
 * Σ (a − b)² / divisor over all elements, as a scalar (a, b of one shape).
 * With divisor = the element count this is the mean squared error with the
 * `sum_over_batch_size` reduction (Keras: the per-sample means summed and
 * divided by the batch size, which is the same quantity; docs/semantics.md §6).
 * Gradient: ±2(a − b)·dy / divisor.
 * @example squaredDistance(yTrue, yPred, yTrue.size) // MSE
 */
export function squaredDistance(aIn: Tensor, bIn: Tensor, divisor = 1): Tensor {
  const a = asFloat(aIn, 'squaredDistance');
  const b = asFloat(bIn, 'squaredDistance');
  if (!shapesEqual(a.shape, b.shape)) throw new Error(`squaredDistance: shapes ${fmt(a.shape)} and ${fmt(b.shape)} differ`);
  if (!(divisor > 0)) throw new Error(`squaredDistance: divisor must be > 0, got ${divisor}`);
  const be = getBackend();
  const diff = be.binary('sub', fdata(a), a.shape, fdata(b), b.shape, a.shape);
  const total = be.sumSquares(diff);
  if (divisor !== 1) total[0] = total[0]! / divisor;
  const out = floatTensor([], total);
  return defineOp('squaredDistance', [a, b], out, (dy, needs) => {
    const c = (2 * fdata(dy)[0]!) / divisor;
    const scaled = (k: number): Tensor => floatTensor(a.shape, be.binary('mul', diff, a.shape, be.fill(1, k), [], a.shape));
    return [needs[0] === false ? null : scaled(c), needs[1] === false ? null : scaled(-c)];
  });
}
