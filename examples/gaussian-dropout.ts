/**
 * Tutorial snippet 4 — multiplicative Gaussian noise:
 *
 *   model.add(GaussianDropout(0.1))
 *
 * The tutorial says the argument is "the σ of the Gaussian"; it is not. It is a
 * drop *rate*, and the noise is N(1, σ²) with σ = sqrt(rate/(1−rate)), the
 * same variance as dropout at that rate — so 0.1 gives σ = 1/3 (and the
 * tutorial's comment "Dropout 50% of the features" would be rate 0.5, σ = 1).
 * Run: `node --import tsx examples/gaussian-dropout.ts`.
 */
import { Sequential, layers, ones, Rng } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const layer = layers.gaussianDropout(0.1);
const y = layer.apply(ones([100, 100]), { training: true, rng: new Rng(5) }).data;
let mean = 0;
for (const v of y) mean += v / y.length;
let variance = 0;
for (const v of y) variance += (v - mean) ** 2 / y.length;
console.log(`gaussianDropout(0.1): σ = sqrt(0.1/0.9) = ${layer.stddev.toFixed(4)}; measured on 10,000 ones: mean ${mean.toFixed(4)}, std ${Math.sqrt(variance).toFixed(4)}`);

const data = digitsSplit(0, 300, 0);
const model = new Sequential([
  layers.dense({ units: 128, input_dim: 64, activation: 'relu' }),
  layers.gaussianDropout(0.1),
  layers.dense({ units: 10, activation: 'softmax' }),
], { seed: 1 });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(data.train.x, data.train.y, { epochs: 15, batchSize: 32, seed: 2, verbose: 0 });
const acc = model.evaluate(data.test.x, data.test.y)['accuracy']!;
const p1 = model.predict(data.test.x).data;
const p2 = model.predict(data.test.x).data;
console.log(`test accuracy with gaussianDropout(0.1): ${acc.toFixed(4)}`);

check(Math.abs(layer.stddev - 1 / 3) < 1e-12, 'rate 0.1 means σ = 1/3, not 0.1');
check(Math.abs(mean - 1) < 5 * (1 / 3) / 100, 'the noise is centred on 1 (within 5 standard errors)');
check(Math.abs(Math.sqrt(variance) - 1 / 3) < 5 * (1 / 3) / Math.sqrt(2 * 10000), 'its standard deviation is 1/3 (within 5 standard errors)');
check(p1.every((v, i) => v === p2[i]), 'inference is deterministic (no noise)');
check(acc > 0.85, 'the model learns the digits');
