/**
 * sumSquares (the L2 penalty's fused op): value and gradient bit-identical to
 * sum(square(x)) on both backends, and untracked inputs of dense/mul get no
 * gradient work (their gradient is not requested and the values of the
 * tracked ones are unchanged).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as o from '../../src/ops/index.js';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { tensor } from '../../src/tensor/create.js';
import { Variable } from '../../src/tensor/variable.js';
import { setBackend } from '../../src/backend/select.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends();

for (const [name, be] of [['wasm', wasm], ['reference', ref]] as const) {
  test(`sumSquares matches sum(square(x)) bit for bit, value and gradient (${name})`, () => {
    setBackend(be);
    try {
      for (const shape of [[0], [1], [7], [33, 5], [3, 4, 5]]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const w = new Variable(tensor(randomData(rngFor(n + 11), n, -3, 3), shape), { name: 'w' });
        const fused = valueAndGrad(() => o.mul(o.sumSquares(w), 0.37), [w]);
        const plain = valueAndGrad(() => o.mul(o.sum(o.square(w)), 0.37), [w]);
        assertBitIdentical(fused.value.data as Float32Array, plain.value.data as Float32Array, `value ${shape}`);
        assertBitIdentical(fused.grads[0]!.data as Float32Array, plain.grads[0]!.data as Float32Array, `grad ${shape}`);
      }
      assert.equal(o.sumSquares(tensor([1, 2, -2], [3])).data[0], 9);
    } finally {
      setBackend(wasm);
    }
  });

  test(`dense and mul with an untracked input: the tracked gradients are unchanged (${name})`, () => {
    setBackend(be);
    try {
      const x = tensor(randomData(rngFor(5), 6 * 4), [6, 4]);
      const mask = tensor(randomData(rngFor(6), 6 * 3, 0, 2), [6, 3]);
      const w = new Variable(tensor(randomData(rngFor(7), 4 * 3), [4, 3]), { name: 'w' });
      const bias = new Variable(tensor(randomData(rngFor(8), 3), [3]), { name: 'bias' });
      const f = (): ReturnType<typeof o.sum> => o.sum(o.square(o.mul(o.dense(x, w, bias, 'relu'), mask)));
      const { grads } = valueAndGrad(f, [w, bias]);
      // The same function with x and mask tracked too: w's and bias's gradients must not change.
      const xv = new Variable(x, { name: 'x' });
      const mv = new Variable(mask, { name: 'mask' });
      const all = valueAndGrad(() => o.sum(o.square(o.mul(o.dense(xv, w, bias, 'relu'), mv))), [w, bias, xv, mv]);
      assertBitIdentical(grads[0]!.data as Float32Array, all.grads[0]!.data as Float32Array, 'dW');
      assertBitIdentical(grads[1]!.data as Float32Array, all.grads[1]!.data as Float32Array, 'db');
      assert.ok(Array.from(all.grads[2]!.data).some((v) => v !== 0), 'dX is computed when x is tracked');
      assert.ok(Array.from(all.grads[3]!.data).some((v) => v !== 0), 'd mask is computed when the mask is tracked');
    } finally {
      setBackend(wasm);
    }
  });
}
