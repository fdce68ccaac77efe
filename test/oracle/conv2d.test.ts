/**
 * The Conv2D family against TF.js 4.22 (CPU backend: its wasm backend cannot
 * train Conv2D) with identical weights and inputs: Conv2D (valid/same ×
 * strides 1–2 × dilation 1–2 × kernels 1×1, 3×3, 2×3), DepthwiseConv2D,
 * SeparableConv2D and Conv2DTranspose outputs agree within rtol 1e-5 /
 * atol 1e-6; one SGD trainOnBatch of a tiny conv model gives the same weights;
 * configs go through TF.js's deserializer both ways.
 *
 * Where TF.js lacks a Keras feature the oracle is Keras's formula built from
 * TF.js ops: groups (TF.js Conv2D has none) = one TF.js conv per channel
 * group, concatenated; outputPadding (the TF.js layer has none) =
 * tf.conv2dTranspose with the output shape Keras's size rule gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from '@tensorflow/tfjs-layers/dist/layers/serialization.js';
import { convertPythonicToTs, convertTsToPythonic } from '@tensorflow/tfjs-layers/dist/utils/serialization_utils.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { DepthwiseConv2D } from '../../src/layers/depthwise-conv2d.js';
import { SeparableConv2D } from '../../src/layers/separable-conv2d.js';
import { Conv2DTranspose } from '../../src/layers/conv2d-transpose.js';
import { layers } from '../../src/layers/index.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Layer } from '../../src/layers/layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/save-load.js';
import { optimizers } from '../../src/optimizers/index.js';
import { Rng } from '../../src/random.js';
import { randomNormal } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers/assert-close.js';
import { runTfLayer, tf, tfCpu, tfData, toTf } from '../helpers/tfjs.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };
type Json = Record<string, unknown>;

/** Builds `ours` on x, sets seeded weights, copies them into `theirs`, compares outputs, shapes and parameter counts. */
function compare(ours: Layer, theirs: tf.layers.Layer, x: Tensor, label: string): Tensor {
  ours.apply(x, { training: false }, new Rng(7));
  const w = ours.getWeights().map((v, i) => randomNormal(v.shape, { seed: 50 + i, stddev: 0.5 }));
  ours.setWeights(w);
  const y = ours.apply(x, { training: false });
  const ref = runTfLayer(theirs, x, w);
  assert.deepEqual([...y.shape], ref.shape, `${label}: shape`);
  assertClose(y.data, ref.data, { ...TOL, label });
  assert.equal(ours.countParams(), theirs.countParams(), `${label}: countParams`);
  assert.deepEqual(ours.computeOutputShape([null, ...x.shape.slice(1)]), [null, ...y.shape.slice(1)], `${label}: computeOutputShape`);
  return y;
}

const WINDOWS = [
  [1, 1],
  [2, 1],
  [[2, 1], 1],
  [1, 2],
  [1, [1, 2]],
] as const;

test('Conv2D agrees with tf.layers.conv2d: valid/same × strides × dilation × kernels 1×1, 3×3, 2×3', async () => {
  await tfCpu();
  const x = randomNormal([2, 9, 8, 3], { seed: 3 });
  for (const padding of ['valid', 'same'] as const) {
    for (const kernelSize of [1, 3, [2, 3]] as const) {
      for (const [strides, dilationRate] of WINDOWS) {
        const args = { filters: 4, kernelSize, strides, padding, dilationRate, activation: 'relu' } as const;
        compare(new Conv2D(args), tf.layers.conv2d(args as never), x, `conv2d ${JSON.stringify(args)}`);
      }
    }
  }
  compare(new Conv2D({ filters: 2, kernelSize: 3, useBias: false }), tf.layers.conv2d({ filters: 2, kernelSize: 3, useBias: false }), x, 'conv2d no bias');
  compare(new Conv2D({ filters: 3, kernelSize: 4, strides: 3, padding: 'same' }), tf.layers.conv2d({ filters: 3, kernelSize: 4, strides: 3, padding: 'same' }), x, 'conv2d stride > kernel');
});

