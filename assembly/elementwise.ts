/**
 * Elementwise kernels: unary forward/backward (codes below, the same numbers as
 * UNARY_CODES in src/backend/wasm/exports.ts), clip, axpby, casts.
 *
 * Every op is written once as a v128 → v128 function; tails run the same
 * function on a splatted lane, so an element's result never depends on its
 * position. Loops are specialised per op by inlining with a constant code.
 */
import { erfcf, exp4, expf, expm14, log1p4, log4, sigmoid4, tanh4 } from './math';
import { pow64 } from './math64';

export const NEG = 0;
export const EXP = 1;
export const LOG = 2;
export const SQRT = 3;
export const SQUARE = 4;
export const ABS = 5;
export const SIGN = 6;
export const RECIPROCAL = 7;
export const POW_SCALAR = 8;
export const RELU = 9;
export const RELU6 = 10;
export const LEAKY_RELU = 11;
export const ELU = 12;
export const SELU = 13;
export const GELU = 14;
export const GELU_TANH = 15;
export const SIGMOID = 16;
export const HARD_SIGMOID = 17;
export const TANH = 18;
export const SOFTPLUS = 19;
export const SOFTSIGN = 20;
export const SWISH = 21;

const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_C: f32 = 0.044715;
const INV_SQRT2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

@inline function gt0(x: v128): v128 {
  return f32x4.gt(x, splat(0));
}

@inline function sign4(x: v128): v128 {
  const pos = v128.and(f32x4.gt(x, splat(0)), splat(1));
  const neg = v128.and(f32x4.lt(x, splat(0)), splat(-1));
  // ±0 and NaN (neither > 0 nor < 0) pass through unchanged.
  return v128.bitselect(v128.or(pos, neg), x, v128.or(f32x4.gt(x, splat(0)), f32x4.lt(x, splat(0))));
}

@inline function softplus4(x: v128): v128 {
  return f32x4.add(f32x4.max(x, splat(0)), log1p4(exp4(f32x4.neg(f32x4.abs(x)))));
}

/** The forward ops that have a vector form (all but gelu and powScalar). */
@inline function unaryVec(op: i32, x: v128, alpha: f32): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case EXP: return exp4(x);
    case LOG: return log4(x);
    case SQRT: return f32x4.sqrt(x);
    case SQUARE: return f32x4.mul(x, x);
    case ABS: return f32x4.abs(x);
    case SIGN: return sign4(x);
    case RECIPROCAL: return f32x4.div(splat(1), x);
    case RELU: return f32x4.max(x, splat(0));
    case RELU6: return f32x4.min(f32x4.max(x, splat(0)), splat(6));
    case LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, splat(alpha)), gt0(x));
    case ELU: return v128.bitselect(x, f32x4.mul(expm14(x), splat(alpha)), gt0(x));
    case SELU: return f32x4.mul(v128.bitselect(x, f32x4.mul(expm14(x), splat(SELU_ALPHA)), gt0(x)), splat(SELU_SCALE));
    case GELU_TANH: {
      const u = f32x4.mul(f32x4.add(x, f32x4.mul(f32x4.mul(f32x4.mul(x, x), x), splat(GELU_C))), splat(SQRT_2_OVER_PI));
      return f32x4.mul(x, sigmoid4(f32x4.add(u, u)));
    }
    case SIGMOID: return sigmoid4(x);
    case HARD_SIGMOID: return f32x4.div(f32x4.min(f32x4.max(f32x4.add(x, splat(3)), splat(0)), splat(6)), splat(6));
    case TANH: return tanh4(x);
    case SOFTPLUS: return softplus4(x);
    case SOFTSIGN: return f32x4.div(x, f32x4.add(splat(1), f32x4.abs(x)));
    case SWISH: return f32x4.mul(x, sigmoid4(x));
    default: return x;
  }
}

@inline function unaryLoop(op: i32, x: usize, y: usize, n: i32, alpha: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, unaryVec(op, v128.load(x + o), alpha));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(unaryVec(op, splat(load<f32>(x + o)), alpha), 0));
  }
}

/** Exact gelu: x·Φ(x) = ½·x·erfc(−x/√2). */
@inline function gelu1(x: f32): f32 {
  return 0.5 * x * erfcf(-x * INV_SQRT2);
}

