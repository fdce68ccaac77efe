/**
 * The workload models as hand-written jax-js functions: parameters,
 * forward passes, losses and one jit-compiled training step (value and
 * gradient, Adam, constraints) per workload. Same architecture, loss,
 * initialisation family (Glorot-uniform kernels, zero biases), optimizer and
 * batch as the other implementations (`bench/workloads.ts`).
 *
 * jax-js arrays are reference counted and every function consumes its array
 * arguments: a value used twice is passed once as `x.ref`.
 */
import type * as Jax from '@jax-js/jax';
import { HYPER, type ModelWorkload } from '../workloads.js';

/** The `@jax-js/jax` module. */
export type JaxModule = typeof Jax;
/** A jax-js array. */
export type Arr = Jax.Array;
/** Named parameters (a jax-js pytree). */
export type Params = Record<string, Arr>;

/** One training step: consumes params, Adam moments, batch, key and step size; returns the new state and the loss. */
export type TrainStep = (p: Params, m: Params, v: Params, x: Arr, y: Arr, key: Arr, lr: Arr) => [Params, Params, Params, Arr];

function glorot(jax: JaxModule, seed: number, shape: number[], fanIn: number, fanOut: number): Arr {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return jax.random.uniform(jax.random.key(seed), shape, { minval: -lim, maxval: lim });
}

/** Initial parameters of a workload's model (W4 uses W1's). Conv kernels are `[out, in, width]` (W5: `[out, in, kh, kw]`). */
export function initParams(jax: JaxModule, w: ModelWorkload): Params {
  const np = jax.numpy;
  const dense = (seed: number, i: number, o: number): [Arr, Arr] => [glorot(jax, seed, [i, o], i, o), np.zeros([o])];
  if (w === 'W1' || w === 'W4') {
    const [w1, b1] = dense(1, 784, 512);
    const [w2, b2] = dense(2, 512, 512);
    const [w3, b3] = dense(3, 512, 10);
    return { w1, b1, w2, b2, w3, b3 };
  }
  if (w === 'W2') {
    const [w1, b1] = dense(1, 30, 64);
    const [w2, b2] = dense(2, 64, 64);
    const [w3, b3] = dense(3, 64, 1);
    return { w1, b1, w2, b2, w3, b3 };
  }
  if (w === 'W5') {
    const [w3, b3] = dense(3, 1600, 10);
    return {
      k1: glorot(jax, 1, [32, 1, 3, 3], 9, 32 * 9), c1: np.zeros([32]),
      k2: glorot(jax, 2, [64, 32, 3, 3], 32 * 9, 64 * 9), c2: np.zeros([64]),
      w3, b3,
    };
  }
  const [w3, b3] = dense(3, 64, 10);
  return {
    k1: glorot(jax, 1, [64, 8, 3], 8 * 3, 64 * 3), c1: np.zeros([64]),
    k2: glorot(jax, 2, [64, 64, 3], 64 * 3, 64 * 3), c2: np.zeros([64]),
    w3, b3,
  };
}

function dropout(jax: JaxModule, h: Arr, key: Arr, rate: number): Arr {
  const keep = jax.random.bernoulli(key, 1 - rate, h.shape).astype(jax.numpy.float32);
  return h.mul(keep).mul(1 / (1 - rate));
}

function dense(jax: JaxModule, x: Arr, w: Arr, b: Arr): Arr {
  return jax.numpy.matmul(x, w).add(b);
}

/** W1's forward pass to logits; dropout only when `key` is given. */
export function mlpLogits(jax: JaxModule, p: Params, x: Arr, key: Arr | null): Arr {
  const { nn, random } = jax;
  const keys = key === null ? null : random.split(key, 2);
  let h = nn.relu(dense(jax, x, p['w1']!, p['b1']!));
  if (keys !== null) h = dropout(jax, h, keys.ref.slice(0), HYPER.w1Dropout);
  h = nn.relu(dense(jax, h, p['w2']!, p['b2']!));
  if (keys !== null) h = dropout(jax, h, keys.slice(1), HYPER.w1Dropout);
  return dense(jax, h, p['w3']!, p['b3']!);
}

/**
 * W5's forward pass to logits; dropout only when `key` is given. x is
 * [batch, 1, 28, 28] (channels-first); the 2×2 max pools are reshapes + max
 * (11 → 10 rows/columns first, as 'valid' pooling drops the last). The
 * flatten is channels-first, (c, h, w): Keras's (h, w, c) up to a fixed
 * permutation of w3's rows (`bench/peers/check-w5.ts` checks the two networks
 * agree on the same weights).
 */
export function cnnLogits(jax: JaxModule, p: Params, x: Arr, key: Arr | null): Arr {
  const { nn, lax } = jax;
  const b = x.shape[0]!;
  const conv = (h: Arr, k: Arr, c: Arr, ch: number): Arr => nn.relu(lax.convGeneralDilated(h, k, [1, 1], 'VALID').add(c.reshape([1, ch, 1, 1])));
  let h = conv(x, p['k1']!, p['c1']!, 32).reshape([b, 32, 13, 2, 13, 2]).max([3, 5]);
  h = conv(h, p['k2']!, p['c2']!, 64).slice([], [], [0, 10], [0, 10]).reshape([b, 64, 5, 2, 5, 2]).max([3, 5]);
  const flat = h.reshape([b, 1600]);
  return dense(jax, key === null ? flat : dropout(jax, flat, key, HYPER.w5Dropout), p['w3']!, p['b3']!);
}

