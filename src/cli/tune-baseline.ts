/**
 * `regula tune`'s check of the best configuration against the baseline
 * (docs/semantics.md §15.2): after the search, the best configuration and the
 * baseline — the same flags with every regularizer off — are trained on the
 * same r × k stratified folds of the rows the search used (training and
 * validation; the test rows stay out), each fold with the study's seed, and
 * scored by the objective after the last epoch. Their paired differences go
 * through the corrected resampled t-test (src/study/stats.ts), as
 * `regula compare` does. The runs are trial tasks (trial-task.ts), so a
 * worker pool runs them in parallel with the same numbers.
 */
import { InvalidArgumentError } from 'commander';
import type { Table } from '../data/csv.js';
import type { BaselineComparison } from '../report/tune-report.js';
import { describeParams, type Params } from '../study/space.js';
import { complementRows, correctedResampledTTest, repeatedStratifiedKFold } from '../study/stats.js';
import type { RunReport } from '../report/report-data.js';
import { createRunner, InProcessRunner, type PoolTask, type TaskRunner } from '../study/pool.js';
import { int } from './parse-args.js';
import { labelsOf } from './prepare-data.js';
import type { Regularization } from './regimes.js';
import { trialTask } from './trial-task.js';

/** The regularization flags of `regula train` (a tune trial's flags hold them). */
const REGULARIZERS = ['l1', 'l2', 'dropout', 'gaussianNoise', 'maxNorm'] as const;

/** The baseline of a configuration: its train flags with every regularizer off. */
export function baselineFlags(flags: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...flags, l1: 0, l2: 0, dropout: 0, gaussianNoise: 0 };
  delete out['maxNorm'];
  return out;
}

/** The regularization of a trial's train flags. */
export function regularizationOf(f: Readonly<Record<string, unknown>>): Regularization {
  const n = (k: string): number => (typeof f[k] === 'number' ? (f[k] as number) : 0);
  return { l1: n('l1'), l2: n('l2'), dropout: n('dropout'), gaussianNoise: n('gaussianNoise'), maxNorm: n('maxNorm') };
}

/** What the baseline is, in words: the regularizers off, and the best trial's other searched settings it keeps. */
export function describeBaseline(bestParams: Params): string {
  const kept = describeParams(Object.fromEntries(Object.entries(bestParams).filter(([k]) => !(REGULARIZERS as readonly string[]).includes(k))));
  return kept === '(defaults)' ? 'no regularization' : `no regularization, ${kept} as the best`;
}

export interface RescoreOptions {
  /** Rows the search used (training and validation); the folds are made of them. */
  readonly rows: Int32Array;
  readonly folds: number;
  readonly repeats: number;
  readonly seed: number;
  readonly objective: string;
  readonly activation: string;
  readonly epochs: number;
  /** Progress lines (stderr), or nothing. */
  readonly say: (line: string) => void;
  /** Worker threads for the runs when no runner is given (default 1: the calling thread). */
  readonly workers?: number;
}

/** The task training `flags` on one fold (as a tune trial trains). */
function foldTask(name: string, table: Table, train: Int32Array, validation: Int32Array, flags: Readonly<Record<string, unknown>>, o: RescoreOptions): PoolTask {
  return trialTask({
    name,
    table,
    rows: { train, validation, test: null },
    standardize: true,
    model: { kind: 'mlp', arch: { hidden: flags['hidden'] as number[], activation: o.activation }, reg: regularizationOf(flags) },
    seed: o.seed,
    epochs: o.epochs,
    batchSize: flags['batchSize'] as number,
    optimizer: flags['optimizer'] as string,
    learningRate: flags['lr'] as number | undefined,
    patience: null,
    checkpointDir: null,
  });
}

/**
 * Trains `best` and `base` on each of the r × k folds of `o.rows` (as tasks
 * of `runner`: in parallel on a pool) and tests their paired differences.
 * Null when a score is not finite (the reason is said).
 */
