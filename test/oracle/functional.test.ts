/**
 * Functional models against TF.js 4.22 (CPU backend) with identical weights:
 * the same graph is built in both libraries with the same layer names, the
 * weights are copied (`tfModel.setWeights(ours.getWeights().map(toTf))`, the
 * layer and weight orders agree, names included), and then
 *
 * - predictions agree (rtol 1e-5, atol 1e-6: the libraries sum in different orders);
 * - evaluate's total and per-output losses agree, under TF.js's log names;
 * - the gradients of the training loss agree (`tf.variableGrads` against
 *   `valueAndGrad` over `model.trainableWeights`), and so do the weights after
 *   one SGD `trainOnBatch` step (lr 0.1) on each side;
 * - a two-output `fit` logs the keys TF.js logs.
 *
 * Models: a residual MLP (dense → dense → add(skip) → relu → dense, with an
 * L2 kernel penalty inside the block), a two-input model (numbers → dense;
 * int32 tokens → embedding → flatten; concatenate → softmax) and a two-output
 * model with lossWeights [1, 0.3].
 *
 * Where TF.js 4.22 differs from Keras (and Regula follows Keras), the test
 * computes Keras's number from TF.js's parts:
 * - TF.js accepts `lossWeights` in compile but never applies them (training.js:
 *   "TODO(cais): Add lossWeights"), so its total here is compiled with the
 *   weight folded into the output's loss function;
 * - TF.js's evaluate of a model with n outputs returns n running sums of the
 *   output losses before the per-output losses and metrics (n − 1 values more
 *   than `metricsNames`), and leaves out weight penalties; Keras ≥ 3.14 and
 *   Regula include them (docs/semantics.md §1.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, model, optimizers, regularizers, Rng, Tensor, tensor, type Model } from '../../src/index.js';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { totalLoss } from '../../src/models/steps.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, toTf } from '../helpers/tfjs.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };
const N = 12;

function normal(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => rng.normal()));
}

function oneHot(labels: readonly number[], k: number): Tensor {
  const d = new Float32Array(labels.length * k);
  labels.forEach((c, i) => (d[i * k + c] = 1));
  return tensor(d, [labels.length, k]);
}

const labels = (n: number, k: number, seed: number): number[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.uniform() * k));
};

/** One graph in both libraries, data, and how each side compiles it. */
interface Pair {
  ours: Model;
  theirs: tf.LayersModel;
  xs: Tensor[];
  ys: Tensor[];
  /** Output loss weights (Keras's lossWeights; TF.js ignores its own). */
  weights: number[];
  /** TF.js loss names, per output. */
  tfLosses: string[];
  /** Regula compile loss, per output. */
  losses: string[];
  /** Σ weight penalties of the initial weights (TF.js evaluate leaves them out). */
  penalty: () => number;
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** TF.js per-sample loss functions by the names used here. */
function tfLoss(name: string): (yt: tf.Tensor, yp: tf.Tensor) => tf.Tensor {
  if (name === 'meanSquaredError') return (yt, yp) => tf.metrics.meanSquaredError(yt, yp);
  if (name === 'categoricalCrossentropy') return (yt, yp) => tf.metrics.categoricalCrossentropy(yt, yp);
  throw new Error(name);
}

/** Copies our weights into TF.js and checks that both sides list the same layers and weights in the same order. */
function sync(p: Pair): void {
  assert.deepEqual(p.ours.layers.map((l) => l.name), p.theirs.layers.map((l) => l.name), 'layer order');
  assert.deepEqual(p.ours.layers.map((l) => l.className), p.theirs.layers.map((l) => l.getClassName()), 'layer classes');
  const tfNames = p.theirs.weights.map((w) => (w as unknown as { originalName: string }).originalName);
  assert.deepEqual(p.ours.weights.map((w) => w.name), tfNames, 'weight names');
  assert.deepEqual(p.ours.trainableWeights.map((w) => w.name), p.theirs.trainableWeights.map((w) => (w as unknown as { originalName: string }).originalName), 'trainable weights');
  assert.equal(p.ours.countParams(), p.theirs.countParams());
  p.theirs.setWeights(p.ours.getWeights().map(toTf));
}

/** Our compile and TF.js's: SGD lr 0.1; TF.js gets each lossWeight folded into the output's loss. */
function compileBoth(p: Pair): void {
  p.ours.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: p.losses, ...(p.ours.outputs.length > 1 ? { lossWeights: p.weights } : {}) });
  const folded = p.tfLosses.map((n, i) => {
    const f = tfLoss(n);
    return p.weights[i] === 1 ? f : (yt: tf.Tensor, yp: tf.Tensor) => tf.mul(f(yt, yp), p.weights[i]!);
  });
  p.theirs.compile({ optimizer: tf.train.sgd(0.1), loss: folded });
}