test('Conv2D groups (TF.js has none): equals one TF.js conv per channel group, concatenated (Keras formula)', async () => {
  await tfCpu();
  const x = randomNormal([2, 7, 6, 4], { seed: 4 });
  for (const [groups, filters, padding, strides] of [[2, 6, 'same', 1], [4, 4, 'valid', 2], [2, 2, 'same', [2, 1]]] as const) {
    const ours = new Conv2D({ filters, kernelSize: 3, groups, padding, strides });
    ours.apply(x, { training: false }, new Rng(1));
    const [k, b] = ours.getWeights() as [Tensor, Tensor];
    const ref = tf.tidy(() => {
      const xt = toTf(x) as tf.Tensor4D;
      const kt = toTf(k) as tf.Tensor4D;
      const cg = 4 / groups;
      const og = filters / groups;
      const parts = Array.from({ length: groups }, (_, g) =>
        tf.conv2d(xt.slice([0, 0, 0, g * cg], [-1, -1, -1, cg]), kt.slice([0, 0, 0, g * og], [-1, -1, -1, og]), strides as never, padding),
      );
      return tfData(tf.add(tf.concat(parts, 3), toTf(b)));
    });
    assertClose(ours.apply(x, { training: false }).data, ref, { ...TOL, label: `groups ${groups}` });
  }
});

/**
 * TF.js 4.22's DepthwiseConv2D layer ignores dilationRate ("TODO(cais): Add
 * support for dilation"), so dilated cases compare with Keras's formula: the
 * tf.depthwiseConv2d op with dilations, plus the bias.
 */
function depthwiseVsOp(ours: DepthwiseConv2D, x: Tensor, label: string): void {
  const y = ours.apply(x, { training: false }, new Rng(3));
  const [k, b] = ours.getWeights() as [Tensor, Tensor];
  const o = ours.window;
  const ref = tf.tidy(() => tfData(tf.add(tf.depthwiseConv2d(toTf(x) as tf.Tensor4D, toTf(k) as tf.Tensor4D, o.strides as [number, number], o.padding, 'NHWC', o.dilationRate as [number, number]), toTf(b))));
  assertClose(y.data, ref, { ...TOL, label });
}

test('DepthwiseConv2D and SeparableConv2D agree with TF.js (multipliers 1–2, paddings, strides, dilation)', async () => {
  await tfCpu();
  const x = randomNormal([2, 8, 7, 3], { seed: 5 });
  for (const padding of ['valid', 'same'] as const) {
    for (const kernelSize of [1, 3, [2, 3]] as const) {
      for (const [strides, dilationRate] of WINDOWS) {
        for (const depthMultiplier of [1, 2]) {
          const args = { kernelSize, strides, padding, dilationRate, depthMultiplier } as const;
          const dilated = dilationRate !== 1;
          if (!dilated) compare(new DepthwiseConv2D(args), tf.layers.depthwiseConv2d(args as never), x, `depthwise ${JSON.stringify(args)}`);
          else depthwiseVsOp(new DepthwiseConv2D(args), x, `depthwise ${JSON.stringify(args)}`);
          const sep = { ...args, filters: 4, activation: 'tanh' } as const;
          compare(new SeparableConv2D(sep), tf.layers.separableConv2d(sep as never), x, `separable ${JSON.stringify(sep)}`);
        }
      }
    }
  }
});

