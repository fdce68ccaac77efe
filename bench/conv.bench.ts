/**
 * K2: conv2d 3×3, 64 → 64 channels on 32×32 images, batch 32 (NHWC, 'same'
 * padding, stride 1) on the wasm backend: forward, backward-input and
 * backward-filter GFLOP/s on 1 and 2 threads, next to the machine's WASM SIMD
 * peak measured in the same run (`measureSimdPeak` of gemm.bench.ts). Each
 * pass does 2·32·32·32·64·64·9 = 2.42 GFLOP.
 *
 * `benchConv2d({ quick, threads })` is what bench/regula.ts calls;
 * `node --import tsx bench/conv.bench.ts [--quick]` prints a table.
 * Speed is measured here only, never asserted in tests.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { libModule } from './lib-path.js';
import type { Conv2dGeometry } from '../src/backend/backend.js';
import type { WasmBackend } from '../src/backend/wasm/wasm-backend.js';
import { CONV_K2, CONV_K2_FLOPS } from './common.js';
import { measureSimdPeak } from './gemm.bench.js';
import { uniformOperand } from './workloads.js';

/** GFLOP/s of the three passes. */
export interface ConvPasses {
  forward: number;
  backwardInput: number;
  backwardFilter: number;
}

/** What benchConv2d measures (GFLOP/s). */
export interface ConvBench {
  'K2-fwd': number;
  'K2-bwdInput': number;
  'K2-bwdFilter': number;
  threads: number;
  /** Every pass on 1 and 2 threads (and on `threads`, if another count). */
  byThreads: Record<string, ConvPasses>;
  gflops1t: number;
  gflops2t: number;
  /** Each pass on 2 threads against max(2-core peak, 2 × 1-core peak). */
  fractionOfPeak2t: ConvPasses;
  note: string;
}

/** The K2 geometry. */
export const K2_GEOMETRY: Conv2dGeometry = {
  batch: CONV_K2.batch, inH: CONV_K2.h, inW: CONV_K2.w, inC: CONV_K2.inC, outH: CONV_K2.h, outW: CONV_K2.w, outC: CONV_K2.outC,
  kh: CONV_K2.k, kw: CONV_K2.k, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, groups: 1,
};

const PASSES = ['forward', 'backwardInput', 'backwardFilter'] as const;

/** Best-of round-robin timing of the three passes over `seconds` each. */
function timePasses(b: WasmBackend, x: Float32Array, w: Float32Array, dy: Float32Array, seconds: number): ConvPasses {
  const g = K2_GEOMETRY;
  const run = (p: (typeof PASSES)[number]): number => {
    const t0 = performance.now();
    b.beginScope();
    if (p === 'forward') b.conv2dForward(x, w, g);
    else if (p === 'backwardInput') b.conv2dBackwardInput(dy, w, g);
    else b.conv2dBackwardFilter(x, dy, g);
    b.endScope();
    return performance.now() - t0;
  };
  const best = { forward: Infinity, backwardInput: Infinity, backwardFilter: Infinity };
  for (const p of PASSES) run(p);
  const start = performance.now();
  do {
    for (const p of PASSES) best[p] = Math.min(best[p], run(p));
  } while (performance.now() - start < 3 * seconds * 1000);
  const rate = (ms: number): number => CONV_K2_FLOPS / (ms / 1000) / 1e9;
  return { forward: rate(best.forward), backwardInput: rate(best.backwardInput), backwardFilter: rate(best.backwardFilter) };
}

/** Measures K2 (see ConvBench). `threads` (default 2) picks which thread count the K2 figures report. */
export async function benchConv2d(opts: { quick?: boolean; threads?: number } = {}): Promise<ConvBench> {
  const seconds = opts.quick ? 0.6 : 2;
  const threads = opts.threads ?? 2;
  const { ready } = await libModule<typeof import('../src/backend/wasm/ready.js')>('backend/wasm/ready.js');
  const backend = (await ready()) as WasmBackend;
  if (backend.name !== 'wasm') throw new Error('benchConv2d: the wasm backend is not available (run `npm run build:wasm`)');
  const g = K2_GEOMETRY;
  // Operands in persistent wasm memory, as activations and weights are in training.
  const fill = (n: number, seed: number): Float32Array => {
    const a = backend.allocPersistent(n) as Float32Array;
    a.set(uniformOperand(n, seed));
    return a;
  };
  const x = fill(g.batch * g.inH * g.inW * g.inC, 1);
  const w = fill(g.kh * g.kw * g.inC * g.outC, 2);
  const dy = fill(g.batch * g.outH * g.outW * g.outC, 3);
  const byThreads: ConvBench['byThreads'] = {};
  for (const t of [...new Set([1, 2, threads])]) {
    await backend.setThreads(t);
    byThreads[String(t)] = timePasses(backend, x, w, dy, seconds);
  }
  await backend.setThreads(availableParallelism());
  const { gflops1t, gflops2t } = await measureSimdPeak(seconds);
  const k2 = byThreads[String(threads)]!;
  const two = byThreads['2']!;
  const peak2 = Math.max(gflops2t, 2 * gflops1t);
  return {
    'K2-fwd': k2.forward,
    'K2-bwdInput': k2.backwardInput,
    'K2-bwdFilter': k2.backwardFilter,
    threads,
    byThreads,
    gflops1t,
    gflops2t,
    fractionOfPeak2t: { forward: two.forward / peak2, backwardInput: two.backwardInput / peak2, backwardFilter: two.backwardFilter / peak2 },
    note: `best of runs taken round-robin over ${(3 * seconds).toFixed(1)} s per thread count; ${(CONV_K2_FLOPS / 1e9).toFixed(2)} GFLOP per pass; ratios use max(2-core peak, 2 × 1-core peak); ${availableParallelism()} cores, shared with other processes`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchConv2d({ quick: process.argv.includes('--quick') });
  const f = (v: number): string => v.toFixed(1).padStart(9);
  console.log('conv2d 3×3 64→64 32×32 b32 (GFLOP/s)  forward  bwd-input  bwd-filter');
  for (const [t, v] of Object.entries(r.byThreads)) console.log(`  ${t} thread${t === '1' ? ' ' : 's'}                      ${f(v.forward)} ${f(v.backwardInput)} ${f(v.backwardFilter)}`);
  console.log(`SIMD mul+add peak: 1 core ${r.gflops1t.toFixed(1)}, 2 cores ${r.gflops2t.toFixed(1)} GFLOP/s`);
  const p = r.fractionOfPeak2t;
  console.log(`2 threads / peak: forward ${(100 * p.forward).toFixed(0)} %, backward-input ${(100 * p.backwardInput).toFixed(0)} %, backward-filter ${(100 * p.backwardFilter).toFixed(0)} %`);
  console.log(r.note);
}
