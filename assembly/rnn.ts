/**
 * Fused recurrent cells (SimpleRNN, LSTM, GRU), forward and backward, one step
 * at a time over a range of batch rows; the plan that calls them (recurrent
 * GEMMs between steps, backprop through time) is src/backend/reference/rnn.ts
 * and the reference twins are src/backend/reference/rnn-cells.ts, whose
 * formulas these follow lane by lane (four units per v128; a tail of < 4
 * units goes through the same vector code with the missing lanes zero).
 *
 * Every kernel reads its addresses and dimensions from an int32 parameter
 * block `blk` (fields P_*: element offsets, −1 = absent; the host mirror is
 * FIELDS in src/backend/wasm/rnn.ts). Rows are independent, so any split over
 * threads gives the same bits.
 */
import { exp4, sigmoid4, tanh4 } from './math';

const P_B = 0;
const P_T = 1;
const P_U = 2;
const P_E = 3;
const P_G = 4;
const P_CELL = 5;
const P_RESET_AFTER = 6;
const P_ACT = 7;
const P_RACT = 8;
const P_BACKWARDS = 9;
const P_ZX = 10;
const P_ZH = 11;
const P_RB = 12;
const P_HS = 13;
const P_CS = 14;
const P_GT = 15;
const P_EX = 16;
const P_Y = 17;
const P_SMASK = 18;
const P_RMASK = 19;
const P_HM = 20;
const P_DY = 21;
const P_DZX = 22;
const P_DZH = 23;
const P_DH = 24;
const P_DC = 25;
const P_DHD = 26;
const P_Q = 27;
const P_DRH = 28;

const CELL_SIMPLE = 0;
const CELL_LSTM = 1;

@inline function P(blk: usize, i: i32): i32 {
  return load<i32>(blk + (<usize>i << 2));
}
/** Byte address of field i (an element offset). */
@inline function A(blk: usize, i: i32): usize {
  return <usize>load<i32>(blk + (<usize>i << 2)) << 2;
}
@inline function has(blk: usize, i: i32): bool {
  return load<i32>(blk + (<usize>i << 2)) >= 0;
}
@inline function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** Loads n ≤ 4 floats (missing lanes 0). */
@inline function ld(p: usize, n: i32): v128 {
  if (n == 4) return v128.load(p);
  let v = splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}
