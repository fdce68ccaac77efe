/**
 * conv2d forward, backward-input and backward-filter (NHWC, grouped), as GEMMs
 * whose A operand is packed straight from the input patches (no im2col
 * buffer), on the GEMM driver of gemm.ts. Group g owns output columns
 * g·og … (g+1)·og (forward, backward-filter) or input channels g·cg …
 * (backward-input); each entry runs the driver once per group its column
 * share touches, with `C2.chanOff` pointing the patch packer at the group's
 * channels. With cg = inC/groups, og = outC/groups:
 *
 *   forward   y[(b,h,v), o]   = Σ_(i,j,c) x[b, h·sh + i·dh − pt, v·sw + j·dw − pl, g·cg + c] · w[(i,j,c), o]
 *   bwd-input dx[(b,p,q), c]  = Σ_(i,j,o') dy[b, (p + pt − i·dh)/sh, (q + pl − j·dw)/sw, g·og + o'] · w[i, j, c − g·cg, g·og + o']
 *   bwd-filt  dw[(i,j,c), o]  = Σ_(b,h,v) x[b, h·sh + i·dh − pt, v·sw + j·dw − pl, g·cg + c] · dy[(b,h,v), o]
 *
 * Sums run in an order fixed by K alone, so any thread split gives the same bits.
 * A long backward-filter depth is instead split into chunks whose partial
 * products are summed in a fixed order (conv2dBackwardFilterChunks, sumChunks).
 */
import { gemmDriver } from './gemm';
import { A_DYPATCH2D, A_PATCH2D, A_PATCH2D_T, B_CONV2DW_T, B_ROW, G } from './gemm-pack';
import { C2 } from './conv2d-pack';

// The 2-D packers, for gemm-pack.ts.
export { packConv2dWT, packPatch2d, packPatch2dT } from './conv2d-pack';

@inline function setGeometry(
  inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, groups: i32,
): void {
  C2.inH = inH;
  C2.inW = inW;
  C2.inC = inC;
  C2.outH = outH;
  C2.outW = outW;
  C2.outC = outC;
  C2.kh = kh;
  C2.kw = kw;
  C2.sh = sh;
  C2.sw = sw;
  C2.dh = dh;
  C2.dw = dw;
  C2.pt = pt;
  C2.pl = pl;
  C2.cg = inC / groups;
  C2.og = outC / groups;
  C2.k0 = 0;
  G.bias = 0;
  G.act = 0;
}

/** Runs the driver for rows r0..r1 over each group's part of columns c0..c1 (`per` columns per group). */
function byGroup(groups: i32, per: i32, r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize): void {
  if (per == 0) return;
  for (let g = c0 / per; g < groups; g++) {
    const lo = max(c0, g * per);
    const hi = min(c1, (g + 1) * per);
    if (hi <= lo) break;
    C2.grp = g;
    gemmDriver(r0, r1, lo, hi, scratch);
  }
}

/**
 * Output rows per driver call for the forward and backward-input products:
 * the driver sweeps C once per KC block of the depth, so a block of rows
 * keeps its part of C (ROW_BLOCK × outC floats) in cache across those sweeps
 * instead of streaming the whole share through memory each time. The sums
 * are unchanged (each element still adds its KC blocks in order).
 */
const ROW_BLOCK = 512;

/** byGroup over rows r0..r1 in ROW_BLOCK pieces. */
function byRowBlocks(groups: i32, per: i32, r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize): void {
  for (let r = r0; r < r1; r += ROW_BLOCK) byGroup(groups, per, r, min(r1, r + ROW_BLOCK), c0, c1, scratch);
}

/** y [batch, outH, outW, outC] from x and w [kh, kw, cg, outC]; rows (b,h,v), columns o. */
export function conv2dForward(
  x: usize, w: usize, y: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, groups: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw, pt, pl, groups);
  G.modeA = A_PATCH2D;
  G.modeB = B_ROW;
  G.a = x;
  G.b = w;
  G.c = y;
  G.m = batch * outH * outW;
  G.k = kh * kw * C2.cg;
  G.n = outC;
  byRowBlocks(groups, C2.og, r0, r1, c0, c1, scratch);
}

