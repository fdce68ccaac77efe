import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Conv1D, conv1d, convolution1d } from './conv1d.js';
import type { Constraint, SerializedObject } from './layer.js';
import { registerCustomObject } from '../custom-objects.js';
import { Rng } from '../random.js';
import { fill, randomNormal, tensor } from '../tensor/create.js';
import { maximum } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

class TestNonNeg implements Constraint {
  apply(w: Tensor): Tensor {
    return maximum(w, 0);
  }
  getConfig(): SerializedObject {
    return { class_name: 'TestNonNegConv', config: {} };
  }
}
registerCustomObject('TestNonNegConv', { fromConfig: () => new TestNonNeg() });

/** Direct loop conv1d (channels last, kernel [k, in, out]) with explicit left padding. */
function naiveConv(x: number[][][], w: number[][][], b: number[], stride: number, dil: number, padLeft: number, outLen: number): number[] {
  const out: number[] = [];
  const [k, inC, outC] = [w.length, w[0]!.length, w[0]![0]!.length];
  for (const seq of x) {
    for (let t = 0; t < outLen; t++) {
      for (let o = 0; o < outC; o++) {
        let s = b[o]!;
        for (let j = 0; j < k; j++) {
          const pos = t * stride + j * dil - padLeft;
          if (pos < 0 || pos >= seq.length) continue;
          for (let c = 0; c < inC; c++) s += seq[pos]![c]! * w[j]![c]![o]!;
        }
        out.push(s);
      }
    }
  }
  return out;
}

