/**
 * `await ready()`: instantiates the WebAssembly backend once, registers it and
 * makes it the current backend. Where WebAssembly, shared memory or the
 * built module is missing, the reference backend stays active (the reason is
 * kept in `wasmLoadError()`).
 */
import type { Backend } from '../backend.js';
import { getBackend, registerBackend, setBackend } from '../select.js';
import { SPLIT_KERNELS } from './exports.js';
import { instantiateKernels, loadWasmModule, type WasmModuleInfo, type WasmModuleKind } from './load.js';
import { WasmMemory } from './memory.js';
import { coreCount, ThreadPool } from './threads.js';
import { WasmBackend } from './wasm-backend.js';
import { setSeed } from '../../random.js';

/** Options of `ready()`. */
export interface ReadyOptions {
  /** Threads for GEMM/conv (calling thread included). Default: the number of cores. */
  threads?: number;
  /**
   * Where regula.wasm comes from: a URL (resolved against the page in a
   * browser) or the bytes. Default: build/regula.wasm of this package.
   */
  wasm?: string | URL | BufferSource;
  /**
   * The relaxed-SIMD build (fused multiply-adds), used instead of `wasm`
   * where the engine validates relaxed SIMD. Default: build/regula-relaxed.wasm
   * of this package when `wasm` is not given either.
   */
  wasmRelaxed?: string | URL | BufferSource;
  /**
   * 'auto' (default; `REGULA_WASM_MODULE` in Node): the relaxed-SIMD build
   * where validated; 'simd' forces the SIMD build; 'relaxed-simd' requires the
   * relaxed one (an error where the engine lacks it). Only the first load
   * decides.
   */
  module?: 'auto' | WasmModuleKind;
  /** Seeds the global generator of random ops given no seed (see `setSeed`). */
  seed?: number;
}

let loading: Promise<WasmBackend> | undefined;
let loadError: Error | undefined;
let moduleInfo: WasmModuleInfo | undefined;

async function load(options: ReadyOptions = {}): Promise<WasmBackend> {
  const { module, info } = await loadWasmModule({
    ...(options.wasm !== undefined ? { wasm: options.wasm } : {}),
    ...(options.wasmRelaxed !== undefined ? { wasmRelaxed: options.wasmRelaxed } : {}),
    ...(options.module !== undefined ? { module: options.module } : {}),
  });
  moduleInfo = info;
  const mem = new WasmMemory();
  const kernels = instantiateKernels(module, mem.memory);
  const pool = new ThreadPool(mem, module, SPLIT_KERNELS);
  const backend = new WasmBackend(mem, kernels, pool);
  await backend.setThreads(coreCount());
  return backend;
}

/**
 * Loads the wasm backend (once), registers it and selects it; returns the
 * backend now in use — the reference backend when wasm cannot run here.
 * @example
 * import { ready } from 'regula';
 * await ready({ threads: 2 });
 */
export async function ready(options: ReadyOptions = {}): Promise<Backend> {
  const t = options.threads;
  if (t !== undefined && (!Number.isInteger(t) || t < 1)) throw new Error(`ready: threads must be an integer ≥ 1, got ${t}`);
  if (options.seed !== undefined) setSeed(options.seed);
  try {
    loading ??= load(options);
    const backend = await loading;
    if (options.threads !== undefined) await backend.setThreads(options.threads);
    registerBackend(backend);
    setBackend('wasm');
    loadError = undefined;
    return backend;
  } catch (e) {
    loading = undefined;
    loadError = e instanceof Error ? e : new Error(String(e));
    setBackend('reference');
    return getBackend();
  }
}

/**
 * Which kernels module the wasm backend runs ('relaxed-simd' or 'simd'),
 * whether this engine validates relaxed SIMD, and why that build was chosen;
 * undefined before the backend has loaded.
 */
export function wasmModuleInfo(): WasmModuleInfo | undefined {
  return moduleInfo ? { ...moduleInfo } : undefined;
}

/** Why the last `ready()` fell back to the reference backend (undefined if it did not). */
export function wasmLoadError(): Error | undefined {
  return loadError;
}

/**
 * Changes how many threads the wasm backend uses (loads it first if needed).
 * Results are bit-identical for any thread count.
 */
export async function setThreads(n: number): Promise<void> {
  loading ??= load();
  await (await loading).setThreads(n);
}

/** Threads the wasm backend uses now (1 before it is loaded). */
export async function getThreads(): Promise<number> {
  return loading ? (await loading).threads : 1;
}
