/**
 * `regula compare`: which regularization helps on *my* data? Trains the same
 * network for every cell of a grid of regularization settings, scores each
 * cell by k-fold cross-validation (or repeated seeded splits), and ranks the
 * cells by mean validation metric (± standard deviation over folds/seeds).
 */
import { correctedResampledTTest } from '../study/stats.js';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { formatNumber, formatTextTable, comparisonTable, type ComparisonRow, type ReportData, type RunReport } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import { kFold } from '../data/split.js';
import type { Table } from '../data/csv.js';
import { openOutputDir } from './output-dir.js';
import { initBackend } from './backend-init.js';
import { UsageError } from './cli-error.js';
import { int, num, numList } from './parse-args.js';
import { labelsOf, splitTable, type PartRows } from './prepare-data.js';
import { describeRegularization, type Regularization } from './regimes.js';
import { addArchitectureOptions, addDataOptions, addTrainOptions, architectureOf, dataLabel, loadData, type DataFlags, type TrainFlags } from './shared-options.js';
import { taskMetric } from './train-run.js';
import { trialTask, type TrialTaskArgs } from './trial-task.js';
import { createRunner, defaultWorkers } from '../study/pool.js';

const DEFAULT_HIDDEN = [128, 64];

/** Flags of `regula compare`. */
export interface CompareFlags extends DataFlags, TrainFlags {
  hidden?: number[];
  activation: string;
  l1: number[];
  l2: number[];
  dropout: number[];
  gaussianNoise: number[];
  maxNorm: number[];
  workers?: number;
  folds?: number;
  repeats?: number;
  validationSplit: number;
  earlyStopping?: number;
  out: string;
  force?: boolean;
  quiet?: boolean;
}

/** Every combination of the grid's values, in flag order. */
export function gridCells(o: Pick<CompareFlags, 'l1' | 'l2' | 'dropout' | 'gaussianNoise' | 'maxNorm'>): Regularization[] {
  const cells: Regularization[] = [];
  for (const l1 of o.l1) for (const l2 of o.l2) for (const dropout of o.dropout) for (const gaussianNoise of o.gaussianNoise) for (const maxNorm of o.maxNorm) {
    cells.push({ l1, l2, dropout, gaussianNoise, maxNorm });
  }
  return cells;
}

/** Mean and sample standard deviation (0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/** Ranks cells: best mean first (ties: smaller std first); rank 1 = best. */
export function rankCells(rows: readonly Omit<ComparisonRow, 'rank'>[], higherIsBetter: boolean): ComparisonRow[] {
  const order = rows.map((r, i) => ({ r, i })).sort((a, b) => (higherIsBetter ? b.r.mean - a.r.mean : a.r.mean - b.r.mean) || a.r.std - b.r.std || a.i - b.i);
  const ranks = new Map(order.map((e, k) => [e.i, k + 1]));
  return rows.map((r, i) => ({ ...r, rank: ranks.get(i)! }));
}

/** The train/validation rows of each fold or repeat. */
function resamples(table: Table, o: CompareFlags): { label: string; rows: PartRows; seed: number }[] {
  if (o.repeats !== undefined) {
    return Array.from({ length: o.repeats }, (_, r) => {
      const seed = o.seed + r;
      const s = splitTable(table, { validation: o.validationSplit, test: 0, seed });
      return { label: `seed ${seed}`, rows: { train: s.train, validation: s.validation }, seed };
    });
  }
  const k = o.folds ?? 5;
  if (k > table.rows) throw new UsageError(`--folds ${k}: the data have only ${table.rows} rows`);
  const labels = labelsOf(table);
  return kFold(table.rows, k, { seed: o.seed, ...(labels ? { labels } : {}) }).map((f, i) => ({
    label: `fold ${i + 1}/${k}`,
    rows: { train: f.train, validation: f.validation },
    seed: o.seed,
  }));
}

