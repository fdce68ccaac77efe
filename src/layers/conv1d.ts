/**
 * Conv1D: 1-D convolution over [batch, steps, channels] (channels last),
 * kernel [kernelSize, inChannels, filters], bias [filters] (Keras 3 `Conv1D`).
 * padding 'valid' | 'same' (TF rule: extra padding on the right) | 'causal'
 * (left-pad dilation·(k−1), Keras; TF.js does not implement it).
 * Keras 1 spellings: `border_mode` = padding, `W_regularizer` …, and the
 * `convolution1d(filters, kernelSize, opts)` factory.
 */
import type { Activation } from '../activations.js';
import { bool, channelsLast, int, oneOf, req, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import { add } from '../ops/arithmetic.js';
import { conv1d as conv1dOp, convOutput, type ConvPadding } from '../ops/conv.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation, KERNEL_BIAS } from './options.js';

/** Conv1D's options, in config key order (TF.js's). */
export const CONV1D_OPTIONS = {
  /** Number of output channels. */
  filters: req(int({ array: 'accept' })),
  kernelInitializer: KERNEL_BIAS.kernelInitializer,
  kernelRegularizer: KERNEL_BIAS.kernelRegularizer,
  kernelConstraint: KERNEL_BIAS.kernelConstraint,
  /** Window length, n or [n]. */
  kernelSize: req(int({ array: 'write' })),
  /** Default 1 (n or [n]). */
  strides: int({ array: 'write', default: 1 }),
  /** Default 'valid'; Keras 1 spelled it border_mode. */
  padding: { ...oneOf(['valid', 'same', 'causal'] as const, 'valid'), alias: 'border_mode' },
  /** Only 'channels_last' (TF.js 'channelsLast'); always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
  /** Default 1 (n or [n]); cannot exceed 1 together with strides > 1. */
  dilationRate: int({ array: 'write', default: 1 }),
  activation: activation('linear'),
  useBias: bool(true),
  biasInitializer: KERNEL_BIAS.biasInitializer,
  biasRegularizer: KERNEL_BIAS.biasRegularizer,
  activityRegularizer: KERNEL_BIAS.activityRegularizer,
  biasConstraint: KERNEL_BIAS.biasConstraint,
};

export type Conv1DArgs = LayerArgs &
  ArgsOf<typeof CONV1D_OPTIONS> & { border_mode?: ConvPadding; input_dim?: number; W_regularizer?: unknown; b_regularizer?: unknown; W_constraint?: unknown; b_constraint?: unknown };

/**
 * 1-D convolution layer.
 * @example
 * const c = new Conv1D({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [100, 4] });
 */
export class Conv1D extends Layer {
  static override readonly className = 'Conv1D';
  static override readonly options = CONV1D_OPTIONS;
  declare readonly options: ValuesOf<typeof CONV1D_OPTIONS>;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: Conv1DArgs) {
    super(args, 'conv1d');
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new Error(`Conv1D: strides ${this.strides} > 1 cannot be combined with dilationRate ${this.dilationRate} > 1`);
    }
  }

  get filters(): number {
    return this.options.filters;
  }
  get kernelSize(): number {
    return this.options.kernelSize;
  }
  get strides(): number {
    return this.options.strides;
  }
  get padding(): ConvPadding {
    return this.options.padding;
  }
  get dilationRate(): number {
    return this.options.dilationRate;
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
    const inC = inputShape[2];
    if (inputShape.length !== 3 || typeof inC !== 'number') {
      throw new Error(`${this.name}: Conv1D needs input [batch, steps, channels] with known channels, got [${inputShape.join(',')}]`);
    }
    this.kernel = this.addWeight(
      { name: 'kernel', shape: [this.kernelSize, inC, this.filters], initializer: this.w.kernelInitializer, regularizer: this.w.kernelRegularizer, constraint: this.w.kernelConstraint },
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
    if (x.rank !== 3 || x.shape[2] !== kernel.shape[1]) {
      throw new Error(`${this.name}: kernel ${fmt(kernel.shape)} expects input [batch, steps, ${kernel.shape[1]}], got input ${fmt(x.shape)}`);
    }
    let y = conv1dOp(x, kernel, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
    if (this.bias) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const steps = inputShape[1];
    const outLen = typeof steps === 'number' ? convOutput(steps, this.kernelSize, this.strides, this.dilationRate, this.padding, this.name).outLen : null;
    return [inputShape[0] ?? null, outLen, this.filters];
  }
}

/** Factory: `layers.conv1d({ filters: 16, kernelSize: 3, padding: 'same' })`. */
export function conv1d(args: Conv1DArgs): Conv1D {
  return new Conv1D(args);
}

/**
 * Keras 1 `Convolution1D(nb_filter, filter_length, border_mode=…, W_constraint=…)`:
 * `convolution1d(64, 3, { border_mode: 'same', W_constraint: constraints.nonNeg() })`.
 */
export function convolution1d(filters: number, kernelSize: number, opts: Omit<Conv1DArgs, 'filters' | 'kernelSize'> = {}): Conv1D {
  return new Conv1D({ ...opts, filters, kernelSize });
}
