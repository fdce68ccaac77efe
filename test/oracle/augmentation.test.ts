/**
 * Image resampling and the augmentation layers vs TF.js 4.22 (CPU backend).
 * TF.js has none of Keras's RandomFlip / RandomTranslation / RandomRotation /
 * RandomZoom / RandomContrast / RandomBrightness / RandomCrop layers, so the
 * comparisons go through its image ops with the transforms Keras builds
 * (computed here, independently of src/layers):
 * - affineTransform = tf.image.transform (TF's ImageProjectiveTransformV3) for
 *   fill modes constant / nearest / reflect and both interpolations, on
 *   random rotation-zoom-shear-shift and projective transforms;
 * - the translation, rotation and zoom layers' training outputs =
 *   tf.image.transform with Keras's matrices; RandomRotation (nearest,
 *   constant) = tf.image.rotateWithOffset about ((w−1)/2, (h−1)/2);
 * - RandomFlip = tf.image.flipLeftRight / tf.reverse;
 * - RandomCrop at inference = tf.slice of the centred window +
 *   tf.image.resizeBilinear with half-pixel centres, and = tf.layers.centerCrop
 *   when that window is the target size.
 * Differences pinned below (docs/semantics.md "Image augmentation"):
 * - TF.js's CPU `transform` computes only the first image of a batch (the
 *   others are left at fillValue), so it is called one image at a time;
 * - 'wrap' in TF (and TF.js) maps a fractional coordinate in (−1, 0) to the
 *   last pixel instead of blending the two edges, and coordinates n − 1 or
 *   more pixels outside an axis of n land on the wrong pixel; Regula wraps periodically
 *   (a b c d | a b c d), as Keras's JAX/NumPy backends and its documentation;
 * - tf.layers.centerCrop crops without resizing, where Keras's RandomCrop at
 *   inference resizes the largest centred window of the target aspect ratio.
 * Tolerance: rtol 1e-5, atol 1e-5 (both blend in float32/float64).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layers } from '../../src/layers/index.js';
import { affineTransform, type FillMode } from '../../src/ops/image.js';
import { Rng } from '../../src/random.js';
import { randomNormal, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, tfData, toTf } from '../helpers/tfjs.js';

const TOL = { rtol: 1e-5, atol: 1e-5 };
const T = { training: true } as const;

/** tf.image.transform one image at a time (TF.js's CPU kernel fills only image 0 of a batch). */
function tfTransform(x: Tensor, rows: number[][], interpolation: 'nearest' | 'bilinear', fillMode: FillMode, fillValue = 0, outputShape?: [number, number]): Float32Array {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const parts: number[] = [];
  for (let i = 0; i < b; i++) {
    const img = tf.tensor4d(Array.from(x.data.subarray(i * h * w * c, (i + 1) * h * w * c)), [1, h, w, c]);
    const out = tf.image.transform(img, tf.tensor2d([rows[rows.length === 1 ? 0 : i]!], [1, 8]), interpolation, fillMode, fillValue, outputShape);
    parts.push(...tfData(out));
    tf.dispose([img, out]);
  }
  return Float32Array.from(parts);
}

/** Random float32-exact transforms: rotation·zoom·shear about the centre and a shift, projective when asked. */
function randomRows(rng: Rng, b: number, h: number, w: number, projective: boolean): number[][] {
  return Array.from({ length: b }, () => {
    const a = (rng.uniform() - 0.5) * 2;
    const s = 0.7 + 0.6 * rng.uniform();
    const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
    const a0 = s * Math.cos(a);
    const a1 = -s * Math.sin(a) + 0.2 * (rng.uniform() - 0.5);
    const b0 = s * Math.sin(a);
    const b1 = s * Math.cos(a);
    const row = [a0, a1, cx - a0 * cx - a1 * cy + (rng.uniform() - 0.5) * w, b0, b1, cy - b0 * cx - b1 * cy + (rng.uniform() - 0.5) * h, projective ? 0.02 * (rng.uniform() - 0.5) : 0, projective ? 0.02 * (rng.uniform() - 0.5) : 0];
    return Array.from(Float32Array.from(row));
  });
}

