/**
 * The silent traps a TF.js program fell into (issue 15), each now loud or
 * fixed: unseeded random ops that repeated themselves, fit/evaluate/predict/
 * compile options that were ignored, callbacks given as one object of hooks,
 * and monitoring TF.js's 'acc' when the logs say 'accuracy'.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callbacks, layers, randomNormal, randomUniform, Sequential, setSeed, tensor, truncatedNormal } from '../../src/index.js';

const eq = (a: { data: ArrayLike<number> }, b: { data: ArrayLike<number> }): boolean => Array.from(a.data).every((v, i) => Object.is(v, b.data[i]));

test('random ops without a seed draw fresh values from a global generator that setSeed makes reproducible', () => {
  setSeed(5);
  const a1 = randomNormal([4]);
  const a2 = randomNormal([4]);
  const u = randomUniform([3]);
  const t = truncatedNormal([3]);
  assert.ok(!eq(a1, a2), 'two unseeded calls differ');
  setSeed(5);
  assert.ok(eq(randomNormal([4]), a1));
  assert.ok(eq(randomNormal([4]), a2));
  assert.ok(eq(randomUniform([3]), u));
  assert.ok(eq(truncatedNormal([3]), t));
  // An explicit seed is unaffected by the global generator.
  assert.ok(eq(randomNormal([4], { seed: 9 }), randomNormal([4], { seed: 9 })));
  assert.throws(() => setSeed(1.5), /setSeed: seed must be an integer/);
});

function tiny(): Sequential {
  const m = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })], { seed: 1 });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
const x = tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
const y = tensor([0, 1, 1, 0], [4], 'int32');

test('fit, evaluate, predict, trainOnBatch and compile reject unknown options with the nearest name', async () => {
  const m = tiny();
  await assert.rejects(m.fit(x, y, { epoch: 5, verbose: 0 } as never), /fit: unknown option 'epoch' \(did you mean 'epochs'\?\)/);
  await assert.rejects(m.fit(x, y, { validation_split: 0.2, verbose: 0 } as never), /fit: unknown option 'validation_split' \(did you mean 'validationSplit'\?\)/);
  await assert.rejects(m.fit(x, y, { validationFreq: 2, verbose: 0 } as never), /fit: option 'validationFreq' is not supported: fit validates after every epoch/);
  assert.throws(() => m.evaluate(x, y, { batchsize: 2 } as never), /evaluate: unknown option 'batchsize' \(did you mean 'batchSize'\?\)/);
  assert.throws(() => m.predict(x, { batch_size: 2 } as never), /predict: unknown option 'batch_size' \(did you mean 'batchSize'\?\)/);
  assert.throws(() => m.trainOnBatch(x, y, { sampleweight: tensor([1, 1, 1, 1]) } as never), /trainOnBatch: unknown option 'sampleweight' \(did you mean 'sampleWeight'\?\)/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] } as never), /compile: unknown option 'metric'.*did you mean 'metrics'/);
  // TF.js's verbose on evaluate/predict is accepted.
  assert.equal(m.predict(x, { verbose: 0 }).shape[0], 4);
  assert.ok(Number.isFinite(m.evaluate(x, y, { verbose: 0 })['loss']!));
});

test('callbacks may be one object of hooks, as every TF.js example writes them', async () => {
  const m = tiny();
  const seen: number[] = [];
  await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: { onEpochEnd: (e) => void seen.push(e) } });
  assert.deepEqual(seen, [0, 1, 2]);
  await assert.rejects(m.fit(x, y, { verbose: 0, callbacks: 3 as never }), /fit: callbacks must be a list of callbacks or an object of hooks/);
});

test("monitoring TF.js's 'val_acc' when the logs say 'val_accuracy' is an error naming the key to use", async () => {
  const m = tiny();
  const es = callbacks.earlyStopping({ monitor: 'val_acc', mode: 'max', patience: 1 });
  await assert.rejects(m.fit(x, y, { epochs: 3, verbose: 0, validationData: [x, y], callbacks: [es] }), /EarlyStopping: monitor 'val_acc' is not in the logs, which have 'val_accuracy'.*use monitor: 'val_accuracy'/);
  // And the reverse: compiled as 'acc', monitored as 'accuracy'.
  const m2 = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })], { seed: 1 });
  m2.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['acc'] });
  const es2 = callbacks.earlyStopping({ monitor: 'accuracy', mode: 'max', patience: 1 });
  await assert.rejects(m2.fit(x, y, { epochs: 2, verbose: 0, callbacks: [es2] }), /use monitor: 'acc'/);
});
