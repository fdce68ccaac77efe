import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaxPooling1D, maxPooling1d } from './max-pooling1d.js';
import { AveragePooling1D, averagePooling1d } from './average-pooling1d.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalMaxPooling1D, globalMaxPooling1d } from './global-max-pooling1d.js';
import { Rng } from '../random.js';
import { fill, tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

const ctx = { training: false };
// x [1, 5, 2]: channel 0 = 1..5, channel 1 = 5..1 (negated)
const X = tensor([[[1, -5], [2, -4], [3, -3], [4, -2], [5, -1]]]);

test('pooling layer contracts (valid / same, strides)', () => {
  layerTest(MaxPooling1D, {}, { inputShape: [2, 6, 3], outputShape: [2, 3, 3], trainableWeights: 0 });
  layerTest(maxPooling1d, { poolSize: 3, strides: 1 }, { inputShape: [2, 6, 3], outputShape: [2, 4, 3], trainableWeights: 0 });
  layerTest(MaxPooling1D, { poolSize: [2], padding: 'same' }, { inputShape: [2, 5, 3], outputShape: [2, 3, 3], trainableWeights: 0 });
  layerTest(AveragePooling1D, { poolSize: 2 }, { inputShape: [2, 5, 3], outputShape: [2, 2, 3], trainableWeights: 0 });
  layerTest(averagePooling1d, { poolSize: 3, strides: 2, padding: 'same' }, { inputShape: [2, 7, 1], outputShape: [2, 4, 1], trainableWeights: 0 });
  layerTest(GlobalAveragePooling1D, {}, { inputShape: [2, 5, 3], outputShape: [2, 3], trainableWeights: 0 });
  layerTest(globalMaxPooling1d, {}, { inputShape: [2, 5, 3], outputShape: [2, 3], trainableWeights: 0 });
});

test('max and average pooling values (valid and same; same excludes padding from the mean)', () => {
  const mp = new MaxPooling1D({ poolSize: 2 }).apply(X, ctx, new Rng(0));
  assert.deepEqual(Array.from(mp.data), [2, -4, 4, -2]);
  const mps = new MaxPooling1D({ poolSize: 2, padding: 'same' }).apply(X, ctx, new Rng(0));
  assert.deepEqual(Array.from(mps.data), [2, -4, 4, -2, 5, -1]);
  const ap = new AveragePooling1D({ poolSize: 2 }).apply(X, ctx, new Rng(0));
  assert.deepEqual(Array.from(ap.data), [1.5, -4.5, 3.5, -2.5]);
  const aps = new AveragePooling1D({ poolSize: 2, padding: 'same' }).apply(X, ctx, new Rng(0));
  assert.deepEqual(Array.from(aps.data), [1.5, -4.5, 3.5, -2.5, 5, -1]);
  const ap3 = new AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same' }).apply(X, ctx, new Rng(0));
  // windows: [1,2] [1,2,3] [2,3,4] [3,4,5] [4,5] (TF 'same' splits padding 1 left / 1 right)
  assertClose(Array.from(ap3.data).filter((_, i) => i % 2 === 0), [1.5, 2, 3, 4, 4.5]);
});

test('global pooling values', () => {
  assert.deepEqual(Array.from(new GlobalAveragePooling1D().apply(X, ctx, new Rng(0)).data), [3, -3]);
  assert.deepEqual(Array.from(new GlobalMaxPooling1D().apply(X, ctx, new Rng(0)).data), [5, -1]);
});

test('pooling gradients match float64 finite differences', () => {
  const x = tensor([[[0.3, -1.2], [0.7, 0.1], [1.1, 0.4], [-0.6, 2.0], [0.9, -0.2], [0.5, 0.05], [-1.5, 0.8]]]);
  const layers = [
    new MaxPooling1D({ poolSize: 2 }),
    new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same' }),
    new AveragePooling1D({ poolSize: 2 }),
    new AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same' }),
    new GlobalAveragePooling1D(),
    new GlobalMaxPooling1D(),
  ];
  for (const l of layers) {
    l.apply(x, ctx, new Rng(0));
    const r = gradCheckLayer(l, x, []);
    assert.ok(r.ok, `${l.name}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('pooling configs use TF.js keys and round trip', () => {
  const m = new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same', name: 'mp' });
  assert.deepEqual(m.getConfig(), { name: 'mp', trainable: true, dtype: 'float32', pool_size: [3], padding: 'same', strides: [2] });
  assert.deepEqual(MaxPooling1D.fromConfig(m.getConfig()).getConfig(), m.getConfig());
  assert.deepEqual(new AveragePooling1D({ name: 'ap' }).getConfig(), { name: 'ap', trainable: true, dtype: 'float32', pool_size: [2], padding: 'valid', strides: [2] });
  assert.deepEqual(new GlobalAveragePooling1D({ name: 'g' }).getConfig(), { name: 'g', trainable: true, dtype: 'float32' });
  // Keras 3 writes data_format and keepdims
  const k3 = GlobalMaxPooling1D.fromConfig({ name: 'g2', trainable: true, dtype: 'float32', data_format: 'channels_last', keepdims: false });
  assert.equal(k3.name, 'g2');
});

test('pooling validation and shape errors', () => {
  assert.throws(() => new MaxPooling1D({ poolSize: 0 }), /MaxPooling1D: poolSize must be a positive integer, got 0/);
  assert.throws(() => new AveragePooling1D({ padding: 'causal' as never }), /AveragePooling1D: padding must be one of 'valid', 'same', got "causal"/);
  assert.throws(() => new MaxPooling1D({ pool_size: 2 } as never), /MaxPooling1D: unknown option 'pool_size'/);
  assert.throws(() => new MaxPooling1D({ poolSize: 4 }).apply(fill([1, 3, 2], 0), ctx, new Rng(0)), /input length 3 is shorter than the \(dilated\) window 4/);
  assert.throws(() => new GlobalAveragePooling1D().apply(fill([2, 3], 0), ctx, new Rng(0)), /expects input \[batch, steps, channels\], got \[2,3\]/);
  assert.throws(() => new GlobalMaxPooling1D({ dataFormat: 'channels_first' as never }), /dataFormat must be 'channels_last'/);
});
