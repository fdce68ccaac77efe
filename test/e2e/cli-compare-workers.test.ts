/**
 * `regula compare --workers` (issue 16): the grid's runs train in worker
 * threads; the comparison (per-fold values, Δ to the baseline, its interval)
 * is the same, bit for bit, with 1 worker (the main thread) and 2; the
 * verdict line is in the report's findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportData } from '../../src/report/report-data.js';
import { type CliResult, runCli, reportData as reportDataOf } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'regula-cli-cmp-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work });

function reportData(dir: string): ReportData {
  return reportDataOf(readFileSync(join(dir, 'index.html'), 'utf8'));
}

test('compare: 1 worker and 2 workers give the same comparison, bit for bit; the verdict is in the report', { timeout: 300_000 }, async () => {
  const args = ['compare', '--dataset', 'breast_cancer', '--l2', '0,1e-2', '--dropout', '0,0.5', '--folds', '3', '--epochs', '3', '--hidden', '16'];
  const one = await cli([...args, '--workers', '1', '--out', join(work, 'w1')]);
  const two = await cli([...args, '--workers', '2', '--out', join(work, 'w2')]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stderr, /^12 runs on 2 workers$/m);
  assert.equal(two.stdout.replace(/w2/g, 'w1'), one.stdout);
  const a = reportData(join(work, 'w1'));
  const b = reportData(join(work, 'w2'));
  assert.deepEqual(b.comparison, a.comparison);
  assert.equal(a.comparison!.length, 4);
  assert.ok(a.comparison!.every((c) => c.values!.length === 3 && c.values!.every((v) => v > 0.3 && v <= 1)));
  const verdict = /^significance: .*$/m.exec(one.stdout)![0];
  assert.deepEqual(a.findings, [verdict]);
  assert.equal(a.config['workers'], 1);
  assert.equal(b.config['workers'], 2);
});

test('compare --workers 0: one line, exit 2', { timeout: 60_000 }, async () => {
  const r = await cli(['compare', '--dataset', 'wine', '--workers', '0', '--out', join(work, 'never')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^regula compare: .*--workers.*"0"/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
