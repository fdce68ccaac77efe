/**
 * regularizationReport on real models, and regularization inside a real fit:
 * a maxNorm constraint that holds after every optimizer step, penalties in
 * the reported loss and val_loss, EarlyStopping restoring the best epoch's
 * weights, the memory checkpoint, seeded dropout reproducibility.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, input, layers, model, regularizers, constraints, callbacks, tensor, randomNormal, regularizationReport } from '../../src/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { Rng } from '../../src/random.js';
import { assertClose } from '../oracle/reg-helpers.js';

/** A small 3-class problem: 120 samples, 6 features, labels from a fixed linear rule. */
function toyData(seed = 1): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const n = 120;
  const xs = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const ys = Int32Array.from({ length: n }, (_, i) => {
    const s = xs[i * 6]! + 0.5 * xs[i * 6 + 1]! - xs[i * 6 + 2]!;
    return s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
  });
  return { x: tensor(xs, [n, 6]), y: tensor(ys, [n], 'int32') };
}

/** Column norms of a [rows, cols] kernel, computed here in float64. */
function columnNorms(w: Tensor): number[] {
  const [rows, cols] = w.shape as [number, number];
  return Array.from({ length: cols }, (_, j) => Math.sqrt(Array.from({ length: rows }, (_, i) => w.data[i * cols + j]! ** 2).reduce((a, b) => a + b, 0)));
}

test('a maxNorm constraint holds after every optimizer step of a real fit', async () => {
  const { x, y } = toyData();
  const model = new Sequential([
    layers.dense({ units: 16, activation: 'relu', inputShape: [6], kernelConstraint: constraints.maxNorm(0.5) }),
    layers.dense({ units: 3, activation: 'softmax', kernelConstraint: constraints.maxNorm({ maxValue: 0.8, axis: 0 }) }),
  ], { seed: 3 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const before = columnNorms(model.layers[0]!.getWeights()[0]!);
  assert.ok(Math.max(...before) > 0.5, `initial norms exceed the limit (${Math.max(...before)}), so the test is not vacuous`);
  let steps = 0;
  let worst = 0;
  const check = {
    onBatchEnd: () => {
      steps++;
      const n0 = columnNorms(model.layers[0]!.getWeights()[0]!);
      const n1 = columnNorms(model.layers[1]!.getWeights()[0]!);
      worst = Math.max(worst, ...n0.map((n) => n / 0.5), ...n1.map((n) => n / 0.8));
      for (const n of n0) assert.ok(n <= 0.5 * (1 + 1e-6), `step ${steps}: unit norm ${n} > 0.5`);
      for (const n of n1) assert.ok(n <= 0.8 * (1 + 1e-6), `step ${steps}: unit norm ${n} > 0.8`);
    },
  };
  await model.fit(x, y, { epochs: 3, batchSize: 16, callbacks: [check], seed: 1, verbose: 0 });
  assert.equal(steps, 3 * Math.ceil(120 / 16));
  assert.ok(worst > 0.99, `the constraint was active (max norm/limit ${worst})`);
  const report = regularizationReport(model);
  assert.equal(report[0]!.maxNorm!.limit, 0.5);
  const n0 = columnNorms(model.layers[0]!.getWeights()[0]!);
  assert.equal(report[0]!.maxNorm!.atLimit, n0.filter((n) => n >= 0.5 * (1 - 1e-3)).length);
  assert.ok(report[0]!.maxNorm!.fraction > 0.25, `many hidden units sit at the limit: ${report[0]!.maxNorm!.fraction}`);
  assertClose([report[0]!.unitNorms!.max, report[0]!.unitNorms!.min], [Math.max(...n0), Math.min(...n0)], 1e-5, 1e-6, 'unit norms');
});

test('regularizationReport: penalties (weight + activity), per-unit norms with Keras axes, descriptions', () => {
  const model = new Sequential([
    layers.dense({ units: 5, inputShape: [5], kernelInitializer: 'ones', kernelRegularizer: regularizers.l1(0.01), activityRegularizer: regularizers.activityL2(0.01) }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 2, kernelRegularizer: regularizers.l2(0.1), biasRegularizer: regularizers.l1(1), kernelConstraint: constraints.maxNorm(3) }),
  ], { seed: 0 });
  const x = tensor(Array.from({ length: 25 }, () => 2), [5, 5]);
  model.predict(x);
  assert.equal(regularizationReport(model)[0]!.activityPenalty, 0, 'predict leaves no activity losses behind');
  const [d1, dr, d2] = regularizationReport(model, { x });
  // The docs/semantics.md §1.3 example: kernel 0.25 + activity 25/5 = 5.25.
  assertClose([d1!.weightPenalty, d1!.activityPenalty, d1!.penalty], [0.25, 5, 5.25], 1e-5, 1e-6, 'dense_1 penalties');
  assert.equal(d1!.unitNorms!.count, 5);
  const u = d1!.unitNorms!;
  assertClose([u.min, u.mean, u.max], [Math.sqrt(5), Math.sqrt(5), Math.sqrt(5)], 1e-6, 1e-6, 'ones kernel: every unit has norm √5');
  assert.equal(d1!.regularization, 'kernel l1(0.01), activity l2(0.01)');
  assert.equal(dr!.penalty, 0);
  assert.equal(dr!.unitNorms, undefined);
  assert.equal(dr!.regularization, 'dropout 0.5');
  const k2 = model.layers[2]!.getWeights()[0]!;
  const expected = 0.1 * Array.from(k2.data).reduce((s, v) => s + v * v, 0);
  assertClose([d2!.weightPenalty], [expected], 1e-5, 1e-7, 'l2 penalty; zero bias adds l1 0');
  assert.equal(d2!.unitNorms!.count, 2);
  assert.deepEqual(d2!.maxNorm, { limit: 3, atLimit: 0, fraction: 0 });
  assert.equal(d2!.regularization, 'kernel l2(0.1), kernel maxNorm(3), bias l1(1)');
});

test('Conv1D kernels report one norm per filter, or per constraint axis when constrained', () => {
  const conv = layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [10, 2] });
  const convC = layers.convolution1d(4, 3, { border_mode: 'same', W_constraint: constraints.maxNorm({ maxValue: 1, axis: [0, 1] }), inputShape: [10, 2] });
  const convPair = layers.conv1d({ filters: 4, kernelSize: 3, kernelConstraint: constraints.maxNorm(1), inputShape: [10, 2] });
  for (const [layer, count] of [[conv, 4], [convC, 4], [convPair, 8]] as const) {
    const m = new Sequential([layer], { seed: 2 });
    const [r] = regularizationReport(m);
    assert.equal(r!.unitNorms!.count, count, layer.name);
    const k = layer.getWeights()[0]!;
    if (count === 4) {
      const perFilter = Array.from({ length: 4 }, (_, f) => Math.sqrt(Array.from({ length: 6 }, (_, i) => k.data[i * 4 + f]! ** 2).reduce((a, b) => a + b, 0)));
      assertClose([r!.unitNorms!.max], [Math.max(...perFilter)], 1e-5, 1e-6, 'per-filter max');
    }
  }
});

