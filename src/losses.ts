/**
 * Losses (Keras 3 semantics, docs/semantics.md §6). Each loss computes per-sample values
 * (the last axis reduced) and then the default `sum_over_batch_size`
 * reduction: multiply by the sample weights, sum, divide by the number of
 * per-sample values (not by Σ weights).
 *
 * Crossentropies use numerically stable forms: probabilities are clipped to
 * [eps, 1 − eps] (eps = 1e-7), categorical crossentropy on logits uses the
 * fused `softmaxCrossEntropy`, binary on logits `softplus(z) − y·z`.
 *
 * Names accept camelCase and Keras snake_case ('mse', 'categorical_crossentropy').
 * Who may import this: models, callbacks, user code. It uses ops only.
 */
import { nameTable, resolve } from './config/resolve.js';
import type { SerializedObject } from './config/types.js';
import { add, clip, div, log, minimum, mul, neg, softplus, sub, abs, square, sum, mean, oneHot, reshape, softmaxCrossEntropy, squaredDistance, toFloat } from './ops/index.js';
import { fmt, sizeOf } from './tensor/shape.js';
import { Tensor } from './tensor/tensor.js';

/** Backend epsilon used to clip probabilities (Keras `backend.epsilon()`). */
export const EPSILON = 1e-7;

export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';

export interface LossArgs {
  /** Name used in configs and errors. */
  name?: string;
  /** Default 'sum_over_batch_size'. */
  reduction?: Reduction;
}

/**
 * Reshapes labels to the prediction's rank when they differ by a trailing
 * size-1 axis (Keras `squeeze_or_expand_to_same_rank`), then checks shapes.
 */
export function alignLabels(yTrue: Tensor, yPred: Tensor, who: string): Tensor {
  let y = yTrue;
  if (y.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) y = reshape(y, [...y.shape, 1]);
  else if (y.rank === yPred.rank + 1 && y.shape[y.rank - 1] === 1) y = reshape(y, y.shape.slice(0, -1));
  if (y.rank !== yPred.rank || y.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(`${who}: labels of shape ${fmt(yTrue.shape)} do not match predictions of shape ${fmt(yPred.shape)}`);
  }
  return y;
}

/** Sample weights [batch] (or [batch, 1]) broadcast against per-sample losses [batch, ...]. */
function weightLike(sw: Tensor, values: Tensor, who: string): Tensor {
  const w = toFloat(sw);
  if (w.size === values.size) return reshape(w, values.shape);
  const batch = values.shape[0];
  if (values.rank === 0 || w.size !== batch) {
    throw new Error(`${who}: sample weights of shape ${fmt(sw.shape)} do not fit per-sample losses of shape ${fmt(values.shape)}`);
  }
  return reshape(w, [batch, ...values.shape.slice(1).map(() => 1)]);
}

/** Applies sample weights and a reduction to per-sample loss values. */
export function reduceLoss(values: Tensor, sampleWeight: Tensor | undefined, reduction: Reduction, who: string): Tensor {
  const v = sampleWeight ? mul(values, weightLike(sampleWeight, values, who)) : values;
  if (reduction === 'none') return v;
  const s = sum(v);
  return reduction === 'sum' ? s : div(s, Math.max(sizeOf(v.shape), 1));
}

/** Base class: subclasses implement `perSample`; `call` applies weights and reduction. */
export abstract class Loss {
  /** Keras class name, e.g. 'MeanSquaredError'. */
  abstract readonly className: string;
  readonly name: string;
  readonly reduction: Reduction;

  constructor(args: LossArgs, defaultName: string) {
    this.name = args.name ?? defaultName;
    this.reduction = args.reduction ?? 'sum_over_batch_size';
    if (!['sum_over_batch_size', 'sum', 'none'].includes(this.reduction)) {
      throw new Error(`${this.name}: reduction must be 'sum_over_batch_size', 'sum' or 'none', got '${String(this.reduction)}'`);
    }
  }

  /** Per-sample losses: yTrue, yPred [batch, ..., d] → [batch, ...]. */
  abstract perSample(yTrue: Tensor, yPred: Tensor): Tensor;

