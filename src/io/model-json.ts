/**
 * Model ↔ `model.json`: the topology — a Sequential's layer list (each
 * layer's `{class_name, config}` from `getConfig`) or a functional model's
 * config (`class_name: 'Model'`, layers with their `inbound_nodes`, input and
 * output layers) — and the weights, named as TF.js names them (`<layer
 * name>/<weight name>`, e.g. `dense_1/kernel`, also for the layers of a
 * nested model) so files move between Regula and TF.js both ways. Weights
 * are matched by name on load, as TF.js does, and every shape is checked.
 *
 * Knows nothing of files (see fs.ts) or of the model classes
 * (models/save-load.ts constructs them): a model is what `ModelLike` says;
 * browser-safe.
 */
import type { Layer } from '../layers/layer.js';
import { isLayerClassName, LAYER_ALIASES, layerFromConfig, LAYERS } from '../layers/registry.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import {
  BACKEND_NAME,
  KERAS_VERSION,
  MODEL_CLASS_NAMES,
  ModelFormatError,
  type FunctionalLayerJson,
  type FunctionalTopology,
  type LayerJson,
  type ModelTopology,
  type SequentialTopology,
  type TensorRef,
} from './keras-format.js';
import type { NamedTensor } from './weights.js';

/**
 * What io needs of a model (a Regula Model is one): its name, its layers in
 * order, every weight once (a nested model's included), its class name
 * ('Sequential' is saved as a layer list, anything else as a functional
 * 'Model') and, for a functional model, its config
 * `{name, layers, input_layers, output_layers}`.
 */
export interface ModelLike {
  readonly name: string;
  readonly className: string;
  readonly layers: readonly Layer[];
  readonly weights: readonly Variable[];
  getConfig(): Record<string, unknown>;
}

/** A layer config through a JSON round trip: drops undefined, and rejects functions and NaN now rather than at load time. */
function jsonConfig(layer: string, config: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(config, (k, v: unknown) => {
    if (typeof v === 'function') throw new Error(`save: layer '${layer}' config key '${k}' holds a function; register it with registerCustomObject`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`save: layer '${layer}' config key '${k}' is ${v}, which JSON cannot hold`);
    return v;
  });
  return JSON.parse(json) as Record<string, unknown>;
}

/** `l.getConfig()`, with an error naming the layer. */
function configOf(l: Layer): Record<string, unknown> {
  try {
    return l.getConfig();
  } catch (e) {
    throw new Error(`save: layer '${l.name}' (${l.className}) cannot be serialized: ${(e as Error).message}`);
  }
}

/**
 * The TF.js/Keras topology of a model. Throws if a layer's config cannot be
 * serialized (e.g. an unregistered custom regularizer), naming the layer.
 */
export function modelTopology(model: ModelLike): ModelTopology {
  if (model.className !== 'Sequential') return functionalTopology(model);
  const layers: LayerJson[] = model.layers.map((l) => ({ class_name: l.className, config: jsonConfig(l.name, configOf(l)) }));
  return { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: KERAS_VERSION, backend: BACKEND_NAME };
}

/** A functional model's topology (`class_name: 'Model'`, as TF.js writes it). */
function functionalTopology(model: ModelLike): FunctionalTopology {
  for (const l of model.layers) configOf(l); // a layer that cannot be serialized is named here
  let config: Record<string, unknown>;
  try {
    config = model.getConfig();
  } catch (e) {
    throw new Error(`save: model '${model.name}' cannot be serialized: ${(e as Error).message}`);
  }
  const layers = (config['layers'] as FunctionalLayerJson[]).map((e) => ({ name: e.name, class_name: e.class_name, config: jsonConfig(e.name, e.config), inbound_nodes: JSON.parse(JSON.stringify(e.inbound_nodes)) as unknown[] }));
  const ends = (k: string): TensorRef[] => JSON.parse(JSON.stringify(config[k])) as TensorRef[];
  return {
    class_name: 'Model',
    config: { name: model.name, layers, input_layers: ends('input_layers'), output_layers: ends('output_layers') },
    keras_version: KERAS_VERSION,
    backend: BACKEND_NAME,
  };
}

/**
 * Every weight of the model with its save name, in `model.weights` order
 * (layer by layer, a layer's weights in creation order), each Variable
 * once. Two different weights with one name (layers of a nested model
 * named like others) make `fail` report it: their file could not be loaded.
 */
