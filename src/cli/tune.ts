/**
 * `regula tune`: searches regularization (and optionally width, learning rate,
 * optimizer, batch size) for the best validation objective, pruning hopeless
 * trials, in a study that survives `kill -9` and that several processes can
 * share (src/study/). Every trial trains the same flag-built MLP on the same
 * seeded split as `regula train` with the same flags, so the printed
 * `regula train …` command reproduces the best trial exactly.
 *
 * The study journal is `<out>/study.jsonl` (or `--storage journal:<file>`);
 * the report (`index.html`) is published into `--out` atomically at the end.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { isDeadTemporary, processAlive } from '../io/fs.js';
import { writeTuneReport, type TuneReportData, type TuneTrialRow } from '../report/tune-report.js';
import { fanovaImportance, importanceLine } from '../study/importance.js';
import { formatTextTable } from '../report/report-data.js';
import { isJournalText, JournalStorage, type StudyStorage, type TrialRecord } from '../study/journal.js';
import { makePruner, PRUNER_NAMES, type PrunerName } from '../study/pruners.js';
import { makeSampler, SAMPLER_NAMES, type Direction, type SamplerName } from '../study/samplers.js';
import { describeDistribution, describeParams, gridSize, SpaceError, spaceFromJson, spaceFromSpecs, type Params, type Space } from '../study/space.js';
import { tune, type StudyResult } from '../study/tune.js';
import { checkOutputFile, writeFileAtomic } from './atomic-output.js';
import { initBackend } from './backend-init.js';
import { UsageError } from './cli-error.js';
import { openOutputDir, OUTPUT_MANIFEST } from './output-dir.js';
import { int, num } from './parse-args.js';
import { splitTable } from './prepare-data.js';
import { describeRegularization, type Regularization } from './regimes.js';
import { addArchitectureOptions, addDataOptions, addTrainOptions, architectureOf, checkFractions, dataLabel, loadData, type DataFlags, type TrainFlags } from './shared-options.js';
import { TRAIN_CONFIG_FORMAT } from './train-config.js';
import { createRunner, defaultWorkers } from '../study/pool.js';
import type { RunReport } from '../report/report-data.js';
import { trialTask } from './trial-task.js';
import { baselineLine, checkAgainstBaseline, foldsArg } from './tune-baseline.js';
import { redactUrl } from '../study/postgres.js';
import { connectPostgresStudy, joinPostgresStudy, storageSpec } from './tune-storage.js';

const DEFAULT_HIDDEN = [128, 64];
const JOURNAL = 'study.jsonl';

/** Flags of `regula tune`. */
export interface TuneFlags extends DataFlags, TrainFlags {
  hidden?: number[];
  activation: string;
  param: string[];
  space?: string;
  trials: number;
  sampler: SamplerName;
  pruner: PrunerName;
  gridPoints: number;
  reductionFactor: number;
  minResource: number;
  startupTrials?: number;
  objective?: string;
  direction?: Direction;
  validationSplit: number;
  testSplit: number;
  storage?: string;
  study?: string;
  heartbeatGrace?: number;
  resume?: boolean;
  export?: string;
  rescoreFolds: number;
  rescoreRepeats: number;
  out: string;
  force?: boolean;
  quiet?: boolean;
  workers?: number;
}

/** The direction of a metric by its name: accuracy-like ones are maximized, losses and errors minimized. */
export function directionOf(metric: string): Direction {
  return /acc|auc|precision|recall|f1|r2/i.test(metric) ? 'maximize' : 'minimize';
}

/** The search space of the flags (`--param` or `--space`), as a UsageError when bad. */
export function spaceOf(o: Pick<TuneFlags, 'param' | 'space'>): Space {
  try {
    if (o.space !== undefined) {
      if (o.param.length > 0) throw new SpaceError('give either --param flags or --space, not both');
      let text: string;
      try {
        text = readFileSync(o.space, 'utf8');
      } catch {
        throw new SpaceError(`--space ${o.space}: file not found or not readable`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new SpaceError(`--space ${o.space}: not valid JSON (${(e as Error).message})`);
      }
      return spaceFromJson(json);
    }
    return spaceFromSpecs(o.param);
  } catch (e) {
    if (e instanceof SpaceError) throw new UsageError(e.message);
    throw e;
  }
}

/** Removes temporaries of Regula's own writes into `dir` left by a killed process (so a resumed run finds the directory as it left it). */
function removeDeadTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const outTemp = new RegExp(`^\\.(?:${OUTPUT_MANIFEST.replace(/\./g, '\\.')}|${JOURNAL.replace(/\./g, '\\.')})\\.tmp-(\\d+)-\\d+$`);
  for (const n of names) {
    const m = outTemp.exec(n);
    const dead = m !== null ? !processAlive(Number(m[1])) : n.startsWith(`.${JOURNAL}.`) && isDeadTemporary(n);
    if (dead) rmSync(join(dir, n), { force: true });
  }
}

