/**
 * Training state has one owner: this file. `TrainingState` is everything an
 * exact resume needs, as one typed value:
 *
 * - compile: optimizer config, loss config(s), metric names and loss weights
 *   (to recompile on load; one entry per output for a model with several);
 * - optimizer: iterations, learning rate and every slot;
 * - fit: the seed of the fit in progress, the epoch to resume from and, when
 *   saved mid-epoch (an aborted fit, a batch-frequency checkpoint), the next
 *   step of that epoch (fit's shuffling and step randomness depend only on
 *   (seed, epoch), and step s always gets split s);
 * - rng: the state of every layer's own seeded stream (Dropout({seed}) …);
 * - callbacks: `getState()` of each stateful callback of that fit, by its
 *   stable `stateKey` (callbacks/callback-state.ts).
 *
 * Each model holds one `TrainingRun`: `fit` writes where it is
 * (`progress`) and reads where a loaded state left off (`resumeInfo`,
 * callback states); `captureTrainingState` / `restoreTrainingState` move the
 * whole value in and out of a model. io/ only encodes and decodes it
 * (training-state-codec.ts turns it into io's plain `StateValue`), and never
 * imports models/. Browser-safe.
 */
import type { Callback } from '../callbacks/callback.js';
import { collectCallbackStates, restoreCallbackStates, type CallbackStateEntry } from '../callbacks/callback-state.js';
import type { Layer } from '../layers/layer.js';
import { getLoss } from '../losses.js';
import type { OptimizerState } from '../optimizers/optimizer.js';
import type { RngState } from '../random.js';
import type { Compiled, CompileArgs, Head } from './compile.js';

/** Everything an exact resume needs (see the file header). */
export interface TrainingState {
  compile: CompileState;
  optimizer: OptimizerState;
  /** Where fit continues: its seed, the epoch, and the next step of that epoch (0: its start). Undefined when no fit ran. */
  fit: { seed: number; epoch: number; step: number } | undefined;
  /** The own random stream of each seeded layer, by layer name. */
  rng: Record<string, RngState>;
  /** States of the stateful callbacks of the fit, in order. */
  callbacks: CallbackStateEntry[];
}

/**
 * The compile spec as saved: a single-output model (and every file written
 * before models had several outputs) has one loss config and one metric
 * list; a model with several outputs has one loss config, one metric list
 * and one loss weight per output, in output order.
 */
export interface CompileState {
  optimizer: Record<string, unknown>;
  loss: Record<string, unknown> | Record<string, unknown>[];
  metrics: string[] | string[][];
  /** Several outputs only: each output's weight in the total loss. */
  lossWeights?: number[];
}

/**
 * What fit records while it trains, so a save during or after fit captures
 * an exact-resume training state.
 */
export interface FitProgress {
  /** The seed this fit uses (given or drawn). */
  readonly seed: number;
  /** Epoch in progress (0-based). */
  epoch: number;
  /** True once the epoch's training and validation are done (set before onEpochEnd). */
  epochDone: boolean;
  /** Steps of `epoch` done so far (the next step to run): a save mid-epoch resumes there. */
  step: number;
  /** The user's callbacks (their `getState` goes into the training state). */
  readonly callbacks: readonly Callback[];
}

/** Where a loaded model's training left off (`model.resumeInfo`, read-only). */
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

/**
 * A model's training run: the fit in progress and the state a load restored.
 * The only place a training position lives; `fit` reads and writes it.
 */
export class TrainingRun {
  private current: FitProgress | undefined;
  private resume: ResumeInfo | undefined;
  private pendingCallbacks: readonly CallbackStateEntry[] | undefined;

  /** The fit in progress, or the last one (read-only). */
  get progress(): Readonly<FitProgress> | undefined {
    return this.current;
  }

  /** Where a loaded training state left off (read-only copy; undefined when none was loaded). */
  get resumeInfo(): Readonly<ResumeInfo> | undefined {
    return this.resume && { ...this.resume };
  }

  /**
   * The seed of a fit starting at `initialEpoch`: the given one, else the
   * loaded run's seed when it resumes at the loaded epoch, else `draw()`.
   */
  seedFor(initialEpoch: number, given: number | undefined, draw: () => number): number {
    const r = this.resume;
    return given ?? (r?.seed !== undefined && r.initialEpoch === initialEpoch ? r.seed : draw());
  }

  /**
   * Starts a fit: a run resumed at its saved epoch with its saved seed skips
   * the steps done before a mid-epoch save (consumed by the first fit, match
   * or not); loaded callback states go to `callbacks`. Returns the progress
   * record fit updates.
   */
  begin(seed: number, initialEpoch: number, callbacks: readonly Callback[]): FitProgress {
    const r = this.resume;
    const skip = r?.initialStep !== undefined && r.initialEpoch === initialEpoch && seed === r.seed ? r.initialStep : 0;
    if (r?.initialStep !== undefined) delete r.initialStep;
    this.current = { seed, epoch: initialEpoch, epochDone: false, step: skip, callbacks };
    if (this.pendingCallbacks) {
      restoreCallbackStates(callbacks, this.pendingCallbacks);
      this.pendingCallbacks = undefined;
    }
    return this.current;
  }

