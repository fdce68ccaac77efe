/**
 * The WebAssembly backend: every Backend method dispatches to a kernel of
 * build/regula.wasm; TypeScript here only moves buffers and picks kernels.
 *
 * Buffers: inside a scope, outputs are views into the step arena (zero-copy
 * between kernels); outside any scope, a kernel runs in a temporary arena
 * region and its output is copied out to an ordinary array. Inputs that are
 * not views into the wasm memory are copied in first — except the big,
 * partly-read sources of `gather` and `slice` (a whole dataset), which are
 * read in place. Parameters and optimizer slots live in persistent blocks.
 */
import type {
  AdamArgs,
  AffineGeometry,
  AnyArray,
  ArgReduceOp,
  Backend,
  BinaryOp,
  Conv1dGeometry,
  Conv2dGeometry,
  FloatArray,
  MatmulArgs,
  Pool1dGeometry,
  Pool2dGeometry,
  PoolKind,
  ReduceOp,
  RmspropArgs,
  RnnGeometry,
  StreamArgs,
  UnaryOp,
} from '../backend.js';
import { broadcastStrides, collapse, contiguousStrides } from './collapse.js';
import { Dispatch, copyStridedJs } from './dispatch.js';
import * as P2 from './pool2d.js';
import * as AF from './affine.js';
import * as RNN from './rnn.js';
import { WasmConv2d } from './conv2d.js';
import { sizeOf } from '../../tensor/shape.js';
import {
  ACTIVATION_CODES,
  ARG_REDUCE_CODES,
  BINARY_CODES,
  GEMM_TRANS_A,
  GEMM_TRANS_B,
  POOL_CODES,
  REDUCE_CODES,
  UNARY_CODES,
  type KernelExports,
} from './exports.js';
import type { WasmMemory } from './memory.js';
import type { ThreadPool } from './threads.js';

const TWO32 = 0x100000000;

