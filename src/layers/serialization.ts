/**
 * Config (de)serialization shared by the layers: a tiny typed registry through
 * which regularizers, constraints and custom initializers plug in
 * (`registerDeserializer('regularizer', 'L1L2', fromConfig)`) without layers
 * importing them, resolvers that turn a name / {class_name, config} / object
 * into the interface a layer needs, and `serialize` for getConfig.
 */
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import type { Constraint, Initializer, Regularizer, SerializedObject } from './layer.js';

/** What each deserializer kind produces. */
export interface DeserializerKinds {
  regularizer: Regularizer;
  constraint: Constraint;
  initializer: Initializer;
}
export type DeserializerKind = keyof DeserializerKinds;
export type FromConfig<K extends DeserializerKind> = (config: Record<string, unknown>) => DeserializerKinds[K];

const registries: { [K in DeserializerKind]: Map<string, { className: string; fromConfig: FromConfig<K> }> } = {
  regularizer: new Map(),
  constraint: new Map(),
  initializer: new Map(),
};

const resolvers: { [K in DeserializerKind]?: (value: unknown) => DeserializerKinds[K] | undefined } = {};

/**
 * Registers a whole resolver for `kind` (e.g. regularizers.ts's
 * `getRegularizer`, which also wraps user functions and knows string ids). It is
 * tried before the per-class registry for any value that is not already an
 * object with apply/getConfig.
 */
export function registerResolver<K extends DeserializerKind>(kind: K, resolve: (value: unknown) => DeserializerKinds[K] | undefined): void {
  (resolvers as Record<K, (value: unknown) => DeserializerKinds[K] | undefined>)[kind] = resolve;
}

/** Spelling-insensitive key: 'max_norm', 'maxNorm', 'MaxNorm' → 'maxnorm'. */
const key = (s: string): string => s.replace(/_/g, '').toLowerCase();

/**
 * Registers how to build a `kind` object from its config. `className` is the
 * Keras/TF.js class name ('L1L2', 'MaxNorm'); lookups ignore case and
 * underscores, so string ids like 'l2' or 'max_norm' find it. `aliases` adds
 * more names (e.g. 'nonneg' for 'NonNeg').
 */
export function registerDeserializer<K extends DeserializerKind>(kind: K, className: string, fromConfig: FromConfig<K>, aliases: readonly string[] = []): void {
  const reg = registries[kind] as Map<string, { className: string; fromConfig: FromConfig<K> }>;
  for (const n of [className, ...aliases]) reg.set(key(n), { className, fromConfig });
}

/** Class names registered for `kind` (for error messages and tests). */
export function registeredNames(kind: DeserializerKind): string[] {
  return [...new Set([...registries[kind].values()].map((e) => e.className))].sort();
}

/** A name, a {class_name, config} object (TF.js `className` too), or the object itself. */
export type Identifier<T> = T | string | SerializedObject | { className: string; config?: Record<string, unknown> };

function isSerialized(v: object): v is SerializedObject | { className: string; config?: Record<string, unknown> } {
  return 'class_name' in v || 'className' in v;
}

/**
 * Resolves a regularizer/constraint/initializer identifier. null/undefined →
 * undefined. `where` names the argument for errors ('Dense kernelRegularizer').
 */
export function deserialize<K extends DeserializerKind>(kind: K, value: unknown, where: string): DeserializerKinds[K] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && typeof (value as { apply?: unknown }).apply === 'function') {
    if (typeof (value as { getConfig?: unknown }).getConfig !== 'function') {
      throw new Error(`${where}: a ${kind} object must implement apply() and getConfig()`);
    }
    return value as DeserializerKinds[K];
  }
  const resolver = resolvers[kind];
  let resolverError: Error | undefined;
  if (resolver) {
    try {
      const r = resolver(value);
      if (r) return r as DeserializerKinds[K];
    } catch (e) {
      resolverError = e as Error;
    }
  }
  if (typeof value === 'function') {
    throw new Error(`${where}: a plain function can be used as a ${kind} only once the ${kind}s module is loaded (import it from 'regula')`);
  }
  let name: string;
  let config: Record<string, unknown> = {};
  if (typeof value === 'string') name = value;
  else if (typeof value === 'object' && isSerialized(value)) {
    name = String('class_name' in value ? value.class_name : value.className);
    config = (value.config ?? {}) as Record<string, unknown>;
  } else throw new Error(`${where}: expected a ${kind} object, name or {class_name, config}, got ${JSON.stringify(value)}`);
  const found = registries[kind].get(key(name));
  if (found) return found.fromConfig(config) as DeserializerKinds[K];
  if (resolverError) throw new Error(`${where}: ${resolverError.message}`);
  if (kind === 'initializer') {
    try {
      return getInitializer(value as InitializerIdentifier) as DeserializerKinds[K];
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
  }
  const known = registeredNames(kind);
  throw new Error(`${where}: unknown ${kind} '${name}'; registered: ${known.length ? known.join(', ') : '(none: import the module that defines it)'}`);
}

/** Resolves an initializer (default when null/undefined). */
export function resolveInitializer(value: unknown, fallback: string, where: string): Initializer {
  return deserialize('initializer', value ?? fallback, where)!;
}

/** {class_name, config} of an object, or null (Keras writes null for "none"). */
export function serialize(obj: { getConfig(): SerializedObject } | undefined | null): SerializedObject | null {
  return obj ? obj.getConfig() : null;
}
