/**
 * Depthwise conv2d (NHWC) forward, backward-input and backward-filter as
 * direct loops vectorised over channels (f32x4). Kernel w [kh, kw, inC, mult]
 * is read as [kh, kw, outC]: output channel o = c·mult + m comes from input
 * channel c = ⌊o/mult⌋ only (outC = inC·mult). With sh, sw strides, dh, dw
 * dilations and pt, pl the top/left padding:
 *
 *   forward   y[b,h,v,o]  = Σ_(i,j)   x[b, h·sh + i·dh − pt, v·sw + j·dw − pl, ⌊o/mult⌋] · w[i,j,o]
 *   bwd-input dx[b,p,q,c] = Σ_(i,j,m) dy[b, (p + pt − i·dh)/sh, (q + pl − j·dw)/sw, c·mult + m] · w[i,j,c·mult + m]
 *   bwd-filt  dw[i,j,o]   = Σ_(b,h,v) x[b, h·sh + i·dh − pt, v·sw + j·dw − pl, ⌊o/mult⌋] · dy[b,h,v,o]
 *
 * (out-of-range x positions and non-integral dy positions contribute nothing.)
 *
 * Split kernels (…, r0, r1, c0, c1, scratch), with the conv2d geometry
 * argument list (`groups` is inC and unused): forward computes rows (b, h) of
 * y × output channels; backward-input rows (b, p) of dx × input channels;
 * backward-filter taps i·kw + j × output channels. Each output element
 * belongs to one share and is summed in one fixed order whatever the split —
 * the reference loops' order: taps row-major (forward), contributing outputs
 * in (h, v) order then m (backward-input), outputs in (b, h, v) order
 * (backward-filter) — and an f32x4 lane does exactly what the scalar tail
 * does (mul then add, no fusing), so any thread count gives the same bits.
 * `scratch` (the GEMM scratch block) holds backward-input's tap lists.
 */

