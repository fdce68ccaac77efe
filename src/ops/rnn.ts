/**
 * `rnnSequence`: a whole recurrent sequence (SimpleRNN, LSTM or GRU cell) as
 * one op. Its input is the input projection of every step, computed by the
 * caller as one GEMM ([b·T, in] × [in, G·u], bias included); the op runs the
 * recurrence with the backend's fused step kernels and records one tape node
 * whose backward is backprop through time (backend `rnnBackward`): memory is
 * the per-step states and gate activations, linear in T, never a graph per
 * step. Formulas: docs/semantics.md (Recurrent layers).
 */
import type { RnnActivation, RnnCellKind, RnnGeometry } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { rnnLayout, RNN_GATES } from '../backend/reference/rnn.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';

export type { RnnActivation, RnnCellKind } from '../backend/backend.js';

/** The activations the recurrent kernels fuse (their derivatives are functions of their outputs). */
export const RNN_ACTIVATIONS: readonly RnnActivation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softsign', 'elu', 'selu', 'exponential'];

export interface RnnSequenceOptions {
  cell: RnnCellKind;
  activation: RnnActivation;
  recurrentActivation?: RnnActivation;
  /** GRU: reset gate after the recurrent product (Keras 3 default true). */
  resetAfter?: boolean;
  /** Step s reads time T−1−s; outputs stay in processing order (Keras). */
  goBackwards?: boolean;
  /** Recurrent dropout, one mask per gate: [G, batch, units] (values 0 or 1/(1−rate)). */
  recurrentMask?: Tensor | null;
  /** Sequence mask [batch, steps]: 0 = padding (the step carries the previous state and output). */
  mask?: Tensor | null;
}

/** Gates per unit of a cell: simpleRNN 1, lstm 4, gru 3. */
export function rnnGates(cell: RnnCellKind): number {
  return RNN_GATES[cell];
}

/**
 * Runs the recurrence. zx [batch, steps, G·units] (the input projection with
 * its bias), recurrentKernel [units, G·units], recurrentBias [G·units] (GRU
 * resetAfter only) or null. Returns [batch, steps + e, units]: row s is the
 * output of step s; for LSTM (e = 1) row `steps` is the final carry c.
 * @example
 * const zx = reshape(matmul(reshape(x, [b * T, n]), kernel), [b, T, 4 * u]);
 * const y = rnnSequence(add(zx, bias), recurrentKernel, null, { cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid' });
 */
export function rnnSequence(zxIn: Tensor, recurrentKernel: Tensor, recurrentBias: Tensor | null, o: RnnSequenceOptions): Tensor {
  const zx = asFloat(zxIn, 'rnnSequence');
  const rk = asFloat(recurrentKernel, 'rnnSequence');
  const G = RNN_GATES[o.cell];
  if (G === undefined) throw new Error(`rnnSequence: cell must be 'simpleRNN', 'lstm' or 'gru', got ${JSON.stringify(o.cell)}`);
  if (rk.rank !== 2 || rk.shape[1] !== G * rk.shape[0]!) throw new Error(`rnnSequence: recurrentKernel must be [units, ${G}·units] for ${o.cell}, got ${fmt(rk.shape)}`);
  const u = rk.shape[0]!;
  if (zx.rank !== 3 || zx.shape[2] !== G * u) throw new Error(`rnnSequence: zx must be [batch, steps, ${G * u}] (${G}·units), got ${fmt(zx.shape)}`);
  const [b, T] = zx.shape as [number, number, number];
  if (T < 1) throw new Error(`rnnSequence: needs at least one step, got zx ${fmt(zx.shape)}`);
  for (const a of [o.activation, o.recurrentActivation ?? 'sigmoid']) {
    if (!RNN_ACTIVATIONS.includes(a)) throw new Error(`rnnSequence: activation '${a}' has no fused recurrent kernel; use one of ${RNN_ACTIVATIONS.join(', ')}`);
  }
  const rb = recurrentBias ? asFloat(recurrentBias, 'rnnSequence') : null;
  if (rb && (o.cell !== 'gru' || o.resetAfter === false || rb.size !== G * u)) {
    throw new Error(`rnnSequence: a recurrent bias belongs to a GRU with resetAfter and has ${G * u} values, got ${fmt(rb.shape)} for ${o.cell}`);
  }
  const rmask = o.recurrentMask ?? null;
  if (rmask && (rmask.size !== G * b * u || rmask.dtype !== 'float32')) throw new Error(`rnnSequence: recurrentMask must be float32 [${G}, ${b}, ${u}], got ${rmask.dtype} ${fmt(rmask.shape)}`);
  const smask = o.mask ?? null;
  if (smask && (smask.size !== b * T || smask.dtype !== 'float32')) throw new Error(`rnnSequence: mask must be float32 [${b}, ${T}], got ${smask.dtype} ${fmt(smask.shape)}`);
  const g: RnnGeometry = {
    cell: o.cell,
    resetAfter: o.resetAfter ?? true,
    batch: b,
    steps: T,
    units: u,
    activation: o.activation,
    recurrentActivation: o.recurrentActivation ?? 'sigmoid',
    goBackwards: o.goBackwards ?? false,
  };
  const L = rnnLayout(g);
  const be = getBackend();
  const rkg = be.transpose(fdata(rk), [u, G, u], [1, 0, 2]);
  const rmd = rmask ? fdata(rmask) : null;
  const smd = smask ? fdata(smask) : null;
  const fwd = be.rnnForward(g, fdata(zx), rkg, rb ? fdata(rb) : null, rmd, smd);
  const out = floatTensor([b, T + L.extra, u], fwd.subarray(0, L.y));
  const inputs = rb ? [zx, rk, rb] : [zx, rk];
  return defineOp('rnnSequence', inputs, out, (dy) => {
    const bk = getBackend();
    const grads = bk.rnnBackward(g, fwd, rkg, rmd, smd, fdata(dy));
    const dzx = floatTensor(zx.shape, grads.subarray(0, L.dzx));
    const drk = floatTensor(rk.shape, bk.transpose(grads.subarray(L.dzx, L.dzx + L.drk), [G, u, u], [1, 0, 2]));
    const out: Tensor[] = [dzx, drk];
    if (rb) out.push(floatTensor(rb.shape, grads.subarray(L.dzx + L.drk, L.dzx + L.drk + L.drb)));
    return out;
  });
}
