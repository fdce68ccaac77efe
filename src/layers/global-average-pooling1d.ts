/**
 * GlobalAveragePooling1D: mean over the steps axis.
 * Input [batch, steps, channels] → [batch, channels].
 */
import { mean } from '../ops/reduce.js';
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

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkRank3(x, this.name);
    return mean(x, 1);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return globalPoolOutputShape(inputShape, this.name);
  }
}

export function globalAveragePooling1d(args: GlobalPooling1DArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}