/** Stores the first n ≤ 4 lanes. */
@inline function st(p: usize, v: v128, n: i32): void {
  if (n == 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_SA: f32 = 1.7580993408473766;

/** act(x) by code (RNN_ACT_CODES in reference/rnn.ts). */
function act4(code: i32, x: v128): v128 {
  switch (code) {
    case 0: return x;
    case 1: return f32x4.max(x, splat(0));
    case 2: return f32x4.min(f32x4.max(x, splat(0)), splat(6));
    case 3: return sigmoid4(x);
    case 4: return f32x4.div(f32x4.min(f32x4.max(f32x4.add(x, splat(3)), splat(0)), splat(6)), splat(6));
    case 5: return tanh4(x);
    case 6: return f32x4.div(x, f32x4.add(splat(1), f32x4.abs(x)));
    case 7: return v128.bitselect(x, f32x4.sub(exp4(x), splat(1)), f32x4.gt(x, splat(0)));
    case 8: return v128.bitselect(f32x4.mul(x, splat(SELU_SCALE)), f32x4.mul(f32x4.sub(exp4(x), splat(1)), splat(SELU_SA)), f32x4.gt(x, splat(0)));
    default: return exp4(x);
  }
}

/** act′ from y = act(x). */
function grad4(code: i32, y: v128): v128 {
  const pos = f32x4.gt(y, splat(0));
  switch (code) {
    case 0: return splat(1);
    case 1: return v128.and(pos, splat(1));
    case 2: return v128.and(v128.and(pos, f32x4.lt(y, splat(6))), splat(1));
    case 3: return f32x4.mul(y, f32x4.sub(splat(1), y));
    case 4: return v128.and(v128.and(pos, f32x4.lt(y, splat(1))), splat(<f32>(1.0 / 6.0)));
    case 5: return f32x4.sub(splat(1), f32x4.mul(y, y));
    case 6: {
      const a = f32x4.sub(splat(1), f32x4.abs(y));
      return f32x4.mul(a, a);
    }
    case 7: return v128.bitselect(splat(1), f32x4.add(y, splat(1)), pos);
    case 8: return v128.bitselect(splat(SELU_SCALE), f32x4.add(y, splat(SELU_SA)), pos);
    default: return y;
  }
}

@inline function timeOf(blk: usize, s: i32): i32 {
  return P(blk, P_BACKWARDS) != 0 ? P(blk, P_T) - 1 - s : s;
}

@inline function keep(blk: usize, r: i32, t: i32): bool {
  if (!has(blk, P_SMASK)) return true;
  return load<f32>(A(blk, P_SMASK) + ((<usize>(r * P(blk, P_T) + t)) << 2)) != 0;
}

/** out[g, q, i] = x[q, i] · mask[g, i] (byte addresses). */
export function rnnMaskState(x: usize, mask: usize, out: usize, gates: i32, reps: i32, n: i32): void {
  for (let g = 0; g < gates; g++) {
    for (let q = 0; q < reps; q++) {
      const xo = x + (<usize>(q * n) << 2);
      const mo = mask + (<usize>(g * n) << 2);
      const oo = out + (<usize>((g * reps + q) * n) << 2);
      for (let i = 0; i < n; i += 4) {
        const k = min(4, n - i);
        const off = <usize>i << 2;
        st(oo + off, f32x4.mul(ld(xo + off, k), ld(mo + off, k)), k);
      }
    }
  }
}

/** Rows [start, end) of forward step s. */
export function rnnCellForward(blk: usize, s: i32, start: i32, end: i32): void {
  const b = P(blk, P_B), T = P(blk, P_T), u = P(blk, P_U), G = P(blk, P_G), e = P(blk, P_E);
  const cell = P(blk, P_CELL), act = P(blk, P_ACT), ract = P(blk, P_RACT);
  const t = timeOf(blk, s);
  const u4 = <usize>u << 2;
  const bu4 = <usize>(b * u) << 2;
  const hasRb = has(blk, P_RB);
  const rbp = A(blk, P_RB);
  for (let r = start; r < end; r++) {
    const zx = A(blk, P_ZX) + (<usize>((r * T + t) * G * u) << 2);
    const zh = A(blk, P_ZH) + <usize>r * u4;
    const hp = A(blk, P_HS) + <usize>s * bu4 + <usize>r * u4;
    const hn = hp + bu4;
    const y = A(blk, P_Y) + (<usize>((r * (T + e) + s) * u) << 2);
    const gt = A(blk, P_GT) + (<usize>((s * b + r) * G * u) << 2);
    const on = keep(blk, r, t);
    for (let j = 0; j < u; j += 4) {
      const n = min(4, u - j);
      const o4 = <usize>j << 2;
      const hprev = ld(hp + o4, n);
      let h: v128;
      if (cell == CELL_SIMPLE) {
        h = act4(act, f32x4.add(ld(zx + o4, n), ld(zh + o4, n)));
      } else if (cell == CELL_LSTM) {
        const i = act4(ract, f32x4.add(ld(zx + o4, n), ld(zh + o4, n)));
        const f = act4(ract, f32x4.add(ld(zx + u4 + o4, n), ld(zh + bu4 + o4, n)));
        const gg = act4(act, f32x4.add(ld(zx + 2 * u4 + o4, n), ld(zh + 2 * bu4 + o4, n)));
        const o = act4(ract, f32x4.add(ld(zx + 3 * u4 + o4, n), ld(zh + 3 * bu4 + o4, n)));
        const cpp = A(blk, P_CS) + <usize>s * bu4 + <usize>r * u4 + o4;
        const cp = ld(cpp, n);
        const c = on ? f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, gg)) : cp;
        st(gt + o4, i, n);
        st(gt + u4 + o4, f, n);
        st(gt + 2 * u4 + o4, gg, n);
        st(gt + 3 * u4 + o4, o, n);
        st(cpp + bu4, c, n);
        if (s == T - 1) st(A(blk, P_Y) + (<usize>((r * (T + 1) + T) * u) << 2) + o4, c, n);
        h = f32x4.mul(o, act4(act, c));
      } else {
        let xz = f32x4.add(ld(zx + o4, n), ld(zh + o4, n));
        let xr = f32x4.add(ld(zx + u4 + o4, n), ld(zh + bu4 + o4, n));
        if (hasRb) {
          xz = f32x4.add(xz, ld(rbp + o4, n));
          xr = f32x4.add(xr, ld(rbp + u4 + o4, n));
        }
        const z = act4(ract, xz);
        const rr = act4(ract, xr);
        let hh: v128;
        if (P(blk, P_RESET_AFTER) != 0) {
          let zhh = ld(zh + 2 * bu4 + o4, n);
          if (hasRb) zhh = f32x4.add(zhh, ld(rbp + 2 * u4 + o4, n));
          st(A(blk, P_EX) + <usize>s * bu4 + <usize>r * u4 + o4, zhh, n);
          hh = act4(act, f32x4.add(ld(zx + 2 * u4 + o4, n), f32x4.mul(rr, zhh)));
        } else {
          hh = act4(act, f32x4.add(ld(zx + 2 * u4 + o4, n), ld(zh + 2 * bu4 + o4, n)));
        }
        st(gt + o4, z, n);
        st(gt + u4 + o4, rr, n);
        st(gt + 2 * u4 + o4, hh, n);
        h = f32x4.add(f32x4.mul(z, hprev), f32x4.mul(f32x4.sub(splat(1), z), hh));
      }
      if (!on) h = hprev;
      st(hn + o4, h, n);
      st(y + o4, h, n);
    }
  }
}

