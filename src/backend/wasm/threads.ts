/**
 * A pool of workers (worker_threads in Node, Web Workers in browsers) that run
 * kernels on the same shared memory. Only the big kernels (GEMM, conv1d) are
 * split, by rows or columns of their output; everything else runs on the
 * calling thread, which also always computes the first share itself.
 *
 * Protocol: each worker owns a 256-byte control slot in the reserved low
 * region of the memory: [seq, done, kernel, nargs, error, …, f64 args]. The
 * caller writes the arguments, bumps `seq` and notifies; the worker spins a
 * little (≈ 1 ms) before sleeping in `Atomics.wait`, runs the kernel and
 * stores `done = seq`. The caller spins on `done` (and, in Node, falls back to
 * `Atomics.wait`; a browser main thread never blocks).
 *
 * Any split gives bit-identical results (see assembly/gemm.ts), so the pool
 * uses whatever workers are ready.
 */
import type { WasmMemory } from './memory.js';

/** Byte offset of the first control slot (inside the reserved 64 KiB). */
const CTRL_BASE = 4096;
const SLOT_BYTES = 256;
const MAX_ARGS = 24;
/** At most this many workers fit in the reserved region. */
export const MAX_WORKERS = 200;
/** Below this many flops a kernel is not worth splitting (≈ 20 µs on one core). */
export const MIN_FLOPS_PER_THREAD = 1 << 20;
/** Worker spin iterations before sleeping (≈ 1 ms of Atomics.load). */
const WORKER_SPIN = 1 << 20;
const CALLER_SPIN = 1 << 22;

// The worker body: plain JS, the same text in Node (eval) and browsers (Blob URL).
const WORKER_SOURCE = `
'use strict';
const isNode = typeof self === 'undefined';
const port = isNode ? require('node:worker_threads').parentPort : self;
const onInit = (msg) => {
  const { module, memory, names, slot, spin } = msg;
  const inst = new WebAssembly.Instance(module, { env: { memory } });
  const fns = names.map((n) => inst.exports[n]);
  const i32 = new Int32Array(memory.buffer, 0, 16384);
  const f64 = new Float64Array(memory.buffer, 0, 8192);
  const base = slot >> 2;
  const argBase = (slot + 32) >> 3;
  const args = [];
  let last = Atomics.load(i32, base);
  port.postMessage('ready');
  for (;;) {
    let s;
    let n = 0;
    while ((s = Atomics.load(i32, base)) === last) {
      if (++n > spin) { Atomics.wait(i32, base, last); n = 0; }
    }
    last = s;
    const id = i32[base + 2];
    if (id < 0) { Atomics.store(i32, base + 1, s); Atomics.notify(i32, base + 1); break; }
    const nargs = i32[base + 3];
    args.length = nargs;
    for (let i = 0; i < nargs; i++) args[i] = f64[argBase + i];
    try { fns[id].apply(null, args); i32[base + 4] = 0; } catch (e) { i32[base + 4] = 1; }
    Atomics.store(i32, base + 1, s);
    Atomics.notify(i32, base + 1);
  }
  if (isNode) port.close(); else self.close();
};
if (isNode) port.once('message', onInit); else self.onmessage = (e) => { self.onmessage = null; onInit(e.data); };
`;

interface WorkerLike {
  postMessage(msg: unknown): void;
  terminate(): unknown;
}

interface NodeWorkerThreads {
  Worker: new (code: string, opts: { eval: boolean }) => WorkerLike & {
    unref(): void;
    once(ev: string, fn: (x: unknown) => void): void;
  };
}

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
  versions?: { node?: string };
}

/** Node's built-in modules without a static `node:` import (this folder must also run in browsers). */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return undefined;
  return proc.getBuiltinModule(id) as T;
}

/** Logical cores of this machine (1 when unknown). */
export function coreCount(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** Whether threads are possible here (shared memory + a Worker implementation). */
function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  if (nodeBuiltin('node:worker_threads')) return true;
  const g = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean };
  return typeof g.Worker === 'function' && g.crossOriginIsolated !== false;
}

const isNode = (): boolean => nodeBuiltin('node:worker_threads') !== undefined;

/** One 2-D share of a split kernel: rows r0..r1, columns c0..c1. */
export interface Share {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/** Worker pool over one shared memory. */
export class ThreadPool {
  private readonly workers: WorkerLike[] = [];
  private readyCount = 0;
  private readonly seqs: number[] = [];
  private wanted = 1;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;

  constructor(
    private readonly mem: WasmMemory,
    private readonly module: WebAssembly.Module,
    private readonly names: readonly string[],
  ) {
    this.i32 = new Int32Array(mem.memory.buffer, 0, 16384);
    this.f64 = new Float64Array(mem.memory.buffer, 0, 8192);
  }

  /** Threads in use, counting the calling thread. */
  get threads(): number {
    return Math.min(this.wanted, this.readyCount + 1);
  }

