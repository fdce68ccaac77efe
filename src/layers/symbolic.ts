/**
 * The functional API's graph pieces (Keras's KerasTensor and Node, TF.js's
 * SymbolicTensor): calling a layer on symbolic tensors records a `Node` (one
 * call of that layer: which symbolic tensors went in, which came out) and
 * returns symbolic outputs carrying only a shape and a dtype. A model walks
 * the nodes from its outputs back to its inputs (src/models/graph.ts).
 *
 * Weights are not created here: a layer first called symbolically is built
 * when a model is made from the graph, with that model's seeded generator,
 * so `model({inputs, outputs, seed})` is reproducible.
 */
import type { Shape } from '../config/types.js';
import type { DType } from '../tensor/dtype.js';
import type { Layer } from './layer.js';

let nextId = 0;

/** One call of a layer on symbolic tensors. */
export class Node {
  readonly id = nextId++;
  /** Outputs of this call, in order (filled by the layer that made the node). */
  readonly outputs: SymbolicTensor[] = [];
  /**
   * @param layer the layer called
   * @param inputs the symbolic tensors it was called on ([] for an input)
   * @param listCall true when the layer was called on a list (merge layers), false for one tensor
   */
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    readonly listCall: boolean,
  ) {}

  /** This node's position in its layer's `inboundNodes` (TF.js's node index). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }
}

/** A placeholder for a tensor in a graph: shape (batch dimension null) and dtype, no values. */
export class SymbolicTensor {
  readonly id = nextId++;
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    /** The node that produced this tensor. */
    readonly node: Node,
    /** Which output of that node. */
    readonly tensorIndex: number,
  ) {}

  /** The layer that produced this tensor. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** 'dense_1/0' style name: source layer and output index (Keras names KerasTensors like this). */
  get name(): string {
    const n = this.node.index;
    return `${this.node.layer.name}${n > 0 ? `_${n}` : ''}/${this.tensorIndex}`;
  }

  toString(): string {
    return `SymbolicTensor(${this.name}, shape=[${this.shape.map((d) => d ?? 'null').join(',')}])`;
  }
}

/** True for a symbolic tensor or a non-empty list of them. */
export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return true;
  return Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor);
}

/** 'dense_1 (None, 8)' — a tensor named by the layer that made it, with its shape. */
export function describeSymbolic(t: SymbolicTensor): string {
  return `'${t.sourceLayer.name}' ${'(' + t.shape.map((d) => (d === null ? 'None' : String(d))).join(', ') + (t.shape.length === 1 ? ',)' : ')')}`;
}