test('affineTransform = tf.image.transform (constant, nearest, reflect × nearest, bilinear; affine and projective; a resize)', async () => {
  await tfCpu();
  const rng = new Rng(41);
  for (const [b, h, w, c] of [[3, 7, 9, 2], [2, 6, 6, 3], [1, 1, 5, 1]] as const) {
    const x = randomNormal([b, h, w, c], { seed: h * w });
    for (const fillMode of ['constant', 'nearest', 'reflect'] as const) {
      for (const interpolation of ['nearest', 'bilinear'] as const) {
        for (const projective of [false, true]) {
          const rows = randomRows(rng, b, h, w, projective);
          const ours = affineTransform(x, rows, { fillMode, interpolation, fillValue: 0.25 });
          assertClose(ours.data, tfTransform(x, rows, interpolation, fillMode, 0.25), { ...TOL, label: `${fillMode}/${interpolation} projective=${projective} [${b},${h},${w},${c}]` });
        }
      }
      const rows = [[0.6, 0, 0.2, 0, 0.45, -0.1, 0, 0]];
      const ours = affineTransform(x, rows, { fillMode, outputSize: [4, 11] });
      assertClose(ours.data, tfTransform(x, rows, 'bilinear', fillMode, 0, [4, 11]), { ...TOL, label: `${fillMode} outputSize [4, 11]` });
    }
  }
});

test('pinned TF.js differences: transform fills images after the first; wrap of fractional and far coordinates', async () => {
  await tfCpu();
  const x = tensor(Array.from({ length: 2 * 1 * 4 * 1 }, (_, i) => i + 1), [2, 1, 4, 1]);
  const shift = [1, 0, -1, 0, 1, 0, 0, 0];
  const batch = tfData(tf.image.transform(toTf(x) as tf.Tensor4D, tf.tensor2d([shift, shift]), 'nearest', 'constant', -9));
  assert.deepEqual(Array.from(batch), [-9, 1, 2, 3, -9, -9, -9, -9], 'TF.js CPU: image 1 is left at fillValue');
  assert.deepEqual(Array.from(affineTransform(x, [shift, shift], { interpolation: 'nearest', fillValue: -9 }).data), [-9, 1, 2, 3, -9, 5, 6, 7]);
  const one = tensor([1, 2, 3, 4], [1, 1, 4, 1]);
  // Shift by half a pixel: output x = 0 reads input −0.5.
  const half = [1, 0, -0.5, 0, 1, 0, 0, 0];
  assert.deepEqual(Array.from(tfTransform(one, [half], 'bilinear', 'wrap')), [4, 1.5, 2.5, 3.5], 'TF: −0.5 wraps to 3.5, clamped to the last pixel');
  assert.deepEqual(Array.from(affineTransform(one, [half], { fillMode: 'wrap' }).data), [2.5, 1.5, 2.5, 3.5], 'Regula: the blend of 4 and 1');
  // Three pixels left of the image (−3 ≡ 1 with period 4).
  const far = [1, 0, -3, 0, 1, 0, 0, 0];
  assert.deepEqual(Array.from(tfTransform(one, [far], 'nearest', 'wrap')), [4, 3, 4, 1], 'TF: −3 → 5, clamped to the last pixel (−2 → 2 is right)');
  assert.deepEqual(Array.from(affineTransform(one, [far], { fillMode: 'wrap', interpolation: 'nearest' }).data), [2, 3, 4, 1]);
});

test('RandomTranslation, RandomRotation, RandomZoom outputs = tf.image.transform with Keras matrices; RandomRotation = tf.image.rotateWithOffset', async () => {
  await tfCpu();
  const [h, w] = [6, 7];
  const x = randomNormal([2, h, w, 3], { seed: 3 });
  const cases: [Tensor, number[], FillMode, 'nearest' | 'bilinear'][] = [];
  // translation by (−0.15·h, 0.3·w) pixels
  cases.push([layers.randomTranslation({ heightFactor: [-0.15, -0.15], widthFactor: [0.3, 0.3], seed: 1 }).apply(x, T), [1, 0, -0.3 * w, 0, 1, 0.15 * h, 0, 0], 'reflect', 'bilinear']);
  // rotation by 0.1·2π
  const th = 0.1 * 2 * Math.PI;
  const [c, s] = [Math.cos(th), Math.sin(th)];
  const rot = [c, -s, (w - 1 - (c * (w - 1) - s * (h - 1))) / 2, s, c, (h - 1 - (s * (w - 1) + c * (h - 1))) / 2, 0, 0];
  cases.push([layers.randomRotation({ factor: [0.1, 0.1], fillMode: 'constant', fillValue: 0.5, seed: 1 }).apply(x, T), rot, 'constant', 'bilinear']);
  // zoom (zx, zy) = (0.8, 1.3)
  const zoom = [0.8, 0, ((w - 1) / 2) * 0.2, 0, 1.3, ((h - 1) / 2) * -0.3, 0, 0];
  cases.push([layers.randomZoom({ heightFactor: [0.3, 0.3], widthFactor: [-0.2, -0.2], fillMode: 'nearest', interpolation: 'nearest', seed: 1 }).apply(x, T), zoom, 'nearest', 'nearest']);
  for (const [ours, row, fillMode, interpolation] of cases) {
    assertClose(ours.data, tfTransform(x, [row], interpolation, fillMode, fillMode === 'constant' ? 0.5 : 0), { ...TOL, label: `${fillMode}/${interpolation}` });
  }
  const ours = layers.randomRotation({ factor: [0.1, 0.1], fillMode: 'constant', interpolation: 'nearest', seed: 1 }).apply(x, T);
  // rotateWithOffset reads (x − cx)·cos − (y − cy)·sin + cx, …: Keras's matrix; its centre is a fraction of the size.
  const theirs = tfData(tf.image.rotateWithOffset(toTf(x) as tf.Tensor4D, th, 0, [(w - 1) / 2 / w, (h - 1) / 2 / h]));
  assertClose(ours.data, theirs, { ...TOL, label: 'rotateWithOffset' });
});