/** Predictions, evaluate, gradients and one SGD step, ours against TF.js. */
async function compare(p: Pair, label: string): Promise<void> {
  sync(p);
  const txs = p.xs.map(toTf);
  const tys = p.ys.map(toTf);
  // 1. Predictions.
  const ours = asList(p.ours.predict(p.xs));
  const theirs = asList(p.theirs.predict(txs) as tf.Tensor | tf.Tensor[]);
  assert.equal(ours.length, theirs.length);
  ours.forEach((o, i) => {
    assert.deepEqual([...o.shape], theirs[i]!.shape);
    assertClose(o.data, theirs[i]!.dataSync(), { ...TOL, label: `${label}: predictions of output ${i}` });
  });
  // 2. Evaluate: the unweighted loss of each output, and the total.
  p.theirs.compile({ optimizer: 'sgd', loss: p.tfLosses });
  const ev = asList(p.theirs.evaluate(txs, tys, { batchSize: N }) as tf.Scalar | tf.Scalar[]).map((t) => t.dataSync()[0]!);
  const k = p.ours.outputs.length;
  // TF.js: k running sums of the output losses, then (k > 1) each output's loss, then metrics.
  const perOutput = k === 1 ? [ev[0]!] : ev.slice(k, 2 * k);
  const names = p.theirs.metricsNames;
  compileBoth(p);
  const r = p.ours.evaluate(p.xs, p.ys, { batchSize: N });
  assert.deepEqual(Object.keys(r), names, 'log names');
  const total = perOutput.reduce((s, l, i) => s + p.weights[i]! * l, 0) + p.penalty();
  assertClose([r['loss']!], [total], { ...TOL, label: `${label}: total loss` });
  if (k > 1) assertClose(p.ours.outputNames.map((o) => r[`${o}_loss`]!), perOutput, { ...TOL, label: `${label}: per-output losses` });
  // 3. Gradients of the training loss (weighted output losses + penalties) over the trainable weights.
  const compiled = p.ours.requireCompiled(label);
  const vars = p.ours.trainableWeights;
  const { value, grads } = valueAndGrad(() => totalLoss(compiled, p.ys, p.ours.forward(p.xs, true), undefined, p.ours.losses).total, vars);
  const tfVars = p.theirs.trainableWeights.map((w) => w.read() as tf.Variable);
  const tg = tf.variableGrads(() => {
    const outs = asList(p.theirs.apply(txs, { training: true }) as tf.Tensor | tf.Tensor[]);
    let t = tf.scalar(0);
    outs.forEach((o, i) => (t = tf.add(t, tf.mul(tf.mean(tfLoss(p.tfLosses[i]!)(tys[i]!, o)), p.weights[i]!))));
    for (const pen of (p.theirs as unknown as { calculateLosses(): tf.Scalar[] }).calculateLosses()) t = tf.add(t, pen);
    return t as tf.Scalar;
  }, tfVars);
  assertClose([value.item()], tg.value.dataSync(), { ...TOL, label: `${label}: training loss` });
  vars.forEach((v, i) => assertClose(grads[i]!.data, tg.grads[tfVars[i]!.name]!.dataSync(), { ...TOL, label: `${label}: gradient of ${v.name}` }));
  // 4. One SGD step on each side (lr 0.1): the same loss and the same new weights.
  const before = p.ours.getWeights();
  const lossOurs = p.ours.trainOnBatch(p.xs, p.ys)['loss']!;
  const lossTheirs = asList((await p.theirs.trainOnBatch(txs, tys)) as number | number[])[0]!;
  assertClose([lossOurs], [lossTheirs], { ...TOL, label: `${label}: trainOnBatch loss` });
  const after = p.ours.getWeights();
  const tfAfter = p.theirs.getWeights();
  after.forEach((w, i) => {
    assertClose(w.data, tfAfter[i]!.dataSync(), { ...TOL, label: `${label}: ${p.ours.weights[i]!.name} after one step` });
    if (p.ours.weights[i]!.trainable) assert.ok(w.data.some((v, j) => v !== before[i]!.data[j]), `${p.ours.weights[i]!.name} moved`);
  });
}

