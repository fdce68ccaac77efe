/**
 * Trials in parallel: a small pool of worker threads (Node's worker_threads)
 * that run training tasks concurrently, each worker one task at a time.
 *
 * A task is named, not sent as code: `{ module, fn, args }` — the worker
 * imports `module` (a file URL; `taskModule()` builds one next to the
 * caller, `.ts` under tsx, `.js` from dist/) and calls its export `fn(args,
 * ctx)`. `args` and the result are structured-cloned. `ctx.report(step,
 * value)` sends an intermediate value to the caller's `onReport` and
 * resolves to its answer (true = stop: the trial was pruned), so a pruner
 * decides in the calling thread over the whole study.
 *
 * Each worker's WebAssembly kernels run on ⌊cores / workers⌋ threads (one
 * when there are as many workers as cores), so the pool never oversubscribes
 * the cores; kernels give bit-identical results for any thread count
 * (src/backend/wasm/threads.ts), so a task's result does not depend on the
 * worker or on the number of workers.
 *
 * Errors: a task that throws rejects its `run()` with an Error carrying the
 * worker's message (its stack appended to the stack); a worker that dies
 * (killed, out of memory, `process.exit` inside a task) rejects the task it
 * was running with a message saying so, and the pool starts a fresh worker
 * for the next task, so nothing hangs. `close()` terminates the workers and
 * rejects what is still queued.
 *
 * @example
 * const pool = new WorkerPool({ workers: 2 });
 * try {
 *   const scores = await Promise.all(cells.map((c) => pool.run<number>({ module: taskModule(import.meta.url, 'my-task'), fn: 'train', args: c })));
 * } finally { await pool.close(); }
 */
import { coreCount, nodeBuiltin } from '../backend/wasm/threads.js';

/** What a worker runs: the export `fn` of the module at `module` (a file URL), called with `args`. */
export interface PoolTask {
  readonly module: string;
  readonly fn: string;
  readonly args: unknown;
}

/** What a task function gets besides its arguments. */
export interface TaskContext {
  /** Sends an intermediate value (`step` 1-based); resolves true when the caller says stop (pruned). */
  report(step: number, value: number): Promise<boolean>;
  /** Kernel threads of this worker (1 when several tasks run at once). */
  readonly threads: number;
}

/** A function a worker can run: its export must have this shape. */
export type TaskFunction<A = never, R = unknown> = (args: A, ctx: TaskContext) => Promise<R>;

/** Hooks of one `run()`. */
export interface RunHooks {
  /** Called for each `ctx.report`; its answer (true = stop) goes back to the task. Default: never stop. */
  readonly onReport?: (step: number, value: number) => boolean | Promise<boolean>;
}

/** Runs tasks: a worker pool, or the calling thread (`InProcessRunner`). */
export interface TaskRunner {
  /** How many tasks run at once. */
  readonly size: number;
  run<R>(task: PoolTask, hooks?: RunHooks): Promise<R>;
  close(): Promise<void>;
}

/** Options of a pool. */
export interface PoolOptions {
  /** Worker threads (≥ 1). */
  readonly workers: number;
  /** Kernel threads per worker. Default: max(1, ⌊cores / workers⌋). */
  readonly threads?: number;
}

/**
 * The URL of the task module `name` next to the module at `callerUrl`
 * (pass `import.meta.url`), with the caller's extension: `.ts` under tsx,
 * `.js` from the build.
 */
export function taskModule(callerUrl: string, name: string): string {
  const ext = /\.([cm]?[jt]s)$/.exec(new URL(callerUrl).pathname)?.[1] ?? 'js';
  return new URL(`./${name}.${ext}`, callerUrl).href;
}

/** Workers for `tasks` independent tasks: one per core, never more than the tasks. */
export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(coreCount(), Math.floor(tasks)));
}

/** Messages between the pool and a worker (pool-worker.ts). */
export type ToWorker = { t: 'run'; id: number; module: string; fn: string; args: unknown } | { t: 'answer'; id: number; seq: number; stop: boolean };
export type FromWorker =
  | { t: 'report'; id: number; seq: number; step: number; value: number }
  | { t: 'done'; id: number; value: unknown }
  | { t: 'error'; id: number; name: string; message: string; stack: string };

interface WorkerHandle {
  postMessage(m: ToWorker): void;
  on(ev: 'message', fn: (m: FromWorker) => void): void;
  on(ev: 'error', fn: (e: Error) => void): void;
  on(ev: 'exit', fn: (code: number) => void): void;
  terminate(): Promise<number>;
}

interface NodeWorkerThreads {
  Worker: new (entry: string | URL, opts: { eval?: boolean; workerData?: unknown }) => WorkerHandle;
}

interface Job {
  readonly id: number;
  readonly task: PoolTask;
  readonly hooks: RunHooks;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly index: number;
  readonly worker: WorkerHandle;
  job: Job | null;
  /** Set once the worker exited or failed: never given another job. */
  dead: boolean;
}

