/**
 * Model directories (issue 9, items 3, 6, 9): saves switch the directory as
 * one generation and never touch files Regula did not write; extra files
 * switch with the model; leftovers of a killed save are removed by the next
 * one; hostile directories (NaN weights, deep JSON, huge declared sizes) are
 * refused with a ModelFormatError before any large allocation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArtifacts, layers, loadModel, loadWeights, ModelFormatError, Sequential, toArtifacts } from '../index.js';
import { readExtraFile, writeArtifactsToDir } from './model-dir.js';
import { crc32 } from './model-dir.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'regula-gen-'));

function model(seed: number): Sequential {
  const m = new Sequential([layers.dense({ units: 3, inputShape: [2], name: 'a' }), layers.dense({ units: 1, name: 'b' })], { seed });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

const bits = (m: Sequential): string => m.weights.map((w) => Buffer.from(Float32Array.from(w.data).buffer).toString('hex')).join('|');
const meta = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.regula;

test('saves over saves keep the TF.js names, leave user files alone and switch extra files with the model', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'group1-shard9of9.bin'), 'mine too');
    for (let i = 0; i < 3; i++) {
      const m = model(i);
      await m.save(dir, { extraFiles: [{ name: 'preprocessing.json', data: `{"i":${i}}` }, { name: 'blob.bin', data: new Uint8Array([i]) }] });
      assert.deepEqual(readdirSync(dir).sort(), ['blob.bin', 'group1-shard1of1.bin', 'group1-shard9of9.bin', 'model.json', 'notes.txt', 'preprocessing.json', 'training-state.bin', 'training-state.json']);
      assert.equal(bits(await loadModel(dir)), bits(m));
      assert.equal(await readExtraFile(dir, 'preprocessing.json'), `{"i":${i}}`);
      assert.deepEqual(meta(dir)['extraFiles'], { 'preprocessing.json': 'preprocessing.json', 'blob.bin': 'blob.bin' });
      assert.equal(meta(dir)['replaces'], undefined);
    }
    assert.equal(await readExtraFile(dir, 'other.json'), undefined);
    // A save without extra files drops them (they belonged to the previous generation).
    await model(9).save(dir);
    assert.equal(await readExtraFile(dir, 'preprocessing.json'), undefined);
    assert.ok(!readdirSync(dir).includes('preprocessing.json'));
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(readFileSync(join(dir, 'group1-shard9of9.bin'), 'utf8'), 'mine too');
    await assert.rejects(model(1).save(dir, { extraFiles: [{ name: '../x', data: '' }] }), /plain file name/);
    await assert.rejects(model(1).save(dir, { extraFiles: [{ name: 'model.json', data: '' }] }), /reserved/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file at a usual name that no Regula model.json references is never overwritten: the save uses saveId names', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'group1-shard1of1.bin'), 'user data');
    const m = model(1);
    await m.save(dir);
    assert.equal(readFileSync(join(dir, 'group1-shard1of1.bin'), 'utf8'), 'user data');
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.match(j.weightsManifest[0].paths[0], /^group1-shard1of1\.[0-9a-f]{16}\.bin$/);
    assert.equal(bits(await loadModel(dir)), bits(m));
    await model(2).save(dir);
    assert.equal(readFileSync(join(dir, 'group1-shard1of1.bin'), 'utf8'), 'user data');
    assert.equal(readdirSync(dir).filter((n) => n.startsWith('group1')).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('leftovers of a killed save (dead temporaries, saveId-named shards) are removed by the next save', async () => {
  const dir = tmp();
  try {
    await model(1).save(dir);
    writeFileSync(join(dir, '.group1-shard1of1.bin.999999999-0123456789ab.tmp'), 'x'); // pid that cannot exist
    writeFileSync(join(dir, 'group1-shard1of1.0123456789abcdef.bin'), 'x');
    writeFileSync(join(dir, 'training-state.0123456789abcdef.json'), '{}');
    writeFileSync(join(dir, `.model.json.${process.pid}-0123456789ab.tmp`), 'a save in flight in this process');
    assert.equal(bits(await loadModel(dir)), bits(model(1)));
    await model(2).save(dir);
    assert.deepEqual(readdirSync(dir).sort(), [`.model.json.${process.pid}-0123456789ab.tmp`, 'group1-shard1of1.bin', 'model.json', 'training-state.bin', 'training-state.json']);
    writeFileSync(join(dir, 'training-state.fedcba9876543210.bin'), 'x');
    const r = await writeArtifactsToDir(dir, toArtifacts(model(3)));
    assert.deepEqual(r.removedLeftovers, ['training-state.fedcba9876543210.bin']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the previous layout (training-state.json found by name) still loads, and a new save replaces it cleanly', async () => {
  const dir = tmp();
  try {
    const m = model(3);
    await m.save(dir);
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    j.userDefinedMetadata.regula = { saveId: j.userDefinedMetadata.regula.saveId, crc32: j.userDefinedMetadata.regula.crc32 };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    const back = await loadModel(dir);
    assert.ok(back.resumeInfo !== undefined);
    await model(4).save(dir, { includeOptimizer: false });
    assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('NaN or Infinity weights are refused at load, naming the weight (directory, artifacts, loadWeights)', async () => {
  const m = model(1);
  for (const bad of [NaN, Infinity, -Infinity]) {
    const a = toArtifacts(m, { includeOptimizer: false });
    const f = new Float32Array(a.weightData as ArrayBuffer);
    f[4] = bad; // inside a/kernel ([2,3]: 6 values)
    assert.throws(() => fromArtifacts(a), (e: Error) => e.name === 'ModelFormatError' && new RegExp(`weight 'a/kernel' holds ${bad} at index 4`).test(e.message));
    const dir = tmp();
    try {
      await writeArtifactsToDir(dir, a); // valid CRC: the shards are what model.json describes
      await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelFormatError && /weight 'a\/kernel' holds/.test(e.message));
      await assert.rejects(loadWeights(model(2), dir), (e: Error) => e instanceof ModelFormatError && /not finite/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a model.json nested 100,000 levels deep is refused before parsing (no stack overflow)', async () => {
  const dir = tmp();
  try {
    await model(1).save(dir);
    const j = readFileSync(join(dir, 'model.json'), 'utf8');
    writeFileSync(join(dir, 'model.json'), j.replace('"format":"layers-model"', `"format":"layers-model","x":${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelFormatError && /nesting is deeper than 256/.test(e.message));
    // Brackets inside strings do not count.
    writeFileSync(join(dir, 'model.json'), j.replace('"format":"layers-model"', `"format":"layers-model","x":"${'['.repeat(1000)}"`));
    await loadModel(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('huge declared units or input shapes are refused before allocation, naming the layer and the value', async () => {
  const m = new Sequential([layers.dense({ units: 2, inputShape: [3], name: 'dd' }), layers.dense({ units: 2, name: 'd2' })]);
  const cases: [(t: { config: { layers: { config: Record<string, unknown> }[] } }) => void, RegExp][] = [
    [(t) => void (t.config.layers[0]!.config['units'] = 1e12), /layer 0 \('dd', Dense\): weight 'kernel' of shape \[3, 1000000000000\] needs 12000000000000 bytes \(config units: 1000000000000\), more than the load limit maxWeightBytes/],
    [(t) => void (t.config.layers[0]!.config['batch_input_shape'] = [null, 1e9, 1e9]), /layer 0 \('dd', Dense\): input shape \[null, 1000000000, 1000000000\] declares more than 1073741824 bytes per sample/],
    [(t) => void (t.config.layers[1]!.config['units'] = 5e7), /layer 1 \('d2', Dense\): weight 'kernel' .* \(config units: 50000000\) brings the declared weights to \d+ bytes, but the file holds only 56/],
  ];
  for (const [mutate, re] of cases) {
    const a = toArtifacts(m);
    const t = JSON.parse(JSON.stringify(a.modelTopology));
    mutate(t);
    assert.throws(() => fromArtifacts({ ...a, modelTopology: t }), (e: Error) => e.name === 'ModelFormatError' && re.test(e.message), re.source);
  }
  // The CRC helper is stable (used by the fuzz test's valid saves).
  assert.equal(crc32(new Uint8Array([1, 2, 3])), '55bc801d');
});
