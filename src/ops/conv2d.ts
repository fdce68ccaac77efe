/**
 * 2-D convolutions, channels last (NHWC): conv2d (grouped), depthwiseConv2d
 * and conv2dTranspose (the input-gradient of conv2d), each differentiable
 * through the backend's backward kernels. Padding follows TF's rule per axis
 * ('same': output ⌈in/stride⌉, total padding split top/left = total/2, extra
 * bottom/right); conv2dTranspose follows Keras 3's output size rules,
 * output_padding included (docs/semantics.md §10).
 */
import type { Conv2dGeometry } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';

/** 2-D padding ('causal' is 1-D only). */
export type Conv2dPadding = 'valid' | 'same';
/** One number for both axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/** conv2d / depthwiseConv2d options (TF.js names). */
export interface Conv2dOptions {
  /** Default 1. */
  strides?: Pair;
  /** Default 'valid'. */
  padding?: Conv2dPadding;
  /** Default 1; cannot exceed 1 together with strides > 1 (Keras). */
  dilationRate?: Pair;
  /** conv2d only: channel groups (default 1); must divide input channels and filters. */
  groups?: number;
}

/** conv2dTranspose options. */
export interface Conv2dTransposeOptions {
  strides?: Pair;
  padding?: Conv2dPadding;
  dilationRate?: Pair;
  /** Extra rows/columns at the bottom/right (each < its stride); default: Keras's inferred size. */
  outputPadding?: Pair;
  /** [height, width] (or [batch, height, width, channels]) the result must have; checked against the size rule. */
  outputShape?: readonly number[];
}

