/**
 * 2-D pooling and image shape layers vs TF.js 4.22 (CPU backend): same inputs
 * → same outputs within RTOL/ATOL below, for every layer TF.js has (it has no
 * SpatialDropout2D), plus the max/avg pooling gradients, BatchNormalization
 * and LayerNormalization on rank-4 inputs, and configs through TF.js's own
 * deserializer both ways. Where TF.js differs from Keras 3 the test pins the
 * difference (docs/semantics.md, "Pooling and shape layers in 2-D"):
 * - UpSampling2D bilinear: TF.js samples without half-pixel centers; Regula
 *   equals tf.image.resizeBilinear with halfPixelCenters (Keras 3, TF).
 * - avgPool 'same' gradient: TF.js divides by the full window area even where
 *   its forward pass divided by the valid count; Regula's gradient is the
 *   derivative of the forward pass (TF's AvgPoolGrad).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from '@tensorflow/tfjs-layers/dist/layers/serialization.js';
import { convertPythonicToTs, convertTsToPythonic } from '@tensorflow/tfjs-layers/dist/utils/serialization_utils.js';
import { layers } from '../../src/layers/index.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Layer } from '../../src/layers/layer.js';
import { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { LayerNormalization } from '../../src/layers/layer-normalization.js';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { avgPool2d, maxPool2d, pool2dGeometry } from '../../src/ops/pool2d.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduce.js';
import { transpose } from '../../src/ops/shape-ops.js';
import { Rng } from '../../src/random.js';
import { randomNormal, randomUniform, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers/assert-close.js';
import { runTfLayer, tf, tfCpu, tfData, tfWeights, toTf } from '../helpers/tfjs.js';

const RTOL = 1e-5;
const ATOL = 1e-6;

type Json = Record<string, unknown>;

/** Builds `ours` on x, gives both the same weights, runs both; compares outputs, shapes and parameter counts. */
function compare(ours: Layer, theirs: tf.layers.Layer, x: Tensor, label: string, training = false, weights?: Tensor[]): Tensor {
  ours.apply(x, { training: false }, new Rng(7));
  const w = weights ?? ours.getWeights().map((v, i) => randomNormal(v.shape, { seed: 50 + i, stddev: 0.5 }));
  ours.setWeights(w);
  const y = ours.apply(x, { training });
  const ref = runTfLayer(theirs, x, w, training);
  assert.deepEqual([...y.shape], ref.shape, `${label}: shape`);
  assertClose(y.data, ref.data, { rtol: RTOL, atol: ATOL, label });
  assert.equal(ours.countParams(), theirs.countParams(), `${label}: countParams`);
  return y;
}

/** Values on a 1/4 grid: many ties inside pooling windows. */
const grid = (shape: number[], seed: number): Tensor => tensor(Array.from(randomUniform(shape, { minval: -2, maxval: 2, seed }).data, (v) => Math.round(v * 4) / 4), shape);

const WINDOWS: { poolSize: number | [number, number]; strides?: number | [number, number] }[] = [
  { poolSize: 2 },
  { poolSize: 3, strides: 1 },
  { poolSize: [3, 2], strides: [2, 1] },
  { poolSize: 2, strides: 3 },
  { poolSize: [1, 4], strides: [2, 3] },
  { poolSize: 4, strides: 2 },
];

test('MaxPooling2D and AveragePooling2D agree with TF.js (valid/same, odd sizes, stride > pool, ties)', async () => {
  await tfCpu();
  const x = grid([2, 7, 9, 3], 1);
  for (const padding of ['valid', 'same'] as const) {
    for (const w of WINDOWS) {
      const args = { ...w, padding };
      const label = JSON.stringify(args);
      compare(layers.maxPooling2d(args), tf.layers.maxPooling2d(args), x, `maxPooling2d ${label}`);
      compare(layers.averagePooling2d(args), tf.layers.averagePooling2d(args), x, `averagePooling2d ${label}`);
    }
  }
});

/** True when TF's 'same' adds no padding to any window (every window lies inside the input). */
function noPadding(shape: readonly number[], poolSize: number | [number, number], strides: number | [number, number]): boolean {
  const g = pool2dGeometry(shape, poolSize, strides, 'same', 'test');
  return (g.outH - 1) * g.strideH + g.poolH <= g.inH && (g.outW - 1) * g.strideW + g.poolW <= g.inW;
}

