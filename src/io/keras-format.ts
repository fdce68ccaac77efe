/**
 * The TF.js Layers format, as typed values (ARCHITECTURE decision 9).
 *
 * A saved model is a directory holding `model.json` — the Keras-2-style
 * topology (`class_name` + snake_case `config`) plus a `weightsManifest` —
 * and binary shards of little-endian weight data. This file holds the types
 * of that JSON and the structural checks applied to untrusted JSON before
 * anything is allocated; it performs no I/O and runs in a browser.
 *
 * Who may import this: everything in `io/`.
 */

/** Dtypes Regula reads and writes (TF.js also knows bool/string/complex64: rejected). */
export type WeightDType = 'float32' | 'int32';

/** One tensor in a weights manifest (TF.js `WeightsManifestEntry`). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** TF.js marks optimizer weights saved with `includeOptimizer` as 'optimizer'. */
  group?: 'model' | 'optimizer';
}

/** One group of a manifest: the shard files (concatenated in order) and the tensors they hold. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export type WeightsManifest = WeightsManifestGroup[];

/** A serialized layer: `{class_name: 'Dense', config: {units: 3, …}}`. */
export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/** A Sequential model's topology: its layers in order. */
export interface SequentialTopology {
  class_name: 'Sequential';
  config: { name: string; layers: LayerJson[] };
  keras_version: string;
  backend: string;
}

/** One inbound tensor of a functional layer call: [layer name, node index, tensor index]. */
export type TensorRef = [string, number, number];

/**
 * A layer of a functional model: its config and its calls. Each entry of
 * `inbound_nodes` is one call: a list of `[layer, node, tensor, kwargs]`
 * references (TF.js, Keras 2) or Keras 3's `{args, kwargs}` form.
 */
export interface FunctionalLayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[];
}

/** A functional model's topology (`class_name` 'Model' as TF.js writes it, or Keras 3's 'Functional'). */
export interface FunctionalTopology {
  class_name: 'Model' | 'Functional';
  config: { name: string; layers: FunctionalLayerJson[]; input_layers: TensorRef[]; output_layers: TensorRef[] };
  keras_version: string;
  backend: string;
}

/** Every topology this version reads and writes. */
export type ModelTopology = SequentialTopology | FunctionalTopology;

/** Keras/TF.js `training_config` (informational for Regula; TF.js uses it to recompile). */
export interface TrainingConfig {
  loss: string | string[] | Record<string, string>;
  metrics?: string[] | Record<string, string>;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

/** `model.json` as TF.js 4.x writes it. */
export interface ModelJson {
  modelTopology: ModelTopology;
  weightsManifest: WeightsManifest;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  trainingConfig?: TrainingConfig;
}

/** `weights.json`: what a weights-only save writes (a manifest without topology). */
export interface WeightsJson {
  format: 'regula-weights';
  generatedBy: string;
  weightsManifest: WeightsManifest;
}

/** The producer string Regula writes in `generatedBy` / `keras_version`. */
export const GENERATED_BY = 'Regula 0.1.0';
export const KERAS_VERSION = 'regula 0.1.0';
export const BACKEND_NAME = 'regula';

/** The file names of a saved-model directory. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_JSON = 'weights.json';
export const TRAINING_STATE_JSON = 'training-state.json';

/**
 * An error about a model file: the message names the file and the problem,
 * e.g. `model.json: weightsManifest[0].weights[2].shape[1] must be a non-negative integer, got -3`.
 */
export class ModelFormatError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelFormatError';
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short rendering of an untrusted value for error messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Deepest `[`/`{` nesting accepted in a JSON file (Keras configs nest about 10 levels). */
export const MAX_JSON_DEPTH = 256;

/**
 * The maximum nesting of `[` and `{` in JSON text, counted outside strings in
 * one linear pass (JSON.parse itself recurses and overflows the stack on
 * 100k-deep input). Stops counting once past `limit`.
 */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Parses JSON text, naming the file on failure (truncated or not JSON).
 * JSON.parse only builds data; nothing in the text is evaluated.
 * Nesting deeper than MAX_JSON_DEPTH is refused before parsing.
 */
export function parseJsonText(text: string, file: string): unknown {
  const depth = jsonDepth(text, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) throw new ModelFormatError(file, `JSON nesting is deeper than ${MAX_JSON_DEPTH} levels; no model or training-state file nests that deep (corrupt or hostile file?)`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = text.trim() === '' ? 'the file is empty' : `not valid JSON (truncated or corrupt?): ${why}`;
    throw new ModelFormatError(file, hint);
  }
}

const MAX_RANK = 16;

/** Checks one manifest entry's structure (name, dtype, shape entries); sizes are checked in weights.ts. */
function checkSpec(v: unknown, where: string, file: string): WeightSpec {
  if (!isRecord(v)) throw new ModelFormatError(file, `${where} must be an object, got ${show(v)}`);
  const { name, shape, dtype, group, quantization } = v;
  if (typeof name !== 'string' || name === '') throw new ModelFormatError(file, `${where}.name must be a non-empty string, got ${show(name)}`);
  if (quantization !== undefined && quantization !== null) {
    throw new ModelFormatError(file, `${where} ('${name}') is quantized (${show(quantization)}); quantized weights are not supported`);
  }
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ModelFormatError(file, `${where} ('${name}').dtype must be 'float32' or 'int32', got ${show(dtype)}`);
  }
  if (!Array.isArray(shape)) throw new ModelFormatError(file, `${where} ('${name}').shape must be an array, got ${show(shape)}`);
  if (shape.length > MAX_RANK) throw new ModelFormatError(file, `${where} ('${name}').shape has rank ${shape.length}, at most ${MAX_RANK} allowed`);
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ModelFormatError(file, `${where} ('${name}').shape[${i}] must be a non-negative integer, got ${show(d)}`);
    }
  });
  if (group !== undefined && group !== 'model' && group !== 'optimizer') {
    throw new ModelFormatError(file, `${where} ('${name}').group must be 'model' or 'optimizer', got ${show(group)}`);
  }
  const spec: WeightSpec = { name, shape: [...(shape as number[])], dtype };
  if (group !== undefined) spec.group = group;
  return spec;
}

