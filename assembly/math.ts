/**
 * Table-free math. AssemblyScript's Math/Mathf use lookup tables, which would
 * put a data segment into the module (forbidden: every instance would rewrite
 * it). So:
 * - f32x4 `exp4`, `log4`, `expm14`, `log1p4`, `tanh4`, `sigmoid4`: Cephes-style
 *   range reduction + polynomials, ≈ 1–2 ulp.
 * - scalar f32 `erff`/`erfcf` (musl/Sun polynomials), for the exact gelu.
 * - f64 `exp64`, `log64`, `cos64`: straight ports of fdlibm, the code V8 uses
 *   for Math.exp/log/cos, so Box–Muller normals match JavaScript bit for bit.
 */

// ---- f32x4 ---------------------------------------------------------------

/** e^x for four lanes; NaN → NaN, overflow → +∞, underflow → 0 (denormals kept). */
@inline export function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-104.0)), f32x4.splat(89.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** Natural log for four lanes; log(0) = −∞, log(x<0) = NaN, log(+∞) = +∞. */
@inline export function log4(x: v128): v128 {
  const small = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, small);
  const bits = xs;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(small, i32x4.splat(23)));
  const m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const lo = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  let ef = f32x4.convert_i32x4_s(e);
  ef = f32x4.sub(ef, v128.and(lo, f32x4.splat(1.0)));
  const t = f32x4.sub(f32x4.add(m, v128.and(lo, m)), f32x4.splat(1.0));
  const z = f32x4.mul(t, t);
  let y = f32x4.sub(f32x4.mul(f32x4.splat(7.0376836292e-2), t), f32x4.splat(1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, t), f32x4.splat(1.1676998740e-1));
  y = f32x4.sub(f32x4.mul(y, t), f32x4.splat(1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, t), f32x4.splat(1.4249322787e-1));
  y = f32x4.sub(f32x4.mul(y, t), f32x4.splat(1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, t), f32x4.splat(2.0000714765e-1));
  y = f32x4.sub(f32x4.mul(y, t), f32x4.splat(2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, t), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, t), z);
  y = f32x4.add(y, f32x4.mul(ef, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(t, y);
  r = f32x4.add(r, f32x4.mul(ef, f32x4.splat(0.693359375)));
  // Specials: NaN and negatives → NaN, 0 → −∞, +∞ → +∞.
  r = v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0.0))));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0.0)));
  r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
  return r;
}

/** e^x − 1, accurate near 0 (Taylor series for |x| < 0.7, exp − 1 beyond). */
@inline export function expm14(x: v128): v128 {
  let p = f32x4.splat(2.75573192e-6); // 1/9!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(2.48015873e-5)); // 1/8!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.98412698e-4)); // 1/7!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.38888889e-3)); // 1/6!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(8.33333333e-3)); // 1/5!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(4.16666667e-2)); // 1/4!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.66666667e-1)); // 1/3!
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(0.5));
  const poly = f32x4.add(f32x4.mul(f32x4.mul(p, x), x), x);
  const big = f32x4.sub(exp4(x), f32x4.splat(1.0));
  return v128.bitselect(poly, big, f32x4.lt(f32x4.abs(x), f32x4.splat(0.7)));
}

/** log(1 + x), accurate for small x (Goldberg's trick). */
@inline export function log1p4(x: v128): v128 {
  const w = f32x4.add(x, f32x4.splat(1.0));
  const d = f32x4.sub(w, f32x4.splat(1.0));
  const r = f32x4.div(f32x4.mul(log4(w), x), d);
  // w == 1 → x; w == +∞ → +∞ (r would be ∞/∞).
  let out = v128.bitselect(x, r, f32x4.eq(d, f32x4.splat(0.0)));
  out = v128.bitselect(w, out, f32x4.eq(w, f32x4.splat(Infinity)));
  return out;
}

/** 1 / (1 + e^−x). */
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/** tanh: odd polynomial for |x| < 0.625 (Cephes tanhf), 1 − 2/(e^{2|x|} + 1) beyond. */
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(-5.70498872745e-3), z), f32x4.splat(2.06390887954e-2));
  p = f32x4.sub(f32x4.mul(p, z), f32x4.splat(5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.sub(f32x4.mul(p, z), f32x4.splat(3.33332819422e-1));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(x, z), p));
  const e = exp4(f32x4.add(ax, ax));
  let big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  big = v128.or(big, v128.and(x, i32x4.splat(0x80000000))); // copy the sign of x
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)));
}

// ---- scalar f32 -----------------------------------------------------------

