/**
 * The callback lifecycle (Keras order): onTrainBegin → per epoch
 * (onEpochBegin → per batch (onBatchBegin → step → onBatchEnd) → validation →
 * onEpochEnd) → onTrainEnd. `logs` are plain numbers, never tensors. Every
 * hook is optional and may be async (fit awaits it).
 *
 * Callbacks see the model through `CallbackModel`: they can stop training,
 * read/write the learning rate, snapshot and restore weights, and save.
 */
import type { Tensor } from '../tensor/tensor.js';

export type Logs = Record<string, number>;

/** What a callback may do to the model it is attached to. */
export interface CallbackModel {
  /** Set true to end training after the current batch/epoch (Keras `stop_training`). */
  stopTraining: boolean;
  /** Copies of all weights (layer order). */
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** Current optimizer learning rate; settable (ReduceLROnPlateau, schedulers). */
  getLearningRate(): number;
  setLearningRate(lr: number): void;
  /** Direction of a compiled metric by log name (e.g. 'val_accuracy' → 'max'), undefined if unknown. */
  metricDirection(name: string): 'min' | 'max' | undefined;
  /** Saves the model (TF.js Layers format) to a directory; `weightsOnly` skips the topology. */
  save(dir: string, opts?: { weightsOnly?: boolean; includeOptimizer?: boolean }): Promise<void>;
}

/** Parameters fit passes to callbacks in onTrainBegin (Keras `params`). */
export interface TrainParams {
  epochs: number;
  initialEpoch: number;
  steps: number;
  samples: number;
  verbose: 0 | 1 | 2;
  batchSize: number;
}

export interface Callback {
  /** Called once before onTrainBegin. */
  setModel?(model: CallbackModel, params: TrainParams): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /**
   * The stable name a stateful callback's `getState()` is saved under in the
   * training state (a minifier may rename classes, so this is not
   * `constructor.name`). Built-ins use their Keras class name
   * ('EarlyStopping', 'ModelCheckpoint'); a user callback may define its own.
   * Without one, the constructor name is used. See callback-state.ts.
   */
  readonly stateKey?: string;
  /** Stateful callbacks (EarlyStopping, ModelCheckpoint) expose their state for exact resume. */
  getState?(): Record<string, unknown>;
  setState?(state: Record<string, unknown>): void;
}

/** Runs hooks of many callbacks in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  setModel(model: CallbackModel, params: TrainParams): void {
    for (const c of this.callbacks) c.setModel?.(model, params);
  }
  async onTrainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }
  async onTrainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }
  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }
  /**
   * The per-batch hooks run every step: synchronous hooks run back to back
   * and nothing is returned; from the first hook that returns a promise on,
   * the rest run awaited in order (the returned promise settles after them).
   */
  onBatchBegin(batch: number, logs: Logs = {}): void | Promise<void> {
    return runInOrder(this.callbacks, (c) => c.onBatchBegin?.(batch, logs));
  }
  onBatchEnd(batch: number, logs: Logs): void | Promise<void> {
    return runInOrder(this.callbacks, (c) => c.onBatchEnd?.(batch, logs));
  }
}

function runInOrder(callbacks: readonly Callback[], hook: (c: Callback) => void | Promise<void> | undefined): void | Promise<void> {
  for (let i = 0; i < callbacks.length; i++) {
    const r = hook(callbacks[i]!);
    if (r !== undefined && typeof (r as Promise<void>).then === 'function') {
      return (async () => {
        await r;
        for (let j = i + 1; j < callbacks.length; j++) await hook(callbacks[j]!);
      })();
    }
  }
  return undefined;
}
