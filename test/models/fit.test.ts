/**
 * fit / evaluate / predict / trainOnBatch semantics (docs/semantics.md §8): learning a
 * separable problem, validationSplit = last fraction, callback order, running
 * and epoch logs, penalties in loss / val_loss / evaluate, stopTraining,
 * AbortSignal, NaN losses, determinism, and the input / label errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { layers } from '../../src/layers/index.js';
import type { Layer, Regularizer } from '../../src/layers/layer.js';
import type { Callback, Logs } from '../../src/callbacks/callback.js';
import { mul, sum, square, abs } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/create.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Rng } from '../../src/random.js';
import { optimizers } from '../../src/optimizers/index.js';
import { assertBitIdentical, assertClose } from '../helpers/assert-close.js';

/** Two Gaussian blobs, 3 classes, well separated; returned in class-sorted order. */
function blobs(n: number, seed: number): { x: Tensor; y: Tensor; yOneHot: Tensor } {
  const rng = new Rng(seed);
  const centers = [[2, 2], [-2, 2], [0, -2]];
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor((i * 3) / n);
    x.push(centers[c]![0]! + 0.4 * rng.normal(), centers[c]![1]! + 0.4 * rng.normal());
    y.push(c);
  }
  const oh = y.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
  return { x: tensor(x, [n, 2]), y: tensor(y, [n], 'int32'), yOneHot: tensor(oh, [n, 3]) };
}

/** A tiny inline regularizer: factor·Σw² (Keras L2 without importing it). */
function l2(factor: number): Regularizer {
  return { apply: (w: Tensor) => mul(sum(square(w)), factor), getConfig: () => ({ class_name: 'L2Inline', config: { l2: factor } }) };
}

function mlp(seed = 0, extra: Layer[] = []): Sequential {
  return new Sequential([new Dense({ units: 16, activation: 'relu', inputShape: [2] }), ...extra, new Dense({ units: 3, activation: 'softmax' })], { seed });
}

test('a tiny separable dataset reaches 100% train accuracy (sparse, categorical and binary)', async () => {
  const { x, y, yOneHot } = blobs(60, 1);
  const m = mlp(3);
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0, seed: 1 });
  assert.equal(h.history['accuracy']!.at(-1), 1);
  assert.equal(m.evaluate(x, y)['accuracy'], 1);
  assert.ok(h.history['loss']!.at(-1)! < h.history['loss']![0]!, 'loss decreased');
  const m2 = mlp(4);
  m2.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'categorical_crossentropy', metrics: ['acc'] });
  const h2 = await m2.fit(x, yOneHot, { epochs: 40, batchSize: 16, verbose: 0, seed: 2 });
  assert.equal(h2.history['acc']!.at(-1), 1);
  const yb = tensor(Array.from(y.data, (c) => (c === 0 ? 1 : 0)), [60, 1]);
  const m3 = new Sequential([new Dense({ units: 8, activation: 'tanh', inputShape: [2] }), new Dense({ units: 1, activation: 'sigmoid' })], { seed: 5 });
  m3.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy', 'auc'] });
  const h3 = await m3.fit(x, yb, { epochs: 40, batchSize: 16, verbose: 0, seed: 3 });
  assert.equal(h3.history['accuracy']!.at(-1), 1);
  assert.equal(m3.evaluate(x, yb)['auc'], 1);
});

test('validationSplit takes the last fraction before shuffling; val logs equal evaluate on it', async () => {
  const { x, y } = blobs(30, 2);
  const m = mlp(1);
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  let samples = -1;
  const spy: Callback = { setModel: (_m, p) => void (samples = p.samples) };
  const h = await m.fit(x, y, { epochs: 1, batchSize: 4, validationSplit: 0.2, verbose: 0, callbacks: [spy] });
  assert.equal(samples, 24, 'floor(30·0.8) training samples');
  const idx = Int32Array.from({ length: 6 }, (_, i) => 24 + i);
  const xv = new Tensor([6, 2], 'float32', Float32Array.from(Array.from(idx).flatMap((i) => [x.data[2 * i]!, x.data[2 * i + 1]!])));
  const yv = new Tensor([6], 'int32', Int32Array.from(idx, (i) => y.data[i]!));
  const ev = m.evaluate(xv, yv);
  // The last 6 rows are all class 2 (the data is sorted): Keras's footgun, reproduced.
  assert.deepEqual(Array.from(yv.data), [2, 2, 2, 2, 2, 2]);
  assertClose([h.history['val_loss']![0]!, h.history['val_accuracy']![0]!], [ev['loss']!, ev['accuracy']!], { rtol: 1e-6, label: 'val = evaluate(last 20%)' });
  await assert.rejects(m.fit(x, y, { validationSplit: 0.99, verbose: 0 }), /validationSplit 0.99 of 30 samples leaves no training samples/);
});

