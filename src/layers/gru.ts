/**
 * GRU (Keras 3): gates z, r, h (kernel [in, 3·units], recurrent_kernel
 * [units, 3·units]); h_t = z·h_{t−1} + (1 − z)·hh. resetAfter (Keras 3
 * default true) applies the reset gate after the recurrent product and keeps
 * a separate recurrent bias: bias [2, 3·units] (row 0 input, row 1
 * recurrent); resetAfter false (Keras 2, TF.js) applies it to h_{t−1} before
 * the product, bias [3·units]. docs/semantics.md "Recurrent layers".
 */
import type { Activation } from '../activations.js';
import { bool, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { RnnActivation } from '../ops/rnn.js';
import type { LayerArgs } from './layer.js';
import { activation } from './options.js';
import { RNNBase, rnnActivation, RNN_HEAD, RNN_INITIALIZERS, RNN_PENALTIES, RNN_TAIL, RNN_USE_BIAS } from './rnn-base.js';

/** GRU's options, in config key order. */
export const GRU_OPTIONS = {
  ...RNN_HEAD,
  /** Default sigmoid (Keras 3); TF.js defaults to hardSigmoid. */
  recurrentActivation: activation('sigmoid'),
  ...RNN_USE_BIAS,
  ...RNN_INITIALIZERS,
  ...RNN_PENALTIES,
  /** Reset gate after the recurrent product (Keras 3 default true; TF.js supports only false). */
  resetAfter: bool(true),
  ...RNN_TAIL,
};

export type GRUArgs = LayerArgs & ArgsOf<typeof GRU_OPTIONS>;

/**
 * Gated recurrent unit.
 * @example layers.gru({ units: 16, resetAfter: false }) // the TF.js / Keras 2 variant
 */
export class GRU extends RNNBase {
  static override readonly className = 'GRU';
  static override readonly options = GRU_OPTIONS;
  declare readonly options: ValuesOf<typeof GRU_OPTIONS>;
  protected readonly cell = 'gru' as const;

  constructor(args: GRUArgs) {
    super(args, 'gru');
    rnnActivation(this.name, 'recurrentActivation', this.options.recurrentActivation);
  }

  get recurrentActivation(): Activation {
    return this.options.recurrentActivation;
  }
  protected override recurrentActivationName(): RnnActivation {
    return rnnActivation(this.name, 'recurrentActivation', this.options.recurrentActivation);
  }
  protected override resetAfter(): boolean {
    return this.options.resetAfter;
  }
  protected override biasShape(): number[] {
    return this.options.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }
}

/** Factory: `layers.gru({ units: 16 })`. */
export function gru(args: GRUArgs): GRU {
  return new GRU(args);
}
