import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Conv2DTranspose, conv2dTranspose } from './conv2d-transpose.js';
import { Conv2D } from './conv2d.js';
import { layerFromConfig } from './registry.js';
import { valueAndGrad } from '../autograd/grad.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { Rng } from '../random.js';
import { fill, randomNormal, tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

test('Conv2DTranspose layer contract and Keras output sizes (outputPadding included)', () => {
  for (const [args, out] of [
    [{ filters: 2, kernelSize: 3 }, [2, 6, 7, 2]],
    [{ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [2, 8, 10, 2]],
    [{ filters: 2, kernelSize: 3, strides: 2 }, [2, 9, 11, 2]],
    [{ filters: 2, kernelSize: 1, strides: 3 }, [2, 12, 15, 2]],
    [{ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', outputPadding: [0, 1] }, [2, 7, 9, 2]],
    [{ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, useBias: false }, [2, 10, 12, 2]],
    [{ filters: 1, kernelSize: 2, dilationRate: 2, padding: 'same' }, [2, 4, 5, 1]],
  ] as const) {
    const useBias = (args as { useBias?: boolean }).useBias ?? true;
    layerTest(Conv2DTranspose, args as never, { inputShape: [2, 4, 5, 3], outputShape: out, trainableWeights: useBias ? 2 : 1 });
  }
  layerTest(conv2dTranspose, { filters: 1, kernelSize: 1 }, { inputShape: [1, 1, 1, 1], outputShape: [1, 1, 1, 1], trainableWeights: 2 });
});

test('Conv2DTranspose is the adjoint of Conv2D: <conv(z), x> = <z, convT(x)> with the same kernel', () => {
  for (const [padding, strides, k] of [['valid', 1, 3], ['same', 2, 3], ['same', 2, 4], ['valid', 3, 2]] as const) {
    const x = randomNormal([2, 4, 3, 2], { seed: 1 });
    const t = new Conv2DTranspose({ filters: 3, kernelSize: k, strides, padding, useBias: false });
    const y = t.apply(x, { training: false }, new Rng(4));
    const z = randomNormal([...y.shape], { seed: 2 });
    const c = new Conv2D({ filters: 2, kernelSize: k, strides, padding, useBias: false });
    c.apply(z, { training: false }, new Rng(0));
    c.setWeights([t.kernel!.read()]);
    const cz = c.apply(z, { training: false });
    assert.deepEqual([...cz.shape], [...x.shape], `${padding} s${strides} k${k}: conv maps back to the input size`);
    assertClose([sum(mul(cz, x)).item()], [sum(mul(z, y)).item()], { rtol: 1e-5, label: `${padding} s${strides} k${k}` });
  }
});

test('Conv2DTranspose gradients match float64 finite differences', () => {
  for (const args of [{ strides: 2, padding: 'same' }, { strides: 2, outputPadding: 1 }, { padding: 'valid' }] as const) {
    const layer = new Conv2DTranspose({ filters: 2, kernelSize: 3, activation: 'tanh', ...args });
    const x = randomNormal([2, 3, 2, 2], { seed: 8 });
    layer.apply(x, { training: false }, new Rng(2));
    layer.setWeights([layer.kernel!.read(), tensor([0.1, -0.1])]);
    const r = gradCheckLayer(layer, x, ['kernel', 'bias']);
    assert.ok(r.ok, `${JSON.stringify(args)}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
  // The kernel gradient also flows in float32 on the default backend.
  const layer = new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 2 });
  const x = fill([1, 2, 2, 1], 1);
  layer.apply(x, { training: false }, new Rng(0));
  const { grads } = valueAndGrad(() => sum(layer.apply(x, { training: true })), [layer.kernel!]);
  assertClose(grads[0]!.data, [4, 4, 4, 4, 4, 4, 4, 4], { rtol: 0 });
});

test('Conv2DTranspose config: output_padding written only when set; errors', () => {
  const a = new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2 }).getConfig();
  assert.equal('output_padding' in a, false);
  const b = new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: [1, 0] }).getConfig();
  assert.deepEqual(b['output_padding'], [1, 0]);
  assert.deepEqual(layerFromConfig({ class_name: 'Convolution2DTranspose', config: JSON.parse(JSON.stringify(b)) as Record<string, unknown> }).getConfig(), b);
  assert.equal((Conv2DTranspose.fromConfig({ ...a, output_padding: null }) as Conv2DTranspose).outputPadding, undefined);
  assert.throws(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 }), /Conv2DTranspose: outputPadding \[2,2\] must be smaller than strides \[2,2\]/);
  assert.throws(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), /strides \[2,2\] > 1 cannot be combined with dilationRate \[2,2\] > 1/);
  const t = new Conv2DTranspose({ filters: 2, kernelSize: 3 });
  t.apply(fill([1, 3, 3, 4], 1), { training: false }, new Rng(0));
  assert.throws(() => t.apply(fill([1, 3, 3, 2], 1), { training: false }), /kernel \[3,3,2,4\] expects input \[batch, height, width, 4\], got input \[1,3,3,2\]/);
});