/** Scalar e^x through the vector routine (same bits as the vector lanes). */
@inline export function expf(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** musl erfc1: erfc(|x|) for 0.84375 ≤ |x| < 1.25. */
function erfc1(x: f32): f32 {
  const s = abs<f32>(x) - 1.0;
  const P: f32 = -2.3621185683e-03 + s * (4.1485610604e-01 + s * (-3.7220788002e-01 + s * (3.1834661961e-01 + s * (-1.1089469492e-01 + s * (3.5478305072e-02 + s * -2.1663755178e-03)))));
  const Q: f32 = 1.0 + s * (1.0642088205e-01 + s * (5.4039794207e-01 + s * (7.1828655899e-02 + s * (1.2617121637e-01 + s * (1.3637083583e-02 + s * 1.1984500103e-02)))));
  const erx: f32 = 8.4506291151e-01;
  return <f32>1.0 - erx - P / Q;
}

/** musl erfc2: erfc(|x|) for 0.84375 ≤ |x| < 28 (ax = |x|'s bits). */
function erfc2(ax: u32, x: f32): f32 {
  if (ax < 0x3fa00000) return erfc1(x);
  x = abs<f32>(x);
  const s: f32 = 1.0 / (x * x);
  let R: f32, S: f32;
  if (ax < 0x4036db6d) {
    R = -9.8649440333e-03 + s * (-6.9385856390e-01 + s * (-1.0558626175e+01 + s * (-6.2375331879e+01 + s * (-1.6239666748e+02 + s * (-1.8460508728e+02 + s * (-8.1287437439e+01 + s * -9.8143291473e+00))))));
    S = 1.0 + s * (1.9651271820e+01 + s * (1.3765776062e+02 + s * (4.3456588745e+02 + s * (6.4538726807e+02 + s * (4.2900814819e+02 + s * (1.0863500214e+02 + s * (6.5702495575e+00 + s * -6.0424413532e-02)))))));
  } else {
    R = -9.8649431020e-03 + s * (-7.9928326607e-01 + s * (-1.7757955551e+01 + s * (-1.6063638306e+02 + s * (-6.3756646729e+02 + s * (-1.0250950928e+03 + s * -4.8351919556e+02)))));
    S = 1.0 + s * (3.0338060379e+01 + s * (3.2579251099e+02 + s * (1.5367296143e+03 + s * (3.1998581543e+03 + s * (2.5530502930e+03 + s * (4.7452853394e+02 + s * -2.2440952301e+01))))));
  }
  const z = reinterpret<f32>(reinterpret<u32>(x) & 0xffffe000);
  return (expf(-z * z - 0.5625) * expf((z - x) * (z + x) + R / S)) / x;
}

/** musl's small-|x| rational approximation: erf(x) = x + x·y for |x| < 0.84375. */
@inline function erfSmallY(x: f32): f32 {
  const z = x * x;
  const r: f32 = 1.2837916613e-01 + z * (-3.2504209876e-01 + z * (-2.8481749818e-02 + z * (-5.7702702470e-03 + z * -2.3763017452e-05)));
  const s: f32 = 1.0 + z * (3.9791721106e-01 + z * (6.5022252500e-02 + z * (5.0813062117e-03 + z * (1.3249473704e-04 + z * -3.9602282413e-06))));
  return r / s;
}

/** Error function (musl erff, Sun polynomials, ≈ 1 ulp). */
export function erff(x: f32): f32 {
  const bits = reinterpret<u32>(x);
  const sign = bits >> 31;
  const ax = bits & 0x7fffffff;
  if (ax >= 0x7f800000) return (sign ? <f32>-1.0 : <f32>1.0) + <f32>1.0 / x;
  if (ax < 0x3f580000) {
    if (ax < 0x31800000) return 0.125 * (8.0 * x + <f32>1.0270333290e+00 * x);
    return x + x * erfSmallY(x);
  }
  const y: f32 = ax < 0x40c00000 ? 1.0 - erfc2(ax, x) : 1.0;
  return sign ? -y : y;
}

/** Complementary error function 1 − erf(x), accurate for large x (musl erfcf). */
export function erfcf(x: f32): f32 {
  const bits = reinterpret<u32>(x);
  const sign = bits >> 31;
  const ax = bits & 0x7fffffff;
  if (ax >= 0x7f800000) return (sign ? <f32>2.0 : <f32>0.0) + <f32>1.0 / x;
  if (ax < 0x3f580000) {
    if (ax < 0x23800000) return 1.0 - x;
    const y = erfSmallY(x);
    if (sign || ax < 0x3e800000) return 1.0 - (x + x * y);
    return 0.5 - (x - 0.5 + x * y);
  }
  if (ax < 0x41e00000) return sign ? 2.0 - erfc2(ax, x) : erfc2(ax, x);
  return sign ? 2.0 : 0.0;
}

// ---- f64, fdlibm ports ------------------------------------------------------

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