  /** The reduced loss (a scalar unless reduction is 'none'). */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return reduceLoss(this.perSample(yTrue, yPred), sampleWeight, this.reduction, this.name);
  }

  /**
   * Checks a whole label set against the model's output shape before training
   * (shapes, label ranges) and throws an error naming the problem.
   * `outputShape` excludes nothing: [batch|null, ...].
   */
  checkLabels(yTrue: Tensor, outputShape: readonly (number | null)[]): void {
    const out = outputShape.slice(1);
    const lab = yTrue.shape.slice(1);
    const same = lab.length === out.length && lab.every((d, i) => out[i] === null || d === out[i]);
    const plusOne = lab.length === out.length + 1 && lab[lab.length - 1] === 1 && out.every((d, i) => d === null || d === lab[i]);
    const minusOne = lab.length === out.length - 1 && out[out.length - 1] === 1 && lab.every((d, i) => out[i] === null || d === out[i]);
    if (!same && !plusOne && !minusOne) {
      throw new Error(`${this.name}: labels of shape ${fmt(yTrue.shape)} do not match the model output shape ${fmtShape(outputShape)}`);
    }
  }

  protected lossConfig(): Record<string, unknown> {
    return {};
  }

  getConfig(): SerializedObject {
    return { class_name: this.className, config: { name: this.name, reduction: this.reduction, ...this.lossConfig() } };
  }
}

export function fmtShape(s: readonly (number | null)[]): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** mean over the last axis of (y − ŷ)². */
export class MeanSquaredError extends Loss {
  readonly className = 'MeanSquaredError';
  constructor(args: LossArgs = {}) {
    super(args, 'mean_squared_error');
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return mean(square(sub(alignLabels(toFloat(yTrue), yPred, this.name), yPred)), -1);
  }
  /** Without sample weights the reduced loss is one fused op: Σ(y − ŷ)² / (count or last axis). */
  override call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    if (sampleWeight || this.reduction === 'none' || yPred.rank === 0) return super.call(yTrue, yPred, sampleWeight);
    const y = alignLabels(toFloat(yTrue), yPred, this.name);
    const perRow = yPred.shape[yPred.rank - 1]!;
    const divisor = this.reduction === 'sum' ? perRow : yPred.size;
    return squaredDistance(y, yPred, Math.max(divisor, 1));
  }
}

/** mean over the last axis of |y − ŷ|. */
export class MeanAbsoluteError extends Loss {
  readonly className = 'MeanAbsoluteError';
  constructor(args: LossArgs = {}) {
    super(args, 'mean_absolute_error');
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return mean(abs(sub(alignLabels(toFloat(yTrue), yPred, this.name), yPred)), -1);
  }
}

export interface HuberArgs extends LossArgs {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** e = ŷ − y: 0.5e² if |e| ≤ δ else δ|e| − 0.5δ²; mean over the last axis. */
export class Huber extends Loss {
  readonly className = 'Huber';
  readonly delta: number;
  constructor(args: HuberArgs = {}) {
    super(args, 'huber_loss');
    this.delta = args.delta ?? 1;
    if (!(this.delta > 0) || !Number.isFinite(this.delta)) throw new Error(`huber: delta must be a positive number, got ${args.delta}`);
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    const a = abs(sub(yPred, alignLabels(toFloat(yTrue), yPred, this.name)));
    const quadratic = minimum(a, this.delta);
    const linear = sub(a, quadratic);
    return mean(add(mul(square(quadratic), 0.5), mul(linear, this.delta)), -1);
  }
  protected override lossConfig(): Record<string, unknown> {
    return { delta: this.delta };
  }
}

export interface CrossentropyArgs extends LossArgs {
  /** True if predictions are logits rather than probabilities. */
  fromLogits?: boolean;
  /** Labels move towards uniform: y(1 − ls) + ls/K (binary: + 0.5·ls). */
  labelSmoothing?: number;
}

function checkSmoothing(ls: number, who: string): number {
  if (!(ls >= 0 && ls <= 1)) throw new Error(`${who}: labelSmoothing must be in [0, 1], got ${ls}`);
  return ls;
}

function valuesOf(t: Tensor): ArrayLike<number> {
  return t.data;
}

/** −[y log p + (1−y) log(1−p)], mean over the last axis. */
export class BinaryCrossentropy extends Loss {
  readonly className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: CrossentropyArgs = {}) {
    super(args, 'binary_crossentropy');
    this.fromLogits = args.fromLogits ?? false;
    this.labelSmoothing = checkSmoothing(args.labelSmoothing ?? 0, this.name);
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    let y = alignLabels(toFloat(yTrue), yPred, this.name);
    if (this.labelSmoothing > 0) y = add(mul(y, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing);
    if (this.fromLogits) return mean(sub(softplus(yPred), mul(y, yPred)), -1);
    const p = clip(yPred, EPSILON, 1 - EPSILON);
    const oneMinusY = sub(1, y);
    return mean(neg(add(mul(y, log(p)), mul(oneMinusY, log(sub(1, p))))), -1);
  }
  override checkLabels(yTrue: Tensor, outputShape: readonly (number | null)[]): void {
    super.checkLabels(yTrue, outputShape);
    const v = valuesOf(yTrue);
    for (let i = 0; i < v.length; i++) {
      if (!(v[i]! >= 0 && v[i]! <= 1)) {
        throw new Error(`${this.name}: labels must be in [0, 1], got ${v[i]} at index ${i}; for class indices use sparseCategoricalCrossentropy`);
      }
    }
  }
  protected override lossConfig(): Record<string, unknown> {
    return { from_logits: this.fromLogits, label_smoothing: this.labelSmoothing };
  }
}

/** −Σ y log p over the last axis (probabilities renormalised and clipped), or −Σ y·logSoftmax(z). */
export class CategoricalCrossentropy extends Loss {
  readonly className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: CrossentropyArgs = {}) {
    super(args, 'categorical_crossentropy');
    this.fromLogits = args.fromLogits ?? false;
    this.labelSmoothing = checkSmoothing(args.labelSmoothing ?? 0, this.name);
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    let y = alignLabels(toFloat(yTrue), yPred, this.name);
    const k = yPred.shape[yPred.rank - 1]!;
    if (this.labelSmoothing > 0) y = add(mul(y, 1 - this.labelSmoothing), this.labelSmoothing / k);
    return categoricalFromLabels(y, yPred, this.fromLogits);
  }
  override checkLabels(yTrue: Tensor, outputShape: readonly (number | null)[]): void {
    const k = outputShape[outputShape.length - 1];
    if (k === 1) throw new Error(`${this.name}: the model has 1 output unit; categorical crossentropy needs one unit per class (≥ 2) — for two classes with one sigmoid unit use binaryCrossentropy`);
    const last = yTrue.shape[yTrue.rank - 1];
    if (yTrue.rank < outputShape.length || (last === 1 && k !== 1)) {
      throw new Error(`${this.name}: labels of shape ${fmt(yTrue.shape)} look like class indices but the model outputs ${fmtShape(outputShape)}; use sparseCategoricalCrossentropy for integer labels or one-hot encode them`);
    }
    super.checkLabels(yTrue, outputShape);
  }
  protected override lossConfig(): Record<string, unknown> {
    return { from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: -1 };
  }
}

