import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, idxSampleShape, loadIdxDataset, parseIdx, readIdx } from './idx.js';
import { DataError } from './data-error.js';

const dir = mkdtempSync(join(tmpdir(), 'regula-idx-'));

test('IDX round trip: gzipped uint8 images [3, 2, 2] written to disk and read back', () => {
  const pixels = [0, 1, 2, 255, 10, 20, 30, 40, 128, 64, 32, 16];
  const path = join(dir, 'images-idx3-ubyte.gz');
  writeFileSync(path, encodeIdx([3, 2, 2], 'uint8', pixels, true));
  const r = readIdx(path);
  assert.deepEqual(r.shape, [3, 2, 2]);
  assert.equal(r.dtype, 'uint8');
  assert.ok(r.data instanceof Uint8Array);
  assert.deepEqual([...r.data], pixels);
});

test('IDX round trip: raw big-endian int16, int32, float32, float64, int8', () => {
  const cases = [
    ['int16', [-300, 0, 300, 32767]],
    ['int32', [-70000, 1, 2 ** 30, -1]],
    ['float32', [1.5, -2.25, 3e-5, 1e20]],
    ['float64', [Math.PI, -Math.E, 1e-300, 5]],
    ['int8', [-128, -1, 0, 127]],
  ] as const;
  for (const [dtype, values] of cases) {
    const bytes = encodeIdx([2, 2], dtype, values);
    assert.equal(bytes[2], { int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e, int8: 0x09 }[dtype]);
    const r = parseIdx(bytes);
    assert.deepEqual(r.shape, [2, 2]);
    assert.deepEqual([...r.data], dtype === 'float32' ? values.map(Math.fround) : [...values]);
  }
  // Big-endian on disk: int16 -300 = 0xfed4.
  const b = encodeIdx([1], 'int16', [-300]);
  assert.deepEqual([...b], [0, 0, 0x0b, 1, 0, 0, 0, 1, 0xfe, 0xd4]);
});

test('loadIdxDataset: images flattened and scaled by 1/255, labels re-indexed', () => {
  const img = join(dir, 'i.gz');
  const lab = join(dir, 'l.gz');
  writeFileSync(img, encodeIdx([3, 2, 2], 'uint8', [0, 255, 51, 102, 0, 0, 0, 0, 255, 255, 255, 255], true));
  writeFileSync(lab, encodeIdx([3], 'uint8', [7, 3, 7], true));
  const d = loadIdxDataset(img, lab);
  assert.equal(d.rows, 3);
  assert.equal(d.cols, 4);
  assert.deepEqual([...d.features.subarray(0, 4)], [0, 1, Math.fround(0.2), Math.fround(0.4)]);
  assert.deepEqual(d.classes, ['3', '7']);
  assert.deepEqual([...d.labels], [1, 0, 1]);
  // Each row is one 2×2 grey image: the shape is kept, channels last.
  assert.deepEqual(d.imageShape, [2, 2, 1]);
  writeFileSync(lab, encodeIdx([2], 'uint8', [1, 2]));
  assert.throws(() => loadIdxDataset(img, lab), { message: `${lab}: 2 labels for 3 images in ${img}` });
});

test('idxSampleShape: [n, h, w] images are [h, w, 1]; [n, h, w, c] stay [h, w, c]; [n, d] rows are [d]', () => {
  assert.deepEqual(idxSampleShape([60000, 28, 28]), [28, 28, 1]);
  assert.deepEqual(idxSampleShape([5, 32, 32, 3]), [32, 32, 3]);
  assert.deepEqual(idxSampleShape([5, 7]), [7]);
  assert.deepEqual(idxSampleShape([5]), []);
  const img = join(dir, 'rgb.gz');
  const lab = join(dir, 'rgb-labels.gz');
  writeFileSync(img, encodeIdx([2, 2, 1, 3], 'uint8', [0, 51, 102, 153, 204, 255, 0, 0, 0, 255, 255, 255], true));
  writeFileSync(lab, encodeIdx([2], 'uint8', [0, 1], true));
  const d = loadIdxDataset(img, lab);
  assert.deepEqual(d.imageShape, [2, 1, 3]);
  assert.equal(d.cols, 6);
});

function throwsData(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof DataError && e.message === message);
}

