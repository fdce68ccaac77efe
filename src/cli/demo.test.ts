import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noiseNote } from './demo.js';

test('noiseNote: two binomial standard errors of a difference on one split', () => {
  const n = noiseNote('accuracy', 0.9205, 0.9293, 1258)!;
  const margin = 2 * Math.sqrt((2 * 0.9205 * 0.0795) / 1258);
  assert.match(n, new RegExp(`differences under about ±${margin.toFixed(4)} \\(two binomial standard errors\\) are noise; this one \\(\\+0\\.0088\\) is within the noise of one split`));
  assert.match(noiseNote('accuracy', 0.80, 0.90, 1000)!, /is larger than the noise of one split/);
  assert.equal(noiseNote('mae', 3, 2, 100), undefined);
});
