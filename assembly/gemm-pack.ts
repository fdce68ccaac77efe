/**
 * Packing for the GEMM driver: copies a block of op(A) or op(B) into the
 * panel layout the micro-kernel streams (A: MR rows interleaved per k; B: NR
 * columns per k), zero-padding partial panels.
 *
 * Operand sources (`A_*`, `B_*`) cover plain and transposed matrices and the
 * three conv1d products, whose "A" is read straight from the input or the
 * output gradient as patches (channels-last x: [batch, len, channels]).
 */
import { transpose4x4 } from './simd';

export const MR = 4;
export const NR = 8;
export const KC = 256;
export const MC = 128;
export const NC = 512;

/** A[i,p] = a[i·K + p] */
export const A_ROW = 0;
/** A[i,p] = a[p·M + i] */
export const A_COL = 1;
/** conv forward: row (b,t), col (j,c) → x[b, t·s + j·d − pad, c] */
export const A_PATCH = 2;
/** conv backward-input: row (b,p), col (j,o) → dy[b, (p + pad − j·d)/s, o] when integral */
export const A_DYPATCH = 3;
/** conv backward-filter: row (j,c), col (b,t) → x[b, t·s + j·d − pad, c] */
export const A_PATCH_T = 4;

/** B[p,j] = b[p·N + j] */
export const B_ROW = 0;
/** B[p,j] = b[j·K + p] */
export const B_COL = 1;
/** conv backward-input: row (j,o), col c → w[j, c, o] */
export const B_CONVW_T = 2;

/** The operands of the current product (per instance, i.e. per thread). */
export namespace G {
  export let a: usize = 0;
  export let b: usize = 0;
  export let c: usize = 0;
  export let bias: usize = 0;
  export let m: i32 = 0;
  export let k: i32 = 0;
  export let n: i32 = 0;
  export let modeA: i32 = 0;
  export let modeB: i32 = 0;
  export let act: i32 = 0;
  // conv1d geometry
  export let inLen: i32 = 0;
  export let inC: i32 = 0;
  export let outLen: i32 = 0;
  export let outC: i32 = 0;
  export let stride: i32 = 1;
  export let dilation: i32 = 1;
  export let padLeft: i32 = 0;
}

// ---- A ----------------------------------------------------------------------

/** Packs rows i0..i0+mc, depth p0..p0+kc of op(A) into MR-row panels at dst. */
export function packA(dst: usize, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const d = dst + <usize>(ip * kc) * 4;
    const i = i0 + ip;
    switch (G.modeA) {
      case A_ROW:
        packARow(d, i, rows, p0, kc);
        break;
      case A_COL:
        packACol(d, i, rows, p0, kc);
        break;
      case A_PATCH_T:
        packAPatchT(d, i, rows, p0, kc);
        break;
      default:
        for (let r = 0; r < MR; r++) {
          if (r >= rows) {
            for (let q = 0; q < kc; q++) store<f32>(d + (<usize>(q * MR + r) << 2), 0);
          } else if (G.modeA == A_PATCH) {
            packPatchRow(d + (<usize>r << 2), i + r, p0, kc);
          } else {
            packDyPatchRow(d + (<usize>r << 2), i + r, p0, kc);
          }
        }
    }
  }
}

function packARow(d: usize, i: i32, rows: i32, p0: i32, kc: i32): void {
  const lda = <usize>G.k << 2;
  const s0 = G.a + (<usize>i * <usize>G.k + <usize>p0) * 4;
  if (rows == MR) {
    const s1 = s0 + lda;
    const s2 = s1 + lda;
    const s3 = s2 + lda;
    let q = 0;
    for (; q + 4 <= kc; q += 4) {
      const o = <usize>q << 2;
      transpose4x4(s0 + o, s1 + o, s2 + o, s3 + o, d + (o << 2), 16);
    }
    for (; q < kc; q++) {
      const o = <usize>q << 2;
      const dq = d + (o << 2);
      store<f32>(dq, load<f32>(s0 + o));
      store<f32>(dq, load<f32>(s1 + o), 4);
      store<f32>(dq, load<f32>(s2 + o), 8);
      store<f32>(dq, load<f32>(s3 + o), 12);
    }
    return;
  }
  for (let q = 0; q < kc; q++) {
    for (let r = 0; r < MR; r++) {
      const v: f32 = r < rows ? load<f32>(s0 + <usize>r * lda + (<usize>q << 2)) : 0;
      store<f32>(d + (<usize>(q * MR + r) << 2), v);
    }
  }
}

