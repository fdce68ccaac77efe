/**
 * `tf.util`: the helpers training programs use. `shuffle` draws from
 * Regula's global generator (reproducible with `tf.setSeed`), not
 * Math.random as TF.js does.
 */
import { nextGlobalRng } from '../random.js';

type Shuffleable = unknown[] | Uint32Array | Int32Array | Float32Array;

/** Shuffles in place (Fisher–Yates). */
export function shuffle(array: Shuffleable): void {
  const rng = nextGlobalRng();
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = array[i]!;
    array[i] = array[j]!;
    array[j] = t as never;
  }
}

/** Shuffles two arrays of the same length with one permutation. */
export function shuffleCombo(array: Shuffleable, array2: Shuffleable): void {
  if (array.length !== array2.length) throw new Error(`shuffleCombo: arrays have lengths ${array.length} and ${array2.length}`);
  const rng = nextGlobalRng();
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    for (const a of [array, array2]) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t as never;
    }
  }
}

/** The number of elements of a shape. */
export const sizeFromShape = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

/** Throws `msg()` unless `expr`. */
export function assert(expr: boolean, msg: () => string): asserts expr {
  if (!expr) throw new Error(typeof msg === 'function' ? msg() : String(msg));
}

/** Milliseconds, high resolution where available. */
export const now = (): number => globalThis.performance?.now() ?? Date.now();

/** `tf.util`. */
export const util = { shuffle, shuffleCombo, sizeFromShape, assert, now };
