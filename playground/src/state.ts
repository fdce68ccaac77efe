/**
 * The playground's whole state — data, model, regularization, training
 * settings and seed — and its round trip through the URL query, so a link
 * reproduces a run bit for bit. Pure: no DOM, no library import.
 */

export const TOY_SETS = ['circle', 'xor', 'gauss', 'spiral'] as const;
export type ToySet = (typeof TOY_SETS)[number];
export const EMBEDDED_SETS = ['digits', 'breast_cancer', 'wine', 'diabetes'] as const;
export type EmbeddedSet = (typeof EMBEDDED_SETS)[number];
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const;
export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad'] as const;
export const CONSTRAINTS = ['none', 'maxNorm', 'unitNorm', 'nonNeg'] as const;

/** Regularization of one hidden layer (all 0 / 'none' = unregularized). */
export interface LayerReg {
  kernelL1: number;
  kernelL2: number;
  biasL1: number;
  biasL2: number;
  activityL1: number;
  activityL2: number;
  constraint: (typeof CONSTRAINTS)[number];
  maxNorm: number;
  dropout: number;
  gaussianNoise: number;
  gaussianDropout: number;
}

export const LAYER_REG_KEYS = ['kernelL1', 'kernelL2', 'biasL1', 'biasL2', 'activityL1', 'activityL2', 'maxNorm', 'dropout', 'gaussianNoise', 'gaussianDropout'] as const;
export type LayerRegNumber = (typeof LAYER_REG_KEYS)[number];

export interface PlaygroundState {
  /** 'circle' | 'xor' | 'gauss' | 'spiral', an embedded set, or 'csv' (the user's file). */
  data: ToySet | EmbeddedSet | 'csv';
  /** Toy sets: label noise in percent of the spread (0–50), as TensorFlow Playground. */
  noise: number;
  /** Toy sets: number of points. */
  samples: number;
  /** Fraction of rows held out as test data. */
  testSplit: number;
  /** Fraction of rows held out for validation (early stopping, val curves). */
  validationSplit: number;
  /** CSV: the target column and the file's name (the file itself is not in the URL). */
  target: string;
  csvName: string;
  hidden: number[];
  activation: (typeof ACTIVATIONS)[number];
  optimizer: (typeof OPTIMIZERS)[number];
  lr: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Decoupled weight decay of the optimizer (0 = none). */
  weightDecay: number;
  /** Early stopping patience in epochs (0 = off), restoring the best weights. */
  patience: number;
  restoreBest: boolean;
  /** One entry per hidden layer. */
  layers: LayerReg[];
}

export function noRegularization(): LayerReg {
  return { kernelL1: 0, kernelL2: 0, biasL1: 0, biasL2: 0, activityL1: 0, activityL2: 0, constraint: 'none', maxNorm: 3, dropout: 0, gaussianNoise: 0, gaussianDropout: 0 };
}

export function defaultState(): PlaygroundState {
  return {
    data: 'spiral',
    noise: 30,
    samples: 200,
    testSplit: 0.3,
    validationSplit: 0.2,
    target: '',
    csvName: '',
    hidden: [48, 48],
    activation: 'relu',
    optimizer: 'adam',
    lr: 0.02,
    batchSize: 10,
    epochs: 150,
    seed: 1,
    weightDecay: 0,
    patience: 0,
    restoreBest: true,
    layers: [noRegularization(), noRegularization()],
  };
}

export function isToy(data: PlaygroundState['data']): data is ToySet {
  return (TOY_SETS as readonly string[]).includes(data);
}

/** Keeps `layers` as long as `hidden`, new layers copying the last one's regularization. */
export function syncLayers(s: PlaygroundState): PlaygroundState {
  const layers = s.hidden.map((_, i) => s.layers[i] ?? { ...(s.layers[s.layers.length - 1] ?? noRegularization()) });
  return { ...s, layers };
}

const SCALARS = ['noise', 'samples', 'testSplit', 'validationSplit', 'lr', 'batchSize', 'epochs', 'seed', 'weightDecay', 'patience'] as const;
type Scalar = (typeof SCALARS)[number];

/** Valid ranges of the numeric settings: [min, max, integer]. */
export const RANGES: Record<Scalar, readonly [number, number, boolean]> = {
  noise: [0, 50, false],
  samples: [50, 2000, true],
  testSplit: [0, 0.8, false],
  validationSplit: [0, 0.8, false],
  lr: [1e-6, 10, false],
  batchSize: [1, 4096, true],
  epochs: [1, 10000, true],
  seed: [0, 2 ** 31 - 1, true],
  weightDecay: [0, 1, false],
  patience: [0, 1000, true],
};

/** The settings' names as the panel labels them. */
const NAMES: Record<Scalar, string> = {
  noise: 'noise (%)',
  samples: 'points',
  testSplit: 'test fraction',
  validationSplit: 'validation fraction',
  lr: 'learning rate',
  batchSize: 'batch size',
  epochs: 'epochs',
  seed: 'seed',
  weightDecay: 'weight decay',
  patience: 'early stopping patience',
};