test('pooling gradients agree with tf.grad: max to the first maximal position; avg exactly where TF.js is self-consistent', async () => {
  await tfCpu();
  const x = grid([2, 6, 7, 2], 2);
  for (const padding of ['valid', 'same'] as const) {
    for (const w of WINDOWS) {
      const strides = w.strides ?? w.poolSize;
      const y0 = maxPool2d(x, w.poolSize, strides, padding);
      const proj = randomNormal(y0.shape, { seed: 3 });
      const label = `${JSON.stringify(w)} ${padding}`;
      for (const kind of ['max', 'avg'] as const) {
        const op = kind === 'max' ? maxPool2d : avgPool2d;
        const ours = valueAndGrad(() => sum(mul(op(x, w.poolSize, strides, padding), proj)), [x]).grads[0]!;
        const tfOp = kind === 'max' ? tf.maxPool : tf.avgPool;
        const theirs = tf.tidy(() => tfData(tf.grad((xt: tf.Tensor) => tf.sum(tf.mul(tfOp(xt as tf.Tensor4D, w.poolSize, strides, padding), toTf(proj))))(toTf(x))));
        // TF.js's avgPool gradient divides by the whole window even at the borders of 'same' (see the header).
        const windowFits = padding === 'valid' || noPadding(x.shape, w.poolSize, strides);
        if (kind === 'max' || windowFits) assertClose(ours.data, theirs, { rtol: RTOL, atol: ATOL, label: `${kind}Pool2d gradient ${label}` });
      }
    }
  }
});

