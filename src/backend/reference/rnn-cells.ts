/**
 * The reference recurrent kernels (plan in ./rnn.ts): plain loops over one
 * work array `m`, every buffer addressed by its element offset. Gate order is
 * Keras's: LSTM i, f, c, o; GRU z, r, h. The wasm twins are in assembly/rnn.ts.
 *
 * Cells (x_k = zx_k(t) + zh_k; ra = recurrent activation, act = activation):
 * - simpleRNN: h = act(x)
 * - lstm: i = ra(x_i), f = ra(x_f), g = act(x_c), o = ra(x_o); c = f·c' + i·g; h = o·act(c)
 * - gru: z = ra(x_z), r = ra(x_r); hh = act(zx_h + r·(zh_h + rb_h)) (resetAfter)
 *   or act(zx_h + (r ∘ h')·R_h) (before); h = z·h' + (1 − z)·hh
 * A row whose sequence mask is 0 carries h' (and c') and gets no gradient.
 */
import type { FloatArray } from '../backend.js';
import { UNARY, UNARY_GRAD } from './elementwise.js';
import { runRnnBackward, runRnnForward, rnnBackwardScratch, rnnForwardScratch, rnnLayout, RNN_GATES, type RnnKernels, type RnnParams } from './rnn.js';
import type { MatmulArgs, RnnGeometry } from '../backend.js';
import { matmulInto } from './kernels.js';

const SELU_SCALE = 1.0507009873554805;
const SELU_SA = 1.0507009873554805 * 1.6732632423543772;

/** act(x) by code (RNN_ACT_CODES). */
export function rnnAct(code: number, x: number): number {
  switch (code) {
    case 0: return x;
    case 1: return UNARY.relu(x, 0);
    case 2: return UNARY.relu6(x, 0);
    case 3: return UNARY.sigmoid(x, 0);
    case 4: return UNARY.hardSigmoid(x, 0);
    case 5: return Math.tanh(x);
    case 6: return UNARY.softsign(x, 0);
    case 7: return UNARY.elu(x, 1);
    case 8: return UNARY.selu(x, 0);
    default: return Math.exp(x);
  }
}

/** act′ from the output y = act(x) (kinks as UNARY_GRAD: relu′(0) = 0, relu6′ 0 at 0 and 6, hardSigmoid′ 0 outside (0, 1)). */
export function rnnActGrad(code: number, y: number): number {
  switch (code) {
    case 0: return 1;
    case 1: return y > 0 ? 1 : 0;
    case 2: return y > 0 && y < 6 ? 1 : 0;
    case 3: return y * (1 - y);
    case 4: return y > 0 && y < 1 ? 1 / 6 : 0;
    case 5: return 1 - y * y;
    case 6: {
      const a = 1 - Math.abs(y);
      return a * a;
    }
    case 7: return y > 0 ? 1 : y + 1;
    case 8: return y > 0 ? SELU_SCALE : y + SELU_SA;
    default: return UNARY_GRAD.exp(0, y, 0);
  }
}

/** Time index of step s. */
const timeOf = (p: RnnParams, s: number): number => (p.backwards ? p.T - 1 - s : s);

/** The sequence-mask value of row r at step s (1 without a mask). */
function keep(m: FloatArray, p: RnnParams, r: number, s: number): boolean {
  return p.smask < 0 || m[p.smask + r * p.T + timeOf(p, s)]! !== 0;
}

/** Reference kernels over the work array `m`. */
export function referenceRnnKernels(m: FloatArray): RnnKernels {
  return {
    gemm(a, b, c, batch, mm, k, n, aStride, bStride, transA, transB) {
      const args: MatmulArgs = { a: m.subarray(a), b: m.subarray(b), batch, m: mm, k, n, transA, transB, aBatchStride: aStride, bBatchStride: bStride };
      matmulInto(args, m.subarray(c, c + batch * mm * n));
    },
    maskState(x, mask, out, gates, reps, n) {
      for (let g = 0; g < gates; g++)
        for (let q = 0; q < reps; q++)
          for (let i = 0; i < n; i++) m[out + (g * reps + q) * n + i] = m[x + q * n + i]! * m[mask + g * n + i]!;
    },
    cellForward: (p, s, r0, r1) => cellForward(m, p, s, r0, r1),
    gruReset(p, s, r0, r1) {
      const { u, b, G } = p;
      const t = timeOf(p, s);
      const bu = b * u;
      for (let r = r0; r < r1; r++) {
        const zx = p.zx + (r * p.T + t) * G * u;
        const src = p.rmask >= 0 ? p.hm + 2 * bu + r * u : p.hs + s * bu + r * u;
        for (let j = 0; j < u; j++) {
          const rr = rnnAct(p.ract, m[zx + u + j]! + m[p.zh + bu + r * u + j]!);
          m[p.ex + s * bu + r * u + j] = rr * m[src + j]!;
        }
      }
    },
    cellBackward: (p, s, r0, r1) => cellBackward(m, p, s, r0, r1),
    gruResetBackward(p, s, r0, r1) {
      const { u, b, T, G } = p;
      const t = timeOf(p, s);
      const bu = b * u;
      for (let r = r0; r < r1; r++) {
        const gt = p.gt + (s * b + r) * G * u;
        const dzx = p.dzx + (r * T + t) * G * u;
        const hp = p.hs + s * bu + r * u;
        for (let j = 0; j < u; j++) {
          const drh = m[p.drh + r * u + j]!;
          const rr = m[gt + u + j]!;
          const mh = p.rmask >= 0 ? m[p.rmask + 2 * bu + r * u + j]! : 1;
          const dzr = drh * m[hp + j]! * mh * rnnActGrad(p.ract, rr);
          m[dzx + u + j] = dzr;
          m[p.dzh + (T + s) * bu + r * u + j] = dzr;
          m[p.dhd + r * u + j]! += drh * rr * mh;
        }
      }
    },
    combine(p, r0, r1) {
      const { u, b } = p;
      const bu = b * u;
      const grec = p.cell === 2 && !p.resetAfter ? 2 : p.G;
      for (let i = r0 * u; i < r1 * u; i++) {
        let v = m[p.dhd + i]!;
        for (let g = 0; g < grec; g++) v += m[p.q + g * bu + i]! * (p.rmask >= 0 ? m[p.rmask + g * bu + i]! : 1);
        m[p.dh + i] = v;
      }
    },
    sumRows(x, out, gates, rows, n) {
      for (let g = 0; g < gates; g++)
        for (let q = 0; q < rows; q++) for (let j = 0; j < n; j++) m[out + g * n + j]! += m[x + (g * rows + q) * n + j]!;
    },
  };
}

