/**
 * `regula tune` end to end (issue 16): a small study prints the trial table
 * and the best configuration, writes the journal and the report, and its
 * `--export` feeds `regula train --config`, which reproduces the best
 * trial's validation score exactly; bad input (an empty space, an inverted
 * range, a log-uniform range touching 0, an unknown parameter, a storage it
 * cannot use, a resume with other settings) exits with code 2, one line, and
 * writes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJournal, replay } from '../../src/study/journal.js';
import { type CliResult, runCli } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'regula-tune-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work });

const BASE = ['tune', '--dataset', 'breast_cancer', '--epochs', '3', '--hidden', '8', '--quiet'];

test('tune: bad input exits 2 with one line and writes nothing', async () => {
  writeFileSync(join(work, 'space.json'), '{"l2": "loguniform:1e-6:1e-2", "dropuot": "uniform:0:0.5"}');
  writeFileSync(join(work, 'notes.jsonl'), 'my notes\n');
  const cases: [string[], RegExp][] = [
    [[], /search space is empty/],
    [['--param', 'dropout=uniform:0.5:0.1'], /inverted/],
    [['--param', 'l2=loguniform:0:1e-2'], /log-uniform range must stay above 0/],
    [['--param', 'l3=uniform:0:1'], /unknown parameter 'l3' \(did you mean 'l1'\?\)/],
    [['--space', 'space.json'], /unknown parameter 'dropuot' \(did you mean 'dropout'\?\)/],
    [['--param', 'l2=uniform:0:1', '--storage', 'postgres://nowhere/db'], /give the study's name with --study/],
    [['--param', 'l2=uniform:0:1', '--storage', 'journal:notes.jsonl'], /not a Regula study journal/],
    [['--param', 'l2=uniform:0:1', '--sampler', 'bayes'], /sampler/],
  ];
  const results = await Promise.all(cases.map(([extra], i) => cli([...BASE, '--out', `bad${i}`].concat(extra))));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `case ${i}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `case ${i}: one line: ${r.stderr}`);
    assert.match(r.stderr, cases[i]![1], `case ${i}`);
    assert.ok(!existsSync(join(work, `bad${i}`)), `case ${i}: wrote the output`);
  });
  assert.equal(readFileSync(join(work, 'notes.jsonl'), 'utf8'), 'my notes\n');
});

test('tune: a study, its report and export; train --config reproduces the best trial; resume checks the settings', async () => {
  const args = [...BASE, '--trials', '4', '--sampler', 'random', '--pruner', 'asha', '--param', 'l2=loguniform:1e-5:1e-2', '--param', 'optimizer=choice:adam,sgd', '--out', 'study', '--export', 'best.json'];
  const r = await cli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /trial\s+params\s+val_accuracy\s+state\s+epochs/);
  const best = /best: trial #(\d+), val_accuracy ([\d.]+)/.exec(r.stdout);
  assert.ok(best, r.stdout);
  assert.match(r.stdout, /reproduce: regula train --dataset breast_cancer --hidden 8 /);
  const st = replay(parseJournal(readFileSync(join(work, 'study', 'study.jsonl'), 'utf8')).events);
  assert.equal(st.trials.filter((t) => t.state !== 'failed').length, 4);
  const html = readFileSync(join(work, 'study', 'index.html'), 'utf8');
  for (const id of ['best', 'history', 'intermediate', 'trials']) assert.ok(html.includes(`<section id="${id}">`), id);
  const exported = JSON.parse(readFileSync(join(work, 'best.json'), 'utf8'));
  assert.equal(exported.format, 'regula-train-config');
  const t = await cli(['train', '--config', 'best.json', '--out', 'model', '--quiet']);
  assert.equal(t.code, 0, t.stderr);
  const row = t.stdout.split('\n')[2]!.trim().split(/\s{2,}/);
  assert.equal(Number(row[2]), Number(Number(best[2]).toFixed(4)), `train val accuracy ${row[2]} vs tune ${best[2]}`);
  // Resume: nothing left to do with the same --trials; other settings are refused.
  const again = await cli(args.concat(['--resume']));
  assert.equal(again.code, 0, again.stderr);
  const clash = await cli(args.map((a) => (a === '3' ? '4' : a)).concat(['--resume']));
  assert.equal(clash.code, 2);
  assert.match(clash.stderr, /the study was made with epochs = 3, not 4/);
  const fresh = await cli(args);
  assert.equal(fresh.code, 2);
  assert.match(fresh.stderr, /holds a study already: pass --resume/);
});
