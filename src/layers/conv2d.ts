/**
 * Conv2D: 2-D convolution over [batch, height, width, channels] (channels
 * last), kernel [kh, kw, inChannels/groups, filters], bias [filters]
 * (Keras 3 `Conv2D`, TF.js spelling; docs/semantics.md §10). Keras 1 wrote it
 * `Convolution2D` (an alias in the registry).
 */
import type { Activation } from '../activations.js';
import { int, req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { add } from '../ops/arithmetic.js';
import { conv2d as conv2dOp, type Conv2dPadding } from '../ops/conv2d.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ACTIVATION_BIAS_2D, channelsOf, checkWindow, type IntPair, window2dOutputShape, WINDOW_2D } from './conv2d-options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation, KERNEL_BIAS } from './options.js';

/** Conv2D's options, in config key order (TF.js's; `groups` written only when > 1, as TF.js has none). */
export const CONV2D_OPTIONS = {
  /** Number of output channels. */
  filters: req(int({ array: 'accept' })),
  kernelInitializer: KERNEL_BIAS.kernelInitializer,
  kernelRegularizer: KERNEL_BIAS.kernelRegularizer,
  kernelConstraint: KERNEL_BIAS.kernelConstraint,
  ...WINDOW_2D,
  /** Channel groups (default 1): must divide filters and the input channels. */
  groups: { ...int({ default: 1 }), writeIf: (o: Readonly<Record<string, unknown>>) => o['groups'] !== 1 },
  ...ACTIVATION_BIAS_2D,
};

export type Conv2DArgs = LayerArgs & ArgsOf<typeof CONV2D_OPTIONS>;

/**
 * 2-D convolution layer.
 * @example
 * const c = new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] });
 */
export class Conv2D extends Layer {
  static override readonly className = 'Conv2D';
  static override readonly options = CONV2D_OPTIONS;
  declare readonly options: ValuesOf<typeof CONV2D_OPTIONS>;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: Conv2DArgs) {
    super(args, 'conv2d');
    checkWindow('Conv2D', this.options);
    if (this.filters % this.groups !== 0) throw new Error(`Conv2D: filters ${this.filters} must be divisible by groups ${this.groups}`);
  }

  get filters(): number {
    return this.options.filters;
  }
  get kernelSize(): IntPair {
    return this.options.kernelSize;
  }
  get strides(): IntPair {
    return this.options.strides;
  }
  get padding(): Conv2dPadding {
    return this.options.padding;
  }
  get dilationRate(): IntPair {
    return this.options.dilationRate;
  }
  get groups(): number {
    return this.options.groups;
  }
  get activation(): Activation {
    return this.options.activation;
  }
  get useBias(): boolean {
    return this.options.useBias;
  }
  /** The resolved kernel/bias initializers, regularizers and constraints. */
  get w(): ValuesOf<typeof KERNEL_BIAS> {
    return this.options;
  }

  override build(inputShape: Shape, rng: Rng): void {
    const inC = channelsOf(this.name, 'Conv2D', inputShape);
    if (inC % this.groups !== 0) throw new Error(`${this.name}: input channels ${inC} must be divisible by groups ${this.groups}`);
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addWeight(
      { name: 'kernel', shape: [kh, kw, inC / this.groups, this.filters], initializer: this.w.kernelInitializer, regularizer: this.w.kernelRegularizer, constraint: this.w.kernelConstraint },
      rng,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        { name: 'bias', shape: [this.filters], initializer: this.w.biasInitializer, regularizer: this.w.biasRegularizer, constraint: this.w.biasConstraint },
        rng,
      );
    }
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const kernel = this.kernel!;
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    const inC = kernel.shape[2]! * this.groups;
    if (x.rank !== 4 || x.shape[3] !== inC) throw new Error(`${this.name}: kernel ${fmt(kernel.shape)} expects input [batch, height, width, ${inC}], got input ${fmt(x.shape)}`);
    let y = conv2dOp(x, kernel, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, groups: this.groups });
    if (this.bias) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return window2dOutputShape(this.name, this.options, inputShape, this.filters);
  }
}

/** Factory: `layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' })`. */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
