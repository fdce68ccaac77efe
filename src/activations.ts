/**
 * Activation lookup: name → op. Accepts Keras snake_case ('leaky_relu',
 * 'hard_sigmoid', 'log_softmax') and TF.js camelCase ('leakyRelu',
 * 'hardSigmoid', 'logSoftmax'); `null`/`undefined` mean linear. The canonical
 * (serialized) name is the snake_case one, which is what TF.js writes into
 * model.json. Activations that the GEMM epilogue can fuse report `fused`, so
 * Dense calls the fused `dense` op for them.
 *
 * Definitions follow Keras 3 (leaky_relu slope 0.2, hard_sigmoid = relu6(x+3)/6,
 * gelu exact erf form, softmax/log_softmax over the last axis).
 */
import type { FusedActivation } from './backend/backend.js';
import {
  elu,
  exp,
  gelu,
  hardSigmoid,
  leakyRelu,
  relu,
  relu6,
  selu,
  sigmoid,
  softplus,
  softsign,
  swish,
  tanh,
} from './ops/unary.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { nameTable, resolve } from './config/resolve.js';
import type { Tensor } from './tensor/tensor.js';

/** Canonical activation names (Keras snake_case). */
export type ActivationName =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'leaky_relu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'sigmoid'
  | 'hard_sigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'silu'
  | 'softmax'
  | 'log_softmax'
  | 'exponential';

/** Any accepted spelling: canonical names plus their camelCase forms. */
export type ActivationIdentifier = ActivationName | 'leakyRelu' | 'hardSigmoid' | 'logSoftmax' | (string & {});

/** A resolved activation: its canonical name, the op, and the fused kernel id if there is one. */
export interface Activation {
  readonly name: ActivationName;
  apply(x: Tensor): Tensor;
  /** Set when the GEMM epilogue implements it (Dense uses the fused op). */
  readonly fused?: FusedActivation;
}

/** Every activation, keyed by canonical name. */
export const ACTIVATIONS = {
  linear: (x) => x,
  relu: (x) => relu(x),
  relu6: (x) => relu6(x),
  leaky_relu: (x) => leakyRelu(x, 0.2),
  elu: (x) => elu(x, 1),
  selu: (x) => selu(x),
  gelu: (x) => gelu(x),
  sigmoid: (x) => sigmoid(x),
  hard_sigmoid: (x) => hardSigmoid(x),
  tanh: (x) => tanh(x),
  softplus: (x) => softplus(x),
  softsign: (x) => softsign(x),
  swish: (x) => swish(x),
  silu: (x) => swish(x),
  softmax: (x) => softmax(x, -1),
  log_softmax: (x) => logSoftmax(x, -1),
  exponential: (x) => exp(x),
} satisfies Record<ActivationName, (x: Tensor) => Tensor>;

const FUSED: Partial<Record<ActivationName, FusedActivation>> = { linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh' };

/** 'leakyRelu' / 'leaky_relu' / 'LeakyReLU' all meet (the one name rule of config/resolve.ts). */
const TABLE = nameTable('activation', 'activation', Object.fromEntries((Object.keys(ACTIVATIONS) as ActivationName[]).map((n) => [n, n])) as Record<ActivationName, ActivationName>);

/**
 * Resolves an activation name (snake_case or camelCase; null/undefined → linear).
 * @throws naming the unknown value and listing the known names.
 * @example getActivation('leakyRelu').apply(x)
 */
export function getActivation(id: ActivationIdentifier | null | undefined): Activation {
  if (id === null || id === undefined) return { name: 'linear', apply: ACTIVATIONS.linear, fused: 'linear' };
  if (typeof id !== 'string') throw new Error(`activation: expected a name, got ${typeof id} ${JSON.stringify(id)}`);
  const name = resolve(TABLE, id);
  const fused = FUSED[name];
  return fused ? { name, apply: ACTIVATIONS[name], fused } : { name, apply: ACTIVATIONS[name] };
}
