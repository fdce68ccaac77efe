/**
 * Tensor creation with TF.js's positional signatures (`tf.tensor2d(values,
 * shape, dtype)`, `tf.randomNormal(shape, mean, stdDev, dtype, seed)`),
 * mapped onto Regula's creators. Random creators without a seed draw from
 * Regula's global generator (`tf.setSeed` / Regula's `setSeed` make a whole
 * program reproducible; TF.js uses Math.random); a seed gives the same values
 * on every call, as in TF.js (but not TF.js's values).
 */
import { oneHot as coreOneHot, toInt } from '../ops/index.js';
import { fill as coreFill, randomNormal as coreNormal, randomUniform as coreUniform, truncatedNormal as coreTruncated } from '../tensor/create.js';
import { Tensor as CoreTensor } from '../tensor/tensor.js';
import { nextGlobalRng, Rng } from '../random.js';
import { cast } from './kernels.js';
import { coreOf, unwrap, wrap, type Tensor } from './tensor.js';
import type { DataType, Rank, ScalarLike, ShapeMap, TensorLike, TensorLike1D, TensorLike2D, TensorLike3D, TensorLike4D, TensorLike5D, TensorLike6D } from './types.js';
import { coreFromValues } from './values.js';

/** A tensor from values (nested arrays, a typed array, a number) with an optional shape and dtype. */
export function tensor<R extends Rank>(values: TensorLike, shape?: ShapeMap[R], dtype?: DataType): Tensor<R> {
  return wrap<Tensor<R>>(coreFromValues(values, shape, dtype, 'tensor'));
}

function ranked<R extends Rank>(rank: number, op: string, values: TensorLike, shape: number[] | undefined, dtype: DataType | undefined): Tensor<R> {
  const c = coreFromValues(values, shape, dtype, op);
  if (c.rank !== rank) throw new Error(`${op}: expected rank ${rank}, got values of shape [${c.shape.join(',')}]${shape ? '' : ' (pass a shape with flat values)'}`);
  return wrap<Tensor<R>>(c);
}

export const scalar = (value: ScalarLike, dtype?: DataType): Tensor<Rank.R0> => ranked(0, 'scalar', value, [], dtype);
export const tensor1d = (values: TensorLike1D, dtype?: DataType): Tensor<Rank.R1> => ranked(1, 'tensor1d', values, undefined, dtype);
export const tensor2d = (values: TensorLike2D, shape?: [number, number], dtype?: DataType): Tensor<Rank.R2> => ranked(2, 'tensor2d', values, shape, dtype);
export const tensor3d = (values: TensorLike3D, shape?: [number, number, number], dtype?: DataType): Tensor<Rank.R3> => ranked(3, 'tensor3d', values, shape, dtype);
export const tensor4d = (values: TensorLike4D, shape?: [number, number, number, number], dtype?: DataType): Tensor<Rank.R4> => ranked(4, 'tensor4d', values, shape, dtype);
export const tensor5d = (values: TensorLike5D, shape?: [number, number, number, number, number], dtype?: DataType): Tensor<Rank.R5> => ranked(5, 'tensor5d', values, shape, dtype);
export const tensor6d = (values: TensorLike6D, shape?: [number, number, number, number, number, number], dtype?: DataType): Tensor<Rank.R6> => ranked(6, 'tensor6d', values, shape, dtype);

const typed = (c: CoreTensor, dtype: DataType | undefined): CoreTensor => (dtype === undefined || dtype === 'float32' ? c : cast(c, dtype));

export function fill<R extends Rank>(shape: ShapeMap[R], value: number, dtype?: DataType): Tensor<R> {
  return wrap<Tensor<R>>(typed(coreFill(shape, value), dtype));
}
export const zeros = <R extends Rank>(shape: ShapeMap[R], dtype?: DataType): Tensor<R> => fill(shape, 0, dtype);
export const ones = <R extends Rank>(shape: ShapeMap[R], dtype?: DataType): Tensor<R> => fill(shape, 1, dtype);
export const zerosLike = <T extends Tensor>(x: T): T => wrap<T>(typed(coreFill(x.shape, 0), x.dtype));
export const onesLike = <T extends Tensor>(x: T): T => wrap<T>(typed(coreFill(x.shape, 1), x.dtype));

