/**
 * The datasets embedded in the package (`datasets/*.csv`) by name, how to
 * find them whether Regula runs from `src/` (tsx) or from `dist/src/`, and
 * the public `datasets.load(name)` that returns one as tensors. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor } from '../tensor/tensor.js';
import { loadTable } from './csv.js';

/** An embedded dataset: its file and target column. */
export interface EmbeddedDataset {
  readonly file: string;
  readonly target: string;
  readonly description: string;
  /** The shape of one row as an image (channels last), for the image datasets. */
  readonly imageShape?: readonly number[];
}

/** Names accepted by `--dataset`. */
export type DatasetName = 'digits' | 'breast_cancer' | 'wine' | 'diabetes';

/** The embedded datasets (see datasets/README.md for provenance). */
export const DATASETS = {
  digits: { file: 'digits.csv', target: 'digit', description: '1797 8×8 handwritten digits, 10 classes', imageShape: [8, 8, 1] },
  breast_cancer: { file: 'breast_cancer.csv', target: 'diagnosis', description: '569 tumours, 30 measurements, benign/malignant' },
  wine: { file: 'wine.csv', target: 'cultivar', description: '178 wines, 13 measurements, 3 cultivars' },
  diabetes: { file: 'diabetes.csv', target: 'progression', description: '442 patients, 10 variables, regression' },
} as const satisfies Record<DatasetName, EmbeddedDataset>;

/** All dataset names, for help texts and `choices`. */
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

let root: string | undefined;

/**
 * The package root: the nearest ancestor of this module holding a
 * `package.json` named `regula` (works from `src/data/` and `dist/src/data/`).
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'regula') return (root = dir);
      } catch {
        // not our package.json; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('regula: cannot locate the package root (package.json named "regula")');
    dir = up;
  }
}

/** Absolute path of an embedded dataset's CSV. */
export function datasetPath(name: DatasetName): string {
  return join(packageRoot(), 'datasets', DATASETS[name].file);
}

/** An embedded dataset as tensors (`datasets.load`). */
export interface LoadedDataset {
  readonly name: DatasetName;
  readonly description: string;
  /** Features [rows, cols], float32, as in the CSV (unscaled). */
  readonly x: Tensor;
  /** Classification: class indices [rows] (int32); regression: values [rows, 1] (float32). */
  readonly y: Tensor;
  readonly featureNames: readonly string[];
  readonly target: string;
  readonly task: 'classification' | 'regression';
  /** Class names in index order (classification only). */
  readonly classes?: readonly string[];
  /** One row's image shape (channels last) for image sets, e.g. digits [8, 8, 1]. */
  readonly imageShape?: readonly number[];
}

/**
 * Loads an embedded dataset (see datasets/README.md) as tensors, unscaled and
 * unsplit. Node only.
 * @example
 * const { x, y, classes } = datasets.load('digits'); // x [1797, 64], y [1797] int32, 10 classes
 */
function load(name: DatasetName): LoadedDataset {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(DATASETS, name)) {
    throw new Error(`datasets.load: unknown dataset ${JSON.stringify(name)}; embedded datasets: ${DATASET_NAMES.join(', ')}`);
  }
  const d: EmbeddedDataset = DATASETS[name];
  const t = loadTable(datasetPath(name), { target: d.target });
  const x = new Tensor([t.rows, t.cols], 'float32', t.features);
  const tg = t.target;
  const y = tg.task === 'classification' ? new Tensor([t.rows], 'int32', tg.labels) : new Tensor([t.rows, 1], 'float32', tg.values);
  return {
    name,
    description: d.description,
    x,
    y,
    featureNames: t.featureNames,
    target: d.target,
    task: tg.task,
    ...(tg.task === 'classification' ? { classes: tg.classes } : {}),
    ...(d.imageShape ? { imageShape: d.imageShape } : {}),
  };
}

/** `datasets.load(name)` and the names it takes. */
export const datasets = { load, names: DATASET_NAMES } as const;
