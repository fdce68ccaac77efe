/**
 * The elementwise merge layers (merge.ts): Keras's Merge shape rule (batch
 * sizes agree, other dimensions broadcast from the right, lower ranks
 * expanded at axis 1), values against plain loops, errors that name the
 * layer and the shapes, gradients by finite differences (float64), ties of
 * Maximum/Minimum, config round trips, the symbolic (functional API) path and
 * the TF.js-style `layers.add([a, b])` shorthand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../autograd/gradcheck.js';
import { valueAndGrad } from '../autograd/grad.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { randomNormal, tensor } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { assertClose } from '../../test/helpers/assert-close.js';
import { input } from './input-layer.js';
import { Add, add, Average, average, Maximum, maximum, Merge, Minimum, minimum, Multiply, multiply, Subtract, subtract } from './merge.js';
import { layerFromConfig } from './registry.js';
import { SymbolicTensor } from './symbolic.js';

const ctx = { training: false };

/** Reference: per element, fold over the inputs (all of one shape). */
function reference(xs: readonly Tensor[], f: (vals: number[]) => number): number[] {
  return Array.from({ length: xs[0]!.size }, (_, i) => Math.fround(f(xs.map((x) => x.data[i]!))));
}

const ELEMENTWISE: [string, () => Merge, (v: number[]) => number][] = [
  ['Add', () => new Add(), (v) => v.reduce((a, b) => a + b)],
  ['Multiply', () => new Multiply(), (v) => v.reduce((a, b) => a * b)],
  ['Average', () => new Average(), (v) => v.reduce((a, b) => a + b) / v.length],
  ['Maximum', () => new Maximum(), (v) => v.reduce((a, b) => Math.max(a, b))],
  ['Minimum', () => new Minimum(), (v) => v.reduce((a, b) => Math.min(a, b))],
];

test('elementwise merges of 2 and 3 inputs: values, shapes, no weights', () => {
  for (const n of [2, 3]) {
    const xs = Array.from({ length: n }, (_, i) => randomNormal([3, 2, 4], { seed: 10 + i }));
    for (const [name, make, f] of ELEMENTWISE) {
      const l = make();
      const y = l.apply(xs, ctx);
      assert.deepEqual([...y.shape], [3, 2, 4], `${name}: shape`);
      assertClose(y.data, reference(xs, f), { rtol: 1e-6, atol: 1e-7, label: `${name} of ${n}` });
      assert.deepEqual(l.computeOutputShape(xs.map(() => [null, 2, 4])), [null, 2, 4]);
      assert.equal(l.weights.length, 0);
      assert.equal(l.countParams(), 0);
    }
  }
  const [a, b] = [randomNormal([4, 5], { seed: 1 }), randomNormal([4, 5], { seed: 2 })];
  assertClose(new Subtract().apply([a, b], ctx).data, reference([a, b], ([p, q]) => p! - q!), { rtol: 0, atol: 0 });
});

test("output shapes follow Keras's Merge rule: batch agrees, 1 and null broadcast, lower ranks align right", () => {
  const l = new Add();
  assert.deepEqual(l.computeOutputShape([[null, 4], [null, 4]]), [null, 4]);
  assert.deepEqual(l.computeOutputShape([[null, 4], [8, 4]]), [8, 4]);
  assert.deepEqual(l.computeOutputShape([[null, 1, 4], [null, 3, 1]]), [null, 3, 4]);
  assert.deepEqual(l.computeOutputShape([[null, 3, 4], [null, 4]]), [null, 3, 4]);
  assert.deepEqual(l.computeOutputShape([[null, 4], [null, 2, 3, 4]]), [null, 2, 3, 4]);
  assert.deepEqual(l.computeOutputShape([[null, null], [null, 4]]), [null, null]);
  assert.deepEqual(l.computeOutputShape([[null, 4], [null, 4], [null, 1]]), [null, 4]);
});

