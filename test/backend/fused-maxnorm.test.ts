/**
 * The fused MaxNorm constraint (issue 18): `Backend.maxNormInPlace` gives the
 * same bits as the constraint's ops (`maxNorm(m).apply(w)`, then assign) on
 * the wasm backend (1, 2 and 3 threads) and on the reference backend
 * (float32 and float64), and the optimizer's fused path trains a Dense model
 * to the same weights as the unfused ops do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceBackend } from '../../src/backend/reference/reference-backend.js';
import { getBackend, setBackend } from '../../src/backend/select.js';
import type { Backend } from '../../src/backend/backend.js';
import { constraints, layers, optimizers, Sequential, tensor } from '../../src/index.js';
import { CONSTRAINT_EPSILON, FunctionConstraint, MaxNorm } from '../../src/constraints.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm } = await backends(2);

/** Rows × cols values whose column norms fall on both sides of `max` (and one zero column). */
function kernel(rows: number, cols: number, seed: number): Float32Array {
  const rng = rngFor(seed);
  const w = randomData(rng, rows * cols, -1, 1);
  for (let c = 0; c < cols; c++) {
    const s = c % 3 === 0 ? 0.01 : c % 3 === 1 ? 0.2 : 1.5;
    for (let r = 0; r < rows; r++) w[r * cols + c]! *= c === cols - 1 && cols > 2 ? 0 : s;
  }
  return w;
}

/** The unfused constraint on backend `b`: its ops, then the result's values. */
function unfused(b: Backend, w: Float32Array | Float64Array, rows: number, cols: number, max: number): Float32Array | Float64Array {
  const prev = getBackend();
  setBackend(b);
  try {
    const data = b.fromValues(w);
    const out = new MaxNorm(max, 0).apply(new Tensor([rows, cols], 'float32', data));
    return out.data.slice() as Float32Array | Float64Array;
  } finally {
    setBackend(prev);
  }
}

function bits(a: Float32Array | Float64Array): Uint32Array {
  return new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

const SHAPES = [[784, 512], [512, 512], [7, 5], [1, 3], [13, 1], [33, 130]] as const;

test('wasm: fused MaxNorm = its ops bit for bit, on 1, 2 and 3 threads', async () => {
  for (const [rows, cols] of SHAPES) {
    const w = kernel(rows, cols, rows + cols);
    const expected = bits(unfused(wasm, w, rows, cols, 3));
    for (const threads of [1, 2, 3]) {
      await wasm.setThreads(threads);
      const buf = wasm.allocPersistent(rows * cols) as Float32Array;
      buf.set(w);
      wasm.maxNormInPlace(buf, rows, cols, 3, CONSTRAINT_EPSILON);
      assert.deepEqual(bits(buf), expected, `${rows}×${cols} on ${threads} threads`);
    }
  }
  await wasm.setThreads(2);
});

test('reference (float32 and float64): fused MaxNorm = its ops bit for bit', () => {
  for (const float64 of [false, true]) {
    const ref = new ReferenceBackend({ float64 });
    for (const [rows, cols] of SHAPES) {
      const w32 = kernel(rows, cols, 7 * rows + cols);
      const w = float64 ? Float64Array.from(w32) : w32;
      const expected = unfused(ref, w, rows, cols, 2);
      const got = w.slice();
      ref.maxNormInPlace(got, rows, cols, 2, CONSTRAINT_EPSILON);
      assert.deepEqual(Array.from(got), Array.from(expected), `${rows}×${cols} float64=${float64}`);
    }
  }
});

test('the optimizer\'s fused maxNorm trains a Dense model to the same weights as the constraint\'s ops', async () => {
  const x = tensor(randomData(rngFor(3), 64 * 20), [64, 20]);
  const y = tensor(randomData(rngFor(4), 64 * 3), [64, 3]);
  const train = async (fused: boolean): Promise<Float32Array[]> => {
    const mn = constraints.maxNorm({ maxValue: 0.5 });
    // A user-function constraint runs the same ops through the generic (unfused) path.
    const c = fused ? mn : new FunctionConstraint((w) => mn.apply(w));
    const model = new Sequential([
      layers.dense({ inputShape: [20], units: 16, activation: 'relu', kernelConstraint: c }),
      layers.dense({ units: 3, kernelConstraint: c }),
    ], { seed: 5 });
    model.compile({ optimizer: optimizers.adam(0.05), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 3, batchSize: 16, seed: 2, verbose: 0 });
    return model.getWeights().map((t) => Float32Array.from(t.data));
  };
  const a = await train(true);
  const b = await train(false);
  assert.equal(a.length, b.length);
  a.forEach((w, i) => assert.deepEqual(bits(w), bits(b[i]!), `weight ${i}`));
  // The constraint was active: some column of the first kernel sits at the cap.
  const k = a[0]!;
  let maxNorm = 0;
  for (let c = 0; c < 16; c++) {
    let s = 0;
    for (let r = 0; r < 20; r++) s += k[r * 16 + c]! ** 2;
    maxNorm = Math.max(maxNorm, Math.sqrt(s));
  }
  assert.ok(maxNorm > 0.49 && maxNorm <= 0.5 + 1e-6, `largest column norm ${maxNorm}`);
});
