/**
 * The CLI on the text set (issue 13): `regula demo --dataset spam_assassin`
 * runs the LSTM study (reduced epochs and regimes here) with the usual table,
 * a test cross-entropy table and the report; flags of the other studies are
 * one-line usage errors (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runCli } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'regula-cli-text-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work });

test('demo --dataset spam_assassin: the LSTM study table, test cross-entropy per regime, the report', async () => {
  const out = join(work, 'text-report');
  const r = await cli(['demo', '--dataset', 'spam_assassin', '--epochs', '2', '--regimes', 'none,both+l2+early-stopping', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /regime\s+train accuracy\s+val accuracy\s+test accuracy/);
  assert.match(r.stdout, /^none\s+\d\.\d{4}/m);
  assert.match(r.stdout, /regime\s+test accuracy\s+test cross-entropy\n[-\s]+\nnone\s+\d\.\d{4}\s+\d\.\d{4}\nboth\+l2\+early-stopping\s+\d\.\d{4}\s+\d\.\d{4}/);
  assert.ok(existsSync(join(out, 'index.html')));
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /embedding \d+×32 \(maskZero\) → lstm 32/);
});

test('demo --dataset spam_assassin with --model, --hidden or an unknown regime: one line, exit 2', async () => {
  for (const [args, msg] of [
    [['--model', 'cnn'], /--model cnn does not apply to --dataset spam_assassin: its study trains an LSTM/],
    [['--hidden', '8'], /--hidden sets the MLP's hidden layers; it does not apply to --dataset spam_assassin/],
    [['--regimes', 'l2'], /--regimes: unknown regime "l2"; known: none, dropout, recurrent-dropout, both, both\+l2, both\+l2\+early-stopping/],
  ] as const) {
    const r = await cli(['demo', '--dataset', 'spam_assassin', ...args, '--out', join(work, 'never')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(join(work, 'never')));
  }
});
