/**
 * The public save/load API (TF.js Layers format, ARCHITECTURE decision 9):
 *
 * - `model.save(dirOrHandler, {includeOptimizer, weightsOnly})` / `saveModel`
 * - `loadModel(dirOrArtifactsOrHandler)` → a Sequential for a Sequential
 *   topology, a functional Model for a 'Model'/'Functional' one (compiled
 *   and ready to resume if the save had a training state)
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
import { checkInputShape, guardWeights } from '../io/declared-sizes.js';
import { readModelArtifacts, type ModelLoadHandler, type ModelSaveHandler } from '../io/handlers.js';
import { ModelFormatError, type FunctionalTopology, type LayerJson, type ModelTopology, type SequentialTopology } from '../io/keras-format.js';
import { assignWeights, checkLayerClasses, layersFromTopology } from '../io/model-json.js';
import { DEFAULT_MAX_WEIGHT_BYTES } from '../io/weights.js';
import type { Layer } from '../layers/layer.js';
import { deserializeLayer, functionalGraph } from './layer-config.js';
import { Model } from './model.js';
import { applyStateValue, loadWeightsInto, modelArtifacts, saveModelTo, type LoadOptions, type SaveOptions } from './model-artifacts.js';
import { Sequential } from './sequential.js';

export type { LoadOptions, SaveOptions } from './model-artifacts.js';

/** A model of any kind, or a clear error. */
function requireModel(model: unknown, who: string): Model {
  if (!(model instanceof Model)) throw new Error(`${who}: expected a model (Sequential or model({inputs, outputs})), got ${model === null ? 'null' : typeof model === 'object' ? (model.constructor?.name ?? 'an object') : typeof model}`);
  return model;
}

/**
 * Serializes a model to TF.js `ModelArtifacts` (browser-safe). Every failure
 * (unregistered custom regularizer, unsavable loss) happens here, before
 * anything is written.
 */
export function toArtifacts(model: Model, opts: SaveOptions = {}): ModelArtifacts {
  return modelArtifacts(requireModel(model, 'toArtifacts'), opts);
}

/**
 * Names the layer a weight check refuses, as 'layer 2 ('inner', Sequential) >
 * layer 0 ('dense', Dense)': the top-level spec index, then the path inside
 * nested models. `read` makes the top-level layers and records them.
 */
function layerNames(specs: readonly LayerJson[]): { read: (spec: LayerJson, index: number) => Layer; describe: (l: Layer) => string } {
  const made: Layer[] = [];
  let current = -1;
  const specName = (i: number): string => String(specs[i]?.config['name'] ?? '?');
  const label = (i: number, l: Layer): string => `layer ${i} ('${l.name}', ${specs[i]?.class_name ?? l.className})`;
  const inside = (m: Layer, l: Layer, depth: number): string | undefined => {
    if (!(m instanceof Model) || depth > 64) return undefined;
    const ls = m.layers;
    for (let j = 0; j < ls.length; j++) {
      const x = ls[j]!;
      if (x === l) return `layer ${j} ('${l.name}', ${l.className})`;
      const p = inside(x, l, depth + 1);
      if (p) return `layer ${j} ('${x.name}', ${x.className}) > ${p}`;
    }
    return undefined;
  };
  return {
    read: (spec, index) => {
      current = index;
      const l = deserializeLayer(spec);
      made[index] = l;
      current = -1;
      return l;
    },
    describe: (l) => {
      for (let i = 0; i < made.length; i++) {
        const t = made[i];
        if (!t) continue;
        if (t === l) return label(i, l);
        const p = inside(t, l, 0);
        if (p) return `${label(i, t)} > ${p}`;
      }
      if (current >= 0) return `layer ${current} ('${specName(current)}', ${specs[current]?.class_name}) > layer '${l.name}' (${l.className})`;
      return `layer '${l.name}' (${l.className})`;
    },
  };
}

/** Runs `build`; an error that is not already a ModelFormatError becomes one naming `source`. */
function building<T>(source: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(source, `cannot build the saved model: ${(e as Error).message}`);
  }
}

/** A Sequential from its checked topology (weights checked against the limits before each is made). */
function sequentialFrom(topology: SequentialTopology, source: string, maxBytes: number, savedBytes: number): Sequential {
  const names = layerNames(topology.config.layers);
  return guardWeights({ file: source, maxBytes, savedBytes, describe: names.describe }, () => {
    const layers = layersFromTopology(topology, source, names.read);
    const first = layers[0];
    if (first?.batchInputShape) checkInputShape(first.batchInputShape, names.describe(first), source, maxBytes);
    return building(source, () => {
      const model = new Sequential(layers, { name: topology.config.name });
      model.build();
      return model;
    });
  });
}

