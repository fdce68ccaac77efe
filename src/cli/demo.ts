/**
 * `regula demo`: the same over-parameterized network trained under each
 * regularization regime on one dataset, one seed and one seeded stratified
 * train / validation / test split; a table of train and test metric, gap,
 * best epoch, epochs run and seconds; the HTML report. The network is an MLP
 * (`--model mlp`, eight regimes) or, on the image sets (the 8×8 digits,
 * Fashion-MNIST), a CNN (`--model cnn`: none, dropout, spatial dropout,
 * augmentation, all).
 */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { formatNumber, formatTextTable, summaryTable, type ReportData, type RunReport } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import { initBackend } from './backend-init.js';
import { openOutputDir } from './output-dir.js';
import type { Model } from '../index.js';
import { buildModel, type Architecture } from './model-from-flags.js';
import { int, intList } from './parse-args.js';
import type { PreparedData } from './prepare-data.js';
import { DEFAULT_STRENGTHS, demoRegimes, type RegimeStrengths } from './regimes.js';
import { buildCnn, cnnRegimes, describeCnn, DIGITS_CNN, DIGITS_CNN_STRENGTHS, FASHION_CNN_STRENGTHS, W5_CNN, type CnnArchitecture, type CnnStrengths } from './cnn.js';
import { DEMO_DATASET_NAMES, demoDatasetDescription, fashionMnistPaths, loadDemoData, type DemoDataset, type DemoSplit } from './demo-data.js';
import { taskMetric, trainRun } from './train-run.js';
import { UsageError } from './cli-error.js';
import { runTextDemo, TEXT_DEMO_DATASET } from './text-demo.js';

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
export const DEMO_PRESETS: Record<DemoDataset, DemoPreset> = {
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
  // 2000 + 500 sampled training images, the 10 000 test images (split fractions unused).
  'fashion-mnist': { arch: WIDE, epochs: 50, batchSize: 32, learningRate: 1e-3, validation: 0, test: 0, strengths: DEFAULT_STRENGTHS },
};

/** How the CNN demo trains on an image dataset. */
export interface CnnPreset {
  readonly arch: CnnArchitecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly strengths: CnnStrengths;
}

/** The image datasets of `--model cnn` and their CNN settings. */
export const CNN_PRESETS: Partial<Record<DemoDataset, CnnPreset>> = {
  // 180 training images (as the MLP demo), 100 epochs: "none" overfits, every regime helps.
  digits: { arch: DIGITS_CNN, epochs: 100, batchSize: 32, learningRate: 1e-3, strengths: DIGITS_CNN_STRENGTHS },
  // The classic small convnet (bench W5) on 2000 sampled images, 128 per batch as W5.
  'fashion-mnist': { arch: W5_CNN, epochs: 15, batchSize: 128, learningRate: 1e-3, strengths: FASHION_CNN_STRENGTHS },
};

/** The data sizes of a demo dataset. */
function demoSplit(name: DemoDataset): DemoSplit {
  if (name === 'fashion-mnist') return { sample: { train: 2000, validation: 500 } };
  const p = DEMO_PRESETS[name];
  return { fractions: { validation: p.validation, test: p.test } };
}

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
  dataset: DemoDataset;
  /** 'mlp' or 'cnn'; default: 'cnn' on Fashion-MNIST, 'mlp' elsewhere. */
  model?: 'mlp' | 'cnn';
  out: string;
  seed: number;
  epochs?: number;
  hidden?: number[];
  regimes?: string;
  force?: boolean;
  quiet?: boolean;
}

/** One regime of a study: how to build its network, and its training extras. */
interface StudyRegime {
  readonly name: string;
  readonly description: string;
  readonly patience: number | null;
  readonly checkpoint: boolean;
  readonly build: (data: PreparedData, seed: number) => Model;
}

