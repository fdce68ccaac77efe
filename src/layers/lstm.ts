/**
 * LSTM (Keras 3): gates i, f, c, o (in that order along the last axis of
 * kernel [in, 4·units], recurrent_kernel [units, 4·units] and bias [4·units]);
 * c_t = f·c_{t−1} + i·act(x_c); h_t = o·act(c_t). recurrentActivation
 * defaults to sigmoid (Keras 3; TF.js's default is hardSigmoid), and
 * unitForgetBias (default true) starts the forget gate's bias at 1.
 * docs/semantics.md "Recurrent layers".
 */
import type { Activation } from '../activations.js';
import { bool, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { Initializer } from '../config/types.js';
import type { RnnActivation } from '../ops/rnn.js';
import type { LayerArgs } from './layer.js';
import { activation } from './options.js';
import { RNNBase, rnnActivation, unitForgetBiasInit, RNN_HEAD, RNN_INITIALIZERS, RNN_PENALTIES, RNN_TAIL, RNN_USE_BIAS } from './rnn-base.js';

/** LSTM's options, in config key order (TF.js's). */
export const LSTM_OPTIONS = {
  ...RNN_HEAD,
  /** Default sigmoid (Keras 3); TF.js defaults to hardSigmoid. */
  recurrentActivation: activation('sigmoid'),
  ...RNN_USE_BIAS,
  ...RNN_INITIALIZERS,
  /** Forget-gate bias starts at 1 (Jozefowicz et al.); default true. */
  unitForgetBias: bool(true),
  ...RNN_PENALTIES,
  ...RNN_TAIL,
};

export type LSTMArgs = LayerArgs & ArgsOf<typeof LSTM_OPTIONS>;

/**
 * Long short-term memory.
 * @example layers.lstm({ units: 32, dropout: 0.2, recurrentDropout: 0.2 })
 */
export class LSTM extends RNNBase {
  static override readonly className = 'LSTM';
  static override readonly options = LSTM_OPTIONS;
  declare readonly options: ValuesOf<typeof LSTM_OPTIONS>;
  protected readonly cell = 'lstm' as const;

  constructor(args: LSTMArgs) {
    super(args, 'lstm');
    rnnActivation(this.name, 'recurrentActivation', this.options.recurrentActivation);
  }

  get recurrentActivation(): Activation {
    return this.options.recurrentActivation;
  }
  get unitForgetBias(): boolean {
    return this.options.unitForgetBias;
  }
  protected override recurrentActivationName(): RnnActivation {
    return rnnActivation(this.name, 'recurrentActivation', this.options.recurrentActivation);
  }
  protected override biasInit(): Initializer {
    return this.unitForgetBias ? unitForgetBiasInit(this.options.biasInitializer, this.units) : this.options.biasInitializer;
  }
}

/** Factory: `layers.lstm({ units: 32 })`. */
export function lstm(args: LSTMArgs): LSTM {
  return new LSTM(args);
}
