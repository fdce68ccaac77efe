/**
 * Adam and AdamW (Keras 3): lr 0.001, β1 0.9, β2 0.999, eps 1e-7 outside the
 * bias correction ("epsilon hat"), optional AMSGrad:
 * m += (g − m)(1 − β1); v += (g² − v)(1 − β2); v̂ = max(v̂, v) if amsgrad;
 * α = lr·sqrt(1 − β2ᵗ)/(1 − β1ᵗ); w −= α·m/(sqrt(v) + eps).
 * AdamW is Adam with decoupled weight decay on (default 0.004).
 */
import { adamStep } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgsFromConfig, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

interface AdamHyper {
  beta1: number;
  beta2: number;
  epsilon: number;
  amsgrad: boolean;
}

function hyper(args: AdamArgs, who: string): AdamHyper {
  const h = { beta1: args.beta1 ?? 0.9, beta2: args.beta2 ?? 0.999, epsilon: args.epsilon ?? 1e-7, amsgrad: args.amsgrad ?? false };
  for (const k of ['beta1', 'beta2'] as const) if (!(h[k] >= 0 && h[k] < 1)) throw new Error(`${who}: ${k} must be in [0, 1), got ${h[k]}`);
  if (!(h.epsilon >= 0)) throw new Error(`${who}: epsilon must be ≥ 0, got ${h.epsilon}`);
  return h;
}

function argsFromConfig(c: Record<string, unknown>): AdamArgs {
  const a: AdamArgs = { ...baseArgsFromConfig(c), amsgrad: c['amsgrad'] === true };
  if (typeof c['beta_1'] === 'number') a.beta1 = c['beta_1'];
  if (typeof c['beta_2'] === 'number') a.beta2 = c['beta_2'];
  if (typeof c['epsilon'] === 'number') a.epsilon = c['epsilon'];
  return a;
}

/** Adam's defaults; AdamW passes its own name and weight decay. */
interface AdamDefaults {
  className: string;
  name: string;
  weightDecay: number | undefined;
}

const ADAM: AdamDefaults = { className: 'Adam', name: 'adam', weightDecay: undefined };
const ADAMW: AdamDefaults = { className: 'AdamW', name: 'adamw', weightDecay: 0.004 };

/** The one Adam body; AdamW differs only in its defaults (as in Keras 3). */
export class Adam extends Optimizer {
  readonly className: string;
  readonly hyper: AdamHyper;
  constructor(args: AdamArgs = {}, defaults: AdamDefaults = ADAM) {
    const weightDecay = args.weightDecay ?? defaults.weightDecay;
    super(weightDecay === undefined ? args : { ...args, weightDecay }, { learningRate: 0.001, name: defaults.name });
    this.className = defaults.className;
    this.hyper = hyper(args, this.name);
  }
  protected slotNames(): readonly string[] {
    return this.hyper.amsgrad ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];
  }
  /** The step's kernel arguments, made once per (lr, t) and shared by every variable of the step. */
  private stepArgs: { lr: number; t: number; args: { alpha: number; beta1: number; beta2: number; epsilon: number } } | undefined;
  protected updateStep(w: Variable, g: Tensor, s: Record<string, Variable>, lr: number, t: number): void {
    let a = this.stepArgs;
    if (!a || a.lr !== lr || a.t !== t) {
      const h = this.hyper;
      const alpha = (lr * Math.sqrt(1 - Math.pow(h.beta2, t))) / (1 - Math.pow(h.beta1, t));
      a = this.stepArgs = { lr, t, args: { alpha, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon } };
    }
    adamStep(w, g, s['momentum']!, s['velocity']!, s['velocity_hat'] ?? null, a.args);
  }
  protected optimizerConfig(): Record<string, unknown> {
    const h = this.hyper;
    return { beta_1: h.beta1, beta_2: h.beta2, epsilon: h.epsilon, amsgrad: h.amsgrad };
  }
  static fromConfig(c: Record<string, unknown>): Adam {
    return new Adam(argsFromConfig(c));
  }
}

/** Adam with decoupled weight decay on by default (0.004). */
export class AdamW extends Adam {
  constructor(args: AdamArgs = {}) {
    super(args, ADAMW);
  }
  static override fromConfig(c: Record<string, unknown>): AdamW {
    return new AdamW(argsFromConfig(c));
  }
}

/** `optimizers.adam({ learningRate: 1e-3 })` or `optimizers.adam(1e-3)`. */
export function adam(args: AdamArgs | number = {}): Adam {
  return new Adam(typeof args === 'number' ? { learningRate: args } : args);
}

/** `optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.01 })`. */
export function adamw(args: AdamArgs | number = {}): AdamW {
  return new AdamW(typeof args === 'number' ? { learningRate: args } : args);
}
