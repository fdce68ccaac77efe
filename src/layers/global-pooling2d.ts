/**
 * GlobalAveragePooling2D and GlobalMaxPooling2D: mean / max over height and
 * width of each channel. Input [batch, height, width, channels] →
 * [batch, channels], or [batch, 1, 1, channels] with `keepdims` (Keras 3;
 * TF.js 4.22 has no keepdims and ignores the key).
 */
import { max, mean } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { bool, channelsLast, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { checkImage, checkImageShape } from './pool2d-args.js';

/** The global 2-D pooling options, in config order. */
export const GLOBAL_POOLING2D_OPTIONS = {
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
  /** Keep height and width as size-1 axes (default false; `keepDims` also accepted; written only when true, as TF.js has no such key). */
  keepdims: withSpec(bool(false), { alias: 'keepDims', writeIf: (o) => o['keepdims'] === true }),
};

export type GlobalPooling2DArgs = LayerArgs & ArgsOf<typeof GLOBAL_POOLING2D_OPTIONS>;

abstract class GlobalPooling2D extends Layer {
  static override readonly options = GLOBAL_POOLING2D_OPTIONS;
  declare readonly options: ValuesOf<typeof GLOBAL_POOLING2D_OPTIONS>;

  get keepdims(): boolean {
    return this.options.keepdims;
  }

  protected abstract reduce(x: Tensor): Tensor;

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkImage(this.name, this.className, x);
    return this.reduce(x);
  }

  computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, this.className, inputShape);
    const c = inputShape[3] ?? null;
    return this.keepdims ? [inputShape[0] ?? null, 1, 1, c] : [inputShape[0] ?? null, c];
  }
}

/** @example new GlobalAveragePooling2D() // [b, h, w, c] → [b, c] */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static override readonly className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_average_pooling2d');
  }

  protected reduce(x: Tensor): Tensor {
    return mean(x, [1, 2], this.keepdims);
  }
}

/** @example new GlobalMaxPooling2D({ keepdims: true }) // [b, h, w, c] → [b, 1, 1, c] */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static override readonly className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_max_pooling2d');
  }

  protected reduce(x: Tensor): Tensor {
    return max(x, [1, 2], this.keepdims);
  }
}

/** Factory (TF.js `tf.layers.globalAveragePooling2d`). */
export function globalAveragePooling2d(args: GlobalPooling2DArgs = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}

/** Factory (TF.js `tf.layers.globalMaxPooling2d`). */
export function globalMaxPooling2d(args: GlobalPooling2DArgs = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(args);
}
