/**
 * Shared setup of the wasm-vs-reference conformance suites: both backends, a
 * seeded data generator, and a comparison that scales its tolerance with the
 * reduction length (rtol ≈ 1e-5·√k for sums, GEMM and conv).
 */
import { ReferenceBackend } from '../../src/backend/reference/reference-backend.js';
import { ready } from '../../src/backend/wasm/ready.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { Rng } from '../../src/random.js';
import { assertClose } from './assert-close.js';

/** The wasm backend (loaded once per process, 2 threads) and the reference oracle. */
export async function backends(threads = 2): Promise<{ wasm: WasmBackend; ref: ReferenceBackend }> {
  const b = await ready({ threads });
  if (b.name !== 'wasm') throw new Error('conformance: the wasm backend did not load (run `npm run build:wasm`)');
  return { wasm: b as WasmBackend, ref: new ReferenceBackend() };
}

/** Seeded float32 data in [lo, hi). */
export function randomData(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.uniform();
  return out;
}

/** Seeded int32 data in [0, n). */
export function randomInts(rng: Rng, count: number, n: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.int(n);
  return out;
}

/** Compares with rtol = atol = base·√max(k, 1) (k = terms summed per output). */
export function assertCloseK(actual: ArrayLike<number>, expected: ArrayLike<number>, k: number, label: string, base = 1e-5): void {
  const tol = base * Math.sqrt(Math.max(k, 1));
  assertClose(actual, expected, { rtol: tol, atol: tol, label });
}

/** A seeded generator for a test. */
export function rngFor(seed: number): Rng {
  return new Rng(seed);
}