test("avgPool2d 'same' gradient is the derivative of the forward pass (finite differences); TF.js's is not", async () => {
  await tfCpu();
  const x = randomNormal([1, 3, 3, 1], { seed: 4 });
  const g = valueAndGrad(() => sum(avgPool2d(x, 2, 2, 'same')), [x]).grads[0]!;
  // windows {0,1}×{0,1} (4 values), {0,1}×{2} (2), {2}×{0,1} (2), {2}×{2} (1): each input gets 1/count of its window
  assertClose(g.data, [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
  const tfForward = (v: Float32Array): number => tf.tidy(() => tf.sum(tf.avgPool(tf.tensor4d(v, [1, 3, 3, 1]), 2, 2, 'same')).dataSync()[0]!);
  const base = Float32Array.from(x.data);
  const fd = Array.from(base, (_, i) => {
    const up = Float32Array.from(base);
    const down = Float32Array.from(base);
    up[i]! += 1e-2;
    down[i]! -= 1e-2;
    return (tfForward(up) - tfForward(down)) / 2e-2;
  });
  assertClose(g.data, fd, { rtol: 1e-3, atol: 1e-3, label: "d/dx of TF.js's own avgPool 'same' forward" });
  const theirs = tf.tidy(() => tfData(tf.grad((xt: tf.Tensor) => tf.sum(tf.avgPool(xt as tf.Tensor4D, 2, 2, 'same')))(toTf(x))));
  assert.ok(Math.abs(theirs[8]! - 1) > 0.5, `TF.js 4.22 gives the corner ${theirs[8]} (1/4), not 1`);
});

test('global pooling, ZeroPadding2D, Cropping2D, UpSampling2D nearest and Rescaling agree with TF.js', async () => {
  await tfCpu();
  const x = randomNormal([2, 5, 6, 3], { seed: 5 });
  compare(layers.globalAveragePooling2d(), tf.layers.globalAveragePooling2d({}), x, 'globalAveragePooling2d');
  compare(layers.globalMaxPooling2d(), tf.layers.globalMaxPooling2d({}), x, 'globalMaxPooling2d');
  for (const padding of [1, [2, 0], [[0, 1], [3, 2]]] as const) {
    compare(layers.zeroPadding2d({ padding }), tf.layers.zeroPadding2d({ padding: padding as never }), x, `zeroPadding2d ${JSON.stringify(padding)}`);
  }
  for (const cropping of [0, 1, [2, 1], [[0, 3], [2, 0]]] as const) {
    compare(layers.cropping2d({ cropping }), tf.layers.cropping2D({ cropping: cropping as never }), x, `cropping2d ${JSON.stringify(cropping)}`);
  }
  for (const size of [2, [1, 3], [3, 2]] as const) {
    compare(layers.upSampling2d({ size }), tf.layers.upSampling2d({ size: (typeof size === 'number' ? [size, size] : size) as number[] }), x, `upSampling2d nearest ${JSON.stringify(size)}`);
  }
  compare(layers.rescaling({ scale: 1 / 255, offset: -0.5 }), tf.layers.rescaling({ scale: 1 / 255, offset: -0.5 }), x, 'rescaling');
  compare(layers.rescaling({ scale: 3 }), tf.layers.rescaling({ scale: 3 }), tensor([0, 128, 255], [1, 3], 'int32'), 'rescaling int32');
});

test('UpSampling2D bilinear equals tf.image.resizeBilinear with half-pixel centers (Keras 3); TF.js 4.22 layer does not', async () => {
  await tfCpu();
  const x = randomNormal([2, 4, 5, 2], { seed: 6 });
  for (const size of [[2, 2], [3, 1], [1, 4], [3, 3]] as [number, number][]) {
    const y = layers.upSampling2d({ size, interpolation: 'bilinear' }).apply(x);
    const out: [number, number] = [4 * size[0], 5 * size[1]];
    const keras = tf.tidy(() => tfData(tf.image.resizeBilinear(toTf(x) as tf.Tensor4D, out, false, true)));
    assertClose(y.data, keras, { rtol: RTOL, atol: ATOL, label: `bilinear ${JSON.stringify(size)} vs resizeBilinear(halfPixelCenters)` });
    const tfjs = runTfLayer(tf.layers.upSampling2d({ size, interpolation: 'bilinear' }), x, []).data;
    let diff = 0;
    for (let i = 0; i < tfjs.length; i++) diff = Math.max(diff, Math.abs(tfjs[i]! - y.data[i]!));
    assert.ok(diff > 0.05, `TF.js's bilinear UpSampling2D differs from Keras 3 (max diff ${diff})`);
  }
});

test('BatchNormalization on rank 4 agrees with TF.js: axis -1 (and 3), training and inference, moving statistics', async () => {
  await tfCpu();
  const x = randomNormal([3, 4, 5, 6], { seed: 7, mean: 1, stddev: 2 });
  const weights = [randomNormal([6], { seed: 8 }), randomNormal([6], { seed: 9 }), randomNormal([6], { seed: 10 }), randomUniform([6], { minval: 0.5, maxval: 2, seed: 11 })];
  for (const axis of [-1, 3]) {
    for (const training of [false, true]) {
      const ours = new BatchNormalization({ axis, momentum: 0.8 });
      const theirs = tf.layers.batchNormalization({ axis, momentum: 0.8 });
      compare(ours, theirs, x, `BN rank 4 axis ${axis} training=${training}`, training, weights);
      const tw = tfWeights(theirs);
      assertClose(ours.movingMean!.data, tw[2]!, { rtol: RTOL, atol: ATOL, label: 'moving_mean' });
      assertClose(ours.movingVariance!.data, tw[3]!, { rtol: RTOL, atol: ATOL, label: 'moving_variance' });
    }
  }
});

test('BatchNormalization on rank 4, axis 1 and 2: equals TF.js axis -1 on the transposed input', async () => {
  // TF.js's CPU batchNorm broadcasts its parameters along the last axis only
  // (see test/oracle/layers.test.ts), so the oracle is axis -1 after moving the axis last.
  await tfCpu();
  const x = randomNormal([3, 4, 5, 6], { seed: 12, mean: -1, stddev: 1.5 });
  for (const [axis, perm] of [[1, [0, 2, 3, 1]], [2, [0, 1, 3, 2]]] as [number, number[]][]) {
    const dim = x.shape[axis]!;
    const weights = [randomNormal([dim], { seed: 13 }), randomNormal([dim], { seed: 14 }), randomNormal([dim], { seed: 15 }), randomUniform([dim], { minval: 0.5, maxval: 2, seed: 16 })];
    for (const training of [false, true]) {
      const ours = new BatchNormalization({ axis, momentum: 0.7 });
      ours.apply(x, { training: false }, new Rng(0));
      ours.setWeights(weights);
      const y = ours.apply(x, { training });
      const theirs = tf.layers.batchNormalization({ momentum: 0.7 });
      const ref = runTfLayer(theirs, transpose(x, perm), weights, training);
      assertClose(transpose(y, perm).data, ref.data, { rtol: RTOL, atol: ATOL, label: `BN axis ${axis} training=${training}` });
      const tw = tfWeights(theirs);
      assertClose(ours.movingMean!.data, tw[2]!, { rtol: RTOL, atol: ATOL, label: `BN axis ${axis} moving_mean` });
      assertClose(ours.movingVariance!.data, tw[3]!, { rtol: RTOL, atol: ATOL, label: `BN axis ${axis} moving_variance` });
    }
  }
});

test('LayerNormalization on rank 4 agrees with TF.js (axis -1, [1, 2, 3], [1, 2], [2, 3])', async () => {
  await tfCpu();
  const x = randomNormal([2, 3, 4, 5], { seed: 17, mean: 2 });
  for (const axis of [-1, [1, 2, 3], [1, 2], [2, 3], [-2, -1]] as (number | number[])[]) {
    compare(new LayerNormalization({ axis }), tf.layers.layerNormalization({ axis }), x, `LN rank 4 axis ${JSON.stringify(axis)}`);
  }
});

/** Regula config → TF.js layer (its JSON deserializer) → TF.js config in model.json (pythonic) form. */
function throughTfjs(layer: Layer): { className: string; config: Json } {
  const json = JSON.parse(JSON.stringify({ class_name: layer.className, config: layer.getConfig() })) as Json;
  const tfLayer = deserialize(convertPythonicToTs(json as never) as never) as unknown as tf.layers.Layer;
  return { className: tfLayer.getClassName(), config: convertTsToPythonic(tfLayer.getConfig() as never) as Json };
}

test('TF.js deserializes every 2-D layer config Regula writes with the same hyperparameters, and its configs load back', async () => {
  await tfCpu();
  const cases: [Layer, string[]][] = [
    [layers.maxPooling2d({ poolSize: [3, 2], strides: 1, padding: 'same', name: 'mp' }), ['name', 'pool_size', 'strides', 'padding', 'data_format']],
    [layers.averagePooling2d({ poolSize: 2 }), ['pool_size', 'strides', 'padding', 'data_format']],
    [layers.globalAveragePooling2d({ name: 'gap' }), ['name', 'data_format']],
    [layers.globalMaxPooling2d(), ['data_format']],
    [layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }), ['padding', 'data_format']],
    [layers.cropping2d({ cropping: [1, 2] }), ['cropping', 'data_format']],
    [layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }), ['size', 'interpolation', 'data_format']],
    [layers.rescaling({ scale: 0.5, offset: -1 }), ['scale', 'offset']],
  ];
  for (const [layer, keys] of cases) {
    const theirs = throughTfjs(layer);
    assert.equal(theirs.className, layer.className);
    const ours = layer.getConfig();
    for (const k of keys) assert.deepEqual(theirs.config[k], ours[k], `${layer.className}.${k}`);
    assert.deepEqual(layerFromConfig({ class_name: theirs.className, config: theirs.config }).getConfig(), ours, `${layer.className}: back from TF.js`);
  }
  // TF.js 4.22 has no SpatialDropout2D; keepdims is a key TF.js does not know (it would drop it).
  assert.throws(() => throughTfjs(layers.spatialDropout2d({ rate: 0.1 })), /Unknown layer: SpatialDropout2D/);
  assert.equal(throughTfjs(layers.globalMaxPooling2d({ keepdims: true })).config['keepdims'], undefined);
});

