/**
 * The public save/load API (TF.js Layers format, ARCHITECTURE decision 9):
 *
 * - `model.save(dirOrHandler, {includeOptimizer, weightsOnly})` / `saveModel`
 * - `loadModel(dirOrArtifactsOrHandler)` → a Sequential (compiled and ready
 *   to resume if the save had a training state)
 * - `model.saveWeights(dir)` / `model.loadWeights(dir)` (weights only)
 * - `toArtifacts(model)` / `fromArtifacts(artifacts)`: in memory, anywhere.
 *
 * A string is a directory (Node only: fs.ts is imported lazily); an object
 * with `save()` / `load()` is a TF.js-style IOHandler, so
 * `model.save(tf.io.withSaveHandler(...))` and
 * `loadModel(tf.io.fromMemory(...))` work, in a browser too.
 * Importing this module installs `save`/`loadWeights` on Sequential.
 */
import { Sequential, setModelSaver, setWeightsLoader, type ModelLoadHandler, type ModelSaveHandler } from '../models/sequential.js';
import { modelToArtifacts, readArtifacts, type ModelArtifacts } from './artifacts.js';
import { isRecord, MODEL_JSON, ModelFormatError } from './keras-format.js';
import { assignWeights, layersFromTopology } from './model-json.js';
import { readArtifactsFromDir, readWeightsFromDir, writeArtifactsToDir, type ExtraFile } from './model-dir.js';
import { applyTrainingState, collectTrainingState } from './resume.js';
import { checkDeclaredSizes } from './declared-sizes.js';
import { DEFAULT_MAX_WEIGHT_BYTES } from './weights.js';

/** Options of `save` / `saveModel`. */
export interface SaveOptions {
  /**
   * Save the training state (optimizer slots, iterations, learning rate,
   * fit seed and epoch, layer RNG states, callback states) for an exact
   * resume. Default: true when the model is compiled (Keras's default) and
   * its loss is saveable; a user-function loss then saves no training state,
   * while an explicit `true` fails with an error naming the loss.
   */
  includeOptimizer?: boolean;
  /** Save weights only (no topology): `weights.json` + `weights-shard*.bin`. */
  weightsOnly?: boolean;
  /**
   * Directory saves only: extra files (plain names, e.g. `preprocessing.json`)
   * written in the same generation as the model and named in its model.json,
   * so they switch with it atomically; read back with `readExtraFile(dir, name)`.
   */
  extraFiles?: readonly ExtraFile[];
}

/** Options of `loadModel` / `fromArtifacts`. */
export interface LoadOptions {
  /** Refuse manifests declaring more weight bytes than this (default 1 GiB). */
  maxWeightBytes?: number;
  /** 'auto' (default): restore a training state if saved; 'ignore': load the bare model. */
  trainingState?: 'auto' | 'ignore';
}

function describe(source: unknown): string {
  return typeof source === 'string' ? source : 'artifacts';
}

/**
 * Serializes a model to TF.js `ModelArtifacts` (browser-safe). Every failure
 * (unregistered custom regularizer, unsavable loss) happens here, before
 * anything is written.
 */
export function toArtifacts(model: Sequential, opts: SaveOptions = {}): ModelArtifacts {
  if (!(model instanceof Sequential)) throw new Error(`toArtifacts: expected a Sequential model, got ${typeof model}`);
  if (!model.built) {
    throw new Error(`save: model '${model.name}' is not built, so it has no weights yet; give the first layer an inputShape, call model.build([null, ...features]) or fit it first`);
  }
  const include = opts.weightsOnly ? false : (opts.includeOptimizer ?? model.compiled !== undefined);
  if (include && !model.compiled) throw new Error(`save: includeOptimizer needs a compiled model; '${model.name}' is not compiled`);
  const trainingState = include ? collectTrainingState(model, opts.includeOptimizer === true) : undefined;
  return modelToArtifacts(model, { weightsOnly: opts.weightsOnly === true, ...(trainingState !== undefined ? { trainingState } : {}) });
}

