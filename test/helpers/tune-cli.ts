/**
 * `regula tune` as a child process (through tsx, from the sources) for the
 * PostgreSQL study tests: `spawnTune` returns the child (to kill it) and a
 * promise of its exit; `tuneArgs` builds a small, fast study's flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './fault-run.js';

export interface TuneExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Flags of a small study: breast_cancer, random sampler, ASHA, l2 × dropout;
 * one trial at a time (`workers`, default 1, so ASHA's choices do not depend
 * on timing) and no re-scoring of the best trial against the baseline.
 */
export function tuneArgs(o: { trials: number; epochs: number; out: string; storage?: string; study?: string; resume?: boolean; workers?: number; extra?: readonly string[]; params?: readonly string[] }): string[] {
  const params = o.params ?? ['l2=loguniform:1e-5:1e-2', 'dropout=uniform:0:0.5'];
  return [
    'tune', '--dataset', 'breast_cancer', '--trials', String(o.trials), '--epochs', String(o.epochs), '--hidden', '8',
    '--sampler', 'random', '--pruner', 'asha', '--quiet', '--out', o.out, '--workers', String(o.workers ?? 1), '--rescore-folds', '0',
    ...params.flatMap((p) => ['--param', p]),
    ...(o.storage !== undefined ? ['--storage', o.storage] : []),
    ...(o.study !== undefined ? ['--study', o.study] : []),
    ...(o.resume ? ['--resume'] : []),
    ...(o.extra ?? []),
  ];
}

/** Starts `regula <args>`; `done` resolves when it exits (killed or not). */
export function spawnTune(args: readonly string[], cwd = REPO_ROOT): { child: ChildProcess; done: Promise<TuneExit> } {
  const env: Record<string, string | undefined> = { ...process.env, REGULA_DEBUG: '' };
  delete env['NODE_TEST_CONTEXT'];
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<TuneExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `regula <args>` to the end. */
export const runTune = (args: readonly string[], cwd?: string): Promise<TuneExit> => spawnTune(args, cwd).done;
