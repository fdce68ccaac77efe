/**
 * `regula demo`: which regularization helps on a dataset, answered soundly.
 * The same over-parameterized network is trained under each regime on r × k
 * stratified folds of the comparison rows (demo-data.ts; the folds are the
 * same for every regime, so each regime has one paired difference to the
 * baseline `none` per fold); the table gives each regime's mean score, its
 * difference to `none` with the 95 % interval of the corrected resampled
 * t-test (docs/semantics.md §13) and marks the significant ones; a line says
 * plainly when nothing beat the baseline. The regime with the best mean is
 * then retrained on all comparison rows and scored once on the held-out test
 * rows, which nothing else saw. Trials run in parallel (src/study/pool.ts).
 * The network is an MLP (`--model mlp`, eight regimes) or, on the image sets
 * (the 8×8 digits, Fashion-MNIST), a CNN (`--model cnn`: none, dropout,
 * spatial dropout, augmentation, all).
 */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { comparisonTable, formatNumber, formatTextTable, type ComparisonRow, type ReportData, type RunReport } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import { createRunner, defaultWorkers } from '../study/pool.js';
import { initBackend } from './backend-init.js';
import { openOutputDir } from './output-dir.js';
import { int, intList } from './parse-args.js';
import { meanStd, pairedToBaseline, rankCells, significanceLine } from './compare.js';
import { concatTables, DEMO_DATASET_NAMES, demoDatasetDescription, fashionMnistPaths, foldResamples, loadDemoData, type DemoData, type DemoDataset } from './demo-data.js';
import { FASHION_MNIST_SAMPLE, studyOf, type Study, type StudyRegime } from './demo-study.js';
import { taskMetric } from './train-run.js';
import { trialTask, trainTask, type TrialTaskArgs } from './trial-task.js';
import { UsageError } from './cli-error.js';
import { runTextDemo, TEXT_DEMO_DATASET } from './text-demo.js';
import { trainValTestSplit } from '../data/split.js';
import { labelsOf } from './prepare-data.js';

/** Flags of `regula demo`. */
export interface DemoFlags {
  dataset: DemoDataset;
  /** 'mlp' or 'cnn'; default: 'cnn' on Fashion-MNIST, 'mlp' elsewhere. */
  model?: 'mlp' | 'cnn';
  out: string;
  seed: number;
  epochs?: number;
  hidden?: number[];
  regimes?: string;
  folds?: number;
  repeats?: number;
  workers?: number;
  force?: boolean;
  quiet?: boolean;
}

/** The regimes `--regimes` keeps (all by default). */
function chosenRegimes(study: Study, names: string | undefined): StudyRegime[] {
  if (names === undefined) return study.regimes;
  const wanted = names.split(',').map((s) => s.trim());
  const unknown = wanted.filter((w) => !study.regimes.some((r) => r.name === w));
  if (unknown.length) throw new UsageError(`--regimes: unknown regime ${JSON.stringify(unknown[0])}; known: ${study.regimes.map((r) => r.name).join(', ')}`);
  return study.regimes.filter((r) => wanted.includes(r.name));
}

