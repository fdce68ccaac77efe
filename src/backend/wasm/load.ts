/**
 * Finds, compiles and instantiates the kernels module, and checks it exports
 * every kernel of KernelExports. Two builds exist (scripts/build-wasm.mjs):
 * build/regula-relaxed.wasm (relaxed SIMD: fused multiply-adds in the GEMM
 * micro-kernel) is chosen where the engine validates relaxed SIMD (Chrome ≥
 * 114, Node ≥ 22, Node 20 with --experimental-wasm-relaxed-simd), otherwise
 * build/regula.wasm (SIMD). In Node the files are read next to the package
 * (build/ at the package root, found from this module's URL, from both `src/`
 * under tsx and `dist/src/` once compiled); in a browser they are fetched
 * relative to this module, or from explicit URLs.
 */
import { KERNEL_NAMES, type KernelExports } from './exports.js';
import { nodeBuiltin } from './threads.js';

/** The two builds of the kernels. */
export type WasmModuleKind = 'simd' | 'relaxed-simd';

/** Where a build may be, relative to this file (source tree, then compiled tree). */
const CANDIDATES: Record<WasmModuleKind, readonly string[]> = {
  simd: ['../../../build/regula.wasm', '../../../../build/regula.wasm'],
  'relaxed-simd': ['../../../build/regula-relaxed.wasm', '../../../../build/regula-relaxed.wasm'],
};

/**
 * The smallest module using f32x4.relaxed_madd (three f32x4.splat of 0.0,
 * then relaxed_madd): WebAssembly.validate accepts it only where the engine
 * has relaxed SIMD.
 */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0,
  67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 253, 133, 2, 11,
]);

/** Whether this engine validates relaxed-SIMD code (f32x4.relaxed_madd). */
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly !== 'undefined' && WebAssembly.validate(RELAXED_PROBE);
}

/** Which build runs and why. */
export interface WasmModuleInfo {
  kind: WasmModuleKind;
  /** Whether the engine validates relaxed SIMD at all. */
  relaxedSupported: boolean;
  reason: string;
}

/** Where the kernels come from: a URL (resolved against the page in a browser) or the bytes. */
export type WasmSource = string | URL | BufferSource;

/** What `loadWasmModule` may choose from. */
export interface WasmChoice {
  /** The SIMD build (default: build/regula.wasm of this package). */
  wasm?: WasmSource;
  /** The relaxed-SIMD build (default: build/regula-relaxed.wasm, unless `wasm` was given). */
  wasmRelaxed?: WasmSource;
  /** 'auto' (default): relaxed SIMD where validated; 'simd' forces the SIMD build; 'relaxed-simd' requires the other. */
  module?: 'auto' | WasmModuleKind;
}

interface NodeFs {
  existsSync(p: string): boolean;
  readFileSync(p: string): Uint8Array;
}

interface NodeUrl {
  fileURLToPath(u: URL): string;
}

/** REGULA_WASM_MODULE in Node (simd | relaxed-simd | auto), when set. */
function envChoice(): WasmChoice['module'] | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['REGULA_WASM_MODULE'];
  if (v === undefined || v === '') return undefined;
  if (v === 'auto' || v === 'simd' || v === 'relaxed-simd') return v;
  throw new Error(`REGULA_WASM_MODULE must be auto, simd or relaxed-simd, got ${JSON.stringify(v)}`);
}

/** Compiles one source (bytes, or a URL list tried in order). */
async function compileFrom(source: WasmSource | undefined, kind: WasmModuleKind): Promise<WebAssembly.Module> {
  if (source !== undefined && typeof source !== 'string' && !(source instanceof URL)) return WebAssembly.compile(source);
  const file = kind === 'simd' ? 'regula.wasm' : 'regula-relaxed.wasm';
  const fs = nodeBuiltin<NodeFs>('node:fs');
  const urlMod = nodeBuiltin<NodeUrl>('node:url');
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  const urls = source !== undefined ? [new URL(source, page ?? import.meta.url)] : CANDIDATES[kind].map((c) => new URL(c, import.meta.url));
  if (fs && urlMod && urls.every((u) => u.protocol === 'file:')) {
    const paths = urls.map((u) => urlMod.fileURLToPath(u));
    const found = paths.find((p) => fs.existsSync(p));
    if (!found) throw new Error(`wasm backend: build/${file} not found (looked at ${paths.join(', ')}); run \`npm run build:wasm\``);
    return WebAssembly.compile(fs.readFileSync(found) as Uint8Array<ArrayBuffer>);
  }
  let lastError: unknown;
  for (const url of urls) {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status} for ${url.href}`);
      return await WebAssembly.compile(await res.arrayBuffer());
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`wasm backend: could not fetch ${file}: ${(lastError as Error)?.message ?? 'unknown error'}`);
}

/**
 * Compiles the kernels module: the relaxed-SIMD build where the engine
 * validates it (and one is available), else the SIMD build. A plain `source`
 * (the pre-2-module signature) is the SIMD build.
 */
export async function loadWasmModule(source?: WasmSource | WasmChoice): Promise<{ module: WebAssembly.Module; info: WasmModuleInfo }> {
  if (typeof WebAssembly === 'undefined') throw new Error('wasm backend: WebAssembly is not available in this environment');
  const choice: WasmChoice = source === undefined ? {} : typeof source === 'string' || source instanceof URL || ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? { wasm: source } : (source as WasmChoice);
  const want = choice.module ?? envChoice() ?? 'auto';
  const supported = relaxedSimdSupported();
  const relaxedSource = choice.wasmRelaxed ?? (choice.wasm === undefined ? null : undefined);
  if (want === 'relaxed-simd' && !supported) throw new Error('wasm backend: the relaxed-SIMD module was asked for, but this engine does not validate relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)');
  if (want !== 'simd' && supported && relaxedSource !== undefined) {
    try {
      const module = await compileFrom(relaxedSource ?? undefined, 'relaxed-simd');
      return { module, info: { kind: 'relaxed-simd', relaxedSupported: true, reason: want === 'auto' ? 'the engine validates relaxed SIMD' : 'asked for' } };
    } catch (e) {
      if (want === 'relaxed-simd') throw e;
      // No relaxed build where it was looked for (e.g. a bundle that ships regula.wasm only): use the SIMD build.
      const module = await compileFrom(choice.wasm, 'simd');
      return { module, info: { kind: 'simd', relaxedSupported: true, reason: `the relaxed-SIMD build could not be loaded (${(e as Error).message})` } };
    }
  }
  if (want === 'relaxed-simd') throw new Error('wasm backend: the relaxed-SIMD module was asked for, but only a SIMD module was given (pass wasmRelaxed)');
  const module = await compileFrom(choice.wasm, 'simd');
  const reason = want === 'simd' ? 'asked for' : supported ? 'a SIMD module was given without wasmRelaxed' : 'the engine does not validate relaxed SIMD';
  return { module, info: { kind: 'simd', relaxedSupported: supported, reason } };
}

/** Instantiates the module on `memory` and checks every kernel is exported. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const ex = instance.exports as Record<string, unknown>;
  const missing = KERNEL_NAMES.filter((n) => typeof ex[n] !== 'function');
  if (missing.length > 0) {
    throw new Error(`wasm backend: the kernels module lacks kernels ${missing.join(', ')} (rebuild with \`npm run build:wasm\`)`);
  }
  // A plain object (the exports object is frozen), so a profiler can count the calls into wasm.
  const kernels: Record<string, unknown> = {};
  for (const n of KERNEL_NAMES) kernels[n] = ex[n];
  return kernels as unknown as KernelExports;
}
