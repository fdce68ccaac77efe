/**
 * f64 math without tables: straight ports of fdlibm's exp, log and cos — the
 * code V8 uses for Math.exp/log/cos (src/base/ieee754.cc), so Box–Muller
 * normals match JavaScript bit for bit — and pow with Math.pow's special
 * cases (not bit-identical to V8's pow: exp64(y·log64|x|), ≈ 1e-15 relative).
 */

@inline function hiWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 32);
}

@inline function loWord(x: f64): u32 {
  return <u32>reinterpret<u64>(x);
}

@inline function fromWords(hi: i32, lo: u32): f64 {
  return reinterpret<f64>((<u64><u32>hi << 32) | <u64>lo);
}

/** fdlibm __ieee754_exp, as in V8's base/ieee754.cc. */
export function exp64(x: f64): f64 {
  let hi: f64 = 0.0;
  let lo: f64 = 0.0;
  let k: i32 = 0;
  let hx = <u32>hiWord(x);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | loWord(x)) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e+02) return Infinity;
    if (x < -7.45133219101941108420e+02) return 0.0;
  }
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return 2.718281828459045; // V8 special-cases e
      if (xsb == 0) {
        hi = x - 6.93147180369123816490e-01;
        lo = 1.90821492927058770002e-10;
        k = 1;
      } else {
        hi = x + 6.93147180369123816490e-01;
        lo = -1.90821492927058770002e-10;
        k = -1;
      }
    } else {
      k = <i32>(1.44269504088896338700e+00 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * 6.93147180369123816490e-01;
      lo = t * 1.90821492927058770002e-10;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  } else {
    k = 0;
  }
  const t = x * x;
  let twopk: f64;
  if (k >= -1021) twopk = fromWords(0x3ff00000 + (k << 20), 0);
  else twopk = fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05 + t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.98846567431158e+307;
    return y * twopk;
  }
  return y * twopk * 9.33263618503218878990e-302;
}

