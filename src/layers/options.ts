/**
 * The option kinds layers share, built on src/config/options.ts: activation,
 * initializer, regularizer and constraint options (resolved by direct import
 * of their modules, so no import order matters), rates, noise shapes, and the
 * shared tables — the base options every layer accepts, the kernel/bias set of
 * Dense and Conv1D, and the gamma/beta set of the normalizations.
 */
import { getActivation, type Activation, type ActivationIdentifier } from '../activations.js';
import type { Constraint, Initializer, Regularizer, SerializedObject, Shape } from '../config/types.js';
import { bool, custom, int, invalid, num, str, type ArgsOf, type OptionSpec, type Where } from '../config/options.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import type { Tensor } from '../tensor/tensor.js';

export type InitializerArg = Initializer | InitializerIdentifier;
/** A Regularizer object, a function w → scalar, a name ('l2') or a {class_name, config}. */
export type RegularizerArg = Regularizer | ((w: Tensor) => Tensor) | string | SerializedObject;
/** A Constraint object, a function w → w', a name ('maxNorm') or a {class_name, config}. */
export type ConstraintArg = Constraint | ((w: Tensor) => Tensor) | string | SerializedObject;

/** Runs `f`, prefixing its error with `<layer> <arg>: `. */
function within<T>(w: Where, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`${w.layer} ${w.arg}: ${(e as Error).message}`);
  }
}

function objectCheck(kind: string, v: unknown, w: Where): void {
  if (typeof v === 'object' && v !== null && typeof (v as { apply?: unknown }).apply === 'function' && typeof (v as { getConfig?: unknown }).getConfig !== 'function') {
    throw new Error(`${w.layer} ${w.arg}: a ${kind} object must implement apply() and getConfig()`);
  }
}

/** An activation name (default `d`, if any); written as its snake_case name. */
export function activation(d?: string): OptionSpec<Activation, ActivationIdentifier | null> {
  const check = (v: unknown, w: Where): Activation => within(w, () => getActivation(v as ActivationIdentifier));
  return custom<Activation, ActivationIdentifier | null>({ check, ...(d === undefined ? {} : { default: d }), toConfig: (a) => a.name });
}

/** An initializer (default the name `d`); written as its config. */
export function initializer(d: string): OptionSpec<Initializer, InitializerArg> {
  return custom<Initializer, InitializerArg>({ check: (v, w) => within(w, () => getInitializer(v as InitializerIdentifier)), default: d, toConfig: (i) => i.getConfig() });
}

/** An optional regularizer; written as its config or null. */
export function regularizer(o: { alias?: string } = {}): OptionSpec<Regularizer | undefined, RegularizerArg> {
  const spec = custom<Regularizer | undefined, RegularizerArg>({
    check: (v, w) => (objectCheck('regularizer', v, w), within(w, () => getRegularizer(v as RegularizerIdentifier))),
    toConfig: (r) => (r ? r.getConfig() : null),
  });
  return o.alias ? { ...spec, alias: o.alias } : spec;
}

/** An optional constraint; written as its config or null. */
export function constraint(o: { alias?: string } = {}): OptionSpec<Constraint | undefined, ConstraintArg> {
  const spec = custom<Constraint | undefined, ConstraintArg>({
    check: (v, w) => (objectCheck('constraint', v, w), within(w, () => getConstraint(v as ConstraintIdentifier))),
    toConfig: (c) => (c ? c.getConfig() : null),
  });
  return o.alias ? { ...spec, alias: o.alias } : spec;
}

/** A rate in [0, 1] ([0, 1) when `openHigh`); `positional` and Keras-1 `alias` as for Dropout(p). */
export function rate(o: { openHigh?: boolean; alias?: string } = {}): OptionSpec<number, number> & { readonly required: true } {
  return { ...num({ lo: 0, hi: 1, open: { hi: o.openHigh ?? false } }), positional: true, required: true, ...(o.alias ? { alias: o.alias } : {}) };
}

