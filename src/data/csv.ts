/**
 * CSV input: `readCsv` parses a file (or text) with a header row into string
 * cells, checking its shape; `loadTable` turns it into a numeric feature
 * matrix and a target, inferring the column types (see `schema.ts` for the
 * rules). Both read through `streamCsv` (csv-stream.ts: csv-parse, fed 1 MiB
 * at a time, line-exact errors); `loadTable` stores the columns in typed
 * arrays while the file streams (table-builder.ts), so its peak memory is
 * about twice the numeric size of the data, not ten times the file.
 *
 * Who may import: the CLI, examples, tests. Node-only (`node:fs`) because it
 * reads files; `schema.ts` and below do not touch the file system.
 */
import { streamCsv, sourceName, type CsvSource, type ReadCsvOptions } from './csv-stream.js';
import { buildTable } from './table-builder.js';
import { encodeFeatures, encodeTarget, inferSchema, type SchemaOptions, type TargetData, type ColumnSpec } from './schema.js';

export type { CsvEncoding, CsvSource, ReadCsvOptions } from './csv-stream.js';

/** A parsed CSV: header and string cells, every row as long as the header. */
export interface RawCsv {
  /** File path or the text's name (`<text>` by default); used in messages. */
  readonly source: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** 1-based line number where each row ends in the file (same length as `rows`). */
  readonly lines: readonly number[];
}

/**
 * Reads and parses a CSV with a header row into string cells. Cells are
 * trimmed; blank lines are skipped; a UTF-8 BOM is ignored. For training data
 * use `loadTable`, which streams into typed columns instead of keeping every
 * cell as a string.
 *
 * @throws DataError for a missing or non-regular file (directory, FIFO,
 *   device), invalid UTF-8, a CSV syntax error, an empty file, an empty or
 *   duplicated header name, a row whose field count differs from the
 *   header's (ragged row), or a header with no data rows.
 * @example
 * const raw = readCsv({ text: 'a,b\n1,2\n', name: 'inline' });
 * // raw.header = ['a', 'b'], raw.rows = [['1', '2']], raw.lines = [2]
 */
export function readCsv(source: CsvSource, options: ReadCsvOptions = {}): RawCsv {
  let header: readonly string[] = [];
  const rows: (readonly string[])[] = [];
  const lines: number[] = [];
  streamCsv(source, options, {
    header: (names) => void (header = names),
    row: (cells, line) => void (rows.push(cells), lines.push(line)),
  });
  return { source: sourceName(source), header, rows, lines };
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
  if (!isRaw(source)) return buildTable(source, options);
  const raw = source;
  const schema = inferSchema(raw, options);
  const { features, cols, featureNames } = encodeFeatures(raw, schema.columns);
  const target = encodeTarget(raw, schema.target);
  return { source: raw.source, rows: raw.rows.length, cols, features, featureNames, columns: schema.columns, target };
}

function isRaw(s: CsvSource | RawCsv): s is RawCsv {
  return typeof s === 'object' && 'header' in s;
}
