/**
 * One training step and one test step, each inside a step scope so that every
 * intermediate tensor is released when it ends: they return plain numbers and
 * update the streaming metrics in place.
 *
 * total loss = compiled loss (sample-weighted) + Σ model.losses (weight
 * penalties + activity penalties of this forward pass) — in training AND in
 * evaluation (Keras ≥ 3.14, docs/semantics.md §1.3).
 */
import { valueAndGrad } from '../autograd/grad.js';
import { add, stepScope, sum } from '../ops/index.js';
import type { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Metric } from '../metrics.js';
import type { Compiled } from './compile.js';
import { maybeRows, takeRows } from './data.js';

/** Arrays of a dataset; a step takes its batch rows inside its scope. */
export interface Arrays {
  x: Tensor;
  y: Tensor;
  sw: Tensor | undefined;
}

function rows(d: Arrays, idx: Int32Array | null): Arrays {
  return idx ? { x: takeRows(d.x, idx), y: takeRows(d.y, idx), sw: maybeRows(d.sw, idx) } : d;
}

/** What the steps need from a model. */
export interface StepModel {
  /** Runs every layer (clearing activity penalties first). */
  forward(x: Tensor, training: boolean, rng?: Rng): Tensor;
  /** Weight penalties (recomputed) + activity penalties of the last forward pass. */
  readonly losses: Tensor[];
  readonly trainableWeights: Variable[];
  /** Drops activity penalties (their buffers end with the step scope). */
  clearActivityLosses(): void;
}

/** Data loss + every penalty, as one scalar. */
export function totalLoss(compiled: Compiled, yTrue: Tensor, yPred: Tensor, sw: Tensor | undefined, penalties: readonly Tensor[]): Tensor {
  let total = compiled.loss.call(yTrue, yPred, sw);
  if (total.size !== 1) {
    throw new Error(`${compiled.loss.name}: the loss must reduce to a scalar to train, got ${total.size} values (reduction '${compiled.loss.reduction}')`);
  }
  for (const p of penalties) total = add(total, p.rank === 0 ? p : sum(p));
  return total;
}

/**
 * Batch rows `idx` of `data` (all rows if null):
 * forward (training=true), loss, gradients, optimizer update (with
 * constraints), metric and loss-tracker updates. Returns the batch's total loss.
 */
export function trainStep(model: StepModel, compiled: Compiled, metrics: readonly Metric[], data: Arrays, idx: Int32Array | null, rng: Rng): number {
  return stepScope(() => {
    const { x, y, sw } = rows(data, idx);
    const vars = model.trainableWeights;
    let yPred: Tensor | undefined;
    const { value, grads } = valueAndGrad(() => {
      yPred = model.forward(x, true, rng);
      return totalLoss(compiled, y, yPred, sw, model.losses);
    }, vars);
    const loss = value.item();
    compiled.optimizer.applyGradients(grads, vars);
    for (const m of metrics) m.update(y, yPred!, sw);
    compiled.lossTracker.updateState(loss, x.shape[0]!);
    model.clearActivityLosses();
    return loss;
  });
}

/** Forward (training=false), loss incl. penalties, metric updates. Returns the batch's total loss. */
export function testStep(model: StepModel, compiled: Compiled, metrics: readonly Metric[], data: Arrays, idx: Int32Array | null): number {
  return stepScope(() => {
    const { x, y, sw } = rows(data, idx);
    const yPred = model.forward(x, false);
    const loss = totalLoss(compiled, y, yPred, sw, model.losses).item();
    for (const m of metrics) m.update(y, yPred, sw);
    compiled.lossTracker.updateState(loss, x.shape[0]!);
    model.clearActivityLosses();
    return loss;
  });
}
