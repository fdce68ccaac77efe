/**
 * The one way an op is made: compute the output with backend kernels, then
 * `defineOp(name, inputs, output, backward)` records how to differentiate it.
 * Forward and backward of every op sit side by side in the files of this folder.
 */
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { record, type TapeNode } from '../autograd/tape.js';
import { Tensor } from '../tensor/tensor.js';

/** Anything an op accepts as a float input: a tensor or a plain number (a scalar). */
export type TensorLike = Tensor | number;

/**
 * Records `output = name(inputs)` on the active tape (if any input is tracked)
 * and returns `output`. `backward(dy)` returns one gradient per input, shaped
 * like it (or null for none); it runs with recording paused. Its second
 * argument `needs[i]` says whether input i is tracked: a rule may return null
 * (skip the work) for inputs that need no gradient (data, masks, constants).
 * @example
 * const y = floatTensor(x.shape, getBackend().unary('exp', fdata(x), 0));
 * return defineOp('exp', [x], y, (dy) => [mul(dy, y)]);
 */
export function defineOp(name: string, inputs: readonly Tensor[], output: Tensor, backward: TapeNode['backward']): Tensor {
  return record(name, inputs, output, backward);
}

/** Wraps a float buffer from the backend as a float32 tensor. */
export function floatTensor(shape: readonly number[], data: FloatArray): Tensor {
  return new Tensor(shape, 'float32', data);
}

/** Converts a number to a scalar tensor; checks that a tensor is float32. */
export function asFloat(x: TensorLike, op: string): Tensor {
  if (typeof x === 'number') return floatTensor([], getBackend().fill(1, x));
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor or a number, got ${describe(x)}`);
  if (x.dtype !== 'float32') throw new Error(`${op}: expected a float32 tensor, got ${x.dtype} (cast labels with toFloat())`);
  return x;
}

/** The float buffer of a float32 tensor. */
export function fdata(t: Tensor): FloatArray {
  return t.data as FloatArray;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array (wrap it with tensor())';
  return typeof v;
}
