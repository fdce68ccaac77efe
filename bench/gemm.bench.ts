/**
 * K1: GEMM 1024³ GFLOP/s of the wasm backend for A·B, Aᵀ·B and A·Bᵀ on 1 and 2
 * threads, next to the machine's WASM SIMD peak: micro-kernels of 8–12
 * independent f32x4 mul/add chains (the best of them counts), run on 1 core
 * and on 2 cores at once. The peak kernel is compiled here with the
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
import { libModule } from './lib-path.js';

// The library tree the bench measures (bench/lib-path.ts): the compiled package by default.
const load = await libModule<typeof import('../src/backend/wasm/load.js')>('backend/wasm/load.js');
const readyModule = await libModule<typeof import('../src/backend/wasm/ready.js')>('backend/wasm/ready.js');

// Namespace imports: the bench also runs against older trees (A/B runs), which lack these two.
const { ready } = readyModule;
const relaxedSimdSupported = (): boolean => (load as { relaxedSimdSupported?: () => boolean }).relaxedSimdSupported?.() ?? false;
const wasmModuleInfo = (): { kind: string; reason: string } | undefined => (readyModule as { wasmModuleInfo?: () => { kind: string; reason: string } | undefined }).wasmModuleInfo?.();
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
  /** Fraction of the 2-core peak (max of the measured one and 2× the 1-core one) each variant reaches on 2 threads. */
  fractionOfPeak2t: { AB: number; AtB: number; ABt: number };
  /** The kernels module that ran ('relaxed-simd' or 'simd') and why; gflops1t/2t are that module's peak. */
  module: string;
  /** The mul + add peak and the relaxed_madd peak (or why it was not measured). */
  simdPeak: { gflops1t: number; gflops2t: number };
  relaxedPeak: { gflops1t: number; gflops2t: number } | string;
  note: string;
}

const N = 1024;

/**
 * Peak kernels: `fma<n>` has n accumulators of acc += x·m (the GEMM inner
 * loop without loads); `sep<n>` has n/2 independent multiply chains and n/2
 * independent add chains. Flops per iteration: fma 8·n, sep 4·n.
 */
const PEAK_KERNELS: Record<string, number> = { fma8: 64, fma10: 80, fma12: 96, sep8: 32, sep12: 48 };
/** The relaxed-SIMD module's peak: the same chains with f32x4.relaxed_madd (fused where the CPU has FMA). */
const RELAXED_PEAK_KERNELS: Record<string, number> = { fma8: 64, fma10: 80, fma12: 96 };

function peakSource(relaxed = false): string {
  const fma = (chains: number): string => {
    const accs = Array.from({ length: chains }, (_, i) => `a${i}`);
    const step = (a: string, i: number): string => (relaxed ? `${a} = f32x4.relaxed_madd(x${i % 3}, m, ${a});` : `${a} = f32x4.add(${a}, f32x4.mul(x${i % 3}, m));`);
    const body = accs.map(step).join('\n    ');
    const sum = accs.reduce((s, a) => `f32x4.add(${s}, ${a})`, 'f32x4.splat(0)');
    return `export function fma${chains}(iters: i32, s: f32): f32 {
  const m = f32x4.splat(s);
  const x0 = f32x4.splat(1.0), x1 = f32x4.splat(1.1), x2 = f32x4.splat(1.2);
  let ${accs.map((a) => `${a} = f32x4.splat(0)`).join(', ')};
  for (let i = 0; i < iters; i++) {
    ${body}
  }
  return f32x4.extract_lane(${sum}, 0);
}`;
  };
  const sep = (chains: number): string => {
    const half = chains / 2;
    const muls = Array.from({ length: half }, (_, i) => `p${i}`);
    const adds = Array.from({ length: half }, (_, i) => `q${i}`);
    const body = muls.map((p, i) => `${p} = f32x4.mul(${p}, m); ${adds[i]} = f32x4.add(${adds[i]}, e);`).join('\n    ');
    const sum = [...muls, ...adds].reduce((s, a) => `f32x4.add(${s}, ${a})`, 'f32x4.splat(0)');
    return `export function sep${chains}(iters: i32, s: f32): f32 {
  const m = f32x4.splat(s);
  const e = f32x4.splat(1e-7);
  let ${muls.map((p, i) => `${p} = f32x4.splat(${1 + i / 10})`).join(', ')};
  let ${adds.map((q) => `${q} = f32x4.splat(0)`).join(', ')};
  for (let i = 0; i < iters; i++) {
    ${body}
  }
  return f32x4.extract_lane(${sum}, 0);
}`;
  };
  return (relaxed ? [fma(8), fma(10), fma(12)] : [fma(8), fma(10), fma(12), sep(8), sep(12)]).join('\n');
}

