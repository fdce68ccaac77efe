/**
 * `regula demo` end to end (issue 16): the regimes compared on r × k
 * stratified folds, in worker threads; the significance table printed equals
 * the report's; each regime's Δ to `none` is the corrected resampled t-test of
 * its per-fold values; the verdict line; the chosen regime scored once on
 * the held-out test rows; r × k and the wall time printed; the same numbers
 * with 1 and 2 workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, Tensor } from '../../src/index.js';
import { comparisonTable } from '../../src/report/report-data.js';
import { correctedResampledTTest } from '../../src/study/stats.js';
import { type CliResult, runCli, reportData } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'regula-cli-demo-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work });

function parseTable(text: string, header0: string): string[][] {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => l.startsWith(header0));
  assert.ok(h >= 0, `table with header ${header0} printed:\n${text}`);
  const rows: string[][] = [];
  for (let i = h + 2; i < lines.length && lines[i]!.trim() !== ''; i++) rows.push(lines[i]!.trim().split(/\s{2,}/));
  return rows;
}

const REGIMES = ['none', 'l2', 'l1', 'dropout', 'gaussian-noise', 'max-norm+dropout', 'early-stopping', 'all-combined'];

test('demo (reduced): 8 regimes × 1 × 3 folds on 2 workers; significance table = report; Δ = corrected t-test of the fold values; held-out test once', { timeout: 300_000 }, async () => {
  const out = join(work, 'demo-report');
  const r = await cli(['demo', '--epochs', '3', '--hidden', '32,32', '--folds', '3', '--repeats', '1', '--workers', '2', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^8 regimes × 1 × 3 stratified folds = 24 runs on 2 workers$/m);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const data = reportData(html);
  assert.equal(data.dataset, 'digits');
  assert.equal(data.metric, 'accuracy');
  // The printed table is the report's, in rank order, with every regime.
  const printed = parseTable(r.stdout, 'rank');
  assert.deepEqual(printed, comparisonTable(data).rows.map((row) => [...row]));
  assert.deepEqual([...printed.map((row) => row[1])].sort(), [...REGIMES].sort());
  for (const row of printed) for (const cell of row) assert.ok(html.includes(`<td>${cell.replace(/&/g, '&amp;')}</td>`), `report shows ${cell}`);
  // Each Δ is the corrected resampled t-test of the paired fold values (n_test / n_train from the folds: about 1/(k − 1)).
  const cmp = data.comparison!;
  const base = cmp.find((c) => c.cell === 'none')!;
  assert.equal(base.values!.length, 3);
  for (const c of cmp.filter((x) => x !== base)) {
    const d = c.values!.map((v, i) => v - base.values![i]!);
    const t = correctedResampledTTest(d, { nTrain: 359.33, nTest: 179.67 });
    assert.ok(Math.abs(c.vsBaseline!.mean - t.mean) < 1e-12);
    if (t.se > 0) assert.ok(Math.abs(c.vsBaseline!.ci[1] - c.vsBaseline!.ci[0] - (t.ci[1] - t.ci[0])) < 1e-3 * (t.ci[1] - t.ci[0]), `${c.cell} CI width`);
    assert.equal(printed.find((row) => row[1] === c.cell)![4]!.endsWith(' *'), c.vsBaseline!.significant);
  }
  // The verdict, the chosen regime's single held-out score, r × k and the wall time.
  const verdict = /^significance: (no regime beat 'none' on accuracy .*|.* beat 'none' on accuracy .*)$/m.exec(r.stdout);
  assert.ok(verdict, r.stdout);
  const best = cmp.find((c) => c.rank === 1)!.cell;
  const held = new RegExp(`^chosen: ${best.replace(/[+]/g, '\\+')} \\(best mean cross-validated accuracy\\); held-out test accuracy (\\d\\.\\d{4}) on 1258 rows — scored once, never used to choose$`, 'm').exec(r.stdout);
  assert.ok(held, r.stdout);
  assert.match(r.stdout, /^r × k = 1 × 3 folds, 24 runs on 2 workers, wall time \d+\.\d s$/m);
  assert.deepEqual(data.findings!.slice(0, 2), [verdict[0], held[0]]);
  // Curves: the first fold of each regime, then the final run, whose test score is the printed one.
  assert.deepEqual(data.runs.map((x) => x.name), [...REGIMES, `${best} (final)`]);
  assert.equal(data.runs.at(-1)!.test['accuracy']!.toFixed(4), held[1]);
  for (const name of REGIMES) assert.ok(html.includes(`<figure class="learning-curve" data-run="${name}">`), `chart for ${name}`);
  for (const run of data.runs) assert.equal(run.epochsRun, 3);
  // Regularized runs report their penalties; the unregularized one reports none.
  assert.ok(data.runs.find((x) => x.name === 'none')!.layers!.every((l) => l.penalty === 0));
  assert.ok(data.runs.find((x) => x.name === 'l2')!.layers!.some((l) => l.penalty > 0));
  // The early-stopping regime's first fold wrote its best-only checkpoint (in a worker), which loads.
  const ckpt = join(out, 'checkpoints', 'early-stopping');
  assert.ok(existsSync(join(ckpt, 'model.json')));
  const m = await loadModel(ckpt);
  assert.deepEqual([...m.predict(new Tensor([1, 64], 'float32', new Float32Array(64))).shape], [1, 10]);
});

test('demo: 1 worker and 2 workers give the same table, bit for bit', { timeout: 300_000 }, async () => {
  const args = ['demo', '--dataset', 'wine', '--epochs', '4', '--hidden', '16', '--folds', '3', '--repeats', '2', '--quiet'];
  const one = await cli([...args, '--workers', '1', '--out', join(work, 'w1')]);
  const two = await cli([...args, '--workers', '2', '--out', join(work, 'w2')]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const a = reportData(readFileSync(join(work, 'w1', 'index.html'), 'utf8'));
  const b = reportData(readFileSync(join(work, 'w2', 'index.html'), 'utf8'));
  assert.deepEqual(b.comparison, a.comparison);
  assert.deepEqual(b.runs.map((x) => x.history), a.runs.map((x) => x.history));
  assert.equal(a.comparison!.length, 8);
  assert.ok(a.comparison!.every((c) => c.values!.length === 6));
});

test('demo: --folds on the text set, --folds 1, --workers 0: one line, exit 2', { timeout: 120_000 }, async () => {
  const text = await cli(['demo', '--dataset', 'spam_assassin', '--folds', '3', '--out', join(work, 'never')]);
  assert.equal(text.code, 2);
  assert.equal(text.stderr, 'regula demo: --folds does not apply to --dataset spam_assassin (its LSTM study trains each regime once)\n');
  const one = await cli(['demo', '--dataset', 'wine', '--folds', '1', '--out', join(work, 'never')]);
  assert.equal(one.code, 2);
  assert.match(one.stderr, /--folds.*"1"/);
  const workers = await cli(['demo', '--dataset', 'wine', '--workers', '0', '--out', join(work, 'never')]);
  assert.equal(workers.code, 2);
  assert.match(workers.stderr, /--workers.*"0"/);
  assert.ok(!existsSync(join(work, 'never')));
});
