/**
 * Directory-level tests: atomic layout, CRC/saveId consistency, and hostile
 * directories (path escapes, size mismatches, bad JSON) — each must fail with
 * an error naming the file and the problem, opening nothing outside the
 * directory. A FIFO decoy outside the directory proves nothing was opened:
 * opening a FIFO for reading blocks until a writer appears, so a loader that
 * tried would hang instead of failing fast.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync, openSync, closeSync, constants, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArtifactsFromDir, readWeightsFromDir, writeArtifactsToDir, crc32 } from './model-dir.js';
import { trainingStateToArtifacts, readArtifacts } from './artifacts.js';
import { encodeWeights } from './weights.js';
import { Tensor } from '../tensor/tensor.js';
import { ModelFormatError } from './keras-format.js';
import { checkRelativePath } from './fs.js';

const TOPOLOGY = {
  class_name: 'Sequential',
  config: { name: 's', layers: [{ class_name: 'Dense', config: { units: 2, batch_input_shape: [null, 3], name: 'd' } }] },
  keras_version: 'x',
  backend: 'x',
};

function artifacts(values = [1, 2, 3, 4, 5, 6, 7, 8]) {
  const { specs, data } = encodeWeights([
    { name: 'd/kernel', tensor: new Tensor([3, 2], 'float32', Float32Array.from(values.slice(0, 6))) },
    { name: 'd/bias', tensor: new Tensor([2], 'float32', Float32Array.from(values.slice(6, 8))) },
  ]);
  return { modelTopology: TOPOLOGY, weightSpecs: specs, weightData: data.slice().buffer, format: 'layers-model' };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'regula-io-'));

/** A hand-written model dir: model.json with `manifest`, plus `files`. */
function handDir(manifest: unknown, files: Record<string, Uint8Array | string> = {}, extra: Record<string, unknown> = {}): string {
  const dir = tmp();
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: TOPOLOGY, format: 'layers-model', weightsManifest: manifest, ...extra }));
  for (const [n, d] of Object.entries(files)) writeFileSync(join(dir, n), d);
  return dir;
}

const SPECS = [
  { name: 'd/kernel', shape: [3, 2], dtype: 'float32' },
  { name: 'd/bias', shape: [2], dtype: 'float32' },
];

/** Rejects with ModelFormatError matching `re`, within 3 s (a blocked FIFO open would time out). */
async function rejectsFast(p: Promise<unknown>, re: RegExp, fifo?: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 3000)));
  const outcome = await Promise.race([p.then(() => 'resolved', (e: unknown) => e), timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout' && fifo) {
    // Unblock the reader stuck on the decoy, then fail.
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    closeSync(fd);
  }
  assert.notEqual(outcome, 'timeout', 'the loader opened the decoy outside the model directory');
  assert.ok(outcome instanceof ModelFormatError, `expected a ModelFormatError, got ${String(outcome)}`);
  assert.match(outcome.message, re);
}

/** A FIFO outside any model dir; returns its path. */
function fifoDecoy(): string {
  const root = tmp();
  const p = join(root, 'decoy.bin');
  execFileSync('mkfifo', [p]);
  return p;
}

test('write → read round trip: standard layout, metadata, bit-exact weights', async () => {
  const dir = tmp();
  await writeArtifactsToDir(dir, artifacts());
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.weightsManifest, [{ paths: ['group1-shard1of1.bin'], weights: SPECS }]);
  assert.equal(json.userDefinedMetadata.regula.crc32, crc32(new Uint8Array(artifacts().weightData)));
  const a = await readArtifactsFromDir(dir);
  const { weights, topology } = readArtifacts(a, dir, true);
  assert.deepEqual([...weights.get('d/kernel')!.data], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...weights.get('d/bias')!.data], [7, 8]);
  assert.equal(topology!.config.layers[0]!.class_name, 'Dense');
  assert.equal(a.trainingState, undefined);
});

test('crc32 matches the IEEE check value', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 'cbf43926');
});

test('training state is written beside the model and tied to it by saveId', async () => {
  const dir = tmp();
  const ts = trainingStateToArtifacts({ epoch: 3, slot: new Tensor([2], 'float32', Float32Array.from([0.25, -4])) });
  await writeArtifactsToDir(dir, { ...artifacts(), trainingState: ts });
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json', 'training-state.bin', 'training-state.json']);
  const a = await readArtifactsFromDir(dir);
  const { trainingState } = readArtifacts(a, dir, true);
  const st = trainingState as { epoch: number; slot: Tensor };
  assert.equal(st.epoch, 3);
  assert.deepEqual([...st.slot.data], [0.25, -4]);
  // A later save without state removes the stale state files.
  await writeArtifactsToDir(dir, artifacts());
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
});

