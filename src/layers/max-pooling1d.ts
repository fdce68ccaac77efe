/**
 * MaxPooling1D: max over windows of `poolSize` steps, per channel.
 * Input [batch, steps, channels] → [batch, outSteps, channels].
 */
import { maxPool1d } from '../ops/conv.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs } from './args.js';
import { Layer, type CallContext, type Shape } from './layer.js';
import { parsePool1d, pool1dConfig, pool1dFromConfig, pool1dOutputShape, type Pool1d, type Pooling1DArgs } from './pool1d-args.js';

/**
 * @example new MaxPooling1D({ poolSize: 2 }) // [b, 10, c] → [b, 5, c]
 */
export class MaxPooling1D extends Layer {
  readonly className = 'MaxPooling1D';
  readonly pool: Pool1d;

  constructor(args: Pooling1DArgs = {}) {
    const pool = parsePool1d('MaxPooling1D', args);
    super(baseArgs('MaxPooling1D', args), 'max_pooling1d');
    this.pool = pool;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return maxPool1d(x, this.pool.poolSize, this.pool.strides, this.pool.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return pool1dOutputShape(this.pool, inputShape, this.name);
  }

  protected layerConfig(): Record<string, unknown> {
    return pool1dConfig(this.pool);
  }

  static fromConfig(config: Record<string, unknown>): MaxPooling1D {
    return new MaxPooling1D(pool1dFromConfig('MaxPooling1D', config));
  }
}

export function maxPooling1d(args: Pooling1DArgs = {}): MaxPooling1D {
  return new MaxPooling1D(args);
}