/**
 * Checks the structure of an untrusted `weightsManifest`: an array of
 * `{paths: string[], weights: WeightSpec[]}` with unique weight names.
 * Path safety is checked where paths are resolved (fs.ts).
 */
export function checkManifest(v: unknown, file: string, key = 'weightsManifest'): WeightsManifest {
  if (!Array.isArray(v)) throw new ModelFormatError(file, `${key} must be an array, got ${show(v)}`);
  const seen = new Set<string>();
  return v.map((g, gi) => {
    const where = `${key}[${gi}]`;
    if (!isRecord(g)) throw new ModelFormatError(file, `${where} must be an object, got ${show(g)}`);
    if (!Array.isArray(g['paths']) || !g['paths'].every((p) => typeof p === 'string')) {
      throw new ModelFormatError(file, `${where}.paths must be an array of strings, got ${show(g['paths'])}`);
    }
    if (!Array.isArray(g['weights'])) throw new ModelFormatError(file, `${where}.weights must be an array, got ${show(g['weights'])}`);
    const weights = g['weights'].map((w, wi) => checkSpec(w, `${where}.weights[${wi}]`, file));
    for (const w of weights) {
      if (seen.has(w.name)) throw new ModelFormatError(file, `${key}: weight name '${w.name}' appears twice`);
      seen.add(w.name);
    }
    const paths = g['paths'] as string[];
    if (paths.length === 0 && weights.some((w) => w.shape.every((d) => d !== 0))) {
      throw new ModelFormatError(file, `${where}.paths is empty but the group lists weights`);
    }
    return { paths: [...paths], weights };
  });
}

/** Checks an untrusted list of weight specs (in-memory artifacts' `weightSpecs`). */
export function checkWeightSpecs(v: unknown, file: string): WeightSpec[] {
  if (!Array.isArray(v)) throw new ModelFormatError(file, `weightSpecs must be an array, got ${show(v)}`);
  const seen = new Set<string>();
  return v.map((w, i) => {
    const s = checkSpec(w, `weightSpecs[${i}]`, file);
    if (seen.has(s.name)) throw new ModelFormatError(file, `weightSpecs: weight name '${s.name}' appears twice`);
    seen.add(s.name);
    return s;
  });
}

/** Topology class names of TF.js/Keras functional models. */
export const FUNCTIONAL_CLASS_NAMES: readonly string[] = ['Model', 'Functional'];

/** Class names of models that may appear as layers of another model. */
export const MODEL_CLASS_NAMES: readonly string[] = ['Sequential', 'Model', 'Functional'];

/**
 * Checks an untrusted `modelTopology` and returns it typed: a Sequential
 * (the TF.js 4.x form `config: {name, layers}` or the older list form
 * `config: [layer, …]`) or a functional model (`class_name` 'Model' or
 * 'Functional', `config: {name, layers, input_layers, output_layers}`).
 * A Sequential topology comes back exactly as before functional models
 * existed. Applying the result again gives the same result.
 */
