import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadData } from '../cli/shared-options.js';
import { splitTable } from '../cli/prepare-data.js';
import { trialTask } from '../cli/trial-task.js';
import type { RunReport } from '../report/report-data.js';
import { GridSampler, RandomSampler } from './samplers.js';
import { spaceFromSpecs } from './space.js';
import { InProcessRunner, taskModule, WorkerPool, type TaskRunner } from './pool.js';
import { tune } from './tune.js';
import { MemoryStorage } from './journal.js';

const TASKS = taskModule(import.meta.url, '../../test/helpers/pool-tasks');

test('taskModule keeps the caller\'s extension', () => {
  assert.equal(taskModule('file:///a/src/study/pool.ts', 'pool-worker'), 'file:///a/src/study/pool-worker.ts');
  assert.equal(taskModule('file:///a/dist/src/study/pool.js', 'pool-worker'), 'file:///a/dist/src/study/pool-worker.js');
});

test('WorkerPool: runs tasks on 2 workers with 1 kernel thread each; errors and dead workers reject clearly; the pool goes on', { timeout: 120_000 }, async () => {
  const pool = new WorkerPool({ workers: 2, threads: 1 });
  try {
    const ys = await Promise.all([1, 2, 3, 4, 5].map((x) => pool.run<{ y: number; threads: number }>({ module: TASKS, fn: 'square', args: x })));
    assert.deepEqual(ys.map((r) => r.y), [1, 4, 9, 16, 25]);
    assert.ok(ys.every((r) => r.threads === 1));
    await assert.rejects(pool.run({ module: TASKS, fn: 'fail', args: 'bad l2' }), (e: Error) => e.name === 'RangeError' && e.message === 'bad l2' && /in a trial worker/.test(e.stack ?? ''));
    await assert.rejects(pool.run({ module: TASKS, fn: 'nope', args: 0 }), /has no task function 'nope'/);
    // A worker that dies mid-task: that task rejects, the others still run (a fresh worker takes over).
    const [dead, after] = await Promise.allSettled([pool.run({ module: TASKS, fn: 'die', args: 7 }), pool.run<{ y: number }>({ module: TASKS, fn: 'square', args: 6 })]);
    assert.equal(dead.status, 'rejected');
    assert.match((dead as PromiseRejectedResult).reason.message, /trial worker \d+ stopped \(exit code 7\) while running a task/);
    assert.equal((after as PromiseFulfilledResult<{ y: number }>).value.y, 36);
    assert.equal((await pool.run<{ y: number }>({ module: TASKS, fn: 'square', args: 7 })).y, 49);
    // Reports reach the caller, whose answer stops the task.
    const steps: number[] = [];
    const last = await pool.run<number>({ module: TASKS, fn: 'count', args: 10 }, { onReport: (s, v) => (steps.push(v), s === 3) });
    assert.equal(last, 3);
    assert.deepEqual(steps, [10, 20, 30]);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.run({ module: TASKS, fn: 'square', args: 1 }), /the pool is closed/);
});

test('WorkerPool: close() rejects the queued and running tasks', { timeout: 60_000 }, async () => {
  const pool = new WorkerPool({ workers: 1 });
  const running = pool.run({ module: TASKS, fn: 'count', args: 1e9 }, { onReport: () => new Promise<boolean>(() => undefined) });
  const queued = pool.run({ module: TASKS, fn: 'square', args: 2 });
  const checks = [assert.rejects(running, /closed while the task ran/), assert.rejects(queued, /closed before the task ran/)];
  await new Promise((r) => setTimeout(r, 200));
  await pool.close();
  await Promise.all(checks);
});

