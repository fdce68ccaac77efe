/**
 * Flags shared by several commands (data source, network, training), their
 * parsers, and turning them into a loaded table. Every check here runs before
 * any training or writing, so bad input costs nothing and leaves nothing.
 */
import { Option, type Command } from 'commander';
import { getActivation } from '../activations.js';
import { loadTable, type Table } from '../data/csv.js';
import { UsageError } from './cli-error.js';
import { idxTable, looksLikeIdx } from './idx-input.js';
import { DATASETS, DATASET_NAMES, datasetPath, type DatasetName, type EmbeddedDataset } from './datasets.js';
import { withImageShape } from './image-data.js';
import { int, intList, num } from './parse-args.js';
import type { Regularization } from './regimes.js';
import type { Architecture } from './model-from-flags.js';

/** Optimizers accepted by `--optimizer`. */
export const OPTIMIZER_NAMES = ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad'] as const;

/** Values of the data flags. */
export interface DataFlags {
  data?: string;
  labels?: string;
  dataset?: DatasetName;
  target?: string;
  task?: 'auto' | 'classification' | 'regression';
  encoding?: 'utf8' | 'latin1';
}

/** Values of the training flags. */
export interface TrainFlags {
  epochs: number;
  batchSize: number;
  optimizer: (typeof OPTIMIZER_NAMES)[number];
  lr?: number;
  seed: number;
}

/** Values of the network flags. */
export interface ModelFlags {
  hidden: number[];
  activation: string;
}

/** Adds `--data`, `--labels`, `--dataset`, `--target`, `--task`, `--encoding`. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--data <file>', 'CSV file with a header row (numeric and categorical columns), or IDX images with --labels')
    .option('--labels <file>', 'IDX labels file (MNIST format, raw or gzipped) for IDX images given as --data')
    .addOption(new Option('--dataset <name>', 'an embedded dataset instead of --data').choices(DATASET_NAMES))
    .option('--target <column>', 'name of the target column (required with --data)')
    .addOption(new Option('--task <task>', 'learning task; inferred from the target by default').choices(['auto', 'classification', 'regression']).default('auto'))
    .addOption(new Option('--encoding <name>', 'text encoding of a CSV --data file (bytes that are not UTF-8 are an error by default)').choices(['utf8', 'latin1']).default('utf8'));
}

/** Adds `--hidden`, `--activation` with the given defaults. */
export function addArchitectureOptions(cmd: Command, hidden: string, activation = 'relu'): Command {
  return cmd
    .option('--hidden <sizes>', `hidden layer sizes, comma-separated (default ${hidden})`, intList({ min: 1, max: 65536 }))
    .option('--activation <name>', 'activation of the hidden layers', activation);
}

/** Adds `--epochs --batch-size --optimizer --lr --seed`. */
export function addTrainOptions(cmd: Command, defaults: { epochs: number; seed?: number }): Command {
  return cmd
    .option('--epochs <n>', 'training epochs', int({ min: 1, max: 100000 }), defaults.epochs)
    .option('--batch-size <n>', 'mini-batch size', int({ min: 1 }), 32)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZER_NAMES).default('adam'))
    .option('--lr <rate>', 'learning rate (default: the optimizer\'s Keras default)', num({ min: 0, minExclusive: true, max: 10 }))
    .option('--seed <n>', 'seed of the split, weight initialization, shuffling and dropout', int({ min: 0, max: 2 ** 31 - 1 }), defaults.seed ?? 42);
}

/** Parsers of the regularization flags (each a single value). */
export const REG_PARSERS = {
  l1: num({ min: 0 }),
  l2: num({ min: 0 }),
  dropout: num({ min: 0, max: 1, maxExclusive: true }),
  gaussianNoise: num({ min: 0, max: 1 }),
  maxNorm: num({ min: 0, minExclusive: true }),
} as const;

/** Adds `--dropout --l1 --l2 --max-norm --gaussian-noise` (single values). */
export function addRegularizationOptions(cmd: Command): Command {
  return cmd
    .option('--dropout <rate>', 'dropout rate after each hidden layer, in [0, 1)', REG_PARSERS.dropout, 0)
    .option('--l1 <factor>', 'L1 penalty factor on every kernel', REG_PARSERS.l1, 0)
    .option('--l2 <factor>', 'L2 penalty factor on every kernel', REG_PARSERS.l2, 0)
    .option('--max-norm <value>', 'max-norm constraint on hidden kernels (per unit)', REG_PARSERS.maxNorm)
    .option('--gaussian-noise <stddev>', 'Gaussian noise stddev added to the standardized inputs, in [0, 1]', REG_PARSERS.gaussianNoise, 0);
}

/** The regularization named by the single-value flags. */
export function regularizationOf(o: { dropout: number; l1: number; l2: number; maxNorm?: number; gaussianNoise: number }): Regularization {
  return { l1: o.l1, l2: o.l2, dropout: o.dropout, gaussianNoise: o.gaussianNoise, maxNorm: o.maxNorm ?? 0 };
}

/** The architecture flags, with the activation checked. */
export function architectureOf(o: { hidden?: number[]; activation: string }, defaultHidden: number[]): Architecture {
  try {
    getActivation(o.activation);
  } catch (e) {
    throw new UsageError(`--activation: ${(e as Error).message.replace(/^activation:\s*/, '')}`);
  }
  return { hidden: o.hidden ?? defaultHidden, activation: o.activation };
}

/** A human name of the data source: the embedded name or the file path. */
export function dataLabel(o: DataFlags): string {
  return o.dataset ?? o.data ?? '';
}

/**
 * Loads the table named by the data flags: an embedded dataset, a CSV, or an
 * IDX images/labels pair.
 *
 * @throws UsageError for a missing or conflicting source or target flag;
 *   DataError (from the loader) for every problem with the file itself.
 */
export function loadData(o: DataFlags): Table {
  if (o.data !== undefined && o.dataset !== undefined) throw new UsageError('give either --data or --dataset, not both');
  if (o.dataset !== undefined && o.labels !== undefined) throw new UsageError('--labels goes with IDX images in --data, not with --dataset');
  const task = o.task ?? 'auto';
  if (o.dataset !== undefined) {
    const d: EmbeddedDataset = DATASETS[o.dataset];
    const table = loadTable(datasetPath(o.dataset), { target: o.target ?? d.target, task });
    // The digits are 8×8 images: kept as such for a CNN (a spec starting with Conv2D).
    return d.imageShape && d.imageShape.reduce((a, b) => a * b, 1) === table.cols ? withImageShape(table, d.imageShape) : table;
  }
  if (o.data === undefined) throw new UsageError(`--data <file.csv> (or --dataset ${DATASET_NAMES.join('|')}) is required`);
  if (o.labels !== undefined) {
    if (o.target !== undefined) throw new UsageError('--target does not apply to IDX input: the target is the --labels file');
    if (task === 'regression') throw new UsageError('IDX labels are classes: --task regression does not apply');
    return idxTable(o.data, o.labels);
  }
  if (looksLikeIdx(o.data)) throw new UsageError(`--data ${o.data} is an IDX (or gzipped) file: give its labels with --labels <file>`);
  if (o.target === undefined) throw new UsageError('--target <column> is required with --data');
  return loadTable(o.data, { target: o.target, task, encoding: o.encoding ?? 'utf8' });
}

/** Checks a fraction flag pair leaves training rows. */
export function checkFractions(validation: number, test: number): void {
  if (validation + test >= 1) {
    throw new UsageError(`--validation-split + --test-split must be < 1, got ${validation} + ${test}`);
  }
}
