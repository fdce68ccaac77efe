/**
 * AlphaDropout (Keras 3, docs/semantics.md §3): dropout for SELU networks that keeps the
 * self-normalizing mean and variance. With `α = 1.6732632423543772`,
 * `λ = 1.0507009873554805`, `α' = −αλ`: keep mask `u ≥ rate` (u ~ U[0,1)),
 * `x̃ = x·keep + α'·(1 − keep)`, output `a·x̃ + b` with
 * `a = ((1 − rate)(1 + rate·α'²))^(−1/2)` and `b = −a·α'·rate`.
 * Rate 0.1: a ≈ 0.921285, b ≈ 0.161971, a dropped unit becomes ≈ −1.457739.
 * (TF.js flips the sign of α' and gets +1.78168 — a bug not copied here.)
 * Identity at inference.
 */
import { add, greaterEqual, mul, sub } from '../ops/arithmetic.js';
import { uniformNoise } from '../ops/random-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import { concreteNoiseShape } from './noise-stream.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { noiseShape, rate } from './options.js';

/** SELU constants (Klambauer et al. 2017). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
/** The value SELU saturates to: −αλ ≈ −1.7580993. */
export const ALPHA_PRIME = -SELU_ALPHA * SELU_SCALE;

/** The affine correction `{a, b}` for a drop rate (see the file header). */
export function alphaDropoutAffine(rate: number): { a: number; b: number } {
  const a = 1 / Math.sqrt((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME));
  return { a, b: -a * ALPHA_PRIME * rate };
}

/** AlphaDropout's options, in config key order. */
export const ALPHA_DROPOUT_OPTIONS = {
  /** Drop probability in [0, 1) (rate 1 makes `a` infinite). */
  rate: rate({ openHigh: true, alias: 'p' }),
  noiseShape: noiseShape(),
  seed: seed(),
};

export type AlphaDropoutArgs = LayerArgs & ArgsOf<typeof ALPHA_DROPOUT_OPTIONS>;

/** @example layers.alphaDropout({ rate: 0.1 }) // after a selu dense layer */
export class AlphaDropout extends Layer {
  static override readonly className = 'AlphaDropout';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = ALPHA_DROPOUT_OPTIONS;
  declare readonly options: ValuesOf<typeof ALPHA_DROPOUT_OPTIONS>;

  constructor(args: AlphaDropoutArgs | number) {
    super(args, 'alpha_dropout');
  }

  get rate(): number {
    return this.options.rate;
  }
  get noiseShape(): Shape | undefined {
    return this.options.noiseShape;
  }
  get seed(): number | undefined {
    return this.options.seed;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const shape = concreteNoiseShape(this.name, this.noiseShape, x.shape);
    const keep = greaterEqual(uniformNoise(shape, 0, 1, this.noise!.next(ctx)), this.rate);
    const { a, b } = alphaDropoutAffine(this.rate);
    const dropped = mul(sub(1, keep), ALPHA_PRIME);
    return add(mul(add(mul(x, keep), dropped), a), b);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Factory: `layers.alphaDropout(0.1)` or `layers.alphaDropout({ rate: 0.1, seed: 1 })`. */
export function alphaDropout(args: AlphaDropoutArgs | number): AlphaDropout {
  return new AlphaDropout(args);
}