/** First t ≥ 0 with start + t·step ≥ 0. */
@inline function first(start: i32, step: i32): i32 {
  return start >= 0 ? 0 : (step - 1 - start) / step;
}
/** One past the last t < k with start + t·step < len. */
@inline function end(start: i32, step: i32, len: i32, k: i32): i32 {
  const room = len - start;
  return room <= 0 ? 0 : min(k, (room + step - 1) / step);
}
/** f32x4 of the floats at p + k0 … p + k3 (bytes). */
@inline function gather(p: usize, k0: usize, k1: usize, k2: usize, k3: usize): v128 {
  let v = f32x4.splat(load<f32>(p + k0));
  v = f32x4.replace_lane(v, 1, load<f32>(p + k1));
  v = f32x4.replace_lane(v, 2, load<f32>(p + k2));
  return f32x4.replace_lane(v, 3, load<f32>(p + k3));
}
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** y [batch, outH, outW, outC]: rows r0..r1 of (b, h), output channels c0..c1. */
export function depthwiseConv2dForward(
  x: usize, w: usize, y: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, groups: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  if (r1 <= r0 || c1 <= c0) return;
  const mult = outC / inC;
  const xPix = <usize>inC << 2;
  const yPix = <usize>outC << 2;
  const xRow = <usize>inW * xPix;
  const xStep = <usize>dw * xPix;
  for (let r = r0; r < r1; r++) {
    const b = r / outH;
    const hs = (r - b * outH) * sh - pt;
    const i0 = first(hs, dh);
    const i1 = end(hs, dh, inH, kh);
    const xb = x + <usize>b * <usize>inH * xRow;
    for (let ow = 0; ow < outW; ow++) {
      const ws = ow * sw - pl;
      const j0 = first(ws, dw);
      const j1 = end(ws, dw, inW, kw);
      const yp = y + (<usize>r * <usize>outW + <usize>ow) * yPix;
      // tap (i, j0): x pixel and w row (channel 0)
      const xTap = xb + <usize>(ws + j0 * dw) * xPix;
      const wTap = w + <usize>j0 * yPix;
      let o = c0;
      if (mult == 1) {
        for (; o + 16 <= c1; o += 16) {
          const q = <usize>o << 2;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (let i = i0; i < i1; i++) {
            let xp = xTap + <usize>(hs + i * dh) * xRow + q;
            let wp = wTap + <usize>(i * kw) * yPix + q;
            for (let j = j0; j < j1; j++) {
              a0 = madd(a0, v128.load(xp), v128.load(wp));
              a1 = madd(a1, v128.load(xp, 16), v128.load(wp, 16));
              a2 = madd(a2, v128.load(xp, 32), v128.load(wp, 32));
              a3 = madd(a3, v128.load(xp, 48), v128.load(wp, 48));
              xp += xStep;
              wp += yPix;
            }
          }
          v128.store(yp + q, a0);
          v128.store(yp + q, a1, 16);
          v128.store(yp + q, a2, 32);
          v128.store(yp + q, a3, 48);
        }
        for (; o + 4 <= c1; o += 4) {
          const q = <usize>o << 2;
          let a = f32x4.splat(0);
          for (let i = i0; i < i1; i++) {
            let xp = xTap + <usize>(hs + i * dh) * xRow + q;
            let wp = wTap + <usize>(i * kw) * yPix + q;
            for (let j = j0; j < j1; j++) {
              a = madd(a, v128.load(xp), v128.load(wp));
              xp += xStep;
              wp += yPix;
            }
          }
          v128.store(yp + q, a);
        }
      } else {
        for (; o + 4 <= c1; o += 4) {
          const q = <usize>o << 2;
          const k0 = <usize>(o / mult) << 2;
          const k1 = <usize>((o + 1) / mult) << 2;
          const k2 = <usize>((o + 2) / mult) << 2;
          const k3 = <usize>((o + 3) / mult) << 2;
          let a = f32x4.splat(0);
          for (let i = i0; i < i1; i++) {
            let xp = xTap + <usize>(hs + i * dh) * xRow;
            let wp = wTap + <usize>(i * kw) * yPix + q;
            for (let j = j0; j < j1; j++) {
              a = madd(a, gather(xp, k0, k1, k2, k3), v128.load(wp));
              xp += xStep;
              wp += yPix;
            }
          }
          v128.store(yp + q, a);
        }
      }
      for (; o < c1; o++) {
        const kx = <usize>(o / mult) << 2;
        const q = <usize>o << 2;
        let a: f32 = 0;
        for (let i = i0; i < i1; i++) {
          let xp = xTap + <usize>(hs + i * dh) * xRow + kx;
          let wp = wTap + <usize>(i * kw) * yPix + q;
          for (let j = j0; j < j1; j++) {
            a += load<f32>(xp) * load<f32>(wp);
            xp += xStep;
            wp += yPix;
          }
        }
        store<f32>(yp + q, a);
      }
    }
  }
}

/**
 * dx [batch, inH, inW, inC]: rows r0..r1 of (b, p), input channels c0..c1.
 * Each dx element gathers its contributions (taps i, j descending = outputs
 * (h, v) ascending, then m ascending) from 0; nothing is accumulated in place.
 */
