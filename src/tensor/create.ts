/**
 * Creating tensors: from values, constants, and seeded random distributions.
 * Random creators take an explicit `Rng` or a seed; nothing uses Math.random.
 */
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { Rng } from '../random.js';
import type { DType } from './dtype.js';
import { checkShape, fmt, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

function flatten(values: NestedArray | ArrayLike<number>, op: string): { flat: number[]; shape: number[] } {
  if (typeof values === 'number') return { flat: [values], shape: [] };
  if (ArrayBuffer.isView(values)) return { flat: Array.from(values as ArrayLike<number>), shape: [(values as ArrayLike<number>).length] };
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const flat: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new Error(`${op}: expected a number at depth ${depth}, got ${typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`${op}: ragged nested array: expected length ${shape[depth]} at depth ${depth}, shape ${fmt(shape)}`);
    }
    for (const e of v) walk(e, depth + 1);
  };
  walk(values, 0);
  return { flat, shape };
}

/**
 * A tensor from (nested) numbers or a typed array, with an optional shape.
 * @example tensor([[1, 2], [3, 4]]) // shape [2, 2]
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
  const { flat, shape: inferred } = flatten(values, 'tensor');
  const s = shape ?? inferred;
  checkShape(s, 'tensor');
  if (sizeOf(s) !== flat.length) throw new Error(`tensor: shape ${fmt(s)} needs ${sizeOf(s)} values, got ${flat.length}`);
  if (dtype === 'int32') {
    const d = Int32Array.from(flat);
    return new Tensor(s, 'int32', d);
  }
  return new Tensor(s, 'float32', getBackend().fromValues(flat));
}

/** A float32 scalar. */
export function scalar(v: number): Tensor {
  return tensor(v, []);
}

export function fill(shape: readonly number[], value: number): Tensor {
  checkShape(shape, 'fill');
  return new Tensor(shape, 'float32', getBackend().fill(sizeOf(shape), value));
}

export function zeros(shape: readonly number[]): Tensor {
  return fill(shape, 0);
}

export function ones(shape: readonly number[]): Tensor {
  return fill(shape, 1);
}

export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape);
}

export function onesLike(t: Tensor): Tensor {
  return ones(t.shape);
}

function rngOf(seed: number | Rng | undefined): Rng {
  return seed instanceof Rng ? seed : new Rng(seed ?? 0);
}

/** Values drawn from N(mean, stddev²), seeded. */
export function randomNormal(shape: readonly number[], opts: { mean?: number; stddev?: number; seed?: number | Rng } = {}): Tensor {
  checkShape(shape, 'randomNormal');
  const n = sizeOf(shape);
  const s = rngOf(opts.seed).normalStream(n);
  return new Tensor(shape, 'float32', getBackend().randomNormal(n, s, opts.mean ?? 0, opts.stddev ?? 1));
}

/** Values drawn from U[minval, maxval), seeded. */
export function randomUniform(shape: readonly number[], opts: { minval?: number; maxval?: number; seed?: number | Rng } = {}): Tensor {
  checkShape(shape, 'randomUniform');
  const n = sizeOf(shape);
  const s = rngOf(opts.seed).uniformStream(n);
  return new Tensor(shape, 'float32', getBackend().randomUniform(n, s, opts.minval ?? 0, opts.maxval ?? 1));
}

/**
 * N(mean, stddev²) truncated to within two standard deviations (values outside
 * are redrawn, as TF/Keras do).
 */
export function truncatedNormal(shape: readonly number[], opts: { mean?: number; stddev?: number; seed?: number | Rng } = {}): Tensor {
  checkShape(shape, 'truncatedNormal');
  const rng = rngOf(opts.seed);
  const n = sizeOf(shape);
  const mean = opts.mean ?? 0;
  const std = opts.stddev ?? 1;
  const out: FloatArray = getBackend().allocFloat(n);
  for (let i = 0; i < n; i++) {
    let z: number;
    do z = rng.normal();
    while (Math.abs(z) > 2);
    out[i] = mean + std * z;
  }
  return new Tensor(shape, 'float32', out);
}
