/**
 * The entry of a WorkerPool thread (pool.ts): sets this thread's wasm kernels
 * to the pool's thread count, then runs one task at a time — imports the
 * task's module, calls its function with the arguments and a context whose
 * `report()` asks the pool (the calling thread) whether to stop — and posts
 * the result, or the error with its stack.
 */
import { nodeBuiltin } from '../backend/wasm/threads.js';
import { ready } from '../backend/wasm/ready.js';
import type { FromWorker, TaskContext, TaskFunction, ToWorker } from './pool.js';

interface Port {
  postMessage(m: FromWorker): void;
  on(ev: 'message', fn: (m: ToWorker) => void): void;
}

const wt = nodeBuiltin<{ parentPort: Port | null; workerData: { threads: number } }>('node:worker_threads');
const port = wt?.parentPort;
if (!wt || !port) throw new Error('pool-worker: runs only as a worker thread of a WorkerPool');
const threads = wt.workerData.threads;

let backend: Promise<unknown> | undefined;
const waiting = new Map<number, (stop: boolean) => void>();
let seq = 0;

async function run(m: Extract<ToWorker, { t: 'run' }>): Promise<void> {
  try {
    backend ??= ready({ threads });
    await backend;
    const mod = (await import(m.module)) as Record<string, unknown>;
    const fn = mod[m.fn];
    if (typeof fn !== 'function') throw new Error(`${m.module} has no task function '${m.fn}'`);
    const ctx: TaskContext = {
      threads,
      report: (step, value) =>
        new Promise<boolean>((resolve) => {
          const s = ++seq;
          waiting.set(s, resolve);
          port!.postMessage({ t: 'report', id: m.id, seq: s, step, value });
        }),
    };
    const value = await (fn as TaskFunction<unknown, unknown>)(m.args, ctx);
    port!.postMessage({ t: 'done', id: m.id, value });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port!.postMessage({ t: 'error', id: m.id, name: err.name, message: err.message, stack: err.stack ?? '' });
  }
}

port.on('message', (m) => {
  if (m.t === 'answer') {
    const resolve = waiting.get(m.seq);
    waiting.delete(m.seq);
    resolve?.(m.stop);
  } else void run(m);
});