export function depthwiseConv2dBackwardInput(
  dy: usize, w: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, groups: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  if (r1 <= r0 || c1 <= c0) return;
  const mult = outC / inC;
  const xPix = <usize>inC << 2;
  const yPix = <usize>outC << 2;
  const mStep = <usize>mult << 2;
  // Tap lists (byte offsets, pairs [into w, into dy]): rows at scratch, columns after.
  const rows = scratch;
  const cols = scratch + (<usize>kh << 3);
  for (let r = r0; r < r1; r++) {
    const b = r / inH;
    const ih = r - b * inH;
    let nI = 0;
    for (let i = kh - 1; i >= 0; i--) {
      const nr = ih + pt - i * dh;
      if (nr < 0) continue;
      const oh = nr / sh;
      if (oh * sh != nr || oh >= outH) continue;
      const e = rows + (<usize>nI << 3);
      store<u32>(e, <u32>(<usize>(i * kw) * yPix));
      store<u32>(e, <u32>(<usize>(b * outH + oh) * <usize>outW * yPix), 4);
      nI++;
    }
    for (let iw = 0; iw < inW; iw++) {
      let nJ = 0;
      if (nI > 0) {
        for (let j = kw - 1; j >= 0; j--) {
          const nq = iw + pl - j * dw;
          if (nq < 0) continue;
          const ow = nq / sw;
          if (ow * sw != nq || ow >= outW) continue;
          const e = cols + (<usize>nJ << 3);
          store<u32>(e, <u32>(<usize>j * yPix));
          store<u32>(e, <u32>(<usize>ow * yPix), 4);
          nJ++;
        }
      }
      const dxp = dx + (<usize>r * <usize>inW + <usize>iw) * xPix;
      let c = c0;
      if (mult == 1) {
        for (; c + 16 <= c1; c += 16) {
          const q = <usize>c << 2;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (let s = 0; s < nI; s++) {
            const e = rows + (<usize>s << 3);
            const wr = w + <usize>load<u32>(e) + q;
            const dr = dy + <usize>load<u32>(e, 4) + q;
            for (let t = 0; t < nJ; t++) {
              const f = cols + (<usize>t << 3);
              const wp = wr + <usize>load<u32>(f);
              const dp = dr + <usize>load<u32>(f, 4);
              a0 = madd(a0, v128.load(dp), v128.load(wp));
              a1 = madd(a1, v128.load(dp, 16), v128.load(wp, 16));
              a2 = madd(a2, v128.load(dp, 32), v128.load(wp, 32));
              a3 = madd(a3, v128.load(dp, 48), v128.load(wp, 48));
            }
          }
          v128.store(dxp + q, a0);
          v128.store(dxp + q, a1, 16);
          v128.store(dxp + q, a2, 32);
          v128.store(dxp + q, a3, 48);
        }
      }
      for (; c + 4 <= c1; c += 4) {
        const q = <usize>(c * mult) << 2;
        let a = f32x4.splat(0);
        for (let s = 0; s < nI; s++) {
          const e = rows + (<usize>s << 3);
          const wr = w + <usize>load<u32>(e) + q;
          const dr = dy + <usize>load<u32>(e, 4) + q;
          for (let t = 0; t < nJ; t++) {
            const f = cols + (<usize>t << 3);
            let wp = wr + <usize>load<u32>(f);
            let dp = dr + <usize>load<u32>(f, 4);
            if (mult == 1) {
              a = madd(a, v128.load(dp), v128.load(wp));
            } else {
              for (let m = 0; m < mult; m++) {
                a = madd(a, gather(dp, 0, mStep, 2 * mStep, 3 * mStep), gather(wp, 0, mStep, 2 * mStep, 3 * mStep));
                dp += 4;
                wp += 4;
              }
            }
          }
        }
        v128.store(dxp + (<usize>c << 2), a);
      }
      for (; c < c1; c++) {
        const q = <usize>(c * mult) << 2;
        let a: f32 = 0;
        for (let s = 0; s < nI; s++) {
          const e = rows + (<usize>s << 3);
          const wr = w + <usize>load<u32>(e) + q;
          const dr = dy + <usize>load<u32>(e, 4) + q;
          for (let t = 0; t < nJ; t++) {
            const f = cols + (<usize>t << 3);
            let wp = wr + <usize>load<u32>(f);
            let dp = dr + <usize>load<u32>(f, 4);
            for (let m = 0; m < mult; m++) {
              a += load<f32>(dp) * load<f32>(wp);
              dp += 4;
              wp += 4;
            }
          }
        }
        store<f32>(dxp + (<usize>c << 2), a);
      }
    }
  }
}

/**
 * dw [kh, kw, outC]: taps r0..r1 (i·kw + j), output channels c0..c1. The share
 * is zeroed, then every output row (b, h) adds its outputs v in order.
 */
