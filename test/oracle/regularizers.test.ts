/**
 * Regularizers vs TF.js (cpu) with identical weights, where TF.js is right
 * (L1/L2/L1L2 penalties and their gradients), and vs docs/semantics.md / Keras 3 tests
 * where TF.js has nothing (orthogonal, validation, user functions).
 * Tolerance for float32 comparisons: rtol 1e-5, atol 1e-6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, ones } from '../../src/tensor/create.js';
import { Variable } from '../../src/tensor/variable.js';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { add, mul, sub } from '../../src/ops/arithmetic.js';
import { mean, sum } from '../../src/ops/reduce.js';
import { square } from '../../src/ops/unary.js';
import { matmul } from '../../src/ops/matmul.js';
import {
  l1, l2, l1l2, l1_l2, activityL1, activityL2, activityL1L2, orthogonal, getRegularizer, regularizerFromConfig,
  L1L2, OrthogonalRegularizer, FunctionRegularizer,
} from '../../src/regularizers.js';
import { registerCustomObject } from '../../src/custom-objects.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import type * as TF from '@tensorflow/tfjs';
import { assertClose, randn, tfjs } from './reg-helpers.js';

const RTOL = 1e-5;
const ATOL = 1e-6;

const SHAPES: { what: string; shape: number[] }[] = [
  { what: 'Dense kernel [7,5]', shape: [7, 5] },
  { what: 'Conv1D kernel [3,4,6]', shape: [3, 4, 6] },
  { what: 'bias [5]', shape: [5] },
];

test('l1, l2, l1l2 penalties equal TF.js on random kernels', async () => {
  const tf = await tfjs();
  for (const [i, { what, shape }] of SHAPES.entries()) {
    const vals = randn(shape.reduce((a, b) => a * b, 1), 100 + i);
    const ours = tensor(vals, shape);
    const theirs = tf.tensor(vals, shape);
    const cases: [string, L1L2, ReturnType<typeof tf.regularizers.l1l2>][] = [
      ['l1(0.1)', l1(0.1), tf.regularizers.l1({ l1: 0.1 })],
      ['l2(0.2)', l2(0.2), tf.regularizers.l2({ l2: 0.2 })],
      ['l1l2(0.03, 0.07)', l1l2({ l1: 0.03, l2: 0.07 }), tf.regularizers.l1l2({ l1: 0.03, l2: 0.07 })],
      ['l1l2() defaults', l1l2(), tf.regularizers.l1l2()],
    ];
    for (const [name, r, t] of cases) {
      const a = r.apply(ours).item();
      const b = t.apply(theirs).dataSync()[0]!;
      assertClose([a], [b], RTOL, ATOL, `${name} on ${what}`);
    }
  }
});

test('gradient of data loss + weight penalties equals TF.js', async () => {
  const tf = await tfjs();
  const xv = randn(6 * 4, 1), wv = randn(4 * 3, 2, 0.5), bv = randn(3, 3, 0.1), yv = randn(6 * 3, 4);
  const x = tensor(xv, [6, 4]), y = tensor(yv, [6, 3]);
  const W = new Variable(tensor(wv, [4, 3]), { name: 'w', regularizer: l1l2({ l1: 0.01, l2: 0.02 }) });
  const b = new Variable(tensor(bv, [3]), { name: 'b', regularizer: l2(0.05) });
  const { value, grads } = valueAndGrad(() => {
    const data = mean(square(sub(add(matmul(x, W), b), y)));
    return add(add(data, W.regularizer!.apply(W)), b.regularizer!.apply(b));
  }, [W, b]);

  const tW = tf.variable(tf.tensor(wv, [4, 3])), tb = tf.variable(tf.tensor(bv, [3]));
  const tx = tf.tensor(xv, [6, 4]), ty = tf.tensor(yv, [6, 3]);
  const rW = tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), rb = tf.regularizers.l2({ l2: 0.05 });
  const res = tf.variableGrads(() => {
    const data = tf.mean(tf.square(tf.sub(tf.add(tf.matMul(tx, tW), tb), ty)));
    return tf.addN([data, rW.apply(tW), rb.apply(tb)]) as TF.Scalar;
  }, [tW, tb]);
  assertClose([value.item()], [res.value.dataSync()[0]!], RTOL, ATOL, 'loss + penalties');
  assertClose(grads[0]!.data, res.grads[tW.name]!.dataSync(), RTOL, ATOL, 'dL/dW');
  assertClose(grads[1]!.data, res.grads[tb.name]!.dataSync(), RTOL, ATOL, 'dL/db');
});

test('docs/semantics.md §1.1: a sum, never a mean, no ½ — L2(2)(ones(5,5)) = 50; zero factor skips the term', () => {
  assert.equal(l2(2).apply(ones([5, 5])).item(), 50);
  assert.equal(l1(0.5).apply(tensor([[-1, 2], [3, -4]])).item(), 5);
  assert.equal(new L1L2(0, 0).apply(tensor([1, 2])).item(), 0);
  // A zero factor skips its term entirely, so an infinite weight does not give 0·∞ = NaN.
  assert.equal(l1(1).apply(tensor([Infinity, 1])).item(), Infinity);
  assert.equal(new L1L2(0, 1).apply(tensor([1, 2])).item(), 5);
});

test('factories take a number or an object; defaults 0.01; aliases', () => {
  const same = (r: L1L2, e1: number, e2: number): void => {
    assert.equal(r.l1, e1);
    assert.equal(r.l2, e2);
  };
  same(l1(), 0.01, 0);
  same(l2(), 0, 0.01);
  same(l1l2(), 0.01, 0.01);
  same(l1(0.3), 0.3, 0);
  same(l1({ l1: 0.3 }), 0.3, 0);
  same(l1({ l: 0.3 }), 0.3, 0); // Keras 1: l1(l=0.3)
  same(l2(0.02), 0, 0.02);
  same(l2({ l2: 0.02 }), 0, 0.02);
  same(l1l2({ l1: 0.1 }), 0.1, 0.01);
  same(l1l2({ l2: 0.2 }), 0.01, 0.2);
  same(l1l2(0.1, 0.2), 0.1, 0.2);
  same(l1_l2({ l1: 0, l2: 0.5 }), 0, 0.5);
  same(activityL1(0.05), 0.05, 0);
  same(activityL2(0.05), 0, 0.05);
  same(activityL1L2(), 0.01, 0.01);
  same(getRegularizer('l1l2') as L1L2, 0.01, 0.01);
  same(getRegularizer('l1_l2') as L1L2, 0.01, 0.01);
  same(getRegularizer('l2') as L1L2, 0, 0.01);
  assert.ok(getRegularizer('orthogonal_regularizer') instanceof OrthogonalRegularizer);
  assert.equal(getRegularizer(undefined), undefined);
  assert.throws(() => getRegularizer('typo' as 'l1'), /unknown name 'typo'/);
});

test('factors are validated: finite, >= 0, the error names the value', () => {
  assert.throws(() => l2(-1), /l2: l2 must be a finite number >= 0, got -1/);
  assert.throws(() => l1(NaN), /l1 must be a finite number >= 0, got NaN/);
  assert.throws(() => l1l2({ l1: Infinity }), /l1 must be a finite number >= 0, got Infinity/);
  assert.throws(() => l2('0.1' as unknown as number), /got string "0.1"/);
  assert.throws(() => l2({ l1: 0.1 } as never), /unknown option 'l1'/);
  assert.throws(() => orthogonal(-0.5), /factor must be a finite number >= 0, got -0.5/);
  assert.throws(() => regularizerFromConfig({ class_name: 'L1L2', config: { l1: -2, l2: 0 } }), /got -2/);
});

test('getConfig in TF.js form and back', () => {
  assert.deepEqual(l1l2({ l1: 0.1, l2: 0.2 }).getConfig(), { class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 } });
  assert.deepEqual(l2(0.3).getConfig(), { class_name: 'L1L2', config: { l1: 0, l2: 0.3 } });
  assert.deepEqual(orthogonal({ factor: 0.1, mode: 'columns' }).getConfig(), {
    class_name: 'OrthogonalRegularizer',
    config: { factor: 0.1, mode: 'columns' },
  });
  const back = regularizerFromConfig(l1l2({ l1: 0.1, l2: 0.2 }).getConfig()) as L1L2;
  assert.deepEqual([back.l1, back.l2], [0.1, 0.2]);
  // Keras 3 class names load too.
  assert.deepEqual((regularizerFromConfig({ class_name: 'L2', config: { l2: 0.4 } }) as L1L2).getConfig().config, { l1: 0, l2: 0.4 });
  const o = regularizerFromConfig({ class_name: 'OrthogonalRegularizer', config: { factor: 0.2, mode: 'columns' } }) as OrthogonalRegularizer;
  assert.deepEqual([o.factor, o.mode], [0.2, 'columns']);
});

/** Keras 3 test_orthogonal_regularizer, computed here in float64. */
function orthoExpected(v: Float32Array, n: number, m: number, factor: number, mode: 'rows' | 'columns'): number {
  const at = (i: number, j: number): number => v[i * m + j]!;
  const count = mode === 'rows' ? n : m;
  const len = mode === 'rows' ? m : n;
  const vec = (i: number): number[] => Array.from({ length: len }, (_, k) => (mode === 'rows' ? at(i, k) : at(k, i)));
  const unit = Array.from({ length: count }, (_, i) => {
    const u = vec(i);
    const nrm = Math.max(Math.hypot(...u), 1e-7);
    return u.map((x) => x / nrm);
  });
  let s = 0;
  for (let i = 0; i < count; i++) for (let j = 0; j < count; j++) if (i !== j) s += Math.abs(unit[i]!.reduce((a, x, k) => a + x * unit[j]![k]!, 0));
  return (factor * 0.5 * s) / ((count * (count - 1)) / 2);
}

