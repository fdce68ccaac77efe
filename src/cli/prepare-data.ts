/**
 * From a loaded table to model-ready tensors: a seeded, stratified split
 * (ARCHITECTURE decision 11: the CLI never relies on `validationSplit`),
 * standardization fitted on the training rows only, and the feature/target
 * tensors of each part.
 */
import { gatherRows, trainValTestSplit, type Split } from '../data/split.js';
import { Preprocessing } from '../data/preprocessing.js';
import type { Table } from '../data/csv.js';
import type { Task } from '../data/schema.js';
import { Tensor } from '../tensor/tensor.js';
import { imageShapeOf } from './image-data.js';

/** One part (train, validation or test) as tensors. */
export interface Part {
  readonly rows: number;
  /** Features `[rows, inputSize]`, standardized. */
  readonly x: Tensor;
  /** Labels `[rows]` int32 (classification) or values `[rows, 1]` float32 (regression). */
  readonly y: Tensor;
}

/** The data of one training run. */
export interface PreparedData {
  readonly task: Task;
  /** Class names (label order) for classification, null for regression. */
  readonly classes: readonly string[] | null;
  /** Width of the output layer: the number of classes, or 1. */
  readonly outputs: number;
  readonly inputSize: number;
  /**
   * The shape of one row as an image (`[h, w, c]`, `inputSize` values) when
   * the rows are images (IDX input, the embedded digits), else null. The
   * parts stay `[rows, inputSize]`; `trainRun` views them as images for a
   * model that takes images (image-data.ts).
   */
  readonly imageShape: readonly number[] | null;
  /** Fitted on the training rows; saved with a model. */
  readonly pre: Preprocessing;
  readonly train: Part;
  readonly validation: Part | null;
  readonly test: Part | null;
  /** Mean of the training targets (regression; 0 for classification), the output bias's start. */
  readonly targetMean: number;
}

/** Row indices of the parts to build. */
export interface PartRows {
  readonly train: ArrayLike<number>;
  readonly validation?: ArrayLike<number> | null;
  readonly test?: ArrayLike<number> | null;
}

/** Class labels of a classification table (undefined for regression), for stratified splits. */
export function labelsOf(table: Table): Int32Array | undefined {
  return table.target.task === 'classification' ? table.target.labels : undefined;
}

/**
 * A seeded train / validation / test split of `table`, stratified by class
 * for classification.
 */
export function splitTable(table: Table, fractions: { validation: number; test: number; seed: number }): Split {
  const labels = labelsOf(table);
  return trainValTestSplit(table.rows, { ...fractions, ...(labels ? { labels } : {}) });
}

/**
 * Fits the preprocessing on `rows.train` and builds the tensors of each part
 * (`standardize: false` keeps the table's values: pixels already in [0, 1]).
 *
 * @example
 * const split = splitTable(table, { validation: 0.2, test: 0.2, seed: 42 });
 * const data = prepareData(table, split);
 * model.fit(data.train.x, data.train.y, { validationData: [data.validation.x, data.validation.y] });
 */
export function prepareData(table: Table, rows: PartRows, options: { standardize?: boolean } = {}): PreparedData {
  const pre = Preprocessing.fit(table, rows.train, options);
  const scaled = pre.transformTable(table).features;
  const cols = table.cols;
  const target = table.target;
  const part = (idx: ArrayLike<number> | null | undefined): Part | null => {
    if (!idx || idx.length === 0) return null;
    const x = new Tensor([idx.length, cols], 'float32', gatherRows(scaled, cols, idx));
    const y =
      target.task === 'classification'
        ? new Tensor([idx.length], 'int32', gatherRows(target.labels, 1, idx))
        : new Tensor([idx.length, 1], 'float32', gatherRows(target.values, 1, idx));
    return { rows: idx.length, x, y };
  };
  let targetMean = 0;
  if (target.task === 'regression') {
    let s = 0;
    for (let i = 0; i < rows.train.length; i++) s += target.values[rows.train[i]!]!;
    targetMean = rows.train.length ? s / rows.train.length : 0;
  }
  return {
    task: target.task,
    classes: target.task === 'classification' ? target.classes : null,
    outputs: target.task === 'classification' ? target.classes.length : 1,
    inputSize: cols,
    imageShape: imageShapeOf(table),
    pre,
    train: part(rows.train)!,
    validation: part(rows.validation),
    test: part(rows.test),
    targetMean,
  };
}
