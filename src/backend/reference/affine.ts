/**
 * Reference per-image projective resampling (Keras `affine_transform`, NHWC;
 * contract in backend.ts `AffineGeometry`): plain loops, written for
 * obviousness. The wasm kernel (assembly/affine.ts) computes the same
 * coordinates, indices and weights in float64 in the same order, so both pick
 * the same pixels; only the float32 blend of the values may differ in the last
 * bits.
 *
 * Out-of-image reads follow the fill mode on the virtual extended image, one
 * integer index at a time (so bilinear blends the extended neighbours):
 * constant → fillValue; nearest → the edge pixel; reflect → d c b a | a b c d |
 * d c b a (period 2n, the edge repeated); wrap → a b c d | a b c d (period n).
 * A projective denominator of 0 or a non-finite coordinate gives fillValue;
 * coordinates are clamped to ±2^30 first.
 */
import type { AffineGeometry, FillMode, FloatArray } from '../backend.js';

/** Coordinates beyond this are clamped (indices stay int32 in the wasm kernel). */
export const COORD_LIMIT = 1 << 30;

/** Index `i` of an axis of length n read through the fill mode, or -1 (constant, outside). */
export function mapIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const m = ((i % (2 * n)) + 2 * n) % (2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }
}

/** Rounds half away from zero (C's round, as TF's nearest interpolation), exactly: x − ⌊x⌋ is exact. */
export function roundHalfAway(x: number): number {
  const r = Math.floor(x);
  const d = x - r;
  return d > 0.5 ? r + 1 : d < 0.5 ? r : x >= 0 ? r + 1 : r;
}

/**
 * Calls `visit(corner, weight)` for each input pixel (index into the
 * [batch·inH·inW] pixel grid, or -1 for a fill read) output pixel (ox, oy) of
 * image b blends; returns false when the whole pixel is fill (denominator 0 or
 * a non-finite coordinate).
 */
export function forEachTap(t: ArrayLike<number>, b: number, ox: number, oy: number, g: AffineGeometry, visit: (pixel: number, w: number) => void): boolean {
  const o = b * 8;
  const k = t[o + 6]! * ox + t[o + 7]! * oy + 1;
  if (k === 0) return false;
  let xi = (t[o]! * ox + t[o + 1]! * oy + t[o + 2]!) / k;
  let yi = (t[o + 3]! * ox + t[o + 4]! * oy + t[o + 5]!) / k;
  if (!Number.isFinite(xi) || !Number.isFinite(yi)) return false;
  xi = Math.min(Math.max(xi, -COORD_LIMIT), COORD_LIMIT);
  yi = Math.min(Math.max(yi, -COORD_LIMIT), COORD_LIMIT);
  const base = b * g.inH;
  const pix = (y: number, x: number): number => {
    const my = mapIndex(y, g.inH, g.fillMode);
    const mx = mapIndex(x, g.inW, g.fillMode);
    return my < 0 || mx < 0 ? -1 : (base + my) * g.inW + mx;
  };
  if (g.interpolation === 'nearest') {
    visit(pix(roundHalfAway(yi), roundHalfAway(xi)), 1);
    return true;
  }
  const x0 = Math.floor(xi);
  const y0 = Math.floor(yi);
  const wx1 = xi - x0;
  const wy1 = yi - y0;
  const wx0 = 1 - wx1;
  const wy0 = 1 - wy1;
  visit(pix(y0, x0), wy0 * wx0);
  visit(pix(y0, x0 + 1), wy0 * wx1);
  visit(pix(y0 + 1, x0), wy1 * wx0);
  visit(pix(y0 + 1, x0 + 1), wy1 * wx1);
  return true;
}

/** Reference `affineTransform`: y [batch, outH, outW, c] (written into `y`). */
export function affineTransformInto(x: FloatArray, t: ArrayLike<number>, g: AffineGeometry, y: FloatArray): void {
  const { c, fillValue } = g;
  const acc = new Float64Array(c);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const dst = ((b * g.outH + oy) * g.outW + ox) * c;
        acc.fill(0);
        const inside =
          g.inH > 0 &&
          g.inW > 0 &&
          forEachTap(t, b, ox, oy, g, (p, w) => {
            for (let ch = 0; ch < c; ch++) acc[ch]! += w * (p < 0 ? fillValue : x[p * c + ch]!);
          });
        for (let ch = 0; ch < c; ch++) y[dst + ch] = inside ? acc[ch]! : fillValue;
      }
    }
  }
}

/** Reference `affineTransformBackward`: dx [batch, inH, inW, c] += w · dy for every tap that reads the input (written into zeroed `dx`). */
export function affineTransformBackwardInto(dy: FloatArray, t: ArrayLike<number>, g: AffineGeometry, dx: FloatArray): void {
  const { c } = g;
  if (g.inH === 0 || g.inW === 0) return;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const src = ((b * g.outH + oy) * g.outW + ox) * c;
        forEachTap(t, b, ox, oy, g, (p, w) => {
          if (p < 0) return;
          for (let ch = 0; ch < c; ch++) dx[p * c + ch]! += w * dy[src + ch]!;
        });
      }
    }
  }
}

/** Element counts of the input and output, for the backends' allocations. */
export const affineSizes = (g: AffineGeometry): { x: number; y: number } => ({
  x: g.batch * g.inH * g.inW * g.c,
  y: g.batch * g.outH * g.outW * g.c,
});
