/**
 * Callback decision tables (docs/semantics.md §4): scripted `logs` sequences drive the
 * callbacks through the fit lifecycle on a scripted model whose single
 * weight holds the epoch number, so "the restored weights are the best
 * epoch's" is read straight off the weight. Every expected stop/save epoch
 * below was worked out by hand from the Keras 3 rules (0-based epochs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, CallbackModel, Logs } from './callback.js';
import { CallbackList } from './callback.js';
import { EarlyStopping, earlyStopping } from './early-stopping.js';
import { modelCheckpoint } from './model-checkpoint.js';
import { reduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { learningRateScheduler } from './learning-rate-scheduler.js';
import { terminateOnNaN } from './terminate-on-nan.js';
import { csvLogger, memoryTextWriter } from './csv-logger.js';
import { Monitor } from './monitor.js';

/** A model for scripted runs: weight = [epoch], settable LR, known metric directions, recorded saves. */
class ScriptedModel implements CallbackModel {
  stopTraining = false;
  weights: Tensor[] = [tensor([-1])];
  lr = 1;
  saves: { dir: string; weightsOnly: boolean; weight: number }[] = [];
  getWeights(): Tensor[] {
    return this.weights.map((w) => tensor(Array.from(w.data), w.shape));
  }
  setWeights(w: readonly Tensor[]): void {
    this.weights = w.map((t) => tensor(Array.from(t.data), t.shape));
  }
  getLearningRate(): number {
    return this.lr;
  }
  setLearningRate(lr: number): void {
    this.lr = lr;
  }
  metricDirection(name: string): 'min' | 'max' | undefined {
    const bare = name.replace(/^val_/, '');
    return bare === 'accuracy' ? 'max' : bare === 'mae' ? 'min' : undefined;
  }
  async save(dir: string, opts: { weightsOnly?: boolean } = {}): Promise<void> {
    this.saves.push({ dir, weightsOnly: opts.weightsOnly ?? false, weight: this.weights[0]!.data[0]! });
  }
  get weight(): number {
    return this.weights[0]!.data[0]!;
  }
}

/** Runs the epoch lifecycle over `series` (one logs object per epoch); returns the epochs run. */
async function drive(cbs: Callback[], series: Logs[], model = new ScriptedModel(), batchesPerEpoch = 0): Promise<{ model: ScriptedModel; epochs: number }> {
  const list = new CallbackList(cbs);
  list.setModel(model, { epochs: series.length, initialEpoch: 0, steps: batchesPerEpoch, samples: 0, verbose: 0, batchSize: 1 });
  model.stopTraining = false;
  await list.onTrainBegin();
  let run = 0;
  for (let e = 0; e < series.length; e++) {
    await list.onEpochBegin(e);
    model.setWeights([tensor([e])]); // "training" this epoch produced weights = e
    for (let b = 0; b < batchesPerEpoch; b++) {
      await list.onBatchBegin(b);
      await list.onBatchEnd(b, { loss: series[e]!['loss'] ?? 0 });
      if (model.stopTraining) break;
    }
    await list.onEpochEnd(e, { ...series[e]! });
    run++;
    if (model.stopTraining) break;
  }
  await list.onTrainEnd();
  return { model, epochs: run };
}

const vl = (...v: number[]): Logs[] => v.map((x) => ({ loss: x, val_loss: x }));
const va = (...v: number[]): Logs[] => v.map((x) => ({ loss: 1, val_accuracy: x }));

