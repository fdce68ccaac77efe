/**
 * The workload models in TF.js's Layers API (the same architecture, loss and
 * optimizer as every other implementation; see `bench/workloads.ts`).
 */
import type * as TF from '@tensorflow/tfjs';
import { HYPER, type ModelWorkload } from '../workloads.js';

/** The `@tensorflow/tfjs` module. */
export type Tf = typeof TF;

/** Builds and compiles the Keras-style model of a workload (W4 uses W1's). */
export function buildTfjsModel(tf: Tf, w: ModelWorkload): TF.LayersModel {
  const l2 = (): ReturnType<Tf['regularizers']['l2']> => tf.regularizers.l2({ l2: HYPER.l2 });
  const model = tf.sequential();
  if (w === 'W1' || w === 'W4') {
    model.add(tf.layers.dense({ inputShape: [784], units: 512, activation: 'relu', kernelRegularizer: l2() }));
    model.add(tf.layers.dropout({ rate: HYPER.w1Dropout }));
    model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelConstraint: tf.constraints.maxNorm({ maxValue: HYPER.maxNorm }) }));
    model.add(tf.layers.dropout({ rate: HYPER.w1Dropout }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  } else if (w === 'W2') {
    model.add(tf.layers.dense({ inputShape: [30], units: 64, activation: 'relu', kernelRegularizer: l2() }));
    model.add(tf.layers.dropout({ rate: HYPER.w2Dropout }));
    model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 1 }));
  } else if (w === 'W6') {
    // TF.js's LSTM never implemented dropout / recurrentDropout masks: the peer runs W6 without them.
    model.add(tf.layers.embedding({ inputShape: [100], inputDim: HYPER.w6Vocab, outputDim: HYPER.w6Embedding, maskZero: true }));
    model.add(tf.layers.lstm({ units: HYPER.w6Units, recurrentActivation: 'sigmoid' }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  } else if (w === 'W5') {
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dropout({ rate: HYPER.w5Dropout }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  } else {
    model.add(tf.layers.conv1d({ inputShape: [128, 8], filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelConstraint: tf.constraints.nonNeg() }));
    model.add(tf.layers.conv1d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.globalAveragePooling1d());
    model.add(tf.layers.gaussianNoise({ stddev: HYPER.w3Noise }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  }
  model.compile({
    optimizer: tf.train.adam(HYPER.learningRate, HYPER.beta1, HYPER.beta2, HYPER.epsilon),
    loss: w === 'W2' ? 'meanSquaredError' : w === 'W6' ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
  return model;
}
