/**
 * Exact resume with the stateful regularization pieces: a fit with a seeded
 * Dropout layer, EarlyStopping(restoreBestWeights) and a per-epoch
 * ModelCheckpoint is interrupted after epoch 4 (its checkpoint, saved with the
 * training state, is loaded back) and resumed; the final weights, the
 * EarlyStopping state and the checkpoint's best equal those of an
 * uninterrupted run, bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, callbacks, loadModel, tensor } from '../../src/index.js';
import { Rng } from '../../src/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';

function data(seed: number, n: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const xs = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const ys = Int32Array.from({ length: n }, (_, i) => (xs[i * 6]! - xs[i * 6 + 3]! > 0 ? 1 : xs[i * 6 + 1]! > 0.5 ? 2 : 0));
  return { x: tensor(xs, [n, 6]), y: tensor(ys, [n], 'int32') };
}

test('fit interrupted after epoch 4 and resumed from its checkpoint equals the uninterrupted run', async () => {
  const train = data(1, 96);
  const val = data(2, 48);
  const dir = await mkdtemp(join(tmpdir(), 'regula-resume-'));
  try {
    const build = (): Sequential => {
      const m = new Sequential([
        layers.dense({ units: 16, activation: 'relu', inputShape: [6] }),
        layers.dropout({ rate: 0.3, seed: 5 }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ], { seed: 7 });
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const fitArgs = { epochs: 8, batchSize: 16, validationData: [val.x, val.y] as const, seed: 3, verbose: 0 as const };

    const whole = build();
    const esA = callbacks.earlyStopping({ patience: 50, restoreBestWeights: true });
    const ckA = callbacks.modelCheckpoint({ filepath: join(dir, 'ep{epoch}'), monitor: 'val_loss' });
    const bestA = callbacks.modelCheckpoint({ sink: 'memory', saveBestOnly: true });
    await whole.fit(train.x, train.y, { ...fitArgs, callbacks: [esA, ckA, bestA] });

    const resumed = await loadModel(join(dir, 'ep4'));
    const info = resumed.resumeInfo!;
    assert.equal(info.initialEpoch, 4);
    const esB = callbacks.earlyStopping({ patience: 50, restoreBestWeights: true });
    const ckB = callbacks.modelCheckpoint({ filepath: join(dir, 'b{epoch}'), monitor: 'val_loss' });
    const bestB = callbacks.modelCheckpoint({ sink: 'memory', saveBestOnly: true });
    await resumed.fit(train.x, train.y, { ...fitArgs, initialEpoch: info.initialEpoch, seed: info.seed!, callbacks: [esB, ckB, bestB] });

    assert.equal(esB.bestEpoch, esA.bestEpoch);
    assert.equal(esB.best, esA.best);
    assert.equal(bestB.best, bestA.best);
    assert.equal(bestB.memory!.epoch, bestA.memory!.epoch);
    const a = whole.getWeights();
    const b = resumed.getWeights();
    a.forEach((w, i) => assert.deepEqual(Array.from(b[i]!.data), Array.from(w.data), `weight ${i} after restoreBestWeights`));
    assert.deepEqual(ckB.saved.map((s) => s.epoch), [4, 5, 6, 7]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
