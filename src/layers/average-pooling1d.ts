/**
 * AveragePooling1D: mean over windows of `poolSize` steps, per channel (padding positions are not counted, as in TF).
 * Input [batch, steps, channels] → [batch, outSteps, channels].
 */
import { avgPool1d } from '../ops/conv.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type Shape } from './layer.js';
import { pool1dOutputShape, POOLING1D_OPTIONS, type Pool1d, type Pooling1DArgs } from './pool1d-args.js';

/**
 * @example new AveragePooling1D({ poolSize: 2 }) // [b, 10, c] → [b, 5, c]
 */
export class AveragePooling1D extends Layer {
  static override readonly className = 'AveragePooling1D';
  static override readonly options = POOLING1D_OPTIONS;
  declare readonly options: ValuesOf<typeof POOLING1D_OPTIONS>;

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'average_pooling1d');
  }

  get pool(): Pool1d {
    return { poolSize: this.options.poolSize, strides: this.options.strides, padding: this.options.padding };
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return avgPool1d(x, this.pool.poolSize, this.pool.strides, this.pool.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return pool1dOutputShape(this.pool, inputShape, this.name);
  }
}

export function averagePooling1d(args: Pooling1DArgs = {}): AveragePooling1D {
  return new AveragePooling1D(args);
}
