/**
 * Model locations as TF.js programs write them (issue 15): file:// URLs,
 * paths to model.json, http(s) URLs over fetch, and the browser stores that
 * fail with an error naming the scheme instead of making a folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { layers, loadModel, Sequential, tensor } from '../../src/index.js';
import { locate } from '../../src/io/url.js';

function small(): Sequential {
  return new Sequential([layers.dense({ units: 3, inputShape: [2], activation: 'relu' }), layers.dense({ units: 1 })], { seed: 4 });
}
const x = tensor([[1, 2], [3, -1]]);

test('locate: file:// URLs, model.json paths, http(s) and refused schemes', () => {
  assert.deepEqual(locate('file:///tmp/a%20b/m', 'save'), { kind: 'dir', dir: '/tmp/a b/m' });
  assert.deepEqual(locate('file://rel/dir/model.json', 'loadModel'), { kind: 'dir', dir: 'rel/dir' });
  assert.deepEqual(locate('file:///C:/models/m', 'loadModel'), { kind: 'dir', dir: 'C:/models/m' });
  assert.deepEqual(locate('out/m/model.json', 'loadModel'), { kind: 'dir', dir: 'out/m' });
  assert.deepEqual(locate('model.json', 'loadModel'), { kind: 'dir', dir: '.' });
  assert.deepEqual(locate('out/m', 'save'), { kind: 'dir', dir: 'out/m' });
  assert.deepEqual(locate('https://example.org/m/model.json', 'loadModel'), { kind: 'http', url: 'https://example.org/m/model.json' });
  assert.throws(() => locate('https://example.org/m', 'save'), /save: saving to https:\/\/ is not supported/);
  assert.throws(() => locate('indexeddb://my-model', 'save'), /save: 'indexeddb:\/\/' \(TF.js's IndexedDB store\) is not built into Regula; pass TF.js's own handler instead, e.g. model.save\(tf.io.getSaveHandlers\('indexeddb:\/\/my-model'\)\[0\]\)/);
  assert.throws(() => locate('localstorage://m', 'loadModel'), /loadModel: 'localstorage:\/\/'.*tf.io.getLoadHandlers/);
  assert.throws(() => locate('s3://bucket/m', 'save'), /save: unknown URL scheme 's3:\/\/'/);
});

test('save to file:///abs/dir and load from .../model.json: no stray "file:" folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-url-'));
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    const m = small();
    const target = join(dir, 'saved');
    await m.save(pathToFileURL(target).href);
    assert.ok(existsSync(join(target, 'model.json')));
    assert.ok(!existsSync(join(dir, 'file:')), 'no folder named file:');
    const a = await loadModel(pathToFileURL(join(target, 'model.json')).href);
    const b = await loadModel(join(target, 'model.json'));
    assert.deepEqual(Array.from((a.predict(x) as never as { data: Float32Array }).data), Array.from(m.predict(x).data));
    assert.deepEqual(Array.from((b.predict(x) as never as { data: Float32Array }).data), Array.from(m.predict(x).data));
    await assert.rejects(m.save('localstorage://m'), /'localstorage:\/\/' \(TF.js's localStorage store\) is not built into Regula/);
    await assert.rejects(m.save('downloads://m'), /downloads/);
    assert.ok(!existsSync(join(dir, 'localstorage:')) && !existsSync(join(dir, 'downloads:')), 'no stray folders');
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadModel(http://…/model.json) fetches the model and its shards; a short shard is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-http-'));
  const m = small();
  await m.save(join(dir, 'm'), { includeOptimizer: false });
  let truncate = false;
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const path = join(dir, name);
    if (!name.startsWith('m/') || !existsSync(path)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const body = readFileSync(path);
    res.end(truncate && name.endsWith('.bin') ? body.subarray(0, body.length - 4) : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const loaded = await loadModel(`http://127.0.0.1:${port}/m/model.json`);
    assert.deepEqual(Array.from((loaded.predict(x) as never as { data: Float32Array }).data), Array.from(m.predict(x).data));
    await assert.rejects(loadModel(`http://127.0.0.1:${port}/nope/model.json`), /HTTP 404/);
    truncate = true;
    await assert.rejects(loadModel(`http://127.0.0.1:${port}/m/model.json`), /hold \d+ bytes, but the manifest declares \d+/);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
