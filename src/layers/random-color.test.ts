/**
 * RandomContrast and RandomBrightness (docs/semantics.md "Image
 * augmentation"): the layer contract, Keras 3's formulas checked on the
 * drawn outputs (one amount per image, per-channel means, the value_range
 * clip, Keras's factor rule that makes a single contrast factor f mean
 * U[1, 1 + f]), identity at inference, configs, errors, and a float64
 * gradient check through both layers in training.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';
import { gradCheck } from '../autograd/gradcheck.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { Rng } from '../random.js';
import { randomNormal, randomUniform, tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { layers } from './index.js';

const T = { training: true } as const;
const SHAPE = [5, 4, 6, 3];

/** Per-image, per-channel mean over height and width. */
function channelMeans(x: Tensor): number[][] {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  return Array.from({ length: b }, (_, i) =>
    Array.from({ length: c }, (_, k) => {
      let s = 0;
      for (let p = 0; p < h * w; p++) s += x.data[(i * h * w + p) * c + k]!;
      return s / (h * w);
    }),
  );
}

/** The contrast factor of each image, checked to be one factor for every pixel and channel (no clipping). */
function contrastFactors(x: Tensor, y: Tensor): number[] {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const m = channelMeans(x);
  const per = h * w * c;
  return Array.from({ length: b }, (_, i) => {
    let best = 0;
    for (let p = 1; p < per; p++) if (Math.abs(x.data[i * per + p]! - m[i]![p % c]!) > Math.abs(x.data[i * per + best]! - m[i]![best % c]!)) best = p;
    const f = (y.data[i * per + best]! - m[i]![best % c]!) / (x.data[i * per + best]! - m[i]![best % c]!);
    for (let p = 0; p < per; p++) {
      const mk = m[i]![p % c]!;
      assertClose([y.data[i * per + p]!], [(x.data[i * per + p]! - mk) * f + mk], { rtol: 1e-5, atol: 1e-5, label: `image ${i} element ${p}` });
    }
    return f;
  });
}

test('layer contract: RandomContrast and RandomBrightness (identity at inference, no clipping there)', () => {
  const big = tensor(Array.from(randomNormal(SHAPE, { seed: 3 }).data, (v) => v * 300), SHAPE);
  layerTest(layers.randomContrast, { factor: 0.5, seed: 1 }, { inputShape: SHAPE, outputShape: SHAPE, trainableWeights: 0, input: big, identityAtInference: true });
  layerTest(layers.randomBrightness, { factor: [-0.2, 0.4], valueRange: [0, 1] }, { inputShape: SHAPE, outputShape: SHAPE, trainableWeights: 0, input: big, identityAtInference: true });
});

test('RandomContrast: (x − mean)·f + mean per image and channel; a single factor f gives f ∈ [1, 1 + f] (Keras 3); a pair [a, b] gives [1 − a, 1 + b]', () => {
  const x = randomNormal([40, 3, 4, 2], { seed: 7 });
  const single = contrastFactors(x, layers.randomContrast({ factor: 0.5, valueRange: [-1e4, 1e4], seed: 2 }).apply(x, T));
  assert.ok(single.every((f) => f >= 1 - 1e-5 && f <= 1.5 + 1e-5), `factors ${single.map((f) => f.toFixed(3)).join(' ')}`);
  assert.ok(new Set(single.map((f) => f.toFixed(4))).size > 30, 'one factor per image');
  const pair = contrastFactors(x, layers.randomContrast({ factor: [0.5, 0.25], valueRange: [-1e4, 1e4], seed: 2 }).apply(x, T));
  assert.ok(pair.every((f) => f >= 0.75 - 1e-5 && f <= 1.5 + 1e-5), `pair [0.5, 0.25] sorted → [0.25, 0.5] → U[0.75, 1.5]: ${pair.map((f) => f.toFixed(3)).join(' ')}`);
  assert.ok(pair.some((f) => f < 1), 'the pair form can lower the contrast');
});