function packACol(d: usize, i: i32, rows: i32, p0: i32, kc: i32): void {
  const step = <usize>G.m << 2;
  let s = G.a + (<usize>p0 * <usize>G.m + <usize>i) * 4;
  if (rows == MR) {
    for (let q = 0; q < kc; q++) {
      v128.store(d + (<usize>q << 4), v128.load(s));
      s += step;
    }
    return;
  }
  for (let q = 0; q < kc; q++) {
    for (let r = 0; r < MR; r++) {
      const v: f32 = r < rows ? load<f32>(s + (<usize>r << 2)) : 0;
      store<f32>(d + (<usize>(q * MR + r) << 2), v);
    }
    s += step;
  }
}

/** One row (b,t) of the forward patch matrix, depth p0..p0+kc, stored with stride MR. */
function packPatchRow(d: usize, row: i32, p0: i32, kc: i32): void {
  const inC = G.inC;
  const b = row / G.outLen;
  const t = row - b * G.outLen;
  let j = p0 / inC;
  let c = p0 - j * inC;
  let q = 0;
  while (q < kc) {
    const run = min(inC - c, kc - q);
    const pos = t * G.stride + j * G.dilation - G.padLeft;
    if (pos >= 0 && pos < G.inLen) {
      const src = G.a + ((<usize>b * <usize>G.inLen + <usize>pos) * <usize>inC + <usize>c) * 4;
      for (let u = 0; u < run; u++) store<f32>(d + (<usize>((q + u) * MR) << 2), load<f32>(src + (<usize>u << 2)));
    } else {
      for (let u = 0; u < run; u++) store<f32>(d + (<usize>((q + u) * MR) << 2), 0);
    }
    q += run;
    c = 0;
    j++;
  }
}

/** One row (b,p) of the backward-input patch matrix over dy, depth (j,o) p0..p0+kc. */
function packDyPatchRow(d: usize, row: i32, p0: i32, kc: i32): void {
  const outC = G.outC;
  const b = row / G.inLen;
  const p = row - b * G.inLen;
  let j = p0 / outC;
  let o = p0 - j * outC;
  let q = 0;
  while (q < kc) {
    const run = min(outC - o, kc - q);
    const num = p + G.padLeft - j * G.dilation;
    const t = num / G.stride;
    if (num >= 0 && t * G.stride == num && t < G.outLen) {
      const src = G.a + ((<usize>b * <usize>G.outLen + <usize>t) * <usize>outC + <usize>o) * 4;
      for (let u = 0; u < run; u++) store<f32>(d + (<usize>((q + u) * MR) << 2), load<f32>(src + (<usize>u << 2)));
    } else {
      for (let u = 0; u < run; u++) store<f32>(d + (<usize>((q + u) * MR) << 2), 0);
    }
    q += run;
    o = 0;
    j++;
  }
}

/** Rows (j,c) i..i+rows of the transposed patch matrix, depth (b,t) p0..p0+kc. */
function packAPatchT(d: usize, i: i32, rows: i32, p0: i32, kc: i32): void {
  const inC = G.inC;
  const j = i / inC;
  const c = i - j * inC;
  const sameTap = rows == MR && c + MR <= inC;
  let b = p0 / G.outLen;
  let t = p0 - b * G.outLen;
  for (let q = 0; q < kc; q++) {
    const dq = d + (<usize>(q * MR) << 2);
    if (sameTap) {
      const pos = t * G.stride + j * G.dilation - G.padLeft;
      if (pos >= 0 && pos < G.inLen) {
        v128.store(dq, v128.load(G.a + ((<usize>b * <usize>G.inLen + <usize>pos) * <usize>inC + <usize>c) * 4));
      } else {
        v128.store(dq, f32x4.splat(0));
      }
    } else {
      for (let r = 0; r < MR; r++) {
        let v: f32 = 0;
        if (r < rows) {
          const jr = (i + r) / inC;
          const cr = i + r - jr * inC;
          const pos = t * G.stride + jr * G.dilation - G.padLeft;
          if (pos >= 0 && pos < G.inLen) v = load<f32>(G.a + ((<usize>b * <usize>G.inLen + <usize>pos) * <usize>inC + <usize>cr) * 4);
        }
        store<f32>(dq + (<usize>r << 2), v);
      }
    }
    if (++t == G.outLen) {
      t = 0;
      b++;
    }
  }
}

