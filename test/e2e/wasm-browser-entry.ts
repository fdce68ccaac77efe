/**
 * Browser side of wasm-browser.test.ts: loads the wasm backend from the page's
 * server (fetch + Web Workers over shared memory), runs a GEMM large enough to
 * be split, conv1d, softmax and a dropout mask, on 1 and 2 threads, next to
 * the reference backend; says which kernels module ran (the relaxed-SIMD one
 * where the browser validates it). Exposed as `globalThis.regulaWasmBrowser()`.
 */
import { relaxedSimdSupported } from '../../src/backend/wasm/load.js';
import { ready, wasmLoadError, wasmModuleInfo } from '../../src/backend/wasm/ready.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { ReferenceBackend } from '../../src/backend/reference/reference-backend.js';

function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

async function run(): Promise<Record<string, unknown>> {
  // Both builds offered: the page runs the relaxed-SIMD one where the browser validates relaxed SIMD.
  const b = (await ready({ threads: 2, wasm: '/regula.wasm', wasmRelaxed: '/regula-relaxed.wasm' })) as WasmBackend;
  const error = wasmLoadError()?.message ?? null;
  if (b.name !== 'wasm') return { name: b.name, error };
  const ref = new ReferenceBackend();
  const m = 160;
  const k = 300;
  const n = 170;
  const args = { a: data(m * k, 1), b: data(k * n, 2), batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
  const two = Array.from(b.matmul(args));
  const threads2 = b.threads;
  await b.setThreads(1);
  const one = Array.from(b.matmul(args));
  await b.setThreads(2);
  const expected = Array.from(ref.matmul(args));
  const g = { batch: 4, inLen: 64, inC: 16, outLen: 64, outC: 32, k: 3, stride: 1, dilation: 1, padLeft: 1 };
  const x = data(4 * 64 * 16, 3);
  const w = data(3 * 16 * 32, 4);
  const s = { key0: 1, key1: 2, counter: 3 };
  return {
    name: b.name,
    error,
    module: wasmModuleInfo()?.kind ?? null,
    relaxedSupported: relaxedSimdSupported(),
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false,
    threads2,
    one,
    two,
    expected,
    conv: Array.from(b.conv1dForward(x, w, g)),
    convExpected: Array.from(ref.conv1dForward(x, w, g)),
    softmax: Array.from(b.softmax(data(30, 5), 3, 10)),
    softmaxExpected: Array.from(ref.softmax(data(30, 5), 3, 10)),
    dropout: Array.from(b.dropoutMask(1000, s, 0.4)),
    dropoutExpected: Array.from(ref.dropoutMask(1000, s, 0.4)),
  };
}

(globalThis as unknown as { regulaWasmBrowser: typeof run }).regulaWasmBrowser = run;
