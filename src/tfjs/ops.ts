/**
 * The top-level ops of regula/tfjs (`tf.add(a, b)`, `tf.mean(x, 0)`,
 * `tf.concat([a, b], 1)`…): each is the chained method of tensor.ts on its
 * first argument, so the two spellings cannot drift apart.
 */
import { toFloat } from '../ops/index.js';
import * as k from './kernels.js';
import { coreOf, operand, Tensor, unwrap, wrap } from './tensor.js';
import type { DataType, Rank, TensorLike } from './types.js';

type In = Tensor | TensorLike;
/** A tensor, or TF.js values made into one. */
const t = (x: In, op: string): Tensor => (x instanceof Tensor ? x : wrap(coreOf(x, op)));

export const add = <T extends Tensor>(a: In, b: In): T => t(a, 'add').add<T>(b);
export const sub = <T extends Tensor>(a: In, b: In): T => t(a, 'sub').sub<T>(b);
export const mul = <T extends Tensor>(a: In, b: In): T => t(a, 'mul').mul<T>(b);
export const div = <T extends Tensor>(a: In, b: In): T => t(a, 'div').div<T>(b);
export const maximum = <T extends Tensor>(a: In, b: In): T => t(a, 'maximum').maximum<T>(b);
export const minimum = <T extends Tensor>(a: In, b: In): T => t(a, 'minimum').minimum<T>(b);
export const squaredDifference = <T extends Tensor>(a: In, b: In): T => t(a, 'squaredDifference').squaredDifference<T>(b);
/** The exponent is a number or a one-value tensor. */
export const pow = <T extends Tensor>(base: In, exp: Tensor | number): T => t(base, 'pow').pow<T>(exp);
export const matMul = (a: In, b: In, transposeA = false, transposeB = false): Tensor => t(a, 'matMul').matMul(b, transposeA, transposeB);
export const equal = <T extends Tensor>(a: In, b: In): T => t(a, 'equal').equal<T>(b);
export const notEqual = <T extends Tensor>(a: In, b: In): T => t(a, 'notEqual').notEqual<T>(b);
export const greater = <T extends Tensor>(a: In, b: In): T => t(a, 'greater').greater<T>(b);
export const greaterEqual = <T extends Tensor>(a: In, b: In): T => t(a, 'greaterEqual').greaterEqual<T>(b);
export const less = <T extends Tensor>(a: In, b: In): T => t(a, 'less').less<T>(b);
export const lessEqual = <T extends Tensor>(a: In, b: In): T => t(a, 'lessEqual').lessEqual<T>(b);

