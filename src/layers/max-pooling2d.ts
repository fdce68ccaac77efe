/**
 * MaxPooling2D: max over poolSize windows of each channel (padded positions never win).
 * Input [batch, height, width, channels] → [batch, outH, outW, channels].
 */
import { maxPool2d } from '../ops/pool2d.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type Shape } from './layer.js';
import { checkImage, pool2dOutputShape, POOLING2D_OPTIONS, type Pooling2DArgs } from './pool2d-args.js';

/** @example new MaxPooling2D({ poolSize: 2 }) // [b, 28, 28, c] → [b, 14, 14, c] */
export class MaxPooling2D extends Layer {
  static override readonly className = 'MaxPooling2D';
  static override readonly options = POOLING2D_OPTIONS;
  declare readonly options: ValuesOf<typeof POOLING2D_OPTIONS>;

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'max_pooling2d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkImage(this.name, this.className, x);
    pool2dOutputShape(this.name, this.className, this.options, x.shape);
    return maxPool2d(x, this.options.poolSize, this.options.strides, this.options.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return pool2dOutputShape(this.name, this.className, this.options, inputShape);
  }
}

/** Factory (TF.js `tf.layers.maxPooling2d`, alias `maxPool2d`). */
export function maxPooling2d(args: Pooling2DArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args);
}
