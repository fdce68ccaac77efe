/**
 * GlobalAveragePooling1D: mean over the steps axis.
 * Input [batch, steps, channels] → [batch, channels].
 */
import { mean, sum } from '../ops/reduce.js';
import { div, maximum, mul } from '../ops/arithmetic.js';
import { expandDims } from '../ops/shape-ops.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, falseOnly, withSpec, type ArgsOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

/** The global 1-D pooling options (none is written to configs). */
export const GLOBAL_POOLING1D_OPTIONS = {
  /** Only 'channels_last'. */
  dataFormat: withSpec(channelsLast(), { key: false }),
  /** Only false. */
  keepdims: withSpec(falseOnly(), { write: false }),
};

export type GlobalPooling1DArgs = LayerArgs & ArgsOf<typeof GLOBAL_POOLING1D_OPTIONS>;

export function globalPoolOutputShape(inputShape: Shape, name: string): Shape {
  if (inputShape.length !== 3) throw new Error(`${name}: expects input [batch, steps, channels], got [${inputShape.join(',')}]`);
  return [inputShape[0] ?? null, inputShape[2] ?? null];
}

export function checkRank3(x: Tensor, name: string): void {
  if (x.rank !== 3) throw new Error(`${name}: expects input [batch, steps, channels], got ${fmt(x.shape)}`);
}

/** @example new GlobalAveragePooling1D() // [b, t, c] → [b, c] */
export class GlobalAveragePooling1D extends Layer {
  static override readonly className = 'GlobalAveragePooling1D';
  static override readonly options = GLOBAL_POOLING1D_OPTIONS;

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'global_average_pooling1d');
  }

  /** Consumes a mask: the mean is over the real steps only (Keras 3). */
  override get supportsMasking(): boolean {
    return true;
  }

  override computeMask(): null {
    return null;
  }

  /**
   * The mean over steps; with a mask, Σ mask·x / Σ mask over the real steps
   * (Keras 3). A sequence with no real step gives 0 (Keras divides by 0).
   */
  call(x: Tensor, ctx: CallContext): Tensor {
    checkRank3(x, this.name);
    const m = ctx.mask;
    if (m === undefined || m === null || Array.isArray(m)) return mean(x, 1);
    const w = expandDims(m as Tensor, 2);
    return div(sum(mul(x, w), 1), maximum(sum(w, 1), 1e-7));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return globalPoolOutputShape(inputShape, this.name);
  }
}

export function globalAveragePooling1d(args: GlobalPooling1DArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}
