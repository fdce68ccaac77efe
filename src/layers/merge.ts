/**
 * Merge layers, called on a list of tensors (Keras 3
 * `keras/src/layers/merging/`): the shared `Merge` base and the elementwise
 * ones — Add, Subtract (exactly 2 inputs), Multiply, Average, Maximum,
 * Minimum. Concatenate (./concatenate.ts) and Dot (./dot.ts) extend the base.
 *
 * Shapes follow Keras's `Merge.compute_output_shape` (base_merge.py): the
 * batch sizes must agree (null matches any); the other dimensions are aligned
 * from the right and combine when equal, when one is 1 (it broadcasts) or when
 * one is unknown (the result is unknown). In `call`, inputs of lower rank are
 * expanded at axis 1 until every rank is the same (Keras's `reshape_required`
 * path), then merged left to right with numpy broadcasting. Integer inputs are
 * cast to float32 (the output dtype of Keras's merge layers).
 *
 * Average is Σx / n. Maximum and Minimum reduce pairwise with the
 * `maximum`/`minimum` ops: at a tie the gradient goes to the earlier input
 * (TF's rule, which TF.js follows; docs/architecture.md lists it with the ops).
 *
 * Differences from Keras 3, as in TF.js: at least 2 inputs (Keras 3 accepts a
 * list of 1); masks are not supported (Regula has no masking).
 */
import type { OptionSpecs } from '../config/options.js';
import { add as addOp, div, maximum as maximumOp, minimum as minimumOp, mul, sub } from '../ops/arithmetic.js';
import { expandDims, toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { isShapeList, Layer, type CallContext, type LayerArgs, type Mask, type Shape } from './layer.js';
import type { SymbolicTensor } from './symbolic.js';

/** Options of the elementwise merge layers: only the base ones (name, trainable, …). */
export type MergeArgs = LayerArgs;

/** '[null,4]'. */
export function fmtShape(s: Shape): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** '[null,4], [null,4]'. */
export function fmtShapes(shapes: readonly Shape[]): string {
  return shapes.map(fmtShape).join(', ');
}

/**
 * The base of every merge layer (Keras's `Merge`): checks that it is called on
 * a list, computes Keras's elementwise output shape, validates the concrete
 * shapes of each call (batch sizes included) and hands the inputs to
 * `mergeFunction`.
 */
export abstract class Merge extends Layer {
  static override readonly options: OptionSpecs = {};
  /** Exactly this many inputs (Subtract, Dot); undefined: at least 2. */
  protected readonly exactInputs: number | undefined = undefined;
  /** Keras's `reshape_required`: expand lower-rank inputs at axis 1 (elementwise layers only). */
  protected readonly expandRanks: boolean = true;

  /**
   * `Layer.apply` typed for one output: a list of symbolic tensors gives one
   * SymbolicTensor, a list of tensors one Tensor (a single tensor is refused
   * with an error naming the layer).
   */
  override apply(x: SymbolicTensor, ctx?: CallContext): SymbolicTensor;
  override apply(x: SymbolicTensor[], ctx?: CallContext): SymbolicTensor;
  override apply(x: Tensor, ctx?: CallContext, rng?: Rng): Tensor;
  override apply(x: Tensor[], ctx?: CallContext, rng?: Rng): Tensor;
  override apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], ctx?: CallContext, rng?: Rng): Tensor | SymbolicTensor {
    return super.apply(x as Tensor[], ctx, rng) as Tensor | SymbolicTensor;
  }

  /** Merge layers accept masked inputs (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }

  /** Keras's Merge.compute_mask: a step is real only where every masked input's step is real. */
  override computeMask(_inputs: Tensor | Tensor[], mask: Mask | undefined): Tensor | null {
    const list = Array.isArray(mask) ? (mask as readonly (Tensor | null)[]).filter((m): m is Tensor => m !== null) : [];
    if (list.length === 0) return null;
    let out = list[0]!;
    for (const m of list.slice(1)) out = mul(out, m);
    return out;
  }

  /** Merges inputs that passed the shape checks (ranks already equalized when `expandRanks`). */
  protected abstract mergeFunction(xs: Tensor[]): Tensor;

  /** The list of shapes of a list call; throws naming the class when called on one tensor, too few or too many. */
  protected shapeList(inputShape: Shape | Shape[]): Shape[] {
    const cls = this.className;
    const need = this.exactInputs === undefined ? 'at least 2 inputs' : `exactly ${this.exactInputs} inputs`;
    if (!isShapeList(inputShape)) {
      const got = inputShape.length === 0 ? 'no list of inputs (or one scalar input)' : `a single input of shape ${fmtShape(inputShape as Shape)}`;
      throw new Error(`${cls} should be called on a list of ${need}; got ${got}`);
    }
    const n = inputShape.length;
    if (n < 2 || (this.exactInputs !== undefined && n !== this.exactInputs)) {
      throw new Error(`${cls} should be called on a list of ${need}; got ${n}: ${fmtShapes(inputShape)}`);
    }
    return inputShape;
  }

  /** The common batch size (null when unknown everywhere); throws when two known ones differ (Keras). */
  protected batchSize(shapes: readonly Shape[]): number | null {
    const known = new Set<number>();
    for (const s of shapes) if (s.length > 0 && s[0] !== null && s[0] !== undefined) known.add(s[0]);
    if (known.size > 1) throw new Error(`${this.className} cannot merge tensors with different batch sizes; got input shapes ${fmtShapes(shapes)}`);
    return known.size === 1 ? known.values().next().value! : null;
  }

  /** Keras's `_compute_elemwise_op_output_shape` for two shapes without their batch dimension. */
  private elementwise(a: Shape, b: Shape, all: readonly Shape[]): Shape {
    if (a.length < b.length) return this.elementwise(b, a, all);
    if (b.length === 0) return a;
    const lead = a.length - b.length;
    const out: (number | null)[] = a.slice(0, lead);
    for (let k = 0; k < b.length; k++) {
      const i = a[lead + k]!;
      const j = b[k]!;
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else if (i !== j) throw new Error(`${this.className} got inputs of incompatible shapes ${fmtShapes(all)} (dimension ${i} vs ${j}; merged dimensions must be equal, 1 or unknown)`);
      else out.push(i);
    }
    return out;
  }

  /** Keras's elementwise merge shape: batch sizes agree, other dimensions broadcast (aligned from the right). */
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const batch = this.batchSize(shapes);
    let out: Shape = shapes[0]!.slice(1);
    for (const s of shapes.slice(1)) out = this.elementwise(out, s.slice(1), shapes);
    return [batch, ...out];
  }

  /** Shape validation only (Keras's Merge.build); merge layers have no weights. */
  override build(inputShape: Shape | Shape[]): void {
    this.named(() => this.computeOutputShape(inputShape));
  }

  call(inputs: Tensor | Tensor[], _ctx: CallContext): Tensor {
    // Full concrete shapes: also checks that the batch sizes agree.
    this.named(() => this.computeOutputShape(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape));
    let xs = (inputs as Tensor[]).map((t) => (t.dtype === 'int32' ? toFloat(t) : t));
    if (this.expandRanks) {
      const rank = xs.reduce((r, t) => Math.max(r, t.rank), 0);
      xs = xs.map((t) => {
        let y = t;
        while (y.rank < rank) y = expandDims(y, 1);
        return y;
      });
    }
    return this.mergeFunction(xs);
  }

  /** Runs `f`, prefixing an error with this layer's name and class. */
  protected named<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw new Error(`${this.name} (${this.className}): ${(e as Error).message}`);
    }
  }
}

