/**
 * Shared v128 helpers: the 4×4 transpose (used by GEMM packing and by
 * `transpose`) and the multiply-add of the GEMM micro-kernel. The other
 * kernels write their f32x4 code inline. `@inline`: no call survives into
 * the module.
 */

/**
 * c + a·b on four lanes. The plain SIMD module (build/regula.wasm) rounds
 * the product and the sum separately (f32x4.mul, then f32x4.add: the same
 * bits as before this helper existed). The relaxed-SIMD module
 * (build/regula-relaxed.wasm, built with `--enable relaxed-simd`) emits
 * f32x4.relaxed_madd, which the engine runs as one fused multiply-add where
 * the CPU has one (x86 FMA3, ARM NEON) and as mul + add elsewhere: one
 * rounding instead of two. Either way a given module on a given machine
 * always computes the same bits (docs/semantics.md, "Relaxed SIMD").
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
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
