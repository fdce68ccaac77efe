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
  AnyArray,
  ArgReduceOp,
  Backend,
  BinaryOp,
  Conv1dGeometry,
  FloatArray,
  MatmulArgs,
  Pool1dGeometry,
  PoolKind,
  ReduceOp,
  RmspropArgs,
  StreamArgs,
  UnaryOp,
} from '../backend.js';
import { broadcastStrides, collapse, contiguousStrides, dimsBlock, type Strided } from './collapse.js';
import {
  ACTIVATION_CODES,
  ARG_REDUCE_CODES,
  BINARY_CODES,
  GEMM_TRANS_A,
  GEMM_TRANS_B,
  POOL_CODES,
  REDUCE_CODES,
  SPLIT_KERNELS,
  UNARY_CODES,
  type KernelExports,
  type SplitKernel,
} from './exports.js';
import type { ArenaMark, WasmMemory } from './memory.js';
import { MIN_FLOPS_PER_THREAD, type Share, type ThreadPool } from './threads.js';

type Buf = Float32Array | Int32Array;
const TWO32 = 0x100000000;

/** Backend over the AssemblyScript kernels; see the module header. */
export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  private readonly marks: ArenaMark[] = [];
  private readonly scratch: number[] = [];
  private readonly scratchBytes: number;
  /** In-place outputs that were copied in and must be written back after the kernel. */
  private readonly writeBacks: [FloatArray, Float32Array][] = [];

  constructor(
    readonly mem: WasmMemory,
    private readonly k: KernelExports,
    readonly pool: ThreadPool,
  ) {
    this.scratchBytes = k.gemmScratchBytes();
    this.ensureScratch();
  }

  /** Threads used by the big kernels (calling thread included). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Uses n threads in all; resolves once the workers are running. */
  async setThreads(n: number): Promise<void> {
    await this.pool.setThreads(n);
    this.ensureScratch();
  }

  private ensureScratch(): void {
    while (this.scratch.length < this.pool.threads) this.scratch.push(this.mem.allocBlock(this.scratchBytes).ptr);
  }

  // ---- memory -------------------------------------------------------------------

  private get inScope(): boolean {
    return this.marks.length > 0;
  }

  allocFloat(size: number): FloatArray {
    return this.inScope ? this.mem.arenaF32(size).fill(0) : new Float32Array(size);
  }
  allocInt(size: number): Int32Array {
    return this.inScope ? this.mem.arenaI32(size).fill(0) : new Int32Array(size);
  }
  allocPersistent(size: number): FloatArray {
    return this.mem.allocPersistentF32(size);
  }
  beginScope(): void {
    this.marks.push(this.mem.mark());
  }
  endScope(): void {
    const m = this.marks.pop();
    if (!m) throw new Error('endScope: no scope is open (beginScope/endScope calls are unbalanced)');
    this.mem.release(m);
  }
  copyOut(x: AnyArray): AnyArray {
    return x.slice();
  }
  fromValues(values: ArrayLike<number>): FloatArray {
    const out = new Float32Array(values.length);
    out.set(values);
    return out;
  }

  // ---- plumbing -----------------------------------------------------------------

  /**
   * Runs `body`; outside a scope its arena allocations are temporary and its
   * output is copied to an ordinary array.
   */
  private call<R extends Buf | void>(body: () => R): R {
    const m = this.inScope ? undefined : this.mem.mark();
    try {
      const r = body();
      for (const [dst, src] of this.writeBacks) dst.set(src);
      return (m && r ? r.slice() : r) as R;
    } finally {
      this.writeBacks.length = 0;
      if (m) this.mem.release(m);
    }
  }

  /** Pointer to x's data, copying it into the arena when it is not a wasm float32/int32 view. */
  private ptr(x: AnyArray): number {
    if (!(x instanceof Float64Array) && this.mem.owns(x)) return x.byteOffset;
    const copy = x instanceof Int32Array ? this.mem.arenaI32(x.length) : this.mem.arenaF32(x.length);
    copy.set(x);
    return copy.byteOffset;
  }

  /** Pointer for an in-place buffer; a copy is written back after the kernel. */
  private inout(x: FloatArray): number {
    if (x instanceof Float32Array && this.mem.owns(x)) return x.byteOffset;
    const copy = this.mem.arenaF32(x.length);
    copy.set(x);
    this.writeBacks.push([x, copy]);
    return copy.byteOffset;
  }

  private f32(n: number): Float32Array {
    return this.mem.arenaF32(n);
  }

  private like(x: AnyArray, n: number): Buf {
    return x instanceof Int32Array ? this.mem.arenaI32(n) : this.mem.arenaF32(n);
  }

  /** Writes a dims block for the strided kernels into the arena; returns its pointer. */
  private dims(s: Strided): number {
    const block = this.mem.arenaI32(s.shape.length * (s.strides.length + 2));
    dimsBlock(s, block);
    return block.byteOffset;
  }

  /** Runs a split kernel over rows × cols of its output on the pool. */
  private split(kernel: SplitKernel, fixed: number[], rows: number, cols: number, flops: number): void {
    this.ensureScratch();
    const fn = this.k[kernel] as (...args: number[]) => void;
    this.pool.runSplit(
      SPLIT_KERNELS.indexOf(kernel),
      (s: Share, scratch: number) => fn(...fixed, s.r0, s.r1, s.c0, s.c1, scratch),
      fixed,
      rows,
      cols,
      flops,
      this.scratch,
    );
  }

  /**
   * Runs a range kernel over n elements, split over threads when the work
   * (`cost` per element, in flop-like units) is large enough.
   */
  private range(kernel: SplitKernel, fixed: number[], n: number, cost: number): void {
    if (n === 0) return;
    const fn = this.k[kernel] as (...args: number[]) => void;
    if (n * cost < 2 * MIN_FLOPS_PER_THREAD || this.pool.threads === 1) {
      fn(...fixed, 0, n);
      return;
    }
    this.ensureScratch();
    this.pool.runSplit(SPLIT_KERNELS.indexOf(kernel), (s: Share) => fn(...fixed, s.r0, s.r1), fixed, n, 1, n * cost, this.scratch);
  }

  // ---- elementwise ----------------------------------------------------------------

  fill(size: number, value: number): FloatArray {
    return this.call(() => this.f32(size).fill(value));
  }
  unary(op: UnaryOp, x: FloatArray, alpha: number): FloatArray {
    return this.call(() => {
      const y = this.f32(x.length);
      this.k.unary(UNARY_CODES[op], this.ptr(x), y.byteOffset, x.length, alpha);
      return y;
    });
  }
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, alpha: number): FloatArray {
    return this.call(() => {
      const dx = this.f32(x.length);
      this.k.unaryBackward(UNARY_CODES[op], this.ptr(x), this.ptr(y), this.ptr(dy), dx.byteOffset, x.length, alpha);
      return dx;
    });
  }
  binary(op: BinaryOp, a: FloatArray, aShape: readonly number[], b: FloatArray, bShape: readonly number[], outShape: readonly number[]): FloatArray {
    return this.call(() => {
      const out = this.f32(sizeOf(outShape));
      if (out.length === 0) return out;
      const s = collapse(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
      this.k.binary(BINARY_CODES[op], this.ptr(a), this.ptr(b), out.byteOffset, s.shape.length, this.dims(s));
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
    return this.call(() => {
      const out = this.f32(sizeOf(outShape));
      if (out.length === 0) return out;
      const s = collapse(outShape, [condShape, aShape, bShape].map((sh) => broadcastStrides(sh, outShape)));
      this.k.where(this.ptr(cond), this.ptr(a), this.ptr(b), out.byteOffset, s.shape.length, this.dims(s));
      return out;
    });
  }
  clip(x: FloatArray, lo: number, hi: number): FloatArray {
    return this.call(() => {
      const y = this.f32(x.length);
      this.k.clip(this.ptr(x), y.byteOffset, x.length, lo, hi);
      return y;
    });
  }
  clipBackward(x: FloatArray, dy: FloatArray, lo: number, hi: number): FloatArray {
    return this.call(() => {
      const dx = this.f32(x.length);
      this.k.clipBackward(this.ptr(x), this.ptr(dy), dx.byteOffset, x.length, lo, hi);
      return dx;
    });
  }
  axpby(a: number, x: FloatArray, b: number, y: FloatArray): FloatArray {
    return this.call(() => {
      const out = this.f32(x.length);
      this.k.axpby(a, this.ptr(x), b, this.ptr(y), out.byteOffset, x.length);
      return out;
    });
  }
  castToFloat(x: Int32Array): FloatArray {
    return this.call(() => {
      const y = this.f32(x.length);
      this.k.castToFloat(this.ptr(x), y.byteOffset, x.length);
      return y;
    });
  }
  castToInt(x: FloatArray): Int32Array {
    return this.call(() => {
      const y = this.mem.arenaI32(x.length);
      this.k.castToInt(this.ptr(x), y.byteOffset, x.length);
      return y;
    });
  }

  // ---- reductions -------------------------------------------------------------------

  reduce(op: ReduceOp, x: FloatArray, outer: number, n: number, inner: number): FloatArray {
    return this.call(() => {
      const y = this.f32(outer * inner);
      this.k.reduce(REDUCE_CODES[op], this.ptr(x), y.byteOffset, outer, n, inner);
      return y;
    });
  }
  argReduce(op: ArgReduceOp, x: FloatArray, outer: number, n: number, inner: number): Int32Array {
    return this.call(() => {
      const y = this.mem.arenaI32(outer * inner);
      this.k.argReduce(ARG_REDUCE_CODES[op], this.ptr(x), y.byteOffset, outer, n, inner);
      return y;
    });
  }

  // ---- layout -----------------------------------------------------------------------

  transpose<T extends AnyArray>(x: T, shape: readonly number[], perm: readonly number[]): T {
    return this.call(() => {
      const out = this.like(x, x.length);
      if (out.length === 0) return out;
      const inStrides = contiguousStrides(shape);
      const s = collapse(
        perm.map((p) => shape[p]!),
        [perm.map((p) => inStrides[p]!)],
      );
      this.strided(this.ptr(x), out.byteOffset, s);
      return out;
    }) as T;
  }
  slice<T extends AnyArray>(x: T, shape: readonly number[], begin: readonly number[], size: readonly number[]): T {
    return this.call(() => {
      const out = this.like(x, sizeOf(size));
      if (out.length === 0) return out;
      const st = contiguousStrides(shape);
      const offset = begin.reduce((acc, b, i) => acc + b * st[i]!, 0);
      const s = collapse(size, [st]);
      if (!(x instanceof Float64Array) && this.mem.owns(x)) this.strided(x.byteOffset + 4 * offset, out.byteOffset, s);
      else copyStridedJs(x, offset, s, out);
      return out;
    }) as T;
  }

  /** dst (contiguous) ← src over a collapsed strided layout; 2-D transposes take the blocked kernel. */
  private strided(src: number, dst: number, s: Strided): void {
    const sh = s.shape;
    const st = s.strides[0]!;
    const r = sh.length;
    if (r === 1 && st[0] === 1) {
      this.k.copy2d(src, dst, 1, sh[0]!, 0, 0);
    } else if (r >= 2 && r <= 3 && st[r - 2] === 1 && st[r - 1] === sh[r - 2] && (r === 2 || st[0] === sh[1]! * sh[2]!)) {
      // out [B?, C, R] read from a row-major [B?, R, C] source
      this.k.transpose2d(src, dst, r === 3 ? sh[0]! : 1, sh[r - 1]!, sh[r - 2]!);
    } else {
      this.k.gatherStrided(src, dst, r, this.dims(s));
    }
  }

  concat<T extends AnyArray>(xs: readonly T[], outer: number, parts: readonly number[]): T {
    return this.call(() => {
      const total = parts.reduce((a, b) => a + b, 0);
      const out = xs[0] instanceof Int32Array ? this.mem.arenaI32(outer * total) : this.f32(outer * total);
      let off = 0;
      xs.forEach((x, p) => {
        const w = parts[p]!;
        if (w > 0 && outer > 0) this.k.copy2d(this.ptr(x), out.byteOffset + 4 * off, outer, w, w, total);
        off += w;
      });
      return out;
    }) as T;
  }
  gather(x: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray {
    return this.call(() => {
      const m = indices.length;
      const out = this.f32(outer * m * inner);
      if (x instanceof Float32Array && this.mem.owns(x)) {
        this.k.gather(x.byteOffset, this.ptr(indices), out.byteOffset, outer, n, inner, m);
      } else {
        // A host array (e.g. a whole dataset): copy just the gathered rows.
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < m; j++) {
            const src = (o * n + indices[j]!) * inner;
            out.set(x.subarray(src, src + inner), (o * m + j) * inner);
          }
        }
      }
      return out;
    });
  }
  gatherBackward(dy: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray {
    return this.call(() => {
      const dx = this.f32(outer * n * inner);
      this.k.gatherBackward(this.ptr(dy), this.ptr(indices), dx.byteOffset, outer, n, inner, indices.length);
      return dx;
    });
  }
  oneHot(indices: Int32Array, depth: number, on: number, off: number): FloatArray {
    return this.call(() => {
      const out = this.f32(indices.length * depth);
      this.k.oneHot(this.ptr(indices), out.byteOffset, indices.length, depth, on, off);
      return out;
    });
  }

  // ---- matmul / conv / pool -------------------------------------------------------------

  matmul(p: MatmulArgs): FloatArray {
    return this.call(() => {
      const { batch, m, k, n } = p;
      const c = this.f32(batch * m * n);
      const flags = (p.transA ? GEMM_TRANS_A : 0) | (p.transB ? GEMM_TRANS_B : 0) | (ACTIVATION_CODES[p.activation ?? 'linear'] << 2);
      const fixed = [this.ptr(p.a), this.ptr(p.b), c.byteOffset, p.bias ? this.ptr(p.bias) : 0, batch, m, k, n, p.aBatchStride, p.bBatchStride, flags];
      this.split('gemm', fixed, batch * m, n, 2 * batch * m * n * k);
      return c;
    });
  }
  conv1dForward(x: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray {
    return this.call(() => {
      const y = this.f32(g.batch * g.outLen * g.outC);
      this.split('conv1dForward', [this.ptr(x), this.ptr(w), y.byteOffset, ...geometry(g)], g.batch * g.outLen, g.outC, convFlops(g));
      return y;
    });
  }
  conv1dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray {
    return this.call(() => {
      const dx = this.f32(g.batch * g.inLen * g.inC);
      this.split('conv1dBackwardInput', [this.ptr(dy), this.ptr(w), dx.byteOffset, ...geometry(g)], g.batch * g.inLen, g.inC, convFlops(g) * g.stride);
      return dx;
    });
  }
  conv1dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv1dGeometry): FloatArray {
    return this.call(() => {
      const dw = this.f32(g.k * g.inC * g.outC);
      this.split('conv1dBackwardFilter', [this.ptr(x), this.ptr(dy), dw.byteOffset, ...geometry(g)], g.k * g.inC, g.outC, convFlops(g));
      return dw;
    });
  }
  pool1dForward(kind: PoolKind, x: FloatArray, g: Pool1dGeometry): FloatArray {
    return this.call(() => {
      const y = this.f32(g.batch * g.outLen * g.c);
      this.k.pool1dForward(POOL_CODES[kind], this.ptr(x), y.byteOffset, g.batch, g.inLen, g.c, g.outLen, g.pool, g.stride, g.padLeft);
      return y;
    });
  }
  pool1dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool1dGeometry): FloatArray {
    return this.call(() => {
      const dx = this.f32(g.batch * g.inLen * g.c);
      this.k.pool1dBackward(POOL_CODES[kind], this.ptr(x), this.ptr(y), this.ptr(dy), dx.byteOffset, g.batch, g.inLen, g.c, g.outLen, g.pool, g.stride, g.padLeft);
      return dx;
    });
  }

  // ---- softmax family ---------------------------------------------------------------------

  softmax(x: FloatArray, outer: number, n: number): FloatArray {
    return this.rows((px, py) => this.k.softmax(px, py, outer, n), x);
  }
  logSoftmax(x: FloatArray, outer: number, n: number): FloatArray {
    return this.rows((px, py) => this.k.logSoftmax(px, py, outer, n), x);
  }
  softmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray {
    return this.call(() => {
      const dx = this.f32(y.length);
      this.k.softmaxBackward(this.ptr(y), this.ptr(dy), dx.byteOffset, outer, n);
      return dx;
    });
  }
  logSoftmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray {
    return this.call(() => {
      const dx = this.f32(y.length);
      this.k.logSoftmaxBackward(this.ptr(y), this.ptr(dy), dx.byteOffset, outer, n);
      return dx;
    });
  }
  softmaxCrossEntropy(logits: FloatArray, labels: FloatArray, outer: number, n: number): FloatArray {
    return this.call(() => {
      const loss = this.f32(outer);
      this.k.softmaxCrossEntropy(this.ptr(logits), this.ptr(labels), loss.byteOffset, outer, n, this.f32(n).byteOffset);
      return loss;
    });
  }
  softmaxCrossEntropyBackward(logits: FloatArray, labels: FloatArray, dloss: FloatArray, outer: number, n: number): FloatArray {
    return this.call(() => {
      const dx = this.f32(logits.length);
      this.k.softmaxCrossEntropyBackward(this.ptr(logits), this.ptr(labels), this.ptr(dloss), dx.byteOffset, outer, n);
      return dx;
    });
  }

  private rows(kernel: (px: number, py: number) => void, x: FloatArray): FloatArray {
    return this.call(() => {
      const y = this.f32(x.length);
      kernel(this.ptr(x), y.byteOffset);
      return y;
    });
  }

  // ---- randomness -----------------------------------------------------------------------------

  randomUniform(size: number, s: StreamArgs, lo: number, hi: number): FloatArray {
    return this.call(() => {
      const out = this.f32(size);
      this.range('randomUniform', [out.byteOffset, s.key0, s.key1, s.counter % TWO32, Math.floor(s.counter / TWO32), lo, hi], size, 16);
      return out;
    });
  }
  randomNormal(size: number, s: StreamArgs, mean: number, std: number): FloatArray {
    return this.call(() => {
      const out = this.f32(size);
      this.range('randomNormal', [out.byteOffset, s.key0, s.key1, s.counter % TWO32, Math.floor(s.counter / TWO32), mean, std], size, 80);
      return out;
    });
  }
  dropoutMask(size: number, s: StreamArgs, rate: number): FloatArray {
    return this.call(() => {
      const out = this.f32(size);
      this.range('dropoutMask', [out.byteOffset, s.key0, s.key1, s.counter % TWO32, Math.floor(s.counter / TWO32), rate], size, 12);
      return out;
    });
  }

  // ---- optimizer updates ----------------------------------------------------------------------

  sgdUpdate(w: FloatArray, g: FloatArray, m: FloatArray | null, lr: number, momentum: number, nesterov: boolean): void {
    this.call(() => this.range('sgdUpdate', [this.inout(w), this.ptr(g), m ? this.inout(m) : 0, lr, momentum, nesterov ? 1 : 0], w.length, 4));
  }
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vhat: FloatArray | null, p: AdamArgs): void {
    this.call(() =>
      this.range('adamUpdate', [this.inout(w), this.ptr(g), this.inout(m), this.inout(v), vhat ? this.inout(vhat) : 0, p.alpha, p.beta1, p.beta2, p.epsilon], w.length, 12),
    );
  }
  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, mg: FloatArray | null, mom: FloatArray | null, p: RmspropArgs): void {
    this.call(() =>
      this.range(
        'rmspropUpdate',
        [this.inout(w), this.ptr(g), this.inout(v), p.centered && mg ? this.inout(mg) : 0, p.momentum > 0 && mom ? this.inout(mom) : 0, p.lr, p.rho, p.momentum, p.epsilon],
        w.length,
        12,
      ),
    );
  }
  adagradUpdate(w: FloatArray, g: FloatArray, acc: FloatArray, lr: number, epsilon: number): void {
    this.call(() => this.range('adagradUpdate', [this.inout(w), this.ptr(g), this.inout(acc), lr, epsilon], w.length, 8));
  }
  scaleInPlace(w: FloatArray, scale: number): void {
    this.call(() => this.range('scaleInPlace', [this.inout(w), scale], w.length, 2));
  }
  copyInto(dst: FloatArray, src: FloatArray): void {
    dst.set(src);
  }
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function geometry(g: Conv1dGeometry): number[] {
  return [g.batch, g.inLen, g.inC, g.outLen, g.outC, g.k, g.stride, g.dilation, g.padLeft];
}

function convFlops(g: Conv1dGeometry): number {
  return 2 * g.batch * g.outLen * g.outC * g.k * g.inC;
}

/** out ← x[offset + Σ idx·strides] for a host (non-wasm) source. */
function copyStridedJs(x: AnyArray, offset: number, s: Strided, out: Buf): void {
  const shape = s.shape;
  const st = s.strides[0]!;
  const r = shape.length;
  const len = shape[r - 1]!;
  const inner = st[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  const outer = out.length / len;
  let src = offset;
  for (let row = 0; row < outer; row++) {
    if (inner === 1) out.set(x.subarray(src, src + len), row * len);
    else for (let i = 0; i < len; i++) out[row * len + i] = x[src + i * inner]!;
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]!++;
      src += st[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      src -= st[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
}
