/**
 * Per-image projective resampling (Keras `affine_transform`), NHWC, and its
 * input gradient. Transforms are float64 [batch, 8]: output pixel (ox, oy) of
 * image b reads input coordinates ((t0·ox + t1·oy + t2)/k, (t3·ox + t4·oy + t5)/k),
 * k = t6·ox + t7·oy + 1. Coordinates, indices and weights are computed in
 * float64 in the order of src/backend/reference/affine.ts (the same pixels are
 * picked); values are blended in float32, four channels per v128.
 *
 * mode (FILL_CODES in exports.ts): 0 constant, 1 nearest, 2 reflect, 3 wrap.
 * interp (INTERP_CODES): 0 nearest (round half away from zero), 1 bilinear.
 * Range kernels: the forward computes output rows r = b·outH + oy in
 * [start, end); the backward computes whole images b in [start, end), each
 * accumulated in one fixed order, so any thread split is bit-identical.
 */
const MODE_CONSTANT = 0;
const MODE_NEAREST = 1;
const MODE_REFLECT = 2;
const INTERP_NEAREST = 0;
const COORD_LIMIT: f64 = 1073741824.0;

/** The taps of the current output pixel: pixel indices (−1 = fill) and float64 weights. */
namespace T {
  export let n: i32 = 0;
  export let p0: i32 = 0;
  export let p1: i32 = 0;
  export let p2: i32 = 0;
  export let p3: i32 = 0;
  export let w0: f64 = 0;
  export let w1: f64 = 0;
  export let w2: f64 = 0;
  export let w3: f64 = 0;
}

/** Index i of an axis of length n through the fill mode, or −1 (constant, outside). */
@inline function mapIndex(i: i32, n: i32, mode: i32): i32 {
  if (i >= 0 && i < n) return i;
  if (mode == MODE_CONSTANT) return -1;
  if (mode == MODE_NEAREST) return i < 0 ? 0 : n - 1;
  if (mode == MODE_REFLECT) {
    const n2 = 2 * n;
    const m = ((i % n2) + n2) % n2;
    return m < n ? m : n2 - 1 - m;
  }
  return ((i % n) + n) % n;
}

/** Round half away from zero, exactly (x − ⌊x⌋ is exact). */
@inline function roundHalfAway(x: f64): f64 {
  const r = floor<f64>(x);
  const d = x - r;
  return d > 0.5 ? r + 1 : d < 0.5 ? r : x >= 0 ? r + 1 : r;
}

@inline function pix(base: i32, y: f64, x: f64, inH: i32, inW: i32, mode: i32): i32 {
  const my = mapIndex(<i32>y, inH, mode);
  const mx = mapIndex(<i32>x, inW, mode);
  return my < 0 || mx < 0 ? -1 : (base + my) * inW + mx;
}

/** Fills T for output pixel (ox, oy) of image b; false when the whole pixel is fill. */
function taps(t: usize, b: i32, ox: i32, oy: i32, inH: i32, inW: i32, mode: i32, interp: i32): bool {
  const tb = t + (<usize>b << 6);
  const fx = <f64>ox;
  const fy = <f64>oy;
  const k = load<f64>(tb, 48) * fx + load<f64>(tb, 56) * fy + 1;
  if (k == 0) return false;
  let xi = (load<f64>(tb, 0) * fx + load<f64>(tb, 8) * fy + load<f64>(tb, 16)) / k;
  let yi = (load<f64>(tb, 24) * fx + load<f64>(tb, 32) * fy + load<f64>(tb, 40)) / k;
  if (!isFinite<f64>(xi) || !isFinite<f64>(yi)) return false;
  xi = min<f64>(max<f64>(xi, -COORD_LIMIT), COORD_LIMIT);
  yi = min<f64>(max<f64>(yi, -COORD_LIMIT), COORD_LIMIT);
  const base = b * inH;
  if (interp == INTERP_NEAREST) {
    T.n = 1;
    T.p0 = pix(base, roundHalfAway(yi), roundHalfAway(xi), inH, inW, mode);
    T.w0 = 1;
    return true;
  }
  const x0 = floor<f64>(xi);
  const y0 = floor<f64>(yi);
  const wx1 = xi - x0;
  const wy1 = yi - y0;
  const wx0 = 1 - wx1;
  const wy0 = 1 - wy1;
  T.n = 4;
  T.p0 = pix(base, y0, x0, inH, inW, mode);
  T.p1 = pix(base, y0, x0 + 1, inH, inW, mode);
  T.p2 = pix(base, y0 + 1, x0, inH, inW, mode);
  T.p3 = pix(base, y0 + 1, x0 + 1, inH, inW, mode);
  T.w0 = wy0 * wx0;
  T.w1 = wy0 * wx1;
  T.w2 = wy1 * wx0;
  T.w3 = wy1 * wx1;
  return true;
}

