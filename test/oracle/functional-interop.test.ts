/**
 * Functional-model interop with TF.js 4.22 (CPU backend), both ways, in the
 * TF.js Layers format (`class_name: "Model"`, `inbound_nodes`):
 *
 * - functional models built and saved by TF.js (a residual block from
 *   `tf.input`, `tf.layers.dense` and `tf.layers.add`; two inputs with an
 *   int32 Embedding branch, a concatenation and a nested Sequential called
 *   twice, two outputs) load in Regula through `tf.io.fromMemory` and from a
 *   directory, and predict the same;
 * - functional models built by Regula (shared layers, nested Sequential and
 *   functional models, several inputs and outputs), trained a little, load in
 *   TF.js (`tf.loadLayersModel`) from `model.save(tf.io.withSaveHandler(…))`
 *   and from a saved directory, and predict the same.
 *
 * Float32 tolerance: rtol 1e-5, atol 1e-6 (the two libraries sum in different
 * orders; everything else is identical).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { input, layers, loadModel, model, Model, Rng, Sequential, tensor, Tensor, type Tensor as RTensor } from '../../src/index.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, toTf } from '../helpers/tfjs.js';
import { readDirForTfjs, tfSave, writeTfjsDir } from '../helpers/tfjs-artifacts.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };
const root = mkdtempSync(join(tmpdir(), 'regula-functional-interop-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const tmp = (): string => mkdtempSync(join(root, `d${dirs++}-`));

function randomX(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const v = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  return new Tensor(shape, 'float32', v);
}

const ids = (rows: number, len: number, vocab: number): Tensor => tensor(Array.from({ length: rows * len }, (_, i) => (i * 7 + 3) % vocab), [rows, len], 'int32');

/** Gives every TF.js weight random values (biases too), so a wrong mapping shows. */
function randomizeTf(m: tf.LayersModel, seed: number): void {
  m.setWeights(m.weights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', seed + i)));
}

const asList = <T>(y: T | T[]): T[] => (Array.isArray(y) ? y : [y]);

/** Regula's and TF.js's predictions agree output by output. */
function assertSameOutputs(regula: RTensor | RTensor[], tfjs: tf.Tensor | tf.Tensor[], label: string): void {
  const r = asList(regula);
  const t = asList(tfjs);
  assert.equal(r.length, t.length, `${label}: number of outputs`);
  r.forEach((y, i) => {
    assert.deepEqual([...y.shape], t[i]!.shape, `${label}: output ${i} shape`);
    assertClose(y.data, t[i]!.dataSync(), { ...TOL, label: `${label}: output ${i}` });
  });
}

function tfResidual(): tf.LayersModel {
  const x = tf.input({ shape: [6], name: 'x' });
  const h = tf.layers.dense({ units: 8, activation: 'relu', name: 'h' }).apply(x) as tf.SymbolicTensor;
  const r = tf.layers.dense({ units: 8, activation: 'tanh', name: 'r' }).apply(h) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'skip' }).apply([h, r]) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 3, activation: 'softmax', name: 'y' }).apply(sum) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'tf_residual' });
}

test('a TF.js functional model with a residual block loads in Regula (fromMemory and a directory) and predicts the same', async () => {
  await tfCpu();
  const tm = tfResidual();
  randomizeTf(tm, 10);
  const artifacts = await tfSave(tm);
  assert.equal((artifacts.modelTopology as { class_name: string }).class_name, 'Model');
  const x = randomX([9, 6], 1);
  const expected = tm.predict(toTf(x)) as tf.Tensor;

  const m = await loadModel(tf.io.fromMemory(artifacts));
  assert.ok(m instanceof Model && !(m instanceof Sequential));
  assert.deepEqual(m.layers.map((l) => l.className), tm.layers.map((l) => l.getClassName()));
  assert.equal(m.countParams(), tm.countParams());
  assertSameOutputs(m.predict(x), expected, 'via tf.io.fromMemory');

  const dir = tmp();
  writeTfjsDir(artifacts, dir);
  assertSameOutputs((await loadModel(dir)).predict(x), expected, 'via a directory');
});

test('a TF.js model with two inputs (int32 Embedding branch, concatenation), a nested Sequential called twice and two outputs loads in Regula', async () => {
  await tfCpu();
  const tokens = tf.input({ shape: [5], dtype: 'int32', name: 'tokens' });
  const feats = tf.input({ shape: [3], name: 'feats' });
  const e = tf.layers.flatten({ name: 'flat' }).apply(tf.layers.embedding({ inputDim: 10, outputDim: 2, name: 'embed' }).apply(tokens)) as tf.SymbolicTensor;
  const f = tf.layers.dense({ units: 4, activation: 'relu', name: 'feat_dense' }).apply(feats) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'joined' }).apply([e, f]) as tf.SymbolicTensor;
  const block = tf.sequential({ layers: [tf.layers.dense({ units: 14, activation: 'tanh', inputShape: [14], name: 'block_dense' })], name: 'block' });
  const once = block.apply(joined) as tf.SymbolicTensor;
  const twice = block.apply(once) as tf.SymbolicTensor;
  const score = tf.layers.dense({ units: 1, name: 'score' }).apply(twice) as tf.SymbolicTensor;
  const label = tf.layers.dense({ units: 2, activation: 'softmax', name: 'label' }).apply(tf.layers.add({ name: 'skip' }).apply([joined, once]) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const tm = tf.model({ inputs: [tokens, feats], outputs: [score, label], name: 'tf_two_by_two' });
  randomizeTf(tm, 20);
  const artifacts = await tfSave(tm);

  const m = await loadModel(tf.io.fromMemory(artifacts));
  assert.deepEqual(m.inputNames, ['tokens', 'feats']);
  assert.deepEqual(m.outputNames, ['score', 'label']);
  assert.ok(m.getLayer('block') instanceof Sequential);
  assert.equal(m.countParams(), tm.countParams());
  const t = ids(7, 5, 10);
  const x = randomX([7, 3], 2);
  assertSameOutputs(m.predict([t, x]), tm.predict([toTf(t), toTf(x)]) as tf.Tensor[], 'two inputs, two outputs');
});

