/**
 * Noise and dropout layers: seeded statistics with stated bounds (5 standard
 * deviations of the estimator, so a correct layer fails with probability
 * < 1e-6 — and the draws are seeded, so the outcome is fixed), identity at
 * inference, seeding rules, docs/semantics.md §3 constants, configs and Keras-1 spellings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fill, ones, tensor, zeros } from '../tensor/create.js';
import { Rng } from '../random.js';
import { Variable } from '../tensor/variable.js';
import { valueAndGrad } from '../autograd/grad.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallContext, Layer } from './layer.js';
import { Dropout, dropout } from './dropout.js';
import { SpatialDropout1D, spatialDropout1d } from './spatial-dropout1d.js';
import { GaussianDropout, gaussianDropout } from './gaussian-dropout.js';
import { GaussianNoise, gaussianNoise } from './gaussian-noise.js';
import { AlphaDropout, alphaDropout, alphaDropoutAffine, ALPHA_PRIME } from './alpha-dropout.js';
import { ActivityRegularization, activityRegularization } from './activity-regularization.js';
import { assertClose, tfjs } from '../../test/oracle/reg-helpers.js';

const train = (seed = 1): CallContext => ({ training: true, rng: new Rng(seed) });
const infer: CallContext = { training: false };
const run = (layer: Layer, x: Tensor, ctx: CallContext): Tensor => layer.apply(x, ctx, new Rng(0));

function stats(d: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]!;
  const mean = s / d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += (d[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / d.length) };
}

/** |x − expected| ≤ k·σ, with the numbers in the message. */
function within(x: number, expected: number, sigma: number, what: string, k = 5): void {
  assert.ok(Math.abs(x - expected) <= k * sigma, `${what}: ${x} vs ${expected} ± ${k}·${sigma.toPrecision(3)}`);
}

test('dropout zeroes `rate` of the units within a binomial bound, scales kept ones by 1/(1−rate), keeps the mean', () => {
  for (const rate of [0.1, 0.3, 0.5, 0.8]) {
    const n = 20000;
    const y = run(dropout(rate), ones([200, 100]), train(11)).data;
    let zeros = 0;
    for (const v of y) {
      if (v === 0) zeros++;
      else assertClose([v], [1 / (1 - rate)], 1e-6, 0, 'kept value');
    }
    within(zeros, rate * n, Math.sqrt(n * rate * (1 - rate)), `zeros at rate ${rate}`);
    // Each output is (1/(1−rate))·Bernoulli(1−rate): mean 1, variance rate/(1−rate).
    within(stats(y).mean, 1, Math.sqrt(rate / (1 - rate) / n), `mean at rate ${rate}`);
  }
});

test('dropout is the identity at inference and for rate 0; rate 1 zeroes everything', () => {
  const x = tensor([[1, -2, 3], [4, 5, -6]]);
  assert.equal(run(dropout(0.5), x, infer), x);
  assert.equal(run(dropout(0), x, train()), x);
  assert.ok(Array.from(run(dropout(1), x, train()).data).every((v) => v === 0), 'rate 1 → zeros');
  for (const l of [spatialDropout1d(0.5), gaussianDropout(0.5), gaussianNoise(0.5), alphaDropout(0.5), activityRegularization({ l2: 1 })]) {
    const x3 = fill([2, 3, 4], 0.7);
    assert.equal(run(l, x3, infer), x3, `${l.className} at inference`);
  }
});

test('same seed → same mask; different seed → different mask; a seeded layer advances (a new mask each call)', () => {
  const x = ones([20, 50]);
  const mask = (l: Layer, ctx: CallContext = { training: true }): string => Array.from(run(l, x, ctx).data, (v) => (v === 0 ? 0 : 1)).join('');
  const a = dropout({ rate: 0.5, seed: 5 });
  const b = dropout({ rate: 0.5, seed: 5 });
  const c = dropout({ rate: 0.5, seed: 6 });
  const a1 = mask(a);
  assert.equal(a1, mask(b), 'same seed, same first mask');
  assert.notEqual(a1, mask(c), 'different seed');
  const a2 = mask(a);
  assert.notEqual(a1, a2, 'a seeded layer draws a fresh mask per call (TF.js repeats one)');
  assert.equal(a2, mask(b), 'and the sequence is reproducible');
  // Without a seed the layer draws from ctx.rng (fit derives it from fit({seed})).
  const u = dropout(0.5);
  assert.equal(mask(u, train(3)), mask(u, train(3)));
  assert.notEqual(mask(u, train(3)), mask(u, train(4)));
  assert.throws(() => run(dropout(0.5), x, { training: true }), /a training call needs randomness: give the layer a seed, or pass ctx.rng/);
  // Resume: a restored stream state continues the same sequence.
  const s = a.getRngState()!;
  const next = mask(a);
  const d = dropout({ rate: 0.5, seed: 5 });
  d.setRngState(s);
  assert.equal(mask(d), next);
});

