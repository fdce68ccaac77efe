/**
 * A residual MLP built with the functional API — the graph a Sequential
 * cannot express: each block adds its input back to its output (a skip
 * connection, `layers.add()`), so the block learns a correction to the
 * identity. Regularized inside the blocks (L2 on every kernel, dropout
 * between the two Dense layers of a block) and trained on the digits (1000
 * training images) with early stopping on a validation split.
 *
 *   x ─ Dense(64, relu) ─┬─ Dense(64, relu) ─ Dropout ─ Dense(64) ─ add ─ relu ─┬─ … (block 2) ─ Dense(10, softmax)
 *                        └────────────────────────────────────────────┘
 *
 * Checks: the test accuracy, that the model's loss contains exactly the L2
 * penalties `regularizationReport` lists, and that the skip connections carry
 * the signal (zeroing the blocks' last kernels leaves a working network).
 * Run: `node --import tsx examples/residual-mlp.ts`.
 */
import { input, layers, model, regularizers, callbacks, optimizers, regularizationReport, zerosLike, type SymbolicTensor } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const data = digitsSplit(0, 1000, 300);
const WIDTH = 64;
const l2 = regularizers.l2(1e-4);

/** One residual block: x + Dense(Dropout(Dense(x))), then relu. */
function residualBlock(x: SymbolicTensor, name: string): SymbolicTensor {
  let h = layers.dense({ units: WIDTH, activation: 'relu', kernelRegularizer: l2, name: `${name}_dense1` }).apply(x);
  h = layers.dropout({ rate: 0.3, name: `${name}_dropout` }).apply(h);
  h = layers.dense({ units: WIDTH, kernelRegularizer: l2, name: `${name}_dense2` }).apply(h);
  const sum = layers.add({ name: `${name}_add` }).apply([x, h]);
  return layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(sum);
}

const pixels = input({ shape: [64], name: 'pixels' });
let h = layers.dense({ units: WIDTH, activation: 'relu', kernelRegularizer: l2, name: 'stem' }).apply(pixels);
h = residualBlock(h, 'block1');
h = residualBlock(h, 'block2');
const digit = layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(h);
const net = model({ inputs: pixels, outputs: digit, name: 'residual_mlp', seed: 1 });
net.summary();

net.compile({ optimizer: optimizers.adam({ learningRate: 0.003 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
const history = await net.fit(data.train.x, data.train.y, {
  epochs: 60,
  batchSize: 32,
  validationData: [data.val.x, data.val.y],
  callbacks: [callbacks.earlyStopping({ patience: 8, restoreBestWeights: true })],
  seed: 2,
  verbose: 0,
});
const seconds = (performance.now() - t0) / 1000;
const test = net.evaluate(data.test.x, data.test.y);
const train = net.evaluate(data.train.x, data.train.y);
console.log(`trained ${history.epoch.length} epochs in ${seconds.toFixed(1)} s; train accuracy ${train['accuracy']!.toFixed(4)}, test accuracy ${test['accuracy']!.toFixed(4)} (${data.test.y.size} test digits), test loss ${test['loss']!.toFixed(4)}`);

// The penalties of every regularized kernel, anywhere in the graph, are in the loss.
const report = regularizationReport(net);
const penalty = report.reduce((s, r) => s + r.penalty, 0);
const modelPenalty = net.losses.reduce((s, t) => s + t.item(), 0);
for (const r of report.filter((row) => row.regularization)) console.log(`  ${r.layer.padEnd(16)} ${r.regularization!.padEnd(18)} penalty ${r.penalty.toExponential(3)}  unit norms max ${r.unitNorms?.max.toFixed(3) ?? '-'}`);
console.log(`Σ penalties ${penalty.toExponential(4)} (model.losses ${modelPenalty.toExponential(4)})`);

check(test['accuracy']! >= 0.95, `test accuracy ${test['accuracy']!.toFixed(4)} ≥ 0.95`);
check(report.filter((r) => r.regularization?.includes('kernel l2(0.0001)')).length === 5, 'the stem and all four block kernels carry the L2 penalty');
check(penalty > 0 && Math.abs(penalty - modelPenalty) < 1e-6 * Math.max(1, penalty), 'the report lists exactly the penalties the loss adds');

// The skip connections: with each block's last kernel and bias zeroed, every block is the identity
// (relu of a relu output), so the network is stem → digit and still classifies above chance.
for (const b of ['block1', 'block2']) net.getLayer(`${b}_dense2`).setWeights(net.getLayer(`${b}_dense2`).getWeights().map((w) => zerosLike(w)));
const skipped = net.evaluate(data.test.x, data.test.y)['accuracy']!;
console.log(`with both blocks zeroed (only the skip paths left): test accuracy ${skipped.toFixed(4)}`);
check(skipped > 0.3, 'the skip paths alone carry the signal from the stem to the output');
