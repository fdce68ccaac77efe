/**
 * The regula/tfjs surface against @tensorflow/tfjs 4.22 (cpu): the same
 * expression on both gives the same values, shapes and dtypes; tidy,
 * dispose and memory behave as in TF.js; random creators; backends;
 * TF.js's log names, evaluate scalars and callbacks on models; save and
 * load through file:// URLs, model.json paths and in-memory handlers (and a
 * Regula save loaded by TF.js); datasets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import * as tf from '../../src/tfjs/index.js';
import { layers as coreLayers } from '../../src/layers/index.js';
import { tfCpu } from '../helpers/tfjs.js';

type TF = typeof tf;
const dir = mkdtempSync(join(tmpdir(), 'regula-tfjs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): boolean => a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= tol * Math.max(1, Math.abs(v)));

/** Expressions written once, run on both libraries. `bool` marks TF.js results of dtype bool (Regula: int32 0/1). */
const CASES: [string, (t: TF) => tf.Tensor, 'bool'?][] = [
  ['add/sub/mul/div chain', (t) => t.tensor2d([[1, 2], [3, 4]]).add(1).sub(t.scalar(0.5)).mul(t.tensor1d([2, 3])).div(2)],
  ['int32 add stays int32', (t) => t.tensor1d([1, 2, 3], 'int32').add(t.tensor1d([4, 5, 6], 'int32'))],
  ['int32 div is floor division', (t) => t.tensor1d([7, -7, 9], 'int32').div(t.tensor1d([2, 2, 3], 'int32'))],
  ['matMul with transposes', (t) => t.tensor2d([[1, 2, 3], [4, 5, 6]]).matMul(t.tensor2d([[1, 0, 2], [0, 1, 1]]), false, true)],
  ['mean(0), sum(1, keepDims)', (t) => t.tensor2d([[1, 2], [3, 5]]).mean(0).add(t.tensor2d([[1, 2], [3, 5]]).sum(1, true))],
  ['sum of int32 is int32', (t) => t.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32').sum()],
  ['argMax defaults to axis 0', (t) => t.tensor2d([[1, 9], [5, 2], [3, 4]]).argMax()],
  ['argMax(-1)', (t) => t.tensor2d([[1, 9], [5, 2], [3, 4]]).argMax(-1)],
  ['max/min', (t) => t.tensor2d([[1, 9], [5, 2]]).max(1).sub(t.tensor2d([[1, 9], [5, 2]]).min(0))],
  ['slice(number)', (t) => t.tensor2d([[1, 2], [3, 4], [5, 6]]).slice(1)],
  ['slice with -1 size', (t) => t.tensor2d([[1, 2, 3], [4, 5, 6]]).slice([0, 1], [-1, 2])],
  ['reshape -1, transpose', (t) => t.range(0, 6).reshape([-1, 3]).transpose()],
  ['expandDims, squeeze', (t) => t.tensor1d([1, 2]).expandDims(1).squeeze()],
  ['gather rows', (t) => t.tensor2d([[1, 2], [3, 4], [5, 6]]).gather([2, 0])],
  ['concat along 1', (t) => t.concat([t.tensor2d([[1], [2]]), t.tensor2d([[3], [4]])], 1)],
  ['stack, unstack', (t) => t.stack(t.tensor2d([[1, 2], [3, 4]]).unstack(1), 0)],
  ['split, tile', (t) => t.tile(t.split(t.tensor1d([1, 2, 3, 4]), 2)[1]!, [2])],
  ['oneHot is int32', (t) => t.oneHot(t.tensor1d([0, 2, 1], 'int32'), 3)],
  ['toInt truncates, toFloat', (t) => t.tensor1d([1.7, -1.7, 2.5]).toInt().toFloat()],
  ['cast', (t) => t.tensor1d([3.9]).cast('int32')],
  ['square sqrt exp log abs neg', (t) => t.tensor1d([1, 4, 0.5]).square().sqrt().exp().log().neg().abs()],
  ['sigmoid tanh relu softmax', (t) => t.tensor2d([[-1, 0, 2]]).sigmoid().add(t.tensor2d([[-1, 0, 2]]).tanh()).relu().softmax()],
  ['clipByValue, pow, maximum', (t) => t.tensor1d([-2, 0.5, 3]).clipByValue(-1, 2).pow(2).maximum(0.3)],
  ['round half to even, floor, ceil', (t) => t.tensor1d([0.5, 1.5, 2.5, -0.5]).round().add(t.tensor1d([1.2, -1.2, 0, 0]).floor()).add(t.tensor1d([1.2, -1.2, 0, 0]).ceil())],
  ['moments', (t) => { const m = t.moments(t.tensor2d([[1, 2], [3, 6]]), 0); return t.concat([m.mean, m.variance]); }],
  ['linspace, range', (t) => t.linspace(0, 1, 5).add(t.range(0, 10, 2))],
  ['zeros, ones, fill, eye', (t) => t.zeros([2, 2]).add(t.ones([2, 2])).add(t.fill([2, 2], 3)).add(t.eye(2))],
  ['where', (t) => t.where(t.tensor1d([1, 0, 1]).greater(0), t.tensor1d([1, 2, 3]), t.tensor1d([9, 8, 7]))],
  ['equal', (t) => t.tensor1d([1, 2, 3]).equal(t.tensor1d([1, 0, 3])), 'bool'],
  ['greater', (t) => t.tensor1d([1, 2, 3]).greater(2), 'bool'],
  ['losses.meanSquaredError', (t) => t.losses.meanSquaredError(t.tensor2d([[1, 2]]), t.tensor2d([[2, 4]]))],
  ['losses.softmaxCrossEntropy', (t) => t.losses.softmaxCrossEntropy(t.tensor2d([[0, 1], [1, 0]]), t.tensor2d([[0.2, 0.8], [2, -1]]))],
  ['losses.sigmoidCrossEntropy with weights', (t) => t.losses.sigmoidCrossEntropy(t.tensor1d([0, 1, 1]), t.tensor1d([0.5, -1, 2]), t.tensor1d([1, 0, 2]))],
  ['metrics.categoricalAccuracy', (t) => t.metrics.categoricalAccuracy(t.tensor2d([[0, 1], [1, 0]]), t.tensor2d([[0.2, 0.8], [0.3, 0.7]]))],
  ['metrics.binaryAccuracy', (t) => t.metrics.binaryAccuracy(t.tensor2d([[1], [0]]), t.tensor2d([[0.7], [0.6]]))],
];

test('tensor creation and chained ops give TF.js values, shapes and dtypes', async () => {
  const real = (await tfCpu()) as unknown as TF;
  for (const [name, f, bool] of CASES) {
    const a = f(tf);
    const b = f(real);
    assert.deepEqual(a.shape, b.shape, `${name}: shape`);
    assert.equal(a.dtype, bool ? 'int32' : b.dtype, `${name}: dtype`);
    assert.equal(b.dtype, bool ? 'bool' : b.dtype);
    assert.ok(close(a.dataSync(), b.dataSync()), `${name}: ${Array.from(a.dataSync())} vs TF.js ${Array.from(b.dataSync())}`);
    assert.ok(close([a.arraySync()].flat(8) as number[], [b.arraySync()].flat(8) as number[]), `${name}: arraySync`);
  }
});

test('data(), array(), print() and toString() read like TF.js', async () => {
  const t = tf.tensor2d([[1, 2], [3, 4]]);
  assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
  assert.deepEqual(await t.array(), [[1, 2], [3, 4]]);
  assert.equal(t.toString(), 'Tensor\n    [[1, 2],\n     [3, 4]]');
  assert.equal(t.rank, 2);
  assert.equal(t.size, 4);
  assert.deepEqual(t.strides, [2]);
  assert.equal(tf.scalar(3, 'int32').toString(), 'Tensor\n    3');
});

test('tidy disposes what it made except the result and kept tensors; disposed tensors throw as in TF.js', () => {
  const before = tf.memory().numTensors;
  let inner: tf.Tensor | undefined;
  let kept: tf.Tensor | undefined;
  const out = tf.tidy(() => {
    inner = tf.tensor1d([1, 2]).square();
    kept = tf.keep(tf.tensor1d([5]));
    return inner.add(1);
  });
  assert.deepEqual(Array.from(out.dataSync()), [2, 5]);
  assert.ok(inner!.isDisposed);
  assert.throws(() => inner!.dataSync(), /Tensor is disposed/);
  assert.ok(!kept!.isDisposed);
  assert.equal(tf.memory().numTensors, before + 2);
  tf.dispose([out, { k: kept! }]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => out.add(1), /Tensor is disposed/);
  assert.equal(tf.memory().unreliable, true);
  assert.throws(() => tf.tidy((() => Promise.resolve(1)) as never), /Cannot return a Promise/);
});

test('random creators: unseeded calls differ and setSeed replays them; seeds repeat; int32 rounds', () => {
  tf.setSeed(3);
  const a = tf.randomNormal([5]).dataSync();
  const b = tf.randomNormal([5]).dataSync();
  assert.ok(!close(a, b));
  tf.setSeed(3);
  assert.ok(close(tf.randomNormal([5]).dataSync(), a));
  assert.ok(close(tf.randomUniform([4], 0, 1, 'float32', 7).dataSync(), tf.randomUniform([4], 0, 1, 'float32', 7).dataSync()));
  assert.ok(close(tf.randomUniform([3], 0, 1, 'float32', 'seed').dataSync(), tf.randomUniform([3], 0, 1, 'float32', 'seed').dataSync()));
  const ints = tf.randomUniform([100], -3, 3, 'int32', 1);
  assert.equal(ints.dtype, 'int32');
  assert.ok(Array.from(ints.dataSync()).every((v) => Number.isInteger(v) && v >= -3 && v <= 3));
  const n = tf.randomNormal([2000], 2, 0.5, 'float32', 9);
  assert.ok(Math.abs(n.mean().dataSync()[0]! - 2) < 0.05);
  assert.ok(Array.from(tf.truncatedNormal([500], 0, 1, 'float32', 2).dataSync()).every((v) => Math.abs(v) <= 2));
  const arr = [1, 2, 3, 4, 5, 6, 7, 8];
  tf.util.shuffle(arr);
  assert.deepEqual([...arr].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test("backends: 'cpu' is Regula's reference backend, 'wasm' the default; TF.js-only backends resolve false, unknown names throw", async () => {
  const start = tf.getBackend();
  assert.equal(await tf.setBackend('cpu'), true);
  assert.equal(tf.getBackend(), 'cpu');
  assert.deepEqual(Array.from(tf.tensor1d([1, 2]).mul(3).dataSync()), [3, 6]);
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.equal(await tf.setBackend('webgl'), false);
  } finally {
    console.warn = warn;
  }
  await assert.rejects(tf.setBackend('nope'), /Backend name 'nope' not found/);
  await tf.setBackend(start);
  assert.equal(tf.getBackend(), start);
  await tf.ready();
});

function classifier(t: TF): tf.Sequential {
  const m = t.sequential({ layers: [t.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), t.layers.dense({ units: 2, activation: 'softmax' })] });
  m.compile({ optimizer: t.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
const xy = (t: TF): [tf.Tensor, tf.Tensor] => {
  const xs = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i * 1.7)]);
  return [t.tensor2d(xs), t.oneHot(t.tensor1d(xs.map(([a]) => (a! > 0 ? 1 : 0)), 'int32'), 2)];
};

test("models log TF.js's names (acc, val_acc) and evaluate returns scalars, as @tensorflow/tfjs does", async () => {
  const real = (await tfCpu()) as unknown as TF;
  for (const t of [tf, real]) {
    const m = classifier(t);
    const [x, y] = xy(t);
    const seen: string[][] = [];
    const h = await m.fit(x, y, { epochs: 2, batchSize: 10, validationSplit: 0.25, callbacks: { onEpochEnd: (_e, logs) => void seen.push(Object.keys(logs!).sort()) } });
    assert.deepEqual(seen[0], ['acc', 'loss', 'val_acc', 'val_loss']);
    assert.deepEqual(Object.keys(h.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
    const ev = m.evaluate(x, y) as tf.Scalar[];
    assert.equal(ev.length, 2);
    assert.equal(ev[0]!.rank, 0);
    const p = m.predict(x) as tf.Tensor;
    assert.deepEqual(p.shape, [40, 2]);
  }
  const reg = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  reg.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const one = reg.evaluate(tf.ones([3, 2]), tf.zeros([3, 1]));
  assert.ok(one instanceof tf.Tensor && one.rank === 0);
  assert.equal(typeof (await reg.trainOnBatch(tf.ones([3, 2]), tf.zeros([3, 1]))), 'number');
});

test("earlyStopping({monitor: 'val_acc'}) stops, a tf.Callback subclass sees the model, custom loss and metric functions train", async () => {
  const m = classifier(tf);
  const [x, y] = xy(tf);
  let calls = 0;
  const h = await m.fit(x, y, { epochs: 50, validationData: [x, y], callbacks: [tf.callbacks.earlyStopping({ monitor: 'val_acc', patience: 1, mode: 'max' })] });
  assert.ok(h.epoch.length < 50, `stopped after ${h.epoch.length} epochs`);
  class StopAt2 extends tf.Callback<tf.LayersModel> {
    override async onEpochEnd(epoch: number): Promise<void> {
      calls++;
      if (epoch === 1) this.model!.stopTraining = true;
    }
  }
  const h2 = await m.fit(x, y, { epochs: 10, callbacks: [new StopAt2()], yieldEvery: 'never' });
  assert.equal(calls, 2);
  assert.equal(h2.epoch.length, 2);
  const c = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
  const myLoss = (yt: tf.Tensor, yp: tf.Tensor): tf.Tensor => tf.losses.meanSquaredError(yt, yp);
  c.compile({ optimizer: tf.train.sgd(0.5), loss: myLoss, metrics: [tf.metrics.categoricalAccuracy, tf.metrics.precision] });
  const h3 = await c.fit(x, y, { epochs: 3 });
  assert.deepEqual(Object.keys(h3.history).sort(), ['categoricalAccuracy', 'loss', 'precision']);
  assert.ok(h3.history['loss']![2]! < h3.history['loss']![0]!);
  await assert.rejects(c.fit(x, y, { epoch: 3 } as never), /unknown option 'epoch'.*did you mean 'epochs'/);
});

test('save to a file:// URL and loadLayersModel from it or its model.json; tf.io handlers; TF.js loads what regula/tfjs saved', async () => {
  const m = classifier(tf);
  const [x] = xy(tf);
  const want = (m.predict(x) as tf.Tensor).dataSync();
  const url = pathToFileURL(join(dir, 'm1')).href;
  const res = await m.save(url);
  assert.equal(res.modelArtifactsInfo.modelTopologyType, 'JSON');
  for (const src of [url, `${url}/model.json`, join(dir, 'm1', 'model.json')]) {
    const back = await tf.loadLayersModel(src);
    assert.ok(back instanceof tf.Sequential);
    assert.ok(close((back.predict(x) as tf.Tensor).dataSync(), want), src);
  }
  let artifacts: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  assert.ok(close((back.predict(x) as tf.Tensor).dataSync(), want));
  // TF.js's browser stores are refused naming the scheme (Regula's io), never written as a folder.
  await assert.rejects(m.save('localstorage://my-model'), /localstorage/i);
  const real = await tfCpu();
  const inTf = await real.loadLayersModel(real.io.fromMemory(artifacts as never));
  assert.ok(close((inTf.predict(real.tensor2d(Array.from(x.dataSync()), [40, 2])) as import('@tensorflow/tfjs').Tensor).dataSync(), want));
});

test('functional models: tf.input, layer.apply, tf.model; layers wrap weights as tensors', async () => {
  const inp = tf.input({ shape: [3] });
  const d = tf.layers.dense({ units: 2 });
  const out = d.apply(tf.layers.dense({ units: 4, activation: 'relu' }).apply(inp)) as tf.SymbolicTensor;
  const m = tf.model({ inputs: inp, outputs: out });
  assert.deepEqual(m.outputs[0]!.shape, [null, 2]);
  assert.deepEqual(d.outputShape, [null, 2]);
  const w = d.getWeights();
  assert.ok(w[0] instanceof tf.Tensor);
  assert.deepEqual(w[0]!.shape, [4, 2]);
  d.setWeights([tf.zeros([4, 2]), tf.ones([2])]);
  assert.deepEqual(Array.from((m.predict(tf.ones([1, 3])) as tf.Tensor).dataSync()), [1, 1]);
  assert.deepEqual(Array.from((d.apply(tf.ones([1, 4])) as tf.Tensor).dataSync()), [1, 1]);
  assert.equal(m.getLayer(undefined, 2).name, d.name);
  assert.equal(d.weights[1]!.read().dataSync()[0], 1);
  // TF.js layers Regula lacks are never-typed and throw (a name Regula gains becomes its factory).
  const missing = ['conv3d', 'timeDistributed', 'masking', 'thresholdedReLU'].filter((n) => !(n in coreLayers));
  for (const n of missing) assert.throws(() => (tf.layers[n as keyof typeof tf.layers] as unknown as () => void)(), new RegExp(`tf.layers.${n} is not provided by regula/tfjs`));
});

test('tf.data: array, zip, batch, map, filter, take, skip, repeat; shuffle is a seeded permutation; generators stay lazy', async () => {
  const ds = tf.data.zip<{ a: number; b: number[] }>({ a: tf.data.array([1, 2, 3, 4, 5]), b: tf.data.array([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]) });
  const batches = (await ds.batch(2).toArray()) as { a: tf.Tensor; b: tf.Tensor }[];
  assert.equal(batches.length, 3);
  assert.deepEqual(batches[0]!.b.arraySync(), [[1, 1], [2, 2]]);
  assert.deepEqual(Array.from(batches[2]!.a.dataSync()), [5]);
  assert.deepEqual(await tf.data.array([1, 2, 3, 4, 5, 6]).skip(1).filter((v) => v % 2 === 0).map((v) => v * 10).take(2).repeat(2).toArray(), [20, 40, 20, 40]);
  const s1 = await tf.data.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).shuffle(4, 'x', false).toArray();
  const s2 = await tf.data.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).shuffle(4, 'x', false).toArray();
  assert.deepEqual(s1, s2);
  assert.deepEqual([...s1].sort((p, q) => p - q), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(s1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  let made = 0;
  const endless = tf.data.generator(function* () {
    for (;;) yield made++;
  });
  assert.deepEqual(await endless.take(3).toArray(), [0, 1, 2]);
  assert.ok(made <= 4);
});

test('tf.data.csv streams a file (path or file:// URL) into {xs, ys} rows that fitDataset trains on', async () => {
  const path = join(dir, 'data.csv');
  const rows = Array.from({ length: 60 }, (_, i) => `${Math.sin(i).toFixed(3)},${Math.cos(i).toFixed(3)},${Math.sin(i) > 0 ? 1 : 0}`);
  writeFileSync(path, `a,b,label\n${rows.join('\n')}\n`);
  const csv = tf.data.csv(pathToFileURL(path).href, { columnConfigs: { label: { isLabel: true } } });
  assert.deepEqual(await csv.columnNames(), ['a', 'b', 'label']);
  const first = (await csv.take(1).toArray())[0] as { xs: { a: number; b: number }; ys: { label: number } };
  assert.deepEqual(first, { xs: { a: 0, b: 1 }, ys: { label: 0 } });
  const ds = tf.data.csv(path, { columnConfigs: { label: { isLabel: true } } })
    .map((r) => {
      const { xs, ys } = r as { xs: Record<string, number>; ys: Record<string, number> };
      return { xs: Object.values(xs), ys: Object.values(ys) };
    })
    .batch(10);
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
  m.compile({ optimizer: tf.train.adam(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await m.fitDataset(ds, { epochs: 5 });
  assert.deepEqual(Object.keys(h.history).sort(), ['acc', 'loss']);
  assert.ok(h.history['loss']![4]! < h.history['loss']![0]!);
  const ev = (await m.evaluateDataset(ds as tf.data.Dataset<tf.TensorContainer>, {})) as tf.Scalar[];
  assert.equal(ev.length, 2);
});
