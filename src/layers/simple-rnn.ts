/**
 * SimpleRNN (Keras 3): h_t = activation(x_t·W + b + h_{t−1}·U); kernel [in,
 * units], recurrent_kernel [units, units], bias [units]. Shared behaviour
 * (dropout, masking, returnSequences / returnState, goBackwards) in
 * rnn-base.ts; docs/semantics.md "Recurrent layers".
 */
import type { ArgsOf, ValuesOf } from '../config/options.js';
import type { LayerArgs } from './layer.js';
import { RNNBase, RNN_HEAD, RNN_INITIALIZERS, RNN_PENALTIES, RNN_TAIL, RNN_USE_BIAS } from './rnn-base.js';

/** SimpleRNN's options, in config key order. */
export const SIMPLE_RNN_OPTIONS = { ...RNN_HEAD, ...RNN_USE_BIAS, ...RNN_INITIALIZERS, ...RNN_PENALTIES, ...RNN_TAIL };

export type SimpleRNNArgs = LayerArgs & ArgsOf<typeof SIMPLE_RNN_OPTIONS>;

/**
 * A fully connected recurrent layer.
 * @example layers.simpleRNN({ units: 8, returnSequences: true, inputShape: [10, 4] })
 */
export class SimpleRNN extends RNNBase {
  static override readonly className = 'SimpleRNN';
  static override readonly options = SIMPLE_RNN_OPTIONS;
  declare readonly options: ValuesOf<typeof SIMPLE_RNN_OPTIONS>;
  protected readonly cell = 'simpleRNN' as const;

  constructor(args: SimpleRNNArgs) {
    super(args, 'simple_rnn');
  }
}

/** Factory: `layers.simpleRNN({ units: 8 })`. */
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  return new SimpleRNN(args);
}
