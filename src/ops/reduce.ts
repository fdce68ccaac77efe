/**
 * Reductions over axes with keepDims: sum, mean, max, min, norm; argMax/argMin.
 * Non-contiguous axis sets are transposed to the end first, so the backend only
 * ever reduces the middle axis of an [outer, n, inner] view.
 */
import type { ArgReduceOp, ReduceOp } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { normalizeAxes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';
import { broadcastTo, reshape, transpose } from './shape-ops.js';
import { add, div, equal, mul } from './arithmetic.js';
import { sqrt, square } from './unary.js';

/** One axis or a list of axes (negative counts from the end); undefined means all axes. */
export type Axes = number | readonly number[];

interface Plan {
  axes: number[];
  outShape: number[];
  keptShape: number[];
  /** The input, permuted so reduced axes are contiguous. */
  src: Tensor;
  outer: number;
  n: number;
  inner: number;
}

function plan(x: Tensor, axis: Axes | undefined, keepDims: boolean, op: string): Plan {
  const rank = x.rank;
  const axes = normalizeAxes(axis, rank, op);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  const contiguous = axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1;
  if (contiguous) {
    const first = axes[0] ?? rank;
    const last = axes[axes.length - 1] ?? rank - 1;
    return {
      axes,
      outShape,
      keptShape,
      src: x,
      outer: sizeOf(x.shape.slice(0, first)),
      n: sizeOf(axes.map((a) => x.shape[a]!)),
      inner: sizeOf(x.shape.slice(last + 1)),
    };
  }
  const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...keep, ...axes];
  const src = getBackend().transpose(fdata(x), x.shape, perm);
  return {
    axes,
    outShape,
    keptShape,
    src: floatTensor(perm.map((p) => x.shape[p]!), src),
    outer: sizeOf(keep.map((k) => x.shape[k]!)),
    n: sizeOf(axes.map((a) => x.shape[a]!)),
    inner: 1,
  };
}

function reduceRaw(op: ReduceOp, p: Plan): Tensor {
  return floatTensor(p.outShape, getBackend().reduce(op, fdata(p.src), p.outer, p.n, p.inner));
}

/**
 * Σ over `axis` (all axes by default); `keepDims` keeps reduced axes as size 1.
 * @example sum(tensor([[1, 2], [3, 4]]), 1) // [3, 7]
 */
export function sum(t: Tensor, axis?: Axes, keepDims = false): Tensor {
  const x = asFloat(t, 'sum');
  const p = plan(x, axis, keepDims, 'sum');
  const out = reduceRaw('sum', p);
  return defineOp('sum', [x], out, (dy) => [broadcastTo(reshape(dy, p.keptShape), x.shape)]);
}

/**
 * scale · Σ x² over all elements, as a scalar: the same bits as
 * `mul(sum(square(x)), scale)`, but one tape node whose gradient
 * `2·scale·dy·x` is a single kernel (no broadcast of dy, no square backward,
 * no scalar product) — the L2 penalty's path.
 * @example sumSquares(tensor([1, 2])) // 5
 */
export function sumSquares(t: Tensor, scale = 1): Tensor {
  const x = asFloat(t, 'sumSquares');
  const b = getBackend();
  // scale·Σx² rounded once in the backend's precision (a float32 buffer rounds on store): the
  // same bits as mul(sumSquares(x), scale), as one op (the L2 penalty).
  const total = b.sumSquares(fdata(x));
  const round = total instanceof Float32Array ? Math.fround : (v: number): number => v;
  const s = round(scale);
  if (s !== 1) total[0] = total[0]! * s;
  const out = floatTensor([], total);
  return defineOp('sumSquares', [x], out, (dy) => {
    const twoDy = b.fill(1, 2 * round(fdata(dy)[0]! * s));
    return [floatTensor(x.shape, b.binary('mul', fdata(x), x.shape, twoDy, [], x.shape))];
  });
}

/**
 * Mean over `axis` (all axes by default), = sum / (number of reduced elements).
 * @example mean(x, -1, true) // [batch, 1]
 */
export function mean(t: Tensor, axis?: Axes, keepDims = false): Tensor {
  const x = asFloat(t, 'mean');
  const p = plan(x, axis, keepDims, 'mean');
  return div(sum(x, axis, keepDims), p.n);
}

function extremum(op: 'max' | 'min', t: Tensor, axis: Axes | undefined, keepDims: boolean): Tensor {
  const x = asFloat(t, op);
  const p = plan(x, axis, keepDims, op);
  if (p.n === 0) throw new Error(`${op}: cannot reduce an empty axis of shape [${x.shape.join(',')}]`);
  const out = reduceRaw(op, p);
  return defineOp(op, [x], out, (dy) => {
    // Gradient split evenly between tied extrema (as TF does for reduce_max).
    const kept = reshape(out, p.keptShape);
    const mask = equal(x, kept);
    const count = sum(mask, p.axes, true);
    return [mul(div(mask, count), reshape(dy, p.keptShape))];
  });
}

/**
 * Maximum over `axis` (all by default). NaN wins. The gradient is split evenly
 * between tied maxima (TF's reduce_max rule). Throws on an empty axis.
 */
export function max(t: Tensor, axis?: Axes, keepDims = false): Tensor {
  return extremum('max', t, axis, keepDims);
}

/** Minimum over `axis` (all by default); the mirror of `max`. */
export function min(t: Tensor, axis?: Axes, keepDims = false): Tensor {
  return extremum('min', t, axis, keepDims);
}

/**
 * Euclidean norm sqrt(Σ x²) over `axis` (all by default). The gradient at a zero
 * norm is NaN-free only with `epsilon` > 0 (then sqrt(Σx² + ε)).
 */
export function norm(t: Tensor, axis?: Axes, keepDims = false, epsilon = 0): Tensor {
  const s = sum(square(t), axis, keepDims);
  return sqrt(epsilon > 0 ? add(s, epsilon) : s);
}

function argRaw(op: ArgReduceOp, t: Tensor, axis: number): Tensor {
  const x = asFloat(t, op);
  const p = plan(x, axis, false, op);
  if (p.n === 0) throw new Error(`${op}: axis ${axis} of shape [${x.shape.join(',')}] is empty`);
  return new Tensor(p.outShape, 'int32', getBackend().argReduce(op, fdata(p.src), p.outer, p.n, p.inner));
}

/** Index of the maximum along `axis` (default last), int32; first one on ties, NaN wins. @example argMax(probs) // predicted classes */
export function argMax(t: Tensor, axis = -1): Tensor {
  return argRaw('argMax', t, axis);
}

/** Index of the minimum along `axis` (default last), int32; first one on ties, NaN wins. */
export function argMin(t: Tensor, axis = -1): Tensor {
  return argRaw('argMin', t, axis);
}
