/**
 * InputLayer: holds the model's `batchInputShape` (and input dtype); its call
 * is the identity after checking the input against that shape.
 * `layers.input({ shape: [30] })` ≡ `layers.inputLayer({ inputShape: [30] })`.
 */
import { falseOnly, oneOf, withSpec, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { Shape } from '../config/types.js';
import type { DType } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type CallContext, type LayerArgs } from './layer.js';
import { BASE_OPTIONS } from './options.js';
import { Node, SymbolicTensor } from './symbolic.js';

/** InputLayer's options (its config is written by `getConfig` below, in TF.js's order). */
export const INPUT_LAYER_OPTIONS = {
  /** Keras 3 spelling of `inputShape` (no batch dimension). */
  shape: BASE_OPTIONS.inputShape,
  /** Keras 3 spelling of `batchInputShape`. */
  batchShape: withSpec(BASE_OPTIONS.batchInputShape, { key: false }),
  /** Input dtype: 'float32' (default) or 'int32' (token ids for Embedding). */
  dtype: oneOf(['float32', 'int32'] as const, 'float32'),
  /** Only false. */
  sparse: falseOnly('sparse inputs are not supported (sparse must be false)'),
  /** Only false. */
  ragged: withSpec(falseOnly('ragged inputs are not supported'), { write: false }),
};

export type InputLayerArgs = Omit<LayerArgs, 'inputDim' | 'dtype'> & ArgsOf<typeof INPUT_LAYER_OPTIONS>;

/** @example new InputLayer({ inputShape: [4] }).batchInputShape // [null, 4] */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly options = INPUT_LAYER_OPTIONS;
  declare readonly options: ValuesOf<typeof INPUT_LAYER_OPTIONS> & { readonly inputShape?: Shape; readonly batchInputShape?: Shape; readonly batchSize?: number };
  declare batchInputShape: Shape;

  constructor(args: InputLayerArgs) {
    super(args, 'input_layer');
    const o = this.options;
    if (o.shape !== undefined && o.inputShape !== undefined) throw new Error(`InputLayer: give either 'shape' or 'inputShape', not both`);
    if (o.batchShape !== undefined && o.batchInputShape === undefined) this.batchInputShape = [...o.batchShape];
    else if (o.shape !== undefined && o.batchInputShape === undefined) this.batchInputShape = [o.batchSize ?? null, ...o.shape];
    if (this.batchInputShape === undefined) {
      throw new Error(`InputLayer: an input shape is required: give 'shape'/'inputShape' (without batch) or 'batchInputShape'`);
    }
    this.built = true;
    const node = new Node(this, [], false);
    this.inboundNodes.push(node);
    node.outputs.push(new SymbolicTensor([...this.batchInputShape], this.dtype, node, 0));
  }

  /** The symbolic tensor this input stands for in a functional graph. */
  get output(): SymbolicTensor {
    return this.inboundNodes[0]!.outputs[0]!;
  }

  get dtype(): DType {
    return this.options.dtype;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const want = this.batchInputShape;
    const ok = x.rank === want.length && want.every((d, i) => d === null || d === x.shape[i]);
    if (!ok) throw new Error(`${this.name}: expected input of shape [${want.map((d) => d ?? 'null').join(',')}], got ${fmt(x.shape)}`);
    return x;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  /** TF.js InputLayer config: batch_input_shape, dtype, sparse, name. */
  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: [...this.batchInputShape], dtype: this.dtype, sparse: false, name: this.name };
  }
}

/** `layers.inputLayer({ inputShape: [4] })` (TF.js name). */
export function inputLayer(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}

/**
 * `input({ shape: [4] })`: a symbolic tensor standing for a model input (Keras
 * `Input`, TF.js `tf.input`); call layers on it and pass it to `model({inputs})`.
 * A Sequential accepts it as its first element too.
 * @example
 * const x = input({ shape: [4] });
 * const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) });
 */
export function input(args: InputLayerArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