/** GRU resetAfter=false: RH = ra(zx_r + zh_r) ∘ (HM[2] or h) for rows [start, end). */
export function rnnGruReset(blk: usize, s: i32, start: i32, end: i32): void {
  const b = P(blk, P_B), T = P(blk, P_T), u = P(blk, P_U), G = P(blk, P_G), ract = P(blk, P_RACT);
  const t = timeOf(blk, s);
  const u4 = <usize>u << 2;
  const bu4 = <usize>(b * u) << 2;
  for (let r = start; r < end; r++) {
    const zx = A(blk, P_ZX) + (<usize>((r * T + t) * G * u) << 2);
    const src = has(blk, P_RMASK) ? A(blk, P_HM) + 2 * bu4 + <usize>r * u4 : A(blk, P_HS) + <usize>s * bu4 + <usize>r * u4;
    const zh = A(blk, P_ZH) + bu4 + <usize>r * u4;
    const ex = A(blk, P_EX) + <usize>s * bu4 + <usize>r * u4;
    for (let j = 0; j < u; j += 4) {
      const n = min(4, u - j);
      const o4 = <usize>j << 2;
      const rr = act4(ract, f32x4.add(ld(zx + u4 + o4, n), ld(zh + o4, n)));
      st(ex + o4, f32x4.mul(rr, ld(src + o4, n)), n);
    }
  }
}

