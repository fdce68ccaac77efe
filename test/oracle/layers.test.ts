/**
 * Differential tests: Regula layers vs TF.js 4.22 layers (CPU backend) with
 * identical weights (set explicitly: TF.js's default kernel init is
 * glorotNormal, Keras 3's glorotUniform) and identical inputs. Outputs must
 * agree to float32 tolerance RTOL/ATOL below; parameter counts must equal
 * TF.js `countParams()`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dense } from '../../src/layers/dense.js';
import { Conv1D } from '../../src/layers/conv1d.js';
import { MaxPooling1D } from '../../src/layers/max-pooling1d.js';
import { AveragePooling1D } from '../../src/layers/average-pooling1d.js';
import { GlobalAveragePooling1D } from '../../src/layers/global-average-pooling1d.js';
import { GlobalMaxPooling1D } from '../../src/layers/global-max-pooling1d.js';
import { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { LayerNormalization } from '../../src/layers/layer-normalization.js';
import { Embedding } from '../../src/layers/embedding.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Reshape } from '../../src/layers/reshape.js';
import { Activation } from '../../src/layers/activation.js';
import type { Layer } from '../../src/layers/layer.js';
import { Rng } from '../../src/random.js';
import { randomNormal, randomUniform, tensor } from '../../src/tensor/create.js';
import { transpose } from '../../src/ops/shape-ops.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers/assert-close.js';
import { runTfLayer, tf, tfCpu, tfWeights } from '../helpers/tfjs.js';

/** Float32 tolerance for every comparison in this file. */
const RTOL = 1e-5;
const ATOL = 1e-6;

/**
 * Builds `ours` on x with seeded weights, copies them into `theirs`, runs both
 * and compares outputs, shapes and parameter counts. Returns our output.
 */
function compare(ours: Layer, theirs: tf.layers.Layer, x: Tensor, label: string, training = false, weights?: Tensor[]): Tensor {
  ours.apply(x, { training: false }, new Rng(7));
  const w = weights ?? ours.getWeights().map((v, i) => randomNormal(v.shape, { seed: 50 + i, stddev: 0.5 }));
  ours.setWeights(w);
  const y = ours.apply(x, { training });
  const ref = runTfLayer(theirs, x, w, training);
  assert.deepEqual([...y.shape], ref.shape, `${label}: shape`);
  assertClose(y.data, ref.data, { rtol: RTOL, atol: ATOL, label });
  assert.equal(ours.countParams(), theirs.countParams(), `${label}: countParams`);
  return y;
}

test('Dense agrees with tf.layers.dense (activations, no bias, rank-3 input)', async () => {
  await tfCpu();
  const x = randomNormal([5, 7], { seed: 1 });
  for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'swish', 'gelu'] as const) {
    compare(new Dense({ units: 4, activation }), tf.layers.dense({ units: 4, activation }), x, `dense ${activation}`);
  }
  compare(new Dense({ units: 3, useBias: false }), tf.layers.dense({ units: 3, useBias: false }), x, 'dense no bias');
  compare(new Dense({ units: 3, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'relu' }), randomNormal([2, 4, 7], { seed: 2 }), 'dense rank 3');
});

test('Conv1D agrees with tf.layers.conv1d: paddings valid/same, strides 1/2, dilations 1/2', async () => {
  await tfCpu();
  const x = randomNormal([2, 11, 3], { seed: 3 });
  for (const padding of ['valid', 'same'] as const) {
    for (const kernelSize of [1, 2, 3, 4]) {
      for (const [strides, dilationRate] of [[1, 1], [2, 1], [3, 1], [1, 2], [1, 3]] as const) {
        const label = `conv1d ${padding} k${kernelSize} s${strides} d${dilationRate}`;
        const args = { filters: 5, kernelSize, strides, padding, dilationRate, activation: 'relu' } as const;
        compare(new Conv1D(args), tf.layers.conv1d(args), x, label);
      }
    }
  }
  compare(new Conv1D({ filters: 2, kernelSize: 3, useBias: false }), tf.layers.conv1d({ filters: 2, kernelSize: 3, useBias: false }), x, 'conv1d no bias');
});

