/**
 * SimpleRNN, LSTM and GRU against TF.js 4.22 (CPU) with identical weights:
 * outputs with returnSequences / returnState / goBackwards, masking through
 * Embedding(maskZero), one SGD trainOnBatch of small models (same loss and
 * weights after the step), configs through TF.js's deserializer both ways, and
 * whole models through the TF.js Layers format both ways.
 *
 * recurrentActivation is set on both sides: Keras 3 defaults to sigmoid,
 * TF.js to hardSigmoid — and TF.js's hard_sigmoid is Keras 2's clip(0.2x +
 * 0.5, 0, 1) while Keras 3's (and Regula's) is relu6(x + 3)/6 (pinned
 * below). TF.js has no GRU resetAfter=true (its constructor throws) and no
 * recurrent dropout (checked against its formula in src/layers/rnn.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from '@tensorflow/tfjs-layers/dist/layers/serialization.js';
import { convertPythonicToTs, convertTsToPythonic } from '@tensorflow/tfjs-layers/dist/utils/serialization_utils.js';
import { layers } from '../../src/layers/index.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Layer } from '../../src/layers/layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/save-load.js';
import { optimizers } from '../../src/optimizers/index.js';
import { randomNormal, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, tfData, toTf } from '../helpers/tfjs.js';
import { readDirForTfjs, tfSave, writeTfjsDir } from '../helpers/tfjs-artifacts.js';

type Json = Record<string, unknown>;
const TOL = { rtol: 1e-5, atol: 1e-6 };
const X = randomNormal([3, 6, 4], { seed: 1 });

type Kind = 'simpleRNN' | 'lstm' | 'gru';
const ours = (k: Kind, a: Json): Layer => (layers[k] as (a: never) => Layer)(a as never);
const theirs = (k: Kind, a: Json): tf.layers.Layer => (tf.layers[k] as (a: never) => tf.layers.Layer)(a as never);

/** Runs ours, copies its weights into TF.js's layer, runs that; returns both outputs (lists for returnState). */
function both(k: Kind, a: Json, x: Tensor = X): { o: Tensor[]; t: tf.Tensor[] } {
  const l = ours(k, a);
  const y = l.apply(x);
  const tl = theirs(k, a);
  const xt = toTf(x);
  tl.apply(xt);
  tl.setWeights(l.getWeights().map(toTf));
  const ty = tl.apply(xt);
  return { o: Array.isArray(y) ? y : [y], t: Array.isArray(ty) ? (ty as tf.Tensor[]) : [ty as tf.Tensor] };
}

const CASES: [Kind, Json][] = [
  ['simpleRNN', { units: 5 }],
  ['simpleRNN', { units: 3, activation: 'relu', returnSequences: true, goBackwards: true, biasInitializer: 'randomNormal' }],
  ['lstm', { units: 5, recurrentActivation: 'sigmoid', biasInitializer: 'randomNormal' }],
  ['lstm', { units: 3, recurrentActivation: 'sigmoid', returnSequences: true, returnState: true, goBackwards: true }],
  ['lstm', { units: 4, recurrentActivation: 'sigmoid', useBias: false, unitForgetBias: false, returnState: true }],
  ['gru', { units: 5, recurrentActivation: 'sigmoid', resetAfter: false, biasInitializer: 'randomNormal' }],
  ['gru', { units: 3, recurrentActivation: 'sigmoid', resetAfter: false, returnSequences: true, returnState: true, goBackwards: true }],
  ['gru', { units: 6, activation: 'relu', recurrentActivation: 'sigmoid', resetAfter: false, returnSequences: true }],
];

for (const [k, a] of CASES) {
  test(`${k} ${JSON.stringify(a)} agrees with TF.js (outputs and states)`, async () => {
    await tfCpu();
    const { o, t } = both(k, a);
    assert.equal(o.length, t.length, 'output count');
    o.forEach((y, i) => {
      assert.deepEqual([...y.shape], [...t[i]!.shape], `output ${i} shape`);
      assertClose(y.data, tfData(t[i]!), { ...TOL, label: `output ${i}` });
    });
  });
}

