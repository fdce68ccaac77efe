/**
 * The data of `regula demo`: an embedded dataset with a seeded stratified
 * train / validation / test split, or Fashion-MNIST from Debian's
 * `dataset-fashion-mnist` package (a seeded stratified sample of its 60 000
 * training images for training and validation, its 10 000 test images for
 * the test score). Nothing is downloaded: when the package is missing the
 * demo says in one line how to install it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { trainValTestSplit } from '../data/split.js';
import { UsageError } from './cli-error.js';
import { DATASETS, DATASET_NAMES, type DatasetName } from './datasets.js';
import { idxTable } from './idx-input.js';
import { prepareData, splitTable, type PreparedData } from './prepare-data.js';
import { loadData } from './shared-options.js';

/** Names accepted by `regula demo --dataset`: the embedded sets and Fashion-MNIST. */
export const DEMO_DATASET_NAMES = [...DATASET_NAMES, 'fashion-mnist'] as const;
export type DemoDataset = (typeof DEMO_DATASET_NAMES)[number];

/** Where Debian's `dataset-fashion-mnist` installs its files (`dpkg -L dataset-fashion-mnist`). */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** The Fashion-MNIST directory: `REGULA_FASHION_MNIST_DIR`, else Debian's. */
export function fashionMnistDir(): string {
  return process.env['REGULA_FASHION_MNIST_DIR'] || FASHION_MNIST_DEBIAN_DIR;
}

/** The four IDX files of Fashion-MNIST, as Debian names them. */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/**
 * The paths of the Fashion-MNIST files.
 *
 * @throws UsageError (one line: how to install it) when a file is missing.
 */
export function fashionMnistPaths(dir = fashionMnistDir()): Record<keyof typeof FASHION_MNIST_FILES, string> {
  const paths = Object.fromEntries(Object.entries(FASHION_MNIST_FILES).map(([k, f]) => [k, join(dir, f)])) as Record<keyof typeof FASHION_MNIST_FILES, string>;
  const missing = Object.values(paths).find((p) => !existsSync(p));
  if (missing !== undefined) {
    throw new UsageError(
      `Fashion-MNIST is not installed (${missing} not found): install Debian's package with \`sudo apt-get install dataset-fashion-mnist\` (files in ${FASHION_MNIST_DEBIAN_DIR}), or set REGULA_FASHION_MNIST_DIR to a directory holding ${Object.values(FASHION_MNIST_FILES).join(', ')}`,
    );
  }
  return paths;
}

/** The sizes of a demo's data. */
export interface DemoSplit {
  readonly fractions?: { readonly validation: number; readonly test: number };
  /** Fashion-MNIST: training and validation images sampled from the 60 000 (the test part is the 10 000 test images). */
  readonly sample?: { readonly train: number; readonly validation: number };
}

/** A demo's prepared data and how it was split, for the log and the report. */
export interface DemoData {
  readonly data: PreparedData;
  readonly rows: number;
  readonly split: { readonly train: number; readonly validation: number; readonly test: number };
  /** How the split was made, for the report. */
  readonly splitNote: string;
}

/**
 * Loads and splits a demo dataset. `standardize: false` keeps the values as
 * loaded (the CNN rescales pixels itself; IDX pixels are already in [0, 1]).
 *
 * @throws UsageError when Fashion-MNIST is asked for and not installed.
 */
export function loadDemoData(name: DemoDataset, split: DemoSplit, seed: number, standardize: boolean): DemoData {
  if (name === 'fashion-mnist') return loadFashionMnist(split.sample ?? { train: 2000, validation: 500 }, seed, standardize);
  const table = loadData({ dataset: name as DatasetName });
  const f = split.fractions ?? { validation: 0.2, test: 0.2 };
  const s = splitTable(table, { ...f, seed });
  const data = prepareData(table, s, { standardize });
  const task = data.task === 'classification' ? 'stratified' : 'shuffled';
  return {
    data,
    rows: table.rows,
    split: { train: s.train.length, validation: s.validation.length, test: s.test.length },
    splitNote: `${s.train.length} train / ${s.validation.length} validation / ${s.test.length} test (seeded, ${task})`,
  };
}

function loadFashionMnist(sample: { train: number; validation: number }, seed: number, standardize: boolean): DemoData {
  const paths = fashionMnistPaths();
  const table = idxTable(paths.trainImages, paths.trainLabels);
  const n = table.rows;
  const want = Math.min(n - 1, sample.train + sample.validation);
  // A seeded stratified sample: the split's "test" part is the rest, unused.
  const s = trainValTestSplit(n, { validation: sample.validation / n, test: (n - want) / n, seed, labels: table.target.task === 'classification' ? table.target.labels : undefined });
  const base = prepareData(table, { train: s.train, validation: s.validation }, { standardize });
  const testTable = idxTable(paths.testImages, paths.testLabels);
  const t = testTable.target;
  if (t.task !== 'classification' || t.classes.join() !== base.classes?.join()) {
    throw new UsageError(`${paths.testLabels}: the test labels' classes (${t.task === 'classification' ? t.classes.join(', ') : 'none'}) differ from the training labels'`);
  }
  const x = base.pre.transformTable(testTable).features;
  const test = { rows: testTable.rows, x: new Tensor([testTable.rows, testTable.cols], 'float32', x), y: new Tensor([testTable.rows], 'int32', t.labels) };
  const data: PreparedData = { ...base, test };
  return {
    data,
    rows: n + testTable.rows,
    split: { train: s.train.length, validation: s.validation.length, test: testTable.rows },
    splitNote: `${s.train.length} train / ${s.validation.length} validation (a seeded stratified sample of the ${n} training images) / ${testTable.rows} test images`,
  };
}

/** A one-line description of a demo dataset. */
export function demoDatasetDescription(name: DemoDataset): string {
  return name === 'fashion-mnist' ? "Fashion-MNIST (Debian's dataset-fashion-mnist: 60 000 + 10 000 28×28 grey images, 10 classes)" : DATASETS[name].description;
}
