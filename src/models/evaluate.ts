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
import { nearest } from '../config/resolve.js';
import { checkFinite, checkInput, checkSameBatch, checkTensor, rowView, rowViews } from './data.js';
import { testStep, trainStep, type Arrays, type StepModel } from './steps.js';

/** What evaluate/predict need from a model. */
export interface EvalModel extends StepModel {
  /** Builds from the input shapes if needed; returns the input and output shapes. */
  ensureBuilt(xs: readonly Tensor[], who: string): { inputs: Shape[]; outputs: Shape[] };
  requireCompiled(who: string): Compiled;
  /** Input names (of the input layers) in model order: keys of `x` given as an object. */
  readonly inputNames: readonly string[];
  /** Output names (of the layers that make them) in model order: keys of `y` given as an object. */
  readonly outputNames: readonly string[];
}

/** Model data: one tensor, a list in model order, or an object keyed by input/output name. */
export type ModelData = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

/**
 * The tensors of `v` in model order. `names` are the model's inputs or
 * outputs; one tensor is allowed only when there is one name. Errors name
 * what is missing or unknown.
 */
export function dataList(v: unknown, names: readonly string[], what: string): Tensor[] {
  if (v instanceof Tensor) {
    if (names.length !== 1) throw new Error(`${what} is one tensor, but the model has ${names.length} (${names.map((n) => `'${n}'`).join(', ')}); pass a list in that order or an object keyed by those names`);
    return [v];
  }
  if (Array.isArray(v)) {
    // A nested number array for a one-input model is the classic mistake: say "wrap it with tensor()".
    if (names.length === 1 && !v.every((t) => t instanceof Tensor)) checkTensor(v, what);
    if (v.length !== names.length) throw new Error(`${what} is a list of ${v.length} tensors, but the model has ${names.length} (${names.map((n) => `'${n}'`).join(', ')})`);
    v.forEach((t, i) => checkTensor(t, `${what}[${i}]`));
    return [...(v as Tensor[])];
  }
  if (typeof v === 'object' && v !== null) {
    const rec = v as Record<string, unknown>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new Error(`${what} has key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}, but the model's names are ${names.map((n) => `'${n}'`).join(', ')}`);
    return names.map((n) => {
      if (!(n in rec)) throw new Error(`${what} has no tensor for '${n}'; give one for each of ${names.map((x) => `'${x}'`).join(', ')}`);
      checkTensor(rec[n], `${what}.${n}`);
      return rec[n] as Tensor;
    });
  }
  checkTensor(v, what);
  return [v];
}

