/**
 * Dense: y = activation(x·W + b) on the last axis (Keras 3 `Dense`).
 * kernel [in, units] (default glorotUniform), bias [units] (default zeros).
 * Inputs of rank > 2 are flattened to [-1, in] and back. With a linear, relu,
 * sigmoid or tanh activation the whole layer is one fused `dense` op.
 * Keras 1 spellings accepted: `input_dim`, `W_regularizer`, `b_regularizer`,
 * `W_constraint`, `b_constraint`.
 */
import type { Activation } from '../activations.js';
import { int, req, bool, type ArgsOf, type ValuesOf } from '../config/options.js';
import { dense as denseOp } from '../ops/matmul.js';
import { reshape, toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation, KERNEL_BIAS } from './options.js';

/** Dense's options, in config key order. */
export const DENSE_OPTIONS = {
  /** Output size, a positive integer. */
  units: req(int()),
  /** Activation name (default linear). */
  activation: activation('linear'),
  useBias: bool(true),
  ...KERNEL_BIAS,
};

export type DenseArgs = LayerArgs & ArgsOf<typeof DENSE_OPTIONS> & { input_dim?: number; W_regularizer?: unknown; b_regularizer?: unknown; W_constraint?: unknown; b_constraint?: unknown };

/**
 * A densely connected layer.
 * @example
 * const d = new Dense({ units: 3, activation: 'relu', inputShape: [4] });
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = DENSE_OPTIONS;
  declare readonly options: ValuesOf<typeof DENSE_OPTIONS>;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: DenseArgs) {
    super(args, 'dense');
  }

  get units(): number {
    return this.options.units;
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
}

/** Factory: `layers.dense({ units: 8, activation: 'relu' })`. */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
