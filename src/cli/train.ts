/**
 * `regula train`: trains one network on a CSV (a flag-built MLP or a
 * Keras-style JSON spec) with a seeded stratified split, then saves the model
 * (TF.js Layers format), its `preprocessing.json` and the HTML report into
 * one directory, atomically.
 */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { formatTextTable, summaryTable, type ReportData } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import type { Model } from '../index.js';
import { pathWithin } from './atomic-output.js';
import { openOutputDir, type OutputDir } from './output-dir.js';
import { checkFingerprints, dataFingerprints, type FileFingerprint, type TrainRunSettings } from './train-record.js';
import { ResumableCheckpoint, RunFiles } from './train-checkpoint.js';
import type { PreparedData } from './prepare-data.js';
import { initBackend } from './backend-init.js';
import { DATASET_NAMES, type DatasetName } from './datasets.js';
import { UsageError } from './cli-error.js';
import { buildModel, modelFromSpec } from './model-from-flags.js';
import { int, num } from './parse-args.js';
import { prepareData, splitTable } from './prepare-data.js';
import { describeRegularization } from './regimes.js';
import {
  addArchitectureOptions,
  addDataOptions,
  addRegularizationOptions,
  addTrainOptions,
  architectureOf,
  checkFractions,
  dataLabel,
  loadData,
  regularizationOf,
  type DataFlags,
  type TrainFlags,
} from './shared-options.js';
import { taskMetric, trainRun } from './train-run.js';
import { loadRunDir, PREPROCESSING_JSON } from './saved-model.js';
import { applyTrainConfig } from './train-config.js';

const DEFAULT_HIDDEN = [128, 64];

/** Flags of `regula train`. */
export interface TrainCommandFlags extends DataFlags, TrainFlags {
  model?: string;
  hidden?: number[];
  activation: string;
  dropout: number;
  l1: number;
  l2: number;
  maxNorm?: number;
  gaussianNoise: number;
  validationSplit: number;
  testSplit: number;
  earlyStopping?: number;
  checkpoint?: string;
  resume?: string;
  force?: boolean;
  out: string;
  quiet?: boolean;
  /** A JSON file of train flags (`regula tune --export`); flags on the command line win. */
  config?: string;
}

/** Flags a resumed run takes from its checkpoint (giving one with --resume is an error). */
const FROM_CHECKPOINT = ['data', 'labels', 'dataset', 'target', 'task', 'encoding', 'model', 'hidden', 'activation', 'dropout', 'l1', 'l2', 'maxNorm', 'gaussianNoise', 'validationSplit', 'testSplit', 'earlyStopping', 'batchSize', 'optimizer', 'lr', 'seed'] as const;

/** A run about to train: fresh (flags) or resumed (checkpoint). */
interface Planned {
  settings: TrainRunSettings;
  files: FileFingerprint[];
  data: PreparedData;
  split: { train: number; validation: number; test: number };
  target: string;
  model: Model;
  resumed?: { initialEpoch: number; history: Record<string, number[]> };
}

