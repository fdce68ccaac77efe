/**
 * An independent, step-by-step re-implementation of Keras 3's SimpleRNN,
 * LSTM and GRU cells (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py,
 * implementation 1 with per-gate dropout masks) in plain float64 loops: the
 * oracle for recurrent dropout and masking, which TF.js cannot check.
 */

export type Cell = 'simpleRNN' | 'lstm' | 'gru';
type Vec = Float64Array;

const ACT: Record<string, (x: number) => number> = {
  linear: (x) => x,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  hard_sigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  relu: (x) => Math.max(x, 0),
};

export interface FormulaArgs {
  cell: Cell;
  units: number;
  /** x[b][t][n] */
  x: number[][][];
  /** kernel [n, G·u], recurrent [u, G·u], flat row-major. */
  kernel: ArrayLike<number>;
  recurrent: ArrayLike<number>;
  /** bias [G·u] or, GRU resetAfter, [2·G·u] (input row, then recurrent row); null without bias. */
  bias: ArrayLike<number> | null;
  activation?: string;
  recurrentActivation?: string;
  resetAfter?: boolean;
  goBackwards?: boolean;
  /** Input dropout masks: 1 shared or G per gate, each [b, n] flat. */
  inputMasks?: ArrayLike<number>[];
  /** Recurrent masks: G per gate (SimpleRNN: 1), each [b, u] flat. */
  recurrentMasks?: ArrayLike<number>[];
  /** Sequence mask [b][t] (1 real, 0 padding). */
  mask?: number[][];
}

export interface FormulaResult {
  /** outputs[b][s][u] in processing order. */
  outputs: number[][][];
  h: number[][];
  c: number[][] | null;
}

/** Runs the cell over every sequence, one step at a time. */
export function rnnFormula(a: FormulaArgs): FormulaResult {
  const G = a.cell === 'lstm' ? 4 : a.cell === 'gru' ? 3 : 1;
  const u = a.units;
  const n = a.x[0]![0]!.length;
  const T = a.x[0]!.length;
  const act = ACT[a.activation ?? 'tanh']!;
  const ract = ACT[a.recurrentActivation ?? 'sigmoid']!;
  const K = (i: number, col: number) => a.kernel[i * G * u + col]!;
  const R = (i: number, col: number) => a.recurrent[i * G * u + col]!;
  const resetAfter = a.resetAfter ?? true;
  const inB = (col: number) => (a.bias ? a.bias[col]! : 0);
  const recB = (col: number) => (a.bias && a.cell === 'gru' && resetAfter ? a.bias[G * u + col]! : 0);
  const outputs: number[][][] = [];
  const hs: number[][] = [];
  const cs: number[][] = [];
  for (let b = 0; b < a.x.length; b++) {
    let h: Vec = new Float64Array(u);
    let c: Vec = new Float64Array(u);
    const seq: number[][] = [];
    for (let s = 0; s < T; s++) {
      const t = a.goBackwards ? T - 1 - s : s;
      const xt = a.x[b]![t]!;
      // x_g = (x ∘ dp_g)·K_g + b_g
      const xg = (g: number, j: number): number => {
        const m = a.inputMasks?.length ? a.inputMasks[a.inputMasks.length === 1 ? 0 : g]! : null;
        let v = inB(g * u + j);
        for (let i = 0; i < n; i++) v += xt[i]! * (m ? m[b * n + i]! : 1) * K(i, g * u + j);
        return v;
      };
      const hMasked = (g: number, i: number): number => {
        const m = a.recurrentMasks?.length ? a.recurrentMasks[a.recurrentMasks.length === 1 ? 0 : g]! : null;
        return h[i]! * (m ? m[b * u + i]! : 1);
      };
      const hg = (g: number, j: number, src?: (i: number) => number): number => {
        let v = 0;
        for (let i = 0; i < u; i++) v += (src ? src(i) : hMasked(g, i)) * R(i, g * u + j);
        return v;
      };
      const nh = new Float64Array(u);
      const nc = new Float64Array(u);
      if (a.cell === 'simpleRNN') {
        for (let j = 0; j < u; j++) nh[j] = act(xg(0, j) + hg(0, j));
      } else if (a.cell === 'lstm') {
        for (let j = 0; j < u; j++) {
          const i = ract(xg(0, j) + hg(0, j));
          const f = ract(xg(1, j) + hg(1, j));
          const cc = act(xg(2, j) + hg(2, j));
          const o = ract(xg(3, j) + hg(3, j));
          nc[j] = f * c[j]! + i * cc;
          nh[j] = o * act(nc[j]!);
        }
      } else {
        const z = new Float64Array(u);
        const r = new Float64Array(u);
        for (let j = 0; j < u; j++) {
          z[j] = ract(xg(0, j) + hg(0, j) + recB(j));
          r[j] = ract(xg(1, j) + hg(1, j) + recB(u + j));
        }
        for (let j = 0; j < u; j++) {
          const rec = resetAfter ? r[j]! * (hg(2, j) + recB(2 * u + j)) : hg(2, j, (i) => r[i]! * hMasked(2, i));
          const hh = act(xg(2, j) + rec);
          nh[j] = z[j]! * h[j]! + (1 - z[j]!) * hh;
        }
      }
      const keep = !a.mask || a.mask[b]![t] !== 0;
      if (keep) {
        h = nh;
        c = nc;
      }
      seq.push([...h]);
    }
    outputs.push(seq);
    hs.push([...h]);
    cs.push([...c]);
  }
  return { outputs, h: hs, c: a.cell === 'lstm' ? cs : null };
}
