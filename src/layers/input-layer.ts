/**
 * InputLayer: holds the model's `batchInputShape` (and input dtype); its call
 * is the identity after checking the input against that shape.
 * `layers.input({ shape: [30] })` ≡ `layers.inputLayer({ inputShape: [30] })`.
 */
import type { DType } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys, ConfigReader, oneOf } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

export interface InputLayerArgs extends Omit<LayerArgs, 'activityRegularizer' | 'inputDim'> {
  /** Keras 3 spelling of `inputShape` (no batch dimension). */
  shape?: readonly number[];
  batchSize?: number;
  /** Keras 3 spelling of `batchInputShape`. */
  batchShape?: Shape;
  /** Input dtype: 'float32' (default) or 'int32' (token ids for Embedding). */
  dtype?: DType;
  /** Only false. */
  sparse?: boolean;
}

/** @example new InputLayer({ inputShape: [4] }).batchInputShape // [null, 4] */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  readonly dtype: DType;
  declare batchInputShape: Shape;

  constructor(args: InputLayerArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`InputLayer: expected an options object like { shape: [4] }, got ${JSON.stringify(args)}`);
    checkKeys('InputLayer', args, ['shape', 'batchShape', 'sparse']);
    const { shape, batchShape, dtype, sparse, ...rest } = args;
    const dt = oneOf('InputLayer', 'dtype', dtype ?? 'float32', ['float32', 'int32'] as const);
    if (sparse) throw new Error('InputLayer: sparse inputs are not supported (sparse must be false)');
    const base: LayerArgs & { batchSize?: number } = { ...rest };
    if (shape !== undefined) {
      if (rest.inputShape !== undefined) throw new Error(`InputLayer: give either 'shape' or 'inputShape', not both`);
      base.inputShape = shape;
    }
    if (batchShape !== undefined) base.batchInputShape = batchShape;
    if (base.inputShape === undefined && base.batchInputShape === undefined) {
      throw new Error(`InputLayer: an input shape is required: give 'shape'/'inputShape' (without batch) or 'batchInputShape'`);
    }
    super(baseArgs('InputLayer', base), 'input_layer');
    this.dtype = dt;
    this.built = true;
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

  protected layerConfig(): Record<string, unknown> {
    return {};
  }

  /** TF.js InputLayer config: batch_input_shape, dtype, sparse, name. */
  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: [...this.batchInputShape], dtype: this.dtype, sparse: false, name: this.name };
  }

  static fromConfig(config: Record<string, unknown>): InputLayer {
    const r = new ConfigReader('InputLayer', { ...config, dtype: null });
    const base = r.base();
    const sparse = r.get('sparse');
    r.get('ragged');
    const dtype = config['dtype'];
    const args: InputLayerArgs = { ...base, dtype: (dtype === null || dtype === undefined ? 'float32' : dtype) as DType };
    if (sparse !== undefined) args.sparse = sparse as boolean;
    if (config['ragged']) throw new Error('InputLayer.fromConfig: ragged inputs are not supported');
    r.done();
    return new InputLayer(args);
  }
}

/** `layers.inputLayer({ inputShape: [4] })` (TF.js name). */
export function inputLayer(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}

/** `layers.input({ shape: [4] })`: an InputLayer (Keras `Input`). */
export function input(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}
