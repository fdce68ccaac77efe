import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTable, readCsv } from './csv.js';
import { DataError } from './data-error.js';

const DATA = new URL('../../datasets/', import.meta.url).pathname;

function classCounts(labels: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]!++;
  return c;
}

test('breast_cancer.csv: 569 rows, 30 features, malignant/benign 212/357', () => {
  const t = loadTable(join(DATA, 'breast_cancer.csv'), { target: 'diagnosis' });
  assert.equal(t.rows, 569);
  assert.equal(t.cols, 30);
  assert.equal(t.features.length, 569 * 30);
  assert.equal(t.featureNames[0], 'mean_radius');
  assert.equal(t.target.task, 'classification');
  assert.ok(t.target.task === 'classification');
  assert.deepEqual(t.target.classes, ['benign', 'malignant']);
  assert.deepEqual(classCounts(t.target.labels, 2), [357, 212]);
  assert.ok(t.columns.every((c) => c.kind === 'numeric'));
  // First row, first cell of the file: 17.99 (float32).
  assert.equal(t.features[0], Math.fround(17.99));
});

test('wine.csv: 178 rows, 13 features, 3 classes 59/71/48, sorted by class', () => {
  const t = loadTable(join(DATA, 'wine.csv'), { target: 'cultivar' });
  assert.equal(t.rows, 178);
  assert.equal(t.cols, 13);
  assert.ok(t.target.task === 'classification');
  assert.deepEqual(t.target.classes, ['class_0', 'class_1', 'class_2']);
  assert.deepEqual(classCounts(t.target.labels, 3), [59, 71, 48]);
  for (let i = 1; i < t.rows; i++) assert.ok(t.target.labels[i]! >= t.target.labels[i - 1]!, `row ${i} breaks the class order`);
  assert.equal(t.features[12], 1065); // proline of row 1
});

