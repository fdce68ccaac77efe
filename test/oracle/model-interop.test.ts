/**
 * Model interop with TF.js 4.22 (CPU backend), both ways, through files in
 * the standard directory layout and through TF.js IOHandlers:
 *
 * - a model saved by Regula (`model.save(dir)`) loads in TF.js
 *   (`tf.loadLayersModel(tf.io.fromMemory({modelTopology, weightSpecs, weightData}))`,
 *   built from the directory's model.json and shards) and predicts the same;
 * - a model built and saved by TF.js (`model.save(tf.io.withSaveHandler(...))`,
 *   written to a directory as model.json + group1-shard1of1.bin) loads with
 *   `loadModel(dir)` and predicts the same.
 *
 * Float32 tolerance: rtol 1e-5, atol 1e-6 (the two libraries sum in different
 * orders; everything else is identical).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, loadModel, Rng, Tensor } from '../../src/index.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, toTf } from '../helpers/tfjs.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'regula-interop-'));

function randomX(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return new Tensor(shape, 'float32', v);
}

/** Reads a model directory the way TF.js's file loaders do: model.json + each group's shards concatenated. */
function readDirForTfjs(dir: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const g of json.weightsManifest) {
    weightSpecs.push(...g.weights);
    for (const p of g.paths) parts.push(readFileSync(join(dir, p)));
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const data = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData: data.buffer };
}

/** Writes TF.js artifacts to a directory in the standard layout (what tfjs-node's file:// handler writes). */
function writeTfjsDir(a: tf.io.ModelArtifacts, dir: string): void {
  const wd = a.weightData!;
  const bytes = Array.isArray(wd) ? Buffer.concat(wd.map((b) => Buffer.from(b))) : Buffer.from(wd);
  writeFileSync(join(dir, 'group1-shard1of1.bin'), bytes);
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

async function tfSave(m: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

function regulaModel(): Sequential {
  return new Sequential(
    [
      layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [12, 3] }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.conv1d({ filters: 4, kernelSize: 2, strides: 2, dilationRate: 1, activation: 'elu', useBias: true }),
      layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
      layers.batchNormalization(),
      layers.flatten(),
      layers.dropout({ rate: 0.25 }),
      layers.dense({ units: 7, activation: 'tanh' }),
      layers.dense({ units: 5, activation: 'sigmoid' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 13 },
  );
}

test('a model saved by Regula (after training) loads in TF.js and predicts the same', async () => {
  await tfCpu();
  const m = regulaModel();
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const xTrain = randomX([32, 12, 3], 1);
  const yTrain = new Tensor([32], 'int32', Int32Array.from({ length: 32 }, (_, i) => i % 3));
  await m.fit(xTrain, yTrain, { epochs: 2, batchSize: 8, seed: 3, verbose: 0 }); // non-trivial BN moving stats
  const dir = tmp();
  await m.save(dir);
  const tfModel = await tf.loadLayersModel(tf.io.fromMemory(readDirForTfjs(dir)));
  assert.equal(tfModel.layers.length, 10);
  assert.deepEqual(tfModel.layers.map((l) => l.getClassName()), m.layers.map((l) => l.className));
  const x = randomX([9, 12, 3], 2);
  const expected = m.predict(x);
  const got = tfModel.predict(toTf(x)) as tf.Tensor;
  assert.deepEqual(got.shape, [9, 3]);
  assertClose(got.dataSync(), expected.data, { ...TOL, label: 'TF.js vs Regula predictions' });
  assert.equal(tfModel.countParams(), m.countParams());
});

test('Regula saves straight into a TF.js save handler, and multi-shard weights load in TF.js', async () => {
  await tfCpu();
  // 1100×1000 float32 kernel = 4.4 MB → two 4 MiB shards on disk.
  const m = new Sequential([layers.dense({ units: 1000, activation: 'relu', inputShape: [1100] }), layers.dense({ units: 2 })], { seed: 1 });
  const x = randomX([3, 1100], 5);
  const expected = m.predict(x);
  let captured: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const viaHandler = await tf.loadLayersModel(tf.io.fromMemory(captured!));
  assertClose((viaHandler.predict(toTf(x)) as tf.Tensor).dataSync(), expected.data, { ...TOL, label: 'via handler' });
  const dir = tmp();
  await m.save(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest;
  assert.deepEqual(manifest[0].paths, ['group1-shard1of2.bin', 'group1-shard2of2.bin']);
  const viaDir = await tf.loadLayersModel(tf.io.fromMemory(readDirForTfjs(dir)));
  assertClose((viaDir.predict(toTf(x)) as tf.Tensor).dataSync(), expected.data, { ...TOL, label: 'via directory' });
});

function tfjsModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv1d({ filters: 5, kernelSize: 3, activation: 'relu', inputShape: [10, 2], padding: 'valid' }));
  m.add(tf.layers.maxPooling1d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.conv1d({ filters: 4, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'tanh' }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.averagePooling1d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.4 }));
  m.add(tf.layers.dense({ units: 6, activation: 'selu' }));
  m.add(tf.layers.dense({ units: 4, activation: 'softplus' }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

test('a model built and saved by TF.js loads in Regula (from a directory) and predicts the same', async () => {
  await tfCpu();
  const tm = tfjsModel();
  // TF.js cannot train dilated convolutions, so give every weight (BN moving statistics included) random values.
  tm.setWeights(
    tm.weights.map((w, i) => {
      const r = tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', 100 + i);
      return w.name.includes('moving_variance') ? tf.add(tf.abs(r), 0.5) : r;
    }),
  );
  const artifacts = await tfSave(tm);
  const dir = tmp();
  writeTfjsDir(artifacts, dir);
  const m = await loadModel(dir);
  assert.deepEqual(m.layers.map((l) => l.className), tm.layers.map((l) => l.getClassName()));
  assert.equal(m.countParams(), tm.countParams());
  assert.equal(m.compiled, undefined); // no Regula training state in a TF.js directory
  const x = randomX([7, 10, 2], 8);
  const expected = (tm.predict(toTf(x)) as tf.Tensor).dataSync();
  assertClose(m.predict(x).data, expected, { ...TOL, label: 'Regula vs TF.js predictions' });
  // And straight from TF.js's in-memory handler, no files.
  const m2 = await loadModel(tf.io.fromMemory(artifacts));
  assertClose(m2.predict(x).data, expected, { ...TOL, label: 'via tf.io.fromMemory' });
});

test('TF.js-saved model with includeOptimizer: optimizer weights are ignored, model weights load', async () => {
  await tfCpu();
  const tm = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 2 })] });
  tm.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  await tm.fit(tf.randomNormal([8, 4], 0, 1, 'float32', 1), tf.randomNormal([8, 2], 0, 1, 'float32', 2), { epochs: 1, verbose: 0 });
  let saved: tf.io.ModelArtifacts | undefined;
  await tm.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  assert.ok(saved!.weightSpecs!.some((s) => s.group === 'optimizer'));
  const m = await loadModel(saved! as never);
  const x = randomX([5, 4], 3);
  assertClose(m.predict(x).data, (tm.predict(toTf(x)) as tf.Tensor).dataSync(), { ...TOL, label: 'includeOptimizer file' });
});
