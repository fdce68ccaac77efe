/**
 * Determinism: two runs with one seed are bit-identical — random creation, a
 * small training-like loop (dense + relu + dropout mask + conv1d + softmax
 * cross-entropy, gradients through the tape, Adam and SGD updates in place),
 * compared through the float32 bit patterns of every weight and loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as o from '../../src/ops/index.js';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { randomNormal, randomUniform, tensor, truncatedNormal, zeros } from '../../src/tensor/create.js';
import { Variable } from '../../src/tensor/variable.js';
import { Rng } from '../../src/random.js';
import { assertBitIdentical } from '../helpers/assert-close.js';

interface RunResult {
  losses: Float32Array;
  weights: Float32Array;
  init: Float32Array;
}

function run(seed: number, steps = 6): RunResult {
  const rng = new Rng(seed);
  const w1 = new Variable(truncatedNormal([6, 8], { stddev: 0.3, seed: rng.split() }), { name: 'w1' });
  const b1 = new Variable(zeros([8]), { name: 'b1' });
  const k = new Variable(randomNormal([3, 1, 2], { stddev: 0.3, seed: rng.split() }), { name: 'k' });
  const w2 = new Variable(randomUniform([8, 3], { minval: -0.4, maxval: 0.4, seed: rng.split() }), { name: 'w2' });
  const b2 = new Variable(zeros([3]), { name: 'b2' });
  const vars = [w1, b1, k, w2, b2];
  const init = Float32Array.from(vars.flatMap((v) => Array.from(v.data)));
  const data = rng.split();
  const x = randomNormal([10, 6], { seed: data });
  const labels = tensor(Array.from({ length: 10 }, () => data.int(3)), [10], 'int32');
  const y = o.oneHot(labels, 3);
  const slots = vars.map((v) => [o.slotLike(v, 'm'), o.slotLike(v, 'v')] as const);
  const momentum = vars.map((v) => o.slotLike(v, 'momentum'));
  const stepRng = rng.split();
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const maskRng = stepRng.split();
    const loss = o.stepScope(() => {
      const { value, grads } = valueAndGrad(() => {
        const h = o.dense(x, w1, b1, 'relu'); // [10, 8]
        const dropped = o.mul(h, o.dropoutMask(h.shape, 0.25, maskRng));
        // a conv over the hidden units as a length-8 sequence with one channel
        const seq = o.conv1d(o.expandDims(dropped, 2), k, { padding: 'same' }); // [10, 8, 2]
        const pooled = o.add(dropped, o.mean(seq, 2));
        const logits = o.dense(pooled, w2, b2);
        const penalty = o.mul(o.sum(o.square(w1)), 1e-3);
        return o.add(o.mean(o.softmaxCrossEntropy(logits, y)), penalty);
      }, vars);
      vars.forEach((v, i) => {
        const t = step;
        if (i % 2 === 0) {
          const [m, s] = slots[i]!;
          o.adamStep(v, grads[i]!, m, s, null, { alpha: (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t), beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
        } else {
          o.sgdStep(v, grads[i]!, momentum[i]!, 0.05, 0.9, true);
        }
      });
      return value.item();
    });
    losses.push(loss);
  }
  return { losses: Float32Array.from(losses), weights: Float32Array.from(vars.flatMap((v) => Array.from(v.data))), init };
}

test('two runs with one seed are bit-identical (initialization, dropout masks, grads, optimizer updates)', () => {
  const a = run(1234);
  const b = run(1234);
  assertBitIdentical(a.init, b.init, 'initial weights');
  assertBitIdentical(a.losses, b.losses, 'losses');
  assertBitIdentical(a.weights, b.weights, 'final weights');
  // the loop really trains and really depends on the seed
  assert.ok(a.losses.every(Number.isFinite), `losses ${a.losses}`);
  assert.ok(a.losses[a.losses.length - 1]! < a.losses[0]!, `loss went from ${a.losses[0]} to ${a.losses[a.losses.length - 1]}`);
  const c = run(1235);
  assert.notDeepEqual(Array.from(c.losses), Array.from(a.losses));
  assert.notDeepEqual(Array.from(c.init), Array.from(a.init));
});

test('a run resumed from a saved Rng state reproduces the rest of the run bit for bit', () => {
  const draw = (r: Rng): Float32Array =>
    Float32Array.from([...randomNormal([5], { seed: r }).data, ...o.dropoutMask([9], 0.5, r).data, r.uniform(), ...randomUniform([3], { seed: r.split() }).data]);
  const r = new Rng(77);
  draw(r);
  const saved = r.getState();
  const rest = draw(r);
  assertBitIdentical(draw(Rng.fromState(saved)), rest, 'resumed draws');
});
