import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeHtml, renderReport } from './html.js';
import { writeReport } from './write-report.js';
import { comparisonTable, formatNumber, formatTextTable, summaryTable, type ReportData } from './report-data.js';
import { learningCurveSpec } from './charts.js';
import { sampleReport, sampleRun } from '../../test/helpers/sample-report.js';

const count = (s: string, needle: string | RegExp): number => s.split(needle).length - 1;

/** Text content of every <td> of the table with class `cls`. */
function cells(html: string, cls: string): string[][] {
  const t = new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...t.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh]>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!));
}

test('report has one learning-curve chart per regime, plus the gap chart', async () => {
  const data = sampleReport();
  const html = await renderReport(data);
  assert.equal(count(html, 'class="learning-curve"'), 4);
  const figures = [...html.matchAll(/<figure class="learning-curve" data-run="([^"]*)">([\s\S]*?)<\/figure>/g)];
  assert.deepEqual(figures.map((f) => f[1]), ['none', 'l2', 'dropout', 'early stopping + checkpoint']);
  for (const f of figures) assert.equal(count(f[2]!, '<svg'), 1);
  assert.equal(count(html, '<svg'), 5); // 4 curves + gap chart
  assert.equal(count(html, 'class="gap-chart"'), 1);
});

test('report table holds exactly the numbers of the summary table (the CLI prints the same strings)', async () => {
  const data = sampleReport();
  const html = await renderReport(data);
  const t = summaryTable(data);
  const rendered = cells(html, 'summary');
  assert.deepEqual(rendered[0], t.header);
  assert.deepEqual(rendered.slice(1), t.rows.map((r) => r.map(escapeHtml)));
  const none = data.runs[0]!;
  assert.deepEqual(t.rows[0], [
    'none',
    none.train.accuracy!.toFixed(4),
    none.validation!.accuracy!.toFixed(4),
    none.test.accuracy!.toFixed(4),
    none.gap.toFixed(4),
    String(none.bestEpoch),
    '40',
    '1.5',
  ]);
  // Per-layer table and config/seed.
  const layers = cells(html, 'layers');
  assert.deepEqual(layers[3], ['l2', 'dense_1', '3.5000', '1.7500', '0.012300', 'l2(1e-4)']);
  const config = cells(html, 'config');
  assert.deepEqual(config[2], ['seed', '42']);
  assert.ok(config.some((r) => r[0] === 'hidden' && r[1] === '[256,128]'));
  assert.match(html, /seed <strong>42<\/strong>/);
});

test('best and stopped epochs are drawn as rules in the learning-curve spec', () => {
  const run = sampleRun('es', 25, 2, 8, 25);
  const spec = learningCurveSpec(run, 'accuracy') as unknown as { hconcat: { layer: { mark: { type: string }; data: { values: unknown[] } }[] }[] };
  assert.equal(spec.hconcat.length, 2);
  const rules = spec.hconcat[0]!.layer[1]!;
  assert.equal(rules.mark.type, 'rule');
  assert.deepEqual(rules.data.values, [{ epoch: run.bestEpoch, series: 'best epoch' }, { epoch: 25, series: 'stopped' }]);
  const points = spec.hconcat[0]!.layer[0]!.data.values;
  assert.equal(points.length, 50); // 25 train + 25 validation losses
});

test('report is self-contained: no external src/href, no external script, style or font', async () => {
  const html = await renderReport({ ...sampleReport(), comparison: [{ cell: 'a', mean: 0.9, std: 0.1, rank: 1 }] });
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /@import|url\(\s*["']?https?:/i);
  assert.doesNotMatch(html, /<script(?![^>]*type="application\/json")/i);
  assert.equal(count(html, '<script'), 1);
});

test('all text is escaped, including inside the SVG charts and the embedded JSON', async () => {
  const evil = '<img src=x onerror=alert(1)></script>&"';
  const data: ReportData = { ...sampleReport(), title: evil, dataset: evil, config: { [evil]: evil }, runs: [sampleRun(evil, 5, 1, 2)] };
  const html = await renderReport(data);
  assert.doesNotMatch(html, /<img/);
  assert.equal(count(html, '</script>'), 1);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&amp;&quot;'));
  const json = /<script type="application\/json" id="regula-report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(data)));
});

test('comparison grid: table in rank order and a chart', async () => {
  const data: ReportData = {
    ...sampleReport(),
    runs: [],
    comparison: [
      { cell: 'l2=0 dropout=0', mean: 0.91234, std: 0.0213, rank: 3, values: [0.9, 0.92, 0.91] },
      { cell: 'l2=1e-4 dropout=0.25', mean: 0.95, std: 0.01, rank: 1, values: [0.94, 0.95, 0.96] },
      { cell: 'l2=1e-3 dropout=0.5', mean: 0.93, std: 0.015, rank: 2, values: [0.92, 0.93, 0.94] },
    ],
  };
  const html = await renderReport(data);
  const rows = cells(html, 'comparison');
  assert.deepEqual(rows.slice(1), [
    ['1', 'l2=1e-4 dropout=0.25', '0.9500 ± 0.0100', '3'],
    ['2', 'l2=1e-3 dropout=0.5', '0.9300 ± 0.0150', '3'],
    ['3', 'l2=0 dropout=0', '0.9123 ± 0.0213', '3'],
  ]);
  assert.deepEqual(rows.slice(1), comparisonTable(data).rows);
  assert.equal(count(html, '<svg'), 1);
  assert.equal(count(html, 'class="learning-curve"'), 0);
});

test('writeReport writes dir/index.html atomically and leaves no temporary file', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'regula-report-')), 'nested', 'out');
  const path = await writeReport(dir, sampleReport());
  assert.equal(path, join(dir, 'index.html'));
  const first = readFileSync(path, 'utf8');
  assert.ok(first.startsWith('<!DOCTYPE html>') && first.trimEnd().endsWith('</html>'));
  await writeReport(dir, { ...sampleReport(), title: 'second' });
  assert.match(readFileSync(path, 'utf8'), /<title>second<\/title>/);
  assert.deepEqual(readdirSync(dir), ['index.html']);
  // Target is a file, not a directory: the write fails and nothing is left behind.
  const file = join(dir, 'index.html', 'x');
  await assert.rejects(writeReport(file, sampleReport()), /ENOTDIR|EEXIST/);
  assert.ok(!existsSync(file));
  writeFileSync(join(dir, 'keep.txt'), 'x');
  assert.deepEqual(readdirSync(dir).sort(), ['index.html', 'keep.txt']);
});

test('formatNumber and formatTextTable', () => {
  assert.equal(formatNumber(0.123456), '0.1235');
  assert.equal(formatNumber(-0.00001), '0.0000');
  assert.equal(formatNumber(-1.5, 1), '-1.5');
  assert.equal(formatNumber(Number.NaN), 'n/a');
  assert.equal(formatNumber(undefined), 'n/a');
  const text = formatTextTable({ header: ['regime', 'acc'], rows: [['none', '0.9'], ['l2+dropout', '0.95']] });
  assert.equal(text, 'regime       acc\n----------  ----\nnone         0.9\nl2+dropout  0.95');
});