export function checkTopology(v: unknown, file: string): ModelTopology {
  if (!isRecord(v)) throw new ModelFormatError(file, `modelTopology must be an object, got ${show(v)}`);
  // Keras 2 wraps the topology as {model_config: {...}} in some converters.
  const top = isRecord(v['model_config']) ? v['model_config'] : v;
  const cls = top['class_name'];
  const keras_version = typeof top['keras_version'] === 'string' ? top['keras_version'] : typeof v['keras_version'] === 'string' ? v['keras_version'] : '';
  const backend = typeof top['backend'] === 'string' ? top['backend'] : typeof v['backend'] === 'string' ? v['backend'] : '';
  if (cls === 'Model' || cls === 'Functional') return { class_name: cls, config: checkFunctionalConfig(top['config'], file), keras_version, backend };
  if (cls !== 'Sequential') throw new ModelFormatError(file, `modelTopology.class_name must be 'Sequential', 'Model' or 'Functional', got ${show(cls)}`);
  const config = top['config'];
  let name = 'sequential';
  let layers: unknown;
  if (Array.isArray(config)) layers = config;
  else if (isRecord(config)) {
    layers = config['layers'];
    if (typeof config['name'] === 'string') name = config['name'];
  } else throw new ModelFormatError(file, `modelTopology.config must be an object, got ${show(config)}`);
  if (!Array.isArray(layers)) throw new ModelFormatError(file, `modelTopology.config.layers must be an array, got ${show(layers)}`);
  const checked = layers.map((l, i): LayerJson => {
    const where = `modelTopology.config.layers[${i}]`;
    if (!isRecord(l)) throw new ModelFormatError(file, `${where} must be an object, got ${show(l)}`);
    if (typeof l['class_name'] !== 'string') throw new ModelFormatError(file, `${where}.class_name must be a string, got ${show(l['class_name'])}`);
    const lc = l['config'] ?? {};
    if (!isRecord(lc)) throw new ModelFormatError(file, `${where}.config must be an object, got ${show(lc)}`);
    return { class_name: l['class_name'], config: lc };
  });
  return { class_name: 'Sequential', config: { name, layers: checked }, keras_version, backend };
}

/** A reference `[layer, node, tensor(, kwargs)]` (or a Keras 3 `__keras_tensor__`) naming a layer of `names`. */
function checkRef(r: unknown, where: string, file: string, names: ReadonlyMap<string, number>): TensorRef {
  if (isRecord(r) && r['class_name'] === '__keras_tensor__') {
    const c = r['config'];
    if (!isRecord(c)) throw new ModelFormatError(file, `${where}.config must be an object, got ${show(c)}`);
    return checkRef(c['keras_history'], `${where}.config.keras_history`, file, names);
  }
  if (!Array.isArray(r) || r.length < 3 || r.length > 4) throw new ModelFormatError(file, `${where} must be [layer name, node index, tensor index], got ${show(r)}`);
  const [layer, node, tensor] = r as unknown[];
  if (typeof layer !== 'string') throw new ModelFormatError(file, `${where}[0] must be a layer name, got ${show(layer)}`);
  if (typeof node !== 'number' || !Number.isSafeInteger(node) || node < 0) throw new ModelFormatError(file, `${where}[1] (node index) must be an integer ≥ 0, got ${show(node)}`);
  if (typeof tensor !== 'number' || !Number.isSafeInteger(tensor) || tensor < 0) throw new ModelFormatError(file, `${where}[2] (tensor index) must be an integer ≥ 0, got ${show(tensor)}`);
  if (r.length === 4 && !isRecord(r[3])) throw new ModelFormatError(file, `${where}[3] (call arguments) must be an object, got ${show(r[3])}`);
  if (!names.has(layer)) throw new ModelFormatError(file, `${where} refers to layer '${layer}', which is not a layer of this model`);
  return [layer, node, tensor];
}

/** One call in `inbound_nodes`: a non-empty list of references, or Keras 3's `{args: [tensor | [tensors]], kwargs}`. */
function checkInboundNode(n: unknown, where: string, file: string, names: ReadonlyMap<string, number>): void {
  if (Array.isArray(n)) {
    if (n.length === 0) throw new ModelFormatError(file, `${where} must list at least one input, got []`);
    n.forEach((r, i) => checkRef(r, `${where}[${i}]`, file, names));
    return;
  }
  if (isRecord(n) && Array.isArray(n['args']) && n['args'].length > 0) {
    const a = n['args'][0];
    if (Array.isArray(a)) {
      if (a.length === 0) throw new ModelFormatError(file, `${where}.args[0] must list at least one input, got []`);
      a.forEach((r, i) => checkRef(r, `${where}.args[0][${i}]`, file, names));
    } else checkRef(a, `${where}.args[0]`, file, names);
    return;
  }
  throw new ModelFormatError(file, `${where} must be a list of [layer, node, tensor] references, got ${show(n)}`);
}

/** `input_layers` / `output_layers`: a non-empty list of references (Keras 3 writes one reference bare). */
function checkEnds(v: unknown, key: string, file: string, names: ReadonlyMap<string, number>): TensorRef[] {
  const where = `modelTopology.config.${key}`;
  if (!Array.isArray(v) || v.length === 0) throw new ModelFormatError(file, `${where} must be a non-empty list of [layer name, node index, tensor index], got ${show(v)}`);
  const list = typeof v[0] === 'string' ? [v] : v;
  return list.map((r, i) => checkRef(r, `${where}[${i}]`, file, names));
}

