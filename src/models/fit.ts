/**
 * The training loop, as Keras 3 runs it (docs/semantics.md §8): for each epoch reset the
 * metrics → onEpochBegin → per batch (onBatchBegin → train step →
 * onBatchEnd with running averages; stop if asked) → epoch logs → validation
 * (training=false, keys prefixed 'val_') → onEpochEnd → stop if asked; then
 * onTrainEnd. Returns the History.
 *
 * Randomness: the shuffle order and the per-step layer Rng of epoch e depend
 * only on (seed, e), so `fit` 10 epochs ≡ `fit` 5 + `fit({initialEpoch: 5})`.
 * The loop yields to the event loop between batches and honours an AbortSignal.
 */
import { CallbackList, type Callback, type CallbackModel, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgressLogger } from '../callbacks/progress.js';
import { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchPlan, checkTensor, classSampleWeights, EpochBatches, rowRange, splitAt, takeRows, maybeRows } from './data.js';
import { checkBatchSize, checkOptionKeys, evaluateBatches, prepareXY, showArg, type EvalModel, type ModelData } from './evaluate.js';
import { TerminateOnNaN } from '../callbacks/terminate-on-nan.js';
import { stepProfiler as profiler } from './step-profile.js';
import { trainStep, type Arrays } from './steps.js';
import type { TrainingRun } from './training-state.js';

export type { FitProgress } from './training-state.js';

export interface FitArgs {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Fraction of the samples, taken from the END before shuffling, used for validation. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] (x and y as fit takes them); overrides validationSplit. */
  validationData?: readonly [ModelData, ModelData] | readonly [ModelData, ModelData, Tensor];
  /** true (reshuffle every epoch, default), 'batch' (shuffle batch-sized chunks), false. */
  shuffle?: boolean | 'batch';
  /** Callbacks: a list, or one object of hooks (`{ onEpochEnd: (epoch, logs) => … }`, as TF.js examples write). */
  callbacks?: readonly Callback[] | Callback;
  /** 0 silent, 1 progress bar (epoch lines when not a TTY), 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Seeds shuffling and the training Rng of stochastic layers. Default: the saved seed when resuming a loaded model at its saved epoch, else drawn from the model's seed. */
  seed?: number;
  /** Epoch to start from (resume). Default 0. */
  initialEpoch?: number;
  /** Class index → weight (multiplies the loss of that class's samples). */
  classWeight?: Record<number, number>;
  /** One weight per training sample, shape [n]. */
  sampleWeight?: Tensor;
  /**
   * Aborting ends training after the current batch; fit resolves with the History and the model
   * keeps its weights at that point (no best-weights restore), so a save then resumes exactly.
   */
  signal?: AbortSignal;
}

/** What fit needs from a model. */
export interface FitModel extends EvalModel, CallbackModel {
  history: History | undefined;
  /** A fresh seed when fit gets none (drawn from the model's seed). */
  nextFitSeed(): number;
  /** The model's training state: fit writes its progress there and reads where a loaded state left off. */
  readonly training: TrainingRun;
}

const FIT_KEYS = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'callbacks', 'verbose', 'seed', 'initialEpoch', 'classWeight', 'sampleWeight', 'signal'];

/** TF.js/Keras fit options Regula does not have, with what to do instead. */
const FIT_UNSUPPORTED: Readonly<Record<string, string>> = {
  stepsPerEpoch: 'fit takes tensors and runs every batch of x each epoch',
  validationSteps: 'fit validates on all of validationData',
  validationBatchSize: 'validation uses batchSize',
  validationFreq: 'fit validates after every epoch',
  yieldEvery: 'fit yields to the event loop about every 20 ms on its own',
};

/** The callback list: an array, or one object of hooks wrapped into a list (TF.js style). */
function callbackList(v: unknown): Callback[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) {
    v.forEach((c, i) => {
      if (typeof c !== 'object' || c === null) throw new Error(`fit: callbacks[${i}] must be a callback object (e.g. callbacks.earlyStopping()), got ${showArg(c)}`);
    });
    return [...(v as Callback[])];
  }
  if (typeof v === 'object' && v !== null) return [v as Callback];
  throw new Error(`fit: callbacks must be a list of callbacks or an object of hooks ({ onEpochEnd }), got ${showArg(v)}`);
}

/** The Rng of epoch `e` for `seed`: the (e+1)-th split of the seed's root. */
function epochRng(seed: number, epoch: number): Rng {
  const root = new Rng(seed);
  let r = root.split();
  for (let i = 0; i < epoch; i++) r = root.split();
  return r;
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

/**
 * Schedules a macrotask without setTimeout's clamp (≥ 1 ms in Node, 4 ms when
 * nested in browsers): setImmediate in Node, a MessageChannel hop elsewhere.
 */
const macrotask: (fn: () => void) => void = (() => {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return (fn) => void g.setImmediate!(fn);
  if (typeof MessageChannel === 'function') {
    return (fn) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        fn();
      };
      ch.port2.postMessage(null);
    };
  }
  return (fn) => void setTimeout(fn, 0);
})();

