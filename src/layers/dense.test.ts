import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dense, dense } from './dense.js';
import { layerFromConfig } from './registry.js';
import { registerCustomObject } from '../custom-objects.js';
import type { Constraint, Regularizer, SerializedObject } from './layer.js';
import { Rng } from '../random.js';
import { tensor, ones, fill } from '../tensor/create.js';
import { sum, abs, mul, maximum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { layerTest, gradCheckLayer } from '../../test/helpers/layer-test.js';
import { assertClose } from '../../test/helpers/assert-close.js';

/** Tiny inline regularizer / constraint implementing the interfaces (the real ones live in regularizers.ts / constraints.ts). */
class TestL1 implements Regularizer {
  constructor(readonly l1: number) {}
  apply(x: Tensor): Tensor {
    return mul(sum(abs(x)), this.l1);
  }
  getConfig(): SerializedObject {
    return { class_name: 'TestL1', config: { l1: this.l1 } };
  }
}
class TestNonNeg implements Constraint {
  apply(w: Tensor): Tensor {
    return maximum(w, 0);
  }
  getConfig(): SerializedObject {
    return { class_name: 'TestNonNeg', config: {} };
  }
}
registerCustomObject('TestL1', { fromConfig: (c) => new TestL1(c['l1'] as number) });
registerCustomObject('TestNonNeg', { fromConfig: () => new TestNonNeg() });

test('Dense layer contract: shapes, weights, config round trip, finite gradients', () => {
  layerTest(Dense, { units: 3 }, { inputShape: [2, 4], outputShape: [2, 3], trainableWeights: 2 });
  layerTest(dense, { units: 5, activation: 'relu', useBias: false }, { inputShape: [3, 2], outputShape: [3, 5], trainableWeights: 1 });
  layerTest(Dense, { units: 2, activation: 'softmax' }, { inputShape: [4, 3], outputShape: [4, 2], trainableWeights: 2 });
  layerTest(Dense, { units: 2, activation: 'gelu', kernelRegularizer: new TestL1(0.1), kernelConstraint: new TestNonNeg() }, { inputShape: [4, 3], outputShape: [4, 2], trainableWeights: 2 });
});

test('Dense on rank-3 input applies to the last axis', () => {
  const { layer, input, output } = layerTest(Dense, { units: 2, activation: 'tanh' }, { inputShape: [2, 3, 4], outputShape: [2, 3, 2], trainableWeights: 2 });
  // Row (0,1) of the rank-3 output equals Dense on that single row.
  const row = tensor([Array.from(input.data.slice(4, 8))]);
  assertClose(layer.apply(row, { training: false }).data, output.data.slice(2, 4), { rtol: 1e-6, atol: 1e-7 });
});

test('Dense computes act(x·W + b) with given weights', () => {
  const d = new Dense({ units: 2, activation: 'relu' });
  d.apply(fill([1, 3], 0), { training: false }, new Rng(0));
  d.setWeights([tensor([[1, -1], [2, 0], [0, 3]]), tensor([0.5, -10])]);
  const y = d.apply(tensor([[1, 2, 3]]), { training: false });
  // [1+4+0+0.5, -1+0+9-10] = [5.5, -2] → relu → [5.5, 0]
  assert.deepEqual(Array.from(y.data), [5.5, 0]);
  const lin = new Dense({ units: 1, activation: 'sigmoid', useBias: false });
  lin.apply(fill([1, 2], 0), { training: false }, new Rng(0));
  lin.setWeights([tensor([[1], [1]])]);
  assertClose(lin.apply(tensor([[0.5, -0.5]]), { training: false }).data, [0.5]);
});

test('Dense gradients match float64 finite differences (fused and unfused activations)', () => {
  for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softplus', 'selu', 'softmax'] as const) {
    const d = new Dense({ units: 3, activation });
    const x = tensor([[0.3, -1.2, 0.7, 0.1], [1.1, 0.4, -0.6, 2.0]]);
    d.apply(x, { training: false }, new Rng(3));
    d.setWeights([d.kernel!.read(), tensor([0.1, -0.2, 0.3])]);
    const r = gradCheckLayer(d, x, ['kernel', 'bias']);
    assert.ok(r.ok, `${activation}: worst ${r.worst} maxAbsDiff ${r.maxAbsDiff} at ${JSON.stringify(r.where)}`);
  }
});

test('Dense glorotUniform default init is seeded and within the Glorot limit', () => {
  const a = new Dense({ units: 8 });
  const b = new Dense({ units: 8 });
  const x = ones([1, 6]);
  a.apply(x, { training: false }, new Rng(42));
  b.apply(x, { training: false }, new Rng(42));
  assert.deepEqual(Array.from(a.kernel!.data), Array.from(b.kernel!.data));
  const lim = Math.sqrt(6 / (6 + 8));
  assert.ok(Array.from(a.kernel!.data).every((v) => Math.abs(v) <= lim));
  assert.ok(Math.max(...Array.from(a.kernel!.data).map(Math.abs)) > lim * 0.5);
  assert.deepEqual(Array.from(a.bias!.data), new Array(8).fill(0));
});

