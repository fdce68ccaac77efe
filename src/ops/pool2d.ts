/**
 * 2-D max/average pooling, channels last (NHWC), with TF's 'same' padding rule
 * per axis (total padding split top/left = total/2, the extra row/column on
 * the bottom/right). Padded positions never win a max and are not counted in
 * an average (TF, Keras). The max gradient goes to the first maximal position
 * of each window in row-major order.
 */
import type { Pool2dGeometry, PoolKind } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { PoolPadding } from './conv.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';

/** A size per spatial axis: n means [n, n]. */
export type PoolSize2d = number | readonly [number, number];

/** [a, b] from n or [a, b], each a positive integer (errors name `op` and `what`). */
export function poolPair(v: PoolSize2d, what: string, op: string): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${op}: ${what} must be a positive integer or two of them, got ${JSON.stringify(v)}`);
  }
  return [p[0]!, p[1]!];
}

/**
 * Output size and leading padding of a window op along one spatial axis.
 * 'valid': ⌊(in − pool)/stride⌋ + 1, and the window must fit (errors name
 * `op`, the axis and both sizes); 'same': ⌈in/stride⌉ with TF's split.
 */
export function poolOutputAxis(inLen: number, pool: number, stride: number, padding: PoolPadding, op: string, axis: 'height' | 'width'): { out: number; pad: number } {
  if (padding === 'valid') {
    if (inLen < pool) throw new Error(`${op}: pool ${axis} ${pool} is larger than the input ${axis} ${inLen} with padding 'valid'`);
    return { out: Math.floor((inLen - pool) / stride) + 1, pad: 0 };
  }
  if (padding !== 'same') throw new Error(`${op}: padding must be 'valid' or 'same', got '${String(padding)}'`);
  const out = Math.floor((inLen - 1) / stride) + 1;
  return { out, pad: Math.floor(Math.max((out - 1) * stride + pool - inLen, 0) / 2) };
}

/** The kernel geometry of a pooling of `shape` ([batch, h, w, c]); errors name `op`. */
export function pool2dGeometry(shape: readonly number[], poolSize: PoolSize2d, strides: PoolSize2d | undefined, padding: PoolPadding, op: string): Pool2dGeometry {
  if (shape.length !== 4) throw new Error(`${op}: input must be [batch, height, width, channels], got ${fmt(shape)}`);
  const [poolH, poolW] = poolPair(poolSize, 'poolSize', op);
  const [strideH, strideW] = poolPair(strides ?? [poolH, poolW], 'strides', op);
  const [batch, inH, inW, c] = shape as [number, number, number, number];
  const h = poolOutputAxis(inH, poolH, strideH, padding, op, 'height');
  const w = poolOutputAxis(inW, poolW, strideW, padding, op, 'width');
  return { batch, inH, inW, c, outH: h.out, outW: w.out, poolH, poolW, strideH, strideW, padTop: h.pad, padLeft: w.pad };
}

function pool2d(kind: PoolKind, xIn: Tensor, poolSize: PoolSize2d, strides: PoolSize2d | undefined, padding: PoolPadding): Tensor {
  const op = kind === 'max' ? 'maxPool2d' : 'avgPool2d';
  const x = asFloat(xIn, op);
  const g = pool2dGeometry(x.shape, poolSize, strides, padding, op);
  const b = getBackend();
  const out = floatTensor([g.batch, g.outH, g.outW, g.c], b.pool2dForward(kind, fdata(x), g));
  return defineOp(op, [x], out, (dy) => [floatTensor(x.shape, b.pool2dBackward(kind, fdata(x), fdata(out), fdata(dy), g))]);
}

/**
 * Max over poolSize windows of each channel (strides default to poolSize).
 * x: [batch, height, width, channels] → [batch, outH, outW, channels].
 * @example maxPool2d(x, 2) // halves height and width
 */
export function maxPool2d(x: Tensor, poolSize: PoolSize2d = 2, strides?: PoolSize2d, padding: PoolPadding = 'valid'): Tensor {
  return pool2d('max', x, poolSize, strides, padding);
}

/**
 * Mean over poolSize windows of each channel (strides default to poolSize);
 * padded positions are not counted (TF 'same'). x: [batch, height, width, channels].
 * @example avgPool2d(x, [3, 3], 1, 'same') // a 3×3 box blur that keeps the size
 */
export function avgPool2d(x: Tensor, poolSize: PoolSize2d = 2, strides?: PoolSize2d, padding: PoolPadding = 'valid'): Tensor {
  return pool2d('avg', x, poolSize, strides, padding);
}
