/**
 * The one CSV tokenizer of `src/data/`: `streamCsv` feeds a file (in 1 MiB
 * pieces) or a text through `csv-parse`'s incremental parser and hands each
 * record to a callback, so no reader ever holds the whole file or all of its
 * string cells. It owns the shape errors every reader shares, with line-exact
 * messages: invalid UTF-8, CSV syntax, an empty file, empty or duplicated
 * header names, ragged rows, a header with no rows under it.
 */
import { Parser } from 'csv-parse';
import { DataError, showCell } from './data-error.js';
import { readChunks, Utf8Checker } from './input-file.js';

/** A CSV given as a file path, or as text with a name to use in messages. */
export type CsvSource = string | { readonly text: string; readonly name?: string };

/** Text encodings a CSV file may be read in. */
export type CsvEncoding = 'utf8' | 'latin1';

/** Options of `readCsv`, `loadTable` and `streamCsv`. */
export interface ReadCsvOptions {
  /** Field delimiter; `,` by default. */
  readonly delimiter?: string;
  /** Encoding of a CSV file: `utf8` (default; invalid bytes are an error) or `latin1`. */
  readonly encoding?: CsvEncoding;
}

/** Receives the parsed CSV, record by record. */
export interface CsvSink {
  /** The header (checked: non-empty, distinct names); `line` is 1-based. */
  header(names: readonly string[], line: number): void;
  /** One data row, as long as the header; `line` is where it ends in the file. */
  row(cells: readonly string[], line: number): void;
}

/** The part of `csv-parse`'s incremental API used here (`Parser.api`, which its types do not declare). */
interface IncrementalParser {
  parse(buf: Buffer | undefined, end: boolean, push: (r: ParsedRecord) => void, close: () => void): Error | undefined;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** The name of a source in messages. */
export function sourceName(source: CsvSource): string {
  return typeof source === 'string' ? source : source.name ?? '<text>';
}

/**
 * Parses a CSV with a header row, calling `sink.header` once and `sink.row`
 * per data row. Cells are trimmed; blank lines are skipped; a UTF-8 BOM is
 * ignored. A file is read in pieces; text is parsed as one piece.
 *
 * @throws DataError for a missing or non-regular file, invalid UTF-8 (with
 *   `encoding: 'utf8'`), a CSV syntax error, an empty file, an empty or
 *   duplicated header name, a ragged row, or a header with no data rows; and
 *   whatever the sink throws.
 */
export function streamCsv(source: CsvSource, options: ReadCsvOptions, sink: CsvSink): void {
  const name = sourceName(source);
  const parser = (new Parser({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    delimiter: options.delimiter ?? ',',
  }) as unknown as { api: IncrementalParser }).api;
  let width = -1;
  let rows = 0;
  let failure: unknown = null;
  const push = (r: ParsedRecord): void => {
    if (failure !== null) return;
    try {
      if (width < 0) {
        checkHeader(r.record, name, r.info.lines);
        width = r.record.length;
        sink.header(r.record, r.info.lines);
        return;
      }
      if (r.record.length !== width) {
        throw new DataError(`ragged row: ${r.record.length} fields, but the header has ${width}`, { file: name, line: r.info.lines });
      }
      rows++;
      sink.row(r.record, r.info.lines);
    } catch (e) {
      failure = e;
    }
  };
  const feed = (buf: Buffer | undefined, end: boolean): void => {
    const err = parser.parse(buf, end, push, () => {});
    if (failure !== null) throw failure;
    if (err !== undefined) {
      const lines = (err as { lines?: unknown }).lines;
      throw new DataError(`CSV syntax error: ${err.message}`, { file: name, line: typeof lines === 'number' ? lines : undefined });
    }
  };
  if (typeof source === 'string') {
    const utf8 = options.encoding === 'latin1' ? null : new Utf8Checker(name);
    readChunks(source, (bytes) => {
      // Copies: csv-parse keeps a view of the unconsumed tail of each piece.
      feed(utf8 ? Buffer.from(utf8.push(bytes)) : Buffer.from(Buffer.from(bytes).toString('latin1'), 'utf8'), false);
    });
    utf8?.end();
  } else {
    feed(Buffer.from(source.text), false);
  }
  feed(undefined, true);
  if (width < 0) throw new DataError('empty data: the file has no header row and no rows', { file: name });
  if (rows === 0) throw new DataError('empty data: the header has no data rows under it', { file: name });
}

function checkHeader(header: readonly string[], file: string, line: number): void {
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') throw new DataError(`header field ${i + 1} is empty; every column needs a name`, { file, line });
    if (seen.has(h)) throw new DataError(`duplicate column name ${showCell(h)} in the header`, { file, line });
    seen.add(h);
  });
}