test('IDX validation: magic, dtype, rank, size, missing file, corrupt gzip', () => {
  const good = encodeIdx([2, 3], 'uint8', [1, 2, 3, 4, 5, 6]);
  const bad = (edit: (b: Uint8Array) => Uint8Array) => edit(good.slice());
  throwsData(() => parseIdx(bad((b) => ((b[0] = 8), b)), 'x'), 'x: bad IDX magic: first two bytes must be 0x00 0x00, got 0x08 0x00');
  throwsData(() => parseIdx(bad((b) => ((b[2] = 0x0a), b)), 'x'), 'x: unknown IDX dtype byte 0x0a; expected one of 08 09 0b 0c 0d 0e');
  throwsData(() => parseIdx(bad((b) => ((b[3] = 0), b)), 'x'), 'x: IDX rank is 0; at least one dimension is required');
  throwsData(() => parseIdx(good.subarray(0, 13), 'x'), 'x: IDX size mismatch: dimensions [2, 3] of uint8 need 18 bytes, the file has 13');
  const trailing = new Uint8Array(19);
  trailing.set(good);
  throwsData(() => parseIdx(trailing, 'x'), 'x: IDX size mismatch: dimensions [2, 3] of uint8 need 18 bytes, the file has 19');
  throwsData(() => parseIdx(good.subarray(0, 7), 'x'), 'x: IDX header declares 2 dimensions but the file has only 7 bytes');
  throwsData(() => parseIdx(new Uint8Array([0, 0]), 'x'), 'x: IDX file too short: 2 bytes, the header alone needs 4');
  throwsData(() => readIdx(join(dir, 'nope.gz')), `${join(dir, 'nope.gz')}: file not found`);
  const gz = encodeIdx([2, 3], 'uint8', [1, 2, 3, 4, 5, 6], true);
  assert.throws(() => parseIdx(gz.subarray(0, gz.length - 6), 'z.gz'), (e: unknown) => e instanceof DataError && e.message.startsWith('z.gz: corrupt gzip data:'));
  // A header claiming 2^32-1 × 2^32-1 values is rejected before any allocation.
  const huge = new Uint8Array([0, 0, 0x08, 2, 255, 255, 255, 255, 255, 255, 255, 255]);
  assert.throws(() => parseIdx(huge, 'h'), (e: unknown) => e instanceof DataError && /exceed the 2147483647-byte limit/.test(e.message));
});

const FASHION = '/usr/share/datasets/fashion-mnist';
test('real Fashion-MNIST test set (Debian dataset-fashion-mnist), when installed', (t) => {
  let d;
  try {
    d = loadIdxDataset(join(FASHION, 't10k-images-idx3-ubyte.gz'), join(FASHION, 't10k-labels-idx1-ubyte.gz'));
  } catch (e) {
    if (e instanceof DataError && e.problem === 'file not found') return t.skip(`${FASHION} not installed (apt-get install dataset-fashion-mnist)`);
    throw e;
  }
  assert.equal(d.rows, 10000);
  assert.equal(d.cols, 784);
  assert.deepEqual(d.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const counts = new Array<number>(10).fill(0);
  for (const l of d.labels) counts[l]!++;
  assert.deepEqual(counts, new Array(10).fill(1000));
  assert.deepEqual(readIdx(join(FASHION, 't10k-images-idx3-ubyte.gz')).shape, [10000, 28, 28]);
  assert.deepEqual(d.imageShape, [28, 28, 1]);
});

/** `copies` gzip members of 64 MiB of zeros each, after `head` (itself gzipped): a small file that inflates enormously. */
function gzipBomb(head: Uint8Array | null, copies: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(64 << 20), { level: 1 });
  const parts: Uint8Array[] = head ? [gzipSync(head)] : [];
  for (let i = 0; i < copies; i++) parts.push(zeros);
  return Buffer.concat(parts);
}

/** Runs `fn`, which must throw a DataError matching `re`, within `ms` and growing RSS by less than 200 MB. */
function failsFastAndSmall(fn: () => unknown, re: RegExp, ms: number): void {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  assert.throws(fn, (e: unknown) => e instanceof DataError && re.test(e.message));
  const grew = (process.memoryUsage().rss - rss0) / 2 ** 20;
  const took = performance.now() - t0;
  assert.ok(grew < 200, `RSS grew by ${grew.toFixed(0)} MB`);
  assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
}

test('issue 9: an IDX header declaring 2.1e9 images with 10 labels fails on the headers, before inflating 2 GB', () => {
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  header.set([0, 0, 0x08, 2]);
  view.setUint32(4, 2_100_000_000);
  view.setUint32(8, 1);
  const img = join(dir, 'bomb-images.gz');
  const lab = join(dir, 'bomb-labels.gz');
  writeFileSync(img, gzipBomb(header, 32)); // ≈ 2 MB on disk, 2 GiB once inflated
  writeFileSync(lab, encodeIdx([10], 'uint8', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], true));
  failsFastAndSmall(() => loadIdxDataset(img, lab), /bomb-labels\.gz: 10 labels for 2100000000 images/, 3000);
});

test('issue 9: a gzip bomb of zeros is rejected from its first inflated bytes; inflation stops at the declared size', () => {
  const zeros = join(dir, 'zeros.gz');
  writeFileSync(zeros, gzipBomb(null, 8)); // 512 MiB of zeros
  failsFastAndSmall(() => readIdx(zeros), /zeros\.gz: unknown IDX dtype byte 0x00/, 3000);
  // A valid header followed by far more data than it declares: inflation stops at the declared size.
  const header = Uint8Array.from([0, 0, 0x08, 1, 0, 0, 0, 16]);
  const long = join(dir, 'long.gz');
  writeFileSync(long, gzipBomb(header, 8));
  failsFastAndSmall(() => readIdx(long), /long\.gz: IDX size mismatch: dimensions \[16\] of uint8 need 24 bytes, the file has more once decompressed/, 3000);
});
