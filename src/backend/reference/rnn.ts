/**
 * The plan of a recurrent sequence, shared by both backends: buffer layouts,
 * and the order of the kernel calls of the forward pass and of backprop
 * through time. Buffers are addressed by element offsets into one address
 * space (the reference backend copies its inputs into one work array; the
 * wasm backend's addresses are byte offsets / 4 into its memory), so the
 * reference (rnn-cells.ts) and the wasm kernels (assembly/rnn.ts) run the same
 * steps in the same order, and only the float32 rounding of an activation may
 * differ between them.
 *
 * Per step s (time t = goBackwards ? T−1−s : s), forward:
 *   HM[g] = h_{s} ∘ rmask[g]                           (recurrent dropout only)
 *   ZH[g] = HM[g] · R_g   (g < Grec; Grec = G except GRU resetAfter=false: 2)
 *   GRU resetAfter=false: RH = r ∘ HM[2]; ZH[2] = RH · R_2
 *   cell: gates, activations, state update; masked rows carry h (and c).
 * Backward (s = T−1 … 0): cell backward → (GRU resetAfter=false: DRH =
 * dzh_2 · R_2ᵀ, then the reset gate's part) → Q[g] = dzh_g · R_gᵀ →
 * dh_{s} = direct + Σ_g Q[g] ∘ rmask[g]. After the loop, one GEMM per gate
 * gives dR_g = Σ_s (h_s ∘ rmask[g])ᵀ · dzh_g(s) over all steps at once, so
 * memory is linear in T: per-step states and gate activations, never graphs.
 */
import type { RnnActivation, RnnCellKind, RnnGeometry } from '../backend.js';

/** Gates of each cell (weights per unit in zx / the recurrent kernel). */
export const RNN_GATES: Readonly<Record<RnnCellKind, number>> = { simpleRNN: 1, lstm: 4, gru: 3 };
/** Cell codes (assembly/rnn.ts CELL_*). */
export const RNN_CELL_CODES: Readonly<Record<RnnCellKind, number>> = { simpleRNN: 0, lstm: 1, gru: 2 };
/** Activation codes (assembly/rnn.ts ACT_*). */
export const RNN_ACT_CODES: Readonly<Record<RnnActivation, number>> = {
  linear: 0, relu: 1, relu6: 2, sigmoid: 3, hardSigmoid: 4, tanh: 5, softsign: 6, elu: 7, selu: 8, exponential: 9,
};

/** Sizes (elements) of the packed buffers of one sequence. */
export interface RnnLayout {
  gates: number;
  /** 1 for LSTM (row `steps` of the output holds the final carry), else 0. */
  extra: number;
  /** Forward buffer: y [b, T+e, u] | hs [T+1, b, u] | cs [T+1, b, u] (lstm) | gt [T, b, Gs·u] | ex [T, b, u] (gru). */
  y: number;
  hs: number;
  cs: number;
  gt: number;
  ex: number;
  forward: number;
  /** Backward buffer: dzx [b, T, G·u] | drk [G, u, u] | drb [G·u]. */
  dzx: number;
  drk: number;
  drb: number;
  backward: number;
}

export function rnnLayout(g: RnnGeometry): RnnLayout {
  const { batch: b, steps: T, units: u } = g;
  const G = RNN_GATES[g.cell];
  const extra = g.cell === 'lstm' ? 1 : 0;
  const y = b * (T + extra) * u;
  const hs = (T + 1) * b * u;
  const cs = g.cell === 'lstm' ? hs : 0;
  const gt = g.cell === 'simpleRNN' ? 0 : T * b * G * u;
  const ex = g.cell === 'gru' ? T * b * u : 0;
  const dzx = b * T * G * u;
  const drk = G * u * u;
  const drb = G * u;
  return { gates: G, extra, y, hs, cs, gt, ex, forward: y + hs + cs + gt + ex, dzx, drk, drb, backward: dzx + drk + drb };
}

