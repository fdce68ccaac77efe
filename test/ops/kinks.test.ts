/**
 * Exact gradients at the points where the finite-difference table
 * (test/ops/gradcheck.test.ts) stays away: the non-differentiable points, defined
 * as Keras/TF define them. Float32, default backend, exact equality except
 * where a float32 rounding of 1/6 or alpha is involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grad } from '../../src/autograd/grad.js';
import * as o from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers/assert-close.js';

function gradAt(f: (x: Tensor) => Tensor, xs: number[]): number[] {
  const x = tensor(xs);
  return Array.from(grad(() => o.sum(f(x)), [x])[0]!.data);
}

test('kinks: relu′(0) = 0, abs′(0) = 0, relu6′ at 0 and 6 = 0, leakyRelu′(0) = alpha, hardSigmoid′(±3) = 0, sign′ = 0', () => {
  assert.deepEqual(gradAt(o.relu, [-1, 0, 2]), [0, 0, 1]);
  assert.deepEqual(gradAt(o.abs, [-1, 0, 2]), [-1, 0, 1]);
  assert.deepEqual(gradAt(o.relu6, [-1, 0, 3, 6, 7]), [0, 0, 1, 0, 0]);
  assertClose(gradAt((x) => o.leakyRelu(x, 0.2), [-1, 0, 2]), [0.2, 0.2, 1]);
  assertClose(gradAt(o.hardSigmoid, [-4, -3, 0, 3, 4]), [0, 0, 1 / 6, 0, 0]);
  assert.deepEqual(gradAt(o.sign, [-1, 0, 2]), [0, 0, 0]);
  assertClose(gradAt((x) => o.elu(x), [0]), [1]);
});

test('kinks: maximum/minimum ties send the gradient to a; clip passes it at the bounds', () => {
  const a = tensor([1, 2, 3]);
  const b = tensor([1, 5, 0]);
  const [ga, gb] = grad(() => o.sum(o.maximum(a, b)), [a, b]);
  assert.deepEqual(Array.from(ga!.data), [1, 0, 1]);
  assert.deepEqual(Array.from(gb!.data), [0, 1, 0]);
  const [ma, mb] = grad(() => o.sum(o.minimum(a, b)), [a, b]);
  assert.deepEqual(Array.from(ma!.data), [1, 1, 0]);
  assert.deepEqual(Array.from(mb!.data), [0, 0, 1]);
  assert.deepEqual(gradAt((x) => o.clip(x, -1, 1), [-2, -1, 0, 1, 2]), [0, 1, 1, 1, 0]);
});

test('kinks: tied max/min reductions split the gradient evenly; maxPool1d gives it to the first maximum', () => {
  assert.deepEqual(gradAt((x) => o.max(x), [1, 3, 3, 2]), [0, 0.5, 0.5, 0]);
  assert.deepEqual(gradAt((x) => o.min(x), [1, 3, 1, 1]), [1 / 3, 0, 1 / 3, 1 / 3].map(Math.fround));
  const x = tensor([[[2], [2], [1], [5]]]);
  const [g] = grad(() => o.sum(o.maxPool1d(x, 2)), [x]);
  assert.deepEqual(Array.from(g!.data), [1, 0, 0, 1]);
});

test('kinks: norm with epsilon has a finite gradient at zero; without it the gradient is NaN (IEEE, no throw)', () => {
  assert.deepEqual(gradAt((x) => o.norm(x, undefined, false, 1e-6), [0, 0]), [0, 0]);
  const g = gradAt((x) => o.norm(x), [0, 0]);
  assert.ok(g.every(Number.isNaN), `got ${g}`);
});
