/**
 * Shared by the examples and the generalization test: loads
 * `datasets/digits.csv` (1797 8×8 images, pixels 0–16, label last) into
 * tensors scaled to [0, 1], and makes a seeded, shuffled train/val/test split.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng, tensor, type Tensor } from '../src/index.js';

export interface Split {
  x: Tensor;
  y: Tensor;
}

export interface Digits {
  train: Split;
  val: Split;
  test: Split;
}

/** Rows of digits.csv: 64 pixel values / 16 and the digit. */
export function readDigits(): { x: Float32Array; y: Int32Array; n: number } {
  const path = fileURLToPath(new URL('../datasets/digits.csv', import.meta.url));
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  lines.forEach((line, i) => {
    const cells = line.split(',').map(Number);
    if (cells.length !== 65 || cells.some((v) => !Number.isFinite(v))) throw new Error(`digits.csv line ${i + 2}: expected 65 numbers`);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = cells[j]! / 16;
    y[i] = cells[64]!;
  });
  return { x, y, n };
}

/** A seeded shuffle, then the first `nTrain` rows train, the next `nVal` validate, the rest test. */
export function digitsSplit(seed: number, nTrain: number, nVal: number): Digits {
  const { x, y, n } = readDigits();
  const perm = new Rng(seed).permutation(n);
  const take = (from: number, to: number): Split => {
    const m = to - from;
    const xs = new Float32Array(m * 64);
    const ys = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const r = perm[from + i]!;
      xs.set(x.subarray(r * 64, r * 64 + 64), i * 64);
      ys[i] = y[r]!;
    }
    return { x: tensor(xs, [m, 64]), y: tensor(ys, [m], 'int32') };
  };
  return { train: take(0, nTrain), val: take(nTrain, nTrain + nVal), test: take(nTrain + nVal, n) };
}
