/**
 * K1: GEMM 1024³ GFLOP/s of the wasm backend for A·B, Aᵀ·B and A·Bᵀ on 1 and 2
 * threads, next to the machine's WASM SIMD peak: a micro-kernel of independent
 * f32x4 mul+add chains (8, 10 and 12 accumulators; the best counts), run on 1
 * core and on 2 cores at once. The peak kernel is compiled here with the
 * AssemblyScript compiler, with the same flags as the backend.
 *
 * `benchGemm({ quick, threads })` is what bench/regula.ts calls;
 * `node --import tsx bench/gemm.bench.ts [--quick]` prints a table.
 * Speed is measured here only, never asserted in tests.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { ready } from '../src/backend/wasm/ready.js';
import type { WasmBackend } from '../src/backend/wasm/wasm-backend.js';

/** What benchGemm measures (GFLOP/s). */
export interface GemmBench {
  /** A·B, Aᵀ·B, A·Bᵀ on `threads` threads (the K1 figures). */
  'K1-AB': number;
  'K1-AtB': number;
  'K1-ABt': number;
  threads: number;
  /** Every variant on 1 and 2 threads (and on `threads`, if another count). */
  byThreads: Record<string, { AB: number; AtB: number; ABt: number }>;
  /** SIMD mul+add peak on one core and on two cores at once. */
  gflops1t: number;
  gflops2t: number;
  /** Fraction of the 2-core peak each variant reaches on 2 threads. */
  fractionOfPeak2t: { AB: number; AtB: number; ABt: number };
  note: string;
}

const N = 1024;

/** Peak kernels: `chains` accumulators of acc += x·m, unrolled inside a counted loop. */
function peakSource(): string {
  const kernel = (chains: number): string => {
    const accs = Array.from({ length: chains }, (_, i) => `a${i}`);
    const xs = Array.from({ length: 3 }, (_, i) => `x${i}`);
    const body = accs.map((a, i) => `${a} = f32x4.add(${a}, f32x4.mul(${xs[i % 3]}, m));`).join('\n    ');
    const sum = accs.reduce((s, a) => `f32x4.add(${s}, ${a})`, 'f32x4.splat(0)');
    return `export function peak${chains}(iters: i32, s: f32): f32 {
  const m = f32x4.splat(s);
  const x0 = f32x4.splat(1.0), x1 = f32x4.splat(1.1), x2 = f32x4.splat(1.2);
  let ${accs.map((a) => `${a} = f32x4.splat(0)`).join(', ')};
  for (let i = 0; i < iters; i++) {
    ${body}
  }
  return f32x4.extract_lane(${sum}, 0);
}`;
  };
  return [8, 10, 12].map(kernel).join('\n');
}

async function compilePeak(): Promise<Uint8Array> {
  const { binary, error, stderr } = await asc.compileString(peakSource(), {
    runtime: 'stub',
    optimizeLevel: 3,
    noAssert: true,
    use: ['abort='],
    enable: ['simd'],
  } as Record<string, unknown>);
  if (error || !binary) throw new Error(`peak kernel failed to compile: ${error?.message ?? ''} ${stderr.toString()}`);
  return binary;
}

