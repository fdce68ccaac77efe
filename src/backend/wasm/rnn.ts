/**
 * The wasm backend's recurrent sequences: the plan of reference/rnn.ts run
 * on the wasm memory. Addresses are element offsets (byte offset / 4); GEMMs
 * go to the split `gemm` kernel (threads, bit-identical on any count), the
 * per-step cell kernels to assembly/rnn.ts, which read the addresses and
 * dimensions from one int32 parameter block (RNN_P_* below, the same order as
 * assembly/rnn.ts). WasmBackend delegates its two rnn methods here.
 */
import type { FloatArray, RnnGeometry } from '../backend.js';
import { rnnBackwardScratch, rnnForwardScratch, rnnLayout, runRnnBackward, runRnnForward, type RnnKernels, type RnnParams } from '../reference/rnn.js';
import type { Dispatch } from './dispatch.js';
import { GEMM_TRANS_A, GEMM_TRANS_B, type KernelExports } from './exports.js';
import type { WasmMemory } from './memory.js';

/** The parameter block's fields, in order (assembly/rnn.ts P_*). */
const FIELDS: readonly (keyof RnnParams)[] = [
  'b', 'T', 'u', 'e', 'G', 'cell', 'resetAfter', 'act', 'ract', 'backwards',
  'zx', 'zh', 'rb', 'hs', 'cs', 'gt', 'ex', 'y', 'smask', 'rmask', 'hm',
  'dy', 'dzx', 'dzh', 'dh', 'dc', 'dhd', 'q', 'drh',
];

/** Cost of one cell row per unit, in flop-like units (activations count ≈ 10). */
const CELL_COST = 60;

function kernels(d: Dispatch, k: KernelExports, mem: WasmMemory): RnnKernels {
  let block = 0;
  let blockOf: RnnParams | undefined;
  /** The parameter block of p (written once per plan run). */
  const params = (p: RnnParams): number => {
    if (blockOf !== p) {
      const blk = mem.arenaI32(FIELDS.length);
      FIELDS.forEach((f, i) => (blk[i] = p[f] < 0 ? -1 : p[f]));
      block = blk.byteOffset;
      blockOf = p;
    }
    return block;
  };
  const cost = (p: RnnParams): number => p.u * CELL_COST * (p.G || 1);
  return {
    gemm(a, b, c, batch, m, kk, n, aStride, bStride, transA, transB) {
      const flags = (transA ? GEMM_TRANS_A : 0) | (transB ? GEMM_TRANS_B : 0);
      d.split('gemm', [a * 4, b * 4, c * 4, 0, batch, m, kk, n, aStride, bStride, flags], batch * m, n, 2 * batch * m * n * kk);
    },
    maskState(x, mask, out, gates, reps, n) {
      k.rnnMaskState(x * 4, mask * 4, out * 4, gates, reps, n);
    },
    cellForward(p, s, r0, r1) {
      d.range('rnnCellForward', [params(p), s], r1 - r0, cost(p));
    },
    gruReset(p, s, r0, r1) {
      d.range('rnnGruReset', [params(p), s], r1 - r0, p.u * 20);
    },
    cellBackward(p, s, r0, r1) {
      d.range('rnnCellBackward', [params(p), s], r1 - r0, cost(p));
    },
    gruResetBackward(p, s, r0, r1) {
      d.range('rnnGruResetBackward', [params(p), s], r1 - r0, p.u * 20);
    },
    combine(p, r0, r1) {
      d.range('rnnCombine', [params(p), 0], r1 - r0, p.u * 2 * p.G);
    },
    sumRows(x, out, gates, rows, n) {
      k.reduce(0, x * 4, out * 4, gates, rows, n);
    },
  };
}

/** Element address of a wasm-owned float32 view. */
const addr = (d: Dispatch, x: FloatArray | null): number => (x ? d.ptr(x) >> 2 : -1);

/** `rnnForward` on the wasm backend. */
export function rnnForward(d: Dispatch, k: KernelExports, mem: WasmMemory, g: RnnGeometry, zx: FloatArray, rk: FloatArray, rb: FloatArray | null, rmask: FloatArray | null, smask: FloatArray | null): FloatArray {
  return d.call(() => {
    const L = rnnLayout(g);
    const out = d.f32(L.forward).fill(0);
    const scratch = d.f32(rnnForwardScratch(g)).fill(0);
    const half = scratch.length / 2;
    const a = { zx: addr(d, zx), rk: addr(d, rk), rb: addr(d, rb), rmask: addr(d, rmask), smask: addr(d, smask), out: out.byteOffset >> 2, zh: scratch.byteOffset >> 2, hm: (scratch.byteOffset >> 2) + half };
    runRnnForward(g, kernels(d, k, mem), a);
    return out;
  });
}

/** `rnnBackward` on the wasm backend. */
export function rnnBackward(d: Dispatch, k: KernelExports, mem: WasmMemory, g: RnnGeometry, fwd: FloatArray, rk: FloatArray, rmask: FloatArray | null, smask: FloatArray | null, dy: FloatArray): FloatArray {
  return d.call(() => {
    const L = rnnLayout(g);
    const out = d.f32(L.backward).fill(0);
    const scratch = d.f32(rnnBackwardScratch(g, rmask !== null)).fill(0);
    const a = { fwd: addr(d, fwd), rk: addr(d, rk), rmask: addr(d, rmask), smask: addr(d, smask), dy: addr(d, dy), out: out.byteOffset >> 2, scratch: scratch.byteOffset >> 2 };
    runRnnBackward(g, kernels(d, k, mem), a);
    return out;
  });
}