/** Addresses (element offsets; −1 = absent) and dimensions a cell kernel reads. */
export interface RnnParams {
  b: number;
  T: number;
  u: number;
  e: number;
  G: number;
  cell: number;
  resetAfter: number;
  act: number;
  ract: number;
  backwards: number;
  zx: number;
  zh: number;
  rb: number;
  hs: number;
  cs: number;
  gt: number;
  ex: number;
  y: number;
  smask: number;
  rmask: number;
  hm: number;
  dy: number;
  dzx: number;
  dzh: number;
  dh: number;
  dc: number;
  dhd: number;
  q: number;
  drh: number;
}

/** The kernels a plan calls; every address is an element offset. */
export interface RnnKernels {
  /** C[i] = op(A[i])·op(B[i]) for i < batch (A, B, C advance by aStride, bStride, m·n). */
  gemm(a: number, b: number, c: number, batch: number, m: number, k: number, n: number, aStride: number, bStride: number, transA: boolean, transB: boolean): void;
  /** out[g, q, i] = x[q, i] · mask[g, i] for g < gates, q < reps, i < n. */
  maskState(x: number, mask: number, out: number, gates: number, reps: number, n: number): void;
  /** Rows [r0, r1) of step s: gates, activations, state update (assembly/rnn.ts rnnCellForward). */
  cellForward(p: RnnParams, s: number, r0: number, r1: number): void;
  /** GRU resetAfter=false: RH = ra(zx_r + zh_r) ∘ (HM[2] or h). */
  gruReset(p: RnnParams, s: number, r0: number, r1: number): void;
  /** Rows of one backward step: dzx, dzh, the direct part of dh_{s} and the carry gradient. */
  cellBackward(p: RnnParams, s: number, r0: number, r1: number): void;
  /** GRU resetAfter=false: the reset gate's gradients from DRH. */
  gruResetBackward(p: RnnParams, s: number, r0: number, r1: number): void;
  /** dh ← dhd + Σ_g Q[g] ∘ rmask[g] over rows [r0, r1). */
  combine(p: RnnParams, r0: number, r1: number): void;
  /** out[g, j] = Σ_q x[g, q, j]: the recurrent bias gradient. */
  sumRows(x: number, out: number, gates: number, rows: number, n: number): void;
}

/** Where a backend put each input and the buffers it allocated (addresses). */
export interface RnnForwardAddresses {
  zx: number;
  rk: number;
  rb: number;
  rmask: number;
  smask: number;
  /** The packed forward buffer (layout.forward elements). */
  out: number;
  /** Scratch: zh [G, b, u] and hm [G, b, u]. */
  zh: number;
  hm: number;
}

/** Scratch elements rnnForward needs besides its output. */
export function rnnForwardScratch(g: RnnGeometry): number {
  return 2 * RNN_GATES[g.cell] * g.batch * g.units;
}

function baseParams(g: RnnGeometry, L: RnnLayout, fwd: number, rb: number, rmask: number, smask: number): RnnParams {
  const y = fwd;
  const hs = y + L.y;
  const cs = L.cs ? hs + L.hs : -1;
  const gt = L.gt ? hs + L.hs + L.cs : -1;
  const ex = L.ex ? hs + L.hs + L.cs + L.gt : -1;
  return {
    b: g.batch, T: g.steps, u: g.units, e: L.extra, G: L.gates,
    cell: RNN_CELL_CODES[g.cell], resetAfter: g.resetAfter ? 1 : 0,
    act: RNN_ACT_CODES[g.activation], ract: RNN_ACT_CODES[g.recurrentActivation], backwards: g.goBackwards ? 1 : 0,
    zx: -1, zh: -1, rb, hs, cs, gt, ex, y, smask, rmask, hm: -1,
    dy: -1, dzx: -1, dzh: -1, dh: -1, dc: -1, dhd: -1, q: -1, drh: -1,
  };
}

/** True for a GRU whose reset gate acts before the recurrent product (Keras 2 / TF.js). */
function resetBefore(g: RnnGeometry): boolean {
  return g.cell === 'gru' && !g.resetAfter;
}

