/**
 * Streaming metrics (Keras 3 semantics): `update(yTrue, yPred, sampleWeight?)`
 * once per batch, `result()` for the running value, `reset()` between epochs.
 * Per-sample values are weighted means (Σ w·v / Σ w); AUC accumulates a
 * thresholded confusion matrix (200 thresholds, ROC, interpolation).
 *
 * Metrics read tensor values as plain numbers (they are not differentiated),
 * so they can be updated inside a training step scope. Names accept camelCase
 * and snake_case; 'accuracy'/'acc' are resolved to binary, categorical or
 * sparse categorical accuracy from the label and output shapes, as Keras does,
 * and keep the name the user wrote as their log key.
 */
import { nameTable, resolve } from './config/resolve.js';
import type { SerializedObject } from './config/types.js';
import { getLoss, type Loss } from './losses.js';
import { fmt } from './tensor/shape.js';
import type { Tensor } from './tensor/tensor.js';

export type MetricDirection = 'max' | 'min';

/** Base class of streaming metrics. */
export abstract class Metric {
  /** Keras class name, e.g. 'BinaryAccuracy'. */
  abstract readonly className: string;
  /** Whether larger values are better ('max') or smaller ('min'); used by monitoring callbacks. */
  abstract readonly direction: MetricDirection;
  /** The log key ('accuracy', 'val_' is prefixed for validation). */
  name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** Accumulates one batch. */
  abstract update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  /** The current value over everything accumulated since `reset`. */
  abstract result(): number;
  abstract reset(): void;

  getConfig(): SerializedObject {
    return { class_name: this.className, config: { name: this.name, dtype: 'float32', ...this.metricConfig() } };
  }
  protected metricConfig(): Record<string, unknown> {
    return {};
  }
}

