/**
 * Packing of plain products' A (A_ROW, A_COL) for the wider micro-kernels of
 * assembly/gemm.ts: 5-row panels (SIMD module) and 6-row panels
 * (relaxed-SIMD module). Layout as in gemm-pack.ts: d[q·mr + r].
 */
import { A_COL, G, MR6 } from './gemm-pack';

/**
 * Packs rows i0..i0+mc, depth p0..p0+kc of a plain op(A) into `mr`-row
 * panels (mr ≥ 4; MR5 = 5 rows for the SIMD module's 5×8 kernel),
 * zero-padding a partial panel.
 */
export function packAPlain(dst: usize, i0: i32, mc: i32, p0: i32, kc: i32, mr: i32): void {
  for (let ip = 0; ip < mc; ip += mr) {
    const rows = min(mr, mc - ip);
    const d = dst + <usize>(ip * kc) * 4;
    const i = i0 + ip;
    if (G.modeA == A_COL) {
      // A stored [k, m]: the mr values of one depth step are contiguous (read them together).
      const step = <usize>G.m << 2;
      let s = G.a + (<usize>p0 * <usize>G.m + <usize>i) * 4;
      for (let q = 0; q < kc; q++) {
        const dq = d + <usize>(q * mr) * 4;
        if (rows == mr) {
          v128.store(dq, v128.load(s));
          for (let r = 4; r < mr; r++) store<f32>(dq + (<usize>r << 2), load<f32>(s + (<usize>r << 2)));
        } else {
          for (let r = 0; r < mr; r++) store<f32>(dq + (<usize>r << 2), r < rows ? load<f32>(s + (<usize>r << 2)) : 0);
        }
        s += step;
      }
      continue;
    }
    for (let r = 0; r < mr; r++) {
      const dr = d + (<usize>r << 2);
      if (r >= rows) {
        for (let q = 0; q < kc; q++) store<f32>(dr + <usize>(q * mr) * 4, 0);
      } else {
        const src = G.a + (<usize>(i + r) * <usize>G.k + <usize>p0) * 4;
        for (let q = 0; q < kc; q++) store<f32>(dr + <usize>(q * mr) * 4, load<f32>(src + (<usize>q << 2)));
      }
    }
  }
}

/**
 * Packs rows i0..i0+mc, depth p0..p0+kc of a plain op(A) (A_ROW or A_COL)
 * into MR6-row panels at dst (d[q·6 + r]), zero-padding a partial panel.
 */
export function packA6(dst: usize, i0: i32, mc: i32, p0: i32, kc: i32): void {
  const col = G.modeA == A_COL;
  for (let ip = 0; ip < mc; ip += MR6) {
    const rows = min(MR6, mc - ip);
    const d = dst + <usize>(ip * kc) * 4;
    const i = i0 + ip;
    if (col) {
      // A stored [k, m]: the six values of one depth step are contiguous.
      const step = <usize>G.m << 2;
      let s = G.a + (<usize>p0 * <usize>G.m + <usize>i) * 4;
      for (let q = 0; q < kc; q++) {
        const dq = d + <usize>(q * MR6) * 4;
        if (rows == MR6) {
          v128.store(dq, v128.load(s));
          store<u64>(dq, load<u64>(s, 16), 16);
        } else {
          for (let r = 0; r < MR6; r++) store<f32>(dq + (<usize>r << 2), r < rows ? load<f32>(s + (<usize>r << 2)) : 0);
        }
        s += step;
      }
    } else {
      // A stored [m, k]: row r, depth q at a[(i + r)·K + p0 + q].
      const lda = <usize>G.k << 2;
      const s0 = G.a + (<usize>i * <usize>G.k + <usize>p0) * 4;
      for (let r = 0; r < MR6; r++) {
        const src = s0 + <usize>r * lda;
        const dr = d + (<usize>r << 2);
        if (r < rows) {
          for (let q = 0; q < kc; q++) store<f32>(dr + <usize>(q * MR6) * 4, load<f32>(src + (<usize>q << 2)));
        } else {
          for (let q = 0; q < kc; q++) store<f32>(dr + <usize>(q * MR6) * 4, 0);
        }
      }
    }
  }
}