test('Conv2DTranspose agrees with tf.layers.conv2dTranspose (valid/same × strides 1–3 × kernels 1, 2, 3, 2×3)', async () => {
  await tfCpu();
  const x = randomNormal([2, 4, 5, 3], { seed: 6 });
  for (const padding of ['valid', 'same'] as const) {
    for (const kernelSize of [1, 2, 3, [2, 3]] as const) {
      for (const strides of [1, 2, 3, [2, 1]] as const) {
        const args = { filters: 2, kernelSize, strides, padding, activation: 'relu' } as const;
        compare(new Conv2DTranspose(args), tf.layers.conv2dTranspose(args as never), x, `conv2dTranspose ${JSON.stringify(args)}`);
      }
    }
  }
});

test('Conv2DTranspose outputPadding (Keras size rule) equals tf.conv2dTranspose with that output shape', async () => {
  await tfCpu();
  const x = randomNormal([2, 4, 3, 2], { seed: 7 });
  for (const padding of ['valid', 'same'] as const) {
    for (const [k, s, p] of [[3, 2, 1], [3, 2, 0], [2, 2, 1], [4, 3, 2], [1, 2, 1], [5, 3, 1]] as const) {
      const ours = new Conv2DTranspose({ filters: 3, kernelSize: k, strides: s, padding, outputPadding: p, useBias: false });
      const y = ours.apply(x, { training: false }, new Rng(2));
      const kd = k;
      const pad = padding === 'same' ? Math.floor(kd / 2) : 0;
      const expect = (n: number): number => (n - 1) * s + kd - 2 * pad + p;
      assert.deepEqual([...y.shape], [2, expect(4), expect(3), 3], `size rule k${k} s${s} p${p} ${padding}`);
      const ref = tf.tidy(() => tfData(tf.conv2dTranspose(toTf(x) as tf.Tensor4D, toTf(ours.kernel!) as tf.Tensor4D, [2, y.shape[1]!, y.shape[2]!, 3], s, padding)));
      assertClose(y.data, ref, { ...TOL, label: `outputPadding k${k} s${s} p${p} ${padding}` });
    }
  }
});

