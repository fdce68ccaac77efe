/**
 * IDX input (the MNIST family format, raw or gzipped) for the CLI: an images
 * file passed as `--data` with a labels file as `--labels` becomes the same
 * `Table` a CSV gives — one numeric column per pixel (`px0`, `px1`, …) and a
 * class target named `label` — so splitting, standardization, saving the
 * preprocessing and predicting work exactly as for CSV. The table keeps the
 * images' shape (`imageShape`, `[h, w, 1]` for `[n, h, w]` files), so a
 * model spec starting with Conv2D takes the rows as images.
 */
import { existsSync } from 'node:fs';
import { DataError } from '../data/data-error.js';
import { loadIdxDataset, readIdx } from '../data/idx.js';
import { readHead } from '../data/input-file.js';
import type { Table } from '../data/csv.js';
import type { EncodedData, Preprocessing } from '../data/preprocessing.js';
import type { ColumnSpec } from '../data/schema.js';
import { withImageShape, type ShapedTable } from './image-data.js';

/** Name of the target of an IDX table. */
export const IDX_TARGET = 'label';

/**
 * True when the file starts like an IDX file (two zero bytes) or a gzip
 * stream; false for text (CSV) or a missing file (the CSV reader reports it).
 *
 * @throws DataError for a directory, FIFO, device or socket: they are stat'ed,
 *   never opened (opening a FIFO would block until a writer appears).
 */
export function looksLikeIdx(path: string): boolean {
  if (!existsSync(path)) return false;
  const head = readHead(path, 2);
  return head.length === 2 && ((head[0] === 0 && head[1] === 0) || (head[0] === 0x1f && head[1] === 0x8b));
}

function checkFinite(x: Float32Array, cols: number, file: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new DataError(`image ${Math.floor(i / cols)}, pixel ${i % cols}: value ${x[i]} is not finite`, { file });
  }
}

/**
 * Loads an IDX images/labels pair as a classification table (pixels scaled by
 * 1/255 for uint8 images, as `loadIdxDataset` does).
 *
 * @throws DataError for format problems, mismatched counts, non-finite values or a single class.
 */
export function idxTable(imagesPath: string, labelsPath: string): ShapedTable {
  const d = loadIdxDataset(imagesPath, labelsPath);
  if (d.rows === 0 || d.cols === 0) throw new DataError('empty data: no images', { file: imagesPath });
  checkFinite(d.features, d.cols, imagesPath);
  if (d.classes.length < 2) throw new DataError(`the labels have a single class (${d.classes[0]}); classification needs at least two`, { file: labelsPath });
  const featureNames = Array.from({ length: d.cols }, (_, j) => `px${j}`);
  const columns: ColumnSpec[] = featureNames.map((name) => ({ name, kind: 'numeric' }));
  const table: Table = {
    source: imagesPath,
    rows: d.rows,
    cols: d.cols,
    features: d.features,
    featureNames,
    columns,
    target: { name: IDX_TARGET, task: 'classification', classes: d.classes, labels: d.labels },
  };
  return withImageShape(table, d.imageShape);
}

/**
 * Encodes IDX images (and labels, when given) with a saved preprocessing:
 * same pixel count, same scaling, labels mapped to the saved classes.
 *
 * @throws DataError for a pixel count that differs from the saved layout or a label the model never saw.
 */
export function encodeIdxWith(pre: Preprocessing, imagesPath: string, labelsPath: string | undefined): EncodedData {
  let features: Float32Array;
  let rows: number;
  let cols: number;
  let target: EncodedData['target'] = null;
  if (labelsPath !== undefined) {
    const t = loadIdxDataset(imagesPath, labelsPath); // a test file may hold a single class
    ({ features, rows, cols } = t);
    const classes = pre.classes;
    if (!classes) throw new DataError('the model is a regression model; IDX labels are classes', { file: labelsPath });
    const index = new Map(classes.map((c, i) => [c, i]));
    const labels = Int32Array.from(t.labels, (k) => {
      const i = index.get(t.classes[k]!);
      if (i === undefined) throw new DataError(`label ${t.classes[k]} is not one of the model's classes (${classes.join(', ')})`, { file: labelsPath });
      return i;
    });
    target = { name: pre.target.name, task: 'classification', classes, labels };
  } else {
    const img = readIdx(imagesPath);
    rows = img.shape[0] ?? 0;
    cols = rows ? img.data.length / rows : 0;
    const s = img.dtype === 'uint8' ? 1 / 255 : 1;
    features = Float32Array.from(img.data, (v) => v * s);
  }
  if (rows === 0) throw new DataError('empty data: no images', { file: imagesPath });
  checkFinite(features, cols, imagesPath);
  if (cols !== pre.inputSize) throw new DataError(`images have ${cols} pixels but the model was trained on ${pre.inputSize}`, { file: imagesPath });
  return { rows, cols, features: pre.scale(features), target };
}