/** input → dense relu → dense (L2 kernel) → add(skip) → relu → dense out; layer names shared. */
function residualMlp(): Pair {
  const l2 = 0.01;
  const x = input({ shape: [8], name: 'x' });
  const h = layers.dense({ units: 8, activation: 'relu', name: 'd1' }).apply(x);
  const d2 = layers.dense({ units: 8, name: 'd2', kernelRegularizer: regularizers.l2(l2) });
  const s = layers.add({ name: 'skip' }).apply([x, d2.apply(h)]);
  const a = layers.activation({ activation: 'relu', name: 'act' }).apply(s);
  const out = layers.dense({ units: 2, name: 'out' }).apply(a);
  const ours = model({ inputs: x, outputs: out, seed: 11, name: 'residual' });
  const tx = tf.input({ shape: [8], name: 'x' });
  const th = tf.layers.dense({ units: 8, activation: 'relu', name: 'd1' }).apply(tx) as tf.SymbolicTensor;
  const tb = tf.layers.dense({ units: 8, name: 'd2', kernelRegularizer: tf.regularizers.l2({ l2 }) }).apply(th) as tf.SymbolicTensor;
  const ts = tf.layers.add({ name: 'skip' }).apply([tx, tb]) as tf.SymbolicTensor;
  const ta = tf.layers.activation({ activation: 'relu', name: 'act' }).apply(ts) as tf.SymbolicTensor;
  const tout = tf.layers.dense({ units: 2, name: 'out' }).apply(ta) as tf.SymbolicTensor;
  const theirs = tf.model({ inputs: tx, outputs: tout, name: 'residual' });
  const penalty = (): number => {
    let s2 = 0;
    for (const v of d2.getWeights()[0]!.data) s2 += v * v;
    return l2 * s2;
  };
  return { ours, theirs, xs: [normal([N, 8], 1)], ys: [normal([N, 2], 2)], weights: [1], tfLosses: ['meanSquaredError'], losses: ['mse'], penalty };
}

/** numbers [n,5] → dense; int32 tokens [n,3] → embedding(10, 4) → flatten; concatenate → dense softmax. */
function twoInputs(): Pair {
  const num = input({ shape: [5], name: 'num' });
  const tok = input({ shape: [3], dtype: 'int32', name: 'tok' });
  const a = layers.dense({ units: 6, activation: 'tanh', name: 'num_dense' }).apply(num);
  const e = layers.flatten({ name: 'flat' }).apply(layers.embedding({ inputDim: 10, outputDim: 4, name: 'emb' }).apply(tok));
  const c = layers.concatenate({ axis: -1, name: 'cat' }).apply([a, e]);
  const out = layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(c);
  const ours = model({ inputs: [num, tok], outputs: out, seed: 12, name: 'two_inputs' });
  const tnum = tf.input({ shape: [5], name: 'num' });
  const ttok = tf.input({ shape: [3], dtype: 'int32', name: 'tok' });
  const ta = tf.layers.dense({ units: 6, activation: 'tanh', name: 'num_dense' }).apply(tnum) as tf.SymbolicTensor;
  const te = tf.layers.flatten({ name: 'flat' }).apply(tf.layers.embedding({ inputDim: 10, outputDim: 4, name: 'emb' }).apply(ttok)) as tf.SymbolicTensor;
  const tc = tf.layers.concatenate({ axis: -1, name: 'cat' }).apply([ta, te]) as tf.SymbolicTensor;
  const tout = tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(tc) as tf.SymbolicTensor;
  const theirs = tf.model({ inputs: [tnum, ttok], outputs: tout, name: 'two_inputs' });
  const tokens = tensor(Int32Array.from(labels(N * 3, 10, 3)), [N, 3], 'int32');
  return { ours, theirs, xs: [normal([N, 5], 4), tokens], ys: [oneHot(labels(N, 3, 5), 3)], weights: [1], tfLosses: ['categoricalCrossentropy'], losses: ['categoricalCrossentropy'], penalty: () => 0 };
}

