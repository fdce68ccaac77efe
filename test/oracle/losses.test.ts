/**
 * Every loss against TF.js (cpu) with identical inputs: per-sample values
 * (tf.metrics.*), reduced values (tf.losses.*), label smoothing and logits
 * forms, gradients of the fused logits forms; hand formulas for sample
 * weights and where TF.js lacks the form. Tolerance: rtol 1e-5, atol 1e-6
 * (float32).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrad } from '../../src/autograd/grad.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy,
  getLoss, losses, lossFromConfig, type Loss,
} from '../../src/losses.js';
import { mean, mul, sub, square } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/create.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertClose, randn, tfjs } from './reg-helpers.js';

const RTOL = 1e-5;
const ATOL = 1e-6;
const N = 6;
const K = 4;

/** Probabilities per row (softmax of seeded normals). */
function probs(seed: number, rows = N, k = K): Float32Array {
  const z = randn(rows * k, seed);
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(z[r * k + j]!);
    for (let j = 0; j < k; j++) out[r * k + j] = Math.exp(z[r * k + j]!) / s;
  }
  return out;
}

function oneHotRows(labels: number[], k = K): Float32Array {
  const out = new Float32Array(labels.length * k);
  labels.forEach((c, i) => (out[i * k + c] = 1));
  return out;
}

const LABELS = [0, 3, 1, 2, 3, 0];

test('mse / mae per sample equal tf.metrics, reduced equal tf.losses', async () => {
  const tf = await tfjs();
  const yt = randn(N * K, 1);
  const yp = randn(N * K, 2);
  const cases: [Loss, (a: unknown, b: unknown) => { dataSync(): Float32Array }, (a: unknown, b: unknown) => { dataSync(): Float32Array }][] = [
    [new MeanSquaredError(), tf.metrics.meanSquaredError as never, tf.losses.meanSquaredError as never],
    [new MeanAbsoluteError(), tf.metrics.meanAbsoluteError as never, tf.losses.absoluteDifference as never],
  ];
  for (const [loss, perSample, reduced] of cases) {
    const a = tensor(yt, [N, K]);
    const b = tensor(yp, [N, K]);
    const ta = tf.tensor2d(yt, [N, K]);
    const tb = tf.tensor2d(yp, [N, K]);
    assertClose(loss.perSample(a, b).data, perSample(ta, tb).dataSync(), RTOL, ATOL, `${loss.name} per sample`);
    assertClose([loss.call(a, b).item()], reduced(ta, tb).dataSync(), RTOL, ATOL, `${loss.name} reduced`);
  }
});

test('huber equals tf.losses.huberLoss for delta 1 and 0.5; formula at the kink', async () => {
  const tf = await tfjs();
  const yt = randn(N * K, 3, 1.5);
  const yp = randn(N * K, 4, 1.5);
  for (const delta of [1, 0.5]) {
    const ours = new Huber({ delta }).call(tensor(yt, [N, K]), tensor(yp, [N, K])).item();
    const theirs = tf.losses.huberLoss(tf.tensor2d(yt, [N, K]), tf.tensor2d(yp, [N, K]), undefined, delta).dataSync();
    assertClose([ours], theirs, RTOL, ATOL, `huber delta ${delta}`);
  }
  // e = [0.5, 2]: 0.5·0.25 = 0.125 and 1·2 − 0.5 = 1.5 → mean 0.8125.
  assert.equal(losses.huber().call(tensor([[0, 0]]), tensor([[0.5, 2]])).item(), 0.8125);
});

