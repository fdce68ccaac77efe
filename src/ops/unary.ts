/**
 * Elementwise unary math ops and the activation functions, each with its
 * derivative from the backend's fused `unaryBackward` kernel.
 * Kinks follow Keras/TF: relu'(0) = 0, abs'(0) = 0.
 */
import type { UnaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor, type TensorLike } from './define-op.js';

/** Applies a unary kernel and records its derivative. */
export function unaryOp(op: UnaryOp, a: TensorLike, alpha = 0): Tensor {
  const x = asFloat(a, op);
  const b = getBackend();
  const out = floatTensor(x.shape, b.unary(op, fdata(x), alpha));
  return defineOp(op, [x], out, (dy) => [floatTensor(x.shape, b.unaryBackward(op, fdata(x), fdata(out), fdata(dy), alpha))]);
}

export const exp = (x: TensorLike): Tensor => unaryOp('exp', x);
export const log = (x: TensorLike): Tensor => unaryOp('log', x);
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x);
export const square = (x: TensorLike): Tensor => unaryOp('square', x);
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x);
/** sign(x) ∈ {−1, 0, 1}; gradient 0. */
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x);
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x);

// ---- activations (Keras 3 definitions) ----
export const relu = (x: TensorLike): Tensor => unaryOp('relu', x);
/** min(max(x, 0), 6). */
export const relu6 = (x: TensorLike): Tensor => unaryOp('relu6', x);
/** x > 0 ? x : alpha·x (Keras default alpha 0.2 for the layer, 0.3 in Keras 2). */
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => unaryOp('leakyRelu', x, alpha);
export const elu = (x: TensorLike, alpha = 1): Tensor => unaryOp('elu', x, alpha);
export const selu = (x: TensorLike): Tensor => unaryOp('selu', x);
/** GELU, exact (erf) by default; `approximate` uses the tanh form. */
export const gelu = (x: TensorLike, approximate = false): Tensor => unaryOp(approximate ? 'geluTanh' : 'gelu', x);
export const sigmoid = (x: TensorLike): Tensor => unaryOp('sigmoid', x);
/** Keras 3: relu6(x + 3) / 6. */
export const hardSigmoid = (x: TensorLike): Tensor => unaryOp('hardSigmoid', x);
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x);
export const softplus = (x: TensorLike): Tensor => unaryOp('softplus', x);
export const softsign = (x: TensorLike): Tensor => unaryOp('softsign', x);
/** x · sigmoid(x) (a.k.a. silu). */
export const swish = (x: TensorLike): Tensor => unaryOp('swish', x);
