/**
 * Dropout (Keras 3 `Dropout`, docs/semantics.md §3): in training each unit is kept with
 * probability `1 − rate` and scaled by `1/(1 − rate)` (inverted dropout), so
 * the expected activation is unchanged and inference is the identity (no
 * scaling). `noiseShape` shares one mask along axes given as 1 (null entries
 * take the input's size); `rate` 1 zeroes everything.
 */
import { mul } from '../ops/arithmetic.js';
import { dropoutMask } from '../ops/random-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import { concreteNoiseShape } from './noise-stream.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { noiseShape, rate } from './options.js';

/** Dropout's options, in config key order. */
export const DROPOUT_OPTIONS = {
  /** Fraction of units to drop, in [0, 1]; Keras 1 spelled it p. */
  rate: rate({ alias: 'p' }),
  /** Mask shape, e.g. `[null, 1, null]` to share a mask over steps; null = input size. */
  noiseShape: noiseShape(),
  /** Own seeded, advancing stream (Keras 3 SeedGenerator); default: fit's stream. */
  seed: seed(),
};

export type DropoutArgs = LayerArgs & ArgsOf<typeof DROPOUT_OPTIONS>;

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
  static override readonly className = 'Dropout';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = DROPOUT_OPTIONS;
  declare readonly options: ValuesOf<typeof DROPOUT_OPTIONS>;

  constructor(args: DropoutArgs | DropoutKeras1Args | number) {
    super(args, 'dropout');
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
    return mul(x, dropoutMask(shape, this.rate, this.noise!.next(ctx)));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Factory: `layers.dropout(0.5)` or `layers.dropout({ rate: 0.5, seed: 1 })`. */
export function dropout(args: DropoutArgs | DropoutKeras1Args | number): Dropout {
  return new Dropout(args);
}
