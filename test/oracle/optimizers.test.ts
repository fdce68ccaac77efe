/**
 * Optimizer steps against TF.js (cpu) where its update rule equals Keras 3's
 * (SGD, momentum/Nesterov, RMSprop plain/momentum, Adagrad with an
 * explicit initial accumulator, Adam with eps = 0), and against the docs/semantics.md §5
 * formulas in float64 where TF.js differs (Adam's eps outside the bias
 * correction, AMSGrad, centered RMSprop (TF.js subtracts eps), AdamW, weight decay, clipping). Two steps each, so
 * slots are exercised. Tolerance: rtol 1e-5, atol 1e-6 (float32).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adagrad, adam, adamw, getOptimizer, Optimizer, optimizers, rmsprop, sgd } from '../../src/optimizers/index.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { Adam, AdamW } from '../../src/optimizers/adam.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { clip } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/create.js';
import { Variable } from '../../src/tensor/variable.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { assertClose, randn, tfjs } from './reg-helpers.js';

const RTOL = 1e-5;
const ATOL = 1e-6;
const SHAPE = [3, 4];
const W0 = randn(12, 21);
const G1 = randn(12, 22);
const G2 = randn(12, 23, 0.5);

let varCount = 0;
function variable(values: Float32Array = W0, name = `w${varCount++}`): Variable {
  return new Variable(tensor(values, SHAPE), { name });
}

/** Two steps of `opt` from W0 with grads G1, G2. */
function ours(opt: Optimizer, values: Float32Array = W0): Float32Array {
  const w = variable(values);
  opt.applyGradients([tensor(G1, SHAPE)], [w]);
  opt.applyGradients([tensor(G2, SHAPE)], [w]);
  return Float32Array.from(w.data);
}

let tfVar = 0;
async function theirs(make: (tf: Awaited<ReturnType<typeof tfjs>>) => { applyGradients(g: Record<string, unknown>): void }): Promise<Float32Array> {
  const tf = await tfjs();
  const name = `tfw${tfVar++}`;
  const v = tf.variable(tf.tensor2d(W0, [3, 4]), true, name);
  const opt = make(tf);
  opt.applyGradients({ [name]: tf.tensor2d(G1, [3, 4]) });
  opt.applyGradients({ [name]: tf.tensor2d(G2, [3, 4]) });
  return v.dataSync() as Float32Array;
}

test('SGD, momentum and Nesterov equal TF.js', async () => {
  assertClose(ours(sgd({ learningRate: 0.1 })), await theirs((tf) => tf.train.sgd(0.1)), RTOL, ATOL, 'sgd');
  assertClose(ours(sgd({ learningRate: 0.1, momentum: 0.9 })), await theirs((tf) => tf.train.momentum(0.1, 0.9)), RTOL, ATOL, 'momentum');
  assertClose(ours(sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true })), await theirs((tf) => tf.train.momentum(0.05, 0.8, true)), RTOL, ATOL, 'nesterov');
});

test('RMSprop (plain, momentum) equals TF.js', async () => {
  const cases: [string, Optimizer, (tf: Awaited<ReturnType<typeof tfjs>>) => { applyGradients(g: Record<string, unknown>): void }][] = [
    ['plain', rmsprop({ learningRate: 0.01, rho: 0.8, epsilon: 1e-7 }), (tf) => tf.train.rmsprop(0.01, 0.8, 0, 1e-7)],
    ['momentum', rmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-6 }), (tf) => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-6)],
  ];
  for (const [what, opt, make] of cases) assertClose(ours(opt), await theirs(make), RTOL, ATOL, `rmsprop ${what}`);
});

