/**
 * conv1d forward, backward-input and backward-filter (channels-last), as GEMMs
 * whose A operand is packed straight from the input patches (gemm-pack.ts):
 *
 *   forward   y[(b,t), o]  = Σ_(j,c) x[b, t·s + j·d − pad, c] · w[(j,c), o]
 *   bwd-input dx[(b,p), c] = Σ_(j,o) dy[b, (p + pad − j·d)/s, o] · w[j, c, o]   (integral positions only)
 *   bwd-filt  dw[(j,c), o] = Σ_(b,t) x[b, t·s + j·d − pad, c] · dy[(b,t), o]
 *
 * Each computes rows r0..r1 and columns c0..c1 of its output (the thread's share).
 */
import { gemmDriver } from './gemm';
import { A_DYPATCH, A_PATCH, A_PATCH_T, B_CONVW_T, B_ROW, G } from './gemm-pack';

@inline function setGeometry(batch: i32, inLen: i32, inC: i32, outLen: i32, outC: i32, stride: i32, dilation: i32, padLeft: i32): void {
  G.inLen = inLen;
  G.inC = inC;
  G.outLen = outLen;
  G.outC = outC;
  G.stride = stride;
  G.dilation = dilation;
  G.padLeft = padLeft;
  G.bias = 0;
  G.act = 0;
}

/** y [batch, outLen, outC] from x [batch, inLen, inC] and w [k, inC, outC]; rows are (b,t). */
export function conv1dForward(
  x: usize, w: usize, y: usize,
  batch: i32, inLen: i32, inC: i32, outLen: i32, outC: i32, k: i32, stride: i32, dilation: i32, padLeft: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(batch, inLen, inC, outLen, outC, stride, dilation, padLeft);
  G.modeA = A_PATCH;
  G.modeB = B_ROW;
  G.a = x;
  G.b = w;
  G.c = y;
  G.m = batch * outLen;
  G.k = k * inC;
  G.n = outC;
  gemmDriver(r0, r1, c0, c1, scratch);
}

/** dx [batch, inLen, inC] from dy [batch, outLen, outC] and w; rows are (b,p). */
export function conv1dBackwardInput(
  dy: usize, w: usize, dx: usize,
  batch: i32, inLen: i32, inC: i32, outLen: i32, outC: i32, k: i32, stride: i32, dilation: i32, padLeft: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(batch, inLen, inC, outLen, outC, stride, dilation, padLeft);
  G.modeA = A_DYPATCH;
  G.modeB = B_CONVW_T;
  G.a = dy;
  G.b = w;
  G.c = dx;
  G.m = batch * inLen;
  // No output positions: dx is all zeros (the driver's K = 0 path), and the
  // patch packer never reads the empty dy.
  G.k = outLen == 0 ? 0 : k * outC;
  G.n = inC;
  gemmDriver(r0, r1, c0, c1, scratch);
}

/** dw [k, inC, outC] from x and dy; rows are (j,c). */
export function conv1dBackwardFilter(
  x: usize, dy: usize, dw: usize,
  batch: i32, inLen: i32, inC: i32, outLen: i32, outC: i32, k: i32, stride: i32, dilation: i32, padLeft: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  setGeometry(batch, inLen, inC, outLen, outC, stride, dilation, padLeft);
  G.modeA = A_PATCH_T;
  G.modeB = B_ROW;
  G.a = x;
  G.b = dy;
  G.c = dw;
  G.m = k * inC;
  G.k = batch * outLen;
  G.n = outC;
  gemmDriver(r0, r1, c0, c1, scratch);
}
