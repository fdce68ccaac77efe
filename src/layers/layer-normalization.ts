/**
 * LayerNormalization (Keras 3): per sample, normalizes over `axis` (default −1,
 * an int or a list), y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² (biased) over
 * those axes; γ, β have the shape of the normalized axes. Same in training
 * and inference. Weights: gamma, beta.
 */
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { reshape, toFloat } from '../ops/shape-ops.js';
import { sqrt, square } from '../ops/unary.js';
import type { Rng } from '../random.js';
import { fmt, normalizeAxes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgs, checkKeys, ConfigReader, numberIn } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { broadcastShape, GAMMA_BETA_KEYS, gammaBetaConfig, gammaBetaFromConfig, resolveGammaBeta, type GammaBeta, type GammaBetaArgs } from './norm-args.js';

export interface LayerNormalizationArgs extends Omit<LayerArgs, 'activityRegularizer'>, GammaBetaArgs {
  /** Axis or axes to normalize over (default −1). */
  axis?: number | readonly number[];
  /** Added to the variance, > 0 (default 1e-3). */
  epsilon?: number;
  batchSize?: number;
  dtype?: string;
}

const OWN_KEYS = ['axis', 'epsilon', ...GAMMA_BETA_KEYS];

/** @example new LayerNormalization() // normalize the last axis of each sample */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly g: GammaBeta;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  private axes: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    if (typeof args !== 'object' || args === null) throw new Error(`LayerNormalization: expected an options object, got ${JSON.stringify(args)}`);
    checkKeys('LayerNormalization', args, OWN_KEYS);
    super(baseArgs('LayerNormalization', args), 'layer_normalization');
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => !Number.isInteger(v))) {
      throw new Error(`LayerNormalization: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}`);
    }
    this.axis = typeof axis === 'number' ? axis : [...axis];
    this.epsilon = numberIn('LayerNormalization', 'epsilon', args.epsilon ?? 1e-3, 0, Infinity, { lo: true, hi: true });
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.g = resolveGammaBeta('LayerNormalization', args);
  }

  override build(inputShape: Shape, rng: Rng): void {
    this.axes = normalizeAxes(this.axis, inputShape.length, this.name);
    if (this.axes.includes(0)) throw new Error(`${this.name}: axis ${JSON.stringify(this.axis)} includes the batch axis 0`);
    const shape = this.axes.map((a) => inputShape[a]);
    if (!shape.every((d): d is number => typeof d === 'number')) {
      throw new Error(`${this.name}: normalized axes ${JSON.stringify(this.axis)} of input [${inputShape.join(',')}] must have known sizes`);
    }
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape, initializer: this.g.gammaInitializer, regularizer: this.g.gammaRegularizer, constraint: this.g.gammaConstraint }, rng);
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape, initializer: this.g.betaInitializer, regularizer: this.g.betaRegularizer, constraint: this.g.betaConstraint }, rng);
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    const axes = normalizeAxes(this.axis, x.rank, this.name);
    if (axes.join() !== this.axes.join() || (this.gamma && axes.some((a, i) => x.shape[a] !== this.gamma!.shape[i]))) {
      throw new Error(`${this.name}: built for axes ${JSON.stringify(this.axes)} with parameter shape ${fmt(this.gamma?.shape ?? [])}, got input ${fmt(x.shape)}`);
    }
    const mu = mean(x, axes, true);
    const variance = mean(square(sub(x, mu)), axes, true);
    let y = div(sub(x, mu), sqrt(add(variance, this.epsilon)));
    const bshape = broadcastShape(x.shape, axes);
    if (this.gamma) y = mul(y, reshape(this.gamma, bshape));
    if (this.beta) y = add(y, reshape(this.beta, bshape));
    return y;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  protected layerConfig(): Record<string, unknown> {
    return {
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...gammaBetaConfig(this.g, false),
    };
  }

  static fromConfig(config: Record<string, unknown>): LayerNormalization {
    const r = new ConfigReader('LayerNormalization', config);
    const args: LayerNormalizationArgs = { ...r.base(), ...gammaBetaFromConfig(r) };
    const axis = r.get('axis');
    if (axis !== undefined) args.axis = axis as number | number[];
    const epsilon = r.get('epsilon');
    if (epsilon !== undefined) args.epsilon = epsilon as number;
    if (r.get('rms_scaling')) throw new Error('LayerNormalization.fromConfig: rms_scaling=true is not supported');
    r.done();
    return new LayerNormalization(args);
  }
}

export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}
