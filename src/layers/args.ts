/**
 * Argument checking shared by the layers: unknown option keys, value rules
 * (errors name the layer, the argument, the rule and the value), Keras 1
 * aliases, and `ConfigReader`, which reads a Keras/TF.js JSON config (snake_case
 * keys) and rejects keys it does not know.
 */
import type { LayerArgs, Shape } from './layer.js';
import type { ConstraintArg, RegularizerArg } from './weight-args.js';
import { deserialize } from './serialization.js';

/** Options every layer accepts (beside its own). */
export const BASE_KEYS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'inputDim', 'batchSize', 'dtype', 'activityRegularizer'] as const;

/** Rejects keys of `args` not in `BASE_KEYS` ∪ `own`, naming the key and the layer. */
export function checkKeys(layer: string, args: object, own: readonly string[]): void {
  const allowed = new Set<string>([...BASE_KEYS, ...own]);
  for (const k of Object.keys(args)) {
    if (!allowed.has(k)) throw new Error(`${layer}: unknown option '${k}'; known options: ${[...own, ...BASE_KEYS].join(', ')}`);
  }
}

/** A positive integer or an error naming layer, argument, rule and value. */
export function positiveInt(layer: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${layer}: ${arg} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** An integer ≥ 1 given as n or [n] (Keras writes tuples as one-element arrays). */
export function positiveInt1(layer: string, arg: string, v: unknown): number {
  if (Array.isArray(v)) {
    if (v.length !== 1) throw new Error(`${layer}: ${arg} must be an integer or a 1-element array, got ${JSON.stringify(v)}`);
    return positiveInt(layer, arg, v[0]);
  }
  return positiveInt(layer, arg, v);
}

/** A finite number in [lo, hi] (or (lo, hi) ends when `open`). */
export function numberIn(layer: string, arg: string, v: unknown, lo: number, hi: number, open: { lo?: boolean; hi?: boolean } = {}): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (open.lo ? v > lo : v >= lo) && (open.hi ? v < hi : v <= hi);
  if (!ok) throw new Error(`${layer}: ${arg} must be a number in ${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}, got ${JSON.stringify(v)}`);
  return v as number;
}

