/**
 * Shape bookkeeping for the strided kernels (binary, where, gatherStrided):
 * element strides of each input over the output shape, with size-1 axes
 * dropped and contiguous neighbours merged, so most calls become rank 1 or 2.
 * Pure functions on small arrays; no tensor data is touched here.
 */

/** An output shape and, per input, its element strides over that shape. */
export interface Strided {
  shape: number[];
  strides: number[][];
}

export { stridesOf as contiguousStrides, broadcastStrides } from '../../tensor/shape.js';

/**
 * Drops size-1 axes and merges axis i into i+1 wherever every input is
 * contiguous across the pair. Always returns rank ≥ 1.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Strided {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let ax = 0; ax < shape.length; ax++) {
    const d = shape[ax]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[ax]! * d);
    if (mergeable) {
      outShape[last] = outShape[last]! * d;
      strides.forEach((s, k) => (outStrides[k]![last] = s[ax]!));
    } else {
      outShape.push(d);
      strides.forEach((s, k) => outStrides[k]!.push(s[ax]!));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/** The int32 block the strided kernels read: shape, each input's strides, zeroed counters. */
export function dimsBlock(s: Strided, into: Int32Array): void {
  const r = s.shape.length;
  into.set(s.shape, 0);
  s.strides.forEach((st, k) => into.set(st, r * (k + 1)));
  into.fill(0, r * (s.strides.length + 1), r * (s.strides.length + 2));
}