test('binary crossentropy: probabilities, logits and label smoothing vs TF.js', async () => {
  const tf = await tfjs();
  const yt = Float32Array.from(randn(N * 3, 5), (v) => (v > 0 ? 1 : 0));
  const p = Float32Array.from(randn(N * 3, 6), (v) => 1 / (1 + Math.exp(-v)));
  const z = randn(N * 3, 7, 2);
  const ours = new BinaryCrossentropy().perSample(tensor(yt, [N, 3]), tensor(p, [N, 3])).data;
  assertClose(ours, tf.metrics.binaryCrossentropy(tf.tensor2d(yt, [N, 3]), tf.tensor2d(p, [N, 3])).dataSync(), RTOL, ATOL, 'bce probs');
  for (const ls of [0, 0.2]) {
    const v = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: ls }).call(tensor(yt, [N, 3]), tensor(z, [N, 3])).item();
    const t = tf.losses.sigmoidCrossEntropy(tf.tensor2d(yt, [N, 3]), tf.tensor2d(z, [N, 3]), undefined, ls).dataSync();
    assertClose([v], t, RTOL, ATOL, `bce logits ls ${ls}`);
  }
  // Smoothing on probabilities: y ← y(1 − ls) + ls/2, by hand.
  const ls = 0.1;
  const v = new BinaryCrossentropy({ labelSmoothing: ls }).call(tensor([[1, 0]]), tensor([[0.8, 0.3]])).item();
  const y1 = 1 - ls / 2;
  const y2 = ls / 2;
  const hand = -(y1 * Math.log(0.8) + (1 - y1) * Math.log(0.2) + y2 * Math.log(0.3) + (1 - y2) * Math.log(0.7)) / 2;
  assertClose([v], [hand], RTOL, ATOL, 'bce smoothing by hand');
});

test('binary crossentropy clips probabilities to [1e-7, 1 − 1e-7] (finite at 0 and 1)', () => {
  const v = new BinaryCrossentropy().call(tensor([[1], [0]]), tensor([[0], [1]])).item();
  // In float32 the upper bound 1 − 1e-7 rounds to 1 − 2⁻²³·1 (0.99999988), as in Keras.
  const lo = Math.fround(1e-7);
  const hi = Math.fround(1 - 1e-7);
  assertClose([v], [-(Math.log(lo) + Math.log(1 - hi)) / 2], 1e-5, 0, 'bce at the clip bound');
});

test('categorical crossentropy: probabilities (renormalised), logits + smoothing vs TF.js', async () => {
  const tf = await tfjs();
  const yt = oneHotRows(LABELS);
  const p = probs(8);
  const ours = new CategoricalCrossentropy().perSample(tensor(yt, [N, K]), tensor(p, [N, K])).data;
  assertClose(ours, tf.metrics.categoricalCrossentropy(tf.tensor2d(yt, [N, K]), tf.tensor2d(p, [N, K])).dataSync(), RTOL, ATOL, 'cce probs');
  // Unnormalised "probabilities" are renormalised by the row sum first (Keras).
  const scaled = Float32Array.from(p, (v) => v * 3);
  assertClose(new CategoricalCrossentropy().perSample(tensor(yt, [N, K]), tensor(scaled, [N, K])).data, ours, RTOL, ATOL, 'cce renormalised');
  const z = randn(N * K, 9, 2);
  for (const ls of [0, 0.1]) {
    const v = new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: ls }).call(tensor(yt, [N, K]), tensor(z, [N, K])).item();
    const t = tf.losses.softmaxCrossEntropy(tf.tensor2d(yt, [N, K]), tf.tensor2d(z, [N, K]), undefined, ls).dataSync();
    assertClose([v], t, RTOL, ATOL, `cce logits ls ${ls}`);
  }
});

test('sparse categorical crossentropy: int32 / float / [n,1] labels, probabilities and logits vs TF.js', async () => {
  const tf = await tfjs();
  const p = probs(10);
  const z = randn(N * K, 11, 2);
  const expected = tf.metrics.categoricalCrossentropy(tf.tensor2d(oneHotRows(LABELS), [N, K]), tf.tensor2d(p, [N, K])).dataSync();
  const labelForms = [tensor(LABELS, [N], 'int32'), tensor(LABELS, [N]), tensor(LABELS, [N, 1], 'int32')];
  for (const lab of labelForms) {
    assertClose(new SparseCategoricalCrossentropy().perSample(lab, tensor(p, [N, K])).data, expected, RTOL, ATOL, `scce probs ${lab.dtype} ${lab.shape}`);
  }
  const v = new SparseCategoricalCrossentropy({ fromLogits: true }).call(labelForms[0]!, tensor(z, [N, K])).item();
  const t = tf.losses.softmaxCrossEntropy(tf.tensor2d(oneHotRows(LABELS), [N, K]), tf.tensor2d(z, [N, K])).dataSync();
  assertClose([v], t, RTOL, ATOL, 'scce logits');
});

