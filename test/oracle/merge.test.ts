/**
 * Merge layers against TF.js 4.22 (CPU backend): Add, Subtract, Multiply,
 * Average, Maximum, Minimum, Concatenate and Dot give the same values and
 * shapes on identical inputs (TF.js `tf.layers.add().apply([a, b])`), the
 * same symbolic output shapes, their configs load through TF.js's own
 * deserializer and TF.js's configs load in Regula, and a functional model
 * with merge layers moves between the two libraries in the TF.js Layers
 * format (in-memory artifacts) and predicts the same (Subtract, which
 * TF.js lacks, is checked within Regula: a saved model with it loads back).
 *
 * Float32 tolerance: rtol 1e-5, atol 1e-6.
 *
 * Differences found (Regula follows Keras 3), each checked below:
 * - TF.js 4.22 has no Subtract layer (Keras has): Regula's Subtract is
 *   compared with `tf.sub`, and TF.js's deserializer refuses its config, so a
 *   model with Subtract saved by Regula does not load in TF.js;
 * - `Dot({normalize: true})` L2-normalizes with Keras's x / max(‖x‖, 1e-7);
 *   TF.js clamps the squared norm instead, x / sqrt(max(Σx², 1e-7)), so
 *   vectors of norm below ~3.2e-4 differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from '@tensorflow/tfjs-layers/dist/layers/serialization.js';
import { convertPythonicToTs, convertTsToPythonic } from '@tensorflow/tfjs-layers/dist/utils/serialization_utils.js';
import { fromArtifacts, input, layers, model, randomNormal, tensor, toArtifacts, type Layer, type Tensor } from '../../src/index.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Concatenate } from '../../src/layers/concatenate.js';
import type { Dot } from '../../src/layers/dot.js';
import type { Merge } from '../../src/layers/merge.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, tfData, toTf } from '../helpers/tfjs.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };
type Json = Record<string, unknown>;

/** Applies both layers to the same concrete inputs and compares shapes and values. */
function compare(ours: Layer, theirs: tf.layers.Layer, xs: Tensor[], label: string): void {
  const y = ours.apply(xs) as Tensor;
  const ref = tf.tidy(() => {
    const t = theirs.apply(xs.map(toTf)) as tf.Tensor;
    return { shape: [...t.shape], data: tfData(t) };
  });
  assert.deepEqual([...y.shape], ref.shape, `${label}: shape`);
  assertClose(y.data, ref.data, { ...TOL, label });
}

/** The elementwise merges TF.js 4.22 has (it has no Subtract). */
const ELEMENTWISE = ['add', 'multiply', 'average', 'maximum', 'minimum'] as const;

test('elementwise merges agree with TF.js on 2 and 3 inputs and on a lower-rank input', async () => {
  await tfCpu();
  const xs = [0, 1, 2].map((i) => randomNormal([4, 3, 5], { seed: 10 + i }));
  const low = randomNormal([4, 5], { seed: 20 });
  for (const name of ELEMENTWISE) {
    compare(layers[name](), tf.layers[name]({}), xs.slice(0, 2), `${name} of 2`);
    compare(layers[name](), tf.layers[name]({}), xs, `${name} of 3`);
    // Rank 3 with rank 2: both expand the lower-rank input at axis 1 and broadcast.
    compare(layers[name](), tf.layers[name]({}), [xs[0]!, low], `${name} rank 3 + rank 2`);
  }
  // Subtract (no TF.js layer): TF.js's sub of the same inputs, the rank-2 one expanded at axis 1.
  for (const [ys, label] of [
    [xs.slice(0, 2), 'subtract'],
    [[xs[0]!, low], 'subtract rank 3 + rank 2'],
  ] as const) {
    const y = layers.subtract().apply([...ys]);
    const ref = tf.tidy(() => tf.sub(toTf(ys[0]!), ys[1]!.rank === 2 ? tf.expandDims(toTf(ys[1]!), 1) : toTf(ys[1]!)));
    assert.deepEqual([...y.shape], ref.shape, `${label}: shape`);
    assertClose(y.data, tfData(ref), { ...TOL, label });
  }
});

test('Concatenate agrees with TF.js on axis 1 and -1, rank 2 and 3, 3 inputs', async () => {
  await tfCpu();
  const a = randomNormal([3, 4], { seed: 1 });
  const b = randomNormal([3, 2], { seed: 2 });
  compare(layers.concatenate({ axis: 1 }), tf.layers.concatenate({ axis: 1 }), [a, b], 'rank 2 axis 1');
  compare(layers.concatenate(), tf.layers.concatenate(), [a, b, a], 'rank 2 axis -1, 3 inputs');
  const p = randomNormal([2, 3, 4], { seed: 3 });
  const q = randomNormal([2, 5, 4], { seed: 4 });
  const r = randomNormal([2, 3, 2], { seed: 5 });
  compare(layers.concatenate({ axis: 1 }), tf.layers.concatenate({ axis: 1 }), [p, q], 'rank 3 axis 1');
  compare(layers.concatenate({ axis: -1 }), tf.layers.concatenate({ axis: -1 }), [p, r], 'rank 3 axis -1');
  compare(layers.concatenate({ axis: 2 }), tf.layers.concatenate({ axis: 2 }), [p, r, p], 'rank 3 axis 2');
});

