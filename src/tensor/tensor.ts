/**
 * Tensor: a shape, a dtype and a row-major contiguous buffer.
 *
 * Tensors are immutable values as far as users are concerned (only `Variable`
 * changes its contents, through `assign`). Users never call `dispose()`: inside a
 * training step buffers live in a step arena that the engine releases; tensors
 * returned to users are ordinary garbage-collected arrays.
 */
import type { AnyArray } from '../backend/backend.js';
import type { DType } from './dtype.js';
import { fmt, sizeOf } from './shape.js';
import type { TapeNode } from '../autograd/tape.js';

let nextId = 0;

/** Nested number arrays as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array: `shape` (frozen), `dtype` and a row-major buffer.
 * Create tensors with `tensor`, `zeros`, `randomNormal`… rather than `new`.
 * @example tensor([[1, 2], [3, 4]]).toArray() // [[1, 2], [3, 4]]
 */
export class Tensor {
  /** Unique, increasing id (creation order). */
  readonly id = nextId++;
  /** Dimensions, outermost first ([] for a scalar). */
  readonly shape: readonly number[];
  /** 'float32' for values, 'int32' for labels and indices. */
  readonly dtype: DType;
  /** The buffer (a view may share it with other tensors: never write to it). */
  data: AnyArray;
  /** Set by the autograd tape while recording. Internal. */
  node: TapeNode | undefined = undefined;

  constructor(shape: readonly number[], dtype: DType, data: AnyArray) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new Error(`Tensor: shape ${fmt(shape)} needs ${size} values, got ${data.length}`);
    }
    if ((dtype === 'int32') !== data instanceof Int32Array) {
      throw new Error(`Tensor: dtype ${dtype} does not match buffer ${data.constructor.name}`);
    }
    // A frozen shape (another tensor's) is shared as it is: no copy per op.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = dtype;
    this.data = data;
  }

  /** Number of elements (1 for a scalar). */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values as a plain typed array (Float32Array or Int32Array). */
  dataSync(): Float32Array | Int32Array {
    if (this.data instanceof Int32Array) return Int32Array.from(this.data);
    return Float32Array.from(this.data);
  }

  /** The values as nested arrays following the shape (a scalar gives a number). */
  toArray(): NestedArray {
    const d = this.data;
    const shape = this.shape;
    if (shape.length === 0) return d[0]!;
    let pos = 0;
    const build = (axis: number): NestedArray[] => {
      const out: NestedArray[] = [];
      const n = shape[axis]!;
      for (let i = 0; i < n; i++) out.push(axis === shape.length - 1 ? d[pos++]! : build(axis + 1));
      return out;
    };
    return build(0);
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape ${fmt(this.shape)} has ${this.size} values, expected 1`);
    return this.data[0]!;
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${fmt(this.shape)})`;
  }
}
