/**
 * Weight initializers (Keras 3 semantics, TF.js spelling): zeros, ones,
 * constant, randomNormal, randomUniform, truncatedNormal, varianceScaling and
 * its presets (glorot / he / lecun × uniform / normal), orthogonal.
 *
 * Each is an `Initializer` ({apply(shape, rng), getConfig()}) drawing from the
 * `Rng` the layer's `build` receives, so a model seed fixes every weight. An
 * explicit `seed` option makes an initializer ignore that stream and give the
 * same values on every call (Keras 3 behaviour for an int seed).
 *
 * `getInitializer` resolves a name ('glorotUniform', 'glorot_uniform',
 * 'GlorotUniform'), a {class_name, config} object, or an Initializer.
 * Imports: tensor/, random.ts and config/ only.
 */
import type { Initializer, SerializedObject } from './config/types.js';
import { nameTable, resolve } from './config/resolve.js';
import { Rng } from './random.js';
import { fill, randomNormal, randomUniform, truncatedNormal } from './tensor/create.js';
import { fmt, sizeOf } from './tensor/shape.js';
import { Tensor } from './tensor/tensor.js';

export type { Initializer } from './config/types.js';

/** Keras 3: truncating N(0,1) at ±2σ leaves this standard deviation. */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** Optional fixed seed shared by every random initializer. */
export interface SeedArgs {
  /** Fixed seed: the same values on every call, ignoring the layer's Rng. */
  seed?: number | null;
}

function rngFor(seed: number | null | undefined, rng: Rng): Rng {
  return seed === undefined || seed === null ? rng : new Rng(seed);
}