/** A Regula model with everything the format has to carry: shared layers, nested models, two inputs and two outputs. */
function regulaGraph(): Model {
  const a = input({ shape: [6], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const stem = layers.dense({ units: 4, activation: 'relu', name: 'stem' }).apply(a);
  const shared = layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const res = layers.add({ name: 'res' }).apply([stem, shared.apply(stem)]);
  const res2 = layers.add({ name: 'res2' }).apply([res, shared.apply(res)]);
  // A nested Sequential started from input(), and a nested functional model, each called twice.
  const seq = new Sequential([input({ shape: [4], name: 'seq_in' }), layers.dense({ units: 4, activation: 'elu', name: 'seq_dense' }), layers.batchNormalization({ name: 'seq_bn' })], { name: 'seq_block', seed: 3 });
  const fin = input({ shape: [4], name: 'fn_in' });
  const fn = model({ inputs: fin, outputs: layers.dense({ units: 4, activation: 'sigmoid', name: 'fn_dense' }).apply(fin), name: 'fn_block', seed: 4 });
  const pb = layers.dense({ units: 4, name: 'pb' }).apply(b);
  const left = seq.apply(fn.apply(res2));
  const right = fn.apply(seq.apply(pb));
  const merged = layers.concatenate({ name: 'cat' }).apply([left, right]);
  const o1 = layers.dense({ units: 1, name: 'o1' }).apply(merged);
  const o2 = layers.dense({ units: 3, activation: 'softmax', name: 'o2' }).apply(layers.dropout({ rate: 0.3, name: 'drop' }).apply(res2));
  return model({ inputs: [a, b], outputs: [o1, o2], name: 'regula_graph', seed: 5 });
}

test('a Regula functional model (shared layers, nested models, two inputs and outputs), trained, loads in TF.js and predicts the same', async () => {
  await tfCpu();
  const m = regulaGraph();
  m.compile({ optimizer: 'adam', loss: ['mse', 'sparseCategoricalCrossentropy'], lossWeights: [1, 0.5] });
  const xa = randomX([32, 6], 3);
  const xb = randomX([32, 4], 4);
  const y2 = tensor(Array.from({ length: 32 }, (_, i) => i % 3), [32], 'int32');
  await m.fit([xa, xb], [randomX([32, 1], 5), y2], { epochs: 2, batchSize: 8, seed: 1, verbose: 0 }); // non-trivial BN statistics

  let captured: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (art) => {
      captured = art;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const viaHandler = await tf.loadLayersModel(tf.io.fromMemory(captured!));
  assert.deepEqual(viaHandler.layers.map((l) => l.name), m.layers.map((l) => l.name));
  assert.equal(viaHandler.countParams(), m.countParams());
  assert.deepEqual(viaHandler.weights.map((w) => w.originalName).sort(), m.weights.map((w) => w.name).sort());
  const pa = randomX([5, 6], 6);
  const pb = randomX([5, 4], 7);
  assertSameOutputs(m.predict([pa, pb]), viaHandler.predict([toTf(pa), toTf(pb)]) as tf.Tensor[], 'via a save handler');

  const dir = tmp();
  await m.save(dir);
  const viaDir = await tf.loadLayersModel(tf.io.fromMemory(readDirForTfjs(dir)));
  assertSameOutputs(m.predict([pa, pb]), viaDir.predict([toTf(pa), toTf(pb)]) as tf.Tensor[], 'via a directory');
});

test('round trip through TF.js: Regula → TF.js → Regula keeps the graph and the predictions', async () => {
  await tfCpu();
  const m = regulaGraph();
  const dir = tmp();
  await m.save(dir, { includeOptimizer: false });
  const tm = await tf.loadLayersModel(tf.io.fromMemory(readDirForTfjs(dir)));
  const back = await loadModel(tf.io.fromMemory(await tfSave(tm)));
  assert.deepEqual(back.layers.map((l) => l.name), m.layers.map((l) => l.name));
  const pa = randomX([4, 6], 8);
  const pb = randomX([4, 4], 9);
  const want = asList(m.predict([pa, pb]));
  asList(back.predict([pa, pb])).forEach((y, i) => assertClose(y.data, want[i]!.data, { ...TOL, label: `output ${i}` }));
});