function cellForward(m: FloatArray, p: RnnParams, s: number, r0: number, r1: number): void {
  const { u, b, T, G } = p;
  const t = timeOf(p, s);
  const bu = b * u;
  for (let r = r0; r < r1; r++) {
    const zx = p.zx + (r * T + t) * G * u;
    const zh = p.zh + r * u;
    const hp = p.hs + s * bu + r * u;
    const hn = hp + bu;
    const y = p.y + (r * (T + p.e) + s) * u;
    const on = keep(m, p, r, s);
    const gt = p.gt + (s * b + r) * G * u;
    for (let j = 0; j < u; j++) {
      let h: number;
      if (p.cell === 0) {
        h = rnnAct(p.act, m[zx + j]! + m[zh + j]!);
      } else if (p.cell === 1) {
        const i = rnnAct(p.ract, m[zx + j]! + m[zh + j]!);
        const f = rnnAct(p.ract, m[zx + u + j]! + m[zh + bu + j]!);
        const gg = rnnAct(p.act, m[zx + 2 * u + j]! + m[zh + 2 * bu + j]!);
        const o = rnnAct(p.ract, m[zx + 3 * u + j]! + m[zh + 3 * bu + j]!);
        const cp = m[p.cs + s * bu + r * u + j]!;
        const c = on ? f * cp + i * gg : cp;
        m[gt + j] = i;
        m[gt + u + j] = f;
        m[gt + 2 * u + j] = gg;
        m[gt + 3 * u + j] = o;
        m[p.cs + (s + 1) * bu + r * u + j] = c;
        if (s === T - 1) m[p.y + (r * (T + 1) + T) * u + j] = c;
        h = o * rnnAct(p.act, c);
      } else {
        const rb = (k: number): number => (p.rb >= 0 ? m[p.rb + k * u + j]! : 0);
        const z = rnnAct(p.ract, m[zx + j]! + m[zh + j]! + rb(0));
        const rr = rnnAct(p.ract, m[zx + u + j]! + m[zh + bu + j]! + rb(1));
        let hh: number;
        if (p.resetAfter) {
          const zhh = m[zh + 2 * bu + j]! + rb(2);
          m[p.ex + s * bu + r * u + j] = zhh;
          hh = rnnAct(p.act, m[zx + 2 * u + j]! + rr * zhh);
        } else {
          hh = rnnAct(p.act, m[zx + 2 * u + j]! + m[zh + 2 * bu + j]!);
        }
        m[gt + j] = z;
        m[gt + u + j] = rr;
        m[gt + 2 * u + j] = hh;
        h = z * m[hp + j]! + (1 - z) * hh;
      }
      if (!on) h = m[hp + j]!;
      m[hn + j] = h;
      m[y + j] = h;
    }
  }
}

