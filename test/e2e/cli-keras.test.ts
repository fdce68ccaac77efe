/**
 * `regula export --format keras` and `.keras` files in `evaluate` and
 * `predict`, run as processes: train → export → evaluate/predict on the
 * archive give the directory's numbers; the archive Keras would save after
 * training (no Regula member) works with the preprocessing copied back or
 * placed beside it; refusals are one line with exit code 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../../src/index.js';
import { listZip, readMember, writeZip } from '../../src/io/keras3/zip.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const TSX = import.meta.resolve('tsx');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], cwd: string): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env: { ...process.env, REGULA_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

test('train → export --format keras → evaluate/predict on the .keras file match the model directory', async () => {
  const work = mkdtempSync(join(tmpdir(), 'regula-cli-keras-'));
  try {
    const dir = join(work, 'model');
    const data = join(ROOT, 'datasets', 'wine.csv');
    const t = await cli(['train', '--dataset', 'wine', '--hidden', '8', '--dropout', '0.2', '--l2', '1e-4', '--epochs', '2', '--out', dir, '--quiet'], work);
    assert.equal(t.code, 0, t.stderr);
    const out = join(work, 'wine.keras');
    const e = await cli(['export', '--model', dir, '--format', 'keras', '--out', out], work);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stderr, /regula export: .* → .*wine\.keras \(Keras 3 archive, \d+ bytes: Sequential with \d+ layers, \d+ parameters, compiled, with optimizer state\)/);
    const fromDir = await cli(['evaluate', '--model', dir, '--data', data, '--json'], work);
    const fromKeras = await cli(['evaluate', '--model', out, '--data', data, '--json'], work);
    assert.equal(fromKeras.code, 0, fromKeras.stderr);
    assert.deepEqual(JSON.parse(fromKeras.stdout), JSON.parse(fromDir.stdout));
    const p1 = await cli(['predict', '--model', dir, '--data', data], work);
    const p2 = await cli(['predict', '--model', out, '--data', data], work);
    assert.equal(p2.code, 0, p2.stderr);
    assert.equal(p2.stdout, p1.stdout);
    // Exporting again replaces Regula's own archive; a file Regula did not write is refused (exit 2, one line).
    assert.equal((await cli(['export', '--model', dir, '--out', out], work)).code, 0);
    const foreign = join(work, 'foreign.keras');
    writeFileSync(foreign, 'not mine');
    const r = await cli(['export', '--model', dir, '--out', foreign], work);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /already exists and Regula did not write it/);
    assert.equal(readFileSync(foreign, 'utf8'), 'not mine');
    assert.equal((await cli(['export', '--model', dir, '--out', join(work, 'x.zip')], work)).code, 2);
    // Keras re-saves the archive without Regula's member: evaluate says how to bring it back ...
    const bytes = new Uint8Array(readFileSync(out));
    const entries = listZip(bytes, out);
    const members = [];
    for (const en of entries) members.push({ name: en.name, data: await readMember(bytes, en, out, 1 << 28), deflate: false });
    const kerasSaved = join(work, 'trained.keras');
    writeFileSync(kerasSaved, await writeZip(members.filter((m) => !m.name.startsWith('regula/'))));
    const missing = await cli(['evaluate', '--model', kerasSaved, '--data', data], work);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /holds no regula\/preprocessing\.json/);
    // ... and works with the preprocessing beside it.
    copyFileSync(join(dir, 'preprocessing.json'), join(work, 'trained.preprocessing.json'));
    const beside = await cli(['evaluate', '--model', kerasSaved, '--data', data, '--json'], work);
    assert.equal(beside.code, 0, beside.stderr);
    assert.deepEqual(JSON.parse(beside.stdout), JSON.parse(fromDir.stdout));
    // The library reads the exported archive too.
    assert.equal((await loadModel(out)).className, 'Sequential');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
