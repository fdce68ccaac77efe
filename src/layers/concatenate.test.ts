/**
 * Concatenate (concatenate.ts): output shapes (null on the axis when unknown),
 * values on each axis, errors naming the layer and the shapes, float64
 * finite-difference gradients, config round trip, the symbolic path and the
 * `layers.concatenate([a, b])` shorthand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../autograd/gradcheck.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { randomNormal, tensor } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { Concatenate, concatenate } from './concatenate.js';
import { input } from './input-layer.js';
import { layerFromConfig } from './registry.js';
import { SymbolicTensor } from './symbolic.js';

const ctx = { training: false };

test('output shapes: the axis sums, null when unknown; other dimensions must match (null matches)', () => {
  assert.deepEqual(new Concatenate().computeOutputShape([[null, 3], [null, 4]]), [null, 7]);
  assert.deepEqual(new Concatenate({ axis: 1 }).computeOutputShape([[null, 2, 5], [null, 3, 5], [null, 1, 5]]), [null, 6, 5]);
  assert.deepEqual(new Concatenate({ axis: -2 }).computeOutputShape([[null, 2, 5], [null, null, 5]]), [null, null, 5]);
  assert.deepEqual(new Concatenate().computeOutputShape([[null, 2, 5], [null, null, 3]]), [null, 2, 8]);
  assert.deepEqual(new Concatenate({ axis: 0 }).computeOutputShape([[2, 3], [4, 3]]), [6, 3]);
});

test('values on the last, middle and batch axes', () => {
  const a = tensor([[[1, 2], [3, 4]]]); // [1, 2, 2]
  const b = tensor([[[5], [6]]]); // [1, 2, 1]
  assert.deepEqual(new Concatenate().apply([a, b], ctx).toArray(), [[[1, 2, 5], [3, 4, 6]]]);
  const c = tensor([[[7, 8]]]); // [1, 1, 2]
  assert.deepEqual(new Concatenate({ axis: 1 }).apply([a, c], ctx).toArray(), [[[1, 2], [3, 4], [7, 8]]]);
  assert.deepEqual(new Concatenate({ axis: 0 }).apply([tensor([[1, 2]]), tensor([[3, 4]])], ctx).toArray(), [[1, 2], [3, 4]]);
  const x = randomNormal([3, 4], { seed: 1 });
  const y = randomNormal([3, 2], { seed: 2 });
  const z = new Concatenate({ axis: -1 }).apply([x, y, x], ctx);
  assert.deepEqual([...z.shape], [3, 10]);
  for (let r = 0; r < 3; r++) {
    const row = Array.from(z.data.slice(r * 10, r * 10 + 10));
    assert.deepEqual(row, [...x.data.slice(r * 4, r * 4 + 4), ...y.data.slice(r * 2, r * 2 + 2), ...x.data.slice(r * 4, r * 4 + 4)]);
  }
  const ids = new Tensor([1, 2], 'int32', Int32Array.from([1, 2]));
  const mixed = new Concatenate().apply([ids, tensor([[0.5]])], ctx);
  assert.equal(mixed.dtype, 'float32');
  assert.deepEqual(Array.from(mixed.data), [1, 2, 0.5]);
});

test('errors name the layer, the axis and the input shapes', () => {
  const a = tensor([[1, 2, 3]]);
  assert.throws(() => new Concatenate({ name: 'cat', axis: 1 }).computeOutputShape([[null, 3, 4], [null, 3, 5]]), /Concatenate \(axis 1\) needs inputs of one rank with matching shapes except on the concatenation axis; got input shapes \[null,3,4\], \[null,3,5\]/);
  assert.throws(() => new Concatenate({ name: 'cat2' }).apply([a, tensor([[[1]]])], ctx), /cat2 \(Concatenate\): Concatenate \(axis -1\) needs inputs of one rank .*got input shapes \[null,3\], \[null,1,1\]/);
  assert.throws(() => new Concatenate({ axis: 2 }).apply([a, a], ctx), /axis 2 is out of range for inputs of rank 2/);
  assert.throws(() => new Concatenate({ name: 'one' }).apply([a], ctx), /one \(Concatenate\): Concatenate should be called on a list of at least 2 inputs; got 1: \[null,3\]/);
  assert.throws(() => new Concatenate().apply(a, ctx), /got a single input of shape \[null,3\]/);
  // Concrete batch sizes must match too (axis ≠ 0).
  const l = new Concatenate({ name: 'cb' });
  l.apply([a, a], ctx);
  assert.throws(() => l.apply([a, tensor([[1], [2]])], ctx), /cb \(Concatenate\).*got input shapes \[1,3\], \[2,1\]/);
  assert.throws(() => new Concatenate({ axis: 1.5 }), /axis must be an integer, got 1.5/);
});

test('gradients check by finite differences (float64) on axes 1, -1 and 0', () => {
  for (const [axis, shapes] of [
    [1, [[2, 3, 2], [2, 1, 2], [2, 2, 2]]],
    [-1, [[2, 3], [2, 1]]],
    [0, [[1, 3], [2, 3]]],
  ] as [number, number[][]][]) {
    const layer = new Concatenate({ axis });
    const inputs = shapes.map((s, j) => [s, Array.from({ length: s.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(i + 3 * j))] as const);
    const r = gradCheck((...xs) => {
      const y = layer.call(xs, ctx);
      return sum(mul(y, randomNormal(y.shape, { seed: 9 })));
    }, inputs);
    assert.ok(r.ok, `axis ${axis}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('config round trip: axis is written and read back', () => {
  for (const l of [new Concatenate(), new Concatenate({ axis: 1, name: 'c' })]) {
    const json = JSON.parse(JSON.stringify({ class_name: l.className, config: l.getConfig() })) as { class_name: string; config: Record<string, unknown> };
    assert.equal(json.config['axis'], l.axis);
    const back = layerFromConfig(json) as Concatenate;
    assert.ok(back instanceof Concatenate);
    assert.equal(back.axis, l.axis);
    assert.deepEqual(back.getConfig(), json.config);
  }
});

test('symbolic and shorthand: concatenate([a, b]) on inputs; a layer with an axis', () => {
  const a = input({ shape: [4] });
  const b = input({ shape: [2] });
  const s = concatenate([a, b]);
  assert.ok(s instanceof SymbolicTensor);
  assert.deepEqual(s.shape, [null, 6]);
  const p = input({ shape: [3, 2] });
  const q = input({ shape: [5, 2] });
  assert.deepEqual(concatenate({ axis: 1 }).apply([p, q]).shape, [null, 8, 2]);
  assert.throws(() => concatenate({ name: 'cc' }).apply([p, q]), /cc \(Concatenate\) cannot be called on .*matching shapes except on the concatenation axis; got input shapes \[null,3,2\], \[null,5,2\]/);
  assert.deepEqual(concatenate([tensor([[1]]), tensor([[2, 3]])]).toArray(), [[1, 2, 3]]);
});
