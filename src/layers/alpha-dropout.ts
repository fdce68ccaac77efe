/**
 * AlphaDropout (Keras 3, spec §3): dropout for SELU networks that keeps the
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
import type { RngState } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { concreteNoiseShape, noiseShapeArg, NoiseStream, positional, rateArg, seedArg, readNoiseConfig } from './noise-args.js';

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

export interface AlphaDropoutArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Drop probability in [0, 1). */
  rate: number;
  noiseShape?: readonly (number | null)[] | null;
  seed?: number | null;
  batchSize?: number;
  dtype?: string;
  activityRegularizer?: unknown;
}

/** @example layers.alphaDropout({ rate: 0.1 }) // after a selu dense layer */
export class AlphaDropout extends Layer {
  readonly className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: Shape | undefined;
  readonly seed: number | undefined;
  private readonly stream: NoiseStream;

  constructor(args: AlphaDropoutArgs | number) {
    const a = positional<AlphaDropoutArgs>('AlphaDropout', args, 'rate', 'p');
    checkKeys('AlphaDropout', a, ['rate', 'noiseShape', 'seed']);
    super(baseArgs('AlphaDropout', a), 'alpha_dropout');
    // rate 1 makes `a` infinite (Keras accepts it and produces NaN).
    this.rate = rateArg('AlphaDropout', a.rate, 'rate', true);
    this.noiseShape = noiseShapeArg('AlphaDropout', a.noiseShape);
    this.seed = seedArg('AlphaDropout', a.seed);
    this.stream = new NoiseStream(this.seed, () => this.name);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const shape = concreteNoiseShape(this.name, this.noiseShape, x.shape);
    const keep = greaterEqual(uniformNoise(shape, 0, 1, this.stream.next(ctx)), this.rate);
    const { a, b } = alphaDropoutAffine(this.rate);
    const dropped = mul(sub(1, keep), ALPHA_PRIME);
    return add(mul(add(mul(x, keep), dropped), a), b);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  getRngState(): RngState | undefined {
    return this.stream.getState();
  }

  setRngState(s: RngState): void {
    this.stream.setState(s);
  }

  protected layerConfig(): Record<string, unknown> {
    return { rate: this.rate, noise_shape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed ?? null };
  }

  static fromConfig(config: Record<string, unknown>): AlphaDropout {
    return new AlphaDropout(readNoiseConfig('AlphaDropout', config, 'rate', 'keep') as unknown as AlphaDropoutArgs);
  }

}

/** Factory: `layers.alphaDropout(0.1)` or `layers.alphaDropout({ rate: 0.1, seed: 1 })`. */
export function alphaDropout(args: AlphaDropoutArgs | number): AlphaDropout {
  return new AlphaDropout(args);
}
