/**
 * BatchNormalization (Keras 3): normalizes each feature along `axis` (default
 * −1) with statistics over all other axes.
 * - training (and the layer trainable): batch mean μ and *biased* variance σ²,
 *   y = γ·(x − μ)/√(σ² + ε) + β, then moving = moving·momentum + batch·(1 − momentum).
 * - inference (or trainable = false, as Keras 3): the moving statistics.
 * Weights in TF.js/Keras order: gamma, beta (trainable), moving_mean,
 * moving_variance (non-trainable).
 * TF.js 4.22 computes the same (biased moments, same update; checked in
 * test/oracle/layers.test.ts), but needs both gamma and beta in training mode.
 */
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { reshape, toFloat } from '../ops/shape-ops.js';
import { sqrt, square } from '../ops/unary.js';
import { noGrad } from '../autograd/tape.js';
import type { Rng } from '../random.js';
import { fmt, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { falseOnly, num, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { Initializer } from '../config/types.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { GAMMA_BETA, initializer, integer } from './options.js';

/** BatchNormalization's options, in config key order. */
export const BATCH_NORMALIZATION_OPTIONS = {
  /** Feature axis (default −1; configs may write [n]). */
  axis: integer(-1),
  /** Moving-average momentum in [0, 1] (default 0.99). */
  momentum: num({ lo: 0, hi: 1, default: 0.99 }),
  /** Added to the variance, > 0 (default 1e-3). */
  epsilon: num({ lo: 0, hi: Infinity, open: { lo: true, hi: true }, default: 1e-3 }),
  ...GAMMA_BETA,
  movingMeanInitializer: initializer('zeros'),
  movingVarianceInitializer: initializer('ones'),
  synchronized: { ...falseOnly(), write: false },
  renorm: { ...falseOnly(), write: false },
};

export type BatchNormalizationArgs = LayerArgs & ArgsOf<typeof BATCH_NORMALIZATION_OPTIONS>;

/** [1, …, d_a, …, 1]: the shape a parameter over `axes` broadcasts from, for an input of `rank`. */
export function broadcastShape(inputShape: readonly number[], axes: readonly number[]): number[] {
  return inputShape.map((d, i) => (axes.includes(i) ? d : 1));
}

/** @example new BatchNormalization({ momentum: 0.9 }) */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = BATCH_NORMALIZATION_OPTIONS;
  declare readonly options: ValuesOf<typeof BATCH_NORMALIZATION_OPTIONS>;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  movingMean: Variable | undefined;
  movingVariance: Variable | undefined;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'batch_normalization');
  }

  get axis(): number {
    return this.options.axis;
  }
  get momentum(): number {
    return this.options.momentum;
  }
  get epsilon(): number {
    return this.options.epsilon;
  }
  get center(): boolean {
    return this.options.center;
  }
  get scale(): boolean {
    return this.options.scale;
  }
  /** The resolved gamma/beta initializers, regularizers and constraints. */
  get g(): ValuesOf<typeof GAMMA_BETA> {
    return this.options;
  }
  get movingMeanInitializer(): Initializer {
    return this.options.movingMeanInitializer;
  }
  get movingVarianceInitializer(): Initializer {
    return this.options.movingVarianceInitializer;
  }

  override build(inputShape: Shape, rng: Rng): void {
    const a = normalizeAxis(this.axis, inputShape.length, this.name);
    const dim = inputShape[a];
    if (typeof dim !== 'number') throw new Error(`${this.name}: axis ${this.axis} of input [${inputShape.join(',')}] must have a known size`);
    const shape = [dim];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape, initializer: this.g.gammaInitializer, regularizer: this.g.gammaRegularizer, constraint: this.g.gammaConstraint }, rng);
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape, initializer: this.g.betaInitializer, regularizer: this.g.betaRegularizer, constraint: this.g.betaConstraint }, rng);
    this.movingMean = this.addWeight({ name: 'moving_mean', shape, initializer: this.movingMeanInitializer, trainable: false }, rng);
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape, initializer: this.movingVarianceInitializer, trainable: false }, rng);
  }

  call(xIn: Tensor, ctx: CallContext): Tensor {
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    const a = normalizeAxis(this.axis, x.rank, this.name);
    const dim = this.movingMean!.shape[0]!;
    if (x.shape[a] !== dim) throw new Error(`${this.name}: built for ${dim} features on axis ${this.axis}, got input ${fmt(x.shape)}`);
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => i !== a);
    const bshape = broadcastShape(x.shape, [a]);
    const p = (v: Tensor): Tensor => reshape(v, bshape);
    let mu: Tensor;
    let variance: Tensor;
    if (ctx.training && this.trainable) {
      mu = mean(x, reduceAxes, true);
      variance = mean(square(sub(x, mu)), reduceAxes, true);
      const m = this.momentum;
      noGrad(() => {
        const mm = this.movingMean!;
        const mv = this.movingVariance!;
        mm.assign(add(mul(mm, m), mul(reshape(mu, [dim]), 1 - m)));
        mv.assign(add(mul(mv, m), mul(reshape(variance, [dim]), 1 - m)));
      });
    } else {
      mu = p(this.movingMean!);
      variance = p(this.movingVariance!);
    }
    let y = div(sub(x, mu), sqrt(add(variance, this.epsilon)));
    if (this.gamma) y = mul(y, p(this.gamma));
    if (this.beta) y = add(y, p(this.beta));
    return y;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
}

export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