@inline function fillPixel(dst: usize, c: i32, fill: f32): void {
  let i = 0;
  const v = f32x4.splat(fill);
  for (; i + 4 <= c; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < c; i++) store<f32>(dst + (<usize>i << 2), fill);
}

@inline function tap4(x: usize, p: i32, q: usize, rowBytes: usize, fill: v128): v128 {
  return p < 0 ? fill : v128.load(x + <usize>p * rowBytes + q);
}

@inline function tap1(x: usize, p: i32, q: usize, rowBytes: usize, fill: f32): f32 {
  return p < 0 ? fill : load<f32>(x + <usize>p * rowBytes + q);
}

/** y [batch, outH, outW, c] from x [batch, inH, inW, c]: rows r = b·outH + oy in [start, end). */
export function affineTransform(
  x: usize, t: usize, y: usize,
  batch: i32, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, mode: i32, interp: i32, fill: f64,
  start: i32, end: i32,
): void {
  const fillF = <f32>fill;
  const fill4 = f32x4.splat(fillF);
  const rowBytes = <usize>c << 2;
  for (let r = start; r < end; r++) {
    const b = r / outH;
    const oy = r % outH;
    for (let ox = 0; ox < outW; ox++) {
      const dst = y + (<usize>r * <usize>outW + <usize>ox) * rowBytes;
      if (inH == 0 || inW == 0 || !taps(t, b, ox, oy, inH, inW, mode, interp)) {
        fillPixel(dst, c, fillF);
        continue;
      }
      if (T.n == 1) {
        if (T.p0 < 0) fillPixel(dst, c, fillF);
        else memory.copy(dst, x + <usize>T.p0 * rowBytes, rowBytes);
        continue;
      }
      const p0 = T.p0, p1 = T.p1, p2 = T.p2, p3 = T.p3;
      const w0 = <f32>T.w0, w1 = <f32>T.w1, w2 = <f32>T.w2, w3 = <f32>T.w3;
      const v0 = f32x4.splat(w0), v1 = f32x4.splat(w1), v2 = f32x4.splat(w2), v3 = f32x4.splat(w3);
      let i = 0;
      for (; i + 4 <= c; i += 4) {
        const q = <usize>i << 2;
        let acc = f32x4.mul(v0, tap4(x, p0, q, rowBytes, fill4));
        acc = f32x4.add(acc, f32x4.mul(v1, tap4(x, p1, q, rowBytes, fill4)));
        acc = f32x4.add(acc, f32x4.mul(v2, tap4(x, p2, q, rowBytes, fill4)));
        acc = f32x4.add(acc, f32x4.mul(v3, tap4(x, p3, q, rowBytes, fill4)));
        v128.store(dst + q, acc);
      }
      for (; i < c; i++) {
        const q = <usize>i << 2;
        let acc = w0 * tap1(x, p0, q, rowBytes, fillF);
        acc += w1 * tap1(x, p1, q, rowBytes, fillF);
        acc += w2 * tap1(x, p2, q, rowBytes, fillF);
        acc += w3 * tap1(x, p3, q, rowBytes, fillF);
        store<f32>(dst + q, acc);
      }
    }
  }
}

/** dx[p] += w · dy[pixel] for one tap that reads the input. */
@inline function scatter(dx: usize, src: usize, p: i32, w: f32, c: i32, rowBytes: usize): void {
  if (p < 0) return;
  const d = dx + <usize>p * rowBytes;
  const wv = f32x4.splat(w);
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const q = <usize>i << 2;
    v128.store(d + q, f32x4.add(v128.load(d + q), f32x4.mul(wv, v128.load(src + q))));
  }
  for (; i < c; i++) {
    const q = <usize>i << 2;
    store<f32>(d + q, load<f32>(d + q) + w * load<f32>(src + q));
  }
}

/** dx [batch, inH, inW, c] (the transposed scatter) from dy [batch, outH, outW, c]: images b in [start, end). */
export function affineTransformBackward(
  dy: usize, t: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, mode: i32, interp: i32,
  start: i32, end: i32,
): void {
  const rowBytes = <usize>c << 2;
  const imageBytes = <usize>inH * <usize>inW * rowBytes;
  memory.fill(dx + <usize>start * imageBytes, 0, <usize>(end - start) * imageBytes);
  if (inH == 0 || inW == 0) return;
  for (let b = start; b < end; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        if (!taps(t, b, ox, oy, inH, inW, mode, interp)) continue;
        const src = dy + ((<usize>b * <usize>outH + <usize>oy) * <usize>outW + <usize>ox) * rowBytes;
        scatter(dx, src, T.p0, <f32>T.w0, c, rowBytes);
        if (T.n == 1) continue;
        scatter(dx, src, T.p1, <f32>T.w1, c, rowBytes);
        scatter(dx, src, T.p2, <f32>T.w2, c, rowBytes);
        scatter(dx, src, T.p3, <f32>T.w3, c, rowBytes);
      }
    }
  }
}
