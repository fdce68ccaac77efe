/**
 * A real generalization effect (issue 4, "Must show"): on datasets/digits.csv,
 * with a fixed seed and a fixed shuffled split (150 train / 300 validation /
 * 1347 test), the same over-parameterized MLP (64 → 128 → 128 → 10, ~26k
 * weights for 150 samples) is trained twice with Adam (lr 0.005, batch 32, up
 * to 60 epochs):
 *   - plain: no regularization;
 *   - regularized: L2(1e-4) on both hidden kernels + dropout 0.3 after each
 *     hidden layer + early stopping (patience 10, best weights restored).
 * The regularized model must end with a lower validation loss — both the
 * Keras loss (cross-entropy + penalties, as evaluate reports it) and the bare
 * cross-entropy — and a higher test accuracy. The numbers are printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers, regularizers, callbacks, optimizers } from '../../src/index.js';
import { digitsSplit } from '../../examples/digits.js';

interface Outcome {
  epochs: number;
  trainAcc: number;
  valLoss: number;
  valCrossEntropy: number;
  testAcc: number;
}

async function train(regularized: boolean): Promise<Outcome> {
  const d = digitsSplit(0, 150, 300);
  const reg = regularized ? { kernelRegularizer: regularizers.l2(1e-4) } : {};
  const model = new Sequential([
    layers.dense({ units: 128, activation: 'relu', inputShape: [64], ...reg }),
    ...(regularized ? [layers.dropout(0.3)] : []),
    layers.dense({ units: 128, activation: 'relu', ...reg }),
    ...(regularized ? [layers.dropout(0.3)] : []),
    layers.dense({ units: 10, activation: 'softmax' }),
  ], { seed: 1 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'sparseCategoricalCrossentropy'] });
  const cbs = regularized ? [callbacks.earlyStopping({ patience: 10, restoreBestWeights: true })] : [];
  const h = await model.fit(d.train.x, d.train.y, { epochs: 60, batchSize: 32, validationData: [d.val.x, d.val.y], callbacks: cbs, seed: 2, verbose: 0 });
  const val = model.evaluate(d.val.x, d.val.y);
  return {
    epochs: h.epoch.length,
    trainAcc: model.evaluate(d.train.x, d.train.y)['accuracy']!,
    valLoss: val['loss']!,
    valCrossEntropy: val['sparseCategoricalCrossentropy'] ?? val['sparse_categorical_crossentropy']!,
    testAcc: model.evaluate(d.test.x, d.test.y)['accuracy']!,
  };
}

test('dropout + L2 + early stopping lowers validation loss and raises test accuracy on digits', async (t) => {
  const plain = await train(false);
  const regd = await train(true);
  const line = (name: string, o: Outcome): string =>
    `${name}: epochs ${o.epochs}, train acc ${o.trainAcc.toFixed(4)}, val loss ${o.valLoss.toFixed(4)} (cross-entropy ${o.valCrossEntropy.toFixed(4)}), test acc ${o.testAcc.toFixed(4)}`;
  for (const l of [line('plain      ', plain), line('regularized', regd)]) t.diagnostic(l);
  assert.ok(Number.isFinite(plain.valCrossEntropy) && Number.isFinite(regd.valCrossEntropy), 'cross-entropy metric reported');
  assert.ok(regd.valLoss < plain.valLoss, `val loss: regularized ${regd.valLoss} < plain ${plain.valLoss}`);
  assert.ok(regd.valCrossEntropy < plain.valCrossEntropy, `val cross-entropy: regularized ${regd.valCrossEntropy} < plain ${plain.valCrossEntropy}`);
  assert.ok(regd.testAcc > plain.testAcc, `test accuracy: regularized ${regd.testAcc} > plain ${plain.testAcc}`);
  assert.ok(plain.trainAcc > 0.99, `the plain MLP fits its 150 training digits (train acc ${plain.trainAcc}): it has the capacity to overfit`);
});
