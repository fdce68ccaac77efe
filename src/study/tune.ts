/**
 * `tune()`: a study over a search space. Each worker loop claims a trial
 * (journal.ts), gets its parameters from the sampler (or, for a re-queued
 * trial, from the failed trial it re-runs), runs the objective, which
 * reports the objective metric after every epoch (`trial.callback()` does it
 * inside `fit`), lets the pruner stop it (`model.stopTraining`), and records
 * how it ended: complete, pruned or failed. The storage (an in-memory study,
 * or a journal file several processes share) holds everything, so a study
 * continues where a killed one stopped.
 *
 * @example
 * const result = await tune({
 *   space: spaceFromSpecs(['l2=loguniform:1e-6:1e-2', 'dropout=uniform:0:0.5']),
 *   trials: 16, metric: 'val_loss', direction: 'minimize',
 *   sampler: new TpeSampler({ seed: 1 }), pruner: new AshaPruner({ reductionFactor: 3 }),
 *   objective: async (trial) => {
 *     const model = build(trial.params);
 *     const h = await model.fit(x, y, { epochs: 20, validationData: [xv, yv], callbacks: [trial.callback()] });
 *     return h.history['val_loss'].at(-1);
 *   },
 * });
 * console.log(result.best?.params, result.best?.value);
 */
import type { Callback, CallbackModel, Logs } from '../callbacks/callback.js';
import { activeCount, claimantDead, MemoryStorage, type StudyState, type StudyStorage, type TrialRecord } from './journal.js';
import { NopPruner, type Pruner } from './pruners.js';
import { RandomSampler, rankTrials, type Direction, type Sampler } from './samplers.js';
import type { Params, Space } from './space.js';

/** What an objective gets: the trial's parameters and a way to report progress. */
export interface TrialHandle {
  readonly number: number;
  readonly params: Params;
  /** Records the objective after `step` (epoch, 1-based); resolves true when the pruner stops the trial. */
  report(step: number, value: number): Promise<boolean>;
  /** True once the pruner stopped this trial. */
  readonly pruned: boolean;
  /** A `fit` callback that reports `logs[metric]` after every epoch and sets `model.stopTraining` when pruned. */
  callback(): Callback;
}

/** The objective: trains with `trial.params` and returns the final objective value. */
export type Objective = (trial: TrialHandle) => Promise<number>;

export interface TuneOptions {
  readonly space: Space;
  readonly objective: Objective;
  /** Trials of the study (running, complete or pruned; failed ones are not counted). */
  readonly trials: number;
  /** Logged metric the callback reports (e.g. `val_loss`, `val_accuracy`). */
  readonly metric: string;
  readonly direction: Direction;
  /** Default: random with seed 0. */
  readonly sampler?: Sampler;
  /** Default: none. */
  readonly pruner?: Pruner;
  /** Default: in memory. */
  readonly storage?: StudyStorage;
  /** Mark trials whose worker process is gone as failed and re-queue them (regula tune --resume). */
  readonly recover?: boolean;
  /** Called after each trial this worker ran. */
  readonly onTrialEnd?: (trial: TrialRecord) => void;
  /** Called before each trial this worker runs. */
  readonly onTrialStart?: (trial: TrialRecord) => void;
  /**
   * Trials this call runs at once (default 1): that many loops share the
   * storage, sampler and pruner, each awaiting its own objective — which runs
   * the trial elsewhere, e.g. on a WorkerPool (pool.ts). When one objective
   * throws, no loop starts another trial; the running ones finish, then the
   * error is thrown.
   */
  readonly concurrency?: number;
  /** Once aborted, no new trial starts (running ones finish). */
  readonly signal?: AbortSignal;
}

/** A study's outcome. */
export interface StudyResult {
  readonly state: StudyState;
  readonly trials: readonly TrialRecord[];
  /** The best complete trial (null when none completed). */
  readonly best: TrialRecord | null;
  /** Trials this call marked failed because their worker had died. */
  readonly recovered: readonly number[];
}

/** The best complete trial of a study. */
export function bestTrial(trials: readonly TrialRecord[], direction: Direction): TrialRecord | null {
  return rankTrials(trials, direction).find((t) => t.state === 'complete') ?? null;
}

