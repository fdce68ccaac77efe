/**
 * Sequential: shape inference and building, summary() (parameter counts equal
 * TF.js's for the same stack), weights get/set, getConfig/fromConfig, seeded
 * initialization, metric resolution ('accuracy' → binary / categorical /
 * sparse as Keras), the CallbackModel surface, History.bestEpoch and the
 * progress lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from '../../src/models/sequential.js';
import { layers } from '../../src/layers/index.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { progress, formatEpochLine } from '../../src/callbacks/progress.js';
import { History } from '../../src/callbacks/history.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { tfjs } from '../oracle/reg-helpers.js';

function convNet(seed = 0): Sequential {
  return new Sequential(
    [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 2] }),
      layers.batchNormalization(),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 5, activation: 'softmax' }),
    ],
    { seed },
  );
}

test('summary(): Keras table; per-layer and total / trainable / non-trainable counts equal TF.js', async () => {
  const tf = await tfjs();
  const m = convNet();
  const lines: string[] = [];
  const text = m.summary((l) => lines.push(l));
  assert.equal(lines.join('\n'), text);
  const t = tf.sequential({
    layers: [
      tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 2] }),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 5, activation: 'softmax' }),
    ],
  });
  const theirs: string[] = [];
  t.summary(undefined, undefined, (l: string) => theirs.push(l));
  const total = (s: string[], key: string): string => s.find((l) => l.startsWith(key))!.replace(/[^0-9]/g, '');
  for (const key of ['Total params', 'Trainable params', 'Non-trainable params']) assert.equal(total(text.split('\n'), key), total(theirs, key), key);
  m.layers.forEach((l, i) => assert.equal(l.countParams(), t.layers[i]!.countParams(), `${l.className} params`));
  assert.match(text, /^Model: "sequential(_\d+)?"\n_+\n Layer \(type\) +Output Shape +Param #\n=+\n conv1d(_\d+)? \(Conv1D\) +\(None, 8, 4\) +28\n/);
  assert.match(text, /\n batch_normalization(_\d+)? \(BatchNormalization\) +\(None, 8, 4\) +16\n/);
  assert.match(text, /\(None, 5\) +85\n=+\nTotal params: 129\nTrainable params: 121\nNon-trainable params: 8\n_+$/);
});

test('shapes are inferred from the first layer; models without an input shape build from data or explain', () => {
  const m = convNet();
  assert.deepEqual(m.outputShape, [null, 5]);
  assert.equal(m.weights.length, 8);
  assert.equal(m.trainableWeights.length, 6);
  const lazy = new Sequential([layers.dense({ units: 3 })]);
  assert.throws(() => lazy.summary(), /cannot infer shapes: the first layer has no inputShape/);
  assert.deepEqual(lazy.predict(tensor([[1, 2, 3, 4]])).shape, [1, 3]);
  assert.deepEqual(lazy.inputShape, [null, 4]);
  assert.throws(() => lazy.add(layers.dense({ units: 2, name: lazy.layers[0]!.name })), /already in the model; layer names must be unique/);
  lazy.add(layers.dense({ units: 2 }));
  assert.deepEqual(lazy.outputShape, [null, 2]);
  assert.throws(() => new Sequential().predict(tensor([[1]])), /the model has no layers/);
  assert.throws(() => lazy.add({} as never), /expected a Layer/);
});

test('seeded initialization: same seed → same weights, different seed → different; layer i uses split i', () => {
  const a = convNet(3).getWeights();
  const b = convNet(3).getWeights();
  const c = convNet(4).getWeights();
  a.forEach((w, i) => assertBitIdentical(w.data as Float32Array, b[i]!.data as Float32Array, `weight ${i}`));
  assert.notDeepEqual(Array.from(a[0]!.data), Array.from(c[0]!.data));
  // Adding layers one by one (eager build) initializes exactly like passing them all at once.
  const inc = new Sequential([], { seed: 3 });
  inc.add(layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 2] }));
  inc.add(layers.batchNormalization());
  inc.add(layers.maxPooling1d({ poolSize: 2 }));
  inc.add(layers.flatten());
  inc.add(layers.dropout({ rate: 0.2 }));
  inc.add(layers.dense({ units: 5, activation: 'softmax' }));
  inc.getWeights().forEach((w, i) => assertBitIdentical(w.data as Float32Array, a[i]!.data as Float32Array, `incremental weight ${i}`));
});

test('getWeights/setWeights and getConfig → JSON → fromConfig give the same predictions', () => {
  const m = convNet(5);
  const copy = Sequential.fromConfig(JSON.parse(JSON.stringify(m.getConfig())), { seed: 77 });
  const cfg = m.getConfig();
  assert.equal(cfg.layers.length, 6);
  assert.deepEqual(cfg.layers.map((l) => l.class_name), ['Conv1D', 'BatchNormalization', 'MaxPooling1D', 'Flatten', 'Dropout', 'Dense']);
  assert.equal(copy.name, m.name);
  copy.setWeights(m.getWeights());
  const x = tensor(Array.from({ length: 40 }, (_, i) => Math.sin(i)), [2, 10, 2]);
  assertBitIdentical(copy.predict(x).data as Float32Array, m.predict(x).data as Float32Array, 'predictions');
  assert.throws(() => copy.setWeights(m.getWeights().slice(1)), /the model has 8 weight arrays, got 7/);
  assert.throws(() => Sequential.fromConfig({ layers: [{ class_name: 'Lambda', config: {} }] }), /unknown layer class 'Lambda'/);
});

test("'accuracy' resolves as Keras: binary for one unit, sparse for index labels, categorical for one-hot; keys as written", () => {
  const x = tensor([[1, 0], [0, 1], [1, 1], [0, 0]]);
  const cases: [number, string, Tensor, string][] = [
    [1, 'binaryCrossentropy', tensor([[1], [0], [1], [0]]), 'BinaryAccuracy'],
    [3, 'sparseCategoricalCrossentropy', tensor([0, 2, 1, 0], [4], 'int32'), 'SparseCategoricalAccuracy'],
    [3, 'sparseCategoricalCrossentropy', tensor([[0], [2], [1], [0]]), 'SparseCategoricalAccuracy'],
    [3, 'categoricalCrossentropy', tensor([[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]), 'CategoricalAccuracy'],
  ];
  for (const [units, loss, y, cls] of cases) {
    for (const name of ['accuracy', 'acc']) {
      const m = new Sequential([layers.dense({ units, activation: units === 1 ? 'sigmoid' : 'softmax', inputShape: [2] })]);
      const extra = y.shape.length === 2 && y.shape[1] === units ? ['mse'] : [];
      m.compile({ optimizer: 'sgd', loss, metrics: [name, ...extra] });
      const r = m.evaluate(x, y);
      assert.deepEqual(Object.keys(r), ['loss', name, ...extra]);
      assert.equal(m.compiled!.current[0]!.className, cls, `${loss} ${y.shape}`);
      assert.equal(m.metricDirection(`val_${name}`), 'max');
      if (extra.length) assert.equal(m.metricDirection('mse'), 'min');
      assert.equal(m.metricDirection('val_loss'), 'min');
    }
  }
});

test('CallbackModel surface: learning rate get/set, stopTraining; History.bestEpoch', async () => {
  const m = new Sequential([layers.dense({ units: 1, inputShape: [1] })], { seed: 1 });
  assert.throws(() => m.getLearningRate(), /must be compiled first/);
  m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  assert.equal(m.getLearningRate(), 0.001);
  m.setLearningRate(0.5);
  assert.equal(m.optimizer!.learningRate, 0.5);
  const x = tensor([[0], [1], [2], [3]]);
  const y = tensor([[1], [3], [5], [7]]);
  const h = await m.fit(x, y, { epochs: 6, batchSize: 4, validationData: [x, y], verbose: 0 });
  assert.equal(m.history, h);
  assert.deepEqual(Object.keys(h.history), ['loss', 'mae', 'val_loss', 'val_mae']);
  const best = h.bestEpoch();
  const vals = h.history['val_loss']!;
  assert.equal(best.value, Math.min(...vals));
  assert.equal(best.epoch, vals.indexOf(best.value));
  assert.equal(best.logs['val_loss'], best.value);
  const hist = new History();
  hist.onTrainBegin();
  [0.5, 0.9, 0.7].forEach((v, e) => hist.onEpochEnd(e + 3, { val_accuracy: v, loss: 1 - v }));
  assert.deepEqual(hist.bestEpoch('val_accuracy'), { epoch: 4, value: 0.9, logs: { val_accuracy: 0.9, loss: 1 - 0.9 } });
  assert.equal(hist.bestEpoch('loss').epoch, 4);
  assert.equal(hist.bestEpoch('val_accuracy', 'min').epoch, 3);
  assert.throws(() => hist.bestEpoch('val_auc'), /no values for 'val_auc'; recorded keys: val_accuracy, loss/);
});

test('progress: verbose-2 style epoch lines through an injected print; Keras number format', async () => {
  assert.equal(formatEpochLine(2, 10, 0.1234, { loss: 0.43214, val_loss: 0.00012 }), 'Epoch 3/10 - 0.12s - loss: 0.4321 - val_loss: 1.2000e-04');
  const m = new Sequential([layers.dense({ units: 1, inputShape: [1] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const lines: string[] = [];
  await m.fit(tensor([[0], [1]]), tensor([[0], [1]]), { epochs: 3, verbose: 0, validationSplit: 0.5, callbacks: [progress({ verbose: 2, print: (l) => lines.push(l) })] });
  assert.equal(lines.length, 3);
  lines.forEach((l, i) => assert.match(l, new RegExp(`^Epoch ${i + 1}/3 - \\d+\\.\\d\\ds - loss: \\d\\.\\d{4}(e[-+]\\d\\d)? - val_loss: \\d\\.\\d{4}(e[-+]\\d\\d)?$`)));
});
