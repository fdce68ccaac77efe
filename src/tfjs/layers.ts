/**
 * `tf.layers`: every Regula layer under its TF.js factory name, returning a
 * TF.js-shaped `Layer` (weights as regula/tfjs tensors, `apply` on symbolic
 * or concrete tensors). The Regula layer underneath does the work; the
 * wrapper only converts tensors. TF.js layers Regula does not have (LSTM,
 * GRU, SimpleRNN, Bidirectional, TimeDistributed, the 3-D convolutions and
 * pooling, RepeatVector, Permute, Masking, the advanced-activation layers,
 * the preprocessing layers) are `never`-typed members that throw, so a
 * program using one fails to type-check.
 */
import { layers as coreLayers, type MergeFactory } from '../layers/index.js';
import { Layer as CoreLayer, type Shape } from '../layers/layer.js';
import { SymbolicTensor } from '../layers/symbolic.js';
import type { Variable } from '../tensor/variable.js';
import type { Tensor as CoreTensor } from '../tensor/tensor.js';
import { Tensor, unwrap, wrap } from './tensor.js';
import type { DataType } from './types.js';

const cores = new WeakMap<Layer, CoreLayer>();
const wrappers = new WeakMap<CoreLayer, Layer>();

/** The Regula layer under a regula/tfjs layer. */
export function coreLayer(l: Layer): CoreLayer {
  const c = cores.get(l);
  if (!c) throw new Error(`expected a layer made by regula/tfjs (tf.layers.*), got ${typeof l}`);
  return c;
}

/** The regula/tfjs wrapper of a Regula layer (one per layer). */
export function wrapLayer(c: CoreLayer): Layer {
  return wrappers.get(c) ?? new Layer(c);
}

/** A weight of a layer (TF.js `LayerVariable`). */
export class LayerVariable {
  constructor(private readonly v: Variable) {}
  get name(): string {
    return this.v.name;
  }
  get shape(): number[] {
    return [...this.v.shape];
  }
  get dtype(): DataType {
    return this.v.dtype;
  }
  get trainable(): boolean {
    return this.v.trainable;
  }
  /** A copy of the current value. */
  read(): Tensor {
    return wrap(this.v.read());
  }
  /** Sets the value (same shape). */
  write(newVal: Tensor): this {
    this.v.assign(unwrap(newVal));
    return this;
  }
}

/** What `apply` takes besides the inputs. */
export interface ApplyKwargs {
  /** Training mode for concrete tensors (dropout, noise, batch statistics); default false. */
  training?: boolean;
}