test('one SGD trainOnBatch of a tiny conv model gives the same loss and weights as TF.js', async () => {
  await tfCpu();
  const x = randomNormal([4, 8, 8, 2], { seed: 8 });
  const y = randomNormal([4, 3], { seed: 9 });
  const ours = new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
      layers.depthwiseConv2d({ kernelSize: [2, 3], strides: 2, depthMultiplier: 2, activation: 'tanh' }),
      layers.separableConv2d({ filters: 3, kernelSize: 2, padding: 'same' }),
      layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 3 }),
    ],
    { seed: 3 },
  );
  const theirs = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
      tf.layers.depthwiseConv2d({ kernelSize: [2, 3], strides: 2, depthMultiplier: 2, activation: 'tanh' }),
      tf.layers.separableConv2d({ filters: 3, kernelSize: 2, padding: 'same' }),
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  ours.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  const w0 = ours.getWeights().map((w, i) => randomNormal(w.shape, { seed: 20 + i, stddev: 0.4 }));
  ours.setWeights(w0);
  theirs.setWeights(w0.map(toTf));
  const lossOurs = ours.trainOnBatch(x, y)['loss']!;
  const lossTheirs = (await theirs.trainOnBatch(toTf(x), toTf(y))) as number;
  assertClose([lossOurs], [lossTheirs], { ...TOL, label: 'trainOnBatch loss' });
  const tfAfter = theirs.getWeights();
  ours.getWeights().forEach((w, i) => {
    assertClose(w.data, tfAfter[i]!.dataSync(), { ...TOL, label: `${ours.weights[i]!.name} after one step` });
    assert.ok(w.data.some((v, j) => v !== w0[i]!.data[j]), `${ours.weights[i]!.name} moved`);
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
  const cases: [Layer, string[]][] = [
    [layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'relu' }), ['filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation', 'use_bias']],
    [layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 }), ['kernel_size', 'dilation_rate']],
    [layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2 }), ['kernel_size', 'depth_multiplier', 'strides', 'padding']],
    // TF.js 4.22's SeparableConv2D.getConfig drops depth_multiplier (a reloaded layer gets 1); ours writes it.
    [layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 3, padding: 'same' }), ['filters', 'kernel_size', 'padding', 'dilation_rate']],
    [layers.conv2dTranspose({ filters: 5, kernelSize: 4, strides: 2, padding: 'same' }), ['filters', 'kernel_size', 'strides', 'padding']],
  ];
  for (const [layer, keys] of cases) {
    const ours = layer.getConfig();
    const theirs = throughTfjs(layer);
    for (const k of keys) assert.deepEqual(theirs[k], ours[k], `${layer.className}.${k}`);
    if (layer.className === 'SeparableConv2D') assert.equal(theirs['depth_multiplier'], undefined, 'TF.js drops depth_multiplier');
    const back = layerFromConfig({ class_name: layer.className, config: theirs });
    for (const k of keys) assert.deepEqual(back.getConfig()[k], ours[k], `${layer.className}.${k}: TF.js config loads back`);
  }
  const pythonic = (l: tf.layers.Layer): { class_name: string; config: Json } => ({
    class_name: l.getClassName(),
    config: JSON.parse(JSON.stringify(convertTsToPythonic(l.getConfig() as never))) as Json,
  });
  const conv = layerFromConfig(pythonic(tf.layers.conv2d({ filters: 4, kernelSize: 5, strides: 2, padding: 'same', inputShape: [20, 20, 3], kernelConstraint: tf.constraints.maxNorm({ maxValue: 2, axis: [0, 1, 2] }) }))) as Conv2D;
  assert.deepEqual([conv.filters, conv.kernelSize, conv.strides, conv.padding, conv.dilationRate], [4, [5, 5], [2, 2], 'same', [1, 1]]);
  assert.deepEqual(conv.w.kernelConstraint!.getConfig(), { class_name: 'MaxNorm', config: { max_value: 2, axis: [0, 1, 2] } });
  const dw = layerFromConfig(pythonic(tf.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2 }))) as DepthwiseConv2D;
  assert.deepEqual([dw.window.kernelSize, dw.depthMultiplier], [[3, 2], 2]);
  const sep = layerFromConfig(pythonic(tf.layers.separableConv2d({ filters: 6, kernelSize: 3, dilationRate: 2 }))) as SeparableConv2D;
  assert.deepEqual([sep.filters, sep.window.dilationRate], [6, [2, 2]]);
  const tr = layerFromConfig(pythonic(tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }))) as Conv2DTranspose;
  assert.deepEqual([tr.filters, tr.window.strides, tr.outputPadding], [2, [2, 2], undefined]);
});

test('TF.js Layers format: a Regula conv model loads in TF.js, and a TF.js conv model loads in Regula, predicting the same', async () => {
  await tfCpu();
  const ours = new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'relu', inputShape: [9, 8, 2] }),
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
      layers.separableConv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }),
      layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
      layers.flatten(),
      layers.dense({ units: 2 }),
    ],
    { seed: 5 },
  );
  const x = randomNormal([3, 9, 8, 2], { seed: 11 });
  const expected = ours.predict(x);
  let saved: tf.io.ModelArtifacts | undefined;
  await ours.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  assert.deepEqual(theirs.layers.map((l) => l.getClassName()), ours.layers.map((l) => l.className));
  assertClose((theirs.predict(toTf(x)) as tf.Tensor).dataSync(), expected.data, { ...TOL, label: 'TF.js predicts a Regula-saved model' });
  // And back: TF.js saves (depth_multiplier of its SeparableConv2D is 1 here, which its config loses anyway).
  let fromTf: tf.io.ModelArtifacts | undefined;
  await theirs.save(
    tf.io.withSaveHandler(async (a) => {
      fromTf = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const back = await loadModel(fromTf!);
  assertClose(back.predict(x).data, expected.data, { ...TOL, label: 'Regula predicts a TF.js-saved model' });
});