/** Rows [start, end) of backward step s. */
export function rnnCellBackward(blk: usize, s: i32, start: i32, end: i32): void {
  const b = P(blk, P_B), T = P(blk, P_T), u = P(blk, P_U), G = P(blk, P_G), e = P(blk, P_E);
  const cell = P(blk, P_CELL), act = P(blk, P_ACT), ract = P(blk, P_RACT);
  const t = timeOf(blk, s);
  const u4 = <usize>u << 2;
  const bu4 = <usize>(b * u) << 2;
  const gs4 = <usize>T * bu4; // dzh gate stride
  const last = s == T - 1;
  for (let r = start; r < end; r++) {
    const dzx = A(blk, P_DZX) + (<usize>((r * T + t) * G * u) << 2);
    const dzh = A(blk, P_DZH) + <usize>s * bu4 + <usize>r * u4;
    const gt = A(blk, P_GT) + (<usize>((s * b + r) * G * u) << 2);
    const hp = A(blk, P_HS) + <usize>s * bu4 + <usize>r * u4;
    const dyRow = A(blk, P_DY) + (<usize>((r * (T + e) + s) * u) << 2);
    const dhc = A(blk, P_DH) + <usize>r * u4;
    const dhd = A(blk, P_DHD) + <usize>r * u4;
    const dcp = A(blk, P_DC) + <usize>r * u4;
    const on = keep(blk, r, t);
    for (let j = 0; j < u; j += 4) {
      const n = min(4, u - j);
      const o4 = <usize>j << 2;
      let dh = ld(dyRow + o4, n);
      if (!last) dh = f32x4.add(dh, ld(dhc + o4, n));
      if (cell == CELL_LSTM) {
        const dcIn = last ? ld(A(blk, P_DY) + (<usize>((r * (T + 1) + T) * u) << 2) + o4, n) : ld(dcp + o4, n);
        if (!on) {
          st(dcp + o4, dcIn, n);
          st(dhd + o4, dh, n);
          for (let g = 0; g < 4; g++) {
            st(dzx + <usize>g * u4 + o4, splat(0), n);
            st(dzh + <usize>g * gs4 + o4, splat(0), n);
          }
          continue;
        }
        const i = ld(gt + o4, n), f = ld(gt + u4 + o4, n), gg = ld(gt + 2 * u4 + o4, n), o = ld(gt + 3 * u4 + o4, n);
        const cpp = A(blk, P_CS) + <usize>s * bu4 + <usize>r * u4 + o4;
        const cp = ld(cpp, n);
        const c = ld(cpp + bu4, n);
        const tc = act4(act, c);
        const dct = f32x4.add(dcIn, f32x4.mul(f32x4.mul(dh, o), grad4(act, tc)));
        const d0 = f32x4.mul(f32x4.mul(dct, gg), grad4(ract, i));
        const d1 = f32x4.mul(f32x4.mul(dct, cp), grad4(ract, f));
        const d2 = f32x4.mul(f32x4.mul(dct, i), grad4(act, gg));
        const d3 = f32x4.mul(f32x4.mul(dh, tc), grad4(ract, o));
        st(dzx + o4, d0, n);
        st(dzx + u4 + o4, d1, n);
        st(dzx + 2 * u4 + o4, d2, n);
        st(dzx + 3 * u4 + o4, d3, n);
        st(dzh + o4, d0, n);
        st(dzh + gs4 + o4, d1, n);
        st(dzh + 2 * gs4 + o4, d2, n);
        st(dzh + 3 * gs4 + o4, d3, n);
        st(dcp + o4, f32x4.mul(dct, f), n);
        st(dhd + o4, splat(0), n);
        continue;
      }
      if (!on) {
        st(dhd + o4, dh, n);
        for (let g = 0; g < G; g++) {
          st(dzx + <usize>g * u4 + o4, splat(0), n);
          st(dzh + <usize>g * gs4 + o4, splat(0), n);
        }
        continue;
      }
      if (cell == CELL_SIMPLE) {
        const da = f32x4.mul(dh, grad4(act, ld(hp + bu4 + o4, n)));
        st(dzx + o4, da, n);
        st(dzh + o4, da, n);
        st(dhd + o4, splat(0), n);
        continue;
      }
      const z = ld(gt + o4, n), rr = ld(gt + u4 + o4, n), hh = ld(gt + 2 * u4 + o4, n);
      const dz = f32x4.mul(f32x4.mul(dh, f32x4.sub(ld(hp + o4, n), hh)), grad4(ract, z));
      const dah = f32x4.mul(f32x4.mul(dh, f32x4.sub(splat(1), z)), grad4(act, hh));
      st(dzx + o4, dz, n);
      st(dzh + o4, dz, n);
      st(dzx + 2 * u4 + o4, dah, n);
      st(dhd + o4, f32x4.mul(dh, z), n);
      if (P(blk, P_RESET_AFTER) != 0) {
        const zhh = ld(A(blk, P_EX) + <usize>s * bu4 + <usize>r * u4 + o4, n);
        const dzr = f32x4.mul(f32x4.mul(dah, zhh), grad4(ract, rr));
        st(dzx + u4 + o4, dzr, n);
        st(dzh + gs4 + o4, dzr, n);
        st(dzh + 2 * gs4 + o4, f32x4.mul(dah, rr), n);
      } else {
        st(dzh + 2 * gs4 + o4, dah, n);
      }
    }
  }
}

