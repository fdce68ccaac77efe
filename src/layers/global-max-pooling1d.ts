/**
 * GlobalMaxPooling1D: max over the steps axis.
 * Input [batch, steps, channels] → [batch, channels].
 */
import { max } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkRank3, GLOBAL_POOLING1D_OPTIONS, globalPoolOutputShape, type GlobalPooling1DArgs } from './global-average-pooling1d.js';
import { Layer, type CallContext, type Shape } from './layer.js';

/** @example new GlobalMaxPooling1D() // [b, t, c] → [b, c] */
export class GlobalMaxPooling1D extends Layer {
  static override readonly className = 'GlobalMaxPooling1D';
  static override readonly options = GLOBAL_POOLING1D_OPTIONS;

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'global_max_pooling1d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkRank3(x, this.name);
    return max(x, 1);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return globalPoolOutputShape(inputShape, this.name);
  }
}

export function globalMaxPooling1d(args: GlobalPooling1DArgs = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}
