/**
 * Threads never change results: GEMM (every transpose variant, bias and
 * activation epilogue), the three conv1d kernels and the range kernels
 * (random streams, optimizer updates) give bit-identical output on 1, 2 and
 * 3 threads, and so does a small seeded training loop (dense +
 * relu + dropout + conv1d + softmax cross-entropy, Adam) on the wasm backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as o from '../../src/ops/index.js';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { setBackend } from '../../src/backend/select.js';
import { randomNormal, truncatedNormal, zeros, tensor } from '../../src/tensor/create.js';
import { Variable } from '../../src/tensor/variable.js';
import { Rng } from '../../src/random.js';
import type { Conv1dGeometry } from '../../src/backend/backend.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { backends, randomData, rngFor } from '../helpers/wasm.js';
import { shareGrid } from '../../src/backend/wasm/threads.js';

const { wasm } = await backends(2);

async function onThreads<T>(n: number, fn: () => T): Promise<T> {
  await wasm.setThreads(n);
  assert.equal(wasm.threads, n);
  return fn();
}

test('split kernels cut their output into the most square grid of shares (each share re-packs its rows and columns)', () => {
  assert.deepEqual(shareGrid(6, 1024, 1024, 4, 8), { sr: 2, sc: 3 }); // K1 on 2 threads: before, 6 row strips each packing all of B
  assert.deepEqual(shareGrid(6, 128, 512, 4, 8), { sr: 1, sc: 6 }); // a batch-128 dense layer: column strips
  assert.deepEqual(shareGrid(6, 784, 512, 4, 8), { sr: 3, sc: 2 }); // its weight gradient
  assert.deepEqual(shareGrid(4, 257, 129, 4, 8), { sr: 2, sc: 2 });
  assert.deepEqual(shareGrid(6, 50000, 1, 1, 1), { sr: 6, sc: 1 }); // range kernels: one column, never cut
  assert.deepEqual(shareGrid(4, 6, 4000, 4, 8), { sr: 1, sc: 4 }); // too few rows to cut
});

test('GEMM is bit-identical on 1, 2 and 3 threads', async () => {
  const rng = rngFor(30);
  for (const [m, k, n] of [[257, 300, 129], [130, 784, 512], [64, 512, 70], [4, 1000, 2000]] as const) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true]] as const) {
      const a = randomData(rng, m * k);
      const b = randomData(rng, k * n);
      const bias = randomData(rng, n);
      const args = { a, b, batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0, bias, activation: 'tanh' as const };
      const one = (await onThreads(1, () => wasm.matmul(args))) as Float32Array;
      const two = (await onThreads(2, () => wasm.matmul(args))) as Float32Array;
      const three = (await onThreads(3, () => wasm.matmul(args))) as Float32Array;
      const label = `gemm ${m}x${k}x${n} tA=${transA} tB=${transB}`;
      assertBitIdentical(one, two, `${label} 1 vs 2 threads`);
      assertBitIdentical(one, three, `${label} 1 vs 3 threads`);
    }
  }
  await wasm.setThreads(2);
});

test('conv1d forward, backward-input and backward-filter are bit-identical on 1, 2 and 3 threads', async () => {
  const rng = rngFor(31);
  const geometries: Conv1dGeometry[] = [
    { batch: 16, inLen: 128, inC: 8, outLen: 128, outC: 64, k: 3, stride: 1, dilation: 1, padLeft: 1 },
    { batch: 8, inLen: 128, inC: 64, outLen: 128, outC: 64, k: 3, stride: 1, dilation: 1, padLeft: 1 },
    { batch: 6, inLen: 99, inC: 13, outLen: 47, outC: 37, k: 5, stride: 2, dilation: 1, padLeft: 0 },
  ];
  for (const g of geometries) {
    const x = randomData(rng, g.batch * g.inLen * g.inC);
    const w = randomData(rng, g.k * g.inC * g.outC);
    const dy = randomData(rng, g.batch * g.outLen * g.outC);
    const runAll = (): Float32Array[] => [wasm.conv1dForward(x, w, g), wasm.conv1dBackwardInput(dy, w, g), wasm.conv1dBackwardFilter(x, dy, g)] as Float32Array[];
    const one = await onThreads(1, runAll);
    for (const t of [2, 3]) {
      const other = await onThreads(t, runAll);
      ['forward', 'backward-input', 'backward-filter'].forEach((name, i) => assertBitIdentical(one[i]!, other[i]!, `conv1d ${name} ${JSON.stringify(g)} 1 vs ${t} threads`));
    }
  }
  await wasm.setThreads(2);
});

test('range kernels (random streams, dropout masks, optimizer updates) are bit-identical on 1, 2 and 3 threads', async () => {
  const rng = rngFor(32);
  const n = 400003;
  const s = { key0: 0x12345678, key1: 0x9abcdef0, counter: 2 ** 32 - 7 };
  const g = randomData(rng, n);
  const init = [randomData(rng, n), randomData(rng, n), randomData(rng, n, 0, 1)];
  const runAll = (): Float32Array[] => {
    const [w, m, v] = init.map((x) => {
      const p = wasm.allocPersistent(n) as Float32Array;
      p.set(x);
      return p;
    }) as [Float32Array, Float32Array, Float32Array];
    wasm.adamUpdate(w, g, m, v, null, { alpha: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    wasm.sgdUpdate(w, g, m, 0.1, 0.9, true);
    wasm.scaleInPlace(w, 0.999);
    return [wasm.randomUniform(n, s, -1, 1), wasm.randomNormal(n, s, 0, 1), wasm.dropoutMask(n, s, 0.3), w, m, v] as Float32Array[];
  };
  const one = await onThreads(1, runAll);
  for (const t of [2, 3]) {
    const other = await onThreads(t, runAll);
    ['uniform', 'normal', 'dropout', 'w', 'm', 'v'].forEach((name, i) => assertBitIdentical(one[i]!, other[i]!, `${name} 1 vs ${t} threads`));
  }
  await wasm.setThreads(2);
});

/** A seeded training loop on the current backend; returns every loss and the final weights. */
function train(seed: number): { losses: Float32Array; weights: Float32Array } {
  const rng = new Rng(seed);
  const w1 = new Variable(truncatedNormal([96, 256], { stddev: 0.1, seed: rng.split() }), { name: 'w1' });
  const b1 = new Variable(zeros([256]), { name: 'b1' });
  const k = new Variable(randomNormal([3, 1, 4], { stddev: 0.3, seed: rng.split() }), { name: 'k' });
  const w2 = new Variable(truncatedNormal([256, 10], { stddev: 0.1, seed: rng.split() }), { name: 'w2' });
  const b2 = new Variable(zeros([10]), { name: 'b2' });
  const vars = [w1, b1, k, w2, b2];
  const data = rng.split();
  const x = randomNormal([128, 96], { seed: data });
  const y = o.oneHot(tensor(Array.from({ length: 128 }, () => data.int(10)), [128], 'int32'), 10);
  const slots = vars.map((v) => [o.slotLike(v, 'm'), o.slotLike(v, 'v')] as const);
  const stepRng = rng.split();
  const losses: number[] = [];
  for (let step = 1; step <= 5; step++) {
    const maskRng = stepRng.split();
    losses.push(
      o.stepScope(() => {
        const { value, grads } = valueAndGrad(() => {
          const h = o.dense(x, w1, b1, 'relu');
          const dropped = o.mul(h, o.dropoutMask(h.shape, 0.2, maskRng));
          const seq = o.conv1d(o.expandDims(dropped, 2), k, { padding: 'same' });
          const logits = o.dense(o.add(dropped, o.mean(seq, 2)), w2, b2);
          return o.mean(o.softmaxCrossEntropy(logits, y));
        }, vars);
        const p = { alpha: (0.01 * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step), beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
        vars.forEach((v, i) => o.adamStep(v, grads[i]!, slots[i]![0], slots[i]![1], null, p));
        return value.item();
      }),
    );
  }
  return { losses: Float32Array.from(losses), weights: Float32Array.from(vars.flatMap((v) => Array.from(v.data))) };
}

test('a seeded training loop is bit-identical on 1 and 2 threads', async () => {
  setBackend(wasm);
  try {
    const one = await onThreads(1, () => train(99));
    const two = await onThreads(2, () => train(99));
    assertBitIdentical(one.losses, two.losses, 'losses');
    assertBitIdentical(one.weights, two.weights, 'final weights');
    assert.ok(one.losses[4]! < one.losses[0]!, `loss went from ${one.losses[0]} to ${one.losses[4]}`);
  } finally {
    setBackend('reference');
  }
});