test("Conv1D 'causal': TF.js throws NotImplemented; ours equals 'valid' on the left-padded input", async () => {
  await tfCpu();
  assert.throws(() => runTfLayer(tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal' }), randomNormal([1, 5, 2], { seed: 0 }), []), /causal/i);
  const x = randomNormal([2, 6, 2], { seed: 4 });
  for (const d of [1, 2]) {
    const causal = new Conv1D({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: d });
    causal.apply(x, { training: false }, new Rng(1));
    // Reference: TF.js 'valid' conv on x with d·(k−1) zero steps prepended.
    const pad = d * 2;
    const xs = x.toArray() as number[][][];
    const padded = tensor(xs.map((seq) => [...Array.from({ length: pad }, () => [0, 0]), ...seq]));
    const ref = runTfLayer(tf.layers.conv1d({ filters: 3, kernelSize: 3, dilationRate: d }), padded, causal.getWeights());
    assertClose(causal.apply(x, { training: false }).data, ref.data, { rtol: RTOL, atol: ATOL, label: `causal d${d}` });
  }
});

test('pooling agrees with TF.js (max/average, valid/same, pool sizes and strides)', async () => {
  await tfCpu();
  const x = randomNormal([2, 9, 3], { seed: 5 });
  for (const padding of ['valid', 'same'] as const) {
    for (const [poolSize, strides] of [[2, 2], [3, 1], [3, 2], [2, 3], [4, 4]] as const) {
      const args = { poolSize, strides, padding };
      compare(new MaxPooling1D(args), tf.layers.maxPooling1d(args), x, `maxPooling1d ${JSON.stringify(args)}`);
      compare(new AveragePooling1D(args), tf.layers.averagePooling1d(args), x, `averagePooling1d ${JSON.stringify(args)}`);
    }
  }
  compare(new GlobalAveragePooling1D(), tf.layers.globalAveragePooling1d({}), x, 'globalAveragePooling1d');
  compare(new GlobalMaxPooling1D(), tf.layers.globalMaxPooling1d({}), x, 'globalMaxPooling1d');
});

test('BatchNormalization agrees with TF.js in inference and training mode (output and moving statistics)', async () => {
  await tfCpu();
  const positive = (shape: readonly number[], seed: number): Tensor => randomUniform(shape, { minval: 0.5, maxval: 2, seed });
  for (const shape of [[6, 4], [3, 5, 4]] as const) {
    const x = randomNormal(shape, { seed: 6, mean: 1, stddev: 2 });
    const dim = shape[shape.length - 1]!;
    const weights = [randomNormal([dim], { seed: 8 }), randomNormal([dim], { seed: 9 }), randomNormal([dim], { seed: 10 }), positive([dim], 11)];
    const args = { momentum: 0.8, epsilon: 1e-3 };
    compare(new BatchNormalization(args), tf.layers.batchNormalization(args), x, `BN inference ${JSON.stringify(shape)}`, false, weights);
    const ours = new BatchNormalization(args);
    const theirs = tf.layers.batchNormalization(args);
    compare(ours, theirs, x, `BN training ${JSON.stringify(shape)}`, true, weights);
    const tw = tfWeights(theirs);
    assertClose(ours.movingMean!.data, tw[2]!, { rtol: RTOL, atol: ATOL, label: 'moving_mean after one training step' });
    assertClose(ours.movingVariance!.data, tw[3]!, { rtol: RTOL, atol: ATOL, label: 'moving_variance after one training step' });
  }
  const noScale = { center: false, scale: false };
  compare(new BatchNormalization(noScale), tf.layers.batchNormalization(noScale), randomNormal([4, 3], { seed: 12 }), 'BN no center/scale (inference)', false, [
    randomNormal([3], { seed: 1 }),
    positive([3], 2),
  ]);
});

test('BatchNormalization axis=1 agrees with TF.js axis=-1 on the transposed input', async () => {
  // TF.js 4.22's CPU batchNorm kernel broadcasts mean/variance/gamma/beta as if
  // they ran along the last axis, so its axis=1 output on rank 3 is wrong
  // (checked: moving_mean [0,100] on [1,2,4] shifts alternate columns). The
  // oracle is therefore axis=-1 on x transposed to [batch, steps, features].
  await tfCpu();
  const x = randomNormal([3, 4, 5], { seed: 6, mean: 1, stddev: 2 });
  const xt = transpose(x, [0, 2, 1]);
  const weights = [randomNormal([4], { seed: 8 }), randomNormal([4], { seed: 9 }), randomNormal([4], { seed: 10 }), randomUniform([4], { minval: 0.5, maxval: 2, seed: 11 })];
  for (const training of [false, true]) {
    const ours = new BatchNormalization({ axis: 1, momentum: 0.8 });
    ours.apply(x, { training: false }, new Rng(0));
    ours.setWeights(weights);
    const y = ours.apply(x, { training });
    const theirs = tf.layers.batchNormalization({ momentum: 0.8 });
    const ref = runTfLayer(theirs, xt, weights, training);
    assertClose(transpose(y, [0, 2, 1]).data, ref.data, { rtol: RTOL, atol: ATOL, label: `BN axis 1 training=${training}` });
    const tw = tfWeights(theirs);
    assertClose(ours.movingMean!.data, tw[2]!, { rtol: RTOL, atol: ATOL, label: 'moving_mean' });
    assertClose(ours.movingVariance!.data, tw[3]!, { rtol: RTOL, atol: ATOL, label: 'moving_variance' });
  }
});

test('LayerNormalization agrees with TF.js (last axis and several axes)', async () => {
  await tfCpu();
  compare(new LayerNormalization(), tf.layers.layerNormalization({}), randomNormal([4, 6], { seed: 13, mean: 3 }), 'LN axis -1');
  compare(new LayerNormalization({ axis: [1, 2] }), tf.layers.layerNormalization({ axis: [1, 2] }), randomNormal([2, 3, 4], { seed: 14 }), 'LN axes [1,2]');
  compare(new LayerNormalization({ epsilon: 0.1 }), tf.layers.layerNormalization({ epsilon: 0.1 }), randomNormal([2, 3, 4], { seed: 15 }), 'LN eps 0.1');
});

test('Embedding agrees with TF.js (int32 ids, rank 1 and 2)', async () => {
  await tfCpu();
  const ids = tensor([[0, 3, 9], [9, 1, 1]], [2, 3], 'int32');
  compare(new Embedding({ inputDim: 10, outputDim: 4 }), tf.layers.embedding({ inputDim: 10, outputDim: 4 }), ids, 'embedding [2,3]');
  compare(new Embedding({ inputDim: 5, outputDim: 2 }), tf.layers.embedding({ inputDim: 5, outputDim: 2 }), tensor([4, 0, 2], [3], 'int32'), 'embedding [3]');
});

test('Flatten, Reshape and Activation agree with TF.js', async () => {
  await tfCpu();
  const x = randomNormal([2, 3, 4], { seed: 16 });
  compare(new Flatten(), tf.layers.flatten(), x, 'flatten');
  compare(new Reshape({ targetShape: [4, -1] }), tf.layers.reshape({ targetShape: [4, -1] }), x, 'reshape');
  for (const a of ['relu', 'elu', 'selu', 'softplus', 'softsign', 'tanh', 'sigmoid', 'softmax', 'relu6', 'swish', 'gelu'] as const) {
    compare(new Activation({ activation: a }), tf.layers.activation({ activation: a }), x, `activation ${a}`);
  }
});