/** Runs `regula compare`; returns the report data. */
export async function runCompare(o: CompareFlags, argv: readonly string[]): Promise<ReportData> {
  if (o.folds !== undefined && o.repeats !== undefined) throw new UsageError('give either --folds or --repeats, not both');
  if (o.repeats !== undefined && o.validationSplit === 0) throw new UsageError('--repeats needs --validation-split > 0');
  const out = openOutputDir(o.out, { flag: '--out', kind: 'compare', force: o.force === true });
  const arch = architectureOf(o, DEFAULT_HIDDEN);
  const cells = gridCells(o);
  const names = cells.map(describeRegularization);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`the grid repeats the cell ${JSON.stringify(dup)}: list each value once`);
  const table = loadData(o);
  const samples = resamples(table, o);
  const { backend, note } = await initBackend();
  const say = (s: string): void => void (o.quiet ? undefined : process.stderr.write(`${s}\n`));
  if (note) say(note);
  const task = table.target.task;
  const { metric, higherIsBetter } = taskMetric(task);
  const how = o.repeats !== undefined ? `${o.repeats} seeded ${o.validationSplit} validation splits` : `${samples.length}-fold cross-validation`;
  say(`regula compare: ${dataLabel(o)}, ${cells.length} cells × ${how} = ${cells.length * samples.length} runs of ${o.epochs} epochs, backend ${backend}`);
  const total = cells.length * samples.length;
  const runner = createRunner(o.workers ?? defaultWorkers(total));
  const workers = runner.size;
  if (workers > 1) say(`${total} runs on ${workers} workers`);
  const values: number[][] = cells.map(() => []);
  const firsts: (RunReport | undefined)[] = cells.map(() => undefined);
  try {
    let k = 0;
    await Promise.all(
      cells.flatMap((cell, c) =>
        samples.map(async (sample, f) => {
          const name = names[c]!;
          const args: TrialTaskArgs = {
            name,
            table,
            rows: { train: Int32Array.from(sample.rows.train), validation: sample.rows.validation ? Int32Array.from(sample.rows.validation) : null, test: null },
            standardize: true,
            model: { kind: 'mlp', arch, reg: cell },
            seed: sample.seed,
            epochs: o.epochs,
            batchSize: o.batchSize,
            optimizer: o.optimizer,
            learningRate: o.lr,
            patience: o.earlyStopping ?? null,
            checkpointDir: null,
          };
          const report = await runner.run<RunReport>(trialTask(args));
          values[c]![f] = report.validation?.[metric] ?? Number.NaN;
          if (f === 0) firsts[c] = { ...report, name: `${name} (${sample.label})` };
          say(`[${++k}/${total}] ${name}, ${sample.label}: validation ${metric} ${formatNumber(values[c]![f])} (${report.epochsRun} epochs, ${formatNumber(report.seconds, 1)} s)`);
        }),
      ),
    );
  } catch (e) {
    out.discard();
    throw e;
  } finally {
    await runner.close();
  }
  const rows: Omit<ComparisonRow, 'rank'>[] = cells.map((_, c) => ({ cell: names[c]!, ...meanStd(values[c]!), values: values[c]! }));
  const runs = firsts.filter((r): r is RunReport => r !== undefined);
  const sizes = samples.map((sm) => ({ train: sm.rows.train.length, test: sm.rows.validation?.length ?? 0 }));
  const withTests = pairedToBaseline(rows, sizes);
  const comparison = rankCells(withTests, higherIsBetter);
  const verdict = significanceLine(comparison, higherIsBetter, metric);
  const reportData: ReportData = {
    title: `Regula compare: ${dataLabel(o)}`,
    dataset: dataLabel(o),
    seed: o.seed,
    task,
    metric,
    higherIsBetter,
    config: {
      network: [table.cols, ...arch.hidden, task === 'classification' ? table.target.classes.length : 1].join('-') + ` (${arch.activation})`,
      resampling: how,
      score: `validation ${metric} of each fold/seed; mean ± sample std`,
      significance: `Δ: paired difference to '${withTests.find((r) => r.vsBaseline)?.vsBaseline?.baseline ?? 'none'}' over the same splits, 95 % CI of the corrected resampled t-test (Nadeau & Bengio 2003; Bouckaert & Frank 2004 for repeated k-fold); * = the interval excludes 0`,
      grid: `l1 ${o.l1.join(',')} × l2 ${o.l2.join(',')} × dropout ${o.dropout.join(',')} × noise ${o.gaussianNoise.join(',')} × maxNorm ${o.maxNorm.join(',')}`,
      epochs: o.epochs,
      batchSize: o.batchSize,
      optimizer: o.optimizer + (o.lr !== undefined ? ` (learning rate ${o.lr})` : ''),
      earlyStopping: o.earlyStopping !== undefined ? `patience ${o.earlyStopping} on the validation fold` : 'off',
      runs: 'learning curves below are the first fold/seed of each cell; their "test" column is empty (no held-out test set in compare)',
      backend,
      workers,
    },
    runs,
    comparison,
    findings: [verdict],
    command: ['regula', ...argv].join(' '),
  };
  console.log(formatTextTable(comparisonTable(reportData)));
  const best = comparison.find((c) => c.rank === 1)!;
  console.log(`\nbest: ${best.cell} (${metric} ${formatNumber(best.mean)} ± ${formatNumber(best.std)})`);
  console.log(verdict);
  await out.publishWith((staging) => writeReport(staging, reportData).then(() => undefined));
  const path = join(o.out, 'index.html');
  console.log(`report: ${path}`);
  return reportData;
}

