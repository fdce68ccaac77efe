/**
 * Output directories (issue 9 item 1 and 8): Regula refuses a directory it
 * did not write, an output over an input and a filesystem root; it replaces
 * only its own entries, and it finishes or cleans an interrupted publish.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutputDir, OUTPUT_MANIFEST, readOutputManifest } from './output-dir.js';
import { checkOutputFile } from './atomic-output.js';

const root = mkdtempSync(join(tmpdir(), 'regula-outdir-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `case-${++n}`);

/** Publishes entries name → content into `dir`. */
function publish(dir: string, files: Record<string, string>, o: { force?: boolean } = {}): void {
  const out = openOutputDir(dir, { flag: '--out', kind: 'train', ...o, note: () => {} });
  const s = out.staging();
  for (const [name, text] of Object.entries(files)) {
    const p = join(s, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  out.publish();
}

test('a new directory is created and published with a manifest of its entries', () => {
  const dir = fresh();
  publish(dir, { 'model.json': 'm1', 'report/index.html': 'r1' });
  assert.deepEqual(readdirSync(dir).sort(), [OUTPUT_MANIFEST, 'model.json', 'report']);
  assert.deepEqual(readOutputManifest(dir)!.entries.sort(), ['model.json', 'report']);
  assert.equal(readFileSync(join(dir, 'report', 'index.html'), 'utf8'), 'r1');
});

test('a non-empty directory Regula did not write is refused and left untouched (the `--out .` case)', () => {
  const dir = fresh();
  mkdirSync(dir);
  writeFileSync(join(dir, 'train.csv'), 'a,b\n1,2\n');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  assert.throws(() => openOutputDir(dir, { flag: '--out', kind: 'train' }), /--out .* non-empty directory that Regula did not write \(holds notes\.txt, train\.csv\).*--force/);
  assert.deepEqual(readdirSync(dir).sort(), ['notes.txt', 'train.csv']);
});

test('a republish replaces only Regula entries: a user file added since stays, a stale entry goes', () => {
  const dir = fresh();
  publish(dir, { 'model.json': 'm1', 'old-only.bin': 'x' });
  writeFileSync(join(dir, 'user.txt'), 'keep me');
  publish(dir, { 'model.json': 'm2' });
  assert.deepEqual(readdirSync(dir).sort(), [OUTPUT_MANIFEST, 'model.json', 'user.txt']);
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'm2');
  assert.equal(readFileSync(join(dir, 'user.txt'), 'utf8'), 'keep me');
});

test('--force adds entries to a foreign directory but never replaces a file Regula did not write', () => {
  const dir = fresh();
  mkdirSync(dir);
  writeFileSync(join(dir, 'data.csv'), 'd');
  publish(dir, { 'model.json': 'm1' }, { force: true });
  assert.equal(readFileSync(join(dir, 'data.csv'), 'utf8'), 'd');
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'm1');
  const dir2 = fresh();
  mkdirSync(dir2);
  writeFileSync(join(dir2, 'model.json'), 'theirs');
  assert.throws(() => publish(dir2, { 'model.json': 'm1' }, { force: true }), /model\.json already exists and Regula did not write it/);
  assert.equal(readFileSync(join(dir2, 'model.json'), 'utf8'), 'theirs');
  assert.deepEqual(readdirSync(dir2), ['model.json'], 'staging removed after the refusal');
});

test('an output that equals or contains an input, or a filesystem root, is refused', () => {
  const dir = fresh();
  mkdirSync(join(dir, 'data'), { recursive: true });
  const input = join(dir, 'data', 'x.csv');
  writeFileSync(input, 'a\n1\n');
  assert.throws(() => openOutputDir(join(dir, 'data'), { flag: '--out', kind: 'train', inputs: [input] }), /--out .*data contains the input .*x\.csv/);
  assert.throws(() => openOutputDir(dir, { flag: '--out', kind: 'train', inputs: [input], force: true }), /contains the input/);
  assert.throws(() => openOutputDir('/', { flag: '--out', kind: 'train' }), /filesystem root/);
  assert.throws(() => checkOutputFile(input, '--out', { inputs: [input], force: true }), /is the input/);
  assert.throws(() => checkOutputFile(join(dir, 'data', '..', 'data', 'x.csv'), '--out', { inputs: [input] }), /is the input/);
  assert.throws(() => checkOutputFile(join(dir, 'nowhere', 'p.csv'), '--out'), /directory .*nowhere does not exist/);
  writeFileSync(join(dir, 'preds.csv'), 'my,own\n');
  assert.throws(() => checkOutputFile(join(dir, 'preds.csv'), '--out', { ours: (h) => h.startsWith('prediction') }), /already exists and Regula did not write it/);
  writeFileSync(join(dir, 'preds.csv'), 'prediction,p_a\n');
  checkOutputFile(join(dir, 'preds.csv'), '--out', { ours: (h) => h.startsWith('prediction') });
});

/**
 * Replays a publish step by step (the same order as `commit`), stopping after
 * `steps` moves, then recovers with a new open: the directory must hold
 * exactly the old or the new set, and no leftovers.
 */
