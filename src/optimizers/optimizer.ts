/**
 * Optimizer base (Keras 3 order, docs/semantics.md §5). Each `applyGradients` step:
 * clip (clipnorm per variable | clipvalue | globalClipnorm) → decoupled weight
 * decay (w −= lr·wd·w, skipping excluded names) → `updateStep` (the subclass,
 * a fused in-place op from ops/updates.ts) → each variable's constraint →
 * `iterations += 1`.
 *
 * Slots (moments, accumulators) are persistent Variables created on the first
 * step; `getState`/`setState` move them as plain arrays for exact resume.
 * Subclasses implement only `slotNames`, `updateStep` and `optimizerConfig`.
 * Who may import this: models, callbacks, io. Never imports the backend.
 */
import type { SerializedObject } from '../layers/layer.js';
import { CONSTRAINT_EPSILON, MaxNorm } from '../constraints.js';
import { clip, maxNormInPlace, mul, scaleVariable, slotLike } from '../ops/index.js';
import { stepProfiler } from '../models/step-profile.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

export interface OptimizerArgs {
  learningRate?: number;
  /** Clip each gradient to this L2 norm (per variable). */
  clipnorm?: number;
  /** Clip gradient elements to [−clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Scale all gradients together so their global L2 norm is at most this. */
  globalClipnorm?: number;
  /** Decoupled weight decay: w −= lr·weightDecay·w before each update. */
  weightDecay?: number;
  name?: string;
}

/** One optimizer slot as plain numbers. */
export interface SlotState {
  variable: string;
  slot: string;
  shape: number[];
  values: number[];
}

/** Everything an exact resume needs (serialized by io). */
export interface OptimizerState {
  className: string;
  iterations: number;
  learningRate: number;
  slots: SlotState[];
}

function positive(v: number | undefined, what: string, who: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new Error(`${who}: ${what} must be a positive finite number, got ${v}`);
  return v;
}

