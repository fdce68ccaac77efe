/**
 * UpSampling2D (Keras 3): repeats rows and columns by integer factors `size`.
 * Input [batch, h, w, c] → [batch, sh·h, sw·w, c].
 * - 'nearest' (default): each row sh times, each column sw times.
 * - 'bilinear': Keras 3 `ops.image.resize` = tf.image.resize, half-pixel
 *   centers. TF.js 4.22's UpSampling2D calls resizeBilinear without half-pixel
 *   centers (output pixel i samples input i/s, not (i + ½)/s − ½), so its
 *   bilinear output differs; a TF.js model file with bilinear upsampling gives
 *   Keras's values here (docs/semantics.md).
 */
import { upsample2d } from '../ops/spatial2d.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, oneOf, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { intPair } from './conv2d-options.js';
import { checkImage, checkImageShape } from './pool2d-args.js';

/** UpSampling2D's options, in TF.js config order. */
export const UP_SAMPLING2D_OPTIONS = {
  /** Factors, n or [rows, columns] (default [2, 2]). */
  size: intPair({ default: 2 }),
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
  /** 'nearest' (default) or 'bilinear'. */
  interpolation: oneOf(['nearest', 'bilinear'] as const, 'nearest'),
};

export type UpSampling2DArgs = LayerArgs & ArgsOf<typeof UP_SAMPLING2D_OPTIONS>;

/** @example new UpSampling2D({ size: 2, interpolation: 'bilinear' }) // [b, 7, 7, c] → [b, 14, 14, c] */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  static override readonly options = UP_SAMPLING2D_OPTIONS;
  declare readonly options: ValuesOf<typeof UP_SAMPLING2D_OPTIONS>;

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 'up_sampling2d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkImage(this.name, this.className, x);
    return upsample2d(x, this.options.size, this.options.interpolation);
  }

  computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, this.className, inputShape);
    const [sh, sw] = this.options.size;
    const times = (d: number | null | undefined, k: number): number | null => (typeof d === 'number' ? d * k : null);
    return [inputShape[0] ?? null, times(inputShape[1], sh), times(inputShape[2], sw), inputShape[3] ?? null];
  }
}

/** Factory (TF.js `tf.layers.upSampling2d`). */
export function upSampling2d(args: UpSampling2DArgs = {}): UpSampling2D {
  return new UpSampling2D(args);
}