/** Builds a Sequential from untrusted artifacts (validated before any allocation). */
export function fromArtifacts(artifacts: ModelArtifacts | object, opts: LoadOptions = {}, source = 'artifacts'): Sequential {
  const checked = readArtifacts(artifacts, source, true, opts.maxWeightBytes);
  const topology = checked.topology!;
  const layers = layersFromTopology(topology, source);
  let savedBytes = 0;
  for (const t of checked.weights.values()) savedBytes += t.size * 4;
  checkDeclaredSizes(layers, topology, source, opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES, savedBytes);
  let model: Sequential;
  try {
    model = new Sequential(layers, { name: topology.config.name });
    model.build();
  } catch (e) {
    throw new ModelFormatError(source, `cannot build the saved model: ${(e as Error).message}`);
  }
  assignWeights(model, checked.weights, source);
  if (checked.trainingState !== undefined && opts.trainingState !== 'ignore') applyTrainingState(model, checked.trainingState, source);
  return model;
}

function isSaveHandler(v: unknown): v is Required<ModelSaveHandler> {
  return isRecord(v) && typeof v['save'] === 'function';
}

function isLoadHandler(v: unknown): v is Required<ModelLoadHandler> {
  return isRecord(v) && typeof v['load'] === 'function';
}

/**
 * Saves `model` to a directory (atomically) or through a TF.js save handler.
 * @example
 * await saveModel(model, 'out/model');                           // model.json + shards (+ training state)
 * await saveModel(model, tf.io.withSaveHandler(async (a) => …)); // hand to TF.js
 */
export async function saveModel(model: Sequential, target: string | ModelSaveHandler, opts: SaveOptions = {}): Promise<void> {
  const artifacts = toArtifacts(model, opts);
  if (typeof target === 'string') {
    if (target === '') throw new Error('save: the directory path is empty');
    await writeArtifactsToDir(target, artifacts, { weightsOnly: opts.weightsOnly === true, ...(opts.extraFiles ? { extraFiles: opts.extraFiles } : {}) });
    return;
  }
  if (!isSaveHandler(target)) throw new Error(`save: expected a directory path or a handler with save(artifacts), got ${typeof target}`);
  await (target.save as (a: ModelArtifacts) => Promise<unknown>)(artifacts);
}

/**
 * Loads a Sequential model from a directory, in-memory artifacts, or a TF.js
 * load handler. Unknown layer classes, functional models, bad JSON, shard
 * paths leaving the directory and size mismatches are refused with an error
 * naming the file and the problem.
 * @example
 * const model = await loadModel('out/model');
 * const fromTfjs = await loadModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
 */
export async function loadModel(source: string | ModelArtifacts | ModelLoadHandler, opts: LoadOptions = {}): Promise<Sequential> {
  if (typeof source === 'string') {
    const a = await readArtifactsFromDir(source, opts);
    return fromArtifacts(a, opts, `${source.replace(/[\\/]+$/, '')}/${MODEL_JSON}`);
  }
  if (isLoadHandler(source)) return fromArtifacts((await source.load()) as object, opts, 'handler artifacts');
  if (isRecord(source)) return fromArtifacts(source, opts, describe(source));
  throw new Error(`loadModel: expected a directory path, model artifacts or a handler with load(), got ${typeof source}`);
}

/**
 * Loads weights into a built model from a directory (`weights.json` or
 * `model.json`), artifacts or a load handler, matched by weight name.
 */
export async function loadWeights(model: Sequential, source: string | ModelArtifacts | ModelLoadHandler | object, opts: LoadOptions = {}): Promise<void> {
  let a: unknown;
  let where: string;
  if (typeof source === 'string') {
    a = await readWeightsFromDir(source, opts);
    where = source;
  } else if (isLoadHandler(source)) {
    a = await source.load();
    where = 'handler artifacts';
  } else {
    a = source;
    where = 'artifacts';
  }
  const checked = readArtifacts(a, where, false, opts.maxWeightBytes);
  if (!model.built) model.build();
  assignWeights(model, checked.weights, where);
}

/** Saves weights only (see `SaveOptions.weightsOnly`). */
export function saveWeights(model: Sequential, target: string | ModelSaveHandler): Promise<void> {
  return saveModel(model, target, { weightsOnly: true });
}

setModelSaver((model, target, opts) => saveModel(model, target, opts));
setWeightsLoader((model, source) => loadWeights(model, source));
