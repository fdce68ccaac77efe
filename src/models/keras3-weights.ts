/**
 * Model weights ↔ Keras 3's `model.weights.h5` layout, as Keras's
 * `saving_lib._save_state` walks a model: the model's own `vars` at the
 * root, then its layers as a container, each named by its snake_case class
 * name with a counter for repeats (`layers/dense`, `layers/dense_1`, …, not
 * by layer name), nested models recursing into `<path>/layers/…`. A layer's
 * variables are `vars/0 … n-1`: its trainable variables in creation order,
 * then its non-trainable ones (Keras's `_trainable_variables +
 * _non_trainable_variables`), e.g. Dense [kernel, bias], BatchNormalization
 * [gamma, beta, moving_mean, moving_variance], SeparableConv2D
 * [depthwise_kernel, pointwise_kernel, bias]. The optimizer's are
 * `optimizer/vars`: iteration (int64), learning_rate, then its slots for
 * the model's trainable variables in Keras's order (Adam interleaves
 * momentum and velocity per variable, then velocity_hat; RMSprop lists all
 * velocities, then momentums, then average gradients).
 */
import { ModelFormatError } from '../io/keras-format.js';
import type { VarDataset, WeightStore } from '../io/keras3/archive.js';
import type { H5Dataset, H5Tree } from '../io/keras3/h5.js';
import { toSnakeCase } from '../io/keras3/names.js';
import type { Layer } from '../layers/layer.js';
import type { Optimizer, OptimizerState, SlotState } from '../optimizers/optimizer.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { kerasClassName, kerasLayers } from './keras3-config.js';
import { Model } from './model.js';

/** One saveable object: its inner path in the h5, the object, its own variables in Keras order. */
export interface Saveable {
  path: string;
  layer: Layer;
  vars: Variable[];
}

/** A layer's own variables in Keras's order: trainable ones (creation order), then the others. */
export function kerasVars(l: Layer): Variable[] {
  if (l instanceof Model || sublayers(l, 'walk') !== undefined) return [];
  const ws = l.weights;
  return ws.filter((w) => w.trainable).concat(ws.filter((w) => !w.trainable));
}

/** Every saveable of `model` in Keras's walk order, the model itself first (path ''). */
export function kerasSaveables(model: Model, path = ''): Saveable[] {
  const out: Saveable[] = [{ path, layer: model, vars: [] }];
  const used = new Map<string, number>();
  for (const l of kerasLayers(model)) {
    let name = toSnakeCase(kerasClassName(l));
    const n = used.get(name);
    if (n === undefined) used.set(name, 0);
    else {
      used.set(name, n + 1);
      name = `${name}_${n + 1}`;
    }
    const p = path === '' ? `layers/${name}` : `${path}/layers/${name}`;
    for (const x of layerSaveables(l, p)) out.push(x);
  }
  return out;
}

/** Keras's RNN layers keep their variables in a `cell` sublayer. */
const RNN_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/** The saveables of one layer at `p`: itself, and its sublayers as Keras holds them as attributes. */
function layerSaveables(l: Layer, p: string): Saveable[] {
  if (l instanceof Model) return kerasSaveables(l, p);
  if (RNN_CLASSES.has(l.className)) return [{ path: p, layer: l, vars: [] }, { path: `${p}/cell`, layer: l, vars: kerasVars(l) }];
  const subs = sublayers(l, 'walk');
  if (subs === undefined) return [{ path: p, layer: l, vars: kerasVars(l) }];
  const out: Saveable[] = [{ path: p, layer: l, vars: [] }];
  for (const [attr, sub] of subs) for (const x of layerSaveables(sub, `${p}/${attr}`)) out.push(x);
  return out;
}

/**
 * A wrapper's sublayers by Keras attribute name: TimeDistributed `layer`;
 * Bidirectional `forward_layer` and `backward_layer` — in the saving walk's
 * (sorted) order or in tracking order (`weights`, the optimizer's order).
 */
