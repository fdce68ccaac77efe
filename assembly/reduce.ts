/**
 * Reductions over the middle axis of an [outer, n, inner] view: sum, max, min
 * (NaN-propagating; n = 0 gives 0, −∞, +∞) and argMax/argMin (first index;
 * a NaN wins). Codes match REDUCE_CODES / ARG_REDUCE_CODES in exports.ts.
 */
export const SUM = 0;
export const MAX = 1;
export const MIN = 2;

export const ARG_MAX = 0;
export const ARG_MIN = 1;

@inline function combine(op: i32, a: v128, b: v128): v128 {
  if (op == SUM) return f32x4.add(a, b);
  if (op == MAX) return f32x4.max(a, b);
  return f32x4.min(a, b);
}

@inline function identity(op: i32): f32 {
  if (op == SUM) return 0;
  if (op == MAX) return -Infinity;
  return Infinity;
}

/** Reduce one contiguous row of n floats. */
@inline function reduceRow(op: i32, x: usize, n: i32): f32 {
  const id = f32x4.splat(identity(op));
  let a0 = id;
  let a1 = id;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    a0 = combine(op, a0, v128.load(x + o));
    a1 = combine(op, a1, v128.load(x + o, 16));
  }
  for (; i + 4 <= n; i += 4) a0 = combine(op, a0, v128.load(x + (<usize>i << 2)));
  let acc = combine(op, a0, a1);
  // Fold lanes: (l0 ∘ l2) ∘ (l1 ∘ l3).
  acc = combine(op, acc, v128.shuffle<f32>(acc, acc, 2, 3, 0, 1));
  acc = combine(op, acc, v128.shuffle<f32>(acc, acc, 1, 0, 3, 2));
  for (; i < n; i++) acc = combine(op, acc, v128.load32_splat(x + (<usize>i << 2)));
  return f32x4.extract_lane(acc, 0);
}

@inline function reduceImpl(op: i32, x: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) store<f32>(y + (<usize>o << 2), reduceRow(op, x + (<usize>(o * n) << 2), n));
    return;
  }
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const dst = y + <usize>o * rowBytes;
    const src = x + <usize>o * <usize>n * rowBytes;
    if (n == 0) {
      const id = f32x4.splat(identity(op));
      let i = 0;
      for (; i + 4 <= inner; i += 4) v128.store(dst + (<usize>i << 2), id);
      for (; i < inner; i++) store<f32>(dst + (<usize>i << 2), identity(op));
      continue;
    }
    memory.copy(dst, src, rowBytes);
    for (let j = 1; j < n; j++) {
      const row = src + <usize>j * rowBytes;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(dst + q, combine(op, v128.load(dst + q), v128.load(row + q)));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(dst + q, f32x4.extract_lane(combine(op, v128.load32_splat(dst + q), v128.load32_splat(row + q)), 0));
      }
    }
  }
}

/**
 * y[0] = Σ x[i]² over n floats (the L2 penalty): the squares summed in the
 * order `reduce` (SUM, inner 1) sums the output of `unary` SQUARE — two
 * 4-lane accumulators over blocks of 8, one more block of 4, the lane fold,
 * then the tail — so the bits are the same, in one pass without the
 * squared copy.
 */
export function sumSquares(x: usize, y: usize, n: i32): void {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    a0 = f32x4.add(a0, f32x4.mul(v0, v0));
    a1 = f32x4.add(a1, f32x4.mul(v1, v1));
  }
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    a0 = f32x4.add(a0, f32x4.mul(v, v));
  }
  let acc = f32x4.add(a0, a1);
  acc = f32x4.add(acc, v128.shuffle<f32>(acc, acc, 2, 3, 0, 1));
  acc = f32x4.add(acc, v128.shuffle<f32>(acc, acc, 1, 0, 3, 2));
  for (; i < n; i++) {
    const v = v128.load32_splat(x + (<usize>i << 2));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  store<f32>(y, f32x4.extract_lane(acc, 0));
}

/** y[o, i] = reduce_j x[o, j, i]. */
export function reduce(op: i32, x: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  if (op == SUM) reduceImpl(SUM, x, y, outer, n, inner);
  else if (op == MAX) reduceImpl(MAX, x, y, outer, n, inner);
  else reduceImpl(MIN, x, y, outer, n, inner);
}

/** y[o, i] = first j with the max (ARG_MAX) or min of x[o, j, i]; a NaN wins; n = 0 gives 0. */
export function argReduce(op: i32, x: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  const isMax = op == ARG_MAX;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + ((<usize>o * <usize>n * <usize>inner + <usize>i) << 2);
      const step = <usize>inner << 2;
      let best: i32 = 0;
      let bv: f32 = n > 0 ? load<f32>(base) : 0;
      if (bv == bv) {
        for (let j = 1; j < n; j++) {
          const v = load<f32>(base + <usize>j * step);
          if (v != v) {
            best = j;
            break;
          }
          if (isMax ? v > bv : v < bv) {
            bv = v;
            best = j;
          }
        }
      }
      store<i32>(y + ((<usize>o * <usize>inner + <usize>i) << 2), best);
    }
  }
}
