/**
 * Tutorial snippet 3 — Dropout after a Dense layer:
 *
 *   model.add(Dense(128, input_dim=64))
 *   model.add(Dropout(0.5))
 *
 * Trains this network (a 128-unit hidden layer, over-parameterized for 150
 * training digits; Adam, lr 0.005, 60 epochs) with and without the dropout
 * and prints the train/test accuracy gap. Dropout is active only in
 * training: at inference the layer is the identity (Keras's inverted dropout
 * scales the kept units by 1/(1−rate) during training instead).
 * Run: `node --import tsx examples/dropout.ts`.
 */
import { Sequential, layers, ones, optimizers } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const data = digitsSplit(0, 150, 0);

async function train(withDropout: boolean): Promise<{ train: number; test: number; testLoss: number }> {
  const model = new Sequential([
    layers.dense({ units: 128, input_dim: 64, activation: 'relu' }),
    ...(withDropout ? [layers.dropout(0.5)] : []), // Keras-1 Dropout(0.5): 50% of the features are dropped
    layers.dense({ units: 10, activation: 'softmax' }),
  ], { seed: 1 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(data.train.x, data.train.y, { epochs: 60, batchSize: 32, seed: 2, verbose: 0 });
  const test = model.evaluate(data.test.x, data.test.y);
  return { train: model.evaluate(data.train.x, data.train.y)['accuracy']!, test: test['accuracy']!, testLoss: test['loss']! };
}

const plain = await train(false);
const dropped = await train(true);
const gap = (r: { train: number; test: number; testLoss: number }): number => r.train - r.test;
console.log(`without dropout:  train acc ${plain.train.toFixed(4)}, test acc ${plain.test.toFixed(4)}, gap ${gap(plain).toFixed(4)}, test loss ${plain.testLoss.toFixed(4)}`);
console.log(`with dropout 0.5: train acc ${dropped.train.toFixed(4)}, test acc ${dropped.test.toFixed(4)}, gap ${gap(dropped).toFixed(4)}, test loss ${dropped.testLoss.toFixed(4)}`);

const layer = layers.dropout({ rate: 0.5, seed: 7 });
const x = ones([1, 10]);
const trainOut = Array.from(layer.apply(x, { training: true }).data);
const inferOut = Array.from(layer.apply(x, { training: false }).data);
console.log(`dropout(0.5) on ten ones — training: [${trainOut.join(', ')}], inference: [${inferOut.join(', ')}]`);

check(trainOut.every((v) => v === 0 || v === 2) && trainOut.includes(0), 'training drops units and scales the kept ones by 1/(1−0.5) = 2');
check(inferOut.every((v) => v === 1), 'inference is the identity');
check(gap(dropped) < gap(plain), 'dropout narrows the train–test gap');
check(dropped.test > plain.test, 'and raises test accuracy');
check(dropped.testLoss < plain.testLoss, 'and lowers test loss');