test('dropout noiseShape: null entries take the input size; size-1 axes share the mask', () => {
  const y = run(dropout({ rate: 0.5, noiseShape: [null, 1], seed: 2 }), ones([400, 6]), { training: true });
  let droppedRows = 0;
  for (let r = 0; r < 400; r++) {
    const row = Array.from(y.data.subarray(r * 6, r * 6 + 6));
    assert.ok(row.every((v) => v === row[0]), `row ${r} shares one mask value: ${row}`);
    if (row[0] === 0) droppedRows++;
  }
  within(droppedRows, 200, Math.sqrt(400 * 0.25), 'dropped rows');
  assert.throws(() => run(dropout({ rate: 0.5, noiseShape: [null, 3], seed: 1 }), ones([2, 6]), { training: true }), /does not broadcast to input \[2,6\] at axis 1/);
  assert.throws(() => run(dropout({ rate: 0.5, noiseShape: [1], seed: 1 }), ones([2, 6]), { training: true }), /has rank 1, input \[2,6\] has rank 2/);
});

test('the gradient flows through the kept units only, scaled', () => {
  const w = new Variable(ones([10, 10]), { name: 'w' });
  const layer = dropout({ rate: 0.4, seed: 9 });
  let y: Tensor | undefined;
  const { grads } = valueAndGrad(() => {
    y = run(layer, w, { training: true });
    return sum(y);
  }, [w]);
  assertClose(grads[0]!.data, y!.data, 0, 0, 'd sum(dropout(w)) / dw = mask');
});

test('spatialDropout1d drops whole channels: mask [batch, 1, channels]', () => {
  const [b, steps, ch] = [50, 7, 40];
  const y = run(spatialDropout1d({ rate: 0.25, seed: 4 }), ones([b, steps, ch]), { training: true }).data;
  let dropped = 0;
  for (let i = 0; i < b; i++) {
    for (let c = 0; c < ch; c++) {
      const first = y[i * steps * ch + c]!;
      for (let t = 1; t < steps; t++) assert.equal(y[(i * steps + t) * ch + c], first);
      if (first === 0) dropped++;
      else assertClose([first], [1 / 0.75], 1e-6, 0, 'scale');
    }
  }
  within(dropped, 0.25 * b * ch, Math.sqrt(b * ch * 0.25 * 0.75), 'dropped channels');
  assert.throws(() => run(spatialDropout1d(0.5), ones([3, 4]), train()), /expects input \[batch, steps, channels\], got \[3,4\]/);
});

test('gaussianDropout multiplies by N(1, rate/(1−rate)); gaussianNoise adds N(0, stddev²)', () => {
  const n = 40000;
  for (const [rate, sigma] of [[0.5, 1], [0.2, 0.5], [0.1, 1 / 3]] as const) {
    const l = gaussianDropout(rate);
    assertClose([l.stddev], [sigma], 1e-12, 0, 'σ');
    const s = stats(run(l, ones([200, 200]), train(21)).data);
    within(s.mean, 1, sigma / Math.sqrt(n), `gaussianDropout(${rate}) mean`);
    within(s.std, sigma, sigma / Math.sqrt(2 * n), `gaussianDropout(${rate}) std`);
  }
  const g = stats(run(gaussianNoise(0.2), zeros([200, 200]), train(22)).data);
  within(g.mean, 0, 0.2 / Math.sqrt(n), 'gaussianNoise mean');
  within(g.std, 0.2, 0.2 / Math.sqrt(2 * n), 'gaussianNoise std');
  assert.throws(() => gaussianNoise(1.5), /GaussianNoise: stddev must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => gaussianDropout(1), /GaussianDropout: rate must be a number in \[0, 1\), got 1/);
});

