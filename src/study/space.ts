/**
 * Search spaces of `regula tune` / `tune()`: named parameters over
 * regularization (l1, l2, dropout, gaussianNoise, maxNorm) and optionally the
 * network and optimizer (hidden, lr, optimizer, batchSize), each one of
 *
 * - `choice:a,b,c`          categorical (numbers or names),
 * - `uniform:low:high`      continuous, uniform on [low, high],
 * - `loguniform:low:high`   continuous, uniform in log on [low, high], low > 0,
 * - `int:low:high`          integer, uniform on {low, …, high}.
 *
 * A space comes from flags (`--param l2=loguniform:1e-6:1e-2`) or a JSON
 * object (`{"l2": "loguniform:1e-6:1e-2", "dropout": {"type": "uniform",
 * "low": 0, "high": 0.5}}`). Every rule is checked before anything runs;
 * a `SpaceError` says what is wrong in one line.
 *
 * Plain numbers only: no tensors, no Node built-ins.
 */
import { nearest } from '../config/resolve.js';

/** A bad search space (the CLI prints it as one line and exits with code 2). */
export class SpaceError extends Error {
  override readonly name = 'SpaceError';
}

/** One parameter's distribution. */
export type Distribution =
  | { readonly type: 'choice'; readonly values: readonly (number | string)[] }
  | { readonly type: 'uniform'; readonly low: number; readonly high: number }
  | { readonly type: 'loguniform'; readonly low: number; readonly high: number }
  | { readonly type: 'int'; readonly low: number; readonly high: number };

/** A named parameter of a space. */
export interface Param {
  readonly name: ParamName;
  readonly dist: Distribution;
}

/** A search space: parameters in a fixed (declaration) order. */
export type Space = readonly Param[];

/** The value of each parameter in one trial. */
export type Params = Readonly<Record<string, number | string>>;

/** Valid values of each parameter (what a sampled or listed value must satisfy). */
interface Rule {
  readonly kind: 'number' | 'int' | 'name';
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly names?: readonly string[];
  readonly what: string;
}

/** Optimizers a trial may use. */
export const TUNE_OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad'] as const;

/** The parameters a space may name, with their valid values. */
export const PARAM_RULES = {
  l1: { kind: 'number', min: 0, what: 'an L1 factor ≥ 0' },
  l2: { kind: 'number', min: 0, what: 'an L2 factor ≥ 0' },
  dropout: { kind: 'number', min: 0, max: 1, maxExclusive: true, what: 'a dropout rate in [0, 1)' },
  gaussianNoise: { kind: 'number', min: 0, max: 1, what: 'a noise stddev in [0, 1]' },
  maxNorm: { kind: 'number', min: 0, what: 'a max-norm bound ≥ 0 (0 = none)' },
  hidden: { kind: 'int', min: 1, max: 65536, what: 'a hidden layer width, an integer ≥ 1' },
  lr: { kind: 'number', min: 0, minExclusive: true, max: 10, what: 'a learning rate in (0, 10]' },
  optimizer: { kind: 'name', names: TUNE_OPTIMIZERS, what: `an optimizer (${TUNE_OPTIMIZERS.join(', ')})` },
  batchSize: { kind: 'int', min: 1, max: 1 << 20, what: 'a batch size, an integer ≥ 1' },
} as const satisfies Record<string, Rule>;

/** A parameter name. */
export type ParamName = keyof typeof PARAM_RULES;
export const PARAM_NAMES = Object.keys(PARAM_RULES) as ParamName[];

/** Accepted spellings besides the canonical names (CLI flag style). */
const ALIASES: Record<string, ParamName> = { 'gaussian-noise': 'gaussianNoise', gaussian_noise: 'gaussianNoise', noise: 'gaussianNoise', 'max-norm': 'maxNorm', max_norm: 'maxNorm', learningRate: 'lr', learning_rate: 'lr', 'learning-rate': 'lr', 'batch-size': 'batchSize', batch_size: 'batchSize', units: 'hidden' };