function sublayers(l: Layer, order: 'walk' | 'weights'): [string, Layer][] | undefined {
  const w = l as unknown as { layer?: Layer; forwardLayer?: Layer; backwardLayer?: Layer };
  if (l.className === 'TimeDistributed' && w.layer) return [['layer', w.layer]];
  if (l.className === 'Bidirectional' && w.forwardLayer && w.backwardLayer) {
    return order === 'walk' ? [['backward_layer', w.backwardLayer], ['forward_layer', w.forwardLayer]] : [['forward_layer', w.forwardLayer], ['backward_layer', w.backwardLayer]];
  }
  return undefined;
}

/** The model's trainable variables in Keras's order (what Keras builds the optimizer on); frozen layers add none. */
export function kerasTrainableVars(model: Model): Variable[] {
  const out: Variable[] = [];
  const walk = (m: Model): void => {
    if (!m.trainable) return;
    for (const l of kerasLayers(m)) layer(l);
  };
  const layer = (l: Layer): void => {
    if (!l.trainable) return;
    if (l instanceof Model) return walk(l);
    const subs = sublayers(l, 'weights');
    if (subs) for (const [, s] of subs) layer(s);
    else for (const v of kerasVars(l)) if (v.trainable) out.push(v);
  };
  walk(model);
  return out;
}

/** Keras's slot groups per optimizer class: names in one group are interleaved per variable. */
function slotGroups(opt: Optimizer): { groups: string[][]; init: number } {
  const c = opt.getConfig().config as Record<string, unknown>;
  switch (opt.className) {
    case 'Adam':
    case 'AdamW':
      return { groups: c['amsgrad'] === true ? [['momentum', 'velocity'], ['velocity_hat']] : [['momentum', 'velocity']], init: 0 };
    case 'SGD':
      return { groups: Number(c['momentum'] ?? 0) > 0 ? [['momentum']] : [], init: 0 };
    case 'RMSprop':
      return { groups: [['velocity'], ...(Number(c['momentum'] ?? 0) > 0 ? [['momentum']] : []), ...(c['centered'] === true ? [['average_gradient']] : [])], init: 0 };
    case 'Adagrad':
      return { groups: [['accumulator']], init: Number(c['initial_accumulator_value'] ?? 0.1) };
    default:
      throw new Error(`save: optimizer ${opt.className} has no Keras 3 variable layout known to Regula`);
  }
}

/** The slot order Keras uses: (variable, slot) pairs. */
function slotOrder(opt: Optimizer, vars: readonly Variable[]): { v: Variable; slot: string }[] {
  const out: { v: Variable; slot: string }[] = [];
  for (const g of slotGroups(opt).groups) for (const v of vars) for (const s of g) out.push({ v, slot: s });
  return out;
}

/** The h5 tree of a model's weights (and, when given, its optimizer's variables). */
export function weightsTree(model: Model, opt?: Optimizer): H5Tree {
  const tree: H5Tree = { groups: [], datasets: [] };
  for (const s of kerasSaveables(model)) {
    const group = s.path === '' ? 'vars' : `${s.path}/vars`;
    tree.groups.push({ path: group, attrs: { name: s.layer.name } });
    s.vars.forEach((v, i) => tree.datasets.push({ path: `${group}/${i}`, shape: [...v.shape], dtype: 'float32', data: Float32Array.from(v.data) }));
  }
  if (opt) {
    tree.groups.push({ path: 'optimizer/vars', attrs: { name: opt.name } });
    const ds: H5Dataset[] = [
      { path: 'optimizer/vars/0', shape: [], dtype: 'int64', data: BigInt64Array.of(BigInt(opt.iterations)) },
      { path: 'optimizer/vars/1', shape: [], dtype: 'float32', data: Float32Array.of(opt.learningRate) },
    ];
    const state = opt.getState();
    const slots = new Map<string, SlotState>(state.slots.map((s) => [`${s.variable}\u0000${s.slot}`, s]));
    const init = slotGroups(opt).init;
    slotOrder(opt, kerasTrainableVars(model)).forEach(({ v, slot }, i) => {
      const s = slots.get(`${v.name}\u0000${slot}`);
      const data = s && s.values.length === v.size ? Float32Array.from(s.values) : new Float32Array(v.size).fill(init);
      ds.push({ path: `optimizer/vars/${i + 2}`, shape: [...v.shape], dtype: 'float32', data });
    });
    for (const d of ds) tree.datasets.push(d);
  }
  return tree;
}