/** Backend over the AssemblyScript kernels; see the module header. */
export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  private readonly d: Dispatch;
  private readonly c2: WasmConv2d;

  constructor(
    readonly mem: WasmMemory,
    private readonly k: KernelExports,
    readonly pool: ThreadPool,
  ) {
    this.d = new Dispatch(mem, k, pool);
    this.c2 = new WasmConv2d(this.d, k);
  }

  /** The kernels of the calling thread (a profiler may wrap them to count calls into wasm). */
  get kernels(): KernelExports {
    return this.k;
  }

  /** Threads used by the big kernels (calling thread included). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Uses n threads in all; resolves once the workers are running. */
  async setThreads(n: number): Promise<void> {
    await this.pool.setThreads(n);
    this.d.ensureScratch();
  }

  // ---- memory -------------------------------------------------------------------

  allocFloat(size: number): FloatArray {
    return this.d.inScope ? this.mem.arenaF32(size).fill(0) : new Float32Array(size);
  }
  allocInt(size: number): Int32Array {
    return this.d.inScope ? this.d.i32(size).fill(0) : new Int32Array(size);
  }
  allocPersistent(size: number): FloatArray {
    return this.mem.allocPersistentF32(size);
  }
  beginScope(): void {
    this.d.beginScope();
  }
  endScope(): void {
    this.d.endScope();
  }
  copyOut(x: AnyArray): AnyArray {
    return x.slice();
  }
  fromValues(values: ArrayLike<number>): FloatArray {
    const out = new Float32Array(values.length);
    out.set(values);
    return out;
  }

  // ---- elementwise ----------------------------------------------------------------

  fill(size: number, value: number): FloatArray {
    return this.d.call(() => this.d.f32(size).fill(value));
  }
  unary(op: UnaryOp, x: FloatArray, alpha: number): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(x.length);
      this.k.unary(UNARY_CODES[op], this.d.ptr(x), y.byteOffset, x.length, alpha);
      return y;
    });
  }
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, alpha: number): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(x.length);
      this.k.unaryBackward(UNARY_CODES[op], this.d.ptr(x), this.d.ptr(y), this.d.ptr(dy), dx.byteOffset, x.length, alpha);
      return dx;
    });
  }
  binary(op: BinaryOp, a: FloatArray, aShape: readonly number[], b: FloatArray, bShape: readonly number[], outShape: readonly number[]): FloatArray {
    return this.d.call(() => {
      const n = sizeOf(outShape);
      const out = this.d.f32(n);
      if (n === 0) return out;
      // Broadcasting only stretches: an input with all n elements is laid out like the output.
      // Same-shape and scalar operands (most calls) skip the stride bookkeeping.
      const flat = (a.length === n || a.length === 1) && (b.length === n || b.length === 1);
      const s = flat
        ? { shape: [n], strides: [[a.length === n || n === 1 ? 1 : 0], [b.length === n || n === 1 ? 1 : 0]] }
        : collapse(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
      this.k.binary(BINARY_CODES[op], this.d.ptr(a), this.d.ptr(b), out.byteOffset, s.shape.length, this.d.dims(s));
      return out;
    });
  }
  where(
    cond: FloatArray,
    condShape: readonly number[],
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    outShape: readonly number[],
  ): FloatArray {
    return this.d.call(() => {
      const out = this.d.f32(sizeOf(outShape));
      if (out.length === 0) return out;
      const s = collapse(outShape, [condShape, aShape, bShape].map((sh) => broadcastStrides(sh, outShape)));
      this.k.where(this.d.ptr(cond), this.d.ptr(a), this.d.ptr(b), out.byteOffset, s.shape.length, this.d.dims(s));
      return out;
    });
  }
  clip(x: FloatArray, lo: number, hi: number): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(x.length);
      this.k.clip(this.d.ptr(x), y.byteOffset, x.length, lo, hi);
      return y;
    });
  }
  clipBackward(x: FloatArray, dy: FloatArray, lo: number, hi: number): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(x.length);
      this.k.clipBackward(this.d.ptr(x), this.d.ptr(dy), dx.byteOffset, x.length, lo, hi);
      return dx;
    });
  }
  axpby(a: number, x: FloatArray, b: number, y: FloatArray): FloatArray {
    return this.d.call(() => {
      const out = this.d.f32(x.length);
      this.k.axpby(a, this.d.ptr(x), b, this.d.ptr(y), out.byteOffset, x.length);
      return out;
    });
  }
  castToFloat(x: Int32Array): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(x.length);
      this.k.castToFloat(this.d.ptr(x), y.byteOffset, x.length);
      return y;
    });
  }
  castToInt(x: FloatArray): Int32Array {
    return this.d.call(() => {
      const y = this.d.i32(x.length);
      this.k.castToInt(this.d.ptr(x), y.byteOffset, x.length);
      return y;
    });
  }

  // ---- reductions -------------------------------------------------------------------

  reduce(op: ReduceOp, x: FloatArray, outer: number, n: number, inner: number): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(outer * inner);
      this.k.reduce(REDUCE_CODES[op], this.d.ptr(x), y.byteOffset, outer, n, inner);
      return y;
    });
  }
  sumSquares(x: FloatArray): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(1);
      this.k.sumSquares(this.d.ptr(x), y.byteOffset, x.length);
      return y;
    });
  }
  argReduce(op: ArgReduceOp, x: FloatArray, outer: number, n: number, inner: number): Int32Array {
    return this.d.call(() => {
      const y = this.d.i32(outer * inner);
      this.k.argReduce(ARG_REDUCE_CODES[op], this.d.ptr(x), y.byteOffset, outer, n, inner);
      return y;
    });
  }

  // ---- layout -----------------------------------------------------------------------

  transpose<T extends AnyArray>(x: T, shape: readonly number[], perm: readonly number[]): T {
    return this.d.call(() => {
      const out = this.d.like(x, x.length);
      if (out.length === 0) return out;
      const inStrides = contiguousStrides(shape);
      const s = collapse(
        perm.map((p) => shape[p]!),
        [perm.map((p) => inStrides[p]!)],
      );
      this.d.strided(this.d.ptr(x), out.byteOffset, s);
      return out;
    }) as T;
  }
  slice<T extends AnyArray>(x: T, shape: readonly number[], begin: readonly number[], size: readonly number[]): T {
    return this.d.call(() => {
      const out = this.d.like(x, sizeOf(size));
      if (out.length === 0) return out;
      const st = contiguousStrides(shape);
      const offset = begin.reduce((acc, b, i) => acc + b * st[i]!, 0);
      const s = collapse(size, [st]);
      if (!(x instanceof Float64Array) && this.d.owns(x)) this.d.strided(x.byteOffset + 4 * offset, out.byteOffset, s);
      else copyStridedJs(x, offset, s, out);
      return out;
    }) as T;
  }

  concat<T extends AnyArray>(xs: readonly T[], outer: number, parts: readonly number[]): T {
    return this.d.call(() => {
      const total = parts.reduce((a, b) => a + b, 0);
      const out = xs[0] instanceof Int32Array ? this.d.i32(outer * total) : this.d.f32(outer * total);
      let off = 0;
      xs.forEach((x, p) => {
        const w = parts[p]!;
        if (w > 0 && outer > 0) this.k.copy2d(this.d.ptr(x), out.byteOffset + 4 * off, outer, w, w, total);
        off += w;
      });
      return out;
    }) as T;
  }
  gather(x: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray {
    return this.d.call(() => {
      const m = indices.length;
      const out = this.d.f32(outer * m * inner);
      if (x instanceof Float32Array && this.d.owns(x)) {
        this.k.gather(x.byteOffset, this.d.ptr(indices), out.byteOffset, outer, n, inner, m);
      } else {
        // A host array (e.g. a whole dataset): copy just the gathered rows,
        // runs of consecutive indices (predict's batches) in one copy each.
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < m; ) {
            let e = j + 1;
            while (e < m && indices[e] === indices[e - 1]! + 1) e++;
            const src = (o * n + indices[j]!) * inner;
            const dst = (o * m + j) * inner;
            const len = (e - j) * inner;
            // Short runs (a shuffled batch of narrow rows): a plain loop beats a subarray view per row.
            if (len <= 64) for (let t = 0; t < len; t++) out[dst + t] = x[src + t]!;
            else out.set(x.subarray(src, src + len), dst);
            j = e;
          }
        }
      }
      return out;
    });
  }
  gatherBackward(dy: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(outer * n * inner);
      this.k.gatherBackward(this.d.ptr(dy), this.d.ptr(indices), dx.byteOffset, outer, n, inner, indices.length);
      return dx;
    });
  }
  oneHot(indices: Int32Array, depth: number, on: number, off: number): FloatArray {
    return this.d.call(() => {
      const out = this.d.f32(indices.length * depth);
      this.k.oneHot(this.d.ptr(indices), out.byteOffset, indices.length, depth, on, off);
      return out;
    });
  }

  // ---- matmul / conv / pool -------------------------------------------------------------

  matmul(p: MatmulArgs): FloatArray {
    return this.d.call(() => {
      const { batch, m, k, n } = p;
      const c = this.d.f32(batch * m * n);
      const flags = (p.transA ? GEMM_TRANS_A : 0) | (p.transB ? GEMM_TRANS_B : 0) | (ACTIVATION_CODES[p.activation ?? 'linear'] << 2);
      const fixed = [this.d.ptr(p.a), this.d.ptr(p.b), c.byteOffset, p.bias ? this.d.ptr(p.bias) : 0, batch, m, k, n, p.aBatchStride, p.bBatchStride, flags];
      this.d.split('gemm', fixed, batch * m, n, 2 * batch * m * n * k);
      return c;
    });
  }
  conv1dForward(x: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(g.batch * g.outLen * g.outC);
      this.d.split('conv1dForward', [this.d.ptr(x), this.d.ptr(w), y.byteOffset, ...geometry(g)], g.batch * g.outLen, g.outC, convFlops(g));
      return y;
    });
  }
  conv1dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(g.batch * g.inLen * g.inC);
      this.d.split('conv1dBackwardInput', [this.d.ptr(dy), this.d.ptr(w), dx.byteOffset, ...geometry(g)], g.batch * g.inLen, g.inC, convFlops(g) * g.stride);
      return dx;
    });
  }
  conv1dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv1dGeometry): FloatArray {
    return this.d.call(() => {
      const dw = this.d.f32(g.k * g.inC * g.outC);
      this.d.split('conv1dBackwardFilter', [this.d.ptr(x), this.d.ptr(dy), dw.byteOffset, ...geometry(g)], g.k * g.inC, g.outC, convFlops(g));
      return dw;
    });
  }
  conv2dForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.c2.forward(x, w, g);
  }
  conv2dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.c2.backwardInput(dy, w, g);
  }
  conv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.c2.backwardFilter(x, dy, g);
  }
  depthwiseConv2dForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.c2.depthwiseForward(x, w, g);
  }
  depthwiseConv2dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.c2.depthwiseBackwardInput(dy, w, g);
  }
  depthwiseConv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.c2.depthwiseBackwardFilter(x, dy, g);
  }
  pool1dForward(kind: PoolKind, x: FloatArray, g: Pool1dGeometry): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(g.batch * g.outLen * g.c);
      this.k.pool1dForward(POOL_CODES[kind], this.d.ptr(x), y.byteOffset, g.batch, g.inLen, g.c, g.outLen, g.pool, g.stride, g.padLeft);
      return y;
    });
  }
  pool1dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool1dGeometry): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(g.batch * g.inLen * g.c);
      this.k.pool1dBackward(POOL_CODES[kind], this.d.ptr(x), this.d.ptr(y), this.d.ptr(dy), dx.byteOffset, g.batch, g.inLen, g.c, g.outLen, g.pool, g.stride, g.padLeft);
      return dx;
    });
  }
  pool2dForward(kind: PoolKind, x: FloatArray, g: Pool2dGeometry): FloatArray {
    return P2.pool2dForward(this.d, kind, x, g);
  }
  pool2dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool2dGeometry): FloatArray {
    return P2.pool2dBackward(this.d, kind, x, y, dy, g);
  }
  affineTransform(x: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray {
    return AF.affineTransform(this.d, this.mem, x, transforms, g);
  }
  affineTransformBackward(dy: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray {
    return AF.affineTransformBackward(this.d, this.mem, dy, transforms, g);
  }
  rnnForward(g: RnnGeometry, zx: FloatArray, rk: FloatArray, rb: FloatArray | null, rmask: FloatArray | null, smask: FloatArray | null): FloatArray {
    return RNN.rnnForward(this.d, this.k, this.mem, g, zx, rk, rb, rmask, smask);
  }
  rnnBackward(g: RnnGeometry, fwd: FloatArray, rk: FloatArray, rmask: FloatArray | null, smask: FloatArray | null, dy: FloatArray): FloatArray {
    return RNN.rnnBackward(this.d, this.k, this.mem, g, fwd, rk, rmask, smask, dy);
  }

  // ---- softmax family ---------------------------------------------------------------------

  softmax(x: FloatArray, outer: number, n: number): FloatArray {
    return this.rows((px, py) => this.k.softmax(px, py, outer, n), x);
  }
  logSoftmax(x: FloatArray, outer: number, n: number): FloatArray {
    return this.rows((px, py) => this.k.logSoftmax(px, py, outer, n), x);
  }
  softmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(y.length);
      this.k.softmaxBackward(this.d.ptr(y), this.d.ptr(dy), dx.byteOffset, outer, n);
      return dx;
    });
  }
  logSoftmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(y.length);
      this.k.logSoftmaxBackward(this.d.ptr(y), this.d.ptr(dy), dx.byteOffset, outer, n);
      return dx;
    });
  }
  softmaxCrossEntropy(logits: FloatArray, labels: FloatArray, outer: number, n: number): FloatArray {
    return this.d.call(() => {
      const loss = this.d.f32(outer);
      this.k.softmaxCrossEntropy(this.d.ptr(logits), this.d.ptr(labels), loss.byteOffset, outer, n, this.d.f32(n).byteOffset);
      return loss;
    });
  }
  softmaxCrossEntropyBackward(logits: FloatArray, labels: FloatArray, dloss: FloatArray, outer: number, n: number): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(logits.length);
      this.k.softmaxCrossEntropyBackward(this.d.ptr(logits), this.d.ptr(labels), this.d.ptr(dloss), dx.byteOffset, outer, n);
      return dx;
    });
  }

  private rows(kernel: (px: number, py: number) => void, x: FloatArray): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(x.length);
      kernel(this.d.ptr(x), y.byteOffset);
      return y;
    });
  }

  // ---- randomness -----------------------------------------------------------------------------

  randomUniform(size: number, s: StreamArgs, lo: number, hi: number): FloatArray {
    return this.d.call(() => {
      const out = this.d.f32(size);
      this.d.range('randomUniform', [out.byteOffset, s.key0, s.key1, s.counter % TWO32, Math.floor(s.counter / TWO32), lo, hi], size, 16);
      return out;
    });
  }
  randomNormal(size: number, s: StreamArgs, mean: number, std: number): FloatArray {
    return this.d.call(() => {
      const out = this.d.f32(size);
      this.d.range('randomNormal', [out.byteOffset, s.key0, s.key1, s.counter % TWO32, Math.floor(s.counter / TWO32), mean, std], size, 80);
      return out;
    });
  }
  dropoutMask(size: number, s: StreamArgs, rate: number): FloatArray {
    return this.d.call(() => {
      const out = this.d.f32(size);
      // cost: a Philox block per 4 lanes takes ≈ 2 ns per element on one core (≈ 64 flop-equivalents), so a
      // 128×512 mask is worth splitting over threads
      this.d.range('dropoutMask', [out.byteOffset, s.key0, s.key1, s.counter % TWO32, Math.floor(s.counter / TWO32), rate], size, 64);
      return out;
    });
  }

  // ---- optimizer updates ----------------------------------------------------------------------

  sgdUpdate(w: FloatArray, g: FloatArray, m: FloatArray | null, lr: number, momentum: number, nesterov: boolean): void {
    this.d.call(() => this.d.range('sgdUpdate', [this.d.inout(w), this.d.ptr(g), m ? this.d.inout(m) : 0, lr, momentum, nesterov ? 1 : 0], w.length, 4));
  }
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vhat: FloatArray | null, p: AdamArgs): void {
    this.d.call(() =>
      this.d.range('adamUpdate', [this.d.inout(w), this.d.ptr(g), this.d.inout(m), this.d.inout(v), vhat ? this.d.inout(vhat) : 0, p.alpha, p.beta1, p.beta2, p.epsilon], w.length, 12),
    );
  }
  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, mg: FloatArray | null, mom: FloatArray | null, p: RmspropArgs): void {
    this.d.call(() =>
      this.d.range(
        'rmspropUpdate',
        [this.d.inout(w), this.d.ptr(g), this.d.inout(v), p.centered && mg ? this.d.inout(mg) : 0, p.momentum > 0 && mom ? this.d.inout(mom) : 0, p.lr, p.rho, p.momentum, p.epsilon],
        w.length,
        12,
      ),
    );
  }
  adagradUpdate(w: FloatArray, g: FloatArray, acc: FloatArray, lr: number, epsilon: number): void {
    this.d.call(() => this.d.range('adagradUpdate', [this.d.inout(w), this.d.ptr(g), this.d.inout(acc), lr, epsilon], w.length, 8));
  }
  scaleInPlace(w: FloatArray, scale: number): void {
    this.d.call(() => this.d.range('scaleInPlace', [this.d.inout(w), scale], w.length, 2));
  }
  maxNormInPlace(w: FloatArray, rows: number, cols: number, maxValue: number, epsilon: number): void {
    this.d.call(() => this.d.range('maxNormInPlace', [this.d.inout(w), this.d.f32(cols).byteOffset, rows, cols, maxValue, epsilon], cols, 4 * rows));
  }
  copyInto(dst: FloatArray, src: FloatArray): void {
    dst.set(src);
  }
}

function geometry(g: Conv1dGeometry): number[] {
  return [g.batch, g.inLen, g.inC, g.outLen, g.outC, g.k, g.stride, g.dilation, g.padLeft];
}

function convFlops(g: Conv1dGeometry): number {
  return 2 * g.batch * g.outLen * g.outC * g.k * g.inC;
}
