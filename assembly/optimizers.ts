/**
 * Fused optimizer updates, in place on persistent buffers (Keras 3 formulas).
 * Each touches every element once, in f32x4 with scalar tails computed by the
 * same vector code on one lane. A 0 pointer means "no such slot".
 */

@inline function sp(x: f32): v128 {
  return f32x4.splat(x);
}

/** SGD. momentum 0: w −= lr·g. Else m = μm − lr·g; w += nesterov ? μm − lr·g : m. */
export function sgdUpdate(w: usize, g: usize, m: usize, n: i32, lr64: f64, momentum64: f64, nesterov: bool): void {
  const lr = <f32>lr64;
  const momentum = <f32>momentum64;
  const vlr = sp(lr);
  const vmu = sp(momentum);
  let i = 0;
  if (m == 0 || momentum == 0) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(vlr, v128.load(g + o))));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(w + o, load<f32>(w + o) - lr * load<f32>(g + o));
    }
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const lg = f32x4.mul(vlr, v128.load(g + o));
    const nm = f32x4.sub(f32x4.mul(vmu, v128.load(m + o)), lg);
    v128.store(m + o, nm);
    const upd = nesterov ? f32x4.sub(f32x4.mul(vmu, nm), lg) : nm;
    v128.store(w + o, f32x4.add(v128.load(w + o), upd));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const lg = lr * load<f32>(g + o);
    const nm = momentum * load<f32>(m + o) - lg;
    store<f32>(m + o, nm);
    store<f32>(w + o, load<f32>(w + o) + (nesterov ? momentum * nm - lg : nm));
  }
}

/** Adam / AMSGrad (Keras 3 form): m += (g − m)(1−β1); v += (g² − v)(1−β2); [v̂ = max(v̂, v)]; w −= α·m/(√v(̂) + ε). */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, vhat: usize, n: i32, alpha: f64, beta1: f64, beta2: f64, epsilon: f64): void {
  const c1 = sp(<f32>(1 - beta1));
  const c2 = sp(<f32>(1 - beta2));
  const va = sp(<f32>alpha);
  const ve = sp(<f32>epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const vg = v128.load(g + o);
    const om = v128.load(m + o);
    const ov = v128.load(v + o);
    const nm = f32x4.add(om, f32x4.mul(f32x4.sub(vg, om), c1));
    const nv = f32x4.add(ov, f32x4.mul(f32x4.sub(f32x4.mul(vg, vg), ov), c2));
    v128.store(m + o, nm);
    v128.store(v + o, nv);
    let denom = nv;
    if (vhat != 0) {
      denom = f32x4.max(v128.load(vhat + o), nv);
      v128.store(vhat + o, denom);
    }
    const step = f32x4.div(f32x4.mul(va, nm), f32x4.add(f32x4.sqrt(denom), ve));
    v128.store(w + o, f32x4.sub(v128.load(w + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const vg = v128.load32_splat(g + o);
    const om = v128.load32_splat(m + o);
    const ov = v128.load32_splat(v + o);
    const nm = f32x4.add(om, f32x4.mul(f32x4.sub(vg, om), c1));
    const nv = f32x4.add(ov, f32x4.mul(f32x4.sub(f32x4.mul(vg, vg), ov), c2));
    store<f32>(m + o, f32x4.extract_lane(nm, 0));
    store<f32>(v + o, f32x4.extract_lane(nv, 0));
    let denom = nv;
    if (vhat != 0) {
      denom = f32x4.max(v128.load32_splat(vhat + o), nv);
      store<f32>(vhat + o, f32x4.extract_lane(denom, 0));
    }
    const step = f32x4.div(f32x4.mul(va, nm), f32x4.add(f32x4.sqrt(denom), ve));
    store<f32>(w + o, f32x4.extract_lane(f32x4.sub(v128.load32_splat(w + o), step), 0));
  }
}

/**
 * RMSprop (eps inside the sqrt): v = ρv + (1−ρ)g²; centered: mg = ρ·mg + (1−ρ)g,
 * d = v − mg² + ε, else d = v + ε; inc = lr·g/√d; momentum: mom = μ·mom + inc,
 * w −= mom; else w −= inc. mg/mom are 0 when unused.
 */
export function rmspropUpdate(w: usize, g: usize, v: usize, mg: usize, mom: usize, n: i32, lr64: f64, rho64: f64, momentum64: f64, epsilon64: f64): void {
  const lr = <f32>lr64;
  const rho = <f32>rho64;
  const rho1 = <f32>(1 - rho64);
  const momentum = <f32>momentum64;
  const epsilon = <f32>epsilon64;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const vi = rho * load<f32>(v + o) + rho1 * gi * gi;
    store<f32>(v + o, vi);
    let d = vi;
    if (mg != 0) {
      const mi = rho * load<f32>(mg + o) + rho1 * gi;
      store<f32>(mg + o, mi);
      d = vi - mi * mi;
    }
    const inc = (lr * gi) / sqrt<f32>(d + epsilon);
    if (mom != 0 && momentum > 0) {
      const mo = momentum * load<f32>(mom + o) + inc;
      store<f32>(mom + o, mo);
      store<f32>(w + o, load<f32>(w + o) - mo);
    } else {
      store<f32>(w + o, load<f32>(w + o) - inc);
    }
  }
}

/** Adagrad: acc += g²; w −= lr·g/√(acc + ε). */
export function adagradUpdate(w: usize, g: usize, acc: usize, n: i32, lr64: f64, epsilon64: f64): void {
  const lr = <f32>lr64;
  const epsilon = <f32>epsilon64;
  const vl = sp(lr);
  const ve = sp(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const vg = v128.load(g + o);
    const a = f32x4.add(v128.load(acc + o), f32x4.mul(vg, vg));
    v128.store(acc + o, a);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(vl, vg), f32x4.sqrt(f32x4.add(a, ve)))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const a = load<f32>(acc + o) + gi * gi;
    store<f32>(acc + o, a);
    store<f32>(w + o, load<f32>(w + o) - (lr * gi) / sqrt<f32>(a + epsilon));
  }
}

/** w ← w·scale. */
export function scaleInPlace(w: usize, n: i32, scale64: f64): void {
  const scale = <f32>scale64;
  const vs = sp(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(w + (<usize>i << 2), f32x4.mul(v128.load(w + (<usize>i << 2)), vs));
  for (; i < n; i++) store<f32>(w + (<usize>i << 2), load<f32>(w + (<usize>i << 2)) * scale);
}
