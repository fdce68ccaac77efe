/**
 * Packing of plain products' A (A_ROW, A_COL) for the wider micro-kernels of
 * assembly/gemm.ts: 5-row panels (SIMD module) and 6-row panels
 * (relaxed-SIMD module). Layout as in gemm-pack.ts: d[q·mr + r].
 */
import { A_COL, G, MR6 } from './gemm-pack';
import { transpose4x4 } from './simd';

/**
 * The full mr-row panels (mr = 4, 5 or 6) of A stored [k, m] (A_COL): rows
 * i0..i0+rows (a multiple of mr), depth p0..p0+kc, to panel p at
 * dst + p·kc·mr·4, d[q·mr + r]. One depth step at a time across all panels,
 * so A is read once in order: panel by panel, each depth step would be a
 * read m·4 bytes after the last (4 KiB for m = 1024: one L1 set for all of
 * them, an L2 read per step).
 */
function packColPanels(dst: usize, i0: i32, rows: i32, p0: i32, kc: i32, mr: i32): void {
  const step = <usize>G.m << 2;
  const width = <usize>mr << 2;
  const panelBytes = <usize>kc * width;
  let s = G.a + (<usize>p0 * <usize>G.m + <usize>i0) * 4;
  let dq = dst;
  for (let q = 0; q < kc; q++) {
    let src = s;
    let d = dq;
    for (let r = 0; r < rows; r += mr) {
      v128.store(d, v128.load(src));
      if (mr == 6) store<u64>(d, load<u64>(src, 16), 16);
      else if (mr == 5) store<f32>(d, load<f32>(src, 16), 16);
      src += width;
      d += panelBytes;
    }
    s += step;
    dq += width;
  }
}

/**
 * Packs rows i0..i0+mc, depth p0..p0+kc of a plain op(A) into `mr`-row
 * panels (mr ≥ 4; MR5 = 5 rows for the SIMD module's 5×8 kernel),
 * zero-padding a partial panel.
 */
export function packAPlain(dst: usize, i0: i32, mc: i32, p0: i32, kc: i32, mr: i32): void {
  let ip = 0;
  if (G.modeA == A_COL) {
    ip = mc - mc % mr;
    packColPanels(dst, i0, ip, p0, kc, mr);
  }
  for (; ip < mc; ip += mr) {
    const rows = min(mr, mc - ip);
    const d = dst + <usize>(ip * kc) * 4;
    const i = i0 + ip;
    if (G.modeA == A_COL) {
      // The partial panel of A stored [k, m] (full ones: packColPanels), zero-padded.
      const step = <usize>G.m << 2;
      let s = G.a + (<usize>p0 * <usize>G.m + <usize>i) * 4;
      for (let q = 0; q < kc; q++) {
        const dq = d + <usize>(q * mr) * 4;
        for (let r = 0; r < mr; r++) store<f32>(dq + (<usize>r << 2), r < rows ? load<f32>(s + (<usize>r << 2)) : 0);
        s += step;
      }
      continue;
    }
    if (rows == mr) {
      packRowPanel(d, i, p0, kc, mr);
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
  let ip = 0;
  if (col) {
    ip = mc - mc % MR6;
    packColPanels(dst, i0, ip, p0, kc, MR6);
  }
  for (; ip < mc; ip += MR6) {
    const rows = min(MR6, mc - ip);
    const d = dst + <usize>(ip * kc) * 4;
    const i = i0 + ip;
    if (col) {
      // The partial panel of A stored [k, m] (full ones: packColPanels), zero-padded.
      const step = <usize>G.m << 2;
      let s = G.a + (<usize>p0 * <usize>G.m + <usize>i) * 4;
      for (let q = 0; q < kc; q++) {
        const dq = d + <usize>(q * MR6) * 4;
        for (let r = 0; r < MR6; r++) store<f32>(dq + (<usize>r << 2), r < rows ? load<f32>(s + (<usize>r << 2)) : 0);
        s += step;
      }
    } else {
      if (rows == MR6) {
        packRowPanel(d, i, p0, kc, MR6);
        continue;
      }
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

/**
 * A full mr-row panel (mr = 4, 5 or 6) of A stored [m, k]: rows i..i+mr,
 * depth p0..p0+kc, to d[q·mr + r]. Four depth steps at a time: rows 0–3 with
 * a 4×4 transpose, row 4 (and 5) lane by lane.
 */
function packRowPanel(d: usize, i: i32, p0: i32, kc: i32, mr: i32): void {
  const lda = <usize>G.k << 2;
  const s0 = G.a + (<usize>i * <usize>G.k + <usize>p0) * 4;
  const s4 = s0 + 4 * lda;
  const step = <usize>mr << 2;
  let q = 0;
  for (; q + 4 <= kc; q += 4) {
    const o = <usize>q << 2;
    const dq = d + <usize>q * step;
    transpose4x4(s0 + o, s0 + lda + o, s0 + 2 * lda + o, s0 + 3 * lda + o, dq, step);
    if (mr == 5) {
      const v = v128.load(s4 + o);
      store<f32>(dq, f32x4.extract_lane(v, 0), 16);
      store<f32>(dq, f32x4.extract_lane(v, 1), 36);
      store<f32>(dq, f32x4.extract_lane(v, 2), 56);
      store<f32>(dq, f32x4.extract_lane(v, 3), 76);
    } else if (mr == 6) {
      const v4 = v128.load(s4 + o);
      const v5 = v128.load(s4 + lda + o);
      const lo = v128.shuffle<f32>(v4, v5, 0, 4, 1, 5);
      const hi = v128.shuffle<f32>(v4, v5, 2, 6, 3, 7);
      store<i64>(dq, i64x2.extract_lane(lo, 0), 16);
      store<i64>(dq, i64x2.extract_lane(lo, 1), 40);
      store<i64>(dq, i64x2.extract_lane(hi, 0), 64);
      store<i64>(dq, i64x2.extract_lane(hi, 1), 88);
    }
  }
  for (; q < kc; q++) {
    const o = <usize>q << 2;
    const dq = d + <usize>q * step;
    for (let r = 0; r < mr; r++) store<f32>(dq + (<usize>r << 2), load<f32>(s0 + <usize>r * lda + o));
  }
}