test('a training-state.json from another save is refused, naming both ids', async () => {
  const dir = tmp();
  await writeArtifactsToDir(dir, { ...artifacts(), trainingState: trainingStateToArtifacts({ epoch: 1 }) });
  const stateText = readFileSync(join(dir, 'training-state.json'), 'utf8');
  await writeArtifactsToDir(dir, artifacts([8, 7, 6, 5, 4, 3, 2, 1]));
  writeFileSync(join(dir, 'training-state.json'), stateText);
  await rejectsFast(readArtifactsFromDir(dir), /training-state.json: belongs to another save/);
  const a = await readArtifactsFromDir(dir, { trainingState: 'ignore' });
  assert.equal(a.trainingState, undefined);
});

test('shards from another save (torn write) are detected by the CRC', async () => {
  const dir = tmp();
  await writeArtifactsToDir(dir, artifacts());
  const other = tmp();
  await writeArtifactsToDir(other, artifacts([9, 9, 9, 9, 9, 9, 9, 9]));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), readFileSync(join(other, 'group1-shard1of1.bin')));
  await rejectsFast(readArtifactsFromDir(dir), /model.json: the weight shards do not match model.json \(CRC-32/);
});

test('large weights are cut into 4 MiB shards and read back in order', async () => {
  const n = 1024 * 1024 + 5; // 4 MiB + 20 bytes
  const vals = new Float32Array(n);
  for (let i = 0; i < n; i++) vals[i] = i;
  const { specs, data } = encodeWeights([{ name: 'big', tensor: new Tensor([n], 'float32', vals) }]);
  const dir = tmp();
  await writeArtifactsToDir(dir, { modelTopology: TOPOLOGY, weightSpecs: specs, weightData: data.buffer as ArrayBuffer });
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json']);
  const a = await readArtifactsFromDir(dir);
  const w = readArtifacts(a, dir, false).weights.get('big')!;
  assert.equal(w.data[n - 1], n - 1);
  assert.equal(w.data[1024 * 1024], 1024 * 1024);
});

test('weights-only save: weights.json + weights-shard, loadModel points to loadWeights', async () => {
  const dir = tmp();
  await writeArtifactsToDir(dir, artifacts(), { weightsOnly: true });
  assert.deepEqual(readdirSync(dir).sort(), ['weights-shard1of1.bin', 'weights.json']);
  const w = await readWeightsFromDir(dir);
  assert.deepEqual([...readArtifacts(w, dir, false).weights.get('d/bias')!.data], [7, 8]);
  await rejectsFast(readArtifactsFromDir(dir), /model.json: not found; .* holds a weights-only save \(weights.json\): build the model and call model.loadWeights/);
});

test('hostile: shard path with .. is refused before touching the file system', async () => {
  const decoy = fifoDecoy();
  const rel = `../${decoy.split('/').slice(-2).join('/')}`;
  const dir = handDir([{ paths: [rel], weights: SPECS }]);
  await rejectsFast(readArtifactsFromDir(dir), new RegExp(`model.json: weight path "${rel.replace(/[.]/g, '\\.')}" contains '\\.\\.'`), decoy);
});

test('hostile: absolute shard path is refused', async () => {
  const decoy = fifoDecoy();
  const dir = handDir([{ paths: [decoy], weights: SPECS }]);
  await rejectsFast(readArtifactsFromDir(dir), /model.json: weight path ".*decoy.bin" is absolute/, decoy);
});

test('hostile: a symlink inside the directory pointing outside is refused without opening the target', async () => {
  const decoy = fifoDecoy();
  const dir = handDir([{ paths: ['group1-shard1of1.bin'], weights: SPECS }]);
  symlinkSync(decoy, join(dir, 'group1-shard1of1.bin'));
  await rejectsFast(readArtifactsFromDir(dir), /model.json: weight file "group1-shard1of1.bin" resolves to .*decoy.bin, outside the model directory/, decoy);
});

test('hostile: model.json itself symlinked outside is refused', async () => {
  const decoy = fifoDecoy();
  const dir = tmp();
  symlinkSync(decoy, join(dir, 'model.json'));
  await rejectsFast(readArtifactsFromDir(dir), /model.json: file "model.json" resolves to .*decoy.bin, outside the model directory/, decoy);
});

test('hostile: a regular decoy outside is named in the error and not read', async () => {
  const root = tmp();
  writeFileSync(join(root, 'secret.bin'), new Uint8Array(32));
  const dir = join(root, 'model');
  execFileSync('mkdir', [dir]);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: TOPOLOGY, weightsManifest: [{ paths: ['sub/../../secret.bin'], weights: SPECS }] }));
  await rejectsFast(readArtifactsFromDir(dir), /weight path "sub\/\.\.\/\.\.\/secret\.bin" contains '\.\.'/);
});

