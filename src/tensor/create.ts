/**
 * Creating tensors: from values, constants, and seeded random distributions.
 * Random creators take an explicit `Rng` or a seed; nothing uses Math.random.
 */
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { nextGlobalRng, Rng } from '../random.js';
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
  const walk = (v: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new Error(`${op}: expected a number at depth ${depth}, got ${typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `has length ${v.length}` : `is ${typeof v}`;
      // Rows of different lengths are usually sequences: say how to make them one tensor.
      throw new Error(
        `${op}: ragged nested array: expected length ${shape[depth]} at depth ${depth}, shape ${fmt(shape)} (from the first elements), but ${at} ${got}; ` +
          'sequences of different lengths must be padded to one length: pad with 0 (padSequences, or fitTokenizer(texts).encode) and use embedding({ maskZero: true }) so the padding is masked',
      );
    }
    v.forEach((e, i) => walk(e, depth + 1, `${at}[${i}]`));
  };
  walk(values, 0, 'x');
  return { flat, shape };
}

/**
 * A tensor from (nested) numbers or a typed array, with an optional shape
 * (row-major; a flat array plus `shape` works too). `dtype` 'int32' is for
 * labels and indices and rejects non-integers. Values are copied.
 * @example
 * tensor([[1, 2], [3, 4]])            // float32, shape [2, 2]
 * tensor([0, 2, 1], [3], 'int32')     // int32 labels
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
  const { flat, shape: inferred } = flatten(values, 'tensor');
  const s = shape ?? inferred;
  checkShape(s, 'tensor');
  if (sizeOf(s) !== flat.length) throw new Error(`tensor: shape ${fmt(s)} needs ${sizeOf(s)} values, got ${flat.length}`);
  if (dtype === 'int32') {
    const bad = flat.findIndex((v) => !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff);
    if (bad >= 0) throw new Error(`tensor: int32 values must be integers in the int32 range, got ${flat[bad]} at index ${bad}`);
    const d = Int32Array.from(flat);
    return new Tensor(s, 'int32', d);
  }
  return new Tensor(s, 'float32', getBackend().fromValues(flat));
}

/** A float32 scalar (shape `[]`). @example scalar(0.5).item() // 0.5 */
export function scalar(v: number): Tensor {
  return tensor(v, []);
}

function filled(shape: readonly number[], value: number, op: string): Tensor {
  checkShape(shape, op);
  return new Tensor(shape, 'float32', getBackend().fill(sizeOf(shape), value));
}

/** A float32 tensor of `shape` with every element `value`. @example fill([2, 3], 7) */
export function fill(shape: readonly number[], value: number): Tensor {
  return filled(shape, value, 'fill');
}

/** A float32 tensor of zeros. @example zeros([batch, units]) */
export function zeros(shape: readonly number[]): Tensor {
  return filled(shape, 0, 'zeros');
}

/** A float32 tensor of ones. @example ones([3]) */
export function ones(shape: readonly number[]): Tensor {
  return filled(shape, 1, 'ones');
}

/** Zeros with the shape of `t` (always float32). */
export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape);
}

/** Ones with the shape of `t` (always float32). */
export function onesLike(t: Tensor): Tensor {
  return ones(t.shape);
}

/** An explicit Rng, a fresh one for a number, or the global generator's next stream (setSeed). */
function rngOf(seed: number | Rng | undefined): Rng {
  if (seed instanceof Rng) return seed;
  return seed === undefined ? nextGlobalRng() : new Rng(seed);
}

/**
 * Values drawn from N(mean, stddev²). `seed` is a number (a fresh `Rng`) or an
 * `Rng`, whose counter advances; without one, the next stream of the global
 * generator (`setSeed`), so two calls differ and a program stays
 * reproducible. Same seed → same values on every backend.
 * @example randomNormal([64, 32], { stddev: 0.05, seed: 42 })
 */
export function randomNormal(shape: readonly number[], opts: { mean?: number; stddev?: number; seed?: number | Rng } = {}): Tensor {
  checkShape(shape, 'randomNormal');
  const n = sizeOf(shape);
  const s = rngOf(opts.seed).normalStream(n);
  return new Tensor(shape, 'float32', getBackend().randomNormal(n, s, opts.mean ?? 0, opts.stddev ?? 1));
}

/**
 * Values drawn from U[minval, maxval) (default [0, 1)), seeded like `randomNormal`.
 * @example randomUniform([3, 3], { minval: -1, maxval: 1, seed: 7 })
 */
export function randomUniform(shape: readonly number[], opts: { minval?: number; maxval?: number; seed?: number | Rng } = {}): Tensor {
  checkShape(shape, 'randomUniform');
  const n = sizeOf(shape);
  const s = rngOf(opts.seed).uniformStream(n);
  return new Tensor(shape, 'float32', getBackend().randomUniform(n, s, opts.minval ?? 0, opts.maxval ?? 1));
}

/**
 * N(mean, stddev²) truncated to within two standard deviations (values outside
 * are redrawn, as TF/Keras do), so every value lies in mean ± 2·stddev and the
 * standard deviation is about 0.88·stddev. Seeded like `randomNormal`.
 * @example truncatedNormal([10, 10], { stddev: 0.1, seed: 1 })
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
