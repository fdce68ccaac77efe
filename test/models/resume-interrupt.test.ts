/**
 * Exact resume from a fit aborted in the middle of an epoch (issue 9): no
 * callback sees a fake end of the partial epoch, the save records the epoch
 * and its next step, and load → fit continues to the same weights, bit for
 * bit, as an uninterrupted run (dropout, EarlyStopping state included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbacks, layers, loadModel, Sequential, Tensor, Rng, type Callback } from '../../src/index.js';

const EPOCHS = 3;

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const xs = new Float32Array(n * 4);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.normal();
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = xs[i * 4]! * 0.5 - xs[i * 4 + 3]!;
  return { x: new Tensor([n, 4], 'float32', xs), y: new Tensor([n, 1], 'float32', ys) };
}

function model(): Sequential {
  const m = new Sequential([layers.dense({ units: 8, inputShape: [4], activation: 'relu' }), layers.dropout({ rate: 0.3 }), layers.dense({ units: 1 })], { seed: 4 });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

const bits = (m: Sequential): string[] => m.weights.map((w) => Buffer.from(Float32Array.from(w.data).buffer).toString('hex'));

/** Records epoch ends and aborts after batch `atStep` of epoch `atEpoch`. */
function recorder(ctrl?: AbortController, atEpoch = -1, atStep = -1): Callback & { ends: number[] } {
  let epoch = -1;
  const ends: number[] = [];
  return {
    ends,
    onEpochBegin: (e: number) => void (epoch = e),
    onBatchEnd: (b: number) => {
      if (ctrl && epoch === atEpoch && b === atStep) ctrl.abort();
    },
    onEpochEnd: (e: number) => void ends.push(e),
  };
}

test('fit aborted mid-epoch → save → load → fit: bit-identical to an uninterrupted run', async () => {
  const { x, y } = data(40, 1); // 5 steps per epoch
  const val = data(12, 2);
  const fitArgs = { epochs: EPOCHS, batchSize: 8, seed: 13, verbose: 0 as const, validationData: [val.x, val.y] as const };

  const full = model();
  const esFull = callbacks.earlyStopping({ monitor: 'val_loss', patience: 50 });
  await full.fit(x, y, { ...fitArgs, callbacks: [esFull] });

  const part = model();
  const ctrl = new AbortController();
  const esPart = callbacks.earlyStopping({ monitor: 'val_loss', patience: 50 });
  const rec = recorder(ctrl, 1, 2);
  const h = await part.fit(x, y, { ...fitArgs, callbacks: [esPart, rec], signal: ctrl.signal });
  assert.deepEqual(rec.ends, [0], 'the partial epoch 1 must not reach onEpochEnd');
  assert.deepEqual(h.epoch, [0, 1], 'the History alone records the partial epoch (running logs)');
  assert.equal(h.history['val_loss']!.length, 1, 'no validation for the partial epoch');
  const dir = mkdtempSync(join(tmpdir(), 'regula-resume-int-'));
  try {
    await part.save(dir);
    const back = await loadModel(dir);
    assert.deepEqual(back.resumeInfo, { initialEpoch: 1, seed: 13, iterations: 5 + 3, initialStep: 3 });
    const esBack = callbacks.earlyStopping({ monitor: 'val_loss', patience: 50 });
    await back.fit(x, y, { ...fitArgs, seed: undefined, initialEpoch: 1, callbacks: [esBack] } as never);
    assert.equal(back.resumeInfo?.initialStep, undefined, 'the step is consumed by the resumed fit');
    assert.deepEqual(bits(back), bits(full));
    assert.deepEqual(esBack.getState().best, esFull.getState().best);
    assert.deepEqual(esBack.getState().wait, esFull.getState().wait);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an aborted fit keeps its current weights (EarlyStopping restoreBestWeights does not apply), so the resume is exact', async () => {
  const { x, y } = data(40, 1);
  const val = data(12, 2);
  const fitArgs = { epochs: EPOCHS, batchSize: 8, seed: 13, verbose: 0 as const, validationData: [val.x, val.y] as const };
  const es = () => callbacks.earlyStopping({ monitor: 'val_loss', patience: 50, restoreBestWeights: true });
  const full = model();
  await full.fit(x, y, { ...fitArgs, callbacks: [es()] });
  const part = model();
  const ctrl = new AbortController();
  let before: string[] = [];
  const snap: Callback = { onBatchEnd: () => void (ctrl.signal.aborted ? undefined : (before = bits(part))) };
  await part.fit(x, y, { ...fitArgs, callbacks: [es(), snap, recorder(ctrl, 2, 1)], signal: ctrl.signal });
  assert.deepEqual(bits(part), before, 'the weights at the abort, not the best epoch\'s');
  const dir = mkdtempSync(join(tmpdir(), 'regula-resume-best-'));
  try {
    await part.save(dir);
    const back = await loadModel(dir);
    assert.equal(back.resumeInfo?.initialStep, 2);
    await back.fit(x, y, { ...fitArgs, seed: undefined, initialEpoch: 2, callbacks: [es()] } as never);
    assert.deepEqual(bits(back), bits(full), 'same weights (the best restored at the real end) as the uninterrupted run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an abort after the last batch of an epoch completes that epoch (validation and onEpochEnd run)', async () => {
  const { x, y } = data(40, 1);
  const m = model();
  const ctrl = new AbortController();
  const rec = recorder(ctrl, 0, 4);
  await m.fit(x, y, { epochs: EPOCHS, batchSize: 8, seed: 1, verbose: 0, callbacks: [rec], signal: ctrl.signal });
  assert.deepEqual(rec.ends, [0]);
});

test('an old training-state file without nextStep still loads (step 0)', async () => {
  const m = model();
  const { x, y } = data(16, 3);
  await m.fit(x, y, { epochs: 1, batchSize: 8, seed: 2, verbose: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'regula-resume-old-'));
  try {
    await m.save(dir);
    const a = await loadModel(dir);
    assert.deepEqual(a.resumeInfo, { initialEpoch: 1, seed: 2, iterations: 2 });
    // The pre-generation layout: model.json names no training-state file; training-state.json is found by name and saveId.
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(j.userDefinedMetadata.regula.trainingState, 'training-state.json');
    delete j.userDefinedMetadata.regula.trainingState;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    const b = await loadModel(dir);
    assert.deepEqual(b.resumeInfo, { initialEpoch: 1, seed: 2, iterations: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