/** Spec §5 RMSprop in float64 (TF.js's centered form computes sqrt(v − ḡ² − eps): a sign slip, so not an oracle there). */
function rmspropByHand(lr: number, rho: number, momentum: number, eps: number, centered: boolean): number[] {
  const w = Array.from(W0);
  const v = w.map(() => 0);
  const mg = w.map(() => 0);
  const mom = w.map(() => 0);
  for (const g of [G1, G2]) {
    for (let i = 0; i < w.length; i++) {
      v[i] = rho * v[i]! + (1 - rho) * g[i]! ** 2;
      let denom = v[i]!;
      if (centered) {
        mg[i] = rho * mg[i]! + (1 - rho) * g[i]!;
        denom -= mg[i]! ** 2;
      }
      const inc = (lr * g[i]!) / Math.sqrt(denom + eps);
      mom[i] = momentum * mom[i]! + inc;
      w[i]! -= momentum > 0 ? mom[i]! : inc;
    }
  }
  return w;
}

test('RMSprop centered follows the docs/semantics.md formula (eps inside the sqrt, added)', () => {
  assertClose(ours(rmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.3, epsilon: 1e-7, centered: true })), rmspropByHand(0.01, 0.9, 0.3, 1e-7, true), RTOL, ATOL, 'centered');
  assertClose(ours(rmsprop({ learningRate: 0.01, centered: true })), rmspropByHand(0.01, 0.9, 0, 1e-7, true), RTOL, ATOL, 'centered, no momentum');
});

test('Adagrad (initial accumulator 0.1, eps 1e-7) equals TF.js with explicit arguments', async () => {
  assertClose(ours(adagrad({ learningRate: 0.05 })), await theirs((tf) => tf.train.adagrad(0.05, 0.1)), RTOL, ATOL, 'adagrad');
});

test('Adam equals TF.js when eps = 0 (where the two epsilon placements coincide)', async () => {
  assertClose(ours(adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 0 })), await theirs((tf) => tf.train.adam(0.01, 0.8, 0.99, 0)), RTOL, ATOL, 'adam eps 0');
});

/** Spec §5 Adam in float64: eps outside the bias correction; AMSGrad uses max(v̂, v). */
function adamByHand(lr: number, b1: number, b2: number, eps: number, amsgrad: boolean, wd = 0): number[] {
  const w = Array.from(W0);
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const vh = w.map(() => 0);
  [G1, G2].forEach((g, step) => {
    const t = step + 1;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < w.length; i++) {
      w[i]! -= lr * wd * w[i]!;
      m[i]! += (g[i]! - m[i]!) * (1 - b1);
      v[i]! += (g[i]! * g[i]! - v[i]!) * (1 - b2);
      vh[i] = Math.max(vh[i]!, v[i]!);
      w[i]! -= (alpha * m[i]!) / (Math.sqrt(amsgrad ? vh[i]! : v[i]!) + eps);
    }
  });
  return w;
}

test('Adam (Keras eps 1e-7 outside the correction), AMSGrad and AdamW follow the docs/semantics.md formula', async () => {
  assertClose(ours(adam({ learningRate: 0.01 })), adamByHand(0.01, 0.9, 0.999, 1e-7, false), RTOL, ATOL, 'adam');
  // A large eps makes the placement visible: lr·m̂/(sqrt(v̂)+eps) (TF.js, PyTorch) would differ by far more than the tolerance.
  const keras = ours(adam({ learningRate: 0.01, epsilon: 0.1 }));
  assertClose(keras, adamByHand(0.01, 0.9, 0.999, 0.1, false), RTOL, ATOL, 'adam eps 0.1');
  assert.ok(Math.abs(keras[0]! - (await theirs((tf) => tf.train.adam(0.01, 0.9, 0.999, 0.1)))[0]!) > 1e-4, 'epsilon placement differs from TF.js');
  assertClose(ours(adam({ learningRate: 0.01, amsgrad: true })), adamByHand(0.01, 0.9, 0.999, 1e-7, true), RTOL, ATOL, 'amsgrad');
  assertClose(ours(adamw({ learningRate: 0.01 })), adamByHand(0.01, 0.9, 0.999, 1e-7, false, 0.004), RTOL, ATOL, 'adamw default wd 0.004');
  assertClose(ours(adamw({ learningRate: 0.01, weightDecay: 0.1 })), adamByHand(0.01, 0.9, 0.999, 1e-7, false, 0.1), RTOL, ATOL, 'adamw wd 0.1');
});

