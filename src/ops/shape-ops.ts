/**
 * Shape ops: reshape (a view), transpose, broadcastTo, expandDims, squeeze,
 * concat, slice, gather, oneHot, cast.
 */
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { broadcastedAxes, broadcastShapes, checkShape, fmt, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';
import { sum } from './reduce.js';

/** Same data, new shape (one dimension may be −1). No copy. */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  const minus = shape.filter((d) => d === -1).length;
  if (minus > 1) throw new Error(`reshape: at most one -1 allowed, got ${fmt(shape)}`);
  let s = [...shape];
  if (minus === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || t.size % known !== 0) throw new Error(`reshape: cannot reshape ${fmt(t.shape)} (size ${t.size}) to ${fmt(shape)}`);
    s = shape.map((d) => (d === -1 ? t.size / known : d));
  }
  checkShape(s, 'reshape');
  if (sizeOf(s) !== t.size) throw new Error(`reshape: cannot reshape ${fmt(t.shape)} (size ${t.size}) to ${fmt(shape)} (size ${sizeOf(s)})`);
  if (shapesEqual(s, t.shape)) return t;
  const out = new Tensor(s, t.dtype, t.data);
  if (t.dtype !== 'float32') return out;
  return defineOp('reshape', [t], out, (dy) => [reshape(dy, t.shape)]);
}

/** Permutes axes (default: reverse). */
export function transpose(t: Tensor, perm?: readonly number[]): Tensor {
  const rank = t.rank;
  const p = perm ? perm.map((a) => normalizeAxis(a, rank, 'transpose')) : t.shape.map((_, i) => rank - 1 - i);
  if (p.length !== rank || new Set(p).size !== rank) throw new Error(`transpose: perm ${JSON.stringify(perm)} is not a permutation of ${rank} axes`);
  const outShape = p.map((a) => t.shape[a]!);
  const data = getBackend().transpose(t.data, t.shape, p);
  const out = new Tensor(outShape, t.dtype, data);
  if (t.dtype !== 'float32') return out;
  const inv = new Array<number>(rank);
  p.forEach((a, i) => (inv[a] = i));
  return defineOp('transpose', [t], out, (dy) => [transpose(dy, inv)]);
}

/** Broadcasts to `shape` (numpy rules). */
export function broadcastTo(t: Tensor, shape: readonly number[]): Tensor {
  const x = asFloat(t, 'broadcastTo');
  const full = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(full, shape)) throw new Error(`broadcastTo: cannot broadcast ${fmt(x.shape)} to ${fmt(shape)}`);
  if (shapesEqual(x.shape, shape)) return x;
  const b = getBackend();
  const zero = b.fill(1, 0);
  const out = floatTensor(shape, b.binary('add', fdata(x), x.shape, zero, [], shape));
  return defineOp('broadcastTo', [x], out, (dy) => {
    const axes = broadcastedAxes(x.shape, shape);
    return [reshape(sum(dy, axes, true), x.shape)];
  });
}

/** Inserts a size-1 axis at `axis`. */
export function expandDims(t: Tensor, axis = 0): Tensor {
  const r = t.rank + 1;
  const a = normalizeAxis(axis, r, 'expandDims');
  const s = [...t.shape];
  s.splice(a, 0, 1);
  return reshape(t, s);
}