test('Dot agrees with TF.js: axes 1 (rank 2), 1, 2, -1, [1, 2], [2, 1] (rank 3), normalize', async () => {
  await tfCpu();
  const cases: [number | [number, number], number[], number[]][] = [
    [1, [4, 5], [4, 5]],
    [-1, [4, 5], [4, 5]],
    [1, [2, 4, 3], [2, 4, 5]],
    [2, [2, 3, 4], [2, 5, 4]],
    [-1, [2, 3, 4], [2, 5, 4]],
    [[1, 2], [2, 4, 3], [2, 5, 4]],
    [[2, 1], [2, 3, 4], [2, 4, 5]],
  ];
  cases.forEach(([axes, sx, sy], i) => {
    const x = randomNormal(sx, { seed: 30 + i });
    const y = randomNormal(sy, { seed: 50 + i });
    for (const normalize of [false, true]) {
      compare(layers.dot({ axes, normalize }), tf.layers.dot({ axes, normalize }), [x, y], `dot axes ${JSON.stringify(axes)} normalize ${normalize}`);
    }
  });
});

test("Dot normalize on tiny vectors: Regula follows Keras's x / max(‖x‖, 1e-7); TF.js clamps Σx² at 1e-7", async () => {
  await tfCpu();
  const x = tensor([[3e-5, 4e-5]]);
  const y = tensor([[3e-5, 4e-5]]);
  const ours = layers.dot({ axes: 1, normalize: true }).apply([x, y]);
  assertClose(ours.data, [1], TOL); // two unit vectors
  const theirs = tfData(tf.layers.dot({ axes: 1, normalize: true }).apply([toTf(x), toTf(y)]) as tf.Tensor);
  assertClose(theirs, [2.5e-9 / 1e-7], TOL); // TF.js: each vector divided by sqrt(1e-7) ≈ 3.16e-4
});

test('symbolic output shapes equal TF.js SymbolicTensor shapes', async () => {
  await tfCpu();
  const cases: [() => Merge, () => tf.layers.Layer, number[][]][] = [
    [() => layers.add(), () => tf.layers.add({}), [[4], [4]]],
    [() => layers.maximum(), () => tf.layers.maximum({}), [[3, 4], [4]]],
    [() => layers.multiply(), () => tf.layers.multiply({}), [[1, 4], [3, 1], [3, 4]]],
    [() => layers.concatenate({ axis: 1 }), () => tf.layers.concatenate({ axis: 1 }), [[2, 4], [3, 4]]],
    [() => layers.concatenate(), () => tf.layers.concatenate({}), [[2, 4], [2, 1]]],
    [() => layers.dot({ axes: 1 }), () => tf.layers.dot({ axes: 1 }), [[4], [4]]],
    [() => layers.dot({ axes: [1, 2] }), () => tf.layers.dot({ axes: [1, 2] }), [[4, 3], [5, 4]]],
  ];
  for (const [ours, theirs, shapes] of cases) {
    const s = ours().apply(shapes.map((shape) => input({ shape })));
    const t = theirs().apply(shapes.map((shape) => tf.input({ shape }))) as tf.SymbolicTensor;
    assert.deepEqual(s.shape, t.shape, `${ours().className} on ${JSON.stringify(shapes)}`);
  }
});

/** Regula config → TF.js layer (its JSON deserializer) → TF.js config in model.json (pythonic) form. */
function throughTfjs(layer: Layer): { className: string; config: Json } {
  const json = JSON.parse(JSON.stringify({ class_name: layer.className, config: layer.getConfig() })) as Json;
  const tfLayer = deserialize(convertPythonicToTs(json as never) as never) as unknown as tf.layers.Layer;
  return { className: tfLayer.getClassName(), config: convertTsToPythonic(tfLayer.getConfig() as never) as Json };
}

test('TF.js deserializes every merge layer config Regula writes, with the same hyperparameters', async () => {
  await tfCpu();
  const cases: [Layer, string[]][] = [
    ...ELEMENTWISE.map((n) => [layers[n]({ name: `m_${n}` }), ['name', 'trainable']] as [Layer, string[]]),
    [layers.concatenate({ name: 'cat' }), ['name', 'axis']],
    [layers.concatenate({ axis: 1 }), ['axis']],
    [layers.dot({ axes: 1 }), ['axes', 'normalize']],
    [layers.dot({ axes: [1, 2], normalize: true, name: 'cos' }), ['axes', 'normalize', 'name']],
  ];
  for (const [layer, keys] of cases) {
    const theirs = throughTfjs(layer);
    assert.equal(theirs.className, layer.className);
    const ours = layer.getConfig();
    for (const k of keys) assert.deepEqual(theirs.config[k], ours[k], `${layer.className}.${k}`);
    // And back: TF.js's config loads in Regula with the same config.
    assert.deepEqual(layerFromConfig({ class_name: theirs.className, config: theirs.config }).getConfig(), ours, `${layer.className}: back from TF.js`);
  }
  // TF.js 4.22 has no Subtract layer: its deserializer refuses Regula's (Keras's) config.
  assert.throws(() => throughTfjs(layers.subtract()), /Unknown layer: Subtract/);
});