/** The canonical name of `raw`, or a SpaceError naming the nearest valid one. */
export function paramName(raw: string): ParamName {
  const k = raw.trim();
  if ((PARAM_NAMES as string[]).includes(k)) return k as ParamName;
  const alias = ALIASES[k];
  if (alias) return alias;
  const near = nearest(k, [...PARAM_NAMES, ...Object.keys(ALIASES)]);
  const hint = near !== undefined ? ` (did you mean '${ALIASES[near] ?? near}'?)` : '';
  throw new SpaceError(`unknown parameter '${k}'${hint}; the parameters are ${PARAM_NAMES.join(', ')}`);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(s: string, where: string): number {
  const t = s.trim();
  const v = Number(t);
  if (!NUMBER.test(t) || !Number.isFinite(v)) throw new SpaceError(`${where}: expected a number, got ${JSON.stringify(s)}`);
  return v;
}

function checkValue(name: ParamName, v: number | string, where: string): number | string {
  const r: Rule = PARAM_RULES[name];
  if (r.kind === 'name') {
    const s = String(v).trim().toLowerCase();
    if (!r.names!.includes(s)) throw new SpaceError(`${where}: ${JSON.stringify(v)} is not ${r.what}`);
    return s;
  }
  const x = typeof v === 'number' ? v : toNumber(v, where);
  const bad =
    !Number.isFinite(x) ||
    (r.kind === 'int' && !Number.isInteger(x)) ||
    (r.min !== undefined && (r.minExclusive ? x <= r.min : x < r.min)) ||
    (r.max !== undefined && (r.maxExclusive ? x >= r.max : x > r.max));
  if (bad) throw new SpaceError(`${where}: ${x} is not ${r.what}`);
  return x;
}

/** Checks a distribution for `name` (bounds inside the parameter's rule, low < high, log range above 0). */
export function checkDistribution(name: ParamName, d: Distribution): Distribution {
  const where = `parameter ${name}`;
  const r: Rule = PARAM_RULES[name];
  if (d.type === 'choice') {
    if (d.values.length === 0) throw new SpaceError(`${where}: choice needs at least one value`);
    const values = d.values.map((v) => checkValue(name, v, where));
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) throw new SpaceError(`${where}: choice lists ${JSON.stringify(dup)} twice`);
    return { type: 'choice', values };
  }
  if (r.kind === 'name') throw new SpaceError(`${where}: takes names, so only choice:a,b,… applies (got ${d.type})`);
  if (!(d.low < d.high)) throw new SpaceError(`${where}: ${d.type} range is empty or inverted (low ${d.low} must be < high ${d.high})`);
  if (d.type === 'loguniform' && !(d.low > 0)) throw new SpaceError(`${where}: a log-uniform range must stay above 0 (got low ${d.low}); use uniform, or a low such as 1e-6`);
  if (d.type === 'int' && !(Number.isInteger(d.low) && Number.isInteger(d.high))) throw new SpaceError(`${where}: int bounds must be integers (got ${d.low}:${d.high})`);
  if (d.type === 'uniform' && r.kind === 'int') throw new SpaceError(`${where}: takes integers; use int:${Math.ceil(d.low)}:${Math.floor(d.high)}`);
  checkValue(name, d.low, where);
  checkValue(name, d.high, where);
  return d;
}

/**
 * Parses `type:args` (`loguniform:1e-6:1e-2`, `uniform:0:0.5`, `int:8:64`,
 * `choice:adam,sgd`) for `name`.
 */
export function parseDistribution(name: ParamName, text: string): Distribution {
  const where = `parameter ${name}`;
  const i = text.indexOf(':');
  const type = (i < 0 ? text : text.slice(0, i)).trim().toLowerCase();
  const rest = i < 0 ? '' : text.slice(i + 1);
  if (type === 'choice') {
    const values = rest.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const r: Rule = PARAM_RULES[name];
    return checkDistribution(name, { type: 'choice', values: r.kind === 'name' ? values : values.map((v) => toNumber(v, where)) });
  }
  if (type === 'uniform' || type === 'loguniform' || type === 'int') {
    const parts = rest.split(':');
    if (parts.length !== 2) throw new SpaceError(`${where}: expected ${type}:low:high, got ${JSON.stringify(text)}`);
    return checkDistribution(name, { type, low: toNumber(parts[0]!, where), high: toNumber(parts[1]!, where) });
  }
  const kinds = ['choice', 'uniform', 'loguniform', 'int'];
  const near = nearest(type, kinds);
  throw new SpaceError(`${where}: unknown distribution ${JSON.stringify(type)}${near ? ` (did you mean '${near}'?)` : ''}; use choice:a,b | uniform:low:high | loguniform:low:high | int:low:high`);
}

/** Checks a whole space: at least one parameter, each named once. */
function finish(params: Param[]): Space {
  if (params.length === 0) throw new SpaceError('the search space is empty: give at least one --param name=dist (e.g. --param l2=loguniform:1e-6:1e-2) or a --space file');
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new SpaceError(`parameter ${p.name} is given twice`);
    seen.add(p.name);
  }
  return params;
}

