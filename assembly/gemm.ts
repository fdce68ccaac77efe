/**
 * Blocked, packed f32 GEMM with v128 register tiles (assembly/gemm-micro.ts)
 * — 5×8 and 4×8 (SIMD module) or 6×8 and 5×8 (relaxed-SIMD module) for plain
 * products, 4×8 for conv patches — in BLIS loop order:
 *
 *   for jc (NC columns) → for pc (KC depth, pack B) → for ic (MC rows, pack A)
 *     → for jr (NR) → for ir (tile rows) → micro-kernel
 *
 * What varies between products is only how A and B are packed (gemm-pack.ts,
 * gemm-pack-plain.ts): plain or transposed matrices, or conv1d patches read
 * straight from the input (no im2col buffer). One driver therefore serves
 * matmul with every transpose flag and all three conv1d kernels. Small plain
 * products skip work that does not pay off at their size: n < 8 and k = 1
 * take their own loops (gemm-narrow.ts), and small operands whose layout
 * allows it are read in place instead of packed.
 *
 * Determinism: every C element is Σ over KC blocks, each block summed
 * sequentially in k from +0, in an order that depends only on K — never on
 * the row or column range a thread was given, the tile an element lands in,
 * or whether an operand was packed. Any split over threads gives identical bits.
 *
 * The driver reads its operands from module globals (`G`), set by the entry
 * points. Globals are per instance, i.e. per thread; nothing is shared.
 */
import { sigmoid4, tanh4 } from './math';
import { A_COL, A_ROW, B_COL, B_ROW, G, KC, MC, MC5, MC6, MR, MR5, MR6, NC, NR, packA, packB } from './gemm-pack';
import { packA6, packAPlain } from './gemm-pack-plain';
import { microTile } from './gemm-micro';
import { colsTile, microRows } from './gemm-micro-edge';
import { gemmNarrow, gemmOuter } from './gemm-narrow';

export const ACT_LINEAR = 0;
export const ACT_RELU = 1;
export const ACT_SIGMOID = 2;
export const ACT_TANH = 3;

/** Bytes of per-thread scratch the driver needs (packed A block, packed B block, one C tile). */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR6 * NR) * 4;
}

/** Applies the activation to four lanes (`act` a constant after inlining). */
@inline function activate(v: v128, act: i32): v128 {
  if (act == ACT_RELU) return f32x4.max(v, f32x4.splat(0));
  if (act == ACT_SIGMOID) return sigmoid4(v);
  if (act == ACT_TANH) return tanh4(v);
  return v;
}

/** One row segment of the epilogue: + bias (when hasBias), then the activation (one loop per act after inlining). */
@inline function epilogueRow(row: usize, bp: usize, cols: i32, act: i32, hasBias: bool): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    let v = v128.load(row + o);
    if (hasBias) v = f32x4.add(v, v128.load(bp + o));
    v128.store(row + o, activate(v, act));
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    let v = f32x4.splat(load<f32>(row + o));
    if (hasBias) v = f32x4.add(v, f32x4.splat(load<f32>(bp + o)));
    store<f32>(row + o, f32x4.extract_lane(activate(v, act), 0));
  }
}

/** Epilogue on C[i0..i0+rows, j0..j0+cols]: + bias[j], then the activation. */
function epilogue(i0: i32, rows: i32, j0: i32, cols: i32): void {
  const act = G.act;
  const bias = G.bias;
  if (bias == 0 && act == ACT_LINEAR) return;
  const ldc = <usize>G.n << 2;
  const bp = bias + (<usize>j0 << 2);
  const hasBias = bias != 0;
  let row = G.c + <usize>i0 * ldc + (<usize>j0 << 2);
  for (let r = 0; r < rows; r++) {
    if (act == ACT_RELU) epilogueRow(row, bp, cols, ACT_RELU, hasBias);
    else if (act == ACT_SIGMOID) epilogueRow(row, bp, cols, ACT_SIGMOID, hasBias);
    else if (act == ACT_TANH) epilogueRow(row, bp, cols, ACT_TANH, hasBias);
    else epilogueRow(row, bp, cols, ACT_LINEAR, true);
    row += ldc;
  }
}