function crossEntropy(jax: JaxModule, logits: Arr, y: Arr): Arr {
  const batch = logits.shape[0]!;
  return y.mul(jax.nn.logSoftmax(logits)).sum().mul(-1 / batch);
}

function l2Penalty(jax: JaxModule, w: Arr): Arr {
  return jax.numpy.square(w).sum().mul(HYPER.l2);
}

/** The training loss of a workload (with its regularization penalty). */
function lossOf(jax: JaxModule, w: ModelWorkload): (p: Params, x: Arr, y: Arr, key: Arr) => Arr {
  const { numpy: np, nn, lax, random } = jax;
  if (w === 'W1' || w === 'W4') {
    return (p, x, y, key) => {
      const w1 = p['w1']!;
      return crossEntropy(jax, mlpLogits(jax, { ...p, w1: w1.ref }, x, key), y).add(l2Penalty(jax, w1));
    };
  }
  if (w === 'W2') {
    return (p, x, y, key) => {
      const w1 = p['w1']!;
      let h = nn.relu(dense(jax, x, w1.ref, p['b1']!));
      h = dropout(jax, h, key, HYPER.w2Dropout);
      h = nn.relu(dense(jax, h, p['w2']!, p['b2']!));
      const err = dense(jax, h, p['w3']!, p['b3']!).sub(y);
      return np.square(err).mean().add(l2Penalty(jax, w1));
    };
  }
  if (w === 'W5') return (p, x, y, key) => crossEntropy(jax, cnnLogits(jax, p, x, key), y);
  return (p, x, y, key) => {
    // x: [batch, channels, steps] (jax-js convolutions are channels-first).
    const conv = (h: Arr, k: Arr, c: Arr): Arr => nn.relu(lax.convGeneralDilated(h, k, [1], 'SAME').add(c.reshape([1, 64, 1])));
    const h = conv(conv(x, p['k1']!, p['c1']!), p['k2']!, p['c2']!);
    const pooled = h.mean(2);
    const noisy = pooled.add(random.normal(key, pooled.shape).mul(HYPER.w3Noise));
    return crossEntropy(jax, dense(jax, noisy, p['w3']!, p['b3']!), y);
  };
}

/** Constraint projections applied after each update (Keras semantics). */
function constraintsOf(jax: JaxModule, w: ModelWorkload): Record<string, (x: Arr) => Arr> {
  const np = jax.numpy;
  if (w === 'W1') {
    return {
      w2: (x) => {
        // MaxNorm(3) over axis 0: each unit's incoming weight vector.
        const norms = np.sqrt(np.square(x.ref).sum(0, { keepdims: true }));
        return x.mul(np.clip(norms.ref, 0, HYPER.maxNorm).div(norms.add(HYPER.epsilon)));
      },
    };
  }
  if (w === 'W3') return { k1: (x) => np.maximum(x, 0) };
  return {};
}

/** The jit-compiled training step of a workload: value and gradient, Adam, constraints. */
export function makeTrainStep(jax: JaxModule, w: ModelWorkload, names: readonly string[]): TrainStep {
  const { numpy: np, tree, valueAndGrad, jit } = jax;
  const loss = lossOf(jax, w);
  const constraints = constraintsOf(jax, w);
  const { beta1: b1, beta2: b2, epsilon } = HYPER;
  const step = (p: Params, m: Params, v: Params, x: Arr, y: Arr, key: Arr, lr: Arr): [Params, Params, Params, Arr] => {
    const [value, g] = valueAndGrad(loss)(tree.ref(p), x, y, key);
    const p2: Params = {};
    const m2: Params = {};
    const v2: Params = {};
    for (const k of names) {
      const gk = g[k]!;
      const mk = m[k]!.mul(b1).add(gk.ref.mul(1 - b1));
      const vk = v[k]!.mul(b2).add(np.square(gk).mul(1 - b2));
      const updated = p[k]!.sub(mk.ref.mul(lr.ref).div(np.sqrt(vk.ref).add(epsilon)));
      const project = constraints[k];
      p2[k] = project === undefined ? updated : project(updated);
      m2[k] = mk;
      v2[k] = vk;
    }
    lr.dispose();
    return [p2, m2, v2, value];
  };
  return jit(step) as unknown as TrainStep;
}

/** The jit-compiled inference of W1's model: softmax probabilities. */
export function makePredict(jax: JaxModule): (p: Params, x: Arr) => Arr {
  return jax.jit((p: Params, x: Arr) => jax.nn.softmax(mlpLogits(jax, p, x, null))) as unknown as (p: Params, x: Arr) => Arr;
}

/** Adam's bias-corrected step size at step `t` (1-based). */
export function adamStepSize(t: number): number {
  return (HYPER.learningRate * Math.sqrt(1 - HYPER.beta2 ** t)) / (1 - HYPER.beta1 ** t);
}
