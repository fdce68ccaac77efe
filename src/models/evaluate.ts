/**
 * evaluate / predict / trainOnBatch: batched loops over array inputs in
 * inference mode (training=false; trainOnBatch trains). Each batch runs in a
 * step scope; evaluate returns plain numbers, predict a fresh Tensor.
 */
import { keep, stepScope } from '../ops/index.js';
import type { Shape } from '../layers/layer.js';
import { Tensor } from '../tensor/tensor.js';
import type { Rng } from '../random.js';
import type { Compiled } from './compile.js';
import { checkFinite, checkInput, checkSameBatch, checkTensor, rowRange, takeRows } from './data.js';
import { testStep, trainStep, type StepModel } from './steps.js';

/** What evaluate/predict need from a model. */
export interface EvalModel extends StepModel {
  /** Builds from the input shape if needed; returns [inputShape, outputShape]. */
  ensureBuilt(x: Tensor, who: string): { input: Shape; output: Shape };
  requireCompiled(who: string): Compiled;
}

export interface EvaluateArgs {
  /** Default 32. */
  batchSize?: number;
  /** One weight per sample, shape [n]. */
  sampleWeight?: Tensor;
}

/** An argument value for an error message, with its type when that is not obvious: `"32" (a string)`. */
export function showArg(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`;
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `${JSON.stringify(v)} (an array)`;
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return `${text} (a ${typeof v})`;
}

export function checkBatchSize(b: number | undefined, who: string): number {
  const v = b ?? 32;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${who}: batchSize must be a positive integer, got ${showArg(b)}`);
  return v;
}

/** Validates x/y/sampleWeight for a compiled model and resolves metrics. */
export function prepareXY(model: EvalModel, x: unknown, y: unknown, sw: Tensor | undefined, who: string): { compiled: Compiled; output: Shape } {
  const compiled = model.requireCompiled(who);
  checkTensor(x, `${who}: x`);
  checkTensor(y, `${who}: y`);
  if (sw !== undefined) checkTensor(sw, `${who}: sampleWeight`);
  checkSameBatch(x, y, who, sw);
  const { input, output } = model.ensureBuilt(x, who);
  checkInput(x, input, `${who}: x`);
  checkFinite(x, `${who}: x`);
  checkFinite(y, `${who}: y`);
  if (sw) checkFinite(sw, `${who}: sampleWeight`);
  compiled.loss.checkLabels(y, output);
  compiled.metrics(y, output);
  return { compiled, output };
}

/** Loss (incl. penalties) and metrics over (x, y), batch-size-weighted. Assumes inputs were prepared. */
export function evaluateBatches(model: EvalModel, compiled: Compiled, x: Tensor, y: Tensor, sw: Tensor | undefined, batchSize: number): Record<string, number> {
  compiled.reset();
  const n = x.shape[0]!;
  for (let s = 0; s < n; s += batchSize) {
    testStep(model, compiled, compiled.current, { x, y, sw }, rowRange(s, Math.min(s + batchSize, n)));
  }
  return compiled.logs();
}

/** model.evaluate: {loss, ...metrics} with loss including every penalty. */
export function evaluate(model: EvalModel, x: Tensor, y: Tensor, args: EvaluateArgs = {}): Record<string, number> {
  const batchSize = checkBatchSize(args.batchSize, 'evaluate');
  const { compiled } = prepareXY(model, x, y, args.sampleWeight, 'evaluate');
  return evaluateBatches(model, compiled, x, y, args.sampleWeight, batchSize);
}

/** model.predict: outputs for every row of x, in batches, training=false. */
export function predict(model: EvalModel, x: Tensor, args: { batchSize?: number } = {}): Tensor {
  const batchSize = checkBatchSize(args.batchSize, 'predict');
  checkTensor(x, 'predict: x');
  const { input } = model.ensureBuilt(x, 'predict');
  checkInput(x, input, 'predict: x');
  const n = x.shape[0]!;
  const parts: Tensor[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const idx = rowRange(s, Math.min(s + batchSize, n));
    stepScope(() => {
      parts.push(keep(model.forward(takeRows(x, idx), false)));
      model.clearActivityLosses();
    });
  }
  if (parts.length === 0) throw new Error(`predict: x has no rows (shape [${x.shape.join(',')}])`);
  if (parts.length === 1) return parts[0]!;
  const rowShape = parts[0]!.shape.slice(1);
  const out = new Float32Array(parts.reduce((s, p) => s + p.size, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p.data, off);
    off += p.size;
  }
  return new Tensor([n, ...rowShape], 'float32', out);
}

/** model.trainOnBatch: one optimizer step on (x, y); returns this batch's {loss, ...metrics}. */
export function trainOnBatch(model: EvalModel, x: Tensor, y: Tensor, rng: Rng, sampleWeight?: Tensor): Record<string, number> {
  const { compiled, output } = prepareXY(model, x, y, sampleWeight, 'trainOnBatch');
  compiled.reset();
  trainStep(model, compiled, compiled.metrics(y, output), { x, y, sw: sampleWeight }, null, rng);
  return compiled.logs();
}
