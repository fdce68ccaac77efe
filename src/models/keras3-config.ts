/**
 * Model ↔ Keras 3 `config.json` (the models/ half; io/keras3/names.ts holds
 * the per-layer table).
 *
 * Export writes what Keras 3's `serialize_keras_object(model)` writes: a
 * Sequential as `{module: 'keras', class_name: 'Sequential', config: {name,
 * trainable, dtype, layers: [InputLayer, …], build_input_shape}}`, a
 * functional model as `Functional` with each layer's `name` and
 * `inbound_nodes` in the `{args: [__keras_tensor__ …], kwargs: {}}` form,
 * every layer with its `build_config`, layers in Keras's order (which is
 * Regula's `model.layers` order: by decreasing depth, ties in traversal
 * order), node indices counted as Keras counts them (a call's index among
 * the layer's calls in this model; `input_layers`/`output_layers` count a
 * nested Functional's built-in node, as Keras's get_config does).
 *
 * Import turns such a config back into the TF.js-style topology Regula's
 * loader reads (node indices of nested models shifted to TF.js's count),
 * collecting every unknown layer class for one error.
 */
import { isRecord, ModelFormatError, show } from '../io/keras-format.js';
import { dtypePolicy, inputLayerToKeras, KERAS_MODEL_CLASSES, LAYER_MODULE, layerConfigFromKeras, layerConfigToKeras, MODEL_TO_KERAS, type KerasObject } from '../io/keras3/names.js';
import { InputLayer } from '../layers/input-layer.js';
import type { Layer, Shape } from '../layers/layer.js';
import { isLayerClassName, LAYER_ALIASES, LAYERS } from '../layers/registry.js';
import type { Node, SymbolicTensor } from '../layers/symbolic.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

type Json = Record<string, unknown>;

/** The layers Keras lists for a model: a Sequential's without its InputLayer (Keras's `model.layers`). */
export function kerasLayers(m: Model): Layer[] {
  const ls = [...m.layers];
  return m instanceof Sequential ? ls.filter((l) => !(l instanceof InputLayer)) : ls;
}

/** Keras's class name of a layer ('Functional' for a functional model). */
export function kerasClassName(l: Layer): string {
  if (l instanceof Model) return MODEL_TO_KERAS[l instanceof Sequential ? 'Sequential' : 'Model']!.class_name;
  return l.className;
}

/** Every node between a model's outputs and its inputs. */
function graphNodes(m: Model): Set<Node> {
  const seen = new Set<Node>();
  const walk = (t: SymbolicTensor): void => {
    if (seen.has(t.node)) return;
    seen.add(t.node);
    for (const i of t.node.inputs) walk(i);
  };
  for (const t of m.outputs) walk(t);
  return seen;
}

/** A config through JSON (drops undefined; refuses functions and non-finite numbers, naming the layer). */
function plain(name: string, v: Json): Json {
  return JSON.parse(
    JSON.stringify(v, (k, x: unknown) => {
      if (typeof x === 'function') throw new Error(`save: layer '${name}' config key '${k}' holds a function, which a .keras file cannot hold`);
      if (typeof x === 'number' && !Number.isFinite(x)) throw new Error(`save: layer '${name}' config key '${k}' is ${x}, which JSON cannot hold`);
      return x;
    }),
  ) as Json;
}

/** The input shape(s) of a layer's first call in `nodes` (its build shape). */
function buildShape(l: Layer, nodes: ReadonlySet<Node>): Shape | Shape[] | null {
  const n = l.inboundNodes.find((x) => nodes.has(x) && x.inputs.length > 0);
  if (!n) return null;
  return n.listCall ? n.inputs.map((t) => [...t.shape]) : [...n.inputs[0]!.shape];
}

/** One layer (or nested model) as a Keras 3 object with its build config. */
function layerObject(l: Layer, nodes: ReadonlySet<Node>): KerasObject {
  if (l instanceof InputLayer) return inputLayerToKeras(l.name, l.batchInputShape ?? [null], 'float32');
  const shape = buildShape(l, nodes);
  if (l instanceof Model) {
    const o = kerasModelConfig(l);
    if (shape !== null) o.build_config = { input_shape: shape };
    return o;
  }
  let config: Json;
  try {
    config = layerConfigToKeras(l.className, l.name, plain(l.name, l.getConfig()));
  } catch (e) {
    throw new Error(`save: ${(e as Error).message.replace(/^save: /, '')}`);
  }
  const o: KerasObject = { module: LAYER_MODULE, class_name: l.className, config, registered_name: null };
  if (shape !== null) o.build_config = { input_shape: shape };
  return o;
}