/** Why a state cannot train, or null. Messages name the setting. */
export function checkState(s: PlaygroundState): string | null {
  for (const k of SCALARS) {
    const [lo, hi, int] = RANGES[k];
    const v = s[k];
    if (!Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v))) return `${NAMES[k]} must be ${int ? 'an integer ' : ''}in [${lo}, ${hi}], got ${v}`;
  }
  if (s.validationSplit + s.testSplit >= 1) return `validation + test fraction must be < 1, got ${s.validationSplit} + ${s.testSplit}`;
  if (s.patience > 0 && s.validationSplit === 0) return 'early stopping needs a validation fraction > 0';
  if (s.hidden.length > 6 || s.hidden.some((u) => !Number.isInteger(u) || u < 1 || u > 512)) return 'hidden layers: 0 to 6 layers of 1 to 512 units';
  for (const [i, l] of s.layers.entries()) {
    for (const k of LAYER_REG_KEYS) {
      const v = l[k];
      const max = k === 'dropout' || k === 'gaussianDropout' ? 0.99 : k === 'maxNorm' ? 100 : 10;
      if (!Number.isFinite(v) || v < 0 || v > max) return `layer ${i + 1} ${words(k)} must be in [0, ${max}], got ${v}`;
    }
    if (l.constraint === 'maxNorm' && !(l.maxNorm > 0)) return `layer ${i + 1} max-norm must be > 0`;
  }
  return null;
}

/** 'kernelL2' → 'kernel L2', 'gaussianDropout' → 'gaussian dropout' (names in messages). */
export function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${/[LN]/.test(b) ? b : b.toLowerCase()}`);
}

/** The state as URL query parameters (defaults left out, so links stay short). */
export function stateToQuery(s: PlaygroundState): string {
  const d = defaultState();
  const p = new URLSearchParams();
  p.set('data', s.data);
  for (const k of SCALARS) if (s[k] !== d[k]) p.set(k, String(s[k]));
  if (s.data === 'csv') {
    p.set('target', s.target);
    p.set('csv', s.csvName);
  }
  p.set('hidden', s.hidden.join(','));
  p.set('act', s.activation);
  p.set('opt', s.optimizer);
  if (s.restoreBest !== d.restoreBest) p.set('restoreBest', s.restoreBest ? '1' : '0');
  for (const k of LAYER_REG_KEYS) {
    const vals = s.layers.map((l) => l[k]);
    if (vals.some((v) => v !== noRegularization()[k])) p.set(k, vals.join(','));
  }
  const cons = s.layers.map((l) => l.constraint);
  if (cons.some((c) => c !== 'none')) p.set('constraint', cons.join(','));
  return p.toString();
}

function pick<T extends string>(v: string | null, allowed: readonly T[], fallback: T, what: string, problems: string[]): T {
  if (v === null) return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  problems.push(`unknown ${what} "${v}" (expected ${allowed.join(', ')})`);
  return fallback;
}

/**
 * Reads a state from URL query parameters; missing ones keep their defaults.
 * Unknown values are reported in `problems` (and replaced by the default).
 */
export function stateFromQuery(query: string): { state: PlaygroundState; problems: string[] } {
  const p = new URLSearchParams(query);
  const s = defaultState();
  const problems: string[] = [];
  s.data = pick(p.get('data'), [...TOY_SETS, ...EMBEDDED_SETS, 'csv'] as const, s.data, 'data set', problems);
  for (const k of SCALARS) {
    const v = p.get(k);
    if (v !== null) s[k] = Number(v);
  }
  s.target = p.get('target') ?? '';
  s.csvName = p.get('csv') ?? '';
  const hidden = p.get('hidden');
  if (hidden !== null) s.hidden = hidden === '' ? [] : hidden.split(',').map(Number);
  s.activation = pick(p.get('act'), ACTIVATIONS, s.activation, 'activation', problems);
  s.optimizer = pick(p.get('opt'), OPTIMIZERS, s.optimizer, 'optimizer', problems);
  if (p.get('restoreBest') !== null) s.restoreBest = p.get('restoreBest') === '1';
  s.layers = s.hidden.map(() => noRegularization());
  for (const k of LAYER_REG_KEYS) {
    const v = p.get(k);
    if (v === null) continue;
    v.split(',').forEach((x, i) => {
      if (s.layers[i]) s.layers[i]![k] = Number(x);
    });
  }
  const cons = p.get('constraint');
  if (cons !== null) {
    cons.split(',').forEach((c, i) => {
      if (s.layers[i]) s.layers[i]!.constraint = pick(c, CONSTRAINTS, 'none', 'constraint', problems);
    });
  }
  const bad = checkState(s);
  if (bad) problems.push(bad);
  return { state: s, problems };
}
