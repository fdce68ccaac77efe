/**
 * l2Normalize (normalize.ts): Keras 3's formula x / max(‖x‖₂, 1e-7) along one
 * axis or several, the zero vector (value 0, finite gradient 1/ε), the clamp
 * for tiny norms, and argument errors. Its finite-difference gradient check is
 * in test/ops/gradcheck.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrad } from '../autograd/grad.js';
import { tensor } from '../tensor/create.js';
import { assertClose } from '../../test/helpers/assert-close.js';
import { l2Normalize, NORMALIZE_EPSILON } from './normalize.js';
import { sum } from './reduce.js';

test('divides by the L2 norm along the axis (default last), or over several axes together', () => {
  const x = tensor([[3, 4], [6, 8], [0, -2]]);
  assertClose(l2Normalize(x).data, [0.6, 0.8, 0.6, 0.8, 0, -1], { rtol: 1e-6, atol: 0 });
  const n0 = Math.hypot(3, 6, 0);
  const n1 = Math.hypot(4, 8, 2);
  assertClose(l2Normalize(x, 0).data, [3 / n0, 4 / n1, 6 / n0, 8 / n1, 0, -2 / n1], { rtol: 1e-6, atol: 0 });
  const all = Math.hypot(3, 4, 6, 8, 0, 2);
  assertClose(l2Normalize(x, [0, 1]).data, [3, 4, 6, 8, 0, -2].map((v) => v / all), { rtol: 1e-6, atol: 0 });
  assert.deepEqual([...l2Normalize(x, -2).shape], [3, 2]);
});

test('Keras clamp: x / max(norm, 1e-7); a zero vector stays 0 with the finite gradient 1/ε', () => {
  const tiny = tensor([[3e-9, 4e-9]]); // norm 5e-9 < ε: divided by ε
  assertClose(l2Normalize(tiny).data, [3e-9 / NORMALIZE_EPSILON, 4e-9 / NORMALIZE_EPSILON], { rtol: 1e-5, atol: 0 });
  const small = tensor([[3e-5, 4e-5]]); // norm 5e-5 > ε: a unit vector (TF.js would give [0.095, 0.126])
  assertClose(l2Normalize(small).data, [0.6, 0.8], { rtol: 1e-5, atol: 0 });
  const z = tensor([[0, 0, 0]]);
  assert.deepEqual(Array.from(l2Normalize(z).data), [0, 0, 0]);
  const { grads } = valueAndGrad(() => sum(l2Normalize(z)), [z]);
  assertClose(grads[0]!.data, [1e7, 1e7, 1e7], { rtol: 1e-5, atol: 0 });
  assert.ok(Array.from(grads[0]!.data).every(Number.isFinite));
  assertClose(l2Normalize(tensor([[1, 1]]), -1, 10).data, [0.1, 0.1], { rtol: 1e-6, atol: 0 });
});

test('argument errors name the op', () => {
  assert.throws(() => l2Normalize(tensor(2)), /l2Normalize: needs a tensor of rank >= 1, got a scalar/);
  assert.throws(() => l2Normalize(tensor([1, 2]), 0, 0), /l2Normalize: epsilon must be a finite number > 0, got 0/);
  assert.throws(() => l2Normalize(tensor([1, 2]), 3), /axis/);
});
