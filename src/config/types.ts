/**
 * The config types every level shares: a serialized `{class_name, config}`,
 * shapes, and the three weight-attachment interfaces (Initializer,
 * Regularizer, Constraint). They live at the bottom of the stack so that
 * initializers, regularizers, constraints, layers, optimizers and io all
 * reach them without importing each other.
 *
 * Who may import this: anyone. It imports only types (tensor, random).
 */
import type { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';

/** A shape whose batch (first) dimension may be unknown. */
export type Shape = readonly (number | null)[];

/** A serializable {className, config} pair, as in Keras/TF.js JSON. */
export interface SerializedObject {
  class_name: string;
  config: Record<string, unknown>;
}

/** Weight initializer: a pure function of shape and random stream. */
export interface Initializer {
  apply(shape: readonly number[], rng: Rng): Tensor;
  getConfig(): SerializedObject;
}

/** Weight or activity penalty: tensor → scalar tensor. */
export interface Regularizer {
  apply(x: Tensor): Tensor;
  getConfig(): SerializedObject;
}

/** Projection applied after each optimizer update. */
export interface Constraint {
  apply(w: Tensor): Tensor;
  getConfig(): SerializedObject;
}
