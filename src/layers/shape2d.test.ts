import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZeroPadding2D, zeroPadding2d } from './zero-padding2d.js';
import { Cropping2D, cropping2d } from './cropping2d.js';
import { UpSampling2D, upSampling2d } from './up-sampling2d.js';
import { Rescaling, rescaling } from './rescaling.js';
import { layerFromConfig } from './registry.js';
import { input } from './input-layer.js';
import { Rng } from '../random.js';
import { fill, tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

const ctx = { training: false };
// x [1, 2, 3, 1]: rows [1 2 3] [4 5 6]
const X = tensor([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);

test('shape layer contracts', () => {
  layerTest(ZeroPadding2D, {}, { inputShape: [2, 4, 5, 3], outputShape: [2, 6, 7, 3], trainableWeights: 0 });
  layerTest(zeroPadding2d, { padding: [2, 1] }, { inputShape: [2, 4, 5, 3], outputShape: [2, 8, 7, 3], trainableWeights: 0 });
  layerTest(ZeroPadding2D, { padding: [[0, 1], [3, 0]] }, { inputShape: [1, 4, 5, 2], outputShape: [1, 5, 8, 2], trainableWeights: 0 });
  layerTest(Cropping2D, { cropping: 1 }, { inputShape: [2, 5, 6, 3], outputShape: [2, 3, 4, 3], trainableWeights: 0 });
  layerTest(cropping2d, { cropping: [[0, 2], [1, 3]] }, { inputShape: [2, 5, 6, 3], outputShape: [2, 3, 2, 3], trainableWeights: 0 });
  layerTest(Cropping2D, {}, { inputShape: [1, 3, 3, 1], outputShape: [1, 3, 3, 1], trainableWeights: 0, identityAtInference: true });
  layerTest(UpSampling2D, {}, { inputShape: [2, 3, 4, 2], outputShape: [2, 6, 8, 2], trainableWeights: 0 });
  layerTest(upSampling2d, { size: [3, 1], interpolation: 'bilinear' }, { inputShape: [2, 3, 4, 2], outputShape: [2, 9, 4, 2], trainableWeights: 0 });
  layerTest(Rescaling, { scale: 1 / 255, offset: -0.5 }, { inputShape: [2, 3, 4, 3], outputShape: [2, 3, 4, 3], trainableWeights: 0 });
  layerTest(rescaling, { scale: [1, 2, 3], offset: [0, 1, 0] }, { inputShape: [2, 5, 3], outputShape: [2, 5, 3], trainableWeights: 0 });
});

test('ZeroPadding2D and Cropping2D values', () => {
  const p = new ZeroPadding2D({ padding: [[1, 0], [0, 2]] }).apply(X, ctx);
  assert.deepEqual([...p.shape], [1, 3, 5, 1]);
  assert.deepEqual(Array.from(p.data), [0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0]);
  const c = new Cropping2D({ cropping: [[1, 0], [1, 1]] }).apply(X, ctx);
  assert.deepEqual([...c.shape], [1, 1, 1, 1]);
  assert.deepEqual(Array.from(c.data), [5]);
  // cropping undoes padding
  assert.deepEqual(Array.from(new Cropping2D({ cropping: [[1, 0], [0, 2]] }).apply(p, ctx).data), Array.from(X.data));
});

test('UpSampling2D: nearest repeats rows and columns; bilinear uses half-pixel centers (Keras 3)', () => {
  const n = new UpSampling2D({ size: [2, 1] }).apply(X, ctx);
  assert.deepEqual(Array.from(n.data), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  const row = tensor([0, 4, 8], [1, 1, 3, 1]);
  const b = new UpSampling2D({ size: [1, 2], interpolation: 'bilinear' }).apply(row, ctx);
  // output column j samples input (j + 0.5)/2 − 0.5, clamped at the edges: −0.25, 0.25, 0.75, 1.25, 1.75, 2.25
  assertClose(Array.from(b.data), [0, 1, 3, 5, 7, 8]);
  const b3 = new UpSampling2D({ size: 3, interpolation: 'bilinear' }).apply(tensor([0, 3], [1, 1, 2, 1]), ctx);
  assert.deepEqual([...b3.shape], [1, 3, 6, 1]);
  // input positions (j + 0.5)/3 − 0.5 = −1/3, 0, 1/3, 2/3, 1, 4/3 → 0, 0, 1, 2, 3, 3 on every row
  assertClose(Array.from(b3.data).slice(0, 6), [0, 0, 1, 2, 3, 3], { atol: 1e-6 });
});

test('Rescaling: x·scale + offset, per channel with lists, int32 input cast to float', () => {
  assertClose(Array.from(new Rescaling({ scale: 0.5, offset: 1 }).apply(X, ctx).data), [1.5, 2, 2.5, 3, 3.5, 4]);
  assertClose(Array.from(new Rescaling(2).apply(X, ctx).data), [2, 4, 6, 8, 10, 12]);
  const ids = tensor([0, 255, 128], [1, 3], 'int32');
  const y = new Rescaling({ scale: 1 / 255 }).apply(ids, ctx);
  assert.equal(y.dtype, 'float32');
  assertClose(Array.from(y.data), [0, 1, 128 / 255]);
  assertClose(Array.from(new Rescaling({ scale: [1, 10, 100], offset: [0, 0, 1] }).apply(tensor([1, 1, 1, 2, 2, 2], [2, 3]), ctx).data), [1, 10, 101, 2, 20, 201]);
});

test('shape layer gradients match float64 finite differences', () => {
  const x = tensor(Array.from({ length: 2 * 4 * 5 * 2 }, (_, i) => Math.cos(i * 0.7)), [2, 4, 5, 2]);
  for (const l of [
    new ZeroPadding2D({ padding: [[1, 2], [0, 1]] }),
    new Cropping2D({ cropping: [[1, 0], [2, 1]] }),
    new UpSampling2D({ size: [2, 3] }),
    new UpSampling2D({ size: 2, interpolation: 'bilinear' }),
    new Rescaling({ scale: -3, offset: 0.5 }),
  ]) {
    l.apply(x, ctx, new Rng(0));
    const r = gradCheckLayer(l, x, []);
    assert.ok(r.ok, `${l.name}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('shape layer configs (TF.js keys) round trip', () => {
  assert.deepEqual(new ZeroPadding2D({ name: 'z', padding: 2 }).getConfig(), { name: 'z', trainable: true, dtype: 'float32', padding: [[2, 2], [2, 2]], data_format: 'channels_last' });
  assert.deepEqual(new Cropping2D({ name: 'c', cropping: [1, 2] }).getConfig(), { name: 'c', trainable: true, dtype: 'float32', cropping: [[1, 1], [2, 2]], data_format: 'channels_last' });
  assert.deepEqual(new UpSampling2D({ name: 'u', size: [2, 3] }).getConfig(), { name: 'u', trainable: true, dtype: 'float32', size: [2, 3], data_format: 'channels_last', interpolation: 'nearest' });
  assert.deepEqual(new Rescaling({ name: 'r', scale: 0.5 }).getConfig(), { name: 'r', trainable: true, dtype: 'float32', scale: 0.5, offset: 0 });
  for (const l of [new ZeroPadding2D({ padding: [[0, 1], [2, 3]] }), new Cropping2D({ cropping: 3 }), new UpSampling2D({ interpolation: 'bilinear' }), new Rescaling({ scale: [1, 2], offset: -1 })]) {
    const cfg = JSON.parse(JSON.stringify(l.getConfig())) as Record<string, unknown>;
    assert.deepEqual(layerFromConfig({ class_name: l.className, config: cfg }).getConfig(), cfg, l.className);
  }
});

test('shape layer errors name the layer, the rule and the value', () => {
  assert.throws(() => new ZeroPadding2D({ padding: -1 }), /ZeroPadding2D: padding must be a non-negative integer, \[rows, columns\] or \[\[top, bottom\], \[left, right\]\], got -1/);
  assert.throws(() => new Cropping2D({ cropping: [[1, 2], [3]] as never }), /Cropping2D: cropping must be a non-negative integer/);
  assert.throws(() => new UpSampling2D({ size: 0 }), /UpSampling2D: size must be a positive integer or a pair of them, got 0/);
  assert.throws(() => new UpSampling2D({ interpolation: 'bicubic' as never }), /UpSampling2D: interpolation must be one of 'nearest', 'bilinear', got "bicubic"/);
  assert.throws(() => new Rescaling({} as never), /Rescaling: the 'scale' option is required/);
  assert.throws(() => new Rescaling({ scale: 'x' as never }), /Rescaling: scale must be a finite number or a non-empty list/);
  assert.throws(() => new Rescaling({ name: 'r3', scale: [1, 2] }).apply(X, ctx), /r3: scale has 2 values, one per channel, but the input is \[1,2,3,1\]/);
  assert.throws(() => new Cropping2D({ name: 'crop', cropping: [[1, 1], [0, 0]] }).apply(X, ctx), /crop: cropping \[\[1,1\],\[0,0\]\] must leave part of the input height 2 \(it removes 2\)/);
  assert.throws(() => new ZeroPadding2D({ name: 'zp' }).apply(fill([2, 3, 4], 0), ctx), /zp: ZeroPadding2D expects input \[batch, height, width, channels\], got \[2,3,4\]/);
  assert.throws(() => new UpSampling2D({ name: 'up' }).apply(input({ shape: [3, 4] })), /up: UpSampling2D expects input \[batch, height, width, channels\], got \[null,3,4\]/);
  assert.throws(() => new Cropping2D({ name: 'c5' }).apply(fill([3, 4], 0), ctx), /c5: Cropping2D expects input/);
});