/** An unused layer name starting with `base` ('input_layer', 'input_layer_1', …). */
function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** The Keras 3 serialized object of a model (no compile_config: see keras3.ts). */
export function kerasModelConfig(m: Model): KerasObject {
  const nodes = graphNodes(m);
  const ids = MODEL_TO_KERAS[m instanceof Sequential ? 'Sequential' : 'Model']!;
  const inputShape: Shape | Shape[] = m.inputs.length === 1 ? [...m.inputs[0]!.shape] : m.inputs.map((t) => [...t.shape]);
  if (m instanceof Sequential) {
    const stack = [...m.layers];
    const first = stack[0];
    const layers: KerasObject[] = [];
    if (first instanceof InputLayer) layers.push(layerObject(first, nodes));
    else layers.push(inputLayerToKeras(freeName('input_layer', new Set(stack.map((l) => l.name))), inputShape as Shape, m.inputs[0]!.dtype));
    for (const l of kerasLayers(m)) layers.push(layerObject(l, nodes));
    const config: Json = { name: m.name, trainable: m.trainable, dtype: dtypePolicy(), layers, build_input_shape: inputShape };
    return { module: ids.module, class_name: ids.class_name, config, registered_name: ids.registered_name, build_config: { input_shape: inputShape } };
  }
  const callsOf = (l: Layer): Node[] => l.inboundNodes.filter((n) => nodes.has(n));
  const tensor = (t: SymbolicTensor): Json => ({
    class_name: '__keras_tensor__',
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: [t.sourceLayer.name, callsOf(t.sourceLayer).indexOf(t.node), t.tensorIndex] },
  });
  const functionalOffset = (l: Layer): number => (l instanceof Model && !(l instanceof Sequential) ? 1 : 0);
  const end = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, callsOf(t.sourceLayer).indexOf(t.node) + functionalOffset(t.sourceLayer), t.tensorIndex];
  const layers = kerasLayers(m).map((l) => {
    const o = layerObject(l, nodes);
    o['name'] = l.name;
    o['inbound_nodes'] = callsOf(l)
      .filter((n) => n.inputs.length > 0)
      .map((n) => ({ args: [n.listCall ? n.inputs.map(tensor) : tensor(n.inputs[0]!)], kwargs: {} }));
    return o;
  });
  const config: Json = { name: m.name, trainable: m.trainable, layers, input_layers: m.inputs.map(end), output_layers: m.outputs.map(end) };
  return { module: ids.module, class_name: ids.class_name, config, registered_name: ids.registered_name, build_config: { input_shape: inputShape } };
}

/** Collects unknown layer classes while converting. */
interface Seen {
  unknown: string[];
  file: string;
}

const isKnownLayer = (cls: string): boolean => isLayerClassName(cls) || Object.prototype.hasOwnProperty.call(LAYER_ALIASES, cls);

