/**
 * Masks through models (docs/semantics.md §9): Embedding `maskZero` makes a
 * mask, masking-aware layers pass it on, GlobalAveragePooling1D averages over
 * the real steps only, merge layers combine masks, and a layer that cannot
 * take a mask is an error naming both layers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { input, layers, model, Sequential, tensor, type Tensor } from '../../src/index.js';

const ids = tensor([[3, 1, 0, 0], [2, 2, 2, 0]], [2, 4], 'int32');

/** Mean over the rows of `e` (the embedding table) picked by the non-zero ids of each sequence. */
function maskedMean(table: Tensor, rows: number[][], dim: number): number[] {
  return rows.flatMap((r) => {
    const real = r.filter((i) => i !== 0);
    return Array.from({ length: dim }, (_, k) => real.reduce((s, i) => s + table.data[i * dim + k]!, 0) / real.length);
  });
}

test('Embedding(maskZero) → GlobalAveragePooling1D averages over the real steps only (Sequential and functional)', () => {
  const seq = new Sequential([layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true, inputShape: [4] }), layers.globalAveragePooling1d()], { seed: 1 });
  const table = seq.getWeights()[0]!;
  const want = maskedMean(table, [[3, 1, 0, 0], [2, 2, 2, 0]], 3);
  const got = Array.from(seq.predict(ids).data);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `${i}: ${v} vs ${want[i]}`));
  // Without maskZero the padding rows count.
  const plain = new Sequential([layers.embedding({ inputDim: 4, outputDim: 3, inputShape: [4] }), layers.globalAveragePooling1d()], { seed: 1 });
  assert.notDeepEqual(Array.from(plain.predict(ids).data), got);
  // A Dense between them passes the mask on.
  const a = input({ shape: [4], dtype: 'int32' });
  const e = layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true }).apply(a);
  const d = layers.dense({ units: 2, activation: 'relu' }).apply(e);
  const m = model({ inputs: a, outputs: layers.globalAveragePooling1d().apply(layers.dropout({ rate: 0.5 }).apply(d)) });
  assert.deepEqual(m.predict(ids).shape, [2, 2]);
});

test('a layer that cannot take a mask is an error naming both layers', () => {
  const seq = new Sequential([layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true, inputShape: [4], name: 'emb' }), layers.flatten({ name: 'flat' }), layers.dense({ units: 1 })]);
  assert.throws(() => seq.predict(ids), /layer 'flat' \(Flatten\) does not support masking, but its input from 'emb' \(Embedding\) carries a mask/);
  const c = new Sequential([layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true, inputShape: [4], name: 'emb2' }), layers.conv1d({ filters: 2, kernelSize: 2, name: 'cv' })]);
  assert.throws(() => c.predict(ids), /layer 'cv' \(Conv1D\) does not support masking/);
});

test('merge layers combine masks: concatenate on time joins them, add ANDs them', () => {
  const a = input({ shape: [4], dtype: 'int32' });
  const b = input({ shape: [2], dtype: 'int32' });
  const ea = layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true, name: 'ea' }).apply(a);
  const eb = layers.embedding({ inputDim: 4, outputDim: 3, name: 'eb' }).apply(b);
  const joined = layers.concatenate({ axis: 1 }).apply([ea, eb]);
  const m = model({ inputs: [a, b], outputs: layers.globalAveragePooling1d().apply(joined), seed: 2 });
  const xb = tensor([[1, 2], [3, 3]], [2, 2], 'int32');
  const [ta, tb] = [m.getLayer('ea').getWeights()[0]!, m.getLayer('eb').getWeights()[0]!];
  const got = Array.from((m.predict([ids, xb]) as Tensor).data);
  // Sequence 0: real steps are ids 3, 1 (table a) and 1, 2 (table b, unmasked).
  const want0 = [0, 1, 2].map((k) => (ta.data[3 * 3 + k]! + ta.data[1 * 3 + k]! + tb.data[1 * 3 + k]! + tb.data[2 * 3 + k]!) / 4);
  want0.forEach((v, k) => assert.ok(Math.abs(got[k]! - v) < 1e-6, `${k}: ${got[k]} vs ${v}`));
  // add: a step is real where both inputs' steps are.
  const c = input({ shape: [4], dtype: 'int32' });
  const e1 = layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true, name: 'e1' }).apply(c);
  const e2 = layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true, name: 'e2' }).apply(c);
  const sum = model({ inputs: c, outputs: layers.globalAveragePooling1d().apply(layers.add().apply([e1, e2])) });
  assert.deepEqual(sum.predict(ids).shape, [2, 2]);
});

test('an RNN with returnState inside a Sequential is an error that points to the functional API', () => {
  assert.throws(
    () => new Sequential([layers.lstm({ units: 2, returnState: true, inputShape: [3, 2], name: 'st' }), layers.dense({ units: 1 })]),
    /layer 'st' \(LSTM\) returns 3 outputs \(returnState\); every layer of a Sequential must return one tensor — use the functional API/,
  );
  // In a functional graph it is fine: [output, h, c].
  const a = input({ shape: [3, 2] });
  const outs = layers.lstm({ units: 2, returnState: true }).apply(a) as unknown as ReturnType<typeof input>[];
  assert.equal(outs.length, 3);
  const m = model({ inputs: a, outputs: outs });
  assert.equal((m.predict(tensor(new Array(12).fill(0.5), [2, 3, 2])) as Tensor[]).length, 3);
});
