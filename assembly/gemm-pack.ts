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
import { packConv2dWT, packPatch2d, packPatch2dT } from './conv2d';

export const MR = 4;
export const NR = 8;
export const KC = 256;
export const MC = 128;
export const NC = 512;
/** Rows of the 6×8 micro-kernel (relaxed-SIMD module, plain products A_ROW/A_COL); conv patches keep MR = 4. */
export const MR6 = 6;
/** Rows per packed A block on the 6-row path (a multiple of MR6, ≤ MC). */
export const MC6 = 126;
/** Rows of the SIMD module's micro-kernel for plain products (5×8: 10 accumulators + a temporary fit without spilling). */
export const MR5 = 5;
/** Rows per packed A block on the 5-row path (a multiple of MR5, ≤ MC). */
export const MC5 = 125;

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
/** conv2d forward: row (b,h,v), col (i,j,c) → x patch (assembly/conv2d.ts) */
export const A_PATCH2D = 5;
/** conv2d backward-input: row (b,p,q), col (i,j,o) → dy patch where integral */
export const A_DYPATCH2D = 6;
/** conv2d backward-filter: row (i,j,c), col (b,h,v) → x patch */
export const A_PATCH2D_T = 7;

/** B[p,j] = b[p·N + j] */
export const B_ROW = 0;
/** B[p,j] = b[j·K + p] */
export const B_COL = 1;
/** conv backward-input: row (j,o), col c → w[j, c, o] */
export const B_CONVW_T = 2;
/** conv2d backward-input: row (i,j,o), col c → grouped w (assembly/conv2d.ts) */
export const B_CONV2DW_T = 3;

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
      case A_PATCH2D:
      case A_DYPATCH2D:
        packPatch2d(d, i, rows, p0, kc, G.modeA == A_PATCH2D);
        break;
      case A_PATCH2D_T:
        packPatch2dT(d, i, rows, p0, kc);
        break;
      default:
        packPatchPanel(d, i, rows, p0, kc, G.modeA == A_PATCH);
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

/**
 * MR rows of a patch matrix, depth p0..p0+kc, for the forward product
 * (`forward`: row (b,t), column (j,c) → x[b, t·s + j·d − pad, c]) or the
 * backward-input product (row (b,p), column (j,o) → dy[b, (p + pad − j·d)/s, o]
 * where integral and in range). Within one tap j the four rows read
 * contiguous channel runs, packed four channels at a time with a 4×4
 * transpose; rows out of range read zeros (a masked load from a safe address).
 */
function packPatchPanel(d: usize, i: i32, rows: i32, p0: i32, kc: i32, forward: bool): void {
  const chans = forward ? G.inC : G.outC; // channels per tap (run length)
  const srcLen = forward ? G.inLen : G.outLen; // positions per batch in the source
  const base = G.a;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  const rowLen = forward ? G.outLen : G.inLen;
  for (let r = 0; r < MR; r++) {
    const row = i + r;
    const b = row / rowLen;
    const t = row - b * rowLen;
    if (r == 0) { b0 = b; t0 = t; } else if (r == 1) { b1 = b; t1 = t; } else if (r == 2) { b2 = b; t2 = t; } else { b3 = b; t3 = t; }
  }
  let j = p0 / chans;
  let c = p0 - j * chans;
  let q = 0;
  while (q < kc) {
    const run = min(chans - c, kc - q);
    const s0 = patchSource(b0, t0, j, c, forward, rows > 0, srcLen, chans);
    const s1 = patchSource(b1, t1, j, c, forward, rows > 1, srcLen, chans);
    const s2 = patchSource(b2, t2, j, c, forward, rows > 2, srcLen, chans);
    const s3 = patchSource(b3, t3, j, c, forward, rows > 3, srcLen, chans);
    packFourRows(d, q, run, s0, s1, s2, s3, base);
    q += run;
    c = 0;
    j++;
  }
}

/** Address of channel c at tap j for patch row (b, t), or 0 when it reads padding. */
@inline function patchSource(b: i32, t: i32, j: i32, c: i32, forward: bool, valid: bool, srcLen: i32, chans: i32): usize {
  if (!valid) return 0;
  let pos: i32;
  if (forward) {
    pos = t * G.stride + j * G.dilation - G.padLeft;
  } else {
    const num = t + G.padLeft - j * G.dilation;
    if (num < 0) return 0;
    pos = num / G.stride;
    if (pos * G.stride != num) return 0;
  }
  if (pos < 0 || pos >= srcLen) return 0;
  return G.a + ((<usize>b * <usize>srcLen + <usize>pos) * <usize>chans + <usize>c) * 4;
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
      case B_CONV2DW_T:
        packConv2dWT(d, j, cols, p0, kc);
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

/**
 * Interleaves `run` values from four source rows (0 = a padding row, read as
 * zeros) into a 4-row A panel at column q: the inner loop of the conv1d and
 * conv2d patch packers. `base` is any readable address (masked-out loads).
 */
@inline export function packFourRows(d: usize, q: i32, run: i32, s0: usize, s1: usize, s2: usize, s3: usize, base: usize): void {
  const m0 = s0 ? i32x4.splat(-1) : i32x4.splat(0);
  const m1 = s1 ? i32x4.splat(-1) : i32x4.splat(0);
  const m2 = s2 ? i32x4.splat(-1) : i32x4.splat(0);
  const m3 = s3 ? i32x4.splat(-1) : i32x4.splat(0);
  const p0s = s0 ? s0 : base;
  const p1s = s1 ? s1 : base;
  const p2s = s2 ? s2 : base;
  const p3s = s3 ? s3 : base;
  let u = 0;
  for (; u + 4 <= run; u += 4) {
    const o = <usize>u << 2;
    const r0 = v128.and(v128.load(p0s + o), m0);
    const r1 = v128.and(v128.load(p1s + o), m1);
    const r2 = v128.and(v128.load(p2s + o), m2);
    const r3 = v128.and(v128.load(p3s + o), m3);
    const x0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    const x1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const x2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const x3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const dq = d + (<usize>(q + u) << 4);
    v128.store(dq, v128.shuffle<f32>(x0, x1, 0, 1, 4, 5));
    v128.store(dq, v128.shuffle<f32>(x0, x1, 2, 3, 6, 7), 16);
    v128.store(dq, v128.shuffle<f32>(x2, x3, 0, 1, 4, 5), 32);
    v128.store(dq, v128.shuffle<f32>(x2, x3, 2, 3, 6, 7), 48);
  }
  for (; u < run; u++) {
    const o = <usize>u << 2;
    const dq = d + (<usize>(q + u) << 4);
    store<f32>(dq, s0 ? load<f32>(s0 + o) : 0);
    store<f32>(dq, s1 ? load<f32>(s1 + o) : 0, 4);
    store<f32>(dq, s2 ? load<f32>(s2 + o) : 0, 8);
    store<f32>(dq, s3 ? load<f32>(s3 + o) : 0, 12);
  }
}
