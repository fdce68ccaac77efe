/**
 * GaussianNoise (Keras 3, docs/semantics.md §3): additive zero-centred noise,
 * `x + N(0, stddev²)`, in training only — a data augmentation for real-valued
 * inputs. `stddev` must lie in [0, 1] (Keras 3 rule; Keras 1 called it
 * `sigma`, accepted here as an alias). Identity at inference.
 */
import { add } from '../ops/arithmetic.js';
import { normalNoise } from '../ops/random-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { rate } from './options.js';

/** GaussianNoise's options, in config key order. */
export const GAUSSIAN_NOISE_OPTIONS = {
  /** Noise standard deviation, in [0, 1]; Keras 1 spelled it sigma. */
  stddev: rate({ alias: 'sigma' }),
  seed: seed(),
};

export type GaussianNoiseArgs = LayerArgs & ArgsOf<typeof GAUSSIAN_NOISE_OPTIONS>;

/** @example layers.gaussianNoise(0.2) // x + N(0, 0.04) in training */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = GAUSSIAN_NOISE_OPTIONS;
  declare readonly options: ValuesOf<typeof GAUSSIAN_NOISE_OPTIONS>;

  constructor(args: GaussianNoiseArgs | number) {
    super(args, 'gaussian_noise');
  }

  get stddev(): number {
    return this.options.stddev;
  }
  get seed(): number | undefined {
    return this.options.seed;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.stddev === 0) return x;
    return add(x, normalNoise(x.shape, 0, this.stddev, this.noise!.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Factory: `layers.gaussianNoise(0.2)` or `layers.gaussianNoise({ stddev: 0.2, seed: 1 })`. */
export function gaussianNoise(args: GaussianNoiseArgs | number): GaussianNoise {
  return new GaussianNoise(args);
}