test('configs written by TF.js merge layers load in Regula', async () => {
  await tfCpu();
  const pythonic = (l: tf.layers.Layer): { class_name: string; config: Json } => ({
    class_name: l.getClassName(),
    config: JSON.parse(JSON.stringify(convertTsToPythonic(l.getConfig() as never))) as Json,
  });
  for (const name of ELEMENTWISE) {
    const cfg = pythonic(tf.layers[name]({ name: `t_${name}` }));
    const ours = layerFromConfig(cfg);
    assert.equal(ours.className, cfg.class_name);
    assert.equal(ours.name, `t_${name}`);
  }
  const cat = layerFromConfig(pythonic(tf.layers.concatenate({ axis: 1, name: 'tc' }))) as Concatenate;
  assert.deepEqual([cat.className, cat.name, cat.axis], ['Concatenate', 'tc', 1]);
  assert.equal((layerFromConfig(pythonic(tf.layers.concatenate())) as Concatenate).axis, -1);
  const d = layerFromConfig(pythonic(tf.layers.dot({ axes: [1, 2], normalize: true }))) as Dot;
  assert.deepEqual([d.axes, d.normalize], [[1, 2], true]);
  const d1 = layerFromConfig(pythonic(tf.layers.dot({ axes: -1 }))) as Dot;
  assert.deepEqual([d1.axes, d1.normalize], [-1, false]);
});

test('a two-input model of add predicts a + b; merge models move to TF.js and back in the Layers format', async () => {
  await tfCpu();
  const a = input({ shape: [4], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const s = layers.add({ name: 'sum' }).apply([a, b]);
  assert.deepEqual(s.shape, [null, 4]);
  const m = model({ inputs: [a, b], outputs: s });
  const xa = randomNormal([3, 4], { seed: 1 });
  const xb = randomNormal([3, 4], { seed: 2 });
  assertClose((m.predict([xa, xb]) as Tensor).data, Array.from(xa.data, (v, i) => Math.fround(v + xb.data[i]!)), { rtol: 0, atol: 0, label: 'a + b' });

  // Every merge layer in one graph, with dense layers around them; Regula → TF.js.
  const p = input({ shape: [4], name: 'p' });
  const q = input({ shape: [4], name: 'q' });
  const hp = layers.dense({ units: 3, activation: 'tanh', name: 'hp' }).apply(p);
  const hq = layers.dense({ units: 3, name: 'hq' }).apply(q);
  const merged = [
    layers.add({ name: 'm_add' }).apply([hp, hq]),
    layers.multiply({ name: 'm_mul' }).apply([hp, hq]),
    layers.average({ name: 'm_avg' }).apply([hp, hq]),
    layers.maximum({ name: 'm_max' }).apply([hp, hq]),
    layers.minimum({ name: 'm_min' }).apply([hp, hq]),
    layers.dot({ axes: 1, normalize: true, name: 'm_cos' }).apply([hp, hq]),
  ];
  const cat = layers.concatenate({ name: 'm_cat' }).apply(merged);
  const out = layers.dense({ units: 2, name: 'out' }).apply(cat);
  const big = model({ inputs: [p, q], outputs: out, seed: 3 });
  const xp = randomNormal([5, 4], { seed: 3 });
  const xq = randomNormal([5, 4], { seed: 4 });
  const expected = (big.predict([xp, xq]) as Tensor).data;
  const artifacts = toArtifacts(big);
  const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  assert.deepEqual(
    tfModel.layers.map((l) => l.getClassName()).filter((c) => c !== 'InputLayer' && c !== 'Dense'),
    ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Dot', 'Concatenate'],
  );
  const got = tfModel.predict([toTf(xp), toTf(xq)]) as tf.Tensor;
  assertClose(got.dataSync(), expected, { ...TOL, label: 'TF.js predicts the Regula model' });

  // TF.js → Regula: the model TF.js loaded, saved again by TF.js.
  let saved: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (x) => ((saved = x), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const back = fromArtifacts(saved!);
  assertClose((back.predict([xp, xq]) as Tensor).data, got.dataSync(), { ...TOL, label: 'Regula predicts the TF.js-saved model' });
  assert.equal(back.countParams(), tfModel.countParams());

  // Subtract (Keras has it, TF.js does not): a model with it round-trips through Regula's artifacts.
  const diff = model({ inputs: [p, q], outputs: layers.subtract({ name: 'm_sub' }).apply([hp, hq]), seed: 4 });
  const diffBack = fromArtifacts(toArtifacts(diff));
  assert.equal(diffBack.layers.find((l) => l.name === 'm_sub')!.className, 'Subtract');
  assertClose((diffBack.predict([xp, xq]) as Tensor).data, (diff.predict([xp, xq]) as Tensor).data, { rtol: 0, atol: 0, label: 'Subtract model round trip' });
});
