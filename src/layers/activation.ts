/**
 * Activation: applies a named activation elementwise (softmax / log_softmax
 * over the last axis). `layers.activation('relu')` or `{ activation: 'relu' }`.
 */
import type { Activation as ActivationFn, ActivationIdentifier } from '../activations.js';
import { req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation as activationOption } from './options.js';

/** Activation's option; `layers.activation('relu')` gives it positionally. */
export const ACTIVATION_OPTIONS = {
  /** Activation name (snake_case or camelCase). */
  activation: { ...req(activationOption()), positional: true },
};

export type ActivationArgs = LayerArgs & ArgsOf<typeof ACTIVATION_OPTIONS>;

/** @example new Activation({ activation: 'softmax' }) */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = ACTIVATION_OPTIONS;
  declare readonly options: ValuesOf<typeof ACTIVATION_OPTIONS>;

  constructor(args: ActivationArgs | ActivationIdentifier) {
    super(args, 'activation');
  }

  get activation(): ActivationFn {
    return this.options.activation;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.activation.apply(x.dtype === 'int32' ? toFloat(x) : x);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
}

export function activation(args: ActivationArgs | ActivationIdentifier): Activation {
  return new Activation(args);
}