test('EarlyStopping decision table: the epoch at which it stops', async () => {
  const rows: { what: string; args: ConstructorParameters<typeof EarlyStopping>[0]; series: Logs[]; stop: number | null }[] = [
    { what: 'min, patience 0', args: { patience: 0 }, series: vl(5, 4, 4.5, 3), stop: 2 },
    { what: 'min, patience 1 (acts like 0)', args: { patience: 1 }, series: vl(5, 4, 4.5, 3), stop: 2 },
    { what: 'min, patience 3', args: { patience: 3 }, series: vl(5, 4, 4.5, 4.2, 4.1, 3.9), stop: 4 },
    { what: 'min, patience 3, recovers in time', args: { patience: 3 }, series: vl(5, 4, 4.5, 4.2, 3.9, 4, 4, 4), stop: 7 },
    { what: 'never improves after epoch 0', args: { patience: 2 }, series: vl(1, 2, 3, 4), stop: 2 },
    { what: 'max mode, ties do not improve', args: { monitor: 'val_accuracy', mode: 'max', patience: 2 }, series: va(0.5, 0.6, 0.6, 0.55, 0.7), stop: 3 },
    { what: 'auto → max for accuracy (compiled metric direction)', args: { monitor: 'val_accuracy', patience: 2 }, series: va(0.5, 0.6, 0.6, 0.55, 0.7), stop: 3 },
    { what: 'auto → min for loss', args: { monitor: 'loss', patience: 1 }, series: vl(3, 2, 2.5), stop: 2 },
    { what: 'min mode on accuracy (user knows best)', args: { monitor: 'val_accuracy', mode: 'min', patience: 1 }, series: va(0.5, 0.6), stop: 1 },
    { what: 'minDelta 0.1', args: { minDelta: 0.1, patience: 2 }, series: vl(1, 0.95, 0.85, 0.8, 0.79), stop: 4 },
    { what: 'minDelta sign is ignored', args: { minDelta: -0.1, patience: 2 }, series: vl(1, 0.95, 0.85, 0.8, 0.79), stop: 4 },
    { what: 'baseline never reached: stops at the first bad epoch', args: { baseline: 0.5, patience: 2 }, series: vl(0.9, 0.8, 0.7, 0.75, 0.74, 0.73), stop: 3 },
    { what: 'same without baseline', args: { patience: 2 }, series: vl(0.9, 0.8, 0.7, 0.75, 0.74, 0.73), stop: 4 },
    { what: 'baseline never reached, always improving: runs on', args: { baseline: 0.1, patience: 1 }, series: vl(0.9, 0.8, 0.7, 0.6), stop: null },
    { what: 'baseline reached at epoch 2 resets patience', args: { baseline: 0.75, patience: 2 }, series: vl(0.9, 0.8, 0.7, 0.72, 0.71, 0.73), stop: 4 },
    { what: 'startFromEpoch 2 ignores the warm-up', args: { startFromEpoch: 2, patience: 1 }, series: vl(1, 2, 3, 2.5, 2.6), stop: 4 },
    { what: 'same without startFromEpoch', args: { patience: 1 }, series: vl(1, 2, 3, 2.5, 2.6), stop: 1 },
    { what: 'NaN never improves', args: { patience: 1 }, series: vl(1, NaN, 0.5), stop: 1 },
  ];
  for (const r of rows) {
    const es = new EarlyStopping({ ...r.args, warn: () => {} });
    const { epochs } = await drive([es], r.series);
    const stoppedAt = es.stoppedEpoch > 0 ? es.stoppedEpoch : null;
    assert.equal(stoppedAt, r.stop, `${r.what}: stopped at ${stoppedAt}`);
    assert.equal(epochs, r.stop === null ? r.series.length : r.stop + 1, `${r.what}: epochs run`);
  }
});

test('EarlyStopping restores the best epoch’s weights at train end, stopped early or not (Keras 3)', async () => {
  // Stopped early: best epoch 1.
  let r = await drive([earlyStopping({ patience: 2, restoreBestWeights: true })], vl(5, 3, 4, 4.5, 1));
  assert.equal(r.epochs, 4);
  assert.equal(r.model.weight, 1);
  // Ran to the end: best epoch 2 (Keras 2 would have left epoch 3's weights).
  r = await drive([earlyStopping({ patience: 5, restoreBestWeights: true })], vl(5, 3, 2, 4));
  assert.equal(r.epochs, 4);
  assert.equal(r.model.weight, 2);
  // Baseline never reached: no crash, best weights restored.
  const es = earlyStopping({ patience: 1, baseline: 0.01, restoreBestWeights: true });
  r = await drive([es], vl(0.9, 0.5, 0.7, 0.6));
  assert.equal(es.stoppedEpoch, 2);
  assert.equal(r.model.weight, 1);
  // startFromEpoch: epochs before it are never the "best".
  r = await drive([earlyStopping({ patience: 1, startFromEpoch: 2, restoreBestWeights: true })], vl(0.1, 0.2, 0.9, 0.8, 0.85));
  assert.equal(r.model.weight, 3);
  // Without restoreBestWeights the last epoch's weights stay.
  r = await drive([earlyStopping({ patience: 1 })], vl(5, 3, 4));
  assert.equal(r.model.weight, 2);
});