test('RandomContrast clips to valueRange whatever the input range (default [0, 255])', () => {
  const x = tensor(Array.from(randomUniform([4, 3, 3, 2], { seed: 1, minval: -50, maxval: 400 }).data), [4, 3, 3, 2]);
  const y = layers.randomContrast({ factor: [0.5, 0.5], seed: 4 }).apply(x, T);
  assert.ok(Array.from(y.data).every((v) => v >= 0 && v <= 255));
  assert.ok(Array.from(y.data).some((v) => v === 0) && Array.from(y.data).some((v) => v === 255));
  const unit = layers.randomContrast({ factor: 0.3, valueRange: [1, 0], seed: 4 });
  assert.deepEqual(unit.valueRange, [0, 1], 'value_range is sorted');
  const z = unit.apply(randomNormal([2, 3, 3, 1], { seed: 2 }), T);
  assert.ok(Array.from(z.data).every((v) => v >= 0 && v <= 1));
});

test('RandomBrightness: x + δ per image, δ ∈ [lower, upper]·(high − low), clipped to valueRange', () => {
  const x = randomUniform([30, 3, 4, 3], { seed: 5, minval: 100, maxval: 150 });
  const y = layers.randomBrightness({ factor: 0.2, seed: 3 }).apply(x, T);
  const per = 36;
  const deltas = Array.from({ length: 30 }, (_, i) => {
    const d = y.data[i * per]! - x.data[i * per]!;
    for (let p = 0; p < per; p++) assertClose([y.data[i * per + p]! - x.data[i * per + p]!], [d], { rtol: 1e-4, atol: 1e-4, label: `image ${i}` });
    return d / 255;
  });
  assert.ok(deltas.every((d) => d >= -0.2 - 1e-6 && d <= 0.2 + 1e-6), deltas.map((d) => d.toFixed(3)).join(' '));
  assert.ok(deltas.some((d) => d < 0) && deltas.some((d) => d > 0));
  const full = layers.randomBrightness({ factor: [1, 1], valueRange: [0, 1], seed: 3 }).apply(randomUniform([2, 2, 2, 1], { seed: 1 }), T);
  assert.deepEqual(Array.from(full.data), new Array(8).fill(1), 'factor 1 whitens (clip at the top of the range)');
  const black = layers.randomBrightness({ factor: [-1, -1], valueRange: [0, 1], seed: 3 }).apply(randomUniform([2, 2, 2, 1], { seed: 1 }), T);
  assert.deepEqual(Array.from(black.data), new Array(8).fill(0));
});

test('configs and errors (Keras keys and messages)', () => {
  const own = (c: Record<string, unknown>): Record<string, unknown> => {
    const { name: _n, trainable: _t, dtype: _d, ...rest } = c;
    return rest;
  };
  assert.deepEqual(own(layers.randomContrast(0.5).getConfig()), { factor: [0, 0.5], value_range: [0, 255], seed: null });
  assert.deepEqual(own(layers.randomBrightness({ factor: 0.3, valueRange: [0, 1], seed: 2 }).getConfig()), { factor: [-0.3, 0.3], value_range: [0, 1], seed: 2 });
  assert.throws(() => layers.randomContrast(1.5), /RandomContrast: The `factor` argument should be a number \(or a list of two numbers\) in the range \[0, 1\]\. Received: factor=1\.5/);
  assert.throws(() => layers.randomContrast(-0.1), /Received: factor=-0\.1/);
  assert.throws(() => layers.randomBrightness({ factor: 0.1, valueRange: [0] as never }), /RandomBrightness: The `value_range` argument should be a list of two numbers\. Received: value_range=\[0\]/);
  assert.throws(() => layers.randomBrightness({ factor: [2, 3] }), /RandomBrightness: The `factor` argument .* \[-1, 1\]\. Received: factor=\[2,3\]/);
});

test('float64 gradient through RandomContrast and RandomBrightness in training (clip passes inside its bounds)', () => {
  const x0 = randomNormal([2, 3, 3, 2], { seed: 8 });
  const proj = randomNormal([2, 3, 3, 2], { seed: 9 });
  for (const layer of [layers.randomContrast({ factor: 0.4, valueRange: [-100, 100] }), layers.randomBrightness({ factor: 0.3, valueRange: [-100, 100] })]) {
    const res = gradCheck((x) => sum(mul(layer.apply(x!, { training: true, rng: new Rng(5) }), proj)), [[x0.shape, x0.data]], { rtol: 1e-6, atol: 1e-7 });
    assert.ok(res.ok, `${layer.className}: worst ${res.worst}, maxdiff ${res.maxAbsDiff}`);
  }
});
