/**
 * Metrics computed from predictions (for `evaluate` on a loaded model, which
 * need not be compiled): accuracy and cross-entropy for classification; MAE,
 * MSE, RMSE and R² for regression.
 */

/** Keras's probability clipping in cross-entropy. */
const EPSILON = 1e-7;

/**
 * Accuracy and mean sparse categorical cross-entropy of class probabilities
 * `probs` (`[rows, classes]`) against integer `labels`.
 *
 * @example
 * classificationScores(new Float32Array([0.9, 0.1, 0.2, 0.8]), 2, new Int32Array([0, 0]));
 * // { accuracy: 0.5, loss: (−ln 0.9 − ln 0.2) / 2 }
 */
export function classificationScores(probs: Float32Array, classes: number, labels: Int32Array): Record<string, number> {
  const n = labels.length;
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * classes, (i + 1) * classes);
    let arg = 0;
    for (let c = 1; c < classes; c++) if (row[c]! > row[arg]!) arg = c;
    const label = labels[i]!;
    if (arg === label) correct++;
    loss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, row[label]!)));
  }
  return { accuracy: n ? correct / n : Number.NaN, loss: n ? loss / n : Number.NaN, rows: n };
}

/**
 * MAE, MSE, RMSE and R² of `pred` against `truth`.
 *
 * @example
 * regressionScores(new Float32Array([1, 3]), new Float32Array([2, 2]));
 * // { mae: 1, mse: 1, rmse: 1, r2: NaN (constant truth), rows: 2 }
 */
export function regressionScores(pred: Float32Array, truth: Float32Array): Record<string, number> {
  const n = truth.length;
  let abs = 0;
  let sq = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i]!;
  mean /= n || 1;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const d = pred[i]! - truth[i]!;
    abs += Math.abs(d);
    sq += d * d;
    tot += (truth[i]! - mean) ** 2;
  }
  const mse = n ? sq / n : Number.NaN;
  return { mae: n ? abs / n : Number.NaN, mse, rmse: Math.sqrt(mse), r2: tot > 0 ? 1 - sq / tot : Number.NaN, rows: n };
}