export function checkRate(v: number, what: string, who: string): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new Error(`${who}: ${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

export abstract class Optimizer {
  /** Keras class name ('Adam'). */
  abstract readonly className: string;
  readonly name: string;
  /** Number of completed steps. */
  iterations = 0;
  readonly clipnorm: number | undefined;
  readonly clipvalue: number | undefined;
  readonly globalClipnorm: number | undefined;
  weightDecay: number | undefined;
  private lr: number;
  private readonly excludedNames: string[] = [];
  private readonly excludedVars = new Set<Variable>();
  private readonly slots = new Map<Variable, Record<string, Variable>>();
  private pending: OptimizerState | undefined;

  constructor(args: OptimizerArgs, defaults: { learningRate: number; name: string }) {
    this.name = args.name ?? defaults.name;
    this.lr = checkRate(args.learningRate ?? defaults.learningRate, 'learningRate', this.name);
    this.clipnorm = positive(args.clipnorm, 'clipnorm', this.name);
    this.clipvalue = positive(args.clipvalue, 'clipvalue', this.name);
    this.globalClipnorm = positive(args.globalClipnorm, 'globalClipnorm', this.name);
    const set = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== undefined).length;
    if (set > 1) throw new Error(`${this.name}: only one of clipnorm, clipvalue and globalClipnorm may be set, got ${set}`);
    if (args.weightDecay !== undefined && args.weightDecay !== null) this.weightDecay = checkRate(args.weightDecay, 'weightDecay', this.name);
  }

  get learningRate(): number {
    return this.lr;
  }
  /** Settable between steps (schedulers, ReduceLROnPlateau). */
  set learningRate(v: number) {
    this.lr = checkRate(v, 'learningRate', this.name);
  }

  /** Slot names created per variable, in a fixed order (e.g. ['m', 'v']). */
  protected abstract slotNames(): readonly string[];
  /** Initial value of a slot (Adagrad's accumulator starts at 0.1). */
  protected slotInit(_slot: string): number {
    return 0;
  }
  /** Updates `w` in place from (clipped, decayed) gradient `g`. `t` = iterations + 1. */
  protected abstract updateStep(w: Variable, g: Tensor, slots: Record<string, Variable>, lr: number, t: number): void;
  /** The subclass's own config keys (Keras snake_case). */
  protected abstract optimizerConfig(): Record<string, unknown>;

  /**
   * Exclude variables from weight decay: `varNames` are substrings of variable
   * names (Keras `exclude_from_weight_decay`), `variables` exact objects.
   */
  excludeFromWeightDecay(args: { varNames?: readonly string[]; variables?: readonly Variable[] }): void {
    this.excludedNames.push(...(args.varNames ?? []));
    for (const v of args.variables ?? []) this.excludedVars.add(v);
  }

  private decays(v: Variable): boolean {
    return !this.excludedVars.has(v) && !this.excludedNames.some((n) => v.name.includes(n));
  }

  /** Creates slots for `variables` (called by the first step; idempotent). */
  build(variables: readonly Variable[]): void {
    for (const v of variables) {
      if (this.slots.has(v)) continue;
      const s: Record<string, Variable> = {};
      for (const n of this.slotNames()) s[n] = slotLike(v, n, this.slotInit(n));
      this.slots.set(v, s);
    }
    if (this.pending) {
      const p = this.pending;
      this.pending = undefined;
      this.setState(p);
    }
  }

  private clipGradients(grads: readonly Tensor[]): Tensor[] {
    if (this.clipvalue !== undefined) return grads.map((g) => clip(g, -this.clipvalue!, this.clipvalue!));
    if (this.clipnorm !== undefined) {
      const c = this.clipnorm;
      return grads.map((g) => {
        const n = Math.sqrt(sumSquares(g));
        return n > c ? mul(g, c / n) : g;
      });
    }
    if (this.globalClipnorm !== undefined) {
      const c = this.globalClipnorm;
      const n = Math.sqrt(grads.reduce((s, g) => s + sumSquares(g), 0));
      // Keras: a non-finite global norm makes every gradient NaN.
      const scale = Number.isFinite(n) ? c / Math.max(n, c) : NaN;
      return scale === 1 ? [...grads] : grads.map((g) => mul(g, scale));
    }
    return [...grads];
  }

  /** One optimizer step for `variables` with `grads` (same order and shapes). */
  applyGradients(grads: readonly Tensor[], variables: readonly Variable[]): void {
    if (grads.length !== variables.length) throw new Error(`${this.name}.applyGradients: ${grads.length} gradients for ${variables.length} variables`);
    grads.forEach((g, i) => {
      const v = variables[i]!;
      if (!shapesEqual(g.shape, v.shape)) throw new Error(`${this.name}.applyGradients: gradient ${fmt(g.shape)} does not match variable '${v.name}' ${fmt(v.shape)}`);
    });
    this.build(variables);
    const clipped = this.clipGradients(grads);
    const lr = this.lr;
    const t = this.iterations + 1;
    variables.forEach((v, i) => {
      if (this.weightDecay && this.decays(v)) scaleVariable(v, 1 - lr * this.weightDecay);
      this.updateStep(v, clipped[i]!, this.slots.get(v)!, lr, t);
    });
    const prof = stepProfiler;
    prof?.enter('constraints');
    for (const v of variables) if (v.constraint) applyConstraint(v);
    prof?.leave();
    this.iterations++;
  }

  /** Slots, iterations and learning rate as plain data. */
  getState(): OptimizerState {
    const slots: SlotState[] = [];
    for (const [v, s] of this.slots) {
      for (const n of this.slotNames()) slots.push({ variable: v.name, slot: n, shape: [...v.shape], values: Array.from(s[n]!.data) });
    }
    return { className: this.className, iterations: this.iterations, learningRate: this.lr, slots };
  }

  /**
   * Restores `getState()` output. Slots are matched by variable and slot name;
   * if the optimizer has not run yet they are applied when it builds.
   */
  setState(state: OptimizerState): void {
    if (state.className !== this.className) throw new Error(`${this.name}.setState: state is for ${state.className}, not ${this.className}`);
    if (!Number.isInteger(state.iterations) || state.iterations < 0) throw new Error(`${this.name}.setState: iterations must be an integer ≥ 0, got ${state.iterations}`);
    this.iterations = state.iterations;
    this.learningRate = state.learningRate;
    if (this.slots.size === 0 && state.slots.length > 0) {
      this.pending = state;
      return;
    }
    const byName = new Map<string, Record<string, Variable>>();
    for (const [v, s] of this.slots) byName.set(v.name, s);
    for (const s of state.slots) {
      const slot = byName.get(s.variable)?.[s.slot];
      if (!slot) throw new Error(`${this.name}.setState: no slot '${s.slot}' for variable '${s.variable}'; known variables: ${[...byName.keys()].join(', ')}`);
      if (!shapesEqual(slot.shape, s.shape)) throw new Error(`${this.name}.setState: slot '${s.variable}/${s.slot}' has shape ${fmt(slot.shape)}, state has ${fmt(s.shape)}`);
      slot.assignValues(s.values);
    }
  }

  /** Keras config: {class_name, config: {name, learning_rate, …}}. */
  getConfig(): SerializedObject {
    const c: Record<string, unknown> = { name: this.name, learning_rate: this.lr, weight_decay: this.weightDecay ?? null };
    c['clipnorm'] = this.clipnorm ?? null;
    c['global_clipnorm'] = this.globalClipnorm ?? null;
    c['clipvalue'] = this.clipvalue ?? null;
    return { class_name: this.className, config: { ...c, ...this.optimizerConfig() } };
  }
}

/**
 * A variable's constraint after its update. MaxNorm over the rows of a 2-D
 * kernel (Dense, the default axis 0) runs as one fused in-place kernel with
 * the same bits as its ops; every other constraint runs its ops and is
 * assigned.
 */
function applyConstraint(v: Variable): void {
  const c = v.constraint!;
  if (c instanceof MaxNorm && v.rank === 2 && (c.axis === 0 || c.axis === -2 || (Array.isArray(c.axis) && c.axis.length === 1 && (c.axis[0] === 0 || c.axis[0] === -2)))) {
    maxNormInPlace(v, v.shape[0]!, v.shape[1]!, c.maxValue, CONSTRAINT_EPSILON);
    return;
  }
  v.assign(c.apply(v));
}

/** Σ g² in float64 (read from the tensor; no op needed). */
function sumSquares(g: Tensor): number {
  let s = 0;
  const d = g.data;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return s;
}

/** Common base-option parsing from a Keras config (snake_case). */
export function baseArgsFromConfig(c: Record<string, unknown>): OptimizerArgs {
  const num = (k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
  const a: OptimizerArgs = {};
  const set = <K extends keyof OptimizerArgs>(k: K, v: OptimizerArgs[K] | undefined): void => {
    if (v !== undefined) a[k] = v;
  };
  set('learningRate', num('learning_rate'));
  set('clipnorm', num('clipnorm'));
  set('clipvalue', num('clipvalue'));
  set('globalClipnorm', num('global_clipnorm'));
  set('weightDecay', num('weight_decay'));
  if (typeof c['name'] === 'string') a.name = c['name'];
  return a;
}
