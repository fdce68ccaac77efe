/**
 * Hostile `.keras` archives fail with one clear ModelFormatError, in bounded
 * memory, writing nothing: a zip bomb (a member inflating past its declared
 * size; a member declaring more than the load limit), a path-traversal
 * member name, an h5 dataset whose shape disagrees with config.json, a
 * truncated zip, and unknown layer classes (all named in one error). Also:
 * Keras-3-style TF.js model.json (`batch_shape` InputLayer, DTypePolicy
 * dtypes) loads.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import { fromArtifacts, loadModel, ModelFormatError, Tensor } from '../../src/index.js';
import { crc32, listZip, readMember } from '../../src/io/keras3/zip.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras3');

interface Member {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Declared uncompressed size and CRC (default: the real ones). */
  size?: number;
  crc?: number;
}

/** A minimal zip writer whose declared sizes can lie. */
function makeZip(members: readonly Member[]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const body = m.deflate ? deflateSync(m.data) : m.data;
    const size = m.size ?? m.data.length;
    const crc = m.crc ?? crc32(m.data);
    const lh = new DataView(new ArrayBuffer(30));
    lh.setUint32(0, 0x04034b50, true);
    lh.setUint16(4, 20, true);
    lh.setUint16(8, m.deflate ? 8 : 0, true);
    lh.setUint32(14, crc, true);
    lh.setUint32(18, body.length, true);
    lh.setUint32(22, size, true);
    lh.setUint16(26, name.length, true);
    const ch = new DataView(new ArrayBuffer(46));
    ch.setUint32(0, 0x02014b50, true);
    ch.setUint16(4, 20, true);
    ch.setUint16(6, 20, true);
    ch.setUint16(10, m.deflate ? 8 : 0, true);
    ch.setUint32(16, crc, true);
    ch.setUint32(20, body.length, true);
    ch.setUint32(24, size, true);
    ch.setUint16(28, name.length, true);
    ch.setUint32(42, offset, true);
    locals.push(new Uint8Array(lh.buffer), name, body);
    central.push(new Uint8Array(ch.buffer), name);
    offset += 30 + name.length + body.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new DataView(new ArrayBuffer(22));
  eocd.setUint32(0, 0x06054b50, true);
  eocd.setUint16(8, members.length, true);
  eocd.setUint16(10, members.length, true);
  eocd.setUint32(12, cdSize, true);
  eocd.setUint32(16, offset, true);
  const parts = [...locals, ...central, new Uint8Array(eocd.buffer)];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The members of a fixture archive. */
async function membersOf(file: string): Promise<Member[]> {
  const b = new Uint8Array(readFileSync(file));
  const out: Member[] = [];
  for (const e of listZip(b, file)) out.push({ name: e.name, data: await readMember(b, e, file, 1 << 28) });
  return out;
}

/** Loads `bytes` as an archive in a fresh directory: expects a ModelFormatError matching `re`, and no new file anywhere in it. */
async function refuses(bytes: Uint8Array, re: RegExp): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regula-keras-hostile-'));
  try {
    const file = join(dir, 'hostile.keras');
    writeFileSync(file, bytes);
    const rss = process.memoryUsage().rss;
    await assert.rejects(loadModel(file), (e: unknown) => {
      assert.ok(e instanceof ModelFormatError, `expected a ModelFormatError, got ${String(e)}`);
      assert.match((e as Error).message, re);
      return true;
    });
    assert.ok(process.memoryUsage().rss - rss < 256 * 1024 * 1024, 'memory stayed bounded');
    assert.deepEqual(readdirSync(dir), ['hostile.keras'], 'nothing was written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Memory is measured around each load: start with the HDF5 and zip libraries loaded (their one-time cost).
before(async () => {
  await loadModel(join(FIXTURES, 'mlp.keras'));
});

test('zip bomb: a member that inflates past its declared size is stopped at that size', async () => {
  const ms = await membersOf(join(FIXTURES, 'mlp.keras'));
  const bomb = new Uint8Array(64 * 1024 * 1024); // 64 MiB of zeros deflate to ~64 KiB
  const zip = makeZip(ms.map((m) => (m.name === 'config.json' ? { name: m.name, data: bomb, deflate: true, size: 4096, crc: 0 } : m)));
  assert.ok(zip.length < 2 * 1024 * 1024);
  await refuses(zip, /config\.json.*inflates past its declared 4096 bytes \(zip bomb\?\)/);
});

test('zip bomb: a member declaring more than the load limit is refused before inflating', async () => {
  const ms = await membersOf(join(FIXTURES, 'mlp.keras'));
  const zip = makeZip(ms.map((m) => (m.name === 'model.weights.h5' ? { ...m, size: 0xfffffff0 } : m)));
  await refuses(zip, /model\.weights\.h5.*declares 4294967280 bytes uncompressed, more than the \d+-byte limit/);
});

test('a path-traversal member name refuses the archive (and nothing is written)', async () => {
  const ms = await membersOf(join(FIXTURES, 'mlp.keras'));
  for (const evil of ['../evil.json', '/etc/evil.json', 'assets/../../evil.json', 'C:/evil.json', 'a\\..\\evil']) {
    await refuses(makeZip([...ms, { name: evil, data: new TextEncoder().encode('{}') }]), /path traversal/);
  }
});

test('an h5 dataset whose shape disagrees with config.json is refused before its data is read', async () => {
  const ms = await membersOf(join(FIXTURES, 'mlp.keras'));
  const patch = (text: string): string => text.replace('"units": 16', '"units": 12').replace('"batch_shape": [null, 16]', '"batch_shape": [null, 12]').replace(/"input_shape": \[null, 16\]/g, '"input_shape": [null, 12]');
  const zip = makeZip(ms.map((m) => (m.name === 'config.json' ? { name: m.name, data: new TextEncoder().encode(patch(new TextDecoder().decode(m.data))) } : m)));
  await refuses(zip, /layers\/dense\/vars\/0 \(dense\/kernel\) has shape \[8,16\] but the config gives layer 'dense' \(Dense, weights at \/layers\/dense\/vars\) a \[8,12\] weight there/);
});

test('a truncated zip is refused: cut anywhere, it names the problem', async () => {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'mlp.keras')));
  await refuses(bytes.slice(0, Math.floor(bytes.length / 2)), /not a zip archive, or truncated/);
  await refuses(bytes.slice(0, bytes.length - 10), /not a zip archive, or truncated/);
  await refuses(bytes.slice(0, 10), /too short for a zip archive/);
  // The directory intact but a member's data cut short.
  const ms = await membersOf(join(FIXTURES, 'mlp.keras'));
  const zip = makeZip(ms);
  const e = listZip(zip, 'x').find((x) => x.name === 'model.weights.h5')!;
  const cut = new Uint8Array(zip);
  cut.fill(0, e.offset + 40, e.offset + 400);
  await refuses(cut, /CRC-32|HDF5|corrupt/);
});

