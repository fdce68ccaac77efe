/**
 * Tutorial snippet 2 — a non-negativity constraint on a convolution's weights:
 *
 *   model.add(Convolution1D(64, 3, border_mode='same', W_constraint=nonneg()))
 *
 * Each 8×8 digit is read as a sequence of 8 rows with 8 channels. After every
 * optimizer step the constraint projects the kernel back onto w ≥ 0, so at the
 * end no weight is negative; 'same' padding keeps the 8 steps.
 * Run: `node --import tsx examples/nonneg-conv1d.ts`.
 */
import { Sequential, layers, constraints, ops } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const data = digitsSplit(0, 600, 0);
const asSeq = (x: typeof data.train.x) => ops.reshape(x, [x.shape[0]!, 8, 8]);

const conv = layers.convolution1d(64, 3, { border_mode: 'same', W_constraint: constraints.nonneg(), activation: 'relu', inputShape: [8, 8] });
const model = new Sequential([conv, layers.flatten(), layers.dense({ units: 10, activation: 'softmax' })], { seed: 3 });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const initialNegatives = Array.from(conv.getWeights()[0]!.data).filter((v) => v < 0).length;
await model.fit(asSeq(data.train.x), data.train.y, { epochs: 8, batchSize: 32, seed: 4, verbose: 0 });
const kernel = Array.from(conv.getWeights()[0]!.data);
const min = Math.min(...kernel);
const zeros = kernel.filter((v) => v === 0).length / kernel.length;
const acc = model.evaluate(asSeq(data.test.x), data.test.y)['accuracy']!;

console.log(`kernel [3, 8, 64]: ${initialNegatives} negative weights at initialization, min after training ${min}, ${(100 * zeros).toFixed(1)}% exactly zero`);
console.log(`output shape ${JSON.stringify(model.outputShape)}, conv output ${JSON.stringify(conv.computeOutputShape([null, 8, 8]))}; test accuracy ${acc.toFixed(4)}`);

check(initialNegatives > 0, 'the initializer produced negative weights (the constraint has work to do)');
check(min >= 0, 'nonneg() holds after training: no negative kernel weight');
check(zeros > 0.05, 'the projection clipped a visible share of weights to exactly 0');
check(JSON.stringify(conv.computeOutputShape([null, 8, 8])) === '[null,8,64]', "border_mode 'same' keeps the 8 steps");
check(acc > 0.85, 'the constrained convolution still classifies digits');
