import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpatialDropout2D, spatialDropout2d } from './spatial-dropout2d.js';
import { layerFromConfig } from './registry.js';
import { Rng } from '../random.js';
import { fill, ones } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

const x = ones([4, 3, 3, 8]);
const mask = (y: Tensor): string => Array.from(y.data, (v) => (v === 0 ? 0 : 1)).join('');

test('SpatialDropout2D: seeded like the other dropout layers (same seed → same mask, a new mask each call, else ctx.rng)', () => {
  const a = spatialDropout2d({ rate: 0.5, seed: 5 });
  const b = spatialDropout2d({ rate: 0.5, seed: 5 });
  const a1 = mask(a.apply(x, { training: true }));
  assert.equal(a1, mask(b.apply(x, { training: true })), 'same seed, same first mask');
  assert.notEqual(a1, mask(a.apply(x, { training: true })), 'a seeded layer draws a fresh mask per call');
  const c = spatialDropout2d(0.5);
  assert.equal(mask(c.apply(x, { training: true, rng: new Rng(3) })), mask(spatialDropout2d(0.5).apply(x, { training: true, rng: new Rng(3) })), 'unseeded: the step stream decides');
  assert.throws(() => c.apply(x, { training: true }), /a training call needs randomness/);
  // one draw per (sample, channel): the mask is that of a [4, 1, 1, 8] dropout
  const y = spatialDropout2d({ rate: 0.3, seed: 1 }).apply(x, { training: true });
  const kept = Array.from(y.data).filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6), 'kept maps are scaled by 1/(1 − rate)');
  assert.equal(y.size % 9, 0);
  assert.equal((y.size - kept.length) % 9, 0, 'whole 3×3 maps are dropped');
  assert.equal(spatialDropout2d({ rate: 0 }).apply(x, { training: true }), x, 'rate 0 is the identity');
});

test('SpatialDropout2D: config (Keras 3 keys), state for exact resume, errors', () => {
  const l = new SpatialDropout2D({ rate: 0.25, seed: 7, name: 'sd' });
  assert.deepEqual(l.getConfig(), { name: 'sd', trainable: true, dtype: 'float32', rate: 0.25, seed: 7, data_format: 'channels_last' });
  const back = layerFromConfig({ class_name: 'SpatialDropout2D', config: { ...l.getConfig(), noise_shape: null } });
  assert.deepEqual(back.getConfig(), l.getConfig());
  const s = l.getRngState!();
  const first = mask(l.apply(x, { training: true }));
  l.setRngState!(s!);
  assert.equal(mask(l.apply(x, { training: true })), first, 'a restored stream repeats its mask');
  assert.throws(() => new SpatialDropout2D({ rate: 1.5 }), /SpatialDropout2D: rate must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => layerFromConfig({ class_name: 'SpatialDropout2D', config: { rate: 0.1, noise_shape: [1, 1, 1, 2] } }), /noiseShape must be null/);
  assert.throws(() => new SpatialDropout2D({ name: 'sd3', rate: 0.5 }).apply(fill([2, 5, 3], 1), { training: true, rng: new Rng(0) }), /sd3: SpatialDropout2D expects input \[batch, height, width, channels\], got \[2,5,3\]/);
});
