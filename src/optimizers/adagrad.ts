/**
 * Adagrad (Keras 3): lr 0.001, initial accumulator 0.1, eps 1e-7:
 * acc += g²; w −= lr·g/sqrt(acc + eps). (TF.js's string 'adagrad' uses lr 0.01.)
 */
import { adagradStep } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { baseArgsFromConfig, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(args, { learningRate: 0.001, name: 'adagrad' });
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
    if (!(this.initialAccumulatorValue >= 0)) throw new Error(`Adagrad: initialAccumulatorValue must be ≥ 0, got ${args.initialAccumulatorValue}`);
    if (!(this.epsilon >= 0)) throw new Error(`Adagrad: epsilon must be ≥ 0, got ${args.epsilon}`);
  }
  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }
  protected override slotInit(): number {
    return this.initialAccumulatorValue;
  }
  protected updateStep(w: Variable, g: Tensor, s: Record<string, Variable>, lr: number): void {
    adagradStep(w, g, s['accumulator']!, lr, this.epsilon);
  }
  protected optimizerConfig(): Record<string, unknown> {
    return { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
  static fromConfig(c: Record<string, unknown>): Adagrad {
    const a: AdagradArgs = baseArgsFromConfig(c);
    if (typeof c['initial_accumulator_value'] === 'number') a.initialAccumulatorValue = c['initial_accumulator_value'];
    if (typeof c['epsilon'] === 'number') a.epsilon = c['epsilon'];
    return new Adagrad(a);
  }
}

/** `optimizers.adagrad({ learningRate: 0.01 })` or `optimizers.adagrad(0.01)`. */
export function adagrad(args: AdagradArgs | number = {}): Adagrad {
  return new Adagrad(typeof args === 'number' ? { learningRate: args } : args);
}
