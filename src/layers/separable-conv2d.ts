/**
 * SeparableConv2D: a depthwise conv (kernel [kh, kw, in, depthMultiplier])
 * followed by a pointwise 1×1 conv (kernel [1, 1, in·depthMultiplier, filters])
 * and a bias [filters] (Keras 3 `SeparableConv2D`, TF.js spelling and weight
 * order depthwise_kernel, pointwise_kernel, bias; docs/semantics.md §10).
 */
import type { Activation } from '../activations.js';
import { int, req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { add } from '../ops/arithmetic.js';
import { conv2d, depthwiseConv2d } from '../ops/conv2d.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ACTIVATION_BIAS_2D, channelsOf, checkWindow, type Window2d, window2dOutputShape, WINDOW_2D } from './conv2d-options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation, constraint, initializer, regularizer } from './options.js';

/** SeparableConv2D's options, in config key order (TF.js's). */
export const SEPARABLE_CONV2D_OPTIONS = {
  /** Output channels of the pointwise conv. */
  filters: req(int({ array: 'accept' })),
  ...WINDOW_2D,
  ...ACTIVATION_BIAS_2D,
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier: int({ default: 1 }),
  /** Default glorotUniform (Keras 3; TF.js defaults to glorotNormal). */
  depthwiseInitializer: initializer('glorotUniform'),
  depthwiseRegularizer: regularizer(),
  depthwiseConstraint: constraint(),
  /** Default glorotUniform. */
  pointwiseInitializer: initializer('glorotUniform'),
  pointwiseRegularizer: regularizer(),
  pointwiseConstraint: constraint(),
};

export type SeparableConv2DArgs = LayerArgs & ArgsOf<typeof SEPARABLE_CONV2D_OPTIONS>;

/**
 * Depthwise-separable 2-D convolution layer.
 * @example
 * const s = new SeparableConv2D({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' });
 */
export class SeparableConv2D extends Layer {
  static override readonly className = 'SeparableConv2D';
  static override readonly options = SEPARABLE_CONV2D_OPTIONS;
  declare readonly options: ValuesOf<typeof SEPARABLE_CONV2D_OPTIONS>;
  depthwiseKernel: Variable | undefined;
  pointwiseKernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: SeparableConv2DArgs) {
    super(args, 'separable_conv2d');
    checkWindow('SeparableConv2D', this.options);
  }

  get filters(): number {
    return this.options.filters;
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
    const inC = channelsOf(this.name, 'SeparableConv2D', inputShape);
    const o = this.options;
    const [kh, kw] = o.kernelSize;
    const mid = inC * this.depthMultiplier;
    this.depthwiseKernel = this.addWeight(
      { name: 'depthwise_kernel', shape: [kh, kw, inC, this.depthMultiplier], initializer: o.depthwiseInitializer, regularizer: o.depthwiseRegularizer, constraint: o.depthwiseConstraint },
      rng,
    );
    this.pointwiseKernel = this.addWeight(
      { name: 'pointwise_kernel', shape: [1, 1, mid, this.filters], initializer: o.pointwiseInitializer, regularizer: o.pointwiseRegularizer, constraint: o.pointwiseConstraint },
      rng,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        { name: 'bias', shape: [this.filters], initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint },
        rng,
      );
    }
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const dk = this.depthwiseKernel!;
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    if (x.rank !== 4 || x.shape[3] !== dk.shape[2]) {
      throw new Error(`${this.name}: depthwise kernel ${fmt(dk.shape)} expects input [batch, height, width, ${dk.shape[2]}], got input ${fmt(x.shape)}`);
    }
    const o = this.options;
    const mid = depthwiseConv2d(x, dk, { strides: o.strides, padding: o.padding, dilationRate: o.dilationRate });
    let y = conv2d(mid, this.pointwiseKernel!);
    if (this.bias) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return window2dOutputShape(this.name, this.options, inputShape, this.filters);
  }
}

/** Factory: `layers.separableConv2d({ filters: 32, kernelSize: 3 })`. */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  return new SeparableConv2D(args);
}