export function bool(layer: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new Error(`${layer}: ${arg} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(layer: string, arg: string, v: unknown, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new Error(`${layer}: ${arg} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/**
 * Base LayerArgs from user options: resolves `activityRegularizer`
 * identifiers, `batchSize` + `inputShape`, checks `dtype`.
 */
export function baseArgs(layer: string, a: Omit<LayerArgs, 'activityRegularizer'> & { batchSize?: number; dtype?: string; activityRegularizer?: unknown }): LayerArgs {
  if (a.dtype !== undefined && a.dtype !== 'float32') throw new Error(`${layer}: dtype must be 'float32', got ${JSON.stringify(a.dtype)}`);
  const out: { -readonly [K in keyof LayerArgs]: LayerArgs[K] } = {};
  if (a.name !== undefined) out.name = a.name;
  if (a.trainable !== undefined) out.trainable = bool(layer, 'trainable', a.trainable, true);
  if (a.batchInputShape !== undefined) out.batchInputShape = a.batchInputShape;
  else if (a.inputShape !== undefined) {
    checkDims(layer, 'inputShape', a.inputShape);
    out.batchInputShape = [a.batchSize ?? null, ...a.inputShape];
  } else if (a.inputDim !== undefined) out.batchInputShape = [a.batchSize ?? null, positiveInt(layer, 'inputDim', a.inputDim)];
  const act = deserialize('regularizer', a.activityRegularizer, `${layer} activityRegularizer`);
  if (act) out.activityRegularizer = act;
  return out;
}

function checkDims(layer: string, arg: string, s: unknown): void {
  if (!Array.isArray(s) || s.some((d) => d !== null && (!Number.isInteger(d) || d < 0))) {
    throw new Error(`${layer}: ${arg} must be an array of non-negative integers (or null), got ${JSON.stringify(s)}`);
  }
}

/** Renames Keras 1 spellings (`W_regularizer` → `kernelRegularizer` …) on a copy of `args`. */
export function renameAliases<T extends object>(layer: string, args: T, aliases: Readonly<Record<string, string>>): T {
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const [alias, canonical] of Object.entries(aliases)) {
    if (!(alias in out)) continue;
    if (out[canonical] !== undefined) throw new Error(`${layer}: both '${alias}' and '${canonical}' given; use only '${canonical}'`);
    out[canonical] = out[alias];
    delete out[alias];
  }
  return out as T;
}

/** Keras 1 weight-argument spellings of Dense and Conv1D. */
export const KERAS1_WEIGHT_ALIASES: Readonly<Record<string, string>> = {
  input_dim: 'inputDim',
  W_regularizer: 'kernelRegularizer',
  b_regularizer: 'biasRegularizer',
  W_constraint: 'kernelConstraint',
  b_constraint: 'biasConstraint',
  activity_regularizer: 'activityRegularizer',
};

/** Keras 1 spellings accepted by Dense and Conv1D (documented aliases). */
export interface Keras1WeightArgs {
  input_dim?: number;
  W_regularizer?: RegularizerArg;
  b_regularizer?: RegularizerArg;
  W_constraint?: ConstraintArg;
  b_constraint?: ConstraintArg;
}

/** Config keys other writers emit that carry no meaning here (ignored when at their neutral value). */
const TOLERATED: Readonly<Record<string, (v: unknown) => boolean>> = {
  dtype: (v) => v === null || v === 'float32' || (typeof v === 'object' && JSON.stringify(v).includes('float32')),
  data_format: (v) => v === null || v === 'channels_last',
  groups: (v) => v === null || v === 1,
  lora_rank: (v) => v === null,
  lora_alpha: (v) => v === null,
  quantization_config: (v) => v === null,
  batch_size: (v) => v === null,
};

/**
 * Reads a Keras/TF.js layer config. Each accessor marks its key as read;
 * `done()` throws on any key nobody read (naming key and class), so a typo or a
 * feature we lack in a model.json fails loudly instead of being dropped.
 */
export class ConfigReader {
  private readonly seen = new Set<string>();
  constructor(
    readonly className: string,
    readonly config: Record<string, unknown>,
  ) {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new Error(`${className}.fromConfig: config must be an object, got ${JSON.stringify(config)}`);
    }
  }

  /** The raw value (null → undefined). */
  get(key: string): unknown {
    this.seen.add(key);
    const v = this.config[key];
    return v === null ? undefined : v;
  }

  /** Common keys: name, trainable, dtype, batch_input_shape (Keras 3: batch_shape). */
  base(): LayerArgs {
    const out: { -readonly [K in keyof LayerArgs]: LayerArgs[K] } = {};
    const name = this.get('name');
    if (name !== undefined) {
      if (typeof name !== 'string') throw new Error(`${this.className}.fromConfig: name must be a string, got ${JSON.stringify(name)}`);
      out.name = name;
    }
    const trainable = this.get('trainable');
    if (trainable !== undefined) out.trainable = bool(this.className, 'trainable', trainable, true);
    const bis = this.get('batch_input_shape') ?? this.get('batch_shape');
    if (bis !== undefined) {
      checkDims(this.className, 'batch_input_shape', bis);
      out.batchInputShape = bis as Shape;
    }
    const act = this.get('activity_regularizer');
    const r = deserialize('regularizer', act, `${this.className} activity_regularizer`);
    if (r) out.activityRegularizer = r;
    return out;
  }

  /** Throws on keys not read (tolerated neutral keys excepted). */
  done(): void {
    for (const [k, v] of Object.entries(this.config)) {
      if (this.seen.has(k)) continue;
      const tol = TOLERATED[k];
      if (tol && tol(v)) continue;
      throw new Error(`${this.className}.fromConfig: unsupported config key '${k}' = ${JSON.stringify(v)}`);
    }
  }
}
