/**
 * ZeroPadding2D: adds rows and columns of zeros around each image.
 * Input [batch, h, w, c] → [batch, top + h + bottom, left + w + right, c].
 */
import { zeroPad2d } from '../ops/spatial2d.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { checkImage, checkImageShape, margins } from './pool2d-args.js';

/** ZeroPadding2D's options, in config order. */
export const ZERO_PADDING2D_OPTIONS = {
  /** n, [rows, columns] (symmetric) or [[top, bottom], [left, right]] (default 1). */
  padding: margins(1),
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
};

export type ZeroPadding2DArgs = LayerArgs & ArgsOf<typeof ZERO_PADDING2D_OPTIONS>;

/** @example new ZeroPadding2D({ padding: [[1, 0], [2, 2]] }) // [b, 5, 5, c] → [b, 6, 9, c] */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  static override readonly options = ZERO_PADDING2D_OPTIONS;
  declare readonly options: ValuesOf<typeof ZERO_PADDING2D_OPTIONS>;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'zero_padding2d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkImage(this.name, this.className, x);
    return zeroPad2d(x, this.options.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, this.className, inputShape);
    const [[t, b], [l, r]] = this.options.padding;
    const grow = (d: number | null | undefined, n: number): number | null => (typeof d === 'number' ? d + n : null);
    return [inputShape[0] ?? null, grow(inputShape[1], t + b), grow(inputShape[2], l + r), inputShape[3] ?? null];
  }
}

/** Factory (TF.js `tf.layers.zeroPadding2d`). */
export function zeroPadding2d(args: ZeroPadding2DArgs = {}): ZeroPadding2D {
  return new ZeroPadding2D(args);
}
