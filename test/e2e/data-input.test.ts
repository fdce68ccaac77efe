/**
 * Issue 9, item 5, through the CLI: a FIFO or a directory as `--data` is bad
 * input (exit 2, one line naming the path and what it is). A FIFO used to
 * hang `regula train` forever (the format sniffing opened it); a directory
 * gave a raw EISDIR with exit 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'src', 'cli', 'main.ts');
const TSX = import.meta.resolve('tsx');
const work = mkdtempSync(join(tmpdir(), 'regula-data-input-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI; kills it (and fails) after `ms`. */
function cli(args: readonly string[], ms = 30000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: work, env: { ...process.env, REGULA_DEBUG: '' } });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`regula ${args.join(' ')} did not finish within ${ms} ms (stderr: ${stderr})`));
    }, ms);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  return lines[0]!;
}

test('regula train --data <directory> exits 2 with one line naming the directory', async () => {
  const d = join(work, 'data-dir');
  mkdirSync(d);
  const r = await cli(['train', '--data', d, '--target', 'y', '--out', join(work, 'o1'), '--epochs', '1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(oneLine(r.stderr), new RegExp(`${d}: a directory, not a data file`));
});

test('regula train --data <FIFO> exits 2 at once instead of hanging', { skip: process.platform === 'win32' }, async () => {
  const fifo = join(work, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const r = await cli(['train', '--data', fifo, '--target', 'y', '--out', join(work, 'o2'), '--epochs', '1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(oneLine(r.stderr), new RegExp(`${fifo}: a FIFO \\(named pipe\\), not a data file`));
  const idx = await cli(['train', '--data', fifo, '--labels', fifo, '--out', join(work, 'o3'), '--epochs', '1']);
  assert.equal(idx.code, 2, idx.stderr);
  assert.match(oneLine(idx.stderr), /a FIFO \(named pipe\), not a data file/);
});
