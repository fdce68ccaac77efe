/**
 * Plain products with few columns (n < NR; which ones the driver sends here
 * is in assembly/gemm.ts — always n = 1: every regression or binary output
 * layer and its weight gradient), and k = 1 (gemmOuter): rows go in the
 * lanes instead of columns, so no lane computes padding. For one column j,
 * a vector of four rows i..i+3 accumulates a[q, i..i+3]·b[q, j] over q —
 * the same products, added in the same order (sequentially in q from +0
 * inside each KC block, the blocks added in order) as the 8-column tiles of
 * assembly/gemm-micro.ts, hence the same bits.
 *
 * A is read as [k][rows]: in place when stored transposed (A_COL); stored
 * [m, k], transposed in registers when n = 1 (dot16/dot4), else into the
 * scratch block first (4×4 shuffles).
 */
import { madd, transpose4x4 } from './simd';
import { A_COL, B_ROW, G, KC, MC } from './gemm-pack';

/**
 * C[i..i+16, j] (+)= Σ_q a[q, 0..16)·b[q]: four accumulators (eight were
 * slower). `as`, `bs`: depth steps of A and B in bytes; `ldc` the row stride
 * of C in bytes.
 */
function narrow16(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const bv = v128.load32_splat(bp);
    c0 = madd(v128.load(ap), bv, c0);
    c1 = madd(v128.load(ap, 16), bv, c1);
    c2 = madd(v128.load(ap, 32), bv, c2);
    c3 = madd(v128.load(ap, 48), bv, c3);
    ap += as;
    bp += bs;
  }
  putRows(c, c0, 4, ldc, accumulate);
  putRows(c + 4 * ldc, c1, 4, ldc, accumulate);
  putRows(c + 8 * ldc, c2, 4, ldc, accumulate);
  putRows(c + 12 * ldc, c3, 4, ldc, accumulate);
}

/** C[i..i+rows, j] (+)= Σ_q a[q, 0..4)·b[q] (rows ≤ 4; the other lanes are computed and dropped). */
function narrow4(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool, rows: i32): void {
  let c0 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    c0 = madd(v128.load(ap), v128.load32_splat(bp), c0);
    ap += as;
    bp += bs;
  }
  putRows(c, c0, rows, ldc, accumulate);
}

/** Writes (or adds) the first `rows` lanes of v to c, c + ldc, … */
@inline function putRows(c: usize, v: v128, rows: i32, ldc: usize, accumulate: bool): void {
  if (ldc == 4 && rows == 4) {
    v128.store(c, accumulate ? f32x4.add(v128.load(c), v) : v);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = c + <usize>r * ldc;
    const x = r == 0 ? f32x4.extract_lane(v, 0) : r == 1 ? f32x4.extract_lane(v, 1) : r == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
    store<f32>(p, accumulate ? load<f32>(p) + x : x);
  }
}

/**
 * acc + Σ over depth steps o..o+4 of rows p, p + lda, p + 2·lda, p + 3·lda
 * (A stored [m, k]) times b0…b3: the 4×4 block transposed in registers, the
 * steps added in order.
 */
@inline function dotGroup(p: usize, lda: usize, o: usize, b0: v128, b1: v128, b2: v128, b3: v128, acc: v128): v128 {
  const r0 = v128.load(p + o);
  const r1 = v128.load(p + lda + o);
  const r2 = v128.load(p + 2 * lda + o);
  const r3 = v128.load(p + 3 * lda + o);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  acc = madd(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), b0, acc);
  acc = madd(v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), b1, acc);
  acc = madd(v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), b2, acc);
  return madd(v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), b3, acc);
}

/** acc + rows p … p + 3·lda at depth step o times bv (one step: the depth tail). */
@inline function dotStep(p: usize, lda: usize, o: usize, bv: v128, acc: v128): v128 {
  let v = v128.load32_splat(p + o);
  v = f32x4.replace_lane(v, 1, load<f32>(p + lda + o));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * lda + o));
  v = f32x4.replace_lane(v, 3, load<f32>(p + 3 * lda + o));
  return madd(v, bv, acc);
}

