/**
 * ReduceLROnPlateau (Keras 3, docs/semantics.md §4.3): multiply the learning rate by
 * `factor` after `patience` epochs without improvement (absolute `minDelta`,
 * default 1e-4), then wait `cooldown` epochs; never below `minLr`. Each epoch
 * end also writes the learning rate in effect during that epoch to
 * `logs.learning_rate`, so History records it.
 *
 * Auto mode uses the shared Monitor rule (loss ⇒ min, else the compiled
 * metric's direction); Keras 3's own class still looks for "acc" in the name.
 */
import type { Callback, CallbackModel, Logs, TrainParams } from './callback.js';
import { Monitor, type MonitorMode, type WarnFn } from './monitor.js';

export interface ReduceLROnPlateauArgs {
  /** Default 'val_loss'. */
  monitor?: string;
  /** New lr = lr · factor; must be < 1 (default 0.1). */
  factor?: number;
  /** Default 10. */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Absolute improvement threshold (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
  warn?: WarnFn;
  log?: (message: string) => void;
}

function nonNegInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`ReduceLROnPlateau: ${name} must be an integer >= 0, got ${JSON.stringify(v)}`);
  return v;
}

/** @example callbacks.reduceLROnPlateau({ factor: 0.5, patience: 3, minLr: 1e-5 }) */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: Monitor;
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: 0 | 1;
  wait = 0;
  cooldownCounter = 0;
  best: number | undefined;
  private model: CallbackModel | undefined;
  private readonly log: (m: string) => void;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    const known = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr', 'warn', 'log'];
    for (const k of Object.keys(args)) if (!known.includes(k)) throw new Error(`ReduceLROnPlateau: unknown option '${k}'; known options: ${known.join(', ')}`);
    const factor = args.factor ?? 0.1;
    if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
      throw new Error(`ReduceLROnPlateau: factor must be in [0, 1) (ReduceLROnPlateau does not support a factor >= 1), got ${JSON.stringify(factor)}`);
    }
    this.factor = factor;
    this.monitor = new Monitor({ monitor: args.monitor ?? 'val_loss', mode: args.mode ?? 'auto', minDelta: args.minDelta ?? 1e-4, owner: 'ReduceLROnPlateau', ...(args.warn ? { warn: args.warn } : {}) });
    this.patience = nonNegInt(args.patience ?? 10, 'patience');
    this.cooldown = nonNegInt(args.cooldown ?? 0, 'cooldown');
    const minLr = args.minLr ?? 0;
    if (typeof minLr !== 'number' || !(minLr >= 0) || !Number.isFinite(minLr)) throw new Error(`ReduceLROnPlateau: minLr must be a finite number >= 0, got ${JSON.stringify(minLr)}`);
    this.minLr = minLr;
    this.verbose = args.verbose ?? 0;
    this.log = args.log ?? ((m) => console.log(m));
  }

  setModel(model: CallbackModel, _params: TrainParams): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = undefined;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const model = this.model;
    if (!model) throw new Error('ReduceLROnPlateau: no model attached (fit calls setModel)');
    logs['learning_rate'] = model.getLearningRate();
    const current = this.monitor.value(logs);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.monitor.isImprovement(current, this.best, model)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = model.getLearningRate();
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          model.setLearningRate(newLr);
          if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Factory: `callbacks.reduceLROnPlateau({ patience: 5 })`. */
export function reduceLROnPlateau(args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(args);
}
