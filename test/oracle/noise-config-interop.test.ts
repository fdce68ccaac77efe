/**
 * Config interop with TF.js 4.22 for the regularization pieces: Regula's
 * configs of the noise layers and of Dense with regularizers/constraints are
 * read by TF.js's own deserializer (the one loadLayersModel uses) with the
 * same hyperparameters, and TF.js's configs load back into Regula.
 * (ActivityRegularization and OrthogonalRegularizer have no TF.js class.)
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
import { regularizers } from '../../src/regularizers.js';
import { constraints } from '../../src/constraints.js';
import { tf, tfCpu } from '../helpers/tfjs.js';

type Json = Record<string, unknown>;

function throughTfjs(layer: Layer): Json {
  const json = JSON.parse(JSON.stringify({ class_name: layer.className, config: layer.getConfig() })) as Json;
  const tfLayer = deserialize(convertPythonicToTs(json as never) as never) as unknown as tf.layers.Layer;
  assert.equal(tfLayer.getClassName(), layer.className);
  return convertTsToPythonic(tfLayer.getConfig() as never) as Json;
}

test('TF.js reads the noise layers and regularizer/constraint configs Regula writes, and back', async () => {
  await tfCpu();
  const cases: [Layer, string[]][] = [
    [layers.dropout({ rate: 0.3, noiseShape: [null, 1], seed: 4 }), ['rate', 'noise_shape', 'seed']],
    [layers.spatialDropout1d({ rate: 0.2, seed: 1 }), ['rate', 'seed']],
    [layers.gaussianDropout({ rate: 0.1 }), ['rate']],
    [layers.gaussianNoise({ stddev: 0.2 }), ['stddev']],
    [layers.alphaDropout({ rate: 0.1 }), ['rate']],
    [layers.dense({ units: 3, kernelRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: regularizers.l2(0.5), kernelConstraint: constraints.maxNorm({ maxValue: 3, axis: 0 }), biasConstraint: constraints.nonNeg() }),
      ['kernel_regularizer', 'bias_regularizer', 'kernel_constraint', 'bias_constraint']],
    [layers.dense({ units: 2, kernelConstraint: constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5 }), activityRegularizer: regularizers.l2(0.1) }), ['kernel_constraint']],
    [layers.dense({ units: 2, kernelConstraint: constraints.unitNorm(1) }), ['kernel_constraint']],
  ];
  for (const [layer, keys] of cases) {
    const ours = layer.getConfig();
    const theirs = throughTfjs(layer);
    for (const k of keys) assert.deepEqual(theirs[k], ours[k], `${layer.className}.${k}`);
    const back = layerFromConfig({ class_name: layer.className, config: theirs }).getConfig();
    for (const k of keys) assert.deepEqual(back[k], ours[k], `${layer.className}.${k} after a TF.js round trip`);
  }
});
