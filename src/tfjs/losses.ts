/**
 * `tf.losses` (TF.js core's loss ops): each returns the reduced loss as a
 * tensor, with TF.js's optional `weights` and `reduction` (default
 * SUM_BY_NONZERO_WEIGHTS: the mean over elements with non-zero weight).
 * Built from regula/tfjs ops, so they differentiate on Regula's tape and
 * work as custom losses in `compile`. cosineDistance and hingeLoss are not
 * provided.
 */
import type { Tensor } from './tensor.js';
import { wrap, unwrap } from './tensor.js';
import { abs, add, clipByValue, exp, log, logSoftmax, maximum, minimum, mul, neg, notEqual, sub, sum } from './ops.js';
import { toFloat } from '../ops/index.js';
import { onesLike } from './creation.js';

/** TF.js's `tf.Reduction`. */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

const f = (t: Tensor): Tensor => wrap(toFloat(unwrap(t)));

/** Applies weights and reduces, as TF.js's computeWeightedLoss. */
export function computeWeightedLoss<T extends Tensor>(losses: T, weights?: Tensor, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const l = f(losses);
  const weighted = weights ? mul(l, f(weights)) : l;
  if (reduction === Reduction.NONE) return weighted;
  const total = sum(weighted);
  if (reduction === Reduction.SUM) return total;
  if (!weights) return total.div(l.size);
  const ones = mul(f(weights), onesLike(l));
  if (reduction === Reduction.MEAN) return total.div(sum(ones));
  return total.div(sum(notEqual(ones, 0)).toFloat());
}

export function meanSquaredError(labels: Tensor, predictions: Tensor, weights?: Tensor, reduction?: Reduction): Tensor {
  return computeWeightedLoss(sub(f(labels), predictions).square(), weights, reduction);
}

export function absoluteDifference(labels: Tensor, predictions: Tensor, weights?: Tensor, reduction?: Reduction): Tensor {
  return computeWeightedLoss(abs(sub(f(labels), predictions)), weights, reduction);
}

export function huberLoss(labels: Tensor, predictions: Tensor, weights?: Tensor, delta = 1, reduction?: Reduction): Tensor {
  const err = abs(sub(f(labels), predictions));
  const quadratic = minimum(err, delta);
  const linear = sub(err, quadratic);
  return computeWeightedLoss(add(mul(quadratic.square(), 0.5), mul(linear, delta)), weights, reduction);
}

export function logLoss(labels: Tensor, predictions: Tensor, weights?: Tensor, epsilon = 1e-7, reduction?: Reduction): Tensor {
  const y = f(labels);
  const pos = mul(y, log(add(predictions, epsilon)));
  const negPart = mul(sub(1, y), log(add(sub(1, predictions), epsilon)));
  return computeWeightedLoss(neg(add(pos, negPart)), weights, reduction);
}

/** Elementwise sigmoid cross-entropy from logits (numerically stable form). */
export function sigmoidCrossEntropy(multiClassLabels: Tensor, logits: Tensor, weights?: Tensor, labelSmoothing = 0, reduction?: Reduction): Tensor {
  let z = f(multiClassLabels);
  if (labelSmoothing > 0) z = add(mul(z, 1 - labelSmoothing), 0.5 * labelSmoothing);
  const x = f(logits);
  const loss = add(sub(maximum(x, 0), mul(x, z)), log(add(exp(neg(abs(x))), 1)));
  return computeWeightedLoss(loss, weights, reduction);
}

/** Softmax cross-entropy from logits over the last axis, one value per example before reduction. */
export function softmaxCrossEntropy(onehotLabels: Tensor, logits: Tensor, weights?: Tensor, labelSmoothing = 0, reduction?: Reduction): Tensor {
  let y = f(onehotLabels);
  const k = y.shape[y.rank - 1]!;
  if (labelSmoothing > 0) y = add(mul(y, 1 - labelSmoothing), labelSmoothing / k);
  const perExample = neg(sum(mul(y, logSoftmax(f(logits), -1)), -1));
  return computeWeightedLoss(perExample, weights, reduction);
}

/** Clips probabilities away from 0 and 1 (Keras's epsilon). */
export const clipProbs = (p: Tensor): Tensor => clipByValue(p, 1e-7, 1 - 1e-7);

/** `tf.losses`. */
export const losses = { computeWeightedLoss, meanSquaredError, absoluteDifference, huberLoss, logLoss, sigmoidCrossEntropy, softmaxCrossEntropy };
