/**
 * Dropout (Keras 3 `Dropout`, spec §3): in training each unit is kept with
 * probability `1 − rate` and scaled by `1/(1 − rate)` (inverted dropout), so
 * the expected activation is unchanged and inference is the identity (no
 * scaling). `noiseShape` shares one mask along axes given as 1 (null entries
 * take the input's size); `rate` 1 zeroes everything.
 */
import { mul } from '../ops/arithmetic.js';
import { dropoutMask } from '../ops/random-ops.js';
import type { RngState } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { concreteNoiseShape, noiseShapeArg, NoiseStream, positional, rateArg, seedArg, readNoiseConfig } from './noise-args.js';

export interface DropoutArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Fraction of units to drop, in [0, 1]. */
  rate: number;
  /** Mask shape, e.g. `[null, 1, null]` to share a mask over steps; null = input size. */
  noiseShape?: readonly (number | null)[] | null;
  /** Own seeded, advancing stream (Keras 3 SeedGenerator); default: fit's stream. */
  seed?: number | null;
  batchSize?: number;
  dtype?: string;
  activityRegularizer?: unknown;
}

/** Keras 1 spelling: `Dropout(p)` → `{ p: 0.5 }`. */
export interface DropoutKeras1Args extends Omit<DropoutArgs, 'rate'> {
  p: number;
}

/**
 * @example
 * layers.dropout(0.5)                                  // Keras-1 Dropout(p)
 * layers.dropout({ rate: 0.2, noiseShape: [null, 1, null], seed: 7 })
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: Shape | undefined;
  readonly seed: number | undefined;
  private readonly stream: NoiseStream;

  constructor(args: DropoutArgs | DropoutKeras1Args | number) {
    const a = positional<DropoutArgs>('Dropout', args as DropoutArgs | number, 'rate', 'p');
    checkKeys('Dropout', a, ['rate', 'noiseShape', 'seed']);
    super(baseArgs('Dropout', a), 'dropout');
    this.rate = rateArg('Dropout', a.rate);
    this.noiseShape = noiseShapeArg('Dropout', a.noiseShape);
    this.seed = seedArg('Dropout', a.seed);
    this.stream = new NoiseStream(this.seed, () => this.name);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const shape = concreteNoiseShape(this.name, this.noiseShape, x.shape);
    return mul(x, dropoutMask(shape, this.rate, this.stream.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  /** The own seeded stream's state (undefined without a seed), for exact resume. */
  getRngState(): RngState | undefined {
    return this.stream.getState();
  }

  setRngState(s: RngState): void {
    this.stream.setState(s);
  }

  protected layerConfig(): Record<string, unknown> {
    return { rate: this.rate, noise_shape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed ?? null };
  }

  static fromConfig(config: Record<string, unknown>): Dropout {
    return new Dropout(readNoiseConfig('Dropout', config, 'rate', 'keep') as unknown as DropoutArgs);
  }

}

/** Factory: `layers.dropout(0.5)` or `layers.dropout({ rate: 0.5, seed: 1 })`. */
export function dropout(args: DropoutArgs | DropoutKeras1Args | number): Dropout {
  return new Dropout(args);
}