/** Plans a fresh run from the flags. */
async function planFresh(o: TrainCommandFlags): Promise<Planned> {
  checkFractions(o.validationSplit, o.testSplit);
  if (o.earlyStopping !== undefined && o.validationSplit === 0) throw new UsageError('--early-stopping needs a validation set: set --validation-split > 0');
  const usedFlags = o.hidden !== undefined || o.dropout > 0 || o.l1 > 0 || o.l2 > 0 || o.maxNorm !== undefined || o.gaussianNoise > 0;
  if (o.model !== undefined && usedFlags) {
    throw new UsageError('--model replaces the network flags (--hidden, --dropout, --l1, --l2, --max-norm, --gaussian-noise); give one or the other');
  }
  const arch = architectureOf(o, DEFAULT_HIDDEN);
  const reg = regularizationOf(o);
  const table = loadData(o);
  const files = dataFingerprints(o);
  const split = splitTable(table, { validation: o.validationSplit, test: o.testSplit, seed: o.seed });
  const data = prepareData(table, split);
  await initBackend();
  const model: Model = o.model !== undefined ? modelFromSpec(o.model, data, o.seed) : buildModel(data, arch, reg, o.seed);
  const settings: TrainRunSettings = {
    ...(o.data !== undefined ? { data: resolve(o.data) } : {}),
    ...(o.labels !== undefined ? { labels: resolve(o.labels) } : {}),
    ...(o.dataset !== undefined ? { dataset: o.dataset } : {}),
    ...(o.target !== undefined ? { target: o.target } : {}),
    task: o.task ?? 'auto',
    ...(o.encoding !== undefined && o.encoding !== 'utf8' ? { encoding: o.encoding } : {}),
    validationSplit: o.validationSplit,
    testSplit: o.testSplit,
    seed: o.seed,
    epochs: o.epochs,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    ...(o.lr !== undefined ? { lr: o.lr } : {}),
    ...(o.earlyStopping !== undefined ? { earlyStopping: o.earlyStopping } : {}),
    name: o.model !== undefined ? 'model' : describeRegularization(reg),
    network: o.model !== undefined ? `from ${o.model}` : [data.inputSize, ...arch.hidden, data.outputs].join('-') + ` (${arch.activation})`,
    regularization: o.model !== undefined ? 'as in the model spec' : describeRegularization(reg),
  };
  return { settings, files, data, split: sizes(split), target: table.target.name, model };
}

function sizes(split: { train: ArrayLike<number>; validation: ArrayLike<number>; test: ArrayLike<number> }): Planned['split'] {
  return { train: split.train.length, validation: split.validation.length, test: split.test.length };
}

/** Plans a resumed run from a checkpoint (or a previous --out) directory. */
async function planResume(o: TrainCommandFlags, given: ReadonlySet<string>): Promise<Planned> {
  const dir = o.resume!;
  const clash = FROM_CHECKPOINT.filter((k) => given.has(k));
  if (clash.length > 0) throw new UsageError(`--resume takes the run's settings from ${dir}; --${kebab(clash[0]!)} does not apply (only --epochs, --out, --checkpoint, --force and --quiet do)`);
  const saved = await loadRunDir(dir, '--resume');
  const rec = saved.record;
  if (rec.status === 'finished' && !given.has('epochs')) throw new UsageError(`--resume ${dir}: that run finished; pass --epochs N to train it further`);
  checkFingerprints(rec.files, dir);
  const st = rec.settings;
  const epochs = given.has('epochs') ? o.epochs : st.epochs;
  const info = saved.model.resumeInfo;
  if (!info) throw new UsageError(`--resume ${dir}: the model has no training state to resume from`);
  if (info.initialEpoch > epochs || (info.initialEpoch === epochs && rec.status === 'finished')) {
    throw new UsageError(`--resume ${dir}: the run already trained ${info.initialEpoch} epochs; pass --epochs N with N > ${info.initialEpoch}`);
  }
  const dataFlags: DataFlags = {
    ...(st.data !== undefined ? { data: st.data } : {}),
    ...(st.labels !== undefined ? { labels: st.labels } : {}),
    ...(st.dataset !== undefined ? { dataset: datasetName(st.dataset, dir) } : {}),
    ...(st.target !== undefined ? { target: st.target } : {}),
    task: st.task,
    ...(st.encoding !== undefined ? { encoding: st.encoding } : {}),
  };
  const table = loadData(dataFlags);
  const split = splitTable(table, { validation: st.validationSplit, test: st.testSplit, seed: st.seed });
  const data = prepareData(table, split);
  if (JSON.stringify(data.pre.toJSON()) !== JSON.stringify(saved.pre.toJSON())) {
    throw new UsageError(`--resume ${dir}: the data no longer give the saved preprocessing; an exact resume needs the same data`);
  }
  return {
    settings: { ...st, epochs },
    files: rec.files,
    data,
    split: sizes(split),
    target: table.target.name,
    model: saved.model,
    resumed: { initialEpoch: info.initialEpoch, history: rec.history },
  };
}

