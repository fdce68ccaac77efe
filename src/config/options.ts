/**
 * Declarative option specs: a layer (or any configurable object) declares its
 * options once, as a table of `OptionSpec`s, and everything else is derived:
 * - the TypeScript args type (`ArgsOf<typeof SPEC>`) and parsed values type
 *   (`ValuesOf<typeof SPEC>`);
 * - unknown-key rejection with a did-you-mean
 *   (`dense: unknown option 'kernelRegulariser' (did you mean 'kernelRegularizer'?)`);
 * - value validation with Keras-style messages (argument, rule, value);
 * - Keras-1 aliases (`W_regularizer`, `p`) and positional shorthands (`dropout(0.5)`);
 * - the snake_case config (`toConfig`, in table order) and reading it back
 *   (`argsFromConfig`).
 * Adding an option is one line in one table.
 *
 * Who may import this: anyone. It imports only src/config/.
 */
import { didYouMean } from './resolve.js';

/** Where a value is parsed: layer name and argument (for error messages). */
export interface Where {
  readonly layer: string;
  readonly arg: string;
}

/**
 * One option. `T` is the parsed value, `In` what a user may pass.
 * `parse` receives undefined when the option is absent (null counts as absent)
 * and the options parsed before it (table order), for defaults that depend on
 * another option.
 */
export interface OptionSpec<T = unknown, In = unknown> {
  parse(v: unknown, where: Where, parsed: Readonly<Record<string, unknown>>): T;
  /** snake_case config key; default: the option name in snake_case; false: never in a config. */
  readonly key?: string | false;
  /** False: read from configs but never written. */
  readonly write?: boolean;
  /** False: written to configs but never read back (a constant; the key stays unknown to fromConfig). */
  readonly read?: boolean;
  /** Written only when this holds (given every parsed option). */
  readonly writeIf?: (parsed: Readonly<Record<string, unknown>>) => boolean;
  /** Parsed value → config JSON (default: the value, undefined → null). */
  toConfig?(v: T): unknown;
  /** Config JSON → user value (default: unchanged). */
  fromConfig?(v: unknown): unknown;
  /** A Keras-1 spelling accepted for this option. */
  readonly alias?: string;
  /** `layer(x)` means `layer({[this option]: x})`. */
  readonly positional?: boolean;
  /** Required options are typed as such in `ArgsOf` (and their parse rejects absence). */
  readonly required?: boolean;
  /** Phantom: the user-facing type. */
  readonly __in?: In;
}

/** A table of options, in config key order. */
export type OptionSpecs = Readonly<Record<string, OptionSpec<any, any>>>;

type InOf<S> = S extends OptionSpec<any, infer I> ? I : never;
type ReqKeys<S> = { [K in keyof S]: S[K] extends { readonly required: true } ? K : never }[keyof S];

/** The args type a table accepts: required options required, the rest optional (null allowed). */
export type ArgsOf<S extends OptionSpecs> = { [K in ReqKeys<S>]: InOf<S[K]> } & { [K in Exclude<keyof S, ReqKeys<S>>]?: InOf<S[K]> | null };

/** The parsed values of a table. */
export type ValuesOf<S extends OptionSpecs> = { readonly [K in keyof S]: S[K] extends OptionSpec<infer T, any> ? T : never };

/** camelCase → snake_case ('kernelRegularizer' → 'kernel_regularizer', 'dilationRate' → 'dilation_rate'). */
export const snakeCase = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The config key of option `name`, or undefined when it has none. */
export function configKey(name: string, spec: OptionSpec): string | undefined {
  return spec.key === false ? undefined : (spec.key ?? snakeCase(name));
}

/** `${layer}: ${arg} must be ${rule}, got ${value}` — the one value-error shape. */
export function invalid(where: Where, rule: string, v: unknown): Error {
  return new Error(`${where.layer}: ${where.arg} must be ${rule}, got ${JSON.stringify(v)}`);
}

const absent = (v: unknown): v is null | undefined => v === undefined || v === null;

