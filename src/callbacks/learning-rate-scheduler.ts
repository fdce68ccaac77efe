/**
 * LearningRateScheduler (Keras 3, docs/semantics.md §4.4): at each epoch begin, sets the
 * learning rate to `schedule(epoch, currentLr)` (epoch 0-based); at each
 * epoch end writes it to `logs.learning_rate`.
 */
import type { Callback, CallbackModel, Logs, TrainParams } from './callback.js';

/** `(epoch, lr) => newLr`; a one-argument `(epoch) => lr` works too. */
export type Schedule = (epoch: number, lr: number) => number;

export interface LearningRateSchedulerArgs {
  schedule: Schedule;
  verbose?: 0 | 1;
  log?: (message: string) => void;
}

/**
 * @example
 * callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler implements Callback {
  readonly schedule: Schedule;
  readonly verbose: 0 | 1;
  private model: CallbackModel | undefined;
  private readonly log: (m: string) => void;

  constructor(args: LearningRateSchedulerArgs | Schedule) {
    const a: LearningRateSchedulerArgs = typeof args === 'function' ? { schedule: args } : args;
    if (typeof a !== 'object' || a === null || typeof a.schedule !== 'function') {
      throw new Error(`LearningRateScheduler: schedule must be a function (epoch, lr) => lr, got ${typeof a?.schedule}`);
    }
    this.schedule = a.schedule;
    this.verbose = a.verbose ?? 0;
    this.log = a.log ?? ((m) => console.log(m));
  }

  setModel(model: CallbackModel, _params: TrainParams): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    const model = this.model;
    if (!model) throw new Error('LearningRateScheduler: no model attached (fit calls setModel)');
    const lr = this.schedule(epoch, model.getLearningRate());
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new Error(`LearningRateScheduler: the schedule must return a finite number >= 0, got ${JSON.stringify(lr)} at epoch ${epoch}`);
    }
    model.setLearningRate(lr);
    if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.model) logs['learning_rate'] = this.model.getLearningRate();
  }
}

/** Factory: `callbacks.learningRateScheduler((epoch, lr) => lr * 0.95)`. */
export function learningRateScheduler(args: LearningRateSchedulerArgs | Schedule): LearningRateScheduler {
  return new LearningRateScheduler(args);
}