test('Dense getConfig has the TF.js model.json keys', () => {
  const d = new Dense({ units: 4, activation: 'leakyRelu', inputShape: [3], name: 'd1', kernelRegularizer: new TestL1(0.5), biasConstraint: new TestNonNeg() });
  assert.deepEqual(d.getConfig(), {
    name: 'd1',
    trainable: true,
    dtype: 'float32',
    batch_input_shape: [null, 3],
    units: 4,
    activation: 'leaky_relu',
    use_bias: true,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: { class_name: 'TestL1', config: { l1: 0.5 } },
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: { class_name: 'TestNonNeg', config: {} },
  });
  const back = layerFromConfig({ class_name: 'Dense', config: JSON.parse(JSON.stringify(d.getConfig())) as Record<string, unknown> }) as Dense;
  assert.ok(back.w.kernelRegularizer instanceof TestL1);
  assert.ok(back.w.biasConstraint instanceof TestNonNeg);
});

test('Dense attaches regularizer and constraint to the variables; penalties reach losses', () => {
  const d = new Dense({ units: 2, kernelInitializer: 'ones', kernelRegularizer: new TestL1(0.01), activityRegularizer: new TestL1(0.1), kernelConstraint: new TestNonNeg() });
  const y = d.apply(fill([5, 3], 2), { training: false }, new Rng(0));
  assert.ok(d.kernel!.regularizer instanceof TestL1);
  assert.ok(d.kernel!.constraint instanceof TestNonNeg);
  // kernel penalty 0.01·6 = 0.06; activity 0.1·Σ|y| / batch = 0.1·(5·2·6)/5 = 1.2
  assert.deepEqual(Array.from(y.data.slice(0, 2)), [6, 6]);
  const losses = d.losses.map((l) => l.item());
  assertClose(losses, [0.06, 1.2], { rtol: 1e-6 });
});

test('Dense Keras 1 aliases: input_dim, W_regularizer, b_regularizer, W_constraint, b_constraint', () => {
  const d = new Dense({ units: 2, input_dim: 3, W_regularizer: new TestL1(1), b_regularizer: new TestL1(2), W_constraint: new TestNonNeg(), b_constraint: new TestNonNeg() });
  assert.deepEqual(d.batchInputShape, [null, 3]);
  assert.equal((d.w.kernelRegularizer as TestL1).l1, 1);
  assert.equal((d.w.biasRegularizer as TestL1).l1, 2);
  assert.ok(d.w.kernelConstraint instanceof TestNonNeg && d.w.biasConstraint instanceof TestNonNeg);
  assert.throws(() => new Dense({ units: 2, W_regularizer: new TestL1(1), kernelRegularizer: new TestL1(1) }), /both 'W_regularizer' and 'kernelRegularizer'/);
});

test('Dense option validation names the argument, rule and value', () => {
  assert.throws(() => new Dense({ units: 0 }), /Dense: units must be a positive integer, got 0/);
  assert.throws(() => new Dense({ units: 2.5 }), /units must be a positive integer, got 2.5/);
  assert.throws(() => new Dense({ units: 2, activaton: 'relu' } as never), /Dense: unknown option 'activaton'/);
  assert.throws(() => new Dense({ units: 2, activation: 'relux' }), /unknown activation 'relux'; known: linear, relu/);
  assert.throws(() => new Dense({ units: 2, kernelInitializer: 'glorotUnifrom' }), /Dense kernelInitializer: getInitializer: unknown initializer 'glorotUnifrom'/);
  assert.throws(() => new Dense({ units: 2, kernelRegularizer: 'nope' }), /Dense kernelRegularizer: .*nope/);
  assert.throws(() => new Dense({ units: 2, useBias: 'yes' } as never), /useBias must be true or false, got "yes"/);
  assert.throws(() => Dense.fromConfig({ units: 2, kernel_initializr: null }), /Dense.fromConfig: unsupported config key 'kernel_initializr'/);
});

test('Dense shape errors name both shapes', () => {
  const d = new Dense({ units: 3 });
  d.apply(fill([2, 4], 1), { training: false }, new Rng(0));
  assert.throws(() => d.apply(fill([2, 5], 1), { training: false }), /kernel \[4,3\] expects inputs \[\.\.\., 4\], got input \[2,5\]/);
  assert.throws(() => new Dense({ units: 3 }).apply(fill([4], 1), { training: false }, new Rng(0)), /rank ≥ 2/);
});

test('Dense accepts int32 input by casting', () => {
  const d = new Dense({ units: 1, kernelInitializer: 'ones', useBias: false });
  const y = d.apply(tensor([[1, 2]], [1, 2], 'int32'), { training: false }, new Rng(0));
  assert.deepEqual(Array.from(y.data), [3]);
});