/**
 * Parses user `args` against `specs`: positional shorthand, aliases, unknown
 * keys (with a did-you-mean), then each option in table order.
 */
export function parseOptions(layer: string, specs: OptionSpecs, args: unknown): Record<string, unknown> {
  const positional = Object.keys(specs).find((k) => specs[k]!.positional);
  let a: Record<string, unknown>;
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) a = { ...(args as Record<string, unknown>) };
  else if (positional !== undefined && args !== undefined && args !== null && typeof args !== 'object') a = { [positional]: args };
  else if (args === undefined && !Object.values(specs).some((s) => s.required)) a = {};
  else throw new Error(`${layer}: expected ${positional ? `a ${positional} or ` : ''}an options object, got ${JSON.stringify(args)}`);
  for (const [name, spec] of Object.entries(specs)) {
    const alias = spec.alias;
    if (alias === undefined || !(alias in a)) continue;
    if (a[name] !== undefined) throw new Error(`${layer}: both '${alias}'${spec.positional ? ' (Keras 1)' : ''} and '${name}' given; use only '${name}'`);
    a[name] = a[alias];
    delete a[alias];
  }
  const names = Object.keys(specs);
  for (const k of Object.keys(a)) {
    if (Object.prototype.hasOwnProperty.call(specs, k)) continue;
    const hint = didYouMean(k, names);
    throw new Error(`${layer}: unknown option '${k}'${hint || `; known options: ${names.join(', ')}`}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.parse(a[name] === null ? undefined : a[name], { layer, arg: name }, out);
  return out;
}

/** The config entries of parsed `values`, in table order. */
export function toConfig(specs: OptionSpecs, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const key = configKey(name, spec);
    if (key === undefined || spec.write === false || (spec.writeIf && !spec.writeIf(values))) continue;
    const v = values[name];
    out[key] = spec.toConfig ? spec.toConfig(v) : (v ?? null);
  }
  return out;
}

/**
 * Reads the table's keys from a config into user args (null entries are
 * absent); returns the keys it read, so the caller can reject the rest.
 */
export function argsFromConfig(specs: OptionSpecs, config: Readonly<Record<string, unknown>>, args: Record<string, unknown>): Set<string> {
  const read = new Set<string>();
  for (const [name, spec] of Object.entries(specs)) {
    const key = configKey(name, spec);
    if (key === undefined || spec.read === false) continue;
    read.add(key);
    const v = config[key];
    if (!absent(v)) args[name] = spec.fromConfig ? spec.fromConfig(v) : v;
  }
  return read;
}

// ------------------------------------------------------------------ kinds

type Dflt<T> = T | ((parsed: Readonly<Record<string, unknown>>) => T);
const dflt = <T>(d: Dflt<T> | undefined, parsed: Readonly<Record<string, unknown>>): T | undefined =>
  typeof d === 'function' ? (d as (p: Readonly<Record<string, unknown>>) => T)(parsed) : d;

/** Marks a spec required (`units: req(int({ min: 1 }))`). */
export function req<S extends OptionSpec<any, any>>(spec: S): S & { readonly required: true } {
  return { ...spec, required: true };
}

/** Overrides spec fields (`{ ...seed(), key: false }` without losing the type). */
export function withSpec<S extends OptionSpec<any, any>>(spec: S, extra: Partial<Omit<OptionSpec, 'parse'>>): S {
  return { ...spec, ...extra };
}

/** Any value kind: `check` validates a present value. */
export function custom<T, In = T>(o: {
  check: (v: unknown, where: Where, parsed: Readonly<Record<string, unknown>>) => T;
  default?: Dflt<In>;
  toConfig?: (v: T) => unknown;
  fromConfig?: (v: unknown) => unknown;
}): OptionSpec<T, In> {
  const spec: { -readonly [K in keyof OptionSpec<T, In>]: OptionSpec<T, In>[K] } = {
    // A method (not an arrow): `this` is the spec as finally assembled, so `req()` takes effect.
    parse(this: OptionSpec<T, In>, v, where, parsed) {
      if (!absent(v)) return o.check(v, where, parsed);
      const d = dflt(o.default, parsed);
      if (d !== undefined) return o.check(d, where, parsed);
      if (this.required) throw new Error(`${where.layer}: the '${where.arg}' option is required`);
      return d as T;
    },
  };
  if (o.toConfig) spec.toConfig = o.toConfig;
  if (o.fromConfig) spec.fromConfig = o.fromConfig;
  return spec;
}

/** An integer ≥ `min` (default 1). `array`: 'accept' takes [n] too; 'write' also writes [n] to configs. */
export function int(o: { min?: number; default?: Dflt<number | readonly [number]>; array?: 'accept' | 'write' } = {}): OptionSpec<number, number | readonly [number]> {
  const min = o.min ?? 1;
  const rule = min === 1 ? 'a positive integer' : `an integer >= ${min}`;
  const one = (v: unknown, w: Where): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw invalid(w, rule, v);
    return v;
  };
  return custom<number, number | readonly [number]>({
    check: (v, w) => {
      if (o.array && Array.isArray(v)) {
        if (v.length !== 1) throw invalid(w, 'an integer or a 1-element array', v);
        return one(v[0], w);
      }
      return one(v, w);
    },
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.array === 'write' ? { toConfig: (v: number) => [v] } : {}),
  });
}

/** A finite number in [lo, hi] (open ends with `open`). */
export function num(o: { lo: number; hi: number; open?: { lo?: boolean; hi?: boolean }; default?: number }): OptionSpec<number, number> {
  const open = o.open ?? {};
  const rule = `a number in ${open.lo ? '(' : '['}${o.lo}, ${o.hi}${open.hi ? ')' : ']'}`;
  return custom<number>({
    check: (v, w) => {
      const ok = typeof v === 'number' && Number.isFinite(v) && (open.lo ? v > o.lo : v >= o.lo) && (open.hi ? v < o.hi : v <= o.hi);
      if (!ok) throw invalid(w, rule, v);
      return v as number;
    },
    ...(o.default !== undefined ? { default: o.default } : {}),
  });
}

/** A string (undefined when absent). */
export function str(): OptionSpec<string | undefined, string> {
  return custom<string | undefined, string>({
    check: (v, w) => {
      if (typeof v !== 'string') throw invalid(w, 'a string', v);
      return v;
    },
  });
}

/** true or false (default `d`). */
export function bool(d: boolean): OptionSpec<boolean, boolean> {
  return custom<boolean>({
    check: (v, w) => {
      if (typeof v !== 'boolean') throw invalid(w, 'true or false', v);
      return v;
    },
    default: d,
  });
}

/** One of fixed strings (default `d`). */
export function oneOf<const C extends readonly string[]>(choices: C, d?: C[number]): OptionSpec<C[number], C[number]> {
  return custom<C[number]>({
    check: (v, w) => {
      if (typeof v !== 'string' || !choices.includes(v)) throw invalid(w, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, v);
      return v as C[number];
    },
    ...(d !== undefined ? { default: d } : {}),
  });
}

/** An optional integer seed (undefined when absent; written as null). */
export function seed(): OptionSpec<number | undefined, number> {
  return custom<number | undefined, number>({
    check: (v, w) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(w, 'an integer', v);
      return v;
    },
  });
}

/** Only false is supported (`maskZero`, `sparse` …); `why` replaces the default message. */
export function falseOnly(why?: string): OptionSpec<false, boolean> {
  return {
    parse: (v, w) => {
      if (v !== undefined && v !== false) throw new Error(`${w.layer}: ${why ?? `${w.arg}=true is not supported`}`);
      return false;
    },
  };
}

/** Only 'channels_last' (TF.js also spells it 'channelsLast'); configs say 'channels_last'. */
export function channelsLast(): OptionSpec<'channels_last', 'channels_last' | 'channelsLast'> {
  return custom<'channels_last', 'channels_last' | 'channelsLast'>({
    check: (v, w) => {
      if (v !== 'channels_last' && v !== 'channelsLast') throw invalid(w, "'channels_last'", v);
      return 'channels_last';
    },
    default: 'channels_last',
  });
}
