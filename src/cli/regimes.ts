/**
 * The regularization regimes the demo compares, as data: the same network
 * under each, so the table isolates what each technique does to the
 * generalization gap.
 */

/** Regularization settings of a network built by `buildModel` (0 = off). */
export interface Regularization {
  /** L1 factor of every Dense kernel. */
  readonly l1: number;
  /** L2 factor of every Dense kernel. */
  readonly l2: number;
  /** Dropout rate after each hidden layer. */
  readonly dropout: number;
  /** Standard deviation of Gaussian noise added to the (standardized) inputs. */
  readonly gaussianNoise: number;
  /** Max-norm bound on each hidden unit's incoming weight vector. */
  readonly maxNorm: number;
}

/** No regularization at all. */
export const NO_REGULARIZATION: Regularization = { l1: 0, l2: 0, dropout: 0, gaussianNoise: 0, maxNorm: 0 };

/** One regime of the demo. */
export interface Regime {
  /** Short name shown in the table and report (unique). */
  readonly name: string;
  readonly description: string;
  readonly regularization: Regularization;
  /** Early-stopping patience on val_loss (best weights restored), or null. */
  readonly patience: number | null;
  /** Whether the best epoch (val_loss) is also written as a checkpoint directory. */
  readonly checkpoint: boolean;
}

const reg = (r: Partial<Regularization>): Regularization => ({ ...NO_REGULARIZATION, ...r });

/** Strengths of the demo's regimes (chosen by measuring on the embedded datasets). */
export interface RegimeStrengths {
  /** Each technique alone: its factor, rate or bound (the other fields of `combined` are ignored here). */
  readonly l1: number;
  readonly l2: number;
  readonly dropout: number;
  readonly gaussianNoise: number;
  readonly maxNorm: number;
  /** Early-stopping patience (epochs without a better val_loss). */
  readonly patience: number;
  /**
   * The "all combined" regime's settings. Stacked at full strength the
   * techniques underfit, so some are milder here than alone.
   */
  readonly combined: Regularization;
}

/**
 * The digits defaults: per technique, the setting that helped most on
 * average over six seeds (max-norm 0.5 binds: hidden units of the plain
 * network reach norms of 0.8–1.8).
 */
export const DEFAULT_STRENGTHS: RegimeStrengths = {
  l1: 1e-4,
  l2: 1e-3,
  dropout: 0.5,
  gaussianNoise: 1,
  maxNorm: 0.5,
  patience: 20,
  combined: { l1: 1e-5, l2: 1e-3, dropout: 0.5, gaussianNoise: 0.5, maxNorm: 1 },
};

/**
 * The eight regimes of `regula demo`: none, L2, L1, dropout, Gaussian noise,
 * max-norm + dropout, early stopping + checkpoint, and all combined.
 */
export function demoRegimes(s: RegimeStrengths = DEFAULT_STRENGTHS): Regime[] {
  return [
    { name: 'none', description: 'no regularization', regularization: reg({}), patience: null, checkpoint: false },
    { name: 'l2', description: `L2 ${s.l2} on every kernel`, regularization: reg({ l2: s.l2 }), patience: null, checkpoint: false },
    { name: 'l1', description: `L1 ${s.l1} on every kernel`, regularization: reg({ l1: s.l1 }), patience: null, checkpoint: false },
    { name: 'dropout', description: `dropout ${s.dropout} after each hidden layer`, regularization: reg({ dropout: s.dropout }), patience: null, checkpoint: false },
    {
      name: 'gaussian-noise',
      description: `Gaussian noise σ=${s.gaussianNoise} on the standardized inputs`,
      regularization: reg({ gaussianNoise: s.gaussianNoise }),
      patience: null,
      checkpoint: false,
    },
    {
      name: 'max-norm+dropout',
      description: `max-norm ${s.maxNorm} on hidden kernels + dropout ${s.dropout}`,
      regularization: reg({ maxNorm: s.maxNorm, dropout: s.dropout }),
      patience: null,
      checkpoint: false,
    },
    {
      name: 'early-stopping',
      description: `early stopping on val_loss (patience ${s.patience}, best weights restored) + best-only checkpoint`,
      regularization: reg({}),
      patience: s.patience,
      checkpoint: true,
    },
    {
      name: 'all-combined',
      description: `${describeRegularization(s.combined)} + early stopping (patience ${s.patience}) + checkpoint`,
      regularization: s.combined,
      patience: s.patience,
      checkpoint: true,
    },
  ];
}

/** Describes a regularization compactly, e.g. `l2=0.001 dropout=0.5` (`none` when all off). */
export function describeRegularization(r: Regularization): string {
  const parts: string[] = [];
  if (r.l1) parts.push(`l1=${r.l1}`);
  if (r.l2) parts.push(`l2=${r.l2}`);
  if (r.dropout) parts.push(`dropout=${r.dropout}`);
  if (r.gaussianNoise) parts.push(`noise=${r.gaussianNoise}`);
  if (r.maxNorm) parts.push(`maxNorm=${r.maxNorm}`);
  return parts.length ? parts.join(' ') : 'none';
}
