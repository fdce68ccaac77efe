/**
 * Weight constraints (Keras 3 formulas, docs/semantics.md §2): a projection applied to a
 * variable after every optimizer update (`var ← constraint(var)`), never at
 * initialization.
 *
 * With `norms = sqrt(Σ_axis w²)` (kept dims) and `eps = 1e-7`:
 * - `maxNorm(m, axis)`  → `w · clip(norms, 0, m) / (eps + norms)`
 * - `nonNeg()`          → `max(w, 0)`
 * - `unitNorm(axis)`    → `w / (eps + norms)`
 * - `minMaxNorm({minValue, maxValue, rate, axis})`
 *                       → `w · (rate·clip(norms, min, max) + (1−rate)·norms) / (eps + norms)`
 * - any user function `(w) => w'` of the same shape.
 *
 * Axis semantics: norms are taken over `axis`, one norm per remaining index.
 * A Dense kernel `[in, out]` with axis 0 gets one norm per output unit; a
 * Conv1D kernel `[k, in, out]` needs `axis: [0, 1]` for one norm per filter
 * (axis 0 alone gives one per (in, out) pair, as in Keras).
 *
 * Keras-1 aliases: `maxnorm`, `nonneg`, `unitnorm`. Configs use snake_case
 * keys (`{class_name: 'MaxNorm', config: {max_value, axis}}`), as model.json does.
 * Browser-safe: ops only.
 */
import { add, clip, div, maximum, mul } from './ops/arithmetic.js';
import { sum } from './ops/reduce.js';
import { sqrt, square } from './ops/unary.js';
import { fmt, normalizeAxes, shapesEqual } from './tensor/shape.js';
import { Tensor } from './tensor/tensor.js';
import type { Constraint, SerializedObject } from './config/types.js';
import { lookup, nameTable, resolve } from './config/resolve.js';
import { customObjectName, describeFn, getCustomClass, getCustomObject, type TensorFn } from './custom-objects.js';

export type { Constraint } from './config/types.js';

/** Keras backend epsilon, added to the norm in every norm constraint. */
export const CONSTRAINT_EPSILON = 1e-7;

/** One axis or several (Conv1D per-filter norms: `[0, 1]`). */
export type ConstraintAxis = number | readonly number[];

function checkAxis(axis: unknown, op: string): ConstraintAxis {
  const ok = (a: unknown): boolean => typeof a === 'number' && Number.isInteger(a);
  if (ok(axis)) return axis as number;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(ok)) return [...(axis as number[])];
  throw new Error(`${op}: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}`);
}

function checkNumber(v: unknown, name: string, op: string, lo: number, hi = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw new Error(`${op}: ${name} must be a finite number ${range}, got ${typeof v === 'number' ? v : JSON.stringify(v)}`);
  }
  return v;
}

/** `sqrt(Σ_axis w²)` with kept dims; the axis is checked against w's rank. */
function norms(w: Tensor, axis: ConstraintAxis, op: string): Tensor {
  const axes = normalizeAxes(axis, w.rank, op);
  return sqrt(sum(square(w), axes, true));
}

function axisConfig(axis: ConstraintAxis): number | number[] {
  return typeof axis === 'number' ? axis : [...axis];
}

/** Caps the norm of each unit's incoming weights at `maxValue` (Srivastava et al. 2014). */
export class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: ConstraintAxis;

  constructor(maxValue = 2, axis: ConstraintAxis = 0) {
    this.maxValue = checkNumber(maxValue, 'maxValue', 'maxNorm', 0);
    this.axis = checkAxis(axis, 'maxNorm');
  }

  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis, 'maxNorm');
    return mul(w, div(clip(n, 0, this.maxValue), add(n, CONSTRAINT_EPSILON)));
  }

  getConfig(): SerializedObject {
    return { class_name: 'MaxNorm', config: { max_value: this.maxValue, axis: axisConfig(this.axis) } };
  }
}

/** Clips negative weights to 0. */
export class NonNeg implements Constraint {
  readonly className = 'NonNeg';

  apply(w: Tensor): Tensor {
    return maximum(w, 0);
  }

  getConfig(): SerializedObject {
    return { class_name: 'NonNeg', config: {} };
  }
}

/** Scales each unit's weights to norm 1 (slightly below, because of eps). */
export class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  readonly axis: ConstraintAxis;

  constructor(axis: ConstraintAxis = 0) {
    this.axis = checkAxis(axis, 'unitNorm');
  }

  apply(w: Tensor): Tensor {
    return div(w, add(norms(w, this.axis, 'unitNorm'), CONSTRAINT_EPSILON));
  }

  getConfig(): SerializedObject {
    return { class_name: 'UnitNorm', config: { axis: axisConfig(this.axis) } };
  }
}

