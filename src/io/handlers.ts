/**
 * Model artifacts ↔ where they are saved: a directory (Node only: fs.ts is
 * imported lazily, so this stays browser-safe until a path is used) or a
 * TF.js-style IOHandler (an object with `save(artifacts)` / `load()`), so
 * `model.save(tf.io.withSaveHandler(...))` and
 * `loadModel(tf.io.fromMemory(...))` work, in a browser too.
 *
 * io knows nothing of models: models/ turns a model into artifacts and back
 * (models/model-artifacts.ts) and calls these functions; io never imports
 * models/ (checked by scripts/check-imports.ts).
 */
import type { ModelArtifacts } from './artifacts.js';
import { isRecord, MODEL_JSON } from './keras-format.js';
import { readArtifactsFromDir, readWeightsFromDir, writeArtifactsToDir, type ExtraFile, type ReadDirOptions } from './model-dir.js';
import { locate, readArtifactsFromUrl } from './url.js';

/** A TF.js-style save handler (`tf.io.withSaveHandler(...)`, or any `{save(artifacts)}`); optional as in TF.js's IOHandler, checked at run time. */
export interface ModelSaveHandler {
  save?: (artifacts: never) => Promise<unknown>;
}
/** A TF.js-style load handler (`tf.io.fromMemory(...)`, or any `{load()}`); optional as in TF.js's IOHandler, checked at run time. */
export interface ModelLoadHandler {
  load?: () => Promise<unknown>;
}

/** Options of `writeModelArtifacts`. */
export interface WriteTargetOptions {
  /** Directory saves: write `weights.json` (+ `weights-shard*.bin`) instead of model.json. */
  weightsOnly?: boolean;
  /** Directory saves: extra files switched together with the model (read back with readExtraFile). */
  extraFiles?: readonly ExtraFile[];
}

function isSaveHandler(v: unknown): v is Required<ModelSaveHandler> {
  return isRecord(v) && typeof v['save'] === 'function';
}

function isLoadHandler(v: unknown): v is Required<ModelLoadHandler> {
  return isRecord(v) && typeof v['load'] === 'function';
}

/** Writes artifacts to a directory (atomically, one generation) or hands them to a save handler. */
export async function writeModelArtifacts(target: string | ModelSaveHandler, artifacts: ModelArtifacts, opts: WriteTargetOptions = {}): Promise<void> {
  if (typeof target === 'string') {
    if (target === '') throw new Error('save: the directory path is empty');
    const where = locate(target, 'save');
    if (where.kind !== 'dir') throw new Error(`save: cannot save to ${target}`);
    await writeArtifactsToDir(where.dir, artifacts, { weightsOnly: opts.weightsOnly === true, ...(opts.extraFiles ? { extraFiles: opts.extraFiles } : {}) });
    return;
  }
  if (!isSaveHandler(target)) throw new Error(`save: expected a directory path or a handler with save(artifacts), got ${typeof target}`);
  await (target.save as (a: ModelArtifacts) => Promise<unknown>)(artifacts);
}

/** Untrusted artifacts and the name errors give their source. */
export interface ReadArtifacts {
  artifacts: object;
  source: string;
}

/**
 * Reads a full model's artifacts from a directory (its model.json), a load
 * handler, or takes in-memory artifacts as they are; not yet validated.
 */
export async function readModelArtifacts(source: unknown, opts: ReadDirOptions = {}): Promise<ReadArtifacts> {
  if (typeof source === 'string') {
    const where = locate(source, 'loadModel');
    if (where.kind === 'http') return { artifacts: await readArtifactsFromUrl(where.url, opts), source: where.url };
    const artifacts = await readArtifactsFromDir(where.dir, opts);
    return { artifacts, source: `${where.dir.replace(/[\\/]+$/, '')}/${MODEL_JSON}` };
  }
  if (isLoadHandler(source)) return { artifacts: (await source.load()) as object, source: 'handler artifacts' };
  if (isRecord(source)) return { artifacts: source, source: 'artifacts' };
  throw new Error(`loadModel: expected a directory path, model artifacts or a handler with load(), got ${typeof source}`);
}

/** Reads weights from a directory (`weights.json` or `model.json`), a load handler, or in-memory artifacts. */
export async function readWeightsArtifacts(source: unknown, opts: ReadDirOptions = {}): Promise<{ artifacts: unknown; source: string }> {
  if (typeof source === 'string') {
    const where = locate(source, 'loadWeights');
    if (where.kind === 'http') return { artifacts: await readArtifactsFromUrl(where.url, { ...opts, needTopology: false }), source: where.url };
    return { artifacts: await readWeightsFromDir(where.dir, opts), source: where.dir };
  }
  if (isLoadHandler(source)) return { artifacts: await source.load(), source: 'handler artifacts' };
  return { artifacts: source, source: 'artifacts' };
}
