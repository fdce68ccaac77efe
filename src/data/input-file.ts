/**
 * Opening data files safely, shared by the CSV and IDX readers and the CLI's
 * format sniffing: `checkDataFile` stats a path before anything opens it (a
 * FIFO would block `open` forever, a directory fails with a raw `EISDIR`),
 * `readChunks` reads a file in fixed-size pieces, and `Utf8Checker` rejects
 * bytes that are not UTF-8 with the file, line and byte offset (instead of
 * letting them become U+FFFD and silently merge distinct categories).
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { DataError } from './data-error.js';

/** What a non-regular path is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks that `path` is an existing regular file (symbolic links followed)
 * and returns its size in bytes.
 *
 * @throws DataError `file not found`, or `is a directory, not a data file`
 *   (likewise a FIFO, a device, a socket), naming the path.
 */
export function checkDataFile(path: string): number {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    throw new DataError('file not found', { file: path });
  }
  if (!st.isFile()) throw new DataError(`${kindOf(st)}, not a data file; give the path of a regular file`, { file: path });
  return st.size;
}

/** Size of the pieces `readChunks` reads. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Calls `onChunk` with consecutive pieces of a regular file (checked first by
 * `checkDataFile`). The buffer passed is reused between calls.
 *
 * @throws DataError for a path that is not a regular file or a read error.
 */
export function readChunks(path: string, onChunk: (bytes: Uint8Array) => void, chunkBytes = CHUNK_BYTES): void {
  const size = checkDataFile(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(`cannot open file: ${(e as Error).message}`, { file: path });
  }
  const buf = new Uint8Array(Math.max(4096, Math.min(chunkBytes, size + 1)));
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw new DataError(`cannot read file: ${(e as Error).message}`, { file: path });
      }
      if (n === 0) break;
      onChunk(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads the first `n` bytes of a regular file (fewer when the file is shorter). */
export function readHead(path: string, n: number): Uint8Array {
  checkDataFile(path);
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(n);
    const got = readSync(fd, head, 0, n, 0);
    return head.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Length of the UTF-8 sequence led by byte `c` (0 for a byte that cannot lead one). */
function sequenceLength(c: number): number {
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return 2;
  if (c >= 0xe0 && c <= 0xef) return 3;
  if (c >= 0xf0 && c <= 0xf4) return 4;
  return 0;
}

/**
 * Index of the first byte of `b` that starts an invalid UTF-8 sequence
 * (overlong forms, surrogates and code points above U+10FFFF are invalid),
 * or -1. A sequence cut off by the end of `b` counts as invalid.
 */
export function invalidUtf8At(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const len = sequenceLength(c);
    if (len === 1) {
      i++;
      continue;
    }
    if (len === 0 || i + len > b.length) return i;
    const c1 = b[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}

/** Bytes at the end of `b` that start a UTF-8 sequence that is not complete yet. */
function incompleteTail(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back]!;
    if ((c & 0xc0) !== 0x80) return sequenceLength(c) > back ? back : 0;
  }
  return 0;
}

/**
 * Streaming UTF-8 validation. Feed the bytes of a file in order with `push`
 * (it returns the bytes that are complete characters so far; a sequence cut
 * by a chunk boundary is carried to the next call) and call `end` after the
 * last piece.
 *
 * @example
 * const utf8 = new Utf8Checker('a.csv');
 * readChunks('a.csv', (b) => parser.write(utf8.push(b)));
 * utf8.end();
 */
export class Utf8Checker {
  private offset = 0;
  private lines = 0;
  private carry: Uint8Array = new Uint8Array(0);

  constructor(private readonly file: string) {}

  /** Validates the next piece; returns the bytes up to the last complete character. */
  push(bytes: Uint8Array): Uint8Array {
    const all = this.carry.length > 0 ? concat(this.carry, bytes) : bytes;
    const keep = incompleteTail(all);
    const body = all.subarray(0, all.length - keep);
    if (!isUtf8(body)) this.fail(body, invalidUtf8At(body));
    this.carry = all.slice(all.length - keep);
    this.offset += body.length;
    this.lines += countNewlines(body);
    return body;
  }

  /** Rejects a sequence left incomplete at the end of the file. */
  end(): void {
    if (this.carry.length > 0) this.fail(this.carry, 0);
  }

  private fail(body: Uint8Array, at: number): never {
    const i = Math.max(at, 0);
    const line = this.lines + countNewlines(body.subarray(0, i)) + 1;
    const byte = body[i] ?? 0;
    throw new DataError(
      `invalid UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at byte offset ${this.offset + i} is not UTF-8 text; re-save the file as UTF-8 (a Latin-1 file can be read with --encoding latin1)`,
      { file: this.file, line },
    );
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function countNewlines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}
