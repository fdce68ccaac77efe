/**
 * One training run as the CLI does it everywhere (demo, train, compare):
 * compile with the task's loss and metric, fit on the training part with the
 * validation part as `validationData`, optional early stopping (best weights
 * restored) and best-only checkpoint, a progress bar, then evaluate every
 * part in inference mode and summarize the run for the report.
 */
import { callbacks, getOptimizer, regularizationReport, type Callback, type Model } from '../index.js';
import type { LayerRow, MetricSet, RunReport } from '../report/report-data.js';
import type { Task } from '../data/schema.js';
import type { Part, PreparedData } from './prepare-data.js';
import { progressCallback } from './progress.js';
import { dataForModel } from './image-data.js';
import { mergeHistory } from './train-record.js';

/** The report metric of a task: accuracy (higher is better) or MAE (lower is better). */
export function taskMetric(task: Task): { metric: string; higherIsBetter: boolean } {
  return task === 'classification' ? { metric: 'accuracy', higherIsBetter: true } : { metric: 'mae', higherIsBetter: false };
}

/** How a run trains. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  /** Optimizer name (adam, sgd, rmsprop, adagrad, adamw). */
  readonly optimizer: string;
  /** Learning rate; the optimizer's Keras default when undefined. */
  readonly learningRate?: number | undefined;
  /** Seed of shuffling and dropout/noise draws. */
  readonly seed: number;
  /** Early-stopping patience on val_loss (best weights restored), or null. */
  readonly patience?: number | null;
  /** Directory of a best-only (val_loss) checkpoint, or null. */
  readonly checkpointDir?: string | null;
  /** Progress label (e.g. `[2/8] l2`); no progress output when null. */
  readonly label?: string | null;
  /** The model is already compiled (a resumed checkpoint): keep its optimizer state. */
  readonly compiled?: boolean;
  /** Epoch to continue from (a resumed checkpoint). */
  readonly initialEpoch?: number;
  /** More callbacks (after progress, early stopping and checkpoint). */
  readonly callbacks?: readonly Callback[];
  /** History of the epochs before `initialEpoch` (a resumed run), prepended to this run's. */
  readonly priorHistory?: Record<string, number[]>;
  /** Aborting ends training after the current step (SIGINT/SIGTERM); the run then reports `interrupted`. */
  readonly signal?: AbortSignal;
}

/** A finished run: the trained model (best weights when early stopping restored them) and its summary. */
export interface RunResult {
  readonly model: Model;
  readonly report: RunReport;
  /** True when the signal ended training early; the report is then not computed (empty scores). */
  readonly interrupted: boolean;
}

function optimizerOf(name: string, learningRate: number | undefined) {
  const opt = getOptimizer(name);
  if (learningRate !== undefined) opt.learningRate = learningRate;
  return opt;
}

/** Compiles `model` for `task` (sparse categorical cross-entropy + accuracy, or MSE + MAE). */
export function compileFor(model: Model, task: Task, settings: Pick<TrainSettings, 'optimizer' | 'learningRate'>): void {
  model.compile({
    optimizer: optimizerOf(settings.optimizer, settings.learningRate),
    loss: task === 'classification' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError',
    metrics: [taskMetric(task).metric],
  });
}

/** Loss and metric of `model` on a part (inference mode, penalties included in the loss as Keras does). */
export function scoresOn(model: Model, part: Part | null): MetricSet {
  if (!part) return {};
  return model.evaluate(part.x, part.y, { batchSize: 256 });
}

/** 1-based epoch of the smallest val_loss (null without validation). */
export function bestEpochOf(history: Readonly<Record<string, readonly number[]>>): number | null {
  const v = history['val_loss'];
  if (!v || v.length === 0) return null;
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! < v[best]!) best = i;
  return best + 1;
}

/**
 * The generalization gap in the direction where positive means overfitting:
 * train − test accuracy, or test − train MAE (against validation when there
 * is no test part).
 */
export function gapOf(task: Task, train: MetricSet, heldOut: MetricSet): number {
  const m = taskMetric(task).metric;
  const a = train[m];
  const b = heldOut[m];
  if (a === undefined || b === undefined) return Number.NaN;
  return task === 'classification' ? a - b : b - a;
}

/** Per-layer weight norms and penalties (layers with a kernel only). */
export function layerRows(model: Model): LayerRow[] {
  return regularizationReport(model)
    .filter((l) => l.unitNorms !== undefined)
    .map((l) => ({
      layer: l.layer,
      weightNorms: { max: l.unitNorms!.max, mean: l.unitNorms!.mean },
      penalty: l.penalty,
      ...(l.regularization ? { regularization: l.regularization } : {}),
    }));
}

/**
 * Trains `model` (not yet compiled) on `data` and summarizes the run.
 *
 * @example
 * const { model, report } = await trainRun('dropout', buildModel(...), data, { epochs: 60, batchSize: 32, optimizer: 'adam', seed: 42 });
 */
export async function trainRun(name: string, model: Model, flat: PreparedData, s: TrainSettings): Promise<RunResult> {
  // A CNN takes the rows as images (`[rows, h, w, c]` views of the same data).
  const data = dataForModel(flat, model);
  if (!s.compiled) compileFor(model, data.task, s);
  const cbs: Callback[] = [];
  if (s.label) cbs.push(progressCallback(s.label));
  const hasVal = data.validation !== null;
  if (s.patience != null && hasVal) cbs.push(callbacks.earlyStopping({ monitor: 'val_loss', patience: s.patience, restoreBestWeights: true }));
  if (s.checkpointDir) cbs.push(callbacks.modelCheckpoint({ filepath: s.checkpointDir, monitor: 'val_loss', saveBestOnly: hasVal }));
  cbs.push(...(s.callbacks ?? []));
  const t0 = performance.now();
  const history = await model.fit(data.train.x, data.train.y, {
    epochs: s.epochs,
    batchSize: s.batchSize,
    ...(data.validation ? { validationData: [data.validation.x, data.validation.y] as const } : {}),
    shuffle: true,
    seed: s.seed,
    verbose: 0,
    callbacks: cbs,
    ...(s.initialEpoch !== undefined ? { initialEpoch: s.initialEpoch } : {}),
    ...(s.signal !== undefined ? { signal: s.signal } : {}),
  });
  const interrupted = s.signal?.aborted === true;
  const seconds = (performance.now() - t0) / 1000;
  const hist = mergeHistory(s.priorHistory ?? {}, history.history as Record<string, number[]>);
  const epochsRun = hist['loss']?.length ?? history.epoch.length;
  const train = interrupted ? {} : scoresOn(model, data.train);
  const validation = interrupted ? {} : scoresOn(model, data.validation);
  const test = interrupted ? {} : scoresOn(model, data.test);
  const stopped = s.patience != null && hasVal && epochsRun < s.epochs;
  const report: RunReport = {
    name,
    history: hist,
    bestEpoch: bestEpochOf(hist),
    stoppedEpoch: stopped ? epochsRun : null,
    train,
    ...(data.validation ? { validation } : {}),
    test,
    gap: gapOf(data.task, train, data.test ? test : validation),
    epochsRun,
    seconds,
    layers: layerRows(model),
  };
  return { model, report, interrupted };
}