/** The `compare` command. */
export function compareCommand(argv: () => readonly string[]): Command {
  const cmd = new Command('compare').description('rank a grid of regularization settings by cross-validation on your data');
  addDataOptions(cmd);
  addArchitectureOptions(cmd, DEFAULT_HIDDEN.join(','));
  addTrainOptions(cmd, { epochs: 30 });
  return cmd
    .option('--l1 <values>', 'L1 factors to try, comma-separated', numList({ min: 0 }), [0])
    .option('--l2 <values>', 'L2 factors to try', numList({ min: 0 }), [0])
    .option('--dropout <rates>', 'dropout rates to try, each in [0, 1)', numList({ min: 0, max: 1, maxExclusive: true }), [0])
    .option('--gaussian-noise <stddevs>', 'input noise stddevs to try, each in [0, 1]', numList({ min: 0, max: 1 }), [0])
    .option('--max-norm <values>', 'max-norm bounds to try (0 = none)', numList({ min: 0 }), [0])
    .addOption(new Option('--folds <k>', 'k-fold cross-validation (default 5)').argParser(int({ min: 2, max: 100 })))
    .addOption(new Option('--repeats <n>', 'instead of folds: n seeded train/validation splits').argParser(int({ min: 1, max: 1000 })))
    .option('--validation-split <fraction>', 'validation fraction for --repeats', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--workers <n>', 'runs trained at once, in worker threads (default: one per core)', int({ min: 1, max: 256 }))
    .option('--early-stopping <patience>', 'early stopping on the validation part (best weights restored)', int({ min: 0 }))
    .option('--out <dir>', 'report directory', 'regula-report')
    .option('--force', 'write into an existing directory Regula did not write (only new files are added; nothing is replaced)')
    .option('--quiet', 'no progress output')
    .action(async (o: CompareFlags) => {
      await runCompare(o, argv());
    });
}

/**
 * Adds each cell's paired difference to the baseline — the unregularized cell
 * ('none') if the grid has one, else the first — with the corrected resampled
 * t-test over the shared splits (src/study/stats.ts). Needs ≥ 2 splits.
 */
export function pairedToBaseline(rows: readonly Omit<ComparisonRow, 'rank'>[], sizes: readonly { train: number; test: number }[]): Omit<ComparisonRow, 'rank'>[] {
  if (rows.length < 2 || sizes.length < 2) return [...rows];
  const base = rows.find((r) => r.cell === 'none') ?? rows[0]!;
  const nTrain = sizes.reduce((s, z) => s + z.train, 0) / sizes.length;
  const nTest = sizes.reduce((s, z) => s + z.test, 0) / sizes.length;
  return rows.map((r) => {
    if (r === base || !r.values || !base.values) return r;
    const diffs = r.values.map((v, i) => v - base.values![i]!);
    if (diffs.some((d) => !Number.isFinite(d))) return r;
    const t = correctedResampledTTest(diffs, { nTrain, nTest });
    return { ...r, vsBaseline: { baseline: base.cell, mean: t.mean, ci: t.ci, p: t.p, significant: t.significant } };
  });
}

/**
 * One line saying which cells (`noun`: cell, regime) beat the baseline
 * significantly, or plainly that none did; significantly worse ones are
 * named too.
 */
export function significanceLine(rows: readonly ComparisonRow[], higherIsBetter: boolean, metric: string, noun = 'cell'): string {
  const tested = rows.filter((r) => r.vsBaseline);
  if (tested.length === 0) return `significance: needs at least 2 folds or repeats and 2 ${noun}s`;
  const base = tested[0]!.vsBaseline!.baseline;
  const test = '95 % corrected resampled t-test';
  const better = tested.filter((r) => r.vsBaseline!.significant && r.vsBaseline!.mean > 0 === higherIsBetter);
  const worse = tested.filter((r) => r.vsBaseline!.significant && r.vsBaseline!.mean > 0 !== higherIsBetter);
  const names = (rs: readonly ComparisonRow[]): string => rs.map((r) => `'${r.cell}'`).join(', ');
  const worseNote = worse.length ? `; ${names(worse)} ${worse.length === 1 ? 'is' : 'are'} significantly worse` : '';
  if (better.length === 0) return `significance: no ${noun} beat '${base}' on ${metric} (${test})${worse.length ? worseNote : '; every difference is within resampling noise'}`;
  return `significance: ${names(better)} beat '${base}' on ${metric} (${test}, marked *)${worseNote}`;
}
