import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Conv2D, conv2d } from './conv2d.js';
import { intPair } from './conv2d-options.js';
import { layerFromConfig } from './registry.js';
import { MaxNorm } from '../constraints.js';
import { l1, l2 } from '../regularizers.js';
import { Rng } from '../random.js';
import { fill, randomNormal, tensor } from '../tensor/create.js';
import { abs, square } from '../ops/unary.js';
import { sum } from '../ops/reduce.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

/** Direct loop NHWC conv2d with explicit top/left padding (groups 1). */
function naive(x: number[][][][], w: number[][][][], s: [number, number], d: [number, number], pad: [number, number], out: [number, number]): number[] {
  const res: number[] = [];
  const [kh, kw, inC, outC] = [w.length, w[0]!.length, w[0]![0]!.length, w[0]![0]![0]!.length];
  for (const img of x) {
    for (let h = 0; h < out[0]; h++) {
      for (let v = 0; v < out[1]; v++) {
        for (let o = 0; o < outC; o++) {
          let acc = 0;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const r = h * s[0] + i * d[0] - pad[0];
              const c = v * s[1] + j * d[1] - pad[1];
              if (r < 0 || r >= img.length || c < 0 || c >= img[0]!.length) continue;
              for (let ch = 0; ch < inC; ch++) acc += img[r]![c]![ch]! * w[i]![j]![ch]![o]!;
            }
          }
          res.push(acc);
        }
      }
    }
  }
  return res;
}