/** Runs the demo; returns the report data (also printed and written). */
export async function runDemo(o: DemoFlags, argv: readonly string[]): Promise<ReportData> {
  // The text set has its own study (an LSTM): src/cli/text-demo.ts.
  if ((o.dataset as string) === TEXT_DEMO_DATASET) {
    const flag = o.folds !== undefined ? '--folds' : o.repeats !== undefined ? '--repeats' : o.workers !== undefined ? '--workers' : undefined;
    if (flag !== undefined) throw new UsageError(`${flag} does not apply to --dataset ${TEXT_DEMO_DATASET} (its LSTM study trains each regime once)`);
    return runTextDemo(o, argv);
  }
  const t0 = performance.now();
  const study = studyOf(o);
  const regimes = chosenRegimes(study, o.regimes);
  // A missing Fashion-MNIST is said before anything is written.
  if (o.dataset === 'fashion-mnist') fashionMnistPaths();
  const { folds, repeats, validation } = study.resampling;
  const demo = loadDemoData(o.dataset, study.resampling.test, o.seed, FASHION_MNIST_SAMPLE);
  const resamples = foldResamples(demo.dev, folds, repeats, validation, o.seed);
  const out = openOutputDir(o.out, { flag: '--out', kind: 'demo', force: o.force === true });
  const { backend, note } = await initBackend();
  const { epochs, batchSize, learningRate } = study;
  const task = demo.dev.target.task;
  const { metric, higherIsBetter } = taskMetric(task);
  const outputs = demo.dev.target.task === 'classification' ? demo.dev.target.classes.length : 1;
  const network = study.network({ inputSize: demo.dev.cols, outputs, task, imageShape: (demo.dev as { imageShape?: readonly number[] }).imageShape ?? null });
  const total = regimes.length * resamples.length;
  const runner = createRunner(o.workers ?? defaultWorkers(total));
  const workers = runner.size;
  const log = (s: string): void => void (o.quiet ? undefined : process.stderr.write(`${s}\n`));
  if (note) log(note);
  log(`regula demo: ${o.dataset} (${demo.rows} rows: ${demo.note}), network ${network.short}, ${epochs} epochs, seed ${o.seed}, backend ${backend}`);
  log(`${regimes.length} regimes × ${repeats} × ${folds} stratified folds = ${total} runs on ${workers} worker${workers > 1 ? 's' : ''}`);
  const staging = out.staging();
  const scores: number[][] = regimes.map(() => []);
  const runs: (RunReport | undefined)[] = regimes.map(() => undefined);
  try {
    let done = 0;
    await Promise.all(
      regimes.flatMap((regime, i) =>
        resamples.map(async (rs, j) => {
          const args: TrialTaskArgs = {
            name: regime.name,
            table: demo.dev,
            rows: rs.rows,
            standardize: study.standardize,
            model: regime.model,
            seed: o.seed,
            epochs,
            batchSize,
            optimizer: 'adam',
            learningRate,
            patience: regime.patience,
            // Best-only checkpoints of the first fold are written into the staging directory, published with the report.
            checkpointDir: regime.checkpoint && j === 0 ? join(staging, 'checkpoints', regime.name) : null,
          };
          const report = await runner.run<RunReport>(trialTask(args));
          scores[i]![j] = report.test[metric] ?? Number.NaN;
          if (j === 0) runs[i] = report;
          log(`[${++done}/${total}] ${regime.name}, repetition ${rs.rep} fold ${rs.fold}: ${metric} ${formatNumber(scores[i]![j])} (${report.epochsRun} epochs, ${formatNumber(report.seconds, 1)} s)`);
        }),
      ),
    );
  } catch (e) {
    out.discard();
    throw e;
  } finally {
    await runner.close();
  }
  const sizes = resamples.map((rs) => ({ train: rs.rows.train.length + rs.rows.validation.length, test: rs.rows.test.length }));
  const rows: Omit<ComparisonRow, 'rank'>[] = regimes.map((r, i) => ({ cell: r.name, ...meanStd(scores[i]!), values: scores[i]! }));
  const comparison = rankCells(pairedToBaseline(rows, sizes), higherIsBetter);
  const chosen = regimes.find((r) => r.name === comparison.find((c) => c.rank === 1)!.cell)!;
  // The chosen regime, retrained on every comparison row, scored once on the held-out test rows.
  const final = await finalRun(study, chosen, demo.dev, demo.test, o, o.quiet ? null : `final: ${chosen.name} on all ${demo.dev.rows} comparison rows`).catch((e: unknown) => {
    out.discard();
    throw e;
  });
  const testScore = final.test[metric];
  const seconds = (performance.now() - t0) / 1000;
  const verdict = significanceLine(comparison, higherIsBetter, metric, 'regime');
  const held = `chosen: ${chosen.name} (best mean cross-validated ${metric}); held-out test ${metric} ${formatNumber(testScore)} on ${demo.test.rows} rows — scored once, never used to choose`;
  const timing = `r × k = ${repeats} × ${folds} folds, ${total} runs on ${workers} worker${workers > 1 ? 's' : ''}, wall time ${formatNumber(seconds, 1)} s`;
  const reportData: ReportData = {
    title: `Regula demo: regularization on ${o.dataset}`,
    dataset: o.dataset,
    seed: o.seed,
    task,
    metric,
    higherIsBetter,
    findings: [verdict, held, timing],
    comparisonLabel: 'regime',
    comparisonTitle: `Regimes against the baseline (${repeats} × ${folds}-fold cross-validation)`,
    comparison,
    runsNote: `One run per regime: the first fold (repetition 1, fold 1). Its "test" column is that fold's scored rows, not the held-out test set; gap = train − fold ${metric}. Rankings come from the comparison above, not from this table. The last row, '${chosen.name} (final)', is the chosen regime retrained on all comparison rows; its test column is the held-out test set.`,
    config: {
      network: network.full,
      ...(o.dataset === 'fashion-mnist' ? { data: demoDatasetDescription(o.dataset) } : {}),
      split: demo.note,
      resampling: `${repeats} × ${folds} stratified folds of the comparison rows (seeded); each fold is scored by a model trained on the other folds, ${validation} of which are kept aside as validation for early stopping`,
      significance: `Δ: paired difference to '${comparison.find((c) => c.vsBaseline)?.vsBaseline?.baseline ?? regimes[0]!.name}' over the same folds, 95 % CI of the corrected resampled t-test (Nadeau & Bengio 2003; Bouckaert & Frank 2004); * = the interval excludes 0`,
      'held-out test': held,
      epochs,
      batchSize,
      optimizer: `adam (learning rate ${learningRate})`,
      backend,
      workers,
      ...Object.fromEntries(regimes.map((r) => [`regime ${r.name}`, r.description])),
    },
    runs: [...runs.filter((r): r is RunReport => r !== undefined), { ...final, name: `${chosen.name} (final)` }],
    command: ['regula', ...argv].join(' '),
  };
  console.log(formatTextTable(comparisonTable(reportData)));
  console.log(`\n${verdict}\n${held}\n${timing}`);
  await out.publishWith(() => writeReport(staging, reportData).then(() => undefined));
  console.log(`\nreport: ${join(o.out, 'index.html')}`);
  return reportData;
}

