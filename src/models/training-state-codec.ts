/**
 * TrainingState ↔ io's plain `StateValue` (JSON plus tensors), the shape of
 * the `state` in training-state.json:
 *
 *   {compile: {optimizer, loss, metrics, lossWeights?}, optimizer: {className, iterations,
 *    learningRate, slots: [{variable, slot, values: <tensor>}]},
 *    fit: {seed, nextEpoch, nextStep?} | null, rng: {<layer>: RngState},
 *    callbacks: [{stateKey, state}]}
 *
 * A model with several outputs saves `loss` as a list of loss configs,
 * `metrics` as a list of name lists and `lossWeights` (one per output);
 * one output (and every older file) has one loss config and one name list.
 *
 * Decoding validates every field of the untrusted value and throws
 * ModelFormatError naming the file and the path. Callback entries of files
 * written before `stateKey` existed carry `className` instead; the same
 * strings work as keys. Browser-safe.
 */
import type { CallbackStateEntry } from '../callbacks/callback-state.js';
import { isRecord, ModelFormatError, show } from '../io/keras-format.js';
import type { StateValue } from '../io/training-state.js';
import type { RngState } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import type { CompileState, TrainingState } from './training-state.js';

/** The training state as io's StateValue (optimizer slots become float32 tensors). */
export function trainingStateToValue(ts: TrainingState): StateValue {
  const o = ts.optimizer;
  const f = ts.fit;
  return {
    compile: {
      optimizer: ts.compile.optimizer as unknown as StateValue,
      loss: ts.compile.loss as unknown as StateValue,
      metrics: ts.compile.metrics.map((m) => (Array.isArray(m) ? [...m] : m)),
      ...(ts.compile.lossWeights !== undefined ? { lossWeights: [...ts.compile.lossWeights] } : {}),
    },
    optimizer: {
      className: o.className,
      iterations: o.iterations,
      learningRate: o.learningRate,
      slots: o.slots.map((s) => ({ variable: s.variable, slot: s.slot, values: new Tensor(s.shape, 'float32', Float32Array.from(s.values)) })),
    },
    fit: f ? (f.step > 0 ? { seed: f.seed, nextEpoch: f.epoch, nextStep: f.step } : { seed: f.seed, nextEpoch: f.epoch }) : null,
    rng: Object.fromEntries(Object.entries(ts.rng).map(([k, r]) => [k, { ...r }])),
    callbacks: ts.callbacks.map((c) => ({ stateKey: c.stateKey, state: c.state as StateValue })),
  };
}

/** Validates an untrusted decoded state and returns it typed. */
export function trainingStateFromValue(value: StateValue, file: string): TrainingState {
  const fail = (what: string): never => {
    throw new ModelFormatError(file, what);
  };
  const num = (v: unknown, path: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(`${path} must be a finite number, got ${show(v)}`));
  const rec = (v: unknown, path: string): Record<string, unknown> => (isRecord(v) ? v : fail(`${path} must be an object, got ${show(v)}`));

  const s = rec(value, 'state');
  const compile = rec(s['compile'], 'state.compile');
  const optimizerConfig = rec(compile['optimizer'], 'state.compile.optimizer');
  const compileState = readCompile(compile, optimizerConfig, fail, num, rec);
  const o = rec(s['optimizer'], 'state.optimizer');
  const slots = Array.isArray(o['slots']) ? o['slots'] : fail(`state.optimizer.slots must be an array, got ${show(o['slots'])}`);
  const optimizer = {
    className: typeof o['className'] === 'string' ? o['className'] : fail('state.optimizer.className must be a string'),
    iterations: num(o['iterations'], 'state.optimizer.iterations'),
    learningRate: num(o['learningRate'], 'state.optimizer.learningRate'),
    slots: slots.map((x, i) => {
      const r = rec(x, `state.optimizer.slots[${i}]`);
      const t = r['values'];
      if (!(t instanceof Tensor) || t.dtype !== 'float32') fail(`state.optimizer.slots[${i}].values must be a float32 tensor`);
      const v = t as Tensor;
      return { variable: String(r['variable']), slot: String(r['slot']), shape: [...v.shape], values: Array.from(v.data) };
    }),
  };
  const rng: Record<string, RngState> = {};
  for (const [name, rs] of Object.entries(rec(s['rng'] ?? {}, 'state.rng'))) {
    const r = rec(rs, `state.rng.${name}`);
    const keys = ['key0', 'key1', 'counter', 'splits', 'bufPos'] as const;
    rng[name] = Object.fromEntries(keys.map((k) => [k, num(r[k], `state.rng.${name}.${k}`)])) as unknown as RngState;
  }
  const cbs = Array.isArray(s['callbacks']) ? s['callbacks'] : [];
  const callbacks: CallbackStateEntry[] = cbs.map((c, i) => {
    const r = rec(c, `state.callbacks[${i}]`);
    return { stateKey: String(r['stateKey'] ?? r['className']), state: rec(r['state'], `state.callbacks[${i}].state`) };
  });
  let fit: TrainingState['fit'];
  if (s['fit'] !== null && s['fit'] !== undefined) {
    const f = rec(s['fit'], 'state.fit');
    let step = 0;
    if (f['nextStep'] !== undefined) {
      step = num(f['nextStep'], 'state.fit.nextStep');
      if (!Number.isInteger(step) || step < 0) fail(`state.fit.nextStep must be an integer ≥ 0, got ${show(step)}`);
    }
    fit = { seed: num(f['seed'], 'state.fit.seed'), epoch: num(f['nextEpoch'], 'state.fit.nextEpoch'), step };
  }
  return { compile: compileState, optimizer, fit, rng, callbacks };
}

/**
 * `state.compile` of either form: one loss config and a metric list (one
 * output, older files: non-string metrics are skipped as they always were),
 * or one loss config, metric list and loss weight per output.
 */
function readCompile(
  compile: Record<string, unknown>,
  optimizer: Record<string, unknown>,
  fail: (what: string) => never,
  num: (v: unknown, path: string) => number,
  rec: (v: unknown, path: string) => Record<string, unknown>,
): CompileState {
  const loss = compile['loss'];
  if (!Array.isArray(loss)) {
    const metrics = Array.isArray(compile['metrics']) ? compile['metrics'].filter((m): m is string => typeof m === 'string') : [];
    return { optimizer, loss: rec(loss, 'state.compile.loss'), metrics };
  }
  if (loss.length === 0) fail('state.compile.loss must not be an empty list');
  const losses = loss.map((l, i) => rec(l, `state.compile.loss[${i}]`));
  const m = compile['metrics'] ?? losses.map(() => []);
  if (!Array.isArray(m) || m.length !== losses.length) fail(`state.compile.metrics must be a list of ${losses.length} metric lists (one per output), got ${show(m)}`);
  const metrics = (m as unknown[]).map((list, i) => {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) fail(`state.compile.metrics[${i}] must be a list of metric names, got ${show(list)}`);
    return [...(list as string[])];
  });
  const w = compile['lossWeights'] ?? losses.map(() => 1);
  if (!Array.isArray(w) || w.length !== losses.length) fail(`state.compile.lossWeights must be a list of ${losses.length} numbers (one per output), got ${show(w)}`);
  const lossWeights = (w as unknown[]).map((x, i) => num(x, `state.compile.lossWeights[${i}]`));
  return { optimizer, loss: losses, metrics, lossWeights };
}
