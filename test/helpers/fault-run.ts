/**
 * Runs a script under the fault-injection preload (fault-inject.mjs): once to
 * count its mutating file-system operations, then killed (SIGKILL) right
 * before operation n. CLI tests pass `src/cli/main.ts` and its arguments;
 * library scenarios pass a script under test/fixtures/.
 *
 * @example
 * const n = countOps(['test/fixtures/save-scenario.ts', dir], { root: dir });
 * for (let k = 1; k <= n; k++) { const r = runKilledAt(k, [...], { root: dir }); assert.equal(r.signal, 'SIGKILL'); … }
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/helpers/../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOOK = join(REPO_ROOT, 'test', 'helpers', 'fault-inject.mjs');

export interface FaultRunOptions {
  /** Only operations on paths under this directory count (REGULA_FAULT_PATH); default: all. */
  root?: string;
  /** Working directory of the child (default: the repository root). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Append `<n> <op> <path>` lines for each counted operation to this file. */
  logFile?: string;
  /** Child time limit in ms (default 120 s). */
  timeoutMs?: number;
}

function run(args: readonly string[], extraEnv: Record<string, string>, o: FaultRunOptions): SpawnSyncReturns<string> {
  const env: Record<string, string | undefined> = { ...process.env, ...o.env, ...extraEnv };
  delete env['NODE_TEST_CONTEXT'];
  if (o.root !== undefined) env['REGULA_FAULT_PATH'] = o.root;
  if (o.logFile !== undefined) env['REGULA_FAULT_LOG_FILE'] = o.logFile;
  return spawnSync(process.execPath, ['--import', 'tsx', '--import', HOOK, ...args], {
    cwd: o.cwd ?? REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 120_000,
  });
}

/** Runs `args` to completion without a fault; returns the child's result (status, stdout, stderr). */
export function runClean(args: readonly string[], o: FaultRunOptions = {}): SpawnSyncReturns<string> {
  return run(args, {}, o);
}

/**
 * Runs `args` once without a fault and returns how many mutating operations
 * it made (under `o.root`). Throws if the run fails.
 */
export function countOps(args: readonly string[], o: FaultRunOptions = {}): number {
  const tmp = mkdtempSync(join(tmpdir(), 'regula-fault-count-'));
  try {
    const file = join(tmp, 'count');
    const r = run(args, { REGULA_FAULT_COUNT_FILE: file }, o);
    if (r.status !== 0) throw new Error(`countOps: ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
    const n = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
    if (!Number.isInteger(n)) throw new Error('countOps: the child wrote no count');
    return n;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Runs `args` and kills it (SIGKILL) right before mutating operation `n`
 * (1-based). `result.signal === 'SIGKILL'` when the kill happened.
 */
export function runKilledAt(n: number, args: readonly string[], o: FaultRunOptions = {}): SpawnSyncReturns<string> {
  return run(args, { REGULA_FAULT_KILL_AT: String(n) }, o);
}
