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
import { custom, falseOnly, invalid, num, type ArgsOf, type ValuesOf } from '../config/options.js';
import { broadcastShape } from './batch-normalization.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { GAMMA_BETA } from './options.js';

/** Constraints are written only when one is set (as TF.js does). */
const anyConstraint = (o: Readonly<Record<string, unknown>>): boolean => o['betaConstraint'] !== undefined || o['gammaConstraint'] !== undefined;

/** LayerNormalization's options, in config key order. */
export const LAYER_NORMALIZATION_OPTIONS = {
  /** Axis or axes to normalize over (default −1). */
  axis: custom<number | readonly number[]>({
    check: (v, w) => {
      const list = typeof v === 'number' ? [v] : v;
      if (!Array.isArray(list) || list.length === 0 || list.some((d) => !Number.isInteger(d))) throw invalid(w, 'an integer or a non-empty array of integers', v);
      return typeof v === 'number' ? v : [...list];
    },
    default: -1,
  }),
  /** Added to the variance, > 0 (default 1e-3). */
  epsilon: num({ lo: 0, hi: Infinity, open: { lo: true, hi: true }, default: 1e-3 }),
  ...GAMMA_BETA,
  betaConstraint: { ...GAMMA_BETA.betaConstraint, writeIf: anyConstraint },
  gammaConstraint: { ...GAMMA_BETA.gammaConstraint, writeIf: anyConstraint },
  rmsScaling: { ...falseOnly(), write: false },
};

export type LayerNormalizationArgs = LayerArgs & ArgsOf<typeof LAYER_NORMALIZATION_OPTIONS>;

/** @example new LayerNormalization() // normalize the last axis of each sample */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = LAYER_NORMALIZATION_OPTIONS;
  declare readonly options: ValuesOf<typeof LAYER_NORMALIZATION_OPTIONS>;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  private axes: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'layer_normalization');
  }

  get axis(): number | readonly number[] {
    return this.options.axis;
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
}

export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}
