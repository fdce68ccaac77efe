/**
 * Masking, TimeDistributed and the sequence errors in whole models: Masking's
 * mask reaches GlobalAveragePooling1D, a layer that cannot take a mask after
 * Masking is an error naming both layers, TimeDistributed trains and saves
 * in the TF.js Layers format (weights named like TF.js's), and ragged
 * sequences get an error that says to pad with 0 and use maskZero.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { input, layers, loadModel, model, padSequences, Sequential, tensor, type Tensor } from '../../src/index.js';

test('Masking → GlobalAveragePooling1D averages over the unmasked steps only (Sequential and functional)', () => {
  const x = tensor([[[1, 2], [0, 0], [3, 4]], [[0, 0], [0, 0], [5, 7]]], [2, 3, 2]);
  const seq = new Sequential([layers.masking({ maskValue: 0, inputShape: [3, 2] }), layers.globalAveragePooling1d()]);
  assert.deepEqual(Array.from((seq.predict(x) as Tensor).data), [2, 3, 5, 7]);
  const a = input({ shape: [3, 2] });
  const m = model({ inputs: a, outputs: layers.globalAveragePooling1d().apply(layers.dense({ units: 2, kernelInitializer: 'ones', useBias: false }).apply(layers.masking().apply(a))) });
  assert.deepEqual(Array.from((m.predict(x) as Tensor).data), [5, 5, 12, 12]);
});

test('a layer that cannot take a mask after Masking: an error naming both layers', () => {
  const seq = new Sequential([layers.masking({ inputShape: [3, 2], name: 'mask' }), layers.flatten({ name: 'flat' }), layers.dense({ units: 1 })]);
  assert.throws(() => seq.predict(tensor(new Array(12).fill(1), [2, 3, 2])), /layer 'flat' \(Flatten\) does not support masking, but its input from 'mask' \(Masking\) carries a mask/);
});

test('TimeDistributed in a model: fits, keeps the mask, saves and loads with TF.js weight names', async () => {
  const ids = padSequences([[3, 1, 4], [1, 5], [2], [6, 2, 2]], { padding: 'post' });
  const seq = new Sequential(
    [
      layers.embedding({ inputDim: 8, outputDim: 4, maskZero: true, inputShape: [3], name: 'emb' }),
      layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'relu', name: 'step_dense' }), name: 'td' }),
      layers.globalAveragePooling1d({ name: 'pool' }),
      layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }),
    ],
    { seed: 3 },
  );
  assert.deepEqual(seq.weights.map((w) => w.name), ['emb/embeddings', 'td/kernel', 'td/bias', 'out/kernel', 'out/bias']);
  seq.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const y = tensor([[1], [0], [0], [1]]);
  const before = seq.evaluate(ids, y)['loss']!;
  await seq.fit(ids, y, { epochs: 20, batchSize: 4, verbose: 0, seed: 1 });
  assert.ok(seq.evaluate(ids, y)['loss']! < before);
  const dir = mkdtempSync(join(tmpdir(), 'regula-td-'));
  try {
    await seq.save(dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
    const td = json.modelTopology.config.layers.find((l) => l.class_name === 'TimeDistributed')!;
    assert.deepEqual((td.config['layer'] as { class_name: string }).class_name, 'Dense');
    const back = await loadModel(dir);
    assert.deepEqual(Array.from((back.predict(ids) as Tensor).data), Array.from((seq.predict(ids) as Tensor).data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ragged sequences without padding: the error says to pad with 0 and use maskZero', () => {
  assert.throws(() => tensor([[3, 1, 4], [1, 5]], undefined, 'int32'), /ragged nested array.*but x\[1\] has length 2.*pad with 0.*maskZero/);
  assert.throws(() => tensor([[[1], [2]], [[1]]]), /but x\[1\] has length 1/);
});
