/**
 * Tutorial snippet 1 — L2 on the weights and on the activations of a Dense layer:
 *
 *   model.add(Dense(256, W_regularizer=l2(0.01), activity_regularizer=activity_l2(0.05)))
 *
 * Trains that layer (relu, then a softmax head) on 500 digits next to an
 * unregularized twin, and checks that the penalties do what they say: smaller
 * weights, smaller activations, and a reported weight penalty equal to
 * 0.01·Σw². Run: `node --import tsx examples/weight-regularization.ts`.
 */
import { Sequential, layers, regularizers, regularizationReport, ops } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check, meanSquare } from './check.js';

const data = digitsSplit(0, 500, 300);

async function train(regularized: boolean): Promise<Sequential> {
  const model = new Sequential([
    // Keras-1 spellings are accepted as documented aliases: input_dim, W_regularizer.
    regularized
      ? layers.dense({ units: 256, input_dim: 64, activation: 'relu', W_regularizer: regularizers.l2(0.01), activityRegularizer: regularizers.activityL2(0.05) })
      : layers.dense({ units: 256, input_dim: 64, activation: 'relu' }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ], { seed: 1 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(data.train.x, data.train.y, { epochs: 10, batchSize: 32, seed: 2, verbose: 0 });
  return model;
}

const plain = await train(false);
const regd = await train(true);
const sq = (m: Sequential): number => Array.from(m.layers[0]!.getWeights()[0]!.data).reduce((s, v) => s + v * v, 0);
const act = (m: Sequential): number => meanSquare(ops.relu(ops.add(ops.matmul(data.test.x, m.layers[0]!.getWeights()[0]!), m.layers[0]!.getWeights()[1]!)).data);
const acc = (m: Sequential): number => m.evaluate(data.test.x, data.test.y)['accuracy']!;

console.log(`sum of squared kernel weights: plain ${sq(plain).toFixed(2)}, regularized ${sq(regd).toFixed(2)}`);
console.log(`mean squared hidden activation: plain ${act(plain).toFixed(4)}, regularized ${act(regd).toFixed(4)}`);
console.log(`test accuracy: plain ${acc(plain).toFixed(4)}, regularized ${acc(regd).toFixed(4)}`);
const [row] = regularizationReport(regd, { x: data.test.x });
console.log(`regularizationReport: kernel penalty ${row!.weightPenalty.toFixed(4)}, activity penalty ${row!.activityPenalty.toFixed(4)} (${row!.regularization})`);

check(sq(regd) < 0.5 * sq(plain), 'l2(0.01) keeps the kernel at less than half the squared norm');
check(act(regd) < act(plain), 'activityL2(0.05) shrinks the hidden activations');
check(Math.abs(row!.weightPenalty - 0.01 * sq(regd)) <= 1e-4 * row!.weightPenalty, 'the reported kernel penalty is 0.01·Σw²');
check(row!.activityPenalty > 0, 'the activity penalty is measured on a forward pass');
check(acc(regd) > 0.85, 'the regularized model still learns the digits');
