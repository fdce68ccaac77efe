import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaxPooling2D, maxPooling2d } from './max-pooling2d.js';
import { AveragePooling2D, averagePooling2d } from './average-pooling2d.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, globalAveragePooling2d, globalMaxPooling2d } from './global-pooling2d.js';
import { layerFromConfig } from './registry.js';
import { input } from './input-layer.js';
import { valueAndGrad } from '../autograd/grad.js';
import { sum } from '../ops/reduce.js';
import { mul } from '../ops/arithmetic.js';
import { Rng } from '../random.js';
import { fill, tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

const ctx = { training: false };
// x [1, 3, 4, 2]: channel 0 = 1..12 row-major, channel 1 = −(1..12)
const X = tensor(Array.from({ length: 12 }, (_, i) => [i + 1, -(i + 1)]), [1, 3, 4, 2]);
const ch = (y: { data: ArrayLike<number> }, c: number, n = 2): number[] => Array.from(y.data).filter((_, i) => i % n === c);

test('2-D pooling layer contracts (valid / same, strides, pairs)', () => {
  layerTest(MaxPooling2D, {}, { inputShape: [2, 6, 5, 3], outputShape: [2, 3, 2, 3], trainableWeights: 0 });
  layerTest(maxPooling2d, { poolSize: 3, strides: 1 }, { inputShape: [2, 6, 5, 3], outputShape: [2, 4, 3, 3], trainableWeights: 0 });
  layerTest(MaxPooling2D, { poolSize: [2, 3], strides: [3, 1], padding: 'same' }, { inputShape: [2, 7, 5, 1], outputShape: [2, 3, 5, 1], trainableWeights: 0 });
  layerTest(AveragePooling2D, { poolSize: 2 }, { inputShape: [2, 5, 5, 3], outputShape: [2, 2, 2, 3], trainableWeights: 0 });
  layerTest(averagePooling2d, { poolSize: [3, 3], strides: 2, padding: 'same' }, { inputShape: [1, 7, 6, 5], outputShape: [1, 4, 3, 5], trainableWeights: 0 });
  layerTest(GlobalAveragePooling2D, {}, { inputShape: [2, 5, 4, 3], outputShape: [2, 3], trainableWeights: 0 });
  layerTest(globalMaxPooling2d, {}, { inputShape: [2, 5, 4, 3], outputShape: [2, 3], trainableWeights: 0 });
  layerTest(globalAveragePooling2d, { keepdims: true }, { inputShape: [2, 5, 4, 3], outputShape: [2, 1, 1, 3], trainableWeights: 0 });
  layerTest(GlobalMaxPooling2D, { keepdims: true }, { inputShape: [2, 3, 3, 2], outputShape: [2, 1, 1, 2], trainableWeights: 0 });
});

test('max and average pooling values; same excludes padding from the mean (TF split: extra row/column at the bottom/right)', () => {
  // channel 0 rows: [1 2 3 4] [5 6 7 8] [9 10 11 12]
  assert.deepEqual(ch(new MaxPooling2D().apply(X, ctx), 0), [6, 8]);
  assert.deepEqual(ch(new MaxPooling2D().apply(X, ctx), 1), [-1, -3]);
  assert.deepEqual(ch(new MaxPooling2D({ padding: 'same' }).apply(X, ctx), 0), [6, 8, 10, 12]);
  assert.deepEqual(ch(new AveragePooling2D().apply(X, ctx), 0), [3.5, 5.5]);
  // same: windows rows {0,1},{2}; cols {0,1},{2,3} → the last row averages 2 values, not 4
  assert.deepEqual(ch(new AveragePooling2D({ padding: 'same' }).apply(X, ctx), 0), [3.5, 5.5, 9.5, 11.5]);
  // 3×3 stride 1 same: padding 1 on every side; corner (0,0) averages {1,2,5,6}
  const box = new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(X, ctx);
  assert.deepEqual([...box.shape], [1, 3, 4, 2]);
  assertClose(ch(box, 0).slice(0, 4), [3.5, 4, 5, 5.5]);
  // stride > pool: rows 0 and 3 of a 5-row input, columns skipped too
  const x5 = tensor(Array.from({ length: 25 }, (_, i) => i), [1, 5, 5, 1]);
  assert.deepEqual(Array.from(new MaxPooling2D({ poolSize: 2, strides: 3 }).apply(x5, ctx).data), [6, 9, 21, 24]);
});

test('global pooling values (and keepdims)', () => {
  assert.deepEqual(Array.from(new GlobalAveragePooling2D().apply(X, ctx).data), [6.5, -6.5]);
  assert.deepEqual(Array.from(new GlobalMaxPooling2D().apply(X, ctx).data), [12, -1]);
  assert.deepEqual([...new GlobalMaxPooling2D({ keepdims: true }).apply(X, ctx).shape], [1, 1, 1, 2]);
  assert.deepEqual([...new GlobalMaxPooling2D({ keepDims: true } as never).apply(X, ctx).shape], [1, 1, 1, 2], 'TF.js-style keepDims is accepted');
});

test('max gradient goes to the first maximal position (row-major) of each window; avg spreads over valid positions', () => {
  const x = tensor([1, 3, 3, 2, 3, 0, 1, 1, 1], [1, 3, 3, 1]);
  const { grads } = valueAndGrad(() => sum(new MaxPooling2D({ poolSize: 2, strides: 1 }).apply(x, ctx)), [x]);
  // rows [1 3 3] [2 3 0] [1 1 1]; windows (0,0) {1,3,2,3} and (0,1) {3,3,3,0} → x(0,1); (1,0) {2,3,1,1} and (1,1) {3,0,1,1} → x(1,1)
  assert.deepEqual(Array.from(grads[0]!.data), [0, 2, 0, 0, 2, 0, 0, 0, 0]);
  const w = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
  const avg = valueAndGrad(() => sum(mul(new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(w, ctx), tensor([1, 0, 0, 0], [1, 2, 2, 1]))), [w]);
  // output (0,0) averages all 4 inputs (padding not counted): each gets 1/4
  assertClose(avg.grads[0]!.data, [0.25, 0.25, 0.25, 0.25]);
});

test('2-D pooling gradients match float64 finite differences', () => {
  const x = tensor(Array.from({ length: 2 * 5 * 6 * 2 }, (_, i) => Math.sin(i * 1.7) * 3 + i * 0.01), [2, 5, 6, 2]);
  const layers = [
    new MaxPooling2D(),
    new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    new AveragePooling2D({ poolSize: [2, 3] }),
    new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }),
    new GlobalAveragePooling2D(),
    new GlobalMaxPooling2D({ keepdims: true }),
  ];
  for (const l of layers) {
    l.apply(x, ctx, new Rng(0));
    const r = gradCheckLayer(l, x, []);
    assert.ok(r.ok, `${l.name}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('2-D pooling configs use TF.js keys ([h, w] pairs, data_format) and round trip', () => {
  const m = new MaxPooling2D({ poolSize: 3, strides: [2, 1], padding: 'same', name: 'mp' });
  assert.deepEqual(m.getConfig(), { name: 'mp', trainable: true, dtype: 'float32', pool_size: [3, 3], padding: 'same', strides: [2, 1], data_format: 'channels_last' });
  assert.deepEqual(MaxPooling2D.fromConfig(m.getConfig()).getConfig(), m.getConfig());
  assert.deepEqual(new AveragePooling2D({ name: 'ap' }).getConfig(), { name: 'ap', trainable: true, dtype: 'float32', pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' });
  assert.deepEqual(new GlobalAveragePooling2D({ name: 'g' }).getConfig(), { name: 'g', trainable: true, dtype: 'float32', data_format: 'channels_last' });
  assert.deepEqual(new GlobalMaxPooling2D({ name: 'g', keepdims: true }).getConfig(), { name: 'g', trainable: true, dtype: 'float32', data_format: 'channels_last', keepdims: true });
  // Keras 3 writes keepdims: false too; TF.js aliases resolve.
  const k3 = layerFromConfig({ class_name: 'GlobalMaxPool2D', config: { name: 'g2', data_format: 'channels_last', keepdims: false } });
  assert.deepEqual([k3.className, k3.name], ['GlobalMaxPooling2D', 'g2']);
  for (const [alias, cls] of [['MaxPool2D', 'MaxPooling2D'], ['AvgPool2D', 'AveragePooling2D'], ['GlobalAvgPool2D', 'GlobalAveragePooling2D']]) {
    assert.equal(layerFromConfig({ class_name: alias!, config: {} }).className, cls);
  }
});

test('2-D pooling errors name the layer, the rule and the value', () => {
  assert.throws(() => new MaxPooling2D({ poolSize: 0 }), /MaxPooling2D: poolSize must be a positive integer or a pair of them, got 0/);
  assert.throws(() => new MaxPooling2D({ strides: [1, 2, 3] as never }), /MaxPooling2D: strides must be a positive integer or a pair of them, got \[1,2,3\]/);
  assert.throws(() => new AveragePooling2D({ padding: 'causal' as never }), /AveragePooling2D: padding must be one of 'valid', 'same', got "causal"/);
  assert.throws(() => new MaxPooling2D({ pool_size: 2 } as never), /MaxPooling2D: unknown option 'pool_size'/);
  assert.throws(() => new GlobalMaxPooling2D({ dataFormat: 'channels_first' as never }), /dataFormat must be 'channels_last'/);
  // a window bigger than the input with 'valid'
  assert.throws(() => new MaxPooling2D({ name: 'mp_big', poolSize: [4, 2] }).apply(fill([1, 3, 5, 2], 0), ctx), /mp_big: pool height 4 is larger than the input height 3 with padding 'valid'/);
  assert.throws(() => new AveragePooling2D({ name: 'ap_big', poolSize: 3 }).computeOutputShape([null, 5, 2, 1]), /ap_big: pool width 3 is larger than the input width 2/);
  // a rank-3 input to a 2-D layer
  assert.throws(() => new MaxPooling2D({ name: 'mp3' }).apply(fill([2, 8, 3], 0), ctx), /mp3: MaxPooling2D expects input \[batch, height, width, channels\], got \[2,8,3\]/);
  assert.throws(() => new GlobalAveragePooling2D({ name: 'g3' }).apply(fill([2, 8, 3], 0), ctx), /g3: GlobalAveragePooling2D expects input \[batch, height, width, channels\], got \[2,8,3\]/);
  assert.throws(() => new MaxPooling2D({ name: 'sym' }).apply(input({ shape: [8, 3] })), /sym \(MaxPooling2D\) cannot be called on .*: sym: MaxPooling2D expects input \[batch, height, width, channels\], got \[null,8,3\]/);
});

test('symbolic shapes with unknown height and width', () => {
  assert.deepEqual(new MaxPooling2D({ padding: 'same' }).apply(input({ shape: [null, 7, 3] as never })).shape, [null, null, 4, 3]);
  assert.deepEqual(new GlobalAveragePooling2D().apply(input({ shape: [null, null, 3] as never })).shape, [null, 3]);
});
