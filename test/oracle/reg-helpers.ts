/**
 * Helpers for the regularization oracle tests: a closeness assertion that
 * prints the max difference (llm.c style), TF.js on its CPU backend, and
 * seeded random arrays for identical weights in both libraries.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/random.js';

let ready: Promise<void> | undefined;
/** TF.js on the CPU backend (the oracle), quiet. */
export async function tfjs(): Promise<typeof tf> {
  ready ??= (async () => {
    tf.env().set('IS_NODE', false); // suppress the "install tfjs-node" banner
    await tf.setBackend('cpu');
  })();
  await ready;
  return tf;
}

/** Asserts |a−b| ≤ atol + rtol·|b| elementwise; the message gives maxdiff, its index and the first pairs. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  let worst = -1;
  let maxDiff = 0;
  let bad = false;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const d = Math.abs(a - b);
    if (Number.isNaN(a) !== Number.isNaN(b) || d > atol + rtol * Math.abs(b)) bad = true;
    if (d > maxDiff || worst < 0) {
      maxDiff = d;
      worst = i;
    }
  }
  if (bad) {
    const pairs = Array.from({ length: Math.min(4, actual.length) }, (_, i) => `(${actual[i]}, ${expected[i]})`).join(' ');
    assert.fail(`${what}: maxdiff ${maxDiff} at ${worst} (rtol ${rtol}, atol ${atol}); first pairs ${pairs}`);
  }
}

/** `n` standard-normal floats from a seeded stream, rounded to float32. */
export function randn(n: number, seed: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}
