/**
 * Configs of models as data, in the TF.js Layers / Keras format:
 *
 * - `deserializeLayer({class_name, config})`: any layer, including a nested
 *   `Sequential` or functional `Model` (class names 'Model' and 'Functional').
 * - `functionalConfig(model)`: `{name, layers: [{name, class_name, config,
 *   inbound_nodes}], input_layers, output_layers}`, node indices counted
 *   within the model as TF.js counts them (a nested model's first call is
 *   node 1: its node 0 is the model itself in TF.js and Keras 2).
 * - `functionalFromConfig(config)`: the graph rebuilt by calling each layer on
 *   the tensors its `inbound_nodes` name, in any order the file lists them;
 *   a reference to a missing layer or node, or a cycle, is an error naming
 *   the layer. `inbound_nodes` in Keras 3's `{args, kwargs}` form are read too.
 */
import type { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { layerFromConfig } from '../layers/registry.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
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
  const graph = model.outputs.length > 0 ? { nodes: graphNodes(model) } : { nodes: [] };
  const kept = new Map<object, number>();
  for (const l of model.layers) {
    let k = offset(l);
    for (const node of l.inboundNodes) if (graph.nodes.includes(node)) kept.set(node, k++);
  }
  const ref = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, kept.get(t.node) ?? 0, t.tensorIndex];
  const layers = model.layers.map((l) => ({
    name: l.name,
    class_name: l.className,
    config: l.getConfig(),
    inbound_nodes: l.inboundNodes.filter((n) => graph.nodes.includes(n) && n.inputs.length > 0).map((n) => n.inputs.map((t) => [...ref(t), {}])),
  }));
  return { name: model.name, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) };
}

function graphNodes(model: Model): readonly object[] {
  const seen = new Set<object>();
  const walk = (t: SymbolicTensor): void => {
    if (seen.has(t.node)) return;
    seen.add(t.node);
    for (const i of t.node.inputs) walk(i);
  };
  for (const t of model.outputs) walk(t);
  return [...seen];
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

/** Rebuilds a functional model from its config (untrusted: every reference is checked). */
export function functionalFromConfig(config: unknown): Model {
  if (!isRecord(config)) throw new Error(`Model.fromConfig: config must be an object, got ${show(config)}`);
  const specs = config['layers'];
  if (!Array.isArray(specs) || specs.length === 0) throw new Error(`Model.fromConfig: config.layers must be a non-empty list, got ${show(specs)}`);
  const byName = new Map<string, Layer>();
  const pending: { layer: Layer; nodes: { refs: Ref[]; list: boolean }[] }[] = [];
  specs.forEach((s, i) => {
    const where = `layer ${i}`;
    if (!isRecord(s) || typeof s['class_name'] !== 'string' || !isRecord(s['config'])) throw new Error(`${where} must be {name, class_name, config, inbound_nodes}, got ${show(s)}`);
    const cfg = s['config'];
    // Keras 2 writes the layer name beside the config; the config's own name wins when both exist.
    if (typeof s['name'] === 'string' && cfg['name'] === undefined && s['class_name'] !== 'Sequential') cfg['name'] = s['name'];
    let layer: Layer;
    try {
      layer = deserializeLayer({ class_name: s['class_name'], config: cfg });
    } catch (e) {
      throw new Error(`${where} ('${String(s['name'] ?? cfg['name'] ?? '?')}', ${s['class_name']}): ${(e as Error).message}`);
    }
    if (byName.has(layer.name)) throw new Error(`${where}: two layers are named '${layer.name}'`);
    byName.set(layer.name, layer);
    const inbound = s['inbound_nodes'] ?? [];
    if (!Array.isArray(inbound)) throw new Error(`${where} ('${layer.name}'): inbound_nodes must be a list, got ${show(inbound)}`);
    pending.push({ layer, nodes: inbound.map((n, j) => readNode(n, `${where} ('${layer.name}') inbound_nodes[${j}]`)) });
  });
  // Outputs of each node created so far, per layer, in creation order.
  const made = new Map<Layer, SymbolicTensor[][]>();
  for (const l of byName.values()) if (l instanceof InputLayer) made.set(l, [[l.output]]);
  const lookup = (r: Ref, who: string): SymbolicTensor | undefined => {
    const src = byName.get(r[0]);
    if (!src) throw new Error(`layer '${who}' is connected to '${r[0]}', which is not a layer of this model`);
    const node = (made.get(src) ?? [])[r[1] - offset(src)];
    if (!node) return undefined;
    const t = node[r[2]];
    if (!t) throw new Error(`layer '${who}' uses output ${r[2]} of '${r[0]}', which has ${node.length} output(s)`);
    return t;
  };
  const todo = pending.flatMap((p) => p.nodes.map((n) => ({ layer: p.layer, node: n })));
  while (todo.length > 0) {
    let progressed = false;
    for (let i = 0; i < todo.length; ) {
      const { layer, node } = todo[i]!;
      const ins = node.refs.map((r) => lookup(r, layer.name));
      if (ins.some((t) => t === undefined)) {
        i++;
        continue;
      }
      const out = node.list ? layer.apply(ins as SymbolicTensor[]) : layer.apply(ins[0]!);
      const list = made.get(layer) ?? [];
      list.push(Array.isArray(out) ? out : [out]);
      made.set(layer, list);
      todo.splice(i, 1);
      progressed = true;
    }
    if (!progressed) {
      const stuck = todo.map(({ layer, node }) => `'${layer.name}' (needs ${node.refs.map((r) => `${r[0]}[${r[1]}]`).join(', ')})`);
      throw new Error(`the layers cannot be connected: ${stuck.join('; ')} refer to nodes that never exist (a cycle, or a node index past the layer's calls)`);
    }
  }
  const ends = (key: string): SymbolicTensor[] => {
    const v = config[key];
    if (!Array.isArray(v) || v.length === 0) throw new Error(`Model.fromConfig: config.${key} must be a non-empty list, got ${show(v)}`);
    return v.map((r, i) => {
      const { refs } = readNode([r], `config.${key}[${i}]`);
      const t = lookup(refs[0]!, key);
      if (!t) throw new Error(`config.${key}[${i}] refers to node ${refs[0]![1]} of '${refs[0]![0]}', which does not exist`);
      return t;
    });
  };
  const name = typeof config['name'] === 'string' ? config['name'] : undefined;
  return new Model({ inputs: ends('input_layers'), outputs: ends('output_layers'), ...(name !== undefined ? { name } : {}) });
}
