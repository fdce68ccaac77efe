/**
 * One training trial as a task a WorkerPool thread runs (src/study/pool.ts):
 * everything it needs travels in its arguments as plain data — the table,
 * the row indices of its parts, the network as a spec, the training
 * settings — so the same trial gives the same numbers in any worker, in the
 * calling thread (InProcessRunner), and with any number of workers. Used by
 * `regula tune`, `regula compare` and `regula demo`.
 */
import type { Table } from '../data/csv.js';
import type { RunReport } from '../report/report-data.js';
import type { TaskContext } from '../study/pool.js';
import { taskModule, type PoolTask } from '../study/pool.js';
import { trialCallback } from '../study/tune.js';
import { buildCnn, type CnnArchitecture, type CnnRegularization } from './cnn.js';
import { buildModel, type Architecture } from './model-from-flags.js';
import { prepareData } from './prepare-data.js';
import type { Regularization } from './regimes.js';
import { trainRun } from './train-run.js';

/** The network of a trial, as data. */
export type ModelSpec =
  | { readonly kind: 'mlp'; readonly arch: Architecture; readonly reg: Regularization }
  | { readonly kind: 'cnn'; readonly arch: CnnArchitecture; readonly reg: CnnRegularization };

/** Arguments of `trainTask`. */
export interface TrialTaskArgs {
  /** Name of the run (report, progress). */
  readonly name: string;
  readonly table: Table;
  /** Row indices of the parts: the model trains on `train`, monitors `validation`, is scored on `test`. */
  readonly rows: { readonly train: Int32Array; readonly validation: Int32Array | null; readonly test: Int32Array | null };
  /** Standardize the features on the training rows (MLP) or keep them (CNN pixels). */
  readonly standardize: boolean;
  readonly model: ModelSpec;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly learningRate?: number | undefined;
  /** Early-stopping patience on val_loss (best weights restored), or null. */
  readonly patience: number | null;
  /** Directory of a best-only checkpoint, or null. */
  readonly checkpointDir: string | null;
  /** Logged metric sent to the caller after every epoch (`ctx.report`); training stops when the caller says so (pruned). */
  readonly reportMetric?: string;
}

/** Trains one trial; returns its run summary (history, scores on each part). */
export async function trainTask(a: TrialTaskArgs, ctx: TaskContext): Promise<RunReport> {
  const data = prepareData(a.table, a.rows, { standardize: a.standardize });
  const m = a.model;
  const model = m.kind === 'mlp' ? buildModel(data, m.arch, m.reg, a.seed) : buildCnn(m.arch, data.imageShape!, data.outputs, m.reg, a.seed);
  const { report } = await trainRun(a.name, model, data, {
    epochs: a.epochs,
    batchSize: a.batchSize,
    optimizer: a.optimizer,
    learningRate: a.learningRate,
    seed: a.seed,
    patience: a.patience,
    checkpointDir: a.checkpointDir,
    label: null,
    callbacks: a.reportMetric !== undefined ? [trialCallback(a.reportMetric, (step, value) => ctx.report(step, value))] : [],
  });
  return report;
}

/** The pool task of one trial. */
export function trialTask(args: TrialTaskArgs): PoolTask {
  return { module: taskModule(import.meta.url, 'trial-task'), fn: 'trainTask', args };
}
