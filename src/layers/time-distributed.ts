/**
 * TimeDistributed (Keras 3, TF.js spelling): applies one layer to every time
 * step of a `[batch, steps, …]` input. Time is folded into the batch
 * (`[batch·steps, …]`), the inner layer runs once, and the result is
 * unfolded to `[batch, steps, …out]`, so the inner layer's weights are shared
 * across steps and its gradient is the sum over them. Its config nests the
 * inner layer as `{layer: {class_name, config}}`; the inner weights are
 * named `<wrapper>/<weight>` (`time_distributed/kernel`), as TF.js and Keras 2
 * name them. A mask on the input passes on unchanged (the inner layer does
 * not see it). Stochastic inner layers draw one mask for all steps together,
 * independently per step, as Keras 3's per-step calls do.
 */
import { reshape } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ArgsOf, ValuesOf } from '../config/options.js';
import { isShapeList, type CallContext, type Layer, type LayerArgs, type Shape } from './layer.js';
import { innerLayerOption, Wrapper } from './wrapper.js';

/** TimeDistributed's options, in config key order. */
export const TIME_DISTRIBUTED_OPTIONS = {
  /** The layer applied at every step (its weights are shared across steps). */
  layer: innerLayerOption(),
};

export type TimeDistributedArgs = LayerArgs & ArgsOf<typeof TIME_DISTRIBUTED_OPTIONS>;

const show = (s: Shape): string => `[${s.map((d) => d ?? 'null').join(',')}]`;

/** @example layers.timeDistributed({ layer: layers.dense({ units: 8 }) }) // [b, t, 16] → [b, t, 8] */
export class TimeDistributed extends Wrapper {
  static override readonly className = 'TimeDistributed';
  static override readonly options = TIME_DISTRIBUTED_OPTIONS;
  declare readonly options: ValuesOf<typeof TIME_DISTRIBUTED_OPTIONS>;

  constructor(args: TimeDistributedArgs) {
    super(args, 'time_distributed');
    if (!this.layer.built) this.layer.weightNamePrefix = `${this.name}/`;
    this.initRngDelegation();
  }

  /** The wrapped layer. */
  get layer(): Layer {
    return this.options.layer;
  }

  protected get inner(): readonly Layer[] {
    return [this.layer];
  }

  /** A mask on [batch, steps] passes on unchanged. */
  override get supportsMasking(): boolean {
    return true;
  }

  private childShape(inputShape: Shape): Shape {
    if (inputShape.length < 3) throw new Error(`${this.name}: TimeDistributed needs an input of rank 3 or more ([batch, steps, …]), got ${show(inputShape)}`);
    const [b, t] = inputShape;
    return [b === null || t === null || b === undefined || t === undefined ? null : b * t, ...inputShape.slice(2)];
  }

  override build(inputShape: Shape | Shape[], rng: Rng): void {
    if (isShapeList(inputShape)) throw new Error(`${this.name}: TimeDistributed takes one input, got ${inputShape.length}`);
    const child: Shape = [null, ...this.childShape(inputShape).slice(1)];
    if (!this.layer.built) {
      this.layer.build(child, rng);
      this.layer.built = true;
    }
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank < 3) throw new Error(`${this.name}: TimeDistributed needs an input of rank 3 or more ([batch, steps, …]), got ${fmt(x.shape)}`);
    const [b, t] = [x.shape[0]!, x.shape[1]!];
    const inner: CallContext = { training: ctx.training, ...(ctx.rng ? { rng: ctx.rng } : {}), ...(ctx.accumulate ? { accumulate: true } : {}) };
    const y = this.layer.apply(reshape(x, [b * t, ...x.shape.slice(2)]), inner);
    if (Array.isArray(y)) throw new Error(`${this.name}: the wrapped layer '${this.layer.name}' returned ${y.length} tensors; TimeDistributed needs one`);
    return reshape(y, [b, t, ...y.shape.slice(1)]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const out = this.layer.computeOutputShape(this.childShape(inputShape));
    if (isShapeList(out)) throw new Error(`the wrapped layer '${this.layer.name}' has ${out.length} outputs; TimeDistributed needs one`);
    return [inputShape[0] ?? null, inputShape[1] ?? null, ...out.slice(1)];
  }
}

/** Factory: `layers.timeDistributed({ layer })`. */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  return new TimeDistributed(args);
}
