/**
 * How the CLI reports failures. Bad input a user can fix (a flag value, a
 * missing file, a bad CSV cell, a broken model directory) exits with code 2
 * and ONE line on stderr; anything else is a bug and exits with code 1.
 */
import { CommanderError } from 'commander';
import { DataError } from '../data/data-error.js';

/** A bad command line: a flag value out of range, a missing required flag, a missing file. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code for bad user input (flags, files, data). */
export const EXIT_BAD_INPUT = 2;
/** Exit code for an internal error. */
export const EXIT_INTERNAL = 1;

/** Error classes (by name) that signal bad input from other modules (io's model-file errors). */
const INPUT_ERROR_NAMES = new Set(['UsageError', 'DataError', 'ModelFormatError', 'ModelLoadError']);

/**
 * File-system refusals caused by the paths a user gave (permissions, a full
 * or read-only disk, a file where a directory is needed…): input, not bugs.
 */
const INPUT_ERRNO = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST', 'ENAMETOOLONG', 'ELOOP', 'EXDEV', 'ENOTEMPTY', 'EBUSY']);

/** True when `e` describes bad user input rather than a bug. */
export function isInputError(e: unknown): boolean {
  if (e instanceof UsageError || e instanceof DataError || e instanceof CommanderError) return true;
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string' && INPUT_ERRNO.has((e as NodeJS.ErrnoException).code ?? '')) return true;
  return e instanceof Error && INPUT_ERROR_NAMES.has(e.name);
}

/** The single line printed for an error: `regula [command]: message` with newlines folded. */
export function errorLine(command: string, e: unknown): string {
  let msg = e instanceof Error ? e.message : String(e);
  // Commander prefixes its messages with "error: ".
  msg = msg.replace(/^error:\s*/, '');
  return `regula${command ? ` ${command}` : ''}: ${msg.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`;
}
