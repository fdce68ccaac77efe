/**
 * `regula/tfjs`: the part of `@tensorflow/tfjs` (4.22) that training
 * programs use, on Regula's engine. Port a TF.js program by changing its
 * import:
 *
 *   import * as tf from 'regula/tfjs';
 *
 * Tensors are TF.js-shaped wrappers around Regula tensors (`tf.toRegula`,
 * `tf.fromRegula` cross over); models are TF.js-shaped wrappers around
 * Regula models, logging TF.js's names (`acc`, `val_acc`). What is not
 * provided is absent from the types or typed `never`; docs/tfjs.md lists
 * what maps, what differs and what is missing. Importing this starts
 * Regula's WebAssembly backend (as importing 'regula' does).
 */
import '../index.js';
import type { History as CoreHistory } from '../callbacks/history.js';
import { constraints as coreConstraints } from '../constraints.js';
import { initializers as coreInitializers } from '../initializers.js';
import { regularizers as coreRegularizers } from '../regularizers.js';
import type { Rank } from './types.js';
import type { Tensor } from './tensor.js';
import type { Layer as LayerClass } from './layers.js';
import { array, generator, zip, type Dataset as DatasetClass, type LazyIterator as LazyIteratorType, type DatasetContainer as DatasetContainerType } from './data.js';
import { csv, type CSVDataset as CSVDatasetClass, type CSVConfig as CSVConfigType, type ColumnConfig as ColumnConfigType } from './data-csv.js';
import { fromMemory, withSaveHandler } from './io.js';
import type * as ioTypes from './io.js';

export { Rank, type ShapeMap, type ArrayMap, type DataType, type DataTypeMap, type NumericDataType, type TypedArray, type RecursiveArray, type TensorLike, type TensorLike1D, type TensorLike2D, type TensorLike3D, type TensorLike4D, type TensorLike5D, type TensorLike6D, type ScalarLike, type MemoryInfo } from './types.js';
export { Tensor } from './tensor.js';
export type Scalar = Tensor<Rank.R0>;
export type Tensor1D = Tensor<Rank.R1>;
export type Tensor2D = Tensor<Rank.R2>;
export type Tensor3D = Tensor<Rank.R3>;
export type Tensor4D = Tensor<Rank.R4>;
export type Tensor5D = Tensor<Rank.R5>;
export type Tensor6D = Tensor<Rank.R6>;
export { tensor, scalar, tensor1d, tensor2d, tensor3d, tensor4d, tensor5d, tensor6d, fill, zeros, ones, zerosLike, onesLike, randomNormal, randomUniform, truncatedNormal, oneHot, linspace, range, eye, toRegula, fromRegula } from './creation.js';
export * from './ops.js';
export { tidy, dispose, keep, memory, nextFrame, setBackend, getBackend, ready, type TensorContainer, type TensorContainerObject, type TensorContainerArray, type BackendName } from './engine.js';
export { train, Optimizer } from './train.js';
export { losses, Reduction } from './losses.js';
export { metrics, type LossOrMetricFn } from './metrics.js';
export { layers, Layer, LayerVariable, type ApplyKwargs, type LayersNamespace } from './layers.js';
export { SymbolicTensor } from '../layers/symbolic.js';
export type { Shape } from '../layers/layer.js';
export { LayersModel, Sequential, sequential, model, input, type ModelCompileArgs, type ModelFitArgs, type ModelEvaluateArgs, type ModelPredictArgs, type SequentialArgs, type ContainerArgs, type ClassWeight, type TensorOrArrayOrMap } from './model.js';
export type { ModelFitDatasetArgs, ModelEvaluateDatasetArgs } from './fit-dataset.js';
export { loadLayersModel } from './load.js';
export { callbacks, Callback, type CustomCallbackArgs, type BaseCallback, type Logs, type EarlyStoppingCallbackArgs } from './callbacks.js';
export { EarlyStopping } from '../callbacks/early-stopping.js';
export { util } from './util.js';
/** Regula's: seeds the global generator that unseeded random ops, new models' weights and shuffles draw from. */
export { setSeed } from '../random.js';

/** What `fit` and `fitDataset` resolve with: `history.history.loss`, `history.epoch` (Regula's History). */
export type History = CoreHistory;

/** `tf.regularizers`: l1, l2, l1l2 (TF.js's `{l1, l2}` arguments), plus Regula's activity and orthogonal regularizers. */
export const regularizers = coreRegularizers;
/** `tf.constraints`: maxNorm, minMaxNorm, nonNeg, unitNorm (TF.js's arguments). */
export const constraints = coreConstraints;
/** `tf.initializers`: TF.js's names (leCunNormal…); `identity` is not provided. */
export const initializers: typeof coreInitializers & { readonly identity: never } = Object.assign({}, coreInitializers, {
  identity: ((): never => {
    throw new Error('tf.initializers.identity is not provided by regula/tfjs');
  }) as never,
});

/** `tf.layers` also names the Layer type: `tf.layers.Layer`. */
export declare namespace layers {
  type Layer = LayerClass;
}

/** `tf.data`: array, generator, zip, csv (Node: a path or file:// URL). */
export const data = { array, generator, zip, csv };
export declare namespace data {
  type Dataset<T extends import('./engine.js').TensorContainer> = DatasetClass<T>;
  type CSVDataset = CSVDatasetClass;
  type CSVConfig = CSVConfigType;
  type ColumnConfig = ColumnConfigType;
  type LazyIterator<T> = LazyIteratorType<T>;
  type DatasetContainer = DatasetContainerType;
}

/** `tf.io`: fromMemory and withSaveHandler (directories and file:// URLs go straight to save/loadLayersModel). */
export const io = { fromMemory, withSaveHandler };
export declare namespace io {
  type IOHandler = ioTypes.IOHandler;
  type ModelArtifacts = ioTypes.ModelArtifacts;
  type SaveResult = ioTypes.SaveResult;
  type SaveConfig = ioTypes.SaveConfig;
  type LoadOptions = ioTypes.LoadOptions;
  type ModelArtifactsInfo = ioTypes.ModelArtifactsInfo;
  type WeightsManifestEntry = ioTypes.WeightSpec;
}

/** Versions: Regula's TF.js API level. */
export const version = { tfjs: '4.22.0 (regula/tfjs subset)', regula: '0.1.0' };
