/**
 * Model ↔ artifacts, the models/ half of save and load: a model — a
 * Sequential or a functional Model, nested models included — (its topology,
 * weights and `TrainingState`) becomes TF.js `ModelArtifacts` and back
 * (building a model from artifacts is save-load.ts's `fromArtifacts`). io/
 * does the other half, artifacts ↔ a directory or an IOHandler
 * (io/handlers.ts), without importing models/; `model.save` and
 * `loadWeights` call both halves directly, so they work whatever was
 * imported first. Browser-safe (io's file access is lazy).
 */
import { modelToArtifacts, readArtifacts, type ModelArtifacts } from '../io/artifacts.js';
import { readWeightsArtifacts, writeModelArtifacts, type ModelLoadHandler, type ModelSaveHandler } from '../io/handlers.js';
import { ModelFormatError } from '../io/keras-format.js';
import type { ExtraFile } from '../io/model-dir.js';
import { assignWeights } from '../io/model-json.js';
import type { StateValue } from '../io/training-state.js';
import type { Model } from './model.js';
import { trainingStateFromValue, trainingStateToValue } from './training-state-codec.js';
import { captureTrainingState, restoreTrainingState } from './training-state.js';

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

/**
 * Serializes a built model (and, by default when compiled, its training
 * state). Every failure (unsavable config or loss) happens here, before
 * anything is written.
 */
export function modelArtifacts(model: Model, opts: SaveOptions = {}): ModelArtifacts {
  if (!model.built) {
    throw new Error(`save: model '${model.name}' is not built, so it has no weights yet; give the first layer an inputShape, call model.build([null, ...features]) or fit it first`);
  }
  const include = opts.weightsOnly ? false : (opts.includeOptimizer ?? model.compiled !== undefined);
  if (include && !model.compiled) throw new Error(`save: includeOptimizer needs a compiled model; '${model.name}' is not compiled`);
  const state = include ? captureTrainingState(model, opts.includeOptimizer === true) : undefined;
  return modelToArtifacts(model, { weightsOnly: opts.weightsOnly === true, ...(state !== undefined ? { trainingState: trainingStateToValue(state) } : {}) });
}

/** Serializes `model` and writes it to a directory or a save handler. */
export async function saveModelTo(model: Model, target: string | ModelSaveHandler, opts: SaveOptions = {}): Promise<void> {
  // A path ending in .keras is a Keras 3 archive (keras3.ts, and its HDF5/zip libraries, load only here).
  if (typeof target === 'string' && /\.keras$/i.test(target)) return (await import('./keras3.js')).saveKeras(model, target, opts);
  const artifacts = modelArtifacts(model, opts);
  await writeModelArtifacts(target, artifacts, { weightsOnly: opts.weightsOnly === true, ...(opts.extraFiles ? { extraFiles: opts.extraFiles } : {}) });
}

/** Restores a decoded training state into a loaded model (errors name `source`). */
export function applyStateValue(model: Model, value: StateValue, source: string): void {
  const state = trainingStateFromValue(value, source);
  restoreTrainingState(model, state, (what) => {
    throw new ModelFormatError(source, what);
  });
}

/**
 * Loads weights into a model from a directory (`weights.json` or
 * `model.json`), artifacts or a load handler, matched by weight name.
 */
export async function loadWeightsInto(model: Model, source: string | ModelArtifacts | ModelLoadHandler | object, opts: LoadOptions = {}): Promise<void> {
  const read = await readWeightsArtifacts(source, opts);
  const checked = readArtifacts(read.artifacts, read.source, false, opts.maxWeightBytes);
  if (!model.built) model.build();
  assignWeights(model, checked.weights, read.source);
}
