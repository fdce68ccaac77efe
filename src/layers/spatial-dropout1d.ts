/**
 * SpatialDropout1D (Keras 3, spec §3): dropout of whole channels. Input
 * `[batch, steps, channels]`; one mask of shape `[batch, 1, channels]` is
 * shared over the steps, with Dropout's inverted scaling `1/(1 − rate)`.
 * Useful after Conv1D, whose neighbouring steps are strongly correlated, so
 * dropping single entries barely regularizes. Identity at inference.
 */
import { mul } from '../ops/arithmetic.js';
import { dropoutMask } from '../ops/random-ops.js';
import type { RngState } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { NoiseStream, positional, rateArg, seedArg, readNoiseConfig } from './noise-args.js';

export interface SpatialDropout1DArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Fraction of channels to drop, in [0, 1]. */
  rate: number;
  seed?: number | null;
  batchSize?: number;
  dtype?: string;
  activityRegularizer?: unknown;
}

/** @example layers.spatialDropout1d({ rate: 0.2 }) // drops 20% of the channels of each sample */
export class SpatialDropout1D extends Layer {
  readonly className = 'SpatialDropout1D';
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly stream: NoiseStream;

  constructor(args: SpatialDropout1DArgs | number) {
    const a = positional<SpatialDropout1DArgs>('SpatialDropout1D', args, 'rate', 'p');
    checkKeys('SpatialDropout1D', a, ['rate', 'seed']);
    super(baseArgs('SpatialDropout1D', a), 'spatial_dropout1d');
    this.rate = rateArg('SpatialDropout1D', a.rate);
    this.seed = seedArg('SpatialDropout1D', a.seed);
    this.stream = new NoiseStream(this.seed, () => this.name);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank !== 3) throw new Error(`${this.name}: SpatialDropout1D expects input [batch, steps, channels], got ${fmt(x.shape)}`);
    if (!ctx.training || this.rate === 0) return x;
    return mul(x, dropoutMask([x.shape[0]!, 1, x.shape[2]!], this.rate, this.stream.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 3) throw new Error(`${this.name}: SpatialDropout1D expects input [batch, steps, channels], got [${inputShape.join(',')}]`);
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

  static fromConfig(config: Record<string, unknown>): SpatialDropout1D {
    return new SpatialDropout1D(readNoiseConfig('SpatialDropout1D', config, 'rate', 'null-only') as unknown as SpatialDropout1DArgs);
  }

}

/** Factory: `layers.spatialDropout1d(0.2)` or `layers.spatialDropout1d({ rate: 0.2, seed: 3 })`. */
export function spatialDropout1d(args: SpatialDropout1DArgs | number): SpatialDropout1D {
  return new SpatialDropout1D(args);
}
