/**
 * Port of tfjs-examples/mnist (the layers convnet), in its style:
 * createConvModel (conv2d 3×3 + maxPooling2d twice, conv2d, flatten, dense
 * relu, dense softmax), compile with optimizer 'rmsprop' and metrics
 * ['accuracy'], fit with batchSize, validationSplit 0.15 and onBatchEnd /
 * onEpochEnd hooks reading logs.acc and logs.val_acc, then
 * model.evaluate(...) as a list of scalars and predictions through
 * tf.tidy / argMax / dataSync. The images are generated 28×28×1 digits-like
 * patterns (one stroke shape per class, noise, a random shift).
 * Only the import below differs from the @tensorflow/tfjs version.
 */
import type * as tf from 'regula/tfjs';
import { Gen } from './gen.js';

type TF = typeof tf;

const IMAGE_H = 28;
const IMAGE_W = 28;
const NUM_CLASSES = 10;

export interface MnistResult {
  batchLosses: number[];
  lossHistory: number[];
  valAcc: number;
  testLoss: number;
  testAccPercent: number;
  predictedMatchesLabels: number;
}

/** One image of class c: a class-specific bar or box, two pixels thick, shifted by up to 1 pixel, plus noise. */
function drawImage(g: Gen, c: number): number[] {
  const img = new Array<number>(IMAGE_H * IMAGE_W).fill(0);
  const dy = g.int(3) - 1;
  const dx = g.int(3) - 1;
  const set = (y: number, x: number): void => {
    for (const [oy, ox] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
      const yy = y + dy + oy;
      const xx = x + dx + ox;
      if (yy >= 0 && yy < IMAGE_H && xx >= 0 && xx < IMAGE_W) img[yy * IMAGE_W + xx] = 1;
    }
  };
  for (let i = 6; i < 22; i++) {
    if (c === 0) (set(6, i), set(21, i), set(i, 6), set(i, 21));
    else if (c === 1) set(i, 14);
    else if (c === 2) set(14, i);
    else if (c === 3) set(i, i);
    else if (c === 4) set(i, 27 - i);
    else if (c === 5) (set(i, 14), set(14, i));
    else if (c === 6) (set(i, i), set(i, 27 - i));
    else if (c === 7) (set(6, i), set(i, 21));
    else if (c === 8) (set(21, i), set(i, 6));
    else (set(10, i), set(18, i));
  }
  return img.map((v) => Math.min(1, v * 0.9 + 0.1 * g.next()));
}

function getData(tf: TF, n: number, g: Gen): { xs: tf.Tensor4D; labels: tf.Tensor2D } {
  const images: number[] = [];
  const classes: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % NUM_CLASSES;
    classes.push(c);
    for (const v of drawImage(g, c)) images.push(v);
  }
  const xs = tf.tensor4d(images, [n, IMAGE_H, IMAGE_W, 1]);
  const labels = tf.oneHot(tf.tensor1d(classes, 'int32'), NUM_CLASSES).toFloat() as tf.Tensor2D;
  return { xs, labels };
}

export function createConvModel(tf: TF, filters = [16, 32, 32]): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [IMAGE_H, IMAGE_W, 1], kernelSize: 3, filters: filters[0]!, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.conv2d({ kernelSize: 3, filters: filters[1]!, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.conv2d({ kernelSize: 3, filters: filters[2]!, activation: 'relu' }));
  model.add(tf.layers.flatten({}));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

export async function mnist(tf: TF, params = { trainSize: 600, testSize: 100, epochs: 3, batchSize: 64, filters: [16, 32, 32], seed: 3 }): Promise<MnistResult> {
  const g = new Gen(params.seed);
  const trainData = getData(tf, params.trainSize, g);
  const testData = getData(tf, params.testSize, g);
  const model = createConvModel(tf, params.filters);
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const batchLosses: number[] = [];
  const lossHistory: number[] = [];
  let valAcc = NaN;
  await model.fit(trainData.xs, trainData.labels, {
    batchSize: params.batchSize,
    validationSplit: 0.15,
    epochs: params.epochs,
    callbacks: {
      onBatchEnd: async (batch, logs) => {
        batchLosses.push(logs!.loss);
      },
      onEpochEnd: async (epoch, logs) => {
        lossHistory.push(logs!.loss);
        valAcc = logs!.val_acc;
        await tf.nextFrame();
      },
    },
  });

  const testResult = model.evaluate(testData.xs, testData.labels) as tf.Scalar[];
  const testLoss = testResult[0]!.dataSync()[0]!;
  const testAccPercent = testResult[1]!.dataSync()[0]! * 100;

  // showPredictions: argMax of the outputs against the labels, inside tf.tidy.
  const predictedMatchesLabels = tf.tidy(() => {
    const output = model.predict(testData.xs) as tf.Tensor;
    const axis = 1;
    const labels = Array.from(testData.labels.argMax(axis).dataSync());
    const predictions = Array.from(output.argMax(axis).dataSync());
    return predictions.filter((p, i) => p === labels[i]).length;
  });
  return { batchLosses, lossHistory, valAcc, testLoss, testAccPercent, predictedMatchesLabels };
}