function finite(v: unknown, what: string, op: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: ${what} must be a finite number, got ${String(v)}`);
  return v;
}

function checkSeed(seed: unknown, op: string): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`${op}: seed must be an integer or null, got ${String(seed)}`);
  return seed;
}

/**
 * Fans of a weight shape, Keras rule: [n] → (n, n); [in, out] → (in, out);
 * conv kernels [...k, in, out] → (in·Πk, out·Πk); scalar → (1, 1).
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** All zeros. */
export class Zeros implements Initializer {
  apply(shape: readonly number[]): Tensor {
    return fill(shape, 0);
  }
  getConfig(): SerializedObject {
    return { class_name: 'Zeros', config: {} };
  }
}

/** All ones. */
export class Ones implements Initializer {
  apply(shape: readonly number[]): Tensor {
    return fill(shape, 1);
  }
  getConfig(): SerializedObject {
    return { class_name: 'Ones', config: {} };
  }
}

/** Every element equal to `value` (default 0). */
export class Constant implements Initializer {
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    this.value = finite(args.value ?? 0, 'value', 'constant');
  }
  apply(shape: readonly number[]): Tensor {
    return fill(shape, this.value);
  }
  getConfig(): SerializedObject {
    return { class_name: 'Constant', config: { value: this.value } };
  }
}

/** N(mean, stddev²); Keras defaults mean 0, stddev 0.05. */
export class RandomNormal implements Initializer {
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(args: { mean?: number; stddev?: number } & SeedArgs = {}) {
    this.mean = finite(args.mean ?? 0, 'mean', 'randomNormal');
    this.stddev = finite(args.stddev ?? 0.05, 'stddev', 'randomNormal');
    this.seed = checkSeed(args.seed, 'randomNormal');
  }
  apply(shape: readonly number[], rng: Rng): Tensor {
    return randomNormal(shape, { mean: this.mean, stddev: this.stddev, seed: rngFor(this.seed, rng) });
  }
  getConfig(): SerializedObject {
    return { class_name: 'RandomNormal', config: { mean: this.mean, stddev: this.stddev, seed: this.seed } };
  }
}

/** U[minval, maxval); Keras defaults −0.05, 0.05. */
export class RandomUniform implements Initializer {
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | null;
  constructor(args: { minval?: number; maxval?: number } & SeedArgs = {}) {
    this.minval = finite(args.minval ?? -0.05, 'minval', 'randomUniform');
    this.maxval = finite(args.maxval ?? 0.05, 'maxval', 'randomUniform');
    if (this.minval > this.maxval) throw new Error(`randomUniform: minval must be ≤ maxval, got minval ${this.minval} > maxval ${this.maxval}`);
    this.seed = checkSeed(args.seed, 'randomUniform');
  }
  apply(shape: readonly number[], rng: Rng): Tensor {
    return randomUniform(shape, { minval: this.minval, maxval: this.maxval, seed: rngFor(this.seed, rng) });
  }
  getConfig(): SerializedObject {
    return { class_name: 'RandomUniform', config: { minval: this.minval, maxval: this.maxval, seed: this.seed } };
  }
}

/** N(mean, stddev²) with values beyond 2·stddev redrawn; defaults 0, 0.05. */
export class TruncatedNormal implements Initializer {
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(args: { mean?: number; stddev?: number } & SeedArgs = {}) {
    this.mean = finite(args.mean ?? 0, 'mean', 'truncatedNormal');
    this.stddev = finite(args.stddev ?? 0.05, 'stddev', 'truncatedNormal');
    this.seed = checkSeed(args.seed, 'truncatedNormal');
  }
  apply(shape: readonly number[], rng: Rng): Tensor {
    return truncatedNormal(shape, { mean: this.mean, stddev: this.stddev, seed: rngFor(this.seed, rng) });
  }
  getConfig(): SerializedObject {
    return { class_name: 'TruncatedNormal', config: { mean: this.mean, stddev: this.stddev, seed: this.seed } };
  }
}

export interface VarianceScalingArgs extends SeedArgs {
  /** Positive scale (default 1). */
  scale?: number;
  /** 'fan_in' (default), 'fan_out', 'fan_avg'; TF.js 'fanIn' … accepted. */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /** 'truncated_normal' (default), 'untruncated_normal', 'uniform'; 'normal' (Keras 2 / TF.js) = truncated. */
  distribution?: Distribution | 'normal' | 'truncatedNormal' | 'untruncatedNormal';
}

const MODES: Record<string, FanMode> = { fan_in: 'fan_in', fanin: 'fan_in', fan_out: 'fan_out', fanout: 'fan_out', fan_avg: 'fan_avg', fanavg: 'fan_avg' };
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncated_normal: 'truncated_normal',
  truncatednormal: 'truncated_normal',
  normal: 'truncated_normal',
  untruncated_normal: 'untruncated_normal',
  untruncatednormal: 'untruncated_normal',
  uniform: 'uniform',
};

/**
 * Keras VarianceScaling: s = scale / max(1, fan) with fan per `mode`;
 * truncated_normal: stddev = √s / 0.8796…; untruncated_normal: stddev = √s;
 * uniform: U(−√(3s), √(3s)).
 */
export class VarianceScaling implements Initializer {
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | null;
  /** Keras class name written by getConfig (the presets keep their own). */
  protected readonly className: string = 'VarianceScaling';

  constructor(args: VarianceScalingArgs = {}) {
    const scale = args.scale ?? 1;
    if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) {
      throw new Error(`varianceScaling: scale must be a positive finite number, got ${String(scale)}`);
    }
    this.scale = scale;
    const mode = MODES[String(args.mode ?? 'fan_in').toLowerCase()];
    if (!mode) throw new Error(`varianceScaling: mode must be one of fan_in, fan_out, fan_avg, got '${String(args.mode)}'`);
    this.mode = mode;
    const dist = DISTRIBUTIONS[String(args.distribution ?? 'truncated_normal').toLowerCase()];
    if (!dist) throw new Error(`varianceScaling: distribution must be one of truncated_normal, untruncated_normal, uniform, got '${String(args.distribution)}'`);
    this.distribution = dist;
    this.seed = checkSeed(args.seed, 'varianceScaling');
  }

  apply(shape: readonly number[], rng: Rng): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const s = this.scale / Math.max(1, fan);
    const seed = rngFor(this.seed, rng);
    if (this.distribution === 'truncated_normal') return truncatedNormal(shape, { stddev: Math.sqrt(s) / TRUNCATED_NORMAL_STDDEV, seed });
    if (this.distribution === 'untruncated_normal') return randomNormal(shape, { stddev: Math.sqrt(s), seed });
    const limit = Math.sqrt(3 * s);
    return randomUniform(shape, { minval: -limit, maxval: limit, seed });
  }

  getConfig(): SerializedObject {
    if (this.className !== 'VarianceScaling') return { class_name: this.className, config: { seed: this.seed } };
    return { class_name: 'VarianceScaling', config: { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed } };
  }
}

/** Glorot/Xavier uniform: U(±√(6/(fan_in+fan_out))). Keras default kernel initializer. */
export class GlorotUniform extends VarianceScaling {
  protected override readonly className = 'GlorotUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: args.seed ?? null });
  }
}

/** Glorot normal: truncated N with stddev √(2/(fan_in+fan_out)) (before truncation correction). */
export class GlorotNormal extends VarianceScaling {
  protected override readonly className = 'GlorotNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: args.seed ?? null });
  }
}

/** He uniform: U(±√(6/fan_in)). */
export class HeUniform extends VarianceScaling {
  protected override readonly className = 'HeUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: args.seed ?? null });
  }
}

/** He normal: truncated N, stddev √(2/fan_in). */
export class HeNormal extends VarianceScaling {
  protected override readonly className = 'HeNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed ?? null });
  }
}

/** LeCun uniform: U(±√(3/fan_in)). */
export class LecunUniform extends VarianceScaling {
  protected override readonly className = 'LecunUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: args.seed ?? null });
  }
}

/** LeCun normal: truncated N, stddev √(1/fan_in). */
export class LecunNormal extends VarianceScaling {
  protected override readonly className = 'LecunNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed ?? null });
  }
}

/**
 * Random orthogonal matrix (Saxe et al.), Keras algorithm: flatten to
 * [Π shape[:-1], shape[-1]], QR of a normal [max, min] matrix, fix the signs by
 * diag(R), transpose if rows < cols, times `gain`.
 */
export class Orthogonal implements Initializer {
  readonly gain: number;
  readonly seed: number | null;
  constructor(args: { gain?: number } & SeedArgs = {}) {
    this.gain = finite(args.gain ?? 1, 'gain', 'orthogonal');
    this.seed = checkSeed(args.seed, 'orthogonal');
  }

  apply(shape: readonly number[], rng: Rng): Tensor {
    if (shape.length < 2) throw new Error(`orthogonal: shape must have rank ≥ 2, got ${fmt(shape)}`);
    const rows = sizeOf(shape.slice(0, -1));
    const cols = shape[shape.length - 1]!;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = Float64Array.from(randomNormal([m, n], { seed: rngFor(this.seed, rng) }).data);
    const q = thinQ(a, m, n);
    const out = new Float32Array(rows * cols);
    // q is [m, n]; the result is q (rows ≥ cols) or qᵀ (rows < cols), both [rows, cols].
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = this.gain * (rows >= cols ? q[i * n + j]! : q[j * n + i]!);
    }
    return new Tensor(shape, 'float32', out);
  }

  getConfig(): SerializedObject {
    return { class_name: 'Orthogonal', config: { gain: this.gain, seed: this.seed } };
  }
}

/**
 * Q of the thin QR of a [m, n] (m ≥ n) by modified Gram–Schmidt with one
 * re-orthogonalization pass; R's diagonal is then positive, which is exactly
 * Keras's `q * sign(diag(r))` normalization.
 */
function thinQ(a: Float64Array, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + p]! * q[i * n + j]!;
        for (let i = 0; i < m; i++) q[i * n + j]! -= dot * q[i * n + p]!;
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += q[i * n + j]! ** 2;
    nrm = Math.sqrt(nrm);
    if (nrm === 0) throw new Error(`orthogonal: the random matrix [${m},${n}] is rank-deficient (draw again with another seed)`);
    for (let i = 0; i < m; i++) q[i * n + j]! /= nrm;
  }
  return q;
}

// ---- factories (TF.js spelling) ----
export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();
export const constant = (args: { value?: number } | number = {}): Initializer => new Constant(typeof args === 'number' ? { value: args } : args);
export const randomNormalInit = (args: ConstructorParameters<typeof RandomNormal>[0] = {}): Initializer => new RandomNormal(args);
export const randomUniformInit = (args: ConstructorParameters<typeof RandomUniform>[0] = {}): Initializer => new RandomUniform(args);
export const truncatedNormalInit = (args: ConstructorParameters<typeof TruncatedNormal>[0] = {}): Initializer => new TruncatedNormal(args);
export const varianceScaling = (args: VarianceScalingArgs = {}): Initializer => new VarianceScaling(args);
export const glorotUniform = (args: SeedArgs = {}): Initializer => new GlorotUniform(args);
export const glorotNormal = (args: SeedArgs = {}): Initializer => new GlorotNormal(args);
export const heUniform = (args: SeedArgs = {}): Initializer => new HeUniform(args);
export const heNormal = (args: SeedArgs = {}): Initializer => new HeNormal(args);
export const lecunUniform = (args: SeedArgs = {}): Initializer => new LecunUniform(args);
export const lecunNormal = (args: SeedArgs = {}): Initializer => new LecunNormal(args);
export const orthogonal = (args: { gain?: number } & SeedArgs = {}): Initializer => new Orthogonal(args);

/** The `initializers` namespace: `initializers.glorotUniform()`, `initializers.randomNormal({stddev})` … */
export const initializers = {
  zeros,
  ones,
  constant,
  randomNormal: randomNormalInit,
  randomUniform: randomUniformInit,
  truncatedNormal: truncatedNormalInit,
  varianceScaling,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
  leCunUniform: lecunUniform,
  leCunNormal: lecunNormal,
  orthogonal,
};

type Cfg = Record<string, unknown>;
const num = (c: Cfg, k: string): number | undefined => (c[k] === undefined || c[k] === null ? undefined : (c[k] as number));
const seedOf = (c: Cfg): SeedArgs => ({ seed: (c['seed'] ?? null) as number | null });

/** Keras/TF.js class names → constructor from config. */
export const INITIALIZER_CLASSES = {
  Zeros: () => new Zeros(),
  Ones: () => new Ones(),
  Constant: (c: Cfg) => new Constant({ value: num(c, 'value') ?? 0 }),
  RandomNormal: (c: Cfg) => new RandomNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev'), ...seedOf(c) }),
  RandomUniform: (c: Cfg) => new RandomUniform({ minval: num(c, 'minval'), maxval: num(c, 'maxval'), ...seedOf(c) }),
  TruncatedNormal: (c: Cfg) => new TruncatedNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev'), ...seedOf(c) }),
  VarianceScaling: (c: Cfg) =>
    new VarianceScaling({
      scale: num(c, 'scale'),
      mode: (c['mode'] ?? undefined) as VarianceScalingArgs['mode'],
      distribution: (c['distribution'] ?? undefined) as VarianceScalingArgs['distribution'],
      ...seedOf(c),
    }),
  GlorotUniform: (c: Cfg) => new GlorotUniform(seedOf(c)),
  GlorotNormal: (c: Cfg) => new GlorotNormal(seedOf(c)),
  HeUniform: (c: Cfg) => new HeUniform(seedOf(c)),
  HeNormal: (c: Cfg) => new HeNormal(seedOf(c)),
  LecunUniform: (c: Cfg) => new LecunUniform(seedOf(c)),
  LecunNormal: (c: Cfg) => new LecunNormal(seedOf(c)),
  Orthogonal: (c: Cfg) => new Orthogonal({ gain: num(c, 'gain'), ...seedOf(c) }),
} satisfies Record<string, (config: Cfg) => Initializer>;

export type InitializerClassName = keyof typeof INITIALIZER_CLASSES;

/** Class names, any case, '_' ignored ('glorot_uniform', 'glorotUniform', 'GlorotUniform' all meet); errors list the factory names. */
const TABLE = nameTable<(config: Cfg) => Initializer>('getInitializer', 'initializer', INITIALIZER_CLASSES, { known: Object.keys(initializers).join(', ') });

/** A name, a {class_name, config} (Keras/TF.js JSON; TF.js `className` too) or an Initializer. */
export type InitializerIdentifier = string | SerializedObject | { className: string; config?: Cfg } | Initializer;

/**
 * Resolves an initializer identifier. Names accept camelCase, snake_case and
 * class names; TF.js's 'leCunNormal' and Keras's 'lecun_normal' both work.
 * @example getInitializer('glorot_uniform'); getInitializer({ class_name: 'Constant', config: { value: 2 } })
 */
export function getInitializer(id: InitializerIdentifier): Initializer {
  if (typeof id === 'object' && id !== null && typeof (id as Initializer).apply === 'function') return id as Initializer;
  let name: string;
  let config: Cfg = {};
  if (typeof id === 'string') name = id;
  else if (typeof id === 'object' && id !== null && ('class_name' in id || 'className' in id)) {
    name = String('class_name' in id ? id.class_name : id.className);
    config = (id.config ?? {}) as Cfg;
  } else throw new Error(`getInitializer: expected a name, a {class_name, config} object or an Initializer, got ${JSON.stringify(id)}`);
  return resolve(TABLE, name)(config);
}
