/**
 * Tutorial snippet 5 — additive Gaussian noise:
 *
 *   model.add(GaussianNoise(0.2))
 *
 * Adds N(0, 0.2²) to its input in training only (here: the pixels, scaled to
 * [0, 1], as data augmentation); the argument is the standard deviation
 * (Keras 1 called it `sigma`, Keras 3 `stddev`, and requires it in [0, 1]).
 * Run: `node --import tsx examples/gaussian-noise.ts`.
 */
import { Sequential, layers, zeros, Rng } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const noise = layers.gaussianNoise(0.2);
const z = noise.apply(zeros([100, 100]), { training: true, rng: new Rng(9) }).data;
let mean = 0;
for (const v of z) mean += v / z.length;
let variance = 0;
for (const v of z) variance += (v - mean) ** 2 / z.length;
console.log(`gaussianNoise(0.2) on 10,000 zeros in training: mean ${mean.toFixed(4)}, std ${Math.sqrt(variance).toFixed(4)}`);

const data = digitsSplit(0, 300, 0);
const model = new Sequential([
  layers.gaussianNoise({ stddev: 0.2, inputShape: [64] }),
  layers.dense({ units: 128, activation: 'relu' }),
  layers.dense({ units: 10, activation: 'softmax' }),
], { seed: 1 });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(data.train.x, data.train.y, { epochs: 15, batchSize: 32, seed: 2, verbose: 0 });
const acc = model.evaluate(data.test.x, data.test.y)['accuracy']!;
const inference = noise.apply(data.test.x, { training: false });
console.log(`test accuracy with input noise 0.2: ${acc.toFixed(4)}`);

let rejected = '';
try {
  layers.gaussianNoise(1.5);
} catch (e) {
  rejected = (e as Error).message;
}
console.log(`gaussianNoise(1.5) → ${rejected}`);

check(Math.abs(mean) < 5 * 0.2 / 100, 'the noise is zero-centred (within 5 standard errors)');
check(Math.abs(Math.sqrt(variance) - 0.2) < 5 * 0.2 / Math.sqrt(2 * 10000), 'its standard deviation is 0.2');
check(inference === data.test.x, 'inference passes the input through untouched');
check(rejected.includes('stddev must be a number in [0, 1]'), 'stddev outside [0, 1] is rejected (Keras 3 rule)');
check(acc > 0.85, 'the model learns the digits through the noise');
