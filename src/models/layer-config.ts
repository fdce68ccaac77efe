/**
 * Configs of models as data, in the TF.js Layers / Keras format:
 *
 * - `deserializeLayer({class_name, config})`: any layer, including a nested
 *   `Sequential` or functional `Model` (class names 'Model' and 'Functional').
 * - `functionalConfig(model)`: `{name, layers: [{name, class_name, config,
 *   inbound_nodes}], input_layers, output_layers}`, node indices counted
 *   within the model as TF.js counts them (a nested model's first call is
 *   node 1: its node 0 is the model itself in TF.js and Keras 2), in the
 *   order TF.js's loader makes the calls (see `loadOrder`).
 * - `functionalFromConfig(config)`: the graph rebuilt by calling each layer on
 *   the tensors its `inbound_nodes` name, in any order the file lists them;
 *   a reference to a missing layer or node, or a cycle, is an error naming
 *   the layer. `inbound_nodes` in Keras 3's `{args, kwargs}` form are read too.
 *   `functionalGraph(config, read)` is its first half (the graph, top level
 *   not built), for loaders that check sizes before `new Model` builds.
 */
import { ModelFormatError } from '../io/keras-format.js';
import type { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { SymbolicTensor, type Node } from '../layers/symbolic.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

type Json = Record<string, unknown>;

/** Class names of functional models in files. */
export const FUNCTIONAL_CLASS_NAMES = ['Model', 'Functional'];

const show = (v: unknown): string => JSON.stringify(v)?.slice(0, 80) ?? String(v);

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Any layer from `{class_name, config}`, nested models included. */
export function deserializeLayer(spec: { class_name: string; config: Json }): Layer {
  if (spec.class_name === 'Sequential') {
    const c = spec.config as unknown;
    return Sequential.fromSequentialConfig(Array.isArray(c) ? c : (c as { name?: string; layers: unknown[] }));
  }
  if (FUNCTIONAL_CLASS_NAMES.includes(spec.class_name)) return functionalFromConfig(spec.config);
  return layerFromConfig(spec);
}

/** TF.js's node offset: a nested model's calls start at node 1. */
const offset = (l: Layer): number => (l instanceof Model ? 1 : 0);

/** The functional config of a model (snake_case keys, as in model.json). */
export function functionalConfig(model: Model): Json {
  const inGraph = graphNodes(model);
  const calls = new Map<Layer, Node[]>(model.layers.map((l) => [l, l.inboundNodes.filter((n) => inGraph.has(n) && n.inputs.length > 0)]));
  const index = loadOrder(model.layers, calls);
  const ref = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, index.get(t.node) ?? 0, t.tensorIndex];
  const layers = model.layers.map((l) => ({
    name: l.name,
    class_name: l.className,
    config: l.getConfig(),
    inbound_nodes: [...calls.get(l)!].sort((a, b) => index.get(a)! - index.get(b)!).map((n) => n.inputs.map((t) => [...ref(t), {}])),
  }));
  // A frozen model says so (Keras 3 writes `trainable` too); TF.js ignores the key.
  return { name: model.name, ...(model.trainable ? {} : { trainable: false }), layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) };
}

/**
 * The node index each call gets in the file: the order in which TF.js's
 * loader (`deserializeLayersModel`) will make the calls. It passes over the
 * layers in file order again and again, making every call of a layer whose
 * inputs exist and leaving the others for the next pass, so a layer's later
 * call can be made before an earlier one (a nested model called first deep
 * in the graph and again near an input). Numbering the calls in that order
 * makes TF.js rebuild exactly this graph; Regula's loader accepts any
 * consistent numbering.
 */
function loadOrder(layers: readonly Layer[], calls: ReadonlyMap<Layer, readonly Node[]>): Map<Node, number> {
  const index = new Map<Node, number>();
  for (const l of layers) for (const n of l.inboundNodes) if (n.inputs.length === 0) index.set(n, 0);
  const next = new Map(layers.map((l) => [l, offset(l)]));
  let pending = layers.map((l) => ({ layer: l, nodes: [...calls.get(l)!] })).filter((p) => p.nodes.length > 0);
  while (pending.length > 0) {
    let made = 0;
    for (const p of pending) {
      p.nodes = p.nodes.filter((n) => {
        if (!n.inputs.every((t) => index.has(t.node))) return true;
        const k = next.get(p.layer)!;
        index.set(n, k);
        next.set(p.layer, k + 1);
        made++;
        return false;
      });
    }
    if (made === 0) throw new Error(`functionalConfig: the calls of ${pending.map((p) => `'${p.layer.name}'`).join(', ')} cannot be ordered`);
    pending = pending.filter((p) => p.nodes.length > 0);
  }
  return index;
}

