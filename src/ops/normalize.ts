/**
 * l2Normalize: x / max(‖x‖₂, ε) along an axis — Keras 3's `ops.normalize(x,
 * axis, order=2)` (`x · min(rsqrt(Σx²), 1/ε)`, ε = `backend.epsilon()` =
 * 1e-7), used by `Dot({normalize: true})`.
 *
 * Composed from existing ops as x / sqrt(max(Σx², ε²)): the same values, and
 * at a zero vector the gradient is the finite 1/ε (the clamped branch) where
 * the rsqrt form gives NaN. TF.js's `l2Normalize` differs for tiny vectors:
 * it clamps the squared sum at ε (x / sqrt(max(Σx², 1e-7))), i.e. the norm at
 * about 3.2e-4 instead of 1e-7.
 */
import type { Tensor } from '../tensor/tensor.js';
import { div, maximum } from './arithmetic.js';
import { asFloat } from './define-op.js';
import { sum, type Axes } from './reduce.js';
import { sqrt, square } from './unary.js';

/** Keras's default epsilon (`keras.config.epsilon()`). */
export const NORMALIZE_EPSILON = 1e-7;

/**
 * L2-normalizes `x` along `axis` (default last; a list normalizes over those
 * axes together): x / max(‖x‖₂, epsilon). Differentiable; a zero vector stays
 * zero with gradient 1/epsilon.
 * @example l2Normalize(tensor([[3, 4]])) // [[0.6, 0.8]]
 */
export function l2Normalize(x: Tensor, axis: Axes = -1, epsilon = NORMALIZE_EPSILON): Tensor {
  const t = asFloat(x, 'l2Normalize');
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) throw new Error(`l2Normalize: epsilon must be a finite number > 0, got ${String(epsilon)}`);
  if (t.rank === 0) throw new Error('l2Normalize: needs a tensor of rank >= 1, got a scalar');
  return div(t, sqrt(maximum(sum(square(t), axis, true), epsilon * epsilon)));
}
