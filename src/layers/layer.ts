/**
 * The layer contract (Keras's, kept small): a layer is built lazily from the
 * first input shape, creates its weights with `addWeight` (initializer,
 * regularizer, constraint attached to the Variable), computes `call(x, ctx)`,
 * and exposes `losses` — weight penalties recomputed at access time for
 * trainable weights, plus activity penalties of its most recent call.
 *
 * Who may import this: layers, models, callbacks, io. It uses ops only.
 */
import { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { fmt } from '../tensor/shape.js';
import { div } from '../ops/arithmetic.js';

/** A shape whose batch (first) dimension may be unknown. */
export type Shape = readonly (number | null)[];

/** What every `call` receives. */
export interface CallContext {
  /** True inside fit/trainOnBatch: dropout and noise are active, BN uses batch stats. */
  readonly training: boolean;
  /**
   * Random stream for stochastic layers that have no seed of their own; the
   * model derives it from `fit({seed})` so a whole run is reproducible.
   */
  readonly rng?: Rng;
}

/** A serializable {className, config} pair, as in Keras/TF.js JSON. */
export interface SerializedObject {
  class_name: string;
  config: Record<string, unknown>;
}

/** Weight initializer: a pure function of shape and random stream. */
export interface Initializer {
  apply(shape: readonly number[], rng: Rng): Tensor;
  getConfig(): SerializedObject;
}

/** Weight or activity penalty: tensor → scalar tensor. */
export interface Regularizer {
  apply(x: Tensor): Tensor;
  getConfig(): SerializedObject;
}

/** Projection applied after each optimizer update. */
export interface Constraint {
  apply(w: Tensor): Tensor;
  getConfig(): SerializedObject;
}

export interface AddWeightArgs {
  name: string;
  shape: readonly number[];
  initializer: Initializer;
  regularizer?: Regularizer | undefined;
  constraint?: Constraint | undefined;
  trainable?: boolean;
}

/** Options every layer accepts (TF.js spelling). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Input shape without the batch dimension (first layer of a Sequential). */
  inputShape?: readonly number[];
  /** Full input shape with batch dimension (null = any). */
  batchInputShape?: Shape;
  /** Keras 1 spelling: input_dim = inputShape [n]. */
  inputDim?: number;
  activityRegularizer?: Regularizer;
}

const nameCounts = new Map<string, number>();

/** Unique snake_case layer names: dense, dense_1, dense_2 … (Keras style). */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

function snake(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export abstract class Layer {
  /** Keras class name, e.g. 'Dense' (used in model.json). */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  built = false;
  batchInputShape: Shape | undefined;
  activityRegularizer: Regularizer | undefined;
  protected readonly weightList: Variable[] = [];
  private activityLosses: Tensor[] = [];

  constructor(args: LayerArgs, defaultBase: string) {
    this.name = args.name ?? uniqueName(defaultBase);
    this.trainable = args.trainable ?? true;
    this.activityRegularizer = args.activityRegularizer;
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [null, ...args.inputShape];
    else if (args.inputDim !== undefined) this.batchInputShape = [null, args.inputDim];
  }

  /** Snake-case base of the class name ('BatchNormalization' → 'batch_normalization'). */
  static snakeName(className: string): string {
    return snake(className);
  }

  /** Creates weights for `inputShape` (batch dim may be null). Default: none. */
  build(_inputShape: Shape, _rng: Rng): void {}

  /** The computation. `x` has a known batch dimension. */
  abstract call(x: Tensor, ctx: CallContext): Tensor;

  /** Output shape for an input shape (batch dim may be null). */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** Keras config (snake_case keys) without the common base keys. */
  protected abstract layerConfig(): Record<string, unknown>;

  /** Builds if needed, runs `call`, records the activity penalty (divided by batch size, Keras ≥ 3.14). */
  apply(x: Tensor, ctx: CallContext, rng?: Rng): Tensor {
    if (!this.built) {
      // Standalone use: weights come from a fixed default stream (seed 0) unless an Rng is given.
      this.build([null, ...x.shape.slice(1)], rng ?? new Rng(0));
      this.built = true;
    }
    const y = this.call(x, ctx);
    this.activityLosses = [];
    if (this.activityRegularizer) {
      const p = this.activityRegularizer.apply(y);
      const batch = y.rank > 0 ? y.shape[0]! : 0;
      this.activityLosses.push(batch > 0 ? div(p, batch) : p);
    }
    return y;
  }

  /** Called by models before each top-level forward pass. */
  clearActivityLosses(): void {
    this.activityLosses = [];
  }

  /** Creates a weight Variable named `${layer}/${name}`. */
  protected addWeight(args: AddWeightArgs, rng: Rng): Variable {
    const init = args.initializer.apply(args.shape, rng);
    if (init.shape.length !== args.shape.length || init.shape.some((d, i) => d !== args.shape[i])) {
      throw new Error(`${this.name}: initializer gave ${fmt(init.shape)} for weight '${args.name}' ${fmt(args.shape)}`);
    }
    const v = new Variable(init, {
      name: `${this.name}/${args.name}`,
      trainable: args.trainable ?? true,
      regularizer: args.regularizer,
      constraint: args.constraint,
    });
    this.weightList.push(v);
    return v;
  }

  /** All weights in creation order (Keras order: trainable first is NOT enforced; TF.js order is creation order). */
  get weights(): Variable[] {
    return [...this.weightList];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.weightList.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.weightList.filter((w) => !w.trainable) : [...this.weightList];
  }

  /** Weight penalties (recomputed now, trainable weights only) + activity penalties of the last call. */
  get losses(): Tensor[] {
    const out: Tensor[] = [];
    for (const w of this.trainableWeights) if (w.regularizer) out.push(w.regularizer.apply(w));
    return out.concat(this.activityLosses);
  }

  /** Copies of the current weight values. */
  getWeights(): Tensor[] {
    return this.weightList.map((w) => w.read());
  }

  /** Sets weights in `weights` order; shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    if (values.length !== this.weightList.length) {
      throw new Error(`${this.name}.setWeights: expected ${this.weightList.length} arrays, got ${values.length}`);
    }
    values.forEach((v, i) => this.weightList[i]!.assign(v));
  }

  countParams(): number {
    return this.weightList.reduce((s, w) => s + w.size, 0);
  }

  /** Keras config: name, trainable, dtype, batch_input_shape (if set) + the layer's own keys. */
  getConfig(): Record<string, unknown> {
    const base: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape) base['batch_input_shape'] = [...this.batchInputShape];
    return { ...base, ...this.layerConfig() };
  }
}
