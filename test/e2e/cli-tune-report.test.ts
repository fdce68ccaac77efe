/**
 * `regula tune`'s report items end to end (issue 16 item 5): the printed
 * `regula train …` command, run as printed, trains the best configuration
 * and reaches the trial's validation score; the best configuration is
 * re-scored against the baseline on r × k folds (CLI line and report); the
 * report carries the parallel coordinates, the fANOVA importance and the
 * comparison; a bad --rescore-folds is refused before anything runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runCli } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'regula-tune-report-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work });

/** Splits a POSIX shell command line of plain words and single-quoted ones (what tune prints). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
}

test('tune: the printed regula train command reproduces the best trial; best vs baseline in the CLI and the report', { timeout: 300_000 }, async () => {
  const r = await cli(['tune', '--dataset', 'breast_cancer', '--epochs', '8', '--hidden', '16', '--trials', '5', '--sampler', 'random', '--pruner', 'none', '--param', 'l2=loguniform:1e-5:1e-1', '--param', 'dropout=uniform:0:0.5', '--rescore-folds', '3', '--rescore-repeats', '2', '--out', 'study', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const best = /best: trial #(\d+), val_accuracy ([\d.]+)/.exec(r.stdout);
  assert.ok(best, r.stdout);
  const line = /^reproduce: (regula train .*)$/m.exec(r.stdout)?.[1];
  assert.ok(line, r.stdout);
  const words = shellWords(line);
  assert.deepEqual(words.slice(0, 2), ['regula', 'train']);
  assert.equal(words.at(-2), '--out');
  const t = await cli(words.slice(1).concat(['--quiet']));
  assert.equal(t.code, 0, t.stderr);
  // The train table: regime, train accuracy, val accuracy, … — the same seeded split and initialization, so the same score.
  const row = t.stdout.split('\n')[2]!.trim().split(/\s{2,}/);
  assert.equal(Number(row[2]), Number(Number(best[2]).toFixed(4)), `train val accuracy ${row[2]} vs tune ${best[2]}`);
  // Importance and the comparison with the baseline.
  assert.match(r.stdout, /^importance \(fANOVA, share of the objective's variance over 5 complete trials \(rough: few complete trials\)\): (l2|dropout) [\d.]+, (l2|dropout) [\d.]+; interactions [\d.]+$/m);
  const vs = /^vs baseline \(no regularization\): val_accuracy ([+-][\d.]+|0), 95 % CI \[([+-]?[\d.e-]+), ([+-]?[\d.e-]+)\], p [\d.e-]+ over 2 × 3-fold cross-validation of the 455 training and validation rows \(corrected resampled t-test\): (significantly better than|significantly worse than|not significantly different from) the baseline$/m.exec(r.stdout);
  assert.ok(vs, r.stdout);
  assert.ok(Number(vs[2]) <= Number(vs[1]) && Number(vs[1]) <= Number(vs[3]), 'the mean lies in its interval');
  const html = readFileSync(join(work, 'study', 'index.html'), 'utf8');
  for (const id of ['parallel', 'importance']) assert.ok(html.includes(`<section id="${id}">`), id);
  assert.ok(html.includes('<h3 id="baseline">'));
  const data = JSON.parse(/<script type="application\/json" id="regula-tune-data">(.*?)<\/script>/s.exec(html)![1]!);
  assert.equal(data.versusBaseline.best.length, 6);
  assert.equal(data.versusBaseline.base.length, 6);
  assert.equal(data.importance.trials, 5);
  assert.deepEqual(data.space.map((p: { name: string }) => p.name), ['l2', 'dropout']);
});

test('tune: --rescore-folds 1 is refused before anything runs', async () => {
  const r = await cli(['tune', '--dataset', 'breast_cancer', '--param', 'l2=uniform:0:1', '--rescore-folds', '1', '--out', 'bad']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /--rescore-folds.*expected 0 \(no re-scoring\) or k ≥ 2 folds, got 1/);
  assert.ok(!existsSync(join(work, 'bad')));
});