export async function rescoreAgainstBaseline(table: Table, best: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>>, baseline: string, o: RescoreOptions, runner: TaskRunner = new InProcessRunner()): Promise<BaselineComparison | null> {
  const all = labelsOf(table);
  const labels = all ? Int32Array.from(o.rows, (r) => all[r]!) : null;
  const folds = repeatedStratifiedKFold(o.rows.length, o.folds, o.repeats, o.seed, labels).flat();
  const n = folds.length;
  o.say(`regula tune: re-scoring the best configuration and the baseline (${baseline}) on ${o.repeats} × ${o.folds}-fold cross-validation of ${o.rows.length} rows (${2 * n} runs of ${o.epochs} epochs)`);
  let nTrain = 0;
  let nTest = 0;
  const last = (r: RunReport): number => r.history[o.objective]?.at(-1) ?? Number.NaN;
  const one = async (fold: Int32Array, i: number): Promise<readonly [number, number]> => {
    const validation = Int32Array.from(fold, (j) => o.rows[j]!);
    const train = Int32Array.from(complementRows(o.rows.length, fold), (j) => o.rows[j]!);
    nTrain += train.length / n;
    nTest += validation.length / n;
    const [b, z] = await Promise.all([runner.run<RunReport>(foldTask('best', table, train, validation, best, o)), runner.run<RunReport>(foldTask('baseline', table, train, validation, base, o))]);
    o.say(`  fold ${i + 1}/${n}: best ${last(b).toPrecision(4)}, baseline ${last(z).toPrecision(4)}`);
    return [last(b), last(z)] as const;
  };
  // One fold at a time in the calling thread; on a pool, as many folds as it has workers (two runs each).
  const scores: (readonly [number, number])[] = [];
  const lanes = Math.max(1, Math.ceil(runner.size / 2));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, n) }, async () => {
      while (next < n) {
        const i = next++;
        scores[i] = await one(folds[i]!, i);
      }
    }),
  );
  const bestScores = scores.map((p) => p[0]);
  const baseScores = scores.map((p) => p[1]);
  const diffs = bestScores.map((v, i) => v - baseScores[i]!);
  if (diffs.some((d) => !Number.isFinite(d))) {
    o.say(`regula tune: no comparison with the baseline: a run's ${o.objective} is not a finite number`);
    return null;
  }
  return {
    baseline,
    resampling: `${o.repeats} × ${o.folds}-fold cross-validation of the ${o.rows.length} training and validation rows`,
    best: bestScores,
    base: baseScores,
    test: correctedResampledTTest(diffs, { nTrain, nTest }),
  };
}

/** One line for the CLI: the mean difference, its interval and what it means. */
export function baselineLine(c: BaselineComparison, objective: string, direction: 'minimize' | 'maximize'): string {
  const { mean, ci, p, significant } = c.test;
  const f = (v: number): string => (v > 0 ? '+' : '') + Number(v.toPrecision(3)).toString();
  const better = direction === 'maximize' ? mean > 0 : mean < 0;
  const verdict = significant ? (better ? 'significantly better than the baseline' : 'significantly worse than the baseline') : 'not significantly different from the baseline';
  return `vs baseline (${c.baseline}): ${objective} ${f(mean)}, 95 % CI [${f(ci[0])}, ${f(ci[1])}], p ${Number(p.toPrecision(2))} over ${c.resampling} (corrected resampled t-test): ${verdict}`;
}

/**
 * The best trial against its baseline on `rows` (the training and validation
 * rows), or null with the reason said: no complete trial, no resampling
 * asked (folds 0), or a best configuration without regularization (it is
 * its own baseline).
 */
export async function checkAgainstBaseline(table: Table, rows: { readonly train: Int32Array; readonly validation: Int32Array }, bestFlags: Readonly<Record<string, unknown>> | null, bestParams: Params | null, o: Omit<RescoreOptions, 'rows'>, runner?: TaskRunner): Promise<BaselineComparison | null> {
  if (bestFlags === null || bestParams === null || o.folds === 0) return null;
  if (Object.values(regularizationOf(bestFlags)).every((v) => v === 0)) {
    o.say('regula tune: the best configuration has no regularization: it is its own baseline, nothing to compare');
    return null;
  }
  const all = Int32Array.from([...rows.train, ...rows.validation]).sort();
  // Without a runner: o.workers threads (two runs of a fold at once each pair), closed when done.
  const own = runner ?? createRunner(Math.max(1, Math.min(o.workers ?? 1, 2 * o.folds * o.repeats)));
  try {
    return await rescoreAgainstBaseline(table, bestFlags, baselineFlags(bestFlags), describeBaseline(bestParams), { ...o, rows: all }, own);
  } finally {
    if (own !== runner) await own.close();
  }
}

/** Parser of `--rescore-folds`: 0 (skip) or an integer k in [2, 100]. */
export function foldsArg(text: string): number {
  const k = int({ min: 0, max: 100 })(text);
  if (k === 1) throw new InvalidArgumentError('expected 0 (no re-scoring) or k ≥ 2 folds, got 1.');
  return k;
}
