/**
 * DepthwiseConv2D: each input channel convolved with its own
 * `depthMultiplier` filters; kernel [kh, kw, inChannels, depthMultiplier]
 * (weight name 'depthwise_kernel', as TF.js), bias [inChannels·depthMultiplier],
 * output channel c·depthMultiplier + m (Keras 3 `DepthwiseConv2D`, TF.js
 * spelling; docs/semantics.md §10).
 */
import type { Activation } from '../activations.js';
import { int, type ArgsOf, type ValuesOf } from '../config/options.js';
import { add } from '../ops/arithmetic.js';
import { depthwiseConv2d as depthwiseOp } from '../ops/conv2d.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ACTIVATION_BIAS_2D, channelsOf, checkWindow, type Window2d, window2dOutputShape, WINDOW_2D } from './conv2d-options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation, constraint, initializer, regularizer } from './options.js';

/** DepthwiseConv2D's options, in config key order (TF.js's). */
export const DEPTHWISE_CONV2D_OPTIONS = {
  ...WINDOW_2D,
  ...ACTIVATION_BIAS_2D,
  /** Filters per input channel (default 1). */
  depthMultiplier: int({ default: 1 }),
  /** Default glorotUniform (Keras 3; TF.js defaults to glorotNormal). */
  depthwiseInitializer: initializer('glorotUniform'),
  depthwiseRegularizer: regularizer(),
  depthwiseConstraint: constraint(),
};

export type DepthwiseConv2DArgs = LayerArgs & ArgsOf<typeof DEPTHWISE_CONV2D_OPTIONS>;

/**
 * Depthwise 2-D convolution layer.
 * @example
 * const d = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
 */
export class DepthwiseConv2D extends Layer {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly options = DEPTHWISE_CONV2D_OPTIONS;
  declare readonly options: ValuesOf<typeof DEPTHWISE_CONV2D_OPTIONS>;
  depthwiseKernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 'depthwise_conv2d');
    checkWindow('DepthwiseConv2D', this.options);
  }

  get window(): Window2d {
    return this.options;
  }
  get depthMultiplier(): number {
    return this.options.depthMultiplier;
  }
  get activation(): Activation {
    return this.options.activation;
  }
  get useBias(): boolean {
    return this.options.useBias;
  }

  override build(inputShape: Shape, rng: Rng): void {
    const inC = channelsOf(this.name, 'DepthwiseConv2D', inputShape);
    const o = this.options;
    const [kh, kw] = o.kernelSize;
    this.depthwiseKernel = this.addWeight(
      { name: 'depthwise_kernel', shape: [kh, kw, inC, this.depthMultiplier], initializer: o.depthwiseInitializer, regularizer: o.depthwiseRegularizer, constraint: o.depthwiseConstraint },
      rng,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        { name: 'bias', shape: [inC * this.depthMultiplier], initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint },
        rng,
      );
    }
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const kernel = this.depthwiseKernel!;
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    if (x.rank !== 4 || x.shape[3] !== kernel.shape[2]) {
      throw new Error(`${this.name}: depthwise kernel ${fmt(kernel.shape)} expects input [batch, height, width, ${kernel.shape[2]}], got input ${fmt(x.shape)}`);
    }
    const o = this.options;
    let y = depthwiseOp(x, kernel, { strides: o.strides, padding: o.padding, dilationRate: o.dilationRate });
    if (this.bias) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const c = inputShape[3];
    return window2dOutputShape(this.name, this.options, inputShape, typeof c === 'number' ? c * this.depthMultiplier : null);
  }
}

/** Factory: `layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 })`. */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}
