/**
 * Atomic single-file outputs of the CLI (`predict --out`, manifests): the
 * content is written to a temporary file beside the target, fsynced, and
 * renamed over it, so a reader or a crash never sees half a file. Output
 * directories are handled by output-dir.ts.
 */
import { closeSync, existsSync, fsyncSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './cli-error.js';

let counter = 0;

function tempName(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${++counter}`);
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  const abs = resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return abs;
      tail.push(head.slice(up.length).replace(/^[\\/]+/, ''));
      head = up;
    }
  }
}

/** True when `inner` is `outer` or lies inside it. */
export function pathWithin(inner: string, outer: string): boolean {
  const r = relative(realish(outer), realish(inner));
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
}

/** Options of `checkOutputFile`. */
export interface OutputFileOptions {
  /** Input files the output must not be. */
  inputs?: readonly (string | undefined)[];
  /** Replace an existing file even if Regula did not write it. */
  force?: boolean;
  /** Recognizes a file Regula wrote from its first bytes (may then be replaced without force). */
  ours?: (head: string) => boolean;
}

function headOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Fails early when `path` cannot be an output file: its directory is
 * missing, it is a directory or not a regular file, it is one of the
 * inputs, or it exists and Regula did not write it (without `force`).
 */
export function checkOutputFile(path: string, flag: string, o: OutputFileOptions = {}): void {
  const parent = dirname(resolve(path));
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`${flag} ${path}: directory ${parent} does not exist`);
  for (const input of o.inputs ?? []) {
    if (input !== undefined && pathWithin(path, input)) throw new UsageError(`${flag} ${path} is the input ${input}; write the output to another file`);
  }
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) throw new UsageError(`${flag} ${path} is a directory`);
  if (!st.isFile()) throw new UsageError(`${flag} ${path} exists and is not a regular file`);
  if (o.force || (o.ours !== undefined && o.ours(headOf(path)))) return;
  throw new UsageError(`${flag} ${path} already exists and Regula did not write it; choose another file or pass --force to replace it`);
}

/** Writes `content` to `path` through a temporary file (fsynced) and a rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = tempName(path, 'tmp');
  try {
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
