/**
 * The geometric augmentation layers (RandomFlip, RandomTranslation,
 * RandomRotation, RandomZoom, RandomCrop; docs/semantics.md "Image
 * augmentation"): the layer contract, then Keras's transforms checked against
 * pixel maps computed independently here (a flip reverses, 90°/180° turns
 * move pixels exactly, whole-pixel shifts and a ×2 zoom follow each fill
 * mode, a centre crop resizes with half-pixel bilinear), single images,
 * seeding, and Keras's validation errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';
import { Rng } from '../random.js';
import { randomNormal, tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import type { FillMode } from '../ops/image.js';
import { layers } from './index.js';
import type { Layer } from './layer.js';

const T = { training: true } as const;
/** x[b, y, x, c] of a [b, h, w, c] tensor. */
const at = (t: Tensor, b: number, y: number, x: number, c = 0): number => {
  const [, h, w, ch] = t.shape as [number, number, number, number];
  return t.data[((b * h + y) * w + x) * ch + c]!;
};
/** Distinct values: pixel index·10 + channel. */
const ramp = (shape: number[]): Tensor => tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape);

/** Keras's fill rule for one index (the test's own copy). */
function fillIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'nearest') return Math.min(Math.max(i, 0), n - 1);
  if (mode === 'wrap') return ((i % n) + n) % n;
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

test('layer contract: RandomFlip, RandomTranslation, RandomRotation, RandomZoom (identity at inference), RandomCrop', () => {
  const shape = [4, 6, 5, 3];
  const changed = (x: Tensor, y: Tensor): void => assert.ok(Array.from(y.data).some((v, i) => v !== x.data[i]), 'training changed the images');
  layerTest(layers.randomFlip, { mode: 'horizontal', seed: 2 }, { inputShape: shape, outputShape: shape, trainableWeights: 0, identityAtInference: true, checkTraining: changed });
  layerTest(layers.randomFlip, {}, { inputShape: shape, outputShape: shape, trainableWeights: 0, identityAtInference: true, checkTraining: changed });
  layerTest(layers.randomTranslation, { heightFactor: 0.2, widthFactor: [-0.3, 0.1], fillMode: 'constant', fillValue: 0.5 }, { inputShape: shape, outputShape: shape, trainableWeights: 0, identityAtInference: true, checkTraining: changed });
  layerTest(layers.randomRotation, { factor: 0.2, fillMode: 'wrap', interpolation: 'nearest', seed: 4 }, { inputShape: shape, outputShape: shape, trainableWeights: 0, identityAtInference: true, checkTraining: changed });
  layerTest(layers.randomZoom, { heightFactor: [-0.3, 0.3], widthFactor: 0.2, fillMode: 'nearest' }, { inputShape: shape, outputShape: shape, trainableWeights: 0, identityAtInference: true, checkTraining: changed });
  layerTest(layers.randomZoom, { heightFactor: 0.3 }, { inputShape: shape, outputShape: shape, trainableWeights: 0, identityAtInference: true });
  layerTest(layers.randomCrop, { height: 4, width: 3, seed: 1 }, { inputShape: shape, outputShape: [4, 4, 3, 3], trainableWeights: 0 });
});

test('configs: Keras 3 keys and values', () => {
  const strip = (l: Layer): Record<string, unknown> => {
    const { name: _n, trainable: _t, dtype: _d, ...own } = l.getConfig();
    return own;
  };
  assert.deepEqual(strip(layers.randomFlip('vertical')), { mode: 'vertical', seed: null, data_format: 'channels_last' });
  assert.deepEqual(strip(layers.randomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.3], seed: 5 })), {
    height_factor: 0.1, width_factor: [-0.2, 0.3], fill_mode: 'reflect', interpolation: 'bilinear', seed: 5, fill_value: 0, data_format: 'channels_last',
  });
  // RandomRotation writes the normalized factor pair, as Keras writes self.factor.
  assert.deepEqual(strip(layers.randomRotation(0.2)), { factor: [-0.2, 0.2], fill_mode: 'reflect', interpolation: 'bilinear', seed: null, fill_value: 0, data_format: 'channels_last' });
  assert.deepEqual(strip(layers.randomZoom({ heightFactor: [0.1, -0.2], fillMode: 'constant' })), {
    height_factor: [0.1, -0.2], width_factor: null, fill_mode: 'constant', interpolation: 'bilinear', seed: null, fill_value: 0, data_format: 'channels_last',
  });
  assert.deepEqual(strip(layers.randomCrop({ height: 3, width: 2 })), { height: 3, width: 2, seed: null, data_format: 'channels_last' });
});