  /** Records a restored state: where the next fit continues and its callback states. */
  loaded(state: TrainingState): ResumeInfo {
    const f = state.fit;
    const info: ResumeInfo = { initialEpoch: f ? f.epoch : 0, seed: f ? f.seed : undefined, iterations: state.optimizer.iterations };
    if (f && f.step > 0) info.initialStep = f.step;
    this.resume = info;
    this.pendingCallbacks = state.callbacks;
    return { ...info };
  }
}

/** What capture and restore need of a model. */
export interface TrainingModel {
  readonly layers: readonly Layer[];
  readonly compiled: Compiled | undefined;
  compile(args: CompileArgs): void;
  readonly training: TrainingRun;
}

/** Where a resumed fit continues, from the progress of the fit that was saved. */
function fitPosition(p: Readonly<FitProgress>): TrainingState['fit'] {
  return p.epochDone ? { seed: p.seed, epoch: p.epoch + 1, step: 0 } : { seed: p.seed, epoch: p.epoch, step: p.step };
}

/**
 * The model's training state, or undefined if it is not compiled. A loss
 * that cannot be saved (a user function) throws when `required` (the user
 * asked for includeOptimizer), else gives undefined (the default save of a
 * compiled model then holds no training state).
 */
export function captureTrainingState(model: TrainingModel, required = true): TrainingState | undefined {
  const compiled = model.compiled;
  if (!compiled) return undefined;
  const opt = compiled.optimizer;
  const losses: Record<string, unknown>[] = [];
  for (const h of compiled.heads) {
    const lossConfig = h.loss.getConfig();
    try {
      getLoss(lossConfig);
    } catch {
      if (!required) return undefined;
      throw new Error(`save: the loss '${h.loss.name}'${compiled.heads.length > 1 ? ` of output '${h.output}'` : ''} is a user function and cannot be saved; save with {includeOptimizer: false}, or compile with a built-in loss`);
    }
    losses.push(lossConfig as unknown as Record<string, unknown>);
  }
  const names = (h: Head): string[] => h.metricSpecs.map((m) => (typeof m === 'string' ? m : m.name));
  const heads = compiled.heads;
  const compile: CompileState =
    heads.length === 1
      ? { optimizer: opt.getConfig() as unknown as Record<string, unknown>, loss: losses[0]!, metrics: names(heads[0]!) }
      : { optimizer: opt.getConfig() as unknown as Record<string, unknown>, loss: losses, metrics: heads.map(names), lossWeights: heads.map((h) => h.weight) };
  const rng: Record<string, RngState> = {};
  for (const [key, l] of seededLayers(model.layers)) {
    const s = l.getRngState();
    if (s) rng[key] = { ...s };
  }
  const progress = model.training.progress;
  return {
    compile,
    optimizer: opt.getState(),
    fit: progress ? fitPosition(progress) : undefined,
    rng,
    callbacks: collectCallbackStates(progress?.callbacks ?? []),
  };
}

/**
 * Every layer with its own seeded stream, by key: its name for a layer of
 * the model (as files always had it), '<model>/<layer>' for a layer of a
 * nested model or a wrapper ('<bidirectional>/<forward_lstm>'); a layer
 * reached twice (shared) once.
 */
function seededLayers(layers: readonly Layer[]): Map<string, RngLayer> {
  const out = new Map<string, RngLayer>();
  const seen = new Set<Layer>();
  const walk = (ls: readonly Layer[], prefix: string, depth: number): void => {
    for (const l of ls) {
      if (seen.has(l)) continue;
      seen.add(l);
      if (hasRng(l)) out.set(`${prefix}${l.name}`, l);
      // Nested models' layers; a wrapper's inner layers unless it hands on their one stream itself.
      const inner = (l as { layers?: unknown }).layers ?? (hasRng(l) ? undefined : (l as { innerLayers?: unknown }).innerLayers);
      if (depth < 64 && Array.isArray(inner)) walk(inner as Layer[], `${prefix}${l.name}/`, depth + 1);
    }
  };
  walk(layers, '', 0);
  return out;
}

/**
 * Puts a training state back: compiles the model as saved, restores the
 * optimizer (slots applied when it builds) and the layers' own random
 * streams, and records where the next `fit` continues (with the callback
 * states it hands on). `fail(message)` reports a state that does not fit
 * this model (io passes one that throws ModelFormatError naming the file).
 */
export function restoreTrainingState(model: TrainingModel, state: TrainingState, fail: (message: string) => never): ResumeInfo {
  const c = state.compile;
  try {
    model.compile({ optimizer: c.optimizer as never, loss: c.loss as never, metrics: c.metrics, ...(c.lossWeights !== undefined ? { lossWeights: c.lossWeights } : {}) });
  } catch (e) {
    fail(`cannot recompile the saved model: ${(e as Error).message}`);
  }
  try {
    model.compiled!.optimizer.setState(state.optimizer);
  } catch (e) {
    fail((e as Error).message);
  }
  const seeded = seededLayers(model.layers);
  for (const [key, rs] of Object.entries(state.rng)) {
    const layer = seeded.get(key);
    if (!layer) fail(`state.rng names layer '${key}', which has no seeded random stream in this model`);
    layer.setRngState(rs);
  }
  return model.training.loaded(state);
}
