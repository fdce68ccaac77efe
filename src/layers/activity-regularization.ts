/**
 * ActivityRegularization (Keras 3, docs/semantics.md §1.4): the identity, plus an activity
 * penalty `l1·Σ|y| + l2·Σy²` of its output, divided by the batch size and
 * added to the loss (Keras ≥ 3.14; see Layer.apply). Defaults l1 = l2 = 0.
 */
import { custom, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { Tensor } from '../tensor/tensor.js';
import { L1L2, validateFactor } from '../regularizers.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

const factor = () => custom<number>({ check: (v, w) => validateFactor(v, w.arg, w.layer), default: 0 });

/** ActivityRegularization's options, in config key order. */
export const ACTIVITY_REGULARIZATION_OPTIONS = {
  /** L1 factor (default 0). */
  l1: factor(),
  /** L2 factor (default 0). */
  l2: factor(),
  /** Not an option here: the layer is its own activity regularizer (a config's entry is ignored). */
  activityRegularizer: {
    ...custom<undefined>({
      check: (_v, w) => {
        throw new Error(`${w.layer}: set l1/l2; activityRegularizer is the layer itself`);
      },
    }),
    write: false,
    fromConfig: () => null,
  },
};

export type ActivityRegularizationArgs = Omit<LayerArgs, 'activityRegularizer'> & ArgsOf<typeof ACTIVITY_REGULARIZATION_OPTIONS>;

/** @example layers.activityRegularization({ l2: 1e-3 }) // penalize large activations */
export class ActivityRegularization extends Layer {
  static override readonly className = 'ActivityRegularization';
  /** Passes a mask on unchanged (Keras `supports_masking`). */
  override get supportsMasking(): boolean {
    return true;
  }
  static override readonly options = ACTIVITY_REGULARIZATION_OPTIONS;
  declare readonly options: ValuesOf<typeof ACTIVITY_REGULARIZATION_OPTIONS>;

  constructor(args: ActivityRegularizationArgs = {}) {
    super(args, 'activity_regularization');
    this.activityRegularizer = new L1L2(this.l1, this.l2);
  }

  get l1(): number {
    return this.options.l1;
  }
  get l2(): number {
    return this.options.l2;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return x;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Factory: `layers.activityRegularization({ l1: 0, l2: 0.01 })`. */
export function activityRegularization(args: ActivityRegularizationArgs = {}): ActivityRegularization {
  return new ActivityRegularization(args);
}