/** The worker's entry: dist's compiled file, or (under tsx) a bootstrap that registers tsx first. */
function spawnWorker(wt: NodeWorkerThreads, threads: number): WorkerHandle {
  const entry = taskModule(import.meta.url, 'pool-worker');
  if (!entry.endsWith('.ts')) return new wt.Worker(new URL(entry), { workerData: { threads } });
  // tsx does not register itself in worker threads: the worker imports tsx's API first.
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new wt.Worker(code, { eval: true, workerData: { threads } });
}

/** A pool of worker threads running tasks (see the file header). */
export class WorkerPool implements TaskRunner {
  readonly size: number;
  readonly threads: number;
  private readonly wt: NodeWorkerThreads;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private nextIndex = 0;
  private closed = false;

  constructor(o: PoolOptions) {
    if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new Error(`WorkerPool: workers must be an integer ≥ 1, got ${o.workers}`);
    const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
    if (!wt) throw new Error('WorkerPool: needs Node worker_threads (Node ≥ 20.16); run the trials in the calling thread instead (InProcessRunner)');
    this.wt = wt;
    this.size = o.workers;
    this.threads = o.threads ?? Math.max(1, Math.floor(coreCount() / o.workers));
    if (!(Number.isInteger(this.threads) && this.threads >= 1)) throw new Error(`WorkerPool: threads must be an integer ≥ 1, got ${o.threads}`);
  }

  /** Runs `task` on a free worker (queued until one is free); resolves to the task function's result. */
  run<R>(task: PoolTask, hooks: RunHooks = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error('WorkerPool: the pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, hooks, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Terminates every worker; queued and running tasks reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('WorkerPool: closed before the task ran'));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      s.job?.reject(new Error('WorkerPool: closed while the task ran'));
      s.job = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => !s.dead && s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.start();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ t: 'run', id: job.id, module: job.task.module, fn: job.task.fn, args: job.task.args });
    }
  }

  private start(): Slot {
    const worker = spawnWorker(this.wt, this.threads);
    const slot: Slot = { index: this.nextIndex++, worker, job: null, dead: false };
    this.slots.push(slot);
    worker.on('message', (m) => this.onMessage(slot, m));
    worker.on('error', (e) => this.retire(slot, new Error(`trial worker ${slot.index} failed: ${e.message}`)));
    worker.on('exit', (code) => this.retire(slot, new Error(`trial worker ${slot.index} stopped (exit code ${code}) while running a task`)));
    return slot;
  }

  /** A worker that failed or exited: its task rejects, a fresh worker takes the queue. */
  private retire(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const job = slot.job;
    slot.job = null;
    job?.reject(error);
    void slot.worker.terminate().catch(() => undefined);
    this.dispatch();
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    if (m.t === 'report') {
      const answer = async (): Promise<boolean> => (job.hooks.onReport ? await job.hooks.onReport(m.step, m.value) : false);
      answer().then(
        (stop) => {
          if (slot.job === job) slot.worker.postMessage({ t: 'answer', id: m.id, seq: m.seq, stop });
        },
        (e: unknown) => {
          // The caller's hook failed (e.g. its storage): the task cannot go on meaningfully.
          if (slot.job !== job) return;
          this.retire(slot, e instanceof Error ? e : new Error(String(e)));
        },
      );
      return;
    }
    slot.job = null;
    if (m.t === 'done') job.resolve(m.value);
    else job.reject(remoteError(m));
    this.dispatch();
  }
}

/** The Error of a task that threw in a worker: its message, its name, the worker's stack. */
function remoteError(m: { name: string; message: string; stack: string }): Error {
  const e = new Error(m.message);
  if (m.name && m.name !== 'Error') e.name = m.name;
  e.stack = `${e.name}: ${m.message}\n    (in a trial worker)\n${m.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

/**
 * Runs tasks one at a time in the calling thread (kernels on all cores): the
 * same results as a pool. Calls made while a task runs wait their turn (two
 * trainings never interleave on one thread).
 */
export class InProcessRunner implements TaskRunner {
  readonly size = 1;
  private last: Promise<unknown> = Promise.resolve();
  run<R>(task: PoolTask, hooks: RunHooks = {}): Promise<R> {
    const next = this.last.then(() => this.runNow<R>(task, hooks));
    this.last = next.catch(() => undefined);
    return next;
  }
  private async runNow<R>(task: PoolTask, hooks: RunHooks): Promise<R> {
    const mod = (await import(task.module)) as Record<string, unknown>;
    const fn = mod[task.fn];
    if (typeof fn !== 'function') throw new Error(`${task.module} has no task function '${task.fn}'`);
    const ctx: TaskContext = { report: async (step, value) => (hooks.onReport ? await hooks.onReport(step, value) : false), threads: coreCount() };
    return (await (fn as TaskFunction<unknown, R>)(task.args, ctx)) as R;
  }
  async close(): Promise<void> {}
}

/**
 * A runner for `workers` concurrent tasks: the calling thread for 1 (or where
 * there are no worker threads: browsers, Node < 20.16), else a pool. Its
 * `size` is how many tasks really run at once.
 */
export function createRunner(workers: number): TaskRunner {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`workers must be an integer ≥ 1, got ${workers}`);
  return workers === 1 || !nodeBuiltin('node:worker_threads') ? new InProcessRunner() : new WorkerPool({ workers });
}
