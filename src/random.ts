/**
 * Randomness: one seeded, splittable, counter-based generator (Philox4x32-10).
 *
 * Every random number is a pure function of `(key, counter)`, so a stream can be
 * generated in any order, in any number of threads, by the TypeScript reference
 * backend or by the WebAssembly kernels, and give the same bits. `Math.random`
 * is never used anywhere in Regula.
 *
 * - `new Rng(seed)` keys a generator from a 53-bit integer seed.
 * - `rng.split()` derives an independent child generator (for a layer, a step…).
 * - `rng.take(n)` reserves `n` counter blocks and returns where they start, so a
 *   kernel can fill `4·n` values from `(key, start)` on its own.
 * - `uniform`, `normal`, `uint32`, `int(n)`, `shuffle` are the conveniences.
 *
 * Element `i` of a stream starting at counter `c` is word `i % 4` of
 * `philox(key, c + floor(i / 4))`. Uniforms are `(bits >>> 8) · 2⁻²⁴ ∈ [0, 1)`;
 * normals use Box–Muller on two uniforms (element 2j and 2j+1 of the stream).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the unsigned 64-bit product a·b. */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const hilo = aHi * bLo;
  const lohi = aLo * bHi;
  const hihi = aHi * bHi;
  const cross = (lolo >>> 16) + (hilo & 0xffff) + lohi;
  return (hihi + (hilo >>> 16) + Math.floor(cross / 0x10000)) >>> 0;
}

/**
 * Philox4x32-10 block function (Salmon et al. 2011, Random123): writes 4 random
 * uint32 words for the key `(key0, key1)` and the counter
 * `(ctrLo, ctrHi, ctr2, ctr3)` into `out[o..o+3]`. Regula's streams use only
 * the low 64 counter bits; the upper two words exist for the known-answer tests.
 */
export function philox(
  key0: number,
  key1: number,
  ctrLo: number,
  ctrHi: number,
  out: Uint32Array,
  o = 0,
  ctr2 = 0,
  ctr3 = 0,
): void {
  let c0 = ctrLo >>> 0;
  let c1 = ctrHi >>> 0;
  let c2 = ctr2 >>> 0;
  let c3 = ctr3 >>> 0;
  let k0 = key0 >>> 0;
  let k1 = key1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[o] = c0;
  out[o + 1] = c1;
  out[o + 2] = c2;
  out[o + 3] = c3;
}

/** Converts a uint32 to a float in [0, 1) with 24 bits of precision (exact in float32). */
export function bitsToUniform(bits: number): number {
  return (bits >>> 8) * 5.960464477539063e-8;
}

/** Box–Muller: two uniforms in [0,1) → one standard normal (the cosine branch). */
export function boxMuller(u1: number, u2: number): number {
  // 1 - u1 is in (0, 1], so the log is finite.
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** A counter-based stream position: everything a kernel needs to regenerate numbers. */
export interface RandomStream {
  readonly key0: number;
  readonly key1: number;
  /** Counter block where the stream starts (fits in 2^53). */
  readonly counter: number;
}

/** Fills `out` with the uniform stream `(key, counter)` mapped to [lo, hi). */
export function fillUniform(s: RandomStream, out: Float32Array | Float64Array, lo = 0, hi = 1): void {
  const words = new Uint32Array(4);
  const n = out.length;
  const span = hi - lo;
  for (let i = 0; i < n; i += 4) {
    const c = s.counter + i / 4;
    philox(s.key0, s.key1, c % 0x100000000, Math.floor(c / 0x100000000), words);
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = lo + span * bitsToUniform(words[j]!);
  }
}

/** Fills `out` with normals N(mean, std²): element i uses uniforms 2i and 2i+1 of the stream. */
export function fillNormal(s: RandomStream, out: Float32Array | Float64Array, mean = 0, std = 1): void {
  const words = new Uint32Array(4);
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    const c = s.counter + i / 2;
    philox(s.key0, s.key1, c % 0x100000000, Math.floor(c / 0x100000000), words);
    out[i] = mean + std * boxMuller(bitsToUniform(words[0]!), bitsToUniform(words[1]!));
    if (i + 1 < n) out[i + 1] = mean + std * boxMuller(bitsToUniform(words[2]!), bitsToUniform(words[3]!));
  }
}

/** Number of counter blocks a uniform stream of n values uses. */
export function uniformBlocks(n: number): number {
  return Math.ceil(n / 4);
}

/** Number of counter blocks a normal stream of n values uses. */
export function normalBlocks(n: number): number {
  return Math.ceil(n / 2);
}