/** Lets timers, I/O and UI run: a microtask every batch, a real macrotask every ~20 ms. */
function yielder(): () => Promise<void> {
  let last = now();
  return async () => {
    await Promise.resolve();
    if (now() - last < 20) return;
    await new Promise<void>((resolve) => macrotask(resolve));
    last = now();
  };
}

function positiveInt(v: number, what: string, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`fit: ${what} must be an integer ≥ ${min}, got ${showArg(v)}`);
  return v;
}

/** Checks classWeight values: finite and ≥ 0, naming the class and the value. */
function checkClassWeight(cw: unknown): void {
  if (typeof cw !== 'object' || cw === null || Array.isArray(cw)) throw new Error(`fit: classWeight must be an object {class: weight}, got ${showArg(cw)}`);
  for (const [c, w] of Object.entries(cw)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`fit: classWeight for class ${c} must be a finite number ≥ 0, got ${showArg(w)}`);
  }
}

/** Splits off validation arrays (validationData wins over validationSplit). */
function splitValidation(model: FitModel, all: Arrays, args: FitArgs): { train: Arrays; val: Arrays | undefined } {
  if (args.validationData !== undefined) {
    const vd = args.validationData;
    if (!Array.isArray(vd) || vd.length < 2 || vd.length > 3) throw new Error(`fit: validationData must be [x, y] or [x, y, sampleWeight], got ${typeof vd}`);
    const [x, y, sw] = vd as readonly [ModelData, ModelData, Tensor?];
    const { xs, ys } = prepareXY(model, x, y, sw, 'fit: validationData');
    return { train: all, val: { xs, ys, sw } };
  }
  if (args.validationSplit === undefined || args.validationSplit === 0) return { train: all, val: undefined };
  const n = all.xs[0]!.shape[0]!;
  const at = splitAt(n, args.validationSplit);
  const part = (a: number, b: number): Arrays => {
    const idx = rowRange(a, b);
    return { xs: all.xs.map((t) => takeRows(t, idx)), ys: all.ys.map((t) => takeRows(t, idx)), sw: maybeRows(all.sw, idx) };
  };
  return { train: part(0, at), val: part(at, n) };
}

