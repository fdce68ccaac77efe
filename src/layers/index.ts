/**
 * The `layers` namespace: one factory per layer (TF.js spelling), plus the
 * classes, their argument types and the class registry.
 * `layers.dense({ units: 8 })`.
 */
import { activation } from './activation.js';
import { averagePooling1d } from './average-pooling1d.js';
import { batchNormalization } from './batch-normalization.js';
import { conv1d, convolution1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { conv2dTranspose } from './conv2d-transpose.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { separableConv2d } from './separable-conv2d.js';
import { dense } from './dense.js';
import { embedding } from './embedding.js';
import { flatten } from './flatten.js';
import { globalAveragePooling1d } from './global-average-pooling1d.js';
import { globalMaxPooling1d } from './global-max-pooling1d.js';
import { input, inputLayer } from './input-layer.js';
import { layerNormalization } from './layer-normalization.js';
import { maxPooling1d } from './max-pooling1d.js';
import { reshape } from './reshape.js';
import { dropout } from './dropout.js';
import { spatialDropout1d } from './spatial-dropout1d.js';
import { gaussianDropout } from './gaussian-dropout.js';
import { gaussianNoise } from './gaussian-noise.js';
import { alphaDropout } from './alpha-dropout.js';
import { activityRegularization } from './activity-regularization.js';
import { add, average, maximum, minimum, multiply, subtract } from './merge.js';
import { concatenate } from './concatenate.js';
import { dot } from './dot.js';
import { randomFlip } from './random-flip.js';
import { randomRotation, randomTranslation, randomZoom } from './random-affine.js';
import { randomBrightness, randomContrast } from './random-color.js';
import { randomCrop } from './random-crop.js';
import { maxPooling2d } from './max-pooling2d.js';
import { averagePooling2d } from './average-pooling2d.js';
import { globalAveragePooling2d, globalMaxPooling2d } from './global-pooling2d.js';
import { zeroPadding2d } from './zero-padding2d.js';
import { cropping2d } from './cropping2d.js';
import { upSampling2d } from './up-sampling2d.js';
import { spatialDropout2d } from './spatial-dropout2d.js';
import { rescaling } from './rescaling.js';
import { masking } from './masking.js';
import { timeDistributed } from './time-distributed.js';
import { bidirectional } from './bidirectional.js';
import { simpleRNN } from './simple-rnn.js';
import { lstm } from './lstm.js';
import { gru } from './gru.js';

export { Activation, activation, type ActivationArgs } from './activation.js';
export { AveragePooling1D, averagePooling1d } from './average-pooling1d.js';
export { BatchNormalization, batchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { Conv1D, conv1d, convolution1d, type Conv1DArgs } from './conv1d.js';
export { Conv2D, conv2d, type Conv2DArgs } from './conv2d.js';
export { Conv2DTranspose, conv2dTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
export { DepthwiseConv2D, depthwiseConv2d, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
export { SeparableConv2D, separableConv2d, type SeparableConv2DArgs } from './separable-conv2d.js';
export { Dense, dense, type DenseArgs } from './dense.js';
export { Embedding, embedding, type EmbeddingArgs } from './embedding.js';
export { Flatten, flatten, type FlattenArgs } from './flatten.js';
export { GlobalAveragePooling1D, globalAveragePooling1d, type GlobalPooling1DArgs } from './global-average-pooling1d.js';
export { GlobalMaxPooling1D, globalMaxPooling1d } from './global-max-pooling1d.js';
export { InputLayer, input, inputLayer, type InputLayerArgs } from './input-layer.js';
export { LayerNormalization, layerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
export { MaxPooling1D, maxPooling1d } from './max-pooling1d.js';
export type { Pooling1DArgs } from './pool1d-args.js';
export { Reshape, reshape, type ReshapeArgs } from './reshape.js';
export { Dropout, dropout, type DropoutArgs, type DropoutKeras1Args } from './dropout.js';
export { SpatialDropout1D, spatialDropout1d, type SpatialDropout1DArgs } from './spatial-dropout1d.js';
export { GaussianDropout, gaussianDropout, type GaussianDropoutArgs } from './gaussian-dropout.js';
export { GaussianNoise, gaussianNoise, type GaussianNoiseArgs } from './gaussian-noise.js';
export { AlphaDropout, alphaDropout, alphaDropoutAffine, type AlphaDropoutArgs } from './alpha-dropout.js';
export { ActivityRegularization, activityRegularization, type ActivityRegularizationArgs } from './activity-regularization.js';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum, add, subtract, multiply, average, maximum, minimum, type MergeArgs, type MergeFactory } from './merge.js';
export { Concatenate, concatenate, type ConcatenateArgs } from './concatenate.js';
export { Dot, dot, type DotArgs } from './dot.js';
export { RandomFlip, randomFlip, type RandomFlipArgs, type FlipMode } from './random-flip.js';
export { RandomTranslation, RandomRotation, RandomZoom, randomTranslation, randomRotation, randomZoom, type RandomTranslationArgs, type RandomRotationArgs, type RandomZoomArgs } from './random-affine.js';
export { RandomContrast, RandomBrightness, randomContrast, randomBrightness, type RandomContrastArgs, type RandomBrightnessArgs } from './random-color.js';
export { RandomCrop, randomCrop, type RandomCropArgs } from './random-crop.js';
export { MaxPooling2D, maxPooling2d } from './max-pooling2d.js';
export { AveragePooling2D, averagePooling2d } from './average-pooling2d.js';
export type { Pooling2DArgs } from './pool2d-args.js';
export { GlobalAveragePooling2D, GlobalMaxPooling2D, globalAveragePooling2d, globalMaxPooling2d, type GlobalPooling2DArgs } from './global-pooling2d.js';
export { ZeroPadding2D, zeroPadding2d, type ZeroPadding2DArgs } from './zero-padding2d.js';
export { Cropping2D, cropping2d, type Cropping2DArgs } from './cropping2d.js';
export { UpSampling2D, upSampling2d, type UpSampling2DArgs } from './up-sampling2d.js';
export { SpatialDropout2D, spatialDropout2d, type SpatialDropout2DArgs } from './spatial-dropout2d.js';
export { Rescaling, rescaling, type RescalingArgs } from './rescaling.js';
export { Masking, masking, type MaskingArgs } from './masking.js';
export { TimeDistributed, timeDistributed, type TimeDistributedArgs } from './time-distributed.js';
export { Bidirectional, bidirectional, type BidirectionalArgs, type BidirectionalMergeMode } from './bidirectional.js';
export { SimpleRNN, simpleRNN, type SimpleRNNArgs } from './simple-rnn.js';
export { LSTM, lstm, type LSTMArgs } from './lstm.js';
export { GRU, gru, type GRUArgs } from './gru.js';
export type { RnnDropoutMasks } from './rnn-base.js';
export { LAYERS, LAYER_ALIASES, layerFromConfig, isLayerClassName, type LayerClassName } from './registry.js';
export type { InitializerArg, RegularizerArg, ConstraintArg, KernelBiasArgs, GammaBetaArgs } from './options.js';
export type { LayerClass } from './layer.js';

/** Factories for every layer (TF.js names; Keras 1 `convolution1d` too). */
export const layers = {
  activation,
  averagePooling1d,
  avgPool1d: averagePooling1d,
  batchNormalization,
  conv1d,
  convolution1d,
  conv2d,
  convolution2d: conv2d,
  conv2dTranspose,
  depthwiseConv2d,
  separableConv2d,
  dense,
  embedding,
  flatten,
  globalAveragePooling1d,
  globalMaxPooling1d,
  input,
  inputLayer,
  layerNormalization,
  maxPooling1d,
  maxPool1d: maxPooling1d,
  reshape,
  dropout,
  spatialDropout1d,
  gaussianDropout,
  gaussianNoise,
  alphaDropout,
  activityRegularization,
  add,
  subtract,
  multiply,
  average,
  maximum,
  minimum,
  concatenate,
  dot,
  randomFlip,
  randomTranslation,
  randomRotation,
  randomZoom,
  randomContrast,
  randomBrightness,
  randomCrop,
  maxPooling2d,
  maxPool2d: maxPooling2d,
  averagePooling2d,
  avgPool2d: averagePooling2d,
  avgPooling2d: averagePooling2d,
  globalAveragePooling2d,
  globalMaxPooling2d,
  zeroPadding2d,
  cropping2d,
  cropping2D: cropping2d,
  upSampling2d,
  spatialDropout2d,
  rescaling,
  masking,
  timeDistributed,
  simpleRNN,
  lstm,
  gru,
  bidirectional,
};
