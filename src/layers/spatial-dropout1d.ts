/**
 * SpatialDropout1D (Keras 3, docs/semantics.md §3): dropout of whole channels. Input
 * `[batch, steps, channels]`; one mask of shape `[batch, 1, channels]` is
 * shared over the steps, with Dropout's inverted scaling `1/(1 − rate)`.
 * Useful after Conv1D, whose neighbouring steps are strongly correlated, so
 * dropping single entries barely regularizes. Identity at inference.
 */
import { mul } from '../ops/arithmetic.js';
import { dropoutMask } from '../ops/random-ops.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { custom, invalid, seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { rate } from './options.js';

/** SpatialDropout1D's options, in config key order. */
export const SPATIAL_DROPOUT1D_OPTIONS = {
  /** Fraction of channels to drop, in [0, 1]. */
  rate: rate({ alias: 'p' }),
  /** Configs may carry noise_shape only as null (the mask shape is fixed). */
  noiseShape: { ...custom<undefined>({ check: (v, w) => { throw invalid(w, 'null', v); } }), write: false },
  seed: seed(),
};

export type SpatialDropout1DArgs = LayerArgs & ArgsOf<typeof SPATIAL_DROPOUT1D_OPTIONS>;

/** @example layers.spatialDropout1d({ rate: 0.2 }) // drops 20% of the channels of each sample */
export class SpatialDropout1D extends Layer {
  static override readonly className = 'SpatialDropout1D';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = SPATIAL_DROPOUT1D_OPTIONS;
  declare readonly options: ValuesOf<typeof SPATIAL_DROPOUT1D_OPTIONS>;

  constructor(args: SpatialDropout1DArgs | number) {
    super(args, 'spatial_dropout1d');
  }

  get rate(): number {
    return this.options.rate;
  }
  get seed(): number | undefined {
    return this.options.seed;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank !== 3) throw new Error(`${this.name}: SpatialDropout1D expects input [batch, steps, channels], got ${fmt(x.shape)}`);
    if (!ctx.training || this.rate === 0) return x;
    return mul(x, dropoutMask([x.shape[0]!, 1, x.shape[2]!], this.rate, this.noise!.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 3) throw new Error(`${this.name}: SpatialDropout1D expects input [batch, steps, channels], got [${inputShape.join(',')}]`);
    return inputShape;
  }
}

/** Factory: `layers.spatialDropout1d(0.2)` or `layers.spatialDropout1d({ rate: 0.2, seed: 3 })`. */
export function spatialDropout1d(args: SpatialDropout1DArgs | number): SpatialDropout1D {
  return new SpatialDropout1D(args);
}