test('callbacks run in Keras order, user callbacks before History; stopTraining after a batch still ends the epoch', async () => {
  const { x, y } = blobs(10, 3);
  const m = mlp();
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const events: string[] = [];
  const rec: Callback = {
    onTrainBegin: () => void events.push('trainBegin'),
    onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
    onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
    onBatchEnd: (b) => void events.push(`batchEnd ${b}`),
    onEpochEnd: (e, logs) => {
      events.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`);
      logs['learning_rate'] = 0.01; // as ReduceLROnPlateau does: History (later in the list) records it
    },
    onTrainEnd: () => void events.push('trainEnd'),
  };
  const h = await m.fit(x, y, { epochs: 2, batchSize: 6, validationData: [x, y], verbose: 0, callbacks: [rec], shuffle: false });
  assert.deepEqual(events, [
    'trainBegin',
    'epochBegin 0', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 0 loss,val_loss',
    'epochBegin 1', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 1 loss,val_loss',
    'trainEnd',
  ]);
  assert.deepEqual(h.history['learning_rate'], [0.01, 0.01]);
  assert.deepEqual(h.epoch, [0, 1]);
  // stopTraining in onBatchEnd: the batch loop breaks, validation and onEpochEnd still run, then fit stops.
  const seen: string[] = [];
  const stopper: Callback = {
    setModel: (model) => void (stopModel = model),
    onBatchEnd: (b) => {
      seen.push(`b${b}`);
      if (b === 0) stopModel!.stopTraining = true;
    },
    onEpochEnd: (e) => void seen.push(`e${e}`),
  };
  let stopModel: { stopTraining: boolean } | undefined;
  const h2 = await m.fit(x, y, { epochs: 5, batchSize: 2, validationData: [x, y], verbose: 0, callbacks: [stopper] });
  assert.deepEqual(seen, ['b0', 'e0']);
  assert.deepEqual(h2.epoch, [0]);
  assert.ok(Number.isFinite(h2.history['val_loss']![0]!));
});

test('batch logs are running averages; epoch loss is the batch-size-weighted mean (partial last batch)', async () => {
  const { x, y } = blobs(10, 4);
  const m = mlp(2);
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const batchLogs: Logs[] = [];
  const h = await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, callbacks: [{ onBatchEnd: (_b, l) => void batchLogs.push({ ...l }) }] });
  // With lr 0 the weights never move, so per-batch losses are evaluate() on each slice.
  const slice = (a: number, b: number): [Tensor, Tensor] => [
    new Tensor([b - a, 2], 'float32', Float32Array.from(x.data.subarray(2 * a, 2 * b))),
    new Tensor([b - a], 'int32', Int32Array.from(y.data.subarray(a, b))),
  ];
  const l = [[0, 4], [4, 8], [8, 10]].map(([a, b]) => m.evaluate(...slice(a!, b!))['loss']!);
  const running = [l[0]!, (4 * l[0]! + 4 * l[1]!) / 8, (4 * l[0]! + 4 * l[1]! + 2 * l[2]!) / 10];
  assertClose(batchLogs.map((b) => b['loss']!), running, { rtol: 1e-6, label: 'running loss' });
  assertClose([h.history['loss']![0]!], [m.evaluate(x, y, { batchSize: 10 })['loss']!], { rtol: 1e-6, label: 'epoch loss' });
});

test('loss, val_loss and evaluate include weight and activity penalties (Keras ≥ 3.14)', async () => {
  const { x, y } = blobs(12, 5);
  const reg = (kernelRegularizer?: Regularizer, activityRegularizer?: Regularizer): Sequential =>
    new Sequential([new Dense({ units: 4, inputShape: [2], kernelRegularizer, activityRegularizer }), new Dense({ units: 3, activation: 'softmax' })], { seed: 7 });
  const plain = reg();
  const withL2 = reg(l2(0.1));
  for (const m of [plain, withL2]) m.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
  const kernel = plain.weights[0]!;
  const penalty = 0.1 * Array.from(kernel.data).reduce((s, v) => s + v * v, 0);
  const e0 = plain.evaluate(x, y)['loss']!;
  const e1 = withL2.evaluate(x, y)['loss']!;
  assertClose([e1 - e0], [penalty], { rtol: 1e-5, label: 'evaluate penalty' });
  assert.equal(withL2.losses.length, 1);
  assertClose([withL2.losses[0]!.item()], [penalty], { rtol: 1e-6, label: 'model.losses' });
  const h = await withL2.fit(x, y, { epochs: 1, batchSize: 12, validationData: [x, y], verbose: 0 });
  assertClose([h.history['loss']![0]!, h.history['val_loss']![0]!], [e1, e1], { rtol: 1e-6, label: 'loss and val_loss include the penalty' });
  // Activity penalty: L1 of the layer output, divided by the batch size, computed in evaluate (training=false).
  const act: Regularizer = { apply: (t: Tensor) => mul(sum(abs(t)), 0.5), getConfig: () => ({ class_name: 'L1Inline', config: {} }) };
  const withAct = reg(undefined, act);
  withAct.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const hidden = new Sequential([new Dense({ units: 4, inputShape: [2] })], { seed: 7 });
  const h1 = hidden.predict(x);
  const actPenalty = (0.5 * Array.from(h1.data).reduce((s, v) => s + Math.abs(v), 0)) / 12;
  assertClose([withAct.evaluate(x, y, { batchSize: 12 })['loss']! - e0], [actPenalty], { rtol: 1e-5, label: 'activity penalty / batch' });
});

test('Dense(5) with kernel L1(0.01) + activity L2(0.01) on 2·ones(5,5): Σ model.losses = 5.25 (spec worked example)', () => {
  const l1 = (f: number): Regularizer => ({ apply: (w) => mul(sum(abs(w)), f), getConfig: () => ({ class_name: 'L1', config: { l1: f } }) });
  const m = new Sequential([new Dense({ units: 5, inputShape: [5], kernelInitializer: 'ones', kernelRegularizer: l1(0.01), activityRegularizer: l2(0.01) })]);
  m.apply(tensor(new Array(25).fill(2), [5, 5]));
  assertClose([m.losses.reduce((s, t) => s + t.item(), 0)], [5.25], { rtol: 1e-6 });
});

test('stopTraining from onEpochEnd, AbortSignal, and NaN losses (which do not stop training)', async () => {
  const { x, y } = blobs(8, 6);
  const m = mlp();
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  let target: { stopTraining: boolean } | undefined;
  const h = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [{ setModel: (mm) => void (target = mm), onEpochEnd: (e) => void (e === 2 && (target!.stopTraining = true)) }] });
  assert.deepEqual(h.epoch, [0, 1, 2]);
  const ac = new AbortController();
  const h2 = await m.fit(x, y, { epochs: 10, batchSize: 2, verbose: 0, signal: ac.signal, callbacks: [{ onBatchEnd: (b) => void (b === 1 && ac.abort()) }] });
  assert.deepEqual(h2.epoch, [0], 'aborted during epoch 0: the partial epoch is logged, no more epochs');
  // A timer scheduled before fit can abort it: fit yields to the event loop between batches.
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 0);
  const h3 = await m.fit(x, y, { epochs: 100000, batchSize: 8, verbose: 0, signal: ac2.signal });
  assert.ok(h3.epoch.length < 100000, `stopped after ${h3.epoch.length} epochs`);
  const nanModel = mlp();
  nanModel.compile({ optimizer: 'sgd', loss: (_yt: Tensor, yp: Tensor) => mul(yp, NaN) });
  const h4 = await nanModel.fit(x, tensor(new Array(24).fill(0), [8, 3]), { epochs: 3, verbose: 0 });
  assert.deepEqual(h4.epoch, [0, 1, 2]);
  assert.ok(h4.history['loss']!.every(Number.isNaN));
});

test('determinism: two fits with the same seeds give bit-identical weights and history (dropout included)', async () => {
  const { x, y } = blobs(40, 7);
  const run = async (): Promise<{ w: Float32Array[]; loss: number[] }> => {
    const m = mlp(11, [layers.dropout({ rate: 0.3 })]);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0, seed: 5 });
    return { w: m.getWeights().map((t) => t.data as Float32Array), loss: [...h.history['loss']!, ...h.history['val_loss']!] };
  };
  const a = await run();
  const b = await run();
  a.w.forEach((w, i) => assertBitIdentical(w, b.w[i]!, `weight ${i}`));
  assert.deepEqual(a.loss, b.loss);
  // fit 4 epochs ≡ fit 2 + fit({initialEpoch: 2}) (same optimizer, same seed).
  const full = mlp(12, [layers.dropout({ rate: 0.3 })]);
  const split = mlp(12, [layers.dropout({ rate: 0.3 })]);
  for (const m of [full, split]) m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await full.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, seed: 9 });
  await split.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, seed: 9 });
  await split.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0, seed: 9 });
  full.getWeights().forEach((w, i) => assertBitIdentical(w.data as Float32Array, split.getWeights()[i]!.data as Float32Array, `resumed weight ${i}`));
});

test('trainOnBatch equals one full-batch fit step; predict is the same in any batch size', async () => {
  const { x, y } = blobs(20, 8);
  const a = mlp(13);
  const b = mlp(13);
  for (const m of [a, b]) m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const logs = a.trainOnBatch(x, y);
  await b.fit(x, y, { epochs: 1, batchSize: 20, shuffle: false, verbose: 0 });
  assert.deepEqual(Object.keys(logs), ['loss', 'accuracy']);
  a.getWeights().forEach((w, i) => assertBitIdentical(w.data as Float32Array, b.getWeights()[i]!.data as Float32Array, `weight ${i}`));
  const p1 = a.predict(x, { batchSize: 3 });
  const p2 = a.predict(x, { batchSize: 100 });
  assert.deepEqual(p1.shape, [20, 3]);
  assertBitIdentical(p1.data as Float32Array, p2.data as Float32Array, 'predict batching');
});

test('sampleWeight and classWeight weight the loss as Keras does', async () => {
  const { x, y } = blobs(9, 9);
  const m = mlp(14);
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
  const w = tensor([1, 1, 1, 0, 0, 0, 2, 2, 2]);
  const weighted = m.evaluate(x, y, { sampleWeight: w, batchSize: 9 })['loss']!;
  const per = m.predict(x);
  let s = 0;
  for (let i = 0; i < 9; i++) s += w.data[i]! * -Math.log(Math.min(Math.max(per.data[3 * i + y.data[i]!]!, 1e-7), 1 - 1e-7));
  assertClose([weighted], [s / 9], { rtol: 1e-5, label: 'sum(w·l)/n' });
  const h = await m.fit(x, y, { classWeight: { 0: 1, 1: 0, 2: 2 }, batchSize: 9, shuffle: false, verbose: 0 });
  assertClose([h.history['loss']![0]!], [weighted], { rtol: 1e-6, label: 'classWeight ≡ per-sample weights' });
  await assert.rejects(m.fit(x, y, { classWeight: { 0: 1 }, verbose: 0 }), /classWeight has no entry for class 1/);
  await assert.rejects(m.fit(x, y, { classWeight: { 0: 1 }, sampleWeight: w, verbose: 0 }), /classWeight or sampleWeight, not both/);
});

test('bad inputs and label/loss mismatches raise errors naming the problem', async () => {
  const { x, y, yOneHot } = blobs(6, 10);
  const m = mlp();
  await assert.rejects(m.fit(x, y, { verbose: 0 }), /fit: the model must be compiled first/);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await assert.rejects(m.fit(x, tensor([0, 1, 2], [3], 'int32'), { verbose: 0 }), /fit: x has 6 samples \(shape \[6,2\]\) but y has 3 \(shape \[3\]\)/);
  await assert.rejects(m.fit(tensor(new Array(18).fill(0), [6, 3]), y, { verbose: 0 }), /fit: x has shape \[6,3\] but the model expects input shape \[null,2\]/);
  await assert.rejects(m.fit(tensor([1, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [6, 2]), y, { verbose: 0 }), /fit: x contains NaN at row 0/);
  await assert.rejects(m.fit(x, tensor([0, 1, 2, 3, 0, 1], [6], 'int32'), { verbose: 0 }), /class label 3 at index 3 is not an integer in \[0, 3\)/);
  await assert.rejects(m.fit(x, yOneHot, { verbose: 0 }), /these look one-hot; use categoricalCrossentropy/);
  await assert.rejects(m.fit([[1, 2]] as never, y, { verbose: 0 }), /fit: x must be a Tensor \(wrap arrays with tensor\(\)\), got an array/);
  await assert.rejects(m.fit(x, y, { epochs: 0, verbose: 0 }), /epochs must be an integer ≥ 1, got 0/);
  await assert.rejects(m.fit(x, y, { batchSize: 2.5, verbose: 0 }), /batchSize must be a positive integer, got 2.5/);
  const c = mlp();
  c.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await assert.rejects(c.fit(x, y, { verbose: 0 }), /look like class indices but the model outputs \[null,3\]; use sparseCategoricalCrossentropy/);
  assert.throws(() => c.evaluate(x, tensor(new Array(12).fill(0), [6, 2])), /labels of shape \[6,2\] do not match the model output shape \[null,3\]/);
  assert.throws(() => c.compile({ optimizer: 'adamax', loss: 'mse' }), /unknown optimizer 'adamax'/);
  assert.throws(() => c.compile({ optimizer: 'adam', loss: 'msle' }), /unknown loss 'msle'/);
  assert.throws(() => c.compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1'] }), /unknown metric 'f1'; known: accuracy/);
  assert.throws(() => c.predict(tensor([1, 2, 3], [1, 3])), /predict: x has shape \[1,3\] but the model expects input shape \[null,2\]/);
});
