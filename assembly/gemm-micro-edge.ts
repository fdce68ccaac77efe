/**
 * More GEMM register tiles (see assembly/gemm-micro.ts for the contract):
 * h×8 tiles reading A in place from a matrix stored [m, k], and h×4 tiles
 * for the last 1–4 columns of a product. Same products in the same order as
 * the packed tiles, so the same bits.
 */
import { madd } from './simd';
import { put } from './gemm-micro';

/**
 * h×8 tiles reading A in place from a matrix stored [m, k] (A_ROW): the h
 * values of one depth step lie `lda` bytes apart, so each splat adds a row
 * offset (integer work, beside the vector work that bounds the tile). Same
 * products in the same order as micro4/5/6. One function per h: vectors
 * merged from branches (phis) make V8 spill accumulators in the loop.
 */
@inline export function microRows(h: i32, a: usize, lda: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  if (ASC_FEATURE_RELAXED_SIMD && h == 6) rows6(a, lda, b, bs, c, kc, ldc, accumulate);
  else if (h == 5) rows5(a, lda, b, bs, c, kc, ldc, accumulate);
  else rows4(a, lda, b, bs, c, kc, ldc, accumulate);
}

function rows4(a: usize, lda: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const l2 = lda * 2, l3 = lda * 3;
  let ap = a;
  let bp = b;
  const end = a + (<usize>kc << 2);
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap + lda);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap + l2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap + l3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    ap += 4;
    bp += bs;
  }
  put(c, c00, c01, accumulate);
  put(c + ldc, c10, c11, accumulate);
  put(c + 2 * ldc, c20, c21, accumulate);
  put(c + 3 * ldc, c30, c31, accumulate);
}

function rows5(a: usize, lda: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const l2 = lda * 2, l3 = lda * 3, l4 = lda * 4;
  let ap = a;
  let bp = b;
  const end = a + (<usize>kc << 2);
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap + lda);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap + l2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap + l3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(ap + l4);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    ap += 4;
    bp += bs;
  }
  put(c, c00, c01, accumulate);
  put(c + ldc, c10, c11, accumulate);
  put(c + 2 * ldc, c20, c21, accumulate);
  put(c + 3 * ldc, c30, c31, accumulate);
  put(c + 4 * ldc, c40, c41, accumulate);
}

function rows6(a: usize, lda: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const l2 = lda * 2, l3 = lda * 3, l4 = lda * 4, l5 = lda * 5;
  let ap = a;
  let bp = b;
  const end = a + (<usize>kc << 2);
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap + lda);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap + l2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap + l3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(ap + l4);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    av = v128.load32_splat(ap + l5);
    c50 = madd(av, b0, c50);
    c51 = madd(av, b1, c51);
    ap += 4;
    bp += bs;
  }
  put(c, c00, c01, accumulate);
  put(c + ldc, c10, c11, accumulate);
  put(c + 2 * ldc, c20, c21, accumulate);
  put(c + 3 * ldc, c30, c31, accumulate);
  put(c + 4 * ldc, c40, c41, accumulate);
  put(c + 5 * ldc, c50, c51, accumulate);
}

/**
 * h×4 tiles for the last columns of a product (n mod 8 ≤ 4; half the work of
 * an 8-wide tile padded with zeros), storing rows ≤ h rows and cols ≤ 4
 * columns. A rows lie `ars` bytes apart (4 when packed or stored transposed,
 * 4k when stored [m, k]) and depth steps `as` apart; B's 4 values `bs`
 * apart. Same products in the same order as the 8-wide tiles.
 */
@inline export function colsTile(h: i32, a: usize, ars: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool, rows: i32, cols: i32): void {
  if (ASC_FEATURE_RELAXED_SIMD && h == 6) cols6(a, ars, as, b, bs, c, kc, ldc, accumulate, rows, cols);
  else if (h == 5) cols5(a, ars, as, b, bs, c, kc, ldc, accumulate, rows, cols);
  else cols4(a, ars, as, b, bs, c, kc, ldc, accumulate, rows, cols);
}

