import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchNormalization, batchNormalization } from './batch-normalization.js';
import { LayerNormalization, layerNormalization } from './layer-normalization.js';
import { Rng } from '../random.js';
import { fill, randomNormal, tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

const X = [
  [1, 10],
  [2, 20],
  [3, 30],
  [6, 60],
];

test('BatchNormalization and LayerNormalization contracts', () => {
  layerTest(BatchNormalization, {}, { inputShape: [4, 3], outputShape: [4, 3], trainableWeights: 2, nonTrainableWeights: 2 });
  layerTest(batchNormalization, { center: false }, { inputShape: [4, 5, 3], outputShape: [4, 5, 3], trainableWeights: 1, nonTrainableWeights: 2 });
  layerTest(BatchNormalization, { axis: 1 }, { inputShape: [4, 3, 2], outputShape: [4, 3, 2], trainableWeights: 2, nonTrainableWeights: 2 });
  layerTest(LayerNormalization, {}, { inputShape: [4, 3], outputShape: [4, 3], trainableWeights: 2 });
  layerTest(layerNormalization, { axis: [1, 2] }, { inputShape: [2, 3, 4], outputShape: [2, 3, 4], trainableWeights: 2 });
  layerTest(LayerNormalization, { scale: false }, { inputShape: [2, 3, 4], outputShape: [2, 3, 4], trainableWeights: 1 });
});

test('BatchNormalization training: batch stats (biased variance), moving update with momentum', () => {
  const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const x = tensor(X);
  const y = bn.apply(x, { training: true }, new Rng(0));
  const col = (j: number): number[] => X.map((r) => r[j]!);
  const expected: number[][] = X.map(() => []);
  const means: number[] = [];
  const vars: number[] = [];
  for (let j = 0; j < 2; j++) {
    const c = col(j);
    const m = c.reduce((a, b) => a + b, 0) / c.length;
    const v = c.reduce((a, b) => a + (b - m) ** 2, 0) / c.length; // biased, Keras 3
    means.push(m);
    vars.push(v);
    c.forEach((val, i) => expected[i]!.push((val - m) / Math.sqrt(v + 1e-3)));
  }
  assertClose(y.data, expected.flat(), { rtol: 1e-5, atol: 1e-6 });
  assertClose(bn.movingMean!.data, means.map((m) => 0.1 * m), { rtol: 1e-6 });
  assertClose(bn.movingVariance!.data, vars.map((v) => 0.9 + 0.1 * v), { rtol: 1e-6 });
  // inference uses the moving statistics
  const yi = bn.apply(x, { training: false });
  const mm = means.map((m) => 0.1 * m);
  const mv = vars.map((v) => 0.9 + 0.1 * v);
  assertClose(yi.data, X.flatMap((r) => r.map((v, j) => (v - mm[j]!) / Math.sqrt(mv[j]! + 1e-3))), { rtol: 1e-5, atol: 1e-6 });
  // a frozen BN (trainable = false) runs in inference mode even when training (Keras 3)
  bn.trainable = false;
  const before = Array.from(bn.movingMean!.data);
  assertClose(bn.apply(x, { training: true }).data, yi.data, { rtol: 0, atol: 0 });
  assert.deepEqual(Array.from(bn.movingMean!.data), before);
});

test('BatchNormalization gamma/beta and axis=1 on rank 3', () => {
  const bn = new BatchNormalization({ axis: 1, gammaInitializer: 'ones', betaInitializer: { class_name: 'Constant', config: { value: 0.5 } } });
  const x = randomNormal([3, 2, 4], { seed: 3 });
  bn.apply(x, { training: false }, new Rng(0));
  bn.setWeights([tensor([2, 3]), tensor([0.5, -1]), tensor([0.1, -0.2]), tensor([4, 0.25])]);
  const y = bn.apply(x, { training: false });
  const xs = Array.from(x.data);
  const mean = [0.1, -0.2];
  const variance = [4, 0.25];
  const g = [2, 3];
  const b = [0.5, -1];
  const exp = xs.map((v, i) => {
    const c = Math.floor(i / 4) % 2;
    return (g[c]! * (v - mean[c]!)) / Math.sqrt(variance[c]! + 1e-3) + b[c]!;
  });
  assertClose(y.data, exp, { rtol: 1e-5, atol: 1e-6 });
});

test('LayerNormalization normalizes each sample over the last axis', () => {
  const ln = new LayerNormalization({ epsilon: 1e-3 });
  const y = ln.apply(tensor(X), { training: false }, new Rng(0));
  const exp = X.flatMap((r) => {
    const m = (r[0]! + r[1]!) / 2;
    const v = ((r[0]! - m) ** 2 + (r[1]! - m) ** 2) / 2;
    return r.map((val) => (val - m) / Math.sqrt(v + 1e-3));
  });
  assertClose(y.data, exp, { rtol: 1e-5, atol: 1e-6 });
  assert.deepEqual(Array.from(ln.apply(tensor(X), { training: true }).data), Array.from(y.data));
});

test('normalization gradients match float64 finite differences', () => {
  const x = randomNormal([4, 3], { seed: 12 });
  const bn = new BatchNormalization({ epsilon: 0.01 });
  bn.apply(x, { training: false }, new Rng(0));
  bn.setWeights([tensor([1.5, 0.5, -1]), tensor([0.1, 0.2, 0.3]), tensor([0.1, 0, -0.1]), tensor([1, 2, 0.5])]);
  for (const training of [true, false]) {
    const r = gradCheckLayer(bn, x, ['gamma', 'beta'], { training });
    assert.ok(r.ok, `BN training=${training}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
  const x3 = randomNormal([2, 3, 4], { seed: 13 });
  for (const axis of [-1, [1, 2]] as const) {
    const ln = new LayerNormalization({ axis: axis as number | number[] });
    ln.apply(x3, { training: false }, new Rng(0));
    ln.setWeights(ln.getWeights().map((w) => randomNormal(w.shape, { seed: 4 })));
    const r = gradCheckLayer(ln, x3, ['gamma', 'beta']);
    assert.ok(r.ok, `LN axis ${JSON.stringify(axis)}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('normalization configs: TF.js keys and round trip', () => {
  const bn = new BatchNormalization({ name: 'bn', momentum: 0.9 });
  assert.deepEqual(bn.getConfig(), {
    name: 'bn',
    trainable: true,
    dtype: 'float32',
    axis: -1,
    momentum: 0.9,
    epsilon: 1e-3,
    center: true,
    scale: true,
    beta_initializer: { class_name: 'Zeros', config: {} },
    gamma_initializer: { class_name: 'Ones', config: {} },
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
    moving_mean_initializer: { class_name: 'Zeros', config: {} },
    moving_variance_initializer: { class_name: 'Ones', config: {} },
  });
  assert.deepEqual(BatchNormalization.fromConfig({ ...bn.getConfig(), axis: [-1] }).getConfig(), bn.getConfig());
  const ln = new LayerNormalization({ name: 'ln', axis: [1, 2] });
  assert.deepEqual(ln.getConfig(), {
    name: 'ln',
    trainable: true,
    dtype: 'float32',
    axis: [1, 2],
    epsilon: 1e-3,
    center: true,
    scale: true,
    beta_initializer: { class_name: 'Zeros', config: {} },
    gamma_initializer: { class_name: 'Ones', config: {} },
    beta_regularizer: null,
    gamma_regularizer: null,
  });
  assert.deepEqual(LayerNormalization.fromConfig(ln.getConfig()).getConfig(), ln.getConfig());
});

test('normalization validation and shape errors', () => {
  assert.throws(() => new BatchNormalization({ momentum: 1.5 }), /BatchNormalization: momentum must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => new BatchNormalization({ epsilon: 0 }), /epsilon must be a number in \(0, Infinity\), got 0/);
  assert.throws(() => new BatchNormalization({ axis: 0.5 }), /axis must be an integer, got 0.5/);
  assert.throws(() => new LayerNormalization({ axis: [] }), /axis must be an integer or a non-empty array/);
  assert.throws(() => new LayerNormalization({ axis: 0 }).apply(fill([2, 3], 0), { training: false }, new Rng(0)), /includes the batch axis 0/);
  const bn = new BatchNormalization();
  bn.apply(fill([2, 3], 1), { training: false }, new Rng(0));
  assert.throws(() => bn.apply(fill([2, 4], 1), { training: false }), /built for 3 features on axis -1, got input \[2,4\]/);
  const ln = new LayerNormalization();
  ln.apply(fill([2, 3], 1), { training: false }, new Rng(0));
  assert.throws(() => ln.apply(fill([2, 5], 1), { training: false }), /parameter shape \[3\], got input \[2,5\]/);
  assert.throws(() => new BatchNormalization({ movingMean: 0 } as never), /BatchNormalization: unknown option 'movingMean'/);
});