/** The settings that identify a study (a resumed or joined study must match them). */
function studySettings(o: TuneFlags, space: Space, objective: string, direction: Direction, hidden: readonly number[]): Record<string, unknown> {
  return {
    data: dataLabel(o),
    target: o.target ?? null,
    space: space.map((p) => `${p.name}=${describeDistribution(p.dist)}`),
    objective,
    direction,
    sampler: o.sampler,
    pruner: o.pruner,
    epochs: o.epochs,
    seed: o.seed,
    hidden: hidden.join(','),
    activation: o.activation,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    lr: o.lr ?? null,
    validationSplit: o.validationSplit,
    testSplit: o.testSplit,
  };
}

/** Creates the journal or checks the existing one (a study there needs --resume and the same settings). */
async function openJournal(storage: JournalStorage, o: TuneFlags, settings: Record<string, unknown>, out: { claim(): void }, say: (s: string) => void): Promise<void> {
  const file = storage.path;
  const existing = await storage.text();
  if (existing !== undefined) {
    if (!isJournalText(existing)) throw new UsageError(`${file} exists and is not a Regula study journal; refusing to append to it (choose another --out or --storage)`);
    if (!o.resume) throw new UsageError(`${file} holds a study already: pass --resume to continue (or join) it, or choose a new --out`);
    const prev = (await storage.read()).settings ?? {};
    const diff = Object.keys(settings).find((k) => JSON.stringify(prev[k]) !== JSON.stringify(settings[k]));
    if (diff !== undefined) throw new UsageError(`${file}: the study was made with ${diff} = ${JSON.stringify(prev[diff])}, not ${JSON.stringify(settings[diff])}; resume with the same flags (only --trials may change)`);
  }
  if (file.startsWith(resolve(o.out))) out.claim();
  if (existing === undefined) {
    if (!(await storage.create(settings)) && !o.resume) throw new UsageError(`${file} appeared while starting; pass --resume to join that study`);
    if (o.resume) say(`regula tune: no study in ${file} yet; starting one`);
  }
}

