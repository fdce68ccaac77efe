/**
 * TerminateOnNaN (Keras 3, docs/semantics.md §4.5): after every training batch, if the
 * running loss is NaN or ±Infinity, stop training (the epoch's batch loop
 * ends; validation and onEpochEnd still run) — or throw when `raiseError`.
 * Without this callback a NaN loss does not stop training (ARCHITECTURE 8).
 */
import type { Callback, CallbackModel, Logs, TrainParams } from './callback.js';

export interface TerminateOnNaNArgs {
  /** Throw instead of stopping (default false). */
  raiseError?: boolean;
  log?: (message: string) => void;
}

/** @example callbacks.terminateOnNaN() */
export class TerminateOnNaN implements Callback {
  readonly raiseError: boolean;
  /** The batch at which training was terminated, if it was. */
  terminatedAtBatch: number | undefined;
  private model: CallbackModel | undefined;
  private readonly log: (m: string) => void;

  constructor(args: TerminateOnNaNArgs = {}) {
    this.raiseError = args.raiseError ?? false;
    this.log = args.log ?? ((m) => console.log(m));
  }

  setModel(model: CallbackModel, _params: TrainParams): void {
    this.model = model;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs['loss'];
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) throw new Error(`TerminateOnNaN: loss is ${loss} at batch ${batch}`);
    this.terminatedAtBatch = batch;
    this.log(`Batch ${batch}: Invalid loss, terminating training`);
    if (this.model) this.model.stopTraining = true;
  }
}

/** Factory: `callbacks.terminateOnNaN()`. */
export function terminateOnNaN(args: TerminateOnNaNArgs = {}): TerminateOnNaN {
  return new TerminateOnNaN(args);
}
