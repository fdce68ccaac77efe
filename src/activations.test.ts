import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATIONS, getActivation, type ActivationName } from './activations.js';
import { tensor } from './tensor/create.js';
import { assertClose } from '../test/helpers/assert-close.js';

const X = [-2, -0.5, 0, 0.5, 3];
const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse; integrate the series instead (|x| ≤ 3 here).
  let sum = 0;
  let term = x;
  for (let n = 0; n < 80; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const SELU_A = 1.6732632423543772;
const SELU_S = 1.0507009873554805;

const EXPECTED: Record<Exclude<ActivationName, 'softmax' | 'log_softmax'>, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  leaky_relu: (x) => (x > 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_S * (x > 0 ? x : SELU_A * (Math.exp(x) - 1)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  sigmoid: sig,
  hard_sigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  tanh: Math.tanh,
  softplus: (x) => Math.log1p(Math.exp(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sig(x),
  silu: (x) => x * sig(x),
  exponential: Math.exp,
};

test('every elementwise activation matches its Keras 3 formula', () => {
  for (const [name, f] of Object.entries(EXPECTED)) {
    const y = getActivation(name).apply(tensor(X));
    assertClose(y.data, X.map(f), { rtol: 1e-5, atol: 1e-6, label: name });
  }
});

test('softmax and log_softmax act on the last axis', () => {
  const x = tensor([[1, 2, 3], [0, 0, 0]]);
  const e = [1, 2, 3].map(Math.exp);
  const z = e[0]! + e[1]! + e[2]!;
  assertClose(getActivation('softmax').apply(x).data, [...e.map((v) => v / z), 1 / 3, 1 / 3, 1 / 3], { rtol: 1e-6 });
  assertClose(getActivation('logSoftmax').apply(x).data, [...[1, 2, 3].map((v) => v - Math.log(z)), ...[0, 0, 0].map(() => -Math.log(3))], { rtol: 1e-6 });
});

test('names: snake_case and camelCase both resolve; null is linear; fused set', () => {
  assert.equal(getActivation('leakyRelu').name, 'leaky_relu');
  assert.equal(getActivation('hardSigmoid').name, 'hard_sigmoid');
  assert.equal(getActivation('log_softmax').name, 'log_softmax');
  assert.equal(getActivation('logSoftmax').name, 'log_softmax');
  assert.equal(getActivation(null).name, 'linear');
  assert.equal(getActivation(undefined).name, 'linear');
  assert.equal(getActivation('silu').name, 'silu');
  for (const n of ['linear', 'relu', 'sigmoid', 'tanh']) assert.equal(getActivation(n).fused, n);
  for (const n of ['relu6', 'gelu', 'softmax', 'swish']) assert.equal(getActivation(n).fused, undefined);
  assert.equal(Object.keys(ACTIVATIONS).length, 17);
});

test('unknown activation: error lists the known names', () => {
  assert.throws(() => getActivation('rleu'), /activation: unknown activation 'rleu'; known: linear, relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh, softplus, softsign, swish, silu, softmax, log_softmax, exponential/);
  assert.throws(() => getActivation(3 as never), /activation: expected a name, got number/);
});