test('RandomFlip: each image is unchanged or reversed; vertical; horizontal_and_vertical turns by 180° (one draw for both axes)', () => {
  const x = ramp([16, 3, 4, 2]);
  for (const mode of ['horizontal', 'vertical', 'horizontal_and_vertical'] as const) {
    const y = layers.randomFlip({ mode, seed: 11 }).apply(x, T);
    let flipped = 0;
    for (let b = 0; b < 16; b++) {
      const same = Array.from({ length: 24 }, (_, k) => y.data[b * 24 + k] === x.data[b * 24 + k]).every(Boolean);
      if (same) continue;
      flipped++;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 4; j++)
          for (let c = 0; c < 2; c++) {
            const si = mode === 'horizontal' ? i : 2 - i;
            const sj = mode === 'vertical' ? j : 3 - j;
            assert.equal(at(y, b, i, j, c), at(x, b, si, sj, c), `${mode}: image ${b} pixel (${i}, ${j})`);
          }
    }
    assert.ok(flipped > 2 && flipped < 14, `${mode}: ${flipped} of 16 flipped`);
  }
});

test('RandomRotation: factor 0.25 turns square images exactly by 90° counter-clockwise, 0.5 by 180° (nearest); bilinear within 1e-5', () => {
  const n = 5;
  const x = ramp([2, n, n, 3]);
  const q = layers.randomRotation({ factor: [0.25, 0.25], interpolation: 'nearest', seed: 1 }).apply(x, T);
  const h = layers.randomRotation({ factor: [0.5, 0.5], interpolation: 'nearest', seed: 1 }).apply(x, T);
  const qb = layers.randomRotation({ factor: [0.25, 0.25], seed: 1 }).apply(x, T);
  for (let b = 0; b < 2; b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let c = 0; c < 3; c++) {
          assert.equal(at(q, b, i, j, c), at(x, b, j, n - 1 - i, c), `90°: (${i}, ${j})`);
          assert.equal(at(h, b, i, j, c), at(x, b, n - 1 - i, n - 1 - j, c), `180°: (${i}, ${j})`);
          assertClose([at(qb, b, i, j, c)], [at(x, b, j, n - 1 - i, c)], { rtol: 1e-5, atol: 1e-5 });
        }
});

test('RandomTranslation: a whole-pixel shift (2 down, 1 left) follows each fill mode', () => {
  const [h, w] = [8, 5];
  const x = ramp([1, h, w, 2]);
  for (const fillMode of ['constant', 'nearest', 'reflect', 'wrap'] as const) {
    for (const interpolation of ['nearest', 'bilinear'] as const) {
      const layer = layers.randomTranslation({ heightFactor: [0.25, 0.25], widthFactor: [-0.2, -0.2], fillMode, interpolation, fillValue: -3, seed: 0 });
      const y = layer.apply(x, T);
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          const si = fillIndex(i - 2, h, fillMode);
          const sj = fillIndex(j + 1, w, fillMode);
          for (let c = 0; c < 2; c++) assert.equal(at(y, 0, i, j, c), si < 0 || sj < 0 ? -3 : at(x, 0, si, sj, c), `${fillMode}/${interpolation} (${i}, ${j})`);
        }
    }
  }
});