/** Every node between the model's outputs and its inputs. */
function graphNodes(model: Model): Set<Node> {
  const seen = new Set<Node>();
  const walk = (t: SymbolicTensor): void => {
    if (seen.has(t.node)) return;
    seen.add(t.node);
    for (const i of t.node.inputs) walk(i);
  };
  for (const t of model.outputs) walk(t);
  return seen;
}

/** One inbound tensor reference: [layer, node, tensor]. */
type Ref = [string, number, number];

/** Reads one node's references, TF.js form `[[name, node, tensor, kwargs], …]` or Keras 3 `{args, kwargs}`. */
function readNode(v: unknown, where: string): { refs: Ref[]; list: boolean } {
  const refOf = (r: unknown, at: string): Ref => {
    if (Array.isArray(r) && typeof r[0] === 'string' && Number.isInteger(r[1]) && (r[1] as number) >= 0 && Number.isInteger(r[2]) && (r[2] as number) >= 0) return [r[0], r[1] as number, r[2] as number];
    if (isRecord(r) && r['class_name'] === '__keras_tensor__' && isRecord(r['config'])) return refOf(r['config']['keras_history'], at);
    throw new Error(`${at} must be [layer name, node index, tensor index], got ${show(r)}`);
  };
  if (Array.isArray(v)) {
    if (v.length === 0) throw new Error(`${where} is empty`);
    return { refs: v.map((r, i) => refOf(r, `${where}[${i}]`)), list: v.length > 1 };
  }
  if (isRecord(v) && Array.isArray(v['args'])) {
    const a = v['args'][0];
    if (Array.isArray(a)) return { refs: a.map((r, i) => refOf(r, `${where}.args[0][${i}]`)), list: true };
    return { refs: [refOf(a, `${where}.args[0]`)], list: false };
  }
  throw new Error(`${where} must be a list of [layer, node, tensor] references, got ${show(v)}`);
}

/** How a layer spec of a functional config becomes a layer (its index in `config.layers` given for error messages). */
export type LayerSpecReader = (spec: { class_name: string; config: Json }, index: number) => Layer;

