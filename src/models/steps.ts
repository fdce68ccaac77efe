/**
 * One training step and one test step, each inside a step scope so that every
 * intermediate tensor is released when it ends: they return plain numbers and
 * update the streaming metrics in place.
 *
 * total loss = Σ over outputs of lossWeight · loss (sample-weighted)
 *            + Σ model.losses (weight penalties + activity penalties of this
 * forward pass) — in training AND in evaluation (Keras ≥ 3.14,
 * docs/semantics.md §1.3). Each output's unweighted loss is tracked too.
 */
import { valueAndGrad } from '../autograd/grad.js';
import { add, mul, stepScope, sum } from '../ops/index.js';
import type { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Compiled } from './compile.js';
import { maybeRows, takeRows } from './data.js';
import { stepProfiler } from './step-profile.js';

/** Arrays of a dataset (inputs and targets in model order); a step takes its batch rows inside its scope. */
export interface Arrays {
  xs: readonly Tensor[];
  ys: readonly Tensor[];
  sw: Tensor | undefined;
}

function rows(d: Arrays, idx: Int32Array | null): Arrays {
  return idx ? { xs: d.xs.map((x) => takeRows(x, idx)), ys: d.ys.map((y) => takeRows(y, idx)), sw: maybeRows(d.sw, idx) } : d;
}

/** What the steps need from a model. */
export interface StepModel {
  /** Runs the model on its inputs (clearing activity penalties first); one tensor per output. */
  forward(xs: readonly Tensor[], training: boolean, rng?: Rng): Tensor[];
  /** Weight penalties (recomputed) + activity penalties of the last forward pass. */
  readonly losses: Tensor[];
  readonly trainableWeights: Variable[];
  /** Drops activity penalties (their buffers end with the step scope). */
  clearActivityLosses(): void;
}

/** Weighted data losses + every penalty, as one scalar; also returns each output's unweighted loss. */
export function totalLoss(compiled: Compiled, ys: readonly Tensor[], preds: readonly Tensor[], sw: Tensor | undefined, penalties: readonly Tensor[]): { total: Tensor; perOutput: Tensor[] } {
  let total: Tensor | undefined;
  const perOutput = compiled.heads.map((h, i) => {
    const l = h.loss.call(ys[i]!, preds[i]!, sw);
    if (l.size !== 1) {
      throw new Error(`${h.loss.name}: the loss must reduce to a scalar to train, got ${l.size} values (reduction '${h.loss.reduction}')`);
    }
    const weighted = h.weight === 1 ? l : mul(l, h.weight);
    total = total ? add(total, weighted) : weighted;
    return l;
  });
  for (const p of penalties) total = add(total!, p.rank === 0 ? p : sum(p));
  return { total: total!, perOutput };
}

function track(compiled: Compiled, d: Arrays, preds: readonly Tensor[], loss: number, perOutput: readonly Tensor[]): void {
  const n = d.xs[0]!.shape[0]!;
  compiled.heads.forEach((h, i) => {
    for (const m of h.current) m.update(d.ys[i]!, preds[i]!, d.sw);
    if (compiled.heads.length > 1) h.lossTracker.updateState(perOutput[i]!.item(), n);
  });
  compiled.lossTracker.updateState(loss, n);
}

/**
 * Batch rows `idx` of `data` (all rows if null):
 * forward (training=true), loss, gradients, optimizer update (with
 * constraints), metric and loss-tracker updates. Returns the batch's total loss.
 */
export function trainStep(model: StepModel, compiled: Compiled, data: Arrays, idx: Int32Array | null, rng: Rng): number {
  return stepScope(() => {
    const prof = stepProfiler;
    prof?.enter('gather');
    const batch = rows(data, idx);
    prof?.leave();
    const vars = model.trainableWeights;
    let preds: Tensor[] = [];
    let perOutput: Tensor[] = [];
    prof?.enter('backward');
    const { value, grads } = valueAndGrad(() => {
      prof?.enter('forward');
      preds = model.forward(batch.xs, true, rng);
      prof?.leave();
      prof?.enter('penalties');
      const penalties = model.losses;
      prof?.leave();
      prof?.enter('loss');
      const t = totalLoss(compiled, batch.ys, preds, batch.sw, penalties);
      prof?.leave();
      perOutput = t.perOutput;
      return t.total;
    }, vars);
    prof?.leave();
    prof?.enter('metrics');
    const loss = value.item();
    prof?.leave();
    prof?.enter('optimizer');
    compiled.optimizer.applyGradients(grads, vars);
    prof?.leave();
    prof?.enter('metrics');
    track(compiled, batch, preds, loss, perOutput);
    prof?.leave();
    model.clearActivityLosses();
    return loss;
  });
}

/** Forward (training=false), loss incl. penalties, metric updates. Returns the batch's total loss. */
export function testStep(model: StepModel, compiled: Compiled, data: Arrays, idx: Int32Array | null): number {
  return stepScope(() => {
    const batch = rows(data, idx);
    const preds = model.forward(batch.xs, false);
    const t = totalLoss(compiled, batch.ys, preds, batch.sw, model.losses);
    const loss = t.total.item();
    track(compiled, batch, preds, loss, t.perOutput);
    model.clearActivityLosses();
    return loss;
  });
}
