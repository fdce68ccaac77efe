/**
 * Starts the fastest available backend: `await ready()` instantiates the
 * WebAssembly backend; where it is not built or cannot start, the CLI runs on
 * the reference backend and says so.
 */
import { setBackend } from '../backend/select.js';

/** Name of the backend in use after `initBackend`. */
export type ActiveBackend = 'wasm' | 'reference';

/** The wasm loader module (looked up at run time so the CLI also runs where it is absent). */
const WASM_READY = '../backend/wasm/ready.js';

/**
 * Loads the wasm backend (falling back to the reference backend), once per process.
 *
 * @returns the backend in use and, on fallback, why.
 */
export function initBackend(): Promise<{ backend: ActiveBackend; note?: string }> {
  started ??= start();
  return started;
}

let started: Promise<{ backend: ActiveBackend; note?: string }> | undefined;

async function start(): Promise<{ backend: ActiveBackend; note?: string }> {
  try {
    const mod = (await import(WASM_READY)) as { ready?: () => Promise<unknown> };
    if (typeof mod.ready !== 'function') throw new Error('ready() not found');
    await mod.ready();
    setBackend('wasm');
    return { backend: 'wasm' };
  } catch (e) {
    setBackend('reference');
    return { backend: 'reference', note: `wasm backend unavailable (${(e as Error).message.split('\n')[0]}); using the reference backend` };
  }
}