/** y = f(x) for n elements; alpha is the op's scalar (slope, exponent…). */
export function unary(op: i32, x: usize, y: usize, n: i32, alpha: f32): void {
  switch (op) {
    case NEG: unaryLoop(NEG, x, y, n, alpha); break;
    case EXP: unaryLoop(EXP, x, y, n, alpha); break;
    case LOG: unaryLoop(LOG, x, y, n, alpha); break;
    case SQRT: unaryLoop(SQRT, x, y, n, alpha); break;
    case SQUARE: unaryLoop(SQUARE, x, y, n, alpha); break;
    case ABS: unaryLoop(ABS, x, y, n, alpha); break;
    case SIGN: unaryLoop(SIGN, x, y, n, alpha); break;
    case RECIPROCAL: unaryLoop(RECIPROCAL, x, y, n, alpha); break;
    case RELU: unaryLoop(RELU, x, y, n, alpha); break;
    case RELU6: unaryLoop(RELU6, x, y, n, alpha); break;
    case LEAKY_RELU: unaryLoop(LEAKY_RELU, x, y, n, alpha); break;
    case ELU: unaryLoop(ELU, x, y, n, alpha); break;
    case SELU: unaryLoop(SELU, x, y, n, alpha); break;
    case GELU_TANH: unaryLoop(GELU_TANH, x, y, n, alpha); break;
    case SIGMOID: unaryLoop(SIGMOID, x, y, n, alpha); break;
    case HARD_SIGMOID: unaryLoop(HARD_SIGMOID, x, y, n, alpha); break;
    case TANH: unaryLoop(TANH, x, y, n, alpha); break;
    case SOFTPLUS: unaryLoop(SOFTPLUS, x, y, n, alpha); break;
    case SOFTSIGN: unaryLoop(SOFTSIGN, x, y, n, alpha); break;
    case SWISH: unaryLoop(SWISH, x, y, n, alpha); break;
    case GELU:
      for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), gelu1(load<f32>(x + (<usize>i << 2))));
      break;
    case POW_SCALAR: {
      const a = <f64>alpha;
      if (alpha == 2) {
        unaryLoop(SQUARE, x, y, n, alpha);
      } else if (alpha == 1) {
        memory.copy(y, x, <usize>n << 2);
      } else {
        for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), <f32>pow64(<f64>load<f32>(x + (<usize>i << 2)), a));
      }
      break;
    }
    default:
      unreachable();
  }
}

/** dx for the ops with a vector form; x, y = f(x), dy. */
@inline function backwardVec(op: i32, x: v128, y: v128, dy: v128, alpha: f32): v128 {
  switch (op) {
    case NEG: return f32x4.neg(dy);
    case EXP: return f32x4.mul(dy, y);
    case LOG: return f32x4.div(dy, x);
    case SQRT: return f32x4.div(dy, f32x4.add(y, y));
    case SQUARE: return f32x4.mul(dy, f32x4.add(x, x));
    case ABS: return f32x4.mul(dy, sign4(x));
    case SIGN: return splat(0);
    case RECIPROCAL: return f32x4.neg(f32x4.mul(f32x4.mul(dy, y), y));
    case RELU: return v128.and(dy, gt0(x));
    case RELU6: return v128.and(dy, v128.and(gt0(x), f32x4.lt(x, splat(6))));
    case LEAKY_RELU: return v128.bitselect(dy, f32x4.mul(dy, splat(alpha)), gt0(x));
    case ELU: return v128.bitselect(dy, f32x4.mul(dy, f32x4.add(y, splat(alpha))), gt0(x));
    case SELU: return v128.bitselect(f32x4.mul(dy, splat(SELU_SCALE)), f32x4.mul(dy, f32x4.add(y, splat(SELU_SCALE * SELU_ALPHA))), gt0(x));
    case GELU_TANH: {
      const x2 = f32x4.mul(x, x);
      const u = f32x4.mul(f32x4.add(x, f32x4.mul(f32x4.mul(x2, x), splat(GELU_C))), splat(SQRT_2_OVER_PI));
      const t = tanh4(u);
      const du = f32x4.mul(f32x4.add(splat(1), f32x4.mul(x2, splat(3 * GELU_C))), splat(SQRT_2_OVER_PI));
      const half = splat(0.5);
      const d = f32x4.add(f32x4.mul(half, f32x4.add(splat(1), t)), f32x4.mul(f32x4.mul(f32x4.mul(half, x), f32x4.sub(splat(1), f32x4.mul(t, t))), du));
      return f32x4.mul(dy, d);
    }
    case SIGMOID: return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(splat(1), y)));
    case HARD_SIGMOID: return v128.and(f32x4.div(dy, splat(6)), v128.and(f32x4.gt(x, splat(-3)), f32x4.lt(x, splat(3))));
    case TANH: return f32x4.mul(dy, f32x4.sub(splat(1), f32x4.mul(y, y)));
    case SOFTPLUS: return f32x4.mul(dy, sigmoid4(x));
    case SOFTSIGN: {
      const d = f32x4.add(splat(1), f32x4.abs(x));
      return f32x4.div(dy, f32x4.mul(d, d));
    }
    case SWISH: {
      const s = sigmoid4(x);
      return f32x4.mul(dy, f32x4.mul(s, f32x4.add(splat(1), f32x4.mul(x, f32x4.sub(splat(1), s)))));
    }
    default: return dy;
  }
}