test('alphaDropout: spec constants for rate 0.1 and the correct (negative) dropped value', () => {
  const { a, b } = alphaDropoutAffine(0.1);
  assertClose([a, b], [0.921285, 0.161971], 0, 1e-6, 'a, b');
  const droppedValue = a * ALPHA_PRIME + b;
  assertClose([droppedValue], [-1.457739], 0, 1e-6, 'dropped unit');
  const x = fill([100, 100], 0.5);
  const y = run(alphaDropout({ rate: 0.1, seed: 3 }), x, { training: true }).data;
  let dropped = 0;
  for (const v of y) {
    if (Math.abs(v - droppedValue) < 1e-5) dropped++;
    else assertClose([v], [a * 0.5 + b], 1e-5, 1e-6, 'kept unit');
  }
  within(dropped, 1000, Math.sqrt(10000 * 0.09), 'dropped count');
  // Self-normalizing: N(0,1) inputs keep mean 0 and variance 1.
  const rng = new Rng(77);
  const z = tensor(Float32Array.from({ length: 40000 }, () => rng.normal()), [200, 200]);
  const s = stats(run(alphaDropout({ rate: 0.2, seed: 8 }), z, { training: true }).data);
  within(s.mean, 0, 1 / 200, 'alphaDropout mean');
  within(s.std, 1, 0.02 / 5, 'alphaDropout std', 5);
});

test('TF.js AlphaDropout flips the sign of the dropped value (docs/semantics.md §3) — Regula does not', async () => {
  const tf = await tfjs();
  const layer = tf.layers.alphaDropout({ rate: 0.1 });
  const out = (layer.apply(tf.ones([50, 50]), { training: true }) as ReturnType<typeof tf.ones>).dataSync();
  const { a, b } = alphaDropoutAffine(0.1);
  const tfDropped = Array.from(out).filter((v) => Math.abs(v - (a * 1 + b)) > 1e-4);
  assert.ok(tfDropped.length > 0, 'TF.js dropped some units');
  for (const v of tfDropped) assertClose([v], [1.78168], 0, 1e-4, 'TF.js dropped value');
});

test('activityRegularization adds (l1·Σ|y| + l2·Σy²)/batch and is the identity', () => {
  const layer = activityRegularization({ l1: 0.1, l2: 0.01 });
  const x = tensor([[1, -2], [3, 4]]);
  assert.equal(run(layer, x, train()), x);
  const [p] = layer.losses.map((t) => t.item());
  assertClose([p!], [(0.1 * 10 + 0.01 * 30) / 2], 1e-6, 1e-7, 'activity penalty');
  assert.equal(activityRegularization().losses.length, 0);
  assert.throws(() => activityRegularization({ l2: -1 }), /l2 must be a finite number >= 0, got -1/);
});

test('configs round-trip; Keras-1 spellings Dropout(p), GaussianNoise(sigma), GaussianDropout(p)', () => {
  const cases: [Layer, (c: Record<string, unknown>) => Layer, Record<string, unknown>][] = [
    [dropout({ rate: 0.3, noiseShape: [null, 1], seed: 4 }), Dropout.fromConfig, { rate: 0.3, noise_shape: [null, 1], seed: 4 }],
    [spatialDropout1d({ rate: 0.2 }), SpatialDropout1D.fromConfig, { rate: 0.2, seed: null }],
    [gaussianDropout({ rate: 0.1, seed: 1 }), GaussianDropout.fromConfig, { rate: 0.1, seed: 1 }],
    [gaussianNoise(0.2), GaussianNoise.fromConfig, { stddev: 0.2, seed: null }],
    [alphaDropout(0.1), AlphaDropout.fromConfig, { rate: 0.1, noise_shape: null, seed: null }],
    [activityRegularization({ l2: 0.5 }), ActivityRegularization.fromConfig, { l1: 0, l2: 0.5 }],
  ];
  for (const [layer, fromConfig, own] of cases) {
    const cfg = layer.getConfig();
    for (const [k, v] of Object.entries(own)) assert.deepEqual(cfg[k], v, `${layer.className}.${k}`);
    assert.deepEqual(fromConfig(cfg).getConfig(), cfg, `${layer.className} round trip`);
  }
  assert.equal(dropout(0.5).rate, 0.5);
  assert.equal(new Dropout({ p: 0.25 }).rate, 0.25);
  assert.equal(gaussianNoise({ sigma: 0.3 } as never).stddev, 0.3);
  assert.equal(gaussianDropout({ p: 0.1 } as never).rate, 0.1);
  assert.throws(() => dropout(1.5), /Dropout: rate must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => dropout({ rate: 0.5, p: 0.5 } as never), /both 'p' \(Keras 1\) and 'rate' given/);
  assert.throws(() => dropout({ rate: 0.5, seed: 1.5 }), /seed must be an integer, got 1.5/);
  assert.throws(() => dropout({ rate: 0.5, noiseSahpe: [1] } as never), /unknown option 'noiseSahpe'/);
  assert.ok(new AlphaDropout({ rate: 0.1 }) instanceof AlphaDropout);
});