test('RandomZoom: factor 1 zooms out ×2 about the centre; widthFactor null keeps the aspect ratio; separate width zoom', () => {
  const n = 5;
  const x = ramp([1, n, n, 1]);
  for (const fillMode of ['constant', 'reflect', 'wrap', 'nearest'] as const) {
    const y = layers.randomZoom({ heightFactor: [1, 1], fillMode, interpolation: 'nearest', seed: 3 }).apply(x, T);
    // input = 2·output − 2 on both axes (zoom 2 about (n − 1)/2 = 2).
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const si = fillIndex(2 * i - 2, n, fillMode);
        const sj = fillIndex(2 * j - 2, n, fillMode);
        assert.equal(at(y, 0, i, j), si < 0 || sj < 0 ? 0 : at(x, 0, si, sj), `${fillMode} (${i}, ${j})`);
      }
  }
  const wide = layers.randomZoom({ heightFactor: [0, 0], widthFactor: [1, 1], fillMode: 'constant', interpolation: 'nearest', seed: 3 }).apply(x, T);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(at(wide, 0, i, j), 2 * j - 2 >= 0 && 2 * j - 2 < n ? at(x, 0, i, 2 * j - 2) : 0);
});

/** tf.image.resize bilinear with half-pixel centres (the test's own copy). */
function resizeBilinear(x: Tensor, b: number, top: number, left: number, ch: number, cw: number, oh: number, ow: number, c: number): (i: number, j: number) => number {
  const src = (o: number, inSize: number, outSize: number): [number, number, number] => {
    const v = (o + 0.5) * (inSize / outSize) - 0.5;
    const f = Math.floor(v);
    return [Math.max(f, 0), Math.min(Math.ceil(v), inSize - 1), v - f];
  };
  return (y0: number, x0: number): number => {
    const [ya, yb, ly] = src(y0, ch, oh);
    const [xa, xb, lx] = src(x0, cw, ow);
    const p = (yy: number, xx: number): number => at(x, b, top + yy, left + xx, c);
    const t = p(ya, xa) + (p(ya, xb) - p(ya, xa)) * lx;
    const d = p(yb, xa) + (p(yb, xb) - p(yb, xa)) * lx;
    return t + (d - t) * ly;
  };
}

test('RandomCrop: one random window per batch in training; at inference the centred aspect-ratio window, resized (bilinear, half-pixel)', () => {
  const x = randomNormal([3, 7, 9, 2], { seed: 4 });
  const layer = layers.randomCrop({ height: 4, width: 5, seed: 9 });
  const tops = new Set<string>();
  for (let call = 0; call < 12; call++) {
    const y = layer.apply(x, T);
    assert.deepEqual(y.shape, [3, 4, 5, 2]);
    let found: string | undefined;
    for (let top = 0; top <= 3 && !found; top++)
      for (let left = 0; left <= 4 && !found; left++) {
        const ok = [0, 1, 2].every((b) => [0, 1, 2, 3].every((i) => [0, 1, 2, 3, 4].every((j) => at(y, b, i, j, 1) === at(x, b, top + i, left + j, 1))));
        if (ok) found = `${top},${left}`;
      }
    assert.ok(found, `call ${call}: output is one window of the input for the whole batch`);
    tops.add(found);
  }
  assert.ok(tops.size > 3, `windows vary: ${[...tops].join(' ')}`);
  // Inference 7×9 → 4×5: window min(7, ⌊9·4/5⌋ = 7) × min(9, ⌊7·5/4⌋ = 8) at (0, 0), resized 7×8 → 4×5.
  for (const [ctx, input] of [[{ training: false }, x], [T, randomNormal([2, 3, 9, 2], { seed: 5 })]] as const) {
    const y = layer.apply(input, ctx);
    const [b, ih, iw] = input.shape as [number, number, number];
    const ch = Math.max(Math.min(ih, Math.floor((iw * 4) / 5)), 1);
    const cw = Math.max(Math.min(iw, Math.floor((ih * 5) / 4)), 1);
    for (let k = 0; k < b; k++)
      for (let c = 0; c < 2; c++) {
        const ref = resizeBilinear(input, k, Math.floor((ih - ch) / 2), Math.floor((iw - cw) / 2), ch, cw, 4, 5, c);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) assertClose([at(y, k, i, j, c)], [ref(i, j)], { rtol: 1e-5, atol: 1e-6, label: `${ctx.training ? 'small input in training' : 'inference'} (${k}, ${i}, ${j}, ${c})` });
      }
  }
  // A window of exactly the target size is a plain centre crop.
  const exact = layers.randomCrop({ height: 3, width: 3 }).apply(ramp([1, 3, 7, 1]));
  assert.deepEqual(Array.from(exact.data), [2, 3, 4, 9, 10, 11, 16, 17, 18]);
});

