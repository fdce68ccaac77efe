/**
 * What `regula demo` compares on each dataset: the network (an MLP, or a CNN
 * on the image sets), its regimes as plain-data model specs (so trials run
 * in worker threads: trial-task.ts), the training settings, and how the rows
 * are resampled — the held-out test fraction and the r × k stratified folds
 * of the rest, chosen so the demo keeps to about a minute on 2 cores.
 */
import { UsageError } from './cli-error.js';
import { cnnRegimes, describeCnn, DIGITS_CNN, DIGITS_CNN_STRENGTHS, FASHION_CNN_STRENGTHS, W5_CNN, type CnnArchitecture, type CnnStrengths } from './cnn.js';
import { DEMO_DATASET_NAMES, type DemoDataset } from './demo-data.js';
import type { Architecture } from './model-from-flags.js';
import type { PreparedData } from './prepare-data.js';
import { DEFAULT_STRENGTHS, demoRegimes, type RegimeStrengths } from './regimes.js';
import type { ModelSpec } from './trial-task.js';

/** How rows are resampled: a held-out test part, then r × k stratified folds of the rest. */
export interface Resampling {
  /** Fraction of the rows held out as the final test set (never used to choose). */
  readonly test: number;
  /** Folds (k) and repetitions (r) of the cross-validation on the other rows. */
  readonly folds: number;
  readonly repeats: number;
  /** Fraction of each fold's training part kept aside as validation (early stopping, val curves). */
  readonly validation: number;
}

/** How the demo trains on one dataset. */
export interface DemoPreset {
  readonly arch: Architecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly resampling: Resampling;
  readonly strengths: RegimeStrengths;
}

const WIDE: Architecture = { hidden: [256, 256], activation: 'relu' };
const TABULAR: RegimeStrengths = { ...DEFAULT_STRENGTHS, gaussianNoise: 0.5 };

/**
 * Per-dataset settings of the demo. Digits selects on 30 % of the rows (539
 * images; each of the 4 folds' models trains on 323 of them, for 85 k weights) and holds out
 * 70 % as the test set, so overfitting is real and the test estimate is
 * tight; the regression set uses a larger learning rate (the target is in
 * raw units) and penalties scaled to its MSE. r × k: measured to keep the
 * demo near a minute on 2 cores.
 */
export const DEMO_PRESETS: Record<DemoDataset, DemoPreset> = {
  digits: { arch: WIDE, epochs: 60, batchSize: 32, learningRate: 1e-3, resampling: { test: 0.7, folds: 4, repeats: 2, validation: 0.2 }, strengths: DEFAULT_STRENGTHS },
  breast_cancer: { arch: WIDE, epochs: 60, batchSize: 32, learningRate: 1e-3, resampling: { test: 0.3, folds: 4, repeats: 2, validation: 0.2 }, strengths: TABULAR },
  wine: { arch: WIDE, epochs: 60, batchSize: 32, learningRate: 1e-3, resampling: { test: 0.3, folds: 4, repeats: 3, validation: 0.2 }, strengths: TABULAR },
  diabetes: {
    arch: WIDE,
    epochs: 60,
    batchSize: 32,
    learningRate: 1e-2,
    resampling: { test: 0.3, folds: 4, repeats: 2, validation: 0.2 },
    strengths: { ...TABULAR, l1: 0.01, l2: 0.1, combined: { l1: 1e-3, l2: 0.1, dropout: 0.5, gaussianNoise: 0.5, maxNorm: 1 } },
  },
  // A seeded sample of 3000 of the 60 000 training images is resampled; the 10 000 test images are the test set.
  'fashion-mnist': { arch: WIDE, epochs: 30, batchSize: 32, learningRate: 1e-3, resampling: { test: 0, folds: 3, repeats: 1, validation: 0.2 }, strengths: DEFAULT_STRENGTHS },
};

/** Training images sampled from Fashion-MNIST's 60 000 for the cross-validation. */
export const FASHION_MNIST_SAMPLE = 3000;