test('RandomFlip = tf.image.flipLeftRight / tf.reverse on the flipped images', async () => {
  await tfCpu();
  const x = randomNormal([10, 3, 5, 2], { seed: 8 });
  const lr = tfData(tf.image.flipLeftRight(toTf(x) as tf.Tensor4D));
  const ud = tfData(tf.reverse(toTf(x), 1));
  const both = tfData(tf.reverse(toTf(x), [1, 2]));
  const per = 30;
  for (const [mode, flipped] of [['horizontal', lr], ['vertical', ud], ['horizontal_and_vertical', both]] as const) {
    const y = layers.randomFlip({ mode, seed: 4 }).apply(x, T);
    let n = 0;
    for (let i = 0; i < 10; i++) {
      const got = Array.from(y.data.subarray(i * per, (i + 1) * per));
      const isFlipped = got.every((v, k) => v === flipped[i * per + k]);
      const isSame = got.every((v, k) => v === x.data[i * per + k]);
      assert.ok(isFlipped || isSame, `${mode}: image ${i} is neither the input nor TF.js's flip`);
      if (isFlipped) n++;
    }
    assert.ok(n > 0 && n < 10, `${mode}: ${n} of 10 flipped`);
  }
});

test('RandomCrop at inference = centred aspect-ratio window + tf.image.resizeBilinear (half-pixel); = tf.layers.centerCrop when no resize is needed', async () => {
  await tfCpu();
  for (const [[h, w], [th, tw]] of [[[7, 9], [4, 5]], [[6, 8], [3, 4]], [[5, 5], [8, 6]], [[4, 10], [4, 3]]] as [[number, number], [number, number]][]) {
    const x = randomNormal([2, h, w, 3], { seed: h + w });
    const ours = layers.randomCrop({ height: th, width: tw }).apply(x);
    const ch = Math.max(Math.min(h, Math.floor((w * th) / tw)), 1);
    const cw = Math.max(Math.min(w, Math.floor((h * tw) / th)), 1);
    const win = tf.slice(toTf(x), [0, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), 0], [2, ch, cw, 3]) as tf.Tensor4D;
    const theirs = tfData(tf.image.resizeBilinear(win, [th, tw], false, true));
    assert.deepEqual(ours.shape, [2, th, tw, 3]);
    assertClose(ours.data, theirs, { ...TOL, label: `${h}×${w} → ${th}×${tw}` });
  }
  const x = randomNormal([2, 4, 10, 3], { seed: 1 });
  const cc = tf.layers.centerCrop({ height: 4, width: 6 });
  assertClose(layers.randomCrop({ height: 4, width: 6 }).apply(x).data, tfData(cc.apply(toTf(x)) as tf.Tensor), { rtol: 0, atol: 0, label: 'centerCrop' });
  // Where the window must be resized, TF.js's CenterCrop only crops.
  const y = randomNormal([1, 6, 8, 1], { seed: 2 });
  const crop = tfData(tf.layers.centerCrop({ height: 3, width: 4 }).apply(toTf(y)) as tf.Tensor);
  const keras = layers.randomCrop({ height: 3, width: 4 }).apply(y);
  assert.ok(Array.from(keras.data).some((v, i) => Math.abs(v - crop[i]!) > 1e-3), 'Keras resizes the whole 6×8 window; TF.js crops the centre 3×4');
});
