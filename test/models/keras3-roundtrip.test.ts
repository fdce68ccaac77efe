/**
 * Every registered layer class round-trips Regula → .keras → Regula with
 * identical predictions, and the config.json Regula writes has Keras 3's
 * structure for each layer (module, class_name, config, registered_name,
 * build_config; DTypePolicy dtypes; nested objects with their module).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { input, layers, loadModel, model as functional, Sequential, Tensor, type Layer, type Model } from '../../src/index.js';
import { LAYERS } from '../../src/layers/registry.js';
import { listZip, readMember } from '../../src/io/keras3/zip.js';

type Json = Record<string, unknown>;
const L = layers as unknown as Record<string, (a?: unknown) => Layer>;

/** One model per layer class: the layer after an input of `shape` (two inputs for merge layers). */
const CASES: Record<string, { shape: number[]; make: () => Layer | Layer[]; two?: boolean; ints?: number }> = {
  Activation: { shape: [5], make: () => L['activation']!('tanh') },
  AveragePooling1D: { shape: [6, 3], make: () => L['averagePooling1d']!({ poolSize: 2 }) },
  BatchNormalization: { shape: [5], make: () => L['batchNormalization']!({ gammaRegularizer: 'l2' }) },
  Conv1D: { shape: [7, 3], make: () => L['conv1d']!({ filters: 2, kernelSize: 3, kernelRegularizer: 'l1', kernelConstraint: 'maxNorm' }) },
  Conv2D: { shape: [6, 6, 2], make: () => L['conv2d']!({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }) },
  Conv2DTranspose: { shape: [4, 4, 2], make: () => L['conv2dTranspose']!({ filters: 3, kernelSize: 3, strides: 2 }) },
  DepthwiseConv2D: { shape: [6, 6, 2], make: () => L['depthwiseConv2d']!({ kernelSize: 3, depthMultiplier: 2 }) },
  SeparableConv2D: { shape: [6, 6, 2], make: () => L['separableConv2d']!({ filters: 3, kernelSize: 3 }) },
  Dense: { shape: [5], make: () => L['dense']!({ units: 3, kernelRegularizer: 'l1l2', biasConstraint: 'nonNeg', kernelInitializer: 'orthogonal' }) },
  Embedding: { shape: [4], make: () => L['embedding']!({ inputDim: 10, outputDim: 3 }), ints: 10 },
  Flatten: { shape: [3, 2], make: () => L['flatten']!() },
  GlobalAveragePooling1D: { shape: [6, 3], make: () => L['globalAveragePooling1d']!() },
  GlobalMaxPooling1D: { shape: [6, 3], make: () => L['globalMaxPooling1d']!() },
  InputLayer: { shape: [5], make: () => [] },
  LayerNormalization: { shape: [5], make: () => L['layerNormalization']!({}) },
  MaxPooling1D: { shape: [6, 3], make: () => L['maxPooling1d']!({ poolSize: 2 }) },
  Reshape: { shape: [6], make: () => L['reshape']!({ targetShape: [2, 3] }) },
  Dropout: { shape: [5], make: () => L['dropout']!({ rate: 0.3 }) },
  SpatialDropout1D: { shape: [6, 3], make: () => L['spatialDropout1d']!({ rate: 0.3 }) },
  GaussianDropout: { shape: [5], make: () => L['gaussianDropout']!({ rate: 0.3 }) },
  GaussianNoise: { shape: [5], make: () => L['gaussianNoise']!({ stddev: 0.3 }) },
  AlphaDropout: { shape: [5], make: () => L['alphaDropout']!({ rate: 0.3 }) },
  ActivityRegularization: { shape: [5], make: () => L['activityRegularization']!({ l1: 0.01 }) },
  Add: { shape: [4], make: () => L['add']!(), two: true },
  Subtract: { shape: [4], make: () => L['subtract']!(), two: true },
  Multiply: { shape: [4], make: () => L['multiply']!(), two: true },
  Average: { shape: [4], make: () => L['average']!(), two: true },
  Maximum: { shape: [4], make: () => L['maximum']!(), two: true },
  Minimum: { shape: [4], make: () => L['minimum']!(), two: true },
  Concatenate: { shape: [4], make: () => L['concatenate']!({}), two: true },
  Dot: { shape: [4], make: () => L['dot']!({ axes: 1 }), two: true },
  RandomFlip: { shape: [6, 6, 2], make: () => L['randomFlip']!({ mode: 'horizontal' }) },
  RandomTranslation: { shape: [6, 6, 2], make: () => L['randomTranslation']!({ heightFactor: 0.1, widthFactor: 0.1 }) },
  RandomRotation: { shape: [6, 6, 2], make: () => L['randomRotation']!({ factor: 0.1 }) },
  RandomZoom: { shape: [6, 6, 2], make: () => L['randomZoom']!({ heightFactor: 0.1 }) },
  RandomContrast: { shape: [6, 6, 2], make: () => L['randomContrast']!({ factor: 0.1 }) },
  RandomBrightness: { shape: [6, 6, 2], make: () => L['randomBrightness']!({ factor: 0.1 }) },
  RandomCrop: { shape: [6, 6, 2], make: () => L['randomCrop']!({ height: 4, width: 4 }) },
  MaxPooling2D: { shape: [6, 6, 2], make: () => L['maxPooling2d']!({ poolSize: 2 }) },
  AveragePooling2D: { shape: [6, 6, 2], make: () => L['averagePooling2d']!({ poolSize: 2 }) },
  GlobalAveragePooling2D: { shape: [6, 6, 2], make: () => L['globalAveragePooling2d']!({}) },
  GlobalMaxPooling2D: { shape: [6, 6, 2], make: () => L['globalMaxPooling2d']!({}) },
  ZeroPadding2D: { shape: [4, 4, 2], make: () => L['zeroPadding2d']!({ padding: 1 }) },
  Cropping2D: { shape: [6, 6, 2], make: () => L['cropping2d']!({ cropping: 1 }) },
  UpSampling2D: { shape: [3, 3, 2], make: () => L['upSampling2d']!({ size: 2 }) },
  SpatialDropout2D: { shape: [6, 6, 2], make: () => L['spatialDropout2d']!({ rate: 0.3 }) },
  Rescaling: { shape: [5], make: () => L['rescaling']!({ scale: 0.5, offset: 1 }) },
  Masking: { shape: [6, 3], make: () => [L['masking']!({ maskValue: 0 }), L['lstm']!({ units: 2 })] },
  TimeDistributed: { shape: [6, 3], make: () => L['timeDistributed']!({ layer: L['dense']!({ units: 2 }) }) },
  SimpleRNN: { shape: [6, 3], make: () => L['simpleRNN']!({ units: 4, returnSequences: true }) },
  LSTM: { shape: [6, 3], make: () => L['lstm']!({ units: 4 }) },
  GRU: { shape: [6, 3], make: () => L['gru']!({ units: 4 }) },
  Bidirectional: { shape: [6, 3], make: () => L['bidirectional']!({ layer: L['lstm']!({ units: 3 }) }) },
};