/** [h, w] from a number or a pair, each a positive integer (`min` 0 for outputPadding). */
function pair(v: Pair | undefined, dflt: number, what: string, op: string, min = 1): [number, number] {
  const p = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < min)) {
    throw new Error(`${op}: ${what} must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [p[0]!, p[1]!];
}

/**
 * Output size and leading padding of one spatial axis of a conv with `k` taps.
 * Throws (naming op, axis and sizes) when a 'valid' window does not fit.
 */
export function conv2dAxis(inLen: number, k: number, stride: number, dilation: number, padding: Conv2dPadding, op: string, axis: string): { out: number; pad: number } {
  const span = dilation * (k - 1) + 1;
  if (padding === 'valid') {
    const out = Math.floor((inLen - span) / stride) + 1;
    if (out <= 0) throw new Error(`${op}: input ${axis} ${inLen} is smaller than the (dilated) kernel ${axis} ${span} with padding 'valid'`);
    return { out, pad: 0 };
  }
  if (padding !== 'same') throw new Error(`${op}: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`);
  const out = Math.floor((inLen - 1) / stride) + 1;
  return { out, pad: Math.floor(Math.max((out - 1) * stride + span - inLen, 0) / 2) };
}

/**
 * Keras 3 transposed-conv size of one axis (`deconv_output_length`) and the
 * leading padding of the equivalent forward conv (from Keras's jax padding rule).
 */
export function convTransposeAxis(inLen: number, k: number, stride: number, dilation: number, padding: Conv2dPadding, outputPadding: number | undefined): { out: number; pad: number } {
  const kd = (k - 1) * dilation + 1;
  let padLen: number;
  if (padding === 'valid') padLen = 2 * (kd - 1) + (outputPadding ?? Math.max(kd, stride) - kd);
  else padLen = outputPadding === undefined ? stride + kd - 2 : kd + (kd % 2) - 2 + outputPadding;
  const left = padding === 'valid' ? kd - 1 : Math.min(Math.floor(padLen / 2) + (padLen % 2), kd - 1);
  return { out: (inLen - 1) * stride + padLen - kd + 2, pad: kd - 1 - left };
}

function rank4(x: Tensor, op: string, what: string, dims: string): void {
  if (x.rank !== 4) throw new Error(`${op}: ${what} must be rank 4 ${dims}, got ${fmt(x.shape)}`);
}

function noDilatedStrides(op: string, s: [number, number], d: [number, number]): void {
  if (Math.max(s[0], s[1]) > 1 && Math.max(d[0], d[1]) > 1) {
    throw new Error(`${op}: strides ${fmt(s)} > 1 cannot be combined with dilationRate ${fmt(d)} > 1`);
  }
}

/** Geometry of a forward conv of x [batch, h, w, inC] with a kernel [kh, kw, ·, outC]. */
function forwardGeometry(op: string, xs: readonly number[], kh: number, kw: number, outC: number, groups: number, opts: Conv2dOptions): Conv2dGeometry {
  const [batch, inH, inW, inC] = xs as [number, number, number, number];
  const [strideH, strideW] = pair(opts.strides, 1, 'strides', op);
  const [dilationH, dilationW] = pair(opts.dilationRate, 1, 'dilationRate', op);
  noDilatedStrides(op, [strideH, strideW], [dilationH, dilationW]);
  const padding = opts.padding ?? 'valid';
  const h = conv2dAxis(inH, kh, strideH, dilationH, padding, op, 'height');
  const w = conv2dAxis(inW, kw, strideW, dilationW, padding, op, 'width');
  return { batch, inH, inW, inC, outH: h.out, outW: w.out, outC, kh, kw, strideH, strideW, dilationH, dilationW, padTop: h.pad, padLeft: w.pad, groups };
}

/**
 * 2-D convolution. x: [batch, h, w, inC], kernel: [kh, kw, inC/groups, outC] → [batch, outH, outW, outC].
 * @example conv2d(x, w, { strides: 2, padding: 'same' })
 */
export function conv2d(xIn: Tensor, wIn: Tensor, opts: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  const x = asFloat(xIn, op);
  const w = asFloat(wIn, op);
  rank4(x, op, 'input', '[batch, height, width, channels]');
  rank4(w, op, 'kernel', '[kh, kw, in/groups, out]');
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${JSON.stringify(groups)}`);
  const [kh, kw, kin, outC] = w.shape as [number, number, number, number];
  const inC = x.shape[3]!;
  if (inC % groups !== 0) throw new Error(`${op}: groups ${groups} must divide the input channels, got ${inC}`);
  if (outC % groups !== 0) throw new Error(`${op}: groups ${groups} must divide the filters, got ${outC}`);
  if (kin * groups !== inC) throw new Error(`${op}: kernel ${fmt(w.shape)} expects ${kin * groups} input channels (${kin} per group × ${groups}), got input ${fmt(x.shape)}`);
  const g = forwardGeometry(op, x.shape, kh, kw, outC, groups, opts);
  const b = getBackend();
  const out = floatTensor([g.batch, g.outH, g.outW, outC], b.conv2dForward(fdata(x), fdata(w), g));
  return defineOp(op, [x, w], out, (dy, needs) => [
    needs[0] ? floatTensor(x.shape, b.conv2dBackwardInput(fdata(dy), fdata(w), g)) : null,
    needs[1] ? floatTensor(w.shape, b.conv2dBackwardFilter(fdata(x), fdata(dy), g)) : null,
  ]);
}

/**
 * Depthwise 2-D convolution: each input channel c is convolved with its own
 * `mult` filters. x: [batch, h, w, inC], kernel: [kh, kw, inC, mult] → [batch, outH, outW, inC·mult]
 * (output channel c·mult + m).
 */
