/**
 * Masking, TimeDistributed, Bidirectional and the sequence errors in whole models: Masking's
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

test('returnState in the middle of a Sequential (LSTM or Bidirectional): an error naming the layer and the way out', () => {
  // The Sequential is built as soon as its input shape is known, so the error comes from the constructor.
  assert.throws(
    () => new Sequential([layers.lstm({ units: 2, returnState: true, inputShape: [3, 2], name: 'enc' }), layers.dense({ units: 1 })]),
    /layer 'enc' \(LSTM\) returns 3 outputs \(returnState\); every layer of a Sequential must return one tensor — use the functional API/,
  );
  assert.throws(
    () => new Sequential([layers.bidirectional({ layer: layers.lstm({ units: 2, returnState: true }), inputShape: [3, 2], name: 'bi' }), layers.dense({ units: 1 })]),
    /layer 'bi' \(Bidirectional\) returns 5 outputs; every layer of a Sequential must return one tensor/,
  );
});

test('Embedding(maskZero) → Bidirectional(LSTM with dropout and recurrentDropout) → Dense: fits, two seeded fits are bit-identical, saves and loads', async () => {
  const ids = padSequences([[3, 1, 4, 1], [5, 9], [2, 6, 5], [3, 5, 8, 9], [7], [9, 3, 2]], { padding: 'post' });
  const y = tensor([1, 0, 0, 1, 0, 1], [6], 'int32');
  const build = (): Sequential => {
    const m = new Sequential(
      [
        layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [4], name: 'emb' }),
        layers.bidirectional({ layer: layers.lstm({ units: 3, dropout: 0.2, recurrentDropout: 0.2, name: 'lstm' }), name: 'bi' }),
        layers.dense({ units: 2, activation: 'softmax', name: 'out' }),
      ],
      { seed: 4 },
    );
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  };
  const [m1, m2] = [build(), build()];
  const h1 = await m1.fit(ids, y, { epochs: 8, batchSize: 3, verbose: 0, seed: 9 });
  const h2 = await m2.fit(ids, y, { epochs: 8, batchSize: 3, verbose: 0, seed: 9 });
  assert.deepEqual(h1.history['loss'], h2.history['loss']);
  assert.ok(h1.history['loss']!.at(-1)! < h1.history['loss']![0]!);
  const dir = mkdtempSync(join(tmpdir(), 'regula-bi-'));
  try {
    await m1.save(dir);
    const back = await loadModel(dir);
    assert.deepEqual(Array.from((back.predict(ids) as Tensor).data), Array.from((m1.predict(ids) as Tensor).data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
