/**
 * Backend conformance, part 2: matmul (every transpose variant, batches with
 * broadcast strides, bias + activation epilogue), conv1d forward / backward-
 * input / backward-filter (valid, same, causal, strides, dilations) and
 * pooling, wasm vs reference. Shapes include 0, 1, sizes that are not
 * multiples of 4 or of the 4×8 tile, and sizes on both sides of the threading
 * threshold. Tolerance rtol = atol = 1e-5·√k.
 */
import { test } from 'node:test';
import type { Conv1dGeometry, FusedActivation, Pool1dGeometry } from '../../src/backend/backend.js';
import { MIN_FLOPS_PER_THREAD } from '../../src/backend/wasm/threads.js';
import { assertClose } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends(2);

const DIMS = [0, 1, 3, 4, 7, 8, 9, 33, 65, 130];

test('matmul: every transpose variant on awkward sizes', () => {
  const rng = rngFor(20);
  for (let trial = 0; trial < 60; trial++) {
    const pick = (): number => DIMS[rng.int(DIMS.length)]!;
    const [m, k, n] = [pick(), pick(), pick()];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = randomData(rng, m * k);
        const b = randomData(rng, k * n);
        const args = { a, b, batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
        assertCloseK(wasm.matmul(args), ref.matmul(args), k, `matmul ${m}x${k}x${n} tA=${transA} tB=${transB}`);
      }
    }
  }
});

test('matmul: batches with broadcast strides, bias and every fused activation', () => {
  const rng = rngFor(21);
  const acts: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];
  for (const [batch, m, k, n, aStride, bStride] of [
    [3, 5, 7, 9, 35, 63],
    [4, 6, 3, 10, 0, 30],
    [2, 17, 33, 5, 561, 0],
    [1, 1, 1, 1, 1, 1],
    [5, 0, 4, 3, 0, 12],
  ] as const) {
    for (const act of acts) {
      for (const transA of [false, true]) {
        const a = randomData(rng, Math.max(aStride * batch, m * k));
        const b = randomData(rng, Math.max(bStride * batch, k * n));
        const bias = randomData(rng, n);
        const args = { a, b, batch, m, k, n, transA, transB: !transA, aBatchStride: aStride, bBatchStride: bStride, bias, activation: act };
        assertCloseK(wasm.matmul(args), ref.matmul(args), k, `batched matmul b=${batch} ${m}x${k}x${n} ${act}`);
      }
    }
  }
});

test('matmul: sizes across the threading threshold, inside a scope', () => {
  const rng = rngFor(22);
  for (const [m, k, n] of [[100, 70, 50], [257, 300, 129], [64, 784, 130], [1, 513, 1000]] as const) {
    const split = 2 * m * k * n >= 2 * MIN_FLOPS_PER_THREAD;
    for (const [transA, transB] of [[false, false], [true, false], [false, true]] as const) {
      const a = randomData(rng, m * k);
      const b = randomData(rng, k * n);
      const bias = randomData(rng, n);
      const args = { a, b, batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0, bias, activation: 'relu' as const };
      wasm.beginScope();
      assertCloseK(wasm.matmul(args), ref.matmul(args), k, `matmul ${m}x${k}x${n} tA=${transA} tB=${transB} (${split ? 'split' : 'one thread'})`);
      wasm.endScope();
    }
  }
});

/** Geometry for a padding mode, as the conv op computes it. */
function geometry(batch: number, inLen: number, inC: number, outC: number, k: number, stride: number, dilation: number, padding: 'valid' | 'same' | 'causal'): Conv1dGeometry {
  const span = dilation * (k - 1) + 1;
  let outLen: number;
  let padLeft: number;
  if (padding === 'valid') {
    outLen = Math.max(0, Math.floor((inLen - span) / stride) + 1);
    padLeft = 0;
  } else if (padding === 'same') {
    outLen = Math.ceil(inLen / stride);
    const total = Math.max(0, (outLen - 1) * stride + span - inLen);
    padLeft = Math.floor(total / 2);
  } else {
    padLeft = span - 1;
    outLen = Math.floor((inLen - 1) / stride) + 1;
  }
  return { batch, inLen, inC, outLen, outC, k, stride, dilation, padLeft };
}

