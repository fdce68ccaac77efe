/**
 * Counter-based randomness, the same algorithm as src/random.ts (Philox4x32-10):
 * element i of a uniform stream starting at counter c is word i % 4 of
 * philox(key, c + ⌊i/4⌋); uniforms are (bits >>> 8)·2⁻²⁴; normal i uses
 * uniforms 2i and 2i+1 through Box–Muller in f64 (fdlibm log/cos, as V8).
 * All mapping arithmetic is f64 rounded once to f32, as in JavaScript, so the
 * streams match the reference backend bit for bit.
 *
 * Uniforms and dropout masks run four Philox blocks at once in v128 lanes
 * (i64x2.extmul gives the 32×32→64 products); each kernel takes an element
 * range [start, end) — its last two parameters, as for every range kernel —
 * with start a multiple of 4, so threads can split it.
 */
import { cos64, log64 } from './math64';

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

namespace W {
  export let w0: u32 = 0;
  export let w1: u32 = 0;
  export let w2: u32 = 0;
  export let w3: u32 = 0;
  /** Four blocks from philox4: block j's words are lanes of B[j]. */
  export let b0: v128 = i32x4(0, 0, 0, 0);
  export let b1: v128 = i32x4(0, 0, 0, 0);
  export let b2: v128 = i32x4(0, 0, 0, 0);
  export let b3: v128 = i32x4(0, 0, 0, 0);
}

/** Philox4x32-10 of (key0, key1) and the 64-bit counter → W.w0…w3. */
function philox(key0: u32, key1: u32, ctr: u64): void {
  let c0 = <u32>ctr;
  let c1 = <u32>(ctr >> 32);
  let c2: u32 = 0;
  let c3: u32 = 0;
  let k0 = key0;
  let k1 = key1;
  for (let round = 0; round < 10; round++) {
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    c0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    c1 = <u32>p1;
    c2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c3 = <u32>p0;
    k0 += W0;
    k1 += W1;
  }
  W.w0 = c0;
  W.w1 = c1;
  W.w2 = c2;
  W.w3 = c3;
}

/** High 32 bits of the four unsigned 32×32 products a·m. */
@inline function mulhi4(a: v128, m: v128): v128 {
  return v128.shuffle<i32>(i64x2.extmul_low_i32x4_u(a, m), i64x2.extmul_high_i32x4_u(a, m), 1, 3, 5, 7);
}

/** Philox4x32-10 of blocks ctr … ctr+3 at once → W.b0…b3 (block-major). */
function philox4(key0: u32, key1: u32, ctr: u64): void {
  const lo = <u32>ctr;
  const hi = <u32>(ctr >> 32);
  // 64-bit counters ctr + j per lane: low words, and high words with the carry.
  let c0 = i32x4.add(i32x4.splat(lo), i32x4(0, 1, 2, 3));
  let c1 = i32x4.splat(hi);
  c1 = i32x4.sub(c1, i32x4.lt_u(c0, i32x4.splat(lo))); // lt_u gives −1 where the add wrapped
  let c2 = i32x4.splat(0);
  let c3 = i32x4.splat(0);
  const m0 = i32x4.splat(M0);
  const m1 = i32x4.splat(M1);
  let k0 = key0;
  let k1 = key1;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi4(c0, m0);
    const lo0 = i32x4.mul(c0, m0);
    const hi1 = mulhi4(c2, m1);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(k0));
    c1 = lo1;
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(k1));
    c3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  // Transpose (word-major → block-major).
  const t0 = v128.shuffle<i32>(c0, c1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(c2, c3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(c0, c1, 2, 6, 3, 7);
  const t3 = v128.shuffle<i32>(c2, c3, 2, 6, 3, 7);
  W.b0 = v128.shuffle<i32>(t0, t1, 0, 1, 4, 5);
  W.b1 = v128.shuffle<i32>(t0, t1, 2, 3, 6, 7);
  W.b2 = v128.shuffle<i32>(t2, t3, 0, 1, 4, 5);
  W.b3 = v128.shuffle<i32>(t2, t3, 2, 3, 6, 7);
}

@inline function word(j: i32): u32 {
  return j == 0 ? W.w0 : j == 1 ? W.w1 : j == 2 ? W.w2 : W.w3;
}

@inline function toUniform(bits: u32): f64 {
  return <f64>(bits >>> 8) * 5.960464477539063e-8;
}

@inline function counterOf(lo: u32, hi: u32): u64 {
  return (<u64>hi << 32) | <u64>lo;
}

/** lo + span·u for four words, in f64 and rounded once to f32. */
@inline function uniform4(bits: v128, lo: v128, span: v128): v128 {
  const k = i32x4.shr_u(bits, 8);
  const scale = f64x2.splat(5.960464477539063e-8);
  const a = f64x2.add(lo, f64x2.mul(span, f64x2.mul(f64x2.convert_low_i32x4_u(k), scale)));
  const b = f64x2.add(lo, f64x2.mul(span, f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<i32>(k, k, 2, 3, 0, 1)), scale)));
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** out[i] = lo + (hi − lo)·u_i for i in [start, end) (start % 4 == 0); out points at element 0. */
export function randomUniform(out: usize, key0: u32, key1: u32, ctrLo: u32, ctrHi: u32, lo: f64, hi: f64, start: i32, end: i32): void {
  const span = hi - lo;
  const c = counterOf(ctrLo, ctrHi);
  const vlo = f64x2.splat(lo);
  const vspan = f64x2.splat(span);
  let i = start;
  for (; i + 16 <= end; i += 16) {
    philox4(key0, key1, c + <u64>(i >> 2));
    const o = out + (<usize>i << 2);
    v128.store(o, uniform4(W.b0, vlo, vspan));
    v128.store(o, uniform4(W.b1, vlo, vspan), 16);
    v128.store(o, uniform4(W.b2, vlo, vspan), 32);
    v128.store(o, uniform4(W.b3, vlo, vspan), 48);
  }
  for (; i < end; i += 4) {
    philox(key0, key1, c + <u64>(i >> 2));
    const m = min(4, end - i);
    for (let j = 0; j < m; j++) store<f32>(out + (<usize>(i + j) << 2), <f32>(lo + span * toUniform(word(j))));
  }
}

