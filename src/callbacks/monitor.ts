/**
 * Monitor: the logic EarlyStopping, ModelCheckpoint and ReduceLROnPlateau
 * share (Keras 3 `MonitorCallback`, docs/semantics.md §4) — a helper value, not a base class.
 *
 * - mode 'min' | 'max' | 'auto'; an unknown mode warns and becomes 'auto'.
 *   auto: strip `val_`; `loss` ⇒ min; else the compiled metric's direction
 *   (`model.metricDirection`); undeterminable ⇒ an error telling you to pass
 *   `mode` (Keras 3; Keras 2 guessed min, Keras 1 and TF.js looked for "acc").
 * - `minDelta` is stored as δ = |minDelta|. Improvement ⇔ `current + δ < best`
 *   (min) or `current − δ > best` (max), strictly; no best yet ⇒ always an
 *   improvement.
 * - A monitored key missing from the logs warns once per Monitor and is skipped.
 */
import type { CallbackModel, Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Where callback warnings go (default `console.warn`); tests and UIs may replace it. */
export type WarnFn = (message: string) => void;

export interface MonitorArgs {
  /** Log key, e.g. 'val_loss', 'val_accuracy'. */
  monitor: string;
  mode?: MonitorMode | string;
  /** Smallest change that counts as an improvement (absolute; sign ignored). */
  minDelta?: number;
  /** Who is monitoring, for messages ('EarlyStopping'). */
  owner: string;
  warn?: WarnFn;
}

const defaultWarn: WarnFn = (m) => console.warn(m);

export class Monitor {
  readonly monitor: string;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly owner: string;
  private readonly warn: WarnFn;
  private direction: 'min' | 'max' | undefined;
  private warnedMissing = false;

  constructor(args: MonitorArgs) {
    if (typeof args.monitor !== 'string' || args.monitor === '') {
      throw new Error(`${args.owner}: monitor must be a non-empty log key like 'val_loss', got ${JSON.stringify(args.monitor)}`);
    }
    this.owner = args.owner;
    this.monitor = args.monitor;
    this.warn = args.warn ?? defaultWarn;
    const delta = args.minDelta ?? 0;
    if (typeof delta !== 'number' || !Number.isFinite(delta)) throw new Error(`${args.owner}: minDelta must be a finite number, got ${JSON.stringify(delta)}`);
    this.minDelta = Math.abs(delta);
    const mode = args.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
      this.warn(`${args.owner}: mode '${mode}' is unknown, falling back to 'auto'`);
      this.mode = 'auto';
    } else this.mode = mode;
    if (this.mode !== 'auto') this.direction = this.mode;
  }

  /**
   * The direction of improvement, resolved once (auto mode asks the model).
   * @throws when auto mode cannot tell (pass mode 'min' or 'max').
   */
  resolve(model: CallbackModel | undefined): 'min' | 'max' {
    if (this.direction) return this.direction;
    const bare = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
    const dir = bare === 'loss' ? 'min' : (model?.metricDirection(this.monitor) ?? model?.metricDirection(bare));
    if (!dir) {
      throw new Error(
        `${this.owner}: monitor='${this.monitor}', but whether it should be minimized or maximized cannot be determined automatically; pass mode: 'max' or mode: 'min'`,
      );
    }
    this.direction = dir;
    return dir;
  }

  /** The resolved direction, if known yet. */
  get resolvedDirection(): 'min' | 'max' | undefined {
    return this.direction;
  }

  /**
   * The monitored value in `logs`, or undefined (warning once) when it is
   * absent. Monitoring 'acc' / 'val_acc' when the logs say 'accuracy' (or
   * the reverse) is an error naming the key to use: TF.js logs accuracy as
   * 'acc', Keras 3 and Regula under the name given to compile.
   */
  value(logs: Logs | undefined): number | undefined {
    const v = logs?.[this.monitor];
    const alias = v === undefined ? accuracyAlias(this.monitor) : undefined;
    if (alias !== undefined && logs?.[alias] !== undefined) {
      throw new Error(`${this.owner}: monitor '${this.monitor}' is not in the logs, which have '${alias}' (Regula logs a metric under the name given to compile, as Keras 3 does; TF.js logs accuracy as 'acc'); use monitor: '${alias}'`);
    }
    if (v === undefined) {
      if (!this.warnedMissing) {
        this.warnedMissing = true;
        const keys = Object.keys(logs ?? {});
        this.warn(`${this.owner}: conditioned on metric '${this.monitor}', which is not available; available metrics are: ${keys.length ? keys.join(', ') : '(none)'}`);
      }
      return undefined;
    }
    return v;
  }

  /** True if `current` improves on `reference` by more than minDelta (strictly); no reference ⇒ true. */
  isImprovement(current: number, reference: number | undefined, model?: CallbackModel): boolean {
    if (reference === undefined) return true;
    return this.resolve(model) === 'min' ? current + this.minDelta < reference : current - this.minDelta > reference;
  }

  /** Passes a message to the warning sink. */
  say(message: string): void {
    this.warn(message);
  }
}

/** 'val_acc' ↔ 'val_accuracy', 'out_acc' ↔ 'out_accuracy'; undefined for other keys. */
function accuracyAlias(key: string): string | undefined {
  if (/(^|_)acc$/.test(key)) return `${key}uracy`;
  if (/(^|_)accuracy$/.test(key)) return key.slice(0, -'uracy'.length);
  return undefined;
}