test('hard_sigmoid: TF.js uses clip(0.2x + 0.5, 0, 1) (Keras 2), Regula relu6(x + 3)/6 (Keras 3): equal at 0, different elsewhere', async () => {
  await tfCpu();
  const { o, t } = both('lstm', { units: 3, recurrentActivation: 'hardSigmoid', biasInitializer: 'randomNormal' });
  const diff = Math.max(...Array.from(o[0]!.data, (v, i) => Math.abs(v - tfData(t[0]!)[i]!)));
  assert.ok(diff > 1e-3, `outputs should differ, max diff ${diff}`);
  assertClose(tfData(tf.layers.activation({ activation: 'hardSigmoid' }).apply(tf.tensor([1.5])) as tf.Tensor), [0.8]);
});

test('TF.js has no GRU resetAfter: true (Keras 3 default): its constructor throws', async () => {
  await tfCpu();
  assert.throws(() => tf.layers.gru({ units: 2, resetAfter: true } as never), /reset_after/);
});

test('masking: Embedding(maskZero) → LSTM / GRU / SimpleRNN carry states over padded steps as TF.js does', async () => {
  await tfCpu();
  const ids = tensor([[3, 1, 0, 0, 2], [0, 0, 4, 1, 5], [2, 2, 2, 2, 2], [0, 3, 0, 6, 0]]);
  for (const [k, a] of [['lstm', { units: 3, recurrentActivation: 'sigmoid' }], ['gru', { units: 4, recurrentActivation: 'sigmoid', resetAfter: false, returnSequences: true }], ['simpleRNN', { units: 2, goBackwards: true }]] as [Kind, Json][]) {
    const m = new Sequential([layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputShape: [5] }), ours(k, a)], { seed: 4 });
    const tm = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputShape: [5] }), theirs(k, a)] });
    tm.setWeights(m.getWeights().map(toTf));
    const y = m.predict(ids) as Tensor;
    const ty = tm.predict(toTf(ids)) as tf.Tensor;
    assertClose(y.data, tfData(ty), { ...TOL, label: `${k} masked` });
  }
});

test('one SGD trainOnBatch of small recurrent models gives the same loss and weights as TF.js', async () => {
  await tfCpu();
  const x = randomNormal([4, 5, 3], { seed: 8 });
  const y = randomNormal([4, 2], { seed: 9 });
  const build = (lib: 'ours' | 'tf') => {
    const L = lib === 'ours' ? (k: Kind, a: Json) => ours(k, a) : (k: Kind, a: Json) => theirs(k, a);
    const dense = lib === 'ours' ? layers.dense({ units: 2 }) : tf.layers.dense({ units: 2 });
    return [
      L('gru', { units: 4, recurrentActivation: 'sigmoid', resetAfter: false, returnSequences: true, inputShape: [5, 3] }),
      L('lstm', { units: 3, recurrentActivation: 'sigmoid', returnSequences: true, goBackwards: true }),
      L('simpleRNN', { units: 3 }),
      dense,
    ];
  };
  const m = new Sequential(build('ours') as Layer[], { seed: 3 });
  const tm = tf.sequential({ layers: build('tf') as tf.layers.Layer[] });
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  const w0 = m.getWeights().map((w, i) => randomNormal(w.shape, { seed: 20 + i, stddev: 0.5 }));
  m.setWeights(w0);
  tm.setWeights(w0.map(toTf));
  const loss = m.trainOnBatch(x, y)['loss']!;
  const tloss = (await tm.trainOnBatch(toTf(x), toTf(y))) as number;
  assertClose([loss], [tloss], { ...TOL, label: 'loss' });
  const after = tm.getWeights();
  m.getWeights().forEach((w, i) => {
    assertClose(w.data, after[i]!.dataSync(), { ...TOL, label: `${m.weights[i]!.name} after one step` });
    assert.ok(w.data.some((v, j) => v !== w0[i]!.data[j]), `${m.weights[i]!.name} moved`);
  });
});

