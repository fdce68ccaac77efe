/**
 * History: records every epoch's logs (Keras `History`, docs/semantics.md §4.7), plus a
 * Regula extra, `bestEpoch(monitor, mode)`, naming the best epoch and its logs.
 * `fit` always adds one (after the user's callbacks) and returns it.
 */
import type { Callback, CallbackModel, Logs, TrainParams } from './callback.js';

export interface BestEpoch {
  /** 0-based epoch index (as in `history.epoch`). */
  epoch: number;
  /** The monitored value at that epoch. */
  value: number;
  /** Every logged value of that epoch. */
  logs: Logs;
}

export class History implements Callback {
  /** Log key → one value per epoch ('loss', 'val_loss', 'accuracy', …). */
  readonly history: Record<string, number[]> = {};
  /** The 0-based epochs recorded (they start at `initialEpoch`). */
  epoch: number[] = [];
  params: TrainParams | undefined;
  private model: CallbackModel | undefined;

  setModel(model: CallbackModel, params: TrainParams): void {
    this.model = model;
    this.params = params;
  }

  onTrainBegin(): void {
    this.epoch = [];
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /**
   * The best epoch for `monitor` (default 'val_loss'). mode 'auto' asks the
   * model for the metric's direction ('loss' → min, accuracy/auc → max) and
   * otherwise uses min unless the name contains 'acc' or 'auc'. Ties keep the
   * earliest epoch; NaN values never win.
   */
  bestEpoch(monitor = 'val_loss', mode: 'auto' | 'min' | 'max' = 'auto'): BestEpoch {
    const values = this.history[monitor];
    if (!values || values.length === 0) {
      throw new Error(`History.bestEpoch: no values for '${monitor}'; recorded keys: ${Object.keys(this.history).join(', ') || '(none)'}`);
    }
    const dir = mode !== 'auto' ? mode : (this.model?.metricDirection(monitor) ?? (/acc|auc/.test(monitor) ? 'max' : 'min'));
    let best = -1;
    values.forEach((v, i) => {
      if (Number.isNaN(v)) return;
      if (best < 0 || (dir === 'min' ? v < values[best]! : v > values[best]!)) best = i;
    });
    if (best < 0) throw new Error(`History.bestEpoch: every value of '${monitor}' is NaN`);
    const logs: Logs = {};
    for (const [k, v] of Object.entries(this.history)) if (v[best] !== undefined) logs[k] = v[best]!;
    return { epoch: this.epoch[best] ?? best, value: values[best]!, logs };
  }
}

/** `callbacks.history()` — usually not needed: fit returns one. */
export function history(): History {
  return new History();
}
