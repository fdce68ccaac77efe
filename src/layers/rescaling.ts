/**
 * Rescaling (Keras 3 / TF.js preprocessing layer): y = x·scale + offset, on
 * any rank; int32 inputs are cast to float32 first. `scale` and `offset` are
 * numbers (Keras 3 also takes per-channel lists; TF.js only numbers — a list
 * here broadcasts over the last axis and must match its size).
 */
import { add, mul } from '../ops/arithmetic.js';
import { toFloat } from '../ops/shape-ops.js';
import { tensor } from '../tensor/create.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { custom, invalid, req, type ArgsOf, type OptionSpec, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

type Factor = number | readonly number[];

function factor(d?: number): OptionSpec<Factor, Factor> {
  return custom<Factor>({
    check: (v, w) => {
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      if (Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number' && Number.isFinite(n))) return [...(v as number[])];
      throw invalid(w, 'a finite number or a non-empty list of them (one per channel)', v);
    },
    ...(d !== undefined ? { default: d } : {}),
  });
}

/** Rescaling's options, in config order. */
export const RESCALING_OPTIONS = {
  /** Multiplier (required), a number or one per channel. */
  scale: { ...req(factor()), positional: true },
  /** Added after scaling (default 0), a number or one per channel. */
  offset: factor(0),
};

export type RescalingArgs = LayerArgs & ArgsOf<typeof RESCALING_OPTIONS>;

/** @example new Rescaling({ scale: 1 / 255 }) // pixels 0–255 → 0–1 */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  static override readonly options = RESCALING_OPTIONS;
  declare readonly options: ValuesOf<typeof RESCALING_OPTIONS>;

  constructor(args: RescalingArgs | number) {
    super(args, 'rescaling');
  }

  get scale(): Factor {
    return this.options.scale;
  }
  get offset(): Factor {
    return this.options.offset;
  }

  private factor(v: Factor, x: Tensor, what: string): Tensor | number {
    if (typeof v === 'number') return v;
    const c = x.shape[x.rank - 1];
    if (x.rank === 0 || c !== v.length) throw new Error(`${this.name}: ${what} has ${v.length} values, one per channel, but the input is ${fmt(x.shape)}`);
    return tensor(v as number[], [v.length]);
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const x = toFloat(xIn);
    const s = this.factor(this.scale, x, 'scale');
    const o = this.factor(this.offset, x, 'offset');
    const y = mul(x, s);
    return o === 0 ? y : add(y, o);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
}

/** Factory (TF.js `tf.layers.rescaling`): `layers.rescaling({ scale: 1 / 255 })`. */
export function rescaling(args: RescalingArgs | number): Rescaling {
  return new Rescaling(args);
}
