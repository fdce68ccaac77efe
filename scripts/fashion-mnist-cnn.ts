/**
 * The W5 network (bench/workloads.ts: conv2d 32 3×3 relu → maxPool 2 →
 * conv2d 64 3×3 relu → maxPool 2 → flatten → dropout 0.5 → dense 10
 * softmax, Adam 1e-3, batch 128) trained on the full Fashion-MNIST from
 * Debian's `dataset-fashion-mnist` package (60 000 training images, scored
 * on the 10 000 test images), seed 1, without regularization and with
 * dropout + augmentation (dropout 0.5, RandomTranslation ±0.07,
 * RandomRotation ±0.03·2π, constant fill: the demo's Fashion-MNIST
 * strengths). Prints test accuracy, test cross-entropy and seconds per epoch
 * (training only) for each regime — the closing-note numbers of issue 12.
 *
 * Usage:
 *   node --import tsx scripts/fashion-mnist-cnn.ts [--epochs 15] [--seed 1]
 *     [--regimes none,dropout+augmentation] [--train-limit N] [--threads N]
 *
 * `--train-limit N` trains on the first N training images (a quick check).
 * Needs `apt-get install dataset-fashion-mnist` (or REGULA_FASHION_MNIST_DIR).
 * Never run by the tests: 15 epochs of 60 000 images take a while on 2 cores.
 */
import { parseArgs } from 'node:util';
import { ready, tensor, type Tensor } from '../src/index.js';
import { loadIdxDataset } from '../src/data/idx.js';
import { buildCnn, FASHION_CNN_STRENGTHS, W5_CNN, type CnnRegularization } from '../src/cli/cnn.js';
import { fashionMnistPaths } from '../src/cli/demo-data.js';

const { values: flags } = parseArgs({
  options: {
    epochs: { type: 'string', default: '15' },
    seed: { type: 'string', default: '1' },
    regimes: { type: 'string', default: 'none,dropout+augmentation' },
    'train-limit': { type: 'string' },
    threads: { type: 'string' },
  },
});
const epochs = Number(flags.epochs);
const seed = Number(flags.seed);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${flags.epochs}`);
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got ${flags.seed}`);

/** The regimes: W5 without regularization, and W5 (its dropout 0.5) with augmentation. */
const REGIMES: Record<string, CnnRegularization> = {
  none: { dropout: 0, spatialDropout: 0, augmentation: { translation: 0, rotation: 0 } },
  'dropout+augmentation': { dropout: 0.5, spatialDropout: 0, augmentation: FASHION_CNN_STRENGTHS.augmentation },
};
const wanted = flags.regimes.split(',').map((s) => s.trim());
for (const r of wanted) if (!(r in REGIMES)) throw new Error(`--regimes: unknown regime ${JSON.stringify(r)}; known: ${Object.keys(REGIMES).join(', ')}`);

const backend = await ready(flags.threads !== undefined ? { threads: Number(flags.threads) } : {});
const paths = fashionMnistPaths();
const t0 = performance.now();
const train = loadIdxDataset(paths.trainImages, paths.trainLabels);
const test = loadIdxDataset(paths.testImages, paths.testLabels);
const n = flags['train-limit'] !== undefined ? Math.min(train.rows, Number(flags['train-limit'])) : train.rows;
const images = (d: typeof train, rows: number): Tensor => tensor(d.features.subarray(0, rows * d.cols), [rows, 28, 28, 1]);
const labels = (d: typeof train, rows: number): Tensor => tensor(d.labels.subarray(0, rows), [rows], 'int32');
const xTrain = images(train, n);
const yTrain = labels(train, n);
const xTest = images(test, test.rows);
const yTest = labels(test, test.rows);
console.log(`Fashion-MNIST: ${n} training / ${test.rows} test images loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; backend ${backend.name}; seed ${seed}; ${epochs} epochs`);

const rows: string[][] = [];
for (const name of wanted) {
  const model = buildCnn(W5_CNN, [28, 28, 1], 10, REGIMES[name]!, seed);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const epochSeconds: number[] = [];
  let start = 0;
  await model.fit(xTrain, yTrain, {
    epochs, batchSize: 128, shuffle: true, seed, verbose: 0,
    callbacks: [{
      onEpochBegin: () => void (start = performance.now()),
      onEpochEnd: (epoch: number, logs?: Record<string, number>) => {
        epochSeconds.push((performance.now() - start) / 1000);
        console.log(`  ${name} epoch ${epoch + 1}/${epochs}: loss ${logs?.['loss']?.toFixed(4)}, accuracy ${logs?.['accuracy']?.toFixed(4)}, ${epochSeconds[epochSeconds.length - 1]!.toFixed(1)} s`);
      },
    }],
  });
  const scores = model.evaluate(xTest, yTest, { batchSize: 500 }) as Record<string, number>;
  const perEpoch = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
  rows.push([name, String(epochs), scores['accuracy']!.toFixed(4), scores['loss']!.toFixed(4), perEpoch.toFixed(1)]);
}

const header = ['regime', 'epochs', 'test accuracy', 'test cross-entropy', 's/epoch'];
const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('  ')].concat(rows.map(line)).join('\n'));
process.exit(0);