/** A number seed (any number: non-integers and strings are hashed) as a Regula seed; undefined: the global generator. */
export function seedOf(seed: number | string | undefined): number | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return seed;
  let h = 0x811c9dc5;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h;
}

/** int32 random tensors round, as TF.js does. */
const randomTyped = (c: CoreTensor, dtype: DataType | undefined): CoreTensor => (dtype === 'int32' ? toInt(coreFromValues(Array.from(c.data, Math.round), c.shape, 'float32', 'random')) : c);

/** N(mean, stdDev²); `seed` makes it repeatable. */
export function randomNormal<R extends Rank>(shape: ShapeMap[R], mean = 0, stdDev = 1, dtype?: 'float32' | 'int32', seed?: number): Tensor<R> {
  const s = seedOf(seed);
  return wrap<Tensor<R>>(randomTyped(coreNormal(shape, { mean, stddev: stdDev, ...(s !== undefined ? { seed: s } : {}) }), dtype));
}

/** U[minval, maxval); `seed` (a number or string) makes it repeatable. */
export function randomUniform<R extends Rank>(shape: ShapeMap[R], minval = 0, maxval = 1, dtype: DataType = 'float32', seed?: number | string): Tensor<R> {
  const s = seedOf(seed);
  return wrap<Tensor<R>>(randomTyped(coreUniform(shape, { minval, maxval, ...(s !== undefined ? { seed: s } : {}) }), dtype));
}

/** N(mean, stdDev²) truncated to two standard deviations. */
export function truncatedNormal<R extends Rank>(shape: ShapeMap[R], mean = 0, stdDev = 1, dtype?: 'float32' | 'int32', seed?: number): Tensor<R> {
  const s = seedOf(seed);
  return wrap<Tensor<R>>(randomTyped(coreTruncated(shape, { mean, stddev: stdDev, ...(s !== undefined ? { seed: s } : {}) }), dtype));
}

/** One-hot rows, int32 by default as in TF.js; `indices` must be int32 (a list of numbers is made int32). */
export function oneHot(indices: Tensor | TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DataType = 'int32'): Tensor {
  const idx = coreOf(indices, 'oneHot', 'int32');
  if (idx.dtype !== 'int32') throw new Error(`oneHot: indices must be an int32 tensor, got ${idx.dtype} (use .toInt())`);
  return wrap(cast(coreOneHot(idx, depth, onValue, offValue), dtype));
}

/** `num` evenly spaced values from `start` to `stop` (both included). */
export function linspace(start: number, stop: number, num: number): Tensor<Rank.R1> {
  if (!Number.isInteger(num) || num < 1) throw new Error(`linspace: num must be a positive integer, got ${num}`);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  return wrap(coreFromValues(Array.from({ length: num }, (_, i) => start + i * step), undefined, 'float32', 'linspace'));
}

/** [start, stop) by `step` (one argument: [0, start)). */
export function range(start: number, stop?: number, step = 1, dtype: DataType = 'float32'): Tensor<Rank.R1> {
  const [a, b] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range: step must not be 0');
  const n = Math.max(0, Math.ceil((b - a) / step));
  return wrap(coreFromValues(Array.from({ length: n }, (_, i) => a + i * step), [n], dtype, 'range'));
}

/** The identity matrix (rows × columns, default square). */
export function eye(numRows: number, numColumns = numRows, _batchShape?: never, dtype: DataType = 'float32'): Tensor<Rank.R2> {
  const v = new Float32Array(numRows * numColumns);
  for (let i = 0; i < Math.min(numRows, numColumns); i++) v[i * numColumns + i] = 1;
  return wrap(coreFromValues(v, [numRows, numColumns], dtype, 'eye'));
}

/** A Rng for `tf.util.shuffle` and tf.data: seeded, or the global generator's next stream. */
export function rngOf(seed: number | string | undefined): Rng {
  const s = seedOf(seed);
  return s === undefined ? nextGlobalRng() : new Rng(s);
}

/** The Regula tensor under a regula/tfjs tensor (for Regula's own API). */
export const toRegula = (t: Tensor): CoreTensor => unwrap(t);
/** A regula/tfjs tensor from a Regula tensor. */
export const fromRegula = (t: CoreTensor): Tensor => wrap(t);