/** Regula config → TF.js layer (its JSON deserializer) → TF.js config in model.json form. */
function throughTfjs(layer: Layer): Json {
  const json = JSON.parse(JSON.stringify({ class_name: layer.className, config: layer.getConfig() })) as Json;
  const tfLayer = deserialize(convertPythonicToTs(json as never) as never) as unknown as tf.layers.Layer;
  assert.equal(tfLayer.getClassName(), layer.className);
  return convertTsToPythonic(tfLayer.getConfig() as never) as Json;
}

test('configs: TF.js deserializes ours with the same hyperparameters, and ours load TF.js configs', async () => {
  await tfCpu();
  const common = ['units', 'activation', 'use_bias', 'dropout', 'recurrent_dropout', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'kernel_regularizer', 'recurrent_constraint'];
  const cases: [Layer, string[]][] = [
    [layers.simpleRNN({ units: 3, activation: 'relu', dropout: 0.1, returnSequences: true, kernelRegularizer: 'l2', recurrentConstraint: 'maxNorm' }), common],
    [layers.lstm({ units: 4, recurrentActivation: 'hardSigmoid', dropout: 0.2, recurrentDropout: 0.3, returnState: true, goBackwards: true, unitForgetBias: false }), [...common, 'recurrent_activation', 'unit_forget_bias']],
    [layers.gru({ units: 2, resetAfter: false, recurrentDropout: 0.25, useBias: false, recurrentRegularizer: 'l1' }), [...common, 'recurrent_activation', 'reset_after', 'recurrent_regularizer']],
  ];
  for (const [layer, keys] of cases) {
    const mine = layer.getConfig();
    const theirsCfg = throughTfjs(layer);
    for (const key of keys) assert.deepEqual(theirsCfg[key], mine[key], `${layer.className}.${key}`);
    const back = layerFromConfig({ class_name: layer.className, config: JSON.parse(JSON.stringify(theirsCfg)) as Json });
    for (const key of keys) assert.deepEqual(back.getConfig()[key], mine[key], `${layer.className}.${key}: TF.js config loads back`);
  }
  // TF.js's own configs (its defaults: hard_sigmoid, glorotNormal kernels, implementation, null unit_forget_bias) load.
  const pythonic = (l: tf.layers.Layer): { class_name: string; config: Json } => ({ class_name: l.getClassName(), config: JSON.parse(JSON.stringify(convertTsToPythonic(l.getConfig() as never))) as Json });
  const l = layerFromConfig(pythonic(tf.layers.lstm({ units: 3, returnSequences: true }))) as Layer & { options: Json };
  assert.equal((l.options['recurrentActivation'] as { name: string }).name, 'hard_sigmoid');
  assert.equal(l.options['unitForgetBias'], true, 'TF.js writes unit_forget_bias: null (its default true)');
  const g = layerFromConfig(pythonic(tf.layers.gru({ units: 3 }))) as Layer & { options: Json };
  assert.equal(g.options['resetAfter'], false);
});

test('TF.js Layers format: recurrent models move both ways and predict the same', async () => {
  await tfCpu();
  const m = new Sequential(
    [
      layers.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [6, 4], biasInitializer: 'randomNormal' }),
      layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false, returnSequences: true, goBackwards: true }),
      layers.simpleRNN({ units: 2 }),
    ],
    { seed: 5 },
  );
  const dir = mkdtempSync(join(tmpdir(), 'regula-rnn-'));
  const back = mkdtempSync(join(tmpdir(), 'regula-rnn-tf-'));
  try {
    await m.save(dir);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(readDirForTfjs(dir)));
    const y = m.predict(X) as Tensor;
    assertClose(y.data, tfData(tm.predict(toTf(X)) as tf.Tensor), { ...TOL, label: 'TF.js predicts our save' });
    assert.deepEqual(tm.weights.map((w) => w.originalName ?? w.name).slice(0, 3), ['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias'].map((n) => n.replace('lstm', m.layers[0]!.name)));
    writeTfjsDir(await tfSave(tm), back);
    const again = await loadModel(back);
    assertClose((again.predict(X) as Tensor).data, y.data, { ...TOL, label: 'we predict TF.js save' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(back, { recursive: true, force: true });
  }
});
