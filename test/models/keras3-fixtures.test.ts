/**
 * Keras 3 `.keras` archives built without Keras (scripts/keras-fixtures.py:
 * h5py + numpy, Keras 3's saving_lib layout) load in Regula and predict what
 * an independent numpy forward pass over the same weights computes — the
 * committed fixtures always, freshly generated ones when python3-h5py is
 * installed. And the reverse: archives Regula writes read back with h5py
 * (scripts/keras-h5-check.py) with Keras's group paths, shapes and dtypes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { input, layers, loadModel, model as functional, Sequential, Tensor, type Model } from '../../src/index.js';
import { kerasSaveables } from '../../src/models/keras3-weights.js';
import { assertClose } from '../helpers/assert-close.js';
import { h5pySkip, runPython } from '../helpers/python-h5.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras3');
const SCRIPTS = join(import.meta.dirname, '..', '..', 'scripts');
const NAMES = ['mlp', 'mlp-old', 'mlp-lazy', 'mlp-sharded', 'cnn', 'functional'];

interface Expected {
  input_shape: number[];
  input: number[];
  output_shape: number[];
  output: number[];
}

async function checkFixture(dir: string, name: string): Promise<Model> {
  const m = await loadModel(join(dir, `${name}.keras`));
  const e = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
  const y = m.predict(new Tensor(e.input_shape, 'float32', Float32Array.from(e.input))) as Tensor;
  assert.deepEqual([...y.shape], e.output_shape, `${name}: output shape`);
  assertClose(y.data, e.output, { rtol: 1e-5, atol: 1e-6, label: name });
  return m;
}

test('committed Keras 3 fixtures (MLP, CNN, functional; old, lazy and sharded layouts) predict as numpy does', async () => {
  for (const n of NAMES) {
    const m = await checkFixture(FIXTURES, n);
    assert.equal(m.className, n === 'functional' ? 'Model' : 'Sequential', n);
  }
});

test('the compile_config and optimizer variables of a Keras archive come back: Adam, its learning rate and iteration', async () => {
  const m = await loadModel(join(FIXTURES, 'mlp.keras'));
  assert.ok(m.compiled, 'compiled from compile_config');
  assert.equal(m.optimizer!.className, 'Adam');
  assert.equal(m.optimizer!.iterations, 7);
  assert.ok(Math.abs(m.optimizer!.learningRate - 0.0005) < 1e-9);
  const cnn = await loadModel(join(FIXTURES, 'cnn.keras'));
  assert.equal(cnn.compiled, undefined, 'no compile_config: uncompiled');
});

test('freshly generated fixtures (scripts/keras-fixtures.py) load and match their numpy outputs', { skip: h5pySkip() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-keras-fixtures-'));
  try {
    runPython(join(SCRIPTS, 'keras-fixtures.py'), [dir]);
    for (const n of NAMES) await checkFixture(dir, n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface H5Check {
  members: string[];
  metadata: Record<string, unknown>;
  class_name: string;
  datasets: Record<string, { shape: number[]; dtype: string }>;
  groups: Record<string, Record<string, string>>;
}

/** Saves `m`, reads it with h5py, and checks every dataset against Keras's layout for the model. */
async function h5Layout(m: Model, extra: (c: H5Check) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regula-keras-h5-'));
  try {
    const file = join(dir, 'm.keras');
    await m.save(file);
    const c = JSON.parse(runPython(join(SCRIPTS, 'keras-h5-check.py'), [file])) as H5Check;
    assert.deepEqual(c.members.slice(0, 3), ['metadata.json', 'config.json', 'model.weights.h5']);
    assert.match(String(c.metadata['keras_version']), /^3\./);
    const want: Record<string, { shape: number[]; dtype: string }> = {};
    for (const s of kerasSaveables(m)) {
      s.vars.forEach((v, i) => (want[`${s.path === '' ? '' : `${s.path}/`}vars/${i}`] = { shape: [...v.shape], dtype: 'float32' }));
      assert.equal(c.groups[s.path === '' ? 'vars' : `${s.path}/vars`]?.['name'], s.layer.name, `${s.path}/vars name attribute`);
    }
    const layerSets = Object.fromEntries(Object.entries(c.datasets).filter(([k]) => !k.startsWith('optimizer/')));
    assert.deepEqual(layerSets, want);
    extra(c);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('h5py reads the weights Regula writes: Keras group paths, shapes and dtypes, optimizer variables', { skip: h5pySkip() }, async () => {
  const mlp = new Sequential([layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), layers.batchNormalization({}), layers.dropout({ rate: 0.2 }), layers.dense({ units: 6 }), layers.dense({ units: 3, activation: 'softmax' })], { seed: 1 });
  mlp.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await mlp.fit(new Tensor([8, 4], 'float32', Float32Array.from({ length: 32 }, (_, i) => Math.sin(i))), new Tensor([8], 'int32', Int32Array.from({ length: 8 }, (_, i) => i % 3)), { epochs: 1, verbose: 0 });
  await h5Layout(mlp, (c) => {
    assert.ok(c.datasets['layers/dense/vars/0'] && c.datasets['layers/dense_1/vars/0'] && c.datasets['layers/dense_2/vars/1']);
    assert.deepEqual(c.datasets['layers/batch_normalization/vars/3'], { shape: [6], dtype: 'float32' });
    assert.deepEqual(c.datasets['optimizer/vars/0'], { shape: [], dtype: 'int64' });
    assert.deepEqual(c.datasets['optimizer/vars/1'], { shape: [], dtype: 'float32' });
    // Adam: (momentum, velocity) for each of 8 trainable variables (BN's moving statistics are not trainable).
    assert.equal(Object.keys(c.datasets).filter((k) => k.startsWith('optimizer/')).length, 2 + 2 * 8);
    assert.deepEqual(c.datasets['optimizer/vars/2'], { shape: [4, 6], dtype: 'float32' });
  });
  const x = input({ shape: [5] });
  const inner = new Sequential([layers.dense({ units: 4, inputShape: [5] }), layers.dense({ units: 2 })], { name: 'inner' });
  const y = layers.add().apply([inner.apply(x) as never, layers.dense({ units: 2, name: 'skip' }).apply(x) as never]);
  const f = functional({ inputs: x, outputs: y as never, name: 'outer' });
  await h5Layout(f, (c) => {
    assert.ok(c.datasets['layers/sequential/layers/dense_1/vars/0'], 'nested Sequential under its own layers group');
    assert.ok(c.datasets['layers/dense/vars/0'], 'the outer dense is the first Dense of the outer model');
    assert.equal(c.groups['layers/input_layer/vars']?.['name'], f.layers[0]!.name);
  });
});