/** n = 1, A stored [m, k]: C[i..i+16] (+)= Σ_q A[i.., q]·b[q] (four independent chains). */
function dot16(a: usize, lda: usize, b: usize, c: usize, kc: i32, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const g1 = a + 4 * lda, g2 = a + 8 * lda, g3 = a + 12 * lda;
  let q = 0;
  for (; q + 4 <= kc; q += 4) {
    const o = <usize>q << 2;
    const b0 = v128.load32_splat(b + o);
    const b1 = v128.load32_splat(b + o, 4);
    const b2 = v128.load32_splat(b + o, 8);
    const b3 = v128.load32_splat(b + o, 12);
    c0 = dotGroup(a, lda, o, b0, b1, b2, b3, c0);
    c1 = dotGroup(g1, lda, o, b0, b1, b2, b3, c1);
    c2 = dotGroup(g2, lda, o, b0, b1, b2, b3, c2);
    c3 = dotGroup(g3, lda, o, b0, b1, b2, b3, c3);
  }
  for (; q < kc; q++) {
    const o = <usize>q << 2;
    const bv = v128.load32_splat(b + o);
    c0 = dotStep(a, lda, o, bv, c0);
    c1 = dotStep(g1, lda, o, bv, c1);
    c2 = dotStep(g2, lda, o, bv, c2);
    c3 = dotStep(g3, lda, o, bv, c3);
  }
  putRows(c, c0, 4, 4, accumulate);
  putRows(c + 16, c1, 4, 4, accumulate);
  putRows(c + 32, c2, 4, 4, accumulate);
  putRows(c + 48, c3, 4, 4, accumulate);
}

/** dot16 for four rows. */
function dot4(a: usize, lda: usize, b: usize, c: usize, kc: i32, accumulate: bool): void {
  let c0 = f32x4.splat(0);
  let q = 0;
  for (; q + 4 <= kc; q += 4) {
    const o = <usize>q << 2;
    c0 = dotGroup(a, lda, o, v128.load32_splat(b + o), v128.load32_splat(b + o, 4), v128.load32_splat(b + o, 8), v128.load32_splat(b + o, 12), c0);
  }
  for (; q < kc; q++) c0 = dotStep(a, lda, <usize>q << 2, v128.load32_splat(b + (<usize>q << 2)), c0);
  putRows(c, c0, 4, 4, accumulate);
}

/**
 * Copies rows i0..i0+mc, depth p0..p0+kc of A (stored [m, k]) to dst as
 * [kc][ld] (ld = mc rounded up to 4; the extra rows are zeros).
 */
function packTransposed(dst: usize, i0: i32, mc: i32, p0: i32, kc: i32, ld: i32): void {
  const lda = <usize>G.k << 2;
  const step = <usize>ld << 2;
  for (let r = 0; r < ld; r += 4) {
    const s0 = G.a + (<usize>(i0 + r) * <usize>G.k + <usize>p0) * 4;
    const d = dst + (<usize>r << 2);
    if (r + 4 <= mc) {
      let q = 0;
      for (; q + 4 <= kc; q += 4) {
        const o = <usize>q << 2;
        transpose4x4(s0 + o, s0 + lda + o, s0 + 2 * lda + o, s0 + 3 * lda + o, d + <usize>q * step, step);
      }
      for (; q < kc; q++) {
        const o = <usize>q << 2;
        const dq = d + <usize>q * step;
        store<f32>(dq, load<f32>(s0 + o));
        store<f32>(dq, load<f32>(s0 + lda + o), 4);
        store<f32>(dq, load<f32>(s0 + 2 * lda + o), 8);
        store<f32>(dq, load<f32>(s0 + 3 * lda + o), 12);
      }
    } else {
      for (let q = 0; q < kc; q++) {
        const dq = d + <usize>q * step;
        for (let u = 0; u < 4; u++) store<f32>(dq + (<usize>u << 2), r + u < mc ? load<f32>(s0 + <usize>u * lda + (<usize>q << 2)) : 0);
      }
    }
  }
}

/**
 * C[r0..r1, c0..c1] of a plain product with n < NR (driver: assembly/gemm.ts,
 * which applies the epilogue). `buf` holds MC·KC floats.
 */
