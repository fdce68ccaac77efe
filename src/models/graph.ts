/**
 * A model's graph, from the symbolic tensors of the functional API: which
 * nodes (layer calls) lie between the inputs and the outputs, in what order
 * they run, and the model's layer list in TF.js's order (by decreasing depth
 * from the outputs, ties in traversal order — the order `model.layers`,
 * `getWeights` and `setWeights` use, so weights move between Regula and TF.js
 * as lists). Every error names the layers involved: an output that needs an
 * input the model was not given, an input no output uses, a cycle, an input
 * that is not an `input()`.
 */
import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { describeSymbolic, SymbolicTensor, type Node } from '../layers/symbolic.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallContext } from '../layers/layer.js';
import type { Rng } from '../random.js';

export interface Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Nodes in run order (inputs first), input nodes included. */
  readonly nodes: readonly Node[];
  /** Layers in TF.js order (input layers first). */
  readonly layers: readonly Layer[];
}

function checkSymbolicList(v: unknown, what: string, who: string): SymbolicTensor[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new Error(`${who}: ${what} must not be empty`);
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) {
      throw new Error(`${who}: ${what}${Array.isArray(v) ? `[${i}]` : ''} must be a symbolic tensor (from input() or a layer applied to one), got ${t === null ? 'null' : typeof t === 'object' ? (t.constructor?.name ?? 'an object') : typeof t}`);
    }
  });
  return list as SymbolicTensor[];
}

/** Walks back from the outputs; returns nodes in decreasing depth order (TF.js buildMapOfGraph). */
function traverse(outputs: readonly SymbolicTensor[], who: string): { order: Node[]; layerIndex: Map<Layer, number> } {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const order: Node[] = [];
  const layerIndex = new Map<Layer, number>();
  const visit = (node: Node, via: SymbolicTensor): void => {
    if (inProgress.has(node)) throw new Error(`${who}: the graph has a cycle through layer '${node.layer.name}' (tensor ${via.name})`);
    if (finished.has(node)) return;
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    for (const t of node.inputs) visit(t.node, t);
    inProgress.delete(node);
    finished.add(node);
    order.push(node);
  };
  for (const t of outputs) visit(t.node, t);
  return { order, layerIndex };
}

/** Analyses the graph between `inputs` and `outputs` (the arguments of `model({inputs, outputs})`). */
export function analyzeGraph(inputsArg: unknown, outputsArg: unknown, who: string): Graph {
  const inputs = checkSymbolicList(inputsArg, 'inputs', who);
  const outputs = checkSymbolicList(outputsArg, 'outputs', who);
  inputs.forEach((t, i) => {
    if (!(t.sourceLayer instanceof InputLayer)) {
      throw new Error(`${who}: inputs[${i}] is the output of layer ${describeSymbolic(t)}, not an input; model inputs must come from input({shape})`);
    }
    if (inputs.indexOf(t) !== i) throw new Error(`${who}: input '${t.sourceLayer.name}' is listed twice in inputs`);
  });
  const { order, layerIndex } = traverse(outputs, who);
  const given = new Set(inputs.map((t) => t.node));
  const reached = new Set(order);
  for (const node of order) {
    if (node.inputs.length === 0 && !given.has(node)) {
      const needs = outputs.filter((o) => traverse([o], who).order.includes(node)).map(describeSymbolic);
      throw new Error(`${who}: the graph is disconnected: output ${needs.join(', ')} depends on input '${node.layer.name}', which is not in inputs (${inputs.map((t) => `'${t.sourceLayer.name}'`).join(', ')})`);
    }
  }
  for (const t of inputs) {
    if (!reached.has(t.node)) throw new Error(`${who}: input '${t.sourceLayer.name}' is not used by any output; remove it from inputs or connect it`);
  }

  // Depths (TF.js): an output node has depth 0; a node feeding another has at least its depth + 1;
  // a layer takes the largest depth of its nodes.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...order].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.inputs) nodeDepth.set(t.node, Math.max(depth + 1, nodeDepth.get(t.node) ?? 0));
  }
  const byDepthThen = <T>(depth: Map<T, number>, index: (x: T) => number) => (a: T, b: T) => depth.get(b)! - depth.get(a)! || index(a) - index(b);
  const layers = [...layerDepth.keys()].sort(byDepthThen(layerDepth, (l) => layerIndex.get(l)!));
  // Run order: deepest first; within a depth, traversal order (every node's inputs are deeper, so they ran).
  const position = new Map(order.map((n, i) => [n, i]));
  const nodes = [...order].sort(byDepthThen(nodeDepth, (n) => position.get(n)!));
  const names = new Map<string, Layer>();
  for (const l of layers) {
    const other = names.get(l.name);
    if (other && other !== l) throw new Error(`${who}: two different layers are named '${l.name}'; layer names in a model must be unique`);
    names.set(l.name, l);
  }
  return { inputs, outputs, nodes, layers };
}