@inline function boxMuller(u1: f64, u2: f64): f64 {
  return sqrt<f64>(-2.0 * log64(1.0 - u1)) * cos64(6.283185307179586 * u2);
}

/** out[i] = mean + std·z_i, z_i = Box–Muller(u_2i, u_2i+1), for i in [start, end) (start even). */
export function randomNormal(out: usize, key0: u32, key1: u32, ctrLo: u32, ctrHi: u32, mean: f64, std: f64, start: i32, end: i32): void {
  const c = counterOf(ctrLo, ctrHi);
  for (let i = start; i < end; i += 2) {
    philox(key0, key1, c + <u64>(i >> 1));
    store<f32>(out + (<usize>i << 2), <f32>(mean + std * boxMuller(toUniform(W.w0), toUniform(W.w1))));
    if (i + 1 < end) store<f32>(out + (<usize>(i + 1) << 2), <f32>(mean + std * boxMuller(toUniform(W.w2), toUniform(W.w3))));
  }
}

/** out[i] = u_i ≥ rate ? f32(1/(1 − rate)) : 0 for i in [start, end) (start % 4 == 0). */
export function dropoutMask(out: usize, key0: u32, key1: u32, ctrLo: u32, ctrHi: u32, rate: f64, start: i32, end: i32): void {
  const scale = rate >= 1 ? <f32>0 : <f32>(1.0 / (1.0 - rate));
  const c = counterOf(ctrLo, ctrHi);
  // u ≥ rate ⇔ (bits >>> 8) ≥ ⌈rate·2²⁴⌉, exactly (u = (bits >>> 8)·2⁻²⁴).
  const t = ceil<f64>(rate * 16777216.0);
  const threshold = rate != rate || t > 16777216.0 ? 16777217 : t <= 0 ? 0 : <i32>t;
  const vt = i32x4.splat(threshold);
  const vs = f32x4.splat(scale);
  let i = start;
  for (; i + 16 <= end; i += 16) {
    philox4(key0, key1, c + <u64>(i >> 2));
    const o = out + (<usize>i << 2);
    v128.store(o, v128.and(vs, i32x4.ge_s(i32x4.shr_u(W.b0, 8), vt)));
    v128.store(o, v128.and(vs, i32x4.ge_s(i32x4.shr_u(W.b1, 8), vt)), 16);
    v128.store(o, v128.and(vs, i32x4.ge_s(i32x4.shr_u(W.b2, 8), vt)), 32);
    v128.store(o, v128.and(vs, i32x4.ge_s(i32x4.shr_u(W.b3, 8), vt)), 48);
  }
  for (; i < end; i += 4) {
    philox(key0, key1, c + <u64>(i >> 2));
    const m = min(4, end - i);
    for (let j = 0; j < m; j++) store<f32>(out + (<usize>(i + j) << 2), <i32>(word(j) >>> 8) >= threshold ? scale : 0);
  }
}