test('digits.csv: 1797 rows, 64 pixel features, integer target inferred as 10 classes', () => {
  const t = loadTable(join(DATA, 'digits.csv'), { target: 'digit' });
  assert.equal(t.rows, 1797);
  assert.equal(t.cols, 64);
  assert.ok(t.target.task === 'classification');
  assert.deepEqual(t.target.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(classCounts(t.target.labels, 10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  let max = 0;
  for (const v of t.features) max = Math.max(max, v);
  assert.equal(max, 16);
});

test('diabetes.csv: 442 rows, 10 features, integer target with many values inferred as regression', () => {
  const t = loadTable(join(DATA, 'diabetes.csv'), { target: 'progression' });
  assert.equal(t.rows, 442);
  assert.equal(t.cols, 10);
  assert.ok(t.target.task === 'regression');
  assert.equal(t.target.values[0], 151);
  assert.equal(Math.min(...t.target.values), 25);
  assert.equal(Math.max(...t.target.values), 346);
  // The task override turns it into classification with one class per value.
  const c = loadTable(join(DATA, 'diabetes.csv'), { target: 'progression', task: 'classification' });
  assert.ok(c.target.task === 'classification');
  assert.equal(c.target.classes.length, new Set(t.target.values).size);
});

test('categorical columns are one-hot encoded with sorted categories', () => {
  const text = 'color,size,y\nred,1.5,a\nblue,2,b\nred,3,a\ngreen,4,b\n';
  const t = loadTable({ text, name: 'mem.csv' }, { target: 'y' });
  assert.deepEqual(t.featureNames, ['color=blue', 'color=green', 'color=red', 'size']);
  assert.deepEqual([...t.features], [0, 0, 1, 1.5, 1, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 4]);
  assert.deepEqual(t.columns[0], { name: 'color', kind: 'categorical', categories: ['blue', 'green', 'red'] });
  assert.ok(t.target.task === 'classification');
  assert.deepEqual([...t.target.labels], [0, 1, 0, 1]);
});

test('task rule: few distinct integers ⇒ classification, override to regression', () => {
  const text = 'x,y\n1,0\n2,1\n3,0\n4,1\n5,1\n6,0\n';
  assert.equal(loadTable({ text }, { target: 'y' }).target.task, 'classification');
  const r = loadTable({ text }, { target: 'y', task: 'regression' });
  assert.ok(r.target.task === 'regression');
  assert.deepEqual([...r.target.values], [0, 1, 0, 1, 1, 0]);
  // Non-integer numbers ⇒ regression.
  assert.equal(loadTable({ text: 'x,y\n1,0.5\n2,1.5\n3,0.5\n4,1.5\n' }, { target: 'y' }).target.task, 'regression');
  // Numeric class names are canonical: 1.0 and 1 are one class.
  const c = loadTable({ text: 'x,y\n1,1.0\n2,2\n3,1\n4,2\n' }, { target: 'y' });
  assert.ok(c.target.task === 'classification');
  assert.deepEqual(c.target.classes, ['1', '2']);
  assert.deepEqual([...c.target.labels], [0, 1, 0, 1]);
});

test('exclude drops a column; quoted fields, BOM, blank lines and CRLF are handled', () => {
  const text = '\uFEFFid,"a",y\r\n1,"2",p\r\n\r\n2,3,q\r\n';
  const t = loadTable({ text }, { target: 'y', exclude: ['id'] });
  assert.deepEqual(t.featureNames, ['a']);
  assert.deepEqual([...t.features], [2, 3]);
  assert.deepEqual(readCsv({ text }).lines, [2, 4]);
});

function throwsData(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

test('bad input: missing file', () => {
  throwsData(() => loadTable('/nonexistent/x.csv', { target: 'y' }), '/nonexistent/x.csv: file not found');
});

test('bad input: unknown target column lists the available ones', () => {
  throwsData(
    () => loadTable({ text: 'a,b,c\n1,2,3\n4,5,6\n', name: 'm.csv' }, { target: 'label' }),
    'm.csv: unknown target column "label"; available columns: a, b, c',
  );
});

test('bad input: non-numeric cell in a numeric column names file, line and column', () => {
  const text = 'a,b,y\n1,2,0\n3,4,1\n5,x7,0\n7,8,1\n';
  throwsData(
    () => loadTable({ text, name: 'm.csv' }, { target: 'y' }),
    'm.csv:4: column "b": cell "x7" is not a number (3 of 4 cells in this column are numbers, so it is read as numeric)',
  );
});

test('bad input: empty data (empty file, header only, whitespace only)', () => {
  throwsData(() => loadTable({ text: '', name: 'e.csv' }, { target: 'y' }), 'e.csv: empty data: the file has no header row and no rows');
  throwsData(() => loadTable({ text: '\n\n', name: 'e.csv' }, { target: 'y' }), 'e.csv: empty data: the file has no header row and no rows');
  throwsData(() => loadTable({ text: 'a,y\n', name: 'e.csv' }, { target: 'y' }), 'e.csv: empty data: the header has no data rows under it');
  const dir = mkdtempSync(join(tmpdir(), 'regula-csv-'));
  writeFileSync(join(dir, 'empty.csv'), '');
  throwsData(() => loadTable(join(dir, 'empty.csv'), { target: 'y' }), `${join(dir, 'empty.csv')}: empty data: the file has no header row and no rows`);
});

test('bad input: NaN and Inf cells', () => {
  throwsData(
    () => loadTable({ text: 'a,y\n1,0\nNaN,1\n', name: 'n.csv' }, { target: 'y' }),
    'n.csv:3: column "a": cell "NaN" is NaN/Inf; only finite numbers are allowed',
  );
  throwsData(
    () => loadTable({ text: 'a,y\n1,0\n2,1\n-inf,0\n', name: 'n.csv' }, { target: 'y' }),
    'n.csv:4: column "a": cell "-inf" is NaN/Inf; only finite numbers are allowed',
  );
  throwsData(
    () => loadTable({ text: 'a,y\n1,0\n2,Infinity\n', name: 'n.csv' }, { target: 'y' }),
    'n.csv:3: column "y": cell "Infinity" is NaN/Inf; only finite numbers are allowed',
  );
  throwsData(
    () => loadTable({ text: 'a,y\n1e39,0\n2,1\n', name: 'n.csv' }, { target: 'y' }),
    'n.csv:2: column "a": cell "1e39" is outside the float32 range (Inf)',
  );
});

test('bad input: target with one class', () => {
  throwsData(
    () => loadTable({ text: 'a,y\n1,yes\n2,yes\n3,yes\n', name: 'o.csv' }, { target: 'y' }),
    'o.csv: column "y": target has one class ("yes"); classification needs at least 2',
  );
  throwsData(
    () => loadTable({ text: 'a,y\n1,7\n2,7\n', name: 'o.csv' }, { target: 'y' }),
    'o.csv: column "y": target has one distinct value (7); it cannot be learned',
  );
});

test('bad input: ragged row, empty cell, duplicate header, text in a regression target', () => {
  throwsData(() => loadTable({ text: 'a,b,y\n1,2,0\n3,1\n', name: 'r.csv' }, { target: 'y' }), 'r.csv:3: ragged row: 2 fields, but the header has 3');
  throwsData(
    () => loadTable({ text: 'a,b,y\n1,,0\n3,4,1\n', name: 'r.csv' }, { target: 'y' }),
    'r.csv:2: column "b": empty cell (missing values are not supported)',
  );
  throwsData(() => loadTable({ text: 'a,a,y\n1,2,0\n', name: 'r.csv' }, { target: 'y' }), 'r.csv:1: duplicate column name "a" in the header');
  throwsData(
    () => loadTable({ text: 'a,y\n1,0.5\n2,big\n3,1\n', name: 'r.csv' }, { target: 'y', task: 'regression' }),
    'r.csv:3: column "y": cell "big" is not a number (2 of 3 cells in this column are numbers, and regression needs a numeric target)',
  );
  throwsData(() => loadTable({ text: 'a,y\n"1,0\n', name: 'r.csv' }, { target: 'y' }), 'r.csv:2: CSV syntax error: Quote Not Closed: the parsing is finished with an opening quote at line 2');
});

test('bad input: too many categories in a text column', () => {
  const rows = Array.from({ length: 12 }, (_, i) => `id${i},${i % 2}`).join('\n');
  throwsData(
    () => loadTable({ text: `name,y\n${rows}\n`, name: 'c.csv' }, { target: 'y', maxCategories: 10 }),
    'c.csv: column "name": categorical column has 12 distinct values, more than the limit of 10; exclude the column or encode it as numbers',
  );
});
