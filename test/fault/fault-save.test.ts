/**
 * Crash safety of saves (issue 9, item 3): a save over a previous good save
 * is killed (SIGKILL, test/helpers/fault-inject.mjs) right before each of its
 * mutating file-system operations in turn. After every kill the directory
 * must load as the previous or the new model (weights bit for bit), a user's
 * files in it and beside it are untouched, and the next save succeeds and
 * leaves no leftovers. Same for ModelCheckpoint saving during fit.
 *
 * Each kill is one child process (≈ 1 s). By default the model save is killed
 * at every operation and the weights-only and checkpoint scenarios at every
 * 2nd/3rd one; `REGULA_FAULT_ALL=1` kills at every operation everywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, loadWeights, Sequential, layers } from '../../src/index.js';
import { readExtraFile } from '../../src/io/model-dir.js';
import { countOps, runKilledAt } from '../helpers/fault-run.js';
import { saveScenario } from '../fixtures/save-scenario.js';
import { checkpointScenario } from '../fixtures/checkpoint-scenario.js';

const ALL = process.env['REGULA_FAULT_ALL'] === '1';

const SCENARIO = 'test/fixtures/save-scenario.ts';
const CKPT_SCENARIO = 'test/fixtures/checkpoint-scenario.ts';

const bits = (m: Sequential): string => m.weights.map((w) => Buffer.from(Float32Array.from(w.data).buffer).toString('hex')).join('|');

/** Every file (relative path → content hex) under `root`. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else out.set(`${rel}${e.name}`, readFileSync(p).toString('hex'));
    }
  };
  walk(root, '');
  return out;
}

/** Names in a model directory that model.json does not reference (besides the user's files). */
function unreferenced(dir: string, commit = 'model.json'): string[] {
  const j = JSON.parse(readFileSync(join(dir, commit), 'utf8'));
  const meta = j.userDefinedMetadata.regula;
  const refs = new Set<string>([commit, ...j.weightsManifest.flatMap((g: { paths: string[] }) => g.paths)]);
  if (typeof meta.trainingState === 'string') refs.add(meta.trainingState).add(meta.trainingState.replace(/\.json$/, '.bin'));
  for (const f of Object.values(meta.extraFiles ?? {})) refs.add(f as string);
  return readdirSync(dir).filter((n) => !refs.has(n) && n !== 'notes.txt' && n !== 'group1-shard9of9.bin' && !(commit === 'weights.json' && n === 'model.json'));
}

