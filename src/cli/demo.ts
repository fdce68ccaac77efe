/**
 * `regula demo`: the same over-parameterized network trained under each
 * regularization regime on one embedded dataset, one seed and one seeded
 * stratified train / validation / test split; a table of train and test
 * metric, gap, best epoch, epochs run and seconds; the HTML report.
 */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { formatNumber, formatTextTable, summaryTable, type ReportData, type RunReport } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import { initBackend } from './backend-init.js';
import { openOutputDir } from './output-dir.js';
import { DATASETS, DATASET_NAMES, datasetPath, type DatasetName } from './datasets.js';
import { loadTable } from '../data/csv.js';
import { buildModel, type Architecture } from './model-from-flags.js';
import { int, intList } from './parse-args.js';
import { prepareData, splitTable } from './prepare-data.js';
import { DEFAULT_STRENGTHS, demoRegimes, type RegimeStrengths } from './regimes.js';
import { taskMetric, trainRun } from './train-run.js';
import { UsageError } from './cli-error.js';

/** How the demo trains on one dataset (measured to finish in under 2 minutes on 2 cores). */
export interface DemoPreset {
  readonly arch: Architecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly validation: number;
  readonly test: number;
  readonly strengths: RegimeStrengths;
}

const WIDE: Architecture = { hidden: [256, 256], activation: 'relu' };
const TABULAR: RegimeStrengths = { ...DEFAULT_STRENGTHS, gaussianNoise: 0.5 };

/**
 * Per-dataset settings of the demo. Digits trains on 10 % of the rows
 * (180 images for 85 k weights) and tests on 70 %, so overfitting is real and
 * the test estimate is tight; the regression set uses a larger learning rate
 * (the target is in raw units) and penalties scaled to its MSE.
 */
export const DEMO_PRESETS: Record<DatasetName, DemoPreset> = {
  digits: { arch: WIDE, epochs: 100, batchSize: 32, learningRate: 1e-3, validation: 0.2, test: 0.7, strengths: DEFAULT_STRENGTHS },
  breast_cancer: { arch: WIDE, epochs: 100, batchSize: 32, learningRate: 1e-3, validation: 0.2, test: 0.4, strengths: TABULAR },
  wine: { arch: WIDE, epochs: 100, batchSize: 32, learningRate: 1e-3, validation: 0.2, test: 0.4, strengths: TABULAR },
  diabetes: {
    arch: WIDE,
    epochs: 100,
    batchSize: 32,
    learningRate: 1e-2,
    validation: 0.2,
    test: 0.3,
    strengths: { ...TABULAR, l1: 0.01, l2: 0.1, combined: { l1: 1e-3, l2: 0.1, dropout: 0.5, gaussianNoise: 0.5, maxNorm: 1 } },
  },
};

/** The run with the best test metric (first on ties), if any has one. */
export function bestRun(runs: readonly RunReport[], metric: string, higherIsBetter: boolean): RunReport | undefined {
  let best: RunReport | undefined;
  for (const r of runs) {
    const v = r.test[metric];
    if (v === undefined || !Number.isFinite(v)) continue;
    const b = best?.test[metric];
    if (b === undefined || (higherIsBetter ? v > b : v < b)) best = r;
  }
  return best;
}

/** Flags of `regula demo`. */
export interface DemoFlags {
  dataset: DatasetName;
  out: string;
  seed: number;
  epochs?: number;
  hidden?: number[];
  regimes?: string;
  force?: boolean;
  quiet?: boolean;
}