/** Runs the peak kernels in `cores` workers at once; returns total GFLOP/s (best kernel). */
async function measurePeak(binary: Uint8Array, cores: number, seconds: number): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ex = new WebAssembly.Instance(new WebAssembly.Module(workerData.binary), {}).exports;
    const flag = new Int32Array(workerData.sab);
    const out = {};
    for (const chains of [8, 10, 12]) {
      const fn = ex['peak' + chains];
      fn(1e5, 1.0001);
      let iters = 1e5, dt = 0;
      for (;;) { const t0 = performance.now(); fn(iters, 1.0001); dt = (performance.now() - t0) / 1e3; if (dt > 0.05) break; iters *= 4; }
      iters = Math.max(1, Math.round(iters * workerData.seconds / dt));
      // barrier: every worker starts the timed run together
      Atomics.add(flag, 0, 1);
      Atomics.notify(flag, 0);
      while (Atomics.load(flag, 0) < workerData.cores * (1 + Object.keys(out).length)) Atomics.wait(flag, 0, Atomics.load(flag, 0), 5);
      const t0 = performance.now();
      fn(iters, 1.0001);
      const t = (performance.now() - t0) / 1e3;
      out[chains] = (iters * chains * 8) / t / 1e9;
    }
    parentPort.postMessage(out);
  `;
  const sab = new SharedArrayBuffer(4);
  const runs = Array.from({ length: cores }, () => {
    const w = new Worker(code, { eval: true, workerData: { binary, sab, cores, seconds } });
    return new Promise<Record<string, number>>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  });
  const results = await Promise.all(runs);
  let best = 0;
  for (const chains of ['8', '10', '12']) best = Math.max(best, results.reduce((s, r) => s + r[chains]!, 0));
  return best;
}

/** GFLOP/s of one 1024³ product variant on the backend's current thread count (best of several runs). */
function timeGemm(b: WasmBackend, transA: boolean, transB: boolean, a: Float32Array, bm: Float32Array, seconds: number): number {
  const args = { a, b: bm, batch: 1, m: N, k: N, n: N, transA, transB, aBatchStride: 0, bBatchStride: 0 };
  const run = (): void => {
    b.beginScope();
    b.matmul(args);
    b.endScope();
  };
  run();
  let best = Infinity;
  const start = performance.now();
  do {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  } while (performance.now() - start < seconds * 1000);
  return (2 * N ** 3) / (best / 1000) / 1e9;
}

/** Measures K1 (see GemmBench). `threads` (default 2) picks which thread count the K1 figures report. */
export async function benchGemm(opts: { quick?: boolean; threads?: number } = {}): Promise<GemmBench> {
  const seconds = opts.quick ? 0.6 : 2;
  const threads = opts.threads ?? 2;
  const backend = (await ready()) as WasmBackend;
  if (backend.name !== 'wasm') throw new Error('benchGemm: the wasm backend is not available (run `npm run build:wasm`)');
  // Operands live in persistent wasm memory, as weights do in training.
  const a = backend.allocPersistent(N * N) as Float32Array;
  const bm = backend.allocPersistent(N * N) as Float32Array;
  for (let i = 0; i < N * N; i++) {
    a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    bm[i] = ((i * 104729) % 997) / 997 - 0.5;
  }
  const byThreads: GemmBench['byThreads'] = {};
  for (const t of [...new Set([1, 2, threads])]) {
    await backend.setThreads(t);
    byThreads[String(t)] = {
      AB: timeGemm(backend, false, false, a, bm, seconds),
      AtB: timeGemm(backend, true, false, a, bm, seconds),
      ABt: timeGemm(backend, false, true, a, bm, seconds),
    };
  }
  const k1 = byThreads[String(threads)]!;
  const binary = await compilePeak();
  const gflops1t = await measurePeak(binary, 1, seconds / 2);
  const gflops2t = await measurePeak(binary, 2, seconds / 2);
  await backend.setThreads(availableParallelism());
  const two = byThreads['2']!;
  return {
    'K1-AB': k1.AB,
    'K1-AtB': k1.AtB,
    'K1-ABt': k1.ABt,
    threads,
    byThreads,
    gflops1t,
    gflops2t,
    fractionOfPeak2t: { AB: two.AB / gflops2t, AtB: two.AtB / gflops2t, ABt: two.ABt / gflops2t },
    note: `best of repeated 1024³ runs over ${seconds}s per figure; machine has ${availableParallelism()} cores shared with other processes`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchGemm({ quick: process.argv.includes('--quick') });
  const f = (x: number): string => x.toFixed(1).padStart(7);
  console.log(`GEMM 1024³ (GFLOP/s)      A·B    Aᵀ·B    A·Bᵀ`);
  for (const [t, v] of Object.entries(r.byThreads)) console.log(`  ${t} thread${t === '1' ? ' ' : 's'}            ${f(v.AB)} ${f(v.AtB)} ${f(v.ABt)}`);
  console.log(`SIMD mul+add peak: 1 core ${r.gflops1t.toFixed(1)}, 2 cores ${r.gflops2t.toFixed(1)} GFLOP/s`);
  const p = r.fractionOfPeak2t;
  console.log(`2-thread GEMM / 2-core peak: A·B ${(100 * p.AB).toFixed(0)} %, Aᵀ·B ${(100 * p.AtB).toFixed(0)} %, A·Bᵀ ${(100 * p.ABt).toFixed(0)} %`);
  console.log(r.note);
}
