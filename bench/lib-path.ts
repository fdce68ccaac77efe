/**
 * Where the bench runners load Regula from: by default the compiled package
 * (dist/src, what `npm ci` builds and what users import), not src/ through
 * tsx — tsx's transform (esbuild's keep-names wrappers around every function
 * and its class-field helpers) runs the library ≈ 10 % slower on small
 * models, which is not what users see. `REGULA_BENCH_SRC=1` loads src/
 * instead. `run.ts` rebuilds dist/ first when a file under src/ is newer
 * (`ensureBuilt`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FROM_SRC = Boolean(process.env['REGULA_BENCH_SRC']);

/** 'dist/src' or 'src': the tree the runners import. */
export const LIB_TREE = FROM_SRC ? 'src' : 'dist/src';

/** Imports `path` (e.g. 'index.js', 'backend/wasm/ready.js') from the library tree the bench measures. */
export function libModule<T>(path: string): Promise<T> {
  return import(`../${LIB_TREE}/${path}`) as Promise<T>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/ (tsc) when it is missing or older than src/; a no-op with REGULA_BENCH_SRC. */
export function ensureBuilt(log: (line: string) => void): void {
  if (FROM_SRC) return;
  const index = join(ROOT, 'dist', 'src', 'index.js');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  log('[bench] dist/ is older than src/: rebuilding it (npm run build:ts), so the runners measure the current code');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: building dist/ failed (npm run build:ts); fix the type errors or run with REGULA_BENCH_SRC=1');
}
