/**
 * Broadcasting arithmetic: add sub mul div maximum minimum, pow (scalar
 * exponent), clip, where, and comparisons (non-differentiable, 0/1 floats).
 * Gradients of broadcast inputs are summed back to the input's shape.
 */
import type { BinaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { broadcastedAxes, broadcastShapes, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor, type TensorLike } from './define-op.js';
import { reshape, toFloat } from './shape-ops.js';
import { sum } from './reduce.js';

/** Sums a broadcast gradient `dy` back to `shape` (over the axes that broadcasting added or stretched). */
export function sumToShape(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const axes = broadcastedAxes(shape, dy.shape);
  const s = axes.length ? sum(dy, axes, true) : dy;
  return reshape(s, shape);
}

function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, name: string): Tensor {
  const outShape = broadcastShapes(a.shape, b.shape, name);
  return floatTensor(outShape, getBackend().binary(op, fdata(a), a.shape, fdata(b), b.shape, outShape));
}

/** a + b with numpy broadcasting; numbers are scalars. @example add(x, 1) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asFloat(a, 'add');
  const y = asFloat(b, 'add');
  const out = binaryRaw('add', x, y, 'add');
  return defineOp('add', [x, y], out, (dy, needs) => [needs[0] === false ? null : sumToShape(dy, x.shape), needs[1] === false ? null : sumToShape(dy, y.shape)]);
}

/** a − b (broadcasting). */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asFloat(a, 'sub');
  const y = asFloat(b, 'sub');
  const out = binaryRaw('sub', x, y, 'sub');
  return defineOp('sub', [x, y], out, (dy, needs) => [needs[0] === false ? null : sumToShape(dy, x.shape), needs[1] === false ? null : sumToShape(neg(dy), y.shape)]);
}

/** a · b elementwise (broadcasting). */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asFloat(a, 'mul');
  const y = asFloat(b, 'mul');
  const out = binaryRaw('mul', x, y, 'mul');
  return defineOp('mul', [x, y], out, (dy, needs) => [
    needs[0] === false ? null : sumToShape(mul(dy, y), x.shape),
    needs[1] === false ? null : sumToShape(mul(dy, x), y.shape),
  ]);
}

/** a / b elementwise (broadcasting). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asFloat(a, 'div');
  const y = asFloat(b, 'div');
  const out = binaryRaw('div', x, y, 'div');
  return defineOp('div', [x, y], out, (dy, needs) => [
    needs[0] === false ? null : sumToShape(div(dy, y), x.shape),
    needs[1] === false ? null : sumToShape(neg(div(mul(dy, out), y)), y.shape),
  ]);
}

/** −x. */
export function neg(a: TensorLike): Tensor {
  const x = asFloat(a, 'neg');
  const out = floatTensor(x.shape, getBackend().unary('neg', fdata(x), 0));
  return defineOp('neg', [x], out, (dy) => [neg(dy)]);
}

/** Elementwise max; the gradient goes to `a` where a ≥ b (TF convention). NaN propagates. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const x = asFloat(a, 'maximum');
  const y = asFloat(b, 'maximum');
  const out = binaryRaw('maximum', x, y, 'maximum');
  return defineOp('maximum', [x, y], out, (dy) => {
    const m = binaryRaw('greaterEqual', x, y, 'maximum');
    return [sumToShape(mul(dy, m), x.shape), sumToShape(mul(dy, sub(1, m)), y.shape)];
  });
}

/** Elementwise min; the gradient goes to `a` where a ≤ b. NaN propagates. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const x = asFloat(a, 'minimum');
  const y = asFloat(b, 'minimum');
  const out = binaryRaw('minimum', x, y, 'minimum');
  return defineOp('minimum', [x, y], out, (dy) => {
    const m = binaryRaw('lessEqual', x, y, 'minimum');
    return [sumToShape(mul(dy, m), x.shape), sumToShape(mul(dy, sub(1, m)), y.shape)];
  });
}

/** x^p for a scalar exponent p. */
export function pow(a: TensorLike, p: number): Tensor {
  const x = asFloat(a, 'pow');
  if (typeof p !== 'number') throw new Error(`pow: exponent must be a number, got ${typeof p}`);
  const b = getBackend();
  const out = floatTensor(x.shape, b.unary('powScalar', fdata(x), p));
  return defineOp('pow', [x], out, (dy) => [floatTensor(x.shape, b.unaryBackward('powScalar', fdata(x), fdata(out), fdata(dy), p))]);
}

/** Clips to [lo, hi]; the gradient passes where lo ≤ x ≤ hi. */
export function clip(a: TensorLike, lo: number, hi: number): Tensor {
  const x = asFloat(a, 'clip');
  if (!(lo <= hi)) throw new Error(`clip: lower bound ${lo} must not exceed upper bound ${hi}`);
  const b = getBackend();
  const out = floatTensor(x.shape, b.clip(fdata(x), lo, hi));
  return defineOp('clip', [x], out, (dy) => [floatTensor(x.shape, b.clipBackward(fdata(x), fdata(dy), lo, hi))]);
}

/**
 * cond ≠ 0 ? a : b, all three broadcast together (numpy rules). `cond` may be
 * float32 (e.g. from `greater`) or int32. Differentiable in a and b: the
 * gradient goes to whichever side was selected, summed back over broadcasts.
 * @example where(greater(x, 0), x, mul(x, 0.1)) // a leaky relu
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const c = asFloat(cond instanceof Tensor && cond.dtype === 'int32' ? toFloat(cond) : cond, 'where');
  const x = asFloat(a, 'where');
  const y = asFloat(b, 'where');
  const outShape = broadcastShapes(broadcastShapes(c.shape, x.shape, 'where'), y.shape, 'where');
  const be = getBackend();
  const out = floatTensor(outShape, be.where(fdata(c), c.shape, fdata(x), x.shape, fdata(y), y.shape, outShape));
  return defineOp('where', [x, y], out, (dy) => {
    const zero = floatTensor([], be.fill(1, 0));
    return [sumToShape(where(c, dy, zero), x.shape), sumToShape(where(c, zero, dy), y.shape)];
  });
}

function compare(op: BinaryOp) {
  return (a: TensorLike, b: TensorLike): Tensor => binaryRaw(op, asFloat(a, op), asFloat(b, op), op);
}
/** 1 where a > b else 0 (not differentiable). */
export const greater = compare('greater');
/** 1 where a ≥ b else 0 (not differentiable). */
export const greaterEqual = compare('greaterEqual');
/** 1 where a < b else 0 (not differentiable). */
export const less = compare('less');
/** 1 where a ≤ b else 0 (not differentiable). */
export const lessEqual = compare('lessEqual');
/** 1 where a = b else 0 (not differentiable; NaN ≠ NaN). */
export const equal = compare('equal');
