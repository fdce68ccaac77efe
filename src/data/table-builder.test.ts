/**
 * The streaming `loadTable` (table-builder.ts) on files bigger than one
 * storage chunk and with more distinct values than a column's dictionary
 * holds: it must give exactly what the string-row path gives
 * (`loadTable(readCsv(…))`), and the errors that depend on distinct counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTable, readCsv } from './csv.js';
import { DataError } from './data-error.js';
import { CHUNK_ROWS, DICT_LIMIT } from './column-builder.js';

function bigCsv(rows: number, cell: (r: number) => string, target: (r: number) => string): string {
  const lines = ['x,cat,wide,y'];
  for (let r = 0; r < rows; r++) lines.push(`${r % 17},${['red', 'green', 'blue'][r % 3]},${cell(r)},${target(r)}`);
  return lines.join('\n') + '\n';
}

test('more rows than a chunk and more distinct values than a dictionary: same table as the string-row path', () => {
  const rows = CHUNK_ROWS + 123;
  const text = bigCsv(rows, (r) => String((r * 7919) % 100003 / 7), (r) => String(r % 3));
  for (const task of ['auto', 'regression'] as const) {
    const a = loadTable({ text, name: 'big.csv' }, { target: 'y', task });
    const b = loadTable(readCsv({ text, name: 'big.csv' }), { target: 'y', task });
    assert.equal(a.rows, rows);
    assert.deepEqual(a.columns, b.columns);
    assert.deepEqual(a.target.task, task === 'auto' ? 'classification' : 'regression');
    assert.ok(a.features.every((v, i) => v === b.features[i]), 'features equal');
    assert.deepEqual(a.target, b.target);
  }
  // A regression target with many distinct values (stored as values, not codes).
  const reg = bigCsv(rows, (r) => String(r % 5), (r) => String(r / 3));
  const a = loadTable({ text: reg }, { target: 'y' });
  const b = loadTable(readCsv({ text: reg }), { target: 'y' });
  assert.equal(a.target.task, 'regression');
  assert.deepEqual(a.target, b.target);
  assert.ok(a.features.every((v, i) => v === b.features[i]), 'features equal');
});

test('a text column past the dictionary limit is an error naming the limit; a stray text cell after it too', () => {
  const n = DICT_LIMIT + 500;
  const many = bigCsv(n, (r) => `id${r}`, (r) => String(r % 2));
  assert.throws(
    () => loadTable({ text: many, name: 'm.csv' }, { target: 'y' }),
    (e: unknown) =>
      e instanceof DataError &&
      e.message === `m.csv: column "wide": categorical column has more than ${DICT_LIMIT} distinct values, more than the limit of 100; exclude the column or encode it as numbers`,
  );
  const stray = bigCsv(n, (r) => (r === n - 2 ? 'oops' : String(r)), (r) => String(r % 2));
  const message = `s.csv:${n}: column "wide": cell "oops" is not a number (${n - 1} of ${n} cells in this column are numbers, so it is read as numeric)`;
  assert.throws(() => loadTable({ text: stray, name: 's.csv' }, { target: 'y' }), (e: unknown) => e instanceof DataError && e.message === message);
  assert.throws(() => loadTable(readCsv({ text: stray, name: 's.csv' }), { target: 'y' }), (e: unknown) => e instanceof DataError && e.message === message);
});