test('configs written by TF.js 2-D layers (TF.js defaults, aliases) load in Regula', async () => {
  await tfCpu();
  const pythonic = (l: tf.layers.Layer): { class_name: string; config: Json } => ({
    class_name: l.getClassName(),
    config: JSON.parse(JSON.stringify(convertTsToPythonic(l.getConfig() as never))) as Json,
  });
  const mp = layerFromConfig(pythonic(tf.layers.maxPool2d({ poolSize: 3, strides: [2, 1], padding: 'same' })));
  assert.deepEqual([mp.className, mp.getConfig()['pool_size'], mp.getConfig()['strides'], mp.getConfig()['padding']], ['MaxPooling2D', [3, 3], [2, 1], 'same']);
  const ap = layerFromConfig(pythonic(tf.layers.avgPool2d({ poolSize: [2, 3] })));
  assert.deepEqual([ap.className, ap.getConfig()['strides']], ['AveragePooling2D', [2, 3]]);
  const zp = layerFromConfig(pythonic(tf.layers.zeroPadding2d({})));
  assert.deepEqual(zp.getConfig()['padding'], [[1, 1], [1, 1]]);
  const cr = layerFromConfig(pythonic(tf.layers.cropping2D({ cropping: [[1, 0], [2, 2]] })));
  assert.deepEqual(cr.getConfig()['cropping'], [[1, 0], [2, 2]]);
  const up = layerFromConfig(pythonic(tf.layers.upSampling2d({ size: [3, 2], interpolation: 'bilinear' })));
  assert.deepEqual([up.getConfig()['size'], up.getConfig()['interpolation']], [[3, 2], 'bilinear']);
  for (const l of [tf.layers.globalAveragePooling2d({}), tf.layers.globalMaxPooling2d({}), tf.layers.rescaling({ scale: 2 })]) {
    const cfg = pythonic(l);
    const ours = layerFromConfig(cfg);
    assert.deepEqual([ours.className, ours.name], [cfg.class_name, cfg.config['name']]);
  }
});

