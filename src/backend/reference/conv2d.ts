/**
 * Reference conv2d and depthwise conv2d kernels (NHWC, contracts in
 * backend.ts): plain loops over every output, tap and channel, written for
 * obviousness, not speed. Each writes into its last argument (zeroed).
 */
import type { Conv2dGeometry, FloatArray } from '../backend.js';

/** x position of tap (i, j) for output (h, v), or -1 when it reads padding. */
function inputIndex(g: Conv2dGeometry, b: number, h: number, v: number, i: number, j: number): number {
  const ih = h * g.strideH + i * g.dilationH - g.padTop;
  const iw = v * g.strideW + j * g.dilationW - g.padLeft;
  if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) return -1;
  return (b * g.inH + ih) * g.inW + iw;
}

/** Calls f(xPixel, yPixel, i, j) for every output pixel and every tap that reads the input. */
function forEachTap(g: Conv2dGeometry, f: (xp: number, yp: number, i: number, j: number) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let h = 0; h < g.outH; h++) {
      for (let v = 0; v < g.outW; v++) {
        const yp = (b * g.outH + h) * g.outW + v;
        for (let i = 0; i < g.kh; i++) {
          for (let j = 0; j < g.kw; j++) {
            const xp = inputIndex(g, b, h, v, i, j);
            if (xp >= 0) f(xp, yp, i, j);
          }
        }
      }
    }
  }
}

/** Reference `conv2dForward` (grouped): y[p, o] = Σ x[tap, g·cg + c] · w[i, j, c, o]. */
export function conv2dForwardInto(x: FloatArray, w: FloatArray, g: Conv2dGeometry, y: FloatArray): void {
  const { inC, outC, kw } = g;
  const cg = inC / g.groups;
  const og = outC / g.groups;
  forEachTap(g, (xp, yp, i, j) => {
    for (let o = 0; o < outC; o++) {
      const c0 = Math.floor(o / og) * cg;
      let s = 0;
      for (let c = 0; c < cg; c++) s += x[xp * inC + c0 + c]! * w[((i * kw + j) * cg + c) * outC + o]!;
      y[yp * outC + o]! += s;
    }
  });
}

/** Reference `conv2dBackwardInput`: dx[tap, g·cg + c] += Σ_o dy[p, o] · w[i, j, c, o]. */
export function conv2dBackwardInputInto(dy: FloatArray, w: FloatArray, g: Conv2dGeometry, dx: FloatArray): void {
  const { inC, outC, kw } = g;
  const cg = inC / g.groups;
  const og = outC / g.groups;
  forEachTap(g, (xp, yp, i, j) => {
    for (let o = 0; o < outC; o++) {
      const c0 = Math.floor(o / og) * cg;
      const d = dy[yp * outC + o]!;
      for (let c = 0; c < cg; c++) dx[xp * inC + c0 + c]! += d * w[((i * kw + j) * cg + c) * outC + o]!;
    }
  });
}

/** Reference `conv2dBackwardFilter`: dw[i, j, c, o] = Σ x[tap, g·cg + c] · dy[p, o]. */
export function conv2dBackwardFilterInto(x: FloatArray, dy: FloatArray, g: Conv2dGeometry, dw: FloatArray): void {
  const { inC, outC, kw } = g;
  const cg = inC / g.groups;
  const og = outC / g.groups;
  forEachTap(g, (xp, yp, i, j) => {
    for (let o = 0; o < outC; o++) {
      const c0 = Math.floor(o / og) * cg;
      const d = dy[yp * outC + o]!;
      for (let c = 0; c < cg; c++) dw[((i * kw + j) * cg + c) * outC + o]! += x[xp * inC + c0 + c]! * d;
    }
  });
}

/** Reference `depthwiseConv2dForward`: y[p, c·mult + m] = Σ_{i,j} x[tap, c] · w[i, j, c, m]. */
export function depthwiseConv2dForwardInto(x: FloatArray, w: FloatArray, g: Conv2dGeometry, y: FloatArray): void {
  const { inC, outC, kw } = g;
  const mult = outC / inC;
  forEachTap(g, (xp, yp, i, j) => {
    for (let c = 0; c < inC; c++) {
      for (let m = 0; m < mult; m++) y[yp * outC + c * mult + m]! += x[xp * inC + c]! * w[((i * kw + j) * inC + c) * mult + m]!;
    }
  });
}

/** Reference `depthwiseConv2dBackwardInput`: dx[tap, c] += Σ_m dy[p, c·mult + m] · w[i, j, c, m]. */
export function depthwiseConv2dBackwardInputInto(dy: FloatArray, w: FloatArray, g: Conv2dGeometry, dx: FloatArray): void {
  const { inC, outC, kw } = g;
  const mult = outC / inC;
  forEachTap(g, (xp, yp, i, j) => {
    for (let c = 0; c < inC; c++) {
      for (let m = 0; m < mult; m++) dx[xp * inC + c]! += dy[yp * outC + c * mult + m]! * w[((i * kw + j) * inC + c) * mult + m]!;
    }
  });
}

/** Reference `depthwiseConv2dBackwardFilter`: dw[i, j, c, m] = Σ x[tap, c] · dy[p, c·mult + m]. */
export function depthwiseConv2dBackwardFilterInto(x: FloatArray, dy: FloatArray, g: Conv2dGeometry, dw: FloatArray): void {
  const { inC, outC, kw } = g;
  const mult = outC / inC;
  forEachTap(g, (xp, yp, i, j) => {
    for (let c = 0; c < inC; c++) {
      for (let m = 0; m < mult; m++) dw[((i * kw + j) * inC + c) * mult + m]! += x[xp * inC + c]! * dy[yp * outC + c * mult + m]!;
    }
  });
}

/** Output sizes of the kernels, for the backends' allocations. */
export const conv2dSizes = (g: Conv2dGeometry): { x: number; y: number; w: number } => ({
  x: g.batch * g.inH * g.inW * g.inC,
  y: g.batch * g.outH * g.outW * g.outC,
  w: g.kh * g.kw * (g.inC / g.groups) * g.outC,
});