/** One input, a shared trunk, two outputs: out1 (mse) and out2 (softmax, categoricalCrossentropy), lossWeights [1, 0.3]. */
function twoOutputs(): Pair {
  const x = input({ shape: [4], name: 'x' });
  const h = layers.dense({ units: 6, activation: 'tanh', name: 'trunk' }).apply(x);
  const o1 = layers.dense({ units: 1, name: 'out1' }).apply(h);
  const o2 = layers.dense({ units: 3, activation: 'softmax', name: 'out2' }).apply(layers.dense({ units: 5, activation: 'relu', name: 'head2' }).apply(h));
  const ours = model({ inputs: x, outputs: [o1, o2], seed: 13, name: 'two_outputs' });
  const tx = tf.input({ shape: [4], name: 'x' });
  const th = tf.layers.dense({ units: 6, activation: 'tanh', name: 'trunk' }).apply(tx) as tf.SymbolicTensor;
  const to1 = tf.layers.dense({ units: 1, name: 'out1' }).apply(th) as tf.SymbolicTensor;
  const th2 = tf.layers.dense({ units: 5, activation: 'relu', name: 'head2' }).apply(th) as tf.SymbolicTensor;
  const to2 = tf.layers.dense({ units: 3, activation: 'softmax', name: 'out2' }).apply(th2) as tf.SymbolicTensor;
  const theirs = tf.model({ inputs: tx, outputs: [to1, to2], name: 'two_outputs' });
  return {
    ours, theirs,
    xs: [normal([N, 4], 6)],
    ys: [normal([N, 1], 7), oneHot(labels(N, 3, 8), 3)],
    weights: [1, 0.3],
    tfLosses: ['meanSquaredError', 'categoricalCrossentropy'],
    losses: ['mse', 'categoricalCrossentropy'],
    penalty: () => 0,
  };
}

test('residual MLP (add skip, L2 inside the block): predictions, evaluate, gradients, one SGD step = TF.js', async () => {
  await tfCpu();
  await compare(residualMlp(), 'residual');
});

test('two inputs (dense | int32 embedding → flatten, concatenate): predictions, evaluate, gradients, one SGD step = TF.js', async () => {
  await tfCpu();
  await compare(twoInputs(), 'two inputs');
});

test('two outputs with lossWeights [1, 0.3]: predictions, per-output losses, weighted gradients, one SGD step = TF.js', async () => {
  await tfCpu();
  await compare(twoOutputs(), 'two outputs');
});

test('two outputs: fit logs the keys TF.js logs (loss, <out>_loss, <out>_<metric>, val_…); data as lists or name-keyed objects', async () => {
  await tfCpu();
  const p = twoOutputs();
  sync(p);
  p.ours.compile({ optimizer: 'sgd', loss: p.losses, lossWeights: p.weights, metrics: ['mae'] });
  p.theirs.compile({ optimizer: 'sgd', loss: p.tfLosses, metrics: ['mae'] });
  const fitArgs = { epochs: 1, batchSize: 4, validationSplit: 0.25, verbose: 0 as const };
  const th = await p.theirs.fit(p.xs.map(toTf), p.ys.map(toTf), fitArgs);
  const h = await p.ours.fit({ x: p.xs[0]! }, { out1: p.ys[0]!, out2: p.ys[1]! }, { ...fitArgs, seed: 1 });
  const keys = Object.keys(h.history);
  assert.deepEqual(keys, ['loss', 'out1_loss', 'out2_loss', 'out1_mae', 'out2_mae', 'val_loss', 'val_out1_loss', 'val_out2_loss', 'val_out1_mae', 'val_out2_mae']);
  // TF.js lists the val_ keys first; the set is the same.
  assert.deepEqual([...keys].sort(), Object.keys(th.history).sort());
});
