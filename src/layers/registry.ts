/**
 * Layer class name (as in model.json `class_name`) → constructor from config.
 * Adding a layer is one line in `LAYERS`. `layerFromConfig` rejects unknown
 * class names with the list of known ones.
 */
import type { Layer, SerializedObject } from './layer.js';
import { Activation } from './activation.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { BatchNormalization } from './batch-normalization.js';
import { Conv1D } from './conv1d.js';
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

type FromConfig = (config: Record<string, unknown>) => Layer;

/** Every deserializable layer class. */
export const LAYERS = {
  Activation: (c) => Activation.fromConfig(c),
  AveragePooling1D: (c) => AveragePooling1D.fromConfig(c),
  BatchNormalization: (c) => BatchNormalization.fromConfig(c),
  Conv1D: (c) => Conv1D.fromConfig(c),
  Dense: (c) => Dense.fromConfig(c),
  Embedding: (c) => Embedding.fromConfig(c),
  Flatten: (c) => Flatten.fromConfig(c),
  GlobalAveragePooling1D: (c) => GlobalAveragePooling1D.fromConfig(c),
  GlobalMaxPooling1D: (c) => GlobalMaxPooling1D.fromConfig(c),
  InputLayer: (c) => InputLayer.fromConfig(c),
  LayerNormalization: (c) => LayerNormalization.fromConfig(c),
  MaxPooling1D: (c) => MaxPooling1D.fromConfig(c),
  Reshape: (c) => Reshape.fromConfig(c),
  Dropout: (c) => Dropout.fromConfig(c),
  SpatialDropout1D: (c) => SpatialDropout1D.fromConfig(c),
  GaussianDropout: (c) => GaussianDropout.fromConfig(c),
  GaussianNoise: (c) => GaussianNoise.fromConfig(c),
  AlphaDropout: (c) => AlphaDropout.fromConfig(c),
  ActivityRegularization: (c) => ActivityRegularization.fromConfig(c),
} satisfies Record<string, FromConfig>;

export type LayerClassName = keyof typeof LAYERS;

/**
 * Keras/TF.js spellings of the same classes (Keras 1 `Convolution1D`, TF.js
 * aliases `AvgPool1D`, …) → registered class.
 */
export const LAYER_ALIASES: Readonly<Record<string, LayerClassName>> = {
  Convolution1D: 'Conv1D',
  MaxPool1D: 'MaxPooling1D',
  AvgPool1D: 'AveragePooling1D',
  AveragePool1D: 'AveragePooling1D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
};

/** True if `name` is a registered layer class. */
export function isLayerClassName(name: string): name is LayerClassName {
  return Object.prototype.hasOwnProperty.call(LAYERS, name);
}

/**
 * Builds a layer from {class_name, config} (Keras/TF.js JSON).
 * @throws on unknown class names, listing the known ones.
 */
export function layerFromConfig(s: SerializedObject | { className: string; config: Record<string, unknown> }): Layer {
  const raw = 'class_name' in s ? s.class_name : s.className;
  const name = typeof raw === 'string' && !isLayerClassName(raw) ? (LAYER_ALIASES[raw] ?? raw) : raw;
  if (typeof name !== 'string' || !isLayerClassName(name)) {
    throw new Error(`layerFromConfig: unknown layer class '${String(raw)}'; known: ${Object.keys(LAYERS).join(', ')}`);
  }
  return LAYERS[name](s.config ?? {});
}
