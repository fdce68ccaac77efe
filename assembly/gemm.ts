/**
 * Blocked, packed f32 GEMM with v128 register tiles — 5×8 (SIMD module) or
 * 6×8 (relaxed-SIMD module) for plain products, 4×8 for conv patches — in
 * BLIS loop order:
 *
 *   for jc (NC columns) → for pc (KC depth, pack B) → for ic (MC rows, pack A)
 *     → for jr (NR) → for ir (MR) → micro-kernel
 *
 * What varies between products is only how A and B are packed (gemm-pack.ts):
 * plain or transposed matrices, or conv1d patches read straight from the
 * input (no im2col buffer). One driver therefore serves matmul with every
 * transpose flag and all three conv1d kernels.
 *
 * Determinism: every C element is Σ over KC blocks, each block summed
 * sequentially in k, in an order that depends only on K — never on the row or
 * column range a thread was given. Any split over threads gives identical bits.
 *
 * The driver reads its operands from module globals (`G`), set by the entry
 * points. Globals are per instance, i.e. per thread; nothing is shared.
 */
import { sigmoid4, tanh4 } from './math';
import { madd } from './simd';
import { A_COL, A_ROW, B_COL, B_ROW, G, KC, MC, MC5, MC6, MR, MR5, MR6, NC, NR, packA, packB } from './gemm-pack';
import { packA6, packAPlain } from './gemm-pack-plain';

export const ACT_LINEAR = 0;
export const ACT_RELU = 1;
export const ACT_SIGMOID = 2;
export const ACT_TANH = 3;

/** Bytes of per-thread scratch the driver needs (packed A block, packed B block, one C tile). */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR6 * NR) * 4;
}

/**
 * 4×8 micro-kernel: acc = Σ_q a[q,0..3] ⊗ b[q,0..7] (`madd`: separate or,
 * in the relaxed-SIMD module, fused multiply-adds); then C = acc, or C += acc
 * when `accumulate`. `ldc` is the row stride of C in bytes.
 */
function micro(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + (<usize>kc << 4);
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    ap += 16;
    bp += 32;
  }
  let cp = c;
  if (accumulate) {
    v128.store(cp, f32x4.add(v128.load(cp), c00));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c10));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c20));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c30));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
  } else {
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    cp += ldc;
    v128.store(cp, c10);
    v128.store(cp, c11, 16);
    cp += ldc;
    v128.store(cp, c20);
    v128.store(cp, c21, 16);
    cp += ldc;
    v128.store(cp, c30);
    v128.store(cp, c31, 16);
  }
}

/**
 * 6×8 micro-kernel of the relaxed-SIMD module for plain products: as `micro`
 * with six rows of A per depth step (12 accumulators; with fused
 * multiply-adds they fit the 16 vector registers without spilling, with mul +
 * add they do not, so the SIMD module keeps 4×8). Each C element adds the
 * same products in the same order as in `micro`.
 */
function micro6(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * 24;
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(ap, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    av = v128.load32_splat(ap, 20);
    c50 = madd(av, b0, c50);
    c51 = madd(av, b1, c51);
    ap += 24;
    bp += 32;
  }
  let cp = c;
  if (accumulate) {
    v128.store(cp, f32x4.add(v128.load(cp), c00));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c10));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c20));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c30));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c40));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c41), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c50));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c51), 16);
  } else {
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    cp += ldc;
    v128.store(cp, c10);
    v128.store(cp, c11, 16);
    cp += ldc;
    v128.store(cp, c20);
    v128.store(cp, c21, 16);
    cp += ldc;
    v128.store(cp, c30);
    v128.store(cp, c31, 16);
    cp += ldc;
    v128.store(cp, c40);
    v128.store(cp, c41, 16);
    cp += ldc;
    v128.store(cp, c50);
    v128.store(cp, c51, 16);
  }
}

/**
 * 5×8 micro-kernel of the SIMD module for plain products: ten accumulators,
 * two B vectors, the A splat and the product's temporary fit the 16 vector
 * registers (6×8 spills with separate mul + add). Each C element adds the
 * same products in the same order as in `micro`.
 */
function micro5(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let ap = a;
  let bp = b;
  const end = a + <usize>kc * 20;
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(ap, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    ap += 20;
    bp += 32;
  }
  let cp = c;
  if (accumulate) {
    v128.store(cp, f32x4.add(v128.load(cp), c00));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c10));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c20));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c30));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
    cp += ldc;
    v128.store(cp, f32x4.add(v128.load(cp), c40));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c41), 16);
  } else {
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    cp += ldc;
    v128.store(cp, c10);
    v128.store(cp, c11, 16);
    cp += ldc;
    v128.store(cp, c20);
    v128.store(cp, c21, 16);
    cp += ldc;
    v128.store(cp, c30);
    v128.store(cp, c31, 16);
    cp += ldc;
    v128.store(cp, c40);
    v128.store(cp, c41, 16);
  }
}

/** Applies the activation to four lanes. */
@inline function activate(v: v128, act: i32): v128 {
  if (act == ACT_RELU) return f32x4.max(v, f32x4.splat(0));
  if (act == ACT_SIGMOID) return sigmoid4(v);
  if (act == ACT_TANH) return tanh4(v);
  return v;
}

