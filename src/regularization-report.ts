/**
 * `regularizationReport(model)`: what regularization is doing to each layer,
 * right now — the penalties it adds to the loss and how large its weights are.
 *
 * Per layer:
 * - `weightPenalty`: Σ regularizer(w) over its trainable regularized weights
 *   (recomputed now), `activityPenalty`: its activity penalty (divided by the
 *   batch size) on `opts.x` run in inference mode — or, without `x`, from the
 *   layer's most recent forward pass (fit/evaluate/predict clear theirs, so 0
 *   then), `penalty`: both;
 * - `unitNorms` {min, mean, max, count}: the L2 norm of each unit's weights in
 *   the kernel (Dense `[in, out]` → one norm per output unit over axis 0;
 *   Conv1D `[k, in, out]` → one per filter over axes [0, 1]; Embedding → one
 *   per token row). When the kernel has a norm constraint, its own `axis` is
 *   used instead, so the numbers are the ones the constraint bounds;
 * - `maxNorm` {limit, atLimit, fraction}: with a maxNorm kernel constraint,
 *   how many units sit at the limit (norm ≥ limit·(1 − 1e-3)) — the max-norm
 *   "pressure": near 1, the constraint is doing the regularizing.
 *
 * Functional models: the layers of nested models (a Model or Sequential
 * called inside the graph) are listed in place of the nested model, each
 * layer once however often it is called, with `model` naming the nested
 * model(s) that hold it; input layers are left out. A shared layer's activity
 * penalty sums its calls. Inside a model whose `trainable` is false the weight
 * penalty is 0, as in the training loss (Keras freezes a model's layers with
 * it). `opts.x` takes what `predict` takes: a tensor, a list in input order,
 * or an object keyed by input name.
 *
 * Browser-safe: reads weights through ops only.
 */
import { noGrad } from './autograd/tape.js';
import { MaxNorm, MinMaxNorm, UnitNorm, type ConstraintAxis } from './constraints.js';
import type { Constraint, Layer, Regularizer } from './layers/layer.js';
import { sum } from './ops/reduce.js';
import { sqrt, square } from './ops/unary.js';
import { Tensor } from './tensor/tensor.js';
import type { Variable } from './tensor/variable.js';
import { Model } from './models/model.js';
import { dataList, type ModelData } from './models/evaluate.js';

/** Summary of per-unit norms. */
export interface UnitNorms {
  min: number;
  mean: number;
  max: number;
  /** Number of units. */
  count: number;
}

/** One layer's row of the report. */
export interface LayerRegularization {
  /** Layer name, e.g. 'dense_1'. */
  layer: string;
  className: string;
  /** weightPenalty + activityPenalty. */
  penalty: number;
  weightPenalty: number;
  activityPenalty: number;
  /** Per-unit kernel norms (layers with a kernel/embeddings weight only). */
  unitNorms?: UnitNorms;
  /** Max-norm pressure, when the kernel has a maxNorm constraint. */
  maxNorm?: { limit: number; atLimit: number; fraction: number };
  /** Compact description, e.g. 'kernel l2(0.001), kernel maxNorm(3), dropout 0.5'. Absent when none. */
  regularization?: string;
  /** The nested model(s) holding this layer, outermost first, joined by '/' (e.g. 'encoder'). Absent for the model's own layers. */
  model?: string;
}

/** A Model or Sequential, or anything with a list of layers (`apply` is then needed for `opts.x`). */
export interface HasLayers {
  readonly layers: readonly Layer[];
  apply?(x: Tensor, opts?: { training?: boolean }): Tensor;
}

export interface ReportOptions {
  /**
   * Inputs to measure activity penalties on (one inference-mode pass, one
   * batch): a tensor, or for a model with several inputs a list in input
   * order or an object keyed by input name.
   */
  x?: ModelData;
}

const AT_LIMIT_TOLERANCE = 1e-3;

/** Short text for a regularizer: 'l2(0.001)', 'l1l2(0.01, 0.01)', 'orthogonal(0.01)', or its registered name. */
export function describeRegularizer(r: Regularizer): string {
  let cfg;
  try {
    cfg = r.getConfig();
  } catch {
    const fn = (r as { fn?: { name?: string } }).fn;
    return fn?.name ? `${fn.name}()` : 'custom()';
  }
  const c = cfg.config as Record<string, number | string>;
  switch (cfg.class_name) {
    case 'L1L2': {
      const l1 = Number(c['l1'] ?? 0);
      const l2 = Number(c['l2'] ?? 0);
      if (l1 > 0 && l2 > 0) return `l1l2(${l1}, ${l2})`;
      if (l1 > 0) return `l1(${l1})`;
      return l2 > 0 ? `l2(${l2})` : 'l1l2(0, 0)';
    }
    case 'OrthogonalRegularizer':
      return `orthogonal(${c['factor']}${c['mode'] === 'columns' ? ', columns' : ''})`;
    default:
      return `${cfg.class_name}()`;
  }
}

/** Short text for a constraint: 'maxNorm(3)', 'nonNeg', 'unitNorm', 'minMaxNorm(0, 1)', or its registered name. */
export function describeConstraint(c: Constraint): string {
  if (c instanceof MaxNorm) return `maxNorm(${c.maxValue})`;
  if (c instanceof MinMaxNorm) return `minMaxNorm(${c.minValue}, ${c.maxValue}${c.rate !== 1 ? `, rate ${c.rate}` : ''})`;
  if (c instanceof UnitNorm) return 'unitNorm';
  try {
    const name = c.getConfig().class_name;
    return name === 'NonNeg' ? 'nonNeg' : name;
  } catch {
    return 'custom';
  }
}