test('gradients of the fused logits forms equal TF.js gradients', async () => {
  const tf = await tfjs();
  const yt = oneHotRows(LABELS);
  const z = randn(N * K, 12, 2);
  const zt = tensor(z, [N, K]);
  const ours = valueAndGrad(() => new CategoricalCrossentropy({ fromLogits: true }).call(tensor(yt, [N, K]), zt), [zt]).grads[0]!.data;
  const theirs = tf.grad((x: ReturnType<typeof tf.tensor2d>) => tf.losses.softmaxCrossEntropy(tf.tensor2d(yt, [N, K]), x))(tf.tensor2d(z, [N, K])).dataSync();
  assertClose(ours, theirs, RTOL, ATOL, 'd cce / d logits');
  const yb = Float32Array.from(randn(N * 2, 13), (v) => (v > 0 ? 1 : 0));
  const zb = tensor(z.slice(0, N * 2), [N, 2]);
  const gb = valueAndGrad(() => new BinaryCrossentropy({ fromLogits: true }).call(tensor(yb, [N, 2]), zb), [zb]).grads[0]!.data;
  const tb = tf.grad((x: ReturnType<typeof tf.tensor2d>) => tf.losses.sigmoidCrossEntropy(tf.tensor2d(yb, [N, 2]), x))(tf.tensor2d(z.slice(0, N * 2), [N, 2])).dataSync();
  assertClose(gb, tb, RTOL, ATOL, 'd bce / d logits');
  // At z = 0 exactly the gradient is sigmoid(0) − y (no kink from a max/abs decomposition).
  const z0 = tensor([[0]]);
  const g0 = valueAndGrad(() => new BinaryCrossentropy({ fromLogits: true }).call(tensor([[1]]), z0), [z0]).grads[0]!.item();
  assertClose([g0], [-0.5], RTOL, ATOL, 'd bce / dz at 0');
});

test('fused MSE (no sample weights): value and gradient equal TF.js for [n, k], [n, 1] and [n]; reduction sum', async () => {
  const tf = await tfjs();
  for (const shape of [[N, K], [N, 1], [N]] as number[][]) {
    const size = shape.reduce((a, b) => a * b, 1);
    const yt = randn(size, 21);
    const yp = randn(size, 22);
    const x = tensor(yp, shape);
    const { value, grads } = valueAndGrad(() => new MeanSquaredError().call(tensor(yt, shape), x), [x]);
    const f = (p: ReturnType<typeof tf.tensor>) => tf.losses.meanSquaredError(tf.tensor(yt, shape), p);
    assertClose([value.item()], f(tf.tensor(yp, shape)).dataSync(), RTOL, ATOL, `mse ${shape}`);
    assertClose(grads[0]!.data, tf.grad(f)(tf.tensor(yp, shape)).dataSync(), RTOL, ATOL, `d mse / d yPred ${shape}`);
    // 'sum': Σ over rows of the per-row mean = Σ (y − ŷ)² / (last axis).
    const perRow = shape[shape.length - 1]!;
    let ss = 0;
    for (let i = 0; i < size; i++) ss += (yt[i]! - yp[i]!) ** 2;
    assertClose([new MeanSquaredError({ reduction: 'sum' }).call(tensor(yt, shape), x).item()], [ss / perRow], RTOL, ATOL, `mse sum ${shape}`);
  }
});

test("sample weights: sum(w·loss) / number of values ('sum_over_batch_size'), 'sum' and 'none'", () => {
  const yt = tensor([[1, 0], [0, 1], [1, 1]]);
  const yp = tensor([[0.5, 0], [0, 3], [2, 1]]);
  const per = [0.125, 2, 0.5];
  const w = tensor([2, 0, 1]);
  assertClose([new MeanSquaredError().call(yt, yp, w).item()], [(2 * 0.125 + 0 + 0.5) / 3], RTOL, ATOL, 'weighted mean');
  assertClose([new MeanSquaredError({ reduction: 'sum' }).call(yt, yp, w).item()], [2 * 0.125 + 0.5], RTOL, ATOL, 'sum');
  assertClose(new MeanSquaredError({ reduction: 'none' }).call(yt, yp).data, per, RTOL, ATOL, 'none');
  assertClose([new MeanSquaredError().call(yt, yp, tensor([[2], [0], [1]])).item()], [(2 * 0.125 + 0.5) / 3], RTOL, ATOL, 'weights [n,1]');
});