/** The train flags of one trial's parameters (defaults from the tune flags). */
export function trialFlags(o: TuneFlags, params: Params, hidden: readonly number[]): Record<string, unknown> {
  const n = (k: string, d: number): number => (typeof params[k] === 'number' ? (params[k] as number) : d);
  const width = params['hidden'];
  return {
    ...(o.dataset !== undefined ? { dataset: o.dataset } : {}),
    ...(o.data !== undefined ? { data: resolve(o.data) } : {}),
    ...(o.labels !== undefined ? { labels: resolve(o.labels) } : {}),
    ...(o.target !== undefined ? { target: o.target } : {}),
    ...(o.task !== undefined && o.task !== 'auto' ? { task: o.task } : {}),
    hidden: typeof width === 'number' ? hidden.map(() => width) : hidden.slice(),
    activation: o.activation,
    l1: n('l1', 0),
    l2: n('l2', 0),
    dropout: n('dropout', 0),
    gaussianNoise: n('gaussianNoise', 0),
    ...(n('maxNorm', 0) > 0 ? { maxNorm: n('maxNorm', 0) } : {}),
    epochs: o.epochs,
    batchSize: n('batchSize', o.batchSize),
    optimizer: typeof params['optimizer'] === 'string' ? params['optimizer'] : o.optimizer,
    ...(typeof params['lr'] === 'number' ? { lr: params['lr'] } : o.lr !== undefined ? { lr: o.lr } : {}),
    seed: o.seed,
    validationSplit: o.validationSplit,
    testSplit: o.testSplit,
  };
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The `regula train …` command of a trial's flags. */
export function trainCommandLine(flags: Record<string, unknown>, out = 'regula-model'): string {
  const parts = ['regula', 'train'];
  for (const [k, v] of Object.entries(flags)) {
    if ((k === 'l1' || k === 'l2' || k === 'dropout' || k === 'gaussianNoise') && v === 0) continue;
    const val = Array.isArray(v) ? v.join(',') : String(v);
    parts.push(`--${kebab(k)}`, /^[\w.,:/+-]+$/.test(val) ? val : `'${val.replace(/'/g, "'\\''")}'`);
  }
  parts.push('--out', out);
  return parts.join(' ');
}

function fmt(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : Number(v.toPrecision(4)).toString();
}

/** The trial table (number, params, value, state, epochs used). */
export function trialTable(trials: readonly TrialRecord[], objective: string): string {
  return formatTextTable({
    header: ['trial', 'params', objective, 'state', 'epochs'],
    rows: trials.map((t) => [`#${t.number}${t.retryOf !== null ? ` (re-run of #${t.retryOf})` : ''}`, t.params ? describeParams(t.params) : '—', fmt(t.value), t.state, String(t.epochs)]),
  });
}

/** Runs `regula tune`; returns the study. */
export async function runTune(o: TuneFlags, argv: readonly string[]): Promise<StudyResult> {
  // Every check first: a bad flag, space, storage, export or dataset writes nothing.
  const space = spaceOf(o);
  checkFractions(o.validationSplit, o.testSplit);
  if (o.validationSplit === 0) throw new UsageError('tune scores trials on the validation split: --validation-split must be > 0');
  const arch = architectureOf(o, DEFAULT_HIDDEN);
  const where = storageSpec(o, JOURNAL);
  const file = where.kind === 'journal' ? where.file : null;
  const inputs = [o.data, o.labels, o.space];
  if (o.export !== undefined) checkOutputFile(o.export, '--export', { inputs, force: o.force === true, ours: (head) => head.includes(TRAIN_CONFIG_FORMAT) });
  const table = loadData(o);
  const task = table.target.task;
  const objective = o.objective ?? (task === 'classification' ? 'val_accuracy' : 'val_loss');
  const direction = o.direction ?? directionOf(objective);
  let trials = o.trials;
  if (o.sampler === 'grid') {
    const cells = gridSize(space, o.gridPoints);
    if (trials > cells) trials = cells;
  }
  const settings = studySettings(o, space, objective, direction, arch.hidden);
  removeDeadTemporaries(resolve(o.out));
  // A PostgreSQL study is reached and checked before anything is written (tune-storage.ts).
  const pg = where.kind === 'postgres' ? await connectPostgresStudy(where, o, settings) : null;
  const out = openOutputDir(o.out, { flag: '--out', kind: 'tune', force: o.force === true, inputs });
  const say = (s: string): void => void (o.quiet ? undefined : process.stderr.write(`${s}\n`));
  const storage: StudyStorage = pg ?? new JournalStorage(file!);
  if (pg) await joinPostgresStudy(pg, o, settings, say);
  else await openJournal(storage as JournalStorage, o, settings, out, say);
  const { backend, note } = await initBackend();
  if (note) say(note);
  const split = splitTable(table, { validation: o.validationSplit, test: o.testSplit, seed: o.seed });
  // The test rows stay out of every trial: only the printed `regula train` command scores the chosen configuration on them.
  const rows = { train: Int32Array.from(split.train), validation: Int32Array.from(split.validation), test: null };
  const sampler = makeSampler(o.sampler, { seed: o.seed, gridPoints: o.gridPoints, ...(o.startupTrials !== undefined ? { startup: o.startupTrials } : { startup: Math.min(10, Math.max(2, Math.ceil(trials / 3))) }) });
  const pruner = makePruner(o.pruner, { epochs: o.epochs, minResource: o.minResource, reductionFactor: o.reductionFactor, seed: o.seed });
  say(`regula tune: ${dataLabel(o)}, ${trials} trials of ≤ ${o.epochs} epochs, sampler ${o.sampler}, pruner ${o.pruner}, ${direction} ${objective}, study ${storage.description}, backend ${backend}`);
  // Trials run in worker threads, each with single-threaded kernels when several run (src/study/pool.ts).
  const runner = createRunner(o.workers ?? defaultWorkers(trials));
  const workers = runner.size;
  if (workers > 1) say(`regula tune: ${workers} trials at once, in worker threads`);
  const result = await tune({
    space,
    trials,
    metric: objective,
    direction,
    sampler,
    pruner,
    storage,
    recover: o.resume === true,
    concurrency: workers,
    onTrialStart: (t) => say(`trial #${t.number}: ${describeParams(t.params ?? {})}`),
    onTrialEnd: (t) => say(`trial #${t.number}: ${t.state}, ${objective} ${fmt(t.value)} after ${t.epochs} epochs`),
    objective: async (trial) => {
      const f = trialFlags(o, trial.params, arch.hidden);
      const reg: Regularization = { l1: f['l1'] as number, l2: f['l2'] as number, dropout: f['dropout'] as number, gaussianNoise: f['gaussianNoise'] as number, maxNorm: (f['maxNorm'] as number | undefined) ?? 0 };
      const model = { kind: 'mlp' as const, arch: { hidden: f['hidden'] as number[], activation: arch.activation }, reg };
      const args = { name: describeRegularization(reg), table, rows, standardize: true, model, seed: o.seed, epochs: o.epochs, batchSize: f['batchSize'] as number, optimizer: f['optimizer'] as string, learningRate: f['lr'] as number | undefined, patience: null, checkpointDir: null, reportMetric: objective };
      const report = await runner.run<RunReport>(trialTask(args), { onReport: (step, value) => trial.report(step, value) });
      const h = report.history[objective] ?? [];
      return h.length ? h[h.length - 1]! : Number.NaN;
    },
  }).finally(() => Promise.all([storage.close?.(), runner.close()]));
  const warn = (s: string): void => void process.stderr.write(`${s}\n`);
  for (const n of result.recovered) warn(`regula tune: trial #${n} was left running by a process that is gone: marked failed and re-queued`);
  for (const line of result.state.notes) warn(`regula tune: note: ${line}`);
  const text = trialTable(result.trials, objective);
  console.log(text);
  const best = result.best;
  let command: string | null = null;
  if (best && best.params) {
    const flags = trialFlags(o, best.params, arch.hidden);
    command = trainCommandLine(flags);
    console.log(`\nbest: trial #${best.number}, ${objective} ${fmt(best.value)} (${describeParams(best.params)})`);
    console.log(`reproduce: ${command}`);
    if (o.export !== undefined) {
      writeFileAtomic(o.export, `${JSON.stringify({ format: TRAIN_CONFIG_FORMAT, version: 1, flags, study: { trial: best.number, objective, value: best.value } }, null, 2)}\n`);
      console.log(`exported: ${o.export} (regula train --config ${o.export})`);
    }
  } else console.log('\nbest: no trial completed');
  const importance = fanovaImportance(space, result.trials, { seed: o.seed });
  console.log(importanceLine(importance));
  const rescore = { folds: o.rescoreFolds, repeats: o.rescoreRepeats, seed: o.seed, objective, activation: arch.activation, epochs: o.epochs, say, workers };
  const versusBaseline = await checkAgainstBaseline(table, split, best?.params ? trialFlags(o, best.params, arch.hidden) : null, best?.params ?? null, rescore);
  if (versusBaseline) console.log(baselineLine(versusBaseline, objective, direction));
  const epochsUsed = result.trials.reduce((s, t) => s + t.epochs, 0);
  const report: TuneReportData = {
    title: `Regula tune: ${dataLabel(o)}`,
    dataset: dataLabel(o),
    objective,
    direction,
    settings: {
      space: space.map((p) => `${p.name}=${describeDistribution(p.dist)}`).join(' '),
      trials: result.trials.length,
      sampler: o.sampler,
      pruner: o.pruner === 'none' ? 'none' : `${o.pruner} (η ${o.reductionFactor}, min resource ${o.minResource} epoch${o.minResource > 1 ? 's' : ''})`,
      'epochs per trial': o.epochs,
      'epochs used': `${epochsUsed} of ${result.trials.length * o.epochs}`,
      network: `${arch.hidden.join(',')} (${arch.activation})`,
      seed: o.seed,
      storage: storage.description,
      command: ['regula', ...argv.map((a) => (/^postgres(ql)?:/i.test(a) ? redactUrl(a) : a))].join(' '), // no password in the report
    },
    trials: result.trials.map(toRow),
    best: best?.number ?? null,
    command,
    table: text,
    space,
    importance,
    versusBaseline,
  };
  await out.publishWith((staging) => writeTuneReport(staging, report).then(() => undefined));
  console.log(`report: ${join(o.out, 'index.html')}\nstudy: ${file ?? storage.description}`);
  return result;
}

function toRow(t: TrialRecord): TuneTrialRow {
  return {
    number: t.number,
    state: t.state,
    params: t.params,
    value: t.value,
    epochs: t.epochs,
    intermediate: [...t.intermediate.entries()].sort((a, b) => a[0] - b[0]),
  };
}

const collect = (v: string, prev: string[]): string[] => prev.concat([v]);

/** The `tune` command. */
export function tuneCommand(argv: () => readonly string[]): Command {
  const cmd = new Command('tune').description('search regularization settings (grid, random, TPE) with pruning (ASHA, Hyperband) in a resumable study');
  addDataOptions(cmd);
  addArchitectureOptions(cmd, DEFAULT_HIDDEN.join(','));
  addTrainOptions(cmd, { epochs: 20 });
  return cmd
    .option('--param <name=dist>', 'a parameter to search: l1|l2|dropout|gaussianNoise|maxNorm|hidden|lr|optimizer|batchSize = choice:a,b | uniform:lo:hi | loguniform:lo:hi | int:lo:hi (repeatable)', collect, [])
    .option('--space <file.json>', 'the search space as JSON: {"l2": "loguniform:1e-6:1e-2", …}')
    .option('--trials <n>', 'trials of the study (complete or pruned)', int({ min: 1, max: 100000 }), 16)
    .addOption(new Option('--sampler <name>', 'how trials choose parameters').choices(SAMPLER_NAMES).default('tpe'))
    .addOption(new Option('--pruner <name>', 'how hopeless trials are stopped').choices(PRUNER_NAMES).default('asha'))
    .option('--grid-points <n>', 'grid values per continuous parameter (sampler grid)', int({ min: 1, max: 100 }), 3)
    .option('--reduction-factor <eta>', 'η of ASHA / Hyperband', num({ min: 2 }), 3)
    .option('--min-resource <epochs>', 'epochs of the first ASHA rung', int({ min: 1 }), 1)
    .option('--startup-trials <n>', 'random trials before TPE models the results (default min(10, ⌈trials/3⌉))', int({ min: 0 }))
    .option('--objective <metric>', 'logged metric to optimize (default val_accuracy for classification, val_loss for regression)')
    .addOption(new Option('--direction <dir>', 'minimize or maximize the objective (default: by its name)').choices(['minimize', 'maximize']))
    .option('--validation-split <fraction>', 'validation fraction: the trials are scored on it', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--test-split <fraction>', 'held-out test fraction, never used by the search', num({ min: 0, max: 1, maxExclusive: true }), 0.2)
    .option('--storage <url>', 'the study: journal:<file> (default <out>/study.jsonl), shared by processes of one machine, or postgres://user[:password]@host[:port]/db, shared by many machines (with --study)')
    .option('--study <name>', 'the study\'s name in a PostgreSQL --storage: workers giving the same name share it')
    .option('--heartbeat-grace <seconds>', 'PostgreSQL studies: a running trial whose worker sent no heartbeat for this long is failed and re-queued', num({ min: 1 }), 60)
    .option('--resume', 'continue (or join) the study in the storage; trials left running by dead processes are re-queued')
    .option('--export <best.json>', 'write the best configuration for regula train --config')
    .option('--rescore-folds <k>', 'after the search, train the best configuration and the baseline (no regularization) on r × k folds and test the difference (0 = skip)', foldsArg, 5)
    .option('--rescore-repeats <r>', 'repetitions r of the k-fold re-scoring', int({ min: 1, max: 100 }), 1)
    .option('--out <dir>', 'output directory: study.jsonl and the report', 'regula-tune')
    .option('--force', 'write into an existing directory Regula did not write (only new files are added)')
    .option('--workers <n>', 'trials run at once, in worker threads (default: one per core, at most --trials)', int({ min: 1, max: 256 }))
    .option('--quiet', 'no progress output')
    .action(async (o: TuneFlags) => {
      await runTune(o, argv());
    });
}