// ---- B ----------------------------------------------------------------------

/** Packs depth p0..p0+kc, columns j0..j0+nc of op(B) into NR-column panels at dst. */
export function packB(dst: usize, p0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const d = dst + <usize>(jp * kc) * 4;
    const j = j0 + jp;
    switch (G.modeB) {
      case B_ROW:
        packBRow(d, j, cols, p0, kc);
        break;
      case B_COL:
        packBCol(d, j, cols, p0, kc);
        break;
      default:
        packBConvW(d, j, cols, p0, kc);
    }
  }
}

function packBRow(d: usize, j: i32, cols: i32, p0: i32, kc: i32): void {
  const ldb = <usize>G.n << 2;
  let s = G.b + (<usize>p0 * <usize>G.n + <usize>j) * 4;
  if (cols == NR) {
    for (let q = 0; q < kc; q++) {
      const dq = d + (<usize>q << 5);
      v128.store(dq, v128.load(s));
      v128.store(dq, v128.load(s, 16), 16);
      s += ldb;
    }
    return;
  }
  for (let q = 0; q < kc; q++) {
    const dq = d + (<usize>q << 5);
    for (let u = 0; u < NR; u++) store<f32>(dq + (<usize>u << 2), u < cols ? load<f32>(s + (<usize>u << 2)) : 0);
    s += ldb;
  }
}

function packBCol(d: usize, j: i32, cols: i32, p0: i32, kc: i32): void {
  const ldb = <usize>G.k << 2;
  const s0 = G.b + (<usize>j * <usize>G.k + <usize>p0) * 4;
  if (cols == NR) {
    let q = 0;
    for (; q + 4 <= kc; q += 4) {
      const o = <usize>q << 2;
      const dq = d + (<usize>q << 5);
      const s = s0 + o;
      transpose4x4(s, s + ldb, s + 2 * ldb, s + 3 * ldb, dq, 32);
      const s4 = s + 4 * ldb;
      transpose4x4(s4, s4 + ldb, s4 + 2 * ldb, s4 + 3 * ldb, dq + 16, 32);
    }
    for (; q < kc; q++) {
      const dq = d + (<usize>q << 5);
      for (let u = 0; u < NR; u++) store<f32>(dq + (<usize>u << 2), load<f32>(s0 + <usize>u * ldb + (<usize>q << 2)));
    }
    return;
  }
  for (let q = 0; q < kc; q++) {
    const dq = d + (<usize>q << 5);
    for (let u = 0; u < NR; u++) store<f32>(dq + (<usize>u << 2), u < cols ? load<f32>(s0 + <usize>u * ldb + (<usize>q << 2)) : 0);
  }
}

/** B[(j,o), c] = w[j, c, o] for the backward-input product (w: [k, inC, outC]). */
function packBConvW(d: usize, c: i32, cols: i32, p0: i32, kc: i32): void {
  const outC = G.outC;
  const inC = G.inC;
  let j = p0 / outC;
  let o = p0 - j * outC;
  for (let q = 0; q < kc; q++) {
    const dq = d + (<usize>q << 5);
    const base = G.b + ((<usize>j * <usize>inC + <usize>c) * <usize>outC + <usize>o) * 4;
    const step = <usize>outC << 2;
    for (let u = 0; u < NR; u++) store<f32>(dq + (<usize>u << 2), u < cols ? load<f32>(base + <usize>u * step) : 0);
    if (++o == outC) {
      o = 0;
      j++;
    }
  }
}