test('orthogonal regularizer matches the Keras 3 test formula (4×4 rows, 5×3 columns)', () => {
  const v = Float32Array.from(randn(16, 7).map(Math.abs));
  assertClose([orthogonal({ factor: 0.1, mode: 'rows' }).apply(tensor(v, [4, 4])).item()], [orthoExpected(v, 4, 4, 0.1, 'rows')], RTOL, ATOL, 'rows');
  const w = randn(15, 8);
  assertClose([orthogonal({ factor: 0.3, mode: 'columns' }).apply(tensor(w, [5, 3])).item()], [orthoExpected(w, 5, 3, 0.3, 'columns')], RTOL, ATOL, 'columns');
  // Orthonormal rows give zero penalty; identical rows give `factor`.
  assert.equal(orthogonal(0.1).apply(tensor([[1, 0, 0], [0, 2, 0]])).item(), 0);
  assertClose([orthogonal(0.1).apply(tensor([[1, 1], [1, 1]])).item()], [0.1], RTOL, ATOL, 'parallel rows');
  assert.throws(() => orthogonal().apply(ones([4, 4, 4])), /OrthogonalRegularizer: input must have rank 2, got shape \[4,4,4\]/);
  assert.throws(() => orthogonal({ mode: 'diagonal' as 'rows' }), /mode must be 'rows' or 'columns', got "diagonal"/);
});