/** Shared by categorical and sparse categorical: y one-hot/smoothed, same shape as yPred. */
function categoricalFromLabels(y: Tensor, yPred: Tensor, fromLogits: boolean): Tensor {
  // Fused, stable −Σ y · logSoftmax(z).
  if (fromLogits) return softmaxCrossEntropy(yPred, y);
  const p = clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return neg(sum(mul(y, log(p)), -1));
}

/** Categorical crossentropy with integer class labels [batch] or [batch, 1] (int32 or float). */
export class SparseCategoricalCrossentropy extends Loss {
  readonly className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor(args: Omit<CrossentropyArgs, 'labelSmoothing'> = {}) {
    super(args, 'sparse_categorical_crossentropy');
    this.fromLogits = args.fromLogits ?? false;
    if ((args as CrossentropyArgs).labelSmoothing) {
      throw new Error(`${this.name}: labelSmoothing is not supported with integer labels (as in Keras); one-hot encode the labels and use categoricalCrossentropy`);
    }
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    const k = yPred.shape[yPred.rank - 1]!;
    let labels = yTrue;
    if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, labels.shape.slice(0, -1));
    if (labels.rank !== yPred.rank - 1 || labels.shape.some((d, i) => d !== yPred.shape[i])) {
      throw new Error(`${this.name}: labels of shape ${fmt(yTrue.shape)} do not match predictions ${fmt(yPred.shape)}; expected class indices of shape ${fmt(yPred.shape.slice(0, -1))}`);
    }
    const idx = classIndices(labels, k, this.name);
    return categoricalFromLabels(oneHot(idx, k), yPred, this.fromLogits);
  }
  override checkLabels(yTrue: Tensor, outputShape: readonly (number | null)[]): void {
    const k = outputShape[outputShape.length - 1];
    const squeezeOk = yTrue.rank === outputShape.length && yTrue.shape[yTrue.rank - 1] === 1;
    if (yTrue.rank !== outputShape.length - 1 && !squeezeOk) {
      const hint = yTrue.rank === outputShape.length && yTrue.shape[yTrue.rank - 1] === k ? ' — these look one-hot; use categoricalCrossentropy' : '';
      throw new Error(`${this.name}: expects integer class indices of shape [batch] or [batch, 1], got labels of shape ${fmt(yTrue.shape)} for model output ${fmtShape(outputShape)}${hint}`);
    }
    if (typeof k === 'number') classIndices(yTrue, k, this.name);
  }
  protected override lossConfig(): Record<string, unknown> {
    return { from_logits: this.fromLogits, ignore_class: null };
  }
}