test('EarlyStopping: a missing metric warns once and never stops; auto mode needs a known direction', async () => {
  const warnings: string[] = [];
  const es = earlyStopping({ monitor: 'val_loss', patience: 0, warn: (m) => warnings.push(m) });
  const { epochs } = await drive([es], [{ loss: 1 }, { loss: 2 }, { loss: 3 }]);
  assert.equal(epochs, 3);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /EarlyStopping: conditioned on metric 'val_loss', which is not available; available metrics are: loss/);
  await assert.rejects(drive([earlyStopping({ monitor: 'val_f1' })], [{ val_f1: 1 }]), /monitor='val_f1', but whether it should be minimized or maximized cannot be determined automatically; pass mode: 'max' or mode: 'min'/);
  const w2: string[] = [];
  new Monitor({ monitor: 'loss', mode: 'lowest', owner: 'X', warn: (m) => w2.push(m) });
  assert.match(w2[0]!, /mode 'lowest' is unknown, falling back to 'auto'/);
  assert.throws(() => earlyStopping({ patience: -1 }), /patience must be an integer >= 0, got -1/);
  assert.throws(() => earlyStopping({ patiense: 3 } as never), /unknown option 'patiense'/);
});

test('EarlyStopping getState/setState resumes exactly', async () => {
  const series = vl(5, 4, 4.5, 4.6, 4.7, 3);
  const whole = earlyStopping({ patience: 3, restoreBestWeights: true });
  const full = await drive([whole], series);
  // First run: epochs 0..2, then a fresh callback resumes from the saved state.
  const first = earlyStopping({ patience: 3, restoreBestWeights: true });
  await drive([first], series.slice(0, 3));
  const state = first.getState();
  assert.deepEqual({ ...state, bestWeights: state.bestWeights!.map((t) => t.data[0]) }, { wait: 1, stoppedEpoch: 0, best: 4, bestEpoch: 1, bestWeights: [1] });
  const second = earlyStopping({ patience: 3, restoreBestWeights: true });
  second.setState(JSON.parse(JSON.stringify({ ...state, bestWeights: null })));
  second.setState({ ...state });
  const model = new ScriptedModel();
  const list = new CallbackList([second]);
  list.setModel(model, { epochs: 6, initialEpoch: 3, steps: 0, samples: 0, verbose: 0, batchSize: 1 });
  await list.onTrainBegin();
  let stoppedAt: number | null = null;
  for (let e = 3; e < 6; e++) {
    model.setWeights([tensor([e])]);
    await list.onEpochEnd(e, { ...series[e]! });
    if (model.stopTraining) {
      stoppedAt = e;
      break;
    }
  }
  await list.onTrainEnd();
  assert.equal(stoppedAt, whole.stoppedEpoch);
  assert.equal(model.weight, full.model.weight);
});

test('ModelCheckpoint decision table: which epochs write, and the formatted paths', async () => {
  const rows: { what: string; args: Parameters<typeof modelCheckpoint>[0]; series: Logs[]; paths: string[] }[] = [
    { what: 'best only, min', args: { filepath: 'ckpt-{epoch:02d}-{val_loss:.2f}', saveBestOnly: true }, series: vl(0.5, 0.4, 0.45, 0.3, 0.3), paths: ['ckpt-01-0.50', 'ckpt-02-0.40', 'ckpt-04-0.30'] },
    { what: 'every epoch', args: { filepath: 'ckpt-{epoch:02d}-{val_loss:.2f}' }, series: vl(0.5, 0.4, 0.45), paths: ['ckpt-01-0.50', 'ckpt-02-0.40', 'ckpt-03-0.45'] },
    { what: 'best only, auto → max for accuracy', args: { filepath: 'm/{epoch}-{val_accuracy:.3f}', monitor: 'val_accuracy', saveBestOnly: true }, series: va(0.5, 0.7, 0.6, 0.71), paths: ['m/1-0.500', 'm/2-0.700', 'm/4-0.710'] },
    { what: 'best only, explicit max', args: { filepath: 'e{epoch}', monitor: 'val_loss', mode: 'max', saveBestOnly: true }, series: vl(0.5, 0.4, 0.6), paths: ['e1', 'e3'] },
    { what: 'initialValueThreshold', args: { filepath: 'e{epoch}', saveBestOnly: true, initialValueThreshold: 0.42 }, series: vl(0.5, 0.4, 0.45, 0.3), paths: ['e2', 'e4'] },
    { what: 'template with other log keys and escapes', args: { filepath: '{{run}}/{epoch:03d}_{loss:.1e}' }, series: vl(0.000123), paths: ['{run}/001_1.2e-04'] },
  ];
  for (const r of rows) {
    const cb = modelCheckpoint(r.args);
    const { model } = await drive([cb], r.series);
    assert.deepEqual(model.saves.map((s) => s.dir), r.paths, r.what);
    // Each save happened with that epoch's weights in the model.
    assert.deepEqual(model.saves.map((s) => s.weight), cb.saved.map((s) => s.epoch), `${r.what}: weights at save`);
  }
});

