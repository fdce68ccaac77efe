/**
 * `model.fitDataset` / `model.evaluateDataset` on Regula's `trainOnBatch` /
 * `evaluate`, as TF.js runs them: a dataset of batches (`{xs, ys}` or
 * `[xs, ys]`) is pulled one batch at a time, so an endless generator is
 * fine with `batchesPerEpoch`; each epoch's logs are the batch logs averaged
 * with batch sizes as weights (TF.js's rule); validation data is tensors or
 * a dataset; callbacks run in Keras order and may stop training.
 */
import { CallbackList, type Callback as CoreCallback, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { classSampleWeights } from '../models/data.js';
import type { ModelData } from '../models/evaluate.js';
import type { Model as CoreModel } from '../models/model.js';
import { scalar as coreScalar } from '../tensor/create.js';
import type { Tensor as CoreTensor } from '../tensor/tensor.js';
import { coreCallbacks, type CallbacksArg, type CallbackTarget } from './callbacks.js';
import type { Dataset, LazyIterator } from './data.js';
import type { TensorContainer } from './engine.js';
import { Tensor, wrap } from './tensor.js';
import { toData, type ClassWeight, type TensorOrArrayOrMap } from './model-data.js';

export interface ModelFitDatasetArgs<T extends TensorContainer> {
  /** Batches per epoch; without it an epoch runs until the dataset ends (a new iteration each epoch). */
  batchesPerEpoch?: number;
  epochs: number;
  /** Accepted; fitDataset prints nothing (as TF.js without tfjs-node). */
  verbose?: 0 | 1;
  callbacks?: CallbacksArg;
  validationData?: [TensorOrArrayOrMap, TensorOrArrayOrMap] | [TensorOrArrayOrMap, TensorOrArrayOrMap, Tensor] | Dataset<T>;
  /** Batch size for validation tensors (default 32). */
  validationBatchSize?: number;
  /** Batches drawn from a validation dataset (default: all). */
  validationBatches?: number;
  /** Accepted and ignored: fitDataset yields to the event loop about every 20 ms. */
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
  initialEpoch?: number;
  classWeight?: ClassWeight;
}

export interface ModelEvaluateDatasetArgs {
  /** Batches to draw (default: until the dataset ends). */
  batches?: number;
  verbose?: 0 | 1;
}

/** The model fitDataset trains: the regula/tfjs wrapper and its Regula model. */
export interface DatasetModel extends CallbackTarget {
  readonly core: CoreModel;
}

/** A batch element as Regula data. */
function xy(value: unknown, who: string): { x: ModelData; y: ModelData; rows: number } {
  let xs: unknown;
  let ys: unknown;
  if (Array.isArray(value) && value.length === 2) [xs, ys] = value;
  else if (typeof value === 'object' && value !== null && 'xs' in value && 'ys' in value) ({ xs, ys } = value as { xs: unknown; ys: unknown });
  else throw new Error(`${who}: each dataset element must be {xs, ys} or [xs, ys] (batched tensors), got ${value === null ? 'null' : typeof value}`);
  const x = toData(xs as TensorOrArrayOrMap, who);
  const first = x instanceof Object && 'shape' in x ? (x as CoreTensor) : (Object.values(x)[0] as CoreTensor | undefined);
  if (!first) throw new Error(`${who}: a batch has no input tensors`);
  return { x, y: toData(ys as TensorOrArrayOrMap, who), rows: first.shape[0] ?? 1 };
}

/** Yields to the event loop about every 20 ms. */
function yielder(): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < 20) return;
    await new Promise<void>((r) => setTimeout(r, 0));
    last = Date.now();
  };
}

/** Batch-size-weighted averages of logs. */
class Averager {
  private readonly sums = new Map<string, number>();
  private n = 0;
  add(logs: Logs, rows: number): void {
    for (const [k, v] of Object.entries(logs)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * rows);
    this.n += rows;
  }
  result(): Logs {
    const out: Logs = {};
    for (const [k, s] of this.sums) out[k] = s / this.n;
    return out;
  }
  get count(): number {
    return this.n;
  }
}