/** Everything needed to continue an `Rng` exactly (saved with training state). */
export interface RngState {
  key0: number;
  key1: number;
  counter: number;
  splits: number;
  bufPos: number;
}

/**
 * A seeded, splittable random generator. Same seed → same numbers on every
 * platform, backend and thread count.
 *
 * @example
 * const rng = new Rng(42);
 * const u = rng.uniform();          // in [0, 1)
 * const child = rng.split();        // independent stream
 */
export class Rng {
  readonly key0: number;
  readonly key1: number;
  private counter = 0;
  private splits = 0;
  private readonly buf = new Uint32Array(4);
  private bufPos = 4;

  constructor(seed: number | { key0: number; key1: number } = 0) {
    if (typeof seed === 'number') {
      if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
        throw new Error(`Rng: seed must be an integer, got ${seed}`);
      }
      const s = Math.abs(seed);
      // Mix the seed through one Philox block so nearby seeds give unrelated keys.
      const w = new Uint32Array(4);
      philox(0x85ebca6b, 0xc2b2ae35, s % 0x100000000, Math.floor(s / 0x100000000) + (seed < 0 ? 0x80000000 : 0), w);
      this.key0 = w[0]!;
      this.key1 = w[1]!;
    } else {
      this.key0 = seed.key0 >>> 0;
      this.key1 = seed.key1 >>> 0;
    }
  }

  /** An independent child generator; the n-th split of a parent is always the same. */
  split(): Rng {
    const w = new Uint32Array(4);
    philox(this.key0 ^ 0x3c6ef372, this.key1 ^ 0xa54ff53a, this.splits++, 0xffffffff, w);
    return new Rng({ key0: w[0]!, key1: w[1]! });
  }

  /**
   * Reserves `blocks` counter blocks and returns the stream that starts there.
   * Words left in a block partly used by `uint32()` are dropped, so the state
   * stays (key, counter, bufPos) with the buffered block always `counter − 1`
   * and `getState`/`fromState` continue exactly.
   */
  take(blocks: number): RandomStream {
    if (!Number.isSafeInteger(blocks) || blocks < 0) throw new Error(`Rng.take: blocks must be a non-negative integer, got ${blocks}`);
    const s = { key0: this.key0, key1: this.key1, counter: this.counter };
    this.counter += blocks;
    this.bufPos = 4;
    return s;
  }

  /** Stream for `n` uniform values (reserves the blocks). */
  uniformStream(n: number): RandomStream {
    return this.take(uniformBlocks(n));
  }

  /** Stream for `n` normal values (reserves the blocks). */
  normalStream(n: number): RandomStream {
    return this.take(normalBlocks(n));
  }

  /** Next uint32. */
  uint32(): number {
    if (this.bufPos === 4) {
      const c = this.counter++;
      philox(this.key0, this.key1, c % 0x100000000, Math.floor(c / 0x100000000), this.buf);
      this.bufPos = 0;
    }
    return this.buf[this.bufPos++]!;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return bitsToUniform(this.uint32());
  }

  /** Standard normal. */
  normal(): number {
    return boxMuller(this.uniform(), this.uniform());
  }

  /** Integer uniform in [0, n) (n ≤ 2^32), without modulo bias. */
  int(n: number): number {
    if (!(n > 0) || n > 0x100000000 || !Number.isInteger(n)) throw new Error(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** Serializable state (for exact resume). */
  getState(): RngState {
    return { key0: this.key0, key1: this.key1, counter: this.counter, splits: this.splits, bufPos: this.bufPos };
  }

  /** Restores a state produced by `getState`. */
  static fromState(s: RngState): Rng {
    const r = new Rng({ key0: s.key0, key1: s.key1 });
    r.counter = s.counter;
    r.splits = s.splits;
    r.bufPos = s.bufPos;
    if (s.bufPos < 4) {
      // Regenerate the partly used block so the next uint32() continues exactly.
      const c = s.counter - 1;
      philox(r.key0, r.key1, c % 0x100000000, Math.floor(c / 0x100000000), r.buf);
    }
    return r;
  }
}

let globalRoot = new Rng(0);

/**
 * Seeds the global generator that random ops given no seed draw from
 * (`randomNormal([4])`); it starts at seed 0, so a program is reproducible
 * even without calling this. Keras's `keras.utils.set_random_seed`,
 * TF.js's implicit global stream.
 */
export function setSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new Error(`setSeed: seed must be an integer, got ${String(seed)}`);
  globalRoot = new Rng(seed);
}

/** The next independent stream of the global generator (each call advances it). */
export function nextGlobalRng(): Rng {
  return globalRoot.split();
}