/** A demo's network and regimes. */
interface Study {
  readonly regimes: StudyRegime[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Standardize the features (MLP) or keep the pixels as they are (CNN). */
  readonly standardize: boolean;
  /** The network for the report, and in short for the log line. */
  readonly network: (data: PreparedData) => { full: string; short: string };
}

/**
 * The study of a dataset and model kind.
 *
 * @throws UsageError for a CNN on a dataset that is not images, or --hidden with a CNN.
 */
function studyOf(o: DemoFlags): Study {
  const kind = o.model ?? (o.dataset === 'fashion-mnist' ? 'cnn' : 'mlp');
  if (kind === 'cnn') {
    const preset = CNN_PRESETS[o.dataset];
    if (!preset) {
      const images = DEMO_DATASET_NAMES.filter((d) => CNN_PRESETS[d] !== undefined).join(', ');
      throw new UsageError(`--model cnn needs an image dataset (${images}); ${o.dataset} has plain features: use --model mlp`);
    }
    if (o.hidden !== undefined) throw new UsageError('--hidden sets the MLP\'s hidden layers; it does not apply to --model cnn');
    return {
      regimes: cnnRegimes(preset.strengths).map((r) => ({
        name: r.name,
        description: r.description,
        patience: null,
        checkpoint: false,
        build: (data, seed) => buildCnn(preset.arch, data.imageShape!, data.outputs, r.regularization, seed),
      })),
      epochs: o.epochs ?? preset.epochs,
      batchSize: preset.batchSize,
      learningRate: preset.learningRate,
      standardize: false,
      network: (data) => {
        const d = describeCnn(preset.arch, data.imageShape!, data.outputs);
        return { full: d, short: d };
      },
    };
  }
  const preset = DEMO_PRESETS[o.dataset];
  const arch: Architecture = { ...preset.arch, hidden: o.hidden ?? preset.arch.hidden };
  return {
    regimes: demoRegimes(preset.strengths).map((r) => ({ ...r, build: (data, seed) => buildModel(data, arch, r.regularization, seed) })),
    epochs: o.epochs ?? preset.epochs,
    batchSize: preset.batchSize,
    learningRate: preset.learningRate,
    standardize: true,
    network: (data) => {
      const dims = [data.inputSize, ...arch.hidden, data.outputs].join('-');
      return { full: `${dims} (${arch.activation} hidden, ${data.task === 'classification' ? 'softmax' : 'linear'} output)`, short: `${dims} ${arch.activation}` };
    },
  };
}

/** Runs the demo; returns the report data (also printed and written). */
export async function runDemo(o: DemoFlags, argv: readonly string[]): Promise<ReportData> {
  // The text set has its own study (an LSTM): src/cli/text-demo.ts.
  if ((o.dataset as string) === TEXT_DEMO_DATASET) return runTextDemo(o, argv);
  const study = studyOf(o);
  let regimes = study.regimes;
  if (o.regimes !== undefined) {
    const wanted = o.regimes.split(',').map((s) => s.trim());
    const unknown = wanted.filter((w) => !regimes.some((r) => r.name === w));
    if (unknown.length) throw new UsageError(`--regimes: unknown regime ${JSON.stringify(unknown[0])}; known: ${regimes.map((r) => r.name).join(', ')}`);
    regimes = regimes.filter((r) => wanted.includes(r.name));
  }
  // A missing Fashion-MNIST is said before anything is written.
  if (o.dataset === 'fashion-mnist') fashionMnistPaths();
  const out = openOutputDir(o.out, { flag: '--out', kind: 'demo', force: o.force === true });
  const { backend, note } = await initBackend();
  const { epochs, batchSize, learningRate } = study;
  const { data, rows, split, splitNote } = loadDemoData(o.dataset, demoSplit(o.dataset), o.seed, study.standardize);
  const { metric, higherIsBetter } = taskMetric(data.task);
  const network = study.network(data);
  const log = (s: string): void => void (o.quiet ? undefined : process.stderr.write(`${s}\n`));
  if (note) log(note);
  log(
    `regula demo: ${o.dataset} (${rows} rows: ${split.train} train / ${split.validation} validation / ${split.test} test), ` +
      `network ${network.short}, ${epochs} epochs, seed ${o.seed}, backend ${backend}`,
  );
  const runs: RunReport[] = [];
  // Best-only checkpoints are written into the staging directory, published with the report.
  const staging = out.staging();
  try {
    for (const [i, regime] of regimes.entries()) {
      const model = regime.build(data, o.seed);
      const { report } = await trainRun(regime.name, model, data, {
        epochs,
        batchSize,
        optimizer: 'adam',
        learningRate,
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
      network: network.full,
      ...(o.dataset === 'fashion-mnist' ? { data: demoDatasetDescription(o.dataset) } : {}),
      split: splitNote,
      epochs,
      batchSize,
      optimizer: `adam (learning rate ${learningRate})`,
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
    const note = noiseNote(metric, none.test[metric], best.test[metric], split.test);
    if (note) console.log(note);
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
    .addOption(new Option('--dataset <name>', `embedded dataset (${TEXT_DEMO_DATASET}: the LSTM study), or fashion-mnist (Debian\'s dataset-fashion-mnist package)`).choices([...DEMO_DATASET_NAMES, TEXT_DEMO_DATASET]).default('digits'))
    .addOption(new Option('--model <kind>', 'network: mlp, or cnn on the image datasets (digits, fashion-mnist) (default: cnn on fashion-mnist, else mlp)').choices(['mlp', 'cnn']))
    .option('--out <dir>', 'report directory', 'regula-report')
    .option('--seed <n>', 'seed of the split, initialization, shuffling and dropout', int({ min: 0, max: 2 ** 31 - 1 }), 42)
    .option('--epochs <n>', 'override the preset number of epochs', int({ min: 1, max: 100000 }))
    .option('--hidden <sizes>', 'override the hidden layer sizes of the MLP, comma-separated', intList({ min: 1, max: 65536 }))
    .option('--regimes <names>', 'run only these regimes (comma-separated)')
    .option('--force', 'write into an existing directory Regula did not write (only new files are added; nothing is replaced)')
    .option('--quiet', 'no progress output')
    .action(async (o: DemoFlags) => {
      await runDemo(o, argv());
    });
}

/**
 * Says how large a test-accuracy difference must be before one split can
 * tell it from noise: about two binomial standard errors of the difference,
 * 2·√(2·p(1 − p)/n) for n test rows. A demo ranks regimes from one split;
 * `regula compare` tests differences on k folds (docs/semantics.md,
 * "Comparing regimes").
 */
export function noiseNote(metric: string, base: number | undefined, best: number | undefined, nTest: number): string | undefined {
  if (metric !== 'accuracy' || base === undefined || best === undefined || !(nTest > 0)) return undefined;
  const p = Math.min(Math.max(base, 1e-6), 1 - 1e-6);
  const margin = 2 * Math.sqrt((2 * p * (1 - p)) / nTest);
  const diff = best - base;
  const verdict = Math.abs(diff) < margin ? 'within the noise of one split' : 'larger than the noise of one split';
  return `one split of ${nTest} test rows: differences under about ±${formatNumber(margin)} (two binomial standard errors) are noise; this one (${diff >= 0 ? '+' : ''}${formatNumber(diff)}) is ${verdict} — for a significance test on k folds run regula compare`;
}
