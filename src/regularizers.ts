/**
 * Weight and activity regularizers (Keras 3 formulas, docs/semantics.md §1): a regularizer
 * maps a tensor to a scalar penalty that is added to the training loss, and to
 * `val_loss`/`evaluate` as well (docs/semantics.md §1.3).
 *
 * - `l1(λ)`  → `λ · Σ|x|`;  `l2(λ)` → `λ · Σx²` (a sum, never a mean, no ½);
 * - `l1l2({l1, l2})` → both (defaults 0.01/0.01, as Keras 1/2 and TF.js;
 *   Keras 3's class `L1L2()` defaults to 0/0);
 * - `orthogonal({factor, mode})` → `factor · mean_{i<j} |⟨x̂_i, x̂_j⟩|` over
 *   L2-normalized rows (or columns);
 * - any user function `(w) => scalar Tensor`.
 *
 * Keras-1 aliases: `l1_l2`, `activityL1`, `activityL2`, `activityL1L2`.
 * Configs use the TF.js form `{class_name: 'L1L2', config: {l1, l2}}`.
 * Browser-safe: ops only.
 */
import { abs, sqrt, square } from './ops/unary.js';
import { add, mul, div, maximum } from './ops/arithmetic.js';
import { sum, sumSquares } from './ops/reduce.js';
import { matmul } from './ops/matmul.js';
import { tensor, scalar } from './tensor/create.js';
import { fmt } from './tensor/shape.js';
import { Tensor } from './tensor/tensor.js';
import type { Regularizer, SerializedObject } from './config/types.js';
import { lookup, nameTable, resolve } from './config/resolve.js';
import { customObjectName, describeFn, getCustomClass, getCustomObject, type TensorFn } from './custom-objects.js';

export type { Regularizer } from './config/types.js';

/** Keras backend epsilon (spec: eps = 1e-7). */
const EPSILON = 1e-7;

/** Checks a penalty factor: a finite number ≥ 0 (Keras `validate_float_arg`). */
export function validateFactor(value: unknown, name: string, op: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
    throw new Error(`${op}: ${name} must be a finite number >= 0, got ${shown}`);
  }
  return value;
}

/** L1 + L2 penalty: `l1·Σ|x| + l2·Σx²`; a term whose factor is 0 is skipped. */
export class L1L2 implements Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(l1 = 0.01, l2 = 0.01) {
    this.l1 = validateFactor(l1, 'l1', 'L1L2');
    this.l2 = validateFactor(l2, 'l2', 'L1L2');
  }

  /** Scalar penalty for `x` (any shape). */
  apply(x: Tensor): Tensor {
    let p: Tensor | undefined;
    if (this.l1 > 0) p = mul(sum(abs(x)), this.l1);
    if (this.l2 > 0) {
      const t = sumSquares(x, this.l2);
      p = p ? add(p, t) : t;
    }
    return p ?? scalar(0);
  }

  getConfig(): SerializedObject {
    return { class_name: 'L1L2', config: { l1: this.l1, l2: this.l2 } };
  }
}

export type OrthogonalMode = 'rows' | 'columns';

/**
 * Encourages the rows (or columns) of a rank-2 weight to be orthogonal:
 * `factor · mean_{i<j} |P_ij|`, `P = X̂ X̂ᵀ` of L2-normalized rows
 * (`x / max(‖x‖, 1e-7)`); columns mode uses `X̂ᵀX̂`. A single row/column has
 * no pairs and gives 0 (Keras divides by zero there).
 */
export class OrthogonalRegularizer implements Regularizer {
  readonly className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: OrthogonalMode;