test('symbolic output shapes agree with TF.js computeOutputShape', async () => {
  await tfCpu();
  const shapes = (ours: Layer, theirs: tf.layers.Layer, shape: number[]): void => {
    const s = ours.apply(layers.input({ shape }));
    const t = theirs.apply(tf.input({ shape })) as tf.SymbolicTensor;
    assert.deepEqual(s.shape, t.shape, `${ours.className} on ${JSON.stringify(shape)}`);
  };
  shapes(layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), [9, 8, 3]);
  shapes(layers.averagePooling2d({ poolSize: [2, 3] }), tf.layers.averagePooling2d({ poolSize: [2, 3] }), [9, 8, 3]);
  shapes(layers.globalMaxPooling2d(), tf.layers.globalMaxPooling2d({}), [4, 4, 2]);
  shapes(layers.zeroPadding2d({ padding: [1, 2] }), tf.layers.zeroPadding2d({ padding: [1, 2] }), [4, 5, 2]);
  shapes(layers.cropping2d({ cropping: [1, 2] }), tf.layers.cropping2D({ cropping: [1, 2] }), [4, 5, 2]);
  shapes(layers.upSampling2d({ size: [2, 3] }), tf.layers.upSampling2d({ size: [2, 3] }), [4, 5, 2]);
});

test('a model of every 2-D layer TF.js has moves to TF.js and back in the Layers format with the same predictions', async () => {
  await tfCpu();
  const { Sequential } = await import('../../src/models/sequential.js');
  const { fromArtifacts, toArtifacts } = await import('../../src/models/save-load.js');
  const m = new Sequential([
    layers.inputLayer({ inputShape: [7, 6, 3], name: 'img' }),
    layers.zeroPadding2d({ padding: [[1, 0], [0, 2]], name: 'pad' }),
    layers.maxPooling2d({ poolSize: 2, padding: 'same', name: 'mp' }),
    layers.batchNormalization({ name: 'bn' }),
    layers.upSampling2d({ size: [2, 1], name: 'up' }),
    layers.cropping2d({ cropping: [1, 1], name: 'crop' }),
    layers.averagePooling2d({ poolSize: [3, 2], strides: [2, 1], name: 'ap' }),
    layers.rescaling({ scale: 0.5, offset: 0.25, name: 'rs' }),
    layers.layerNormalization({ axis: [1, 2, 3], name: 'ln' }),
    layers.globalMaxPooling2d({ name: 'gmp' }),
    layers.dense({ units: 2, name: 'out' }),
  ]);
  const x = randomNormal([4, 7, 6, 3], { seed: 20 });
  m.build([null, 7, 6, 3]);
  m.layers.forEach((l, i) => l.setWeights(l.getWeights().map((w, j) => (l.name === 'bn' && j === 3 ? randomUniform(w.shape, { minval: 0.5, maxval: 2, seed: 30 + i }) : randomNormal(w.shape, { seed: 30 + i * 4 + j, stddev: 0.5 })))));
  const expected = (m.predict(x) as Tensor).data;
  const tfModel = await tf.loadLayersModel(tf.io.fromMemory(toArtifacts(m) as tf.io.ModelArtifacts));
  assert.deepEqual(tfModel.layers.map((l) => l.getClassName()), m.layers.map((l) => l.className));
  const got = tf.tidy(() => tfData(tfModel.predict(toTf(x)) as tf.Tensor));
  assertClose(got, expected, { rtol: RTOL, atol: ATOL, label: 'TF.js predicts the Regula model' });
  let saved: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const back = fromArtifacts(saved!);
  assert.deepEqual(back.layers.map((l) => l.className), m.layers.map((l) => l.className));
  assertClose((back.predict(x) as Tensor).data, got, { rtol: RTOL, atol: ATOL, label: 'Regula predicts the TF.js-saved model' });
});