export interface EvaluateArgs {
  /** Default 32. */
  batchSize?: number;
  /** One weight per sample, shape [n]. */
  sampleWeight?: Tensor;
  /** Accepted for TF.js/Keras code; evaluate prints nothing. */
  verbose?: 0 | 1 | 2;
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

/**
 * Rejects option keys `who` does not know, naming the nearest valid one
 * (`fit: unknown option 'epoch' (did you mean 'epochs'?)`), as layers do.
 * `unsupported` lists TF.js/Keras options Regula does not have, with why.
 */
export function checkOptionKeys(args: unknown, valid: readonly string[], who: string, unsupported: Readonly<Record<string, string>> = {}): void {
  if (args === undefined) return;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error(`${who}: options must be an object, got ${showArg(args)}`);
  for (const k of Object.keys(args)) {
    if (valid.includes(k)) continue;
    if (k in unsupported) throw new Error(`${who}: option '${k}' is not supported: ${unsupported[k]}`);
    const near = nearest(k, valid);
    throw new Error(`${who}: unknown option '${k}'${near ? ` (did you mean '${near}'?)` : ''}; valid options: ${valid.join(', ')}`);
  }
}

export const EVALUATE_KEYS = ['batchSize', 'sampleWeight', 'verbose'];
export const PREDICT_KEYS = ['batchSize', 'verbose'];

export function checkBatchSize(b: number | undefined, who: string): number {
  const v = b ?? 32;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${who}: batchSize must be a positive integer, got ${showArg(b)}`);
  return v;
}

/** Checks every input tensor (shape against the model, finite values). */
function checkInputs(xs: readonly Tensor[], shapes: readonly Shape[], names: readonly string[], who: string, finite: boolean): void {
  xs.forEach((x, i) => {
    const what = xs.length > 1 ? `${who}: x.${names[i]}` : `${who}: x`;
    checkInput(x, shapes[i], what);
    if (finite) checkFinite(x, what);
  });
  const n = xs[0]!.shape[0];
  xs.forEach((x, i) => {
    if (x.shape[0] !== n) throw new Error(`${who}: input '${names[i]}' has ${x.shape[0]} samples but '${names[0]}' has ${n}; every input needs the same number of rows`);
  });
}

/** Validates x/y/sampleWeight for a compiled model and resolves metrics; returns them in model order. */
export function prepareXY(model: EvalModel, x: unknown, y: unknown, sw: Tensor | undefined, who: string): { compiled: Compiled; xs: Tensor[]; ys: Tensor[] } {
  const compiled = model.requireCompiled(who);
  const xs = dataList(x, model.inputNames, `${who}: x`);
  const ys = dataList(y, model.outputNames, `${who}: y`);
  if (sw !== undefined) checkTensor(sw, `${who}: sampleWeight`);
  ys.forEach((yi) => checkSameBatch(xs[0]!, yi, who, sw));
  const { inputs, outputs } = model.ensureBuilt(xs, who);
  checkInputs(xs, inputs, model.inputNames, who, true);
  ys.forEach((yi, i) => checkFinite(yi, ys.length > 1 ? `${who}: y.${model.outputNames[i]}` : `${who}: y`));
  if (sw) checkFinite(sw, `${who}: sampleWeight`);
  compiled.heads.forEach((h, i) => h.loss.checkLabels(ys[i]!, outputs[i]!));
  compiled.resolveMetrics(ys, outputs);
  return { compiled, xs, ys };
}

/** Loss (incl. penalties) and metrics over the data, batch-size-weighted. Assumes inputs were prepared. */
export function evaluateBatches(model: EvalModel, compiled: Compiled, data: Arrays, batchSize: number): Record<string, number> {
  compiled.reset();
  const n = data.xs[0]!.shape[0]!;
  // Consecutive batches are views of the arrays' rows: the same values as gathering them, without the copy.
  for (let s = 0; s < n; s += batchSize) testStep(model, compiled, rowViews(data, s, Math.min(s + batchSize, n)), null);
  return compiled.logs();
}

/** model.evaluate: {loss, ...metrics} with loss including every penalty. */
export function evaluate(model: EvalModel, x: ModelData, y: ModelData, args: EvaluateArgs = {}): Record<string, number> {
  checkOptionKeys(args, EVALUATE_KEYS, 'evaluate', { steps: 'evaluate takes tensors; give all rows' });
  const batchSize = checkBatchSize(args.batchSize, 'evaluate');
  const { compiled, xs, ys } = prepareXY(model, x, y, args.sampleWeight, 'evaluate');
  return evaluateBatches(model, compiled, { xs, ys, sw: args.sampleWeight }, batchSize);
}

/** Concatenates batch outputs along rows. */
function concatRows(parts: readonly Tensor[], n: number): Tensor {
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

/** model.predict: outputs for every row of x, in batches, training=false; one tensor per output. */
export function predict(model: EvalModel, x: ModelData, args: { batchSize?: number; verbose?: 0 | 1 | 2 } = {}): Tensor[] {
  checkOptionKeys(args, PREDICT_KEYS, 'predict', { steps: 'predict takes tensors; give all rows' });
  const batchSize = checkBatchSize(args.batchSize, 'predict');
  const xs = dataList(x, model.inputNames, 'predict: x');
  const { inputs } = model.ensureBuilt(xs, 'predict');
  checkInputs(xs, inputs, model.inputNames, 'predict', false);
  const n = xs[0]!.shape[0]!;
  if (n === 0) throw new Error(`predict: x has no rows (shape [${xs[0]!.shape.join(',')}])`);
  const parts: Tensor[][] = model.outputNames.map(() => []);
  for (let s = 0; s < n; s += batchSize) {
    const end = Math.min(s + batchSize, n);
    stepScope(() => {
      const ys = model.forward(xs.map((t) => rowView(t, s, end)), false);
      ys.forEach((y, i) => parts[i]!.push(keep(y)));
      model.clearActivityLosses();
    });
  }
  return parts.map((p) => concatRows(p, n));
}

/** model.trainOnBatch: one optimizer step on (x, y); returns this batch's {loss, ...metrics}. */
export function trainOnBatch(model: EvalModel, x: ModelData, y: ModelData, rng: Rng, sampleWeight?: Tensor): Record<string, number> {
  const { compiled, xs, ys } = prepareXY(model, x, y, sampleWeight, 'trainOnBatch');
  compiled.reset();
  trainStep(model, compiled, { xs, ys, sw: sampleWeight }, null, rng);
  return compiled.logs();
}