test('Conv1D layer contract for every padding, strides and dilations', () => {
  const cases: [object, number[]][] = [
    [{ filters: 4, kernelSize: 3 }, [2, 8, 4]],
    [{ filters: 4, kernelSize: 3, padding: 'same' }, [2, 10, 4]],
    [{ filters: 4, kernelSize: 3, padding: 'causal' }, [2, 10, 4]],
    [{ filters: 2, kernelSize: [3], strides: 2 }, [2, 4, 2]],
    [{ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [2, 5, 2]],
    [{ filters: 2, kernelSize: 3, dilationRate: 2 }, [2, 6, 2]],
    [{ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'causal', activation: 'relu', useBias: false }, [2, 10, 2]],
  ];
  for (const [args, out] of cases) {
    const useBias = (args as { useBias?: boolean }).useBias ?? true;
    layerTest(Conv1D, args as never, { inputShape: [2, 10, 3], outputShape: out, trainableWeights: useBias ? 2 : 1 });
  }
  layerTest(conv1d, { filters: 1, kernelSize: 1 }, { inputShape: [1, 1, 1], outputShape: [1, 1, 1], trainableWeights: 2 });
});

test('Conv1D causal padding equals a hand computation (left pad d·(k−1))', () => {
  const x = [
    [[1, 0], [2, 1], [0, -1], [3, 2], [-1, 1]],
  ];
  // kernel [k=2, in=2, out=1]
  const kernel = [
    [[0.5], [-1]],
    [[2], [1]],
  ];
  for (const dil of [1, 2]) {
    const layer = new Conv1D({ filters: 1, kernelSize: 2, padding: 'causal', dilationRate: dil });
    const xt = tensor(x);
    layer.apply(xt, { training: false }, new Rng(0));
    layer.setWeights([tensor(kernel), tensor([0.25])]);
    const y = layer.apply(xt, { training: false });
    assert.deepEqual([...y.shape], [1, 5, 1]);
    const expected = naiveConv(x, kernel, [0.25], 1, dil, dil * (2 - 1), 5);
    assertClose(y.data, expected, { rtol: 0, atol: 1e-6 });
    // causal: output t depends only on inputs ≤ t: y[0] = b + x[0]·W[1]
    assertClose([y.data[0]!], [0.25 + 1 * 2 + 0 * 1], { atol: 1e-6 });
  }
});

test('Conv1D valid/same/strides/dilation equal the direct loop', () => {
  const x = randomNormal([2, 9, 3], { seed: 4 });
  const xs = x.toArray() as number[][][];
  for (const [padding, stride, dil] of [['valid', 1, 1], ['same', 1, 1], ['valid', 2, 1], ['same', 2, 1], ['valid', 1, 2], ['same', 1, 2], ['same', 3, 1]] as const) {
    const layer = new Conv1D({ filters: 2, kernelSize: 3, padding, strides: stride, dilationRate: dil });
    const y = layer.apply(x, { training: false }, new Rng(1));
    const kernel = layer.kernel!.toArray() as number[][][];
    const outLen = y.shape[1]!;
    const total = Math.max((outLen - 1) * stride + dil * 2 + 1 - 9, 0);
    const padLeft = padding === 'same' ? Math.floor(total / 2) : 0;
    assertClose(y.data, naiveConv(xs, kernel, [0, 0], stride, dil, padLeft, outLen), { rtol: 1e-5, atol: 1e-6, label: `${padding} s${stride} d${dil}` });
  }
});

test('Conv1D gradients match float64 finite differences', () => {
  for (const padding of ['valid', 'same', 'causal'] as const) {
    for (const [s, d] of [[1, 1], [2, 1], [1, 2]]) {
      const layer = new Conv1D({ filters: 2, kernelSize: 3, padding, strides: s, dilationRate: d, activation: 'tanh' });
      const x = randomNormal([2, 7, 2], { seed: 8 });
      layer.apply(x, { training: false }, new Rng(2));
      layer.setWeights([layer.kernel!.read(), tensor([0.1, -0.1])]);
      const r = gradCheckLayer(layer, x, ['kernel', 'bias']);
      assert.ok(r.ok, `${padding} s${s} d${d}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
    }
  }
});

test('Conv1D config: TF.js keys, arrays for sizes, round trip', () => {
  const c = new Conv1D({ filters: 3, kernelSize: 5, strides: 1, padding: 'same', dilationRate: 2, activation: 'relu', name: 'c1', kernelConstraint: new TestNonNeg() });
  const cfg = c.getConfig();
  assert.deepEqual(cfg, {
    name: 'c1',
    trainable: true,
    dtype: 'float32',
    filters: 3,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    kernel_regularizer: null,
    kernel_constraint: { class_name: 'TestNonNegConv', config: {} },
    kernel_size: [5],
    strides: [1],
    padding: 'same',
    data_format: 'channels_last',
    dilation_rate: [2],
    activation: 'relu',
    use_bias: true,
    bias_initializer: { class_name: 'Zeros', config: {} },
    bias_regularizer: null,
    activity_regularizer: null,
    bias_constraint: null,
  });
  const back = Conv1D.fromConfig(JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>);
  assert.deepEqual(back.getConfig(), cfg);
  assert.throws(() => Conv1D.fromConfig({ ...cfg, data_format: 'channels_first' }), /unsupported config key 'data_format' = "channels_first"/);
});

test('Conv1D Keras 1: convolution1d(64, 3, border_mode, W_constraint)', () => {
  const c = convolution1d(64, 3, { border_mode: 'same', W_constraint: new TestNonNeg(), input_dim: 8 });
  assert.equal(c.filters, 64);
  assert.equal(c.kernelSize, 3);
  assert.equal(c.padding, 'same');
  assert.ok(c.w.kernelConstraint instanceof TestNonNeg);
  const y = c.apply(fill([2, 5, 8], 1), { training: false }, new Rng(0));
  assert.deepEqual([...y.shape], [2, 5, 64]);
  assert.ok(c.kernel!.constraint instanceof TestNonNeg);
});

test('Conv1D validation and shape errors', () => {
  assert.throws(() => new Conv1D({ filters: 0, kernelSize: 3 }), /Conv1D: filters must be a positive integer, got 0/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: [3, 3] as never }), /kernelSize must be an integer or a 1-element array, got \[3,3\]/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, padding: 'full' as never }), /padding must be one of 'valid', 'same', 'causal', got "full"/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), /strides 2 > 1 cannot be combined with dilationRate 2 > 1/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, kernel_size: 3 } as never), /Conv1D: unknown option 'kernel_size'/);
  const c = new Conv1D({ filters: 2, kernelSize: 3 });
  c.apply(fill([1, 5, 4], 1), { training: false }, new Rng(0));
  assert.throws(() => c.apply(fill([1, 5, 3], 1), { training: false }), /kernel \[3,4,2\] expects input \[batch, steps, 4\], got input \[1,5,3\]/);
  assert.throws(() => c.apply(fill([1, 2, 4], 1), { training: false }), /input length 2 is shorter than the \(dilated\) window 3/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3 }).apply(fill([5, 4], 1), { training: false }, new Rng(0)), /needs input \[batch, steps, channels\]/);
});
