/**
 * Shared vocabulary of the benchmark: workload ids, the measurement record a
 * runner prints, command-line parsing for the per-peer runner scripts, the
 * timing loop and memory probes.
 *
 * Every runner (`bench/peers/*.ts`, `bench/regula.ts`) is started by
 * `bench/run.ts` as its own Node process and prints one line per measurement:
 * `BENCH_RESULT {json}`; anything else on stdout (library banners) is ignored.
 */

/**
 * Model workloads (samples/s), GEMM kernels (K1) and conv2d kernels (K2)
 * (GFLOP/s); W1-fit and W2-fit are W1's and W2's models trained end to end
 * with `model.fit` (issue 18, bench/regula-fit.ts; Regula only).
 */
export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'K1', 'K2', 'W1-fit', 'W2-fit'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** The `model.fit` workloads. */
export type FitWorkload = 'W1-fit' | 'W2-fit';

/** Whether a workload trains through `model.fit` (Regula's runner bench/regula-fit.ts only). */
export function isFit(w: Workload): w is FitWorkload {
  return w === 'W1-fit' || w === 'W2-fit';
}

/** Kernel workloads (GFLOP/s, several keys each). */
export type KernelWorkload = 'K1' | 'K2';

/** Keys of the results file: K1 reports three products, K2 three conv2d passes. */
export const RESULT_KEYS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W1-fit', 'W2-fit', 'K1-AB', 'K1-AtB', 'K1-ABt', 'K2-fwd', 'K2-bwdInput', 'K2-bwdFilter'] as const;
export type ResultKey = (typeof RESULT_KEYS)[number];

/**
 * K2: conv2d 3×3, 64 → 64 channels on 32×32 images ('same' padding, stride
 * 1), batch 32 (NHWC). Each pass (forward, backward-input, backward-filter)
 * does the same multiply-adds: 2·batch·h·w·inC·outC·9 FLOPs.
 */
export const CONV_K2 = { batch: 32, h: 32, w: 32, inC: 64, outC: 64, k: 3 } as const;

/** FLOPs of one K2 pass. */
export const CONV_K2_FLOPS = 2 * CONV_K2.batch * CONV_K2.h * CONV_K2.w * CONV_K2.inC * CONV_K2.outC * CONV_K2.k * CONV_K2.k;

/** The conv2d passes of K2 and their result keys. */
export const CONV_PASSES = [
  { key: 'K2-fwd', pass: 'forward' },
  { key: 'K2-bwdInput', pass: 'backwardInput' },
  { key: 'K2-bwdFilter', pass: 'backwardFilter' },
] as const satisfies readonly { key: ResultKey; pass: string }[];

/** The GEMM shapes of K1 and their result keys. */
export const GEMM_VARIANTS = [
  { key: 'K1-AB', transA: false, transB: false },
  { key: 'K1-AtB', transA: true, transB: false },
  { key: 'K1-ABt', transA: false, transB: true },
] as const satisfies readonly { key: ResultKey; transA: boolean; transB: boolean }[];

/** GEMM size of K1 (m = n = k). */
export const GEMM_N = 1024;

export type Unit = 'samples/s' | 'GFLOP/s';

/** One measured (or failed) number, as printed by a runner. */
export interface Measurement {
  readonly peer: string;
  readonly key: ResultKey;
  readonly unit: Unit;
  /** Throughput, or null when the peer cannot run the workload. */
  readonly value: number | null;
  /** Peak RSS of the runner process minus its RSS before the library was imported, MB. */
  readonly rssMB: number | null;
  /** RSS after the timed phase minus RSS after warm-up, MB (leak indicator). */
  readonly rssGrowthMB: number | null;
  /** Why `value` is null. */
  readonly error?: string;
  /** A caveat about a non-null `value` (e.g. which backend it ran on). */
  readonly note?: string;
  /** Free-form facts: steps, seconds, thread count, effective GFLOP/s, data source. */
  readonly detail?: Record<string, unknown>;
}

/** The unit of a result key. */
export function unitOf(key: ResultKey): Unit {
  return key.startsWith('K') ? 'GFLOP/s' : 'samples/s';
}

/** Result keys a workload produces. */
export function keysOf(w: Workload): ResultKey[] {
  return w === 'K1' ? GEMM_VARIANTS.map((v) => v.key) : w === 'K2' ? CONV_PASSES.map((v) => v.key) : [w];
}

/** Whether a workload is a kernel (K1, K2) rather than a model. */
export function isKernel(w: Workload): w is KernelWorkload {
  return w === 'K1' || w === 'K2';
}

