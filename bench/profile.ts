/**
 * The per-phase profile of `npm run bench -- --profile`: where a training
 * step's time goes (forward GEMMs, backward GEMMs, elementwise kernels,
 * optimizer, constraints, penalties, gather/shuffle, metric reads, callbacks,
 * validation, JS overhead) and how many calls cross from JS into wasm per
 * step.
 *
 * How: the training loop reports its phases to a `StepProfiler`
 * (src/models/step-profile.ts); every compute method of the wasm backend is
 * wrapped to time it (kernel + its host-side dispatch, threads included) and
 * every export of the calling thread's module is wrapped to count calls.
 * A phase's time not spent inside a backend method is its JS overhead.
 * Nothing is installed unless a profile is asked for; the wrappers add about
 * 0.1 µs per call, so a profiled run is a little slower than a timed one.
 */
import type { StepPhase, StepProfiler } from '../src/models/step-profile.js';

/** Backend methods grouped as the profile reports them. */
const CATEGORY: Record<string, string> = {
  matmul: 'gemm',
  adamUpdate: 'update', sgdUpdate: 'update', rmspropUpdate: 'update', adagradUpdate: 'update', scaleInPlace: 'update',
  gather: 'layout', slice: 'layout', concat: 'layout', transpose: 'layout', gatherBackward: 'layout',
  dropoutMask: 'random', randomUniform: 'random', randomNormal: 'random',
};
/** Host-side memory methods: not kernels (their time is JS overhead). */
const HOST_ONLY = new Set(['allocFloat', 'allocInt', 'allocPersistent', 'beginScope', 'endScope', 'copyOut', 'fromValues', 'copyInto', 'setThreads', 'constructor']);

/** Per phase: wall time outside nested phases, time inside backend methods by category, calls. */
interface PhaseStats {
  selfMs: number;
  backendMs: Record<string, number>;
  backendCalls: number;
  wasmCalls: number;
}

/** The result of one profiled run (plain data, printed and written to the results file). */
export interface ProfileReport {
  steps: number;
  /** Phase → per-step figures. */
  phases: Record<string, { ms: number; gemmMs: number; otherKernelMs: number; jsMs: number; wasmCalls: number; backendCalls: number }>;
  /** The breakdown, ms per step. */
  summary: Record<string, number>;
  totalMs: number;
  wasmCallsPerStep: number;
  backendCallsPerStep: number;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Collects phase times and call counts; `install` wraps a backend, `uninstall` restores it. */
export class PhaseProfiler implements StepProfiler {
  private readonly stack: string[] = ['step'];
  private last = 0;
  private readonly stats = new Map<string, PhaseStats>();
  private readonly restore: (() => void)[] = [];
  private inBackend = false;

  private phase(name: string): PhaseStats {
    let s = this.stats.get(name);
    if (!s) this.stats.set(name, (s = { selfMs: 0, backendMs: {}, backendCalls: 0, wasmCalls: 0 }));
    return s;
  }

  private tick(): void {
    const now = performance.now();
    this.phase(this.stack[this.stack.length - 1]!).selfMs += now - this.last;
    this.last = now;
  }

  enter(p: StepPhase): void {
    this.tick();
    this.stack.push(p);
  }

  leave(): void {
    this.tick();
    if (this.stack.length > 1) this.stack.pop();
  }

  /** Starts the clock (call right before the profiled steps). */
  start(): void {
    this.stats.clear();
    this.stack.length = 1;
    this.last = performance.now();
  }

  /** Stops the clock: time since the last marker goes to the outermost phase. */
  stop(): void {
    this.tick();
  }

  /**
   * Wraps the backend's compute methods (timed, by category) and the calling
   * thread's kernel exports (counted).
   */
  install(backend: object, kernels: Record<string, unknown> | undefined): void {
    const b = backend as Record<string, unknown>;
    const names = new Set<string>();
    for (let p: object | null = Object.getPrototypeOf(backend); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const n of Object.getOwnPropertyNames(p)) {
        const d = Object.getOwnPropertyDescriptor(p, n);
        if (d && typeof d.value === 'function' && !HOST_ONLY.has(n)) names.add(n);
      }
    }
    for (const name of names) {
      const fn = b[name] as AnyFn;
      const cat = CATEGORY[name] ?? 'elementwise';
      b[name] = (...args: unknown[]): unknown => {
        if (this.inBackend) return fn.apply(backend, args);
        this.inBackend = true;
        const t0 = performance.now();
        try {
          return fn.apply(backend, args);
        } finally {
          const s = this.phase(this.stack[this.stack.length - 1]!);
          s.backendMs[cat] = (s.backendMs[cat] ?? 0) + performance.now() - t0;
          s.backendCalls++;
          this.inBackend = false;
        }
      };
      this.restore.push(() => delete b[name]);
    }
    if (!kernels) return;
    for (const [name, fn] of Object.entries(kernels)) {
      if (typeof fn !== 'function') continue;
      kernels[name] = (...args: unknown[]): unknown => {
        this.phase(this.stack[this.stack.length - 1]!).wasmCalls++;
        return (fn as AnyFn).apply(undefined, args);
      };
      this.restore.push(() => (kernels[name] = fn));
    }
  }

