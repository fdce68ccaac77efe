/**
 * Which backend runs the kernels. One explicit, process-wide choice:
 * `setBackend('reference' | 'wasm' | instance)`; `getBackend()` is what ops call.
 * The reference backend is always available; the wasm backend becomes the
 * default once `ready()` (src/index.ts) has instantiated it.
 */
import type { Backend, BackendName } from './backend.js';
import { ReferenceBackend } from './reference/reference-backend.js';

let current: Backend = new ReferenceBackend();
const instances: Partial<Record<BackendName, Backend>> = { reference: current };

/** The active backend. */
export function getBackend(): Backend {
  return current;
}

/** Makes a backend instance available under its name (used by the wasm loader). */
export function registerBackend(b: Backend): void {
  instances[b.name] = b;
}

/**
 * Selects the backend by name or instance. Selecting 'wasm' before it was
 * loaded (`await ready()`) throws a clear error.
 */
export function setBackend(b: Backend | BackendName): void {
  if (typeof b !== 'string') {
    current = b;
    return;
  }
  const found = instances[b];
  if (!found) {
    const known: Record<BackendName, string> = {
      reference: 'always available',
      wasm: 'call `await ready()` first (WebAssembly must be instantiated)',
    };
    throw new Error(`setBackend: backend '${b}' is not loaded: ${known[b] ?? 'unknown backend name'}`);
  }
  current = found;
}

/** Runs fn with another backend active (tests: float64 gradient checks, conformance). */
export function withBackend<T>(b: Backend, fn: () => T): T {
  const prev = current;
  current = b;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
