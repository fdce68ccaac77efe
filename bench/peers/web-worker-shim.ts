/**
 * A minimal browser `Worker` over Node's `worker_threads`, enough for jax-js's
 * WASM worker pool (`new Worker(blobUrl, {type: 'module'})`, `onmessage`,
 * `onerror`, `postMessage`, `terminate`), plus `navigator.hardwareConcurrency`
 * so that jax-js sizes its pool to the requested thread count.
 *
 * jax-js builds its worker from a `Blob` whose text can only be read
 * asynchronously, so the Node worker starts with a tiny bootstrap, receives the
 * source as its first message, and the shim queues every `postMessage` made
 * before the source was sent (jax-js posts `init` right after construction).
 */
import { Worker as NodeWorker } from 'node:worker_threads';
import { resolveObjectURL } from 'node:buffer';

/** Source of the Node-side bootstrap; evaluated as a CommonJS script. */
const BOOTSTRAP = `
const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
let loaded = false;
parentPort.on('message', (m) => {
  if (!loaded) { loaded = true; (0, eval)(m.source); return; }
  const handler = globalThis.onmessage;
  if (typeof handler === 'function') handler({ data: m });
});
`;

let started = 0;

/** How many workers the shim has started (jax-js starts its pool on the first dispatch). */
export function shimWorkerCount(): number {
  return started;
}

interface MessageLike {
  data: unknown;
}

/** The subset of the DOM `Worker` that jax-js uses. */
class ShimWorker {
  onmessage: ((e: MessageLike) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  readonly #worker: NodeWorker;
  #queue: unknown[] | null = [];

  constructor(url: string | URL) {
    const href = String(url);
    const blob = resolveObjectURL(href);
    if (blob === undefined) {
      throw new Error(`Worker shim: cannot resolve script URL ${JSON.stringify(href)}; only blob: URLs are supported`);
    }
    this.#worker = new NodeWorker(BOOTSTRAP, { eval: true });
    started++;
    this.#worker.unref();
    this.#worker.on('message', (data: unknown) => this.onmessage?.({ data }));
    this.#worker.on('error', (err: Error) => this.onerror?.({ message: err.message }));
    void blob.text().then((source) => {
      this.#worker.postMessage({ source });
      const queued = this.#queue ?? [];
      this.#queue = null;
      for (const m of queued) this.#worker.postMessage(m);
    });
  }

  postMessage(message: unknown): void {
    if (this.#queue !== null) this.#queue.push(message);
    else this.#worker.postMessage(message);
  }

  terminate(): void {
    void this.#worker.terminate();
  }
}

/**
 * Installs `globalThis.Worker` (if absent) and sets
 * `navigator.hardwareConcurrency` to `threads`. Must run before jax-js creates
 * its WASM backend (i.e. before `init('wasm')`).
 */
export function installWebWorkerShim(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`installWebWorkerShim: threads must be a positive integer, received ${threads}`);
  }
  const g = globalThis as Record<string, unknown>;
  if (typeof g['Worker'] === 'undefined') g['Worker'] = ShimWorker;
  Object.defineProperty(globalThis, 'navigator', {
    value: { ...((g['navigator'] as object | undefined) ?? {}), hardwareConcurrency: threads },
    configurable: true,
    writable: true,
  });
}
