import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DepthwiseConv2D, depthwiseConv2d } from './depthwise-conv2d.js';
import { Conv2D } from './conv2d.js';
import { layerFromConfig } from './registry.js';
import { l2 } from '../regularizers.js';
import { nonNeg } from '../constraints.js';
import { Rng } from '../random.js';
import { fill, randomNormal, tensor } from '../tensor/create.js';
import { reshape } from '../ops/shape-ops.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

test('DepthwiseConv2D layer contract (multipliers, paddings, strides, dilation)', () => {
  const cases: [object, number[]][] = [
    [{ kernelSize: 3 }, [2, 5, 4, 3]],
    [{ kernelSize: 3, depthMultiplier: 2, padding: 'same' }, [2, 7, 6, 6]],
    [{ kernelSize: [2, 3], strides: 2 }, [2, 3, 2, 3]],
    [{ kernelSize: 2, dilationRate: 2, useBias: false, activation: 'relu' }, [2, 5, 4, 3]],
  ];
  for (const [args, out] of cases) {
    const useBias = (args as { useBias?: boolean }).useBias ?? true;
    layerTest(DepthwiseConv2D, args as never, { inputShape: [2, 7, 6, 3], outputShape: out, trainableWeights: useBias ? 2 : 1 });
  }
  layerTest(depthwiseConv2d, { kernelSize: 1, depthMultiplier: 3 }, { inputShape: [1, 1, 1, 1], outputShape: [1, 1, 1, 3], trainableWeights: 2 });
});

test('DepthwiseConv2D equals Conv2D with groups = channels on the same kernel layout', () => {
  const x = randomNormal([2, 6, 5, 3], { seed: 1 });
  for (const [mult, padding, strides] of [[1, 'valid', 1], [2, 'same', 2], [3, 'same', 1]] as const) {
    const dw = new DepthwiseConv2D({ kernelSize: [3, 2], depthMultiplier: mult, padding, strides, useBias: false });
    const y = dw.apply(x, { training: false }, new Rng(2));
    const conv = new Conv2D({ filters: 3 * mult, kernelSize: [3, 2], groups: 3, padding, strides, useBias: false });
    conv.apply(x, { training: false }, new Rng(0));
    conv.setWeights([reshape(dw.depthwiseKernel!, [3, 2, 1, 3 * mult])]);
    assertClose(y.data, conv.apply(x, { training: false }).data, { rtol: 1e-6, atol: 1e-7, label: `mult ${mult} ${padding} s${strides}` });
  }
});

test('DepthwiseConv2D gradients match float64 finite differences', () => {
  const layer = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'tanh' });
  const x = randomNormal([2, 5, 4, 2], { seed: 8 });
  layer.apply(x, { training: false }, new Rng(2));
  layer.setWeights([layer.depthwiseKernel!.read(), tensor([0.1, -0.1, 0.2, 0])]);
  const r = gradCheckLayer(layer, x, ['depthwiseKernel', 'bias']);
  assert.ok(r.ok, `worst ${r.worst} at ${JSON.stringify(r.where)}`);
});

test('DepthwiseConv2D config (TF.js keys and order), weights named depthwise_kernel, regularizer and constraint', () => {
  const d = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, depthwiseRegularizer: l2(0.5), depthwiseConstraint: nonNeg(), name: 'dw' });
  const cfg = d.getConfig();
  assert.deepEqual(Object.keys(cfg), [
    'name', 'trainable', 'dtype', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias',
    'bias_initializer', 'bias_regularizer', 'activity_regularizer', 'bias_constraint', 'depth_multiplier', 'depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint',
  ]);
  assert.deepEqual(layerFromConfig({ class_name: 'DepthwiseConv2D', config: JSON.parse(JSON.stringify(cfg)) as Record<string, unknown> }).getConfig(), cfg);
  d.apply(fill([1, 4, 4, 2], 1), { training: false }, new Rng(0));
  assert.deepEqual(d.weights.map((w) => w.name), ['dw/depthwise_kernel', 'dw/bias']);
  assertClose([d.losses[0]!.item()], [0.5 * (d.depthwiseKernel!.data as Float32Array).reduce((s, v) => s + v * v, 0)], { rtol: 1e-6 });
  assert.ok(d.depthwiseKernel!.constraint);
  assert.throws(() => new DepthwiseConv2D({ kernelSize: 3, strides: 2, dilationRate: 2 }), /DepthwiseConv2D: strides \[2,2\] > 1 cannot be combined with dilationRate \[2,2\] > 1/);
  assert.throws(() => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0 }), /depthMultiplier must be a positive integer, got 0/);
});
