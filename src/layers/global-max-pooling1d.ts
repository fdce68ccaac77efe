/**
 * GlobalMaxPooling1D: max over the steps axis.
 * Input [batch, steps, channels] → [batch, channels].
 */
import { max } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs } from './args.js';
import { checkRank3, globalPoolFromConfig, globalPoolOutputShape, parseGlobalPool, type GlobalPooling1DArgs } from './global-average-pooling1d.js';
import { Layer, type CallContext, type Shape } from './layer.js';

/** @example new GlobalMaxPooling1D() // [b, t, c] → [b, c] */
export class GlobalMaxPooling1D extends Layer {
  readonly className = 'GlobalMaxPooling1D';

  constructor(args: GlobalPooling1DArgs = {}) {
    parseGlobalPool('GlobalMaxPooling1D', args);
    super(baseArgs('GlobalMaxPooling1D', args), 'global_max_pooling1d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkRank3(x, this.name);
    return max(x, 1);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return globalPoolOutputShape(inputShape, this.name);
  }

  protected layerConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(config: Record<string, unknown>): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(globalPoolFromConfig('GlobalMaxPooling1D', config));
  }
}

export function globalMaxPooling1d(args: GlobalPooling1DArgs = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}
