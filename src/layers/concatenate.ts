/**
 * Concatenate (Keras 3 `keras/src/layers/merging/concatenate.py`): joins a
 * list of ≥ 2 inputs along `axis` (default −1; negative counts from the end,
 * 0 is the batch axis). All inputs have the same rank, and every dimension
 * other than `axis` is equal (null matches anything); the output dimension on
 * `axis` is the sum, or null when any input's is unknown. Integer inputs are
 * cast to float32 (Keras's merge output dtype). No rank expansion, unlike the
 * elementwise merges.
 */
import { custom, type ArgsOf, type ValuesOf } from '../config/options.js';
import { concat } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerArgs, Mask, Shape } from './layer.js';
import { ones } from '../tensor/create.js';
import { fmtShapes, Merge, mergeFactory, type MergeFactory } from './merge.js';

/** Concatenate's options, in config key order. */
export const CONCATENATE_OPTIONS = {
  /** The concatenation axis (default −1, the last). */
  axis: custom<number>({
    check: (v, w) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${w.layer}: axis must be an integer, got ${JSON.stringify(v)}`);
      return v;
    },
    default: -1,
  }),
};

export type ConcatenateArgs = LayerArgs & ArgsOf<typeof CONCATENATE_OPTIONS>;

/** @example layers.concatenate({ axis: 1 }).apply([a, b]) // [batch, a1 + b1, …] */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  static override readonly options = CONCATENATE_OPTIONS;
  declare readonly options: ValuesOf<typeof CONCATENATE_OPTIONS>;
  protected override readonly expandRanks = false;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'concatenate');
  }

  get axis(): number {
    return this.options.axis;
  }

  /** Same rank, equal dimensions off the axis; the axis sums (null if any is unknown). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const rank = shapes[0]!.length;
    const mismatch = (): Error =>
      new Error(`Concatenate (axis ${this.axis}) needs inputs of one rank with matching shapes except on the concatenation axis; got input shapes ${fmtShapes(shapes)}`);
    if (shapes.some((s) => s.length !== rank)) throw mismatch();
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) throw new Error(`Concatenate: axis ${this.axis} is out of range for inputs of rank ${rank} (shapes ${fmtShapes(shapes)})`);
    for (let i = 0; i < rank; i++) {
      if (i === a) continue;
      const known = new Set(shapes.map((s) => s[i]).filter((d) => d !== null));
      if (known.size > 1) throw mismatch();
    }
    const out = [...shapes[0]!];
    let total: number | null = 0;
    for (const s of shapes) total = total === null || s[a] === null ? null : total + s[a]!;
    out[a] = total;
    return out;
  }

  protected mergeFunction(xs: Tensor[]): Tensor {
    return concat(xs, this.axis);
  }

  /**
   * Keras's Concatenate.compute_mask: joining along the feature (last) axis,
   * a step is real where every masked input's is; joining along an earlier
   * axis (time), the masks are joined too, an unmasked input counting as real.
   */
  override computeMask(inputs: Tensor | Tensor[], mask: Mask | undefined): Tensor | null {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const ms = Array.isArray(mask) ? (mask as readonly (Tensor | null)[]) : [];
    if (ms.every((m) => m === null)) return null;
    const rank = xs[0]!.rank;
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a === rank - 1) return super.computeMask(inputs, mask);
    return concat(xs.map((x, i) => ms[i] ?? ones(x.shape.slice(0, rank - 1))), a);
  }
}

/** `layers.concatenate({ axis })` makes a Concatenate layer; `layers.concatenate([a, b])` joins on the last axis at once. */
export const concatenate: MergeFactory<Concatenate, ConcatenateArgs> = mergeFactory(Concatenate);
