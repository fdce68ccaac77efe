/**
 * Config interop with TF.js 4.22: every layer config Regula writes is accepted
 * by TF.js's own deserializer (the one `loadLayersModel` uses) and gives the
 * same layer back; configs written by TF.js layers load in Regula with the
 * same hyperparameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from '@tensorflow/tfjs-layers/dist/layers/serialization.js';
import { convertPythonicToTs, convertTsToPythonic } from '@tensorflow/tfjs-layers/dist/utils/serialization_utils.js';
import '../../src/regularizers.js';
import '../../src/constraints.js';
import { layers } from '../../src/layers/index.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Layer } from '../../src/layers/layer.js';
import type { Conv1D } from '../../src/layers/conv1d.js';
import type { Dense } from '../../src/layers/dense.js';
import type { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { tf, tfCpu } from '../helpers/tfjs.js';

type Json = Record<string, unknown>;

/** Regula config → TF.js layer (via its JSON deserializer) → TF.js config in model.json (pythonic) form. */
function throughTfjs(layer: Layer): Json {
  const json = JSON.parse(JSON.stringify({ class_name: layer.className, config: layer.getConfig() })) as Json;
  const tfLayer = deserialize(convertPythonicToTs(json as never) as never) as unknown as tf.layers.Layer;
  assert.equal(tfLayer.getClassName(), layer.className);
  return convertTsToPythonic(tfLayer.getConfig() as never) as Json;
}

test('TF.js deserializes every Regula layer config and writes back the same hyperparameters', async () => {
  await tfCpu();
  const cases: [Layer, string[]][] = [
    [layers.dense({ units: 3, activation: 'relu', inputShape: [4], name: 'd' }), ['units', 'activation', 'use_bias', 'batch_input_shape', 'name', 'bias_initializer']],
    [layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }), ['filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation']],
    [layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2 }), ['dilation_rate', 'padding']],
    [layers.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }), ['pool_size', 'strides', 'padding']],
    [layers.averagePooling1d({ poolSize: 2 }), ['pool_size', 'strides', 'padding']],
    [layers.globalAveragePooling1d(), ['name']],
    [layers.globalMaxPooling1d(), ['name']],
    [layers.flatten(), ['name']],
    [layers.reshape({ targetShape: [2, -1] }), ['target_shape']],
    [layers.activation('softmax'), ['activation']],
    [layers.batchNormalization({ momentum: 0.9, epsilon: 0.01, center: false }), ['axis', 'momentum', 'epsilon', 'center', 'scale', 'gamma_initializer', 'moving_variance_initializer']],
    [layers.layerNormalization({ epsilon: 0.01 }), ['axis', 'epsilon', 'center', 'scale']],
    [layers.embedding({ inputDim: 10, outputDim: 4 }), ['input_dim', 'output_dim', 'embeddings_initializer', 'mask_zero']],
    [layers.inputLayer({ inputShape: [3] }), ['batch_input_shape', 'dtype', 'sparse', 'name']],
  ];
  for (const [layer, keys] of cases) {
    const ours = layer.getConfig();
    const theirs = throughTfjs(layer);
    // TF.js writes Reshape's inferred dimension as null where Keras writes -1.
    const norm = (v: unknown): unknown => (Array.isArray(v) && layer.className === 'Reshape' ? v.map((d) => d ?? -1) : v);
    for (const k of keys) assert.deepEqual(norm(theirs[k]), ours[k], `${layer.className}.${k}`);
    assert.deepEqual(layerFromConfig({ class_name: layer.className, config: theirs }).getConfig()[keys[0]!], ours[keys[0]!], `${layer.className}: TF.js config loads back`);
  }
  // Initializer configs in Keras form are understood by TF.js: GlorotUniform stays glorot uniform.
  const d = throughTfjs(layers.dense({ units: 2 }));
  assert.deepEqual(d['kernel_initializer'], { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } });
});

test('Regula loads configs written by TF.js layers (model.json form)', async () => {
  await tfCpu();
  const pythonic = (l: tf.layers.Layer): { class_name: string; config: Json } => ({
    class_name: l.getClassName(),
    config: JSON.parse(JSON.stringify(convertTsToPythonic(l.getConfig() as never))) as Json,
  });
  const dense = layerFromConfig(
    pythonic(tf.layers.dense({ units: 5, activation: 'sigmoid', inputShape: [3], kernelRegularizer: tf.regularizers.l1l2({ l1: 0.1, l2: 0.2 }), biasConstraint: tf.constraints.nonNeg() })),
  ) as Dense;
  assert.equal(dense.units, 5);
  assert.equal(dense.activation.name, 'sigmoid');
  assert.deepEqual(dense.batchInputShape, [null, 3]);
  assert.deepEqual(dense.w.kernelRegularizer!.getConfig(), { class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 } });
  assert.equal(dense.w.biasConstraint!.getConfig().class_name, 'NonNeg');
  // TF.js writes its glorotNormal default as VarianceScaling(distribution 'normal') = truncated normal.
  assert.deepEqual(dense.w.kernelInitializer.getConfig(), { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: null } });

  const conv = layerFromConfig(pythonic(tf.layers.conv1d({ filters: 4, kernelSize: 5, strides: 2, padding: 'same', inputShape: [20, 3] }))) as Conv1D;
  assert.deepEqual([conv.filters, conv.kernelSize, conv.strides, conv.padding, conv.dilationRate], [4, 5, 2, 'same', 1]);
  const bn = layerFromConfig(pythonic(tf.layers.batchNormalization({ momentum: 0.95, epsilon: 0.002, scale: false }))) as BatchNormalization;
  assert.deepEqual([bn.momentum, bn.epsilon, bn.scale, bn.center, bn.axis], [0.95, 0.002, false, true, -1]);
  for (const l of [
    tf.layers.maxPooling1d({ poolSize: 3 }),
    tf.layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
    tf.layers.globalAveragePooling1d({}),
    tf.layers.globalMaxPooling1d({}),
    tf.layers.flatten(),
    tf.layers.reshape({ targetShape: [3, 2] }),
    tf.layers.activation({ activation: 'relu6' }),
    tf.layers.layerNormalization({ axis: -1 }),
    tf.layers.embedding({ inputDim: 7, outputDim: 2 }),
    tf.layers.inputLayer({ inputShape: [4] }),
  ]) {
    const cfg = pythonic(l);
    const ours = layerFromConfig(cfg);
    assert.equal(ours.className, cfg.class_name);
    assert.equal(ours.name, cfg.config['name']);
  }
});
