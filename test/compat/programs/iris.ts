/**
 * Port of tfjs-examples/iris (a dense classifier), written in its style:
 * tf.tensor2d / tf.oneHot data, tf.sequential with model.add, tf.train.adam,
 * metrics ['accuracy'] read back as logs.acc / logs.val_acc in a callbacks
 * object, tf.tidy + dataSync for the predictions. The data are generated
 * Gaussian clusters with iris's class means (150 rows, 4 features, 3 classes).
 * Only the import below differs from the @tensorflow/tfjs version.
 */
import type * as tf from 'regula/tfjs';
import { Gen } from './gen.js';

type TF = typeof tf;

const IRIS_CLASSES = ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'];
const IRIS_NUM_CLASSES = IRIS_CLASSES.length;
const MEANS = [[5.0, 3.4, 1.5, 0.25], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]];
const STDS = [0.35, 0.33, 0.45, 0.2];

export interface IrisResult {
  lossHistory: number[];
  valLoss: number;
  valAcc: number;
  testAccuracy: number;
}

/** Data like the example's getIrisData: train/test split of tensors, one-hot labels. */
function getIrisData(tf: TF, testSplit: number, seed: number): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const g = new Gen(seed);
  const rows: { x: number[]; y: number }[] = [];
  for (let i = 0; i < 150; i++) {
    const y = i % IRIS_NUM_CLASSES;
    rows.push({ x: MEANS[y]!.map((m, j) => m + STDS[j]! * g.normal()), y });
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = g.int(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const numTest = Math.round(rows.length * testSplit);
  const convert = (part: typeof rows): [tf.Tensor2D, tf.Tensor2D] =>
    tf.tidy(() => {
      const xs = tf.tensor2d(part.map((r) => r.x), [part.length, 4]);
      const ys = tf.oneHot(tf.tensor1d(part.map((r) => r.y)).toInt(), IRIS_NUM_CLASSES) as tf.Tensor2D;
      return [xs, ys];
    });
  const [xTrain, yTrain] = convert(rows.slice(numTest));
  const [xTest, yTest] = convert(rows.slice(0, numTest));
  return [xTrain, yTrain, xTest, yTest];
}

export async function iris(tf: TF, params = { epochs: 40, learningRate: 0.01, seed: 1 }): Promise<IrisResult> {
  const [xTrain, yTrain, xTest, yTest] = getIrisData(tf, 0.2, params.seed);

  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 10, activation: 'sigmoid', inputShape: [xTrain.shape[1]] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  const optimizer = tf.train.adam(params.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const lossHistory: number[] = [];
  let valAcc = NaN;
  await model.fit(xTrain, yTrain, {
    epochs: params.epochs,
    validationData: [xTest, yTest],
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        lossHistory.push(logs!.loss);
        valAcc = logs!.val_acc;
        await tf.nextFrame();
      },
    },
  });

  // evaluateModelOnTestData: predicted class per row, compared with the labels.
  const testAccuracy = tf.tidy(() => {
    const predictOut = model.predict(xTest) as tf.Tensor;
    const winners = predictOut.argMax(-1).dataSync();
    const labels = yTest.argMax(-1).dataSync();
    let right = 0;
    for (let i = 0; i < winners.length; i++) if (winners[i] === labels[i]) right++;
    return right / winners.length;
  });
  const [valLoss] = (model.evaluate(xTest, yTest) as tf.Scalar[]).map((s) => s.dataSync()[0]!);
  tf.dispose([xTrain, yTrain, xTest, yTest]);
  return { lossHistory, valLoss: valLoss!, valAcc, testAccuracy };
}
