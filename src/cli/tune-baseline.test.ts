import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { InProcessRunner, type PoolTask, type RunHooks, type TaskRunner } from '../study/pool.js';
import { splitTable } from './prepare-data.js';
import { loadData } from './shared-options.js';
import type { TrialTaskArgs } from './trial-task.js';
import { baselineFlags, baselineLine, checkAgainstBaseline, describeBaseline, foldsArg } from './tune-baseline.js';

test('the baseline: the same flags with every regularizer off; described by what it keeps', () => {
  const best = { dataset: 'wine', hidden: [16], l1: 0, l2: 0.001, dropout: 0.2, gaussianNoise: 0.1, maxNorm: 3, epochs: 5, optimizer: 'sgd', lr: 0.05, seed: 1 };
  assert.deepEqual(baselineFlags(best), { dataset: 'wine', hidden: [16], l1: 0, l2: 0, dropout: 0, gaussianNoise: 0, epochs: 5, optimizer: 'sgd', lr: 0.05, seed: 1 });
  assert.equal(describeBaseline({ l2: 0.001, dropout: 0.2 }), 'no regularization');
  assert.equal(describeBaseline({ l2: 0.001, optimizer: 'sgd', hidden: 16 }), 'no regularization, optimizer=sgd hidden=16 as the best');
  assert.equal(foldsArg('0'), 0);
  assert.equal(foldsArg('5'), 5);
  assert.throws(() => foldsArg('1'), InvalidArgumentError);
  assert.throws(() => foldsArg('x'), InvalidArgumentError);
});

/** The real in-process runner, recording what it was asked to run. */
class Recording implements TaskRunner {
  readonly size = 1;
  readonly tasks: TrialTaskArgs[] = [];
  private readonly inner = new InProcessRunner();
  run<R>(task: PoolTask, hooks?: RunHooks): Promise<R> {
    this.tasks.push(task.args as TrialTaskArgs);
    return this.inner.run<R>(task, hooks);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

test('re-scoring trains best and baseline on the same r × k folds of the search rows only; deterministic, on 1 or 2 worker threads', { timeout: 120_000 }, async () => {
  const table = loadData({ dataset: 'wine' } as Parameters<typeof loadData>[0]);
  const split = splitTable(table, { validation: 0.2, test: 0.2, seed: 3 });
  const best = { hidden: [8], l1: 0, l2: 0.01, dropout: 0.1, gaussianNoise: 0, epochs: 3, batchSize: 16, optimizer: 'adam', seed: 3 };
  const o = { folds: 3, repeats: 2, seed: 3, objective: 'val_accuracy', activation: 'relu', epochs: 3, say: () => undefined };
  const runner = new Recording();
  const c = await checkAgainstBaseline(table, split, best, { l2: 0.01, dropout: 0.1 }, o, runner);
  assert.ok(c);
  assert.equal(c.best.length, 6);
  assert.equal(c.test.df, 5);
  assert.equal(c.baseline, 'no regularization');
  assert.equal(runner.tasks.length, 12);
  const test = new Set(split.test);
  const searched = split.train.length + split.validation.length;
  for (let f = 0; f < 6; f++) {
    const [b, z] = [runner.tasks[2 * f]!, runner.tasks[2 * f + 1]!];
    assert.deepEqual([b.model.reg.l2, z.model.reg.l2, b.model.reg.dropout, z.model.reg.dropout], [0.01, 0, 0.1, 0]);
    assert.deepEqual(b.rows, z.rows, 'paired: the same rows');
    const rows = [...b.rows.train, ...b.rows.validation!];
    assert.equal(new Set(rows).size, searched, 'train and validation split the search rows');
    assert.ok(rows.every((r) => !test.has(r)), 'no test row');
  }
  // Each repetition's folds hold out every search row once.
  for (const rep of [0, 1]) {
    const held = runner.tasks.filter((_, i) => i % 2 === 0 && Math.floor(i / 6) === rep).flatMap((t) => [...t.rows.validation!]);
    assert.equal(new Set(held).size, searched);
    assert.equal(held.length, searched);
  }
  for (const v of c.best.concat(c.base)) assert.ok(v >= 0 && v <= 1, `accuracy ${v}`);
  const again = await checkAgainstBaseline(table, split, best, { l2: 0.01, dropout: 0.1 }, o);
  assert.deepEqual(again, c);
  // On two worker threads: the same numbers, bit for bit.
  assert.deepEqual(await checkAgainstBaseline(table, split, best, { l2: 0.01, dropout: 0.1 }, { ...o, workers: 2 }), c);
  assert.match(baselineLine(c, 'val_accuracy', 'maximize'), /^vs baseline \(no regularization\): val_accuracy [+-]?[\d.e-]+, 95 % CI \[.*\], p [\d.e-]+ over 2 × 3-fold cross-validation of the \d+ training and validation rows/);
  // A best configuration without regularization is its own baseline; folds 0 skips.
  const lines: string[] = [];
  assert.equal(await checkAgainstBaseline(table, split, { ...best, l2: 0, dropout: 0 }, { lr: 0.01 }, { ...o, say: (s: string) => void lines.push(s) }), null);
  assert.match(lines[0]!, /no regularization: it is its own baseline/);
  assert.equal(await checkAgainstBaseline(table, split, best, { l2: 0.01 }, { ...o, folds: 0 }), null);
});