type Axis = number | number[];
export const sum = <T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T => t(x, 'sum').sum<T>(axis, keepDims);
export const mean = <T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T => t(x, 'mean').mean<T>(axis, keepDims);
export const max = <T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T => t(x, 'max').max<T>(axis, keepDims);
export const min = <T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T => t(x, 'min').min<T>(axis, keepDims);
/** Default axis 0, as in TF.js. */
export const argMax = <T extends Tensor>(x: In, axis?: number): T => t(x, 'argMax').argMax<T>(axis);
export const argMin = <T extends Tensor>(x: In, axis?: number): T => t(x, 'argMin').argMin<T>(axis);
export const norm = (x: In, ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor => t(x, 'norm').norm(ord, axis, keepDims);

/** Mean and variance over `axes` (TF.js `tf.moments`). */
export function moments(x: In, axes?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const c = toFloat(unwrap(t(x, 'moments')));
  const m = k.reduce('mean', c, axes, true);
  const variance = k.reduce('mean', k.unary('square', k.arith('sub', c, m)), axes, keepDims);
  return { mean: wrap(keepDims ? m : k.reduce('mean', c, axes, false)), variance: wrap(variance) };
}

export const abs = <T extends Tensor>(x: T | TensorLike): T => t(x, 'abs').abs() as T;
export const neg = <T extends Tensor>(x: T | TensorLike): T => t(x, 'neg').neg() as T;
export const square = <T extends Tensor>(x: T | TensorLike): T => t(x, 'square').square() as T;
export const sqrt = <T extends Tensor>(x: T | TensorLike): T => t(x, 'sqrt').sqrt() as T;
export const exp = <T extends Tensor>(x: T | TensorLike): T => t(x, 'exp').exp() as T;
export const log = <T extends Tensor>(x: T | TensorLike): T => t(x, 'log').log() as T;
export const sign = <T extends Tensor>(x: T | TensorLike): T => t(x, 'sign').sign() as T;
export const relu = <T extends Tensor>(x: T | TensorLike): T => t(x, 'relu').relu<T>();
export const sigmoid = <T extends Tensor>(x: T | TensorLike): T => t(x, 'sigmoid').sigmoid() as T;
export const tanh = <T extends Tensor>(x: T | TensorLike): T => t(x, 'tanh').tanh() as T;
export const softplus = <T extends Tensor>(x: T | TensorLike): T => t(x, 'softplus').softplus() as T;
export const selu = <T extends Tensor>(x: T | TensorLike): T => t(x, 'selu').selu() as T;
export const elu = <T extends Tensor>(x: T | TensorLike): T => t(x, 'elu').elu() as T;
export const leakyRelu = <T extends Tensor>(x: T | TensorLike, alpha?: number): T => t(x, 'leakyRelu').leakyRelu<T>(alpha);
export const softmax = <T extends Tensor>(logits: T | TensorLike, dim?: number): T => t(logits, 'softmax').softmax(dim) as T;
export const logSoftmax = <T extends Tensor>(logits: T | TensorLike, axis?: number): T => t(logits, 'logSoftmax').logSoftmax(axis) as T;
export const round = <T extends Tensor>(x: T | TensorLike): T => t(x, 'round').round() as T;
export const floor = <T extends Tensor>(x: T | TensorLike): T => t(x, 'floor').floor() as T;
export const ceil = <T extends Tensor>(x: T | TensorLike): T => t(x, 'ceil').ceil() as T;
export const reciprocal = <T extends Tensor>(x: T | TensorLike): T => t(x, 'reciprocal').reciprocal() as T;
export const clipByValue = <T extends Tensor>(x: T | TensorLike, clipValueMin: number, clipValueMax: number): T => t(x, 'clipByValue').clipByValue(clipValueMin, clipValueMax) as T;

export const cast = <T extends Tensor>(x: T, dtype: DataType): T => x.cast<T>(dtype);
export const reshape = <R extends Rank>(x: In, shape: number[]): Tensor<R> => t(x, 'reshape').reshape<Tensor<R>>(shape);
export const transpose = <T extends Tensor>(x: T | TensorLike, perm?: number[]): T => t(x, 'transpose').transpose<T>(perm);
export const expandDims = <T extends Tensor>(x: In, axis?: number): T => t(x, 'expandDims').expandDims<T>(axis);
export const squeeze = <T extends Tensor>(x: In, axis?: number[]): T => t(x, 'squeeze').squeeze<T>(axis);
export const slice = <T extends Tensor>(x: T | TensorLike, begin: number | number[], size?: number | number[]): T => t(x, 'slice').slice(begin, size) as T;
export const gather = <T extends Tensor>(x: T | TensorLike, indices: In, axis?: number): T => t(x, 'gather').gather(indices, axis) as T;
export const tile = <T extends Tensor>(x: T | TensorLike, reps: number[]): T => t(x, 'tile').tile<T>(reps);
export const unstack = (x: In, axis?: number): Tensor[] => t(x, 'unstack').unstack(axis);
export const split = <T extends Tensor>(x: T | TensorLike, numOrSizeSplits: number[] | number, axis?: number): T[] => t(x, 'split').split<T>(numOrSizeSplits, axis);

export function concat<T extends Tensor>(tensors: Array<T | TensorLike>, axis?: number): T {
  return wrap<T>(k.concatOf(tensors.map((x) => coreOf(x, 'concat')), axis));
}
export function stack<T extends Tensor>(tensors: Array<T | TensorLike>, axis?: number): Tensor {
  return wrap<T>(k.stack(tensors.map((x) => coreOf(x, 'stack')), axis));
}
/** a where condition is non-zero, b elsewhere. */
export function where<T extends Tensor>(condition: In, a: T | TensorLike, b: T | TensorLike): T {
  return wrap<T>(k.whereOf(coreOf(condition, 'where'), operand(a, 'where'), operand(b, 'where')));
}