/**
 * Runs the graph on concrete inputs (in `graph.inputs` order) and returns the
 * outputs and their masks. In training each node gets its own split of
 * `rng`, in run order. `splitFor` says which nodes draw a split (the model's
 * own layers), so a Sequential draws one per layer as it always has. Masks
 * (from Embedding `maskZero`, Masking, or `inputMasks` of a nested model's
 * call) travel with the tensors: a node whose layer does not support masking
 * but receives a mask is an error naming both layers.
 */
export function runGraph(graph: Graph, xs: readonly Tensor[], ctx: CallContext, splitFor: (node: Node) => boolean, inputMasks?: readonly (Tensor | null)[]): { outputs: Tensor[]; masks: (Tensor | null)[] } {
  const values = new Map<SymbolicTensor, Tensor>();
  const masks = new Map<SymbolicTensor, Tensor | null>();
  graph.inputs.forEach((t, i) => {
    values.set(t, xs[i]!);
    masks.set(t, inputMasks?.[i] ?? null);
  });
  const rng: Rng | undefined = ctx.training ? ctx.rng : undefined;
  for (const node of graph.nodes) {
    const sub = rng && splitFor(node) ? rng.split() : undefined;
    if (node.inputs.length === 0) {
      const t = node.outputs[0]!;
      const x = values.get(t)!;
      node.layer.apply(x, { training: ctx.training, accumulate: true });
      continue;
    }
    // Plain loops and no spreads: this runs for every node of every step (small models are overhead-bound).
    const n = node.inputs.length;
    const args = new Array<Tensor>(n);
    const inMasks = new Array<Tensor | null>(n);
    let masked = -1;
    for (let i = 0; i < n; i++) {
      const t = node.inputs[i]!;
      args[i] = values.get(t)!;
      const m = masks.get(t) ?? null;
      inMasks[i] = m;
      if (m !== null && masked < 0) masked = i;
    }
    if (masked >= 0 && !node.layer.supportsMasking) {
      const from = node.inputs[masked]!.sourceLayer;
      throw new Error(`layer '${node.layer.name}' (${node.layer.className}) does not support masking, but its input from '${from.name}' (${from.className}) carries a mask (made by Embedding maskZero or Masking); consume the mask first (an RNN or GlobalAveragePooling1D), or drop maskZero`);
    }
    const mask = masked < 0 ? undefined : node.listCall ? inMasks : inMasks[0]!;
    const training = ctx.training;
    const callCtx: CallContext =
      mask === undefined
        ? sub ? { training, accumulate: true, rng: sub } : { training, accumulate: true }
        : sub ? { training, accumulate: true, mask, rng: sub } : { training, accumulate: true, mask };
    const input = node.listCall ? args : args[0]!;
    const y = node.listCall ? node.layer.apply(args, callCtx) : node.layer.apply(args[0]!, callCtx);
    const ys = Array.isArray(y) ? y : [y];
    if (ys.length !== node.outputs.length) throw new Error(`layer '${node.layer.name}' returned ${ys.length} outputs, expected ${node.outputs.length}`);
    const outMask = node.layer.computeMask(input, mask);
    for (let i = 0; i < ys.length; i++) {
      const t = node.outputs[i]!;
      values.set(t, ys[i]!);
      masks.set(t, outMask);
    }
  }
  return { outputs: graph.outputs.map((t) => values.get(t)!), masks: graph.outputs.map((t) => masks.get(t) ?? null) };
}
