/**
 * compile(): turns optimizer / loss / metric specs (names in camelCase or
 * snake_case, objects, user loss functions) into objects, and resolves the
 * metrics that depend on data shapes ('accuracy' → binary / categorical /
 * sparse categorical accuracy as Keras does) once labels are seen.
 *
 * A model with several outputs has one head per output: its loss (one loss
 * for all outputs, a list in output order, or an object keyed by output
 * name), its weight in the total (`lossWeights`, default 1) and its metrics
 * (a flat list applies to every output, as in TF.js; a list of lists or an
 * object keyed by output name gives each its own). Logs follow Keras:
 * `loss` (the weighted total with every penalty), `<output>_loss`
 * (unweighted) and `<output>_<metric>`; a single-output model logs `loss`
 * and `<metric>` only.
 */
import { getLoss, type Loss, type LossIdentifier } from '../losses.js';
import { getMetric, Mean, type Metric, type MetricIdentifier } from '../metrics.js';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.js';
import type { Shape } from '../layers/layer.js';
import type { Tensor } from '../tensor/tensor.js';
import { nearest } from '../config/resolve.js';

/** One spec for every output, a list in output order, or an object keyed by output name. */
export type PerOutput<T> = T | readonly T[] | Readonly<Record<string, T>>;

export interface CompileArgs {
  /** 'adam', 'sgd', 'rmsprop', 'adagrad', 'adamw' (Keras defaults) or an Optimizer. */
  optimizer: OptimizerIdentifier;
  /** A loss name ('mse', 'categoricalCrossentropy', 'sparse_categorical_crossentropy', …), a Loss, or (yTrue, yPred) => Tensor; per output for several outputs. */
  loss: PerOutput<LossIdentifier>;
  /** Metric names ('accuracy', 'acc', 'mse', 'mae', 'auc', …) or Metric objects; logged under the name given. Per output: a list of lists or an object keyed by output name. */
  metrics?: readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[] | Readonly<Record<string, readonly MetricIdentifier[] | MetricIdentifier>>;
  /** Several outputs: each output's loss weight in the total (a list or an object keyed by output name; default 1). */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

const COMPILE_KEYS = ['optimizer', 'loss', 'metrics', 'lossWeights'];

/** One output's loss, weight and metrics. */
export class Head {
  /** Unweighted loss of this output, logged as `<output>_loss` when there are several outputs. */
  readonly lossTracker: Mean;
  private resolved: Metric[] | undefined;
  constructor(
    readonly output: string,
    readonly loss: Loss,
    readonly weight: number,
    readonly metricSpecs: readonly MetricIdentifier[],
    /** Log key prefix: '' for a single output, '<output>_' otherwise. */
    readonly prefix: string,
  ) {
    this.lossTracker = new Mean(`${output}_loss`);
  }

  /** The metrics, resolved against label and output shapes the first time. */
  metrics(yTrue: Tensor, outputShape: Shape): Metric[] {
    this.resolved ??= this.metricSpecs.map((m) => getMetric(m, { yTrue: yTrue.shape, yPred: outputShape }));
    return this.resolved;
  }

  get current(): Metric[] {
    return this.resolved ?? [];
  }
}

function didYouMean(key: string, valid: readonly string[]): string {
  const hit = nearest(key, valid);
  return `; valid options: ${valid.join(', ')}${hit ? ` (did you mean '${hit}'?)` : ''}`;
}

function isRecordSpec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Spreads a per-output spec over the outputs (errors name unknown outputs and wrong lengths). */
function perOutput<T>(spec: unknown, outputs: readonly string[], what: string, isOne: (v: unknown) => boolean, fallback: T | undefined): T[] {
  if (isRecordSpec(spec) && !isOne(spec)) {
    for (const k of Object.keys(spec)) {
      if (!outputs.includes(k)) throw new Error(`compile: ${what} names output '${k}', but the model's outputs are ${outputs.map((o) => `'${o}'`).join(', ')}`);
    }
    return outputs.map((o) => {
      const v = spec[o];
      if (v === undefined) {
        if (fallback === undefined) throw new Error(`compile: ${what} has no entry for output '${o}'; give one for each of ${outputs.map((x) => `'${x}'`).join(', ')}`);
        return fallback;
      }
      return v as T;
    });
  }
  if (Array.isArray(spec) && !isOne(spec)) {
    if (spec.length !== outputs.length) throw new Error(`compile: ${what} is a list of ${spec.length}, but the model has ${outputs.length} outputs (${outputs.map((o) => `'${o}'`).join(', ')})`);
    return spec as T[];
  }
  return outputs.map(() => spec as T);
}

/** What compile produced; metrics are resolved lazily from the first labels. */
export class Compiled {
  readonly optimizer: Optimizer;
  readonly heads: readonly Head[];
  /** Running mean of the total loss, weighted by batch size. */
  readonly lossTracker = new Mean('loss');

