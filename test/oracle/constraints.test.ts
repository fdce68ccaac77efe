/**
 * Constraints: each projection called directly on random Dense [in,out] and
 * Conv1D [k,in,out] kernels equals TF.js (cpu) with identical weights (TF.js
 * computes the same formula, it just never calls it during fit); docs/semantics.md's
 * worked examples; axis semantics; configs and user functions.
 * Tolerance: rtol 1e-5, atol 1e-6 (float32).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/create.js';
import { mul } from '../../src/ops/arithmetic.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import {
  maxNorm, nonNeg, unitNorm, minMaxNorm, maxnorm, nonneg, unitnorm, getConstraint, constraintFromConfig,
  MaxNorm, NonNeg, UnitNorm, MinMaxNorm, FunctionConstraint, type ConstraintAxis,
} from '../../src/constraints.js';
import type { Constraint } from '../../src/layers/layer.js';
import { registerCustomObject } from '../../src/custom-objects.js';
import { assertClose, randn, tfjs } from './reg-helpers.js';

const RTOL = 1e-5;
const ATOL = 1e-6;

test('each constraint equals TF.js on random Dense [in,out] and Conv1D [k,in,out] kernels', async () => {
  const tf = await tfjs();
  const kernels: { what: string; shape: number[]; axes: ConstraintAxis[] }[] = [
    { what: 'Dense [6,4]', shape: [6, 4], axes: [0, 1] },
    { what: 'Conv1D [3,5,4]', shape: [3, 5, 4], axes: [0, [0, 1], 2] },
  ];
  let checked = 0;
  for (const [i, { what, shape, axes }] of kernels.entries()) {
    const vals = randn(shape.reduce((a, b) => a * b, 1), 40 + i, 1.3);
    for (const axis of axes) {
      // TF.js types `axis` as a number, but its norm is tf.sum(square, axis, keepDims): arrays work.
      const tAxis = axis as number;
      const pairs: [string, Constraint, ReturnType<typeof tf.constraints.nonNeg>][] = [
        ['maxNorm(1.5)', maxNorm({ maxValue: 1.5, axis }), tf.constraints.maxNorm({ maxValue: 1.5, axis: tAxis })],
        ['unitNorm', unitNorm({ axis }), tf.constraints.unitNorm({ axis: tAxis })],
        ['minMaxNorm(0.5,1.2,0.7)', minMaxNorm({ minValue: 0.5, maxValue: 1.2, rate: 0.7, axis }), tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1.2, rate: 0.7, axis: tAxis })],
        ['nonNeg', nonNeg(), tf.constraints.nonNeg()],
      ];
      for (const [name, ours, theirs] of pairs) {
        const a = ours.apply(tensor(vals, shape));
        assert.deepEqual(a.shape, shape);
        assertClose(a.data, theirs.apply(tf.tensor(vals, shape)).dataSync(), RTOL, ATOL, `${name} axis ${JSON.stringify(axis)} on ${what}`);
        checked++;
      }
    }
  }
  assert.equal(checked, 20);
});

test('docs/semantics.md §2 worked examples: column [3,4] → maxNorm 2 [1.2,1.6], unitNorm [0.6,0.8], minMaxNorm(0,1,.5) [1.8,2.4]', () => {
  const w = tensor([[3], [4]]);
  const s = 5 / (5 + 1e-7);
  assertClose(maxNorm(2).apply(w).data, [1.2, 1.6], RTOL, ATOL, 'maxNorm');
  assertClose(unitNorm().apply(w).data, [0.6 * s, 0.8 * s], RTOL, ATOL, 'unitNorm');
  assertClose(minMaxNorm({ minValue: 0, maxValue: 1, rate: 0.5 }).apply(w).data, [1.8, 2.4], RTOL, ATOL, 'minMaxNorm');
  // eps keeps the result a hair below target (visible in float32 for small norms: 5e-4/(5e-4+1e-7) = 0.9998),
  // and a zero column stays zero (no NaN).
  const small = unitNorm().apply(tensor([[3e-4], [4e-4]])).data;
  assertClose([Math.hypot(small[0]!, small[1]!)], [5e-4 / (5e-4 + 1e-7)], RTOL, ATOL, 'eps in unitNorm');
  assert.ok(Math.hypot(small[0]!, small[1]!) < 0.99985);
  assert.deepEqual(Array.from(maxNorm(2).apply(tensor([[0], [0]])).data), [0, 0]);
  assert.deepEqual(Array.from(nonNeg().apply(tensor([-1, 0, 2])).data), [0, 0, 2]);
  // Inside the limit, maxNorm changes nothing but the eps factor.
  assertClose(maxNorm(10).apply(w).data, [3 * s, 4 * s], RTOL, ATOL, 'inside the limit');
});

test('axis semantics: Dense axis 0 = one norm per unit; Conv1D [0,1] = one norm per filter', () => {
  const colNorms = (t: Tensor, rows: number, cols: number): number[] =>
    Array.from({ length: cols }, (_, j) => Math.hypot(...Array.from({ length: rows }, (_, i) => t.data[i * cols + j]!)));
  const dense = maxNorm(1).apply(tensor(randn(5 * 3, 9, 2), [5, 3]));
  for (const n of colNorms(dense, 5, 3)) assertClose([n], [1], 1e-5, 1e-6, 'dense unit norm');
  // Conv1D [k=3, in=2, out=4]: [0,1] gives 4 norms (one per filter), each ≤ 1.
  const k = tensor(randn(24, 10, 2), [3, 2, 4]);
  const perFilter = maxNorm({ maxValue: 1, axis: [0, 1] }).apply(k);
  for (const n of colNorms(perFilter, 6, 4)) assertClose([n], [1], 1e-5, 1e-6, 'filter norm');
  // axis 0 alone: each (in, out) pair of 3 taps has norm ≤ 1, but a whole filter may exceed it.
  const perPair = maxNorm({ maxValue: 1, axis: 0 }).apply(k);
  const filterNorms = colNorms(perPair, 6, 4);
  assert.ok(filterNorms.some((n) => n > 1.01), `axis 0 leaves filter norms above 1: ${filterNorms}`);
  assert.throws(() => maxNorm({ axis: 2 }).apply(tensor([[1, 2]])), /maxNorm: axis 2 is out of range for rank 2/);
  // Negative axes count from the end.
  assertClose(unitNorm(-1).apply(tensor([[3, 4]])).data, unitNorm(1).apply(tensor([[3, 4]])).data, 0, 0, 'axis -1');
});

test('factories: number or object, Keras-1 aliases, validation naming the value', () => {
  assert.ok(maxnorm(3) instanceof MaxNorm && maxnorm(3).maxValue === 3);
  assert.equal(maxNorm({ m: 4 }).maxValue, 4); // Keras 1: maxnorm(m=4)
  assert.equal(maxNorm().maxValue, 2);
  assert.equal(maxNorm().axis, 0);
  assert.ok(nonneg() instanceof NonNeg);
  assert.ok(unitnorm() instanceof UnitNorm);
  assert.deepEqual(unitNorm([0, 1]).axis, [0, 1]);
  const m = minMaxNorm(0.5, 2, 0.3, 1);
  assert.deepEqual([m.minValue, m.maxValue, m.rate, m.axis], [0.5, 2, 0.3, 1]);
  const d = minMaxNorm();
  assert.deepEqual([d.minValue, d.maxValue, d.rate, d.axis], [0, 1, 1, 0]);
  assert.throws(() => maxNorm(-1), /maxNorm: maxValue must be a finite number >= 0, got -1/);
  assert.throws(() => maxNorm(NaN), /got NaN/);
  assert.throws(() => minMaxNorm({ minValue: 3, maxValue: 1 }), /minValue 3 must not exceed maxValue 1/);
  assert.throws(() => minMaxNorm({ rate: 1.5 }), /rate must be a finite number in \[0, 1\], got 1.5/);
  assert.throws(() => maxNorm({ axis: 0.5 }), /axis must be an integer or a non-empty array of integers, got 0.5/);
  assert.throws(() => maxNorm({ max: 3 } as never), /unknown option 'max'/);
  for (const [name, cls] of [['maxnorm', MaxNorm], ['max_norm', MaxNorm], ['nonNeg', NonNeg], ['unit_norm', UnitNorm], ['MinMaxNorm', MinMaxNorm]] as const) {
    assert.ok(getConstraint(name) instanceof cls, name);
  }
  assert.throws(() => getConstraint('maxNrom' as 'maxNorm'), /unknown name 'maxNrom'/);
});

test('configs: snake_case keys (model.json form) and back; TF.js camelCase accepted', () => {
  assert.deepEqual(maxNorm({ maxValue: 3, axis: [0, 1] }).getConfig(), { class_name: 'MaxNorm', config: { max_value: 3, axis: [0, 1] } });
  assert.deepEqual(nonNeg().getConfig(), { class_name: 'NonNeg', config: {} });
  assert.deepEqual(unitNorm(1).getConfig(), { class_name: 'UnitNorm', config: { axis: 1 } });
  assert.deepEqual(minMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5 }).getConfig(), {
    class_name: 'MinMaxNorm',
    config: { min_value: 0.1, max_value: 2, rate: 0.5, axis: 0 },
  });
  for (const c of [maxNorm({ maxValue: 3, axis: [0, 1] }), nonNeg(), unitNorm(1), minMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5 })]) {
    assert.deepEqual(constraintFromConfig(c.getConfig()).getConfig(), c.getConfig());
  }
  const camel = constraintFromConfig({ class_name: 'MaxNorm', config: { maxValue: 5, axis: 1 } }) as MaxNorm;
  assert.deepEqual([camel.maxValue, camel.axis], [5, 1]);
});

test('user constraints: any same-shape function; unregistered fails at save time naming it', () => {
  const clampTo1 = (w: Tensor): Tensor => mul(w, 0.5);
  const c = getConstraint(clampTo1)!;
  assert.ok(c instanceof FunctionConstraint);
  assert.deepEqual(Array.from(c.apply(tensor([2, 4])).data), [1, 2]);
  assert.throws(() => c.getConfig(), /constraint: user function 'clampTo1' is not registered/);
  assert.throws(() => getConstraint((_w: Tensor) => tensor([1]))!.apply(tensor([1, 2])), /must return a Tensor of the weight's shape \[2\], got shape \[1\]/);
  registerCustomObject('halve', clampTo1);
  assert.deepEqual(c.getConfig(), { class_name: 'halve', config: {} });
  assert.deepEqual(Array.from(constraintFromConfig({ class_name: 'halve', config: {} }).apply(tensor([8])).data), [4]);
});
