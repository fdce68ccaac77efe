/**
 * A model directory written by `regula train`: the TF.js-format model and
 * the `preprocessing.json` that turns a CSV into its inputs. Shared by
 * `evaluate` and `predict`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type Sequential } from '../index.js';
import { Preprocessing } from '../data/preprocessing.js';
import { readCsv } from '../data/csv.js';
import type { EncodedData } from '../data/preprocessing.js';
import { Tensor } from '../tensor/tensor.js';
import { UsageError } from './cli-error.js';
import { encodeIdxWith, looksLikeIdx } from './idx-input.js';

/** File name of the saved preprocessing beside `model.json`. */
export const PREPROCESSING_JSON = 'preprocessing.json';

/** A loaded model with its preprocessing. */
export interface SavedModel {
  readonly model: Sequential;
  readonly pre: Preprocessing;
}

/**
 * Loads `dir/model.json` (+ weights) and `dir/preprocessing.json`.
 *
 * @throws UsageError when the directory or a file is missing or the two disagree;
 *   the loader's own errors for a malformed model directory.
 */
export async function loadSavedModel(dir: string): Promise<SavedModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--model ${dir}: directory not found`);
  if (!existsSync(join(dir, 'model.json'))) throw new UsageError(`--model ${dir}: no model.json in the directory (expected the output of regula train)`);
  const prePath = join(dir, PREPROCESSING_JSON);
  if (!existsSync(prePath)) throw new UsageError(`--model ${dir}: no ${PREPROCESSING_JSON} in the directory (expected the output of regula train)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(prePath, 'utf8'));
  } catch (e) {
    throw new UsageError(`${prePath}: not valid JSON (${(e as Error).message})`);
  }
  const pre = Preprocessing.fromJSON(json);
  const model = await loadModel(dir);
  const inShape = model.inputShape;
  const inputs = inShape ? inShape[inShape.length - 1] : undefined;
  if (inputs !== pre.inputSize) {
    throw new UsageError(`--model ${dir}: the model takes ${inputs} inputs but ${PREPROCESSING_JSON} produces ${pre.inputSize} features`);
  }
  return { model, pre };
}

/**
 * Reads a CSV (or IDX images, with optional IDX labels) and encodes it with
 * the saved preprocessing.
 *
 * @throws UsageError when a target is required and IDX images come without labels.
 */
export function encodeInput(saved: SavedModel, path: string, labels: string | undefined, requireTarget: boolean): EncodedData {
  if (labels !== undefined || looksLikeIdx(path)) {
    if (requireTarget && labels === undefined) throw new UsageError(`--data ${path} is an IDX file: give its labels with --labels <file>`);
    return encodeIdxWith(saved.pre, path, labels);
  }
  return saved.pre.transform(readCsv(path), { requireTarget });
}

/** The model's outputs for encoded rows: `[rows, outputs]` row-major. */
export function predictRows(saved: SavedModel, data: EncodedData): { values: Float32Array; outputs: number } {
  const x = new Tensor([data.rows, data.cols], 'float32', data.features);
  const y = saved.model.predict(x, { batchSize: 256 });
  const outputs = y.shape[y.shape.length - 1] ?? 1;
  return { values: Float32Array.from(y.data), outputs };
}
