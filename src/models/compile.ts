/**
 * compile(): turns optimizer / loss / metric specs (names in camelCase or
 * snake_case, objects, user loss functions) into objects, and resolves the
 * metrics that depend on data shapes ('accuracy' → binary / categorical /
 * sparse categorical accuracy as Keras does) once labels are seen.
 */
import { getLoss, type Loss, type LossIdentifier } from '../losses.js';
import { getMetric, Mean, type Metric, type MetricIdentifier } from '../metrics.js';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.js';
import type { Shape } from '../layers/layer.js';
import type { Tensor } from '../tensor/tensor.js';

export interface CompileArgs {
  /** 'adam', 'sgd', 'rmsprop', 'adagrad', 'adamw' (Keras defaults) or an Optimizer. */
  optimizer: OptimizerIdentifier;
  /** A loss name ('mse', 'categoricalCrossentropy', 'sparse_categorical_crossentropy', …), a Loss, or (yTrue, yPred) => Tensor. */
  loss: LossIdentifier;
  /** Metric names ('accuracy', 'acc', 'mse', 'mae', 'auc', …) or Metric objects; logged under the name given. */
  metrics?: readonly MetricIdentifier[];
}

/** What compile produced; metrics are resolved lazily from the first labels. */
export class Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metricSpecs: readonly MetricIdentifier[];
  /** Running mean of the total loss, weighted by batch size. */
  readonly lossTracker = new Mean('loss');
  private resolved: Metric[] | undefined;

  constructor(args: CompileArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`compile: expected {optimizer, loss, metrics?}, got ${JSON.stringify(args)}`);
    if (args.optimizer === undefined) throw new Error(`compile: 'optimizer' is required (e.g. 'adam')`);
    if (args.loss === undefined) throw new Error(`compile: 'loss' is required (e.g. 'categoricalCrossentropy')`);
    this.optimizer = getOptimizer(args.optimizer);
    this.loss = getLoss(args.loss);
    const specs = args.metrics ?? [];
    if (!Array.isArray(specs)) throw new Error(`compile: metrics must be an array such as ['accuracy'], got ${JSON.stringify(specs)}`);
    // Fail fast on unknown names (shape-dependent ones are resolved later).
    for (const m of specs) if (typeof m === 'string' && !/^(acc|accuracy)$/.test(m)) getMetric(m);
    const names = specs.map((m) => (typeof m === 'string' ? m : m.name));
    const dup = names.find((n, i) => names.indexOf(n) !== i || n === 'loss');
    if (dup !== undefined) throw new Error(`compile: metric name '${dup}' is used twice (or clashes with 'loss'); give metrics distinct names`);
    this.metricSpecs = specs;
  }

  /** The compiled metrics, resolved against label and output shapes the first time. */
  metrics(yTrue: Tensor, outputShape: Shape): Metric[] {
    this.resolved ??= this.metricSpecs.map((m) => getMetric(m, { yTrue: yTrue.shape, yPred: outputShape }));
    return this.resolved;
  }

  /** The metrics resolved so far ([] before the first fit/evaluate). */
  get current(): Metric[] {
    return this.resolved ?? [];
  }

  /** Resets the loss tracker and every metric (start of an epoch / evaluation). */
  reset(): void {
    this.lossTracker.reset();
    for (const m of this.resolved ?? []) m.reset();
  }

  /** {loss, metric…} running values. */
  logs(): Record<string, number> {
    const out: Record<string, number> = { loss: this.lossTracker.result() };
    for (const m of this.resolved ?? []) out[m.name] = m.result();
    return out;
  }

  /** 'min'/'max' for a log key ('val_accuracy' → 'max'), undefined if unknown. */
  direction(name: string): 'min' | 'max' | undefined {
    const base = name.startsWith('val_') ? name.slice(4) : name;
    if (base === 'loss') return 'min';
    const m = (this.resolved ?? []).find((x) => x.name === base);
    return m?.direction;
  }
}