@inline function backwardLoop(op: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, backwardVec(op, v128.load(x + o), v128.load(y + o), v128.load(dy + o), alpha));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const r = backwardVec(op, splat(load<f32>(x + o)), splat(load<f32>(y + o)), splat(load<f32>(dy + o)), alpha);
    store<f32>(dx + o, f32x4.extract_lane(r, 0));
  }
}

/** dx = dy · f'(x) for n elements. */
export function unaryBackward(op: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  switch (op) {
    case NEG: backwardLoop(NEG, x, y, dy, dx, n, alpha); break;
    case EXP: backwardLoop(EXP, x, y, dy, dx, n, alpha); break;
    case LOG: backwardLoop(LOG, x, y, dy, dx, n, alpha); break;
    case SQRT: backwardLoop(SQRT, x, y, dy, dx, n, alpha); break;
    case SQUARE: backwardLoop(SQUARE, x, y, dy, dx, n, alpha); break;
    case ABS: backwardLoop(ABS, x, y, dy, dx, n, alpha); break;
    case SIGN: backwardLoop(SIGN, x, y, dy, dx, n, alpha); break;
    case RECIPROCAL: backwardLoop(RECIPROCAL, x, y, dy, dx, n, alpha); break;
    case RELU: backwardLoop(RELU, x, y, dy, dx, n, alpha); break;
    case RELU6: backwardLoop(RELU6, x, y, dy, dx, n, alpha); break;
    case LEAKY_RELU: backwardLoop(LEAKY_RELU, x, y, dy, dx, n, alpha); break;
    case ELU: backwardLoop(ELU, x, y, dy, dx, n, alpha); break;
    case SELU: backwardLoop(SELU, x, y, dy, dx, n, alpha); break;
    case GELU_TANH: backwardLoop(GELU_TANH, x, y, dy, dx, n, alpha); break;
    case SIGMOID: backwardLoop(SIGMOID, x, y, dy, dx, n, alpha); break;
    case HARD_SIGMOID: backwardLoop(HARD_SIGMOID, x, y, dy, dx, n, alpha); break;
    case TANH: backwardLoop(TANH, x, y, dy, dx, n, alpha); break;
    case SOFTPLUS: backwardLoop(SOFTPLUS, x, y, dy, dx, n, alpha); break;
    case SOFTSIGN: backwardLoop(SOFTSIGN, x, y, dy, dx, n, alpha); break;
    case SWISH: backwardLoop(SWISH, x, y, dy, dx, n, alpha); break;
    case GELU:
      for (let i = 0; i < n; i++) {
        const o = <usize>i << 2;
        const v = load<f32>(x + o);
        const cdf: f32 = 0.5 * erfcf(-v * INV_SQRT2);
        const pdf = expf(-0.5 * v * v) * INV_SQRT_2PI;
        store<f32>(dx + o, load<f32>(dy + o) * (cdf + v * pdf));
      }
      break;
    case POW_SCALAR: {
      const a = <f64>alpha;
      for (let i = 0; i < n; i++) {
        const o = <usize>i << 2;
        const d = a == 0 ? 0.0 : a * pow64(<f64>load<f32>(x + o), a - 1.0);
        store<f32>(dx + o, <f32>(<f64>load<f32>(dy + o) * d));
      }
      break;
    }
    default:
      unreachable();
  }
}

/** y = min(max(x, lo), hi); NaN stays NaN. */
export function clip(x: usize, y: usize, n: i32, lo: f32, hi: f32): void {
  const vl = splat(lo);
  const vh = splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.min(f32x4.max(v128.load(x + o), vl), vh));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(f32x4.min(f32x4.max(splat(load<f32>(x + o)), vl), vh), 0));
  }
}

/** dx = dy where lo ≤ x ≤ hi, else 0. */
export function clipBackward(x: usize, dy: usize, dx: usize, n: i32, lo: f32, hi: f32): void {
  const vl = splat(lo);
  const vh = splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(dx + o, v128.and(v128.load(dy + o), v128.and(f32x4.ge(v, vl), f32x4.le(v, vh))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(dx + o, v >= lo && v <= hi ? load<f32>(dy + o) : 0);
  }
}

/** out = a·x + b·y. */
export function axpby(a: f32, x: usize, b: f32, y: usize, out: usize, n: i32): void {
  const va = splat(a);
  const vb = splat(b);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(f32x4.mul(va, v128.load(x + o)), f32x4.mul(vb, v128.load(y + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, a * load<f32>(x + o) + b * load<f32>(y + o));
  }
}

/** int32 → float32. */
export function castToFloat(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.convert_i32x4_s(v128.load(x + o)));
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
}

/** float32 → int32, truncating toward zero (NaN → 0, saturating out of range). */
export function castToInt(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, i32x4.trunc_sat_f32x4_s(v128.load(x + o)));
  }
  for (; i < n; i++) store<i32>(y + (<usize>i << 2), i32x4.extract_lane(i32x4.trunc_sat_f32x4_s(v128.load32_splat(x + (<usize>i << 2))), 0));
}