test('ModelCheckpoint: missing template key throws naming it; missing monitor warns once and saves; saveFreq N counts batches', async () => {
  await assert.rejects(drive([modelCheckpoint({ filepath: 'ckpt-{val_los:.2f}' })], vl(0.5)), /failed to format filepath "ckpt-\{val_los:.2f\}": .*needs 'val_los', which is not available \(available: loss, val_loss, epoch\)/);
  const warnings: string[] = [];
  const cb = modelCheckpoint({ filepath: 'c{epoch}', saveBestOnly: true, warn: (m) => warnings.push(m) });
  const { model } = await drive([cb], [{ loss: 1 }, { loss: 0.5 }]);
  assert.deepEqual(model.saves.map((s) => s.dir), ['c1', 'c2']);
  assert.equal(warnings.length, 1);
  // saveFreq 2 with 3 batches per epoch: saves after batches (e0 b1), (e1 b0), (e1 b2); none at epoch end.
  const byBatch = modelCheckpoint({ filepath: 'b-{epoch}-{batch}', saveFreq: 2 });
  const r = await drive([byBatch], vl(1, 1), new ScriptedModel(), 3);
  assert.deepEqual(r.model.saves.map((s) => s.dir), ['b-1-2', 'b-2-1', 'b-2-3']);
  // saveWeightsOnly reaches model.save.
  const wo = await drive([modelCheckpoint({ filepath: 'w', saveWeightsOnly: true })], vl(1));
  assert.equal(wo.model.saves[0]!.weightsOnly, true);
  assert.throws(() => modelCheckpoint({ filepath: '' }), /filepath must be a non-empty directory template/);
  assert.throws(() => modelCheckpoint({ filepath: 'x', saveFreq: 0 }), /saveFreq must be 'epoch' or a positive integer/);
});

test('ModelCheckpoint memory sink keeps the best weights in memory; restore() puts them back; state round-trips', async () => {
  const cb = modelCheckpoint({ sink: 'memory', saveBestOnly: true });
  const { model } = await drive([cb], vl(0.5, 0.2, 0.4, 0.3));
  assert.equal(model.saves.length, 0, 'no files');
  assert.equal(cb.memory!.epoch, 1);
  assert.equal(cb.memory!.value, 0.2);
  assert.equal(model.weight, 3);
  cb.restore();
  assert.equal(model.weight, 1);
  const copy = modelCheckpoint({ sink: 'memory', saveBestOnly: true });
  copy.setState(cb.getState());
  assert.equal(copy.best, 0.2);
  const m2 = new ScriptedModel();
  copy.restore(m2);
  assert.equal(m2.weight, 1);
  // best persists across fits: a later fit saves only below 0.2.
  await drive([cb], vl(0.3, 0.1));
  assert.equal(cb.memory!.value, 0.1);
  assert.throws(() => modelCheckpoint({ filepath: 'd' }).restore(), /only the memory sink keeps weights/);
});

test('ReduceLROnPlateau decision table: factor, patience, cooldown, minLr; logs learning_rate', async () => {
  const model = new ScriptedModel();
  model.lr = 1;
  const seen: number[] = [];
  const rec: Callback = { onEpochEnd: (_e, logs) => void seen.push(logs['learning_rate']!) };
  await drive([reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minLr: 0.2 }), rec], vl(1, 1, 1, 1, 1, 1, 1, 1, 1), model);
  assert.deepEqual(seen, [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2]);
  assert.equal(model.lr, 0.2);
  // Improvements (beyond minDelta 1e-4) reset the wait.
  const m2 = new ScriptedModel();
  await drive([reduceLROnPlateau({ factor: 0.1, patience: 2 })], vl(1, 0.9, 0.95, 0.8, 0.85, 0.7), m2);
  assert.equal(m2.lr, 1);
  await drive([reduceLROnPlateau({ factor: 0.1, patience: 2 })], vl(1, 0.99995, 0.99991), m2);
  assert.ok(Math.abs(m2.lr - 0.1) < 1e-12, `improvements below minDelta do not count: lr ${m2.lr}`);
  assert.throws(() => reduceLROnPlateau({ factor: 1 }), /factor must be in \[0, 1\)/);
});