/** fdlibm __ieee754_log, as in V8's base/ieee754.cc. */
export function log64(x: f64): f64 {
  let hx = hiWord(x);
  const lx = loWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | <i32>lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.80143985094819840000e+16;
    hx = hiWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = fromWords(hx | (i ^ 0x3ff00000), loWord(x));
  k += i >> 20;
  const f = x - 1.0;
  const ln2Hi = 6.93147180369123816490e-01;
  const ln2Lo = 1.90821492927058770002e-10;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const dk = <f64>k;
      return dk * ln2Hi + dk * ln2Lo;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * ln2Hi - ((R - dk * ln2Lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2Hi - ((hfsq - (s * (hfsq + R) + dk * ln2Lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2Hi - ((s * (f - R) - dk * ln2Lo) - f);
}

/** fdlibm __kernel_cos(x, y) on [−π/4, π/4]. */
function kernelCos(x: f64, y: f64): f64 {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) {
    if (<i32>x == 0) return 1.0;
  }
  const z = x * x;
  const r = z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 + z * (2.48015872894767294178e-05 + z * (-2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
  if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * y));
  let qx: f64;
  if (ix > 0x3fe90000) qx = 0.28125;
  else qx = fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1.0 - qx;
  return a - (hz - (z * r - x * y));
}

/** fdlibm __kernel_sin(x, y, 1). */
function kernelSin(x: f64, y: f64): f64 {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) {
    if (<i32>x == 0) return x;
  }
  const z = x * x;
  const v = z * x;
  const r = 8.33333333332248946124e-03 + z * (-1.98412698298579493134e-04 + z * (2.75573137070700676789e-06 + z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)));
  return x - ((z * (0.5 * y - v * r) - y) - v * -1.66666666666666324348e-01);
}

/**
 * cos(x) for |x| ≤ 2¹⁹·π/2 (fdlibm's medium-size argument reduction; the
 * table-driven huge-argument path is not needed: callers pass 2π·u, u ∈ [0, 1)).
 * Larger arguments return NaN.
 */
export function cos64(x: f64): f64 {
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0.0);
  if (ix >= 0x7ff00000) return x - x;
  const pio2_1 = 1.57079632673412561417e+00;
  const pio2_1t = 6.07710050650619224932e-11;
  const pio2_2 = 6.07710050630396597660e-11;
  const pio2_2t = 2.02226624879595063154e-21;
  const pio2_3 = 2.02226624871116645580e-21;
  const pio2_3t = 8.47842766036889956997e-32;
  let n: i32;
  let y0: f64;
  let y1: f64;
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1
    if (hx > 0) {
      let z = x - pio2_1;
      if (ix != 0x3ff921fb) {
        y0 = z - pio2_1t;
        y1 = (z - y0) - pio2_1t;
      } else {
        z -= pio2_2;
        y0 = z - pio2_2t;
        y1 = (z - y0) - pio2_2t;
      }
      n = 1;
    } else {
      let z = x + pio2_1;
      if (ix != 0x3ff921fb) {
        y0 = z + pio2_1t;
        y1 = (z - y0) + pio2_1t;
      } else {
        z += pio2_2;
        y0 = z + pio2_2t;
        y1 = (z - y0) + pio2_2t;
      }
      n = -1;
    }
  } else if (ix <= 0x413921fb) {
    const t0 = abs<f64>(x);
    n = <i32>(t0 * 6.36619772367581382433e-01 + 0.5);
    const fn = <f64>n;
    let r = t0 - fn * pio2_1;
    let w = fn * pio2_1t;
    // fdlibm skips the exponent check below when a table says no cancellation
    // can occur; doing the check always gives the same result.
    const j = ix >> 20;
    y0 = r - w;
    let i = j - ((hiWord(y0) >> 20) & 0x7ff);
    if (i > 16) {
      let t = r;
      w = fn * pio2_2;
      r = t - w;
      w = fn * pio2_2t - ((t - r) - w);
      y0 = r - w;
      i = j - ((hiWord(y0) >> 20) & 0x7ff);
      if (i > 49) {
        t = r;
        w = fn * pio2_3;
        r = t - w;
        w = fn * pio2_3t - ((t - r) - w);
        y0 = r - w;
      }
    }
    y1 = (r - y0) - w;
    if (hx < 0) {
      y0 = -y0;
      y1 = -y1;
      n = -n;
    }
  } else {
    return NaN;
  }
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1);
  }
}

/** x^y with JavaScript's Math.pow semantics, via exp64(y·log64|x|). */
export function pow64(x: f64, y: f64): f64 {
  if (y == 0) return 1.0;
  if (x != x || y != y) return NaN;
  const ay = abs<f64>(y);
  const yFinite = ay != Infinity;
  const yInt = yFinite && floor<f64>(y) == y;
  const yOdd = yInt && ay < 9007199254740992.0 && (<i64>y & 1) != 0;
  if (x == 0) {
    const negZero = (reinterpret<u64>(x) >> 63) != 0;
    if (y > 0) return negZero && yOdd ? -0.0 : 0.0;
    return negZero && yOdd ? -Infinity : Infinity;
  }
  const ax = abs<f64>(x);
  if (!yFinite) {
    if (ax == 1) return NaN;
    return (ax > 1) == (y > 0) ? Infinity : 0.0;
  }
  if (ax == Infinity) {
    if (x > 0) return y > 0 ? Infinity : 0.0;
    if (y > 0) return yOdd ? -Infinity : Infinity;
    return yOdd ? -0.0 : 0.0;
  }
  if (x < 0 && !yInt) return NaN;
  if (y == 1) return x;
  if (y == -1) return 1.0 / x;
  if (y == 2) return x * x;
  if (y == 0.5 && x > 0) return sqrt<f64>(x);
  const r = exp64(y * log64(ax));
  return x < 0 && yOdd ? -r : r;
}
