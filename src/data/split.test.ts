import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gatherRows, kFold, trainValTestSplit } from './split.js';
import { loadTable } from './csv.js';
import { DataError } from './data-error.js';

const DATA = new URL('../../datasets/', import.meta.url).pathname;
const wine = loadTable(join(DATA, 'wine.csv'), { target: 'cultivar' });
const labels = wine.target.task === 'classification' ? wine.target.labels : new Int32Array(0);

function counts(idx: Int32Array, k = 3): number[] {
  const c = new Array<number>(k).fill(0);
  for (const i of idx) c[labels[i]!]!++;
  return c;
}

test('train/val/test split of sorted wine.csv is stratified: sizes exact, class shares within one row', () => {
  const s = trainValTestSplit(178, { validation: 0.15, test: 0.15, seed: 42, labels });
  assert.equal(s.test.length, 27);
  assert.equal(s.validation.length, 27);
  assert.equal(s.train.length, 124);
  const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 178 }, (_, i) => i), 'every row in exactly one part');
  const totals = [59, 71, 48];
  for (const [part, frac] of [[s.test, 0.15], [s.validation, 0.15]] as const) {
    const c = counts(part);
    c.forEach((n, k) => assert.ok(Math.abs(n - totals[k]! * frac) <= 1, `class ${k}: ${n} vs ${totals[k]! * frac}`));
  }
  // Every class is in every part (a last-fraction split would hold class 2 only).
  for (const part of [s.train, s.validation, s.test]) assert.ok(counts(part).every((n) => n > 0));
});

test('same seed gives the same split; another seed a different one', () => {
  const a = trainValTestSplit(178, { validation: 0.2, test: 0.1, seed: 7, labels });
  const b = trainValTestSplit(178, { validation: 0.2, test: 0.1, seed: 7, labels });
  const c = trainValTestSplit(178, { validation: 0.2, test: 0.1, seed: 8, labels });
  assert.deepEqual(a, b);
  assert.notDeepEqual([...a.test], [...c.test]);
});

test('unstratified split (regression) and zero validation', () => {
  const s = trainValTestSplit(10, { validation: 0, test: 0.3, seed: 1 });
  assert.equal(s.validation.length, 0);
  assert.equal(s.test.length, 3);
  assert.deepEqual([...s.train, ...s.test].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('split argument errors', () => {
  assert.throws(() => trainValTestSplit(10, { validation: 1, test: 0, seed: 1 }), {
    name: 'RangeError',
    message: 'trainValTestSplit: validation fraction must be in [0, 1), got 1',
  });
  assert.throws(() => trainValTestSplit(10, { validation: 0.5, test: 0.5, seed: 1 }), /validation \+ test must be < 1, got 0.5 \+ 0.5/);
  assert.throws(() => trainValTestSplit(2, { validation: 0.3, test: 0.3, seed: 1 }), (e: unknown) => e instanceof DataError && /no training row is left/.test(e.message));
  assert.throws(() => trainValTestSplit(3, { validation: 0.1, test: 0.1, seed: 1, labels: [0, 1] }), /labels has 2 entries but n = 3/);
});

test('stratified k-fold covers every index exactly once; folds and class counts balanced', () => {
  const folds = kFold(178, 5, { seed: 3, labels });
  assert.equal(folds.length, 5);
  const seen = new Array<number>(178).fill(0);
  for (const f of folds) {
    for (const i of f.validation) seen[i]!++;
    assert.equal(f.train.length + f.validation.length, 178);
    const inVal = new Set(f.validation);
    assert.ok([...f.train].every((i) => !inVal.has(i)), 'train and validation are disjoint');
    assert.ok(f.validation.length === 35 || f.validation.length === 36);
    const c = counts(f.validation);
    [59, 71, 48].forEach((n, k) => assert.ok(c[k] === Math.floor(n / 5) || c[k] === Math.ceil(n / 5), `class ${k} count ${c[k]}`));
  }
  assert.ok(seen.every((n) => n === 1));
  assert.deepEqual(kFold(178, 5, { seed: 3, labels }), folds);
  const plain = kFold(7, 3, { seed: 1 });
  assert.deepEqual(plain.map((f) => f.validation.length).sort(), [2, 2, 3]);
  assert.throws(() => kFold(5, 1, { seed: 1 }), /k must be an integer in \[2, n=5\], got 1/);
});

test('gatherRows copies the selected rows', () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...gatherRows(x, 2, [2, 0])], [5, 6, 1, 2]);
  assert.deepEqual([...gatherRows(Int32Array.from([9, 8, 7]), 1, [1])], [8]);
  assert.throws(() => gatherRows(x, 2, [3]), /row index 3 out of range/);
});

test('issue 9: a 700k-row stratified split and gather do not overflow the stack (no push(...slice))', () => {
  const n = 700_000;
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const s = trainValTestSplit(n, { validation: 0.1, test: 0.1, seed: 3, labels: y });
  assert.deepEqual([s.train.length, s.validation.length, s.test.length], [560_000, 70_000, 70_000]);
  const seen = new Uint8Array(n);
  for (const part of [s.train, s.validation, s.test]) for (const r of part) seen[r]!++;
  assert.ok(seen.every((c) => c === 1), 'every row in exactly one part');
  const x = Float32Array.from({ length: n * 2 }, (_, i) => i);
  const g = gatherRows(x, 2, s.test);
  assert.equal(g[1], 2 * s.test[0]! + 1);
  const u = trainValTestSplit(n, { validation: 0.2, test: 0, seed: 3 });
  assert.equal(u.train.length, 560_000);
});