/** A noise shape: integers ≥ 1 or null (filled from the input); undefined when absent. */
export function noiseShape(): OptionSpec<Shape | undefined, readonly (number | null)[]> {
  return custom<Shape | undefined, readonly (number | null)[]>({
    check: (v, w) => {
      if (!Array.isArray(v) || v.some((d) => d !== null && (!Number.isInteger(d) || d < 1))) throw invalid(w, 'an array of positive integers or null', v);
      return [...(v as (number | null)[])];
    },
    toConfig: (s) => (s ? [...s] : null),
  });
}

function dtypeFloat32(v: unknown, w: Where): 'float32' {
  if (v !== 'float32') throw invalid(w, "'float32'", v);
  return v;
}

/** Dimensions: an array of non-negative integers or null. */
function dims(v: unknown, w: Where): Shape {
  if (!Array.isArray(v) || v.some((d) => d !== null && (!Number.isInteger(d) || d < 0))) throw invalid(w, 'an array of non-negative integers (or null)', v);
  return v as Shape;
}

/**
 * Options every layer accepts. Their config keys are read by `fromConfig` but
 * written by `Layer.getConfig` itself (name, trainable, dtype, batch_input_shape).
 */
export const BASE_OPTIONS = {
  name: { ...str(), write: false },
  trainable: { ...bool(true), write: false },
  /** Input shape without the batch dimension (first layer of a Sequential). */
  inputShape: { ...custom<Shape | undefined, readonly number[]>({ check: dims }), key: false },
  /** Full input shape with batch dimension (null = any). */
  batchInputShape: { ...custom<Shape | undefined, Shape>({ check: dims }), key: 'batch_input_shape', write: false },
  /** Keras 1 spelling: input_dim = inputShape [n]. */
  inputDim: { ...int(), key: false, alias: 'input_dim' },
  batchSize: { ...custom<number | undefined, number>({ check: (v) => v as number }), key: false },
  dtype: { ...custom<'float32', string>({ check: (v, w) => dtypeFloat32(v, w), default: 'float32' }), key: false },
  activityRegularizer: { ...regularizer(), write: false },
} satisfies Record<string, OptionSpec<any, any>>;

/** The kernel/bias weight options of Dense and Conv1D (Keras-1 aliases W_… / b_…). */
export const KERNEL_BIAS = {
  /** Default glorotUniform (Keras 3; TF.js defaults to glorotNormal). */
  kernelInitializer: initializer('glorotUniform'),
  /** Default zeros. */
  biasInitializer: initializer('zeros'),
  kernelRegularizer: regularizer({ alias: 'W_regularizer' }),
  biasRegularizer: regularizer({ alias: 'b_regularizer' }),
  activityRegularizer: regularizer({ alias: 'activity_regularizer' }),
  kernelConstraint: constraint({ alias: 'W_constraint' }),
  biasConstraint: constraint({ alias: 'b_constraint' }),
};

/** The six kernel/bias weight options (and activityRegularizer) in TF.js spelling. */
export type KernelBiasArgs = ArgsOf<typeof KERNEL_BIAS>;

/** The gamma/beta options of BatchNormalization and LayerNormalization. */
export const GAMMA_BETA = {
  /** Learn a shift beta (default true). */
  center: custom<boolean>({ check: (v) => v as boolean, default: true }),
  /** Learn a scale gamma (default true). */
  scale: custom<boolean>({ check: (v) => v as boolean, default: true }),
  betaInitializer: initializer('zeros'),
  gammaInitializer: initializer('ones'),
  betaRegularizer: regularizer(),
  gammaRegularizer: regularizer(),
  betaConstraint: constraint(),
  gammaConstraint: constraint(),
};

/** Any integer (default `d`); configs may write it as [n]. */
export function integer(d: number): OptionSpec<number, number> {
  return custom<number>({
    check: (v, w) => {
      if (!Number.isInteger(v)) throw invalid(w, 'an integer', v);
      return v as number;
    },
    default: d,
    fromConfig: (v) => (Array.isArray(v) && v.length === 1 ? v[0] : v),
  });
}

/** center, scale and the six gamma/beta weight options. */
export type GammaBetaArgs = ArgsOf<typeof GAMMA_BETA>;
