/**
 * Non-differentiable in-place updates of variables, exposed as ops so that
 * optimizers and constraints never import the backend: fused optimizer steps,
 * scaling, assignment, and the step scope that bounds intermediate memory.
 */
import type { AdamArgs, FloatArray, RmspropArgs } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';

function check(w: Variable, g: Tensor, op: string): void {
  if (!shapesEqual(w.shape, g.shape)) throw new Error(`${op}: gradient ${fmt(g.shape)} does not match variable '${w.name}' ${fmt(w.shape)}`);
}

/** A persistent zero-filled slot shaped like `w` (optimizer state). */
export function slotLike(w: Variable, suffix: string, init = 0): Variable {
  const v = new Variable(w, { name: `${w.name}/${suffix}`, trainable: false });
  v.data.fill(init);
  return v;
}

/**
 * A zeroed float32 tensor of `shape` in persistent backend memory: it outlives
 * every step scope (its buffer is freed when the tensor is collected), so a
 * model can keep data there across steps (fit's epoch copy of the training
 * arrays, src/models/data.ts).
 */
export function persistentZeros(shape: readonly number[]): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  return new Tensor(shape, 'float32', getBackend().allocPersistent(size));
}

/** In-place SGD step on `w` with gradient `g`; `m` is the momentum slot (null when momentum is 0). See `Backend.sgdUpdate`. */
export function sgdStep(w: Variable, g: Tensor, m: Variable | null, lr: number, momentum: number, nesterov: boolean): void {
  check(w, g, 'sgd');
  getBackend().sgdUpdate(w.data, g.data as FloatArray, m ? m.data : null, lr, momentum, nesterov);
}

/** In-place Adam step; `vhat` non-null makes it AMSGrad. `p.alpha` has the bias corrections folded in. */
export function adamStep(w: Variable, g: Tensor, m: Variable, v: Variable, vhat: Variable | null, p: AdamArgs): void {
  check(w, g, 'adam');
  getBackend().adamUpdate(w.data, g.data as FloatArray, m.data, v.data, vhat ? vhat.data : null, p);
}

/** In-place RMSprop step (Keras 3: eps inside the sqrt); `mg` for centered, `mom` for momentum > 0. */
export function rmspropStep(w: Variable, g: Tensor, v: Variable, mg: Variable | null, mom: Variable | null, p: RmspropArgs): void {
  check(w, g, 'rmsprop');
  getBackend().rmspropUpdate(w.data, g.data as FloatArray, v.data, mg ? mg.data : null, mom ? mom.data : null, p);
}

/** In-place Adagrad step: acc += g²; w −= lr·g / √(acc + ε). */
export function adagradStep(w: Variable, g: Tensor, acc: Variable, lr: number, epsilon: number): void {
  check(w, g, 'adagrad');
  getBackend().adagradUpdate(w.data, g.data as FloatArray, acc.data, lr, epsilon);
}

/**
 * The MaxNorm constraint in place on `w` viewed as [rows, cols] (one norm per
 * column): the same bits as `maxNorm(maxValue).apply(w)` then `assign`, in one
 * fused kernel. See `Backend.maxNormInPlace`.
 */
export function maxNormInPlace(w: Variable, rows: number, cols: number, maxValue: number, epsilon: number): void {
  if (rows * cols !== w.size) throw new Error(`maxNormInPlace: ${rows} × ${cols} does not cover variable '${w.name}' ${fmt(w.shape)}`);
  getBackend().maxNormInPlace(w.data, rows, cols, maxValue, epsilon);
}

/** w ← w · scale in place. */
export function scaleVariable(w: Variable, scale: number): void {
  getBackend().scaleInPlace(w.data, scale);
}

/**
 * Runs one training/eval step with a step-scoped arena: intermediates computed
 * inside may be released when it returns, so `fn` must return plain values
 * (numbers), never tensors.
 */
export function stepScope<T extends number | number[] | void | Record<string, number>>(fn: () => T): T {
  const b = getBackend();
  b.beginScope();
  try {
    return fn();
  } finally {
    b.endScope();
  }
}

/** A garbage-collected copy of a tensor (safe to keep after a step scope). */
export function keep(t: Tensor): Tensor {
  return new Tensor(t.shape, t.dtype, getBackend().copyOut(t.data));
}
