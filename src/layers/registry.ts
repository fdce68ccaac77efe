/**
 * Layer class name (as in model.json `class_name`) → layer class.
 * Adding a layer is one line in `LAYERS`. `layerFromConfig` resolves names
 * with the one name resolver (src/config/resolve.ts) and rejects unknown ones
 * listing the known classes.
 */
import { nameTable, resolve } from '../config/resolve.js';
import type { SerializedObject } from '../config/types.js';
import type { Layer, LayerClass } from './layer.js';
import { Activation } from './activation.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { BatchNormalization } from './batch-normalization.js';
import { Conv1D } from './conv1d.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { InputLayer } from './input-layer.js';
import { LayerNormalization } from './layer-normalization.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { Reshape } from './reshape.js';
import { Dropout } from './dropout.js';
import { SpatialDropout1D } from './spatial-dropout1d.js';
import { GaussianDropout } from './gaussian-dropout.js';
import { GaussianNoise } from './gaussian-noise.js';
import { AlphaDropout } from './alpha-dropout.js';
import { ActivityRegularization } from './activity-regularization.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import { Concatenate } from './concatenate.js';
import { Dot } from './dot.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation, RandomTranslation, RandomZoom } from './random-affine.js';
import { RandomBrightness, RandomContrast } from './random-color.js';
import { RandomCrop } from './random-crop.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { ZeroPadding2D } from './zero-padding2d.js';
import { Cropping2D } from './cropping2d.js';
import { UpSampling2D } from './up-sampling2d.js';
import { SpatialDropout2D } from './spatial-dropout2d.js';
import { Rescaling } from './rescaling.js';
import { Masking } from './masking.js';
import { TimeDistributed } from './time-distributed.js';
import { Bidirectional } from './bidirectional.js';
import { SimpleRNN } from './simple-rnn.js';
import { LSTM } from './lstm.js';
import { GRU } from './gru.js';
import { setInnerLayerResolver } from './wrapper.js';

/** Every deserializable layer class. */
export const LAYERS = {
  Activation,
  AveragePooling1D,
  BatchNormalization,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv2D,
  SeparableConv2D,
  Dense,
  Embedding,
  Flatten,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  InputLayer,
  LayerNormalization,
  MaxPooling1D,
  Reshape,
  Dropout,
  SpatialDropout1D,
  GaussianDropout,
  GaussianNoise,
  AlphaDropout,
  ActivityRegularization,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
  Dot,
  RandomFlip,
  RandomTranslation,
  RandomRotation,
  RandomZoom,
  RandomContrast,
  RandomBrightness,
  RandomCrop,
  MaxPooling2D,
  AveragePooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  ZeroPadding2D,
  Cropping2D,
  UpSampling2D,
  SpatialDropout2D,
  Rescaling,
  Masking,
  TimeDistributed,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
} satisfies Record<string, LayerClass>;

export type LayerClassName = keyof typeof LAYERS;

/**
 * Keras/TF.js spellings of the same classes (Keras 1 `Convolution1D`, TF.js
 * aliases `AvgPool1D`, …) → registered class.
 */
export const LAYER_ALIASES: Readonly<Record<string, LayerClassName>> = {
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution2DTranspose: 'Conv2DTranspose',
  SeparableConvolution2D: 'SeparableConv2D',
  MaxPool1D: 'MaxPooling1D',
  AvgPool1D: 'AveragePooling1D',
  AveragePool1D: 'AveragePooling1D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  AvgPool2D: 'AveragePooling2D',
  AveragePool2D: 'AveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
};

/** True if `name` is a registered layer class (exact spelling). */
export function isLayerClassName(name: string): name is LayerClassName {
  return Object.prototype.hasOwnProperty.call(LAYERS, name);
}

const TABLE = nameTable<LayerClass>('layerFromConfig', 'layer class', LAYERS, { aliases: LAYER_ALIASES });

/**
 * Builds a layer from {class_name, config} (Keras/TF.js JSON).
 * @throws on unknown class names, listing the known ones.
 */
export function layerFromConfig(s: SerializedObject | { className: string; config: Record<string, unknown> }): Layer {
  const raw = 'class_name' in s ? s.class_name : s.className;
  if (typeof raw !== 'string') throw new Error(`layerFromConfig: class_name must be a string, got ${JSON.stringify(raw)}`);
  return resolve(TABLE, raw).fromConfig(s.config ?? {});
}

// Wrappers (TimeDistributed, Bidirectional) read their nested layer configs through the registry.
setInnerLayerResolver(layerFromConfig);
