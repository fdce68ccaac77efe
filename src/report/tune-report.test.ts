import { test } from 'node:test';
import assert from 'node:assert/strict';
import { historySpec, intermediateSpec, renderTuneReport, type TuneReportData } from './tune-report.js';

const data: TuneReportData = {
  title: 'Regula tune: <digits>',
  dataset: 'digits',
  objective: 'val_loss',
  direction: 'minimize',
  settings: { sampler: 'tpe', pruner: 'asha' },
  trials: [
    { number: 0, state: 'complete', params: { l2: 1e-4 }, value: 0.5, epochs: 3, intermediate: [[1, 0.9], [2, 0.7], [3, 0.5]] },
    { number: 1, state: 'pruned', params: { l2: 1e-2 }, value: 1.2, epochs: 1, intermediate: [[1, 1.2]] },
    { number: 2, state: 'complete', params: { l2: 1e-3 }, value: 0.4, epochs: 3, intermediate: [[1, 0.8], [2, 0.6], [3, 0.4]] },
  ],
  best: 2,
  command: 'regula train --dataset digits --l2 0.001',
  table: 'trial  params',
};

test('history: complete and pruned points, best-so-far steps down', () => {
  const spec = historySpec(data) as unknown as { layer: { data: { values: { trial: number; value: number; state: string }[] } }[] };
  assert.deepEqual(spec.layer[0]!.data.values.map((p) => p.trial), [0, 2]);
  assert.deepEqual(spec.layer[1]!.data.values.map((p) => p.trial), [1]);
  assert.deepEqual(spec.layer[2]!.data.values.map((p) => p.value), [0.5, 0.4]);
});

test('intermediate values: a line per trial, a cross where a pruned trial stopped', () => {
  const spec = intermediateSpec(data) as unknown as { layer: { data: { values: { trial: string; epoch: number }[] } }[] };
  assert.equal(spec.layer[0]!.data.values.length, 7);
  assert.deepEqual(spec.layer[1]!.data.values.map((p) => [p.trial, p.epoch]), [['#1', 1]]);
});

test('the page has the sections, the command, escaped text and the embedded study', async () => {
  const html = await renderTuneReport(data);
  for (const id of ['best', 'history', 'intermediate', 'trials', 'config']) assert.ok(html.includes(`<section id="${id}">`), id);
  assert.ok(html.includes('Regula tune: &lt;digits&gt;'));
  assert.ok(html.includes('regula train --dataset digits --l2 0.001'));
  assert.ok(html.includes('id="regula-tune-data"'));
  assert.ok(!html.includes('<script>'));
});
