/**
 * Runs the `regula` CLI from the TypeScript sources (through tsx) in a child
 * process, as the end-to-end tests do, and reads the data an HTML report
 * embeds.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import type { ReportData } from '../../src/report/report-data.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const TSX = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `regula …args` in `cwd` with REGULA_DEBUG cleared and `env` added; never rejects on a non-zero exit. */
export function runCli(args: readonly string[], o: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: o.cwd, env: { ...process.env, REGULA_DEBUG: '', ...o.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The ReportData a Regula HTML report embeds. */
export function reportData(html: string): ReportData {
  const m = /<script type="application\/json" id="regula-report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'report embeds its data');
  return JSON.parse(m[1]!) as ReportData;
}
