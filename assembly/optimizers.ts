/**
 * Fused optimizer updates, in place on persistent buffers (Keras 3 formulas).
 *
 * SGD, RMSprop, Adagrad and scaling compute in f64 (f64x2 lanes) on the
 * stored float32 values, rounded once when stored — the same operations in
 * the same order as the reference backend's JavaScript, so both agree bit for
 * bit. Adam, the hot one, runs in f32x4 (see adamUpdate).
 *
 * A 0 pointer means "no such slot". Every kernel updates the element range
 * [start, end) — its last two parameters — so threads can split it.
 */

/** Two float32 at p, widened. */
@inline function ld(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Stores two f64 lanes at p as float32. */
@inline function st(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}

/** Rounds two f64 lanes to float32 precision (what storing and reloading does). */
@inline function f32r(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
}

@inline function sp(x: f64): v128 {
  return f64x2.splat(x);
}

/** SGD. momentum 0: w −= lr·g. Else m = μm − lr·g; w += nesterov ? μm − lr·g : m (m unrounded, as in JS). */
export function sgdUpdate(w: usize, g: usize, m: usize, lr: f64, momentum: f64, nesterov: bool, start: i32, end: i32): void {
  const vlr = sp(lr);
  const vmu = sp(momentum);
  const plain = m == 0 || momentum == 0;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i << 2;
    const lg = f64x2.mul(vlr, ld(g + o));
    if (plain) {
      st(w + o, f64x2.sub(ld(w + o), lg));
      continue;
    }
    const mi = f64x2.sub(f64x2.mul(vmu, ld(m + o)), lg);
    st(m + o, mi);
    st(w + o, f64x2.add(ld(w + o), nesterov ? f64x2.sub(f64x2.mul(vmu, mi), lg) : mi));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const lg = lr * <f64>load<f32>(g + o);
    if (plain) {
      store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - lg));
      continue;
    }
    const mi = momentum * <f64>load<f32>(m + o) - lg;
    store<f32>(m + o, <f32>mi);
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) + (nesterov ? momentum * mi - lg : mi)));
  }
}

/**
 * Adam / AMSGrad (Keras 3 form): m += (g − m)(1−β1); v += (g² − v)(1−β2);
 * [v̂ = max(v̂, v)]; w −= α·m/(√v(̂) + ε). The hot optimizer, so in f32x4
 * (f64 sqrt and division cost 2.5× more here); within float32 rounding of
 * the reference rather than bit-identical.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, vhat: usize, alpha: f64, beta1: f64, beta2: f64, epsilon: f64, start: i32, end: i32): void {
  const c1 = f32x4.splat(<f32>(1 - beta1));
  const c2 = f32x4.splat(<f32>(1 - beta2));
  const va = f32x4.splat(<f32>alpha);
  const ve = f32x4.splat(<f32>epsilon);
  let i = start;
  // Whole vectors: plain loads and stores (no per-lane selects in the hot loop).
  if (vhat == 0) {
    for (; i + 4 <= end; i += 4) {
      const q = <usize>i << 2;
      const gi = v128.load(g + q);
      const om = v128.load(m + q);
      const ov = v128.load(v + q);
      const nm = f32x4.add(om, f32x4.mul(f32x4.sub(gi, om), c1));
      const nv = f32x4.add(ov, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), ov), c2));
      v128.store(m + q, nm);
      v128.store(v + q, nv);
      v128.store(w + q, f32x4.sub(v128.load(w + q), f32x4.div(f32x4.mul(va, nm), f32x4.add(f32x4.sqrt(nv), ve))));
    }
  } else {
    for (; i + 4 <= end; i += 4) {
      const q = <usize>i << 2;
      const gi = v128.load(g + q);
      const om = v128.load(m + q);
      const ov = v128.load(v + q);
      const nm = f32x4.add(om, f32x4.mul(f32x4.sub(gi, om), c1));
      const nv = f32x4.add(ov, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), ov), c2));
      const nh = f32x4.max(v128.load(vhat + q), nv);
      v128.store(m + q, nm);
      v128.store(v + q, nv);
      v128.store(vhat + q, nh);
      v128.store(w + q, f32x4.sub(v128.load(w + q), f32x4.div(f32x4.mul(va, nm), f32x4.add(f32x4.sqrt(nh), ve))));
    }
  }
  // The last elements run one by one through the same lane arithmetic (identical bits).
  for (; i < end; i++) {
    const q = <usize>i << 2;
    const gi = v128.load32_splat(g + q);
    const om = v128.load32_splat(m + q);
    const ov = v128.load32_splat(v + q);
    const nm = f32x4.add(om, f32x4.mul(f32x4.sub(gi, om), c1));
    const nv = f32x4.add(ov, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), ov), c2));
    let nh = nv;
    if (vhat != 0) {
      nh = f32x4.max(v128.load32_splat(vhat + q), nv);
      v128.store32_lane(vhat + q, nh, 0);
    }
    v128.store32_lane(m + q, nm, 0);
    v128.store32_lane(v + q, nv, 0);
    v128.store32_lane(w + q, f32x4.sub(v128.load32_splat(w + q), f32x4.div(f32x4.mul(va, nm), f32x4.add(f32x4.sqrt(nh), ve))), 0);
  }
}

/**
 * RMSprop (eps inside the sqrt): v = ρv + (1−ρ)g²; centered: mg = ρ·mg + (1−ρ)g,
 * d = v − mg², else d = v; inc = lr·g/√(d + ε); momentum: mom = μ·mom + inc,
 * w −= mom; else w −= inc. mg/mom are 0 when unused.
 */