test('Keras 3 defaults', () => {
  const s = new SGD();
  const a = new Adam();
  const r = new RMSprop();
  const g = new Adagrad();
  const w = new AdamW();
  assert.deepEqual([s.learningRate, s.momentum, s.nesterov], [0.01, 0, false]);
  assert.deepEqual([a.learningRate, a.hyper.beta1, a.hyper.beta2, a.hyper.epsilon, a.hyper.amsgrad], [0.001, 0.9, 0.999, 1e-7, false]);
  assert.deepEqual([r.learningRate, r.rho, r.momentum, r.epsilon, r.centered], [0.001, 0.9, 0, 1e-7, false]);
  assert.deepEqual([g.learningRate, g.initialAccumulatorValue, g.epsilon], [0.001, 0.1, 1e-7]);
  assert.deepEqual([w.learningRate, w.weightDecay], [0.001, 0.004]);
  assert.equal(new Adam().weightDecay, undefined);
});

test('decoupled weight decay on any optimizer (w −= lr·wd·w first) and excludeFromWeightDecay', () => {
  const lr = 0.1;
  const wd = 0.5;
  const expected = Array.from(W0);
  for (const g of [G1, G2]) for (let i = 0; i < 12; i++) expected[i] = expected[i]! * (1 - lr * wd) - lr * g[i]!;
  assertClose(ours(sgd({ learningRate: lr, weightDecay: wd })), expected, RTOL, ATOL, 'sgd + wd');
  const opt = sgd({ learningRate: lr, weightDecay: wd });
  opt.excludeFromWeightDecay({ varNames: ['bias'] });
  const kernel = new Variable(tensor(W0, SHAPE), { name: 'dense/kernel' });
  const bias = new Variable(tensor(W0, SHAPE), { name: 'dense/bias' });
  opt.applyGradients([tensor(G1, SHAPE), tensor(G1, SHAPE)], [kernel, bias]);
  assertClose(bias.data, Array.from(W0, (w, i) => w - lr * G1[i]!), RTOL, ATOL, 'excluded bias');
  assertClose(kernel.data, Array.from(W0, (w, i) => w * (1 - lr * wd) - lr * G1[i]!), RTOL, ATOL, 'decayed kernel');
});

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
}

test('clipnorm (per variable), clipvalue, globalClipnorm (only one allowed)', () => {
  const lr = 1;
  const step = (opt: Optimizer, gs: Float32Array[]): Float32Array[] => {
    const vs = gs.map(() => variable(new Float32Array(12)));
    opt.applyGradients(gs.map((g) => tensor(g, SHAPE)), vs);
    return vs.map((v) => Float32Array.from(v.data, (x) => -x));
  };
  const big = Float32Array.from(G1, (g) => g * 10);
  const [c1, c2] = step(sgd({ learningRate: lr, clipnorm: 1 }), [big, G2]);
  assertClose([norm(c1!)], [1], RTOL, ATOL, 'clipped to norm 1');
  assertClose(c1!, Array.from(big, (g) => g / norm(big)), RTOL, ATOL, 'direction kept');
  const n2 = norm(G2);
  assertClose(c2!, n2 > 1 ? Array.from(G2, (g) => g / n2) : G2, RTOL, ATOL, 'second variable clipped on its own');
  const [v1] = step(sgd({ learningRate: lr, clipvalue: 0.5 }), [G1]);
  assertClose(v1!, Array.from(G1, (g) => Math.min(0.5, Math.max(-0.5, g))), RTOL, ATOL, 'clipvalue');
  const [g1, g2] = step(sgd({ learningRate: lr, globalClipnorm: 1 }), [big, G2]);
  const gn = Math.sqrt(norm(big) ** 2 + n2 ** 2);
  assertClose(g1!, Array.from(big, (g) => g / gn), RTOL, ATOL, 'global clip 1');
  assertClose(g2!, Array.from(G2, (g) => g / gn), RTOL, ATOL, 'global clip 2');
  assert.throws(() => sgd({ clipnorm: 1, clipvalue: 1 }), /only one of clipnorm, clipvalue and globalClipnorm may be set, got 2/);
  assert.throws(() => sgd({ clipnorm: -1 }), /clipnorm must be a positive finite number, got -1/);
});