export function gemmNarrow(r0: i32, r1: i32, c0: i32, c1: i32, buf: usize): void {
  const K = G.k;
  const m = G.m;
  const ldc = <usize>G.n << 2;
  const bq: usize = G.modeB == B_ROW ? ldc : 4; // B's depth step
  const bj: usize = G.modeB == B_ROW ? 4 : <usize>K << 2; // B's column step
  for (let ic = r0; ic < r1; ic += MC) {
    const mc = min(MC, r1 - ic);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const accumulate = pc > 0;
      let a: usize, as: usize;
      let whole: i32; // rows readable as whole vectors at a
      if (G.modeA == A_COL) {
        a = G.a + (<usize>pc * <usize>m + <usize>ic) * 4;
        as = <usize>m << 2;
        whole = mc & ~3;
        // The last rows (< 4) are copied to buf as [kc][4], zero-padded.
        const tail = mc - whole;
        if (tail > 0) {
          let s = a + (<usize>whole << 2);
          for (let q = 0; q < kc; q++) {
            const dq = buf + (<usize>q << 4);
            for (let u = 0; u < 4; u++) store<f32>(dq + (<usize>u << 2), u < tail ? load<f32>(s + (<usize>u << 2)) : 0);
            s += as;
          }
        }
      } else if (G.n == 1) {
        // n = 1: four rows at a time transposed in registers, no packing (a 4-row tail only).
        const lda = <usize>K << 2;
        const a0 = G.a + (<usize>ic * <usize>K + <usize>pc) * 4;
        const b = G.b + (<usize>pc << 2); // B's depth step is 4 in either layout when n = 1
        const c = G.c + (<usize>ic << 2);
        let i = 0;
        for (; i + 16 <= mc; i += 16) dot16(a0 + <usize>i * lda, lda, b, c + (<usize>i << 2), kc, accumulate);
        for (; i + 4 <= mc; i += 4) dot4(a0 + <usize>i * lda, lda, b, c + (<usize>i << 2), kc, accumulate);
        if (i < mc) {
          packTransposed(buf, ic + i, mc - i, pc, kc, 4);
          narrow4(buf, 16, b, 4, c + (<usize>i << 2), kc, 4, accumulate, mc - i);
        }
        continue;
      } else {
        whole = (mc + 3) & ~3;
        packTransposed(buf, ic, mc, pc, kc, whole);
        a = buf;
        as = <usize>whole << 2;
      }
      for (let j = c0; j < c1; j++) {
        const b = G.b + <usize>pc * bq + <usize>j * bj;
        const c = G.c + <usize>ic * ldc + (<usize>j << 2);
        let i = 0;
        for (; i + 16 <= whole; i += 16) narrow16(a + (<usize>i << 2), as, b, bq, c + <usize>i * ldc, kc, ldc, accumulate);
        for (; i + 4 <= whole; i += 4) narrow4(a + (<usize>i << 2), as, b, bq, c + <usize>i * ldc, kc, ldc, accumulate, min(4, mc - i));
        if (i < mc) narrow4(buf, 16, b, bq, c + <usize>i * ldc, kc, ldc, accumulate, mc - i);
      }
    }
  }
}

/**
 * k = 1 (A_COL and B_ROW: one value per row of A, one row of B): C[i, j] =
 * a[i]·b[j] added to +0, the one product and the one sum of the tiles.
 */
export function gemmOuter(r0: i32, r1: i32, c0: i32, c1: i32): void {
  const ldc = <usize>G.n << 2;
  const zero = f32x4.splat(0);
  const b = G.b + (<usize>c0 << 2);
  const cols = c1 - c0;
  for (let i = r0; i < r1; i++) {
    const av = v128.load32_splat(G.a + (<usize>i << 2));
    const row = G.c + <usize>i * ldc + (<usize>c0 << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(row + (<usize>j << 2), madd(av, v128.load(b + (<usize>j << 2)), zero));
    for (; j < cols; j++) store<f32>(row + (<usize>j << 2), f32x4.extract_lane(madd(av, v128.load32_splat(b + (<usize>j << 2)), zero), 0));
  }
}