/** Operands of at most this many floats (32 KiB: they stay in L1) are read in place where their layout allows. */
const IN_PLACE_MAX = 8192;

/**
 * Computes C[r0..r1, c0..c1] of C = op(A)·op(B) (+ bias, activation) for the
 * operands described by `G`. `scratch` holds gemmScratchBytes() bytes.
 *
 * Plain products (A_ROW, A_COL) with n < NR take the rows-in-lanes path
 * (gemm-narrow.ts). Otherwise an MC block of rows is cut into tiles of mr
 * rows (5 in the SIMD module, 6 in the relaxed one) followed by tiles of
 * mr − 1 rows, so that e.g. 32 rows are 4×5 + 3×4 and no tile computes
 * padding (m = 5a + 4b has a solution for every m ≥ 12); conv patches use
 * 4-row tiles. A (either layout) and B stored [k, n] are read in place when
 * small (no packing to amortize); only a partial panel is then packed.
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
  const plain = G.modeA == A_ROW || G.modeA == A_COL;
  // n < 8: rows in lanes (gemm-narrow.ts) or the tiles below (h×4 tiles for n ≤ 4, else an 8-wide tile padded
  // with zeros), whichever measured faster: rows in lanes for n = 1, for n ≤ 5 unless A is a large matrix
  // stored [m, k] (transposing it costs more), and for A stored transposed that the tiles would pack.
  const smallA = K * G.m <= IN_PLACE_MAX;
  const narrow = G.n < NR && (G.n == 1 || (G.modeA == A_COL ? G.n <= 5 || !smallA : G.n <= 5 && smallA));
  if (plain && (K == 1 || narrow)) {
    if (K == 1) gemmOuter(r0, r1, c0, c1);
    else gemmNarrow(r0, r1, c0, c1, packedA);
    epilogue(r0, r1 - r0, c0, c1 - c0);
    return;
  }
  const mr = !plain ? MR : ASC_FEATURE_RELAXED_SIMD ? MR6 : MR5;
  const lowMr = plain ? mr - 1 : MR;
  const mcBlock = !plain ? MC : ASC_FEATURE_RELAXED_SIMD ? MC6 : MC5;
  // A is also read in place when few column panels (n ≤ 32) would reuse a packed block — unless stored
  // transposed with a row stride of a multiple of 128 bytes, whose depth steps crowd a few L1 sets.
  const aInPlace = plain && (K * G.m <= IN_PLACE_MAX || (G.n <= 4 * NR && (G.modeA == A_ROW || (G.m & 31) != 0)));
  const aRows = G.modeA == A_ROW; // in place: rows lda apart, depth steps contiguous
  const bInPlace = G.modeB == B_ROW && K * G.n <= IN_PLACE_MAX;
  const lda: usize = aRows ? <usize>K << 2 : <usize>G.m << 2; // in place: A_ROW row stride, A_COL depth step
  for (let jc = c0; jc < c1; jc += NC) {
    const nc = min(NC, c1 - jc);
    const inB = bInPlace ? nc & ~(NR - 1) : 0; // columns read in place
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const accumulate = pc > 0;
      if (inB < nc) packB(packedB + <usize>(inB * kc) * 4, pc, kc, jc + inB, nc - inB);
      for (let ic = r0; ic < r1; ic += mcBlock) {
        const mc = min(mcBlock, r1 - ic);
        // Rows [0, hi) in mr-row tiles, the rest in lowMr-row tiles (the last one partial only for small mc).
        let hi = 0;
        if (plain) {
          const low = (((mr - 1) * mc) % mr) * lowMr;
          hi = low <= mc ? mc - low : mc - mc % mr;
        }
        const part = hi + (mc - hi) / lowMr * lowMr; // first row of a partial tile
        if (!aInPlace) {
          if (hi > 0) {
            if (ASC_FEATURE_RELAXED_SIMD) packA6(packedA, ic, hi, pc, kc);
            else packAPlain(packedA, ic, hi, pc, kc, MR5);
          }
          if (!plain) packA(packedA, ic, mc, pc, kc);
          else if (hi < mc) packAPlain(packedA + <usize>(hi * kc) * 4, ic + hi, mc - hi, pc, kc, lowMr);
        } else if (part < mc) {
          packAPlain(packedA + <usize>(part * kc) * 4, ic + part, mc - part, pc, kc, lowMr);
        }
        // A of tile row ir: packed (panels of h rows, depth step 4h bytes) or in place (A_ROW: rows lda apart,
        // depth steps contiguous; A_COL: depth steps lda apart, rows contiguous).
        const aIn = aInPlace ? G.a + (aRows ? <usize>ic * lda + (<usize>pc << 2) : (<usize>pc * <usize>G.m + <usize>ic) << 2) : 0;
        const aRowStep: usize = aInPlace ? (aRows ? lda : 4) : <usize>kc << 2; // bytes per row of A between tiles
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bHere = jr < inB;
          const bp = bHere ? G.b + (<usize>pc * <usize>G.n + <usize>(jc + jr)) * 4 : packedB + <usize>(jr * kc) * 4;
          const bs: usize = bHere ? ldc : NR * 4;
          const c0p = G.c + <usize>ic * ldc + (<usize>(jc + jr) << 2);
          // Full tiles straight into C: rows [0, hi) by mr, then [hi, part) by lowMr.
          const full = cols == NR ? part : 0;
          let ir = 0;
          while (ir < full) {
            const h = ir < hi ? mr : lowMr;
            const end = ir < hi ? hi : full;
            let cp = c0p + <usize>ir * ldc;
            if (aInPlace && aRows) {
              let ap = aIn + <usize>ir * aRowStep;
              for (; ir < end; ir += h) {
                microRows(h, ap, lda, bp, bs, cp, kc, ldc, accumulate);
                ap += <usize>h * aRowStep;
                cp += <usize>h * ldc;
              }
            } else {
              let ap = aInPlace ? aIn + <usize>ir * aRowStep : packedA + <usize>ir * aRowStep;
              const as: usize = aInPlace ? lda : <usize>h << 2;
              for (; ir < end; ir += h) {
                microTile(h, ap, as, bp, bs, cp, kc, ldc, accumulate);
                ap += <usize>h * aRowStep;
                cp += <usize>h * ldc;
              }
            }
          }
          // At most 4 last columns: h×4 tiles (rows of a partial last tile come from a zero-padded panel).
          if (cols <= 4) {
            for (; ir < mc; ) {
              const h = ir < hi ? mr : lowMr;
              const here = aInPlace && ir < part;
              const ap = (here ? aIn : packedA) + <usize>ir * (here ? aRowStep : <usize>kc << 2);
              const ars: usize = here && aRows ? lda : 4;
              const as: usize = here ? (aRows ? 4 : lda) : <usize>h << 2;
              colsTile(h, ap, ars, as, bp, bs, c0p + <usize>ir * ldc, kc, ldc, accumulate, min(h, mc - ir), cols);
              ir += h;
            }
          }
          // The rest (5–7 last columns, or the last rows) through the scratch tile.
          while (ir < mc) {
            const h = ir < hi ? mr : lowMr;
            const rows = min(h, mc - ir);
            if (aInPlace && aRows && ir < part) {
              microRows(h, aIn + <usize>ir * aRowStep, lda, bp, bs, tile, kc, NR * 4, false);
            } else {
              const here = aInPlace && ir < part;
              microTile(h, (here ? aIn : packedA) + <usize>ir * (here ? aRowStep : <usize>kc << 2), here ? lda : <usize>h << 2, bp, bs, tile, kc, NR * 4, false);
            }
            const cp = c0p + <usize>ir * ldc;
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < cols; j++) {
                const d = cp + <usize>r * ldc + (<usize>j << 2);
                const t = load<f32>(tile + (<usize>(r * NR + j) << 2));
                store<f32>(d, accumulate ? load<f32>(d) + t : t);
              }
            }
            ir += h;
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
