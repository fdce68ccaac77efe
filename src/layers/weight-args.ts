/**
 * The kernel|bias × Initializer|Regularizer|Constraint argument set shared by
 * Dense and Conv1D: types, resolution from user options or a JSON config, and
 * the config entries they serialize to (TF.js/Keras key names).
 */
import type { InitializerIdentifier } from '../initializers.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigReader } from './args.js';
import type { Constraint, Initializer, Regularizer, SerializedObject } from './layer.js';
import { deserialize, resolveInitializer, serialize } from './serialization.js';

export type InitializerArg = Initializer | InitializerIdentifier;
/** A Regularizer object, a function w → scalar, a registered name ('l2') or a {class_name, config}. */
export type RegularizerArg = Regularizer | ((w: Tensor) => Tensor) | string | SerializedObject;
/** A Constraint object, a function w → w', a registered name ('maxNorm') or a {class_name, config}. */
export type ConstraintArg = Constraint | ((w: Tensor) => Tensor) | string | SerializedObject;

/** The six weight options in TF.js spelling. */
export interface KernelBiasArgs {
  /** Default glorotUniform (Keras 3; TF.js defaults to glorotNormal). */
  kernelInitializer?: InitializerArg;
  /** Default zeros. */
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
}

export const KERNEL_BIAS_KEYS = ['kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint'] as const;

/** Resolved weight options. */
export interface KernelBias {
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | undefined;
  biasRegularizer: Regularizer | undefined;
  kernelConstraint: Constraint | undefined;
  biasConstraint: Constraint | undefined;
}

/** Resolves user options (objects, names or configs). */
export function resolveKernelBias(layer: string, a: KernelBiasArgs): KernelBias {
  return {
    kernelInitializer: resolveInitializer(a.kernelInitializer, 'glorotUniform', `${layer} kernelInitializer`),
    biasInitializer: resolveInitializer(a.biasInitializer, 'zeros', `${layer} biasInitializer`),
    kernelRegularizer: deserialize('regularizer', a.kernelRegularizer, `${layer} kernelRegularizer`),
    biasRegularizer: deserialize('regularizer', a.biasRegularizer, `${layer} biasRegularizer`),
    kernelConstraint: deserialize('constraint', a.kernelConstraint, `${layer} kernelConstraint`),
    biasConstraint: deserialize('constraint', a.biasConstraint, `${layer} biasConstraint`),
  };
}

/** Reads the six snake_case config keys as KernelBiasArgs (resolved later by the constructor). */
export function kernelBiasFromConfig(r: ConfigReader): KernelBiasArgs {
  const out: KernelBiasArgs = {};
  const set = (k: keyof KernelBiasArgs, v: unknown): void => {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  };
  set('kernelInitializer', r.get('kernel_initializer'));
  set('biasInitializer', r.get('bias_initializer'));
  set('kernelRegularizer', r.get('kernel_regularizer'));
  set('biasRegularizer', r.get('bias_regularizer'));
  set('kernelConstraint', r.get('kernel_constraint'));
  set('biasConstraint', r.get('bias_constraint'));
  return out;
}

/** Config entries in TF.js order: kernel/bias initializers, regularizers (+activity), constraints. */
export function kernelBiasConfig(w: KernelBias, activity: Regularizer | undefined): Record<string, unknown> {
  return {
    kernel_initializer: w.kernelInitializer.getConfig(),
    bias_initializer: w.biasInitializer.getConfig(),
    kernel_regularizer: serialize(w.kernelRegularizer),
    bias_regularizer: serialize(w.biasRegularizer),
    activity_regularizer: serialize(activity),
    kernel_constraint: serialize(w.kernelConstraint),
    bias_constraint: serialize(w.biasConstraint),
  };
}
