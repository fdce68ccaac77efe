/**
 * 1-D max/avg pooling, channels-last: x [batch, inLen, c], y [batch, outLen, c].
 * Window t covers positions t·stride − padLeft … + pool − 1; out-of-range
 * positions are ignored (TF 'same'); an empty window gives −∞ (max) or 0 (avg). Vectorised over channels.
 * kind: 0 = max, 1 = avg (POOL_CODES in exports.ts).
 */
export const POOL_MAX = 0;
export const POOL_AVG = 1;

@inline function windowStart(t: i32, stride: i32, padLeft: i32): i32 {
  return t * stride - padLeft;
}

export function pool1dForward(kind: i32, x: usize, y: usize, batch: i32, inLen: i32, c: i32, outLen: i32, pool: i32, stride: i32, padLeft: i32): void {
  const rowBytes = <usize>c << 2;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * <usize>inLen * rowBytes;
    for (let t = 0; t < outLen; t++) {
      const dst = y + (<usize>b * <usize>outLen + <usize>t) * rowBytes;
      const p0 = max(windowStart(t, stride, padLeft), 0);
      const p1 = min(windowStart(t, stride, padLeft) + pool, inLen);
      const isMax = kind == POOL_MAX;
      const init: f32 = isMax ? -Infinity : 0;
      let i = 0;
      for (; i + 4 <= c; i += 4) {
        const q = <usize>i << 2;
        let acc = f32x4.splat(init);
        for (let p = p0; p < p1; p++) {
          const v = v128.load(xb + <usize>p * rowBytes + q);
          acc = isMax ? f32x4.max(acc, v) : f32x4.add(acc, v);
        }
        if (!isMax) acc = f32x4.div(acc, f32x4.splat(<f32>max(p1 - p0, 1)));
        v128.store(dst + q, acc);
      }
      for (; i < c; i++) {
        const q = <usize>i << 2;
        let acc = init;
        for (let p = p0; p < p1; p++) {
          const v = load<f32>(xb + <usize>p * rowBytes + q);
          acc = isMax ? f32x4.extract_lane(f32x4.max(f32x4.splat(acc), f32x4.splat(v)), 0) : acc + v;
        }
        if (!isMax) acc = acc / <f32>max(p1 - p0, 1);
        store<f32>(dst + q, acc);
      }
    }
  }
}

/**
 * dx from dy: max sends each gradient to the first position in the window
 * whose value equals the output (a NaN output picks the first NaN); avg
 * spreads dy / count evenly. Accumulates over t in order.
 */
export function pool1dBackward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, batch: i32, inLen: i32, c: i32, outLen: i32, pool: i32, stride: i32, padLeft: i32): void {
  const rowBytes = <usize>c << 2;
  memory.fill(dx, 0, <usize>batch * <usize>inLen * rowBytes);
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * <usize>inLen * rowBytes;
    const dxb = dx + <usize>b * <usize>inLen * rowBytes;
    for (let t = 0; t < outLen; t++) {
      const o = (<usize>b * <usize>outLen + <usize>t) * rowBytes;
      const p0 = max(windowStart(t, stride, padLeft), 0);
      const p1 = min(windowStart(t, stride, padLeft) + pool, inLen);
      if (p1 <= p0) continue;
      if (kind == POOL_AVG) {
        const inv = <f32>(p1 - p0);
        for (let p = p0; p < p1; p++) {
          const d = dxb + <usize>p * rowBytes;
          let i = 0;
          for (; i + 4 <= c; i += 4) {
            const q = <usize>i << 2;
            v128.store(d + q, f32x4.add(v128.load(d + q), f32x4.div(v128.load(dy + o + q), f32x4.splat(inv))));
          }
          for (; i < c; i++) {
            const q = <usize>i << 2;
            store<f32>(d + q, load<f32>(d + q) + load<f32>(dy + o + q) / inv);
          }
        }
        continue;
      }
      for (let i = 0; i < c; i++) {
        const q = <usize>i << 2;
        const target = load<f32>(y + o + q);
        let arg = p0;
        for (let p = p0; p < p1; p++) {
          const v = load<f32>(xb + <usize>p * rowBytes + q);
          if (v == target || (target != target && v != v)) {
            arg = p;
            break;
          }
        }
        const d = dxb + <usize>arg * rowBytes + q;
        store<f32>(d, load<f32>(d) + load<f32>(dy + o + q));
      }
    }
  }
}