  /**
   * Uses `n` threads in all (the caller plus n − 1 workers); resolves once they
   * are ready. Where threads are unavailable the pool stays at 1.
   */
  async setThreads(n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: n must be an integer ≥ 1, got ${n}`);
    const want = threadsSupported() ? Math.min(n, MAX_WORKERS + 1) : 1;
    while (this.workers.length > want - 1) this.stopWorker();
    this.wanted = want;
    const starting: Promise<void>[] = [];
    while (this.workers.length < want - 1) starting.push(this.startWorker(this.workers.length));
    await Promise.all(starting);
  }

  private startWorker(index: number): Promise<void> {
    const slot = CTRL_BASE + index * SLOT_BYTES;
    this.i32.fill(0, slot >> 2, (slot + SLOT_BYTES) >> 2);
    this.seqs[index] = 0;
    const msg = { module: this.module, memory: this.mem.memory, names: this.names, slot, spin: WORKER_SPIN };
    const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
    if (wt) {
      const w = new wt.Worker(WORKER_SOURCE, { eval: true });
      w.unref();
      this.workers.push(w);
      return new Promise((resolve, reject) => {
        w.once('message', () => {
          this.readyCount++;
          resolve();
        });
        w.once('error', reject);
        w.postMessage(msg);
      });
    }
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const w = new Worker(url);
    this.workers.push(w);
    return new Promise((resolve, reject) => {
      w.onmessage = () => {
        w.onmessage = null;
        this.readyCount++;
        resolve();
      };
      w.onerror = (e) => reject(new Error(`wasm backend: worker failed to start: ${e.message}`));
      w.postMessage(msg);
    });
  }

  private stopWorker(): void {
    const index = this.workers.length - 1;
    const w = this.workers.pop()!;
    if (index < this.readyCount) {
      this.post(index, -1, []);
      this.readyCount--;
    }
    w.terminate();
  }

  private post(index: number, kernel: number, args: readonly number[]): void {
    const slot = (CTRL_BASE + index * SLOT_BYTES) >> 2;
    this.i32[slot + 2] = kernel;
    this.i32[slot + 3] = args.length;
    const argBase = (CTRL_BASE + index * SLOT_BYTES + 32) >> 3;
    for (let i = 0; i < args.length; i++) this.f64[argBase + i] = args[i]!;
    const seq = (this.seqs[index]! + 1) | 0;
    this.seqs[index] = seq;
    Atomics.store(this.i32, slot, seq);
    Atomics.notify(this.i32, slot, 1);
  }

  private join(index: number): void {
    const slot = (CTRL_BASE + index * SLOT_BYTES) >> 2;
    const seq = this.seqs[index]!;
    let spins = 0;
    const canWait = isNode();
    while (Atomics.load(this.i32, slot + 1) !== seq) {
      if (++spins > CALLER_SPIN && canWait) {
        Atomics.wait(this.i32, slot + 1, (seq - 1) | 0, 10);
        spins = 0;
      }
    }
    if (this.i32[slot + 4] !== 0) throw new Error(`wasm backend: kernel '${this.names[this.i32[slot + 2]!]}' failed in worker ${index}`);
  }

  /**
   * Runs `kernel(...fixed, r0, r1, c0, c1, scratch[t])` over a rows × cols
   * output split into at most `threads` shares (rows in multiples of `rowAlign`,
   * columns of `colAlign`), the caller computing share 0.
   */
  runSplit(
    kernel: number,
    call: (s: Share, scratch: number) => void,
    fixed: readonly number[],
    rows: number,
    cols: number,
    flops: number,
    scratch: readonly number[],
    rowAlign = 4,
    colAlign = 8,
  ): void {
    const parts = Math.max(1, Math.min(this.threads, Math.floor(flops / MIN_FLOPS_PER_THREAD), scratch.length));
    if (parts === 1 || rows === 0 || cols === 0) {
      call({ r0: 0, r1: rows, c0: 0, c1: cols }, scratch[0]!);
      return;
    }
    const byRows = rows >= cols;
    const extent = byRows ? rows : cols;
    const align = byRows ? rowAlign : colAlign;
    const step = Math.ceil(extent / parts / align) * align;
    const shares: Share[] = [];
    for (let lo = 0; lo < extent; lo += step) {
      const hi = Math.min(extent, lo + step);
      shares.push(byRows ? { r0: lo, r1: hi, c0: 0, c1: cols } : { r0: 0, r1: rows, c0: lo, c1: hi });
    }
    for (let t = 1; t < shares.length; t++) {
      const s = shares[t]!;
      this.post(t - 1, kernel, [...fixed, s.r0, s.r1, s.c0, s.c1, scratch[t]!]);
    }
    let failure: unknown;
    try {
      call(shares[0]!, scratch[0]!);
    } catch (e) {
      failure = e;
    }
    for (let t = 1; t < shares.length; t++) this.join(t - 1);
    if (failure !== undefined) throw failure;
  }
}