/** Prints one measurement line for `bench/run.ts`. */
export function emit(m: Measurement): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(m)}\n`);
}

/** Flushes stdout, then exits (library worker threads may otherwise keep the process alive). */
export function finish(code = 0): void {
  process.stdout.write('', () => process.exit(code));
}

/** Options common to every runner script. */
export interface RunnerArgs {
  readonly workload: Workload;
  readonly quick: boolean;
  readonly threads: number;
  /** Free-form `--backend` value (tfjs: cpu | wasm). */
  readonly backend: string;
}

/**
 * Parses `--workload W1 [--backend wasm] [--threads 2] [--quick]`.
 *
 * @throws Error naming the flag and the value received.
 */
export function parseRunnerArgs(argv: readonly string[]): RunnerArgs {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const workload = get('--workload');
  if (!WORKLOADS.includes(workload as Workload)) {
    throw new Error(`--workload must be one of ${WORKLOADS.join(', ')}, received ${JSON.stringify(workload)}`);
  }
  const threads = Number(get('--threads') ?? '1');
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`--threads must be a positive integer, received ${JSON.stringify(get('--threads'))}`);
  }
  return { workload: workload as Workload, quick: argv.includes('--quick'), threads, backend: get('--backend') ?? 'default' };
}

/** Time budget of one measurement. */
export interface Budget {
  /** Untimed steps before measuring: at least this many and this long... */
  readonly warmupSteps: number;
  readonly warmupSeconds: number;
  /** ...unless one or more steps already took this long (slow peers). */
  readonly maxWarmupSeconds: number;
  /** Timed steps: at least this many and this long... */
  readonly minSteps: number;
  readonly seconds: number;
  /** ...unless one or more steps already took this long; never more than maxSteps. */
  readonly maxSeconds: number;
  readonly maxSteps: number;
}

/** The budget for a run: `--quick` trades precision for time. */
export function budgetFor(quick: boolean): Budget {
  return quick
    ? { warmupSteps: 3, warmupSeconds: 0.5, maxWarmupSeconds: 1, minSteps: 2, seconds: 1.5, maxSeconds: 3, maxSteps: 100_000 }
    : { warmupSteps: 3, warmupSeconds: 1.5, maxWarmupSeconds: 3, minSteps: 3, seconds: 6, maxSeconds: 10, maxSteps: 1_000_000 };
}

/** A budget scaled to a fraction of the time (K1 spends a third on each product). */
export function scaleBudget(b: Budget, f: number): Budget {
  return { ...b, warmupSeconds: b.warmupSeconds * f, maxWarmupSeconds: b.maxWarmupSeconds * f, seconds: b.seconds * f, maxSeconds: b.maxSeconds * f };
}

/** Result of {@link timeSteps}. */
export interface Timing {
  readonly steps: number;
  readonly seconds: number;
  readonly rssGrowthMB: number;
}

/**
 * Runs `step(i)` for warm-up (at least once), then times it under `budget`
 * (at least one step). `step` must only return once its work is complete
 * (read a value back / await readiness).
 *
 * @param warmup - false skips the warm-up (a later K1 product reusing the
 *   same compiled kernel as the first).
 */
export async function timeSteps(step: (i: number) => Promise<void> | void, budget: Budget, warmup = true): Promise<Timing> {
  let i = 0;
  const w0 = performance.now();
  const warm = (): number => (performance.now() - w0) / 1000;
  while (warmup && (i === 0 || ((i < budget.warmupSteps || warm() < budget.warmupSeconds) && warm() < budget.maxWarmupSeconds))) {
    await step(i++);
    sampleRss();
  }
  const rss0 = rssNow();
  const t0 = performance.now();
  let n = 0;
  let elapsed = 0;
  while (n === 0 || (n < budget.maxSteps && (n < budget.minSteps || elapsed < budget.seconds) && elapsed < budget.maxSeconds)) {
    await step(i++);
    sampleRss();
    n++;
    elapsed = (performance.now() - t0) / 1000;
  }
  return { steps: n, seconds: elapsed, rssGrowthMB: (rssNow() - rss0) / 2 ** 20 };
}

let peakRss = 0;
let lastSample = 0;

/** RSS of this process now, bytes (also recorded as a peak candidate). */
export function rssNow(): number {
  const r = process.memoryUsage().rss;
  if (r > peakRss) peakRss = r;
  return r;
}

/** Samples RSS at most every 5 ms (called by {@link timeSteps} after each step). */
export function sampleRss(): void {
  const t = performance.now();
  if (t - lastSample < 5) return;
  lastSample = t;
  rssNow();
}

/**
 * Highest sampled RSS minus `baseline` bytes, MB. Sampling (rather than the
 * kernel's maxRSS) keeps the transient peak of data loading, which happens
 * before the baseline, out of the figure.
 */
export function peakRssMB(baseline: number): number {
  rssNow();
  return (peakRss - baseline) / 2 ** 20;
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] ?? e.name;
  if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** Rounds to 3 significant digits (keeps the results file readable). */
export function round3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const d = 3 - Math.ceil(Math.log10(Math.abs(x)));
  const f = 10 ** Math.max(d, 0);
  return d > 0 ? Math.round(x * f) / f : Math.round(x);
}
