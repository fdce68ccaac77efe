/**
 * Small GEMMs (issue 18): the rows-in-lanes path for n < 8 (n = 1: every
 * regression or binary output layer and its weight gradient), k = 1, the
 * mixed mr / mr − 1 row tiles, and operands read in place instead of packed
 * when small (A in either layout, B stored [k, n]). Each is checked against
 * the reference backend, for bit-identity with the same elements of a wider
 * and of a taller product (operands packed, other tiles: the same products
 * in the same order), and for bit-identity on 1 and 2 threads where the
 * product is large enough to split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FusedActivation, MatmulArgs } from '../../src/backend/backend.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends(2);

/** B [k, n] (or stored [n, k] when transB) widened to `wide` columns: the first n columns are B's. */
function widen(b: Float32Array, k: number, n: number, wide: number, transB: boolean, fill: Float32Array): Float32Array {
  const out = fill.slice(0, k * wide);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[transB ? j * k + p : p * wide + j] = b[transB ? j * k + p : p * n + j]!;
  return out;
}

/** A [m, k] (or stored [k, m] when transA) grown to `tall` rows: the first m rows are A's. */
function widenA(a: Float32Array, m: number, k: number, tall: number, transA: boolean, fill: Float32Array): Float32Array {
  const out = fill.slice(0, tall * k);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) out[transA ? p * tall + i : i * k + p] = a[transA ? p * m + i : i * k + p]!;
  return out;
}

test('small products: n < 8, m around the tile heights, k = 1, every transpose, against the reference and the packed paths of wider and taller products', () => {
  const rng = rngFor(40);
  for (const n of [1, 2, 3, 7, 8, 9, 10, 12, 13, 64]) {
    for (const m of [1, 2, 3, 5, 6, 7, 31, 32, 33]) {
      for (const k of [1, 2, 30, 64, 300]) {
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const a = randomData(rng, m * k);
          const b = randomData(rng, k * n);
          const args: MatmulArgs = { a, b, batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
          const label = `matmul ${m}x${k}x${n} tA=${transA} tB=${transB}`;
          const got = wasm.matmul(args) as Float32Array;
          assertCloseK(got, ref.matmul(args), k, label);
          // The same columns of a product too wide to read B in place or take the narrow path.
          const wide = Math.max(n + 9, 40, Math.ceil(8193 / k) + 1);
          const bWide = widen(b, k, n, wide, transB, randomData(rng, k * wide));
          const cWide = wasm.matmul({ ...args, b: bWide, n: wide }) as Float32Array;
          const cols = new Float32Array(m * n);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cols[i * n + j] = cWide[i * wide + j]!;
          assertBitIdentical(got, cols, `${label} vs the same columns of ${m}x${k}x${wide}`);
          // The same elements of a product too tall and too wide to read A in place (other row tiles too;
          // k = 1 always takes the outer-product loop, and a small k would make the product huge).
          if (k < 16) continue;
          const tall = Math.max(m + 131, Math.ceil(8193 / k) + 1);
          const aTall = widenA(a, m, k, tall, transA, randomData(rng, tall * k));
          const cTall = wasm.matmul({ ...args, a: aTall, m: tall, b: bWide, n: wide }) as Float32Array;
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cols[i * n + j] = cTall[i * wide + j]!;
          assertBitIdentical(got, cols, `${label} vs the same elements of ${tall}x${k}x${wide}`);
        }
      }
    }
  }
});

test('small products with bias, every fused activation, and batches', () => {
  const rng = rngFor(41);
  const acts: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];
  for (const [batch, m, k, n, aStride, bStride] of [
    [1, 32, 64, 1, 0, 0],
    [1, 33, 30, 3, 0, 0],
    [3, 31, 17, 7, 31 * 17, 0],
    [4, 2, 1, 2, 2, 2],
    [2, 32, 64, 64, 0, 64 * 64],
    [2, 1, 300, 5, 300, 1500],
  ] as const) {
    for (const act of acts) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true]] as const) {
        const a = randomData(rng, Math.max(aStride * batch, m * k));
        const b = randomData(rng, Math.max(bStride * batch, k * n));
        const bias = randomData(rng, n);
        const args: MatmulArgs = { a, b, batch, m, k, n, transA, transB, aBatchStride: aStride, bBatchStride: bStride, bias, activation: act };
        assertCloseK(wasm.matmul(args), ref.matmul(args), k, `batched matmul b=${batch} ${m}x${k}x${n} tA=${transA} tB=${transB} ${act}`);
      }
    }
  }
});

test('small-operand paths are bit-identical on 1 and 2 threads (row and column splits)', async () => {
  const rng = rngFor(42);
  for (const [m, k, n] of [[4099, 300, 1], [2053, 300, 3], [1031, 64, 7], [1031, 64, 64], [1031, 30, 70], [64, 128, 300], [33, 1, 40000], [1031, 300, 24], [1024, 64, 32], [1031, 300, 18]] as const) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true]] as const) {
      const a = randomData(rng, m * k);
      const b = randomData(rng, k * n);
      const bias = randomData(rng, n);
      const args: MatmulArgs = { a, b, batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0, bias, activation: 'relu' };
      await wasm.setThreads(1);
      const one = wasm.matmul(args) as Float32Array;
      await wasm.setThreads(2);
      assert.equal(wasm.threads, 2);
      const two = wasm.matmul(args) as Float32Array;
      const label = `gemm ${m}x${k}x${n} tA=${transA} tB=${transB}`;
      assertBitIdentical(one, two, `${label} 1 vs 2 threads`);
      assertCloseK(two, ref.matmul(args), k, label);
    }
  }
});

test('A stored [k, m] (transA) packs to the same panels as A stored [m, k]: bit-identical products across full and partial panels and MC blocks', () => {
  const rng = rngFor(41);
  // m: several MC blocks (125 / 126 rows) with a partial panel; k: two KC blocks; n > 32 so A is packed, not read in place.
  for (const [m, k, n] of [[259, 300, 64], [130, 97, 40], [64, 1024, 48]] as const) {
    const a = randomData(rng, m * k);
    const b = randomData(rng, k * n);
    const at = new Float32Array(k * m);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p]!;
    const plain = wasm.matmul({ a, b, batch: 1, m, k, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    const trans = wasm.matmul({ a: at, b, batch: 1, m, k, n, transA: true, transB: false, aBatchStride: 0, bBatchStride: 0 });
    assertBitIdentical(trans as Float32Array, plain as Float32Array, `A·B vs (Aᵀ)ᵀ·B ${m}x${k}x${n}`);
    assertCloseK(plain, ref.matmul({ a, b, batch: 1, m, k, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 }), k, `matmul ${m}x${k}x${n}`);
  }
});
