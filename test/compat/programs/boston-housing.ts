/**
 * Port of tfjs-examples/boston-housing (regression with normalization), in
 * its style: features normalized with the training set's mean and standard
 * deviation computed by chained tensor ops (mean(0), sub, square, sqrt, div),
 * a baseline loss from the mean price, a one-hidden-layer MLP (sigmoid,
 * leCunNormal) trained with tf.train.sgd on 'meanSquaredError' with
 * validationSplit and a callbacks object, then model.evaluate(...).dataSync().
 * The data are generated: 333 training and 173 test rows of 12 features and
 * a price around 22 ± 9, as in the Boston housing set.
 * Only the import below differs from the @tensorflow/tfjs version.
 */
import type * as tf from 'regula/tfjs';
import { Gen } from './gen.js';

type TF = typeof tf;

const NUM_FEATURES = 12;
const BATCH_SIZE = 40;

export interface BostonResult {
  baseline: number;
  lossHistory: number[];
  valLossHistory: number[];
  testLoss: number;
}

/** Rows of 12 features on different scales and a price depending on them nonlinearly. */
function makeRows(g: Gen, n: number): { features: number[][]; target: number[][] } {
  const scales = [8, 20, 7, 0.3, 0.1, 0.7, 28, 2, 8, 170, 2, 7];
  const offsets = [3.6, 11, 11, 0, 0.55, 6.3, 68, 3.8, 9.5, 408, 18, 12.6];
  const features: number[][] = [];
  const target: number[][] = [];
  for (let i = 0; i < n; i++) {
    const z = scales.map(() => g.normal());
    features.push(z.map((v, j) => offsets[j]! + scales[j]! * v));
    const price = 22.5 + 6 * z[5]! - 5 * z[11]! - 2 * z[0]! + 1.5 * Math.tanh(z[4]! * z[7]!) + 2 * Math.exp(-z[9]! * z[9]!) + 1.5 * g.normal();
    target.push([price]);
  }
  return { features, target };
}

export function determineMeanAndStddev(data: tf.Tensor): { dataMean: tf.Tensor; dataStd: tf.Tensor } {
  const dataMean = data.mean(0);
  const diffFromMean = data.sub(dataMean);
  const squaredDiffFromMean = diffFromMean.square();
  const variance = squaredDiffFromMean.mean(0);
  const dataStd = variance.sqrt();
  return { dataMean, dataStd };
}

export function normalizeTensor(data: tf.Tensor, dataMean: tf.Tensor, dataStd: tf.Tensor): tf.Tensor {
  return data.sub(dataMean).div(dataStd);
}

export async function bostonHousing(tf: TF, params = { epochs: 60, learningRate: 0.01, seed: 2 }): Promise<BostonResult> {
  const g = new Gen(params.seed);
  const train = makeRows(g, 333);
  const test = makeRows(g, 173);
  const rawTrainFeatures = tf.tensor2d(train.features, [333, NUM_FEATURES]);
  const trainTarget = tf.tensor2d(train.target, [333, 1]);
  const rawTestFeatures = tf.tensor2d(test.features, [173, NUM_FEATURES]);
  const testTarget = tf.tensor2d(test.target, [173, 1]);

  const { dataMean, dataStd } = determineMeanAndStddev(rawTrainFeatures);
  const trainFeatures = normalizeTensor(rawTrainFeatures, dataMean, dataStd);
  const testFeatures = normalizeTensor(rawTestFeatures, dataMean, dataStd);

  // computeBaseline: the loss of always predicting the mean training price.
  const avgPrice = tf.mean(trainTarget);
  const baseline = tf.mean(tf.pow(tf.sub(testTarget, avgPrice), 2)).dataSync()[0]!;

  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [NUM_FEATURES], units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(params.learningRate), loss: 'meanSquaredError' });

  const lossHistory: number[] = [];
  const valLossHistory: number[] = [];
  await model.fit(trainFeatures, trainTarget, {
    batchSize: BATCH_SIZE,
    epochs: params.epochs,
    validationSplit: 0.2,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        lossHistory.push(logs!.loss);
        valLossHistory.push(logs!.val_loss);
      },
    },
  });
  const result = model.evaluate(testFeatures, testTarget, { batchSize: BATCH_SIZE }) as tf.Scalar;
  const testLoss = result.dataSync()[0]!;
  return { baseline, lossHistory, valLossHistory, testLoss };
}