test('orthogonal penalty has the gradient of its formula (finite differences)', () => {
  const w0 = randn(12, 9);
  const reg = orthogonal({ factor: 0.5, mode: 'rows' });
  const W = new Variable(tensor(w0, [3, 4]), { name: 'w' });
  const { grads } = valueAndGrad(() => reg.apply(W), [W]);
  const h = 1e-3;
  const fd = Array.from({ length: 12 }, (_, i) => {
    const plus = Float64Array.from(w0); plus[i]! += h;
    const minus = Float64Array.from(w0); minus[i]! -= h;
    return (orthoExpected(Float32Array.from(plus), 3, 4, 0.5, 'rows') - orthoExpected(Float32Array.from(minus), 3, 4, 0.5, 'rows')) / (2 * h);
  });
  assertClose(grads[0]!.data, fd, 2e-2, 2e-3, 'd ortho / dW');
});

test('user functions: any (w) => scalar; unregistered fails at save time naming it', () => {
  const smoothness = (w: Tensor): Tensor => mul(sum(square(w)), 0.5);
  const r = getRegularizer(smoothness)!;
  assert.ok(r instanceof FunctionRegularizer);
  assert.equal(r.apply(tensor([1, 2, 3])).item(), 7);
  assert.throws(() => r.getConfig(), /user function 'smoothness' is not registered; call registerCustomObject/);
  assert.throws(() => getRegularizer((w: Tensor) => w)!.apply(tensor([1, 2])), /must return a scalar Tensor, got a tensor of shape \[2\]/);
  registerCustomObject('halfSquares', smoothness);
  assert.deepEqual(r.getConfig(), { class_name: 'halfSquares', config: {} });
  const back = regularizerFromConfig({ class_name: 'halfSquares', config: {} });
  assert.equal(back.apply(tensor([2])).item(), 2);
  assert.equal(getRegularizer('halfSquares' as 'l1')!.apply(tensor([2])).item(), 2);
  assert.throws(() => regularizerFromConfig({ class_name: 'NoSuch', config: {} }), /unknown class_name 'NoSuch'/);
});

