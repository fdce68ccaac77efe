/**
 * Callbacks, TF.js spelling: an object of hooks (`{ onEpochEnd }`), a list of
 * them, `tf.callbacks.earlyStopping(...)`, or a subclass of `tf.Callback`
 * (which sees `this.model`, the regula/tfjs model, and `this.params`). Logs
 * are plain numbers under TF.js's names (`acc`, `val_acc` for the accuracy
 * metric: compile asks Regula for 'acc', see model.ts).
 *
 * Batch logs differ from TF.js: Regula (as Keras 3) reports running averages
 * over the epoch so far, TF.js the batch's own values.
 */
import { earlyStopping, type Callback as CoreCallback, type CallbackModel, type EarlyStopping, type EarlyStoppingArgs, type Logs, type TrainParams } from '../callbacks/index.js';

export type { Logs };

/** TF.js's hooks object (`callbacks: { onEpochEnd: async (epoch, logs) => … }`). */
export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** Not called: Regula's fit yields to the event loop about every 20 ms by itself. */
  onYield?: (epoch: number, batch: number, logs: Logs) => void | Promise<void>;
}

/** The model a `tf.Callback` sees (the regula/tfjs model; set before training starts). */
export interface CallbackTarget {
  stopTraining: boolean;
}

/** Base class of TF.js-style callbacks: override the hooks; `this.model` is the model being trained. */
export class Callback<M extends CallbackTarget = CallbackTarget> {
  model: M | undefined;
  params: TrainParams | undefined;
  setModel(model: M): void {
    this.model = model;
  }
  setParams(params: TrainParams): void {
    this.params = params;
  }
  async onTrainBegin(_logs?: Logs): Promise<void> {}
  async onTrainEnd(_logs?: Logs): Promise<void> {}
  async onEpochBegin(_epoch: number, _logs?: Logs): Promise<void> {}
  async onEpochEnd(_epoch: number, _logs?: Logs): Promise<void> {}
  async onBatchBegin(_batch: number, _logs?: Logs): Promise<void> {}
  async onBatchEnd(_batch: number, _logs?: Logs): Promise<void> {}
}

/** A callback TF.js's fit takes in a list: a `tf.Callback` subclass, or one of `tf.callbacks.*`. */
export type BaseCallback = Callback | EarlyStopping | CoreCallback;

/** What `callbacks` may be in fit and fitDataset. */
export type CallbacksArg = BaseCallback[] | CustomCallbackArgs | CustomCallbackArgs[];

/** A `tf.Callback` as a Regula callback: sets its model to the regula/tfjs wrapper, forwards hooks. */
function adapt<M extends CallbackTarget>(cb: Callback<M>, wrapper: M): CoreCallback {
  return {
    setModel: (_m: CallbackModel, params: TrainParams) => {
      cb.setModel(wrapper);
      cb.setParams(params);
    },
    onTrainBegin: (logs) => cb.onTrainBegin(logs),
    onTrainEnd: (logs) => cb.onTrainEnd(logs),
    onEpochBegin: (e, logs) => cb.onEpochBegin(e, logs),
    onEpochEnd: (e, logs) => cb.onEpochEnd(e, logs),
    onBatchBegin: (b, logs) => cb.onBatchBegin(b, logs),
    onBatchEnd: (b, logs) => cb.onBatchEnd(b, logs),
  };
}

/** TF.js's callbacks argument as Regula callbacks. */
export function coreCallbacks<M extends CallbackTarget>(arg: CallbacksArg | undefined, wrapper: M): CoreCallback[] {
  if (arg === undefined) return [];
  const list: unknown[] = Array.isArray(arg) ? arg : [arg];
  return list.map((c, i) => {
    if (c instanceof Callback) return adapt(c as Callback<M>, wrapper);
    if (typeof c !== 'object' || c === null) throw new Error(`fit: callbacks[${i}] must be a callback or an object of hooks, got ${c === null ? 'null' : typeof c}`);
    const { onYield: _ignored, ...hooks } = c as CustomCallbackArgs & Record<string, unknown>;
    return Object.getPrototypeOf(c) === Object.prototype ? (hooks as CoreCallback) : (c as CoreCallback);
  });
}

/** TF.js's EarlyStopping arguments (Regula's add `startFromEpoch`, `warn`, `log`). */
export type EarlyStoppingCallbackArgs = EarlyStoppingArgs;

/** `tf.callbacks`: earlyStopping (Regula's other callbacks are in 'regula'). */
export const callbacks = {
  /** Stops when `monitor` (default 'val_loss') stops improving; `restoreBestWeights` works (TF.js lacks it). */
  earlyStopping: (args?: EarlyStoppingCallbackArgs): EarlyStopping => earlyStopping(args),
};
