import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxNorm, minMaxNorm, unitNorm, getConstraint } from './constraints.js';
import { randomNormal } from './tensor/create.js';
import { assertClose } from '../test/helpers/assert-close.js';

/** Per-filter norms of a [kh, kw, in, out] kernel (over axes 0, 1, 2). */
function filterNorms(data: ArrayLike<number>, out: number): number[] {
  const n = new Array<number>(out).fill(0);
  for (let i = 0; i < data.length; i++) n[i % out]! += data[i]! ** 2;
  return n.map(Math.sqrt);
}

test('norm constraints on 4-D Conv2D kernels with array axes [0, 1, 2] (and negative axes): one norm per filter', () => {
  const w = randomNormal([3, 2, 4, 5], { seed: 1, stddev: 2 });
  const before = filterNorms(w.data, 5);
  for (const axis of [[0, 1, 2], [-4, -3, -2]]) {
    const m = filterNorms(maxNorm({ maxValue: 1.5, axis }).apply(w).data, 5);
    assertClose(m, before.map((n) => (n * Math.min(n, 1.5)) / (n + 1e-7)), { rtol: 1e-5, label: `maxNorm ${axis}` });
    assertClose(filterNorms(unitNorm({ axis }).apply(w).data, 5), before.map((n) => n / (n + 1e-7)), { rtol: 1e-5, label: `unitNorm ${axis}` });
    const mm = filterNorms(minMaxNorm({ minValue: 5, maxValue: 6, rate: 1, axis }).apply(w).data, 5);
    assertClose(mm, before.map((n) => (n * Math.min(Math.max(n, 5), 6)) / (n + 1e-7)), { rtol: 1e-5, label: `minMaxNorm ${axis}` });
  }
  // From a config (as model.json stores a Conv2D kernel constraint).
  const c = getConstraint({ class_name: 'MaxNorm', config: { max_value: 1, axis: [0, 1, 2] } });
  assert.ok(filterNorms(c.apply(w).data, 5).every((n) => n <= 1 + 1e-6));
  assert.throws(() => maxNorm({ axis: [0, 4] }).apply(w), /axis/);
});
