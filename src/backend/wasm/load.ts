/**
 * Finds, compiles and instantiates build/regula.wasm, and checks it exports
 * every kernel of KernelExports. In Node the file is read next to the package
 * (build/regula.wasm at the package root, found from this module's URL, from
 * both `src/` under tsx and `dist/src/` once compiled); in a browser it is
 * fetched relative to this module, or from an explicit URL.
 */
import { KERNEL_NAMES, type KernelExports } from './exports.js';
import { nodeBuiltin } from './threads.js';

/** Where the module may be, relative to this file (source tree, then compiled tree). */
const CANDIDATES = ['../../../build/regula.wasm', '../../../../build/regula.wasm'];

interface NodeFs {
  existsSync(p: string): boolean;
  readFileSync(p: string): Uint8Array;
}

interface NodeUrl {
  fileURLToPath(u: URL): string;
}

/**
 * Compiles the kernels module. `source` overrides where it comes from (a URL,
 * resolved against the page in a browser, or the bytes themselves).
 */
export async function loadWasmModule(source?: string | URL | BufferSource): Promise<WebAssembly.Module> {
  if (typeof WebAssembly === 'undefined') throw new Error('wasm backend: WebAssembly is not available in this environment');
  if (source !== undefined && typeof source !== 'string' && !(source instanceof URL)) return WebAssembly.compile(source);
  const fs = nodeBuiltin<NodeFs>('node:fs');
  const urlMod = nodeBuiltin<NodeUrl>('node:url');
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  const urls = source !== undefined ? [new URL(source, page ?? import.meta.url)] : CANDIDATES.map((c) => new URL(c, import.meta.url));
  if (fs && urlMod && urls.every((u) => u.protocol === 'file:')) {
    const paths = urls.map((u) => urlMod.fileURLToPath(u));
    const found = paths.find((p) => fs.existsSync(p));
    if (!found) throw new Error(`wasm backend: build/regula.wasm not found (looked at ${paths.join(', ')}); run \`npm run build:wasm\``);
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
  throw new Error(`wasm backend: could not fetch regula.wasm: ${(lastError as Error)?.message ?? 'unknown error'}`);
}

/** Instantiates the module on `memory` and checks every kernel is exported. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const ex = instance.exports as Record<string, unknown>;
  const missing = KERNEL_NAMES.filter((n) => typeof ex[n] !== 'function');
  if (missing.length > 0) {
    throw new Error(`wasm backend: regula.wasm lacks kernels ${missing.join(', ')} (rebuild with \`npm run build:wasm\`)`);
  }
  return ex as unknown as KernelExports;
}
