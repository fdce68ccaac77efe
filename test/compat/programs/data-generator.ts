/**
 * Port of tfjs-examples/data-generator (tf.data with model.fitDataset), in
 * its style: an endless JavaScript generator of simulated card hands,
 * tf.data.generator(...).map(gameToFeaturesAndLabel).batch(...), features
 * made inside tf.tidy from tf.oneHot(...).sum(0), a dense binary classifier,
 * model.fitDataset with batchesPerEpoch, a validation dataset with
 * validationBatches and a callbacks object. The label is "the hand holds a
 * pair or better". The generator is never materialized.
 * Only the import below differs from the @tensorflow/tfjs version.
 */
import type * as tf from 'regula/tfjs';
import { Gen } from './gen.js';

type TF = typeof tf;

const GAME_STATE = { numCardsPerHand: 4, numCardValues: 13 };

export interface DataGeneratorResult {
  lossHistory: number[];
  valLoss: number;
  valAcc: number;
  generated: number;
}

type Game = { hand: number[]; win: number };

export async function dataGenerator(tf: TF, params = { epochs: 8, batchSize: 50, batchesPerEpoch: 20, learningRate: 0.01, seed: 5 }): Promise<DataGeneratorResult> {
  const g = new Gen(params.seed);
  let generated = 0;
  const generateOneGame = (): Game => {
    const hand = Array.from({ length: GAME_STATE.numCardsPerHand }, () => g.int(GAME_STATE.numCardValues));
    const counts = new Array<number>(GAME_STATE.numCardValues).fill(0);
    for (const c of hand) counts[c]!++;
    generated++;
    return { hand, win: Math.max(...counts) >= 2 ? 1 : 0 };
  };
  function* gameGenerator(): Generator<Game> {
    while (true) yield generateOneGame();
  }
  const gameToFeaturesAndLabel = (game: Game): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => {
      const xs = tf.oneHot(tf.tensor1d(game.hand, 'int32'), GAME_STATE.numCardValues).sum(0).toFloat();
      const ys = tf.tensor1d([game.win]);
      return { xs, ys };
    });

  const dataset = tf.data.generator(gameGenerator).map(gameToFeaturesAndLabel).batch(params.batchSize);
  const validationDataset = tf.data.generator(gameGenerator).map(gameToFeaturesAndLabel).batch(params.batchSize);

  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [GAME_STATE.numCardValues], units: 32, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(params.learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });

  const lossHistory: number[] = [];
  let valLoss = NaN;
  let valAcc = NaN;
  await model.fitDataset(dataset, {
    batchesPerEpoch: params.batchesPerEpoch,
    epochs: params.epochs,
    validationData: validationDataset,
    validationBatches: 4,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        lossHistory.push(logs!.loss);
        valLoss = logs!.val_loss;
        valAcc = logs!.val_acc;
      },
    },
  });
  return { lossHistory, valLoss, valAcc, generated };
}
