/**
 * Starts the fastest available backend: `await ready()` instantiates the
 * WebAssembly backend (all cores); where it is not built or cannot start,
 * `ready()` leaves the reference backend active and the CLI says why.
 */
import { getBackend, setBackend } from '../backend/select.js';
import { ready, wasmLoadError } from '../backend/wasm/ready.js';

/** Name of the backend in use after `initBackend`. */
export type ActiveBackend = 'wasm' | 'reference';

/** The backend in use, and why wasm is not, when it is not. */
export interface BackendInfo {
  readonly backend: ActiveBackend;
  readonly note?: string;
}

let started: Promise<BackendInfo> | undefined;

/**
 * Loads the wasm backend (falling back to the reference backend), once per process.
 *
 * @returns the backend in use and, on fallback, why.
 */
export function initBackend(): Promise<BackendInfo> {
  started ??= start();
  return started;
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

async function start(): Promise<BackendInfo> {
  try {
    await ready();
  } catch (e) {
    setBackend('reference');
    return { backend: 'reference', note: `wasm backend unavailable (${firstLine(e)}); using the reference backend` };
  }
  if (getBackend().name === 'wasm') return { backend: 'wasm' };
  const why = wasmLoadError();
  return { backend: 'reference', note: `wasm backend unavailable (${why ? firstLine(why) : 'unknown reason'}); using the reference backend` };
}
