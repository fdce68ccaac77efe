/** zip.ts on its own: CRC-32, a written archive read back, and the refusals that need no model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFormatError } from '../keras-format.js';
import { crc32, listZip, readMember, writeZip } from './zip.js';

const enc = new TextEncoder();

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(enc.encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('an archive written by writeZip lists and reads back, stored and deflated', async () => {
  const big = new Uint8Array(100_000).map((_, i) => i % 7);
  const zip = await writeZip([
    { name: 'metadata.json', data: enc.encode('{"a":1}'), deflate: false },
    { name: 'dir/big.bin', data: big, deflate: true },
  ]);
  const es = listZip(zip, 'x.keras');
  assert.deepEqual(es.map((e) => [e.name, e.method, e.size]), [['metadata.json', 0, 7], ['dir/big.bin', 8, 100_000]]);
  assert.deepEqual(await readMember(zip, es[1]!, 'x.keras', 1 << 20), big);
  await assert.rejects(readMember(zip, es[1]!, 'x.keras', 1000), (e: unknown) => e instanceof ModelFormatError && /declares 100000 bytes uncompressed, more than the 1000-byte limit/.test(e.message));
});

test('names that leave the archive, and bytes that are not a zip, are refused', async () => {
  for (const name of ['../x', '/abs', 'a/../../x', 'C:/x', 'a\\b']) {
    const zip = await writeZip([{ name, data: enc.encode('x'), deflate: false }]);
    assert.throws(() => listZip(zip, 'x.keras'), /path traversal/);
  }
  assert.throws(() => listZip(enc.encode('x'.repeat(100)), 'x.keras'), /not a zip archive, or truncated/);
});