/** A space from `name=dist` specs (the `--param` flags), in order. */
export function spaceFromSpecs(specs: readonly string[]): Space {
  return finish(
    specs.map((s) => {
      const eq = s.indexOf('=');
      if (eq <= 0) throw new SpaceError(`--param ${JSON.stringify(s)}: expected name=dist, e.g. l2=loguniform:1e-6:1e-2`);
      const name = paramName(s.slice(0, eq));
      return { name, dist: parseDistribution(name, s.slice(eq + 1)) };
    }),
  );
}

/**
 * A space from JSON: an object of `name: "dist"` strings or `name: {type,
 * low, high}` / `{type: "choice", values: […]}` objects.
 */
export function spaceFromJson(json: unknown): Space {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SpaceError('a search space is a JSON object of parameters, e.g. {"l2": "loguniform:1e-6:1e-2"}');
  return finish(
    Object.entries(json as Record<string, unknown>).map(([k, v]) => {
      const name = paramName(k);
      if (typeof v === 'string') return { name, dist: parseDistribution(name, v) };
      if (typeof v !== 'object' || v === null) throw new SpaceError(`parameter ${name}: expected "type:args" or {"type", "low", "high"} / {"type": "choice", "values"}`);
      const o = v as Record<string, unknown>;
      const type = String(o['type'] ?? '').toLowerCase();
      if (type === 'choice') {
        if (!Array.isArray(o['values'])) throw new SpaceError(`parameter ${name}: choice needs "values": [...]`);
        return { name, dist: checkDistribution(name, { type: 'choice', values: o['values'] as (number | string)[] }) };
      }
      if (type === 'uniform' || type === 'loguniform' || type === 'int') {
        const low = o['low'];
        const high = o['high'];
        if (typeof low !== 'number' || typeof high !== 'number') throw new SpaceError(`parameter ${name}: ${type} needs numeric "low" and "high"`);
        return { name, dist: checkDistribution(name, { type, low, high }) };
      }
      return { name, dist: parseDistribution(name, type) };
    }),
  );
}

/** Describes a distribution as its flag text (`loguniform:1e-06:0.01`). */
export function describeDistribution(d: Distribution): string {
  return d.type === 'choice' ? `choice:${d.values.join(',')}` : `${d.type}:${d.low}:${d.high}`;
}

/**
 * The value of `d` at the unit-interval point `u` ∈ [0, 1): the inverse CDF
 * (categorical: the ⌊u·n⌋-th value; int: ⌊low + u·(high − low + 1)⌋).
 */
export function valueAt(d: Distribution, u: number): number | string {
  switch (d.type) {
    case 'choice':
      return d.values[Math.min(d.values.length - 1, Math.floor(u * d.values.length))]!;
    case 'uniform':
      return d.low + u * (d.high - d.low);
    case 'loguniform':
      return Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)));
    case 'int':
      return Math.min(d.high, Math.floor(d.low + u * (d.high - d.low + 1)));
  }
}

/**
 * The grid values of `d`: every choice; every integer when there are at most
 * `points` of them, else `points` evenly spaced (rounded, distinct);
 * `points` evenly spaced values (uniform) or geometrically spaced ones
 * (log-uniform), both ends included.
 */
export function gridValues(d: Distribution, points: number): (number | string)[] {
  if (d.type === 'choice') return d.values.slice();
  const n = Math.max(1, points);
  if (d.type === 'int') {
    if (d.high - d.low + 1 <= n) return Array.from({ length: d.high - d.low + 1 }, (_, i) => d.low + i);
    const vals = Array.from({ length: n }, (_, i) => Math.round(n === 1 ? (d.low + d.high) / 2 : d.low + (i * (d.high - d.low)) / (n - 1)));
    return vals.filter((v, i) => vals.indexOf(v) === i);
  }
  if (n === 1) return [d.type === 'uniform' ? (d.low + d.high) / 2 : Math.sqrt(d.low * d.high)];
  return Array.from({ length: n }, (_, i) => {
    const t = i / (n - 1);
    const v = d.type === 'uniform' ? d.low + t * (d.high - d.low) : Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low)));
    return Number(v.toPrecision(12));
  });
}

/** Number of cells of the grid over `space`. */
export function gridSize(space: Space, points: number): number {
  return space.reduce((n, p) => n * gridValues(p.dist, points).length, 1);
}

/** Describes parameters compactly (`l2=0.0003 dropout=0.25`), in space order. */
export function describeParams(params: Params): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(3)) : v}`);
  return parts.length ? parts.join(' ') : '(defaults)';
}