export function depthwiseConv2d(xIn: Tensor, wIn: Tensor, opts: Omit<Conv2dOptions, 'groups'> = {}): Tensor {
  const op = 'depthwiseConv2d';
  const x = asFloat(xIn, op);
  const w = asFloat(wIn, op);
  rank4(x, op, 'input', '[batch, height, width, channels]');
  rank4(w, op, 'kernel', '[kh, kw, in, multiplier]');
  const [kh, kw, kin, mult] = w.shape as [number, number, number, number];
  const inC = x.shape[3]!;
  if (kin !== inC) throw new Error(`${op}: kernel ${fmt(w.shape)} expects ${kin} input channels, got input ${fmt(x.shape)}`);
  if ('groups' in opts) throw new Error(`${op}: unknown option 'groups' (a depthwise conv has one group per channel)`);
  const g = forwardGeometry(op, x.shape, kh, kw, inC * mult, inC, opts);
  const b = getBackend();
  const out = floatTensor([g.batch, g.outH, g.outW, g.outC], b.depthwiseConv2dForward(fdata(x), fdata(w), g));
  return defineOp(op, [x, w], out, (dy, needs) => [
    needs[0] ? floatTensor(x.shape, b.depthwiseConv2dBackwardInput(fdata(dy), fdata(w), g)) : null,
    needs[1] ? floatTensor(w.shape, b.depthwiseConv2dBackwardFilter(fdata(x), fdata(dy), g)) : null,
  ]);
}

/**
 * Transposed 2-D convolution (the input-gradient of conv2d). x: [batch, h, w, inC],
 * kernel: [kh, kw, outC, inC] (Keras/TF.js layout) → [batch, outH, outW, outC] with
 * outH = (h − 1)·s + kd − 2·pad + outputPadding (Keras 3 rule; see convTransposeAxis).
 */
export function conv2dTranspose(xIn: Tensor, wIn: Tensor, opts: Conv2dTransposeOptions = {}): Tensor {
  const op = 'conv2dTranspose';
  const x = asFloat(xIn, op);
  const w = asFloat(wIn, op);
  rank4(x, op, 'input', '[batch, height, width, channels]');
  rank4(w, op, 'kernel', '[kh, kw, out, in]');
  const [batch, h, wd, inC] = x.shape as [number, number, number, number];
  const [kh, kw, outC, kin] = w.shape as [number, number, number, number];
  if (kin !== inC) throw new Error(`${op}: kernel ${fmt(w.shape)} expects ${kin} input channels (its last axis), got input ${fmt(x.shape)}`);
  const [strideH, strideW] = pair(opts.strides, 1, 'strides', op);
  const [dilationH, dilationW] = pair(opts.dilationRate, 1, 'dilationRate', op);
  noDilatedStrides(op, [strideH, strideW], [dilationH, dilationW]);
  const padding = opts.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`);
  const op2 = opts.outputPadding === undefined ? undefined : pair(opts.outputPadding, 0, 'outputPadding', op, 0);
  if (op2 && (op2[0] >= strideH || op2[1] >= strideW)) throw new Error(`${op}: outputPadding ${fmt(op2)} must be smaller than strides ${fmt([strideH, strideW])}`);
  const ah = convTransposeAxis(h, kh, strideH, dilationH, padding, op2?.[0]);
  const aw = convTransposeAxis(wd, kw, strideW, dilationW, padding, op2?.[1]);
  if (opts.outputShape) {
    const want = opts.outputShape.length === 4 ? opts.outputShape.slice(1, 3) : opts.outputShape;
    if (want.length !== 2 || want[0] !== ah.out || want[1] !== aw.out) {
      throw new Error(`${op}: outputShape ${fmt(opts.outputShape)} does not match the size rule, which gives [${ah.out},${aw.out}] (set outputPadding to choose among sizes)`);
    }
  }
  // The conv2d whose input-gradient this is: input [batch, outH, outW, outC] → output x.
  const g: Conv2dGeometry = {
    batch, inH: ah.out, inW: aw.out, inC: outC, outH: h, outW: wd, outC: inC, kh, kw,
    strideH, strideW, dilationH, dilationW, padTop: ah.pad, padLeft: aw.pad, groups: 1,
  };
  const b = getBackend();
  const out = floatTensor([batch, ah.out, aw.out, outC], b.conv2dBackwardInput(fdata(x), fdata(w), g));
  return defineOp(op, [x, w], out, (dy, needs) => [
    needs[0] ? floatTensor(x.shape, b.conv2dForward(fdata(dy), fdata(w), g)) : null,
    needs[1] ? floatTensor(w.shape, b.conv2dBackwardFilter(fdata(dy), fdata(x), g)) : null,
  ]);
}