function kernelOf(layer: Layer): Variable | undefined {
  return layer.weights.find((w) => w.name.endsWith('/kernel') || w.name.endsWith('/embeddings'));
}

function normAxes(w: Variable): ConstraintAxis {
  const c = w.constraint;
  if (c instanceof MaxNorm || c instanceof UnitNorm || c instanceof MinMaxNorm) return c.axis;
  if (w.name.endsWith('/embeddings')) return [w.rank - 1];
  return Array.from({ length: Math.max(w.rank - 1, 1) }, (_, i) => i);
}

/** The L2 norm of each unit of `w`, norms taken over `axis` (Keras constraint semantics). */
export function unitNormsOf(w: Variable, axis: ConstraintAxis = normAxes(w)): Float32Array {
  return noGrad(() => Float32Array.from(sqrt(sum(square(w.read()), axis, false)).data));
}

function summarize(norms: Float32Array): UnitNorms {
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  for (const n of norms) {
    min = Math.min(min, n);
    max = Math.max(max, n);
    total += n;
  }
  return { min, mean: norms.length ? total / norms.length : NaN, max, count: norms.length };
}

/**
 * One layer's penalties, norms and description. `frozen`: the layer sits in a
 * model whose `trainable` is false, so its weights add no penalty.
 */
export function layerRegularization(layer: Layer, opts: { frozen?: boolean } = {}): LayerRegularization {
  return noGrad(() => {
    let weightPenalty = 0;
    const parts: string[] = [];
    for (const w of layer.weights) {
      const short = w.name.slice(w.name.lastIndexOf('/') + 1);
      if (w.regularizer) {
        parts.push(`${short} ${describeRegularizer(w.regularizer as Regularizer)}`);
        if (w.trainable && layer.trainable && !opts.frozen) weightPenalty += w.regularizer.apply(w).item();
      }
      if (w.constraint) parts.push(`${short} ${describeConstraint(w.constraint as Constraint)}`);
    }
    const activityPenalty = layer.activityPenalties.reduce((s, t) => s + t.item(), 0);
    if (layer.activityRegularizer && layer.className !== 'ActivityRegularization') parts.push(`activity ${describeRegularizer(layer.activityRegularizer)}`);
    const rate = (layer as { rate?: unknown }).rate;
    const stddev = (layer as { stddev?: unknown }).stddev;
    const snake = layer.className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (layer.className === 'ActivityRegularization') parts.push(`activity ${describeRegularizer(layer.activityRegularizer!)}`);
    else if (typeof rate === 'number' && /dropout/i.test(layer.className)) parts.push(`${snake} ${rate}`);
    else if (typeof stddev === 'number' && layer.className === 'GaussianNoise') parts.push(`gaussian_noise ${stddev}`);
    const row: LayerRegularization = {
      layer: layer.name,
      className: layer.className,
      penalty: weightPenalty + activityPenalty,
      weightPenalty,
      activityPenalty,
    };
    const kernel = kernelOf(layer);
    if (kernel) {
      const norms = unitNormsOf(kernel);
      row.unitNorms = summarize(norms);
      if (kernel.constraint instanceof MaxNorm) {
        const limit = kernel.constraint.maxValue;
        let atLimit = 0;
        for (const n of norms) if (n >= limit * (1 - AT_LIMIT_TOLERANCE)) atLimit++;
        row.maxNorm = { limit, atLimit, fraction: norms.length ? atLimit / norms.length : 0 };
      }
    }
    if (parts.length) row.regularization = parts.join(', ');
    return row;
  });
}

/** A model's layers with nested models' layers in their place, each once, input layers left out. */
function flatLayers(model: HasLayers): { layer: Layer; frozen: boolean; within: string[] }[] {
  const out: { layer: Layer; frozen: boolean; within: string[] }[] = [];
  const seen = new Set<Layer>();
  const walk = (ls: readonly Layer[], frozen: boolean, within: string[]): void => {
    for (const l of ls) {
      if (seen.has(l) || l.className === 'InputLayer') continue;
      seen.add(l);
      if (l instanceof Model) walk(l.layers, frozen || !l.trainable, within.concat(l.name));
      else out.push({ layer: l, frozen, within });
    }
  };
  walk(model.layers, model instanceof Model && !model.trainable, []);
  return out;
}

/**
 * Every layer's regularization state (nested models' layers flattened in).
 * @example
 * for (const r of regularizationReport(model, { x: xVal })) console.log(r.layer, r.penalty, r.unitNorms?.max, r.maxNorm?.fraction);
 * regularizationReport(twoInputModel, { x: { numbers: xNum, tokens: xTok } });
 */
export function regularizationReport(model: HasLayers, opts: ReportOptions = {}): LayerRegularization[] {
  if (opts.x !== undefined) {
    if (model instanceof Model) {
      const xs = dataList(opts.x, model.inputNames, 'regularizationReport: x');
      noGrad(() => model.forward(xs, false));
    } else {
      if (!model.apply) throw new Error('regularizationReport: opts.x needs a model with apply(x) (a Sequential or Model)');
      if (!(opts.x instanceof Tensor)) throw new Error('regularizationReport: opts.x must be one tensor for a model that is not a Model');
      const x = opts.x;
      noGrad(() => model.apply!(x, { training: false }));
    }
  }
  return flatLayers(model).map(({ layer, frozen, within }) => {
    const row = layerRegularization(layer, { frozen });
    if (within.length > 0) row.model = within.join('/');
    return row;
  });
}
