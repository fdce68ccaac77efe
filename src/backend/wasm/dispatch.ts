/**
 * The plumbing under WasmBackend: scopes and the step arena, getting pointers
 * for inputs (copying host arrays in), in-place write-back, dims blocks for
 * the strided kernels, and running split kernels on the thread pool.
 */
import type { AnyArray, FloatArray } from '../backend.js';
import { dimsBlock, type Strided } from './collapse.js';
import { SPLIT_KERNELS, type KernelExports, type SplitKernel } from './exports.js';
import type { ArenaMark, WasmMemory } from './memory.js';
import { invokeRange, invokeShare, type Kernel } from './invoke.js';
import { MIN_FLOPS_PER_THREAD, type Share, type ThreadPool } from './threads.js';

/** A kernel output buffer. */
export type Buf = Float32Array | Int32Array;

/** Buffer management and kernel launching for WasmBackend. */
export class Dispatch {
  private readonly marks: ArenaMark[] = [];
  private readonly scratch: number[] = [];
  private readonly scratchBytes: number;
  /** In-place outputs that were copied in and must be written back after the kernel. */
  private readonly writeBacks: [FloatArray, Float32Array][] = [];

  constructor(
    private readonly mem: WasmMemory,
    private readonly k: KernelExports,
    private readonly pool: ThreadPool,
  ) {
    this.scratchBytes = k.gemmScratchBytes();
    this.ensureScratch();
  }

  /** One GEMM scratch block per thread. */
  ensureScratch(): void {
    while (this.scratch.length < this.pool.threads) this.scratch.push(this.mem.allocBlock(this.scratchBytes).ptr);
  }

  get inScope(): boolean {
    return this.marks.length > 0;
  }

  beginScope(): void {
    this.marks.push(this.mem.mark());
  }

  endScope(): void {
    const m = this.marks.pop();
    if (!m) throw new Error('endScope: no scope is open (beginScope/endScope calls are unbalanced)');
    this.mem.release(m);
  }

  /** True when x is a float32/int32 view into the wasm memory. */
  owns(x: AnyArray): boolean {
    return !(x instanceof Float64Array) && this.mem.owns(x);
  }

  i32(n: number): Int32Array {
    return this.mem.arenaI32(n);
  }

  /**
   * Runs `body`; outside a scope its arena allocations are temporary and its
   * output is copied to an ordinary array.
   */
  call<R extends Buf | void>(body: () => R): R {
    const m = this.inScope ? undefined : this.mem.mark();
    try {
      const r = body();
      if (this.writeBacks.length !== 0) for (const [dst, src] of this.writeBacks) dst.set(src);
      return (m && r ? r.slice() : r) as R;
    } finally {
      // Most calls have nothing to write back: skip the array's length setter (a runtime call per kernel).
      if (this.writeBacks.length !== 0) this.writeBacks.length = 0;
      if (m) this.mem.release(m);
    }
  }

  /** Pointer to x's data, copying it into the arena when it is not a wasm float32/int32 view. */
  ptr(x: AnyArray): number {
    if (!(x instanceof Float64Array) && this.mem.owns(x)) return x.byteOffset;
    const copy = x instanceof Int32Array ? this.mem.arenaI32(x.length) : this.mem.arenaF32(x.length);
    copy.set(x);
    return copy.byteOffset;
  }

  /** Pointer for an in-place buffer; a copy is written back after the kernel. */
  inout(x: FloatArray): number {
    if (x instanceof Float32Array && this.mem.owns(x)) return x.byteOffset;
    const copy = this.mem.arenaF32(x.length);
    copy.set(x);
    this.writeBacks.push([x, copy]);
    return copy.byteOffset;
  }

  f32(n: number): Float32Array {
    return this.mem.arenaF32(n);
  }

  like(x: AnyArray, n: number): Buf {
    return x instanceof Int32Array ? this.mem.arenaI32(n) : this.mem.arenaF32(n);
  }

  /** Writes a dims block for the strided kernels into the arena; returns its pointer. */
  dims(s: Strided): number {
    const block = this.mem.arenaI32(s.shape.length * (s.strides.length + 2));
    dimsBlock(s, block);
    return block.byteOffset;
  }

  /** Runs a split kernel over rows × cols of its output on the pool. */
  split(kernel: SplitKernel, fixed: number[], rows: number, cols: number, flops: number): void {
    this.ensureScratch();
    const fn = this.k[kernel] as Kernel;
    if (flops < 2 * MIN_FLOPS_PER_THREAD || this.pool.threads === 1) {
      // Too small to split (the pool would run it on this thread anyway): no share objects, no closure.
      invokeShare(fn, fixed, 0, rows, 0, cols, this.scratch[0]!);
      return;
    }
    this.pool.runSplit(
      SPLIT_KERNELS.indexOf(kernel),
      (s: Share, scratch: number) => invokeShare(fn, fixed, s.r0, s.r1, s.c0, s.c1, scratch),
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
  range(kernel: SplitKernel, fixed: number[], n: number, cost: number): void {
    if (n === 0) return;
    const fn = this.k[kernel] as Kernel;
    if (n * cost < 2 * MIN_FLOPS_PER_THREAD || this.pool.threads === 1) {
      invokeRange(fn, fixed, 0, n);
      return;
    }
    this.ensureScratch();
    this.pool.runSplit(SPLIT_KERNELS.indexOf(kernel), (s: Share) => invokeRange(fn, fixed, s.r0, s.r1), fixed, n, 1, n * cost, this.scratch);
  }

  /** dst (contiguous) ← src over a collapsed strided layout; 2-D transposes take the blocked kernel. */
  strided(src: number, dst: number, s: Strided): void {
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
}

/** out ← x[offset + Σ idx·strides] for a host (non-wasm) source. */
export function copyStridedJs(x: AnyArray, offset: number, s: Strided, out: Buf): void {
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