/** A real study on wine: 4 trials of a small MLP, 3 epochs each; every trial's params, per-epoch values and final value. */
async function wineStudy(runner: TaskRunner, sampler: 'random' | 'grid'): Promise<string> {
  const table = loadData({ dataset: 'wine' });
  const split = splitTable(table, { validation: 0.3, test: 0, seed: 3 });
  const rows = { train: Int32Array.from(split.train), validation: Int32Array.from(split.validation), test: null };
  const space = spaceFromSpecs(['l2=loguniform:1e-5:1e-1', 'dropout=uniform:0:0.5']);
  const r = await tune({
    space,
    trials: 4,
    metric: 'val_loss',
    direction: 'minimize',
    sampler: sampler === 'random' ? new RandomSampler(11) : new GridSampler(2),
    concurrency: runner.size,
    objective: async (trial) => {
      const reg = { l1: 0, l2: trial.params['l2'] as number, dropout: trial.params['dropout'] as number, gaussianNoise: 0, maxNorm: 0 };
      const args = { name: `#${trial.number}`, table, rows, standardize: true, model: { kind: 'mlp' as const, arch: { hidden: [16], activation: 'relu' }, reg }, seed: 5, epochs: 3, batchSize: 16, optimizer: 'adam', patience: null, checkpointDir: null, reportMetric: 'val_loss' };
      const rep = await runner.run<RunReport>(trialTask(args), { onReport: (s, v) => trial.report(s, v) });
      return rep.history['val_loss']!.at(-1)!;
    },
  });
  assert.ok(r.trials.every((t) => t.state === 'complete'));
  return JSON.stringify(r.trials.map((t) => [t.freshIndex, t.params, t.value, [...t.intermediate]]).sort((a, b) => (a[0] as number) - (b[0] as number)));
}

test('tune with 1 and 2 workers (and in the calling thread): the same trials and the same scores, bit for bit (random, grid)', { timeout: 300_000 }, async () => {
  for (const sampler of ['random', 'grid'] as const) {
    const results: string[] = [];
    for (const make of [() => new WorkerPool({ workers: 1 }), () => new WorkerPool({ workers: 2 }), () => new InProcessRunner()]) {
      const runner = make();
      try {
        results.push(await wineStudy(runner, sampler));
      } finally {
        await runner.close();
      }
    }
    assert.equal(results[1], results[0], `${sampler}: 2 workers = 1 worker`);
    assert.equal(results[2], results[0], `${sampler}: calling thread = 1 worker`);
  }
});

test('InProcessRunner: concurrent calls run one after the other (two trainings never interleave on one thread)', async () => {
  const runner = new InProcessRunner();
  const seen: string[] = [];
  const hooks = (tag: string) => ({ onReport: async (s: number) => (seen.push(`${tag}${s}`), await new Promise((r) => setTimeout(r, 5)), false) });
  const [a, b] = await Promise.all([runner.run<number>({ module: TASKS, fn: 'count', args: 3 }, hooks('a')), runner.run<number>({ module: TASKS, fn: 'count', args: 2 }, hooks('b'))]);
  assert.deepEqual([a, b], [3, 2]);
  assert.deepEqual(seen, ['a1', 'a2', 'a3', 'b1', 'b2']);
  await assert.rejects(runner.run({ module: TASKS, fn: 'fail', args: 'x' }), /^RangeError: x$/);
  assert.deepEqual((await runner.run<{ y: number }>({ module: TASKS, fn: 'square', args: 3 })).y, 9, 'a failed task does not block the next');
});

test('tune on a pool: a worker that dies mid-trial ends the study with a clear error; that trial is recorded failed, the others finish', { timeout: 60_000 }, async () => {
  const pool = new WorkerPool({ workers: 2, threads: 1 });
  const storage = new MemoryStorage();
  try {
    await assert.rejects(
      tune({
        space: spaceFromSpecs(['l2=uniform:0:1']),
        trials: 6,
        metric: 'v',
        direction: 'minimize',
        storage,
        concurrency: pool.size,
        objective: (trial) =>
          trial.number === 1 ? pool.run<number>({ module: TASKS, fn: 'die', args: 9 }) : pool.run<number>({ module: TASKS, fn: 'count', args: 3 }, { onReport: (s, v) => trial.report(s, v) }),
      }),
      /trial worker \d+ stopped \(exit code 9\) while running a task/,
    );
  } finally {
    await pool.close();
  }
  const st = await storage.read();
  assert.equal(st.trials[1]!.state, 'failed');
  assert.match(st.trials[1]!.reason!, /exit code 9/);
  assert.ok(st.trials.every((t) => t.state !== 'running'), 'nothing left running');
  assert.ok(st.trials.filter((t) => t.number !== 1).every((t) => t.state === 'complete' && t.value === 3), 'the other trials ran to the end');
});
