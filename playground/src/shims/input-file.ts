/**
 * The browser's stand-in for src/data/input-file.ts (which reads files with
 * node:fs): the page gives the CSV reader text, never a path, so every
 * file-reading export refuses with a clear error. Text arrives already
 * decoded; the worker decodes uploads with a fatal UTF-8 decoder first
 * (worker-data.ts), matching the CLI's refusal of bytes that are not UTF-8.
 */
const NO_FILES = 'reading files by path needs Node.js; in a browser give the CSV as text';

export const CHUNK_BYTES = 1 << 20;

export function checkDataFile(_path: string): number {
  throw new Error(NO_FILES);
}

export function readChunks(_path: string, _onChunk: (bytes: Uint8Array) => void): void {
  throw new Error(NO_FILES);
}

export function readHead(_path: string, _n: number): Uint8Array {
  throw new Error(NO_FILES);
}

export class Utf8Checker {
  constructor(_name: string) {
    throw new Error(NO_FILES);
  }
  push(bytes: Uint8Array): Uint8Array {
    return bytes;
  }
  end(): void {}
}