test('unknown layer classes fail together in one error listing all of them', async () => {
  const ms = await membersOf(join(FIXTURES, 'functional.keras'));
  const patch = (t: string): string => t.replace('"class_name": "Concatenate"', '"class_name": "FancyMerge"').replace('"class_name": "BatchNormalization"', '"class_name": "GroupNormalization"');
  const zip = makeZip(ms.map((m) => (m.name === 'config.json' ? { name: m.name, data: new TextEncoder().encode(patch(new TextDecoder().decode(m.data))) } : m)));
  await refuses(zip, /2 layer classes are not available in Regula: 'FancyMerge' \(layer 'concatenate'\), 'GroupNormalization' \(layer 'batch_normalization'\); known layer classes: Activation, /);
});

test('Keras-3-style TF.js model.json (batch_shape InputLayer, DTypePolicy dtypes) loads', () => {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const topology = {
    class_name: 'Sequential',
    config: {
      name: 'k3',
      layers: [
        { class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' } },
        { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: policy, units: 2, activation: 'relu', use_bias: true } },
      ],
    },
    keras_version: '3.8.0',
    backend: 'tensorflow',
  };
  const w = Float32Array.of(1, 2, 3, 4, 5, 6, 0.5, -0.5);
  const m = fromArtifacts({ modelTopology: topology, weightSpecs: [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'dense/bias', shape: [2], dtype: 'float32' }], weightData: w.buffer });
  const y = m.predict(new Tensor([1, 3], 'float32', Float32Array.of(1, 1, 1))) as Tensor;
  assert.deepEqual(Array.from(y.data), [9.5, 11.5]);
});
