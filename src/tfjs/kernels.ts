/**
 * TF.js op semantics on Regula tensors: the dtype rules (int32 stays int32
 * where TF.js keeps it, comparisons give 0/1 int32 where TF.js gives bool),
 * TF.js's argument conventions (slice with a number or −1 sizes, argMax on
 * axis 0 by default) and the few ops Regula's core does not have (stack,
 * tile, split, round/floor/ceil). Everything here takes and returns core
 * tensors; tensor.ts wraps them.
 *
 * Integer arithmetic goes through float32 (exact up to 2²⁴), which is what
 * labels and indices need.
 */
import {
  abs, add, argMax, argMin, clip, concat, div, elu, equal, exp, expandDims, greater, greaterEqual, leakyRelu, less, lessEqual, log,
  logSoftmax, matmul, max, maximum, mean, min, minimum, mul, neg, norm, pow, relu, reshape, selu, sigmoid, sign, slice, softmax,
  softplus, sqrt, square, squeeze, sub, sum, tanh, toFloat, toInt, where,
} from '../ops/index.js';
import { Tensor as CoreTensor } from '../tensor/tensor.js';
import { tensor as coreTensor } from '../tensor/create.js';
import type { DataType } from './types.js';

export type Operand = CoreTensor | number;
type Binary = (a: Operand, b: Operand) => CoreTensor;

const isInt = (x: Operand): boolean => typeof x !== 'number' && x.dtype === 'int32';
const asF = (x: Operand): Operand => (typeof x === 'number' ? x : toFloat(x));

/** Runs a float op; the result is int32 when both operands are int32 tensors (TF.js's dtype rule). */
export function binary(fn: Binary, a: Operand, b: Operand): CoreTensor {
  const out = fn(asF(a), asF(b));
  return isInt(a) && isInt(b) ? toInt(out) : out;
}

const binaries = { add, sub, mul, maximum, minimum } as const;
export type BinaryName = keyof typeof binaries;

export function arith(name: BinaryName, a: Operand, b: Operand): CoreTensor {
  return binary(binaries[name], a, b);
}

/** a / b; int32 / int32 is floor division, as in TF.js. */
export function divide(a: Operand, b: Operand): CoreTensor {
  if (isInt(a) && isInt(b)) return toInt(floorOf(div(asF(a), asF(b))));
  return div(asF(a), asF(b));
}

const comparisons = { equal, greater, greaterEqual, less, lessEqual } as const;
export type CompareName = keyof typeof comparisons | 'notEqual';

/** 0/1 as int32 (TF.js gives a bool tensor, which Regula does not have). */
export function compare(name: CompareName, a: Operand, b: Operand): CoreTensor {
  if (name === 'notEqual') return toInt(sub(1, equal(asF(a), asF(b))));
  return toInt(comparisons[name](asF(a), asF(b)));
}

/** Elementwise ops that keep int32 in TF.js (abs, neg, square, sign, relu). */
const keepInt = { abs, neg, square, sign, relu } as const;
/** Elementwise ops whose result is float32. */
const toFloatOps = { sqrt, exp, log, sigmoid, tanh, softplus, selu } as const;
export type UnaryName = keyof typeof keepInt | keyof typeof toFloatOps;

export function unary(name: UnaryName, x: CoreTensor): CoreTensor {
  if (name in keepInt) {
    const out = keepInt[name as keyof typeof keepInt](toFloat(x));
    return x.dtype === 'int32' ? toInt(out) : out;
  }
  return toFloatOps[name as keyof typeof toFloatOps](toFloat(x));
}

export const eluOf = (x: CoreTensor, alpha = 1): CoreTensor => elu(toFloat(x), alpha);
export const leakyReluOf = (x: CoreTensor, alpha = 0.2): CoreTensor => leakyRelu(toFloat(x), alpha);
export const softmaxOf = (x: CoreTensor, axis = -1): CoreTensor => softmax(toFloat(x), axis);
export const logSoftmaxOf = (x: CoreTensor, axis = -1): CoreTensor => logSoftmax(toFloat(x), axis);

/** Rounding (not differentiable; TF.js gives them zero gradients). */
function rounded(x: CoreTensor, f: (v: number) => number): CoreTensor {
  if (x.dtype === 'int32') return x;
  const out = new Float32Array(x.size);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = f(d[i]!);
  return coreTensor(out, x.shape);
}
/** Round half to even, as TF.js. */
const roundHalfEven = (v: number): number => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
export const roundOf = (x: CoreTensor): CoreTensor => rounded(x, roundHalfEven);
export const floorOf = (x: CoreTensor): CoreTensor => rounded(x, Math.floor);
export const ceilOf = (x: CoreTensor): CoreTensor => rounded(x, Math.ceil);

export function powOf(x: CoreTensor, p: Operand): CoreTensor {
  const e = typeof p === 'number' ? p : p.size === 1 ? p.data[0]! : NaN;
  if (Number.isNaN(e)) throw new Error(`pow: regula/tfjs takes a number or a one-value exponent, got a tensor of shape [${(p as CoreTensor).shape.join(',')}]`);
  const out = pow(toFloat(x), e);
  return x.dtype === 'int32' && Number.isInteger(e) && e >= 0 ? toInt(out) : out;
}

