/**
 * What an exact resume needs, gathered from a model and put back into one:
 *
 * - compile: optimizer config, loss config, metric names (to recompile on load);
 * - optimizer: iterations, learning rate and every slot (as float32 tensors);
 * - fit: the seed of the fit in progress and the epoch to resume from
 *   (fit's shuffling and step randomness depend only on (seed, epoch));
 * - rng: the state of every layer's own seeded stream (Dropout({seed}) …);
 * - callbacks: `getState()` of each stateful callback of that fit, by class.
 *
 * After `loadModel`, `model.resumeInfo` tells `fit` where to continue:
 * `model.fit(x, y, {epochs: 10, initialEpoch: info.initialEpoch, seed: info.seed})`
 * gives the same weights, bit for bit, as an uninterrupted run. A save made
 * after `fit` was aborted mid-epoch also records the next step of that epoch
 * (`info.initialStep`), which that `fit` skips to.
 * Browser-safe (no I/O).
 */
import type { Callback } from '../callbacks/callback.js';
import { getLoss } from '../losses.js';
import type { FitProgress } from '../models/fit.js';
import type { Sequential } from '../models/sequential.js';
import type { OptimizerState } from '../optimizers/optimizer.js';
import type { RngState } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { isRecord, ModelFormatError, show } from './keras-format.js';
import type { StateValue } from './training-state.js';

/** A saved callback state, matched on resume by class name and order. */
export interface CallbackStateEntry {
  className: string;
  state: Record<string, unknown>;
}

/** Where a loaded model's training left off (set on the model by loadModel). */
export interface ResumeInfo {
  /** The epoch to pass as `fit({initialEpoch})`. */
  initialEpoch: number;
  /** The seed the saved fit used; pass it again for an exact resume. */
  seed: number | undefined;
  /** Optimizer iterations at save time. */
  iterations: number;
  /**
   * Set when the save was made in the middle of epoch `initialEpoch` (an
   * aborted fit): the steps of that epoch already trained. `fit` with this
   * initialEpoch and the saved seed skips them (consuming it), so the run
   * continues exactly. Absent (0) for epoch-boundary saves and older files.
   */
  initialStep?: number;
}

/** A layer with its own seeded random stream (Dropout, GaussianNoise … given a seed). */
interface RngLayer {
  getRngState(): RngState | undefined;
  setRngState(s: RngState): void;
}

function hasRng(l: object): l is RngLayer {
  return typeof (l as Partial<RngLayer>).getRngState === 'function' && typeof (l as Partial<RngLayer>).setRngState === 'function';
}

/** The constructor name of a callback (the key its state is saved under). */
function callbackClass(c: Callback): string {
  return (c as object).constructor?.name ?? 'Callback';
}

/**
 * The model's training state, or undefined if it is not compiled. A loss
 * that cannot be saved (a user function) throws when `required` (the user
 * asked for includeOptimizer), else gives undefined (the default save of a
 * compiled model then holds no training state).
 */
export function collectTrainingState(model: Sequential, required = true): StateValue | undefined {
  const compiled = model.compiled;
  if (!compiled) return undefined;
  const opt = compiled.optimizer;
  const lossConfig = compiled.loss.getConfig();
  try {
    getLoss(lossConfig);
  } catch {
    if (!required) return undefined;
    throw new Error(`save: the loss '${compiled.loss.name}' is a user function and cannot be saved; save with {includeOptimizer: false}, or compile with a built-in loss`);
  }
  const st = opt.getState();
  const progress: FitProgress | undefined = model.fitProgress;
  const rng: Record<string, StateValue> = {};
  for (const l of model.layers) {
    if (!hasRng(l)) continue;
    const s = l.getRngState();
    if (s) rng[l.name] = { ...s };
  }
  const callbacks: StateValue[] = [];
  for (const c of progress?.callbacks ?? []) {
    if (typeof c.getState !== 'function') continue;
    callbacks.push({ className: callbackClass(c), state: c.getState() as StateValue });
  }
  return {
    compile: {
      optimizer: opt.getConfig() as unknown as StateValue,
      loss: lossConfig as unknown as StateValue,
      metrics: compiled.metricSpecs.map((m) => (typeof m === 'string' ? m : m.name)),
    },
    optimizer: {
      className: st.className,
      iterations: st.iterations,
      learningRate: st.learningRate,
      slots: st.slots.map((s) => ({ variable: s.variable, slot: s.slot, values: new Tensor(s.shape, 'float32', Float32Array.from(s.values)) })),
    },
    fit: progress ? fitPosition(progress) : null,
    rng,
    callbacks,
  };
}

/**
 * Where a resumed fit continues: the next epoch, or, saved in the middle of
 * an epoch (an aborted fit, a batch-frequency checkpoint), that epoch and its
 * next step (`nextStep`, absent when 0).
 */