test('labels [n] against predictions [n,1] are aligned; mismatches name both shapes', () => {
  const v = new MeanSquaredError().call(tensor([1, 2]), tensor([[1.5], [2]])).item();
  assertClose([v], [0.125], RTOL, ATOL, 'aligned');
  assert.throws(() => new MeanSquaredError().call(tensor([[1, 2, 3]]), tensor([[1, 2]])), /mean_squared_error: labels of shape \[1,3\] do not match predictions of shape \[1,2\]/);
});

test('label checks before training name the problem', () => {
  const scce = new SparseCategoricalCrossentropy();
  assert.throws(() => scce.checkLabels(tensor([0, 3, 1], [3], 'int32'), [null, 3]), /class label 3 at index 1 is not an integer in \[0, 3\) \(the model has 3 output units\)/);
  assert.throws(() => scce.checkLabels(tensor([0.5, 1, 1]), [null, 3]), /class label 0.5/);
  assert.throws(() => scce.checkLabels(tensor([[1, 0, 0]]), [null, 3]), /these look one-hot; use categoricalCrossentropy/);
  assert.throws(() => scce.perSample(tensor([0, 4], [2], 'int32'), tensor([[0.5, 0.5], [0.5, 0.5]])), /class label 0 at index|class label 4 at index 1/);
  const cce = new CategoricalCrossentropy();
  assert.throws(() => cce.checkLabels(tensor([0, 2, 1], [3], 'int32'), [null, 3]), /look like class indices.*use sparseCategoricalCrossentropy/);
  assert.throws(() => cce.checkLabels(tensor([[0], [1]]), [null, 1]), /1 output unit.*use binaryCrossentropy/);
  assert.throws(() => new BinaryCrossentropy().checkLabels(tensor([[2], [0]]), [null, 1]), /labels must be in \[0, 1\], got 2/);
  assert.throws(() => new MeanSquaredError().checkLabels(tensor([[1, 2]]), [null, 3]), /labels of shape \[1,2\] do not match the model output shape \[null,3\]/);
  assert.doesNotThrow(() => scce.checkLabels(tensor([[0], [2]], [2, 1], 'int32'), [null, 3]));
});

test('names: camelCase, snake_case, abbreviations; unknown names list the known ones', () => {
  const cases: [string, string][] = [
    ['mse', 'MeanSquaredError'], ['meanSquaredError', 'MeanSquaredError'], ['mean_squared_error', 'MeanSquaredError'],
    ['mae', 'MeanAbsoluteError'], ['huber', 'Huber'], ['binary_crossentropy', 'BinaryCrossentropy'],
    ['categoricalCrossentropy', 'CategoricalCrossentropy'], ['categorical_crossentropy', 'CategoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'], ['sparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy'],
  ];
  for (const [name, cls] of cases) assert.equal(getLoss(name).className, cls, name);
  assert.throws(() => getLoss('crossentropy_of_doom'), /unknown loss 'crossentropy_of_doom'; known: meanSquaredError \(mse\)/);
  assert.throws(() => new SparseCategoricalCrossentropy({ labelSmoothing: 0.1 } as never), /labelSmoothing is not supported/);
  assert.throws(() => new Huber({ delta: -1 }), /delta must be a positive number/);
});

test('configs round-trip (Keras keys) and user loss functions are reduced as Keras does', () => {
  for (const l of [losses.huber(0.3), losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), losses.categoricalCrossentropy({ labelSmoothing: 0.2 }), losses.sparseCategoricalCrossentropy({ fromLogits: true })]) {
    const c = JSON.parse(JSON.stringify(l.getConfig()));
    assert.deepEqual(lossFromConfig(c).getConfig(), l.getConfig());
  }
  assert.deepEqual(losses.binaryCrossentropy({ fromLogits: true }).getConfig().config, { name: 'binary_crossentropy', reduction: 'sum_over_batch_size', from_logits: true, label_smoothing: 0 });
  const custom = getLoss((yt: Tensor, yp: Tensor) => mean(square(sub(yt, yp)), -1));
  const yt = tensor([[1, 2], [3, 4]]);
  const yp = tensor([[1, 1], [1, 1]]);
  assertClose([custom.call(yt, yp, tensor([1, 0])).item()], [0.5 / 2], RTOL, ATOL, 'custom per-sample');
  assert.equal(getLoss((a: Tensor, b: Tensor) => mul(sub(a, b), 0)).call(yt, yp).item(), 0);
});
