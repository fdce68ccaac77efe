import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadTable, readCsv } from './csv.js';
import { Preprocessing } from './preprocessing.js';
import { trainValTestSplit } from './split.js';
import { DataError } from './data-error.js';

const train = 'city,temp,label\nparis,10,warm\noslo,0,cold\nrome,20,warm\noslo,-10,cold\n';

test('Preprocessing fits on train rows, survives JSON, encodes a new CSV identically', () => {
  const table = loadTable({ text: train, name: 'train.csv' }, { target: 'label' });
  const pre = Preprocessing.fit(table, [0, 1]); // temp mean 5, std 5
  assert.deepEqual(pre.featureNames, ['city=oslo', 'city=paris', 'city=rome', 'temp']);
  assert.deepEqual(pre.classes, ['cold', 'warm']);
  assert.equal(pre.task, 'classification');
  assert.equal(pre.inputSize, 4);
  const fromTable = pre.transformTable(table);
  assert.deepEqual([...fromTable.features.subarray(8, 16)], [0, 0, 1, 3, 1, 0, 0, -3]); // one-hot stays 0/1
  assert.deepEqual(pre.scaler?.mean, [0, 0, 0, 5]);
  assert.deepEqual(pre.scaler?.std, [1, 1, 1, 5]);
  const back = Preprocessing.fromJSON(JSON.parse(JSON.stringify(pre)));
  // A new file: columns in another order, an extra column, no target column.
  const raw = readCsv({ text: 'extra,temp,city\n1,15,rome\n2,5,paris\n', name: 'new.csv' });
  const enc = back.transform(raw);
  assert.equal(enc.target, null);
  assert.equal(enc.rows, 2);
  assert.deepEqual([...enc.features], [0, 0, 1, 2, 0, 1, 0, 0]);
  // The same rows through both objects give the same numbers.
  assert.deepEqual([...back.transform(readCsv({ text: train })).features], [...fromTable.features]);
  const withTarget = back.transform(readCsv({ text: train }), { requireTarget: true });
  assert.ok(withTarget.target?.task === 'classification');
  assert.deepEqual([...withTarget.target.labels], [1, 0, 1, 0]);
});

test('Preprocessing errors: unknown category, unknown class, missing column, missing target, bad JSON', () => {
  const pre = Preprocessing.fit(loadTable({ text: train }, { target: 'label' }), [0, 1, 2, 3]);
  const run = (text: string, requireTarget = false) => () => pre.transform(readCsv({ text, name: 'p.csv' }), { requireTarget });
  assert.throws(run('city,temp\nberlin,3\n'), (e: unknown) => e instanceof DataError && e.message === 'p.csv:2: column "city": unknown category "berlin"; known categories: oslo, paris, rome');
  assert.throws(run('city,temp,label\noslo,3,hot\n'), { message: 'p.csv:2: column "label": unknown class "hot"; known classes: cold, warm' });
  assert.throws(run('city\noslo\n'), { message: 'p.csv: missing column "temp"; expected columns: city, temp' });
  assert.throws(run('city,temp\noslo,3\n', true), { message: 'p.csv: missing target column "label"; available columns: city, temp' });
  assert.throws(run('city,temp\noslo,warm\n'), { message: 'p.csv:2: column "temp": cell "warm" is not a number (0 of 1 cells in this column are numbers, and it is a numeric column)' });
  assert.throws(() => Preprocessing.fromJSON({ format: 'x' }), { message: 'invalid preprocessing JSON: format must be "regula-preprocessing"' });
  const j = JSON.parse(JSON.stringify(pre));
  j.scaler.mean.pop();
  j.scaler.std.pop();
  assert.throws(() => Preprocessing.fromJSON(j), { message: 'preprocessing: scaler has 3 columns but the layout has 4 features' });
});

test('Preprocessing on breast_cancer: standardized train features have mean 0, std 1', () => {
  const table = loadTable(join(new URL('../../datasets/', import.meta.url).pathname, 'breast_cancer.csv'), { target: 'diagnosis' });
  const labels = table.target.task === 'classification' ? table.target.labels : undefined;
  const split = trainValTestSplit(table.rows, { validation: 0.2, test: 0.2, seed: 5, labels });
  const pre = Preprocessing.fit(table, split.train);
  const x = pre.transformTable(table).features;
  for (let j = 0; j < table.cols; j++) {
    let m = 0;
    let v = 0;
    for (const r of split.train) m += x[r * table.cols + j]!;
    m /= split.train.length;
    for (const r of split.train) v += (x[r * table.cols + j]! - m) ** 2;
    assert.ok(Math.abs(m) < 1e-5, `column ${j} mean ${m}`);
    assert.ok(Math.abs(Math.sqrt(v / split.train.length) - 1) < 1e-4, `column ${j} std`);
  }
  // Regression preprocessing round-trips too.
  const d = loadTable(join(new URL('../../datasets/', import.meta.url).pathname, 'diabetes.csv'), { target: 'progression' });
  const p2 = Preprocessing.fromJSON(JSON.parse(JSON.stringify(Preprocessing.fit(d, [0, 1, 2, 3, 4]))));
  assert.equal(p2.task, 'regression');
  assert.equal(p2.classes, null);
});
