/**
 * Reshape: [batch, …] → [batch, ...targetShape]; one entry of targetShape may
 * be −1 (inferred). The batch dimension is never touched.
 */
import { reshape as reshapeOp } from '../ops/shape-ops.js';
import { sizeOf } from '../tensor/shape.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { custom, invalid, req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

/** Reshape's options. */
export const RESHAPE_OPTIONS = {
  /** Target shape without the batch dimension; at most one −1 (TF.js configs write it as null). */
  targetShape: req(
    custom<readonly number[]>({
      check: (t, w) => {
        if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
          throw invalid(w, 'an array of positive integers with at most one -1', t);
        }
        return [...(t as number[])];
      },
      fromConfig: (t) => (Array.isArray(t) ? t.map((d) => (d === null ? -1 : d)) : t),
    }),
  ),
};

export type ReshapeArgs = LayerArgs & ArgsOf<typeof RESHAPE_OPTIONS>;

/** Resolves a −1 in `target` for `inSize` elements per sample, or throws naming both shapes. */
function resolveTarget(target: readonly number[], inShape: readonly number[], name: string): number[] {
  const inSize = sizeOf(inShape);
  const known = sizeOf(target.filter((d) => d !== -1));
  const out = target.map((d) => (d === -1 ? (known === 0 ? 0 : inSize / known) : d));
  const outSize = sizeOf(out);
  if (!out.every((d) => Number.isInteger(d)) || outSize !== inSize) {
    throw new Error(`${name}: cannot reshape input ${fmt(inShape)} (${inSize} values per sample) to target shape ${fmt(target)}`);
  }
  return out;
}

/** @example new Reshape({ targetShape: [3, -1] }) // [b, 12] → [b, 3, 4] */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  static override readonly options = RESHAPE_OPTIONS;
  declare readonly options: ValuesOf<typeof RESHAPE_OPTIONS>;

  constructor(args: ReshapeArgs) {
    super(args, 'reshape');
  }

  get targetShape(): readonly number[] {
    return this.options.targetShape;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank === 0) throw new Error(`${this.name}: Reshape needs an input with a batch dimension, got a scalar`);
    return reshapeOp(x, [x.shape[0]!, ...resolveTarget(this.targetShape, x.shape.slice(1), this.name)]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    if (!rest.every((d): d is number => typeof d === 'number')) return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [inputShape[0] ?? null, ...resolveTarget(this.targetShape, rest, this.name)];
  }
}

export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}
