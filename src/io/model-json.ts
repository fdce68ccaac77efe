/**
 * Model ↔ `model.json`: the Sequential topology (each layer's
 * `{class_name, config}` from `getConfig`) and the weights, named as TF.js
 * names them (`<layer name>/<weight name>`, e.g. `dense_1/kernel`) so files
 * move between Regula and TF.js both ways. Weights are matched by name on
 * load, as TF.js does, and every shape is checked.
 *
 * Knows nothing of files (see fs.ts) or of the Sequential class
 * (models/save-load.ts constructs it); browser-safe.
 */
import type { Layer } from '../layers/layer.js';
import { isLayerClassName, LAYER_ALIASES, layerFromConfig, LAYERS } from '../layers/registry.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  BACKEND_NAME,
  KERAS_VERSION,
  ModelFormatError,
  type LayerJson,
  type SequentialTopology,
} from './keras-format.js';
import type { NamedTensor } from './weights.js';

/** What io needs of a model: its name and its layers in order. */
export interface SequentialLike {
  readonly name: string;
  readonly layers: readonly Layer[];
}

/**
 * The TF.js/Keras topology of a Sequential model. Throws if a layer's
 * config cannot be serialized (e.g. an unregistered custom regularizer).
 */
export function modelTopology(model: SequentialLike): SequentialTopology {
  const layers: LayerJson[] = model.layers.map((l) => {
    let config: Record<string, unknown>;
    try {
      config = l.getConfig();
    } catch (e) {
      throw new Error(`save: layer '${l.name}' (${l.className}) cannot be serialized: ${(e as Error).message}`);
    }
    // A JSON round trip drops undefined and rejects functions/NaN hiding in configs now, not at load time.
    const json = JSON.stringify(config, (k, v: unknown) => {
      if (typeof v === 'function') throw new Error(`save: layer '${l.name}' config key '${k}' holds a function; register it with registerCustomObject`);
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`save: layer '${l.name}' config key '${k}' is ${v}, which JSON cannot hold`);
      return v;
    });
    return { class_name: l.className, config: JSON.parse(json) as Record<string, unknown> };
  });
  return { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: KERAS_VERSION, backend: BACKEND_NAME };
}

/** Every weight of the model with its save name, in layer order (weights of a layer in creation order). */
export function namedWeights(model: SequentialLike): NamedTensor[] {
  const out: NamedTensor[] = [];
  for (const l of model.layers) for (const w of l.weights) out.push({ name: w.name, tensor: w });
  return out;
}

/** The known layer class names, for error messages. */
function knownLayers(): string {
  return Object.keys(LAYERS).sort().join(', ');
}

/** True for a registered layer class or one of its documented aliases ('Convolution1D'). */
function knownClass(cls: string): boolean {
  return isLayerClassName(cls) || Object.prototype.hasOwnProperty.call(LAYER_ALIASES, cls);
}

/**
 * Builds the layers of a topology. An unknown class is reported with its
 * index and the list of known classes, before any layer is constructed.
 */
export function layersFromTopology(topology: SequentialTopology, file: string): Layer[] {
  const specs = topology.config.layers;
  specs.forEach((s, i) => {
    if (!knownClass(s.class_name)) {
      throw new ModelFormatError(file, `layer ${i} has unknown class '${s.class_name}'; known layer classes: ${knownLayers()}`);
    }
  });
  return specs.map((s, i) => {
    try {
      return layerFromConfig({ class_name: s.class_name, config: s.config });
    } catch (e) {
      const name = typeof s.config['name'] === 'string' ? `'${s.config['name']}', ` : '';
      throw new ModelFormatError(file, `layer ${i} (${name}${s.class_name}): ${(e as Error).message}`);
    }
  });
}

/**
 * Assigns saved weights to a built model by name. Every model weight must be
 * present with the same shape; `strict` (default) also rejects saved weights
 * the model does not have.
 */
export function assignWeights(model: SequentialLike, saved: ReadonlyMap<string, Tensor>, file: string, strict = true): void {
  const targets = namedWeights(model);
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
  for (const l of model.layers) {
    const vals = l.weights.map((w) => saved.get(w.name)!);
    if (vals.length > 0) l.setWeights(vals);
  }
}