test('hostile: Windows, URL and NUL paths are refused', () => {
  assert.throws(() => checkRelativePath('C:\\x.bin', 'model.json'), /has a drive letter/);
  assert.throws(() => checkRelativePath('..\\x.bin', 'model.json'), /contains '\\'/);
  assert.throws(() => checkRelativePath('file:///etc/passwd', 'model.json'), /is a URL/);
  assert.throws(() => checkRelativePath('https://x/y.bin', 'model.json'), /is a URL/);
  assert.throws(() => checkRelativePath('a\0b', 'model.json'), /NUL/);
  assert.throws(() => checkRelativePath('./', 'model.json'), /names no file/);
  assert.deepEqual(checkRelativePath('./sub/./a.bin', 'model.json'), ['sub', 'a.bin']);
});

test('hostile: shard shorter or longer than the manifest', async () => {
  const short = handDir([{ paths: ['w.bin'], weights: SPECS }], { 'w.bin': new Uint8Array(28) });
  await rejectsFast(readArtifactsFromDir(short), /model.json: weight shards w.bin \(28 bytes\) hold 28 bytes, shorter than the 32 bytes the manifest declares/);
  const long = handDir([{ paths: ['a.bin', 'b.bin'], weights: SPECS }], { 'a.bin': new Uint8Array(16), 'b.bin': new Uint8Array(20) });
  await rejectsFast(readArtifactsFromDir(long), /weight shards a.bin \(16 bytes\), b.bin \(20 bytes\) hold 36 bytes, longer than the 32 bytes/);
});

test('hostile: missing shard', async () => {
  const dir = handDir([{ paths: ['gone.bin'], weights: SPECS }]);
  await rejectsFast(readArtifactsFromDir(dir), /model.json: weight file "gone.bin" is missing/);
});

test('hostile: truncated, empty and non-JSON model.json', async () => {
  const dir = tmp();
  await writeArtifactsToDir(dir, artifacts());
  const text = readFileSync(join(dir, 'model.json'), 'utf8');
  writeFileSync(join(dir, 'model.json'), text.slice(0, text.length - 20));
  await rejectsFast(readArtifactsFromDir(dir), /model.json: not valid JSON \(truncated or corrupt\?\)/);
  writeFileSync(join(dir, 'model.json'), '');
  await rejectsFast(readArtifactsFromDir(dir), /model.json: the file is empty/);
  writeFileSync(join(dir, 'model.json'), 'module.exports = {}');
  await rejectsFast(readArtifactsFromDir(dir), /model.json: not valid JSON/);
  writeFileSync(join(dir, 'model.json'), '"just a string"');
  await rejectsFast(readArtifactsFromDir(dir), /model.json: expected a JSON object at top level/);
});

test('hostile: negative and huge shapes are refused before any shard is opened', async () => {
  const decoy = fifoDecoy();
  const neg = handDir([{ paths: ['x.bin'], weights: [{ name: 'd/kernel', shape: [3, -2], dtype: 'float32' }] }]);
  symlinkSync(decoy, join(neg, 'x.bin'));
  await rejectsFast(readArtifactsFromDir(neg), /model.json: weightsManifest\[0\]\.weights\[0\] \('d\/kernel'\)\.shape\[1\] must be a non-negative integer, got -2/, decoy);
  const huge = handDir([{ paths: ['x.bin'], weights: [{ name: 'd/kernel', shape: [1e9, 1e9], dtype: 'float32' }] }]);
  symlinkSync(decoy, join(huge, 'x.bin'));
  await rejectsFast(readArtifactsFromDir(huge), /model.json: weight 'd\/kernel' shape \[1000000000, 1000000000\] is too large/, decoy);
});

test('hostile: malformed functional model topology and missing directory', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: { class_name: 'Model', config: { layers: [], input_layers: [] } }, weightsManifest: [] }));
  await rejectsFast(readArtifactsFromDir(dir), /model.json: modelTopology\.config\.layers must be a non-empty array, got \[\]/);
  await rejectsFast(readArtifactsFromDir(join(dir, 'nope')), /nope: cannot open the model directory/);
  assert.equal(existsSync(join(dir, 'nope')), false);
});

test('a failed write leaves the previous model.json and no temporaries', async () => {
  const dir = tmp();
  await writeArtifactsToDir(dir, artifacts());
  const before = readFileSync(join(dir, 'model.json'), 'utf8');
  // An unrenderable artifact (no topology) fails before anything is written.
  await assert.rejects(writeArtifactsToDir(dir, { weightSpecs: [], weightData: new ArrayBuffer(0) }), /no modelTopology/);
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), before);
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
});