function claimId(): string {
  const b = new Uint8Array(6);
  globalThis.crypto.getRandomValues(b);
  const pid = typeof process !== 'undefined' ? process.pid : 0;
  return `${pid}-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

const currentPid = (): number | undefined => (typeof process !== 'undefined' ? process.pid : undefined);

/** Marks running trials of dead workers failed (re-queued). Returns their numbers. */
export async function recoverDeadTrials(storage: StudyStorage): Promise<number[]> {
  if (storage.recoverStale) return storage.recoverStale();
  const state = await storage.read();
  const out: number[] = [];
  for (const t of state.trials) {
    if (t.state !== 'running' || !claimantDead(t, storage, currentPid())) continue;
    await storage.append({ op: 'finish', trial: t.number, state: 'failed', value: null, epochs: t.epochs, reason: `its worker (pid ${t.pid}) stopped before the trial finished`, requeue: true });
    out.push(t.number);
  }
  return out;
}

/** Runs (or continues, or joins) a study; see the file header. */
export async function tune(o: TuneOptions): Promise<StudyResult> {
  if (!(Number.isInteger(o.trials) && o.trials >= 1)) throw new Error(`tune: trials must be an integer ≥ 1, got ${o.trials}`);
  if ((o.concurrency ?? 1) !== 1) return tuneConcurrently(o);
  const storage: StudyStorage = o.storage ?? new MemoryStorage();
  const sampler = o.sampler ?? new RandomSampler(0);
  const pruner = o.pruner ?? new NopPruner();
  const recovered = o.recover ? await recoverDeadTrials(storage) : [];
  let failures = 0;
  for (;;) {
    if (o.signal?.aborted) break;
    // A storage shared across machines re-queues trials whose worker stopped heartbeating, whoever notices first.
    if (storage.recoverStale) for (const n of await storage.recoverStale()) recovered.push(n);
    let state = await storage.read();
    if (activeCount(state.trials) >= o.trials) break;
    const retry = state.trials.find((t) => t.state === 'failed' && t.requeue && t.retriedBy === null);
    const id = claimId();
    storage.ownClaims.add(id);
    await storage.append({ op: 'claim', id, pid: currentPid() ?? 0, limit: o.trials, retry: retry ? retry.number : null });
    state = await storage.read();
    const number = state.claims.get(id);
    if (number === undefined || number === null) break;
    let trial = state.trials[number]!;
    if (trial.params === null) {
      const params = sampler.sample({ space: o.space, trials: state.trials, trial, direction: o.direction });
      await storage.append({ op: 'start', trial: number, claim: id, params });
      trial.params = params;
    }
    o.onTrialStart?.(trial);
    const params = trial.params!;
    let pruned = false;
    let lastStep = 0;
    let lastValue: number | null = null;
    const report = async (step: number, value: number): Promise<boolean> => {
      lastStep = Math.max(lastStep, step);
      if (Number.isFinite(value)) lastValue = value;
      await storage.append({ op: 'report', trial: number, step, value });
      if (pruned) return true;
      const now = await storage.read();
      const me = now.trials[number]!;
      pruned = pruner.shouldPrune(me, step, now.trials, o.direction);
      return pruned;
    };
    const handle: TrialHandle = {
      number,
      params,
      report,
      get pruned() {
        return pruned;
      },
      callback: () => trialCallback(o.metric, report),
    };
    let finish: { state: 'complete' | 'pruned' | 'failed'; value: number | null; reason?: string };
    try {
      const value = await o.objective(handle);
      if (pruned) finish = { state: 'pruned', value: lastValue };
      else if (Number.isFinite(value)) finish = { state: 'complete', value };
      else finish = { state: 'failed', value: null, reason: `the objective is ${value}` };
    } catch (e) {
      // An objective that throws ends the study (as Optuna does): the trial is recorded failed, the error goes on.
      await storage.append({ op: 'finish', trial: number, epochs: lastStep, state: 'failed', value: null, reason: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    await storage.append({ op: 'finish', trial: number, epochs: lastStep, ...finish });
    if (finish.state === 'failed' && ++failures > o.trials) throw new Error(`tune: ${failures} trials failed (last: ${finish.reason}); stopping`);
    const after = await storage.read();
    trial = after.trials[number]!;
    o.onTrialEnd?.(trial);
  }
  const state = await storage.read();
  return { state, trials: state.trials, best: bestTrial(state.trials, o.direction), recovered };
}

/** `concurrency` loops of `tune` over one storage; the first error stops new trials and is thrown once all loops ended. */
async function tuneConcurrently(o: TuneOptions): Promise<StudyResult> {
  const n = o.concurrency!;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`tune: concurrency must be an integer ≥ 1, got ${n}`);
  const storage = o.storage ?? new MemoryStorage();
  const recovered = o.recover ? await recoverDeadTrials(storage) : [];
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  o.signal?.addEventListener('abort', abort);
  const loop = { ...o, storage, recover: false, concurrency: 1, signal: stop.signal, sampler: o.sampler ?? new RandomSampler(0), pruner: o.pruner ?? new NopPruner() };
  const ends = await Promise.allSettled(Array.from({ length: n }, () => tune(loop).catch((e: unknown) => (stop.abort(), Promise.reject(e)))));
  o.signal?.removeEventListener('abort', abort);
  const failed = ends.find((e): e is PromiseRejectedResult => e.status === 'rejected');
  if (failed) throw failed.reason;
  for (const e of ends) if (e.status === 'fulfilled') for (const n of e.value.recovered) recovered.push(n);
  const state = await storage.read();
  return { state, trials: state.trials, best: bestTrial(state.trials, o.direction), recovered };
}

/** The fit callback of a trial: reports `logs[metric]` each epoch; stops training when pruned. */
export function trialCallback(metric: string, report: (step: number, value: number) => Promise<boolean>): Callback {
  let model: CallbackModel | undefined;
  return {
    setModel(m: CallbackModel) {
      model = m;
    },
    async onEpochEnd(epoch: number, logs: Logs) {
      const v = logs[metric];
      if (v === undefined) throw new Error(`tune: the objective metric '${metric}' is not logged (the logs have ${Object.keys(logs).join(', ')}); validation metrics need validation data`);
      if (await report(epoch + 1, v)) {
        if (model) model.stopTraining = true;
      }
    },
  };
}
