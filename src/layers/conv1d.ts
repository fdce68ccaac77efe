/**
 * Conv1D: 1-D convolution over [batch, steps, channels] (channels last),
 * kernel [kernelSize, inChannels, filters], bias [filters] (Keras 3 `Conv1D`).
 * padding 'valid' | 'same' (TF rule: extra padding on the right) | 'causal'
 * (left-pad dilation·(k−1), Keras; TF.js does not implement it).
 * Keras 1 spellings: `border_mode` = padding, `W_regularizer` …, and the
 * `convolution1d(filters, kernelSize, opts)` factory.
 */
import { getActivation, type Activation, type ActivationIdentifier } from '../activations.js';
import { add } from '../ops/arithmetic.js';
import { conv1d as conv1dOp, convOutput, type ConvPadding } from '../ops/conv.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgs, bool, checkKeys, ConfigReader, KERAS1_WEIGHT_ALIASES, oneOf, positiveInt1, renameAliases, type Keras1WeightArgs } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { KERNEL_BIAS_KEYS, kernelBiasConfig, kernelBiasFromConfig, resolveKernelBias, type KernelBias, type KernelBiasArgs, type RegularizerArg } from './weight-args.js';

export interface Conv1DArgs extends Omit<LayerArgs, 'activityRegularizer'>, KernelBiasArgs, Keras1WeightArgs {
  /** Number of output channels. */
  filters: number;
  /** Window length, n or [n]. */
  kernelSize: number | readonly [number];
  /** Default 1 (n or [n]). */
  strides?: number | readonly [number];
  /** Default 'valid'. */
  padding?: ConvPadding;
  /** Keras 1 spelling of `padding`. */
  border_mode?: ConvPadding;
  /** Only 'channels_last' (TF.js 'channelsLast') is supported. */
  dataFormat?: 'channels_last' | 'channelsLast';
  /** Default 1 (n or [n]); cannot exceed 1 together with strides > 1. */
  dilationRate?: number | readonly [number];
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  activityRegularizer?: RegularizerArg;
  batchSize?: number;
  dtype?: string;
}

const OWN_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation', 'useBias', ...KERNEL_BIAS_KEYS];
const PADDINGS = ['valid', 'same', 'causal'] as const;

/**
 * 1-D convolution layer.
 * @example
 * const c = new Conv1D({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [100, 4] });
 */
export class Conv1D extends Layer {
  readonly className = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: ConvPadding;
  readonly dilationRate: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly w: KernelBias;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: Conv1DArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`Conv1D: expected an options object like { filters: 8, kernelSize: 3 }, got ${JSON.stringify(args)}`);
    const a = renameAliases('Conv1D', args, { ...KERAS1_WEIGHT_ALIASES, border_mode: 'padding' });
    checkKeys('Conv1D', a, OWN_KEYS);
    super(baseArgs('Conv1D', a), 'conv1d');
    this.filters = positiveInt1('Conv1D', 'filters', a.filters);
    this.kernelSize = positiveInt1('Conv1D', 'kernelSize', a.kernelSize);
    this.strides = positiveInt1('Conv1D', 'strides', a.strides ?? 1);
    this.dilationRate = positiveInt1('Conv1D', 'dilationRate', a.dilationRate ?? 1);
    this.padding = oneOf('Conv1D', 'padding', a.padding ?? 'valid', PADDINGS);
    if (a.dataFormat !== undefined) oneOf('Conv1D', 'dataFormat', a.dataFormat, ['channels_last', 'channelsLast']);
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new Error(`Conv1D: strides ${this.strides} > 1 cannot be combined with dilationRate ${this.dilationRate} > 1`);
    }
    this.activation = getActivation(a.activation);
    this.useBias = bool('Conv1D', 'useBias', a.useBias, true);
    this.w = resolveKernelBias('Conv1D', a);
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

  protected layerConfig(): Record<string, unknown> {
    const wb = kernelBiasConfig(this.w, this.activityRegularizer);
    return {
      filters: this.filters,
      kernel_initializer: wb['kernel_initializer'],
      kernel_regularizer: wb['kernel_regularizer'],
      kernel_constraint: wb['kernel_constraint'],
      kernel_size: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [this.dilationRate],
      activation: this.activation.name,
      use_bias: this.useBias,
      bias_initializer: wb['bias_initializer'],
      bias_regularizer: wb['bias_regularizer'],
      activity_regularizer: wb['activity_regularizer'],
      bias_constraint: wb['bias_constraint'],
    };
  }

  /** Builds a Conv1D from its Keras/TF.js config. */
  static fromConfig(config: Record<string, unknown>): Conv1D {
    const r = new ConfigReader('Conv1D', config);
    const args: Conv1DArgs = {
      ...r.base(),
      filters: r.get('filters') as number,
      kernelSize: r.get('kernel_size') as number,
      ...kernelBiasFromConfig(r),
    };
    const opt = <K extends keyof Conv1DArgs>(k: K, key: string): void => {
      const v = r.get(key);
      if (v !== undefined) args[k] = v as Conv1DArgs[K];
    };
    opt('strides', 'strides');
    opt('padding', 'padding');
    opt('dilationRate', 'dilation_rate');
    opt('activation', 'activation');
    opt('useBias', 'use_bias');
    r.done();
    return new Conv1D(args);
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
