/**
 * Dense: y = activation(x·W + b) on the last axis (Keras 3 `Dense`).
 * kernel [in, units] (default glorotUniform), bias [units] (default zeros).
 * Inputs of rank > 2 are flattened to [-1, in] and back. With a linear, relu,
 * sigmoid or tanh activation the whole layer is one fused `dense` op.
 * Keras 1 spellings accepted: `input_dim`, `W_regularizer`, `b_regularizer`,
 * `W_constraint`, `b_constraint`.
 */
import { getActivation, type Activation, type ActivationIdentifier } from '../activations.js';
import { dense as denseOp } from '../ops/matmul.js';
import { reshape, toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgs, bool, checkKeys, ConfigReader, KERAS1_WEIGHT_ALIASES, positiveInt, renameAliases, type Keras1WeightArgs } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { KERNEL_BIAS_KEYS, kernelBiasConfig, kernelBiasFromConfig, resolveKernelBias, type KernelBias, type KernelBiasArgs } from './weight-args.js';

export interface DenseArgs extends Omit<LayerArgs, 'activityRegularizer'>, KernelBiasArgs, Keras1WeightArgs {
  /** Output size, a positive integer. */
  units: number;
  /** Activation name (default linear). */
  activation?: ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  activityRegularizer?: KernelBiasArgs['kernelRegularizer'];
  batchSize?: number;
  dtype?: string;
}

const OWN_KEYS = ['units', 'activation', 'useBias', ...KERNEL_BIAS_KEYS];

/**
 * A densely connected layer.
 * @example
 * const d = new Dense({ units: 3, activation: 'relu', inputShape: [4] });
 */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly w: KernelBias;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: DenseArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`Dense: expected an options object like { units: 8 }, got ${JSON.stringify(args)}`);
    const a = renameAliases('Dense', args, KERAS1_WEIGHT_ALIASES);
    checkKeys('Dense', a, OWN_KEYS);
    super(baseArgs('Dense', a), 'dense');
    this.units = positiveInt('Dense', 'units', a.units);
    this.activation = getActivation(a.activation);
    this.useBias = bool('Dense', 'useBias', a.useBias, true);
    this.w = resolveKernelBias('Dense', a);
  }

  override build(inputShape: Shape, rng: Rng): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || typeof inDim !== 'number') {
      throw new Error(`${this.name}: Dense needs an input of rank ≥ 2 with a known last dimension, got [${inputShape.join(',')}]`);
    }
    this.kernel = this.addWeight(
      { name: 'kernel', shape: [inDim, this.units], initializer: this.w.kernelInitializer, regularizer: this.w.kernelRegularizer, constraint: this.w.kernelConstraint },
      rng,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        { name: 'bias', shape: [this.units], initializer: this.w.biasInitializer, regularizer: this.w.biasRegularizer, constraint: this.w.biasConstraint },
        rng,
      );
    }
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const kernel = this.kernel!;
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    const inDim = kernel.shape[0]!;
    if (x.rank < 2 || x.shape[x.rank - 1] !== inDim) {
      throw new Error(`${this.name}: kernel ${fmt(kernel.shape)} expects inputs [..., ${inDim}], got input ${fmt(x.shape)}`);
    }
    const flat = x.rank === 2 ? x : reshape(x, [-1, inDim]);
    const fused = this.activation.fused;
    let y = denseOp(flat, kernel, this.bias ?? null, fused ?? 'linear');
    if (!fused) y = this.activation.apply(y);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected layerConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation.name,
      use_bias: this.useBias,
      ...kernelBiasConfig(this.w, this.activityRegularizer),
    };
  }

  /** Builds a Dense from its Keras/TF.js config. */
  static fromConfig(config: Record<string, unknown>): Dense {
    const r = new ConfigReader('Dense', config);
    const args: DenseArgs = { ...r.base(), units: r.get('units') as number, ...kernelBiasFromConfig(r) };
    const act = r.get('activation');
    if (act !== undefined) args.activation = act as string;
    const useBias = r.get('use_bias');
    if (useBias !== undefined) args.useBias = useBias as boolean;
    r.done();
    return new Dense(args);
  }
}

/** Factory: `layers.dense({ units: 8, activation: 'relu' })`. */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
