/**
 * Broadcasting binary ops and `where`. The TS side collapses the shapes and
 * passes, at `dims`, int32 blocks of length `rank`: the output shape, each
 * input's element strides (0 on broadcast axes), then zeroed odometer
 * counters. The innermost axis has stride 0 or 1 for every input, so the inner
 * loop is one of four vector loops: both contiguous, either one a scalar, or
 * both scalars. Codes match BINARY_CODES in src/backend/wasm/exports.ts.
 */
import { pow64 } from './math64';

export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
export const DIV = 3;
export const MAXIMUM = 4;
export const MINIMUM = 5;
export const POW = 6;
export const GREATER = 7;
export const GREATER_EQUAL = 8;
export const LESS = 9;
export const LESS_EQUAL = 10;
export const EQUAL = 11;

@inline function one(mask: v128): v128 {
  return v128.and(mask, f32x4.splat(1));
}

@inline function binVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
    case GREATER: return one(f32x4.gt(a, b));
    case GREATER_EQUAL: return one(f32x4.ge(a, b));
    case LESS: return one(f32x4.lt(a, b));
    case LESS_EQUAL: return one(f32x4.le(a, b));
    case EQUAL: return one(f32x4.eq(a, b));
    default: return a;
  }
}

/** out[0..n) = a[i·sa] ∘ b[i·sb], sa, sb ∈ {0, 1}. */
@inline function inner(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (op == POW) {
    for (; i < n; i++) {
      const va = <f64>load<f32>(a + (<usize>(i * sa) << 2));
      const vb = <f64>load<f32>(b + (<usize>(i * sb) << 2));
      store<f32>(out + (<usize>i << 2), <f32>pow64(va, vb));
    }
    return;
  }
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binVec(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1) {
    const vb = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binVec(op, v128.load(a + o), vb));
    }
  } else if (sb == 1) {
    const va = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binVec(op, va, v128.load(b + o)));
    }
  } else {
    const v = binVec(op, v128.load32_splat(a), v128.load32_splat(b));
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  }
  for (; i < n; i++) {
    const va = v128.load32_splat(a + (<usize>(i * sa) << 2));
    const vb = v128.load32_splat(b + (<usize>(i * sb) << 2));
    store<f32>(out + (<usize>i << 2), f32x4.extract_lane(binVec(op, va, vb), 0));
  }
}

@inline function broadcastLoop(op: i32, a: usize, b: usize, out: usize, rank: i32, dims: usize): void {
  const shape = dims;
  const aStr = dims + (<usize>rank << 2);
  const bStr = dims + (<usize>rank << 3);
  const idx = dims + (<usize>rank * 12);
  const last = <usize>(rank - 1) << 2;
  const len = load<i32>(shape + last);
  const sa = load<i32>(aStr + last);
  const sb = load<i32>(bStr + last);
  let outer = 1;
  for (let ax = 0; ax < rank - 1; ax++) outer *= load<i32>(shape + (<usize>ax << 2));
  let offA: usize = 0;
  let offB: usize = 0;
  let dst = out;
  for (let r = 0; r < outer; r++) {
    inner(op, a + (offA << 2), sa, b + (offB << 2), sb, dst, len);
    dst += <usize>len << 2;
    for (let ax = rank - 2; ax >= 0; ax--) {
      const q = <usize>ax << 2;
      const k = load<i32>(idx + q) + 1;
      offA += <usize>load<i32>(aStr + q);
      offB += <usize>load<i32>(bStr + q);
      if (k < load<i32>(shape + q)) {
        store<i32>(idx + q, k);
        break;
      }
      store<i32>(idx + q, 0);
      offA -= <usize>(load<i32>(aStr + q) * k);
      offB -= <usize>(load<i32>(bStr + q) * k);
    }
  }
}

/** out = a ∘ b over the collapsed broadcast described at `dims` (rank ≥ 1). */
export function binary(op: i32, a: usize, b: usize, out: usize, rank: i32, dims: usize): void {
  switch (op) {
    case ADD: broadcastLoop(ADD, a, b, out, rank, dims); break;
    case SUB: broadcastLoop(SUB, a, b, out, rank, dims); break;
    case MUL: broadcastLoop(MUL, a, b, out, rank, dims); break;
    case DIV: broadcastLoop(DIV, a, b, out, rank, dims); break;
    case MAXIMUM: broadcastLoop(MAXIMUM, a, b, out, rank, dims); break;
    case MINIMUM: broadcastLoop(MINIMUM, a, b, out, rank, dims); break;
    case POW: broadcastLoop(POW, a, b, out, rank, dims); break;
    case GREATER: broadcastLoop(GREATER, a, b, out, rank, dims); break;
    case GREATER_EQUAL: broadcastLoop(GREATER_EQUAL, a, b, out, rank, dims); break;
    case LESS: broadcastLoop(LESS, a, b, out, rank, dims); break;
    case LESS_EQUAL: broadcastLoop(LESS_EQUAL, a, b, out, rank, dims); break;
    case EQUAL: broadcastLoop(EQUAL, a, b, out, rank, dims); break;
    default: unreachable();
  }
}

/**
 * out = cond ≠ 0 ? a : b; `dims` holds rank-long blocks: shape, cond, a and b
 * strides, zeroed counters.
 */
export function where(cond: usize, a: usize, b: usize, out: usize, rank: i32, dims: usize): void {
  const shape = dims;
  const cStr = dims + (<usize>rank << 2);
  const aStr = dims + (<usize>rank << 3);
  const bStr = dims + (<usize>rank * 12);
  const idx = dims + (<usize>rank << 4);
  const last = <usize>(rank - 1) << 2;
  const len = load<i32>(shape + last);
  const sc = load<i32>(cStr + last);
  const sa = load<i32>(aStr + last);
  const sb = load<i32>(bStr + last);
  let outer = 1;
  for (let ax = 0; ax < rank - 1; ax++) outer *= load<i32>(shape + (<usize>ax << 2));
  let offC: usize = 0;
  let offA: usize = 0;
  let offB: usize = 0;
  let dst = out;
  for (let r = 0; r < outer; r++) {
    const pc = cond + (offC << 2);
    const pa = a + (offA << 2);
    const pb = b + (offB << 2);
    let i = 0;
    if (sc == 1 && sa == 1 && sb == 1) {
      for (; i + 4 <= len; i += 4) {
        const o = <usize>i << 2;
        const m = f32x4.ne(v128.load(pc + o), f32x4.splat(0));
        v128.store(dst + o, v128.bitselect(v128.load(pa + o), v128.load(pb + o), m));
      }
    }
    for (; i < len; i++) {
      const c = load<f32>(pc + (<usize>(i * sc) << 2));
      const v = c != 0 ? load<f32>(pa + (<usize>(i * sa) << 2)) : load<f32>(pb + (<usize>(i * sb) << 2));
      store<f32>(dst + (<usize>i << 2), v);
    }
    dst += <usize>len << 2;
    for (let ax = rank - 2; ax >= 0; ax--) {
      const q = <usize>ax << 2;
      const k = load<i32>(idx + q) + 1;
      offC += <usize>load<i32>(cStr + q);
      offA += <usize>load<i32>(aStr + q);
      offB += <usize>load<i32>(bStr + q);
      if (k < load<i32>(shape + q)) {
        store<i32>(idx + q, k);
        break;
      }
      store<i32>(idx + q, 0);
      offC -= <usize>(load<i32>(cStr + q) * k);
      offA -= <usize>(load<i32>(aStr + q) * k);
      offB -= <usize>(load<i32>(bStr + q) * k);
    }
  }
}