/** Keeps each unit's norm in `[minValue, maxValue]`, moving a fraction `rate` of the way per step. */
export class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: ConstraintAxis;

  constructor(minValue = 0, maxValue = 1, rate = 1, axis: ConstraintAxis = 0) {
    this.minValue = checkNumber(minValue, 'minValue', 'minMaxNorm', 0);
    this.maxValue = checkNumber(maxValue, 'maxValue', 'minMaxNorm', 0);
    if (this.minValue > this.maxValue) throw new Error(`minMaxNorm: minValue ${minValue} must not exceed maxValue ${maxValue}`);
    this.rate = checkNumber(rate, 'rate', 'minMaxNorm', 0, 1);
    this.axis = checkAxis(axis, 'minMaxNorm');
  }

  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis, 'minMaxNorm');
    const desired = add(mul(clip(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
    return mul(w, div(desired, add(n, CONSTRAINT_EPSILON)));
  }

  getConfig(): SerializedObject {
    return {
      class_name: 'MinMaxNorm',
      config: { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: axisConfig(this.axis) },
    };
  }
}

/** A user function `(w) => w'` used as a constraint. Saveable once registered. */
export class FunctionConstraint implements Constraint {
  readonly className = 'FunctionConstraint';
  constructor(readonly fn: TensorFn) {}

  apply(w: Tensor): Tensor {
    const out = this.fn(w);
    if (!(out instanceof Tensor) || !shapesEqual(out.shape, w.shape)) {
      const got = out instanceof Tensor ? `shape ${fmt(out.shape)}` : typeof out;
      throw new Error(`constraint '${describeFn(this.fn)}': must return a Tensor of the weight's shape ${fmt(w.shape)}, got ${got}`);
    }
    return out;
  }

  getConfig(): SerializedObject {
    const name = customObjectName(this.fn);
    if (name === undefined) {
      throw new Error(`constraint: user function '${describeFn(this.fn)}' is not registered; call registerCustomObject('<name>', fn) before saving`);
    }
    return { class_name: name, config: {} };
  }
}

// ---------------------------------------------------------------- factories

export interface MaxNormArgs { maxValue?: number; axis?: ConstraintAxis; /** Keras-1 name of maxValue. */ m?: number }
export interface UnitNormArgs { axis?: ConstraintAxis }
export interface MinMaxNormArgs { minValue?: number; maxValue?: number; rate?: number; axis?: ConstraintAxis }

function checkKeys(arg: object, keys: readonly string[], op: string): void {
  for (const k of Object.keys(arg)) if (!keys.includes(k)) throw new Error(`${op}: unknown option '${k}' (expected ${keys.join(', ')})`);
}

/**
 * Max-norm: `maxNorm(3)` or `maxNorm({maxValue: 3, axis: [0, 1]})`; defaults 2 and axis 0.
 * @example layers.dense({ units: 64, kernelConstraint: constraints.maxNorm(3) })
 */
export function maxNorm(arg?: number | MaxNormArgs, axis?: ConstraintAxis): MaxNorm {
  if (arg === undefined || typeof arg === 'number') return new MaxNorm(arg ?? 2, axis ?? 0);
  checkKeys(arg, ['maxValue', 'axis', 'm'], 'maxNorm');
  return new MaxNorm(arg.maxValue ?? arg.m ?? 2, arg.axis ?? 0);
}

/** Non-negativity: `nonNeg()`. */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/** Unit norm: `unitNorm()` (axis 0), `unitNorm(1)` or `unitNorm({axis: [0, 1]})`. */
export function unitNorm(arg?: ConstraintAxis | UnitNormArgs): UnitNorm {
  if (arg === undefined || typeof arg === 'number' || Array.isArray(arg)) return new UnitNorm((arg as ConstraintAxis | undefined) ?? 0);
  checkKeys(arg, ['axis'], 'unitNorm');
  return new UnitNorm((arg as UnitNormArgs).axis ?? 0);
}

/**
 * Min-max norm: `minMaxNorm({minValue: 0, maxValue: 1, rate: 1, axis: 0})`
 * or Keras-1 positional `minMaxNorm(low, high, rate, axis)`.
 */
export function minMaxNorm(arg?: number | MinMaxNormArgs, maxValue?: number, rate?: number, axis?: ConstraintAxis): MinMaxNorm {
  if (arg === undefined || typeof arg === 'number') return new MinMaxNorm(arg ?? 0, maxValue ?? 1, rate ?? 1, axis ?? 0);
  checkKeys(arg, ['minValue', 'maxValue', 'rate', 'axis'], 'minMaxNorm');
  return new MinMaxNorm(arg.minValue ?? 0, arg.maxValue ?? 1, arg.rate ?? 1, arg.axis ?? 0);
}

/** Keras-1 spelling of `maxNorm` (`maxnorm(m=2)`). */
export const maxnorm = maxNorm;
/** Keras-1 spelling of `nonNeg`. */
export const nonneg = nonNeg;
/** Keras-1 spelling of `unitNorm`. Keras 1's docs said "last axis"; its code (and ours) default to axis 0. */
export const unitnorm = unitNorm;

// ---------------------------------------------------------------- identifiers

/** String names a constraint may be given by (TF.js, Keras 3 and Keras 1 spellings). */
export type ConstraintName =
  | 'maxNorm' | 'max_norm' | 'MaxNorm' | 'maxnorm'
  | 'nonNeg' | 'non_neg' | 'NonNeg' | 'nonneg'
  | 'unitNorm' | 'unit_norm' | 'UnitNorm' | 'unitnorm'
  | 'minMaxNorm' | 'min_max_norm' | 'MinMaxNorm';

/** Names (any case, '_' ignored: 'max_norm', 'MaxNorm', 'maxnorm') → factory with its defaults. */
const BY_NAME = nameTable('constraint', 'name', {
  maxNorm: () => maxNorm(),
  nonNeg: () => nonNeg(),
  unitNorm: () => unitNorm(),
  minMaxNorm: () => minMaxNorm(),
} satisfies Record<string, () => Constraint>);

type Cfg = Record<string, unknown>;
/** A config entry under its snake_case or TF.js camelCase key. */
const get = (c: Cfg, snake: string, camel: string): unknown => c[snake] ?? c[camel];
const axisOf = (c: Cfg): ConstraintAxis => (get(c, 'axis', 'axis') ?? 0) as ConstraintAxis;

/** Config class names (any case, '_' ignored) → builder. */
const BY_CLASS = nameTable('constraint', 'class_name', {
  MaxNorm: (c: Cfg) => new MaxNorm((get(c, 'max_value', 'maxValue') ?? 2) as number, axisOf(c)),
  NonNeg: () => new NonNeg(),
  UnitNorm: (c: Cfg) => new UnitNorm(axisOf(c)),
  MinMaxNorm: (c: Cfg) => new MinMaxNorm((get(c, 'min_value', 'minValue') ?? 0) as number, (get(c, 'max_value', 'maxValue') ?? 1) as number, (c['rate'] ?? 1) as number, axisOf(c)),
} satisfies Record<string, (c: Cfg) => Constraint>, { known: 'MaxNorm, NonNeg, UnitNorm, MinMaxNorm (or a registerCustomObject name)' });

/** Anything a `kernelConstraint`/`biasConstraint` option accepts. */
export type ConstraintIdentifier = Constraint | TensorFn | ConstraintName | SerializedObject;

function isConstraint(v: unknown): v is Constraint {
  return typeof v === 'object' && v !== null && typeof (v as Constraint).apply === 'function' && typeof (v as Constraint).getConfig === 'function';
}

/** Builds a constraint from `{class_name, config}` (snake_case or TF.js camelCase keys, or a registered name). */
export function constraintFromConfig(input: SerializedObject | { className: string; config?: Record<string, unknown> }): Constraint {
  const obj: SerializedObject = 'class_name' in input ? input : { class_name: input.className, config: input.config ?? {} };
  const make = lookup(BY_CLASS, obj.class_name);
  if (make) return make((obj.config ?? {}) as Cfg);
  const fn = getCustomObject(obj.class_name);
  if (fn) return new FunctionConstraint(fn);
  const custom = getCustomClass(obj.class_name);
  if (custom) return custom.fromConfig((obj.config ?? {}) as Cfg);
  return resolve(BY_CLASS, obj.class_name)({});
}

/**
 * Resolves a constraint option: an instance passes through, a function is
 * wrapped, a name is looked up with its defaults, a config is deserialized.
 */
export function getConstraint(id: ConstraintIdentifier | null | undefined): Constraint | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'function') return new FunctionConstraint(id);
  if (typeof id === 'string') {
    const make = lookup(BY_NAME, id);
    if (make) return make();
    const fn = getCustomObject(id);
    if (fn) return new FunctionConstraint(fn);
    const custom = getCustomClass(id);
    if (custom) return custom.fromConfig({});
    return resolve(BY_NAME, id)();
  }
  if (isConstraint(id)) return id;
  if (typeof id === 'object' && typeof (id as SerializedObject).class_name === 'string') return constraintFromConfig(id as SerializedObject);
  if (typeof id === 'object' && typeof (id as { className?: unknown }).className === 'string') return constraintFromConfig(id as unknown as { className: string });
  throw new Error(`constraint: expected a constraint, a function, a name or a {class_name, config} object, got ${JSON.stringify(id)}`);
}

/** The `constraints` namespace. */
export const constraints = {
  maxNorm,
  nonNeg,
  unitNorm,
  minMaxNorm,
  maxnorm,
  nonneg,
  unitnorm,
  get: getConstraint,
  fromConfig: constraintFromConfig,
};