test('single images [h, w, c]; rank 2 is refused with Keras message', () => {
  const img = ramp([3, 4, 1]);
  const y = layers.randomRotation({ factor: [0.5, 0.5], interpolation: 'nearest', seed: 1 }).apply(img, T);
  assert.deepEqual(y.shape, [3, 4, 1]);
  assert.deepEqual(Array.from(y.data), Array.from(img.data).reverse());
  assert.deepEqual(layers.randomCrop({ height: 2, width: 2, seed: 1 }).apply(img, T).shape, [2, 2, 1]);
  assert.throws(() => layers.randomFlip().apply(ramp([3, 4]), T), /random_flip\w*: Expected image tensor to have rank 3 \(single image\) or 4 \(batch of images\)\. Received: data\.shape=\[3,4\]/);
});

test('seeding: same seed → same augmentation, different seeds differ, the stream advances, unseeded layers draw from ctx.rng', () => {
  const x = randomNormal([6, 8, 8, 3], { seed: 1 });
  const make = (seed?: number): Layer => layers.randomRotation({ factor: 0.3, ...(seed === undefined ? {} : { seed }) });
  const a = make(7);
  const first = a.apply(x, T);
  assert.deepEqual(Array.from(make(7).apply(x, T).data), Array.from(first.data));
  assert.notDeepEqual(Array.from(make(8).apply(x, T).data), Array.from(first.data));
  assert.notDeepEqual(Array.from(a.apply(x, T).data), Array.from(first.data), 'the second call draws new angles');
  const u1 = make().apply(x, { training: true, rng: new Rng(3) });
  const u2 = make().apply(x, { training: true, rng: new Rng(3) });
  assert.deepEqual(Array.from(u1.data), Array.from(u2.data));
  assert.throws(() => make().apply(x, T), /needs randomness: give the layer a seed, or pass ctx\.rng/);
});

test('validation errors name the layer and the value (Keras messages)', () => {
  assert.throws(() => layers.randomRotation(1.5), /^Error: RandomRotation: The `factor` argument should be a number \(or a list of two numbers\) in the range \[-1, 1\]\. Received: factor=1\.5$/);
  assert.throws(() => layers.randomRotation({ factor: [0.1, 0.2, 0.3] as never }), /RandomRotation: The `factor` argument .* Received: factor=\[0\.1,0\.2,0\.3\]/);
  assert.throws(() => layers.randomTranslation({ heightFactor: 0.1, widthFactor: -1.2 }), /RandomTranslation: The `width_factor` argument should be .* in the range \[-1\.0, 1\.0\]\. Received: width_factor=-1\.2/);
  assert.throws(() => layers.randomTranslation({ heightFactor: 0.1 } as never), /RandomTranslation: the 'widthFactor' option is required/);
  assert.throws(() => layers.randomZoom({ heightFactor: [0.5, 2] }), /RandomZoom: The `height_factor` .* Received: height_factor=\[0\.5,2\]/);
  assert.throws(() => layers.randomZoom({ heightFactor: 0.1, fillMode: 'mirror' as never }), /RandomZoom: fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got "mirror"/);
  assert.throws(() => layers.randomRotation({ factor: 0.1, interpolation: 'bicubic' as never }), /RandomRotation: interpolation must be one of 'nearest', 'bilinear', got "bicubic"/);
  assert.throws(() => layers.randomFlip({ mode: 'diagonal' as never }), /RandomFlip: mode must be one of 'horizontal', 'vertical', 'horizontal_and_vertical', got "diagonal"/);
  assert.throws(() => layers.randomCrop({ height: 0, width: 2 }), /RandomCrop: height must be a positive integer, got 0/);
  assert.throws(() => layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, dataFormat: 'channels_first' as never }), /RandomTranslation: dataFormat must be 'channels_last'/);
  // Keras's pair rule checks only factor[0] ≤ high and factor[1] ≥ low.
  assert.deepEqual(layers.randomRotation({ factor: [-3, 0.5] }).getConfig()['factor'], [-3, 0.5]);
});
