/**
 * Activation: applies a named activation elementwise (softmax / log_softmax
 * over the last axis). `layers.activation('relu')` or `{ activation: 'relu' }`.
 */
import { getActivation, type Activation as ActivationFn, type ActivationIdentifier } from '../activations.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys, ConfigReader } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

export interface ActivationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Activation name (snake_case or camelCase). */
  activation: ActivationIdentifier;
  batchSize?: number;
  dtype?: string;
}

/** @example new Activation({ activation: 'softmax' }) */
export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs | ActivationIdentifier) {
    const a: ActivationArgs = typeof args === 'string' ? { activation: args } : args;
    if (typeof a !== 'object' || a === null) throw new Error(`Activation: expected an options object like { activation: 'relu' }, got ${JSON.stringify(args)}`);
    checkKeys('Activation', a, ['activation']);
    if (a.activation === undefined || a.activation === null) throw new Error(`Activation: the 'activation' option is required (e.g. 'relu')`);
    const fn = getActivation(a.activation);
    super(baseArgs('Activation', a), 'activation');
    this.activation = fn;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.activation.apply(x.dtype === 'int32' ? toFloat(x) : x);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  protected layerConfig(): Record<string, unknown> {
    return { activation: this.activation.name };
  }

  static fromConfig(config: Record<string, unknown>): Activation {
    const r = new ConfigReader('Activation', config);
    const args: ActivationArgs = { ...r.base(), activation: r.get('activation') as string };
    r.done();
    return new Activation(args);
  }
}

export function activation(args: ActivationArgs | ActivationIdentifier): Activation {
  return new Activation(args);
}
