/**
 * Matrix products: `matmul` (2-D and batched, transpose flags) and the fused
 * `dense` op (x·W + b, then an activation) that Dense layers use, so the
 * backend can run bias and activation in the GEMM epilogue.
 */
import type { FloatArray, FusedActivation } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';
import { sum } from './reduce.js';

interface Dims {
  batch: number;
  m: number;
  k: number;
  n: number;
  aBatched: boolean;
  bBatched: boolean;
  outShape: number[];
}

function dims(a: Tensor, b: Tensor, tA: boolean, tB: boolean): Dims {
  const fail = (): never => {
    throw new Error(`matmul: cannot multiply ${fmt(a.shape)}${tA ? 'ᵀ' : ''} by ${fmt(b.shape)}${tB ? 'ᵀ' : ''}`);
  };
  if (a.rank < 2 || b.rank < 2 || a.rank > 3 || b.rank > 3) fail();
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const kb = tB ? bc : br;
  const n = tB ? br : bc;
  if (k !== kb) fail();
  const aBatched = a.rank === 3;
  const bBatched = b.rank === 3;
  const batch = aBatched ? a.shape[0]! : bBatched ? b.shape[0]! : 1;
  if (aBatched && bBatched && a.shape[0] !== b.shape[0]) fail();
  const outShape = aBatched || bBatched ? [batch, m, n] : [m, n];
  return { batch, m, k, n, aBatched, bBatched, outShape };
}

/**
 * C = op(A)·op(B), op = transpose when the flag is set. Ranks 2 or 3; a rank-2
 * operand is broadcast over the other's batch.
 * @example matmul(x, w) // [b, in] · [in, out] → [b, out]
 */
export function matmul(aIn: Tensor, bIn: Tensor, transposeA = false, transposeB = false): Tensor {
  const a = asFloat(aIn, 'matmul');
  const b = asFloat(bIn, 'matmul');
  const d = dims(a, b, transposeA, transposeB);
  const data = getBackend().matmul({
    a: fdata(a),
    b: fdata(b),
    batch: d.batch,
    m: d.m,
    k: d.k,
    n: d.n,
    transA: transposeA,
    transB: transposeB,
    aBatchStride: d.aBatched ? d.m * d.k : 0,
    bBatchStride: d.bBatched ? d.k * d.n : 0,
  });
  const out = floatTensor(d.outShape, data);
  return defineOp('matmul', [a, b], out, (dy, needs) => {
    let da = needs[0] === false ? null : transposeA ? matmul(b, dy, transposeB, true) : matmul(dy, b, false, !transposeB);
    let db = needs[1] === false ? null : transposeB ? matmul(dy, a, true, transposeA) : matmul(a, dy, !transposeA, false);
    if (da && !d.aBatched && da.rank === 3) da = sum(da, 0);
    if (db && !d.bBatched && db.rank === 3) db = sum(db, 0);
    return [da, db];
  });
}

/**
 * y = activation(x·W + b) for x [batch, in], W [in, units], b [units] — one
 * fused kernel call. activation ∈ linear | relu | sigmoid | tanh.
 */
export function dense(xIn: Tensor, wIn: Tensor, bIn: Tensor | null, activation: FusedActivation = 'linear'): Tensor {
  const x = asFloat(xIn, 'dense');
  const w = asFloat(wIn, 'dense');
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new Error(`dense: cannot multiply input ${fmt(x.shape)} by kernel ${fmt(w.shape)}`);
  }
  const [batch, inDim] = x.shape as [number, number];
  const units = w.shape[1]!;
  if (bIn && (bIn.rank !== 1 || bIn.shape[0] !== units)) throw new Error(`dense: bias ${fmt(bIn.shape)} does not match ${units} units`);
  const be = getBackend();
  const out = floatTensor(
    [batch, units],
    be.matmul({
      a: fdata(x),
      b: fdata(w),
      batch: 1,
      m: batch,
      k: inDim,
      n: units,
      transA: false,
      transB: false,
      aBatchStride: 0,
      bBatchStride: 0,
      ...(bIn ? { bias: fdata(bIn) } : {}),
      activation,
    }),
  );
  const inputs = bIn ? [x, w, bIn] : [x, w];
  return defineOp('dense', inputs, out, (dy, needs) => {
    // Backend calls straight away (no op machinery per product: small layers are overhead-bound).
    const dz = activation === 'linear' ? fdata(dy) : be.unaryBackward(activation, fdata(out), fdata(out), fdata(dy), 0);
    const product = (a: FloatArray, b: FloatArray, m: number, k: number, n: number, transA: boolean, transB: boolean): FloatArray =>
      be.matmul({ a, b, batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 });
    // The input of a first layer (data) needs no gradient: skip its GEMM (a third of that layer's backward).
    const dx = needs[0] === false ? null : floatTensor(x.shape, product(dz, fdata(w), batch, units, inDim, false, true));
    const dw = needs[1] === false ? null : floatTensor(w.shape, product(fdata(x), dz, inDim, batch, units, true, false));
    if (!bIn) return [dx, dw];
    return [dx, dw, needs[2] === false ? null : floatTensor(bIn.shape, be.reduce('sum', dz, 1, batch, units))];
  });
}
