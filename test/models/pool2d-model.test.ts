/**
 * The 2-D pooling and shape layers inside models, on the default (wasm)
 * backend: a small image model with every one of them (SpatialDropout2D
 * included) learns to spot a blob anywhere in an image, two fits with one
 * seed are bit-identical, and the trained model round-trips through the TF.js
 * Layers format with the same predictions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromArtifacts, layers, optimizers, Sequential, tensor, toArtifacts, type Tensor } from '../../src/index.js';
import { Rng } from '../../src/random.js';
import { assertBitIdentical, assertClose } from '../helpers/assert-close.js';

/** 8×8 single-channel noise images; half of them (label 1) hold a bright 2×2 blob somewhere. */
function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.int(7);
    const c = rng.int(7);
    for (let k = 0; k < 64; k++) x[i * 64 + k] = 20 * rng.uniform();
    y[i] = i % 2;
    if (y[i] === 1) for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]]) x[i * 64 + (r + dr!) * 8 + c + dc!] = 120 + 100 * rng.uniform();
  }
  return { x: tensor(x, [n, 8, 8, 1]), y: tensor(y, [n, 1]) };
}

function build(): Sequential {
  return new Sequential([
    layers.rescaling({ scale: 1 / 255, inputShape: [8, 8, 1] }),
    layers.zeroPadding2d({ padding: 1 }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.upSampling2d({ size: 2, interpolation: 'bilinear' }),
    layers.cropping2d({ cropping: 1 }),
    layers.spatialDropout2d({ rate: 0.1, seed: 3 }),
    layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
    layers.batchNormalization({ momentum: 0.5 }),
    layers.globalMaxPooling2d({ keepdims: true }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

test('an image model with every 2-D pooling/shape layer trains, is deterministic, and round-trips through the Layers format', async () => {
  const train = data(96, 1);
  const fit = async (): Promise<{ m: Sequential; losses: number[] }> => {
    const m = build();
    m.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(train.x, train.y, { epochs: 15, batchSize: 16, verbose: 0, seed: 7 });
    return { m, losses: h.history['loss'] as number[] };
  };
  const a = await fit();
  const b = await fit();
  assertBitIdentical(Float32Array.from(a.losses), Float32Array.from(b.losses), 'losses of two seeded fits');
  assert.ok(a.losses.every(Number.isFinite));
  assert.ok(a.losses.at(-1)! < a.losses[0]!, `loss ${a.losses[0]} → ${a.losses.at(-1)}`);
  const test = data(64, 2);
  const acc = a.m.evaluate(test.x, test.y)['accuracy']!;
  assert.ok(acc >= 0.95, `held-out accuracy ${acc}`);

  const back = fromArtifacts(toArtifacts(a.m));
  assert.deepEqual(back.layers.map((l) => l.className), a.m.layers.map((l) => l.className));
  assertClose((back.predict(test.x) as Tensor).data, (a.m.predict(test.x) as Tensor).data, { rtol: 0, atol: 0, label: 'reloaded model predicts the same' });
});