async function compilePeak(relaxed = false): Promise<Uint8Array> {
  const { binary, error, stderr } = await asc.compileString(peakSource(relaxed), {
    runtime: 'stub',
    optimizeLevel: 3,
    noAssert: true,
    use: ['abort='],
    enable: relaxed ? ['simd', 'relaxed-simd'] : ['simd'],
  } as Record<string, unknown>);
  if (error || !binary) throw new Error(`peak kernel failed to compile: ${error?.message ?? ''} ${stderr.toString()}`);
  return binary;
}

/**
 * Runs the peak kernels in `cores` workers at once, in short synchronized
 * rounds for about `seconds` per kernel; returns the best round's total
 * GFLOP/s (the machine is shared, so the best round is the quiet one).
 */
async function measurePeak(binary: Uint8Array, cores: number, seconds: number, kernels = PEAK_KERNELS): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { cores, seconds } = workerData;
    const ex = new WebAssembly.Instance(new WebAssembly.Module(workerData.binary), {}).exports;
    const flag = new Int32Array(workerData.sab);
    let barrier = 0;
    const sync = () => {
      barrier += cores;
      Atomics.add(flag, 0, 1);
      Atomics.notify(flag, 0);
      for (;;) { const v = Atomics.load(flag, 0); if (v >= barrier) break; Atomics.wait(flag, 0, v, 5); }
    };
    const out = {};
    for (const [name, flops] of Object.entries(workerData.kernels)) {
      const fn = ex[name];
      let iters = 1e5;
      for (;;) { const t0 = performance.now(); fn(iters, 1.0001); if (performance.now() - t0 > 20) break; iters *= 2; }
      const rounds = Math.max(3, Math.round(seconds / 0.05));
      out[name] = [];
      for (let r = 0; r < rounds; r++) {
        sync();
        const t0 = performance.now();
        fn(iters, 1.0001);
        out[name].push((iters * flops) / ((performance.now() - t0) / 1e3) / 1e9);
      }
    }
    parentPort.postMessage(out);
  `;
  const sab = new SharedArrayBuffer(4);
  const runs = Array.from({ length: cores }, () => {
    const w = new Worker(code, { eval: true, workerData: { binary, sab, cores, seconds, kernels } });
    return new Promise<Record<string, number[]>>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  });
  const results = await Promise.all(runs);
  let best = 0;
  for (const name of Object.keys(kernels)) {
    const rounds = results[0]![name]!.length;
    for (let r = 0; r < rounds; r++) best = Math.max(best, results.reduce((s, w) => s + w[name]![r]!, 0));
  }
  return best;
}

const VARIANTS = { AB: [false, false], AtB: [true, false], ABt: [false, true] } as const;

/**
 * GFLOP/s of the three 1024³ variants on the backend's current thread count:
 * the best of runs taken round-robin over `seconds` per variant, so every
 * variant gets the same chance at the machine's quiet moments.
 */
function timeVariants(b: WasmBackend, a: Float32Array, bm: Float32Array, seconds: number): { AB: number; AtB: number; ABt: number } {
  const best = { AB: Infinity, AtB: Infinity, ABt: Infinity };
  const run = (name: keyof typeof VARIANTS): number => {
    const [transA, transB] = VARIANTS[name];
    const t0 = performance.now();
    b.beginScope();
    b.matmul({ a, b: bm, batch: 1, m: N, k: N, n: N, transA, transB, aBatchStride: 0, bBatchStride: 0 });
    b.endScope();
    return performance.now() - t0;
  };
  for (const name of Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]) run(name);
  const start = performance.now();
  do {
    for (const name of Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]) best[name] = Math.min(best[name], run(name));
  } while (performance.now() - start < 3 * seconds * 1000);
  const rate = (ms: number): number => (2 * N ** 3) / (ms / 1000) / 1e9;
  return { AB: rate(best.AB), AtB: rate(best.AtB), ABt: rate(best.ABt) };
}

/**
 * The machine's WASM SIMD mul+add peak (GFLOP/s) on one core and on two
 * cores at once, each the best synchronized round over about `seconds` per
 * kernel (also used by K2 in `conv.bench.ts`).
 */
export async function measureSimdPeak(seconds: number): Promise<{ gflops1t: number; gflops2t: number; relaxed: { gflops1t: number; gflops2t: number } | string }> {
  const binary = await compilePeak();
  const plain = { gflops1t: await measurePeak(binary, 1, seconds), gflops2t: await measurePeak(binary, 2, seconds) };
  if (!relaxedSimdSupported()) return { ...plain, relaxed: `not measured: this engine (V8 ${process.versions.v8}) does not validate relaxed SIMD` };
  const rb = await compilePeak(true);
  return { ...plain, relaxed: { gflops1t: await measurePeak(rb, 1, seconds, RELAXED_PEAK_KERNELS), gflops2t: await measurePeak(rb, 2, seconds, RELAXED_PEAK_KERNELS) } };
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
    byThreads[String(t)] = timeVariants(backend, a, bm, seconds);
  }
  const k1 = byThreads[String(threads)]!;
  const pk = await measureSimdPeak(seconds);
  // Judged against the peak of the module that ran (relaxed SIMD: fused multiply-add chains).
  const module = wasmModuleInfo();
  const ran = module?.kind === 'relaxed-simd' && typeof pk.relaxed === 'object' ? pk.relaxed : pk;
  const { gflops1t, gflops2t } = ran;
  await backend.setThreads(availableParallelism());
  const two = byThreads['2']!;
  // A 2-core peak measured below twice the 1-core peak means the other core was busy:
  // judge against the larger figure, never flattering the ratios.
  const peak2 = Math.max(gflops2t, 2 * gflops1t);
  return {
    'K1-AB': k1.AB,
    'K1-AtB': k1.AtB,
    'K1-ABt': k1.ABt,
    threads,
    byThreads,
    gflops1t,
    gflops2t,
    fractionOfPeak2t: { AB: two.AB / peak2, AtB: two.AtB / peak2, ABt: two.ABt / peak2 },
    module: module ? `${module.kind} (${module.reason})` : 'unknown',
    simdPeak: { gflops1t: pk.gflops1t, gflops2t: pk.gflops2t },
    relaxedPeak: pk.relaxed,
    note: `best of 1024³ runs taken round-robin over ${3 * seconds}s per thread count; peak = best synchronized round; ratios use max(2-core peak, 2 × 1-core peak); ${availableParallelism()} cores, shared with other processes`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchGemm({ quick: process.argv.includes('--quick') });
  const f = (x: number): string => x.toFixed(1).padStart(7);
  console.log(`GEMM 1024³ (GFLOP/s)      A·B    Aᵀ·B    A·Bᵀ`);
  for (const [t, v] of Object.entries(r.byThreads)) console.log(`  ${t} thread${t === '1' ? ' ' : 's'}            ${f(v.AB)} ${f(v.AtB)} ${f(v.ABt)}`);
  console.log(`module: ${r.module}`);
  console.log(`SIMD mul+add peak: 1 core ${r.simdPeak.gflops1t.toFixed(1)}, 2 cores ${r.simdPeak.gflops2t.toFixed(1)} GFLOP/s`);
  const rp = r.relaxedPeak;
  console.log(typeof rp === 'string' ? `relaxed_madd peak: ${rp}` : `relaxed_madd peak: 1 core ${rp.gflops1t.toFixed(1)}, 2 cores ${rp.gflops2t.toFixed(1)} GFLOP/s`);
  const p = r.fractionOfPeak2t;
  console.log(`2-thread GEMM / max(2-core peak, 2 × 1-core peak): A·B ${(100 * p.AB).toFixed(0)} %, Aᵀ·B ${(100 * p.AtB).toFixed(0)} %, A·Bᵀ ${(100 * p.ABt).toFixed(0)} %`);
  console.log(r.note);
}
