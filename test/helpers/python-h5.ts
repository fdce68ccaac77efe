/**
 * Finds a Python 3 with h5py and numpy (Debian's python3-h5py and
 * python3-numpy; /usr/bin/python3 first, since a pyenv `python3` on PATH may
 * lack them). Tests that need it skip with the reason when there is none.
 */
import { spawnSync } from 'node:child_process';

let found: string | null | undefined;

/** The interpreter to use, or null. */
export function pythonWithH5py(): string | null {
  if (found !== undefined) return found;
  found = null;
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
    if (r.status === 0) {
      found = py;
      break;
    }
  }
  return found;
}

/** Why h5py tests are skipped (printed by the test runner), or false to run them. */
export function h5pySkip(): string | false {
  return pythonWithH5py() === null ? 'python3 with h5py and numpy not found (apt-get install python3-h5py python3-numpy)' : false;
}

/** Runs a Python script with arguments; returns stdout (throws with stderr on failure). */
export function runPython(script: string, args: readonly string[]): string {
  const py = pythonWithH5py();
  if (py === null) throw new Error('no python3 with h5py');
  const r = spawnSync(py, [script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
