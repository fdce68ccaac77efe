/**
 * `regula train`: trains one network on a CSV (a flag-built MLP or a
 * Keras-style JSON spec) with a seeded stratified split, then saves the model
 * (TF.js Layers format), its `preprocessing.json` and the HTML report into
 * one directory, atomically.
 */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { formatTextTable, summaryTable, type ReportData } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import type { Sequential } from '../index.js';
import { checkOutputDir, discardDir, publishDir, stagingDir } from './atomic-output.js';
import { initBackend } from './backend-init.js';
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
import { PREPROCESSING_JSON } from './saved-model.js';

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
  out: string;
  quiet?: boolean;
}

/** Runs `regula train`; returns the report data. */
export async function runTrain(o: TrainCommandFlags, argv: readonly string[]): Promise<ReportData> {
  checkFractions(o.validationSplit, o.testSplit);
  if (o.earlyStopping !== undefined && o.validationSplit === 0) throw new UsageError('--early-stopping needs a validation set: set --validation-split > 0');
  const usedFlags = o.hidden !== undefined || o.dropout > 0 || o.l1 > 0 || o.l2 > 0 || o.maxNorm !== undefined || o.gaussianNoise > 0;
  if (o.model !== undefined && usedFlags) {
    throw new UsageError('--model replaces the network flags (--hidden, --dropout, --l1, --l2, --max-norm, --gaussian-noise); give one or the other');
  }
  checkOutputDir(o.out, '--out');
  if (o.checkpoint !== undefined) checkOutputDir(o.checkpoint, '--checkpoint');
  if (o.checkpoint !== undefined && resolve(o.checkpoint) === resolve(o.out)) throw new UsageError('--checkpoint must differ from --out');
  const arch = architectureOf(o, DEFAULT_HIDDEN);
  const reg = regularizationOf(o);
  const table = loadData(o);
  const split = splitTable(table, { validation: o.validationSplit, test: o.testSplit, seed: o.seed });
  const data = prepareData(table, split);
  const { backend, note } = await initBackend();
  const model: Sequential = o.model !== undefined ? modelFromSpec(o.model, data, o.seed) : buildModel(data, arch, reg, o.seed);
  if (note && !o.quiet) process.stderr.write(`${note}\n`);
  const { metric, higherIsBetter } = taskMetric(data.task);
  const name = o.model !== undefined ? 'model' : describeRegularization(reg);
  const { report } = await trainRun(name, model, data, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    learningRate: o.lr,
    seed: o.seed,
    patience: o.earlyStopping ?? null,
    checkpointDir: o.checkpoint ?? null,
    label: o.quiet ? null : `train ${name}`,
  });
  const reportData: ReportData = {
    title: `Regula train: ${dataLabel(o)}`,
    dataset: dataLabel(o),
    seed: o.seed,
    task: data.task,
    metric,
    higherIsBetter,
    config: {
      network: o.model !== undefined ? `from ${o.model}` : [data.inputSize, ...arch.hidden, data.outputs].join('-') + ` (${arch.activation})`,
      regularization: o.model !== undefined ? 'as in the model spec' : describeRegularization(reg),
      target: table.target.name,
      split: `${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test`,
      epochs: o.epochs,
      batchSize: o.batchSize,
      optimizer: o.optimizer + (o.lr !== undefined ? ` (learning rate ${o.lr})` : ''),
      earlyStopping: o.earlyStopping !== undefined ? `patience ${o.earlyStopping}, best weights restored` : 'off',
      checkpoint: o.checkpoint ?? 'off',
      backend,
    },
    runs: [report],
    command: ['regula', ...argv].join(' '),
  };
  const staging = stagingDir(o.out);
  try {
    await model.save(staging);
    writeFileSync(join(staging, PREPROCESSING_JSON), `${JSON.stringify(data.pre.toJSON(), null, 2)}\n`);
    await writeReport(join(staging, 'report'), reportData);
    publishDir(staging, o.out);
  } catch (e) {
    discardDir(staging);
    throw e;
  }
  console.log(formatTextTable(summaryTable(reportData)));
  console.log(`\nmodel: ${join(o.out, 'model.json')}\npreprocessing: ${join(o.out, PREPROCESSING_JSON)}\nreport: ${join(o.out, 'report', 'index.html')}`);
  return reportData;
}

/** The `train` command. */
export function trainCommand(argv: () => readonly string[]): Command {
  const cmd = new Command('train').description('train a network on a CSV and save it with its preprocessing and report');
  addDataOptions(cmd);
  cmd.option('--model <spec.json>', 'Keras-style model spec (layer configs) instead of the network flags');
  addArchitectureOptions(cmd, DEFAULT_HIDDEN.join(','));
  addRegularizationOptions(cmd);
  addTrainOptions(cmd, { epochs: 100 });
  return cmd
    .option('--validation-split <fraction>', 'fraction of rows for validation (seeded, stratified)', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--test-split <fraction>', 'fraction of rows held out for the test metric', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--early-stopping <patience>', 'stop when val_loss has not improved for this many epochs (best weights restored)', int({ min: 0 }))
    .option('--checkpoint <dir>', 'save the best model (val_loss) to this directory during training')
    .option('--out <dir>', 'output directory: model.json, weights, preprocessing.json, report/', 'regula-model')
    .option('--quiet', 'no progress output')
    .action(async (o: TrainCommandFlags) => {
      await runTrain(o, argv());
    });
}