/** Evaluates batch by batch: averaged logs of the Regula model. */
async function evaluateLogs<T extends TensorContainer>(core: CoreModel, dataset: Dataset<T>, batches: number | undefined): Promise<Logs> {
  const it = await dataset.iterator();
  const avg = new Averager();
  for (let b = 0; batches === undefined || b < batches; b++) {
    const r = await it.next();
    if (r.done) break;
    const { x, y, rows } = xy(r.value, 'evaluateDataset');
    avg.add(core.evaluate(x, y, { batchSize: rows }), rows);
  }
  if (avg.count === 0) throw new Error('evaluateDataset: the dataset gave no batches');
  return avg.result();
}

export async function evaluateDataset<T extends TensorContainer>(model: DatasetModel, dataset: Dataset<T>, args: ModelEvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
  const logs = await evaluateLogs(model.core, dataset, args.batches);
  const values = Object.values(logs).map((v) => wrap(coreScalar(v)));
  return values.length === 1 ? values[0]! : values;
}

export async function fitDataset<T extends TensorContainer>(model: DatasetModel, dataset: Dataset<T>, args: ModelFitDatasetArgs<T>): Promise<History> {
  const core = model.core;
  const epochs = args.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`fitDataset: epochs must be an integer ≥ 1, got ${String(epochs)}`);
  const perEpoch = args.batchesPerEpoch;
  if (perEpoch !== undefined && (!Number.isInteger(perEpoch) || perEpoch < 1)) throw new Error(`fitDataset: batchesPerEpoch must be a positive integer, got ${perEpoch}`);
  if (perEpoch === undefined && dataset.size === Infinity) throw new Error('fitDataset: the dataset is endless; give batchesPerEpoch');
  core.requireCompiled('fitDataset');
  const history = new History();
  const list: CoreCallback[] = [...coreCallbacks(args.callbacks, model), history];
  const callbacks = new CallbackList(list);
  const steps = perEpoch ?? (dataset.size !== null && Number.isFinite(dataset.size) ? dataset.size : 0);
  callbacks.setModel(core, { epochs, initialEpoch: args.initialEpoch ?? 0, steps, samples: 0, verbose: 0, batchSize: 0 });
  core.history = history;
  core.stopTraining = false;
  const pause = yielder();
  let it: LazyIterator<T> | undefined;
  let exhausted = false;
  await callbacks.onTrainBegin();
  let last: Logs = {};
  for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !exhausted; epoch++) {
    await callbacks.onEpochBegin(epoch);
    if (perEpoch === undefined || it === undefined) it = await dataset.iterator();
    const avg = new Averager();
    for (let step = 0; perEpoch === undefined || step < perEpoch; step++) {
      const r = await it.next();
      if (r.done) {
        if (perEpoch !== undefined) {
          console.warn(`fitDataset: the dataset ran out after ${step} batches of epoch ${epoch + 1} (batchesPerEpoch ${perEpoch}); training stops (as TF.js)`);
          exhausted = true;
        }
        break;
      }
      const { x, y, rows } = xy(r.value, 'fitDataset');
      await callbacks.onBatchBegin(step, { batch: step, size: rows });
      const sw = args.classWeight ? { sampleWeight: classSampleWeights(y as CoreTensor, args.classWeight) } : {};
      const logs = core.trainOnBatch(x, y, sw);
      avg.add(logs, rows);
      await callbacks.onBatchEnd(step, { batch: step, size: rows, ...logs });
      if (core.stopTraining) break;
      await pause();
    }
    if (avg.count === 0) break;
    const epochLogs = avg.result();
    const vd = args.validationData;
    if (vd !== undefined) {
      const v = Array.isArray(vd)
        ? core.evaluate(toData(vd[0], 'fitDataset'), toData(vd[1], 'fitDataset'), { batchSize: args.validationBatchSize ?? 32, ...(vd[2] ? { sampleWeight: (toData(vd[2], 'fitDataset') as CoreTensor) } : {}) })
        : await evaluateLogs(core, vd, args.validationBatches);
      for (const [k, value] of Object.entries(v)) epochLogs[`val_${k}`] = value;
    }
    await callbacks.onEpochEnd(epoch, epochLogs);
    last = epochLogs;
    if (core.stopTraining) break;
  }
  await callbacks.onTrainEnd(last);
  return history;
}
