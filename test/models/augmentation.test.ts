/**
 * Image augmentation layers inside models (docs/semantics.md "Image
 * augmentation"): fit with one seed is bit-identical twice (seeded layers use
 * their own streams, unseeded ones fit's step stream) and differs with
 * another seed; evaluate/predict see the identity; an augmentation layer
 * after a trainable layer passes the gradient back (the first Dense learns);
 * the model saves and loads with the Keras 3 configs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, loadModel, randomNormal, Sequential, Tensor } from '../../src/index.js';
import { assertBitIdentical } from '../helpers/assert-close.js';

const N = 24;
const x = randomNormal([N, 6, 6, 2], { seed: 1 });
const y = new Tensor([N], 'int32', Int32Array.from({ length: N }, (_, i) => i % 3));

function augmented(): Sequential {
  const m = new Sequential(
    [
      layers.randomFlip({ mode: 'horizontal', seed: 3, inputShape: [6, 6, 2] }),
      layers.randomTranslation({ heightFactor: 0.2, widthFactor: 0.2, fillMode: 'constant' }),
      layers.randomRotation({ factor: 0.1, seed: 5 }),
      layers.randomZoom({ heightFactor: 0.1, fillMode: 'nearest' }),
      layers.randomContrast({ factor: 0.2, valueRange: [-10, 10] }),
      layers.randomBrightness({ factor: 0.1, valueRange: [-10, 10], seed: 6 }),
      layers.randomCrop({ height: 5, width: 5, seed: 7 }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 2 },
  );
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

async function train(seed: number): Promise<{ losses: number[]; weights: Float32Array }> {
  const m = augmented();
  const h = await m.fit(x, y, { epochs: 3, batchSize: 8, seed, verbose: 0 });
  return { losses: h.history['loss']!.map(Number), weights: Float32Array.from(m.getWeights().flatMap((w) => Array.from(w.data))) };
}

test('fit with augmentation layers is reproducible with one seed and differs with another', async () => {
  const a = await train(11);
  const b = await train(11);
  assert.deepEqual(a.losses, b.losses);
  assertBitIdentical(a.weights, b.weights, 'weights after two runs with seed 11');
  const c = await train(12);
  assert.notDeepEqual(a.losses, c.losses);
});

test('predict is the identity through the augmentation layers (RandomCrop: the centred window) and the model saves and loads', async () => {
  const m = augmented();
  await m.fit(x, y, { epochs: 1, batchSize: 8, seed: 1, verbose: 0 });
  const p1 = m.predict(x) as Tensor;
  const plain = new Sequential([layers.randomCrop({ height: 5, width: 5, inputShape: [6, 6, 2] }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })], { seed: 2 });
  plain.predict(x);
  plain.setWeights(m.getWeights());
  assertBitIdentical(p1.data as Float32Array, (plain.predict(x) as Tensor).data as Float32Array, 'augmented model at inference = crop + dense');
  const dir = mkdtempSync(join(tmpdir(), 'regula-aug-'));
  try {
    await m.save(dir);
    const back = (await loadModel(dir)) as Sequential;
    assert.deepEqual(
      back.layers.map((l) => l.className),
      ['RandomFlip', 'RandomTranslation', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomBrightness', 'RandomCrop', 'Flatten', 'Dense'],
    );
    assert.deepEqual(back.layers[2]!.getConfig()['factor'], [-0.1, 0.1]);
    assertBitIdentical((back.predict(x) as Tensor).data as Float32Array, p1.data as Float32Array, 'loaded model predicts the same');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an augmentation layer after a trainable layer passes the gradient back', async () => {
  const m = new Sequential(
    [
      layers.dense({ units: 32, inputShape: [8] }),
      layers.reshape({ targetShape: [4, 4, 2] }),
      layers.randomRotation({ factor: 0.2, seed: 1 }),
      layers.randomFlip({ seed: 2 }),
      layers.flatten(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
    { seed: 3 },
  );
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const xs = randomNormal([16, 8], { seed: 4 });
  const ys = new Tensor([16], 'int32', Int32Array.from({ length: 16 }, (_, i) => i % 2));
  const before = Array.from(m.layers[0]!.getWeights()[0]!.data);
  await m.fit(xs, ys, { epochs: 1, batchSize: 8, seed: 1, verbose: 0 });
  const after = Array.from(m.layers[0]!.getWeights()[0]!.data);
  assert.ok(after.some((v, i) => v !== before[i]), 'the Dense before the augmentation layers was updated');
});