function datasetName(name: string, dir: string): DatasetName {
  const known = DATASET_NAMES as readonly string[];
  if (!known.includes(name)) throw new UsageError(`--resume ${dir}: train-run.json names an unknown dataset ${JSON.stringify(name)}`);
  return name as DatasetName;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The exit of a run ended by a signal after it saved a resumable checkpoint. */
export class InterruptedRun extends Error {
  override readonly name = 'InterruptedRun';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Aborts `controller` on the first SIGINT/SIGTERM; a second one exits at once. Returns the remover. */
function onSignals(controller: AbortController): { stop: () => void; which: () => NodeJS.Signals | undefined } {
  let got: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (got !== undefined) process.exit(sig === 'SIGINT' ? 130 : 143);
    got = sig;
    // Said once training has stopped (a progress bar would overwrite it now): see `interrupted`.
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
    which: () => got,
  };
}

/** Runs `regula train`; returns the report data. */
export async function runTrain(o: TrainCommandFlags, argv: readonly string[], given: ReadonlySet<string> = new Set()): Promise<ReportData> {
  const inputs = [o.data, o.labels, o.model];
  const out = openOutputDir(o.out, { flag: '--out', kind: 'train', force: o.force === true, inputs });
  let ck: OutputDir | undefined;
  if (o.checkpoint !== undefined) {
    if (pathWithin(o.checkpoint, o.out) || pathWithin(o.out, o.checkpoint)) throw new UsageError('--checkpoint and --out must be separate directories (neither inside the other)');
    ck = openOutputDir(o.checkpoint, { flag: '--checkpoint', kind: 'checkpoint', force: o.force === true, inputs });
  }
  const plan = o.resume !== undefined ? await planResume(o, given) : await planFresh(o);
  const { settings: st, data, model } = plan;
  const { backend, note } = await initBackend();
  if (note && !o.quiet) process.stderr.write(`${note}\n`);
  const { metric, higherIsBetter } = taskMetric(data.task);
  const run = new RunFiles(st, plan.files, data.pre, plan.resumed?.history ?? {});
  if (ck) ck.claim();
  const controller = new AbortController();
  const signals = onSignals(controller);
  let result;
  try {
    result = await trainRun(st.name, model, data, {
      epochs: st.epochs,
      batchSize: st.batchSize,
      optimizer: st.optimizer,
      learningRate: st.lr,
      seed: st.seed,
      patience: st.earlyStopping ?? null,
      label: o.quiet ? null : `train ${st.name}`,
      compiled: plan.resumed !== undefined,
      ...(plan.resumed ? { initialEpoch: plan.resumed.initialEpoch, priorHistory: plan.resumed.history } : {}),
      callbacks: [new ResumableCheckpoint(ck?.dir, run)],
      signal: controller.signal,
    });
  } finally {
    signals.stop();
  }
  if (result.interrupted) return interrupted(o, model, run, out, ck, signals.which());
  const label = o.resume !== undefined ? (st.dataset ?? st.data ?? '') : dataLabel(o);
  const reportData: ReportData = {
    title: `Regula train: ${label}`,
    dataset: label,
    seed: st.seed,
    task: data.task,
    metric,
    higherIsBetter,
    config: {
      network: st.network,
      regularization: st.regularization,
      target: plan.target,
      split: `${plan.split.train} train / ${plan.split.validation} validation / ${plan.split.test} test`,
      epochs: st.epochs,
      batchSize: st.batchSize,
      optimizer: st.optimizer + (st.lr !== undefined ? ` (learning rate ${st.lr})` : ''),
      earlyStopping: st.earlyStopping !== undefined ? `patience ${st.earlyStopping}, best weights restored` : 'off',
      checkpoint: o.checkpoint ?? 'off',
      ...(o.resume !== undefined ? { resumedFrom: `${o.resume} (epoch ${plan.resumed!.initialEpoch})` } : {}),
      backend,
    },
    runs: [result.report],
    command: ['regula', ...argv].join(' '),
  };
  await out.publishWith(async (staging) => {
    await run.save(model, staging, 'finished');
    await writeReport(join(staging, 'report'), reportData);
  });
  console.log(formatTextTable(summaryTable(reportData)));
  console.log(`\nmodel: ${join(o.out, 'model.json')}\npreprocessing: ${join(o.out, PREPROCESSING_JSON)}\nreport: ${join(o.out, 'report', 'index.html')}`);
  return reportData;
}

/** Saves the interrupted run's resumable state (into --checkpoint, else --out) and throws InterruptedRun. */
async function interrupted(o: TrainCommandFlags, model: Model, run: RunFiles, out: OutputDir, ck: OutputDir | undefined, sig: NodeJS.Signals | undefined): Promise<never> {
  const where = ck !== undefined ? o.checkpoint! : o.out;
  if (!o.quiet) process.stderr.write(`regula train: ${sig ?? 'signal'}: stopped after the current step; saving a resumable checkpoint in ${where} (${sig ?? 'the signal'} again quits without saving)\n`);
  if (ck !== undefined) await run.save(model, ck.dir, 'interrupted');
  else {
    await out.publishWith((staging) => run.save(model, staging, 'interrupted'));
  }
  const info = model.fitProgress;
  const at = info === undefined ? '' : info.epochDone ? ` after epoch ${info.epoch + 1}` : ` in epoch ${info.epoch + 1} (after step ${info.step})`;
  throw new InterruptedRun(`interrupted${at}; resumable checkpoint saved in ${where}; continue with: regula train --resume ${where}`, sig === 'SIGTERM' ? 143 : 130);
}

/** The `train` command. */
export function trainCommand(argv: () => readonly string[]): Command {
  const cmd = new Command('train').description('train a network on a CSV and save it with its preprocessing and report');
  addDataOptions(cmd);
  cmd.option('--config <file.json>', 'train flags from a JSON file (what regula tune --export writes); flags given here win');
  cmd.option('--model <spec.json>', 'model spec instead of the network flags: a list of Keras-style layer configs, or a functional Model config (docs/functional.md)');
  addArchitectureOptions(cmd, DEFAULT_HIDDEN.join(','));
  addRegularizationOptions(cmd);
  addTrainOptions(cmd, { epochs: 100 });
  return cmd
    .option('--validation-split <fraction>', 'fraction of rows for validation (seeded, stratified)', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--test-split <fraction>', 'fraction of rows held out for the test metric', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--early-stopping <patience>', 'stop when val_loss has not improved for this many epochs (best weights restored)', int({ min: 0 }))
    .option('--checkpoint <dir>', 'after every epoch, save a resumable checkpoint (latest model, training state, preprocessing) here')
    .option('--resume <dir>', 'continue the run saved in a --checkpoint or --out directory, exactly where it stopped')
    .option('--out <dir>', 'output directory (new, empty or written by Regula): model.json, weights, preprocessing.json, report/', 'regula-model')
    .option('--force', 'write into an existing directory Regula did not write (only new files are added; nothing is replaced)')
    .option('--quiet', 'no progress output')
    .action(async (o: TrainCommandFlags, self: Command) => {
      const given = new Set(Object.keys(o).filter((k) => self.getOptionValueSource(k) === 'cli'));
      if (o.config !== undefined) {
        if (o.resume !== undefined) throw new UsageError('--config starts a new run; --resume takes its settings from the checkpoint');
        applyTrainConfig(o as unknown as Record<string, unknown>, given, o.config);
      }
      await runTrain(o, argv(), given);
    });
}