/** Runs the demo; returns the report data (also printed and written). */
export async function runDemo(o: DemoFlags, argv: readonly string[]): Promise<ReportData> {
  const preset = DEMO_PRESETS[o.dataset];
  let regimes = demoRegimes(preset.strengths);
  if (o.regimes !== undefined) {
    const wanted = o.regimes.split(',').map((s) => s.trim());
    const unknown = wanted.filter((w) => !regimes.some((r) => r.name === w));
    if (unknown.length) throw new UsageError(`--regimes: unknown regime ${JSON.stringify(unknown[0])}; known: ${regimes.map((r) => r.name).join(', ')}`);
    regimes = regimes.filter((r) => wanted.includes(r.name));
  }
  const out = openOutputDir(o.out, { flag: '--out', kind: 'demo', force: o.force === true });
  const { backend, note } = await initBackend();
  const arch: Architecture = { ...preset.arch, hidden: o.hidden ?? preset.arch.hidden };
  const epochs = o.epochs ?? preset.epochs;
  const table = loadTable(datasetPath(o.dataset), { target: DATASETS[o.dataset].target });
  const split = splitTable(table, { validation: preset.validation, test: preset.test, seed: o.seed });
  const data = prepareData(table, split);
  const { metric, higherIsBetter } = taskMetric(data.task);
  const network = [data.inputSize, ...arch.hidden, data.outputs].join('-');
  const log = (s: string): void => void (o.quiet ? undefined : process.stderr.write(`${s}\n`));
  if (note) log(note);
  log(
    `regula demo: ${o.dataset} (${table.rows} rows: ${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test), ` +
      `network ${network} ${arch.activation}, ${epochs} epochs, seed ${o.seed}, backend ${backend}`,
  );
  const runs: RunReport[] = [];
  // Best-only checkpoints are written into the staging directory, published with the report.
  const staging = out.staging();
  try {
    for (const [i, regime] of regimes.entries()) {
      const model = buildModel(data, arch, regime.regularization, o.seed);
      const { report } = await trainRun(regime.name, model, data, {
        epochs,
        batchSize: preset.batchSize,
        optimizer: 'adam',
        learningRate: preset.learningRate,
        seed: o.seed,
        patience: regime.patience,
        checkpointDir: regime.checkpoint ? join(staging, 'checkpoints', regime.name) : null,
        label: o.quiet ? null : `[${i + 1}/${regimes.length}] ${regime.name}`,
      });
      runs.push(report);
    }
  } catch (e) {
    out.discard();
    throw e;
  }
  const reportData: ReportData = {
    title: `Regula demo: regularization on ${o.dataset}`,
    dataset: o.dataset,
    seed: o.seed,
    task: data.task,
    metric,
    higherIsBetter,
    config: {
      network: `${network} (${arch.activation} hidden, ${data.task === 'classification' ? 'softmax' : 'linear'} output)`,
      split: `${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test (seeded, ${data.task === 'classification' ? 'stratified' : 'shuffled'})`,
      epochs,
      batchSize: preset.batchSize,
      optimizer: `adam (learning rate ${preset.learningRate})`,
      backend,
      ...Object.fromEntries(regimes.map((r) => [`regime ${r.name}`, r.description])),
    },
    runs,
    command: ['regula', ...argv].join(' '),
  };
  console.log(formatTextTable(summaryTable(reportData)));
  const best = bestRun(runs, metric, higherIsBetter);
  const none = runs.find((r) => r.name === 'none');
  if (best && none && best !== none) {
    console.log(`\nbest test ${metric}: ${best.name} ${formatNumber(best.test[metric])} (none: ${formatNumber(none.test[metric])})`);
  }
  await out.publishWith(() => writeReport(staging, reportData).then(() => undefined));
  const path = join(o.out, 'index.html');
  console.log(`\nreport: ${path}`);
  return reportData;
}

/** The `demo` command. */
export function demoCommand(argv: () => readonly string[]): Command {
  return new Command('demo')
    .description('train one over-parameterized network under each regularization regime and compare them')
    .addOption(new Option('--dataset <name>', 'embedded dataset').choices(DATASET_NAMES).default('digits'))
    .option('--out <dir>', 'report directory', 'regula-report')
    .option('--seed <n>', 'seed of the split, initialization, shuffling and dropout', int({ min: 0, max: 2 ** 31 - 1 }), 42)
    .option('--epochs <n>', 'override the preset number of epochs', int({ min: 1, max: 100000 }))
    .option('--hidden <sizes>', 'override the hidden layer sizes, comma-separated', intList({ min: 1, max: 65536 }))
    .option('--regimes <names>', 'run only these regimes (comma-separated)')
    .option('--force', 'write into an existing directory Regula did not write (only new files are added; nothing is replaced)')
    .option('--quiet', 'no progress output')
    .action(async (o: DemoFlags) => {
      await runDemo(o, argv());
    });
}
