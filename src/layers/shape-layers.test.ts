import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flatten, flatten } from './flatten.js';
import { Reshape } from './reshape.js';
import { Activation, activation } from './activation.js';
import { InputLayer, inputLayer } from './input-layer.js';
import { layerFromConfig } from './registry.js';
import { Rng } from '../random.js';
import { fill, tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';

const ctx = { training: false };

test('Flatten, Reshape, Activation contracts', () => {
  layerTest(Flatten, {}, { inputShape: [2, 3, 4], outputShape: [2, 12], trainableWeights: 0 });
  layerTest(flatten, {}, { inputShape: [3, 2, 2, 2], outputShape: [3, 8], trainableWeights: 0 });
  layerTest(Reshape, { targetShape: [3, 4] }, { inputShape: [2, 12], outputShape: [2, 3, 4], trainableWeights: 0 });
  layerTest(Reshape, { targetShape: [-1, 2] }, { inputShape: [2, 3, 4], outputShape: [2, 6, 2], trainableWeights: 0 });
  layerTest(Activation, { activation: 'relu6' }, { inputShape: [2, 3], outputShape: [2, 3], trainableWeights: 0 });
  layerTest(activation, 'softmax', { inputShape: [2, 3], outputShape: [2, 3], trainableWeights: 0 });
});

test('Flatten and Reshape keep values in row-major order', () => {
  const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  assert.deepEqual(new Flatten().apply(x, ctx, new Rng(0)).toArray(), [[1, 2, 3, 4], [5, 6, 7, 8]]);
  assert.deepEqual(new Reshape({ targetShape: [4, 1] }).apply(x, ctx, new Rng(0)).toArray(), [[[1], [2], [3], [4]], [[5], [6], [7], [8]]]);
  assert.deepEqual(new Flatten().apply(tensor([1, 2]), ctx, new Rng(0)).toArray(), [[1], [2]]);
  assert.deepEqual(new Reshape({ targetShape: [2, -1] }).computeOutputShape([null, 3, 4]), [null, 2, 6]);
});

test('Activation layer applies the op; gradients check', () => {
  const a = new Activation({ activation: 'leakyRelu' });
  assert.deepEqual(Array.from(a.apply(tensor([[-1, 2]]), ctx, new Rng(0)).data), [-0.2, 2].map(Math.fround));
  for (const name of ['elu', 'selu', 'gelu', 'swish', 'softplus', 'softsign', 'log_softmax', 'hard_sigmoid']) {
    const l = new Activation(name);
    const x = tensor([[0.3, -1.2, 0.7], [1.1, 0.4, -0.6]]);
    l.apply(x, ctx, new Rng(0));
    const r = gradCheckLayer(l, x, []);
    assert.ok(r.ok, `${name}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
  assert.deepEqual(a.getConfig(), { name: a.name, trainable: true, dtype: 'float32', activation: 'leaky_relu' });
});

test('InputLayer holds batchInputShape, checks inputs, TF.js config', () => {
  const i = inputLayer({ shape: [4] });
  assert.deepEqual(i.batchInputShape, [null, 4]);
  assert.equal(i.built, true);
  const x = fill([3, 4], 1);
  assert.equal(i.apply(x, ctx, new Rng(0)), x);
  assert.throws(() => i.apply(fill([3, 5], 1), ctx, new Rng(0)), /expected input of shape \[null,4\], got \[3,5\]/);
  const j = new InputLayer({ batchInputShape: [8, 10], dtype: 'int32', name: 'ids' });
  assert.deepEqual(j.getConfig(), { batch_input_shape: [8, 10], dtype: 'int32', sparse: false, name: 'ids' });
  const back = layerFromConfig({ class_name: 'InputLayer', config: j.getConfig() }) as InputLayer;
  assert.deepEqual(back.batchInputShape, [8, 10]);
  assert.equal(back.dtype, 'int32');
  const k3 = InputLayer.fromConfig({ batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'in', ragged: false });
  assert.deepEqual(k3.batchInputShape, [null, 3]);
  assert.deepEqual(new InputLayer({ inputShape: [2], batchSize: 5 }).batchInputShape, [5, 2]);
  assert.throws(() => new InputLayer({}), /an input shape is required/);
  assert.throws(() => new InputLayer({ shape: [2], sparse: true }), /sparse inputs are not supported/);
});

test('shape layers: validation and errors name both shapes', () => {
  assert.throws(() => new Reshape({ targetShape: [3, 5] }).apply(fill([2, 12], 0), ctx, new Rng(0)), /cannot reshape input \[12\] \(12 values per sample\) to target shape \[3,5\]/);
  assert.throws(() => new Reshape({ targetShape: [-1, -1] }), /at most one -1/);
  assert.throws(() => new Reshape({ targetShape: [0, 2] }), /targetShape must be an array of positive integers/);
  assert.throws(() => new Activation({} as never), /the 'activation' option is required/);
  assert.throws(() => new Activation('nope'), /unknown activation 'nope'/);
  assert.throws(() => new Flatten({ dataFormat: 'channels_first' as never }), /dataFormat must be 'channels_last'/);
  assert.throws(() => new Flatten({ foo: 1 } as never), /Flatten: unknown option 'foo'/);
  assert.deepEqual(new Reshape({ targetShape: [2, 3], name: 'r' }).getConfig(), { name: 'r', trainable: true, dtype: 'float32', target_shape: [2, 3] });
});
