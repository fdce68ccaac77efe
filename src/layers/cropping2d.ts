/**
 * Cropping2D: removes rows and columns at the borders of each image.
 * Input [batch, h, w, c] → [batch, h − top − bottom, w − left − right, c];
 * the cropping must leave at least one row and one column (Keras).
 */
import { crop2d } from '../ops/spatial2d.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { checkImage, checkImageShape, margins } from './pool2d-args.js';

/** Cropping2D's options, in config order. */
export const CROPPING2D_OPTIONS = {
  /** n, [rows, columns] (symmetric) or [[top, bottom], [left, right]] (default 0). */
  cropping: margins(0),
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
};

export type Cropping2DArgs = LayerArgs & ArgsOf<typeof CROPPING2D_OPTIONS>;

/** @example new Cropping2D({ cropping: [[2, 2], [4, 4]] }) // [b, 28, 28, c] → [b, 24, 20, c] */
export class Cropping2D extends Layer {
  static override readonly className = 'Cropping2D';
  static override readonly options = CROPPING2D_OPTIONS;
  declare readonly options: ValuesOf<typeof CROPPING2D_OPTIONS>;

  constructor(args: Cropping2DArgs = {}) {
    super(args, 'cropping2d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkImage(this.name, this.className, x);
    this.computeOutputShape([null, x.shape[1]!, x.shape[2]!, x.shape[3]!]);
    return crop2d(x, this.options.cropping);
  }

  computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, this.className, inputShape);
    const [[t, b], [l, r]] = this.options.cropping;
    const shrink = (d: number | null | undefined, n: number, axis: string): number | null => {
      if (typeof d !== 'number') return null;
      if (n >= d) throw new Error(`${this.name}: cropping ${JSON.stringify(this.options.cropping)} must leave part of the input ${axis} ${d} (it removes ${n})`);
      return d - n;
    };
    return [inputShape[0] ?? null, shrink(inputShape[1], t + b, 'height'), shrink(inputShape[2], l + r, 'width'), inputShape[3] ?? null];
  }
}

/** Factory (TF.js spells it `tf.layers.cropping2D`; `layers.cropping2D` is an alias). */
export function cropping2d(args: Cropping2DArgs = {}): Cropping2D {
  return new Cropping2D(args);
}
