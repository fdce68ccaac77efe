import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeparableConv2D, separableConv2d } from './separable-conv2d.js';
import { layerFromConfig } from './registry.js';
import { l1, l2 } from '../regularizers.js';
import { maxNorm, nonNeg } from '../constraints.js';
import { Rng } from '../random.js';
import { fill, randomNormal, tensor } from '../tensor/create.js';
import { conv2d, depthwiseConv2d } from '../ops/conv2d.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

test('SeparableConv2D layer contract', () => {
  for (const [args, out] of [
    [{ filters: 4, kernelSize: 3 }, [2, 5, 4, 4]],
    [{ filters: 2, kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2 }, [2, 4, 3, 2]],
    [{ filters: 2, kernelSize: [2, 3], dilationRate: 2, useBias: false }, [2, 5, 2, 2]],
  ] as const) {
    const useBias = (args as { useBias?: boolean }).useBias ?? true;
    layerTest(SeparableConv2D, args as never, { inputShape: [2, 7, 6, 3], outputShape: out, trainableWeights: useBias ? 3 : 2 });
  }
  layerTest(separableConv2d, { filters: 1, kernelSize: 1 }, { inputShape: [1, 1, 1, 1], outputShape: [1, 1, 1, 1], trainableWeights: 3 });
});

test('SeparableConv2D = depthwise conv, then 1×1 conv, then bias', () => {
  const x = randomNormal([2, 6, 5, 3], { seed: 1 });
  const s = new SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', biasInitializer: 'ones' });
  const y = s.apply(x, { training: false }, new Rng(3));
  const ref = conv2d(depthwiseConv2d(x, s.depthwiseKernel!, { padding: 'same' }), s.pointwiseKernel!);
  assertClose(y.data, (ref.data as Float32Array).map((v) => v + 1), { rtol: 1e-6, atol: 1e-6 });
  assert.deepEqual([...s.pointwiseKernel!.shape], [1, 1, 6, 4]);
});

test('SeparableConv2D gradients match float64 finite differences', () => {
  const layer = new SeparableConv2D({ filters: 3, kernelSize: 2, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'tanh' });
  const x = randomNormal([2, 5, 4, 2], { seed: 8 });
  layer.apply(x, { training: false }, new Rng(2));
  layer.setWeights([layer.depthwiseKernel!.read(), layer.pointwiseKernel!.read(), tensor([0.1, -0.1, 0.2])]);
  const r = gradCheckLayer(layer, x, ['depthwiseKernel', 'pointwiseKernel', 'bias']);
  assert.ok(r.ok, `worst ${r.worst} at ${JSON.stringify(r.where)}`);
});

test('SeparableConv2D config round trip; depthwise/pointwise/bias regularizers and constraints reach their weights', () => {
  const s = new SeparableConv2D({
    filters: 2, kernelSize: 3, depthMultiplier: 3, name: 'sep',
    depthwiseRegularizer: l2(0.1), pointwiseRegularizer: l1(0.2), biasRegularizer: l2(0.3), activityRegularizer: l1(0.01),
    depthwiseConstraint: nonNeg(), pointwiseConstraint: maxNorm({ maxValue: 1, axis: [0, 1, 2] }),
  });
  const cfg = s.getConfig();
  assert.equal(cfg['depth_multiplier'], 3);
  assert.deepEqual(cfg['pointwise_constraint'], { class_name: 'MaxNorm', config: { max_value: 1, axis: [0, 1, 2] } });
  assert.deepEqual(layerFromConfig({ class_name: 'SeparableConvolution2D', config: JSON.parse(JSON.stringify(cfg)) as Record<string, unknown> }).getConfig(), cfg);
  s.apply(fill([2, 4, 4, 2], 0.5), { training: false }, new Rng(0));
  assert.deepEqual(s.weights.map((w) => w.name), ['sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias']);
  assert.equal(s.losses.length, 4);
  assert.ok(s.depthwiseKernel!.constraint && s.pointwiseKernel!.constraint && !s.bias!.constraint);
});
