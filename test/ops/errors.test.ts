/**
 * Bad input gets a clear error naming the op, the rule and what was received
 * (both shapes for shape mismatches); NaN inputs propagate as IEEE says and
 * never throw, forward or backward.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as o from '../../src/ops/index.js';
import { tensor, zeros } from '../../src/tensor/create.js';
import { grad, valueAndGrad } from '../../src/autograd/grad.js';
import { Rng } from '../../src/random.js';

test('shape errors name the op and both shapes', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => o.matmul(zeros([2, 3]), zeros([4, 5])), /^matmul: cannot multiply \[2,3\] by \[4,5\]$/],
    [() => o.matmul(zeros([2, 3]), zeros([2, 5]), true, true), /^matmul: cannot multiply \[2,3\]ᵀ by \[2,5\]ᵀ$/],
    [() => o.matmul(zeros([2, 2, 3]), zeros([3, 3, 5])), /^matmul: cannot multiply \[2,2,3\] by \[3,3,5\]$/],
    [() => o.matmul(zeros([3]), zeros([3, 5])), /^matmul: cannot multiply \[3\] by \[3,5\]$/],
    [() => o.add(zeros([2, 3]), zeros([4])), /^add: cannot broadcast shapes \[2,3\] and \[4\]$/],
    [() => o.sub(zeros([2, 3]), zeros([3, 2])), /^sub: cannot broadcast shapes \[2,3\] and \[3,2\]$/],
    [() => o.mul(zeros([5, 1, 3]), zeros([2, 2])), /^mul: cannot broadcast shapes \[5,1,3\] and \[2,2\]$/],
    [() => o.div(zeros([2]), zeros([3])), /^div: cannot broadcast shapes \[2\] and \[3\]$/],
    [() => o.maximum(zeros([2]), zeros([3])), /^maximum: cannot broadcast shapes \[2\] and \[3\]$/],
    [() => o.minimum(zeros([2]), zeros([3])), /^minimum: cannot broadcast shapes \[2\] and \[3\]$/],
    [() => o.greater(zeros([2]), zeros([3])), /^greater: cannot broadcast shapes \[2\] and \[3\]$/],
    [() => o.where(zeros([2, 3]), zeros([4]), 0), /^where: cannot broadcast shapes \[2,3\] and \[4\]$/],
    [() => o.broadcastTo(zeros([2, 3]), [4, 3]), /^broadcastTo: cannot broadcast shapes \[2,3\] and \[4,3\]$/],
    [() => o.broadcastTo(zeros([2, 3]), [3]), /^broadcastTo: cannot broadcast \[2,3\] to \[3\]$/],
    [() => o.conv1d(zeros([32, 100, 4]), zeros([3, 8, 16])), /^conv1d: kernel \[3,8,16\] expects 8 input channels, got input \[32,100,4\]$/],
    [() => o.conv1d(zeros([5, 2]), zeros([3, 2, 4])), /^conv1d: input must be \[batch, steps, channels\], got \[5,2\]$/],
    [() => o.conv1d(zeros([1, 5, 2]), zeros([3, 2])), /^conv1d: kernel must be \[k, in, out\], got \[3,2\]$/],
    [() => o.conv1d(zeros([1, 2, 2]), zeros([3, 2, 4])), /conv1d: input length 2 is shorter than the \(dilated\) window 3/],
    [() => o.conv1d(zeros([1, 9, 2]), zeros([3, 2, 4]), { strides: 2, dilationRate: 2 }), /conv1d: strides 2 > 1 cannot be combined with dilationRate 2 > 1/],
    [() => o.conv1d(zeros([1, 9, 2]), zeros([3, 2, 4]), { strides: 0 }), /conv1d: strides must be a positive integer, got 0/],
    [() => o.conv1d(zeros([1, 9, 2]), zeros([3, 2, 4]), { padding: 'full' as never }), /conv1d: unknown padding 'full'/],
    [() => o.maxPool1d(zeros([1, 5, 2]), 2, 2, 'causal' as never), /maxPool1d: padding must be 'valid' or 'same', got 'causal'/],
    [() => o.avgPool1d(zeros([5, 2]), 2), /avgPool1d: input must be \[batch, steps, channels\], got \[5,2\]/],
    [() => o.maxPool1d(zeros([1, 5, 2]), 0), /maxPool1d: poolSize must be a positive integer, got 0/],
    [() => o.reshape(zeros([2, 3]), [4]), /^reshape: cannot reshape \[2,3\] \(size 6\) to \[4\] \(size 4\)$/],
    [() => o.reshape(zeros([2, 3]), [4, -1]), /^reshape: cannot reshape \[2,3\] \(size 6\) to \[4,-1\]$/],
    [() => o.reshape(zeros([2, 3]), [-1, -1]), /^reshape: at most one -1 allowed, got \[-1,-1\]$/],
    [() => o.dense(zeros([2, 3]), zeros([4, 5]), null), /^dense: cannot multiply input \[2,3\] by kernel \[4,5\]$/],
    [() => o.dense(zeros([2, 3]), zeros([3, 5]), zeros([4])), /^dense: bias \[4\] does not match 5 units$/],
    [() => o.softmaxCrossEntropy(zeros([2, 3]), zeros([2, 4])), /softmaxCrossEntropy: logits \[2,3\] and labels \[2,4\] must have the same shape/],
    [() => o.concat([zeros([2, 3]), zeros([3, 4])], 0), /^concat: shapes \[2,3\], \[3,4\] differ outside axis 0$/],
    [() => o.concat([]), /concat: needs at least one tensor/],
    [() => o.slice(zeros([2, 3]), [1, 2], [2, 1]), /^slice: begin \[1,2\] size \[2,1\] is out of bounds for shape \[2,3\]$/],
    [() => o.slice(zeros([2, 3]), [1]), /slice: begin \[1\] has 1 entries for a rank-2 tensor/],
    [() => o.transpose(zeros([2, 3]), [0, 0]), /transpose: perm \[0,0\] is not a permutation of 2 axes/],
    [() => o.squeeze(zeros([2, 3]), [0]), /squeeze: axis 0 of shape \[2,3\] has size 2, not 1/],
    [() => o.expandDims(zeros([2, 3]), 4), /expandDims: axis 4 is out of range for rank 3/],
    [() => o.sum(zeros([2, 3]), 2), /sum: axis 2 is out of range for rank 2/],
    [() => o.mean(zeros([2, 3]), [1, -1]), /mean: repeated axis in \[1,-1\]/],
    [() => o.max(zeros([2, 0]), 1), /max: cannot reduce an empty axis of shape \[2,0\]/],
    [() => o.argMax(zeros([2, 0]), 1), /argMax: axis 1 of shape \[2,0\] is empty/],
    [() => o.softmax(tensor(1)), /softmax: needs a tensor of rank ≥ 1, got a scalar/],
    [() => o.gather(zeros([2, 3]), tensor([2], [1], 'int32')), /gather: index 2 is out of range \[0, 2\) for axis 0 of shape \[2,3\]/],
    [() => o.gather(zeros([2, 3]), tensor([1])), /gather: indices must be int32, got float32/],
    [() => o.oneHot(tensor([1.5]), 3), /oneHot: indices must be int32, got float32/],
    [() => o.oneHot(tensor([1], [1], 'int32'), 0), /oneHot: depth must be a positive integer, got 0/],
    [() => o.oneHot(tensor([1], [1], 'int32'), 2.5), /oneHot: depth must be a positive integer, got 2.5/],
    [() => o.clip(zeros([2]), 1, 0), /clip: lower bound 1 must not exceed upper bound 0/],
    [() => o.pow(zeros([2]), zeros([1]) as never), /pow: exponent must be a number, got object/],
    [() => o.add([1, 2] as never, 1), /add: expected a Tensor or a number, got an array \(wrap it with tensor\(\)\)/],
    [() => tensor([[1, 2], [3]]), /tensor: ragged nested array: expected length 2 at depth 1/],
    [() => tensor([1, 2, 3], [2, 2]), /tensor: shape \[2,2\] needs 4 values, got 3/],
    [() => o.dropoutMask([2], 1.5, new Rng(0)), /dropoutMask: rate must be in \[0, 1\], got 1.5/],
    [() => o.uniformNoise([2], 1, 0, new Rng(0)), /uniformNoise: lo 1 must not exceed hi 0/],
    [() => new Rng(1.5), /Rng: seed must be an integer, got 1.5/],
    [() => new Rng(0).int(0), /Rng.int: n must be an integer in \[1, 2\^32\], got 0/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e: unknown) => {
      assert.ok(e instanceof Error, `not an Error: ${String(e)}`);
      assert.match(e.message, re);
      return true;
    });
  }
});

test('autograd errors: non-scalar loss, nested tapes', () => {
  const x = tensor([1, 2]);
  assert.throws(() => grad(() => o.mul(x, 2), [x]), /valueAndGrad: the function must return a float32 scalar, got \[2\]/);
  assert.throws(() => grad(() => o.sum(grad(() => o.sum(x), [x])[0]!), [x]), /valueAndGrad: nested gradient tapes are not supported/);
  // the failed inner call must not leave a tape running
  assert.deepEqual(Array.from(grad(() => o.sum(o.mul(x, x)), [x])[0]!.data), [2, 4]);
  // a variable that does not influence the value gets a zero gradient
  const unused = tensor([5]);
  assert.deepEqual(Array.from(grad(() => o.sum(x), [x, unused])[1]!.data), [0]);
});

const nanAt = (n: number, i: number): number[] => Array.from({ length: n }, (_, j) => (j === i ? NaN : j + 1));
const isNaNs = (d: ArrayLike<number>): boolean[] => Array.from(d, Number.isNaN);

test('NaN propagates through elementwise ops (IEEE), without throwing', () => {
  const x = tensor(nanAt(3, 1));
  for (const [name, y] of [
    ['add', o.add(x, 1)],
    ['mul', o.mul(x, 2)],
    ['mul by 0', o.mul(x, 0)],
    ['div', o.div(x, 2)],
    ['exp', o.exp(x)],
    ['log', o.log(x)],
    ['relu', o.relu(x)],
    ['relu6', o.relu6(x)],
    ['sigmoid', o.sigmoid(x)],
    ['tanh', o.tanh(x)],
    ['abs', o.abs(x)],
    ['sign', o.sign(x)],
    ['maximum', o.maximum(x, 0)],
    ['minimum', o.minimum(x, 0)],
    ['clip', o.clip(x, 0, 1)],
    ['hardSigmoid', o.hardSigmoid(x)],
    ['leakyRelu', o.leakyRelu(x)],
    ['gelu', o.gelu(x)],
  ] as const) {
    assert.deepEqual(isNaNs(y.data), [false, true, false], name);
  }
  // IEEE in the other operand too
  assert.ok(Number.isNaN(o.maximum(0, tensor([NaN])).data[0]!));
  assert.ok(Number.isNaN(o.add(tensor([1]), NaN).data[0]!));
});

test('NaN propagates through reductions, softmax and matmul to exactly the dependent outputs', () => {
  const m = tensor(nanAt(6, 4), [2, 3]); // NaN at row 1, column 1
  assert.deepEqual(isNaNs(o.sum(m, 1).data), [false, true]);
  assert.deepEqual(isNaNs(o.sum(m, 0).data), [false, true, false]);
  assert.ok(Number.isNaN(o.sum(m).item()));
  assert.deepEqual(isNaNs(o.max(m, 1).data), [false, true]);
  assert.deepEqual(isNaNs(o.min(m, 0).data), [false, true, false]);
  assert.deepEqual(isNaNs(o.mean(m, 1).data), [false, true]);
  assert.deepEqual(isNaNs(o.softmax(m).data), [false, false, false, true, true, true]);
  assert.deepEqual(isNaNs(o.logSoftmax(m).data), [false, false, false, true, true, true]);
  // [2,3]·[3,2]: only row 1 of the product depends on the NaN
  const p = o.matmul(m, tensor([1, 2, 3, 4, 5, 6], [3, 2]));
  assert.deepEqual(isNaNs(p.data), [false, false, true, true]);
  assert.deepEqual(isNaNs(o.dense(m, tensor([1, 2, 3], [3, 1]), tensor([0]), 'relu').data), [false, true]);
  // pooling and convolution windows that contain the NaN
  const s = tensor([1, 2, NaN, 4], [1, 4, 1]);
  assert.deepEqual(isNaNs(o.maxPool1d(s, 2).data), [false, true]);
  assert.deepEqual(isNaNs(o.avgPool1d(s, 2).data), [false, true]);
  assert.deepEqual(isNaNs(o.conv1d(s, tensor([1, 1], [2, 1, 1])).data), [false, true, true]);
  // argMax: NaN wins (as numpy)
  assert.deepEqual(Array.from(o.argMax(m).data), [2, 1]);
});

test('NaN in the forward pass gives NaN gradients where IEEE says so, and never throws', () => {
  const x = tensor([1, NaN, 3]);
  const w = tensor([0.5, 0.5, 0.5]);
  const { value, grads } = valueAndGrad(() => o.sum(o.mul(o.exp(x), w)), [x, w]);
  assert.ok(Number.isNaN(value.item()));
  assert.deepEqual(isNaNs(grads[0]!.data), [false, true, false]);
  assert.deepEqual(isNaNs(grads[1]!.data), [false, true, false]);
  const logits = tensor([[0, NaN, 1], [1, 2, 3]]);
  const g = grad(() => o.sum(o.softmaxCrossEntropy(logits, tensor([[1, 0, 0], [0, 0, 1]]))), [logits])[0]!;
  assert.deepEqual(isNaNs(g.data), [true, true, true, false, false, false]);
});
