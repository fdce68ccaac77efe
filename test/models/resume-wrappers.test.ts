/**
 * Exact resume through wrappers: a Bidirectional whose LSTM has its own seed
 * holds two seeded streams (forward and backward copies); both travel in the
 * training state, so fit 4 ≡ fit 2 + save + load + fit from epoch 2, bit for bit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromArtifacts, layers, randomNormal, Sequential, tensor, toArtifacts, type Tensor } from '../../src/index.js';

const x = randomNormal([24, 5, 3], { seed: 1 });
const y = tensor(Array.from({ length: 24 }, (_, i) => i % 2), [24], 'int32');

function build(): Sequential {
  const m = new Sequential([
    layers.bidirectional({ layer: layers.lstm({ units: 4, dropout: 0.3, recurrentDropout: 0.3, seed: 5 }), inputShape: [5, 3] }),
    layers.dense({ units: 2, activation: 'softmax' }),
  ], { seed: 2 });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

const same = (a: readonly Tensor[], b: readonly Tensor[]): boolean => a.every((t, i) => t.data.every((v, j) => Object.is(v, b[i]!.data[j])));

test('a seeded Bidirectional(LSTM) resumes exactly: both directions keep their streams', async () => {
  const full = build();
  await full.fit(x, y, { epochs: 4, batchSize: 8, seed: 3, verbose: 0 });
  const first = build();
  await first.fit(x, y, { epochs: 2, batchSize: 8, seed: 3, verbose: 0 });
  const loaded = fromArtifacts(toArtifacts(first));
  await loaded.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0 });
  assert.ok(same(loaded.getWeights(), full.getWeights()), 'resumed weights equal the uninterrupted run');
});
