/**
 * AveragePooling1D: mean over windows of `poolSize` steps, per channel (padding positions are not counted, as in TF).
 * Input [batch, steps, channels] → [batch, outSteps, channels].
 */
import { avgPool1d } from '../ops/conv.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs } from './args.js';
import { Layer, type CallContext, type Shape } from './layer.js';
import { parsePool1d, pool1dConfig, pool1dFromConfig, pool1dOutputShape, type Pool1d, type Pooling1DArgs } from './pool1d-args.js';

/**
 * @example new AveragePooling1D({ poolSize: 2 }) // [b, 10, c] → [b, 5, c]
 */
export class AveragePooling1D extends Layer {
  readonly className = 'AveragePooling1D';
  readonly pool: Pool1d;

  constructor(args: Pooling1DArgs = {}) {
    const pool = parsePool1d('AveragePooling1D', args);
    super(baseArgs('AveragePooling1D', args), 'average_pooling1d');
    this.pool = pool;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return avgPool1d(x, this.pool.poolSize, this.pool.strides, this.pool.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return pool1dOutputShape(this.pool, inputShape, this.name);
  }

  protected layerConfig(): Record<string, unknown> {
    return pool1dConfig(this.pool);
  }

  static fromConfig(config: Record<string, unknown>): AveragePooling1D {
    return new AveragePooling1D(pool1dFromConfig('AveragePooling1D', config));
  }
}

export function averagePooling1d(args: Pooling1DArgs = {}): AveragePooling1D {
  return new AveragePooling1D(args);
}