/** Same shape (dimension by dimension). */
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Reads every layer's variables from `store` into a map by Regula weight
 * name, checking counts, shapes and dtypes from the metadata before any
 * data is read, and refusing NaN/Infinity; nothing is assigned here.
 */
export async function readModelWeights(model: Model, store: WeightStore, file: string): Promise<Map<string, Tensor>> {
  const out = new Map<string, Tensor>();
  for (const s of kerasSaveables(model)) {
    const ds = await store.vars(s.path);
    const who = s.path === '' ? `model '${s.layer.name}'` : `layer '${s.layer.name}' (${s.layer.className}, weights at /${s.path}/vars)`;
    if (ds.length !== s.vars.length) {
      throw new ModelFormatError(file, `${who} has ${s.vars.length} variable${s.vars.length === 1 ? '' : 's'} (${s.vars.map((v) => `${v.name} ${fmt(v.shape)}`).join(', ') || 'none'}) but the file holds ${ds.length}`);
    }
    s.vars.forEach((v, i) => {
      const d = ds[i]!;
      if (d.info.dtype !== 'float32' && d.info.dtype !== 'float64') throw new ModelFormatError(file, `${d.where} (${v.name}) is ${d.info.dtype}; Regula reads float32 weights (save the Keras model with a float32 dtype policy)`);
      if (!sameShape(d.info.shape, v.shape)) throw new ModelFormatError(file, `${d.where} (${v.name}) has shape ${fmt(d.info.shape)} but the config gives ${who} a ${fmt(v.shape)} weight there`);
    });
    s.vars.forEach((v, i) => out.set(v.name, tensorOf(ds[i]!, v.shape, file)));
  }
  return out;
}

/** A dataset's values as a float32 tensor of `shape`, refusing non-finite values. */
function tensorOf(d: VarDataset, shape: readonly number[], file: string): Tensor {
  const data = d.read();
  for (let j = 0; j < data.length; j++) {
    if (!Number.isFinite(data[j]!)) throw new ModelFormatError(file, `${d.where} holds ${data[j]} at index ${j}; the weights are corrupt or were saved after training diverged`);
  }
  return new Tensor([...shape], 'float32', data);
}

/**
 * The optimizer state in `store` (iteration, learning rate, slots in Keras's
 * order), or undefined when absent or not laid out for this optimizer and
 * model (Keras skips such optimizer variables with a warning too).
 */
export async function readOptimizerState(model: Model, opt: Optimizer, store: WeightStore): Promise<OptimizerState | undefined> {
  const ds = await store.vars('optimizer');
  const order = slotOrder(opt, kerasTrainableVars(model));
  if (ds.length !== order.length + 2) return undefined;
  if (ds.slice(2).some((d, i) => !sameShape(d.info.shape, order[i]!.v.shape)) || ds[0]!.info.shape.length !== 0) return undefined;
  const iterations = Math.round(ds[0]!.read()[0]!);
  // The file holds the learning rate as a float32 variable (Keras 3); the compile config's value (already
  // set on `opt`) is the exact one when it rounds to the same float32, so a resumed run trains with the same
  // rate as the run that saved it (0.001, not 0.0010000000474974513).
  const stored = ds[1]!.read()[0]!;
  const learningRate = Math.fround(opt.learningRate) === stored ? opt.learningRate : stored;
  if (!Number.isSafeInteger(iterations) || iterations < 0 || !Number.isFinite(learningRate) || learningRate < 0) return undefined;
  const slots: SlotState[] = order.map(({ v, slot }, i) => ({ variable: v.name, slot, shape: [...v.shape], values: Array.from(ds[i + 2]!.read()) }));
  return { className: opt.className, iterations, learningRate, slots };
}
