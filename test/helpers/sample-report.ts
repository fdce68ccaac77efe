/**
 * A `ReportData` for report tests, built from closed-form curves (a decaying
 * training loss; a validation loss that turns up when `overfit` > 0), so the
 * renderer can be tested before or without training a model.
 */
import type { ReportData, RunReport } from '../../src/report/report-data.js';

/** One run with `epochs` epochs; `overfit` bends validation loss upwards after `turn`. */
export function sampleRun(name: string, epochs: number, overfit: number, turn: number, stopped?: number, penalty = 0): RunReport {
  const loss: number[] = [];
  const valLoss: number[] = [];
  const acc: number[] = [];
  const valAcc: number[] = [];
  for (let e = 1; e <= epochs; e++) {
    const l = 0.1 + 2 * Math.exp(-e / 6);
    loss.push(l);
    const v = l + 0.15 + overfit * Math.max(0, e - turn) ** 1.5 * 0.01;
    valLoss.push(v);
    acc.push(1 / (1 + l));
    valAcc.push(1 / (1 + v));
  }
  let best = 0;
  valLoss.forEach((v, i) => (v < valLoss[best]! ? (best = i) : 0));
  const run: RunReport = {
    name,
    history: { loss, val_loss: valLoss, accuracy: acc, val_accuracy: valAcc },
    bestEpoch: best + 1,
    stoppedEpoch: stopped ?? null,
    train: { loss: loss.at(-1)!, accuracy: acc.at(-1)! },
    validation: { loss: valLoss[best]!, accuracy: valAcc[best]! },
    test: { loss: valLoss.at(-1)! + 0.01, accuracy: valAcc.at(-1)! - 0.01 },
    gap: acc.at(-1)! - (valAcc.at(-1)! - 0.01),
    epochsRun: epochs,
    seconds: epochs * 0.037,
    layers: [
      { layer: 'dense_1', weightNorms: { max: 3 + overfit, mean: 1.5 + overfit / 2 }, penalty, regularization: penalty ? 'l2(1e-4)' : '' },
      { layer: 'dense_2', weightNorms: { max: 2.25, mean: 1.125 }, penalty: 0 },
    ],
  };
  return run;
}

/** A report with four regimes, one of them stopped early. */
export function sampleReport(): ReportData {
  return {
    title: 'Regula demo — digits',
    dataset: 'digits',
    seed: 42,
    task: 'classification',
    metric: 'accuracy',
    higherIsBetter: true,
    config: { hidden: [256, 128], activation: 'relu', epochs: 40, batchSize: 32, optimizer: 'adam', lr: 0.001, split: { validation: 0.15, test: 0.15 } },
    command: 'regula demo --dataset digits --epochs 40',
    runs: [
      sampleRun('none', 40, 2, 8),
      sampleRun('l2', 40, 0.5, 15, undefined, 0.0123),
      sampleRun('dropout', 40, 0.3, 20),
      sampleRun('early stopping + checkpoint', 25, 2, 8, 25),
    ],
  };
}
