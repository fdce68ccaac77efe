/**
 * Elementwise unary math ops and the activation functions, each with its
 * derivative from the backend's fused `unaryBackward` kernel.
 * Kinks follow Keras/TF: relu'(0) = 0, abs'(0) = 0.
 */
import type { UnaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor, type TensorLike } from './define-op.js';

/**
 * Applies the unary kernel `op` (with its scalar parameter `alpha`) and records
 * its derivative, computed by the backend's fused `unaryBackward` from x, y and dy.
 */
export function unaryOp(op: UnaryOp, a: TensorLike, alpha = 0): Tensor {
  const x = asFloat(a, op);
  const b = getBackend();
  const out = floatTensor(x.shape, b.unary(op, fdata(x), alpha));
  return defineOp(op, [x], out, (dy) => [floatTensor(x.shape, b.unaryBackward(op, fdata(x), fdata(out), fdata(dy), alpha))]);
}

/** eˣ elementwise. d/dx = eˣ. @example exp(tensor([0, 1])) // [1, 2.718…] */
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x);
/** Natural log elementwise (log 0 = −∞, log of a negative = NaN). d/dx = 1/x. */
export const log = (x: TensorLike): Tensor => unaryOp('log', x);
/** √x elementwise. d/dx = 1/(2√x) (∞ at 0). */
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x);
/** x² elementwise. d/dx = 2x. */
export const square = (x: TensorLike): Tensor => unaryOp('square', x);
/** |x| elementwise. d/dx = sign(x), with abs′(0) = 0 (TF). */
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x);
/** sign(x) ∈ {−1, 0, 1}; gradient 0. */
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x);
/** 1/x elementwise. d/dx = −1/x². */
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x);

// ---- activations (Keras 3 definitions) ----
/** max(x, 0); relu′(0) = 0 (TF). NaN stays NaN. @example relu(tensor([-1, 0, 2])) // [0, 0, 2] */
export const relu = (x: TensorLike): Tensor => unaryOp('relu', x);
/** min(max(x, 0), 6). */
export const relu6 = (x: TensorLike): Tensor => unaryOp('relu6', x);
/** x > 0 ? x : alpha·x (Keras default alpha 0.2 for the layer, 0.3 in Keras 2). */
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => unaryOp('leakyRelu', x, alpha);
/** x > 0 ? x : alpha·(eˣ − 1) (default alpha 1). */
export const elu = (x: TensorLike, alpha = 1): Tensor => unaryOp('elu', x, alpha);
/** scale·elu(x, alpha) with Klambauer et al.'s alpha ≈ 1.6733 and scale ≈ 1.0507. */
export const selu = (x: TensorLike): Tensor => unaryOp('selu', x);
/** GELU, exact (erf) by default; `approximate` uses the tanh form. */
export const gelu = (x: TensorLike, approximate = false): Tensor => unaryOp(approximate ? 'geluTanh' : 'gelu', x);
/** 1 / (1 + e⁻ˣ), computed without overflow for large |x|. */
export const sigmoid = (x: TensorLike): Tensor => unaryOp('sigmoid', x);
/** Keras 3: relu6(x + 3) / 6. */
export const hardSigmoid = (x: TensorLike): Tensor => unaryOp('hardSigmoid', x);
/** Hyperbolic tangent. d/dx = 1 − tanh²(x). */
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x);
/** log(1 + eˣ), computed without overflow. d/dx = sigmoid(x). */
export const softplus = (x: TensorLike): Tensor => unaryOp('softplus', x);
/** x / (1 + |x|). */
export const softsign = (x: TensorLike): Tensor => unaryOp('softsign', x);
/** x · sigmoid(x) (a.k.a. silu). */
export const swish = (x: TensorLike): Tensor => unaryOp('swish', x);