/** Validates integer class labels in [0, k) and returns them as int32. */
export function classIndices(labels: Tensor, k: number, who: string): Tensor {
  const v = labels.data;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new Error(`${who}: class label ${c} at index ${i} is not an integer in [0, ${k}) (the model has ${k} output units)`);
    }
    out[i] = c;
  }
  return new Tensor(labels.shape, 'int32', out);
}

/** A user loss function (yTrue, yPred) → per-sample or scalar values, reduced as Keras does. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Wraps a user function as a Loss (values are reduced with sum_over_batch_size). */
export class LossFunctionWrapper extends Loss {
  readonly className = 'LossFunctionWrapper';
  constructor(readonly fn: LossFunction, args: LossArgs = {}) {
    super(args, fn.name || 'custom_loss');
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    const v = this.fn(yTrue, yPred);
    if (!(v instanceof Tensor)) throw new Error(`${this.name}: a loss function must return a Tensor, got ${typeof v}`);
    return v;
  }
  override checkLabels(): void {}
}

export const meanSquaredError = (args?: LossArgs): MeanSquaredError => new MeanSquaredError(args);
export const meanAbsoluteError = (args?: LossArgs): MeanAbsoluteError => new MeanAbsoluteError(args);
export const huber = (args?: HuberArgs | number): Huber => new Huber(typeof args === 'number' ? { delta: args } : args);
export const binaryCrossentropy = (args?: CrossentropyArgs): BinaryCrossentropy => new BinaryCrossentropy(args);
export const categoricalCrossentropy = (args?: CrossentropyArgs): CategoricalCrossentropy => new CategoricalCrossentropy(args);
export const sparseCategoricalCrossentropy = (args?: Omit<CrossentropyArgs, 'labelSmoothing'>): SparseCategoricalCrossentropy =>
  new SparseCategoricalCrossentropy(args);

/** The loss factories: `losses.categoricalCrossentropy({ fromLogits: true })`. */
export const losses = { meanSquaredError, meanAbsoluteError, huber, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy };

type LossKind = 'mse' | 'mae' | 'huber' | 'bce' | 'cce' | 'scce';
const LOSS_MAKERS = {
  mse: () => new MeanSquaredError(),
  mae: () => new MeanAbsoluteError(),
  huber: () => new Huber(),
  bce: () => new BinaryCrossentropy(),
  cce: () => new CategoricalCrossentropy(),
  scce: () => new SparseCategoricalCrossentropy(),
} satisfies Record<LossKind, () => Loss>;

/** Accepted names (the one name rule: '_' and case ignored): camelCase, snake_case, class names, Keras abbreviations. */
const LOSS_NAMES = nameTable<LossKind>('getLoss', 'loss', {
  mse: 'mse', meanSquaredError: 'mse',
  mae: 'mae', meanAbsoluteError: 'mae',
  huber: 'huber', huberLoss: 'huber',
  binaryCrossentropy: 'bce', categoricalCrossentropy: 'cce', sparseCategoricalCrossentropy: 'scce',
}, { known: 'meanSquaredError (mse), meanAbsoluteError (mae), huber, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy (snake_case accepted)' });

export type LossIdentifier = string | Loss | LossFunction | SerializedObject;

/** Resolves a loss name, a Loss, a user function or a {class_name, config}. */
export function getLoss(id: LossIdentifier): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new LossFunctionWrapper(id);
  if (typeof id === 'object' && id !== null && 'class_name' in id) return lossFromConfig(id);
  if (typeof id !== 'string') throw new Error(`getLoss: expected a loss name, Loss object or function, got ${JSON.stringify(id)}`);
  return LOSS_MAKERS[resolve(LOSS_NAMES, id)]();
}

/** Rebuilds a loss from its {class_name, config}. */
export function lossFromConfig(s: SerializedObject): Loss {
  const c = s.config ?? {};
  const base: LossArgs = {};
  if (typeof c['name'] === 'string') base.name = c['name'];
  if (typeof c['reduction'] === 'string') base.reduction = c['reduction'] as Reduction;
  const ce = { ...base, fromLogits: c['from_logits'] === true, labelSmoothing: Number(c['label_smoothing'] ?? 0) };
  switch (s.class_name) {
    case 'MeanSquaredError': return new MeanSquaredError(base);
    case 'MeanAbsoluteError': return new MeanAbsoluteError(base);
    case 'Huber': return new Huber({ ...base, delta: Number(c['delta'] ?? 1) });
    case 'BinaryCrossentropy': return new BinaryCrossentropy(ce);
    case 'CategoricalCrossentropy': return new CategoricalCrossentropy(ce);
    case 'SparseCategoricalCrossentropy': return new SparseCategoricalCrossentropy({ ...base, fromLogits: ce.fromLogits });
    default: return getLoss(s.class_name);
  }
}
