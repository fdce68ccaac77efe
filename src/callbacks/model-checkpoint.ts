/**
 * ModelCheckpoint (Keras 3, docs/semantics.md §4.2): saves the model during training.
 *
 * `filepath` is a template formatted with Python rules, with `epoch` (1-based)
 * and every log value: `'ckpt-{epoch:02d}-{val_loss:.2f}'` → `ckpt-03-0.41`;
 * a missing key throws, naming it. In Regula the path names a directory in
 * TF.js Layers format (written by `model.save`), not a `.keras`/`.h5` file.
 *
 * - saveBestOnly: save only when the monitored value improves on the best so
 *   far (strictly; `initialValueThreshold` is the initial best; the best is
 *   kept across fit calls). A missing monitored value warns and saves anyway.
 * - saveFreq 'epoch' (default) saves at each epoch end; an integer N saves
 *   every N batches, counted across epochs, using the batch logs (no `val_*`
 *   there), and never at epoch end.
 * - sink 'memory' keeps the saved weights in memory instead of writing files
 *   (browsers); `restore()` puts them back into the model. A custom
 *   `CheckpointSink` may store them anywhere (IndexedDB, a server…).
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, CallbackModel, Logs, TrainParams } from './callback.js';
import { Monitor, type MonitorMode, type WarnFn } from './monitor.js';
import { pyFormat } from './python-format.js';

/** Where a checkpoint goes. */
export interface CheckpointSink {
  save(model: CallbackModel, path: string, info: { epoch: number; logs: Logs; weightsOnly: boolean }): Promise<void> | void;
}

/** The most recent checkpoint kept by the in-memory sink. */
export interface MemoryCheckpoint {
  /** Formatted path (or the template when none was given). */
  path: string;
  /** 0-based epoch it was taken at. */
  epoch: number;
  /** The monitored value then (undefined if it was not logged). */
  value: number | undefined;
  weights: Tensor[];
}

export interface ModelCheckpointArgs {
  /** Directory template, e.g. 'ckpt/{epoch:02d}-{val_loss:.2f}'. Required unless sink is 'memory' or custom. */
  filepath?: string;
  /** Default 'val_loss'. */
  monitor?: string;
  /** 0 silent (default), 1 prints each save decision. */
  verbose?: 0 | 1;
  /** Default false. */
  saveBestOnly?: boolean;
  /** Save weights only (no topology). Default false. */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** 'epoch' (default) or a number of batches. */
  saveFreq?: 'epoch' | number;
  /** Initial best value for saveBestOnly. */
  initialValueThreshold?: number | null;
  /** 'directory' (default: `model.save`), 'memory', or a custom sink. */
  sink?: 'directory' | 'memory' | CheckpointSink;
  warn?: WarnFn;
  log?: (message: string) => void;
}

/** What `getState` returns (saved in the training-state file for an exact resume). */
export interface ModelCheckpointState {
  [key: string]: unknown;
  best: number | null;
  batchesSinceLastSave: number;
  lastBatchSeen: number;
  currentEpoch: number;
  memory: { path: string; epoch: number; value: number | null; weights: Tensor[] } | null;
}

const fmt5 = (v: number | undefined): string => (v === undefined ? 'None' : v.toFixed(5));

/**
 * @example
 * callbacks.modelCheckpoint({ filepath: 'ckpt/best', monitor: 'val_loss', saveBestOnly: true })
 * const mem = callbacks.modelCheckpoint({ sink: 'memory', saveBestOnly: true }); … mem.restore();
 */
export class ModelCheckpoint implements Callback {
  /** Key of this callback's state in a saved training state (stable under minification). */
  readonly stateKey = 'ModelCheckpoint';
  readonly filepath: string;
  readonly monitor: Monitor;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  /** Best monitored value so far (initialValueThreshold at first; kept across fits). */
  best: number | undefined;
  /** Paths saved so far, in order (the decision record; handy in tests and logs). */
  readonly saved: { epoch: number; batch?: number; path: string }[] = [];
  private readonly sink: CheckpointSink;
  private readonly memorySink: boolean;
  private memoryCheckpoint: MemoryCheckpoint | undefined;
  private model: CallbackModel | undefined;
  private currentEpoch = 0;
  private batchesSinceLastSave = 0;
  private lastBatchSeen = -1;
  private readonly log: (m: string) => void;