/** A functional config as a graph: what `new Model` takes, nothing of the top level built yet. */
export interface FunctionalGraph {
  name: string | undefined;
  /** False when the saved model was frozen. */
  trainable: boolean;
  /** The layers, in `config.layers` order. */
  layers: Layer[];
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/**
 * Rebuilds a functional model from its config (untrusted: every reference is
 * checked): `functionalGraph` then `new Model`, which builds the weights.
 */
export function functionalFromConfig(config: unknown): Model {
  const g = functionalGraph(config);
  const m = new Model({ inputs: g.inputs, outputs: g.outputs, ...(g.name !== undefined ? { name: g.name } : {}) });
  m.trainable = g.trainable;
  return m;
}

/**
 * The first half of `functionalFromConfig`: makes each layer with `read`
 * (default `deserializeLayer`; a nested model is built as it is made) and
 * calls it on the symbolic tensors its `inbound_nodes` name, in any order
 * the config lists them, a layer's calls in their order (its node k is its
 * k-th call, as in TF.js). The top level's layers are not built: a loader
 * checks the graph (input shapes, declared weight sizes) before `new Model`
 * builds them. Each layer's calls wait for the nodes they need, so a
 * config of n calls connects in about n steps whatever its order.
 */
export function functionalGraph(config: unknown, read: LayerSpecReader = (s) => deserializeLayer(s)): FunctionalGraph {
  if (!isRecord(config)) throw new Error(`Model.fromConfig: config must be an object, got ${show(config)}`);
  const specs = config['layers'];
  if (!Array.isArray(specs) || specs.length === 0) throw new Error(`Model.fromConfig: config.layers must be a non-empty list, got ${show(specs)}`);
  const byName = new Map<string, Layer>();
  const made: Layer[] = [];
  /** Per layer: its calls not made yet, in order. */
  const queue = new Map<Layer, { refs: Ref[]; list: boolean }[]>();
  specs.forEach((s, i) => {
    const where = `layer ${i}`;
    if (!isRecord(s) || typeof s['class_name'] !== 'string' || !isRecord(s['config'] ?? {})) throw new Error(`${where} must be {name, class_name, config, inbound_nodes}, got ${show(s)}`);
    const cfg = (s['config'] ?? {}) as Json;
    // Keras 2 writes the layer name beside the config; the config's own name wins when both exist.
    if (typeof s['name'] === 'string' && cfg['name'] === undefined && s['class_name'] !== 'Sequential') cfg['name'] = s['name'];
    let layer: Layer;
    try {
      layer = read({ class_name: s['class_name'], config: cfg }, i);
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      throw new Error(`${where} ('${String(s['name'] ?? cfg['name'] ?? '?')}', ${s['class_name']}): ${(e as Error).message}`);
    }
    if (byName.has(layer.name)) throw new Error(`${where}: two layers are named '${layer.name}'`);
    byName.set(layer.name, layer);
    made.push(layer);
    const inbound = s['inbound_nodes'] ?? [];
    if (!Array.isArray(inbound)) throw new Error(`${where} ('${layer.name}'): inbound_nodes must be a list, got ${show(inbound)}`);
    if (layer instanceof InputLayer && inbound.length > 0) throw new Error(`${where} ('${layer.name}') is an InputLayer but has inbound_nodes ${show(inbound)}`);
    queue.set(layer, inbound.map((n, j) => readNode(n, `${where} ('${layer.name}') inbound_nodes[${j}]`)));
  });
  // Outputs of each node created so far, per layer, in creation order.
  const outputs = new Map<Layer, SymbolicTensor[][]>();
  for (const l of made) if (l instanceof InputLayer) outputs.set(l, [[l.output]]);
  const lookup = (r: Ref, who: string): SymbolicTensor | Layer => {
    const src = byName.get(r[0]);
    if (!src) throw new Error(`layer '${who}' is connected to '${r[0]}', which is not a layer of this model`);
    const node = (outputs.get(src) ?? [])[r[1] - offset(src)];
    if (!node) return src;
    const t = node[r[2]];
    if (!t) throw new Error(`layer '${who}' uses output ${r[2]} of '${r[0]}' node ${r[1]}, which has ${node.length} output(s)`);
    return t;
  };
  // Layers waiting for a node of another layer; retried when that layer makes a node.
  const waiting = new Map<Layer, Layer[]>();
  const ready: Layer[] = [...made];
  while (ready.length > 0) {
    const layer = ready.pop()!;
    const calls = queue.get(layer)!;
    while (calls.length > 0) {
      const node = calls[0]!;
      const ins = node.refs.map((r) => lookup(r, layer.name));
      const missing = ins.find((t): t is Layer => !(t instanceof SymbolicTensor));
      if (missing) {
        const w = waiting.get(missing) ?? [];
        if (!w.includes(layer)) w.push(layer);
        waiting.set(missing, w);
        break;
      }
      calls.shift();
      const out = node.list ? layer.apply(ins as SymbolicTensor[]) : layer.apply(ins[0] as SymbolicTensor);
      const list = outputs.get(layer) ?? [];
      list.push(Array.isArray(out) ? out : [out]);
      outputs.set(layer, list);
      const woken = waiting.get(layer);
      if (woken) {
        waiting.delete(layer);
        for (const w of woken) ready.push(w);
      }
    }
  }
  const stuck = made.filter((l) => queue.get(l)!.length > 0);
  if (stuck.length > 0) {
    const what = stuck.slice(0, 5).map((l) => {
      const n = queue.get(l)![0]!;
      return `'${l.name}' (needs ${n.refs.map((r) => `${r[0]}[${r[1]}]`).join(', ')})`;
    });
    throw new Error(`the layers cannot be connected: ${what.join('; ')}${stuck.length > 5 ? ` and ${stuck.length - 5} more` : ''} refer to nodes that never exist (a cycle, or a node index past the layer's calls)`);
  }
  const ends = (key: string): SymbolicTensor[] => {
    const v = config[key];
    if (!Array.isArray(v) || v.length === 0) throw new Error(`Model.fromConfig: config.${key} must be a non-empty list, got ${show(v)}`);
    // Keras 3 writes a single input or output as one bare reference.
    const list = typeof v[0] === 'string' ? [v] : v;
    return list.map((r, i) => {
      const { refs } = readNode([r], `config.${key}[${i}]`);
      const t = lookup(refs[0]!, key);
      if (!(t instanceof SymbolicTensor)) throw new Error(`config.${key}[${i}] refers to node ${refs[0]![1]} of '${refs[0]![0]}', which does not exist`);
      return t;
    });
  };
  const name = typeof config['name'] === 'string' ? config['name'] : undefined;
  return { name, trainable: config['trainable'] !== false, layers: made, inputs: ends('input_layers'), outputs: ends('output_layers') };
}
