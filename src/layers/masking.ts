/**
 * Masking (Keras 3): marks the steps of a `[batch, steps, features]` input
 * whose features all equal `maskValue` as padding. The output is the input
 * with those steps zeroed (`x · any(x ≠ maskValue, −1)`), and it carries the
 * mask `any(x ≠ maskValue, −1)` ([batch, steps], 1 where a step is real) to
 * the layers after it — RNNs skip masked steps, GlobalAveragePooling1D
 * averages over the real ones (docs/semantics.md §9). An incoming mask is
 * replaced by the new one, as in Keras.
 */
import { mul } from '../ops/arithmetic.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { custom, invalid, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Mask, type Shape } from './layer.js';

/** Masking's options, in config key order. */
export const MASKING_OPTIONS = {
  /** A step whose features all equal this value is padding (default 0). */
  maskValue: custom<number>({
    check: (v, w) => {
      if (typeof v !== 'number' || Number.isNaN(v)) throw invalid(w, 'a number', v);
      return v;
    },
    default: 0,
  }),
};

export type MaskingArgs = LayerArgs & ArgsOf<typeof MASKING_OPTIONS>;

/** @example layers.masking({ maskValue: 0, inputShape: [20, 3] }) // padded steps of [b, 20, 3] are skipped by an LSTM */
export class Masking extends Layer {
  static override readonly className = 'Masking';
  static override readonly options = MASKING_OPTIONS;
  declare readonly options: ValuesOf<typeof MASKING_OPTIONS>;

  constructor(args: MaskingArgs = {}) {
    super(args, 'masking');
  }

  get maskValue(): number {
    return this.options.maskValue;
  }

  /** Takes a mask (and replaces it). */
  override get supportsMasking(): boolean {
    return true;
  }

  /** [batch, steps]: 1 where any feature differs from maskValue. */
  private stepMask(x: Tensor): Tensor {
    if (x.rank < 3) throw new Error(`${this.name}: Masking needs an input [batch, steps, features], got ${fmt(x.shape)}`);
    const f = x.shape[x.rank - 1]!;
    const steps = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const d = x.data;
    const v = this.maskValue;
    const m = new Float32Array(steps);
    for (let s = 0; s < steps; s++) {
      let real = 0;
      for (let j = s * f; j < (s + 1) * f; j++) {
        if (d[j] !== v) {
          real = 1;
          break;
        }
      }
      m[s] = real;
    }
    return new Tensor(x.shape.slice(0, -1), 'float32', m);
  }

  override computeMask(inputs: Tensor | Tensor[], _mask?: Mask): Tensor | null {
    if (Array.isArray(inputs)) return null;
    return this.stepMask(inputs);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const m = this.stepMask(x);
    return mul(x, new Tensor([...m.shape, 1], 'float32', m.data));
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 3) throw new Error(`Masking needs an input [batch, steps, features], got [${inputShape.map((d) => d ?? 'null').join(',')}]`);
    return inputShape;
  }
}

/** Factory: `layers.masking({ maskValue: 0 })`. */
export function masking(args: MaskingArgs = {}): Masking {
  return new Masking(args);
}
