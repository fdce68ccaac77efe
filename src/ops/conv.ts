/**
 * conv1d (channels last, kernel [k, in, out]; padding valid / same / causal,
 * strides, dilation) and 1-D max/average pooling, with TF's 'same' padding rule
 * (total padding split left = total/2, extra on the right).
 */
import type { Conv1dGeometry, Pool1dGeometry, PoolKind } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';

/** 'valid': no padding; 'same': output length ⌈in/stride⌉ (TF split); 'causal': all padding on the left. */
export type ConvPadding = 'valid' | 'same' | 'causal';
/** Pooling padding ('causal' is not defined for pooling). */
export type PoolPadding = 'valid' | 'same';

/** conv1d options (TF.js names). */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  strides?: number;
  /** Default 'valid'. */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1); cannot be combined with strides > 1. */
  dilationRate?: number;
}

function positiveInt(v: number, what: string, op: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${op}: ${what} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Output length and left padding of a 1-D window op over `inLen` steps with a
 * window of `k` taps. Throws (naming `op`) when a 'valid' window does not fit.
 */
export function convOutput(inLen: number, k: number, stride: number, dilation: number, padding: ConvPadding, op: string): { outLen: number; padLeft: number } {
  const span = dilation * (k - 1) + 1;
  if (padding === 'valid') {
    const outLen = Math.floor((inLen - span) / stride) + 1;
    if (outLen <= 0) throw new Error(`${op}: input length ${inLen} is shorter than the (dilated) window ${span} with padding 'valid'`);
    return { outLen, padLeft: 0 };
  }
  const outLen = Math.floor((inLen - 1) / stride) + 1;
  if (padding === 'causal') return { outLen, padLeft: dilation * (k - 1) };
  if (padding === 'same') {
    const total = Math.max((outLen - 1) * stride + span - inLen, 0);
    return { outLen, padLeft: Math.floor(total / 2) };
  }
  throw new Error(`${op}: unknown padding '${String(padding)}' (expected valid, same or causal)`);
}

/**
 * 1-D convolution. x: [batch, steps, inC], kernel: [k, inC, outC] → [batch, outSteps, outC].
 * @example conv1d(x, w, { padding: 'same' })
 */
export function conv1d(xIn: Tensor, wIn: Tensor, opts: Conv1dOptions = {}): Tensor {
  const x = asFloat(xIn, 'conv1d');
  const w = asFloat(wIn, 'conv1d');
  if (x.rank !== 3) throw new Error(`conv1d: input must be [batch, steps, channels], got ${fmt(x.shape)}`);
  if (w.rank !== 3) throw new Error(`conv1d: kernel must be [k, in, out], got ${fmt(w.shape)}`);
  const [batch, inLen, inC] = x.shape as [number, number, number];
  const [k, kin, outC] = w.shape as [number, number, number];
  if (kin !== inC) throw new Error(`conv1d: kernel ${fmt(w.shape)} expects ${kin} input channels, got input ${fmt(x.shape)}`);
  const stride = positiveInt(opts.strides ?? 1, 'strides', 'conv1d');
  const dilation = positiveInt(opts.dilationRate ?? 1, 'dilationRate', 'conv1d');
  if (stride > 1 && dilation > 1) throw new Error(`conv1d: strides ${stride} > 1 cannot be combined with dilationRate ${dilation} > 1`);
  const { outLen, padLeft } = convOutput(inLen, k, stride, dilation, opts.padding ?? 'valid', 'conv1d');
  const g: Conv1dGeometry = { batch, inLen, inC, outLen, outC, k, stride, dilation, padLeft };
  const b = getBackend();
  const out = floatTensor([batch, outLen, outC], b.conv1dForward(fdata(x), fdata(w), g));
  return defineOp('conv1d', [x, w], out, (dy) => [
    floatTensor(x.shape, b.conv1dBackwardInput(fdata(dy), fdata(w), g)),
    floatTensor(w.shape, b.conv1dBackwardFilter(fdata(x), fdata(dy), g)),
  ]);
}

function pool1d(kind: PoolKind, xIn: Tensor, poolSize: number, strides: number | undefined, padding: PoolPadding): Tensor {
  const op = kind === 'max' ? 'maxPool1d' : 'avgPool1d';
  const x = asFloat(xIn, op);
  if (x.rank !== 3) throw new Error(`${op}: input must be [batch, steps, channels], got ${fmt(x.shape)}`);
  const pool = positiveInt(poolSize, 'poolSize', op);
  const stride = positiveInt(strides ?? pool, 'strides', op);
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: padding must be 'valid' or 'same', got '${String(padding)}'`);
  const [batch, inLen, c] = x.shape as [number, number, number];
  const { outLen, padLeft } = convOutput(inLen, pool, stride, 1, padding, op);
  const g: Pool1dGeometry = { batch, inLen, c, outLen, pool, stride, padLeft };
  const b = getBackend();
  const out = floatTensor([batch, outLen, c], b.pool1dForward(kind, fdata(x), g));
  return defineOp(op, [x], out, (dy) => [floatTensor(x.shape, b.pool1dBackward(kind, fdata(x), fdata(out), fdata(dy), g))]);
}

/**
 * Max over windows of `poolSize` steps (strides default to poolSize).
 * x: [batch, steps, channels] → [batch, outSteps, channels]. Padded positions never win.
 * @example maxPool1d(x, 2) // halves the steps
 */
export function maxPool1d(x: Tensor, poolSize = 2, strides?: number, padding: PoolPadding = 'valid'): Tensor {
  return pool1d('max', x, poolSize, strides, padding);
}

/**
 * Mean over windows of `poolSize` steps (strides default to poolSize); padded
 * positions are not counted (TF 'same'). x: [batch, steps, channels].
 */
export function avgPool1d(x: Tensor, poolSize = 2, strides?: number, padding: PoolPadding = 'valid'): Tensor {
  return pool1d('avg', x, poolSize, strides, padding);
}
