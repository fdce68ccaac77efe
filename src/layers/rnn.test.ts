/**
 * SimpleRNN, LSTM, GRU (rnn-base.ts, simple-rnn.ts, lstm.ts, gru.ts) against
 * an independent step-by-step re-implementation of Keras 3's cells
 * (test/helpers/rnn-formula.ts): every cell, goBackwards, returnSequences and
 * returnState, masking, and Keras's recurrent dropout — masks drawn once per
 * call and per gate, fixed over time, seeded, reproducible, training only —
 * checked against its formula with the masks the layer drew.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Rng } from '../random.js';
import { assertClose } from '../../test/helpers/assert-close.js';
import { rnnFormula, type Cell } from '../../test/helpers/rnn-formula.js';
import { LSTM } from './lstm.js';
import { GRU } from './gru.js';
import { SimpleRNN } from './simple-rnn.js';
import type { RNNBase } from './rnn-base.js';
import { layerTest } from '../../test/helpers/layer-test.js';
import { gradCheck } from '../autograd/gradcheck.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';

const B = 3;
const T = 5;
const N = 4;
const U = 3;

function input(seed = 1): { t: Tensor; x: number[][][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: B }, () => Array.from({ length: T }, () => Array.from({ length: N }, () => rng.uniform() * 2 - 1)));
  return { t: tensor(x), x };
}

function make(cell: Cell, extra: Record<string, unknown> = {}): RNNBase {
  const args = { units: U, biasInitializer: 'randomNormal', ...extra } as never;
  return cell === 'lstm' ? new LSTM(args) : cell === 'gru' ? new GRU(args) : new SimpleRNN(args);
}

function formulaFor(layer: RNNBase, cell: Cell, x: number[][][], more: Partial<Parameters<typeof rnnFormula>[0]> = {}) {
  const w = layer.getWeights();
  return rnnFormula({
    cell,
    units: U,
    x,
    kernel: w[0]!.data as Float32Array,
    recurrent: w[1]!.data as Float32Array,
    bias: w[2] ? (w[2].data as Float32Array) : null,
    resetAfter: cell === 'gru' ? (layer as GRU).options.resetAfter : true,
    goBackwards: layer.goBackwards,
    ...more,
  });
}

const CASES: [Cell, Record<string, unknown>][] = [
  ['simpleRNN', {}],
  ['lstm', {}],
  ['gru', {}],
  ['gru', { resetAfter: false }],
  ['lstm', { useBias: false, goBackwards: true }],
  ['gru', { resetAfter: false, goBackwards: true }],
];

for (const [cell, extra] of CASES) {
  test(`${cell} ${JSON.stringify(extra)}: outputs, sequences and states match the Keras formula`, () => {
    const { t, x } = input();
    const layer = make(cell, { ...extra, returnSequences: true, returnState: true });
    const out = layer.apply(t) as Tensor[];
    const f = formulaFor(layer, cell, x);
    assert.equal(out.length, cell === 'lstm' ? 3 : 2);
    assert.deepEqual(out[0]!.shape, [B, T, U]);
    assertClose(out[0]!.data, f.outputs.flat(2), { rtol: 1e-5, atol: 1e-6, label: 'sequence' });
    assertClose(out[1]!.data, f.h.flat(), { rtol: 1e-5, atol: 1e-6, label: 'h' });
    if (f.c) assertClose(out[2]!.data, f.c.flat(), { rtol: 1e-5, atol: 1e-6, label: 'c' });
    const last = make(cell, extra);
    last.apply(t);
    last.setWeights(layer.getWeights());
    assertClose((last.apply(t) as Tensor).data, f.h.flat(), { rtol: 1e-5, atol: 1e-6, label: 'last output' });
  });
}

test('weights: Keras shapes, names and defaults (GRU bias [2, 3u] with resetAfter, [3u] without; LSTM forget bias 1)', () => {
  const { t } = input();
  const l = new LSTM({ units: U });
  l.apply(t);
  assert.deepEqual(l.weights.map((w) => [w.name, w.shape]), [[`${l.name}/kernel`, [N, 4 * U]], [`${l.name}/recurrent_kernel`, [U, 4 * U]], [`${l.name}/bias`, [4 * U]]]);
  assert.deepEqual(Array.from(l.bias!.data), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const g = new GRU({ units: U });
  g.apply(t);
  assert.deepEqual(g.bias!.shape, [2, 3 * U]);
  const g2 = new GRU({ units: U, resetAfter: false });
  g2.apply(t);
  assert.deepEqual(g2.bias!.shape, [3 * U]);
  // Orthogonal recurrent kernel: each gate block's columns are orthonormal rows of an orthogonal matrix.
  assert.equal(l.options.recurrentActivation.name, 'sigmoid');
});

for (const cell of ['simpleRNN', 'lstm', 'gru'] as Cell[]) {
  test(`${cell}: a masked step carries the previous state and output (Keras), also going backwards`, () => {
    const { t, x } = input(3);
    const mask = [
      [1, 1, 0, 1, 0],
      [0, 0, 1, 1, 1],
      [1, 1, 1, 1, 1],
    ];
    for (const goBackwards of [false, true]) {
      const layer = make(cell, { returnSequences: true, goBackwards });
      layer.apply(t);
      const y = layer.apply(t, { training: false, mask: tensor(mask) }) as Tensor;
      const f = formulaFor(layer, cell, x, { mask });
      assertClose(y.data, f.outputs.flat(2), { rtol: 1e-5, atol: 1e-6, label: `masked ${cell} goBackwards=${goBackwards}` });
    }
    const seq = make(cell, { returnSequences: true });
    const m = tensor(mask);
    assert.equal(seq.computeMask(t, m), m);
    assert.equal(make(cell).computeMask(t, m), null);
  });
}

for (const cell of ['simpleRNN', 'lstm', 'gru'] as Cell[]) {
  test(`${cell}: dropout and recurrentDropout follow Keras's formula with masks drawn once per call`, () => {
    const { t, x } = input(5);
    const layer = make(cell, { dropout: 0.3, recurrentDropout: 0.4, seed: 11, returnSequences: true });
    layer.apply(t);
    const y = layer.apply(t, { training: true }) as Tensor;
    const masks = layer.lastDropoutMasks!;
    const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
    assert.equal(masks.input.length, G, 'one input mask per gate when recurrentDropout > 0 (Keras implementation 1)');
    assert.deepEqual(masks.recurrent!.shape, [G, B, U]);
    for (const m of masks.input) for (const v of m.data) assert.ok(v === 0 || Math.abs(v - 1 / 0.7) < 1e-6);
    const rm = masks.recurrent!.data;
    const rec = Array.from({ length: G }, (_, g) => rm.subarray(g * B * U, (g + 1) * B * U));
    const f = formulaFor(layer, cell, x, { inputMasks: masks.input.map((m) => m.data as Float32Array), recurrentMasks: rec });
    assertClose(y.data, f.outputs.flat(2), { rtol: 1e-5, atol: 1e-6, label: 'dropout formula' });
    // A new call draws new masks from the advancing seeded stream; the same seed reproduces them.
    const y2 = layer.apply(t, { training: true }) as Tensor;
    assert.notDeepEqual(Array.from(y2.data), Array.from(y.data));
    const twin = make(cell, { dropout: 0.3, recurrentDropout: 0.4, seed: 11, returnSequences: true });
    twin.apply(t);
    twin.setWeights(layer.getWeights());
    assert.deepEqual(Array.from((twin.apply(t, { training: true }) as Tensor).data), Array.from(y.data));
    // Inference: no dropout at all.
    const inf = layer.apply(t, { training: false }) as Tensor;
    assertClose(inf.data, formulaFor(layer, cell, x).outputs.flat(2), { rtol: 1e-5, atol: 1e-6, label: 'inference' });
  });
}

test('LSTM/GRU with dropout only share one input mask across gates (Keras implementation 2); rate 1 is no dropout (Keras 0 < rate < 1)', () => {
  const { t, x } = input(7);
  const l = new LSTM({ units: U, dropout: 0.5, seed: 3 });
  l.apply(t);
  const y = l.apply(t, { training: true }) as Tensor;
  assert.equal(l.lastDropoutMasks!.input.length, 1);
  assert.equal(l.lastDropoutMasks!.recurrent, null);
  assertClose(y.data, formulaFor(l, 'lstm', x, { inputMasks: [l.lastDropoutMasks!.input[0]!.data as Float32Array] }).h.flat(), { rtol: 1e-5, atol: 1e-6 });
  const one = new GRU({ units: U, dropout: 1, recurrentDropout: 1, seed: 3 });
  one.apply(t);
  assertClose((one.apply(t, { training: true }) as Tensor).data, formulaFor(one, 'gru', x).h.flat(), { rtol: 1e-5, atol: 1e-6 });
});

test('without a seed a training call draws from ctx.rng, and says so when there is none', () => {
  const { t } = input();
  const l = new SimpleRNN({ units: U, dropout: 0.5 });
  l.apply(t);
  const a = l.apply(t, { training: true, rng: new Rng(4) }) as Tensor;
  const b = l.apply(t, { training: true, rng: new Rng(4) }) as Tensor;
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  assert.throws(() => l.apply(t, { training: true }), /needs randomness/);
});

test('configs round-trip with Keras 3 defaults and TF.js keys; errors are clear', () => {
  const l = new LSTM({ units: 4, dropout: 0.2, recurrentDropout: 0.1, seed: 5, returnSequences: true, kernelRegularizer: 'l2', recurrentConstraint: 'maxNorm' });
  const cfg = l.getConfig();
  assert.equal(cfg['recurrent_activation'], 'sigmoid');
  assert.equal(cfg['unit_forget_bias'], true);
  assert.equal(cfg['stateful'], false);
  assert.equal(cfg['seed'], 5);
  const back = LSTM.fromConfig(cfg) as LSTM;
  assert.deepEqual(back.getConfig(), cfg);
  const g = GRU.fromConfig({ ...new GRU({ units: 2 }).getConfig(), implementation: 2, reset_after: false, use_cudnn: 'auto' }) as GRU;
  assert.equal(g.options.resetAfter, false);
  assert.equal(new GRU({ units: 2 }).getConfig()['reset_after'], true);
  assert.throws(() => new LSTM({ units: 2, stateful: true }), /stateful=true is not supported/);
  assert.throws(() => new GRU({ units: 2, activation: 'gelu' }), /activation 'gelu' is not supported by the recurrent kernels/);
  assert.throws(() => new SimpleRNN({ units: 2, dropout: 1.5 }), /dropout/);
  assert.throws(() => new SimpleRNN({ units: 0 }), /units/);
  const r = new SimpleRNN({ units: 2 });
  assert.throws(() => r.apply(tensor([[1, 2]])), /expects inputs \[batch, steps, features\]/);
  assert.deepEqual(new LSTM({ units: 3, returnState: true, returnSequences: true }).computeOutputShape([null, 7, 2]), [[null, 7, 3], [null, 3], [null, 3]]);
});

test('the shared layer contract: shapes, weights, config round trip, finite training gradients', () => {
  layerTest(SimpleRNN, { units: 3 } as never, { inputShape: [2, 4, 5], outputShape: [2, 3], trainableWeights: 3 });
  layerTest(LSTM, { units: 6, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2 } as never, { inputShape: [3, 5, 4], outputShape: [3, 5, 6], trainableWeights: 3 });
  layerTest(GRU, { units: 5, useBias: false } as never, { inputShape: [2, 3, 2], outputShape: [2, 5], trainableWeights: 2 });
  layerTest(GRU, { units: 5, resetAfter: false, goBackwards: true, returnSequences: true } as never, { inputShape: [2, 3, 2], outputShape: [2, 3, 5], trainableWeights: 3 });
});

/** A float64 finite-difference check of a whole layer in training, with fresh (identical) dropout masks on every evaluation. */
function layerGradCheck(cell: Cell, extra: Record<string, unknown>, mask: number[][] | null) {
  const layer = make(cell, { units: 3, dropout: 0.3, recurrentDropout: 0.3, returnSequences: true, ...extra });
  const { t } = input(9);
  layer.apply(t);
  const rec = layer as unknown as Record<string, Tensor>;
  const fields = layer.bias ? ['kernel', 'recurrentKernel', 'bias'] : ['kernel', 'recurrentKernel'];
  const originals = fields.map((f) => rec[f]!);
  const f = (x: Tensor, ...ws: Tensor[]): Tensor => {
    fields.forEach((name, i) => (rec[name] = ws[i]!));
    try {
      const ctx = { training: true, rng: new Rng(5), ...(mask ? { mask: tensor(mask) } : {}) };
      const ys = layer.call(x, ctx) as Tensor;
      return sum(mul(ys, tensor(Array.from({ length: ys.size }, (_, i) => Math.sin(i + 1)), ys.shape)));
    } finally {
      fields.forEach((name, i) => (rec[name] = originals[i]!));
    }
  };
  const inputs: [readonly number[], ArrayLike<number>][] = [[t.shape, t.data], ...originals.map((w) => [w.shape, w.data] as [readonly number[], ArrayLike<number>])];
  return gradCheck((...ts) => f(ts[0]!, ...ts.slice(1)), inputs, { rtol: 1e-6, atol: 1e-8 });
}

for (const [cell, extra] of [['simpleRNN', {}], ['lstm', {}], ['gru', {}], ['gru', { resetAfter: false, goBackwards: true }], ['lstm', { goBackwards: true, recurrentDropout: 0 }]] as [Cell, Record<string, unknown>][]) {
  test(`layer gradient check over ${T} steps: ${cell} ${JSON.stringify(extra)} with dropout, recurrent dropout and a mask (float64, rtol 1e-6)`, () => {
    const mask = [
      [1, 1, 0, 1, 1],
      [1, 0, 0, 1, 1],
      [1, 1, 1, 1, 0],
    ];
    const r = layerGradCheck(cell, extra, mask);
    assert.ok(r.ok, `worst ${r.worst}, maxdiff ${r.maxAbsDiff} at ${JSON.stringify(r.where)}`);
  });
}
