/**
 * CSV input: `readCsv` parses a file (or text) with a header row into string
 * cells, checking its shape; `loadTable` turns it into a numeric feature
 * matrix and a target, inferring the column types (see `schema.ts` for the
 * rules). Parsing is done by `csv-parse`; this file adds line-exact errors.
 *
 * Who may import: the CLI, examples, tests. Node-only (`node:fs`) because it
 * reads files; `schema.ts` and below do not touch the file system.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError, showCell } from './data-error.js';
import { encodeFeatures, encodeTarget, inferSchema, type SchemaOptions, type TargetData, type ColumnSpec } from './schema.js';

/** A CSV given as a file path, or as text with a name to use in messages. */
export type CsvSource = string | { readonly text: string; readonly name?: string };

/** A parsed CSV: header and string cells, every row as long as the header. */
export interface RawCsv {
  /** File path or the text's name (`<text>` by default); used in messages. */
  readonly source: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** 1-based line number where each row ends in the file (same length as `rows`). */
  readonly lines: readonly number[];
}

/** Options of `readCsv`. */
export interface ReadCsvOptions {
  /** Field delimiter; `,` by default. */
  readonly delimiter?: string;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads and parses a CSV with a header row. Cells are trimmed; blank lines are
 * skipped; a UTF-8 BOM is ignored.
 *
 * @throws DataError for a missing/unreadable file, a CSV syntax error, an
 *   empty file, an empty or duplicated header name, a row whose field count
 *   differs from the header's (ragged row), or a header with no data rows.
 * @example
 * const raw = readCsv({ text: 'a,b\n1,2\n', name: 'inline' });
 * // raw.header = ['a', 'b'], raw.rows = [['1', '2']], raw.lines = [2]
 */
export function readCsv(source: CsvSource, options: ReadCsvOptions = {}): RawCsv {
  const name = typeof source === 'string' ? source : source.name ?? '<text>';
  const text = typeof source === 'string' ? readText(source) : source.text;
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      delimiter: options.delimiter ?? ',',
    }) as unknown as ParsedRecord[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const line = typeof err.lines === 'number' ? err.lines : undefined;
    throw new DataError(`CSV syntax error: ${err.message ?? String(e)}`, { file: name, line });
  }
  const first = records[0];
  if (first === undefined) throw new DataError('empty data: the file has no header row and no rows', { file: name });
  const header = first.record;
  checkHeader(header, name, first.info.lines);
  if (records.length === 1) throw new DataError('empty data: the header has no data rows under it', { file: name });
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    if (r.record.length !== header.length) {
      throw new DataError(`ragged row: ${r.record.length} fields, but the header has ${header.length}`, {
        file: name,
        line: r.info.lines,
      });
    }
    rows.push(r.record);
    lines.push(r.info.lines);
  }
  return { source: name, header, rows, lines };
}

function readText(path: string): string {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new DataError('file not found', { file: path });
  }
  if (!isFile) throw new DataError('not a regular file', { file: path });
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read file: ${(e as Error).message}`, { file: path });
  }
}

function checkHeader(header: readonly string[], file: string, line: number): void {
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') throw new DataError(`header field ${i + 1} is empty; every column needs a name`, { file, line });
    if (seen.has(h)) throw new DataError(`duplicate column name ${showCell(h)} in the header`, { file, line });
    seen.add(h);
  });
}

/** A CSV encoded as numbers: the features matrix and the target. */
export interface Table {
  /** File path or text name the table came from. */
  readonly source: string;
  readonly rows: number;
  /** Number of feature columns after one-hot encoding. */
  readonly cols: number;
  /** Features, `[rows, cols]` row-major, unscaled. */
  readonly features: Float32Array;
  /** One name per feature column: the CSV name, or `column=category` for one-hot columns. */
  readonly featureNames: readonly string[];
  /** How each input column was read (the encoding `Preprocessing` saves). */
  readonly columns: readonly ColumnSpec[];
  /** The target: class labels with their class names, or regression values. */
  readonly target: TargetData;
}

/** Options of `loadTable`. */
export interface LoadTableOptions extends SchemaOptions, ReadCsvOptions {}

/**
 * Loads a CSV into a numeric table. Every column except the target (and any
 * `exclude`d one) becomes features: numeric columns as they are, categorical
 * ones one-hot encoded. Column kinds and the task are inferred by the rules
 * of `inferSchema` (schema.ts); `task` overrides the task.
 *
 * @throws DataError for every bad input: missing file, unknown target column
 *   (the message lists the columns), empty data, ragged rows, empty cells,
 *   NaN/Inf cells, a non-numeric cell in a numeric column, a target with a
 *   single class or value.
 * @example
 * const t = loadTable('datasets/wine.csv', { target: 'cultivar' });
 * // t.rows = 178, t.cols = 13, t.target.task = 'classification',
 * // t.target.classes = ['class_0', 'class_1', 'class_2']
 */
export function loadTable(source: CsvSource | RawCsv, options: LoadTableOptions): Table {
  const raw = isRaw(source) ? source : readCsv(source, options);
  const schema = inferSchema(raw, options);
  const { features, cols, featureNames } = encodeFeatures(raw, schema.columns);
  const target = encodeTarget(raw, schema.target);
  return { source: raw.source, rows: raw.rows.length, cols, features, featureNames, columns: schema.columns, target };
}

function isRaw(s: CsvSource | RawCsv): s is RawCsv {
  return typeof s === 'object' && 'header' in s;
}
