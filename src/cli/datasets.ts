/**
 * The datasets embedded in the package (`datasets/*.csv`) by name, and how to
 * find them whether the CLI runs from `src/` (tsx) or from `dist/src/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * `package.json` named `regula` (works from `src/cli/` and `dist/src/cli/`).
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