test('constraints are applied after the update; iterations count steps', () => {
  const opt = sgd({ learningRate: 0.1 });
  const w = new Variable(tensor(W0, SHAPE), { name: 'c', constraint: { apply: (x: Tensor) => clip(x, -0.2, 0.2) } });
  const free = variable();
  opt.applyGradients([tensor(G1, SHAPE), tensor(G1, SHAPE)], [w, free]);
  assertClose(w.data, Array.from(W0, (v, i) => Math.min(0.2, Math.max(-0.2, v - 0.1 * G1[i]!))), RTOL, ATOL, 'projected');
  assertClose(free.data, Array.from(W0, (v, i) => v - 0.1 * G1[i]!), RTOL, ATOL, 'unconstrained');
  assert.equal(opt.iterations, 1);
});

test('learningRate is settable between steps and validated', () => {
  const opt = sgd({ learningRate: 0.1 });
  const w = variable();
  opt.applyGradients([tensor(G1, SHAPE)], [w]);
  opt.learningRate = 0.01;
  opt.applyGradients([tensor(G2, SHAPE)], [w]);
  assertClose(w.data, Array.from(W0, (v, i) => v - 0.1 * G1[i]! - 0.01 * G2[i]!), RTOL, ATOL, 'two rates');
  assert.throws(() => (opt.learningRate = -1), /learningRate must be a finite number ≥ 0, got -1/);
});

test('getState/setState resume exactly (slots, iterations, learning rate), before or after building', () => {
  for (const make of [() => adam({ learningRate: 0.01, amsgrad: true }), () => rmsprop({ momentum: 0.5, centered: true }), () => adagrad(), () => sgd({ momentum: 0.9 })]) {
    const a = make();
    const wa = variable(W0, 'resume/w');
    a.applyGradients([tensor(G1, SHAPE)], [wa]);
    const state = JSON.parse(JSON.stringify(a.getState()));
    const snapshot = Float32Array.from(wa.data);
    a.applyGradients([tensor(G2, SHAPE)], [wa]);
    const b = make();
    const wb = new Variable(tensor(snapshot, SHAPE), { name: 'resume/w' });
    b.setState(state); // not built yet: applied when the first step builds the slots
    b.applyGradients([tensor(G2, SHAPE)], [wb]);
    assertBitIdentical(wb.data as Float32Array, wa.data as Float32Array, `${a.className} resumed`);
    assert.equal(b.iterations, 2);
  }
  const s = adam().getState();
  assert.throws(() => sgd().setState(s), /state is for Adam, not SGD/);
});

test('names resolve case- and underscore-insensitively; unknown names list the known ones; configs', () => {
  const names: [string, string][] = [['adam', 'Adam'], ['Adam', 'Adam'], ['sgd', 'SGD'], ['SGD', 'SGD'], ['rmsprop', 'RMSprop'], ['RMSprop', 'RMSprop'], ['adagrad', 'Adagrad'], ['adamw', 'AdamW'], ['adam_w', 'AdamW']];
  for (const [n, cls] of names) assert.equal(getOptimizer(n).className, cls, n);
  assert.throws(() => getOptimizer('adadelta'), /unknown optimizer 'adadelta'; known: sgd, adam, adamw, rmsprop, adagrad/);
  for (const o of [optimizers.adam({ learningRate: 0.02, amsgrad: true, clipnorm: 1 }), optimizers.sgd({ momentum: 0.9, nesterov: true }), optimizers.rmsprop({ centered: true }), optimizers.adagrad({ initialAccumulatorValue: 0.2 }), optimizers.adamw({ weightDecay: 0.01 })]) {
    const c = JSON.parse(JSON.stringify(o.getConfig()));
    assert.deepEqual(getOptimizer(c).getConfig(), o.getConfig());
  }
  assert.equal(optimizers.adam(0.05).learningRate, 0.05);
});
