import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasets } from './embedded.js';

test('datasets.load: every embedded set as tensors, with names and shapes', () => {
  assert.deepEqual([...datasets.names], ['digits', 'breast_cancer', 'wine', 'diabetes']);
  const d = datasets.load('digits');
  assert.deepEqual(d.x.shape, [1797, 64]);
  assert.deepEqual(d.y.shape, [1797]);
  assert.equal(d.y.dtype, 'int32');
  assert.equal(d.classes!.length, 10);
  assert.deepEqual(d.imageShape, [8, 8, 1]);
  assert.equal(d.featureNames.length, 64);
  const r = datasets.load('diabetes');
  assert.equal(r.task, 'regression');
  assert.deepEqual(r.y.shape, [442, 1]);
  assert.deepEqual(datasets.load('wine').x.shape, [178, 13]);
  assert.deepEqual(datasets.load('breast_cancer').x.shape, [569, 30]);
  assert.throws(() => datasets.load('iris' as never), /datasets.load: unknown dataset "iris"; embedded datasets: digits, breast_cancer, wine, diabetes/);
});
