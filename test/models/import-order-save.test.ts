/**
 * `model.save` / `model.loadWeights` need no import-time setup (issue 10):
 * this file imports only Sequential and the layers — nothing from src/io/,
 * src/models/save-load.ts or the package entry — saves a model to a
 * directory and reads it back, and only then imports loadModel. node:test
 * runs each file in its own process, so no other test loads io first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential } from '../../src/models/sequential.js';
import { layers } from '../../src/layers/index.js';
import { tensor } from '../../src/tensor/create.js';

const bits = (t: { data: ArrayLike<number> }): number[] => Array.from(new Uint32Array(Float32Array.from(t.data).buffer));

test('a script importing only Sequential + layers saves with model.save and loads with loadWeights/loadModel', async () => {
  const stack = () => [layers.dense({ units: 4, activation: 'relu', inputShape: [3], name: 'hidden' }), layers.dropout({ rate: 0.2, name: 'drop' }), layers.dense({ units: 2, name: 'out' })];
  const make = (seed = 5): Sequential => new Sequential(stack(), { seed, name: 'order' });
  const model = make();
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tensor([[0.1, 0.2, 0.3], [1, -1, 0.5], [0, 2, -0.5], [0.3, 0.3, 0.3]]);
  const y = tensor([[1, 0], [0, 1], [1, 1], [0, 0]]);
  await model.fit(x, y, { epochs: 2, batchSize: 2, seed: 3, verbose: 0 });

  const dir = mkdtempSync(join(tmpdir(), 'regula-order-'));
  await model.save(dir);
  assert.ok(readdirSync(dir).includes('model.json'));
  assert.ok(readdirSync(dir).includes('training-state.json'));

  // loadWeights, still without any io import.
  const other = make(99);
  assert.notDeepEqual(bits(other.predict(x)), bits(model.predict(x)));
  await other.loadWeights(dir);
  assert.deepEqual(bits(other.predict(x)), bits(model.predict(x)));

  // Weights-only save through the same method.
  const wdir = mkdtempSync(join(tmpdir(), 'regula-order-w-'));
  await model.saveWeights(wdir);
  const third = make();
  await third.loadWeights(wdir);
  assert.deepEqual(bits(third.predict(x)), bits(model.predict(x)));

  // Only now import the loader: the directory written above loads, training state included.
  const { loadModel } = await import('../../src/models/save-load.js');
  const back = await loadModel(dir);
  assert.deepEqual(bits(back.predict(x)), bits(model.predict(x)));
  assert.deepEqual(back.resumeInfo, { initialEpoch: 2, seed: 3, iterations: 4 });
  assert.equal(back.optimizer?.className, 'Adam');
});