export function namedWeights(model: ModelLike, fail: (message: string) => never = defaultFail): NamedTensor[] {
  const out: NamedTensor[] = [];
  const seen = new Set<Variable>();
  const byName = new Map<string, Variable>();
  for (const w of model.weights) {
    if (seen.has(w)) continue;
    seen.add(w);
    if (byName.has(w.name)) fail(`two different weights of model '${model.name}' are named '${w.name}' (a nested model has a layer named like another layer); give the layers unique names`);
    byName.set(w.name, w);
    out.push({ name: w.name, tensor: w });
  }
  return out;
}

function defaultFail(message: string): never {
  throw new Error(`save: ${message}`);
}

/** The known layer class names, for error messages. */
function knownLayers(): string {
  return Object.keys(LAYERS).sort().join(', ');
}

/** True for a registered layer class or one of its documented aliases ('Convolution1D'). */
function knownClass(cls: string): boolean {
  return isLayerClassName(cls) || Object.prototype.hasOwnProperty.call(LAYER_ALIASES, cls);
}

/** How models/ turns a layer spec into a layer (nested Sequential and functional models included). */
export type LayerDeserializer = (spec: LayerJson, index: number) => Layer;

/**
 * Refuses a topology naming a class that is neither a registered layer nor a
 * model, with its index and the list of known classes, before any layer is
 * constructed (the layers of nested models are checked when they are built).
 */
export function checkLayerClasses(topology: ModelTopology, file: string): void {
  topology.config.layers.forEach((s: LayerJson, i: number) => {
    if (!knownClass(s.class_name) && !MODEL_CLASS_NAMES.includes(s.class_name)) {
      throw new ModelFormatError(file, `layer ${i} has unknown class '${s.class_name}'; known layer classes: ${knownLayers()}`);
    }
  });
}

/**
 * Builds the layers of a Sequential topology with `deserialize` (models/
 * passes one that also builds nested models; the default knows layers
 * only). An unknown class is reported with its index and the list of known
 * classes, before any layer is constructed.
 */
export function layersFromTopology(topology: SequentialTopology, file: string, deserialize: LayerDeserializer = (s) => layerFromConfig(s)): Layer[] {
  checkLayerClasses(topology, file);
  return topology.config.layers.map((s, i) => {
    try {
      return deserialize({ class_name: s.class_name, config: s.config }, i);
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      const name = typeof s.config['name'] === 'string' ? `'${s.config['name']}', ` : '';
      throw new ModelFormatError(file, `layer ${i} (${name}${s.class_name}): ${(e as Error).message}`);
    }
  });
}

/**
 * Assigns saved weights to a built model by name. Every model weight must be
 * present with the same shape; `strict` (default) also rejects saved weights
 * the model does not have. Nothing is assigned unless everything matches.
 */
export function assignWeights(model: ModelLike, saved: ReadonlyMap<string, Tensor>, file: string, strict = true): void {
  const targets = namedWeights(model, (what) => {
    throw new ModelFormatError(file, what);
  });
  const missing = targets.filter((t) => !saved.has(t.name)).map((t) => t.name);
  if (missing.length > 0) {
    const have = [...saved.keys()];
    throw new ModelFormatError(file, `the file has no weight for ${missing.map((m) => `'${m}'`).join(', ')}; it holds ${have.length ? have.map((h) => `'${h}'`).join(', ') : 'no weights'}`);
  }
  if (strict) {
    const wanted = new Set(targets.map((t) => t.name));
    const extra = [...saved.keys()].filter((k) => !wanted.has(k));
    if (extra.length > 0) throw new ModelFormatError(file, `the file holds weights the model does not have: ${extra.map((e) => `'${e}'`).join(', ')}`);
  }
  // Check every shape before assigning any, so a mismatch leaves the model unchanged.
  for (const t of targets) {
    const s = saved.get(t.name)!;
    if (s.dtype !== 'float32') throw new ModelFormatError(file, `weight '${t.name}' is ${s.dtype}, expected float32`);
    if (s.shape.length !== t.tensor.shape.length || s.shape.some((d, i) => d !== t.tensor.shape[i])) {
      throw new ModelFormatError(file, `weight '${t.name}' has shape ${fmt(s.shape)} in the file but ${fmt(t.tensor.shape)} in the model`);
    }
  }
  for (const t of targets) (t.tensor as Variable).assign(saved.get(t.name)!);
}
