/**
 * The data of `regula demo`: an embedded dataset with a seeded stratified
 * held-out test part and r × k stratified folds of the rest, or Fashion-MNIST
 * from Debian's `dataset-fashion-mnist` package (a seeded stratified sample
 * of its 60 000 training images to cross-validate, its 10 000 test images as
 * the held-out test set). Nothing is downloaded: when the package is missing the
 * demo says in one line how to install it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from '../data/csv.js';
import type { TargetData } from '../data/schema.js';
import { gatherRows, trainValTestSplit } from '../data/split.js';
import { complementRows, repeatedStratifiedKFold } from '../study/stats.js';
import { UsageError } from './cli-error.js';
import { DATASETS, DATASET_NAMES, type DatasetName } from './datasets.js';
import { idxTable } from './idx-input.js';
import { labelsOf, splitTable } from './prepare-data.js';
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

/** A demo's rows: the part resampled to compare the regimes, and the held-out test part. */
export interface DemoData {
  /** Rows the regimes are compared on (cross-validated); the chosen regime is retrained on all of them. */
  readonly dev: Table;
  /** Rows never used to choose: they score the chosen regime once. */
  readonly test: Table;
  /** Rows of the whole dataset. */
  readonly rows: number;
  /** How the parts were made, for the log and the report. */
  readonly note: string;
}

/** The rows `rows` of `table` (features, target, and its image shape when it has one). */
export function subsetTable(table: Table, rows: ArrayLike<number>): Table {
  const t = table.target;
  const target: TargetData = t.task === 'classification' ? { ...t, labels: gatherRows(t.labels, 1, rows) } : { ...t, values: gatherRows(t.values, 1, rows) };
  return { ...table, rows: rows.length, features: gatherRows(table.features, table.cols, rows), target };
}

/** The rows of `a` then those of `b` (the same columns). */
export function concatTables(a: Table, b: Table): Table {
  if (a.cols !== b.cols || a.target.task !== b.target.task) throw new Error(`concatTables: ${a.source} and ${b.source} differ in columns or task`);
  const features = new Float32Array((a.rows + b.rows) * a.cols);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const join = <T extends Float32Array | Int32Array>(x: T, y: T, make: new (n: number) => T): T => {
    const out = new make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  const ta = a.target;
  const tb = b.target;
  const target: TargetData =
    ta.task === 'classification' && tb.task === 'classification' ? { ...ta, labels: join(ta.labels, tb.labels, Int32Array) } : ta.task === 'regression' && tb.task === 'regression' ? { ...ta, values: join(ta.values, tb.values, Float32Array) } : ta;
  return { ...a, rows: a.rows + b.rows, features, target };
}

/**
 * Loads a demo dataset and holds out its test part: a seeded stratified
 * `testFraction` of the rows (Fashion-MNIST: its 10 000 test images, and a
 * seeded stratified sample of `sample` training images to compare on).
 *
 * @throws UsageError when Fashion-MNIST is asked for and not installed.
 */
export function loadDemoData(name: DemoDataset, testFraction: number, seed: number, sample = 3000): DemoData {
  if (name === 'fashion-mnist') return loadFashionMnist(sample, seed);
  const table = loadData({ dataset: name as DatasetName });
  const s = splitTable(table, { validation: 0, test: testFraction, seed });
  const how = table.target.task === 'classification' ? 'stratified' : 'shuffled';
  return {
    dev: subsetTable(table, s.train),
    test: subsetTable(table, s.test),
    rows: table.rows,
    note: `${s.train.length} rows to compare the regimes on / ${s.test.length} held-out test rows (seeded, ${how})`,
  };
}

function loadFashionMnist(sample: number, seed: number): DemoData {
  const paths = fashionMnistPaths();
  const table = idxTable(paths.trainImages, paths.trainLabels);
  const n = table.rows;
  const want = Math.min(n - 1, sample);
  // A seeded stratified sample: the split's "test" part is the rest, unused.
  const s = trainValTestSplit(n, { validation: 0, test: (n - want) / n, seed, labels: table.target.task === 'classification' ? table.target.labels : undefined });
  const test = idxTable(paths.testImages, paths.testLabels);
  const a = table.target;
  const t = test.target;
  if (t.task !== 'classification' || a.task !== 'classification' || t.classes.join() !== a.classes.join()) {
    throw new UsageError(`${paths.testLabels}: the test labels' classes (${t.task === 'classification' ? t.classes.join(', ') : 'none'}) differ from the training labels'`);
  }
  return {
    dev: subsetTable(table, s.train),
    test,
    rows: n + test.rows,
    note: `${s.train.length} of the ${n} training images (a seeded stratified sample) to compare the regimes on / the ${test.rows} test images held out`,
  };
}

/** One train / validation / scored split of the comparison rows. */
export interface Resample {
  /** 1-based repetition and fold. */
  readonly rep: number;
  readonly fold: number;
  readonly rows: { readonly train: Int32Array; readonly validation: Int32Array; readonly test: Int32Array };
}

/**
 * r × k stratified folds of `table` (repeatedStratifiedKFold, seeded): each
 * fold is scored once by a model trained on the other folds, of which a
 * seeded stratified `validation` fraction is kept aside for early stopping
 * and the validation curves.
 */
export function foldResamples(table: Table, folds: number, repeats: number, validation: number, seed: number): Resample[] {
  const labels = labelsOf(table) ?? null;
  if (folds > table.rows) throw new UsageError(`--folds ${folds}: only ${table.rows} rows to compare on`);
  const out: Resample[] = [];
  repeatedStratifiedKFold(table.rows, folds, repeats, seed, labels).forEach((rep, r) => {
    rep.forEach((scored, f) => {
      const rest = complementRows(table.rows, scored);
      const restLabels = labels ? gatherRows(labels, 1, rest) : undefined;
      const inner = trainValTestSplit(rest.length, { validation, test: 0, seed: seed + 1000 * r + f, ...(restLabels ? { labels: restLabels } : {}) });
      const pick = (idx: ArrayLike<number>): Int32Array => Int32Array.from(idx, (i) => rest[i]!).sort();
      out.push({ rep: r + 1, fold: f + 1, rows: { train: pick(inner.train), validation: pick(inner.validation), test: scored } });
    });
  });
  return out;
}

/** A one-line description of a demo dataset. */
export function demoDatasetDescription(name: DemoDataset): string {
  return name === 'fashion-mnist' ? "Fashion-MNIST (Debian's dataset-fashion-mnist: 60 000 + 10 000 28×28 grey images, 10 classes)" : DATASETS[name].description;
}
