/**
 * Shared v128 helpers. Today only the 4×4 transpose lives here (used by GEMM
 * packing and by `transpose`); the other kernels write their f32x4 code
 * inline. `@inline`: no call survives into the module.
 */

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