export function depthwiseConv2dBackwardFilter(
  x: usize, dy: usize, dw: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw_: i32, pt: i32, pl: i32, groups: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  if (r1 <= r0 || c1 <= c0) return;
  const mult = outC / inC;
  const xPix = <usize>inC << 2;
  const yPix = <usize>outC << 2;
  const xRow = <usize>inW * xPix;
  const xStep = <usize>sw * xPix;
  const q0 = <usize>c0 << 2;
  for (let t = r0; t < r1; t++) memory.fill(dw + <usize>t * yPix + q0, 0, (<usize>c1 << 2) - q0);
  const rowsAll = batch * outH;
  for (let rr = 0; rr < rowsAll; rr++) {
    const b = rr / outH;
    const hs = (rr - b * outH) * sh - pt;
    const xb = x + <usize>b * <usize>inH * xRow;
    const dyr = dy + <usize>rr * <usize>outW * yPix;
    for (let t = r0; t < r1; t++) {
      const i = t / kw;
      const ih = hs + i * dh;
      if (ih < 0 || ih >= inH) continue;
      const jOff = (t - i * kw) * dw_ - pl;
      const v0 = first(jOff, sw);
      const v1 = end(jOff, sw, inW, outW);
      if (v1 <= v0) continue;
      const xTap = xb + <usize>ih * xRow + <usize>(v0 * sw + jOff) * xPix;
      const dTap = dyr + <usize>v0 * yPix;
      const wr = dw + <usize>t * yPix;
      let o = c0;
      if (mult == 1) {
        for (; o + 16 <= c1; o += 16) {
          const q = <usize>o << 2;
          let a0 = v128.load(wr + q), a1 = v128.load(wr + q, 16), a2 = v128.load(wr + q, 32), a3 = v128.load(wr + q, 48);
          let xp = xTap + q;
          let dp = dTap + q;
          for (let v = v0; v < v1; v++) {
            a0 = madd(a0, v128.load(xp), v128.load(dp));
            a1 = madd(a1, v128.load(xp, 16), v128.load(dp, 16));
            a2 = madd(a2, v128.load(xp, 32), v128.load(dp, 32));
            a3 = madd(a3, v128.load(xp, 48), v128.load(dp, 48));
            xp += xStep;
            dp += yPix;
          }
          v128.store(wr + q, a0);
          v128.store(wr + q, a1, 16);
          v128.store(wr + q, a2, 32);
          v128.store(wr + q, a3, 48);
        }
        for (; o + 4 <= c1; o += 4) {
          const q = <usize>o << 2;
          let a = v128.load(wr + q);
          let xp = xTap + q;
          let dp = dTap + q;
          for (let v = v0; v < v1; v++) {
            a = madd(a, v128.load(xp), v128.load(dp));
            xp += xStep;
            dp += yPix;
          }
          v128.store(wr + q, a);
        }
      } else {
        for (; o + 4 <= c1; o += 4) {
          const q = <usize>o << 2;
          const k0 = <usize>(o / mult) << 2;
          const k1 = <usize>((o + 1) / mult) << 2;
          const k2 = <usize>((o + 2) / mult) << 2;
          const k3 = <usize>((o + 3) / mult) << 2;
          let a = v128.load(wr + q);
          let xp = xTap;
          let dp = dTap + q;
          for (let v = v0; v < v1; v++) {
            a = madd(a, gather(xp, k0, k1, k2, k3), v128.load(dp));
            xp += xStep;
            dp += yPix;
          }
          v128.store(wr + q, a);
        }
      }
      for (; o < c1; o++) {
        const q = <usize>o << 2;
        let a = load<f32>(wr + q);
        let xp = xTap + (<usize>(o / mult) << 2);
        let dp = dTap + q;
        for (let v = v0; v < v1; v++) {
          a += load<f32>(xp) * load<f32>(dp);
          xp += xStep;
          dp += yPix;
        }
        store<f32>(wr + q, a);
      }
    }
  }
}