/** Weighted streaming mean (Keras `Mean`): result = Σ w·v / Σ w (0 when empty). */
export class Mean extends Metric {
  readonly className = 'Mean';
  readonly direction: MetricDirection = 'min';
  private total = 0;
  private count = 0;
  constructor(name = 'mean') {
    super(name);
  }
  /** Adds values (a number or an array) with weights (a number for all, or one per value). */
  updateState(values: number | ArrayLike<number>, weights: number | ArrayLike<number> = 1): void {
    const v = typeof values === 'number' ? [values] : values;
    for (let i = 0; i < v.length; i++) {
      const w = typeof weights === 'number' ? weights : weights[i]!;
      this.total += w * v[i]!;
      this.count += w;
    }
  }
  update(_yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    this.updateState(yPred.data, sampleWeight ? expandWeights(sampleWeight, yPred.size, this.name) : 1);
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

/** One weight per value: weights [batch] are repeated over the values of each sample. */
function expandWeights(sw: Tensor, n: number, who: string): ArrayLike<number> {
  const w = sw.data;
  if (w.length === n) return w;
  if (w.length === 0 || n % w.length !== 0) throw new Error(`${who}: sample weights of shape ${fmt(sw.shape)} do not fit ${n} metric values`);
  const rep = n / w.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = w[Math.floor(i / rep)]!;
  return out;
}

/** Per-sample values (one per row of the last axis) for a batch. */
type SampleFn = (yTrue: Tensor, yPred: Tensor) => ArrayLike<number>;

/** A Mean over per-sample values computed by `fn` (Keras MeanMetricWrapper). */
export class MeanMetricWrapper extends Metric {
  private readonly mean = new Mean();
  constructor(
    readonly className: string,
    name: string,
    readonly direction: MetricDirection,
    private readonly fn: SampleFn,
    private readonly extraConfig: Record<string, unknown> = {},
  ) {
    super(name);
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const values = this.fn(yTrue, yPred);
    this.mean.updateState(values, sampleWeight ? expandWeights(sampleWeight, values.length, this.name) : 1);
  }
  result(): number {
    return this.mean.result();
  }
  reset(): void {
    this.mean.reset();
  }
  protected override metricConfig(): Record<string, unknown> {
    return this.extraConfig;
  }
}

function lastDim(t: Tensor): number {
  return t.rank === 0 ? 1 : t.shape[t.rank - 1]!;
}

/** Labels with as many values as predictions (a trailing size-1 axis may differ). */
function sameSize(yTrue: Tensor, yPred: Tensor, who: string): void {
  if (yTrue.size !== yPred.size) throw new Error(`${who}: labels of shape ${fmt(yTrue.shape)} do not match predictions of shape ${fmt(yPred.shape)}`);
}

function argMaxRow(d: ArrayLike<number>, off: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (d[off + j]! > d[off + best]!) best = j;
  return best;
}

/** mean over the last axis of (yTrue == (yPred > threshold)). */
export function binaryAccuracyValues(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Float64Array {
  sameSize(yTrue, yPred, 'binaryAccuracy');
  const k = lastDim(yPred);
  const t = yTrue.data;
  const p = yPred.data;
  const out = new Float64Array(p.length / k);
  for (let r = 0; r < out.length; r++) {
    let hits = 0;
    for (let j = 0; j < k; j++) hits += t[r * k + j] === (p[r * k + j]! > threshold ? 1 : 0) ? 1 : 0;
    out[r] = hits / k;
  }
  return out;
}

/** 1 where argmax(yTrue) == argmax(yPred) per row. */
export function categoricalAccuracyValues(yTrue: Tensor, yPred: Tensor): Float64Array {
  sameSize(yTrue, yPred, 'categoricalAccuracy');
  const k = lastDim(yPred);
  const out = new Float64Array(yPred.size / k);
  for (let r = 0; r < out.length; r++) out[r] = argMaxRow(yTrue.data, r * k, k) === argMaxRow(yPred.data, r * k, k) ? 1 : 0;
  return out;
}

/** 1 where the integer label equals argmax(yPred) per row. */
export function sparseCategoricalAccuracyValues(yTrue: Tensor, yPred: Tensor): Float64Array {
  const k = lastDim(yPred);
  const rows = yPred.size / k;
  if (yTrue.size !== rows) throw new Error(`sparseCategoricalAccuracy: expected ${rows} class labels for predictions ${fmt(yPred.shape)}, got labels of shape ${fmt(yTrue.shape)}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = yTrue.data[r] === argMaxRow(yPred.data, r * k, k) ? 1 : 0;
  return out;
}

function errorValues(yTrue: Tensor, yPred: Tensor, who: string, f: (e: number) => number): Float64Array {
  sameSize(yTrue, yPred, who);
  const k = lastDim(yPred);
  const out = new Float64Array(yPred.size / k);
  for (let r = 0; r < out.length; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += f(yTrue.data[r * k + j]! - yPred.data[r * k + j]!);
    out[r] = s / k;
  }
  return out;
}

export const binaryAccuracy = (args: { name?: string; threshold?: number } = {}): Metric => {
  const threshold = args.threshold ?? 0.5;
  return new MeanMetricWrapper('BinaryAccuracy', args.name ?? 'binary_accuracy', 'max', (t, p) => binaryAccuracyValues(t, p, threshold), { threshold });
};
export const categoricalAccuracy = (args: { name?: string } = {}): Metric =>
  new MeanMetricWrapper('CategoricalAccuracy', args.name ?? 'categorical_accuracy', 'max', categoricalAccuracyValues);
export const sparseCategoricalAccuracy = (args: { name?: string } = {}): Metric =>
  new MeanMetricWrapper('SparseCategoricalAccuracy', args.name ?? 'sparse_categorical_accuracy', 'max', sparseCategoricalAccuracyValues);
export const meanSquaredError = (args: { name?: string } = {}): Metric =>
  new MeanMetricWrapper('MeanSquaredError', args.name ?? 'mean_squared_error', 'min', (t, p) => errorValues(t, p, 'meanSquaredError', (e) => e * e));
export const meanAbsoluteError = (args: { name?: string } = {}): Metric =>
  new MeanMetricWrapper('MeanAbsoluteError', args.name ?? 'mean_absolute_error', 'min', (t, p) => errorValues(t, p, 'meanAbsoluteError', Math.abs));

/** A loss used as a metric: the weighted mean of its per-sample values. */
export function lossMetric(loss: Loss, name = loss.name): Metric {
  return new MeanMetricWrapper(loss.className, name, 'min', (t, p) => loss.perSample(t, p).data);
}

export interface AucArgs {
  name?: string;
  /** Number of thresholds (≥ 2), default 200 as Keras. */
  numThresholds?: number;
  /** Apply a sigmoid to predictions first. */
  fromLogits?: boolean;
}

/**
 * Area under the ROC curve for binary labels, streaming over batches (Keras
 * `AUC(curve='ROC', summation_method='interpolation')`). Thresholds are
 * [−ε, 1/(n−1), …, (n−2)/(n−1), 1+ε]; a prediction counts as positive at a
 * threshold when it is strictly greater. All label/prediction values are
 * flattened (multi_label = false); any non-zero label is a positive.
 */
export class AUC extends Metric {
  readonly className = 'AUC';
  readonly direction: MetricDirection = 'max';
  readonly numThresholds: number;
  readonly fromLogits: boolean;
  private readonly thresholds: Float64Array;
  /** Weighted counts of positives/negatives by how many thresholds they exceed (0..n). */
  private readonly pos: Float64Array;
  private readonly neg: Float64Array;

  constructor(args: AucArgs = {}) {
    super(args.name ?? 'auc');
    this.numThresholds = args.numThresholds ?? 200;
    this.fromLogits = args.fromLogits ?? false;
    const n = this.numThresholds;
    if (!Number.isInteger(n) || n < 2) throw new Error(`auc: numThresholds must be an integer ≥ 2, got ${args.numThresholds}`);
    this.thresholds = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) this.thresholds[i] = Math.fround(i / (n - 1));
    this.thresholds[0] = -1e-7;
    this.thresholds[n - 1] = 1 + 1e-7;
    this.pos = new Float64Array(n + 1);
    this.neg = new Float64Array(n + 1);
  }

  /** Number of thresholds t with p > t. */
  private exceeded(p: number): number {
    let lo = 0;
    let hi = this.numThresholds;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p > this.thresholds[mid]!) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    sameSize(yTrue, yPred, this.name);
    const w = sampleWeight ? expandWeights(sampleWeight, yPred.size, this.name) : undefined;
    for (let i = 0; i < yPred.size; i++) {
      let p = yPred.data[i]!;
      if (this.fromLogits) p = 1 / (1 + Math.exp(-p));
      if (!(p >= 0 && p <= 1)) {
        throw new Error(`${this.name}: predictions must be probabilities in [0, 1], got ${p} at index ${i}; use a sigmoid output or auc({ fromLogits: true })`);
      }
      const k = this.exceeded(p);
      (yTrue.data[i] !== 0 ? this.pos : this.neg)[k]! += w ? w[i]! : 1;
    }
  }

  result(): number {
    const n = this.numThresholds;
    // tp[i] = Σ_{k>i} pos[k]; fn[i] = Σ_{k≤i} pos[k]; likewise fp/tn with neg.
    const totalPos = this.pos.reduce((a, b) => a + b, 0);
    const totalNeg = this.neg.reduce((a, b) => a + b, 0);
    const tpr = new Float64Array(n);
    const fpr = new Float64Array(n);
    let posUpTo = 0;
    let negUpTo = 0;
    for (let i = 0; i < n; i++) {
      posUpTo += this.pos[i]!;
      negUpTo += this.neg[i]!;
      const tp = totalPos - posUpTo;
      const fp = totalNeg - negUpTo;
      tpr[i] = totalPos > 0 ? tp / totalPos : 0;
      fpr[i] = totalNeg > 0 ? fp / totalNeg : 0;
    }
    let area = 0;
    for (let i = 0; i < n - 1; i++) area += (fpr[i]! - fpr[i + 1]!) * ((tpr[i]! + tpr[i + 1]!) / 2);
    return area;
  }

  reset(): void {
    this.pos.fill(0);
    this.neg.fill(0);
  }

  protected override metricConfig(): Record<string, unknown> {
    return { num_thresholds: this.numThresholds, curve: 'ROC', summation_method: 'interpolation', multi_label: false, from_logits: this.fromLogits };
  }
}

export const auc = (args?: AucArgs): AUC => new AUC(args);
export const mean = (name?: string): Mean => new Mean(name);

/** Metric factories: `metrics.auc()`, `metrics.binaryAccuracy({ threshold: 0.7 })`. */
export const metrics = { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, meanSquaredError, meanAbsoluteError, auc, mean };

/** Shapes used to resolve 'accuracy' the way Keras does. */
export interface MetricShapes {
  yTrue: readonly number[];
  yPred: readonly (number | null)[];
}

type MetricKind = 'acc' | 'binaryAcc' | 'catAcc' | 'sparseAcc' | 'mse' | 'mae' | 'auc' | 'bce' | 'cce' | 'scce';
const METRIC_NAMES = nameTable<MetricKind>('getMetric', 'metric', {
  accuracy: 'acc', acc: 'acc',
  binaryAccuracy: 'binaryAcc', categoricalAccuracy: 'catAcc', sparseCategoricalAccuracy: 'sparseAcc',
  mse: 'mse', meanSquaredError: 'mse', mae: 'mae', meanAbsoluteError: 'mae', auc: 'auc',
  binaryCrossentropy: 'bce', categoricalCrossentropy: 'cce', sparseCategoricalCrossentropy: 'scce',
}, { known: 'accuracy (acc), binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, mse, mae, auc, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy (snake_case accepted)' });

/** Keras's choice for 'accuracy': binary if one output unit, sparse if labels lack the class axis. */
function resolveAccuracy(name: string, s: MetricShapes): Metric {
  const yPredLast = s.yPred[s.yPred.length - 1];
  const yTrueLast = s.yTrue[s.yTrue.length - 1];
  if (yPredLast === 1) return binaryAccuracy({ name });
  if (s.yTrue.length < s.yPred.length || (yTrueLast === 1 && yPredLast !== 1)) return sparseCategoricalAccuracy({ name });
  return categoricalAccuracy({ name });
}

export type MetricIdentifier = string | Metric;

/**
 * Resolves a metric name or object. Names keep the user's spelling as the log
 * key. 'accuracy'/'acc' need the label and output shapes.
 */
export function getMetric(id: MetricIdentifier, shapes?: MetricShapes): Metric {
  if (id instanceof Metric) return id;
  if (typeof id !== 'string') throw new Error(`getMetric: expected a metric name or Metric object, got ${JSON.stringify(id)}`);
  const kind = resolve(METRIC_NAMES, id);
  const name = id;
  switch (kind) {
    case 'acc':
      if (!shapes) throw new Error(`getMetric: '${id}' is resolved from the label and output shapes; call it through compile/fit`);
      return resolveAccuracy(name, shapes);
    case 'binaryAcc': return binaryAccuracy({ name });
    case 'catAcc': return categoricalAccuracy({ name });
    case 'sparseAcc': return sparseCategoricalAccuracy({ name });
    case 'mse': return meanSquaredError({ name });
    case 'mae': return meanAbsoluteError({ name });
    case 'auc': return auc({ name });
    case 'bce': return lossMetric(getLoss('binaryCrossentropy'), name);
    case 'cce': return lossMetric(getLoss('categoricalCrossentropy'), name);
    case 'scce': return lossMetric(getLoss('sparseCategoricalCrossentropy'), name);
  }
}
