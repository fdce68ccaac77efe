/**
 * Pruners: after each epoch a trial reports its objective; the pruner says
 * whether to stop it.
 *
 * - `asha` — Asynchronous Successive Halving (Li, Jamieson, Rostamizadeh,
 *   Gonina, Ben-tzur, Hardt, Recht & Talwalkar, "A System for Massively
 *   Parallel Hyperparameter Tuning", MLSys 2020). Rungs sit at epochs
 *   r·η^(s+k) (r = `minResource`, η = `reductionFactor`, s = the minimum
 *   early-stopping rate, k = 0, 1, …). A trial reaching a rung is compared
 *   with every value recorded at that rung so far, by any trial (itself
 *   included): it goes on when it is in the top ⌊n/η⌋ (at least the single
 *   best), else it is pruned. Asynchronous: nobody waits for a rung to fill,
 *   so decisions depend on which trials reached the rung first (as in
 *   Optuna's SuccessiveHalvingPruner).
 * - `hyperband` — Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar,
 *   "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
 *   Optimization", JMLR 18, 2018) over epochs: brackets s = 0 … s_max,
 *   s_max = ⌊log_η(R/r)⌋, each an ASHA with minimum early-stopping rate
 *   s_max − s (first rung at R·η^−s); trials go to brackets in proportion to
 *   Hyperband's bracket sizes ⌈(s_max+1)/(s+1)·η^s⌉, by a fixed hash of the
 *   trial's fresh index, and
 *   compete only within their bracket.
 * - `none` — never prunes.
 */
import type { TrialRecord } from './journal.js';
import type { Direction } from './samplers.js';

export interface Pruner {
  readonly name: string;
  /** Should `trial`, which just reported `step` (epoch, 1-based), stop? `trials`: the whole study. */
  shouldPrune(trial: TrialRecord, step: number, trials: readonly TrialRecord[], direction: Direction): boolean;
}

export class NopPruner implements Pruner {
  readonly name = 'none';
  shouldPrune(): boolean {
    return false;
  }
}

/** Options of ASHA. */
export interface AshaOptions {
  /** Epochs of the first rung (default 1). */
  minResource?: number;
  /** η (default 3). */
  reductionFactor?: number;
  /** s: the first rung is at r·η^s (default 0). */
  minEarlyStoppingRate?: number;
}

/** The rung whose resource is exactly `step`, or -1. */
export function rungAt(step: number, minResource: number, eta: number, s: number): number {
  let r = minResource * eta ** s;
  for (let k = 0; r <= step; k++, r *= eta) if (r === step) return k;
  return -1;
}

/** Optuna's promotion rule: in the top ⌊n/η⌋ of the values at the rung (at least the best). */
export function promotable(value: number, competing: readonly number[], eta: number, direction: Direction): boolean {
  const sorted = competing.slice().sort((a, b) => a - b);
  const idx = Math.max(0, Math.floor(sorted.length / eta) - 1);
  return direction === 'maximize' ? value >= sorted[sorted.length - 1 - idx]! : value <= sorted[idx]!;
}

export class AshaPruner implements Pruner {
  readonly name: string = 'asha';
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  constructor(o: AshaOptions = {}) {
    this.minResource = o.minResource ?? 1;
    this.reductionFactor = o.reductionFactor ?? 3;
    this.minEarlyStoppingRate = o.minEarlyStoppingRate ?? 0;
    if (!(Number.isInteger(this.minResource) && this.minResource >= 1)) throw new Error(`AshaPruner: minResource must be an integer ≥ 1, got ${this.minResource}`);
    if (!(this.reductionFactor >= 2)) throw new Error(`AshaPruner: reductionFactor must be ≥ 2, got ${this.reductionFactor}`);
  }

  /** Trials that compete with `trial` (all of them for plain ASHA). */
  protected peers(_trial: TrialRecord, trials: readonly TrialRecord[]): readonly TrialRecord[] {
    return trials;
  }
  protected rate(_trial: TrialRecord): number {
    return this.minEarlyStoppingRate;
  }

  shouldPrune(trial: TrialRecord, step: number, trials: readonly TrialRecord[], direction: Direction): boolean {
    const rung = rungAt(step, this.minResource, this.reductionFactor, this.rate(trial));
    if (rung < 0) return false;
    const value = trial.intermediate.get(step);
    if (value === undefined || !Number.isFinite(value)) return true;
    const competing: number[] = [];
    // Failed trials do not compete: a re-queued one runs again and reports anew.
    for (const t of this.peers(trial, trials)) {
      if (t.state === 'failed') continue;
      const v = t.intermediate.get(step);
      if (v !== undefined && Number.isFinite(v)) competing.push(v);
    }
    if (!trial.intermediate.has(step)) competing.push(value);
    return !promotable(value, competing, this.reductionFactor, direction);
  }
}

/**
 * Hyperband's bracket sizes for max resource R, min resource r, η, indexed
 * by the bracket's minimum early-stopping rate (its first rung at r·η^rate):
 * Li et al.'s bracket s = s_max − rate starts n_s = ⌈(s_max+1)·η^s/(s+1)⌉
 * configurations at resource R·η^−s.
 */
export function hyperbandBrackets(maxResource: number, minResource: number, eta: number): number[] {
  const sMax = Math.max(0, Math.floor(Math.log(maxResource / minResource) / Math.log(eta) + 1e-9));
  return Array.from({ length: sMax + 1 }, (_, rate) => {
    const s = sMax - rate;
    return Math.ceil(((sMax + 1) / (s + 1)) * eta ** s);
  });
}

/** A 32-bit integer hash (murmur3's finalizer). */
function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class HyperbandPruner extends AshaPruner {
  override readonly name = 'hyperband';
  readonly brackets: number[];
  constructor(o: { minResource?: number; maxResource: number; reductionFactor?: number; seed?: number }) {
    super({ minResource: o.minResource ?? 1, reductionFactor: o.reductionFactor ?? 3 });
    this.brackets = hyperbandBrackets(o.maxResource, this.minResource, this.reductionFactor);
    this.seed = o.seed ?? 0;
  }
  private readonly seed: number;

  /** The bracket of a trial (its minimum early-stopping rate). */
  bracketOf(trial: TrialRecord): number {
    const total = this.brackets.reduce((a, b) => a + b, 0);
    let u = mix(trial.freshIndex * 0x9e3779b1 + this.seed) % total;
    for (let s = 0; s < this.brackets.length; s++) {
      if (u < this.brackets[s]!) return s;
      u -= this.brackets[s]!;
    }
    return this.brackets.length - 1;
  }
  protected override peers(trial: TrialRecord, trials: readonly TrialRecord[]): readonly TrialRecord[] {
    const b = this.bracketOf(trial);
    return trials.filter((t) => this.bracketOf(t) === b);
  }
  protected override rate(trial: TrialRecord): number {
    return this.bracketOf(trial);
  }
}

export type PrunerName = 'none' | 'asha' | 'hyperband';
export const PRUNER_NAMES: readonly PrunerName[] = ['none', 'asha', 'hyperband'];

/** A pruner by name. */
export function makePruner(name: PrunerName, o: { epochs: number; minResource?: number; reductionFactor?: number; seed?: number }): Pruner {
  if (name === 'none') return new NopPruner();
  const base = { ...(o.minResource !== undefined ? { minResource: o.minResource } : {}), ...(o.reductionFactor !== undefined ? { reductionFactor: o.reductionFactor } : {}) };
  if (name === 'asha') return new AshaPruner(base);
  return new HyperbandPruner({ ...base, maxResource: o.epochs, ...(o.seed !== undefined ? { seed: o.seed } : {}) });
}
