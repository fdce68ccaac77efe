/**
 * Names for user functions used as regularizers or constraints, so a model
 * that uses them can be saved and loaded (ARCHITECTURE decision 9): a saved
 * model refers to a function only by the name registered here; nothing in a
 * file is ever executed. Saving a model whose function is not registered
 * fails with an error naming the function.
 *
 * Browser-safe; imported by regularizers.ts and constraints.ts.
 */
import type { SerializedObject } from './config/types.js';
import type { Tensor } from './tensor/tensor.js';

/** A user function usable as a regularizer (`w → scalar`) or a constraint (`w → w'`). */
export type TensorFn = (w: Tensor) => Tensor;

/**
 * A user regularizer or constraint class, registered under the `class_name`
 * its objects' `getConfig()` writes: `fromConfig` rebuilds one from the config.
 */
export interface CustomClass {
  fromConfig(config: Record<string, unknown>): { apply(w: Tensor): Tensor; getConfig(): SerializedObject };
}

const byName = new Map<string, TensorFn>();
const byFn = new Map<TensorFn, string>();
const classes = new Map<string, CustomClass>();

/**
 * Registers `fn` under `name`, so a regularizer or constraint built from it
 * serializes as `{class_name: name, config: {}}` and loads back to `fn`.
 *
 * @example
 * const smooth = (w: Tensor) => mul(sum(square(w)), 1e-3);
 * registerCustomObject('smooth', smooth);
 * layers.dense({ units: 4, kernelRegularizer: smooth });   // now saveable
 */
export function registerCustomObject(name: string, fn: TensorFn | CustomClass): void {
  if (typeof name !== 'string' || !/^[A-Za-z_][\w.>-]*$/.test(name)) {
    throw new Error(`registerCustomObject: name must be an identifier (letters, digits, _ . - >), got ${JSON.stringify(name)}`);
  }
  if (typeof fn === 'object' && fn !== null && typeof fn.fromConfig === 'function') {
    classes.set(name, fn);
    return;
  }
  if (typeof fn !== 'function') throw new Error(`registerCustomObject('${name}'): expected a function or a {fromConfig} object, got ${typeof fn}`);
  const prev = byName.get(name);
  if (prev && prev !== fn) byFn.delete(prev);
  byName.set(name, fn);
  byFn.set(fn, name);
}

/** The function registered under `name`, if any. */
export function getCustomObject(name: string): TensorFn | undefined {
  return byName.get(name);
}

/** The class registered under `name` (with `{fromConfig}`), if any. */
export function getCustomClass(name: string): CustomClass | undefined {
  return classes.get(name);
}

/** The name `fn` was registered under, if any. */
export function customObjectName(fn: TensorFn): string | undefined {
  return byFn.get(fn);
}

/** How a user function is named in errors: its registered name, its JS name, or 'anonymous'. */
export function describeFn(fn: TensorFn): string {
  return byFn.get(fn) ?? (fn.name !== '' ? fn.name : 'anonymous');
}
