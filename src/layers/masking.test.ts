import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Masking, masking } from './masking.js';
import { tensor } from '../tensor/create.js';
import { layerFromConfig } from './registry.js';
import { layerTest } from '../../test/helpers/layer-test.js';

const ctx = { training: false };

test('Masking contract: [b, t, f] in and out, no weights, config round trip', () => {
  layerTest(Masking, { maskValue: 0 }, { inputShape: [2, 4, 3], outputShape: [2, 4, 3], trainableWeights: 0 });
  layerTest(masking, { maskValue: -1 }, { inputShape: [3, 2, 2, 2], outputShape: [3, 2, 2, 2], trainableWeights: 0 });
});

test('Masking zeroes the steps whose features all equal maskValue, and makes mask = any(x != maskValue, -1)', () => {
  const m = masking({ maskValue: 7 });
  const x = tensor([[[7, 7], [1, 7], [7, 7]], [[0, 0], [7, 7], [2, 3]]], [2, 3, 2]);
  assert.deepEqual(m.apply(x, ctx).toArray(), [[[0, 0], [1, 7], [0, 0]], [[0, 0], [0, 0], [2, 3]]]);
  const mask = m.computeMask(x, null)!;
  assert.deepEqual(mask.shape, [2, 3]);
  assert.deepEqual(Array.from(mask.data), [0, 1, 0, 1, 0, 1]);
  // An incoming mask is replaced (Keras).
  assert.deepEqual(Array.from(m.computeMask(x, tensor([[1, 1, 1], [1, 1, 1]]))!.data), [0, 1, 0, 1, 0, 1]);
  assert.equal(m.supportsMasking, true);
});

test('Masking config is TF.js/Keras {mask_value}; rank < 3 and a NaN maskValue are errors', () => {
  const m = masking({ maskValue: -1, name: 'mk' });
  const c = m.getConfig();
  assert.equal(c['mask_value'], -1);
  const back = layerFromConfig({ class_name: 'Masking', config: c }) as Masking;
  assert.equal(back.maskValue, -1);
  assert.equal(new Masking().maskValue, 0);
  assert.throws(() => masking().apply(tensor([[1, 2]]), ctx), /Masking needs an input \[batch, steps, features\], got \[1,2\]/);
  assert.throws(() => masking().computeOutputShape([null, 3]), /Masking needs an input \[batch, steps, features\]/);
  assert.throws(() => masking({ maskValue: Number.NaN }), /maskValue/);
});
