/**
 * Atomic outputs of the CLI: a file is written beside its target and renamed
 * over it; a directory (a saved model with its preprocessing and report) is
 * assembled in a staging directory and renamed into place. A failure, or bad
 * input found on the way, leaves nothing half-written.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './cli-error.js';

let counter = 0;

function tempName(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${++counter}`);
}

/** Fails early (before any work) when `path` exists and is not a directory. */
export function checkOutputDir(path: string, flag: string): void {
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw new UsageError(`${flag} ${path} exists and is not a directory`);
  }
}

/** Fails early when `path`'s parent does not exist or `path` is a directory. */
export function checkOutputFile(path: string, flag: string): void {
  const parent = dirname(resolve(path));
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`${flag} ${path}: directory ${parent} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag} ${path} is a directory`);
}

/** Writes `content` to `path` through a temporary file and a rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = tempName(path, 'tmp');
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A staging directory for `finalDir` (created, empty), to be filled and then
 * passed to `publishDir`, or removed with `discardDir` on failure.
 */
export function stagingDir(finalDir: string): string {
  const parent = dirname(resolve(finalDir));
  mkdirSync(parent, { recursive: true });
  const dir = tempName(resolve(finalDir), 'staging');
  mkdirSync(dir);
  return dir;
}

/** Moves a filled staging directory to `finalDir`, replacing an existing one. */
export function publishDir(staging: string, finalDir: string): void {
  const target = resolve(finalDir);
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const old = tempName(target, 'old');
  renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (e) {
    renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Removes a staging directory (after a failure). */
export function discardDir(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