test('a save killed at every file operation leaves the previous or the new model, never a broken one', async () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-fault-'));
  try {
    // Reference saves A and B, and the starting directory: A plus a user's files.
    for (const v of ['a', 'b']) await saveScenario(join(root, `ref-${v}`), v);
    const wa = bits(await loadModel(join(root, 'ref-a')));
    const wb = bits(await loadModel(join(root, 'ref-b')));
    assert.notEqual(wa, wb);
    const base = join(root, 'base');
    cpSync(join(root, 'ref-a'), base, { recursive: true });
    writeFileSync(join(base, 'notes.txt'), 'my notes');
    writeFileSync(join(base, 'group1-shard9of9.bin'), 'not a Regula file');
    writeFileSync(join(root, 'outside.txt'), 'outside');
    const work = join(root, 'work');
    cpSync(base, work, { recursive: true });
    const n = countOps([SCENARIO, work, 'b'], { root: work });
    assert.ok(n > 10, `a save makes ${n} file operations`);
    for (let k = 1; k <= n; k++) {
      rmSync(work, { recursive: true, force: true });
      cpSync(base, work, { recursive: true });
      const outsideBefore = snapshot(root);
      const r = runKilledAt(k, [SCENARIO, work, 'b'], { root: work });
      assert.equal(r.signal, 'SIGKILL', `op ${k}: not killed (${r.status}) ${r.stderr}`);
      const w = bits(await loadModel(work));
      assert.ok(w === wa || w === wb, `op ${k}: loaded weights are neither the previous nor the new save`);
      const pre = await readExtraFile(work, 'preprocessing.json');
      assert.equal(pre, JSON.stringify({ variant: w === wa ? 'a' : 'b' }), `op ${k}: the extra file switches with the model`);
      assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'my notes');
      assert.equal(readFileSync(join(work, 'group1-shard9of9.bin'), 'utf8'), 'not a Regula file');
      const after = snapshot(root);
      for (const [p, c] of outsideBefore) if (!p.startsWith('work/')) assert.equal(after.get(p), c, `op ${k}: ${p} changed`);
      // The next save succeeds and cleans what the killed one left.
      await saveScenario(work, 'a');
      assert.equal(bits(await loadModel(work)), wa);
      assert.deepEqual(unreferenced(work), [], `op ${k}: leftovers after the next save`);
      assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'my notes');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a .keras save killed at every file operation leaves the previous or the new archive; the user\'s files stay', async () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-fault-k-'));
  try {
    for (const v of ['a', 'b']) {
      mkdirSync(join(root, `ref-${v}`));
      await saveScenario(join(root, `ref-${v}`), v, 'keras');
    }
    const wa = bits((await loadModel(join(root, 'ref-a', 'model.keras'))) as Sequential);
    const wb = bits((await loadModel(join(root, 'ref-b', 'model.keras'))) as Sequential);
    assert.notEqual(wa, wb);
    const work = join(root, 'work');
    const n = countOps([SCENARIO, join(root, 'ref-b'), 'b', 'keras'], { root: join(root, 'ref-b') });
    assert.ok(n >= 2, `a .keras save makes ${n} file operations`);
    for (let k = 1; k <= n; k++) {
      rmSync(work, { recursive: true, force: true });
      cpSync(join(root, 'ref-a'), work, { recursive: true });
      writeFileSync(join(work, 'notes.txt'), 'my notes');
      const r = runKilledAt(k, [SCENARIO, work, 'b', 'keras'], { root: work });
      assert.equal(r.signal, 'SIGKILL', `op ${k}: not killed (${r.status}) ${r.stderr}`);
      const w = bits((await loadModel(join(work, 'model.keras'))) as Sequential);
      assert.ok(w === wa || w === wb, `op ${k}: the archive is neither the previous nor the new save`);
      assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'my notes');
      // The next save succeeds and leaves only the archive and the user's file.
      await saveScenario(work, 'a', 'keras');
      assert.equal(bits((await loadModel(join(work, 'model.keras'))) as Sequential), wa);
      assert.deepEqual(readdirSync(work).sort(), ['model.keras', 'notes.txt'], `op ${k}: leftovers after the next save`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a weights-only save killed at every file operation leaves loadable weights', async () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-fault-w-'));
  try {
    const mk = (): Sequential => new Sequential([layers.dense({ units: 4, inputShape: [3], activation: 'tanh', name: 'd1' }), layers.dropout({ rate: 0.25 }), layers.dense({ units: 1, name: 'd2' })]);
    const wOf = async (dir: string): Promise<string> => {
      const m = mk();
      await loadWeights(m, dir);
      return bits(m);
    };
    for (const v of ['a', 'b']) await saveScenario(join(root, `ref-${v}`), v, 'weights');
    const wa = await wOf(join(root, 'ref-a'));
    const wb = await wOf(join(root, 'ref-b'));
    const work = join(root, 'work');
    const n = countOps([SCENARIO, join(root, 'count'), 'b', 'weights'], { root: join(root, 'count') });
    for (let k = 1; k <= n; k += ALL ? 1 : 2) {
      rmSync(work, { recursive: true, force: true });
      cpSync(join(root, 'ref-a'), work, { recursive: true });
      const r = runKilledAt(k, [SCENARIO, work, 'b', 'weights'], { root: work });
      if (r.signal !== 'SIGKILL') continue; // fewer ops over an existing save is fine
      const w = await wOf(work);
      assert.ok(w === wa || w === wb, `op ${k}: weights are neither save`);
      await saveScenario(work, 'a', 'weights');
      assert.deepEqual(unreferenced(work, 'weights.json'), []);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('ModelCheckpoint during fit killed at every file operation: the checkpoint always loads and resumes', async () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-fault-ck-'));
  try {
    const ref = join(root, 'ref');
    const n = countOps([CKPT_SCENARIO, ref], { root: ref });
    const wRef = bits(await loadModel(ref));
    const epochs = new Set<number>();
    for (let k = 1; k <= n; k += ALL ? 1 : 3) {
      const work = join(root, `w${k}`);
      const r = runKilledAt(k, [CKPT_SCENARIO, work], { root: work });
      assert.equal(r.signal, 'SIGKILL', `op ${k}: not killed`);
      if (!existsSync(work) || !readdirSync(work).includes('model.json')) {
        if (existsSync(work)) assert.ok(readdirSync(work).every((f) => f.startsWith('.') || /\.[0-9a-f]{16}\./.test(f)), `op ${k}: a first save killed early leaves only its own files`);
        rmSync(work, { recursive: true, force: true });
        continue;
      }
      const m = await loadModel(work);
      epochs.add(m.resumeInfo?.initialEpoch ?? -1);
      assert.ok(m.resumeInfo !== undefined && m.resumeInfo.initialEpoch >= 1, `op ${k}: the checkpoint has its training state`);
      // Resume to the end: it must match the uninterrupted run.
      const end = await checkpointScenario(work, 'resume');
      assert.equal(bits(end), wRef, `op ${k}: resumed weights differ`);
      assert.equal(bits(await loadModel(work)), wRef, `op ${k}: the last checkpoint differs`);
      await end.save(work); // a run that had nothing left to train saved nothing: the next save cleans up
      assert.deepEqual(unreferenced(work), [], `op ${k}: leftovers after the next save`);
      rmSync(work, { recursive: true, force: true });
    }
    assert.ok(epochs.size >= 2, `kills landed in different checkpoints (${[...epochs].join(', ')})`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