test('docs/semantics.md §1.3 worked example on a real Dense: kernel L1(0.01) + activity L2(0.01) ⇒ Σ losses = 5.25', async () => {
  const { Dense } = await import('../../src/layers/dense.js');
  const { Rng } = await import('../../src/random.js');
  const layer = new Dense({ units: 5, kernelInitializer: 'ones', kernelRegularizer: l1(0.01), activityRegularizer: activityL2(0.01), inputShape: [5] });
  layer.apply(mul(ones([5, 5]), 2), { training: false }, new Rng(0));
  const losses = layer.losses.map((t) => t.item());
  assert.equal(losses.length, 2);
  assertClose(losses, [0.25, 5], RTOL, ATOL, 'kernel and activity penalties');
  assertClose([losses[0]! + losses[1]!], [5.25], RTOL, ATOL, 'Σ losses');
});

test('layer options accept a regularizer object, a name, a function, a config and the Keras-1 W_regularizer', async () => {
  const { Dense } = await import('../../src/layers/dense.js');
  const { Rng } = await import('../../src/random.js');
  const x = ones([2, 3]);
  const penalty = (opts: Record<string, unknown>): number => {
    const d = new Dense({ units: 2, kernelInitializer: 'ones', ...opts } as never);
    d.apply(x, { training: false }, new Rng(0));
    return d.losses.reduce((s, t) => s + t.item(), 0);
  };
  assertClose([penalty({ kernelRegularizer: 'l2' })], [0.06], RTOL, ATOL, "'l2' (default 0.01, 6 ones)");
  assertClose([penalty({ kernelRegularizer: { class_name: 'L1L2', config: { l1: 0.5, l2: 0 } } })], [3], RTOL, ATOL, 'config');
  assertClose([penalty({ W_regularizer: l2(0.01), b_regularizer: l1(1), biasInitializer: 'ones' })], [0.06 + 2], RTOL, ATOL, 'W_/b_regularizer');
  assertClose([penalty({ kernelRegularizer: (w: Tensor) => mul(sum(w), 2) })], [12], RTOL, ATOL, 'user function');
  assert.throws(() => penalty({ kernelRegularizer: 'l3' }), /Dense kernelRegularizer: .*'l3'/);
});