/** Runs the forward plan. The output buffer must be zeroed (h_0 = c_0 = 0). */
export function runRnnForward(g: RnnGeometry, k: RnnKernels, a: RnnForwardAddresses): void {
  const L = rnnLayout(g);
  const { batch: b, steps: T, units: u } = g;
  const G = L.gates;
  const bu = b * u;
  const Grec = resetBefore(g) ? 2 : G;
  const p = baseParams(g, L, a.out, a.rb, a.rmask, a.smask);
  p.zx = a.zx;
  p.zh = a.zh;
  p.hm = a.hm;
  for (let s = 0; s < T; s++) {
    const hp = p.hs + s * bu;
    if (a.rmask >= 0) k.maskState(hp, a.rmask, a.hm, G, 1, bu);
    const src = a.rmask >= 0 ? a.hm : hp;
    const aStride = a.rmask >= 0 ? bu : 0;
    k.gemm(src, a.rk, a.zh, Grec, b, u, u, aStride, u * u, false, false);
    if (resetBefore(g)) {
      k.gruReset(p, s, 0, b);
      k.gemm(p.ex + s * bu, a.rk + 2 * u * u, a.zh + 2 * bu, 1, b, u, u, 0, 0, false, false);
    }
    k.cellForward(p, s, 0, b);
  }
}

/** Where a backend put the backward's inputs and buffers (addresses). */
export interface RnnBackwardAddresses {
  fwd: number;
  rk: number;
  rmask: number;
  smask: number;
  dy: number;
  /** The packed backward buffer (layout.backward elements), zeroed. */
  out: number;
  /** Scratch of rnnBackwardScratch(g) elements, zeroed. */
  scratch: number;
}

/** Scratch elements rnnBackward needs: dzh [G, T, b, u], dh, dc, dhd, drh [b, u], q [G, b, u], and hm [G, T, b, u] with recurrent dropout. */
export function rnnBackwardScratch(g: RnnGeometry, hasRecurrentMask: boolean): number {
  const G = RNN_GATES[g.cell];
  const bu = g.batch * g.units;
  return G * g.steps * bu + 4 * bu + G * bu + (hasRecurrentMask ? G * g.steps * bu : 0);
}

/** Runs backprop through time. */
export function runRnnBackward(g: RnnGeometry, k: RnnKernels, a: RnnBackwardAddresses): void {
  const L = rnnLayout(g);
  const { batch: b, steps: T, units: u } = g;
  const G = L.gates;
  const bu = b * u;
  const Grec = resetBefore(g) ? 2 : G;
  const p = baseParams(g, L, a.fwd, -1, a.rmask, a.smask);
  let o = a.scratch;
  p.dzh = o;
  o += G * T * bu;
  p.dh = o;
  o += bu;
  p.dc = o;
  o += bu;
  p.dhd = o;
  o += bu;
  p.drh = o;
  o += bu;
  p.q = o;
  o += G * bu;
  const hmAll = o;
  p.dy = a.dy;
  p.dzx = a.out;
  const drk = a.out + L.dzx;
  const drb = drk + L.drk;
  for (let s = T - 1; s >= 0; s--) {
    k.cellBackward(p, s, 0, b);
    if (resetBefore(g)) {
      k.gemm(p.dzh + (2 * T + s) * bu, a.rk + 2 * u * u, p.drh, 1, b, u, u, 0, 0, false, true);
      k.gruResetBackward(p, s, 0, b);
    }
    k.gemm(p.dzh + s * bu, a.rk, p.q, Grec, b, u, u, T * bu, u * u, false, true);
    k.combine(p, 0, b);
  }
  // dR_g = Σ_s (h_s ∘ rmask[g])ᵀ · dzh_g(s): one GEMM per gate over all steps.
  if (a.rmask >= 0) k.maskState(p.hs, a.rmask, hmAll, Grec, T, bu);
  const src = a.rmask >= 0 ? hmAll : p.hs;
  k.gemm(src, p.dzh, drk, Grec, u, T * b, u, a.rmask >= 0 ? T * bu : 0, T * bu, true, false);
  if (resetBefore(g)) k.gemm(p.ex, p.dzh + 2 * T * bu, drk + 2 * u * u, 1, u, T * b, u, 0, 0, true, false);
  if (g.cell === 'gru' && g.resetAfter) k.sumRows(p.dzh, drb, G, T * b, u);
}