/** How the CNN demo trains on an image dataset. */
export interface CnnPreset {
  readonly arch: CnnArchitecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly strengths: CnnStrengths;
}

/** The image datasets of `--model cnn` and their CNN settings (resampling: the dataset's DEMO_PRESETS). */
export const CNN_PRESETS: Partial<Record<DemoDataset, CnnPreset>> = {
  digits: { arch: DIGITS_CNN, epochs: 60, batchSize: 32, learningRate: 1e-3, strengths: DIGITS_CNN_STRENGTHS },
  // The classic small convnet (bench W5), 128 per batch as W5.
  'fashion-mnist': { arch: W5_CNN, epochs: 15, batchSize: 128, learningRate: 1e-3, strengths: FASHION_CNN_STRENGTHS },
};

/** One regime of a study: its network as data, and its training extras. */
export interface StudyRegime {
  readonly name: string;
  readonly description: string;
  readonly patience: number | null;
  readonly checkpoint: boolean;
  readonly model: ModelSpec;
}

/** A demo's network, regimes and settings. */
export interface Study {
  readonly kind: 'mlp' | 'cnn';
  readonly regimes: StudyRegime[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly resampling: Resampling;
  /** Standardize the features (MLP) or keep the pixels as they are (CNN). */
  readonly standardize: boolean;
  /** The network for the report, and in short for the log line. */
  readonly network: (data: Pick<PreparedData, 'inputSize' | 'outputs' | 'task' | 'imageShape'>) => { full: string; short: string };
}

/** The flags that choose a study. */
export interface StudyFlags {
  dataset: DemoDataset;
  model?: 'mlp' | 'cnn';
  epochs?: number;
  hidden?: number[];
  folds?: number;
  repeats?: number;
}

/**
 * The study of a dataset and model kind.
 *
 * @throws UsageError for a CNN on a dataset that is not images, or --hidden with a CNN.
 */
export function studyOf(o: StudyFlags): Study {
  const kind = o.model ?? (o.dataset === 'fashion-mnist' ? 'cnn' : 'mlp');
  const base = DEMO_PRESETS[o.dataset];
  const resampling: Resampling = { ...base.resampling, folds: o.folds ?? base.resampling.folds, repeats: o.repeats ?? base.resampling.repeats };
  if (kind === 'cnn') {
    const preset = CNN_PRESETS[o.dataset];
    if (!preset) {
      const images = DEMO_DATASET_NAMES.filter((d) => CNN_PRESETS[d] !== undefined).join(', ');
      throw new UsageError(`--model cnn needs an image dataset (${images}); ${o.dataset} has plain features: use --model mlp`);
    }
    if (o.hidden !== undefined) throw new UsageError('--hidden sets the MLP\'s hidden layers; it does not apply to --model cnn');
    return {
      kind,
      regimes: cnnRegimes(preset.strengths).map((r) => ({ name: r.name, description: r.description, patience: null, checkpoint: false, model: { kind: 'cnn', arch: preset.arch, reg: r.regularization } })),
      epochs: o.epochs ?? preset.epochs,
      batchSize: preset.batchSize,
      learningRate: preset.learningRate,
      resampling,
      standardize: false,
      network: (data) => {
        const d = describeCnn(preset.arch, data.imageShape!, data.outputs);
        return { full: d, short: d };
      },
    };
  }
  const arch: Architecture = { ...base.arch, hidden: o.hidden ?? base.arch.hidden };
  return {
    kind,
    regimes: demoRegimes(base.strengths).map((r) => ({ name: r.name, description: r.description, patience: r.patience, checkpoint: r.checkpoint, model: { kind: 'mlp', arch, reg: r.regularization } })),
    epochs: o.epochs ?? base.epochs,
    batchSize: base.batchSize,
    learningRate: base.learningRate,
    resampling,
    standardize: true,
    network: (data) => {
      const dims = [data.inputSize, ...arch.hidden, data.outputs].join('-');
      return { full: `${dims} (${arch.activation} hidden, ${data.task === 'classification' ? 'softmax' : 'linear'} output)`, short: `${dims} ${arch.activation}` };
    },
  };
}