/** A Keras 3 model object → `{class_name: 'Sequential'|'Model', config}` in TF.js form. */
function modelFromKeras(o: Json, where: string, seen: Seen): { class_name: string; config: Json } {
  const cls = KERAS_MODEL_CLASSES[String(o['class_name'])]!;
  const c = o['config'];
  if (!isRecord(c)) throw new ModelFormatError(seen.file, `${where}.config must be an object, got ${show(c)}`);
  const raw = c['layers'];
  if (!Array.isArray(raw)) throw new ModelFormatError(seen.file, `${where}.config.layers must be a list, got ${show(raw)}`);
  if (cls === 'Sequential') {
    const layers = raw.map((l, i) => layerFromKeras(l, `${where}.config.layers[${i}]`, seen));
    const bis = c['build_input_shape'];
    const first = layers[0];
    if (first && first.class_name !== 'InputLayer' && Array.isArray(bis) && first.config['batch_input_shape'] === undefined && first.config['batch_shape'] === undefined) first.config['batch_input_shape'] = bis;
    return { class_name: 'Sequential', config: { name: c['name'] ?? 'sequential', layers } };
  }
  // Functional: nested models' node indices move to TF.js's count (a nested model's first call is node 1).
  const kinds = new Map<string, string>();
  raw.forEach((l) => {
    if (isRecord(l)) kinds.set(String(l['name'] ?? (isRecord(l['config']) ? l['config']['name'] : '')), String(l['class_name']));
  });
  const shift = (name: string, inArgs: boolean): number => {
    const k = kinds.get(name);
    if (k === 'Sequential') return 1;
    if (k === 'Functional' || k === 'Model') return inArgs ? 1 : 0;
    return 0;
  };
  const fixTensor = (t: unknown, at: string): unknown => {
    if (!isRecord(t) || t['class_name'] !== '__keras_tensor__' || !isRecord(t['config'])) return t;
    const h = t['config']['keras_history'];
    if (!Array.isArray(h) || typeof h[0] !== 'string' || typeof h[1] !== 'number') throw new ModelFormatError(seen.file, `${at}: keras_history must be [layer, node, tensor], got ${show(h)}`);
    return { class_name: '__keras_tensor__', config: { ...t['config'], keras_history: [h[0], h[1] + shift(h[0], true), h[2]] } };
  };
  const hasTensor = (v: unknown): boolean => JSON.stringify(v ?? null).includes('__keras_tensor__');
  const layers = raw.map((l, i) => {
    const at = `${where}.config.layers[${i}]`;
    const spec = layerFromKeras(l, at, seen);
    const e = l as Json;
    const inbound = Array.isArray(e['inbound_nodes']) ? e['inbound_nodes'] : [];
    const nodes = inbound.map((n, j) => {
      const nat = `${at}.inbound_nodes[${j}]`;
      if (!isRecord(n) || !Array.isArray(n['args'])) return n; // TF.js/Keras 2 list form: left to the topology checks
      if (n['args'].slice(1).some(hasTensor) || hasTensor(n['kwargs'])) throw new ModelFormatError(seen.file, `${nat}: the layer is called with tensors beyond its first argument (${show(n)}); Regula layers take one input or one list of inputs`);
      const a = n['args'][0];
      return { args: [Array.isArray(a) ? a.map((t, k) => fixTensor(t, `${nat}.args[0][${k}]`)) : fixTensor(a, `${nat}.args[0]`)], kwargs: {} };
    });
    return { name: String(e['name'] ?? spec.config['name']), class_name: spec.class_name, config: spec.config, inbound_nodes: nodes };
  });
  const ends = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    const list = typeof v[0] === 'string' ? [v] : v;
    return list.map((r) => (Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'number' ? [r[0], r[1] + shift(r[0], false), r[2]] : r));
  };
  const config: Json = { name: c['name'] ?? 'functional', layers, input_layers: ends(c['input_layers']), output_layers: ends(c['output_layers']) };
  if (c['trainable'] === false) config['trainable'] = false;
  return { class_name: 'Model', config };
}

/** One layer entry → `{class_name, config}` for Regula (nested models converted whole). */
function layerFromKeras(l: unknown, where: string, seen: Seen): { class_name: string; config: Json } {
  if (!isRecord(l) || typeof l['class_name'] !== 'string') throw new ModelFormatError(seen.file, `${where} must be {module, class_name, config}, got ${show(l)}`);
  const cls = l['class_name'];
  const c = isRecord(l['config']) ? l['config'] : {};
  if (cls in KERAS_MODEL_CLASSES && Array.isArray(c['layers'])) return modelFromKeras(l, where, seen);
  const name = typeof c['name'] === 'string' ? c['name'] : typeof l['name'] === 'string' ? l['name'] : '?';
  if (!isKnownLayer(cls)) {
    const reg = typeof l['registered_name'] === 'string' && l['registered_name'] !== cls ? ` (registered as '${l['registered_name']}')` : '';
    seen.unknown.push(`'${cls}'${reg} (layer '${name}')`);
    return { class_name: cls, config: c };
  }
  return { class_name: cls, config: layerConfigFromKeras(cls, c) };
}

/**
 * A Keras 3 config.json → the TF.js-style topology Regula's loader takes.
 * Unknown layer classes, at any depth, fail together in one error.
 */
export function topologyFromKeras(config: unknown, file: string): { class_name: string; config: Json } {
  if (!isRecord(config) || typeof config['class_name'] !== 'string') throw new ModelFormatError(file, `config.json must hold a serialized model {module, class_name, config}, got ${show(config)}`);
  if (!(config['class_name'] in KERAS_MODEL_CLASSES)) {
    throw new ModelFormatError(file, `config.json holds a '${config['class_name']}'${typeof config['registered_name'] === 'string' ? ` (registered as '${config['registered_name']}')` : ''}; Regula loads Sequential and Functional models (a subclassed model has no config to rebuild it from)`);
  }
  const seen: Seen = { unknown: [], file };
  const t = modelFromKeras(config, 'config', seen);
  if (seen.unknown.length > 0) {
    throw new ModelFormatError(file, `${seen.unknown.length} layer class${seen.unknown.length > 1 ? 'es are' : ' is'} not available in Regula: ${seen.unknown.join(', ')}; known layer classes: ${Object.keys(LAYERS).sort().join(', ')}`);
  }
  return t;
}