/** Stores (or adds) the first `cols` lanes of v at cp; every path ends in its own stores. */
@inline function putCols(cp: usize, v: v128, cols: i32, accumulate: bool): void {
  if (cols == 4) {
    if (accumulate) v128.store(cp, f32x4.add(v128.load(cp), v));
    else v128.store(cp, v);
    return;
  }
  const x0 = f32x4.extract_lane(v, 0);
  store<f32>(cp, accumulate ? load<f32>(cp) + x0 : x0);
  if (cols > 1) {
    const x1 = f32x4.extract_lane(v, 1);
    store<f32>(cp, accumulate ? load<f32>(cp, 4) + x1 : x1, 4);
  }
  if (cols > 2) {
    const x2 = f32x4.extract_lane(v, 2);
    store<f32>(cp, accumulate ? load<f32>(cp, 8) + x2 : x2, 8);
  }
}

function cols4(a: usize, ars: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool, rows: i32, cols: i32): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  const l2 = ars * 2, l3 = ars * 3;
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const bv = v128.load(bp);
    c0 = madd(v128.load32_splat(ap), bv, c0);
    c1 = madd(v128.load32_splat(ap + ars), bv, c1);
    c2 = madd(v128.load32_splat(ap + l2), bv, c2);
    c3 = madd(v128.load32_splat(ap + l3), bv, c3);
    ap += as;
    bp += bs;
  }
  putCols(c, c0, cols, accumulate);
  if (rows > 1) putCols(c + ldc, c1, cols, accumulate);
  if (rows > 2) putCols(c + 2 * ldc, c2, cols, accumulate);
  if (rows > 3) putCols(c + 3 * ldc, c3, cols, accumulate);
}

function cols5(a: usize, ars: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool, rows: i32, cols: i32): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0);
  const l2 = ars * 2, l3 = ars * 3, l4 = ars * 4;
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const bv = v128.load(bp);
    c0 = madd(v128.load32_splat(ap), bv, c0);
    c1 = madd(v128.load32_splat(ap + ars), bv, c1);
    c2 = madd(v128.load32_splat(ap + l2), bv, c2);
    c3 = madd(v128.load32_splat(ap + l3), bv, c3);
    c4 = madd(v128.load32_splat(ap + l4), bv, c4);
    ap += as;
    bp += bs;
  }
  putCols(c, c0, cols, accumulate);
  if (rows > 1) putCols(c + ldc, c1, cols, accumulate);
  if (rows > 2) putCols(c + 2 * ldc, c2, cols, accumulate);
  if (rows > 3) putCols(c + 3 * ldc, c3, cols, accumulate);
  if (rows > 4) putCols(c + 4 * ldc, c4, cols, accumulate);
}

function cols6(a: usize, ars: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool, rows: i32, cols: i32): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0);
  let c5 = f32x4.splat(0);
  const l2 = ars * 2, l3 = ars * 3, l4 = ars * 4, l5 = ars * 5;
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const bv = v128.load(bp);
    c0 = madd(v128.load32_splat(ap), bv, c0);
    c1 = madd(v128.load32_splat(ap + ars), bv, c1);
    c2 = madd(v128.load32_splat(ap + l2), bv, c2);
    c3 = madd(v128.load32_splat(ap + l3), bv, c3);
    c4 = madd(v128.load32_splat(ap + l4), bv, c4);
    c5 = madd(v128.load32_splat(ap + l5), bv, c5);
    ap += as;
    bp += bs;
  }
  putCols(c, c0, cols, accumulate);
  if (rows > 1) putCols(c + ldc, c1, cols, accumulate);
  if (rows > 2) putCols(c + 2 * ldc, c2, cols, accumulate);
  if (rows > 3) putCols(c + 3 * ldc, c3, cols, accumulate);
  if (rows > 4) putCols(c + 4 * ldc, c4, cols, accumulate);
  if (rows > 5) putCols(c + 5 * ldc, c5, cols, accumulate);
}