test('conv1d: forward, backward-input and backward-filter over paddings, strides, dilations', () => {
  const rng = rngFor(23);
  const cases: [number, number, number, number, number][] = [
    // batch, inLen, inC, outC, k
    [1, 1, 1, 1, 1],
    [2, 9, 3, 5, 3],
    [3, 17, 4, 8, 2],
    [2, 20, 7, 9, 5],
    [1, 6, 1, 3, 4],
    [2, 13, 16, 1, 3],
    [0, 8, 2, 2, 3],
  ];
  for (const [batch, inLen, inC, outC, k] of cases) {
    for (const padding of ['valid', 'same', 'causal'] as const) {
      for (const [stride, dilation] of [[1, 1], [2, 1], [1, 2], [3, 2]] as const) {
        const g = geometry(batch, inLen, inC, outC, k, stride, dilation, padding);
        const label = `conv1d ${JSON.stringify(g)}`;
        const x = randomData(rng, batch * inLen * inC);
        const w = randomData(rng, k * inC * outC);
        const dy = randomData(rng, batch * g.outLen * outC);
        assertCloseK(wasm.conv1dForward(x, w, g), ref.conv1dForward(x, w, g), k * inC, `${label} forward`);
        assertCloseK(wasm.conv1dBackwardInput(dy, w, g), ref.conv1dBackwardInput(dy, w, g), k * outC, `${label} backward-input`);
        assertCloseK(wasm.conv1dBackwardFilter(x, dy, g), ref.conv1dBackwardFilter(x, dy, g), batch * g.outLen, `${label} backward-filter`);
      }
    }
  }
});

test('conv1d: sizes across the threading threshold (W3-like layers)', () => {
  const rng = rngFor(24);
  for (const [batch, inLen, inC, outC, k, padding] of [
    [8, 128, 8, 64, 3, 'same'],
    [4, 128, 64, 64, 3, 'same'],
    [3, 50, 9, 13, 5, 'causal'],
  ] as const) {
    const g = geometry(batch, inLen, inC, outC, k, 1, 1, padding);
    const x = randomData(rng, batch * inLen * inC);
    const w = randomData(rng, k * inC * outC);
    const dy = randomData(rng, batch * g.outLen * outC);
    const label = `conv1d ${JSON.stringify(g)}`;
    assertCloseK(wasm.conv1dForward(x, w, g), ref.conv1dForward(x, w, g), k * inC, `${label} forward`);
    assertCloseK(wasm.conv1dBackwardInput(dy, w, g), ref.conv1dBackwardInput(dy, w, g), k * outC, `${label} backward-input`);
    assertCloseK(wasm.conv1dBackwardFilter(x, dy, g), ref.conv1dBackwardFilter(x, dy, g), batch * g.outLen, `${label} backward-filter`);
  }
});

test('pool1d: max and avg forward and backward, with padding, ties and empty windows', () => {
  const rng = rngFor(25);
  const cases: Pool1dGeometry[] = [];
  for (const [batch, inLen, c] of [[1, 1, 1], [2, 9, 3], [3, 16, 8], [2, 7, 13]] as const) {
    for (const [pool, stride, pad] of [[2, 2, 0], [3, 1, 1], [3, 2, 1], [1, 1, 0], [4, 3, 2]] as const) {
      const outLen = Math.max(1, Math.floor((inLen + 2 * pad - pool) / stride) + 1);
      cases.push({ batch, inLen, c, outLen, pool, stride, padLeft: pad });
    }
  }
  cases.push({ batch: 1, inLen: 3, c: 2, outLen: 3, pool: 2, stride: 2, padLeft: 4 }); // windows past the end
  for (const g of cases) {
    for (const kind of ['max', 'avg'] as const) {
      const x = randomData(rng, g.batch * g.inLen * g.c).map((v) => Math.round(v * 4) / 4);
      const y = ref.pool1dForward(kind, x, g);
      assertClose(wasm.pool1dForward(kind, x, g), y, { rtol: 1e-6, label: `pool ${kind} ${JSON.stringify(g)}` });
      const dy = randomData(rng, g.batch * g.outLen * g.c);
      assertClose(wasm.pool1dBackward(kind, x, y, dy, g), ref.pool1dBackward(kind, x, y, dy, g), { rtol: 1e-6, label: `pool ${kind} backward ${JSON.stringify(g)}` });
    }
  }
});