test('penalties enter loss, val_loss and evaluate (Keras ≥ 3.14), activity divided by batch', async () => {
  const { x, y } = toyData(5);
  const build = (reg: boolean): Sequential => {
    const m = new Sequential([
      layers.dense({ units: 8, activation: 'relu', inputShape: [6], ...(reg ? { kernelRegularizer: regularizers.l2(0.5) } : {}) }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], { seed: 9 });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    return m;
  };
  const plain = build(false);
  const reg = build(true);
  const penalty = regularizationReport(reg)[0]!.weightPenalty;
  assert.ok(penalty > 0.5, `a visible penalty: ${penalty}`);
  const ePlain = plain.evaluate(x, y);
  const eReg = reg.evaluate(x, y);
  assertClose([eReg['loss']! - ePlain['loss']!], [penalty], 1e-4, 1e-5, 'evaluate includes the weight penalty');
});

test('earlyStopping restores the best epoch’s weights in a real fit; memory checkpoint keeps the same weights', async () => {
  const { x, y } = toyData(7);
  const model = new Sequential([
    layers.dense({ units: 32, activation: 'relu', inputShape: [6] }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ], { seed: 4 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const snapshots: Tensor[][] = [];
  const recorder = { onEpochEnd: () => void snapshots.push(model.getWeights()) };
  const es = callbacks.earlyStopping({ patience: 3, restoreBestWeights: true });
  const mem = callbacks.modelCheckpoint({ sink: 'memory', saveBestOnly: true });
  const h = await model.fit(x, y, { epochs: 40, batchSize: 8, validationSplit: 0.3, callbacks: [recorder, es, mem], seed: 2, verbose: 0 });
  const val = h.history['val_loss']!;
  const best = val.indexOf(Math.min(...val));
  assert.equal(es.bestEpoch, best);
  assert.equal(mem.memory!.epoch, best);
  const now = model.getWeights();
  snapshots[best]!.forEach((w, i) => assertClose(now[i]!.data, w.data, 0, 0, `restored weight ${i} = epoch ${best}'s`));
  mem.memory!.weights.forEach((w, i) => assertClose(w.data, snapshots[best]![i]!.data, 0, 0, `memory checkpoint weight ${i}`));
  const restoredLoss = model.evaluate(takeLast(x, 36), takeLast(y, 36))['loss']!;
  assertClose([restoredLoss], [val[best]!], 1e-4, 1e-5, 'val_loss of the restored model = best val_loss');
});

function takeLast(t: Tensor, n: number): Tensor {
  const rows = t.shape[0]!;
  const per = t.size / rows;
  const data = t.data.slice((rows - n) * per);
  return tensor(data, [n, ...t.shape.slice(1)], t.dtype);
}

test('fit({seed}) makes dropout training reproducible; a different seed gives different weights', async () => {
  const { x, y } = toyData(11);
  const run = async (seed: number): Promise<number[]> => {
    const m = new Sequential([
      layers.dense({ units: 16, activation: 'relu', inputShape: [6] }),
      layers.dropout(0.5),
      layers.gaussianNoise(0.1),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], { seed: 1 });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 2, batchSize: 16, seed, verbose: 0 });
    return Array.from(m.getWeights()[0]!.data);
  };
  const a = await run(5);
  assert.deepEqual(await run(5), a);
  assert.notDeepEqual(await run(6), a);
  void randomNormal;
});

test('functional models: nested models flattened in, a shared layer once (activity summed over calls), x as a list or object, frozen nested weights add no penalty', () => {
  const a = input({ shape: [3], name: 'ra' });
  const b = input({ shape: [3], name: 'rb' });
  const shared = layers.dense({ units: 2, name: 'rshared', kernelInitializer: 'ones', kernelRegularizer: regularizers.l2(0.5), activityRegularizer: regularizers.activityL1(0.1) });
  const inner = new Sequential([layers.dense({ units: 2, inputShape: [2], name: 'rinner', kernelInitializer: 'ones', kernelRegularizer: regularizers.l1(0.25) })], { name: 'inner_seq' });
  const frozen = new Sequential([layers.dense({ units: 1, inputShape: [4], name: 'rfrozen', kernelInitializer: 'ones', kernelRegularizer: regularizers.l1(1) })], { name: 'frozen_seq' });
  frozen.trainable = false;
  const merged = layers.concatenate({ name: 'rcat' }).apply([inner.apply(shared.apply(a)), shared.apply(b)]);
  const m = model({ inputs: [a, b], outputs: frozen.apply(merged), seed: 1 });
  const xa = tensor([1, 1, 1, 2, 2, 2], [2, 3]);
  const xb = tensor([-1, 0, 0, 0, 0, 3], [2, 3]);
  const byName = (rows: ReturnType<typeof regularizationReport>) => Object.fromEntries(rows.map((r) => [r.layer, r]));
  const rows = regularizationReport(m, { x: [xa, xb] });
  assert.deepEqual(rows.map((r) => [r.layer, r.model]), [['rshared', undefined], ['rinner', 'inner_seq'], ['rcat', undefined], ['rfrozen', 'frozen_seq']]);
  const r = byName(rows);
  // rshared (kernel of ones [3,2]): weight 0.5·6 = 3; activity l1 0.1·Σ|y|/batch over both calls:
  // a → rows sum 3 and 6 per unit → 0.1·(2·3 + 2·6)/2 = 0.9; b → rows −1 and 3 → 0.1·(2·1 + 2·3)/2 = 0.4.
  assertClose([r['rshared']!.weightPenalty, r['rshared']!.activityPenalty, r['rshared']!.penalty], [3, 1.3, 4.3], 1e-5, 1e-6, 'shared layer');
  assertClose([r['rinner']!.weightPenalty], [0.25 * 4], 1e-6, 1e-7, 'nested Sequential layer');
  assert.equal(r['rfrozen']!.weightPenalty, 0, 'a frozen nested model adds no weight penalty');
  assert.equal(r['rfrozen']!.regularization, 'kernel l1(1)');
  // The report's penalties are what the model's loss adds.
  const total = rows.reduce((s, x) => s + x.penalty, 0);
  assertClose([total], [m.losses.reduce((s, t) => s + t.item(), 0)], 1e-5, 1e-6, 'report total = model.losses');
  // x as an object keyed by input name gives the same; a wrong key says which names exist.
  assertClose([byName(regularizationReport(m, { x: { rb: xb, ra: xa } }))['rshared']!.activityPenalty], [1.3], 1e-5, 1e-6, 'x as an object');
  assert.throws(() => regularizationReport(m, { x: { ra: xa, rc: xb } }), /x has key 'rc', but the model's names are 'ra', 'rb'/);
  assert.throws(() => regularizationReport(m, { x: xa }), /x is one tensor, but the model has 2/);
});
