/**
 * A pool of workers (worker_threads in Node, Web Workers in browsers) that run
 * kernels on the same shared memory. Only the big kernels (GEMM, conv1d, conv2d, 2-D pooling) are
 * split, by rows or columns of their output; everything else runs on the
 * calling thread, which also always computes the first share itself.
 *
 * Protocol: a split kernel's output is cut into a few more shares than
 * threads, listed in a job table in the reserved low region of the memory;
 * every thread (caller included) claims the next share with an atomic
 * counter until none is left, so a worker that the OS descheduled (the
 * machine is shared) delays nothing. Each worker owns a 256-byte control slot
 * [seq, done, kernel, nfixed, error, …, f64 args]: the caller writes the
 * fixed arguments and the worker's scratch pointer, bumps `seq` and
 * notifies; the worker spins a little (≈ 0.1 ms) before sleeping in
 * `Atomics.wait`, works through the table and stores `done = seq`. The caller
 * spins on `done` (and, in Node, falls back to `Atomics.wait`; a browser main
 * thread never blocks).
 *
 * Any split gives bit-identical results (see assembly/gemm.ts), so the pool
 * uses whatever workers are ready and any share may run on any thread.
 */
import type { WasmMemory } from './memory.js';

/** Job table: [next share (atomic), share count, then r0, r1, c0, c1 per share]. */
const JOB_BASE = 1024;
const MAX_SHARES = 160;
/** Byte offset of the first control slot (inside the reserved 64 KiB). */
const CTRL_BASE = 4096;
const SLOT_BYTES = 256;
const MAX_ARGS = 24;
/** At most this many workers fit in the reserved region. */
export const MAX_WORKERS = 200;
/** Below this many flops a kernel is not worth splitting (≈ 20 µs on one core). */
export const MIN_FLOPS_PER_THREAD = 1 << 20;
/** Shares aim at this many flops at least, so re-packing per share stays cheap. */
const MIN_FLOPS_PER_SHARE = 4 << 20;
/** Shares per thread when there is enough work (lets fast threads take over slow ones' work). */
const SHARES_PER_THREAD = 3;
/**
 * Spin iterations (≈ 3–8 ns each) before sleeping in Atomics.wait: a worker
 * stays hot ≈ 0.1 ms after a job (kernels of one training step follow each
 * other closely); a waiting caller yields its core after ≈ 30 µs, which
 * matters when the machine is shared and threads outnumber free cores.
 */
const WORKER_SPIN = 1 << 14;
const CALLER_SPIN = 1 << 12;

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
    const nfixed = i32[base + 3];
    args.length = nfixed + 5;
    for (let i = 0; i < nfixed; i++) args[i] = f64[argBase + i];
    args[nfixed + 4] = f64[argBase + nfixed];
    i32[base + 4] = 0;
    try {
      for (;;) {
        const k = Atomics.add(i32, ${JOB_BASE >> 2}, 1);
        if (k >= i32[${(JOB_BASE >> 2) + 1}]) break;
        const q = ${(JOB_BASE >> 2) + 2} + 4 * k;
        args[nfixed] = i32[q]; args[nfixed + 1] = i32[q + 1]; args[nfixed + 2] = i32[q + 2]; args[nfixed + 3] = i32[q + 3];
        fns[id].apply(null, args);
      }
    } catch (e) { i32[base + 4] = 1; }
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
  Worker: new (code: string, opts: { eval: boolean; execArgv: string[] }) => WorkerLike & {
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

/**
 * The grid of shares (sr × sc = wanted) that cuts a rows × cols output into
 * the most square pieces. A share re-reads (GEMM: packs) the operand panels
 * of its rows and of its columns, so the pieces together cost ∝ sc·rows +
 * sr·cols: 1024 × 1024 on 6 shares is 2 × 3 (before: 6 row strips, each
 * packing all of B), 128 × 512 stays 1 × 6. Cuts finer than the alignment
 * are not considered; an extent of 1 (range kernels) is never cut.
 */
export function shareGrid(wanted: number, rows: number, cols: number, rowAlign: number, colAlign: number): { sr: number; sc: number } {
  let best = { sr: rows >= cols ? wanted : 1, sc: rows >= cols ? 1 : wanted };
  let cost = Infinity;
  for (let sr = 1; sr <= wanted; sr++) {
    if (wanted % sr !== 0) continue;
    const sc = wanted / sr;
    if ((sr > 1 && rows < 2 * rowAlign) || (sc > 1 && cols < 2 * colAlign)) continue;
    const c = sc * rows + sr * cols;
    if (c < cost) {
      cost = c;
      best = { sr, sc };
    }
  }
  return best;
}

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
      const w = new wt.Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
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

  /** Posts a job to worker `index`: the kernel, its fixed arguments, then the worker's scratch pointer. */
  private post(index: number, kernel: number, args: readonly number[]): void {
    const slot = (CTRL_BASE + index * SLOT_BYTES) >> 2;
    this.i32[slot + 2] = kernel;
    this.i32[slot + 3] = Math.max(0, args.length - 1);
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
        Atomics.wait(this.i32, slot + 1, (seq - 1) | 0, 1);
        spins = 0;
      }
    }
    if (this.i32[slot + 4] !== 0) throw new Error(`wasm backend: kernel '${this.names[this.i32[slot + 2]!]}' failed in worker ${index}`);
  }

  /**
   * Runs `kernel(...fixed, r0, r1, c0, c1, scratch)` over a rows × cols output
   * cut into a grid of shares (shareGrid; rows in multiples of `rowAlign`,
   * columns of `colAlign`), claimed dynamically by the caller (through
   * `call`) and the workers.
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
    const threads = Math.max(1, Math.min(this.threads, Math.floor(flops / MIN_FLOPS_PER_THREAD), scratch.length));
    if (threads === 1 || rows === 0 || cols === 0) {
      call({ r0: 0, r1: rows, c0: 0, c1: cols }, scratch[0]!);
      return;
    }
    const wanted = Math.min(MAX_SHARES, Math.max(threads, Math.min(threads * SHARES_PER_THREAD, Math.floor(flops / MIN_FLOPS_PER_SHARE))));
    const { sr, sc } = shareGrid(wanted, rows, cols, rowAlign, colAlign);
    const rstep = Math.max(rowAlign, Math.ceil(rows / sr / rowAlign) * rowAlign);
    const cstep = Math.max(colAlign, Math.ceil(cols / sc / colAlign) * colAlign);
    const table = JOB_BASE >> 2;
    let count = 0;
    for (let r0 = 0; r0 < rows; r0 += rstep) {
      for (let c0 = 0; c0 < cols; c0 += cstep, count++) this.i32.set([r0, Math.min(rows, r0 + rstep), c0, Math.min(cols, c0 + cstep)], table + 2 + 4 * count);
    }
    this.i32[table + 1] = count;
    Atomics.store(this.i32, table, 0);
    const helpers = Math.min(threads, count) - 1;
    for (let t = 0; t < helpers; t++) this.post(t, kernel, [...fixed, scratch[t + 1]!]);
    let failure: unknown;
    try {
      for (;;) {
        const k = Atomics.add(this.i32, table, 1);
        if (k >= count) break;
        const q = table + 2 + 4 * k;
        call({ r0: this.i32[q]!, r1: this.i32[q + 1]!, c0: this.i32[q + 2]!, c1: this.i32[q + 3]! }, scratch[0]!);
      }
    } catch (e) {
      failure = e;
      Atomics.store(this.i32, table, count);
    }
    for (let t = 0; t < helpers; t++) this.join(t);
    if (failure !== undefined) throw failure;
  }
}