/** model.fit: trains on (x, y) and returns the History. */
export async function fit(model: FitModel, x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
  checkOptionKeys(args, FIT_KEYS, 'fit', FIT_UNSUPPORTED);
  const userCallbacks = callbackList(args.callbacks);
  const epochs = positiveInt(args.epochs ?? 1, 'epochs', 1);
  const initialEpoch = positiveInt(args.initialEpoch ?? 0, 'initialEpoch', 0);
  const batchSize = checkBatchSize(args.batchSize, 'fit');
  const shuffle = args.shuffle ?? true;
  const verbose = args.verbose ?? 1;
  if (![true, false, 'batch'].includes(shuffle)) throw new Error(`fit: shuffle must be true, false or 'batch', got ${JSON.stringify(shuffle)}`);
  if (![0, 1, 2].includes(verbose)) throw new Error(`fit: verbose must be 0, 1 or 2, got ${verbose}`);
  if (args.classWeight && args.sampleWeight) throw new Error('fit: give classWeight or sampleWeight, not both (as Keras)');
  if (args.sampleWeight !== undefined) checkTensor(args.sampleWeight, 'fit: sampleWeight');
  if (args.classWeight !== undefined) checkClassWeight(args.classWeight);
  const { compiled, xs, ys } = prepareXY(model, x, y, args.sampleWeight, 'fit');
  const rows = xs[0]!.shape[0]!;
  if (rows === 0) throw new Error(`fit: x has 0 rows (shape [${xs[0]!.shape.join(', ')}]); there is nothing to train on`);
  if (args.classWeight && ys.length > 1) throw new Error(`fit: classWeight is for models with one output (as in Keras); this model has ${ys.length}; use sampleWeight`);
  const sw = args.sampleWeight ?? (args.classWeight ? classSampleWeights(ys[0]!, args.classWeight) : undefined);
  const { train, val } = splitValidation(model, { xs, ys, sw }, args);
  // A model loaded with its training state continues the saved run's seed when
  // fit resumes at the saved epoch, so `fit({initialEpoch})` alone resumes exactly.
  const run = model.training;
  const resume = run.resumeInfo;
  if (initialEpoch >= epochs) {
    if (resume?.initialEpoch === initialEpoch) {
      // A loaded checkpoint of a finished run: nothing is left to do (Keras warns too).
      console.warn(`fit: initialEpoch ${initialEpoch} ≥ epochs ${epochs}: the loaded model already finished its ${epochs} epochs; nothing to train (raise epochs to train more)`);
    } else {
      throw new Error(`fit: initialEpoch ${initialEpoch} must be less than epochs ${epochs} (epochs is the index of the last epoch to run, not a count of further epochs), or nothing would be trained`);
    }
  }
  const seed = run.seedFor(initialEpoch, args.seed, () => model.nextFitSeed());
  const nTrain = train.xs[0]!.shape[0]!;
  if (nTrain === 0) throw new Error(`fit: no training rows are left after validationSplit ${args.validationSplit} of ${rows} rows; there is nothing to train on`);
  // A checkpoint saved mid-epoch (abort, batch-frequency ModelCheckpoint) resumes at its next step;
  // begin() also hands a loaded state's callback states to these callbacks.
  const progress = run.begin(seed, initialEpoch, userCallbacks);
  let skipSteps = progress.step;
  const watchNaN = !userCallbacks.some((c) => c instanceof TerminateOnNaN);
  let warnedNaN = false;

  const history = new History();
  const all: Callback[] = [...userCallbacks, history];
  if (verbose !== 0) all.push(new ProgressLogger({ verbose }));
  const callbacks = new CallbackList(all);
  callbacks.setModel(model, { epochs, initialEpoch, steps: Math.ceil(nTrain / batchSize), samples: nTrain, verbose, batchSize });
  model.history = history;
  model.stopTraining = false;
  const pause = yielder();
  const aborted = (): boolean => args.signal?.aborted === true;

  const epochBatches = EpochBatches.of(train);
  await callbacks.onTrainBegin();
  let trainingLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs && !aborted(); epoch++) {
    compiled.reset();
    progress.epoch = epoch;
    progress.epochDone = false;
    progress.step = skipSteps;
    await callbacks.onEpochBegin(epoch);
    const rng = epochRng(seed, epoch);
    profiler?.enter('shuffle');
    const plan = batchPlan(nTrain, batchSize, shuffle, rng.split());
    profiler?.leave();
    profiler?.enter('gather');
    epochBatches?.arrange(plan);
    profiler?.leave();
    const stepRng = rng.split();
    let partial = false;
    for (let step = 0; step < plan.length; step++) {
      const stepSeed = stepRng.split(); // advanced for skipped steps too: step s always gets split s
      if (step < skipSteps) continue;
      profiler?.enter('callbacks');
      const begun = callbacks.onBatchBegin(step);
      if (begun) await begun;
      profiler?.leave();
      if (epochBatches) trainStep(model, compiled, epochBatches.batch(step), null, stepSeed);
      else trainStep(model, compiled, train, plan[step]!, stepSeed);
      progress.step = step + 1;
      profiler?.enter('metrics');
      const logs = compiled.logs();
      profiler?.leave();
      profiler?.enter('callbacks');
      const ended = callbacks.onBatchEnd(step, logs);
      if (ended) await ended;
      profiler?.leave();
      if (aborted()) {
        model.stopTraining = true;
        partial = step + 1 < plan.length;
      }
      if (model.stopTraining) break;
      profiler?.enter('yield');
      await pause();
      profiler?.leave();
    }
    skipSteps = 0;
    // Aborted mid-epoch: no validation and no callback sees an end of the partial epoch (a save now
    // resumes at progress.step); only the returned History records its running logs.
    if (partial) {
      history.onEpochEnd(epoch, compiled.logs());
      break;
    }
    const epochLogs = compiled.logs();
    const loss = epochLogs['loss'];
    if (watchNaN && !warnedNaN && loss !== undefined && !Number.isFinite(loss)) {
      warnedNaN = true;
      console.warn(`fit: the loss is ${loss} at epoch ${epoch + 1}: training diverged; lower the learning rate, check the data for NaN/Infinity, or add callbacks.terminateOnNaN() to stop at the first bad batch`);
    }
    if (val) {
      profiler?.enter('validation');
      const v = evaluateBatches(model, compiled, val, batchSize);
      profiler?.leave();
      for (const [k, value] of Object.entries(v)) epochLogs[`val_${k}`] = value;
    }
    progress.epochDone = true;
    await callbacks.onEpochEnd(epoch, epochLogs);
    trainingLogs = epochLogs;
    if (model.stopTraining) break;
  }
  // An interrupted run keeps the weights it has (a save now resumes exactly): callbacks still
  // see onTrainEnd, but EarlyStopping's restoreBestWeights applies to runs that end, not to
  // runs that are interrupted (Keras: an interrupt skips on_train_end).
  const atAbort = aborted() ? model.getWeights() : undefined;
  await callbacks.onTrainEnd(trainingLogs);
  if (atAbort) model.setWeights(atAbort);
  return history;
}
