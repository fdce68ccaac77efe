/**
 * The HDF5 (h5wasm) and zip (fflate) libraries load only on the `.keras`
 * paths: importing Regula — the package entry, layers and Sequential — and
 * saving or loading a TF.js model directory never resolves them; the first
 * `.keras` save does. Checked in a child process whose module resolution is
 * watched by a loader hook (node:test already runs each file in its own
 * process, but the hook must be installed before the first import).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');

test("import { Sequential } from 'regula' loads neither h5wasm nor fflate; a .keras save loads both", () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-lazy-'));
  try {
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, `export async function resolve(specifier, context, next) {
  if (/^(h5wasm|fflate)(\\/|$)/.test(specifier)) process.stdout.write('LOADED ' + specifier + '\\n');
  return next(specifier, context);
}\n`);
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const main = join(dir, 'main.mts');
    writeFileSync(main, `import { Sequential, layers, loadModel } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src', 'index.ts')).href)};
const m = new Sequential([layers.dense({ units: 2, inputShape: [3] })]);
await m.save(${JSON.stringify(join(dir, 'tfjs'))});
await loadModel(${JSON.stringify(join(dir, 'tfjs'))});
process.stdout.write('IMPORTED\\n');
await m.save(${JSON.stringify(join(dir, 'm.keras'))});
await loadModel(${JSON.stringify(join(dir, 'm.keras'))});
process.stdout.write('KERAS\\n');
`);
    const r = spawnSync(process.execPath, ['--import', register, '--import', 'tsx', main], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const imported = lines.indexOf('IMPORTED');
    assert.ok(imported >= 0, r.stdout);
    assert.deepEqual(lines.slice(0, imported).filter((l) => l.startsWith('LOADED')), [], 'nothing loaded before the .keras save');
    const after = lines.slice(imported).filter((l) => l.startsWith('LOADED'));
    assert.ok(after.some((l) => l.includes('h5wasm')) && after.some((l) => l.includes('fflate')), `the .keras save loads both: ${after.join(', ')}`);
    assert.ok(lines.includes('KERAS'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
