/**
 * Model-level save/load: round trips (predictions bit for bit), weights-only,
 * in-memory artifacts, exact resume of fit, atomic failure, and the
 * model-level rejections (unknown layer class, malformed functional topology).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Sequential,
  layers,
  loadModel,
  toArtifacts,
  fromArtifacts,
  regularizers,
  constraints,
  callbacks,
  registerCustomObject,
  tensor,
  Tensor,
  Rng,
  ModelFormatError,
  mul,
  sum,
  square,
} from '../index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'regula-save-'));

function data(n: number, steps: number, ch: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const xs = new Float32Array(n * steps * ch);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.normal();
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) ys[i] = xs[i * steps * ch]! > 0 ? 1 : 0;
  return { x: new Tensor([n, steps, ch], 'float32', xs), y: new Tensor([n], 'int32', ys) };
}

function convModel(seed = 3): Sequential {
  return new Sequential(
    [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 2], kernelRegularizer: regularizers.l2(1e-3), kernelConstraint: constraints.maxNorm({ maxValue: 2 }) }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.batchNormalization(),
      layers.flatten(),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 5, activation: 'tanh' }),
      layers.dropout({ rate: 0.2, seed: 11 }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
    { seed },
  );
}

const bits = (t: Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.data).buffer));

test('round trip through a directory: same config, weights and predictions bit for bit', async () => {
  const { x, y } = data(24, 8, 2, 1);
  const m = convModel();
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await m.fit(x, y, { epochs: 2, batchSize: 8, seed: 5, verbose: 0 }); // moves BN moving stats too
  const dir = tmp();
  await m.save(dir);
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['group1-shard1of1.bin', 'model.json', 'training-state.bin', 'training-state.json']);
  const m2 = await loadModel(dir);
  assert.deepEqual(m2.getConfig(), m.getConfig());
  assert.equal(m2.weights.length, m.weights.length);
  m.weights.forEach((w, i) => {
    assert.equal(m2.weights[i]!.name, w.name);
    assert.deepEqual(bits(m2.weights[i]!), bits(w));
  });
  assert.deepEqual(bits(m2.predict(x)), bits(m.predict(x)));
  // Regularizer and constraint configs survive (TF.js L1L2 / MaxNorm forms).
  const conv = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology.config.layers[0].config) as Record<string, unknown>;
  assert.deepEqual(conv['kernel_regularizer'], { class_name: 'L1L2', config: { l1: 0, l2: 1e-3 } });
  assert.equal((conv['kernel_constraint'] as { class_name: string }).class_name, 'MaxNorm');
  // Compiled and ready: same evaluation.
  assert.deepEqual(m2.evaluate(x, y), m.evaluate(x, y));
});

test('an unbuilt model cannot be saved (clear error)', async () => {
  const m = new Sequential([layers.dense({ units: 2 })]);
  await assert.rejects(m.save(tmp()), /not built, so it has no weights yet/);
});

test('weights only: saveWeights / loadWeights into a fresh model of the same architecture', async () => {
  const a = convModel(3);
  const b = convModel(4);
  const { x } = data(6, 8, 2, 2);
  assert.notDeepEqual(bits(a.predict(x)), bits(b.predict(x)));
  const dir = tmp();
  await a.saveWeights(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['weights-shard1of1.bin', 'weights.json']);
  // Layer names differ between the two models (unique names), so match by position is not used: rename-safe load needs same names.
  const c = Sequential.fromConfig(a.getConfig());
  c.build();
  await c.loadWeights(dir);
  assert.deepEqual(bits(c.predict(x)), bits(a.predict(x)));
  await assert.rejects(b.loadWeights(dir), /has no weight for '.*'/);
  await assert.rejects(loadModel(dir), /holds a weights-only save/);
  // loadWeights also reads a full save's model.json.
  const full = tmp();
  await a.save(full);
  const d = Sequential.fromConfig(a.getConfig());
  await d.loadWeights(full);
  assert.deepEqual(bits(d.predict(x)), bits(a.predict(x)));
});

test('in-memory artifacts round trip (browser path), training state included', async () => {
  const m = convModel();
  m.compile({ optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy' });
  const { x, y } = data(16, 8, 2, 3);
  await m.fit(x, y, { epochs: 1, batchSize: 8, seed: 2, verbose: 0 });
  const a = toArtifacts(m);
  assert.equal(a.format, 'layers-model');
  assert.ok(a.weightData instanceof ArrayBuffer);
  assert.ok(a.trainingState);
  const m2 = fromArtifacts(a);
  assert.deepEqual(bits(m2.predict(x)), bits(m.predict(x)));
  assert.equal(m2.optimizer!.className, 'RMSprop');
  assert.equal(m2.optimizer!.iterations, 2);
  assert.deepEqual(m2.resumeInfo, { initialEpoch: 1, seed: 2, iterations: 2 });
  const bare = fromArtifacts(a, { trainingState: 'ignore' });
  assert.equal(bare.compiled, undefined);
  assert.deepEqual(bits(bare.predict(x)), bits(m.predict(x)));
});

test('resume: fit 10 epochs ≡ fit 5, save with training state, load, fit 5 more (bit for bit)', async () => {
  const { x, y } = data(40, 8, 2, 7);
  const make = (): Sequential => {
    const m = convModel(21);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  };
  const fitArgs = { batchSize: 8, seed: 9, verbose: 0 as const, validationSplit: 0.2 };
  const esA = callbacks.earlyStopping({ monitor: 'val_loss', patience: 50 });
  const full = make();
  const hFull = await full.fit(x, y, { ...fitArgs, epochs: 10, callbacks: [esA] });

  const first = make();
  const esB = callbacks.earlyStopping({ monitor: 'val_loss', patience: 50 });
  await first.fit(x, y, { ...fitArgs, epochs: 5, callbacks: [esB] });
  const dir = tmp();
  await first.save(dir);
  const resumed = await loadModel(dir);
  assert.deepEqual(resumed.resumeInfo, { initialEpoch: 5, seed: 9, iterations: 20 });
  const esC = callbacks.earlyStopping({ monitor: 'val_loss', patience: 50 });
  const hRes = await resumed.fit(x, y, { ...fitArgs, epochs: 10, initialEpoch: resumed.resumeInfo!.initialEpoch, callbacks: [esC] });

  assert.equal(resumed.optimizer!.iterations, full.optimizer!.iterations);
  full.weights.forEach((w, i) => assert.deepEqual(bits(resumed.weights[i]!), bits(w), `weight ${w.name} differs after resume`));
  assert.deepEqual(hRes.history['loss'], hFull.history['loss']!.slice(5));
  assert.deepEqual(hRes.history['val_loss'], hFull.history['val_loss']!.slice(5));
  // EarlyStopping's best/wait continued from the saved state.
  assert.deepEqual(esC.getState().best, esA.getState().best);
  assert.equal(esC.getState().wait, esA.getState().wait);
});

test('resume: without a seed, fit at the saved epoch continues the saved seed', async () => {
  const { x, y } = data(24, 8, 2, 3);
  const make = (): Sequential => {
    const m = convModel(5);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    return m;
  };
  const full = make();
  await full.fit(x, y, { epochs: 4, batchSize: 8, seed: 13, verbose: 0 });
  const first = make();
  await first.fit(x, y, { epochs: 2, batchSize: 8, seed: 13, verbose: 0 });
  const dir = tmp();
  await first.save(dir);
  const resumed = await loadModel(dir);
  await resumed.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, initialEpoch: 2 });
  full.weights.forEach((w, i) => assert.deepEqual(bits(resumed.weights[i]!), bits(w), `weight ${w.name} differs after resume`));
});

test('resume without training state differs (the state matters)', async () => {
  const { x, y } = data(24, 8, 2, 7);
  const mk = (): Sequential => {
    const m = convModel(21);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    return m;
  };
  const full = mk();
  await full.fit(x, y, { epochs: 4, batchSize: 8, seed: 9, verbose: 0 });
  const half = mk();
  await half.fit(x, y, { epochs: 2, batchSize: 8, seed: 9, verbose: 0 });
  const dir = tmp();
  await half.save(dir, { includeOptimizer: false });
  assert.ok(!readdirSync(dir).includes('training-state.json'));
  const bare = await loadModel(dir);
  bare.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await bare.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, seed: 9, verbose: 0 });
  assert.notDeepEqual(bits(bare.weights[0]!), bits(full.weights[0]!));
});

test('ModelCheckpoint saves resumable directories during fit', async () => {
  const { x, y } = data(24, 8, 2, 4);
  const root = tmp();
  const m = convModel(5);
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const ckpt = callbacks.modelCheckpoint({ filepath: join(root, 'ckpt-{epoch:02d}'), monitor: 'loss' });
  await m.fit(x, y, { epochs: 3, batchSize: 8, seed: 1, verbose: 0, callbacks: [ckpt] });
  assert.deepEqual(readdirSync(root).sort(), ['ckpt-01', 'ckpt-02', 'ckpt-03']);
  const c2 = await loadModel(join(root, 'ckpt-02'));
  assert.deepEqual(c2.resumeInfo, { initialEpoch: 2, seed: 1, iterations: 6 });
  const c3 = await loadModel(join(root, 'ckpt-03'));
  assert.deepEqual(bits(c3.predict(x)), bits(m.predict(x)));
});

test('atomic: a save that fails (unregistered custom regularizer) leaves the older model.json intact', async () => {
  const dir = tmp();
  const good = convModel();
  await good.save(dir);
  const before = readFileSync(join(dir, 'model.json'), 'utf8');
  const filesBefore = readdirSync(dir).sort();
  const smooth = (w: Tensor): Tensor => mul(sum(square(w)), 1e-3);
  const bad = new Sequential([layers.dense({ units: 2, inputShape: [3], kernelRegularizer: smooth })]);
  await assert.rejects(bad.save(dir), /smooth/);
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), before);
  assert.deepEqual(readdirSync(dir).sort(), filesBefore);
  // Registered, it saves and loads back to the same function.
  registerCustomObject('smoothPenalty', smooth);
  await bad.save(dir);
  const back = await loadModel(dir);
  const x = tensor([[1, 2, 3]]);
  assert.deepEqual(bits(back.predict(x)), bits(bad.predict(x)));
  assert.equal(back.losses.length, 1);
  assert.equal(back.losses[0]!.item(), bad.losses[0]!.item());
});

test('unknown layer class: error names it and lists known classes', async () => {
  const dir = tmp();
  await new Sequential([layers.dense({ units: 2, inputShape: [3] })]).save(dir);
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  j.modelTopology.config.layers[0].class_name = 'ConvLSTM2D';
  writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
  await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelFormatError && /model.json: layer 0 has unknown class 'ConvLSTM2D'; known layer classes: .*Conv1D.*Dense/.test(e.message));
});

test('a malformed functional topology is refused naming the file and the path', async () => {
  const a = {
    modelTopology: { class_name: 'Model', config: { name: 'f', layers: [], input_layers: [], output_layers: [] } },
    weightSpecs: [],
    weightData: new ArrayBuffer(0),
  };
  assert.throws(() => fromArtifacts(a), (e: Error) => e instanceof ModelFormatError && /^artifacts: modelTopology\.config\.layers must be a non-empty array/.test(e.message));
});

test('a saved weight with the wrong shape is refused before any weight is assigned', async () => {
  const m = new Sequential([layers.dense({ units: 2, inputShape: [3], name: 'dd' })]);
  const a = toArtifacts(m);
  a.weightSpecs = a.weightSpecs!.map((s) => (s.name === 'dd/kernel' ? { ...s, shape: [2, 3] } : s));
  assert.throws(() => fromArtifacts(a), /weight 'dd\/kernel' has shape \[2,\s?3\] in the file but \[3,\s?2\] in the model/);
});

test('a user-function loss: default save omits the training state, explicit includeOptimizer fails clearly', async () => {
  const m = new Sequential([layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: (yTrue: Tensor, yPred: Tensor) => mul(sum(square(yPred)), 0.5) });
  const dir = tmp();
  await m.save(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
  await assert.rejects(m.save(tmp(), { includeOptimizer: true }), /the loss '.*' is a user function and cannot be saved; save with \{includeOptimizer: false\}/);
});