/** Removes size-1 axes (all, or those listed). */
export function squeeze(t: Tensor, axes?: readonly number[]): Tensor {
  const list = axes?.map((a) => normalizeAxis(a, t.rank, 'squeeze'));
  list?.forEach((a) => {
    if (t.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of shape ${fmt(t.shape)} has size ${t.shape[a]}, not 1`);
  });
  return reshape(
    t,
    t.shape.filter((d, i) => (list ? !list.includes(i) : d !== 1)),
  );
}

/** Concatenates along `axis`; all other dimensions must match. */
export function concat(ts: readonly Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new Error('concat: needs at least one tensor');
  const first = ts[0]!;
  const a = normalizeAxis(axis, first.rank, 'concat');
  for (const t of ts) {
    if (t.dtype !== first.dtype) throw new Error(`concat: all tensors must share one dtype, got ${ts.map((x) => x.dtype).join(', ')}`);
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(`concat: shapes ${ts.map((x) => fmt(x.shape)).join(', ')} differ outside axis ${a}`);
    }
  }
  const outer = sizeOf(first.shape.slice(0, a));
  const outShape = [...first.shape];
  outShape[a] = ts.reduce((s, t) => s + t.shape[a]!, 0);
  const data = getBackend().concat(
    ts.map((t) => t.data),
    outer,
    ts.map((t) => sizeOf(t.shape.slice(a))),
  );
  const out = new Tensor(outShape, first.dtype, data);
  if (first.dtype !== 'float32') return out;
  return defineOp('concat', ts, out, (dy) => {
    let off = 0;
    return ts.map((t) => {
      const begin = t.shape.map((_, i) => (i === a ? off : 0));
      off += t.shape[a]!;
      return slice(dy, begin, t.shape);
    });
  });
}

/** x[begin : begin + size] per axis; size −1 means "to the end". */
export function slice(t: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length !== t.rank) throw new Error(`slice: begin ${JSON.stringify(begin)} has ${begin.length} entries for a rank-${t.rank} tensor`);
  const sz = t.shape.map((d, i) => {
    const s = size?.[i] ?? -1;
    return s === -1 ? d - begin[i]! : s;
  });
  t.shape.forEach((d, i) => {
    if (begin[i]! < 0 || sz[i]! < 0 || begin[i]! + sz[i]! > d) {
      throw new Error(`slice: begin ${JSON.stringify(begin)} size ${JSON.stringify(sz)} is out of bounds for shape ${fmt(t.shape)}`);
    }
  });
  const out = new Tensor(sz, t.dtype, getBackend().slice(t.data, t.shape, begin, sz));
  if (t.dtype !== 'float32') return out;
  return defineOp('slice', [t], out, (dy) => {
    // Scatter dy into zeros by concatenating zero blocks axis by axis.
    const b = getBackend();
    let g: Tensor = dy;
    for (let ax = 0; ax < t.rank; ax++) {
      const before = begin[ax]!;
      const after = t.shape[ax]! - before - sz[ax]!;
      if (before === 0 && after === 0) continue;
      const pieces: Tensor[] = [];
      const padShape = (n: number) => g.shape.map((d, i) => (i === ax ? n : d));
      if (before > 0) pieces.push(floatTensor(padShape(before), b.allocFloat(sizeOf(padShape(before)))));
      pieces.push(g);
      if (after > 0) pieces.push(floatTensor(padShape(after), b.allocFloat(sizeOf(padShape(after)))));
      g = concat(pieces, ax);
    }
    return [g];
  });
}

/** Takes `indices` (int32) along `axis`: out shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function gather(t: Tensor, indices: Tensor, axis = 0): Tensor {
  const x = asFloat(t, 'gather');
  if (indices.dtype !== 'int32') throw new Error(`gather: indices must be int32, got ${indices.dtype}`);
  const a = normalizeAxis(axis, x.rank, 'gather');
  const n = x.shape[a]!;
  const idx = indices.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i]! < 0 || idx[i]! >= n) throw new Error(`gather: index ${idx[i]} is out of range [0, ${n}) for axis ${a} of shape ${fmt(x.shape)}`);
  }
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const outShape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const b = getBackend();
  const out = floatTensor(outShape, b.gather(fdata(x), idx, outer, n, inner));
  return defineOp('gather', [x], out, (dy) => [floatTensor(x.shape, b.gatherBackward(fdata(dy), idx, outer, n, inner))]);
}

/** One-hot rows for int32 `indices`: shape indices.shape + [depth]. */
export function oneHot(indices: Tensor, depth: number, onValue = 1, offValue = 0): Tensor {
  if (indices.dtype !== 'int32') throw new Error(`oneHot: indices must be int32, got ${indices.dtype}`);
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
  return floatTensor([...indices.shape, depth], getBackend().oneHot(indices.data as Int32Array, depth, onValue, offValue));
}

/** int32 → float32 copy (not differentiable). */
export function toFloat(t: Tensor): Tensor {
  if (t.dtype === 'float32') return t;
  return floatTensor(t.shape, getBackend().castToFloat(t.data as Int32Array));
}

/** float32 → int32 (truncation toward zero). */
export function toInt(t: Tensor): Tensor {
  if (t.dtype === 'int32') return t;
  return new Tensor(t.shape, 'int32', getBackend().castToInt(t.data as FloatArray));
}
