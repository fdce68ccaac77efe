/**
 * Counter-based randomness, the same algorithm as src/random.ts (Philox4x32-10):
 * element i of a uniform stream starting at counter c is word i % 4 of
 * philox(key, c + ⌊i/4⌋); uniforms are (bits >>> 8)·2⁻²⁴; normal i uses
 * uniforms 2i and 2i+1 through Box–Muller in f64 (fdlibm log/cos, as V8).
 * All mapping arithmetic is f64 rounded once to f32, as in JavaScript.
 */
import { cos64, log64 } from './math';

namespace W {
  export let w0: u32 = 0;
  export let w1: u32 = 0;
  export let w2: u32 = 0;
  export let w3: u32 = 0;
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
    const p0 = <u64>0xd2511f53 * <u64>c0;
    const p1 = <u64>0xcd9e8d57 * <u64>c2;
    const hi0 = <u32>(p0 >> 32);
    const lo0 = <u32>p0;
    const hi1 = <u32>(p1 >> 32);
    const lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += 0x9e3779b9;
    k1 += 0xbb67ae85;
  }
  W.w0 = c0;
  W.w1 = c1;
  W.w2 = c2;
  W.w3 = c3;
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

/** out[i] = lo + (hi − lo)·u_i for n elements. */
export function randomUniform(out: usize, n: i32, key0: u32, key1: u32, ctrLo: u32, ctrHi: u32, lo: f64, hi: f64): void {
  const span = hi - lo;
  const c = counterOf(ctrLo, ctrHi);
  for (let i = 0; i < n; i += 4) {
    philox(key0, key1, c + <u64>(i >> 2));
    const m = min(4, n - i);
    for (let j = 0; j < m; j++) store<f32>(out + (<usize>(i + j) << 2), <f32>(lo + span * toUniform(word(j))));
  }
}

@inline function boxMuller(u1: f64, u2: f64): f64 {
  return sqrt<f64>(-2.0 * log64(1.0 - u1)) * cos64(6.283185307179586 * u2);
}

/** out[i] = mean + std·z_i, z_i = Box–Muller(u_2i, u_2i+1). */
export function randomNormal(out: usize, n: i32, key0: u32, key1: u32, ctrLo: u32, ctrHi: u32, mean: f64, std: f64): void {
  const c = counterOf(ctrLo, ctrHi);
  for (let i = 0; i < n; i += 2) {
    philox(key0, key1, c + <u64>(i >> 1));
    store<f32>(out + (<usize>i << 2), <f32>(mean + std * boxMuller(toUniform(W.w0), toUniform(W.w1))));
    if (i + 1 < n) store<f32>(out + (<usize>(i + 1) << 2), <f32>(mean + std * boxMuller(toUniform(W.w2), toUniform(W.w3))));
  }
}

/** out[i] = u_i ≥ rate ? 1/(1 − rate) : 0. */
export function dropoutMask(out: usize, n: i32, key0: u32, key1: u32, ctrLo: u32, ctrHi: u32, rate: f64): void {
  const scale = <f32>(1.0 / (1.0 - rate));
  const c = counterOf(ctrLo, ctrHi);
  for (let i = 0; i < n; i += 4) {
    philox(key0, key1, c + <u64>(i >> 2));
    const m = min(4, n - i);
    for (let j = 0; j < m; j++) store<f32>(out + (<usize>(i + j) << 2), toUniform(word(j)) >= rate ? scale : 0);
  }
}
