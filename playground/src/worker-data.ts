/**
 * The worker's data path, the CLI's own: CSV text → `loadTable` (schema
 * inference and its errors, src/data) → seeded stratified train /
 * validation / test split (`trainValTestSplit`) → standardization fitted on
 * the training rows (`Preprocessing`) → tensors. The 2-D sets go through
 * the same path as generated CSV text, so `regula train --data <that csv>`
 * sees exactly the rows the page trained on.
 */
import { loadTable, type Table } from '../../src/data/csv.js';
import { DataError } from '../../src/data/data-error.js';
import { Preprocessing } from '../../src/data/preprocessing.js';
import { gatherRows, trainValTestSplit } from '../../src/data/split.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { isToy, type EmbeddedSet, type PlaygroundState } from './state.js';
import { toyCsv, toyData } from './toy-data.js';
import type { DataInfo } from './protocol.js';

/** Target columns of the embedded sets (the same as src/data/embedded.ts's DATASETS; a test checks). */
export const EMBEDDED_TARGETS: Record<EmbeddedSet, string> = {
  digits: 'digit',
  breast_cancer: 'diagnosis',
  wine: 'cultivar',
  diabetes: 'progression',
};

export interface Part {
  rows: number;
  x: Tensor;
  y: Tensor;
}

/** Image sets: the first validation images, unscaled, with their labels, and as model input. */
export interface ImageSamples {
  readonly shape: readonly number[];
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
  readonly x: Tensor;
}

/** How many validation images the page shows. */
export const SAMPLE_IMAGES = 24;

export interface Prepared {
  info: DataInfo;
  train: Part;
  validation: Part | null;
  test: Part | null;
  outputs: number;
  targetMean: number;
  pre: Preprocessing;
  csvText: string;
  images: ImageSamples | null;
}

/** A user's file as text: UTF-8 only, as the CLI reads CSVs by default. */
export function decodeCsv(name: string, bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError('the file is not valid UTF-8 text; save it as UTF-8 CSV', { file: name });
  }
}

/** The header of a CSV text (for the target picker), without parsing the rows. */
export function headerOf(text: string): string[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return first.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
}

/**
 * Prepares the data of `state`. `csvText` is the user's file or an embedded
 * set's text (not needed for the 2-D sets).
 *
 * @throws DataError for every problem with the data (the CLI's messages).
 */
export function prepare(state: PlaygroundState, csv: { name: string; text: string } | null): Prepared {
  let name: string;
  let text: string;
  let target: string;
  if (isToy(state.data)) {
    name = `${state.data}-seed${state.seed}.csv`;
    text = toyCsv(toyData(state.data, state.samples, state.noise, state.seed));
    target = 'label';
  } else {
    if (!csv) throw new DataError('no CSV loaded: choose a file or drop one on the page');
    name = csv.name;
    text = csv.text;
    target = state.data === 'csv' ? state.target || headerOf(text).at(-1) || '' : EMBEDDED_TARGETS[state.data];
  }
  const table = loadTable({ text, name }, { target });
  const labels = table.target.task === 'classification' ? table.target.labels : undefined;
  const split = trainValTestSplit(table.rows, { validation: state.validationSplit, test: state.testSplit, seed: state.seed, ...(labels ? { labels } : {}) });
  const pre = Preprocessing.fit(table, split.train);
  const scaled = pre.transformTable(table).features;
  const part = (idx: Int32Array): Part | null => (idx.length === 0 ? null : tensors(table, scaled, idx));
  const t = table.target;
  let targetMean = 0;
  if (t.task === 'regression') {
    for (const r of split.train) targetMean += t.values[r]!;
    targetMean /= split.train.length;
  }
  const info: DataInfo = {
    name,
    rows: table.rows,
    inputSize: table.cols,
    task: t.task,
    classes: t.task === 'classification' ? [...t.classes] : null,
    split: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    metric: t.task === 'classification' ? 'accuracy' : 'mae',
    csvName: name,
    columns: headerOf(text),
    target,
  };
  if (isToy(state.data)) {
    const partOf = new Uint8Array(table.rows);
    for (const r of split.validation) partOf[r] = 1;
    for (const r of split.test) partOf[r] = 2;
    info.points = { x: table.features.slice(), y: (t as { labels: Int32Array }).labels.slice(), part: partOf };
  }
  let images: ImageSamples | null = null;
  if (state.data === 'digits' && t.task === 'classification' && split.validation.length > 0) {
    const rows = split.validation.subarray(0, SAMPLE_IMAGES);
    images = {
      shape: [8, 8],
      pixels: gatherRows(table.features, table.cols, rows),
      labels: gatherRows(t.labels, 1, rows),
      x: new Tensor([rows.length, table.cols], 'float32', gatherRows(scaled, table.cols, rows)),
    };
  }
  return {
    images,
    info,
    train: part(split.train)!,
    validation: part(split.validation),
    test: part(split.test),
    outputs: t.task === 'classification' ? t.classes.length : 1,
    targetMean,
    pre,
    csvText: text,
  };
}

function tensors(table: Table, scaled: Float32Array, idx: Int32Array): Part {
  const cols = table.cols;
  const t = table.target;
  const x = new Tensor([idx.length, cols], 'float32', gatherRows(scaled, cols, idx));
  const y = t.task === 'classification' ? new Tensor([idx.length], 'int32', gatherRows(t.labels, 1, idx)) : new Tensor([idx.length, 1], 'float32', gatherRows(t.values, 1, idx));
  return { rows: idx.length, x, y };
}