function build(cls: string): Model {
  const c = CASES[cls]!;
  if (c.two) {
    const a = input({ shape: c.shape });
    const b = input({ shape: c.shape });
    const y = (c.make() as Layer).apply([a, b]);
    return functional({ inputs: [a, b], outputs: y as never, seed: 3 });
  }
  const made = c.make();
  const list = Array.isArray(made) ? made : [made];
  if (cls === 'InputLayer') return new Sequential([L['inputLayer']!({ inputShape: c.shape }), L['dense']!({ units: 2 })], { seed: 3 });
  return new Sequential([L['inputLayer']!({ inputShape: c.shape }), ...list], { seed: 3 });
}

function sample(cls: string, batch: number): Tensor {
  const c = CASES[cls]!;
  const n = batch * c.shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => (c.ints ? i % c.ints : Math.sin(i * 0.7) * 2));
  return new Tensor([batch, ...c.shape], 'float32', data);
}

async function configOf(file: string): Promise<Json> {
  const b = new Uint8Array(readFileSync(file));
  const e = listZip(b, file).find((x) => x.name === 'config.json')!;
  return JSON.parse(new TextDecoder().decode(await readMember(b, e, file, 1 << 26))) as Json;
}

const isPolicy = (v: unknown): boolean => JSON.stringify(v) === JSON.stringify({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });

/** Checks one serialized layer (and wrapped layers) against Keras 3's structure. */
function checkEntry(e: Json, where: string): void {
  for (const k of ['module', 'class_name', 'config', 'registered_name']) assert.ok(k in e, `${where}: '${k}' missing`);
  assert.equal(typeof e['module'], 'string', `${where}.module`);
  assert.ok(e['registered_name'] === null || typeof e['registered_name'] === 'string', `${where}.registered_name`);
  const c = e['config'] as Json;
  if (e['class_name'] === 'InputLayer') {
    assert.ok(Array.isArray(c['batch_shape']), `${where}: InputLayer batch_shape`);
    assert.equal(c['batch_input_shape'], undefined, `${where}: no TF.js batch_input_shape`);
    return;
  }
  if (!('layers' in c)) assert.ok(isPolicy(c['dtype']), `${where}: dtype is a DTypePolicy object, got ${JSON.stringify(c['dtype'])}`);
  assert.equal(c['batch_input_shape'], undefined, `${where}: no batch_input_shape`);
  for (const [k, v] of Object.entries(c)) {
    if (/_(initializer|regularizer|constraint)$/.test(k) && v !== null) {
      const o = v as Json;
      assert.equal(o['module'], `keras.${k.replace(/^.*_/, '')}s`, `${where}.${k}.module`);
      assert.ok('registered_name' in o && 'config' in o, `${where}.${k} is a Keras 3 object`);
    }
    if ((k === 'layer' || k === 'backward_layer') && v !== null && typeof v === 'object') checkEntry(v as Json, `${where}.${k}`);
  }
}

test('every layer class has a round-trip case', () => {
  const missing = Object.keys(LAYERS).filter((k) => !(k in CASES));
  assert.deepEqual(missing, [], `add a case for ${missing.join(', ')}`);
});

