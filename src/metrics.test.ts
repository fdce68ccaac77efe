/**
 * Streaming metrics: values against hand computations and the Keras
 * docstring examples (AUC with 3 thresholds = 0.75), sample weights,
 * reset, streaming over batches ≡ one batch, names and errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUC, Mean, getMetric, metrics } from './metrics.js';
import { tensor } from './tensor/create.js';
import { Rng } from './random.js';
import { assertClose } from '../test/helpers/assert-close.js';

test('AUC: the Keras docstring example (3 thresholds → 0.75) and sample weights', () => {
  const m = new AUC({ numThresholds: 3 });
  m.update(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]));
  assert.equal(m.result(), 0.75);
  // Keras docstring, weighted: sample_weight [1, 0, 0, 1] → 1.0.
  m.reset();
  m.update(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]), tensor([1, 0, 0, 1]));
  assert.equal(m.result(), 1);
  m.reset();
  assert.equal(m.result(), 0);
});

test('AUC with 200 thresholds equals the exact (Mann–Whitney) AUC when scores fall in distinct buckets; streaming ≡ one batch', () => {
  const rng = new Rng(3);
  const n = 60;
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(i % 3 === 0 ? 1 : 0);
    scores.push((i + 0.5) / n * 0.99 + 0.002); // distinct buckets of width 1/199
  }
  rng.shuffle(scores);
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (labels[i] === 1 && labels[j] === 0) {
    pairs++;
    wins += scores[i]! > scores[j]! ? 1 : 0;
  }
  const whole = metrics.auc();
  whole.update(tensor(labels, [n, 1]), tensor(scores, [n, 1]));
  assertClose([whole.result()], [wins / pairs], { rtol: 1e-9, label: 'auc vs exact' });
  const streamed = metrics.auc();
  for (let s = 0; s < n; s += 7) streamed.update(tensor(labels.slice(s, s + 7)), tensor(scores.slice(s, s + 7)));
  assert.equal(streamed.result(), whole.result());
  assert.throws(() => metrics.auc().update(tensor([1]), tensor([1.5])), /predictions must be probabilities in \[0, 1\], got 1.5.*fromLogits/);
  const logits = metrics.auc({ fromLogits: true });
  logits.update(tensor([0, 1]), tensor([-3, 2]));
  assert.equal(logits.result(), 1);
});

test('accuracies, mse and mae: weighted running means over batches', () => {
  const bin = metrics.binaryAccuracy();
  bin.update(tensor([[1], [0], [1]]), tensor([[0.7], [0.6], [0.2]]));
  bin.update(tensor([[0]]), tensor([[0.1]]));
  assert.equal(bin.result(), 0.5);
  const thr = metrics.binaryAccuracy({ threshold: 0.65 });
  thr.update(tensor([[1], [0]]), tensor([[0.7], [0.6]]));
  assert.equal(thr.result(), 1);
  const cat = metrics.categoricalAccuracy();
  cat.update(tensor([[0, 1, 0], [1, 0, 0]]), tensor([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1]]), tensor([3, 1]));
  assert.equal(cat.result(), 0.75);
  const sparse = metrics.sparseCategoricalAccuracy();
  sparse.update(tensor([1, 0], [2], 'int32'), tensor([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1]]));
  sparse.update(tensor([[2]]), tensor([[0, 0, 1]]));
  assertClose([sparse.result()], [2 / 3], { rtol: 1e-12 });
  const mse = metrics.meanSquaredError();
  mse.update(tensor([[1, 2], [3, 4]]), tensor([[1, 1], [1, 1]]));
  assert.equal(mse.result(), (0 + 1 + 4 + 9) / 4);
  const mae = metrics.meanAbsoluteError();
  mae.update(tensor([[1, 2], [3, 4]]), tensor([[1, 1], [1, 1]]), tensor([1, 3]));
  assert.equal(mae.result(), (0.5 * 1 + 2.5 * 3) / 4);
  const mean = new Mean();
  mean.updateState([1, 2, 3], [1, 1, 2]);
  assert.equal(mean.result(), 9 / 4);
});

test('names: user spelling is the log key; unknown names list the known ones', () => {
  assert.equal(getMetric('mse').name, 'mse');
  assert.equal(getMetric('mean_absolute_error').className, 'MeanAbsoluteError');
  assert.equal(getMetric('binary_accuracy').name, 'binary_accuracy');
  assert.equal(getMetric('AUC').className, 'AUC');
  assert.equal(getMetric('sparse_categorical_crossentropy').direction, 'min');
  assert.equal(getMetric('accuracy', { yTrue: [4], yPred: [null, 3] }).className, 'SparseCategoricalAccuracy');
  assert.throws(() => getMetric('accuracy'), /resolved from the label and output shapes/);
  assert.throws(() => getMetric('precision'), /unknown metric 'precision'; known: accuracy \(acc\)/);
  assert.deepEqual(metrics.auc().getConfig(), { class_name: 'AUC', config: { name: 'auc', dtype: 'float32', num_thresholds: 200, curve: 'ROC', summation_method: 'interpolation', multi_label: false, from_logits: false } });
});