  constructor(args: ModelCheckpointArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`ModelCheckpoint: expected an options object like { filepath: 'ckpt' }, got ${JSON.stringify(args)}`);
    const known = ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold', 'sink', 'warn', 'log'];
    for (const k of Object.keys(args)) if (!known.includes(k)) throw new Error(`ModelCheckpoint: unknown option '${k}'; known options: ${known.join(', ')}`);
    const sink = args.sink ?? 'directory';
    if (sink === 'directory' && (typeof args.filepath !== 'string' || args.filepath === '')) {
      throw new Error(`ModelCheckpoint: filepath must be a non-empty directory template (or use sink: 'memory'), got ${JSON.stringify(args.filepath)}`);
    }
    if (args.filepath !== undefined && typeof args.filepath !== 'string') throw new Error(`ModelCheckpoint: filepath must be a string, got ${JSON.stringify(args.filepath)}`);
    this.filepath = args.filepath ?? 'memory';
    this.monitor = new Monitor({ monitor: args.monitor ?? 'val_loss', mode: args.mode ?? 'auto', minDelta: 0, owner: 'ModelCheckpoint', ...(args.warn ? { warn: args.warn } : {}) });
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq > 0)) {
      throw new Error(`ModelCheckpoint: saveFreq must be 'epoch' or a positive integer number of batches, got ${JSON.stringify(freq)}`);
    }
    this.saveFreq = freq;
    const t = args.initialValueThreshold;
    if (t !== undefined && t !== null && (typeof t !== 'number' || Number.isNaN(t))) throw new Error(`ModelCheckpoint: initialValueThreshold must be a number, got ${JSON.stringify(t)}`);
    this.best = t ?? undefined;
    this.log = args.log ?? ((m) => console.log(m));
    this.memorySink = sink === 'memory';
    if (sink === 'directory') this.sink = { save: (model, path, info) => model.save(path, { weightsOnly: info.weightsOnly }) };
    else if (sink === 'memory') {
      this.sink = {
        save: (model, path, info) => {
          this.memoryCheckpoint = { path, epoch: info.epoch, value: info.logs[this.monitor.monitor], weights: model.getWeights() };
        },
      };
    } else if (typeof sink === 'object' && typeof sink.save === 'function') this.sink = sink;
    else throw new Error(`ModelCheckpoint: sink must be 'directory', 'memory' or an object with save(), got ${JSON.stringify(sink)}`);
  }

  setModel(model: CallbackModel, _params: TrainParams): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    if (!this.shouldSaveOnBatch(batch)) return;
    await this.saveModel(this.currentEpoch, batch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.monitor.resolve(this.model);
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, undefined, logs);
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    // A batch index that does not increase means a new epoch started.
    const add = batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceLastSave += add;
    this.lastBatchSeen = batch;
    if (this.batchesSinceLastSave >= this.saveFreq) {
      this.batchesSinceLastSave = 0;
      return true;
    }
    return false;
  }

  /** The formatted path for an epoch (0-based) / batch (0-based) and logs. */
  formatPath(epoch: number, batch: number | undefined, logs: Logs): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    const ints = ['epoch'];
    if (batch !== undefined && !('batch' in logs)) {
      values['batch'] = batch + 1;
      ints.push('batch');
    }
    try {
      return pyFormat(this.filepath, values, ints);
    } catch (e) {
      throw new Error(`ModelCheckpoint: failed to format filepath "${this.filepath}": ${(e as Error).message}`);
    }
  }

  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    const current = this.monitor.value(logs); // warns once when missing
    if (current === undefined) return true; // Keras: cannot compare, so save anyway
    if (this.monitor.isImprovement(current, this.best, this.model)) {
      if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: ${this.monitor.monitor} improved from ${fmt5(this.best)} to ${fmt5(current)}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: ${this.monitor.monitor} did not improve from ${fmt5(this.best)}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | undefined, logs: Logs): Promise<void> {
    const path = this.formatPath(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    if (!this.model) throw new Error('ModelCheckpoint: no model attached (fit calls setModel)');
    await this.sink.save(this.model, path, { epoch, logs, weightsOnly: this.saveWeightsOnly });
    this.saved.push(batch === undefined ? { epoch, path } : { epoch, batch, path });
  }

  /** The checkpoint kept by the memory sink (undefined before the first save or with another sink). */
  get memory(): MemoryCheckpoint | undefined {
    return this.memoryCheckpoint;
  }

  /** Puts the in-memory checkpoint's weights back into the model (or into `model` if given). */
  restore(model?: CallbackModel): void {
    if (!this.memorySink) throw new Error(`ModelCheckpoint.restore: only the memory sink keeps weights; load a directory checkpoint with loadModel('${this.filepath}')`);
    if (!this.memoryCheckpoint) throw new Error('ModelCheckpoint.restore: nothing has been saved yet');
    const target = model ?? this.model;
    if (!target) throw new Error('ModelCheckpoint.restore: no model to restore into');
    target.setWeights(this.memoryCheckpoint.weights);
  }

  getState(): ModelCheckpointState {
    const m = this.memoryCheckpoint;
    return {
      best: this.best ?? null,
      batchesSinceLastSave: this.batchesSinceLastSave,
      lastBatchSeen: this.lastBatchSeen,
      currentEpoch: this.currentEpoch,
      memory: m ? { path: m.path, epoch: m.epoch, value: m.value ?? null, weights: [...m.weights] } : null,
    };
  }

  setState(state: Record<string, unknown>): void {
    const s = state as Partial<ModelCheckpointState>;
    const num = (v: unknown, name: string): number => {
      if (typeof v !== 'number') throw new Error(`ModelCheckpoint.setState: ${name} must be a number, got ${JSON.stringify(v)}`);
      return v;
    };
    this.best = s.best === null || s.best === undefined ? undefined : num(s.best, 'best');
    this.batchesSinceLastSave = num(s.batchesSinceLastSave, 'batchesSinceLastSave');
    this.lastBatchSeen = num(s.lastBatchSeen, 'lastBatchSeen');
    this.currentEpoch = num(s.currentEpoch, 'currentEpoch');
    const m = s.memory;
    this.memoryCheckpoint = m ? { path: String(m.path), epoch: num(m.epoch, 'memory.epoch'), value: m.value ?? undefined, weights: [...m.weights] } : undefined;
  }
}

/** Factory: `callbacks.modelCheckpoint({ filepath: 'ckpt-{epoch:02d}', saveBestOnly: true })`. */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