/** dx [batch, inH, inW, inC] from dy and w; rows (b,p,q), columns c. */
export function conv2dBackwardInput(
  dy: usize, w: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, groups: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw, pt, pl, groups);
  G.modeA = A_DYPATCH2D;
  G.modeB = B_CONV2DW_T;
  G.a = dy;
  G.b = w;
  G.c = dx;
  G.m = batch * inH * inW;
  G.k = outH * outW == 0 ? 0 : kh * kw * C2.og;
  G.n = inC;
  byRowBlocks(groups, C2.cg, r0, r1, c0, c1, scratch);
}

/** dw [kh, kw, cg, outC] from x and dy; rows (i,j,c), columns o. */
export function conv2dBackwardFilter(
  x: usize, dy: usize, dw: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw_: i32, pt: i32, pl: i32, groups: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw_, pt, pl, groups);
  G.modeA = A_PATCH2D_T;
  G.modeB = B_ROW;
  G.a = x;
  G.b = dy;
  G.c = dw;
  G.m = kh * kw * C2.cg;
  G.k = batch * outH * outW;
  G.n = outC;
  byGroup(groups, C2.og, r0, r1, c0, c1, scratch);
}

/**
 * Backward-filter split over the depth (b,h,v) instead of over dw: depth chunk
 * j — [⌊j·K/chunks⌋, ⌊(j+1)·K/chunks⌋) of K = batch·outH·outW — writes the
 * whole partial product Σ_chunk into parts + j·(kh·kw·cg·outC) floats, so x
 * and dy are each packed once in all, whatever the thread count; sumChunks
 * then adds the partials in chunk order. Share rows 4j … 4j + 3 stand for chunk
 * j (the pool cuts rows in fours); columns are ignored. `chunks` depends on
 * the geometry alone (src/backend/wasm/conv2d.ts), so the bits do too.
 */
export function conv2dBackwardFilterChunks(
  x: usize, dy: usize, parts: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw_: i32, pt: i32, pl: i32, groups: i32, chunks: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw_, pt, pl, groups);
  G.modeA = A_PATCH2D_T;
  G.modeB = B_ROW;
  G.a = x;
  G.m = kh * kw * C2.cg;
  G.n = outC;
  const depth = <i64>batch * <i64>outH * <i64>outW;
  const part = <usize>G.m * <usize>outC * 4;
  for (let j = r0 >> 2; j < (r1 + 3) >> 2 && j < chunks; j++) {
    const k0 = <i32>((<i64>j * depth) / <i64>chunks);
    const k1 = <i32>((<i64>(j + 1) * depth) / <i64>chunks);
    C2.k0 = k0;
    G.k = k1 - k0;
    G.b = dy + <usize>k0 * <usize>outC * 4;
    G.c = parts + <usize>j * part;
    byGroup(groups, C2.og, 0, G.m, 0, outC, scratch);
  }
}

/** dst[e] = ((parts_0[e] + parts_1[e]) + …) + parts_(chunks−1)[e] for e in start..end (range kernel; start % 4 == 0). */
export function sumChunks(parts: usize, dst: usize, chunks: i32, n: i32, start: i32, end: i32): void {
  const stride = <usize>n << 2;
  let e = start;
  for (; e + 4 <= end; e += 4) {
    let p = parts + (<usize>e << 2);
    let acc = v128.load(p);
    for (let j = 1; j < chunks; j++) {
      p += stride;
      acc = f32x4.add(acc, v128.load(p));
    }
    v128.store(dst + (<usize>e << 2), acc);
  }
  for (; e < end; e++) {
    let p = parts + (<usize>e << 2);
    let acc = load<f32>(p);
    for (let j = 1; j < chunks; j++) {
      p += stride;
      acc += load<f32>(p);
    }
    store<f32>(dst + (<usize>e << 2), acc);
  }
}