  uninstall(): void {
    for (const r of this.restore.splice(0)) r();
  }

  /** Per-step figures over `steps` training steps. */
  report(steps: number): ProfileReport {
    const per = (x: number): number => x / steps;
    const phases: ProfileReport['phases'] = {};
    let totalMs = 0;
    let wasm = 0;
    let calls = 0;
    const sum = (r: Record<string, number>, skip?: string): number => Object.entries(r).reduce((a, [k, v]) => (k === skip ? a : a + v), 0);
    const summary: Record<string, number> = {
      'forward GEMMs': 0, 'backward GEMMs': 0, 'elementwise kernels': 0, 'random (dropout masks)': 0, optimizer: 0, constraints: 0, penalties: 0,
      'shuffle + gather': 0, 'metric reads': 0, callbacks: 0, 'yield to event loop': 0, validation: 0, 'JS overhead': 0,
    };
    for (const [name, s] of this.stats) {
      const kernelMs = sum(s.backendMs);
      const gemm = s.backendMs['gemm'] ?? 0;
      phases[name] = { ms: per(s.selfMs), gemmMs: per(gemm), otherKernelMs: per(kernelMs - gemm), jsMs: per(s.selfMs - kernelMs), wasmCalls: per(s.wasmCalls), backendCalls: per(s.backendCalls) };
      totalMs += s.selfMs;
      wasm += s.wasmCalls;
      calls += s.backendCalls;
      const js = s.selfMs - kernelMs;
      if (name === 'forward' || name === 'backward' || name === 'loss') {
        summary[name === 'backward' ? 'backward GEMMs' : 'forward GEMMs']! += gemm;
        summary['elementwise kernels']! += sum(s.backendMs, 'gemm') - (s.backendMs['random'] ?? 0);
        summary['random (dropout masks)']! += s.backendMs['random'] ?? 0;
        summary['JS overhead']! += js;
      } else if (name === 'step') {
        summary['JS overhead']! += s.selfMs;
      } else {
        const key = { gather: 'shuffle + gather', shuffle: 'shuffle + gather', metrics: 'metric reads', yield: 'yield to event loop' }[name as string] ?? name;
        summary[key] = (summary[key] ?? 0) + s.selfMs;
      }
    }
    for (const k of Object.keys(summary)) summary[k] = per(summary[k]!);
    return { steps, phases, summary, totalMs: per(totalMs), wasmCallsPerStep: per(wasm), backendCallsPerStep: per(calls) };
  }
}

const f2 = (x: number): string => x.toFixed(3).padStart(8);
const pct = (x: number, t: number): string => `${((100 * x) / t).toFixed(1).padStart(5)} %`;

/** The printed profile of one workload. */
export function formatProfile(label: string, r: ProfileReport): string {
  const out = [`${label}: ${r.totalMs.toFixed(3)} ms per step, ${r.wasmCallsPerStep.toFixed(1)} JS→wasm calls and ${r.backendCallsPerStep.toFixed(1)} backend calls per step (${r.steps} steps)`];
  // Two clock reads per timed backend call and a counter per wasm call: about 0.1 µs a call, inside the JS figures.
  out.push(`  (the profiler's own wrappers: ≈ ${((0.1 * (r.backendCallsPerStep + r.wasmCallsPerStep)) / 1000).toFixed(3)} ms/step of the JS overhead)`);
  out.push('  breakdown (ms/step, share):');
  for (const [k, v] of Object.entries(r.summary)) if (v > 0) out.push(`    ${k.padEnd(24)}${f2(v)}  ${pct(v, r.totalMs)}`);
  out.push('  by phase: ms/step = GEMM + other kernels + JS; wasm calls/step');
  const order = Object.entries(r.phases).sort((a, b) => b[1].ms - a[1].ms);
  for (const [k, p] of order) {
    out.push(`    ${k.padEnd(12)}${f2(p.ms)} = ${f2(p.gemmMs)} + ${f2(p.otherKernelMs)} + ${f2(p.jsMs)}; ${p.wasmCalls.toFixed(1).padStart(6)} calls`);
  }
  return out.join('\n');
}
