/**
 * Memory and backends, TF.js spelling: `tf.tidy`, `tf.dispose`, `tf.keep`,
 * `tf.memory`, `tf.nextFrame`, `tf.setBackend` / `tf.getBackend` /
 * `tf.ready`.
 *
 * Regula frees memory itself (step scopes during training, garbage
 * collection for tensors handed to users), so nothing here is needed to avoid
 * leaks. `tidy` and `dispose` still behave as in TF.js — a tensor made inside
 * `tidy` and not returned, or a disposed one, throws 'Tensor is disposed.'
 * when used — so a program that runs here runs on TF.js too. `memory()`
 * counts the tensors alive (made, not disposed, not yet collected).
 *
 * Backends: 'wasm' is Regula's WebAssembly SIMD backend (the default);
 * 'cpu' is Regula's plain-TypeScript reference backend (like TF.js's cpu
 * backend: always there, slower). 'webgl', 'webgpu' and 'tensorflow'
 * (tfjs-node) do not exist here: `setBackend` resolves false, as TF.js does
 * for a backend that fails to start.
 */
import { getBackend as coreGetBackend, setBackend as coreSetBackend } from '../backend/select.js';
import { ready as coreReady } from '../backend/wasm/ready.js';
import { endScope, liveTensors, startScope, Tensor } from './tensor.js';
import type { MemoryInfo } from './types.js';

/** What `tidy`, `dispose` and datasets hold: tensors, numbers, strings, and arrays or objects of them. */
export type TensorContainer = void | Tensor | string | number | boolean | TensorContainerObject | TensorContainerArray | Float32Array | Int32Array | Uint8Array;
export interface TensorContainerObject {
  [x: string]: TensorContainer;
}
export interface TensorContainerArray extends Array<TensorContainer> {}

/** Every tensor inside a container (arrays and plain objects walked; depth-limited). */
export function tensorsIn(c: unknown, out: Set<Tensor> = new Set(), depth = 0): Set<Tensor> {
  if (c instanceof Tensor) out.add(c);
  else if (depth < 64 && Array.isArray(c)) for (const x of c) tensorsIn(x, out, depth + 1);
  else if (depth < 64 && typeof c === 'object' && c !== null && Object.getPrototypeOf(c) === Object.prototype) for (const x of Object.values(c)) tensorsIn(x, out, depth + 1);
  return out;
}

type ScopeFn<T> = () => T;

/**
 * Runs `fn` and disposes the tensors it made, except those it returns (and
 * `tf.keep`ed ones). `fn` must not be async, as in TF.js.
 */
export function tidy<T extends TensorContainer>(nameOrFn: string | ScopeFn<T>, fn?: ScopeFn<T>): T {
  const f = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof f !== 'function') throw new Error('tidy: expected a function, as tidy(fn) or tidy(name, fn)');
  startScope();
  let result: T | undefined;
  try {
    result = f();
    if (result instanceof Promise) throw new Error('Cannot return a Promise inside of tidy.');
    return result;
  } finally {
    endScope(tensorsIn(result));
  }
}

/** Disposes every tensor in a container. */
export function dispose(container: TensorContainer): void {
  for (const t of tensorsIn(container)) t.dispose();
}

/** Keeps a tensor made inside `tidy` from being disposed when the scope ends. */
export function keep<T extends Tensor>(result: T): T {
  result.kept = true;
  return result;
}

/** Live tensors and their bytes (estimates: Regula tensors are garbage-collected). */
export function memory(): MemoryInfo {
  const { tensors, bytes } = liveTensors();
  return {
    numTensors: tensors,
    numDataBuffers: tensors,
    numBytes: bytes,
    unreliable: true,
    reasons: ['regula/tfjs counts tensors made and not yet disposed or garbage-collected; Regula manages the memory itself, so disposing is never needed'],
  };
}

/** Resolves on the next turn of the event loop (requestAnimationFrame in a browser page). */
export function nextFrame(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame;
  const immediate = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => {
    if (typeof raf === 'function') raf(() => resolve());
    else if (typeof immediate === 'function') immediate(() => resolve());
    else setTimeout(resolve, 0);
  });
}

/** 'wasm' (Regula's default, WebAssembly SIMD), 'cpu' (Regula's reference backend). */
export type BackendName = 'wasm' | 'cpu';
const ABSENT = ['webgl', 'webgpu', 'tensorflow'];

/** The name of the backend in use: 'wasm' or 'cpu' (Regula's reference backend). */
export function getBackend(): BackendName {
  return coreGetBackend().name === 'wasm' ? 'wasm' : 'cpu';
}

/**
 * Selects 'wasm' or 'cpu' (Regula's reference backend; 'reference' also
 * works). Resolves false for TF.js backends Regula does not have ('webgl',
 * 'webgpu', 'tensorflow') or when wasm cannot run here, keeping the backend
 * in use; throws for other names, as TF.js does.
 */
export async function setBackend(backendName: string): Promise<boolean> {
  if (backendName === 'cpu' || backendName === 'reference') {
    coreSetBackend('reference');
    return true;
  }
  if (backendName === 'wasm') {
    const b = await coreReady();
    return b.name === 'wasm';
  }
  if (ABSENT.includes(backendName)) {
    console.warn(`setBackend: regula/tfjs has no '${backendName}' backend; it keeps '${getBackend()}' (backends: 'wasm', 'cpu')`);
    return false;
  }
  throw new Error(`Backend name '${backendName}' not found in registry (regula/tfjs backends: 'wasm', 'cpu')`);
}

/** Resolves once the backend is ready (Regula's import already awaited it). */
export async function ready(): Promise<void> {}