test('LearningRateScheduler sets lr at epoch begin from (epoch, lr); TerminateOnNaN stops or throws', async () => {
  const model = new ScriptedModel();
  model.lr = 0.1;
  const seen: number[] = [];
  await drive([learningRateScheduler((e, lr) => (e < 2 ? lr : lr * 0.5)), { onEpochEnd: (_e, l) => void seen.push(l['learning_rate']!) }], vl(1, 1, 1, 1), model);
  assert.deepEqual(seen, [0.1, 0.1, 0.05, 0.025]);
  await assert.rejects(drive([learningRateScheduler(() => NaN)], vl(1)), /must return a finite number >= 0, got null at epoch 0/);

  const t = terminateOnNaN({ log: () => {} });
  const r = await drive([t], [{ loss: 1 }, { loss: NaN }, { loss: 1 }], new ScriptedModel(), 2);
  assert.equal(r.epochs, 2);
  assert.equal(t.terminatedAtBatch, 0);
  await assert.rejects(drive([terminateOnNaN({ raiseError: true })], [{ loss: Infinity }], new ScriptedModel(), 1), /TerminateOnNaN: loss is Infinity at batch 0/);
});

test('CSVLogger: sorted keys, NA-filled val_ columns, 0-based epochs; append writes the header once', async () => {
  const w = memoryTextWriter();
  await drive([csvLogger({ filename: 'log.csv', writer: w })], [{ loss: 0.5, accuracy: 0.8 }, { loss: 0.25, accuracy: 0.9 }]);
  assert.equal(w.files.get('log.csv'), 'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.8,0.5,NA,NA\n1,0.9,0.25,NA,NA\n');
  await drive([csvLogger({ filename: 'log.csv', writer: w, append: true })], [{ loss: 0.125, accuracy: 0.95 }]);
  assert.equal(w.files.get('log.csv'), 'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.8,0.5,NA,NA\n1,0.9,0.25,NA,NA\n0,0.95,0.125,NA,NA\n');
  await drive([csvLogger({ filename: 'v.csv', writer: w, separator: ';' })], [{ loss: 1, val_loss: NaN }]);
  assert.equal(w.files.get('v.csv'), 'epoch;loss;val_loss\n0;1;nan\n');
});

test('CSVLogger default writer writes the file atomically on disk', async () => {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'regula-csv-'));
  try {
    const file = join(dir, 'sub', 'train.csv');
    await drive([csvLogger(file)], [{ loss: 2, val_loss: 3 }, { loss: 1, val_loss: 2 }]);
    assert.equal(await readFile(file, 'utf8'), 'epoch,loss,val_loss\n0,2,3\n1,1,2\n');
    await drive([csvLogger({ filename: file, append: true })], [{ loss: 0.5, val_loss: 1 }]);
    assert.equal(await readFile(file, 'utf8'), 'epoch,loss,val_loss\n0,2,3\n1,1,2\n0,0.5,1\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('per-batch hooks: synchronous ones run back to back (nothing to await); after an async one the rest run in order, awaited', async () => {
  const seen: string[] = [];
  const sync = new CallbackList([{ onBatchEnd: () => void seen.push('a') }, { onBatchEnd: () => void seen.push('b') }]);
  assert.equal(sync.onBatchEnd(0, {}), undefined);
  assert.deepEqual(seen, ['a', 'b']);
  seen.length = 0;
  const mixed = new CallbackList([
    { onBatchBegin: () => void seen.push('a') },
    { onBatchBegin: async () => { await new Promise((r) => setTimeout(r, 5)); seen.push('b'); } },
    { onBatchBegin: () => void seen.push('c') },
  ]);
  const p = mixed.onBatchBegin(1);
  assert.ok(p instanceof Promise);
  assert.deepEqual(seen, ['a']);
  await p;
  assert.deepEqual(seen, ['a', 'b', 'c']);
});
