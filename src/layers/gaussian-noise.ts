/**
 * GaussianNoise (Keras 3, spec §3): additive zero-centred noise,
 * `x + N(0, stddev²)`, in training only — a data augmentation for real-valued
 * inputs. `stddev` must lie in [0, 1] (Keras 3 rule; Keras 1 called it
 * `sigma`, accepted here as an alias). Identity at inference.
 */
import { add } from '../ops/arithmetic.js';
import { normalNoise } from '../ops/random-ops.js';
import type { RngState } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { NoiseStream, positional, rateArg, seedArg, readNoiseConfig } from './noise-args.js';

export interface GaussianNoiseArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Noise standard deviation, in [0, 1]. */
  stddev: number;
  seed?: number | null;
  batchSize?: number;
  dtype?: string;
  activityRegularizer?: unknown;
}

/** @example layers.gaussianNoise(0.2) // x + N(0, 0.04) in training */
export class GaussianNoise extends Layer {
  readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | undefined;
  private readonly stream: NoiseStream;

  constructor(args: GaussianNoiseArgs | number) {
    const a = positional<GaussianNoiseArgs>('GaussianNoise', args, 'stddev', 'sigma');
    checkKeys('GaussianNoise', a, ['stddev', 'seed']);
    super(baseArgs('GaussianNoise', a), 'gaussian_noise');
    this.stddev = rateArg('GaussianNoise', a.stddev, 'stddev');
    this.seed = seedArg('GaussianNoise', a.seed);
    this.stream = new NoiseStream(this.seed, () => this.name);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.stddev === 0) return x;
    return add(x, normalNoise(x.shape, 0, this.stddev, this.stream.next(ctx)));
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
    return { stddev: this.stddev, seed: this.seed ?? null };
  }

  static fromConfig(config: Record<string, unknown>): GaussianNoise {
    return new GaussianNoise(readNoiseConfig('GaussianNoise', config, 'stddev', 'none') as unknown as GaussianNoiseArgs);
  }

}

/** Factory: `layers.gaussianNoise(0.2)` or `layers.gaussianNoise({ stddev: 0.2, seed: 1 })`. */
export function gaussianNoise(args: GaussianNoiseArgs | number): GaussianNoise {
  return new GaussianNoise(args);
}
