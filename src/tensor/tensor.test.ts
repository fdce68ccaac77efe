/**
 * Tensor creation, views, value access and int32 labels.
 * Moment bounds: with n samples, a sample mean is within 5·σ/√n of the true
 * mean and a sample standard deviation within 5·σ/√(2n) (5-sigma bounds on a
 * fixed seed: deterministic, and far from flaky if the generator changes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fill, ones, randomNormal, randomUniform, scalar, tensor, truncatedNormal, zeros, zerosLike, onesLike } from './create.js';
import { Tensor } from './tensor.js';
import { Variable } from './variable.js';
import * as o from '../ops/index.js';
import { Rng } from '../random.js';
import { assertBitIdentical } from '../../test/helpers/assert-close.js';

function moments(d: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < d.length; i++) {
    s += d[i]!;
    mn = Math.min(mn, d[i]!);
    mx = Math.max(mx, d[i]!);
  }
  const mean = s / d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += (d[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / d.length), min: mn, max: mx };
}

test('tensor(): nested arrays, flat array + shape, typed arrays, scalars', () => {
  const a = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(a.shape, [2, 3]);
  assert.equal(a.dtype, 'float32');
  assert.ok(a.data instanceof Float32Array);
  assert.deepEqual(Array.from(a.data), [1, 2, 3, 4, 5, 6]);
  const b = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
  assert.deepEqual(b.toArray(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const c = tensor(new Float32Array([0.5, -1]));
  assert.deepEqual(c.shape, [2]);
  const s = scalar(2.5);
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), 2.5);
  assert.equal(tensor(3).toArray(), 3);
  const empty = tensor([], [0, 3]);
  assert.equal(empty.size, 0);
  assert.deepEqual(empty.toArray(), []);
  // values are copied: changing the source does not change the tensor
  const src = [1, 2];
  const t = tensor(src);
  src[0] = 9;
  assert.equal(t.data[0], 1);
});

test('zeros / ones / fill / zerosLike / onesLike: shapes and values', () => {
  assert.deepEqual(Array.from(zeros([2, 2]).data), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(ones([3]).data), [1, 1, 1]);
  const f = fill([2, 1, 2], -3.5);
  assert.deepEqual(f.shape, [2, 1, 2]);
  assert.deepEqual(Array.from(f.data), [-3.5, -3.5, -3.5, -3.5]);
  assert.deepEqual(zeros([]).shape, []);
  assert.equal(zeros([]).size, 1);
  assert.equal(zeros([4, 0]).size, 0);
  const l = zerosLike(f);
  assert.deepEqual(l.shape, [2, 1, 2]);
  assert.deepEqual(Array.from(onesLike(f).data), [1, 1, 1, 1]);
  assert.throws(() => zeros([2, -1]), /zeros: invalid shape \[2,-1\]/);
  assert.throws(() => ones([1.5]), /ones: invalid shape \[1.5\]/);
  assert.throws(() => fill([NaN], 1), /fill: invalid shape/);
});

test('randomNormal: shape, mean and std within 5-sigma bounds (n = 20000), seeded', () => {
  const n = 20000;
  const t = randomNormal([100, 200], { mean: 1, stddev: 2, seed: 3 });
  assert.deepEqual(t.shape, [100, 200]);
  assert.equal(t.dtype, 'float32');
  const m = moments(t.data);
  assert.ok(Math.abs(m.mean - 1) < (5 * 2) / Math.sqrt(n), `mean ${m.mean}`);
  assert.ok(Math.abs(m.std - 2) < (5 * 2) / Math.sqrt(2 * n), `std ${m.std}`);
  // fraction within one sigma ≈ 0.6827 (binomial sd ≈ 0.0033)
  let inside = 0;
  for (const v of t.data) if (Math.abs(v - 1) < 2) inside++;
  assert.ok(Math.abs(inside / n - 0.6827) < 0.017, `P(|z|<1) = ${inside / n}`);
  assertBitIdentical(t.data as Float32Array, randomNormal([100, 200], { mean: 1, stddev: 2, seed: 3 }).data as Float32Array, 'same seed');
  assert.notDeepEqual(Array.from(randomNormal([8], { seed: 4 }).data), Array.from(randomNormal([8], { seed: 3 }).data));
  // an odd size uses half a block at the end and is the prefix of the even one
  assert.deepEqual(Array.from(randomNormal([5], { seed: 9 }).data), Array.from(randomNormal([6], { seed: 9 }).data).slice(0, 5));
});

test('randomUniform: bounds [minval, maxval), mean and std within 5-sigma bounds', () => {
  const n = 20000;
  const t = randomUniform([n], { minval: -3, maxval: 5, seed: 11 });
  const m = moments(t.data);
  assert.ok(m.min >= -3 && m.max < 5, `range [${m.min}, ${m.max}]`);
  const sd = 8 / Math.sqrt(12);
  assert.ok(Math.abs(m.mean - 1) < (5 * sd) / Math.sqrt(n), `mean ${m.mean}`);
  assert.ok(Math.abs(m.std - sd) < (5 * sd) / Math.sqrt(2 * n), `std ${m.std}`);
  const d = randomUniform([1000], { seed: 1 });
  const md = moments(d.data);
  assert.ok(md.min >= 0 && md.max < 1);
});

test('truncatedNormal: every value within mean ± 2·stddev, std ≈ 0.8796·stddev', () => {
  const n = 20000;
  const t = truncatedNormal([n], { mean: -1, stddev: 0.5, seed: 5 });
  const m = moments(t.data);
  assert.ok(m.min >= -2 && m.max <= 0, `range [${m.min}, ${m.max}]`);
  // the truncated normal has sd 0.8796·σ; it is also closer to its bounds than a plain normal would be
  assert.ok(Math.abs(m.mean + 1) < (5 * 0.5) / Math.sqrt(n), `mean ${m.mean}`);
  assert.ok(Math.abs(m.std - 0.8796 * 0.5) < (5 * 0.5) / Math.sqrt(2 * n), `std ${m.std}`);
  assert.ok(m.min < -1.95 && m.max > -0.05, 'tails reach close to the truncation points');
});

test('random creators accept an Rng whose stream advances', () => {
  const rng = new Rng(8);
  const a = randomUniform([4], { seed: rng });
  const b = randomUniform([4], { seed: rng });
  assert.notDeepEqual(Array.from(a.data), Array.from(b.data));
  const again = new Rng(8);
  assert.deepEqual(Array.from(randomUniform([4], { seed: again }).data), Array.from(a.data));
  assert.deepEqual(Array.from(randomUniform([4], { seed: again }).data), Array.from(b.data));
});

test('reshape is a view: same buffer, no copy; -1 is inferred; expandDims/squeeze too', () => {
  const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const r = o.reshape(t, [3, -1]);
  assert.deepEqual(r.shape, [3, 2]);
  assert.equal(r.data, t.data);
  assert.equal(o.reshape(t, [6]).data.buffer, t.data.buffer);
  assert.equal(o.expandDims(t, 1).data, t.data);
  assert.deepEqual(o.expandDims(t, 1).shape, [2, 1, 3]);
  assert.equal(o.squeeze(o.expandDims(t, 0)).data, t.data);
  assert.throws(() => o.reshape(t, [4]), /reshape: cannot reshape \[2,3\] \(size 6\) to \[4\] \(size 4\)/);
});

test('toArray / dataSync / item', () => {
  const t = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
  assert.deepEqual(t.toArray(), [
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]);
  const d = t.dataSync();
  assert.ok(d instanceof Float32Array);
  assert.deepEqual(Array.from(d), [1, 2, 3, 4, 5, 6, 7, 8]);
  d[0] = 100; // a copy: the tensor is unchanged
  assert.equal(t.data[0], 1);
  assert.equal(tensor([[7]]).item(), 7);
  assert.throws(() => t.item(), /item: tensor of shape \[2,2,2\] has 8 values, expected 1/);
  assert.equal(t.rank, 3);
  assert.equal(t.size, 8);
  assert.equal(String(t), 'Tensor(float32, [2,2,2])');
  assert.ok(Object.isFrozen(t.shape));
});

test('float32 rounding: values are stored as float32', () => {
  assert.equal(tensor([0.1]).data[0], Math.fround(0.1));
});

test('int32 labels: creation, oneHot, gather, casts, layout ops keep the dtype, float ops refuse them', () => {
  const y = tensor([2, 0, 1, 2], [4], 'int32');
  assert.equal(y.dtype, 'int32');
  assert.ok(y.data instanceof Int32Array);
  assert.ok(y.dataSync() instanceof Int32Array);
  assert.deepEqual(o.oneHot(y, 3).toArray(), [
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  assert.deepEqual(o.oneHot(tensor([[1], [0]], undefined, 'int32'), 2, 5, -1).toArray(), [[[-1, 5]], [[5, -1]]]);
  const table = tensor([
    [10, 11],
    [20, 21],
    [30, 31],
  ]);
  assert.deepEqual(o.gather(table, y).toArray(), [
    [30, 31],
    [10, 11],
    [20, 21],
    [30, 31],
  ]);
  const f = o.toFloat(y);
  assert.equal(f.dtype, 'float32');
  assert.deepEqual(Array.from(f.data), [2, 0, 1, 2]);
  assert.deepEqual(Array.from(o.toInt(tensor([1.9, -1.9, 0.4])).data), [1, -1, 0]);
  const m = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
  assert.equal(o.transpose(m).dtype, 'int32');
  assert.deepEqual(o.transpose(m).toArray(), [
    [1, 4],
    [2, 5],
    [3, 6],
  ]);
  assert.deepEqual(o.slice(m, [0, 1], [2, 1]).toArray(), [[2], [5]]);
  assert.equal(o.concat([m, m], 0).dtype, 'int32');
  assert.equal(o.reshape(m, [6]).dtype, 'int32');
  assert.equal(o.argMax(tensor([[1, 5, 2]])).dtype, 'int32');
  assert.deepEqual(Array.from(o.argMax(tensor([[1, 5, 2], [7, 0, 7]])).data), [1, 0]);
  assert.deepEqual(Array.from(o.argMin(tensor([[1, 5, 0], [7, 0, 0]])).data), [2, 1]);
  assert.throws(() => o.add(y, 1), /add: expected a float32 tensor, got int32 \(cast labels with toFloat\(\)\)/);
  assert.throws(() => tensor([1.5], [1], 'int32'), /tensor: int32 values must be integers in the int32 range, got 1.5 at index 0/);
  assert.throws(() => o.concat([m, o.toFloat(m)]), /concat: all tensors must share one dtype, got int32, float32/);
  assert.throws(() => new Tensor([2], 'int32', new Float32Array(2)), /Tensor: dtype int32 does not match buffer Float32Array/);
});

test('Variable: a persistent copy; assign and assignValues check shapes', () => {
  const init = tensor([1, 2, 3]);
  const v = new Variable(init, { name: 'w' });
  assert.notEqual(v.data, init.data);
  v.assign(tensor([4, 5, 6]));
  assert.deepEqual(Array.from(v.data), [4, 5, 6]);
  assert.deepEqual(Array.from(init.data), [1, 2, 3]);
  const snap = v.read();
  v.assignValues([7, 8, 9]);
  assert.deepEqual(Array.from(snap.data), [4, 5, 6]);
  assert.throws(() => v.assign(tensor([1, 2])), /Variable 'w': cannot assign shape \[2\] to shape \[3\]/);
  assert.throws(() => v.assignValues([1]), /Variable 'w': expected 3 values for shape \[3\], got 1/);
  assert.throws(() => new Variable(tensor([1], [1], 'int32'), { name: 'i' }), /only float32 variables/);
  assert.equal(v.trainable, true);
});
