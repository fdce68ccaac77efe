import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanovaImportance } from '../study/importance.js';
import { spaceFromSpecs } from '../study/space.js';
import { correctedResampledTTest } from '../study/stats.js';
import { baselineSpec, importanceSpec, parallelSpec } from './tune-charts.js';
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

test('intermediate values: the legend lists only the states present', () => {
  const spec = intermediateSpec(data) as unknown as { layer: { encoding: { color?: { scale: { domain: string[] } } } }[] };
  assert.deepEqual(spec.layer[0]!.encoding.color!.scale.domain, ['complete', 'pruned']);
});

const space = spaceFromSpecs(['l2=loguniform:1e-4:1e-2', 'optimizer=choice:adam,sgd,rmsprop']);
const withParams: TuneReportData = {
  ...data,
  direction: 'maximize',
  objective: 'val_accuracy',
  trials: [
    { number: 0, state: 'complete', params: { l2: 1e-3, optimizer: 'sgd' }, value: 0.9, epochs: 3, intermediate: [] },
    { number: 1, state: 'pruned', params: { l2: 1e-4, optimizer: 'adam' }, value: 0.7, epochs: 1, intermediate: [] },
    { number: 2, state: 'complete', params: { l2: 1e-2, optimizer: 'rmsprop' }, value: 0.8, epochs: 3, intermediate: [] },
    { number: 3, state: 'failed', params: { l2: 1e-2, optimizer: 'adam' }, value: null, epochs: 0, intermediate: [] },
  ],
  best: 0,
  space,
};

type Layer = { data: { values: Record<string, unknown>[] }; mark: { type: string; strokeDash?: number[] } };

test('parallel coordinates: a line per finished trial, each axis in its sampling scale; pruned dashed, best cased in black', () => {
  const spec = parallelSpec(withParams.trials, space, 'val_accuracy', 0) as unknown as { layer: Layer[] };
  const [axes, pruned, best, complete, halo, ticks] = spec.layer;
  assert.deepEqual(halo!.data.values, ticks!.data.values);
  assert.deepEqual(axes!.data.values.map((a) => a['axis']), ['val_accuracy', 'l2', 'optimizer']);
  const pos = (l: Layer, trial: string): unknown[] => l.data.values.filter((p) => p['trial'] === trial).map((p) => Number((p['pos'] as number).toFixed(6)));
  // val_accuracy from 0.7 (pruned) to 0.9; l2 = 1e-3 is the middle of [1e-4, 1e-2] in log; sgd is the 2nd of 3 categories.
  assert.deepEqual(pos(complete!, '#0'), [1, 0.5, 0.5]);
  assert.deepEqual(pos(complete!, '#2'), [0.5, 1, 1]);
  assert.deepEqual(pos(pruned!, '#1'), [0, 0, 0]);
  assert.deepEqual(pruned!.mark.strokeDash, [4, 3]);
  assert.ok(!complete!.data.values.some((p) => p['trial'] === '#3'), 'failed trials are not drawn');
  assert.deepEqual([...new Set(best!.data.values.map((p) => p['trial']))], ['#0']);
  assert.deepEqual(ticks!.data.values.filter((t) => t['axis'] === 'l2').map((t) => t['label']), ['1.0e−4', '0.001', '0.01']);
  assert.deepEqual(ticks!.data.values.filter((t) => t['axis'] === 'optimizer').map((t) => t['label']), ['adam', 'sgd', 'rmsprop']);
});

test('importance bars most important first, clipped error bars; the baseline chart shows the differences, mean and interval', () => {
  const imp = { params: [{ name: 'l2', importance: 0.2, std: 0.3 }, { name: 'optimizer', importance: 0.7, std: 0.1 }], trials: 9, trees: 64, interactions: 0.1 };
  const spec = importanceSpec(imp) as unknown as { data: { values: { param: string; lo: number; hi: number }[] }; layer: { encoding: { y: { sort: string[] } } }[] };
  assert.deepEqual(spec.layer[0]!.encoding.y.sort, ['optimizer', 'l2']);
  assert.deepEqual(spec.data.values.map((v) => [v.param, v.lo]), [['l2', 0], ['optimizer', 0.6]]);
  const b = baselineSpec([0.01, 0.03], { mean: 0.02, ci: [-0.1, 0.14] }, 'Δ') as unknown as { layer: Layer[] };
  assert.deepEqual(b.layer.map((l) => l.data.values), [[{ d: 0 }], [{ d: 0.01 }, { d: 0.03 }], [{ d: -0.1, d2: 0.14 }], [{ d: 0.02 }]]);
});

test('the page shows parallel coordinates, importance and the baseline comparison when given', async () => {
  const diffs = [0.01, 0.02, 0.015, 0.03, 0.0];
  const base = [0.9, 0.91, 0.92, 0.9, 0.93];
  const html = await renderTuneReport({
    ...withParams,
    importance: fanovaImportance(space, withParams.trials),
    versusBaseline: { baseline: 'no regularization', resampling: '1 × 5-fold cross-validation of 500 rows', base, best: base.map((b, i) => b + diffs[i]!), test: correctedResampledTTest(diffs, { nTrain: 400, nTest: 100 }) },
  });
  for (const id of ['parallel', 'importance']) assert.ok(html.includes(`<section id="${id}">`), id);
  assert.ok(html.includes('<h3 id="baseline">'));
  assert.match(html, /Mean paired difference <strong>\+0\.015<\/strong> val_accuracy, 95 % CI \[−0\.00\d+, \+0\.03\d+\]/);
  assert.match(html, /not significant at 95 %/);
  // Two complete trials with different values: the forest explains them.
  assert.match(html, /fit to the 2 complete trials/);
  const none = await renderTuneReport({ ...withParams, importance: fanovaImportance(space, withParams.trials.slice(0, 2)) });
  assert.match(none, /Not computed: it needs at least 2 complete trials with different values \(1 complete\)/);
});
