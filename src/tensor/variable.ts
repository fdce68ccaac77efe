/**
 * Variable: a named, persistent, mutable tensor — a layer weight or an optimizer
 * slot. It carries what Keras's `add_weight` attaches: trainable flag,
 * initializer name, regularizer and constraint. The buffer lives in the
 * backend's persistent region and is updated in place.
 */
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

/** Anything that turns a weight into a scalar penalty (regularizers). */
export interface WeightRegularizer {
  /** Scalar penalty tensor for `w`. */
  apply(w: Tensor): Tensor;
}

/** Anything that projects a weight after an update (constraints). */
export interface WeightConstraint {
  apply(w: Tensor): Tensor;
}

/** Options of a Variable: its name and what Keras's `add_weight` attaches. */
export interface VariableArgs {
  name: string;
  trainable?: boolean;
  regularizer?: WeightRegularizer | undefined;
  constraint?: WeightConstraint | undefined;
}

/**
 * A persistent, mutable float32 tensor (weights, optimizer slots). Its buffer
 * comes from the backend's persistent region and is updated in place.
 * @example const w = new Variable(zeros([3, 2]), { name: 'dense/kernel' });
 */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;
  regularizer: WeightRegularizer | undefined;
  constraint: WeightConstraint | undefined;
  declare data: FloatArray;

  constructor(initial: Tensor, args: VariableArgs) {
    if (initial.dtype !== 'float32') throw new Error(`Variable '${args.name}': only float32 variables are supported, got ${initial.dtype}`);
    const buf = getBackend().allocPersistent(initial.size);
    buf.set(initial.data as FloatArray);
    super(initial.shape, 'float32', buf);
    this.name = args.name;
    this.trainable = args.trainable ?? true;
    this.regularizer = args.regularizer;
    this.constraint = args.constraint;
  }

  /** Copies `value` into this variable (shapes must match). */
  assign(value: Tensor): void {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new Error(`Variable '${this.name}': cannot assign shape ${fmt(value.shape)} to shape ${fmt(this.shape)}`);
    }
    if (value.data === this.data) return;
    this.data.set(value.data as FloatArray);
  }

  /** Copies raw values into this variable (length must match). */
  assignValues(values: ArrayLike<number>): void {
    if (values.length !== this.size) {
      throw new Error(`Variable '${this.name}': expected ${this.size} values for shape ${fmt(this.shape)}, got ${values.length}`);
    }
    this.data.set(values);
  }

  /** A plain tensor snapshot (copy) of the current value. */
  read(): Tensor {
    return new Tensor(this.shape, 'float32', Float32Array.from(this.data));
  }
}
