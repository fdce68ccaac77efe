/**
 * EarlyStopping (Keras 3, docs/semantics.md §4.1): stop when the monitored value has not
 * improved for `patience` epochs.
 *
 * Per epoch end (0-based epoch): a missing value (warned once) or an epoch
 * before `startFromEpoch` is ignored; with `restoreBestWeights` the first
 * counted epoch snapshots the weights; `wait += 1`; an improvement records
 * best/bestEpoch (and a snapshot) and resets `wait` only if there is no
 * `baseline` or the value also beats it; otherwise, once `wait ≥ patience`
 * and `epoch > 0`, training stops. So it stops after `max(patience, 1)`
 * non-improving epochs, never at epoch 0, and an unreached baseline stops it
 * at the first non-improving epoch past `patience` — without crashing.
 *
 * At train end the best weights are restored whether or not training stopped
 * early (Keras 3; Keras 2 restored only when it stopped, TF.js throws).
 * State resets at train begin unless `setState` restored it (exact resume).
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, CallbackModel, Logs, TrainParams } from './callback.js';
import { Monitor, type MonitorMode, type WarnFn } from './monitor.js';

export interface EarlyStoppingArgs {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Non-improving epochs to wait (default 0, which acts like 1). */
  patience?: number;
  /** 0 silent (default), 1 prints when it stops and restores. */
  verbose?: 0 | 1;
  /** 'auto' (default), 'min' or 'max'. */
  mode?: MonitorMode;
  /** A value the monitor must beat for patience to reset. */
  baseline?: number | null;
  /** Restore the best epoch's weights at train end (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to ignore at the start (warm-up; default 0). */
  startFromEpoch?: number;
  /** Warning sink (default console.warn). */
  warn?: WarnFn;
  /** Message sink for verbose output (default console.log). */
  log?: (message: string) => void;
}

/** What `getState` returns (JSON plus tensors; saved in the training-state file). */
export interface EarlyStoppingState {
  [key: string]: unknown;
  wait: number;
  stoppedEpoch: number;
  best: number | null;
  bestEpoch: number;
  bestWeights: Tensor[] | null;
}

function nonNegInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`EarlyStopping: ${name} must be an integer >= 0, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * @example
 * callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })
 */
export class EarlyStopping implements Callback {
  /** Key of this callback's state in a saved training state (stable under minification). */
  readonly stateKey = 'EarlyStopping';
  readonly monitor: Monitor;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Non-improving epochs counted so far. */
  wait = 0;
  /** The 0-based epoch at which training was stopped (0 = not stopped). */
  stoppedEpoch = 0;
  /** Best monitored value (undefined until the first counted epoch). */
  best: number | undefined;
  /** 0-based epoch of `best`. */
  bestEpoch = 0;
  private bestWeights: Tensor[] | undefined;
  private model: CallbackModel | undefined;
  private resumed = false;
  private readonly log: (m: string) => void;

  constructor(args: EarlyStoppingArgs = {}) {
    const known = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'warn', 'log'];
    for (const k of Object.keys(args)) if (!known.includes(k)) throw new Error(`EarlyStopping: unknown option '${k}'; known options: ${known.join(', ')}`);
    this.monitor = new Monitor({ monitor: args.monitor ?? 'val_loss', mode: args.mode ?? 'auto', minDelta: args.minDelta ?? 0, owner: 'EarlyStopping', ...(args.warn ? { warn: args.warn } : {}) });
    this.patience = nonNegInt(args.patience ?? 0, 'patience');
    this.startFromEpoch = nonNegInt(args.startFromEpoch ?? 0, 'startFromEpoch');
    this.verbose = args.verbose ?? 0;
    if (args.baseline !== undefined && args.baseline !== null && (typeof args.baseline !== 'number' || Number.isNaN(args.baseline))) {
      throw new Error(`EarlyStopping: baseline must be a number or null, got ${JSON.stringify(args.baseline)}`);
    }
    this.baseline = args.baseline ?? undefined;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.log = args.log ?? ((m) => console.log(m));
  }

  setModel(model: CallbackModel, _params: TrainParams): void {
    this.model = model;
  }

  onTrainBegin(): void {
    if (this.resumed) {
      this.resumed = false;
      return;
    }
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestWeights = undefined;
    this.bestEpoch = 0;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const model = this.model;
    this.monitor.resolve(model);
    const current = this.monitor.value(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === undefined && model) {
      // Until something improves, the current weights are the best.
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.monitor.isImprovement(current, this.best, model)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && model) this.bestWeights = model.getWeights();
      if (this.baseline === undefined || this.monitor.isImprovement(current, this.baseline, model)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (model) model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights && this.model) {
      if (this.verbose > 0) this.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
  }

  /** The snapshot that will be restored (copies), if any. */
  get bestWeightsSnapshot(): readonly Tensor[] | undefined {
    return this.bestWeights;
  }

  getState(): EarlyStoppingState {
    return { wait: this.wait, stoppedEpoch: this.stoppedEpoch, best: this.best ?? null, bestEpoch: this.bestEpoch, bestWeights: this.bestWeights ? [...this.bestWeights] : null };
  }

  /** Restores `getState` output; the next onTrainBegin keeps it instead of resetting (resume). */
  setState(state: Record<string, unknown>): void {
    const s = state as Partial<EarlyStoppingState>;
    const num = (v: unknown, name: string): number => {
      if (typeof v !== 'number') throw new Error(`EarlyStopping.setState: ${name} must be a number, got ${JSON.stringify(v)}`);
      return v;
    };
    this.wait = num(s.wait, 'wait');
    this.stoppedEpoch = num(s.stoppedEpoch, 'stoppedEpoch');
    this.best = s.best === null || s.best === undefined ? undefined : num(s.best, 'best');
    this.bestEpoch = num(s.bestEpoch, 'bestEpoch');
    if (s.bestWeights !== null && s.bestWeights !== undefined && !Array.isArray(s.bestWeights)) {
      throw new Error('EarlyStopping.setState: bestWeights must be an array of tensors or null');
    }
    this.bestWeights = s.bestWeights ? [...s.bestWeights] : undefined;
    this.resumed = true;
  }
}

/** Factory: `callbacks.earlyStopping({ patience: 5 })`. */
export function earlyStopping(args: EarlyStoppingArgs = {}): EarlyStopping {
  return new EarlyStopping(args);
}
