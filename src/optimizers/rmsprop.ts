/**
 * RMSprop (Keras 3): lr 0.001, rho 0.9, momentum 0, eps 1e-7 inside the sqrt,
 * centered false. v = ρv + (1−ρ)g²; centered: ḡ = ρḡ + (1−ρ)g, denom v − ḡ²;
 * inc = lr·g/sqrt(denom + eps); momentum: mom = μ·mom + inc, w −= mom; else w −= inc.
 */
import { rmspropStep } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgsFromConfig, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super(args, { learningRate: 0.001, name: 'rmsprop' });
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
    if (!(this.rho >= 0 && this.rho < 1)) throw new Error(`RMSprop: rho must be in [0, 1), got ${args.rho}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`RMSprop: momentum must be in [0, 1], got ${args.momentum}`);
    if (!(this.epsilon >= 0)) throw new Error(`RMSprop: epsilon must be ≥ 0, got ${args.epsilon}`);
  }
  protected slotNames(): readonly string[] {
    const s = ['velocity'];
    if (this.momentum > 0) s.push('momentum');
    if (this.centered) s.push('average_gradient');
    return s;
  }
  protected updateStep(w: Variable, g: Tensor, s: Record<string, Variable>, lr: number): void {
    rmspropStep(w, g, s['velocity']!, s['average_gradient'] ?? null, s['momentum'] ?? null, {
      lr,
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    });
  }
  protected optimizerConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
  static fromConfig(c: Record<string, unknown>): RMSprop {
    const a: RMSpropArgs = { ...baseArgsFromConfig(c), centered: c['centered'] === true };
    if (typeof c['rho'] === 'number') a.rho = c['rho'];
    if (typeof c['momentum'] === 'number') a.momentum = c['momentum'];
    if (typeof c['epsilon'] === 'number') a.epsilon = c['epsilon'];
    return new RMSprop(a);
  }
}

/** `optimizers.rmsprop({ learningRate: 1e-3, rho: 0.9 })` or `optimizers.rmsprop(1e-3)`. */
export function rmsprop(args: RMSpropArgs | number = {}): RMSprop {
  return new RMSprop(typeof args === 'number' ? { learningRate: args } : args);
}
