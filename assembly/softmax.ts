/**
 * Row-wise softmax family over [outer, n]: softmax, logSoftmax, their
 * backward passes, and the fused softmax-cross-entropy loss and gradient.
 * Every row is max-subtracted; exp and log are the vector routines of math.ts.
 */
import { exp4, log4 } from './math';

@inline function rowMax(x: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) m = f32x4.max(m, v128.load(x + (<usize>i << 2)));
  m = f32x4.max(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  m = f32x4.max(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  for (; i < n; i++) m = f32x4.max(m, v128.load32_splat(x + (<usize>i << 2)));
  return f32x4.extract_lane(m, 0);
}

/** y[i] = e^(x[i] − m); returns Σ y (lane-wise partial sums, then folded). */
@inline function expShifted(x: usize, y: usize, n: i32, m: f32): f32 {
  const vm = f32x4.splat(m);
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const e = exp4(f32x4.sub(v128.load(x + o), vm));
    v128.store(y + o, e);
    s = f32x4.add(s, e);
  }
  let sum = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(x + o) - m)), 0);
    store<f32>(y + o, e);
    sum += e;
  }
  return sum;
}

/** Σ a[i]·b[i]. */
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    s = f32x4.add(s, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let sum = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; i < n; i++) sum += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return sum;
}

@inline function sumRow(a: usize, n: i32): f32 {
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) s = f32x4.add(s, v128.load(a + (<usize>i << 2)));
  let sum = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; i < n; i++) sum += load<f32>(a + (<usize>i << 2));
  return sum;
}

/** y = row softmax of x [outer, n]. */
export function softmax(x: usize, y: usize, outer: i32, n: i32): void {
  for (let r = 0; r < outer; r++) {
    const xr = x + (<usize>(r * n) << 2);
    const yr = y + (<usize>(r * n) << 2);
    const s = expShifted(xr, yr, n, rowMax(xr, n));
    const vs = f32x4.splat(s);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(yr + (<usize>i << 2), f32x4.div(v128.load(yr + (<usize>i << 2)), vs));
    for (; i < n; i++) store<f32>(yr + (<usize>i << 2), load<f32>(yr + (<usize>i << 2)) / s);
  }
}

/** y = x − max − log Σ e^(x − max), per row. */
export function logSoftmax(x: usize, y: usize, outer: i32, n: i32): void {
  for (let r = 0; r < outer; r++) {
    const xr = x + (<usize>(r * n) << 2);
    const yr = y + (<usize>(r * n) << 2);
    const m = rowMax(xr, n);
    const s = expShifted(xr, yr, n, m);
    const lse = f32x4.extract_lane(log4(f32x4.splat(s)), 0);
    const vm = f32x4.splat(m);
    const vl = f32x4.splat(lse);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(yr + o, f32x4.sub(f32x4.sub(v128.load(xr + o), vm), vl));
    }
    for (; i < n; i++) store<f32>(yr + (<usize>i << 2), load<f32>(xr + (<usize>i << 2)) - m - lse);
  }
}

/** dx = y ∘ (dy − Σ dy∘y), per row. */
export function softmaxBackward(y: usize, dy: usize, dx: usize, outer: i32, n: i32): void {
  for (let r = 0; r < outer; r++) {
    const o = <usize>(r * n) << 2;
    const s = dot(y + o, dy + o, n);
    const vs = f32x4.splat(s);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const q = o + (<usize>i << 2);
      v128.store(dx + q, f32x4.mul(v128.load(y + q), f32x4.sub(v128.load(dy + q), vs)));
    }
    for (; i < n; i++) {
      const q = o + (<usize>i << 2);
      store<f32>(dx + q, load<f32>(y + q) * (load<f32>(dy + q) - s));
    }
  }
}

/** dx = dy − e^y · Σ dy, per row (y = logSoftmax(x)). */
export function logSoftmaxBackward(y: usize, dy: usize, dx: usize, outer: i32, n: i32): void {
  for (let r = 0; r < outer; r++) {
    const o = <usize>(r * n) << 2;
    const s = sumRow(dy + o, n);
    const vs = f32x4.splat(s);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const q = o + (<usize>i << 2);
      v128.store(dx + q, f32x4.sub(v128.load(dy + q), f32x4.mul(exp4(v128.load(y + q)), vs)));
    }
    for (; i < n; i++) {
      const q = o + (<usize>i << 2);
      store<f32>(dx + q, load<f32>(dy + q) - f32x4.extract_lane(exp4(f32x4.splat(load<f32>(y + q))), 0) * s);
    }
  }
}

/**
 * loss[r] = −Σ labels·logSoftmax(logits) = Σ labels·(m + lse − x), per row.
 * `tmp` holds n floats of scratch.
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, loss: usize, outer: i32, n: i32, tmp: usize): void {
  for (let r = 0; r < outer; r++) {
    const o = <usize>(r * n) << 2;
    const m = rowMax(logits + o, n);
    const s = expShifted(logits + o, tmp, n, m);
    const shift = m + f32x4.extract_lane(log4(f32x4.splat(s)), 0);
    let acc: f32 = 0;
    for (let i = 0; i < n; i++) {
      const q = o + (<usize>i << 2);
      acc += load<f32>(labels + q) * (shift - load<f32>(logits + q));
    }
    store<f32>(loss + (<usize>r << 2), acc);
  }
}

/** dlogits[r, i] = dloss[r]·(softmax(logits)[r, i]·Σ labels[r] − labels[r, i]). */
export function softmaxCrossEntropyBackward(logits: usize, labels: usize, dloss: usize, dx: usize, outer: i32, n: i32): void {
  for (let r = 0; r < outer; r++) {
    const o = <usize>(r * n) << 2;
    const m = rowMax(logits + o, n);
    const s = expShifted(logits + o, dx + o, n, m);
    const total = sumRow(labels + o, n);
    const g = load<f32>(dloss + (<usize>r << 2));
    const vscale = f32x4.splat(total / s);
    const vg = f32x4.splat(g);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const q = o + (<usize>i << 2);
      v128.store(dx + q, f32x4.mul(vg, f32x4.sub(f32x4.mul(v128.load(dx + q), vscale), v128.load(labels + q))));
    }
    for (; i < n; i++) {
      const q = o + (<usize>i << 2);
      store<f32>(dx + q, g * (load<f32>(dx + q) * (total / s) - load<f32>(labels + q)));
    }
  }
}