  constructor(factor = 0.01, mode: OrthogonalMode = 'rows') {
    this.factor = validateFactor(factor, 'factor', 'OrthogonalRegularizer');
    if (mode !== 'rows' && mode !== 'columns') {
      throw new Error(`OrthogonalRegularizer: mode must be 'rows' or 'columns', got ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
  }

  apply(x: Tensor): Tensor {
    if (x.rank !== 2) throw new Error(`OrthogonalRegularizer: input must have rank 2, got shape ${fmt(x.shape)}`);
    const rows = this.mode === 'rows';
    const axis = rows ? 1 : 0;
    const n = x.shape[rows ? 0 : 1]!;
    if (n < 2 || this.factor === 0) return scalar(0);
    const norms = maximum(sqrt(sum(square(x), axis, true)), EPSILON);
    const xn = div(x, norms);
    const p = rows ? matmul(xn, xn, false, true) : matmul(xn, xn, true, false);
    const offDiag = new Float32Array(n * n).fill(1);
    for (let i = 0; i < n; i++) offDiag[i * n + i] = 0;
    const total = sum(abs(mul(p, tensor(offDiag, [n, n]))));
    // factor · 0.5 · Σ_{i≠j}|P_ij| / (n(n−1)/2), written as in Keras.
    return mul(total, (this.factor * 0.5) / ((n * (n - 1)) / 2));
  }

  getConfig(): SerializedObject {
    return { class_name: 'OrthogonalRegularizer', config: { factor: this.factor, mode: this.mode } };
  }
}

/** A user function `(w) => scalar` used as a regularizer. Saveable once registered. */
export class FunctionRegularizer implements Regularizer {
  readonly className = 'FunctionRegularizer';
  constructor(readonly fn: TensorFn) {}

  apply(x: Tensor): Tensor {
    const p = this.fn(x);
    if (!(p instanceof Tensor) || p.size !== 1) {
      const got = p instanceof Tensor ? `a tensor of shape ${fmt(p.shape)}` : typeof p;
      throw new Error(`regularizer '${describeFn(this.fn)}': must return a scalar Tensor, got ${got}`);
    }
    return p;
  }

  getConfig(): SerializedObject {
    const name = customObjectName(this.fn);
    if (name === undefined) {
      throw new Error(
        `regularizer: user function '${describeFn(this.fn)}' is not registered; call registerCustomObject('<name>', fn) before saving`,
      );
    }
    return { class_name: name, config: {} };
  }
}

// ---------------------------------------------------------------- factories

/** Options of `l1`: the factor (Keras-1 spelled it `l`). */
export interface L1Args { l1?: number; l?: number }
/** Options of `l2`: the factor (Keras-1 spelled it `l`). */
export interface L2Args { l2?: number; l?: number }
/** Options of `l1l2`. */
export interface L1L2Args { l1?: number; l2?: number }
/** Options of `orthogonal`. */
export interface OrthogonalArgs { factor?: number; mode?: OrthogonalMode }

function pick(arg: number | object | undefined, keys: readonly string[], dflt: number, op: string): number {
  if (arg === undefined || arg === null) return dflt;
  if (typeof arg === 'number') return validateFactor(arg, keys[0]!, op);
  if (typeof arg !== 'object') throw new Error(`${op}: expected a number or an options object, got ${typeof arg} ${JSON.stringify(arg)}`);
  const rec = arg as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (!keys.includes(k)) throw new Error(`${op}: unknown option '${k}' (expected ${keys.join(' or ')})`);
  }
  for (const k of keys) if (rec[k] !== undefined && rec[k] !== null) return validateFactor(rec[k], k, op);
  return dflt;
}

/**
 * L1 penalty `λ·Σ|w|` (LASSO). `l1(0.01)` or `l1({l1: 0.01})`; default 0.01.
 * @example layers.dense({ units: 8, kernelRegularizer: regularizers.l1(1e-3) })
 */
export function l1(arg?: number | L1Args): L1L2 {
  return new L1L2(pick(arg, ['l1', 'l'], 0.01, 'l1'), 0);
}

/**
 * L2 penalty `λ·Σw²` (ridge; its gradient `2λw` ≙ coupled weight decay 2λ).
 * `l2(0.01)` or `l2({l2: 0.01})`; default 0.01.
 * @example layers.dense({ units: 8, kernelRegularizer: regularizers.l2(1e-4) })
 */
export function l2(arg?: number | L2Args): L1L2 {
  return new L1L2(0, pick(arg, ['l2', 'l'], 0.01, 'l2'));
}

/**
 * Elastic net `l1·Σ|w| + l2·Σw²`: `l1l2({l1, l2})` or `l1l2(l1, l2)`.
 * Each factor defaults to 0.01 (Keras 1/2, TF.js; Keras 3's `L1L2()` is 0/0).
 */
export function l1l2(arg?: number | L1L2Args, l2Factor?: number): L1L2 {
  if (typeof arg === 'number' || (arg === undefined && l2Factor !== undefined)) {
    return new L1L2(arg === undefined ? 0.01 : validateFactor(arg, 'l1', 'l1l2'), l2Factor === undefined ? 0.01 : validateFactor(l2Factor, 'l2', 'l1l2'));
  }
  if (l2Factor !== undefined) throw new Error(`l1l2: pass either (l1, l2) numbers or one options object, not both`);
  return new L1L2(l1l2Field(arg, 'l1'), l1l2Field(arg, 'l2'));
}

function l1l2Field(arg: L1L2Args | undefined, key: 'l1' | 'l2'): number {
  if (arg === undefined || arg === null) return 0.01;
  if (typeof arg !== 'object') throw new Error(`l1l2: expected numbers or an options object, got ${typeof arg}`);
  for (const k of Object.keys(arg)) if (k !== 'l1' && k !== 'l2') throw new Error(`l1l2: unknown option '${k}' (expected l1, l2)`);
  const v = arg[key];
  return v === undefined || v === null ? 0.01 : validateFactor(v, key, 'l1l2');
}

/** Keras-2 spelling of `l1l2`. */
export const l1_l2 = l1l2;

/** Keras-1 `activity_l1`: the same penalty, meant for `activityRegularizer`. */
export const activityL1 = l1;
/** Keras-1 `activity_l2`: the same penalty, meant for `activityRegularizer`. */
export const activityL2 = l2;
/** Keras-1 `activity_l1l2`: the same penalty, meant for `activityRegularizer`. */
export const activityL1L2 = l1l2;

/**
 * Orthogonality penalty for rank-2 kernels. `orthogonal(0.01)` or
 * `orthogonal({factor: 0.01, mode: 'columns'})`.
 */
export function orthogonal(arg?: number | OrthogonalArgs): OrthogonalRegularizer {
  if (arg === undefined || typeof arg === 'number') return new OrthogonalRegularizer(arg ?? 0.01);
  for (const k of Object.keys(arg)) if (k !== 'factor' && k !== 'mode') throw new Error(`orthogonal: unknown option '${k}' (expected factor, mode)`);
  return new OrthogonalRegularizer(arg.factor ?? 0.01, arg.mode ?? 'rows');
}

// ---------------------------------------------------------------- identifiers

/** String names a regularizer may be given by (Keras 3, Keras 2 and TF.js spellings). */
export type RegularizerName =
  | 'l1' | 'l2' | 'l1l2' | 'l1_l2' | 'L1' | 'L2' | 'L1L2'
  | 'orthogonal' | 'orthogonal_regularizer' | 'OrthogonalRegularizer';

/** Names (any case, '_' ignored: 'l1_l2', 'L1L2') → factory with its defaults. */
const BY_NAME = nameTable('regularizer', 'name', {
  l1: () => l1(),
  l2: () => l2(),
  l1l2: () => l1l2(),
  orthogonal: () => orthogonal(),
} satisfies Record<string, () => Regularizer>, { aliases: { orthogonal_regularizer: 'orthogonal' } });

type Cfg = Record<string, unknown>;
const num = (cfg: Cfg, k: string, d: number, cls: string): number => (cfg[k] === undefined || cfg[k] === null ? d : validateFactor(cfg[k], k, cls));

/** Config class names (any case, '_' ignored) → builder. */
const BY_CLASS = nameTable('regularizer', 'class_name', {
  // A missing factor defaults to 0.01, as in TF.js (Keras 3 writes both).
  L1L2: (c: Cfg) => new L1L2(num(c, 'l1', 0.01, 'L1L2'), num(c, 'l2', 0.01, 'L1L2')),
  L1: (c: Cfg) => new L1L2(num(c, 'l1', 0.01, 'L1'), 0),
  L2: (c: Cfg) => new L1L2(0, num(c, 'l2', 0.01, 'L2')),
  OrthogonalRegularizer: (c: Cfg) => new OrthogonalRegularizer(num(c, 'factor', 0.01, 'OrthogonalRegularizer'), (c['mode'] ?? 'rows') as OrthogonalMode),
} satisfies Record<string, (c: Cfg) => Regularizer>, { aliases: { orthogonal: 'OrthogonalRegularizer' }, known: 'L1L2, L1, L2, OrthogonalRegularizer (or a registerCustomObject name)' });

/** Anything a `kernelRegularizer`/`biasRegularizer`/`activityRegularizer` option accepts. */
export type RegularizerIdentifier = Regularizer | TensorFn | RegularizerName | SerializedObject;

function isRegularizer(v: unknown): v is Regularizer {
  return typeof v === 'object' && v !== null && typeof (v as Regularizer).apply === 'function' && typeof (v as Regularizer).getConfig === 'function';
}

/**
 * Builds a regularizer from a config `{class_name, config}` (TF.js or Keras 3
 * JSON, or a name registered with `registerCustomObject`).
 */
export function regularizerFromConfig(input: SerializedObject | { className: string; config?: Record<string, unknown> }): Regularizer {
  const obj: SerializedObject = 'class_name' in input ? input : { class_name: input.className, config: input.config ?? {} };
  const make = lookup(BY_CLASS, obj.class_name);
  if (make) return make((obj.config ?? {}) as Cfg);
  const fn = getCustomObject(obj.class_name);
  if (fn) return new FunctionRegularizer(fn);
  const custom = getCustomClass(obj.class_name);
  if (custom) return custom.fromConfig((obj.config ?? {}) as Cfg);
  return resolve(BY_CLASS, obj.class_name)({});
}

/**
 * Resolves a regularizer option: an instance passes through, a function is
 * wrapped, a string is looked up (`'l2'` → `l2()` with its default 0.01), a
 * `{class_name, config}` object is deserialized. `undefined`/`null` → undefined.
 */
export function getRegularizer(id: RegularizerIdentifier | null | undefined): Regularizer | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'function') return new FunctionRegularizer(id);
  if (typeof id === 'string') {
    const make = lookup(BY_NAME, id);
    if (make) return make();
    const fn = getCustomObject(id);
    if (fn) return new FunctionRegularizer(fn);
    const custom = getCustomClass(id);
    if (custom) return custom.fromConfig({});
    return resolve(BY_NAME, id)();
  }
  if (isRegularizer(id)) return id;
  if (typeof id === 'object' && typeof (id as SerializedObject).class_name === 'string') return regularizerFromConfig(id as SerializedObject);
  if (typeof id === 'object' && typeof (id as { className?: unknown }).className === 'string') return regularizerFromConfig(id as unknown as { className: string });
  throw new Error(`regularizer: expected a regularizer, a function, a name or a {class_name, config} object, got ${JSON.stringify(id)}`);
}

/** The `regularizers` namespace. */
export const regularizers = {
  l1,
  l2,
  l1l2,
  l1_l2,
  activityL1,
  activityL2,
  activityL1L2,
  orthogonal,
  get: getRegularizer,
  fromConfig: regularizerFromConfig,
};