test('Conv2D layer contract for paddings, strides, dilations, kernels and groups', () => {
  const cases: [object, number[]][] = [
    [{ filters: 4, kernelSize: 3 }, [2, 7, 6, 4]],
    [{ filters: 4, kernelSize: 3, padding: 'same' }, [2, 9, 8, 4]],
    [{ filters: 2, kernelSize: [2, 3], strides: [2, 1] }, [2, 4, 6, 2]],
    [{ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [2, 5, 4, 2]],
    [{ filters: 2, kernelSize: 3, dilationRate: [2, 1] }, [2, 5, 6, 2]],
    [{ filters: 6, kernelSize: 1, groups: 2, useBias: false, activation: 'relu' }, [2, 9, 8, 6]],
    [{ filters: 3, kernelSize: 4, strides: 5, padding: 'same' }, [2, 2, 2, 3]],
  ];
  for (const [args, out] of cases) {
    const useBias = (args as { useBias?: boolean }).useBias ?? true;
    layerTest(Conv2D, args as never, { inputShape: [2, 9, 8, 4], outputShape: out, trainableWeights: useBias ? 2 : 1 });
  }
  layerTest(conv2d, { filters: 1, kernelSize: 1 }, { inputShape: [1, 1, 1, 1], outputShape: [1, 1, 1, 1], trainableWeights: 2 });
});

test('Conv2D equals the direct loop (valid/same, strides, dilation, odd sizes)', () => {
  const x = randomNormal([2, 7, 6, 3], { seed: 4 });
  const xs = x.toArray() as number[][][][];
  for (const [padding, s, d, k] of [['valid', [1, 1], [1, 1], [3, 3]], ['same', [1, 1], [1, 1], [3, 3]], ['same', [2, 3], [1, 1], [2, 3]], ['valid', [1, 1], [2, 1], [3, 2]], ['same', [1, 1], [1, 2], [2, 2]]] as const) {
    const layer = new Conv2D({ filters: 2, kernelSize: k as [number, number], padding, strides: s as [number, number], dilationRate: d as [number, number], useBias: false });
    const y = layer.apply(x, { training: false }, new Rng(1));
    const [oh, ow] = [y.shape[1]!, y.shape[2]!];
    const pad = (n: number, o: number, kk: number, ss: number, dd: number): number => (padding === 'same' ? Math.floor(Math.max((o - 1) * ss + dd * (kk - 1) + 1 - n, 0) / 2) : 0);
    const p: [number, number] = [pad(7, oh, k[0], s[0], d[0]), pad(6, ow, k[1], s[1], d[1])];
    if (padding === 'same') assert.deepEqual([oh, ow], [Math.ceil(7 / s[0]), Math.ceil(6 / s[1])]);
    assertClose(y.data, naive(xs, layer.kernel!.toArray() as number[][][][], [s[0], s[1]], [d[0], d[1]], p, [oh, ow]), { rtol: 1e-5, atol: 1e-6, label: `${padding} s${s} d${d} k${k}` });
  }
});

test('Conv2D gradients match float64 finite differences (groups, strides, same padding)', () => {
  for (const args of [{ padding: 'same', strides: 2 }, { groups: 2 }, { dilationRate: 2, padding: 'same' }] as const) {
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2], activation: 'tanh', ...args });
    const x = randomNormal([2, 5, 4, 2], { seed: 8 });
    layer.apply(x, { training: false }, new Rng(2));
    layer.setWeights([layer.kernel!.read(), tensor([0.1, -0.1, 0.2, 0])]);
    const r = gradCheckLayer(layer, x, ['kernel', 'bias']);
    assert.ok(r.ok, `${JSON.stringify(args)}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('Conv2D config: TF.js keys, [h, w] pairs, groups only when > 1, round trip, Convolution2D alias', () => {
  const c = new Conv2D({ filters: 3, kernelSize: [5, 3], strides: 1, padding: 'same', dilationRate: 2, activation: 'relu', name: 'c2' });
  const cfg = c.getConfig();
  assert.deepEqual(cfg, {
    name: 'c2',
    trainable: true,
    dtype: 'float32',
    filters: 3,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    kernel_regularizer: null,
    kernel_constraint: null,
    kernel_size: [5, 3],
    strides: [1, 1],
    padding: 'same',
    data_format: 'channels_last',
    dilation_rate: [2, 2],
    activation: 'relu',
    use_bias: true,
    bias_initializer: { class_name: 'Zeros', config: {} },
    bias_regularizer: null,
    activity_regularizer: null,
    bias_constraint: null,
  });
  assert.deepEqual(Conv2D.fromConfig(JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>).getConfig(), cfg);
  const g = new Conv2D({ filters: 4, kernelSize: 1, groups: 2 }).getConfig();
  assert.equal(g['groups'], 2);
  assert.equal(layerFromConfig({ class_name: 'Convolution2D', config: g }).className, 'Conv2D');
  assert.equal((layerFromConfig({ class_name: 'Conv2D', config: g }) as Conv2D).groups, 2);
  assert.equal((Conv2D.fromConfig({ ...cfg, groups: 1 }) as Conv2D).groups, 1);
  assert.throws(() => Conv2D.fromConfig({ ...cfg, data_format: 'channels_first' }), /unsupported config key 'data_format' = "channels_first"/);
});

test('Conv2D regularizers (kernel, bias, activity) and a per-filter maxNorm constraint on the 4-D kernel', () => {
  const c = new Conv2D({ filters: 3, kernelSize: 2, kernelRegularizer: l2(0.01), biasRegularizer: l1(0.1), activityRegularizer: l1(0.001), biasInitializer: 'ones', kernelConstraint: new MaxNorm(1, [0, 1, 2]) });
  const x = randomNormal([2, 4, 4, 2], { seed: 3 });
  const y = c.apply(x, { training: false }, new Rng(5));
  const [kPen, bPen, act] = c.losses.map((t) => t.item());
  assertClose([kPen!], [0.01 * sum(square(c.kernel!)).item()], { rtol: 1e-6 });
  assertClose([bPen!], [0.1 * 3], { rtol: 1e-6 });
  assertClose([act!], [(0.001 * sum(abs(y)).item()) / 2], { rtol: 1e-5 });
  // The constraint the optimizer applies: one norm per filter (axes kh, kw, in), each ≤ 1.
  c.kernel!.assign(fill([2, 2, 2, 3], 1));
  const projected = c.kernel!.constraint!.apply(c.kernel!);
  const k = projected.toArray() as number[][][][];
  for (let o = 0; o < 3; o++) {
    let n2 = 0;
    for (const a of k) for (const b of a) for (const ch of b) n2 += ch[o]! ** 2;
    assertClose([Math.sqrt(n2)], [1 / (1 + 1e-7 / Math.sqrt(8))], { rtol: 1e-6, label: `filter ${o} norm` });
  }
});

test('Conv2D validation and shape errors name the layer, rule and value', () => {
  assert.throws(() => new Conv2D({ filters: 0, kernelSize: 3 }), /Conv2D: filters must be a positive integer, got 0/);
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: [3, 3, 3] as never }), /kernelSize must be a positive integer or a pair of them, got \[3,3,3\]/);
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'causal' as never }), /padding must be one of 'valid', 'same', got "causal"/);
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, strides: [1, 2], dilationRate: 2 }), /Conv2D: strides \[1,2\] > 1 cannot be combined with dilationRate \[2,2\] > 1/);
  assert.throws(() => new Conv2D({ filters: 3, kernelSize: 3, groups: 2 }), /filters 3 must be divisible by groups 2/);
  assert.throws(() => new Conv2D({ filters: 4, kernelSize: 3, groups: 2 }).apply(fill([1, 5, 5, 3], 1), { training: false }, new Rng(0)), /input channels 3 must be divisible by groups 2/);
  const c = new Conv2D({ filters: 2, kernelSize: 3 });
  c.apply(fill([1, 5, 5, 4], 1), { training: false }, new Rng(0));
  assert.throws(() => c.apply(fill([1, 5, 5, 3], 1), { training: false }), /kernel \[3,3,4,2\] expects input \[batch, height, width, 4\], got input \[1,5,5,3\]/);
  assert.throws(() => c.apply(fill([1, 2, 5, 4], 1), { training: false }), /input height 2 is smaller than the \(dilated\) kernel height 3 with padding 'valid'/);
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3 }).apply(fill([5, 5, 4], 1), { training: false }, new Rng(0)), /needs input \[batch, height, width, channels\]/);
});

test('intPair option kind: n, [n], [h, w]; rejects the rest', () => {
  const p = intPair({ min: 0 });
  const where = { layer: 'L', arg: 'a' };
  assert.deepEqual(p.parse(2, where, {}), [2, 2]);
  assert.deepEqual(p.parse([0, 3], where, {}), [0, 3]);
  assert.deepEqual(p.parse([4], where, {}), [4, 4]);
  assert.throws(() => p.parse([-1, 2], where, {}), /L: a must be an integer >= 0 or a pair of them, got \[-1,2\]/);
  assert.throws(() => intPair().parse(1.5, where, {}), /a positive integer or a pair of them, got 1.5/);
});
