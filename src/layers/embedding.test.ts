import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embedding, embedding } from './embedding.js';
import { Rng } from '../random.js';
import { tensor } from '../tensor/create.js';
import { gradCheckLayer, layerTest } from '../../test/helpers/layer-test.js';

const ctx = { training: false };

test('Embedding contract with int32 and float ids', () => {
  layerTest(Embedding, { inputDim: 10, outputDim: 4 }, {
    inputShape: [2, 3],
    outputShape: [2, 3, 4],
    trainableWeights: 1,
    input: tensor([[1, 2, 9], [0, 0, 3]], [2, 3], 'int32'),
  });
  layerTest(embedding, { inputDim: 5, outputDim: 2 }, { inputShape: [3], outputShape: [3, 2], trainableWeights: 1, input: tensor([4, 0, 2]), inputGrad: false });
});

test('Embedding looks up rows; default init U(-0.05, 0.05); gradient scatters into rows', () => {
  const e = new Embedding({ inputDim: 4, outputDim: 2 });
  const ids = tensor([[3, 1], [1, 1]], [2, 2], 'int32');
  e.apply(ids, ctx, new Rng(0));
  assert.ok(Array.from(e.embeddings!.data).every((v) => v >= -0.05 && v < 0.05));
  e.setWeights([tensor([[0, 1], [2, 3], [4, 5], [6, 7]])]);
  assert.deepEqual(e.apply(ids, ctx).toArray(), [[[6, 7], [2, 3]], [[2, 3], [2, 3]]]);
  const r = gradCheckLayer(e, ids, ['embeddings'], { withInput: false });
  assert.ok(r.ok, `worst ${r.worst}`);
});

test('Embedding out-of-range or non-integer ids give a clear error', () => {
  const e = new Embedding({ inputDim: 3, outputDim: 2 });
  assert.throws(() => e.apply(tensor([[0, 3]], [1, 2], 'int32'), ctx, new Rng(0)), /id 3 at flat index 1 of input \[1,2\] is not an integer in \[0, 3\)/);
  assert.throws(() => e.apply(tensor([[-1]], [1, 1], 'int32'), ctx), /id -1 at flat index 0/);
  assert.throws(() => e.apply(tensor([[1.5]]), ctx), /id 1.5 at flat index 0/);
});

test('Embedding config (TF.js keys), inputLength, validation', () => {
  const e = new Embedding({ inputDim: 7, outputDim: 3, inputLength: 5, name: 'emb' });
  assert.deepEqual(e.batchInputShape, [null, 5]);
  assert.deepEqual(e.getConfig(), {
    name: 'emb',
    trainable: true,
    dtype: 'float32',
    batch_input_shape: [null, 5],
    input_dim: 7,
    output_dim: 3,
    embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
    embeddings_regularizer: null,
    activity_regularizer: null,
    embeddings_constraint: null,
    mask_zero: false,
    input_length: 5,
  });
  assert.deepEqual(Embedding.fromConfig(JSON.parse(JSON.stringify(e.getConfig())) as Record<string, unknown>).getConfig(), e.getConfig());
  assert.throws(() => new Embedding({ inputDim: 0, outputDim: 2 }), /Embedding: inputDim must be a positive integer, got 0/);
  const masked = new Embedding({ inputDim: 3, outputDim: 2, maskZero: true });
  assert.equal(masked.getConfig()['mask_zero'], true);
  assert.deepEqual(Array.from(masked.computeMask(tensor([[0, 2, 1], [1, 0, 0]], [2, 3], 'int32'))!.data), [0, 1, 1, 1, 0, 0]);
  assert.equal(e.computeMask(tensor([[0, 2]], [1, 2], 'int32')), null);
  assert.throws(() => new Embedding({ inputDim: 3, output_dim: 2 } as never), /Embedding: unknown option 'output_dim'/);
});
