/**
 * Table-free math. AssemblyScript's Math/Mathf use lookup tables, which would
 * put a data segment into the module (forbidden: every instance would rewrite
 * it). So:
 * - f32x4 `exp4`, `log4`, `expm14`, `log1p4`, `tanh4`, `sigmoid4`: Cephes-style
 *   range reduction + polynomials, ≈ 1–2 ulp.
 * - scalar f32 `erff`/`erfcf` (musl/Sun polynomials), for the exact gelu.
 * - f64 `exp64`, `log64`, `cos64`, `pow64` live in math64.ts.
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
