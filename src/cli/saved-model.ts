/**
 * A model directory written by `regula train`: the TF.js-format model and
 * the `preprocessing.json` that turns a CSV into its inputs. Shared by
 * `evaluate` and `predict`.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type Model } from '../index.js';
import { Preprocessing } from '../data/preprocessing.js';
import type { CsvEncoding } from '../data/csv.js';
import type { EncodedData } from '../data/preprocessing.js';
import { Tensor } from '../tensor/tensor.js';
import { UsageError } from './cli-error.js';
import { readExtraFile } from '../io/model-dir.js';
import { parseTrainRecord, TRAIN_RUN_JSON, type TrainRecord } from './train-record.js';
import { encodeIdxWith, looksLikeIdx } from './idx-input.js';
import { inputMismatch, modelSampleShape, viewRows } from './image-data.js';

/** File name of the saved preprocessing beside `model.json`. */
export const PREPROCESSING_JSON = 'preprocessing.json';

/** A loaded model with its preprocessing. */
export interface SavedModel {
  /** A Sequential, or a functional model with one input and one output. */
  readonly model: Model;
  readonly pre: Preprocessing;
}

/** A saved run (a `train --out` or `--checkpoint` directory): the model, its preprocessing and the run record. */
export interface SavedRun extends SavedModel {
  readonly record: TrainRecord;
}

/**
 * Loads `dir/model.json` (+ weights) and the `preprocessing.json` saved with it.
 *
 * @throws UsageError when the directory or a file is missing or the two disagree;
 *   the loader's own errors for a malformed model directory.
 */
export async function loadSavedModel(dir: string, flag = '--model'): Promise<SavedModel> {
  // A Keras 3 .keras archive (regula export, or Keras after training): model and preprocessing from it (cli/export.ts).
  const keras = /\.keras$/i.test(dir) ? await (await import('./export.js')).loadKerasForCli(dir, flag) : undefined;
  if (!keras && (!existsSync(dir) || !statSync(dir).isDirectory())) throw new UsageError(`${flag} ${dir}: directory not found`);
  if (!keras && !existsSync(join(dir, 'model.json'))) throw new UsageError(`${flag} ${dir}: no model.json in the directory (expected the output of regula train)`);
  const text = keras ? keras.preprocessing : await readExtraFile(dir, PREPROCESSING_JSON);
  if (text === undefined) throw new UsageError(`${flag} ${dir}: no ${PREPROCESSING_JSON} in the directory (expected the output of regula train)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${join(dir, PREPROCESSING_JSON)}: not valid JSON (${(e as Error).message})`);
  }
  const pre = Preprocessing.fromJSON(json);
  const model = keras ? keras.model : await loadModel(dir);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new UsageError(`${flag} ${dir}: the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; regula takes models with one input and one output`);
  }
  const sample = model.inputShapes[0]?.slice(1) ?? [];
  const why = inputMismatch(sample, pre.inputSize, null);
  if (why !== null) {
    const takes = sample.length === 1 ? `${sample[0]} inputs` : `inputs of shape [${sample.join(',')}]`;
    throw new UsageError(`${flag} ${dir}: the model takes ${takes} but ${PREPROCESSING_JSON} produces ${pre.inputSize} features`);
  }
  return { model, pre };
}

/** Loads a saved run for `--resume`: the model with its training state, its preprocessing and `train-run.json`. */
export async function loadRunDir(dir: string, flag: string): Promise<SavedRun> {
  const saved = await loadSavedModel(dir, flag);
  const text = await readExtraFile(dir, TRAIN_RUN_JSON);
  if (text === undefined) throw new UsageError(`${flag} ${dir}: no ${TRAIN_RUN_JSON} (written by regula train into --out and --checkpoint directories)`);
  return { ...saved, record: parseTrainRecord(text, `${flag} ${dir}`) };
}

/**
 * Reads a CSV (or IDX images, with optional IDX labels) and encodes it with
 * the saved preprocessing. A CSV streams (`Preprocessing.transformFile`),
 * read in `encoding` (UTF-8 by default).
 *
 * @throws UsageError when a target is required and IDX images come without labels.
 */
export function encodeInput(saved: SavedModel, path: string, labels: string | undefined, requireTarget: boolean, encoding?: CsvEncoding): EncodedData {
  if (labels !== undefined || looksLikeIdx(path)) {
    if (requireTarget && labels === undefined) throw new UsageError(`--data ${path} is an IDX file: give its labels with --labels <file>`);
    return encodeIdxWith(saved.pre, path, labels);
  }
  return saved.pre.transformFile(path, { requireTarget, encoding });
}

/** The model's outputs for encoded rows: `[rows, outputs]` row-major. */
export function predictRows(saved: SavedModel, data: EncodedData): { values: Float32Array; outputs: number } {
  // A CNN takes the rows as images of its input shape (a view of the same data).
  const x = viewRows(new Tensor([data.rows, data.cols], 'float32', data.features), modelSampleShape(saved.model));
  const y = saved.model.predict(x, { batchSize: 256 }) as Tensor;
  const outputs = y.shape[y.shape.length - 1] ?? 1;
  return { values: Float32Array.from(y.data), outputs };
}
