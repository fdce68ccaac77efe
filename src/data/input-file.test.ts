/**
 * Issue 9, items 5 and 7: data paths that are not regular files are refused
 * before anything opens them (a FIFO used to hang forever, a directory gave a
 * raw EISDIR), and bytes that are not UTF-8 are an error naming the file,
 * line and byte offset (they used to become U+FFFD, merging `café` and
 * `cafè` into one category).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTable, readCsv } from './csv.js';
import { DataError } from './data-error.js';
import { loadIdxDataset, readIdx } from './idx.js';
import { checkDataFile, invalidUtf8At, Utf8Checker } from './input-file.js';

const dir = mkdtempSync(join(tmpdir(), 'regula-input-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function throwsData(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('a directory as a data file is a DataError naming it, for CSV and IDX readers', () => {
  const d = join(dir, 'adir');
  mkdirSync(d);
  const msg = `${d}: a directory, not a data file; give the path of a regular file`;
  throwsData(() => checkDataFile(d), msg);
  throwsData(() => loadTable(d, { target: 'y' }), msg);
  throwsData(() => readCsv(d), msg);
  throwsData(() => readIdx(d), msg);
  throwsData(() => loadIdxDataset(d, d), msg);
});

test('a FIFO as a data file is refused at once (not opened: opening would block)', { skip: process.platform === 'win32' }, () => {
  const fifo = join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const t0 = performance.now();
  throwsData(() => loadTable(fifo, { target: 'y' }), `${fifo}: a FIFO (named pipe), not a data file; give the path of a regular file`);
  throwsData(() => readIdx(fifo), /a FIFO \(named pipe\), not a data file/);
  assert.ok(performance.now() - t0 < 2000);
});

test('a character device (/dev/zero) is refused, not read forever', { skip: !existsSync('/dev/zero') }, () => {
  throwsData(() => loadTable('/dev/zero', { target: 'y' }), '/dev/zero: a character device, not a data file; give the path of a regular file');
});

test('non-UTF-8 bytes are an error with file, line and byte offset (café/cafè no longer merge)', () => {
  const path = join(dir, 'latin1.csv');
  const head = Buffer.from('city,y\nparis,0\n');
  // Latin-1 é = 0xe9, è = 0xe8: neither is valid UTF-8 here.
  writeFileSync(path, Buffer.concat([head, Buffer.from('caf\xe9,1\ncaf\xe8,0\n', 'latin1')]));
  const at = head.length + 3;
  const msg = `${path}:3: invalid UTF-8: byte 0xe9 at byte offset ${at} is not UTF-8 text; re-save the file as UTF-8 (a Latin-1 file can be read with --encoding latin1)`;
  throwsData(() => loadTable(path, { target: 'y' }), msg);
  throwsData(() => readCsv(path), msg);
  // Read as Latin-1 on request, the two categories stay distinct.
  const t = loadTable(path, { target: 'y', encoding: 'latin1' });
  assert.deepEqual(t.columns[0], { name: 'city', kind: 'categorical', categories: ['cafè', 'café', 'paris'] });
  // Valid UTF-8 with multi-byte characters is read as before.
  writeFileSync(path, 'city,y\ncafé,1\ncafè,0\nκόσμε,1\n');
  assert.deepEqual(loadTable(path, { target: 'y' }).columns[0], { name: 'city', kind: 'categorical', categories: ['cafè', 'café', 'κόσμε'] });
});

test('Utf8Checker: characters split across pieces are fine; bad, overlong, surrogate and cut sequences are caught', () => {
  const text = Buffer.from('a€b😀c\n');
  for (let cut = 0; cut <= text.length; cut++) {
    const u = new Utf8Checker('s');
    const got = Buffer.concat([u.push(text.subarray(0, cut)), u.push(text.subarray(cut))]);
    u.end();
    assert.equal(got.toString(), 'a€b😀c\n');
  }
  for (const [bytes, at] of [
    [[0x61, 0xc0, 0x80], 1], // overlong NUL
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0x62, 0x80], 2], // stray continuation byte
    [[0xe2, 0x82], 0], // cut at the end
  ] as const) {
    assert.equal(invalidUtf8At(Uint8Array.from(bytes)), at, `bytes ${bytes.join(' ')}`);
  }
  const u = new Utf8Checker('t.csv');
  u.push(Buffer.from('x\n'));
  u.push(Uint8Array.from([0x61, 0xe2, 0x82]));
  throwsData(() => u.end(), /^t\.csv:2: invalid UTF-8: byte 0xe2 at byte offset 3 /);
});