test('a publish interrupted after any step is finished or undone by the next run, which says so', () => {
  const oldSet = { 'model.json': 'old', 'group1-shard1of1.bin': 'old-w', 'old-extra.txt': 'old-x' };
  const newSet = { 'model.json': 'new', 'group1-shard1of1.bin': 'new-w', 'report': 'new-r' };
  for (let steps = 0; steps <= 9; steps++) {
    const dir = fresh();
    publish(dir, oldSet);
    writeFileSync(join(dir, 'user.txt'), 'u');
    // Stage the new set completely (manifest last), then do `steps` moves of the switch by hand.
    const out = openOutputDir(dir, { flag: '--out', kind: 'train', note: () => {} });
    const s = out.staging();
    for (const [k, v] of Object.entries(newSet)) writeFileSync(join(s, k), v);
    const gen = s.slice(s.lastIndexOf('.regula-staging-') + '.regula-staging-'.length);
    const aside = join(dir, `.regula-old-${gen}`);
    const moves: [string, string][] = [];
    writeFileSync(join(s, OUTPUT_MANIFEST), JSON.stringify({ format: 'regula-output', version: 1, kind: 'train', generation: gen, entries: Object.keys(newSet) }));
    moves.push([join(dir, OUTPUT_MANIFEST), join(aside, OUTPUT_MANIFEST)]);
    for (const k of Object.keys(oldSet)) moves.push([join(dir, k), join(aside, k)]);
    for (const k of Object.keys(newSet)) moves.push([join(s, k), join(dir, k)]);
    moves.push([join(s, OUTPUT_MANIFEST), join(dir, OUTPUT_MANIFEST)]);
    mkdirSync(aside);
    for (const [a, b] of moves.slice(0, steps)) renameSync(a, b);
    const notes: string[] = [];
    openOutputDir(dir, { flag: '--out', kind: 'train', note: (l) => notes.push(l) });
    assert.equal(notes.length, 1, `steps ${steps}: one note`);
    assert.match(notes[0]!, /finished the publish of an interrupted run/);
    assert.deepEqual(readdirSync(dir).sort(), [OUTPUT_MANIFEST, 'group1-shard1of1.bin', 'model.json', 'report', 'user.txt'], `steps ${steps}`);
    assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'new');
    assert.equal(readFileSync(join(dir, 'group1-shard1of1.bin'), 'utf8'), 'new-w');
    assert.deepEqual(readOutputManifest(dir)!.entries.sort(), ['group1-shard1of1.bin', 'model.json', 'report']);
  }
});

test('an incomplete staging directory (killed while writing) is removed and the old output kept', () => {
  const dir = fresh();
  publish(dir, { 'model.json': 'old' });
  const out = openOutputDir(dir, { flag: '--out', kind: 'train', note: () => {} });
  writeFileSync(join(out.staging(), 'model.json'), 'half');
  const notes: string[] = [];
  // A dead pid's staging: rename it as if another (finished) process left it.
  const s = readdirSync(dir).find((e) => e.startsWith('.regula-staging-'))!;
  renameSync(join(dir, s), join(dir, '.regula-staging-999999999-dead'));
  openOutputDir(dir, { flag: '--out', kind: 'train', note: (l) => notes.push(l) });
  assert.match(notes.join('\n'), /removed the partial output of an interrupted run \(pid 999999999\)/);
  assert.deepEqual(readdirSync(dir).sort(), [OUTPUT_MANIFEST, 'model.json']);
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'old');
  assert.ok(!existsSync(join(dir, '.regula-staging-999999999-dead')));
});

test('an output written before manifests (a Regula report or model) is recognized and replaced; a look-alike is not', () => {
  const dir = fresh();
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.html'), '<html><script type="application/json" id="regula-report-data">{}</script></html>');
  mkdirSync(join(dir, 'checkpoints'));
  publish(dir, { 'index.html': 'new report' });
  assert.deepEqual(readdirSync(dir).sort(), [OUTPUT_MANIFEST, 'index.html']);
  const model = fresh();
  mkdirSync(model);
  writeFileSync(join(model, 'model.json'), '{"userDefinedMetadata":{"regula":{"saveId":"ab","crc32":"00"}}}');
  writeFileSync(join(model, 'group1-shard1of1.bin'), 'w');
  writeFileSync(join(model, 'preprocessing.json'), '{}');
  publish(model, { 'model.json': 'new' });
  assert.deepEqual(readdirSync(model).sort(), [OUTPUT_MANIFEST, 'model.json']);
  const other = fresh();
  mkdirSync(other);
  writeFileSync(join(other, 'index.html'), '<html>my site</html>');
  assert.throws(() => openOutputDir(other, { flag: '--out', kind: 'demo' }), /did not write/);
  writeFileSync(join(other, 'index.html'), '<html><script id="regula-report-data"></script></html>');
  writeFileSync(join(other, 'notes.txt'), 'mine');
  assert.throws(() => openOutputDir(other, { flag: '--out', kind: 'demo' }), /did not write \(holds index\.html, notes\.txt\)/);
});
