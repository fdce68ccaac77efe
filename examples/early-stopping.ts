/**
 * Tutorial snippet 6 — early stopping with a best-only checkpoint:
 *
 *   early_stop = EarlyStopping(patience=5)
 *   ModelCheckpoint(..., save_best_only=True)
 *
 * As the tutorial notes, after EarlyStopping the model holds the LAST epoch's
 * weights; the best-only checkpoint keeps the best ones, to load afterwards.
 * (Regula also offers `restoreBestWeights: true`, restored at the end of
 * training whether or not it stopped early, and a checkpoint sink that keeps
 * the best weights in memory.) Run: `node --import tsx examples/early-stopping.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, callbacks, optimizers, loadModel } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const data = digitsSplit(0, 150, 300);
const dir = await mkdtemp(join(tmpdir(), 'regula-early-stopping-'));
try {
  const model = new Sequential([
    layers.dense({ units: 128, input_dim: 64, activation: 'relu' }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ], { seed: 1 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const earlyStop = callbacks.earlyStopping({ patience: 5 });
  const checkpoint = callbacks.modelCheckpoint({ filepath: join(dir, 'best'), monitor: 'val_loss', saveBestOnly: true });
  const history = await model.fit(data.train.x, data.train.y, {
    epochs: 100,
    batchSize: 32,
    validationData: [data.val.x, data.val.y],
    callbacks: [earlyStop, checkpoint],
    seed: 2,
    verbose: 0,
  });
  const val = history.history['val_loss']!;
  const best = val.indexOf(Math.min(...val));
  const last = model.evaluate(data.val.x, data.val.y)['loss']!;
  const restored = await loadModel(join(dir, 'best'));
  restored.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const fromCheckpoint = restored.evaluate(data.val.x, data.val.y)['loss']!;
  console.log(`stopped after ${history.epoch.length} of 100 epochs (stoppedEpoch ${earlyStop.stoppedEpoch + 1}); best epoch ${best + 1} with val_loss ${val[best]!.toFixed(4)}`);
  console.log(`val_loss of the model as left by fit: ${last.toFixed(4)}; of the best-only checkpoint: ${fromCheckpoint.toFixed(4)}; checkpoint written at epochs ${checkpoint.saved.map((s) => s.epoch + 1).join(', ')}`);

  check(history.epoch.length < 100, 'early stopping ended training before the epoch limit');
  check(history.epoch.length === best + 1 + 5, 'it stopped exactly patience = 5 epochs after the best one');
  check(last > val[best]!, 'the model left by fit holds the last (worse) weights');
  check(Math.abs(fromCheckpoint - val[best]!) < 1e-4, 'the checkpoint holds the best epoch: its val_loss equals the best val_loss');
  check(checkpoint.saved[checkpoint.saved.length - 1]!.epoch === best, 'the last checkpoint write was at the best epoch');
} finally {
  await rm(dir, { recursive: true, force: true });
}