test('every layer class round-trips Regula → .keras → Regula with identical predictions; config.json has Keras 3 structure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-keras-rt-'));
  try {
    for (const cls of Object.keys(LAYERS)) {
      if (!(cls in CASES)) continue;
      const m = build(cls);
      const file = join(dir, `${cls}.keras`);
      await m.save(file);
      const back = await loadModel(file);
      const xs = CASES[cls]!.two ? [sample(cls, 3), sample(cls, 3)] : sample(cls, 3);
      const a = m.predict(xs as never) as Tensor;
      const b = back.predict(xs as never) as Tensor;
      assert.deepEqual([...b.shape], [...a.shape], `${cls}: output shape`);
      assert.deepEqual(Array.from(b.data), Array.from(a.data), `${cls}: predictions differ after the round trip`);
      assert.deepEqual(back.getConfig(), m.getConfig(), `${cls}: config differs after the round trip`);
      const top = await configOf(file);
      checkEntry(top, `${cls} model`);
      assert.ok(top['build_config'], `${cls}: model build_config`);
      const ls = (top['config'] as Json)['layers'] as Json[];
      assert.equal(ls[0]!['class_name'], 'InputLayer', `${cls}: first entry is the InputLayer`);
      for (const [i, e] of ls.entries()) {
        checkEntry(e, `${cls} layers[${i}]`);
        if (e['class_name'] !== 'InputLayer') assert.ok((e['build_config'] as Json | undefined)?.['input_shape'], `${cls} layers[${i}] (${String(e['class_name'])}): build_config.input_shape`);
        if (top['class_name'] === 'Functional') assert.ok(Array.isArray(e['inbound_nodes']) && typeof e['name'] === 'string', `${cls} layers[${i}]: name and inbound_nodes`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a functional model with a nested Sequential, shared layer and two outputs round-trips, compiled, with its optimizer state', async () => {
  const x = input({ shape: [4] });
  const inner = new Sequential([L['dense']!({ units: 3, inputShape: [4], activation: 'relu' }), L['dense']!({ units: 4 })], { name: 'inner' });
  const shared = L['dense']!({ units: 2, name: 'shared' });
  const h = inner.apply(x) as never;
  const o1 = shared.apply(h) as never;
  const o2 = shared.apply(x) as never;
  const m = functional({ inputs: x, outputs: [o1, L['dense']!({ units: 1, name: 'o2' }).apply(o2) as never], seed: 5, name: 'multi' });
  m.compile({ optimizer: 'rmsprop', loss: ['mse', 'mae'], lossWeights: [1, 0.5], metrics: [['mae'], ['mse']] });
  const xs = new Tensor([6, 4], 'float32', Float32Array.from({ length: 24 }, (_, i) => Math.cos(i)));
  await m.fit(xs, [new Tensor([6, 2], 'float32', new Float32Array(12).fill(0.5)), new Tensor([6, 1], 'float32', new Float32Array(6).fill(1))], { epochs: 2, verbose: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'regula-keras-nested-'));
  try {
    const file = join(dir, 'multi.keras');
    await m.save(file);
    const back = await loadModel(file);
    const a = m.predict(xs) as Tensor[];
    const b = back.predict(xs) as Tensor[];
    a.forEach((t, i) => assert.deepEqual(Array.from(b[i]!.data), Array.from(t.data), `output ${i}`));
    assert.equal(back.optimizer?.className, 'RMSprop');
    // The weights file keeps the rate as float32; the exact 0.001 of the config comes back (a resumed run trains the same bits).
    assert.equal(back.optimizer?.learningRate, 0.001);
    assert.equal(back.optimizer?.iterations, m.optimizer!.iterations);
    const cc = (await configOf(file))['compile_config'] as Json;
    assert.deepEqual(cc['loss_weights'], [1, 0.5]);
    assert.deepEqual(cc['metrics'], [['mean_absolute_error'], ['mean_squared_error']]);
    // One more step from the restored slots gives the same weights as one more step of the original.
    const ys = [new Tensor([6, 2], 'float32', new Float32Array(12).fill(0.5)), new Tensor([6, 1], 'float32', new Float32Array(6).fill(1))];
    await m.fit(xs, ys, { epochs: 1, verbose: 0, shuffle: false });
    await back.fit(xs, ys, { epochs: 1, verbose: 0, shuffle: false });
    const wa = m.getWeights();
    const wb = back.getWeights();
    wa.forEach((w, i) => assert.deepEqual(Array.from(wb[i]!.data), Array.from(w.data), `weight ${i} after one more epoch`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Regula-only option Keras 3 cannot express is refused on export, naming the layer and the option, before anything is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-keras-only-'));
  try {
    const m = new Sequential([L['embedding']!({ inputDim: 10, outputDim: 3, inputLength: 4, inputShape: [4], name: 'embedding' }), L['flatten']!()]);
    const file = join(dir, 'emb.keras');
    await assert.rejects(m.save(file), /layer 'embedding' \(Embedding\) uses Regula-only options Keras 3 cannot express: input_length = 4/);
    assert.throws(() => readFileSync(file), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