export const clipOf = (x: CoreTensor, lo: number, hi: number): CoreTensor => clip(toFloat(x), lo, hi);
export const whereOf = (cond: CoreTensor, a: Operand, b: Operand): CoreTensor => binary((x, y) => where(toFloat(cond), x, y), a, b);
export const matMulOf = (a: CoreTensor, b: CoreTensor, ta = false, tb = false): CoreTensor => matmul(toFloat(a), toFloat(b), ta, tb);

export type Axis = number | number[] | undefined;
export type ReduceName = 'sum' | 'mean' | 'max' | 'min';

/** Reductions: sum/max/min keep int32 (TF.js), mean is float32. */
export function reduce(name: ReduceName, x: CoreTensor, axis: Axis, keepDims = false): CoreTensor {
  const f = toFloat(x);
  if (name === 'mean') return mean(f, axis, keepDims);
  const out = name === 'sum' ? sum(f, axis, keepDims) : name === 'max' ? max(f, axis, keepDims) : min(f, axis, keepDims);
  return x.dtype === 'int32' ? toInt(out) : out;
}

/** Euclidean norm only (TF.js also has 1, Infinity and 'fro'). */
export function normOf(x: CoreTensor, ord: number | 'euclidean' | 'fro' = 'euclidean', axis?: Axis, keepDims = false): CoreTensor {
  if (ord === 'euclidean' || ord === 'fro' || ord === 2) return norm(toFloat(x), axis, keepDims);
  if (ord === 1) return reduce('sum', abs(toFloat(x)), axis, keepDims);
  if (ord === Infinity) return reduce('max', abs(toFloat(x)), axis, keepDims);
  throw new Error(`norm: regula/tfjs computes ord 'euclidean', 'fro', 1, 2 and Infinity, got ${String(ord)}`);
}

/** TF.js's argMax/argMin default to axis 0 (Regula's core defaults to the last axis). */
export const argOf = (name: 'argMax' | 'argMin', x: CoreTensor, axis = 0): CoreTensor => (name === 'argMax' ? argMax : argMin)(toFloat(x), axis);

/** TF.js's slice: `begin` a number (first axis) or a list (missing axes 0), `size` likewise (−1 or missing: to the end). */
export function sliceOf(x: CoreTensor, begin: number | number[], size?: number | number[]): CoreTensor {
  const b = x.shape.map((_, i) => (typeof begin === 'number' ? (i === 0 ? begin : 0) : (begin[i] ?? 0)));
  const s = x.shape.map((d, i) => {
    const v = size === undefined ? -1 : typeof size === 'number' ? (i === 0 ? size : -1) : (size[i] ?? -1);
    return v === -1 ? d - b[i]! : v;
  });
  return slice(x, b, s);
}

export function cast(x: CoreTensor, dtype: DataType): CoreTensor {
  if (dtype === 'float32') return toFloat(x);
  if (dtype === 'int32') return toInt(x);
  throw new Error(`cast: regula/tfjs has dtypes 'float32' and 'int32', got '${String(dtype)}'`);
}

/** Concatenates; mixed dtypes give float32. */
export function concatOf(xs: readonly CoreTensor[], axis = 0): CoreTensor {
  return concat(xs.every((x) => x.dtype === 'int32') ? xs : xs.map((x) => toFloat(x)), axis);
}

/** Stacks equal-shaped tensors along a new axis. */
export function stack(xs: readonly CoreTensor[], axis = 0): CoreTensor {
  if (xs.length === 0) throw new Error('stack: needs at least one tensor');
  return concatOf(xs.map((t) => expandDims(t, axis)), axis);
}

/** Splits along `axis` and removes it. */
export function unstack(x: CoreTensor, axis = 0): CoreTensor[] {
  const a = axis < 0 ? axis + x.rank : axis;
  const out: CoreTensor[] = [];
  for (let i = 0; i < x.shape[a]!; i++) out.push(squeeze(slice(x, x.shape.map((_, j) => (j === a ? i : 0)), x.shape.map((d, j) => (j === a ? 1 : d))), [a]));
  return out;
}

/** Splits into `n` equal parts or parts of the given sizes (one may be −1). */
export function split(x: CoreTensor, numOrSizes: number | number[], axis = 0): CoreTensor[] {
  const a = axis < 0 ? axis + x.rank : axis;
  const n = x.shape[a]!;
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (n % numOrSizes !== 0) throw new Error(`split: axis ${a} of size ${n} does not divide into ${numOrSizes} parts`);
    sizes = new Array<number>(numOrSizes).fill(n / numOrSizes);
  } else {
    const known = numOrSizes.filter((s) => s !== -1).reduce((p, s) => p + s, 0);
    sizes = numOrSizes.map((s) => (s === -1 ? n - known : s));
  }
  let off = 0;
  return sizes.map((s) => {
    const part = slice(x, x.shape.map((_, j) => (j === a ? off : 0)), x.shape.map((d, j) => (j === a ? s : d)));
    off += s;
    return part;
  });
}

/** Repeats along each axis `reps[i]` times. */
export function tile(x: CoreTensor, reps: readonly number[]): CoreTensor {
  if (reps.length !== x.rank) throw new Error(`tile: reps ${JSON.stringify(reps)} must have one entry per axis of shape [${x.shape.join(',')}]`);
  let out = x;
  reps.forEach((r, axis) => {
    if (r !== 1) out = concat(new Array<CoreTensor>(r).fill(out), axis);
  });
  return out;
}

/** A reshape that also takes TF.js's −1. */
export const reshapeOf = (x: CoreTensor, shape: readonly number[]): CoreTensor => reshape(x, shape);
