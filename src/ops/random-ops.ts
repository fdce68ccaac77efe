/**
 * Stochastic ops for the noise layers. Each takes an explicit `Rng`, reserves
 * its counter blocks and asks the backend for the numbers, so every backend and
 * thread count gives the same masks for the same seed.
 */
import { getBackend } from '../backend/select.js';
import type { Rng } from '../random.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatTensor } from './define-op.js';

/** Inverted-dropout mask of `shape`: 1/(1−rate) with probability 1−rate, else 0. */
export function dropoutMask(shape: readonly number[], rate: number, rng: Rng): Tensor {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`dropoutMask: rate must be in [0, 1], got ${rate}`);
  const n = sizeOf(shape);
  return floatTensor(shape, getBackend().dropoutMask(n, rng.uniformStream(n), rate));
}

/** N(mean, std²) samples of `shape`. */
export function normalNoise(shape: readonly number[], mean: number, std: number, rng: Rng): Tensor {
  const n = sizeOf(shape);
  return floatTensor(shape, getBackend().randomNormal(n, rng.normalStream(n), mean, std));
}

/** U[lo, hi) samples of `shape`. */
export function uniformNoise(shape: readonly number[], lo: number, hi: number, rng: Rng): Tensor {
  const n = sizeOf(shape);
  if (!(lo <= hi)) throw new Error(`uniformNoise: lo ${lo} must not exceed hi ${hi} (shape ${fmt(shape)})`);
  return floatTensor(shape, getBackend().randomUniform(n, rng.uniformStream(n), lo, hi));
}
