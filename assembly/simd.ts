/**
 * The handful of v128 helpers every kernel uses (à la candle's Cpu trait).
 * Everything here is `@inline`: no calls survive into the module.
 */

/** A vector of four zeros. */
@inline export function zero4(): v128 {
  return f32x4.splat(0);
}

/** Scalar → vector → scalar: runs a vector function on one lane so tails match bodies bit for bit. */
@inline export function lane0(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}

/** Horizontal sum a0 + a1 + a2 + a3 in that order. */
@inline export function hsum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Horizontal max (NaN-propagating). */
@inline export function hmax4(v: v128): f32 {
  const m = f32x4.max(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
}

/**
 * Transposes the 4×4 block whose rows start at s0…s3 and stores its columns
 * as four consecutive vectors at dst, dst+step, dst+2·step, dst+3·step (bytes).
 */
@inline export function transpose4x4(s0: usize, s1: usize, s2: usize, s3: usize, dst: usize, step: usize): void {
  const r0 = v128.load(s0);
  const r1 = v128.load(s1);
  const r2 = v128.load(s2);
  const r3 = v128.load(s3);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}