test('a lower-rank input is expanded at axis 1 and broadcast (Keras reshape_required)', () => {
  const a = randomNormal([2, 3, 4], { seed: 3 });
  const b = randomNormal([2, 4], { seed: 4 });
  const y = new Add().apply([a, b], ctx);
  assert.deepEqual([...y.shape], [2, 3, 4]);
  const want = Array.from(a.data, (v, i) => Math.fround(v + b.data[Math.floor(i / 12) * 4 + (i % 4)]!));
  assertClose(y.data, want, { rtol: 0, atol: 0 });
  // A size-1 dimension broadcasts too.
  const c = randomNormal([2, 1, 4], { seed: 5 });
  const z = new Multiply().apply([a, c], ctx);
  assertClose(z.data, Array.from(a.data, (v, i) => Math.fround(v * c.data[Math.floor(i / 12) * 4 + (i % 4)]!)), { rtol: 0, atol: 0 });
});

test('integer inputs are cast to float32', () => {
  const a = new Tensor([2, 2], 'int32', Int32Array.from([1, 2, 3, 4]));
  const y = new Add().apply([a, tensor([[0.5, 0.5], [0.5, 0.5]])], ctx);
  assert.equal(y.dtype, 'float32');
  assert.deepEqual(Array.from(y.data), [1.5, 2.5, 3.5, 4.5]);
});

test('errors name the layer and the input shapes', () => {
  const a = tensor([[1, 2, 3]]);
  const b = tensor([[1, 2, 3, 4]]);
  assert.throws(() => new Add({ name: 'sum1' }).apply([a, b], ctx), /sum1 \(Add\): Add got inputs of incompatible shapes \[null,3\], \[null,4\]/);
  assert.throws(() => new Add({ name: 'sum2' }).apply(a, ctx), /sum2 \(Add\): Add should be called on a list of at least 2 inputs; got a single input of shape \[null,3\]/);
  assert.throws(() => new Maximum().apply([a], ctx), /Maximum should be called on a list of at least 2 inputs; got 1: \[null,3\]/);
  assert.throws(() => new Subtract({ name: 'diff' }).apply([a, a, a], ctx), /diff \(Subtract\): Subtract should be called on a list of exactly 2 inputs; got 3: \[null,3\], \[null,3\], \[null,3\]/);
  // Batch sizes must agree (Keras does not broadcast the batch axis), checked on every concrete call.
  const l = new Average({ name: 'avg' });
  l.apply([a, a], ctx);
  assert.throws(() => l.apply([a, tensor([[1, 2, 3], [4, 5, 6]])], ctx), /avg \(Average\): Average cannot merge tensors with different batch sizes; got input shapes \[1,3\], \[2,3\]/);
  assert.throws(() => new Add().computeOutputShape([[2, 3], [5, 3]]), /different batch sizes; got input shapes \[2,3\], \[5,3\]/);
  assert.throws(() => new Multiply().computeOutputShape([null, 3]), /Multiply should be called on a list of at least 2 inputs; got a single input of shape \[null,3\]/);
  assert.throws(() => new Add({ foo: 1 } as never), /unknown option 'foo'/);
});

/** A fixed random projection Σ y·W, so every output element has its own weight. */
function project(y: Tensor): Tensor {
  return sum(mul(y, randomNormal(y.shape, { seed: 99 })));
}