/** Left-to-right pairwise reduction of a non-empty list. */
function fold(xs: readonly Tensor[], op: (a: Tensor, b: Tensor) => Tensor): Tensor {
  let out = xs[0]!;
  for (let i = 1; i < xs.length; i++) out = op(out, xs[i]!);
  return out;
}

/** Elementwise sum of the inputs. @example layers.add().apply([a, b]) */
export class Add extends Merge {
  static override readonly className = 'Add';
  constructor(args: MergeArgs = {}) {
    super(args, 'add');
  }
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, addOp);
  }
}

/** inputs[0] − inputs[1]; exactly 2 inputs. @example layers.subtract().apply([a, b]) */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  protected override readonly exactInputs = 2;
  constructor(args: MergeArgs = {}) {
    super(args, 'subtract');
  }
  protected mergeFunction(xs: Tensor[]): Tensor {
    return sub(xs[0]!, xs[1]!);
  }
}

/** Elementwise product of the inputs. */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';
  constructor(args: MergeArgs = {}) {
    super(args, 'multiply');
  }
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, mul);
  }
}

/** Elementwise mean of the inputs: Σx / n (Keras; TF.js multiplies by 1/n). */
export class Average extends Merge {
  static override readonly className = 'Average';
  constructor(args: MergeArgs = {}) {
    super(args, 'average');
  }
  protected mergeFunction(xs: Tensor[]): Tensor {
    return div(fold(xs, addOp), xs.length);
  }
}

/** Elementwise maximum of the inputs; at a tie the gradient goes to the earlier input. */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';
  constructor(args: MergeArgs = {}) {
    super(args, 'maximum');
  }
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, maximumOp);
  }
}

/** Elementwise minimum of the inputs; at a tie the gradient goes to the earlier input. */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';
  constructor(args: MergeArgs = {}) {
    super(args, 'minimum');
  }
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, minimumOp);
  }
}

/**
 * A merge layer factory, TF.js style: `f(args?)` makes the layer; `f([a, b])`
 * makes one with default options and applies it at once (to symbolic tensors
 * from `input()`, or to concrete tensors).
 */
export interface MergeFactory<L extends Layer, A> {
  (args?: A): L;
  (inputs: SymbolicTensor[]): SymbolicTensor;
  (inputs: Tensor[]): Tensor;
}

/** The factory of a merge layer class whose options are all optional. */
export function mergeFactory<L extends Layer, A>(cls: new (args?: A) => L): MergeFactory<L, A> {
  const f = (a?: A | SymbolicTensor[] | Tensor[]): L | SymbolicTensor | Tensor => {
    if (Array.isArray(a)) return (new cls() as Layer).apply(a as Tensor[]) as Tensor;
    return new cls(a ?? undefined);
  };
  return f as MergeFactory<L, A>;
}

/** `layers.add()` makes an Add layer; `layers.add([a, b])` adds at once. */
export const add: MergeFactory<Add, MergeArgs> = mergeFactory(Add);
/** `layers.subtract()` makes a Subtract layer; `layers.subtract([a, b])` subtracts at once. */
export const subtract: MergeFactory<Subtract, MergeArgs> = mergeFactory(Subtract);
/** `layers.multiply()` makes a Multiply layer; `layers.multiply([a, b])` multiplies at once. */
export const multiply: MergeFactory<Multiply, MergeArgs> = mergeFactory(Multiply);
/** `layers.average()` makes an Average layer; `layers.average([a, b])` averages at once. */
export const average: MergeFactory<Average, MergeArgs> = mergeFactory(Average);
/** `layers.maximum()` makes a Maximum layer; `layers.maximum([a, b])` at once. */
export const maximum: MergeFactory<Maximum, MergeArgs> = mergeFactory(Maximum);
/** `layers.minimum()` makes a Minimum layer; `layers.minimum([a, b])` at once. */
export const minimum: MergeFactory<Minimum, MergeArgs> = mergeFactory(Minimum);