/** Trains `regime` on all of `dev` (a seeded stratified validation part kept for early stopping) and scores it on `test`. */
async function finalRun(study: Study, regime: StudyRegime, dev: DemoData['dev'], test: DemoData['test'], o: DemoFlags, label: string | null): Promise<RunReport> {
  const labels = labelsOf(dev);
  const s = trainValTestSplit(dev.rows, { validation: study.resampling.validation, test: 0, seed: o.seed, ...(labels ? { labels } : {}) });
  const both = concatTables(dev, test);
  const shift = (idx: ArrayLike<number>, by: number): Int32Array => Int32Array.from(idx, (i) => i + by);
  const testRows = shift(Array.from({ length: test.rows }, (_, i) => i), dev.rows);
  const args: TrialTaskArgs = { name: regime.name, table: both, rows: { train: shift(s.train, 0), validation: shift(s.validation, 0), test: testRows }, standardize: study.standardize, model: regime.model, seed: o.seed, epochs: study.epochs, batchSize: study.batchSize, optimizer: 'adam', learningRate: study.learningRate, patience: regime.patience, checkpointDir: null };
  if (label) process.stderr.write(`${label}\n`);
  return trainTask(args, { report: async () => false, threads: 1 });
}

/** The `demo` command. */
export function demoCommand(argv: () => readonly string[]): Command {
  return new Command('demo')
    .description('train one over-parameterized network under each regularization regime and compare them')
    .addOption(new Option('--dataset <name>', `embedded dataset (${TEXT_DEMO_DATASET}: the LSTM study), or fashion-mnist (Debian\'s dataset-fashion-mnist package)`).choices([...DEMO_DATASET_NAMES, TEXT_DEMO_DATASET]).default('digits'))
    .addOption(new Option('--model <kind>', 'network: mlp, or cnn on the image datasets (digits, fashion-mnist) (default: cnn on fashion-mnist, else mlp)').choices(['mlp', 'cnn']))
    .option('--out <dir>', 'report directory', 'regula-report')
    .option('--seed <n>', 'seed of the split, initialization, shuffling and dropout', int({ min: 0, max: 2 ** 31 - 1 }), 42)
    .option('--epochs <n>', 'override the preset number of epochs', int({ min: 1, max: 100000 }))
    .option('--hidden <sizes>', 'override the hidden layer sizes of the MLP, comma-separated', intList({ min: 1, max: 65536 }))
    .option('--regimes <names>', 'run only these regimes (comma-separated)')
    .option('--folds <k>', 'k of the r × k stratified cross-validation (default: the dataset\'s preset)', int({ min: 2, max: 100 }))
    .option('--repeats <r>', 'r of the r × k stratified cross-validation (default: the dataset\'s preset)', int({ min: 1, max: 100 }))
    .option('--workers <n>', 'trials trained at once, in worker threads (default: one per core)', int({ min: 1, max: 256 }))
    .option('--force', 'write into an existing directory Regula did not write (only new files are added; nothing is replaced)')
    .option('--quiet', 'no progress output')
    .action(async (o: DemoFlags) => {
      await runDemo(o, argv());
    });
}