test('gradients check by finite differences (float64), broadcasting and 3 inputs included', () => {
  const cases: [string, Merge, number[][]][] = [
    ['add', new Add(), [[2, 3], [2, 3], [2, 3]]],
    ['subtract', new Subtract(), [[2, 3, 2], [2, 2]]],
    ['multiply', new Multiply(), [[2, 3], [2, 3], [2, 1]]],
    ['average', new Average(), [[2, 1, 3], [2, 2, 3]]],
    ['maximum', new Maximum(), [[2, 3], [2, 3], [2, 3]]],
    ['minimum', new Minimum(), [[3, 2], [3, 2]]],
  ];
  let k = 0;
  for (const [name, layer, shapes] of cases) {
    // Distinct values on disjoint lattices: no ties for maximum/minimum.
    const inputs = shapes.map((s, j) => {
      const n = s.reduce((a, b) => a * b, 1);
      return [s, Array.from({ length: n }, (_, i) => ((i * 7 + k++ * 3) % 11) * 0.3 - 1.5 + j * 0.1)] as const;
    });
    const r = gradCheck((...xs) => project(layer.call(xs, ctx)), inputs, { rtol: 1e-6, atol: 1e-7 });
    assert.ok(r.ok, `${name}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('Maximum and Minimum send the gradient at a tie to the earlier input (TF rule)', () => {
  const a = tensor([[1, 2, 3]]);
  const b = tensor([[1, 5, 0]]);
  const c = tensor([[1, 2, 0]]);
  for (const [l, ga, gb, gc] of [
    [new Maximum(), [1, 0, 1], [0, 1, 0], [0, 0, 0]],
    [new Minimum(), [1, 1, 0], [0, 0, 1], [0, 0, 0]],
  ] as const) {
    const { grads } = valueAndGrad(() => sum(l.apply([a, b, c], ctx)), [a, b, c]);
    assert.deepEqual(grads.map((g) => Array.from(g.data)), [ga, gb, gc], l.className);
  }
});

test('config round trip through JSON and layerFromConfig', () => {
  for (const make of [() => new Add({ name: 'a1' }), () => new Subtract({ trainable: false }), () => new Multiply(), () => new Average(), () => new Maximum(), () => new Minimum()]) {
    const l = make();
    const json = JSON.parse(JSON.stringify({ class_name: l.className, config: l.getConfig() })) as { class_name: string; config: Record<string, unknown> };
    assert.deepEqual(Object.keys(json.config).sort(), ['dtype', 'name', 'trainable']);
    const back = layerFromConfig(json);
    assert.ok(back instanceof (l.constructor as typeof Merge), `${l.className} class`);
    assert.deepEqual(back.getConfig(), json.config);
  }
  assert.throws(() => layerFromConfig({ class_name: 'Add', config: { axis: 1 } }), /Add.fromConfig: unsupported config key 'axis'/);
});

test('symbolic: merging two inputs gives a SymbolicTensor of the merged shape', () => {
  const a = input({ shape: [4] });
  const b = input({ shape: [4] });
  for (const f of [add, subtract, multiply, average, maximum, minimum]) {
    const l = f();
    const s = l.apply([a, b]);
    assert.ok(s instanceof SymbolicTensor);
    assert.deepEqual(s.shape, [null, 4]);
    assert.equal(s.sourceLayer, l);
    assert.equal(l.inboundNodes.at(-1)!.listCall, true);
  }
  const c = input({ shape: [3, 4] });
  assert.deepEqual(add().apply([a, c]).shape, [null, 3, 4]);
  assert.throws(() => add({ name: 'bad' }).apply([a, input({ shape: [5] })]), /bad \(Add\) cannot be called on .*Add got inputs of incompatible shapes \[null,4\], \[null,5\]/);
  assert.throws(() => subtract().apply([a, a, a]), /exactly 2 inputs; got 3/);
});

test('factories: args make a layer; a list applies a fresh layer at once (TF.js style)', () => {
  assert.ok(add() instanceof Add);
  assert.equal(add({ name: 'plus' }).name, 'plus');
  const a = tensor([[1, 2]]);
  const b = tensor([[3, 5]]);
  assert.deepEqual(Array.from(add([a, b]).data), [4, 7]);
  assert.deepEqual(Array.from(subtract([a, b]).data), [-2, -3]);
  assert.deepEqual(Array.from(multiply([a, b]).data), [3, 10]);
  assert.deepEqual(Array.from(average([a, b]).data), [2, 3.5]);
  assert.deepEqual(Array.from(maximum([a, b]).data), [3, 5]);
  assert.deepEqual(Array.from(minimum([a, b]).data), [1, 2]);
  const s = add([input({ shape: [2] }), input({ shape: [2] })]);
  assert.ok(s instanceof SymbolicTensor);
  assert.equal(s.sourceLayer.className, 'Add');
});