/** Epilogue on C[i0..i0+rows, j0..j0+cols]: + bias[j], then the activation. */
function epilogue(i0: i32, rows: i32, j0: i32, cols: i32): void {
  const act = G.act;
  const bias = G.bias;
  if (bias == 0 && act == ACT_LINEAR) return;
  const ldc = <usize>G.n << 2;
  for (let r = 0; r < rows; r++) {
    const row = G.c + <usize>(i0 + r) * ldc + (<usize>j0 << 2);
    const bp = bias + (<usize>j0 << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      let v = v128.load(row + o);
      if (bias != 0) v = f32x4.add(v, v128.load(bp + o));
      v128.store(row + o, activate(v, act));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      let v = f32x4.splat(load<f32>(row + o));
      if (bias != 0) v = f32x4.add(v, f32x4.splat(load<f32>(bp + o)));
      store<f32>(row + o, f32x4.extract_lane(activate(v, act), 0));
    }
  }
}

/**
 * Computes C[r0..r1, c0..c1] of C = op(A)·op(B) (+ bias, activation) for the
 * operands described by `G`. `scratch` holds gemmScratchBytes() bytes.
 */
export function gemmDriver(r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize): void {
  if (r1 <= r0 || c1 <= c0) return;
  const K = G.k;
  const ldc = <usize>G.n << 2;
  const packedA = scratch;
  const packedB = packedA + <usize>(MC * KC) * 4;
  const tile = packedB + <usize>(KC * NC) * 4;
  if (K == 0) {
    for (let i = r0; i < r1; i++) memory.fill(G.c + <usize>i * ldc + (<usize>c0 << 2), 0, <usize>(c1 - c0) << 2);
    epilogue(r0, r1 - r0, c0, c1 - c0);
    return;
  }
  // Plain products: 6×8 tiles in the relaxed-SIMD module, 5×8 in the SIMD module; conv patches (4-row panels) 4×8.
  const plain = G.modeA == A_ROW || G.modeA == A_COL;
  const six = ASC_FEATURE_RELAXED_SIMD && plain;
  const five = !ASC_FEATURE_RELAXED_SIMD && plain;
  const mr = six ? MR6 : five ? MR5 : MR;
  const mcBlock = six ? MC6 : five ? MC5 : MC;
  for (let jc = c0; jc < c1; jc += NC) {
    const nc = min(NC, c1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const accumulate = pc > 0;
      packB(packedB, pc, kc, jc, nc);
      for (let ic = r0; ic < r1; ic += mcBlock) {
        const mc = min(mcBlock, r1 - ic);
        if (six) packA6(packedA, ic, mc, pc, kc);
        else if (five) packAPlain(packedA, ic, mc, pc, kc, MR5);
        else packA(packedA, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = packedB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += mr) {
            const rows = min(mr, mc - ir);
            const ap = packedA + <usize>(ir * kc) * 4;
            const cp = G.c + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            if (rows == mr && cols == NR) {
              if (six) micro6(ap, bp, cp, kc, ldc, accumulate);
              else if (five) micro5(ap, bp, cp, kc, ldc, accumulate);
              else micro(ap, bp, cp, kc, ldc, accumulate);
            } else {
              if (six) micro6(ap, bp, tile, kc, NR * 4, false);
              else if (five) micro5(ap, bp, tile, kc, NR * 4, false);
              else micro(ap, bp, tile, kc, NR * 4, false);
              for (let r = 0; r < rows; r++) {
                for (let j = 0; j < cols; j++) {
                  const dst = cp + <usize>r * ldc + (<usize>j << 2);
                  const t = load<f32>(tile + (<usize>(r * NR + j) << 2));
                  store<f32>(dst, accumulate ? load<f32>(dst) + t : t);
                }
              }
            }
          }
        }
        if (pc + kc >= K) epilogue(ic, mc, jc, nc);
      }
    }
  }
}

/**
 * C[b] = op(A[b])·op(B[b]) (+ bias, activation) for b < batch; C is [batch, m, n].
 * Computes global rows r0..r1 of the [batch·m, n] result, columns c0..c1 (the
 * thread's share). flags: bit 0 transA (A stored [k, m]), bit 1 transB (B
 * stored [n, k]), bits 2–3 the activation (ACT_*). Strides are in elements;
 * 0 broadcasts one matrix over the batch. bias is 0 or a pointer to n floats.
 */
export function gemm(
  a: usize, b: usize, c: usize, bias: usize,
  batch: i32, m: i32, k: i32, n: i32, aStride: i32, bStride: i32, flags: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, scratch: usize,
): void {
  G.modeA = flags & 1 ? A_COL : A_ROW;
  G.modeB = flags & 2 ? B_COL : B_ROW;
  G.act = (flags >> 2) & 3;
  G.bias = bias;
  G.m = m;
  G.k = k;
  G.n = n;
  if (m == 0) return;
  const bFirst = r0 / m;
  for (let bi = bFirst; bi < batch; bi++) {
    const lo = max(r0 - bi * m, 0);
    const hi = min(r1 - bi * m, m);
    if (hi <= 0) break;
    G.a = a + (<usize>bi * <usize>aStride << 2);
    G.b = b + (<usize>bi * <usize>bStride << 2);
    G.c = c + (<usize>bi * <usize>m * <usize>n << 2);
    gemmDriver(lo, hi, c0, c1, scratch);
  }
}
