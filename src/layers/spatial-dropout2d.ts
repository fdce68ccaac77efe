/**
 * SpatialDropout2D (Keras 3, docs/semantics.md §3): dropout of whole feature
 * maps. Input `[batch, height, width, channels]`; one mask of shape
 * `[batch, 1, 1, channels]` (one draw per sample and channel) is shared over
 * height and width, with Dropout's inverted scaling `1/(1 − rate)`. Seeded
 * like the other dropout layers (its own advancing stream with `seed`, else
 * the step stream `ctx.rng`). Identity at inference. TF.js 4.22 has no
 * SpatialDropout2D.
 */
import { mul } from '../ops/arithmetic.js';
import { dropoutMask } from '../ops/random-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, custom, invalid, seed, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { rate } from './options.js';
import { checkImage, checkImageShape } from './pool2d-args.js';

/** SpatialDropout2D's options, in config key order. */
export const SPATIAL_DROPOUT2D_OPTIONS = {
  /** Fraction of feature maps to drop, in [0, 1]. */
  rate: rate({ alias: 'p' }),
  /** Configs may carry noise_shape only as null (the mask shape is fixed). */
  noiseShape: { ...custom<undefined>({ check: (v, w) => { throw invalid(w, 'null', v); } }), write: false },
  seed: seed(),
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
};

export type SpatialDropout2DArgs = LayerArgs & ArgsOf<typeof SPATIAL_DROPOUT2D_OPTIONS>;

/** @example layers.spatialDropout2d({ rate: 0.2 }) // drops 20% of the feature maps of each sample */
export class SpatialDropout2D extends Layer {
  static override readonly className = 'SpatialDropout2D';
  static override readonly options = SPATIAL_DROPOUT2D_OPTIONS;
  declare readonly options: ValuesOf<typeof SPATIAL_DROPOUT2D_OPTIONS>;

  constructor(args: SpatialDropout2DArgs | number) {
    super(args, 'spatial_dropout2d');
  }

  get rate(): number {
    return this.options.rate;
  }
  get seed(): number | undefined {
    return this.options.seed;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    checkImage(this.name, this.className, x);
    if (!ctx.training || this.rate === 0) return x;
    return mul(x, dropoutMask([x.shape[0]!, 1, 1, x.shape[3]!], this.rate, this.noise!.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, this.className, inputShape);
    return inputShape;
  }
}

/** Factory: `layers.spatialDropout2d(0.2)` or `layers.spatialDropout2d({ rate: 0.2, seed: 3 })`. */
export function spatialDropout2d(args: SpatialDropout2DArgs | number): SpatialDropout2D {
  return new SpatialDropout2D(args);
}