/** A layer (TF.js `tf.layers.Layer`). Custom layers (subclasses with their own `call`) are not provided. */
export class Layer {
  /** Wraps a Regula layer; use the `tf.layers.*` factories. */
  constructor(core: CoreLayer) {
    cores.set(this, core);
    wrappers.set(core, this);
  }
  get name(): string {
    return coreLayer(this).name;
  }
  get trainable(): boolean {
    return coreLayer(this).trainable;
  }
  set trainable(v: boolean) {
    coreLayer(this).trainable = v;
  }
  get built(): boolean {
    return coreLayer(this).built;
  }
  getClassName(): string {
    return coreLayer(this).className;
  }
  /** Calls the layer: on symbolic tensors it records a graph node; on tensors it computes. */
  apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: ApplyKwargs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | Tensor[], kwargs?: ApplyKwargs): Tensor | Tensor[];
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], kwargs: ApplyKwargs = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const c = coreLayer(this);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.every((x) => x instanceof SymbolicTensor)) return Array.isArray(inputs) ? c.apply(inputs as SymbolicTensor[]) : c.apply(inputs as SymbolicTensor);
    const xs = list.map((x) => {
      if (!(x instanceof Tensor)) throw new Error(`${c.name}.apply: mix of symbolic and concrete inputs`);
      return unwrap(x);
    });
    const out = c.apply((Array.isArray(inputs) ? xs : xs[0]!) as CoreTensor, { training: kwargs.training ?? false });
    return Array.isArray(out) ? out.map((t) => wrap(t)) : wrap(out);
  }
  /** The output shape(s) of the layer's first call. */
  get outputShape(): Shape | Shape[] {
    const c = coreLayer(this);
    const node = c.inboundNodes[0];
    if (!node) throw new Error(`The layer ${c.name} has never been called and thus has no defined output shape.`);
    const shapes = node.outputs.map((t) => [...t.shape]);
    return shapes.length === 1 ? shapes[0]! : shapes;
  }
  get weights(): LayerVariable[] {
    return coreLayer(this).weights.map((v) => new LayerVariable(v));
  }
  get trainableWeights(): LayerVariable[] {
    return coreLayer(this).trainableWeights.map((v) => new LayerVariable(v));
  }
  get nonTrainableWeights(): LayerVariable[] {
    return coreLayer(this).nonTrainableWeights.map((v) => new LayerVariable(v));
  }
  /** Copies of the weights (all, or the trainable ones). */
  getWeights(trainableOnly = false): Tensor[] {
    const c = coreLayer(this);
    return (trainableOnly ? c.trainableWeights.map((w) => w.read()) : c.getWeights()).map((t) => wrap(t));
  }
  setWeights(weights: Tensor[]): void {
    coreLayer(this).setWeights(weights.map(unwrap));
  }
  countParams(): number {
    return coreLayer(this).countParams();
  }
  getConfig(): Record<string, unknown> {
    return coreLayer(this).getConfig();
  }
  /** Nothing to release (Regula frees weights with the layer). */
  dispose(): { refCountAfterDispose: number; numDisposedVariables: number } {
    return { refCountAfterDispose: 0, numDisposedVariables: 0 };
  }
}

type Factory<F> = F extends MergeFactory<CoreLayer, infer A> ? (args?: A) => Layer : F extends (...args: infer P) => CoreLayer ? (...args: P) => Layer : never;
type CoreName = Exclude<keyof typeof coreLayers, 'input'>;
/** TF.js's alias of averagePooling1d. */
type Aliases = { avgPooling1d: Factory<typeof coreLayers.averagePooling1d> };

/** A TF.js layer Regula does not have: typed `never` (a program using it fails to type-check), throws if called anyway. */
function notProvided(name: string): never {
  return ((): never => {
    throw new Error(`tf.layers.${name} is not provided by regula/tfjs (see docs/tfjs.md for the layers Regula has)`);
  }) as never;
}

/** TF.js layer factories Regula lacks (each `never`; one Regula gains becomes its factory). */
const MISSING = [
  'lstm', 'lstmCell', 'gru', 'gruCell', 'simpleRNN', 'simpleRNNCell', 'rnn', 'stackedRNNCells', 'bidirectional', 'timeDistributed',
  'convLstm2d', 'convLstm2dCell', 'conv3d', 'conv3dTranspose', 'maxPooling3d', 'averagePooling3d', 'avgPool3d', 'avgPooling3d',
  'repeatVector', 'permute', 'masking', 'elu', 'reLU', 'leakyReLU', 'prelu', 'softmax', 'thresholdedReLU',
  'centerCrop', 'resizing', 'categoryEncoding', 'randomWidth',
] as const;
type Missing = { readonly [K in Exclude<(typeof MISSING)[number], keyof typeof coreLayers>]: never };

export type LayersNamespace = { readonly [K in CoreName]: Factory<(typeof coreLayers)[K]> } & Aliases & Missing;

function makeLayers(): LayersNamespace {
  const out: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(coreLayers)) {
    if (name === 'input') continue;
    out[name] = (...args: unknown[]): unknown => {
      const made = (make as (...a: unknown[]) => unknown).apply(undefined, args);
      return made instanceof CoreLayer ? wrapLayer(made) : made;
    };
  }
  out['avgPooling1d'] = out['averagePooling1d'];
  for (const name of MISSING) if (!(name in coreLayers)) out[name] = notProvided(name);
  return out as LayersNamespace;
}

/** `tf.layers`: every layer factory, TF.js names. */
export const layers: LayersNamespace = makeLayers();