function fitPosition(p: FitProgress): { [k: string]: StateValue } {
  if (p.epochDone) return { seed: p.seed, nextEpoch: p.epoch + 1 };
  return p.step > 0 ? { seed: p.seed, nextEpoch: p.epoch, nextStep: p.step } : { seed: p.seed, nextEpoch: p.epoch };
}

const fail = (file: string, what: string): never => {
  throw new ModelFormatError(file, what);
};

function num(v: unknown, path: string, file: string): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fail(file, `${path} must be a finite number, got ${show(v)}`);
}

function rec(v: unknown, path: string, file: string): Record<string, unknown> {
  return isRecord(v) ? v : fail(file, `${path} must be an object, got ${show(v)}`);
}

/**
 * Puts a decoded training state back: compiles the model as saved, restores
 * the optimizer (slots applied when it builds), the layers' own random
 * streams, and queues callback states for the next `fit`. Returns the
 * resume info (also set as `model.resumeInfo`).
 */
export function applyTrainingState(model: Sequential, state: StateValue, file: string): ResumeInfo {
  const s = rec(state, 'state', file);
  const compile = rec(s['compile'], 'state.compile', file);
  const metrics = Array.isArray(compile['metrics']) ? compile['metrics'].filter((m): m is string => typeof m === 'string') : [];
  try {
    model.compile({ optimizer: rec(compile['optimizer'], 'state.compile.optimizer', file) as never, loss: rec(compile['loss'], 'state.compile.loss', file) as never, metrics });
  } catch (e) {
    fail(file, `cannot recompile the saved model: ${(e as Error).message}`);
  }
  const o = rec(s['optimizer'], 'state.optimizer', file);
  const slots = Array.isArray(o['slots']) ? o['slots'] : fail(file, `state.optimizer.slots must be an array, got ${show(o['slots'])}`);
  const optState: OptimizerState = {
    className: typeof o['className'] === 'string' ? o['className'] : fail(file, 'state.optimizer.className must be a string'),
    iterations: num(o['iterations'], 'state.optimizer.iterations', file),
    learningRate: num(o['learningRate'], 'state.optimizer.learningRate', file),
    slots: slots.map((x, i) => {
      const r = rec(x, `state.optimizer.slots[${i}]`, file);
      const t = r['values'];
      if (!(t instanceof Tensor) || t.dtype !== 'float32') fail(file, `state.optimizer.slots[${i}].values must be a float32 tensor`);
      const v = t as Tensor;
      return { variable: String(r['variable']), slot: String(r['slot']), shape: [...v.shape], values: Array.from(v.data) };
    }),
  };
  try {
    model.optimizer!.setState(optState);
  } catch (e) {
    fail(file, (e as Error).message);
  }
  const rng = rec(s['rng'] ?? {}, 'state.rng', file);
  for (const [name, rs] of Object.entries(rng)) {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer || !hasRng(layer)) fail(file, `state.rng names layer '${name}', which has no seeded random stream in this model`);
    const r = rec(rs, `state.rng.${name}`, file);
    const keys = ['key0', 'key1', 'counter', 'splits', 'bufPos'] as const;
    const checked = Object.fromEntries(keys.map((k) => [k, num(r[k], `state.rng.${name}.${k}`, file)])) as unknown as RngState;
    (layer as unknown as RngLayer).setRngState(checked);
  }
  const cbs = Array.isArray(s['callbacks']) ? s['callbacks'] : [];
  model.resumedCallbackStates = cbs.map((c, i) => {
    const r = rec(c, `state.callbacks[${i}]`, file);
    return { className: String(r['className']), state: rec(r['state'], `state.callbacks[${i}].state`, file) };
  });
  const fit = s['fit'] === null || s['fit'] === undefined ? undefined : rec(s['fit'], 'state.fit', file);
  const info: ResumeInfo = {
    initialEpoch: fit ? num(fit['nextEpoch'], 'state.fit.nextEpoch', file) : 0,
    seed: fit ? num(fit['seed'], 'state.fit.seed', file) : undefined,
    iterations: optState.iterations,
  };
  if (fit && fit['nextStep'] !== undefined) {
    const step = num(fit['nextStep'], 'state.fit.nextStep', file);
    if (!Number.isInteger(step) || step < 0) fail(file, `state.fit.nextStep must be an integer ≥ 0, got ${show(step)}`);
    if (step > 0) info.initialStep = step;
  }
  model.resumeInfo = info;
  return info;
}

/**
 * Gives each stateful callback of a resumed fit the state saved for the
 * callback of the same class at the same position among its class.
 * States with no matching callback are dropped.
 */
export function restoreCallbackStates(callbacks: readonly Callback[], saved: readonly CallbackStateEntry[]): void {
  const queues = new Map<string, CallbackStateEntry[]>();
  for (const e of saved) {
    const q = queues.get(e.className) ?? [];
    q.push(e);
    queues.set(e.className, q);
  }
  for (const c of callbacks) {
    if (typeof c.setState !== 'function') continue;
    const e = queues.get(callbackClass(c))?.shift();
    if (e) c.setState(e.state);
  }
}
