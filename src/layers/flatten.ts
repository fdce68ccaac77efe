/**
 * Flatten: [batch, d1, d2, …] → [batch, d1·d2·…] (a [batch] input becomes [batch, 1]).
 */
import { reshape } from '../ops/shape-ops.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, withSpec, type ArgsOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

/** Flatten's options (none is written to configs). */
export const FLATTEN_OPTIONS = {
  /** Only 'channels_last'. */
  dataFormat: withSpec(channelsLast(), { key: false }),
};

export type FlattenArgs = LayerArgs & ArgsOf<typeof FLATTEN_OPTIONS>;

/** @example new Flatten() // [b, 4, 3] → [b, 12] */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  static override readonly options = FLATTEN_OPTIONS;

  constructor(args: FlattenArgs = {}) {
    super(args, 'flatten');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank === 0) throw new Error(`${this.name}: Flatten needs an input with a batch dimension, got a scalar`);
    return reshape(x, [x.shape[0]!, sizeOf(x.shape.slice(1))]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    const known = rest.every((d): d is number => typeof d === 'number');
    return [inputShape[0] ?? null, known ? sizeOf(rest as number[]) : null];
  }
}

export function flatten(args: FlattenArgs = {}): Flatten {
  return new Flatten(args);
}
