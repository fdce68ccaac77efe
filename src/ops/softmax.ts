/**
 * softmax / logSoftmax along an axis (default last), and the fused
 * softmax-crossentropy used by categorical losses with logits.
 */
import { getBackend } from '../backend/select.js';
import { fmt, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';
import { transpose } from './shape-ops.js';

function alongLast(x: Tensor, axis: number, op: string, f: (t: Tensor) => Tensor): Tensor {
  const a = normalizeAxis(axis, x.rank, op);
  if (a === x.rank - 1) return f(x);
  const perm = x.shape.map((_, i) => i);
  perm[a] = x.rank - 1;
  perm[x.rank - 1] = a;
  return transpose(f(transpose(x, perm)), perm);
}

/** exp(x − max) / Σ exp(x − max) along `axis`. */
export function softmax(t: Tensor, axis = -1): Tensor {
  const x = asFloat(t, 'softmax');
  if (x.rank === 0) throw new Error('softmax: needs a tensor of rank ≥ 1, got a scalar');
  return alongLast(x, axis, 'softmax', (v) => {
    const n = v.shape[v.rank - 1]!;
    const outer = v.size / Math.max(n, 1);
    const b = getBackend();
    const out = floatTensor(v.shape, b.softmax(fdata(v), outer, n));
    return defineOp('softmax', [v], out, (dy) => [floatTensor(v.shape, b.softmaxBackward(fdata(out), fdata(dy), outer, n))]);
  });
}

/** x − max − log Σ exp(x − max) along `axis`. */
export function logSoftmax(t: Tensor, axis = -1): Tensor {
  const x = asFloat(t, 'logSoftmax');
  if (x.rank === 0) throw new Error('logSoftmax: needs a tensor of rank ≥ 1, got a scalar');
  return alongLast(x, axis, 'logSoftmax', (v) => {
    const n = v.shape[v.rank - 1]!;
    const outer = v.size / Math.max(n, 1);
    const b = getBackend();
    const out = floatTensor(v.shape, b.logSoftmax(fdata(v), outer, n));
    return defineOp('logSoftmax', [v], out, (dy) => [floatTensor(v.shape, b.logSoftmaxBackward(fdata(out), fdata(dy), outer, n))]);
  });
}

/**
 * Per-row −Σ labels · logSoftmax(logits) over the last axis, fused.
 * logits, labels: [..., classes] → [...]. Differentiable in logits.
 */
export function softmaxCrossEntropy(logitsIn: Tensor, labelsIn: Tensor): Tensor {
  const logits = asFloat(logitsIn, 'softmaxCrossEntropy');
  const labels = asFloat(labelsIn, 'softmaxCrossEntropy');
  if (!shapesEqual(logits.shape, labels.shape) || logits.rank === 0) {
    throw new Error(`softmaxCrossEntropy: logits ${fmt(logits.shape)} and labels ${fmt(labels.shape)} must have the same shape of rank ≥ 1`);
  }
  const n = logits.shape[logits.rank - 1]!;
  const outer = logits.size / Math.max(n, 1);
  const b = getBackend();
  const out = floatTensor(logits.shape.slice(0, -1), b.softmaxCrossEntropy(fdata(logits), fdata(labels), outer, n));
  return defineOp('softmaxCrossEntropy', [logits], out, (dy) => [
    floatTensor(logits.shape, b.softmaxCrossEntropyBackward(fdata(logits), fdata(labels), fdata(dy), outer, n)),
  ]);
}
