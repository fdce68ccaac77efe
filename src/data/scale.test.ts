import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StandardScaler } from './scale.js';
import { DataError } from './data-error.js';

// 4 rows × 2 columns; column 1 is constant.
const x = Float32Array.from([1, 5, 3, 5, 100, 5, 200, 5]);

test('scaler is fitted on the training rows only', () => {
  const s = StandardScaler.fit(x, 2, [0, 1]);
  assert.deepEqual(s.mean, [2, 5]);
  assert.deepEqual(s.std, [1, 1]); // population std of [1, 3] is 1; constant column → 1
  const all = StandardScaler.fit(x, 2);
  assert.equal(all.mean[0], 76);
  assert.notEqual(all.std[0], 1);
  // Rows 2 and 3 are transformed with the training statistics.
  assert.deepEqual([...s.transform(x, 2)], [-1, 0, 1, 0, 98, 0, 198, 0]);
});

test('constant column with inexact sum gets std 1 and maps to 0', () => {
  const c = Float32Array.from([0.1, 0.1, 0.1]);
  const s = StandardScaler.fit(c, 1);
  assert.deepEqual(s.std, [1]);
  assert.deepEqual([...s.transform(c, 1)], [0, 0, 0]);
});

test('scaler JSON round trip and validation', () => {
  const s = StandardScaler.fit(x, 2, [0, 1, 2]);
  const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
  assert.deepEqual(back.mean, s.mean);
  assert.deepEqual(back.std, s.std);
  assert.deepEqual([...back.transform(x, 2)], [...s.transform(x, 2)]);
  assert.throws(() => StandardScaler.fromJSON({ className: 'StandardScaler', mean: [0], std: [0] }), (e: unknown) => e instanceof DataError && /std\[0\] must be finite and > 0, got 0/.test(e.message));
  assert.throws(() => StandardScaler.fromJSON({ mean: [0] }), DataError);
  assert.throws(() => s.transform(Float32Array.from([1, 2, 3]), 3), {
    message: 'scaler: data has 3 feature columns (3 values) but the scaler was fitted on 2',
  });
});
