/**
 * Port of tfjs-examples/sentiment (IMDB reviews), in its style: padded token
 * id sequences as a float tensor2d, labels as [n, 1], buildModel with an
 * embedding layer (inputDim, outputDim, inputLength) followed by pooling and
 * dense layers, compile with loss 'binaryCrossentropy', an adam optimizer,
 * metrics ['acc'], fit with validationSplit and a callbacks object, then
 * `const [testLoss, testAcc] = model.evaluate(...)` and a prediction on one
 * padded sequence read with dataSync. The reviews are generated: positive
 * ones draw more words from a "positive" vocabulary, negative ones from a
 * "negative" one, and every review has filler words and padding.
 * Only the import below differs from the @tensorflow/tfjs version.
 */
import type * as tf from 'regula/tfjs';
import { Gen } from './gen.js';

type TF = typeof tf;

const VOCABULARY_SIZE = 60;
const MAX_LEN = 16;
const EMBEDDING_SIZE = 8;
const OOV_INDEX = 2;

export interface SentimentResult {
  lossHistory: number[];
  valAccHistory: number[];
  testLoss: number;
  testAcc: number;
  positiveScore: number;
}

/** padSequences as in the example: truncate or pad at the start ('pre'). */
export function padSequences(sequences: number[][], maxLen: number, padding = 'pre', truncating = 'pre', value = 0): number[][] {
  return sequences.map((seq) => {
    if (seq.length > maxLen) seq = truncating === 'pre' ? seq.slice(seq.length - maxLen) : seq.slice(0, maxLen);
    if (seq.length < maxLen) {
      const pad = new Array<number>(maxLen - seq.length).fill(value);
      seq = padding === 'pre' ? pad.concat(seq) : seq.concat(pad);
    }
    return seq;
  });
}

function makeReviews(g: Gen, n: number): { sequences: number[][]; labels: number[] } {
  const sequences: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const len = 6 + g.int(14);
    const seq: number[] = [1];
    for (let j = 0; j < len; j++) {
      const r = g.next();
      if (r < 0.25) seq.push((label === 1 ? 3 : 13) + g.int(10));
      else if (r < 0.33) seq.push((label === 1 ? 13 : 3) + g.int(10));
      else if (r < 0.36) seq.push(OOV_INDEX);
      else seq.push(23 + g.int(VOCABULARY_SIZE - 23));
    }
    sequences.push(seq);
    labels.push(label);
  }
  return { sequences, labels };
}

function loadData(tf: TF, n: number, g: Gen): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const { sequences, labels } = makeReviews(g, n);
  const xs = tf.tensor2d(padSequences(sequences, MAX_LEN), [n, MAX_LEN]);
  const ys = tf.tensor2d(labels, [n, 1]);
  return { xs, ys };
}

export function buildModel(tf: TF, modelType: 'flatten' | 'pooling', maxLen: number, vocabularySize: number, embeddingSize: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: vocabularySize, outputDim: embeddingSize, inputLength: maxLen }));
  if (modelType === 'flatten') {
    model.add(tf.layers.flatten());
  } else {
    model.add(tf.layers.globalAveragePooling1d({}));
    model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  }
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  return model;
}

export async function sentiment(tf: TF, params = { epochs: 10, batchSize: 32, learningRate: 0.001, trainSize: 800, testSize: 200, modelType: 'pooling' as 'flatten' | 'pooling', seed: 4 }): Promise<SentimentResult> {
  const g = new Gen(params.seed);
  const train = loadData(tf, params.trainSize, g);
  const test = loadData(tf, params.testSize, g);
  const model = buildModel(tf, params.modelType, MAX_LEN, VOCABULARY_SIZE, EMBEDDING_SIZE);
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(params.learningRate), metrics: ['acc'] });
  model.summary(undefined, undefined, () => {});

  const lossHistory: number[] = [];
  const valAccHistory: number[] = [];
  await model.fit(train.xs, train.ys, {
    epochs: params.epochs,
    batchSize: params.batchSize,
    validationSplit: 0.2,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        lossHistory.push(logs!.loss);
        valAccHistory.push(logs!.val_acc);
      },
    },
  });

  const [testLoss, testAcc] = model.evaluate(test.xs, test.ys, { batchSize: params.batchSize }) as tf.Scalar[];
  // predict(): one review, padded, as in the example's SentimentPredictor.
  const review = [1].concat(Array.from({ length: 8 }, (_, i) => 3 + ((i * 3) % 10)));
  const input = tf.tensor2d(padSequences([review], MAX_LEN), [1, MAX_LEN]);
  const predictOut = model.predict(input) as tf.Tensor;
  const positiveScore = predictOut.dataSync()[0]!;
  predictOut.dispose();
  input.dispose();
  return { lossHistory, valAccHistory, testLoss: testLoss!.dataSync()[0]!, testAcc: testAcc!.dataSync()[0]!, positiveScore };
}
