/**
 * `tf.metrics` (TF.js layers' metric functions): each takes (yTrue, yPred)
 * and returns one value per example (precision and recall: a scalar). Passed
 * to `compile({ metrics })`, the ones Regula has built in run as Regula's
 * metrics and log under TF.js's name (`binaryAccuracy`, …); any other
 * function is averaged over batches as TF.js does, logged under its name.
 */
import { MeanMetricWrapper, type Metric } from '../metrics.js';
import type { Tensor as CoreTensor } from '../tensor/tensor.js';
import { clipProbs } from './losses.js';
import { abs, argMax, equal, greater, log, mean, mul, neg, sub, sum } from './ops.js';
import { Tensor, unwrap, wrap } from './tensor.js';

/** TF.js's `LossOrMetricFn`. */
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

const float = (t: Tensor): Tensor => t.toFloat();

export const binaryAccuracy = (yTrue: Tensor, yPred: Tensor): Tensor => mean(equal(float(yTrue), greater(yPred, 0.5)), -1);
export const categoricalAccuracy = (yTrue: Tensor, yPred: Tensor): Tensor => equal(argMax(yTrue, -1), argMax(yPred, -1)).toFloat();
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const labels = yTrue.rank === yPred.rank ? yTrue.squeeze([-1]) : yTrue;
  return equal(labels.toInt(), argMax(yPred, -1)).toFloat();
}
export const meanSquaredError = (yTrue: Tensor, yPred: Tensor): Tensor => mean(sub(float(yTrue), yPred).square(), -1);
export const meanAbsoluteError = (yTrue: Tensor, yPred: Tensor): Tensor => mean(abs(sub(float(yTrue), yPred)), -1);
export const meanAbsolutePercentageError = (yTrue: Tensor, yPred: Tensor): Tensor => {
  const t = float(yTrue);
  return mean(abs(sub(t, yPred).div(abs(t).maximum(1e-7))), -1).mul(100);
};
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const p = clipProbs(yPred);
  const t = float(yTrue);
  return mean(neg(mul(t, log(p)).add(mul(sub(1, t), log(sub(1, p))))), -1);
}
export const categoricalCrossentropy = (yTrue: Tensor, yPred: Tensor): Tensor => neg(sum(mul(float(yTrue), log(clipProbs(yPred.div(sum(yPred, -1, true))))), -1));
/** True positives / predicted positives (threshold 0.5), a scalar. */
export function precision(yTrue: Tensor, yPred: Tensor): Tensor {
  const pred = greater(yPred, 0.5).toFloat();
  const tp = sum(mul(float(yTrue), pred));
  return tp.div(sum(pred).maximum(1e-7));
}
/** True positives / actual positives (threshold 0.5), a scalar. */
export function recall(yTrue: Tensor, yPred: Tensor): Tensor {
  const t = float(yTrue);
  const tp = sum(mul(t, greater(yPred, 0.5).toFloat()));
  return tp.div(sum(t).maximum(1e-7));
}

/** `tf.metrics`; MSE/mse, MAE/mae, MAPE/mape are TF.js's aliases. */
export const metrics = {
  binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, binaryCrossentropy, categoricalCrossentropy, precision, recall,
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError,
  MSE: meanSquaredError, mse: meanSquaredError, MAE: meanAbsoluteError, mae: meanAbsoluteError, MAPE: meanAbsolutePercentageError, mape: meanAbsolutePercentageError,
};

/** Functions Regula has as built-in metrics, with the name TF.js logs them under. */
const BUILT_IN = new Map<LossOrMetricFn, string>([
  [binaryAccuracy, 'binaryAccuracy'],
  [categoricalAccuracy, 'categoricalAccuracy'],
  [sparseCategoricalAccuracy, 'sparseCategoricalAccuracy'],
  [meanSquaredError, 'meanSquaredError'],
  [meanAbsoluteError, 'meanAbsoluteError'],
]);

/** TF.js's name of a metric function: its key in tf.metrics, else the function's name. */
function nameOf(fn: LossOrMetricFn): string {
  for (const [k, v] of Object.entries(metrics)) if (v === fn) return k;
  return fn.name || 'metric';
}

/**
 * A compile metric as Regula takes it: 'accuracy' becomes 'acc' (TF.js's log
 * name), Regula's built-ins by name, other functions as a batch-averaged metric.
 */
export function metricOf(m: string | LossOrMetricFn): string | Metric {
  if (typeof m === 'string') return m === 'accuracy' ? 'acc' : m;
  const builtIn = BUILT_IN.get(m);
  if (builtIn) return builtIn;
  const name = nameOf(m);
  const direction = /acc|precision|recall|auc|r2/i.test(name) ? 'max' : 'min';
  return new MeanMetricWrapper('MeanMetricWrapper', name, direction, (yt: CoreTensor, yp: CoreTensor) => {
    const v = unwrap(m(wrap(yt), wrap(yp)));
    return v.dataSync();
  });
}

/** A loss function of regula/tfjs tensors as a loss function of Regula tensors. */
export function lossFnOf(fn: LossOrMetricFn): (yTrue: CoreTensor, yPred: CoreTensor) => CoreTensor {
  return (yt, yp) => {
    const out = fn(wrap(yt), wrap(yp));
    if (!(out instanceof Tensor)) throw new Error('compile: a loss function must return a tf.Tensor');
    return unwrap(out);
  };
}