export function rmspropUpdate(w: usize, g: usize, v: usize, mg: usize, mom: usize, lr: f64, rho: f64, momentum: f64, epsilon: f64, start: i32, end: i32): void {
  const rho1 = 1 - rho;
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(g + o);
    const vi = <f64><f32>(rho * <f64>load<f32>(v + o) + rho1 * gi * gi);
    store<f32>(v + o, <f32>vi);
    let d = vi;
    if (mg != 0) {
      const mi = <f64><f32>(rho * <f64>load<f32>(mg + o) + rho1 * gi);
      store<f32>(mg + o, <f32>mi);
      d -= mi * mi;
    }
    const inc = (lr * gi) / sqrt<f64>(d + epsilon);
    if (mom != 0 && momentum > 0) {
      const mo = <f64><f32>(momentum * <f64>load<f32>(mom + o) + inc);
      store<f32>(mom + o, <f32>mo);
      store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - mo));
    } else {
      store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - inc));
    }
  }
}

/** Adagrad: acc += g²; w −= lr·g/√(acc + ε). */
export function adagradUpdate(w: usize, g: usize, acc: usize, lr: f64, epsilon: f64, start: i32, end: i32): void {
  const vl = sp(lr);
  const ve = sp(epsilon);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i << 2;
    const gi = ld(g + o);
    const a = f32r(f64x2.add(ld(acc + o), f64x2.mul(gi, gi)));
    st(acc + o, a);
    st(w + o, f64x2.sub(ld(w + o), f64x2.div(f64x2.mul(vl, gi), f64x2.sqrt(f64x2.add(a, ve)))));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(g + o);
    const a = <f64><f32>(<f64>load<f32>(acc + o) + gi * gi);
    store<f32>(acc + o, <f32>a);
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (lr * gi) / sqrt<f64>(a + epsilon)));
  }
}

/** w ← w·scale. */
export function scaleInPlace(w: usize, scale: f64, start: i32, end: i32): void {
  const vs = sp(scale);
  let i = start;
  for (; i + 2 <= end; i += 2) st(w + (<usize>i << 2), f64x2.mul(ld(w + (<usize>i << 2)), vs));
  for (; i < end; i++) store<f32>(w + (<usize>i << 2), <f32>(<f64>load<f32>(w + (<usize>i << 2)) * scale));
}

/**
 * MaxNorm constraint in place on w viewed as [rows, cols] (one norm per
 * column, over the rows): n = √(Σ_r w[r,c]²); w[r,c] ← w[r,c]·(clip(n, 0,
 * maxValue) / (n + eps)). The same float32 operations in the same order as
 * the unfused ops (square, a sum over rows in row order, sqrt, clip, add,
 * div, broadcast mul), so the bits are identical, in two passes over w
 * instead of seven kernels and a copy. Computes columns [start, end)
 * (start % 4 == 0: threads split by columns); `norms` holds cols floats.
 */
export function maxNormInPlace(w: usize, norms: usize, rows: i32, cols: i32, maxValue: f32, eps: f32, start: i32, end: i32): void {
  if (end <= start) return;
  const rowBytes = <usize>cols << 2;
  const first = <usize>start << 2;
  const width = <usize>(end - start) << 2;
  memory.fill(norms + first, 0, width);
  for (let r = 0; r < rows; r++) {
    const row = w + <usize>r * rowBytes;
    let c = start;
    for (; c + 4 <= end; c += 4) {
      const q = <usize>c << 2;
      const x = v128.load(row + q);
      v128.store(norms + q, f32x4.add(v128.load(norms + q), f32x4.mul(x, x)));
    }
    for (; c < end; c++) {
      const q = <usize>c << 2;
      const x = load<f32>(row + q);
      store<f32>(norms + q, load<f32>(norms + q) + x * x);
    }
  }
  const lo = f32x4.splat(0);
  const hi = f32x4.splat(maxValue);
  const ve = f32x4.splat(eps);
  let c = start;
  for (; c + 4 <= end; c += 4) {
    const q = <usize>c << 2;
    const n = f32x4.sqrt(v128.load(norms + q));
    v128.store(norms + q, f32x4.div(f32x4.min(f32x4.max(n, lo), hi), f32x4.add(n, ve)));
  }
  for (; c < end; c++) {
    const q = <usize>c << 2;
    const n = f32x4.sqrt(v128.load32_splat(norms + q));
    v128.store32_lane(norms + q, f32x4.div(f32x4.min(f32x4.max(n, lo), hi), f32x4.add(n, ve)), 0);
  }
  for (let r = 0; r < rows; r++) {
    const row = w + <usize>r * rowBytes;
    let c = start;
    for (; c + 4 <= end; c += 4) {
      const q = <usize>c << 2;
      v128.store(row + q, f32x4.mul(v128.load(row + q), v128.load(norms + q)));
    }
    for (; c < end; c++) {
      const q = <usize>c << 2;
      store<f32>(row + q, load<f32>(row + q) * load<f32>(norms + q));
    }
  }
}
