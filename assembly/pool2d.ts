/**
 * 2-D max/avg pooling, channels-last (NHWC): x [batch, inH, inW, c],
 * y [batch, outH, outW, c]. Window (oh, ow) covers rows oh·strideH − padTop
 * … + poolH − 1 and columns ow·strideW − padLeft … + poolW − 1; out-of-range
 * positions are ignored (TF 'same'); an empty window gives −∞ (max) or 0 (avg).
 * kind: 0 = max, 1 = avg (POOL_CODES in src/backend/wasm/exports.ts).
 *
 * Split kernels: each call computes its share r0..r1 × c0..c1 — rows (b, oh)
 * of y in the forward, samples b of dx in the backward — over channels
 * c0..c1. Channels never interact and every element is computed by the same
 * instructions in the same order whatever the split (c0 is a multiple of 4,
 * so a channel is in a SIMD group or in the scalar tail independently of the
 * split), so any thread count gives bit-identical results.
 */
import { POOL_MAX, POOL_AVG } from './pool1d';

@inline function lo(t: i32, stride: i32, pad: i32): i32 {
  return max(t * stride - pad, 0);
}
@inline function hi(t: i32, stride: i32, pad: i32, pool: i32, len: i32): i32 {
  return min(t * stride - pad + pool, len);
}

/** Forward share: rows r0..r1 of (b, oh), channels c0..c1. y accumulates in place (max, or the sum then ÷ count). */
export function pool2dForward(
  kind: i32, x: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, poolH: i32, poolW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  const isMax = kind == POOL_MAX;
  const init: f32 = isMax ? -Infinity : 0;
  const pix = <usize>c << 2;
  const q0 = <usize>c0 << 2;
  let v1 = c0;
  while (v1 + 4 <= c1) v1 += 4;
  for (let r = r0; r < r1; r++) {
    const b = r / outH;
    const oh = r % outH;
    const h0 = lo(oh, strideH, padTop);
    const h1 = hi(oh, strideH, padTop, poolH, inH);
    const xb = x + <usize>b * <usize>inH * <usize>inW * pix;
    for (let ow = 0; ow < outW; ow++) {
      const w0 = lo(ow, strideW, padLeft);
      const w1 = hi(ow, strideW, padLeft, poolW, inW);
      const dst = y + (<usize>r * <usize>outW + <usize>ow) * pix;
      for (let i = c0; i < c1; i++) store<f32>(dst + (<usize>i << 2), init);
      for (let h = h0; h < h1; h++) {
        for (let w = w0; w < w1; w++) {
          const src = xb + (<usize>h * <usize>inW + <usize>w) * pix;
          let q = q0;
          const qv = <usize>v1 << 2;
          if (isMax) {
            for (; q < qv; q += 16) v128.store(dst + q, f32x4.max(v128.load(dst + q), v128.load(src + q)));
            for (; q < (<usize>c1 << 2); q += 4) store<f32>(dst + q, max<f32>(load<f32>(dst + q), load<f32>(src + q)));
          } else {
            for (; q < qv; q += 16) v128.store(dst + q, f32x4.add(v128.load(dst + q), v128.load(src + q)));
            for (; q < (<usize>c1 << 2); q += 4) store<f32>(dst + q, load<f32>(dst + q) + load<f32>(src + q));
          }
        }
      }
      if (!isMax) {
        const n = <f32>max((h1 - h0) * (w1 - w0), 1);
        const nv = f32x4.splat(n);
        let q = q0;
        for (; q < (<usize>v1 << 2); q += 16) v128.store(dst + q, f32x4.div(v128.load(dst + q), nv));
        for (; q < (<usize>c1 << 2); q += 4) store<f32>(dst + q, load<f32>(dst + q) / n);
      }
    }
  }
}

/**
 * Backward share: samples r0..r1, channels c0..c1 of dx (zeroed first). Max
 * sends each dy to the first window position, in row-major order, whose value
 * equals y (a NaN y picks the first NaN); avg adds dy / count to every valid
 * position. Contributions to one dx element arrive in (oh, ow) order.
 */
