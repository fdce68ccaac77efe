/**
 * MaxPooling1D: max over windows of `poolSize` steps, per channel.
 * Input [batch, steps, channels] → [batch, outSteps, channels].
 */
import { maxPool1d } from '../ops/conv.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type Shape } from './layer.js';
import { pool1dOutputShape, POOLING1D_OPTIONS, type Pool1d, type Pooling1DArgs } from './pool1d-args.js';

/**
 * @example new MaxPooling1D({ poolSize: 2 }) // [b, 10, c] → [b, 5, c]
 */
export class MaxPooling1D extends Layer {
  static override readonly className = 'MaxPooling1D';
  static override readonly options = POOLING1D_OPTIONS;
  declare readonly options: ValuesOf<typeof POOLING1D_OPTIONS>;

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'max_pooling1d');
  }

  get pool(): Pool1d {
    return { poolSize: this.options.poolSize, strides: this.options.strides, padding: this.options.padding };
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return maxPool1d(x, this.pool.poolSize, this.pool.strides, this.pool.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return pool1dOutputShape(this.pool, inputShape, this.name);
  }
}

export function maxPooling1d(args: Pooling1DArgs = {}): MaxPooling1D {
  return new MaxPooling1D(args);
}
