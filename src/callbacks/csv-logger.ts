/**
 * CSVLogger (Keras 3, docs/semantics.md §4.6): one row per epoch — `epoch` (0-based) then
 * the log keys in sorted order. If the first epoch has no `val_` keys (no
 * validation that epoch), `val_<key>` columns are added anyway and filled
 * with `NA`. With `append`, the header is written only when the file is empty.
 *
 * The only callback that writes a file. It goes through a `TextFileWriter`:
 * the default one (Node) rewrites the file atomically each epoch via
 * `io/fs.ts` (a crash never leaves a torn row); `memoryTextWriter()` keeps the
 * text in memory (browsers, tests).
 */
import type { Callback, Logs } from './callback.js';

/** Where CSV text goes. */
export interface TextFileWriter {
  /** The file's current contents, or undefined if it does not exist. */
  read(path: string): Promise<string | undefined>;
  /** Replaces the whole file (atomically, for the default writer). */
  write(path: string, text: string): Promise<void>;
}

/** The default writer: atomic rewrites through `io/fs.ts` (Node only; loaded on first use). */
export const nodeTextWriter: TextFileWriter = {
  async read(path) {
    const fs = await import('../io/fs.js');
    return fs.readTextFile(path);
  },
  async write(path, text) {
    const fs = await import('../io/fs.js');
    await fs.writeTextFileAtomic(path, text);
  },
};

/** An in-memory writer: `files` maps each path to its text. */
export function memoryTextWriter(files: Map<string, string> = new Map()): TextFileWriter & { files: Map<string, string> } {
  return {
    files,
    read: async (path) => files.get(path),
    write: async (path, text) => {
      files.set(path, text);
    },
  };
}

export interface CSVLoggerArgs {
  /** The CSV file. */
  filename: string;
  /** Column separator (default ','). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
  /** Where the text goes (default: the file system, atomically). */
  writer?: TextFileWriter;
}

/** Python-like number text: integers without '.0' loss of precision, floats shortest round-trip. */
function cell(v: number | undefined): string {
  if (v === undefined) return 'NA';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** @example callbacks.csvLogger({ filename: 'training.csv' }) */
export class CSVLogger implements Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private readonly writer: TextFileWriter;
  private keys: string[] | undefined;
  private text = '';

  constructor(args: CSVLoggerArgs | string) {
    const a: CSVLoggerArgs = typeof args === 'string' ? { filename: args } : args;
    if (typeof a !== 'object' || a === null || typeof a.filename !== 'string' || a.filename === '') {
      throw new Error(`CSVLogger: filename must be a non-empty string, got ${JSON.stringify(a?.filename)}`);
    }
    this.filename = a.filename;
    this.separator = a.separator ?? ',';
    if (typeof this.separator !== 'string' || this.separator === '' || /[\r\n"]/.test(this.separator)) {
      throw new Error(`CSVLogger: separator must be a non-empty string without quotes or newlines, got ${JSON.stringify(this.separator)}`);
    }
    this.append = a.append ?? false;
    this.writer = a.writer ?? nodeTextWriter;
  }

  async onTrainBegin(): Promise<void> {
    this.keys = undefined;
    this.text = this.append ? ((await this.writer.read(this.filename)) ?? '') : '';
    if (this.text !== '' && !this.text.endsWith('\n')) this.text += '\n';
    if (!this.append) await this.writer.write(this.filename, '');
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.keys) {
      let keys = Object.keys(logs).sort();
      if (!keys.some((k) => k.startsWith('val_'))) keys = keys.concat(keys.map((k) => `val_${k}`));
      this.keys = keys;
      if (this.text === '') this.text = ['epoch', ...keys].join(this.separator) + '\n';
    }
    this.text += [String(epoch), ...this.keys.map((k) => cell(logs[k]))].join(this.separator) + '\n';
    await this.writer.write(this.filename, this.text);
  }
}

/** Factory: `callbacks.csvLogger('training.csv')` or `callbacks.csvLogger({ filename, append: true })`. */
export function csvLogger(args: CSVLoggerArgs | string): CSVLogger {
  return new CSVLogger(args);
}