/** A functional model from its checked topology: the graph first, its input shapes checked, then `new Model` builds. */
function functionalFrom(topology: FunctionalTopology, source: string, maxBytes: number, savedBytes: number): Model {
  checkLayerClasses(topology, source);
  const names = layerNames(topology.config.layers);
  return guardWeights({ file: source, maxBytes, savedBytes, describe: names.describe }, () =>
    building(source, () => {
      const g = functionalGraph(topology.config, names.read);
      for (const t of g.inputs) checkInputShape(t.shape, names.describe(t.sourceLayer), source, maxBytes, true);
      const m = new Model({ inputs: g.inputs, outputs: g.outputs, ...(g.name !== undefined ? { name: g.name } : {}) });
      m.trainable = g.trainable;
      return m;
    }),
  );
}

/** A checked topology as a model (Sequential or functional), its declared weights guarded; no weights assigned. */
export function modelFromTopology(topology: ModelTopology, source: string, maxBytes: number, savedBytes: number): Model {
  return topology.class_name === 'Sequential' ? sequentialFrom(topology, source, maxBytes, savedBytes) : functionalFrom(topology, source, maxBytes, savedBytes);
}

/** A local path to a Keras 3 `.keras` archive (loaded by keras3.ts, imported only then). */
const isKerasPath = (s: unknown): s is string => typeof s === 'string' && /\.keras$/i.test(s) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/**
 * Saves `model` as a Keras 3 `.keras` archive (config.json, model.weights.h5,
 * and the compile config and optimizer state when compiled), atomically.
 * `model.save('x.keras')` does the same.
 */
export async function saveKeras(model: Model, path: string, opts: SaveOptions = {}): Promise<void> {
  await (await import('./keras3.js')).saveKeras(requireModel(model, 'saveKeras'), path, opts);
}

/**
 * Builds a model from untrusted artifacts (validated before any allocation):
 * a Sequential for a Sequential topology, a functional Model otherwise.
 */
export function fromArtifacts(artifacts: ModelArtifacts | object, opts: LoadOptions = {}, source = 'artifacts'): Model {
  const checked = readArtifacts(artifacts, source, true, opts.maxWeightBytes);
  const topology = checked.topology!;
  let savedBytes = 0;
  for (const t of checked.weights.values()) savedBytes += t.size * 4;
  const maxBytes = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const model = topology.class_name === 'Sequential' ? sequentialFrom(topology, source, maxBytes, savedBytes) : functionalFrom(topology, source, maxBytes, savedBytes);
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
export async function saveModel(model: Model, target: string | ModelSaveHandler, opts: SaveOptions = {}): Promise<void> {
  await saveModelTo(requireModel(model, 'saveModel'), target, opts);
}

/**
 * Loads a model from a directory, in-memory artifacts, or a TF.js load
 * handler: a Sequential for a Sequential topology (test with `instanceof
 * Sequential`), a functional Model for a 'Model'/'Functional' one. Unknown
 * layer classes, references to missing layers or nodes, cycles, bad JSON,
 * shard paths leaving the directory and size mismatches are refused with a
 * ModelFormatError naming the file and the problem.
 * @example
 * const model = await loadModel('out/model');
 * const fromTfjs = await loadModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
 */
export async function loadModel(source: string | ModelArtifacts | ModelLoadHandler, opts: LoadOptions = {}): Promise<Model> {
  if (isKerasPath(source)) return (await (await import('./keras3.js')).loadKerasFile(source, modelFromTopology, opts)).model;
  const read = await readModelArtifacts(source, opts);
  return fromArtifacts(read.artifacts, opts, read.source);
}

/**
 * Loads weights into a built model from a directory (`weights.json` or
 * `model.json`), artifacts or a load handler, matched by weight name.
 */
export function loadWeights(model: Model, source: string | ModelArtifacts | ModelLoadHandler | object, opts: LoadOptions = {}): Promise<void> {
  return loadWeightsInto(requireModel(model, 'loadWeights'), source, opts);
}

/** Saves weights only (see `SaveOptions.weightsOnly`). */
export function saveWeights(model: Model, target: string | ModelSaveHandler): Promise<void> {
  return saveModel(model, target, { weightsOnly: true });
}