  constructor(args: CompileArgs, outputs: readonly string[] = ['output']) {
    if (typeof args !== 'object' || args === null) throw new Error(`compile: expected {optimizer, loss, metrics?}, got ${JSON.stringify(args)}`);
    for (const k of Object.keys(args)) if (!COMPILE_KEYS.includes(k)) throw new Error(`compile: unknown option '${k}'${didYouMean(k, COMPILE_KEYS)}`);
    if (args.optimizer === undefined) throw new Error(`compile: 'optimizer' is required (e.g. 'adam')`);
    if (args.loss === undefined) throw new Error(`compile: 'loss' is required (e.g. 'categoricalCrossentropy')`);
    this.optimizer = getOptimizer(args.optimizer);
    const multi = outputs.length > 1;
    const isLoss = (v: unknown): boolean => typeof v === 'string' || typeof v === 'function' || (isRecordSpec(v) && 'class_name' in v) || (typeof v === 'object' && v !== null && !Array.isArray(v) && !isRecordSpec(v));
    const losses = perOutput<LossIdentifier>(args.loss, outputs, 'loss', isLoss, undefined);
    if (!multi && args.lossWeights !== undefined && !(Array.isArray(args.lossWeights) && args.lossWeights.length === 1)) {
      if (!isRecordSpec(args.lossWeights) || Object.keys(args.lossWeights).some((k) => !outputs.includes(k))) {
        throw new Error(`compile: lossWeights is for models with several outputs; this model has one output`);
      }
    }
    const weights = args.lossWeights === undefined ? outputs.map(() => 1) : perOutput<number>(args.lossWeights, outputs, 'lossWeights', (v) => typeof v === 'number', 1);
    weights.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`compile: lossWeights for output '${outputs[i]}' must be a finite number ≥ 0, got ${JSON.stringify(w)}`);
    });
    const specs = args.metrics ?? [];
    if (!Array.isArray(specs) && !isRecordSpec(specs)) throw new Error(`compile: metrics must be an array such as ['accuracy'], got ${JSON.stringify(specs)}`);
    const nested = Array.isArray(specs) && specs.length > 0 && specs.every((m) => Array.isArray(m));
    let perHead: MetricIdentifier[][];
    if (isRecordSpec(specs)) perHead = perOutput<MetricIdentifier | MetricIdentifier[]>(specs, outputs, 'metrics', () => false, []).map((m) => (Array.isArray(m) ? [...m] : [m as MetricIdentifier]));
    else if (nested) perHead = perOutput<MetricIdentifier[]>(specs, outputs, 'metrics', () => false, undefined).map((m) => [...m]);
    else perHead = outputs.map(() => [...(specs as MetricIdentifier[])]);
    if (multi && !nested && !isRecordSpec(specs) && (specs as MetricIdentifier[]).some((m) => typeof m !== 'string')) {
      throw new Error(`compile: a Metric object in a flat metrics list would be shared by all ${outputs.length} outputs; give metrics per output ({${outputs.map((o) => `${o}: [...]`).join(', ')}})`);
    }
    this.heads = outputs.map((o, i) => {
      const ms = perHead[i]!;
      // Fail fast on unknown names (shape-dependent ones are resolved later).
      for (const m of ms) if (typeof m === 'string' && !/^(acc|accuracy)$/.test(m)) getMetric(m);
      const names = ms.map((m) => (typeof m === 'string' ? m : m.name));
      const dup = names.find((n, j) => names.indexOf(n) !== j || n === 'loss');
      if (dup !== undefined) throw new Error(`compile: metric name '${dup}' is used twice (or clashes with 'loss'); give metrics distinct names`);
      return new Head(o, getLoss(losses[i]!), weights[i]!, ms, multi ? `${o}_` : '');
    });
  }

  /** The single output's loss (the first head's for several outputs). */
  get loss(): Loss {
    return this.heads[0]!.loss;
  }

  /** The single output's metric specs (the first head's for several outputs). */
  get metricSpecs(): readonly MetricIdentifier[] {
    return this.heads[0]!.metricSpecs;
  }

  /** Every head's resolved metrics ([] before the first fit/evaluate). */
  get current(): Metric[] {
    return this.heads.flatMap((h) => h.current);
  }

  /** Resolves every head's metrics against labels and output shapes. */
  resolveMetrics(ys: readonly Tensor[], outputShapes: readonly Shape[]): void {
    this.heads.forEach((h, i) => h.metrics(ys[i]!, outputShapes[i]!));
  }

  /** Resets the loss trackers and every metric (start of an epoch / evaluation). */
  reset(): void {
    this.lossTracker.reset();
    for (const h of this.heads) {
      h.lossTracker.reset();
      for (const m of h.current) m.reset();
    }
  }

  /** {loss, <output>_loss…, metric…} running values. */
  logs(): Record<string, number> {
    const out: Record<string, number> = { loss: this.lossTracker.result() };
    if (this.heads.length > 1) for (const h of this.heads) out[`${h.output}_loss`] = h.lossTracker.result();
    for (const h of this.heads) for (const m of h.current) out[`${h.prefix}${m.name}`] = m.result();
    return out;
  }

  /** 'min'/'max' for a log key ('val_accuracy' → 'max', 'val_out_loss' → 'min'), undefined if unknown. */
  direction(name: string): 'min' | 'max' | undefined {
    const base = name.startsWith('val_') ? name.slice(4) : name;
    if (base === 'loss') return 'min';
    for (const h of this.heads) {
      if (this.heads.length > 1 && base === `${h.output}_loss`) return 'min';
      const m = h.current.find((x) => `${h.prefix}${x.name}` === base);
      if (m) return m.direction;
    }
    return undefined;
  }
}
