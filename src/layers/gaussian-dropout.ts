/**
 * GaussianDropout (Keras 3, spec §3): multiplicative one-centred Gaussian
 * noise, `x · N(1, σ²)` with `σ = sqrt(rate / (1 − rate))` — the same mean and
 * variance as inverted dropout with that drop `rate` (rate 0.5 ⇒ σ = 1,
 * 0.2 ⇒ σ = 0.5, 0.1 ⇒ σ = 1/3). The argument is a drop probability, not σ
 * (the Keras-1 tutorial calls it "sigma"; it is not). Identity at inference.
 */
import { mul } from '../ops/arithmetic.js';
import { normalNoise } from '../ops/random-ops.js';
import type { RngState } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { NoiseStream, positional, rateArg, seedArg, readNoiseConfig } from './noise-args.js';

export interface GaussianDropoutArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Drop probability in [0, 1); the noise std is sqrt(rate/(1−rate)). */
  rate: number;
  seed?: number | null;
  batchSize?: number;
  dtype?: string;
  activityRegularizer?: unknown;
}

/** @example layers.gaussianDropout(0.1) // x · N(1, 1/9) in training */
export class GaussianDropout extends Layer {
  readonly className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly stream: NoiseStream;

  constructor(args: GaussianDropoutArgs | number) {
    const a = positional<GaussianDropoutArgs>('GaussianDropout', args, 'rate', 'p');
    checkKeys('GaussianDropout', a, ['rate', 'seed']);
    super(baseArgs('GaussianDropout', a), 'gaussian_dropout');
    // rate 1 would mean infinite variance (Keras accepts it and produces inf/NaN).
    this.rate = rateArg('GaussianDropout', a.rate, 'rate', true);
    this.seed = seedArg('GaussianDropout', a.seed);
    this.stream = new NoiseStream(this.seed, () => this.name);
  }

  /** Standard deviation of the multiplicative noise. */
  get stddev(): number {
    return Math.sqrt(this.rate / (1 - this.rate));
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    return mul(x, normalNoise(x.shape, 1, this.stddev, this.stream.next(ctx)));
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
    return { rate: this.rate, seed: this.seed ?? null };
  }

  static fromConfig(config: Record<string, unknown>): GaussianDropout {
    return new GaussianDropout(readNoiseConfig('GaussianDropout', config, 'rate', 'none') as unknown as GaussianDropoutArgs);
  }

}

/** Factory: `layers.gaussianDropout(0.1)` or `layers.gaussianDropout({ rate: 0.1, seed: 1 })`. */
export function gaussianDropout(args: GaussianDropoutArgs | number): GaussianDropout {
  return new GaussianDropout(args);
}
