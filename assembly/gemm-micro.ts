/**
 * The GEMM micro-kernels: an h×8 register tile (h = 4, 5 or 6 rows of A,
 * two v128 columns of B), acc = Σ_q a[q, 0..h) ⊗ b[q, 0..8) summed
 * sequentially in q from +0 (`madd`: separate or, in the relaxed-SIMD module,
 * fused multiply-adds); then C = acc, or C += acc when `accumulate`.
 *
 * Operands are read with a depth step per operand (bytes): `as` for A (the h
 * values of one depth step are contiguous: a packed panel, as = 4h, or A
 * stored transposed and read in place, as = 4m) and `bs` for B (8 contiguous
 * values: a packed panel, bs = 32, or B stored [k, n] read in place,
 * bs = 4n); tiles on packed A and B run copies with constant steps
 * (packed4/5/6: 1–2 % faster on large products). `ldc` is the row stride of
 * C in bytes. Every C element adds the same products in the same order
 * whatever h, the strides or the tile it lands in, so any tiling gives the
 * same bits. Tiles reading A rows in place and the h×4 tiles of the last
 * columns: assembly/gemm-micro-edge.ts.
 */
import { madd } from './simd';

/** Stores (or adds to C) one row of the tile. */
@inline export function put(cp: usize, v0: v128, v1: v128, accumulate: bool): void {
  if (accumulate) {
    v128.store(cp, f32x4.add(v128.load(cp), v0));
    v128.store(cp, f32x4.add(v128.load(cp, 16), v1), 16);
  } else {
    v128.store(cp, v0);
    v128.store(cp, v1, 16);
  }
}

/** 4×8 tile (conv patches, and the SIMD module's 4-row tiles of plain products). */
@inline function tile4(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    ap += as;
    bp += bs;
  }
  put(c, c00, c01, accumulate);
  put(c + ldc, c10, c11, accumulate);
  put(c + 2 * ldc, c20, c21, accumulate);
  put(c + 3 * ldc, c30, c31, accumulate);
}

/**
 * 5×8 tile, the SIMD module's main tile for plain products: ten
 * accumulators, two B vectors, the A splat and the product's temporary fit
 * the 16 vector registers (6×8 spills with separate mul + add). Also the
 * relaxed-SIMD module's narrower tile.
 */
@inline function tile5(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(ap, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    ap += as;
    bp += bs;
  }
  put(c, c00, c01, accumulate);
  put(c + ldc, c10, c11, accumulate);
  put(c + 2 * ldc, c20, c21, accumulate);
  put(c + 3 * ldc, c30, c31, accumulate);
  put(c + 4 * ldc, c40, c41, accumulate);
}

/**
 * 6×8 tile of the relaxed-SIMD module for plain products (12 accumulators
 * fit the 16 vector registers with fused multiply-adds; with mul + add they
 * spill, so the SIMD module never uses it).
 */
@inline function tile6(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * as;
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(ap, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    av = v128.load32_splat(ap, 20);
    c50 = madd(av, b0, c50);
    c51 = madd(av, b1, c51);
    ap += as;
    bp += bs;
  }
  put(c, c00, c01, accumulate);
  put(c + ldc, c10, c11, accumulate);
  put(c + 2 * ldc, c20, c21, accumulate);
  put(c + 3 * ldc, c30, c31, accumulate);
  put(c + 4 * ldc, c40, c41, accumulate);
  put(c + 5 * ldc, c50, c51, accumulate);
}

/** The tiles with variable depth steps. */
function micro4(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  tile4(a, as, b, bs, c, kc, ldc, accumulate);
}
function micro5(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  tile5(a, as, b, bs, c, kc, ldc, accumulate);
}
function micro6(a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  tile6(a, as, b, bs, c, kc, ldc, accumulate);
}

/** The tiles on packed A and B: constant depth steps (immediate adds and offsets; 1–2 % faster on large products). */
function packed4(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  tile4(a, 16, b, 32, c, kc, ldc, accumulate);
}
function packed5(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  tile5(a, 20, b, 32, c, kc, ldc, accumulate);
}
function packed6(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  tile6(a, 24, b, 32, c, kc, ldc, accumulate);
}

/** The h×8 tile (h = 4, 5 or 6); `as` = 4h and `bs` = 32 (both packed) take the constant-step versions. */
@inline export function microTile(h: i32, a: usize, as: usize, b: usize, bs: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  if (as == <usize>h << 2 && bs == 32) {
    if (ASC_FEATURE_RELAXED_SIMD && h == 6) packed6(a, b, c, kc, ldc, accumulate);
    else if (h == 5) packed5(a, b, c, kc, ldc, accumulate);
    else packed4(a, b, c, kc, ldc, accumulate);
  } else if (ASC_FEATURE_RELAXED_SIMD && h == 6) micro6(a, as, b, bs, c, kc, ldc, accumulate);
  else if (h == 5) micro5(a, as, b, bs, c, kc, ldc, accumulate);
  else micro4(a, as, b, bs, c, kc, ldc, accumulate);
}
