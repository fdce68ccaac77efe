import assert from 'node:assert/strict';
import { test } from 'node:test';
import { significanceLine } from './compare.js';
import { concatTables, foldResamples, loadDemoData, subsetTable } from './demo-data.js';
import { DEMO_PRESETS, studyOf } from './demo-study.js';
import { loadData } from './shared-options.js';
import type { ComparisonRow } from '../report/report-data.js';

test('loadDemoData holds out a seeded stratified test part; the comparison rows and it partition the dataset', () => {
  const d = loadDemoData('digits', 0.7, 42);
  assert.equal(d.rows, 1797);
  assert.equal(d.dev.rows + d.test.rows, 1797);
  assert.ok(Math.abs(d.test.rows - 0.7 * 1797) <= 10, `${d.test.rows} test rows`);
  assert.deepEqual((d.dev as { imageShape?: number[] }).imageShape, [8, 8, 1], 'digits keep their image shape');
  // Every class is in both parts in about the same proportion (stratified).
  const count = (labels: Int32Array, c: number): number => labels.filter((l) => l === c).length;
  const dl = d.dev.target.task === 'classification' ? d.dev.target.labels : new Int32Array();
  const tl = d.test.target.task === 'classification' ? d.test.target.labels : new Int32Array();
  for (let c = 0; c < 10; c++) assert.ok(Math.abs(count(dl, c) / d.dev.rows - count(tl, c) / d.test.rows) < 0.02);
  assert.match(d.note, /^539 rows to compare the regimes on \/ 1258 held-out test rows \(seeded, stratified\)$/);
  // The same seed gives the same parts.
  assert.deepEqual(loadDemoData('digits', 0.7, 42).test.features, d.test.features);
});

test('foldResamples: r × k folds; each fold scored once per repetition; train, validation and scored rows disjoint', () => {
  const table = subsetTable(loadData({ dataset: 'wine' }), Int32Array.from({ length: 120 }, (_, i) => i));
  const rs = foldResamples(table, 4, 2, 0.2, 7);
  assert.equal(rs.length, 8);
  assert.deepEqual(rs.map((r) => `${r.rep}.${r.fold}`), ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4']);
  for (const rep of [1, 2]) {
    const scored = rs.filter((r) => r.rep === rep).flatMap((r) => [...r.rows.test]).sort((a, b) => a - b);
    assert.deepEqual(scored, Array.from({ length: 120 }, (_, i) => i), 'the folds of a repetition partition the rows');
  }
  for (const r of rs) {
    const all = [...r.rows.train, ...r.rows.validation, ...r.rows.test];
    assert.equal(new Set(all).size, 120, 'disjoint and complete');
    assert.ok(Math.abs(r.rows.validation.length - 0.2 * (120 - r.rows.test.length)) <= 3);
  }
  assert.notDeepEqual([...rs[0]!.rows.test], [...rs[4]!.rows.test], 'repetitions reshuffle');
  assert.deepEqual(foldResamples(table, 4, 2, 0.2, 7), rs, 'seeded');
});

test('concatTables: rows of both, in order', () => {
  const wine = loadData({ dataset: 'wine' });
  const a = subsetTable(wine, [0, 1, 2]);
  const b = subsetTable(wine, [100, 177]);
  const c = concatTables(a, b);
  assert.equal(c.rows, 5);
  assert.deepEqual(c.features, subsetTable(wine, [0, 1, 2, 100, 177]).features);
  assert.deepEqual(c.target, subsetTable(wine, [0, 1, 2, 100, 177]).target);
});

test('studyOf: presets, --folds / --repeats override, regimes as plain-data model specs', () => {
  const s = studyOf({ dataset: 'digits' });
  assert.deepEqual(s.resampling, DEMO_PRESETS.digits.resampling);
  assert.equal(s.regimes[0]!.name, 'none');
  assert.deepEqual(JSON.parse(JSON.stringify(s.regimes[0]!.model)), s.regimes[0]!.model, 'a spec survives cloning');
  assert.equal(studyOf({ dataset: 'wine', folds: 5, repeats: 1 }).resampling.folds, 5);
  assert.equal(studyOf({ dataset: 'digits', model: 'cnn' }).regimes[0]!.model.kind, 'cnn');
  assert.throws(() => studyOf({ dataset: 'wine', model: 'cnn' }), /--model cnn needs an image dataset/);
});

test('significanceLine says plainly when nothing beat the baseline, and names better and worse regimes', () => {
  const row = (cell: string, mean: number, significant: boolean): ComparisonRow => ({ cell, mean: 0, std: 0, rank: 1, vsBaseline: { baseline: 'none', mean, ci: [mean - 0.01, mean + 0.01], p: significant ? 0.01 : 0.5, significant } });
  assert.equal(significanceLine([row('l2', 0.01, false)], true, 'accuracy', 'regime'), "significance: no regime beat 'none' on accuracy (95 % corrected resampled t-test); every difference is within resampling noise");
  assert.equal(significanceLine([row('l2', 0.02, true), row('l1', -0.03, true)], true, 'accuracy', 'regime'), "significance: 'l2' beat 'none' on accuracy (95 % corrected resampled t-test, marked *); 'l1' is significantly worse");
  assert.equal(significanceLine([row('l1', 0.3, true)], false, 'mae', 'regime'), "significance: no regime beat 'none' on mae (95 % corrected resampled t-test); 'l1' is significantly worse");
});
