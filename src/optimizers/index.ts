/**
 * Optimizers: factories (`optimizers.adam({...})`), classes, and name lookup
 * (`getOptimizer('adam')`, 'rmsprop', 'sgd', 'adagrad', 'adamw'; case and '_'
 * insensitive) with Keras 3 defaults.
 */
import { nameTable, resolve } from '../config/resolve.js';
import type { SerializedObject } from '../config/types.js';
import { Adagrad, adagrad } from './adagrad.js';
import { Adam, AdamW, adam, adamw } from './adam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, rmsprop } from './rmsprop.js';
import { SGD, sgd } from './sgd.js';

export { Optimizer, type OptimizerArgs, type OptimizerState, type SlotState } from './optimizer.js';
export { SGD, sgd, type SGDArgs } from './sgd.js';
export { Adam, AdamW, adam, adamw, type AdamArgs } from './adam.js';
export { RMSprop, rmsprop, type RMSpropArgs } from './rmsprop.js';
export { Adagrad, adagrad, type AdagradArgs } from './adagrad.js';

/** The optimizer factories. */
export const optimizers = { sgd, adam, adamw, rmsprop, adagrad };

const FROM_CONFIG = nameTable('getOptimizer', 'optimizer', {
  sgd: (c: Record<string, unknown>) => SGD.fromConfig(c),
  adam: (c: Record<string, unknown>) => Adam.fromConfig(c),
  adamw: (c: Record<string, unknown>) => AdamW.fromConfig(c),
  rmsprop: (c: Record<string, unknown>) => RMSprop.fromConfig(c),
  adagrad: (c: Record<string, unknown>) => Adagrad.fromConfig(c),
} satisfies Record<string, (c: Record<string, unknown>) => Optimizer>);

export type OptimizerIdentifier = string | Optimizer | SerializedObject;

/** Resolves an optimizer name (Keras defaults), object, or {class_name, config}. */
export function getOptimizer(id: OptimizerIdentifier): Optimizer {
  if (id instanceof Optimizer) return id;
  let name: string;
  let config: Record<string, unknown> = {};
  if (typeof id === 'string') name = id;
  else if (typeof id === 'object' && id !== null && typeof id.class_name === 'string') {
    name = id.class_name;
    config = id.config ?? {};
  } else throw new Error(`getOptimizer: expected an optimizer name or Optimizer object, got ${JSON.stringify(id)}`);
  return resolve(FROM_CONFIG, name)(config);
}
