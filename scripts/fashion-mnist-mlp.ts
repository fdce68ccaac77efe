/**
 * The Fashion-MNIST MLP of issue 18, timed end to end through `model.fit`:
 * 784 → dense 512 relu (maxNorm 3) → dropout 0.2 → dense 512 relu (maxNorm 3)
 * → dropout 0.2 → dense 10 softmax, Adam (Keras defaults), batch 128, on all
 * 60 000 training images of Debian's `dataset-fashion-mnist`, the 10 000
 * test images as validation data, seed 1, the default progress output.
 * Prints each epoch's wall time (validation included) and the samples/s of
 * the fastest epoch, the kernels module that ran and the test accuracy.
 *
 * Usage:
 *   node --import tsx scripts/fashion-mnist-mlp.ts [--epochs 2] [--threads N] [--train-limit N]
 * (Node 20: add --experimental-wasm-relaxed-simd before --import to run the relaxed-SIMD module.)
 *
 * Needs `apt-get install dataset-fashion-mnist` (or REGULA_FASHION_MNIST_DIR).
 * Never run by the tests.
 */
import { parseArgs } from 'node:util';
import * as regula from '../src/index.js';
import { loadIdxDataset } from '../src/data/idx.js';
import { fashionMnistPaths } from '../src/cli/demo-data.js';

const { values: flags } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    threads: { type: 'string' },
    'train-limit': { type: 'string' },
  },
});
const epochs = Number(flags.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${flags.epochs}`);
const { ready, tensor, Sequential, layers, constraints, optimizers } = regula;

const backend = await ready(flags.threads !== undefined ? { threads: Number(flags.threads) } : {});
const info = (regula as unknown as { wasmModuleInfo?: () => { kind: string; reason: string } | undefined }).wasmModuleInfo?.();
const paths = fashionMnistPaths();
const train = loadIdxDataset(paths.trainImages, paths.trainLabels);
const test = loadIdxDataset(paths.testImages, paths.testLabels);
const n = flags['train-limit'] !== undefined ? Math.min(train.rows, Number(flags['train-limit'])) : train.rows;
const xTrain = tensor(train.features.subarray(0, n * train.cols), [n, 784]);
const yTrain = tensor(train.labels.subarray(0, n), [n], 'int32');
const xTest = tensor(test.features.subarray(0, test.rows * test.cols), [test.rows, 784]);
const yTest = tensor(test.labels.subarray(0, test.rows), [test.rows], 'int32');

const hidden = (): ReturnType<typeof layers.dense> => layers.dense({ units: 512, activation: 'relu', kernelConstraint: constraints.maxNorm({ maxValue: 3 }) });
const model = new Sequential([
  layers.dense({ inputShape: [784], units: 512, activation: 'relu', kernelConstraint: constraints.maxNorm({ maxValue: 3 }) }),
  layers.dropout({ rate: 0.2 }),
  hidden(),
  layers.dropout({ rate: 0.2 }),
  layers.dense({ units: 10, activation: 'softmax' }),
], { seed: 1 });
model.compile({ optimizer: optimizers.adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const seconds: number[] = [];
let start = 0;
await model.fit(xTrain, yTrain, {
  epochs, batchSize: 128, validationData: [xTest, yTest], seed: 1, verbose: 1,
  callbacks: [{
    onEpochBegin: () => void (start = performance.now()),
    onEpochEnd: () => void seconds.push((performance.now() - start) / 1000),
  }],
});
const best = seconds.reduce((a, b) => Math.min(a, b), Infinity);
const module = info ? `${info.kind} (${info.reason})` : 'simd (one module in this version)';
console.log(`fashion-mnist-mlp: ${n} images, backend ${backend.name}, module ${module}, threads ${(backend as { threads?: number }).threads ?? 1}`);
console.log(`  s/epoch (validation included): ${seconds.map((s) => s.toFixed(2)).join(', ')}; best ${best.toFixed(2)} s = ${(n / best).toFixed(0)} samples/s`);
process.exit(0);