/** GRU resetAfter=false: the reset gate's gradients from DRH = dzh_h · R_hᵀ. */
export function rnnGruResetBackward(blk: usize, s: i32, start: i32, end: i32): void {
  const b = P(blk, P_B), T = P(blk, P_T), u = P(blk, P_U), G = P(blk, P_G), ract = P(blk, P_RACT);
  const t = timeOf(blk, s);
  const u4 = <usize>u << 2;
  const bu4 = <usize>(b * u) << 2;
  const masked = has(blk, P_RMASK);
  for (let r = start; r < end; r++) {
    const gt = A(blk, P_GT) + (<usize>((s * b + r) * G * u) << 2);
    const dzx = A(blk, P_DZX) + (<usize>((r * T + t) * G * u) << 2);
    const hp = A(blk, P_HS) + <usize>s * bu4 + <usize>r * u4;
    const drh = A(blk, P_DRH) + <usize>r * u4;
    const dzh = A(blk, P_DZH) + <usize>(T + s) * bu4 + <usize>r * u4;
    const dhd = A(blk, P_DHD) + <usize>r * u4;
    const mh = A(blk, P_RMASK) + 2 * bu4 + <usize>r * u4;
    for (let j = 0; j < u; j += 4) {
      const n = min(4, u - j);
      const o4 = <usize>j << 2;
      const d = ld(drh + o4, n);
      const rr = ld(gt + u4 + o4, n);
      const m = masked ? ld(mh + o4, n) : splat(1);
      const dzr = f32x4.mul(f32x4.mul(f32x4.mul(d, ld(hp + o4, n)), m), grad4(ract, rr));
      st(dzx + u4 + o4, dzr, n);
      st(dzh + o4, dzr, n);
      st(dhd + o4, f32x4.add(ld(dhd + o4, n), f32x4.mul(f32x4.mul(d, rr), m)), n);
    }
  }
}

/** dh ← dhd + Σ_g Q[g] ∘ rmask[g] over rows [start, end). */
export function rnnCombine(blk: usize, _s: i32, start: i32, end: i32): void {
  const b = P(blk, P_B), u = P(blk, P_U);
  const grec = P(blk, P_CELL) == 2 && P(blk, P_RESET_AFTER) == 0 ? 2 : P(blk, P_G);
  const bu4 = <usize>(b * u) << 2;
  const masked = has(blk, P_RMASK);
  const q = A(blk, P_Q), rm = A(blk, P_RMASK), dhd = A(blk, P_DHD), dh = A(blk, P_DH);
  const i0 = start * u, i1 = end * u;
  for (let i = i0; i < i1; i += 4) {
    const n = min(4, i1 - i);
    const o4 = <usize>i << 2;
    let v = ld(dhd + o4, n);
    for (let g = 0; g < grec; g++) {
      const qg = ld(q + <usize>g * bu4 + o4, n);
      v = f32x4.add(v, masked ? f32x4.mul(qg, ld(rm + <usize>g * bu4 + o4, n)) : qg);
    }
    st(dh + o4, v, n);
  }
}
