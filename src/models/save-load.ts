/**
 * The public save/load API (TF.js Layers format, ARCHITECTURE decision 9):
 *
 * - `model.save(dirOrHandler, {includeOptimizer, weightsOnly})` / `saveModel`
 * - `loadModel(dirOrArtifactsOrHandler)` → a Sequential (compiled and ready
 *   to resume if the save had a training state)
 * - `model.saveWeights(dir)` / `model.loadWeights(dir)` (weights only)
 * - `toArtifacts(model)` / `fromArtifacts(artifacts)`: in memory, anywhere.
 *
 * A string is a directory (Node only: io's fs.ts is imported lazily); an
 * object with `save()` / `load()` is a TF.js-style IOHandler, so
 * `model.save(tf.io.withSaveHandler(...))` and
 * `loadModel(tf.io.fromMemory(...))` work, in a browser too. Nothing is
 * installed at import time: `model.save` works with any import order.
 */
import { readArtifacts, type ModelArtifacts } from '../io/artifacts.js';
import { checkDeclaredSizes } from '../io/declared-sizes.js';
import { readModelArtifacts, type ModelLoadHandler, type ModelSaveHandler } from '../io/handlers.js';
import { ModelFormatError } from '../io/keras-format.js';
import { assignWeights, layersFromTopology } from '../io/model-json.js';
import { DEFAULT_MAX_WEIGHT_BYTES } from '../io/weights.js';
import { applyStateValue, loadWeightsInto, modelArtifacts, saveModelTo, type LoadOptions, type SaveOptions } from './model-artifacts.js';
import { Sequential } from './sequential.js';

export type { LoadOptions, SaveOptions } from './model-artifacts.js';

/**
 * Serializes a model to TF.js `ModelArtifacts` (browser-safe). Every failure
 * (unregistered custom regularizer, unsavable loss) happens here, before
 * anything is written.
 */
export function toArtifacts(model: Sequential, opts: SaveOptions = {}): ModelArtifacts {
  if (!(model instanceof Sequential)) throw new Error(`toArtifacts: expected a Sequential model, got ${typeof model}`);
  return modelArtifacts(model, opts);
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
  if (checked.trainingState !== undefined && opts.trainingState !== 'ignore') applyStateValue(model, checked.trainingState, source);
  return model;
}

/**
 * Saves `model` to a directory (atomically) or through a TF.js save handler.
 * @example
 * await saveModel(model, 'out/model');                           // model.json + shards (+ training state)
 * await saveModel(model, tf.io.withSaveHandler(async (a) => …)); // hand to TF.js
 */
export async function saveModel(model: Sequential, target: string | ModelSaveHandler, opts: SaveOptions = {}): Promise<void> {
  if (!(model instanceof Sequential)) throw new Error(`toArtifacts: expected a Sequential model, got ${typeof model}`);
  await saveModelTo(model, target, opts);
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
  const read = await readModelArtifacts(source, opts);
  return fromArtifacts(read.artifacts, opts, read.source);
}

/**
 * Loads weights into a built model from a directory (`weights.json` or
 * `model.json`), artifacts or a load handler, matched by weight name.
 */
export function loadWeights(model: Sequential, source: string | ModelArtifacts | ModelLoadHandler | object, opts: LoadOptions = {}): Promise<void> {
  return loadWeightsInto(model, source, opts);
}

/** Saves weights only (see `SaveOptions.weightsOnly`). */
export function saveWeights(model: Sequential, target: string | ModelSaveHandler): Promise<void> {
  return saveModel(model, target, { weightsOnly: true });
}
