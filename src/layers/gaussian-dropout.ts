/**
 * GaussianDropout (Keras 3, docs/semantics.md §3): multiplicative one-centred Gaussian
 * noise, `x · N(1, σ²)` with `σ = sqrt(rate / (1 − rate))` — the same mean and
 * variance as inverted dropout with that drop `rate` (rate 0.5 ⇒ σ = 1,
 * 0.2 ⇒ σ = 0.5, 0.1 ⇒ σ = 1/3). The argument is a drop probability, not σ
 * (the Keras-1 tutorial calls it "sigma"; it is not). Identity at inference.
 */
import { mul } from '../ops/arithmetic.js';
import { normalNoise } from '../ops/random-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { rate } from './options.js';

/** GaussianDropout's options, in config key order. */
export const GAUSSIAN_DROPOUT_OPTIONS = {
  /** Drop probability in [0, 1) (rate 1 would mean infinite variance); the noise std is sqrt(rate/(1−rate)). */
  rate: rate({ openHigh: true, alias: 'p' }),
  seed: seed(),
};

export type GaussianDropoutArgs = LayerArgs & ArgsOf<typeof GAUSSIAN_DROPOUT_OPTIONS>;

/** @example layers.gaussianDropout(0.1) // x · N(1, 1/9) in training */
export class GaussianDropout extends Layer {
  static override readonly className = 'GaussianDropout';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = GAUSSIAN_DROPOUT_OPTIONS;
  declare readonly options: ValuesOf<typeof GAUSSIAN_DROPOUT_OPTIONS>;

  constructor(args: GaussianDropoutArgs | number) {
    super(args, 'gaussian_dropout');
  }

  get rate(): number {
    return this.options.rate;
  }
  /** Standard deviation of the multiplicative noise. */
  get stddev(): number {
    return Math.sqrt(this.rate / (1 - this.rate));
  }
  get seed(): number | undefined {
    return this.options.seed;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    return mul(x, normalNoise(x.shape, 1, this.stddev, this.noise!.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Factory: `layers.gaussianDropout(0.1)` or `layers.gaussianDropout({ rate: 0.1, seed: 1 })`. */
export function gaussianDropout(args: GaussianDropoutArgs | number): GaussianDropout {
  return new GaussianDropout(args);
}
