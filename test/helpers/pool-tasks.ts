/**
 * Task functions for the WorkerPool tests (src/study/pool.test.ts): a worker
 * imports this module by URL and calls one export.
 */
import type { TaskContext } from '../../src/study/pool.js';

/** Returns its argument squared, with the worker's kernel thread count. */
export async function square(x: number, ctx: TaskContext): Promise<{ y: number; threads: number }> {
  return { y: x * x, threads: ctx.threads };
}

/** Throws a RangeError with the given message. */
export async function fail(message: string): Promise<never> {
  throw new RangeError(message);
}

/** Ends its worker thread abruptly (as a crash or a kill would). */
export async function die(code: number): Promise<never> {
  process.exit(code);
}

/** Reports steps 1 … n with value 10·step until the caller says stop; returns the last step reached. */
export async function count(n: number, ctx: TaskContext): Promise<number> {
  for (let s = 1; s <= n; s++) if (await ctx.report(s, 10 * s)) return s;
  return n;
}
