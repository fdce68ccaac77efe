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
import { baseArgs, checkKeys, ConfigReader, numberIn } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { broadcastShape, GAMMA_BETA_KEYS, gammaBetaConfig, gammaBetaFromConfig, resolveGammaBeta, type GammaBeta, type GammaBetaArgs } from './norm-args.js';
import { resolveInitializer } from './serialization.js';
import type { InitializerArg } from './weight-args.js';

export interface BatchNormalizationArgs extends Omit<LayerArgs, 'activityRegularizer'>, GammaBetaArgs {
  /** Feature axis (default −1). */
  axis?: number;
  /** Moving-average momentum in [0, 1] (default 0.99). */
  momentum?: number;
  /** Added to the variance, > 0 (default 1e-3). */
  epsilon?: number;
  /** Default zeros. */
  movingMeanInitializer?: InitializerArg;
  /** Default ones. */
  movingVarianceInitializer?: InitializerArg;
  batchSize?: number;
  dtype?: string;
}

const OWN_KEYS = ['axis', 'momentum', 'epsilon', 'movingMeanInitializer', 'movingVarianceInitializer', ...GAMMA_BETA_KEYS];

/** @example new BatchNormalization({ momentum: 0.9 }) */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly g: GammaBeta;
  readonly movingMeanInitializer;
  readonly movingVarianceInitializer;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  movingMean: Variable | undefined;
  movingVariance: Variable | undefined;

  constructor(args: BatchNormalizationArgs = {}) {
    if (typeof args !== 'object' || args === null) throw new Error(`BatchNormalization: expected an options object, got ${JSON.stringify(args)}`);
    checkKeys('BatchNormalization', args, OWN_KEYS);
    super(baseArgs('BatchNormalization', args), 'batch_normalization');
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new Error(`BatchNormalization: axis must be an integer, got ${JSON.stringify(axis)}`);
    this.axis = axis;
    this.momentum = numberIn('BatchNormalization', 'momentum', args.momentum ?? 0.99, 0, 1);
    this.epsilon = numberIn('BatchNormalization', 'epsilon', args.epsilon ?? 1e-3, 0, Infinity, { lo: true, hi: true });
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.g = resolveGammaBeta('BatchNormalization', args);
    this.movingMeanInitializer = resolveInitializer(args.movingMeanInitializer, 'zeros', 'BatchNormalization movingMeanInitializer');
    this.movingVarianceInitializer = resolveInitializer(args.movingVarianceInitializer, 'ones', 'BatchNormalization movingVarianceInitializer');
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

  protected layerConfig(): Record<string, unknown> {
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...gammaBetaConfig(this.g, true),
      moving_mean_initializer: this.movingMeanInitializer.getConfig(),
      moving_variance_initializer: this.movingVarianceInitializer.getConfig(),
    };
  }

  static fromConfig(config: Record<string, unknown>): BatchNormalization {
    const r = new ConfigReader('BatchNormalization', config);
    const args: BatchNormalizationArgs = { ...r.base(), ...gammaBetaFromConfig(r) };
    const axis = r.get('axis');
    if (axis !== undefined) args.axis = (Array.isArray(axis) && axis.length === 1 ? axis[0] : axis) as number;
    const momentum = r.get('momentum');
    if (momentum !== undefined) args.momentum = momentum as number;
    const epsilon = r.get('epsilon');
    if (epsilon !== undefined) args.epsilon = epsilon as number;
    const mmi = r.get('moving_mean_initializer');
    if (mmi !== undefined) args.movingMeanInitializer = mmi as InitializerArg;
    const mvi = r.get('moving_variance_initializer');
    if (mvi !== undefined) args.movingVarianceInitializer = mvi as InitializerArg;
    for (const k of ['synchronized', 'renorm']) if (r.get(k)) throw new Error(`BatchNormalization.fromConfig: ${k}=true is not supported`);
    r.done();
    return new BatchNormalization(args);
  }
}

export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
