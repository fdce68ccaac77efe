/**
 * SGD (Keras 3): lr 0.01, momentum 0, nesterov false.
 * momentum 0: w −= lr·g. Else m = μ·m − lr·g; w += nesterov ? μ·m − lr·g : m.
 */
import { sgdStep } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgsFromConfig, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super(args, { learningRate: 0.01, name: 'SGD' });
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`SGD: momentum must be in [0, 1], got ${args.momentum}`);
  }
  protected slotNames(): readonly string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }
  protected updateStep(w: Variable, g: Tensor, s: Record<string, Variable>, lr: number): void {
    sgdStep(w, g, s['momentum'] ?? null, lr, this.momentum, this.nesterov);
  }
  protected optimizerConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
  static fromConfig(c: Record<string, unknown>): SGD {
    return new SGD({ ...baseArgsFromConfig(c), momentum: Number(c['momentum'] ?? 0), nesterov: c['nesterov'] === true });
  }
}

/** `optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })` or `optimizers.sgd(0.1)`. */
export function sgd(args: SGDArgs | number = {}): SGD {
  return new SGD(typeof args === 'number' ? { learningRate: args } : args);
}