export function pool2dBackward(
  kind: i32, x: usize, y: usize, dy: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, poolH: i32, poolW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  const pix = <usize>c << 2;
  const q0 = <usize>c0 << 2;
  const q1 = <usize>c1 << 2;
  let v1 = c0;
  while (v1 + 4 <= c1) v1 += 4;
  const qv = <usize>v1 << 2;
  const plane = <usize>inH * <usize>inW;
  for (let b = r0; b < r1; b++) {
    const xb = x + <usize>b * plane * pix;
    const dxb = dx + <usize>b * plane * pix;
    for (let p: usize = 0; p < plane; p++) memory.fill(dxb + p * pix + q0, 0, q1 - q0);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = lo(oh, strideH, padTop);
      const h1 = hi(oh, strideH, padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = lo(ow, strideW, padLeft);
        const w1 = hi(ow, strideW, padLeft, poolW, inW);
        const count = (h1 - h0) * (w1 - w0);
        if (count <= 0) continue;
        const o = (((<usize>b * <usize>outH + <usize>oh) * <usize>outW) + <usize>ow) * pix;
        if (kind == POOL_AVG) {
          const n = <f32>count;
          const nv = f32x4.splat(n);
          let q = q0;
          for (; q < qv; q += 16) {
            const share = f32x4.div(v128.load(dy + o + q), nv);
            for (let h = h0; h < h1; h++) {
              for (let w = w0; w < w1; w++) {
                const d = dxb + (<usize>h * <usize>inW + <usize>w) * pix + q;
                v128.store(d, f32x4.add(v128.load(d), share));
              }
            }
          }
          for (; q < q1; q += 4) {
            const share = load<f32>(dy + o + q) / n;
            for (let h = h0; h < h1; h++) {
              for (let w = w0; w < w1; w++) {
                const d = dxb + (<usize>h * <usize>inW + <usize>w) * pix + q;
                store<f32>(d, load<f32>(d) + share);
              }
            }
          }
          continue;
        }
        let q = q0;
        for (; q < qv; q += 16) maxBackward4(xb, dxb, y + o + q, dy + o + q, q, pix, inW, h0, h1, w0, w1);
        for (; q < q1; q += 4) {
          const target = load<f32>(y + o + q);
          const g = load<f32>(dy + o + q);
          let found = false;
          for (let h = h0; h < h1 && !found; h++) {
            for (let w = w0; w < w1; w++) {
              const at = (<usize>h * <usize>inW + <usize>w) * pix + q;
              const v = load<f32>(xb + at);
              if (v == target || (v != v && target != target)) {
                store<f32>(dxb + at, load<f32>(dxb + at) + g);
                found = true;
                break;
              }
            }
          }
        }
      }
    }
  }
}

/** Max backward for 4 channels at byte offset q: each lane adds dy at its first matching position. */
@inline function maxBackward4(xb: usize, dxb: usize, yp: usize, dyp: usize, q: usize, pix: usize, inW: i32, h0: i32, h1: i32, w0: i32, w1: i32): void {
  const t = v128.load(yp);
  const g = v128.load(dyp);
  const tNaN = f32x4.ne(t, t);
  let done = i32x4.splat(0);
  for (let h = h0; h < h1; h++) {
    for (let w = w0; w < w1; w++) {
      const at = (<usize>h * <usize>inW + <usize>w) * pix + q;
      const v = v128.load(xb + at);
      const eq = v128.or(f32x4.eq(v, t), v128.and(f32x4.ne(v, v), tNaN));
      const take = v128.andnot(eq, done);
      const old = v128.load(dxb + at);
      v128.store(dxb + at, v128.bitselect(f32x4.add(old, g), old, take));
      done = v128.or(done, eq);
      if (i32x4.all_true(done)) return;
    }
  }
}