function cellBackward(m: FloatArray, p: RnnParams, s: number, r0: number, r1: number): void {
  const { u, b, T, G } = p;
  const t = timeOf(p, s);
  const bu = b * u;
  const last = s === T - 1;
  for (let r = r0; r < r1; r++) {
    const dzx = p.dzx + (r * T + t) * G * u;
    const gt = p.gt + (s * b + r) * G * u;
    const hp = p.hs + s * bu + r * u;
    const dyRow = p.dy + (r * (T + p.e) + s) * u;
    const on = keep(m, p, r, s);
    for (let j = 0; j < u; j++) {
      const dh = m[dyRow + j]! + (last ? 0 : m[p.dh + r * u + j]!);
      const dzh = (g: number, v: number): void => {
        m[p.dzh + (g * T + s) * bu + r * u + j] = v;
      };
      if (p.cell === 1) {
        const dcIn = last ? m[p.dy + (r * (T + 1) + T) * u + j]! : m[p.dc + r * u + j]!;
        if (!on) {
          m[p.dc + r * u + j] = dcIn;
          m[p.dhd + r * u + j] = dh;
          for (let g = 0; g < 4; g++) (m[dzx + g * u + j] = 0), dzh(g, 0);
          continue;
        }
        const i = m[gt + j]!, f = m[gt + u + j]!, gg = m[gt + 2 * u + j]!, o = m[gt + 3 * u + j]!;
        const c = m[p.cs + (s + 1) * bu + r * u + j]!;
        const cp = m[p.cs + s * bu + r * u + j]!;
        const tc = rnnAct(p.act, c);
        const dct = dcIn + dh * o * rnnActGrad(p.act, tc);
        const d = [dct * gg * rnnActGrad(p.ract, i), dct * cp * rnnActGrad(p.ract, f), dct * i * rnnActGrad(p.act, gg), dh * tc * rnnActGrad(p.ract, o)];
        for (let g = 0; g < 4; g++) (m[dzx + g * u + j] = d[g]!), dzh(g, d[g]!);
        m[p.dc + r * u + j] = dct * f;
        m[p.dhd + r * u + j] = 0;
        continue;
      }
      if (!on) {
        m[p.dhd + r * u + j] = dh;
        for (let g = 0; g < G; g++) (m[dzx + g * u + j] = 0), dzh(g, 0);
        continue;
      }
      if (p.cell === 0) {
        const hn = m[hp + bu + j]!;
        const da = dh * rnnActGrad(p.act, hn);
        m[dzx + j] = da;
        dzh(0, da);
        m[p.dhd + r * u + j] = 0;
        continue;
      }
      const z = m[gt + j]!, rr = m[gt + u + j]!, hh = m[gt + 2 * u + j]!;
      const dz = dh * (m[hp + j]! - hh) * rnnActGrad(p.ract, z);
      const dah = dh * (1 - z) * rnnActGrad(p.act, hh);
      m[dzx + j] = dz;
      dzh(0, dz);
      m[dzx + 2 * u + j] = dah;
      m[p.dhd + r * u + j] = dh * z;
      if (p.resetAfter) {
        const zhh = m[p.ex + s * bu + r * u + j]!;
        const dzr = dah * zhh * rnnActGrad(p.ract, rr);
        m[dzx + u + j] = dzr;
        dzh(1, dzr);
        dzh(2, dah * rr);
      } else {
        dzh(2, dah); // the reset gate's part follows in gruResetBackward
      }
    }
  }
}

/** The reference backend's rnnForward: one work array holding inputs, output and scratch. */
export function referenceRnnForward(
  alloc: (n: number) => FloatArray,
  g: RnnGeometry,
  zx: FloatArray,
  rk: FloatArray,
  rb: FloatArray | null,
  rmask: FloatArray | null,
  smask: FloatArray | null,
): FloatArray {
  const L = rnnLayout(g);
  const w = new Work(alloc);
  const a = { zx: w.put(zx), rk: w.put(rk), rb: w.put(rb), rmask: w.put(rmask), smask: w.put(smask), out: w.reserve(L.forward), zh: w.reserve(rnnForwardScratch(g) / 2), hm: w.reserve(rnnForwardScratch(g) / 2) };
  const m = w.build();
  runRnnForward(g, referenceRnnKernels(m), a);
  return m.slice(a.out, a.out + L.forward);
}

/** The reference backend's rnnBackward. */
export function referenceRnnBackward(
  alloc: (n: number) => FloatArray,
  g: RnnGeometry,
  fwd: FloatArray,
  rk: FloatArray,
  rmask: FloatArray | null,
  smask: FloatArray | null,
  dy: FloatArray,
): FloatArray {
  const L = rnnLayout(g);
  const w = new Work(alloc);
  const a = { fwd: w.put(fwd), rk: w.put(rk), rmask: w.put(rmask), smask: w.put(smask), dy: w.put(dy), out: w.reserve(L.backward), scratch: w.reserve(rnnBackwardScratch(g, rmask !== null)) };
  const m = w.build();
  runRnnBackward(g, referenceRnnKernels(m), a);
  return m.slice(a.out, a.out + L.backward);
}

/** Lays inputs and zeroed buffers out in one array. */
class Work {
  private size = 0;
  private readonly parts: [number, FloatArray][] = [];
  constructor(private readonly alloc: (n: number) => FloatArray) {}
  put(x: FloatArray | null): number {
    if (!x) return -1;
    const at = this.reserve(x.length);
    this.parts.push([at, x]);
    return at;
  }
  reserve(n: number): number {
    const at = this.size;
    this.size += n;
    return at;
  }
  build(): FloatArray {
    const m = this.alloc(this.size);
    for (const [at, x] of this.parts) m.set(x, at);
    return m;
  }
}

export { RNN_GATES };