/** The config of a functional topology: layers with unique names, every reference naming one of them. */
function checkFunctionalConfig(config: unknown, file: string): FunctionalTopology['config'] {
  if (!isRecord(config)) throw new ModelFormatError(file, `modelTopology.config must be an object, got ${show(config)}`);
  const raw = config['layers'];
  if (!Array.isArray(raw) || raw.length === 0) throw new ModelFormatError(file, `modelTopology.config.layers must be a non-empty array, got ${show(raw)}`);
  const names = new Map<string, number>();
  const layers = raw.map((l, i): FunctionalLayerJson => {
    const where = `modelTopology.config.layers[${i}]`;
    if (!isRecord(l)) throw new ModelFormatError(file, `${where} must be an object, got ${show(l)}`);
    const cls = l['class_name'];
    if (typeof cls !== 'string') throw new ModelFormatError(file, `${where}.class_name must be a string, got ${show(cls)}`);
    const lc = l['config'] ?? {};
    if (!isRecord(lc)) throw new ModelFormatError(file, `${where}.config must be an object, got ${show(lc)}`);
    // The config's own name is the layer's name (functionalFromConfig reads it); Keras 2 may write it only beside the config.
    const name = typeof lc['name'] === 'string' ? lc['name'] : l['name'];
    if (typeof name !== 'string' || name === '') throw new ModelFormatError(file, `${where}.name must be a non-empty string, got ${show(name)}`);
    const other = names.get(name);
    if (other !== undefined) throw new ModelFormatError(file, `${where}: two layers are named '${name}' (layers[${other}] and layers[${i}]); layer names in a model must be unique`);
    names.set(name, i);
    const inbound = l['inbound_nodes'] ?? [];
    if (!Array.isArray(inbound)) throw new ModelFormatError(file, `${where}.inbound_nodes must be an array, got ${show(inbound)}`);
    if (cls === 'InputLayer' && inbound.length > 0) throw new ModelFormatError(file, `${where} ('${name}') is an InputLayer but has inbound_nodes ${show(inbound)}; an input is called on nothing`);
    return { name, class_name: cls, config: typeof lc['name'] === 'string' ? lc : { ...lc, name }, inbound_nodes: inbound };
  });
  layers.forEach((l, i) => l.inbound_nodes.forEach((n, j) => checkInboundNode(n, `modelTopology.config.layers[${i}].inbound_nodes[${j}]`, file, names)));
  const input_layers = checkEnds(config['input_layers'], 'input_layers', file, names);
  input_layers.forEach((r, i) => {
    const cls = layers[names.get(r[0])!]!.class_name;
    if (cls !== 'InputLayer') throw new ModelFormatError(file, `modelTopology.config.input_layers[${i}] names layer '${r[0]}', a ${cls}; model inputs must be InputLayers`);
  });
  const output_layers = checkEnds(config['output_layers'], 'output_layers', file, names);
  return { name: typeof config['name'] === 'string' ? config['name'] : 'model', layers, input_layers, output_layers };
}

/** What `checkModelJson` returns: the topology (absent for a weights-only file) and the manifest. */
export interface CheckedModelJson {
  modelTopology: ModelTopology | undefined;
  weightsManifest: WeightsManifest;
  trainingConfig: TrainingConfig | undefined;
}

/**
 * Validates untrusted `model.json` (or `weights.json`) data. `needTopology`
 * false accepts a manifest without topology (weights-only loads).
 */
export function checkModelJson(v: unknown, file: string, needTopology: boolean): CheckedModelJson {
  if (!isRecord(v)) throw new ModelFormatError(file, `expected a JSON object at top level, got ${show(v)}`);
  if (v['format'] !== undefined && v['format'] !== 'layers-model' && v['format'] !== 'regula-weights') {
    if (v['format'] === 'graph-model') throw new ModelFormatError(file, `format 'graph-model' is a TF.js graph model; only 'layers-model' files can be loaded`);
    throw new ModelFormatError(file, `format must be 'layers-model', got ${show(v['format'])}`);
  }
  const hasTopology = v['modelTopology'] !== undefined && v['modelTopology'] !== null;
  if (needTopology && !hasTopology) throw new ModelFormatError(file, `modelTopology is missing`);
  const weightsManifest = checkManifest(v['weightsManifest'] ?? [], file);
  const tc = v['trainingConfig'];
  return {
    modelTopology: hasTopology && needTopology ? checkTopology(v['modelTopology'], file) : undefined,
    weightsManifest,
    trainingConfig: isRecord(tc) ? (tc as unknown as TrainingConfig) : undefined,
  };
}
