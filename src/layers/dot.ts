/**
 * Dot (Keras 3 `keras/src/layers/merging/dot.py`): the per-sample dot product
 * of exactly 2 inputs along `axes` — an integer (the same axis of both) or
 * [a0, a1]; negative axes count from the end of each input's shape, and the
 * batch axis 0 cannot be an axis. With `normalize`, each input is first
 * L2-normalized along its dot axis (Keras's `normalize`: x / max(‖x‖, 1e-7);
 * the dot product is then the cosine similarity).
 *
 * Inputs have rank 2 or 3 (batch plus one or two dimensions), as in TF.js;
 * Keras 3's `batch_dot` also squashes higher ranks. Output shape as Keras's
 * `Dot.compute_output_shape`: the first shape without its dot axis, then the
 * second without its batch and dot axes, [batch, 1] when that leaves only the
 * batch. Computed as Keras's `batch_dot`: a rank-2 input gets a unit axis, the
 * product is one batched matmul (transposes as flags), the unit axis is
 * squeezed again.
 */
import { custom, bool, req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { mul } from '../ops/arithmetic.js';
import { matmul } from '../ops/matmul.js';
import { l2Normalize } from '../ops/normalize.js';
import { sum } from '../ops/reduce.js';
import { expandDims, squeeze } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerArgs, Shape } from './layer.js';
import { fmtShapes, Merge } from './merge.js';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Dot's options, in config key order. */
export const DOT_OPTIONS = {
  /** The dot axis of both inputs, or [axis of the first, axis of the second]. */
  axes: req(
    custom<number | readonly [number, number], number | readonly [number, number]>({
      check: (v, w) => {
        if (isInt(v)) return v;
        if (Array.isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1])) return [v[0], v[1]] as const;
        throw new Error(`${w.layer}: axes must be an integer or a list of two integers, got ${JSON.stringify(v)}`);
      },
      toConfig: (a) => (typeof a === 'number' ? a : [...a]),
    }),
  ),
  /** L2-normalize both inputs along their dot axes first (cosine similarity); default false. */
  normalize: bool(false),
};

export type DotArgs = LayerArgs & ArgsOf<typeof DOT_OPTIONS>;

/** @example layers.dot({ axes: 1 }).apply([a, b]) // [batch, 1]: Σ a·b per sample */
export class Dot extends Merge {
  static override readonly className = 'Dot';
  static override readonly options = DOT_OPTIONS;
  declare readonly options: ValuesOf<typeof DOT_OPTIONS>;
  protected override readonly exactInputs = 2;
  protected override readonly expandRanks = false;

  constructor(args: DotArgs) {
    super(args, 'dot');
  }

  get axes(): number | readonly [number, number] {
    return this.options.axes;
  }
  get normalize(): boolean {
    return this.options.normalize;
  }

  /** The two dot axes for inputs of ranks r0 and r1 (non-negative), checked against the shapes. */
  private resolveAxes(shapes: readonly Shape[]): [number, number] {
    const ranks = shapes.map((s) => s.length);
    if (ranks.some((r) => r < 2 || r > 3)) {
      throw new Error(`Dot supports inputs of rank 2 or 3 (batch plus 1 or 2 dimensions); got input shapes ${fmtShapes(shapes)}`);
    }
    const ax = this.axes;
    const raw = typeof ax === 'number' ? [ax, ax] : ax;
    const out = raw.map((a, i) => (a < 0 ? a + ranks[i]! : a)) as [number, number];
    out.forEach((a, i) => {
      if (a === 0) throw new Error(`Dot cannot take the dot product over the batch axis (axes ${JSON.stringify(ax)}; input shapes ${fmtShapes(shapes)})`);
      if (a < 0 || a >= ranks[i]!) throw new Error(`Dot: axis ${raw[i]} is out of range for input ${i} of shape ${fmtShapes([shapes[i]!])}`);
    });
    const d0 = shapes[0]![out[0]]!;
    const d1 = shapes[1]![out[1]]!;
    if (d0 !== null && d1 !== null && d0 !== d1) {
      throw new Error(`Dot got incompatible input shapes: dimension ${d0} (axis ${out[0]}) != ${d1} (axis ${out[1]}); input shapes ${fmtShapes(shapes)}`);
    }
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const batch = this.batchSize(shapes);
    const [a0, a1] = this.resolveAxes(shapes);
    const s0 = shapes[0]!.filter((_, i) => i !== a0);
    const s1 = shapes[1]!.filter((_, i) => i !== a1 && i !== 0);
    const out = [batch, ...s0.slice(1), ...s1];
    return out.length === 1 ? [out[0]!, 1] : out;
  }

  protected mergeFunction(xs: Tensor[]): Tensor {
    const [a0, a1] = this.resolveAxes(xs.map((t) => t.shape));
    let x = xs[0]!;
    let y = xs[1]!;
    if (this.normalize) {
      x = l2Normalize(x, a0);
      y = l2Normalize(y, a1);
    }
    // Both rank 2 (axes [1, 1]): Σ x·y per sample, kept as [batch, 1].
    if (x.rank === 2 && y.rank === 2) return sum(mul(x, y), 1, true);
    // Keras's batch_dot: [b, m, k] @ [b, k, p] with the dot axes moved by transpose flags.
    const xr = x.rank === 2 ? expandDims(x, 1) : x; // [b, 1, k]
    const yr = y.rank === 2 ? expandDims(y, 2) : y; // [b, k, 1]
    const tA = x.rank === 3 && a0 === 1;
    const tB = y.rank === 3 && a1 === 2;
    const out = matmul(xr, yr, tA, tB);
    if (x.rank === 2) return squeeze(out, [1]);
    if (y.rank === 2) return squeeze(out, [2]);
    return out;
  }
}

/** `layers.dot({ axes, normalize })` makes a Dot layer. */
export function dot(args: DotArgs): Dot {
  return new Dot(args);
}
